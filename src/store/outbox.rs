//! The outbox as the sync engine sees it: batches of rows still to push, marking them sent once
//! the central database acknowledged them (a crash in between re-sends them, harmlessly: the
//! central side is idempotent), parking rows it refuses for good; and the cursors and upserts of
//! what is pulled back (staff and catalogue). The ledger knows nothing of the network.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use crate::domain::{ArticleCode, Gtin, Money, Product, Role, Staff, StaffId, VatRate};

use super::{Ledger, StoreError, StoreResult, ts};

/// Outbox rows not yet in the central database ([`Ledger::outbox_waiting`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Waiting {
    /// Every row not yet acknowledged, parked ones included.
    pub pending: i64,
    /// Of those, the rows set aside for a conflict (`kaching sync retry-parked` puts them back).
    pub parked: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    pub seq: i64,
    pub kind: String,
    pub entity_id: String,
    pub payload: String,
    pub attempts: i64,
}

/// A staff row as the central database holds it (PIN hash, never a PIN).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CentralStaff {
    pub staff: Staff,
    pub pin_hash: String,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CentralProduct {
    pub product: Product,
    pub version: i64,
}

impl Ledger {
    /// The oldest rows not yet sent nor parked, in order.
    pub fn outbox_batch(&self, limit: usize) -> StoreResult<Vec<OutboxRow>> {
        self.outbox_batch_upto(limit, i64::MAX)
    }

    /// [`Ledger::outbox_batch`] among the rows up to `max_seq`: a sync round pushes what was
    /// there when it began, never what it wrote itself (the audit rows of a parking).
    pub fn outbox_batch_upto(&self, limit: usize, max_seq: i64) -> StoreResult<Vec<OutboxRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, kind, entity_id, payload, attempts FROM outbox
             WHERE sent_at IS NULL AND parked_at IS NULL AND seq <= ?2 ORDER BY seq LIMIT ?1",
        )?;
        let rows = stmt.query_map(params![limit as i64, max_seq], |r| {
            Ok(OutboxRow {
                seq: r.get(0)?,
                kind: r.get(1)?,
                entity_id: r.get(2)?,
                payload: r.get(3)?,
                attempts: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The newest outbox row's sequence number (0 when the outbox is empty).
    pub fn outbox_last_seq(&self) -> StoreResult<i64> {
        Ok(self
            .conn
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM outbox", [], |r| r.get(0))?)
    }

    pub fn mark_sent(&mut self, seqs: &[i64], at: DateTime<Utc>) -> StoreResult<()> {
        let tx = self.write_tx()?;
        {
            let mut stmt = tx.prepare_cached("UPDATE outbox SET sent_at = ?2, attempts = attempts + 1, last_error = NULL WHERE seq = ?1")?;
            for seq in seqs {
                stmt.execute(params![seq, ts(at)])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// A failed attempt worth retrying: counted, with its error.
    pub fn note_attempt(&mut self, seqs: &[i64], error: &str) -> StoreResult<()> {
        let tx = self.write_tx()?;
        {
            let mut stmt = tx.prepare_cached(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?2 WHERE seq = ?1",
            )?;
            for seq in seqs {
                stmt.execute(params![seq, error])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// A row the central database refuses for good: set aside (and audited), so the rows
    /// behind it still flow.
    pub fn park(&mut self, seq: i64, error: &str, at: DateTime<Utc>) -> StoreResult<()> {
        let tx = self.write_tx()?;
        tx.execute(
            "UPDATE outbox SET parked_at = ?2, attempts = attempts + 1, last_error = ?3 WHERE seq = ?1",
            params![seq, ts(at), error],
        )?;
        super::audit::audit_in(
            &tx,
            at,
            None,
            "outbox_parked",
            &format!("outbox row {seq}: {error}"),
        )?;
        tx.commit()?;
        Ok(())
    }

    pub fn outbox_parked(&self) -> StoreResult<i64> {
        Ok(self.outbox_waiting()?.parked)
    }

    /// What still waits for the central database: every row not yet acknowledged, parked ones
    /// included (a parked sale is not in the central database either), and of those how many
    /// are parked. The one count behind `connectivity`, `status`, the screen, the heartbeat and
    /// `report reconcile`.
    pub fn outbox_waiting(&self) -> StoreResult<Waiting> {
        Ok(self.conn.query_row(
            "SELECT count(*), count(parked_at) FROM outbox WHERE sent_at IS NULL",
            [],
            |r| {
                Ok(Waiting {
                    pending: r.get(0)?,
                    parked: r.get(1)?,
                })
            },
        )?)
    }

    /// Puts every parked row back in the queue (`kaching sync retry-parked`), audited with who
    /// asked and how many rows; answers how many. The next sync round pushes them again (a row
    /// whose conflict was not mended is parked again, once).
    pub fn retry_parked(&mut self, by: &str, at: DateTime<Utc>) -> StoreResult<i64> {
        let tx = self.write_tx()?;
        let n = tx.execute(
            "UPDATE outbox SET parked_at = NULL WHERE parked_at IS NOT NULL AND sent_at IS NULL",
            [],
        )? as i64;
        if n > 0 {
            super::audit::audit_in(
                &tx,
                at,
                None,
                "outbox_retried",
                &format!("{n} parked outbox row(s) put back in the queue by {by}"),
            )?;
        }
        tx.commit()?;
        Ok(n)
    }

    pub fn sync_cursor(&self, key: &str) -> StoreResult<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM sync_state WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub fn set_sync_cursor(&mut self, key: &str, value: &str) -> StoreResult<()> {
        put_cursor(&self.conn, key, value)
    }

    /// Applies staff pulled from the central database (names, roles, PIN hashes, disabled
    /// flags) and moves the cursor, in one transaction.
    pub fn apply_central_staff(
        &mut self,
        rows: &[CentralStaff],
        cursor_key: &str,
    ) -> StoreResult<()> {
        let Some(max) = rows.iter().map(|r| r.version).max() else {
            return Ok(());
        };
        let tx = self.write_tx()?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO staff (id, name, role, pin_hash, active, version, lang) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, pin_hash = excluded.pin_hash,
                   active = excluded.active, version = excluded.version, lang = excluded.lang",
            )?;
            for r in rows {
                stmt.execute(params![
                    r.staff.id.as_str(),
                    r.staff.name,
                    r.staff.role.as_str(),
                    r.pin_hash,
                    r.staff.active,
                    r.version,
                    r.staff.lang.as_str()
                ])?;
            }
        }
        put_cursor(&tx, cursor_key, max)?;
        tx.commit()?;
        Ok(())
    }

    /// Applies products pulled from the central database and moves the cursor.
    pub fn apply_central_products(
        &mut self,
        rows: &[CentralProduct],
        cursor_key: &str,
    ) -> StoreResult<()> {
        let Some(max) = rows.iter().map(|r| r.version).max() else {
            return Ok(());
        };
        let tx = self.write_tx()?;
        {
            // A barcode moving between articles: free it first.
            let mut free = tx.prepare_cached(
                "UPDATE products SET barcode = NULL WHERE barcode = ?1 AND code != ?2",
            )?;
            let mut stmt = tx.prepare_cached(
                "INSERT INTO products (code, barcode, name, price_cents, vat_rate, active, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (code) DO UPDATE SET barcode = excluded.barcode, name = excluded.name, price_cents = excluded.price_cents,
                   vat_rate = excluded.vat_rate, active = excluded.active, version = excluded.version",
            )?;
            for r in rows {
                let p = &r.product;
                let barcode = p.barcode.as_ref().map(|b| b.as_str().to_owned());
                if let Some(b) = &barcode {
                    free.execute(params![b, p.code.as_str()])?;
                }
                stmt.execute(params![
                    p.code.as_str(),
                    barcode,
                    p.name,
                    p.price.cents(),
                    p.vat.percent(),
                    p.active,
                    r.version
                ])?;
            }
        }
        put_cursor(&tx, cursor_key, max)?;
        tx.commit()?;
        Ok(())
    }
}

/// Stores a sync cursor (in the caller's transaction when given one).
fn put_cursor(conn: &rusqlite::Connection, key: &str, value: impl ToString) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO sync_state (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value.to_string()],
    )?;
    Ok(())
}

/// Builds a staff row from central columns, refusing malformed ones.
pub fn central_staff(
    id: &str,
    name: String,
    role: &str,
    pin_hash: String,
    active: bool,
    lang: &str,
    version: i64,
) -> StoreResult<CentralStaff> {
    Ok(CentralStaff {
        staff: Staff {
            id: StaffId::parse(id).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            name,
            role: Role::parse(role).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            active,
            lang: super::staff::lang_from(lang)?,
        },
        pin_hash,
        version,
    })
}

/// Builds a product row from central columns, refusing malformed ones.
pub fn central_product(
    code: &str,
    barcode: Option<&str>,
    name: String,
    price_cents: i64,
    vat_rate: u8,
    active: bool,
    version: i64,
) -> StoreResult<CentralProduct> {
    let corrupt = |e: String| StoreError::Corrupt(e);
    if price_cents < 0 {
        return Err(corrupt(format!("product {code}: negative price")));
    }
    Ok(CentralProduct {
        product: Product {
            code: ArticleCode::parse(code).map_err(|e| corrupt(e.to_string()))?,
            barcode: barcode
                .map(Gtin::parse)
                .transpose()
                .map_err(|e| corrupt(e.to_string()))?,
            name,
            price: Money::from_cents(price_cents),
            vat: VatRate::try_from(vat_rate).map_err(|e| corrupt(e.to_string()))?,
            active,
        },
        version,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sales::tests::draft;
    use crate::store::testing::ledger_with_open_drawer as ledger;

    #[test]
    fn batches_skip_sent_and_parked_rows_and_keep_order() {
        let (_d, mut l) = ledger();
        let tz = chrono_tz::Europe::Brussels;
        for id in ["a", "b", "c"] {
            l.commit_sale(draft(100), id.into(), "till-1", Utc::now(), tz)
                .unwrap();
        }
        let batch = l.outbox_batch(10).unwrap();
        assert_eq!(
            batch
                .iter()
                .map(|r| r.entity_id.as_str())
                .collect::<Vec<_>>(),
            ["a", "b", "c"]
        );
        l.park(batch[0].seq, "refused", Utc::now()).unwrap();
        l.mark_sent(&[batch[1].seq], Utc::now()).unwrap();
        let rest = l.outbox_batch(10).unwrap();
        // The parking itself is audited, and audit events travel too.
        assert_eq!(
            (rest[0].kind.as_str(), rest[0].entity_id.as_str()),
            ("sale", "c")
        );
        assert_eq!(rest[1].kind, "audit");
        assert!(
            rest[1].payload.contains("outbox_parked"),
            "{}",
            rest[1].payload
        );
        assert_eq!(rest.len(), 2);
        // The parked row still waits: it is not in the central database either.
        assert_eq!(
            l.outbox_waiting().unwrap(),
            Waiting {
                pending: 3,
                parked: 1
            }
        );
        assert_eq!(l.audit_log(1).unwrap()[0].action, "outbox_parked");
        // A round pushes what was there when it began, not the audit row of its own parking.
        assert_eq!(l.outbox_batch_upto(10, batch[2].seq).unwrap().len(), 1);
        assert_eq!(l.outbox_last_seq().unwrap(), rest[1].seq);
    }

    #[test]
    fn retry_parked_puts_parked_rows_back_once_and_audits_who_and_how_many() {
        let (_d, mut l) = ledger();
        let tz = chrono_tz::Europe::Brussels;
        for id in ["a", "b"] {
            l.commit_sale(draft(100), id.into(), "till-1", Utc::now(), tz)
                .unwrap();
        }
        let batch = l.outbox_batch(10).unwrap();
        l.park(batch[0].seq, "conflict", Utc::now()).unwrap();
        l.park(batch[1].seq, "conflict", Utc::now()).unwrap();
        assert_eq!(l.outbox_waiting().unwrap().parked, 2);
        assert_eq!(
            l.retry_parked("root (command line)", Utc::now()).unwrap(),
            2
        );
        let w = l.outbox_waiting().unwrap();
        assert_eq!(
            (w.parked, w.pending),
            (0, 5),
            "2 sales, 2 parkings, 1 retry"
        );
        let last = &l.audit_log(1).unwrap()[0];
        assert_eq!(last.action, "outbox_retried");
        assert!(
            last.detail.contains("2 parked") && last.detail.contains("root"),
            "{}",
            last.detail
        );
        // Nothing parked: nothing done, nothing audited.
        assert_eq!(l.retry_parked("root", Utc::now()).unwrap(), 0);
        assert_eq!(l.audit_log(1).unwrap()[0].action, "outbox_retried");
        assert_eq!(l.outbox_batch(10).unwrap()[0].entity_id, "a");
    }

    #[test]
    fn pulled_staff_replace_the_cache_and_move_the_cursor() {
        let (_d, mut l) = ledger();
        let s = central_staff(
            "14",
            "Khadija".into(),
            "cashier",
            "$argon2id$x".into(),
            true,
            "fr",
            7,
        )
        .unwrap();
        l.apply_central_staff(&[s], "staff").unwrap();
        assert_eq!(l.sync_cursor("staff").unwrap().as_deref(), Some("7"));
        let s = central_staff(
            "14",
            "Khadija".into(),
            "cashier",
            "$argon2id$y".into(),
            false,
            "nl",
            9,
        )
        .unwrap();
        l.apply_central_staff(&[s], "staff").unwrap();
        let rec = l
            .staff_record(&StaffId::parse("14").unwrap())
            .unwrap()
            .unwrap();
        assert!(!rec.staff.active);
        assert_eq!(
            rec.staff.lang,
            crate::i18n::Lang::Nl,
            "the language is pulled too"
        );
        assert_eq!(rec.pin_hash, "$argon2id$y");
        assert!(central_staff("x", "A".into(), "cashier", "h".into(), true, "fr", 1).is_err());
        assert!(central_product("1", Some("123"), "A".into(), 1, 6, true, 1).is_err());
    }
}
