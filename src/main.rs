//! `kaching`: see the README. Everything lives in the library; this only sets the allocator up,
//! starts logging and hands over to [`kaching::cli::run`].

use clap::Parser;

/// glibc's malloc raises its mmap threshold to the largest block freed so far (up to 32 MiB),
/// so after the first PIN check every Argon2id hash's 19 MiB came from a heap, where it stayed
/// resident when freed, one more heap's worth at each login (a till went from 30 to 190 MB in 10
/// logins: docs/BENCHMARKS.md, "Memory"). A fixed threshold turns that adjustment off: the
/// 19 MiB is mapped and unmapped by each hash. `KACHING_MALLOC_TUNING=off` leaves glibc's
/// defaults, for the benchmark's baseline (benches/memory.rs).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_malloc() {
    /// Blocks of this size or more get a mapping of their own, given back when freed.
    const MMAP_THRESHOLD: i32 = 256 * 1024;
    if std::env::var_os("KACHING_MALLOC_TUNING").is_some_and(|v| v == "off") {
        return;
    }
    // SAFETY: mallopt only changes the allocator's parameters; it is called before any other
    // thread exists.
    unsafe {
        nix::libc::mallopt(nix::libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_malloc() {}

fn main() {
    tune_malloc();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KACHING_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let cli = kaching::cli::Cli::parse();
    let code = match kaching::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            1
        }
    };
    std::process::exit(code);
}
