//! Printing's performance goal, measured (never asserted) and printed as a table:
//! a ticket committed → its last byte at the TCP printer, goal <= 50 ms (p99).
//!
//! The real runtime runs in-process (`Till::start` inside an actix `System`) with
//! `printer.driver = tcp` pointed at a listener in this process, a stand-in for a network
//! receipt printer on port 9100's protocol (it reads every connection to its end and stamps the
//! arrival of the last byte). Each sale is the demo Café (2,50 €) plus a 15 € cash withdrawal,
//! paid in cash: the ticket has the drawer pulse, the QR code and the cut, about 1 KB of ESC/POS.
//! A watcher thread blocked on the till's event stream stamps `sale_committed` the instant it is
//! emitted (after the ledger's COMMIT, `synchronous = FULL`), so the figure is COMMIT → last
//! byte: the print queue read, rendering, the ESC/POS encoding and the TCP connection, write
//! and close. Sales are paced like a shop's (one every `PACE`), so the runtime's threads park
//! in between as at a real till. `pay → last byte` (the commit included) is shown apart.
//!
//! `cargo bench --bench printer`; `KACHING_BENCH_QUICK=1` is a smoke run (fewer sales: not the
//! goal's figure); `KACHING_BENCH_SALES` sets the number of measured sales (500). The method and
//! the figures are in docs/BENCHMARKS.md ("Printing").

mod support;

use std::io::Read;
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::mpsc as std_mpsc;
use std::time::{Duration, Instant};
use support::load_average;

use chrono::Utc;
use tokio::sync::mpsc;

use kaching::actors::{Command, Till, TillEvent};
use kaching::clock::{SharedClock, SystemClock};
use kaching::config::RawSettings;
use kaching::domain::{Account, Money, PaymentMethod, Pin, Role, Staff, StaffId};
use kaching::secrets::{PinHasher, Secret};
use kaching::store::Ledger;

const PACE: Duration = Duration::from_millis(20);
const WARMUP: usize = 20;
const TIMEOUT: Duration = Duration::from_secs(10);
const MS: f64 = 1_000.0;

struct Summary {
    n: usize,
    mean: f64,
    p50: f64,
    p90: f64,
    p99: f64,
    max: f64,
}

/// Nearest-rank percentiles in milliseconds.
fn summarize(samples: &[Duration]) -> Summary {
    let mut v: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * MS).collect();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let pct = |p: f64| {
        if n == 0 {
            return f64::NAN;
        }
        v[((p / 100.0 * n as f64).ceil() as usize).clamp(1, n) - 1]
    };
    Summary {
        n,
        mean: if n == 0 {
            f64::NAN
        } else {
            v.iter().sum::<f64>() / n as f64
        },
        p50: pct(50.0),
        p90: pct(90.0),
        p99: pct(99.0),
        max: pct(100.0),
    }
}

fn row(label: &str, s: &Summary) {
    println!(
        "  {:<40} {:>6} {:>8.3} {:>8.3} {:>8.3} {:>8.3} {:>8.3}",
        label, s.n, s.mean, s.p50, s.p90, s.p99, s.max
    );
}

/// The stand-in printer: every connection is one ticket; sends (bytes, last byte's instant).
fn printer() -> (String, std_mpsc::Receiver<(usize, Instant)>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind the bench printer");
    let addr = listener.local_addr().expect("local address").to_string();
    let (tx, rx) = std_mpsc::channel();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let mut buf = [0u8; 16 * 1024];
            let mut total = 0;
            let mut last = Instant::now();
            loop {
                match conn.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        total += n;
                        last = Instant::now();
                    }
                }
            }
            if tx.send((total, last)).is_err() {
                break;
            }
        }
    });
    (addr, rx)
}

fn main() {
    let quick = std::env::var("KACHING_BENCH_QUICK").is_ok_and(|v| !v.is_empty() && v != "0");
    let sales: usize = std::env::var("KACHING_BENCH_SALES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 50 } else { 500 });
    println!(
        "KACHING printing benchmark: {}",
        if quick {
            "QUICK (smoke) run - figures are NOT comparable with the goal"
        } else {
            "full run"
        }
    );
    println!("load average at start: {}", load_average());

    let dir = tempfile::tempdir().expect("temp dir");
    let hasher = PinHasher::new(Secret::new("bench"));
    {
        let mut ledger = Ledger::open_in(dir.path()).expect("open the ledger");
        let products =
            kaching::domain::catalog::parse_csv(include_bytes!("../config/demo/catalog.csv"))
                .expect("demo catalogue");
        ledger
            .import_products(&products, Utc::now(), None)
            .expect("import the catalogue");
        let admin = Staff {
            id: StaffId::parse("1").expect("staff id"),
            name: "BENCH".into(),
            role: Role::Admin,
            active: true,
            lang: kaching::i18n::Lang::Fr,
        };
        let pin = Pin::parse("1111").expect("pin");
        ledger
            .add_staff(&admin, &hasher.hash(&pin).expect("hash"), Utc::now(), None)
            .expect("add staff");
    }
    let (addr, jobs) = printer();
    let mut raw = RawSettings::default();
    raw.hours.open = "00:00".into();
    raw.hours.close = "23:59".into();
    raw.shop.name = "Épicerie du Bench".into();
    raw.shop.address = "Rue de l'Église 1, 1000 Bruxelles".into();
    raw.printer.driver = "tcp".into();
    raw.printer.target = addr.clone();
    raw.printer.width = 42;
    let settings = raw.validate().expect("bench settings");
    let clock: SharedClock = Arc::new(SystemClock);
    println!(
        "\n== ticket committed -> last byte at the TCP printer ({addr}): {sales} cash sales, one every {PACE:?}"
    );

    let system = actix::System::new();
    let results = system.block_on(async move {
        let till =
            Till::start(settings.runtime(), dir.path(), clock, hasher).expect("start the till");
        // The watcher: stamps each event the moment it is emitted.
        let mut events = till.subscribe();
        let (stamped_tx, mut stamped) = mpsc::unbounded_channel::<(TillEvent, Instant)>();
        std::thread::spawn(move || {
            while let Some(e) = events.blocking_recv() {
                if stamped_tx.send((e, Instant::now())).is_err() {
                    break;
                }
            }
        });
        till.execute(Command::Login {
            id: "1".into(),
            pin: "1111".into(),
        })
        .await;
        let mut committed_to_byte = Vec::new();
        let mut pay_to_byte = Vec::new();
        let mut pay_to_commit = Vec::new();
        let mut bytes = 0;
        for i in 0..WARMUP + sales {
            tokio::time::sleep(PACE).await;
            till.execute(Command::Scan("0000".into())).await;
            till.execute(Command::Withdraw(Money::from_cents(1500)))
                .await;
            let pay = Instant::now();
            till.execute(Command::Pay {
                account: Account::Main,
                method: PaymentMethod::Cash,
                tendered: Some(Money::from_cents(2000)),
            })
            .await;
            let mut committed = None;
            let mut printed = false;
            while committed.is_none() || !printed {
                let Ok(Some((e, at))) = tokio::time::timeout(TIMEOUT, stamped.recv()).await else {
                    panic!("sale {i}: no sale_committed / printed within {TIMEOUT:?}");
                };
                match e {
                    TillEvent::SaleCommitted { .. } => committed = Some(at),
                    TillEvent::Printed { .. } => printed = true,
                    TillEvent::PrintFailed { reason, .. } => panic!("print failed: {reason}"),
                    _ => {}
                }
            }
            let (n, last_byte) = jobs
                .recv_timeout(TIMEOUT)
                .expect("the ticket at the printer");
            let Some(committed) = committed else {
                continue;
            };
            if i >= WARMUP {
                bytes = n;
                committed_to_byte.push(last_byte.saturating_duration_since(committed));
                pay_to_byte.push(last_byte.saturating_duration_since(pay));
                pay_to_commit.push(committed.saturating_duration_since(pay));
            }
        }
        actix::System::current().stop();
        (committed_to_byte, pay_to_byte, pay_to_commit, bytes)
    });
    let (committed_to_byte, pay_to_byte, pay_to_commit, bytes) = results;
    println!(
        "  {:<40} {:>6} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "(ms)", "n", "mean", "p50", "p90", "p99", "max"
    );
    let goal = summarize(&committed_to_byte);
    row("committed -> last byte (the goal)", &goal);
    row("pay command -> last byte", &summarize(&pay_to_byte));
    row("pay command -> sale_committed", &summarize(&pay_to_commit));
    println!("  ticket size: {bytes} bytes of ESC/POS");
    println!(
        "  goal committed -> last byte p99 <= 50 ms: {} ({:.3} ms)",
        if goal.p99 <= 50.0 { "MET" } else { "NOT MET" },
        goal.p99
    );
    println!("\nload average at end: {}", load_average());
}
