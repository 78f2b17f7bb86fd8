//! The till's two performance goals, measured (never asserted) and printed as a table:
//!
//! 1. `scan`: a scan becomes a `basket` event within 1 ms (p99) with 100 000 products in the
//!    catalogue and a 60-line basket. The real runtime runs in-process (`Till::start` inside an
//!    actix `System`); the time is taken from `Till::execute(Command::Scan(..))` to the
//!    `TillEvent::Basket` read on a subscriber. The goal's figure comes from scans paced like a
//!    cashier's (the runtime's threads idle between scans); the same mix back to back is shown
//!    apart.
//! 2. `reports`: the day report, the list of days and a month's journal each within 5 ms on a
//!    ledger of 1 000 000 sale lines (about 333 000 sales over 365 days). That ledger is built
//!    once through the raw connection and cached under `target/bench-data/`.
//!
//! `cargo bench --bench till` runs both; `cargo bench --bench till -- scan` (or `reports`) one.
//! `KACHING_BENCH_QUICK=1` is a smoke run (smaller catalogue and ledger, fewer samples: its
//! figures are not the goals' figures); `KACHING_BENCH_REBUILD=1` rebuilds the cached ledger;
//! `KACHING_BENCH_PACE_MS` sets the pause between paced scans (10 ms).
//! The method and the figures are in docs/BENCHMARKS.md.

mod support;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{Rng, load_average};

use chrono::{DateTime, Datelike, Months, NaiveDate, NaiveTime, TimeDelta, Utc, Weekday};
use chrono_tz::Tz;
use rusqlite::{Connection, params};
use tokio::sync::mpsc::UnboundedReceiver;

use kaching::actors::{Command, Till, TillEvent};
use kaching::clock::{SharedClock, SystemClock};
use kaching::config::RawSettings;
use kaching::domain::basket::Lines;
use kaching::domain::report::DayReport;
use kaching::domain::{
    Account, ArticleCode, Basket, Gtin, Money, PaymentMethod, Pin, Product, Role, SaleDraft, Staff,
    StaffId, VatRate,
};
use kaching::secrets::{PinHasher, Secret};
use kaching::store::Ledger;

/// Bump when the generated ledger changes shape: the cached file is then rebuilt.
const DATA_VERSION: u32 = 1;
const SEED: u64 = 0x4b41_4348_494e_4721;
const TZ: Tz = chrono_tz::Europe::Brussels;
/// How long the till may take to answer a command before the bench gives up.
const EVENT_TIMEOUT: Duration = Duration::from_secs(10);
/// Lines kept in the basket while scans are measured.
const BASKET_LINES: usize = 60;
/// The pause after a void before the next scan (see `Counter::step`).
const AFTER_VOID: Duration = Duration::from_millis(20);
/// The pause before each scan of the paced series (`KACHING_BENCH_PACE_MS` overrides it). A
/// cashier scans a few articles a second at most; any pause lets the runtime's threads park.
const PACE: Duration = Duration::from_millis(10);

fn main() {
    let quick = std::env::var("KACHING_BENCH_QUICK").is_ok_and(|v| !v.is_empty() && v != "0");
    // `cargo bench` passes `--bench`; any other word selects a benchmark.
    let wanted: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let runs = |name: &str| wanted.is_empty() || wanted.iter().any(|w| name.contains(w.as_str()));
    println!(
        "KACHING benchmarks: {} run{}",
        if quick { "QUICK (smoke)" } else { "full" },
        if quick {
            " - figures are NOT comparable with the goals"
        } else {
            ""
        }
    );
    println!(
        "SQLite {}, load average at start: {}",
        rusqlite::version(),
        load_average()
    );
    if runs("scan") {
        scan_bench(quick);
    }
    if runs("reports") {
        reports_bench(quick);
    }
    println!();
    println!("load average at end: {}", load_average());
}

// ---------------------------------------------------------------------------------------------
// Shared helpers: a seeded generator, percentiles, the table.

struct Summary {
    n: usize,
    mean: f64,
    p50: f64,
    p90: f64,
    p99: f64,
    max: f64,
}

/// Nearest-rank percentiles of `samples`, in the unit `unit` (a duration per unit).
fn summarize(samples: &[Duration], unit: Duration) -> Summary {
    let mut v: Vec<f64> = samples
        .iter()
        .map(|d| d.as_secs_f64() / unit.as_secs_f64())
        .collect();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let pct = |p: f64| {
        if n == 0 {
            return f64::NAN;
        }
        let rank = (p / 100.0 * n as f64).ceil() as usize;
        v[rank.clamp(1, n) - 1]
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

const US: Duration = Duration::from_micros(1);
const MS: Duration = Duration::from_millis(1);

fn header(unit: &str) {
    println!(
        "{:<46} {:>6} {:>9} {:>9} {:>9} {:>9} {:>9}",
        format!("  ({unit})"),
        "n",
        "mean",
        "p50",
        "p90",
        "p99",
        "max"
    );
}

fn row(label: &str, s: &Summary) {
    println!(
        "  {:<44} {:>6} {:>9.3} {:>9.3} {:>9.3} {:>9.3} {:>9.3}",
        label, s.n, s.mean, s.p50, s.p90, s.p99, s.max
    );
}

fn goal(what: &str, measured: f64, limit: f64, unit: &str) {
    println!(
        "  goal {what} <= {limit} {unit}: {} ({measured:.3} {unit})",
        if measured <= limit { "MET" } else { "NOT MET" }
    );
}

/// Appends the GS1 check digit to 12 data digits: a valid EAN-13.
fn ean13(data: &str) -> String {
    let sum: u32 = data
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    format!("{data}{}", (10 - sum % 10) % 10)
}

const NOUNS: [&str; 16] = [
    "Baguette",
    "Croissant",
    "Yaourt",
    "Fromage",
    "Jus",
    "Café",
    "Thé",
    "Chocolat",
    "Savon",
    "Shampooing",
    "Riz",
    "Pâtes",
    "Biscuits",
    "Eau",
    "Lessive",
    "Confiture",
];
const KINDS: [&str; 12] = [
    "nature",
    "bio",
    "tradition",
    "au beurre",
    "light",
    "classique",
    "premium",
    "famille",
    "aux fruits",
    "citron",
    "vanille",
    "maison",
];

/// Article `i` of a generated catalogue: a six-digit article code, an EAN-13 barcode, a price,
/// VAT 6 % (food, most articles) or 21 %.
fn catalogue_product(i: usize, rng: &mut Rng) -> Product {
    // 7919 is prime to 100 000: the barcodes are a permutation, not in code order.
    let barcode = ean13(&format!("5410000{:05}", (i * 7919) % 100_000));
    let noun = NOUNS[rng.below(NOUNS.len())];
    let vat = if noun == "Savon" || noun == "Shampooing" || noun == "Lessive" || rng.percent(10) {
        VatRate::TwentyOne
    } else {
        VatRate::Six
    };
    Product {
        code: ArticleCode::parse(&format!("{}", 100_000 + i)).expect("article code"),
        barcode: Some(Gtin::parse(&barcode).expect("generated EAN-13 is valid")),
        name: format!(
            "{noun} {} {}g",
            KINDS[rng.below(KINDS.len())],
            50 * (1 + rng.below(20))
        ),
        price: Money::from_cents(i64::try_from(49 + rng.below(2_500)).unwrap_or(100)),
        vat,
        active: true,
    }
}

fn bench_data_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("bench-data")
}

// ---------------------------------------------------------------------------------------------
// 1. Scan → basket event.

/// What a measured scan was, to split the figures.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ScanKind {
    RescanByCode,
    RescanByBarcode,
    NewLine,
}

/// Waits for the next `basket` event; anything the till refused stops the bench.
async fn next_basket(events: &mut UnboundedReceiver<TillEvent>) -> TillEvent {
    loop {
        match tokio::time::timeout(EVENT_TIMEOUT, events.recv()).await {
            Ok(Some(e @ TillEvent::Basket { .. })) => return e,
            Ok(Some(TillEvent::Error { code, message })) => {
                panic!("the till refused a bench command: {code}: {message}")
            }
            Ok(Some(_)) => continue,
            Ok(None) => panic!("the till's event channel closed"),
            Err(_) => panic!("no basket event within {EVENT_TIMEOUT:?}"),
        }
    }
}

fn basket_len(e: &TillEvent) -> usize {
    match e {
        TillEvent::Basket { lines, .. } => lines.len(),
        _ => 0,
    }
}

fn code_of(p: &Product, by_barcode: bool) -> String {
    match (&p.barcode, by_barcode) {
        (Some(b), true) => b.as_str().to_owned(),
        _ => p.code.as_str().to_owned(),
    }
}

/// A logged-in till with a full basket, and the catalogue it was loaded with.
struct Counter {
    till: Till,
    events: UnboundedReceiver<TillEvent>,
    products: Vec<Product>,
    /// The basket's lines, in order, as indices into `products`.
    basket: Vec<usize>,
    rng: Rng,
}

impl Counter {
    /// The time from handing `command` to the till to reading its `basket` event on a
    /// subscriber (`execute` returns once the event is emitted; the read is the receive).
    async fn timed(&mut self, command: Command) -> (Duration, TillEvent) {
        // Anything left over (a clock-guard event) must not be taken for this command's answer.
        while self.events.try_recv().is_ok() {}
        let t = Instant::now();
        self.till.execute(command).await;
        let e = next_basket(&mut self.events).await;
        (t.elapsed(), e)
    }

    fn new_product(&mut self) -> usize {
        loop {
            let i = self.rng.below(self.products.len());
            if !self.basket.contains(&i) {
                return i;
            }
        }
    }

    /// Scans product `i`, by barcode or article code; checks the basket has `lines` lines then.
    async fn scan(&mut self, i: usize, by_barcode: bool, lines: usize) -> (Duration, TillEvent) {
        let command = Command::Scan(code_of(&self.products[i], by_barcode));
        let (t, e) = self.timed(command).await;
        assert_eq!(basket_len(&e), lines, "the basket has the expected lines");
        (t, e)
    }

    /// Voids a random line; returns the time to its `basket` event.
    async fn void(&mut self) -> Duration {
        let line = self.rng.below(self.basket.len());
        let (t, e) = self.timed(Command::Void { line: line + 1 }).await;
        self.basket.remove(line);
        assert_eq!(basket_len(&e), self.basket.len());
        t
    }

    /// One step of the mix: 19 in 20 scan a basket line again (half by article code, half by
    /// EAN-13); 1 in 20 voids a line, waits `AFTER_VOID` and scans a product not yet in the
    /// basket, so it stays at `BASKET_LINES` lines. `pace`: a pause before each scan.
    async fn step(
        &mut self,
        pace: Option<Duration>,
        voids: &mut Vec<Duration>,
    ) -> (ScanKind, Duration, TillEvent) {
        let (kind, i, by_barcode) = if self.rng.percent(5) {
            voids.push(self.void().await);
            // The void writes its audit row on the ledger's thread after its event: let it
            // finish, as it does while the cashier reaches for the next article.
            tokio::time::sleep(AFTER_VOID).await;
            let i = self.new_product();
            self.basket.push(i);
            (ScanKind::NewLine, i, self.rng.percent(50))
        } else {
            let i = self.basket[self.rng.below(self.basket.len())];
            if self.rng.percent(50) {
                (ScanKind::RescanByBarcode, i, true)
            } else {
                (ScanKind::RescanByCode, i, false)
            }
        };
        if let Some(p) = pace {
            tokio::time::sleep(p).await;
        }
        let (t, e) = self.scan(i, by_barcode, BASKET_LINES).await;
        (kind, t, e)
    }
}

struct ScanResults {
    paced: Vec<(ScanKind, Duration)>,
    back_to_back: Vec<(ScanKind, Duration)>,
    voids: Vec<Duration>,
    behind_void: Vec<Duration>,
    json: Vec<Duration>,
}

fn scan_bench(quick: bool) {
    let n_products = if quick { 10_000 } else { 100_000 };
    let (warmup, paced_n, burst_n) = if quick {
        (100, 300, 1_000)
    } else {
        (1_000, 5_000, 20_000)
    };
    let pace = std::env::var("KACHING_BENCH_PACE_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(PACE, Duration::from_millis);
    println!();
    println!(
        "== scan -> basket event: {n_products} products, {BASKET_LINES}-line basket; {paced_n} scans {pace:?} apart, {burst_n} back to back"
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let hasher = PinHasher::new(Secret::new("bench"));
    let mut rng = Rng(SEED);
    let products: Vec<Product> = (0..n_products)
        .map(|i| catalogue_product(i, &mut rng))
        .collect();
    {
        let mut ledger = Ledger::open_in(dir.path()).expect("open the ledger");
        let t = Instant::now();
        ledger
            .import_products(&products, Utc::now(), None)
            .expect("import the catalogue");
        println!(
            "  catalogue import (Ledger::import_products, one transaction): {:.2} s",
            t.elapsed().as_secs_f64()
        );
        // An admin: exempt from opening hours, so the bench runs at any time of day.
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
    let mut raw = RawSettings::default();
    raw.hours.open = "00:00".into();
    raw.hours.close = "23:59".into();
    let settings = raw.validate().expect("bench settings");
    let clock: SharedClock = Arc::new(SystemClock);

    let system = actix::System::new();
    let results = system.block_on(async move {
        let till =
            Till::start(settings.runtime(), dir.path(), clock, hasher).expect("start the till");
        let mut events = till.subscribe();
        till.execute(Command::Login {
            id: "1".into(),
            pin: "1111".into(),
        })
        .await;
        let mut logged_in = false;
        while let Ok(e) = events.try_recv() {
            logged_in |= matches!(e, TillEvent::LoggedIn { .. });
        }
        assert!(logged_in, "the bench admin could not log in");
        let mut c = Counter {
            till,
            events,
            products,
            basket: Vec::with_capacity(BASKET_LINES),
            rng,
        };
        while c.basket.len() < BASKET_LINES {
            let i = c.new_product();
            c.basket.push(i);
            let by_barcode = c.rng.percent(50);
            c.scan(i, by_barcode, c.basket.len()).await;
        }

        let mut voids = Vec::new();
        for _ in 0..warmup {
            c.step(None, &mut Vec::new()).await;
        }
        // The goal's figure: scans paced like a cashier's, so the runtime's threads are idle
        // (parked) when each scan arrives, as at a real till.
        let mut paced = Vec::with_capacity(paced_n);
        for _ in 0..paced_n {
            let (kind, t, _) = c.step(Some(pace), &mut voids).await;
            paced.push((kind, t));
        }
        // The same mix back to back: the runtime's own cost with its threads awake.
        let mut back_to_back = Vec::with_capacity(burst_n);
        let mut last = None;
        for _ in 0..burst_n {
            let (kind, t, e) = c.step(None, &mut voids).await;
            back_to_back.push((kind, t));
            last = Some(e);
        }
        // Apart, not in the goal's figure: a new product scanned the instant a void returns,
        // so its lookup queues behind the void's audit write (a WAL commit with fsync).
        let mut behind_void = Vec::new();
        for _ in 0..paced_n / 25 {
            tokio::time::sleep(pace).await;
            c.void().await;
            let i = c.new_product();
            c.basket.push(i);
            let by_barcode = c.rng.percent(50);
            behind_void.push(c.scan(i, by_barcode, BASKET_LINES).await.0);
        }

        // What the headless face adds on top: the event as a JSON line.
        let mut json = Vec::new();
        if let Some(e) = last {
            for _ in 0..1_000 {
                let t = Instant::now();
                black_box(serde_json::to_string(black_box(&e)).expect("event to JSON"));
                json.push(t.elapsed());
            }
        }
        actix::System::current().stop();
        ScanResults {
            paced,
            back_to_back,
            voids,
            behind_void,
            json,
        }
    });

    let of = |samples: &[(ScanKind, Duration)], k: Option<ScanKind>| -> Vec<Duration> {
        samples
            .iter()
            .filter(|(kind, _)| k.is_none_or(|k| k == *kind))
            .map(|(_, d)| *d)
            .collect()
    };
    header("microseconds");
    let paced = summarize(&of(&results.paced, None), US);
    row(
        &format!("scan -> basket event, {pace:?} apart (goal)"),
        &paced,
    );
    let breakdown = |samples: &[(ScanKind, Duration)]| {
        for (label, kind) in [
            (
                "  rescan of a basket line, by article code",
                ScanKind::RescanByCode,
            ),
            (
                "  rescan of a basket line, by EAN-13",
                ScanKind::RescanByBarcode,
            ),
            (
                "  new product (new line), code or EAN-13",
                ScanKind::NewLine,
            ),
        ] {
            row(label, &summarize(&of(samples, Some(kind)), US));
        }
    };
    breakdown(&results.paced);
    row(
        "scan -> basket event, back to back",
        &summarize(&of(&results.back_to_back, None), US),
    );
    breakdown(&results.back_to_back);
    row("void -> basket event", &summarize(&results.voids, US));
    row(
        "new product scanned at once after a void (*)",
        &summarize(&results.behind_void, US),
    );
    row(
        "basket event -> JSON line (headless face)",
        &summarize(&results.json, US),
    );
    println!(
        "  (*) not in the goal's figure: the lookup waits on the ledger thread for the void's audit row"
    );
    goal("scan p99", paced.p99 / 1_000.0, 1.0, "ms");
}

// ---------------------------------------------------------------------------------------------
// 2. Reports on a ledger of a million lines.

struct LedgerSpec {
    name: &'static str,
    sales: usize,
    catalogue: usize,
}

const FULL: LedgerSpec = LedgerSpec {
    name: "ledger-1m",
    sales: 333_334,
    catalogue: 2_000,
};
const QUICK: LedgerSpec = LedgerSpec {
    name: "ledger-100k",
    sales: 33_334,
    catalogue: 2_000,
};
const FIRST_DAY: (i32, u32, u32) = (2025, 1, 1);
const DAYS: u32 = 365;

/// The sellers: (staff id, name, weight), and the tills with their share of the sales.
const SELLERS: [(&str, &str, usize); 5] = [
    ("1", "ADMIN", 2),
    ("2", "AYMAN", 20),
    ("10", "CLOTHIDE", 25),
    ("14", "Khadija", 28),
    ("27", "AWA", 25),
];
const TILLS: [(&str, usize); 2] = [("till-1", 65), ("till-2", 35)];

/// FNV-1a over the migrations and the generator's version: a new migration or a new generator
/// gets a new cache file.
fn fingerprint(spec: &LedgerSpec) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    eat(&DATA_VERSION.to_le_bytes());
    eat(&spec.sales.to_le_bytes());
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    for f in files {
        eat(f.file_name().map(|n| n.as_encoded_bytes()).unwrap_or(b""));
        eat(&std::fs::read(&f).unwrap_or_default());
    }
    format!("{h:016x}")[..8].to_owned()
}

fn remove_db(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

/// How busy a day is: Saturday busiest, Sunday and Monday quieter, December busier, August
/// quieter (percent).
fn day_weight(day: NaiveDate) -> usize {
    let weekday = match day.weekday() {
        Weekday::Mon => 80,
        Weekday::Sat => 140,
        Weekday::Sun => 60,
        _ => 100,
    };
    let month = match day.month() {
        12 => 120,
        8 => 80,
        _ => 100,
    };
    weekday * month
}

/// One customer's basket, built through the domain types the till uses.
fn generate_lines(rng: &mut Rng, catalogue: &[Product], account: Account) -> Lines {
    let mut b = Basket::new();
    b.switch_to(account);
    // Distinct items per sale: mean 2.96; with a withdrawal in 4 % of sales, 3.0 lines a sale.
    let items = 1 + rng.weighted(&[20, 24, 22, 16, 10, 8]);
    let mut chosen: Vec<usize> = Vec::with_capacity(items);
    while chosen.len() < items {
        let i = rng.below(catalogue.len());
        if !chosen.contains(&i) {
            chosen.push(i);
        }
    }
    for i in chosen {
        let line = b.add_item(&catalogue[i]).expect("add an item");
        let qty = match rng.below(100) {
            0..85 => 1,
            85..95 => 2,
            _ => 3 + rng.below(4),
        };
        if qty > 1 {
            b.set_qty(line, i64::try_from(qty).unwrap_or(1))
                .expect("set a quantity");
        }
    }
    if rng.percent(4) {
        let amount = Money::from_cents(i64::try_from(1_000 * (1 + rng.below(10))).unwrap_or(0));
        b.add_withdrawal(amount, Money::from_cents(50_000))
            .expect("add a withdrawal");
    }
    b.take(account)
}

/// Builds the report ledger at `path`: through `Ledger::open` (the real schema), then one raw
/// transaction of sales and lines sealed with the real hash chain, then the running totals and
/// chain heads computed from them.
fn build_ledger(path: &Path, spec: &LedgerSpec) {
    let partial = path.with_extension("partial");
    remove_db(&partial);
    let started = Instant::now();
    let mut rng = Rng(SEED ^ 0x5eed);
    let catalogue: Vec<Product> = (0..spec.catalogue)
        .map(|i| catalogue_product(i, &mut rng))
        .collect();
    let mut ledger = Ledger::open(&partial).expect("create the bench ledger");
    ledger
        .import_products(&catalogue, Utc::now(), None)
        .expect("import the catalogue");
    let first = NaiveDate::from_ymd_opt(FIRST_DAY.0, FIRST_DAY.1, FIRST_DAY.2).expect("date");
    let days: Vec<NaiveDate> = first.iter_days().take(DAYS as usize).collect();
    let total_weight: usize = days.iter().map(|d| day_weight(*d)).sum();
    let open = NaiveTime::from_hms_opt(6, 0, 0).expect("time");

    let conn: &mut Connection = ledger.connection();
    // For the load only: the ledger runs with synchronous=FULL (restored below).
    conn.pragma_update(None, "synchronous", "OFF")
        .expect("pragma");
    conn.pragma_update(None, "cache_size", -262_144)
        .expect("pragma");
    let tx = conn.transaction().expect("begin");
    let (mut n_sales, mut n_lines) = (0usize, 0usize);
    {
        let mut sale_stmt = tx
            .prepare(
                "INSERT INTO sales (id, till_id, ticket_no, staff_id, staff_name, account, method, payment_ref,
                   revenue_cents, withdrawal_cents, paid_cents, tendered_cents, change_cents, paid_at, day, prev_hash, hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            )
            .expect("prepare");
        let mut line_stmt = tx
            .prepare(
                "INSERT INTO sale_lines (sale_id, line_no, kind, product_code, name, unit_cents, qty, total_cents, vat_rate)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )
            .expect("prepare");
        let mut heads: Vec<(i64, String)> = TILLS
            .iter()
            .map(|_| (0, kaching::domain::sale::GENESIS_HASH.to_owned()))
            .collect();
        let till_weights: Vec<usize> = TILLS.iter().map(|t| t.1).collect();
        let seller_weights: Vec<usize> = SELLERS.iter().map(|s| s.2).collect();
        let mut assigned = 0usize;
        let mut weight_so_far = 0usize;
        for day in &days {
            // Cumulative rounding: the days add up to exactly `spec.sales`.
            weight_so_far += day_weight(*day);
            let upto = spec.sales * weight_so_far / total_weight;
            let count = upto - assigned;
            assigned = upto;
            // Sales between 06:00 and 18:00 shop time, in time order (a till's clock only goes
            // forward, so its tickets are in time order too).
            let mut offsets: Vec<usize> = (0..count).map(|_| rng.below(12 * 3_600_000)).collect();
            offsets.sort_unstable();
            for ms in offsets {
                let local =
                    day.and_time(open) + TimeDelta::milliseconds(i64::try_from(ms).unwrap_or(0));
                let paid_at: DateTime<Utc> = local
                    .and_local_timezone(TZ)
                    .single()
                    .expect("06:00-18:00 is never in a DST gap")
                    .with_timezone(&Utc);
                let till = rng.weighted(&till_weights);
                let (staff_id, staff_name, _) = SELLERS[rng.weighted(&seller_weights)];
                let account = if rng.percent(8) {
                    Account::Sub
                } else {
                    Account::Main
                };
                let lines = generate_lines(&mut rng, &catalogue, account);
                let (method, tendered) = if rng.percent(45) {
                    let total = lines.total().cents();
                    let tendered = match rng.below(4) {
                        0 => None,
                        1 => Some(total.div_euclid(500) * 500 + 500),
                        2 => Some(total.div_euclid(1_000) * 1_000 + 1_000),
                        _ => Some(total.div_euclid(5_000) * 5_000 + 5_000),
                    };
                    (PaymentMethod::Cash, tendered.map(Money::from_cents))
                } else {
                    (PaymentMethod::Qr, None)
                };
                let draft = SaleDraft::new(
                    StaffId::parse(staff_id).expect("staff id"),
                    staff_name.to_owned(),
                    account,
                    &lines,
                    method,
                    tendered,
                )
                .expect("a valid sale");
                let millis = u64::try_from(paid_at.timestamp_millis()).unwrap_or(0);
                let id = uuid::Builder::from_unix_timestamp_millis(millis, &rng.bytes10())
                    .into_uuid()
                    .to_string();
                let (ticket_no, prev_hash) = &mut heads[till];
                *ticket_no += 1;
                let sale = draft.seal(
                    id,
                    TILLS[till].0.to_owned(),
                    *ticket_no,
                    paid_at,
                    prev_hash.clone(),
                );
                prev_hash.clone_from(&sale.hash);
                sale_stmt
                    .execute(params![
                        sale.id,
                        sale.till_id,
                        sale.ticket_no,
                        sale.staff_id.as_str(),
                        sale.staff_name,
                        sale.account.as_str(),
                        sale.method.as_str(),
                        sale.payment_ref,
                        sale.revenue.cents(),
                        sale.withdrawal.cents(),
                        sale.paid.cents(),
                        sale.tendered.map(Money::cents),
                        sale.change.cents(),
                        kaching::domain::sale::format_instant(sale.paid_at),
                        day.to_string(),
                        sale.prev_hash,
                        sale.hash
                    ])
                    .expect("insert a sale");
                for l in &sale.lines {
                    line_stmt
                        .execute(params![
                            sale.id,
                            l.line_no,
                            l.kind.as_str(),
                            l.product_code,
                            l.name,
                            l.unit.cents(),
                            l.qty,
                            l.total.cents(),
                            l.vat.map(VatRate::percent)
                        ])
                        .expect("insert a line");
                }
                n_sales += 1;
                n_lines += sale.lines.len();
            }
        }
    }
    // The running totals and chain heads `commit_sale` keeps, computed from what was loaded.
    tx.execute_batch(
        "INSERT INTO day_totals (day, till_id, tickets, revenue_cents, withdrawal_cents)
           SELECT day, till_id, count(*), sum(revenue_cents), sum(withdrawal_cents)
           FROM sales GROUP BY day, till_id;
         INSERT INTO day_vat (day, till_id, vat_rate, gross_cents)
           SELECT s.day, s.till_id, l.vat_rate, sum(l.total_cents)
           FROM sales s JOIN sale_lines l ON l.sale_id = s.id
           WHERE l.kind = 'item' AND l.vat_rate IS NOT NULL
           GROUP BY s.day, s.till_id, l.vat_rate;
         INSERT INTO chain_heads (till_id, ticket_no, hash, paid_at)
           SELECT till_id, ticket_no, hash, paid_at FROM sales s
           WHERE ticket_no = (SELECT max(ticket_no) FROM sales WHERE till_id = s.till_id);",
    )
    .expect("fill the running totals");
    tx.commit().expect("commit");
    conn.pragma_update(None, "synchronous", "FULL")
        .expect("pragma");
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .expect("checkpoint");
    drop(ledger);
    std::fs::rename(&partial, path).expect("move the ledger into the cache");
    println!(
        "  built {} sales / {} lines in {:.1} s (one transaction, synchronous=OFF for the load)",
        n_sales,
        n_lines,
        started.elapsed().as_secs_f64()
    );
}

/// Runs `f` `n` times; returns the first call apart (the connection's page cache is cold then)
/// and the others.
fn time_calls<R>(n: usize, mut f: impl FnMut() -> R) -> (Duration, Vec<Duration>) {
    let t = Instant::now();
    black_box(f());
    let first = t.elapsed();
    let rest = (0..n)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed()
        })
        .collect();
    (first, rest)
}

fn print_plan(conn: &Connection, label: &str, sql: &str, args: &[&str]) {
    println!("  {label}:");
    let mut stmt = conn
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .expect("explain");
    let rows = stmt
        .query_map(rusqlite::params_from_iter(args.iter()), |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(3)?,
            ))
        })
        .expect("explain")
        .collect::<Result<Vec<_>, _>>()
        .expect("explain");
    // Indent each step under its parent.
    let mut depth: Vec<(i64, usize)> = Vec::new();
    for (id, parent, detail) in rows {
        let d = depth
            .iter()
            .find(|(i, _)| *i == parent)
            .map_or(0, |(_, d)| d + 1);
        depth.push((id, d));
        println!("    {}{detail}", "  ".repeat(d));
    }
}

/// The day report's query, as in `src/store/reports.rs`.
const DAY_REPORT_SQL: &str = "SELECT s.paid_at, s.till_id, s.ticket_no, s.staff_name, l.name, l.qty, l.kind, l.total_cents, l.vat_rate
     FROM sales s JOIN sale_lines l ON l.sale_id = s.id
     WHERE s.day = ?1
     ORDER BY s.paid_at, s.till_id, s.ticket_no, l.line_no";

fn reports_bench(quick: bool) {
    let spec = if quick { &QUICK } else { &FULL };
    let (iters_day, iters_list) = if quick { (20, 100) } else { (300, 2_000) };
    println!();
    println!(
        "== reports on a ledger of ~{} sales x 3 lines over {DAYS} days",
        spec.sales
    );
    let dir = bench_data_dir();
    std::fs::create_dir_all(&dir).expect("create target/bench-data");
    let path = dir.join(format!(
        "{}-v{DATA_VERSION}-{}.sqlite",
        spec.name,
        fingerprint(spec)
    ));
    let rebuild = std::env::var("KACHING_BENCH_REBUILD").is_ok_and(|v| !v.is_empty() && v != "0");
    if rebuild || !path.exists() {
        remove_db(&path);
        // Ledgers of older generators or schemas are never read again.
        let stale = format!("{}-v", spec.name);
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(&stale) && name.ends_with(".sqlite") {
                remove_db(&entry.path());
            }
        }
        println!("  building {}", path.display());
        build_ledger(&path, spec);
    } else {
        println!(
            "  reusing {} (KACHING_BENCH_REBUILD=1 rebuilds it)",
            path.display()
        );
    }
    let size = std::fs::metadata(&path).map_or(0, |m| m.len());
    let mut ledger = Ledger::open(&path).expect("open the bench ledger");
    let conn = ledger.connection();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).expect("count") };
    let (sales, lines) = (
        count("SELECT count(*) FROM sales"),
        count("SELECT count(*) FROM sale_lines"),
    );
    let withdrawals = count("SELECT count(*) FROM sale_lines WHERE kind = 'withdrawal'");
    // The median day by tickets is the typical day; the busiest is the worst case.
    let mut by_tickets: Vec<(String, i64)> = conn
        .prepare("SELECT day, sum(tickets) FROM day_totals GROUP BY day ORDER BY 2, 1")
        .expect("days")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("days")
        .collect::<Result<_, _>>()
        .expect("days");
    let n_days = by_tickets.len();
    let busiest = by_tickets.pop().expect("a day with sales");
    let typical = by_tickets[n_days / 2].clone();
    println!(
        "  {sales} sales, {lines} lines ({withdrawals} withdrawals), {n_days} days, {:.0} MB",
        size as f64 / 1e6
    );
    let typical_day: NaiveDate = typical.0.parse().expect("day");
    let busiest_day: NaiveDate = busiest.0.parse().expect("day");
    let month_from = NaiveDate::from_ymd_opt(2025, 11, 1).expect("date");
    let month_to = month_from + Months::new(1) - TimeDelta::days(1);

    println!("  query plans (EXPLAIN QUERY PLAN, same SQL as src/store/reports.rs):");
    print_plan(conn, "day_report", DAY_REPORT_SQL, &[&typical.0]);
    print_plan(
        conn,
        "days",
        "SELECT day, sum(tickets), sum(revenue_cents), sum(withdrawal_cents) FROM day_totals
         WHERE day NOT IN (SELECT day FROM hidden_days)
         GROUP BY day ORDER BY day DESC",
        &[],
    );
    let (f, t) = (month_from.to_string(), month_to.to_string());
    print_plan(
        conn,
        "journal (totals)",
        "SELECT day, sum(tickets), sum(revenue_cents), sum(withdrawal_cents) FROM day_totals
         WHERE day BETWEEN ?1 AND ?2 GROUP BY day",
        &[&f, &t],
    );
    print_plan(
        conn,
        "journal (VAT)",
        "SELECT day, vat_rate, sum(gross_cents) FROM day_vat WHERE day BETWEEN ?1 AND ?2 GROUP BY day, vat_rate",
        &[&f, &t],
    );

    // A fresh connection, as the admin's report screen or the CLI opens it.
    drop(ledger);
    let ledger = Ledger::open(&path).expect("open the bench ledger");
    let report = ledger.day_report(typical_day, TZ).expect("day report");
    let busiest_report = ledger.day_report(busiest_day, TZ).expect("day report");
    assert_eq!(
        report.tickets, typical.1,
        "the report agrees with day_totals"
    );
    assert_eq!(busiest_report.tickets, busiest.1);
    let journal = ledger
        .journal(month_from, month_to)
        .expect("journal")
        .expect("a valid period");
    assert_eq!(journal.days.len(), 30);
    assert_eq!(ledger.days().expect("days").len(), n_days);

    let (first_typical, typical_t) = time_calls(iters_day, || {
        ledger.day_report(typical_day, TZ).expect("day report")
    });
    let (first_busiest, busiest_t) = time_calls(iters_day / 3, || {
        ledger.day_report(busiest_day, TZ).expect("day report")
    });
    let (first_days, days_t) = time_calls(iters_list, || ledger.days().expect("days"));
    let (first_journal, journal_t) = time_calls(iters_list, || {
        ledger.journal(month_from, month_to).expect("journal")
    });
    // The day report split in two: its SQL alone (every column read, on a second connection),
    // and `DayReport::build` alone (the totals by seller and VAT rate over the lines).
    let raw = Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("open read-only");
    let (_, typical_sql_t) = time_calls(iters_day, || {
        let mut stmt = raw.prepare_cached(DAY_REPORT_SQL).expect("prepare");
        let mut rows = stmt.query([&typical.0]).expect("query");
        let mut n = 0usize;
        while let Some(r) = rows.next().expect("row") {
            black_box((
                r.get::<_, String>(0).expect("col"),
                r.get::<_, String>(1).expect("col"),
                r.get::<_, i64>(2).expect("col"),
                r.get::<_, String>(3).expect("col"),
                r.get::<_, String>(4).expect("col"),
                r.get::<_, i64>(5).expect("col"),
                r.get::<_, String>(6).expect("col"),
                r.get::<_, i64>(7).expect("col"),
                r.get::<_, Option<i64>>(8).expect("col"),
            ));
            n += 1;
        }
        n
    });
    let (_, typical_build_t) = time_calls(iters_day, || {
        DayReport::build(typical_day, report.lines.clone())
    });
    let (_, clone_t) = time_calls(iters_day, || report.lines.clone());

    header("milliseconds");
    row(
        &format!(
            "day_report typical day {} ({} lines)",
            typical.0,
            report.lines.len()
        ),
        &summarize(&typical_t, MS),
    );
    row(
        "  of which the SQL alone (rows read)",
        &summarize(&typical_sql_t, MS),
    );
    row(
        "  of which DayReport::build (+ clone of lines)",
        &summarize(&typical_build_t, MS),
    );
    row("  (the clone of the lines alone)", &summarize(&clone_t, MS));
    row(
        &format!(
            "day_report busiest day {} ({} lines)",
            busiest.0,
            busiest_report.lines.len()
        ),
        &summarize(&busiest_t, MS),
    );
    row(&format!("days ({n_days} days)"), &summarize(&days_t, MS));
    row(
        &format!("journal {month_from}..{month_to}"),
        &summarize(&journal_t, MS),
    );
    println!(
        "  first call on a fresh connection: day_report {:.3} ms (busiest {:.3}), days {:.3} ms, journal {:.3} ms",
        first_typical.as_secs_f64() * 1e3,
        first_busiest.as_secs_f64() * 1e3,
        first_days.as_secs_f64() * 1e3,
        first_journal.as_secs_f64() * 1e3
    );
    let p99 = |v: &[Duration]| summarize(v, MS).p99;
    goal("day_report (typical day) p99", p99(&typical_t), 5.0, "ms");
    goal("days p99", p99(&days_t), 5.0, "ms");
    goal("journal (a month) p99", p99(&journal_t), 5.0, "ms");

    let t = Instant::now();
    let verify = ledger.verify_chain().expect("verify");
    println!(
        "  verify_chain over {} sales: {} in {:.2} s",
        verify.sales,
        if verify.is_ok() { "OK" } else { "PROBLEMS" },
        t.elapsed().as_secs_f64()
    );
}
