//! ClockGuardActor: watches the clock against the opening hours. An open cashier session gets
//! `closing_soon` 5 minutes before closing and is logged out at closing — unless a payment is in
//! progress, which may finish first. The admin is exempt. Idle sessions are locked. A wall clock
//! reading earlier than the till's last sale is reported (`clock_warning`), not trusted: the
//! ledger dates new sales no earlier than the last one.

use std::time::Duration;

use actix::prelude::*;
use chrono::{DateTime, Utc};

use crate::clock::SharedClock;
use crate::domain::StaffId;
use crate::domain::hours::OpeningHours;
use crate::domain::sale::format_instant;

use super::basket::{BasketActor, ClearBaskets};
use super::events::{EventHub, TillEvent};
use super::ledger::{self, LedgerActor};
use super::payment::{IsBusy, PaymentActor};
use super::session::{CheckIdle, GetSession, Logout, SessionActor};

/// How often the guard looks at the clock.
pub const TICK: Duration = Duration::from_secs(1);

/// Look at the clock now (sent by the interval timer; tests send it after moving a fake clock).
#[derive(Message)]
#[rtype(result = "()")]
pub struct Tick;

pub struct ClockGuardActor {
    hours: OpeningHours,
    till_id: String,
    clock: SharedClock,
    session: Addr<SessionActor>,
    basket: Addr<BasketActor>,
    payment: Addr<PaymentActor>,
    ledger: Addr<LedgerActor>,
    hub: EventHub,
    /// The cashier and closing time already warned: `closing_soon` is sent once to each
    /// cashier session that is open in the last minutes (a cashier logging in at 17:57 is warned
    /// too).
    warned_for: Option<(StaffId, DateTime<Utc>)>,
    /// The last sale's time already reported as ahead of the clock.
    clock_warned: bool,
}

impl ClockGuardActor {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        hours: OpeningHours,
        till_id: String,
        clock: SharedClock,
        session: Addr<SessionActor>,
        basket: Addr<BasketActor>,
        payment: Addr<PaymentActor>,
        ledger: Addr<LedgerActor>,
        hub: EventHub,
    ) -> ClockGuardActor {
        ClockGuardActor {
            hours,
            till_id,
            clock,
            session,
            basket,
            payment,
            ledger,
            hub,
            warned_for: None,
            clock_warned: false,
        }
    }
}

impl Actor for ClockGuardActor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Context<Self>) {
        ctx.notify(Tick);
        ctx.run_interval(TICK, |_, ctx| ctx.notify(Tick));
    }
}

async fn check(
    now: DateTime<Utc>,
    hours: OpeningHours,
    till_id: String,
    session: Addr<SessionActor>,
    basket: Addr<BasketActor>,
    payment: Addr<PaymentActor>,
    ledger: Addr<LedgerActor>,
) -> Observation {
    let last_sale = ledger::run(&ledger, move |l| l.last_paid_at(&till_id))
        .await
        .ok()
        .flatten();
    let behind = last_sale.filter(|last| now < *last);
    session.do_send(CheckIdle(now));
    let nobody = Observation {
        closing_soon: None,
        behind,
    };
    let Ok(Some((staff, _))) = session.send(GetSession).await else {
        return nobody;
    };
    if !staff.role.bound_by_opening_hours() {
        return nobody;
    }
    if hours.is_open(now) {
        let closing_soon = hours.closing_soon(now).map(|at| (staff.id.clone(), at));
        return Observation {
            closing_soon,
            behind,
        };
    }
    // Closed: log the cashier out, unless a payment is finishing. The basket checks and
    // clears in one step (it refuses while a payment holds it); only then is the session
    // ended, so a payment never loses its basket to the closing hour. The next tick tries again.
    if payment.send(IsBusy).await.unwrap_or(false) {
        return nobody;
    }
    let cleared = basket
        .send(ClearBaskets {
            reason: "closed",
            by: Some(staff.id.to_string()),
        })
        .await;
    if matches!(cleared, Ok(Ok(()))) {
        let _ = session.send(Logout { reason: "closed" }).await;
    }
    nobody
}

/// What a tick saw: a cashier to warn of closing, the last sale's time if the clock is behind it.
struct Observation {
    closing_soon: Option<(StaffId, DateTime<Utc>)>,
    behind: Option<DateTime<Utc>>,
}

impl Handler<Tick> for ClockGuardActor {
    type Result = AtomicResponse<Self, ()>;

    fn handle(&mut self, _: Tick, _: &mut Context<Self>) -> Self::Result {
        let now = self.clock.now();
        let fut = check(
            now,
            self.hours.clone(),
            self.till_id.clone(),
            self.session.clone(),
            self.basket.clone(),
            self.payment.clone(),
            self.ledger.clone(),
        );
        AtomicResponse::new(Box::pin(fut.into_actor(self).map(move |seen, act, _| {
            match seen.closing_soon {
                Some(key) if act.warned_for.as_ref() != Some(&key) => {
                    act.hub.emit(TillEvent::ClosingSoon {
                        at: format_instant(key.1),
                    });
                    act.warned_for = Some(key);
                }
                Some(_) => {}
                None => act.warned_for = None,
            }
            match seen.behind {
                Some(last) if !act.clock_warned => {
                    act.clock_warned = true;
                    act.hub.emit(TillEvent::ClockWarning {
                        now: format_instant(now),
                        last_sale_at: format_instant(last),
                    });
                }
                None => act.clock_warned = false,
                _ => {}
            }
        })))
    }
}
