//! The sync fault test: a TCP proxy of the test's own sits between the till and MariaDB and
//! cuts the link at random moments (every connection at once, a blackout refusing new ones, or
//! one connection part-way through a request, so cuts land mid-batch and mid-COMMIT) while
//! 10 000 sales are made through `kaching till --headless`; the till is killed with SIGKILL at
//! random moments at least 10 times (restarted on the same data dir each time) and MariaDB itself
//! is shut down and started again once in the middle. At the end, with the link restored, the
//! till syncs and the central database equals the local ledger: same sales, same lines, same
//! totals and hashes, same audit trail, no duplicate, no gap in ticket numbers.
//!
//! The same file holds the server-fault tests of the parking rules (issue 11): the central
//! `sales` table renamed for a few seconds, the till's account losing its INSERT privilege, a
//! server answering `1047 WSREP has not yet prepared node` (a proxy of the test's own): every
//! sale arrives once mended, none parked, none doubled, the ledger grows by the sales only, and
//! `status` and `connectivity` agree on the waiting count; a true conflict parks that one row
//! and `kaching sync retry-parked` puts it back; an unusable `central.url` is an error.
//!
//! The first test restarts the MariaDB server, which every test of this binary running at the
//! same time would see die: every test here takes [`serial`] first, so they run one after
//! another (cargo runs test binaries one after another too, so the restart only affects this
//! binary). A new test here must take it as well.
//!
//! The restart needs the server on this machine (`/usr/sbin/mariadbd`, started by
//! `start-stop-daemon`) and root: it fails, never skips, when it cannot restart it.
//! Set `KACHING_FAULT_SEED` to replay a run's random choices (thread timing still varies).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use common::mysql::{TestDb, server_url, with_conn};
use mysql_async::prelude::Queryable;
use serde_json::Value;

/// Sales to make in all.
const SALES: usize = 10_000;
/// SIGKILLs at least (one per till process).
const MIN_KILLS: usize = 10;
/// Sales one till process is given at most, so the sales spread over many processes.
const PER_PROCESS: usize = 900;
/// Sales sent ahead of the till's answers.
const IN_FLIGHT: usize = 120;
/// MariaDB is restarted during the life of this till process (0-based).
const RESTART_IN_PROCESS: usize = 4;
const TILL_ID: &str = "fault-till";
const SERVER_BIN: &str = "/usr/sbin/mariadbd";

use common::rng::Rng;

/// One test of this binary at a time (see the file's header): the restart test kills every
/// connection to the server.
fn serial() -> std::sync::MutexGuard<'static, ()> {
    static SERVER: Mutex<()> = Mutex::new(());
    SERVER.lock().unwrap_or_else(|e| e.into_inner())
}

// ---------------------------------------------------------------------------------------------
// The chaos proxy.

/// What the proxy did.
#[derive(Default)]
struct ProxyStats {
    connections: AtomicU64,
    /// Connections closed at accept during a blackout.
    refused: AtomicU64,
    /// Timed cuts that closed at least one live connection.
    cuts: AtomicU64,
    /// Blackouts (all connections cut and new ones refused for a while).
    blackouts: AtomicU64,
    /// Connections closed by a timed cut or a blackout.
    conns_cut: AtomicU64,
    /// Of those, connections cut while a request was in flight (sent, not yet answered).
    cut_mid_request: AtomicU64,
    /// Connections cut part-way through the bytes of a request (a byte budget ran out).
    cut_mid_packet: AtomicU64,
}

struct Link {
    id: u64,
    client: TcpStream,
    server: TcpStream,
    /// Bytes went to the server and no answer came back yet.
    awaiting: Arc<AtomicBool>,
}

type Links = Arc<Mutex<Vec<Link>>>;

/// A TCP proxy to MariaDB that cuts connections at random moments while `chaos` is on.
struct ChaosProxy {
    port: u16,
    up: Arc<AtomicBool>,
    chaos: Arc<AtomicBool>,
    links: Links,
    stats: Arc<ProxyStats>,
}

fn cut_all(links: &Links, stats: &ProxyStats) -> u64 {
    let mut n = 0;
    for l in links.lock().unwrap().drain(..) {
        n += 1;
        if l.awaiting.load(Ordering::SeqCst) {
            stats.cut_mid_request.fetch_add(1, Ordering::Relaxed);
        }
        let _ = l.client.shutdown(Shutdown::Both);
        let _ = l.server.shutdown(Shutdown::Both);
    }
    stats.conns_cut.fetch_add(n, Ordering::Relaxed);
    n
}

impl ChaosProxy {
    fn start(target_port: u16, seed: u64) -> ChaosProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let proxy = ChaosProxy {
            port,
            up: Arc::new(AtomicBool::new(true)),
            chaos: Arc::new(AtomicBool::new(true)),
            links: Arc::default(),
            stats: Arc::default(),
        };
        // Accepting, each connection possibly with a byte budget.
        let (up, chaos, links, stats) = (
            proxy.up.clone(),
            proxy.chaos.clone(),
            proxy.links.clone(),
            proxy.stats.clone(),
        );
        std::thread::spawn(move || {
            let mut rng = Rng::new(seed);
            let mut next_id = 0u64;
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                if !up.load(Ordering::SeqCst) {
                    stats.refused.fetch_add(1, Ordering::Relaxed);
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                }
                let Ok(server) = TcpStream::connect(("127.0.0.1", target_port)) else {
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                };
                stats.connections.fetch_add(1, Ordering::Relaxed);
                next_id += 1;
                let id = next_id;
                // One connection in two dies after a random number of bytes sent to the
                // server: inside the handshake, a statement, a batch's INSERT or its COMMIT.
                let budget = rng
                    .next()
                    .is_multiple_of(2)
                    .then(|| rng.range(200, 400_000));
                let awaiting = Arc::new(AtomicBool::new(false));
                links.lock().unwrap().push(Link {
                    id,
                    client: client.try_clone().unwrap(),
                    server: server.try_clone().unwrap(),
                    awaiting: awaiting.clone(),
                });
                let ends = [
                    (
                        client.try_clone().unwrap(),
                        server.try_clone().unwrap(),
                        true,
                    ),
                    (server, client, false),
                ];
                for (from, to, upstream) in ends {
                    let (links, stats, chaos, awaiting) = (
                        links.clone(),
                        stats.clone(),
                        chaos.clone(),
                        awaiting.clone(),
                    );
                    std::thread::spawn(move || {
                        pump(
                            from,
                            to,
                            upstream.then_some(budget).flatten(),
                            upstream,
                            &awaiting,
                            &chaos,
                            &stats,
                        );
                        links.lock().unwrap().retain(|l| l.id != id);
                    });
                }
            }
        });
        // Cutting: every 50-500 ms, perhaps every live connection, perhaps a blackout.
        let (up, chaos, links, stats) = (
            proxy.up.clone(),
            proxy.chaos.clone(),
            proxy.links.clone(),
            proxy.stats.clone(),
        );
        std::thread::spawn(move || {
            let mut rng = Rng::new(seed.rotate_left(17));
            loop {
                std::thread::sleep(Duration::from_millis(rng.range(50, 500)));
                if !chaos.load(Ordering::SeqCst) {
                    continue;
                }
                match rng.next() % 100 {
                    0..60 => {}
                    60..90 => {
                        if cut_all(&links, &stats) > 0 {
                            stats.cuts.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    _ => {
                        up.store(false, Ordering::SeqCst);
                        stats.blackouts.fetch_add(1, Ordering::Relaxed);
                        cut_all(&links, &stats);
                        std::thread::sleep(Duration::from_millis(rng.range(100, 1000)));
                        up.store(true, Ordering::SeqCst);
                    }
                }
            }
        });
        proxy
    }

    /// Stops the cuts for good and lets every connection through.
    fn calm(&self) {
        self.chaos.store(false, Ordering::SeqCst);
        self.up.store(true, Ordering::SeqCst);
    }

    /// `url` with its host:port replaced by the proxy's.
    fn url(&self, url: &str) -> String {
        let mut u = url::Url::parse(url).unwrap();
        u.set_host(Some("127.0.0.1")).unwrap();
        u.set_port(Some(self.port)).unwrap();
        // mysql_async would otherwise switch a loopback connection to the Unix socket,
        // around the proxy.
        u.query_pairs_mut().append_pair("prefer_socket", "false");
        u.to_string()
    }

    /// Whether a request is in flight on some connection right now.
    fn busy(&self) -> bool {
        self.links
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.awaiting.load(Ordering::SeqCst))
    }

    fn stat(&self, f: impl Fn(&ProxyStats) -> &AtomicU64) -> u64 {
        f(&self.stats).load(Ordering::Relaxed)
    }
}

/// Copies `from` to `to` until either end closes; towards the server (`upstream`) at most
/// `budget` bytes while the chaos is on, then both ends are cut mid-request.
fn pump(
    mut from: TcpStream,
    mut to: TcpStream,
    budget: Option<u64>,
    upstream: bool,
    awaiting: &AtomicBool,
    chaos: &AtomicBool,
    stats: &ProxyStats,
) {
    let mut buf = [0u8; 16 * 1024];
    let mut sent = 0u64;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let mut give = n;
        let mut cut = false;
        if let Some(b) = budget
            && chaos.load(Ordering::SeqCst)
            && sent + n as u64 >= b
        {
            give = (b - sent) as usize;
            cut = true;
        }
        awaiting.store(upstream, Ordering::SeqCst);
        if to.write_all(&buf[..give]).is_err() {
            break;
        }
        sent += give as u64;
        if cut {
            stats.cut_mid_packet.fetch_add(1, Ordering::Relaxed);
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Both);
    let _ = from.shutdown(Shutdown::Both);
}

// ---------------------------------------------------------------------------------------------
// Restarting the MariaDB server.

/// The pids of the running `/usr/sbin/mariadbd` processes (read from /proc, nothing is signalled).
fn server_pids() -> Vec<u32> {
    let mut pids = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse().ok()) else {
            continue;
        };
        if let Ok(exe) = std::fs::read_link(entry.path().join("exe"))
            && exe.to_string_lossy().starts_with(SERVER_BIN)
        {
            pids.push(pid);
        }
    }
    pids
}

fn server_answers(url: &str) -> bool {
    with_conn(url.to_owned(), |c| {
        Box::pin(c.query_first::<i64, _>("SELECT 1"))
    })
    .is_ok()
}

/// Shuts the test's MariaDB server down (SQL `SHUTDOWN`, else `mariadb-admin shutdown`), waits
/// for its process to end, starts it again the way this machine does
/// (`start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd`) and waits until
/// it answers. Panics with the reason when any step fails: the fault test needs the restart.
/// Returns how long the server was gone.
fn restart_server() -> Duration {
    let url = server_url();
    let host = url.host_str().unwrap_or_default().to_owned();
    assert!(
        matches!(host.as_str(), "127.0.0.1" | "localhost" | "::1" | "[::1]"),
        "the fault test restarts the MariaDB server, so it must run on this machine; \
         KACHING_TEST_MYSQL_URL points at {host}"
    );
    // The server the tests use, by its pid file (another mariadbd may run on this machine).
    let pid_file: String = with_conn(url.to_string(), |c| {
        Box::pin(c.query_first::<String, _>("SELECT @@pid_file"))
    })
    .ok()
    .flatten()
    .expect("the test server's pid file (SELECT @@pid_file)");
    let before: Vec<u32> = std::fs::read_to_string(&pid_file)
        .ok()
        .and_then(|p| p.trim().parse().ok())
        .into_iter()
        .filter(|p| server_pids().contains(p))
        .collect();
    assert!(
        !before.is_empty(),
        "no {SERVER_BIN} process behind {pid_file}: cannot restart the server (start it with \
         start-stop-daemon --start --oknodo --background --exec {SERVER_BIN})"
    );
    let started = Instant::now();
    let sql = with_conn(url.to_string(), |c| Box::pin(c.query_drop("SHUTDOWN")));
    if let Err(mysql_async::Error::Server(e)) = &sql {
        eprintln!("SQL SHUTDOWN refused ({e}): trying mariadb-admin");
        let o = Command::new("mariadb-admin")
            .args(["-uroot", "shutdown"])
            .output()
            .expect("run mariadb-admin");
        assert!(
            o.status.success(),
            "cannot shut the server down: mariadb-admin: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while before
        .iter()
        .any(|p| Path::new(&format!("/proc/{p}")).exists())
    {
        assert!(
            Instant::now() < deadline,
            "the MariaDB server (pids {before:?}) did not stop within 60 s of SHUTDOWN"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let o = Command::new("start-stop-daemon")
        .args([
            "--start",
            "--oknodo",
            "--background",
            "--pidfile",
            &pid_file,
            "--exec",
            SERVER_BIN,
        ])
        .output()
        .expect("run start-stop-daemon (the test needs root and Debian's start-stop-daemon)");
    assert!(
        o.status.success(),
        "start-stop-daemon could not start {SERVER_BIN}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let deadline = Instant::now() + Duration::from_secs(90);
    while !server_answers(url.as_str()) {
        assert!(
            Instant::now() < deadline,
            "the MariaDB server did not answer within 90 s of its restart (pids now {:?})",
            server_pids()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    started.elapsed()
}

/// The restart running in the background. Dropped (a failing test unwinding), it still waits
/// for the restart to finish, so a failure never leaves the server down for the tests after it.
#[derive(Default)]
struct Restart(Option<JoinHandle<Duration>>);

impl Restart {
    fn begin(&mut self) {
        self.0 = Some(std::thread::spawn(restart_server));
    }

    fn begun(&self) -> bool {
        self.0.is_some()
    }

    /// How long the server was gone.
    fn finish(&mut self) -> Duration {
        let handle = self.0.take().expect("MariaDB was restarted");
        handle
            .join()
            .unwrap_or_else(|_| panic!("restarting MariaDB failed (see the panic above)"))
    }
}

impl Drop for Restart {
    fn drop(&mut self) {
        if let Some(h) = self.0.take() {
            let _ = h.join();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Driving till processes.

/// What the test saw the tills announce.
#[derive(Default)]
struct Seen {
    /// Every `sale_committed`: sale id → ticket number.
    committed: BTreeMap<String, i64>,
    offline_events: usize,
    online_events: usize,
    print_failures: usize,
    /// The last `connectivity` event.
    last_connectivity: Option<Value>,
}

impl Seen {
    fn note(&mut self, ev: &Value) {
        if ev["event"] == "connectivity" {
            self.last_connectivity = Some(ev.clone());
        }
        match ev["event"].as_str() {
            Some("sale_committed") => {
                let id = ev["sale_id"].as_str().unwrap().to_owned();
                let ticket = ev["ticket_no"].as_i64().unwrap();
                let before = self.committed.insert(id.clone(), ticket);
                assert!(before.is_none(), "sale {id} announced twice");
            }
            Some("connectivity") if ev["online"] == false => self.offline_events += 1,
            Some("connectivity") if ev["online"] == true => self.online_events += 1,
            Some("print_failed") => self.print_failures += 1,
            Some("error") => panic!("the till answered an error: {ev}"),
            _ => {}
        }
    }
}

/// A `kaching till --headless` process whose events are read without blocking.
struct TillProc {
    child: Child,
    stdin: Option<ChildStdin>,
    events: Receiver<Value>,
}

impl TillProc {
    fn start(dir: &Path, central_url: &str) -> TillProc {
        let mut child = common::kaching(dir)
            .env("KACHING_CENTRAL__URL", central_url)
            .env("KACHING_TILL__ID", TILL_ID)
            // Tickets to a device that swallows them: 10 000 preview files would only cost time.
            .env("KACHING_PRINTER__DRIVER", "device")
            .env("KACHING_PRINTER__TARGET", "/dev/null")
            .env(
                "KACHING_LOG",
                std::env::var("SYNC_TEST_LOG").unwrap_or_else(|_| "error".into()),
            )
            .args(["till", "--headless"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn kaching till --headless");
        let stdin = child.stdin.take();
        let out = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                let v: Value = serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("stdout line is not JSON ({e}): {line}"));
                if tx.send(v).is_err() {
                    break;
                }
            }
        });
        TillProc {
            child,
            stdin,
            events: rx,
        }
    }

    fn send(&mut self, text: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(text.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }

    /// Waits for an event named `name`, noting every event on the way.
    fn wait_for(&mut self, name: &str, seen: &mut Seen) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok(ev) => {
                    seen.note(&ev);
                    if ev["event"] == name {
                        return ev;
                    }
                }
                Err(RecvTimeoutError::Timeout) => panic!("no {name} event within 30 s"),
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the till exited while waiting for {name}")
                }
            }
        }
    }

    /// Notes the events already there; returns how many sales they committed.
    fn drain(&mut self, seen: &mut Seen) -> usize {
        let mut sales = 0;
        loop {
            match self.events.try_recv() {
                Ok(ev) => {
                    sales += usize::from(ev["event"] == "sale_committed");
                    seen.note(&ev);
                }
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => return sales,
            }
        }
    }

    /// SIGKILL, then notes every event the till printed before it died.
    fn kill(mut self, seen: &mut Seen) -> usize {
        self.child.kill().unwrap(); // SIGKILL
        self.child.wait().unwrap();
        let mut sales = 0;
        while let Ok(ev) = self.events.recv_timeout(Duration::from_secs(10)) {
            sales += usize::from(ev["event"] == "sale_committed");
            seen.note(&ev);
        }
        sales
    }

    fn status(&mut self, seen: &mut Seen) -> Value {
        self.send("status\n");
        self.wait_for("status", seen)
    }
}

impl Drop for TillProc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until a sync round that started after this call completed online with nothing left
/// to push.
fn wait_synced(till: &mut TillProc, seen: &mut Seen, dir: &Path) -> Value {
    let start = till.status(seen)["sync_rounds"].as_u64().unwrap();
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let s = till.status(seen);
        if s["sync_rounds"].as_u64().unwrap() >= start + 2
            && s["online"] == true
            && s["outbox_pending"] == 0
        {
            return s;
        }
        if Instant::now() > deadline {
            let conn = rusqlite::Connection::open(dir.join(kaching::store::LEDGER_FILE)).unwrap();
            let stuck = local_rows(
                &conn,
                "SELECT seq, kind, attempts, parked_at, last_error FROM outbox \
                 WHERE sent_at IS NULL ORDER BY seq LIMIT 5",
                |r| {
                    format!(
                        "seq {} {} attempts {} parked {:?}: {:?}",
                        r.get::<_, i64>(0).unwrap(),
                        r.get::<_, String>(1).unwrap(),
                        r.get::<_, i64>(2).unwrap(),
                        r.get::<_, Option<String>>(3).unwrap(),
                        r.get::<_, Option<String>>(4).unwrap()
                    )
                },
            );
            panic!("not synced within 90 s: {s:#}\nfirst unsent outbox rows: {stuck:#?}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

// ---------------------------------------------------------------------------------------------
// Comparing the ledger and the central database.

/// A row as text, column by column (`None` for NULL): both sides compare alike.
type Row = Vec<Option<String>>;

/// Every column a till pushes, in the same order on both sides.
const SALE_COLS: &str = "id, till_id, ticket_no, staff_id, staff_name, account, method, payment_ref, \
     revenue_cents, withdrawal_cents, paid_cents, tendered_cents, change_cents, paid_at, {day}, \
     prev_hash, hash";
const LINE_COLS: &str =
    "sale_id, line_no, kind, product_code, name, unit_cents, qty, total_cents, vat_rate";
const AUDIT_COLS: &str = "seq, at, staff_id, action, detail";
/// Columns of a sale row used below.
const ID: usize = 0;
const TILL: usize = 1;
const TICKET: usize = 2;
const REVENUE: usize = 8;
const PAID: usize = 10;
/// The total of a line row.
const LINE_TOTAL: usize = 7;

fn local_rows<T>(conn: &rusqlite::Connection, sql: &str, f: fn(&rusqlite::Row) -> T) -> Vec<T> {
    let mut stmt = conn.prepare(sql).unwrap();
    let rows = stmt.query_map([], |r| Ok(f(r))).unwrap();
    rows.map(Result::unwrap).collect()
}

fn local_text_rows(conn: &rusqlite::Connection, sql: &str) -> Vec<Row> {
    use rusqlite::types::ValueRef;
    local_rows(conn, sql, |r| {
        (0..r.as_ref().column_count())
            .map(|i| match r.get_ref(i).unwrap() {
                ValueRef::Null => None,
                ValueRef::Integer(n) => Some(n.to_string()),
                ValueRef::Real(x) => Some(x.to_string()),
                ValueRef::Text(t) | ValueRef::Blob(t) => {
                    Some(String::from_utf8_lossy(t).into_owned())
                }
            })
            .collect()
    })
}

/// Rows of the central database as text (the text protocol sends every value as text).
fn central_text_rows(db: &TestDb, sql: &str) -> Vec<Row> {
    let sql = sql.to_owned();
    let rows = with_conn(db.url.clone(), move |c| {
        Box::pin(c.query::<mysql_async::Row, _>(sql))
    })
    .unwrap();
    rows.into_iter()
        .map(|row| {
            row.unwrap()
                .into_iter()
                .map(|v| match v {
                    mysql_async::Value::NULL => None,
                    mysql_async::Value::Bytes(b) => Some(String::from_utf8_lossy(&b).into_owned()),
                    other => Some(other.as_sql(true).trim_matches('\'').to_owned()),
                })
                .collect()
        })
        .collect()
}

fn int(row: &Row, col: usize) -> i64 {
    row[col].as_deref().unwrap().parse().unwrap()
}

/// Both sides, sorted.
struct Snapshot {
    sales: Vec<Row>,
    lines: Vec<Row>,
    audit: Vec<Row>,
}

fn local_snapshot(dir: &Path) -> Snapshot {
    let conn = rusqlite::Connection::open(dir.join(kaching::store::LEDGER_FILE)).unwrap();
    let sales = SALE_COLS.replace("{day}", "day");
    Snapshot {
        sales: local_text_rows(&conn, &format!("SELECT {sales} FROM sales ORDER BY id")),
        lines: local_text_rows(
            &conn,
            &format!("SELECT {LINE_COLS} FROM sale_lines ORDER BY sale_id, line_no"),
        ),
        audit: local_text_rows(
            &conn,
            &format!("SELECT {AUDIT_COLS} FROM audit ORDER BY seq"),
        ),
    }
}

fn central_snapshot(db: &TestDb) -> Snapshot {
    // The central ids are ascii_bin: they sort byte by byte, as SQLite sorts them.
    let sales = SALE_COLS.replace("{day}", "CAST(day AS CHAR)");
    Snapshot {
        sales: central_text_rows(db, &format!("SELECT {sales} FROM sales ORDER BY id")),
        lines: central_text_rows(
            db,
            &format!("SELECT {LINE_COLS} FROM sale_lines ORDER BY sale_id, line_no"),
        ),
        audit: central_text_rows(
            db,
            &format!("SELECT {AUDIT_COLS} FROM audit WHERE till_id = '{TILL_ID}' ORDER BY seq"),
        ),
    }
}

/// The first difference between two sorted lists, for a readable failure.
fn first_difference<T: PartialEq + std::fmt::Debug>(what: &str, local: &[T], central: &[T]) {
    if local == central {
        return;
    }
    let i = local
        .iter()
        .zip(central)
        .position(|(a, b)| a != b)
        .unwrap_or(local.len().min(central.len()));
    panic!(
        "{what}: the ledger has {} rows, the central database {}; first difference at row {i}:\n\
         local:   {:?}\ncentral: {:?}",
        local.len(),
        central.len(),
        local.get(i),
        central.get(i)
    );
}

fn gapless(what: &str, mut numbers: Vec<i64>) -> i64 {
    numbers.sort_unstable();
    let n = numbers.len() as i64;
    if numbers != (1..=n).collect::<Vec<_>>() {
        let missing: Vec<i64> = (1..=n)
            .filter(|t| numbers.binary_search(t).is_err())
            .take(10)
            .collect();
        panic!("{what}: ticket numbers are not 1..{n} (missing e.g. {missing:?})");
    }
    n
}

// ---------------------------------------------------------------------------------------------

#[test]
fn random_cuts_sigkills_and_a_server_restart_leave_central_equal_to_the_ledger() {
    let _serial = serial();
    let mut rng = Rng::from_env("KACHING_FAULT_SEED", "sync fault test");
    let seed = rng.seed();
    let began = Instant::now();

    let db = TestDb::create();
    let dir = common::seeded_dir();
    let migrate = common::kaching(dir.path())
        .env("KACHING_CENTRAL__URL", &db.url)
        .args(["migrate", "--central"])
        .output()
        .unwrap();
    assert!(migrate.status.success(), "{}", common::stderr(&migrate));

    let port = url::Url::parse(&db.url).unwrap().port().unwrap_or(3306);
    let proxy = ChaosProxy::start(port, rng.next());
    let central_url = proxy.url(&db.url);

    let mut seen = Seen::default();
    let mut kills = 0;
    let mut kills_mid_stream = 0;
    let mut pushed_while_faulty = 0;
    let mut restart = Restart::default();
    let sale = "scan 1234\npay main cash\n";
    while seen.committed.len() < SALES || kills < MIN_KILLS {
        let mut life = Duration::from_millis(rng.range(500, 5000));
        let quota = PER_PROCESS.min(SALES.saturating_sub(seen.committed.len()));
        let mut till = TillProc::start(dir.path(), &central_url);
        till.wait_for("ready", &mut seen);
        till.send("login 1 1111\n");
        till.wait_for("logged_in", &mut seen);
        // MariaDB goes down once, if possible while the till is waiting for an answer.
        let restart_at = (kills == RESTART_IN_PROCESS).then(|| {
            life = life.max(Duration::from_secs(5));
            Instant::now() + Duration::from_millis(rng.range(300, 1000))
        });
        let born = Instant::now();
        let (mut sent, mut done) = (0, 0);
        while born.elapsed() < life {
            done += till.drain(&mut seen);
            if sent < quota && sent - done.min(sent) < IN_FLIGHT {
                let n = (quota - sent).min(20);
                till.send(&sale.repeat(n));
                sent += n;
            }
            if !restart.begun()
                && restart_at.is_some_and(|t| {
                    let now = Instant::now();
                    (now >= t && proxy.busy()) || now >= t + Duration::from_secs(2)
                })
            {
                eprintln!(
                    "restarting MariaDB while till process {kills} sells (request in flight: {})",
                    proxy.busy()
                );
                restart.begin();
            }
            std::thread::sleep(Duration::from_millis(3));
        }
        done += till.kill(&mut seen);
        kills += 1;
        if done < sent {
            kills_mid_stream += 1;
        }

        // Every sale announced so far is in the ledger, under its number, with no gap.
        let conn =
            rusqlite::Connection::open(dir.path().join(kaching::store::LEDGER_FILE)).unwrap();
        let local: BTreeMap<String, i64> =
            local_rows(&conn, "SELECT id, ticket_no FROM sales", |r| {
                (r.get(0).unwrap(), r.get(1).unwrap())
            })
            .into_iter()
            .collect();
        for (id, ticket) in &seen.committed {
            assert_eq!(
                local.get(id),
                Some(ticket),
                "kill {kills}: sale {id} (ticket {ticket}) announced but not in the ledger"
            );
        }
        gapless(
            &format!("ledger after kill {kills}"),
            local.values().copied().collect(),
        );
        // How far the sync got under the faults (the server may be restarting: then unknown).
        let pushed = with_conn(db.url.clone(), |c| {
            Box::pin(c.query_first::<i64, _>("SELECT COUNT(*) FROM sales"))
        })
        .ok()
        .flatten();
        if let Some(n) = pushed {
            pushed_while_faulty = pushed_while_faulty.max(n);
        }
        eprintln!(
            "kill {kills}: lived {life:.1?}, {done}/{sent} sales answered, {} in the ledger, \
             {pushed:?} central",
            local.len()
        );
    }
    let restart_took = restart.finish();
    let selling = began.elapsed();

    // The link is restored: one more start, until everything is pushed.
    proxy.calm();
    let sync_began = Instant::now();
    let mut till = TillProc::start(dir.path(), &central_url);
    till.wait_for("ready", &mut seen);
    let status = wait_synced(&mut till, &mut seen, dir.path());
    let final_sync = sync_began.elapsed();
    till.send("quit\n");
    drop(till.stdin.take());
    while till.events.recv_timeout(Duration::from_secs(20)).is_ok() {}
    assert!(
        till.child.wait().unwrap().success(),
        "the last till did not quit cleanly"
    );

    // The ledger.
    let local = local_snapshot(dir.path());
    let conn = rusqlite::Connection::open(dir.path().join(kaching::store::LEDGER_FILE)).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        count("SELECT count(*) FROM outbox WHERE parked_at IS NOT NULL"),
        0,
        "rows parked: {:?}",
        local_rows(
            &conn,
            "SELECT seq, kind, last_error FROM outbox WHERE parked_at IS NOT NULL LIMIT 5",
            |r| (
                r.get::<_, i64>(0).unwrap(),
                r.get::<_, String>(1).unwrap(),
                r.get::<_, Option<String>>(2).unwrap()
            )
        )
    );
    assert_eq!(
        count("SELECT count(*) FROM outbox WHERE sent_at IS NULL"),
        0,
        "rows left unsent after the last till quit"
    );
    let retried = count("SELECT count(*) FROM outbox WHERE attempts > 1");
    let local_ids: BTreeSet<&str> = local
        .sales
        .iter()
        .map(|s| s[ID].as_deref().unwrap())
        .collect();
    for id in seen.committed.keys() {
        assert!(local_ids.contains(id.as_str()), "sale {id} lost locally");
    }
    assert!(
        local.sales.len() >= SALES,
        "only {} sales made",
        local.sales.len()
    );
    assert!(
        local
            .sales
            .iter()
            .all(|s| s[TILL].as_deref() == Some(TILL_ID))
    );
    let local_tickets = gapless(
        "ledger",
        local.sales.iter().map(|s| int(s, TICKET)).collect(),
    );
    let verify = common::run(dir.path(), &["verify"], "");
    assert!(
        verify.status.success(),
        "kaching verify: {}{}",
        common::stdout(&verify),
        common::stderr(&verify)
    );

    // The central database: no duplicate, no gap, nothing else.
    assert_eq!(
        db.int("SELECT COUNT(*) - COUNT(DISTINCT id) FROM sales"),
        0,
        "duplicate sale ids centrally"
    );
    assert_eq!(
        db.int("SELECT COUNT(*) - COUNT(DISTINCT till_id, ticket_no) FROM sales"),
        0,
        "duplicate tickets centrally"
    );
    assert_eq!(
        db.int("SELECT COUNT(*) FROM sale_lines l LEFT JOIN sales s ON s.id = l.sale_id WHERE s.id IS NULL"),
        0,
        "lines without their sale centrally"
    );
    assert_eq!(
        db.int("SELECT COUNT(*) FROM sales s WHERE NOT EXISTS (SELECT 1 FROM sale_lines l WHERE l.sale_id = s.id)"),
        0,
        "sales without lines centrally"
    );
    assert_eq!(
        db.int("SELECT COUNT(*) - COUNT(DISTINCT seq) FROM audit"),
        0,
        "duplicate audit rows centrally"
    );
    let central = central_snapshot(&db);
    let central_tickets = gapless(
        "central",
        central.sales.iter().map(|s| int(s, TICKET)).collect(),
    );
    assert_eq!(local_tickets, central_tickets);

    // Same sales (ids, numbers, totals, hashes), same lines, same audit trail.
    first_difference("sales", &local.sales, &central.sales);
    first_difference("sale lines", &local.lines, &central.lines);
    first_difference("audit", &local.audit, &central.audit);
    let sums = |s: &[Row]| {
        (
            s.iter().map(|r| int(r, REVENUE)).sum::<i64>(),
            s.iter().map(|r| int(r, PAID)).sum::<i64>(),
        )
    };
    let (revenue, paid) = sums(&local.sales);
    assert_eq!(
        (
            db.int("SELECT CAST(SUM(revenue_cents) AS SIGNED) FROM sales"),
            db.int("SELECT CAST(SUM(paid_cents) AS SIGNED) FROM sales")
        ),
        (revenue, paid),
        "central totals"
    );
    assert_eq!(
        db.int("SELECT CAST(SUM(total_cents) AS SIGNED) FROM sale_lines"),
        local.lines.iter().map(|l| int(l, LINE_TOTAL)).sum::<i64>()
    );
    assert_eq!(
        db.int(&format!(
            "SELECT parked FROM till_heartbeats WHERE till_id = '{TILL_ID}'"
        )),
        0
    );

    // The faults did happen.
    let cuts = proxy.stat(|s| &s.cuts);
    let mid_request = proxy.stat(|s| &s.cut_mid_request);
    let mid_packet = proxy.stat(|s| &s.cut_mid_packet);
    assert!(kills >= MIN_KILLS);
    assert!(
        mid_request + mid_packet > 0,
        "no cut landed while a request was in flight"
    );
    assert!(retried > 0, "no outbox row was ever re-sent");
    assert!(seen.offline_events > 0, "the till never saw itself offline");
    assert_eq!(seen.print_failures, 0, "tickets failed to print");
    assert!(
        pushed_while_faulty > 0,
        "nothing was pushed while the link was faulty"
    );
    eprintln!(
        "sync fault test (seed {seed}): {} sales / {} lines / {} audit rows equal on both sides \
         (revenue {revenue}, paid {paid}, tickets 1..{local_tickets}); {kills} SIGKILLs \
         ({kills_mid_stream} with sales in flight); proxy: {} connections, {cuts} cuts + {} \
         blackouts closing {} connections ({mid_request} mid-request), {mid_packet} cut \
         mid-packet, {} refused; {retried} outbox rows sent more than once; {} offline / {} \
         online events; {pushed_while_faulty} sales central before the link was restored; \
         MariaDB down {restart_took:.1?}; selling {selling:.1?}, final sync \
         {final_sync:.1?} (rounds {}), total {:.1?}",
        local.sales.len(),
        local.lines.len(),
        local.audit.len(),
        proxy.stat(|s| &s.connections),
        proxy.stat(|s| &s.blackouts),
        proxy.stat(|s| &s.conns_cut),
        proxy.stat(|s| &s.refused),
        seen.offline_events,
        seen.online_events,
        status["sync_rounds"],
        began.elapsed(),
    );
}

// ---------------------------------------------------------------------------------------------
// Server faults that are not the rows' (issue 11): nothing parked, everything arrives.

/// Sales each fault scenario makes.
const FAULT_SALES: usize = 10;
/// How long a fault lasts at least.
const FAULT_HOLD: Duration = Duration::from_secs(5);

/// A central database of its own, migrated (as root).
fn migrated_db() -> TestDb {
    let db = TestDb::create();
    let dir = tempfile::tempdir().unwrap();
    let migrate = common::kaching(dir.path())
        .env("KACHING_CENTRAL__URL", &db.url)
        .args(["migrate", "--central"])
        .output()
        .unwrap();
    assert!(migrate.status.success(), "{}", common::stderr(&migrate));
    db
}

fn central_exec(db: &TestDb, sql: &str) {
    db.exec(sql);
}

/// The ledger's size once the till is gone, its WAL checkpointed into the file.
fn ledger_bytes(dir: &Path) -> u64 {
    let path = dir.join(kaching::store::LEDGER_FILE);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    drop(conn);
    let wal = std::fs::metadata(format!("{}-wal", path.display())).map_or(0, |m| m.len());
    std::fs::metadata(&path).unwrap().len() + wal
}

fn ledger_int(dir: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(dir.join(kaching::store::LEDGER_FILE)).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// `quit`, then waits for a clean exit.
fn quit(mut till: TillProc) {
    till.send("quit\n");
    drop(till.stdin.take());
    while till.events.recv_timeout(Duration::from_secs(20)).is_ok() {}
    assert!(
        till.child.wait().unwrap().success(),
        "the till did not quit cleanly"
    );
}

/// A till on a fresh data dir, logged in, synced once with `url`.
fn synced_till(dir: &Path, url: &str, seen: &mut Seen) -> TillProc {
    let mut till = TillProc::start(dir, url);
    till.wait_for("ready", seen);
    till.send("login 1 1111\n");
    till.wait_for("logged_in", seen);
    wait_synced(&mut till, seen, dir);
    till
}

fn sell(till: &mut TillProc, seen: &mut Seen, n: usize) {
    let before = seen.committed.len();
    till.send(&"scan 1234\npay main cash\n".repeat(n));
    while seen.committed.len() < before + n {
        till.wait_for("sale_committed", seen);
    }
}

/// Waits until `status` and the last `connectivity` event agree: offline (or online, as
/// `online` says), the same waiting count, `parked` of them parked, as `ok` wants.
fn wait_agreement(
    till: &mut TillProc,
    seen: &mut Seen,
    online: bool,
    ok: impl Fn(i64, i64) -> bool,
) -> Value {
    let deadline = Instant::now() + Duration::from_secs(40);
    loop {
        let s = till.status(seen);
        let c = seen.last_connectivity.clone().unwrap_or_default();
        if s["online"] == online
            && c["online"] == online
            && c["pending"] == s["outbox_pending"]
            && c["parked"] == s["outbox_parked"]
            && ok(
                s["outbox_pending"].as_i64().unwrap(),
                s["outbox_parked"].as_i64().unwrap(),
            )
        {
            return s;
        }
        assert!(
            Instant::now() < deadline,
            "status and connectivity never agreed (online {online}): status {s:#}\nlast connectivity {c:#}"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// A fault: what begins it, what ends it.
type Fault<'a> = (&'a dyn Fn(), &'a dyn Fn());

/// One scenario: a till synced with `db` through `url` makes [`FAULT_SALES`] sales while the
/// fault is on (`fault`: begin, end; `None`: the no-fault baseline), the fault ends once the
/// till has reported it, the till syncs and quits. Answers the data dir, how much the ledger
/// grew, and the status seen during the fault.
fn sell_through_fault(
    url: &str,
    fault: Option<Fault<'_>>,
) -> (tempfile::TempDir, u64, Option<Value>) {
    let dir = common::seeded_dir();
    let before = ledger_bytes(dir.path());
    let mut seen = Seen::default();
    let mut till = synced_till(dir.path(), url, &mut seen);
    let began = Instant::now();
    if let Some((begin, _)) = fault {
        begin();
    }
    // One sale alone first: a batch of one row refused is the case a "park what the server
    // refuses" rule gets wrong (no other row to compare with).
    sell(&mut till, &mut seen, 1);
    if fault.is_some() {
        wait_agreement(&mut till, &mut seen, false, |pending, parked| {
            pending >= 1 && parked == 0
        });
    }
    sell(&mut till, &mut seen, FAULT_SALES - 1);
    let during = fault.map(|(_, end)| {
        // The till says it waits, and the screen's count (connectivity) is status's.
        let s = wait_agreement(&mut till, &mut seen, false, |pending, parked| {
            pending >= FAULT_SALES as i64 && parked == 0
        });
        std::thread::sleep(FAULT_HOLD.saturating_sub(began.elapsed()));
        let again = till.status(&mut seen);
        assert_eq!(
            again["outbox_parked"], 0,
            "parked during the fault: {again:#}"
        );
        end();
        s
    });
    wait_synced(&mut till, &mut seen, dir.path());
    wait_agreement(&mut till, &mut seen, true, |pending, parked| {
        pending == 0 && parked == 0
    });
    quit(till);
    let after = ledger_bytes(dir.path());
    (dir, after.saturating_sub(before), during)
}

/// What every fault scenario must show: all sales arrived once, nothing parked, no parking
/// storm, the ledger grew by about what the same sales cost without a fault.
fn assert_all_arrived(db: &TestDb, dir: &Path, growth: u64, baseline: u64) {
    assert_eq!(
        ledger_int(
            dir,
            "SELECT count(*) FROM outbox WHERE parked_at IS NOT NULL"
        ),
        0,
        "rows parked"
    );
    assert_eq!(
        ledger_int(
            dir,
            "SELECT count(*) FROM audit WHERE action = 'outbox_parked'"
        ),
        0,
        "parking audited"
    );
    assert_eq!(
        ledger_int(dir, "SELECT count(*) FROM outbox WHERE sent_at IS NULL"),
        0,
        "rows left unsent"
    );
    assert_eq!(
        db.int(&format!(
            "SELECT COUNT(*) FROM sales WHERE till_id = '{TILL_ID}'"
        )),
        FAULT_SALES as i64,
        "sales in the central database"
    );
    assert_eq!(
        db.int("SELECT COUNT(DISTINCT till_id, ticket_no) FROM sales"),
        FAULT_SALES as i64,
        "tickets doubled centrally"
    );
    let (local, central) = (local_snapshot(dir), central_snapshot(db));
    first_difference("sales", &local.sales, &central.sales);
    first_difference("sale lines", &local.lines, &central.lines);
    first_difference("audit", &local.audit, &central.audit);
    // Per sale a few rows in four tables: a few pages. A parking storm grew it by megabytes.
    let limit = baseline + baseline / 2 + 32 * 1024;
    eprintln!("ledger grew by {growth} bytes under the fault, {baseline} without (limit {limit})");
    assert!(
        growth <= limit,
        "the ledger grew by {growth} bytes under the fault, {baseline} for the same sales without one"
    );
}

/// The no-fault baseline: how much the ledger grows for [`FAULT_SALES`] sales.
fn baseline_growth() -> u64 {
    let db = migrated_db();
    let (_dir, growth, _) = sell_through_fault(&db.url, None);
    growth
}

#[test]
fn a_renamed_sales_table_parks_nothing_and_every_sale_arrives() {
    let _serial = serial();
    let baseline = baseline_growth();
    let db = migrated_db();
    let begin = || central_exec(&db, "RENAME TABLE sales TO sales_upgrading");
    let end = || central_exec(&db, "RENAME TABLE sales_upgrading TO sales");
    let (dir, growth, during) = sell_through_fault(&db.url, Some((&begin, &end)));
    let during = during.unwrap();
    let error = during["sync_error"].as_str().unwrap_or_default();
    assert!(error.contains("1146"), "status.sync_error: {during:#}");
    assert_all_arrived(&db, dir.path(), growth, baseline);
}

/// A MySQL account for the till with table-level privileges (a REVOKE of those takes effect
/// at the connection's next statement), dropped at the end.
struct TillAccount {
    name: String,
    db: String,
    url: String,
}

const ACCOUNT_HOSTS: [&str; 3] = ["%", "localhost", "127.0.0.1"];

impl TillAccount {
    fn create(db: &TestDb) -> TillAccount {
        let name = format!("kt_{}", common::mysql::random_hex(4));
        let password = common::mysql::random_hex(12);
        let tables = db.strings(
            "SELECT CAST(table_name AS CHAR) FROM information_schema.tables WHERE table_schema = DATABASE()",
        );
        assert!(tables.iter().any(|t| t == "sales"), "{tables:?}");
        // Made first: dropped on a failure below, it removes the users already created.
        let mut account = TillAccount {
            name: name.clone(),
            db: db.name.clone(),
            url: String::new(),
        };
        for host in ACCOUNT_HOSTS {
            central_exec(
                db,
                &format!("CREATE USER '{name}'@'{host}' IDENTIFIED BY '{password}'"),
            );
            for t in &tables {
                central_exec(
                    db,
                    &format!(
                        "GRANT SELECT, INSERT, UPDATE ON `{}`.`{t}` TO '{name}'@'{host}'",
                        db.name
                    ),
                );
            }
        }
        let mut u = url::Url::parse(&db.url).unwrap();
        u.set_username(&name).unwrap();
        u.set_password(Some(&password)).unwrap();
        u.query_pairs_mut().append_pair("prefer_socket", "false");
        account.url = u.to_string();
        account
    }

    fn on_sales(&self, db: &TestDb, sql: &str) {
        for host in ACCOUNT_HOSTS {
            central_exec(
                db,
                &format!(
                    "{} INSERT ON `{}`.`sales` {} '{}'@'{host}'",
                    sql,
                    self.db,
                    if sql == "GRANT" { "TO" } else { "FROM" },
                    self.name
                ),
            );
        }
    }
}

impl Drop for TillAccount {
    fn drop(&mut self) {
        for host in ACCOUNT_HOSTS {
            let sql = format!("DROP USER IF EXISTS '{}'@'{host}'", self.name);
            let _ = with_conn(server_url().to_string(), move |c| {
                Box::pin(c.query_drop(sql))
            });
        }
    }
}

#[test]
fn a_revoked_insert_privilege_parks_nothing_and_every_sale_arrives() {
    let _serial = serial();
    let baseline = baseline_growth();
    let db = migrated_db();
    let account = TillAccount::create(&db);
    let begin = || account.on_sales(&db, "REVOKE");
    let end = || account.on_sales(&db, "GRANT");
    let (dir, growth, during) = sell_through_fault(&account.url, Some((&begin, &end)));
    let during = during.unwrap();
    let error = during["sync_error"].as_str().unwrap_or_default();
    assert!(error.contains("1142"), "status.sync_error: {during:#}");
    assert_all_arrived(&db, dir.path(), growth, baseline);
}

/// A TCP proxy to MariaDB that, while refusing, answers every new connection with the error a
/// Galera node that is up but not ready gives (`1047 WSREP has not yet prepared node for
/// application use`, sent instead of the handshake as a server refusing a connection does)
/// after cutting the live ones.
struct RefusingProxy {
    port: u16,
    refusing: Arc<AtomicBool>,
    links: Links,
    refused: Arc<AtomicU64>,
}

/// A MySQL ERR packet as a server sends it before the handshake (no SQL state).
fn err_packet(code: u16, message: &str) -> Vec<u8> {
    let mut payload = vec![0xff];
    payload.extend_from_slice(&code.to_le_bytes());
    payload.extend_from_slice(message.as_bytes());
    let mut packet = (payload.len() as u32).to_le_bytes()[..3].to_vec();
    packet.push(0);
    packet.extend(payload);
    packet
}

impl RefusingProxy {
    fn start(target_port: u16) -> RefusingProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let proxy = RefusingProxy {
            port: listener.local_addr().unwrap().port(),
            refusing: Arc::default(),
            links: Arc::default(),
            refused: Arc::default(),
        };
        let (refusing, links, refused) = (
            proxy.refusing.clone(),
            proxy.links.clone(),
            proxy.refused.clone(),
        );
        std::thread::spawn(move || {
            let stats = Arc::new(ProxyStats::default());
            let calm = Arc::new(AtomicBool::new(false));
            let mut next_id = 0u64;
            for client in listener.incoming() {
                let Ok(mut client) = client else { continue };
                if refusing.load(Ordering::SeqCst) {
                    refused.fetch_add(1, Ordering::Relaxed);
                    let _ = client.write_all(&err_packet(
                        1047,
                        "WSREP has not yet prepared node for application use",
                    ));
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                }
                let Ok(server) = TcpStream::connect(("127.0.0.1", target_port)) else {
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                };
                next_id += 1;
                let id = next_id;
                let awaiting = Arc::new(AtomicBool::new(false));
                links.lock().unwrap().push(Link {
                    id,
                    client: client.try_clone().unwrap(),
                    server: server.try_clone().unwrap(),
                    awaiting: awaiting.clone(),
                });
                let ends = [
                    (
                        client.try_clone().unwrap(),
                        server.try_clone().unwrap(),
                        true,
                    ),
                    (server, client, false),
                ];
                for (from, to, upstream) in ends {
                    let (links, stats, calm, awaiting) =
                        (links.clone(), stats.clone(), calm.clone(), awaiting.clone());
                    std::thread::spawn(move || {
                        pump(from, to, None, upstream, &awaiting, &calm, &stats);
                        links.lock().unwrap().retain(|l| l.id != id);
                    });
                }
            }
        });
        proxy
    }

    fn refuse(&self, on: bool) {
        self.refusing.store(on, Ordering::SeqCst);
        if on {
            cut_all(&self.links, &ProxyStats::default());
        }
    }

    fn url(&self, url: &str) -> String {
        let mut u = url::Url::parse(url).unwrap();
        u.set_host(Some("127.0.0.1")).unwrap();
        u.set_port(Some(self.port)).unwrap();
        u.query_pairs_mut().append_pair("prefer_socket", "false");
        u.to_string()
    }
}

#[test]
fn a_server_answering_1047_node_not_ready_parks_nothing_and_every_sale_arrives() {
    let _serial = serial();
    let baseline = baseline_growth();
    let db = migrated_db();
    let proxy = RefusingProxy::start(url::Url::parse(&db.url).unwrap().port().unwrap_or(3306));
    let begin = || proxy.refuse(true);
    let end = || proxy.refuse(false);
    let (dir, growth, during) = sell_through_fault(&proxy.url(&db.url), Some((&begin, &end)));
    let during = during.unwrap();
    let error = during["sync_error"].as_str().unwrap_or_default();
    assert!(error.contains("1047"), "status.sync_error: {during:#}");
    assert!(proxy.refused.load(Ordering::Relaxed) > 0);
    assert_all_arrived(&db, dir.path(), growth, baseline);
}

#[test]
fn a_true_conflict_parks_that_row_only_and_retry_parked_puts_it_back() {
    let _serial = serial();
    let db = migrated_db();
    let dir = common::seeded_dir();
    let mut seen = Seen::default();
    let mut till = synced_till(dir.path(), &db.url, &mut seen);
    // Another sale already holds this till's ticket 2 centrally (say, a till reinstalled under
    // the same ID): a true conflict about that row.
    let other = "00000000-0000-7000-8000-0000000000ff";
    central_exec(
        &db,
        &format!(
            "INSERT INTO sales ({}, received_at) VALUES ('{other}', '{TILL_ID}', 2, '1', 'OTHER', 'main', 'cash', NULL, \
             100, 0, 100, NULL, 0, '2020-01-01T00:00:00.000Z', '2020-01-01', REPEAT('0', 64), REPEAT('f', 64), 0)",
            SALE_COLS.replace("{day}", "day")
        ),
    );
    sell(&mut till, &mut seen, 4);
    let ticket2 = seen
        .committed
        .iter()
        .find(|(_, t)| **t == 2)
        .map(|(id, _)| id.clone())
        .unwrap();
    // Parked: that sale only, still counted as waiting, alike in status and connectivity.
    let s = wait_agreement(&mut till, &mut seen, true, |pending, parked| {
        (pending, parked) == (1, 1)
    });
    let parked: Vec<(String, String)> = {
        let conn =
            rusqlite::Connection::open(dir.path().join(kaching::store::LEDGER_FILE)).unwrap();
        local_rows(
            &conn,
            "SELECT kind, entity_id FROM outbox WHERE parked_at IS NOT NULL",
            |r| (r.get(0).unwrap(), r.get(1).unwrap()),
        )
    };
    assert_eq!(parked, [("sale".to_owned(), ticket2.clone())], "{s:#}");
    // The rows behind it flowed.
    let tickets = db.strings(&format!(
        "SELECT CAST(ticket_no AS CHAR) FROM sales WHERE till_id = '{TILL_ID}' AND id <> '{other}' ORDER BY ticket_no"
    ));
    assert_eq!(tickets, ["1", "3", "4"]);
    // Parked once, audited once, and the audit row of the parking travelled and was not
    // parked in turn, round after round.
    let rounds = s["sync_rounds"].as_u64().unwrap();
    while till.status(&mut seen)["sync_rounds"].as_u64().unwrap() < rounds + 3 {
        std::thread::sleep(Duration::from_millis(200));
    }
    let parkings = "SELECT count(*) FROM audit WHERE action = 'outbox_parked'";
    assert_eq!(ledger_int(dir.path(), parkings), 1);
    assert_eq!(
        db.int(&format!(
            "SELECT COUNT(*) FROM audit WHERE till_id = '{TILL_ID}' AND action = 'outbox_parked'"
        )),
        1
    );
    assert_eq!(
        db.int(&format!(
            "SELECT parked FROM till_heartbeats WHERE till_id = '{TILL_ID}'"
        )),
        1
    );
    // `report reconcile` counts it as waiting and says it is parked.
    let day: String = {
        let conn =
            rusqlite::Connection::open(dir.path().join(kaching::store::LEDGER_FILE)).unwrap();
        conn.query_row("SELECT day FROM sales LIMIT 1", [], |r| r.get(0))
            .unwrap()
    };
    let mut reconcile = common::kaching(dir.path());
    reconcile
        .env("KACHING_CENTRAL__URL", &db.url)
        .env("KACHING_TILL__ID", TILL_ID)
        .args(["--lang", "en", "report", "reconcile", &day]);
    let o = common::run_cmd(reconcile, "");
    let out = common::stdout(&o);
    assert!(o.status.success(), "{out}{}", common::stderr(&o));
    assert!(
        out.contains(&format!(
            "1 of the 1 waiting outbox row(s) of {TILL_ID} are parked"
        )),
        "{out}"
    );

    // Mended centrally, put back by hand (the till running): it arrives.
    central_exec(&db, &format!("DELETE FROM sales WHERE id = '{other}'"));
    let o = common::run(
        dir.path(),
        &["--lang", "en", "sync", "retry-parked", "--by", "Ayman"],
        "",
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert!(
        common::stdout(&o).contains("1 parked outbox row put back"),
        "{}",
        common::stdout(&o)
    );
    wait_synced(&mut till, &mut seen, dir.path());
    wait_agreement(&mut till, &mut seen, true, |pending, parked| {
        (pending, parked) == (0, 0)
    });
    quit(till);
    let retried: String = {
        let conn =
            rusqlite::Connection::open(dir.path().join(kaching::store::LEDGER_FILE)).unwrap();
        conn.query_row(
            "SELECT detail FROM audit WHERE action = 'outbox_retried'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert!(
        retried.contains("1 parked") && retried.contains("Ayman"),
        "{retried}"
    );
    assert_eq!(ledger_int(dir.path(), parkings), 1);
    let (local, central) = (local_snapshot(dir.path()), central_snapshot(&db));
    assert_eq!(local.sales.len(), 4);
    first_difference("sales", &local.sales, &central.sales);
    first_difference("sale lines", &local.lines, &central.lines);
    first_difference("audit", &local.audit, &central.audit);
    let o = common::run(dir.path(), &["--lang", "en", "sync", "retry-parked"], "");
    assert!(
        common::stdout(&o).contains("no parked outbox row"),
        "{}",
        common::stdout(&o)
    );
}

#[test]
fn an_unusable_central_url_is_an_error_at_start_in_status_and_in_doctor() {
    let _serial = serial();
    let dir = common::seeded_dir();
    // An empty host in the list of hosts.
    let bad = "mysql://root@127.0.0.1:3306,,127.0.0.1:3307/kaching";
    let mut cmd = common::kaching(dir.path());
    cmd.env("KACHING_CENTRAL__URL", bad);
    // Right after `ready` (which start_with waited for): the error.
    let mut till = common::Till::start_with(cmd);
    let e = till.next().unwrap();
    assert_eq!(
        (&e["event"], &e["code"]),
        (&"error".into(), &"central_unusable".into()),
        "{e:#}"
    );
    assert!(
        e["message"].as_str().unwrap().contains("central.url"),
        "{e:#}"
    );
    let s = till.status();
    assert_eq!(s["central"], true, "{s:#}");
    assert!(
        s["central_error"]
            .as_str()
            .is_some_and(|m| m.contains("URL")),
        "{s:#}"
    );
    // The till still sells, alone: the sale waits in its ledger.
    till.send("login 1 1111");
    till.wait_for("logged_in");
    till.send("scan 1234");
    till.send("pay main cash");
    till.wait_for("sale_committed");
    let s = till.status();
    assert!(s["outbox_pending"].as_i64().unwrap() >= 1, "{s:#}");
    till.quit();

    let mut doctor = common::kaching(dir.path());
    doctor
        .env("KACHING_CENTRAL__URL", bad)
        .args(["--lang", "en", "doctor"]);
    let o = common::run_cmd(doctor, "");
    let out = common::stdout(&o);
    assert!(!o.status.success(), "doctor passed: {out}");
    let line = out
        .lines()
        .position(|l| l.contains("central db"))
        .unwrap_or_else(|| panic!("no central line: {out}"));
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[line].starts_with("✘ central db"), "{out}");
    assert!(
        lines[line + 1]
            .trim_start()
            .starts_with("fix: set central.url"),
        "{out}"
    );
}
