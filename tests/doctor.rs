//! `kaching doctor` driven as a user would: the real binary on a seeded data dir, with one real
//! cause per ✘ — a closed port as the printer, device paths that do not exist, a wrong till
//! secret against a real `kaching pay-server`, a central database (a real MariaDB one) without a
//! shared pepper, a central URL at a closed port, a bad setting — each with its fix line and
//! exit code 1; and a healthy till, in the table and in JSON, with exit code 0. The table is
//! read in English (`--lang en`), and in Dutch and French by the tests of the languages; the JSON
//! is English whatever the language.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::mysql::TestDb;
use serde_json::Value;

/// The checks, in the table's order (the JSON `check` ids).
const ORDER: [&str; 12] = [
    "settings",
    "data_dir",
    "ledger",
    "pin_pepper",
    "central",
    "payment_server",
    "payment_provider",
    "printer",
    "scanner",
    "time_zone",
    "clock",
    "disk",
];

/// What one `kaching doctor` run printed, and its exit code.
struct Doctor {
    code: i32,
    out: String,
    took: Duration,
}

impl Doctor {
    /// `kaching --lang en doctor`.
    fn run(cmd: Command) -> Doctor {
        Doctor::run_in(cmd, Some("en"))
    }

    /// `kaching [--lang LANG] doctor`.
    fn run_in(mut cmd: Command, lang: Option<&str>) -> Doctor {
        if let Some(lang) = lang {
            cmd.args(["--lang", lang]);
        }
        let started = Instant::now();
        let o = cmd.arg("doctor").stdin(Stdio::null()).output().unwrap();
        let took = started.elapsed();
        Doctor {
            code: o.status.code().expect("doctor killed by a signal"),
            out: format!(
                "{}{}",
                common::stdout(&o),
                if o.stderr.is_empty() {
                    String::new()
                } else {
                    format!("--- stderr:\n{}", common::stderr(&o))
                }
            ),
            took,
        }
    }

    /// The table's line of the check labelled `label` (the mark, the label, the detail).
    fn line(&self, label: &str) -> &str {
        self.out
            .lines()
            .find(|l| {
                l.get(l.find(' ').map_or(0, |i| i + 1)..)
                    .is_some_and(|rest| rest.starts_with(&format!("{label} ")))
            })
            .unwrap_or_else(|| panic!("no line for {label}:\n{}", self.out))
    }

    /// Asserts the check is ✘, its detail contains `detail` and its fix line `fix`.
    fn assert_fails(&self, label: &str, detail: &str, fix: &str) {
        self.assert_fails_in("fix: ", label, detail, fix);
    }

    /// The same, with the fix line's word of the table's language (`oplossing: `).
    fn assert_fails_in(&self, fix_word: &str, label: &str, detail: &str, fix: &str) {
        let line = self.line(label);
        assert!(line.starts_with("✘ "), "{label} should fail:\n{}", self.out);
        assert!(
            line.contains(detail),
            "{label}: {detail:?} not in {line:?}\n{}",
            self.out
        );
        let lines: Vec<&str> = self.out.lines().collect();
        let at = lines.iter().position(|l| *l == line).unwrap();
        let next = lines.get(at + 1).copied().unwrap_or("");
        assert_eq!(
            next.trim_start().strip_prefix(fix_word),
            Some(fix),
            "{label}'s fix line:\n{}",
            self.out
        );
        assert_eq!(self.code, 1, "a failing check must exit 1:\n{}", self.out);
    }

    fn assert_passes(&self, label: &str, detail: &str) {
        let line = self.line(label);
        assert!(line.starts_with("✔ "), "{label} should pass:\n{}", self.out);
        assert!(line.contains(detail), "{detail:?} not in {line:?}");
    }

    /// The labels of the ✘ lines.
    fn failing(&self) -> Vec<String> {
        self.out
            .lines()
            .filter_map(|l| l.strip_prefix("✘ "))
            .map(|rest| rest.split("  ").next().unwrap_or("").trim().to_owned())
            .collect()
    }
}

/// `kaching doctor --format json`, parsed.
fn doctor_json(mut cmd: Command) -> (i32, Vec<Value>) {
    let o = cmd
        .args(["doctor", "--format", "json"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            common::stdout(&o),
            common::stderr(&o)
        )
    });
    (o.status.code().unwrap(), v.as_array().unwrap().clone())
}

/// The names in `dir`, but the ledger's WAL files (opening the ledger may create them).
fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("ledger.sqlite-"))
        .collect();
    names.sort();
    names
}

#[test]
fn a_healthy_seeded_till_passes_every_required_check() {
    let dir = common::seeded_dir();
    let before = files(dir.path());
    let d = Doctor::run(common::kaching(dir.path()));
    assert_eq!(d.code, 0, "{}", d.out);
    assert!(d.failing().is_empty(), "{}", d.out);
    assert!(
        d.out.starts_with(&format!(
            "KACHING doctor — till till-1, data dir {}\n",
            dir.path().display()
        )),
        "{}",
        d.out
    );
    d.assert_passes("settings", "valid");
    d.assert_passes("data dir", "exists and is writable");
    d.assert_passes("ledger", "every chain verifies");
    d.assert_passes("PIN pepper", "set explicitly");
    d.assert_passes("printer", "tickets go to");
    d.assert_passes("time zone", "Europe/Brussels");
    d.assert_passes("free disk", "free of");
    // Not configured: shown, not required.
    assert!(
        d.line("central db")
            .starts_with("- central db   no central database configured: the till works alone"),
        "{}",
        d.out
    );
    assert!(d.line("payment").starts_with("- "), "{}", d.out);
    assert!(d.line("scanner").starts_with("- "), "{}", d.out);
    // The clock is ✔, or ⚠ where timedatectl cannot say (no systemd in this container).
    let clock = d.line("clock");
    assert!(
        clock.starts_with("✔ ") || (clock.starts_with("⚠ ") && clock.contains("NTP state unknown")),
        "{clock}"
    );
    assert!(d.out.ends_with("All required checks pass.\n"), "{}", d.out);
    // Nothing was created by looking: no tickets dir, no pepper file, no probe left behind.
    assert_eq!(files(dir.path()), before, "the doctor left files behind");

    let (code, checks) = doctor_json(common::kaching(dir.path()));
    assert_eq!(code, 0);
    let ids: Vec<&str> = checks
        .iter()
        .map(|c| c["check"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ORDER);
    for c in &checks {
        assert!(c["detail"].as_str().is_some_and(|d| !d.is_empty()), "{c}");
        if c["required"] == true {
            assert_eq!(c["ok"], true, "{c}");
            assert!(c["status"] == "pass" || c["status"] == "warn", "{c}");
            assert_eq!(c["fix"], Value::Null, "{c}");
        }
    }
    let by_id = |id: &str| checks.iter().find(|c| c["check"] == id).unwrap();
    assert_eq!(by_id("central")["required"], false);
    assert_eq!(by_id("central")["status"], "skip");
    assert_eq!(by_id("ledger")["required"], true);
}

#[test]
fn a_printer_at_a_closed_port_fails_with_its_fix() {
    let dir = common::seeded_dir();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut cmd = common::kaching(dir.path());
    cmd.env("KACHING_PRINTER__DRIVER", "tcp")
        .env("KACHING_PRINTER__TARGET", format!("127.0.0.1:{port}"));
    let d = Doctor::run(cmd);
    d.assert_fails(
        "printer",
        &format!("tcp 127.0.0.1:{port}: Connection refused"),
        "switch the printer on, check its cable and IP address (its self-test page shows it), or correct printer.target",
    );
    assert_eq!(d.failing(), ["printer"], "{}", d.out);
    assert!(
        d.out
            .ends_with("1 required check fails: apply its fix, then run `kaching doctor` again.\n")
    );

    // The same printer listening: ✔ and exit 0.
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut cmd = common::kaching(dir.path());
    cmd.env("KACHING_PRINTER__DRIVER", "tcp")
        .env("KACHING_PRINTER__TARGET", format!("127.0.0.1:{port}"));
    let d = Doctor::run(cmd);
    d.assert_passes("printer", &format!("tcp 127.0.0.1:{port}: connects in"));
    assert_eq!(d.code, 0, "{}", d.out);
}

#[test]
fn missing_device_paths_fail_for_the_printer_and_the_scanner() {
    let dir = common::seeded_dir();
    let lp = dir.path().join("no-such-lp0");
    let mut cmd = common::kaching(dir.path());
    cmd.env("KACHING_PRINTER__DRIVER", "device")
        .env("KACHING_PRINTER__TARGET", &lp)
        .env("KACHING_SCANNER__DEVICE", "/dev/input/by-id/nonexistent");
    let d = Doctor::run(cmd);
    d.assert_fails(
        "printer",
        &format!("device {}: no such device", lp.display()),
        "plug in and switch on the printer (`ls /dev/usb/` lists USB printers), or correct printer.target",
    );
    d.assert_fails(
        "scanner",
        "/dev/input/by-id/nonexistent: no such device",
        "plug in the scanner, and set scanner.device to one of `ls /dev/input/by-id/` (the one ending in -event-kbd)",
    );
    assert_eq!(d.failing(), ["printer", "scanner"], "{}", d.out);
    assert!(!lp.exists(), "the doctor created the printer's device file");

    let (code, checks) = {
        let mut cmd = common::kaching(dir.path());
        cmd.env("KACHING_PRINTER__DRIVER", "device")
            .env("KACHING_PRINTER__TARGET", &lp)
            .env("KACHING_SCANNER__DEVICE", "/dev/input/by-id/nonexistent");
        doctor_json(cmd)
    };
    assert_eq!(code, 1);
    let scanner = checks.iter().find(|c| c["check"] == "scanner").unwrap();
    assert_eq!(scanner["ok"], false);
    assert_eq!(scanner["required"], true);
    assert!(
        scanner["fix"]
            .as_str()
            .unwrap()
            .contains("/dev/input/by-id/")
    );
}

/// A `kaching pay-server` on a loopback port with its own data dir, killed on drop.
struct PayServer {
    _dir: tempfile::TempDir,
    child: Child,
    url: String,
    /// The secret `pay-server till add till-1` printed.
    secret: String,
}

impl Drop for PayServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl PayServer {
    #[allow(clippy::zombie_processes)] // Drop kills and waits for it.
    fn start() -> PayServer {
        let dir = tempfile::tempdir().unwrap();
        let o = common::run(dir.path(), &["pay-server", "till", "add", "till-1"], "");
        assert!(o.status.success(), "till add: {}", common::stderr(&o));
        let secret = common::stdout(&o).trim().to_owned();
        assert_eq!(secret.len(), 64, "{secret}");
        let port = common::free_port();
        let child = common::kaching(dir.path())
            .arg("pay-server")
            .env("KACHING_PAY_SERVER__BIND", format!("127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = PayServer {
            _dir: dir,
            child,
            url: format!("http://127.0.0.1:{port}"),
            secret,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                assert_eq!(common::get(&format!("{}/healthz", server.url)).0, 200);
                return server;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("the pay-server did not start");
    }

    fn till(&self, dir: &Path, secret: &str) -> Command {
        let mut cmd = common::kaching(dir);
        cmd.env("KACHING_PAYMENT__SERVER_URL", &self.url)
            .env("KACHING_PAYMENT__TILL_SECRET", secret);
        cmd
    }
}

#[test]
fn a_wrong_till_secret_is_refused_by_the_real_payment_server() {
    let server = PayServer::start();
    let dir = common::seeded_dir();
    let wrong = "0".repeat(64);
    assert_ne!(wrong, server.secret);
    let d = Doctor::run(server.till(dir.path(), &wrong));
    d.assert_fails(
        "payment",
        &format!("{} refuses till-1's signature: unauthorized: signature does not match", server.url),
        "the till secret is wrong: run `kaching pay-server till add till-1` on the server and set KACHING_PAYMENT__TILL_SECRET",
    );
    assert_eq!(d.failing(), ["payment"], "{}", d.out);

    // The secret the server printed: accepted.
    let d = Doctor::run(server.till(dir.path(), &server.secret));
    d.assert_passes("payment", &format!("{} answers in", server.url));
    assert!(
        d.line("payment")
            .ends_with("ms and accepts till-1's signature"),
        "{}",
        d.out
    );
    assert_eq!(d.code, 0, "{}", d.out);

    // A till the server does not know is refused the same way.
    let mut cmd = server.till(dir.path(), &server.secret);
    cmd.env("KACHING_TILL__ID", "till-9");
    let d = Doctor::run(cmd);
    d.assert_fails(
        "payment",
        "refuses till-9's signature",
        "the till secret is wrong: run `kaching pay-server till add till-9` on the server and set KACHING_PAYMENT__TILL_SECRET",
    );
}

#[test]
fn a_payment_server_that_does_not_answer_fails_fast() {
    let dir = common::seeded_dir();
    let url = format!("http://127.0.0.1:{}", common::free_port());
    let mut cmd = common::kaching(dir.path());
    cmd.env("KACHING_PAYMENT__SERVER_URL", &url)
        .env("KACHING_PAYMENT__TILL_SECRET", "s");
    let d = Doctor::run(cmd);
    d.assert_fails(
        "payment",
        &format!("{url}: Connection refused"),
        "check payment.server_url (KACHING_PAYMENT__SERVER_URL), the network, and that the pay-server runs (`systemctl status kaching-pay-server` on the server)",
    );
    assert!(d.took < Duration::from_secs(10), "took {:?}", d.took);
}

/// A command for a till sharing the central database `db`.
fn central_till(dir: &Path, db: &TestDb) -> Command {
    let mut cmd = common::kaching(dir);
    cmd.env("KACHING_CENTRAL__URL", &db.url);
    cmd
}

#[test]
fn a_central_database_without_a_shared_pepper_fails() {
    let db = TestDb::create();
    let dir = common::seeded_dir();
    let o = central_till(dir.path(), &db)
        .args(["migrate", "--central"])
        .output()
        .unwrap();
    assert!(o.status.success(), "migrate: {}", common::stderr(&o));

    // With the shared pepper: the central database answers, with its schema version.
    let d = Doctor::run(central_till(dir.path(), &db));
    let target = format!("127.0.0.1:3306/{}", db.name);
    d.assert_passes("central db", &format!("{target} answers in"));
    assert!(d.line("central db").ends_with("(up to date)"), "{}", d.out);
    d.assert_passes("PIN pepper", "set explicitly");
    assert_eq!(d.code, 0, "{}", d.out);

    // No pepper at all.
    let mut cmd = central_till(dir.path(), &db);
    cmd.env_remove("KACHING_PIN_PEPPER");
    let d = Doctor::run(cmd);
    d.assert_fails(
        "PIN pepper",
        "central.url is set but no PIN pepper is",
        "set the same KACHING_PIN_PEPPER (or pin_pepper) on every till sharing this central database",
    );
    assert_eq!(d.failing(), ["PIN pepper"], "{}", d.out);

    // A pepper only in this data dir's own file: a ✘ too, with what to copy.
    let file = dir.path().join("pin_pepper");
    std::fs::write(&file, "only-this-till-knows-it").unwrap();
    let mut cmd = central_till(dir.path(), &db);
    cmd.env_remove("KACHING_PIN_PEPPER");
    let d = Doctor::run(cmd);
    d.assert_fails(
        "PIN pepper",
        &format!("the pepper is only in {}", file.display()),
        &format!(
            "set KACHING_PIN_PEPPER to the content of {} on every till sharing this central database",
            file.display()
        ),
    );

    // The same file without a central database: this till's own pepper is fine.
    let mut cmd = common::kaching(dir.path());
    cmd.env_remove("KACHING_PIN_PEPPER");
    let d = Doctor::run(cmd);
    d.assert_passes("PIN pepper", &format!("kept in {}", file.display()));
    assert_eq!(d.code, 0, "{}", d.out);
}

#[test]
fn a_central_database_never_migrated_says_to_migrate() {
    let db = TestDb::create();
    let dir = common::seeded_dir();
    let d = Doctor::run(central_till(dir.path(), &db));
    d.assert_fails(
        "central db",
        "holds no KACHING schema",
        "run `kaching migrate --central`",
    );
    assert_eq!(d.failing(), ["central db"], "{}", d.out);
}

#[test]
fn a_central_url_at_a_closed_port_fails_fast() {
    let dir = common::seeded_dir();
    let port = common::free_port();
    let mut cmd = common::kaching(dir.path());
    cmd.env(
        "KACHING_CENTRAL__URL",
        format!("mysql://root@127.0.0.1:{port}/kaching"),
    );
    let d = Doctor::run(cmd);
    d.assert_fails(
        "central db",
        &format!("127.0.0.1:{port}/kaching: Connection refused"),
        "check that the database server runs and that this till reaches it (host, port, firewall), or correct central.url (KACHING_CENTRAL__URL)",
    );
    assert!(d.took < Duration::from_secs(10), "took {:?}", d.took);
}

#[test]
fn a_bad_setting_is_the_one_failing_line() {
    let dir = common::seeded_dir();
    let mut cmd = common::kaching(dir.path());
    cmd.env("KACHING_PRINTER__WIDTH", "7");
    let d = Doctor::run(cmd);
    d.assert_fails(
        "settings",
        "setting printer.width: 32 to 64 columns",
        "correct printer.width in the config file, or the variable KACHING_PRINTER__WIDTH that sets it",
    );
    let lines: Vec<&str> = d.out.lines().collect();
    assert_eq!(
        lines.len(),
        4,
        "header, the ✘ line, its fix, the summary:\n{}",
        d.out
    );
    assert_eq!(
        lines[0],
        format!("KACHING doctor — data dir {}", dir.path().display())
    );

    let mut cmd = common::kaching(dir.path());
    cmd.env("KACHING_PRINTER__WIDTH", "7");
    let (code, checks) = doctor_json(cmd);
    assert_eq!(code, 1);
    assert_eq!(checks.len(), 1, "{checks:?}");
    assert_eq!(checks[0]["check"], "settings");
    assert_eq!(checks[0]["ok"], false);

    // A config file that does not exist is a settings ✘ too, not a crash.
    let mut cmd = common::kaching(dir.path());
    cmd.arg("--config").arg(dir.path().join("nope.toml"));
    let d = Doctor::run(cmd);
    d.assert_fails(
        "settings",
        "nope.toml does not exist",
        "check the --config path (the package's is /etc/kaching/kaching.toml)",
    );
}

#[test]
fn servers_that_accept_but_never_answer_fail_within_the_bound() {
    // The kernel accepts the connections; nobody ever speaks: a black hole.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let dir = common::seeded_dir();
    let mut cmd = common::kaching(dir.path());
    cmd.env(
        "KACHING_CENTRAL__URL",
        format!("mysql://root@127.0.0.1:{port}/kaching"),
    )
    .env(
        "KACHING_PAYMENT__SERVER_URL",
        format!("http://127.0.0.1:{port}"),
    )
    .env("KACHING_PAYMENT__TILL_SECRET", "s");
    let d = Doctor::run(cmd);
    d.assert_fails(
        "central db",
        &format!("127.0.0.1:{port}/kaching: no answer within 3 s"),
        "check that the database server runs and that this till reaches it (host, port, firewall), or correct central.url (KACHING_CENTRAL__URL)",
    );
    d.assert_fails(
        "payment",
        &format!("http://127.0.0.1:{port}: operation timed out"),
        "check payment.server_url (KACHING_PAYMENT__SERVER_URL), the network, and that the pay-server runs (`systemctl status kaching-pay-server` on the server)",
    );
    assert_eq!(d.failing(), ["central db", "payment"], "{}", d.out);
    // Both are asked at once: the whole run stays near one bound, not the sum.
    assert!(d.took < Duration::from_secs(8), "took {:?}", d.took);
    drop(silent);
}

/// A seeded data dir where the admin (who may sell at any hour) sold two articles in cash.
fn dir_with_sales() -> tempfile::TempDir {
    let dir = common::seeded_dir();
    let mut till = common::Till::start(dir.path());
    assert!(
        till.cmd("login 1 1111")
            .iter()
            .any(|e| e["event"] == "logged_in")
    );
    for _ in 0..2 {
        till.cmd("scan 1234");
        let ev = till.cmd("pay main cash");
        assert!(ev.iter().any(|e| e["event"] == "sale_committed"), "{ev:?}");
    }
    till.quit();
    dir
}

#[test]
fn a_clock_set_before_the_last_sale_fails() {
    let dir = dir_with_sales();
    let d = Doctor::run(common::kaching(dir.path()));
    d.assert_passes("ledger", "2 sale(s) in 1 chain(s): every chain verifies");
    assert!(
        d.line("clock").contains(", after the last sale ("),
        "{}",
        d.out
    );
    assert_eq!(d.code, 0, "{}", d.out);

    // The same machine a day behind (a Pi without RTC that booted without network).
    let mut cmd = common::kaching(dir.path());
    cmd.env("LD_PRELOAD", common::libfaketime())
        .env("FAKETIME", "-1d")
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1");
    let d = Doctor::run(cmd);
    d.assert_fails(
        "clock",
        ", before the last sale (",
        "set the time (connect the network for NTP, or `date -s`) before selling",
    );
    assert_eq!(d.failing(), ["clock"], "{}", d.out);
}

#[test]
fn an_altered_sale_breaks_the_ledger_check() {
    let dir = dir_with_sales();
    let path = dir.path().join(kaching::store::LEDGER_FILE);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP TRIGGER sale_lines_are_final_u; DROP TRIGGER sales_are_final_u;
         UPDATE sales SET revenue_cents = 1, paid_cents = 1 WHERE ticket_no = 2;",
    )
    .unwrap();
    drop(conn);
    let d = Doctor::run(common::kaching(dir.path()));
    d.assert_fails(
        "ledger",
        "problem(s) in 2 sale(s), first: till-1 ticket 2: ",
        "`kaching verify` lists them; keep a copy of the data dir as it is and restore the last good backup",
    );
    assert_eq!(d.failing(), ["ledger"], "{}", d.out);
}

#[test]
fn the_doctor_speaks_dutch_when_asked_and_french_by_default_and_its_json_stays_english() {
    let dir = common::seeded_dir();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let closed_printer = || {
        let mut cmd = common::kaching(dir.path());
        cmd.env("KACHING_PRINTER__DRIVER", "tcp")
            .env("KACHING_PRINTER__TARGET", format!("127.0.0.1:{port}"));
        cmd
    };

    let nl = Doctor::run_in(closed_printer(), Some("nl"));
    assert!(
        nl.out.starts_with(&format!(
            "KACHING doctor — kassa till-1, datamap {}\n",
            dir.path().display()
        )),
        "{}",
        nl.out
    );
    nl.assert_fails_in(
        "oplossing: ",
        "printer",
        &format!("tcp 127.0.0.1:{port}: "),
        "zet de printer aan, controleer de kabel en het IP-adres (de testpagina van de printer toont het), of verbeter printer.target",
    );
    nl.assert_passes("instellingen", "KACHING_*-variabele(n): geldig");
    nl.assert_passes("datamap", "bestaat en is beschrijfbaar");
    nl.assert_passes("register", "0 verkopen in 0 ketens: elke keten klopt");
    nl.assert_passes("PIN-peper", "uitdrukkelijk ingesteld");
    assert!(
        nl.line("centrale db")
            .contains("geen centrale databank ingesteld: de kassa werkt alleen"),
        "{}",
        nl.out
    );
    assert_eq!(nl.failing(), ["printer"], "{}", nl.out);
    assert!(
        nl.out.ends_with(
            "1 vereiste controle faalt: pas de oplossing toe en voer `kaching doctor` opnieuw uit.\n"
        ),
        "{}",
        nl.out
    );
    for english in [
        "data dir",
        "fix:",
        "required check",
        "exists and is writable",
    ] {
        assert!(!nl.out.contains(english), "{english:?} in\n{}", nl.out);
    }

    // till.language = nl says the same without --lang.
    let mut cmd = closed_printer();
    cmd.env("KACHING_TILL__LANGUAGE", "nl");
    let by_setting = Doctor::run_in(cmd, None);
    assert_eq!(
        by_setting.out.lines().next(),
        nl.out.lines().next(),
        "{}",
        by_setting.out
    );
    assert!(
        by_setting.out.contains("oplossing: zet de printer aan"),
        "{}",
        by_setting.out
    );

    // French by default: the labels' column widens to « fuseau horaire ».
    let fr = Doctor::run_in(closed_printer(), None);
    fr.assert_fails_in(
        "correctif : ",
        "imprimante",
        &format!("tcp 127.0.0.1:{port} : "),
        "allumez l'imprimante, vérifiez son câble et son adresse IP (sa page d'autotest l'indique), ou corrigez printer.target",
    );
    fr.assert_passes("données", "existe et est accessible en écriture");
    // French plurals: zero is singular.
    fr.assert_passes(
        "registre",
        "0 vente dans 0 chaîne : chaque chaîne est vérifiée",
    );
    assert!(
        fr.line("fuseau horaire")
            .starts_with("✔ fuseau horaire Europe/Brussels, maintenant UTC"),
        "{}",
        fr.out
    );
    assert!(
        fr.line("disque libre").starts_with("✔ disque libre   "),
        "{}",
        fr.out
    );
    assert!(
        fr.out.ends_with("`kaching doctor`.\n") && fr.out.contains("1 contrôle requis échoue"),
        "{}",
        fr.out
    );

    // The JSON is for programs: the same fields, ids and English sentences in every language.
    let mut cmd = closed_printer();
    cmd.args(["--lang", "nl"]);
    let (code, checks) = doctor_json(cmd);
    assert_eq!(code, 1);
    let printer = checks.iter().find(|c| c["check"] == "printer").unwrap();
    assert_eq!(printer["status"], "fail");
    assert!(
        printer["fix"]
            .as_str()
            .unwrap()
            .starts_with("switch the printer on"),
        "{printer}"
    );
    let data_dir = checks.iter().find(|c| c["check"] == "data_dir").unwrap();
    assert!(
        data_dir["detail"]
            .as_str()
            .unwrap()
            .ends_with(": exists and is writable"),
        "{data_dir}"
    );
    let (_, default_checks) = doctor_json(closed_printer());
    let strip = |cs: &[Value]| -> Vec<Value> {
        // The clock's and the disk's details move between two runs.
        cs.iter()
            .filter(|c| c["check"] != "clock" && c["check"] != "disk")
            .cloned()
            .collect()
    };
    assert_eq!(strip(&default_checks), strip(&checks));
}
