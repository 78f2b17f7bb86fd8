//! Every sentence `kaching doctor` prints, in one place: the labels of the table, the details
//! and the one-line fixes. English for now; when the doctor learns the till's languages (DESIGN
//! §9) this file becomes its Fluent catalogue, and nothing else changes.

use std::path::Path;

use super::CheckId;

/// The table's first column.
pub fn label(id: CheckId) -> &'static str {
    match id {
        CheckId::Settings => "settings",
        CheckId::DataDir => "data dir",
        CheckId::Ledger => "ledger",
        CheckId::PinPepper => "PIN pepper",
        CheckId::Central => "central db",
        CheckId::Payment => "payment",
        CheckId::Printer => "printer",
        CheckId::Scanner => "scanner",
        CheckId::TimeZone => "time zone",
        CheckId::Clock => "clock",
        CheckId::Disk => "free disk",
    }
}

pub fn header(till: Option<&str>, data_dir: &Path) -> String {
    match till {
        Some(t) => format!("KACHING doctor — till {t}, data dir {}", data_dir.display()),
        None => format!("KACHING doctor — data dir {}", data_dir.display()),
    }
}

pub const FIX: &str = "fix:";

pub fn summary(failing: usize) -> String {
    match failing {
        0 => "All required checks pass.".to_owned(),
        1 => "1 required check fails: apply its fix, then run `kaching doctor` again.".to_owned(),
        n => {
            format!("{n} required checks fail: apply their fixes, then run `kaching doctor` again.")
        }
    }
}

// Settings.

pub fn settings_ok(file: Option<&Path>, env_vars: usize) -> String {
    let file = match file {
        Some(f) => format!("defaults + {}", f.display()),
        None => "defaults (no --config file)".to_owned(),
    };
    format!("{file} + {env_vars} KACHING_* variable(s): valid")
}

pub fn settings_fix_key(key: &str, env: &str) -> String {
    format!("correct {key} in the config file, or the variable {env} that sets it")
}

pub fn settings_fix_missing() -> String {
    "check the --config path (the package's is /etc/kaching/kaching.toml)".to_owned()
}

pub fn settings_fix_load() -> String {
    "correct the config file (TOML) or the KACHING_* variable the message names".to_owned()
}

// Data directory.

pub fn data_dir_ok(dir: &Path) -> String {
    format!("{}: exists and is writable", dir.display())
}

pub fn data_dir_missing(dir: &Path) -> String {
    format!("{} does not exist", dir.display())
}

pub fn data_dir_missing_fix(dir: &Path) -> String {
    format!(
        "point --data-dir / KACHING_DATA_DIR at the till's data dir, or create this one: \
         `kaching migrate --data-dir {}`",
        dir.display()
    )
}

pub fn data_dir_not_dir(dir: &Path) -> String {
    format!("{} is not a directory", dir.display())
}

pub fn data_dir_not_dir_fix() -> String {
    "point --data-dir / KACHING_DATA_DIR at a directory".to_owned()
}

pub fn not_writable(dir: &Path, err: &str) -> String {
    format!("{}: cannot write: {err}", dir.display())
}

pub fn not_writable_fix(dir: &Path) -> String {
    format!(
        "give the till's user the directory (the package's user: `chown -R kaching: {}`), or \
         remount its filesystem read-write",
        dir.display()
    )
}

// Ledger.

pub fn not_checked_data_dir() -> String {
    "not checked: the data dir is unusable".to_owned()
}

pub fn ledger_missing(file: &Path) -> String {
    format!("no ledger at {}", file.display())
}

pub fn ledger_missing_fix() -> String {
    "a wrong data dir? Point --data-dir / KACHING_DATA_DIR at the till's; for a new till run \
     `kaching migrate`"
        .to_owned()
}

pub fn ledger_open_failed(file: &Path, err: &str) -> String {
    format!("{} does not open: {err}", file.display())
}

pub fn ledger_open_fix() -> String {
    "check the file's owner and permissions; if it is damaged, restore the data dir from its \
     last backup"
        .to_owned()
}

pub fn ledger_ok(sales: usize, tills: usize) -> String {
    format!("{sales} sale(s) in {tills} chain(s): every chain verifies")
}

pub fn ledger_broken(problems: usize, sales: usize, first: &str) -> String {
    format!("{problems} problem(s) in {sales} sale(s), first: {first}")
}

pub fn ledger_broken_fix() -> String {
    "`kaching verify` lists them; keep a copy of the data dir as it is and restore the last \
     good backup"
        .to_owned()
}

// PIN pepper.

pub fn pepper_explicit() -> String {
    "set explicitly (KACHING_PIN_PEPPER or pin_pepper)".to_owned()
}

pub fn pepper_in_file(file: &Path) -> String {
    format!("kept in {} (this till's own)", file.display())
}

pub fn pepper_only_in_file_central(file: &Path) -> String {
    format!(
        "central.url is set but the pepper is only in {}: the tills sharing staff through the \
         central database need the same explicit one",
        file.display()
    )
}

pub fn pepper_only_in_file_fix(file: &Path) -> String {
    format!(
        "set KACHING_PIN_PEPPER to the content of {} on every till sharing this central database",
        file.display()
    )
}

pub fn pepper_none_central() -> String {
    "central.url is set but no PIN pepper is: PIN hashes pulled from the central database \
     would verify on no till"
        .to_owned()
}

pub fn pepper_none_central_fix() -> String {
    "set the same KACHING_PIN_PEPPER (or pin_pepper) on every till sharing this central database"
        .to_owned()
}

pub fn pepper_lost(staff: i64, file: &Path) -> String {
    format!(
        "no pepper and no {}, yet the ledger holds {staff} staff member(s) whose PINs were \
         hashed with one: no PIN will verify",
        file.display()
    )
}

pub fn pepper_lost_fix() -> String {
    "restore the pin_pepper file from the data dir's backup, or set KACHING_PIN_PEPPER back to \
     the value the PINs were set with"
        .to_owned()
}

pub fn pepper_none_yet(file: &Path) -> String {
    format!(
        "none yet: the till creates {} at its first start",
        file.display()
    )
}

// Central database.

pub fn central_none() -> String {
    "no central database configured: the till works alone".to_owned()
}

pub fn central_bad_url(err: &str) -> String {
    format!("central.url is not a MySQL URL: {err}")
}

pub fn central_fix_url() -> String {
    "set central.url (KACHING_CENTRAL__URL) to mysql://user:password@host:3306/database (one host); until then the till shows « Base centrale inutilisable » and its sales wait in its ledger".to_owned()
}

pub fn central_timeout(target: &str, secs: u64) -> String {
    format!("{target}: no answer within {secs} s")
}

pub fn central_unreachable(target: &str, err: &str) -> String {
    format!("{target}: {err}")
}

pub fn central_fix_reach() -> String {
    "check that the database server runs and that this till reaches it (host, port, firewall), \
     or correct central.url (KACHING_CENTRAL__URL)"
        .to_owned()
}

pub fn central_fix_access() -> String {
    "correct the user and password in central.url (KACHING_CENTRAL__URL), or grant that user \
     access to the database"
        .to_owned()
}

pub fn central_fix_no_database(db: &str) -> String {
    format!(
        "create the database on the server (CREATE DATABASE `{db}`), then run `kaching migrate --central`"
    )
}

pub fn central_not_migrated(target: &str, ms: u128) -> String {
    format!("{target} answers in {ms} ms but holds no KACHING schema")
}

pub fn central_behind(target: &str, ms: u128, version: i64, latest: i64) -> String {
    format!("{target} answers in {ms} ms, schema V{version} (this program needs V{latest})")
}

pub fn central_fix_migrate() -> String {
    "run `kaching migrate --central`".to_owned()
}

pub fn central_ok(target: &str, ms: u128, version: i64) -> String {
    format!("{target} answers in {ms} ms, schema V{version} (up to date)")
}

pub fn central_ahead(target: &str, ms: u128, version: i64, latest: i64) -> String {
    format!(
        "{target} answers in {ms} ms, schema V{version} is newer than this program's V{latest}: \
         upgrade kaching on this till"
    )
}

// Payment server.

pub fn payment_lan_only(bind: &str) -> String {
    format!("no hosted payment server: QR payments use the till's own, on {bind}")
}

pub fn payment_cash_only() -> String {
    "no payment server configured (payment.server_url, payment.lan_bind): cash only".to_owned()
}

pub fn payment_no_secret() -> String {
    "payment.server_url is set but not this till's secret".to_owned()
}

pub fn payment_fix_secret(till: &str) -> String {
    format!(
        "the till secret is wrong: run `kaching pay-server till add {till}` on the server and set \
         KACHING_PAYMENT__TILL_SECRET"
    )
}

pub fn payment_unreachable(url: &str, err: &str) -> String {
    format!("{url}: {err}")
}

pub fn payment_fix_reach() -> String {
    "check payment.server_url (KACHING_PAYMENT__SERVER_URL), the network, and that the \
     pay-server runs (`systemctl status kaching-pay-server` on the server)"
        .to_owned()
}

pub fn payment_database_down(url: &str) -> String {
    format!("{url} answers, but its payment database does not")
}

pub fn payment_fix_database() -> String {
    "on the server: check pay_server.database and that its database runs".to_owned()
}

pub fn payment_not_kaching(url: &str, status: u16) -> String {
    format!("{url}/healthz answers {status}: not a KACHING payment server?")
}

pub fn payment_refused(url: &str, till: &str, message: &str) -> String {
    format!("{url} refuses {till}'s signature: {message}")
}

pub fn payment_clock_refused(url: &str, message: &str) -> String {
    format!("{url} refuses the request's time: {message}")
}

pub fn payment_fix_clock() -> String {
    "set this machine's clock (NTP: `timedatectl set-ntp true`), then run the doctor again"
        .to_owned()
}

pub fn payment_unexpected(url: &str, err: &str) -> String {
    format!("{url}: unexpected answer to a signed request: {err}")
}

pub fn payment_timeout(url: &str, secs: u64) -> String {
    format!("{url}: no answer to a signed request within {secs} s")
}

pub fn payment_ok(url: &str, ms: u128, till: &str) -> String {
    format!("{url} answers in {ms} ms and accepts {till}'s signature")
}

// Printer.

pub fn printer_tcp_ok(addr: &str, ms: u128) -> String {
    format!("tcp {addr}: connects in {ms} ms")
}

pub fn printer_tcp_failed(addr: &str, err: &str) -> String {
    format!("tcp {addr}: {err}")
}

pub fn printer_tcp_fix() -> String {
    "switch the printer on, check its cable and IP address (its self-test page shows it), or \
     correct printer.target"
        .to_owned()
}

pub fn printer_device_ok(path: &Path) -> String {
    format!("device {}: present and writable", path.display())
}

pub fn printer_device_missing(path: &Path) -> String {
    format!("device {}: no such device", path.display())
}

pub fn printer_device_missing_fix() -> String {
    "plug in and switch on the printer (`ls /dev/usb/` lists USB printers), or correct \
     printer.target"
        .to_owned()
}

pub fn printer_device_failed(path: &Path, err: &str) -> String {
    format!("device {}: cannot open for writing: {err}", path.display())
}

pub fn printer_device_access_fix() -> String {
    "let the till's user write to it: `adduser kaching lp` (then log in again)".to_owned()
}

pub fn printer_cups_ok(status: &str) -> String {
    format!("cups: {status}")
}

pub fn printer_cups_missing(queue: &str, err: &str) -> String {
    format!("cups queue {queue}: {err}")
}

pub fn printer_cups_missing_fix() -> String {
    "create the queue (`lpadmin -p QUEUE -E -v URI -m raw`), or set printer.target to one \
     `lpstat -p` lists"
        .to_owned()
}

pub fn printer_cups_disabled(status: &str) -> String {
    format!("cups: {status}")
}

pub fn printer_cups_disabled_fix(queue: &str) -> String {
    format!("enable the queue: `cupsenable {queue}`")
}

pub fn printer_cups_no_default(err: &str) -> String {
    format!("cups: no default destination ({err})")
}

pub fn printer_cups_no_default_fix() -> String {
    "set printer.target to a queue (`lpstat -p` lists them), or pick a default: `lpoptions -d QUEUE`"
        .to_owned()
}

pub fn printer_cups_no_lpstat(err: &str) -> String {
    format!("cups: lpstat does not run: {err}")
}

pub fn printer_cups_no_lpstat_fix() -> String {
    "install the CUPS client and server: `apt install cups-client cups`".to_owned()
}

pub fn printer_file_ok(dir: &Path) -> String {
    format!("file (preview): tickets written to {}", dir.display())
}

pub fn printer_file_later(dir: &Path) -> String {
    format!(
        "file (preview): tickets go to {} (created at the first ticket)",
        dir.display()
    )
}

pub fn printer_file_fix() -> String {
    "give the till's user that directory, or set printer.target to a writable one".to_owned()
}

// Scanner.

pub fn scanner_none() -> String {
    "no scanner configured: a scanner in keyboard mode types into the article field".to_owned()
}

pub fn scanner_ok(path: &Path, name: &str) -> String {
    format!("{} ({name}): present and readable", path.display())
}

pub fn scanner_missing(path: &Path) -> String {
    format!("{}: no such device", path.display())
}

pub fn scanner_missing_fix() -> String {
    "plug in the scanner, and set scanner.device to one of `ls /dev/input/by-id/` (the one \
     ending in -event-kbd)"
        .to_owned()
}

pub fn scanner_failed(path: &Path, err: &str) -> String {
    format!(
        "{}: cannot read it as an input device: {err}",
        path.display()
    )
}

pub fn scanner_access_fix() -> String {
    "let the till's user read input devices: `adduser kaching input` (then log in again)".to_owned()
}

pub fn scanner_no_name(needle: &str) -> String {
    format!("no readable input device named like '{needle}'")
}

pub fn scanner_no_name_fix() -> String {
    "plug in the scanner, or set scanner.device to its /dev/input/by-id/ path; the till's user \
     must be in the group input"
        .to_owned()
}

pub fn scanner_found_name(needle: &str, path: &Path, name: &str) -> String {
    format!("'{needle}' → {} ({name})", path.display())
}

// Time zone, clock, disk.

pub fn time_zone(name: &str, offset: &str) -> String {
    format!("{name}, now UTC{offset}")
}

pub fn clock_before_last_sale(now: &str, last: &str) -> String {
    format!("the clock says {now}, before the last sale ({last}): a machine without RTC?")
}

pub fn clock_fix_time() -> String {
    "set the time (connect the network for NTP, or `date -s`) before selling".to_owned()
}

pub fn clock_ntp_not_synced(now: &str) -> String {
    format!("{now}, but NTP is not synchronised")
}

pub fn clock_fix_ntp() -> String {
    "connect the network and turn NTP on: `timedatectl set-ntp true`".to_owned()
}

pub fn clock_ok(now: &str, last: &str, ntp: &str) -> String {
    format!("{now}, {last}; {ntp}")
}

pub fn last_sale_at(at: &str) -> String {
    format!("after the last sale ({at})")
}

pub fn no_sale_yet() -> String {
    "no sale yet".to_owned()
}

pub fn last_sale_unknown() -> String {
    "last sale unknown (the ledger did not open)".to_owned()
}

pub const NTP_SYNCED: &str = "NTP synchronised";

pub fn ntp_unknown(why: &str) -> String {
    format!("NTP state unknown ({why})")
}

pub fn disk_ok(free: &str, total: &str, dir: &Path) -> String {
    format!("{free} free of {total} on {}", dir.display())
}

pub fn disk_low(free: &str, min: &str, dir: &Path) -> String {
    format!("only {free} free on {} (less than {min})", dir.display())
}

pub fn disk_fix() -> String {
    "free some space (old logs: `journalctl --vacuum-size=100M`, old exports), or move the data \
     dir to a larger disk"
        .to_owned()
}

pub fn disk_unknown(dir: &Path, err: &str) -> String {
    format!("cannot read the free space of {}: {err}", dir.display())
}

pub fn disk_unknown_fix() -> String {
    "check that the data dir's filesystem is mounted".to_owned()
}
