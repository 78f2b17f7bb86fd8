//! Killing the till with SIGKILL at random moments during a loop of sales loses nothing: every
//! `sale_committed` the till printed before it died is in the ledger after restart, ticket
//! numbers have no gap, and `kaching verify` finds the hash chain intact. Then `verify` is shown
//! to fail when a sale is altered or removed behind the ledger's back.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use kaching::store::Ledger;

const KILLS: usize = 25;
/// Sales queued per round: more than a till can make before the kill (at most 400 ms), so the
/// kill lands mid-stream, and few enough to fit a pipe buffer (about 25 KiB of commands).
const SALES_PER_ROUND: usize = 600;

#[test]
fn sigkill_at_random_moments_loses_no_committed_sale_and_leaves_no_gap() {
    let mut rng = common::rng::Rng::from_env("KACHING_CRASH_SEED", "crash test");
    let dir = common::seeded_dir();
    let mut committed: BTreeSet<String> = BTreeSet::new();
    let mut kills_mid_stream = 0;
    for round in 0..KILLS {
        let mut till = common::Till::start(dir.path());
        // The admin is exempt from opening hours, so the test runs at any hour.
        let ev = till.cmd("login 1 1111");
        assert!(
            ev.iter().any(|e| e["event"] == "logged_in"),
            "round {round}: {ev:?}"
        );
        // Queue a burst of sales without waiting, then kill after a random delay.
        let mut script = String::new();
        for i in 0..SALES_PER_ROUND {
            let code = ["1234", "0000", "9012", "1946753214860"][i % 4];
            script.push_str(&format!("scan {code}\nscan 9630\n"));
            if i % 5 == 0 {
                script.push_str("withdraw 5\n");
            }
            script.push_str("pay main cash 50\n");
        }
        till.send_raw(script.as_bytes());
        std::thread::sleep(Duration::from_millis(rng.next() % 400));
        till.child.kill().unwrap(); // SIGKILL
        till.child.wait().unwrap();
        let mut seen_here = 0;
        while let Some(ev) = till.next() {
            if ev["event"] == "sale_committed" {
                committed.insert(ev["sale_id"].as_str().unwrap().to_owned());
                seen_here += 1;
            }
        }
        if seen_here < SALES_PER_ROUND {
            kills_mid_stream += 1;
        }
        drop(till);

        let ledger = Ledger::open_in(dir.path()).unwrap();
        for id in &committed {
            ledger
                .sale(id)
                .unwrap_or_else(|e| panic!("round {round}: sale {id} announced but lost: {e}"));
        }
        let numbers = ledger.ticket_numbers("till-1").unwrap();
        let n = numbers.len() as i64;
        assert_eq!(
            numbers,
            (1..=n).collect::<Vec<_>>(),
            "round {round}: ticket numbers have a gap"
        );
        assert!(n as usize >= committed.len());
        drop(ledger);
        let verify = common::run(dir.path(), &["verify"], "");
        assert!(
            verify.status.success(),
            "round {round}: {}",
            common::stdout(&verify)
        );
    }
    assert!(
        kills_mid_stream >= KILLS / 2,
        "most kills should land mid-stream, only {kills_mid_stream} did"
    );
    eprintln!(
        "{} sales committed across {KILLS} kills ({kills_mid_stream} mid-stream)",
        committed.len()
    );

    // After the last kill the till starts again and keeps numbering from where it stopped.
    let before = Ledger::open_in(dir.path()).unwrap().sale_count().unwrap();
    let mut till = common::Till::start(dir.path());
    till.cmd("login 1 1111");
    till.cmd("scan 1234");
    let ev = till.cmd("pay main cash");
    let sale = ev.iter().find(|e| e["event"] == "sale_committed").unwrap();
    assert_eq!(sale["ticket_no"].as_i64().unwrap(), before + 1);
    till.quit();
}

#[test]
fn verify_fails_when_a_sale_is_altered_or_removed() {
    let dir = common::seeded_dir();
    let mut till = common::Till::start(dir.path());
    till.cmd("login 1 1111");
    for _ in 0..3 {
        till.cmd("scan 1234");
        till.cmd("pay main cash");
    }
    till.quit();
    let ok = common::run(dir.path(), &["verify"], "");
    assert!(ok.status.success(), "{}", common::stdout(&ok));

    // Someone with the file edits an amount (the triggers refuse it, so they drop them first).
    let path = dir.path().join(kaching::store::LEDGER_FILE);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP TRIGGER sale_lines_are_final_u; DROP TRIGGER sales_are_final_u;
         UPDATE sale_lines SET total_cents = 20 WHERE sale_id = (SELECT id FROM sales WHERE ticket_no = 2);
         UPDATE sales SET revenue_cents = 20, paid_cents = 20 WHERE ticket_no = 2;",
    )
    .unwrap();
    drop(conn);
    let altered = common::run(dir.path(), &["verify"], "");
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
    // Said in the till's language (French), or the one asked for.
    assert!(
        common::stdout(&altered).contains(
            "ÉCHEC till-1 ticket 2 : le contenu ne correspond pas à son hachage : la vente a été modifiée"
        ),
        "{}",
        common::stdout(&altered)
    );
    let dutch = common::run(dir.path(), &["--lang", "nl", "verify"], "");
    assert_eq!(dutch.status.code(), Some(1));
    assert!(
        common::stdout(&dutch).contains(
            "FOUT till-1 kasticket 2: de inhoud klopt niet met de hash: de verkoop werd gewijzigd"
        ),
        "{}",
        common::stdout(&dutch)
    );

    // Another copy of the ledger where the last sale is deleted instead.
    let dir2 = common::seeded_dir();
    let mut till = common::Till::start(dir2.path());
    till.cmd("login 1 1111");
    for _ in 0..3 {
        till.cmd("scan 1234");
        till.cmd("pay main cash");
    }
    till.quit();
    let conn = rusqlite::Connection::open(dir2.path().join(kaching::store::LEDGER_FILE)).unwrap();
    conn.execute_batch(
        "DROP TRIGGER sales_are_final_d; DROP TRIGGER sale_lines_are_final_d; PRAGMA foreign_keys = OFF;
         DELETE FROM print_jobs WHERE sale_id = (SELECT id FROM sales WHERE ticket_no = 3);
         DELETE FROM sale_lines WHERE sale_id = (SELECT id FROM sales WHERE ticket_no = 3);
         DELETE FROM sales WHERE ticket_no = 3;",
    )
    .unwrap();
    drop(conn);
    let removed = common::run(dir2.path(), &["verify"], "");
    assert_eq!(
        removed.status.code(),
        Some(1),
        "{}",
        common::stdout(&removed)
    );
}
