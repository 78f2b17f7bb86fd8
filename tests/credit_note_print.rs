//! Discounts and credit notes on paper, end to end (issue 15): the real `kaching` binary sells
//! and refunds through the headless protocol with `printer.driver = tcp`; a TCP listener stands
//! in for the receipt printer (tests/common/escpos_decode.rs), and the bytes it receives are
//! decoded back into lines, styles and QR codes. Each printed ticket must equal the layout of
//! the sale the ledger holds (`receipt::render_ticket`) and carry the QR code of its sale id —
//! the one `sale_committed` / `refund_committed` named, and the one `refund <id>` takes back.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::escpos_decode::{self, Align, Decoded, Line, TestPrinter};
use kaching::domain::receipt::{ShopInfo, Ticket, TicketLanguage};
use kaching::domain::sale::{PaymentMethod, Sale, SaleKind};
use kaching::store::Ledger;
use serde_json::Value;

const JOB_WAIT: Duration = Duration::from_secs(20);
const SHOP_NAME: &str = "Épicerie Chez Loïc";

fn shop() -> ShopInfo {
    ShopInfo {
        name: SHOP_NAME.into(),
        address: "Rue de l'Église 5, 1000 Bruxelles".into(),
        vat_number: "BE0123.456.789".into(),
    }
}

/// `kaching` printing ESC/POS to `printer` at this width, code page and `printer.language`.
fn kaching_tcp(
    dir: &Path,
    printer: &TestPrinter,
    width: usize,
    codepage: &str,
    language: &str,
) -> Command {
    let shop = shop();
    let mut cmd = common::kaching(dir);
    cmd.env("KACHING_PRINTER__DRIVER", "tcp")
        .env("KACHING_PRINTER__TARGET", printer.addr())
        .env("KACHING_PRINTER__WIDTH", width.to_string())
        .env("KACHING_PRINTER__CODEPAGE", codepage)
        .env("KACHING_PRINTER__LANGUAGE", language)
        .env("KACHING_SHOP__NAME", shop.name)
        .env("KACHING_SHOP__ADDRESS", shop.address)
        .env("KACHING_SHOP__VAT_NUMBER", shop.vat_number)
        // A cashier sells here, on the real clock: the shop is open all day, so the test passes
        // at any hour (the default hours, 06:00-18:00, refused her after six in the evening).
        .env("KACHING_HOURS__OPEN", "00:00")
        .env("KACHING_HOURS__CLOSE", "24:00");
    cmd
}

fn sale_in(dir: &Path, id: &str) -> Sale {
    Ledger::open_in(dir).unwrap().sale(id).unwrap()
}

fn id_of(event: &Value) -> String {
    event["sale_id"].as_str().unwrap().to_owned()
}

/// The printed words, one space between each: a sentence wrapped over two lines reads as one,
/// and a label and its amount as `TOTAL -4,29 €`.
fn prose(d: &Decoded) -> String {
    d.lines
        .iter()
        .flat_map(|l| l.text.split_whitespace())
        .collect::<Vec<_>>()
        .join(" ")
}

fn line<'a>(d: &'a Decoded, text: &str) -> &'a Line {
    d.lines
        .iter()
        .find(|l| l.text == text)
        .unwrap_or_else(|| panic!("no line {text:?} in\n{}", d.texts().join("\n")))
}

fn has_line(d: &Decoded, text: &str) {
    line(d, text);
}

/// Three cafés (2,50 €) with 10 % off the line, a deodorant (4,00 €, 21 %), 0,50 € off the
/// basket (spread over both lines), paid 20,00 € in cash: `sale_committed`.
fn sell_with_discounts(till: &mut common::Till) -> Value {
    till.cmd("drawer open 50");
    for code in ["0000", "0000", "0000", "4821"] {
        till.cmd(&format!("scan {code}"));
    }
    till.cmd("discount 1 10%");
    till.cmd("discount basket 0,50");
    till.send("pay main cash 20");
    till.wait_for("sale_committed")
}

/// A cashier's sale with a line discount and a basket discount prints the price before each
/// discount, the discount and the new amount, and the total of the discounts; its QR code is the
/// sale id, which `refund <id>` takes back (the paper scanned); two of the three cafés are given
/// back in cash after a manager's approval, and the credit note says NOTE DE CRÉDIT, names
/// ticket 1 and its date, the reason and the manager, prints negative lines, totals and VAT,
/// the cash rounding and « Remboursé en espèces », and carries its own id in its QR code.
#[test]
fn a_discounted_sale_and_its_credit_note_print_as_laid_out_with_their_ids_in_qr_codes() {
    let dir = common::seeded_dir();
    let printer = TestPrinter::start();
    let mut till = common::Till::start_with(kaching_tcp(dir.path(), &printer, 42, "cp1252", "fr"));
    till.cmd("login 14 1414");
    let committed = sell_with_discounts(&mut till);
    let sale_id = id_of(&committed);
    assert_eq!(committed["discount_cents"], 125, "{committed}");
    assert_eq!(committed["paid_cents"], 1025, "{committed}");
    let sale_bytes = printer.expect_job(JOB_WAIT);
    let sold = escpos_decode::decode(&sale_bytes).unwrap();
    let scanned = sold
        .qr_data()
        .expect("one QR code on the ticket")
        .to_owned();
    assert_eq!(scanned, sale_id, "the ticket's QR code holds the sale id");

    // The QR code scanned off the paper finds the sale.
    let basket = till
        .cmd(&format!("refund {scanned}"))
        .into_iter()
        .find(|e| e["event"] == "refund_basket")
        .expect("refund_basket");
    assert_eq!(basket["original_sale_id"], sale_id.as_str());
    assert_eq!(basket["ticket_no"], 1);
    till.cmd("refund_qty 1 2");
    let asked = till.cmd("refund_commit cash le café était froid");
    assert!(
        asked.iter().any(|e| e["event"] == "approval_needed"),
        "a cashier's refund waits for a manager: {asked:?}"
    );
    till.send("approve 1 1111");
    let refunded = till.wait_for("refund_committed");
    let refund_id = id_of(&refunded);
    assert_eq!(refunded["original_sale_id"], sale_id.as_str());
    // 6,44 € paid for three cafés: two give back 4,29 €, 4,30 € in cash.
    assert_eq!(refunded["refunded_cents"], 430, "{refunded}");
    assert_eq!(refunded["rounding_cents"], -1, "{refunded}");
    assert_eq!(refunded["method"], "cash");
    let refund_bytes = printer.expect_job(JOB_WAIT);
    till.quit();
    assert!(printer.next_job(Duration::from_millis(300)).is_none());

    // The sale's ticket: exactly its layout, the QR code of its id, the drawer pulse.
    let sale = sale_in(dir.path(), &sale_id);
    let d = escpos_decode::assert_ticket(&sale_bytes, &sale, &shop(), 42, "cp1252", false);
    let texts = d.texts();
    let at = texts.iter().position(|l| l.starts_with("Café")).unwrap();
    assert_eq!(
        &texts[at..at + 8],
        &[
            "Café                         x3     7,50 €",
            "  à 2,50 €",
            "  Remise -1,06 €                    6,44 €",
            "Déodorant CienMEN            x1     4,00 €",
            "  Remise -0,19 €                    3,81 €",
            "------------------------------------------",
            "Total des remises                  -1,25 €",
            "TOTAL PAYÉ                         10,25 €",
        ],
        "{}",
        texts.join("\n")
    );
    assert!(line(&d, "TOTAL PAYÉ                         10,25 €").bold);
    assert!(
        texts.iter().any(|l| l.trim() == sale_id),
        "the id as text too"
    );

    // The credit note: its layout with the manager's name from the staff list.
    let note = sale_in(dir.path(), &refund_id);
    assert_eq!(note.kind, SaleKind::Refund);
    assert_eq!(note.approved_by.as_deref(), Some("1"));
    let ticket = Ticket::of(&note).approved_by(Some("ADMIN"));
    let d = escpos_decode::assert_printed(
        &refund_bytes,
        &ticket,
        &shop(),
        42,
        "cp1252",
        TicketLanguage::default(),
    );
    assert_eq!(d.qr_data(), Some(refund_id.as_str()));
    assert_ne!(refund_id, sale_id);
    // Cash went out of the drawer: the pulse opens it.
    assert_eq!(d.pulses.len(), 1, "{:?}", d.pulses);
    let title = line(&d, "NOTE DE CRÉDIT");
    assert!(
        title.bold && title.double_height && title.align == Align::Center,
        "{title:?}"
    );
    let sold_at = sale
        .paid_at
        .with_timezone(&chrono_tz::Europe::Brussels)
        .format("%d/%m/%Y %H:%M")
        .to_string();
    let text = prose(&d);
    for needle in [
        format!("Se rapporte au ticket n° 1 du {sold_at}"),
        "Ticket : 2".into(),
        "Motif : le café était froid".into(),
        "Accord : ADMIN (1)".into(),
        "Vendeur: Khadija".into(),
    ] {
        assert!(text.contains(&needle), "{needle:?} missing from\n{text}");
    }
    for l in [
        "Café                        x-2    -5,00 €",
        "  Remise 0,71 €                    -4,29 €",
        "Total des remises                   0,71 €",
        "TOTAL                              -4,29 €",
        "  6 %                      -4,05   -0,24 €",
        " Arrondi                           -0,01 €",
        " Remboursé en espèces              -4,30 €",
    ] {
        has_line(&d, l);
    }
    assert!(line(&d, "TOTAL                              -4,29 €").bold);
    for absent in [
        "Rendu",
        "Espèces reçues",
        "TOTAL PAYÉ",
        "Paiement",
        "Déodorant",
    ] {
        assert!(
            !text.contains(absent),
            "{absent:?} on the credit note:\n{text}"
        );
    }
}

/// `printer.language = fr+nl`: the credit note's title in both languages, each bold and double
/// height, the reference to the original in both, and the sale's discount as Remise/Korting;
/// the whole equal to the layout, on 32 columns in PC858.
#[test]
fn a_french_and_dutch_credit_note_says_note_de_credit_and_creditnota() {
    let dir = common::seeded_dir();
    let printer = TestPrinter::start();
    let mut till =
        common::Till::start_with(kaching_tcp(dir.path(), &printer, 32, "pc858", "fr+nl"));
    let lang = TicketLanguage::parse("fr+nl").unwrap();
    // An admin approves their own refund.
    till.cmd("login 1 1111");
    till.cmd("scan 4821");
    till.cmd("discount 1 10%");
    till.send("pay main cash 5");
    let sale_id = id_of(&till.wait_for("sale_committed"));
    let sale_bytes = printer.expect_job(JOB_WAIT);
    till.cmd("refund 1");
    till.cmd("refund_qty 1 1");
    till.send("refund_commit cash abîmé");
    let refunded = till.wait_for("refund_committed");
    let refund_id = id_of(&refunded);
    assert_eq!(refunded["refunded_cents"], 360);
    let refund_bytes = printer.expect_job(JOB_WAIT);
    till.quit();

    let sale = sale_in(dir.path(), &sale_id);
    let d = escpos_decode::assert_ticket_in(&sale_bytes, &sale, &shop(), 32, "pc858", false, lang);
    assert_eq!(d.qr_data(), Some(sale_id.as_str()));
    has_line(&d, "Déodorant          x1     4,00 €");
    has_line(&d, "  Remise/Korting -0,40 €  3,60 €");
    has_line(&d, "Total des remises        -0,40 €");
    has_line(&d, "Totaal kortingen");

    let note = sale_in(dir.path(), &refund_id);
    let ticket = Ticket::of(&note).approved_by(Some("ADMIN"));
    let d = escpos_decode::assert_printed(&refund_bytes, &ticket, &shop(), 32, "pc858", lang);
    assert_eq!(d.qr_data(), Some(refund_id.as_str()));
    let titles: Vec<&Line> = d
        .lines
        .iter()
        .filter(|l| l.double_height && l.text != SHOP_NAME)
        .collect();
    assert_eq!(
        titles.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(),
        ["NOTE DE CRÉDIT", "CREDITNOTA"]
    );
    assert!(titles.iter().all(|l| l.bold && l.align == Align::Center));
    let text = prose(&d);
    let sold_at = sale
        .paid_at
        .with_timezone(&chrono_tz::Europe::Brussels)
        .format("%d/%m/%Y %H:%M")
        .to_string();
    for needle in [
        format!("Se rapporte au ticket n° 1 du {sold_at}"),
        format!("Betreft ticket nr. 1 van {sold_at}"),
        "Motif/Reden: abîmé".into(),
        "Accord/Akkoord: ADMIN (1)".into(),
        "TOTAL / TOTAAL -3,60 €".into(),
        "Remboursé en espèces -3,60 € Terugbetaald in contanten".into(),
    ] {
        assert!(text.contains(&needle), "{needle:?} missing from\n{text}");
    }
    // The PC858 bytes of the accented title: no UTF-8 on the wire.
    assert!(
        refund_bytes
            .windows(6)
            .any(|w| w == [b'C', b'R', 0x90, b'D', b'I', b'T'])
    );
}

/// A printer that takes text (the preview files, a CUPS text queue) draws no QR code: the sale
/// id stands under the seal as text, cut after a hyphen on 32 columns, and typed back it finds
/// the sale.
#[test]
fn a_text_ticket_carries_the_sale_id_under_the_seal() {
    let dir = common::seeded_dir();
    let mut cmd = common::kaching(dir.path());
    // The file driver (the preview); the till's own payment server for the QR payment.
    cmd.env("KACHING_PRINTER__WIDTH", "32")
        .env("KACHING_PAYMENT__LAN_BIND", "127.0.0.1:0");
    let mut till = common::Till::start_with(cmd);
    till.cmd("login 1 1111");
    till.cmd("scan 0000");
    till.send("pay main qr");
    let pending = till.wait_for("payment_pending");
    assert_eq!(pending["amount_cents"], 250);
    let (_, _) = common::phone_confirms(pending["pay_url"].as_str().unwrap());
    till.wait_for("payment_accepted");
    till.send("accept");
    let sale_id = id_of(&till.wait_for("sale_committed"));
    let path = dir.path().join("tickets/till-1-000001.txt");
    let text = wait_for_file(&path);
    let tail: Vec<&str> = text.lines().rev().take(3).collect();
    assert!(tail[2].trim().starts_with("Sceau "), "{text}");
    assert_eq!(
        format!("{}{}", tail[1].trim(), tail[0].trim()),
        sale_id,
        "{text}"
    );

    // Typed back from the paper, it finds the sale; given back in cash (the demo's payment
    // provider cannot refund: Payconiq's refunds are tests/payconiq.rs's).
    let typed = format!("{}{}", tail[1].trim(), tail[0].trim());
    let basket = till
        .cmd(&format!("refund {typed}"))
        .into_iter()
        .find(|e| e["event"] == "refund_basket")
        .expect("refund_basket");
    assert_eq!(basket["original_sale_id"], sale_id.as_str());
    till.cmd("refund_qty 1 1");
    till.send("refund_commit cash erreur de caisse");
    let refunded = till.wait_for("refund_committed");
    assert_eq!(refunded["method"], "cash", "{refunded}");
    let refund_id = id_of(&refunded);
    let note = wait_for_file(&dir.path().join("tickets/till-1-000002.txt"));
    till.quit();
    for needle in [
        "NOTE DE CRÉDIT",
        "Se rapporte au ticket n° 1 du",
        "\n Remboursé en espèces    -2,50 €\n",
        "\nTOTAL                    -2,50 €\n",
    ] {
        assert!(note.contains(needle), "{needle:?} missing from\n{note}");
    }
    assert!(
        !note.contains("Arrondi") && !note.contains("Rendu"),
        "{note}"
    );
    assert!(note.replace([' ', '\n'], "").contains(&refund_id), "{note}");
    let sale = sale_in(dir.path(), &refund_id);
    assert_eq!(sale.method, PaymentMethod::Cash);
    assert_eq!(sale.original.map(|o| o.method), Some(PaymentMethod::Qr));
}

fn wait_for_file(path: &Path) -> String {
    let deadline = std::time::Instant::now() + JOB_WAIT;
    while !path.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The decoder's QR codes: the data stored for each code printed, the one code of a ticket,
/// and a module size the printer would refuse is an error.
#[test]
fn the_decoder_reads_the_data_of_a_printed_qr_code() {
    let qr = |module: u8, data: &[u8]| {
        let mut b = vec![0x1D, 0x28, 0x6B, 4, 0, 49, 65, 50, 0];
        b.extend_from_slice(&[0x1D, 0x28, 0x6B, 3, 0, 49, 67, module]);
        b.extend_from_slice(&[0x1D, 0x28, 0x6B, 3, 0, 49, 69, 49]);
        let len = u8::try_from(data.len() + 3).unwrap();
        b.extend_from_slice(&[0x1D, 0x28, 0x6B, len, 0, 49, 80, 48]);
        b.extend_from_slice(data);
        b.extend_from_slice(&[0x1D, 0x28, 0x6B, 3, 0, 49, 81, 48]);
        b
    };
    let id = b"01a25014-0df1-77cb-be8e-742ec8c1f37c";
    let d = escpos_decode::decode(&qr(6, id)).unwrap();
    assert_eq!(d.qr_data(), Some("01a25014-0df1-77cb-be8e-742ec8c1f37c"));
    assert_eq!(
        (d.qrs[0].model, d.qrs[0].module, d.qrs[0].ecc),
        (2, 6, b'M')
    );
    // Two codes: not a ticket's one code.
    let mut two = qr(6, b"a");
    two.extend_from_slice(&qr(6, b"b"));
    let d = escpos_decode::decode(&two).unwrap();
    assert_eq!(d.qr_data(), None);
    assert_eq!(d.qrs.len(), 2);
    assert!(escpos_decode::decode(b"").unwrap().qr_data().is_none());
    for module in [0, 17] {
        assert!(escpos_decode::decode(&qr(module, id)).is_err(), "{module}");
    }
    // The encoder's bytes read back the same.
    let mut p = kaching::devices::escpos::EscPos::new(kaching::devices::escpos::CodePage::Cp1252);
    p.qr("01a25014-0df1-77cb-be8e-742ec8c1f37c", 6);
    let d = escpos_decode::decode(&p.into_bytes()).unwrap();
    assert_eq!(d.qr_data(), Some("01a25014-0df1-77cb-be8e-742ec8c1f37c"));
}
