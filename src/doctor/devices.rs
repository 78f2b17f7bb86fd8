//! The checks of the till's devices: the printer of `printer.driver` (a TCP connect, a device
//! file opened for writing, a CUPS queue, the preview directory) and the scanner of
//! `scanner.device`. Nothing is printed, created or grabbed.

use std::io::ErrorKind;
use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::config::PrinterDriver;

use super::{
    Check, CheckId, PRINTER_WAIT, existing_ancestor, first_line, probe_write, run_command, text,
};

// Printer.

pub fn printer(driver: &PrinterDriver, data_dir: &Path) -> Check {
    let id = CheckId::Printer;
    match driver {
        PrinterDriver::Tcp { addr } => match tcp_connect(addr) {
            Ok(t) => Check::pass(id, text::printer_tcp_ok(addr, t.as_millis())),
            Err(e) => Check::fail(
                id,
                text::printer_tcp_failed(addr, &e),
                text::printer_tcp_fix(),
            ),
        },
        PrinterDriver::Device { path } => printer_device(path),
        PrinterDriver::Cups { queue, .. } => printer_cups(queue.as_deref()),
        PrinterDriver::File { dir } => {
            let dir = dir.clone().unwrap_or_else(|| data_dir.join("tickets"));
            printer_file(&dir)
        }
    }
}

/// Connects to `addr` (each of its addresses, [`PRINTER_WAIT`] each) and hangs up at once: a
/// receipt printer prints nothing for a connection that sends nothing.
fn tcp_connect(addr: &str) -> Result<Duration, String> {
    let started = Instant::now();
    let addrs: Vec<_> = addr.to_socket_addrs().map_err(|e| e.to_string())?.collect();
    let mut last = String::from("no address");
    for a in addrs {
        match TcpStream::connect_timeout(&a, PRINTER_WAIT) {
            Ok(_) => return Ok(started.elapsed()),
            Err(e) => last = e.to_string(),
        }
    }
    Err(last)
}

/// Opens the device for writing without writing, non-blocking (a FIFO with no reader or a
/// printer that is not ready must not hang the doctor), never creating it.
fn printer_device(path: &Path) -> Check {
    use std::os::unix::fs::OpenOptionsExt;
    let id = CheckId::Printer;
    let opened = std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(nix::fcntl::OFlag::O_NONBLOCK.bits())
        .open(path);
    match opened {
        Ok(_) => Check::pass(id, text::printer_device_ok(path)),
        Err(e) if e.kind() == ErrorKind::NotFound => Check::fail(
            id,
            text::printer_device_missing(path),
            text::printer_device_missing_fix(),
        ),
        Err(e) if e.kind() == ErrorKind::PermissionDenied => Check::fail(
            id,
            text::printer_device_failed(path, &e.to_string()),
            text::printer_device_access_fix(),
        ),
        Err(e) => Check::fail(
            id,
            text::printer_device_failed(path, &e.to_string()),
            text::printer_device_missing_fix(),
        ),
    }
}

fn printer_cups(queue: Option<&str>) -> Check {
    let id = CheckId::Printer;
    match queue {
        Some(q) => match run_command("lpstat", &["-p", q]) {
            Err(e) => Check::fail(
                id,
                text::printer_cups_no_lpstat(&e),
                text::printer_cups_no_lpstat_fix(),
            ),
            Ok(o) if !o.status.success() => {
                let why = first_line(&o.stderr);
                Check::fail(
                    id,
                    text::printer_cups_missing(q, &why),
                    text::printer_cups_missing_fix(),
                )
            }
            Ok(o) => {
                let status = first_line(&o.stdout);
                if status.contains("disabled") {
                    Check::fail(
                        id,
                        text::printer_cups_disabled(&status),
                        text::printer_cups_disabled_fix(q),
                    )
                } else {
                    Check::pass(id, text::printer_cups_ok(&status))
                }
            }
        },
        None => match run_command("lpstat", &["-d"]) {
            Err(e) => Check::fail(
                id,
                text::printer_cups_no_lpstat(&e),
                text::printer_cups_no_lpstat_fix(),
            ),
            Ok(o) => {
                let line = first_line(&o.stdout);
                match line.split_once("destination:") {
                    Some((_, q)) if o.status.success() && !q.trim().is_empty() => {
                        printer_cups(Some(q.trim()))
                    }
                    _ => {
                        let why = if line.is_empty() {
                            first_line(&o.stderr)
                        } else {
                            line
                        };
                        Check::fail(
                            id,
                            text::printer_cups_no_default(&why),
                            text::printer_cups_no_default_fix(),
                        )
                    }
                }
            }
        },
    }
}

fn printer_file(dir: &Path) -> Check {
    let id = CheckId::Printer;
    let (probe_in, later) = if dir.is_dir() {
        (dir.to_owned(), false)
    } else {
        match existing_ancestor(dir) {
            Some(a) => (a, true),
            None => {
                return Check::fail(
                    id,
                    text::not_writable(dir, "no such directory"),
                    text::printer_file_fix(),
                );
            }
        }
    };
    match probe_write(&probe_in) {
        Ok(()) if later => Check::pass(id, text::printer_file_later(dir)),
        Ok(()) => Check::pass(id, text::printer_file_ok(dir)),
        Err(e) => Check::fail(
            id,
            text::not_writable(&probe_in, &e.to_string()),
            text::printer_file_fix(),
        ),
    }
}

// Scanner.

/// `scanner.device`: a path must be a readable input device; a name must match one the way the
/// till looks for it (`devices::scanner`: name contains it, has an Enter key). Never grabbed.
pub fn scanner(device: Option<&str>) -> Check {
    use crate::devices::scanner::DeviceSpec;
    let id = CheckId::Scanner;
    let Some(device) = device else {
        return Check::not_configured(id, text::scanner_none());
    };
    match DeviceSpec::parse(device) {
        DeviceSpec::Path(path) => match evdev::Device::open(&path) {
            Ok(d) => Check::pass(id, text::scanner_ok(&path, d.name().unwrap_or("?"))),
            Err(e) if e.kind() == ErrorKind::NotFound => Check::fail(
                id,
                text::scanner_missing(&path),
                text::scanner_missing_fix(),
            ),
            Err(e) if e.kind() == ErrorKind::PermissionDenied => Check::fail(
                id,
                text::scanner_failed(&path, &e.to_string()),
                text::scanner_access_fix(),
            ),
            Err(e) => Check::fail(
                id,
                text::scanner_failed(&path, &e.to_string()),
                text::scanner_missing_fix(),
            ),
        },
        DeviceSpec::Name(needle) => {
            let lower = needle.to_lowercase();
            let found = evdev::enumerate().find(|(_, d)| {
                d.name().is_some_and(|n| n.to_lowercase().contains(&lower))
                    && d.supported_keys()
                        .is_some_and(|k| k.contains(evdev::KeyCode::KEY_ENTER))
            });
            match found {
                Some((path, d)) => Check::pass(
                    id,
                    text::scanner_found_name(&needle, &path, d.name().unwrap_or("?")),
                ),
                None => Check::fail(
                    id,
                    text::scanner_no_name(&needle),
                    text::scanner_no_name_fix(),
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::Status;
    use crate::i18n::Lang;
    #[test]
    fn a_network_printer_must_accept_a_connection() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let c = printer(&PrinterDriver::Tcp { addr: addr.clone() }, Path::new("/"));
        assert_eq!(c.status, Status::Pass, "{:?}", c.detail);
        drop(listener);
        let c = printer(&PrinterDriver::Tcp { addr }, Path::new("/"));
        assert_eq!(c.status, Status::Fail, "{:?}", c.detail);
    }

    #[test]
    fn a_device_printer_must_exist_and_is_never_created() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lp0");
        let c = printer(&PrinterDriver::Device { path: path.clone() }, dir.path());
        assert_eq!(c.status, Status::Fail);
        assert!(!path.exists(), "the doctor created the device file");
        std::fs::write(&path, "").unwrap();
        let c = printer(&PrinterDriver::Device { path: path.clone() }, dir.path());
        assert_eq!(c.status, Status::Pass, "{:?}", c.detail);
        assert_eq!(
            std::fs::read(&path).unwrap().len(),
            0,
            "the doctor wrote to the printer"
        );
    }

    #[test]
    fn the_preview_dir_is_checked_without_being_created() {
        let dir = tempfile::tempdir().unwrap();
        let c = printer(&PrinterDriver::File { dir: None }, dir.path());
        assert_eq!(c.status, Status::Pass, "{:?}", c.detail);
        assert!(
            c.detail_in(Lang::En)
                .contains("created at the first ticket"),
            "{:?}",
            c.detail
        );
        assert!(!dir.path().join("tickets").exists());
    }

    #[test]
    fn a_configured_scanner_must_be_present() {
        assert_eq!(scanner(None).status, Status::Skip);
        assert!(!scanner(None).required);
        let c = scanner(Some("/dev/input/by-id/nonexistent"));
        assert_eq!(c.status, Status::Fail);
        assert!(c.fix_in(Lang::En).unwrap().contains("/dev/input/by-id/"));
        let c = scanner(Some("no scanner is called like this 7f3a"));
        assert_eq!(c.status, Status::Fail);
        // A file that is no input device.
        let f = tempfile::NamedTempFile::new().unwrap();
        let c = scanner(f.path().to_str());
        assert_eq!(c.status, Status::Fail, "{:?}", c.detail);
    }
}
