#!/usr/bin/env bash
# The performance baseline: builds wsdoctor and the bench in Release, makes sure Node ws is installed
# (scripts/deps.sh), raises the open-files limit for the idle-connection run, then compares
# `wsdoctor serve` with a Node ws echo server and prints the tables. The results also go to
# artifacts/bench/ (JSON + markdown) and into docs/performance.md between its results markers.
# Arguments go to the bench (try --help), e.g. `bench/run.sh --duration 4 --idle 500`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

"$root/scripts/deps.sh"

# Every idle connection costs one descriptor in the load generator and one in the server (a child of
# this shell, so it inherits the limit raised here). 65536 leaves room for the default 2000 and more.
wanted=65536
soft="$(ulimit -Sn)"
hard="$(ulimit -Hn)"
if [[ "$soft" != unlimited && "$soft" -lt "$wanted" ]]; then
  target="$wanted"
  if [[ "$hard" != unlimited && "$hard" -lt "$target" ]]; then
    target="$hard"
  fi
  if [[ "$target" -gt "$soft" ]]; then
    ulimit -Sn "$target"
    echo "bench: open files limit (ulimit -n) raised from $soft to $(ulimit -Sn)"
  fi
fi
echo "bench: open files limit (ulimit -n) is $(ulimit -Sn)"

# -m:1: parallel MSBuild nodes crash on a busy 2-core machine.
dotnet build src/Wsdoctor.Cli -c Release -m:1 -v quiet --nologo -nodeReuse:false </dev/null
dotnet build bench/Wsdoctor.Bench -c Release -m:1 -v quiet --nologo -nodeReuse:false </dev/null
# The compiler server would otherwise keep a core busy in the background during the measurements.
dotnet build-server shutdown >/dev/null 2>&1 || true

exec dotnet bench/Wsdoctor.Bench/bin/Release/net10.0/wsdoctor-bench.dll "$@" </dev/null
