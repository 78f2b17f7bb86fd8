//! The durable print queue (`print_jobs`): what the till still has to print, oldest first. A
//! job is a sale's ticket (`sale_id`, a duplicate when reprinted) or a document (`doc`: the
//! JSON of a cash-in/out slip or an X/Z report, [`PrintDoc`]), exactly one of the two (a CHECK
//! since V8). Jobs are written in the transaction of what they print — a sale, a drawer move,
//! a Z — so nothing recorded goes unprinted, whatever is cut; they are marked printed only once
//! the printer took them (the PrinterActor), so a crash means a reprint, never a lost paper.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use crate::domain::drawer_print::PrintDoc;

use super::{Ledger, StoreError, StoreResult, ts};

/// What a job prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintWhat {
    /// A sale's ticket; `duplicate`: a reprint (DUPLICATA, never opens the drawer).
    Ticket { sale_id: String, duplicate: bool },
    /// A slip or a report, as it was when queued.
    Document(Box<PrintDoc>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintJob {
    pub id: i64,
    pub what: PrintWhat,
    pub attempts: i64,
}

impl PrintJob {
    /// The sale whose ticket this is; `None` for a document.
    pub fn sale_id(&self) -> Option<&str> {
        match &self.what {
            PrintWhat::Ticket { sale_id, .. } => Some(sale_id),
            PrintWhat::Document(_) => None,
        }
    }
}

/// A `print_jobs` row as read: id, sale id, document, duplicate, attempts.
type JobRow = (i64, Option<String>, Option<String>, bool, i64);

/// Queues `doc` inside the caller's transaction (the move's, the Z's): returns the job id.
pub(super) fn queue_document_in(
    c: &Connection,
    doc: &PrintDoc,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    let json = doc
        .to_json()
        .map_err(|e| StoreError::Corrupt(format!("print document: {e}")))?;
    c.execute(
        "INSERT INTO print_jobs (doc, created_at) VALUES (?1, ?2)",
        params![json, ts(now)],
    )?;
    Ok(c.last_insert_rowid())
}

impl Ledger {
    /// Queues a duplicate of a sale's ticket.
    pub fn queue_reprint(
        &mut self,
        sale_id: &str,
        now: DateTime<Utc>,
        by: Option<&str>,
    ) -> StoreResult<i64> {
        let tx = self.write_tx()?;
        tx.execute(
            "INSERT INTO print_jobs (sale_id, duplicate, created_at) VALUES (?1, 1, ?2)",
            params![sale_id, ts(now)],
        )?;
        let id = tx.last_insert_rowid();
        super::audit::audit_in(&tx, now, by, "reprint", sale_id)?;
        tx.commit()?;
        Ok(id)
    }

    /// The oldest job not yet printed: jobs print in the order they were queued, tickets and
    /// documents alike.
    pub fn next_print_job(&self) -> StoreResult<Option<PrintJob>> {
        let row: Option<JobRow> = self
            .conn
            .prepare_cached(
                "SELECT id, sale_id, doc, duplicate, attempts FROM print_jobs
                 WHERE status != 'printed' ORDER BY id LIMIT 1",
            )?
            .query_row([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .optional()?;
        let Some((id, sale_id, doc, duplicate, attempts)) = row else {
            return Ok(None);
        };
        let what = match (sale_id, doc) {
            (Some(sale_id), None) => PrintWhat::Ticket { sale_id, duplicate },
            (None, Some(doc)) => PrintWhat::Document(Box::new(
                PrintDoc::from_json(&doc)
                    .map_err(|e| StoreError::Corrupt(format!("print job {id}: {e}")))?,
            )),
            _ => {
                return Err(StoreError::Corrupt(format!(
                    "print job {id}: neither a ticket nor a document"
                )));
            }
        };
        Ok(Some(PrintJob { id, what, attempts }))
    }

    pub fn mark_printed(&mut self, job: i64, now: DateTime<Utc>) -> StoreResult<()> {
        self.conn.execute(
            "UPDATE print_jobs SET status = 'printed', printed_at = ?2, attempts = attempts + 1, last_error = NULL WHERE id = ?1",
            params![job, ts(now)],
        )?;
        Ok(())
    }

    pub fn mark_print_failed(&mut self, job: i64, error: &str) -> StoreResult<()> {
        self.conn.execute(
            "UPDATE print_jobs SET status = 'failed', attempts = attempts + 1, last_error = ?2 WHERE id = ?1",
            params![job, error],
        )?;
        Ok(())
    }

    pub fn print_jobs_open(&self) -> StoreResult<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM print_jobs WHERE status != 'printed'",
            [],
            |r| r.get(0),
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Money;
    use crate::domain::drawer::MoveKind;
    use crate::store::sales::tests::draft;

    #[test]
    fn tickets_and_documents_share_one_queue_in_order_and_a_job_is_exactly_one_of_them() {
        let (_d, mut l) = crate::store::testing::ledger_with_open_drawer();
        let now = Utc::now();
        let tz = chrono_tz::Europe::Brussels;
        let sale = l
            .commit_sale(draft(100), "a".into(), "till-1", now, tz)
            .unwrap();
        let mv = l
            .drawer_move(
                "till-1",
                MoveKind::Out,
                Money::from_cents(2000),
                "banque",
                "1",
                "A",
                now,
            )
            .unwrap();
        assert_eq!(l.print_jobs_open().unwrap(), 2);
        let first = l.next_print_job().unwrap().unwrap();
        assert_eq!(first.sale_id(), Some("a"));
        assert_eq!(first.id, sale.print_job);
        l.mark_print_failed(first.id, "off").unwrap();
        // A failed job stays first: nothing jumps the queue.
        assert_eq!(l.next_print_job().unwrap().unwrap().id, first.id);
        l.mark_printed(first.id, now).unwrap();
        let second = l.next_print_job().unwrap().unwrap();
        assert_eq!(second.id, mv.print_job);
        let PrintWhat::Document(doc) = &second.what else {
            panic!("{second:?}")
        };
        assert_eq!(doc.kind().as_str(), "drawer_out");
        assert_eq!(doc.move_no(), Some(mv.move_no));
        l.mark_printed(second.id, now).unwrap();
        assert_eq!(l.next_print_job().unwrap(), None);
        // Both, or neither, is refused by the table itself.
        for (sale, doc) in [(Some("a"), Some("{}")), (None, None)] {
            assert!(
                l.connection()
                    .execute(
                        "INSERT INTO print_jobs (sale_id, doc, created_at) VALUES (?1, ?2, 'x')",
                        params![sale, doc],
                    )
                    .is_err(),
                "{sale:?} {doc:?}"
            );
        }
    }

    #[test]
    fn the_v8_rebuild_keeps_every_job_and_its_numbering() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Connection::open(dir.path().join("old.sqlite")).unwrap();
        crate::store::embedded::migrations::runner()
            .set_target(refinery::Target::Version(7))
            .run(&mut c)
            .unwrap();
        c.execute_batch(
            "INSERT INTO sales (id, till_id, ticket_no, staff_id, staff_name, account, method,
               revenue_cents, withdrawal_cents, paid_cents, change_cents, paid_at, day, prev_hash, hash)
             VALUES ('s1', 'till-1', 1, '1', 'A', 'main', 'cash', 100, 0, 100, 0, 't', 'd', '0', 'h1'),
                    ('s2', 'till-1', 2, '1', 'A', 'main', 'cash', 100, 0, 100, 0, 't', 'd', 'h1', 'h2');
             INSERT INTO print_jobs (id, sale_id, duplicate, status, attempts, last_error, created_at, printed_at)
             VALUES (1, 's1', 0, 'printed', 1, NULL, 't1', 't2'),
                    (7, 's2', 1, 'failed', 3, 'off', 't3', NULL);",
        )
        .unwrap();
        drop(c);
        let mut l = Ledger::open(&dir.path().join("old.sqlite")).unwrap();
        let job = l.next_print_job().unwrap().unwrap();
        assert_eq!(
            (job.id, job.attempts, &job.what),
            (
                7,
                3,
                &PrintWhat::Ticket {
                    sale_id: "s2".into(),
                    duplicate: true
                }
            )
        );
        let kept: Vec<(i64, String, Option<String>)> = l
            .connection()
            .prepare("SELECT id, status, last_error FROM print_jobs ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            kept,
            [
                (1, "printed".into(), None),
                (7, "failed".into(), Some("off".into()))
            ]
        );
        // New jobs come after the old ones.
        let doc = PrintDoc::from_json(
            r#"{"move":{"till_id":"till-1","z_no":1,"move_no":1,"kind":"in","amount_cents":100,"reason":"r","staff_name":"A","at":"2026-06-02T08:00:00Z"}}"#,
        )
        .unwrap();
        let id = queue_document_in(l.connection(), &doc, Utc::now()).unwrap();
        assert_eq!(id, 8);
    }
}
