#!/usr/bin/env bash
# Times the whole `wsdoctor conform server` suite (541 cases) against a local Node ws echo server, as issue 11 asks
# (under a minute on a 2-core machine). Builds Release first; prints the suite's own summary line and wall time.
# Usage: bench/conform-ws.sh [runs]   (default 3)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-3}"
cd "$root"
"$root/scripts/deps.sh" >/dev/null
dotnet build src/Wsdoctor.Cli -c Release --nologo -v quiet -m:1 >/dev/null
wsdoctor=(dotnet "$root/src/Wsdoctor.Cli/bin/Release/net10.0/wsdoctor.dll")
reports="$(mktemp -d)"
coproc peer { exec node "$root/tests/peers/autobahn/ws-echo-server.js"; }
trap 'kill "$peer_PID" 2>/dev/null || true; rm -rf "$reports"' EXIT
read -r port <&"${peer[0]}"
for ((i = 1; i <= runs; i++)); do
  start=$(date +%s.%N)
  "${wsdoctor[@]}" conform server "ws://127.0.0.1:$port/" --agent ws --report-dir "$reports" | grep -E '^ws: [0-9]+ cases' || true
  end=$(date +%s.%N)
  printf 'run %d: %.1f s wall (process start to exit)\n' "$i" "$(echo "$end - $start" | bc)"
done
