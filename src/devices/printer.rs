//! Printer drivers: where a ticket goes and in what form. Blocking: the PrinterActor calls
//! [`Printer::print`] on a blocking thread (`spawn_blocking`), never on the async executor.
//!
//! | driver | target | what is sent |
//! |---|---|---|
//! | `file` | a directory (default `<data-dir>/tickets`) | the ticket as UTF-8 text, one file per ticket: the preview |
//! | `tcp` | `host:port` (port 9100 by default) | ESC/POS, one connection per ticket (3 s to connect, 3 s per write) |
//! | `device` | a device file, e.g. `/dev/usb/lp0` (must exist; opened for writing, never created) | ESC/POS |
//! | `cups` | a CUPS queue (empty: the default destination) | `format = "escpos"`: ESC/POS through `lp -o raw` to a raw queue (byte-exact); `format = "text"`: the ticket as UTF-8 text through `lp`, for an ordinary printer whose CUPS filters render it (the original's HP LaserJet 1020) |
//!
//! `print` returns `Ok` only when the bytes were handed over whole (written to the socket or
//! device, accepted by `lp`, renamed into place): the actor marks the job printed only then.
//! For CUPS, "handed over" means queued in CUPS's own durable spool; CUPS then retries by itself.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono_tz::Tz;

use crate::domain::receipt::{self, ShopInfo};
use crate::domain::sale::{PaymentMethod, Sale};

use super::escpos::{self, CodePage};

/// Connecting to a network printer, and each write to it, gives up after this.
pub const TCP_TIMEOUT: Duration = Duration::from_secs(3);
/// The raw-printing port of network receipt printers (JetDirect / AppSocket).
pub const DEFAULT_TCP_PORT: u16 = 9100;
/// `lp` that has not answered by then is killed and the job tried again later.
pub const LP_TIMEOUT: Duration = Duration::from_secs(20);

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
}

fn check_port(target: &str, port: &str) -> Result<(), String> {
    match port.parse::<u16>() {
        Ok(p) if p > 0 => Ok(()),
        _ => Err(format!("'{target}': the port must be 1 to 65535")),
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

/// A configured printer: the driver and how tickets are laid out for it.
#[derive(Debug, Clone)]
pub struct Printer {
    driver: Driver,
    width: usize,
    codepage: CodePage,
    shop: ShopInfo,
    tz: Tz,
}

impl Printer {
    /// `data_dir` resolves the file driver's default directory.
    pub fn new(
        driver: Driver,
        width: usize,
        codepage: CodePage,
        shop: ShopInfo,
        tz: Tz,
        data_dir: &Path,
    ) -> Printer {
        let driver = match driver {
            Driver::File { dir: None } => Driver::File {
                dir: Some(data_dir.join("tickets")),
            },
            d => d,
        };
        Printer {
            driver,
            width,
            codepage,
            shop,
            tz,
        }
    }

    pub fn driver(&self) -> &Driver {
        &self.driver
    }

    /// The ticket in the driver's form. A cash sale's original ticket pulses the drawer; a
    /// duplicate never does.
    pub fn render(&self, sale: &Sale, duplicate: bool) -> Rendered {
        let text_only = match &self.driver {
            Driver::File { .. } => true,
            Driver::Cups { format, .. } => *format == CupsFormat::Text,
            Driver::Tcp { .. } | Driver::Device { .. } => false,
        };
        if text_only {
            return Rendered::Text(receipt::render(
                sale, &self.shop, self.tz, self.width, duplicate,
            ));
        }
        Rendered::EscPos(escpos_ticket(
            sale,
            &self.shop,
            self.tz,
            self.width,
            duplicate,
            self.codepage,
        ))
    }

    /// Renders and sends one ticket (blocking). `job` names the duplicate's preview file.
    pub fn print(&self, sale: &Sale, duplicate: bool, job: i64) -> Result<(), PrintError> {
        let rendered = self.render(sale, duplicate);
        let bytes: &[u8] = match &rendered {
            Rendered::Text(t) => t.as_bytes(),
            Rendered::EscPos(b) => b,
        };
        match &self.driver {
            Driver::File { dir } => {
                let dir = dir.clone().unwrap_or_else(|| PathBuf::from("tickets"));
                let name = format!(
                    "{}-{:06}{}.txt",
                    sale.till_id,
                    sale.ticket_no,
                    if duplicate {
                        format!("-dup{job}")
                    } else {
                        String::new()
                    }
                );
                write_file(&dir, &name, bytes)
            }
            Driver::Tcp { addr } => send_tcp(addr, bytes),
            Driver::Device { path } => write_device(path, bytes),
            Driver::Cups { queue, format } => {
                let title = format!(
                    "kaching {} ticket {}{}",
                    sale.till_id,
                    sale.ticket_no,
                    if duplicate { " DUPLICATA" } else { "" }
                );
                send_lp(queue.as_deref(), *format, &title, bytes)
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
    let lines = receipt::layout(sale, shop, tz, width, duplicate);
    let drawer = sale.method == PaymentMethod::Cash && !duplicate;
    escpos::ticket(&lines, Some(&sale.id), drawer, page)
}

/// Writes the file next to its final name and renames it, so a ticket file is whole or absent.
fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), PrintError> {
    let shown = dir.display().to_string();
    std::fs::create_dir_all(dir).map_err(io(&shown))?;
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&tmp, bytes).map_err(io(&shown))?;
    std::fs::rename(&tmp, dir.join(name)).map_err(io(shown))
}

/// One connection per ticket: connect (each resolved address in turn), write everything, close
/// the sending side.
fn send_tcp(addr: &str, bytes: &[u8]) -> Result<(), PrintError> {
    let what = format!("printer {addr}");
    let addrs = addr.to_socket_addrs().map_err(io(&what))?;
    let mut last = None;
    for a in addrs {
        match TcpStream::connect_timeout(&a, TCP_TIMEOUT) {
            Ok(mut s) => {
                s.set_write_timeout(Some(TCP_TIMEOUT)).map_err(io(&what))?;
                let _ = s.set_nodelay(true);
                s.write_all(bytes).map_err(io(&what))?;
                s.flush().map_err(io(&what))?;
                s.shutdown(std::net::Shutdown::Write).map_err(io(&what))?;
                return Ok(());
            }
            Err(e) => last = Some(e),
        }
    }
    Err(PrintError::Io {
        what,
        source: last.unwrap_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::NotFound, "no address for this name")
        }),
    })
}

/// The device must exist: it is opened for writing (appending), never created, so a missing
/// printer is an error and not a new file in /dev.
fn write_device(path: &Path, bytes: &[u8]) -> Result<(), PrintError> {
    let what = path.display().to_string();
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(io(&what))?;
    f.write_all(bytes).map_err(io(&what))?;
    f.flush().map_err(io(what))
}

/// `lp [-d QUEUE] -t TITLE [-o raw]` with the ticket on its standard input.
fn send_lp(
    queue: Option<&str>,
    format: CupsFormat,
    title: &str,
    bytes: &[u8],
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
    let written = match child.stdin.take() {
        Some(mut stdin) => stdin.write_all(bytes),
        None => Ok(()),
    };
    let deadline = Instant::now() + LP_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(PrintError::Cups(format!(
                    "no answer in {} s (is cupsd running?)",
                    LP_TIMEOUT.as_secs()
                )));
            }
            Err(e) => return Err(PrintError::Cups(e.to_string())),
        }
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
            revenue: Money::from_cents(250),
            withdrawal: Money::ZERO,
            paid: Money::from_cents(250),
            tendered: Some(Money::from_cents(500)),
            change: Money::from_cents(250),
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
        assert!(matches!(file.render(&sale, false), Rendered::Text(t) if t.contains("Café")));
        let text_queue = printer(Driver::Cups {
            queue: None,
            format: CupsFormat::Text,
        });
        assert!(matches!(text_queue.render(&sale, false), Rendered::Text(_)));
        let tcp = printer(Driver::Tcp {
            addr: "h:9100".into(),
        });
        let Rendered::EscPos(original) = tcp.render(&sale, false) else {
            panic!("tcp prints ESC/POS")
        };
        let Rendered::EscPos(duplicate) = tcp.render(&sale, true) else {
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

    #[test]
    fn a_closed_port_fails_fast() {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let t = Instant::now();
        let err = send_tcp(&format!("127.0.0.1:{port}"), b"x").unwrap_err();
        assert!(t.elapsed() < Duration::from_secs(2), "{err}");
        assert!(err.to_string().contains("printer 127.0.0.1:"), "{err}");
    }
}
