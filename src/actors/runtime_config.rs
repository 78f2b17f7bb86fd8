//! What the runtime needs to run a till, and nothing else: the entry layer (`config.rs`) checks
//! the settings file and the environment and builds this; the actors never see the raw or full
//! settings (no payment-server database URL, no PIN pepper, no second copies of secrets — the
//! only secret here is the central database URL, which the SyncActor and the admin's
//! write-through need).

use std::path::{Path, PathBuf};

use chrono_tz::Tz;

use crate::devices::escpos::CodePage;
use crate::devices::printer::DriverSetup;
use crate::devices::scanner::DecoderConfig;
use crate::domain::Money;
use crate::domain::hours::OpeningHours;
use crate::domain::instore::InstoreRules;
use crate::domain::receipt::{ShopInfo, TicketLanguage};
use crate::i18n::Lang;
use crate::secrets::Secret;

/// The receipt printer: driver (with its timings), paper width, code page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrinterConfig {
    /// The driver with `printer.write_timeout_secs` (how long one ticket may take to be handed
    /// over) and `printer.drawer_window_secs` (how long after its sale a cash ticket still opens
    /// the drawer). Derefs to the driver.
    pub driver: DriverSetup,
    pub width: usize,
    /// The ESC/POS printers' code page (`printer.codepage`).
    pub codepage: CodePage,
    /// The tickets' language(s) (`printer.language`: `fr`, `nl`, `en` or `fr+nl`).
    pub language: TicketLanguage,
}

/// The barcode scanner and the in-store labels it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannerConfig {
    /// A device path (`/dev/input/by-id/…`) or a part of its name; `None`: no evdev scanner (a
    /// scanner in keyboard mode can still type into the GUI's article field).
    pub device: Option<String>,
    pub decoder: DecoderConfig,
    /// In-store label layouts, applied to every scan (evdev, GUI, headless).
    pub instore: InstoreRules,
}

#[derive(Debug, Clone)]
pub struct RuntimeConfig {
    pub till_id: String,
    /// The till's language (`till.language`): what it says before anyone logs in.
    pub language: Lang,
    pub shop: ShopInfo,
    pub tz: Tz,
    pub max_withdrawal: Money,
    /// Cash payments rounded to the nearest 0,05 € (`till.cash_rounding`).
    pub cash_rounding: bool,
    /// The largest discount a cashier gives without a manager (`till.max_discount_pct`), in
    /// hundredths of a percent.
    pub max_discount_bp: i64,
    pub hours: OpeningHours,
    pub printer: PrinterConfig,
    pub scanner: ScannerConfig,
    /// Where reports are exported (`admin.export_dir`); `None`: `<data dir>/exports`.
    pub export_dir: Option<PathBuf>,
    /// The central MySQL/MariaDB database (`None`: the till works alone).
    pub central_url: Option<Secret>,
}

impl RuntimeConfig {
    /// The export directory of a till whose data directory is `data_dir`.
    pub fn export_dir_in(&self, data_dir: &Path) -> PathBuf {
        self.export_dir
            .clone()
            .unwrap_or_else(|| data_dir.join("exports"))
    }
}
