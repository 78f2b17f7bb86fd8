//! Committing a sale (one transaction for the sale, its lines, its outbox row, its print job,
//! the day totals and the chain head) and reading sales back. The print queue itself is
//! src/store/print_queue.rs.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::{OptionalExtension, Transaction, params};

use crate::domain::sale::{GENESIS_HASH, OriginalRef, SaleKind, SaleLine, format_instant};
use crate::domain::{Account, LineKind, Money, PaymentMethod, Sale, SaleDraft, StaffId, VatRate};

use super::{Ledger, StoreError, StoreResult, parse_ts, ts};

/// The result of a commit: the sealed sale and whether the clock was behind the last sale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommittedSale {
    pub sale: Sale,
    pub print_job: i64,
    /// The wall clock read earlier than the till's previous sale: the sale was dated at the
    /// previous sale's time instead (the ledger's times never go backwards) and this was audited.
    pub clock_behind: bool,
}

fn chain_head(
    tx: &Transaction<'_>,
    till_id: &str,
) -> StoreResult<Option<(i64, String, DateTime<Utc>)>> {
    let row: Option<(i64, String, String)> = tx
        .query_row(
            "SELECT ticket_no, hash, paid_at FROM chain_heads WHERE till_id = ?1",
            [till_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    row.map(|(n, h, at)| Ok((n, h, parse_ts(&at)?))).transpose()
}

impl Ledger {
    /// Seals and writes a sale. Ticket numbers are gapless per till because the number is taken
    /// from the chain head inside the same `BEGIN IMMEDIATE` transaction that writes the sale.
    pub fn commit_sale(
        &mut self,
        draft: SaleDraft,
        sale_id: String,
        till_id: &str,
        now: DateTime<Utc>,
        tz: Tz,
    ) -> StoreResult<CommittedSale> {
        let tx = self.write_tx()?;
        if let Some(reference) = &draft.payment_ref {
            let existing: Option<(String, i64)> = tx
                .query_row(
                    "SELECT id, ticket_no FROM sales WHERE payment_ref = ?1",
                    [reference],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((id, ticket)) = existing {
                return Err(StoreError::AlreadyRecorded {
                    payment_ref: reference.clone(),
                    sale_id: id,
                    ticket_no: ticket,
                });
            }
        }
        let head = chain_head(&tx, till_id)?;
        let (ticket_no, prev_hash, last_at) = match head {
            Some((n, h, at)) => (n + 1, h, Some(at)),
            None => (1, GENESIS_HASH.to_owned(), None),
        };
        let clock_behind = last_at.is_some_and(|last| now < last);
        let paid_at = match last_at {
            Some(last) if now < last => last,
            _ => now,
        };
        let sale = draft.seal(sale_id, till_id.to_owned(), ticket_no, paid_at, prev_hash);
        if sale.kind == SaleKind::Refund {
            super::refunds::check_returnable(&tx, &sale)?;
        }
        let day = paid_at.with_timezone(&tz).date_naive().to_string();
        let paid_at_s = ts(sale.paid_at);
        // Every sale belongs to a drawer session (the till opens one if none is).
        let drawer_session =
            super::drawer::session_for_sale(&tx, till_id, sale.staff_id.as_str(), sale.paid_at)?;
        tx.execute(
            "INSERT INTO sales (id, till_id, ticket_no, staff_id, staff_name, account, method, payment_ref,
               revenue_cents, withdrawal_cents, paid_cents, tendered_cents, change_cents, paid_at, day, prev_hash, hash, provider_ref, rounding_cents, drawer_session,
               kind, discount_cents, original_sale_id, original_till_id, original_ticket_no, original_paid_at, original_method, reason, approved_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
               ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29)",
            params![
                sale.id,
                sale.till_id,
                sale.ticket_no,
                sale.staff_id.as_str(),
                sale.staff_name,
                sale.account.as_str(),
                sale.method.as_str(),
                sale.payment_ref,
                sale.revenue.cents(),
                sale.withdrawal.cents(),
                sale.paid.cents(),
                sale.tendered.map(Money::cents),
                sale.change.cents(),
                paid_at_s,
                day,
                sale.prev_hash,
                sale.hash,
                sale.provider_ref,
                sale.rounding.cents(),
                drawer_session,
                sale.kind.as_str(),
                sale.discount.cents(),
                sale.original.as_ref().map(|o| o.sale_id.as_str()),
                sale.original.as_ref().map(|o| o.till_id.as_str()),
                sale.original.as_ref().map(|o| o.ticket_no),
                sale.original.as_ref().map(|o| ts(o.paid_at)),
                sale.original.as_ref().map(|o| o.method.as_str()),
                sale.reason,
                sale.approved_by
            ],
        )?;
        {
            let mut line_stmt = tx.prepare_cached(
                "INSERT INTO sale_lines (sale_id, line_no, kind, product_code, name, unit_cents, qty, total_cents, vat_rate, discount_cents, original_line)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?;
            let mut vat_stmt = tx.prepare_cached(
                "INSERT INTO day_vat (day, till_id, vat_rate, gross_cents) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (day, till_id, vat_rate) DO UPDATE SET gross_cents = gross_cents + excluded.gross_cents",
            )?;
            for l in &sale.lines {
                line_stmt.execute(params![
                    sale.id,
                    l.line_no,
                    l.kind.as_str(),
                    l.product_code,
                    l.name,
                    l.unit.cents(),
                    l.qty,
                    l.total.cents(),
                    l.vat.map(VatRate::percent),
                    l.discount.cents(),
                    l.original_line
                ])?;
                if let (LineKind::Item, Some(rate)) = (l.kind, l.vat) {
                    vat_stmt.execute(params![
                        day,
                        sale.till_id,
                        rate.percent(),
                        l.total.cents()
                    ])?;
                }
            }
        }
        // A refund is not a ticket sold: it counts among the day's refunds (its amount is
        // negative), and its negative revenue makes revenue the day's net.
        let (tickets, refunds, refund_cents) = match sale.kind {
            SaleKind::Sale => (1, 0, 0),
            SaleKind::Refund => (0, 1, sale.revenue.cents()),
        };
        tx.execute(
            "INSERT INTO day_totals (day, till_id, tickets, revenue_cents, withdrawal_cents, rounding_cents, refunds, refund_cents, discount_cents)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (day, till_id) DO UPDATE SET tickets = tickets + excluded.tickets,
               revenue_cents = revenue_cents + excluded.revenue_cents,
               withdrawal_cents = withdrawal_cents + excluded.withdrawal_cents,
               rounding_cents = rounding_cents + excluded.rounding_cents,
               refunds = refunds + excluded.refunds,
               refund_cents = refund_cents + excluded.refund_cents,
               discount_cents = discount_cents + excluded.discount_cents",
            params![day, sale.till_id, tickets, sale.revenue.cents(), sale.withdrawal.cents(), sale.rounding.cents(),
                refunds, refund_cents, sale.discount.cents()],
        )?;
        tx.execute(
            "INSERT INTO chain_heads (till_id, ticket_no, hash, paid_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (till_id) DO UPDATE SET ticket_no = excluded.ticket_no, hash = excluded.hash, paid_at = excluded.paid_at",
            params![sale.till_id, sale.ticket_no, sale.hash, paid_at_s],
        )?;
        let payload =
            serde_json::to_string(&sale).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        tx.execute(
            "INSERT INTO outbox (kind, entity_id, payload, created_at) VALUES ('sale', ?1, ?2, ?3)",
            params![sale.id, payload, ts(now)],
        )?;
        tx.execute(
            "INSERT INTO print_jobs (sale_id, created_at) VALUES (?1, ?2)",
            params![sale.id, ts(now)],
        )?;
        let print_job = tx.last_insert_rowid();
        if let (PaymentMethod::Qr, Some(reference)) = (sale.method, &sale.payment_ref) {
            // The intent this sale is the payment of (LAN intents carry a `lan:` prefix).
            let intent = reference.strip_prefix("lan:").unwrap_or(reference);
            let known: bool = tx.query_row(
                "SELECT count(*) > 0 FROM payment_intents WHERE id = ?1",
                [intent],
                |r| r.get(0),
            )?;
            if known {
                super::intents::move_in(
                    &tx,
                    intent,
                    super::intents::IntentState::Recorded,
                    &format!("ticket {}", sale.ticket_no),
                    now,
                    Some(&sale.id),
                )?;
            }
        }
        if clock_behind {
            super::audit::audit_in(
                &tx,
                now,
                Some(sale.staff_id.as_str()),
                "clock_behind",
                &format!(
                    "clock read {} before the last sale at {}; ticket {} dated {}",
                    format_instant(now),
                    paid_at_s,
                    sale.ticket_no,
                    paid_at_s
                ),
            )?;
        }
        tx.commit()?;
        Ok(CommittedSale {
            sale,
            print_job,
            clock_behind,
        })
    }

    /// The time of the till's newest sale: the clock guard compares the wall clock with it.
    pub fn last_paid_at(&self, till_id: &str) -> StoreResult<Option<DateTime<Utc>>> {
        let s: Option<String> = self
            .conn
            .query_row(
                "SELECT paid_at FROM chain_heads WHERE till_id = ?1",
                [till_id],
                |r| r.get(0),
            )
            .optional()?;
        s.map(|s| parse_ts(&s)).transpose()
    }

    pub fn sale(&self, id: &str) -> StoreResult<Sale> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, till_id, ticket_no, staff_id, staff_name, account, method, payment_ref, revenue_cents,
               withdrawal_cents, paid_cents, tendered_cents, change_cents, paid_at, prev_hash, hash, provider_ref, rounding_cents,
               kind, discount_cents, original_sale_id, original_till_id, original_ticket_no, original_paid_at, original_method,
               reason, approved_by
             FROM sales WHERE id = ?1",
        )?;
        let head = stmt
            .query_row([id], |r| {
                Ok((
                    (
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                    ),
                    (
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, Option<String>>(7)?,
                    ),
                    (
                        r.get::<_, i64>(8)?,
                        r.get::<_, i64>(9)?,
                        r.get::<_, i64>(10)?,
                        r.get::<_, Option<i64>>(11)?,
                        r.get::<_, i64>(12)?,
                    ),
                    (
                        r.get::<_, String>(13)?,
                        r.get::<_, String>(14)?,
                        r.get::<_, String>(15)?,
                        r.get::<_, Option<String>>(16)?,
                        r.get::<_, i64>(17)?,
                    ),
                    (
                        r.get::<_, String>(18)?,
                        r.get::<_, i64>(19)?,
                        (
                            r.get::<_, Option<String>>(20)?,
                            r.get::<_, Option<String>>(21)?,
                            r.get::<_, Option<i64>>(22)?,
                            r.get::<_, Option<String>>(23)?,
                            r.get::<_, Option<String>>(24)?,
                        ),
                        r.get::<_, Option<String>>(25)?,
                        r.get::<_, Option<String>>(26)?,
                    ),
                ))
            })
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("sale {id}")))?;
        let (
            (id, till_id, ticket_no, staff_id, staff_name),
            (account, method, payment_ref),
            (rev, wd, paid, tendered, change),
            (paid_at, prev_hash, hash, provider_ref, rounding),
            (kind, discount, original, reason, approved_by),
        ) = head;
        let corrupt = |what: &str| StoreError::Corrupt(format!("sale {id}: bad {what}"));
        let original = match original {
            (Some(sale_id), Some(till_id), Some(ticket_no), Some(paid_at), Some(method)) => {
                Some(OriginalRef {
                    sale_id,
                    till_id,
                    ticket_no,
                    paid_at: parse_ts(&paid_at)?,
                    method: PaymentMethod::parse(&method)
                        .ok_or_else(|| corrupt("original method"))?,
                })
            }
            (None, None, None, None, None) => None,
            _ => return Err(corrupt("original sale")),
        };
        Ok(Sale {
            lines: self.sale_lines(&id)?,
            till_id,
            ticket_no,
            staff_id: StaffId::parse(&staff_id).map_err(|_| corrupt("staff id"))?,
            staff_name,
            account: Account::parse(&account).ok_or_else(|| corrupt("account"))?,
            method: PaymentMethod::parse(&method).ok_or_else(|| corrupt("method"))?,
            payment_ref,
            provider_ref,
            revenue: Money::from_cents(rev),
            withdrawal: Money::from_cents(wd),
            paid: Money::from_cents(paid),
            rounding: Money::from_cents(rounding),
            tendered: tendered.map(Money::from_cents),
            change: Money::from_cents(change),
            discount: Money::from_cents(discount),
            kind: SaleKind::parse(&kind).ok_or_else(|| corrupt("kind"))?,
            original,
            reason,
            approved_by,
            paid_at: parse_ts(&paid_at)?,
            prev_hash,
            hash,
            id,
        })
    }

    fn sale_lines(&self, sale_id: &str) -> StoreResult<Vec<SaleLine>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT line_no, kind, product_code, name, unit_cents, qty, total_cents, vat_rate, discount_cents, original_line
             FROM sale_lines WHERE sale_id = ?1 ORDER BY line_no",
        )?;
        let rows = stmt.query_map([sale_id], |r| {
            Ok((
                r.get::<_, u32>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, i64>(6)?,
                r.get::<_, Option<u8>>(7)?,
                r.get::<_, i64>(8)?,
                r.get::<_, Option<u32>>(9)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (line_no, kind, product_code, name, unit, qty, total, vat, discount, original_line) =
                row?;
            out.push(SaleLine {
                line_no,
                kind: LineKind::parse(&kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("line kind {kind}")))?,
                product_code,
                name,
                unit: Money::from_cents(unit),
                qty,
                total: Money::from_cents(total),
                vat: vat
                    .map(VatRate::try_from)
                    .transpose()
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                discount: Money::from_cents(discount),
                original_line,
            });
        }
        Ok(out)
    }

    /// The id of the till's newest sale (for a reprint).
    pub fn last_sale_id(&self, till_id: &str) -> StoreResult<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM sales WHERE till_id = ?1 ORDER BY ticket_no DESC LIMIT 1",
                [till_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The till's last ticket number, 0 before its first sale.
    pub fn last_ticket_no(&self, till_id: &str) -> StoreResult<i64> {
        Ok(self
            .conn
            .query_row(
                "SELECT ticket_no FROM chain_heads WHERE till_id = ?1",
                [till_id],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0))
    }

    pub fn sale_count(&self) -> StoreResult<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM sales", [], |r| r.get(0))?)
    }

    /// The ticket numbers of a till, in order (tests and `verify` check there is no gap).
    pub fn ticket_numbers(&self, till_id: &str) -> StoreResult<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare("SELECT ticket_no FROM sales WHERE till_id = ?1 ORDER BY ticket_no")?;
        let rows = stmt.query_map([till_id], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Rows of the outbox not yet acknowledged by the central database.
    pub fn outbox_pending(&self) -> StoreResult<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM outbox WHERE sent_at IS NULL",
            [],
            |r| r.get(0),
        )?)
    }

    /// Days (shop-local) on which this ledger holds sales; used by tests.
    pub fn day_of_sale(&self, id: &str) -> StoreResult<NaiveDate> {
        let s: String = self
            .conn
            .query_row("SELECT day FROM sales WHERE id = ?1", [id], |r| r.get(0))?;
        s.parse()
            .map_err(|_| StoreError::Corrupt(format!("bad day {s}")))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::basket::Basket;
    use crate::domain::{ArticleCode, Product};
    use crate::store::testing::ledger;
    use chrono::Duration;

    pub(crate) fn draft(cents: i64) -> SaleDraft {
        let mut b = Basket::new();
        b.add_item(&Product {
            code: ArticleCode::parse("1").unwrap(),
            barcode: None,
            name: "Croissant".into(),
            price: Money::from_cents(cents),
            vat: VatRate::Six,
            active: true,
        })
        .unwrap();
        SaleDraft::new(
            StaffId::parse("27").unwrap(),
            "AWA".into(),
            Account::Main,
            &b.take(Account::Main),
            PaymentMethod::Cash,
            None,
        )
        .unwrap()
    }

    #[test]
    fn a_committed_sale_reads_back_identically_and_chains() {
        let (_d, mut l) = crate::store::testing::ledger_with_open_drawer();
        let now = Utc::now();
        let tz = chrono_tz::Europe::Brussels;
        let a = l
            .commit_sale(draft(100), "a".into(), "till-1", now, tz)
            .unwrap();
        let b = l
            .commit_sale(
                draft(200),
                "b".into(),
                "till-1",
                now + Duration::seconds(1),
                tz,
            )
            .unwrap();
        assert_eq!(a.sale.ticket_no, 1);
        assert_eq!(b.sale.ticket_no, 2);
        assert_eq!(b.sale.prev_hash, a.sale.hash);
        assert_eq!(l.sale("b").unwrap(), b.sale);
        assert_eq!(l.outbox_pending().unwrap(), 2);
        assert_eq!(l.next_print_job().unwrap().unwrap().sale_id(), Some("a"));
        l.mark_printed(a.print_job, now).unwrap();
        assert_eq!(l.next_print_job().unwrap().unwrap().sale_id(), Some("b"));
    }

    #[test]
    fn a_clock_behind_the_last_sale_is_not_trusted() {
        let (_d, mut l) = ledger();
        let now = crate::domain::sale::truncate_to_millis(Utc::now());
        let tz = chrono_tz::Europe::Brussels;
        l.commit_sale(draft(100), "a".into(), "till-1", now, tz)
            .unwrap();
        let b = l
            .commit_sale(
                draft(100),
                "b".into(),
                "till-1",
                now - Duration::hours(3),
                tz,
            )
            .unwrap();
        assert!(b.clock_behind);
        assert_eq!(b.sale.paid_at, now);
        assert_eq!(l.audit_log(1).unwrap()[0].action, "clock_behind");
    }

    #[test]
    fn sales_cannot_be_changed_or_deleted_through_the_ledger() {
        let (_d, mut l) = ledger();
        l.commit_sale(
            draft(100),
            "a".into(),
            "till-1",
            Utc::now(),
            chrono_tz::Europe::Brussels,
        )
        .unwrap();
        assert!(l.connection().execute("DELETE FROM sales", []).is_err());
        assert!(
            l.connection()
                .execute("UPDATE sale_lines SET qty = 5", [])
                .is_err()
        );
        assert_eq!(l.sale_count().unwrap(), 1);
    }
}
