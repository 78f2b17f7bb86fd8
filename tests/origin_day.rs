//! The 31/05/2026 day of ORIGIN.md, replayed through the headless driver with the clock set to
//! that day by libfaketime (a real process under a faked wall clock, as a Pi whose clock is set
//! would run), gives the report the old till showed: 7 lines, the withdrawal flagged and outside
//! revenue, SOLDE CAISSE 13,70 €, withdrawals 15,00 €, three tickets numbered 1-3.

mod common;

use common::set_time;

use serde_json::{Value, json};

#[test]
fn the_origin_day_replayed_headless_gives_the_origin_report() {
    let dir = common::seeded_dir();
    let time_file = dir.path().join("faketime");
    set_time(&time_file, "2026-05-31 15:22:10");
    let mut cmd = common::kaching(dir.path());
    cmd.env("LD_PRELOAD", common::libfaketime())
        .env("FAKETIME_TIMESTAMP_FILE", &time_file)
        .env("FAKETIME_NO_CACHE", "1")
        // tokio's timers use the monotonic clock: leave it real.
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
        .env("TZ", "Europe/Brussels");
    let mut till = common::Till::start_with(cmd);

    // Khadija: main basket with a cash withdrawal, sub-account with three articles.
    let ev = till.cmd("login 14 1414");
    assert!(ev.iter().any(|e| e["event"] == "logged_in"), "{ev:?}");
    till.cmd("scan 1946753214860"); // Pain au chocolat, by barcode
    till.cmd("scan 0000"); // Café, by article code
    till.cmd("withdraw 15,00");
    till.cmd("account sub");
    till.cmd("scan 9012");
    till.cmd("scan 6051");
    let ev = till.cmd("scan 9056712384908");
    let basket = ev.iter().find(|e| e["event"] == "basket").unwrap();
    assert_eq!(basket["main_total_cents"], 1870);
    assert_eq!(basket["sub_total_cents"], 900);

    set_time(&time_file, "2026-05-31 15:23:54");
    let ev = till.cmd("pay main cash 20");
    let sale = ev
        .iter()
        .find(|e| e["event"] == "sale_committed")
        .expect("main sale");
    assert_eq!(sale["ticket_no"], 1);
    assert_eq!(sale["paid_cents"], 1870);
    assert_eq!(sale["revenue_cents"], 370);
    assert_eq!(sale["withdrawal_cents"], 1500);
    assert_eq!(sale["change_cents"], 130);

    set_time(&time_file, "2026-05-31 15:24:59");
    let ev = till.cmd("pay sub cash");
    let sale = ev
        .iter()
        .find(|e| e["event"] == "sale_committed")
        .expect("sub sale");
    assert_eq!(
        (
            sale["ticket_no"].clone(),
            sale["account"].clone(),
            sale["paid_cents"].clone()
        ),
        (json!(2), json!("sub"), json!(900))
    );
    till.cmd("logout");

    // AWA, later in the afternoon.
    set_time(&time_file, "2026-05-31 17:01:30");
    let ev = till.cmd("login 27 2727");
    assert!(ev.iter().any(|e| e["event"] == "logged_in"), "{ev:?}");
    till.cmd("scan 3792075124138");
    set_time(&time_file, "2026-05-31 17:01:59");
    let ev = till.cmd("pay main cash 2");
    let sale = ev
        .iter()
        .find(|e| e["event"] == "sale_committed")
        .expect("AWA's sale");
    assert_eq!(
        (sale["ticket_no"].clone(), sale["change_cents"].clone()),
        (json!(3), json!(100))
    );
    till.cmd("logout");
    // All three tickets reach the printer (a text file per ticket until the printer issue).
    while till.seen.iter().filter(|e| e["event"] == "printed").count() < 3 {
        till.next().expect("till running");
    }
    till.quit();

    let out = common::run(
        dir.path(),
        &["report", "day", "2026-05-31", "--format", "json"],
        "",
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    let report: Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    let lines: Vec<(String, String, String, i64, String, i64)> = report["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["time"].as_str().unwrap().to_owned(),
                l["seller"].as_str().unwrap().to_owned(),
                l["product"].as_str().unwrap().to_owned(),
                l["qty"].as_i64().unwrap(),
                l["kind"].as_str().unwrap().to_owned(),
                l["total_cents"].as_i64().unwrap(),
            )
        })
        .collect();
    let want = |t: &str, s: &str, p: &str, k: &str, c: i64| {
        (t.to_owned(), s.to_owned(), p.to_owned(), 1, k.to_owned(), c)
    };
    assert_eq!(
        lines,
        vec![
            want("15:23:54", "Khadija", "Pain au chocolat", "item", 120),
            want("15:23:54", "Khadija", "Café", "item", 250),
            want("15:23:54", "Khadija", "RETRAIT ESPÈCES", "withdrawal", 1500),
            want("15:24:59", "Khadija", "Croissant", "item", 100),
            want("15:24:59", "Khadija", "Chocolat noir", "item", 400),
            want("15:24:59", "Khadija", "Déodorant CienMEN", "item", 400),
            want("17:01:59", "AWA", "Croissant", "item", 100),
        ]
    );
    assert_eq!(report["day"], "2026-05-31");
    assert_eq!(report["revenue_cents"], 1370);
    assert_eq!(report["withdrawal_cents"], 1500);
    assert_eq!(report["tickets"], 3);
    let tickets: Vec<i64> = report["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["ticket_no"].as_i64().unwrap())
        .collect();
    assert_eq!(tickets, vec![1, 1, 1, 2, 2, 2, 3]);
    assert_eq!(
        report["by_seller"],
        json!([
            {"seller": "Khadija", "tickets": 2, "revenue_cents": 1270, "withdrawal_cents": 1500,
             "sales_cents": 1270, "refunds": 0, "refund_cents": 0, "discount_cents": 0},
            {"seller": "AWA", "tickets": 1, "revenue_cents": 100, "withdrawal_cents": 0,
             "sales_cents": 100, "refunds": 0, "refund_cents": 0, "discount_cents": 0},
        ])
    );
    assert_eq!(report["by_vat"][0]["rate"], 6);
    assert_eq!(report["by_vat"][0]["gross_cents"], 970);
    assert_eq!(report["by_vat"][1]["rate"], 21);
    assert_eq!(report["by_vat"][1]["gross_cents"], 400);

    // The text report reads like the old till's, with SOLDE CAISSE.
    let txt = common::stdout(&common::run(
        dir.path(),
        &["report", "day", "2026-05-31"],
        "",
    ));
    assert!(txt.contains("SOLDE CAISSE : 13,70 €"), "{txt}");
    assert!(txt.contains("RETRAIT ESPÈCES [retrait]"), "{txt}");

    // The day is listed, and the journal has a row for each day of the period, zero days too.
    let days: Value = serde_json::from_str(&common::stdout(&common::run(
        dir.path(),
        &["report", "days", "--format", "json"],
        "",
    )))
    .unwrap();
    assert_eq!(
        days,
        json!([{"day": "2026-05-31", "tickets": 3, "revenue_cents": 1370, "withdrawal_cents": 1500}])
    );
    let journal: Value = serde_json::from_str(&common::stdout(&common::run(
        dir.path(),
        &[
            "report",
            "journal",
            "2026-05-30",
            "2026-06-01",
            "--format",
            "json",
        ],
        "",
    )))
    .unwrap();
    let per_day: Vec<i64> = journal["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["revenue_cents"].as_i64().unwrap())
        .collect();
    assert_eq!(per_day, vec![0, 1370, 0]);

    // The first ticket carries the sale's local date and time, the seller and the withdrawal.
    let ticket = std::fs::read_to_string(dir.path().join("tickets/till-1-000001.txt")).unwrap();
    assert!(ticket.contains(" Date : 31/05/2026 15:23:54"), "{ticket}");
    assert!(ticket.contains(" Vendeur: Khadija"), "{ticket}");
    assert!(ticket.contains("RETRAIT ESPÈCES"), "{ticket}");
    assert!(ticket.contains("18,70 €"), "{ticket}");
    let sub_ticket = std::fs::read_to_string(dir.path().join("tickets/till-1-000002.txt")).unwrap();
    assert!(sub_ticket.contains(" SOUS-COMPTE"), "{sub_ticket}");

    let verify = common::run(dir.path(), &["verify"], "");
    assert!(verify.status.success(), "{}", common::stdout(&verify));
}
