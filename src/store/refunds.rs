//! What a return needs from the ledger: a ticket found by its number, what was already returned
//! of a sale, and the check, inside the refund's own transaction, that a credit note never
//! returns more than was sold (a second face, or a retried command, cannot slip past it).

use std::collections::BTreeMap;

use rusqlite::{OptionalExtension, Transaction};

use chrono::{DateTime, Utc};

use crate::domain::refund::{Returned, ReturnedRow};
use crate::domain::{Money, Sale, SaleDraft};

use super::{Ledger, StoreError, StoreResult, ts};

/// A refund through the payment provider, as the ledger keeps it (see V10's `refund_requests`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRequest {
    pub refund_id: String,
    pub intent_id: String,
    /// Asked of the till's LAN payment server (else the hosted one).
    pub lan: bool,
    pub amount: Money,
    pub draft: SaleDraft,
    /// `asking`, `recorded` or `dropped`.
    pub state: String,
    /// The provider's last known state (`requested`, `pending`, `succeeded`, `failed`).
    pub provider_status: Option<String>,
}

/// The conflict message of a refund that would return more than is left.
pub const OVER_RETURN: &str = "over_return";

/// What the credit notes in `conn` returned of sale `original`, by original line.
fn returned_in(
    conn: &rusqlite::Connection,
    original: &str,
) -> StoreResult<BTreeMap<u32, Returned>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.original_line, -sum(l.qty), -sum(l.total_cents)
         FROM sales s JOIN sale_lines l ON l.sale_id = s.id
         WHERE s.original_sale_id = ?1 AND s.kind = 'refund' AND l.original_line IS NOT NULL
         GROUP BY l.original_line",
    )?;
    let rows = stmt.query_map([original], |r| {
        Ok((
            r.get::<_, u32>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    let mut out = BTreeMap::new();
    for row in rows {
        let (line, qty, amount) = row?;
        out.insert(
            line,
            Returned {
                qty,
                amount: Money::from_cents(amount),
            },
        );
    }
    Ok(out)
}

impl Ledger {
    /// Writes a refund through the provider before the payment server is asked.
    pub fn refund_request_add(
        &mut self,
        req: &RefundRequest,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let draft =
            serde_json::to_string(&req.draft).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.conn.execute(
            "INSERT INTO refund_requests (refund_id, intent_id, lan, amount_cents, draft, state, provider_status, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            rusqlite::params![
                req.refund_id,
                req.intent_id,
                req.lan,
                req.amount.cents(),
                draft,
                req.state,
                req.provider_status,
                ts(now)
            ],
        )?;
        Ok(())
    }

    /// Moves a refund request on (`state`) with the provider's last known status.
    pub fn refund_request_set(
        &mut self,
        refund_id: &str,
        state: &str,
        provider_status: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.conn.execute(
            "UPDATE refund_requests SET state = ?2, provider_status = coalesce(?3, provider_status), updated_at = ?4
             WHERE refund_id = ?1",
            rusqlite::params![refund_id, state, provider_status, ts(now)],
        )?;
        Ok(())
    }

    /// Refund requests still to follow: not answered yet, or recorded with the provider's
    /// refund not final.
    pub fn refund_requests_open(&self) -> StoreResult<Vec<RefundRequest>> {
        let mut stmt = self.conn.prepare(
            "SELECT refund_id, intent_id, lan, amount_cents, draft, state, provider_status FROM refund_requests
             WHERE state = 'asking' OR (state = 'recorded' AND coalesce(provider_status, '') NOT IN ('succeeded', 'failed'))
             ORDER BY created_at",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (refund_id, intent_id, lan, amount, draft, state, provider_status) = row?;
            let draft: SaleDraft = serde_json::from_str(&draft)
                .map_err(|e| StoreError::Corrupt(format!("refund request {refund_id}: {e}")))?;
            out.push(RefundRequest {
                refund_id,
                intent_id,
                lan,
                amount: Money::from_cents(amount),
                draft,
                state,
                provider_status,
            });
        }
        Ok(out)
    }

    /// What was returned of sale `original`, one row per credit note and line: the recorded
    /// credit notes, and the refunds still being asked of the provider (so the same units
    /// cannot be given back twice while the answer is awaited).
    pub fn returned_rows_of(&self, original: &str) -> StoreResult<Vec<ReturnedRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.id, l.original_line, -l.qty, -l.total_cents
             FROM sales s JOIN sale_lines l ON l.sale_id = s.id
             WHERE s.original_sale_id = ?1 AND s.kind = 'refund' AND l.original_line IS NOT NULL",
        )?;
        let rows = stmt.query_map([original], |r| {
            Ok(ReturnedRow {
                refund_id: r.get(0)?,
                line: r.get(1)?,
                qty: r.get(2)?,
                amount: Money::from_cents(r.get(3)?),
            })
        })?;
        let mut out: Vec<ReturnedRow> = rows.collect::<Result<_, _>>()?;
        for req in self.refund_requests_open()? {
            if req.state != "asking"
                || req
                    .draft
                    .original
                    .as_ref()
                    .is_none_or(|o| o.sale_id != original)
            {
                continue;
            }
            for l in &req.draft.lines {
                if let Some(line) = l.original_line {
                    out.push(ReturnedRow {
                        refund_id: req.refund_id.clone(),
                        line,
                        qty: -l.qty,
                        amount: Money::from_cents(-l.total.cents()),
                    });
                }
            }
        }
        Ok(out)
    }

    /// The id of this till's ticket `ticket_no`.
    pub fn sale_id_by_ticket(&self, till_id: &str, ticket_no: i64) -> StoreResult<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM sales WHERE till_id = ?1 AND ticket_no = ?2",
                rusqlite::params![till_id, ticket_no],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Whether this ledger holds sale `id`.
    pub fn has_sale(&self, id: &str) -> StoreResult<bool> {
        Ok(self
            .conn
            .query_row("SELECT count(*) > 0 FROM sales WHERE id = ?1", [id], |r| {
                r.get(0)
            })?)
    }
}

/// Refuses, inside the refund's transaction, a credit note that would return more of a line
/// than its sale sold (when the sale is in this ledger) minus what was already returned here.
pub(super) fn check_returnable(tx: &Transaction<'_>, refund: &Sale) -> StoreResult<()> {
    let Some(original) = &refund.original else {
        return Err(StoreError::Corrupt(
            "a refund without its original sale".into(),
        ));
    };
    let mut returned = returned_in(tx, &original.sale_id)?;
    // Refunds still being asked of the payment server hold their units too (all but this
    // credit note's own request, recorded now that the server has it).
    let mut asking = tx.prepare_cached(
        "SELECT draft FROM refund_requests WHERE state = 'asking' AND refund_id <> ?1",
    )?;
    let drafts = asking.query_map([&refund.id], |r| r.get::<_, String>(0))?;
    for draft in drafts {
        let draft: SaleDraft =
            serde_json::from_str(&draft?).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        if draft
            .original
            .as_ref()
            .is_none_or(|o| o.sale_id != original.sale_id)
        {
            continue;
        }
        for l in &draft.lines {
            if let Some(line) = l.original_line {
                let r = returned.entry(line).or_default();
                r.qty -= l.qty;
            }
        }
    }
    let mut sold_stmt =
        tx.prepare_cached("SELECT qty, kind FROM sale_lines WHERE sale_id = ?1 AND line_no = ?2")?;
    for l in &refund.lines {
        let Some(line) = l.original_line else {
            return Err(StoreError::Corrupt(
                "a refund line without its original line".into(),
            ));
        };
        let before = returned.get(&line).map_or(0, |r| r.qty);
        let sold: Option<(i64, String)> = sold_stmt
            .query_row(rusqlite::params![original.sale_id, line], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        match sold {
            Some((_, kind)) if kind != "item" => {
                return Err(StoreError::Conflict(OVER_RETURN.into()));
            }
            Some((sold, _)) if before - l.qty > sold => {
                return Err(StoreError::Conflict(OVER_RETURN.into()));
            }
            // Another till's sale (found in the central database): its lines are not here; the
            // refund basket checked them against central's figures.
            _ => {}
        }
    }
    Ok(())
}
