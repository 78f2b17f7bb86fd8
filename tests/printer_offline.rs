//! A printer that is off (or unplugged) never stops the till: sales commit at once, their
//! tickets wait in the ledger's print queue, and when the printer comes back they all come out,
//! in order, each exactly once, within the retry period (10 s).

mod common;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use common::escpos_decode::{TestPrinter, decode};
use serde_json::Value;

const SALES: usize = 100;
/// What "the till never blocked" means here: a sale's `sale_committed` comes this fast while
/// the printer is down (a debug build, two cores shared with other tests).
const PROMPT: Duration = Duration::from_secs(2);
/// The retry period (PrinterActor::RETRY_EVERY) plus slack.
const RESUME: Duration = Duration::from_secs(13);

/// The ticket number printed on a decoded ticket (" Ticket : N  Caisse : …").
fn ticket_no(lines: &[String]) -> i64 {
    lines
        .iter()
        .find_map(|l| {
            l.strip_prefix(" Ticket : ")
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or_else(|| panic!("no ticket number in {lines:#?}"))
}

#[test]
fn a_printer_down_for_100_sales_prints_all_of_them_in_order_once_it_is_back() {
    let dir = common::seeded_dir();
    let port = common::free_port();
    let mut cmd = common::kaching(dir.path());
    cmd.env("KACHING_PRINTER__DRIVER", "tcp")
        .env("KACHING_PRINTER__TARGET", format!("127.0.0.1:{port}"))
        .env("KACHING_PRINTER__WIDTH", "32")
        // Every ticket here must still open the drawer: on a slow machine the first ones may
        // print more than the default 60 s after their sale (tests/printer_io.rs checks that).
        .env("KACHING_PRINTER__DRAWER_WINDOW_SECS", "600");
    let mut till = common::Till::start_with(cmd);
    till.cmd("login 1 1111");

    // The printer is off: nothing listens on its port.
    let mut sale_ids = Vec::new();
    let mut slowest = Duration::ZERO;
    let all = Instant::now();
    for n in 1..=SALES {
        let t = Instant::now();
        till.send("scan 0000");
        till.send("pay main cash 5");
        let committed = till.wait_for("sale_committed");
        let took = t.elapsed();
        slowest = slowest.max(took);
        assert!(
            took < PROMPT,
            "sale {n} took {took:?} to commit with the printer down"
        );
        assert_eq!(committed["ticket_no"], n as i64);
        sale_ids.push(committed["sale_id"].as_str().unwrap().to_owned());
    }
    let selling = all.elapsed();
    eprintln!("{SALES} sales with the printer down: {selling:?}, slowest commit {slowest:?}");
    let status = till.status();
    assert_eq!(status["print_queue"], SALES as i64, "{status}");
    let failed = till
        .seen
        .iter()
        .filter(|e| e["event"] == "print_failed")
        .count();
    assert!(failed >= 1, "the printer was down: print_failed expected");
    assert!(
        !till.seen.iter().any(|e| e["event"] == "printed"),
        "nothing can print while the printer is down"
    );
    let reason = till
        .seen
        .iter()
        .find(|e| e["event"] == "print_failed")
        .map(|e| e["reason"].as_str().unwrap_or_default().to_owned())
        .unwrap_or_default();
    assert!(reason.contains(&port.to_string()), "{reason}");

    // The printer comes back on the same address.
    let printer = TestPrinter::start_on(port);
    let back = Instant::now();
    let mut printed_ids = Vec::new();
    let mut numbers = Vec::new();
    for i in 0..SALES {
        let wait = if i == 0 {
            RESUME
        } else {
            Duration::from_secs(10)
        };
        let job = printer
            .next_job(wait)
            .unwrap_or_else(|| panic!("only {i} tickets arrived after the printer came back"));
        if i == 0 {
            let resumed = job.last_byte_at.duration_since(back);
            eprintln!("first ticket {resumed:?} after the printer came back");
            assert!(resumed < RESUME, "{resumed:?}");
        }
        let d = decode(&job.bytes).unwrap_or_else(|e| panic!("ticket {i}: {e}"));
        assert_eq!(d.qrs.len(), 1);
        assert_eq!(d.cuts.len(), 1, "one cut per ticket");
        assert_eq!(d.pulses.len(), 1, "cash: one drawer pulse per ticket");
        printed_ids.push(d.qrs[0].payload.clone());
        numbers.push(ticket_no(&d.texts()));
    }
    eprintln!(
        "{SALES} tickets printed {:?} after the printer came back",
        back.elapsed()
    );
    assert_eq!(numbers, (1..=SALES as i64).collect::<Vec<_>>(), "in order");
    assert_eq!(printed_ids, sale_ids, "each sale's own ticket, in order");
    assert_eq!(
        printed_ids.iter().collect::<HashSet<_>>().len(),
        SALES,
        "none twice"
    );

    // Every job is marked printed once, and nothing more comes.
    let mut printed_events: Vec<String> = till
        .seen
        .iter()
        .filter(|e| e["event"] == "printed")
        .map(|e| e["sale_id"].as_str().unwrap().to_owned())
        .collect();
    while printed_events.len() < SALES {
        let e: Value = till.wait_for("printed");
        printed_events.push(e["sale_id"].as_str().unwrap().to_owned());
    }
    assert_eq!(printed_events, sale_ids);
    assert!(
        printer.next_job(Duration::from_secs(2)).is_none(),
        "a ticket printed twice"
    );
    let status = till.status();
    assert_eq!(status["print_queue"], 0, "{status}");
    till.quit();
}

#[test]
fn a_missing_device_file_is_retried_until_the_printer_is_plugged_in() {
    let dir = common::seeded_dir();
    let device = dir.path().join("lp0");
    let mut cmd = common::kaching(dir.path());
    cmd.env("KACHING_PRINTER__DRIVER", "device")
        .env("KACHING_PRINTER__TARGET", &device)
        .env("KACHING_PRINTER__CODEPAGE", "pc858");
    let mut till = common::Till::start_with(cmd);
    till.cmd("login 1 1111");
    let mut ids = Vec::new();
    for _ in 0..3 {
        till.cmd("scan 0000");
        till.send("pay main cash");
        ids.push(
            till.wait_for("sale_committed")["sale_id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let failed = match till.seen.iter().find(|e| e["event"] == "print_failed") {
        Some(e) => e.clone(),
        None => till.wait_for("print_failed"),
    };
    assert!(
        failed["reason"].as_str().unwrap().contains("lp0"),
        "{failed}"
    );
    assert!(!device.exists(), "the driver never creates the device");

    // Plugged in: the device node appears; the three tickets follow in order.
    std::fs::write(&device, b"").unwrap();
    let plugged = Instant::now();
    let mut printed = Vec::new();
    while printed.len() < 3 {
        let e = till.wait_for("printed");
        printed.push(e["sale_id"].as_str().unwrap().to_owned());
    }
    assert!(plugged.elapsed() < RESUME, "{:?}", plugged.elapsed());
    assert_eq!(printed, ids);
    till.quit();
    let bytes = std::fs::read(&device).unwrap();
    let d = decode(&bytes).unwrap();
    assert_eq!(d.inits, 3);
    assert_eq!(d.code_pages, vec![19, 19, 19]);
    assert_eq!(d.cuts.len(), 3);
    let qr: Vec<String> = d.qrs.iter().map(|q| q.payload.clone()).collect();
    assert_eq!(qr, ids);
    assert!(d.texts().iter().any(|l| l.starts_with("Café")));
}
