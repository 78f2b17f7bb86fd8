//! The drawer on paper (issue 14), through the real binary, headless, printing ESC/POS over TCP
//! to a printer of our own (tests/common/escpos_decode.rs reads the bytes as a printer would):
//! a cash-in and a cash-out each print their slip with the drawer pulse (`ESC p 0 25 250`), the
//! Z prints its figures without one, an X prints when asked; a cash-out whose printer was off
//! until after `printer.drawer_window_secs` prints its slip without the pulse and is audited; a
//! cash-out recorded just before a SIGKILL prints after the restart (its slip was queued in the
//! move's transaction). With the file driver, slips and reports are preview files of their own
//! beside the tickets; `kaching report z 1 --format pdf` is read back with `pdftotext`.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::escpos_decode::{Decoded, Pulse, TestPrinter, contains_utf8_of, decode};
use kaching::domain::drawer_print::{self, PrintDoc};
use kaching::domain::receipt::{ShopInfo, TicketLanguage};
use kaching::store::Ledger;
use serde_json::Value;

/// The retry period (PrinterActor::RETRY_EVERY) plus slack for a loaded machine.
const RETRY: Duration = Duration::from_secs(15);
const JOB_WAIT: Duration = Duration::from_secs(20);
const PULSE_BYTES: [u8; 5] = [0x1B, 0x70, 0x00, 0x19, 0xFA];
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

fn logged_in(cmd: Command) -> common::Till {
    let mut till = common::Till::start_with(cmd);
    let ev = till.cmd("login 1 1111");
    assert!(ev.iter().any(|e| e["event"] == "logged_in"), "{ev:#?}");
    till
}

fn find(events: &[Value], name: &str) -> Value {
    events
        .iter()
        .find(|e| e["event"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("no {name} in {events:#?}"))
}

/// Waits for the `name` event (`printed` / `print_failed`) about document `doc` of session
/// `z_no`, whether it already came or not.
fn awaiting_doc(till: &mut common::Till, name: &str, doc: &str, z_no: i64) -> Value {
    let about = |e: &Value| e["event"] == name && e["document"] == doc && e["z_no"] == z_no;
    if let Some(e) = till.seen.iter().find(|e| about(e)) {
        return e.clone();
    }
    loop {
        let e = till.wait_for(name);
        if about(&e) {
            return e;
        }
    }
}

/// The shop the seeded data dir prints in its header.
fn shop() -> ShopInfo {
    ShopInfo {
        name: "KACHING".into(),
        address: String::new(),
        vat_number: String::new(),
    }
}

/// The document print job `job_no` (in queue order) as the ledger holds it.
fn queued_doc(dir: &Path, nth: usize) -> PrintDoc {
    let mut l = Ledger::open_in(dir).unwrap();
    let docs: Vec<String> = l
        .connection()
        .prepare("SELECT doc FROM print_jobs WHERE doc IS NOT NULL ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    PrintDoc::from_json(&docs[nth]).unwrap()
}

/// What every printed slip or report is: ESC/POS in Windows-1252 (no UTF-8), `ESC @` once,
/// exactly the lines of its layout within 42 columns, no QR code, one partial cut at the end.
fn assert_document(bytes: &[u8], doc: &PrintDoc, lang: TicketLanguage) -> Decoded {
    if let Some(c) = contains_utf8_of(bytes, "éèàçôÉÈ€") {
        panic!("{c} was sent as UTF-8: {bytes:02X?}");
    }
    let d = decode(bytes).unwrap_or_else(|e| panic!("undecodable ESC/POS: {e}\n{bytes:02X?}"));
    assert!(d.starts_with_init && d.inits == 1);
    assert_eq!(d.code_pages, vec![16]);
    let expected = drawer_print::render(doc, &shop(), chrono_tz::Europe::Brussels, 42, lang);
    let n = expected.lines().count();
    assert_eq!(d.plain(n, 42), expected, "printed differs from the layout");
    assert!(d.lines.iter().all(|l| l.text.chars().count() <= 42));
    assert!(d.qrs.is_empty(), "{:?}", d.qrs);
    assert_eq!(d.cuts.len(), 1);
    assert!(bytes.ends_with(&[0x1D, 0x56, 66, 0]));
    d
}

/// The printed line that starts with `label` (after the one-space indent).
fn line_of(d: &Decoded, label: &str) -> String {
    d.texts()
        .into_iter()
        .find(|l| l.trim_start().starts_with(label))
        .unwrap_or_else(|| panic!("no {label:?} line in {:#?}", d.texts()))
}

#[test]
fn a_cash_in_and_a_cash_out_print_a_slip_and_open_the_drawer_and_the_z_prints_its_figures_without()
{
    let dir = common::seeded_dir_with_cent_prices();
    let printer = TestPrinter::start();
    let mut till = logged_in(kaching_tcp(dir.path(), printer.port));

    till.cmd("drawer open 150");
    assert!(
        printer.next_job(Duration::from_millis(500)).is_none(),
        "opening the drawer session prints nothing"
    );

    // Cash in: the slip, with the pulse.
    let moved = find(&till.cmd("drawer in 20 monnaie"), "drawer_moved");
    let job = printer.expect_job(JOB_WAIT);
    let printed = awaiting_doc(&mut till, "printed", "drawer_in", 1);
    assert_eq!(printed["move_no"], moved["move_no"], "{printed}");
    assert!(printed.get("sale_id").is_none(), "{printed}");
    assert!(job.windows(5).any(|w| w == PULSE_BYTES), "{job:02X?}");
    let d = assert_document(&job, &queued_doc(dir.path(), 0), TicketLanguage::default());
    assert_eq!(d.pulses, vec![PULSE]);
    let texts = d.texts();
    assert!(texts.iter().any(|l| l == "ENTRÉE D'ESPÈCES"), "{texts:#?}");
    let amount = line_of(&d, "MONTANT");
    assert!(amount.ends_with("20,00 €"), "{amount:?}");
    assert_eq!(line_of(&d, "Motif"), " Motif : monnaie");
    assert!(line_of(&d, "Caisse").contains("Session (Z) : 1"));
    assert_eq!(line_of(&d, "Caissier"), " Caissier : ADMIN");

    // A cash sale of 1,01 € (paid 1,00 €) between the moves: its ticket prints as before.
    till.cmd("scan 901");
    let sale = find(&till.cmd("pay main cash 5"), "sale_committed");
    assert_eq!(sale["paid_cents"], 100);
    let ticket = decode(&printer.expect_job(JOB_WAIT)).unwrap();
    assert_eq!(ticket.qrs[0].payload, sale["sale_id"].as_str().unwrap());

    // Cash out: the slip, with the pulse.
    let moved = find(&till.cmd("drawer out 100 banque"), "drawer_moved");
    let job = printer.expect_job(JOB_WAIT);
    let printed = awaiting_doc(&mut till, "printed", "drawer_out", 1);
    assert_eq!(printed["move_no"], moved["move_no"]);
    let d = assert_document(&job, &queued_doc(dir.path(), 1), TicketLanguage::default());
    assert_eq!(d.pulses, vec![PULSE]);
    assert!(d.texts().iter().any(|l| l == "SORTIE D'ESPÈCES"));
    assert!(line_of(&d, "MONTANT").ends_with("100,00 €"));
    assert_eq!(line_of(&d, "Motif"), " Motif : banque");

    // The X, when asked: no pulse.
    let x = find(&till.cmd("report x"), "drawer_report")["report"].clone();
    let job = printer.expect_job(JOB_WAIT);
    awaiting_doc(&mut till, "printed", "x", 1);
    let d = assert_document(&job, &queued_doc(dir.path(), 2), TicketLanguage::default());
    assert!(d.pulses.is_empty() && !job.windows(2).any(|w| w == [0x1B, 0x70]));
    assert!(d.texts().iter().any(|l| l == "RAPPORT X"));
    assert_eq!(x["expected_cents"], 15000 + 100 + 2000 - 10000);
    assert!(line_of(&d, "Espèces attendues").ends_with("71,00 €"));

    // The Z: its figures, no pulse (the drawer is open for the count already).
    let z = find(&till.cmd("drawer close 70,90"), "drawer_report")["report"].clone();
    assert_eq!(
        (
            &z["expected_cents"],
            &z["counted_cents"],
            &z["difference_cents"]
        ),
        (&Value::from(7100), &Value::from(7090), &Value::from(-10))
    );
    let job = printer.expect_job(JOB_WAIT);
    awaiting_doc(&mut till, "printed", "z", 1);
    let d = assert_document(&job, &queued_doc(dir.path(), 3), TicketLanguage::default());
    assert!(d.pulses.is_empty(), "{:?}", d.pulses);
    assert!(!job.windows(2).any(|w| w == [0x1B, 0x70]));
    let title = d
        .lines
        .iter()
        .find(|l| l.text == "RAPPORT Z n° 1")
        .unwrap_or_else(|| panic!("no Z title in {:#?}", d.texts()));
    assert!(title.bold && title.double_height);
    for (label, value) in [
        ("Fond de caisse", "150,00 €"),
        ("Espèces  ", "1,00 €"),
        ("Entrées d'espèces", "20,00 €"),
        ("Sorties d'espèces", "-100,00 €"),
        ("Espèces attendues", "71,00 €"),
        ("Espèces comptées", "70,90 €"),
        ("Différence", "-0,10 €"),
        ("Tickets", "1"),
        ("Arrondis", "-0,01 €"),
    ] {
        let l = line_of(&d, label);
        assert!(l.ends_with(value), "{label}: {l:?}");
        assert_eq!(l.chars().count(), 42, "flush right: {l:?}");
    }
    let counted = d
        .lines
        .iter()
        .find(|l| l.text.contains("comptées"))
        .unwrap();
    assert!(counted.bold, "the count is in bold");
    till.quit();
    assert!(
        printer.next_job(Duration::from_millis(500)).is_none(),
        "every paper printed once"
    );
    let l = Ledger::open_in(dir.path()).unwrap();
    assert_eq!(l.print_jobs_open().unwrap(), 0);
}

#[test]
fn a_slip_that_waited_past_the_window_for_the_printer_prints_without_the_pulse_and_is_audited() {
    let dir = common::seeded_dir();
    let port = common::free_port();
    let mut cmd = kaching_tcp(dir.path(), port);
    cmd.env("KACHING_PRINTER__DRAWER_WINDOW_SECS", "2");
    let mut till = logged_in(cmd);

    // The printer is off: the cash-out is recorded, its slip waits.
    let moved = find(&till.cmd("drawer out 50 banque"), "drawer_moved");
    let failed = awaiting_doc(&mut till, "print_failed", "drawer_out", 1);
    assert_eq!(failed["move_no"], moved["move_no"]);
    assert!(
        failed["reason"]
            .as_str()
            .unwrap()
            .contains(&port.to_string()),
        "{failed}"
    );
    // It comes back after the window (2 s): the retry prints the slip without the pulse.
    std::thread::sleep(Duration::from_secs(3));
    let printer = TestPrinter::start_on(port);
    let job = printer.expect_job(RETRY);
    awaiting_doc(&mut till, "printed", "drawer_out", 1);
    let d = assert_document(&job, &queued_doc(dir.path(), 0), TicketLanguage::default());
    assert!(d.pulses.is_empty(), "{:?}", d.pulses);
    assert!(!job.windows(2).any(|w| w == [0x1B, 0x70]));
    assert!(line_of(&d, "MONTANT").ends_with("50,00 €"));

    // The control: a cash-in printed at once opens the drawer.
    till.cmd("drawer in 10 monnaie");
    let job = printer.expect_job(JOB_WAIT);
    awaiting_doc(&mut till, "printed", "drawer_in", 1);
    assert_eq!(decode(&job).unwrap().pulses, vec![PULSE]);
    till.quit();

    let audit = Ledger::open_in(dir.path()).unwrap().audit_log(50).unwrap();
    let late: Vec<_> = audit
        .iter()
        .filter(|a| a.action == "drawer_not_opened")
        .collect();
    assert_eq!(late.len(), 1, "{audit:#?}");
    let detail = &late[0].detail;
    assert!(
        detail.contains("drawer_out slip, session 1")
            && detail.contains(&format!("move {}", moved["move_no"]))
            && detail.contains("(window 2 s)"),
        "{detail}"
    );
}

#[test]
fn a_cash_out_recorded_just_before_a_kill_prints_its_slip_after_the_restart() {
    let dir = common::seeded_dir();
    let port = common::free_port();
    let bilingual = |cmd: &mut Command| {
        cmd.env("KACHING_PRINTER__LANGUAGE", "fr+nl");
    };
    let mut cmd = kaching_tcp(dir.path(), port);
    bilingual(&mut cmd);
    let mut till = logged_in(cmd);
    // The printer is off; the till dies (SIGKILL) right after the move is acknowledged.
    let moved = find(&till.cmd("drawer out 30 banque"), "drawer_moved");
    till.child.kill().unwrap();
    till.child.wait().unwrap();
    drop(till);

    let printer = TestPrinter::start_on(port);
    let mut cmd = kaching_tcp(dir.path(), port);
    bilingual(&mut cmd);
    let mut till = common::Till::start_with(cmd);
    let job = printer.expect_job(JOB_WAIT);
    let printed = awaiting_doc(&mut till, "printed", "drawer_out", 1);
    assert_eq!(printed["move_no"], moved["move_no"]);
    let both = TicketLanguage::parse("fr+nl").unwrap();
    let d = assert_document(&job, &queued_doc(dir.path(), 0), both);
    let texts = d.texts();
    for title in ["SORTIE D'ESPÈCES", "CONTANT UIT KASSA"] {
        assert!(texts.iter().any(|l| l == title), "{title}: {texts:#?}");
    }
    assert!(line_of(&d, "MONTANT / BEDRAG").ends_with("30,00 €"));
    assert_eq!(line_of(&d, "Motif/Reden"), " Motif/Reden: banque");
    till.quit();
    assert!(
        printer.next_job(Duration::from_millis(500)).is_none(),
        "printed once"
    );
    let mut l = Ledger::open_in(dir.path()).unwrap();
    let moves: i64 = l
        .connection()
        .query_row("SELECT count(*) FROM drawer_moves", [], |r| r.get(0))
        .unwrap();
    assert_eq!((moves, l.print_jobs_open().unwrap()), (1, 0));
}

/// `pdftotext -layout FILE -`.
fn pdf_text(path: &Path) -> String {
    let o = Command::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (apt-get install poppler-utils)");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).expect("UTF-8 text")
}

#[test]
fn with_the_file_driver_slips_and_reports_are_files_of_their_own_and_the_z_reads_back_as_a_pdf() {
    let dir = common::seeded_dir_with_cent_prices();
    let mut till = logged_in(common::kaching(dir.path()));
    till.cmd("drawer open 150");
    till.cmd("drawer in 20 monnaie");
    till.cmd("scan 903");
    till.cmd("pay main cash 5");
    till.cmd("report x");
    till.cmd("drawer close 171");
    for doc in ["drawer_in", "x", "z"] {
        awaiting_doc(&mut till, "printed", doc, 1);
    }
    till.quit();
    let tickets = dir.path().join("tickets");
    let mut names: Vec<String> = std::fs::read_dir(&tickets)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 4, "{names:?}");
    assert_eq!(names[0], "till-1-000001.txt");
    assert_eq!(names[1], "till-1-move-000001.txt");
    assert!(
        names[2].starts_with("till-1-x000001-j") && names[2].ends_with(".txt"),
        "{names:?}"
    );
    assert_eq!(names[3], "till-1-z000001.txt");
    let z_text = std::fs::read_to_string(tickets.join("till-1-z000001.txt")).unwrap();
    assert!(z_text.contains("RAPPORT Z n° 1"), "{z_text}");

    // The Z as a PDF: the same figures.
    let pdf = dir.path().join("z1.pdf");
    let o = common::run(
        dir.path(),
        &[
            "report",
            "z",
            "1",
            "--format",
            "pdf",
            "--output",
            pdf.to_str().unwrap(),
        ],
        "",
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    let text = pdf_text(&pdf);
    assert!(text.contains("RAPPORT Z n° 1 — KACHING"), "{text}");
    let row = |label: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("no {label} in\n{text}"))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    // 1,03 € paid 1,05 € in cash: 150 + 1,05 + 20 = 171,05 expected, 171,00 counted.
    assert_eq!(row("Fond de caisse"), "Fond de caisse 150,00 €");
    assert_eq!(row("Entrées d'espèces"), "Entrées d'espèces 20,00 €");
    assert_eq!(row("Espèces attendues"), "Espèces attendues 171,05 €");
    assert_eq!(row("Espèces comptées"), "Espèces comptées 171,00 €");
    assert_eq!(row("Différence"), "Différence -0,05 €");
    assert_eq!(row("Arrondis"), "Arrondis 0,02 €");

    // A PDF is never written to the terminal; an X needs an open drawer. Nothing is written.
    let o = common::run(dir.path(), &["report", "z", "1", "--format", "pdf"], "");
    assert!(!o.status.success() && o.stdout.is_empty());
    assert!(
        common::stderr(&o).contains("--output"),
        "{}",
        common::stderr(&o)
    );
    let x_pdf = dir.path().join("x.pdf");
    let o = common::run(
        dir.path(),
        &[
            "--lang",
            "en",
            "report",
            "x",
            "--format",
            "pdf",
            "-o",
            x_pdf.to_str().unwrap(),
        ],
        "",
    );
    assert!(!o.status.success() && !x_pdf.exists());
    assert!(
        common::stderr(&o).contains("no drawer"),
        "{}",
        common::stderr(&o)
    );
}
