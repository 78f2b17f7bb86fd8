//! The journal des recettes and the central database agree with the Z reports of the period.
//!
//! A till with a central MariaDB database, its wall clock moved by libfaketime, runs two drawer
//! sessions over two days (1 and 2 December 2026): cash sales whose totals end in 1, 2, 3, 4, 6,
//! 7, 8 and 9 cents (rounded to 5 cents), QR sales (never rounded), withdrawals (one paid by QR,
//! one in cash), a voided line in each session (one of them before the session auto-opened), a
//! session that starts on the first day and closes on the second. After the sync, for the
//! period: the local journal, the central journal and the sum of the Z reports have the same
//! revenue, the same gross per VAT rate and the same rounding, each figure worked out by hand
//! below; each Z counts its void; the day reports, local and central, agree to the cent,
//! rounding included; and what the cash sales brought in is their revenue + withdrawals +
//! rounding, which is the Z reports' cash.

mod common;

use common::{
    central_cmd, central_json as json, find_event as find, int as cents, set_time, wait_synced,
};

use std::collections::BTreeMap;

use common::mysql::TestDb;
use serde_json::Value;

/// Scans `codes`, pays in cash with `tendered`, and checks the sale's goods and rounding.
fn cash_sale(till: &mut common::Till, codes: &[&str], tendered: &str, goods: i64, rounding: i64) {
    for c in codes {
        till.cmd(&format!("scan {c}"));
    }
    let sale = find(
        &till.cmd(&format!("pay main cash {tendered}")),
        "sale_committed",
    );
    assert_eq!(
        (
            sale["method"].as_str(),
            cents(&sale, "revenue_cents") + cents(&sale, "withdrawal_cents"),
            cents(&sale, "rounding_cents"),
            cents(&sale, "paid_cents")
        ),
        (Some("cash"), goods, rounding, goods + rounding),
        "{codes:?}: {sale}"
    );
}

/// Scans `codes`, pays by QR on the customer's phone, and checks the sale is not rounded.
fn qr_sale(till: &mut common::Till, codes: &[&str], paid: i64) {
    for c in codes {
        till.cmd(&format!("scan {c}"));
    }
    let pending = find(&till.cmd("pay main"), "payment_pending");
    let (status, page) = common::phone_confirms(pending["pay_url"].as_str().unwrap());
    assert!(matches!(status, 200 | 303), "{status}: {page}");
    till.wait_for("payment_accepted");
    let (_, sale) = till.cmd_awaiting("accept", "sale_committed");
    assert_eq!(
        (
            sale["method"].as_str(),
            cents(&sale, "paid_cents"),
            cents(&sale, "rounding_cents")
        ),
        (Some("qr"), paid, 0),
        "{sale}"
    );
}

/// Gross per VAT rate (percent → cents) of a journal's or day report's `by_vat`.
fn journal_vat(by_vat: &Value) -> BTreeMap<i64, i64> {
    by_vat
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (cents(v, "rate"), cents(v, "gross_cents")))
        .filter(|(_, g)| *g != 0)
        .collect()
}

/// Gross per VAT rate of the Z reports, added up.
fn z_vat(zs: &[Value]) -> BTreeMap<i64, i64> {
    let mut out = BTreeMap::new();
    for z in zs {
        for v in z["by_vat"].as_array().unwrap() {
            *out.entry(cents(v, "rate_pct")).or_insert(0) += cents(v, "gross_cents");
        }
    }
    out
}

#[test]
fn the_journal_des_recettes_and_the_central_database_agree_with_the_z_reports_of_the_period() {
    let db = TestDb::create();
    let dir = common::seeded_dir_with_cent_prices();
    let (path, url) = (dir.path(), db.url.as_str());
    let migrated = common::run_cmd(
        {
            let mut c = central_cmd(path, url);
            c.args(["migrate", "--central"]);
            c
        },
        "",
    );
    assert!(migrated.status.success(), "{}", common::stderr(&migrated));

    let clock = path.join("faketime");
    set_time(&clock, "2026-12-01 09:00:00");
    let mut cmd = central_cmd(path, url);
    cmd.env("KACHING_PAYMENT__LAN_BIND", "127.0.0.1:0")
        .env("LD_PRELOAD", common::libfaketime())
        .env("FAKETIME_TIMESTAMP_FILE", &clock)
        .env("FAKETIME_NO_CACHE", "1")
        // tokio's timers use the monotonic clock: leave it real.
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
        .env("TZ", "Europe/Brussels");
    let mut till = common::Till::start_with(cmd);
    assert!(
        till.cmd("login 1 1111")
            .iter()
            .any(|e| e["event"] == "logged_in")
    );

    // Tuesday 1 December, session 1 (a counted float of 100,00 €). Articles 90d cost 1,0d €
    // at 21 %; 1234 is a pain au chocolat at 1,20 € at 6 %.
    find(&till.cmd("drawer open 100"), "drawer_opened");
    for (i, (code, goods, rounding)) in [
        ("901", 101, -1),
        ("902", 102, -2),
        ("903", 103, 2),
        ("904", 104, 1),
    ]
    .into_iter()
    .enumerate()
    {
        set_time(&clock, &format!("2026-12-01 09:0{}:00", i + 1));
        cash_sale(&mut till, &[code], "5", goods, rounding);
    }
    // By QR, 1,20 € with a 20,00 € withdrawal: 21,20 €, not rounded; 20,00 € leave the drawer.
    set_time(&clock, "2026-12-01 09:05:00");
    till.cmd("withdraw 20");
    qr_sale(&mut till, &["1234"], 2120);
    // A pain au chocolat scanned by mistake and voided: 1,06 € paid 1,05 €.
    set_time(&clock, "2026-12-01 09:06:00");
    till.cmd("scan 906");
    till.cmd("scan 1234");
    let basket = find(&till.cmd("void 2"), "basket");
    assert_eq!(basket["main_total_cents"], 106, "{basket}");
    cash_sale(&mut till, &[], "5", 106, -1);
    // Z 1: 100,00 + 1,00 + 1,00 + 1,05 + 1,05 + 1,05 − 20,00 = 85,15 € expected, and counted.
    set_time(&clock, "2026-12-01 09:10:00");
    let z1 = find(&till.cmd("drawer close 85.15"), "drawer_report")["report"].clone();
    assert_eq!(
        (
            cents(&z1, "z_no"),
            cents(&z1, "tickets"),
            cents(&z1, "voids"),
            cents(&z1, "revenue_cents"),
            cents(&z1, "rounding_cents"),
            cents(&z1, "cash_cents"),
            cents(&z1, "qr_cents"),
            cents(&z1, "withdrawals_cents"),
            cents(&z1, "expected_cents"),
            cents(&z1, "difference_cents"),
        ),
        (1, 6, 1, 636, -1, 515, 2120, 2000, 8515, 0),
        "{z1}"
    );

    // Late afternoon: a line voided before any drawer is open, then a cash sale that opens
    // session 2 by itself; it closes the next morning.
    set_time(&clock, "2026-12-01 16:00:00");
    till.cmd("scan 908");
    till.cmd("void 1");
    set_time(&clock, "2026-12-01 16:01:00");
    cash_sale(&mut till, &["907"], "5", 107, -2);
    till.cmd("logout");

    // Wednesday 2 December.
    set_time(&clock, "2026-12-02 09:00:00");
    assert!(
        till.cmd("login 1 1111")
            .iter()
            .any(|e| e["event"] == "logged_in")
    );
    set_time(&clock, "2026-12-02 09:01:00");
    qr_sale(&mut till, &["909"], 109);
    set_time(&clock, "2026-12-02 09:02:00");
    cash_sale(&mut till, &["908"], "5", 108, 2);
    set_time(&clock, "2026-12-02 09:03:00");
    cash_sale(&mut till, &["909"], "5", 109, 1);
    // 1,03 € with a 10,00 € withdrawal, in cash: 11,03 € rounded to 11,05 €.
    set_time(&clock, "2026-12-02 09:04:00");
    till.cmd("withdraw 10");
    cash_sale(&mut till, &["903"], "20", 1103, 2);
    // Z 2: 0,00 + 1,05 + 1,10 + 1,10 + 11,05 − 10,00 = 4,30 €.
    set_time(&clock, "2026-12-02 09:10:00");
    let z2 = find(&till.cmd("drawer close 4.30"), "drawer_report")["report"].clone();
    assert_eq!(
        (
            cents(&z2, "z_no"),
            cents(&z2, "tickets"),
            cents(&z2, "voids"),
            cents(&z2, "revenue_cents"),
            cents(&z2, "rounding_cents"),
            cents(&z2, "cash_cents"),
            cents(&z2, "qr_cents"),
            cents(&z2, "withdrawals_cents"),
            cents(&z2, "expected_cents"),
            cents(&z2, "difference_cents"),
        ),
        (2, 5, 1, 536, 3, 1430, 109, 1000, 430, 0),
        "{z2}"
    );
    assert_eq!(z2["float_counted"], false);
    wait_synced(&mut till);
    till.quit();

    // The Z reports, as the till keeps them and as the central database has them (seal checked).
    let zs = [z1, z2];
    for z in &zs {
        let no = z["z_no"].to_string();
        let local = json(path, url, &["report", "z", &no, "--format", "json"]);
        let central = json(
            path,
            url,
            &[
                "report", "z", &no, "--source", "central", "--till", "till-1", "--format", "json",
            ],
        );
        assert_eq!((&local, &central), (z, z));
    }
    let z_sum = |k: &str| zs.iter().map(|z| cents(z, k)).sum::<i64>();

    // The journal des recettes of the period, local and central: the same document.
    let (from, to) = ("2026-12-01", "2026-12-02");
    let journal = |source: &str| {
        json(
            path,
            url,
            &[
                "report", "journal", from, to, "--format", "json", "--source", source,
            ],
        )
    };
    let (local, central) = (journal("local"), journal("central"));
    assert_eq!(local, central, "the local and the central journal");
    // Revenue: 6,36 (Z 1) + 5,36 (Z 2) = 11,72 €; the days split session 2 at midnight:
    // 6,36 + 1,07 = 7,43 € on the 1st, 4,29 € on the 2nd.
    assert_eq!(cents(&local, "revenue_cents"), z_sum("revenue_cents"));
    assert_eq!(cents(&local, "revenue_cents"), 1172);
    let days: Vec<(i64, i64, i64)> = local["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                cents(d, "tickets"),
                cents(d, "revenue_cents"),
                cents(d, "rounding_cents"),
            )
        })
        .collect();
    assert_eq!(days, [(7, 743, -3), (4, 429, 5)]);
    // Per VAT rate: 6 % 1,20 €; 21 % 10,52 €.
    assert_eq!(journal_vat(&local["by_vat"]), z_vat(&zs));
    assert_eq!(
        journal_vat(&local["by_vat"]),
        BTreeMap::from([(6, 120), (21, 1052)])
    );
    // Rounding: −1 − 2 + 2 + 1 − 1 − 2 on the 1st, + 2 + 1 + 2 on the 2nd: +0,02 €, which is
    // Z 1's −0,01 € and Z 2's +0,03 €.
    assert_eq!(cents(&local, "rounding_cents"), z_sum("rounding_cents"));
    assert_eq!(cents(&local, "rounding_cents"), 2);
    assert_eq!(
        db.int("SELECT CAST(SUM(rounding_cents) AS SIGNED) FROM sales"),
        2
    );

    // What the cash sales brought in is their revenue + withdrawals + rounding: the Zs' cash.
    assert_eq!(
        db.int(
            "SELECT CAST(SUM(revenue_cents + withdrawal_cents + rounding_cents) AS SIGNED) \
             FROM sales WHERE method = 'cash'"
        ),
        z_sum("cash_cents")
    );
    assert_eq!(z_sum("cash_cents"), 1945);
    assert_eq!(
        db.int("SELECT CAST(SUM(paid_cents) AS SIGNED) FROM sales"),
        z_sum("cash_cents") + z_sum("qr_cents")
    );

    // The day reports, local and central, agree line for line and to the cent.
    for (day, revenue, rounding, tickets) in [(from, 743, -3, 7), (to, 429, 5, 4)] {
        let report = |source: &str| {
            json(
                path,
                url,
                &["report", "day", day, "--format", "json", "--source", source],
            )
        };
        let (local, central) = (report("local"), report("central"));
        assert_eq!(local, central, "the day report of {day}");
        assert_eq!(
            (
                cents(&local, "revenue_cents"),
                cents(&local, "rounding_cents"),
                cents(&local, "tickets")
            ),
            (revenue, rounding, tickets),
            "{local}"
        );
        let per_ticket: i64 = local["roundings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| cents(r, "rounding_cents"))
            .sum();
        assert_eq!(per_ticket, rounding);
    }

    // And the ledger's chains, sales and Z reports, are intact.
    let verify = common::run(path, &["verify"], "");
    assert!(
        verify.status.success(),
        "{}{}",
        common::stdout(&verify),
        common::stderr(&verify)
    );
}
