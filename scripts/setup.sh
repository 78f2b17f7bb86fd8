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
# libfaketime: the ORIGIN-day replay; chromium + chromedriver: the phone browser test;
# mariadb-client: to reach (or provision) the MariaDB the central-database tests use;
# cups: the CUPS printing test (a raw queue to a loopback port); poppler-utils: pdftotext and
# pdfinfo read the exported PDF reports back (tests/admin.rs).
test_pkgs=(libfaketime faketime chromium chromium-driver fonts-dejavu-core mariadb-client cups cups-client poppler-utils)

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

# The tests need a MariaDB/MySQL server they can create and drop databases on. Use
# KACHING_TEST_MYSQL_URL when set; else root without a password on 127.0.0.1:3306 when that
# works; else install and start a local MariaDB and create a test user on it.
ensure_mariadb() {
  if [ -n "${KACHING_TEST_MYSQL_URL:-}" ]; then return; fi
  if mariadb -h127.0.0.1 -P3306 -uroot -e 'SELECT 1' >/dev/null 2>&1; then
    export KACHING_TEST_MYSQL_URL="mysql://root@127.0.0.1:3306"
    return
  fi
  if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
    echo "==> installing MariaDB server"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq mariadb-server
  fi
  if ! mariadb-admin ping >/dev/null 2>&1 && ! $SUDO mariadb-admin ping >/dev/null 2>&1; then
    echo "==> starting MariaDB"
    $SUDO service mariadb start >/dev/null 2>&1 \
      || $SUDO start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
    for _ in $(seq 1 60); do
      $SUDO mariadb-admin ping >/dev/null 2>&1 && break
      sleep 0.5
    done
  fi
  # A dedicated user for the tests (root on Debian authenticates by socket only).
  $SUDO mariadb -e "CREATE USER IF NOT EXISTS 'kaching_test'@'127.0.0.1' IDENTIFIED BY 'kaching_test';
    GRANT ALL PRIVILEGES ON *.* TO 'kaching_test'@'127.0.0.1'; FLUSH PRIVILEGES;"
  export KACHING_TEST_MYSQL_URL="mysql://kaching_test:kaching_test@127.0.0.1:3306"
}

case "$job" in
  demo)
    echo "==> building (release)"
    cargo build --release --locked
    exec ./target/release/kaching demo
    ;;
  test)
    ensure_mariadb
    # The CUPS test creates a queue: the scheduler must run (and lpadmin needs root).
    lpstat -r 2>/dev/null | grep -q "scheduler is running" || $SUDO cupsd || true
    echo "==> running the test suite (MariaDB: ${KACHING_TEST_MYSQL_URL%%@*}@…)"
    cargo test --locked
    ;;
esac
