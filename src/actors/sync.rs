//! SyncActor: drains the outbox into the central database and pulls staff and catalogue
//! changes, every [`SYNC_EVERY`] and on demand ([`SyncNow`]). Batches are one transaction each
//! and idempotent, then marked sent locally; a retryable failure backs off exponentially with
//! jitter (backon); a row the central database refuses for good is parked and reported, and the
//! rows behind it go on. `connectivity {online, pending}` is published whenever either changes,
//! and a heartbeat (pending count, last successful sync, version) is written centrally.

use std::time::{Duration, Instant};

use actix::prelude::*;
use backon::{BackoffBuilder, ExponentialBuilder};
use chrono_tz::Tz;

use crate::clock::SharedClock;
use crate::store::OutboxRow;
use crate::sync::{Central, SyncError};

use super::events::{EventHub, TillEvent};
use super::ledger::{self, LedgerActor};

/// How often the outbox is drained and the central tables pulled.
pub const SYNC_EVERY: Duration = Duration::from_secs(2);
/// Outbox rows per central transaction.
pub const BATCH: usize = 500;
const STAFF_CURSOR: &str = "central.staff.version";
const PRODUCTS_CURSOR: &str = "central.products.version";

/// Sync now (sent by the interval timer every [`SYNC_EVERY`]).
#[derive(Message)]
#[rtype(result = "()")]
pub struct SyncNow;

/// What the status screen shows of the sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncState {
    /// `None` before the first round.
    pub online: Option<bool>,
    /// Rounds completed since start.
    pub rounds: u64,
    pub last_sync_ms: Option<i64>,
}

#[derive(Message)]
#[rtype(result = "SyncState")]
pub struct GetSyncState;

pub struct SyncActor {
    central: Central,
    till_id: String,
    tz: Tz,
    ledger: Addr<LedgerActor>,
    hub: EventHub,
    clock: SharedClock,
    running: bool,
    /// Not before this instant after a failure (exponential backoff with jitter, capped at 1 s
    /// so a restored link is used within a round or two: a failed probe costs little).
    not_before: Option<Instant>,
    backoff: Option<backon::ExponentialBackoff>,
    last: Option<(bool, i64)>,
    last_sync_ms: Option<i64>,
    rounds: u64,
}

impl SyncActor {
    pub fn new(
        central: Central,
        till_id: String,
        tz: Tz,
        ledger: Addr<LedgerActor>,
        hub: EventHub,
        clock: SharedClock,
    ) -> SyncActor {
        SyncActor {
            central,
            till_id,
            tz,
            ledger,
            hub,
            clock,
            running: false,
            not_before: None,
            backoff: None,
            last: None,
            last_sync_ms: None,
            rounds: 0,
        }
    }

    fn backoff_builder() -> ExponentialBuilder {
        ExponentialBuilder::default()
            .with_jitter()
            .with_min_delay(Duration::from_millis(250))
            .with_max_delay(Duration::from_secs(1))
            .without_max_times()
    }
}

impl Actor for SyncActor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Context<Self>) {
        ctx.notify(SyncNow);
        ctx.run_interval(SYNC_EVERY, |_, ctx| ctx.notify(SyncNow));
    }
}

/// One round's outcome.
struct Round {
    online: bool,
    pending: i64,
}

/// Pushes one batch; on a permanent refusal, row by row, parking the refused ones.
async fn push_batch(
    central: &Central,
    ledger: &Addr<LedgerActor>,
    clock: &SharedClock,
    till_id: &str,
    tz: Tz,
    rows: Vec<OutboxRow>,
) -> Result<(), SyncError> {
    let now = clock.now();
    match central
        .push(till_id, tz, &rows, now.timestamp_millis())
        .await
    {
        Ok(_) => {
            let seqs: Vec<i64> = rows.iter().map(|r| r.seq).collect();
            ledger::run(ledger, move |l| l.mark_sent(&seqs, now)).await?;
            Ok(())
        }
        Err(SyncError::Permanent(e)) if rows.len() > 1 => {
            tracing::warn!(error = %e, "batch refused: isolating the row");
            for row in rows {
                Box::pin(push_batch(central, ledger, clock, till_id, tz, vec![row])).await?;
            }
            Ok(())
        }
        Err(SyncError::Permanent(e)) => {
            let seq = rows.first().map_or(0, |r| r.seq);
            tracing::error!(seq, error = %e, "outbox row refused by the central database: parked");
            ledger::run(ledger, move |l| l.park(seq, &e, now)).await?;
            Ok(())
        }
        Err(e) => {
            let seqs: Vec<i64> = rows.iter().map(|r| r.seq).collect();
            let msg = e.to_string();
            let _ = ledger::run(ledger, move |l| l.note_attempt(&seqs, &msg)).await;
            Err(e)
        }
    }
}

/// Pulls the staff changed centrally since this till's cursor into the ledger.
async fn pull_staff(central: &Central, ledger: &Addr<LedgerActor>) -> Result<(), SyncError> {
    let after: i64 = ledger::run(ledger, |l| l.sync_cursor(STAFF_CURSOR))
        .await?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let staff = central.staff_since(after).await?;
    if !staff.is_empty() {
        ledger::run(ledger, move |l| l.apply_central_staff(&staff, STAFF_CURSOR)).await?;
    }
    Ok(())
}

async fn round(
    central: Central,
    ledger: Addr<LedgerActor>,
    clock: SharedClock,
    till_id: String,
    tz: Tz,
    last_sync_ms: Option<i64>,
) -> (Round, Option<i64>) {
    let result: Result<(), SyncError> = async {
        loop {
            let rows = ledger::run(&ledger, |l| l.outbox_batch(BATCH)).await?;
            if rows.is_empty() {
                break;
            }
            push_batch(&central, &ledger, &clock, &till_id, tz, rows).await?;
        }
        pull_staff(&central, &ledger).await?;
        let after: i64 = ledger::run(&ledger, |l| l.sync_cursor(PRODUCTS_CURSOR))
            .await?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let products = central.products_since(after).await?;
        if !products.is_empty() {
            ledger::run(&ledger, move |l| {
                l.apply_central_products(&products, PRODUCTS_CURSOR)
            })
            .await?;
        }
        Ok(())
    }
    .await;
    let (pending, parked) = ledger::run(&ledger, |l| Ok((l.outbox_unsent()?, l.outbox_parked()?)))
        .await
        .unwrap_or((-1, -1));
    let now_ms = clock.now().timestamp_millis();
    let online = match &result {
        Ok(()) => true,
        Err(SyncError::Retryable(e)) => {
            tracing::warn!(error = %e, "central database unreachable");
            false
        }
        Err(e) => {
            tracing::error!(error = %e, "sync failed");
            false
        }
    };
    let synced = if online { Some(now_ms) } else { last_sync_ms };
    if online
        && let Err(e) = central
            .heartbeat(&till_id, pending, parked, synced, now_ms)
            .await
    {
        tracing::warn!(error = %e, "heartbeat failed");
    }
    (Round { online, pending }, synced)
}

impl Handler<SyncNow> for SyncActor {
    type Result = ();

    fn handle(&mut self, _: SyncNow, ctx: &mut Context<Self>) {
        if self.running || self.not_before.is_some_and(|t| Instant::now() < t) {
            return;
        }
        self.running = true;
        // New sales since the last round: the screen sees the count rise before it falls.
        let (ledger, hub, last) = (self.ledger.clone(), self.hub.clone(), self.last);
        let announce = async move {
            let pending = ledger::run(&ledger, |l| l.outbox_unsent())
                .await
                .unwrap_or(0);
            if let Some((online, before)) = last
                && pending != before
            {
                hub.emit(TillEvent::Connectivity { online, pending });
                return Some((online, pending));
            }
            last
        };
        ctx.spawn(
            announce
                .into_actor(self)
                .map(|last, act, _| act.last = last),
        );
        let fut = round(
            self.central.clone(),
            self.ledger.clone(),
            self.clock.clone(),
            self.till_id.clone(),
            self.tz,
            self.last_sync_ms,
        );
        ctx.spawn(fut.into_actor(self).map(|(r, synced), act, _| {
            act.running = false;
            act.rounds += 1;
            act.last_sync_ms = synced;
            if r.online {
                act.backoff = None;
                act.not_before = None;
            } else {
                let delay = act
                    .backoff
                    .get_or_insert_with(|| SyncActor::backoff_builder().build())
                    .next()
                    .unwrap_or(Duration::from_secs(30));
                act.not_before = Some(Instant::now() + delay);
            }
            if act.last != Some((r.online, r.pending)) {
                act.last = Some((r.online, r.pending));
                act.hub.emit(TillEvent::Connectivity {
                    online: r.online,
                    pending: r.pending,
                });
            }
        }));
    }
}

/// Pulls the staff table now, outside the sync rounds: a login with an ID this till does not
/// know yet (a cashier just added centrally) asks for it before deciding. Answers whether the
/// central database answered; when the last round found it unreachable, answers `false` at once
/// rather than make the cashier wait for a timeout.
#[derive(Message)]
#[rtype(result = "bool")]
pub struct PullStaff;

impl Handler<PullStaff> for SyncActor {
    type Result = ResponseFuture<bool>;

    fn handle(&mut self, _: PullStaff, _: &mut Context<Self>) -> Self::Result {
        if self.last.is_some_and(|(online, _)| !online) {
            return Box::pin(async { false });
        }
        let (central, ledger) = (self.central.clone(), self.ledger.clone());
        Box::pin(async move {
            match pull_staff(&central, &ledger).await {
                Ok(()) => true,
                Err(e) => {
                    tracing::warn!(error = %e, "staff pull for an unknown ID failed");
                    false
                }
            }
        })
    }
}

impl Handler<GetSyncState> for SyncActor {
    type Result = MessageResult<GetSyncState>;

    fn handle(&mut self, _: GetSyncState, _: &mut Context<Self>) -> Self::Result {
        MessageResult(SyncState {
            online: self.last.map(|(o, _)| o),
            rounds: self.rounds,
            last_sync_ms: self.last_sync_ms,
        })
    }
}
