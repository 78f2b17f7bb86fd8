//! `kaching demo` as a newcomer meets it: the README's headless example, typed in the evening,
//! sells (the demo shop is open 00:00-24:00), while a till with the default hours refuses a
//! cashier at that hour, and a till whose hours are configured keeps them even in the demo.

mod common;

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// The README's headless example: the code block whose first line is a `login`.
fn readme_example() -> Vec<String> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let mut blocks = readme.split("```").skip(1).step_by(2);
    let block = blocks
        .find(|b| b.trim_start_matches(['\n', ' ']).starts_with("login "))
        .expect("README has a headless example starting with `login`");
    block
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `cmd` under libfaketime, its wall clock frozen at `local` (Brussels time).
fn at(cmd: &mut Command, local: &str) {
    cmd.env("LD_PRELOAD", common::libfaketime())
        .env("FAKETIME", format!("@{local}"))
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
        .env("TZ", "Europe/Brussels");
}

/// Feeds `lines` then `quit` to `cmd` and returns its JSON events and stderr.
fn drive(cmd: Command, lines: &[String]) -> (Vec<Value>, String) {
    let stdin: String = lines.iter().map(|l| format!("{l}\n")).collect::<String>() + "quit\n";
    let out = common::run_cmd(cmd, &stdin);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let events = common::stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    (events, common::stderr(&out))
}

fn named<'a>(events: &'a [Value], name: &str) -> Vec<&'a Value> {
    events.iter().filter(|e| e["event"] == name).collect()
}

#[test]
fn the_readme_example_sells_twice_at_half_past_nine_in_the_evening() {
    let example = readme_example();
    assert!(example.len() >= 5, "{example:?}");
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = common::kaching(dir.path());
    cmd.args(["demo", "--headless"]);
    at(&mut cmd, "2026-12-01 21:30:00");
    let (events, stderr) = drive(cmd, &example);
    assert!(
        stderr.contains("open 00:00-24:00"),
        "the demo says it is open all day: {stderr}"
    );
    assert_eq!(named(&events, "logged_in").len(), 1, "{events:#?}");
    assert!(named(&events, "login_refused").is_empty(), "{events:#?}");
    assert!(named(&events, "error").is_empty(), "{events:#?}");
    let sales = named(&events, "sale_committed");
    assert_eq!(sales.len(), 2, "two sales committed: {events:#?}");
    assert_eq!(sales[0]["ticket_no"], 1);
    assert_eq!(sales[1]["ticket_no"], 2);
    // Dated in the evening, as the clock said.
    let o = common::run(dir.path(), &["report", "days", "--format", "json"], "");
    assert!(
        common::stdout(&o).contains("2026-12-01"),
        "{}",
        common::stdout(&o)
    );
}

#[test]
fn at_the_same_hour_a_till_with_the_default_hours_refuses_a_cashier() {
    let dir = common::seeded_dir();
    let mut cmd = common::kaching(dir.path());
    cmd.args(["till", "--headless"]);
    at(&mut cmd, "2026-12-01 21:30:00");
    let (events, _) = drive(cmd, &["login 14 1414".to_owned()]);
    let refused = named(&events, "login_refused");
    assert_eq!(refused.len(), 1, "{events:#?}");
    assert_eq!(refused[0]["reason"], "closed");
}

#[test]
fn a_demo_with_configured_hours_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = common::kaching(dir.path());
    cmd.args(["demo", "--headless"])
        .env("KACHING_HOURS__OPEN", "08:00")
        .env("KACHING_HOURS__CLOSE", "20:00");
    at(&mut cmd, "2026-12-01 21:30:00");
    let (events, stderr) = drive(cmd, &["login 14 1414".to_owned()]);
    assert!(stderr.contains("08:00-20:00"), "{stderr}");
    let refused = named(&events, "login_refused");
    assert_eq!(refused.len(), 1, "{events:#?}");
    assert_eq!(refused[0]["reason"], "closed");
    // Within those hours the same demo lets her in.
    let mut cmd = common::kaching(dir.path());
    cmd.args(["demo", "--headless"])
        .env("KACHING_HOURS__OPEN", "08:00")
        .env("KACHING_HOURS__CLOSE", "20:00");
    at(&mut cmd, "2026-12-01 19:30:00");
    let (events, _) = drive(cmd, &["login 14 1414".to_owned()]);
    assert_eq!(named(&events, "logged_in").len(), 1, "{events:#?}");
}
