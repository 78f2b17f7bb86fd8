//! Receipts on a network thermal printer, end to end: the real `kaching` binary sells in cash
//! through the headless protocol with `printer.driver = tcp`; a TCP listener stands in for the
//! printer on port 9100's protocol; our own ESC/POS decoder (tests/common/escpos_decode.rs)
//! turns the bytes back into lines by the selected code page, and the printed ticket must equal
//! `receipt::render` of the same sale — accents and € included — for 32 and 48 columns and both
//! code pages, with the QR code of the sale id (Model 2), a partial cut and the drawer pulse.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::escpos_decode::{self, Align, Cut, Decoded, Pulse, TestPrinter, decode};
use kaching::domain::receipt::{self, ShopInfo};
use kaching::domain::sale::Sale;
use kaching::store::Ledger;
use serde_json::Value;

const JOB_WAIT: Duration = Duration::from_secs(20);
const SHOP_NAME: &str = "Épicerie Chez Loïc";
const SHOP_ADDRESS: &str = "Rue de l'Église 5, 1000 Bruxelles";
const SHOP_VAT: &str = "BE0123.456.789";

fn shop() -> ShopInfo {
    ShopInfo {
        name: SHOP_NAME.into(),
        address: SHOP_ADDRESS.into(),
        vat_number: SHOP_VAT.into(),
    }
}

/// `kaching` printing to `printer` with this width and code page, in a shop with accents.
fn kaching_tcp(dir: &Path, printer: &TestPrinter, width: usize, codepage: &str) -> Command {
    let mut cmd = common::kaching(dir);
    cmd.env("KACHING_PRINTER__DRIVER", "tcp")
        .env("KACHING_PRINTER__TARGET", printer.addr())
        .env("KACHING_PRINTER__WIDTH", width.to_string())
        .env("KACHING_PRINTER__CODEPAGE", codepage)
        .env("KACHING_SHOP__NAME", SHOP_NAME)
        .env("KACHING_SHOP__ADDRESS", SHOP_ADDRESS)
        .env("KACHING_SHOP__VAT_NUMBER", SHOP_VAT);
    cmd
}

fn sale(dir: &Path, id: &str) -> Sale {
    Ledger::open_in(dir).unwrap().sale(id).unwrap()
}

/// Café, a cash withdrawal of 15 €, paid 20 € in cash: returns `sale_committed`.
fn sell_cafe_and_withdrawal(till: &mut common::Till) -> Value {
    till.cmd("login 1 1111");
    till.cmd("scan 0000");
    till.cmd("withdraw 15");
    till.send("pay main cash 20");
    till.wait_for("sale_committed")
}

/// The common checks (tests/common/escpos_decode.rs: the ticket equals the layout, QR Model 2,
/// partial cut, drawer pulse on an original cash ticket only) plus the header's style.
fn check_ticket(
    bytes: &[u8],
    sale: &Sale,
    width: usize,
    codepage: &str,
    duplicate: bool,
) -> Decoded {
    let d = escpos_decode::assert_ticket(bytes, sale, &shop(), width, codepage, duplicate);
    // The header: the shop's name, bold, centred, double height; the address centred.
    let title = &d.lines[1];
    assert_eq!(title.text, SHOP_NAME);
    assert!(
        title.bold && title.align == Align::Center && title.double_height,
        "{title:?}"
    );
    assert_eq!(d.lines[2].align, Align::Center);
    assert!(!d.lines[2].bold && !d.lines[2].double_height);
    assert!(!d.lines[0].bold && d.lines[0].align == Align::Left);
    d
}

/// The whole must-show for one width and code page: an original with the drawer pulse, then a
/// `reprint` that prints DUPLICATA without opening the drawer.
fn cash_ticket_prints_exactly(width: usize, codepage: &str) {
    let dir = common::seeded_dir();
    let printer = TestPrinter::start();
    let mut till = common::Till::start_with(kaching_tcp(dir.path(), &printer, width, codepage));
    let committed = sell_cafe_and_withdrawal(&mut till);
    let id = committed["sale_id"].as_str().unwrap().to_owned();
    assert_eq!(committed["method"], "cash");
    let printed = till.wait_for("printed");
    assert_eq!(printed["sale_id"], id.as_str());
    let original = printer.expect_job(JOB_WAIT);

    till.cmd_awaiting("reprint", "printed");
    let duplicate = printer.expect_job(JOB_WAIT);
    till.quit();
    assert!(
        printer.next_job(Duration::from_millis(300)).is_none(),
        "one job each"
    );

    let sale = sale(dir.path(), &id);
    let d = check_ticket(&original, &sale, width, codepage, false);
    let text = d.texts().join("\n");
    for needle in [
        "Café",
        "RETRAIT ESPÈCES",
        "TOTAL PAYÉ",
        "17,50 €",
        " Paiement",
        "Espèces",
        "20,00 €",
        "Rendu",
        "2,50 €",
        "Merci de votre visite !",
        "Rue de l'Église 5, 1000",
        "TVA BE0123.456.789",
        " COMPTE PRINCIPAL",
        " Vendeur: ADMIN",
        &format!("Sceau {}", &sale.hash[..12]),
    ] {
        assert!(text.contains(needle), "{needle:?} missing from\n{text}");
    }
    assert!(
        text.contains(&format!(" Ticket : {}", sale.ticket_no)),
        "{text}"
    );
    // The drawer: one Epson pulse of five bytes, before the text.
    assert_eq!(
        d.pulses,
        vec![Pulse {
            pin: 0,
            on_ms: 50,
            off_ms: 500
        }]
    );
    assert!(
        original
            .windows(5)
            .any(|w| w == [0x1B, 0x70, 0x00, 0x19, 0xFA])
    );
    // The accented letters are the page's single bytes.
    let (e_acute, e_grave, euro) = match codepage {
        "cp1252" => (0xE9, 0xC8, 0x80),
        _ => (0x82, 0xD4, 0xD5),
    };
    assert!(
        original
            .windows(4)
            .any(|w| w == [b'C', b'a', b'f', e_acute])
    );
    assert!(original.windows(3).any(|w| w == [b'P', e_grave, b'C']));
    assert!(original.windows(2).any(|w| w == [b' ', euro]));

    let dup = check_ticket(&duplicate, &sale, width, codepage, true);
    assert!(dup.texts().iter().any(|l| l == "*** DUPLICATA ***"));
    assert!(dup.pulses.is_empty(), "a duplicate never opens the drawer");
}

#[test]
fn cash_ticket_32_columns_windows_1252() {
    cash_ticket_prints_exactly(32, "cp1252");
}

#[test]
fn cash_ticket_48_columns_windows_1252() {
    cash_ticket_prints_exactly(48, "cp1252");
}

#[test]
fn cash_ticket_32_columns_pc858() {
    cash_ticket_prints_exactly(32, "pc858");
}

#[test]
fn cash_ticket_48_columns_pc858() {
    cash_ticket_prints_exactly(48, "pc858");
}

/// A product whose name has characters no code page holds: they print as `?` (or a look-alike
/// of the same width), never as UTF-8, and the columns stay aligned.
/// `printer.language = fr+nl`: the ticket's words in French and Dutch, the goods once, the
/// accents of both the page's own bytes, and the whole equal to the layout in both languages.
fn bilingual_ticket_prints_both_languages(width: usize, codepage: &str) {
    let dir = common::seeded_dir();
    let printer = TestPrinter::start();
    let mut cmd = kaching_tcp(dir.path(), &printer, width, codepage);
    cmd.env("KACHING_PRINTER__LANGUAGE", "fr+nl");
    let mut till = common::Till::start_with(cmd);
    let committed = sell_cafe_and_withdrawal(&mut till);
    let id = committed["sale_id"].as_str().unwrap().to_owned();
    let bytes = printer.expect_job(JOB_WAIT);
    till.quit();
    let sale = sale(dir.path(), &id);
    let lang = receipt::TicketLanguage::parse("fr+nl").unwrap();
    let d = escpos_decode::assert_ticket_in(&bytes, &sale, &shop(), width, codepage, false, lang);
    let text = d.texts().join("\n");
    for needle in [
        "TOTAL PAYÉ",
        "TOTAAL BETAALD",
        "Merci de votre visite !",
        "Bedankt voor uw bezoek!",
        "Espèces reçues",
        "Contant ontvangen",
        "Rendu",
        "Wisselgeld",
        "TVA/BTW BE0123.456.789",
        "Article",
        "Artikel",
        "Caisse/Kassa: ",
        "Vendeur/Verkoper: ADMIN",
        "COMPTE PRINCIPAL / HOOFDREKENING",
        "RETRAIT ESPÈCES",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from\n{text}");
    }
    assert_eq!(
        text.matches("Café").count(),
        1,
        "the goods are printed once: {text}"
    );
    let (e_acute, e_grave) = match codepage {
        "cp1252" => (0xE9, 0xC8),
        _ => (0x82, 0xD4),
    };
    assert!(bytes.windows(4).any(|w| w == [b'C', b'a', b'f', e_acute]));
    assert!(bytes.windows(3).any(|w| w == [b'P', e_grave, b'C']));
}

#[test]
fn a_french_and_dutch_ticket_32_columns_windows_1252() {
    bilingual_ticket_prints_both_languages(32, "cp1252");
}

#[test]
fn a_french_and_dutch_ticket_48_columns_pc858() {
    bilingual_ticket_prints_both_languages(48, "pc858");
}

#[test]
fn characters_the_page_lacks_print_as_question_marks() {
    let dir = common::seeded_dir();
    let csv = dir.path().join("more.csv");
    std::fs::write(
        &csv,
        "code,barcode,name,price,vat_rate\n7777,,Thé vert 日本 – ‘bio’ œuf,3.00,21\n",
    )
    .unwrap();
    let o = common::run(
        dir.path(),
        &["catalog", "import", csv.to_str().unwrap()],
        "",
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    for codepage in ["pc858", "cp1252"] {
        let printer = TestPrinter::start();
        let mut till = common::Till::start_with(kaching_tcp(dir.path(), &printer, 48, codepage));
        till.cmd("login 1 1111");
        till.cmd("scan 7777");
        till.send("pay main cash 5");
        let id = till.wait_for("sale_committed")["sale_id"]
            .as_str()
            .unwrap()
            .to_owned();
        till.wait_for("printed");
        let bytes = printer.expect_job(JOB_WAIT);
        till.quit();
        assert!(
            escpos_decode::contains_utf8_of(&bytes, "é日本–‘’œ€").is_none(),
            "UTF-8 sent: {bytes:02X?}"
        );
        let d = decode(&bytes).unwrap();
        let item = d
            .texts()
            .into_iter()
            .find(|l| l.starts_with("Thé vert"))
            .unwrap_or_else(|| panic!("no item line in {:#?}", d.texts()));
        let expected = match codepage {
            // PC858 has neither the dash, the quotes nor œ: look-alikes of the same width.
            "pc858" => "Thé vert ?? - 'bio'",
            // Windows-1252 has them all but the Japanese.
            _ => "Thé vert ?? – ‘bio’",
        };
        assert!(item.starts_with(expected), "{codepage}: {item:?}");
        assert_eq!(item.chars().count(), 48, "columns kept: {item:?}");
        assert!(item.ends_with("3,00 €"), "{item:?}");
        let sale = sale(dir.path(), &id);
        let layout = receipt::render(&sale, &shop(), chrono_tz::Europe::Brussels, 48, false);
        assert_eq!(
            d.plain(layout.lines().count(), 48).lines().count(),
            layout.lines().count()
        );
    }
}

/// `kaching reprint` queues a duplicate in the ledger: a running till prints it through its
/// driver within the retry period, and a stopped one as soon as it starts.
#[test]
fn kaching_reprint_prints_a_duplicate_through_the_driver() {
    let dir = common::seeded_dir();
    let printer = TestPrinter::start();
    let mut till = common::Till::start_with(kaching_tcp(dir.path(), &printer, 42, "cp1252"));
    let id = sell_cafe_and_withdrawal(&mut till)["sale_id"]
        .as_str()
        .unwrap()
        .to_owned();
    till.wait_for("printed");
    printer.expect_job(JOB_WAIT);

    // While the till runs: it picks the job up on its next round (every 10 s).
    let o = common::run(dir.path(), &["reprint"], "");
    assert!(o.status.success(), "{}", common::stderr(&o));
    let started = std::time::Instant::now();
    let dup = printer.expect_job(Duration::from_secs(15));
    assert!(
        started.elapsed() < Duration::from_secs(12),
        "{:?}",
        started.elapsed()
    );
    let sale = sale(dir.path(), &id);
    let d = check_ticket(&dup, &sale, 42, "cp1252", true);
    assert!(d.pulses.is_empty());
    // Marked printed before the till stops (else the next start prints it again, rightly).
    till.wait_for("printed");
    till.quit();

    // While it is stopped: printed when it starts.
    let o = common::run(dir.path(), &["reprint"], "");
    assert!(o.status.success(), "{}", common::stderr(&o));
    let mut till = common::Till::start_with(kaching_tcp(dir.path(), &printer, 42, "cp1252"));
    let dup = printer.expect_job(JOB_WAIT);
    check_ticket(&dup, &sale, 42, "cp1252", true);
    if !till.seen.iter().any(|e| e["event"] == "printed") {
        till.wait_for("printed");
    }
    till.quit();
    assert!(printer.next_job(Duration::from_millis(300)).is_none());
}

/// The decoder itself, on hand-written bytes.
#[test]
fn the_test_decoder_reads_what_it_should_and_refuses_the_rest() {
    use escpos_decode::Qr;
    let mut b = vec![0x1B, 0x40, 0x1B, 0x74, 16, 0x1B, 0x70, 0, 25, 250];
    b.extend_from_slice(&[0x1B, 0x61, 1, 0x1B, 0x45, 1, 0x1D, 0x21, 0x01]);
    b.extend_from_slice(b"Caf\xE9 \x80\n");
    b.extend_from_slice(&[0x1B, 0x61, 0, 0x1B, 0x45, 0, 0x1D, 0x21, 0, 0x1B, 0x74, 19]);
    b.extend_from_slice(b"\xD4\xD5\n");
    b.extend_from_slice(&[0x1B, 0x21, 0x08]);
    b.extend_from_slice(b"B\n");
    b.extend_from_slice(&[0x1D, 0x28, 0x6B, 4, 0, 49, 65, 50, 0]);
    b.extend_from_slice(&[0x1D, 0x28, 0x6B, 3, 0, 49, 69, 51]);
    b.extend_from_slice(&[0x1D, 0x28, 0x6B, 5, 0, 49, 80, 48, b'i', b'd']);
    b.extend_from_slice(&[0x1D, 0x28, 0x6B, 3, 0, 49, 81, 48]);
    b.extend_from_slice(&[0x1D, 0x56, 66, 0]);
    let d = decode(&b).unwrap();
    assert_eq!(d.texts(), vec!["Café €", "È€", "B"]);
    assert!(d.lines[0].bold && d.lines[0].align == Align::Center && d.lines[0].double_height);
    assert!(!d.lines[1].bold && d.lines[1].align == Align::Left && !d.lines[1].double_height);
    assert!(d.lines[2].bold);
    assert_eq!(
        d.pulses,
        vec![Pulse {
            pin: 0,
            on_ms: 50,
            off_ms: 500
        }]
    );
    assert_eq!(
        d.qrs,
        vec![Qr {
            payload: "id".into(),
            model: 2,
            module: 0,
            ecc: b'H',
            after_line: 3
        }]
    );
    assert_eq!(
        d.cuts,
        vec![Cut {
            partial: true,
            after_line: 3
        }]
    );
    assert_eq!(d.code_pages, vec![16, 19]);
    assert_eq!(d.plain(1, 10), "  Café €\n");
    // A 3-byte pulse (the escpos crate's) eats the next bytes: the decoder says so.
    assert!(decode(&[0x1B, 0x70, 0]).is_err());
    // Text without a page is PC437; Windows-1252 holes are refused.
    assert_eq!(decode(b"\x82\n").unwrap().texts(), vec!["é"]);
    assert!(decode(b"\x1bt\x10\x81\n").is_err());
    // Unknown commands and unterminated text are errors.
    assert!(decode(b"\x1b@\x1bZ").is_err());
    assert!(decode(b"abc").is_err());
    // A full cut is told apart from a partial one.
    assert!(!decode(&[0x1D, 0x56, 65, 0]).unwrap().cuts[0].partial);
    assert!(decode(&[0x1D, 0x56, 1]).unwrap().cuts[0].partial);
}
