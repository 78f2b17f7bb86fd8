//! The customer's baskets: a main basket and a sub-account (a second basket paid separately, with
//! its own ticket). Item lines (a rescan adds 1), cash-withdrawal lines (part of what is paid,
//! never revenue), quantity changes and voids. Pure: the BasketActor owns one and does the IO.

use serde::{Deserialize, Serialize};

use super::barcode::ArticleCode;
use super::discount::{Discount, DiscountError, spread};
use super::money::Money;
use super::product::{Product, VatRate};

/// Quantities above this on one line are a typing error, not a sale.
pub const MAX_QTY: i64 = 999;
/// At most this many lines in one basket (a screen and a ticket must stay readable).
pub const MAX_LINES: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Account {
    /// The basket scans go to unless the cashier switches.
    #[default]
    Main,
    Sub,
}

impl Account {
    pub fn parse(s: &str) -> Option<Account> {
        match s.trim().to_ascii_lowercase().as_str() {
            "main" => Some(Account::Main),
            "sub" => Some(Account::Sub),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Account::Main => "main",
            Account::Sub => "sub",
        }
    }
    pub fn other(self) -> Account {
        match self {
            Account::Main => Account::Sub,
            Account::Sub => Account::Main,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    Item,
    Withdrawal,
}

impl LineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Item => "item",
            LineKind::Withdrawal => "withdrawal",
        }
    }
    pub fn parse(s: &str) -> Option<LineKind> {
        match s {
            "item" => Some(LineKind::Item),
            "withdrawal" => Some(LineKind::Withdrawal),
            _ => None,
        }
    }
}

/// The name a withdrawal line carries on screens, tickets and reports.
pub const WITHDRAWAL_NAME: &str = "RETRAIT ESPÈCES";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub kind: LineKind,
    /// Article code; `None` for a withdrawal.
    pub code: Option<ArticleCode>,
    pub name: String,
    pub unit: Money,
    pub qty: i64,
    /// VAT rate of an item; withdrawals carry none (they are not a supply).
    pub vat: Option<VatRate>,
    /// The line's own discount (a percentage, an amount or a new price); a basket discount's
    /// share is computed by [`Lines`], not kept here.
    pub discount: Option<Discount>,
}

impl Line {
    /// Unit price × quantity, before any discount.
    pub fn gross(&self) -> Option<Money> {
        self.unit.checked_mul(self.qty)
    }
    /// What the line's own discount takes off (0 without one).
    pub fn own_discount(&self) -> Money {
        self.discount
            .as_ref()
            .map_or(Money::ZERO, |d| d.rule.off_line(self.unit, self.qty))
    }
}

/// One line with its amounts: before discounts, what every discount takes off (its own and its
/// share of the basket's), and what it costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Priced {
    pub gross: Money,
    pub discount: Money,
    pub net: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BasketError {
    #[error("line {0} does not exist")]
    NoSuchLine(usize),
    #[error("quantity {0} is not allowed (1 to 999)")]
    BadQuantity(i64),
    #[error("a withdrawal's quantity cannot change; void the line instead")]
    WithdrawalQuantity,
    #[error("withdrawal must be more than 0,00 €")]
    ZeroWithdrawal,
    #[error("withdrawals in this basket would reach {total}, above the maximum of {max}")]
    WithdrawalAboveMax { total: Money, max: Money },
    #[error("the basket is full ({MAX_LINES} lines)")]
    TooManyLines,
    #[error("the amount is too large")]
    Overflow,
    #[error("product {0} is disabled")]
    InactiveProduct(String),
    #[error("{0}")]
    Discount(DiscountError),
}

/// The lines of one account with their totals, and the account's basket discount (spread over
/// its item lines when amounts are computed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lines(Vec<Line>, Option<Discount>);

impl Lines {
    /// Lines as they were kept elsewhere (a payment intent in the ledger).
    pub fn from_lines(lines: Vec<Line>) -> Lines {
        Lines(lines, None)
    }
    /// The basket discount, if any.
    pub fn basket_discount(&self) -> Option<&Discount> {
        self.1.as_ref()
    }
    /// Every line's amounts, in order: the basket discount spread over the items in proportion
    /// to what each costs after its own discount (see `domain::discount`).
    pub fn priced(&self) -> Vec<Priced> {
        let own: Vec<(Money, Money)> = self
            .0
            .iter()
            .map(|l| {
                let gross = l.gross().unwrap_or(Money::ZERO);
                (gross, l.own_discount())
            })
            .collect();
        let bases: Vec<Money> = self
            .0
            .iter()
            .zip(&own)
            .map(|(l, (g, d))| {
                if l.kind == LineKind::Item {
                    g.checked_sub(*d).unwrap_or(Money::ZERO)
                } else {
                    Money::ZERO
                }
            })
            .collect();
        let shares = match &self.1 {
            Some(d) => {
                let base: Money = bases.iter().copied().sum();
                spread(d.rule.off_basket(base), &bases)
            }
            None => vec![Money::ZERO; bases.len()],
        };
        own.into_iter()
            .zip(shares)
            .map(|((gross, d), share)| {
                let discount = d.checked_add(share).unwrap_or(gross);
                Priced {
                    gross,
                    discount,
                    net: gross.checked_sub(discount).unwrap_or(Money::ZERO),
                }
            })
            .collect()
    }
    /// What the basket discount could apply to: the items after their own discounts.
    pub fn discountable(&self) -> Money {
        self.0
            .iter()
            .filter(|l| l.kind == LineKind::Item)
            .map(|l| {
                l.gross()
                    .unwrap_or(Money::ZERO)
                    .checked_sub(l.own_discount())
                    .unwrap_or(Money::ZERO)
            })
            .sum()
    }
    pub fn as_slice(&self) -> &[Line] {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// What the customer pays for this account: items plus withdrawals.
    pub fn total(&self) -> Money {
        self.sum_of(|_| true)
    }
    pub fn revenue(&self) -> Money {
        self.sum_of(|l| l.kind == LineKind::Item)
    }
    pub fn withdrawals(&self) -> Money {
        self.sum_of(|l| l.kind == LineKind::Withdrawal)
    }
    fn sum_of(&self, keep: impl Fn(&Line) -> bool) -> Money {
        // Every mutation checks that totals fit, so the saturating sum never saturates.
        self.0
            .iter()
            .zip(self.priced())
            .filter(|(l, _)| keep(l))
            .map(|(_, p)| p.net)
            .sum()
    }
    fn line_mut(&mut self, line_no: usize) -> Result<&mut Line, BasketError> {
        line_no
            .checked_sub(1)
            .and_then(|i| self.0.get_mut(i))
            .ok_or(BasketError::NoSuchLine(line_no))
    }
    /// Checks that the account's total still fits after a change.
    fn totals_fit(&self) -> bool {
        Money::checked_sum(
            self.0
                .iter()
                .map(|l| l.gross().unwrap_or(Money::from_cents(i64::MAX))),
        )
        .is_some_and(|t| t <= Money::from_cents(i64::MAX / 4))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Basket {
    main: Lines,
    sub: Lines,
    current: Option<Account>,
}

impl Basket {
    pub fn new() -> Basket {
        Basket::default()
    }

    /// The account that scans go to.
    pub fn current(&self) -> Account {
        self.current.unwrap_or(Account::Main)
    }

    pub fn switch_to(&mut self, account: Account) {
        self.current = Some(account);
    }

    pub fn lines(&self, account: Account) -> &Lines {
        match account {
            Account::Main => &self.main,
            Account::Sub => &self.sub,
        }
    }

    fn lines_mut(&mut self, account: Account) -> &mut Lines {
        match account {
            Account::Main => &mut self.main,
            Account::Sub => &mut self.sub,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.main.is_empty() && self.sub.is_empty()
    }

    /// Adds one of `product` to the current account; scanning it again adds 1 to its line.
    pub fn add_item(&mut self, product: &Product) -> Result<usize, BasketError> {
        self.add_priced(product, product.price, product.name.clone())
    }

    /// Adds one of `product` at `unit` under `name` (an in-store label's price, or a weighed
    /// item's price and weight) to the current account. The same label scanned again (same
    /// article, price and name) adds 1 to its line.
    pub fn add_priced(
        &mut self,
        product: &Product,
        unit: Money,
        name: String,
    ) -> Result<usize, BasketError> {
        if !product.active {
            return Err(BasketError::InactiveProduct(product.code.to_string()));
        }
        if unit.is_negative() {
            return Err(BasketError::Overflow);
        }
        let account = self.current();
        let lines = self.lines_mut(account);
        let existing = lines.0.iter().position(|l| {
            l.kind == LineKind::Item
                && l.code.as_ref() == Some(&product.code)
                && l.unit == unit
                && l.name == name
        });
        let line_no = match existing {
            Some(i) => {
                let line = &mut lines.0[i];
                if line.qty >= MAX_QTY {
                    return Err(BasketError::BadQuantity(line.qty + 1));
                }
                line.qty += 1;
                i + 1
            }
            None => {
                if lines.len() >= MAX_LINES {
                    return Err(BasketError::TooManyLines);
                }
                lines.0.push(Line {
                    kind: LineKind::Item,
                    code: Some(product.code.clone()),
                    name,
                    unit,
                    qty: 1,
                    vat: Some(product.vat),
                    discount: None,
                });
                lines.len()
            }
        };
        if !lines.totals_fit() {
            let line = &mut lines.0[line_no - 1];
            if line.qty > 1 {
                line.qty -= 1;
            } else {
                lines.0.pop();
            }
            return Err(BasketError::Overflow);
        }
        Ok(line_no)
    }

    /// Adds a cash withdrawal line to the current account. `max` bounds the sum of the
    /// withdrawals of one account, so splitting a large withdrawal in two does not get around it.
    pub fn add_withdrawal(&mut self, amount: Money, max: Money) -> Result<usize, BasketError> {
        if amount <= Money::ZERO {
            return Err(BasketError::ZeroWithdrawal);
        }
        let account = self.current();
        let lines = self.lines_mut(account);
        let total = lines
            .withdrawals()
            .checked_add(amount)
            .ok_or(BasketError::Overflow)?;
        if total > max {
            return Err(BasketError::WithdrawalAboveMax { total, max });
        }
        if lines.len() >= MAX_LINES {
            return Err(BasketError::TooManyLines);
        }
        lines.0.push(Line {
            kind: LineKind::Withdrawal,
            code: None,
            name: WITHDRAWAL_NAME.to_owned(),
            unit: amount,
            qty: 1,
            vat: None,
            discount: None,
        });
        if !lines.totals_fit() {
            lines.0.pop();
            return Err(BasketError::Overflow);
        }
        Ok(lines.len())
    }

    /// Sets the quantity of line `line_no` (1-based) of the current account.
    pub fn set_qty(&mut self, line_no: usize, qty: i64) -> Result<(), BasketError> {
        if !(1..=MAX_QTY).contains(&qty) {
            return Err(BasketError::BadQuantity(qty));
        }
        let account = self.current();
        let lines = self.lines_mut(account);
        let line = lines.line_mut(line_no)?;
        if line.kind == LineKind::Withdrawal {
            return Err(BasketError::WithdrawalQuantity);
        }
        let before = line.qty;
        line.qty = qty;
        if !lines.totals_fit() {
            if let Ok(line) = lines.line_mut(line_no) {
                line.qty = before;
            }
            return Err(BasketError::Overflow);
        }
        Ok(())
    }

    /// Removes line `line_no` (1-based) of the current account; the lines after it move up.
    pub fn void(&mut self, line_no: usize) -> Result<Line, BasketError> {
        let account = self.current();
        let lines = self.lines_mut(account);
        lines.line_mut(line_no)?;
        let removed = lines.0.remove(line_no - 1);
        if !lines.0.iter().any(|l| l.kind == LineKind::Item) {
            // Nothing left for a basket discount to reduce.
            lines.1 = None;
        }
        Ok(removed)
    }

    /// Gives line `line_no` (1-based) of the current account its own discount, replacing any
    /// it had. Withdrawals are never discounted; an amount above the line is refused.
    pub fn discount_line(&mut self, line_no: usize, d: Discount) -> Result<(), BasketError> {
        let account = self.current();
        let line = self.lines_mut(account).line_mut(line_no)?;
        if line.kind == LineKind::Withdrawal {
            return Err(BasketError::Discount(DiscountError::Withdrawal));
        }
        d.rule
            .check_line(line.unit, line.qty)
            .map_err(BasketError::Discount)?;
        line.discount = Some(d);
        Ok(())
    }

    /// Gives the current account a basket discount (spread over its items), replacing any.
    pub fn discount_basket(&mut self, d: Discount) -> Result<(), BasketError> {
        let account = self.current();
        let lines = self.lines_mut(account);
        d.rule
            .check_basket(lines.discountable())
            .map_err(BasketError::Discount)?;
        lines.1 = Some(d);
        Ok(())
    }

    /// Removes a line's own discount, or (`None`) the basket discount, of the current account.
    pub fn remove_discount(&mut self, line_no: Option<usize>) -> Result<(), BasketError> {
        let account = self.current();
        let lines = self.lines_mut(account);
        match line_no {
            Some(n) => lines.line_mut(n)?.discount = None,
            None => lines.1 = None,
        }
        Ok(())
    }

    /// Empties one account (after its sale is committed) and returns its lines.
    pub fn take(&mut self, account: Account) -> Lines {
        let taken = std::mem::take(self.lines_mut(account));
        if self.lines(account).is_empty() && !self.lines(account.other()).is_empty() {
            self.current = Some(account.other());
        }
        if self.is_empty() {
            self.current = None;
        }
        taken
    }

    pub fn clear(&mut self) {
        *self = Basket::default();
    }

    /// Puts back an account's lines (a payment re-attached after a restart shows what it pays).
    pub fn restore(&mut self, account: Account, lines: Lines) {
        *self.lines_mut(account) = lines;
        if self.current.is_none() {
            self.current = Some(account);
        }
    }
}

/// Which basket a payment takes: with both holding something the cashier chooses (the till
/// never guesses which one the customer pays first); with one, that one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayChoice {
    Nothing,
    Only(Account),
    Choose,
}

/// What to pay, knowing whether the main basket and the sub-account hold something.
pub fn pay_choice(main_has_items: bool, sub_has_items: bool) -> PayChoice {
    match (main_has_items, sub_has_items) {
        (true, true) => PayChoice::Choose,
        (true, false) => PayChoice::Only(Account::Main),
        (false, true) => PayChoice::Only(Account::Sub),
        (false, false) => PayChoice::Nothing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cashier_chooses_only_when_both_baskets_hold_something() {
        assert_eq!(pay_choice(true, true), PayChoice::Choose);
        assert_eq!(pay_choice(true, false), PayChoice::Only(Account::Main));
        assert_eq!(pay_choice(false, true), PayChoice::Only(Account::Sub));
        assert_eq!(pay_choice(false, false), PayChoice::Nothing);
    }

    fn product(code: &str, cents: i64) -> Product {
        Product {
            code: ArticleCode::parse(code).unwrap(),
            barcode: None,
            name: format!("P{code}"),
            price: Money::from_cents(cents),
            vat: VatRate::Six,
            active: true,
        }
    }

    #[test]
    fn rescanning_adds_one_to_the_line() {
        let mut b = Basket::new();
        assert_eq!(b.add_item(&product("1", 120)), Ok(1));
        assert_eq!(b.add_item(&product("2", 250)), Ok(2));
        assert_eq!(b.add_item(&product("1", 120)), Ok(1));
        assert_eq!(b.lines(Account::Main).as_slice()[0].qty, 2);
        assert_eq!(b.lines(Account::Main).total(), Money::from_cents(490));
    }

    #[test]
    fn withdrawals_are_paid_but_not_revenue() {
        let mut b = Basket::new();
        b.add_item(&product("1", 120)).unwrap();
        b.add_withdrawal(Money::from_cents(1500), Money::from_cents(50000))
            .unwrap();
        let l = b.lines(Account::Main);
        assert_eq!(l.total(), Money::from_cents(1620));
        assert_eq!(l.revenue(), Money::from_cents(120));
        assert_eq!(l.withdrawals(), Money::from_cents(1500));
    }

    #[test]
    fn withdrawals_above_the_maximum_are_refused_even_when_split() {
        let mut b = Basket::new();
        let max = Money::from_cents(50000);
        b.add_withdrawal(Money::from_cents(30000), max).unwrap();
        let before = b.clone();
        assert!(matches!(
            b.add_withdrawal(Money::from_cents(30000), max),
            Err(BasketError::WithdrawalAboveMax { .. })
        ));
        assert_eq!(b, before);
        assert_eq!(
            b.add_withdrawal(Money::ZERO, max),
            Err(BasketError::ZeroWithdrawal)
        );
    }

    #[test]
    fn quantities_are_bounded_and_withdrawals_fixed() {
        let mut b = Basket::new();
        b.add_item(&product("1", 120)).unwrap();
        b.add_withdrawal(Money::from_cents(100), Money::from_cents(1000))
            .unwrap();
        for bad in [0, -1, 1000, i64::MAX] {
            assert_eq!(b.set_qty(1, bad), Err(BasketError::BadQuantity(bad)));
        }
        assert_eq!(b.set_qty(3, 2), Err(BasketError::NoSuchLine(3)));
        assert_eq!(b.set_qty(0, 2), Err(BasketError::NoSuchLine(0)));
        assert_eq!(b.set_qty(2, 2), Err(BasketError::WithdrawalQuantity));
        b.set_qty(1, 999).unwrap();
        assert_eq!(
            b.lines(Account::Main).total(),
            Money::from_cents(120 * 999 + 100)
        );
    }

    #[test]
    fn void_removes_and_renumbers() {
        let mut b = Basket::new();
        b.add_item(&product("1", 100)).unwrap();
        b.add_item(&product("2", 200)).unwrap();
        assert_eq!(b.void(1).unwrap().unit, Money::from_cents(100));
        assert_eq!(
            b.lines(Account::Main).as_slice()[0].unit,
            Money::from_cents(200)
        );
        assert_eq!(b.void(5), Err(BasketError::NoSuchLine(5)));
    }

    #[test]
    fn the_sub_account_is_a_separate_basket() {
        let mut b = Basket::new();
        b.add_item(&product("1", 100)).unwrap();
        b.switch_to(Account::Sub);
        b.add_item(&product("1", 100)).unwrap();
        b.add_item(&product("2", 900)).unwrap();
        assert_eq!(b.lines(Account::Main).total(), Money::from_cents(100));
        assert_eq!(b.lines(Account::Sub).total(), Money::from_cents(1000));
        let taken = b.take(Account::Sub);
        assert_eq!(taken.len(), 2);
        assert_eq!(b.current(), Account::Main);
        assert!(!b.is_empty());
    }

    #[test]
    fn labels_carry_their_own_price() {
        let mut b = Basket::new();
        let cheese = product("42", 1990);
        let heavy = "P42 0,532 kg".to_owned();
        assert_eq!(
            b.add_priced(&cheese, Money::from_cents(1059), heavy.clone()),
            Ok(1)
        );
        assert_eq!(
            b.add_priced(&cheese, Money::from_cents(1059), heavy.clone()),
            Ok(1)
        );
        assert_eq!(
            b.add_priced(&cheese, Money::from_cents(498), "P42 0,250 kg".into()),
            Ok(2)
        );
        // An ordinary scan of the same article is a line of its own, at the catalogue price.
        assert_eq!(b.add_item(&cheese), Ok(3));
        let l = b.lines(Account::Main);
        assert_eq!(l.as_slice()[0].qty, 2);
        assert_eq!(l.total(), Money::from_cents(2 * 1059 + 498 + 1990));
        assert_eq!(
            b.add_priced(&cheese, Money::from_cents(i64::MAX), heavy),
            Err(BasketError::Overflow)
        );
        assert_eq!(b.lines(Account::Main).len(), 3);
        let mut off = cheese.clone();
        off.active = false;
        assert!(matches!(
            b.add_priced(&off, Money::from_cents(1), "x".into()),
            Err(BasketError::InactiveProduct(_))
        ));
    }

    #[test]
    fn inactive_products_cannot_be_sold() {
        let mut b = Basket::new();
        let mut p = product("1", 100);
        p.active = false;
        assert!(matches!(
            b.add_item(&p),
            Err(BasketError::InactiveProduct(_))
        ));
        assert!(b.is_empty());
    }

    #[test]
    fn discounts_follow_the_quantity_are_spread_over_items_and_never_touch_withdrawals() {
        use crate::domain::discount::{Discount, DiscountRule};
        let mut b = Basket::new();
        b.add_item(&product("1", 199)).unwrap();
        b.add_item(&product("2", 500)).unwrap();
        b.add_withdrawal(Money::from_cents(2000), Money::from_cents(50000))
            .unwrap();
        b.discount_line(1, Discount::new(DiscountRule::Percent(1000)))
            .unwrap();
        // 10 % of 1,99 € = 0,199 → 0,20 €; at quantity 3 the percentage follows: 0,60 €.
        assert_eq!(b.lines(Account::Main).priced()[0].discount.cents(), 20);
        b.set_qty(1, 3).unwrap();
        assert_eq!(b.lines(Account::Main).priced()[0].discount.cents(), 60);
        // A withdrawal is never discounted, by a line discount or the basket's.
        assert_eq!(
            b.discount_line(3, Discount::new(DiscountRule::Percent(1000))),
            Err(BasketError::Discount(DiscountError::Withdrawal))
        );
        b.discount_basket(Discount::new(DiscountRule::Amount(Money::from_cents(100))))
            .unwrap();
        let p = b.lines(Account::Main).priced();
        // Bases 537 and 500: 100 × 537 / 1037 = 51,8 → 52; 100 × 500 / 1037 = 48,2 → 48.
        assert_eq!(
            p.iter().map(|x| x.discount.cents()).collect::<Vec<_>>(),
            [60 + 52, 48, 0]
        );
        assert_eq!(
            b.lines(Account::Main).total().cents(),
            597 - 112 + 500 - 48 + 2000
        );
        assert_eq!(
            b.lines(Account::Main).revenue().cents(),
            597 - 112 + 500 - 48
        );
        // An amount above the line is refused; a later quantity change cuts it to the line.
        assert!(
            b.discount_line(
                2,
                Discount::new(DiscountRule::Amount(Money::from_cents(501)))
            )
            .is_err()
        );
        b.discount_line(
            2,
            Discount::new(DiscountRule::Amount(Money::from_cents(400))),
        )
        .unwrap();
        // Voiding every item drops the basket discount: nothing left for it to reduce.
        b.void(1).unwrap();
        b.void(1).unwrap();
        assert!(b.lines(Account::Main).basket_discount().is_none());
        assert_eq!(b.lines(Account::Main).total().cents(), 2000);
    }
}
