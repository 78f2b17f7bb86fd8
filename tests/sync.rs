//! Sync with a real MariaDB: two tills push their sales into one central database and the
//! central day report adds both up; staff pulled once keep working offline, and a person
//! disabled centrally is refused after the next sync.

mod common;

use common::wait_synced;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::mysql::TestDb;
use serde_json::Value;

/// `kaching` against the central database `url`.
fn central_cmd(dir: &Path, url: &str) -> std::process::Command {
    let mut c = common::kaching(dir);
    c.env("KACHING_CENTRAL__URL", url);
    c
}

fn run_central(dir: &Path, url: &str, args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = central_cmd(dir, url)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(
        o.status.success(),
        "kaching {args:?}: {}",
        common::stderr(&o)
    );
    o
}

fn sell(till: &mut common::Till, codes: &[&str]) -> Value {
    for c in codes {
        till.cmd(&format!("scan {c}"));
    }
    let ev = till.cmd("pay main cash");
    ev.into_iter()
        .find(|e| e["event"] == "sale_committed")
        .expect("sale committed")
}

#[test]
fn two_tills_sync_into_one_central_database_and_its_day_report_adds_both_up() {
    let db = TestDb::create();
    let seed = common::seeded_dir();
    run_central(seed.path(), &db.url, &["migrate", "--central"], "");

    let mut tills = Vec::new();
    for id in ["till-1", "till-2"] {
        let dir = common::seeded_dir();
        let mut cmd = central_cmd(dir.path(), &db.url);
        cmd.env("KACHING_TILL__ID", id);
        let mut till = common::Till::start_with(cmd);
        assert!(
            till.cmd("login 1 1111")
                .iter()
                .any(|e| e["event"] == "logged_in")
        );
        tills.push((dir, till));
    }
    // Both sell at the same time.
    for round in 0..5 {
        for (_, till) in tills.iter_mut() {
            let sale = sell(till, &["1234", "0000"]);
            assert_eq!(sale["ticket_no"], round + 1);
        }
    }
    for (_, till) in tills.iter_mut() {
        wait_synced(till);
    }
    assert_eq!(db.int("SELECT COUNT(*) FROM sales"), 10);
    assert_eq!(db.int("SELECT COUNT(*) FROM sale_lines"), 20);
    assert_eq!(db.int("SELECT COUNT(DISTINCT till_id) FROM sales"), 2);
    assert_eq!(
        db.int("SELECT CAST(SUM(revenue_cents) AS SIGNED) FROM sales"),
        10 * 370
    );
    assert!(db.int("SELECT COUNT(*) FROM audit WHERE action = 'login'") >= 2);
    assert_eq!(
        db.int("SELECT COUNT(*) FROM till_heartbeats WHERE pending = 0"),
        2
    );

    let day = db
        .strings("SELECT CAST(MAX(day) AS CHAR) FROM sales")
        .remove(0);
    let out = run_central(
        seed.path(),
        &db.url,
        &[
            "report", "day", &day, "--format", "json", "--source", "central",
        ],
        "",
    );
    let report: Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    assert_eq!(report["revenue_cents"], 3700);
    assert_eq!(report["tickets"], 10);
    assert_eq!(report["lines"].as_array().unwrap().len(), 20);
    let days = run_central(
        seed.path(),
        &db.url,
        &["report", "days", "--format", "json", "--source", "central"],
        "",
    );
    let days: Value = serde_json::from_str(&common::stdout(&days)).unwrap();
    assert_eq!(days[0]["tickets"], 10);

    // Reconcile from till-1's point of view: its own and till-2's figures.
    let (dir1, _) = &tills[0];
    let rec = run_central(dir1.path(), &db.url, &["report", "reconcile", &day], "");
    let text = common::stdout(&rec);
    assert!(text.contains("till-1") && text.contains("till-2"), "{text}");
    assert!(text.starts_with("RAPPROCHEMENT DU "), "{text}");
    // The same table in Dutch, the language asked for.
    let rec = run_central(
        dir1.path(),
        &db.url,
        &["--lang", "nl", "report", "reconcile", &day],
        "",
    );
    let nl = common::stdout(&rec);
    assert!(
        nl.starts_with("AFSTEMMING VAN ") && nl.contains("— kassa till-1"),
        "{nl}"
    );
    assert!(nl.contains("KASSA ") && nl.contains("ONTVANGSTEN"), "{nl}");
    assert!(
        nl.contains("BETALINGEN: bij elke betaling hoort een verkoop"),
        "{nl}"
    );

    // Re-sending everything (a crash between COMMIT and marking sent) doubles nothing.
    for (dir, till) in tills.iter_mut() {
        till.send("quit");
        let conn =
            rusqlite::Connection::open(dir.path().join(kaching::store::LEDGER_FILE)).unwrap();
        conn.execute("UPDATE outbox SET sent_at = NULL", [])
            .unwrap();
    }
    for (dir, _) in &tills {
        let id = if dir.path() == tills[0].0.path() {
            "till-1"
        } else {
            "till-2"
        };
        let mut cmd = central_cmd(dir.path(), &db.url);
        cmd.env("KACHING_TILL__ID", id);
        let mut till = common::Till::start_with(cmd);
        wait_synced(&mut till);
        till.quit();
    }
    assert_eq!(db.int("SELECT COUNT(*) FROM sales"), 10);
    assert_eq!(db.int("SELECT COUNT(*) FROM sale_lines"), 20);
}

/// A TCP proxy between the till and MariaDB that the test can cut and restore.
struct Proxy {
    port: u16,
    up: Arc<AtomicBool>,
    conns: Arc<Mutex<Vec<TcpStream>>>,
}

impl Proxy {
    fn start(target_port: u16) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
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
                if let (Ok(a), Ok(b)) = (client.try_clone(), server.try_clone()) {
                    c.lock().unwrap().extend([a, b]);
                }
                for (mut from, mut to) in [
                    (client.try_clone().unwrap(), server.try_clone().unwrap()),
                    (server, client),
                ] {
                    std::thread::spawn(move || {
                        let mut buf = [0u8; 16 * 1024];
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
        for c in self.conns.lock().unwrap().drain(..) {
            let _ = c.shutdown(Shutdown::Both);
        }
    }

    fn restore(&self) {
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
}

#[test]
fn login_works_offline_with_the_last_staff_pulled_and_a_central_disable_reaches_the_till() {
    let db = TestDb::create();
    let admin_dir = tempfile::tempdir().unwrap();
    run_central(admin_dir.path(), &db.url, &["migrate", "--central"], "");
    run_central(
        admin_dir.path(),
        &db.url,
        &["staff", "add", "31", "MARIE", "--role", "admin"],
        "4242\n",
    );
    assert_eq!(db.int("SELECT COUNT(*) FROM staff"), 1);

    let port = url::Url::parse(&db.url).unwrap().port().unwrap_or(3306);
    let proxy = Proxy::start(port);
    let till_dir = tempfile::tempdir().unwrap();
    let mut cmd = central_cmd(till_dir.path(), &proxy.url(&db.url));
    cmd.env(
        "KACHING_LOG",
        std::env::var("SYNC_TEST_LOG").unwrap_or_else(|_| "error".into()),
    );
    let mut till = common::Till::start_with(cmd);
    wait_synced(&mut till);
    // Pulled once: MARIE can log in.
    assert!(
        till.cmd("login 31 4242")
            .iter()
            .any(|e| e["event"] == "logged_in")
    );
    till.cmd("logout");

    // The link is cut: login still works against the last staff table; sales queue up.
    proxy.cut();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let ev = till.next().expect("till running");
        if ev["event"] == "connectivity" && ev["online"] == false {
            break;
        }
        assert!(Instant::now() < deadline, "never offline: {:#?}", till.seen);
    }
    assert!(
        till.cmd("login 31 4242")
            .iter()
            .any(|e| e["event"] == "logged_in")
    );
    till.cmd("logout");

    // Disabled centrally while the till is offline…
    run_central(admin_dir.path(), &db.url, &["staff", "disable", "31"], "");
    let ev = till.cmd("login 31 4242");
    assert!(
        ev.iter().any(|e| e["event"] == "logged_in"),
        "offline, the till cannot know yet: {ev:?}"
    );
    till.cmd("logout");
    // …and refused once the link is back and the till synced.
    proxy.restore();
    wait_synced(&mut till);
    assert_eq!(
        db.int("SELECT COUNT(*) FROM audit WHERE action = 'login' AND staff_id = '31'"),
        3,
        "offline logins pushed"
    );
    let ev = till.cmd("login 31 4242");
    let refused = ev
        .iter()
        .find(|e| e["event"] == "login_refused")
        .unwrap_or_else(|| panic!("{ev:?}"));
    assert_eq!(refused["reason"], "disabled");
    till.quit();
    // The logins made offline reached the central audit log.
    assert!(db.int("SELECT COUNT(*) FROM audit WHERE action = 'login' AND staff_id = '31'") >= 3);
}

/// A QR payment taken by the till's own LAN server reaches the central database with its
/// intent; `report reconcile` says every payment has its sale, and lists a payment the phone
/// made that no sale records yet (the cashier has not pressed accept).
#[test]
fn qr_intents_reach_the_central_database_and_reconcile_lists_a_payment_without_its_sale() {
    let db = TestDb::create();
    let dir = common::seeded_dir();
    run_central(dir.path(), &db.url, &["migrate", "--central"], "");
    let mut cmd = central_cmd(dir.path(), &db.url);
    cmd.env("KACHING_PAYMENT__LAN_BIND", "127.0.0.1:0");
    let mut till = common::Till::start_with(cmd);
    till.cmd("login 1 1111");

    // One QR sale, accepted.
    till.cmd("scan 1234");
    let ev = till.cmd("pay main");
    let first = ev
        .iter()
        .find(|e| e["event"] == "payment_pending")
        .expect("pending")
        .clone();
    let url = first["pay_url"].as_str().unwrap().to_owned();
    assert_eq!(common::phone_confirms(&url).0, 303);
    till.wait_for("payment_accepted");
    let (_, committed) = till.cmd_awaiting("accept", "sale_committed");
    assert_eq!(committed["method"], "qr");
    wait_synced(&mut till);
    let id1 = first["intent_id"].as_str().unwrap().to_owned();
    assert_eq!(
        db.strings(&format!(
            "SELECT CONCAT(state, ' ', server, ' ', sale_id) FROM till_intents WHERE id = '{id1}'"
        )),
        [format!(
            "recorded lan {}",
            committed["sale_id"].as_str().unwrap()
        )]
    );
    let day = db
        .strings("SELECT CAST(MAX(day) AS CHAR) FROM sales")
        .remove(0);
    let text = common::stdout(&run_central(
        dir.path(),
        &db.url,
        &["--lang", "en", "report", "reconcile", &day],
        "",
    ));
    assert!(text.contains("every payment has its sale"), "{text}");

    // A second one, paid on the phone, not accepted: listed, with its amount.
    till.cmd("scan 9012");
    let ev = till.cmd("pay main");
    let second = ev
        .iter()
        .find(|e| e["event"] == "payment_pending")
        .expect("pending")
        .clone();
    let url = second["pay_url"].as_str().unwrap().to_owned();
    assert_eq!(common::phone_confirms(&url).0, 303);
    till.wait_for("payment_accepted");
    wait_synced(&mut till);
    let id2 = second["intent_id"].as_str().unwrap().to_owned();
    assert_eq!(
        db.strings(&format!(
            "SELECT state FROM till_intents WHERE id = '{id2}'"
        )),
        ["paid"]
    );
    till.send("quit");
    drop(till);
    let text = common::stdout(&run_central(
        dir.path(),
        &db.url,
        &["--lang", "en", "report", "reconcile", &day],
        "",
    ));
    assert!(text.contains("PAYMENTS TO CHECK (1)"), "{text}");
    let line = text
        .lines()
        .find(|l| l.contains(&id2))
        .unwrap_or_else(|| panic!("{id2} not listed: {text}"));
    assert!(line.contains("no sale"), "{line}");
    assert!(!text.contains(&id1), "{text}");
}

#[test]
fn z_reports_reach_the_central_database_and_agree_with_its_sales_and_rounding() {
    let db = TestDb::create();
    let dir = common::seeded_dir_with_cent_prices();
    run_central(dir.path(), &db.url, &["migrate", "--central"], "");
    let mut till = common::Till::start_with(central_cmd(dir.path(), &db.url));
    assert!(
        till.cmd("login 1 1111")
            .iter()
            .any(|e| e["event"] == "logged_in")
    );
    till.cmd("drawer open 50");
    for code in ["901", "903", "907", "1234"] {
        sell(&mut till, &[code]);
    }
    till.cmd("drawer out 20 banque");
    let ev = till.cmd("drawer close 34.50");
    let z = ev
        .iter()
        .find(|e| e["event"] == "drawer_report")
        .map(|e| e["report"].clone())
        .unwrap_or_else(|| panic!("{ev:#?}"));
    // Killed before the sync could run: the Z waits in the ledger and goes at the next start.
    drop(till);
    let mut till = common::Till::start_with(central_cmd(dir.path(), &db.url));
    wait_synced(&mut till);
    till.quit();

    let central: Value = serde_json::from_str(
        &db.strings("SELECT report FROM z_reports WHERE till_id = 'till-1' AND z_no = 1")[0],
    )
    .unwrap();
    assert_eq!(central, z, "the central Z is the till's");
    // `kaching report z --source central` reads it back, seal checked, for any till.
    let o = run_central(
        dir.path(),
        &db.url,
        &[
            "report", "z", "1", "--source", "central", "--till", "till-1", "--format", "json",
        ],
        "",
    );
    let read: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(read, z);
    let o = central_cmd(dir.path(), &db.url)
        .args(["report", "z", "--source", "central", "--till", "till-9"])
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(
        common::stderr(&o).contains("till-9"),
        "{}",
        common::stderr(&o)
    );
    assert_eq!(db.int("SELECT COUNT(*) FROM z_reports"), 1);
    // The central sales of the session add up to the Z's tenders and rounding.
    assert_eq!(
        db.int("SELECT CAST(SUM(paid_cents) AS SIGNED) FROM sales WHERE till_id = 'till-1' AND method = 'cash'"),
        z["cash_cents"].as_i64().unwrap()
    );
    assert_eq!(
        db.int("SELECT CAST(SUM(rounding_cents) AS SIGNED) FROM sales WHERE till_id = 'till-1'"),
        z["rounding_cents"].as_i64().unwrap()
    );
    assert_eq!(
        db.int("SELECT CAST(SUM(revenue_cents) AS SIGNED) FROM sales WHERE till_id = 'till-1'"),
        z["revenue_cents"].as_i64().unwrap()
    );
    // 1,01 → 1,00; 1,03 → 1,05; 1,07 → 1,05; 1,20 stays: −1 + 2 − 2 = −1.
    assert_eq!(z["rounding_cents"], -1);
    assert_eq!(z["expected_cents"], 5000 + 100 + 105 + 105 + 120 - 2000);
    // The journal des recettes of the day (central) counts the same revenue as the Z.
    let day = db.strings("SELECT CAST(MIN(day) AS CHAR) FROM sales")[0].clone();
    let o = run_central(
        dir.path(),
        &db.url,
        &[
            "report", "journal", &day, &day, "--source", "central", "--format", "json",
        ],
        "",
    );
    let j: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        j.to_string()
            .contains(&format!("\"revenue_cents\":{}", z["revenue_cents"])),
        "{j}"
    );
}
