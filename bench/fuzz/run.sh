#!/usr/bin/env bash
# Coverage-guided fuzzing of wsdoctor's parsers with AFL++ and SharpFuzz (docs/reliability.md, "Fuzzing").
#
#   bench/fuzz/run.sh [TARGET...] [--seconds N] [--execs N] [--max-len BYTES] [--out DIR] [--no-build] [--keep]
#
# Builds bench/fuzz/Wsdoctor.Fuzz, instruments a copy of wsdoctor's assemblies (and YamlDotNet) with sharpfuzz,
# then runs afl-fuzz on each target in turn for N seconds (default 60), seeded with bench/fuzz/corpus/TARGET,
# and prints per target: executions, paths (corpus count), edges, crashes, hangs, exec/s. Every crash or hang
# is replayed through the uninstrumented harness to show what broke. Exit status 1 when any target crashed or
# hung, 2 on bad arguments. Installs afl++ (apt) and the sharpfuzz tool (NuGet) when they are missing.
# Outputs go to artifacts/fuzz/ (or --out): TARGET/ (afl-fuzz's folder), TARGET.log, summary.tsv.
# --keep resumes each target from its previous findings instead of starting from the seeds again.
# --execs N ends each target after about N executions (afl-fuzz -E) instead of after N seconds; --seconds then bounds
# each target's time (default 6 hours with --execs).
# --max-len BYTES bounds the inputs afl-fuzz generates (afl-fuzz -G; its default is 1 MiB), e.g. to a protocol's own
# message limit: SignalR's servers refuse messages over 32 KiB by default, so 32768 keeps signalr on inputs it can meet.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/bench/fuzz"
seconds=
max_execs=
max_len=
out="$root/artifacts/fuzz"
build=1
keep=0
targets=()

usage() { echo "usage: bench/fuzz/run.sh [TARGET...] [--seconds N] [--execs N] [--max-len BYTES] [--out DIR] [--no-build] [--keep]" >&2; exit 2; }

while (($# > 0)); do
  case "$1" in
    --seconds) [[ $# -ge 2 && "$2" =~ ^[0-9]+$ && "$2" -gt 0 ]] || usage; seconds="$2"; shift 2 ;;
    --execs) [[ $# -ge 2 && "$2" =~ ^[0-9]+$ && "$2" -gt 0 ]] || usage; max_execs="$2"; shift 2 ;;
    --max-len) [[ $# -ge 2 && "$2" =~ ^[0-9]+$ && "$2" -gt 0 ]] || usage; max_len="$2"; shift 2 ;;
    --out) [[ $# -ge 2 ]] || usage; out="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) usage ;;
    -*) echo "run.sh: unknown option $1" >&2; usage ;;
    *) targets+=("$1"); shift ;;
  esac
done

say() { echo "fuzz: $*" >&2; }

if [[ -z "$seconds" ]]; then
  if [[ -n "$max_execs" ]]; then seconds=21600; else seconds=60; fi
fi

as_root() {
  if [[ $EUID -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else say "need root to run: $*"; return 1; fi
}

# afl++ from Debian, only when missing.
if ! command -v afl-fuzz >/dev/null; then
  say "installing afl++"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends afl++ </dev/null >&2
fi

# The instrumentation tool, in a folder of our own (no global tool, no manifest to restore).
tools="$root/artifacts/fuzz-tools"
sharpfuzz="$tools/sharpfuzz"
if [[ ! -x "$sharpfuzz" ]]; then
  say "installing SharpFuzz.CommandLine 2.3.0 into $tools"
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools" >&2
fi

project="$here/Wsdoctor.Fuzz/Wsdoctor.Fuzz.csproj"
plain="$here/Wsdoctor.Fuzz/bin/Release/net10.0"
if ((build)); then
  say "building the harness"
  dotnet build "$project" -c Release -nodeReuse:false -m:1 -v:q -nologo >&2
fi
[[ -f "$plain/wsdoctor-fuzz.dll" ]] || { say "no build at $plain (drop --no-build)"; exit 1; }

all=$(dotnet "$plain/wsdoctor-fuzz.dll" list | grep -v $'\tpending' | cut -f1)
if ((${#targets[@]} == 0)); then
  mapfile -t targets <<<"$all"
fi
for t in "${targets[@]}"; do
  grep -qx -- "$t" <<<"$all" || { echo "run.sh: no target '$t' (known: $(echo $all))" >&2; exit 2; }
done

# Instrument a copy: the plain build stays usable for replaying crashes (instrumented code only runs under afl).
mkdir -p "$out"
instrumented="$out/instrumented"
rm -rf "$instrumented"
cp -r "$plain" "$instrumented"
say "instrumenting"
for dll in "$instrumented"/Wsdoctor.*.dll "$instrumented"/YamlDotNet.dll; do
  [[ "$(basename "$dll")" == Wsdoctor.Fuzz.Targets.dll ]] && continue
  "$sharpfuzz" "$dll" >&2
done

# The harness is dotnet, not an afl-instrumented binary; crashes are exceptions, not core dumps.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1
# The .NET runtime takes a few hundred milliseconds to start, more on a loaded machine.
export AFL_FORKSRV_INIT_TMOUT=60000
export DOTNET_TieredPGO=0 DOTNET_gcServer=0

stat() { grep -E "^$1 *:" "$2" | head -1 | sed 's/^[^:]*: *//'; }

summary="$out/summary.tsv"
printf 'target\texecutions\tpaths\tedges\tcrashes\thangs\texec_per_s\tseconds\tunconfirmed_hangs\n' >"$summary"
printf '%-16s %12s %7s %7s %8s %6s %9s\n' target executions paths edges crashes hangs exec/s
failed=0
for t in "${targets[@]}"; do
  findings="$out/$t"
  input="$here/corpus/$t"
  if ((keep)) && [[ -d "$findings/default/queue" ]]; then
    input="-"
  else
    rm -rf "$findings"
  fi
  say "$t: ${max_execs:+${max_execs} executions, at most }${seconds}s"
  stats="$findings/default/fuzzer_stats"
  # -V ends the run; timeout is only the backstop should afl-fuzz itself hang. -t: a hang is 2 s on one input.
  # On a loaded machine the first dry run can miss the runtime's start, so a run that did not start is tried again.
  for attempt in 1 2; do
    timeout -k 10 $((seconds + 180)) afl-fuzz -i "$input" -o "$findings" -t 2000 -m none -V "$seconds" ${max_execs:+-E "$max_execs"} ${max_len:+-G "$max_len"} \
      -- dotnet "$instrumented/wsdoctor-fuzz.dll" run "$t" >"$out/$t.log" 2>&1 || true
    [[ -f "$stats" ]] && break
    say "$t: afl-fuzz did not start (attempt $attempt)"
    ((keep)) || rm -rf "$findings"
  done
  if [[ ! -f "$stats" ]]; then
    say "$t: afl-fuzz did not start; the end of $out/$t.log:"
    tail -n 15 "$out/$t.log" >&2
    failed=1
    printf '%-16s %12s\n' "$t" "did not run"
    continue
  fi
  execs=$(stat execs_done "$stats"); paths=$(stat corpus_count "$stats"); edges=$(stat edges_found "$stats")
  crashes=$(stat saved_crashes "$stats"); saved_hangs=$(stat saved_hangs "$stats"); runtime=$(stat run_time "$stats")
  rate=$(awk -v e="$execs" -v s="$runtime" 'BEGIN { printf "%.0f", (s > 0 ? e / s : 0) }')
  # Every crash is replayed to show the exception. A hang is replayed too: afl-fuzz calls an input a hang when one
  # execution passes -t, which a loaded machine can cause by itself; a hang that the plain harness finishes in under
  # half that bound is reported as unconfirmed, with its time, and does not fail the run.
  hangs=0; unconfirmed=0; details=()
  for kind in crashes hangs; do
    for file in "$findings/default/$kind"/id:*; do
      [[ -f "$file" ]] || continue
      replayed=$(timeout 20 dotnet "$plain/wsdoctor-fuzz.dll" replay "$t" "$file" 2>&1) && code=0 || code=$?
      # The harness prints the input's own time, "(N ms)", without the runtime's start.
      took=$(sed -n 's/.*(\([0-9][0-9]*\) ms)$/\1/p' <<<"$replayed" | head -n 1)
      if [[ $kind == hangs ]]; then
        if ((code == 0)) && [[ -n "$took" ]] && ((took < 1000)); then
          unconfirmed=$((unconfirmed + 1))
          details+=("  hangs/$(basename "$file"): not reproduced: the plain harness took ${took} ms (afl-fuzz's bound is 2000 ms)")
          continue
        fi
        hangs=$((hangs + 1))
      fi
      details+=("  $kind/$(basename "$file") (replay: exit $code${took:+, ${took} ms}):")
      while IFS= read -r line; do details+=("    $line"); done < <(head -n 4 <<<"${replayed:-(no result within 20 s)}")
    done
  done
  # afl-fuzz stops early ("Unable to communicate with fork server") when the harness process itself dies: a stack
  # overflow or a fail-fast that no catch sees, or the kill of an input past -t. The input it was running is kept
  # as aborted-input and replayed; such a run counts as a crash.
  if grep -q "PROGRAM ABORT" "$out/$t.log" && [[ -f "$findings/default/.cur_input" ]]; then
    cp "$findings/default/.cur_input" "$findings/aborted-input"
    replayed=$(timeout 20 dotnet "$plain/wsdoctor-fuzz.dll" replay "$t" "$findings/aborted-input" 2>&1) && code=0 || code=$?
    crashes=$((crashes + 1))
    details+=("  afl-fuzz aborted after $execs executions; $findings/aborted-input (replay: exit $code):")
    while IFS= read -r line; do details+=("    $line"); done < <(head -n 4 <<<"${replayed:-(no result within 20 s)}")
  fi
  printf '%-16s %12s %7s %7s %8s %6s %9s\n' "$t" "$execs" "$paths" "$edges" "$crashes" "$hangs" "$rate"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$execs" "$paths" "$edges" "$crashes" "$hangs" "$rate" "$runtime" "$unconfirmed" >>"$summary"
  ((${#details[@]} == 0)) || printf '%s\n' "${details[@]}"
  if ((crashes > 0 || hangs > 0)); then
    failed=1
  fi
done
exit "$failed"
