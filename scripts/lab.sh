#!/usr/bin/env bash
# Builds the CLI and runs `wsdoctor lab` with the given arguments. Set-up and build output go to
# stderr, so stdout is the lab's alone; the exit status is the lab's.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

"$root/scripts/deps.sh" >&2
dotnet build "$root/src/Wsdoctor.Cli" -c Release --nologo -v quiet >&2
exec dotnet "$root/src/Wsdoctor.Cli/bin/Release/net10.0/wsdoctor.dll" lab "$@"
