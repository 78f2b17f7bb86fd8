//! The printer and the driver under bad conditions (issue 11), through the real binary: a cash
//! ticket that waited for a printer switched off prints without opening the drawer (and the log
//! says why), while one printed at once opens it; a network printer that accepts the
//! connection and never reads gives `print_failed` within `printer.write_timeout_secs` and the
//! ticket prints, once, when a good printer answers on that address; a headless driver whose
//! reader stops reading its stdout does not stop the till, and gets every event, in order, when
//! it reads again. The printers are TCP listeners of our own on port 9100's protocol; the bytes
//! are checked by our ESC/POS decoder (tests/common/escpos_decode.rs).

mod common;

use common::set_time;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::escpos_decode::{self, Pulse, TestPrinter, decode};
use kaching::domain::receipt::ShopInfo;
use kaching::store::Ledger;
use serde_json::Value;

/// The retry period (PrinterActor::RETRY_EVERY) plus slack for a loaded machine.
const RETRY: Duration = Duration::from_secs(15);
const JOB_WAIT: Duration = Duration::from_secs(20);

/// The Epson pulse every cash original carries when it opens the drawer.
const PULSE: Pulse = Pulse {
    pin: 0,
    on_ms: 50,
    off_ms: 500,
};

/// `kaching` printing ESC/POS to 127.0.0.1:`port`, 42 columns, Windows-1252.
fn kaching_tcp(dir: &Path, port: u16) -> Command {
    let mut cmd = common::kaching(dir);
    cmd.env("KACHING_PRINTER__DRIVER", "tcp")
        .env("KACHING_PRINTER__TARGET", format!("127.0.0.1:{port}"))
        .env("KACHING_PRINTER__WIDTH", "42")
        .env("KACHING_PRINTER__CODEPAGE", "cp1252");
    cmd
}

/// `cmd` under libfaketime reading its (frozen) time from `file`, which may change while it
/// runs; tokio's timers keep the real monotonic clock.
fn faked(cmd: &mut Command, file: &Path) {
    cmd.env("LD_PRELOAD", common::libfaketime())
        .env("FAKETIME_TIMESTAMP_FILE", file)
        .env("FAKETIME_NO_CACHE", "1")
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
        .env("TZ", "Europe/Brussels");
}

/// One café paid 5 € in cash: the `sale_committed` event.
fn sell_cafe_cash(till: &mut common::Till) -> Value {
    till.cmd("scan 0000");
    till.send("pay main cash 5");
    till.wait_for("sale_committed")
}

fn id_of(e: &Value) -> String {
    e["sale_id"].as_str().unwrap().to_owned()
}

/// Waits for the event named `name` about `sale_id`, whether it already came or not.
fn awaiting(till: &mut common::Till, name: &str, sale_id: &str) -> Value {
    if let Some(e) = till
        .seen
        .iter()
        .find(|e| e["event"] == name && e["sale_id"] == sale_id)
    {
        return e.clone();
    }
    loop {
        let e = till.wait_for(name);
        if e["sale_id"] == sale_id {
            return e;
        }
    }
}

/// The log without its colour codes.
fn plain_log(path: &Path) -> String {
    let raw = std::fs::read_to_string(path).unwrap_or_default();
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ … final letter.
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn a_cash_ticket_printed_five_minutes_late_does_not_open_the_drawer_and_the_log_says_why() {
    let dir = common::seeded_dir();
    let time_file = dir.path().join("faketime");
    let log = dir.path().join("till.log");
    set_time(&time_file, "2026-06-02 10:00:00");
    let port = common::free_port();
    let mut cmd = kaching_tcp(dir.path(), port);
    faked(&mut cmd, &time_file);
    cmd.env("KACHING_LOG", "warn");
    let mut till = common::Till::start_with_stderr(cmd, std::fs::File::create(&log).unwrap());
    till.cmd("login 1 1111");

    // The printer is off: the cash sale commits, its ticket waits.
    let late = sell_cafe_cash(&mut till);
    let late_id = id_of(&late);
    let failed = awaiting(&mut till, "print_failed", &late_id);
    assert!(
        failed["reason"]
            .as_str()
            .unwrap()
            .contains(&port.to_string()),
        "{failed}"
    );

    // Five minutes later the printer is switched on.
    set_time(&time_file, "2026-06-02 10:05:00");
    let printer = TestPrinter::start_on(port);
    let job = printer.expect_job(RETRY);
    awaiting(&mut till, "printed", &late_id);
    let d = decode(&job).unwrap();
    assert_eq!(d.qrs.len(), 1);
    assert_eq!(d.qrs[0].payload, late_id, "the waiting ticket");
    assert_eq!(d.cuts.len(), 1);
    assert!(
        d.pulses.is_empty(),
        "printed 5 minutes after the sale: no drawer pulse, got {:?}",
        d.pulses
    );
    assert!(!job.windows(2).any(|w| w == [0x1B, 0x70]));
    // Everything else is the ticket of that sale.
    let sale = Ledger::open_in(dir.path()).unwrap().sale(&late_id).unwrap();
    let expected =
        kaching::domain::receipt::render(&sale, &shop(), chrono_tz::Europe::Brussels, 42, false);
    assert_eq!(d.plain(expected.lines().count(), 42), expected);

    // The control: a cash sale printed at once opens the drawer.
    let now = sell_cafe_cash(&mut till);
    let now_id = id_of(&now);
    let job = printer.expect_job(JOB_WAIT);
    awaiting(&mut till, "printed", &now_id);
    let sale = Ledger::open_in(dir.path()).unwrap().sale(&now_id).unwrap();
    let d = escpos_decode::assert_ticket(&job, &sale, &shop(), 42, "cp1252", false);
    assert_eq!(d.pulses, vec![PULSE]);
    till.quit();
    assert!(printer.next_job(Duration::from_millis(300)).is_none());

    // The log says which ticket, how late, and why.
    let text = plain_log(&log);
    let line = text
        .lines()
        .find(|l| l.contains("drawer") && l.contains(&late_id))
        .unwrap_or_else(|| panic!("no drawer warning for {late_id} in the log:\n{text}"));
    assert!(line.contains("WARN"), "{line}");
    assert!(line.contains("delay_secs=300"), "{line}");
    assert!(line.contains("drawer_window_secs (60 s)"), "{line}");
    assert!(
        !text
            .lines()
            .any(|l| l.contains("drawer") && l.contains(&now_id)),
        "the control opened the drawer: no warning for it\n{text}"
    );
    // And the audit log keeps it.
    let audit = Ledger::open_in(dir.path()).unwrap().audit_log(50).unwrap();
    let row = audit
        .iter()
        .find(|a| a.action == "drawer_not_opened")
        .unwrap_or_else(|| panic!("no drawer_not_opened audit row: {audit:#?}"));
    assert!(row.detail.contains(&late_id), "{row:?}");
    assert!(row.detail.contains("300 s"), "{row:?}");
    assert_eq!(
        audit
            .iter()
            .filter(|a| a.action == "drawer_not_opened")
            .count(),
        1
    );
}

fn shop() -> ShopInfo {
    ShopInfo {
        name: "KACHING".into(),
        address: String::new(),
        vat_number: String::new(),
    }
}

/// A network printer that is on but hung: it accepts connections, with a receive buffer as
/// small as the kernel allows, and never reads them. Dropping it closes its port.
struct HungPrinter {
    port: u16,
    stop: Arc<AtomicBool>,
    accepted: std::sync::mpsc::Receiver<Instant>,
}

impl HungPrinter {
    fn start() -> HungPrinter {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        socket2::SockRef::from(&listener)
            .set_recv_buffer_size(1)
            .unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let (tx, accepted) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for conn in listener.incoming() {
                if flag.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(c) = conn {
                    held.push(c);
                    let _ = tx.send(Instant::now());
                }
            }
        });
        HungPrinter {
            port,
            stop,
            accepted,
        }
    }
}

impl Drop for HungPrinter {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = std::net::TcpStream::connect(("127.0.0.1", self.port));
    }
}

#[test]
fn a_hung_printer_gives_print_failed_within_the_timeout_and_the_ticket_prints_when_one_reads() {
    let dir = common::seeded_dir();
    let hung = HungPrinter::start();
    let port = hung.port;
    let mut cmd = kaching_tcp(dir.path(), port);
    cmd.env("KACHING_PRINTER__WIDTH", "64")
        .env("KACHING_PRINTER__WRITE_TIMEOUT_SECS", "2")
        // The ticket prints well after its sale here: keep the pulse, checked below.
        .env("KACHING_PRINTER__DRAWER_WINDOW_SECS", "600");
    let mut till = common::Till::start_with(cmd);
    till.cmd("login 1 1111");
    // A ticket longer than the hung printer's window (about 1 KB): the whole catalogue.
    for code in [
        "1234", "5678", "9012", "0000", "4821", "2020", "8975", "9630", "6051",
    ] {
        till.cmd(&format!("scan {code}"));
    }
    till.cmd("withdraw 15");
    till.send("pay main cash");
    let committed = till.wait_for("sale_committed");
    let sold = Instant::now();
    let id = id_of(&committed);

    // The till connects and the printer takes nothing more: print_failed at the timeout.
    let connected = hung
        .accepted
        .recv_timeout(JOB_WAIT)
        .expect("the till never connected to the printer");
    // Meanwhile the till answers at once: nothing waits on the printer.
    let t = Instant::now();
    let status = till.status();
    assert!(t.elapsed() < Duration::from_secs(1), "{:?}", t.elapsed());
    assert_eq!(status["print_queue"], 1, "{status}");
    let failed = awaiting(&mut till, "print_failed", &id);
    let took = connected.elapsed();
    let reason = failed["reason"].as_str().unwrap();
    assert!(
        reason.contains(&format!("printer 127.0.0.1:{port}")) && reason.contains("timed out"),
        "{reason}"
    );
    assert!(reason.contains("after 2 s"), "{reason}");
    assert!(
        took >= Duration::from_millis(1500) && took < Duration::from_secs(5),
        "print_failed {took:?} after the connection (timeout 2 s)"
    );
    assert!(
        !till.seen.iter().any(|e| e["event"] == "printed"),
        "a ticket the printer never read is not printed"
    );
    // It keeps trying (the next round, 10 s on), and keeps failing while the printer is hung.
    hung.accepted
        .recv_timeout(RETRY)
        .expect("the queue stopped trying");
    let again = till.wait_for("print_failed");
    assert_eq!(again["sale_id"], id.as_str());

    // The hung printer is replaced by a good one on the same address: the ticket prints once.
    drop(hung);
    let printer = TestPrinter::start_on(port);
    // Within a round or two (one may still have gone to the hung printer).
    let job = printer.expect_job(RETRY + RETRY);
    let printed = till.wait_for("printed");
    assert_eq!(printed["sale_id"], id.as_str());
    let sale = Ledger::open_in(dir.path()).unwrap().sale(&id).unwrap();
    let d = escpos_decode::assert_ticket(&job, &sale, &shop(), 64, "cp1252", false);
    assert_eq!(d.pulses, vec![PULSE], "within the window: the drawer opens");
    assert!(
        job.len() > 1500,
        "the ticket ({} bytes) must not fit the hung printer's window",
        job.len()
    );
    assert!(
        printer.next_job(Duration::from_secs(2)).is_none(),
        "printed twice"
    );
    let status = till.status();
    assert_eq!(status["print_queue"], 0, "{status}");
    eprintln!(
        "ticket of {} bytes printed {:?} after the sale",
        job.len(),
        sold.elapsed()
    );
    till.quit();
}

/// The headless till with its stdout in our hands: `ready` is read, then nothing until we say.
struct QuietReader {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    stdout: Option<BufReader<std::process::ChildStdout>>,
}

impl QuietReader {
    fn start(mut cmd: Command) -> QuietReader {
        let mut child = cmd
            .args(["till", "--headless"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        stdout.read_line(&mut first).unwrap();
        let ready: Value = serde_json::from_str(&first).unwrap();
        assert_eq!(ready["event"], "ready", "{first}");
        QuietReader {
            child,
            stdin,
            stdout: Some(stdout),
        }
    }

    fn send(&mut self, lines: &[&str]) {
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        self.stdin.write_all(text.as_bytes()).unwrap();
        self.stdin.flush().unwrap();
    }
}

impl Drop for QuietReader {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const STATUSES: usize = 2000;
const PIPE: usize = 64 * 1024;

#[test]
fn a_reader_that_stops_reading_stdout_does_not_stop_the_till_and_gets_every_event_in_order() {
    let dir = common::seeded_dir();
    let printer = TestPrinter::start();
    let mut till = QuietReader::start(kaching_tcp(dir.path(), printer.port));

    // Far more events than the pipe holds, and nobody reads them.
    till.send(&vec!["status"; STATUSES]);
    // The till still sells and prints while its stdout is full.
    till.send(&["login 1 1111", "scan 0000", "pay main cash 5"]);
    let job = printer
        .next_job(JOB_WAIT)
        .expect("no ticket while stdout was not read: the till was blocked on its output");
    let d = decode(&job.bytes).unwrap();
    assert_eq!(d.pulses, vec![PULSE]);
    // The second sale too, and a `reprint`: the till keeps taking commands.
    till.send(&["scan 1234", "pay main cash", "reprint"]);
    let second = decode(&printer.expect_job(JOB_WAIT)).unwrap();
    let dup = decode(&printer.expect_job(JOB_WAIT)).unwrap();
    assert_eq!(second.qrs[0].payload, dup.qrs[0].payload);
    assert!(dup.texts().iter().any(|l| l == "*** DUPLICATA ***"));
    assert!(dup.pulses.is_empty());
    let first_id = d.qrs[0].payload.clone();
    let second_id = second.qrs[0].payload.clone();

    // Now read: every event arrives, in order. (`quit` once the last ticket is marked
    // printed, so that its `printed` is emitted before it.)
    let deadline = Instant::now() + JOB_WAIT;
    while Ledger::open_in(dir.path())
        .unwrap()
        .print_jobs_open()
        .unwrap()
        > 0
    {
        assert!(
            Instant::now() < deadline,
            "the jobs were never marked printed"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(200));
    till.send(&["quit"]);
    let mut events = Vec::new();
    let mut bytes = 0;
    let mut line = String::new();
    loop {
        line.clear();
        if till.stdout.as_mut().unwrap().read_line(&mut line).unwrap() == 0 {
            break;
        }
        bytes += line.len();
        events.push(serde_json::from_str::<Value>(&line).unwrap());
    }
    let status = till.child.wait().unwrap();
    assert!(status.success(), "{status}");
    assert!(
        bytes > 4 * PIPE,
        "only {bytes} bytes of events: the pipe was never full"
    );
    let names: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert!(
        names[..STATUSES].iter().all(|n| *n == "status"),
        "the statuses first: {:?}",
        &names[..STATUSES.min(names.len())]
    );
    assert!(!names.contains(&"error"), "{names:?}");
    // The commands' answers in the order of the commands; each ticket printed after its sale.
    let answers: Vec<&str> = names[STATUSES..]
        .iter()
        .copied()
        .filter(|n| !matches!(*n, "basket" | "printed"))
        .collect();
    assert_eq!(
        answers,
        ["logged_in", "sale_committed", "sale_committed"],
        "{names:?}"
    );
    let at = |name: &str, id: &str| {
        events
            .iter()
            .position(|e| e["event"] == name && e["sale_id"] == id)
            .unwrap_or_else(|| panic!("no {name} for {id}: {names:?}"))
    };
    assert!(at("sale_committed", &first_id) < at("printed", &first_id));
    assert!(at("sale_committed", &second_id) < at("printed", &second_id));
    let committed: Vec<String> = events
        .iter()
        .filter(|e| e["event"] == "sale_committed")
        .map(id_of)
        .collect();
    assert_eq!(committed, [first_id.clone(), second_id.clone()]);
    let printed: Vec<String> = events
        .iter()
        .filter(|e| e["event"] == "printed")
        .map(id_of)
        .collect();
    assert_eq!(printed, [first_id, second_id.clone(), second_id]);
}

#[test]
fn a_closed_stdout_does_not_stop_the_till() {
    let dir = common::seeded_dir();
    let printer = TestPrinter::start();
    let mut till = QuietReader::start(kaching_tcp(dir.path(), printer.port));
    // The reader goes away: writing the events now fails (EPIPE).
    drop(till.stdout.take());
    till.send(&vec!["status"; 200]);
    till.send(&["login 1 1111", "scan 0000", "pay main cash 5"]);
    let d = decode(&printer.expect_job(JOB_WAIT)).unwrap();
    assert_eq!(d.cuts.len(), 1);
    let sold = Ledger::open_in(dir.path()).unwrap().sale(&d.qrs[0].payload);
    assert!(sold.is_ok(), "{sold:?}");
    // `quit` still ends it, cleanly.
    till.send(&["quit"]);
    let deadline = Instant::now() + JOB_WAIT;
    let status = loop {
        if let Some(s) = till.child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "the till did not exit on quit");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status}");
}
