//! A QR sale given back by its original tender, through the hosted payment server and the
//! Payconiq simulator (it speaks the merchant API and signs its callbacks with its own key):
//! a refund the provider makes at once; one that stays pending while the till is killed and is
//! followed to its end after the restart; one asked while the payment server is down — nothing
//! is recorded, the same units cannot be given back twice meanwhile, and once the server is back
//! and says it never got the request, the units are returnable again. Every credit note's id is
//! the provider's idempotency key.

mod common;

use common::{find_event as find, int};

use std::time::{Duration, Instant};

use common::pay_server::PayServer;
use common::payconiq_sim::PayconiqSim;
use serde_json::Value;

const KEY: &str = "sim-api-key-0123456789";
const PROFILE: &str = "5fe0a1b2c3d4e5f6a7b8c9d0";

fn pay_server(sim: &PayconiqSim) -> PayServer {
    common::pay_server::payconiq(sim, KEY, PROFILE)
}

/// A headless till paying through `server`, the manager logged in.
fn till(server: &PayServer, dir: &std::path::Path) -> common::Till {
    let mut cmd = common::kaching(dir);
    cmd.env("KACHING_PAYMENT__SERVER_URL", &server.url)
        .env("KACHING_PAYMENT__TILL_SECRET", &server.secret)
        .env("KACHING_TILL__ID", "till-1");
    let mut till = common::Till::start_with(cmd);
    assert!(
        till.cmd("login 1 1111")
            .iter()
            .any(|e| e["event"] == "logged_in")
    );
    till
}

/// Credit notes in the ledger: (ticket, method, paid).
fn credit_notes(dir: &std::path::Path) -> Vec<(i64, String, i64)> {
    let conn = rusqlite::Connection::open(dir.join(kaching::store::LEDGER_FILE)).unwrap();
    conn.prepare(
        "SELECT ticket_no, method, paid_cents FROM sales WHERE kind = 'refund' ORDER BY ticket_no",
    )
    .unwrap()
    .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// Sells `codes` by QR and has the customer pay in the app: the `sale_committed` event.
fn qr_sale(till: &mut common::Till, sim: &PayconiqSim, codes: &[&str]) -> Value {
    for code in codes {
        till.cmd(&format!("scan {code}"));
    }
    let (_, pending) = till.cmd_awaiting("pay main", "payment_pending");
    let intent = pending["intent_id"].as_str().unwrap().to_owned();
    let reference: String = intent.chars().take(35).collect();
    let payment = sim
        .payments()
        .into_iter()
        .find(|p| p.2 == reference)
        .expect("the payment at Payconiq")
        .0;
    assert_eq!(sim.pay(&payment), Some(200));
    till.wait_for("payment_accepted");
    till.cmd_awaiting("accept", "sale_committed").1
}

fn returnable(till: &mut common::Till, line: usize) -> i64 {
    let rb = find(&till.cmd("refund 1"), "refund_basket");
    int(&rb["lines"][line - 1], "returnable")
}

#[test]
fn a_qr_sale_is_refunded_through_payconiq_followed_across_a_kill_and_never_twice() {
    let sim = PayconiqSim::start(KEY, PROFILE);
    let mut server = pay_server(&sim);
    let dir = common::seeded_dir();
    let mut till = till(&server, dir.path());
    // Déodorant 4,00 € + 2 × Pain au chocolat 1,20 € = 6,40 €, paid in the app.
    let sale = qr_sale(&mut till, &sim, &["4821", "1234", "1234"]);
    let payment = sale["provider_ref"].as_str().unwrap().to_owned();
    assert_eq!(
        (sale["method"].as_str(), int(&sale, "paid_cents")),
        (Some("qr"), 640)
    );

    // 1. The deodorant, back by the original tender: Payconiq refunds at once.
    till.cmd("refund 1");
    till.cmd("refund_qty 1 1");
    let done = find(
        &till.cmd("refund_commit original ne convient pas"),
        "refund_committed",
    );
    assert_eq!(
        (
            int(&done, "refunded_cents"),
            int(&done, "rounding_cents"),
            done["method"].as_str(),
            done["provider_status"].as_str()
        ),
        (400, 0, Some("qr"), Some("succeeded"))
    );
    let first = done["sale_id"].as_str().unwrap().to_owned();
    assert_eq!(
        sim.refunds(),
        [(payment.clone(), first.clone(), 400, "SUCCEEDED".to_owned())],
        "one refund at the provider, under the credit note's id"
    );

    // 2. A pain au chocolat while Payconiq keeps the refund pending; the till is killed.
    sim.set_refunds("pending");
    till.cmd("refund 1");
    till.cmd("refund_qty 2 1");
    let on_its_way = find(
        &till.cmd("refund_commit original rassis"),
        "refund_committed",
    );
    assert_eq!(int(&on_its_way, "refunded_cents"), 120);
    assert_eq!(on_its_way["provider_status"], "pending");
    let second = on_its_way["sale_id"].as_str().unwrap().to_owned();
    till.child.kill().unwrap();
    let _ = till.child.wait();
    drop(till);
    sim.settle_refunds("SUCCEEDED");
    let mut till = self::till(&server, dir.path());
    // Followed from the start (it may come before the login's answer).
    let progress = match till.seen.iter().find(|e| e["event"] == "refund_progress") {
        Some(p) => p.clone(),
        None => till.wait_for("refund_progress"),
    };
    assert_eq!(
        (
            progress["sale_id"].as_str(),
            progress["status"].as_str(),
            int(&progress, "ticket_no")
        ),
        (Some(second.as_str()), Some("succeeded"), 3)
    );

    // 3. The payment server is down: nothing is recorded, and the last pain au chocolat cannot
    // be given back twice while nobody knows whether the server got the request.
    server.stop();
    till.cmd("refund 1");
    till.cmd("refund_qty 2 1");
    let started = Instant::now();
    till.expect_error("refund_commit original rassis aussi", "refund_unconfirmed");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(credit_notes(dir.path()).len(), 2);
    // That return is over: committing it again would be a second refund.
    till.expect_error("refund_commit cash rassis aussi", "no_refund");
    assert_eq!(
        returnable(&mut till, 2),
        0,
        "held while the request is unanswered"
    );
    till.expect_error("refund_qty 2 1", "over_return");
    till.cmd("refund_cancel");
    // The server comes back and never got it: the request is dropped, the unit returnable.
    server.start_again();
    let deadline = Instant::now() + Duration::from_secs(20);
    while returnable(&mut till, 2) != 1 {
        assert!(
            Instant::now() < deadline,
            "the unanswered request was never settled"
        );
        std::thread::sleep(Duration::from_millis(300));
    }
    till.cmd("refund_cancel");
    till.quit();

    assert_eq!(
        credit_notes(dir.path()),
        [(2, "qr".to_owned(), -400), (3, "qr".to_owned(), -120)]
    );
    let at_provider: i64 = sim.refunds().iter().map(|r| r.2).sum();
    assert_eq!(at_provider, 520, "{:?}", sim.refunds());
    assert!(sim.refunds().iter().all(|r| r.3 == "SUCCEEDED"));
    let ok = common::run(dir.path(), &["verify"], "");
    assert!(ok.status.success(), "{}", common::stdout(&ok));
}

#[test]
fn a_refund_the_provider_fails_after_accepting_it_raises_the_alarm() {
    let sim = PayconiqSim::start(KEY, PROFILE);
    let server = pay_server(&sim);
    let dir = common::seeded_dir();
    let mut till = till(&server, dir.path());
    let sale = qr_sale(&mut till, &sim, &["0000"]);
    assert_eq!(int(&sale, "paid_cents"), 250);
    sim.set_refunds("pending");
    till.cmd("refund 1");
    till.cmd("refund_qty 1 1");
    let note = find(
        &till.cmd("refund_commit original froid"),
        "refund_committed",
    );
    assert_eq!(note["provider_status"], "pending");
    sim.settle_refunds("FAILED");
    let alarm = till.wait_for("refund_progress");
    assert_eq!(
        (
            alarm["sale_id"].as_str(),
            alarm["status"].as_str(),
            int(&alarm, "ticket_no")
        ),
        (note["sale_id"].as_str(), Some("failed"), 2)
    );
    till.quit();
    let conn = rusqlite::Connection::open(dir.path().join(kaching::store::LEDGER_FILE)).unwrap();
    let audited: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'provider_refund_failed'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 1);
}
