#!/usr/bin/env bash
# The soak: CYCLES (default 100000) connect/echo/close cycles against `wsdoctor serve` on loopback, driven by Node ws
# (bench/peers/soak-client.js, CONCURRENCY at a time), with serve's resident memory and open file descriptors read from
# /proc every EVERY cycles. Prints the samples as a table and an ASCII chart, and the verdict: descriptors back to the
# baseline after the last close, and whether RSS reached a plateau (the second half grew less than 10 % of the first
# reading after warm-up). Samples go to artifacts/bench/soak.jsonl, the table to artifacts/bench/soak.md.
# Usage: bench/soak.sh [CYCLES] [CONCURRENCY] [EVERY]      e.g. bench/soak.sh 20000 4 1000 for a quick look
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
cycles="${1:-100000}"
concurrency="${2:-4}"
every="${3:-5000}"

[[ -d tests/peers/node_modules/ws ]] || scripts/deps.sh
# -m:1: parallel MSBuild nodes crash on a busy 2-core machine.
dotnet build src/Wsdoctor.Cli -c Release -m:1 -v quiet --nologo -nodeReuse:false </dev/null
dotnet build-server shutdown >/dev/null 2>&1 || true

out="$root/artifacts/bench"
mkdir -p "$out"
log="$(mktemp)"
serve_pid=""
cleanup() {
  if [[ -n "$serve_pid" ]] && kill -0 "$serve_pid" 2>/dev/null; then
    kill -TERM "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
  fi
  rm -f "$log"
}
trap cleanup EXIT

dotnet src/Wsdoctor.Cli/bin/Release/net10.0/wsdoctor.dll serve --listen 127.0.0.1:0 2>"$log" </dev/null &
serve_pid=$!
for _ in $(seq 600); do
  grep -q ' event=ready' "$log" && break
  sleep 0.1
done
url="$(grep -m1 ' event=listen ' "$log" | sed -E 's/.* url=([^ ]+).*/\1/')"
[[ -n "$url" ]] || { echo "soak: serve did not start" >&2; cat "$log" >&2; exit 1; }
echo "soak: $cycles cycles against serve (pid $serve_pid) at $url, $concurrency at a time, a sample every $every"

node bench/peers/soak-client.js "$url" "$serve_pid" "$cycles" "$concurrency" "$every" | tee "$out/soak.jsonl"

{
  echo "| cycles | RSS MiB | open fds | failed cycles | elapsed s |"
  echo "|---:|---:|---:|---:|---:|"
  sed -E 's/[{}"]//g' "$out/soak.jsonl" | awk -F, '{
      for (i = 1; i <= NF; i++) { split($i, kv, ":"); v[kv[1]] = kv[2] }
      printf "| %s%s | %.1f | %d | %d | %.0f |\n", v["cycles"], (v["done"] == "true" ? " (after 3 s)" : ""), v["rssKiB"] / 1024, v["fds"], v["failures"], v["elapsedMs"] / 1000
    }'
  echo
  echo '```'
  echo "RSS (MiB) over cycles"
  sed -E 's/[{}"]//g' "$out/soak.jsonl" | awk -F, '
    { for (i = 1; i <= NF; i++) { split($i, kv, ":"); v[kv[1]] = kv[2] }
      n++; c[n] = v["cycles"] (v["done"] == "true" ? "+3s" : ""); r[n] = v["rssKiB"] / 1024; if (r[n] > max) max = r[n] }
    END { for (i = 1; i <= n; i++) { bar = ""; for (j = 0; j < int(r[i] / max * 50); j++) bar = bar "#"; printf "%9s %6.1f %s\n", c[i], r[i], bar } }'
  echo '```'
  echo
  sed -E 's/[{}"]//g' "$out/soak.jsonl" | awk -F, '
    { for (i = 1; i <= NF; i++) { split($i, kv, ":"); v[kv[1]] = kv[2] }
      n++; rss[n] = v["rssKiB"]; fds[n] = v["fds"]; fail = v["failures"] }
    END {
      warm = n > 4 ? 3 : 2; half = int((warm + n - 1) / 2)
      growth = (rss[n - 1] - rss[half]) / rss[warm] * 100
      printf "file descriptors: %d before the first cycle (after the warm-up), %d three seconds after the last (%s)\n", fds[1], fds[n], fds[n] <= fds[1] ? "back to baseline" : "NOT back to baseline"
      printf "RSS: %.1f MiB after warm-up, %.1f MiB at half-way, %.1f MiB at the end: second half %+.1f %% of the warm-up reading (%s)\n", rss[warm] / 1024, rss[half] / 1024, rss[n - 1] / 1024, growth, growth < 10 ? "plateau" : "STILL GROWING"
      printf "failed cycles: %d\n", fail
    }'
} | tee "$out/soak.md"
