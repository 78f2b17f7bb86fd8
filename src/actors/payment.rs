//! PaymentActor: takes a basket's payment and commits the sale.
//!
//! - **Cash**: amount tendered, change due; the sale is committed at once.
//! - **QR**: an intent is created on the payment server (its id, made here, is the idempotency
//!   key: a retry never creates two); `payment_pending` carries the URL the QR code shows; the
//!   actor listens to the intent's event stream (reconnecting, and so re-reading the state, when
//!   the stream drops: a missed event is never a lost payment) and emits `payment_accepted`;
//!   `accept` commits the sale, and when the other basket holds items its payment comes up by
//!   itself. `cancel` cancels the intent on the server. When the hosted server cannot be reached
//!   the till's own server on the shop's LAN takes the payment (its sales carry `lan:<intent>`
//!   as payment reference, for reconciliation).
//!
//! Waiting for the customer never blocks the actor: `IsBusy`, `cancel` and the clock guard are
//! answered while a payment is pending.
//!
//! **Money is never lost.** Every intent is in the ledger before a server is asked, with the
//! exact lines it pays, and each state it reaches (pending, paid, cancelling, cancelled,
//! expired, recorded) is written there before the screen is told. At start-up the actor
//! re-attaches to every intent that is not final: a paid one comes back as `payment_accepted`,
//! a pending one is listened to again, a cancelling one is cancelled again. A cancel the server
//! has not confirmed leaves the intent `cancelling` and its basket held; the till asks again
//! until the server answers — if it answers "paid", `payment_paid_after_cancel` and `accept`
//! records the sale. The sale of an intent is its own lines, never what the basket holds by
//! then, and `UNIQUE(payment_ref)` in the ledger makes it one sale, never two.

use std::time::Duration;

use actix::prelude::*;
use chrono_tz::Tz;
use futures_util::StreamExt;

use crate::clock::SharedClock;
use crate::domain::basket::Lines;
use crate::domain::sale::SaleError;
use crate::domain::{Account, Money, PaymentMethod, SaleDraft, Staff, StaffId};
use crate::i18n::Text;
use crate::pay_web::api::{CreateIntent, IntentLine, IntentStatus, IntentView};
use crate::pay_web::client::{ClientError, PayClient};
use crate::store::{IntentState, NewIntentRecord, StoreError};

use super::basket::{BasketActor, Checkout, Refusal, Restore, Settle};
use super::events::{EventHub, PaymentView, TillEvent};
use super::ledger::{self, LedgerActor};
use super::printer::{PrintQueued, PrinterActor};

/// The payment servers a till can use for QR payments.
/// How long creating a payment on one server may take, retries included, before the next
/// server (the LAN one) is tried or the cashier is told to take cash. The intent id is the same
/// on every try, so a late answer creates nothing twice; an intent left behind expires.
pub const CREATE_DEADLINE: std::time::Duration = std::time::Duration::from_secs(8);

#[derive(Clone, Default)]
pub struct QrServers {
    /// The hosted server (reachable over the internet).
    pub hosted: Option<PayClient>,
    /// The till's own server on the shop's LAN: the fallback, or the only one.
    pub lan: Option<PayClient>,
}

#[derive(Message)]
#[rtype(result = "Result<(), Refusal>")]
pub struct Pay {
    pub account: Account,
    pub method: PaymentMethod,
    pub tendered: Option<Money>,
    pub staff: Staff,
}

#[derive(Message)]
#[rtype(result = "Result<(), Refusal>")]
pub struct Accept;

#[derive(Message)]
#[rtype(result = "Result<(), Refusal>")]
pub struct Cancel;

/// True while a payment is being set up, is being written, or holds a basket (pending,
/// cancelling, or paid and waiting for `accept`): the clock guard lets it finish after closing,
/// and logout waits for it.
#[derive(Message)]
#[rtype(result = "bool")]
pub struct IsBusy;

/// The payment `status` shows: the one holding a basket, else a paid one waiting for `accept`.
#[derive(Message)]
#[rtype(result = "Option<PaymentView>")]
pub struct GetPayment;

/// Re-attach to every intent of the ledger that is not final (sent once, at start).
#[derive(Message)]
#[rtype(result = "()")]
struct Resume;

/// The intent's state as the server reported it (sent by the stream listener).
#[derive(Message)]
#[rtype(result = "()")]
struct IntentChanged {
    intent_id: String,
    status: IntentStatus,
    /// The provider's reason for a cancelled or expired payment.
    reason: Option<String>,
}

/// Ask the server again to cancel an intent it has not confirmed cancelled.
#[derive(Message)]
#[rtype(result = "()")]
struct RetryCancel {
    intent_id: String,
}

/// How long one cancel request may take (its retries included) before the till says
/// "cancelling" and tries again later.
pub const CANCEL_DEADLINE: Duration = Duration::from_secs(6);
/// The longest pause between two cancel attempts.
const CANCEL_RETRY_MAX: Duration = Duration::from_secs(5);
/// A cancelled intent the server never confirmed gives its basket back this long after it
/// expired (the customer can no longer pay it; if they had, the server says so when it is
/// reachable again, and the till raises `payment_paid_after_cancel`).
const UNCONFIRMED_GRACE_MS: i64 = 60_000;

/// An intent the till follows: in the ledger, not final.
struct Tracked {
    id: String,
    account: Account,
    staff_id: StaffId,
    staff_name: String,
    lines: Lines,
    amount: Money,
    lan: bool,
    /// The provider's payment id (Payconiq's `paymentId`), written on the sale.
    provider_ref: Option<String>,
    /// `None`: the server it lives on is no longer configured (a paid one can still be
    /// accepted).
    client: Option<PayClient>,
    /// `Pending`, `Paid` or `Cancelling`.
    state: IntentState,
    /// Whether it freezes its account in the basket (at most one intent does).
    holds: bool,
    expires_at: Option<i64>,
    listener: Option<SpawnHandle>,
    cancel_delay: Duration,
}

impl Tracked {
    fn view(&self) -> PaymentView {
        PaymentView {
            intent_id: self.id.clone(),
            state: self.state.as_str(),
            account: self.account,
            amount_cents: self.amount,
        }
    }
    fn payment_ref(&self) -> String {
        if self.lan {
            format!("lan:{}", self.id)
        } else {
            self.id.clone()
        }
    }
}

/// The basket freeze held by an intent.
fn holder(intent_id: &str) -> String {
    format!("intent:{intent_id}")
}

pub struct PaymentActor {
    till_id: String,
    shop_name: String,
    tz: Tz,
    cash_rounding: bool,
    /// Between `pay` and the intent's creation, or while a sale is being written.
    busy: bool,
    intents: Vec<Tracked>,
    servers: QrServers,
    basket: Addr<BasketActor>,
    ledger: Addr<LedgerActor>,
    printer: Addr<PrinterActor>,
    hub: EventHub,
    clock: SharedClock,
}

/// What committing a sale needs, cloned into the futures.
#[derive(Clone)]
struct Committer {
    till_id: String,
    tz: Tz,
    cash_rounding: bool,
    basket: Addr<BasketActor>,
    ledger: Addr<LedgerActor>,
    printer: Addr<PrinterActor>,
    hub: EventHub,
    clock: SharedClock,
}

/// A sale to write: whose, which lines, how paid, and the basket freeze it releases.
struct SaleToCommit {
    staff_id: StaffId,
    staff_name: String,
    account: Account,
    lines: Lines,
    method: PaymentMethod,
    tendered: Option<Money>,
    payment_ref: Option<String>,
    provider_ref: Option<String>,
    /// The basket freeze this sale releases: emptied once written; a cash sale that cannot be
    /// written gives it back, a QR one keeps it (the payment stays accepted).
    holder: Option<String>,
}

impl PaymentActor {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        till_id: String,
        shop_name: String,
        tz: Tz,
        cash_rounding: bool,
        servers: QrServers,
        basket: Addr<BasketActor>,
        ledger: Addr<LedgerActor>,
        printer: Addr<PrinterActor>,
        hub: EventHub,
        clock: SharedClock,
    ) -> PaymentActor {
        PaymentActor {
            till_id,
            shop_name,
            tz,
            cash_rounding,
            busy: false,
            intents: Vec::new(),
            servers,
            basket,
            ledger,
            printer,
            hub,
            clock,
        }
    }

    fn committer(&self) -> Committer {
        Committer {
            till_id: self.till_id.clone(),
            tz: self.tz,
            cash_rounding: self.cash_rounding,
            basket: self.basket.clone(),
            ledger: self.ledger.clone(),
            printer: self.printer.clone(),
            hub: self.hub.clone(),
            clock: self.clock.clone(),
        }
    }

    fn client_for(&self, lan: bool) -> Option<PayClient> {
        if lan {
            self.servers.lan.clone()
        } else {
            self.servers.hosted.clone()
        }
    }

    fn find(&mut self, id: &str) -> Option<&mut Tracked> {
        self.intents.iter_mut().find(|t| t.id == id)
    }

    /// Stops following an intent (it became final or was recorded).
    fn forget(&mut self, id: &str, ctx: &mut Context<Self>) -> Option<Tracked> {
        let i = self.intents.iter().position(|t| t.id == id)?;
        let t = self.intents.remove(i);
        if let Some(l) = t.listener {
            ctx.cancel_future(l);
        }
        Some(t)
    }

    fn holds_a_basket(&self) -> bool {
        self.intents.iter().any(|t| t.holds)
    }

    fn listen_to(&mut self, id: &str, ctx: &mut Context<Self>) {
        let addr = ctx.address();
        let Some(t) = self.find(id) else { return };
        let Some(client) = t.client.clone() else {
            return;
        };
        if let Some(old) = t.listener.take() {
            ctx.cancel_future(old);
        }
        let handle = ctx.spawn(listen(client, id.to_owned(), addr).into_actor(self));
        if let Some(t) = self.find(id) {
            t.listener = Some(handle);
        }
    }

    fn audit(&self, by: Option<String>, action: &'static str, detail: String) {
        let at = self.clock.now();
        self.ledger.do_send(ledger::LedgerJob::new(move |l| {
            l.audit(at, by.as_deref(), action, &detail)
        }));
    }

    /// Starts a QR payment of `account`: checkout, intent in the ledger, intent on a server,
    /// `payment_pending`, listener.
    fn start_qr(
        &mut self,
        account: Account,
        staff_id: StaffId,
        staff_name: String,
    ) -> ResponseActFuture<Self, Result<(), Refusal>> {
        if self.servers.hosted.is_none() && self.servers.lan.is_none() {
            return Box::pin(actix::fut::ready(Err(Refusal::says(
                "qr_unavailable",
                Text::msg("pay-qr-unavailable"),
            ))));
        }
        self.busy = true;
        let basket = self.basket.clone();
        let ledger = self.ledger.clone();
        let servers = self.servers.clone();
        let shop_name = self.shop_name.clone();
        let till_id = self.till_id.clone();
        let clock = self.clock.clone();
        let intent_id = new_uuid(&self.clock);
        // A provider server with no LAN fallback: when it cannot be reached, the cashier is
        // told that QR payments need the internet, and to take cash.
        let no_fallback = servers.hosted.is_some() && servers.lan.is_none();
        let (sid, sname) = (staff_id.clone(), staff_name.clone());
        let fut = async move {
            let hold = holder(&intent_id);
            let lines = basket
                .send(Checkout {
                    account,
                    holder: hold.clone(),
                })
                .await
                .map_err(|e| Refusal::new("internal", e.to_string()))??;
            let release = |basket: &Addr<BasketActor>| {
                basket.do_send(Settle {
                    account,
                    holder: hold.clone(),
                    paid: false,
                })
            };
            // Written before any server is asked: whatever happens next, the ledger knows.
            let (id, l2, t2, s2, n2, now) = (
                intent_id.clone(),
                lines.clone(),
                till_id.clone(),
                sid.clone(),
                sname.clone(),
                clock.now(),
            );
            if let Err(e) = ledger::run(&ledger, move |l| {
                l.intent_create(
                    &NewIntentRecord {
                        id: &id,
                        till_id: &t2,
                        account,
                        staff_id: &s2,
                        staff_name: &n2,
                        lines: &l2,
                    },
                    now,
                )
            })
            .await
            {
                release(&basket);
                return Err(Refusal::says(
                    "store_error",
                    Text::msg("pay-not-recorded").arg("error", e.to_string()),
                ));
            }
            let request = CreateIntent {
                intent_id: intent_id.clone(),
                amount_cents: lines.total().cents(),
                account: account.as_str().to_owned(),
                seller: sname,
                shop_name,
                lines: lines
                    .as_slice()
                    .iter()
                    .zip(lines.priced())
                    .map(|(l, p)| IntentLine {
                        name: l.name.clone(),
                        qty: l.qty,
                        total_cents: p.net.cents(),
                    })
                    .collect(),
            };
            let mut last_error = None;
            for (client, lan) in [(servers.hosted.clone(), false), (servers.lan.clone(), true)] {
                let Some(client) = client else { continue };
                // The customer is waiting at the counter: a server that does not answer within
                // CREATE_DEADLINE (its retries included) gives way to the next one, or to cash.
                let created = tokio::time::timeout(CREATE_DEADLINE, client.create(&request))
                    .await
                    .unwrap_or_else(|_| {
                        Err(ClientError::Retryable(format!(
                            "no answer within {CREATE_DEADLINE:?}"
                        )))
                    });
                match created {
                    Ok(view) => {
                        let (id, url, pref, exp, now) = (
                            intent_id.clone(),
                            view.pay_url.clone(),
                            view.provider_ref.clone(),
                            view.expires_at,
                            clock.now(),
                        );
                        // Only an intent the ledger knows as pending is shown to the customer.
                        match ledger::run(&ledger, move |l| {
                            l.intent_created(&id, lan, &url, pref.as_deref(), exp, now)
                        })
                        .await
                        {
                            Ok(_) => return Ok((lines, view, client, lan)),
                            Err(e) => {
                                let _ = tokio::time::timeout(
                                    CANCEL_DEADLINE,
                                    client.cancel(&intent_id),
                                )
                                .await;
                                release(&basket);
                                return Err(Refusal::says(
                                    "store_error",
                                    Text::msg("pay-not-recorded").arg("error", e.to_string()),
                                ));
                            }
                        }
                    }
                    Err(e) if e.is_retryable() => {
                        tracing::warn!(server = client.base_url(), error = %e, "payment server unreachable");
                        last_error = Some(e);
                    }
                    Err(e) => {
                        last_error = Some(e);
                        break;
                    }
                }
            }
            let provider = last_error.as_ref().and_then(provider_refusal);
            let offline = no_fallback && last_error.as_ref().is_none_or(ClientError::is_retryable);
            let e = last_error.map_or_else(|| "no payment server".to_owned(), |e| e.to_string());
            let (id, detail, now) = (intent_id.clone(), e.clone(), clock.now());
            let _ = ledger::run(&ledger, move |l| {
                l.intent_move(&id, IntentState::Failed, &detail, now)
            })
            .await;
            release(&basket);
            Err(match provider {
                Some(text) => Refusal::says("payment_unavailable", Text::msg(text)),
                None if offline => {
                    Refusal::says("payment_unavailable", Text::msg("pay-provider-offline"))
                }
                None => Refusal::says(
                    "payment_unavailable",
                    Text::msg("pay-unavailable").arg("error", e),
                ),
            })
        };
        Box::pin(fut.into_actor(self).map(move |r, act, ctx| {
            act.busy = false;
            let (lines, view, client, lan) = r?;
            act.hub.emit(TillEvent::PaymentPending {
                intent_id: view.intent_id.clone(),
                account,
                amount_cents: Money::from_cents(view.amount_cents),
                pay_url: view.pay_url.clone(),
            });
            act.intents.push(Tracked {
                id: view.intent_id.clone(),
                account,
                staff_id,
                staff_name,
                amount: lines.total(),
                lines,
                lan,
                provider_ref: view.provider_ref.clone(),
                client: Some(client),
                state: IntentState::Pending,
                holds: true,
                expires_at: Some(view.expires_at),
                listener: None,
                cancel_delay: Duration::from_millis(500),
            });
            act.listen_to(&view.intent_id, ctx);
            Ok(())
        }))
    }

    /// Records what the server said of an intent, then acts on it: paid → `payment_accepted`
    /// (or `payment_paid_after_cancel` when the cashier had cancelled); cancelled or expired →
    /// its basket is given back and `payment_cancelled`.
    fn server_says(
        &mut self,
        id: String,
        status: IntentStatus,
        detail: &'static str,
    ) -> ResponseActFuture<Self, ()> {
        self.server_says_why(id, status, None, detail)
    }

    /// [`Self::server_says`], with the provider's reason for a payment that did not go through.
    fn server_says_why(
        &mut self,
        id: String,
        status: IntentStatus,
        reason: Option<String>,
        detail: &'static str,
    ) -> ResponseActFuture<Self, ()> {
        let next = match status {
            IntentStatus::Paid => IntentState::Paid,
            IntentStatus::Cancelled => IntentState::Cancelled,
            IntentStatus::Expired => IntentState::Expired,
            IntentStatus::Pending => return Box::pin(actix::fut::ready(())),
        };
        let Some(t) = self.find(&id) else {
            return Box::pin(actix::fut::ready(()));
        };
        let from = t.state;
        // Paid is final: nothing the server says later undoes it.
        if from == next || from == IntentState::Paid {
            return Box::pin(actix::fut::ready(()));
        }
        let now = self.clock.now();
        let i2 = id.clone();
        let ledger = self.ledger.clone();
        let fut = async move {
            ledger::run(&ledger, move |l| l.intent_move(&i2, next, detail, now)).await
        };
        Box::pin(fut.into_actor(self).map(move |r, act: &mut Self, ctx: &mut Context<Self>| {
            if let Err(e) = r {
                // The screen still says what happened: the money is never silent.
                tracing::error!(intent = %id, error = %e, "payment intent state not recorded");
                act.hub.emit(TillEvent::error(
                    "store_error",
                    format!("payment {id}: its state could not be recorded: {e}"),
                ));
            }
            let Some(t) = act.find(&id) else { return };
            if t.state != from {
                return;
            }
            match next {
                IntentState::Paid => {
                    t.state = IntentState::Paid;
                    let (amount, by, account) = (t.amount, t.staff_id.to_string(), t.account);
                    if from == IntentState::Cancelling {
                        act.audit(
                            Some(by),
                            "payment_paid_after_cancel",
                            format!("{id}: {amount}"),
                        );
                        act.hub.emit(TillEvent::PaymentPaidAfterCancel {
                            intent_id: id,
                            amount_cents: amount,
                        });
                    } else {
                        act.hub.emit(TillEvent::PaymentAccepted {
                            intent_id: id,
                            account,
                            amount_cents: amount,
                        });
                    }
                }
                _ => {
                    if let Some(t) = act.forget(&id, ctx) {
                        if t.holds {
                            act.basket.do_send(Settle {
                                account: t.account,
                                holder: holder(&t.id),
                                paid: false,
                            });
                        }
                        let reason = reason.as_deref().and_then(cancel_reason);
                        act.hub.emit(TillEvent::PaymentCancelled {
                            intent_id: id,
                            reason: reason.map(|(r, _)| r.to_owned()),
                            message: reason
                                .map(|(_, text)| crate::i18n::t(act.hub.lang(), text, &[])),
                        });
                    }
                }
            }
        }))
    }

    /// What a cancel request came back with.
    fn after_cancel_call(
        &mut self,
        id: String,
        answer: Result<IntentView, ClientError>,
        ctx: &mut Context<Self>,
    ) -> ResponseActFuture<Self, Result<(), Refusal>> {
        match answer {
            Ok(view) if view.status.is_final() => {
                let paid = view.status == IntentStatus::Paid;
                Box::pin(self.server_says(id, view.status, "cancel answered").map(
                    move |(), _, _| {
                        if paid {
                            Err(Refusal::says("already_paid", Text::msg("pay-already-paid")))
                        } else {
                            Ok(())
                        }
                    },
                ))
            }
            Err(ClientError::Refused { status: 404, .. }) => {
                // The server has never heard of it: nobody can pay it.
                Box::pin(
                    self.server_says(id, IntentStatus::Expired, "unknown to the server")
                        .map(|(), _, _| Ok(())),
                )
            }
            other => {
                // Unreachable, or final on the server already (409: the listener re-reads it):
                // the intent stays `cancelling`, the basket stays held, the till asks again.
                if let Err(e) = &other {
                    tracing::warn!(intent = %id, error = %e, "cancel not confirmed; retrying");
                }
                self.listen_to(&id, ctx);
                self.schedule_cancel_retry(&id, ctx);
                self.hub
                    .emit(TillEvent::PaymentCancelling { intent_id: id });
                Box::pin(actix::fut::ready(Ok(())))
            }
        }
    }

    fn schedule_cancel_retry(&mut self, id: &str, ctx: &mut Context<Self>) {
        let now_ms = self.clock.now().timestamp_millis();
        let Some(t) = self.find(id) else { return };
        let delay = t.cancel_delay;
        t.cancel_delay = (delay * 2).min(CANCEL_RETRY_MAX);
        // Past its expiry (and a grace), nobody can pay it any more: the basket is given back;
        // the till keeps asking, and says so if the server reports it paid after all.
        let expired = t
            .expires_at
            .is_some_and(|e| now_ms > e + UNCONFIRMED_GRACE_MS);
        if expired && t.holds {
            t.holds = false;
            let (account, hold, intent_id, by) = (
                t.account,
                holder(&t.id),
                t.id.clone(),
                t.staff_id.to_string(),
            );
            self.basket.do_send(Settle {
                account,
                holder: hold,
                paid: false,
            });
            self.audit(
                Some(by),
                "payment_cancel_unconfirmed",
                format!("{intent_id}: expired, the server never confirmed the cancel"),
            );
            self.hub.emit(TillEvent::error(
                "payment_unconfirmed",
                format!(
                    "payment {intent_id} expired without the server confirming the cancel: the basket is free; the till keeps checking"
                ),
            ));
            self.hub.emit(TillEvent::PaymentCancelled {
                intent_id,
                reason: None,
                message: None,
            });
        }
        let intent_id = id.to_owned();
        ctx.notify_later(RetryCancel { intent_id }, delay);
    }
}

impl Actor for PaymentActor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Context<Self>) {
        ctx.notify(Resume);
    }
}

fn sale_refusal(e: SaleError) -> Refusal {
    match e {
        SaleError::EmptyBasket(account) => Refusal::says(
            "empty_basket",
            Text::msg("basket-empty").arg("account", account),
        ),
        SaleError::TenderTooLow { tendered, total } => Refusal::says(
            "tender_too_low",
            Text::msg("pay-tender-too-low")
                .arg("tendered", tendered)
                .arg("total", total),
        ),
        SaleError::Overflow => Refusal::new("bad_amount", e.to_string()),
    }
}

/// The provider's reasons a till knows, with the message that says each: anything else the
/// server sends is not repeated to the cashier.
fn cancel_reason(reason: &str) -> Option<(&'static str, &'static str)> {
    Some(match reason {
        "expired" => ("expired", "pay-cancelled-expired"),
        "failed" => ("failed", "pay-cancelled-failed"),
        "authorization_failed" => ("authorization_failed", "pay-cancelled-authorization-failed"),
        "cancelled" => ("cancelled", "pay-cancelled-cancelled"),
        _ => return None,
    })
}

/// What a payment server's refusal says to the cashier when it is the provider's (the API's
/// error body carries a `provider_*` code): a sentence in their language, never HTTP codes.
fn provider_refusal(e: &ClientError) -> Option<&'static str> {
    Some(match e.code()? {
        "provider_bad_api_key" => "pay-provider-bad-api-key",
        "provider_unknown_profile" => "pay-provider-unknown-profile",
        "provider_rate_limited" => "pay-provider-rate-limited",
        "provider_down" => "pay-provider-down",
        c if c.starts_with("provider_") => "pay-provider-refused",
        _ => return None,
    })
}

/// A UUIDv7 stamped with the till's clock (sortable by time, unique across tills).
fn new_uuid(clock: &SharedClock) -> String {
    let now = clock.now();
    let secs = u64::try_from(now.timestamp()).unwrap_or(0);
    let ts = uuid::Timestamp::from_unix(uuid::NoContext, secs, now.timestamp_subsec_nanos());
    uuid::Uuid::new_v7(ts).to_string()
}

/// How long the listener waits before reconnecting a dropped stream, at most.
const RECONNECT_MAX: Duration = Duration::from_secs(5);

/// Follows an intent until it is final, reconnecting as needed; each (re)connection starts with
/// the intent's current state.
async fn listen(client: PayClient, intent_id: String, addr: Addr<PaymentActor>) {
    let mut delay = Duration::from_millis(250);
    loop {
        match client.events(&intent_id).await {
            Ok(stream) => {
                delay = Duration::from_millis(250);
                let mut stream = std::pin::pin!(stream);
                while let Some(item) = stream.next().await {
                    match item {
                        Ok(view) if view.status.is_final() => {
                            addr.do_send(IntentChanged {
                                intent_id: intent_id.clone(),
                                status: view.status,
                                reason: view.reason,
                            });
                            return;
                        }
                        Ok(_) => {}
                        Err(e) => {
                            tracing::warn!(error = %e, "payment stream broke");
                            break;
                        }
                    }
                }
            }
            Err(ClientError::Refused { status: 404, .. }) => {
                addr.do_send(IntentChanged {
                    intent_id: intent_id.clone(),
                    status: IntentStatus::Expired,
                    reason: None,
                });
                return;
            }
            Err(ClientError::Refused {
                status, message, ..
            }) => {
                tracing::error!(status, message, "payment server refused the event stream");
            }
            Err(e) => tracing::warn!(error = %e, "payment stream unavailable"),
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(RECONNECT_MAX);
    }
}

impl Committer {
    /// Commits a sale and, once recorded, empties the account it held and prints.
    async fn commit(self, s: SaleToCommit) -> Result<(), Refusal> {
        let release = |basket: &Addr<BasketActor>, paid: bool| {
            if let Some(h) = &s.holder {
                basket.do_send(Settle {
                    account: s.account,
                    holder: h.clone(),
                    paid,
                });
            }
        };
        let cash = s.method == PaymentMethod::Cash;
        let mut draft = match SaleDraft::build(
            s.staff_id.clone(),
            s.staff_name.clone(),
            s.account,
            &s.lines,
            s.method,
            s.tendered,
            self.cash_rounding,
        ) {
            Ok(d) => d,
            Err(e) => {
                if cash {
                    release(&self.basket, false);
                }
                return Err(sale_refusal(e));
            }
        };
        draft.payment_ref = s.payment_ref.clone();
        draft.provider_ref = s.provider_ref.clone();
        let sale_id = new_uuid(&self.clock);
        let now = self.clock.now();
        let (till_id, tz) = (self.till_id.clone(), self.tz);
        let committed = match ledger::run(&self.ledger, move |l| {
            l.commit_sale(draft, sale_id, &till_id, now, tz)
        })
        .await
        {
            Ok(c) => c,
            Err(StoreError::AlreadyRecorded { ticket_no, .. }) => {
                // Written before (a crash after the sale, before the screen heard of it).
                self.hub.emit(TillEvent::error(
                    "already_recorded",
                    format!("this payment is already recorded as ticket {ticket_no}"),
                ));
                let _ = self
                    .basket
                    .send(Settle {
                        account: s.account,
                        holder: s.holder.clone().unwrap_or_default(),
                        paid: true,
                    })
                    .await;
                return Ok(());
            }
            Err(e) => {
                // Nothing was written. Cash: the basket is free again; QR: the payment stays
                // accepted and `accept` can be pressed again.
                if cash {
                    release(&self.basket, false);
                }
                return Err(Refusal::says(
                    "store_error",
                    Text::msg("pay-sale-not-recorded").arg("error", e.to_string()),
                ));
            }
        };
        let sale = &committed.sale;
        if committed.clock_behind {
            self.hub.emit(TillEvent::ClockWarning {
                now: crate::domain::sale::format_instant(now),
                last_sale_at: crate::domain::sale::format_instant(sale.paid_at),
            });
        }
        self.hub.emit(TillEvent::SaleCommitted {
            sale_id: sale.id.clone(),
            ticket_no: sale.ticket_no,
            account: s.account,
            method: sale.method,
            paid_cents: sale.paid,
            revenue_cents: sale.revenue,
            withdrawal_cents: sale.withdrawal,
            change_cents: sale.change,
            rounding_cents: sale.rounding,
            provider_ref: sale.provider_ref.clone(),
            discount_cents: sale.discount,
        });
        if let Some(h) = &s.holder {
            let _ = self
                .basket
                .send(Settle {
                    account: s.account,
                    holder: h.clone(),
                    paid: true,
                })
                .await;
        }
        self.printer.do_send(PrintQueued);
        Ok(())
    }
}

impl Handler<Resume> for PaymentActor {
    /// Atomic: no `pay`, `accept` or `status` is answered before the ledger's intents are back.
    type Result = AtomicResponse<Self, ()>;

    fn handle(&mut self, _: Resume, _: &mut Context<Self>) -> Self::Result {
        let ledger = self.ledger.clone();
        let fut = async move { ledger::run(&ledger, |l| l.intents_open()).await };
        AtomicResponse::new(Box::pin(fut.into_actor(self).map(
            |r, act: &mut Self, ctx: &mut Context<Self>| {
                let records = match r {
                    Ok(r) => r,
                    Err(e) => {
                        tracing::error!(error = %e, "payment intents unreadable");
                        act.hub.emit(TillEvent::error(
                            "store_error",
                            format!("the payments in progress could not be read: {e}"),
                        ));
                        return;
                    }
                };
                for rec in records {
                    act.resume_one(rec, ctx);
                }
            },
        )))
    }
}

impl PaymentActor {
    fn resume_one(&mut self, rec: crate::store::IntentRecord, ctx: &mut Context<Self>) {
        let now = self.clock.now();
        if rec.state == IntentState::Creating {
            // Stopped before the ledger heard a server take it: its QR code was never shown,
            // so nobody can have paid it.
            let id = rec.id.clone();
            self.ledger.do_send(ledger::LedgerJob::new(move |l| {
                l.intent_move(&id, IntentState::Failed, "restart: never shown", now)
                    .map(|_| ())
            }));
            return;
        }
        let lan = rec.lan.unwrap_or(false);
        let client = self.client_for(lan);
        let holds = !self.holds_a_basket() && (client.is_some() || rec.state == IntentState::Paid);
        if holds {
            self.basket.do_send(Restore {
                account: rec.account,
                lines: rec.lines.clone(),
                holder: holder(&rec.id),
            });
        }
        tracing::info!(intent = %rec.id, state = rec.state.as_str(), "payment re-attached");
        let id = rec.id.clone();
        let state = rec.state;
        self.intents.push(Tracked {
            id: rec.id.clone(),
            account: rec.account,
            staff_id: rec.staff_id.clone(),
            staff_name: rec.staff_name.clone(),
            amount: rec.amount,
            lines: rec.lines.clone(),
            lan,
            provider_ref: rec.provider_ref.clone(),
            client: client.clone(),
            state,
            holds,
            expires_at: rec.expires_at,
            listener: None,
            cancel_delay: Duration::from_millis(500),
        });
        match state {
            IntentState::Paid => self.hub.emit(TillEvent::PaymentAccepted {
                intent_id: id,
                account: rec.account,
                amount_cents: rec.amount,
            }),
            _ if client.is_none() => self.hub.emit(TillEvent::error(
                "payment_server_gone",
                format!(
                    "payment {id} lives on a payment server this till no longer has: check it there"
                ),
            )),
            IntentState::Pending => {
                self.hub.emit(TillEvent::PaymentPending {
                    intent_id: id.clone(),
                    account: rec.account,
                    amount_cents: rec.amount,
                    pay_url: rec.pay_url.unwrap_or_default(),
                });
                self.listen_to(&id, ctx);
            }
            _ => {
                self.hub.emit(TillEvent::PaymentCancelling {
                    intent_id: id.clone(),
                });
                self.listen_to(&id, ctx);
                ctx.notify(RetryCancel { intent_id: id });
            }
        }
    }
}

impl Handler<Pay> for PaymentActor {
    type Result = ResponseActFuture<Self, Result<(), Refusal>>;

    fn handle(&mut self, msg: Pay, _: &mut Context<Self>) -> Self::Result {
        if self.busy || self.holds_a_basket() {
            return Box::pin(actix::fut::ready(Err(Refusal::says(
                "payment_in_progress",
                Text::msg("payment-in-progress"),
            ))));
        }
        if msg.method == PaymentMethod::Qr {
            return self.start_qr(msg.account, msg.staff.id, msg.staff.name);
        }
        self.busy = true;
        let committer = self.committer();
        let basket = self.basket.clone();
        let hold = format!("cash:{}", new_uuid(&self.clock));
        let fut = async move {
            let lines = basket
                .send(Checkout {
                    account: msg.account,
                    holder: hold.clone(),
                })
                .await
                .map_err(|e| Refusal::new("internal", e.to_string()))??;
            committer
                .commit(SaleToCommit {
                    staff_id: msg.staff.id,
                    staff_name: msg.staff.name,
                    account: msg.account,
                    lines,
                    method: PaymentMethod::Cash,
                    tendered: msg.tendered,
                    payment_ref: None,
                    provider_ref: None,
                    holder: Some(hold),
                })
                .await
        };
        Box::pin(fut.into_actor(self).map(|r, act, _| {
            act.busy = false;
            r
        }))
    }
}

impl Handler<IntentChanged> for PaymentActor {
    type Result = ResponseActFuture<Self, ()>;

    fn handle(&mut self, msg: IntentChanged, _: &mut Context<Self>) -> Self::Result {
        self.server_says_why(msg.intent_id, msg.status, msg.reason, "server")
    }
}

impl Handler<Accept> for PaymentActor {
    type Result = ResponseActFuture<Self, Result<(), Refusal>>;

    fn handle(&mut self, _: Accept, _: &mut Context<Self>) -> Self::Result {
        let paid = |t: &&Tracked| t.state == IntentState::Paid;
        let chosen = self
            .intents
            .iter()
            .filter(|t| t.holds)
            .find(paid)
            .or_else(|| self.intents.iter().find(paid));
        let refusal =
            |code, id| Box::pin(actix::fut::ready(Err(Refusal::says(code, Text::msg(id)))));
        let Some(t) = chosen else {
            return if self.intents.iter().any(|t| t.holds) {
                refusal("not_paid_yet", "pay-not-paid-yet")
            } else {
                refusal("nothing_pending", "pay-nothing-to-accept")
            };
        };
        if self.busy {
            return refusal("payment_in_progress", "pay-recording");
        }
        self.busy = true;
        let sale = SaleToCommit {
            staff_id: t.staff_id.clone(),
            staff_name: t.staff_name.clone(),
            account: t.account,
            lines: t.lines.clone(),
            method: PaymentMethod::Qr,
            tendered: None,
            payment_ref: Some(t.payment_ref()),
            provider_ref: t.provider_ref.clone(),
            holder: t.holds.then(|| holder(&t.id)),
        };
        let (id, account, held) = (t.id.clone(), t.account, t.holds);
        let (staff_id, staff_name) = (t.staff_id.clone(), t.staff_name.clone());
        let fut = self.committer().commit(sale);
        Box::pin(fut.into_actor(self).then(
            move |r, act, ctx| -> ResponseActFuture<Self, Result<(), Refusal>> {
                act.busy = false;
                if let Err(e) = r {
                    // Not recorded: the payment stays accepted; `accept` again once fixed.
                    return Box::pin(actix::fut::ready(Err(e)));
                }
                act.forget(&id, ctx);
                if !held {
                    return Box::pin(actix::fut::ready(Ok(())));
                }
                // The other basket comes up for payment by itself.
                let next = act.start_qr(account.other(), staff_id, staff_name);
                Box::pin(next.map(|r, act, _| {
                    match r {
                        Err(e) if e.code == "empty_basket" => {}
                        Err(e) => act.hub.refuse(&e),
                        Ok(()) => {}
                    }
                    Ok(())
                }))
            },
        ))
    }
}

impl Handler<Cancel> for PaymentActor {
    type Result = ResponseActFuture<Self, Result<(), Refusal>>;

    fn handle(&mut self, _: Cancel, _: &mut Context<Self>) -> Self::Result {
        let refusal =
            |code, id| Box::pin(actix::fut::ready(Err(Refusal::says(code, Text::msg(id)))));
        let Some(t) = self.intents.iter_mut().find(|t| t.holds) else {
            return refusal("nothing_pending", "pay-nothing-to-cancel");
        };
        match t.state {
            IntentState::Paid => {
                return refusal("already_paid", "pay-already-paid");
            }
            IntentState::Cancelling => {
                self.hub.emit(TillEvent::PaymentCancelling {
                    intent_id: t.id.clone(),
                });
                return Box::pin(actix::fut::ready(Ok(())));
            }
            _ => {}
        }
        // At once in memory, so that a second cancel or an accept sees it; then in the ledger,
        // then on the server.
        t.state = IntentState::Cancelling;
        let (id, by) = (t.id.clone(), t.staff_id.to_string());
        let client = t.client.clone();
        let intent_id = id.clone();
        self.audit(Some(by), "payment_cancelled", id.clone());
        let now = self.clock.now();
        let ledger = self.ledger.clone();
        let i2 = id.clone();
        let fut = async move {
            if let Err(e) = ledger::run(&ledger, move |l| {
                l.intent_move(&i2, IntentState::Cancelling, "cashier", now)
            })
            .await
            {
                tracing::error!(error = %e, "cancel not recorded in the ledger");
            }
            match client {
                Some(c) => tokio::time::timeout(CANCEL_DEADLINE, c.cancel(&id))
                    .await
                    .unwrap_or_else(|_| {
                        Err(ClientError::Retryable(format!(
                            "no answer within {CANCEL_DEADLINE:?}"
                        )))
                    }),
                None => Err(ClientError::Retryable("no payment server".into())),
            }
        };
        let id = intent_id;
        Box::pin(
            fut.into_actor(self)
                .then(move |answer, act, ctx| act.after_cancel_call(id, answer, ctx)),
        )
    }
}

impl Handler<RetryCancel> for PaymentActor {
    type Result = ResponseActFuture<Self, ()>;

    fn handle(&mut self, msg: RetryCancel, _: &mut Context<Self>) -> Self::Result {
        let Some(t) = self.find(&msg.intent_id) else {
            return Box::pin(actix::fut::ready(()));
        };
        if t.state != IntentState::Cancelling {
            return Box::pin(actix::fut::ready(()));
        }
        let Some(client) = t.client.clone() else {
            return Box::pin(actix::fut::ready(()));
        };
        let id = msg.intent_id;
        let i2 = id.clone();
        let fut = async move {
            tokio::time::timeout(CANCEL_DEADLINE, client.cancel(&i2))
                .await
                .unwrap_or_else(|_| {
                    Err(ClientError::Retryable(format!(
                        "no answer within {CANCEL_DEADLINE:?}"
                    )))
                })
        };
        Box::pin(fut.into_actor(self).then(move |answer, act, ctx| {
            // A retry says nothing when nothing changed (no `payment_cancelling` every second).
            // 409: final on the server already; the listener re-reads it.
            let quiet = matches!(answer, Err(ref e) if e.is_retryable())
                || matches!(answer, Err(ClientError::Refused { status: 409, .. }));
            if quiet {
                tracing::debug!(intent = %id, "cancel still not confirmed");
                act.schedule_cancel_retry(&id, ctx);
                return Box::pin(actix::fut::ready(())) as ResponseActFuture<Self, ()>;
            }
            Box::pin(act.after_cancel_call(id, answer, ctx).map(|_, _, _| ()))
        }))
    }
}

impl Handler<IsBusy> for PaymentActor {
    type Result = bool;

    fn handle(&mut self, _: IsBusy, _: &mut Context<Self>) -> bool {
        self.busy || self.holds_a_basket()
    }
}

impl Handler<GetPayment> for PaymentActor {
    type Result = Option<PaymentView>;

    fn handle(&mut self, _: GetPayment, _: &mut Context<Self>) -> Self::Result {
        self.intents
            .iter()
            .find(|t| t.holds)
            .or_else(|| self.intents.iter().find(|t| t.state == IntentState::Paid))
            .map(Tracked::view)
    }
}

/// The QR code of a payment URL as a square of dark (true) and light modules, for the screen.
pub fn qr_modules(url: &str) -> Option<(usize, Vec<bool>)> {
    let code =
        qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M).ok()?;
    let width = code.width();
    let modules = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    Some((width, modules))
}
