//! The sync's two performance goals against a real MariaDB, measured (never asserted) and printed:
//!
//! 1. `reconcile`: 100 000 queued sales (about 300 000 lines) drained from a till's outbox into a
//!    fresh central database exactly as `SyncActor` does it (`outbox_batch(BATCH)` →
//!    `Central::push` → `mark_sent`, one transaction per batch), against a raw multi-row INSERT
//!    of the same rows in the same run: same chunks, same columns, same transactions, but no
//!    `ON DUPLICATE KEY`, no JSON, no ledger reads or marks. Goal: sync ≤ 2 × raw. The runs go
//!    sync, raw, diagnostic, diagnostic, raw, sync, each on a fresh database; the diagnostic is
//!    the sync path with `?reset_connection=false` in the URL (what the pool's per-batch
//!    connection reset costs), not part of the goal's figure.
//! 2. `restore`: the real runtime in-process (`Till::start` inside an actix `System`, with a
//!    central URL through a TCP proxy the bench cuts and restores), 1 000 sales made while the
//!    link is cut, then the time from the link restored to `outbox_pending == 0`, polling the
//!    `status` command every 20 ms (what a headless client would do). Goal: ≤ 5 s. Three trials
//!    where the outage lasts as long as the sales take, then one 60 s outage; then a model of
//!    the retry schedule (the real backon backoff, the `SYNC_EVERY` ticks) over outages of 3 s to
//!    30 min, today's policy and alternatives.
//!
//! The central server is `KACHING_TEST_MYSQL_URL` (default `mysql://root@127.0.0.1:3306`), as
//! for the tests; every database the bench creates is dropped at the end. The ledger of queued
//! sales is built once through `Ledger::commit_sale` (so the outbox payloads are the real ones;
//! `synchronous=OFF` for the load only) and cached under `target/bench-data/`.
//!
//! `cargo bench --bench sync` runs both; `cargo bench --bench sync -- reconcile` (or `restore`)
//! one. `KACHING_BENCH_QUICK=1`: 10 000 sales for (1) and one restore trial (a smoke run);
//! `KACHING_BENCH_REBUILD=1` rebuilds the cached ledger. Method and figures: docs/BENCHMARKS.md.

mod support;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{Rng, load_average};

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use mysql_async::prelude::Queryable;
use mysql_async::{Opts, OptsBuilder, Pool, TxOpts, Value};
use tokio::sync::mpsc::UnboundedReceiver;

use kaching::actors::events::StatusView;
use kaching::actors::sync::{BATCH, SYNC_EVERY};
use kaching::actors::{Command, Till, TillEvent};
use kaching::clock::{SharedClock, SystemClock};
use kaching::config::RawSettings;
use kaching::domain::{
    Account, ArticleCode, Basket, Money, PaymentMethod, Pin, Product, Role, Sale, SaleDraft, Staff,
    StaffId, VatRate,
};
use kaching::secrets::{PinHasher, Secret, redacted_url};
use kaching::store::{Ledger, OutboxRow};
use kaching::sync::Central;

/// Bump when the generated ledger changes shape: the cached file is then rebuilt.
const DATA_VERSION: u32 = 1;
const SEED: u64 = 0x5359_4e43_4b41_4348;
const TZ: Tz = chrono_tz::Europe::Brussels;
const TILL_ID: &str = "till-1";
/// Rows per multi-row INSERT, as in `src/sync/central.rs`.
const CHUNK: usize = 500;
/// One `login` audit event (and so one `audit` outbox row) every this many sales.
const AUDIT_EVERY: usize = 100;
/// Sales made while the link is cut, in the restore benchmark.
const RESTORE_SALES: usize = 1_000;
/// How often the restore benchmark asks for `status`.
const POLL: Duration = Duration::from_millis(20);

const SALE_COLUMNS: &str = "id, till_id, ticket_no, staff_id, staff_name, account, method, payment_ref, revenue_cents, withdrawal_cents, \
     paid_cents, tendered_cents, change_cents, paid_at, day, prev_hash, hash, received_at";
const LINE_COLUMNS: &str =
    "sale_id, line_no, kind, product_code, name, unit_cents, qty, total_cents, vat_rate";
const AUDIT_COLUMNS: &str = "till_id, seq, at, staff_id, action, detail";

fn main() {
    let quick = flag("KACHING_BENCH_QUICK");
    // `cargo bench` passes `--bench`; any other word selects a benchmark.
    let wanted: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let runs = |name: &str| wanted.is_empty() || wanted.iter().any(|w| name.contains(w.as_str()));
    println!(
        "KACHING sync benchmarks: {} run{}",
        if quick { "QUICK (smoke)" } else { "full" },
        if quick {
            " - figures are NOT comparable with the goals"
        } else {
            ""
        }
    );
    machine();
    if runs("reconcile") {
        reconcile_bench(quick);
    }
    if runs("restore") {
        restore_bench(quick);
    }
    println!();
    println!("load average at end: {}", load_average());
}

fn flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0")
}

// ---------------------------------------------------------------------------------------------
// The machine and the server.

/// The first value of `key` in a `/proc` file (`key: value`).
fn proc_value(file: &str, key: &str) -> String {
    std::fs::read_to_string(file)
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into())
}

fn machine() {
    println!(
        "machine: {} CPUs ({}), RAM {}, SQLite {}, load average at start: {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        proc_value("/proc/cpuinfo", "model name"),
        proc_value("/proc/meminfo", "MemTotal"),
        rusqlite::version(),
        load_average()
    );
    let server = server_url();
    let vars = admin(server.to_string(), |c| {
        Box::pin(async move {
            c.query_first::<(String, String, String, String, String), _>(
                "SELECT @@version, CAST(@@innodb_flush_log_at_trx_commit AS CHAR), \
                 CAST(@@innodb_buffer_pool_size AS CHAR), CAST(@@log_bin AS CHAR), CAST(@@sync_binlog AS CHAR)",
            )
            .await
        })
    })
    .unwrap_or_else(|e| no_server(&server, &e))
    .unwrap_or_default();
    println!(
        "central: {} at {} (innodb_flush_log_at_trx_commit={}, innodb_buffer_pool_size={} MiB, log_bin={}, sync_binlog={})",
        vars.0,
        redacted_url(server.as_str()),
        vars.1,
        vars.2.parse::<u64>().unwrap_or(0) / (1 << 20),
        vars.3,
        vars.4
    );
}

/// The server the benchmark databases live on (as `tests/common/mysql.rs`).
fn server_url() -> url::Url {
    let raw = std::env::var("KACHING_TEST_MYSQL_URL")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "mysql://root@127.0.0.1:3306".to_owned());
    let mut u = url::Url::parse(raw.trim())
        .unwrap_or_else(|e| panic!("KACHING_TEST_MYSQL_URL is not a URL: {e}"));
    u.set_path("");
    u
}

fn no_server(server: &url::Url, e: &mysql_async::Error) -> ! {
    panic!(
        "no MySQL/MariaDB server at {} ({e}): this benchmark needs one (set KACHING_TEST_MYSQL_URL, \
         or start the local one: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd)",
        redacted_url(server.as_str())
    )
}

/// Runs `f` with a fresh connection to `url` on a runtime of its own, on a thread of its own
/// (callable from inside another runtime, and from `Drop`).
fn admin<R: Send + 'static>(
    url: String,
    f: impl for<'a> FnOnce(
        &'a mut mysql_async::Conn,
    ) -> futures_util::future::BoxFuture<'a, Result<R, mysql_async::Error>>
    + Send
    + 'static,
) -> Result<R, mysql_async::Error> {
    std::thread::spawn(move || {
        runtime().block_on(async move {
            let mut conn = mysql_async::Conn::from_url(url.as_str()).await?;
            let r = f(&mut conn).await;
            let _ = conn.disconnect().await;
            r
        })
    })
    .join()
    .expect("admin thread")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// A database of its own, with the central schema, dropped at the end.
struct BenchDb {
    name: String,
    url: String,
}

impl BenchDb {
    fn create(what: &str) -> BenchDb {
        let server = server_url();
        let mut b = [0u8; 6];
        getrandom::fill(&mut b).expect("random");
        let name = format!("kaching_bench_{what}_{}", hex::encode(b));
        let sql =
            format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        if let Err(e) = admin(server.to_string(), move |c| Box::pin(c.query_drop(sql))) {
            no_server(&server, &e);
        }
        let mut u = server;
        u.set_path(&format!("/{name}"));
        let db = BenchDb {
            name,
            url: u.to_string(),
        };
        let url = Secret::new(db.url.clone());
        runtime().block_on(async move {
            let central = Central::new(&url).expect("central URL");
            central.migrate().await.expect("central migrations");
            central.disconnect().await;
        });
        db
    }

    /// `SELECT COUNT(*) FROM <table>`.
    fn count(&self, table: &str) -> i64 {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        admin(self.url.clone(), move |c| {
            Box::pin(c.query_first::<i64, _>(sql))
        })
        .expect("count")
        .unwrap_or(0)
    }
}

impl Drop for BenchDb {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS `{}`", self.name);
        if let Err(e) = admin(server_url().to_string(), move |c| {
            Box::pin(c.query_drop(sql))
        }) {
            eprintln!("could not drop the bench database {}: {e}", self.name);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Generated data.

const NOUNS: [&str; 8] = [
    "Baguette",
    "Croissant",
    "Yaourt",
    "Fromage",
    "Café",
    "Chocolat",
    "Savon",
    "Confiture",
];

fn catalogue(n: usize, rng: &mut Rng) -> Vec<Product> {
    (0..n)
        .map(|i| {
            let noun = NOUNS[rng.below(NOUNS.len())];
            Product {
                code: ArticleCode::parse(&format!("{}", 100_000 + i)).expect("article code"),
                barcode: None,
                name: format!("{noun} n°{i} {}g", 50 * (1 + rng.below(20))),
                price: Money::from_cents(i64::try_from(49 + rng.below(2_500)).unwrap_or(100)),
                vat: if noun == "Savon" {
                    VatRate::TwentyOne
                } else {
                    VatRate::Six
                },
                active: true,
            }
        })
        .collect()
}

/// One customer's basket: 1 to 6 distinct articles (2.96 on average), a few with a quantity,
/// a withdrawal in 4 % of sales: about 3 lines a sale, as in benches/till.rs.
fn draft(rng: &mut Rng, catalogue: &[Product]) -> SaleDraft {
    let account = if rng.percent(8) {
        Account::Sub
    } else {
        Account::Main
    };
    let mut b = Basket::new();
    b.switch_to(account);
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
    let lines = b.take(account);
    let (method, tendered) = if rng.percent(45) {
        let total = lines.total().cents();
        (
            PaymentMethod::Cash,
            Some(Money::from_cents(total.div_euclid(1_000) * 1_000 + 1_000)),
        )
    } else {
        (PaymentMethod::Qr, None)
    };
    SaleDraft::new(
        StaffId::parse("14").expect("staff id"),
        "Khadija".into(),
        account,
        &lines,
        method,
        tendered,
    )
    .expect("a valid sale")
}

fn bench_data_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("bench-data")
}

/// FNV-1a over what shapes the cached ledger: the generator's version and size, the SQLite
/// migrations, and the code that seals and serialises a sale.
fn fingerprint(sales: usize) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    eat(&DATA_VERSION.to_le_bytes());
    eat(&sales.to_le_bytes());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("migrations/sqlite"))
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    files.push(root.join("src/domain/sale.rs"));
    files.push(root.join("src/store/sales.rs"));
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

/// The cached ledger of `sales` queued sales (built if missing).
fn queued_ledger(sales: usize) -> PathBuf {
    let dir = bench_data_dir();
    std::fs::create_dir_all(&dir).expect("create target/bench-data");
    let path = dir.join(format!(
        "sync-{}k-v{DATA_VERSION}-{}.sqlite",
        sales / 1_000,
        fingerprint(sales)
    ));
    if flag("KACHING_BENCH_REBUILD") || !path.exists() {
        remove_db(&path);
        println!("  building {}", path.display());
        build_ledger(&path, sales);
    } else {
        println!(
            "  reusing {} (KACHING_BENCH_REBUILD=1 rebuilds it)",
            path.display()
        );
    }
    path
}

/// `sales` sales of one till, one every 30 s, each through `Ledger::commit_sale` (its own
/// transaction, its genuine outbox payload), and a `login` audit event every `AUDIT_EVERY`
/// sales; nothing sent yet.
fn build_ledger(path: &Path, sales: usize) {
    let partial = path.with_extension("partial");
    remove_db(&partial);
    let started = Instant::now();
    let mut rng = Rng(SEED);
    let products = catalogue(2_000, &mut rng);
    let mut ledger = Ledger::open(&partial).expect("create the bench ledger");
    // For the load only: the till runs with synchronous=FULL (restored below).
    ledger
        .connection()
        .pragma_update(None, "synchronous", "OFF")
        .expect("pragma");
    let start = Utc
        .with_ymd_and_hms(2025, 3, 3, 7, 0, 0)
        .single()
        .expect("start");
    let mut lines = 0usize;
    for i in 0..sales {
        let now: DateTime<Utc> = start + TimeDelta::seconds(30 * i as i64);
        if i % AUDIT_EVERY == 0 {
            ledger
                .audit(now, Some("14"), "login", "")
                .expect("audit a login");
        }
        let d = draft(&mut rng, &products);
        lines += d.lines.len();
        let millis = u64::try_from(now.timestamp_millis()).unwrap_or(0);
        let id = uuid::Builder::from_unix_timestamp_millis(millis, &rng.bytes10())
            .into_uuid()
            .to_string();
        ledger
            .commit_sale(d, id, TILL_ID, now, TZ)
            .expect("commit a sale");
    }
    let conn = ledger.connection();
    conn.pragma_update(None, "synchronous", "FULL")
        .expect("pragma");
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .expect("checkpoint");
    drop(ledger);
    remove_db(path);
    std::fs::rename(&partial, path).expect("move the ledger into the cache");
    println!(
        "  built {sales} sales / {lines} lines in {:.1} s (commit_sale each, synchronous=OFF for the load)",
        started.elapsed().as_secs_f64()
    );
}

/// A private copy of the cached ledger (the drain marks its rows sent).
fn copy_ledger(cached: &Path) -> (tempfile::TempDir, Ledger) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(cached, dir.path().join(kaching::store::LEDGER_FILE)).expect("copy the ledger");
    let ledger = Ledger::open_in(dir.path()).expect("open the ledger copy");
    (dir, ledger)
}

// ---------------------------------------------------------------------------------------------
// 1. Reconcile 100 000 queued sales.

#[derive(Default)]
struct SyncRun {
    total: Duration,
    read: Duration,
    push: Duration,
    mark: Duration,
    batches: usize,
    rows: usize,
}

#[derive(Default)]
struct RawRun {
    total: Duration,
    batches: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Run {
    /// The sync path as the till runs it.
    Sync,
    /// The baseline.
    Raw,
    /// The sync path with `reset_connection=false` in the URL: what the pool's connection reset
    /// costs (a diagnostic, not the goal's figure).
    SyncNoReset,
}

/// Server-wide counters (other clients of the server count too; the connection that reads them
/// is not counted).
const COUNTERS: [&str; 4] = [
    "Connections",
    "Com_stmt_prepare",
    "Com_stmt_execute",
    "Com_set_option",
];

fn server_counters() -> Vec<i64> {
    let rows: Vec<(String, String)> = admin(server_url().to_string(), |c| {
        Box::pin(c.query(
            "SHOW GLOBAL STATUS WHERE Variable_name IN ('Connections', 'Com_stmt_prepare', 'Com_stmt_execute', 'Com_set_option')",
        ))
    })
    .unwrap_or_default();
    COUNTERS
        .iter()
        .map(|k| {
            rows.iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(k))
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0)
        })
        .collect()
}

fn counters_delta(before: &[i64], after: &[i64]) -> String {
    let names = ["connections", "prepares", "executes", "SETs"];
    names
        .iter()
        .zip(before.iter().zip(after))
        .enumerate()
        .map(|(i, (n, (b, a)))| format!("{} {n}", a - b - i64::from(i == 0)))
        .collect::<Vec<_>>()
        .join(", ")
}

struct Expected {
    sales: i64,
    lines: i64,
    audit: i64,
}

/// What `SyncActor`'s round does, in line: batches until the outbox is empty.
async fn sync_drain(ledger: &mut Ledger, central: &Central) -> SyncRun {
    let mut run = SyncRun::default();
    let started = Instant::now();
    loop {
        let t = Instant::now();
        let rows = ledger.outbox_batch(BATCH).expect("outbox batch");
        run.read += t.elapsed();
        if rows.is_empty() {
            break;
        }
        let now = Utc::now();
        let t = Instant::now();
        central
            .push(TILL_ID, TZ, &rows, now.timestamp_millis())
            .await
            .expect("push a batch");
        run.push += t.elapsed();
        let seqs: Vec<i64> = rows.iter().map(|r| r.seq).collect();
        let t = Instant::now();
        ledger.mark_sent(&seqs, now).expect("mark sent");
        run.mark += t.elapsed();
        run.batches += 1;
        run.rows += rows.len();
    }
    run.total = started.elapsed();
    run
}

fn placeholders(rows: usize, cols: usize) -> String {
    let one = format!("({})", vec!["?"; cols].join(", "));
    vec![one; rows].join(", ")
}

/// A sale's central row, as `Central::push` builds it.
fn sale_row(sale: &Sale, received_at: i64) -> Vec<Value> {
    let day = sale.paid_at.with_timezone(&TZ).date_naive();
    vec![
        sale.id.clone().into(),
        sale.till_id.clone().into(),
        sale.ticket_no.into(),
        sale.staff_id.as_str().to_owned().into(),
        sale.staff_name.clone().into(),
        sale.account.as_str().to_owned().into(),
        sale.method.as_str().to_owned().into(),
        sale.payment_ref.clone().into(),
        sale.revenue.cents().into(),
        sale.withdrawal.cents().into(),
        sale.paid.cents().into(),
        sale.tendered.map(Money::cents).into(),
        sale.change.cents().into(),
        kaching::domain::sale::format_instant(sale.paid_at).into(),
        day.to_string().into(),
        sale.prev_hash.clone().into(),
        sale.hash.clone().into(),
        received_at.into(),
    ]
}

/// The statements of one outbox batch as plain INSERTs: the same chunks and columns as
/// `Central::push`, built before the clock starts.
fn raw_batch(rows: &[OutboxRow], received_at: i64) -> Vec<(String, Vec<Value>)> {
    let mut stmts = Vec::new();
    let mut sales: Vec<Sale> = Vec::new();
    let mut audit: Vec<Vec<Value>> = Vec::new();
    for r in rows {
        match r.kind.as_str() {
            "sale" => sales.push(serde_json::from_str(&r.payload).expect("sale payload")),
            _ => {
                let v: serde_json::Value = serde_json::from_str(&r.payload).expect("audit payload");
                audit.push(vec![
                    TILL_ID.to_owned().into(),
                    v["seq"].as_i64().unwrap_or(0).into(),
                    v["at"].as_str().unwrap_or_default().to_owned().into(),
                    v["staff_id"].as_str().map(str::to_owned).into(),
                    v["action"].as_str().unwrap_or_default().to_owned().into(),
                    v["detail"].as_str().unwrap_or_default().to_owned().into(),
                ]);
            }
        }
    }
    for chunk in sales.chunks(CHUNK) {
        let params: Vec<Value> = chunk
            .iter()
            .flat_map(|s| sale_row(s, received_at))
            .collect();
        stmts.push((
            format!(
                "INSERT INTO sales ({SALE_COLUMNS}) VALUES {}",
                placeholders(chunk.len(), 18)
            ),
            params,
        ));
        let lines: Vec<Value> = chunk
            .iter()
            .flat_map(|s| {
                s.lines.iter().flat_map(move |l| {
                    vec![
                        s.id.clone().into(),
                        l.line_no.into(),
                        l.kind.as_str().to_owned().into(),
                        l.product_code.clone().into(),
                        l.name.clone().into(),
                        l.unit.cents().into(),
                        l.qty.into(),
                        l.total.cents().into(),
                        l.vat.map(VatRate::percent).into(),
                    ]
                })
            })
            .collect();
        for line_chunk in lines.chunks(CHUNK * 9) {
            stmts.push((
                format!(
                    "INSERT INTO sale_lines ({LINE_COLUMNS}) VALUES {}",
                    placeholders(line_chunk.len() / 9, 9)
                ),
                line_chunk.to_vec(),
            ));
        }
    }
    for chunk in audit.chunks(CHUNK) {
        stmts.push((
            format!(
                "INSERT INTO audit ({AUDIT_COLUMNS}) VALUES {}",
                placeholders(chunk.len(), 6)
            ),
            chunk.concat(),
        ));
    }
    stmts
}

/// A pool like `Central`'s: same session setup, prepared statements (`exec_drop`).
fn raw_pool(url: &str) -> Pool {
    let opts = Opts::from_url(url).expect("URL");
    let opts = OptsBuilder::from_opts(opts).setup(vec![
        "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
        "SET SESSION innodb_lock_wait_timeout = 20",
        "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'",
    ]);
    Pool::new(opts)
}

/// The baseline: one transaction per outbox batch, its INSERTs and COMMIT, nothing else.
async fn raw_insert(pool: &Pool, batches: &[Vec<(String, Vec<Value>)>]) -> RawRun {
    let mut conn = pool.get_conn().await.expect("connection");
    let started = Instant::now();
    for stmts in batches {
        let mut tx = conn
            .start_transaction(TxOpts::default())
            .await
            .expect("begin");
        for (sql, params) in stmts {
            tx.exec_drop(sql.as_str(), params.clone())
                .await
                .expect("raw insert");
        }
        tx.commit().await.expect("commit");
    }
    RawRun {
        total: started.elapsed(),
        batches: batches.len(),
    }
}

fn check_counts(db: &BenchDb, expected: &Expected, what: &str) {
    let got = (db.count("sales"), db.count("sale_lines"), db.count("audit"));
    assert_eq!(
        got,
        (expected.sales, expected.lines, expected.audit),
        "{what}: the central database holds (sales, lines, audit) = {got:?}"
    );
}

fn reconcile_bench(quick: bool) {
    let n = if quick { 10_000 } else { 100_000 };
    println!();
    println!(
        "== reconcile {n} queued sales into MariaDB: sync path (BATCH = {BATCH} outbox rows, {CHUNK}-row INSERTs) vs raw multi-row INSERT"
    );
    let cached = queued_ledger(n);

    // What the baseline inserts: every outbox row, read and decoded before the clock starts.
    let t = Instant::now();
    let (_dir, ledger) = copy_ledger(&cached);
    let rows = ledger
        .outbox_batch(usize::MAX >> 1)
        .expect("read the outbox");
    drop(ledger);
    let received_at = Utc::now().timestamp_millis();
    let decode = Instant::now();
    let batches: Vec<Vec<(String, Vec<Value>)>> = rows
        .chunks(BATCH)
        .map(|b| raw_batch(b, received_at))
        .collect();
    let decode = decode.elapsed();
    let n_sales = rows.iter().filter(|r| r.kind == "sale").count();
    let n_audit = rows.len() - n_sales;
    let payload_bytes: usize = rows.iter().map(|r| r.payload.len()).sum();
    let n_lines: usize = batches
        .iter()
        .flatten()
        .filter(|(sql, _)| sql.starts_with("INSERT INTO sale_lines"))
        .map(|(_, p)| p.len() / 9)
        .sum();
    drop(rows);
    println!(
        "  outbox: {n_sales} sales ({n_lines} lines, {:.2} lines/sale) + {n_audit} audit rows, {:.1} MB of JSON; \
         baseline statements prepared in {:.2} s (JSON decode + parameters, not timed)",
        n_lines as f64 / n_sales as f64,
        payload_bytes as f64 / 1e6,
        t.elapsed().as_secs_f64(),
    );
    let expected = Expected {
        sales: i64::try_from(n_sales).unwrap_or(0),
        lines: i64::try_from(n_lines).unwrap_or(0),
        audit: i64::try_from(n_audit).unwrap_or(0),
    };

    let rt = runtime();
    let mut syncs: Vec<SyncRun> = Vec::new();
    let mut raws: Vec<RawRun> = Vec::new();
    // Symmetric order (sync, raw, diagnostic, diagnostic, raw, sync) so that no kind always
    // runs first or last; the diagnostic is not in the goal's figure.
    let plan = [
        Run::Sync,
        Run::Raw,
        Run::SyncNoReset,
        Run::SyncNoReset,
        Run::Raw,
        Run::Sync,
    ];
    let mut no_reset: Vec<SyncRun> = Vec::new();
    for (i, kind) in plan.into_iter().enumerate() {
        match kind {
            Run::Sync | Run::SyncNoReset => {
                let (dir, mut ledger) = copy_ledger(&cached);
                let db = BenchDb::create("sync");
                let url = if kind == Run::Sync {
                    db.url.clone()
                } else {
                    format!("{}?reset_connection=false", db.url)
                };
                let url = Secret::new(url);
                let before = server_counters();
                let run = rt.block_on(async {
                    let central = Central::new(&url).expect("central URL");
                    let run = sync_drain(&mut ledger, &central).await;
                    central.disconnect().await;
                    run
                });
                let counters = counters_delta(&before, &server_counters());
                assert_eq!(ledger.outbox_pending().expect("pending"), 0);
                check_counts(&db, &expected, "sync");
                assert_eq!(run.rows, n_sales + n_audit);
                println!(
                    "  run {}: {} {:>7.2} s  {:>7.0} sales/s  ({} batches; outbox_batch {:.2} s, Central::push {:.2} s, mark_sent {:.2} s; server: {})",
                    i + 1,
                    if kind == Run::Sync {
                        "sync                          "
                    } else {
                        "sync, reset_connection=false  "
                    },
                    run.total.as_secs_f64(),
                    n_sales as f64 / run.total.as_secs_f64(),
                    run.batches,
                    run.read.as_secs_f64(),
                    run.push.as_secs_f64(),
                    run.mark.as_secs_f64(),
                    counters,
                );
                drop(ledger);
                drop(dir);
                if kind == Run::Sync {
                    syncs.push(run);
                } else {
                    no_reset.push(run);
                }
            }
            Run::Raw => {
                let db = BenchDb::create("raw");
                let before = server_counters();
                let run = rt.block_on(async {
                    let pool = raw_pool(&db.url);
                    let run = raw_insert(&pool, &batches).await;
                    let _ = pool.disconnect().await;
                    run
                });
                let counters = counters_delta(&before, &server_counters());
                check_counts(&db, &expected, "raw");
                println!(
                    "  run {}: raw                            {:>7.2} s  {:>7.0} sales/s  ({} transactions; server: {})",
                    i + 1,
                    run.total.as_secs_f64(),
                    n_sales as f64 / run.total.as_secs_f64(),
                    run.batches,
                    counters,
                );
                raws.push(run);
            }
        }
    }
    let mean = |v: &[Duration]| v.iter().map(Duration::as_secs_f64).sum::<f64>() / v.len() as f64;
    let sync_s = mean(&syncs.iter().map(|r| r.total).collect::<Vec<_>>());
    let raw_s = mean(&raws.iter().map(|r| r.total).collect::<Vec<_>>());
    let per = |f: fn(&SyncRun) -> Duration| mean(&syncs.iter().map(f).collect::<Vec<_>>());
    println!(
        "  mean: sync {sync_s:.2} s ({:.0} sales/s, {:.0} lines/s), raw {raw_s:.2} s ({:.0} sales/s)",
        n_sales as f64 / sync_s,
        n_lines as f64 / sync_s,
        n_sales as f64 / raw_s
    );
    println!(
        "  sync breakdown (mean): outbox_batch {:.2} s, Central::push {:.2} s (of which the raw INSERTs' own time ~{raw_s:.2} s), mark_sent {:.2} s; \
         JSON decode + parameters alone: {:.2} s",
        per(|r| r.read),
        per(|r| r.push),
        per(|r| r.mark),
        decode.as_secs_f64()
    );
    let ratio = sync_s / raw_s;
    println!(
        "  goal sync <= 2 x raw: {} (ratio {ratio:.2})",
        if ratio <= 2.0 { "MET" } else { "NOT MET" }
    );
    if !no_reset.is_empty() {
        let total = mean(&no_reset.iter().map(|r| r.total).collect::<Vec<_>>());
        let push = mean(&no_reset.iter().map(|r| r.push).collect::<Vec<_>>());
        println!(
            "  diagnostic: the same sync path with the pool's connection reset off (URL ?reset_connection=false): {total:.2} s (mean), \
             {:.2} x raw (Central::push {push:.2} s)",
            total / raw_s
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Link restored → pending = 0.

/// A TCP proxy between the till and MariaDB that the bench cuts and restores (as tests/sync.rs).
struct Proxy {
    port: u16,
    up: Arc<AtomicBool>,
    conns: Arc<Mutex<Vec<TcpStream>>>,
}

impl Proxy {
    fn start(target_port: u16) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the proxy");
        let port = listener.local_addr().expect("proxy address").port();
        let up = Arc::new(AtomicBool::new(true));
        let conns: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
        let (u, c) = (up.clone(), conns.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                if !u.load(Ordering::SeqCst) {
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                }
                let Ok(server) = TcpStream::connect(("127.0.0.1", target_port)) else {
                    continue;
                };
                let _ = (client.set_nodelay(true), server.set_nodelay(true));
                if let (Ok(a), Ok(b)) = (client.try_clone(), server.try_clone()) {
                    c.lock().expect("proxy lock").extend([a, b]);
                }
                let (Ok(c2), Ok(s2)) = (client.try_clone(), server.try_clone()) else {
                    continue;
                };
                for (mut from, mut to) in [(c2, s2), (server, client)] {
                    std::thread::spawn(move || {
                        let mut buf = [0u8; 64 * 1024];
                        loop {
                            match from.read(&mut buf) {
                                Ok(0) | Err(_) => break,
                                Ok(n) => {
                                    if to.write_all(&buf[..n]).is_err() {
                                        break;
                                    }
                                }
                            }
                        }
                        let _ = to.shutdown(Shutdown::Both);
                    });
                }
            }
        });
        Proxy { port, up, conns }
    }

    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for c in self.conns.lock().expect("proxy lock").drain(..) {
            let _ = c.shutdown(Shutdown::Both);
        }
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }

    /// `url` through the proxy.
    fn url(&self, url: &str) -> String {
        let mut u = url::Url::parse(url).expect("URL");
        u.set_host(Some("127.0.0.1")).expect("host");
        u.set_port(Some(self.port)).expect("port");
        // mysql_async would otherwise switch a loopback connection to the Unix socket, around
        // the proxy.
        u.query_pairs_mut().append_pair("prefer_socket", "false");
        u.to_string()
    }
}

const EVENT_TIMEOUT: Duration = Duration::from_secs(30);

/// The till, its events, and the connectivity events seen (with when).
struct Counter {
    till: Till,
    events: UnboundedReceiver<TillEvent>,
    connectivity: Vec<(Instant, bool, i64)>,
}

impl Counter {
    /// Runs `command`; returns the events it caused (and any background event in between).
    async fn run(&mut self, command: Command) -> Vec<TillEvent> {
        self.till.execute(command).await;
        let mut out = Vec::new();
        while let Ok(e) = self.events.try_recv() {
            if let TillEvent::Connectivity {
                online, pending, ..
            } = e
            {
                self.connectivity.push((Instant::now(), online, pending));
            }
            out.push(e);
        }
        out
    }

    async fn status(&mut self) -> StatusView {
        self.till.execute(Command::Status).await;
        loop {
            match tokio::time::timeout(EVENT_TIMEOUT, self.events.recv()).await {
                Ok(Some(TillEvent::Status(s))) => return *s,
                Ok(Some(TillEvent::Connectivity {
                    online, pending, ..
                })) => {
                    self.connectivity.push((Instant::now(), online, pending));
                }
                Ok(Some(_)) => {}
                Ok(None) => panic!("the till's event channel closed"),
                Err(_) => panic!("no status event within {EVENT_TIMEOUT:?}"),
            }
        }
    }

    /// Polls `status` every `POLL` until `done`; returns the last status.
    async fn wait_until(
        &mut self,
        what: &str,
        limit: Duration,
        mut done: impl FnMut(&StatusView) -> bool,
    ) -> StatusView {
        let deadline = Instant::now() + limit;
        loop {
            let s = self.status().await;
            if done(&s) {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "{what}: not within {limit:?}: {s:?}"
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// One sale: three scans and a cash payment.
    async fn sell(&mut self, codes: &[String]) {
        for c in codes {
            self.run(Command::Scan(c.clone())).await;
        }
        let evs = self
            .run(Command::Pay {
                account: Account::Main,
                method: PaymentMethod::Cash,
                tendered: None,
            })
            .await;
        assert!(
            evs.iter()
                .any(|e| matches!(e, TillEvent::SaleCommitted { .. })),
            "no sale committed: {evs:?}"
        );
    }
}

struct Trial {
    cut_for: Duration,
    failed_rounds: u64,
    pending_at_restore: i64,
    first_ack: Duration,
    zero: Duration,
    connectivity: Vec<(Duration, bool, i64)>,
}

fn restore_bench(quick: bool) {
    // The cut lasts as long as the sales take, except in the last trial (a long outage).
    let long_cut = Duration::from_secs(60);
    let trials: Vec<Option<Duration>> = if quick {
        vec![None]
    } else {
        vec![None, None, None, Some(long_cut)]
    };
    println!();
    println!(
        "== link restored -> outbox_pending = 0 for {RESTORE_SALES} sales queued while cut (in-process runtime, SYNC_EVERY = {SYNC_EVERY:?}, status polled every {POLL:?}); {} trial(s)",
        trials.len()
    );
    let db = BenchDb::create("restore");
    let port = url::Url::parse(&db.url)
        .expect("URL")
        .port()
        .unwrap_or(3306);
    let proxy = Proxy::start(port);

    let dir = tempfile::tempdir().expect("temp dir");
    let hasher = PinHasher::new(Secret::new("bench"));
    let mut rng = Rng(SEED ^ 0x7e57);
    let products = catalogue(50, &mut rng);
    {
        let mut ledger = Ledger::open_in(dir.path()).expect("open the ledger");
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
    let mut raw = RawSettings::default();
    raw.hours.open = "00:00".into();
    raw.hours.close = "23:59".into();
    raw.till.id = "bench-till".into();
    raw.central.url = Secret::new(proxy.url(&db.url));
    let settings = raw.validate().expect("bench settings");
    let clock: SharedClock = Arc::new(SystemClock);

    let system = actix::System::new();
    let results: Vec<Trial> = system.block_on(async {
        let till = Till::start(settings.runtime(), dir.path(), clock, hasher).expect("start the till");
        let events = till.subscribe();
        let mut c = Counter {
            till,
            events,
            connectivity: Vec::new(),
        };
        let evs = c
            .run(Command::Login {
                id: "1".into(),
                pin: "1111".into(),
            })
            .await;
        assert!(
            evs.iter().any(|e| matches!(e, TillEvent::LoggedIn { .. })),
            "the bench admin could not log in: {evs:?}"
        );
        c.wait_until("first sync", EVENT_TIMEOUT, |s| {
            s.online == Some(true) && s.outbox_pending == 0
        })
        .await;
        let mut results = Vec::new();
        for (k, extra) in trials.iter().enumerate() {
            proxy.cut();
            let cut_at = Instant::now();
            let before = c.status().await.sync_rounds;
            c.wait_until("offline", EVENT_TIMEOUT, |s| s.online == Some(false))
                .await;
            let t = Instant::now();
            for _ in 0..RESTORE_SALES {
                let codes: Vec<String> = (0..3)
                    .map(|_| {
                        products[rng.below(products.len())]
                            .code
                            .as_str()
                            .to_owned()
                    })
                    .collect();
                c.sell(&codes).await;
            }
            let selling = t.elapsed();
            if let Some(d) = extra
                && let Some(rest) = d.checked_sub(cut_at.elapsed())
            {
                tokio::time::sleep(rest).await;
            }
            let s = c.status().await;
            let failed_rounds = s.sync_rounds - before;
            let pending_at_restore = s.outbox_pending;
            c.connectivity.clear();
            proxy.restore();
            let restored = Instant::now();
            let cut_for = restored - cut_at;
            let mut first_ack = None;
            let last = c
                .wait_until("pending = 0", Duration::from_secs(180), |s| {
                    if first_ack.is_none() && s.outbox_pending < pending_at_restore {
                        first_ack = Some(restored.elapsed());
                    }
                    s.outbox_pending == 0
                })
                .await;
            let zero = restored.elapsed();
            assert_eq!(last.outbox_pending, 0);
            // `online` turns true at the end of the round (after the pulls and the heartbeat),
            // a few milliseconds after the last batch is marked sent: wait for it (not timed) so
            // the next trial starts online.
            c.wait_until("online", EVENT_TIMEOUT, |s| s.online == Some(true))
                .await;
            let trial = Trial {
                cut_for,
                failed_rounds,
                pending_at_restore,
                first_ack: first_ack.unwrap_or(zero),
                zero,
                connectivity: c
                    .connectivity
                    .iter()
                    .map(|(t, o, p)| (t.saturating_duration_since(restored), *o, *p))
                    .collect(),
            };
            println!(
                "  trial {}: cut {:>5.1} s ({RESTORE_SALES} sales in {:.1} s, {} failed rounds), {} pending at restore: \
                 first batch acknowledged {:.2} s after restore, pending = 0 after {:.2} s",
                k + 1,
                trial.cut_for.as_secs_f64(),
                selling.as_secs_f64(),
                trial.failed_rounds,
                trial.pending_at_restore,
                trial.first_ack.as_secs_f64(),
                trial.zero.as_secs_f64()
            );
            let timeline: Vec<String> = trial
                .connectivity
                .iter()
                .map(|(t, o, p)| {
                    format!(
                        "+{:.2} s {} pending {p}",
                        t.as_secs_f64(),
                        if *o { "online" } else { "offline" }
                    )
                })
                .collect();
            println!("           connectivity events: {}", timeline.join(", "));
            results.push(trial);
        }
        results
    });
    let central_sales = db.count("sales");
    assert_eq!(
        central_sales,
        i64::try_from(RESTORE_SALES * results.len()).unwrap_or(0),
        "every sale reached the central database"
    );
    let short: Vec<&Trial> = if quick {
        results.iter().collect()
    } else {
        results[..results.len() - 1].iter().collect()
    };
    let worst = short.iter().map(|t| t.zero).max().unwrap_or_default();
    let drain = short
        .iter()
        .map(|t| t.zero.saturating_sub(t.first_ack))
        .max()
        .unwrap_or_default();
    println!(
        "  {central_sales} sales in the central database; after outages of the length of the sales: worst {:.2} s to pending = 0 \
         (the drain itself, first acknowledged batch -> 0: <= {:.2} s)",
        worst.as_secs_f64(),
        drain.as_secs_f64()
    );
    println!(
        "  goal restored -> pending = 0 <= 5 s (short outages): {} ({:.2} s)",
        if worst <= Duration::from_secs(5) {
            "MET"
        } else {
            "NOT MET"
        },
        worst.as_secs_f64()
    );
    if let (false, Some(t)) = (quick, results.last()) {
        println!(
            "  after a {:.0} s outage: {:.2} s to pending = 0 (goal {})",
            t.cut_for.as_secs_f64(),
            t.zero.as_secs_f64(),
            if t.zero <= Duration::from_secs(5) {
                "MET"
            } else {
                "NOT MET"
            }
        );
    }
    drop(system);
    drop(dir);
    backoff_model();
}

/// When a till retries after failures: only on an interval tick (today), or also the moment its
/// backoff ends (`notify_later`, a proposal).
#[derive(Clone, Copy)]
struct RetryPolicy {
    name: &'static str,
    max_delay: Duration,
    at_expiry: bool,
}

/// `SyncActor`'s backoff (src/actors/sync.rs, `backoff_builder`) with `max_delay`.
fn backoff(max_delay: Duration) -> backon::ExponentialBackoff {
    use backon::BackoffBuilder;
    backon::ExponentialBuilder::default()
        .with_jitter()
        .with_min_delay(Duration::from_millis(250))
        .with_max_delay(max_delay)
        .without_max_times()
        .build()
}

/// The model of `SyncActor`'s retries for an outage of `outage` seconds starting at a random
/// phase of the `SYNC_EVERY` interval: rounds fail at once while the link is down (a refused
/// connection), each failure draws the next delay from the real backoff, and a round runs on a
/// tick that is not before the backoff's end (and, with `at_expiry`, at that end too). Returns
/// the time from the link restored to the start of the first round that succeeds.
fn model_wait(outage: f64, policy: RetryPolicy, rng: &mut Rng) -> f64 {
    let tick = SYNC_EVERY.as_secs_f64();
    let phase = rng.unit() * tick;
    let next_tick = |t: f64| ((t + phase) / tick).ceil() * tick - phase;
    let mut b = backoff(policy.max_delay);
    // The first round after the cut: the next tick (no backoff yet: the till was online).
    let mut attempt = next_tick(1e-9);
    loop {
        if attempt >= outage {
            return attempt - outage;
        }
        let delay = b.next().map_or(30.0, |d| d.as_secs_f64());
        let not_before = attempt + delay;
        attempt = if policy.at_expiry {
            not_before
        } else {
            next_tick(not_before)
        };
    }
}

/// The model above over many outages: how long after the link is back the till starts pushing.
fn backoff_model() {
    let policies = [
        RetryPolicy {
            name: "today: ticks only, max_delay 30 s",
            max_delay: Duration::from_secs(30),
            at_expiry: false,
        },
        RetryPolicy {
            name: "retry at backoff end, max_delay 30 s",
            max_delay: Duration::from_secs(30),
            at_expiry: true,
        },
        RetryPolicy {
            name: "ticks only, max_delay 1 s",
            max_delay: Duration::from_secs(1),
            at_expiry: false,
        },
        RetryPolicy {
            name: "retry at backoff end, max_delay 2 s",
            max_delay: Duration::from_secs(2),
            at_expiry: true,
        },
    ];
    let outages = [3.0, 10.0, 20.0, 30.0, 60.0, 300.0, 1_800.0];
    let samples = 20_000;
    println!();
    println!(
        "== model of the retry schedule (SyncActor's backoff: 250 ms x 2^n, + up to 100 % jitter, ticks every {SYNC_EVERY:?}; \
         failed rounds instantaneous): restore -> first round that succeeds, s, p50 / p90 / max of {samples} random outages"
    );
    print!("  {:<40}", "outage (s)");
    for o in outages {
        print!(" {:>15}", format!("{o:.0}"));
    }
    println!();
    let mut rng = Rng(SEED ^ 0xbac0);
    for p in policies {
        print!("  {:<40}", p.name);
        for o in outages {
            let mut w: Vec<f64> = (0..samples).map(|_| model_wait(o, p, &mut rng)).collect();
            w.sort_by(f64::total_cmp);
            let at = |q: f64| w[((q * w.len() as f64) as usize).min(w.len() - 1)];
            print!(
                " {:>15}",
                format!("{:.1}/{:.1}/{:.1}", at(0.5), at(0.9), w[w.len() - 1])
            );
        }
        println!();
    }
}
