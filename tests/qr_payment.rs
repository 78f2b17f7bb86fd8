//! QR payment end to end: a headless till and a payment server on loopback; the test acts as
//! the customer's phone over HTTP (opens the page, presses « Valider le paiement »), the till
//! learns of it over server-sent events, `accept` commits the sale, and the sub-account comes
//! up for payment by itself.

mod common;

use std::process::{Child, Stdio};
use std::time::Duration;

use serde_json::Value;

/// A till whose own LAN payment server listens on a loopback port.
fn till_with_lan_server(dir: &std::path::Path) -> common::Till {
    let mut cmd = common::kaching(dir);
    cmd.env("KACHING_PAYMENT__LAN_BIND", "127.0.0.1:0");
    common::Till::start_with(cmd)
}

fn event<'a>(events: &'a [Value], name: &str) -> &'a Value {
    events
        .iter()
        .find(|e| e["event"] == name)
        .unwrap_or_else(|| panic!("no {name} in {events:#?}"))
}

#[test]
fn a_qr_payment_confirmed_on_the_phone_is_accepted_and_committed_and_the_sub_account_follows() {
    let dir = common::seeded_dir();
    let mut till = till_with_lan_server(dir.path());
    assert!(
        till.cmd("login 1 1111")
            .iter()
            .any(|e| e["event"] == "logged_in")
    );
    till.cmd("scan 1234");
    till.cmd("withdraw 15");
    till.cmd("account sub");
    till.cmd("scan 9012");
    till.cmd("scan 6051");

    let ev = till.cmd("pay main");
    let pending = event(&ev, "payment_pending").clone();
    assert_eq!(pending["account"], "main");
    assert_eq!(pending["amount_cents"], 1620);
    let pay_url = pending["pay_url"].as_str().unwrap().to_owned();
    assert!(
        pay_url.starts_with("http://127.0.0.1:") && pay_url.contains("/p/"),
        "{pay_url}"
    );
    // The token is not the intent id, and holds 256 random bits.
    let token = pay_url.rsplit('/').next().unwrap();
    assert_eq!(token.len(), 64);
    assert!(!pay_url.contains(pending["intent_id"].as_str().unwrap()));

    // Not paid yet: accept is refused, the basket being paid cannot change.
    till.expect_error("accept", "not_paid_yet");
    till.cmd("account main");
    till.expect_error("scan 1234", "payment_in_progress");
    till.expect_error("logout", "payment_in_progress");

    // The customer's page shows the lines and the total, in French.
    let (status, page) = common::get(&pay_url);
    assert_eq!(status, 200);
    assert!(
        page.contains("Pain au chocolat")
            && page.contains("RETRAIT ESPÈCES")
            && page.contains("16,20 €"),
        "{page}"
    );

    let form = common::phone_form(&pay_url);
    let (status, _) = common::press(&pay_url, &form);
    assert_eq!(
        status, 303,
        "a confirmation redirects to the page, now paid"
    );
    let accepted = till.wait_for("payment_accepted");
    assert_eq!(accepted["intent_id"], pending["intent_id"]);
    let (_, page) = common::get(&pay_url);
    assert!(page.contains("Payé"), "{page}");

    // Accept: the sale is committed, and the sub-account comes up for payment by itself.
    let ev = till.cmd("accept");
    let sale = event(&ev, "sale_committed");
    assert_eq!(
        (
            sale["ticket_no"].as_i64(),
            sale["method"].as_str(),
            sale["paid_cents"].as_i64()
        ),
        (Some(1), Some("qr"), Some(1620))
    );
    let second = event(&ev, "payment_pending").clone();
    assert_eq!(second["account"], "sub");
    assert_eq!(second["amount_cents"], 500);
    assert_ne!(second["intent_id"], pending["intent_id"]);

    let second_url = second["pay_url"].as_str().unwrap();
    assert_eq!(common::phone_confirms(second_url).0, 303);
    till.wait_for("payment_accepted");
    let ev = till.cmd("accept");
    let sale = event(&ev, "sale_committed");
    assert_eq!(
        (
            sale["ticket_no"].as_i64(),
            sale["account"].as_str(),
            sale["paid_cents"].as_i64()
        ),
        (Some(2), Some("sub"), Some(500))
    );
    assert!(
        ev.iter().all(|e| e["event"] != "payment_pending"),
        "nothing left to pay: {ev:#?}"
    );

    // Two tickets printed; a replayed confirmation changes nothing.
    while till.seen.iter().filter(|e| e["event"] == "printed").count() < 2 {
        till.next().expect("till running");
    }
    let (status, page) = common::press(&pay_url, &form);
    assert_eq!(status, 409, "{page}");
    assert!(page.contains("déjà été validé"), "{page}");
    till.quit();
    let report = common::run(dir.path(), &["verify"], "");
    assert!(report.status.success());
    let conn = rusqlite::Connection::open(dir.path().join(kaching::store::LEDGER_FILE)).unwrap();
    let refs: Vec<String> = conn
        .prepare("SELECT payment_ref FROM sales ORDER BY ticket_no")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert!(
        refs.iter().all(|r| r.starts_with("lan:")),
        "LAN payments are marked for reconciliation: {refs:?}"
    );
}

#[test]
fn cancel_cancels_the_intent_on_the_server_and_frees_the_basket() {
    let dir = common::seeded_dir();
    let mut till = till_with_lan_server(dir.path());
    till.cmd("login 1 1111");
    till.cmd("scan 1234");
    let pending = event(&till.cmd("pay main"), "payment_pending").clone();
    let url = pending["pay_url"].as_str().unwrap().to_owned();
    let form = common::phone_form(&url);
    let ev = till.cmd("cancel");
    assert_eq!(
        event(&ev, "payment_cancelled")["intent_id"],
        pending["intent_id"]
    );
    let (status, page) = common::press(&url, &form);
    assert_eq!(status, 409, "{page}");
    assert!(page.contains("annulé"), "{page}");
    // The basket is free again and can be paid in cash.
    till.cmd("scan 1234");
    let ev = till.cmd("pay main cash");
    assert_eq!(event(&ev, "sale_committed")["paid_cents"], 240);
    till.quit();
}

/// A hosted `kaching pay-server` on a loopback port.
struct PayServer {
    child: Child,
    url: String,
}

impl Drop for PayServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[allow(clippy::zombie_processes)] // PayServer's Drop kills and waits for it.
fn pay_server(dir: &std::path::Path) -> PayServer {
    let port = common::free_port();
    let child = common::kaching(dir)
        .args(["pay-server"])
        .env("KACHING_PAY_SERVER__BIND", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return PayServer { child, url };
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(PayServer { child, url });
    panic!("pay-server did not start");
}

#[test]
fn a_hosted_pay_server_takes_the_payment_and_an_unreachable_one_falls_back_to_the_lan() {
    let server_dir = tempfile::tempdir().unwrap();
    let add = common::run(
        server_dir.path(),
        &["pay-server", "till", "add", "till-1"],
        "",
    );
    assert!(add.status.success(), "{}", common::stderr(&add));
    let secret = common::stdout(&add).trim().to_owned();
    assert_eq!(secret.len(), 64);
    let server = pay_server(server_dir.path());
    assert_eq!(common::get(&format!("{}/healthz", server.url)).0, 200);

    let dir = common::seeded_dir();
    let mut cmd = common::kaching(dir.path());
    cmd.env("KACHING_PAYMENT__SERVER_URL", &server.url)
        .env("KACHING_PAYMENT__TILL_SECRET", &secret)
        .env("KACHING_PAYMENT__LAN_BIND", "127.0.0.1:0");
    let mut till = common::Till::start_with(cmd);
    till.cmd("login 1 1111");
    till.cmd("scan 1234");
    let pending = event(&till.cmd("pay main"), "payment_pending").clone();
    let url = pending["pay_url"].as_str().unwrap().to_owned();
    assert!(url.starts_with(&server.url), "hosted first: {url}");
    assert_eq!(common::phone_confirms(&url).0, 303);
    till.wait_for("payment_accepted");
    assert_eq!(event(&till.cmd("accept"), "sale_committed")["method"], "qr");

    // The hosted server goes away: the next payment is served by the till on the LAN.
    drop(server);
    till.cmd("scan 9012");
    let pending = event(&till.cmd("pay main"), "payment_pending").clone();
    let url = pending["pay_url"].as_str().unwrap().to_owned();
    assert!(
        url.starts_with("http://127.0.0.1:") && !url.contains(&secret),
        "{url}"
    );
    assert_eq!(common::phone_confirms(&url).0, 303);
    till.wait_for("payment_accepted");
    assert_eq!(event(&till.cmd("accept"), "sale_committed")["ticket_no"], 2);
    till.quit();
}

#[test]
fn a_hosted_server_that_never_answers_gives_way_to_the_lan_within_the_deadline() {
    // Accepts connections and never answers (a hung proxy, a half-open link).
    let hole = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let hole_url = format!("http://{}", hole.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in hole.incoming().flatten() {
            held.push(s);
        }
    });
    let dir = common::seeded_dir();
    let mut cmd = common::kaching(dir.path());
    cmd.env("KACHING_PAYMENT__SERVER_URL", &hole_url)
        .env("KACHING_PAYMENT__TILL_SECRET", "a".repeat(64))
        .env("KACHING_PAYMENT__LAN_BIND", "127.0.0.1:0");
    let mut till = common::Till::start_with(cmd);
    till.cmd("login 1 1111");
    till.cmd("scan 1234");
    let started = std::time::Instant::now();
    let pending = event(&till.cmd("pay main"), "payment_pending").clone();
    let waited = started.elapsed();
    let url = pending["pay_url"].as_str().unwrap().to_owned();
    assert!(
        url.starts_with("http://127.0.0.1:") && !url.starts_with(&hole_url),
        "served by the till's own LAN server: {url}"
    );
    let deadline = kaching::actors::payment::CREATE_DEADLINE;
    assert!(
        waited >= deadline - std::time::Duration::from_secs(1)
            && waited < deadline + std::time::Duration::from_secs(6),
        "the hung server was given {deadline:?}, then the LAN took over: waited {waited:?}"
    );
    assert_eq!(common::phone_confirms(&url).0, 303);
    till.wait_for("payment_accepted");
    assert_eq!(event(&till.cmd("accept"), "sale_committed")["method"], "qr");
    till.quit();
}
