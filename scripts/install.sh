#!/usr/bin/env bash
# Builds wsdoctor as one Native AOT executable for linux-x64 and installs it as PREFIX/bin/wsdoctor
# (PREFIX defaults to ~/.local). Safe to run again: the build is incremental and an identical binary
# is left alone. Needs the .NET SDK (global.json) and a C toolchain for the native link (clang or gcc;
# clang is installed with apt when neither is there). Exit status: 0 installed, 1 failed, 2 bad usage.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="${HOME}/.local"
out="$root/artifacts/native/linux-x64"

say() { echo "install: $*"; }
fail() { echo "install: $*" >&2; exit 1; }
usage() { echo "usage: scripts/install.sh [--prefix DIR]   (installs DIR/bin/wsdoctor; default DIR: ~/.local)"; }

while (($# > 0)); do
  case "$1" in
    --prefix)
      (($# >= 2)) && [[ -n $2 ]] || { usage >&2; exit 2; }
      prefix="$2"
      shift 2
      ;;
    --prefix=*)
      prefix="${1#--prefix=}"
      [[ -n $prefix ]] || { usage >&2; exit 2; }
      shift
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      echo "install: unknown argument '$1'" >&2
      usage >&2
      exit 2
      ;;
  esac
done

[[ $(uname -s) == Linux && $(uname -m) == x86_64 ]] || fail "the native binary is built for linux-x64 only (this is $(uname -s) $(uname -m)); use the dotnet tool instead (README, Install)"
command -v dotnet >/dev/null || fail "the .NET SDK is needed to build (dotnet not found on PATH)"

# Native AOT links with clang, or gcc when there is no clang.
if ! command -v clang >/dev/null && ! command -v gcc >/dev/null; then
  say "no C compiler for the native link; installing clang"
  if [[ $EUID -eq 0 ]]; then
    env DEBIAN_FRONTEND=noninteractive apt-get install -y -q clang </dev/null >/dev/null || fail "apt-get install clang failed"
  elif command -v sudo >/dev/null; then
    sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -q clang </dev/null >/dev/null || fail "sudo apt-get install clang failed (install clang or gcc yourself)"
  else
    fail "install clang or gcc (needs root)"
  fi
fi
# clang is ILC's default; naming gcc only when there is no clang keeps the publish identical to the one the
# tests run (tests/Wsdoctor.Native.Tests), so either reuses the other's build.
linker=()
command -v clang >/dev/null || linker=(-p:CppCompilerAndLinker=gcc)

say "building the native binary (dotnet publish -r linux-x64 -p:PublishAot=true; a few minutes on a small machine)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! dotnet publish "$root/src/Wsdoctor.Cli/Wsdoctor.Cli.csproj" -r linux-x64 -c Release -p:PublishAot=true \
  "${linker[@]}" --nologo -v quiet -nodeReuse:false -o "$out" </dev/null >"$log" 2>&1; then
  cat "$log" >&2
  fail "the build failed (output above)"
fi
[[ -x $out/wsdoctor ]] || fail "the build wrote no $out/wsdoctor"
"$out/wsdoctor" --version >/dev/null 2>&1 || fail "the built binary does not run: $out/wsdoctor --version"

bin="$prefix/bin"
target="$bin/wsdoctor"
mkdir -p "$bin" || fail "cannot create $bin"
if [[ -f $target ]] && cmp -s "$out/wsdoctor" "$target"; then
  say "$target is already this build ($("$target" --version))"
else
  # Copy next to the target, then rename: a running wsdoctor keeps its old file, nothing sees half a binary.
  tmp="$(mktemp "$bin/.wsdoctor.XXXXXX")" || fail "cannot write to $bin"
  if ! cp "$out/wsdoctor" "$tmp" || ! chmod 0755 "$tmp" || ! mv -f "$tmp" "$target"; then
    rm -f "$tmp"
    fail "cannot install $target"
  fi
  say "installed $target ($("$target" --version), $(($(stat -c %s "$target") / 1024 / 1024)) MB)"
fi

case ":$PATH:" in
  *":$bin:"*) ;;
  *) say "note: $bin is not on your PATH; add it, e.g. export PATH=\"$bin:\$PATH\"" ;;
esac
