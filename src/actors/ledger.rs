//! LedgerActor: owns the SQLite [`Ledger`] on a thread of its own (a `SyncArbiter`), so ledger
//! writes and PIN hashing never block the async actors. Other actors send it a blocking job
//! ([`LedgerJob`]) and await the result.

use std::path::PathBuf;
use std::sync::Mutex;

use actix::prelude::*;

use crate::store::{Ledger, StoreError, StoreResult};

type Job<R> = Box<dyn FnOnce(&mut Ledger) -> StoreResult<R> + Send>;

/// A blocking job run on the ledger's thread, in arrival order.
pub struct LedgerJob<R: Send + 'static>(Job<R>);

impl<R: Send + 'static> LedgerJob<R> {
    pub fn new(f: impl FnOnce(&mut Ledger) -> StoreResult<R> + Send + 'static) -> LedgerJob<R> {
        LedgerJob(Box::new(f))
    }
}

impl<R: Send + 'static> Message for LedgerJob<R> {
    type Result = StoreResult<R>;
}

pub struct LedgerActor {
    ledger: Option<Ledger>,
    path: PathBuf,
}

impl LedgerActor {
    /// Starts the actor with an already opened ledger (so opening errors surface at start-up).
    pub fn start(ledger: Ledger, path: PathBuf) -> Addr<LedgerActor> {
        let cell = Mutex::new(Some(ledger));
        SyncArbiter::start(1, move || LedgerActor {
            ledger: cell.lock().ok().and_then(|mut l| l.take()),
            path: path.clone(),
        })
    }

    fn ledger(&mut self) -> StoreResult<&mut Ledger> {
        if self.ledger.is_none() {
            // Only after the arbiter restarted the actor: open the file again.
            self.ledger = Some(Ledger::open(&self.path)?);
        }
        self.ledger
            .as_mut()
            .ok_or_else(|| StoreError::NotFound("ledger".into()))
    }
}

impl Actor for LedgerActor {
    type Context = SyncContext<Self>;
}

impl<R: Send + 'static> Handler<LedgerJob<R>> for LedgerActor {
    type Result = StoreResult<R>;

    fn handle(&mut self, job: LedgerJob<R>, _: &mut Self::Context) -> StoreResult<R> {
        let ledger = self.ledger()?;
        (job.0)(ledger)
    }
}

/// Runs `f` on the ledger thread; a stopped ledger actor is reported as a store error.
pub async fn run<R: Send + 'static>(
    addr: &Addr<LedgerActor>,
    f: impl FnOnce(&mut Ledger) -> StoreResult<R> + Send + 'static,
) -> StoreResult<R> {
    match addr.send(LedgerJob::new(f)).await {
        Ok(r) => r,
        Err(e) => Err(StoreError::NotFound(format!("ledger actor: {e}"))),
    }
}
