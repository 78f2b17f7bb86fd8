//! Links the `kaching` binary with packed relative relocations (`-z pack-relative-relocs`,
//! DT_RELR) on GNU/Linux.
//!
//! A position-independent Rust binary carries one 24-byte relocation for every pointer in its
//! read-only data (vtables, string tables): 1.4 MiB of them here, which the dynamic loader reads
//! in full at every start, so every process of the till kept them resident. Packed, they take
//! a few kilobytes, and the binary keeps its address-space randomisation (a non-PIE build would
//! need no relocations at all, and would give it up). glibc 2.36 (Debian 12, Raspberry Pi OS
//! bookworm) loads such binaries; binutils 2.38 or later links them, and an older `ld` warns and
//! ignores the option. Measured in docs/BENCHMARKS.md ("The touch-screen till under 30 MB").
//! No crate does this: it is one linker flag, set here rather than in `.cargo/config.toml` so
//! that it applies to this package's binary only and never rebuilds the dependencies.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") == "linux" && var("CARGO_CFG_TARGET_ENV") == "gnu" {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
