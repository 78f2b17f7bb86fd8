//! Every sentence `kaching doctor` prints, in one place: the labels of the table, the details
//! and the one-line fixes, as [`Text`]s whose words are in `locales/<lang>/reports.ftl`
//! (`doctor-…`). The table renders them in the CLI's language (`--lang`, else `till.language`);
//! `--format json` renders them in English, so a script reading `detail` and `fix` sees the same
//! words whatever the till speaks. What the doctor quotes (an error of the system, of MySQL, of
//! the payment server; the settings' own error) stays as it was said.

use std::path::Path;

use super::CheckId;
use crate::i18n::{Lang, Text, t};

fn msg(id: &'static str) -> Text {
    Text::msg(id)
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

fn num(n: impl TryInto<i64>) -> i64 {
    n.try_into().unwrap_or(i64::MAX)
}

/// The table's first column.
pub fn label(lang: Lang, id: CheckId) -> String {
    let id = match id {
        CheckId::Settings => "doctor-label-settings",
        CheckId::DataDir => "doctor-label-data-dir",
        CheckId::Ledger => "doctor-label-ledger",
        CheckId::PinPepper => "doctor-label-pin-pepper",
        CheckId::Central => "doctor-label-central",
        CheckId::Payment => "doctor-label-payment",
        CheckId::Provider => "doctor-label-provider",
        CheckId::Printer => "doctor-label-printer",
        CheckId::Scanner => "doctor-label-scanner",
        CheckId::TimeZone => "doctor-label-time-zone",
        CheckId::Clock => "doctor-label-clock",
        CheckId::Disk => "doctor-label-disk",
    };
    t(lang, id, &[])
}

pub fn header(lang: Lang, till: Option<&str>, data_dir: &Path) -> String {
    let dir = ("dir", path(data_dir).into());
    match till {
        Some(till) => t(lang, "doctor-header-till", &[("till", till.into()), dir]),
        None => t(lang, "doctor-header", &[dir]),
    }
}

pub fn fix(lang: Lang) -> String {
    t(lang, "doctor-fix", &[])
}

pub fn summary(lang: Lang, failing: usize) -> String {
    t(lang, "doctor-summary", &[("failing", num(failing).into())])
}

// Settings.

pub fn settings_ok(file: Option<&Path>, env_vars: usize) -> Text {
    msg("doctor-settings-ok")
        .arg("file", file.map_or_else(|| "none".to_owned(), path))
        .arg("vars", num(env_vars))
}

pub fn settings_fix_key(key: &str, env: &str) -> Text {
    msg("doctor-settings-fix-key")
        .arg("key", key)
        .arg("env", env)
}

pub fn settings_fix_missing() -> Text {
    msg("doctor-settings-fix-missing")
}

pub fn settings_fix_load() -> Text {
    msg("doctor-settings-fix-load")
}

// Data directory.

pub fn data_dir_ok(dir: &Path) -> Text {
    msg("doctor-data-dir-ok").arg("dir", path(dir))
}

pub fn data_dir_missing(dir: &Path) -> Text {
    msg("doctor-data-dir-missing").arg("dir", path(dir))
}

pub fn data_dir_missing_fix(dir: &Path) -> Text {
    msg("doctor-data-dir-missing-fix").arg("dir", path(dir))
}

pub fn data_dir_not_dir(dir: &Path) -> Text {
    msg("doctor-data-dir-not-dir").arg("dir", path(dir))
}

pub fn data_dir_not_dir_fix() -> Text {
    msg("doctor-data-dir-not-dir-fix")
}

pub fn not_writable(dir: &Path, err: &str) -> Text {
    msg("doctor-not-writable")
        .arg("dir", path(dir))
        .arg("error", err)
}

pub fn not_writable_fix(dir: &Path) -> Text {
    msg("doctor-not-writable-fix").arg("dir", path(dir))
}

// Ledger.

pub fn not_checked_data_dir() -> Text {
    msg("doctor-not-checked-data-dir")
}

pub fn ledger_missing(file: &Path) -> Text {
    msg("doctor-ledger-missing").arg("file", path(file))
}

pub fn ledger_missing_fix() -> Text {
    msg("doctor-ledger-missing-fix")
}

pub fn ledger_open_failed(file: &Path, err: &str) -> Text {
    msg("doctor-ledger-open-failed")
        .arg("file", path(file))
        .arg("error", err)
}

pub fn ledger_open_fix() -> Text {
    msg("doctor-ledger-open-fix")
}

pub fn ledger_ok(sales: usize, tills: usize) -> Text {
    msg("doctor-ledger-ok")
        .arg("sales", num(sales))
        .arg("tills", num(tills))
}

pub fn ledger_broken(problems: usize, sales: usize, first: Text) -> Text {
    msg("doctor-ledger-broken")
        .arg("problems", num(problems))
        .arg("sales", num(sales))
        .arg("first", first)
}

pub fn ledger_broken_fix() -> Text {
    msg("doctor-ledger-broken-fix")
}

// PIN pepper.

pub fn pepper_explicit() -> Text {
    msg("doctor-pepper-explicit")
}

pub fn pepper_in_file(file: &Path) -> Text {
    msg("doctor-pepper-in-file").arg("file", path(file))
}

pub fn pepper_only_in_file_central(file: &Path) -> Text {
    msg("doctor-pepper-only-in-file-central").arg("file", path(file))
}

pub fn pepper_only_in_file_fix(file: &Path) -> Text {
    msg("doctor-pepper-only-in-file-fix").arg("file", path(file))
}

pub fn pepper_none_central() -> Text {
    msg("doctor-pepper-none-central")
}

pub fn pepper_none_central_fix() -> Text {
    msg("doctor-pepper-none-central-fix")
}

pub fn pepper_lost(staff: i64, file: &Path) -> Text {
    msg("doctor-pepper-lost")
        .arg("staff", staff)
        .arg("file", path(file))
}

pub fn pepper_lost_fix() -> Text {
    msg("doctor-pepper-lost-fix")
}

pub fn pepper_none_yet(file: &Path) -> Text {
    msg("doctor-pepper-none-yet").arg("file", path(file))
}

// Central database.

pub fn central_none() -> Text {
    msg("doctor-central-none")
}

pub fn central_bad_url(err: &str) -> Text {
    msg("doctor-central-bad-url").arg("error", err)
}

pub fn central_fix_url() -> Text {
    msg("doctor-central-fix-url")
}

pub fn central_timeout(target: &str, secs: u64) -> Text {
    msg("doctor-central-timeout")
        .arg("target", target)
        .arg("secs", num(secs))
}

pub fn central_unreachable(target: &str, err: &str) -> Text {
    msg("doctor-central-unreachable")
        .arg("target", target)
        .arg("error", err)
}

pub fn central_fix_reach() -> Text {
    msg("doctor-central-fix-reach")
}

pub fn central_fix_access() -> Text {
    msg("doctor-central-fix-access")
}

pub fn central_fix_no_database(db: &str) -> Text {
    msg("doctor-central-fix-no-database").arg("db", db)
}

pub fn central_not_migrated(target: &str, ms: u128) -> Text {
    msg("doctor-central-not-migrated")
        .arg("target", target)
        .arg("ms", num(ms))
}

pub fn central_behind(target: &str, ms: u128, version: i64, latest: i64) -> Text {
    msg("doctor-central-behind")
        .arg("target", target)
        .arg("ms", num(ms))
        .arg("version", version)
        .arg("latest", latest)
}

pub fn central_fix_migrate() -> Text {
    msg("doctor-central-fix-migrate")
}

pub fn central_ok(target: &str, ms: u128, version: i64) -> Text {
    msg("doctor-central-ok")
        .arg("target", target)
        .arg("ms", num(ms))
        .arg("version", version)
}

pub fn central_ahead(target: &str, ms: u128, version: i64, latest: i64) -> Text {
    msg("doctor-central-ahead")
        .arg("target", target)
        .arg("ms", num(ms))
        .arg("version", version)
        .arg("latest", latest)
}

// Payment server.

pub fn payment_lan_only(bind: &str) -> Text {
    msg("doctor-payment-lan-only").arg("bind", bind)
}

pub fn payment_cash_only() -> Text {
    msg("doctor-payment-cash-only")
}

pub fn payment_no_secret() -> Text {
    msg("doctor-payment-no-secret")
}

pub fn payment_fix_secret(till: &str) -> Text {
    msg("doctor-payment-fix-secret").arg("till", till)
}

pub fn payment_unreachable(url: &str, err: &str) -> Text {
    msg("doctor-payment-unreachable")
        .arg("url", url)
        .arg("error", err)
}

pub fn payment_fix_reach() -> Text {
    msg("doctor-payment-fix-reach")
}

pub fn payment_database_down(url: &str) -> Text {
    msg("doctor-payment-database-down").arg("url", url)
}

pub fn payment_fix_database() -> Text {
    msg("doctor-payment-fix-database")
}

pub fn payment_not_kaching(url: &str, status: u16) -> Text {
    msg("doctor-payment-not-kaching")
        .arg("url", url)
        .arg("status", status.to_string())
}

pub fn payment_refused(url: &str, till: &str, message: &str) -> Text {
    msg("doctor-payment-refused")
        .arg("url", url)
        .arg("till", till)
        .arg("message", message)
}

pub fn payment_clock_refused(url: &str, message: &str) -> Text {
    msg("doctor-payment-clock-refused")
        .arg("url", url)
        .arg("message", message)
}

pub fn payment_fix_clock() -> Text {
    msg("doctor-payment-fix-clock")
}

pub fn payment_unexpected(url: &str, err: &str) -> Text {
    msg("doctor-payment-unexpected")
        .arg("url", url)
        .arg("error", err)
}

pub fn payment_timeout(url: &str, secs: u64) -> Text {
    msg("doctor-payment-timeout")
        .arg("url", url)
        .arg("secs", num(secs))
}

pub fn payment_ok(url: &str, ms: u128, till: &str) -> Text {
    msg("doctor-payment-ok")
        .arg("url", url)
        .arg("ms", num(ms))
        .arg("till", till)
}

// Printer.

pub fn printer_tcp_ok(addr: &str, ms: u128) -> Text {
    msg("doctor-printer-tcp-ok")
        .arg("addr", addr)
        .arg("ms", num(ms))
}

pub fn printer_tcp_failed(addr: &str, err: &str) -> Text {
    msg("doctor-printer-tcp-failed")
        .arg("addr", addr)
        .arg("error", err)
}

pub fn printer_tcp_fix() -> Text {
    msg("doctor-printer-tcp-fix")
}

pub fn printer_device_ok(p: &Path) -> Text {
    msg("doctor-printer-device-ok").arg("path", path(p))
}

pub fn printer_device_missing(p: &Path) -> Text {
    msg("doctor-printer-device-missing").arg("path", path(p))
}

pub fn printer_device_missing_fix() -> Text {
    msg("doctor-printer-device-missing-fix")
}

pub fn printer_device_failed(p: &Path, err: &str) -> Text {
    msg("doctor-printer-device-failed")
        .arg("path", path(p))
        .arg("error", err)
}

pub fn printer_device_access_fix() -> Text {
    msg("doctor-printer-device-access-fix")
}

pub fn printer_cups_ok(status: &str) -> Text {
    msg("doctor-printer-cups-ok").arg("status", status)
}

pub fn printer_cups_missing(queue: &str, err: &str) -> Text {
    msg("doctor-printer-cups-missing")
        .arg("queue", queue)
        .arg("error", err)
}

pub fn printer_cups_missing_fix() -> Text {
    msg("doctor-printer-cups-missing-fix")
}

pub fn printer_cups_disabled(status: &str) -> Text {
    msg("doctor-printer-cups-disabled").arg("status", status)
}

pub fn printer_cups_disabled_fix(queue: &str) -> Text {
    msg("doctor-printer-cups-disabled-fix").arg("queue", queue)
}

pub fn printer_cups_no_default(err: &str) -> Text {
    msg("doctor-printer-cups-no-default").arg("error", err)
}

pub fn printer_cups_no_default_fix() -> Text {
    msg("doctor-printer-cups-no-default-fix")
}

pub fn printer_cups_no_lpstat(err: &str) -> Text {
    msg("doctor-printer-cups-no-lpstat").arg("error", err)
}

pub fn printer_cups_no_lpstat_fix() -> Text {
    msg("doctor-printer-cups-no-lpstat-fix")
}

pub fn printer_file_ok(dir: &Path) -> Text {
    msg("doctor-printer-file-ok").arg("dir", path(dir))
}

pub fn printer_file_later(dir: &Path) -> Text {
    msg("doctor-printer-file-later").arg("dir", path(dir))
}

pub fn printer_file_fix() -> Text {
    msg("doctor-printer-file-fix")
}

// Scanner.

pub fn scanner_none() -> Text {
    msg("doctor-scanner-none")
}

pub fn scanner_ok(p: &Path, name: &str) -> Text {
    msg("doctor-scanner-ok")
        .arg("path", path(p))
        .arg("name", name)
}

pub fn scanner_missing(p: &Path) -> Text {
    msg("doctor-scanner-missing").arg("path", path(p))
}

pub fn scanner_missing_fix() -> Text {
    msg("doctor-scanner-missing-fix")
}

pub fn scanner_failed(p: &Path, err: &str) -> Text {
    msg("doctor-scanner-failed")
        .arg("path", path(p))
        .arg("error", err)
}

pub fn scanner_access_fix() -> Text {
    msg("doctor-scanner-access-fix")
}

pub fn scanner_no_name(needle: &str) -> Text {
    msg("doctor-scanner-no-name").arg("needle", needle)
}

pub fn scanner_no_name_fix() -> Text {
    msg("doctor-scanner-no-name-fix")
}

pub fn scanner_found_name(needle: &str, p: &Path, name: &str) -> Text {
    msg("doctor-scanner-found-name")
        .arg("needle", needle)
        .arg("path", path(p))
        .arg("name", name)
}

// Time zone, clock, disk.

pub fn time_zone(name: &str, offset: &str) -> Text {
    msg("doctor-time-zone")
        .arg("name", name)
        .arg("offset", offset)
}

pub fn clock_before_last_sale(now: &str, last: &str) -> Text {
    msg("doctor-clock-before-last-sale")
        .arg("now", now)
        .arg("last", last)
}

pub fn clock_fix_time() -> Text {
    msg("doctor-clock-fix-time")
}

pub fn clock_ntp_not_synced(now: &str) -> Text {
    msg("doctor-clock-ntp-not-synced").arg("now", now)
}

pub fn clock_fix_ntp() -> Text {
    msg("doctor-clock-fix-ntp")
}

/// What the clock check says of the last sale.
pub enum LastSaleSaid<'a> {
    At(&'a str),
    NoneYet,
    Unknown,
}

/// `None`: NTP synchronised; `Some(why)`: its state is unknown, for that reason.
pub fn clock_ok(now: &str, last: LastSaleSaid, ntp_unknown: Option<&str>) -> Text {
    let (last, at) = match last {
        LastSaleSaid::At(at) => ("at", at),
        LastSaleSaid::NoneYet => ("none", ""),
        LastSaleSaid::Unknown => ("unknown", ""),
    };
    let (ntp, why) = match ntp_unknown {
        None => ("synced", ""),
        Some(why) => ("unknown", why),
    };
    msg("doctor-clock-ok")
        .arg("now", now)
        .arg("last", last)
        .arg("at", at)
        .arg("ntp", ntp)
        .arg("why", why)
}

pub fn disk_ok(free: &str, total: &str, dir: &Path) -> Text {
    msg("doctor-disk-ok")
        .arg("free", free)
        .arg("total", total)
        .arg("dir", path(dir))
}

pub fn disk_low(free: &str, min: &str, dir: &Path) -> Text {
    msg("doctor-disk-low")
        .arg("free", free)
        .arg("min", min)
        .arg("dir", path(dir))
}

pub fn disk_fix() -> Text {
    msg("doctor-disk-fix")
}

pub fn disk_unknown(dir: &Path, err: &str) -> Text {
    msg("doctor-disk-unknown")
        .arg("dir", path(dir))
        .arg("error", err)
}

pub fn disk_unknown_fix() -> Text {
    msg("doctor-disk-unknown-fix")
}

pub fn provider_manual() -> Text {
    msg("doctor-provider-manual")
}

pub fn provider_payconiq(profile: &str, callback: &str) -> Text {
    msg("doctor-provider-payconiq")
        .arg("profile", profile)
        .arg("callback", callback)
}
