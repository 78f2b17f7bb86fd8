//! The day report as a PDF (the admin's « TÉLÉCHARGER » in PDF): the same content as the text
//! report — shop, day, every line with its time, seller, product, quantity and amount,
//! withdrawals flagged (in red) and outside the total, credit notes' lines flagged (in blue) and
//! counted apart inside the net, SOLDE CAISSE, discounts, totals per seller and per VAT rate —
//! on A4 pages, numbered, as many as the day needs (line numbers continue from page
//! to page), in French, Dutch or English (the words of `reports.ftl`). Pure: returns the bytes,
//! does no IO.
//!
//! Fonts: the base-14 Courier and Courier-Bold (every PDF reader has them, nothing is embedded)
//! with WinAnsiEncoding; text is encoded with Windows-1252 so `€`, `é`, `à` come out right. A
//! character the encoding lacks becomes `?` (never a wrong glyph, never an error).

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::basket::LineKind;
use super::report::{DayReport, Journal, TotalKind, line_product, local_date, vat_table};
use crate::i18n::{Lang, money, t};

/// A4 in points.
const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 40.0;
const FONT_SIZE: f32 = 9.0;
const TITLE_SIZE: f32 = 12.0;
const LEADING: f32 = 11.5;
/// Rows of body text a page holds below its header (title, page line, column header, rule).
const HEADER_ROWS: usize = 4;
/// The body rows one page of the day report holds.
pub const ROWS_PER_PAGE: usize = ((PAGE_H - 2.0 * MARGIN) / LEADING) as usize - HEADER_ROWS;

const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Normal,
    Bold,
    /// A withdrawal line: red, like the old till's screen.
    Withdrawal,
    /// A credit note's line and the credit notes' total: blue, apart from the withdrawals' red.
    Refund,
}

impl Style {
    /// The fill colour (RGB) the row is drawn in.
    fn colour(self) -> (f32, f32, f32) {
        match self {
            Style::Withdrawal => (0.8, 0.0, 0.0),
            Style::Refund => REFUND_BLUE,
            Style::Normal | Style::Bold => (0.0, 0.0, 0.0),
        }
    }
}

/// The colour of a credit note's rows.
const REFUND_BLUE: (f32, f32, f32) = (0.0, 0.3, 0.75);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    text: String,
    style: Style,
}

fn row(text: impl Into<String>, style: Style) -> Row {
    Row {
        text: text.into(),
        style,
    }
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// One table row: number, time, seller, product, quantity, amount (86 columns of Courier).
fn table_row(no: &str, time: &str, seller: &str, product: &str, qty: &str, amount: &str) -> String {
    format!(
        "{:>5}  {:<8}  {:<14} {:<34} {:>5} {:>13}",
        no,
        truncate(time, 8),
        truncate(seller, 14),
        truncate(product, 34),
        qty,
        amount
    )
}

const TABLE_WIDTH: usize = 86;

/// The body of the report, one entry per printed row, before pagination: the lines (credit
/// notes' in blue, withdrawals in red), then the totals, the sellers and the VAT table of the
/// text report (the same rows, [`DayReport::total_rows`], `seller_rows`, `vat_table`).
fn rows(lang: Lang, report: &DayReport) -> Vec<Row> {
    let tr = |id: &str| t(lang, id, &[]);
    let (withdrawal, refund) = (tr("report-withdrawal-mark"), tr("report-refund-mark"));
    let mut out = Vec::with_capacity(report.lines.len() + 20);
    for (i, l) in report.lines.iter().enumerate() {
        let style = match (l.kind, l.refund) {
            (LineKind::Withdrawal, _) => Style::Withdrawal,
            (LineKind::Item, true) => Style::Refund,
            (LineKind::Item, false) => Style::Normal,
        };
        out.push(row(
            table_row(
                &(i + 1).to_string(),
                &l.time,
                &l.seller,
                &line_product(l, &withdrawal, &refund, 34),
                &format!("x{}", l.qty),
                &money(lang, l.total_cents),
            ),
            style,
        ));
    }
    if report.lines.is_empty() {
        out.push(row(format!("  {}", tr("report-no-sales")), Style::Normal));
    }
    out.push(row("-".repeat(TABLE_WIDTH), Style::Normal));
    for r in report.total_rows(lang) {
        let style = match r.kind {
            TotalKind::Plain => Style::Normal,
            TotalKind::Balance => Style::Bold,
            TotalKind::Withdrawal => Style::Withdrawal,
            TotalKind::Refund => Style::Refund,
        };
        out.push(row(r.text, style));
    }
    out.push(row("", Style::Normal));
    out.push(row(tr("report-by-seller"), Style::Bold));
    for r in report.seller_rows(lang) {
        out.push(row(r, Style::Normal));
    }
    out.push(row("", Style::Normal));
    let refunds = report.refunds > 0 || !report.refund_cents.is_zero();
    let discounts = report.discounts > 0 || !report.discount_cents.is_zero();
    for (i, r) in vat_table(lang, &report.by_vat, refunds, discounts)
        .into_iter()
        .enumerate()
    {
        out.push(row(r, if i == 0 { Style::Bold } else { Style::Normal }));
    }
    out
}

/// `s` in Windows-1252 (WinAnsiEncoding): one byte per character, `?` for what it lacks.
pub fn win_ansi(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut buf = [0u8; 4];
    for c in s.chars() {
        if c.is_control() {
            out.push(b'?');
            continue;
        }
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
        match bytes.as_ref() {
            [b] if !unmappable => out.push(*b),
            _ => out.push(b'?'),
        }
    }
    out
}

/// The day report as a PDF document, in French. See [`day_report_pdf_in`].
pub fn day_report_pdf(report: &DayReport, shop_name: &str) -> Vec<u8> {
    day_report_pdf_in(Lang::Fr, report, shop_name)
}

/// The day report as a PDF document in `lang`.
pub fn day_report_pdf_in(lang: Lang, report: &DayReport, shop_name: &str) -> Vec<u8> {
    let tr = |id: &str| t(lang, id, &[]);
    let title = t(
        lang,
        "report-day-title",
        &[
            ("shop", shop_name.into()),
            ("day", local_date(lang, report.day).into()),
        ],
    );
    let columns = table_row(
        &tr("report-col-no"),
        &tr("report-col-time"),
        &tr("report-col-seller"),
        &tr("report-col-product"),
        &tr("report-col-qty"),
        &tr("report-col-amount"),
    );
    document(
        lang,
        PORTRAIT,
        &title,
        &columns,
        report.lines.len().max(1),
        &rows(lang, report),
    )
}

/// The journal des recettes as a PDF document in `lang`: the text journal's table (its column
/// header repeated on every page that still holds days), its total in bold, and in a period with
/// credit notes or discounts the table per VAT rate — on A4 landscape pages, its widest form
/// (about 130 columns) in Courier 7,5 pt.
pub fn journal_pdf_in(lang: Lang, journal: &Journal, shop_name: &str) -> Vec<u8> {
    let mut table = journal.table_rows(lang).into_iter();
    let columns = table.next().unwrap_or_default();
    let mut body: Vec<Row> = table.map(|r| row(r, Style::Normal)).collect();
    if let Some(total) = body.last_mut() {
        total.style = Style::Bold;
    }
    let days = body.len();
    let vat = journal.vat_rows(lang);
    if !vat.is_empty() {
        body.push(row("", Style::Normal));
        for (i, r) in vat.into_iter().enumerate() {
            body.push(row(r, if i == 0 { Style::Bold } else { Style::Normal }));
        }
    }
    document(
        lang,
        LANDSCAPE,
        &journal.title_in(lang, shop_name),
        &columns,
        days,
        &body,
    )
}

/// A page's size and its text's.
#[derive(Debug, Clone, Copy)]
struct Sheet {
    width: f32,
    height: f32,
    font_size: f32,
    leading: f32,
}

const PORTRAIT: Sheet = Sheet {
    width: PAGE_W,
    height: PAGE_H,
    font_size: FONT_SIZE,
    leading: LEADING,
};

/// A4 across, for the journal's many columns: 169 columns of Courier 7,5 pt (4,5 pt a
/// character) fit between the margins.
const LANDSCAPE: Sheet = Sheet {
    width: PAGE_H,
    height: PAGE_W,
    font_size: 7.5,
    leading: 10.0,
};

impl Sheet {
    /// The body rows one page holds.
    fn rows_per_page(self) -> usize {
        (((self.height - 2.0 * MARGIN) / self.leading) as usize).saturating_sub(HEADER_ROWS)
    }
}

/// `body` on numbered pages of `sheet` under `title`; the column header `columns` is repeated
/// on every page that still holds one of the first `table_rows` rows (the table's).
fn document(
    lang: Lang,
    sheet: Sheet,
    title: &str,
    columns: &str,
    table_rows: usize,
    body: &[Row],
) -> Vec<u8> {
    let pages: Vec<&[Row]> = body.chunks(sheet.rows_per_page().max(1)).collect();
    let page_count = pages.len();

    let catalog_id = Ref::new(1);
    let tree_id = Ref::new(2);
    let regular_id = Ref::new(3);
    let bold_id = Ref::new(4);
    let info_id = Ref::new(5);
    let first_page = 6;
    let page_ref =
        |i: usize, k: i32| Ref::new(first_page + 2 * i32::try_from(i).unwrap_or(i32::MAX / 4) + k);

    let mut pdf = Pdf::new();
    pdf.catalog(catalog_id).pages(tree_id);
    pdf.pages(tree_id)
        .kids((0..page_count).map(|i| page_ref(i, 0)))
        .count(i32::try_from(page_count).unwrap_or(i32::MAX));
    pdf.type1_font(regular_id)
        .base_font(Name(b"Courier"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold_id)
        .base_font(Name(b"Courier-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info_id)
        .title(TextStr(title))
        .producer(TextStr("KACHING"));

    let mut row_index = 0usize;
    for (i, page_rows) in pages.iter().enumerate() {
        let (page_id, content_id) = (page_ref(i, 0), page_ref(i, 1));
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, sheet.width, sheet.height));
        page.parent(tree_id);
        page.contents(content_id);
        {
            let mut resources = page.resources();
            let mut fonts = resources.fonts();
            fonts.pair(REGULAR, regular_id);
            fonts.pair(BOLD, bold_id);
        }
        page.finish();

        let mut c = Content::new();
        let mut y = sheet.height - MARGIN - TITLE_SIZE;
        let line = |c: &mut Content, y: f32, font: Name, size: f32, text: &str| {
            c.begin_text();
            c.set_font(font, size);
            c.next_line(MARGIN, y);
            c.show(Str(&win_ansi(text)));
            c.end_text();
        };
        line(&mut c, y, BOLD, TITLE_SIZE, title);
        y -= sheet.leading * 1.5;
        line(
            &mut c,
            y,
            REGULAR,
            sheet.font_size,
            &t(
                lang,
                "report-page",
                &[
                    ("page", (i + 1).to_string().into()),
                    ("pages", page_count.to_string().into()),
                ],
            ),
        );
        y -= sheet.leading;
        if row_index < table_rows {
            line(&mut c, y, BOLD, sheet.font_size, columns);
        }
        y -= sheet.leading * 1.5;
        for r in page_rows.iter() {
            let (red, green, blue) = r.style.colour();
            c.set_fill_rgb(red, green, blue);
            let font = if r.style == Style::Bold {
                BOLD
            } else {
                REGULAR
            };
            line(&mut c, y, font, sheet.font_size, &r.text);
            y -= sheet.leading;
            row_index += 1;
        }
        pdf.stream(content_id, &c.finish());
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::report::ReportLine;
    use crate::domain::{Money, VatRate};
    use crate::i18n::Lang;

    fn line(n: i64, kind: LineKind) -> ReportLine {
        ReportLine {
            time: "15:23:54".into(),
            till_id: "till-1".into(),
            ticket_no: n,
            seller: "Khadija".into(),
            product: "Café".into(),
            qty: 1,
            kind,
            total_cents: Money::from_cents(250),
            vat_rate: (kind == LineKind::Item).then_some(VatRate::Six),
            discount_cents: Money::ZERO,
            refund: false,
        }
    }

    /// Whether the PDF shows `needle`: pdf-writer writes a string as `(text)`, or in hex when
    /// it holds bytes beyond ASCII (`€`, `é`).
    fn shows(pdf: &[u8], needle: &str) -> bool {
        let text = String::from_utf8_lossy(pdf);
        let hex: String = win_ansi(needle)
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect();
        text.contains(needle) || text.contains(&hex)
    }

    #[test]
    fn the_pdf_speaks_the_language_it_is_asked_for() {
        let day = NaiveDate::from_ymd_opt(2026, 5, 31).unwrap();
        let report = DayReport::build(
            day,
            vec![line(1, LineKind::Item), line(1, LineKind::Withdrawal)],
        );
        let nl = day_report_pdf_in(Lang::Nl, &report, "K");
        for needle in [
            "K — DAGRAPPORT VAN 31/05/2026",
            "KASSALDO: 2,50 €",
            "Kastickets: 1",
            "1 kasticket",
            "Pagina 1/1",
            "[geldopname]",
            "VERKOPER",
        ] {
            assert!(shows(&nl, needle), "{needle} not in the Dutch PDF");
        }
        assert!(!shows(&nl, "SOLDE CAISSE"));
        let en = day_report_pdf_in(Lang::En, &report, "K");
        for needle in [
            "K — DAY REPORT FOR 31/05/2026",
            "TILL BALANCE: €2.50",
            "€2.50",
        ] {
            assert!(shows(&en, needle), "{needle} not in the English PDF");
        }
        assert!(!shows(&en, "2,50 €"));
        let fr = day_report_pdf(&report, "K");
        assert!(shows(&fr, "SOLDE CAISSE : 2,50 €"));
        assert!(shows(&fr, "K — RAPPORT DU 31/05/2026"));
        assert_eq!(fr, day_report_pdf_in(Lang::Fr, &report, "K"));
    }

    #[test]
    fn text_is_windows_1252_with_question_marks_for_the_rest() {
        assert_eq!(win_ansi("é€à"), vec![0xE9, 0x80, 0xE0]);
        assert_eq!(win_ansi("a✓b\n"), b"a?b?".to_vec());
        assert_eq!(win_ansi("漢"), b"?".to_vec());
    }

    #[test]
    fn a_long_day_takes_several_pages_and_withdrawals_are_red() {
        let day = NaiveDate::from_ymd_opt(2026, 5, 31).unwrap();
        let mut lines: Vec<ReportLine> = (1..=300).map(|n| line(n, LineKind::Item)).collect();
        lines.push(line(301, LineKind::Withdrawal));
        let report = DayReport::build(day, lines);
        let pdf = day_report_pdf(&report, "KACHING");
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        let expected = rows(Lang::Fr, &report).len().div_ceil(ROWS_PER_PAGE);
        assert!(expected >= 5);
        assert_eq!(text.matches("/MediaBox").count(), expected);
        assert!(text.contains("0.8 0 0 rg"), "withdrawal drawn in red");
        assert!(text.contains("/WinAnsiEncoding"));
    }

    #[test]
    fn credit_notes_are_blue_and_their_totals_and_discounts_are_on_the_pdf() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let mut refund = line(2, LineKind::Item);
        refund.qty = -1;
        refund.total_cents = Money::from_cents(-203);
        refund.discount_cents = Money::from_cents(-47);
        refund.refund = true;
        let mut sale = line(1, LineKind::Item);
        sale.qty = 3;
        sale.total_cents = Money::from_cents(608);
        sale.discount_cents = Money::from_cents(142);
        let report = DayReport::build(day, vec![sale, refund, line(3, LineKind::Withdrawal)]);
        let body = rows(Lang::Fr, &report);
        let styled = |needle: &str| {
            body.iter()
                .find(|r| r.text.contains(needle))
                .map(|r| r.style)
                .unwrap_or_else(|| panic!("{needle} not in {body:#?}"))
        };
        assert_eq!(styled("Café [note de crédit]"), Style::Refund);
        assert_eq!(styled("Notes de crédit (1) : -2,03 €"), Style::Refund);
        assert_eq!(styled("[retrait]"), Style::Withdrawal);
        assert_eq!(styled("SOLDE CAISSE : 4,05 €"), Style::Bold);
        assert_eq!(styled("Ventes : 6,08 €"), Style::Normal);
        assert_eq!(
            styled("Remises (déjà déduites, 1 vente) : 0,95 €"),
            Style::Normal
        );
        assert_eq!(styled("REMBOURSÉ"), Style::Bold);
        // Every row fits the page's width (95 columns of Courier 9 pt between the margins).
        assert!(
            body.iter().all(|r| r.text.chars().count() <= 95),
            "{body:#?}"
        );
        let pdf = day_report_pdf(&report, "K");
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("0 0.3 0.75 rg"), "credit notes drawn in blue");
        assert!(text.contains("0.8 0 0 rg"), "withdrawals still red");
        assert!(shows(&pdf, "Notes de crédit (1) : -2,03 €"));
    }

    #[test]
    fn the_journal_pdf_is_landscape_with_its_header_on_every_page_of_days() {
        use crate::domain::report::{DayRefundRow, DaySummary, DayVatRow};
        let d = |n: i64| NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(n);
        let sums = [DaySummary {
            day: d(3),
            tickets: 2,
            revenue_cents: Money::from_cents(1438),
            withdrawal_cents: Money::ZERO,
        }];
        let vat = [DayVatRow {
            day: d(3),
            rate: VatRate::Six,
            gross: Money::from_cents(1438),
            refunds: Money::from_cents(-203),
            discount: Money::from_cents(164),
        }];
        let refunds = [DayRefundRow {
            day: d(3),
            refunds: 1,
            refund: Money::from_cents(-203),
            discount: Money::from_cents(164),
        }];
        // A whole year: several pages.
        let j = Journal::build(d(0), d(364), &sums, &vat, &[], &refunds).unwrap();
        let pdf = journal_pdf_in(Lang::Fr, &j, "K");
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        // 365 days and the total, a blank row, the VAT table (its header and four rates).
        let pages = (365usize + 1 + 1 + 5).div_ceil(LANDSCAPE.rows_per_page());
        assert!(pages >= 7, "{pages}");
        assert_eq!(text.matches("/MediaBox [0 0 842 595]").count(), pages);
        assert!(shows(
            &pdf,
            "K — JOURNAL DES RECETTES du 01/01/2026 au 31/12/2026"
        ));
        assert!(shows(&pdf, &format!("Page {pages}/{pages}")));
        let header = &j.table_rows(Lang::Fr)[0];
        assert!(header.contains("N. CRÉD.") && header.contains("REMBOURSÉ"));
        // Repeated on each page that still holds days: all of them here but the last (the
        // total and the VAT table).
        let hex: String = win_ansi(header)
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect();
        let repeated = text.matches(header.as_str()).count() + text.matches(&hex).count();
        assert!(repeated >= pages - 1, "{repeated} of {pages}");
        assert!(shows(&pdf, "04/01/2026"));
        assert!(shows(&pdf, "-2,03 €"));
        // Its widest row fits the page across (169 columns of Courier 7,5 pt).
        assert!(
            j.table_rows(Lang::Nl)
                .iter()
                .chain(&j.vat_rows(Lang::Nl))
                .all(|r| r.chars().count() <= 169)
        );
    }
}
