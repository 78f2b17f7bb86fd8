//! BasketActor: owns the customer's two baskets (main and sub-account). Scans are looked up in
//! the ledger's catalogue and applied in arrival order; every change emits a `basket` event. An
//! account being paid is frozen until its payment is settled, so the amount paid is the amount
//! shown.
//!
//! The freeze is the one place that says "a payment holds this basket": it names its holder (a
//! payment intent, or a cash sale being written), only that holder's `Settle` releases it, and
//! nothing else may drop a frozen basket — `ClearBaskets` (logout, closing, a replacing login)
//! is refused while it holds, in the same handler that checks it, so no message can slip between
//! the check and the act.

use actix::prelude::*;

use crate::domain::Money;
use crate::domain::barcode::ScannedCode;
use crate::domain::basket::{Account, Basket, BasketError, Lines, MAX_LINES, MAX_QTY};
use crate::domain::instore::{InstoreCode, InstoreError, InstoreRules};
use crate::i18n::{Lang, Text};
use crate::store::Lookup;

use super::events::{EventHub, TillEvent};
use super::ledger::{self, LedgerActor};

/// An error for the screen: a protocol code (never translated) and what to say, not yet in a
/// language: the [`EventHub`] renders it in the session's (`EventHub::refuse`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: &'static str,
    pub text: Text,
}

impl Refusal {
    /// A refusal whose message is a detail without a translation (a ledger or server error).
    pub fn new(code: &'static str, message: impl Into<String>) -> Refusal {
        Refusal {
            code,
            text: Text::Raw(message.into()),
        }
    }

    /// A refusal said with catalogue message `text`.
    pub fn says(code: &'static str, text: Text) -> Refusal {
        Refusal { code, text }
    }

    pub fn message(&self, lang: Lang) -> String {
        self.text.render(lang)
    }

    pub fn event(&self, lang: Lang) -> TillEvent {
        TillEvent::error(self.code, self.message(lang))
    }
}

fn basket_refusal(e: BasketError) -> Refusal {
    let (code, text) = match e {
        BasketError::NoSuchLine(n) => (
            "bad_line",
            Text::msg("basket-no-line").arg("line", n as i64),
        ),
        BasketError::BadQuantity(q) if q < 1 => ("bad_quantity", Text::msg("basket-qty-below-one")),
        BasketError::BadQuantity(q) => (
            "bad_quantity",
            Text::msg("basket-bad-qty")
                .arg("qty", q)
                .arg("max", MAX_QTY),
        ),
        BasketError::WithdrawalQuantity => ("bad_quantity", Text::msg("basket-withdrawal-qty")),
        BasketError::ZeroWithdrawal => ("bad_amount", Text::msg("basket-zero-withdrawal")),
        BasketError::WithdrawalAboveMax { total, max } => (
            "withdrawal_limit",
            Text::msg("basket-withdrawal-max")
                .arg("total", total)
                .arg("max", max),
        ),
        BasketError::TooManyLines => (
            "basket_full",
            Text::msg("basket-full").arg("max", MAX_LINES as i64),
        ),
        BasketError::Overflow => ("bad_amount", Text::msg("basket-overflow")),
        BasketError::InactiveProduct(p) => (
            "inactive_product",
            Text::msg("basket-inactive").arg("product", p),
        ),
        BasketError::Discount(e) => return super::command::discount_refusal(e),
    };
    Refusal::says(code, text)
}

/// Scan or type an article code or barcode into the current account.
#[derive(Message)]
#[rtype(result = "Result<(), Refusal>")]
pub struct ScanCode(pub String);

#[derive(Message)]
#[rtype(result = "Result<(), Refusal>")]
pub struct AddWithdrawal(pub Money);

#[derive(Message)]
#[rtype(result = "Result<(), Refusal>")]
pub struct SetQuantity {
    pub line: usize,
    pub qty: i64,
}

/// Void a line of the current account; `by` is audited.
#[derive(Message)]
#[rtype(result = "Result<(), Refusal>")]
pub struct VoidLine {
    pub line: usize,
    pub by: String,
}

#[derive(Message)]
#[rtype(result = "()")]
pub struct SwitchAccount(pub Account);

/// Freeze `account` for payment by `holder` and return its lines.
#[derive(Message)]
#[rtype(result = "Result<Lines, Refusal>")]
pub struct Checkout {
    pub account: Account,
    pub holder: String,
}

/// The payment held by `holder` ended: `paid` empties its account, otherwise it is unfrozen.
/// A `Settle` from anyone but the holder changes nothing.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Settle {
    pub account: Account,
    pub holder: String,
    pub paid: bool,
}

/// A payment re-attached after a restart: its account shows the lines it pays, frozen by it.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Restore {
    pub account: Account,
    pub lines: Lines,
    pub holder: String,
}

/// Empty both baskets (logout, closing, a replacing login); `reason` and `by` are audited when
/// lines are dropped. Refused while a payment holds a basket.
#[derive(Message)]
#[rtype(result = "Result<(), Refusal>")]
pub struct ClearBaskets {
    pub reason: &'static str,
    pub by: Option<String>,
}

#[derive(Message)]
#[rtype(result = "Basket")]
pub struct GetBasket;

pub struct BasketActor {
    basket: Basket,
    /// The account being paid and who holds it.
    frozen: Option<(Account, String)>,
    max_withdrawal: Money,
    ledger: Addr<LedgerActor>,
    hub: EventHub,
    clock: crate::clock::SharedClock,
    /// The shop's in-store label layouts (`scanner.instore_pattern`).
    instore: InstoreRules,
}

impl BasketActor {
    pub fn new(
        max_withdrawal: Money,
        ledger: Addr<LedgerActor>,
        hub: EventHub,
        clock: crate::clock::SharedClock,
    ) -> BasketActor {
        BasketActor {
            basket: Basket::new(),
            frozen: None,
            max_withdrawal,
            ledger,
            hub,
            clock,
            instore: InstoreRules::default(),
        }
    }

    /// Decodes in-store labels (prefixes 20-29) with these layouts.
    pub fn with_instore(mut self, instore: InstoreRules) -> BasketActor {
        self.instore = instore;
        self
    }

    /// A scan that matches an in-store label layout: the label's article at the label's price
    /// (or weight × price per kg). The whole code is looked up first, in case the shop keeps it
    /// in its catalogue as an ordinary barcode.
    fn scan_instore(
        &mut self,
        raw: String,
        decoded: Result<InstoreCode, InstoreError>,
    ) -> AtomicResponse<Self, Result<(), Refusal>> {
        let ledger = self.ledger.clone();
        let frozen = self.check_not_frozen();
        let fut = async move {
            frozen?;
            let label = decoded.map_err(|e| match e {
                InstoreError::BadCheckDigit(_) | InstoreError::BadValueCheck(_) => {
                    Refusal::says("bad_check_digit", e.text())
                }
                InstoreError::ZeroValue(_) => Refusal::says("bad_code", e.text()),
            })?;
            let whole = ScannedCode::parse(&raw).ok();
            let candidates = label.article_candidates();
            let found = ledger::run(&ledger, move |l| {
                if let Some(w) = &whole
                    && let Lookup::Found(p) = l.lookup(w)?
                {
                    return Ok(Some((p, false)));
                }
                for code in candidates {
                    let scanned = ScannedCode { code, gtin: None };
                    if let Lookup::Found(p) = l.lookup(&scanned)? {
                        return Ok(Some((p, true)));
                    }
                }
                Ok(None)
            })
            .await
            .map_err(|e| Refusal::new("store_error", e.to_string()))?;
            match found {
                Some((product, by_article)) => Ok((product, by_article.then_some(label))),
                None => Err(Refusal::says(
                    "unknown_code",
                    Text::msg("basket-unknown-label")
                        .arg("code", raw.trim())
                        .arg("article", label.article.to_string()),
                )),
            }
        };
        AtomicResponse::new(Box::pin(fut.into_actor(self).map(|found, act, _| {
            let (product, label) = found?;
            let line = match label {
                Some(label) => {
                    let (unit, name) =
                        label
                            .line_price(&product.name, product.price)
                            .ok_or_else(|| {
                                Refusal::says("bad_amount", Text::msg("basket-weighed-too-large"))
                            })?;
                    act.basket.add_priced(&product, unit, name)
                }
                None => act.basket.add_item(&product),
            };
            line.map_err(basket_refusal)?;
            act.changed();
            Ok(())
        })))
    }

    fn check_not_frozen(&self) -> Result<(), Refusal> {
        match &self.frozen {
            Some((a, _)) if *a == self.basket.current() => Err(Refusal::says(
                "payment_in_progress",
                Text::msg("basket-being-paid").arg("account", a.as_str()),
            )),
            _ => Ok(()),
        }
    }

    fn changed(&self) {
        self.hub.emit(TillEvent::basket(&self.basket));
    }
}

impl Actor for BasketActor {
    type Context = Context<Self>;
}

impl Handler<ScanCode> for BasketActor {
    type Result = AtomicResponse<Self, Result<(), Refusal>>;

    fn handle(&mut self, msg: ScanCode, _: &mut Context<Self>) -> Self::Result {
        if let Some(decoded) = self.instore.decode(msg.0.trim()) {
            return self.scan_instore(msg.0, decoded);
        }
        let ledger = self.ledger.clone();
        let frozen = self.check_not_frozen();
        let parsed = ScannedCode::parse(&msg.0);
        let fut = async move {
            frozen?;
            let scanned = parsed.map_err(|e| Refusal::says("bad_code", e.text()))?;
            let display = scanned.code.to_string();
            match ledger::run(&ledger, move |l| l.lookup(&scanned)).await {
                Ok(Lookup::Found(p)) => Ok(p),
                Ok(Lookup::Unknown) => Err(Refusal::says(
                    "unknown_code",
                    Text::msg("basket-unknown-code").arg("code", display),
                )),
                Ok(Lookup::BadCheckDigit(e)) => Err(Refusal::says("bad_check_digit", e.text())),
                Err(e) => Err(Refusal::new("store_error", e.to_string())),
            }
        };
        AtomicResponse::new(Box::pin(fut.into_actor(self).map(|found, act, _| {
            let product = found?;
            act.basket.add_item(&product).map_err(basket_refusal)?;
            act.changed();
            Ok(())
        })))
    }
}

impl Handler<AddWithdrawal> for BasketActor {
    type Result = Result<(), Refusal>;

    fn handle(&mut self, msg: AddWithdrawal, _: &mut Context<Self>) -> Self::Result {
        self.check_not_frozen()?;
        self.basket
            .add_withdrawal(msg.0, self.max_withdrawal)
            .map_err(basket_refusal)?;
        self.changed();
        Ok(())
    }
}

impl Handler<SetQuantity> for BasketActor {
    type Result = Result<(), Refusal>;

    fn handle(&mut self, msg: SetQuantity, _: &mut Context<Self>) -> Self::Result {
        self.check_not_frozen()?;
        self.basket
            .set_qty(msg.line, msg.qty)
            .map_err(basket_refusal)?;
        self.changed();
        Ok(())
    }
}

impl Handler<VoidLine> for BasketActor {
    type Result = Result<(), Refusal>;

    fn handle(&mut self, msg: VoidLine, _: &mut Context<Self>) -> Self::Result {
        self.check_not_frozen()?;
        let line = self.basket.void(msg.line).map_err(basket_refusal)?;
        let detail = format!(
            "{} x{} {} ({})",
            line.name,
            line.qty,
            line.unit,
            self.basket.current().as_str()
        );
        let at = self.clock.now();
        // The audit row is written in the background: a void never waits for the disk.
        self.ledger.do_send(ledger::LedgerJob::new(move |l| {
            l.audit(at, Some(&msg.by), "void", &detail)
        }));
        self.changed();
        Ok(())
    }
}

/// A discount proposed for the current account: checked on a copy of the basket, nothing
/// applied. Answers how much of what it reduces it takes, in hundredths of a percent (the
/// cap `till.max_discount_pct` is compared with it), and that amount.
#[derive(Message)]
#[rtype(result = "Result<(i64, Money), Refusal>")]
pub struct PreviewDiscount {
    pub target: super::command::DiscountTarget,
    pub rule: crate::domain::discount::DiscountRule,
}

/// Applies (or, `discount: None`, removes) a discount of the current account; `audit` is the
/// audit row's detail (who asked is `by`; who approved is in the detail).
#[derive(Message)]
#[rtype(result = "Result<(), Refusal>")]
pub struct ApplyDiscount {
    pub target: super::command::DiscountTarget,
    pub discount: Option<crate::domain::discount::Discount>,
    pub by: String,
    pub audit: String,
}

fn apply_to(
    basket: &mut Basket,
    target: super::command::DiscountTarget,
    discount: Option<crate::domain::discount::Discount>,
) -> Result<(), BasketError> {
    use super::command::DiscountTarget as T;
    match (target, discount) {
        (T::Line(n), Some(d)) => basket.discount_line(n, d),
        (T::Basket, Some(d)) => basket.discount_basket(d),
        (T::Line(n), None) => basket.remove_discount(Some(n)),
        (T::Basket, None) => basket.remove_discount(None),
    }
}

impl Handler<PreviewDiscount> for BasketActor {
    type Result = Result<(i64, Money), Refusal>;

    fn handle(&mut self, msg: PreviewDiscount, _: &mut Context<Self>) -> Self::Result {
        use super::command::DiscountTarget as T;
        use crate::domain::discount::{Discount, DiscountRule};
        self.check_not_frozen()?;
        let mut copy = self.basket.clone();
        apply_to(&mut copy, msg.target, Some(Discount::new(msg.rule))).map_err(basket_refusal)?;
        let lines = copy.lines(copy.current());
        let (off, of) = match msg.target {
            T::Line(n) => {
                let l = &lines.as_slice()[n - 1];
                (l.own_discount(), l.gross().unwrap_or(Money::ZERO))
            }
            T::Basket => {
                let base = lines.discountable();
                (msg.rule.off_basket(base), base)
            }
        };
        Ok((DiscountRule::effective_bp(off, of), off))
    }
}

impl Handler<ApplyDiscount> for BasketActor {
    type Result = Result<(), Refusal>;

    fn handle(&mut self, msg: ApplyDiscount, _: &mut Context<Self>) -> Self::Result {
        self.check_not_frozen()?;
        apply_to(&mut self.basket, msg.target, msg.discount).map_err(basket_refusal)?;
        let (at, by, detail) = (self.clock.now(), msg.by, msg.audit);
        self.ledger.do_send(ledger::LedgerJob::new(move |l| {
            l.audit(at, Some(&by), "discount", &detail)
        }));
        self.changed();
        Ok(())
    }
}

impl Handler<SwitchAccount> for BasketActor {
    type Result = ();

    fn handle(&mut self, msg: SwitchAccount, _: &mut Context<Self>) {
        self.basket.switch_to(msg.0);
        self.changed();
    }
}

impl Handler<Checkout> for BasketActor {
    type Result = Result<Lines, Refusal>;

    fn handle(&mut self, msg: Checkout, _: &mut Context<Self>) -> Self::Result {
        if self.frozen.is_some() {
            return Err(Refusal::says(
                "payment_in_progress",
                Text::msg("payment-in-progress"),
            ));
        }
        let lines = self.basket.lines(msg.account).clone();
        if lines.is_empty() {
            return Err(Refusal::says(
                "empty_basket",
                Text::msg("basket-empty").arg("account", msg.account.as_str()),
            ));
        }
        self.frozen = Some((msg.account, msg.holder));
        Ok(lines)
    }
}

impl Handler<Settle> for BasketActor {
    type Result = ();

    fn handle(&mut self, msg: Settle, _: &mut Context<Self>) {
        match &self.frozen {
            Some((a, h)) if *a == msg.account && *h == msg.holder => self.frozen = None,
            // Not (or no longer) this payment's basket: whatever it holds now is someone else's.
            _ => return,
        }
        if msg.paid {
            self.basket.take(msg.account);
            self.changed();
        }
    }
}

impl Handler<Restore> for BasketActor {
    type Result = ();

    fn handle(&mut self, msg: Restore, _: &mut Context<Self>) {
        if self.frozen.is_some() {
            return;
        }
        self.basket.restore(msg.account, msg.lines);
        self.frozen = Some((msg.account, msg.holder));
        self.changed();
    }
}

impl Handler<ClearBaskets> for BasketActor {
    type Result = Result<(), Refusal>;

    fn handle(&mut self, msg: ClearBaskets, _: &mut Context<Self>) -> Self::Result {
        if let Some((account, _)) = &self.frozen {
            return Err(Refusal::says(
                "payment_in_progress",
                Text::msg("basket-held").arg("account", account.as_str()),
            ));
        }
        if !self.basket.is_empty() {
            let detail = format!(
                "{}: main {} ({} lines), sub {} ({} lines) dropped",
                msg.reason,
                self.basket.lines(Account::Main).total(),
                self.basket.lines(Account::Main).len(),
                self.basket.lines(Account::Sub).total(),
                self.basket.lines(Account::Sub).len()
            );
            let at = self.clock.now();
            self.ledger.do_send(ledger::LedgerJob::new(move |l| {
                l.audit(at, msg.by.as_deref(), "basket_cleared", &detail)
            }));
        }
        self.basket.clear();
        self.changed();
        Ok(())
    }
}

impl Handler<GetBasket> for BasketActor {
    type Result = MessageResult<GetBasket>;

    fn handle(&mut self, _: GetBasket, _: &mut Context<Self>) -> Self::Result {
        MessageResult(self.basket.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::basket::{Line, LineKind};

    fn lines(cents: i64) -> Lines {
        Lines::from_lines(vec![Line {
            kind: LineKind::Withdrawal,
            code: None,
            name: crate::domain::basket::WITHDRAWAL_NAME.into(),
            unit: Money::from_cents(cents),
            qty: 1,
            vat: None,
            discount: None,
        }])
    }

    fn start() -> (tempfile::TempDir, Addr<BasketActor>) {
        let dir = tempfile::tempdir().unwrap();
        let ledger = crate::store::Ledger::open_in(dir.path()).unwrap();
        let ledger = LedgerActor::start(ledger, dir.path().join(crate::store::LEDGER_FILE));
        let clock: crate::clock::SharedClock = crate::clock::FakeClock::new(
            chrono::DateTime::from_timestamp(1_780_000_000, 0).unwrap(),
        );
        let basket =
            BasketActor::new(Money::from_cents(10_000), ledger, EventHub::new(), clock).start();
        (dir, basket)
    }

    #[actix::test]
    async fn a_basket_held_by_a_payment_is_never_dropped_and_only_its_holder_releases_it() {
        let (_dir, basket) = start();
        basket
            .send(Restore {
                account: Account::Main,
                lines: lines(1500),
                holder: "intent:a".into(),
            })
            .await
            .unwrap();
        // Logout, closing, a replacing login: refused while the payment holds the basket.
        let cleared = basket
            .send(ClearBaskets {
                reason: "logout",
                by: None,
            })
            .await
            .unwrap();
        assert_eq!(cleared.unwrap_err().code, "payment_in_progress");
        // Someone else's settle changes nothing.
        for holder in ["intent:b", "cash:x"] {
            basket
                .send(Settle {
                    account: Account::Main,
                    holder: holder.into(),
                    paid: true,
                })
                .await
                .unwrap();
        }
        let b = basket.send(GetBasket).await.unwrap();
        assert_eq!(b.lines(Account::Main).total().cents(), 1500);
        assert!(
            basket
                .send(Checkout {
                    account: Account::Sub,
                    holder: "cash:y".into(),
                })
                .await
                .unwrap()
                .is_err(),
            "a second payment while one holds"
        );
        // The holder's own settle empties it; then the basket may go.
        basket
            .send(Settle {
                account: Account::Main,
                holder: "intent:a".into(),
                paid: true,
            })
            .await
            .unwrap();
        assert!(basket.send(GetBasket).await.unwrap().is_empty());
        let cleared = basket
            .send(ClearBaskets {
                reason: "logout",
                by: None,
            })
            .await
            .unwrap();
        assert!(cleared.is_ok());
    }
}
