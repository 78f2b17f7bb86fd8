//! Printing through CUPS (`printer.driver = cups`), end to end: the real `kaching` binary runs
//! `lp`, CUPS's scheduler sends the job through a raw queue to `socket://127.0.0.1:PORT`, and a
//! TCP listener captures what a printer there would receive. A raw queue is byte-exact (shared
//! NOTES), so the ESC/POS ticket decodes to exactly the layout; with `printer.format = text` the
//! ticket arrives as the UTF-8 text CUPS's filters would render for an ordinary printer.
//!
//! These tests need CUPS (`apt-get install cups cups-client cups-bsd`, as scripts/setup.sh does)
//! and start its scheduler when it is not running (as root). Where that is impossible they FAIL
//! with the reason: they are never skipped.

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::escpos_decode::{self, TestPrinter};
use kaching::domain::receipt::{self, ShopInfo};
use kaching::store::Ledger;

const SETUP: &str = "install CUPS (apt-get install -y cups cups-client cups-bsd, as `scripts/setup.sh test` should) and run the tests as root so they can start cupsd";

fn run(cmd: &str, args: &[&str]) -> Result<Output, String> {
    Command::new(cmd)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run {cmd}: {e}"))
}

fn scheduler_running() -> bool {
    run("lpstat", &["-r"])
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("scheduler is running"))
}

/// CUPS's scheduler is up, started here if needed; otherwise the test fails saying why.
fn ensure_cups() {
    for tool in ["lp", "lpadmin", "lpstat"] {
        if let Err(e) = run(tool, &["-h"]) {
            panic!("CUPS is not usable on this machine: {e}. {SETUP}.");
        }
    }
    if scheduler_running() {
        return;
    }
    let cupsd = ["/usr/sbin/cupsd", "/usr/local/sbin/cupsd"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .unwrap_or_else(|| panic!("cupsd is not installed. {SETUP}."));
    // `cupsd` forks into the background and keeps running, like the system service it is.
    match run(cupsd, &[]) {
        Ok(o) if o.status.success() => {}
        Ok(o) => panic!(
            "cupsd would not start ({}): {}. {SETUP}.",
            o.status,
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) => panic!("{e}. {SETUP}."),
    }
    let deadline = Instant::now() + Duration::from_secs(15);
    while !scheduler_running() {
        assert!(
            Instant::now() < deadline,
            "cupsd was started but `lpstat -r` does not see it running. {SETUP}."
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A raw CUPS queue to the test printer, removed on drop.
struct RawQueue(String);

impl RawQueue {
    fn to(printer: &TestPrinter) -> RawQueue {
        let name = format!("kaching-test-{}", printer.port);
        let o = run(
            "lpadmin",
            &[
                "-p",
                &name,
                "-E",
                "-v",
                &format!("socket://127.0.0.1:{}", printer.port),
                "-m",
                "raw",
            ],
        )
        .unwrap_or_else(|e| panic!("{e}. {SETUP}."));
        assert!(
            o.status.success(),
            "lpadmin could not create the raw queue {name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        RawQueue(name)
    }
}

impl Drop for RawQueue {
    fn drop(&mut self) {
        let _ = run("lpadmin", &["-x", &self.0]);
    }
}

fn shop() -> ShopInfo {
    ShopInfo {
        name: "Friterie Chez Hélène".into(),
        address: "Place Flagey 7, 1050 Ixelles".into(),
        vat_number: "BE0987.654.321".into(),
    }
}

/// Sells Café + RETRAIT ESPÈCES 15 € in cash through `cups` with `format`, returns the sale and
/// what reached the printer behind CUPS.
fn sell_through_cups(format: &str, width: usize) -> (kaching::domain::sale::Sale, Vec<u8>) {
    ensure_cups();
    let dir = common::seeded_dir();
    let printer = TestPrinter::start();
    let queue = RawQueue::to(&printer);
    let shop = shop();
    let mut cmd = common::kaching(dir.path());
    cmd.env("KACHING_PRINTER__DRIVER", "cups")
        .env("KACHING_PRINTER__TARGET", &queue.0)
        .env("KACHING_PRINTER__FORMAT", format)
        .env("KACHING_PRINTER__WIDTH", width.to_string())
        .env("KACHING_SHOP__NAME", &shop.name)
        .env("KACHING_SHOP__ADDRESS", &shop.address)
        .env("KACHING_SHOP__VAT_NUMBER", &shop.vat_number);
    let mut till = common::Till::start_with(cmd);
    till.cmd("login 1 1111");
    till.cmd("scan 0000");
    till.cmd("withdraw 15");
    till.send("pay main cash 20");
    let id = till.wait_for("sale_committed")["sale_id"]
        .as_str()
        .unwrap()
        .to_owned();
    // `printed`: lp handed the job to CUPS. Then CUPS delivers it.
    let printed = loop {
        let e = till.next().expect("till running");
        match e["event"].as_str() {
            Some("printed") => break e,
            Some("print_failed") => panic!("lp refused the job: {e}"),
            _ => {}
        }
    };
    assert_eq!(printed["sale_id"], id.as_str());
    let bytes = printer
        .next_job(Duration::from_secs(30))
        .unwrap_or_else(|| panic!("CUPS delivered nothing to queue {} in 30 s", queue.0))
        .bytes;
    till.quit();
    let sale = Ledger::open_in(dir.path()).unwrap().sale(&id).unwrap();
    (sale, bytes)
}

#[test]
fn escpos_through_a_raw_cups_queue_arrives_byte_exact() {
    let (sale, bytes) = sell_through_cups("escpos", 42);
    let d = escpos_decode::assert_ticket(&bytes, &sale, &shop(), 42, "cp1252", false);
    let text = d.texts().join("\n");
    for needle in ["Friterie Chez Hélène", "Café", "RETRAIT ESPÈCES", "17,50 €"] {
        assert!(text.contains(needle), "{needle:?} missing from\n{text}");
    }
    // Byte-exact: what the till would send a TCP printer directly.
    let direct = kaching::devices::printer::escpos_ticket(
        &sale,
        &shop(),
        chrono_tz::Europe::Brussels,
        42,
        false,
        kaching::devices::escpos::CodePage::Cp1252,
    );
    assert_eq!(bytes, direct);
}

#[test]
fn text_through_cups_is_the_ticket_layout() {
    let (sale, bytes) = sell_through_cups("text", 32);
    let text = String::from_utf8(bytes).expect("the text job is UTF-8 for CUPS's filters");
    let expected = receipt::render(&sale, &shop(), chrono_tz::Europe::Brussels, 32, false);
    assert_eq!(text, expected);
    assert!(text.contains("RETRAIT ESPÈCES") && text.contains("€"));
}
