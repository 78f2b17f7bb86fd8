//! `kaching doctor`: checks a deployment end to end (DESIGN §10) and prints one table, a line
//! per check — ✔ passed, ✘ failed (with the fix on the next line), ⚠ passed with a doubt, `-`
//! not configured or not checked — or, with `--format json`, the same as a JSON array of
//! `{check, ok, required, status, detail, fix}`. It exits 0 only when every required check
//! passes: a script (or the package's postinst, or a support call) can rely on that.
//!
//! Choices:
//! - Each check is a plain function returning a [`Check`], run in a fixed order (settings, data
//!   dir, ledger, pepper, central, payment, printer, scanner, time zone, clock, disk), so each is
//!   unit-tested alone; [`run`] only loads, calls and prints. The checks of this machine and
//!   its data dir are in `local.rs`, of the servers in `network.rs`, of the devices in
//!   `devices.rs`; every sentence is a [`Text`] made in `text.rs`, its words in the Fluent
//!   catalogues (`locales/<lang>/reports.ftl`, ids `doctor-…`).
//! - The table speaks the CLI's language (`--lang`, else `till.language`, else French when the
//!   settings do not load). The JSON is for programs: its fields and `check`/`status` values
//!   never change, and its `detail` and `fix` are always in English.
//! - Settings come first and are loaded here, not by `cli::run`: a settings error is the one
//!   thing the doctor must still report (one ✘ line, exit 1) rather than die on.
//! - A check of something not configured (central database, payment server, scanner) is `-`
//!   and not required; once configured it is required. A check that cannot run because an
//!   earlier one failed (the ledger when the data dir is unusable) is `-` and required: it did
//!   not pass. ⚠ is a pass with a doubt (NTP state unknown: no `timedatectl`, no systemd).
//! - Nothing waits long: the central database gets [`CENTRAL_WAIT`], the payment server
//!   [`PAYMENT_WAIT`], a network printer [`PRINTER_WAIT`], `lpstat`/`timedatectl`
//!   [`COMMAND_WAIT`]; a black-holed address is a ✘ within seconds.
//! - Observe, do not act: the doctor creates nothing (no data dir, no pepper file, no tickets
//!   dir, no CUPS job, no printed byte, no grabbed scanner). The one write is a probe file
//!   created and removed in the data dir. Opening the ledger applies its pending migrations,
//!   as the till's start would.
//! - The payment check signs a status request for a random intent id with the till's secret
//!   through the till's own [`PayClient`](crate::pay_web::client::PayClient): the server checks the signature before it looks
//!   the intent up, so `404 not found` means the signature was accepted and `401` that it was
//!   refused (a wrong or revoked secret, or a clock outside the tolerance the client could not
//!   correct).
//! - The central schema version is the highest version in refinery's `refinery_schema_history`
//!   table, compared with the highest migration this program embeds.

mod devices;
mod local;
mod network;
mod text;

pub use devices::{printer, scanner};
pub use local::{
    LastSale, Ntp, clock_check, data_dir_check, disk, disk_space, ledger, ntp_state, pin_pepper,
    settings_failed, settings_ok, time_zone,
};
pub use network::{central, latest_central_version, payment};

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::clock::{SharedClock, SystemClock};
use crate::config::Settings;
use crate::i18n::{Lang, Text};

/// How long the central database has to answer (connect, `SELECT 1`, the schema version).
pub const CENTRAL_WAIT: Duration = Duration::from_secs(3);
/// How long the payment server has for `/healthz`, then for the signed request.
pub const PAYMENT_WAIT: Duration = Duration::from_secs(3);
/// How long a network printer has to accept a connection.
pub const PRINTER_WAIT: Duration = Duration::from_secs(2);
/// How long `lpstat` or `timedatectl` may take.
pub const COMMAND_WAIT: Duration = Duration::from_secs(3);
/// Below this much free space on the data dir's filesystem the disk check fails.
pub const MIN_FREE_BYTES: u64 = 100_000_000;
pub use crate::secrets::PEPPER_FILE;

/// `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Txt,
    Json,
}

/// What is checked, in the table's order. `as_str` is the JSON `check` field (stable; the
/// table's label may be translated).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckId {
    Settings,
    DataDir,
    Ledger,
    PinPepper,
    Central,
    Payment,
    Provider,
    Printer,
    Scanner,
    TimeZone,
    Clock,
    Disk,
}

impl CheckId {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckId::Settings => "settings",
            CheckId::DataDir => "data_dir",
            CheckId::Ledger => "ledger",
            CheckId::PinPepper => "pin_pepper",
            CheckId::Central => "central",
            CheckId::Payment => "payment_server",
            CheckId::Provider => "payment_provider",
            CheckId::Printer => "printer",
            CheckId::Scanner => "scanner",
            CheckId::TimeZone => "time_zone",
            CheckId::Clock => "clock",
            CheckId::Disk => "disk",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// ✔
    Pass,
    /// ✘, with a fix.
    Fail,
    /// ⚠: passed, with a doubt the detail explains.
    Warn,
    /// `-`: not configured, or not checked because an earlier check failed.
    Skip,
}

impl Status {
    pub fn mark(self) -> &'static str {
        match self {
            Status::Pass => "✔",
            Status::Fail => "✘",
            Status::Warn => "⚠",
            Status::Skip => "-",
        }
    }
}

/// One line of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub id: CheckId,
    pub status: Status,
    /// Whether the deployment needs it to pass (false only for what is not configured).
    pub required: bool,
    pub detail: Text,
    /// What to do, in one line (every failure has one).
    pub fix: Option<Text>,
}

impl Check {
    /// The detail in `lang`.
    pub fn detail_in(&self, lang: Lang) -> String {
        self.detail.render(lang)
    }

    /// The fix in `lang`.
    pub fn fix_in(&self, lang: Lang) -> Option<String> {
        self.fix.as_ref().map(|f| f.render(lang))
    }

    pub fn pass(id: CheckId, detail: Text) -> Check {
        Check {
            id,
            status: Status::Pass,
            required: true,
            detail,
            fix: None,
        }
    }

    pub fn fail(id: CheckId, detail: Text, fix: Text) -> Check {
        Check {
            id,
            status: Status::Fail,
            required: true,
            detail,
            fix: Some(fix),
        }
    }

    pub fn warn(id: CheckId, detail: Text) -> Check {
        Check {
            status: Status::Warn,
            ..Check::pass(id, detail)
        }
    }

    /// An optional part that is not configured: nothing to check.
    pub fn not_configured(id: CheckId, detail: Text) -> Check {
        Check {
            id,
            status: Status::Skip,
            required: false,
            detail,
            fix: None,
        }
    }

    /// A required check that could not run (an earlier one failed): it did not pass.
    pub fn not_checked(id: CheckId, detail: Text) -> Check {
        Check {
            required: true,
            ..Check::not_configured(id, detail)
        }
    }

    pub fn ok(&self) -> bool {
        match self.status {
            Status::Pass | Status::Warn => true,
            Status::Skip => !self.required,
            Status::Fail => false,
        }
    }
}

/// 0 when every required check passed, 1 otherwise.
pub fn exit_code(checks: &[Check]) -> i32 {
    if checks.iter().all(|c| !c.required || c.ok()) {
        0
    } else {
        1
    }
}

/// `kaching doctor`: load the settings (a failure is the first and only ✘), run every check,
/// print them in `lang` (default: `till.language`), return the exit code.
pub fn run(
    config: Option<&Path>,
    data_dir: &Path,
    format: OutputFormat,
    lang: Option<Lang>,
) -> anyhow::Result<i32> {
    let clock: SharedClock = Arc::new(SystemClock);
    let (till, checks, lang) = match Settings::load(config) {
        Ok(settings) => {
            let checks = check_all(&settings, config, data_dir, clock);
            let lang = lang.unwrap_or(settings.language);
            (Some(settings.till_id), checks, lang)
        }
        Err(e) => (None, vec![settings_failed(&e)], lang.unwrap_or_default()),
    };
    match format {
        OutputFormat::Txt => print!("{}", to_table_in(lang, till.as_deref(), data_dir, &checks)),
        OutputFormat::Json => println!("{}", to_json(&checks)?),
    }
    Ok(exit_code(&checks))
}

/// Every check, in order, for settings that loaded.
pub fn check_all(
    settings: &Settings,
    config: Option<&Path>,
    data_dir: &Path,
    clock: SharedClock,
) -> Vec<Check> {
    let mut checks = vec![settings_ok(config), data_dir_check(data_dir)];
    let dir_ok = checks[1].ok();
    let (ledger_check, ledger) = ledger(data_dir, dir_ok);
    checks.push(ledger_check);
    let staff = ledger.as_ref().and_then(|l| l.staff_count().ok());
    checks.push(pin_pepper(settings, data_dir, staff));
    let (central_check, payment_check) = actix::System::new().block_on(async {
        futures_util::join!(
            central(settings.central_url.as_ref()),
            payment(settings, clock.clone())
        )
    });
    checks.push(central_check);
    checks.push(payment_check);
    checks.push(provider(&settings.pay_server.provider));
    checks.push(printer(&settings.printer.driver, data_dir));
    checks.push(scanner(settings.scanner.device.as_deref()));
    let now = clock.now();
    checks.push(time_zone(settings.tz, now));
    let last_sale = match ledger.as_ref().map(|l| l.last_paid_at(&settings.till_id)) {
        Some(Ok(Some(t))) => LastSale::At(t),
        Some(Ok(None)) => LastSale::NoneYet,
        None | Some(Err(_)) => LastSale::Unknown,
    };
    checks.push(clock_check(now, last_sale, settings.tz, &ntp_state()));
    checks.push(disk(data_dir));
    checks
}

/// The table `kaching doctor` prints, in English. See [`to_table_in`].
pub fn to_table(till: Option<&str>, data_dir: &Path, checks: &[Check]) -> String {
    to_table_in(Lang::En, till, data_dir, checks)
}

/// The table `kaching doctor` prints, in `lang`.
pub fn to_table_in(lang: Lang, till: Option<&str>, data_dir: &Path, checks: &[Check]) -> String {
    let mut out = text::header(lang, till, data_dir);
    out.push('\n');
    // The labels' column: 12 wide, or as wide as the language's longest label.
    let width = checks
        .iter()
        .map(|c| text::label(lang, c.id).chars().count())
        .fold(12, usize::max);
    let fix_word = text::fix(lang);
    for c in checks {
        out.push_str(&format!(
            "{} {:<width$} {}\n",
            c.status.mark(),
            text::label(lang, c.id),
            c.detail_in(lang)
        ));
        if let Some(fix) = c.fix_in(lang).filter(|_| !c.ok()) {
            out.push_str(&format!("  {:<width$} {fix_word} {fix}\n", ""));
        }
    }
    let failing = checks.iter().filter(|c| c.required && !c.ok()).count();
    out.push_str(&text::summary(lang, failing));
    out.push('\n');
    out
}

#[derive(Serialize)]
struct JsonCheck {
    check: &'static str,
    ok: bool,
    required: bool,
    status: Status,
    detail: String,
    fix: Option<String>,
}

/// The same as JSON: `[{check, ok, required, status, detail, fix}]`, `detail` and `fix` in
/// English whatever the CLI's language (a file format, not a sentence to a person).
pub fn to_json(checks: &[Check]) -> serde_json::Result<String> {
    let rows: Vec<JsonCheck> = checks
        .iter()
        .map(|c| JsonCheck {
            check: c.id.as_str(),
            ok: c.ok(),
            required: c.required,
            status: c.status,
            detail: c.detail_in(Lang::En),
            fix: c.fix_in(Lang::En),
        })
        .collect();
    serde_json::to_string_pretty(&rows)
}

/// Creates and removes a probe file in `dir`.
fn probe_write(dir: &Path) -> std::io::Result<()> {
    let probe = dir.join(format!(".kaching-doctor-{}", std::process::id()));
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)?;
    drop(file);
    std::fs::remove_file(&probe)
}

/// The innermost cause of an error: what went wrong, without the wrappers' words (reqwest says
/// "error sending request", mysql_async says "Input/output error" twice; the detail already
/// names the server).
fn root_cause(e: &dyn std::error::Error) -> String {
    let mut cause = e;
    while let Some(s) = cause.source() {
        cause = s;
    }
    cause.to_string()
}

/// A command's output, or why it gave none, within [`COMMAND_WAIT`].
fn run_command(program: &str, args: &[&str]) -> Result<std::process::Output, String> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env("LC_ALL", "C")
        .spawn()
        .map_err(|e| format!("{program}: {e}"))?;
    let deadline = Instant::now() + COMMAND_WAIT;
    loop {
        match child.try_wait() {
            Ok(Some(_)) => return child.wait_with_output().map_err(|e| e.to_string()),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{program}: no answer within {} s",
                    COMMAND_WAIT.as_secs()
                ));
            }
            Err(e) => return Err(format!("{program}: {e}")),
        }
    }
}

fn first_line(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .to_owned()
}

/// The nearest directory that exists at or above `path`.
fn existing_ancestor(path: &Path) -> Option<PathBuf> {
    path.ancestors().find(|p| p.is_dir()).map(Path::to_owned)
}

/// What proves a payment on the pay-server this configuration runs: a warning for `manual`
/// (nothing does), the profile and callback URL for Payconiq.
pub fn provider(settings: &crate::config::ProviderSettings) -> Check {
    match settings {
        crate::config::ProviderSettings::Manual => {
            Check::warn(CheckId::Provider, text::provider_manual())
        }
        crate::config::ProviderSettings::Payconiq(p) => Check::pass(
            CheckId::Provider,
            text::provider_payconiq(&p.payment_profile_id, &p.callback_url),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_required_checks_that_did_not_pass_fail_the_exit() {
        let pass = Check::pass(CheckId::Disk, "d".into());
        let warn = Check::warn(CheckId::Clock, "c".into());
        let optional = Check::not_configured(CheckId::Central, "none".into());
        assert_eq!(exit_code(&[pass.clone(), warn, optional]), 0);
        let not_checked = Check::not_checked(CheckId::Ledger, "x".into());
        assert!(!not_checked.ok());
        assert_eq!(exit_code(&[pass.clone(), not_checked]), 1);
        let fail = Check::fail(CheckId::Printer, "p".into(), "f".into());
        assert_eq!(exit_code(&[pass, fail]), 1);
    }

    #[test]
    fn the_table_speaks_the_language_asked_and_the_json_stays_english() {
        let dir = Path::new("/d");
        let checks = [
            Check::pass(CheckId::Disk, text::disk_ok("5.0 GB", "8.0 GB", dir)),
            Check::fail(
                CheckId::Printer,
                text::printer_tcp_failed("10.0.0.9:9100", "Connection refused"),
                text::printer_tcp_fix(),
            ),
            Check::not_configured(CheckId::Central, text::central_none()),
        ];
        let nl = to_table_in(Lang::Nl, Some("till-1"), dir, &checks);
        let lines: Vec<&str> = nl.lines().collect();
        assert_eq!(lines[0], "KACHING doctor — kassa till-1, datamap /d");
        assert_eq!(lines[1], "✔ vrije schijf 5.0 GB vrij van 8.0 GB op /d");
        assert_eq!(
            lines[2],
            "✘ printer      tcp 10.0.0.9:9100: Connection refused"
        );
        assert!(
            lines[3].trim().starts_with("oplossing: zet de printer aan"),
            "{nl}"
        );
        assert_eq!(
            lines[4],
            "- centrale db  geen centrale databank ingesteld: de kassa werkt alleen"
        );
        assert!(lines[5].starts_with("1 vereiste controle faalt"), "{nl}");
        let fr = to_table_in(Lang::Fr, None, dir, &checks);
        assert!(
            fr.contains("✘ imprimante    tcp 10.0.0.9:9100 : Connection refused"),
            "{fr}"
        );
        assert!(fr.contains("correctif : allumez l'imprimante"), "{fr}");
        let json: serde_json::Value = serde_json::from_str(&to_json(&checks).unwrap()).unwrap();
        assert_eq!(json[0]["detail"], "5.0 GB free of 8.0 GB on /d");
        assert!(
            json[1]["fix"]
                .as_str()
                .unwrap()
                .starts_with("switch the printer on")
        );
    }

    #[test]
    fn the_table_shows_the_fix_under_each_failure_only() {
        let checks = [
            Check::pass(CheckId::Disk, "plenty".into()),
            Check::fail(CheckId::Printer, "refused".into(), "switch it on".into()),
            Check::not_configured(CheckId::Central, "alone".into()),
        ];
        let t = to_table(Some("till-1"), Path::new("/d"), &checks);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "KACHING doctor — till till-1, data dir /d");
        assert_eq!(lines[1], "✔ free disk    plenty");
        assert_eq!(lines[2], "✘ printer      refused");
        assert_eq!(lines[3].trim(), "fix: switch it on");
        assert_eq!(lines[4], "- central db   alone");
        assert!(lines[5].starts_with("1 required check fails"), "{t}");
        let json: serde_json::Value = serde_json::from_str(&to_json(&checks).unwrap()).unwrap();
        assert_eq!(json[1]["check"], "printer");
        assert_eq!(json[1]["ok"], false);
        assert_eq!(json[1]["fix"], "switch it on");
        assert_eq!(json[2]["required"], false);
        assert_eq!(json[2]["ok"], true);
        assert_eq!(json[0]["fix"], serde_json::Value::Null);
    }
}
