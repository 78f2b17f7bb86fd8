//! What the till prints for its cash drawer, besides tickets: the slip of each cash-in and
//! cash-out (ENTRÉE / SORTIE D'ESPÈCES: shop, till, session (Z) number, amount, reason, cashier,
//! date and time, a line to sign) and the X or Z report laid out for the receipt printer's
//! width. Both are a [`PrintDoc`]: the document a print job holds in the ledger's print queue
//! (its `doc` column, as JSON), written in the same transaction as the move or the Z it prints,
//! so a move recorded always gets its slip — after a SIGKILL or a power cut too.
//!
//! Pure: styled lines ([`TicketLine`], the same as a ticket's, so the same ESC/POS encoder and
//! text preview print them) in `printer.language` — one language or French and Dutch side by
//! side, like tickets. The report's rows ([`report_rows`]) carry the labels of the text report
//! (`drawer-r-*` in `locales/*/reports.ftl`) and are shared by the paper and the PDF
//! (src/domain/drawer_pdf.rs). The text report itself stays `DrawerReport::to_text_in`.
//!
//! Whether a slip's print opens the drawer is the printer's call, at print time, by the same
//! window as a cash ticket ([`PrintDoc::drawer_at`] gives the moment it is measured from); a
//! report never opens it.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::drawer::{DrawerReport, MoveKind};
use super::money::Money;
use super::receipt::{Layout, ShopInfo, Style, TicketLanguage, TicketLine, Words, header};

/// A cash-in or cash-out as its slip prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveSlip {
    pub till_id: String,
    /// The drawer session (the Z number to come).
    pub z_no: i64,
    /// The move's number in the ledger (`drawer_moves.seq`): unique on this till.
    pub move_no: i64,
    pub kind: MoveKind,
    pub amount_cents: Money,
    pub reason: String,
    pub staff_name: String,
    pub at: DateTime<Utc>,
}

/// A print job that is not a sale's ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(
    clippy::large_enum_variant,
    reason = "one document per print job, never held in bulk: boxing the report would change \
              every constructor for nothing"
)]
pub enum PrintDoc {
    /// The slip of a cash-in or cash-out (opens the drawer, within the window).
    Move(MoveSlip),
    /// An X (asked with `report x`) or the Z (at `drawer close`): never opens the drawer.
    Report(DrawerReport),
}

/// What a document is, as the `printed` / `print_failed` events name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    DrawerIn,
    DrawerOut,
    X,
    Z,
}

impl DocKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::DrawerIn => "drawer_in",
            DocKind::DrawerOut => "drawer_out",
            DocKind::X => "x",
            DocKind::Z => "z",
        }
    }
}

impl PrintDoc {
    pub fn kind(&self) -> DocKind {
        match self {
            PrintDoc::Move(m) => match m.kind {
                MoveKind::In => DocKind::DrawerIn,
                MoveKind::Out => DocKind::DrawerOut,
            },
            PrintDoc::Report(r) if r.kind == "z" => DocKind::Z,
            PrintDoc::Report(_) => DocKind::X,
        }
    }

    pub fn till_id(&self) -> &str {
        match self {
            PrintDoc::Move(m) => &m.till_id,
            PrintDoc::Report(r) => &r.till_id,
        }
    }

    /// The drawer session the document belongs to (the Z number).
    pub fn z_no(&self) -> i64 {
        match self {
            PrintDoc::Move(m) => m.z_no,
            PrintDoc::Report(r) => r.z_no,
        }
    }

    /// A slip's move number; `None` for a report.
    pub fn move_no(&self) -> Option<i64> {
        match self {
            PrintDoc::Move(m) => Some(m.move_no),
            PrintDoc::Report(_) => None,
        }
    }

    /// When the cash was moved, for a slip: the drawer opens only if the slip prints within
    /// `printer.drawer_window_secs` of it. `None`: a report, which never opens the drawer.
    pub fn drawer_at(&self) -> Option<DateTime<Utc>> {
        match self {
            PrintDoc::Move(m) => Some(m.at),
            PrintDoc::Report(_) => None,
        }
    }

    /// The preview file's name without `.txt`, never one of a ticket's (`till-1-000042`):
    /// `till-1-move-000017`, `till-1-z000003`, and `till-1-x000003-j58` (an X may be printed
    /// several times in a session: the job number tells them apart).
    pub fn file_stem(&self, job: i64) -> String {
        match self {
            PrintDoc::Move(m) => format!("{}-move-{:06}", m.till_id, m.move_no),
            PrintDoc::Report(r) if r.kind == "z" => format!("{}-z{:06}", r.till_id, r.z_no),
            PrintDoc::Report(r) => format!("{}-x{:06}-j{job}", r.till_id, r.z_no),
        }
    }

    /// The job's title for a print queue (CUPS).
    pub fn title(&self) -> String {
        match self {
            PrintDoc::Move(m) => format!(
                "kaching {} drawer {} {}",
                m.till_id,
                m.kind.as_str(),
                m.move_no
            ),
            PrintDoc::Report(r) => {
                format!("kaching {} {} {}", r.till_id, r.kind.to_uppercase(), r.z_no)
            }
        }
    }

    /// The print queue's form of the document.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }

    pub fn from_json(text: &str) -> Result<PrintDoc, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// One row of a printed X or Z: its label in each language, its value, and the block it
/// belongs to (a rule separates blocks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    pub labels: Vec<String>,
    pub value: String,
    /// The figures the cashier checks: printed in bold.
    pub strong: bool,
    pub block: u8,
}

/// An instant of a report (`2026-06-02T08:00:00.000Z`) as shop-local `02/06/2026 10:00`; the
/// text as it is if it is not one.
pub fn local_time(instant: &str, tz: Tz) -> String {
    DateTime::parse_from_rfc3339(instant)
        .map(|t| t.with_timezone(&tz).format("%d/%m/%Y %H:%M").to_string())
        .unwrap_or_else(|_| instant.to_owned())
}

/// The X or Z's figures with the text report's labels (`drawer-r-*`), in the order of
/// `DrawerReport::rows_in` (a row added there needs its twin here: paper adds each label in
/// every ticket language, bold lines and blocks): the session, the sales (credit notes and
/// discounts among them), the cash.
pub fn report_rows(r: &DrawerReport, tz: Tz, lang: TicketLanguage) -> Vec<ReportRow> {
    let words = Words(lang);
    let m = |c: i64| words.money(Money::from_cents(c));
    let row = |labels: Vec<String>, value: String, strong: bool, block: u8| ReportRow {
        labels,
        value,
        strong,
        block,
    };
    let plain = |id: &str, value: String, block: u8| row(words.all(id), value, false, block);
    let strong = |id: &str, value: String, block: u8| row(words.all(id), value, true, block);
    let mut rows = vec![
        plain("drawer-r-till", r.till_id.clone(), 0),
        plain("drawer-r-from", local_time(&r.opened_at, tz), 0),
        plain("drawer-r-until", local_time(&r.until, tz), 0),
        plain("drawer-r-cashiers", r.cashiers.join(", "), 0),
        plain("drawer-r-tickets", r.tickets.to_string(), 1),
        plain("drawer-r-voids", r.voids.to_string(), 1),
        plain("drawer-r-refunds", r.refunds.to_string(), 1),
        plain("drawer-r-discounts", r.discounts.to_string(), 1),
        strong("drawer-r-revenue", m(r.revenue_cents), 1),
    ];
    rows.extend(r.by_vat.iter().map(|v| {
        row(
            words.all_with("drawer-r-vat", &[("rate", i64::from(v.rate_pct).into())]),
            format!("{} / {}", m(v.gross_cents), m(v.vat_cents)),
            false,
            1,
        )
    }));
    let float = if r.float_counted {
        m(r.float_cents)
    } else {
        format!(
            "{} ({})",
            m(r.float_cents),
            words.all("drawer-r-not-counted").join("/")
        )
    };
    rows.extend([
        plain("drawer-r-discounts-total", m(r.discounts_cents), 1),
        plain("drawer-r-cash", m(r.cash_cents), 1),
        plain("drawer-r-qr", m(r.qr_cents), 1),
        plain("drawer-r-refunds-total", m(r.refunds_cents), 1),
    ]);
    if r.has_refunds() {
        rows.extend([
            plain("drawer-r-refunds-cash", m(r.refunds_cash_cents), 1),
            plain("drawer-r-refunds-qr", m(r.refunds_qr_cents), 1),
        ]);
    }
    rows.extend([
        plain("drawer-r-rounding", m(r.rounding_cents), 1),
        plain("drawer-r-float", float, 2),
        plain("drawer-r-in", m(r.cash_in_cents), 2),
        plain("drawer-r-out", m(-r.cash_out_cents), 2),
        plain("drawer-r-withdrawals", m(-r.withdrawals_cents), 2),
        strong("drawer-r-expected", m(r.expected_cents), 2),
    ]);
    if let (Some(c), Some(d)) = (r.counted_cents, r.difference_cents) {
        rows.push(strong("drawer-r-counted", m(c), 2));
        rows.push(strong("drawer-r-difference", m(d), 2));
    }
    rows
}

const BOLD: Style = Style {
    center: false,
    bold: true,
    tall: false,
};
const TITLE: Style = Style {
    center: true,
    bold: true,
    tall: true,
};

/// Lays out `doc` at `width` columns (clamped to 32..=64), times in `tz`, in `lang`: what the
/// ESC/POS encoder prints. [`render`] is the same as plain text.
pub fn layout(
    doc: &PrintDoc,
    shop: &ShopInfo,
    tz: Tz,
    width: usize,
    lang: TicketLanguage,
) -> Vec<TicketLine> {
    let words = Words(lang);
    let mut t = Layout::new(width);
    let (eq, dash) = ("=".repeat(t.width()), "-".repeat(t.width()));
    header(&mut t, shop, &words);
    t.push(&eq);
    match doc {
        PrintDoc::Move(m) => slip(&mut t, m, tz, &words),
        PrintDoc::Report(r) => report(&mut t, r, tz, &words, &dash),
    }
    t.push(&eq);
    t.into_lines()
}

fn slip(t: &mut Layout, m: &MoveSlip, tz: Tz, words: &Words) {
    let title = match m.kind {
        MoveKind::In => "slip-in",
        MoveKind::Out => "slip-out",
    };
    // One title line per language: each is a word the cashier looks for.
    for w in words.all(title) {
        t.centered(&w, TITLE);
    }
    let dash = "-".repeat(t.width());
    t.push(&dash);
    t.left_right(
        &format!(" {}", words.labelled("ticket-till", &m.till_id)),
        &words.labelled("slip-session", &m.z_no.to_string()),
        Style::PLAIN,
    );
    t.push(&format!(
        " {}",
        words.labelled("slip-move", &m.move_no.to_string())
    ));
    t.push(&format!(
        " {}",
        words.labelled(
            "ticket-date",
            &m.at
                .with_timezone(&tz)
                .format("%d/%m/%Y %H:%M:%S")
                .to_string()
        )
    ));
    t.push(&format!(
        " {}",
        words.labelled("slip-cashier", &m.staff_name)
    ));
    t.push(&dash);
    t.labels_right(
        &words
            .all("slip-amount")
            .into_iter()
            .map(|w| format!(" {w}"))
            .collect::<Vec<_>>(),
        &words.money(m.amount_cents),
        TITLE_LEFT,
    );
    t.push(&format!(" {}", words.labelled("slip-reason", &m.reason)));
    t.push(&dash);
    t.push(&format!(" {} :", words.all("slip-signature").join("/")));
    t.push("");
    t.push("");
    t.push(&format!(" {}", ".".repeat(t.width().saturating_sub(2))));
}

/// The amount of a slip: bold and double height, flush left and right.
const TITLE_LEFT: Style = Style {
    center: false,
    bold: true,
    tall: true,
};

fn report(t: &mut Layout, r: &DrawerReport, tz: Tz, words: &Words, dash: &str) {
    if r.kind == "z" {
        for w in words.all_with("slip-z-title", &[("no", r.z_no.into())]) {
            t.centered(&w, TITLE);
        }
    } else {
        for w in words.all("slip-x-title") {
            t.centered(&w, TITLE);
        }
        for w in words.all_with("slip-x-session", &[("no", r.z_no.into())]) {
            t.centered(&w, Style::CENTER);
        }
    }
    let mut block = None;
    for row in report_rows(r, tz, words.0) {
        if block != Some(row.block) {
            t.push(dash);
            block = Some(row.block);
        }
        let labels: Vec<String> = row.labels.iter().map(|l| format!(" {l}")).collect();
        t.labels_right(
            &labels,
            &row.value,
            if row.strong { BOLD } else { Style::PLAIN },
        );
    }
}

/// `doc` as plain text (the file driver's preview and a CUPS text queue): one `\n`-terminated
/// line per [`layout`] line, centred lines padded with spaces.
pub fn render(
    doc: &PrintDoc,
    shop: &ShopInfo,
    tz: Tz,
    width: usize,
    lang: TicketLanguage,
) -> String {
    let w = width.clamp(super::receipt::MIN_WIDTH, super::receipt::MAX_WIDTH);
    let mut text = String::new();
    for line in layout(doc, shop, tz, width, lang) {
        text.push_str(&line.plain(w));
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::drawer::VatLine;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn shop() -> ShopInfo {
        ShopInfo {
            name: "Épicerie du Parvis".into(),
            address: "Parvis de Saint-Gilles 1, 1060 Bruxelles".into(),
            vat_number: "BE0123456789".into(),
        }
    }

    fn slip_out() -> PrintDoc {
        PrintDoc::Move(MoveSlip {
            till_id: "till-1".into(),
            z_no: 3,
            move_no: 17,
            kind: MoveKind::Out,
            amount_cents: Money::from_cents(10000),
            reason: "banque".into(),
            staff_name: "Khadija".into(),
            at: at("2026-06-02T08:15:30Z"),
        })
    }

    fn z() -> DrawerReport {
        DrawerReport {
            kind: "z".into(),
            till_id: "till-1".into(),
            z_no: 3,
            opened_at: "2026-06-02T05:00:00.000Z".into(),
            until: "2026-06-02T16:00:00.000Z".into(),
            cashiers: vec!["Khadija".into(), "Marie".into()],
            tickets: 12,
            voids: 2,
            revenue_cents: 12345,
            by_vat: vec![
                VatLine {
                    rate_pct: 6,
                    gross_cents: 10000,
                    vat_cents: 566,
                    ..Default::default()
                },
                VatLine {
                    rate_pct: 21,
                    gross_cents: 2345,
                    vat_cents: 407,
                    ..Default::default()
                },
            ],
            cash_cents: 9000,
            qr_cents: 3345,
            rounding_cents: -2,
            float_cents: 15000,
            float_counted: true,
            cash_in_cents: 2000,
            cash_out_cents: 10000,
            withdrawals_cents: 1500,
            expected_cents: 14500,
            counted_cents: Some(14490),
            difference_cents: Some(-10),
            ..Default::default()
        }
    }

    const TZ: Tz = chrono_tz::Europe::Brussels;

    #[test]
    fn a_cash_out_slip_says_what_left_the_drawer_who_took_it_and_why() {
        let text = render(&slip_out(), &shop(), TZ, 42, TicketLanguage::default());
        for needle in [
            "Épicerie du Parvis",
            "SORTIE D'ESPÈCES",
            " Caisse : till-1",
            "Session (Z) : 3",
            " Mouvement : 17",
            " Date : 02/06/2026 10:15:30",
            " Caissier : Khadija",
            "100,00 €",
            " Motif : banque",
            " Signature :",
        ] {
            assert!(text.contains(needle), "{needle:?} not in\n{text}");
        }
        assert!(text.lines().all(|l| l.chars().count() <= 42), "{text}");
        let amount = text.lines().find(|l| l.contains("100,00 €")).unwrap();
        assert!(
            amount.starts_with(" MONTANT") && amount.ends_with("100,00 €"),
            "{amount:?}"
        );
        assert_eq!(amount.chars().count(), 42);
        // The amount is the line the eye finds: bold and tall.
        let lines = layout(&slip_out(), &shop(), TZ, 42, TicketLanguage::default());
        let l = lines.iter().find(|l| l.text.contains("100,00")).unwrap();
        assert!(l.style.bold && l.style.tall);
    }

    #[test]
    fn a_slip_speaks_the_printers_language_and_both_side_by_side() {
        let both = TicketLanguage::parse("fr+nl").unwrap();
        let text = render(&slip_out(), &shop(), TZ, 42, both);
        for needle in [
            "SORTIE D'ESPÈCES",
            "CONTANT UIT KASSA",
            "Caisse/Kassa: till-1",
            "Caissier/Kassier: Khadija",
            "Motif/Reden: banque",
            "MONTANT / BEDRAG",
        ] {
            assert!(text.contains(needle), "{needle:?} not in\n{text}");
        }
        let en = render(
            &slip_out(),
            &shop(),
            TZ,
            32,
            TicketLanguage::parse("en").unwrap(),
        );
        assert!(en.contains("CASH OUT") && en.contains("€100.00"), "{en}");
        assert!(en.lines().all(|l| l.chars().count() <= 32), "{en}");
        let mut inn = slip_out();
        if let PrintDoc::Move(m) = &mut inn {
            m.kind = MoveKind::In;
        }
        let nl = render(&inn, &shop(), TZ, 42, TicketLanguage::parse("nl").unwrap());
        assert!(nl.contains("CONTANT IN KASSA") && nl.contains("Reden: banque"));
    }

    #[test]
    fn a_printed_z_has_the_text_reports_labels_and_figures_within_the_width() {
        for width in [32, 42, 48] {
            let doc = PrintDoc::Report(z());
            let text = render(&doc, &shop(), TZ, width, TicketLanguage::default());
            assert!(
                text.lines().all(|l| l.chars().count() <= width),
                "{width}:\n{text}"
            );
            for needle in [
                "RAPPORT Z n° 3",
                "Ouvert le",
                "02/06/2026 07:00",
                "02/06/2026 18:00",
                "Khadija, Marie",
                "123,45 €",
                "TVA 6 % (TTC / TVA)",
                "100,00 € / 5,66 €",
                "Espèces attendues",
                "145,00 €",
                "Espèces comptées",
                "144,90 €",
                "Différence",
                "-0,10 €",
                "Sorties d'espèces",
                "-100,00 €",
            ] {
                assert!(text.contains(needle), "{width}: {needle:?} not in\n{text}");
            }
        }
        // Every label of the text report is on paper (they share the catalogue).
        let text = z().to_text_in(crate::i18n::Lang::Fr, "K");
        let paper = render(
            &PrintDoc::Report(z()),
            &shop(),
            TZ,
            48,
            TicketLanguage::default(),
        );
        for line in text.lines().skip(1) {
            let label = line.get(..28).unwrap_or(line).trim();
            assert!(paper.contains(label), "{label:?} not on paper:\n{paper}");
        }
        let mut x = z();
        x.kind = "x".into();
        x.counted_cents = None;
        x.difference_cents = None;
        x.float_counted = false;
        let both = render(
            &PrintDoc::Report(x),
            &shop(),
            TZ,
            42,
            TicketLanguage::parse("fr+nl").unwrap(),
        );
        for needle in [
            "RAPPORT X",
            "X-RAPPORT",
            "session 3 en cours",
            "sessie 3 loopt",
            "Espèces attendues",
            "Verwacht contant",
            "(non compté/niet geteld)",
        ] {
            assert!(both.contains(needle), "{needle:?} not in\n{both}");
        }
        assert!(!both.contains("Différence"), "an X has no count:\n{both}");
    }

    #[test]
    fn a_printed_z_with_credit_notes_and_discounts_has_the_rows_of_the_text_report() {
        let mut z = z();
        z.refunds = 2;
        z.discounts = 1;
        z.discounts_cents = 352;
        z.refunds_cents = -605;
        z.refunds_cash_cents = -205;
        z.refunds_qr_cents = -400;
        // The text report's rows and paper's are twins: same labels, same values, same order.
        let text_rows = z.rows_in(crate::i18n::Lang::Fr);
        let paper_rows = report_rows(&z, TZ, TicketLanguage::default());
        assert_eq!(
            text_rows.iter().map(|(l, _)| l.clone()).collect::<Vec<_>>(),
            paper_rows
                .iter()
                .map(|r| r.labels.join("/"))
                .collect::<Vec<_>>()
        );
        let both = render(
            &PrintDoc::Report(z.clone()),
            &shop(),
            TZ,
            42,
            TicketLanguage::parse("fr+nl").unwrap(),
        );
        assert!(both.lines().all(|l| l.chars().count() <= 42), "{both}");
        for needle in [
            "Notes de crédit",
            "Creditnota's",
            "Ventes avec remise",
            "3,52 €",
            "Remboursé en espèces",
            "Contant terugbetaald",
            "-2,05 €",
            "Remboursé par QR",
            "-4,00 €",
            "-6,05 €",
        ] {
            assert!(both.contains(needle), "{needle:?} not in\n{both}");
        }
    }

    #[test]
    fn documents_name_themselves_apart_from_tickets() {
        let z = PrintDoc::Report(z());
        assert_eq!(z.kind(), DocKind::Z);
        assert_eq!(z.file_stem(9), "till-1-z000003");
        assert_eq!(z.drawer_at(), None);
        let mut x = z.clone();
        if let PrintDoc::Report(r) = &mut x {
            r.kind = "x".into();
        }
        assert_eq!(x.kind(), DocKind::X);
        assert_eq!(x.file_stem(9), "till-1-x000003-j9");
        let s = slip_out();
        assert_eq!(s.kind().as_str(), "drawer_out");
        assert_eq!(s.file_stem(9), "till-1-move-000017");
        assert_eq!(s.drawer_at(), Some(at("2026-06-02T08:15:30Z")));
        assert_eq!((s.z_no(), s.move_no()), (3, Some(17)));
        // The queue's JSON reads back as the same document.
        for d in [z, x, s] {
            assert_eq!(PrintDoc::from_json(&d.to_json().unwrap()).unwrap(), d);
        }
    }
}
