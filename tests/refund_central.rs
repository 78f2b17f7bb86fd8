//! A return at another till, through a real MariaDB as the central database: till-2 finds
//! till-1's ticket as `till-1/1`, refunds part of it, and the credit note (pointing at the
//! original, negative lines) reaches the central tables once; till-1 then sees what till-2
//! returned, so the same units are never given back twice across tills.

mod common;

use common::{find_event as find, int, wait_synced};

use std::path::Path;

use common::mysql::TestDb;

fn till(dir: &Path, id: &str, url: &str) -> common::Till {
    let mut cmd = common::kaching(dir);
    cmd.env("KACHING_CENTRAL__URL", url)
        .env("KACHING_TILL__ID", id)
        .env("KACHING_HOURS__OPEN", "00:00")
        .env("KACHING_HOURS__CLOSE", "24:00");
    let mut till = common::Till::start_with(cmd);
    assert!(
        till.cmd("login 1 1111")
            .iter()
            .any(|e| e["event"] == "logged_in")
    );
    till
}

#[test]
fn another_tills_ticket_is_refunded_through_central_and_never_twice() {
    let db = TestDb::create();
    let (one, two) = (common::seeded_dir(), common::seeded_dir());
    let mut migrate = common::kaching(one.path());
    migrate
        .env("KACHING_CENTRAL__URL", &db.url)
        .args(["migrate", "--central"]);
    let o = common::run_cmd(migrate, "");
    assert!(o.status.success(), "{}", common::stderr(&o));
    let mut t1 = till(one.path(), "till-1", &db.url);
    for code in ["4821", "1234", "1234"] {
        t1.cmd(&format!("scan {code}"));
    }
    let sale = find(&t1.cmd("pay main cash 10"), "sale_committed");
    wait_synced(&mut t1);

    let mut t2 = till(two.path(), "till-2", &db.url);
    t2.expect_error("refund till-1/99", "unknown_ticket");
    let rb = find(&t2.cmd("refund till-1/1"), "refund_basket");
    assert_eq!(
        (
            rb["till_id"].as_str(),
            int(&rb, "ticket_no"),
            &rb["original_sale_id"]
        ),
        (Some("till-1"), 1, &sale["sale_id"])
    );
    t2.expect_error("refund_qty 2 3", "over_return");
    t2.cmd("refund_qty 2 1");
    let done = find(&t2.cmd("refund_commit cash retour"), "refund_committed");
    assert_eq!(
        (
            int(&done, "ticket_no"),
            int(&done, "original_ticket_no"),
            int(&done, "refunded_cents")
        ),
        (1, 1, 120)
    );
    // Before it reaches central, till-2 knows its own credit note.
    let rb = find(&t2.cmd("refund till-1/1"), "refund_basket");
    assert_eq!(int(&rb["lines"][1], "returnable"), 1);
    t2.cmd("refund_cancel");
    wait_synced(&mut t2);

    // At till-1, its own ticket shows what till-2 gave back.
    let rb = find(&t1.cmd("refund 1"), "refund_basket");
    assert_eq!(
        (
            int(&rb["lines"][1], "returned"),
            int(&rb["lines"][1], "returnable")
        ),
        (1, 1)
    );
    t1.expect_error("refund_qty 2 2", "over_return");
    t1.cmd("refund_qty 2 1");
    assert!(
        t1.cmd("refund_commit cash le second")
            .iter()
            .any(|e| e["event"] == "refund_committed")
    );
    wait_synced(&mut t1);
    t1.quit();
    t2.quit();

    // Central holds the sale and both credit notes once, pointing at it, negative.
    let id = sale["sale_id"].as_str().unwrap();
    assert_eq!(db.int("SELECT COUNT(*) FROM sales"), 3);
    assert_eq!(
        db.int(&format!(
            "SELECT COUNT(*) FROM sales WHERE kind = 'refund' AND original_sale_id = '{id}' AND original_till_id = 'till-1' AND original_ticket_no = 1"
        )),
        2
    );
    assert_eq!(
        db.int("SELECT CAST(SUM(revenue_cents) AS SIGNED) FROM sales"),
        640 - 120 - 120
    );
    assert_eq!(
        db.int("SELECT CAST(SUM(qty) AS SIGNED) FROM sale_lines WHERE original_line = 2"),
        -2
    );
    assert_eq!(
        db.int("SELECT COUNT(*) FROM sale_lines WHERE qty < 0 AND total_cents = -120 AND unit_cents = 120"),
        2
    );
}
