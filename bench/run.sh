#!/usr/bin/env bash
# The performance baseline: builds wsdoctor and the bench in Release, makes sure the peers are installed
# (scripts/deps.sh for Node ws and Python websockets; the bench-only packages below), builds the Go
# gorilla echo server offline and compiles the C TCP echo, raises the open-files limit for the
# idle-connection run, then compares `wsdoctor serve` with Node ws, Go gorilla, Python websockets and the
# raw TCP reference, and wsdoctor's load generator with Node ws, artillery and tsung, and prints the tables.
# The results also go to artifacts/bench/ (JSON + markdown) and into docs/performance.md between its
# results markers.
# Arguments go to the bench (try --help), e.g. `bench/run.sh --duration 4 --idle 500`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# -m:1: parallel MSBuild nodes crash on a busy 2-core machine.
build() { dotnet build "$1" -c Release -m:1 -v quiet --nologo -nodeReuse:false </dev/null; }
bench=bench/Wsdoctor.Bench/bin/Release/net10.0/wsdoctor-bench.dll

# --help needs only the bench itself: no installs, no peers.
for arg in "$@"; do
  if [[ "$arg" == -h || "$arg" == --help || "$arg" == "-?" ]]; then
    build bench/Wsdoctor.Bench >&2
    exec dotnet "$bench" --help </dev/null
  fi
done

"$root/scripts/deps.sh"

# Bench-only packages (not needed by the tests, so not in scripts/deps.sh): only what is missing.
bench_packages=(golang-go golang-github-gorilla-websocket-dev tsung gcc libc6-dev)
missing=()
for package in "${bench_packages[@]}"; do
  dpkg -s "$package" 2>/dev/null | grep -qx 'Status: install ok installed' || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  echo "bench: installing ${missing[*]}"
  as_root=()
  [[ $EUID -eq 0 ]] || as_root=(sudo -n)
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
fi

# artillery, pinned by bench/peers/package-lock.json. Its install scripts are not needed to run it.
peers="$root/bench/peers"
if [[ ! -d "$peers/node_modules" || "$peers/package-lock.json" -nt "$peers/node_modules" ]]; then
  echo "bench: npm ci in bench/peers"
  (cd "$peers" && npm ci --no-audit --no-fund --ignore-scripts </dev/null)
  touch "$peers/node_modules"
fi

# The compiled peers. gorilla is built offline against Debian's packaged source: GOPATH mode
# (GO111MODULE=off) finds github.com/gorilla/websocket under /usr/share/gocode, no module proxy.
bin="$root/artifacts/bench/bin"
mkdir -p "$bin"
(cd "$peers/gorilla-echo" && GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$root/artifacts/bench/go-cache" GOFLAGS= \
  go build -o "$bin/gorilla-echo" .)
gcc -O2 -Wall -Wextra -Werror -o "$bin/tcp-echo" "$peers/tcp-echo.c"

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

build src/Wsdoctor.Cli
build bench/Wsdoctor.Bench
# The compiler server would otherwise keep a core busy in the background during the measurements.
dotnet build-server shutdown >/dev/null 2>&1 || true

exec dotnet "$bench" "$@" </dev/null
