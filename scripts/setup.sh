#!/usr/bin/env bash
# Sets up a fresh Debian / Raspberry Pi OS machine for KACHING and runs one of its jobs:
#
#   scripts/setup.sh deps   install what the tests and the till need, build nothing
#   scripts/setup.sh demo   install what the till needs, build it, run `kaching demo`
#   scripts/setup.sh test   install what the tests need (schemathesis too), run the whole test suite
#
# Safe to run again: it installs only what is missing. Uses sudo when not run as root.
#
# It never fails silently: every step that can fail says in one line what failed and what to
# do, and the script exits non-zero. A command that fails where no step expected it is named
# with its line by the ERR trap below. (The first version died without a word, exit 127, on a
# machine without cmake: `cmake --version | …` under `set -o pipefail`.)
set -Eeuo pipefail

say() { echo "==> $*"; }
# fail WHAT FIX: one line saying what failed and what to do, then exit 1.
fail() {
  trap - ERR
  echo "setup.sh: $1" >&2
  [ -n "${2:-}" ] && echo "setup.sh: to fix: $2" >&2
  exit 1
}
trap 'rc=$?; trap - ERR; echo "setup.sh: line $LINENO: \`$BASH_COMMAND\` failed (exit $rc); nothing after it was done" >&2; exit $rc' ERR

job="${1:-}"
case "$job" in
  deps|demo|test) ;;
  *) echo "usage: $0 deps|demo|test" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.." || fail "cannot enter the repository" "run the script from a clone of KACHING"
[ -f Cargo.toml ] || fail "no Cargo.toml in $(pwd)" "run scripts/setup.sh from a clone of KACHING"
: "${HOME:?setup.sh: HOME is not set; set it to your home directory}"

# Daemons and admin tools (cupsd, lpadmin, mariadbd, start-stop-daemon) live in the sbin
# directories, which a user's PATH (or `env -i PATH=/usr/bin:/bin`) does not have.
for d in /usr/local/sbin /usr/sbin /sbin; do
  case ":$PATH:" in *":$d:"*) ;; *) PATH="$PATH:$d" ;; esac
done
export PATH

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || fail "not root and no sudo: cannot install Debian packages" \
    "run as root, or install sudo and add yourself to the sudo group"
  SUDO="sudo"
fi

# version_ge A B: true when version A >= version B (dotted numbers; a suffix like -rc1 ignored).
version_ge() {
  local IFS=.
  local -a a b
  read -r -a a <<<"${1%%[!0-9.]*}"
  read -r -a b <<<"${2%%[!0-9.]*}"
  local i
  for i in 0 1 2; do
    local x="${a[i]:-0}" y="${b[i]:-0}"
    if ((10#$x > 10#$y)); then return 0; fi
    if ((10#$x < 10#$y)); then return 1; fi
  done
  return 0
}

# The version a cmake binary reports ("cmake version 3.25.1" → 3.25.1), empty when it does not
# run. Never fails: a missing or broken cmake is an answer, not an error.
cmake_version() {
  local out
  out=$("$1" --version 2>/dev/null) || true
  out=${out%%$'\n'*}
  case "$out" in
    "cmake version "*) echo "${out#cmake version }" ;;
    *) echo "" ;;
  esac
}

# Debian packages each job needs. The ledger's SQLite is compiled in (rusqlite "bundled").
build_pkgs=(build-essential pkg-config ca-certificates curl git python3 python3-venv)
# The touch screen: fltk-sys builds FLTK from source (cmake, below) against X11 and Xft (text;
# without pango and cairo: Cargo.toml) and OpenGL;
# fonts-dejavu-core gives it a font with €, accents and every symbol the till shows.
gui_pkgs=(libx11-dev libxext-dev libxft-dev libxinerama-dev libxcursor-dev libxrender-dev
  libxfixes-dev libgl1-mesa-dev libglu1-mesa-dev fonts-dejavu-core)
build_pkgs+=("${gui_pkgs[@]}")
# libfaketime: the ORIGIN-day replay and the demo at 21:30; chromium + chromedriver: the phone
# browser test; mariadb-client: to reach (or provision) the MariaDB the central-database tests
# use; cups: the CUPS printing test (a raw queue to a loopback port); poppler-utils: pdftotext
# and pdfinfo read the exported PDF reports back (tests/admin.rs); xvfb, xdotool, x11-utils,
# imagemagick, xauth: the GUI tests run the real window on a virtual X server, click and type
# with real X events and take the screenshots; fontconfig (fc-match): tests/footprint.rs checks
# that the font the screen draws with has every glyph it shows; systemd (systemd-analyze) and
# dpkg-dev: the package test verifies the units and installs the .deb; haproxy: three
# pay-servers behind a load balancer (tests/pay_haproxy.rs, benches/load_pay.rs run their own
# in the foreground; Debian's haproxy service, with its stock configuration, listens on
# nothing).
test_pkgs=(libfaketime faketime chromium chromium-driver fonts-dejavu-core fontconfig mariadb-client
  cups cups-client poppler-utils xvfb xdotool x11-utils imagemagick xauth systemd dpkg-dev haproxy)

install_debian_packages() {
  command -v dpkg-query >/dev/null 2>&1 || fail "dpkg-query not found: this is not a Debian-like system" \
    "use Debian 12 or Raspberry Pi OS (bookworm), or install the packages listed in scripts/setup.sh by hand"
  local missing=() want=("${build_pkgs[@]}") p
  if [ "$job" != demo ]; then want+=("${test_pkgs[@]}"); fi
  for p in "${want[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    say "Debian packages: all present"
    return
  fi
  say "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq ||
    fail "apt-get update failed" "check the network and /etc/apt/sources.list, then run this again"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" ||
    fail "apt-get install failed for: ${missing[*]}" \
      "read apt's message above (a full disk, a held package, no network); fix it and run this again"
}

# Rust, through rustup, when the machine has none.
ensure_rust() {
  local cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
  if ! command -v cargo >/dev/null 2>&1; then
    if [ -x "$cargo_bin/cargo" ]; then
      export PATH="$cargo_bin:$PATH"
    else
      say "installing Rust (rustup, stable)"
      curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal -c clippy,rustfmt ||
        fail "installing Rust with rustup failed" \
          "install Rust from https://rustup.rs by hand (or set PATH/CARGO_HOME/RUSTUP_HOME to an installed toolchain)"
      export PATH="$cargo_bin:$PATH"
    fi
  fi
  cargo --version >/dev/null 2>&1 ||
    fail "cargo is on PATH but does not run ($(command -v cargo))" \
      "run \`rustup default stable\`, or set RUSTUP_HOME to where the toolchain is installed"
  say "Rust: $(cargo --version)"
}

# fltk-sys needs cmake >= 3.28; Debian 12 and Raspberry Pi OS ship 3.25. When the machine's is
# missing or older, install a current one from PyPI into a venv of our own (no system change),
# and put it first on PATH for the build.
CMAKE_VENV="${XDG_DATA_HOME:-$HOME/.local/share}/kaching/cmake-venv"
ensure_cmake() {
  local v=""
  if command -v cmake >/dev/null 2>&1; then v=$(cmake_version cmake); fi
  if [ -n "$v" ] && version_ge "$v" 3.28; then
    say "cmake $v ($(command -v cmake))"
    return
  fi
  if [ -n "$v" ]; then say "cmake $v is older than the 3.28 FLTK needs"; else say "no cmake on PATH"; fi
  local have=""
  if [ -x "$CMAKE_VENV/bin/cmake" ]; then have=$(cmake_version "$CMAKE_VENV/bin/cmake"); fi
  if [ -z "$have" ] || ! version_ge "$have" 3.28; then
    say "installing cmake >= 3.28 (PyPI) into $CMAKE_VENV"
    rm -rf "$CMAKE_VENV"
    python3 -m venv "$CMAKE_VENV" ||
      fail "python3 -m venv $CMAKE_VENV failed" "install python3-venv (apt-get install python3-venv) and run this again"
    "$CMAKE_VENV/bin/pip" install -q --disable-pip-version-check 'cmake>=3.28' ||
      fail "pip could not install cmake >= 3.28 from PyPI" \
        "check that PyPI is reachable (or its mirror in pip.conf), or install cmake >= 3.28 yourself and put it first on PATH"
    have=$(cmake_version "$CMAKE_VENV/bin/cmake")
    { [ -n "$have" ] && version_ge "$have" 3.28; } ||
      fail "the cmake installed in $CMAKE_VENV does not run or is older than 3.28 ('$have')" \
        "remove $CMAKE_VENV and run this again"
  fi
  export PATH="$CMAKE_VENV/bin:$PATH"
  say "cmake $have ($CMAKE_VENV/bin/cmake; put that directory first on PATH to build by hand)"
}

# schemathesis (PyPI) drives tests/schemathesis.rs: generated requests against a real payment
# server, every answer checked against its OpenAPI document. A pinned version in a venv of its
# own, like cmake's; the test finds it through KACHING_SCHEMATHESIS.
SCHEMATHESIS_VERSION=4.32.5
SCHEMATHESIS_VENV="${XDG_DATA_HOME:-$HOME/.local/share}/kaching/schemathesis-venv"
# The version an `st` program reports ("st, version 4.32.5" → 4.32.5), empty when it does not run.
st_version() {
  local out
  out=$("$1" --version 2>/dev/null) || true
  case "$out" in
    "st, version "*) echo "${out#st, version }" ;;
    *) echo "" ;;
  esac
}
ensure_schemathesis() {
  local st="$SCHEMATHESIS_VENV/bin/st" have=""
  if [ -x "$st" ]; then have=$(st_version "$st"); fi
  if [ "$have" != "$SCHEMATHESIS_VERSION" ]; then
    say "installing schemathesis $SCHEMATHESIS_VERSION (PyPI) into $SCHEMATHESIS_VENV"
    rm -rf "$SCHEMATHESIS_VENV"
    python3 -m venv "$SCHEMATHESIS_VENV" ||
      fail "python3 -m venv $SCHEMATHESIS_VENV failed" "install python3-venv (apt-get install python3-venv) and run this again"
    "$SCHEMATHESIS_VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" ||
      fail "pip could not install schemathesis $SCHEMATHESIS_VERSION from PyPI" \
        "check that PyPI is reachable (or its mirror in pip.conf), then run this again"
    have=$(st_version "$st")
    [ "$have" = "$SCHEMATHESIS_VERSION" ] ||
      fail "the schemathesis installed in $SCHEMATHESIS_VENV does not run or is not $SCHEMATHESIS_VERSION ('$have')" \
        "remove $SCHEMATHESIS_VENV and run this again"
  fi
  export KACHING_SCHEMATHESIS="$st"
  say "schemathesis $have ($st)"
}

# cargo-deb builds the Debian package (scripts/build-deb.sh); the package test needs it.
ensure_cargo_deb() {
  if cargo deb --version >/dev/null 2>&1; then
    say "cargo-deb: $(cargo deb --version 2>/dev/null | head -n1 || true)"
    return
  fi
  say "installing cargo-deb (crates.io)"
  cargo install --locked --quiet cargo-deb ||
    fail "cargo install cargo-deb failed" "check that crates.io is reachable, then run this again"
}

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
    say "installing MariaDB server"
    $SUDO apt-get update -qq || fail "apt-get update failed" "check the network and apt sources"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq mariadb-server ||
      fail "apt-get install mariadb-server failed" "install it by hand, or set KACHING_TEST_MYSQL_URL to a server the tests may use"
  fi
  if ! mariadb-admin ping >/dev/null 2>&1 && ! $SUDO mariadb-admin ping >/dev/null 2>&1; then
    say "starting MariaDB"
    $SUDO service mariadb start >/dev/null 2>&1 ||
      $SUDO start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql ||
      true
    local _
    for _ in $(seq 1 60); do
      $SUDO mariadb-admin ping >/dev/null 2>&1 && break
      sleep 0.5
    done
    $SUDO mariadb-admin ping >/dev/null 2>&1 ||
      fail "MariaDB did not start within 30 s" "see /var/log/mysql/ or journalctl -u mariadb; or set KACHING_TEST_MYSQL_URL"
  fi
  # A dedicated user for the tests (root on Debian authenticates by socket only).
  $SUDO mariadb -e "CREATE USER IF NOT EXISTS 'kaching_test'@'127.0.0.1' IDENTIFIED BY 'kaching_test';
    GRANT ALL PRIVILEGES ON *.* TO 'kaching_test'@'127.0.0.1'; FLUSH PRIVILEGES;" ||
    fail "could not create the kaching_test user on the local MariaDB" "set KACHING_TEST_MYSQL_URL to a server the tests may use"
  export KACHING_TEST_MYSQL_URL="mysql://kaching_test:kaching_test@127.0.0.1:3306"
}

# x_answers SOCKET: true when an X server listens on that Unix socket (a connect succeeds).
x_answers() {
  [ -S "$1" ] || return 1
  python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(2)
s.connect(sys.argv[1])' "$1" 2>/dev/null
}

install_debian_packages
ensure_rust
ensure_cmake
if [ "$job" != demo ]; then ensure_cargo_deb; fi

case "$job" in
  deps)
    say "dependencies ready (nothing built)"
    ;;
  demo)
    say "building (release)"
    cargo build --release --locked || fail "the build failed" "read the compiler's message above"
    # The touch screen needs an X display: the Pi's desktop sets DISPLAY=:0. Over SSH with
    # no display, run the demo headless (JSON lines; docs/PROTOCOL.md).
    # A socket left behind by an X server that is gone does not count: it must answer.
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      if x_answers /tmp/.X11-unix/X0; then export DISPLAY=:0; else
        say "no display found: running the demo headless (type commands, e.g. login 14 1414)"
        exec ./target/release/kaching demo --headless
      fi
    fi
    exec ./target/release/kaching demo
    ;;
  test)
    ensure_mariadb
    ensure_schemathesis
    # The CUPS test creates a queue: the scheduler must run (and lpadmin needs root).
    if ! lpstat -r 2>/dev/null | grep -q "scheduler is running"; then
      $SUDO cupsd || say "warning: cupsd did not start: the CUPS tests will say why (is the cups package installed?)"
    fi
    # The package test (tests/package.rs) builds the .deb from the release build: build it
    # here, once, before the tests run.
    say "building (release, for the package test)"
    cargo build --release --locked || fail "the release build failed" "read the compiler's message above"
    say "running the test suite (MariaDB: ${KACHING_TEST_MYSQL_URL%%@*}@…)"
    cargo test --locked --no-fail-fast || fail "some tests failed" "read the failures above; each names what it needs"
    ;;
esac
