//! Reports: the day report (every line of the day, withdrawals flagged and outside revenue,
//! totals per seller and per VAT rate), the list of days, and the daily receipts journal
//! (journal des recettes: one row per calendar day, days without sales included, totals per VAT
//! rate). Built from rows the ledger returns; formatted as text, CSV or JSON at the edge.
//!
//! Belgian cash rounding (a cash payment rounded to the nearest 5 cents) is its own total, per
//! ticket, per day and for the period: revenue and VAT per rate stay the goods', and what came
//! into the drawer for the cash sales is revenue + withdrawals + rounding, never added up here
//! into one figure.
//!
//! Refunds and discounts (docs/DECISIONS.md, « Refunds and discounts in the reports »): a credit
//! note (a sale of kind `refund`) is not a ticket sold. Its lines stay in the day's list, marked,
//! and its (negative) amounts are counted apart — `refunds` and `refund_cents`, per seller (the
//! one who made it) and per VAT rate — while revenue and the VAT-inclusive total per rate are
//! the NET: sales + refunds. A discount is already out of its line's amount; what discounts took
//! off is shown beside (`discount_cents`, per seller and per rate), net of the shares credit
//! notes gave back, like revenue; `discounts` counts the sales that had one. Refund amounts are
//! negative in every report, as in the ledger.
//!
//! The text (and the PDF, `report_pdf.rs`) speaks French, Dutch or English: its words come from
//! `locales/<lang>/reports.ftl`, its amounts from [`crate::i18n::money`]; the CSV and the JSON
//! are file formats and the same in every language. A day or a period without credit notes and
//! discounts reads as it did before they existed.

use std::collections::HashSet;

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::basket::LineKind;
use super::money::Money;
use super::product::VatRate;
use crate::i18n::{Lang, money, t};

/// One sold (or returned) line as the day report shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportLine {
    /// Shop-local time `HH:MM:SS`.
    pub time: String,
    pub till_id: String,
    pub ticket_no: i64,
    pub seller: String,
    pub product: String,
    /// Negative on a credit note.
    pub qty: i64,
    pub kind: LineKind,
    /// What the line cost, its discounts taken off (negative on a credit note).
    pub total_cents: Money,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vat_rate: Option<VatRate>,
    /// What every discount took off the line; on a credit note, the (negative) share of the
    /// original's discount it gives back.
    pub discount_cents: Money,
    /// A line of a credit note (a sale of kind `refund`).
    pub refund: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SellerTotal {
    pub seller: String,
    /// Tickets sold (credit notes are in `refunds`).
    pub tickets: i64,
    /// Net: the seller's sales + the credit notes the seller made.
    pub revenue_cents: Money,
    pub withdrawal_cents: Money,
    /// The seller's sales, before credit notes.
    pub sales_cents: Money,
    /// The credit notes the seller made, and what they took back (negative).
    pub refunds: i64,
    pub refund_cents: Money,
    /// What discounts took off the seller's lines (net of the shares credit notes gave back).
    pub discount_cents: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VatTotal {
    pub rate: VatRate,
    /// VAT-inclusive total, net of credit notes: `sales_cents + refund_cents`.
    pub gross_cents: Money,
    /// Without VAT.
    pub net_cents: Money,
    pub vat_cents: Money,
    /// The sales' part, before credit notes.
    pub sales_cents: Money,
    /// What credit notes took back at this rate (negative).
    pub refund_cents: Money,
    /// What discounts took off at this rate, net of the shares credit notes gave back (already
    /// out of `gross_cents`).
    pub discount_cents: Money,
}

impl VatTotal {
    /// A rate's total without credit notes or discounts.
    pub fn of(rate: VatRate, gross: Money) -> VatTotal {
        VatTotal::split(rate, gross, Money::ZERO, Money::ZERO)
    }

    /// A rate's total from its sales, its credit notes (negative) and its discounts.
    pub fn split(rate: VatRate, sales: Money, refunds: Money, discount: Money) -> VatTotal {
        let gross = sales.checked_add(refunds).unwrap_or(sales);
        let vat = rate.vat_in(gross);
        VatTotal {
            rate,
            gross_cents: gross,
            net_cents: gross.checked_sub(vat).unwrap_or(Money::ZERO),
            vat_cents: vat,
            sales_cents: sales,
            refund_cents: refunds,
            discount_cents: discount,
        }
    }
}

/// A ticket's cash rounding (−2…+2 cents: what the customer paid in cash minus the lines'
/// total), outside revenue and VAT.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TicketRounding {
    pub till_id: String,
    pub ticket_no: i64,
    pub rounding_cents: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayReport {
    pub day: NaiveDate,
    pub lines: Vec<ReportLine>,
    /// Tickets sold (credit notes are in `refunds`).
    pub tickets: i64,
    /// Net revenue: the sales' goods + the credit notes' (negative).
    pub revenue_cents: Money,
    pub withdrawal_cents: Money,
    /// The day's cash rounding: its own total, in neither revenue nor withdrawals nor VAT
    /// (credit notes paid back in cash are rounded too).
    pub rounding_cents: Money,
    /// The tickets whose cash payment was rounded, in the lines' order.
    pub roundings: Vec<TicketRounding>,
    /// The sales' goods, before credit notes.
    pub sales_cents: Money,
    /// Credit notes: how many, and what they took back (negative).
    pub refunds: i64,
    pub refund_cents: Money,
    /// Sales with at least one discounted line.
    pub discounts: i64,
    /// What discounts took off, net of the shares credit notes gave back.
    pub discount_cents: Money,
    pub by_seller: Vec<SellerTotal>,
    pub by_vat: Vec<VatTotal>,
}

/// Adds `b` to `a`, leaving `a` as it was on an overflow (the ledger's totals fit: it checks
/// every sale).
fn add(a: &mut Money, b: Money) {
    *a = a.checked_add(b).unwrap_or(*a);
}

/// Per VAT rate (in [`VatRate::ALL`]'s order): sales, credit notes, discounts, and whether the
/// day has a line at that rate.
#[derive(Default, Clone, Copy)]
struct RateSums {
    sales: Money,
    refunds: Money,
    discount: Money,
    present: bool,
}

fn rate_index(rate: VatRate) -> usize {
    VatRate::ALL.iter().position(|r| *r == rate).unwrap_or(0)
}

impl DayReport {
    /// Builds the report from the day's lines, in the order given (the ledger's time order),
    /// without cash rounding. See [`DayReport::build_with_rounding`].
    pub fn build(day: NaiveDate, lines: Vec<ReportLine>) -> DayReport {
        DayReport::build_with_rounding(day, lines, Vec::new())
    }

    /// Builds the report from the day's lines (in the ledger's time order) and the day's
    /// tickets' cash roundings (those of zero are dropped).
    pub fn build_with_rounding(
        day: NaiveDate,
        lines: Vec<ReportLine>,
        roundings: Vec<TicketRounding>,
    ) -> DayReport {
        let roundings: Vec<TicketRounding> = roundings
            .into_iter()
            .filter(|r| !r.rounding_cents.is_zero())
            .collect();
        let rounding: Money = roundings.iter().map(|r| r.rounding_cents).sum();
        let mut by_seller: Vec<SellerTotal> = Vec::new();
        // Sets: a busy day has thousands of lines (a Vec::contains here was quadratic).
        let mut tickets_seen: HashSet<(&str, i64)> = HashSet::new();
        let mut refunds_seen: HashSet<(&str, i64)> = HashSet::new();
        let mut discounted: HashSet<(&str, i64)> = HashSet::new();
        let mut rates = [RateSums::default(); 4];
        let (mut revenue, mut sales, mut refunds, mut discount, mut withdrawals) = (
            Money::ZERO,
            Money::ZERO,
            Money::ZERO,
            Money::ZERO,
            Money::ZERO,
        );
        for l in &lines {
            let idx = match by_seller.iter().position(|s| s.seller == l.seller) {
                Some(i) => i,
                None => {
                    by_seller.push(SellerTotal {
                        seller: l.seller.clone(),
                        tickets: 0,
                        revenue_cents: Money::ZERO,
                        withdrawal_cents: Money::ZERO,
                        sales_cents: Money::ZERO,
                        refunds: 0,
                        refund_cents: Money::ZERO,
                        discount_cents: Money::ZERO,
                    });
                    by_seller.len() - 1
                }
            };
            let key = (l.till_id.as_str(), l.ticket_no);
            let s = &mut by_seller[idx];
            if l.refund {
                if refunds_seen.insert(key) {
                    s.refunds += 1;
                }
            } else if tickets_seen.insert(key) {
                s.tickets += 1;
            }
            match l.kind {
                LineKind::Item => {
                    add(&mut revenue, l.total_cents);
                    add(&mut s.revenue_cents, l.total_cents);
                    add(&mut discount, l.discount_cents);
                    add(&mut s.discount_cents, l.discount_cents);
                    if l.refund {
                        add(&mut refunds, l.total_cents);
                        add(&mut s.refund_cents, l.total_cents);
                    } else {
                        add(&mut sales, l.total_cents);
                        add(&mut s.sales_cents, l.total_cents);
                        if !l.discount_cents.is_zero() {
                            discounted.insert(key);
                        }
                    }
                    if let Some(rate) = l.vat_rate {
                        let r = &mut rates[rate_index(rate)];
                        r.present = true;
                        add(&mut r.discount, l.discount_cents);
                        add(
                            if l.refund {
                                &mut r.refunds
                            } else {
                                &mut r.sales
                            },
                            l.total_cents,
                        );
                    }
                }
                LineKind::Withdrawal => {
                    add(&mut withdrawals, l.total_cents);
                    add(&mut s.withdrawal_cents, l.total_cents);
                }
            }
        }
        let by_vat = VatRate::ALL
            .iter()
            .zip(rates)
            .filter(|(_, r)| r.present)
            .map(|(&rate, r)| VatTotal::split(rate, r.sales, r.refunds, r.discount))
            .collect();
        let count = |set: &HashSet<(&str, i64)>| i64::try_from(set.len()).unwrap_or(i64::MAX);
        let (tickets, refund_count, discounts) = (
            count(&tickets_seen),
            count(&refunds_seen),
            count(&discounted),
        );
        DayReport {
            day,
            tickets,
            lines,
            revenue_cents: revenue,
            withdrawal_cents: withdrawals,
            rounding_cents: rounding,
            roundings,
            sales_cents: sales,
            refunds: refund_count,
            refund_cents: refunds,
            discounts,
            discount_cents: discount,
            by_seller,
            by_vat,
        }
    }

    /// Whether the day has credit notes (their rows and columns are shown only then).
    fn has_refunds(&self) -> bool {
        self.refunds > 0 || !self.refund_cents.is_zero()
    }

    /// Whether the day has discounts (their rows and columns are shown only then).
    fn has_discounts(&self) -> bool {
        self.discounts > 0 || !self.discount_cents.is_zero()
    }

    /// The report as the admin reads it (and downloads it as TXT), in French: the text of
    /// releases before the report spoke three languages. See [`DayReport::to_text_in`].
    pub fn to_text(&self, shop_name: &str) -> String {
        self.to_text_in(Lang::Fr, shop_name)
    }

    /// The report as the admin reads it (and downloads it as TXT), in `lang`: its words from
    /// the catalogue, amounts and dates the language's way, plurals right.
    pub fn to_text_in(&self, lang: Lang, shop_name: &str) -> String {
        let tr = |id: &str| t(lang, id, &[]);
        let mut out = String::new();
        out.push_str(&t(
            lang,
            "report-day-title",
            &[
                ("shop", shop_name.into()),
                ("day", local_date(lang, self.day).into()),
            ],
        ));
        out.push('\n');
        out.push_str(&format!(
            "{:<9} {:<12} {:<28} {:>5} {:>12}\n",
            tr("report-col-time"),
            tr("report-col-seller"),
            tr("report-col-product"),
            tr("report-col-qty"),
            tr("report-col-amount")
        ));
        out.push_str(&"-".repeat(70));
        out.push('\n');
        let (withdrawal, refund) = (tr("report-withdrawal-mark"), tr("report-refund-mark"));
        for l in &self.lines {
            out.push_str(&format!(
                "{:<9} {:<12} {:<28} {:>5} {:>12}\n",
                l.time,
                truncate(&l.seller, 12),
                line_product(l, &withdrawal, &refund, 28),
                format!("x{}", l.qty),
                money(lang, l.total_cents)
            ));
        }
        out.push_str(&"-".repeat(70));
        out.push('\n');
        for row in self.total_rows(lang) {
            out.push_str(&row.text);
            out.push('\n');
        }
        out.push('\n');
        out.push_str(&tr("report-by-seller"));
        out.push('\n');
        for row in self.seller_rows(lang) {
            out.push_str(&row);
            out.push('\n');
        }
        out.push('\n');
        for row in vat_table(lang, &self.by_vat, self.has_refunds(), self.has_discounts()) {
            out.push_str(&row);
            out.push('\n');
        }
        out
    }

    /// The totals under the lines, as the text and the PDF print them: the sales and the
    /// credit notes with their count (on a day that has some), SOLDE CAISSE (net), the
    /// discounts (on a day that has some), withdrawals, rounding (on a day that has some) and
    /// the tickets sold.
    pub(crate) fn total_rows(&self, lang: Lang) -> Vec<TotalRow> {
        let mut rows = Vec::new();
        let mut push = |id: &str, args: &[(&str, crate::i18n::Arg)], kind: TotalKind| {
            rows.push(TotalRow {
                text: t(lang, id, args),
                kind,
            });
        };
        if self.has_refunds() {
            push(
                "report-sales",
                &[("amount", self.sales_cents.into())],
                TotalKind::Plain,
            );
            push(
                "report-refunds",
                &[
                    ("count", self.refunds.into()),
                    ("amount", self.refund_cents.into()),
                ],
                TotalKind::Refund,
            );
        }
        push(
            "report-balance",
            &[("amount", self.revenue_cents.into())],
            TotalKind::Balance,
        );
        if self.has_discounts() {
            push(
                "report-discounts",
                &[
                    ("count", self.discounts.into()),
                    ("amount", self.discount_cents.into()),
                ],
                TotalKind::Plain,
            );
        }
        push(
            "report-withdrawals",
            &[("amount", self.withdrawal_cents.into())],
            TotalKind::Withdrawal,
        );
        // Only on a day that had rounded cash payments: the days of a shop that does not round
        // read as they always did.
        if !self.roundings.is_empty() {
            push(
                "report-rounding",
                &[("amount", self.rounding_cents.into())],
                TotalKind::Plain,
            );
        }
        push(
            "report-ticket-count",
            &[("count", self.tickets.into())],
            TotalKind::Plain,
        );
        rows
    }

    /// One row per seller: tickets, net revenue, withdrawals; on a day with credit notes or
    /// discounts, a second row under it with the seller's credit notes (those the seller made)
    /// and discounts, so the rows stay as narrow as the report.
    pub(crate) fn seller_rows(&self, lang: Lang) -> Vec<String> {
        let withdrawals = t(lang, "report-seller-withdrawals", &[]);
        let refunds = t(lang, "report-seller-refunds", &[]);
        let discounts = t(lang, "report-seller-discounts", &[]);
        let mut rows = Vec::with_capacity(self.by_seller.len() * 2);
        for s in &self.by_seller {
            rows.push(format!(
                "  {:<20} {:>11}  {:>12}  {withdrawals} {:>12}",
                truncate(&s.seller, 20),
                tickets(lang, s.tickets),
                money(lang, s.revenue_cents),
                money(lang, s.withdrawal_cents)
            ));
            let mut more = Vec::new();
            if self.has_refunds() {
                more.push(format!(
                    "{refunds} {:>3} {:>12}",
                    s.refunds,
                    money(lang, s.refund_cents)
                ));
            }
            if self.has_discounts() {
                more.push(format!("{discounts} {:>12}", money(lang, s.discount_cents)));
            }
            if !more.is_empty() {
                rows.push(format!("  {:<20} {}", "", more.join("  ")));
            }
        }
        rows
    }

    /// One row per line:
    /// `day,time,till,ticket,seller,product,qty,kind,amount,vat_rate,rounding,discount,sale_kind`.
    /// The same in every language: the header, `item`/`withdrawal`, `sale`/`refund`, ISO dates
    /// and decimal points are a file format that spreadsheets' import settings and scripts rely
    /// on (see docs/DECISIONS.md, « The CSV exports are not translated »). `rounding` is the
    /// ticket's cash rounding, on the ticket's first line (`0.00` when it was not rounded) and
    /// empty on its other lines, so the column adds up to the day's rounding. `discount` is what
    /// discounts took off the line (negative on a credit note: the share it gives back),
    /// `sale_kind` whether the line is a sale's or a credit note's. Columns added later come
    /// last, so a column mapped by its position before they existed still reads the same.
    pub fn to_csv(&self) -> Result<String, csv::Error> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            "day",
            "time",
            "till",
            "ticket",
            "seller",
            "product",
            "qty",
            "kind",
            "amount",
            "vat_rate",
            "rounding",
            "discount",
            "sale_kind",
        ])?;
        let day = self.day.to_string();
        let by_ticket: std::collections::HashMap<(&str, i64), Money> = self
            .roundings
            .iter()
            .map(|r| ((r.till_id.as_str(), r.ticket_no), r.rounding_cents))
            .collect();
        let mut last_ticket: Option<(&str, i64)> = None;
        for l in &self.lines {
            let ticket = (l.till_id.as_str(), l.ticket_no);
            let rounding = if last_ticket == Some(ticket) {
                String::new()
            } else {
                by_ticket
                    .get(&ticket)
                    .copied()
                    .unwrap_or(Money::ZERO)
                    .to_decimal_string()
            };
            last_ticket = Some(ticket);
            w.write_record([
                day.as_str(),
                &l.time,
                &l.till_id,
                &l.ticket_no.to_string(),
                &l.seller,
                &l.product,
                &l.qty.to_string(),
                l.kind.as_str(),
                &l.total_cents.to_decimal_string(),
                &l.vat_rate
                    .map(|r| r.percent().to_string())
                    .unwrap_or_default(),
                &rounding,
                &l.discount_cents.to_decimal_string(),
                if l.refund { "refund" } else { "sale" },
            ])?;
        }
        csv_into_string(w)
    }
}

/// What a total row under the day's lines is, for the PDF's colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TotalKind {
    Plain,
    /// SOLDE CAISSE: bold.
    Balance,
    Withdrawal,
    Refund,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TotalRow {
    pub text: String,
    pub kind: TotalKind,
}

/// A line's product as the day report lists it: a withdrawal or a credit note's line marked,
/// the name shortened so the mark always fits in `width` characters.
pub(crate) fn line_product(
    l: &ReportLine,
    withdrawal_mark: &str,
    refund_mark: &str,
    width: usize,
) -> String {
    let mark = match (l.kind, l.refund) {
        (LineKind::Withdrawal, _) => withdrawal_mark,
        (LineKind::Item, true) => refund_mark,
        (LineKind::Item, false) => return truncate(&l.product, width),
    };
    let room = width.saturating_sub(mark.chars().count() + 1);
    truncate(&format!("{} {mark}", truncate(&l.product, room)), width)
}

/// The table per VAT rate: VAT-inclusive (net of credit notes), without VAT, VAT; and, when
/// `refunds` or `discounts`, the sales, the credit notes and the discounts of each rate.
pub(crate) fn vat_table(
    lang: Lang,
    by_vat: &[VatTotal],
    refunds: bool,
    discounts: bool,
) -> Vec<String> {
    let tr = |id: &str| t(lang, id, &[]);
    let extra = refunds || discounts;
    let mut header = format!(
        "{:<17}{:>12} {:>12} {:>12}",
        tr("report-by-vat"),
        tr("report-col-gross"),
        tr("report-col-net"),
        tr("report-col-vat")
    );
    if extra {
        header.push_str(&format!(
            " {:>12} {:>12} {:>12}",
            tr("report-col-sales"),
            tr("report-col-refunds"),
            tr("report-col-discounts")
        ));
    }
    let mut rows = vec![header];
    for v in by_vat {
        let mut row = format!(
            "  {:>2} %           {:>12} {:>12} {:>12}",
            v.rate.percent(),
            money(lang, v.gross_cents),
            money(lang, v.net_cents),
            money(lang, v.vat_cents)
        );
        if extra {
            row.push_str(&format!(
                " {:>12} {:>12} {:>12}",
                money(lang, v.sales_cents),
                money(lang, v.refund_cents),
                money(lang, v.discount_cents)
            ));
        }
        rows.push(row);
    }
    rows
}

/// A file format of the day report (the admin's export, `kaching report day --format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Txt,
    Csv,
    Pdf,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Txt => "txt",
            ExportFormat::Csv => "csv",
            ExportFormat::Pdf => "pdf",
        }
    }

    /// The report in this format, in French (kept for the callers written before the report
    /// spoke three languages). See [`ExportFormat::render_in`].
    pub fn render(self, report: &DayReport, shop_name: &str) -> Result<Vec<u8>, csv::Error> {
        self.render_in(Lang::Fr, report, shop_name)
    }

    /// The report in this format and language: UTF-8 text for TXT and CSV, a PDF document
    /// for PDF. The CSV is the same in every language (its columns are a file format, see
    /// [`DayReport::to_csv`]).
    pub fn render_in(
        self,
        lang: Lang,
        report: &DayReport,
        shop_name: &str,
    ) -> Result<Vec<u8>, csv::Error> {
        Ok(match self {
            ExportFormat::Txt => report.to_text_in(lang, shop_name).into_bytes(),
            ExportFormat::Csv => report.to_csv()?.into_bytes(),
            ExportFormat::Pdf => super::report_pdf::day_report_pdf_in(lang, report, shop_name),
        })
    }

    /// The export's file name: `rapport-YYYY-MM-DD.<ext>`.
    pub fn file_name(self, day: NaiveDate) -> String {
        format!("rapport-{}.{}", day.format("%Y-%m-%d"), self.extension())
    }
}

fn csv_into_string(w: csv::Writer<Vec<u8>>) -> Result<String, csv::Error> {
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// One entry of the list of days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DaySummary {
    pub day: NaiveDate,
    /// Tickets sold (credit notes are not tickets sold).
    pub tickets: i64,
    /// Net of credit notes.
    pub revenue_cents: Money,
    pub withdrawal_cents: Money,
}

/// `1 ticket`, `2 tickets`, `1 kasticket`: the count with its plural from the catalogue.
pub(crate) fn tickets(lang: Lang, n: i64) -> String {
    t(lang, "report-tickets", &[("count", n.into())])
}

/// A day as the reports write it. fr-BE, nl-BE and en-GB all write the day first, with
/// slashes (31/05/2026); ISO 8601 (2026-05-31) is for the CSV and JSON, which are read by
/// programs.
pub fn local_date(lang: Lang, day: NaiveDate) -> String {
    match lang {
        Lang::Fr | Lang::Nl | Lang::En => day.format("%d/%m/%Y").to_string(),
    }
}

/// `s` padded on the left to `width` characters, the width growing to the label's own length
/// (a Dutch column header may be longer than the French one the column was drawn for).
fn col(width: usize, label: &str) -> usize {
    width.max(label.chars().count())
}

/// The list of days in French. See [`days_to_text_in`].
pub fn days_to_text(days: &[DaySummary]) -> String {
    days_to_text_in(Lang::Fr, days)
}

/// The list of days: day, tickets, takings, withdrawals.
pub fn days_to_text_in(lang: Lang, days: &[DaySummary]) -> String {
    let tr = |id: &str| t(lang, id, &[]);
    let (day, tickets, revenue, withdrawals) = (
        tr("report-col-day"),
        tr("report-col-tickets"),
        tr("report-col-revenue"),
        tr("report-col-withdrawals"),
    );
    let (wd, wt, wr, ww) = (
        col(12, &day),
        col(8, &tickets),
        col(14, &revenue),
        col(14, &withdrawals),
    );
    let mut out = format!("{day:<wd$} {tickets:>wt$} {revenue:>wr$} {withdrawals:>ww$}\n");
    for d in days {
        out.push_str(&format!(
            "{:<wd$} {:>wt$} {:>wr$} {:>ww$}\n",
            local_date(lang, d.day),
            d.tickets,
            money(lang, d.revenue_cents),
            money(lang, d.withdrawal_cents)
        ));
    }
    out
}

pub fn days_to_csv(days: &[DaySummary]) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["day", "tickets", "revenue", "withdrawals"])?;
    for d in days {
        w.write_record([
            d.day.to_string(),
            d.tickets.to_string(),
            d.revenue_cents.to_decimal_string(),
            d.withdrawal_cents.to_decimal_string(),
        ])?;
    }
    csv_into_string(w)
}

/// Per day and VAT rate, as the ledger sums it: the VAT-inclusive total net of credit notes
/// (`gross`), what credit notes took back (`refunds`, negative, inside `gross`) and what
/// discounts took off (`discount`). Several rows of a day and rate add up (the ledger may give
/// one per till, or its totals and its credit notes apart).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayVatRow {
    pub day: NaiveDate,
    pub rate: VatRate,
    pub gross: Money,
    pub refunds: Money,
    pub discount: Money,
}

/// Per day: the cash rounding of its tickets, as the ledger sums it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayRoundingRow {
    pub day: NaiveDate,
    pub rounding: Money,
}

/// Per day: its credit notes (how many, and what they took back: negative, inside revenue) and
/// what discounts took off, as the ledger sums them. Rows of one day add up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayRefundRow {
    pub day: NaiveDate,
    pub refunds: i64,
    pub refund: Money,
    pub discount: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JournalDay {
    pub day: NaiveDate,
    /// Tickets sold (credit notes are in `refunds`).
    pub tickets: i64,
    /// Net of credit notes: `sales_cents + refund_cents`.
    pub revenue_cents: Money,
    pub withdrawal_cents: Money,
    /// The day's cash rounding: its own total, outside revenue and VAT.
    pub rounding_cents: Money,
    pub by_vat: Vec<VatTotal>,
    /// The sales, before credit notes.
    pub sales_cents: Money,
    /// Credit notes: how many, and what they took back (negative).
    pub refunds: i64,
    pub refund_cents: Money,
    /// What discounts took off, net of the shares credit notes gave back.
    pub discount_cents: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Journal {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: Vec<JournalDay>,
    /// Net of credit notes.
    pub revenue_cents: Money,
    /// The period's cash rounding: the sum of the days'.
    pub rounding_cents: Money,
    pub by_vat: Vec<VatTotal>,
    pub sales_cents: Money,
    pub refunds: i64,
    pub refund_cents: Money,
    pub discount_cents: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JournalError {
    #[error("the period ends ({to}) before it starts ({from})")]
    Reversed { from: NaiveDate, to: NaiveDate },
    #[error("the period is longer than {MAX_JOURNAL_DAYS} days")]
    TooLong,
}

pub const MAX_JOURNAL_DAYS: i64 = 3660;

pub fn check_period(from: NaiveDate, to: NaiveDate) -> Result<(), JournalError> {
    if to < from {
        return Err(JournalError::Reversed { from, to });
    }
    if (to - from).num_days() >= MAX_JOURNAL_DAYS {
        return Err(JournalError::TooLong);
    }
    Ok(())
}

impl Journal {
    /// One row per calendar day of `from..=to`, days without sales included.
    pub fn build(
        from: NaiveDate,
        to: NaiveDate,
        summaries: &[DaySummary],
        vat_rows: &[DayVatRow],
        rounding_rows: &[DayRoundingRow],
        refund_rows: &[DayRefundRow],
    ) -> Result<Journal, JournalError> {
        check_period(from, to)?;
        let mut rounding_by_day: std::collections::HashMap<NaiveDate, Money> =
            std::collections::HashMap::new();
        for r in rounding_rows {
            add(
                rounding_by_day.entry(r.day).or_insert(Money::ZERO),
                r.rounding,
            );
        }
        let mut refunds_by_day: std::collections::HashMap<NaiveDate, (i64, Money, Money)> =
            std::collections::HashMap::new();
        for r in refund_rows {
            let e = refunds_by_day
                .entry(r.day)
                .or_insert((0, Money::ZERO, Money::ZERO));
            e.0 += r.refunds;
            add(&mut e.1, r.refund);
            add(&mut e.2, r.discount);
        }
        let mut days = Vec::new();
        let mut day = from;
        while day <= to {
            let s = summaries.iter().find(|s| s.day == day);
            let by_vat = VatRate::ALL
                .iter()
                .map(|&rate| {
                    let (mut gross, mut refunds, mut discount) =
                        (Money::ZERO, Money::ZERO, Money::ZERO);
                    for r in vat_rows.iter().filter(|r| r.day == day && r.rate == rate) {
                        add(&mut gross, r.gross);
                        add(&mut refunds, r.refunds);
                        add(&mut discount, r.discount);
                    }
                    VatTotal::split(
                        rate,
                        gross.checked_sub(refunds).unwrap_or(gross),
                        refunds,
                        discount,
                    )
                })
                .collect();
            let (refunds, refund, discount) =
                refunds_by_day
                    .get(&day)
                    .copied()
                    .unwrap_or((0, Money::ZERO, Money::ZERO));
            let revenue = s.map_or(Money::ZERO, |s| s.revenue_cents);
            days.push(JournalDay {
                day,
                tickets: s.map_or(0, |s| s.tickets),
                revenue_cents: revenue,
                withdrawal_cents: s.map_or(Money::ZERO, |s| s.withdrawal_cents),
                rounding_cents: rounding_by_day.get(&day).copied().unwrap_or(Money::ZERO),
                by_vat,
                sales_cents: revenue.checked_sub(refund).unwrap_or(revenue),
                refunds,
                refund_cents: refund,
                discount_cents: discount,
            });
            day += Duration::days(1);
        }
        let sum = |f: fn(&JournalDay) -> Money| days.iter().map(f).sum::<Money>();
        let by_vat = VatRate::ALL
            .iter()
            .enumerate()
            .map(|(i, &rate)| {
                let sum = |f: fn(&VatTotal) -> Money| days.iter().map(|d| f(&d.by_vat[i])).sum();
                VatTotal::split(
                    rate,
                    sum(|v| v.sales_cents),
                    sum(|v| v.refund_cents),
                    sum(|v| v.discount_cents),
                )
            })
            .collect();
        Ok(Journal {
            from,
            to,
            revenue_cents: sum(|d| d.revenue_cents),
            rounding_cents: sum(|d| d.rounding_cents),
            by_vat,
            sales_cents: sum(|d| d.sales_cents),
            refunds: days.iter().map(|d| d.refunds).sum(),
            refund_cents: sum(|d| d.refund_cents),
            discount_cents: sum(|d| d.discount_cents),
            days,
        })
    }

    /// Whether the period has credit notes (their columns are shown only then).
    fn has_refunds(&self) -> bool {
        self.refunds > 0 || self.days.iter().any(|d| !d.refund_cents.is_zero())
    }

    /// Whether the period has discounts (their column is shown only then).
    fn has_discounts(&self) -> bool {
        self.days.iter().any(|d| !d.discount_cents.is_zero())
    }

    /// The journal in French. See [`Journal::to_text_in`].
    pub fn to_text(&self, shop_name: &str) -> String {
        self.to_text_in(Lang::Fr, shop_name)
    }

    /// The journal's title line.
    pub(crate) fn title_in(&self, lang: Lang, shop_name: &str) -> String {
        t(
            lang,
            "report-journal-title",
            &[
                ("shop", shop_name.into()),
                ("from", local_date(lang, self.from).into()),
                ("to", local_date(lang, self.to).into()),
            ],
        )
    }

    /// The journal in `lang`: one row per day — tickets, the takings (net of credit notes),
    /// the VAT-inclusive total per rate (net too), then, in a period that has them, the credit
    /// notes and the discounts, and the cash rounding (last, apart from the takings it is not
    /// part of) — the total; and in a period with credit notes or discounts, the table per VAT
    /// rate of the period (sales, credit notes, discounts, VAT).
    pub fn to_text_in(&self, lang: Lang, shop_name: &str) -> String {
        let mut out = self.title_in(lang, shop_name);
        out.push('\n');
        for row in self.table_rows(lang) {
            out.push_str(&row);
            out.push('\n');
        }
        let vat = self.vat_rows(lang);
        if !vat.is_empty() {
            out.push('\n');
            for row in vat {
                out.push_str(&row);
                out.push('\n');
            }
        }
        out
    }

    /// The period's table per VAT rate (sales, credit notes, discounts, VAT) in a period with
    /// credit notes or discounts; none otherwise (the journal reads as it did before them).
    pub(crate) fn vat_rows(&self, lang: Lang) -> Vec<String> {
        let (refunds, discounts) = (self.has_refunds(), self.has_discounts());
        if refunds || discounts {
            vat_table(lang, &self.by_vat, refunds, discounts)
        } else {
            Vec::new()
        }
    }

    /// The journal's table: its header, one row per day, the total (what the text and the PDF
    /// print under the title).
    pub(crate) fn table_rows(&self, lang: Lang) -> Vec<String> {
        let tr = |id: &str| t(lang, id, &[]);
        let (refunds, discounts) = (self.has_refunds(), self.has_discounts());
        let (day, tickets, revenue) = (
            tr("report-col-day"),
            tr("report-col-tickets"),
            tr("report-col-revenue"),
        );
        let credit_notes = tr("report-col-credit-notes");
        let (wd, wt, wr) = (col(12, &day), col(7, &tickets), col(12, &revenue));
        let wc = col(4, &credit_notes);
        let mut header = format!("{day:<wd$} {tickets:>wt$}");
        if refunds {
            header.push_str(&format!(" {credit_notes:>wc$}"));
        }
        header.push_str(&format!(" {revenue:>wr$}"));
        let rates: Vec<String> = VatRate::ALL
            .iter()
            .map(|r| {
                t(
                    lang,
                    "report-col-vat-rate",
                    &[("rate", i64::from(r.percent()).into())],
                )
            })
            .collect();
        let wv = rates.iter().fold(11, |w, r| col(w, r));
        for r in &rates {
            header.push_str(&format!(" {r:>wv$}"));
        }
        let (refunded, discounted) = (tr("report-col-refunds"), tr("report-col-discounts"));
        let (wf, wx) = (col(11, &refunded), col(11, &discounted));
        if refunds {
            header.push_str(&format!(" {refunded:>wf$}"));
        }
        if discounts {
            header.push_str(&format!(" {discounted:>wx$}"));
        }
        let rounding = tr("report-col-rounding");
        let wro = col(10, &rounding);
        header.push_str(&format!(" {rounding:>wro$}"));
        let mut rows = vec![header];
        // The amounts after the takings: per rate, credit notes, discounts, rounding.
        let tail = |by_vat: &[VatTotal], refund: Money, discount: Money, rounding: Money| {
            let mut s = String::new();
            for v in by_vat {
                s.push_str(&format!(" {:>wv$}", money(lang, v.gross_cents)));
            }
            if refunds {
                s.push_str(&format!(" {:>wf$}", money(lang, refund)));
            }
            if discounts {
                s.push_str(&format!(" {:>wx$}", money(lang, discount)));
            }
            s.push_str(&format!(" {:>wro$}", money(lang, rounding)));
            s
        };
        for d in &self.days {
            let mut row = format!("{:<wd$} {:>wt$}", local_date(lang, d.day), d.tickets);
            if refunds {
                row.push_str(&format!(" {:>wc$}", d.refunds));
            }
            row.push_str(&format!(" {:>wr$}", money(lang, d.revenue_cents)));
            row.push_str(&tail(
                &d.by_vat,
                d.refund_cents,
                d.discount_cents,
                d.rounding_cents,
            ));
            rows.push(row);
        }
        let total = tr("report-total");
        // The total's amount ends where the takings column ends.
        let before = wd + 1 + wt + 1 + wr + if refunds { wc + 1 } else { 0 };
        let wtotal = before.saturating_sub(total.chars().count() + 1);
        let mut row = format!("{total} {:>wtotal$}", money(lang, self.revenue_cents));
        row.push_str(&tail(
            &self.by_vat,
            self.refund_cents,
            self.discount_cents,
            self.rounding_cents,
        ));
        rows.push(row);
        rows
    }

    /// `day,tickets,revenue,withdrawals,gross_0,vat_0,gross_6,vat_6,gross_12,vat_12,gross_21,vat_21,rounding,`
    /// `sales,credit_notes,refunds,discounts,refunds_0,discounts_0,refunds_6,discounts_6,refunds_12,discounts_12,refunds_21,discounts_21`:
    /// `revenue` and `gross_*` are net of credit notes, `sales` before them, `credit_notes`
    /// counts them, `refunds*` is what they took back (negative). Columns added later come
    /// last, so a column mapped by its position before they existed reads the same.
    pub fn to_csv(&self) -> Result<String, csv::Error> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header = vec![
            "day".to_owned(),
            "tickets".into(),
            "revenue".into(),
            "withdrawals".into(),
        ];
        for r in VatRate::ALL {
            header.push(format!("gross_{}", r.percent()));
            header.push(format!("vat_{}", r.percent()));
        }
        header.push("rounding".into());
        for h in ["sales", "credit_notes", "refunds", "discounts"] {
            header.push(h.into());
        }
        for r in VatRate::ALL {
            header.push(format!("refunds_{}", r.percent()));
            header.push(format!("discounts_{}", r.percent()));
        }
        w.write_record(&header)?;
        for d in &self.days {
            let mut row = vec![
                d.day.to_string(),
                d.tickets.to_string(),
                d.revenue_cents.to_decimal_string(),
                d.withdrawal_cents.to_decimal_string(),
            ];
            for v in &d.by_vat {
                row.push(v.gross_cents.to_decimal_string());
                row.push(v.vat_cents.to_decimal_string());
            }
            row.push(d.rounding_cents.to_decimal_string());
            row.push(d.sales_cents.to_decimal_string());
            row.push(d.refunds.to_string());
            row.push(d.refund_cents.to_decimal_string());
            row.push(d.discount_cents.to_decimal_string());
            for v in &d.by_vat {
                row.push(v.refund_cents.to_decimal_string());
                row.push(v.discount_cents.to_decimal_string());
            }
            w.write_record(&row)?;
        }
        csv_into_string(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(
        time: &str,
        ticket: i64,
        seller: &str,
        product: &str,
        kind: LineKind,
        cents: i64,
        vat: Option<VatRate>,
    ) -> ReportLine {
        ReportLine {
            time: time.into(),
            till_id: "till-1".into(),
            ticket_no: ticket,
            seller: seller.into(),
            product: product.into(),
            qty: 1,
            kind,
            total_cents: Money::from_cents(cents),
            vat_rate: vat,
            discount_cents: Money::ZERO,
            refund: false,
        }
    }

    fn origin_day() -> DayReport {
        use LineKind::*;
        let six = Some(VatRate::Six);
        DayReport::build(
            NaiveDate::from_ymd_opt(2026, 5, 31).unwrap(),
            vec![
                line("15:23:54", 1, "Khadija", "Pain au chocolat", Item, 120, six),
                line("15:23:54", 1, "Khadija", "Café", Item, 250, six),
                line(
                    "15:23:54",
                    1,
                    "Khadija",
                    "RETRAIT ESPÈCES",
                    Withdrawal,
                    1500,
                    None,
                ),
                line("15:24:59", 2, "Khadija", "Croissant", Item, 100, six),
                line("15:24:59", 2, "Khadija", "Chocolat noir", Item, 400, six),
                line(
                    "15:24:59",
                    2,
                    "Khadija",
                    "Déodorant CienMEN",
                    Item,
                    400,
                    Some(VatRate::TwentyOne),
                ),
                line("17:01:59", 3, "AWA", "Croissant", Item, 100, six),
            ],
        )
    }

    #[test]
    fn the_origin_day_adds_up_like_the_old_till() {
        let r = origin_day();
        assert_eq!(r.revenue_cents, Money::from_cents(1370));
        assert_eq!(r.withdrawal_cents, Money::from_cents(1500));
        assert_eq!(r.tickets, 3);
        assert_eq!(
            r.by_seller[0],
            SellerTotal {
                seller: "Khadija".into(),
                tickets: 2,
                revenue_cents: Money::from_cents(1270),
                withdrawal_cents: Money::from_cents(1500),
                sales_cents: Money::from_cents(1270),
                refunds: 0,
                refund_cents: Money::ZERO,
                discount_cents: Money::ZERO,
            }
        );
        assert_eq!(r.by_seller[1].revenue_cents, Money::from_cents(100));
        assert_eq!(
            r.by_vat,
            vec![
                VatTotal::of(VatRate::Six, Money::from_cents(970)),
                VatTotal::of(VatRate::TwentyOne, Money::from_cents(400))
            ]
        );
        let text = r.to_text("KACHING");
        assert!(text.contains("SOLDE CAISSE : 13,70 €"), "{text}");
        assert!(text.contains("RETRAIT ESPÈCES [retrait]"), "{text}");
        // Plurals from the catalogue (the report said `1 tickets`).
        assert!(text.contains(" 2 tickets "), "{text}");
        assert!(text.contains(" 1 ticket "), "{text}");
        assert!(!text.contains(" 1 tickets"), "{text}");
    }

    #[test]
    fn the_french_report_keeps_its_layout() {
        let text = origin_day().to_text("KACHING");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "KACHING — RAPPORT DU 31/05/2026");
        assert_eq!(
            lines[1],
            "HEURE     VENDEUR      PRODUIT                        QTÉ      MONTANT"
        );
        assert!(
            text.contains("Retraits espèces (hors total) : 15,00 €\nTickets : 3\n"),
            "{text}"
        );
        assert!(
            text.contains("\nPar taux de TVA           TTC         HTVA          TVA\n"),
            "{text}"
        );
        assert_eq!(text, origin_day().to_text_in(Lang::Fr, "KACHING"));
    }

    #[test]
    fn the_day_report_speaks_dutch_with_kastickets_and_belgian_amounts() {
        let text = origin_day().to_text_in(Lang::Nl, "KACHING");
        assert!(
            text.starts_with("KACHING — DAGRAPPORT VAN 31/05/2026\n"),
            "{text}"
        );
        assert!(text.contains("KASSALDO: 13,70 €"), "{text}");
        assert!(
            text.contains("Geldopnames (buiten het totaal): 15,00 €"),
            "{text}"
        );
        assert!(text.contains("RETRAIT ESPÈCES [geldopname]"), "{text}");
        assert!(text.contains(" 2 kastickets "), "{text}");
        assert!(text.contains(" 1 kasticket "), "{text}");
        assert!(text.contains("Per btw-tarief"), "{text}");
        for french in ["SOLDE", "Par vendeur", "retraits", "[retrait]", "HEURE"] {
            assert!(!text.contains(french), "{french} in\n{text}");
        }
    }

    #[test]
    fn the_day_report_speaks_english_with_euro_signs_first() {
        let text = origin_day().to_text_in(Lang::En, "KACHING");
        assert!(
            text.starts_with("KACHING — DAY REPORT FOR 31/05/2026\n"),
            "{text}"
        );
        assert!(text.contains("TILL BALANCE: €13.70"), "{text}");
        assert!(
            text.contains("Cash withdrawals (not in the total): €15.00"),
            "{text}"
        );
        assert!(text.contains("€1.20"), "{text}");
        assert!(text.contains(" 1 ticket "), "{text}");
        assert!(!text.contains(" 1 tickets"), "{text}");
        assert!(text.contains("[withdrawal]"), "{text}");
        assert!(!text.contains("13,70"), "{text}");
    }

    #[test]
    fn the_csv_is_the_same_file_in_every_language() {
        let r = origin_day();
        let fr = ExportFormat::Csv.render_in(Lang::Fr, &r, "K").unwrap();
        for lang in [Lang::Nl, Lang::En] {
            assert_eq!(ExportFormat::Csv.render_in(lang, &r, "K").unwrap(), fr);
        }
        let fr = String::from_utf8(fr).unwrap();
        assert!(
            fr.starts_with(
                "day,time,till,ticket,seller,product,qty,kind,amount,vat_rate,rounding,discount,sale_kind\n"
            ),
            "{fr}"
        );
    }

    #[test]
    fn the_list_of_days_and_the_journal_speak_the_language_and_stay_aligned() {
        let d = |n| NaiveDate::from_ymd_opt(2026, 5, n).unwrap();
        let sums = [DaySummary {
            day: d(2),
            tickets: 1,
            revenue_cents: Money::from_cents(1870),
            withdrawal_cents: Money::ZERO,
        }];
        let fr = days_to_text(&sums);
        assert!(
            fr.starts_with("JOUR          TICKETS        RECETTE       RETRAITS\n"),
            "{fr}"
        );
        assert!(fr.contains("02/05/2026"), "{fr}");
        let nl = days_to_text_in(Lang::Nl, &sums);
        assert!(nl.starts_with("DAG"), "{nl}");
        assert!(
            nl.contains("KASTICKETS") && nl.contains("ONTVANGSTEN"),
            "{nl}"
        );
        let en = days_to_text_in(Lang::En, &sums);
        assert!(en.contains("TAKINGS") && en.contains("€18.70"), "{en}");
        for text in [&fr, &nl, &en] {
            let widths: Vec<usize> = text.lines().map(|l| l.chars().count()).collect();
            assert!(widths.windows(2).all(|w| w[0] == w[1]), "{text}");
        }

        let vat = [DayVatRow {
            day: d(2),
            rate: VatRate::Six,
            gross: Money::from_cents(1870),
            refunds: Money::ZERO,
            discount: Money::ZERO,
        }];
        let j = Journal::build(d(1), d(2), &sums, &vat, &[], &[]).unwrap();
        let nl = j.to_text_in(Lang::Nl, "KACHING");
        assert!(
            nl.starts_with("KACHING — DAGBOEK VAN ONTVANGSTEN van 01/05/2026 tot 02/05/2026\n"),
            "{nl}"
        );
        assert!(nl.contains("BTW 21 %") && nl.contains("TOTAAL"), "{nl}");
        let en = j.to_text_in(Lang::En, "KACHING");
        assert!(en.contains("VAT 6 %") && en.contains("€18.70"), "{en}");
        let fr = j.to_text("KACHING");
        assert!(
            fr.contains("JOURNAL DES RECETTES du 01/05/2026 au 02/05/2026"),
            "{fr}"
        );
        assert!(fr.contains("TVA 12 %"), "{fr}");
        for text in [&fr, &nl, &en] {
            // Every row, the total's too, is as wide as the header: the columns line up.
            let widths: Vec<usize> = text.lines().skip(1).map(|l| l.chars().count()).collect();
            assert!(widths.windows(2).all(|w| w[0] == w[1]), "{text}");
        }
    }

    #[test]
    fn json_has_the_documented_fields() {
        let v = serde_json::to_value(origin_day()).unwrap();
        assert_eq!(v["day"], "2026-05-31");
        assert_eq!(v["revenue_cents"], 1370);
        assert_eq!(v["withdrawal_cents"], 1500);
        assert_eq!(v["lines"][2]["kind"], "withdrawal");
        assert_eq!(v["lines"][0]["total_cents"], 120);
        assert_eq!(v["by_vat"][0]["rate"], 6);
    }

    #[test]
    fn csv_quotes_names_and_uses_decimal_points() {
        let mut r = origin_day();
        r.lines[0].product = "Pain, \"spécial\"".into();
        let csv = r.to_csv().unwrap();
        assert!(csv.contains("\"Pain, \"\"spécial\"\"\""), "{csv}");
        assert!(csv.contains(",15.00,"), "{csv}");
    }

    #[test]
    fn the_journal_has_every_day_of_the_period() {
        let d = |n| NaiveDate::from_ymd_opt(2026, 5, n).unwrap();
        let sums = [DaySummary {
            day: d(2),
            tickets: 2,
            revenue_cents: Money::from_cents(500),
            withdrawal_cents: Money::ZERO,
        }];
        let vat = [
            DayVatRow {
                day: d(2),
                rate: VatRate::Six,
                gross: Money::from_cents(300),
                refunds: Money::ZERO,
                discount: Money::ZERO,
            },
            DayVatRow {
                day: d(2),
                rate: VatRate::TwentyOne,
                gross: Money::from_cents(200),
                refunds: Money::ZERO,
                discount: Money::ZERO,
            },
        ];
        let j = Journal::build(d(1), d(3), &sums, &vat, &[], &[]).unwrap();
        assert_eq!(j.days.len(), 3);
        assert_eq!(j.days[0].tickets, 0);
        assert_eq!(j.days[1].by_vat[1].gross_cents, Money::from_cents(300));
        assert_eq!(j.revenue_cents, Money::from_cents(500));
        assert!(Journal::build(d(3), d(1), &sums, &vat, &[], &[]).is_err());
    }

    fn rounding(till: &str, ticket: i64, cents: i64) -> TicketRounding {
        TicketRounding {
            till_id: till.into(),
            ticket_no: ticket,
            rounding_cents: Money::from_cents(cents),
        }
    }

    /// A day of six tickets, worked out by hand (21 % articles at 1,01 … 1,09 €, a croissant at
    /// 1,20 € at 6 %):
    ///
    /// | ticket | till | tender | lines                       | goods | rounding | paid  |
    /// |--------|------|--------|-----------------------------|-------|----------|-------|
    /// | 1      | 1    | cash   | 1,01                        | 1,01  | −0,01    | 1,00  |
    /// | 2      | 1    | cash   | 1,20 (6 %) + 1,03           | 2,23  | +0,02    | 2,25  |
    /// | 3      | 1    | QR     | 1,07                        | 1,07  | 0        | 1,07  |
    /// | 4      | 1    | cash   | 1,07 + withdrawal 10,00     | 1,07  | −0,02    | 11,05 |
    /// | 1      | 2    | cash   | 1,09                        | 1,09  | +0,01    | 1,10  |
    /// | 5      | 1    | cash   | 1,06 + 1,02                 | 2,08  | +0,02    | 2,10  |
    ///
    /// Revenue 8,55 € (6 %: 1,20; 21 %: 7,35), withdrawals 10,00 €, rounding +0,02 €; cash as
    /// paid 17,50 € = cash revenue 7,48 + withdrawals 10,00 + rounding 0,02.
    fn rounded_day() -> DayReport {
        use LineKind::*;
        let (six, vat21) = (Some(VatRate::Six), Some(VatRate::TwentyOne));
        let mut lines = vec![
            line("09:00:00", 1, "AWA", "Article 1", Item, 101, vat21),
            line("09:05:00", 2, "AWA", "Croissant", Item, 120, six),
            line("09:05:00", 2, "AWA", "Article 3", Item, 103, vat21),
            line("09:10:00", 3, "AWA", "Article 7", Item, 107, vat21),
            line("09:15:00", 4, "AWA", "Article 7", Item, 107, vat21),
            line(
                "09:15:00",
                4,
                "AWA",
                "RETRAIT ESPÈCES",
                Withdrawal,
                1000,
                None,
            ),
            line("09:20:00", 1, "Khadija", "Article 9", Item, 109, vat21),
            line("09:25:00", 5, "AWA", "Article 6", Item, 106, vat21),
            line("09:25:00", 5, "AWA", "Article 2", Item, 102, vat21),
        ];
        lines[6].till_id = "till-2".into();
        DayReport::build_with_rounding(
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            lines,
            vec![
                rounding("till-1", 1, -1),
                rounding("till-1", 2, 2),
                rounding("till-1", 3, 0),
                rounding("till-1", 4, -2),
                rounding("till-2", 1, 1),
                rounding("till-1", 5, 2),
            ],
        )
    }

    #[test]
    fn the_day_report_adds_up_the_rounding_apart_from_revenue_and_vat() {
        let r = rounded_day();
        assert_eq!(r.rounding_cents, Money::from_cents(2));
        assert_eq!(r.revenue_cents, Money::from_cents(855));
        assert_eq!(r.withdrawal_cents, Money::from_cents(1000));
        assert_eq!(r.tickets, 6);
        assert_eq!(
            r.by_vat,
            vec![
                VatTotal::of(VatRate::Six, Money::from_cents(120)),
                VatTotal::of(VatRate::TwentyOne, Money::from_cents(735))
            ]
        );
        // The QR ticket's zero is not a rounded ticket.
        assert_eq!(r.roundings.len(), 5);
        assert!(r.roundings.iter().all(|t| t.ticket_no != 3));
        // What the cash tickets brought in: their goods, the withdrawal, the rounding.
        let cash_goods = 101 + 223 + 107 + 109 + 208;
        assert_eq!(cash_goods + 1000 + r.rounding_cents.cents(), 1750);

        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["rounding_cents"], 2);
        assert_eq!(v["revenue_cents"], 855, "the rounding is not revenue");
        assert_eq!(v["roundings"][1]["ticket_no"], 2);
        assert_eq!(v["roundings"][1]["rounding_cents"], 2);

        let fr = r.to_text("K");
        assert!(fr.contains("SOLDE CAISSE : 8,55 €\n"), "{fr}");
        assert!(
            fr.contains("Retraits espèces (hors total) : 10,00 €\nArrondi espèces (hors total) : 0,02 €\nTickets : 6\n"),
            "{fr}"
        );
        let nl = r.to_text_in(Lang::Nl, "K");
        assert!(
            nl.contains("Afronding contant (buiten het totaal): 0,02 €"),
            "{nl}"
        );
        let en = r.to_text_in(Lang::En, "K");
        assert!(
            en.contains("Cash rounding (not in the total): €0.02"),
            "{en}"
        );
        // A day without rounded payments reads as it always did.
        assert!(!origin_day().to_text("K").contains("Arrondi"));
    }

    #[test]
    fn the_day_csv_puts_each_tickets_rounding_on_its_first_line_and_adds_up() {
        let csv = rounded_day().to_csv().unwrap();
        let rows: Vec<Vec<String>> = csv
            .lines()
            .map(|l| l.split(',').map(str::to_owned).collect())
            .collect();
        // `rounding` stays the 11th column, where it was before the columns added after it.
        assert_eq!(rows[0][10], "rounding");
        let col: Vec<&str> = rows[1..].iter().map(|r| r[10].as_str()).collect();
        assert_eq!(
            col,
            ["-0.01", "0.02", "", "0.00", "-0.02", "", "0.01", "0.02", ""]
        );
        let sum: i64 = col
            .iter()
            .filter(|c| !c.is_empty())
            .map(|c| c.replace('.', "").parse::<i64>().unwrap())
            .sum();
        assert_eq!(sum, 2);
    }

    #[test]
    fn roundings_that_cancel_out_still_show_a_rounding_row_of_zero() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let six = Some(VatRate::Six);
        let r = DayReport::build_with_rounding(
            day,
            vec![
                line("09:00:00", 1, "AWA", "A", LineKind::Item, 101, six),
                line("09:01:00", 2, "AWA", "B", LineKind::Item, 109, six),
            ],
            vec![rounding("till-1", 1, -1), rounding("till-1", 2, 1)],
        );
        assert_eq!(r.rounding_cents, Money::ZERO);
        assert!(
            r.to_text("K")
                .contains("Arrondi espèces (hors total) : 0,00 €"),
            "{}",
            r.to_text("K")
        );
    }

    /// The journal of 1-3 December, by hand: the 1st is [`rounded_day`] (+0,02 €), the 2nd has
    /// no sale, the 3rd two cash sales of 1,02 € on two tills (−0,02 € each, one row per till
    /// as the central database may give them): the period's rounding is 0,02 − 0,04 = −0,02 €,
    /// its revenue 8,55 + 2,04 = 10,59 €, and the rounding is in neither.
    #[test]
    fn the_journal_has_the_rounding_per_day_and_for_the_period_outside_revenue_and_vat() {
        let d = |n| NaiveDate::from_ymd_opt(2026, 12, n).unwrap();
        let sums = [
            DaySummary {
                day: d(1),
                tickets: 6,
                revenue_cents: Money::from_cents(855),
                withdrawal_cents: Money::from_cents(1000),
            },
            DaySummary {
                day: d(3),
                tickets: 2,
                revenue_cents: Money::from_cents(204),
                withdrawal_cents: Money::ZERO,
            },
        ];
        let vat = [
            DayVatRow {
                day: d(1),
                rate: VatRate::Six,
                gross: Money::from_cents(120),
                refunds: Money::ZERO,
                discount: Money::ZERO,
            },
            DayVatRow {
                day: d(1),
                rate: VatRate::TwentyOne,
                gross: Money::from_cents(735),
                refunds: Money::ZERO,
                discount: Money::ZERO,
            },
            DayVatRow {
                day: d(3),
                rate: VatRate::TwentyOne,
                gross: Money::from_cents(204),
                refunds: Money::ZERO,
                discount: Money::ZERO,
            },
        ];
        let rounding = |day, cents| DayRoundingRow {
            day,
            rounding: Money::from_cents(cents),
        };
        let j = Journal::build(
            d(1),
            d(3),
            &sums,
            &vat,
            &[rounding(d(1), 2), rounding(d(3), -2), rounding(d(3), -2)],
            &[],
        )
        .unwrap();
        let table: Vec<(NaiveDate, i64, i64, i64)> = j
            .days
            .iter()
            .map(|day| {
                (
                    day.day,
                    day.revenue_cents.cents(),
                    day.by_vat.iter().map(|v| v.gross_cents.cents()).sum(),
                    day.rounding_cents.cents(),
                )
            })
            .collect();
        assert_eq!(
            table,
            [(d(1), 855, 855, 2), (d(2), 0, 0, 0), (d(3), 204, 204, -4)]
        );
        assert_eq!(j.rounding_cents, Money::from_cents(-2));
        assert_eq!(j.revenue_cents, Money::from_cents(1059));
        assert_eq!(
            j.by_vat
                .iter()
                .map(|v| v.gross_cents.cents())
                .collect::<Vec<_>>(),
            [0, 120, 0, 939]
        );

        let v = serde_json::to_value(&j).unwrap();
        assert_eq!(v["rounding_cents"], -2);
        assert_eq!(v["days"][2]["rounding_cents"], -4);
        assert_eq!(v["revenue_cents"], 1059);

        let csv = j.to_csv().unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        let cell = |row: usize, col: usize| lines[row].split(',').nth(col).unwrap();
        // `rounding` stays the 13th column, after `vat_21`, where it was before the columns
        // added after it.
        assert!(
            lines[0].starts_with(
                "day,tickets,revenue,withdrawals,gross_0,vat_0,gross_6,vat_6,gross_12,vat_12,gross_21,vat_21,rounding,"
            ),
            "{csv}"
        );
        assert!(lines[1].starts_with("2026-12-01,6,8.55,10.00,"), "{csv}");
        assert_eq!(
            [cell(1, 12), cell(2, 12), cell(3, 12)],
            ["0.02", "0.00", "-0.04"]
        );

        for (lang, header, total) in [
            (Lang::Fr, "ARRONDI", "-0,02 €"),
            (Lang::Nl, "AFRONDING", "-0,02 €"),
            (Lang::En, "ROUNDING", "-€0.02"),
        ] {
            let text = j.to_text_in(lang, "K");
            let rows: Vec<&str> = text.lines().collect();
            assert!(rows[1].ends_with(header), "{text}");
            assert!(rows[5].ends_with(&format!(" {total}")), "{text}");
            // The rounding column lines up like the others.
            let widths: Vec<usize> = rows[1..].iter().map(|l| l.chars().count()).collect();
            assert!(widths.windows(2).all(|w| w[0] == w[1]), "{text}");
        }
    }

    /// A day line with everything: `qty`, `discount`, and whether it is a credit note's.
    #[allow(clippy::too_many_arguments)]
    fn full_line(
        ticket: i64,
        seller: &str,
        product: &str,
        qty: i64,
        cents: i64,
        vat: VatRate,
        discount: i64,
        refund: bool,
    ) -> ReportLine {
        ReportLine {
            qty,
            discount_cents: Money::from_cents(discount),
            refund,
            ..line(
                "10:00:00",
                ticket,
                seller,
                product,
                LineKind::Item,
                cents,
                Some(vat),
            )
        }
    }

    /// The day of tests/refund_reports.rs, by hand (6 %: café 2,50 €, pain au chocolat 1,20 €;
    /// 21 %: déodorant 4,00 €):
    ///
    /// | # | kind   | seller  | line        | qty | gross  | discount | net    | rate |
    /// |---|--------|---------|-------------|-----|--------|----------|--------|------|
    /// | 1 | sale   | ADMIN   | Déodorant   | 2   | 8,00   | 1,88     | 6,12   | 21   |
    /// | 1 | sale   | ADMIN   | Café        | 3   | 7,50   | 1,42     | 6,08   | 6    |
    /// | 1 | sale   | ADMIN   | Pain choc.  | 2   | 2,40   | 0,69     | 1,71   | 6    |
    /// | 2 | refund | ADMIN   | Café        | −1  | −2,50  | −0,47    | −2,03  | 6    |
    /// | 3 | sale   | Khadija | Café        | 1   | 2,50   |          | 2,50   | 6    |
    /// | 3 | sale   | Khadija | Déodorant   | 1   | 4,00   |          | 4,00   | 21   |
    /// | 4 | refund | ADMIN   | Déodorant   | −1  | −4,00  |          | −4,00  | 21   |
    ///
    /// Cash rounding: −0,01 (ticket 1), −0,02 (credit note 2).
    fn refund_day() -> DayReport {
        use VatRate::{Six, TwentyOne};
        DayReport::build_with_rounding(
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            vec![
                full_line(1, "ADMIN", "Déodorant", 2, 612, TwentyOne, 188, false),
                full_line(1, "ADMIN", "Café", 3, 608, Six, 142, false),
                full_line(1, "ADMIN", "Pain au chocolat", 2, 171, Six, 69, false),
                full_line(2, "ADMIN", "Café", -1, -203, Six, -47, true),
                full_line(3, "Khadija", "Café", 1, 250, Six, 0, false),
                full_line(3, "Khadija", "Déodorant", 1, 400, TwentyOne, 0, false),
                full_line(4, "ADMIN", "Déodorant", -1, -400, TwentyOne, 0, true),
            ],
            vec![rounding("till-1", 1, -1), rounding("till-1", 2, -2)],
        )
    }

    #[test]
    fn a_credit_note_is_counted_apart_from_the_sales_and_inside_the_net_per_seller_and_rate() {
        let r = refund_day();
        assert_eq!((r.tickets, r.refunds, r.discounts), (2, 2, 1));
        let cents = |m: Money| m.cents();
        assert_eq!(
            [
                cents(r.sales_cents),
                cents(r.refund_cents),
                cents(r.revenue_cents),
                cents(r.discount_cents),
                cents(r.rounding_cents),
            ],
            [2041, -603, 1438, 352, -3]
        );
        // A credit note counts for the seller who made it: ADMIN gave back Khadija's sale.
        let sellers: Vec<(&str, [i64; 6])> = r
            .by_seller
            .iter()
            .map(|s| {
                (
                    s.seller.as_str(),
                    [
                        s.tickets,
                        cents(s.sales_cents),
                        s.refunds,
                        cents(s.refund_cents),
                        cents(s.revenue_cents),
                        cents(s.discount_cents),
                    ],
                )
            })
            .collect();
        assert_eq!(
            sellers,
            [
                ("ADMIN", [1, 1391, 2, -603, 788, 352]),
                ("Khadija", [1, 650, 0, 0, 650, 0]),
            ]
        );
        // Per rate: sales, credit notes, net (VAT-inclusive), VAT, without VAT, discounts.
        let rates: Vec<[i64; 7]> = r
            .by_vat
            .iter()
            .map(|v| {
                [
                    i64::from(v.rate.percent()),
                    cents(v.sales_cents),
                    cents(v.refund_cents),
                    cents(v.gross_cents),
                    cents(v.vat_cents),
                    cents(v.net_cents),
                    cents(v.discount_cents),
                ]
            })
            .collect();
        assert_eq!(
            rates,
            [
                // 826 × 6 / 106 = 46,75 → 47; 612 × 21 / 121 = 106,2 → 106.
                [6, 1029, -203, 826, 47, 779, 164],
                [21, 1012, -400, 612, 106, 506, 188],
            ]
        );

        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["refunds"], 2);
        assert_eq!(v["refund_cents"], -603);
        assert_eq!(v["lines"][3]["refund"], true);
        assert_eq!(v["lines"][3]["discount_cents"], -47);
        assert_eq!(v["by_vat"][0]["refund_cents"], -203);
        assert_eq!(v["by_seller"][0]["refunds"], 2);
    }

    #[test]
    fn the_day_text_and_csv_show_the_credit_notes_and_the_discounts() {
        let r = refund_day();
        let fr = r.to_text("K");
        for needle in [
            "10:00:00  ADMIN        Café [note de crédit]          x-1      -2,03 €\n",
            "Ventes : 20,41 €\nNotes de crédit (2) : -6,03 €\nSOLDE CAISSE : 14,38 €\n",
            "Remises (déjà déduites, 1 vente) : 3,52 €\n",
            "Tickets : 2\n",
            "notes de crédit   2      -6,03 €  remises       3,52 €\n",
            "VENTES    REMBOURSÉ      REMISES\n",
            "   6 %                 8,26 €       7,79 €       0,47 €      10,29 €      -2,03 €       1,64 €\n",
        ] {
            assert!(fr.contains(needle), "{needle:?} not in\n{fr}");
        }
        assert!(fr.lines().all(|l| l.chars().count() <= 94), "{fr}");
        let nl = r.to_text_in(Lang::Nl, "K");
        assert!(
            nl.contains("Creditnota's (2): -6,03 €") && nl.contains("[creditnota]"),
            "{nl}"
        );
        let en = r.to_text_in(Lang::En, "K");
        assert!(
            en.contains("Credit notes (2): -€6.03") && en.contains("Sales: €20.41"),
            "{en}"
        );
        // A long name keeps its mark.
        let mut long = refund_day();
        long.lines[3].product = "Croissant au pistache extra large".into();
        let text = long.to_text("K");
        assert!(
            text.contains("  Croissant a [note de crédit]   x-1"),
            "{text}"
        );

        let csv = r.to_csv().unwrap();
        let rows: Vec<&str> = csv.lines().collect();
        assert!(rows[0].ends_with(",rounding,discount,sale_kind"), "{csv}");
        assert!(
            rows[1].ends_with(",Déodorant,2,item,6.12,21,-0.01,1.88,sale"),
            "{csv}"
        );
        assert!(
            rows[4].ends_with(",-1,item,-2.03,6,-0.02,-0.47,refund"),
            "{csv}"
        );
        assert!(
            rows[7].ends_with(",-1,item,-4.00,21,0.00,0.00,refund"),
            "{csv}"
        );
    }

    #[test]
    fn vat_on_a_negative_amount_mirrors_the_positive_one() {
        // 2,03 € at 6 %: 0,1149 € → 0,11 €; −2,03 € → −0,11 € (not −0,10 €).
        assert_eq!(VatRate::Six.vat_in(Money::from_cents(203)).cents(), 11);
        assert_eq!(VatRate::Six.vat_in(Money::from_cents(-203)).cents(), -11);
        for cents in -2000..=2000 {
            for rate in VatRate::ALL {
                assert_eq!(
                    rate.vat_in(Money::from_cents(-cents)).cents(),
                    -rate.vat_in(Money::from_cents(cents)).cents(),
                    "{cents} at {rate:?}"
                );
            }
        }
        // A day of credit notes only: every figure negative, consistent.
        let v = VatTotal::split(
            VatRate::Six,
            Money::ZERO,
            Money::from_cents(-203),
            Money::from_cents(-47),
        );
        assert_eq!(
            (
                v.gross_cents.cents(),
                v.vat_cents.cents(),
                v.net_cents.cents()
            ),
            (-203, -11, -192)
        );
    }

    /// The journal of 1-2 December: the 1st is [`refund_day`], the 2nd has no sale. The ledger
    /// gives the 1st's VAT rows apart (its totals per rate, then the credit notes' and
    /// discounts' split), the journal adds them up.
    #[test]
    fn the_journal_is_net_per_rate_and_shows_credit_notes_and_discounts() {
        let d = |n| NaiveDate::from_ymd_opt(2026, 12, n).unwrap();
        let m = Money::from_cents;
        let sums = [DaySummary {
            day: d(1),
            tickets: 2,
            revenue_cents: m(1438),
            withdrawal_cents: Money::ZERO,
        }];
        let vat = |rate, gross, refunds, discount| DayVatRow {
            day: d(1),
            rate,
            gross: m(gross),
            refunds: m(refunds),
            discount: m(discount),
        };
        let vat = [
            vat(VatRate::Six, 826, 0, 0),
            vat(VatRate::TwentyOne, 612, 0, 0),
            vat(VatRate::Six, 0, -203, 164),
            vat(VatRate::TwentyOne, 0, -400, 188),
        ];
        let refunds = [DayRefundRow {
            day: d(1),
            refunds: 2,
            refund: m(-603),
            discount: m(352),
        }];
        let rounding = [DayRoundingRow {
            day: d(1),
            rounding: m(-3),
        }];
        let j = Journal::build(d(1), d(2), &sums, &vat, &rounding, &refunds).unwrap();
        let day = &j.days[0];
        assert_eq!(
            (
                day.tickets,
                day.refunds,
                day.sales_cents.cents(),
                day.refund_cents.cents(),
                day.revenue_cents.cents(),
                day.discount_cents.cents()
            ),
            (2, 2, 2041, -603, 1438, 352)
        );
        let rates: Vec<[i64; 5]> = j
            .by_vat
            .iter()
            .map(|v| {
                [
                    v.sales_cents.cents(),
                    v.refund_cents.cents(),
                    v.gross_cents.cents(),
                    v.vat_cents.cents(),
                    v.discount_cents.cents(),
                ]
            })
            .collect();
        assert_eq!(
            rates,
            [
                [0, 0, 0, 0, 0],
                [1029, -203, 826, 47, 164],
                [0, 0, 0, 0, 0],
                [1012, -400, 612, 106, 188]
            ]
        );
        assert_eq!(refund_day().by_vat[0], j.by_vat[1], "the day report agrees");
        assert_eq!(
            (j.refunds, j.refund_cents.cents(), j.discount_cents.cents()),
            (2, -603, 352)
        );

        let fr = j.to_text("K");
        let rows: Vec<&str> = fr.lines().collect();
        assert!(
            rows[1].starts_with("JOUR         TICKETS N. CRÉD.      RECETTE")
                && rows[1].ends_with("TVA 21 %   REMBOURSÉ     REMISES    ARRONDI"),
            "{fr}"
        );
        assert!(
            rows[2].starts_with("01/12/2026         2        2      14,38 €")
                && rows[2].ends_with("6,12 €     -6,03 €      3,52 €    -0,03 €"),
            "{fr}"
        );
        assert!(
            rows[4].starts_with("TOTAL                              14,38 €"),
            "{fr}"
        );
        // The table's rows line up; the table per rate follows.
        let widths: Vec<usize> = rows[1..=4].iter().map(|l| l.chars().count()).collect();
        assert!(widths.windows(2).all(|w| w[0] == w[1]), "{fr}");
        assert!(
            fr.contains("   6 %                 8,26 €       7,79 €       0,47 €      10,29 €      -2,03 €       1,64 €"),
            "{fr}"
        );

        let csv = j.to_csv().unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert!(
            lines[0].ends_with(",rounding,sales,credit_notes,refunds,discounts,refunds_0,discounts_0,refunds_6,discounts_6,refunds_12,discounts_12,refunds_21,discounts_21"),
            "{csv}"
        );
        assert!(
            lines[1]
                .ends_with(",-0.03,20.41,2,-6.03,3.52,0.00,0.00,-2.03,1.64,0.00,0.00,-4.00,1.88"),
            "{csv}"
        );
        assert!(
            lines[1].starts_with("2026-12-01,2,14.38,0.00,0.00,0.00,8.26,0.47,"),
            "{csv}"
        );
        assert!(
            lines[2].ends_with(",0.00,0.00,0,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00"),
            "{csv}"
        );
    }
}
