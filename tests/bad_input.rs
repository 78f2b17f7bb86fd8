//! Bad input on every path gets a clear `error` event (or, on the command line, a message and a
//! non-zero exit) and changes nothing. Each test drives the real binary: it records the till's
//! state (`status`, `kaching report days`, `kaching catalog export`), feeds it bad input, and
//! checks that the state is exactly what it was — and that the till still works afterwards, so a
//! refusal cannot hide a till that silently stopped listening.
//!
//! Basket and payment tests log in as the admin (ID 1), who is exempt from opening hours, so they
//! pass at any hour; the opening-hours test sets the hours around the real clock.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::Stdio;

use chrono::{DateTime, Duration, Timelike, Utc};
use common::Till;
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// What bad input must never change: who is logged in, both baskets and the sales. Not `now`, not the print
/// queue (the printer drains it on its own schedule).
fn state(till: &mut Till) -> Value {
    let s = till.status();
    json!({
        "staff_id": s["staff_id"],
        "role": s["role"],
        "session": s["session"],
        "account": s["account"],
        "main_total_cents": s["main_total_cents"],
        "sub_total_cents": s["sub_total_cents"],
        "main_lines": s["main_lines"],
        "sub_lines": s["sub_lines"],
        "payment_in_progress": s["payment_in_progress"],
        // Refusals are audited (and audit rows travel to the central database), so the outbox
        // grows; the ledger's sales must not.
        "last_ticket_no": s["last_ticket_no"],
    })
}

/// Sends `line`, expects exactly one `error` event with `code` and a message, and checks that the
/// till's state did not move.
fn refused(till: &mut Till, line: &str, code: &str) -> Value {
    let before = state(till);
    let err = till.expect_error(line, code);
    assert!(
        err["message"]
            .as_str()
            .is_some_and(|m| !m.trim().is_empty()),
        "{line:?}: the error has no message: {err}"
    );
    assert_eq!(
        state(till),
        before,
        "{line:?} was refused but changed the till"
    );
    err
}

/// Sends a `login` line and expects exactly one `login_refused` with `reason`, nobody logged in
/// afterwards and nothing else changed.
fn login_refused(till: &mut Till, line: &str, reason: &str) -> Value {
    let before = state(till);
    let evs: Vec<Value> = till
        .cmd(line)
        .into_iter()
        .filter(|e| !common::is_background(e))
        .collect();
    assert_eq!(evs.len(), 1, "{line:?} should give one event, got {evs:#?}");
    assert_eq!(evs[0]["event"], "login_refused", "{line:?}: {evs:#?}");
    assert_eq!(evs[0]["reason"], reason, "{line:?}: {evs:#?}");
    assert!(
        evs[0]["message"]
            .as_str()
            .is_some_and(|m| !m.trim().is_empty()),
        "{line:?}: no message: {evs:#?}"
    );
    let after = state(till);
    assert_eq!(after, before, "{line:?} was refused but changed the till");
    assert_eq!(after["staff_id"], Value::Null, "{line:?} logged someone in");
    evs[0].clone()
}

/// Sends a line that must work, and returns its events.
fn ok(till: &mut Till, line: &str) -> Vec<Value> {
    let evs = till.cmd(line);
    assert!(
        !evs.iter()
            .any(|e| e["event"] == "error" || e["event"] == "login_refused"),
        "{line:?} should work: {evs:#?}"
    );
    evs
}

/// Sends raw bytes (newline included, if any) then `status`; returns the events in between.
fn raw(till: &mut Till, bytes: &[u8]) -> Vec<Value> {
    till.send_raw(bytes);
    till.send("status");
    let mut out = Vec::new();
    loop {
        match till.next() {
            Some(v) if v["event"] == "status" => return out,
            Some(v) => out.push(v),
            None => panic!("the till exited on bad input; seen: {:#?}", till.seen),
        }
    }
}

/// A till with the admin logged in (exempt from opening hours: these tests run at any hour).
fn admin_till(dir: &Path) -> Till {
    admin_on(Till::start(dir))
}

fn admin_on(mut till: Till) -> Till {
    let evs = till.cmd("login 1 1111");
    assert!(
        evs.iter().any(|e| e["event"] == "logged_in"),
        "admin login: {evs:#?}"
    );
    till
}

fn sale(evs: &[Value]) -> Option<&Value> {
    evs.iter().find(|e| e["event"] == "sale_committed")
}

fn no_sale(evs: &[Value], line: &str) {
    assert!(sale(evs).is_none(), "{line:?} committed a sale: {evs:#?}");
}

/// `kaching ARGS` that must succeed; its stdout.
fn cli_ok(dir: &Path, args: &[&str]) -> String {
    let o = common::run(dir, args, "");
    assert!(
        o.status.success(),
        "kaching {args:?} failed: {}",
        common::stderr(&o)
    );
    common::stdout(&o)
}

fn days(dir: &Path) -> String {
    cli_ok(dir, &["report", "days", "--format", "json"])
}

fn catalogue(dir: &Path) -> String {
    cli_ok(dir, &["catalog", "export"])
}

/// A 13-digit barcode made of `data` (12 digits) and its GS1 check digit.
fn ean13(data: &str) -> String {
    assert_eq!(data.len(), 12);
    let sum: u32 = data
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    format!("{data}{}", (10 - sum % 10) % 10)
}

/// The same barcode with a wrong check digit: a bad read.
fn misread(ean: &str) -> String {
    let (data, check) = ean.split_at(ean.len() - 1);
    let wrong = (check.parse::<u32>().unwrap() + 1) % 10;
    format!("{data}{wrong}")
}

// ---------------------------------------------------------------------------------------------
// Scans, amounts, quantities
// ---------------------------------------------------------------------------------------------

#[test]
fn an_unknown_or_misread_code_is_refused_and_changes_nothing() {
    let dir = common::seeded_dir();
    let mut till = admin_till(dir.path());
    ok(&mut till, "scan 1234");
    ok(&mut till, "account sub");
    ok(&mut till, "scan 0000");
    assert_eq!(state(&mut till)["sub_total_cents"], 250);

    refused(&mut till, "scan 7777", "unknown_code");
    refused(&mut till, "scan 12345", "unknown_code");
    refused(&mut till, "scan écran", "unknown_code");
    // A well-formed barcode that no product carries.
    refused(
        &mut till,
        &format!("scan {}", ean13("544900000099")),
        "unknown_code",
    );
    // The demo's pain au chocolat with its last digit misread: never confused with a product.
    refused(&mut till, "scan 1946753214861", "bad_check_digit");
    refused(
        &mut till,
        &format!("scan {}", misread("12345670")),
        "bad_check_digit",
    );
    // UPC-A shape (12 digits) with a bad check digit.
    refused(&mut till, "scan 012345678906", "bad_check_digit");
    refused(&mut till, &format!("scan {}", "9".repeat(33)), "bad_code");
    refused(&mut till, "scan \u{1}1234", "bad_code");
    refused(&mut till, "scan", "bad_arguments");
    refused(&mut till, "scan 1234 0000", "bad_arguments");

    // The till still sells, and the refused scans left no trace in either basket.
    let evs = ok(&mut till, "scan 1946753214860");
    let basket = evs.iter().find(|e| e["event"] == "basket").unwrap();
    assert_eq!(basket["account"], "sub");
    assert_eq!(basket["lines"].as_array().unwrap().len(), 2, "{basket}");
    assert_eq!(basket["main_total_cents"], 120);
    assert_eq!(basket["sub_total_cents"], 370);
    assert_eq!(days(dir.path()), "[]\n");
}

#[test]
fn malformed_or_negative_amounts_are_refused_and_change_nothing() {
    let dir = common::seeded_dir();
    let mut till = admin_till(dir.path());
    ok(&mut till, "scan 1234");
    ok(&mut till, "withdraw 15");
    let days_before = days(dir.path());
    for amount in [
        "abc",
        "-5",
        "-0",
        "-0,01",
        "+5",
        "1.234",
        "1,2,3",
        "1.2.3",
        "15.",
        ".5",
        ",50",
        "1e3",
        "NaN",
        "inf",
        "0x10",
        "€5",
        "5€",
        "１５",
        "1000000.01",
        "99999999999999999999",
    ] {
        let err = refused(&mut till, &format!("withdraw {amount}"), "bad_amount");
        let message = err["message"].as_str().unwrap();
        assert!(
            message.contains(amount.trim_start_matches(['+', '-'])) || message.contains("large"),
            "withdraw {amount}: the message should name the amount: {message}"
        );
        for line in [
            format!("pay main cash {amount}"),
            format!("pay sub cash {amount}"),
        ] {
            let evs = till.cmd(&line);
            no_sale(&evs, &line);
            assert!(
                evs.iter()
                    .any(|e| e["event"] == "error" && e["code"] == "bad_amount"),
                "{line:?}: {evs:#?}"
            );
        }
    }
    // Zero is an amount, but not a withdrawal.
    refused(&mut till, "withdraw 0", "bad_amount");
    refused(&mut till, "withdraw 0,00", "bad_amount");
    refused(&mut till, "withdraw", "bad_arguments");
    refused(&mut till, "withdraw 5 5", "bad_arguments");
    refused(&mut till, "withdraw 5 EUR", "bad_arguments");

    let s = state(&mut till);
    assert_eq!(
        (s["main_total_cents"].clone(), s["main_lines"].clone()),
        (json!(1620), json!(2))
    );
    assert_eq!(
        days(dir.path()),
        days_before,
        "a refused amount reached the ledger"
    );
    // The till still takes a good amount.
    let evs = ok(&mut till, "withdraw 5,50");
    let basket = evs.iter().find(|e| e["event"] == "basket").unwrap();
    assert_eq!(basket["main_total_cents"], 2170);
}

#[test]
fn zero_negative_or_absurd_quantities_are_refused_and_change_nothing() {
    let dir = common::seeded_dir();
    let mut till = admin_till(dir.path());
    ok(&mut till, "scan 1234");
    ok(&mut till, "withdraw 10");
    for qty in [
        "0",
        "-1",
        "-999",
        "1000",
        "1000000",
        "99999999999999999999",
        "abc",
        "1.5",
        "2,0",
        "½",
        "0x2",
        "+",
    ] {
        refused(&mut till, &format!("qty 1 {qty}"), "bad_quantity");
    }
    // No such line, or not a line number.
    for line in [
        "0",
        "-1",
        "3",
        "999999",
        "x",
        "1.0",
        "99999999999999999999999",
    ] {
        refused(&mut till, &format!("qty {line} 2"), "bad_line");
        refused(&mut till, &format!("void {line}"), "bad_line");
    }
    // A withdrawal's quantity cannot change (3 withdrawals of 10 would get around the maximum).
    refused(&mut till, "qty 2 3", "bad_quantity");
    refused(&mut till, "qty 1", "bad_arguments");
    refused(&mut till, "qty", "bad_arguments");
    refused(&mut till, "qty 1 2 3", "bad_arguments");
    refused(&mut till, "void", "bad_arguments");
    // Line 1 of the sub account does not exist, even though main has one.
    ok(&mut till, "account sub");
    refused(&mut till, "qty 1 2", "bad_line");
    refused(&mut till, "void 1", "bad_line");
    ok(&mut till, "account main");

    let s = state(&mut till);
    assert_eq!(s["main_total_cents"], 1120, "{s}");
    assert_eq!(s["main_lines"], 2, "{s}");
    // 999 is the most; scanning once more would make 1000 and is refused too.
    let evs = ok(&mut till, "qty 1 999");
    let basket = evs.iter().find(|e| e["event"] == "basket").unwrap();
    assert_eq!(basket["lines"][0]["qty"], 999);
    assert_eq!(basket["main_total_cents"], 999 * 120 + 1000);
    refused(&mut till, "scan 1234", "bad_quantity");
    refused(&mut till, "scan 1946753214860", "bad_quantity");
    assert_eq!(state(&mut till)["main_total_cents"], 999 * 120 + 1000);
}

#[test]
fn a_basket_of_200_lines_refuses_a_201st_and_keeps_the_200() {
    let dir = common::seeded_dir();
    let mut csv = String::from("code,barcode,name,price,vat_rate\n");
    for i in 1..=201 {
        csv.push_str(&format!("B{i:03},,Bonbon {i},0.10,6\n"));
    }
    let file = dir.path().join("bonbons.csv");
    std::fs::write(&file, csv).unwrap();
    cli_ok(dir.path(), &["catalog", "import", file.to_str().unwrap()]);

    let mut till = admin_till(dir.path());
    for i in 1..=200 {
        till.send(&format!("scan B{i:03}"));
    }
    let s = state(&mut till);
    assert_eq!(
        (s["main_lines"].clone(), s["main_total_cents"].clone()),
        (json!(200), json!(2000))
    );
    refused(&mut till, "scan B201", "basket_full");
    refused(&mut till, "withdraw 5", "basket_full");
    // An article already in the basket still adds to its own line.
    ok(&mut till, "scan B001");
    let s = state(&mut till);
    assert_eq!(
        (s["main_lines"].clone(), s["main_total_cents"].clone()),
        (json!(200), json!(2010))
    );
}

// ---------------------------------------------------------------------------------------------
// Withdrawals and payments
// ---------------------------------------------------------------------------------------------

#[test]
fn a_withdrawal_above_the_maximum_is_refused_and_changes_nothing() {
    let dir = common::seeded_dir();
    let mut cmd = common::kaching(dir.path());
    cmd.env("KACHING_TILL__MAX_WITHDRAWAL", "100.00");
    let mut till = admin_on(Till::start_with(cmd));
    ok(&mut till, "scan 1234");

    let err = refused(&mut till, "withdraw 100.01", "withdrawal_limit");
    assert!(
        err["message"].as_str().unwrap().contains("100,00"),
        "the message should give the maximum: {err}"
    );
    refused(&mut till, "withdraw 1000000", "withdrawal_limit");
    // The maximum bounds the sum of the account's withdrawals: splitting does not get around it.
    ok(&mut till, "withdraw 60");
    refused(&mut till, "withdraw 40.01", "withdrawal_limit");
    ok(&mut till, "withdraw 40");
    refused(&mut till, "withdraw 0.01", "withdrawal_limit");
    let s = state(&mut till);
    assert_eq!(
        (s["main_total_cents"].clone(), s["main_lines"].clone()),
        (json!(10120), json!(3))
    );
    // Voiding a withdrawal frees its share of the maximum.
    ok(&mut till, "void 3");
    refused(&mut till, "withdraw 40.01", "withdrawal_limit");
    ok(&mut till, "withdraw 40");
    // Each account has its own maximum.
    ok(&mut till, "account sub");
    ok(&mut till, "withdraw 100");
    refused(&mut till, "withdraw 0,01", "withdrawal_limit");
    let evs = ok(&mut till, "pay main cash 101.20");
    let s = sale(&evs).expect("the main basket is paid");
    assert_eq!(
        (s["withdrawal_cents"].clone(), s["change_cents"].clone()),
        (json!(10000), json!(0))
    );
    drop(till);

    // Without the setting, the documented default of 500,00 € applies.
    let mut till = admin_till(dir.path());
    ok(&mut till, "withdraw 100.01");
    ok(&mut till, "withdraw 399.99");
    refused(&mut till, "withdraw 0.01", "withdrawal_limit");
    assert_eq!(state(&mut till)["main_total_cents"], 50000);
}

#[test]
fn paying_an_empty_basket_is_refused_and_commits_nothing() {
    let dir = common::seeded_dir();
    let mut till = admin_till(dir.path());
    for line in [
        "pay main cash",
        "pay main cash 20",
        "pay sub cash",
        "pay sub cash 0",
    ] {
        refused(&mut till, line, "empty_basket");
    }
    // A full sub basket does not make the main one payable.
    ok(&mut till, "account sub");
    ok(&mut till, "scan 9012");
    refused(&mut till, "pay main cash", "empty_basket");
    // Voiding the last line empties the basket again.
    ok(&mut till, "void 1");
    refused(&mut till, "pay sub cash", "empty_basket");
    assert_eq!(
        days(dir.path()),
        "[]\n",
        "a refused payment reached the ledger"
    );

    // No ticket number was spent on the refusals.
    ok(&mut till, "scan 9012");
    let evs = ok(&mut till, "pay sub cash");
    assert_eq!(sale(&evs).expect("a sale")["ticket_no"], 1);
}

#[test]
fn accept_or_cancel_with_nothing_pending_is_refused_and_changes_nothing() {
    let dir = common::seeded_dir();
    let mut till = admin_till(dir.path());
    refused(&mut till, "accept", "nothing_pending");
    refused(&mut till, "cancel", "nothing_pending");
    refused(&mut till, "reprint", "nothing_to_reprint");
    ok(&mut till, "scan 1234");
    ok(&mut till, "scan 0000");
    refused(&mut till, "accept", "nothing_pending");
    refused(&mut till, "cancel", "nothing_pending");
    refused(&mut till, "accept now", "bad_arguments");
    refused(&mut till, "cancel 1", "bad_arguments");
    // QR is not there yet: refused without freezing the basket.
    refused(&mut till, "pay main", "qr_unavailable");
    refused(&mut till, "pay main qr", "qr_unavailable");
    refused(&mut till, "accept", "nothing_pending");
    // Malformed payments.
    refused(&mut till, "pay", "bad_arguments");
    refused(&mut till, "pay main cash 20 30", "bad_arguments");
    refused(&mut till, "pay main qr 20", "bad_arguments");
    refused(&mut till, "pay both cash", "bad_account");
    refused(&mut till, "pay 1 cash", "bad_account");
    refused(&mut till, "pay main card", "bad_method");
    refused(&mut till, "pay main cheque 20", "bad_method");
    refused(&mut till, "account both", "bad_account");
    refused(&mut till, "account", "bad_arguments");
    assert_eq!(days(dir.path()), "[]\n");

    // Nothing is frozen: the basket still changes and pays.
    ok(&mut till, "scan 9012");
    let evs = ok(&mut till, "pay main cash 5");
    let s = sale(&evs).expect("a sale");
    assert_eq!(
        (s["paid_cents"].clone(), s["change_cents"].clone()),
        (json!(470), json!(30))
    );
}

#[test]
fn cash_tendered_below_the_amount_is_refused_and_the_basket_stays_payable() {
    let dir = common::seeded_dir();
    let mut till = admin_till(dir.path());
    ok(&mut till, "scan 1234");
    ok(&mut till, "scan 0000");
    ok(&mut till, "withdraw 15");
    for tendered in ["18.69", "18,69", "0", "0.01", "3.70", "18"] {
        let err = refused(
            &mut till,
            &format!("pay main cash {tendered}"),
            "tender_too_low",
        );
        assert!(
            err["message"].as_str().unwrap().contains("18,70"),
            "the message should give the amount due: {err}"
        );
    }
    // Paying the other (empty) account with plenty of cash is still an empty basket.
    refused(&mut till, "pay sub cash 50", "empty_basket");
    assert_eq!(
        days(dir.path()),
        "[]\n",
        "a refused payment reached the ledger"
    );
    // Not frozen: the cashier can still change the basket, and pay it.
    ok(&mut till, "void 3");
    ok(&mut till, "withdraw 15");
    let evs = ok(&mut till, "pay main cash 18.70");
    let s = sale(&evs).expect("a sale");
    assert_eq!(
        (
            s["ticket_no"].clone(),
            s["paid_cents"].clone(),
            s["change_cents"].clone()
        ),
        (json!(1), json!(1870), json!(0))
    );
}

#[test]
fn ticket_numbers_continue_without_a_gap_after_refused_payments_and_a_restart() {
    let dir = common::seeded_dir();
    let mut till = admin_till(dir.path());
    ok(&mut till, "scan 1234");
    let evs = ok(&mut till, "pay main cash");
    assert_eq!(sale(&evs).expect("sale 1")["ticket_no"], 1);
    let days_after_one = days(dir.path());

    refused(&mut till, "pay main cash", "empty_basket");
    ok(&mut till, "scan 0000");
    refused(&mut till, "pay main cash 2", "tender_too_low");
    refused(&mut till, "pay main qr", "qr_unavailable");
    refused(&mut till, "pay main cash deux", "bad_amount");
    refused(&mut till, "pay sub cash", "empty_basket");
    refused(&mut till, "withdraw 600", "withdrawal_limit");
    assert_eq!(days(dir.path()), days_after_one);
    let evs = ok(&mut till, "pay main cash 2.50");
    assert_eq!(sale(&evs).expect("sale 2")["ticket_no"], 2);
    till.quit();

    let mut till = admin_till(dir.path());
    refused(&mut till, "pay main cash", "empty_basket");
    ok(&mut till, "scan 9012");
    refused(&mut till, "pay main cash 0.99", "tender_too_low");
    let evs = ok(&mut till, "pay main cash 1");
    assert_eq!(sale(&evs).expect("sale 3")["ticket_no"], 3);
    till.quit();
    let out = cli_ok(dir.path(), &["verify"]);
    assert!(out.contains("OK : 3 ventes"), "{out}");
    let d: Value = serde_json::from_str(&days(dir.path())).unwrap();
    assert_eq!(d[0]["tickets"], 3, "{d}");
    assert_eq!(d[0]["revenue_cents"], 120 + 250 + 100, "{d}");
}

// ---------------------------------------------------------------------------------------------
// Sessions: login, PINs, lockout, disabled staff, opening hours
// ---------------------------------------------------------------------------------------------

#[test]
fn commands_that_need_a_session_are_refused_before_login() {
    let dir = common::seeded_dir();
    let mut till = Till::start(dir.path());
    for line in [
        "scan 1234",
        "qty 1 2",
        "qty 1 0",
        "void 1",
        "withdraw 5",
        "withdraw 100000",
        "account sub",
        "pay main cash",
        "pay main",
        "accept",
        "cancel",
        "reprint",
        "logout",
    ] {
        refused(&mut till, line, "not_logged_in");
    }
    let s = state(&mut till);
    assert_eq!(
        (s["session"].clone(), s["account"].clone()),
        (json!("none"), json!("main"))
    );
    // Logged out again, the same holds.
    let mut till = admin_on(till);
    ok(&mut till, "scan 1234");
    ok(&mut till, "logout");
    refused(&mut till, "scan 1234", "not_logged_in");
    refused(&mut till, "logout", "not_logged_in");
    assert_eq!(state(&mut till)["main_lines"], 0);
    assert_eq!(days(dir.path()), "[]\n");
}

#[test]
fn an_unknown_id_is_refused_and_nobody_is_logged_in() {
    let dir = common::seeded_dir();
    let mut till = Till::start(dir.path());
    for line in [
        "login 999 1234",
        "login 3 3333",
        "login 0 0000",
        "login 123456789 1234",
        "login abc 1234",
        "login -14 1414",
        "login 1.0 1111",
        "login ١ 1111",
    ] {
        login_refused(&mut till, line, "unknown");
    }
    refused(&mut till, "login", "bad_arguments");
    refused(&mut till, "login 14", "bad_arguments");
    refused(&mut till, "login 14 1414 1414", "bad_arguments");
    // Unknown IDs count no PIN failures against anyone: the admin still has all 5 attempts.
    let r = login_refused(&mut till, "login 1 9999", "bad_pin");
    assert_eq!(r["attempts_left"], 4, "{r}");
    // Leading zeros name the same person.
    ok(&mut till, "login 001 1111");
    assert_eq!(state(&mut till)["staff_id"], "1");
    // Someone is logged in: a second login is refused and changes nothing.
    refused(&mut till, "login 14 1414", "already_logged_in");
    refused(&mut till, "login 999 1234", "already_logged_in");
    assert_eq!(state(&mut till)["staff_id"], "1");
}

#[test]
fn a_wrong_pin_is_refused_with_the_attempts_left_and_a_good_login_resets_the_count() {
    let dir = common::seeded_dir();
    let mut till = Till::start(dir.path());
    // The admin: exempt from hours, so the right PIN logs in at any hour.
    for (pin, left) in [("9999", 4), ("1112", 3), ("12", 2), ("abcd", 1)] {
        let r = login_refused(&mut till, &format!("login 1 {pin}"), "bad_pin");
        assert_eq!(r["attempts_left"], left, "login 1 {pin}: {r}");
        assert!(r.get("until").is_none(), "not locked yet: {r}");
    }
    ok(&mut till, "login 1 1111");
    ok(&mut till, "logout");
    let r = login_refused(&mut till, "login 1 1234", "bad_pin");
    assert_eq!(
        r["attempts_left"], 4,
        "a good login should reset the count: {r}"
    );
    // A cashier's wrong PIN is a wrong PIN at any hour (the PIN is checked before the hours).
    let r = login_refused(&mut till, "login 14 4141", "bad_pin");
    assert_eq!(r["attempts_left"], 4, "{r}");
    let r = login_refused(&mut till, "login 14 141414141", "bad_pin");
    assert_eq!(r["attempts_left"], 3, "{r}");
}

#[test]
fn five_wrong_pins_lock_the_id_even_against_the_right_pin() {
    let dir = common::seeded_dir();
    let mut till = Till::start(dir.path());
    for left in [4, 3, 2, 1] {
        let r = login_refused(&mut till, "login 14 0000", "bad_pin");
        assert_eq!(r["attempts_left"], left, "{r}");
    }
    let started = Utc::now();
    let r = login_refused(&mut till, "login 14 0000", "locked_out");
    assert_eq!(r["attempts_left"], 0, "{r}");
    let until: DateTime<Utc> = r["until"].as_str().expect("until").parse().unwrap();
    assert!(
        until > started + Duration::minutes(14) && until < started + Duration::minutes(16),
        "a lockout lasts 15 minutes: {r}"
    );
    // The right PIN does not open a locked ID, nor does a zero-padded ID.
    for line in ["login 14 1414", "login 014 1414", "login 14 0000"] {
        let r = login_refused(&mut till, line, "locked_out");
        assert!(r["until"].is_string(), "{r}");
    }
    // Other IDs are not affected.
    let r = login_refused(&mut till, "login 27 0000", "bad_pin");
    assert_eq!(r["attempts_left"], 4, "{r}");
    ok(&mut till, "login 1 1111");
    ok(&mut till, "logout");
    till.quit();

    // The lock is in the ledger, not in the process: a restart does not lift it.
    let mut till = Till::start(dir.path());
    login_refused(&mut till, "login 14 1414", "locked_out");
    // An admin can lift it before the 15 minutes are over.
    let out = cli_ok(dir.path(), &["staff", "unlock", "14"]);
    assert_eq!(out.trim(), "14 débloqué", "{out}");
    let open = till.status()["shop_open"] == true;
    let evs = till.cmd("login 14 1414");
    if open {
        assert_eq!(evs[0]["event"], "logged_in", "{evs:#?}");
    } else {
        assert_eq!(evs[0]["reason"], "closed", "{evs:#?}");
    }
}

#[test]
fn a_disabled_staff_member_is_refused_even_with_the_right_pin() {
    let dir = common::seeded_dir();
    // The till is already running when the admin disables Khadija: it must not trust a cache.
    let mut till = Till::start(dir.path());
    let out = cli_ok(dir.path(), &["staff", "disable", "14"]);
    assert_eq!(out.trim(), "14 désactivé", "{out}");
    let list = cli_ok(dir.path(), &["staff", "list"]);
    assert!(
        list.lines()
            .any(|l| l.contains("Khadija") && l.ends_with(" désactivé")),
        "{list}"
    );
    login_refused(&mut till, "login 14 1414", "disabled");
    login_refused(&mut till, "login 014 1414", "disabled");
    // A disabled ID is not worth guessing: wrong PINs are refused the same way and not counted.
    for _ in 0..6 {
        login_refused(&mut till, "login 14 0000", "disabled");
    }
    // Others still log in.
    ok(&mut till, "login 1 1111");
    ok(&mut till, "logout");
    let r = login_refused(&mut till, "login 27 0000", "bad_pin");
    assert_eq!(r["attempts_left"], 4, "{r}");

    // Enabled again: a fresh count, not a lockout from the attempts made while disabled.
    cli_ok(dir.path(), &["staff", "enable", "14"]);
    let r = login_refused(&mut till, "login 14 0000", "bad_pin");
    assert_eq!(r["attempts_left"], 4, "{r}");
}

/// Opening hours that leave the current Brussels time at least two hours outside them.
fn hours_not_containing_now() -> (&'static str, &'static str) {
    let hour = Utc::now()
        .with_timezone(&chrono_tz::Europe::Brussels)
        .hour();
    if (10..16).contains(&hour) {
        ("02:00", "03:00")
    } else {
        ("12:00", "13:00")
    }
}

#[test]
fn login_outside_opening_hours_is_refused_for_cashiers_but_not_the_admin() {
    let dir = common::seeded_dir();
    let (open, close) = hours_not_containing_now();
    let mut cmd = common::kaching(dir.path());
    cmd.env("KACHING_HOURS__OPEN", open)
        .env("KACHING_HOURS__CLOSE", close);
    let mut till = Till::start_with(cmd);
    let s = till.status();
    assert_eq!(s["shop_open"], false, "{s}");
    assert_eq!(s["hours_today"], format!("{open}-{close}"), "{s}");

    for line in ["login 14 1414", "login 27 2727", "login 2 2222"] {
        let r = login_refused(&mut till, line, "closed");
        assert!(
            r["message"].as_str().unwrap().contains(open),
            "the refusal should give the hours: {r}"
        );
    }
    // Refusals for closing time are not PIN failures: no lockout after many tries.
    for _ in 0..5 {
        login_refused(&mut till, "login 14 1414", "closed");
    }
    let r = login_refused(&mut till, "login 14 0000", "bad_pin");
    assert_eq!(r["attempts_left"], 4, "{r}");
    refused(&mut till, "scan 1234", "not_logged_in");

    // The admin may log in at any hour, and is not logged out by the clock guard (it ticks
    // every second).
    let evs = ok(&mut till, "login 1 1111");
    assert_eq!(evs[0]["event"], "logged_in", "{evs:#?}");
    ok(&mut till, "scan 1234");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let s = state(&mut till);
    assert_eq!(
        (
            s["staff_id"].clone(),
            s["session"].clone(),
            s["main_total_cents"].clone()
        ),
        (json!("1"), json!("active"), json!(120))
    );
    let evs = ok(&mut till, "pay main cash");
    assert!(sale(&evs).is_some(), "{evs:#?}");
}

// ---------------------------------------------------------------------------------------------
// The driver itself: it never exits on bad input
// ---------------------------------------------------------------------------------------------

#[test]
fn the_driver_survives_garbage_bytes_invalid_utf8_overlong_lines_and_unknown_commands() {
    let dir = common::seeded_dir();
    let mut till = admin_till(dir.path());
    ok(&mut till, "scan 1234");
    ok(&mut till, "account sub");
    ok(&mut till, "scan 0000");
    let before = state(&mut till);

    let one_error = |evs: Vec<Value>, code: &str, what: &str| {
        assert_eq!(evs.len(), 1, "{what}: {evs:#?}");
        assert_eq!(evs[0]["event"], "error", "{what}: {evs:#?}");
        assert_eq!(evs[0]["code"], code, "{what}: {evs:#?}");
    };
    // Not UTF-8: alone, inside a command, as a lone continuation byte, as an overlong encoding.
    for bytes in [
        &b"\xff\xfe\xfd\n"[..],
        b"scan 12\xc3\x28\n",
        b"scan \x80\n",
        b"login 1 \xc0\xb1111\n",
        b"\xed\xa0\x80\n", // a UTF-16 surrogate
    ] {
        let evs = raw(&mut till, bytes);
        one_error(evs, "bad_command", &format!("{bytes:?}"));
    }
    // Valid UTF-8 garbage: NULs, control characters, binary-looking noise.
    for bytes in [
        &b"\x00\x00\x00\n"[..],
        b"\x1b[2J\x07\n",
        b"\x7fELF\x02\x01\x01\n",
    ] {
        let evs = raw(&mut till, bytes);
        one_error(evs, "unknown_command", &format!("{bytes:?}"));
    }
    // Lines longer than 1024 bytes, from just over to a megabyte; the next line is read normally.
    for len in [1025, 4096, 1 << 20] {
        let mut line = b"scan ".to_vec();
        line.resize(len, b'1');
        line.push(b'\n');
        let evs = raw(&mut till, &line);
        one_error(evs, "bad_command", &format!("a line of {len} bytes"));
    }
    // An overlong line of valid multi-byte characters, cut in the middle of one.
    let mut line = "é".repeat(600).into_bytes();
    line.push(b'\n');
    one_error(raw(&mut till, &line), "bad_command", "600 × é");
    // Unknown commands and near misses.
    for line in [
        "dance",
        "scan1234",
        "paymain cash",
        "lo gin 1 1111",
        "DROP TABLE sales;",
        "{\"cmd\":\"scan\"}",
        "☕",
    ] {
        one_error(till.cmd(line), "unknown_command", line);
    }
    // Empty lines, blank lines and comments are ignored: no event at all.
    for bytes in [
        &b"\n"[..],
        b"\r\n",
        b"   \t  \n",
        b"# scan 1234\n",
        b"\n\n\n",
    ] {
        let evs = raw(&mut till, bytes);
        assert!(evs.is_empty(), "{bytes:?} should be ignored: {evs:#?}");
    }
    assert!(
        till.child.try_wait().unwrap().is_none(),
        "the till exited on bad input"
    );
    assert_eq!(state(&mut till), before, "bad input changed the till");
    assert_eq!(days(dir.path()), "[]\n");

    // Exactly 1024 bytes is still a line (and CRLF endings work), and the till still sells.
    let mut line = b"scan 9012".to_vec();
    line.resize(1024, b' ');
    line.push(b'\n');
    let evs = raw(&mut till, &line);
    assert_eq!(evs[0]["event"], "basket", "a 1024-byte line: {evs:#?}");
    let evs = raw(&mut till, b"pay sub cash\r\n");
    let s = sale(&evs).expect("a sale after all that garbage");
    assert_eq!(
        (s["ticket_no"].clone(), s["paid_cents"].clone()),
        (json!(1), json!(350))
    );
    let seen = till.quit();
    assert!(
        seen.iter().all(|e| e["event"].is_string()),
        "every line on stdout is an event"
    );
}

#[test]
fn a_script_of_bad_input_is_read_to_the_end_and_the_till_exits_cleanly() {
    let dir = common::seeded_dir();
    let mut script: Vec<u8> = Vec::new();
    script.extend_from_slice(b"login 1 1111\nscan 1234\n");
    script.extend_from_slice(b"\xff\xff\n");
    script.extend_from_slice(&vec![b'x'; 5000]);
    script.extend_from_slice(b"\nbogus\n\nqty 1 0\nwithdraw -3\npay main cash 0.5\naccept\n");
    script.extend_from_slice(b"scan 7777\nvoid 9\n# a comment\nlogin 14 1414\n");
    // The last command has no newline: the end of input still ends it.
    script.extend_from_slice(b"status");
    let mut child = common::kaching(dir.path())
        .args(["till", "--headless"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        stdin.write_all(&script).unwrap();
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(
        out.status.success(),
        "the till should exit 0 at the end of its input: {}",
        common::stderr(&out)
    );
    let events: Vec<Value> = common::stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let codes: Vec<&str> = events
        .iter()
        .filter(|e| e["event"] == "error")
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "bad_command",
            "bad_command",
            "unknown_command",
            "bad_quantity",
            "bad_amount",
            "tender_too_low",
            "nothing_pending",
            "unknown_code",
            "bad_line",
            "already_logged_in",
        ],
        "{events:#?}"
    );
    assert!(sale(&events).is_none(), "{events:#?}");
    let status = events.last().unwrap();
    assert_eq!(status["event"], "status", "{events:#?}");
    assert_eq!(
        (
            status["staff_id"].clone(),
            status["main_total_cents"].clone()
        ),
        (json!("1"), json!(120))
    );
    assert_eq!(days(dir.path()), "[]\n");
}

#[test]
fn a_bad_setting_stops_the_till_before_it_starts_and_names_the_key() {
    let dir = common::seeded_dir();
    for (key, value, named) in [
        (
            "KACHING_TILL__MAX_WITHDRAWAL",
            "-100",
            "till.max_withdrawal",
        ),
        (
            "KACHING_TILL__MAX_WITHDRAWAL",
            "cent",
            "till.max_withdrawal",
        ),
        ("KACHING_HOURS__OPEN", "25:00", "hours"),
        ("KACHING_HOURS__CLOSE", "05:00", "hours"),
        ("KACHING_SHOP__TIMEZONE", "Europe/Nowhere", "shop.timezone"),
    ] {
        let out = common::kaching(dir.path())
            .env(key, value)
            .args(["till", "--headless"])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(!out.status.success(), "{key}={value} was accepted");
        let err = common::stderr(&out);
        assert!(
            err.contains(named),
            "{key}={value}: the error should name {named}: {err}"
        );
        assert!(
            !common::stdout(&out).contains("ready"),
            "{key}={value}: the till started anyway"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The command line: catalogue imports and staff
// ---------------------------------------------------------------------------------------------

const HEADER: &str = "code,barcode,name,price,vat_rate\n";
/// Rows 2 and 3 of every bad file: a new article and a price change of an existing one, which a
/// refused import must not apply.
const GOOD_ROWS: &str = "7777,,Gaufre,2.00,6\n1234,1946753214860,Pain au chocolat,9.99,6\n";

/// Imports `csv`, expects a refusal that names `row`, and checks that nothing was imported.
fn refused_import(dir: &Path, csv: &[u8], row: &str) -> String {
    let before = catalogue(dir);
    let file = dir.join("import.csv");
    std::fs::write(&file, csv).unwrap();
    let o = common::run(dir, &["catalog", "import", file.to_str().unwrap()], "");
    let err = common::stderr(&o);
    let shown = String::from_utf8_lossy(csv);
    assert!(!o.status.success(), "{shown:?} was imported: {err}");
    assert!(
        err.contains(row),
        "{shown:?}: the error should name {row}: {err}"
    );
    assert!(err.contains("nothing was imported"), "{shown:?}: {err}");
    assert_eq!(
        catalogue(dir),
        before,
        "{shown:?}: a refused import changed the catalogue"
    );
    err
}

#[test]
fn a_catalogue_with_a_bad_price_is_refused_naming_the_row_and_imports_nothing() {
    let dir = common::seeded_dir();
    let before = catalogue(dir.path());
    for price in [
        "abc",
        "-1.00",
        "-0.01",
        "1.234",
        "\"12,345\"",
        "",
        "\"\"",
        "1.2.3",
        "1 000",
        "€2.00",
        "2.00 EUR",
        "1e2",
        "0x10",
        "+1",
        "1000000.01",
        "99999999999999999999",
    ] {
        let csv = format!("{HEADER}{GOOD_ROWS}8888,,Brioche,{price},6\n");
        let err = refused_import(dir.path(), csv.as_bytes(), "row 4");
        assert!(err.contains("price"), "{price:?}: {err}");
    }
    // A decimal comma must be quoted in a comma-separated file: unquoted, it is a sixth field.
    let csv = format!("{HEADER}{GOOD_ROWS}8888,,Brioche,1,50,6\n");
    refused_import(dir.path(), csv.as_bytes(), "row 4");
    assert_eq!(catalogue(dir.path()), before);

    // The till still sells at the old price and does not know the new article.
    let mut till = admin_till(dir.path());
    let evs = ok(&mut till, "scan 1234");
    assert_eq!(evs[0]["main_total_cents"], 120, "{evs:#?}");
    refused(&mut till, "scan 7777", "unknown_code");
    refused(&mut till, "scan 8888", "unknown_code");
}

#[test]
fn a_catalogue_with_duplicate_codes_or_barcodes_is_refused_naming_the_row() {
    let dir = common::seeded_dir();
    let csv = format!("{HEADER}{GOOD_ROWS}7777,,Autre gaufre,2.50,6\n");
    let err = refused_import(dir.path(), csv.as_bytes(), "row 4");
    assert!(err.contains("7777") && err.contains("row 2"), "{err}");
    // Codes are trimmed: " 1234" is 1234.
    let csv = format!("{HEADER}{GOOD_ROWS}\" 1234\",,Encore,1.00,6\n");
    let err = refused_import(dir.path(), csv.as_bytes(), "row 4");
    assert!(err.contains("row 3"), "{err}");
    // The same barcode twice in the file.
    let csv = format!("{HEADER}{GOOD_ROWS}8888,1946753214860,Brioche,1.00,6\n");
    let err = refused_import(dir.path(), csv.as_bytes(), "row 4");
    assert!(err.contains("1946753214860"), "{err}");
    // A UPC-A and its EAN-13 form are the same barcode.
    let csv = format!(
        "{HEADER}{GOOD_ROWS}8888,012345678905,Brioche,1.00,6\n8889,0012345678905,Bri,1.00,6\n"
    );
    refused_import(dir.path(), csv.as_bytes(), "row 5");
    // A barcode that already belongs to another article in the catalogue.
    let csv = format!("{HEADER}{GOOD_ROWS}8888,4829105637487,Brioche,1.00,6\n");
    let err = refused_import(dir.path(), csv.as_bytes(), "4829105637487");
    assert!(err.contains("8888") && err.contains("0000"), "{err}");
}

#[test]
fn a_catalogue_with_broken_quoting_or_a_bad_row_is_refused_naming_the_row() {
    let dir = common::seeded_dir();
    let bad_rows: [(&[u8], &str); 12] = [
        // An unclosed quote swallows the rest of the file.
        (b"8888,,\"Brioche,1.00,6\n9999,,Baguette,1.00,6\n", "row 4"),
        (b"8888,,Brioche,1.00\n", "row 4"),
        (b"8888,,Brioche,1.00,6,extra\n", "row 4"),
        (b"8888,,Brioche,1.00,7\n", "row 4"),
        (b"8888,,Brioche,1.00,\n", "row 4"),
        (b"8888,1946753214861,Brioche,1.00,6\n", "row 4"),
        (b"8888,ABC,Brioche,1.00,6\n", "row 4"),
        (b"8888,,,1.00,6\n", "row 4"),
        (b",,Brioche,1.00,6\n", "row 4"),
        (b"88 88,,Brioche,1.00,6\n", "row 4"),
        // Latin-1, as a spreadsheet may save it: not UTF-8.
        (b"8888,,Caf\xe9 cr\xe8me,1.00,6\n", "row 4"),
        (b",,,,\n", "row 4"),
    ];
    for (row, named) in bad_rows {
        let mut csv = format!("{HEADER}{GOOD_ROWS}").into_bytes();
        csv.extend_from_slice(row);
        refused_import(dir.path(), &csv, named);
    }
    let long_name = format!("{HEADER}{GOOD_ROWS}8888,,{},1.00,6\n", "B".repeat(81));
    refused_import(dir.path(), long_name.as_bytes(), "row 4");
    // Whole-file problems.
    for (csv, says) in [
        (&b"code,name,price\n7777,Gaufre,2.00\n"[..], "header"),
        (
            b"code;barcode;name;price;vat_rate\n7777;;Gaufre;2.00;6\n",
            "header",
        ),
        (HEADER.as_bytes(), "no products"),
        (b"", "header"),
        (b"\xff\xfe\x00c\x00o\x00d\x00e", "CSV"),
    ] {
        refused_import(dir.path(), csv, says);
    }
    // A file that is not there.
    let before = catalogue(dir.path());
    let o = common::run(
        dir.path(),
        &["catalog", "import", "/nonexistent/products.csv"],
        "",
    );
    assert!(!o.status.success());
    assert!(
        common::stderr(&o).contains("/nonexistent/products.csv"),
        "{}",
        common::stderr(&o)
    );
    assert_eq!(catalogue(dir.path()), before);
}

#[test]
fn a_bad_row_after_a_blank_line_is_named_by_its_row_in_the_file() {
    // A spreadsheet keeps a blank line as an empty row, and an editor counts it: the error must
    // name the row the user will find the bad price on (row 5 here), not the 4th record.
    let dir = common::seeded_dir();
    let csv = format!("{HEADER}{GOOD_ROWS}\n8888,,Brioche,abc,6\n");
    refused_import(dir.path(), csv.as_bytes(), "row 5");
    let csv = format!("{HEADER}\n\n{GOOD_ROWS}8888,,Brioche,1.00,7\n");
    refused_import(dir.path(), csv.as_bytes(), "row 6");
}

#[test]
fn bad_staff_commands_are_refused_and_change_nothing() {
    let dir = common::seeded_dir();
    let list = cli_ok(dir.path(), &["staff", "list"]);
    for (args, pin, says) in [
        (&["staff", "add", "99", "Marie"][..], "12\n", "PIN"),
        (&["staff", "add", "99", "Marie"], "123456789\n", "PIN"),
        (&["staff", "add", "99", "Marie"], "abcd\n", "PIN"),
        (&["staff", "add", "99", "Marie"], "", "PIN"),
        (&["staff", "add", "abc", "Marie"], "1234\n", "abc"),
        (
            &["staff", "add", "123456789", "Marie"],
            "1234\n",
            "123456789",
        ),
        (&["staff", "add", "99", ""], "1234\n", "name"),
        (
            &["staff", "add", "99", "Marie", "--role", "boss"],
            "1234\n",
            "boss",
        ),
        // An existing ID: refused, and its PIN is not replaced.
        (&["staff", "add", "14", "Intruse"], "4321\n", "14"),
        (&["staff", "disable", "999"], "", "999"),
        (&["staff", "disable", "x"], "", "x"),
        (&["staff", "enable", "999"], "", "999"),
    ] {
        let o = common::run(dir.path(), args, pin);
        let err = common::stderr(&o);
        assert!(!o.status.success(), "kaching {args:?} was accepted");
        assert!(
            err.contains(says),
            "kaching {args:?}: the error should say {says}: {err}"
        );
    }
    assert_eq!(cli_ok(dir.path(), &["staff", "list"]), list);
    let mut till = Till::start(dir.path());
    login_refused(&mut till, "login 99 1234", "unknown");
    let r = login_refused(&mut till, "login 14 4321", "bad_pin");
    assert_eq!(r["attempts_left"], 4, "{r}");
}
