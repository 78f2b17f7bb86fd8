//! What the runtime tells its faces: [`TillEvent`], serialised as the headless protocol's JSON
//! objects (`{"event": "...", ...}`, amounts in integer cents), and the hub that fans them out.

use std::sync::{Arc, Mutex};

use serde::Serialize;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::domain::basket::{Account, Basket, LineKind};
use crate::domain::{Money, Role};
use crate::i18n::Lang;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalReason {
    /// No staff member with this ID.
    Unknown,
    /// Wrong PIN (or a PIN that is not 4-8 digits).
    BadPin,
    /// Too many wrong PINs: locked until `until`.
    LockedOut,
    /// A cashier outside opening hours.
    Closed,
    /// The staff member was disabled by an admin.
    Disabled,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BasketLineView {
    pub line: usize,
    pub kind: LineKind,
    pub code: Option<String>,
    pub name: String,
    pub qty: i64,
    pub unit_cents: Money,
    /// What the line costs: `unit × qty − discount`.
    pub total_cents: Money,
    /// What every discount takes off the line (its own and its share of the basket's).
    pub discount_cents: Money,
    /// The line's own discount as given (`null` without one).
    pub discount: Option<DiscountView>,
}

/// A discount as given: `{"percent": 1000}` (hundredths), `{"amount_cents": 150}` or
/// `{"price_cents": 99}` (a price override).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiscountView {
    /// Hundredths of a percent.
    Percent(i64),
    AmountCents(Money),
    PriceCents(Money),
}

impl DiscountView {
    pub fn of(rule: &crate::domain::discount::DiscountRule) -> DiscountView {
        use crate::domain::discount::DiscountRule as R;
        match *rule {
            R::Percent(bp) => DiscountView::Percent(bp),
            R::Amount(a) | R::Fixed(a) => DiscountView::AmountCents(a),
            R::Price(p) => DiscountView::PriceCents(p),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StatusView {
    pub till_id: String,
    pub now: String,
    pub shop_open: bool,
    pub hours_today: String,
    pub staff_id: Option<String>,
    pub staff_name: Option<String>,
    pub role: Option<Role>,
    pub session: &'static str,
    pub account: Account,
    pub main_total_cents: Money,
    pub sub_total_cents: Money,
    pub main_lines: usize,
    pub sub_lines: usize,
    pub payment_in_progress: bool,
    /// The payment holding a basket (or a paid one waiting for `accept`), if any.
    pub payment: Option<Box<PaymentView>>,
    pub print_queue: i64,
    /// Outbox rows not yet in the central database, parked ones included (the same count as
    /// `connectivity.pending`), and of those the parked ones.
    pub outbox_pending: i64,
    pub outbox_parked: i64,
    /// The till's last ticket number (0 before its first sale).
    pub last_ticket_no: i64,
    /// Cash is rounded to the nearest 0,05 € (`till.cash_rounding`).
    pub cash_rounding: bool,
    /// The open drawer session's number (the Z to come); `None` when no drawer is open (the
    /// screen then asks the cashier who logs in to count the float).
    pub drawer_session: Option<i64>,
    /// Whether a central database is configured; its reachability (unknown before the first
    /// sync round), completed sync rounds, last successful sync.
    pub central: bool,
    pub online: Option<bool>,
    pub sync_rounds: u64,
    pub last_sync_at: Option<String>,
    /// Why the last sync round failed (`null` once one succeeds).
    pub sync_error: Option<String>,
    /// A configured `central.url` this till cannot use (`null` when none is configured or it
    /// is usable): the till sells alone until it is fixed.
    pub central_error: Option<String>,
    /// The central host (`host:port`) in use: the first of `central.url`'s hosts that answered
    /// (`null` without a central database).
    pub central_host: Option<String>,
}

/// A QR payment as `status` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaymentView {
    pub intent_id: String,
    /// `pending`, `paid` or `cancelling`.
    pub state: &'static str,
    pub account: Account,
    pub amount_cents: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum TillEvent {
    Ready {
        till_id: String,
        version: String,
    },
    LoggedIn {
        staff_id: String,
        name: String,
        role: Role,
        /// The session's language: every `message` from now on is in it.
        lang: crate::i18n::Lang,
        /// The till's open drawer session (the Z to come); `null` when no drawer is open (the
        /// screen then asks a cashier to count the float).
        drawer_session: Option<i64>,
    },
    LoginRefused {
        reason: RefusalReason,
        message: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        until: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        attempts_left: Option<u32>,
    },
    LoggedOut {
        reason: String,
    },
    /// Idle for 15 minutes: the PIN is asked again; the basket is kept.
    SessionLocked {
        staff_id: String,
        reason: String,
    },
    Basket {
        account: Account,
        lines: Vec<BasketLineView>,
        /// Every discount of this account together.
        discount_cents: Money,
        /// The account's basket discount as given (`null` without one).
        basket_discount: Option<DiscountView>,
        total_cents: Money,
        main_total_cents: Money,
        sub_total_cents: Money,
    },
    Error {
        code: String,
        message: String,
    },
    PaymentPending {
        intent_id: String,
        account: Account,
        amount_cents: Money,
        pay_url: String,
    },
    PaymentAccepted {
        intent_id: String,
        account: Account,
        amount_cents: Money,
    },
    PaymentCancelled {
        intent_id: String,
        /// The provider's reason, when it refused or let the payment lapse: `expired`,
        /// `failed`, `authorization_failed` or `cancelled`.
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// That reason, said to the cashier in their language.
        #[serde(skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
    /// The cashier cancelled but the payment server has not confirmed it yet: the basket stays
    /// held and the till keeps asking.
    PaymentCancelling {
        intent_id: String,
    },
    /// The customer paid although the cashier had cancelled: `accept` records the sale.
    PaymentPaidAfterCancel {
        intent_id: String,
        amount_cents: Money,
    },
    SaleCommitted {
        sale_id: String,
        ticket_no: i64,
        account: Account,
        method: crate::domain::PaymentMethod,
        paid_cents: Money,
        revenue_cents: Money,
        withdrawal_cents: Money,
        change_cents: Money,
        /// Belgian cash rounding: `paid_cents` minus the lines' total (−2 to +2; 0 for QR).
        rounding_cents: Money,
        /// The payment provider's id for a QR sale (Payconiq's `paymentId`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        provider_ref: Option<String>,
        /// Every discount of the sale together (0 without).
        discount_cents: Money,
    },
    /// An action waits for a manager: `approve <id> <pin>` runs it. `action` is `discount`,
    /// `price` or `refund`; `detail` says what, in the session's language.
    ApprovalNeeded {
        action: String,
        detail: String,
    },
    /// A manager approved the waiting action (it runs next).
    Approved {
        action: String,
        by: String,
        name: String,
    },
    /// A return in progress: the original ticket's lines with what was sold, already returned,
    /// still returnable and picked, and what the picked lines give back (before cash rounding).
    RefundBasket {
        original_sale_id: String,
        till_id: String,
        ticket_no: i64,
        paid_at: String,
        method: crate::domain::PaymentMethod,
        lines: Vec<crate::domain::refund::RefundLine>,
        refund_cents: Money,
    },
    /// A credit note recorded: `refunded_cents` is what goes back to the customer (positive,
    /// cash-rounded when in cash), `method` how.
    RefundCommitted {
        sale_id: String,
        ticket_no: i64,
        original_sale_id: String,
        original_ticket_no: i64,
        refunded_cents: Money,
        rounding_cents: Money,
        method: crate::domain::PaymentMethod,
        /// A refund through the provider: its state (`requested`, `pending`, `succeeded`).
        #[serde(skip_serializing_if = "Option::is_none")]
        provider_status: Option<String>,
    },
    /// A refund through the provider moved on (`pending` → `succeeded`), or failed: then the
    /// money did not go back and the screen says so until someone acts (give it in cash).
    RefundProgress {
        sale_id: String,
        ticket_no: i64,
        status: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    RefundCancelled,
    /// A drawer session opened: with a counted float, or (`counted: false`) by the till at a
    /// first cash operation with 0,00 €.
    DrawerOpened {
        session_no: i64,
        float_cents: Money,
        counted: bool,
    },
    /// Cash put in or taken out of the drawer; its slip is queued for the printer (`move_no`
    /// is on the slip and in its `printed` event).
    DrawerMoved {
        session_no: i64,
        move_no: i64,
        kind: crate::domain::drawer::MoveKind,
        amount_cents: Money,
        reason: String,
    },
    /// An X report (`kind: "x"`, so far) or the Z report that closed the session (`"z"`).
    DrawerReport {
        report: Box<crate::domain::drawer::DrawerReport>,
    },
    Printed {
        sale_id: String,
    },
    PrintFailed {
        sale_id: String,
        reason: String,
    },
    /// A document printed: a cash-in/out slip (`drawer_in`, `drawer_out`, with its `move_no`)
    /// or an X/Z report (`x`, `z`); `z_no` is its drawer session. The same `printed` event as a
    /// ticket's, told apart by `document` instead of `sale_id`.
    #[serde(rename = "printed")]
    DocumentPrinted {
        document: crate::domain::drawer_print::DocKind,
        z_no: i64,
        #[serde(skip_serializing_if = "Option::is_none")]
        move_no: Option<i64>,
    },
    /// A document did not print (the same `print_failed` as a ticket's); it is tried again, in
    /// its place in the queue.
    #[serde(rename = "print_failed")]
    DocumentPrintFailed {
        document: crate::domain::drawer_print::DocKind,
        z_no: i64,
        #[serde(skip_serializing_if = "Option::is_none")]
        move_no: Option<i64>,
        reason: String,
    },
    /// The sync's state: `pending` counts every outbox row not yet in the central database,
    /// parked ones included (the same count as `status.outbox_pending`); `parked` says how many
    /// of them are set aside for a conflict (`kaching sync retry-parked` puts them back).
    Connectivity {
        online: bool,
        pending: i64,
        parked: i64,
    },
    ClosingSoon {
        at: String,
    },
    /// The wall clock reads earlier than the till's last sale: it is reported, not trusted.
    ClockWarning {
        now: String,
        last_sale_at: String,
    },
    /// The barcode scanner came (back) or went away (unplugged, not found). Only with
    /// `scanner.device` set; a scanner that comes back is used again without a restart.
    Scanner {
        connected: bool,
        device: String,
        message: String,
    },
    Status(Box<StatusView>),
}

impl TillEvent {
    pub fn error(code: &str, message: impl Into<String>) -> TillEvent {
        TillEvent::Error {
            code: code.to_owned(),
            message: message.into(),
        }
    }

    /// The basket event for the account scans go to, with both totals.
    pub fn basket(b: &Basket) -> TillEvent {
        let account = b.current();
        let current = b.lines(account);
        // The amounts are computed once for the account shown (its totals follow from them).
        let priced = current.priced();
        let discount_cents = priced.iter().map(|p| p.discount).sum();
        let total_cents = priced.iter().map(|p| p.net).sum();
        let lines = current
            .as_slice()
            .iter()
            .zip(priced)
            .enumerate()
            .map(|(i, (l, p))| BasketLineView {
                line: i + 1,
                kind: l.kind,
                code: l.code.as_ref().map(|c| c.as_str().to_owned()),
                name: l.name.clone(),
                qty: l.qty,
                unit_cents: l.unit,
                total_cents: p.net,
                discount_cents: p.discount,
                discount: l.discount.as_ref().map(|d| DiscountView::of(&d.rule)),
            })
            .collect();
        TillEvent::Basket {
            account,
            lines,
            discount_cents,
            basket_discount: current.basket_discount().map(|d| DiscountView::of(&d.rule)),
            total_cents,
            main_total_cents: b.lines(Account::Main).total(),
            sub_total_cents: b.lines(Account::Sub).total(),
        }
    }
}

/// Fans events out to every subscriber (the headless writer, the GUI, tests). Unbounded so an
/// actor never waits on a slow screen; a subscriber that went away is dropped.
///
/// It also renders the actors' [`Refusal`](super::basket::Refusal)s: in the language of the
/// session (set by the SessionActor at login, cleared at logout), else the till's.
#[derive(Clone, Default)]
pub struct EventHub {
    subscribers: Arc<Mutex<Vec<UnboundedSender<TillEvent>>>>,
    langs: Arc<Mutex<Langs>>,
}

#[derive(Default, Clone, Copy)]
struct Langs {
    till: Lang,
    session: Option<Lang>,
    /// Picked with `lang` (the login screen's other languages): until the next logout.
    chosen: Option<Lang>,
}

impl EventHub {
    pub fn new() -> EventHub {
        EventHub::default()
    }

    /// A hub whose messages are in `till` until someone logs in.
    pub fn speaking(till: Lang) -> EventHub {
        let hub = EventHub::default();
        if let Ok(mut l) = hub.langs.lock() {
            l.till = till;
        }
        hub
    }

    /// The till's language (`till.language`).
    pub fn till_lang(&self) -> Lang {
        self.langs.lock().map(|l| l.till).unwrap_or_default()
    }

    /// The language messages are in now: the session's, else the till's.
    pub fn lang(&self) -> Lang {
        self.langs
            .lock()
            .map(|l| l.session.or(l.chosen).unwrap_or(l.till))
            .unwrap_or_default()
    }

    /// Set at login (`Some`) and logout (`None`: back to the till's language).
    pub fn set_session_lang(&self, lang: Option<Lang>) {
        if let Ok(mut l) = self.langs.lock() {
            if lang.is_none() {
                l.chosen = None;
            }
            l.session = lang;
        }
    }

    /// The person at the till asked for `lang` (`lang nl`): before a login, for the login
    /// and its refusals; during a session, for the rest of it. A logout ends the choice.
    pub fn choose_lang(&self, lang: Lang) {
        if let Ok(mut l) = self.langs.lock() {
            l.chosen = Some(lang);
            if l.session.is_some() {
                l.session = Some(lang);
            }
        }
    }

    /// Emits a refusal as an `error` event, its message in the current language.
    pub fn refuse(&self, r: &super::basket::Refusal) {
        self.emit(r.event(self.lang()));
    }

    pub fn subscribe(&self) -> UnboundedReceiver<TillEvent> {
        let (tx, rx) = unbounded_channel();
        if let Ok(mut subs) = self.subscribers.lock() {
            subs.push(tx);
        }
        rx
    }

    pub fn emit(&self, event: TillEvent) {
        tracing::debug!(?event, "event");
        if let Ok(mut subs) = self.subscribers.lock() {
            subs.retain(|s| s.send(event.clone()).is_ok());
        }
    }
}
