//! The till's local ledger (SQLite): catalogue, staff cache, sales with their lines, the outbox,
//! the print queue, the audit log and the report queries.
//!
//! Durability first: WAL with `synchronous=FULL` (a sale acknowledged on screen survives a power
//! cut), writers take the lock up front (`BEGIN IMMEDIATE`), and a sale, its lines, its outbox
//! row, its print job, its day totals and its place in the hash chain are written in one
//! transaction. Blocking: the runtime calls it from a `SyncArbiter`, never from an async task.
//! The ledger knows nothing of the network.

mod audit;
mod catalog;
mod drawer;
mod intents;
mod outbox;
mod print_queue;
mod refunds;
mod reports;
mod sales;
mod staff;
mod verify;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

pub use audit::AuditEntry;
pub use catalog::{ImportSummary, Lookup};
pub use drawer::{DRAWER_ALREADY_OPEN, MoveRecorded, NO_OPEN_DRAWER};
pub use intents::{IntentRecord, IntentState, NewIntentRecord};
pub use outbox::{
    CentralProduct, CentralStaff, OutboxRow, Waiting, central_product, central_staff,
};
pub use print_queue::{PrintJob, PrintWhat};
pub use refunds::{OVER_RETURN, RefundRequest};
pub use sales::CommittedSale;
pub use staff::{LockState, StaffRecord};
pub use verify::{ChainProblem, VerifyReport};

mod embedded {
    refinery::embed_migrations!("migrations/sqlite");
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] refinery::Error),
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Conflict(String),
    #[error("not found: {0}")]
    NotFound(String),
    /// A payment already has its sale (a paid intent becomes one sale, never two).
    #[error("payment {payment_ref} is already recorded as ticket {ticket_no}")]
    AlreadyRecorded {
        payment_ref: String,
        sale_id: String,
        ticket_no: i64,
    },
    #[error("corrupt row: {0}")]
    Corrupt(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The file name of the ledger inside the data directory.
pub const LEDGER_FILE: &str = "ledger.sqlite";

pub struct Ledger {
    conn: Connection,
}

impl Ledger {
    /// Opens (creating if needed) the ledger in `data_dir` and applies pending migrations.
    pub fn open_in(data_dir: &Path) -> StoreResult<Ledger> {
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::DataDir {
            path: data_dir.to_owned(),
            source,
        })?;
        Ledger::open(&data_dir.join(LEDGER_FILE))
    }

    pub fn open(path: &Path) -> StoreResult<Ledger> {
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        embedded::migrations::runner().run(&mut conn)?;
        Ok(Ledger { conn })
    }

    /// A transaction that takes the write lock at once, so two writers never deadlock.
    fn write_tx(&mut self) -> StoreResult<rusqlite::Transaction<'_>> {
        Ok(self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?)
    }

    #[doc(hidden)]
    /// Raw access for benchmarks and tests that need to bulk-load or tamper.
    pub fn connection(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

pub(crate) fn ts(t: chrono::DateTime<chrono::Utc>) -> String {
    crate::domain::sale::format_instant(t)
}

pub(crate) fn parse_ts(s: &str) -> StoreResult<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&chrono::Utc))
        .map_err(|_| StoreError::Corrupt(format!("bad timestamp '{s}'")))
}

#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    pub fn ledger() -> (tempfile::TempDir, Ledger) {
        let dir = tempfile::tempdir().unwrap();
        let l = Ledger::open_in(dir.path()).unwrap();
        (dir, l)
    }

    /// A ledger whose till-1 drawer is open, its audit row already sent: for tests that count
    /// what sales put in the outbox (a first sale would otherwise open the drawer itself, and
    /// that audit row travels too).
    pub fn ledger_with_open_drawer() -> (tempfile::TempDir, Ledger) {
        let (dir, mut l) = ledger();
        let now = chrono::Utc::now();
        l.drawer_open("till-1", "1", crate::domain::Money::ZERO, now)
            .unwrap();
        let seqs: Vec<i64> = l.outbox_batch(10).unwrap().iter().map(|r| r.seq).collect();
        l.mark_sent(&seqs, now).unwrap();
        (dir, l)
    }
}
