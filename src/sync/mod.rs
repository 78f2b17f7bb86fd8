//! The central MySQL/MariaDB database, seen from a till: push the outbox (sales, their lines,
//! audit events) in batches — one transaction per batch, idempotent by UUID / per-till sequence,
//! so a batch re-sent after a crash or a lost COMMIT changes nothing — and pull staff and
//! catalogue changes by version cursor. Also the central writes of the command line (staff,
//! catalogue) and the central reports. The ledger (src/store) knows nothing of this module.
//!
//! Errors are typed: [`SyncError::Permanent`] is kept for what is about one row and that no
//! retry can cure — a true conflict with what the central database holds (another sale under
//! the same UUID or the same till + ticket number, i.e. a hash mismatch), or a payload this
//! program cannot read: the sync parks that row, reports it and goes on with the rows behind
//! it. Everything else the server says (a missing table or column, access denied, read-only,
//! lock wait, deadlock, too many connections, a cluster node not ready or outside the primary
//! component, and any code not known to be a row conflict) and every connection or I/O error
//! is [`SyncError::Retryable`]: back off, report, try again. Parking a row for a server
//! problem would lose it from the flow for good; retrying a true conflict only costs a probe.

pub mod central;

pub use central::Central;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    #[error("central database unavailable: {0}")]
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
    /// The change kept losing a conflict with another writer (a deadlock, or a Galera
    /// certification conflict through another node): it was run again `tries` times in all,
    /// and may be run again later.
    #[error("central database conflict, retried {tries} times: {detail}")]
    Conflicted { tries: usize, detail: String },
}

impl SyncError {
    pub fn is_retryable(&self) -> bool {
        matches!(self, SyncError::Retryable(_) | SyncError::Conflicted { .. })
    }
}

/// Whether a MySQL server error is a conflict about the row being written: a duplicate key
/// (1062, e.g. the same till + ticket number under another UUID that the upsert cannot merge)
/// or the sales upsert's own conflict signal — `ON DUPLICATE KEY UPDATE hash = IF(hash =
/// VALUES(hash), hash, NULL)` sets the NOT NULL `hash` to NULL when a different sale already
/// holds the UUID or the till + ticket number, which strict mode refuses with 1048 "Column
/// 'hash' cannot be null". A 1048 on another column is a schema problem, not the row's.
pub fn is_row_conflict(code: u16, message: &str) -> bool {
    match code {
        1062 => true,
        1048 => message.contains("'hash'"),
        _ => false,
    }
}

impl From<mysql_async::Error> for SyncError {
    fn from(e: mysql_async::Error) -> Self {
        match &e {
            mysql_async::Error::Server(s) if is_row_conflict(s.code, &s.message) => {
                SyncError::Permanent(e.to_string())
            }
            // Every other server error (schema, privileges, read-only, locks, cluster state,
            // codes not known here), I/O, driver and connection errors: the server's problem
            // or the link's, never the row's.
            _ => SyncError::Retryable(e.to_string()),
        }
    }
}

impl From<crate::store::StoreError> for SyncError {
    fn from(e: crate::store::StoreError) -> Self {
        SyncError::Ledger(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(code: u16, message: &str) -> SyncError {
        SyncError::from(mysql_async::Error::Server(mysql_async::ServerError {
            code,
            message: message.to_owned(),
            state: "HY000".to_owned(),
        }))
    }

    #[test]
    fn a_conflict_given_up_says_so_and_may_be_tried_again() {
        let e = SyncError::Conflicted {
            tries: 6,
            detail: "ERROR 1213 (40001): Deadlock found".into(),
        };
        assert!(e.is_retryable());
        let text = e.to_string();
        assert!(text.contains("conflict, retried 6 times"), "{text}");
        assert!(!text.contains("unavailable"), "{text}");
    }

    #[test]
    fn only_a_conflict_about_the_row_is_permanent() {
        assert!(matches!(
            server(1048, "Column 'hash' cannot be null"),
            SyncError::Permanent(_)
        ));
        assert!(matches!(
            server(1062, "Duplicate entry 'till-1-7' for key 'sales_ticket'"),
            SyncError::Permanent(_)
        ));
    }

    #[test]
    fn server_problems_are_retried_whatever_their_code() {
        for (code, message) in [
            (1146, "Table 'db.sales' doesn't exist"),
            (1054, "Unknown column 'received_at' in 'INSERT INTO'"),
            (
                1142,
                "INSERT command denied to user 'till'@'localhost' for table `db`.`sales`",
            ),
            (
                1143,
                "SELECT command denied to user 'till' for column 'hash'",
            ),
            (1044, "Access denied for user 'till'@'%' to database 'db'"),
            (
                1045,
                "Access denied for user 'till'@'localhost' (using password: YES)",
            ),
            (
                1227,
                "Access denied; you need (at least one of) the SUPER privilege(s)",
            ),
            (
                1290,
                "The MariaDB server is running with the --read-only option",
            ),
            (1836, "Running in read-only mode"),
            (
                1205,
                "Lock wait timeout exceeded; try restarting transaction",
            ),
            (
                1213,
                "Deadlock found when trying to get lock; try restarting transaction",
            ),
            (1040, "Too many connections"),
            (1047, "WSREP has not yet prepared node for application use"),
            (
                1180,
                "Got error 6 \"No such device or address\" during COMMIT",
            ),
            (1048, "Column 'staff_name' cannot be null"),
            (1406, "Data too long for column 'staff_name' at row 1"),
            (9999, "a code nobody knows yet"),
        ] {
            let e = server(code, message);
            assert!(e.is_retryable(), "{code} {message}: {e:?}");
        }
    }

    #[test]
    fn connection_and_driver_errors_are_retried() {
        let io = mysql_async::Error::Io(mysql_async::IoError::Io(std::io::Error::new(
            std::io::ErrorKind::ConnectionRefused,
            "refused",
        )));
        assert!(SyncError::from(io).is_retryable());
        let driver = mysql_async::Error::Driver(mysql_async::DriverError::ConnectionClosed);
        assert!(SyncError::from(driver).is_retryable());
    }
}
