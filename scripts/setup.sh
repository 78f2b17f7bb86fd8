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
build_pkgs=(build-essential pkg-config ca-certificates curl git python3 python3-venv)
# The touch screen: fltk-sys builds FLTK from source (cmake, below) against X11, Xft, pango
# and OpenGL; fonts-dejavu-core gives it a font with € and accents.
gui_pkgs=(libx11-dev libxext-dev libxft-dev libxinerama-dev libxcursor-dev libxrender-dev
  libxfixes-dev libpango1.0-dev libcairo2-dev libgl1-mesa-dev libglu1-mesa-dev fonts-dejavu-core)
build_pkgs+=("${gui_pkgs[@]}")
# libfaketime: the ORIGIN-day replay; chromium + chromedriver: the phone browser test;
# mariadb-client: to reach (or provision) the MariaDB the central-database tests use;
# cups: the CUPS printing test (a raw queue to a loopback port); poppler-utils: pdftotext and
# pdfinfo read the exported PDF reports back (tests/admin.rs); xvfb, xdotool, x11-utils,
# imagemagick, xauth: the GUI tests run the real window on a virtual X server, click and type
# with real X events and take the screenshots.
test_pkgs=(libfaketime faketime chromium chromium-driver fonts-dejavu-core mariadb-client cups cups-client poppler-utils
  xvfb xdotool x11-utils imagemagick xauth)

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

# fltk-sys needs cmake >= 3.28; Debian 12 and Raspberry Pi OS ship 3.25. When the machine's is
# missing or older, install a current one from PyPI into a venv of our own (no system change).
ensure_cmake() {
  local v
  v=$(cmake --version 2>/dev/null | head -1 | awk '{print $3}')
  if [ -n "$v" ] && [ "$(printf '%s\n3.28\n' "$v" | sort -V | head -1)" = "3.28" ]; then return; fi
  local venv="${XDG_DATA_HOME:-$HOME/.local/share}/kaching/cmake-venv"
  if [ ! -x "$venv/bin/cmake" ]; then
    echo "==> installing cmake >= 3.28 (PyPI) into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q 'cmake>=3.28'
  fi
  export PATH="$venv/bin:$PATH"
}
ensure_cmake

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
    # The touch screen needs an X display: the Pi's desktop sets DISPLAY=:0. Over SSH with
    # no display, run the demo headless (JSON lines; docs/PROTOCOL.md).
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      if [ -S /tmp/.X11-unix/X0 ]; then export DISPLAY=:0; else
        echo "==> no display found: running the demo headless"
        exec ./target/release/kaching demo --headless
      fi
    fi
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
