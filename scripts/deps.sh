#!/usr/bin/env bash
# Installs what the tests and the lab need and is not there yet. Safe to run again: it only
# acts on what is missing. Starts no service (the tests start nginx/haproxy on their own ports).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
apt_packages=(nginx-light haproxy tinyproxy prometheus python3-websockets chromium firefox-esr apache2 caddy lighttpd libnss3-tools openssl ca-certificates procps iproute2 afl++ zsh fish)
peers="$root/tests/peers"

say() { echo "deps: $*"; }

as_root() {
  if [[ $EUID -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null; then
    # -n: fail instead of asking for a password, since there is no one to type it.
    sudo -n "$@"
  else
    say "need root (or sudo) to run: $*" >&2
    return 1
  fi
}

installed() {
  dpkg -s "$1" 2>/dev/null | grep -qx 'Status: install ok installed'
}

wanted=("${apt_packages[@]}")
if [[ -f "$peers/package.json" ]] && ! command -v npm >/dev/null; then
  wanted+=(nodejs npm)
fi

missing=()
for package in "${wanted[@]}"; do
  installed "$package" || missing+=("$package")
done

if ((${#missing[@]} > 0)); then
  say "installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
else
  say "apt packages present"
fi

if [[ -f "$peers/package.json" ]]; then
  if [[ ! -d "$peers/node_modules" || "$peers/package-lock.json" -nt "$peers/node_modules" ]]; then
    say "npm ci in tests/peers"
    (cd "$peers" && npm ci --no-audit --no-fund </dev/null)
    # The freshness check above reads the folder's own mtime, which npm need not change.
    touch "$peers/node_modules"
  else
    say "tests/peers/node_modules up to date"
  fi
fi
