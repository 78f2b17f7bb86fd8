//! The checks of this machine and its data dir: the settings, the data dir, the ledger and its
//! chains, the PIN pepper, the time zone, the clock and the free disk.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::config::{ConfigError, Settings};
use crate::i18n::Text;
use crate::store::{LEDGER_FILE, Ledger};

use super::{
    Check, CheckId, MIN_FREE_BYTES, PEPPER_FILE, existing_ancestor, first_line, probe_write,
    run_command, text,
};

// Settings.

/// The settings loaded: say from where.
pub fn settings_ok(config: Option<&Path>) -> Check {
    let vars = std::env::vars_os()
        .filter(|(k, _)| {
            k.to_str().is_some_and(|k| {
                k.starts_with("KACHING_") && k != "KACHING_DATA_DIR" && k != "KACHING_LOG"
            })
        })
        .count();
    Check::pass(CheckId::Settings, text::settings_ok(config, vars))
}

/// The settings did not load: the error, and where to correct it.
pub fn settings_failed(e: &ConfigError) -> Check {
    let fix = match e {
        ConfigError::Invalid { key, .. } => {
            let env = format!("KACHING_{}", key.to_ascii_uppercase().replace('.', "__"));
            text::settings_fix_key(key, &env)
        }
        ConfigError::Missing(_) => text::settings_fix_missing(),
        ConfigError::Load(_) => text::settings_fix_load(),
    };
    Check::fail(CheckId::Settings, Text::Raw(e.to_string()), fix)
}

// Data dir and ledger.

pub fn data_dir_check(dir: &Path) -> Check {
    let id = CheckId::DataDir;
    match std::fs::metadata(dir) {
        Err(e) if e.kind() == ErrorKind::NotFound => Check::fail(
            id,
            text::data_dir_missing(dir),
            text::data_dir_missing_fix(dir),
        ),
        Err(e) => Check::fail(
            id,
            text::not_writable(dir, &e.to_string()),
            text::not_writable_fix(dir),
        ),
        Ok(m) if !m.is_dir() => Check::fail(
            id,
            text::data_dir_not_dir(dir),
            text::data_dir_not_dir_fix(),
        ),
        Ok(_) => match probe_write(dir) {
            Ok(()) => Check::pass(id, text::data_dir_ok(dir)),
            Err(e) => Check::fail(
                id,
                text::not_writable(dir, &e.to_string()),
                text::not_writable_fix(dir),
            ),
        },
    }
}

/// Opens the ledger (only if it exists: the doctor creates none) and verifies its chains.
/// Returns the open ledger for the checks that read it.
pub fn ledger(dir: &Path, dir_ok: bool) -> (Check, Option<Ledger>) {
    let id = CheckId::Ledger;
    if !dir_ok {
        return (Check::not_checked(id, text::not_checked_data_dir()), None);
    }
    let file = dir.join(LEDGER_FILE);
    if !file.is_file() {
        return (
            Check::fail(id, text::ledger_missing(&file), text::ledger_missing_fix()),
            None,
        );
    }
    let opened = Ledger::open_in(dir).and_then(|l| {
        let report = l.verify_chain()?;
        Ok((l, report))
    });
    match opened {
        Err(e) => (
            Check::fail(
                id,
                text::ledger_open_failed(&file, &e.to_string()),
                text::ledger_open_fix(),
            ),
            None,
        ),
        Ok((l, r)) => {
            let check = match r.problems.first() {
                None => Check::pass(id, text::ledger_ok(r.sales, r.tills)),
                Some(p) => Check::fail(
                    id,
                    text::ledger_broken(r.problems.len(), r.sales, p.describe()),
                    text::ledger_broken_fix(),
                ),
            };
            (check, Some(l))
        }
    }
}

// PIN pepper.

/// Where the PIN pepper comes from, and whether that suits the deployment. `staff` is how
/// many staff the ledger holds (`None`: unknown).
pub fn pin_pepper(settings: &Settings, data_dir: &Path, staff: Option<i64>) -> Check {
    let id = CheckId::PinPepper;
    if settings.pin_pepper.is_some() {
        return Check::pass(id, text::pepper_explicit());
    }
    let file = data_dir.join(PEPPER_FILE);
    let in_file = std::fs::read_to_string(&file).is_ok_and(|s| !s.trim().is_empty());
    match (in_file, settings.central_url.is_some()) {
        (true, true) => Check::fail(
            id,
            text::pepper_only_in_file_central(&file),
            text::pepper_only_in_file_fix(&file),
        ),
        (false, true) => Check::fail(
            id,
            text::pepper_none_central(),
            text::pepper_none_central_fix(),
        ),
        (true, false) => Check::pass(id, text::pepper_in_file(&file)),
        (false, false) => match staff {
            Some(n) if n > 0 => {
                Check::fail(id, text::pepper_lost(n, &file), text::pepper_lost_fix())
            }
            _ => Check::pass(id, text::pepper_none_yet(&file)),
        },
    }
}

// Time zone, clock, disk.

/// The settings parsed it already: say which, and its offset now.
pub fn time_zone(tz: Tz, now: DateTime<Utc>) -> Check {
    let local = now.with_timezone(&tz);
    Check::pass(
        CheckId::TimeZone,
        text::time_zone(tz.name(), &local.format("%:z (%Z)").to_string()),
    )
}

/// What `timedatectl` says of NTP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ntp {
    Synchronised,
    NotSynchronised,
    /// No `timedatectl`, no systemd, or an answer that is not yes/no.
    Unknown(String),
}

pub fn ntp_state() -> Ntp {
    match run_command("timedatectl", &["show", "-p", "NTPSynchronized", "--value"]) {
        Err(e) => Ntp::Unknown(e),
        Ok(o) if !o.status.success() => {
            Ntp::Unknown(format!("timedatectl: {}", first_line(&o.stderr)))
        }
        Ok(o) => match first_line(&o.stdout).as_str() {
            "yes" => Ntp::Synchronised,
            "no" => Ntp::NotSynchronised,
            other => Ntp::Unknown(format!("timedatectl says '{other}'")),
        },
    }
}

/// This till's last sale, as the ledger tells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LastSale {
    At(DateTime<Utc>),
    NoneYet,
    /// The ledger did not open (its own check says why).
    Unknown,
}

/// Plausible: not before the last sale (a Pi without RTC that booted offline), and NTP
/// synchronised where `timedatectl` can tell.
pub fn clock_check(now: DateTime<Utc>, last_sale: LastSale, tz: Tz, ntp: &Ntp) -> Check {
    let id = CheckId::Clock;
    let show = |t: DateTime<Utc>| t.with_timezone(&tz).format("%Y-%m-%d %H:%M:%S").to_string();
    if let LastSale::At(last) = last_sale
        && now < last
    {
        return Check::fail(
            id,
            text::clock_before_last_sale(&show(now), &show(last)),
            text::clock_fix_time(),
        );
    }
    let at = match last_sale {
        LastSale::At(t) => show(t),
        LastSale::NoneYet | LastSale::Unknown => String::new(),
    };
    let last = match last_sale {
        LastSale::At(_) => text::LastSaleSaid::At(&at),
        LastSale::NoneYet => text::LastSaleSaid::NoneYet,
        LastSale::Unknown => text::LastSaleSaid::Unknown,
    };
    match ntp {
        Ntp::Synchronised => Check::pass(id, text::clock_ok(&show(now), last, None)),
        Ntp::NotSynchronised => Check::fail(
            id,
            text::clock_ntp_not_synced(&show(now)),
            text::clock_fix_ntp(),
        ),
        Ntp::Unknown(why) => Check::warn(id, text::clock_ok(&show(now), last, Some(why))),
    }
}

/// `1.5 GB`, `312 MB`, `900 kB`.
fn human_bytes(n: u64) -> String {
    const K: f64 = 1000.0;
    let n = n as f64;
    if n >= K * K * K {
        format!("{:.1} GB", n / (K * K * K))
    } else if n >= K * K {
        format!("{:.0} MB", n / (K * K))
    } else {
        format!("{:.0} kB", n / K)
    }
}

/// Free space of the data dir's filesystem (of its nearest existing parent when it is
/// missing: that is where it would be created).
pub fn disk(data_dir: &Path) -> Check {
    let id = CheckId::Disk;
    let at = existing_ancestor(data_dir).unwrap_or_else(|| PathBuf::from("/"));
    match nix::sys::statvfs::statvfs(&at) {
        // fsblkcnt_t and c_ulong are 32 bits on some targets (a 32-bit Pi OS).
        #[allow(clippy::unnecessary_cast)]
        Ok(s) => disk_space(
            &at,
            s.blocks_available() as u64 * s.fragment_size() as u64,
            s.blocks() as u64 * s.fragment_size() as u64,
        ),
        Err(e) => Check::fail(
            id,
            text::disk_unknown(&at, &e.to_string()),
            text::disk_unknown_fix(),
        ),
    }
}

pub fn disk_space(at: &Path, free: u64, total: u64) -> Check {
    let id = CheckId::Disk;
    if free < MIN_FREE_BYTES {
        Check::fail(
            id,
            text::disk_low(&human_bytes(free), &human_bytes(MIN_FREE_BYTES), at),
            text::disk_fix(),
        )
    } else {
        Check::pass(
            id,
            text::disk_ok(&human_bytes(free), &human_bytes(total), at),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RawSettings;
    use crate::doctor::Status;
    use crate::i18n::Lang;
    use crate::secrets::Secret;

    fn settings() -> Settings {
        RawSettings::default().validate().unwrap()
    }

    fn ts(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }
    #[test]
    fn a_bad_setting_names_its_variable() {
        let e = ConfigError::Invalid {
            key: "printer.width".into(),
            message: "32 to 64 columns".into(),
        };
        let c = settings_failed(&e);
        assert_eq!(c.status, Status::Fail);
        assert!(
            c.detail_in(Lang::En).contains("printer.width"),
            "{:?}",
            c.detail
        );
        assert!(
            c.fix_in(Lang::En)
                .unwrap()
                .contains("KACHING_PRINTER__WIDTH")
        );
    }

    #[test]
    fn the_data_dir_must_exist_and_be_writable() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(data_dir_check(dir.path()).status, Status::Pass);
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "probe left"
        );
        let missing = dir.path().join("nope");
        let c = data_dir_check(&missing);
        assert_eq!(c.status, Status::Fail);
        assert!(c.fix_in(Lang::En).unwrap().contains("kaching migrate"));
        assert!(!missing.exists(), "the doctor created the data dir");
        let file = dir.path().join("f");
        std::fs::write(&file, "").unwrap();
        assert_eq!(data_dir_check(&file).status, Status::Fail);
    }

    #[test]
    fn the_ledger_must_exist_open_and_verify() {
        let dir = tempfile::tempdir().unwrap();
        let (c, l) = ledger(dir.path(), true);
        assert_eq!(c.status, Status::Fail);
        assert!(l.is_none());
        assert!(
            !dir.path().join(LEDGER_FILE).exists(),
            "the doctor created a ledger"
        );
        let (c, _) = ledger(dir.path(), false);
        assert_eq!((c.status, c.required), (Status::Skip, true));
        Ledger::open_in(dir.path()).unwrap();
        let (c, l) = ledger(dir.path(), true);
        assert_eq!(c.status, Status::Pass, "{:?}", c.detail);
        assert!(l.is_some());
        std::fs::write(dir.path().join(LEDGER_FILE), "not a database, not at all").unwrap();
        let _ = std::fs::remove_file(dir.path().join("ledger.sqlite-wal"));
        let _ = std::fs::remove_file(dir.path().join("ledger.sqlite-shm"));
        let (c, _) = ledger(dir.path(), true);
        assert_eq!(c.status, Status::Fail, "{:?}", c.detail);
    }

    #[test]
    fn the_pepper_must_be_explicit_with_a_central_database() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = settings();
        assert_eq!(pin_pepper(&s, dir.path(), Some(0)).status, Status::Pass);
        assert_eq!(pin_pepper(&s, dir.path(), Some(3)).status, Status::Fail);
        std::fs::write(dir.path().join(PEPPER_FILE), "abc").unwrap();
        assert_eq!(pin_pepper(&s, dir.path(), Some(3)).status, Status::Pass);
        s.central_url = Some(Secret::new("mysql://u@h/db"));
        let c = pin_pepper(&s, dir.path(), Some(3));
        assert_eq!(c.status, Status::Fail);
        assert!(c.fix_in(Lang::En).unwrap().contains("KACHING_PIN_PEPPER"));
        std::fs::remove_file(dir.path().join(PEPPER_FILE)).unwrap();
        assert_eq!(pin_pepper(&s, dir.path(), Some(0)).status, Status::Fail);
        s.pin_pepper = Some(Secret::new("shared"));
        assert_eq!(pin_pepper(&s, dir.path(), Some(0)).status, Status::Pass);
    }

    #[test]
    fn the_clock_must_not_be_before_the_last_sale() {
        let tz: Tz = "Europe/Brussels".parse().unwrap();
        let last = ts("2026-11-20T10:00:00Z");
        let c = clock_check(
            ts("2026-11-20T09:00:00Z"),
            LastSale::At(last),
            tz,
            &Ntp::Synchronised,
        );
        assert_eq!(c.status, Status::Fail);
        assert!(
            c.detail_in(Lang::En).contains("2026-11-20 11:00:00"),
            "{:?}",
            c.detail
        );
        let c = clock_check(
            ts("2026-11-20T11:00:00Z"),
            LastSale::At(last),
            tz,
            &Ntp::Synchronised,
        );
        assert_eq!(c.status, Status::Pass);
        let c = clock_check(
            ts("2026-11-20T11:00:00Z"),
            LastSale::NoneYet,
            tz,
            &Ntp::NotSynchronised,
        );
        assert_eq!(c.status, Status::Fail);
        let c = clock_check(
            ts("2026-11-20T11:00:00Z"),
            LastSale::Unknown,
            tz,
            &Ntp::Unknown("no".into()),
        );
        assert_eq!(c.status, Status::Warn);
        assert!(c.ok());
        let c = time_zone(tz, ts("2026-07-01T12:00:00Z"));
        assert_eq!(
            c.detail_in(Lang::En),
            "Europe/Brussels, now UTC+02:00 (CEST)"
        );
    }

    #[test]
    fn low_disk_fails_and_shows_the_free_space() {
        let c = disk_space(Path::new("/d"), 50_000_000, 8_000_000_000);
        assert_eq!(c.status, Status::Fail);
        assert!(c.detail_in(Lang::En).contains("50 MB"), "{:?}", c.detail);
        let c = disk_space(Path::new("/d"), 5_000_000_000, 8_000_000_000);
        assert_eq!(c.status, Status::Pass);
        assert!(
            c.detail_in(Lang::En).contains("5.0 GB free of 8.0 GB"),
            "{:?}",
            c.detail
        );
        assert_eq!(disk(Path::new("/definitely/not/here")).status, Status::Pass);
    }
}
