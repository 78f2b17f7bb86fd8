//! SyncActor: drains the outbox into the central database and pulls staff and catalogue
//! changes, every [`SYNC_EVERY`] and on demand ([`SyncNow`]). Batches are one transaction each
//! and idempotent, then marked sent locally. A retryable failure — any connection error and
//! any server error that is not a conflict about the row (src/sync/mod.rs) — backs off
//! exponentially with jitter (backon, capped at [`BACKOFF_CAP`], well above the sync period)
//! and is reported (`status.sync_error`). A row in true conflict with the central database is
//! parked and reported, and the rows behind it go on; the same refusal for every row of a batch
//! is the server's problem, not the rows': nothing is parked, the batch is retried. A round only
//! pushes the rows there when it began, so the audit row of a parking waits for the next round
//! (and an audit row is never parked). `connectivity {online, pending, parked}` is published
//! whenever any of them changes, from the same count as `status` (parked rows are waiting too),
//! and a heartbeat (pending count, last successful sync, version) is written centrally.

use std::time::{Duration, Instant};

use actix::prelude::*;
use backon::{BackoffBuilder, ExponentialBuilder};
use chrono_tz::Tz;

use crate::clock::SharedClock;
use crate::store::{OutboxRow, Waiting};
use crate::sync::{Central, SyncError};

use super::events::{EventHub, TillEvent};
use super::ledger::{self, LedgerActor};

/// How often the outbox is drained and the central tables pulled.
pub const SYNC_EVERY: Duration = Duration::from_secs(2);
/// Outbox rows per central transaction.
pub const BATCH: usize = 500;
/// The longest wait between two attempts after failures: well above [`SYNC_EVERY`], so a
/// central database in trouble is probed a few times a minute, not hammered every round.
pub const BACKOFF_CAP: Duration = Duration::from_secs(60);
const STAFF_CURSOR: &str = "central.staff.version";
const PRODUCTS_CURSOR: &str = "central.products.version";

/// Sync now (sent by the interval timer every [`SYNC_EVERY`]).
#[derive(Message)]
#[rtype(result = "()")]
pub struct SyncNow;

/// What the status screen shows of the sync.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SyncState {
    /// `None` before the first round.
    pub online: Option<bool>,
    /// Rounds completed since start.
    pub rounds: u64,
    pub last_sync_ms: Option<i64>,
    /// Why the last round failed (`None` once a round succeeds): the central database's own
    /// words (missing table, access denied, read-only, node not ready, link lost...).
    pub last_error: Option<String>,
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
    /// Not before this instant after a failure (exponential backoff with jitter from 250 ms,
    /// capped at [`BACKOFF_CAP`]).
    not_before: Option<Instant>,
    backoff: Option<backon::ExponentialBackoff>,
    /// The last `connectivity` published: online, waiting rows (parked included), parked.
    last: Option<(bool, Waiting)>,
    last_error: Option<String>,
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
            last_error: None,
            last_sync_ms: None,
            rounds: 0,
        }
    }

    fn backoff_builder() -> ExponentialBuilder {
        ExponentialBuilder::default()
            .with_jitter()
            .with_min_delay(Duration::from_millis(250))
            .with_max_delay(BACKOFF_CAP)
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
    waiting: Waiting,
    error: Option<String>,
}

/// Whether a refused row may be parked. An audit row never is: it cannot conflict (the
/// central audit upsert keeps the first copy), and the audit row of a parking must never be
/// parked in turn.
fn parkable(row: &OutboxRow) -> bool {
    row.kind != "audit"
}

/// Pushes one batch; on a refusal for good, row by row, parking the rows in conflict — unless
/// every row that could be parked is refused: then it is the server's problem, not the data's,
/// and nothing is parked.
async fn push_batch(
    central: &Central,
    ledger: &Addr<LedgerActor>,
    clock: &SharedClock,
    till_id: &str,
    tz: Tz,
    rows: Vec<OutboxRow>,
) -> Result<(), SyncError> {
    let now = clock.now();
    let pushed = central
        .push(till_id, tz, &rows, now.timestamp_millis())
        .await;
    match pushed {
        Ok(_) => {
            let seqs: Vec<i64> = rows.iter().map(|r| r.seq).collect();
            ledger::run(ledger, move |l| l.mark_sent(&seqs, now)).await?;
            Ok(())
        }
        Err(SyncError::Permanent(e)) if rows.len() > 1 => {
            tracing::warn!(error = %e, "batch refused: isolating the rows");
            isolate(central, ledger, clock, till_id, tz, rows).await
        }
        Err(SyncError::Permanent(e)) if rows.iter().all(parkable) => {
            let seq = rows.first().map_or(0, |r| r.seq);
            tracing::error!(seq, error = %e, "outbox row in conflict with the central database: parked");
            ledger::run(ledger, move |l| l.park(seq, &e, now)).await?;
            Ok(())
        }
        Err(e) => {
            let e = match e {
                SyncError::Permanent(m) => SyncError::Retryable(format!("audit row refused: {m}")),
                other => other,
            };
            let seqs: Vec<i64> = rows.iter().map(|r| r.seq).collect();
            let msg = e.to_string();
            let _ = ledger::run(ledger, move |l| l.note_attempt(&seqs, &msg)).await;
            Err(e)
        }
    }
}

/// A refused batch, one row per transaction: the rows that pass are sent, the rows in conflict
/// parked — unless every parkable row of the batch (two or more) is refused: the same refusal
/// on every row is a server problem (a till ID reused, a central database restored from
/// elsewhere...), reported and retried, never a whole batch parked.
async fn isolate(
    central: &Central,
    ledger: &Addr<LedgerActor>,
    clock: &SharedClock,
    till_id: &str,
    tz: Tz,
    rows: Vec<OutboxRow>,
) -> Result<(), SyncError> {
    let candidates = rows.iter().filter(|r| parkable(r)).count();
    let mut refused: Vec<(i64, String)> = Vec::new();
    for row in rows {
        let now = clock.now();
        let (seq, may_park) = (row.seq, parkable(&row));
        match central
            .push(
                till_id,
                tz,
                std::slice::from_ref(&row),
                now.timestamp_millis(),
            )
            .await
        {
            Ok(_) => ledger::run(ledger, move |l| l.mark_sent(&[seq], now)).await?,
            Err(SyncError::Permanent(e)) if may_park => refused.push((seq, e)),
            Err(e) => {
                let e = match e {
                    SyncError::Permanent(m) => {
                        SyncError::Retryable(format!("audit row refused: {m}"))
                    }
                    other => other,
                };
                let mut seqs: Vec<i64> = refused.iter().map(|(s, _)| *s).collect();
                seqs.push(seq);
                let msg = e.to_string();
                let _ = ledger::run(ledger, move |l| l.note_attempt(&seqs, &msg)).await;
                return Err(e);
            }
        }
    }
    if refused.len() >= 2 && refused.len() == candidates {
        let msg = format!(
            "all {} rows of the batch refused, none parked (a server problem, not the rows'): {}",
            refused.len(),
            refused[0].1
        );
        tracing::error!("{msg}");
        let seqs: Vec<i64> = refused.iter().map(|(s, _)| *s).collect();
        let m = msg.clone();
        let _ = ledger::run(ledger, move |l| l.note_attempt(&seqs, &m)).await;
        return Err(SyncError::Retryable(msg));
    }
    for (seq, e) in refused {
        tracing::error!(seq, error = %e, "outbox row in conflict with the central database: parked");
        let now = clock.now();
        ledger::run(ledger, move |l| l.park(seq, &e, now)).await?;
    }
    Ok(())
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
        // What is there now: the audit rows this round writes (parkings) wait for the next.
        let upto = ledger::run(&ledger, |l| l.outbox_last_seq()).await?;
        loop {
            let rows = ledger::run(&ledger, move |l| l.outbox_batch_upto(BATCH, upto)).await?;
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
    let waiting = ledger::run(&ledger, |l| l.outbox_waiting())
        .await
        .unwrap_or(Waiting {
            pending: -1,
            parked: -1,
        });
    let now_ms = clock.now().timestamp_millis();
    let (online, error) = match &result {
        Ok(()) => (true, None),
        Err(SyncError::Retryable(e)) => {
            tracing::warn!(error = %e, "central database unavailable: retrying later");
            (false, Some(e.clone()))
        }
        Err(e) => {
            tracing::error!(error = %e, "sync failed");
            (false, Some(e.to_string()))
        }
    };
    let synced = if online { Some(now_ms) } else { last_sync_ms };
    if online
        && let Err(e) = central
            .heartbeat(&till_id, waiting.pending, waiting.parked, synced, now_ms)
            .await
    {
        tracing::warn!(error = %e, "heartbeat failed");
    }
    (
        Round {
            online,
            waiting,
            error,
        },
        synced,
    )
}

impl SyncActor {
    /// Publishes `connectivity` when the waiting count moved since the last one (same online
    /// state). Applied in the actor's context, and only if no round result came in between: an
    /// announce never overwrites a fresher state.
    fn announce(&mut self, ctx: &mut Context<Self>) {
        let Some((online, before)) = self.last else {
            return;
        };
        let ledger = self.ledger.clone();
        let count = async move { ledger::run(&ledger, |l| l.outbox_waiting()).await.ok() };
        ctx.spawn(count.into_actor(self).map(move |waiting, act, _| {
            if let Some(waiting) = waiting
                && act.last == Some((online, before))
                && waiting != before
            {
                act.last = Some((online, waiting));
                act.hub.emit(TillEvent::Connectivity {
                    online,
                    pending: waiting.pending,
                    parked: waiting.parked,
                });
            }
        }));
    }
}

impl Handler<SyncNow> for SyncActor {
    type Result = ();

    fn handle(&mut self, _: SyncNow, ctx: &mut Context<Self>) {
        // New sales since the last round: the screen sees the count rise before it falls, at
        // every tick, backing off or not (a round may not come for a minute).
        self.announce(ctx);
        if self.running || self.not_before.is_some_and(|t| Instant::now() < t) {
            return;
        }
        self.running = true;
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
            act.last_error = r.error;
            if r.online {
                act.backoff = None;
                act.not_before = None;
            } else {
                let delay = act
                    .backoff
                    .get_or_insert_with(|| SyncActor::backoff_builder().build())
                    .next()
                    .unwrap_or(BACKOFF_CAP);
                act.not_before = Some(Instant::now() + delay);
            }
            if act.last != Some((r.online, r.waiting)) {
                act.last = Some((r.online, r.waiting));
                act.hub.emit(TillEvent::Connectivity {
                    online: r.online,
                    pending: r.waiting.pending,
                    parked: r.waiting.parked,
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
            last_error: self.last_error.clone(),
        })
    }
}
