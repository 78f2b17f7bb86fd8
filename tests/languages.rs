//! The till speaks each person's language (issue 12): a staff member added with `--lang nl`
//! refused at 21:30 reads Dutch, one with `--lang en` English, one without French (the default
//! `till.language`); before anyone is logged in, the till's language. Codes never change, and
//! no message mixes two languages.

mod common;

use std::process::Command;

use serde_json::Value;

/// `cmd` under libfaketime, its wall clock frozen at `local` (Brussels time).
fn at(cmd: &mut Command, local: &str) {
    cmd.env("LD_PRELOAD", common::libfaketime())
        .env("FAKETIME", format!("@{local}"))
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
        .env("TZ", "Europe/Brussels");
}

/// The demo ledger plus Lotte (nl), Sam (en) and Camille (no `--lang`: the till's language).
fn shop() -> tempfile::TempDir {
    let dir = common::seeded_dir();
    for (id, name, lang) in [
        ("21", "Lotte", Some("nl")),
        ("22", "Sam", Some("en")),
        ("23", "Camille", None),
    ] {
        let mut args = vec!["staff", "add", id, name];
        if let Some(l) = lang {
            args.extend(["--lang", l]);
        }
        let o = common::run(dir.path(), &args, "2468\n");
        assert!(o.status.success(), "{args:?}: {}", common::stderr(&o));
    }
    dir
}

/// Feeds `lines` then `quit` to a headless till at 21:30 and returns its JSON events.
fn evening(dir: &std::path::Path, till_lang: Option<&str>, lines: &[&str]) -> Vec<Value> {
    let mut cmd = common::kaching(dir);
    cmd.args(["till", "--headless"]);
    if let Some(l) = till_lang {
        cmd.env("KACHING_TILL__LANGUAGE", l);
    }
    at(&mut cmd, "2026-12-01 21:30:00");
    let stdin: String = lines.iter().map(|l| format!("{l}\n")).collect::<String>() + "quit\n";
    let out = common::run_cmd(cmd, &stdin);
    assert!(out.status.success(), "{}", common::stderr(&out));
    common::stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

fn messages(events: &[Value]) -> Vec<(String, String)> {
    events
        .iter()
        .filter(|e| e["event"] == "login_refused" || e["event"] == "error")
        .map(|e| {
            let code = e["reason"].as_str().or(e["code"].as_str()).unwrap_or("");
            (
                code.to_owned(),
                e["message"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// Words only one language uses in the runtime's messages.
const FRENCH: &[&str] = &[
    "magasin",
    "fermé",
    "inconnu",
    "connectez",
    "heures d'ouverture",
];
const DUTCH: &[&str] = &["winkel", "gesloten", "onbekend", "meld", "openingsuren"];
const ENGLISH: &[&str] = &["shop", "closed", "unknown", "log in", "opening hours"];

fn speaks(message: &str, words: &[&str]) -> bool {
    let m = message.to_lowercase();
    words.iter().any(|w| m.contains(w))
}

/// Exactly one of the three languages, and no `fr / en` pair.
fn in_one_language(message: &str) -> bool {
    let n = [FRENCH, DUTCH, ENGLISH]
        .iter()
        .filter(|w| speaks(message, w))
        .count();
    n == 1 && !message.contains(" / ")
}

#[test]
fn at_half_past_nine_each_cashier_is_refused_in_their_own_language() {
    let dir = shop();
    let events = evening(
        dir.path(),
        None,
        &["login 21 2468", "login 22 2468", "login 23 2468"],
    );
    let refused = messages(&events);
    assert_eq!(refused.len(), 3, "{events:#?}");
    for (reason, _) in &refused {
        assert_eq!(reason, "closed", "the code is the same in every language");
    }
    let (nl, en, fr) = (&refused[0].1, &refused[1].1, &refused[2].1);
    assert!(nl.starts_with("winkel gesloten: het is 21:30"), "{nl}");
    assert!(nl.contains("openingsuren"), "{nl}");
    assert!(en.starts_with("shop closed: it is 21:30"), "{en}");
    assert!(fr.starts_with("magasin fermé : il est 21:30"), "{fr}");
    for m in [nl, en, fr] {
        assert!(in_one_language(m), "mixes languages: {m}");
    }
}

#[test]
fn before_anyone_logs_in_the_till_speaks_its_own_language() {
    let dir = shop();
    for (lang, words, unknown) in [
        (None, FRENCH, "ID « 99 » inconnu"),
        (Some("nl"), DUTCH, "ID '99' onbekend"),
        (Some("en"), ENGLISH, "unknown ID '99'"),
    ] {
        let events = evening(dir.path(), lang, &["login 99 1234", "scan 5400000000017"]);
        let said = messages(&events);
        assert_eq!(said.len(), 2, "{lang:?}: {events:#?}");
        assert_eq!(said[0].0, "unknown");
        assert_eq!(said[0].1, unknown, "{lang:?}");
        assert_eq!(said[1].0, "not_logged_in");
        for (_, m) in &said {
            assert!(speaks(m, words), "{lang:?}: {m}");
            assert!(in_one_language(m), "{lang:?} mixes languages: {m}");
        }
    }
}

#[test]
fn a_logged_in_cashier_reads_refusals_in_their_language_and_logged_in_says_which() {
    let dir = shop();
    // 13:00: open. Lotte (nl) logs in; her refusals are in Dutch; after her logout, French again.
    let mut cmd = common::kaching(dir.path());
    cmd.args(["till", "--headless"]);
    at(&mut cmd, "2026-12-01 13:00:00");
    let lines = [
        "login 21 2468",
        "scan 999999",
        "pay main cash",
        "pay main qr",
        "scan 1234",
        "pay main cash 1",
        "logout",
        "scan 999999",
    ];
    let stdin: String = lines.iter().map(|l| format!("{l}\n")).collect::<String>() + "quit\n";
    let out = common::run_cmd(cmd, &stdin);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let events: Vec<Value> = common::stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let logged_in: Vec<&Value> = events
        .iter()
        .filter(|e| e["event"] == "logged_in")
        .collect();
    assert_eq!(logged_in.len(), 1, "{events:#?}");
    assert_eq!(logged_in[0]["lang"], "nl");
    let said = messages(&events);
    let codes: Vec<&str> = said.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(
        codes,
        [
            "unknown_code",
            "empty_basket",
            "qr_unavailable",
            "tender_too_low",
            "not_logged_in"
        ]
    );
    assert_eq!(said[0].1, "onbekend artikel of streepjescode '999999'");
    assert_eq!(said[1].1, "het hoofdmandje is leeg: niets te betalen");
    assert!(
        said[2].1.starts_with("op deze kassa is geen betaalserver"),
        "{}",
        said[2].1
    );
    assert_eq!(
        said[3].1,
        "1,00 € ontvangen is minder dan de 1,20 € te betalen"
    );
    assert_eq!(said[4].1, "connectez-vous d'abord (login <id> <pin>)");
}

#[test]
fn lines_the_driver_refuses_are_refused_in_the_tills_language_and_lang_switches_it() {
    let dir = shop();
    let events = evening(
        dir.path(),
        Some("nl"),
        &[
            "qty 1 x",
            "withdraw abc",
            "dance",
            "lang en",
            "withdraw 1,234",
            "lang xx",
        ],
    );
    let said = messages(&events);
    let codes: Vec<&str> = said.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(
        codes,
        [
            "bad_quantity",
            "bad_amount",
            "unknown_command",
            "bad_amount",
            "bad_arguments"
        ],
        "{events:#?}"
    );
    assert_eq!(said[0].1, "\"x\" is geen aantal (1 tot 999)");
    assert_eq!(said[1].1, "\"abc\" is geen bedrag (15, 15.00 of 15,00)");
    assert!(
        said[2].1.starts_with("onbekend commando \"dance\""),
        "{}",
        said[2].1
    );
    // After `lang en`, English.
    assert_eq!(said[3].1, "'1,234' has more than two decimals");
    assert_eq!(said[4].1, "'xx' is not fr, nl or en");
    for (_, m) in &said[..3] {
        assert!(
            !speaks(m, FRENCH) && !speaks(m, ENGLISH),
            "not only Dutch: {m}"
        );
    }
}
