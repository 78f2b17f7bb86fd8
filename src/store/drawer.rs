//! Drawer sessions in the ledger: open with a counted float, cash in and out, the X report, the
//! Z report that closes (numbered without a gap per till, sealed in a hash chain), and the
//! session a sale belongs to. Each change is one `BEGIN IMMEDIATE` transaction with its audit
//! row (and, for a cash in/out and the Z, its print job: the paper cannot be lost): a SIGKILL
//! leaves the session as it was before or after, never half-closed. The figures
//! are added up by [`DrawerReport::build`] (src/domain/drawer.rs).
//!
//! Voids: a Z counts the basket lines voided since the previous Z (the audit log's `void` rows
//! after the last audit row the previous Z saw, `audit_seq`), so a void made before the first
//! sale auto-opened the session still lands in a Z, and every void in exactly one — by sequence,
//! whatever the clock did. The ledger is one till's, so its audit log is that till's.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use crate::domain::Money;
use crate::domain::VatRate;
use crate::domain::drawer::{
    DrawerMove, DrawerReport, DrawerSession, MoveKind, SessionItem, SessionSale,
};
use crate::domain::drawer_print::{MoveSlip, PrintDoc};
use crate::domain::sale::{GENESIS_HASH, PaymentMethod, SaleKind};

use super::audit::audit_in;
use super::print_queue::queue_document_in;
use super::verify::ChainProblem;
use super::{Ledger, StoreError, StoreResult, parse_ts, ts};
use crate::i18n::Text;

const SESSION_COLUMNS: &str =
    "till_id, session_no, opened_at, opened_by, float_cents, float_counted";

/// A `drawer_sessions` row as read: till, number, opened at and by, float, counted.
type SessionRow = (String, i64, String, String, i64, bool);

fn session_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SessionRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

fn session_from(raw: SessionRow) -> StoreResult<DrawerSession> {
    let (till_id, session_no, opened_at, opened_by, float, counted) = raw;
    Ok(DrawerSession {
        till_id,
        session_no,
        opened_at: parse_ts(&opened_at)?,
        opened_by,
        float: Money::from_cents(float),
        float_counted: counted,
    })
}

/// The till's open session, if any.
pub(super) fn open_session(c: &Connection, till_id: &str) -> StoreResult<Option<DrawerSession>> {
    c.query_row(
        &format!(
            "SELECT {SESSION_COLUMNS} FROM drawer_sessions WHERE till_id = ?1 AND closed_at IS NULL"
        ),
        [till_id],
        session_row,
    )
    .optional()?
    .map(session_from)
    .transpose()
}

/// Opens the till's next session (the caller checked none is open; the unique index refuses a
/// second one anyway).
fn open_in(
    c: &Connection,
    till_id: &str,
    by: &str,
    float: Money,
    counted: bool,
    at: DateTime<Utc>,
) -> StoreResult<DrawerSession> {
    let next: i64 = c.query_row(
        "SELECT coalesce(max(session_no), 0) + 1 FROM drawer_sessions WHERE till_id = ?1",
        [till_id],
        |r| r.get(0),
    )?;
    c.execute(
        "INSERT INTO drawer_sessions (till_id, session_no, opened_at, opened_by, float_cents, float_counted)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![till_id, next, ts(at), by, float.cents(), counted],
    )?;
    let (action, detail) = if counted {
        (
            "drawer_open",
            format!(
                "session {next}, counted float {}",
                float.to_decimal_string()
            ),
        )
    } else {
        (
            "drawer_auto_open",
            format!("session {next}, opened at a first cash operation, float 0.00 not counted"),
        )
    };
    audit_in(c, at, Some(by), action, &detail)?;
    Ok(DrawerSession {
        till_id: till_id.to_owned(),
        session_no: next,
        opened_at: crate::domain::sale::truncate_to_millis(at),
        opened_by: by.to_owned(),
        float,
        float_counted: counted,
    })
}

/// The session a sale committed now belongs to: the open one, or one the till opens for it
/// with an uncounted 0,00 € float. Called inside the sale's transaction.
pub(super) fn session_for_sale(
    c: &Connection,
    till_id: &str,
    staff_id: &str,
    at: DateTime<Utc>,
) -> StoreResult<i64> {
    if let Some(s) = open_session(c, till_id)? {
        return Ok(s.session_no);
    }
    Ok(open_in(c, till_id, staff_id, Money::ZERO, false, at)?.session_no)
}

/// The session's sales and credit notes, each with its item lines (rate, amount, discount).
fn session_sales(c: &Connection, till_id: &str, no: i64) -> StoreResult<Vec<SessionSale>> {
    let mut stmt = c.prepare_cached(
        "SELECT id, staff_name, method, paid_cents, withdrawal_cents, rounding_cents, kind FROM sales
         WHERE till_id = ?1 AND drawer_session = ?2 ORDER BY ticket_no",
    )?;
    let heads = stmt
        .query_map(params![till_id, no], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut lines = c.prepare_cached(
        "SELECT vat_rate, total_cents, discount_cents FROM sale_lines WHERE sale_id = ?1 AND kind = 'item'",
    )?;
    let mut out = Vec::with_capacity(heads.len());
    for (id, staff_name, method, paid, wd, rounding, kind) in heads {
        let corrupt = |w: &str| StoreError::Corrupt(format!("sale {id}: bad {w}"));
        let items = lines
            .query_map([&id], |r| {
                Ok((
                    r.get::<_, Option<i64>>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })?
            .map(|row| {
                let (rate, total, discount) = row?;
                let rate = rate
                    .and_then(|p| u8::try_from(p).ok())
                    .and_then(|p| VatRate::try_from(p).ok())
                    .ok_or_else(|| corrupt("VAT rate"))?;
                Ok(SessionItem {
                    rate,
                    gross: Money::from_cents(total),
                    discount: Money::from_cents(discount),
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        out.push(SessionSale {
            staff_name,
            kind: SaleKind::parse(&kind).ok_or_else(|| corrupt("kind"))?,
            method: PaymentMethod::parse(&method).ok_or_else(|| corrupt("method"))?,
            paid: Money::from_cents(paid),
            withdrawal: Money::from_cents(wd),
            rounding: Money::from_cents(rounding),
            items,
        });
    }
    Ok(out)
}

fn session_moves(c: &Connection, till_id: &str, no: i64) -> StoreResult<Vec<DrawerMove>> {
    let mut stmt = c.prepare_cached(
        "SELECT kind, amount_cents, reason, staff_name, at FROM drawer_moves
         WHERE till_id = ?1 AND session_no = ?2 ORDER BY seq",
    )?;
    let rows = stmt
        .query_map(params![till_id, no], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(kind, amount, reason, staff_name, at)| {
            Ok(DrawerMove {
                kind: MoveKind::parse(&kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("drawer move kind {kind}")))?,
                amount: Money::from_cents(amount),
                reason,
                staff_name,
                at: parse_ts(&at)?,
            })
        })
        .collect()
}

/// The basket lines voided since the till's previous Z: after the last audit row it saw, or
/// after its closing time for a Z closed before Z reports kept that row (ledger V9).
fn session_voids(c: &Connection, s: &DrawerSession) -> StoreResult<i64> {
    let previous: Option<(Option<i64>, Option<String>)> = c
        .query_row(
            "SELECT audit_seq, closed_at FROM drawer_sessions WHERE till_id = ?1 AND session_no = ?2",
            params![s.till_id, s.session_no - 1],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (after_seq, after_time) = match previous {
        None => (None, None),
        Some((Some(seq), _)) => (Some(seq), None),
        // Times are RFC 3339 UTC with milliseconds throughout the ledger: they sort as text.
        Some((None, closed_at)) => (None, closed_at),
    };
    Ok(c.query_row(
        "SELECT count(*) FROM audit WHERE action = 'void'
           AND (?1 IS NULL OR seq > ?1) AND (?2 IS NULL OR at > ?2)",
        params![after_seq, after_time],
        |r| r.get(0),
    )?)
}

fn report_of(
    c: &Connection,
    s: &DrawerSession,
    until: DateTime<Utc>,
    counted: Option<Money>,
) -> StoreResult<DrawerReport> {
    let sales = session_sales(c, &s.till_id, s.session_no)?;
    let moves = session_moves(c, &s.till_id, s.session_no)?;
    let voids = session_voids(c, s)?;
    Ok(DrawerReport::build(
        s, &sales, &moves, voids, until, counted,
    ))
}

/// Why a drawer operation is refused by the ledger.
fn conflict(what: &str) -> StoreError {
    StoreError::Conflict(what.to_owned())
}

pub const NO_OPEN_DRAWER: &str = "no drawer is open";

/// A cash-in or cash-out written to the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveRecorded {
    pub session: DrawerSession,
    /// The session was opened for this move (uncounted 0,00 € float).
    pub opened: bool,
    /// The move's number (`drawer_moves.seq`), printed on its slip.
    pub move_no: i64,
    /// The slip's print job.
    pub print_job: i64,
}
pub const DRAWER_ALREADY_OPEN: &str = "a drawer is already open";

impl Ledger {
    pub fn drawer_current(&self, till_id: &str) -> StoreResult<Option<DrawerSession>> {
        open_session(&self.conn, till_id)
    }

    /// Opens a session with a counted float; refused (conflict) when one is open.
    pub fn drawer_open(
        &mut self,
        till_id: &str,
        staff_id: &str,
        float: Money,
        at: DateTime<Utc>,
    ) -> StoreResult<DrawerSession> {
        let tx = self.write_tx()?;
        if open_session(&tx, till_id)?.is_some() {
            return Err(conflict(DRAWER_ALREADY_OPEN));
        }
        let s = open_in(&tx, till_id, staff_id, float, true, at)?;
        tx.commit()?;
        Ok(s)
    }

    /// Cash in or out of the open session (opening one with an uncounted 0,00 € float when
    /// none is), and its slip queued for the printer in the same transaction: a move recorded
    /// always gets its slip, even if the till dies before printing it.
    #[allow(clippy::too_many_arguments)]
    pub fn drawer_move(
        &mut self,
        till_id: &str,
        kind: MoveKind,
        amount: Money,
        reason: &str,
        staff_id: &str,
        staff_name: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<MoveRecorded> {
        let tx = self.write_tx()?;
        let (s, opened) = match open_session(&tx, till_id)? {
            Some(s) => (s, false),
            None => (
                open_in(&tx, till_id, staff_id, Money::ZERO, false, at)?,
                true,
            ),
        };
        let at = crate::domain::sale::truncate_to_millis(at);
        tx.execute(
            "INSERT INTO drawer_moves (till_id, session_no, kind, amount_cents, reason, staff_id, staff_name, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![till_id, s.session_no, kind.as_str(), amount.cents(), reason, staff_id, staff_name, ts(at)],
        )?;
        let move_no = tx.last_insert_rowid();
        audit_in(
            &tx,
            at,
            Some(staff_id),
            match kind {
                MoveKind::In => "drawer_in",
                MoveKind::Out => "drawer_out",
            },
            &format!(
                "session {}: {} ({reason})",
                s.session_no,
                amount.to_decimal_string()
            ),
        )?;
        let slip = PrintDoc::Move(MoveSlip {
            till_id: till_id.to_owned(),
            z_no: s.session_no,
            move_no,
            kind,
            amount_cents: amount,
            reason: reason.to_owned(),
            staff_name: staff_name.to_owned(),
            at,
        });
        let print_job = queue_document_in(&tx, &slip, at)?;
        tx.commit()?;
        Ok(MoveRecorded {
            session: s,
            opened,
            move_no,
            print_job,
        })
    }

    /// The X report of the open session so far, queued for the till's printer.
    pub fn drawer_x_printed(
        &mut self,
        till_id: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<DrawerReport> {
        let tx = self.write_tx()?;
        let s = open_session(&tx, till_id)?.ok_or_else(|| conflict(NO_OPEN_DRAWER))?;
        let x = report_of(&tx, &s, at, None)?;
        queue_document_in(&tx, &PrintDoc::Report(x.clone()), at)?;
        tx.commit()?;
        Ok(x)
    }

    /// The X report of the open session, so far.
    pub fn drawer_x(&self, till_id: &str, at: DateTime<Utc>) -> StoreResult<DrawerReport> {
        let s = open_session(&self.conn, till_id)?.ok_or_else(|| conflict(NO_OPEN_DRAWER))?;
        report_of(&self.conn, &s, at, None)
    }

    /// Closes the open session with the counted cash: its Z report, sealed after the till's
    /// previous Z, in one transaction.
    pub fn drawer_close(
        &mut self,
        till_id: &str,
        counted: Money,
        staff_id: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<DrawerReport> {
        let tx = self.write_tx()?;
        let s = open_session(&tx, till_id)?.ok_or_else(|| conflict(NO_OPEN_DRAWER))?;
        let until = crate::domain::sale::truncate_to_millis(at.max(s.opened_at));
        let z = report_of(&tx, &s, until, Some(counted))?;
        let prev: String = tx
            .query_row(
                "SELECT hash FROM drawer_sessions WHERE till_id = ?1 AND hash IS NOT NULL
                 ORDER BY session_no DESC LIMIT 1",
                [till_id],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or_else(|| GENESIS_HASH.to_owned());
        let hash = z.seal(&prev);
        tx.execute(
            "UPDATE drawer_sessions SET closed_at = ?3, closed_by = ?4, counted_cents = ?5, z_report = ?6,
               prev_hash = ?7, hash = ?8, audit_seq = (SELECT coalesce(max(seq), 0) FROM audit)
             WHERE till_id = ?1 AND session_no = ?2 AND closed_at IS NULL",
            params![till_id, s.session_no, ts(until), staff_id, counted.cents(), z.canonical(), prev, hash],
        )?;
        // The Z travels to the central database like a sale.
        tx.execute(
            "INSERT INTO outbox (kind, entity_id, payload, created_at) VALUES ('z_report', ?1, ?2, ?3)",
            params![
                format!("{till_id}:{}", s.session_no),
                serde_json::json!({ "report": z.canonical(), "prev_hash": prev, "hash": hash }).to_string(),
                ts(at)
            ],
        )?;
        // The Z prints on the till's printer: queued with the closing, so it cannot be lost.
        queue_document_in(&tx, &PrintDoc::Report(z.clone()), at)?;
        audit_in(
            &tx,
            at,
            Some(staff_id),
            "drawer_close",
            &format!(
                "Z {}: expected {}, counted {}, difference {}",
                s.session_no,
                Money::from_cents(z.expected_cents).to_decimal_string(),
                counted.to_decimal_string(),
                Money::from_cents(z.difference_cents.unwrap_or(0)).to_decimal_string()
            ),
        )?;
        tx.commit()?;
        Ok(z)
    }

    /// A till's Z report `no`, or its latest when `None`.
    pub fn z_report(&self, till_id: &str, no: Option<i64>) -> StoreResult<Option<DrawerReport>> {
        let text: Option<String> = match no {
            Some(n) => self
                .conn
                .query_row(
                    "SELECT z_report FROM drawer_sessions WHERE till_id = ?1 AND session_no = ?2 AND z_report IS NOT NULL",
                    params![till_id, n],
                    |r| r.get(0),
                )
                .optional()?,
            None => self
                .conn
                .query_row(
                    "SELECT z_report FROM drawer_sessions WHERE till_id = ?1 AND z_report IS NOT NULL
                     ORDER BY session_no DESC LIMIT 1",
                    [till_id],
                    |r| r.get(0),
                )
                .optional()?,
        };
        text.map(|t| {
            serde_json::from_str(&t).map_err(|e| StoreError::Corrupt(format!("Z report: {e}")))
        })
        .transpose()
    }

    /// A till's last `limit` Z reports, newest first.
    pub fn z_reports(&self, till_id: &str, limit: usize) -> StoreResult<Vec<DrawerReport>> {
        let mut st = self.conn.prepare_cached(
            "SELECT z_report FROM drawer_sessions WHERE till_id = ?1 AND z_report IS NOT NULL
             ORDER BY session_no DESC LIMIT ?2",
        )?;
        let texts = st
            .query_map(params![till_id, limit as i64], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        texts
            .iter()
            .map(|t| {
                serde_json::from_str(t).map_err(|e| StoreError::Corrupt(format!("Z report: {e}")))
            })
            .collect()
    }

    /// Checks every till's Z chain: numbers from 1 without a gap, each hash over its report and
    /// the previous hash. One problem per broken Z (`ticket_no` holds the Z number).
    pub fn verify_z_chains(&self) -> StoreResult<Vec<ChainProblem>> {
        let mut stmt = self.conn.prepare(
            "SELECT till_id, session_no, z_report, prev_hash, hash FROM drawer_sessions
             ORDER BY till_id, session_no",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut problems = Vec::new();
        let mut last: Option<(String, i64, String)> = None;
        for (till, no, report, prev, hash) in rows {
            let (expected_no, expected_prev) = match &last {
                Some((t, n, h)) if *t == till => (n + 1, h.clone()),
                _ => (1, GENESIS_HASH.to_owned()),
            };
            if no != expected_no {
                problems.push(ChainProblem {
                    till_id: till.clone(),
                    ticket_no: no,
                    problem: Text::msg("report-chain-z-missing").arg("no", expected_no),
                });
            }
            let (Some(report), Some(hash)) = (report, hash) else {
                // The open session: nothing sealed yet.
                continue;
            };
            let ok = prev.as_deref() == Some(expected_prev.as_str())
                && DrawerReport::matches_seal(&report, &expected_prev, &hash).is_some();
            if !ok {
                problems.push(ChainProblem {
                    till_id: till.clone(),
                    ticket_no: no,
                    problem: Text::msg("report-chain-z-altered").arg("no", no),
                });
            }
            last = Some((till, no, hash));
        }
        Ok(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing;

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_780_000_000 + s, 0).unwrap()
    }

    #[test]
    fn sessions_open_once_close_with_a_sealed_gapless_z_and_refuse_the_rest() {
        let (_d, mut l) = testing::ledger();
        assert!(matches!(
            l.drawer_close("till-1", Money::ZERO, "1", at(0)),
            Err(StoreError::Conflict(_))
        ));
        l.drawer_open("till-1", "1", Money::from_cents(15000), at(1))
            .unwrap();
        assert!(matches!(
            l.drawer_open("till-1", "1", Money::ZERO, at(2)),
            Err(StoreError::Conflict(_))
        ));
        l.drawer_move(
            "till-1",
            MoveKind::Out,
            Money::from_cents(10000),
            "banque",
            "1",
            "A",
            at(3),
        )
        .unwrap();
        let x = l.drawer_x("till-1", at(4)).unwrap();
        assert_eq!(x.expected_cents, 5000);
        let z1 = l
            .drawer_close("till-1", Money::from_cents(4990), "1", at(5))
            .unwrap();
        assert_eq!((z1.z_no, z1.difference_cents), (1, Some(-10)));
        // The cash-out's slip and the Z wait for the printer, in that order.
        assert_eq!(l.print_jobs_open().unwrap(), 2);
        let slip = l.next_print_job().unwrap().unwrap();
        l.mark_printed(slip.id, at(5)).unwrap();
        let job = l.next_print_job().unwrap().unwrap();
        assert!(
            matches!(&job.what, crate::store::PrintWhat::Document(d) if **d == PrintDoc::Report(z1.clone())),
            "{job:?}"
        );
        // A cash-in with no open drawer opens the next session, uncounted.
        let moved = l
            .drawer_move(
                "till-1",
                MoveKind::In,
                Money::from_cents(2000),
                "monnaie",
                "1",
                "A",
                at(6),
            )
            .unwrap();
        let s = &moved.session;
        assert!(moved.opened && !s.float_counted && s.session_no == 2);
        let z2 = l
            .drawer_close("till-1", Money::from_cents(2000), "1", at(7))
            .unwrap();
        assert_eq!(
            (z2.z_no, z2.float_counted, z2.difference_cents),
            (2, false, Some(0))
        );
        assert_eq!(l.z_report("till-1", Some(1)).unwrap(), Some(z1));
        assert_eq!(l.z_report("till-1", None).unwrap(), Some(z2));
        assert!(l.verify_z_chains().unwrap().is_empty());
        // A closed session cannot be edited, and an edit below the triggers is found.
        assert!(
            l.connection()
                .execute(
                    "UPDATE drawer_sessions SET counted_cents = 0 WHERE session_no = 1",
                    []
                )
                .is_err()
        );
        l.connection()
            .execute_batch(
                "DROP TRIGGER drawer_sessions_closed_are_final;
                 UPDATE drawer_sessions SET z_report = replace(z_report, '\"counted_cents\":4990', '\"counted_cents\":5000') WHERE session_no = 1;",
            )
            .unwrap();
        let problems = l.verify_z_chains().unwrap();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].ticket_no, 1);
        assert!(
            problems[0]
                .describe()
                .render(crate::i18n::Lang::En)
                .contains("Z report 1"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_z_counts_the_lines_voided_since_the_previous_z_each_in_one_z_only() {
        let (_d, mut l) = testing::ledger();
        let void = |l: &mut Ledger, s: i64| l.audit(at(s), Some("1"), "void", "Café x1").unwrap();
        // Voided before any drawer was open: the first Z counts it.
        void(&mut l, 0);
        l.drawer_open("till-1", "1", Money::ZERO, at(1)).unwrap();
        void(&mut l, 2);
        l.audit(at(3), Some("1"), "login", "").unwrap();
        assert_eq!(l.drawer_x("till-1", at(4)).unwrap().voids, 2);
        let z1 = l.drawer_close("till-1", Money::ZERO, "1", at(5)).unwrap();
        assert_eq!(z1.voids, 2);
        // In the same millisecond as the Z, between two sessions, then with the clock stepped
        // back before Z 1: all in Z 2, none counted twice.
        void(&mut l, 5);
        void(&mut l, 6);
        l.drawer_open("till-1", "1", Money::ZERO, at(7)).unwrap();
        void(&mut l, -100);
        let z2 = l.drawer_close("till-1", Money::ZERO, "1", at(10)).unwrap();
        assert_eq!(z2.voids, 3);
        l.drawer_open("till-1", "1", Money::ZERO, at(11)).unwrap();
        let z3 = l.drawer_close("till-1", Money::ZERO, "1", at(12)).unwrap();
        assert_eq!(z3.voids, 0);
        assert!(!z3.canonical().contains("voids"));
        assert_eq!(l.z_report("till-1", Some(2)).unwrap(), Some(z2));
        assert!(l.verify_z_chains().unwrap().is_empty());
    }

    #[test]
    fn after_a_z_closed_before_voids_were_counted_the_next_counts_from_its_closing_time() {
        let (_d, mut l) = testing::ledger();
        l.drawer_open("till-1", "1", Money::ZERO, at(1)).unwrap();
        l.audit(at(2), Some("1"), "void", "a").unwrap();
        l.drawer_close("till-1", Money::ZERO, "1", at(3)).unwrap();
        // As a ledger migrated to V9 after its Z 1 closed: the Z did not keep its audit row.
        l.connection()
            .execute_batch(
                "DROP TRIGGER drawer_sessions_closed_are_final;
                 UPDATE drawer_sessions SET audit_seq = NULL WHERE session_no = 1;",
            )
            .unwrap();
        l.audit(at(4), Some("1"), "void", "b").unwrap();
        l.drawer_open("till-1", "1", Money::ZERO, at(5)).unwrap();
        assert_eq!(l.drawer_x("till-1", at(6)).unwrap().voids, 1);
    }

    #[test]
    fn a_z_sealed_before_voids_were_counted_still_verifies_in_the_ledger() {
        use sha2::{Digest, Sha256};
        let (_d, mut l) = testing::ledger();
        // Z 1 exactly as the previous release wrote it (no `voids`), sealed the way it was.
        let old = concat!(
            r#"{"kind":"z","till_id":"till-1","z_no":1,"opened_at":"2026-05-28T07:06:40.000Z","#,
            r#""until":"2026-05-28T07:06:45.000Z","cashiers":[],"tickets":0,"revenue_cents":0,"#,
            r#""by_vat":[],"cash_cents":0,"qr_cents":0,"rounding_cents":0,"float_cents":0,"#,
            r#""float_counted":true,"cash_in_cents":0,"cash_out_cents":0,"withdrawals_cents":0,"#,
            r#""expected_cents":0,"counted_cents":0,"difference_cents":0}"#
        );
        let hash = hex::encode(Sha256::digest(format!("{GENESIS_HASH}\n{old}")));
        l.connection()
            .execute(
                "INSERT INTO drawer_sessions (till_id, session_no, opened_at, opened_by, float_cents, float_counted,
                   closed_at, closed_by, counted_cents, z_report, prev_hash, hash)
                 VALUES ('till-1', 1, '2026-05-28T07:06:40.000Z', '1', 0, 1, '2026-05-28T07:06:45.000Z', '1', 0, ?1, ?2, ?3)",
                params![old, GENESIS_HASH, hash],
            )
            .unwrap();
        assert!(l.verify_z_chains().unwrap().is_empty());
        let z = l.z_report("till-1", Some(1)).unwrap().unwrap();
        assert_eq!((z.voids, z.canonical().as_str()), (0, old));
    }
}
