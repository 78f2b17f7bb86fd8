//! The audit log: logins, refusals, lockouts, voids, cancelled payments, catalogue and staff
//! changes. Append-only.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::{Ledger, StoreResult, ts};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub staff_id: Option<String>,
    pub action: String,
    pub detail: String,
}

/// Appends one audit entry on `conn` — inside the caller's transaction when it is one, so the
/// entry commits (or not) with the change it records.
pub(super) fn audit_in(
    conn: &rusqlite::Connection,
    at: DateTime<Utc>,
    staff_id: Option<&str>,
    action: &str,
    detail: &str,
) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO audit (at, staff_id, action, detail) VALUES (?1, ?2, ?3, ?4)",
        params![ts(at), staff_id, action, detail],
    )?;
    Ok(())
}

impl Ledger {
    pub fn audit(
        &mut self,
        at: DateTime<Utc>,
        staff_id: Option<&str>,
        action: &str,
        detail: &str,
    ) -> StoreResult<()> {
        audit_in(&self.conn, at, staff_id, action, detail)
    }

    /// The newest `limit` entries, newest first.
    pub fn audit_log(&self, limit: u32) -> StoreResult<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, at, staff_id, action, detail FROM audit ORDER BY seq DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit], |r| {
            Ok(AuditEntry {
                seq: r.get(0)?,
                at: r.get(1)?,
                staff_id: r.get(2)?,
                action: r.get(3)?,
                detail: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
