//! Printer drivers: where a ticket goes and in what form, and how long handing it over may take.
//! Blocking: the PrinterActor calls [`Printer::print`] on a blocking thread (`spawn_blocking`),
//! never on the async executor.
//!
//! | driver | target | what is sent |
//! |---|---|---|
//! | `file` | a directory (default `<data-dir>/tickets`) | the ticket as UTF-8 text, one file per ticket (or slip, or report): the preview |
//! | `tcp` | `host:port` (port 9100 by default) | ESC/POS, one connection per ticket (3 s to connect) |
//! | `device` | a device file, e.g. `/dev/usb/lp0` (must exist; opened for writing, never created) | ESC/POS |
//! | `cups` | a CUPS queue (empty: the default destination) | `format = "escpos"`: ESC/POS through `lp -o raw` to a raw queue (byte-exact); `format = "text"`: the ticket as UTF-8 text through `lp`, for an ordinary printer whose CUPS filters render it (the original's HP LaserJet 1020) |
//!
//! `print` returns `Ok` only when the bytes were handed over whole (acknowledged by the
//! network printer, written to the device, accepted by `lp`, renamed into place): the actor
//! marks the job printed only then. For CUPS, "handed over" means queued in CUPS's own durable
//! spool; CUPS then retries by itself.
//!
//! **Write timeouts** (`printer.write_timeout_secs`, 10 s by default). A printer that is on but
//! hung (paper jam, a firmware that stops reading) must give `print_failed`, not hold the queue
//! forever, so every hand-over has a deadline, enforced twice:
//!
//! - inside each driver where the OS lets us stop cleanly: the TCP socket's write timeout is set
//!   to what is left of the deadline before every write, and after the last write the driver
//!   waits (`TIOCOUTQ`) until the printer's TCP stack has acknowledged every byte — a listener
//!   that accepts and never reads takes a few hundred bytes into its window and then nothing, and
//!   a ticket sitting in our own send buffer is not printed. On timeout the connection is reset
//!   (`SO_LINGER` 0), so the kernel does not deliver the ticket later behind our back and a retry
//!   cannot print it twice. `lp` is killed at the deadline, and its standard input is written by
//!   a thread of its own so an `lp` that does not read cannot stall the wait.
//! - around every driver: the send runs on a thread of its own, and `print` waits for it until
//!   the deadline (plus a short grace for the drivers' own timeouts to fire first). A write to a
//!   device file cannot be interrupted (`/dev/usb/lp0` blocks in the kernel when the printer
//!   stops taking data; so does opening a FIFO nobody reads), nor can a slow name lookup: after
//!   the deadline `print` returns [`PrintError::TimedOut`] and leaves the thread blocked. While it
//!   is, every attempt fails at once with [`PrintError::Hung`] (no pile of blocked threads); if it
//!   completes later and succeeded, the same job counts as printed (it did come out), so it is
//!   not printed twice.
//!
//! Threads rather than async I/O: every driver here is blocking by nature (a device file, a
//! child process, `getaddrinfo`), one ticket is sent at a time, and a thread that a deadline
//! abandons is the one thing that can bound all of them alike.
//!
//! **The drawer** (`printer.drawer_window_secs`, 60 s by default). The pulse that opens the cash
//! drawer goes with a cash sale's original ticket only when it prints within the window of the
//! sale ([`Printer::drawer`], from the sale's `paid_at` and the till's clock at print time): a
//! ticket that waited in the queue for a printer that was off prints later without it, so the
//! drawer never springs open with nobody at the till. A DUPLICATA never opens it. The slip of a
//! cash-in or cash-out opens it by the same rule, measured from the move
//! ([`Printer::drawer_for`]); an X or Z report never does.
//!
//! **The QR code.** An ESC/POS ticket ends with the QR code of its sale id (Model 2, error
//! correction M): the paper scanned back at a `refund`. A text driver (the preview, a CUPS text
//! queue) cannot draw one; the layout prints the id as text under the seal on every ticket, so
//! there it is the only copy. A credit note prints like a ticket, its CUPS job titled
//! `kaching till-1 credit note 42`; paid back in cash, it opens the drawer by the same window
//! as a cash sale (the money comes out of it).
//!
//! **Documents** (src/domain/drawer_print.rs): slips and X/Z reports print like tickets, through
//! the same drivers and deadline ([`Printer::print_document`]), without a QR code; their preview
//! files are named apart from tickets' (`till-1-move-000017.txt`, `till-1-z000003.txt`,
//! `till-1-x000003-j58.txt` beside `till-1-000042.txt`).

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError, TryRecvError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use crate::domain::drawer_print::{self, PrintDoc};
use crate::domain::receipt::{self, ShopInfo, Ticket, TicketLanguage};
use crate::domain::sale::{PaymentMethod, Sale, SaleKind};

use super::escpos::{self, CodePage};

/// Connecting to a network printer gives up after this (or sooner, at the write deadline).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// The raw-printing port of network receipt printers (JetDirect / AppSocket).
pub const DEFAULT_TCP_PORT: u16 = 9100;
/// `printer.write_timeout_secs` by default: how long one ticket may take to be handed over.
pub const DEFAULT_WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// `printer.drawer_window_secs` by default: how long after its sale a cash ticket still opens
/// the drawer.
pub const DEFAULT_DRAWER_WINDOW: Duration = Duration::from_secs(60);
/// How much longer than the deadline `print` waits for a driver, so that the drivers' own
/// timeouts (which clean up: reset the connection, kill `lp`) fire first.
const GRACE: Duration = Duration::from_millis(500);

/// What a CUPS queue is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CupsFormat {
    /// ESC/POS bytes, `lp -o raw`: for a raw queue to a receipt printer.
    #[default]
    EscPos,
    /// The ticket as UTF-8 text: CUPS's filters render it for an ordinary printer.
    Text,
}

impl CupsFormat {
    pub fn parse(name: &str) -> Option<CupsFormat> {
        match name.trim().to_ascii_lowercase().as_str() {
            "escpos" | "esc/pos" | "raw" => Some(CupsFormat::EscPos),
            "text" => Some(CupsFormat::Text),
            _ => None,
        }
    }
}

/// Where tickets go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Driver {
    /// Text files in a directory (`None`: `<data-dir>/tickets`): the preview.
    File { dir: Option<PathBuf> },
    /// ESC/POS to `host:port`.
    Tcp { addr: String },
    /// ESC/POS written to a device file.
    Device { path: PathBuf },
    /// `lp` to a CUPS queue (`None`: the default destination).
    Cups {
        queue: Option<String>,
        format: CupsFormat,
    },
}

impl Driver {
    /// `host`, `host:port`, `[v6]` or `[v6]:port` → an address with a port (9100 by default).
    pub fn tcp_addr(target: &str) -> Result<String, String> {
        let t = target.trim();
        if t.is_empty() {
            return Err("the printer's host or host:port (port 9100 by default)".into());
        }
        let has_port = if let Some(rest) = t.strip_prefix('[') {
            let Some((_, after)) = rest.split_once(']') else {
                return Err(format!("'{t}': an IPv6 address is written [addr]:port"));
            };
            match after {
                "" => false,
                p => {
                    check_port(t, p.strip_prefix(':').unwrap_or("x"))?;
                    true
                }
            }
        } else {
            match t.rsplit_once(':') {
                None => false,
                Some((host, _)) if host.contains(':') => {
                    return Err(format!("'{t}': write an IPv6 address as [addr]:port"));
                }
                Some((_, p)) => {
                    check_port(t, p)?;
                    true
                }
            }
        };
        Ok(if has_port {
            t.to_owned()
        } else {
            format!("{t}:{DEFAULT_TCP_PORT}")
        })
    }

    /// A CUPS queue name `lp -d` accepts: printable, no space, `/` or `#`, not an option.
    pub fn cups_queue(target: &str) -> Result<Option<String>, String> {
        let q = target.trim();
        if q.is_empty() {
            return Ok(None);
        }
        if q.starts_with('-')
            || q.len() > 127
            || q.chars()
                .any(|c| c.is_control() || c.is_whitespace() || c == '/' || c == '#')
        {
            return Err(format!(
                "'{q}' is not a CUPS queue name (lpstat -p lists them)"
            ));
        }
        Ok(Some(q.to_owned()))
    }

    /// How the driver's target is named in errors.
    fn what(&self) -> String {
        match self {
            Driver::File { dir } => dir
                .as_deref()
                .unwrap_or(Path::new("tickets"))
                .display()
                .to_string(),
            Driver::Tcp { addr } => format!("printer {addr}"),
            Driver::Device { path } => path.display().to_string(),
            Driver::Cups { queue, .. } => format!("lp {}", queue.as_deref().unwrap_or("(default)")),
        }
    }
}

fn check_port(target: &str, port: &str) -> Result<(), String> {
    match port.parse::<u16>() {
        Ok(p) if p > 0 => Ok(()),
        _ => Err(format!("'{target}': the port must be 1 to 65535")),
    }
}

/// A [`Driver`] with the timings `printer.*` gives it: what `settings.printer.driver` holds.
/// It derefs to the [`Driver`], so code that only asks where tickets go (the doctor) reads it
/// as one, and [`Printer::new`] takes either (a bare driver gets the default timings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriverSetup {
    pub driver: Driver,
    /// How long one ticket may take to be handed over (`printer.write_timeout_secs`).
    pub write_timeout: Duration,
    /// How long after its sale a cash ticket still opens the drawer
    /// (`printer.drawer_window_secs`).
    pub drawer_window: Duration,
}

impl Deref for DriverSetup {
    type Target = Driver;

    fn deref(&self) -> &Driver {
        &self.driver
    }
}

impl From<Driver> for DriverSetup {
    fn from(driver: Driver) -> DriverSetup {
        DriverSetup {
            driver,
            write_timeout: DEFAULT_WRITE_TIMEOUT,
            drawer_window: DEFAULT_DRAWER_WINDOW,
        }
    }
}

impl PartialEq<Driver> for DriverSetup {
    fn eq(&self, other: &Driver) -> bool {
        self.driver == *other
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("lp: {0}")]
    Cups(String),
    /// The deadline (`printer.write_timeout_secs`) passed before the ticket was handed over.
    #[error("{what}: timed out after {secs} s ({detail})")]
    TimedOut {
        what: String,
        secs: u64,
        detail: String,
    },
    /// An earlier write that timed out is still blocked in the kernel: nothing is sent.
    #[error("{what}: hung, the write that timed out {secs} s ago has not returned")]
    Hung { what: String, secs: u64 },
}

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> PrintError {
    let what = what.into();
    move |source| PrintError::Io { what, source }
}

/// What a ticket becomes before it is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rendered {
    Text(String),
    EscPos(Vec<u8>),
}

impl Rendered {
    fn into_bytes(self) -> Vec<u8> {
        match self {
            Rendered::Text(t) => t.into_bytes(),
            Rendered::EscPos(b) => b,
        }
    }
}

/// Whether a ticket opens the cash drawer ([`Printer::drawer`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drawer {
    /// A cash sale's original, printed within the window: the pulse goes with it.
    Opens,
    /// A QR payment or a duplicate: never a pulse.
    Stays,
    /// A cash sale's original printed `delay` after the sale (negative: the clock reads earlier
    /// than the sale), outside the window: printed without the pulse.
    Late { delay: TimeDelta, window: Duration },
}

impl Drawer {
    pub fn opens(self) -> bool {
        self == Drawer::Opens
    }
}

/// A send that outlived its deadline, still running on its thread.
#[derive(Debug)]
struct Unfinished {
    job: i64,
    since: Instant,
    result: mpsc::Receiver<Result<(), PrintError>>,
}

/// A configured printer: the driver, its timings and how tickets are laid out for it.
#[derive(Debug, Clone)]
pub struct Printer {
    driver: Driver,
    write_timeout: Duration,
    drawer_window: Duration,
    width: usize,
    codepage: CodePage,
    shop: ShopInfo,
    tz: Tz,
    /// The ticket's language(s) (`printer.language`).
    language: TicketLanguage,
    unfinished: Arc<Mutex<Option<Unfinished>>>,
}

impl Printer {
    /// `data_dir` resolves the file driver's default directory.
    pub fn new(
        driver: impl Into<DriverSetup>,
        width: usize,
        codepage: CodePage,
        shop: ShopInfo,
        tz: Tz,
        data_dir: &Path,
    ) -> Printer {
        let setup = driver.into();
        let driver = match setup.driver {
            Driver::File { dir: None } => Driver::File {
                dir: Some(data_dir.join("tickets")),
            },
            d => d,
        };
        Printer {
            driver,
            write_timeout: setup.write_timeout,
            drawer_window: setup.drawer_window,
            width,
            codepage,
            shop,
            tz,
            language: TicketLanguage::default(),
            unfinished: Arc::default(),
        }
    }

    /// Prints its tickets in `language` (French by default).
    pub fn with_language(mut self, language: TicketLanguage) -> Printer {
        self.language = language;
        self
    }

    pub fn driver(&self) -> &Driver {
        &self.driver
    }

    /// Whether `sale`'s ticket printed `now` opens the drawer: a cash sale's original within
    /// `printer.drawer_window_secs` of its `paid_at` (either way, so a clock set back a little
    /// does not keep it shut); never a duplicate or a QR payment, nor anything with a window
    /// of 0 (the drawer is opened by hand).
    pub fn drawer(&self, sale: &Sale, duplicate: bool, now: DateTime<Utc>) -> Drawer {
        if duplicate || sale.method != PaymentMethod::Cash {
            return Drawer::Stays;
        }
        self.drawer_since(sale.paid_at, now)
    }

    /// Whether `doc` printed `now` opens the drawer: a cash-in/out slip by the same window as a
    /// cash ticket, measured from the move; an X or Z never.
    pub fn drawer_for(&self, doc: &PrintDoc, now: DateTime<Utc>) -> Drawer {
        match doc.drawer_at() {
            Some(at) => self.drawer_since(at, now),
            None => Drawer::Stays,
        }
    }

    /// The window rule: the pulse goes when `now` is within `printer.drawer_window_secs` of
    /// `at`, either way; a window of 0 never opens the drawer.
    fn drawer_since(&self, at: DateTime<Utc>, now: DateTime<Utc>) -> Drawer {
        if self.drawer_window.is_zero() {
            return Drawer::Stays;
        }
        let delay = now.signed_duration_since(at);
        let window = TimeDelta::from_std(self.drawer_window).unwrap_or(TimeDelta::MAX);
        if delay.abs() <= window {
            Drawer::Opens
        } else {
            Drawer::Late {
                delay,
                window: self.drawer_window,
            }
        }
    }

    /// Whether the driver takes plain text (a preview file, a CUPS text queue), not ESC/POS.
    fn text_only(&self) -> bool {
        match &self.driver {
            Driver::File { .. } => true,
            Driver::Cups { format, .. } => *format == CupsFormat::Text,
            Driver::Tcp { .. } | Driver::Device { .. } => false,
        }
    }

    /// The ticket in the driver's form; the drawer pulse only with [`Drawer::Opens`] (and
    /// never on a duplicate or a QR payment, whatever `drawer` says). ESC/POS prints the QR
    /// code of the sale id under the text; a text-only driver has the id as text only (the
    /// layout prints it under the seal on every printer).
    pub fn render(&self, ticket: &Ticket, drawer: Drawer) -> Rendered {
        if self.text_only() {
            return Rendered::Text(receipt::render_ticket(
                ticket,
                &self.shop,
                self.tz,
                self.width,
                self.language,
            ));
        }
        let lines = receipt::layout_ticket(ticket, &self.shop, self.tz, self.width, self.language);
        let sale = ticket.sale;
        let pulse = drawer.opens() && sale.method == PaymentMethod::Cash && !ticket.duplicate;
        Rendered::EscPos(escpos::ticket(&lines, Some(&sale.id), pulse, self.codepage))
    }

    /// A slip or a report in the driver's form (no QR code); the drawer pulse only on a slip
    /// and with [`Drawer::Opens`].
    pub fn render_document(&self, doc: &PrintDoc, drawer: Drawer) -> Rendered {
        if self.text_only() {
            return Rendered::Text(drawer_print::render(
                doc,
                &self.shop,
                self.tz,
                self.width,
                self.language,
            ));
        }
        let lines = drawer_print::layout(doc, &self.shop, self.tz, self.width, self.language);
        let pulse = drawer.opens() && doc.drawer_at().is_some();
        Rendered::EscPos(escpos::ticket(&lines, None, pulse, self.codepage))
    }

    /// Renders and sends one ticket (blocking, at most `printer.write_timeout_secs` and a
    /// moment). `job` names the duplicate's preview file and tells a late-finishing send of
    /// this same job from another's (see the module doc).
    pub fn print(&self, ticket: &Ticket, drawer: Drawer, job: i64) -> Result<(), PrintError> {
        let (sale, duplicate) = (ticket.sale, ticket.duplicate);
        let file = format!(
            "{}-{:06}{}.txt",
            sale.till_id,
            sale.ticket_no,
            if duplicate {
                format!("-dup{job}")
            } else {
                String::new()
            }
        );
        let title = format!(
            "kaching {} {} {}{}",
            sale.till_id,
            if sale.kind == SaleKind::Refund {
                "credit note"
            } else {
                "ticket"
            },
            sale.ticket_no,
            if duplicate { " DUPLICATA" } else { "" }
        );
        self.hand_over(job, &file, &title, || {
            self.render(ticket, drawer).into_bytes()
        })
    }

    /// Renders and sends one slip or report, like [`Printer::print`] a ticket. Its preview
    /// file is named apart from tickets' ([`PrintDoc::file_stem`]).
    pub fn print_document(
        &self,
        doc: &PrintDoc,
        drawer: Drawer,
        job: i64,
    ) -> Result<(), PrintError> {
        let file = format!("{}.txt", doc.file_stem(job));
        self.hand_over(job, &file, &doc.title(), || {
            self.render_document(doc, drawer).into_bytes()
        })
    }

    /// Sends what `render` gives as job `job` (`file`: the preview's name, `title`: the CUPS
    /// job's), within the deadline; a send of this same job that timed out and completed
    /// since counts as printed (see the module doc).
    fn hand_over(
        &self,
        job: i64,
        file: &str,
        title: &str,
        render: impl FnOnce() -> Vec<u8>,
    ) -> Result<(), PrintError> {
        let mut unfinished = self
            .unfinished
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(u) = unfinished.take() {
            match u.result.try_recv() {
                Err(TryRecvError::Empty) => {
                    let secs = u.since.elapsed().as_secs();
                    *unfinished = Some(u);
                    return Err(PrintError::Hung {
                        what: self.driver.what(),
                        secs,
                    });
                }
                // The send that timed out got through in the end: this job is printed.
                Ok(Ok(())) if u.job == job => {
                    tracing::warn!(job, "a print that had timed out completed later");
                    return Ok(());
                }
                // It failed, or it was another job's: send this one afresh.
                _ => {}
            }
        }
        let bytes = render();
        let deadline = Deadline::after(self.write_timeout);
        let (tx, rx) = mpsc::channel();
        let this = self.clone();
        let (file, title) = (file.to_owned(), title.to_owned());
        std::thread::Builder::new()
            .name("kaching-print".into())
            .spawn(move || {
                let _ = tx.send(this.send(&file, &title, &bytes, deadline));
            })
            .map_err(io("starting the printer's thread"))?;
        match rx.recv_timeout(self.write_timeout + GRACE) {
            Ok(result) => result,
            Err(RecvTimeoutError::Timeout) => {
                *unfinished = Some(Unfinished {
                    job,
                    since: Instant::now(),
                    result: rx,
                });
                Err(deadline.timed_out(&self.driver.what(), "the write did not return"))
            }
            Err(RecvTimeoutError::Disconnected) => Err(PrintError::Io {
                what: self.driver.what(),
                source: std::io::Error::other("the printer's thread stopped"),
            }),
        }
    }

    /// Hands `bytes` to the driver (on the thread `print` started): `file` is the preview's
    /// name in the file driver's directory, `title` the CUPS job's.
    fn send(
        &self,
        file: &str,
        title: &str,
        bytes: &[u8],
        deadline: Deadline,
    ) -> Result<(), PrintError> {
        match &self.driver {
            Driver::File { dir } => {
                let dir = dir.clone().unwrap_or_else(|| PathBuf::from("tickets"));
                write_file(&dir, file, bytes)
            }
            Driver::Tcp { addr } => send_tcp(addr, bytes, deadline),
            Driver::Device { path } => write_device(path, bytes),
            Driver::Cups { queue, format } => {
                send_lp(queue.as_deref(), *format, title, bytes, deadline)
            }
        }
    }
}

/// The ESC/POS ticket of `sale`: its [`receipt::layout`], the QR code of the sale id, a
/// partial cut, and a drawer pulse on a cash sale's original.
pub fn escpos_ticket(
    sale: &Sale,
    shop: &ShopInfo,
    tz: Tz,
    width: usize,
    duplicate: bool,
    page: CodePage,
) -> Vec<u8> {
    escpos_ticket_with(sale, shop, tz, width, duplicate, true, page)
}

/// [`escpos_ticket`], the drawer pulse only when `drawer` allows it too.
pub fn escpos_ticket_with(
    sale: &Sale,
    shop: &ShopInfo,
    tz: Tz,
    width: usize,
    duplicate: bool,
    drawer: bool,
    page: CodePage,
) -> Vec<u8> {
    let lines = receipt::layout(sale, shop, tz, width, duplicate);
    let pulse = drawer && sale.method == PaymentMethod::Cash && !duplicate;
    escpos::ticket(&lines, Some(&sale.id), pulse, page)
}

/// Writes the file next to its final name and renames it, so a ticket file is whole or absent.
fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), PrintError> {
    let shown = dir.display().to_string();
    std::fs::create_dir_all(dir).map_err(io(&shown))?;
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&tmp, bytes).map_err(io(&shown))?;
    std::fs::rename(&tmp, dir.join(name)).map_err(io(shown))
}

/// When a hand-over must be done by, and the timeout it came from (for the messages).
#[derive(Debug, Clone, Copy)]
struct Deadline {
    at: Instant,
    after: Duration,
}

impl Deadline {
    fn after(timeout: Duration) -> Deadline {
        Deadline {
            at: Instant::now() + timeout,
            after: timeout,
        }
    }

    /// What is left, `None` once it passed.
    fn left(self) -> Option<Duration> {
        self.at
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
    }

    fn timed_out(self, what: &str, detail: impl Into<String>) -> PrintError {
        PrintError::TimedOut {
            what: what.to_owned(),
            secs: self.after.as_secs(),
            detail: detail.into(),
        }
    }
}

/// One connection per ticket: connect (each resolved address in turn), write everything, wait
/// for the printer to acknowledge it, close the sending side; all before `deadline`.
fn send_tcp(addr: &str, bytes: &[u8], deadline: Deadline) -> Result<(), PrintError> {
    let what = format!("printer {addr}");
    let addrs = addr.to_socket_addrs().map_err(io(&what))?;
    let mut last = None;
    for a in addrs {
        let Some(wait) = deadline.left() else { break };
        match TcpStream::connect_timeout(&a, wait.min(CONNECT_TIMEOUT)) {
            Ok(s) => return send_on(s, &what, bytes, deadline),
            Err(e) => last = Some(e),
        }
    }
    Err(PrintError::Io {
        what,
        source: last.unwrap_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::TimedOut, "no address answered in time")
        }),
    })
}

fn send_on(
    mut s: TcpStream,
    what: &str,
    bytes: &[u8],
    deadline: Deadline,
) -> Result<(), PrintError> {
    let _ = s.set_nodelay(true);
    let mut sent = 0;
    while sent < bytes.len() {
        let Some(wait) = deadline.left() else {
            return Err(abort(s, what, deadline, sent, bytes.len()));
        };
        s.set_write_timeout(Some(wait)).map_err(io(what))?;
        match s.write(&bytes[sent..]) {
            Ok(0) => {
                return Err(io(what)(std::io::Error::from(
                    std::io::ErrorKind::WriteZero,
                )));
            }
            Ok(n) => sent += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return Err(abort(s, what, deadline, sent, bytes.len()));
            }
            Err(e) => return Err(io(what)(e)),
        }
    }
    // Written is not printed: the bytes may still sit in our send buffer. Wait until the
    // printer's TCP stack has acknowledged them all.
    let mut pause = Duration::from_millis(1);
    loop {
        match unacknowledged(&s) {
            Ok(0) => break,
            Ok(_) if deadline.left().is_none() => {
                return Err(abort(s, what, deadline, bytes.len(), bytes.len()));
            }
            Ok(_) => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            // No way to ask (not Linux?): the bytes were written, as before this check.
            Err(e) => {
                tracing::debug!(error = %e, "TIOCOUTQ unavailable");
                break;
            }
        }
    }
    s.shutdown(std::net::Shutdown::Write).map_err(io(what))?;
    Ok(())
}

/// Resets the connection (`SO_LINGER` 0 discards what the kernel still holds, so the ticket
/// cannot come out after we gave up on it) and says how far it got.
fn abort(s: TcpStream, what: &str, deadline: Deadline, sent: usize, total: usize) -> PrintError {
    let took = sent.saturating_sub(unacknowledged(&s).unwrap_or(0));
    let _ = socket2::SockRef::from(&s).set_linger(Some(Duration::ZERO));
    drop(s);
    deadline.timed_out(what, format!("the printer took {took} of {total} bytes"))
}

/// Bytes the peer has not acknowledged yet (Linux `TIOCOUTQ`, alias `SIOCOUTQ`).
fn unacknowledged(s: &TcpStream) -> std::io::Result<usize> {
    use std::os::fd::AsRawFd;
    let mut n: nix::libc::c_int = 0;
    // SAFETY: the descriptor is the open socket `s` borrows for the whole call, and TIOCOUTQ
    // writes one c_int through the pointer, which points at `n`.
    let rc = unsafe { nix::libc::ioctl(s.as_raw_fd(), nix::libc::TIOCOUTQ, &mut n) };
    if rc < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(usize::try_from(n).unwrap_or(0))
}

/// The device must exist: it is opened for writing (appending), never created, so a missing
/// printer is an error and not a new file in /dev. Both the open and the writes may block
/// forever on a hung device: [`Printer::print`] runs this on a thread it can abandon.
fn write_device(path: &Path, bytes: &[u8]) -> Result<(), PrintError> {
    let what = path.display().to_string();
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(io(&what))?;
    f.write_all(bytes).map_err(io(&what))?;
    f.flush().map_err(io(what))
}

/// `lp [-d QUEUE] -t TITLE [-o raw]` with the ticket on its standard input; killed if it has
/// not exited by `deadline`.
fn send_lp(
    queue: Option<&str>,
    format: CupsFormat,
    title: &str,
    bytes: &[u8],
    deadline: Deadline,
) -> Result<(), PrintError> {
    let mut cmd = Command::new("lp");
    if let Some(q) = queue {
        cmd.arg("-d").arg(q);
    }
    cmd.arg("-t").arg(title);
    if format == CupsFormat::EscPos {
        cmd.arg("-o").arg("raw");
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                PrintError::Cups(
                    "not found: install CUPS's client (apt-get install cups-client)".into(),
                )
            } else {
                PrintError::Cups(e.to_string())
            }
        })?;
    // Written from a thread: an `lp` that does not read must not stall the deadline below. The
    // thread ends when the ticket is written or `lp` is gone (EPIPE).
    let writer = child.stdin.take().map(|mut stdin| {
        let bytes = bytes.to_vec();
        std::thread::spawn(move || stdin.write_all(&bytes))
    });
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if deadline.left().is_some() => std::thread::sleep(Duration::from_millis(5)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(PrintError::Cups(format!(
                    "no answer in {} s (is cupsd running?)",
                    deadline.after.as_secs()
                )));
            }
            Err(e) => return Err(PrintError::Cups(e.to_string())),
        }
    };
    let written = match writer.map(std::thread::JoinHandle::join) {
        Some(Ok(w)) => w,
        Some(Err(_)) => Err(std::io::Error::other("the writing thread stopped")),
        None => Ok(()),
    };
    let mut err = String::new();
    if let Some(mut stderr) = child.stderr.take() {
        let _ = stderr.read_to_string(&mut err);
    }
    if !status.success() {
        let err = err.trim();
        return Err(PrintError::Cups(if err.is_empty() {
            format!("exited with {status}")
        } else {
            err.to_owned()
        }));
    }
    written.map_err(|e| PrintError::Cups(format!("sending the ticket: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::basket::{Account, LineKind};
    use crate::domain::money::Money;
    use crate::domain::product::VatRate;
    use crate::domain::sale::{GENESIS_HASH, SaleLine};
    use crate::domain::staff::StaffId;

    fn cash_sale() -> Sale {
        Sale {
            id: "0190c0de-0000-7000-8000-000000000001".into(),
            till_id: "till-1".into(),
            ticket_no: 7,
            staff_id: StaffId::parse("1").unwrap(),
            staff_name: "Khadija".into(),
            account: Account::Main,
            method: PaymentMethod::Cash,
            payment_ref: None,
            provider_ref: None,
            revenue: Money::from_cents(250),
            withdrawal: Money::ZERO,
            paid: Money::from_cents(250),
            rounding: Money::ZERO,
            tendered: Some(Money::from_cents(500)),
            change: Money::from_cents(250),
            discount: Money::ZERO,
            kind: Default::default(),
            original: None,
            reason: None,
            approved_by: None,
            paid_at: chrono::DateTime::from_timestamp(1_780_000_000, 0).unwrap(),
            lines: vec![SaleLine {
                line_no: 1,
                kind: LineKind::Item,
                product_code: Some("0000".into()),
                name: "Café".into(),
                unit: Money::from_cents(250),
                qty: 1,
                total: Money::from_cents(250),
                vat: Some(VatRate::Six),
                discount: Money::ZERO,
                original_line: None,
            }],
            prev_hash: GENESIS_HASH.into(),
            hash: "abcdef0123456789".into(),
        }
    }

    #[test]
    fn tcp_targets_get_the_default_port() {
        assert_eq!(Driver::tcp_addr("10.0.0.5").unwrap(), "10.0.0.5:9100");
        assert_eq!(
            Driver::tcp_addr(" printer.lan:9101 ").unwrap(),
            "printer.lan:9101"
        );
        assert_eq!(Driver::tcp_addr("[::1]").unwrap(), "[::1]:9100");
        assert_eq!(Driver::tcp_addr("[::1]:9200").unwrap(), "[::1]:9200");
        assert!(Driver::tcp_addr("").is_err());
        assert!(Driver::tcp_addr("host:0").is_err());
        assert!(Driver::tcp_addr("host:99999").is_err());
        assert!(Driver::tcp_addr("::1").is_err());
        assert!(Driver::tcp_addr("[::1").is_err());
    }

    #[test]
    fn cups_queue_names() {
        assert_eq!(Driver::cups_queue("").unwrap(), None);
        assert_eq!(
            Driver::cups_queue("TM-T20").unwrap().as_deref(),
            Some("TM-T20")
        );
        assert!(Driver::cups_queue("-o raw").is_err());
        assert!(Driver::cups_queue("a b").is_err());
        assert!(Driver::cups_queue("a/b").is_err());
    }

    #[test]
    fn settings_choose_the_driver() {
        use crate::config::{PrinterSettings, RawPrinter};
        let parse = |driver: &str, target: &str, format: &str, codepage: &str| {
            PrinterSettings::from_raw(&RawPrinter {
                driver: driver.into(),
                target: target.into(),
                width: 48,
                codepage: codepage.into(),
                format: format.into(),
                ..RawPrinter::default()
            })
        };
        let s = parse("file", "", "escpos", "cp1252").unwrap();
        assert_eq!(s.driver, Driver::File { dir: None });
        assert_eq!(s.codepage, CodePage::Cp1252);
        assert_eq!(s.width, 48);
        let s = parse("tcp", "192.168.1.50", "escpos", "pc858").unwrap();
        assert_eq!(
            s.driver,
            Driver::Tcp {
                addr: "192.168.1.50:9100".into()
            }
        );
        assert_eq!(s.codepage, CodePage::Pc858);
        assert_eq!(
            parse("device", "/dev/usb/lp0", "escpos", "cp1252")
                .unwrap()
                .driver,
            Driver::Device {
                path: "/dev/usb/lp0".into()
            }
        );
        assert_eq!(
            parse("cups", "LaserJet", "text", "cp1252").unwrap().driver,
            Driver::Cups {
                queue: Some("LaserJet".into()),
                format: CupsFormat::Text
            }
        );
        for (d, t, f, c, key) in [
            ("tcp", "", "escpos", "cp1252", "printer.target"),
            ("device", " ", "escpos", "cp1252", "printer.target"),
            ("cups", "a b", "escpos", "cp1252", "printer.target"),
            ("usb", "", "escpos", "cp1252", "printer.driver"),
            ("file", "", "pdf", "cp1252", "printer.format"),
            ("file", "", "escpos", "utf8", "printer.codepage"),
        ] {
            let err = parse(d, t, f, c).unwrap_err().to_string();
            assert!(err.contains(key), "{d} {t:?} {f} {c}: {err}");
        }
    }

    #[test]
    fn text_for_files_and_text_queues_escpos_for_the_rest() {
        let sale = cash_sale();
        let shop = ShopInfo::default();
        let tz = chrono_tz::Europe::Brussels;
        let dir = Path::new("/nonexistent");
        let printer = |driver| Printer::new(driver, 32, CodePage::Cp1252, shop.clone(), tz, dir);
        let file = printer(Driver::File { dir: None });
        assert_eq!(
            file.driver(),
            &Driver::File {
                dir: Some(dir.join("tickets"))
            }
        );
        assert!(
            matches!(file.render(&Ticket::of(&sale), Drawer::Opens), Rendered::Text(t) if t.contains("Café"))
        );
        let text_queue = printer(Driver::Cups {
            queue: None,
            format: CupsFormat::Text,
        });
        assert!(matches!(
            text_queue.render(&Ticket::of(&sale), Drawer::Opens),
            Rendered::Text(_)
        ));
        let tcp = printer(Driver::Tcp {
            addr: "h:9100".into(),
        });
        let Rendered::EscPos(original) = tcp.render(&Ticket::of(&sale), Drawer::Opens) else {
            panic!("tcp prints ESC/POS")
        };
        let Rendered::EscPos(duplicate) =
            tcp.render(&Ticket::of(&sale).duplicate(true), Drawer::Opens)
        else {
            panic!("tcp prints ESC/POS")
        };
        let pulse = [0x1B, 0x70, 0x00, 0x19, 0xFA];
        assert!(original.windows(5).any(|w| w == pulse));
        // A duplicate never opens the drawer.
        assert!(!duplicate.windows(2).any(|w| w == [0x1B, 0x70]));
        assert!(original.windows(4).any(|w| w == b"Caf\xE9"));
        assert!(!original.windows(2).any(|w| w == "é".as_bytes()));
    }

    #[test]
    fn a_missing_device_is_an_error_not_a_new_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lp0");
        let err = write_device(&path, b"x").unwrap_err().to_string();
        assert!(err.contains("lp0"), "{err}");
        assert!(!path.exists());
        std::fs::write(&path, b"").unwrap();
        write_device(&path, b"ab").unwrap();
        write_device(&path, b"cd").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"abcd");
    }

    fn printer_with(driver: Driver, write_timeout: Duration, window: Duration) -> Printer {
        Printer::new(
            DriverSetup {
                driver,
                write_timeout,
                drawer_window: window,
            },
            32,
            CodePage::Cp1252,
            ShopInfo::default(),
            chrono_tz::Europe::Brussels,
            Path::new("/nonexistent"),
        )
    }

    fn has_pulse(bytes: &[u8]) -> bool {
        bytes.windows(2).any(|w| w == [0x1B, 0x70])
    }

    #[test]
    fn the_drawer_opens_only_for_a_cash_original_printed_within_the_window() {
        let tcp = Driver::Tcp {
            addr: "h:9100".into(),
        };
        let p = printer_with(tcp.clone(), DEFAULT_WRITE_TIMEOUT, DEFAULT_DRAWER_WINDOW);
        let sale = cash_sale();
        let at = |secs: i64| sale.paid_at + TimeDelta::seconds(secs);
        assert_eq!(p.drawer(&sale, false, at(0)), Drawer::Opens);
        assert_eq!(p.drawer(&sale, false, at(60)), Drawer::Opens);
        // A clock a little behind the sale's does not keep the drawer shut.
        assert_eq!(p.drawer(&sale, false, at(-30)), Drawer::Opens);
        let late = p.drawer(&sale, false, at(300));
        assert_eq!(
            late,
            Drawer::Late {
                delay: TimeDelta::seconds(300),
                window: DEFAULT_DRAWER_WINDOW
            }
        );
        assert!(matches!(
            p.drawer(&sale, false, at(61)),
            Drawer::Late { .. }
        ));
        assert!(matches!(
            p.drawer(&sale, false, at(-120)),
            Drawer::Late { .. }
        ));
        assert_eq!(p.drawer(&sale, true, at(0)), Drawer::Stays, "duplicate");
        let mut qr = cash_sale();
        qr.method = PaymentMethod::Qr;
        assert_eq!(p.drawer(&qr, false, at(0)), Drawer::Stays, "QR payment");
        let never = printer_with(tcp, DEFAULT_WRITE_TIMEOUT, Duration::ZERO);
        assert_eq!(never.drawer(&sale, false, at(0)), Drawer::Stays);

        let bytes = |drawer| p.render(&Ticket::of(&sale), drawer).into_bytes();
        assert!(has_pulse(&bytes(Drawer::Opens)));
        assert!(!has_pulse(&bytes(late)));
        assert!(!has_pulse(&bytes(Drawer::Stays)));
        // Never on a duplicate or a QR payment, whatever the caller says.
        assert!(!has_pulse(
            &p.render(&Ticket::of(&sale).duplicate(true), Drawer::Opens)
                .into_bytes()
        ));
        assert!(!has_pulse(
            &p.render(&Ticket::of(&qr), Drawer::Opens).into_bytes()
        ));
        // Apart from the pulse, the same ticket.
        let (with, without) = (bytes(Drawer::Opens), bytes(late));
        assert_eq!(with.len(), without.len() + 5);
    }

    /// Ticket 8 gives back ticket 7's café in cash, approved by manager 1.
    fn credit_note() -> Sale {
        let mut s = cash_sale();
        s.id = "0190c0de-0000-7000-8000-000000000002".into();
        s.ticket_no = 8;
        s.kind = SaleKind::Refund;
        s.original = Some(crate::domain::sale::OriginalRef {
            sale_id: cash_sale().id,
            till_id: "till-1".into(),
            ticket_no: 7,
            paid_at: cash_sale().paid_at,
            method: PaymentMethod::Cash,
        });
        s.reason = Some("froid".into());
        s.approved_by = Some("1".into());
        s.lines[0].qty = -1;
        s.lines[0].total = Money::from_cents(-250);
        s.lines[0].original_line = Some(1);
        (s.revenue, s.paid, s.tendered, s.change) =
            (s.lines[0].total, s.lines[0].total, None, Money::ZERO);
        s
    }

    #[test]
    fn a_credit_note_prints_its_managers_name_and_its_id_and_opens_the_drawer_for_cash() {
        let dir = tempfile::tempdir().unwrap();
        let file = printer_with(
            Driver::File {
                dir: Some(dir.path().to_owned()),
            },
            DEFAULT_WRITE_TIMEOUT,
            DEFAULT_DRAWER_WINDOW,
        );
        let note = credit_note();
        let ticket = Ticket::of(&note).approved_by(Some("ADMIN"));
        file.print(&ticket, Drawer::Opens, 3).unwrap();
        let text = std::fs::read_to_string(dir.path().join("till-1-000008.txt")).unwrap();
        for needle in [
            "NOTE DE CRÉDIT",
            "Se rapporte au ticket n° 7 du",
            " Accord : ADMIN (1)\n",
            " Remboursé en espèces    -2,50 €\n",
            "0190c0de-0000-7000-8000-",
        ] {
            assert!(text.contains(needle), "{needle:?} missing from\n{text}");
        }
        // ESC/POS: the pulse (cash goes out of the drawer), the QR code of the credit note's id.
        let tcp = printer_with(
            Driver::Tcp {
                addr: "h:9100".into(),
            },
            DEFAULT_WRITE_TIMEOUT,
            DEFAULT_DRAWER_WINDOW,
        );
        assert_eq!(tcp.drawer(&note, false, note.paid_at), Drawer::Opens);
        let bytes = tcp.render(&ticket, Drawer::Opens).into_bytes();
        assert!(has_pulse(&bytes));
        assert!(
            bytes
                .windows(note.id.len())
                .any(|w| w == note.id.as_bytes())
        );
        assert!(bytes.windows(6).any(|w| w == b"ADMIN "));
        let mut qr = note.clone();
        qr.method = PaymentMethod::Qr;
        assert!(!has_pulse(
            &tcp.render(&Ticket::of(&qr), Drawer::Opens).into_bytes()
        ));
    }

    fn slip(at: DateTime<Utc>) -> PrintDoc {
        PrintDoc::Move(crate::domain::drawer_print::MoveSlip {
            till_id: "till-1".into(),
            z_no: 3,
            move_no: 17,
            kind: crate::domain::drawer::MoveKind::In,
            amount_cents: Money::from_cents(2000),
            reason: "monnaie".into(),
            staff_name: "Khadija".into(),
            at,
        })
    }

    #[test]
    fn a_slip_opens_the_drawer_by_the_tickets_window_and_a_report_never() {
        let p = printer_with(
            Driver::Tcp {
                addr: "h:9100".into(),
            },
            DEFAULT_WRITE_TIMEOUT,
            DEFAULT_DRAWER_WINDOW,
        );
        let moved = cash_sale().paid_at;
        let at = |secs: i64| moved + TimeDelta::seconds(secs);
        let doc = slip(moved);
        assert_eq!(p.drawer_for(&doc, at(59)), Drawer::Opens);
        assert!(matches!(p.drawer_for(&doc, at(61)), Drawer::Late { .. }));
        let bytes = |drawer| p.render_document(&doc, drawer).into_bytes();
        assert!(has_pulse(&bytes(Drawer::Opens)));
        assert!(!has_pulse(&bytes(p.drawer_for(&doc, at(600)))));
        // No QR code on a slip: it is not a ticket.
        assert!(
            !bytes(Drawer::Opens)
                .windows(3)
                .any(|w| w == [0x1D, 0x28, 0x6B])
        );
        let z: crate::domain::drawer::DrawerReport = serde_json::from_value(serde_json::json!({
            "kind": "z", "till_id": "till-1", "z_no": 3, "opened_at": "2026-06-02T05:00:00.000Z",
            "until": "2026-06-02T16:00:00.000Z", "cashiers": [], "tickets": 0, "revenue_cents": 0,
            "by_vat": [], "cash_cents": 0, "qr_cents": 0, "rounding_cents": 0, "float_cents": 0,
            "float_counted": true, "cash_in_cents": 0, "cash_out_cents": 0,
            "withdrawals_cents": 0, "expected_cents": 0, "counted_cents": 0, "difference_cents": 0
        }))
        .unwrap();
        let z = PrintDoc::Report(z);
        assert_eq!(p.drawer_for(&z, at(0)), Drawer::Stays);
        // Whatever the caller says, a report carries no pulse.
        assert!(!has_pulse(
            &p.render_document(&z, Drawer::Opens).into_bytes()
        ));
        let never = printer_with(
            Driver::Tcp {
                addr: "h:9100".into(),
            },
            DEFAULT_WRITE_TIMEOUT,
            Duration::ZERO,
        );
        assert_eq!(never.drawer_for(&doc, at(0)), Drawer::Stays);
    }

    #[test]
    fn preview_files_of_slips_and_reports_never_take_a_tickets_name() {
        let dir = tempfile::tempdir().unwrap();
        let p = printer_with(
            Driver::File {
                dir: Some(dir.path().to_owned()),
            },
            DEFAULT_WRITE_TIMEOUT,
            DEFAULT_DRAWER_WINDOW,
        );
        let mut sale = cash_sale();
        sale.ticket_no = 17;
        p.print(&Ticket::of(&sale), Drawer::Opens, 1).unwrap();
        let doc = slip(sale.paid_at);
        p.print_document(&doc, Drawer::Opens, 2).unwrap();
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["till-1-000017.txt", "till-1-move-000017.txt"]);
        let text = std::fs::read_to_string(dir.path().join("till-1-move-000017.txt")).unwrap();
        assert!(
            text.contains("ENTRÉE D'ESPÈCES") && text.contains("20,00 €"),
            "{text}"
        );
    }

    /// A network printer that accepts the connection and never reads: the ticket fills its
    /// small window and our send buffer's content is never acknowledged.
    #[test]
    fn a_printer_that_never_reads_times_out_and_the_connection_is_reset() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        socket2::SockRef::from(&listener)
            .set_recv_buffer_size(1)
            .unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let hung = std::thread::spawn(move || {
            let (mut conn, _) = listener.accept().unwrap();
            std::thread::sleep(Duration::from_secs(2));
            // The printer wakes up after we gave up: the connection was reset, the rest of
            // the ticket is gone (it must not come out behind the retry's back).
            let mut got = Vec::new();
            let _ = conn.read_to_end(&mut got);
            got.len()
        });
        let ticket = vec![b'x'; 8_000];
        let t = Instant::now();
        let err = send_tcp(&addr, &ticket, Deadline::after(Duration::from_secs(1))).unwrap_err();
        let took = t.elapsed();
        let got = hung.join().unwrap();
        assert!(
            got < ticket.len(),
            "the whole ticket came out late: {got} bytes"
        );
        let msg = err.to_string();
        assert!(matches!(err, PrintError::TimedOut { secs: 1, .. }), "{msg}");
        assert!(msg.contains("of 8000 bytes"), "{msg}");
        assert!(
            took >= Duration::from_millis(900) && took < Duration::from_secs(3),
            "{took:?}"
        );

        // A small ticket a hung printer takes into its window whole counts as handed over (its
        // buffer has it), as a real printer's would.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let keep = std::thread::spawn(move || {
            let conn = listener.accept().unwrap();
            std::thread::sleep(Duration::from_secs(2));
            drop(conn);
        });
        send_tcp(&addr, b"small", Deadline::after(Duration::from_secs(1))).unwrap();
        keep.join().unwrap();
    }

    /// A device file whose open and write block (a FIFO nobody reads stands in for a printer
    /// that stopped taking data): `print` returns at the deadline, refuses to pile up writes
    /// while that one is stuck, and counts it as printed when it completes later.
    #[test]
    fn a_blocked_device_times_out_and_a_late_completion_is_not_printed_twice() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("lp0");
        nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o600)).unwrap();
        let p = printer_with(
            Driver::Device { path: fifo.clone() },
            Duration::from_secs(1),
            DEFAULT_DRAWER_WINDOW,
        );
        let sale = cash_sale();
        let t = Instant::now();
        let err = p.print(&Ticket::of(&sale), Drawer::Opens, 1).unwrap_err();
        let took = t.elapsed();
        assert!(matches!(err, PrintError::TimedOut { secs: 1, .. }), "{err}");
        assert!(err.to_string().contains("lp0"), "{err}");
        assert!(took < Duration::from_secs(3), "{took:?}");
        // While that write is stuck, nothing more is sent and the answer is immediate.
        let t = Instant::now();
        let err = p.print(&Ticket::of(&sale), Drawer::Opens, 1).unwrap_err();
        assert!(matches!(err, PrintError::Hung { .. }), "{err}");
        assert!(t.elapsed() < Duration::from_millis(200));

        // The printer wakes up: the stuck write goes through.
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        let first = reader.join().unwrap();
        assert!(has_pulse(&first) && first.ends_with(&[0x1D, 0x56, 66, 0]));
        // The same job is printed now, without a second copy.
        p.print(&Ticket::of(&sale), Drawer::Opens, 1).unwrap();
        // The next job goes out normally.
        let reader = std::thread::spawn(move || std::fs::read(fifo).unwrap());
        p.print(&Ticket::of(&sale).duplicate(true), Drawer::Stays, 2)
            .unwrap();
        let second = reader.join().unwrap();
        assert!(
            !has_pulse(&second),
            "the duplicate alone, no copy of the first"
        );
        assert!(second.len() < first.len() + 100);
    }

    #[test]
    fn a_closed_port_fails_fast() {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let t = Instant::now();
        let err = send_tcp(
            &format!("127.0.0.1:{port}"),
            b"x",
            Deadline::after(Duration::from_secs(10)),
        )
        .unwrap_err();
        assert!(t.elapsed() < Duration::from_secs(2), "{err}");
        assert!(err.to_string().contains("printer 127.0.0.1:"), "{err}");
    }
}
