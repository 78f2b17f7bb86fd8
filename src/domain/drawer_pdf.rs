//! An X or Z report as a PDF (`kaching report z [NO] --format pdf`, `report x --format pdf`):
//! the text report's title and the figures of [`report_rows`] — the same labels
//! (`drawer-r-*`), the same order — on one A4 page, in French, Dutch or English, times in the
//! shop's time zone. Pure: returns the bytes, does no IO.
//!
//! Made the way the day report's PDF is (src/domain/report_pdf.rs, pdf-writer): the base-14
//! Courier and Courier-Bold with WinAnsiEncoding, text encoded as Windows-1252 so `€` and `é`
//! come out right, nothing embedded. One page is enough: a session's report has a fixed set of
//! rows (at most four VAT rates); a long list of cashiers is wrapped.

use chrono_tz::Tz;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::drawer::DrawerReport;
use super::drawer_print::report_rows;
use super::receipt::{TicketLanguage, wrap};
use super::report_pdf::win_ansi;
use crate::i18n::{Lang, t};

/// A4 in points.
const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 56.0;
const FONT_SIZE: f32 = 11.0;
const TITLE_SIZE: f32 = 14.0;
const LEADING: f32 = 16.0;
/// Columns of Courier 11 pt between the margins: a label column and a value column.
const LABEL_W: usize = 38;
const VALUE_W: usize = 30;

const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// The lines of the page under the title: (text, bold).
fn lines(lang: Lang, report: &DrawerReport, tz: Tz) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut block = None;
    for row in report_rows(report, tz, TicketLanguage::one(lang)) {
        if block != Some(row.block) {
            out.push(("-".repeat(LABEL_W + VALUE_W), false));
            block = Some(row.block);
        }
        let label = row.labels.join(" / ");
        let values = wrap(&row.value, VALUE_W);
        for (i, v) in values.iter().enumerate() {
            let l = if i == 0 { label.as_str() } else { "" };
            out.push((format!("{l:<LABEL_W$}{v:>VALUE_W$}"), row.strong));
        }
    }
    out.push(("-".repeat(LABEL_W + VALUE_W), false));
    out
}

/// The report's title, as the text report's first line.
fn title(lang: Lang, report: &DrawerReport, shop_name: &str) -> String {
    t(
        lang,
        if report.kind == "z" {
            "drawer-z-title"
        } else {
            "drawer-x-title"
        },
        &[("no", report.z_no.into()), ("shop", shop_name.into())],
    )
}

/// The X or Z report as a one-page PDF document in `lang`, times in `tz`.
pub fn drawer_report_pdf(lang: Lang, report: &DrawerReport, shop_name: &str, tz: Tz) -> Vec<u8> {
    let catalog_id = Ref::new(1);
    let tree_id = Ref::new(2);
    let regular_id = Ref::new(3);
    let bold_id = Ref::new(4);
    let info_id = Ref::new(5);
    let page_id = Ref::new(6);
    let content_id = Ref::new(7);
    let title = title(lang, report, shop_name);

    let mut pdf = Pdf::new();
    pdf.catalog(catalog_id).pages(tree_id);
    pdf.pages(tree_id).kids([page_id]).count(1);
    pdf.type1_font(regular_id)
        .base_font(Name(b"Courier"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold_id)
        .base_font(Name(b"Courier-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info_id)
        .title(TextStr(&title))
        .producer(TextStr("KACHING"));
    let mut page = pdf.page(page_id);
    page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
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
    let line = |c: &mut Content, y: f32, font: Name, size: f32, text: &str| {
        c.begin_text();
        c.set_font(font, size);
        c.next_line(MARGIN, y);
        c.show(Str(&win_ansi(text)));
        c.end_text();
    };
    let mut y = PAGE_H - MARGIN - TITLE_SIZE;
    for part in wrap(&title, LABEL_W + VALUE_W) {
        line(&mut c, y, BOLD, TITLE_SIZE, &part);
        y -= LEADING * 1.2;
    }
    y -= LEADING * 0.5;
    for (text, bold) in lines(lang, report, tz) {
        line(
            &mut c,
            y,
            if bold { BOLD } else { REGULAR },
            FONT_SIZE,
            &text,
        );
        y -= LEADING;
    }
    pdf.stream(content_id, &c.finish());
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::drawer::VatLine;

    fn z() -> DrawerReport {
        DrawerReport {
            kind: "z".into(),
            till_id: "till-1".into(),
            z_no: 4,
            opened_at: "2026-06-02T05:00:00.000Z".into(),
            until: "2026-06-02T16:00:00.000Z".into(),
            cashiers: vec!["Khadija".into()],
            tickets: 2,
            voids: 1,
            revenue_cents: 250,
            by_vat: vec![VatLine {
                rate_pct: 6,
                gross_cents: 250,
                vat_cents: 14,
                ..Default::default()
            }],
            cash_cents: 250,
            qr_cents: 0,
            rounding_cents: 0,
            float_cents: 15000,
            float_counted: true,
            cash_in_cents: 0,
            cash_out_cents: 0,
            withdrawals_cents: 0,
            expected_cents: 15250,
            counted_cents: Some(15300),
            difference_cents: Some(50),
            ..Default::default()
        }
    }

    /// Whether the PDF shows `needle` (pdf-writer writes a string as `(text)`, or in hex when
    /// it holds bytes beyond ASCII).
    fn shows(pdf: &[u8], needle: &str) -> bool {
        let text = String::from_utf8_lossy(pdf);
        let hex: String = win_ansi(needle)
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect();
        text.contains(needle) || text.contains(&hex)
    }

    #[test]
    fn the_pdf_holds_the_title_and_the_figures_in_the_language_asked() {
        let tz = chrono_tz::Europe::Brussels;
        let fr = drawer_report_pdf(Lang::Fr, &z(), "K", tz);
        assert!(fr.starts_with(b"%PDF-"));
        assert_eq!(String::from_utf8_lossy(&fr).matches("/MediaBox").count(), 1);
        let lines = lines(Lang::Fr, &z(), tz);
        assert!(
            lines
                .iter()
                .any(|(l, bold)| *bold && l.starts_with("Différence") && l.ends_with("0,50 €")),
            "{lines:#?}"
        );
        assert!(shows(&fr, "RAPPORT Z n° 4 — K"));
        let nl = drawer_report_pdf(Lang::Nl, &z(), "K", tz);
        assert!(shows(&nl, "Z-RAPPORT nr. 4 — K"));
        assert!(!shows(&nl, "RAPPORT Z"));
    }
}
