#!/usr/bin/env bash
# Builds the solution once and runs every test project under tests/, each into its own TRX file,
# then prints one summary line computed from those files. Extra arguments go to `dotnet test`
# (e.g. --filter). Exit status is non-zero if the build failed, any test failed, or none ran.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
results="$root/artifacts/test-results"
configuration=Release

# The tests need Debian's interpreter: a pyenv python3 earlier on PATH lacks python3-websockets.
export WSDOCTOR_PYTHON=/usr/bin/python3

"$root/scripts/deps.sh"

rm -rf "$results"
mkdir -p "$results"

summary() { /usr/bin/python3 "$root/scripts/trx-summary.py" "$results"; }

# MSBuild nodes and the compiler server would otherwise outlive this script by minutes. The
# compiler server itself is kept for the build: it makes a clean build about three times faster.
build_ok=true
dotnet build wsdoctor.slnx -c "$configuration" --nologo -v quiet -nodeReuse:false </dev/null || build_ok=false
dotnet build-server shutdown --vbcscompiler >/dev/null 2>&1 || true
if [[ $build_ok == false ]]; then
  echo "build failed"
  summary || true
  exit 1
fi

mapfile -t projects < <(find tests -name '*.Tests.csproj' -not -path '*/node_modules/*' -not -path '*/bin/*' -not -path '*/obj/*' | sort)
if ((${#projects[@]} == 0)); then
  echo "no *.Tests.csproj under tests/"
fi

# Two lanes run side by side (the machine CI uses has two cores; most of the long tests wait on real peers and
# browsers). The projects that take fixed ports from the lab's lists (the lab, the browsers, the CLI's and the native binary's lab runs)
# share lane 1 so they never race for the same port; every other project, including new ones, goes to lane 2.
# Each lane runs its projects one after another, the longest first.
lane1_order=(Browsers Cli Native Security Lab NetFaults Watch Findings Reports Certificates HostInfo)
lane2_order=(Interop Probes Conform CertTool Lint Scenarios Exporter Server Load Protocol Client Fuzz)
lane1=() lane2=()
for name in "${lane1_order[@]}"; do
  for project in "${projects[@]}"; do
    [[ $(basename "$project" .csproj) == "Wsdoctor.$name.Tests" ]] && lane1+=("$project")
  done
done
for name in "${lane2_order[@]}"; do
  for project in "${projects[@]}"; do
    [[ $(basename "$project" .csproj) == "Wsdoctor.$name.Tests" ]] && lane2+=("$project")
  done
done
for project in "${projects[@]}"; do
  if [[ ! " ${lane1[*]} ${lane2[*]} " == *" $project "* ]]; then
    lane2+=("$project")
  fi
done

# One project: its own TRX file and log; the log is printed whole when it fails, its summary line otherwise.
run_project() {
  local project="$1" name
  name="$(basename "$project" .csproj)"
  # A test that prints nothing for this long is taken for hung and its host is killed. The native binary's tests
  # start with a Native AOT publish, which takes 6-8 minutes of one test on a loaded two-core machine.
  local hang=5m
  [[ $name == Wsdoctor.Native.Tests ]] && hang=15m
  local log="$results/$name.log"
  local start=$SECONDS
  if dotnet test "$project" --no-build -c "$configuration" --nologo \
    --results-directory "$results" --logger "trx;LogFileName=$name.trx" \
    --blame-hang-timeout "$hang" --blame-hang-dump-type none \
    "${extra[@]}" </dev/null >"$log" 2>&1; then
    echo "$name: $(grep -E '^(Passed|Failed)!' "$log" | tail -1 | sed 's/ - Wsdoctor.*//') ($((SECONDS - start)) s)"
  else
    echo "---- $name failed; its output: ----"
    cat "$log"
    echo "---- end of $name ----"
    echo "$name" >>"$results/broken"
  fi
}

run_lane() {
  local project
  for project in "$@"; do
    run_project "$project"
  done
}

extra=("$@")
run_lane "${lane1[@]}" &
lane1_pid=$!
run_lane "${lane2[@]}" &
lane2_pid=$!
wait "$lane1_pid" || true
wait "$lane2_pid" || true

broken=()
if [[ -f "$results/broken" ]]; then
  mapfile -t broken <"$results/broken"
fi

if ((${#broken[@]} > 0)); then
  echo "dotnet test exited non-zero for: ${broken[*]}"
fi

status=0
summary || status=$?
if ((${#broken[@]} > 0 && status == 0)); then
  status=1
fi
exit "$status"
