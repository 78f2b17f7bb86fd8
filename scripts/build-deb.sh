#!/usr/bin/env bash
# Builds the KACHING Debian package with cargo-deb and prints the path of the .deb.
#
#   scripts/build-deb.sh                  the `release` profile (quick to build)
#   scripts/build-deb.sh --profile dist   the till's optimised build (LTO; slower to build)
#
# Extra arguments go to `cargo deb` (e.g. --output DIR, --target aarch64-unknown-linux-gnu).
# Install it with `sudo apt install ./target/debian/kaching_*.deb`.
set -euo pipefail

fail() {
  echo "build-deb.sh: $*" >&2
  exit 1
}

cd "$(dirname "$0")/.." || fail "cannot enter the repository"
[ -f Cargo.toml ] || fail "no Cargo.toml in $(pwd): run scripts/build-deb.sh from a clone of KACHING"
command -v cargo >/dev/null 2>&1 || fail "cargo not found: install Rust (https://rustup.rs) or run scripts/setup.sh deps"
cargo deb --version >/dev/null 2>&1 || fail "cargo-deb is not installed: run \`cargo install cargo-deb\`"

# fltk-sys needs cmake >= 3.28; use the one scripts/setup.sh installs when there is one.
venv="${XDG_DATA_HOME:-$HOME/.local/share}/kaching/cmake-venv/bin"
if [ -x "$venv/cmake" ]; then export PATH="$venv:$PATH"; fi

profile=release
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) [ $# -ge 2 ] || fail "--profile needs a value (release or dist)"; profile="$2"; shift 2 ;;
    --profile=*) profile="${1#--profile=}"; shift ;;
    *) args+=("$1"); shift ;;
  esac
done

# cargo deb prints the .deb's path as its last line of output on stdout.
out=$(cargo deb --locked --profile "$profile" "${args[@]+"${args[@]}"}") ||
  fail "cargo deb failed (profile $profile): read its message above"
deb=$(printf '%s\n' "$out" | tail -n 1)
[ -f "$deb" ] || fail "cargo deb did not report a .deb (its output: $out)"
echo "$deb"
