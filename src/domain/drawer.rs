//! The cash drawer: a session runs from `drawer open` (a counted float) to `drawer close` (the
//! counted cash) on one till, and its X (so far) and Z (closing) reports. Pure: the ledger
//! gathers the session's sales and moves, [`DrawerReport::build`] adds them up — one function
//! for both reports, so an X and the Z that follows never disagree on what "expected" means.
//!
//! Expected cash = float + cash sales as paid (after rounding; `paid` is what the customer gave
//! minus the change, so change is never counted as cash received) + credit notes paid back in
//! cash as paid (negative, rounded like a sale: what left the drawer) − withdrawals (RETRAIT
//! ESPÈCES lines: cash handed to the customer, whatever the tender) + cash in − cash out.
//!
//! Credit notes (sales of kind `refund`) are not tickets sold: `tickets`, `cash_cents` and
//! `qr_cents` are the sales'; `refunds` counts the credit notes and `refunds_cents` is what they
//! paid back (negative, as in the ledger), split by tender (`refunds_cash_cents`,
//! `refunds_qr_cents`). Revenue and the VAT-inclusive totals per rate are net (sales + credit
//! notes), each rate also saying what credit notes took back and discounts took off.
//! `discounts` counts the sales with a discounted line, `discounts_cents` is what discounts took
//! off, net of the shares credit notes gave back — the day report's and the journal's figure.
//!
//! A Z report is sealed like a ticket: `hash = SHA-256(prev_hash || canonical Z)`, numbered
//! gaplessly per till (the session number is the Z number). A field added to the report after Z
//! reports were first sealed (`voids`, then the credit notes' and discounts') is left out of the
//! canonical form when it is zero, so a Z sealed before it existed still matches its seal.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::money::Money;
use super::product::VatRate;
use super::sale::{PaymentMethod, SaleKind, format_instant};
use crate::i18n::{Lang, money, t};

/// The most one cash-in, cash-out, float or count may be: 100 000,00 €.
pub const MAX_DRAWER_AMOUNT: Money = Money::from_cents(10_000_000);
/// The longest reason for a cash-in or cash-out.
pub const MAX_REASON: usize = 80;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MoveKind {
    In,
    Out,
}

impl MoveKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MoveKind::In => "in",
            MoveKind::Out => "out",
        }
    }
    pub fn parse(s: &str) -> Option<MoveKind> {
        match s {
            "in" => Some(MoveKind::In),
            "out" => Some(MoveKind::Out),
            _ => None,
        }
    }
}

/// Why a drawer amount or reason is refused (the till says it in the cashier's language).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DrawerInputError {
    #[error("the amount must be more than 0,00 €")]
    NotPositive,
    #[error("the amount must be at most {MAX_DRAWER_AMOUNT}")]
    TooLarge,
    #[error("a float or a count cannot be negative")]
    Negative,
    #[error("a reason is needed")]
    NoReason,
    #[error("the reason must be at most {MAX_REASON} printable characters")]
    BadReason,
}

/// A cash-in or cash-out amount: more than zero, at most [`MAX_DRAWER_AMOUNT`].
pub fn move_amount(m: Money) -> Result<Money, DrawerInputError> {
    if m.cents() <= 0 {
        Err(DrawerInputError::NotPositive)
    } else if m > MAX_DRAWER_AMOUNT {
        Err(DrawerInputError::TooLarge)
    } else {
        Ok(m)
    }
}

/// A float or a counted amount: zero or more, at most [`MAX_DRAWER_AMOUNT`].
pub fn counted_amount(m: Money) -> Result<Money, DrawerInputError> {
    if m.is_negative() {
        Err(DrawerInputError::Negative)
    } else if m > MAX_DRAWER_AMOUNT {
        Err(DrawerInputError::TooLarge)
    } else {
        Ok(m)
    }
}

/// A cash-in or cash-out reason: trimmed, not empty, printable, at most [`MAX_REASON`].
pub fn reason(s: &str) -> Result<String, DrawerInputError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(DrawerInputError::NoReason);
    }
    if t.chars().count() > MAX_REASON || t.chars().any(char::is_control) {
        return Err(DrawerInputError::BadReason);
    }
    Ok(t.to_owned())
}

/// A drawer session as the ledger keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawerSession {
    pub till_id: String,
    /// Gapless per till: the Z report's number.
    pub session_no: i64,
    pub opened_at: DateTime<Utc>,
    pub opened_by: String,
    pub float: Money,
    /// `false`: opened by the till at a first cash operation with 0,00 €, nobody counted.
    pub float_counted: bool,
}

/// A cash-in or cash-out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawerMove {
    pub kind: MoveKind,
    pub amount: Money,
    pub reason: String,
    pub staff_name: String,
    pub at: DateTime<Utc>,
}

/// What a report needs of one sale (or credit note) of the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSale {
    pub staff_name: String,
    pub kind: SaleKind,
    pub method: PaymentMethod,
    /// As paid (negative on a credit note: what was paid back).
    pub paid: Money,
    pub withdrawal: Money,
    pub rounding: Money,
    pub items: Vec<SessionItem>,
}

/// An item line of a session's sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionItem {
    pub rate: VatRate,
    /// What the line cost (negative on a credit note).
    pub gross: Money,
    /// What discounts took off it (on a credit note: the share given back, negative).
    pub discount: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct VatLine {
    pub rate_pct: u32,
    /// Net of credit notes.
    pub gross_cents: i64,
    pub vat_cents: i64,
    /// What credit notes took back at this rate (negative; absent when none).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub refunds_cents: i64,
    /// What discounts took off at this rate, net (absent when none).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub discount_cents: i64,
}

/// The X or Z report of a session: every figure in cents. The order of the fields is the
/// sealed form's: a new one goes where it reads best, skipped when zero (see the module doc).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DrawerReport {
    /// `x` (so far) or `z` (closing).
    pub kind: String,
    pub till_id: String,
    /// The Z number (the session's).
    pub z_no: i64,
    pub opened_at: String,
    /// The closing time for a Z, the time of the report for an X.
    pub until: String,
    pub cashiers: Vec<String>,
    /// Tickets sold (credit notes are in `refunds`).
    pub tickets: i64,
    /// Basket lines voided since the previous Z (absent when none: see the module doc).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub voids: i64,
    /// Credit notes (absent when none).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub refunds: i64,
    /// Sales with a discounted line (absent when none).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub discounts: i64,
    /// Net of credit notes.
    pub revenue_cents: i64,
    pub by_vat: Vec<VatLine>,
    /// What discounts took off, net of the shares credit notes gave back (absent when zero).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub discounts_cents: i64,
    /// The sales paid in cash and by QR, as paid (credit notes apart).
    pub cash_cents: i64,
    pub qr_cents: i64,
    /// What credit notes paid back (negative, after cash rounding), in all and by tender
    /// (absent when zero).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub refunds_cents: i64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub refunds_cash_cents: i64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub refunds_qr_cents: i64,
    /// Every ticket's cash rounding, credit notes' included.
    pub rounding_cents: i64,
    pub float_cents: i64,
    pub float_counted: bool,
    pub cash_in_cents: i64,
    pub cash_out_cents: i64,
    pub withdrawals_cents: i64,
    pub expected_cents: i64,
    /// A Z only: what was counted, and counted − expected.
    pub counted_cents: Option<i64>,
    pub difference_cents: Option<i64>,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

impl DrawerReport {
    /// Adds up a session: an X report when `counted` is `None`, the Z when it is the count.
    /// `voids` is the number of basket lines voided since the previous Z (the ledger counts
    /// them).
    pub fn build(
        session: &DrawerSession,
        sales: &[SessionSale],
        moves: &[DrawerMove],
        voids: i64,
        until: DateTime<Utc>,
        counted: Option<Money>,
    ) -> DrawerReport {
        let mut cashiers: Vec<String> = Vec::new();
        // Per rate: net gross, credit notes, discounts, and whether the session has the rate.
        let mut rates = [(0i64, 0i64, 0i64, false); 4];
        let (mut tickets, mut refunds, mut discounts) = (0i64, 0i64, 0i64);
        let (mut cash, mut qr, mut refunds_cash, mut refunds_qr) = (0i64, 0i64, 0i64, 0i64);
        let (mut rounding, mut withdrawals, mut revenue, mut discount) = (0i64, 0i64, 0i64, 0i64);
        for s in sales {
            if !cashiers.contains(&s.staff_name) {
                cashiers.push(s.staff_name.clone());
            }
            let refund = s.kind == SaleKind::Refund;
            let paid = s.paid.cents();
            match (refund, s.method) {
                (false, PaymentMethod::Cash) => cash += paid,
                (false, PaymentMethod::Qr) => qr += paid,
                (true, PaymentMethod::Cash) => refunds_cash += paid,
                (true, PaymentMethod::Qr) => refunds_qr += paid,
            }
            if refund {
                refunds += 1;
            } else {
                tickets += 1;
                if s.items.iter().any(|i| !i.discount.is_zero()) {
                    discounts += 1;
                }
            }
            rounding += s.rounding.cents();
            withdrawals += s.withdrawal.cents();
            for item in &s.items {
                let r = &mut rates[VatRate::ALL
                    .iter()
                    .position(|rate| *rate == item.rate)
                    .unwrap_or(0)];
                r.0 += item.gross.cents();
                if refund {
                    r.1 += item.gross.cents();
                }
                r.2 += item.discount.cents();
                r.3 = true;
                revenue += item.gross.cents();
                discount += item.discount.cents();
            }
        }
        for m in moves {
            if !cashiers.contains(&m.staff_name) {
                cashiers.push(m.staff_name.clone());
            }
        }
        let sum = |k: MoveKind| -> i64 {
            moves
                .iter()
                .filter(|m| m.kind == k)
                .map(|m| m.amount.cents())
                .sum()
        };
        let (cash_in, cash_out) = (sum(MoveKind::In), sum(MoveKind::Out));
        let expected = expected_cash(
            session.float.cents(),
            cash,
            refunds_cash,
            withdrawals,
            cash_in,
            cash_out,
        );
        let by_vat = VatRate::ALL
            .iter()
            .zip(rates)
            .filter(|(_, r)| r.3)
            .map(|(rate, (gross, refunds, discount, _))| VatLine {
                rate_pct: u32::from(rate.percent()),
                gross_cents: gross,
                vat_cents: rate.vat_in(Money::from_cents(gross)).cents(),
                refunds_cents: refunds,
                discount_cents: discount,
            })
            .collect();
        DrawerReport {
            kind: if counted.is_some() { "z" } else { "x" }.into(),
            till_id: session.till_id.clone(),
            z_no: session.session_no,
            opened_at: format_instant(session.opened_at),
            until: format_instant(until),
            cashiers,
            tickets,
            voids,
            refunds,
            discounts,
            revenue_cents: revenue,
            by_vat,
            discounts_cents: discount,
            cash_cents: cash,
            qr_cents: qr,
            refunds_cents: refunds_cash + refunds_qr,
            refunds_cash_cents: refunds_cash,
            refunds_qr_cents: refunds_qr,
            rounding_cents: rounding,
            float_cents: session.float.cents(),
            float_counted: session.float_counted,
            cash_in_cents: cash_in,
            cash_out_cents: cash_out,
            withdrawals_cents: withdrawals,
            expected_cents: expected,
            counted_cents: counted.map(Money::cents),
            difference_cents: counted.map(|c| c.cents() - expected),
        }
    }

    /// The exact text a Z report's hash covers.
    pub fn canonical(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Whether `text` is a Z report in its canonical form sealed as `hash` after `prev_hash`
    /// (what `kaching verify` and a read from the central database both check).
    pub fn matches_seal(text: &str, prev_hash: &str, hash: &str) -> Option<DrawerReport> {
        let z: DrawerReport = serde_json::from_str(text).ok()?;
        (z.canonical() == text && z.seal(prev_hash) == hash).then_some(z)
    }

    /// `SHA-256(prev_hash || "\n" || canonical)`, hex.
    pub fn seal(&self, prev_hash: &str) -> String {
        let mut h = Sha256::new();
        h.update(prev_hash.as_bytes());
        h.update(b"\n");
        h.update(self.canonical().as_bytes());
        hex::encode(h.finalize())
    }
}

impl DrawerReport {
    /// The report as the CLI prints it, in `lang`: the title, then [`DrawerReport::rows_in`].
    pub fn to_text_in(&self, lang: Lang, shop_name: &str) -> String {
        let mut out = t(
            lang,
            if self.kind == "z" {
                "drawer-z-title"
            } else {
                "drawer-x-title"
            },
            &[("no", self.z_no.into()), ("shop", shop_name.into())],
        );
        out.push('\n');
        for (label, value) in self.rows_in(lang) {
            out.push_str(&format!("{label:<28} {value:>14}\n"));
        }
        out
    }

    /// Whether the session has credit notes: their split by tender is shown only then.
    pub fn has_refunds(&self) -> bool {
        self.refunds != 0 || self.refunds_cash_cents != 0 || self.refunds_qr_cents != 0
    }

    /// Every figure as a (label, value) row in `lang`, in the report's order: what the text
    /// report prints and the till's screen lists. The printed twin is
    /// `drawer_print::report_rows`: a row added here needs its twin there.
    pub fn rows_in(&self, lang: Lang) -> Vec<(String, String)> {
        let m = |c: i64| money(lang, Money::from_cents(c));
        let tr = |id: &str| t(lang, id, &[]);
        let mut rows = vec![
            (tr("drawer-r-till"), self.till_id.clone()),
            (tr("drawer-r-from"), self.opened_at.clone()),
            (tr("drawer-r-until"), self.until.clone()),
            (tr("drawer-r-cashiers"), self.cashiers.join(", ")),
            (tr("drawer-r-tickets"), self.tickets.to_string()),
            (tr("drawer-r-voids"), self.voids.to_string()),
            (tr("drawer-r-refunds"), self.refunds.to_string()),
            (tr("drawer-r-discounts"), self.discounts.to_string()),
            (tr("drawer-r-revenue"), m(self.revenue_cents)),
        ];
        for v in &self.by_vat {
            rows.push((
                t(
                    lang,
                    "drawer-r-vat",
                    &[("rate", i64::from(v.rate_pct).into())],
                ),
                format!("{} / {}", m(v.gross_cents), m(v.vat_cents)),
            ));
        }
        rows.push((tr("drawer-r-discounts-total"), m(self.discounts_cents)));
        rows.push((tr("drawer-r-cash"), m(self.cash_cents)));
        rows.push((tr("drawer-r-qr"), m(self.qr_cents)));
        rows.push((tr("drawer-r-refunds-total"), m(self.refunds_cents)));
        if self.has_refunds() {
            rows.push((tr("drawer-r-refunds-cash"), m(self.refunds_cash_cents)));
            rows.push((tr("drawer-r-refunds-qr"), m(self.refunds_qr_cents)));
        }
        rows.push((tr("drawer-r-rounding"), m(self.rounding_cents)));
        let float = if self.float_counted {
            m(self.float_cents)
        } else {
            format!("{} ({})", m(self.float_cents), tr("drawer-r-not-counted"))
        };
        rows.push((tr("drawer-r-float"), float));
        rows.push((tr("drawer-r-in"), m(self.cash_in_cents)));
        rows.push((tr("drawer-r-out"), m(-self.cash_out_cents)));
        rows.push((tr("drawer-r-withdrawals"), m(-self.withdrawals_cents)));
        rows.push((tr("drawer-r-expected"), m(self.expected_cents)));
        if let (Some(c), Some(d)) = (self.counted_cents, self.difference_cents) {
            rows.push((tr("drawer-r-counted"), m(c)));
            rows.push((tr("drawer-r-difference"), m(d)));
        }
        rows
    }

    /// `field,value` lines (the same figures as the text, in cents, for a spreadsheet).
    pub fn to_csv(&self) -> Result<String, csv::Error> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["field", "value"])?;
        let mut put = |k: &str, v: String| w.write_record([k, v.as_str()]);
        put("kind", self.kind.clone())?;
        put("till_id", self.till_id.clone())?;
        put("z_no", self.z_no.to_string())?;
        put("opened_at", self.opened_at.clone())?;
        put("until", self.until.clone())?;
        put("cashiers", self.cashiers.join(" | "))?;
        put("tickets", self.tickets.to_string())?;
        put("voids", self.voids.to_string())?;
        put("refunds", self.refunds.to_string())?;
        put("discounts", self.discounts.to_string())?;
        put("revenue_cents", self.revenue_cents.to_string())?;
        for v in &self.by_vat {
            for (what, cents) in [
                ("gross", v.gross_cents),
                ("vat", v.vat_cents),
                ("refunds", v.refunds_cents),
                ("discount", v.discount_cents),
            ] {
                put(
                    &format!("vat_{}_{what}_cents", v.rate_pct),
                    cents.to_string(),
                )?;
            }
        }
        for (k, v) in [
            ("discounts_cents", self.discounts_cents),
            ("cash_cents", self.cash_cents),
            ("qr_cents", self.qr_cents),
            ("refunds_cents", self.refunds_cents),
            ("refunds_cash_cents", self.refunds_cash_cents),
            ("refunds_qr_cents", self.refunds_qr_cents),
            ("rounding_cents", self.rounding_cents),
            ("float_cents", self.float_cents),
            ("cash_in_cents", self.cash_in_cents),
            ("cash_out_cents", self.cash_out_cents),
            ("withdrawals_cents", self.withdrawals_cents),
            ("expected_cents", self.expected_cents),
        ] {
            put(k, v.to_string())?;
        }
        put("float_counted", self.float_counted.to_string())?;
        put(
            "counted_cents",
            self.counted_cents
                .map(|c| c.to_string())
                .unwrap_or_default(),
        )?;
        put(
            "difference_cents",
            self.difference_cents
                .map(|c| c.to_string())
                .unwrap_or_default(),
        )?;
        let bytes = w.into_inner().map_err(|e| e.into_error())?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// The cash that should be in the drawer (see the module doc): `cash_refunds` is what credit
/// notes paid back in cash, negative as the ledger keeps it.
pub fn expected_cash(
    float: i64,
    cash_paid: i64,
    cash_refunds: i64,
    withdrawals: i64,
    cash_in: i64,
    cash_out: i64,
) -> i64 {
    float + cash_paid + cash_refunds - withdrawals + cash_in - cash_out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn session() -> DrawerSession {
        DrawerSession {
            till_id: "till-1".into(),
            session_no: 3,
            opened_at: at("2026-12-01T07:00:00Z"),
            opened_by: "Khadija".into(),
            float: Money::from_cents(15000),
            float_counted: true,
        }
    }

    fn sale(
        method: PaymentMethod,
        items: &[(VatRate, i64)],
        wd: i64,
        rounding: i64,
    ) -> SessionSale {
        let goods: i64 = items.iter().map(|(_, c)| c).sum();
        SessionSale {
            staff_name: "Khadija".into(),
            kind: SaleKind::Sale,
            method,
            paid: Money::from_cents(goods + wd + rounding),
            withdrawal: Money::from_cents(wd),
            rounding: Money::from_cents(rounding),
            items: items
                .iter()
                .map(|(r, c)| SessionItem {
                    rate: *r,
                    gross: Money::from_cents(*c),
                    discount: Money::ZERO,
                })
                .collect(),
        }
    }

    #[test]
    fn expected_cash_counts_what_was_paid_not_what_was_handed_over() {
        let sales = [
            // 1,23 € paid 1,25 € in cash (the change is not in `paid`).
            sale(PaymentMethod::Cash, &[(VatRate::Six, 123)], 0, 2),
            // 2,50 € by QR with a 20,00 € withdrawal: 20,00 € leaves the drawer.
            sale(PaymentMethod::Qr, &[(VatRate::TwentyOne, 250)], 2000, 0),
            sale(PaymentMethod::Cash, &[(VatRate::Six, 121)], 0, -1),
        ];
        let moves = [
            DrawerMove {
                kind: MoveKind::Out,
                amount: Money::from_cents(10000),
                reason: "banque".into(),
                staff_name: "Marie".into(),
                at: at("2026-12-01T12:00:00Z"),
            },
            DrawerMove {
                kind: MoveKind::In,
                amount: Money::from_cents(2000),
                reason: "monnaie".into(),
                staff_name: "Khadija".into(),
                at: at("2026-12-01T13:00:00Z"),
            },
        ];
        let until = at("2026-12-01T18:00:00Z");
        let x = DrawerReport::build(&session(), &sales, &moves, 2, until, None);
        assert_eq!(x.kind, "x");
        assert_eq!((x.cash_cents, x.qr_cents, x.rounding_cents), (245, 2250, 1));
        assert_eq!(x.revenue_cents, 123 + 250 + 121);
        assert_eq!(x.withdrawals_cents, 2000);
        assert_eq!(x.expected_cents, 15000 + 245 - 2000 + 2000 - 10000);
        assert_eq!(x.cashiers, ["Khadija", "Marie"]);
        assert_eq!(x.tickets, 3);
        assert_eq!(
            x.by_vat
                .iter()
                .map(|v| (v.rate_pct, v.gross_cents))
                .collect::<Vec<_>>(),
            [(6, 244), (21, 250)]
        );
        assert_eq!((x.counted_cents, x.difference_cents), (None, None));
        let z = DrawerReport::build(
            &session(),
            &sales,
            &moves,
            2,
            until,
            Some(Money::from_cents(5240)),
        );
        assert_eq!(z.kind, "z");
        assert_eq!(
            z.expected_cents, x.expected_cents,
            "one computation for both"
        );
        assert_eq!(z.difference_cents, Some(5240 - 5245));
        // The seal covers every figure and the previous Z.
        let h = z.seal("0");
        assert_ne!(z.seal("1"), h);
        let mut edited = z.clone();
        edited.counted_cents = Some(5245);
        assert_ne!(edited.seal("0"), h);
    }

    #[test]
    fn amounts_and_reasons_are_checked() {
        assert_eq!(move_amount(Money::ZERO), Err(DrawerInputError::NotPositive));
        assert_eq!(
            move_amount(Money::from_cents(-5)),
            Err(DrawerInputError::NotPositive)
        );
        assert_eq!(
            move_amount(Money::from_cents(10_000_001)),
            Err(DrawerInputError::TooLarge)
        );
        assert!(move_amount(Money::from_cents(1)).is_ok());
        assert!(counted_amount(Money::ZERO).is_ok());
        assert_eq!(
            counted_amount(Money::from_cents(-1)),
            Err(DrawerInputError::Negative)
        );
        assert_eq!(reason("  "), Err(DrawerInputError::NoReason));
        assert_eq!(reason("a\u{7}"), Err(DrawerInputError::BadReason));
        assert_eq!(reason(&"x".repeat(81)), Err(DrawerInputError::BadReason));
        assert_eq!(reason(" banque ").unwrap(), "banque");
    }

    /// A Z as it was sealed before reports counted voids: no `voids` field at all.
    const OLD_Z: &str = concat!(
        r#"{"kind":"z","till_id":"till-1","z_no":1,"opened_at":"2026-12-01T07:00:00.000Z","#,
        r#""until":"2026-12-01T18:00:00.000Z","cashiers":["Khadija"],"tickets":1,"#,
        r#""revenue_cents":123,"by_vat":[{"rate_pct":6,"gross_cents":123,"vat_cents":7}],"#,
        r#""cash_cents":125,"qr_cents":0,"rounding_cents":2,"float_cents":15000,"#,
        r#""float_counted":true,"cash_in_cents":0,"cash_out_cents":0,"withdrawals_cents":0,"#,
        r#""expected_cents":15125,"counted_cents":15125,"difference_cents":0}"#
    );

    #[test]
    fn a_z_sealed_before_voids_were_counted_still_matches_its_seal() {
        // The seal computed the way it always was, without this program's help.
        let mut h = Sha256::new();
        h.update(b"0\n");
        h.update(OLD_Z.as_bytes());
        let hash = hex::encode(h.finalize());
        let z = DrawerReport::matches_seal(OLD_Z, "0", &hash).expect("the old Z verifies");
        assert_eq!(z.voids, 0);
        assert_eq!(z.canonical(), OLD_Z);
        // An edit still breaks it.
        let edited = OLD_Z.replace("\"counted_cents\":15125", "\"counted_cents\":15130");
        assert!(DrawerReport::matches_seal(&edited, "0", &hash).is_none());
    }

    #[test]
    fn voids_are_in_the_seal_the_text_and_the_csv_when_there_are_some() {
        let sales = [sale(PaymentMethod::Cash, &[(VatRate::Six, 123)], 0, 2)];
        let until = at("2026-12-01T18:00:00Z");
        let counted = Some(Money::from_cents(15125));
        let none = DrawerReport::build(&session(), &sales, &[], 0, until, counted);
        assert!(!none.canonical().contains("voids"), "{}", none.canonical());
        let z = DrawerReport::build(&session(), &sales, &[], 3, until, counted);
        assert!(z.canonical().contains("\"voids\":3"), "{}", z.canonical());
        let sealed = z.seal("0");
        let back = DrawerReport::matches_seal(&z.canonical(), "0", &sealed).unwrap();
        assert_eq!(back.voids, 3);
        let mut fewer = z.clone();
        fewer.voids = 1;
        assert_ne!(fewer.seal("0"), sealed, "the seal covers the voids");
        assert_ne!(none.seal("0"), sealed);

        let text = z.to_text_in(Lang::Fr, "K");
        assert!(text.contains("Lignes supprimées"), "{text}");
        assert!(
            text.lines()
                .any(|l| l.starts_with("Lignes supprimées") && l.ends_with(" 3")),
            "{text}"
        );
        assert!(
            z.to_text_in(Lang::Nl, "K").contains("Gewiste lijnen"),
            "{}",
            z.to_text_in(Lang::Nl, "K")
        );
        assert!(z.to_csv().unwrap().contains("\nvoids,3\n"));
        // Shown as 0 when there were none, though absent from the sealed form.
        assert!(none.to_csv().unwrap().contains("\nvoids,0\n"));
    }

    /// One item line: (rate, what it cost, what discounts took off it).
    fn item(rate: VatRate, gross: i64, discount: i64) -> SessionItem {
        SessionItem {
            rate,
            gross: Money::from_cents(gross),
            discount: Money::from_cents(discount),
        }
    }

    fn ticket(
        kind: SaleKind,
        staff: &str,
        method: PaymentMethod,
        paid: i64,
        rounding: i64,
        items: Vec<SessionItem>,
    ) -> SessionSale {
        SessionSale {
            staff_name: staff.into(),
            kind,
            method,
            paid: Money::from_cents(paid),
            withdrawal: Money::ZERO,
            rounding: Money::from_cents(rounding),
            items,
        }
    }

    /// The session of tests/refund_reports.rs, by hand (6 %: café 2,50 €, pain au chocolat
    /// 1,20 €; 21 %: déodorant 4,00 €), float 50,00 €:
    ///
    /// | # | kind   | who     | tender | lines (net, discount)                          | paid   | rounding |
    /// |---|--------|---------|--------|------------------------------------------------|--------|----------|
    /// | 1 | sale   | ADMIN   | cash   | 2 déo 6,12 (1,88); 3 cafés 6,08 (1,42); 2 pains 1,71 (0,69) | 13,90 | −0,01 |
    /// | 2 | refund | ADMIN   | cash   | 1 café −2,03 (−0,47)                           | −2,05  | −0,02    |
    /// | 3 | sale   | Khadija | QR     | café 2,50; déo 4,00                            | 6,50   | 0        |
    /// | 4 | refund | ADMIN   | cash   | déo −4,00                                      | −4,00  | 0        |
    ///
    /// Tickets sold 2, credit notes 2 (−6,05 € paid back, all in cash), sales with a discount
    /// 1; revenue 13,91 + 6,50 − 2,03 − 4,00 = 14,38 €; discounts 3,99 − 0,47 = 3,52 €;
    /// 6 %: 6,08 + 1,71 + 2,50 − 2,03 = 8,26 € (VAT 0,47, credit notes −2,03, discounts
    /// 1,42 + 0,69 − 0,47 = 1,64); 21 %: 6,12 + 4,00 − 4,00 = 6,12 € (VAT 1,06, credit notes
    /// −4,00, discounts 1,88). Expected cash 50,00 + 13,90 − 2,05 − 4,00 = 57,85 €.
    fn refund_session() -> Vec<SessionSale> {
        use PaymentMethod::{Cash, Qr};
        use SaleKind::{Refund, Sale};
        use VatRate::{Six, TwentyOne};
        vec![
            ticket(
                Sale,
                "ADMIN",
                Cash,
                1390,
                -1,
                vec![
                    item(TwentyOne, 612, 188),
                    item(Six, 608, 142),
                    item(Six, 171, 69),
                ],
            ),
            ticket(Refund, "ADMIN", Cash, -205, -2, vec![item(Six, -203, -47)]),
            ticket(
                Sale,
                "Khadija",
                Qr,
                650,
                0,
                vec![item(Six, 250, 0), item(TwentyOne, 400, 0)],
            ),
            ticket(
                Refund,
                "ADMIN",
                Cash,
                -400,
                0,
                vec![item(TwentyOne, -400, 0)],
            ),
        ]
    }

    #[test]
    fn credit_notes_paid_back_in_cash_leave_the_expected_cash_and_discounts_are_counted() {
        let mut s = session();
        s.float = Money::from_cents(5000);
        let until = at("2026-12-01T18:00:00Z");
        let z = DrawerReport::build(
            &s,
            &refund_session(),
            &[],
            0,
            until,
            Some(Money::from_cents(5785)),
        );
        assert_eq!((z.tickets, z.refunds, z.discounts), (2, 2, 1));
        assert_eq!(
            (z.cash_cents, z.qr_cents, z.rounding_cents),
            (1390, 650, -3)
        );
        assert_eq!(
            (z.refunds_cents, z.refunds_cash_cents, z.refunds_qr_cents),
            (-605, -605, 0)
        );
        assert_eq!((z.revenue_cents, z.discounts_cents), (1438, 352));
        assert_eq!(
            z.by_vat,
            [
                VatLine {
                    rate_pct: 6,
                    gross_cents: 826,
                    vat_cents: 47,
                    refunds_cents: -203,
                    discount_cents: 164,
                },
                VatLine {
                    rate_pct: 21,
                    gross_cents: 612,
                    vat_cents: 106,
                    refunds_cents: -400,
                    discount_cents: 188,
                },
            ]
        );
        assert_eq!(z.expected_cents, 5000 + 1390 - 205 - 400);
        assert_eq!(z.difference_cents, Some(0));
        assert_eq!(z.cashiers, ["ADMIN", "Khadija"]);

        // Paid back by QR instead, the last credit note leaves the drawer alone.
        let mut by_qr = refund_session();
        by_qr[3].method = PaymentMethod::Qr;
        let x = DrawerReport::build(&s, &by_qr, &[], 0, until, None);
        assert_eq!(
            (x.refunds_cents, x.refunds_cash_cents, x.refunds_qr_cents),
            (-605, -205, -400)
        );
        assert_eq!(x.expected_cents, 5000 + 1390 - 205);
        assert_eq!((x.revenue_cents, x.by_vat[1].gross_cents), (1438, 612));
    }

    #[test]
    fn credit_notes_and_discounts_are_in_the_seal_the_text_and_the_csv_and_absent_when_none() {
        let until = at("2026-12-01T18:00:00Z");
        let counted = Some(Money::from_cents(20785));
        let z = DrawerReport::build(&session(), &refund_session(), &[], 0, until, counted);
        let text = z.canonical();
        for field in [
            "\"refunds\":2",
            "\"discounts\":1",
            "\"discounts_cents\":352",
            "\"refunds_cents\":-605",
            "\"refunds_cash_cents\":-605",
            "\"refunds_cents\":-203,\"discount_cents\":164",
        ] {
            assert!(text.contains(field), "{field} not in {text}");
        }
        // Zero: left out (a QR credit note's tender, and a rate without a credit note).
        assert!(!text.contains("refunds_qr_cents"), "{text}");
        let sealed = z.seal("0");
        let back = DrawerReport::matches_seal(&text, "0", &sealed).expect("it verifies");
        assert_eq!(back, z);
        let mut edited = z.clone();
        edited.refunds_cash_cents = -600;
        assert_ne!(edited.seal("0"), sealed, "the seal covers the credit notes");
        let mut edited = z.clone();
        edited.by_vat[0].discount_cents = 0;
        assert_ne!(
            edited.seal("0"),
            sealed,
            "the seal covers the discounts per rate"
        );

        // A session of plain sales: none of the new fields in its sealed form.
        let plain = [sale(PaymentMethod::Cash, &[(VatRate::Six, 123)], 0, 2)];
        let none = DrawerReport::build(&session(), &plain, &[], 0, until, counted);
        for field in ["refunds", "discounts", "discount_cents"] {
            assert!(!none.canonical().contains(field), "{}", none.canonical());
        }

        let fr = z.to_text_in(Lang::Fr, "K");
        let row = |text: &str, label: &str| -> String {
            text.lines()
                .find(|l| l.starts_with(label))
                .unwrap_or_else(|| panic!("no {label} in\n{text}"))
                .to_owned()
        };
        assert!(row(&fr, "Notes de crédit").ends_with(" 2"), "{fr}");
        assert!(row(&fr, "Ventes avec remise").ends_with(" 1"), "{fr}");
        assert!(row(&fr, "Remises").ends_with(" 3,52 €"), "{fr}");
        assert!(row(&fr, "Remboursements").ends_with(" -6,05 €"), "{fr}");
        assert!(
            row(&fr, "Remboursé en espèces").ends_with(" -6,05 €"),
            "{fr}"
        );
        assert!(row(&fr, "Remboursé par QR").ends_with(" 0,00 €"), "{fr}");
        let en = z.to_text_in(Lang::En, "K");
        assert!(row(&en, "Refunded in cash").ends_with(" -€6.05"), "{en}");
        let nl = z.to_text_in(Lang::Nl, "K");
        assert!(row(&nl, "Creditnota's").ends_with(" 2"), "{nl}");
        // Without credit notes, their split by tender is not shown; the counts are, at 0.
        let plain = none.to_text_in(Lang::Fr, "K");
        assert!(!plain.contains("Remboursé en"), "{plain}");
        assert!(row(&plain, "Notes de crédit").ends_with(" 0"), "{plain}");

        let csv = z.to_csv().unwrap();
        for line in [
            "refunds,2",
            "discounts,1",
            "discounts_cents,352",
            "refunds_cents,-605",
            "refunds_cash_cents,-605",
            "refunds_qr_cents,0",
            "vat_6_refunds_cents,-203",
            "vat_21_discount_cents,188",
        ] {
            assert!(csv.lines().any(|l| l == line), "{line} not in\n{csv}");
        }
    }
}
