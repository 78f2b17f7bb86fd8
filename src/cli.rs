//! The command line: parse, load settings, dispatch. Thin: every subcommand calls the library.

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use crate::actors::admin::write_atomically;
use crate::actors::{QrServers, Till};
use crate::clock::{Clock, SharedClock, SystemClock};
use crate::config::Settings;
use crate::domain::Money;
use crate::domain::report;
use crate::domain::report::ExportFormat;
use crate::domain::staff::{Pin, Role, Staff, StaffId, parse_staff_name};
use crate::i18n::{Lang, money, t};
use crate::pay_web;
use crate::pay_web::client::PayClient;
use crate::pay_web::server::PayServerOptions;
use crate::pay_web::store::{AnyIntentStore, IntentStore};
use crate::secrets::{PinHasher, Secret};
use crate::store::Ledger;
use crate::sync::{Central, SyncError};

#[derive(Parser, Debug)]
#[command(
    name = "kaching",
    version,
    about = "KACHING: an offline-first point of sale for small shops"
)]
pub struct Cli {
    /// Data directory (ledger, tickets). Default: $KACHING_DATA_DIR, else the platform's data dir.
    #[arg(long, global = true, env = "KACHING_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Settings file (TOML) over the built-in defaults; KACHING_* variables override both.
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// The language of what the command prints for people (reports, lists, `doctor`): `fr`,
    /// `nl` or `en`, before the subcommand (`kaching --lang nl report day …`; after `staff add`,
    /// `--lang` is the new member's language). Default: `till.language`. JSON and CSV output
    /// and error codes never change.
    #[arg(long, value_name = "fr|nl|en")]
    pub lang: Option<Lang>,
    #[command(subcommand)]
    pub command: Cmd,
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Seed the demo shop of ORIGIN.md into a demo data dir, print the demo PINs and run the till.
    Demo {
        /// Only seed the data dir (catalogue and staff), do not start the till.
        #[arg(long)]
        seed_only: bool,
        /// Run the demo till headless (JSON lines on stdin/stdout) instead of on screen.
        #[arg(long)]
        headless: bool,
        /// The window's size (the demo opens in a 1024x600 window).
        #[arg(long, value_name = "WxH", value_parser = crate::gui::parse_size, conflicts_with = "fullscreen")]
        windowed: Option<(i32, i32)>,
        /// Full screen, like the till in the shop (the kiosk look).
        #[arg(long)]
        fullscreen: bool,
    },
    /// Run the till: the touch screen (FLTK), or with --headless the JSON-lines driver.
    Till {
        /// Drive the till with JSON lines on stdin/stdout (docs/PROTOCOL.md).
        #[arg(long)]
        headless: bool,
        /// Open in a window of this size (e.g. 800x480) instead of full screen.
        #[arg(long, value_name = "WxH", value_parser = crate::gui::parse_size)]
        windowed: Option<(i32, i32)>,
    },
    /// Apply pending migrations to the local ledger (and, with --central, to the central
    /// database of `central.url`).
    Migrate {
        #[arg(long)]
        central: bool,
    },
    /// Products in and out as CSV: code,barcode,name,price,vat_rate.
    #[command(subcommand)]
    Catalog(CatalogCmd),
    /// Employees: ID, name, role; the PIN is read from stdin, never from the command line.
    #[command(subcommand)]
    Staff(StaffCmd),
    /// Reports: a day, the list of days, the daily receipts journal.
    #[command(subcommand)]
    Report(ReportCmd),
    /// The outbox towards the central database.
    #[command(subcommand)]
    Sync(SyncCmd),
    /// Check the ledger's hash chain: exits non-zero when a sale was altered or removed.
    Verify,
    /// Print the last ticket again, marked DUPLICATA (the running till prints it).
    Reprint,
    /// The payment server: serve the customers' page and the tills' API (default), or manage
    /// the tills allowed to use it.
    PayServer {
        #[command(subcommand)]
        cmd: Option<PayServerCmd>,
    },
    /// Check this deployment end to end: one line per check, ✔ or ✘ with the fix. Exits 0
    /// only when every required check passes.
    Doctor {
        #[arg(long, value_enum, default_value = "txt")]
        format: crate::doctor::OutputFormat,
    },
}

#[derive(Subcommand, Debug)]
pub enum SyncCmd {
    /// Put the parked outbox rows (refused by the central database for a conflict) back in
    /// the queue, audited; the till pushes them at its next sync round (a running till too).
    /// Mend the conflicting central row first, or the row is parked again.
    RetryParked {
        /// Who asks (recorded in the audit log). Default: the system user.
        #[arg(long)]
        by: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum PayServerCmd {
    /// Serve on pay_server.bind (the default action).
    Serve,
    /// Tills allowed to create payments.
    #[command(subcommand)]
    Till(PayTillCmd),
}

#[derive(Subcommand, Debug)]
pub enum PayTillCmd {
    /// Register a till and print its new secret, once (set it as KACHING_PAYMENT__TILL_SECRET
    /// on that till). Registering a revoked till again gives it a new secret.
    Add {
        id: String,
    },
    List,
    /// Refuse the till's requests from now on.
    Revoke {
        id: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum CatalogCmd {
    /// Import products (all or nothing: the first bad row is named and nothing is imported).
    Import { file: PathBuf },
    /// Export the catalogue (to stdout, or FILE).
    Export { file: Option<PathBuf> },
}

#[derive(Subcommand, Debug)]
pub enum StaffCmd {
    /// Add an employee; the PIN (4-8 digits) is read from stdin.
    Add {
        id: String,
        name: String,
        #[arg(long, default_value = "cashier")]
        role: String,
        /// `fr`, `nl` or `en`: the language the till speaks to them (default: `till.language`).
        #[arg(long)]
        lang: Option<String>,
    },
    List,
    Disable {
        id: String,
    },
    Enable {
        id: String,
    },
    /// Lift a PIN lockout before its 15 minutes are over.
    Unlock {
        id: String,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Txt,
    Csv,
    Json,
    /// A4 PDF (`report day`, `report journal`, `report z`, `report x`; needs --output FILE).
    Pdf,
}

/// Where a report reads: this till's ledger, or the central database (all tills).
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Source {
    Local,
    Central,
}

#[derive(Subcommand, Debug)]
pub enum ReportCmd {
    /// Every line of a day (YYYY-MM-DD, shop time), withdrawals apart, totals per seller and VAT.
    Day {
        day: NaiveDate,
        #[arg(long, value_enum, default_value = "txt")]
        format: Format,
        #[arg(long, value_enum, default_value = "local")]
        source: Source,
        /// Write the report to FILE (atomically) instead of stdout; required for --format pdf
        /// (a PDF is binary: it never goes to a terminal by accident).
        #[arg(long, short = 'o')]
        output: Option<PathBuf>,
    },
    /// The days that have sales, newest first.
    Days {
        #[arg(long, value_enum, default_value = "txt")]
        format: Format,
        #[arg(long, value_enum, default_value = "local")]
        source: Source,
    },
    /// The daily receipts journal FROM..TO (every calendar day, totals per VAT rate, net of
    /// credit notes, with the credit notes and discounts).
    Journal {
        from: NaiveDate,
        to: NaiveDate,
        #[arg(long, value_enum, default_value = "txt")]
        format: Format,
        #[arg(long, value_enum, default_value = "local")]
        source: Source,
        /// Write the journal to FILE (atomically) instead of stdout; required for --format pdf.
        #[arg(long, short = 'o')]
        output: Option<PathBuf>,
    },
    /// One day per till: sales and totals on this till and in the central database, and what
    /// is still waiting to be pushed.
    Reconcile { day: NaiveDate },
    /// Hide a day from the list of days (its sales stay; audited).
    Hide { day: NaiveDate },
    /// A till's Z report NO (the drawer session it closed), or its latest.
    Z {
        no: Option<i64>,
        #[arg(long, value_enum, default_value = "txt")]
        format: Format,
        /// `central`: from the central database (any till, see --till).
        #[arg(long, value_enum, default_value = "local")]
        source: Source,
        /// Whose Z report (default: this till, `till.id`).
        #[arg(long)]
        till: Option<String>,
        /// Write the report to FILE (atomically) instead of stdout; required for --format pdf.
        #[arg(long, short = 'o')]
        output: Option<PathBuf>,
    },
    /// The open drawer session's X report (so far).
    X {
        #[arg(long, value_enum, default_value = "txt")]
        format: Format,
        /// Write the report to FILE (atomically) instead of stdout; required for --format pdf.
        #[arg(long, short = 'o')]
        output: Option<PathBuf>,
    },
}

pub fn default_data_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("kaching")
}

/// The demo's window when neither `--windowed` nor `--fullscreen` is given: fits a laptop.
pub const DEMO_WINDOW: (i32, i32) = (1024, 600);

/// Why a till sharing a central database needs an explicit pepper (the refusal at start).
pub const SHARED_PEPPER_NEEDED: &str = "central.url is set but no PIN pepper is: each data \
directory would invent its own, and the PIN hashes pulled from the central database would \
verify on no other till. Set the same KACHING_PIN_PEPPER (or pin_pepper in the config file) on \
every till and every `kaching` command that shares this central database";

/// The PIN pepper: from settings (KACHING_PIN_PEPPER), else a random one kept in the data dir
/// (created on first use, readable by the till's user only). With a central database the
/// pepper must be explicit: PIN hashes travel between tills through it, so every till must
/// hash with the same pepper, and a pepper invented by one data dir is known to that one only.
pub fn pin_hasher(settings: &Settings, data_dir: &Path) -> anyhow::Result<PinHasher> {
    if let Some(p) = &settings.pin_pepper {
        return Ok(PinHasher::new(p.clone()));
    }
    let path = data_dir.join(crate::secrets::PEPPER_FILE);
    if settings.central_url.is_some() {
        if path.exists() {
            bail!(
                "{SHARED_PEPPER_NEEDED} (to keep the PINs set on this till, use the content of {})",
                path.display()
            );
        }
        bail!("{SHARED_PEPPER_NEEDED}");
    }
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let existing = existing.trim().to_owned();
        if !existing.is_empty() {
            return Ok(PinHasher::new(Secret::new(existing)));
        }
    }
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating {}", data_dir.display()))?;
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let pepper = hex::encode(bytes);
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    use std::io::Write;
    let mut f = opts
        .open(&path)
        .with_context(|| format!("creating {}", path.display()))?;
    f.write_all(pepper.as_bytes())
        .context("writing the PIN pepper")?;
    f.sync_all().context("writing the PIN pepper")?;
    Ok(PinHasher::new(Secret::new(pepper)))
}

pub fn run(cli: Cli) -> anyhow::Result<i32> {
    let started = std::time::Instant::now();
    // The doctor loads the settings itself: a settings error is one of its checks.
    if let Cmd::Doctor { format } = cli.command {
        let data_dir = cli.data_dir.clone().unwrap_or_else(default_data_dir);
        return crate::doctor::run(cli.config.as_deref(), &data_dir, format, cli.lang);
    }
    let settings = Settings::load(cli.config.as_deref()).context("loading settings")?;
    let lang = cli.lang.unwrap_or(settings.language);
    let clock: SharedClock = Arc::new(SystemClock);
    let data_dir = match (&cli.command, cli.data_dir.clone()) {
        (_, Some(d)) => d,
        (Cmd::Demo { .. }, None) => dirs::data_dir()
            .unwrap_or_else(|| PathBuf::from("."))
            .join("kaching-demo"),
        (_, None) => default_data_dir(),
    };
    let open = || {
        Ledger::open_in(&data_dir)
            .with_context(|| format!("opening the ledger in {}", data_dir.display()))
    };
    match cli.command {
        Cmd::Demo {
            seed_only,
            headless,
            windowed,
            fullscreen,
        } => {
            let mut settings = settings;
            // The demo shop sells at any hour, so a newcomer can try a sale in the evening; a
            // till whose hours are configured keeps them.
            let all_day = !settings.hours_configured;
            if all_day {
                settings.hours = crate::domain::hours::OpeningHours::every_day(
                    settings.tz,
                    crate::domain::hours::DayHours::all_day(),
                );
            }
            let mut ledger = open()?;
            let hasher = pin_hasher(&settings, &data_dir)?;
            seed_demo(&mut ledger, &hasher, clock.as_ref())?;
            drop(ledger);
            eprintln!("KACHING demo — data in {}", data_dir.display());
            if seed_only {
                return Ok(0);
            }
            eprintln!(
                "Demo staff (ID / PIN): 1 ADMIN 1111 (any hour) · 2 AYMAN 2222 · 10 CLOTHIDE 1010 · 14 Khadija 1414 · 27 AWA 2727"
            );
            if all_day {
                eprintln!(
                    "The demo shop is open 00:00-24:00, every day: cashiers may log in at any hour \
                     (set [hours] in a config file, or KACHING_HOURS__OPEN/CLOSE, for real hours)."
                );
            } else {
                eprintln!(
                    "Cashiers may log in {} today (the configured hours of {}).",
                    settings.hours.describe_day(clock.now()),
                    settings.shop.name
                );
            }
            eprintln!("Articles to try: 1234, 1946753214860.");
            if headless {
                eprintln!(
                    "Headless: login 14 1414 · scan 1234 · withdraw 15 · pay main cash 20 · status · quit"
                );
                run_till(settings, &data_dir, clock, hasher)?;
            } else {
                let size = if fullscreen {
                    None
                } else {
                    Some(windowed.unwrap_or(DEMO_WINDOW))
                };
                run_gui(settings, &data_dir, clock, hasher, size, started)?;
            }
            Ok(0)
        }
        Cmd::Till { headless, windowed } => {
            let hasher = pin_hasher(&settings, &data_dir)?;
            if headless {
                run_till(settings, &data_dir, clock, hasher)?;
            } else {
                run_gui(settings, &data_dir, clock, hasher, windowed, started)?;
            }
            Ok(0)
        }
        Cmd::Migrate { central } => {
            open()?;
            let path = data_dir.join(crate::store::LEDGER_FILE);
            println!(
                "{}",
                t(
                    lang,
                    "cli-migrated-ledger",
                    &[("path", path.display().to_string().into())]
                )
            );
            if central {
                let applied = with_central(&settings, |c| async move { c.migrate().await })?;
                let count = i64::try_from(applied.len()).unwrap_or(i64::MAX);
                println!(
                    "{}",
                    t(lang, "cli-migrated-central", &[("count", count.into())])
                );
            }
            Ok(0)
        }
        Cmd::Catalog(CatalogCmd::Import { file }) => {
            let data =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let products = crate::domain::catalog::parse_csv(&data)
                .map_err(|e| anyhow::anyhow!("{}: {e}; nothing was imported", file.display()))?;
            if settings.central_url.is_some() {
                let ps = products.clone();
                let n = with_central(&settings, |c| async move { c.import_products(&ps).await })
                    .map_err(|e| anyhow::anyhow!("{e:#}; nothing was imported"))?;
                let count = i64::try_from(n).unwrap_or(i64::MAX);
                println!(
                    "{}",
                    t(lang, "cli-imported-central", &[("count", count.into())])
                );
                return Ok(0);
            }
            let s = open()?
                .import_products(&products, clock.now(), None)
                .map_err(|e| anyhow::anyhow!("{e}; nothing was imported"))?;
            let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX).into();
            println!(
                "{}",
                t(
                    lang,
                    "cli-imported",
                    &[
                        ("count", count(products.len())),
                        ("added", count(s.added)),
                        ("updated", count(s.updated)),
                    ]
                )
            );
            Ok(0)
        }
        Cmd::Catalog(CatalogCmd::Export { file }) => {
            let csv = crate::domain::catalog::to_csv(&open()?.products()?)?;
            match file {
                Some(f) => {
                    std::fs::write(&f, csv).with_context(|| format!("writing {}", f.display()))?
                }
                None => print!("{csv}"),
            }
            Ok(0)
        }
        Cmd::Staff(cmd) => staff(cmd, lang, &settings, &data_dir, clock.as_ref(), open),
        Cmd::Report(cmd) => report(cmd, lang, &settings, clock.as_ref(), open),
        Cmd::Sync(SyncCmd::RetryParked { by }) => {
            let user = std::env::var("SUDO_USER")
                .or_else(|_| std::env::var("USER"))
                .or_else(|_| std::env::var("LOGNAME"))
                .unwrap_or_else(|_| "unknown".into());
            let by = match by {
                Some(name) => format!("{name} (system user {user}, kaching sync retry-parked)"),
                None => format!("system user {user} (kaching sync retry-parked)"),
            };
            let n = open()?.retry_parked(&by, clock.now())?;
            if n == 0 {
                println!("{}", t(lang, "cli-retry-nothing", &[]));
            } else {
                println!("{}", t(lang, "cli-retry-done", &[("count", n.into())]));
            }
            Ok(0)
        }
        Cmd::Verify => {
            let r = open()?.verify_chain()?;
            let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX).into();
            if r.is_ok() {
                println!(
                    "{}",
                    t(
                        lang,
                        "cli-verify-ok",
                        &[("sales", count(r.sales)), ("tills", count(r.tills))]
                    )
                );
                Ok(0)
            } else {
                for p in &r.problems {
                    println!(
                        "{}",
                        t(lang, "cli-verify-fail", &[("problem", p.describe().into())])
                    );
                }
                println!(
                    "{}",
                    t(
                        lang,
                        "cli-verify-summary",
                        &[
                            ("problems", count(r.problems.len())),
                            ("sales", count(r.sales))
                        ]
                    )
                );
                Ok(1)
            }
        }
        Cmd::PayServer { cmd } => pay_server(cmd, &settings, &data_dir, clock),
        Cmd::Doctor { .. } => unreachable!("the doctor runs before the settings are loaded"),
        Cmd::Reprint => {
            let mut l = open()?;
            let Some(id) = l.last_sale_id(&settings.till_id)? else {
                bail!("no sale to reprint on {}", settings.till_id)
            };
            l.queue_reprint(&id, clock.now(), None)?;
            println!(
                "{}",
                t(
                    lang,
                    "cli-reprint-queued",
                    &[("sale", id.to_string().into())]
                )
            );
            Ok(0)
        }
    }
}

fn run_till(
    settings: Settings,
    data_dir: &Path,
    clock: SharedClock,
    hasher: PinHasher,
) -> anyhow::Result<()> {
    let system = actix::System::new();
    let data_dir = data_dir.to_owned();
    system.block_on(async move {
        let servers = qr_servers(&settings, &data_dir, &clock).await;
        let till = Till::start_with_payments(settings.runtime(), &data_dir, clock, hasher, servers)
            .context("starting the till")?;
        let stdin = tokio::io::BufReader::new(tokio::io::stdin());
        crate::headless::drive(till, stdin, std::io::stdout()).await;
        Ok::<(), anyhow::Error>(())
    })?;
    Ok(())
}

/// The touch screen: FLTK on this (main) thread, the runtime on a thread of its own. Returns
/// when the window is closed.
fn run_gui(
    settings: Settings,
    data_dir: &Path,
    clock: SharedClock,
    hasher: PinHasher,
    windowed: Option<(i32, i32)>,
    started: std::time::Instant,
) -> anyhow::Result<()> {
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        bail!(
            "no display: set DISPLAY (e.g. DISPLAY=:0 on the Pi's screen), or run `kaching till --headless`"
        );
    }
    let (gui, end) = crate::gui::open(
        crate::gui::WindowMode { size: windowed },
        &settings.shop.name,
        settings.language,
        settings.tz,
        clock.clone(),
        started,
    )?;
    let data_dir = data_dir.to_owned();
    let failure = gui.sender();
    let runtime = std::thread::Builder::new()
        .name("kaching-runtime".into())
        .spawn(move || {
            let system = actix::System::new();
            let r = system.block_on(async move {
                let servers = qr_servers(&settings, &data_dir, &clock).await;
                let till = Till::start_with_payments(
                    settings.runtime(),
                    &data_dir,
                    clock,
                    hasher,
                    servers,
                )
                .context("starting the till")?;
                crate::gui::serve(till, end).await;
                Ok::<(), anyhow::Error>(())
            });
            if let Err(e) = &r {
                tracing::error!(error = %e, "the till runtime stopped");
                failure.send(crate::gui::Msg::Ui(crate::gui::Ui::Close));
            }
            r
        })
        .context("starting the runtime thread")?;
    gui.run()?;
    if runtime.is_finished()
        && let Ok(Err(e)) = runtime.join()
    {
        return Err(e);
    }
    Ok(())
}

/// The payment servers of this till: the hosted one (if configured) and its own on the LAN
/// (if `payment.lan_bind` is set). A LAN server that cannot start is logged, not fatal: the till
/// still sells, in cash or through the hosted server.
async fn qr_servers(settings: &Settings, data_dir: &Path, clock: &SharedClock) -> QrServers {
    let mut servers = QrServers::default();
    if let (Some(url), Some(secret)) = (&settings.payment.server_url, &settings.payment.till_secret)
    {
        match PayClient::new(url, &settings.till_id, secret.clone(), clock.clone()) {
            Ok(c) => servers.hosted = Some(c),
            Err(e) => tracing::error!(error = %e, "hosted payment server unusable"),
        }
    }
    // With a Payconiq hosted server the LAN server (manual: nothing proves its payments) only
    // runs when the shop turned the fallback on; without a hosted server it is the only one.
    let lan_allowed = servers.hosted.is_none() || settings.payment.lan_fallback;
    if !lan_allowed {
        tracing::info!("the hosted server takes Payconiq payments: no manual LAN fallback");
    }
    if let Some(bind) = settings.payment.lan_bind.as_ref().filter(|_| lan_allowed) {
        match start_lan_server(bind, settings, data_dir, clock).await {
            Ok(c) => servers.lan = Some(c),
            Err(e) => tracing::error!(error = %e, bind, "the LAN payment server could not start"),
        }
    }
    servers
}

fn new_secret() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(hex::encode(bytes))
}

/// This machine's address on the LAN (the one a route to the outside would use); no packet is
/// sent.
fn lan_ip() -> Option<std::net::IpAddr> {
    let s = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    s.connect("192.0.2.1:9").ok()?;
    s.local_addr().ok().map(|a| a.ip())
}

async fn start_lan_server(
    bind: &str,
    settings: &Settings,
    data_dir: &Path,
    clock: &SharedClock,
) -> anyhow::Result<PayClient> {
    let store = AnyIntentStore::open(&format!(
        "sqlite://{}",
        data_dir.join("pay.sqlite").display()
    ))
    .await?;
    let secret = match store.till_secret(&settings.till_id).await? {
        Some(s) => s,
        None => {
            let s = Secret::new(new_secret()?);
            store
                .add_till(&settings.till_id, &s, clock.now().timestamp_millis())
                .await?;
            s
        }
    };
    let listener = std::net::TcpListener::bind(bind).with_context(|| format!("binding {bind}"))?;
    let addr = listener.local_addr()?;
    let local_ip = if addr.ip().is_unspecified() {
        std::net::IpAddr::from([127, 0, 0, 1])
    } else {
        addr.ip()
    };
    let public_url = match &settings.payment.public_url {
        Some(u) => u.clone(),
        None if addr.ip().is_unspecified() => {
            format!("http://{}:{}", lan_ip().unwrap_or(local_ip), addr.port())
        }
        None => format!("http://{addr}"),
    };
    // The till's own LAN server is always manual: tills never hold the provider's credentials.
    // Phones reach it directly on the shop's network: no proxy is believed.
    let options = PayServerOptions {
        handle_signals: false,
        payconiq: None,
        client_addr: Default::default(),
        ..pay_options(settings, public_url)
    };
    let (running, server) =
        pay_web::server::start(listener, store, options, clock.clone(), 1).await?;
    tracing::info!(addr = %running.addr, "LAN payment server listening");
    actix::spawn(async move {
        if let Err(e) = server.await {
            tracing::error!(error = %e, "LAN payment server stopped");
        }
    });
    Ok(PayClient::new(
        &format!("http://{local_ip}:{}", addr.port()),
        &settings.till_id,
        secret,
        clock.clone(),
    )?)
}

fn pay_options(settings: &Settings, public_url: String) -> PayServerOptions {
    PayServerOptions {
        public_url,
        intent_lifetime: settings.pay_server.intent_lifetime,
        rate_per_second: settings.pay_server.rate_per_second,
        rate_burst: settings.pay_server.rate_burst,
        handle_signals: true,
        payconiq: match &settings.pay_server.provider {
            crate::config::ProviderSettings::Payconiq(p) => Some(p.clone()),
            crate::config::ProviderSettings::Manual => None,
        },
        client_addr: settings.pay_server.client_addr.clone(),
    }
}

fn pay_server(
    cmd: Option<PayServerCmd>,
    settings: &Settings,
    data_dir: &Path,
    clock: SharedClock,
) -> anyhow::Result<i32> {
    let db = match &settings.pay_server.database {
        Some(s) => s.expose().to_owned(),
        None => format!("sqlite://{}", data_dir.join("pay.sqlite").display()),
    };
    let system = actix::System::new();
    system.block_on(async move {
        let store = AnyIntentStore::open(&db).await.context("opening the payment database")?;
        let now = clock.now().timestamp_millis();
        match cmd.unwrap_or(PayServerCmd::Serve) {
            PayServerCmd::Serve => {
                let bind = &settings.pay_server.bind;
                let listener = std::net::TcpListener::bind(bind).with_context(|| format!("binding {bind}"))?;
                let public_url = settings.pay_server.public_url.clone().unwrap_or_default();
                let options = pay_options(settings, public_url);
                let (running, server) = pay_web::server::start(listener, store, options, clock, settings.pay_server.workers).await?;
                eprintln!("KACHING payment server listening on http://{}", running.addr);
                if let crate::config::ProviderSettings::Manual = settings.pay_server.provider {
                    let warning = t(settings.language, "pay-server-manual-warning", &[]);
                    tracing::warn!("{warning}");
                    eprintln!("{warning}");
                }
                server.await.context("payment server")?;
            }
            PayServerCmd::Till(PayTillCmd::Add { id }) => {
                let id = id.trim().to_owned();
                if id.is_empty() || id.len() > 32 || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                    bail!("a till ID is 1 to 32 letters, digits, '-' or '_'");
                }
                let secret = new_secret()?;
                store.add_till(&id, &Secret::new(secret.clone()), now).await?;
                println!("{secret}");
                eprintln!("till {id} registered; set KACHING_PAYMENT__TILL_SECRET to the line above on that till (it is not shown again)");
            }
            PayServerCmd::Till(PayTillCmd::List) => {
                for t in store.tills().await? {
                    let state = if t.revoked_at.is_some() { "revoked" } else { "active" };
                    println!("{:<32} {state}", t.till_id);
                }
            }
            PayServerCmd::Till(PayTillCmd::Revoke { id }) => {
                if !store.revoke_till(&id, now).await? {
                    bail!("no active till {id}");
                }
                println!("till {id} revoked");
            }
        }
        Ok(0)
    })
}

/// Seeds the ORIGIN.md shop when the ledger has no products and no staff yet.
pub fn seed_demo(ledger: &mut Ledger, hasher: &PinHasher, clock: &dyn Clock) -> anyhow::Result<()> {
    if ledger.product_count()? == 0 {
        let products =
            crate::domain::catalog::parse_csv(include_bytes!("../config/demo/catalog.csv"))?;
        ledger.import_products(&products, clock.now(), None)?;
    }
    if ledger.staff_count()? == 0 {
        for line in include_str!("../config/demo/staff.csv").lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            let [id, name, role, pin] = f[..] else {
                bail!("bad demo staff line {line}")
            };
            let staff = Staff {
                id: StaffId::parse(id)?,
                name: name.to_owned(),
                role: Role::parse(role)?,
                active: true,
                lang: crate::i18n::Lang::Fr,
            };
            ledger.add_staff(&staff, &hasher.hash(&Pin::parse(pin)?)?, clock.now(), None)?;
        }
    }
    Ok(())
}

fn read_pin() -> anyhow::Result<Pin> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the PIN from stdin")?;
    // Drain anything else so a pasted file does not leak into a later prompt.
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    Ok(Pin::parse(&line)?)
}

fn staff(
    cmd: StaffCmd,
    lang: Lang,
    settings: &Settings,
    data_dir: &Path,
    clock: &dyn Clock,
    open: impl Fn() -> anyhow::Result<Ledger>,
) -> anyhow::Result<i32> {
    let cmd_kind = match cmd {
        StaffCmd::Enable { .. } => StaffKind::Enable,
        _ => StaffKind::Other,
    };
    match cmd {
        StaffCmd::Add {
            id,
            name,
            role,
            lang: staff_lang,
        } => {
            let staff = Staff {
                id: StaffId::parse(&id)?,
                name: parse_staff_name(&name)?,
                role: Role::parse(&role)?,
                active: true,
                lang: match staff_lang {
                    Some(l) => crate::i18n::Lang::parse(&l)?,
                    None => settings.language,
                },
            };
            let pin = read_pin()?;
            let hash = pin_hasher(settings, data_dir)?.hash(&pin)?;
            let args = [
                ("id", staff.id.to_string().into()),
                ("name", staff.name.as_str().into()),
                ("role", role_name(lang, staff.role).into()),
            ];
            if settings.central_url.is_some() {
                let s = staff.clone();
                with_central(settings, |c| async move { c.add_staff(&s, &hash).await })?;
                println!("{}", t(lang, "cli-staff-added-central", &args));
                return Ok(0);
            }
            open()?.add_staff(&staff, &hash, clock.now(), None)?;
            println!("{}", t(lang, "cli-staff-added", &args));
        }
        StaffCmd::List => {
            // ID, name, role, language (the code `staff add --lang` takes), state.
            let roles = [Role::Cashier, Role::Admin].map(|r| role_name(lang, r));
            let wrole = roles.iter().fold(8, |w, r| w.max(r.chars().count()));
            for s in open()?.staff_list()? {
                let state = if s.active {
                    "cli-staff-active"
                } else {
                    "cli-staff-disabled"
                };
                println!(
                    "{:>8}  {:<20} {:<wrole$} {:<2}  {}",
                    s.id.as_str(),
                    s.name,
                    role_name(lang, s.role),
                    s.lang.as_str(),
                    t(lang, state, &[])
                );
            }
        }
        StaffCmd::Disable { id } | StaffCmd::Enable { id } => {
            let active = matches!(cmd_kind, StaffKind::Enable);
            let sid = StaffId::parse(&id)?;
            if settings.central_url.is_some() {
                let s = sid.to_string();
                with_central(
                    settings,
                    |c| async move { c.set_staff_active(&s, active).await },
                )?;
            } else {
                open()?.set_staff_active(&sid, active, clock.now(), None)?;
            }
            let said = if active {
                "cli-staff-enabled-now"
            } else {
                "cli-staff-disabled-now"
            };
            println!("{}", t(lang, said, &[("id", id.as_str().into())]));
        }
        StaffCmd::Unlock { id } => {
            let sid = StaffId::parse(&id)?;
            let mut l = open()?;
            let cleared = l.clear_pin_failures(&sid)?;
            l.audit(clock.now(), None, "unlock", sid.as_str())?;
            let said = if cleared {
                "cli-staff-unlocked"
            } else {
                "cli-staff-not-locked"
            };
            println!("{}", t(lang, said, &[("id", id.as_str().into())]));
        }
    }
    Ok(0)
}

/// A role as `staff list` shows it.
fn role_name(lang: Lang, role: Role) -> String {
    match role {
        Role::Cashier => t(lang, "cli-role-cashier", &[]),
        Role::Admin => t(lang, "cli-role-admin", &[]),
    }
}

#[derive(Clone, Copy)]
enum StaffKind {
    Enable,
    Other,
}

/// Runs `f` against the central database of `central.url`, in a runtime of its own.
fn with_central<T, F, Fut>(settings: &Settings, f: F) -> anyhow::Result<T>
where
    F: FnOnce(Central) -> Fut,
    Fut: std::future::Future<Output = Result<T, SyncError>>,
{
    let Some(url) = &settings.central_url else {
        bail!("no central database: set central.url (KACHING_CENTRAL__URL)");
    };
    let system = actix::System::new();
    system.block_on(async move {
        let central = Central::new(url)?;
        let r = f(central.clone()).await;
        central.disconnect().await;
        Ok(r?)
    })
}

/// An X or Z report in `format` (the PDF's times in the shop's time zone).
fn drawer_out(
    r: &crate::domain::drawer::DrawerReport,
    format: Format,
    lang: Lang,
    settings: &Settings,
) -> anyhow::Result<Vec<u8>> {
    let shop = &settings.shop.name;
    Ok(match format {
        Format::Txt => r.to_text_in(lang, shop).into_bytes(),
        Format::Csv => r.to_csv()?.into_bytes(),
        Format::Json => (serde_json::to_string_pretty(r)? + "\n").into_bytes(),
        Format::Pdf => crate::domain::drawer_pdf::drawer_report_pdf(lang, r, shop, settings.tz),
    })
}

/// Refuses a PDF meant for the terminal, before any work: a PDF is binary.
fn pdf_needs_output(format: Format, output: Option<&Path>, example: &str) -> anyhow::Result<()> {
    if format == Format::Pdf && output.is_none() {
        bail!("--format pdf needs --output FILE (e.g. --output {example})");
    }
    Ok(())
}

/// A report's bytes to `output` (written atomically, the path said on stderr: returns `None`)
/// or, with no `output`, as the text to print.
fn report_to(
    output: Option<PathBuf>,
    bytes: Vec<u8>,
    lang: Lang,
) -> anyhow::Result<Option<String>> {
    let Some(file) = output else {
        return Ok(Some(String::from_utf8_lossy(&bytes).into_owned()));
    };
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .with_context(|| format!("{} is not a file name", file.display()))?;
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let path = write_atomically(&dir, name, &bytes)
        .with_context(|| format!("writing {}", file.display()))?;
    eprintln!(
        "{}",
        t(
            lang,
            "cli-report-written",
            &[("path", path.display().to_string().into())]
        )
    );
    Ok(None)
}

fn report(
    cmd: ReportCmd,
    lang: Lang,
    settings: &Settings,
    clock: &dyn Clock,
    open: impl Fn() -> anyhow::Result<Ledger>,
) -> anyhow::Result<i32> {
    let shop = &settings.shop.name;
    let out = match cmd {
        ReportCmd::Day {
            day,
            format,
            source,
            output,
        } => {
            pdf_needs_output(format, output.as_deref(), &format!("rapport-{day}.pdf"))?;
            let r = match source {
                Source::Local => open()?.day_report(day, settings.tz)?,
                Source::Central => {
                    let tz = settings.tz;
                    with_central(settings, |c| async move { c.day_report(day, tz).await })?
                }
            };
            let bytes = match format {
                Format::Txt => ExportFormat::Txt.render_in(lang, &r, shop)?,
                Format::Csv => ExportFormat::Csv.render_in(lang, &r, shop)?,
                Format::Pdf => ExportFormat::Pdf.render_in(lang, &r, shop)?,
                Format::Json => (serde_json::to_string_pretty(&r)? + "\n").into_bytes(),
            };
            match report_to(output, bytes, lang)? {
                Some(text) => text,
                None => return Ok(0),
            }
        }
        ReportCmd::Z {
            no,
            format,
            source,
            till,
            output,
        } => {
            pdf_needs_output(
                format,
                output.as_deref(),
                &format!("z-{}.pdf", no.map_or("last".to_owned(), |n| n.to_string())),
            )?;
            let till = till.as_deref().unwrap_or(&settings.till_id).to_owned();
            let found = match source {
                Source::Local => open()?.z_report(&till, no)?,
                Source::Central => {
                    let t = till.clone();
                    with_central(settings, |c| async move { c.z_report(&t, no).await })?
                }
            };
            let Some(z) = found else {
                match no {
                    Some(n) => bail!(
                        "{}",
                        t(
                            lang,
                            "cli-no-z",
                            &[("no", n.into()), ("till", till.as_str().into())]
                        )
                    ),
                    None => bail!(
                        "{}",
                        t(lang, "cli-no-z-yet", &[("till", till.as_str().into())])
                    ),
                }
            };
            match report_to(output, drawer_out(&z, format, lang, settings)?, lang)? {
                Some(text) => text,
                None => return Ok(0),
            }
        }
        ReportCmd::X { format, output } => {
            pdf_needs_output(format, output.as_deref(), "x.pdf")?;
            let x = match open()?.drawer_x(&settings.till_id, clock.now()) {
                Err(crate::store::StoreError::Conflict(m)) if m == crate::store::NO_OPEN_DRAWER => {
                    bail!("{}", t(lang, "drawer-none-open", &[]))
                }
                other => other?,
            };
            match report_to(output, drawer_out(&x, format, lang, settings)?, lang)? {
                Some(text) => text,
                None => return Ok(0),
            }
        }
        ReportCmd::Days { format, source } => {
            let days = match source {
                Source::Local => open()?.days()?,
                Source::Central => with_central(settings, |c| async move { c.days().await })?,
            };
            match format {
                Format::Txt => report::days_to_text_in(lang, &days),
                Format::Csv => report::days_to_csv(&days)?,
                Format::Json => serde_json::to_string_pretty(&days)? + "\n",
                Format::Pdf => bail!(
                    "--format pdf is for `report day`, `report journal`, `report z` and `report x`"
                ),
            }
        }
        ReportCmd::Journal {
            from,
            to,
            format,
            source,
            output,
        } => {
            pdf_needs_output(
                format,
                output.as_deref(),
                &format!("journal-{from}-{to}.pdf"),
            )?;
            let j = match source {
                Source::Local => open()?.journal(from, to)??,
                Source::Central => {
                    with_central(settings, |c| async move { c.journal(from, to).await })??
                }
            };
            let bytes = match format {
                Format::Txt => j.to_text_in(lang, shop).into_bytes(),
                Format::Csv => j.to_csv()?.into_bytes(),
                Format::Json => (serde_json::to_string_pretty(&j)? + "\n").into_bytes(),
                Format::Pdf => crate::domain::report_pdf::journal_pdf_in(lang, &j, shop),
            };
            match report_to(output, bytes, lang)? {
                Some(text) => text,
                None => return Ok(0),
            }
        }
        ReportCmd::Reconcile { day } => {
            let ledger = open()?;
            let local = ledger.day_totals(day)?;
            let crate::store::Waiting { pending, parked } = ledger.outbox_waiting()?;
            // This till's paid intents without a sale, whether or not they reached the centre.
            let local_unrecorded: Vec<_> = ledger
                .intents_open()?
                .into_iter()
                .filter(|i| i.state == crate::store::IntentState::Paid)
                .collect();
            drop(ledger);
            let (central, mismatches) = with_central(settings, |c| async move {
                Ok((c.reconcile(day).await?, c.payment_mismatches(day).await?))
            })?;
            reconcile_text(
                lang,
                settings,
                day,
                local,
                pending,
                parked,
                &local_unrecorded,
                &central,
                &mismatches,
            )
        }
        ReportCmd::Hide { day } => {
            open()?.hide_day(day, clock.now(), None)?;
            t(lang, "cli-day-hidden", &[("day", day.to_string().into())]) + "\n"
        }
    };
    print!("{out}");
    Ok(0)
}

/// `kaching report reconcile`: this till's and the central database's tickets sold, credit
/// notes and takings (net of them) per till, what waits to be pushed, and the payments to
/// check, in `lang`. The problems of the payments come from the central database's query, in
/// English.
#[allow(clippy::too_many_arguments)]
fn reconcile_text(
    lang: Lang,
    settings: &Settings,
    day: NaiveDate,
    local: (i64, i64, i64),
    pending: i64,
    parked: i64,
    local_unrecorded: &[crate::store::IntentRecord],
    central: &[crate::sync::central::TillDay],
    mismatches: &[crate::sync::central::PaymentMismatch],
) -> String {
    let tr = |id: &str| t(lang, id, &[]);
    let mut out = t(
        lang,
        "cli-reconcile-title",
        &[
            ("day", report::local_date(lang, day).into()),
            ("till", settings.till_id.as_str().into()),
        ],
    );
    out.push('\n');
    let heads = [
        tr("cli-reconcile-till"),
        tr("report-col-tickets"),
        tr("cli-reconcile-refunds"),
        tr("report-col-revenue"),
        tr("cli-reconcile-central"),
        tr("cli-reconcile-central-refunds"),
        tr("cli-reconcile-central-revenue"),
        tr("cli-reconcile-waiting"),
    ];
    let w: Vec<usize> = [16, 8, 8, 14, 8, 8, 14, 10]
        .iter()
        .zip(&heads)
        .map(|(w, h)| (*w).max(h.chars().count()))
        .collect();
    let line = |cells: [String; 8]| -> String {
        let mut row = format!("{:<w$}", cells[0], w = w[0]);
        for (cell, w) in cells.iter().zip(&w).skip(1) {
            row.push_str(&format!(" {cell:>w$}"));
        }
        row.push('\n');
        row
    };
    out.push_str(&line(heads.clone()));
    let mut tills: Vec<String> = central.iter().map(|t| t.till_id.clone()).collect();
    if !tills.contains(&settings.till_id) {
        tills.push(settings.till_id.clone());
    }
    tills.sort();
    for till in tills {
        let c = central.iter().find(|t| t.till_id == till);
        let (lt, lc, lr) = if till == settings.till_id {
            (
                local.0.to_string(),
                local.1.to_string(),
                money(lang, Money::from_cents(local.2)),
            )
        } else {
            ("-".into(), "-".into(), "-".into())
        };
        let waiting = if till == settings.till_id {
            pending.to_string()
        } else {
            c.and_then(|c| c.pending_at_last_heartbeat)
                .map_or("?".into(), |p| p.to_string())
        };
        out.push_str(&line([
            till,
            lt,
            lc,
            lr,
            c.map_or(0, |c| c.tickets).to_string(),
            c.map_or(0, |c| c.refunds).to_string(),
            money(lang, Money::from_cents(c.map_or(0, |c| c.revenue_cents))),
            waiting,
        ]));
    }
    let payment_row = |till: &str, intent: &str, ticket: &str, amount: &str, problem: &str| {
        format!("{till:<16} {intent:<40} {ticket:>8} {amount:>12}  {problem}\n")
    };
    let mut payments: Vec<String> = mismatches
        .iter()
        .filter(|m| {
            // Shown once: the local list below has this till's unrecorded ones.
            !(m.till_id == settings.till_id
                && m.ticket_no.is_none()
                && local_unrecorded.iter().any(|i| i.id == m.intent_id))
        })
        .map(|m| {
            payment_row(
                &m.till_id,
                &m.intent_id.to_string(),
                &m.ticket_no.map_or("-".into(), |t| t.to_string()),
                &money(lang, Money::from_cents(m.amount_cents)),
                &m.problem,
            )
        })
        .collect();
    for i in local_unrecorded {
        payments.push(payment_row(
            &settings.till_id,
            &i.id.to_string(),
            "-",
            &money(lang, i.amount),
            &tr("cli-reconcile-paid-no-sale"),
        ));
    }
    if payments.is_empty() {
        out.push_str(&tr("cli-reconcile-all-paid"));
        out.push('\n');
    } else {
        let count = i64::try_from(payments.len()).unwrap_or(i64::MAX);
        out.push_str(&t(
            lang,
            "cli-reconcile-to-check",
            &[("count", count.into())],
        ));
        out.push('\n');
        out.push_str(&payment_row(
            &tr("cli-reconcile-till"),
            &tr("cli-reconcile-payment"),
            &tr("cli-reconcile-ticket"),
            &tr("report-col-amount"),
            &tr("cli-reconcile-problem"),
        ));
        for p in payments {
            out.push_str(&p);
        }
    }
    if parked > 0 {
        out.push_str(&t(
            lang,
            "cli-reconcile-parked",
            &[
                ("parked", parked.into()),
                ("pending", pending.into()),
                ("till", settings.till_id.as_str().into()),
            ],
        ));
        out.push('\n');
    }
    out
}
