//! Returns, discounts and a manager's approval through the headless driver, on real SQLite
//! files: a three-line cash sale refunded in part by ticket number under a manager's PIN, more
//! than what is left refused (nothing changed), a withdrawal and a credit note never returned,
//! bad input on every new command answered with a clear error and nothing changed, the till
//! killed right after a credit note (it survives, numbered without a gap), `kaching verify`
//! passing with refunds in the chain and catching a refund edited in the file; discounts (line
//! %, line amount, basket %, price override) with VAT per rate checked against a hand-computed
//! table, the cap enforced without approval.

mod common;

use common::{find_event as find, int};

use serde_json::Value;

fn has(events: &[Value], name: &str) -> bool {
    events.iter().any(|e| e["event"] == name)
}

/// A till open all day (cashiers log in whenever the test runs).
fn start(dir: &std::path::Path) -> common::Till {
    common::Till::start_with(open_all_day(common::kaching(dir)))
}

fn open_all_day(mut cmd: std::process::Command) -> std::process::Command {
    cmd.env("KACHING_HOURS__OPEN", "00:00")
        .env("KACHING_HOURS__CLOSE", "24:00");
    cmd
}

fn login(till: &mut common::Till, id: &str, pin: &str) {
    let ev = till.cmd(&format!("login {id} {pin}"));
    assert!(has(&ev, "logged_in"), "{ev:#?}");
}

/// Sales and credit notes in the ledger file: (ticket, kind, revenue, paid, rounding).
fn ledger_sales(dir: &std::path::Path) -> Vec<(i64, String, i64, i64, i64)> {
    let conn = rusqlite::Connection::open(dir.join(kaching::store::LEDGER_FILE)).unwrap();
    let mut stmt = conn
        .prepare("SELECT ticket_no, kind, revenue_cents, paid_cents, rounding_cents FROM sales ORDER BY ticket_no")
        .unwrap();
    stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// The refund basket's lines as (line, sold, returned, returnable, picked).
fn refund_lines(rb: &Value) -> Vec<(i64, i64, i64, i64, i64)> {
    rb["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                int(l, "line"),
                int(l, "sold"),
                int(l, "returned"),
                int(l, "returnable"),
                int(l, "picked"),
            )
        })
        .collect()
}

#[test]
fn a_partial_return_by_ticket_number_needs_a_manager_never_returns_more_than_is_left_and_survives_a_kill()
 {
    let dir = common::seeded_dir();
    let mut till = start(dir.path());
    login(&mut till, "14", "1414"); // Khadija, a cashier
    assert!(has(&till.cmd("drawer open 50"), "drawer_opened"));
    // Three lines: a deodorant (4,00 €, 21 %), three pains au chocolat (1,20 €, 6 %), a coffee
    // (2,50 €, 6 %): 10,10 € in cash.
    for code in ["4821", "1234", "1234", "1234", "0000"] {
        till.cmd(&format!("scan {code}"));
    }
    let sale = find(&till.cmd("pay main cash 20"), "sale_committed");
    assert_eq!(
        (int(&sale, "ticket_no"), int(&sale, "paid_cents")),
        (1, 1010)
    );

    // The ticket's QR code (its sale id) scanned at the till starts its return...
    let scanned = find(
        &till.cmd(&format!("scan {}", sale["sale_id"].as_str().unwrap())),
        "refund_basket",
    );
    assert_eq!(
        (int(&scanned, "ticket_no"), &scanned["original_sale_id"]),
        (1, &sale["sale_id"])
    );
    till.expect_error(
        "scan 01a25014-0000-7000-8000-000000000000",
        "unknown_ticket",
    );
    // ...and so does its number: every line with what can still be returned.
    let rb = find(&till.cmd("refund 1"), "refund_basket");
    assert_eq!(rb["original_sale_id"], sale["sale_id"]);
    assert_eq!(rb["method"], "cash");
    assert_eq!(
        refund_lines(&rb),
        [(1, 1, 0, 1, 0), (2, 3, 0, 3, 0), (3, 1, 0, 1, 0)]
    );
    let rb = find(&till.cmd("refund_qty 2 2"), "refund_basket");
    assert_eq!(int(&rb, "refund_cents"), 240);

    // A cashier's refund waits for a manager: nothing is recorded before.
    let asked = find(
        &till.cmd("refund_commit cash croissants rassis"),
        "approval_needed",
    );
    assert_eq!(asked["action"], "refund");
    assert_eq!(ledger_sales(dir.path()).len(), 1);
    // A cashier's PIN, a wrong PIN, an unknown ID: refused, the refund still waits.
    till.expect_error("approve 14 1414", "not_a_manager");
    let bad = till.expect_error("approve 1 9999", "bad_pin");
    assert!(!bad["message"].as_str().unwrap().is_empty());
    till.expect_error("approve 77 1234", "unknown");
    assert_eq!(ledger_sales(dir.path()).len(), 1);
    let ev = till.cmd("approve 1 1111");
    let approved = find(&ev, "approved");
    assert_eq!(
        (approved["by"].as_str(), approved["action"].as_str()),
        (Some("1"), Some("refund"))
    );
    let refund = find(&ev, "refund_committed");
    assert_eq!(
        (
            int(&refund, "ticket_no"),
            int(&refund, "original_ticket_no"),
            int(&refund, "refunded_cents"),
            int(&refund, "rounding_cents"),
            refund["method"].as_str()
        ),
        (2, 1, 240, 0, Some("cash"))
    );
    assert_eq!(refund["original_sale_id"], sale["sale_id"]);
    till.expect_error("approve 1 1111", "nothing_to_approve");

    // What is left: one pain au chocolat. Asking for two is refused and changes nothing.
    let rb = find(&till.cmd("refund 1"), "refund_basket");
    assert_eq!(
        refund_lines(&rb),
        [(1, 1, 0, 1, 0), (2, 3, 2, 1, 0), (3, 1, 0, 1, 0)]
    );
    let over = till.expect_error("refund_qty 2 2", "over_return");
    assert!(over["message"].as_str().unwrap().contains('1'), "{over}");
    let rb = find(&till.cmd("refund_qty 3 1"), "refund_basket");
    assert_eq!(
        refund_lines(&rb),
        [(1, 1, 0, 1, 0), (2, 3, 2, 1, 0), (3, 1, 0, 1, 1)],
        "the refused line stayed unpicked"
    );
    assert_eq!(int(&rb, "refund_cents"), 250);

    // Bad input on every new command: a clear error, nothing changed.
    for (line, code) in [
        ("refund_qty 2 -1", "bad_quantity"),
        ("refund_qty 2 1000", "bad_quantity"),
        ("refund_qty 2 deux", "bad_quantity"),
        ("refund_qty 9 1", "bad_line"),
        ("refund_qty 0 1", "bad_line"),
        ("refund_commit card lost", "bad_method"),
        ("refund_commit cash", "bad_reason"),
        ("refund 99", "unknown_ticket"),
        ("refund abc", "bad_ticket"),
        ("refund till-9/3", "unknown_ticket"),
    ] {
        till.expect_error(line, code);
    }
    assert_eq!(ledger_sales(dir.path()).len(), 2);
    till.cmd("refund_cancel");
    till.expect_error("refund_commit cash x", "no_refund");
    till.expect_error("refund_qty 1 1", "no_refund");
    // A credit note is not returned; a withdrawal never is.
    till.expect_error("refund 2", "is_credit_note");
    till.cmd("withdraw 20");
    till.cmd("scan 9012");
    assert!(has(&till.cmd("pay main cash 30"), "sale_committed"));
    till.cmd("refund 3");
    till.expect_error("refund_qty 1 1", "not_returnable");

    // The X report: the cash refund came out of the drawer (float, cash sales, the refund,
    // the 20,00 € withdrawal handed out).
    let x = find(&till.cmd("report x"), "drawer_report")["report"].clone();
    assert_eq!(
        int(&x, "expected_cents"),
        5000 + 1010 - 240 + 2100 - 2000,
        "{x:#}"
    );

    // A credit note shown as recorded survives a kill; the next one follows without a gap.
    till.child.kill().unwrap(); // SIGKILL: no goodbye
    let _ = till.child.wait();
    drop(till);
    let mut till = start(dir.path());
    login(&mut till, "1", "1111"); // the manager: approves their own refund
    till.cmd("refund 1");
    till.cmd("refund_qty 2 1");
    let ev = till.cmd("refund_commit cash dernier");
    assert!(!has(&ev, "approval_needed"), "{ev:#?}");
    assert_eq!(int(&find(&ev, "refund_committed"), "ticket_no"), 4);
    let rb = find(&till.cmd("refund 1"), "refund_basket");
    assert_eq!(refund_lines(&rb)[1], (2, 3, 3, 0, 0));
    till.quit();
    let sales = ledger_sales(dir.path());
    assert_eq!(
        sales
            .iter()
            .map(|s| (s.0, s.1.as_str(), s.2))
            .collect::<Vec<_>>(),
        [
            (1, "sale", 1010),
            (2, "refund", -240),
            (3, "sale", 100),
            (4, "refund", -120)
        ]
    );

    // Every chain verifies with refunds in it...
    let ok = common::run(dir.path(), &["verify"], "");
    assert!(ok.status.success(), "{}", common::stdout(&ok));
    // ...and a refund edited in the file is caught.
    let conn = rusqlite::Connection::open(dir.path().join(kaching::store::LEDGER_FILE)).unwrap();
    conn.execute_batch(
        "DROP TRIGGER sale_lines_are_final_u; DROP TRIGGER sales_are_final_u;
         UPDATE sale_lines SET qty = -1, total_cents = -120 WHERE sale_id = (SELECT id FROM sales WHERE ticket_no = 2);",
    )
    .unwrap();
    drop(conn);
    let altered = common::run(dir.path(), &["--lang", "en", "verify"], "");
    assert_eq!(
        altered.status.code(),
        Some(1),
        "{}",
        common::stdout(&altered)
    );
    assert!(
        common::stdout(&altered).contains("ticket 2"),
        "{}",
        common::stdout(&altered)
    );
}

#[test]
fn another_tills_ticket_with_the_central_database_down_is_a_clear_error() {
    let dir = common::seeded_dir();
    let mut cmd = open_all_day(common::kaching(dir.path()));
    // Nothing listens on port 1: the central database is down.
    cmd.env("KACHING_CENTRAL__URL", "mysql://root@127.0.0.1:1/kaching");
    let mut till = common::Till::start_with(cmd);
    login(&mut till, "1", "1111");
    let e = till.expect_error("refund till-2/5", "central_unavailable");
    assert!(e["message"].as_str().unwrap().len() > 20, "{e}");
    till.expect_error("refund_qty 1 1", "no_refund");
    till.quit();
}

/// Line discounts in % and in euros, a basket discount in %, a price override: each line and
/// each VAT rate exact to the cent against a table computed by hand; the cap enforced.
#[test]
fn discounts_on_lines_and_on_the_basket_keep_every_vat_rate_exact_and_the_cap_needs_a_manager() {
    let dir = common::seeded_dir();
    let mut till = start(dir.path());
    login(&mut till, "14", "1414");
    till.cmd("drawer open 50");
    // 1: 2 × Déodorant 4,00 € (21 %) · 2: 3 × Pain au chocolat 1,20 € (6 %)
    // 3: Café 2,50 € (6 %) · 4: Canette Coca 3,50 € (6 %)
    for code in ["4821", "4821", "1234", "1234", "1234", "0000", "9630"] {
        till.cmd(&format!("scan {code}"));
    }
    let total = |till: &mut common::Till| int(&till.status(), "main_total_cents");
    assert_eq!(total(&mut till), 1760);

    // At the cap (10 %): given at once.
    let b = find(&till.cmd("discount 1 10%"), "basket");
    assert_eq!(int(&b["lines"][0], "discount_cents"), 80);
    // Above it: a reason is asked, then a manager; meanwhile nothing changes.
    till.expect_error("discount 2 50%", "reason_needed");
    let asked = find(&till.cmd("discount 2 50% abîmé"), "approval_needed");
    assert_eq!(asked["action"], "discount");
    assert_eq!(total(&mut till), 1680);
    // Another step drops the request: an approval is for what is on the screen.
    till.cmd("account main");
    till.expect_error("approve 1 1111", "nothing_to_approve");
    // Bad discounts: refused, nothing changed.
    for (line, code) in [
        ("discount 1 101%", "bad_percent"),
        ("discount 1 0%", "bad_percent"),
        ("discount 1 -10%", "bad_percent"),
        ("discount 1 1e2%", "bad_percent"),
        ("discount 2 3,61", "discount_too_large"),
        ("discount 2 -1", "bad_amount"),
        ("discount 2 0", "bad_amount"),
        ("discount 9 10%", "bad_line"),
        ("price 3 2,50 same", "bad_price"),
        ("price 3 9 more", "bad_price"),
        ("price 3 -1 less", "bad_amount"),
        ("discount basket 99999", "discount_too_large"),
        ("discount", "bad_arguments"),
    ] {
        till.expect_error(line, code);
    }
    assert_eq!(total(&mut till), 1680);

    // A line discount in euros (1,50 € of 3,60 € = 41,7 %: above the cap, approved).
    find(
        &till.cmd("discount 2 1,50 client fidèle"),
        "approval_needed",
    );
    till.expect_error("approve 14 1414", "not_a_manager");
    let ev = till.cmd("approve 1 1111");
    assert!(has(&ev, "approved"));
    assert_eq!(int(&find(&ev, "basket")["lines"][1], "total_cents"), 210);
    // A price override always needs a manager.
    find(&till.cmd("price 3 1,00 erreur de prix"), "approval_needed");
    let ev = till.cmd("approve 1 1111");
    assert_eq!(int(&find(&ev, "basket")["lines"][2], "total_cents"), 100);
    // A basket discount of 5 % (under the cap): spread in proportion, remainder to the larger.
    let b = find(&till.cmd("discount basket 5%"), "basket");

    // By hand: nets after own discounts 720, 210, 100, 350 (1 380); 5 % = 69, shares
    // 720×69/1380 = 36, 210×69/1380 = 10,5, 100×69/1380 = 5, 350×69/1380 = 17,5 → 36, 10, 5,
    // 17 and the last cent to the larger of the two ,5 remainders (line 4): 18.
    let expect: [(i64, i64, i64); 4] = [
        // (gross, discount, net)
        (800, 80 + 36, 684),
        (360, 150 + 10, 200),
        (250, 150 + 5, 95),
        (350, 18, 332),
    ];
    let lines = b["lines"].as_array().unwrap();
    for (l, (gross, discount, net)) in lines.iter().zip(expect) {
        assert_eq!(
            (
                int(l, "unit_cents") * int(l, "qty"),
                int(l, "discount_cents"),
                int(l, "total_cents")
            ),
            (gross, discount, net),
            "{l}"
        );
    }
    assert_eq!(
        (int(&b, "discount_cents"), int(&b, "total_cents")),
        (449, 1311)
    );

    // Paid in cash: 13,11 € → 13,10 €.
    let sale = find(&till.cmd("pay main cash 20"), "sale_committed");
    assert_eq!(
        (
            int(&sale, "paid_cents"),
            int(&sale, "rounding_cents"),
            int(&sale, "discount_cents"),
            int(&sale, "revenue_cents")
        ),
        (1310, -1, 449, 1311)
    );
    till.quit();

    // The ledger: each line's discount and net, and each VAT rate's gross, to the cent.
    let conn = rusqlite::Connection::open(dir.path().join(kaching::store::LEDGER_FILE)).unwrap();
    let rows: Vec<(i64, i64, i64, i64)> = conn
        .prepare("SELECT line_no, discount_cents, total_cents, vat_rate FROM sale_lines ORDER BY line_no")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows,
        [
            (1, 116, 684, 21),
            (2, 160, 200, 6),
            (3, 155, 95, 6),
            (4, 18, 332, 6)
        ]
    );
    let by_rate: Vec<(i64, i64)> = conn
        .prepare("SELECT vat_rate, gross_cents FROM day_vat ORDER BY vat_rate")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(by_rate, [(6, 200 + 95 + 332), (21, 684)]);
    // Who asked and who approved, audited.
    let audit: Vec<(Option<String>, String, String)> = conn
        .prepare("SELECT staff_id, action, detail FROM audit WHERE action IN ('discount', 'approval', 'approval_refused') ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let approvals: Vec<_> = audit.iter().filter(|a| a.1 == "approval").collect();
    assert_eq!(approvals.len(), 2, "{audit:#?}");
    assert!(
        approvals
            .iter()
            .all(|a| a.0.as_deref() == Some("1") && a.2.contains("asked by 14"))
    );
    let discounts: Vec<_> = audit.iter().filter(|a| a.1 == "discount").collect();
    assert_eq!(discounts.len(), 4, "{audit:#?}");
    assert!(discounts.iter().all(|a| a.0.as_deref() == Some("14")));
    assert!(
        discounts[1].2.contains("approved by 1 (ADMIN)")
            && discounts[1].2.contains("client fidèle")
    );
    assert!(
        audit
            .iter()
            .any(|a| a.1 == "approval_refused" && a.0.as_deref() == Some("14"))
    );
    let ok = common::run(dir.path(), &["verify"], "");
    assert!(ok.status.success(), "{}", common::stdout(&ok));
}

/// An approval's PIN counts towards the manager's lockout, as a login's does.
#[test]
fn wrong_manager_pins_lock_the_manager_out_as_a_login_would() {
    let dir = common::seeded_dir();
    let mut till = start(dir.path());
    login(&mut till, "14", "1414");
    till.cmd("scan 4821");
    find(&till.cmd("price 1 3 étiquette"), "approval_needed");
    let max = kaching::domain::staff::MAX_PIN_FAILURES;
    for _ in 1..max {
        till.expect_error("approve 1 0000", "bad_pin");
    }
    till.expect_error("approve 1 0000", "locked_out");
    // Locked: even the right PIN is refused now, and the price is unchanged.
    till.expect_error("approve 1 1111", "locked_out");
    assert_eq!(int(&till.status(), "main_total_cents"), 400);
    till.quit();
    // The manager cannot log in either.
    let mut till = start(dir.path());
    let ev = till.cmd("login 1 1111");
    assert_eq!(find(&ev, "login_refused")["reason"], "locked_out");
    till.quit();
}

/// A discounted basket paid by QR keeps its discounts through a power cut: the restarted till
/// re-attaches the payment with the amount that was shown, and the sale records the discounts.
#[test]
fn a_discounted_qr_payment_survives_a_kill_with_the_amount_shown() {
    let dir = common::seeded_dir();
    let mut cmd = open_all_day(common::kaching(dir.path()));
    cmd.env("KACHING_PAYMENT__LAN_BIND", "127.0.0.1:0");
    let mut till = common::Till::start_with(cmd);
    login(&mut till, "1", "1111");
    for code in ["4821", "1234", "1234"] {
        till.cmd(&format!("scan {code}"));
    }
    till.cmd("discount 1 25% client fidèle");
    let b = find(&till.cmd("discount basket 0,50"), "basket");
    // 4,00 − 1,00 = 3,00 and 2,40: 0,50 spread 28 + 22 → 2,72 + 2,18 = 4,90 €.
    assert_eq!(
        (int(&b, "total_cents"), int(&b, "discount_cents")),
        (490, 150)
    );
    let (_, pending) = till.cmd_awaiting("pay main qr", "payment_pending");
    assert_eq!(int(&pending, "amount_cents"), 490);
    assert_eq!(
        common::phone_confirms(pending["pay_url"].as_str().unwrap()).0,
        303
    );
    till.wait_for("payment_accepted");
    till.child.kill().unwrap();
    let _ = till.child.wait();
    drop(till);

    let mut cmd = open_all_day(common::kaching(dir.path()));
    cmd.env("KACHING_PAYMENT__LAN_BIND", "127.0.0.1:0");
    let mut till = common::Till::start_with(cmd);
    login(&mut till, "1", "1111");
    let (_, sale) = till.cmd_awaiting("accept", "sale_committed");
    assert_eq!(
        (
            int(&sale, "paid_cents"),
            int(&sale, "discount_cents"),
            int(&sale, "revenue_cents")
        ),
        (490, 150, 490)
    );
    till.quit();
    let conn = rusqlite::Connection::open(dir.path().join(kaching::store::LEDGER_FILE)).unwrap();
    let lines: Vec<(i64, i64)> = conn
        .prepare("SELECT discount_cents, total_cents FROM sale_lines ORDER BY line_no")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(lines, [(128, 272), (22, 218)]);
}
