#!/usr/bin/env bash
# Sets up a fresh Debian / Raspberry Pi OS machine for KACHING and runs one of its two jobs:
#
#   scripts/setup.sh demo   install what the till needs, build it, run `kaching demo`
#   scripts/setup.sh test   install what the tests need, run the whole test suite
#
# Safe to run again: it installs only what is missing. Uses sudo when not run as root.
set -euo pipefail

job="${1:-}"
case "$job" in
  demo|test) ;;
  *) echo "usage: $0 demo|test" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Debian packages each job needs. The ledger's SQLite is compiled in (rusqlite "bundled").
build_pkgs=(build-essential pkg-config ca-certificates curl git)
test_pkgs=(libfaketime faketime)

missing=()
want=("${build_pkgs[@]}")
if [ "$job" = test ]; then want+=("${test_pkgs[@]}"); fi
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "==> installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

# Rust, through rustup, when the machine has none.
if ! command -v cargo >/dev/null 2>&1; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  else
    echo "==> installing Rust (rustup, stable)"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal -c clippy,rustfmt
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
fi

case "$job" in
  demo)
    echo "==> building (release)"
    cargo build --release --locked
    exec ./target/release/kaching demo
    ;;
  test)
    echo "==> running the test suite"
    cargo test --locked
    ;;
esac
