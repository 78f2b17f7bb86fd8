//! Belgian cash rounding through the headless driver: a cash sale is paid rounded to the nearest
//! 0,05 € for each last digit of its total, the change follows the rounded amount, the ticket says
//! « Arrondi », `sale_committed` carries `rounding_cents`, a QR payment is never rounded, a till
//! with `till.cash_rounding = false` does not round, and the rounded sales survive a SIGKILL with
//! the hash chain intact (`kaching verify`).

mod common;

use serde_json::Value;

fn shop() -> tempfile::TempDir {
    common::seeded_dir_with_cent_prices()
}

fn logged_in(cmd: std::process::Command) -> common::Till {
    let mut till = common::Till::start_with(cmd);
    assert!(
        till.cmd("login 1 1111")
            .iter()
            .any(|e| e["event"] == "logged_in")
    );
    till
}

fn committed(events: &[Value]) -> Value {
    events
        .iter()
        .find(|e| e["event"] == "sale_committed")
        .cloned()
        .unwrap_or_else(|| panic!("no sale_committed in {events:#?}"))
}

#[test]
fn cash_is_rounded_to_five_cents_for_every_last_digit_and_qr_never() {
    let dir = shop();
    let mut cmd = common::kaching(dir.path());
    cmd.env("KACHING_PAYMENT__LAN_BIND", "127.0.0.1:0");
    let mut till = logged_in(cmd);

    // (last digit, rounding): 1, 2 down; 3, 4 up to 5; 6, 7 down to 5; 8, 9 up.
    let expected = [
        (1, -1),
        (2, -2),
        (3, 2),
        (4, 1),
        (6, -1),
        (7, -2),
        (8, 2),
        (9, 1),
    ];
    for (ticket, (d, rounding)) in expected.iter().enumerate() {
        till.cmd(&format!("scan 90{d}"));
        let total = 100 + d;
        let paid = total + rounding;
        let sale = committed(&till.cmd("pay main cash 5"));
        assert_eq!(
            (
                sale["ticket_no"].as_i64(),
                sale["paid_cents"].as_i64(),
                sale["rounding_cents"].as_i64(),
                sale["revenue_cents"].as_i64(),
                sale["change_cents"].as_i64()
            ),
            (
                Some(ticket as i64 + 1),
                Some(paid),
                Some(*rounding),
                Some(total),
                Some(500 - paid)
            ),
            "a total ending in {d}: {sale}"
        );
    }
    // Exact cash is the rounded amount; less than it is refused and changes nothing.
    till.cmd("scan 903");
    let refused = till.expect_error("pay main cash 1.03", "tender_too_low");
    assert!(
        refused["message"]
            .as_str()
            .unwrap_or_default()
            .contains("1,05"),
        "{refused}"
    );
    let exact = committed(&till.cmd("pay main cash"));
    assert_eq!(
        (exact["paid_cents"].as_i64(), exact["change_cents"].as_i64()),
        (Some(105), Some(0))
    );

    // QR: the exact amount, never rounded.
    till.cmd("scan 903");
    let ev = till.cmd("pay main");
    let pending = ev
        .iter()
        .find(|e| e["event"] == "payment_pending")
        .cloned()
        .unwrap_or_else(|| panic!("{ev:#?}"));
    assert_eq!(pending["amount_cents"], 103);
    let (status, page) = common::phone_confirms(pending["pay_url"].as_str().unwrap());
    assert!(matches!(status, 200 | 303), "{status}: {page}");
    till.wait_for("payment_accepted");
    let (_, qr) = till.cmd_awaiting("accept", "sale_committed");
    assert_eq!(
        (
            qr["method"].as_str(),
            qr["paid_cents"].as_i64(),
            qr["rounding_cents"].as_i64()
        ),
        (Some("qr"), Some(103), Some(0))
    );

    // The ticket of a rounded sale says so.
    let ticket = dir.path().join("tickets").join("till-1-000003.txt");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !ticket.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let text = std::fs::read_to_string(&ticket).expect("ticket 3");
    assert!(
        text.contains("Arrondi") && text.contains("0,02 €"),
        "{text}"
    );
    assert!(text.contains("1,03 €") && text.contains("1,05 €"), "{text}");

    // Power cut: the rounded sales are in the ledger, hashed with their rounding.
    drop(till);
    let verify = common::run(dir.path(), &["verify"], "");
    assert!(
        verify.status.success(),
        "{}{}",
        common::stdout(&verify),
        common::stderr(&verify)
    );
}

#[test]
fn a_shop_outside_belgium_turns_the_rounding_off() {
    let dir = shop();
    let mut cmd = common::kaching(dir.path());
    cmd.env("KACHING_TILL__CASH_ROUNDING", "false");
    let mut till = logged_in(cmd);
    till.cmd("scan 903");
    let sale = committed(&till.cmd("pay main cash 5"));
    assert_eq!(
        (
            sale["paid_cents"].as_i64(),
            sale["rounding_cents"].as_i64(),
            sale["change_cents"].as_i64()
        ),
        (Some(103), Some(0), Some(397))
    );
    till.quit();
}
