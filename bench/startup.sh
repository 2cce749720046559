#!/usr/bin/env bash
# Start-up cost of one healthy `wsdoctor check`, whole process, side by side: the Native AOT binary
# (scripts/install.sh's artifacts/native/linux-x64/wsdoctor), the JIT build (`dotnet wsdoctor.dll`) and
# `wscat -c URL -x hi -w 0`, each against the same `wsdoctor serve` on 127.0.0.1 (a port the kernel picks).
# Each command runs RUNS times (default 20), one after another, after two warm-up runs; CPU is user+sys of
# the process and everything it waited for (getrusage of the children), wall time from fork to exit.
# Prints medians (and min/max) as a markdown table; docs/performance.md records a run. A benchmark, not a test.
# Usage: bench/startup.sh [RUNS]   (WSCAT=path overrides tests/peers' wscat; NO_BUILD=1 skips the builds)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${1:-20}"
[[ $runs =~ ^[0-9]+$ ]] && ((runs >= 1 && runs <= 1000)) || { echo "startup: RUNS must be 1..1000" >&2; exit 2; }

native="$root/artifacts/native/linux-x64/wsdoctor"
dll="$root/src/Wsdoctor.Cli/bin/Release/net10.0/wsdoctor.dll"
wscat="${WSCAT:-$root/tests/peers/node_modules/.bin/wscat}"

if [[ ${NO_BUILD:-} != 1 ]]; then
  [[ -x $wscat ]] || "$root/scripts/deps.sh" >&2
  "$root/scripts/install.sh" --prefix "$root/artifacts/native/prefix" >&2
  dotnet build "$root/src/Wsdoctor.Cli" -c Release --nologo -v quiet -nodeReuse:false </dev/null >&2
fi
for f in "$native" "$dll" "$wscat"; do
  [[ -e $f ]] || { echo "startup: $f is missing" >&2; exit 1; }
done

exec /usr/bin/python3 - "$runs" "$native" "$dll" "$wscat" <<'PY'
import os, re, resource, statistics, subprocess, sys, time

runs, native, dll, wscat = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")}
env["NO_COLOR"] = "1"

serve = subprocess.Popen([native, "serve", "--listen", "127.0.0.1:0"], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
url = None
deadline = time.monotonic() + 30
try:
    for line in serve.stderr:
        m = re.search(r'event=listen .*url=(ws://\S+)', line)
        if m and url is None:
            url = m.group(1)
        if " event=ready" in line or time.monotonic() > deadline:
            break
    if url is None:
        sys.exit("startup: serve printed no listen URL")

    def measure(argv, expect=0):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, timeout=60)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != expect:
            sys.exit(f"startup: {' '.join(argv)} exited {done.returncode}: {done.stderr.decode(errors='replace')[:400]}")
        return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    commands = [
        ("wsdoctor check (native)", [native, "check", url]),
        ("wsdoctor check (JIT, dotnet wsdoctor.dll)", ["dotnet", dll, "check", url]),
        ("wscat -c URL -x hi -w 0", [wscat, "-c", url, "-x", "hi", "-w", "0"]),
        ("wsdoctor --version (native)", [native, "--version"]),
        ("wsdoctor --version (JIT)", ["dotnet", dll, "--version"]),
    ]
    results = {}
    for name, argv in commands:
        for _ in range(2):
            measure(argv)
        samples = [measure(argv) for _ in range(runs)]
        results[name] = samples

    def fmt(values):
        return f"{statistics.median(values) * 1000:.0f} ms ({min(values) * 1000:.0f}–{max(values) * 1000:.0f})"

    print(f"{runs} runs each against wsdoctor serve at {url}; median (min–max)\n")
    print("| command | CPU user+sys | wall |")
    print("|---|---|---|")
    for name, samples in results.items():
        print(f"| {name} | {fmt([c for _, c in samples])} | {fmt([w for w, _ in samples])} |")
    wscat_cpu = statistics.median(c for _, c in results["wscat -c URL -x hi -w 0"])
    native_cpu = statistics.median(c for _, c in results["wsdoctor check (native)"])
    jit_cpu = statistics.median(c for _, c in results["wsdoctor check (JIT, dotnet wsdoctor.dll)"])
    print(f"\nnative check CPU = {native_cpu / wscat_cpu:.2f} x wscat; JIT check CPU = {jit_cpu / wscat_cpu:.2f} x wscat")
    print(f"native binary: {os.path.getsize(native) / 1024 / 1024:.1f} MiB ({os.path.getsize(native)} bytes)")
finally:
    serve.terminate()
    try:
        serve.wait(timeout=10)
    except subprocess.TimeoutExpired:
        serve.kill()
PY
