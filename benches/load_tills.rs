//! The central half of the load bench (issue 16): many tills pushing their sales into ONE central
//! MariaDB database at the same time, measured (never asserted) and printed.
//!
//! 1. `inprocess` (the main figure): `KACHING_BENCH_TILLS` tills (default 50) in this process.
//!    Each has its own real SQLite ledger in a temp dir (`Ledger::open_in`: WAL,
//!    `synchronous=FULL`), its own `LedgerActor` thread and its own `SyncActor` with its own
//!    `Central` pool, wired exactly as `Till::start` wires them (src/actors/mod.rs), each till's
//!    runtime an actix `System` on a thread of its own, as `kaching till` runs it. (Not an
//!    `Arbiter` per till: there mysql_async's pool hands a returned connection back too late for
//!    the round's next statement, and every till held two connections instead of one.) The sync path is therefore the program's, not a copy of it: outbox batches of
//!    `BATCH` rows every `SYNC_EVERY`, `Central::push` in one transaction, `mark_sent`, the
//!    staff and catalogue pulls, the heartbeat, the backoff. Each till records sales at a steady
//!    pace (`KACHING_BENCH_RATE` sales/s, default 1; baskets of 1-10 lines) through the real
//!    store API: `Ledger::commit_sale` sent to its `LedgerActor` as `PaymentActor` does. The
//!    SyncActors start spread over one `SYNC_EVERY` (tills are not switched on in the same
//!    millisecond), and the sales of the tills are spread over one sale interval.
//!
//!    What is measured, without touching the program: a TEMP trigger on each ledger's own
//!    connection (installed before the ledger goes to its actor) records when each outbox row
//!    is marked sent — i.e. when the central COMMIT of its batch has returned and the till has
//!    written that down. A batch's rows share their `sent_at` (the SyncActor's clock just before
//!    `Central::push`), so per batch: `sent_at` → marked = the push and the mark. Per sale:
//!    `commit_sale` returned → marked (recorded locally → acknowledged centrally, so visible
//!    there since a few ms). Errors and retries by kind come from the program's own log events
//!    (a `tracing` layer counting WARN and ERROR events by message and error code), and from
//!    the outbox's `attempts`.
//! 2. `processes` (the real program): `KACHING_BENCH_PROCS` (default 8) `kaching till
//!    --headless` processes with `KACHING_CENTRAL__URL`, each seeded like a demo shop (plus 40
//!    articles), logged in, and fed sales through the headless JSON-lines protocol (scans then
//!    `pay main cash`) at `KACHING_BENCH_RATE` sales/s each. An observer polls the central
//!    database (per till, the highest ticket number) every `OBSERVE_EVERY`: per sale, the
//!    `sale_committed` event → first seen centrally. Errors from the tills' logs (WARN and up).
//!
//! Both end with the check: the central database holds every sale exactly once (per till: the
//! count, the highest ticket number, the distinct ids and ticket numbers, the lines and the
//! amount paid equal the till's own). A mismatch fails the bench, after the figures.
//!
//! The central server is `KACHING_BENCH_MYSQL_URL` (else `KACHING_TEST_MYSQL_URL`, else
//! `mysql://root@127.0.0.1:3306`); tills connect over TCP (`prefer_socket=false`), as a till on
//! the shop's network does. Each mode creates a fresh `kaching_load_<pid>` database, migrates
//! it with the program's migrations (`Central::migrate`) and drops it at the end, on a panic
//! too; a `kaching_load_<pid>` left by a killed run (its process gone) is dropped at the next
//! start.
//!
//! `cargo bench --bench load_tills` runs both; `-- inprocess` or `-- processes` one.
//! `KACHING_BENCH_TILLS`, `KACHING_BENCH_SECONDS` (default 60), `KACHING_BENCH_RATE` (sales/s per
//! till, default 1), `KACHING_BENCH_PROCS`; `KACHING_BENCH_QUICK=1`: a smoke run (10 tills and
//! 3 processes for 5 s each, under 30 s once built). Figures: docs/BENCHMARKS.md.

#[path = "../tests/common/mod.rs"]
mod common;
mod support;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{Rng, load_average};

use actix::prelude::*;
use chrono::Utc;
use chrono_tz::Tz;
use mysql_async::prelude::Queryable;
use serde_json::Value;
use tracing_subscriber::layer::SubscriberExt;

use kaching::actors::ledger::{self, LedgerActor};
use kaching::actors::sync::{BATCH, GetSyncState, SyncActor};
use kaching::actors::{EventHub, sync::SYNC_EVERY};
use kaching::clock::{SharedClock, SystemClock};
use kaching::domain::{
    Account, ArticleCode, Basket, Money, PaymentMethod, Product, SaleDraft, StaffId, VatRate,
};
use kaching::secrets::{Secret, redacted_url};
use kaching::store::{Ledger, StoreResult};
use kaching::sync::Central;

const TZ: Tz = chrono_tz::Europe::Brussels;
const SEED: u64 = 0x4c4f_4144_5449_4c4c;
/// Articles in the in-process tills' catalogue.
const CATALOGUE: usize = 500;
/// Extra articles imported into each headless till (the demo shop has 9).
const EXTRA_ARTICLES: usize = 40;
/// How often the observer of the `processes` mode reads the central database.
const OBSERVE_EVERY: Duration = Duration::from_millis(50);
/// How long the tills may take to push what is left once the sales stop.
const DRAIN_LIMIT: Duration = Duration::from_secs(180);

fn main() {
    let opts = Options::from_env();
    let wanted: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let runs = |name: &str| wanted.is_empty() || wanted.iter().any(|w| name.contains(w.as_str()));
    let errors = ErrorLog::install();
    println!(
        "KACHING load bench: many tills into one central database - {} run",
        if opts.quick { "QUICK (smoke)" } else { "full" }
    );
    machine(&opts);
    sweep_stale_databases(&opts.server);
    let mut failed = Vec::new();
    if runs("inprocess") && !inprocess(&opts, &errors) {
        failed.push("inprocess");
    }
    if runs("processes") && !processes(&opts) {
        failed.push("processes");
    }
    println!();
    println!("load average at end: {}", load_average());
    assert!(
        failed.is_empty(),
        "the central database does not hold every sale exactly once: {failed:?} (see above)"
    );
}

// ---------------------------------------------------------------------------------------------
// Options, the machine, the server.

struct Options {
    quick: bool,
    tills: usize,
    procs: usize,
    seconds: f64,
    /// Sales per second, per till.
    rate: f64,
    /// The server, without a database.
    server: url::Url,
}

/// `name` as a `T`, `default` when unset; a value that does not parse stops the bench with the
/// variable's name (bad input is an error, never silently the default).
fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T
where
    T::Err: std::fmt::Display,
{
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse()
            .unwrap_or_else(|e| panic!("{name}={v:?} is not a valid value: {e}")),
        _ => default,
    }
}

fn flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0")
}

impl Options {
    fn from_env() -> Options {
        let quick = flag("KACHING_BENCH_QUICK");
        let opts = Options {
            quick,
            tills: env_or("KACHING_BENCH_TILLS", if quick { 10 } else { 50 }),
            procs: env_or("KACHING_BENCH_PROCS", if quick { 3 } else { 8 }),
            seconds: env_or("KACHING_BENCH_SECONDS", if quick { 5.0 } else { 60.0 }),
            rate: env_or("KACHING_BENCH_RATE", if quick { 2.0 } else { 1.0 }),
            server: server_url(),
        };
        assert!(opts.tills >= 1, "KACHING_BENCH_TILLS must be at least 1");
        assert!(opts.procs >= 1, "KACHING_BENCH_PROCS must be at least 1");
        assert!(
            opts.seconds > 0.0 && opts.seconds.is_finite(),
            "KACHING_BENCH_SECONDS must be a positive number of seconds"
        );
        assert!(
            opts.rate > 0.0 && opts.rate <= 200.0,
            "KACHING_BENCH_RATE must be in (0, 200] sales per second per till"
        );
        opts
    }
}

fn server_url() -> url::Url {
    let raw = ["KACHING_BENCH_MYSQL_URL", "KACHING_TEST_MYSQL_URL"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|s| !s.trim().is_empty()))
        .unwrap_or_else(|| "mysql://root@127.0.0.1:3306".to_owned());
    let mut u = url::Url::parse(raw.trim())
        .unwrap_or_else(|e| panic!("KACHING_BENCH_MYSQL_URL is not a URL: {e}"));
    u.set_path("");
    u
}

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

/// Runs `f` with a fresh connection to `url` on a runtime and thread of its own (callable from
/// inside another runtime and from `Drop`).
fn admin<R: Send + 'static>(
    url: String,
    f: impl for<'a> FnOnce(
        &'a mut mysql_async::Conn,
    ) -> futures_util::future::BoxFuture<'a, Result<R, mysql_async::Error>>
    + Send
    + 'static,
) -> Result<R, mysql_async::Error> {
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime")
            .block_on(async move {
                let mut conn = mysql_async::Conn::from_url(url.as_str()).await?;
                let r = f(&mut conn).await;
                let _ = conn.disconnect().await;
                r
            })
    })
    .join()
    .expect("admin thread")
}

fn no_server(server: &url::Url, e: &mysql_async::Error) -> ! {
    panic!(
        "no MySQL/MariaDB server at {} ({e}): this benchmark needs one (set KACHING_BENCH_MYSQL_URL, \
         or start the local one: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd)",
        redacted_url(server.as_str())
    )
}

fn machine(opts: &Options) {
    println!(
        "machine: {} CPUs ({}), RAM {}, SQLite {}, load average at start: {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        proc_value("/proc/cpuinfo", "model name"),
        proc_value("/proc/meminfo", "MemTotal"),
        rusqlite::version(),
        load_average()
    );
    let vars = admin(opts.server.to_string(), |c| {
        Box::pin(async move {
            c.query_first::<(String, String, String, String, String), _>(
                "SELECT @@version, CAST(@@innodb_flush_log_at_trx_commit AS CHAR), \
                 CAST(@@innodb_buffer_pool_size AS CHAR), CAST(@@max_connections AS CHAR), CAST(@@log_bin AS CHAR)",
            )
            .await
        })
    })
    .unwrap_or_else(|e| no_server(&opts.server, &e))
    .unwrap_or_default();
    println!(
        "central: {} at {} (innodb_flush_log_at_trx_commit={}, innodb_buffer_pool_size={} MiB, max_connections={}, log_bin={})",
        vars.0,
        redacted_url(opts.server.as_str()),
        vars.1,
        vars.2.parse::<u64>().unwrap_or(0) / (1 << 20),
        vars.3,
        vars.4
    );
}

/// Drops the `kaching_load_<pid>` databases whose process is gone (a run killed before its own
/// clean-up); a running bench's database is left alone.
fn sweep_stale_databases(server: &url::Url) {
    let names: Vec<String> = admin(server.to_string(), |c| {
        Box::pin(c.query("SHOW DATABASES LIKE 'kaching\\_load\\_%'"))
    })
    .unwrap_or_else(|e| no_server(server, &e));
    for name in names {
        let Some(pid) = name
            .strip_prefix("kaching_load_")
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists() {
            continue;
        }
        let sql = format!("DROP DATABASE IF EXISTS `{name}`");
        match admin(server.to_string(), move |c| Box::pin(c.query_drop(sql))) {
            Ok(()) => println!(
                "dropped {name}, left by a run that did not finish (process {pid} is gone)"
            ),
            Err(e) => eprintln!("could not drop the stale {name}: {e}"),
        }
    }
}

/// `kaching_load_<pid>` with the central schema; dropped when this goes out of scope, on a
/// panic too.
struct LoadDb {
    name: String,
    server: url::Url,
    /// `mysql://…/kaching_load_<pid>?prefer_socket=false`.
    url: String,
}

impl LoadDb {
    fn create(server: &url::Url) -> LoadDb {
        let name = format!("kaching_load_{}", std::process::id());
        let sql = format!(
            "DROP DATABASE IF EXISTS `{name}`; CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
        );
        if let Err(e) = admin(server.to_string(), move |c| Box::pin(c.query_drop(sql))) {
            no_server(server, &e);
        }
        let mut u = server.clone();
        u.set_path(&format!("/{name}"));
        if !u.query_pairs().any(|(k, _)| k == "prefer_socket") {
            u.query_pairs_mut().append_pair("prefer_socket", "false");
        }
        let db = LoadDb {
            name,
            server: server.clone(),
            url: u.to_string(),
        };
        let url = Secret::new(db.url.clone());
        let applied = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime")
            .block_on(async move {
                let central = Central::new(&url).expect("central URL");
                let r = central.migrate().await;
                central.disconnect().await;
                r
            })
            .expect("central migrations");
        println!(
            "  database {} created and migrated ({} migrations)",
            db.name,
            applied.len()
        );
        db
    }

    fn query<T: mysql_async::prelude::FromRow + Send + 'static>(&self, sql: &str) -> Vec<T> {
        let sql = sql.to_owned();
        admin(self.url.clone(), move |c| Box::pin(c.query(sql))).expect("central query")
    }
}

impl Drop for LoadDb {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS `{}`", self.name);
        match admin(self.server.to_string(), move |c| {
            Box::pin(c.query_drop(sql))
        }) {
            Ok(()) => println!("  database {} dropped", self.name),
            Err(e) => eprintln!("could not drop the bench database {}: {e}", self.name),
        }
    }
}

/// Server-wide counters and gauges (every client of the server counts, ours included).
const STATUS: [&str; 5] = [
    "Innodb_row_lock_waits",
    "Innodb_row_lock_time",
    "Innodb_deadlocks",
    "Innodb_data_fsyncs",
    "Aborted_connects",
];

fn server_status(server: &url::Url) -> HashMap<String, i64> {
    let rows: Vec<(String, String)> = admin(server.to_string(), |c| {
        Box::pin(c.query(format!(
            "SHOW GLOBAL STATUS WHERE Variable_name IN ({})",
            STATUS.map(|s| format!("'{s}'")).join(", ")
        )))
    })
    .unwrap_or_default();
    rows.into_iter()
        .map(|(k, v)| (k, v.parse().unwrap_or(0)))
        .collect()
}

fn status_delta(before: &HashMap<String, i64>, after: &HashMap<String, i64>) -> String {
    STATUS
        .iter()
        .map(|k| match (before.get(*k), after.get(*k)) {
            (Some(b), Some(a)) if a >= b => format!("{k} +{}", a - b),
            (Some(_), Some(a)) => format!("{k} {a} since the server restarted"),
            // The server refused the reading connection (e.g. too many connections).
            _ => format!("{k} ?"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Samples the server's connections every 500 ms: all of them, and those on the bench database.
struct Sampler {
    on: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<(i64, i64)>,
}

impl Sampler {
    fn start(server: &url::Url, db: &str) -> Sampler {
        let on = Arc::new(AtomicBool::new(true));
        let (server, db, flag) = (server.to_string(), db.to_owned(), on.clone());
        let thread = std::thread::spawn(move || {
            let (mut all, mut ours) = (0i64, 0i64);
            while flag.load(Ordering::Relaxed) {
                let db = db.clone();
                let counts: Option<(i64, i64)> = admin(server.clone(), move |c| {
                    Box::pin(c.exec_first(
                        "SELECT COUNT(*), CAST(COALESCE(SUM(DB = ?), 0) AS SIGNED) FROM information_schema.PROCESSLIST",
                        (db,),
                    ))
                })
                .ok()
                .flatten();
                if let Some((a, o)) = counts {
                    // The sampler's own connection is not counted.
                    all = all.max(a - 1);
                    ours = ours.max(o);
                }
                std::thread::sleep(Duration::from_millis(500));
            }
            (all, ours)
        });
        Sampler { on, thread }
    }

    fn stop(self) -> String {
        self.on.store(false, Ordering::Relaxed);
        let (all, ours) = self.thread.join().unwrap_or((0, 0));
        format!(
            "peak connections: {ours} on the bench database, {all} on the server (every client)"
        )
    }
}

/// CPU seconds (user + system) of a process, from `/proc/<pid>/stat`.
fn cpu_seconds(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces) in parentheses.
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// The server's process id when it runs on this machine (its pid file is readable).
fn server_pid(server: &url::Url) -> Option<String> {
    let file: Option<String> = admin(server.to_string(), |c| {
        Box::pin(c.query_first("SELECT @@pid_file"))
    })
    .ok()
    .flatten();
    let pid = std::fs::read_to_string(file?).ok()?.trim().to_owned();
    Path::new(&format!("/proc/{pid}/stat"))
        .exists()
        .then_some(pid)
}

/// CPU used over a span by this process, the server (when it runs here) and other processes
/// (the headless tills).
struct CpuMeter {
    started: Instant,
    /// (what, pid, CPU seconds at the start).
    procs: Vec<(String, String, f64)>,
}

impl CpuMeter {
    fn start(server: &url::Url, others: &[u32]) -> CpuMeter {
        let mut procs = vec![("this bench process".to_owned(), "self".to_owned())];
        match server_pid(server) {
            Some(pid) => procs.push(("the MariaDB server".to_owned(), pid)),
            None => println!(
                "  (the MariaDB server's CPU is not measured: not on this machine, or its pid file is unreadable)"
            ),
        }
        for (i, pid) in others.iter().enumerate() {
            procs.push((format!("till process {}", i + 1), pid.to_string()));
        }
        CpuMeter {
            started: Instant::now(),
            procs: procs
                .into_iter()
                .map(|(what, pid)| {
                    let at = cpu_seconds(&pid).unwrap_or(0.0);
                    (what, pid, at)
                })
                .collect(),
        }
    }

    /// Each process's share of one CPU since the start (the till processes summed).
    fn report(&self) -> String {
        let wall = self.started.elapsed().as_secs_f64().max(1e-9);
        let mut parts = Vec::new();
        let mut tills = (0usize, 0.0f64);
        for (what, pid, at) in &self.procs {
            let Some(now) = cpu_seconds(pid) else {
                parts.push(format!("{what}: not measured (its process ended)"));
                continue;
            };
            let used = now - at;
            if what.starts_with("till process") {
                tills.0 += 1;
                tills.1 += used;
            } else {
                parts.push(format!("{what} {:.0} %", 100.0 * used / wall));
            }
        }
        if tills.0 > 0 {
            parts.push(format!(
                "the {} till processes {:.0} % together",
                tills.0,
                100.0 * tills.1 / wall
            ));
        }
        format!("{} of one CPU over {wall:.1} s", parts.join(", "))
    }
}

// ---------------------------------------------------------------------------------------------
// Errors and retries by kind: the program's own WARN and ERROR log events, counted.

/// Counts WARN/ERROR events by message and the error's kind (its MySQL code, or a timeout, an
/// I/O fault…), keeping the first full text of each.
#[derive(Clone, Default)]
struct ErrorLog {
    counts: Arc<Mutex<BTreeMap<String, (u64, String)>>>,
}

impl ErrorLog {
    fn install() -> ErrorLog {
        let log = ErrorLog::default();
        let subscriber = tracing_subscriber::registry().with(log.clone());
        tracing::subscriber::set_global_default(subscriber).expect("one tracing subscriber");
        log
    }

    fn take(&self) -> BTreeMap<String, (u64, String)> {
        self.counts
            .lock()
            .map(|mut c| std::mem::take(&mut *c))
            .unwrap_or_default()
    }
}

/// The kind of an error text: the MySQL error code when there is one, else a family.
fn error_kind(text: &str) -> String {
    if let Some(i) = text.find("ERROR ") {
        let code: String = text[i + 6..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if !code.is_empty() {
            return format!("server error {code}");
        }
    }
    let lower = text.to_lowercase();
    for (needle, kind) in [
        (
            "no answer within",
            "timeout (no answer within CALL_TIMEOUT)",
        ),
        ("connection refused", "connection refused"),
        ("broken pipe", "connection lost (broken pipe)"),
        ("connection reset", "connection lost (reset)"),
        ("connectionclosed", "connection closed"),
        ("too many connections", "too many connections"),
        ("io error", "I/O error"),
        ("ledger", "local ledger"),
    ] {
        if lower.contains(needle) {
            return kind.to_owned();
        }
    }
    "other".to_owned()
}

#[derive(Default)]
struct Fields {
    message: String,
    error: String,
}

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        match field.name() {
            "message" => self.message = format!("{value:?}"),
            "error" => self.error = format!("{value:?}"),
            _ => {}
        }
    }

    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        match field.name() {
            "message" => self.message = value.to_owned(),
            "error" => self.error = value.to_owned(),
            _ => {}
        }
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for ErrorLog {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        let level = *event.metadata().level();
        if level > tracing::Level::WARN {
            return;
        }
        let mut f = Fields::default();
        event.record(&mut f);
        let full = if f.error.is_empty() {
            f.message.clone()
        } else {
            format!("{}: {}", f.message, f.error)
        };
        let key = format!(
            "{level} {}: {}",
            f.message,
            error_kind(if f.error.is_empty() {
                &f.message
            } else {
                &f.error
            })
        );
        if let Ok(mut c) = self.counts.lock() {
            c.entry(key).or_insert((0, full)).0 += 1;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Figures.

/// p50 / p90 / p99 / max of `v` (sorted here), in the unit given.
fn percentiles(v: &mut [f64], unit: &str) -> String {
    if v.is_empty() {
        return "no samples".into();
    }
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((q * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1];
    format!(
        "p50 {:.0} / p90 {:.0} / p99 {:.0} / max {:.0} {unit} (n = {})",
        at(0.50),
        at(0.90),
        at(0.99),
        v[v.len() - 1],
        v.len()
    )
}

fn wall_ms() -> f64 {
    Utc::now().timestamp_micros() as f64 / 1_000.0
}

// ---------------------------------------------------------------------------------------------
// Generated sales.

/// Lines a basket has: 1 to 10, 3.9 on average (a corner shop's small baskets, a few big ones).
const LINES_WEIGHTS: [usize; 10] = [18, 17, 15, 12, 10, 8, 7, 5, 4, 4];

fn catalogue(n: usize, rng: &mut Rng) -> Vec<Product> {
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
    (0..n)
        .map(|i| {
            let noun = NOUNS[rng.below(NOUNS.len())];
            Product {
                code: ArticleCode::parse(&format!("{}", 100_000 + i)).expect("article code"),
                barcode: None,
                name: format!("{noun} n°{i} {}g", 50 * (1 + rng.below(20))),
                price: Money::from_cents(49 + rng.below(2_500) as i64),
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

/// One customer's basket as the till would pay it: 1-10 distinct articles, some with a
/// quantity, 45 % cash (rounded to 5 cents, as in Belgium), the rest by QR.
fn draft(rng: &mut Rng, products: &[Product]) -> SaleDraft {
    let mut b = Basket::new();
    b.switch_to(Account::Main);
    let items = 1 + rng.weighted(&LINES_WEIGHTS);
    let mut chosen: Vec<usize> = Vec::with_capacity(items);
    while chosen.len() < items {
        let i = rng.below(products.len());
        if !chosen.contains(&i) {
            chosen.push(i);
        }
    }
    for i in chosen {
        let line = b.add_item(&products[i]).expect("add an item");
        if rng.percent(15) {
            b.set_qty(line, 2 + rng.below(3) as i64).expect("quantity");
        }
    }
    let lines = b.take(Account::Main);
    let (method, tendered) = if rng.percent(45) {
        let total = lines.total().cents();
        (
            PaymentMethod::Cash,
            Some(Money::from_cents(total.div_euclid(1_000) * 1_000 + 1_000)),
        )
    } else {
        (PaymentMethod::Qr, None)
    };
    let mut d = SaleDraft::build(
        StaffId::parse("14").expect("staff id"),
        "Khadija".into(),
        Account::Main,
        &lines,
        method,
        tendered,
        true,
    )
    .expect("a valid sale");
    if method == PaymentMethod::Qr {
        d.payment_ref = Some(format!("load-{:016x}", rng.next_u64()));
    }
    d
}

// ---------------------------------------------------------------------------------------------
// 1. In-process tills.

/// Records when each outbox row is marked sent, on the ledger's own connection (TEMP objects
/// live and die with it; the program's schema and code are untouched).
const MARK_TRIGGER: &str = "
    CREATE TEMP TABLE bench_marks (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, entity_id TEXT NOT NULL,
                                   sent_at TEXT NOT NULL, marked_ms REAL NOT NULL);
    CREATE TEMP TRIGGER bench_marked AFTER UPDATE OF sent_at ON main.outbox
      WHEN OLD.sent_at IS NULL AND NEW.sent_at IS NOT NULL
    BEGIN
      INSERT OR REPLACE INTO bench_marks VALUES
        (NEW.seq, NEW.kind, NEW.entity_id, NEW.sent_at, (julianday('now') - 2440587.5) * 86400000.0);
    END;";

/// One sale as its till recorded it.
struct Recorded {
    id: String,
    /// Wall clock when `commit_sale` returned, ms.
    at_ms: f64,
    /// `commit_sale` through the LedgerActor, ms.
    commit_ms: f64,
    /// Behind the steady schedule when it started, ms.
    late_ms: f64,
}

/// What a till's recorder did.
#[derive(Default)]
struct RecorderRun {
    sales: Vec<Recorded>,
    failed: Vec<String>,
}

/// Records sales on `plan`'s schedule through the till's LedgerActor, as `PaymentActor` does.
async fn record(
    ledger: Addr<LedgerActor>,
    till_id: String,
    products: Arc<Vec<Product>>,
    plan: Plan,
) -> RecorderRun {
    let mut rng = Rng(plan.seed);
    let mut run = RecorderRun::default();
    let mut k: u32 = 0;
    while let Some(due) = plan.due(k) {
        k += 1;
        let now = Instant::now();
        if due > now {
            tokio::time::sleep_until(due.into()).await;
        }
        let late_ms = Instant::now().saturating_duration_since(due).as_secs_f64() * 1e3;
        let d = draft(&mut rng, &products);
        let id = uuid::Uuid::now_v7().to_string();
        let (sale_id, till) = (id.clone(), till_id.clone());
        let t = Instant::now();
        let r = ledger::run(&ledger, move |l| {
            l.commit_sale(d, sale_id, &till, Utc::now(), TZ)
        })
        .await;
        let commit_ms = t.elapsed().as_secs_f64() * 1e3;
        match r {
            Ok(_) => run.sales.push(Recorded {
                id,
                at_ms: wall_ms(),
                commit_ms,
                late_ms,
            }),
            Err(e) => run.failed.push(e.to_string()),
        }
    }
    run
}

/// One outbox row marked sent: its kind, its entity, the batch's push start and when marked.
struct Mark {
    kind: String,
    entity_id: String,
    sent_at: String,
    marked_ms: f64,
}

/// A till's ledger after the run.
struct LocalView {
    marks: Vec<Mark>,
    sales: i64,
    max_ticket: i64,
    lines: i64,
    paid_cents: i64,
    /// Rows sent, and the failed attempts before they went (attempts - 1, summed).
    rows_sent: i64,
    row_retries: i64,
    max_attempts: i64,
}

fn local_view(l: &mut Ledger, till_id: &str) -> StoreResult<LocalView> {
    let c = l.connection();
    let marks = {
        let mut stmt = c.prepare(
            "SELECT kind, entity_id, sent_at, marked_ms FROM temp.bench_marks ORDER BY seq",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Mark {
                kind: r.get(0)?,
                entity_id: r.get(1)?,
                sent_at: r.get(2)?,
                marked_ms: r.get(3)?,
            })
        })?;
        rows.collect::<Result<Vec<_>, _>>()?
    };
    let (sales, max_ticket, paid_cents) = c.query_row(
        "SELECT COUNT(*), COALESCE(MAX(ticket_no), 0), COALESCE(SUM(paid_cents), 0) FROM sales WHERE till_id = ?1",
        [till_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let lines = c.query_row("SELECT COUNT(*) FROM sale_lines", [], |r| r.get(0))?;
    let (rows_sent, row_retries, max_attempts) = c.query_row(
        "SELECT COUNT(*), COALESCE(SUM(attempts - 1), 0), COALESCE(MAX(attempts), 0) FROM outbox WHERE sent_at IS NOT NULL",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Ok(LocalView {
        marks,
        sales,
        max_ticket,
        lines,
        paid_cents,
        rows_sent,
        row_retries,
        max_attempts,
    })
}

/// The central side of the check, per till: sales, highest ticket, distinct ids, distinct
/// tickets, paid, lines.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct CentralTill {
    sales: i64,
    max_ticket: i64,
    ids: i64,
    tickets: i64,
    paid_cents: i64,
    lines: i64,
}

fn central_tills(db: &LoadDb) -> HashMap<String, CentralTill> {
    let mut out: HashMap<String, CentralTill> = HashMap::new();
    let rows: Vec<(String, i64, i64, i64, i64, i64)> = db.query(
        "SELECT till_id, COUNT(*), MAX(ticket_no), COUNT(DISTINCT id), COUNT(DISTINCT ticket_no), \
         CAST(SUM(paid_cents) AS SIGNED) FROM sales GROUP BY till_id",
    );
    for (till, sales, max_ticket, ids, tickets, paid_cents) in rows {
        out.insert(
            till,
            CentralTill {
                sales,
                max_ticket,
                ids,
                tickets,
                paid_cents,
                lines: 0,
            },
        );
    }
    let lines: Vec<(String, i64)> = db.query(
        "SELECT s.till_id, COUNT(*) FROM sale_lines l JOIN sales s ON s.id = l.sale_id GROUP BY s.till_id",
    );
    for (till, n) in lines {
        out.entry(till).or_default().lines = n;
    }
    out
}

/// Prints the exactly-once check; answers whether it holds for every till.
fn check_exactly_once(db: &LoadDb, local: &[(String, CentralTill)], what: &str) -> bool {
    let central = central_tills(db);
    let mut bad = Vec::new();
    for (till, want) in local {
        let got = central.get(till).copied().unwrap_or_default();
        let exact = got.ids == got.sales && got.tickets == got.sales;
        let same = got.sales == want.sales
            && got.max_ticket == want.max_ticket
            && got.paid_cents == want.paid_cents
            && (want.lines < 0 || got.lines == want.lines);
        if !(exact && same) {
            bad.push(format!("{till}: local {want:?}, central {got:?}"));
        }
    }
    let extra: Vec<&String> = central
        .keys()
        .filter(|k| !local.iter().any(|(t, _)| t == *k))
        .collect();
    let total_local: i64 = local.iter().map(|(_, c)| c.sales).sum();
    let total_central: i64 = central.values().map(|c| c.sales).sum();
    if bad.is_empty() && extra.is_empty() {
        println!(
            "  check: OK - central holds every sale exactly once: {total_central} sales = {total_local} recorded by {} {what} \
             (per till: count, highest ticket number, distinct ids and ticket numbers, lines and amount paid all equal the till's own)",
            local.len()
        );
        true
    } else {
        println!(
            "  check: FAILED - central {total_central} sales, tills {total_local}; {} till(s) differ, {} unknown till(s) centrally",
            bad.len(),
            extra.len()
        );
        for b in bad.iter().take(20) {
            println!("    {b}");
        }
        false
    }
}

/// When and how fast a till records its sales: one every `period` from `start + phase` (the
/// tills' phases spread over one period), until `until`; `seed` picks its baskets.
struct Plan {
    start: Instant,
    phase: Duration,
    period: Duration,
    until: Instant,
    seed: u64,
}

impl Plan {
    /// When sale `k` is due (`None` once past the end).
    fn due(&self, k: u32) -> Option<Instant> {
        let at = self.start + self.phase + self.period * k;
        (at < self.until).then_some(at)
    }
}

/// One in-process till: its runtime thread (an actix `System` of its own, as `kaching till`
/// runs its runtime), and the addresses the bench talks to.
struct TillRig {
    id: String,
    _dir: tempfile::TempDir,
    ledger: Addr<LedgerActor>,
    sync: Addr<SyncActor>,
    system: actix::System,
    thread: std::thread::JoinHandle<()>,
    plan: Option<tokio::sync::oneshot::Sender<Plan>>,
    recorded: Option<tokio::sync::oneshot::Receiver<RecorderRun>>,
}

impl TillRig {
    /// Starts the till's runtime on a thread of its own: its LedgerActor over `ledger` and its
    /// SyncActor (which begins its rounds at once), wired as `Till::start` wires them; then
    /// records sales once it gets its plan, and runs until its System is stopped.
    fn start(
        id: String,
        dir: tempfile::TempDir,
        ledger: Ledger,
        url: Secret,
        clock: SharedClock,
        products: Arc<Vec<Product>>,
    ) -> TillRig {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (plan_tx, plan_rx) = tokio::sync::oneshot::channel::<Plan>();
        let (done_tx, done_rx) = tokio::sync::oneshot::channel();
        let path = dir.path().join(kaching::store::LEDGER_FILE);
        let till = id.clone();
        let thread = std::thread::Builder::new()
            .name(id.clone())
            .spawn(move || {
                let system = actix::System::new();
                system.block_on(async move {
                    let ledger = LedgerActor::start(ledger, path);
                    let central = Central::new(&url).expect("central URL");
                    let sync = SyncActor::new(
                        central,
                        till.clone(),
                        TZ,
                        ledger.clone(),
                        EventHub::new(),
                        clock,
                    )
                    .start();
                    let _ = ready_tx.send((ledger.clone(), sync, actix::System::current()));
                    if let Ok(p) = plan_rx.await {
                        let run = record(ledger, till, products, p).await;
                        let _ = done_tx.send(run);
                    }
                });
                // The SyncActor goes on (the drain) until the bench stops this System.
                let _ = system.run();
            })
            .expect("a till's thread");
        let (ledger, sync, system) = ready_rx.recv().expect("the till's runtime started");
        TillRig {
            id,
            _dir: dir,
            ledger,
            sync,
            system,
            thread,
            plan: Some(plan_tx),
            recorded: Some(done_rx),
        }
    }
}

fn inprocess(opts: &Options, errors: &ErrorLog) -> bool {
    let n = opts.tills;
    let period = Duration::from_secs_f64(1.0 / opts.rate);
    let seconds = Duration::from_secs_f64(opts.seconds);
    println!();
    println!(
        "== in-process: {n} tills x {:.2} sales/s for {:.0} s ({:.0} sales/s offered), each with its own SQLite ledger, \
         LedgerActor, SyncActor and Central pool on its own actix System (SYNC_EVERY = {SYNC_EVERY:?}, BATCH = {BATCH})",
        opts.rate,
        opts.seconds,
        opts.rate * n as f64
    );
    let db = LoadDb::create(&opts.server);
    let products = Arc::new(catalogue(CATALOGUE, &mut Rng(SEED)));
    let clock: SharedClock = Arc::new(SystemClock);
    errors.take();

    // The ledgers, each with the mark trigger on its connection.
    let setup = Instant::now();
    let mut ledgers = Vec::with_capacity(n);
    for i in 0..n {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut l = Ledger::open_in(dir.path()).expect("open a till's ledger");
        l.import_products(&products, Utc::now(), None)
            .expect("import the catalogue");
        l.connection()
            .execute_batch(MARK_TRIGGER)
            .expect("install the mark trigger");
        ledgers.push((format!("load-{:02}", i + 1), dir, l));
    }
    println!(
        "  {n} ledgers created in {:.1} s (catalogue of {CATALOGUE} articles each)",
        setup.elapsed().as_secs_f64()
    );
    // The tills switched on spread over one SYNC_EVERY (their rounds are not in step).
    let stagger = SYNC_EVERY / n as u32;
    let mut rigs: Vec<TillRig> = Vec::with_capacity(n);
    for (id, dir, l) in ledgers {
        rigs.push(TillRig::start(
            id,
            dir,
            l,
            Secret::new(db.url.clone()),
            clock.clone(),
            products.clone(),
        ));
        std::thread::sleep(stagger);
    }

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let outcome = rt.block_on(async {
        // Every till online (its first round done) before the sales start.
        let deadline = Instant::now() + Duration::from_secs(60);
        for rig in &rigs {
            loop {
                let s = rig.sync.send(GetSyncState).await.expect("sync state");
                if s.online == Some(true) {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "{} is not online after 60 s: {:?}",
                    rig.id,
                    s.last_error
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        let warmup_errors = errors.take();
        let mut rounds_before = 0;
        for rig in &rigs {
            rounds_before += rig.sync.send(GetSyncState).await.map_or(0, |s| s.rounds);
        }
        let status_before = server_status(&opts.server);
        let cpu = CpuMeter::start(&opts.server, &[]);
        let sampler = Sampler::start(&opts.server, &db.name);

        // The sales.
        let start = Instant::now() + Duration::from_millis(200);
        let until = start + seconds;
        let start_ms = wall_ms() + 200.0;
        for (i, rig) in rigs.iter_mut().enumerate() {
            let plan = Plan {
                start,
                phase: period.mul_f64(i as f64 / n as f64),
                period,
                until,
                seed: SEED ^ (i as u64 + 1).wrapping_mul(0x9e37_79b9),
            };
            if let Some(tx) = rig.plan.take() {
                let _ = tx.send(plan);
            }
        }
        let mut runs = Vec::with_capacity(n);
        for rig in rigs.iter_mut() {
            let rx = rig.recorded.take().expect("recorder");
            runs.push(
                rx.await
                    .expect("a till's recorder died (see its panic above)"),
            );
        }
        let end_ms = wall_ms();
        // What is left, pushed.
        let stopped = Instant::now();
        let mut drained = None;
        while stopped.elapsed() < DRAIN_LIMIT {
            let mut pending = 0;
            for rig in &rigs {
                pending += ledger::run(&rig.ledger, |l| l.outbox_waiting())
                    .await
                    .map_or(1, |w| w.pending);
            }
            if pending == 0 {
                drained = Some(stopped.elapsed());
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let connections = sampler.stop();
        let cpu_line = cpu.report();
        let status_after = server_status(&opts.server);
        let mut rounds = 0;
        for rig in &rigs {
            rounds += rig.sync.send(GetSyncState).await.map_or(0, |s| s.rounds);
        }
        let mut views = Vec::with_capacity(n);
        for rig in &rigs {
            let id = rig.id.clone();
            views.push(
                ledger::run(&rig.ledger, move |l| local_view(l, &id))
                    .await
                    .expect("read a till's ledger"),
            );
        }
        Outcome {
            runs,
            views,
            ids: rigs.iter().map(|r| r.id.clone()).collect(),
            start_ms,
            end_ms,
            drained,
            rounds: rounds.saturating_sub(rounds_before),
            warmup_errors,
            run_errors: errors.take(),
            status: status_delta(&status_before, &status_after),
            connections,
            cpu: cpu_line,
        }
    });
    for rig in &rigs {
        rig.system.stop();
    }
    for rig in rigs {
        let _ = rig.thread.join();
    }
    report_inprocess(&db, &outcome)
}

struct Outcome {
    runs: Vec<RecorderRun>,
    views: Vec<LocalView>,
    ids: Vec<String>,
    start_ms: f64,
    end_ms: f64,
    drained: Option<Duration>,
    rounds: u64,
    warmup_errors: BTreeMap<String, (u64, String)>,
    run_errors: BTreeMap<String, (u64, String)>,
    status: String,
    connections: String,
    cpu: String,
}

/// Sales/s reaching the central database: while the tills sold, in the steady part of that
/// (after the first `SYNC_EVERY`, when every till has pushed once), and the drain after.
fn acceptance(acks: &[f64], start_ms: f64, end_ms: f64, drained: Option<Duration>) -> String {
    let window = (end_ms - start_ms) / 1e3;
    let during = acks.iter().filter(|a| **a <= end_ms).count();
    let steady_from = start_ms + SYNC_EVERY.as_secs_f64() * 1e3;
    let steady = acks
        .iter()
        .filter(|a| **a > steady_from && **a <= end_ms)
        .count();
    let steady_rate = if end_ms > steady_from {
        format!("{:.1}", steady as f64 / ((end_ms - steady_from) / 1e3))
    } else {
        "-".into()
    };
    format!(
        "{during} sales during the {window:.1} s of selling = {:.1} sales/s ({steady_rate} sales/s after the first {SYNC_EVERY:?}); \
         the last {} {}",
        during as f64 / window,
        acks.len() - during,
        drained.map_or_else(
            || format!("NOT drained within {DRAIN_LIMIT:?}"),
            |d| format!("within {:.2} s after the sales stopped", d.as_secs_f64())
        )
    )
}

fn parse_ms(ts: &str) -> Option<f64> {
    chrono::DateTime::parse_from_rfc3339(ts)
        .ok()
        .map(|t| t.timestamp_micros() as f64 / 1_000.0)
}

fn print_errors(title: &str, errors: &BTreeMap<String, (u64, String)>) {
    if errors.is_empty() {
        println!("  {title}: none");
        return;
    }
    println!("  {title}:");
    for (key, (count, sample)) in errors {
        let sample: String = sample.chars().take(160).collect();
        println!("    {count:>6} x {key}   e.g. {sample}");
    }
}

fn report_inprocess(db: &LoadDb, o: &Outcome) -> bool {
    let window = (o.end_ms - o.start_ms) / 1e3;
    // Per sale: recorded locally -> marked sent (central COMMIT returned).
    let mut recorded_at: HashMap<&str, f64> = HashMap::new();
    let (mut commit, mut late) = (Vec::new(), Vec::new());
    let mut failed_local = 0;
    for run in &o.runs {
        failed_local += run.failed.len();
        for s in &run.sales {
            recorded_at.insert(&s.id, s.at_ms);
            commit.push(s.commit_ms);
            late.push(s.late_ms);
        }
    }
    let recorded = recorded_at.len();
    let mut per_sale = Vec::with_capacity(recorded);
    let mut acks = Vec::with_capacity(recorded);
    // Per batch: (till, sent_at) -> (rows, sales, first mark).
    let mut batches: HashMap<(usize, &str), (usize, usize, f64)> = HashMap::new();
    for (t, v) in o.views.iter().enumerate() {
        // Rows marked before the sales began are the set-up's (the catalogue import's audit).
        for m in v.marks.iter().filter(|m| m.marked_ms >= o.start_ms) {
            let b = batches
                .entry((t, m.sent_at.as_str()))
                .or_insert((0, 0, f64::MAX));
            b.0 += 1;
            b.2 = b.2.min(m.marked_ms);
            if m.kind != "sale" {
                continue;
            }
            b.1 += 1;
            if let Some(at) = recorded_at.get(m.entity_id.as_str()) {
                per_sale.push(m.marked_ms - at);
                acks.push(m.marked_ms);
            }
        }
    }
    let mut per_batch: Vec<f64> = Vec::with_capacity(batches.len());
    let mut sales_batches: Vec<f64> = Vec::new();
    for ((_, sent_at), (_, sales, marked)) in &batches {
        if let Some(start) = parse_ms(sent_at) {
            per_batch.push(marked - start);
        }
        if *sales > 0 {
            sales_batches.push(*sales as f64);
        }
    }
    let rows: usize = batches.values().map(|b| b.0).sum();
    let sales_pushed: usize = batches.values().map(|b| b.1).sum();
    let lines: i64 = o.views.iter().map(|v| v.lines).sum();
    println!(
        "  recorded locally: {recorded} sales ({lines} lines, {:.2} lines/sale) in {window:.1} s = {:.1} sales/s; {failed_local} local commits failed",
        lines as f64 / recorded.max(1) as f64,
        recorded as f64 / window
    );
    println!(
        "    commit_sale through the LedgerActor: {}",
        percentiles(&mut commit, "ms")
    );
    println!(
        "    behind the steady schedule: {}",
        percentiles(&mut late, "ms")
    );
    println!(
        "  accepted centrally (acknowledged to the till): {}",
        acceptance(&acks, o.start_ms, o.end_ms, o.drained)
    );
    println!(
        "  pushes: {} batches ({rows} outbox rows, {sales_pushed} sales; {:.1} sales per batch with sales), {} sync rounds while selling and draining ({:.1}/s for {} tills)",
        batches.len(),
        sales_batches.iter().sum::<f64>() / sales_batches.len().max(1) as f64,
        o.rounds,
        o.rounds as f64
            / ((o.end_ms - o.start_ms) / 1e3 + o.drained.map_or(0.0, |d| d.as_secs_f64())),
        o.ids.len()
    );
    println!(
        "  push latency per batch (push start -> rows marked sent: Central::push's transaction + mark_sent): {}",
        percentiles(&mut per_batch, "ms")
    );
    println!(
        "  latency per sale (recorded locally -> acknowledged centrally; includes waiting for the next SYNC_EVERY tick): {}",
        percentiles(&mut per_sale, "ms")
    );
    let retries: i64 = o.views.iter().map(|v| v.row_retries).sum();
    let sent: i64 = o.views.iter().map(|v| v.rows_sent).sum();
    let max_attempts = o.views.iter().map(|v| v.max_attempts).max().unwrap_or(0);
    println!(
        "  retries: {retries} failed attempts over the {sent} outbox rows sent (set-up included; most attempts for one row: {max_attempts})"
    );
    print_errors("errors while the tills came online", &o.warmup_errors);
    print_errors(
        "errors and retries during the run, by kind (WARN/ERROR log events)",
        &o.run_errors,
    );
    println!(
        "  central server during the run: {}; {}",
        o.status, o.connections
    );
    println!("  CPU during the run and the drain: {}", o.cpu);
    let local: Vec<(String, CentralTill)> = o
        .ids
        .iter()
        .zip(&o.views)
        .map(|(id, v)| {
            (
                id.clone(),
                CentralTill {
                    sales: v.sales,
                    max_ticket: v.max_ticket,
                    ids: v.sales,
                    tickets: v.sales,
                    paid_cents: v.paid_cents,
                    lines: v.lines,
                },
            )
        })
        .collect();
    check_exactly_once(db, &local, "in-process tills")
}

// ---------------------------------------------------------------------------------------------
// 2. Headless till processes.

/// A headless till's sales, as its driver saw them.
struct Driven {
    till_id: String,
    /// (ticket_no, wall ms when `sale_committed` arrived).
    sales: Vec<(i64, f64)>,
    paid_cents: i64,
    lines: i64,
    errors: BTreeMap<String, u64>,
    late_ms: Vec<f64>,
    sale_ms: Vec<f64>,
    log: std::path::PathBuf,
}

fn kaching_ok(dir: &Path, args: &[&str], stdin: &str) {
    let o = common::run(dir, args, stdin);
    assert!(
        o.status.success(),
        "kaching {args:?}: {}",
        common::stderr(&o)
    );
}

/// The demo shop plus `EXTRA_ARTICLES` articles (baskets of up to 10 distinct lines).
fn seed_till(dir: &Path) -> Vec<String> {
    kaching_ok(dir, &["demo", "--seed-only"], "");
    let csv = dir.join("load-articles.csv");
    let mut text = "code,barcode,name,price,vat_rate\n".to_owned();
    let mut rng = Rng(SEED ^ 0xc5);
    let mut codes: Vec<String> = [
        "1234", "5678", "9012", "0000", "2020", "8975", "9630", "6051",
    ]
    .map(str::to_owned)
    .to_vec();
    for i in 0..EXTRA_ARTICLES {
        let code = format!("{}", 700 + i);
        text.push_str(&format!(
            "{code},,Article {i},{}.{:02},{}\n",
            1 + rng.below(9),
            rng.below(100),
            if i % 5 == 0 { 21 } else { 6 }
        ));
        codes.push(code);
    }
    std::fs::write(&csv, text).expect("write the articles");
    kaching_ok(dir, &["catalog", "import", csv.to_str().expect("path")], "");
    codes
}

/// Sells on `plan`'s schedule through the till's headless protocol: the basket's scans, `pay
/// main cash`, then `status` (its answer closes the sale's events).
fn drive(
    mut till: common::Till,
    till_id: String,
    codes: Vec<String>,
    plan: Plan,
    log: std::path::PathBuf,
) -> (common::Till, Driven) {
    let mut rng = Rng(plan.seed);
    let mut d = Driven {
        till_id,
        sales: Vec::new(),
        paid_cents: 0,
        lines: 0,
        errors: BTreeMap::new(),
        late_ms: Vec::new(),
        sale_ms: Vec::new(),
        log,
    };
    let mut k: u32 = 0;
    while let Some(due) = plan.due(k) {
        k += 1;
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        d.late_ms
            .push(Instant::now().saturating_duration_since(due).as_secs_f64() * 1e3);
        let t = Instant::now();
        let items = 1 + rng.weighted(&LINES_WEIGHTS);
        let mut chosen: Vec<usize> = Vec::with_capacity(items);
        while chosen.len() < items {
            let i = rng.below(codes.len());
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        for i in &chosen {
            till.send(&format!("scan {}", codes[*i]));
        }
        till.send("pay main cash");
        // `status` answers after the sale: the events in between are this sale's.
        till.send("status");
        let mut basket_lines = 0;
        let mut committed = false;
        loop {
            let Some(ev) = till.next() else {
                panic!("{} exited; seen: {:?}", d.till_id, till.seen.last())
            };
            match ev["event"].as_str() {
                Some("basket") => {
                    let n = ev["lines"].as_array().map_or(0, Vec::len);
                    if n > 0 {
                        basket_lines = n as i64;
                    }
                }
                Some("sale_committed") => {
                    d.sales
                        .push((ev["ticket_no"].as_i64().unwrap_or(0), wall_ms()));
                    d.paid_cents += ev["paid_cents"].as_i64().unwrap_or(0);
                    d.lines += basket_lines;
                    committed = true;
                }
                Some("error") => {
                    let code = ev["code"].as_str().unwrap_or("?").to_owned();
                    *d.errors.entry(code).or_default() += 1;
                }
                Some("status") => break,
                _ => {}
            }
        }
        if !committed {
            *d.errors.entry("no sale_committed".into()).or_default() += 1;
        }
        d.sale_ms.push(t.elapsed().as_secs_f64() * 1e3);
        // Keep the record of events short: the driver reads them as they come.
        till.seen.clear();
    }
    (till, d)
}

/// (till, highest ticket number) centrally, and when each was first seen.
type Seen = HashMap<String, Vec<(i64, f64)>>;

fn observe(url: String, on: Arc<AtomicBool>) -> (Seen, usize) {
    let mut seen: Seen = HashMap::new();
    let mut polls = 0;
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
        .block_on(async {
            let mut conn = mysql_async::Conn::from_url(url.as_str())
                .await
                .expect("observer connection");
            while on.load(Ordering::Relaxed) {
                let t = Instant::now();
                let rows: Vec<(String, i64)> = conn
                    .query("SELECT till_id, MAX(ticket_no) FROM sales GROUP BY till_id")
                    .await
                    .unwrap_or_default();
                let at = wall_ms();
                polls += 1;
                for (till, max) in rows {
                    let v = seen.entry(till).or_default();
                    if v.last().is_none_or(|(m, _)| *m < max) {
                        v.push((max, at));
                    }
                }
                tokio::time::sleep(OBSERVE_EVERY.saturating_sub(t.elapsed())).await;
            }
            let _ = conn.disconnect().await;
        });
    (seen, polls)
}

/// WARN/ERROR lines of a till's log, by the message (the words after the log target).
fn log_errors(log: &Path, into: &mut BTreeMap<String, u64>) {
    let raw = std::fs::read_to_string(log).unwrap_or_default();
    // Colour codes, should the log have them despite NO_COLOR.
    let mut text = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            text.push(c);
        }
    }
    for line in text.lines() {
        let level = if line.contains(" WARN ") {
            "WARN"
        } else if line.contains(" ERROR ") {
            "ERROR"
        } else {
            continue;
        };
        let after = line
            .split_once(&format!(" {level} "))
            .map_or(line, |(_, r)| r);
        let message = after.split_once(": ").map_or(after, |(_, m)| m);
        let message: String = message
            .split(" error=")
            .next()
            .unwrap_or(message)
            .chars()
            .take(100)
            .collect();
        let kind = error_kind(line);
        *into
            .entry(format!("{level} {message}: {kind}"))
            .or_default() += 1;
    }
}

fn processes(opts: &Options) -> bool {
    let n = opts.procs;
    let period = Duration::from_secs_f64(1.0 / opts.rate);
    println!();
    println!(
        "== processes: {n} `kaching till --headless` x {:.2} sales/s for {:.0} s ({:.0} sales/s offered), \
         sales fed through the JSON-lines protocol, central observed every {OBSERVE_EVERY:?}",
        opts.rate,
        opts.seconds,
        opts.rate * n as f64
    );
    let db = LoadDb::create(&opts.server);
    let setup = Instant::now();
    let mut tills = Vec::with_capacity(n);
    let mut codes = Vec::new();
    for i in 0..n {
        let dir = tempfile::tempdir().expect("temp dir");
        codes = seed_till(dir.path());
        let till_id = format!("proc-{:02}", i + 1);
        let log = dir.path().join("till.log");
        let mut cmd = common::kaching(dir.path());
        cmd.env("KACHING_CENTRAL__URL", &db.url)
            .env("KACHING_TILL__ID", &till_id)
            .env("KACHING_LOG", "warn")
            .env("NO_COLOR", "1");
        let mut till =
            common::Till::start_with_stderr(cmd, std::fs::File::create(&log).expect("log file"));
        let evs = till.cmd("login 1 1111");
        assert!(
            evs.iter().any(|e| e["event"] == "logged_in"),
            "{till_id}: the demo admin could not log in: {evs:?}"
        );
        tills.push((dir, till_id, till, log));
    }
    println!(
        "  {n} tills seeded and started in {:.1} s",
        setup.elapsed().as_secs_f64()
    );
    // Every till online before the sales start.
    for (_, id, till, _) in tills.iter_mut() {
        let deadline = Instant::now() + Duration::from_secs(60);
        while till.status()["online"] != Value::Bool(true) {
            assert!(Instant::now() < deadline, "{id} not online after 60 s");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    let pids: Vec<u32> = tills.iter().map(|(_, _, t, _)| t.child.id()).collect();
    let cpu = CpuMeter::start(&opts.server, &pids);
    let status_before = server_status(&opts.server);
    let sampler = Sampler::start(&opts.server, &db.name);
    let on = Arc::new(AtomicBool::new(true));
    let observer = {
        let (url, on) = (db.url.clone(), on.clone());
        std::thread::spawn(move || observe(url, on))
    };
    let start = Instant::now() + Duration::from_millis(200);
    let start_ms = wall_ms() + 200.0;
    let until = start + Duration::from_secs_f64(opts.seconds);
    let mut drivers = Vec::with_capacity(n);
    let mut dirs = Vec::with_capacity(n);
    for (i, (dir, id, till, log)) in tills.into_iter().enumerate() {
        let codes = codes.clone();
        let phase = period.mul_f64(i as f64 / n as f64);
        dirs.push(dir);
        drivers.push(std::thread::spawn(move || {
            let plan = Plan {
                start,
                phase,
                period,
                until,
                seed: SEED ^ (0xd0 + i as u64),
            };
            drive(till, id, codes, plan, log)
        }));
    }
    let mut driven: Vec<(common::Till, Driven)> = drivers
        .into_iter()
        .map(|h| h.join().expect("a till's driver panicked (see above)"))
        .collect();
    let end_ms = wall_ms();
    // Until every till has pushed everything (its status says so).
    let stopped = Instant::now();
    let mut drained = None;
    while stopped.elapsed() < DRAIN_LIMIT {
        let pending: i64 = driven
            .iter_mut()
            .map(|(t, _)| t.status()["outbox_pending"].as_i64().unwrap_or(1))
            .sum();
        if pending == 0 {
            drained = Some(stopped.elapsed());
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    // The observer's last poll after the drain.
    std::thread::sleep(OBSERVE_EVERY * 2);
    on.store(false, Ordering::Relaxed);
    let (seen, polls) = observer.join().expect("observer");
    let cpu_line = cpu.report();
    let connections = sampler.stop();
    let status = status_delta(&status_before, &server_status(&opts.server));
    let mut results = Vec::with_capacity(n);
    for (till, d) in driven {
        let _ = till.quit();
        results.push(d);
    }
    // Figures.
    let window = (end_ms - start_ms) / 1e3;
    let recorded: usize = results.iter().map(|d| d.sales.len()).sum();
    let mut per_sale = Vec::with_capacity(recorded);
    let mut acks = Vec::with_capacity(recorded);
    let mut late = Vec::new();
    let mut sale_ms = Vec::new();
    let mut refusals: BTreeMap<String, u64> = BTreeMap::new();
    let mut logs: BTreeMap<String, u64> = BTreeMap::new();
    for d in &results {
        late.extend(&d.late_ms);
        sale_ms.extend(&d.sale_ms);
        for (k, v) in &d.errors {
            *refusals.entry(k.clone()).or_default() += v;
        }
        log_errors(&d.log, &mut logs);
        let obs = seen.get(&d.till_id).map_or(&[][..], Vec::as_slice);
        for (ticket, at) in &d.sales {
            if let Some((_, first)) = obs.iter().find(|(max, _)| max >= ticket) {
                per_sale.push(first - at);
                acks.push(*first);
            }
        }
    }
    let lines: i64 = results.iter().map(|d| d.lines).sum();
    println!(
        "  recorded by the tills: {recorded} sales ({lines} scans, {:.2} lines/sale) in {window:.1} s = {:.1} sales/s",
        lines as f64 / recorded.max(1) as f64,
        recorded as f64 / window
    );
    println!(
        "    scans + pay -> sale_committed, over the JSON-lines protocol: {}",
        percentiles(&mut sale_ms, "ms")
    );
    println!(
        "    behind the steady schedule: {}",
        percentiles(&mut late, "ms")
    );
    println!(
        "  accepted centrally (seen by the observer): {}",
        acceptance(&acks, start_ms, end_ms, drained)
    );
    println!(
        "  latency per sale (sale_committed -> first seen centrally by a poll every {OBSERVE_EVERY:?}, {polls} polls): {}",
        percentiles(&mut per_sale, "ms")
    );
    let refusals: BTreeMap<String, (u64, String)> = refusals
        .into_iter()
        .map(|(k, v)| (k.clone(), (v, k)))
        .collect();
    print_errors("refusals on the protocol (error events)", &refusals);
    let logs: BTreeMap<String, (u64, String)> =
        logs.into_iter().map(|(k, v)| (k.clone(), (v, k))).collect();
    print_errors(
        "errors and retries in the tills' logs, by kind (WARN and up)",
        &logs,
    );
    println!("  central server during the run: {status}; {connections}");
    println!("  CPU during the run and the drain: {cpu_line}");
    let local: Vec<(String, CentralTill)> = results
        .iter()
        .map(|d| {
            let n = d.sales.len() as i64;
            (
                d.till_id.clone(),
                CentralTill {
                    sales: n,
                    max_ticket: d.sales.iter().map(|(t, _)| *t).max().unwrap_or(0),
                    ids: n,
                    tickets: n,
                    paid_cents: d.paid_cents,
                    lines: d.lines,
                },
            )
        })
        .collect();
    let ok = check_exactly_once(&db, &local, "till processes");
    drop(dirs);
    ok
}
