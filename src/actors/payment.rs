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

use std::time::Duration;

use actix::prelude::*;
use chrono_tz::Tz;
use futures_util::StreamExt;

use crate::clock::SharedClock;
use crate::domain::basket::Lines;
use crate::domain::sale::SaleError;
use crate::domain::{Account, Money, PaymentMethod, SaleDraft, Staff};
use crate::pay_web::api::{CreateIntent, IntentLine, IntentStatus};
use crate::pay_web::client::{ClientError, PayClient};

use super::basket::{BasketActor, Checkout, Refusal, Settle};
use super::events::{EventHub, TillEvent};
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

/// True while a payment is being set up or waits for the customer: the clock guard lets it
/// finish after closing, and logout waits for it.
#[derive(Message)]
#[rtype(result = "bool")]
pub struct IsBusy;

/// The intent's state as the server reported it (sent by the stream listener).
#[derive(Message)]
#[rtype(result = "()")]
struct IntentChanged {
    intent_id: String,
    status: IntentStatus,
}

struct Pending {
    intent_id: String,
    account: Account,
    staff: Staff,
    lines: Lines,
    client: PayClient,
    lan: bool,
    paid: bool,
    listener: SpawnHandle,
}

enum Phase {
    Idle,
    /// Between `pay` and the intent's creation, or while a sale is being committed.
    Busy,
    Waiting(Box<Pending>),
}

pub struct PaymentActor {
    till_id: String,
    shop_name: String,
    tz: Tz,
    phase: Phase,
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
    basket: Addr<BasketActor>,
    ledger: Addr<LedgerActor>,
    printer: Addr<PrinterActor>,
    hub: EventHub,
    clock: SharedClock,
}

impl PaymentActor {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        till_id: String,
        shop_name: String,
        tz: Tz,
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
            phase: Phase::Idle,
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
            basket: self.basket.clone(),
            ledger: self.ledger.clone(),
            printer: self.printer.clone(),
            hub: self.hub.clone(),
            clock: self.clock.clone(),
        }
    }

    /// Starts a QR payment of `account`: checkout, intent, `payment_pending`, listener.
    fn start_qr(
        &mut self,
        account: Account,
        staff: Staff,
    ) -> ResponseActFuture<Self, Result<(), Refusal>> {
        if self.servers.hosted.is_none() && self.servers.lan.is_none() {
            return Box::pin(actix::fut::ready(Err(Refusal::new(
                "qr_unavailable",
                "no payment server is configured on this till: pay cash (pay <main|sub> cash [tendered])",
            ))));
        }
        self.phase = Phase::Busy;
        let basket = self.basket.clone();
        let servers = self.servers.clone();
        let shop_name = self.shop_name.clone();
        let intent_id = new_uuid(&self.clock);
        let seller = staff.name.clone();
        let fut = async move {
            let lines = basket
                .send(Checkout(account))
                .await
                .map_err(|e| Refusal::new("internal", e.to_string()))??;
            let request = CreateIntent {
                intent_id,
                amount_cents: lines.total().cents(),
                account: account.as_str().to_owned(),
                seller,
                shop_name,
                lines: lines
                    .as_slice()
                    .iter()
                    .map(|l| IntentLine {
                        name: l.name.clone(),
                        qty: l.qty,
                        total_cents: l.total().unwrap_or(Money::ZERO).cents(),
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
                        Err(crate::pay_web::client::ClientError::Retryable(format!(
                            "no answer within {CREATE_DEADLINE:?}"
                        )))
                    });
                match created {
                    Ok(view) => return Ok((lines, view, client, lan)),
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
            basket.do_send(Settle {
                account,
                paid: false,
            });
            let e = last_error.map_or_else(|| "no payment server".to_owned(), |e| e.to_string());
            Err(Refusal::new(
                "payment_unavailable",
                format!("{e}: pay cash, or try again"),
            ))
        };
        Box::pin(fut.into_actor(self).map(move |r, act, ctx| match r {
            Ok((lines, view, client, lan)) => {
                act.hub.emit(TillEvent::PaymentPending {
                    intent_id: view.intent_id.clone(),
                    account,
                    amount_cents: Money::from_cents(view.amount_cents),
                    pay_url: view.pay_url.clone(),
                });
                let listener = ctx.spawn(
                    listen(client.clone(), view.intent_id.clone(), ctx.address()).into_actor(act),
                );
                act.phase = Phase::Waiting(Box::new(Pending {
                    intent_id: view.intent_id,
                    account,
                    staff,
                    lines,
                    client,
                    lan,
                    paid: false,
                    listener,
                }));
                Ok(())
            }
            Err(e) => {
                act.phase = Phase::Idle;
                Err(e)
            }
        }))
    }
}

impl Actor for PaymentActor {
    type Context = Context<Self>;
}

fn sale_refusal(e: SaleError) -> Refusal {
    match e {
        SaleError::EmptyBasket(_) => Refusal::new("empty_basket", e.to_string()),
        SaleError::TenderTooLow { .. } => Refusal::new("tender_too_low", e.to_string()),
        SaleError::Overflow => Refusal::new("bad_amount", e.to_string()),
    }
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
            Err(ClientError::Refused { status, message }) => {
                tracing::error!(status, message, "payment server refused the event stream");
            }
            Err(e) => tracing::warn!(error = %e, "payment stream unavailable"),
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(RECONNECT_MAX);
    }
}

impl Committer {
    /// Commits a sale of `lines` and, once recorded, empties the account and prints.
    async fn commit(
        self,
        staff: Staff,
        account: Account,
        lines: Lines,
        method: PaymentMethod,
        tendered: Option<Money>,
        payment_ref: Option<String>,
    ) -> Result<(), Refusal> {
        let mut draft = match SaleDraft::new(
            staff.id.clone(),
            staff.name.clone(),
            account,
            &lines,
            method,
            tendered,
        ) {
            Ok(d) => d,
            Err(e) => {
                if method == PaymentMethod::Cash {
                    self.basket.do_send(Settle {
                        account,
                        paid: false,
                    });
                }
                return Err(sale_refusal(e));
            }
        };
        draft.payment_ref = payment_ref;
        let sale_id = new_uuid(&self.clock);
        let now = self.clock.now();
        let (till_id, tz) = (self.till_id.clone(), self.tz);
        let committed = match ledger::run(&self.ledger, move |l| {
            l.commit_sale(draft, sale_id, &till_id, now, tz)
        })
        .await
        {
            Ok(c) => c,
            Err(e) => {
                // Nothing was written. Cash: the basket is free again; QR: the payment stays
                // accepted and `accept` can be pressed again.
                if method == PaymentMethod::Cash {
                    self.basket.do_send(Settle {
                        account,
                        paid: false,
                    });
                }
                return Err(Refusal::new(
                    "store_error",
                    format!("the sale could not be recorded: {e}"),
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
            account,
            method: sale.method,
            paid_cents: sale.paid,
            revenue_cents: sale.revenue,
            withdrawal_cents: sale.withdrawal,
            change_cents: sale.change,
        });
        let _ = self
            .basket
            .send(Settle {
                account,
                paid: true,
            })
            .await;
        self.printer.do_send(PrintQueued);
        Ok(())
    }
}

impl Handler<Pay> for PaymentActor {
    type Result = ResponseActFuture<Self, Result<(), Refusal>>;

    fn handle(&mut self, msg: Pay, _: &mut Context<Self>) -> Self::Result {
        if !matches!(self.phase, Phase::Idle) {
            return Box::pin(actix::fut::ready(Err(Refusal::new(
                "payment_in_progress",
                "a payment is already in progress",
            ))));
        }
        if msg.method == PaymentMethod::Qr {
            return self.start_qr(msg.account, msg.staff);
        }
        self.phase = Phase::Busy;
        let committer = self.committer();
        let basket = self.basket.clone();
        let fut = async move {
            let lines = basket
                .send(Checkout(msg.account))
                .await
                .map_err(|e| Refusal::new("internal", e.to_string()))??;
            committer
                .commit(
                    msg.staff,
                    msg.account,
                    lines,
                    PaymentMethod::Cash,
                    msg.tendered,
                    None,
                )
                .await
        };
        Box::pin(fut.into_actor(self).map(|r, act, _| {
            act.phase = Phase::Idle;
            r
        }))
    }
}

impl Handler<IntentChanged> for PaymentActor {
    type Result = ();

    fn handle(&mut self, msg: IntentChanged, _: &mut Context<Self>) {
        let Phase::Waiting(p) = &mut self.phase else {
            return;
        };
        if p.intent_id != msg.intent_id {
            return;
        }
        match msg.status {
            IntentStatus::Paid if !p.paid => {
                p.paid = true;
                self.hub.emit(TillEvent::PaymentAccepted {
                    intent_id: msg.intent_id,
                });
            }
            IntentStatus::Cancelled | IntentStatus::Expired => {
                let account = p.account;
                self.phase = Phase::Idle;
                self.basket.do_send(Settle {
                    account,
                    paid: false,
                });
                self.hub.emit(TillEvent::PaymentCancelled {
                    intent_id: msg.intent_id,
                });
            }
            _ => {}
        }
    }
}

impl Handler<Accept> for PaymentActor {
    type Result = ResponseActFuture<Self, Result<(), Refusal>>;

    fn handle(&mut self, _: Accept, _: &mut Context<Self>) -> Self::Result {
        let p = match std::mem::replace(&mut self.phase, Phase::Busy) {
            Phase::Waiting(p) if p.paid => p,
            Phase::Waiting(p) => {
                self.phase = Phase::Waiting(p);
                return Box::pin(actix::fut::ready(Err(Refusal::new(
                    "not_paid_yet",
                    "the customer has not confirmed the payment yet",
                ))));
            }
            other => {
                self.phase = other;
                return Box::pin(actix::fut::ready(Err(Refusal::new(
                    "nothing_pending",
                    "no payment is waiting to be accepted",
                ))));
            }
        };
        let Pending {
            intent_id,
            account,
            staff,
            lines,
            lan,
            client,
            ..
        } = *p;
        let reference = if lan {
            format!("lan:{intent_id}")
        } else {
            intent_id.clone()
        };
        let committer = self.committer();
        let (s, l) = (staff.clone(), lines.clone());
        let fut = committer.commit(s, account, l, PaymentMethod::Qr, None, Some(reference));
        Box::pin(fut.into_actor(self).then(
            move |r, act, _| -> ResponseActFuture<Self, Result<(), Refusal>> {
                match r {
                    Ok(()) => {
                        act.phase = Phase::Idle;
                        // The other basket comes up for payment by itself.
                        let next = act.start_qr(account.other(), staff);
                        Box::pin(next.map(|r, act, _| {
                            match r {
                                Err(e) if e.code == "empty_basket" => {}
                                Err(e) => act.hub.emit(e.event()),
                                Ok(()) => {}
                            }
                            Ok(())
                        }))
                    }
                    Err(e) => {
                        // Not recorded: the payment stays accepted; `accept` again once fixed.
                        act.phase = Phase::Waiting(Box::new(Pending {
                            intent_id,
                            account,
                            staff,
                            lines,
                            client,
                            lan,
                            paid: true,
                            listener: SpawnHandle::default(),
                        }));
                        Box::pin(actix::fut::ready(Err(e)))
                    }
                }
            },
        ))
    }
}

impl Handler<Cancel> for PaymentActor {
    type Result = ResponseActFuture<Self, Result<(), Refusal>>;

    fn handle(&mut self, _: Cancel, ctx: &mut Context<Self>) -> Self::Result {
        let p = match std::mem::replace(&mut self.phase, Phase::Busy) {
            Phase::Waiting(p) if !p.paid => p,
            Phase::Waiting(p) => {
                self.phase = Phase::Waiting(p);
                return Box::pin(actix::fut::ready(Err(Refusal::new(
                    "already_paid",
                    "the customer has already paid: press accept to record the sale",
                ))));
            }
            other => {
                self.phase = other;
                return Box::pin(actix::fut::ready(Err(Refusal::new(
                    "nothing_pending",
                    "no payment to cancel",
                ))));
            }
        };
        ctx.cancel_future(p.listener);
        let client = p.client.clone();
        let id = p.intent_id.clone();
        let fut = async move { client.cancel(&id).await };
        Box::pin(fut.into_actor(self).map(move |r, act, ctx| match r {
            Ok(view) if view.status == IntentStatus::Paid => {
                // Paid a moment before the cancel arrived: keep it and let the cashier accept.
                act.hub.emit(TillEvent::PaymentAccepted {
                    intent_id: p.intent_id.clone(),
                });
                act.phase = Phase::Waiting(Box::new(Pending { paid: true, ..*p }));
                Err(Refusal::new(
                    "already_paid",
                    "the customer has already paid: press accept to record the sale",
                ))
            }
            Err(ClientError::Refused { status: 409, .. }) => {
                // Final on the server already: re-read it through a fresh listener.
                let listener = ctx.spawn(
                    listen(p.client.clone(), p.intent_id.clone(), ctx.address()).into_actor(act),
                );
                act.phase = Phase::Waiting(Box::new(Pending { listener, ..*p }));
                Err(Refusal::new(
                    "already_final",
                    "the payment is no longer pending on the server",
                ))
            }
            other => {
                if let Err(e) = other {
                    // Unreachable server: the intent expires there unconfirmed; the cashier
                    // is told, and the audit log keeps it.
                    let (at, detail, by) = (
                        act.clock.now(),
                        format!("{}: {e}", p.intent_id),
                        p.staff.id.to_string(),
                    );
                    act.ledger.do_send(ledger::LedgerJob::new(move |l| {
                        l.audit(at, Some(&by), "payment_cancel_unconfirmed", &detail)
                    }));
                }
                let (at, detail, by) =
                    (act.clock.now(), p.intent_id.clone(), p.staff.id.to_string());
                act.ledger.do_send(ledger::LedgerJob::new(move |l| {
                    l.audit(at, Some(&by), "payment_cancelled", &detail)
                }));
                act.basket.do_send(Settle {
                    account: p.account,
                    paid: false,
                });
                act.phase = Phase::Idle;
                act.hub.emit(TillEvent::PaymentCancelled {
                    intent_id: p.intent_id,
                });
                Ok(())
            }
        }))
    }
}

impl Handler<IsBusy> for PaymentActor {
    type Result = bool;

    fn handle(&mut self, _: IsBusy, _: &mut Context<Self>) -> bool {
        !matches!(self.phase, Phase::Idle)
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
