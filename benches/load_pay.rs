//! The load bench's payment half (issue 16, part 5): three `kaching pay-server` processes
//! behind HAProxy on one MariaDB database, many simulated customers at once for a fixed time,
//! one pay-server killed (SIGKILL) half-way. Measured and printed, never asserted.
//!
//! Each simulated customer loops over one whole payment, each step timed:
//! 1. `create`: its till creates the intent (`PayClient::create`, signed, through HAProxy; the
//!    client retries by itself as a till does);
//! 2. `stream`: the till opens the intent's event stream and reads its first state;
//! 3. `page`: the customer's phone loads the payment page;
//! 4. `confirm`: the phone posts « Valider le paiement » (303);
//! 5. `paid`: from that POST sent to `paid` on the till's stream.
//!
//! A phone whose page or confirmation fails (a 5xx from HAProxy, a broken connection) tries
//! again like a person reloading (up to 3 more times, 200 ms apart); a confirmation retried after
//! one that did go through answers 409 « déjà validé », which counts as confirmed. A till whose
//! stream breaks reconnects through HAProxy (another server reads the state from the shared
//! database). Every intent the customer saw confirmed must end `paid` in the database: the
//! bench counts those that did not (lost) after the run.
//!
//! Each customer has a loopback address of its own (127.0.1.x), so HAProxy's X-Forwarded-For
//! differs per customer and the pay-servers, trusting 127.0.0.1/32, key their rate limiter on
//! it; the limiter is opened wide (the figures are the servers', not the quota's).
//!
//! `cargo bench --bench load_pay`. Knobs: `KACHING_BENCH_CUSTOMERS` (200), `KACHING_BENCH_SECS`
//! (30), `KACHING_BENCH_QUICK=1` (20 customers, 8 s: a smoke run), `KACHING_TEST_MYSQL_URL`
//! (the MariaDB server, default `mysql://root@127.0.0.1:3306`; a fresh database is created and
//! dropped), `KACHING_BENCH_NO_KILL=1` (no server killed). Needs HAProxy (scripts/setup.sh).
//! The figures are in docs/BENCHMARKS.md.

#[path = "../tests/common/mod.rs"]
mod common;
mod support;

use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::load_average;

use futures_util::StreamExt;
use kaching::clock::{SharedClock, SystemClock};
use kaching::pay_web::api::{CreateIntent, IntentLine, IntentStatus};
use kaching::pay_web::client::PayClient;
use kaching::secrets::Secret;

use common::haproxy::{Haproxy, PayFleet};
use common::mysql::TestDb;

/// Which pay-server dies half-way (0-based).
const VICTIM: usize = 1;
/// A customer who has not seen `paid` this long after confirming gives up on that payment.
const PAID_TIMEOUT: Duration = Duration::from_secs(20);
/// Threads running the customers.
const LOAD_THREADS: usize = 2;
/// A phone tries a failed page load or confirmation this many times in all.
const PHONE_ATTEMPTS: usize = 4;

fn env_usize(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

fn flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0")
}

fn main() {
    let quick = flag("KACHING_BENCH_QUICK");
    let customers = env_usize("KACHING_BENCH_CUSTOMERS").unwrap_or(if quick { 20 } else { 200 });
    let secs = env_usize("KACHING_BENCH_SECS").unwrap_or(if quick { 8 } else { 30 });
    let kill = !flag("KACHING_BENCH_NO_KILL");
    let wanted: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if !wanted.is_empty() && !wanted.iter().any(|w| "load_pay".contains(w.as_str())) {
        return;
    }
    println!(
        "KACHING pay load bench: {customers} customers, {secs} s{}{}",
        if kill {
            format!(", pay{} killed at {} s", VICTIM + 1, secs / 2)
        } else {
            String::new()
        },
        if quick { " - QUICK (smoke) run" } else { "" }
    );
    println!(
        "nproc {}, load average at start: {}, {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load_average(),
        haproxy_version()
    );

    let db = TestDb::create();
    // Three servers with 2 workers each share one MariaDB, which other work may be using too
    // (151 connections by default): 12 each.
    let db_url = db.url.replace("pool_max=6", "pool_max=12");
    let port = common::free_port();
    let env = [
        (
            "KACHING_PAY_SERVER__PUBLIC_URL",
            format!("http://127.0.0.1:{port}"),
        ),
        ("KACHING_PAY_SERVER__TRUSTED_PROXIES", "127.0.0.1/32".into()),
        ("KACHING_PAY_SERVER__RATE_PER_SECOND", "1000000".into()),
        ("KACHING_PAY_SERVER__RATE_BURST", "1000000".into()),
        ("KACHING_LOG", "error".into()),
    ];
    let mut fleet = PayFleet::start(&[db_url.clone(), db_url.clone(), db_url], &env);
    let lb = Haproxy::start_with(port, &fleet.addrs(), common::haproxy::README_CHECKS);
    for n in 1..=3 {
        lb.wait_status(n, "UP", Duration::from_secs(10));
    }
    let bin = std::env::var("KACHING_BENCH_BIN").unwrap_or_else(|_| common::BIN.to_owned());
    println!(
        "pay-servers {} ({} build of {}, 2 workers each), HAProxy on {}, MariaDB database {}",
        fleet
            .addrs()
            .iter()
            .map(|a| a.to_string())
            .collect::<Vec<_>>()
            .join(" "),
        if bin.contains("/release/") {
            "release"
        } else {
            "debug"
        },
        bin,
        lb.addr,
        db.name
    );

    // The customers run on two threads, each a tokio runtime of its own (like benches/pay.rs).
    let stats = Arc::new(Stats::default());
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let threads: Vec<_> = (0..LOAD_THREADS)
        .map(|t| {
            let (stats, stop, url, secret) = (
                stats.clone(),
                stop.clone(),
                lb.url.clone(),
                fleet.secret.clone(),
            );
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async move {
                    let mut set = tokio::task::JoinSet::new();
                    for i in (t..customers).step_by(LOAD_THREADS) {
                        let customer = Customer::new(i, &url, &secret);
                        set.spawn(customer.run(stats.clone(), stop.clone()));
                    }
                    while set.join_next().await.is_some() {}
                });
            })
        })
        .collect();
    let duration = Duration::from_secs(secs as u64);
    let mut killed_at = None;
    while started.elapsed() < duration {
        std::thread::sleep(Duration::from_millis(100));
        if kill && killed_at.is_none() && started.elapsed() >= duration / 2 {
            fleet.kill(VICTIM);
            killed_at = Some(started.elapsed());
            stats.mark_kill();
        }
    }
    stop.store(true, Ordering::SeqCst);
    let measured = started.elapsed();
    // Payments under way finish (or time out: PAID_TIMEOUT).
    for t in threads {
        t.join().expect("load thread");
    }
    let drained = started.elapsed();
    let servers = lb.servers();
    let server_errors: Vec<Vec<(usize, String)>> = (0..3).map(|i| fleet.errors(i)).collect();

    report(&stats, measured, drained, killed_at, &servers, &db);
    for (i, errors) in server_errors.iter().enumerate() {
        let total: usize = errors.iter().map(|(n, _)| n).sum();
        println!("pay{} logged {total} error(s)", i + 1);
        for (n, text) in errors.iter().take(4) {
            println!("  {n} x {}", text.chars().take(220).collect::<String>());
        }
    }
    println!("load average at end: {}", load_average());
}

fn haproxy_version() -> String {
    std::process::Command::new(common::haproxy::binary())
        .arg("-v")
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "HAProxy ?".into())
}

// ---------------------------------------------------------------------------------------------
// What the customers record.

#[derive(Default)]
struct Stats {
    create: Mutex<Vec<Duration>>,
    stream: Mutex<Vec<Duration>>,
    page: Mutex<Vec<Duration>>,
    confirm: Mutex<Vec<Duration>>,
    paid: Mutex<Vec<Duration>>,
    /// Intents the customer saw confirmed (303, or 409 « already paid » on a retry).
    confirmed: Mutex<Vec<String>>,
    /// Payments whose `paid` the till saw.
    completed: AtomicU64,
    /// Steps that failed for good, by step.
    errors: Mutex<Vec<(&'static str, String)>>,
    /// Phone requests tried again, and those retries that then worked.
    phone_retries: AtomicU64,
    phone_retried_ok: AtomicU64,
    /// Confirmations whose retry found the intent already paid (the first attempt went through).
    confirm_already_paid: AtomicU64,
    /// Event streams that broke before `paid` and were reopened.
    stream_reconnects: AtomicU64,
    /// Event streams that could not be opened at the first try.
    stream_retries: AtomicU64,
    /// Payments completed after the kill that had a retry or a reconnection.
    survived_kill: AtomicU64,
    killed: AtomicBool,
}

impl Stats {
    fn push(&self, v: &Mutex<Vec<Duration>>, d: Duration) {
        v.lock().unwrap().push(d);
    }
    fn error(&self, step: &'static str, e: String) {
        self.errors.lock().unwrap().push((step, e));
    }
    fn mark_kill(&self) {
        self.killed.store(true, Ordering::SeqCst);
    }
}

/// One customer after another at one till: a PayClient (the till) and a phone with a loopback
/// address of its own.
struct Customer {
    n: usize,
    till: PayClient,
    phone: reqwest::Client,
}

impl Customer {
    fn new(n: usize, base: &str, secret: &str) -> Customer {
        let clock: SharedClock = Arc::new(SystemClock);
        let till =
            PayClient::new(base, "till-1", Secret::new(secret), clock).expect("the till's client");
        // 127.0.1.1, 127.0.1.2, … (127.0.2.x past 250): another customer each.
        let addr = IpAddr::V4(Ipv4Addr::new(
            127,
            0,
            1 + (n / 250) as u8,
            1 + (n % 250) as u8,
        ));
        let phone = reqwest::Client::builder()
            .local_address(addr)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .expect("the phone's client");
        Customer { n, till, phone }
    }

    async fn run(self, stats: Arc<Stats>, stop: Arc<AtomicBool>) {
        let mut round = 0usize;
        while !stop.load(Ordering::SeqCst) {
            self.pay_once(round, &stats).await;
            round += 1;
        }
    }

    /// One whole payment. Failures are recorded, never fatal.
    async fn pay_once(&self, round: usize, stats: &Stats) {
        let mut bumpy = false;
        let t = Instant::now();
        let view = match self.till.create(&intent(self.n, round)).await {
            Ok(v) => v,
            Err(e) => return stats.error("create", e.to_string()),
        };
        stats.push(&stats.create, t.elapsed());
        let id = view.intent_id.clone();

        // The till opens the stream as its payment actor does: again after a failure, 250 ms
        // later, doubling up to 5 s, until the customer would have given up.
        let t = Instant::now();
        let mut delay = Duration::from_millis(250);
        let mut events = loop {
            let failure = match self.till.events(&id).await {
                Ok(s) => {
                    let mut s = Box::pin(s);
                    match s.next().await {
                        Some(Ok(v)) if v.status == IntentStatus::Pending => break s,
                        other => format!("first state: {other:?}"),
                    }
                }
                Err(e) => e.to_string(),
            };
            if t.elapsed() + delay > PAID_TIMEOUT {
                return stats.error("stream", failure);
            }
            stats.stream_retries.fetch_add(1, Ordering::Relaxed);
            bumpy = true;
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(5));
        };
        stats.push(&stats.stream, t.elapsed());

        let t = Instant::now();
        let (form, retried) = match self.phone_page(&view.pay_url, stats).await {
            Ok(f) => f,
            Err(e) => return stats.error("page", e),
        };
        bumpy |= retried;
        stats.push(&stats.page, t.elapsed());

        let pressed = Instant::now();
        match self.phone_confirm(&view.pay_url, form, stats).await {
            Ok(retried) => bumpy |= retried,
            Err(e) => return stats.error("confirm", e),
        }
        stats.push(&stats.confirm, pressed.elapsed());
        stats.confirmed.lock().unwrap().push(id.clone());

        // The till waits for `paid`, reconnecting a broken stream through the proxy.
        let deadline = pressed + PAID_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match tokio::time::timeout(left, events.next()).await {
                Ok(Some(Ok(v))) if v.status == IntentStatus::Paid => break,
                Ok(Some(Ok(v))) if v.status.is_final() => {
                    return stats.error("paid", format!("ended {:?}", v.status));
                }
                Ok(Some(Ok(_))) => {}
                Ok(Some(Err(_)) | None) => {
                    stats.stream_reconnects.fetch_add(1, Ordering::Relaxed);
                    bumpy = true;
                    tokio::time::sleep(Duration::from_millis(250)).await;
                    if Instant::now() >= deadline {
                        return stats.error("paid", "not seen in time".into());
                    }
                    if let Ok(s) = self.till.events(&id).await {
                        events = Box::pin(s);
                    }
                }
                Err(_) => return stats.error("paid", "not seen in time".into()),
            }
        }
        stats.push(&stats.paid, pressed.elapsed());
        stats.completed.fetch_add(1, Ordering::Relaxed);
        if bumpy && stats.killed.load(Ordering::SeqCst) {
            stats.survived_kill.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Loads the page, reloading on a failure; the form as a body, and whether it took a retry.
    async fn phone_page(&self, url: &str, stats: &Stats) -> Result<(String, bool), String> {
        let mut last = String::new();
        for attempt in 0..PHONE_ATTEMPTS {
            if attempt > 0 {
                stats.phone_retries.fetch_add(1, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            match self.phone.get(url).send().await {
                Ok(r) if r.status() == 200 => {
                    let page = r.text().await.map_err(|e| e.to_string())?;
                    let field = |name| {
                        common::hidden_input(&page, name).ok_or(format!("no {name} in the page"))
                    };
                    let form = format!(
                        "csrf={}&amount_cents={}",
                        field("csrf")?,
                        field("amount_cents")?
                    );
                    if attempt > 0 {
                        stats.phone_retried_ok.fetch_add(1, Ordering::Relaxed);
                    }
                    return Ok((form, attempt > 0));
                }
                Ok(r) if r.status().is_server_error() => last = format!("page {}", r.status()),
                Ok(r) => return Err(format!("page {}", r.status())),
                Err(e) => last = format!("page: {e}"),
            }
        }
        Err(last)
    }

    /// Presses the button, again on a failure; whether it took a retry.
    async fn phone_confirm(&self, url: &str, form: String, stats: &Stats) -> Result<bool, String> {
        let mut last = String::new();
        for attempt in 0..PHONE_ATTEMPTS {
            if attempt > 0 {
                stats.phone_retries.fetch_add(1, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            let sent = self
                .phone
                .post(format!("{url}/confirm"))
                .header(
                    reqwest::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body(form.clone())
                .send()
                .await;
            match sent {
                Ok(r) if r.status() == 303 => {
                    if attempt > 0 {
                        stats.phone_retried_ok.fetch_add(1, Ordering::Relaxed);
                    }
                    return Ok(attempt > 0);
                }
                // The first press went through, its answer was lost: the page says so.
                Ok(r) if r.status() == 409 && attempt > 0 => {
                    let page = r.text().await.unwrap_or_default();
                    if page.contains("déjà été validé") {
                        stats.phone_retried_ok.fetch_add(1, Ordering::Relaxed);
                        stats.confirm_already_paid.fetch_add(1, Ordering::Relaxed);
                        return Ok(true);
                    }
                    return Err(format!("confirm 409: {page}"));
                }
                Ok(r) if r.status().is_server_error() => last = format!("confirm {}", r.status()),
                Ok(r) => return Err(format!("confirm {}", r.status())),
                Err(e) => last = format!("confirm: {e}"),
            }
        }
        Err(last)
    }
}

fn intent(customer: usize, round: usize) -> CreateIntent {
    let cents = 120 + ((customer * 7 + round) % 50) as i64 * 10;
    CreateIntent {
        intent_id: uuid::Uuid::now_v7().to_string(),
        amount_cents: cents + 250,
        account: "main".into(),
        seller: "Khadija".into(),
        shop_name: "KACHING".into(),
        lines: vec![
            IntentLine {
                name: "Pain au chocolat".into(),
                qty: 1,
                total_cents: cents,
            },
            IntentLine {
                name: "Café".into(),
                qty: 1,
                total_cents: 250,
            },
        ],
    }
}

// ---------------------------------------------------------------------------------------------
// The table.

/// Nearest-rank percentile `p` of sorted milliseconds.
fn pct(v: &[f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let rank = (p / 100.0 * v.len() as f64).ceil() as usize;
    v[rank.clamp(1, v.len()) - 1]
}

fn row(label: &str, samples: &Mutex<Vec<Duration>>) {
    let mut v: Vec<f64> = samples
        .lock()
        .unwrap()
        .iter()
        .map(|d| d.as_secs_f64() * 1e3)
        .collect();
    v.sort_by(f64::total_cmp);
    println!(
        "  {:<44} {:>7} {:>9.2} {:>9.2} {:>9.2}",
        label,
        v.len(),
        pct(&v, 50.0),
        pct(&v, 99.0),
        pct(&v, 100.0)
    );
}

fn report(
    stats: &Stats,
    measured: Duration,
    drained: Duration,
    killed_at: Option<Duration>,
    servers: &[common::haproxy::ServerStat],
    db: &TestDb,
) {
    let completed = stats.completed.load(Ordering::Relaxed);
    println!();
    println!(
        "throughput: {completed} payments completed (till saw paid) in {:.1} s (+{:.1} s to finish those under way): {:.1} payments/s",
        measured.as_secs_f64(),
        (drained - measured).as_secs_f64(),
        completed as f64 / drained.as_secs_f64()
    );
    println!(
        "  {:<44} {:>7} {:>9} {:>9} {:>9}",
        "(ms)", "n", "p50", "p99", "max"
    );
    row("1 create (till, signed POST)", &stats.create);
    row("2 event stream opened -> first state", &stats.stream);
    row("3 customer page GET (incl. retries)", &stats.page);
    row("4 confirm POST -> 303 (incl. retries)", &stats.confirm);
    row("5 confirm sent -> paid on the till's stream", &stats.paid);

    let errors = stats.errors.lock().unwrap();
    println!("errors (a step given up): {}", errors.len());
    for step in ["create", "stream", "page", "confirm", "paid"] {
        let of: Vec<&String> = errors
            .iter()
            .filter(|(s, _)| *s == step)
            .map(|(_, e)| e)
            .collect();
        if let Some(first) = of.first() {
            println!("  {step}: {} (first: {first})", of.len());
        }
    }
    match killed_at {
        Some(at) => println!(
            "pay{} killed (SIGKILL) at {:.1} s",
            VICTIM + 1,
            at.as_secs_f64()
        ),
        None => println!("no server killed"),
    }
    println!(
        "phone retries: {} (then worked: {}, of which a confirmation found already paid: {}); till streams opened again after a failure: {}, reopened after breaking: {}; payments completed after the kill through a retry or a reopened stream: {}",
        stats.phone_retries.load(Ordering::Relaxed),
        stats.phone_retried_ok.load(Ordering::Relaxed),
        stats.confirm_already_paid.load(Ordering::Relaxed),
        stats.stream_retries.load(Ordering::Relaxed),
        stats.stream_reconnects.load(Ordering::Relaxed),
        stats.survived_kill.load(Ordering::Relaxed)
    );
    for s in servers {
        println!(
            "  HAProxy {}: {} (connection retries {}, redispatched elsewhere {})",
            s.name, s.status, s.retries, s.redispatches
        );
    }

    // Money is never lost: every confirmation the customer saw is a paid intent.
    let confirmed: Vec<String> = stats.confirmed.lock().unwrap().clone();
    let paid: HashSet<String> = db
        .strings("SELECT id FROM payment_intents WHERE status = 'paid'")
        .into_iter()
        .collect();
    let lost: Vec<&String> = confirmed.iter().filter(|id| !paid.contains(*id)).collect();
    println!(
        "confirmed by customers: {}; paid in the database: {}; confirmed but not paid (LOST): {}{}",
        confirmed.len(),
        paid.len(),
        lost.len(),
        if lost.is_empty() {
            String::new()
        } else {
            format!(" e.g. {}", lost[0])
        }
    );
}
