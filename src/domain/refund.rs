//! Returns: a refund basket built from an original sale and what was already returned of it,
//! and the credit note it becomes. Pure: the RefundActor finds the sale (in the ledger, or in the
//! central database for another till's ticket) and does the IO.
//!
//! Rules (DESIGN.md §8, NOTES.md "Refunds"):
//! - A refund reverses lines of one original sale, by quantity, never more than sold minus
//!   already returned (`over_return`); withdrawals are never returned (the customer got cash).
//! - What a returned unit gives back is what was paid for it, discounts included: returning `n`
//!   of `sold` units of a line that cost `net` gives back `round(net × (returned + n) / sold)`
//!   minus what earlier refunds of that line gave back, so the parts of a line returned in
//!   several refunds add up to exactly what was paid for it.
//! - A credit note is a sale of kind `refund`: negative quantities and totals, its own number in
//!   the till's gapless series, chained, naming the original (number, date, tender).
//! - A cash refund is rounded to 5 cents like the sale it reverses (the mirror of the Belgian
//!   rule: −1,23 € is given back as −1,25 €); a refund by the provider is exact.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::basket::{Account, LineKind};
use super::money::Money;
use super::product::VatRate;
use super::sale::{OriginalRef, PaymentMethod, Sale, SaleDraft, SaleKind, SaleLine};
use super::staff::StaffId;

/// A refund's reason is at most this many characters.
pub const MAX_REASON: usize = 140;

/// How a refund pays back: by the original tender (QR → the provider's refund, cash → the
/// drawer), or in cash whatever the original tender was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefundTender {
    Cash,
    Original,
}

impl RefundTender {
    pub fn parse(s: &str) -> Option<RefundTender> {
        match s.trim().to_ascii_lowercase().as_str() {
            "cash" => Some(RefundTender::Cash),
            "original" => Some(RefundTender::Original),
            _ => None,
        }
    }
    /// The tender the money goes back by, for a sale paid by `original`.
    pub fn method(self, original: PaymentMethod) -> PaymentMethod {
        match self {
            RefundTender::Cash => PaymentMethod::Cash,
            RefundTender::Original => original,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefundError {
    #[error("line {0} does not exist on this ticket")]
    NoSuchLine(u32),
    #[error("a cash withdrawal is never returned")]
    Withdrawal,
    #[error("only {returnable} of line {line} can still be returned")]
    OverReturn { line: u32, returnable: i64 },
    #[error("a quantity must be 0 to 999")]
    BadQuantity,
    #[error("nothing is picked to return")]
    NothingPicked,
    #[error("this ticket is itself a credit note")]
    IsRefund,
    #[error("amount overflow")]
    Overflow,
}

/// One line of the original sale as the return sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefundLine {
    pub line: u32,
    pub kind: LineKind,
    pub code: Option<String>,
    pub name: String,
    pub unit_cents: Money,
    /// What the line cost on the original (after its discounts).
    pub total_cents: Money,
    pub vat: Option<VatRate>,
    pub sold: i64,
    pub returned: i64,
    pub returnable: i64,
    /// What earlier refunds of this line gave back (positive).
    #[serde(skip)]
    pub refunded: Money,
    /// Picked for this refund.
    pub picked: i64,
}

/// A return in progress: the original sale, what was already returned, what is picked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundBasket {
    pub original: OriginalRef,
    /// The original's account (a refund goes to the same one).
    pub account: Account,
    /// Set when the original sale had cash rounding (it is shown; the refund is rounded by the
    /// same rule whenever it is paid back in cash).
    pub original_rounding: Money,
    /// The provider's payment reference of a QR original (its intent id).
    pub payment_ref: Option<String>,
    pub lines: Vec<RefundLine>,
}

/// What earlier refunds took from one original line: units and money (both positive).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Returned {
    pub qty: i64,
    pub amount: Money,
}

/// One refund's share of one original line (positive units and amount): rows from the ledger and
/// from the central database are merged by refund id, so a refund known to both counts once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnedRow {
    pub refund_id: String,
    pub line: u32,
    pub qty: i64,
    pub amount: Money,
}

/// Sums refund rows by original line, each (refund, line) counted once whatever its source.
pub fn merge_returned(rows: impl IntoIterator<Item = ReturnedRow>) -> BTreeMap<u32, Returned> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out: BTreeMap<u32, Returned> = BTreeMap::new();
    for r in rows {
        if !seen.insert((r.refund_id.clone(), r.line)) {
            continue;
        }
        let e = out.entry(r.line).or_default();
        e.qty += r.qty;
        e.amount = Money::from_cents(e.amount.cents() + r.amount.cents());
    }
    out
}

/// How a cashier names the ticket to return: its number on this till, `<till_id>/<ticket_no>`,
/// or the sale id its printed QR code holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TicketKey {
    Local(i64),
    Ticket { till_id: String, ticket_no: i64 },
    SaleId(String),
}

impl TicketKey {
    pub fn parse(s: &str) -> Option<TicketKey> {
        let s = s.trim();
        let number = |n: &str| {
            n.parse::<i64>()
                .ok()
                .filter(|n| (1..=i64::from(u32::MAX)).contains(n))
        };
        if let Some((till, n)) = s.split_once('/') {
            let ok_till = !till.is_empty()
                && till.len() <= 32
                && till
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            return match (ok_till, number(n)) {
                (true, Some(n)) => Some(TicketKey::Ticket {
                    till_id: till.to_owned(),
                    ticket_no: n,
                }),
                _ => None,
            };
        }
        if let Ok(id) = uuid::Uuid::parse_str(s) {
            return Some(TicketKey::SaleId(id.hyphenated().to_string()));
        }
        number(s).map(TicketKey::Local)
    }
}

/// `round(x × num / den)`, half away from zero.
fn prorate(x: Money, num: i64, den: i64) -> Option<Money> {
    if den == 0 {
        return None;
    }
    let p = i128::from(x.cents()) * i128::from(num);
    let d = i128::from(den);
    let q = p / d;
    let r = p % d;
    let q = if 2 * r.abs() >= d.abs() {
        q + p.signum() * d.signum()
    } else {
        q
    };
    i64::try_from(q).ok().map(Money::from_cents)
}

impl RefundBasket {
    /// The return of `sale` after earlier refunds (`returned`, by original line number).
    pub fn new(
        sale: &Sale,
        returned: &BTreeMap<u32, Returned>,
    ) -> Result<RefundBasket, RefundError> {
        if sale.kind == SaleKind::Refund {
            return Err(RefundError::IsRefund);
        }
        let lines = sale
            .lines
            .iter()
            .map(|l| {
                let r = returned.get(&l.line_no).copied().unwrap_or_default();
                let returnable = if l.kind == LineKind::Item {
                    (l.qty - r.qty).max(0)
                } else {
                    0
                };
                RefundLine {
                    line: l.line_no,
                    kind: l.kind,
                    code: l.product_code.clone(),
                    name: l.name.clone(),
                    unit_cents: l.unit,
                    total_cents: l.total,
                    vat: l.vat,
                    sold: l.qty,
                    returned: r.qty,
                    returnable,
                    refunded: r.amount,
                    picked: 0,
                }
            })
            .collect();
        Ok(RefundBasket {
            original: OriginalRef {
                sale_id: sale.id.clone(),
                till_id: sale.till_id.clone(),
                ticket_no: sale.ticket_no,
                paid_at: sale.paid_at,
                method: sale.method,
            },
            account: sale.account,
            original_rounding: sale.rounding,
            payment_ref: sale.payment_ref.clone(),
            lines,
        })
    }

    /// Picks `qty` of original line `line` (0 unpicks it).
    pub fn pick(&mut self, line: u32, qty: i64) -> Result<(), RefundError> {
        if !(0..=super::basket::MAX_QTY).contains(&qty) {
            return Err(RefundError::BadQuantity);
        }
        let l = self
            .lines
            .iter_mut()
            .find(|l| l.line == line)
            .ok_or(RefundError::NoSuchLine(line))?;
        if l.kind == LineKind::Withdrawal {
            return Err(RefundError::Withdrawal);
        }
        if qty > l.returnable {
            return Err(RefundError::OverReturn {
                line,
                returnable: l.returnable,
            });
        }
        l.picked = qty;
        Ok(())
    }

    /// What returning the picked units of `l` gives back (positive).
    fn amount_of(l: &RefundLine) -> Result<Money, RefundError> {
        if l.picked == 0 {
            return Ok(Money::ZERO);
        }
        let upto =
            prorate(l.total_cents, l.returned + l.picked, l.sold).ok_or(RefundError::Overflow)?;
        upto.checked_sub(l.refunded).ok_or(RefundError::Overflow)
    }

    /// What the picked lines give back together, before any cash rounding (positive).
    pub fn amount(&self) -> Money {
        self.lines
            .iter()
            .map(|l| RefundBasket::amount_of(l).unwrap_or(Money::ZERO))
            .sum()
    }

    /// Whether anything is picked.
    pub fn any_picked(&self) -> bool {
        self.lines.iter().any(|l| l.picked > 0)
    }

    /// The credit note of the picked lines, paid back by `method` (cash is rounded to 5 cents
    /// when `round_cash`, the mirror of the sale's rule).
    pub fn draft(
        &self,
        staff_id: StaffId,
        staff_name: String,
        method: PaymentMethod,
        round_cash: bool,
        reason: String,
        approved_by: Option<String>,
    ) -> Result<SaleDraft, RefundError> {
        if !self.any_picked() {
            return Err(RefundError::NothingPicked);
        }
        let mut lines = Vec::new();
        for l in self.lines.iter().filter(|l| l.picked > 0) {
            let amount = RefundBasket::amount_of(l)?;
            let gross = l
                .unit_cents
                .checked_mul(l.picked)
                .ok_or(RefundError::Overflow)?;
            let n = u32::try_from(lines.len() + 1).map_err(|_| RefundError::Overflow)?;
            lines.push(SaleLine {
                line_no: n,
                kind: l.kind,
                product_code: l.code.clone(),
                name: l.name.clone(),
                unit: l.unit_cents,
                qty: -l.picked,
                total: Money::from_cents(-amount.cents()),
                vat: l.vat,
                // gross − total, both negative: what the original's discount kept back.
                discount: Money::from_cents(amount.cents() - gross.cents()),
                original_line: Some(l.line),
            });
        }
        let total: Money =
            Money::checked_sum(lines.iter().map(|l| l.total)).ok_or(RefundError::Overflow)?;
        let discount: Money = lines.iter().map(|l| l.discount).sum();
        let paid = if method == PaymentMethod::Cash && round_cash {
            total.round_to_5_cents().ok_or(RefundError::Overflow)?
        } else {
            total
        };
        let rounding = paid.checked_sub(total).ok_or(RefundError::Overflow)?;
        Ok(SaleDraft {
            staff_id,
            staff_name,
            account: self.account,
            method,
            payment_ref: None,
            provider_ref: None,
            lines,
            revenue: total,
            withdrawal: Money::ZERO,
            paid,
            rounding,
            tendered: None,
            change: Money::ZERO,
            discount,
            kind: SaleKind::Refund,
            original: Some(self.original.clone()),
            reason: Some(reason),
            approved_by,
        })
    }
}

/// A refund's reason, trimmed: 1 to [`MAX_REASON`] characters, no control characters.
pub fn reason(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty() && s.chars().count() <= MAX_REASON && !s.chars().any(char::is_control))
        .then(|| s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sale::GENESIS_HASH;
    use chrono::Utc;

    fn m(c: i64) -> Money {
        Money::from_cents(c)
    }

    fn line(n: u32, kind: LineKind, unit: i64, qty: i64, discount: i64) -> SaleLine {
        SaleLine {
            line_no: n,
            kind,
            product_code: (kind == LineKind::Item).then(|| format!("{n}")),
            name: format!("L{n}"),
            unit: m(unit),
            qty,
            total: m(unit * qty - discount),
            vat: (kind == LineKind::Item).then_some(VatRate::TwentyOne),
            discount: m(discount),
            original_line: None,
        }
    }

    fn sale(lines: Vec<SaleLine>) -> Sale {
        let total: i64 = lines.iter().map(|l| l.total.cents()).sum();
        Sale {
            id: "s1".into(),
            till_id: "t1".into(),
            ticket_no: 7,
            staff_id: StaffId::parse("1").unwrap(),
            staff_name: "A".into(),
            account: Account::Main,
            method: PaymentMethod::Cash,
            payment_ref: None,
            provider_ref: None,
            revenue: m(total),
            withdrawal: m(0),
            paid: m(total),
            rounding: m(0),
            tendered: None,
            change: m(0),
            discount: m(0),
            kind: SaleKind::Sale,
            original: None,
            reason: None,
            approved_by: None,
            paid_at: Utc::now(),
            lines,
            prev_hash: GENESIS_HASH.into(),
            hash: String::new(),
        }
    }

    #[test]
    fn never_more_than_sold_minus_returned_and_never_a_withdrawal() {
        let s = sale(vec![
            line(1, LineKind::Item, 250, 3, 0),
            line(2, LineKind::Withdrawal, 2000, 1, 0),
        ]);
        let mut returned = BTreeMap::new();
        returned.insert(
            1,
            Returned {
                qty: 1,
                amount: m(250),
            },
        );
        let mut b = RefundBasket::new(&s, &returned).unwrap();
        assert_eq!(b.lines[0].returnable, 2);
        assert_eq!(b.lines[1].returnable, 0);
        assert_eq!(
            b.pick(1, 3),
            Err(RefundError::OverReturn {
                line: 1,
                returnable: 2
            })
        );
        assert_eq!(b.pick(2, 1), Err(RefundError::Withdrawal));
        assert_eq!(b.pick(3, 1), Err(RefundError::NoSuchLine(3)));
        assert_eq!(b.pick(1, -1), Err(RefundError::BadQuantity));
        assert!(!b.any_picked());
        b.pick(1, 2).unwrap();
        assert_eq!(b.amount(), m(500));
    }

    #[test]
    fn parts_of_a_discounted_line_add_up_to_what_was_paid() {
        // 3 × 1,00 € with 0,10 € off: 2,90 € paid. Returned one by one: 0,97 + 0,96 + 0,97.
        let s = sale(vec![line(1, LineKind::Item, 100, 3, 10)]);
        let mut returned = BTreeMap::new();
        let mut given = Vec::new();
        for _ in 0..3 {
            let mut b = RefundBasket::new(&s, &returned).unwrap();
            b.pick(1, 1).unwrap();
            let d = b
                .draft(
                    StaffId::parse("1").unwrap(),
                    "A".into(),
                    PaymentMethod::Qr,
                    true,
                    "r".into(),
                    None,
                )
                .unwrap();
            let amount = -d.paid.cents();
            given.push(amount);
            let r: &mut Returned = returned.entry(1).or_default();
            r.qty += 1;
            r.amount = m(r.amount.cents() + amount);
            // Negative lines: unit kept, quantity and total negative, the discount's share back.
            let l = &d.lines[0];
            assert_eq!((l.qty, l.unit, l.original_line), (-1, m(100), Some(1)));
            assert_eq!(l.total.cents(), -amount);
            assert_eq!(l.discount.cents(), amount - 100);
        }
        assert_eq!(given, vec![97, 96, 97]);
        assert_eq!(given.iter().sum::<i64>(), 290);
    }

    #[test]
    fn a_cash_refund_is_rounded_like_the_sale_it_reverses() {
        let s = sale(vec![line(1, LineKind::Item, 123, 1, 0)]);
        let mut b = RefundBasket::new(&s, &BTreeMap::new()).unwrap();
        b.pick(1, 1).unwrap();
        let staff = || StaffId::parse("1").unwrap();
        let cash = b
            .draft(
                staff(),
                "A".into(),
                PaymentMethod::Cash,
                true,
                "r".into(),
                None,
            )
            .unwrap();
        // Sold 1,23 € → paid 1,25 € in cash; given back 1,25 €.
        assert_eq!((cash.paid.cents(), cash.rounding.cents()), (-125, -2));
        assert_eq!(cash.revenue.cents(), -123);
        assert_eq!(cash.kind, SaleKind::Refund);
        assert_eq!(cash.original.as_ref().unwrap().ticket_no, 7);
        let qr = b
            .draft(
                staff(),
                "A".into(),
                PaymentMethod::Qr,
                true,
                "r".into(),
                None,
            )
            .unwrap();
        assert_eq!((qr.paid.cents(), qr.rounding.cents()), (-123, 0));
        // Nothing picked: nothing to refund.
        let empty = RefundBasket::new(&s, &BTreeMap::new()).unwrap();
        assert_eq!(
            empty.draft(
                staff(),
                "A".into(),
                PaymentMethod::Cash,
                true,
                "r".into(),
                None
            ),
            Err(RefundError::NothingPicked)
        );
    }

    #[test]
    fn a_credit_note_cannot_be_returned() {
        let mut s = sale(vec![line(1, LineKind::Item, 100, 1, 0)]);
        s.kind = SaleKind::Refund;
        assert_eq!(
            RefundBasket::new(&s, &BTreeMap::new()),
            Err(RefundError::IsRefund)
        );
    }

    #[test]
    fn tickets_are_named_by_number_till_and_number_or_sale_id() {
        assert_eq!(TicketKey::parse("12"), Some(TicketKey::Local(12)));
        assert_eq!(
            TicketKey::parse("till-2/7"),
            Some(TicketKey::Ticket {
                till_id: "till-2".into(),
                ticket_no: 7
            })
        );
        let id = "0190a4d2-7c3e-7def-8a12-3456789abcde";
        assert_eq!(TicketKey::parse(id), Some(TicketKey::SaleId(id.into())));
        for bad in [
            "",
            "0",
            "-3",
            "abc",
            "t/0",
            "/3",
            "t/x",
            "a b/1",
            "99999999999",
        ] {
            assert_eq!(TicketKey::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn returned_rows_from_two_sources_count_once() {
        let row = |id: &str, line, qty, amount| ReturnedRow {
            refund_id: id.into(),
            line,
            qty,
            amount: m(amount),
        };
        let merged = merge_returned(vec![
            row("r1", 1, 1, 250),
            row("r1", 1, 1, 250),
            row("r2", 1, 1, 250),
            row("r2", 2, 2, 100),
        ]);
        assert_eq!(
            merged[&1],
            Returned {
                qty: 2,
                amount: m(500)
            }
        );
        assert_eq!(
            merged[&2],
            Returned {
                qty: 2,
                amount: m(100)
            }
        );
    }

    #[test]
    fn reasons_are_checked() {
        assert_eq!(reason("  abîmé "), Some("abîmé".into()));
        assert_eq!(reason(""), None);
        assert_eq!(reason("a\u{7}"), None);
        assert_eq!(reason(&"x".repeat(141)), None);
    }
}
