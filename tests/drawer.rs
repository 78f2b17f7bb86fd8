//! A drawer day through the headless driver: a counted float, cash sales ending in every digit
//! (rounded), a QR sale with a cash withdrawal, cash out to the bank and in for change, an X
//! report, a SIGKILL in the middle of the session (it survives), bad drawer lines refused and
//! changing nothing, a Z refused while a payment is in progress, then the Z: every figure checked
//! against the sales. Then the next session opens by itself (uncounted) at the next cash sale, a
//! second Z follows, and `kaching verify` finds both Z reports sealed and numbered without a gap.

mod common;

use serde_json::Value;

fn shop() -> tempfile::TempDir {
    common::seeded_dir_with_cent_prices()
}

fn till(dir: &std::path::Path) -> common::Till {
    let mut cmd = common::kaching(dir);
    cmd.env("KACHING_PAYMENT__LAN_BIND", "127.0.0.1:0");
    let mut till = common::Till::start_with(cmd);
    assert!(
        till.cmd("login 1 1111")
            .iter()
            .any(|e| e["event"] == "logged_in")
    );
    till
}

fn find(events: &[Value], name: &str) -> Value {
    events
        .iter()
        .find(|e| e["event"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("no {name} in {events:#?}"))
}

fn report(events: &[Value]) -> Value {
    find(events, "drawer_report")["report"].clone()
}

fn cents(v: &Value, k: &str) -> i64 {
    v[k].as_i64().unwrap_or_else(|| panic!("no {k} in {v}"))
}

#[test]
fn a_drawer_day_adds_up_survives_a_kill_and_its_z_reports_are_sealed_without_a_gap() {
    let dir = shop();
    let mut till = till(dir.path());

    let opened = find(&till.cmd("drawer open 150"), "drawer_opened");
    assert_eq!(
        (cents(&opened, "session_no"), cents(&opened, "float_cents")),
        (1, 15000)
    );
    assert_eq!(opened["counted"], true);

    // Cash sales ending in every digit but 0 and 5, each paid with 5,00 €.
    let mut cash_paid = 0;
    let mut rounding = 0;
    let mut revenue = 0;
    for d in [1, 2, 3, 4, 6, 7, 8, 9] {
        till.cmd(&format!("scan 90{d}"));
        let sale = find(&till.cmd("pay main cash 5"), "sale_committed");
        cash_paid += cents(&sale, "paid_cents");
        rounding += cents(&sale, "rounding_cents");
        revenue += cents(&sale, "revenue_cents");
        assert_eq!(cents(&sale, "paid_cents") % 5, 0, "{sale}");
    }
    assert_eq!(revenue, 8 * 100 + 1 + 2 + 3 + 4 + 6 + 7 + 8 + 9);
    assert_eq!(cash_paid, revenue + rounding);

    // A QR sale of 1,20 € with a 15,00 € withdrawal: 15,00 € leave the drawer.
    till.cmd("scan 1234");
    till.cmd("withdraw 15");
    let pending = find(&till.cmd("pay main"), "payment_pending");
    let (status, page) = common::phone_confirms(pending["pay_url"].as_str().unwrap());
    assert!(matches!(status, 200 | 303), "{status}: {page}");
    till.wait_for("payment_accepted");
    let (_, qr) = till.cmd_awaiting("accept", "sale_committed");
    assert_eq!(
        (cents(&qr, "paid_cents"), cents(&qr, "rounding_cents")),
        (1620, 0)
    );

    let out = find(&till.cmd("drawer out 100 banque"), "drawer_moved");
    assert_eq!(
        (out["kind"].as_str(), cents(&out, "amount_cents")),
        (Some("out"), 10000)
    );
    let inn = find(&till.cmd("drawer in 20 monnaie du lundi"), "drawer_moved");
    assert_eq!(inn["reason"], "monnaie du lundi");

    // Bad drawer lines: refused, nothing changed.
    for (line, code) in [
        ("drawer open 10", "drawer_already_open"),
        ("drawer in 20", "bad_reason"),
        ("drawer out -1 banque", "bad_amount"),
        ("drawer out 0 banque", "bad_amount"),
        ("drawer in 1000000 trop", "bad_amount"),
        ("drawer close -3", "bad_amount"),
        ("report y", "bad_arguments"),
    ] {
        till.expect_error(line, code);
    }

    let expected = 15000 + cash_paid - 1500 + 2000 - 10000;
    let x = report(&till.cmd("report x"));
    assert_eq!(x["kind"], "x");
    assert_eq!(
        (
            cents(&x, "z_no"),
            cents(&x, "tickets"),
            cents(&x, "cash_cents"),
            cents(&x, "qr_cents"),
            cents(&x, "rounding_cents"),
            cents(&x, "withdrawals_cents"),
            cents(&x, "cash_in_cents"),
            cents(&x, "cash_out_cents"),
            cents(&x, "float_cents"),
            cents(&x, "expected_cents"),
            cents(&x, "revenue_cents"),
        ),
        (
            1,
            9,
            cash_paid,
            1620,
            rounding,
            1500,
            2000,
            10000,
            15000,
            expected,
            revenue + 120
        ),
        "{x}"
    );
    assert!(x["counted_cents"].is_null());

    // Power cut in the middle of the session: it is still open, with every figure.
    drop(till);
    let mut till = self::till(dir.path());
    let again = report(&till.cmd("report x"));
    for k in [
        "tickets",
        "cash_cents",
        "qr_cents",
        "expected_cents",
        "cash_out_cents",
    ] {
        assert_eq!(again[k], x[k], "{k}");
    }

    // No Z while a payment is in progress.
    till.cmd("scan 1234");
    find(&till.cmd("pay main"), "payment_pending");
    till.expect_error("drawer close 50", "payment_in_progress");
    till.cmd_awaiting("cancel", "payment_cancelled");
    till.cmd("void 1");

    // The Z: counted 0,10 € short.
    let counted = expected - 10;
    let z = report(&till.cmd(&format!(
        "drawer close {}.{:02}",
        counted / 100,
        counted % 100
    )));
    assert_eq!(z["kind"], "z");
    assert_eq!(
        (
            cents(&z, "z_no"),
            cents(&z, "expected_cents"),
            cents(&z, "counted_cents"),
            cents(&z, "difference_cents"),
            cents(&z, "tickets")
        ),
        (1, expected, counted, -10, 9)
    );
    assert_eq!(z["float_counted"], true);
    assert_eq!(
        z["voids"], 1,
        "the line voided after the cancelled payment: {z}"
    );
    assert_eq!(
        z["by_vat"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| (cents(v, "rate_pct"), cents(v, "gross_cents")))
            .collect::<Vec<_>>(),
        [(6, 120), (21, revenue)],
        "{z}"
    );
    till.expect_error("drawer close 0", "no_open_drawer");
    till.expect_error("report x", "no_open_drawer");

    // The next cash sale opens session 2 by itself, with an uncounted float.
    till.cmd("scan 905");
    let ev = till.cmd("pay main cash");
    let sale = find(&ev, "sale_committed");
    assert_eq!(cents(&sale, "ticket_no"), 10);
    drop(till);
    let mut till = self::till(dir.path());
    let x2 = report(&till.cmd("report x"));
    assert_eq!(
        (
            cents(&x2, "z_no"),
            cents(&x2, "float_cents"),
            cents(&x2, "tickets")
        ),
        (2, 0, 1)
    );
    assert_eq!(x2["float_counted"], false);
    let z2 = report(&till.cmd("drawer close 1.05"));
    assert_eq!((cents(&z2, "z_no"), cents(&z2, "difference_cents")), (2, 0));
    assert!(z2.get("voids").is_none(), "no void since Z 1: {z2}");
    till.quit();

    let verify = common::run(dir.path(), &["verify"], "");
    assert!(
        verify.status.success(),
        "{}{}",
        common::stdout(&verify),
        common::stderr(&verify)
    );

    // `kaching report z [NO]`: the same Z, as text, CSV or JSON; a missing one is an error.
    let o = common::run(dir.path(), &["report", "z", "1"], "");
    assert!(o.status.success(), "{}", common::stderr(&o));
    let text = common::stdout(&o);
    assert!(text.starts_with("RAPPORT Z n° 1"), "{text}");
    assert!(
        text.contains("Différence") && text.contains("-0,10 €"),
        "{text}"
    );
    let o = common::run(dir.path(), &["report", "z", "1", "--format", "json"], "");
    let json: Value = serde_json::from_str(&common::stdout(&o)).unwrap();
    assert_eq!(json, z);
    let o = common::run(dir.path(), &["--lang", "nl", "report", "z"], "");
    assert!(
        common::stdout(&o).starts_with("Z-RAPPORT nr. 2"),
        "{}",
        common::stdout(&o)
    );
    let o = common::run(dir.path(), &["report", "z", "--format", "csv"], "");
    assert!(
        common::stdout(&o).contains("difference_cents,0\n"),
        "{}",
        common::stdout(&o)
    );
    let o = common::run(dir.path(), &["report", "z", "9"], "");
    assert!(!o.status.success());
    assert!(
        common::stderr(&o).contains("pas de rapport Z n° 9"),
        "{}",
        common::stderr(&o)
    );
    let o = common::run(dir.path(), &["report", "x"], "");
    assert!(!o.status.success());
    assert!(
        common::stderr(&o).contains("aucun tiroir-caisse"),
        "{}",
        common::stderr(&o)
    );
}
