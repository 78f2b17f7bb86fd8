//! The central MySQL/MariaDB database, seen from a till: push the outbox (sales, their lines,
//! audit events) in batches — one transaction per batch, idempotent by UUID / per-till sequence,
//! so a batch re-sent after a crash or a lost COMMIT changes nothing — and pull staff and
//! catalogue changes by version cursor. Also the central writes of the command line (staff,
//! catalogue) and the central reports. The ledger (src/store) knows nothing of this module.
//!
//! Errors are typed: [`SyncError::Retryable`] (connection lost, timeout, deadlock: back off and
//! try again) or [`SyncError::Permanent`] (the central database refuses this data: park the row,
//! report it, go on with the rows behind it).

pub mod central;

pub use central::Central;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    #[error("central database unreachable: {0}")]
    Retryable(String),
    #[error("central database refused: {0}")]
    Permanent(String),
    #[error("ledger: {0}")]
    Ledger(String),
    /// The change clashes with what the central database holds (an ID or barcode taken).
    #[error("{0}")]
    Conflict(String),
    /// The change names something the central database does not have.
    #[error("not found in the central database: {0}")]
    NotFound(String),
}

impl SyncError {
    pub fn is_retryable(&self) -> bool {
        matches!(self, SyncError::Retryable(_))
    }
}

/// MySQL server errors that a retry can cure: lock wait timeout, deadlock, server shutdown or
/// read-only failover, too many connections, lost connection, query or connection killed by an
/// administrator, network read/write timeouts, idle disconnects.
const RETRYABLE_SERVER_CODES: [u16; 12] = [
    1205, 1213, 1053, 1290, 1040, 2013, 1317, 1927, 1159, 1160, 1161, 4031,
];

impl From<mysql_async::Error> for SyncError {
    fn from(e: mysql_async::Error) -> Self {
        match &e {
            mysql_async::Error::Server(s) if !RETRYABLE_SERVER_CODES.contains(&s.code) => {
                SyncError::Permanent(e.to_string())
            }
            // I/O, driver, URL-less connection errors and the retryable server codes.
            _ => SyncError::Retryable(e.to_string()),
        }
    }
}

impl From<crate::store::StoreError> for SyncError {
    fn from(e: crate::store::StoreError) -> Self {
        SyncError::Ledger(e.to_string())
    }
}
