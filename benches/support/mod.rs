//! What the benches share: a seeded generator, so every run measures the same data, the
//! machine's load average, printed beside each figure, and a reader of `/proc/PID/status` for
//! the memory benches. Each bench takes what it needs.
#![allow(dead_code)]

/// SplitMix64 (Steele, Lea and Flood): deterministic data from a seed, the same on every run
/// and every machine.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn percent(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// An index drawn with the given weights.
    pub fn weighted(&mut self, weights: &[usize]) -> usize {
        let mut r = self.below(weights.iter().sum());
        for (i, w) in weights.iter().enumerate() {
            if r < *w {
                return i;
            }
            r -= w;
        }
        weights.len() - 1
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Ten random bytes (a UUID's random part, say).
    pub fn bytes10(&mut self) -> [u8; 10] {
        let a = self.next_u64().to_le_bytes();
        let b = self.next_u64().to_le_bytes();
        [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], b[0], b[1]]
    }
}

/// The 1, 5 and 15 minute load averages, as `/proc/loadavg` says them.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// One reading of `/proc/PID/status`, so that the fields compared come from the same moment.
pub struct ProcStatus(String);

impl ProcStatus {
    /// `None` when the process is gone.
    pub fn read(pid: u32) -> Option<ProcStatus> {
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .map(ProcStatus)
    }

    /// A field's number (`VmRSS`, `RssAnon`, `Threads`…), in KiB for the memory fields.
    pub fn get(&self, field: &str) -> Option<u64> {
        self.0
            .lines()
            .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))?
            .split_whitespace()
            .next()?
            .parse()
            .ok()
    }
}
