//! A small seeded PRNG (xorshift64) for the crash and fault loops: each test prints its seed,
//! and the environment variable it names replays a run.

use std::time::{SystemTime, UNIX_EPOCH};

pub struct Rng(u64, u64);

impl Rng {
    /// Seeded from `var` when set, else from the clock; says which on stderr.
    pub fn from_env(var: &str, what: &str) -> Rng {
        let seed = std::env::var(var)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        eprintln!("{what} seed: {seed} (set {var} to replay)");
        Rng(seed, seed)
    }

    /// From a seed of the caller's (a thread's own stream); a zero seed is made odd.
    pub fn new(seed: u64) -> Rng {
        Rng(seed | 1, seed | 1)
    }

    /// The seed it started from (to print with a failure).
    pub fn seed(&self) -> u64 {
        self.1
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// Uniform in `lo..hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo)
    }
}
