//! PaymentActor: takes a basket's payment and commits the sale. Cash today (amount tendered,
//! change due; the sale is committed at once); QR payment through the payment server comes with
//! its own issue and answers `qr_unavailable` until then. A committed sale goes to the printer.

use actix::prelude::*;
use chrono_tz::Tz;

use crate::clock::SharedClock;
use crate::domain::sale::SaleError;
use crate::domain::{Account, Money, PaymentMethod, SaleDraft, Staff};

use super::basket::{BasketActor, Checkout, Refusal, Settle};
use super::events::{EventHub, TillEvent};
use super::ledger::{self, LedgerActor};
use super::printer::{PrintQueued, PrinterActor};

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

/// True while a payment waits for the customer: the clock guard lets it finish after closing.
#[derive(Message)]
#[rtype(result = "bool")]
pub struct IsBusy;

pub struct PaymentActor {
    till_id: String,
    tz: Tz,
    busy: bool,
    basket: Addr<BasketActor>,
    ledger: Addr<LedgerActor>,
    printer: Addr<PrinterActor>,
    hub: EventHub,
    clock: SharedClock,
}

impl PaymentActor {
    pub fn new(
        till_id: String,
        tz: Tz,
        basket: Addr<BasketActor>,
        ledger: Addr<LedgerActor>,
        printer: Addr<PrinterActor>,
        hub: EventHub,
        clock: SharedClock,
    ) -> PaymentActor {
        PaymentActor {
            till_id,
            tz,
            busy: false,
            basket,
            ledger,
            printer,
            hub,
            clock,
        }
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

/// A new sale id: a UUIDv7 stamped with the till's clock (sortable by time, unique across tills).
fn new_sale_id(clock: &SharedClock) -> String {
    let now = clock.now();
    let secs = u64::try_from(now.timestamp()).unwrap_or(0);
    let ts = uuid::Timestamp::from_unix(uuid::NoContext, secs, now.timestamp_subsec_nanos());
    uuid::Uuid::new_v7(ts).to_string()
}

impl Handler<Pay> for PaymentActor {
    type Result = AtomicResponse<Self, Result<(), Refusal>>;

    fn handle(&mut self, msg: Pay, _: &mut Context<Self>) -> Self::Result {
        if msg.method == PaymentMethod::Qr {
            return AtomicResponse::new(Box::pin(actix::fut::ready(Err(Refusal::new(
                "qr_unavailable",
                "QR payment is not available on this till yet: pay cash (pay <main|sub> cash [tendered])",
            )))));
        }
        self.busy = true;
        let (basket, ledger, printer, hub, clock) = (
            self.basket.clone(),
            self.ledger.clone(),
            self.printer.clone(),
            self.hub.clone(),
            self.clock.clone(),
        );
        let (till_id, tz) = (self.till_id.clone(), self.tz);
        let account = msg.account;
        let fut = async move {
            let lines = basket
                .send(Checkout(account))
                .await
                .map_err(|e| Refusal::new("internal", e.to_string()))??;
            let draft = match SaleDraft::new(
                msg.staff.id.clone(),
                msg.staff.name.clone(),
                account,
                &lines,
                msg.method,
                msg.tendered,
            ) {
                Ok(d) => d,
                Err(e) => {
                    basket.do_send(Settle {
                        account,
                        paid: false,
                    });
                    return Err(sale_refusal(e));
                }
            };
            let sale_id = new_sale_id(&clock);
            let now = clock.now();
            let committed = ledger::run(&ledger, move |l| {
                l.commit_sale(draft, sale_id, &till_id, now, tz)
            })
            .await;
            let committed = match committed {
                Ok(c) => c,
                Err(e) => {
                    // Nothing was written: the basket is intact and can be paid again.
                    basket.do_send(Settle {
                        account,
                        paid: false,
                    });
                    return Err(Refusal::new(
                        "store_error",
                        format!("the sale could not be recorded: {e}"),
                    ));
                }
            };
            let sale = &committed.sale;
            if committed.clock_behind {
                hub.emit(TillEvent::ClockWarning {
                    now: crate::domain::sale::format_instant(now),
                    last_sale_at: crate::domain::sale::format_instant(sale.paid_at),
                });
            }
            hub.emit(TillEvent::SaleCommitted {
                sale_id: sale.id.clone(),
                ticket_no: sale.ticket_no,
                account,
                method: sale.method,
                paid_cents: sale.paid,
                revenue_cents: sale.revenue,
                withdrawal_cents: sale.withdrawal,
                change_cents: sale.change,
            });
            let _ = basket
                .send(Settle {
                    account,
                    paid: true,
                })
                .await;
            printer.do_send(PrintQueued);
            Ok(())
        };
        AtomicResponse::new(Box::pin(fut.into_actor(self).map(|r, act, _| {
            act.busy = false;
            r
        })))
    }
}

impl Handler<Accept> for PaymentActor {
    type Result = Result<(), Refusal>;

    fn handle(&mut self, _: Accept, _: &mut Context<Self>) -> Self::Result {
        Err(Refusal::new(
            "nothing_pending",
            "no payment is waiting to be accepted",
        ))
    }
}

impl Handler<Cancel> for PaymentActor {
    type Result = Result<(), Refusal>;

    fn handle(&mut self, _: Cancel, _: &mut Context<Self>) -> Self::Result {
        Err(Refusal::new("nothing_pending", "no payment to cancel"))
    }
}

impl Handler<IsBusy> for PaymentActor {
    type Result = bool;

    fn handle(&mut self, _: IsBusy, _: &mut Context<Self>) -> bool {
        self.busy
    }
}
