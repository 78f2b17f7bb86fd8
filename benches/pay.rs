//! The payment server's performance goals, measured (never asserted) and printed as a table:
//!
//! 1. `latency`: from the customer's « Valider le paiement » (the `POST /p/{token}/confirm` is
//!    about to be sent) to the `paid` status read by the till on its event stream
//!    (`PayClient::events`). Goal: p99 <= 50 ms on one instance, <= 300 ms across two instances
//!    sharing one database (the till listens on A, the phone confirms on B: A learns of it by
//!    polling the event table every `POLL_EVERY`). Intents go one at a time; before each
//!    confirmation the phone pauses 5 ms + U[0, POLL_EVERY), like a customer reading the page:
//!    the threads park, and the confirmation falls at a random phase of the other instance's
//!    poll. The time from opening the event stream to its first state is shown apart.
//! 2. `throughput`: signed `GET /api/v1/intents/{id}` requests per second against a bare actix-web
//!    `GET /hello` route, same worker count, same in-process load generator, in the same run.
//!    Goal: the status route serves >= 60 % of the hello-world rate (issue 16; it was 50 % in
//!    issue 3). `GET /healthz` (one database read, no signature) is measured too, to split the
//!    cost.
//!
//! Everything runs in this process: pay servers on `127.0.0.1:0` over SQLite files in a temp
//! directory (WAL, `synchronous = FULL`, as in production), driven over real HTTP. The customer
//! routes' rate limiter is opened wide (it is per client address, and every request here comes
//! from 127.0.0.1). Each case runs on its own actix System, dropped afterwards (a stopped server
//! now aborts its background tasks; the System per case keeps the cases apart all the same).
//!
//! `cargo bench --bench pay` runs both; `cargo bench --bench pay -- latency` (or `throughput`)
//! one. `KACHING_BENCH_QUICK=1` is a smoke run (fewer intents, shorter load: its figures are not
//! the goals' figures). `KACHING_BENCH_MYSQL_URL=mysql://user[:pass]@host:port` also runs the
//! latency cases on a fresh MariaDB/MySQL database (created and dropped with the `mariadb` or
//! `mysql` client), if the intent store supports `mysql://` URLs. Other knobs:
//! `KACHING_BENCH_INTENTS` (500), `KACHING_BENCH_SECS` (5 s per load run),
//! `KACHING_BENCH_CONCURRENCY` (64 requests in flight), `KACHING_BENCH_LOAD_THREADS` (2);
//! `KACHING_BENCH_ONLY=status` (or `hello`, `healthz`) loads one throughput target, for a
//! profiler; `RUST_LOG=warn` shows the servers' own logs. Each throughput run also prints the
//! CPU time this process spent per request, on the servers' threads and on the others (the load
//! generator): a figure the machine's other work disturbs less than the rate.
//! The method and the figures are in docs/BENCHMARKS.md.

mod support;

use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use support::{Rng, load_average};

use actix_web::{App, HttpServer, web};
use futures_util::StreamExt;
use kaching::clock::{SharedClock, SystemClock};
use kaching::pay_web::api::{CreateIntent, IntentLine, IntentStatus};
use kaching::pay_web::client::PayClient;
use kaching::pay_web::server::{self, POLL_EVERY, PayServerOptions, RunningServer};
use kaching::pay_web::sign::{SIGNATURE_HEADER, TILL_HEADER, signature_header};
use kaching::pay_web::store::{AnyIntentStore, IntentStore};
use kaching::secrets::Secret;

const TILL: &str = "bench-till";
const SECRET: &str = "6b616368696e672d62656e63682d7365637265742d30313233343536373839ab";
/// actix workers of every server here (pay servers and hello-world alike).
const WORKERS: usize = 2;
/// How long one confirmation may take before the bench gives up.
const EVENT_TIMEOUT: Duration = Duration::from_secs(10);
/// Pending intents the status requests go round.
const STATUS_INTENTS: usize = 64;

fn main() {
    let quick = std::env::var("KACHING_BENCH_QUICK").is_ok_and(|v| !v.is_empty() && v != "0");
    let wanted: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let runs = |name: &str| wanted.is_empty() || wanted.iter().any(|w| name.contains(w.as_str()));
    let plan = Plan::new(quick);
    // The servers' own logs (a failing store says why here), when RUST_LOG asks for them.
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_writer(std::io::stderr)
            .init();
    }
    println!(
        "KACHING payment server benchmarks: {} run{}",
        if quick { "QUICK (smoke)" } else { "full" },
        if quick {
            " - figures are NOT comparable with the goals"
        } else {
            ""
        }
    );
    println!(
        "SQLite {}, {} actix workers per server, nproc {}, load average at start: {}",
        rusqlite::version(),
        WORKERS,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load_average()
    );
    let (latency, throughput) = (runs("latency"), runs("throughput"));
    if latency {
        latency_bench(&plan);
    }
    if throughput {
        in_system(throughput_bench(&plan));
    }
    println!();
    println!("load average at end: {}", load_average());
}

struct Plan {
    intents: usize,
    warmup: Duration,
    measure: Duration,
    rounds: usize,
    concurrency: usize,
    load_threads: usize,
}

fn env_usize(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

impl Plan {
    fn new(quick: bool) -> Plan {
        let secs = env_usize("KACHING_BENCH_SECS").unwrap_or(if quick { 1 } else { 5 });
        Plan {
            intents: env_usize("KACHING_BENCH_INTENTS").unwrap_or(if quick { 40 } else { 500 }),
            warmup: if quick {
                Duration::from_millis(300)
            } else {
                Duration::from_secs(1)
            },
            measure: Duration::from_secs(secs.max(1) as u64),
            rounds: if quick { 1 } else { 3 },
            concurrency: env_usize("KACHING_BENCH_CONCURRENCY").unwrap_or(64).max(1),
            load_threads: env_usize("KACHING_BENCH_LOAD_THREADS").unwrap_or(2).max(1),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Servers, the till and the phone.

fn clock() -> SharedClock {
    Arc::new(SystemClock)
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A pay server on a loopback port over the store at `url`; `add_till` registers the bench's
/// till (once per database).
async fn pay_server(url: &str, add_till: bool) -> Result<RunningServer, String> {
    let store = AnyIntentStore::open(url)
        .await
        .map_err(|e| format!("open {url}: {e}"))?;
    if add_till {
        store
            .add_till(TILL, &Secret::new(SECRET), now_ms())
            .await
            .map_err(|e| format!("add till: {e}"))?;
    }
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let options = PayServerOptions {
        rate_per_second: 1_000_000,
        rate_burst: 1_000_000,
        ..PayServerOptions::default()
    };
    let (running, srv) = server::start(listener, store, options, clock(), WORKERS)
        .await
        .map_err(|e| format!("start: {e}"))?;
    actix_rt::spawn(srv);
    Ok(running)
}

/// A bare actix-web server: one `GET /hello` route answering "hello".
fn hello_server() -> (String, actix_web::dev::ServerHandle) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let srv = HttpServer::new(|| App::new().route("/hello", web::get().to(|| async { "hello" })))
        .workers(WORKERS)
        .tcp_nodelay(std::env::var_os("XX_HELLO_NODELAY").is_some())
        .listen(listener)
        .expect("listen")
        .run();
    let handle = srv.handle();
    actix_rt::spawn(srv);
    (format!("http://{addr}/hello"), handle)
}

fn till(addr: std::net::SocketAddr) -> PayClient {
    PayClient::new(
        &format!("http://{addr}"),
        TILL,
        Secret::new(SECRET),
        clock(),
    )
    .expect("client")
}

fn intent(i: usize) -> CreateIntent {
    let cents = 120 + (i % 50) as i64 * 10;
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

/// The customer's phone: loads the page, then posts its form (redirects are not followed).
struct Phone {
    http: reqwest::Client,
}

impl Phone {
    fn new() -> Phone {
        Phone {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(EVENT_TIMEOUT)
                .build()
                .expect("phone client"),
        }
    }

    /// The page's form as a urlencoded body (csrf is hex, the amount digits: nothing to escape).
    async fn form(&self, pay_url: &str) -> Result<String, String> {
        let resp = self
            .http
            .get(pay_url)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = resp.status().as_u16();
        let page = resp.text().await.map_err(|e| e.to_string())?;
        if status != 200 {
            return Err(format!("customer page {pay_url}: {status} {page}"));
        }
        let field = |name| hidden_input(&page, name).ok_or(format!("no {name} in {page}"));
        let (csrf, amount) = (field("csrf")?, field("amount_cents")?);
        Ok(format!("csrf={csrf}&amount_cents={amount}"))
    }

    async fn press(&self, pay_url: &str, form: String) -> Result<(), String> {
        let resp = self
            .http
            .post(format!("{pay_url}/confirm"))
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(form)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        match resp.status().as_u16() {
            303 => Ok(()),
            status => Err(format!(
                "confirmation of {pay_url}: {status} {}",
                resp.text().await.unwrap_or_default()
            )),
        }
    }
}

/// The value of the hidden input `name` in a page.
fn hidden_input(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_owned())
}

/// `pay_url` on another instance: `<base>/p/<token>`.
fn rebase(pay_url: &str, base: &str) -> String {
    let at = pay_url.find("/p/").expect("a /p/ URL");
    format!("{base}{}", &pay_url[at..])
}

// ---------------------------------------------------------------------------------------------
// Percentiles and the table.

struct Summary {
    n: usize,
    mean: f64,
    p50: f64,
    p90: f64,
    p99: f64,
    max: f64,
}

/// Nearest-rank percentiles of `samples`, in milliseconds.
fn summarize(samples: &[Duration]) -> Summary {
    let mut v: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1e3).collect();
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

fn header() {
    println!(
        "{:<52} {:>5} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "  (ms)", "n", "mean", "p50", "p90", "p99", "max"
    );
}

fn row(label: &str, s: &Summary) {
    println!(
        "  {:<50} {:>5} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2}",
        label, s.n, s.mean, s.p50, s.p90, s.p99, s.max
    );
}

fn goal(what: &str, met: bool, measured: &str) {
    println!(
        "  goal {what}: {} ({measured})",
        if met { "MET" } else { "NOT MET" }
    );
}

// ---------------------------------------------------------------------------------------------
// 1. Confirmation → till event latency.

struct Latency {
    /// POST sent → `paid` on the till's stream.
    event: Vec<Duration>,
    /// POST sent → its 303 (the confirm handler alone: page lookup, CSRF, the store's
    /// transaction).
    answer: Vec<Duration>,
    /// `PayClient::events` called → the first (pending) state read: what a till waits for when
    /// it (re)connects.
    first: Vec<Duration>,
}

/// `n` intents one at a time: created on `create_on` (the till listens there), confirmed by the
/// phone on `confirm_on`.
async fn measure_latency(
    create_on: &PayClient,
    confirm_on: &str,
    n: usize,
) -> Result<Latency, String> {
    let phone = Phone::new();
    let mut rng = Rng(0x4b41_4348_494e_4721);
    let mut out = Latency {
        event: Vec::with_capacity(n),
        answer: Vec::with_capacity(n),
        first: Vec::with_capacity(n),
    };
    for i in 0..n {
        let view = create_on
            .create(&intent(i))
            .await
            .map_err(|e| format!("create: {e}"))?;
        let opened = Instant::now();
        let events = create_on
            .events(&view.intent_id)
            .await
            .map_err(|e| format!("events: {e}"))?;
        let mut events = std::pin::pin!(events);
        match events.next().await {
            Some(Ok(v)) if v.status == IntentStatus::Pending => {}
            other => return Err(format!("first state: {other:?}")),
        }
        out.first.push(opened.elapsed());
        let pay_url = rebase(&view.pay_url, confirm_on);
        let form = phone.form(&pay_url).await?;
        // The customer reads the page before pressing: the server's threads park, and the
        // confirmation falls at a uniformly random phase of the other instance's poll whatever
        // came before (a pause spread over a whole poll period).
        let spread = POLL_EVERY.as_millis().max(1) as usize;
        tokio::time::sleep(Duration::from_millis(5 + rng.below(spread) as u64)).await;

        let start = Instant::now();
        let press = async {
            phone.press(&pay_url, form).await?;
            Ok::<_, String>(start.elapsed())
        };
        let paid = async {
            while let Some(v) = events.next().await {
                if v.map_err(|e| format!("stream: {e}"))?.status == IntentStatus::Paid {
                    return Ok(start.elapsed());
                }
            }
            Err("the stream ended before paid".to_owned())
        };
        let (answered, paid) =
            tokio::time::timeout(EVENT_TIMEOUT, async { tokio::join!(press, paid) })
                .await
                .map_err(|_| format!("not paid within {EVENT_TIMEOUT:?}"))?;
        out.event.push(paid?);
        out.answer.push(answered?);
    }
    Ok(out)
}

/// Runs `f` on a fresh actix System, dropped afterwards, so that nothing a case spawned on its
/// System runs while the next case is measured.
fn in_system<F: std::future::Future>(f: F) -> F::Output {
    actix_rt::System::new().block_on(f)
}

fn latency_bench(plan: &Plan) {
    println!();
    println!(
        "latency: confirmation POST sent -> `paid` on the till's event stream, {} intents one at a time",
        plan.intents
    );
    header();
    let dir = tempfile::tempdir().expect("temp dir");

    // One instance.
    let url = format!("sqlite://{}", dir.path().join("one.sqlite").display());
    in_system(one_instance(plan, &url));

    // Two instances on one SQLite file.
    let url = format!("sqlite://{}", dir.path().join("two.sqlite").display());
    in_system(two_instances(plan, "SQLite", &url));

    // Two instances on MariaDB/MySQL, when asked for.
    match std::env::var("KACHING_BENCH_MYSQL_URL") {
        Ok(server) if !server.trim().is_empty() => mysql_latency(plan, server.trim()),
        _ => println!(
            "  MySQL/MariaDB: not run (set KACHING_BENCH_MYSQL_URL=mysql://user@host:port to run it)"
        ),
    }
}

async fn one_instance(plan: &Plan, url: &str) {
    let a = match pay_server(url, true).await {
        Ok(a) => a,
        Err(e) => return println!("  1 instance, SQLite: not run: {e}"),
    };
    let base = format!("http://{}", a.addr);
    let one = async {
        measure_latency(&till(a.addr), &base, 10.min(plan.intents)).await?; // warm-up
        measure_latency(&till(a.addr), &base, plan.intents).await
    }
    .await;
    a.handle.stop(true).await;
    let one = match one {
        Ok(one) => one,
        Err(e) => return println!("  1 instance, SQLite: FAILED: {e}"),
    };
    let s = summarize(&one.event);
    row("1 instance, SQLite: paid on the till's stream", &s);
    row(
        "    of which the POST's own answer (303)",
        &summarize(&one.answer),
    );
    row(
        "  (events stream opened -> first state)",
        &summarize(&one.first),
    );
    goal(
        "one instance p99 <= 50 ms",
        s.p99 <= 50.0,
        &format!("{:.2} ms", s.p99),
    );
}

/// The till on A, the phone on B, one database; also both on A for comparison.
async fn two_instances(plan: &Plan, label: &str, url: &str) {
    let a = match pay_server(url, true).await {
        Ok(a) => a,
        Err(e) => return println!("  2 instances, {label}: not run: {e}"),
    };
    let b = match pay_server(url, false).await {
        Ok(b) => b,
        Err(e) => return println!("  2 instances, {label}: not run: second instance: {e}"),
    };
    let (base_a, base_b) = (format!("http://{}", a.addr), format!("http://{}", b.addr));
    let runs = async {
        measure_latency(&till(a.addr), &base_b, 10.min(plan.intents)).await?; // warm-up
        let across = measure_latency(&till(a.addr), &base_b, plan.intents).await?;
        let same = measure_latency(&till(a.addr), &base_a, plan.intents.min(200)).await?;
        Ok::<_, String>((across, same))
    }
    .await;
    a.handle.stop(true).await;
    b.handle.stop(true).await;
    let (across, same) = match runs {
        Ok(r) => r,
        Err(e) => return println!("  2 instances, {label}: FAILED: {e}"),
    };
    let s = summarize(&across.event);
    row(
        &format!("2 instances, {label}: till on A, confirm on B"),
        &s,
    );
    row(
        "    of which the POST's own answer (303)",
        &summarize(&across.answer),
    );
    row(
        &format!("2 instances, {label}: till on A, confirm on A"),
        &summarize(&same.event),
    );
    goal(
        &format!("two instances p99 <= 300 ms ({label})"),
        s.p99 <= 300.0,
        &format!("{:.2} ms; poll every {} ms", s.p99, POLL_EVERY.as_millis()),
    );
}

/// Runs `stmt` with the `mariadb` (or `mysql`) command-line client on the server `server`;
/// returns its output.
fn mysql_cli(server: &url::Url, stmt: &str) -> Result<String, String> {
    let mut last = String::from("no mariadb or mysql client");
    for client in ["mariadb", "mysql"] {
        let mut cmd = std::process::Command::new(client);
        cmd.arg("-h")
            .arg(server.host_str().unwrap_or("127.0.0.1"))
            .arg("-P")
            .arg(server.port().unwrap_or(3306).to_string())
            .arg("-u")
            .arg(server.username());
        if let Some(p) = server.password() {
            cmd.env("MYSQL_PWD", p);
        }
        match cmd.args(["-N", "-B", "-e", stmt]).output() {
            Ok(o) if o.status.success() => {
                return Ok(String::from_utf8_lossy(&o.stdout).trim().to_owned());
            }
            Ok(o) => return Err(String::from_utf8_lossy(&o.stderr).trim().to_owned()),
            Err(e) => last = format!("{client}: {e}"),
        }
    }
    Err(last)
}

/// A throwaway database, dropped with the guard (a panicking run leaves nothing behind).
struct ScratchDb {
    server: url::Url,
    name: String,
}

impl Drop for ScratchDb {
    fn drop(&mut self) {
        if let Err(e) = mysql_cli(
            &self.server,
            &format!("DROP DATABASE IF EXISTS {}", self.name),
        ) {
            println!("  MySQL/MariaDB: drop database {}: {e}", self.name);
        }
    }
}

/// The two-instance case on a fresh database of the server `server`
/// (`mysql://user[:pass]@host[:port]`).
fn mysql_latency(plan: &Plan, server: &str) {
    let Ok(parsed) = url::Url::parse(server) else {
        println!("  MySQL/MariaDB: not run: KACHING_BENCH_MYSQL_URL is not a URL");
        return;
    };
    let db = ScratchDb {
        name: format!("kaching_bench_{}", std::process::id()),
        server: parsed.clone(),
    };
    if let Err(e) = mysql_cli(&parsed, &format!("CREATE DATABASE {}", db.name)) {
        println!("  MySQL/MariaDB: not run: create database: {e}");
        return;
    }
    if let Ok(version) = mysql_cli(&parsed, "SELECT VERSION()") {
        println!("  MySQL server {version}, database {}", db.name);
    }
    let mut url = parsed;
    url.set_path(&format!("/{}", db.name));
    in_system(two_instances(plan, "MySQL", url.as_str()));
    drop(db);
}

// ---------------------------------------------------------------------------------------------
// 2. Status requests per second against hello world.

#[derive(Clone)]
enum Target {
    Hello(String),
    Healthz(String),
    /// Signed `GET /api/v1/intents/{id}`, going round `ids`.
    Status {
        base: String,
        ids: Arc<Vec<String>>,
    },
}

impl Target {
    async fn hit(&self, http: &reqwest::Client, i: usize) -> bool {
        let req = match self {
            Target::Hello(url) | Target::Healthz(url) => http.get(url),
            Target::Status { base, ids } => {
                let path = format!("/api/v1/intents/{}", ids[i % ids.len()]);
                let sig = signature_header(
                    SECRET.as_bytes(),
                    chrono::Utc::now().timestamp(),
                    "GET",
                    &path,
                    b"",
                );
                http.get(format!("{base}{path}"))
                    .header(TILL_HEADER, TILL)
                    .header(SIGNATURE_HEADER, sig)
            }
        };
        match req.send().await {
            Ok(resp) if resp.status().is_success() => resp.bytes().await.is_ok(),
            _ => false,
        }
    }
}

struct Rate {
    per_second: f64,
    errors: u64,
    /// CPU time of this process per request answered, in µs: the servers' threads (actix) and
    /// the rest (mostly the load generator).
    server_us: f64,
    client_us: f64,
}

/// CPU time (user + system) used so far by this process's threads: (actix threads, the others).
/// Read from /proc/self/task/*/stat, in clock ticks (100 a second).
fn cpu_ticks() -> (u64, u64) {
    let (mut server, mut other) = (0, 0);
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return (0, 0);
    };
    for task in tasks.flatten() {
        let Ok(stat) = std::fs::read_to_string(task.path().join("stat")) else {
            continue;
        };
        // `pid (comm) state ppid …`: utime and stime are the 14th and 15th fields.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let comm = &stat[open + 1..close];
        let fields: Vec<&str> = stat[close + 1..].split_whitespace().collect();
        let ticks: u64 = fields
            .get(11..13)
            .map(|f| f.iter().filter_map(|v| v.parse::<u64>().ok()).sum())
            .unwrap_or(0);
        if comm.starts_with("actix") {
            server += ticks;
        } else {
            other += ticks;
        }
    }
    (server, other)
}

/// `plan.concurrency` requests in flight from `plan.load_threads` threads (each a current-thread
/// tokio runtime with its own connection pool) for warm-up + measure; counts what finished in
/// the measured window.
async fn load(plan: &Plan, target: &Target) -> Rate {
    let stop = Arc::new(AtomicBool::new(false));
    let ok = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let mut threads = Vec::new();
    for t in 0..plan.load_threads {
        let tasks = plan.concurrency / plan.load_threads
            + usize::from(t < plan.concurrency % plan.load_threads);
        let (stop, ok, errors, target) = (stop.clone(), ok.clone(), errors.clone(), target.clone());
        threads.push(std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let http = reqwest::Client::builder()
                    .timeout(EVENT_TIMEOUT)
                    .build()
                    .expect("client");
                let mut set = tokio::task::JoinSet::new();
                for k in 0..tasks {
                    let (stop, ok, errors, target, http) = (
                        stop.clone(),
                        ok.clone(),
                        errors.clone(),
                        target.clone(),
                        http.clone(),
                    );
                    set.spawn(async move {
                        let mut i = k * 7 + t * 1000;
                        while !stop.load(Ordering::Relaxed) {
                            if target.hit(&http, i).await {
                                ok.fetch_add(1, Ordering::Relaxed);
                            } else {
                                errors.fetch_add(1, Ordering::Relaxed);
                            }
                            i = i.wrapping_add(1);
                        }
                    });
                }
                while set.join_next().await.is_some() {}
            });
        }));
    }
    tokio::time::sleep(plan.warmup).await;
    let (ok0, err0, t0, cpu0) = (
        ok.load(Ordering::Relaxed),
        errors.load(Ordering::Relaxed),
        Instant::now(),
        cpu_ticks(),
    );
    tokio::time::sleep(plan.measure).await;
    let (ok1, err1, elapsed, cpu1) = (
        ok.load(Ordering::Relaxed),
        errors.load(Ordering::Relaxed),
        t0.elapsed(),
        cpu_ticks(),
    );
    let per_request = |ticks: u64| ticks as f64 * 10_000.0 / (ok1 - ok0).max(1) as f64;
    stop.store(true, Ordering::Relaxed);
    tokio::task::spawn_blocking(move || {
        for t in threads {
            t.join().expect("load thread");
        }
    })
    .await
    .expect("join");
    Rate {
        per_second: (ok1 - ok0) as f64 / elapsed.as_secs_f64(),
        errors: err1 - err0,
        server_us: per_request(cpu1.0.saturating_sub(cpu0.0)),
        client_us: per_request(cpu1.1.saturating_sub(cpu0.1)),
    }
}

async fn throughput_bench(plan: &Plan) {
    println!();
    println!(
        "throughput: {} in flight from {} load threads, {} workers per server, {:.1} s warm-up + {:.1} s measured per run, {} round(s)",
        plan.concurrency,
        plan.load_threads,
        WORKERS,
        plan.warmup.as_secs_f64(),
        plan.measure.as_secs_f64(),
        plan.rounds
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("status.sqlite").display());
    let pay = pay_server(&url, true).await.expect("pay server");
    let till = till(pay.addr);
    let mut ids = Vec::with_capacity(STATUS_INTENTS);
    for i in 0..STATUS_INTENTS {
        ids.push(till.create(&intent(i)).await.expect("create").intent_id);
    }
    let (hello_url, hello) = hello_server();
    let targets = [
        ("bare actix-web GET /hello", Target::Hello(hello_url)),
        (
            "pay server GET /api/v1/intents/{id} (signed)",
            Target::Status {
                base: format!("http://{}", pay.addr),
                ids: Arc::new(ids),
            },
        ),
        (
            "pay server GET /healthz (one read, unsigned)",
            Target::Healthz(format!("http://{}/healthz", pay.addr)),
        ),
    ];
    let mut rates = vec![Vec::new(); targets.len()];
    println!(
        "  {:<50} {:>12} {:>8} {:>14} {:>14}",
        "(requests per second)", "rate", "errors", "server CPU µs", "client CPU µs"
    );
    // `KACHING_BENCH_ONLY=status` (or hello, healthz) loads one target only: for a profiler
    // attached to this process (the goal's ratio then cannot be computed).
    let only = std::env::var("KACHING_BENCH_ONLY").unwrap_or_default();
    for round in 0..plan.rounds {
        for (k, (label, target)) in targets.iter().enumerate() {
            let name = ["hello", "status", "healthz"]
                .get(k)
                .copied()
                .unwrap_or_default();
            if !only.is_empty() && only != name {
                continue;
            }
            let r = load(plan, target).await;
            println!(
                "  {:<50} {:>12.0} {:>8} {:>14.1} {:>14.1}",
                format!("{label} #{}", round + 1),
                r.per_second,
                r.errors,
                r.server_us,
                r.client_us
            );
            rates[k].push(r.per_second);
        }
    }
    if !only.is_empty() {
        println!("  KACHING_BENCH_ONLY={only}: no ratio");
        pay.handle.stop(true).await;
        hello.stop(true).await;
        return;
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let (hello_rate, status_rate, health_rate) =
        (mean(&rates[0]), mean(&rates[1]), mean(&rates[2]));
    println!(
        "  mean: hello {hello_rate:.0}/s, status {status_rate:.0}/s, healthz {health_rate:.0}/s"
    );
    let ratio = status_rate / hello_rate * 100.0;
    goal(
        "status >= 60 % of hello world",
        ratio >= 60.0,
        &format!("{ratio:.1} %"),
    );
    pay.handle.stop(true).await;
    hello.stop(true).await;
}
