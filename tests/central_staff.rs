//! Two data dirs sharing one central MariaDB. Without an explicit, shared PIN pepper a till (or
//! a CLI) with `central.url` refuses to start and says why: each data dir would invent its own
//! pepper and the PIN hashes pulled from the central database would verify nowhere else. With
//! one, a cashier added from one machine logs in on the other at once, without waiting for the
//! next sync round: an unknown ID pulls the staff table before it is refused.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::mysql::TestDb;

/// `kaching` against the central database `url`, in a shop open all day (the tests run at any
/// hour).
fn central(dir: &Path, url: &str) -> Command {
    let mut c = common::kaching(dir);
    c.env("KACHING_CENTRAL__URL", url)
        .env("KACHING_HOURS__OPEN", "00:00")
        .env("KACHING_HOURS__CLOSE", "24:00");
    c
}

#[test]
fn without_a_shared_pepper_a_till_and_the_cli_refuse_to_start_and_say_why() {
    let db = TestDb::create();
    let dir = common::seeded_dir();
    let mut c = central(dir.path(), &db.url);
    c.args(["migrate", "--central"]);
    assert!(common::run_cmd(c, "").status.success());

    let mut c = central(dir.path(), &db.url);
    c.env_remove("KACHING_PIN_PEPPER")
        .args(["till", "--headless"]);
    let started = Instant::now();
    let o = common::run_cmd(c, "login 1 1111\n");
    assert!(!o.status.success(), "the till must not start");
    assert!(started.elapsed() < Duration::from_secs(10));
    let err = common::stderr(&o);
    assert!(err.contains("KACHING_PIN_PEPPER"), "{err}");
    assert!(err.contains("central"), "{err}");
    assert!(
        !common::stdout(&o).contains("logged_in"),
        "{}",
        common::stdout(&o)
    );

    let mut c = central(dir.path(), &db.url);
    c.env_remove("KACHING_PIN_PEPPER")
        .args(["staff", "add", "31", "MARIE"]);
    let o = common::run_cmd(c, "4242\n");
    assert!(!o.status.success());
    assert!(common::stderr(&o).contains("KACHING_PIN_PEPPER"));
    assert_eq!(
        db.int("SELECT COUNT(*) FROM staff WHERE id = '31'"),
        0,
        "nothing written"
    );

    // A till that had invented its own pepper is told where it is, to keep its PINs.
    std::fs::write(dir.path().join("pin_pepper"), "abc123").unwrap();
    let mut c = central(dir.path(), &db.url);
    c.env_remove("KACHING_PIN_PEPPER")
        .args(["till", "--headless"]);
    let o = common::run_cmd(c, "");
    assert!(!o.status.success());
    assert!(
        common::stderr(&o).contains("pin_pepper"),
        "{}",
        common::stderr(&o)
    );

    // Without a central database the data dir's own pepper is still fine.
    let mut c = common::kaching(dir.path());
    c.env_remove("KACHING_PIN_PEPPER")
        .args(["till", "--headless"]);
    let o = common::run_cmd(c, "quit\n");
    assert!(o.status.success(), "{}", common::stderr(&o));
}

#[test]
fn a_cashier_added_from_one_data_dir_logs_in_on_the_other_at_once() {
    let db = TestDb::create();
    let a = common::seeded_dir();
    let b = common::seeded_dir();
    let mut c = central(a.path(), &db.url);
    c.args(["migrate", "--central"]);
    let o = common::run_cmd(c, "");
    assert!(o.status.success(), "{}", common::stderr(&o));

    // Till B runs against the central database and has finished a sync round.
    let mut till = common::Till::start_with(central(b.path(), &db.url));
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let s = till.status();
        if s["online"] == true && s["sync_rounds"].as_u64().unwrap_or(0) >= 1 {
            break;
        }
        assert!(Instant::now() < deadline, "B never synced: {s:#?}");
        std::thread::sleep(Duration::from_millis(100));
    }
    let ev = till.cmd("login 31 4242");
    assert!(
        ev.iter()
            .any(|e| e["event"] == "login_refused" && e["reason"] == "unknown"),
        "31 does not exist yet: {ev:#?}"
    );

    // Added from A (the same pepper, as every test till has), into the central database...
    let mut c = central(a.path(), &db.url);
    c.args([
        "staff", "add", "31", "MARIE", "--role", "cashier", "--lang", "nl",
    ]);
    let o = common::run_cmd(c, "4242\n");
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert_eq!(db.int("SELECT COUNT(*) FROM staff WHERE id = '31'"), 1);
    assert_eq!(
        db.int("SELECT COUNT(*) FROM staff WHERE id = '31' AND lang = 'nl'"),
        1,
        "her language is in the central database"
    );

    // ...and B lets her in straight away (an unknown ID pulls the staff table first).
    let t = Instant::now();
    let ev = till.cmd("login 31 4242");
    let took = t.elapsed();
    assert!(
        ev.iter()
            .any(|e| e["event"] == "logged_in" && e["staff_id"] == "31" && e["lang"] == "nl"),
        "B pulled her language with her name: {ev:#?}"
    );
    eprintln!("login of a cashier added centrally a moment before: {took:?}");
    // A wrong PIN is still a wrong PIN, and an ID nobody has is still unknown, quickly.
    till.cmd("logout");
    let ev = till.cmd("login 31 9999");
    assert!(
        ev.iter().any(|e| e["event"] == "login_refused"
            && e["reason"] == "bad_pin"
            && e["message"] == "foute pincode: nog 4 pogingen"),
        "refused in her language: {ev:#?}"
    );
    let t = Instant::now();
    let ev = till.cmd("login 77 7777");
    assert!(
        ev.iter()
            .any(|e| e["event"] == "login_refused" && e["reason"] == "unknown"),
        "{ev:#?}"
    );
    assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
}
