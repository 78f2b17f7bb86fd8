//! Refunds and discounts everywhere they count: one till, one day, driven through the headless
//! driver like a cashier would, with a central MariaDB database and its wall clock frozen by
//! libfaketime (Thursday 3 December 2026, Brussels).
//!
//! The day, worked out by hand (6 %: café 2,50 €, pain au chocolat 1,20 €; 21 %: déodorant
//! 4,00 €; ADMIN is a manager, so no discount or refund waits for an approval):
//!
//! | # | kind   | seller  | tender | line (qty)          | gross  | discount            | net    |
//! |---|--------|---------|--------|---------------------|--------|---------------------|--------|
//! | 1 | sale   | ADMIN   | cash   | déodorant (2), 21 % | 8,00   | 15 % 1,20 + 0,68    | 6,12   |
//! |   |        |         |        | café (3), 6 %       | 7,50   | 0,74 + 0,68         | 6,08   |
//! |   |        |         |        | pain choc. (2), 6 % | 2,40   | price 0,95: 0,50 + 0,19 | 1,71 |
//! | 2 | refund | ADMIN   | cash   | café (−1), 6 %      | −2,50  | −0,47 (given back)  | −2,03  |
//! | 3 | sale   | Khadija | QR     | café (1), 6 %       | 2,50   |                     | 2,50   |
//! |   |        |         |        | déodorant (1), 21 % | 4,00   |                     | 4,00   |
//! | 4 | refund | ADMIN   | cash   | déodorant (−1), 21 %| −4,00  |                     | −4,00  |
//!
//! Ticket 1: the basket discount of 10 % is taken on what the lines cost after their own
//! discounts (6,80 + 6,76 + 1,90 = 15,46 €): 1,546 → 1,55 €, spread 0,68 + 0,68 + 0,19 (the
//! largest remainder takes the odd cent). 13,91 € paid 13,90 € in cash (rounding −0,01), 20,00 €
//! tendered. Ticket 2 gives back one of the three cafés of ticket 1: 6,08 × 1/3 = 2,0267 →
//! 2,03 €, paid back 2,05 € in cash (rounding −0,02). Ticket 4 gives back Khadija's déodorant in
//! cash: a credit note counts for ADMIN, who made it.
//!
//! | per VAT rate | sales  | credit notes | net (incl. VAT) | VAT  | without VAT | discounts |
//! |--------------|--------|--------------|-----------------|------|-------------|-----------|
//! | 6 %          | 10,29  | −2,03        | 8,26            | 0,47 | 7,79        | 1,64      |
//! | 21 %         | 10,12  | −4,00        | 6,12            | 1,06 | 5,06        | 1,88      |
//! | total        | 20,41  | −6,03        | 14,38           |      |             | 3,52      |
//!
//! Discounts are net of the share credit notes gave back (3,99 − 0,47); one sale had some.
//! The drawer: float 50,00 + 13,90 (cash sale) − 2,05 − 4,00 (cash credit notes) = 57,85 €,
//! counted exactly: difference 0. Rounding −0,03 €, outside revenue and VAT.

mod common;

use common::{
    central_cmd, central_json as json, central_stdout as run, find_event as find, int as cents,
    set_time, wait_synced,
};

use std::collections::BTreeMap;

use common::mysql::TestDb;
use serde_json::Value;

const DAY: &str = "2026-12-03";

fn login(till: &mut common::Till, id: &str, pin: &str) {
    let ev = till.cmd(&format!("login {id} {pin}"));
    assert!(ev.iter().any(|e| e["event"] == "logged_in"), "{ev:#?}");
}

/// `refund <ticket>`, `refund_qty <line> 1`, `refund_commit cash <reason>`: the credit note.
fn cash_refund(till: &mut common::Till, ticket: i64, line: u32, reason: &str) -> Value {
    find(&till.cmd(&format!("refund {ticket}")), "refund_basket");
    find(&till.cmd(&format!("refund_qty {line} 1")), "refund_basket");
    find(
        &till.cmd(&format!("refund_commit cash {reason}")),
        "refund_committed",
    )
}

/// A report's per-rate figures: percent → [sales, credit notes, net, VAT, discounts].
fn per_rate(by_vat: &Value) -> BTreeMap<i64, [i64; 5]> {
    by_vat
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| cents(v, "sales_cents") != 0 || cents(v, "refund_cents") != 0)
        .map(|v| {
            (
                cents(v, "rate"),
                [
                    cents(v, "sales_cents"),
                    cents(v, "refund_cents"),
                    cents(v, "gross_cents"),
                    cents(v, "vat_cents"),
                    cents(v, "discount_cents"),
                ],
            )
        })
        .collect()
}

/// The hand-computed table per VAT rate (see the module doc).
fn expected_rates() -> BTreeMap<i64, [i64; 5]> {
    BTreeMap::from([
        (6, [1029, -203, 826, 47, 164]),
        (21, [1012, -400, 612, 106, 188]),
    ])
}

#[test]
fn refunds_and_discounts_count_in_the_day_report_the_journal_the_z_and_the_central_database() {
    let db = TestDb::create();
    let dir = common::seeded_dir();
    let (path, url) = (dir.path(), db.url.as_str());
    run(path, url, &["migrate", "--central"]);

    let clock = path.join("faketime");
    set_time(&clock, "2026-12-03 10:00:00");
    let mut cmd = central_cmd(path, url);
    cmd.env("KACHING_PAYMENT__LAN_BIND", "127.0.0.1:0")
        .env("LD_PRELOAD", common::libfaketime())
        .env("FAKETIME_TIMESTAMP_FILE", &clock)
        .env("FAKETIME_NO_CACHE", "1")
        // tokio's timers use the monotonic clock: leave it real.
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
        .env("TZ", "Europe/Brussels");
    let mut till = common::Till::start_with(cmd);
    login(&mut till, "1", "1111");
    find(&till.cmd("drawer open 50"), "drawer_opened");

    // Ticket 1: three lines at two rates, every kind of discount.
    set_time(&clock, "2026-12-03 10:01:00");
    for code in ["4821", "4821", "0000", "0000", "0000", "1234", "1234"] {
        till.cmd(&format!("scan {code}"));
    }
    till.cmd("discount 1 15%");
    till.cmd("discount 2 0,74");
    till.cmd("price 3 0,95");
    let basket = find(&till.cmd("discount basket 10%"), "basket");
    let lines: Vec<(i64, i64, i64)> = basket["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                cents(l, "qty"),
                cents(l, "discount_cents"),
                cents(l, "total_cents"),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [(2, 188, 612), (3, 142, 608), (2, 69, 171)],
        "{basket}"
    );
    assert_eq!(
        (
            cents(&basket, "discount_cents"),
            cents(&basket, "total_cents")
        ),
        (399, 1391),
        "{basket}"
    );
    let sale1 = find(&till.cmd("pay main cash 20"), "sale_committed");
    assert_eq!(
        [
            cents(&sale1, "ticket_no"),
            cents(&sale1, "revenue_cents"),
            cents(&sale1, "paid_cents"),
            cents(&sale1, "rounding_cents"),
            cents(&sale1, "change_cents"),
            cents(&sale1, "discount_cents"),
        ],
        [1, 1391, 1390, -1, 610, 399],
        "{sale1}"
    );

    // Ticket 2: one of the three cafés comes back, in cash.
    set_time(&clock, "2026-12-03 10:05:00");
    let refund_a = cash_refund(&mut till, 1, 2, "goût");
    assert_eq!(
        [
            cents(&refund_a, "ticket_no"),
            cents(&refund_a, "refunded_cents"),
            cents(&refund_a, "rounding_cents"),
        ],
        [2, 205, -2],
        "{refund_a}"
    );
    assert_eq!(refund_a["method"], "cash");
    till.cmd("logout");

    // Ticket 3: Khadija sells a café and a déodorant, paid by QR on the customer's phone.
    set_time(&clock, "2026-12-03 10:10:00");
    login(&mut till, "14", "1414");
    till.cmd("scan 0000");
    till.cmd("scan 4821");
    let pending = find(&till.cmd("pay main"), "payment_pending");
    assert_eq!(cents(&pending, "amount_cents"), 650);
    let (status, page) = common::phone_confirms(pending["pay_url"].as_str().unwrap());
    assert!(matches!(status, 200 | 303), "{status}: {page}");
    till.wait_for("payment_accepted");
    let (_, sale3) = till.cmd_awaiting("accept", "sale_committed");
    assert_eq!(
        (
            sale3["method"].as_str(),
            cents(&sale3, "ticket_no"),
            cents(&sale3, "paid_cents")
        ),
        (Some("qr"), 3, 650),
        "{sale3}"
    );
    till.cmd("logout");

    // Ticket 4: ADMIN gives Khadija's customer the déodorant's money back, in cash.
    set_time(&clock, "2026-12-03 10:15:00");
    login(&mut till, "1", "1111");
    let refund_b = cash_refund(&mut till, 3, 2, "défectueux");
    assert_eq!(
        [
            cents(&refund_b, "ticket_no"),
            cents(&refund_b, "refunded_cents"),
            cents(&refund_b, "rounding_cents"),
        ],
        [4, 400, 0],
        "{refund_b}"
    );

    // The X so far, then the Z: 50,00 + 13,90 − 2,05 − 4,00 = 57,85 € counted exactly.
    set_time(&clock, "2026-12-03 10:20:00");
    let x = find(&till.cmd("report x"), "drawer_report")["report"].clone();
    set_time(&clock, "2026-12-03 10:21:00");
    let z = find(&till.cmd("drawer close 57.85"), "drawer_report")["report"].clone();
    for r in [&x, &z] {
        let figures: Vec<i64> = [
            "tickets",
            "refunds",
            "discounts",
            "revenue_cents",
            "discounts_cents",
            "cash_cents",
            "qr_cents",
            "refunds_cents",
            "refunds_cash_cents",
            "rounding_cents",
            "float_cents",
            "expected_cents",
        ]
        .iter()
        .map(|k| cents(r, k))
        .collect();
        assert_eq!(
            figures,
            [2, 2, 1, 1438, 352, 1390, 650, -605, -605, -3, 5000, 5785],
            "{r}"
        );
        // Nothing paid back by QR: left out of the report, as every zero added after Zs
        // were first sealed.
        assert!(r.get("refunds_qr_cents").is_none(), "{r}");
        let rates: BTreeMap<i64, [i64; 4]> = r["by_vat"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    cents(v, "rate_pct"),
                    [
                        cents(v, "gross_cents"),
                        cents(v, "vat_cents"),
                        cents(v, "refunds_cents"),
                        cents(v, "discount_cents"),
                    ],
                )
            })
            .collect();
        assert_eq!(
            rates,
            BTreeMap::from([(6, [826, 47, -203, 164]), (21, [612, 106, -400, 188])]),
            "{r}"
        );
    }
    assert_eq!(
        (cents(&z, "counted_cents"), cents(&z, "difference_cents")),
        (5785, 0),
        "{z}"
    );
    wait_synced(&mut till);
    till.quit();

    // The day report, local and central: the same document, to the cent.
    let day = |source: &str| {
        json(
            path,
            url,
            &["report", "day", DAY, "--format", "json", "--source", source],
        )
    };
    let (local, central) = (day("local"), day("central"));
    assert_eq!(local, central, "the local and the central day report");
    assert_eq!(
        [
            "tickets",
            "refunds",
            "discounts",
            "sales_cents",
            "refund_cents",
            "revenue_cents",
            "discount_cents",
            "rounding_cents",
            "withdrawal_cents",
        ]
        .map(|k| cents(&local, k)),
        [2, 2, 1, 2041, -603, 1438, 352, -3, 0],
        "{local}"
    );
    assert_eq!(per_rate(&local["by_vat"]), expected_rates());
    let net_per_rate: BTreeMap<i64, i64> = local["by_vat"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (cents(v, "rate"), cents(v, "net_cents")))
        .collect();
    assert_eq!(net_per_rate, BTreeMap::from([(6, 779), (21, 506)]));
    let sellers: Vec<(String, [i64; 6])> = local["by_seller"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["seller"].as_str().unwrap().to_owned(),
                [
                    "tickets",
                    "sales_cents",
                    "refunds",
                    "refund_cents",
                    "revenue_cents",
                    "discount_cents",
                ]
                .map(|k| cents(s, k)),
            )
        })
        .collect();
    assert_eq!(
        sellers,
        [
            ("ADMIN".to_owned(), [1, 1391, 2, -603, 788, 352]),
            ("Khadija".to_owned(), [1, 650, 0, 0, 650, 0]),
        ]
    );
    // Each credit note's line is marked, negative, and says what discount it gave back.
    let refund_lines: Vec<(i64, i64, i64, i64)> = local["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["refund"] == true)
        .map(|l| {
            (
                cents(l, "ticket_no"),
                cents(l, "qty"),
                cents(l, "total_cents"),
                cents(l, "discount_cents"),
            )
        })
        .collect();
    assert_eq!(refund_lines, [(2, -1, -203, -47), (4, -1, -400, 0)]);
    let text = run(path, url, &["report", "day", DAY, "--source", "central"]);
    assert_eq!(text, run(path, url, &["report", "day", DAY]));
    for needle in [
        "Café [note de crédit]",
        "Ventes : 20,41 €\nNotes de crédit (2) : -6,03 €\nSOLDE CAISSE : 14,38 €\n",
        "Remises (déjà déduites, 1 vente) : 3,52 €\n",
        "Arrondi espèces (hors total) : -0,03 €\nTickets : 2\n",
    ] {
        assert!(text.contains(needle), "{needle:?} not in\n{text}");
    }
    let csv = run(path, url, &["report", "day", DAY, "--format", "csv"]);
    assert_eq!(
        csv.lines().filter(|l| l.ends_with(",refund")).count(),
        2,
        "{csv}"
    );
    let pdf = path.join("day.pdf");
    run(
        path,
        url,
        &[
            "report",
            "day",
            DAY,
            "--format",
            "pdf",
            "--output",
            pdf.to_str().unwrap(),
        ],
    );
    let pdf = String::from_utf8_lossy(&std::fs::read(pdf).unwrap()).into_owned();
    assert!(pdf.contains("0 0.3 0.75 rg"), "credit notes in blue");

    // The journal des recettes, local and central: net per rate, credit notes and discounts.
    let journal = |source: &str| {
        json(
            path,
            url,
            &[
                "report", "journal", DAY, DAY, "--format", "json", "--source", source,
            ],
        )
    };
    let (local_j, central_j) = (journal("local"), journal("central"));
    assert_eq!(local_j, central_j, "the local and the central journal");
    let jday = &local_j["days"][0];
    assert_eq!(
        [
            "tickets",
            "refunds",
            "sales_cents",
            "refund_cents",
            "revenue_cents",
            "discount_cents",
            "rounding_cents",
        ]
        .map(|k| cents(jday, k)),
        [2, 2, 2041, -603, 1438, 352, -3],
        "{jday}"
    );
    assert_eq!(per_rate(&jday["by_vat"]), expected_rates());
    assert_eq!(per_rate(&local_j["by_vat"]), expected_rates());
    let text = run(path, url, &["report", "journal", DAY, DAY]);
    assert!(
        text.lines().any(
            |l| l.starts_with("03/12/2026         2        2      14,38 €")
                && l.ends_with("     -6,03 €      3,52 €    -0,03 €")
        ),
        "{text}"
    );

    // The Z, as the till sealed it and as the central database has it (seal checked).
    let z_local = json(path, url, &["report", "z", "1", "--format", "json"]);
    let z_central = json(
        path,
        url,
        &[
            "report", "z", "1", "--source", "central", "--till", "till-1", "--format", "json",
        ],
    );
    assert_eq!((&z_local, &z_central), (&z, &z));
    let text = run(path, url, &["report", "z", "1"]);
    for needle in [
        "Notes de crédit",
        "Remboursé en espèces",
        "Ventes avec remise",
    ] {
        assert!(text.contains(needle), "{needle:?} not in\n{text}");
    }

    // The central tables themselves, to the cent.
    assert_eq!(
        [
            "SELECT CAST(SUM(kind = 'sale') AS SIGNED) FROM sales",
            "SELECT CAST(SUM(kind = 'refund') AS SIGNED) FROM sales",
            "SELECT CAST(SUM(revenue_cents) AS SIGNED) FROM sales",
            "SELECT CAST(SUM(IF(kind = 'refund', revenue_cents, 0)) AS SIGNED) FROM sales",
            "SELECT CAST(SUM(discount_cents) AS SIGNED) FROM sales",
            "SELECT CAST(SUM(paid_cents) AS SIGNED) FROM sales",
            "SELECT CAST(SUM(IF(method = 'cash', paid_cents, 0)) AS SIGNED) FROM sales",
            "SELECT CAST(SUM(rounding_cents) AS SIGNED) FROM sales",
            "SELECT CAST(SUM(discount_cents) AS SIGNED) FROM sale_lines",
            "SELECT CAST(SUM(total_cents) AS SIGNED) FROM sale_lines",
        ]
        .map(|q| db.int(q)),
        [2, 2, 1438, -603, 352, 1435, 785, -3, 352, 1438]
    );
    let central_rates = db.strings(
        "SELECT CONCAT(l.vat_rate, ' ', SUM(IF(s.kind = 'sale', l.total_cents, 0)), ' ', \
         SUM(IF(s.kind = 'refund', l.total_cents, 0)), ' ', SUM(l.total_cents), ' ', \
         SUM(l.discount_cents)) FROM sales s JOIN sale_lines l ON l.sale_id = s.id \
         GROUP BY l.vat_rate ORDER BY l.vat_rate",
    );
    assert_eq!(
        central_rates,
        ["6 1029 -203 826 164", "21 1012 -400 612 188"]
    );
    // The credit notes name what they reverse.
    assert_eq!(
        db.strings(
            "SELECT CONCAT(ticket_no, ' ', original_ticket_no, ' ', method, ' ', approved_by) \
             FROM sales WHERE kind = 'refund' ORDER BY ticket_no"
        ),
        ["2 1 cash 1", "4 3 cash 1"]
    );

    // Reconciliation counts the credit notes on both sides, and the QR sale has its payment.
    let text = run(path, url, &["--lang", "en", "report", "reconcile", DAY]);
    let row = text
        .lines()
        .find(|l| l.starts_with("till-1"))
        .unwrap_or_else(|| panic!("no till-1 row in\n{text}"));
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(
        cells,
        ["till-1", "2", "2", "€14.38", "2", "2", "€14.38", "0"],
        "{text}"
    );
    assert!(text.contains("every payment has its sale"), "{text}");

    let verify = common::run(path, &["verify"], "");
    assert!(
        verify.status.success(),
        "{}{}",
        common::stdout(&verify),
        common::stderr(&verify)
    );
}
