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

broken=()
for project in "${projects[@]}"; do
  name="$(basename "$project" .csproj)"
  # Keep going after a failure so the summary counts every project.
  if ! dotnet test "$project" --no-build -c "$configuration" --nologo \
    --results-directory "$results" --logger "trx;LogFileName=$name.trx" \
    --blame-hang-timeout 5m --blame-hang-dump-type none \
    "$@" </dev/null; then
    broken+=("$name")
  fi
done

if ((${#broken[@]} > 0)); then
  echo "dotnet test exited non-zero for: ${broken[*]}"
fi

status=0
summary || status=$?
if ((${#broken[@]} > 0 && status == 0)); then
  status=1
fi
exit "$status"
