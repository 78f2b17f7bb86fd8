//! The till's resident memory, measured (never asserted) on the real binary and printed. Goal
//! (issue 16): **≤ 30 MB resident after 10 logins and a 100-line basket**.
//!
//! Each case starts `kaching till --headless` (the tests' environment: no central database, the
//! test pepper, a shop open all day) on a data dir seeded by `kaching demo --seed-only` with 100
//! more articles imported, then through the headless protocol: 10 logins of the five demo staff
//! in turn (each an Argon2id PIN check: 19 MiB), the first nine followed by a logout, then 100
//! different articles scanned into the tenth session's basket, then a logout. `VmRSS`, `VmHWM`
//! (the peak), `RssAnon`, `RssFile` and `Threads` are read from `/proc/PID/status` after each
//! step's answer.
//!
//! Every case runs twice in the same run: as shipped, and with `KACHING_MALLOC_TUNING=off`
//! (glibc's malloc left at its defaults: the baseline, before issue 16's fix), with and without
//! the till's own LAN payment server (`payment.lan_bind`, on by default in a shop: here on
//! `127.0.0.1:0`). `kaching demo --headless` on a fresh data dir is measured too: it seeds the
//! five demo PIN hashes and then runs the till in the same process.
//!
//! `cargo bench --bench memory` runs it all (about 20 s after the build);
//! `cargo bench --bench memory -- demo` (or `till`) one part. `KACHING_BENCH_BIN` measures
//! another build (e.g. `target/dist/kaching`). The figures are in docs/BENCHMARKS.md.

#[path = "../tests/common/mod.rs"]
mod common;
mod support;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

/// Staff of `kaching demo` (id, PIN), logged in in turn.
const STAFF: [(&str, &str); 5] = [
    ("1", "1111"),
    ("2", "2222"),
    ("10", "1010"),
    ("14", "1414"),
    ("27", "2727"),
];
const LOGINS: usize = 10;
const LINES: usize = 100;
const GOAL_MB: f64 = 30.0;

/// One reading of `/proc/PID/status`, in KiB (threads: a count).
#[derive(Clone, Copy, Default)]
struct Mem {
    rss: u64,
    hwm: u64,
    anon: u64,
    file: u64,
    threads: u64,
}

fn mem(pid: u32) -> Mem {
    let status = support::ProcStatus::read(pid).expect("proc status");
    let field = |name: &str| status.get(name).unwrap_or(0);
    Mem {
        rss: field("VmRSS"),
        hwm: field("VmHWM"),
        anon: field("RssAnon"),
        file: field("RssFile"),
        threads: field("Threads"),
    }
}

fn mb(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn row(step: &str, m: Mem) {
    println!(
        "  {step:<34} {:>8.1} {:>8.1} {:>8.1} {:>8.1} {:>7}",
        mb(m.rss),
        mb(m.hwm),
        mb(m.anon),
        mb(m.file),
        m.threads
    );
}

fn header(title: &str) {
    println!();
    println!("{title}");
    println!(
        "  {:<34} {:>8} {:>8} {:>8} {:>8} {:>7}",
        "(MiB)", "VmRSS", "VmHWM", "RssAnon", "RssFile", "threads"
    );
}

/// A `kaching` command as the tests build it, for a shop open all day, with the fix on or off
/// and the LAN payment server on or off.
fn command(dir: &Path, tuned: bool, lan: bool) -> Command {
    let mut c = common::kaching(dir);
    c.env("KACHING_HOURS__OPEN", "00:00")
        .env("KACHING_HOURS__CLOSE", "24:00");
    if !tuned {
        c.env("KACHING_MALLOC_TUNING", "off");
    }
    if lan {
        c.env("KACHING_PAYMENT__LAN_BIND", "127.0.0.1:0");
    }
    c
}

/// A data dir with the demo shop and 100 more articles (codes 5001-5100).
fn seeded() -> tempfile::TempDir {
    let dir = common::seeded_dir();
    let csv = dir.path().join("more.csv");
    let mut text = "code,barcode,name,price,vat_rate\n".to_owned();
    for i in 1..=LINES {
        text.push_str(&format!(
            "{},,Article {i},{}.{:02},21\n",
            5000 + i,
            1 + i % 9,
            i % 100
        ));
    }
    std::fs::write(&csv, text).expect("csv");
    let o = common::run(
        dir.path(),
        &["catalog", "import", csv.to_str().expect("path")],
        "",
    );
    assert!(o.status.success(), "import: {}", common::stderr(&o));
    dir
}

/// What a case ends with, for the summary.
struct Outcome {
    label: String,
    ready: Mem,
    after_logins: Mem,
    after_basket: Mem,
}

fn till_case(tuned: bool, lan: bool) -> Outcome {
    let label = format!(
        "{}, {}",
        if tuned {
            "as shipped"
        } else {
            "baseline (KACHING_MALLOC_TUNING=off)"
        },
        if lan {
            "LAN payment server on"
        } else {
            "no LAN payment server"
        }
    );
    header(&format!("kaching till --headless: {label}"));
    let dir = seeded();
    let mut till = common::Till::start_with(command(dir.path(), tuned, lan));
    let pid = till.child.id();
    let ready = mem(pid);
    row("ready (before any login)", ready);
    let mut after_logins = ready;
    for i in 0..LOGINS {
        let (id, pin) = STAFF[i % STAFF.len()];
        till.send(&format!("login {id} {pin}"));
        till.wait_for("logged_in");
        after_logins = mem(pid);
        row(&format!("login {} (staff {id})", i + 1), after_logins);
        if i + 1 < LOGINS {
            till.send("logout");
            till.wait_for("logged_out");
        }
    }
    for i in 1..=LINES {
        till.send(&format!("scan {}", 5000 + i));
        let ev = till.wait_for("basket");
        assert_eq!(ev["lines"].as_array().map(Vec::len), Some(i), "{ev}");
    }
    let after_basket = mem(pid);
    row(&format!("{LINES}-line basket"), after_basket);
    till.send("logout");
    till.wait_for("logged_out");
    row("logged out", mem(pid));
    till.quit();
    Outcome {
        label,
        ready,
        after_logins,
        after_basket,
    }
}

/// `kaching demo --headless` on a fresh data dir: five PIN hashes, then the till, in one process.
fn demo_case(tuned: bool) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cmd = command(dir.path(), tuned, false);
    let mut child = cmd
        .args(["demo", "--headless"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn kaching demo");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    while !line.contains("\"ready\"") {
        line.clear();
        assert!(
            out.read_line(&mut line).expect("read") > 0,
            "demo exited before ready"
        );
    }
    row(
        if tuned {
            "demo seeded, till ready: as shipped"
        } else {
            "demo seeded, till ready: baseline"
        },
        mem(child.id()),
    );
    let mut stdin = child.stdin.take().expect("stdin");
    let _ = writeln!(stdin, "quit");
    drop(stdin);
    let _ = child.wait();
}

fn main() {
    let wanted: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let runs = |name: &str| wanted.is_empty() || wanted.iter().any(|w| name.contains(w.as_str()));
    let bin = std::env::var("KACHING_BENCH_BIN").unwrap_or_else(|_| common::BIN.to_owned());
    println!("KACHING till memory: {bin}");
    if runs("demo") {
        header("kaching demo --headless on a fresh data dir (5 PIN hashes, then the till)");
        demo_case(false);
        demo_case(true);
    }
    if runs("till") {
        let mut outcomes = Vec::new();
        for lan in [false, true] {
            for tuned in [false, true] {
                outcomes.push(till_case(tuned, lan));
            }
        }
        println!();
        println!(
            "goal: <= {GOAL_MB:.0} MB resident after {LOGINS} logins and a {LINES}-line basket (MB = MiB here, as /proc counts)"
        );
        for o in &outcomes {
            let met = mb(o.after_basket.rss) <= GOAL_MB;
            println!(
                "  {:<58} ready {:>5.1}, after logins {:>5.1}, after basket {:>5.1} (peak {:>5.1}): {}",
                o.label,
                mb(o.ready.rss),
                mb(o.after_logins.rss),
                mb(o.after_basket.rss),
                mb(o.after_basket.hwm),
                if met { "MET" } else { "NOT MET" }
            );
        }
    }
}
