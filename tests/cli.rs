//! The command line as an administrator uses it: staff with PINs from stdin, catalogue import
//! and export, reports in three formats, settings from a file and the environment, and what
//! the commands print in the till's language (`till.language`) or the one `--lang` asks for.

mod common;

use serde_json::Value;

#[test]
fn a_staff_member_added_with_a_pin_on_stdin_can_log_in_and_is_listed() {
    let dir = tempfile::tempdir().unwrap();
    let add = common::run(
        dir.path(),
        &["staff", "add", "31", "MARIE", "--role", "admin"],
        "4242\n",
    );
    assert!(add.status.success(), "{}", common::stderr(&add));
    let list = common::stdout(&common::run(dir.path(), &["staff", "list"], ""));
    // French by default (till.language): ID, name, role, language, state.
    let marie = list.lines().find(|l| l.contains("MARIE")).unwrap_or("");
    let cols: Vec<&str> = marie.split_whitespace().collect();
    assert_eq!(cols, ["31", "MARIE", "admin", "fr", "actif"], "{list}");
    // The PIN is stored hashed, never in clear.
    let conn = rusqlite::Connection::open(dir.path().join(kaching::store::LEDGER_FILE)).unwrap();
    let hash: String = conn
        .query_row("SELECT pin_hash FROM staff WHERE id = '31'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(
        hash.starts_with("$argon2id$") && !hash.contains("4242"),
        "{hash}"
    );
    drop(conn);

    let mut till = common::Till::start(dir.path());
    let ev = till.cmd("login 31 4242");
    assert_eq!(ev[0]["event"], "logged_in", "{ev:?}");
    assert_eq!(ev[0]["role"], "admin");
    till.quit();

    let disable = common::run(dir.path(), &["staff", "disable", "31"], "");
    assert!(disable.status.success());
    let mut till = common::Till::start(dir.path());
    let ev = till.cmd("login 31 4242");
    assert_eq!(
        (ev[0]["event"].as_str(), ev[0]["reason"].as_str()),
        (Some("login_refused"), Some("disabled")),
        "{ev:?}"
    );
    till.quit();
}

#[test]
fn staff_add_refuses_a_bad_pin_a_bad_id_and_a_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    for (args, stdin) in [
        (vec!["staff", "add", "31", "MARIE"], "12\n"),
        (vec!["staff", "add", "31", "MARIE"], "abcd\n"),
        (vec!["staff", "add", "x1", "MARIE"], "1234\n"),
        (
            vec!["staff", "add", "31", "MARIE", "--role", "boss"],
            "1234\n",
        ),
    ] {
        let o = common::run(dir.path(), &args, stdin);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(
            common::stderr(&o).starts_with("error:"),
            "{}",
            common::stderr(&o)
        );
    }
    assert_eq!(
        common::stdout(&common::run(dir.path(), &["staff", "list"], "")),
        ""
    );
    assert!(
        common::run(dir.path(), &["staff", "add", "31", "MARIE"], "1234\n")
            .status
            .success()
    );
    let dup = common::run(dir.path(), &["staff", "add", "31", "MARIE"], "9999\n");
    assert_eq!(dup.status.code(), Some(1));
    assert!(
        common::stderr(&dup).contains("already exists"),
        "{}",
        common::stderr(&dup)
    );
}

#[test]
fn the_catalogue_round_trips_through_import_and_export() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("p.csv");
    std::fs::write(
        &csv,
        "\u{feff}code,barcode,name,price,vat_rate\n0000,4829105637487,Café,\"2,50\",6\n42,,\"Tarte, aux \"\"pommes\"\"\",3.1,21\n",
    )
    .unwrap();
    let o = common::run(
        dir.path(),
        &["catalog", "import", csv.to_str().unwrap()],
        "",
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert!(
        common::stdout(&o).contains("2 articles importés (2 ajouté(s), 0 mis à jour)"),
        "{}",
        common::stdout(&o)
    );
    let out = common::stdout(&common::run(dir.path(), &["catalog", "export"], ""));
    assert_eq!(
        out,
        "code,barcode,name,price,vat_rate\n0000,4829105637487,Café,2.50,6\n42,,\"Tarte, aux \"\"pommes\"\"\",3.10,21\n"
    );
    // Re-importing the export changes prices only where asked.
    std::fs::write(&csv, out.replace("3.10", "3.20")).unwrap();
    let o = common::run(
        dir.path(),
        &["--lang", "en", "catalog", "import", csv.to_str().unwrap()],
        "",
    );
    assert!(
        common::stdout(&o).contains("2 products imported (0 added, 2 updated)"),
        "{}",
        common::stdout(&o)
    );
    let export_file = dir.path().join("out.csv");
    assert!(
        common::run(
            dir.path(),
            &["catalog", "export", export_file.to_str().unwrap()],
            ""
        )
        .status
        .success()
    );
    assert!(
        std::fs::read_to_string(export_file)
            .unwrap()
            .contains("3.20")
    );
}

#[test]
fn settings_come_from_the_config_file_and_the_environment_wins() {
    let dir = common::seeded_dir();
    let cfg = dir.path().join("shop.toml");
    std::fs::write(
        &cfg,
        "[shop]\nname = \"Boulangerie du Coin\"\nvat_number = \"BE0123.456.789\"\n[till]\nid = \"caisse-2\"\nmax_withdrawal = \"50\"\n[hours]\nopen = \"00:00\"\nclose = \"23:59\"\n[printer]\nwidth = 32\n",
    )
    .unwrap();
    let mut cmd = common::kaching(dir.path());
    cmd.arg("--config")
        .arg(&cfg)
        .env("KACHING_TILL__MAX_WITHDRAWAL", "20");
    let mut till = common::Till::start_with(cmd);
    assert_eq!(till.seen[0]["till_id"], "caisse-2");
    assert!(
        till.cmd("login 1 1111")
            .iter()
            .any(|e| e["event"] == "logged_in")
    );
    till.expect_error("withdraw 25", "withdrawal_limit");
    till.cmd("scan 1234");
    let (ev, _) = till.cmd_awaiting("pay main cash", "printed");
    assert!(ev.iter().any(|e| e["event"] == "sale_committed"), "{ev:?}");
    till.quit();
    let ticket = std::fs::read_to_string(dir.path().join("tickets/caisse-2-000001.txt")).unwrap();
    assert!(
        ticket.contains("Boulangerie du Coin") && ticket.contains("TVA BE0123.456.789"),
        "{ticket}"
    );
    assert!(ticket.lines().all(|l| l.chars().count() <= 32), "{ticket}");
}

#[test]
fn a_bad_config_is_refused_with_the_key_named() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("bad.toml");
    std::fs::write(&cfg, "[hours]\nopen = \"18:00\"\nclose = \"06:00\"\n").unwrap();
    let o = common::run(
        dir.path(),
        &["--config", cfg.to_str().unwrap(), "report", "days"],
        "",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        common::stderr(&o).contains("hours"),
        "{}",
        common::stderr(&o)
    );
    let missing = common::run(
        dir.path(),
        &["--config", "/nonexistent.toml", "report", "days"],
        "",
    );
    assert!(
        common::stderr(&missing).contains("does not exist"),
        "{}",
        common::stderr(&missing)
    );
    let mut c = common::kaching(dir.path());
    let o = c
        .args(["report", "days"])
        .env("KACHING_SHOP__TIMEZONE", "Mars/Olympus")
        .output()
        .unwrap();
    assert!(
        common::stderr(&o).contains("shop.timezone"),
        "{}",
        common::stderr(&o)
    );
}

#[test]
fn reports_come_in_text_csv_and_json() {
    let dir = common::seeded_dir();
    let mut till = common::Till::start(dir.path());
    till.cmd("login 1 1111");
    till.cmd("scan 1234");
    till.cmd("withdraw 10");
    till.cmd("pay main cash 20");
    let status = till.status();
    till.quit();
    let today = &status["now"].as_str().unwrap()[..10];
    // `now` is UTC; the report day is Brussels time: find the day the ledger used.
    let days: Value = serde_json::from_str(&common::stdout(&common::run(
        dir.path(),
        &["report", "days", "--format", "json"],
        "",
    )))
    .unwrap();
    let day = days[0]["day"].as_str().unwrap().to_owned();
    assert!(
        day.as_str() >= today || (today.as_bytes()[..8] == day.as_bytes()[..8]),
        "{day} vs {today}"
    );
    let csv = common::stdout(&common::run(
        dir.path(),
        &["report", "day", &day, "--format", "csv"],
        "",
    ));
    let mut rows = csv.lines();
    assert_eq!(
        rows.next(),
        Some(
            "day,time,till,ticket,seller,product,qty,kind,amount,vat_rate,rounding,discount,sale_kind"
        )
    );
    // The ticket's rounding on its first line (11,20 € in cash: none), empty on the next.
    let row1 = rows.next().unwrap();
    assert!(
        row1.ends_with(",till-1,1,ADMIN,Pain au chocolat,1,item,1.20,6,0.00,0.00,sale"),
        "{row1}"
    );
    let row2 = rows.next().unwrap();
    assert!(row2.ends_with(",withdrawal,10.00,,,0.00,sale"), "{row2}");
    let txt = common::stdout(&common::run(dir.path(), &["report", "day", &day], ""));
    assert!(
        txt.contains("SOLDE CAISSE : 1,20 €") && txt.contains("(hors total) : 10,00 €"),
        "{txt}"
    );
    let days_csv = common::stdout(&common::run(
        dir.path(),
        &["report", "days", "--format", "csv"],
        "",
    ));
    assert_eq!(
        days_csv,
        format!("day,tickets,revenue,withdrawals\n{day},1,1.20,10.00\n")
    );
    let bad_day = common::run(dir.path(), &["report", "day", "2026-02-30"], "");
    assert_eq!(
        bad_day.status.code(),
        Some(2),
        "clap refuses an impossible date"
    );
    let reversed = common::run(
        dir.path(),
        &["report", "journal", "2026-06-02", "2026-06-01"],
        "",
    );
    assert_eq!(reversed.status.code(), Some(1));
    assert!(
        common::stderr(&reversed).contains("before it starts"),
        "{}",
        common::stderr(&reversed)
    );

    // Hiding the day removes it from the list, not from the records.
    assert!(
        common::run(dir.path(), &["report", "hide", &day], "")
            .status
            .success()
    );
    assert_eq!(
        common::stdout(&common::run(
            dir.path(),
            &["report", "days", "--format", "json"],
            ""
        ))
        .trim(),
        "[]"
    );
    let still: Value = serde_json::from_str(&common::stdout(&common::run(
        dir.path(),
        &["report", "day", &day, "--format", "json"],
        "",
    )))
    .unwrap();
    assert_eq!(still["revenue_cents"], 120);
}

#[test]
fn reprint_queues_a_duplicate_that_the_till_prints() {
    let dir = common::seeded_dir();
    let nothing = common::run(dir.path(), &["reprint"], "");
    assert_eq!(nothing.status.code(), Some(1));
    let mut till = common::Till::start(dir.path());
    till.cmd("login 1 1111");
    till.cmd("scan 1234");
    // The ticket may print before the status reply: cmd_awaiting looks on both sides of it.
    till.cmd_awaiting("pay main cash", "printed");
    till.cmd_awaiting("reprint", "printed");
    till.quit();
    let dup = std::fs::read_dir(dir.path().join("tickets"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("-dup"))
        .expect("a duplicate ticket file");
    assert!(std::fs::read_to_string(dup).unwrap().contains("DUPLICATA"));
}

/// A seeded till with one sale of the day (a croissant at 1,20 € and a 10,00 € withdrawal),
/// and the day the ledger filed it under.
fn one_sale_day() -> (tempfile::TempDir, String) {
    let dir = common::seeded_dir();
    let mut till = common::Till::start(dir.path());
    till.cmd("login 1 1111");
    till.cmd("scan 1234");
    till.cmd("withdraw 10");
    till.cmd("pay main cash 20");
    till.quit();
    let days: Value = serde_json::from_str(&common::stdout(&common::run(
        dir.path(),
        &["report", "days", "--format", "json"],
        "",
    )))
    .unwrap();
    let day = days[0]["day"].as_str().unwrap().to_owned();
    (dir, day)
}

fn ok_stdout(o: std::process::Output) -> String {
    assert!(o.status.success(), "{}", common::stderr(&o));
    common::stdout(&o)
}

#[test]
fn the_day_report_speaks_dutch_english_or_french_with_the_right_plurals() {
    let (dir, day) = one_sale_day();
    let report = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["report", "day", &day]);
        ok_stdout(common::run(dir.path(), &all, ""))
    };

    let fr = report(&[]);
    assert!(fr.contains("RAPPORT DU "), "{fr}");
    assert!(fr.contains("SOLDE CAISSE : 1,20 €"), "{fr}");
    assert!(fr.contains(" 1 ticket "), "{fr}");
    assert!(!fr.contains("1 tickets"), "{fr}");

    let nl = report(&["--lang", "nl"]);
    assert!(nl.contains("DAGRAPPORT VAN "), "{nl}");
    assert!(nl.contains("KASSALDO: 1,20 €"), "{nl}");
    assert!(
        nl.contains("Geldopnames (buiten het totaal): 10,00 €"),
        "{nl}"
    );
    assert!(nl.contains(" 1 kasticket "), "{nl}");
    assert!(nl.contains("[geldopname]"), "{nl}");
    assert!(!nl.contains("SOLDE") && !nl.contains("Par vendeur"), "{nl}");

    let en = report(&["--lang", "en"]);
    assert!(en.contains("DAY REPORT FOR "), "{en}");
    assert!(en.contains("TILL BALANCE: €1.20"), "{en}");
    assert!(
        en.contains("Cash withdrawals (not in the total): €10.00"),
        "{en}"
    );
    assert!(en.contains(" 1 ticket "), "{en}");
    assert!(!en.contains("1,20"), "{en}");

    // The till's language is the default; --lang wins over it.
    let mut cmd = common::kaching(dir.path());
    cmd.env("KACHING_TILL__LANGUAGE", "nl")
        .args(["report", "day", &day]);
    let by_setting = ok_stdout(common::run_cmd(cmd, ""));
    assert_eq!(by_setting, nl);
    let mut cmd = common::kaching(dir.path());
    cmd.env("KACHING_TILL__LANGUAGE", "nl")
        .args(["--lang", "en", "report", "day", &day]);
    assert_eq!(ok_stdout(common::run_cmd(cmd, "")), en);

    // The list of days and the journal follow too.
    let days = ok_stdout(common::run(
        dir.path(),
        &["--lang", "nl", "report", "days"],
        "",
    ));
    assert!(
        days.starts_with("DAG ") && days.contains("KASTICKETS"),
        "{days}"
    );
    assert!(days.contains("1,20 €"), "{days}");
    let journal = ok_stdout(common::run(
        dir.path(),
        &["--lang", "en", "report", "journal", &day, &day],
        "",
    ));
    assert!(journal.contains("DAILY TAKINGS JOURNAL"), "{journal}");
    assert!(
        journal.contains("VAT 21 %") && journal.contains("€1.20"),
        "{journal}"
    );
}

#[test]
fn json_and_csv_reports_are_the_same_in_every_language() {
    let (dir, day) = one_sale_day();
    for format in ["json", "csv"] {
        let out = |lang: &str| {
            ok_stdout(common::run(
                dir.path(),
                &["--lang", lang, "report", "day", &day, "--format", format],
                "",
            ))
        };
        let fr = out("fr");
        assert!(fr.len() > 40, "{fr}");
        assert_eq!(out("nl"), fr, "{format}");
        assert_eq!(out("en"), fr, "{format}");
    }
    let json = ok_stdout(common::run(
        dir.path(),
        &["--lang", "nl", "report", "days", "--format", "json"],
        "",
    ));
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v[0]["revenue_cents"], 120, "{json}");
}

#[test]
fn staff_list_shows_each_members_language_and_speaks_the_chosen_one() {
    let dir = tempfile::tempdir().unwrap();
    let add = |args: &[&str], pin: &str| {
        let mut all = vec!["staff", "add"];
        all.extend(args);
        ok_stdout(common::run(dir.path(), &all, pin))
    };
    assert!(add(&["31", "MARIE", "--lang", "nl"], "4242\n").contains("ajouté : 31 MARIE"));
    let added = ok_stdout(common::run(
        dir.path(),
        &["--lang", "en", "staff", "add", "32", "PAUL", "--lang", "en"],
        "4343\n",
    ));
    assert_eq!(added.trim(), "added 32 PAUL (cashier)");
    ok_stdout(common::run(dir.path(), &["staff", "disable", "32"], ""));

    let row = |list: &str, name: &str| -> Vec<String> {
        list.lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} not in {list}"))
            .split_whitespace()
            .map(str::to_owned)
            .collect()
    };
    let nl = ok_stdout(common::run(
        dir.path(),
        &["--lang", "nl", "staff", "list"],
        "",
    ));
    assert_eq!(
        row(&nl, "MARIE"),
        ["31", "MARIE", "kassier", "nl", "actief"],
        "{nl}"
    );
    assert_eq!(
        row(&nl, "PAUL"),
        ["32", "PAUL", "kassier", "en", "uitgeschakeld"],
        "{nl}"
    );
    let en = ok_stdout(common::run(
        dir.path(),
        &["--lang", "en", "staff", "list"],
        "",
    ));
    assert_eq!(
        row(&en, "PAUL"),
        ["32", "PAUL", "cashier", "en", "disabled"],
        "{en}"
    );
    let fr = ok_stdout(common::run(dir.path(), &["staff", "list"], ""));
    assert_eq!(
        row(&fr, "MARIE"),
        ["31", "MARIE", "caissier", "nl", "actif"],
        "{fr}"
    );
}

#[test]
fn verify_speaks_the_chosen_language_and_an_unknown_one_is_refused() {
    let (dir, _) = one_sale_day();
    let nl = ok_stdout(common::run(dir.path(), &["--lang", "nl", "verify"], ""));
    assert_eq!(
        nl.trim(),
        "OK: 1 verkoop op 1 kassa, hashketens intact, geen gat in de ticketnummers"
    );
    let fr = ok_stdout(common::run(dir.path(), &["verify"], ""));
    assert!(fr.starts_with("OK : 1 vente sur 1 caisse,"), "{fr}");
    let en = ok_stdout(common::run(dir.path(), &["--lang", "en", "verify"], ""));
    assert!(en.starts_with("OK: 1 sale on 1 till,"), "{en}");

    let de = common::run(dir.path(), &["--lang", "de", "verify"], "");
    assert_eq!(de.status.code(), Some(2), "{}", common::stderr(&de));
    assert!(
        common::stderr(&de).contains("unknown language 'de'"),
        "{}",
        common::stderr(&de)
    );
}
