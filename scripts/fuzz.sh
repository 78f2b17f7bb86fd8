#!/usr/bin/env bash
# Coverage-guided fuzzing of KACHING's parsers (the crate in fuzz/, cargo-fuzz + libFuzzer):
#
#   scripts/fuzz.sh [SECONDS]     build, then run every target SECONDS each (default 600)
#
# Targets run one after another (FUZZ_JOBS=2 runs two at a time), each on its corpus
# fuzz/corpus/<target> (what it finds is added there; `cargo fuzz cmin` shrinks it again). A
# crash leaves its input in fuzz/artifacts/<target>/ and the run's log in
# fuzz/target/fuzz-logs/<target>.log. At the end: a table (target, runs, exec/s, corpus size,
# crashes), also written to fuzz/target/fuzz-summary.txt; the exit status is non-zero when any
# target crashed (or could not be run).
#
# Needs the nightly toolchain (`rustup toolchain install nightly`) and cargo-fuzz
# (`cargo install cargo-fuzz --locked`). Other settings: FUZZ_TARGETS="a b" (a subset),
# FUZZ_SANITIZER (address by default; `none` is faster to build and run).
set -Eeuo pipefail

fail() {
  echo "fuzz.sh: $1" >&2
  [ -n "${2:-}" ] && echo "fuzz.sh: to fix: $2" >&2
  exit 2
}

seconds="${1:-600}"
case "$seconds" in
  '' | *[!0-9]*) echo "usage: $0 [SECONDS]  (each target runs SECONDS, default 600)" >&2; exit 2 ;;
esac
jobs="${FUZZ_JOBS:-1}"
case "$jobs" in 1 | 2) ;; *) fail "FUZZ_JOBS must be 1 or 2 (got '$jobs')" "FUZZ_JOBS=2 $0 $seconds" ;; esac
sanitizer="${FUZZ_SANITIZER:-address}"

cd "$(dirname "$0")/.." || fail "cannot enter the repository"
[ -f fuzz/Cargo.toml ] || fail "no fuzz/Cargo.toml in $(pwd)" "run scripts/fuzz.sh from a clone of KACHING"
# fltk-sys (a dependency of the library) builds FLTK with cmake >= 3.28: setup.sh's venv has one.
export PATH="${XDG_DATA_HOME:-$HOME/.local/share}/kaching/cmake-venv/bin:$PATH"

command -v cargo >/dev/null 2>&1 || fail "cargo is not installed" "install Rust with rustup (https://rustup.rs), then: rustup toolchain install nightly"
cargo +nightly --version >/dev/null 2>&1 ||
  fail "the nightly Rust toolchain is not installed (cargo-fuzz needs it for libFuzzer's instrumentation)" \
    "rustup toolchain install nightly"
cargo fuzz --version >/dev/null 2>&1 ||
  fail "cargo-fuzz is not installed" "cargo install cargo-fuzz --locked"

targets="${FUZZ_TARGETS:-$(cargo +nightly fuzz list)}"
[ -n "$targets" ] || fail "no fuzz targets found in fuzz/"

# The instrumented build (address sanitizer, coverage counters) of the library and nine targets
# takes about 4.5 GB of disk in fuzz/target: say so before the linker dies of a full disk
# (CI's first fuzz run did, with an LLVM "IO failure on output stream").
need_gb="${FUZZ_NEED_GB:-6}"
mkdir -p fuzz/target
free_gb=$(($(df -Pk fuzz/target | awk 'NR == 2 { print $4 }') / 1024 / 1024))
if [ -z "$(ls -A fuzz/target 2>/dev/null | grep -v fuzz-logs)" ] && [ "$free_gb" -lt "$need_gb" ]; then
  fail "only ${free_gb} GB free on the disk of $(pwd)/fuzz/target; the fuzz build needs about ${need_gb} GB" \
    "free some disk (an old target/ directory: cargo clean), or set FUZZ_NEED_GB to try anyway"
fi

# The same flags for the build and the runs, so a run does not rebuild: debug assertions (and
# so overflow checks) on, as in the tests.
flags=(--debug-assertions --sanitizer "$sanitizer")
echo "==> building the fuzz targets (cargo +nightly fuzz build ${flags[*]})"
cargo +nightly fuzz build "${flags[@]}" || fail "the fuzz crate does not build" "see the compiler's errors above"

logs=fuzz/target/fuzz-logs
mkdir -p "$logs"

# run_one TARGET: fuzzes TARGET for $seconds; its log in $logs/TARGET.log, its exit status in
# $logs/TARGET.rc, the artifacts it had before in $logs/TARGET.before.
run_one() {
  local t="$1"
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  find "fuzz/artifacts/$t" -type f | sort >"$logs/$t.before"
  local rc=0
  cargo +nightly fuzz run "${flags[@]}" "$t" -- \
    -max_total_time="$seconds" -print_final_stats=1 -timeout=25 -rss_limit_mb=2048 \
    >"$logs/$t.log" 2>&1 || rc=$?
  echo "$rc" >"$logs/$t.rc"
}

echo "==> fuzzing each target for ${seconds}s (${jobs} at a time): $(echo $targets | tr '\n' ' ')"
running=()
for t in $targets; do
  if [ "$jobs" -ge 2 ]; then
    run_one "$t" &
    running+=("$!")
    if [ "${#running[@]}" -ge "$jobs" ]; then
      wait "${running[0]}" || true
      running=("${running[@]:1}")
    fi
  else
    echo "    $t"
    run_one "$t"
  fi
done
for pid in "${running[@]}"; do wait "$pid" || true; done

summary=fuzz/target/fuzz-summary.txt
failed=0
printf '%-20s %12s %9s %8s %8s\n' target runs exec/s corpus crashes >"$summary"
for t in $targets; do
  log="$logs/$t.log"
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1 || true)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1 || true)
  corpus=$(find "fuzz/corpus/$t" -type f | wc -l)
  crashes=$(find "fuzz/artifacts/$t" -type f | sort | comm -13 "$logs/$t.before" - | wc -l)
  rc=$(cat "$logs/$t.rc" 2>/dev/null || echo 1)
  if [ "$rc" != 0 ]; then
    failed=1
    [ "$crashes" != 0 ] || crashes="1?"
  fi
  printf '%-20s %12s %9s %8s %8s\n' "$t" "${runs:--}" "${rate:--}" "$corpus" "$crashes" >>"$summary"
done
cat "$summary"
if [ "$failed" != 0 ]; then
  echo "fuzz.sh: a target crashed: its input is in fuzz/artifacts/<target>/, its log in $logs/<target>.log" >&2
  echo "fuzz.sh: reproduce with: cargo +nightly fuzz run ${flags[*]} <target> fuzz/artifacts/<target>/<file>" >&2
  exit 1
fi
echo "==> no crash (${seconds}s per target); summary in $summary"
