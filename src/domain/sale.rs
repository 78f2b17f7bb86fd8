//! A sale: what one paid basket becomes. Built from the basket's lines and the tender, then
//! sealed by the ledger with its ticket number and its place in the till's hash chain
//! (`hash = SHA-256(prev_hash || canonical sale)`), so that an edited or removed sale is detected.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::basket::{Account, LineKind, Lines};
use super::money::Money;
use super::product::VatRate;
use super::staff::StaffId;

/// The `prev_hash` of a till's first sale.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Qr,
    Cash,
}

impl PaymentMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Qr => "qr",
            PaymentMethod::Cash => "cash",
        }
    }
    pub fn parse(s: &str) -> Option<PaymentMethod> {
        match s.trim().to_ascii_lowercase().as_str() {
            "qr" => Some(PaymentMethod::Qr),
            "cash" => Some(PaymentMethod::Cash),
            _ => None,
        }
    }
}

/// A sale, or a refund (a credit note: « note de crédit », « creditnota »): numbered in the same
/// gapless series, chained like every ticket, pointing at the sale it reverses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SaleKind {
    #[default]
    Sale,
    Refund,
}

impl SaleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SaleKind::Sale => "sale",
            SaleKind::Refund => "refund",
        }
    }
    pub fn parse(s: &str) -> Option<SaleKind> {
        match s {
            "sale" => Some(SaleKind::Sale),
            "refund" => Some(SaleKind::Refund),
            _ => None,
        }
    }
    pub fn is_sale(&self) -> bool {
        *self == SaleKind::Sale
    }
}

/// The sale a refund reverses, as the credit note names it (its number and date are printed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OriginalRef {
    pub sale_id: String,
    pub till_id: String,
    pub ticket_no: i64,
    pub paid_at: DateTime<Utc>,
    pub method: PaymentMethod,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SaleError {
    #[error("the {0} basket is empty: nothing to pay")]
    EmptyBasket(&'static str),
    #[error("{tendered} tendered is less than the {total} to pay")]
    TenderTooLow { tendered: Money, total: Money },
    #[error("amount overflow")]
    Overflow,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleLine {
    pub line_no: u32,
    pub kind: LineKind,
    pub product_code: Option<String>,
    pub name: String,
    pub unit: Money,
    pub qty: i64,
    /// What the line costs: `unit × qty − discount` (negative on a refund).
    pub total: Money,
    pub vat: Option<VatRate>,
    /// What every discount took off the line (its own and its share of a basket discount);
    /// left out of the hashed form when zero, so older sales keep their hashes.
    #[serde(default, skip_serializing_if = "Money::is_zero_ref")]
    pub discount: Money,
    /// On a refund: the line of the original sale it returns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_line: Option<u32>,
}

/// A paid basket before the ledger gives it a number and a place in the chain. Serialisable: a
/// refund through the provider keeps its credit note's draft in the ledger while it asks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleDraft {
    pub staff_id: StaffId,
    pub staff_name: String,
    pub account: Account,
    pub method: PaymentMethod,
    pub payment_ref: Option<String>,
    /// The payment provider's own id for a QR payment (Payconiq's `paymentId`): what the shop
    /// looks up in the provider's portal, and what a refund is made against.
    pub provider_ref: Option<String>,
    pub lines: Vec<SaleLine>,
    pub revenue: Money,
    pub withdrawal: Money,
    /// What the customer paid: the lines' total plus `rounding`.
    pub paid: Money,
    /// Belgian cash rounding: the rounded cash amount minus the lines' total (−2 to +2 cents);
    /// zero for QR. Outside revenue and VAT: its own total on the reports.
    pub rounding: Money,
    pub tendered: Option<Money>,
    pub change: Money,
    /// Every discount of the sale together (the lines' `discount`).
    pub discount: Money,
    /// `Refund` for a credit note.
    pub kind: SaleKind,
    /// On a refund: the sale it reverses.
    pub original: Option<OriginalRef>,
    /// On a refund: why (the cashier's words) and the manager who approved it.
    pub reason: Option<String>,
    pub approved_by: Option<String>,
}

impl SaleDraft {
    /// A sale of `lines`, not rounded. For cash, `tendered` (`None`: the exact amount) must
    /// cover the total.
    pub fn new(
        staff_id: StaffId,
        staff_name: String,
        account: Account,
        lines: &Lines,
        method: PaymentMethod,
        tendered: Option<Money>,
    ) -> Result<SaleDraft, SaleError> {
        SaleDraft::build(
            staff_id, staff_name, account, lines, method, tendered, false,
        )
    }

    /// [`SaleDraft::new`], a cash payment rounded to the nearest 5 cents when `round_cash`
    /// (`till.cash_rounding`, on in Belgium): the customer pays the rounded amount, the change
    /// is computed from it, and the difference is the sale's `rounding`. QR is never rounded.
    pub fn build(
        staff_id: StaffId,
        staff_name: String,
        account: Account,
        lines: &Lines,
        method: PaymentMethod,
        tendered: Option<Money>,
        round_cash: bool,
    ) -> Result<SaleDraft, SaleError> {
        if lines.is_empty() {
            return Err(SaleError::EmptyBasket(account.as_str()));
        }
        let sale_lines = lines
            .as_slice()
            .iter()
            .zip(lines.priced())
            .enumerate()
            .map(|(i, (l, p))| {
                l.gross().ok_or(SaleError::Overflow)?;
                Ok(SaleLine {
                    line_no: u32::try_from(i + 1).map_err(|_| SaleError::Overflow)?,
                    kind: l.kind,
                    product_code: l.code.as_ref().map(|c| c.as_str().to_owned()),
                    name: l.name.clone(),
                    unit: l.unit,
                    qty: l.qty,
                    total: p.net,
                    vat: l.vat,
                    discount: p.discount,
                    original_line: None,
                })
            })
            .collect::<Result<Vec<_>, SaleError>>()?;
        let discount: Money = sale_lines.iter().map(|l| l.discount).sum();
        let total = lines.total();
        let paid = if method == PaymentMethod::Cash && round_cash {
            total.round_to_5_cents().ok_or(SaleError::Overflow)?
        } else {
            total
        };
        let rounding = paid.checked_sub(total).ok_or(SaleError::Overflow)?;
        let change = match (method, tendered) {
            (PaymentMethod::Cash, Some(t)) if t < paid => {
                return Err(SaleError::TenderTooLow {
                    tendered: t,
                    total: paid,
                });
            }
            (PaymentMethod::Cash, Some(t)) => t.checked_sub(paid).ok_or(SaleError::Overflow)?,
            _ => Money::ZERO,
        };
        Ok(SaleDraft {
            staff_id,
            staff_name,
            account,
            method,
            payment_ref: None,
            provider_ref: None,
            lines: sale_lines,
            revenue: lines.revenue(),
            withdrawal: lines.withdrawals(),
            paid,
            rounding,
            tendered: if method == PaymentMethod::Cash {
                Some(tendered.unwrap_or(paid))
            } else {
                None
            },
            change,
            discount,
            kind: SaleKind::Sale,
            original: None,
            reason: None,
            approved_by: None,
        })
    }

    /// Gives the draft its identity and chains it after `prev_hash`.
    pub fn seal(
        self,
        id: String,
        till_id: String,
        ticket_no: i64,
        paid_at: DateTime<Utc>,
        prev_hash: String,
    ) -> Sale {
        let mut sale = Sale {
            id,
            till_id,
            ticket_no,
            staff_id: self.staff_id,
            staff_name: self.staff_name,
            account: self.account,
            method: self.method,
            payment_ref: self.payment_ref,
            provider_ref: self.provider_ref,
            revenue: self.revenue,
            withdrawal: self.withdrawal,
            paid: self.paid,
            rounding: self.rounding,
            tendered: self.tendered,
            change: self.change,
            discount: self.discount,
            kind: self.kind,
            original: self.original,
            reason: self.reason,
            approved_by: self.approved_by,
            paid_at: truncate_to_millis(paid_at),
            lines: self.lines,
            prev_hash,
            hash: String::new(),
        };
        sale.hash = sale.compute_hash();
        sale
    }
}

/// Sales keep their time to the millisecond, so the stored text and the hashed text agree.
pub fn truncate_to_millis(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(t.timestamp_millis()).unwrap_or(t)
}

pub fn format_instant(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sale {
    pub id: String,
    pub till_id: String,
    pub ticket_no: i64,
    pub staff_id: StaffId,
    pub staff_name: String,
    pub account: Account,
    pub method: PaymentMethod,
    pub payment_ref: Option<String>,
    /// See [`SaleDraft::provider_ref`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_ref: Option<String>,
    pub revenue: Money,
    pub withdrawal: Money,
    pub paid: Money,
    /// See [`SaleDraft::rounding`].
    #[serde(default)]
    pub rounding: Money,
    pub tendered: Option<Money>,
    pub change: Money,
    /// See [`SaleDraft::discount`].
    #[serde(default)]
    pub discount: Money,
    #[serde(default)]
    pub kind: SaleKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<OriginalRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
    pub paid_at: DateTime<Utc>,
    pub lines: Vec<SaleLine>,
    pub prev_hash: String,
    pub hash: String,
}

/// The exact bytes that are hashed: every field that matters, in a fixed order.
#[derive(Serialize)]
struct Canonical<'a> {
    v: u8,
    id: &'a str,
    till_id: &'a str,
    ticket_no: i64,
    staff_id: &'a str,
    staff_name: &'a str,
    account: Account,
    method: PaymentMethod,
    payment_ref: Option<&'a str>,
    /// Left out when absent, so the hashes of sales made before providers existed still hold.
    #[serde(skip_serializing_if = "Option::is_none")]
    provider_ref: Option<&'a str>,
    revenue: i64,
    withdrawal: i64,
    paid: i64,
    /// Left out when zero, so the hashes of sales made before rounding existed still hold.
    #[serde(skip_serializing_if = "is_zero")]
    rounding: i64,
    tendered: Option<i64>,
    change: i64,
    /// The fields below are left out when they are at their default (no discount, a sale), so
    /// the hashes of sales made before discounts and refunds existed still hold.
    #[serde(skip_serializing_if = "is_zero")]
    discount: i64,
    #[serde(skip_serializing_if = "SaleKind::is_sale")]
    kind: SaleKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    original: Option<CanonicalOriginal<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    approved_by: Option<&'a str>,
    paid_at: String,
    lines: &'a [SaleLine],
}

#[derive(Serialize)]
struct CanonicalOriginal<'a> {
    sale_id: &'a str,
    till_id: &'a str,
    ticket_no: i64,
    paid_at: String,
    method: PaymentMethod,
}

fn is_zero(v: &i64) -> bool {
    *v == 0
}

impl Sale {
    pub fn canonical(&self) -> String {
        let c = Canonical {
            v: 1,
            id: &self.id,
            till_id: &self.till_id,
            ticket_no: self.ticket_no,
            staff_id: self.staff_id.as_str(),
            staff_name: &self.staff_name,
            account: self.account,
            method: self.method,
            payment_ref: self.payment_ref.as_deref(),
            provider_ref: self.provider_ref.as_deref(),
            revenue: self.revenue.cents(),
            withdrawal: self.withdrawal.cents(),
            paid: self.paid.cents(),
            rounding: self.rounding.cents(),
            tendered: self.tendered.map(Money::cents),
            change: self.change.cents(),
            discount: self.discount.cents(),
            kind: self.kind,
            original: self.original.as_ref().map(|o| CanonicalOriginal {
                sale_id: &o.sale_id,
                till_id: &o.till_id,
                ticket_no: o.ticket_no,
                paid_at: format_instant(o.paid_at),
                method: o.method,
            }),
            reason: self.reason.as_deref(),
            approved_by: self.approved_by.as_deref(),
            paid_at: format_instant(self.paid_at),
            lines: &self.lines,
        };
        // Serialising plain structs, strings and integers cannot fail.
        serde_json::to_string(&c).unwrap_or_default()
    }

    pub fn compute_hash(&self) -> String {
        let mut h = Sha256::new();
        h.update(self.prev_hash.as_bytes());
        h.update(b"\n");
        h.update(self.canonical().as_bytes());
        hex::encode(h.finalize())
    }

    /// The first 12 hex digits of the hash: printed on the ticket.
    pub fn short_hash(&self) -> &str {
        self.hash.get(..12).unwrap_or(&self.hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::barcode::ArticleCode;
    use crate::domain::basket::Basket;
    use crate::domain::product::Product;

    fn lines() -> Lines {
        let mut b = Basket::new();
        b.add_item(&Product {
            code: ArticleCode::parse("1234").unwrap(),
            barcode: None,
            name: "Pain au chocolat".into(),
            price: Money::from_cents(120),
            vat: VatRate::Six,
            active: true,
        })
        .unwrap();
        b.add_withdrawal(Money::from_cents(1500), Money::from_cents(50000))
            .unwrap();
        b.take(Account::Main)
    }

    fn draft(method: PaymentMethod, tendered: Option<Money>) -> Result<SaleDraft, SaleError> {
        SaleDraft::new(
            StaffId::parse("14").unwrap(),
            "Khadija".into(),
            Account::Main,
            &lines(),
            method,
            tendered,
        )
    }

    #[test]
    fn cash_gives_change_and_refuses_too_little() {
        let d = draft(PaymentMethod::Cash, Some(Money::from_cents(2000))).unwrap();
        assert_eq!(d.paid, Money::from_cents(1620));
        assert_eq!(d.revenue, Money::from_cents(120));
        assert_eq!(d.withdrawal, Money::from_cents(1500));
        assert_eq!(d.change, Money::from_cents(380));
        assert!(matches!(
            draft(PaymentMethod::Cash, Some(Money::from_cents(1619))),
            Err(SaleError::TenderTooLow { .. })
        ));
        assert_eq!(
            draft(PaymentMethod::Cash, None).unwrap().tendered,
            Some(Money::from_cents(1620))
        );
    }

    #[test]
    fn cash_is_rounded_to_five_cents_and_the_change_follows_but_qr_is_not() {
        // 16,20 € of lines plus one at 0,03 €: 16,23 € → 16,25 € in cash.
        let mut b = Basket::new();
        for (code, cents) in [("1", 120), ("2", 3)] {
            b.add_item(&Product {
                code: ArticleCode::parse(code).unwrap(),
                barcode: None,
                name: "x".into(),
                price: Money::from_cents(cents),
                vat: VatRate::Six,
                active: true,
            })
            .unwrap();
        }
        b.add_withdrawal(Money::from_cents(1500), Money::from_cents(50000))
            .unwrap();
        let lines = b.take(Account::Main);
        let make = |method, tendered, round| {
            SaleDraft::build(
                StaffId::parse("14").unwrap(),
                "Khadija".into(),
                Account::Main,
                &lines,
                method,
                tendered,
                round,
            )
        };
        let d = make(PaymentMethod::Cash, Some(Money::from_cents(2000)), true).unwrap();
        assert_eq!(
            (d.paid.cents(), d.rounding.cents(), d.change.cents()),
            (1625, 2, 375)
        );
        assert_eq!(d.revenue.cents(), 123, "revenue is the goods'");
        assert_eq!(d.tendered, Some(Money::from_cents(2000)));
        // Exact cash is the rounded amount; less than it is refused.
        let exact = make(PaymentMethod::Cash, None, true).unwrap();
        assert_eq!(exact.tendered, Some(Money::from_cents(1625)));
        assert!(matches!(
            make(PaymentMethod::Cash, Some(Money::from_cents(1623)), true),
            Err(SaleError::TenderTooLow { .. })
        ));
        // QR, or a shop outside Belgium: no rounding.
        let qr = make(PaymentMethod::Qr, None, true).unwrap();
        assert_eq!((qr.paid.cents(), qr.rounding.cents()), (1623, 0));
        let off = make(PaymentMethod::Cash, None, false).unwrap();
        assert_eq!((off.paid.cents(), off.rounding.cents()), (1623, 0));
        // The rounding is hashed when there is one, absent from the canonical form when not.
        let at = Utc::now();
        let sealed = d.seal("i".into(), "t".into(), 1, at, GENESIS_HASH.into());
        assert!(sealed.canonical().contains(r#""rounding":2"#));
        let mut edited = sealed.clone();
        edited.rounding = Money::from_cents(-2);
        assert_ne!(edited.compute_hash(), sealed.hash);
        let qr = qr.seal("j".into(), "t".into(), 1, at, GENESIS_HASH.into());
        assert!(!qr.canonical().contains("rounding"));
    }

    #[test]
    fn an_empty_basket_is_not_a_sale() {
        let r = SaleDraft::new(
            StaffId::parse("1").unwrap(),
            "A".into(),
            Account::Sub,
            &Lines::default(),
            PaymentMethod::Cash,
            None,
        );
        assert_eq!(r, Err(SaleError::EmptyBasket("sub")));
    }

    #[test]
    fn the_hash_covers_every_field_and_the_previous_hash() {
        let at = DateTime::parse_from_rfc3339("2026-05-31T13:23:54.123Z")
            .unwrap()
            .with_timezone(&Utc);
        let sale = draft(PaymentMethod::Cash, None).unwrap().seal(
            "id-1".into(),
            "till-1".into(),
            1,
            at,
            GENESIS_HASH.into(),
        );
        assert_eq!(sale.hash, sale.compute_hash());
        let mut edited = sale.clone();
        edited.lines[0].qty = 2;
        assert_ne!(edited.compute_hash(), sale.hash);
        let mut rechained = sale.clone();
        rechained.prev_hash = "1".repeat(64);
        assert_ne!(rechained.compute_hash(), sale.hash);
        assert_eq!(sale.short_hash().len(), 12);
        // A provider's payment id is covered; a sale without one hashes as sales always did.
        assert!(!sale.canonical().contains("provider_ref"));
        let mut with_provider = sale.clone();
        with_provider.provider_ref = Some("pq-1".into());
        assert!(
            with_provider
                .canonical()
                .contains(r#""provider_ref":"pq-1""#)
        );
        assert_ne!(with_provider.compute_hash(), sale.hash);
    }
}
