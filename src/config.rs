//! Settings: documented defaults (config/kaching.toml, mirrored by `RawSettings::default`),
//! then `--config FILE`, then `KACHING_*` environment variables (`__` for nesting). Raw text
//! settings are parsed once into [`Settings`], whose values are valid domain types.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use figment::Figment;
use figment::providers::{Format, Serialized, Toml};
use figment::value::{Dict, Value};
use serde::{Deserialize, Serialize};

use crate::domain::Money;
use crate::domain::hours::{DayHours, OpeningHours, parse_tz, parse_weekday};
use crate::domain::receipt::ShopInfo;
use crate::secrets::Secret;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read settings: {0}")]
    Load(#[from] Box<figment::Error>),
    #[error("setting {key}: {message}")]
    Invalid { key: String, message: String },
    #[error("config file {0} does not exist")]
    Missing(PathBuf),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RawShop {
    pub name: String,
    pub address: String,
    pub vat_number: String,
    pub timezone: String,
}

impl Default for RawShop {
    fn default() -> Self {
        RawShop {
            name: "KACHING".into(),
            address: String::new(),
            vat_number: String::new(),
            timezone: "Europe/Brussels".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RawTill {
    pub id: String,
    pub max_withdrawal: String,
    /// `fr`, `nl` or `en`: the login screen's, and new staff members' default language.
    pub language: String,
    /// Belgian cash rounding (to the nearest 0,05 €); `false` for a shop outside Belgium.
    #[serde(deserialize_with = "bool_or_text")]
    pub cash_rounding: bool,
    /// The largest discount (in percent of what it reduces) a cashier gives without a manager's
    /// approval; `0`: every discount needs one.
    #[serde(deserialize_with = "number_or_text")]
    pub max_discount_pct: usize,
}

impl Default for RawTill {
    fn default() -> Self {
        RawTill {
            id: "till-1".into(),
            max_withdrawal: "500.00".into(),
            language: "fr".into(),
            cash_rounding: true,
            max_discount_pct: 10,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RawHours {
    pub open: String,
    pub close: String,
    pub days: BTreeMap<String, String>,
}

impl Default for RawHours {
    fn default() -> Self {
        RawHours {
            open: "06:00".into(),
            close: "18:00".into(),
            days: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RawCentral {
    /// `mysql://user:password@host:3306/database`; several hosts may be listed,
    /// `host1:3306,host2:3306`, tried in that order (a Galera cluster's nodes).
    pub url: Secret,
    /// More hosts for the same database, tried after the URL's own (`["db2:3306", "db3"]`).
    pub hosts: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RawPayment {
    pub server_url: String,
    pub till_secret: Secret,
    pub lan_bind: String,
    pub public_url: String,
    /// What the hosted payment server takes payments with: `manual` or `payconiq`.
    pub provider: String,
    /// With a `payconiq` hosted server, whether the till's own (manual) LAN server may still
    /// take QR payments when the hosted one cannot be reached.
    #[serde(deserialize_with = "bool_or_text")]
    pub lan_manual_fallback: bool,
}

impl Default for RawPayment {
    fn default() -> Self {
        RawPayment {
            server_url: String::new(),
            till_secret: Secret::default(),
            lan_bind: "0.0.0.0:8080".into(),
            public_url: String::new(),
            provider: "manual".into(),
            lan_manual_fallback: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RawPayServer {
    pub bind: String,
    pub database: Secret,
    pub public_url: String,
    #[serde(deserialize_with = "number_or_text")]
    pub intent_lifetime_secs: usize,
    #[serde(deserialize_with = "number_or_text")]
    pub rate_per_second: usize,
    #[serde(deserialize_with = "number_or_text")]
    pub rate_burst: usize,
    #[serde(deserialize_with = "number_or_text")]
    pub workers: usize,
    /// `manual` (nothing proves a payment: demo and tests) or `payconiq`.
    pub provider: String,
    pub payconiq: RawPayconiq,
    /// The load balancers whose forwarding header names the client (CIDRs; empty: nobody).
    /// In the environment: `KACHING_PAY_SERVER__TRUSTED_PROXIES="127.0.0.1/32,10.0.0.0/8"`.
    #[serde(deserialize_with = "list_or_text")]
    pub trusted_proxies: Vec<String>,
    /// The header those proxies write: `x-forwarded-for` or `forwarded` (RFC 7239).
    pub forwarded_header: String,
}

/// `[pay_server.payconiq]`: the merchant's Payconiq by Bancontact settings. The API key comes
/// from `KACHING_PAY_SERVER__PAYCONIQ__API_KEY` (secrets.env), never the config file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RawPayconiq {
    pub api_url: String,
    pub jwks_url: String,
    pub payment_profile_id: String,
    pub callback_url: String,
    pub api_key: Secret,
}

/// Preprod's hosts: a shop starts there, then moves to the production ones of its portal.
impl Default for RawPayconiq {
    fn default() -> Self {
        RawPayconiq {
            api_url: "https://merchant.api.preprod.bancontact.net".into(),
            jwks_url: "https://jwks.preprod.bancontact.net".into(),
            payment_profile_id: String::new(),
            callback_url: String::new(),
            api_key: Secret::default(),
        }
    }
}

impl Default for RawPayServer {
    fn default() -> Self {
        RawPayServer {
            bind: "127.0.0.1:8080".into(),
            database: Secret::default(),
            public_url: String::new(),
            intent_lifetime_secs: 600,
            rate_per_second: 5,
            rate_burst: 20,
            workers: 2,
            provider: "manual".into(),
            payconiq: RawPayconiq::default(),
            trusted_proxies: Vec::new(),
            forwarded_header: "x-forwarded-for".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RawPrinter {
    pub driver: String,
    pub target: String,
    #[serde(deserialize_with = "number_or_text")]
    pub width: usize,
    pub codepage: String,
    pub format: String,
    #[serde(deserialize_with = "number_or_text")]
    pub write_timeout_secs: usize,
    #[serde(deserialize_with = "number_or_text")]
    pub drawer_window_secs: usize,
    /// `fr`, `nl`, `en` or `fr+nl` (both side by side).
    pub language: String,
}

impl Default for RawPrinter {
    fn default() -> Self {
        RawPrinter {
            driver: "file".into(),
            target: String::new(),
            width: 42,
            codepage: "cp1252".into(),
            format: "escpos".into(),
            write_timeout_secs: 10,
            drawer_window_secs: 60,
            language: "fr".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RawScanner {
    pub device: String,
    pub keymap: String,
    pub suffix: String,
    #[serde(deserialize_with = "number_or_text")]
    pub max_gap_ms: usize,
    pub instore_pattern: String,
}

impl Default for RawScanner {
    fn default() -> Self {
        RawScanner {
            device: String::new(),
            keymap: "us".into(),
            suffix: "enter".into(),
            max_gap_ms: 200,
            instore_pattern: String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RawAdmin {
    pub export_dir: String,
}

/// The admin screens' settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminSettings {
    /// Where reports are exported (`admin.export_dir`); `None`: `<data dir>/exports`.
    pub export_dir: Option<PathBuf>,
}

impl AdminSettings {
    /// The export directory of a till whose data directory is `data_dir`.
    pub fn export_dir_in(&self, data_dir: &Path) -> PathBuf {
        self.export_dir
            .clone()
            .unwrap_or_else(|| data_dir.join("exports"))
    }
}

/// The barcode scanner and the in-store labels it reads (the runtime's own type).
pub use crate::actors::runtime_config::ScannerConfig as ScannerSettings;

impl ScannerSettings {
    pub fn from_raw(raw: &RawScanner) -> Result<ScannerSettings, ConfigError> {
        use crate::devices::keymap::Layout;
        use crate::devices::scanner::{DecoderConfig, MAX_SCAN_LEN, Suffix};
        let layout = Layout::parse(&raw.keymap)
            .ok_or_else(|| invalid("scanner.keymap", "use \"us\", \"be\" or \"fr\""))?;
        let suffix = Suffix::parse(&raw.suffix)
            .ok_or_else(|| invalid("scanner.suffix", "use \"enter\", \"tab\" or \"none\""))?;
        if !(10..=5000).contains(&raw.max_gap_ms) {
            return Err(invalid("scanner.max_gap_ms", "10 to 5000 milliseconds"));
        }
        let instore = crate::domain::instore::InstoreRules::parse(&raw.instore_pattern)
            .map_err(|e| invalid("scanner.instore_pattern", e))?;
        Ok(ScannerSettings {
            device: non_empty(&raw.device),
            decoder: DecoderConfig {
                layout,
                suffix,
                max_gap: std::time::Duration::from_millis(raw.max_gap_ms as u64),
                max_len: MAX_SCAN_LEN,
            },
            instore,
        })
    }
}

/// The settings as written: text, not yet checked.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RawSettings {
    pub shop: RawShop,
    pub till: RawTill,
    pub hours: RawHours,
    pub central: RawCentral,
    pub payment: RawPayment,
    pub pay_server: RawPayServer,
    pub printer: RawPrinter,
    pub scanner: RawScanner,
    pub admin: RawAdmin,
    /// The PIN pepper (`KACHING_PIN_PEPPER`). Empty: a random one kept in the data directory.
    pub pin_pepper: Secret,
}

/// Where tickets go (`printer.driver` with its `target` and `format`): a preview directory, a
/// network printer, a device file or a CUPS queue. See `devices::printer`.
pub use crate::devices::escpos::CodePage;
pub use crate::devices::printer::{CupsFormat, Driver as PrinterDriver, DriverSetup};

/// The receipt printer (the runtime's own type).
pub use crate::actors::runtime_config::PrinterConfig as PrinterSettings;

impl PrinterSettings {
    pub fn from_raw(raw: &RawPrinter) -> Result<PrinterSettings, ConfigError> {
        let target = raw.target.trim();
        let format = CupsFormat::parse(&raw.format)
            .ok_or_else(|| invalid("printer.format", "use \"escpos\" or \"text\""))?;
        let needs_target = |what: &str| {
            invalid(
                "printer.target",
                format!("the {} driver needs a target: {what}", raw.driver.trim()),
            )
        };
        let driver = match raw.driver.trim() {
            "file" => PrinterDriver::File {
                dir: (!target.is_empty()).then(|| PathBuf::from(target)),
            },
            "tcp" => PrinterDriver::Tcp {
                addr: PrinterDriver::tcp_addr(target).map_err(|e| invalid("printer.target", e))?,
            },
            "device" if target.is_empty() => return Err(needs_target("e.g. /dev/usb/lp0")),
            "device" => PrinterDriver::Device {
                path: PathBuf::from(target),
            },
            "cups" => PrinterDriver::Cups {
                queue: PrinterDriver::cups_queue(target)
                    .map_err(|e| invalid("printer.target", e))?,
                format,
            },
            other => {
                return Err(invalid(
                    "printer.driver",
                    format!("'{other}': use file, tcp, device or cups"),
                ));
            }
        };
        if !(32..=64).contains(&raw.width) {
            return Err(invalid(
                "printer.width",
                "32 to 64 columns (32 for 58 mm, 42 or 48 for 80 mm)",
            ));
        }
        let codepage = CodePage::parse(&raw.codepage)
            .ok_or_else(|| invalid("printer.codepage", "use \"cp1252\" or \"pc858\""))?;
        if !(1..=300).contains(&raw.write_timeout_secs) {
            return Err(invalid("printer.write_timeout_secs", "1 to 300 seconds"));
        }
        if raw.drawer_window_secs > 3600 {
            return Err(invalid(
                "printer.drawer_window_secs",
                "0 to 3600 seconds (0: a ticket never opens the drawer)",
            ));
        }
        let driver = DriverSetup {
            driver,
            write_timeout: std::time::Duration::from_secs(raw.write_timeout_secs as u64),
            drawer_window: std::time::Duration::from_secs(raw.drawer_window_secs as u64),
        };
        let language = crate::domain::receipt::TicketLanguage::parse(raw.language.trim())
            .map_err(|e| invalid("printer.language", e))?;
        Ok(PrinterSettings {
            driver,
            width: raw.width,
            codepage,
            language,
        })
    }
}

/// Checked settings: what the program runs with.
#[derive(Debug, Clone)]
pub struct Settings {
    pub shop: ShopInfo,
    pub tz: Tz,
    pub till_id: String,
    pub max_withdrawal: Money,
    /// `till.cash_rounding`: cash payments rounded to the nearest 0,05 €.
    pub cash_rounding: bool,
    /// `till.max_discount_pct` in hundredths of a percent.
    pub max_discount_bp: i64,
    /// The till's language (`till.language`): before anyone logs in, and new staff's default.
    pub language: crate::i18n::Lang,
    pub hours: OpeningHours,
    pub printer: PrinterSettings,
    pub scanner: ScannerSettings,
    pub admin: AdminSettings,
    pub pin_pepper: Option<Secret>,
    pub payment: PaymentSettings,
    pub pay_server: PayServerSettings,
    /// The central MySQL/MariaDB database (`None`: the till works alone).
    pub central_url: Option<Secret>,
    /// True when the opening hours come from the config file or the environment rather than
    /// the built-in defaults: `kaching demo` then keeps them (else its shop is open all day).
    pub hours_configured: bool,
}

/// How the till takes QR payments.
#[derive(Debug, Clone)]
pub struct PaymentSettings {
    /// The hosted payment server; `None`: only the till's own LAN server.
    pub server_url: Option<String>,
    /// This till's secret on the hosted server (`kaching pay-server till add`).
    pub till_secret: Option<Secret>,
    /// Where the till's own payment server listens; `None`: no LAN server.
    pub lan_bind: Option<String>,
    /// What the QR codes of LAN payments point to; `None`: derived from the bind address.
    pub public_url: Option<String>,
    /// Whether the LAN server may take over when the hosted one cannot be reached: always with
    /// a `manual` hosted server; with `payconiq` only when `payment.lan_manual_fallback = true`
    /// (the LAN server proves nothing, and the shop must choose that knowingly).
    pub lan_fallback: bool,
}

#[derive(Debug, Clone)]
pub struct PayServerSettings {
    pub bind: String,
    /// `sqlite://PATH` or `mysql://…`; `None`: `sqlite://<data-dir>/pay.sqlite`.
    pub database: Option<Secret>,
    pub public_url: Option<String>,
    pub intent_lifetime: std::time::Duration,
    pub rate_per_second: u64,
    pub rate_burst: u32,
    pub workers: usize,
    pub provider: ProviderSettings,
    /// Whose forwarding header names the client (`trusted_proxies`, `forwarded_header`).
    pub client_addr: crate::pay_web::client_addr::ClientAddrPolicy,
}

/// What proves a payment on this pay-server.
#[derive(Debug, Clone)]
pub enum ProviderSettings {
    /// The customer page's button: nothing proves a payment (demo and tests only).
    Manual,
    Payconiq(PayconiqSettings),
}

pub use crate::pay_web::provider::payconiq::PayconiqConfig as PayconiqSettings;

impl ProviderSettings {
    pub fn kind(&self) -> crate::pay_web::provider::ProviderKind {
        match self {
            ProviderSettings::Manual => crate::pay_web::provider::ProviderKind::Manual,
            ProviderSettings::Payconiq(_) => crate::pay_web::provider::ProviderKind::Payconiq,
        }
    }
}

/// An `https://` URL (or `http://` to a loopback address, for a simulator on this machine).
fn provider_url(key: &str, s: &str) -> Result<String, ConfigError> {
    let u =
        http_url(key, s)?.ok_or_else(|| invalid(key, "required with provider = \"payconiq\""))?;
    let parsed = url::Url::parse(&u).map_err(|e| invalid(key, e))?;
    let loopback = match parsed.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d == "localhost",
        None => false,
    };
    if parsed.scheme() != "https" && !loopback {
        return Err(invalid(key, "use an https:// URL"));
    }
    Ok(u)
}

fn provider_settings(raw: &RawPayServer) -> Result<ProviderSettings, ConfigError> {
    match crate::pay_web::provider::ProviderKind::parse(&raw.provider) {
        Some(crate::pay_web::provider::ProviderKind::Manual) => Ok(ProviderSettings::Manual),
        Some(crate::pay_web::provider::ProviderKind::Payconiq) => {
            let p = &raw.payconiq;
            let profile = p.payment_profile_id.trim();
            if profile.is_empty() || profile.len() > 64 {
                return Err(invalid(
                    "pay_server.payconiq.payment_profile_id",
                    "required with provider = \"payconiq\" (Payconiq's payment profile id)",
                ));
            }
            if p.api_key.expose().trim().is_empty() {
                return Err(invalid(
                    "pay_server.payconiq.api_key",
                    "set KACHING_PAY_SERVER__PAYCONIQ__API_KEY (in /etc/kaching/secrets.env)",
                ));
            }
            Ok(ProviderSettings::Payconiq(PayconiqSettings {
                api_url: provider_url("pay_server.payconiq.api_url", &p.api_url)?,
                jwks_url: provider_url("pay_server.payconiq.jwks_url", &p.jwks_url)?,
                payment_profile_id: profile.to_owned(),
                callback_url: provider_url("pay_server.payconiq.callback_url", &p.callback_url)?,
                api_key: Secret::new(p.api_key.expose().trim()),
            }))
        }
        None => Err(invalid(
            "pay_server.provider",
            "use \"manual\" or \"payconiq\"",
        )),
    }
}

fn client_addr_policy(
    raw: &RawPayServer,
) -> Result<crate::pay_web::client_addr::ClientAddrPolicy, ConfigError> {
    use crate::pay_web::client_addr::{ClientAddrPolicy, ForwardedHeader, TrustedProxies};
    Ok(ClientAddrPolicy {
        trusted: TrustedProxies::parse(&raw.trusted_proxies)
            .map_err(|e| invalid("pay_server.trusted_proxies", e))?,
        header: ForwardedHeader::parse(&raw.forwarded_header).ok_or_else(|| {
            invalid(
                "pay_server.forwarded_header",
                "use \"x-forwarded-for\" or \"forwarded\" (the one your proxy writes)",
            )
        })?,
    })
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

fn http_url(key: &str, s: &str) -> Result<Option<String>, ConfigError> {
    match non_empty(s) {
        None => Ok(None),
        Some(u) => {
            let parsed = url::Url::parse(&u).map_err(|e| invalid(key, e))?;
            if !matches!(parsed.scheme(), "http" | "https") {
                return Err(invalid(key, "use an http:// or https:// URL"));
            }
            Ok(Some(u.trim_end_matches('/').to_owned()))
        }
    }
}

fn invalid(key: &str, message: impl ToString) -> ConfigError {
    ConfigError::Invalid {
        key: key.to_owned(),
        message: message.to_string(),
    }
}

/// Variables read by the command line itself, not settings.
const NOT_SETTINGS: [&str; 2] = ["DATA_DIR", "LOG"];

/// `KACHING_<SECTION>__<KEY>=value` variables as a tree of text settings. Values stay text:
/// figment's own `Env` provider would read `20` or `20.50` as numbers, and amounts are never
/// floats. Variables that are not UTF-8 are ignored.
fn env_settings(vars: impl Iterator<Item = (std::ffi::OsString, std::ffi::OsString)>) -> Dict {
    fn insert(dict: &mut Dict, path: &[String], value: String) {
        match path {
            [] => {}
            [last] => {
                dict.insert(last.clone(), Value::from(value));
            }
            [first, rest @ ..] => {
                let entry = dict
                    .entry(first.clone())
                    .or_insert_with(|| Value::from(Dict::new()));
                if let Value::Dict(_, inner) = entry {
                    insert(inner, rest, value);
                }
            }
        }
    }
    let mut root = Dict::new();
    for (k, v) in vars {
        let (Some(k), Some(v)) = (k.to_str(), v.to_str()) else {
            continue;
        };
        let Some(name) = k.strip_prefix("KACHING_") else {
            continue;
        };
        if NOT_SETTINGS.contains(&name) {
            continue;
        }
        let path: Vec<String> = name.split("__").map(str::to_ascii_lowercase).collect();
        insert(&mut root, &path, v.to_owned());
    }
    root
}

/// A whole number written as a number (TOML) or as text (environment variables).
fn number_or_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NumberOrText {
        Number(usize),
        Text(String),
    }
    match NumberOrText::deserialize(d)? {
        NumberOrText::Number(n) => Ok(n),
        NumberOrText::Text(t) => t
            .trim()
            .parse()
            .map_err(|_| serde::de::Error::custom(format!("'{t}' is not a whole number"))),
    }
}

/// A list of strings written as a TOML array, or as text (environment variables): items
/// separated by commas or spaces.
fn list_or_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum ListOrText {
        List(Vec<String>),
        Text(String),
    }
    Ok(match ListOrText::deserialize(d)? {
        ListOrText::List(items) => items,
        ListOrText::Text(t) => t
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
    })
}

/// `true`/`false` written as a boolean (TOML) or as text (environment variables: `true`,
/// `false`, `1`, `0`, `yes`, `no`).
fn bool_or_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum BoolOrText {
        Bool(bool),
        Text(String),
    }
    match BoolOrText::deserialize(d)? {
        BoolOrText::Bool(b) => Ok(b),
        BoolOrText::Text(t) => match t.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Ok(true),
            "false" | "0" | "no" | "off" => Ok(false),
            _ => Err(serde::de::Error::custom(format!(
                "'{t}' is not true or false"
            ))),
        },
    }
}

impl RawSettings {
    /// Defaults, then the file (if any), then `KACHING_*` variables.
    pub fn load(file: Option<&Path>) -> Result<RawSettings, ConfigError> {
        RawSettings::over_defaults(&overrides(file, std::env::vars_os())?)
    }

    /// The defaults with `overrides` merged over them.
    fn over_defaults(overrides: &Figment) -> Result<RawSettings, ConfigError> {
        Figment::from(Serialized::defaults(RawSettings::default()))
            .merge(overrides.clone())
            .extract()
            .map_err(|e| ConfigError::Load(Box::new(e)))
    }

    pub fn validate(self) -> Result<Settings, ConfigError> {
        let tz = parse_tz(&self.shop.timezone).map_err(|e| invalid("shop.timezone", e))?;
        let till_id = self.till.id.trim().to_owned();
        if till_id.is_empty()
            || till_id.len() > 32
            || !till_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(invalid("till.id", "1 to 32 letters, digits, '-' or '_'"));
        }
        let max_withdrawal = Money::parse(&self.till.max_withdrawal)
            .map_err(|e| invalid("till.max_withdrawal", e))?;
        let max_discount_bp = match self.till.max_discount_pct {
            p @ 0..=100 => p as i64 * 100,
            p => {
                return Err(invalid(
                    "till.max_discount_pct",
                    format!("{p} is not a percentage from 0 to 100"),
                ));
            }
        };
        let language = crate::i18n::Lang::parse(&self.till.language)
            .map_err(|e| invalid("till.language", e))?;
        let default_day = DayHours::parse(&self.hours.open, &self.hours.close)
            .map_err(|e| invalid("hours", e))?;
        let mut hours = OpeningHours::every_day(tz, default_day);
        for (day, spec) in &self.hours.days {
            let key = format!("hours.days.{day}");
            let weekday = parse_weekday(day).map_err(|e| invalid(&key, e))?;
            let h = if spec.trim().eq_ignore_ascii_case("closed") {
                None
            } else {
                let (o, c) = spec
                    .split_once('-')
                    .ok_or_else(|| invalid(&key, "use \"closed\" or \"HH:MM-HH:MM\""))?;
                Some(DayHours::parse(o, c).map_err(|e| invalid(&key, e))?)
            };
            hours = hours.with_day(weekday, h);
        }
        let printer = PrinterSettings::from_raw(&self.printer)?;
        let payment = PaymentSettings {
            server_url: http_url("payment.server_url", &self.payment.server_url)?,
            till_secret: (!self.payment.till_secret.is_empty())
                .then(|| self.payment.till_secret.clone()),
            lan_bind: non_empty(&self.payment.lan_bind),
            public_url: http_url("payment.public_url", &self.payment.public_url)?,
            lan_fallback: match crate::pay_web::provider::ProviderKind::parse(
                &self.payment.provider,
            ) {
                Some(crate::pay_web::provider::ProviderKind::Manual) => true,
                Some(crate::pay_web::provider::ProviderKind::Payconiq) => {
                    self.payment.lan_manual_fallback
                }
                None => {
                    return Err(invalid(
                        "payment.provider",
                        "use \"manual\" or \"payconiq\"",
                    ));
                }
            },
        };
        if payment.server_url.is_some() && payment.till_secret.is_none() {
            return Err(invalid(
                "payment.till_secret",
                "a hosted payment server needs this till's secret (kaching pay-server till add)",
            ));
        }
        let ps = &self.pay_server;
        if !(1..=86_400).contains(&ps.intent_lifetime_secs) {
            return Err(invalid(
                "pay_server.intent_lifetime_secs",
                "1 to 86400 seconds",
            ));
        }
        let pay_server = PayServerSettings {
            bind: ps.bind.trim().to_owned(),
            database: (!ps.database.is_empty()).then(|| ps.database.clone()),
            public_url: http_url("pay_server.public_url", &ps.public_url)?,
            intent_lifetime: std::time::Duration::from_secs(ps.intent_lifetime_secs as u64),
            rate_per_second: ps.rate_per_second.max(1) as u64,
            rate_burst: u32::try_from(ps.rate_burst.max(1)).unwrap_or(u32::MAX),
            workers: ps.workers.clamp(1, 64),
            provider: provider_settings(ps)?,
            client_addr: client_addr_policy(ps)?,
        };
        let central_url = match self.central.url.expose().trim() {
            "" if !self.central.hosts.is_empty() => {
                return Err(invalid(
                    "central.hosts",
                    "central.hosts adds hosts to central.url: set central.url too",
                ));
            }
            "" => None,
            u if u.starts_with("mysql://") => {
                for h in &self.central.hosts {
                    crate::mysql_hosts::check_host(h.trim())
                        .map_err(|e| invalid("central.hosts", &e))?;
                }
                // A URL whose own list of hosts is unusable is kept as written: the till
                // then sells alone and says why (`central_unusable`, `kaching doctor`).
                Some(Secret::new(
                    crate::mysql_hosts::with_hosts(u, &self.central.hosts)
                        .unwrap_or_else(|_| u.to_owned()),
                ))
            }
            _ => {
                return Err(invalid(
                    "central.url",
                    "use mysql://user:password@host:3306/database",
                ));
            }
        };
        let scanner = ScannerSettings::from_raw(&self.scanner)?;
        let admin = AdminSettings {
            export_dir: non_empty(&self.admin.export_dir).map(PathBuf::from),
        };
        Ok(Settings {
            scanner,
            admin,
            central_url,
            payment,
            pay_server,
            shop: ShopInfo {
                name: self.shop.name.clone(),
                address: self.shop.address.clone(),
                vat_number: self.shop.vat_number.clone(),
            },
            tz,
            till_id,
            max_withdrawal,
            max_discount_bp,
            cash_rounding: self.till.cash_rounding,
            language,
            hours,
            printer,
            pin_pepper: (!self.pin_pepper.is_empty()).then(|| self.pin_pepper.clone()),
            hours_configured: false,
        })
    }
}

impl Settings {
    /// What the runtime (the actors) runs with: only what it needs.
    pub fn runtime(&self) -> crate::actors::RuntimeConfig {
        crate::actors::RuntimeConfig {
            till_id: self.till_id.clone(),
            language: self.language,
            shop: self.shop.clone(),
            tz: self.tz,
            max_withdrawal: self.max_withdrawal,
            max_discount_bp: self.max_discount_bp,
            cash_rounding: self.cash_rounding,
            hours: self.hours.clone(),
            printer: self.printer.clone(),
            scanner: self.scanner.clone(),
            export_dir: self.admin.export_dir.clone(),
            central_url: self.central_url.clone(),
        }
    }

    pub fn load(file: Option<&Path>) -> Result<Settings, ConfigError> {
        let overrides = overrides(file, std::env::vars_os())?;
        let mut settings = RawSettings::over_defaults(&overrides)?.validate()?;
        settings.hours_configured = sets_hours(&overrides);
        Ok(settings)
    }
}

/// What is set over the defaults: the file (if any), then the `KACHING_*` variables.
fn overrides(
    file: Option<&Path>,
    vars: impl Iterator<Item = (std::ffi::OsString, std::ffi::OsString)>,
) -> Result<Figment, ConfigError> {
    let mut fig = Figment::new();
    if let Some(f) = file {
        if !f.exists() {
            return Err(ConfigError::Missing(f.to_owned()));
        }
        fig = fig.merge(Toml::file(f));
    }
    Ok(fig.merge(Serialized::defaults(env_settings(vars))))
}

/// Whether the file or the variables set anything under `[hours]`.
fn sets_hours(overrides: &Figment) -> bool {
    overrides.find_value("hours").is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_is_exactly_the_defaults() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/kaching.toml");
        let from_file: RawSettings = Figment::from(Toml::file(&path)).extract().unwrap();
        assert_eq!(from_file, RawSettings::default());
    }

    #[test]
    fn central_hosts_are_added_to_the_urls_own_and_checked() {
        let mut raw = RawSettings::default();
        raw.central.url = Secret::new("mysql://till:pw@db1:3306/kaching");
        raw.central.hosts = vec!["db2:3306".into(), " db3 ".into()];
        let s = raw.clone().validate().unwrap();
        assert_eq!(
            s.central_url.unwrap().expose(),
            "mysql://till:pw@db1:3306,db2:3306,db3/kaching"
        );
        let mut bad = raw.clone();
        bad.central.hosts = vec!["db2/other".into()];
        assert!(matches!(
            bad.validate(),
            Err(ConfigError::Invalid { key, .. }) if key == "central.hosts"
        ));
        let mut alone = raw;
        alone.central.url = Secret::new("");
        assert!(matches!(
            alone.validate(),
            Err(ConfigError::Invalid { key, .. }) if key == "central.hosts"
        ));
    }

    #[test]
    fn environment_values_stay_text_and_nest_on_double_underscores() {
        let vars = [
            ("KACHING_TILL__MAX_WITHDRAWAL", "20.10"),
            ("KACHING_TILL__CASH_ROUNDING", "false"),
            ("KACHING_PRINTER__WIDTH", "32"),
            ("KACHING_HOURS__DAYS__SUN", "closed"),
            ("KACHING_PIN_PEPPER", "p"),
            ("KACHING_ADMIN__EXPORT_DIR", "/srv/rapports"),
            ("KACHING_DATA_DIR", "/x"),
            ("OTHER", "y"),
        ]
        .map(|(k, v)| (k.into(), v.into()));
        let dict = env_settings(vars.into_iter());
        let raw: RawSettings = Figment::from(Serialized::defaults(RawSettings::default()))
            .merge(Serialized::defaults(dict))
            .extract()
            .unwrap();
        assert_eq!(raw.till.max_withdrawal, "20.10");
        assert!(!raw.till.cash_rounding);
        assert_eq!(raw.printer.width, 32);
        assert_eq!(
            raw.hours.days.get("sun").map(String::as_str),
            Some("closed")
        );
        assert_eq!(raw.pin_pepper.expose(), "p");
        let s = raw.validate().unwrap();
        assert_eq!(s.max_withdrawal, Money::from_cents(2010));
        assert_eq!(
            s.admin.export_dir_in(Path::new("/data")),
            PathBuf::from("/srv/rapports")
        );
        let default = RawSettings::default().validate().unwrap();
        assert_eq!(
            default.admin.export_dir_in(Path::new("/data")),
            PathBuf::from("/data/exports")
        );
        assert_eq!(s.hours.hours_on(chrono::Weekday::Sun), None);
    }

    fn hours_configured(
        file: Option<&Path>,
        vars: impl Iterator<Item = (std::ffi::OsString, std::ffi::OsString)>,
    ) -> bool {
        sets_hours(&overrides(file, vars).unwrap())
    }

    #[test]
    fn hours_count_as_configured_only_when_a_file_or_a_variable_sets_them() {
        let none = std::iter::empty::<(std::ffi::OsString, std::ffi::OsString)>;
        assert!(!hours_configured(None, none()));
        let vars = [("KACHING_HOURS__CLOSE".into(), "19:00".into())];
        assert!(hours_configured(None, vars.into_iter()));
        let other = [("KACHING_TILL__ID".into(), "till-2".into())];
        assert!(!hours_configured(None, other.into_iter()));
        let dir = tempfile::tempdir().unwrap();
        let with = dir.path().join("with.toml");
        std::fs::write(&with, "[hours]\nopen = \"09:00\"\n").unwrap();
        assert!(hours_configured(Some(&with), none()));
        let without = dir.path().join("without.toml");
        std::fs::write(&without, "[shop]\nname = \"X\"\n").unwrap();
        assert!(!hours_configured(Some(&without), none()));
        // The shipped file writes the default hours out: a till using it keeps them.
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/kaching.toml");
        assert!(hours_configured(Some(&shipped), none()));
        // 24:00 closes at midnight.
        let mut raw = RawSettings::default();
        raw.hours.close = "24:00".into();
        assert!(raw.validate().is_ok());
    }

    #[test]
    fn printer_timings_come_from_the_settings_within_bounds() {
        use std::time::Duration;
        let s = RawSettings::default().validate().unwrap();
        assert_eq!(s.printer.driver.write_timeout, Duration::from_secs(10));
        assert_eq!(s.printer.driver.drawer_window, Duration::from_secs(60));
        let vars = [
            ("KACHING_PRINTER__WRITE_TIMEOUT_SECS", "3"),
            ("KACHING_PRINTER__DRAWER_WINDOW_SECS", "0"),
        ]
        .map(|(k, v)| (k.into(), v.into()));
        let raw: RawSettings = Figment::from(Serialized::defaults(RawSettings::default()))
            .merge(Serialized::defaults(env_settings(vars.into_iter())))
            .extract()
            .unwrap();
        let s = raw.validate().unwrap();
        assert_eq!(s.printer.driver.write_timeout, Duration::from_secs(3));
        assert_eq!(s.printer.driver.drawer_window, Duration::ZERO);
        for (write, window, key) in [
            (0, 60, "printer.write_timeout_secs"),
            (301, 60, "printer.write_timeout_secs"),
            (10, 3601, "printer.drawer_window_secs"),
        ] {
            let mut bad = RawSettings::default();
            bad.printer.write_timeout_secs = write;
            bad.printer.drawer_window_secs = window;
            let err = bad.validate().unwrap_err().to_string();
            assert!(err.contains(key), "{write} {window}: {err}");
        }
    }

    #[test]
    fn trusted_proxies_come_from_the_file_or_the_environment_and_bad_cidrs_are_refused() {
        use crate::pay_web::client_addr::ForwardedHeader;
        let ip = |s: &str| s.parse::<std::net::IpAddr>().unwrap();
        // Default: nobody is trusted.
        let s = RawSettings::default().validate().unwrap();
        assert!(s.pay_server.client_addr.trusted.is_empty());
        assert_eq!(
            s.pay_server.client_addr.header,
            ForwardedHeader::XForwardedFor
        );
        // The file: a TOML array.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("k.toml");
        std::fs::write(
            &file,
            "[pay_server]\ntrusted_proxies = [\"127.0.0.1/32\", \"10.0.0.0/8\"]\nforwarded_header = \"forwarded\"\n",
        )
        .unwrap();
        let none = std::iter::empty::<(std::ffi::OsString, std::ffi::OsString)>;
        let s = RawSettings::over_defaults(&overrides(Some(&file), none()).unwrap())
            .unwrap()
            .validate()
            .unwrap();
        assert!(s.pay_server.client_addr.trusted.contains(ip("10.1.2.3")));
        assert!(!s.pay_server.client_addr.trusted.contains(ip("127.0.0.2")));
        assert_eq!(s.pay_server.client_addr.header, ForwardedHeader::Forwarded);
        // The environment: text, comma- or space-separated; it wins over the file.
        let vars = [(
            "KACHING_PAY_SERVER__TRUSTED_PROXIES".into(),
            "192.168.1.0/24, ::1".into(),
        )];
        let s = RawSettings::over_defaults(&overrides(Some(&file), vars.into_iter()).unwrap())
            .unwrap()
            .validate()
            .unwrap();
        let t = &s.pay_server.client_addr.trusted;
        assert!(t.contains(ip("192.168.1.77")) && t.contains(ip("::1")));
        assert!(!t.contains(ip("10.1.2.3")));
        // Bad values: a clear error naming the setting.
        for (cidrs, says) in [
            (
                vec!["10.0.0.0/8", "10.0.0.0/40"],
                "'10.0.0.0/40' is not a CIDR",
            ),
            (vec!["proxy.internal"], "'proxy.internal' is not a CIDR"),
            (vec!["192.168.1.10/24"], "host bits set"),
        ] {
            let mut bad = RawSettings::default();
            bad.pay_server.trusted_proxies = cidrs.iter().map(|c| (*c).to_owned()).collect();
            let err = bad.validate().unwrap_err().to_string();
            assert!(
                err.starts_with("setting pay_server.trusted_proxies: "),
                "{err}"
            );
            assert!(err.contains(says), "{err}");
        }
        let mut bad = RawSettings::default();
        bad.pay_server.forwarded_header = "x-real-ip".into();
        let err = bad.validate().unwrap_err().to_string();
        assert!(err.contains("pay_server.forwarded_header"), "{err}");
    }

    #[test]
    fn per_day_overrides_and_bad_values() {
        let mut raw = RawSettings::default();
        raw.hours.days.insert("sun".into(), "closed".into());
        raw.hours.days.insert("sat".into(), "08:00-13:00".into());
        let s = raw.clone().validate().unwrap();
        assert_eq!(s.hours.hours_on(chrono::Weekday::Sun), None);
        assert_eq!(
            s.hours.hours_on(chrono::Weekday::Sat),
            Some(DayHours::parse("08:00", "13:00").unwrap())
        );
        let mut bad = raw.clone();
        bad.hours.days.insert("sat".into(), "13:00-08:00".into());
        assert!(
            bad.validate()
                .unwrap_err()
                .to_string()
                .contains("hours.days.sat")
        );
        let mut bad = RawSettings::default();
        bad.till.max_withdrawal = "-5".into();
        assert!(bad.validate().is_err());
        let mut bad = RawSettings::default();
        bad.shop.timezone = "Europe/Nowhere".into();
        assert!(bad.validate().is_err());
        let mut bad = RawSettings::default();
        bad.till.id = "till 1; drop".into();
        assert!(bad.validate().is_err());
    }
}
