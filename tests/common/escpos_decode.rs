//! The tests' ESC/POS side: the decoder ([`decoder`], re-exported here: what a receipt printer
//! would make of the bytes), a test printer listening on TCP that captures each job, and the
//! checks every printed ticket passes.

mod decoder;
pub use decoder::*;

// ---------------------------------------------------------------------------------------------
// A test printer: a TCP listener that captures each connection's bytes as one job.

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// One connection's bytes and when its last byte arrived.
#[derive(Debug, Clone)]
pub struct Job {
    pub bytes: Vec<u8>,
    pub last_byte_at: Instant,
}

/// A network receipt printer on 127.0.0.1: every connection is one job, read to its end.
pub struct TestPrinter {
    pub port: u16,
    jobs: Receiver<Job>,
    stop: Arc<AtomicBool>,
}

impl TestPrinter {
    /// On a free port.
    pub fn start() -> TestPrinter {
        TestPrinter::serve(TcpListener::bind("127.0.0.1:0").expect("bind a test printer"))
    }

    /// On `port` (a printer that comes back on its address), retrying while the port is busy.
    pub fn start_on(port: u16) -> TestPrinter {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match TcpListener::bind(("127.0.0.1", port)) {
                Ok(l) => return TestPrinter::serve(l),
                Err(e) if Instant::now() < deadline => {
                    eprintln!("test printer: port {port} busy ({e}), retrying");
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(e) => panic!("cannot bind the test printer on port {port}: {e}"),
            }
        }
    }

    fn serve(listener: TcpListener) -> TestPrinter {
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let (tx, rx) = channel();
        let flag = stop.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if flag.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(mut conn) = conn else { continue };
                let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
                let mut bytes = Vec::new();
                let mut buf = [0u8; 8192];
                let mut last_byte_at = Instant::now();
                loop {
                    match conn.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => {
                            bytes.extend_from_slice(&buf[..n]);
                            last_byte_at = Instant::now();
                        }
                        Err(e) => {
                            eprintln!("test printer: read error {e}");
                            break;
                        }
                    }
                }
                if bytes.is_empty() {
                    continue;
                }
                if tx
                    .send(Job {
                        bytes,
                        last_byte_at,
                    })
                    .is_err()
                {
                    break;
                }
            }
        });
        TestPrinter {
            port,
            jobs: rx,
            stop,
        }
    }

    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The next job, or `None` after `timeout`.
    pub fn next_job(&self, timeout: Duration) -> Option<Job> {
        self.jobs.recv_timeout(timeout).ok()
    }

    /// The next job's bytes; panics after `timeout`.
    pub fn expect_job(&self, timeout: Duration) -> Vec<u8> {
        self.next_job(timeout)
            .unwrap_or_else(|| panic!("no print job on port {} in {timeout:?}", self.port))
            .bytes
    }

    /// Stops accepting: the port is closed (the printer is switched off).
    pub fn stop(self) {}
}

impl Drop for TestPrinter {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag and drops the listener.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

// ---------------------------------------------------------------------------------------------
// The check every printed ticket passes.

/// `ESC t n` of a `printer.codepage` name.
pub fn table_of(codepage: &str) -> u8 {
    match codepage {
        "cp1252" => 16,
        "pc858" => 19,
        other => panic!("no ESC t table for {other}"),
    }
}

/// What every ESC/POS ticket of `sale` must be: no UTF-8 anywhere, `ESC @` then the code page,
/// the lines exactly as `receipt::render` lays them out (centred lines centred by the printer,
/// nothing wider than the paper, no double width), the QR code of the sale id in Model 2 after
/// the text, one partial cut at the end. Returns the decoded ticket for more checks.
pub fn assert_ticket(
    bytes: &[u8],
    sale: &kaching::domain::sale::Sale,
    shop: &kaching::domain::receipt::ShopInfo,
    width: usize,
    codepage: &str,
    duplicate: bool,
) -> Decoded {
    assert_ticket_in(
        bytes,
        sale,
        shop,
        width,
        codepage,
        duplicate,
        kaching::domain::receipt::TicketLanguage::default(),
    )
}

/// [`assert_ticket`] for a ticket in `lang` (`printer.language`).
pub fn assert_ticket_in(
    bytes: &[u8],
    sale: &kaching::domain::sale::Sale,
    shop: &kaching::domain::receipt::ShopInfo,
    width: usize,
    codepage: &str,
    duplicate: bool,
    lang: kaching::domain::receipt::TicketLanguage,
) -> Decoded {
    let ticket = kaching::domain::receipt::Ticket::of(sale).duplicate(duplicate);
    assert_printed(bytes, &ticket, shop, width, codepage, lang)
}

/// [`assert_ticket_in`] for any [`Ticket`](kaching::domain::receipt::Ticket): a credit note
/// with the name of the manager who approved it, as the printer read it from the staff list.
pub fn assert_printed(
    bytes: &[u8],
    ticket: &kaching::domain::receipt::Ticket,
    shop: &kaching::domain::receipt::ShopInfo,
    width: usize,
    codepage: &str,
    lang: kaching::domain::receipt::TicketLanguage,
) -> Decoded {
    let (sale, duplicate) = (ticket.sale, ticket.duplicate);
    if let Some(c) = contains_utf8_of(bytes, "éèàçôÉÈ€ïÏ") {
        panic!("{c} was sent as UTF-8: {bytes:02X?}");
    }
    let d = decode(bytes).unwrap_or_else(|e| panic!("undecodable ESC/POS: {e}\n{bytes:02X?}"));
    assert!(d.starts_with_init, "a ticket starts with ESC @");
    assert_eq!(d.inits, 1);
    assert_eq!(d.code_pages, vec![table_of(codepage)]);
    let expected = kaching::domain::receipt::render_ticket(
        ticket,
        shop,
        chrono_tz::Europe::Brussels,
        width,
        lang,
    );
    let n = expected.lines().count();
    assert_eq!(
        d.plain(n, width),
        expected,
        "printed ticket differs from the layout (width {width}, {codepage})"
    );
    for l in &d.lines[..n] {
        assert!(l.text.chars().count() <= width, "too wide: {:?}", l.text);
        assert!(
            !l.double_width,
            "double width would halve the columns: {l:?}"
        );
    }
    assert!(
        d.lines[n..].iter().all(|l| l.text.is_empty()),
        "only feed lines after the text: {:?}",
        &d.lines[n..]
    );
    assert_eq!(d.qrs.len(), 1, "{:?}", d.qrs);
    let qr = &d.qrs[0];
    assert_eq!(qr.payload, sale.id);
    assert_eq!(qr.model, 2, "QR Model 2, not the obsolete Model 1");
    assert_eq!(qr.ecc, b'M');
    assert!(qr.after_line >= n);
    assert_eq!(
        d.cuts,
        vec![Cut {
            partial: true,
            after_line: d.lines.len()
        }]
    );
    assert!(
        bytes.ends_with(&[0x1D, 0x56, 66, 0]),
        "GS V 66 0 ends the ticket"
    );
    let pulse = [0x1B, 0x70, 0x00, 0x19, 0xFA];
    let cash = sale.method == kaching::domain::sale::PaymentMethod::Cash;
    if cash && !duplicate {
        assert_eq!(
            d.pulses,
            vec![Pulse {
                pin: 0,
                on_ms: 50,
                off_ms: 500
            }]
        );
        assert!(bytes.windows(5).any(|w| w == pulse));
    } else {
        assert!(
            d.pulses.is_empty(),
            "no drawer pulse on a duplicate or a QR payment"
        );
    }
    d
}
