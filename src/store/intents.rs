//! QR payment intents in the ledger (money is never lost): written before the payment server
//! is asked, with the exact lines and amount they pay; every state change is a row of
//! `payment_intent_events` and replaces the intent's row in the outbox, so the central database
//! learns each intent's latest state (forward moves only, there too). The sale recorded for a
//! paid intent marks it `recorded` in the same transaction (see `commit_sale`), and
//! `UNIQUE(payment_ref)` makes a second sale for it impossible.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::domain::basket::{Line, LineKind, Lines};
use crate::domain::{Account, ArticleCode, Money, StaffId, VatRate};

use super::{Ledger, StoreError, StoreResult, parse_ts, ts};

/// Where an intent stands, as the till knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntentState {
    /// Written, the payment server not yet asked (or its answer not yet heard).
    Creating,
    /// On the server, waiting for the customer.
    Pending,
    /// The customer paid; no sale recorded yet.
    Paid,
    /// The cashier cancelled; the server has not confirmed it yet.
    Cancelling,
    Cancelled,
    Expired,
    /// No server took it (the customer never saw a QR code).
    Failed,
    /// Its sale is in the ledger.
    Recorded,
}

impl IntentState {
    pub fn as_str(self) -> &'static str {
        match self {
            IntentState::Creating => "creating",
            IntentState::Pending => "pending",
            IntentState::Paid => "paid",
            IntentState::Cancelling => "cancelling",
            IntentState::Cancelled => "cancelled",
            IntentState::Expired => "expired",
            IntentState::Failed => "failed",
            IntentState::Recorded => "recorded",
        }
    }

    pub fn parse(s: &str) -> Option<IntentState> {
        Some(match s {
            "creating" => IntentState::Creating,
            "pending" => IntentState::Pending,
            "paid" => IntentState::Paid,
            "cancelling" => IntentState::Cancelling,
            "cancelled" => IntentState::Cancelled,
            "expired" => IntentState::Expired,
            "failed" => IntentState::Failed,
            "recorded" => IntentState::Recorded,
            _ => return None,
        })
    }

    pub fn is_final(self) -> bool {
        matches!(
            self,
            IntentState::Cancelled
                | IntentState::Expired
                | IntentState::Failed
                | IntentState::Recorded
        )
    }

    /// The moves an intent may make; anything else is refused (states only move forward).
    pub fn may_become(self, next: IntentState) -> bool {
        use IntentState::*;
        matches!(
            (self, next),
            (
                Creating,
                Pending | Failed | Paid | Cancelling | Cancelled | Expired
            ) | (Pending, Paid | Cancelling | Cancelled | Expired)
                | (Cancelling, Paid | Cancelled | Expired)
                | (Paid, Recorded)
        )
    }

    /// Order of the states for the central database's forward-only upsert.
    pub fn rank(self) -> i64 {
        match self {
            IntentState::Creating => 0,
            IntentState::Pending => 1,
            IntentState::Cancelling => 2,
            IntentState::Paid
            | IntentState::Cancelled
            | IntentState::Expired
            | IntentState::Failed => 3,
            IntentState::Recorded => 4,
        }
    }
}

/// An intent as the ledger keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntentRecord {
    pub id: String,
    pub till_id: String,
    pub account: Account,
    pub staff_id: StaffId,
    pub staff_name: String,
    pub amount: Money,
    pub lines: Lines,
    /// `Some(true)`: the till's own LAN server; `Some(false)`: the hosted one; `None`: not yet
    /// created on any.
    pub lan: Option<bool>,
    pub pay_url: Option<String>,
    /// The provider's payment id (Payconiq's `paymentId`), when a provider takes it.
    pub provider_ref: Option<String>,
    /// Unix milliseconds, as the server gave it.
    pub expires_at: Option<i64>,
    pub state: IntentState,
    pub sale_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A line as stored in `payment_intents.lines` (JSON).
#[derive(Serialize, Deserialize)]
struct StoredLine {
    kind: String,
    code: Option<String>,
    name: String,
    unit_cents: i64,
    qty: i64,
    vat: Option<u8>,
    /// Every discount of the line as an amount (a payment pays what was shown, frozen).
    #[serde(default, skip_serializing_if = "is_zero")]
    discount_cents: i64,
}

fn is_zero(v: &i64) -> bool {
    *v == 0
}

fn lines_json(lines: &Lines) -> String {
    let stored: Vec<StoredLine> = lines
        .as_slice()
        .iter()
        .zip(lines.priced())
        .map(|(l, p)| StoredLine {
            kind: l.kind.as_str().to_owned(),
            code: l.code.as_ref().map(|c| c.as_str().to_owned()),
            name: l.name.clone(),
            unit_cents: l.unit.cents(),
            qty: l.qty,
            vat: l.vat.map(VatRate::percent),
            discount_cents: p.discount.cents(),
        })
        .collect();
    serde_json::to_string(&stored).unwrap_or_else(|_| "[]".to_owned())
}

fn parse_lines(id: &str, s: &str) -> StoreResult<Lines> {
    let bad = |what: &str| StoreError::Corrupt(format!("intent {id}: {what}"));
    let stored: Vec<StoredLine> = serde_json::from_str(s).map_err(|e| bad(&e.to_string()))?;
    let mut lines = Vec::with_capacity(stored.len());
    for l in stored {
        lines.push(Line {
            kind: LineKind::parse(&l.kind).ok_or_else(|| bad("line kind"))?,
            code: l
                .code
                .map(|c| ArticleCode::parse(&c))
                .transpose()
                .map_err(|_| bad("article code"))?,
            name: l.name,
            unit: Money::from_cents(l.unit_cents),
            qty: l.qty,
            vat: l
                .vat
                .map(VatRate::try_from)
                .transpose()
                .map_err(|_| bad("VAT rate"))?,
            discount: (l.discount_cents != 0).then(|| {
                crate::domain::discount::Discount::new(
                    crate::domain::discount::DiscountRule::Fixed(Money::from_cents(
                        l.discount_cents,
                    )),
                )
            }),
        });
    }
    Ok(Lines::from_lines(lines))
}

const COLUMNS: &str = "id, till_id, account, staff_id, staff_name, amount_cents, lines, server, pay_url, expires_at, state, sale_id, created_at, provider_ref";

type RawIntent = (
    String,
    String,
    String,
    String,
    String,
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    String,
    Option<String>,
    String,
    Option<String>,
);

fn raw(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawIntent> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
        r.get(10)?,
        r.get(11)?,
        r.get(12)?,
        r.get(13)?,
    ))
}

fn record(raw: RawIntent) -> StoreResult<IntentRecord> {
    let (
        id,
        till_id,
        account,
        staff_id,
        staff_name,
        amount,
        lines,
        server,
        pay_url,
        exp,
        state,
        sale_id,
        created_at,
        provider_ref,
    ) = raw;
    let bad = |what: &str| StoreError::Corrupt(format!("intent {id}: {what}"));
    Ok(IntentRecord {
        account: Account::parse(&account).ok_or_else(|| bad("account"))?,
        staff_id: StaffId::parse(&staff_id).map_err(|_| bad("staff id"))?,
        lines: parse_lines(&id, &lines)?,
        lan: server.map(|s| s == "lan"),
        state: IntentState::parse(&state).ok_or_else(|| bad("state"))?,
        created_at: parse_ts(&created_at)?,
        amount: Money::from_cents(amount),
        id,
        till_id,
        staff_name,
        pay_url,
        provider_ref,
        expires_at: exp,
        sale_id,
    })
}

/// The intent's outbox payload: what the central database keeps of it.
fn outbox_payload(rec: &IntentRecord, at: DateTime<Utc>) -> String {
    serde_json::json!({
        "id": rec.id,
        "account": rec.account.as_str(),
        "staff_id": rec.staff_id.to_string(),
        "amount_cents": rec.amount.cents(),
        "server": rec.lan.map(|l| if l { "lan" } else { "hosted" }),
        "state": rec.state.as_str(),
        "state_rank": rec.state.rank(),
        "sale_id": rec.sale_id,
        "created_at": ts(rec.created_at),
        "updated_at": ts(at),
    })
    .to_string()
}

/// Records a move of `id` to `next` inside `tx`: the row, its event, its outbox row.
/// Refuses (Conflict) a move that is not forward; moving to the state it is in changes nothing.
pub(super) fn move_in(
    tx: &rusqlite::Connection,
    id: &str,
    next: IntentState,
    detail: &str,
    at: DateTime<Utc>,
    sale_id: Option<&str>,
) -> StoreResult<IntentRecord> {
    let current = tx
        .query_row(
            &format!("SELECT {COLUMNS} FROM payment_intents WHERE id = ?1"),
            [id],
            raw,
        )
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("payment intent {id}")))?;
    let mut rec = record(current)?;
    if rec.state == next {
        return Ok(rec);
    }
    if !rec.state.may_become(next) {
        return Err(StoreError::Conflict(format!(
            "payment intent {id} is {}: it cannot become {}",
            rec.state.as_str(),
            next.as_str()
        )));
    }
    tx.execute(
        "UPDATE payment_intents SET state = ?2, updated_at = ?3, sale_id = COALESCE(?4, sale_id) WHERE id = ?1",
        params![id, next.as_str(), ts(at), sale_id],
    )?;
    tx.execute(
        "INSERT INTO payment_intent_events (intent_id, at, state, detail) VALUES (?1, ?2, ?3, ?4)",
        params![id, ts(at), next.as_str(), detail],
    )?;
    rec.state = next;
    if let Some(s) = sale_id {
        rec.sale_id = Some(s.to_owned());
    }
    push_in(tx, &rec, at)?;
    Ok(rec)
}

/// Replaces the intent's outbox row by one holding its latest state (a new row, so a batch
/// being pushed with the older state cannot mark the newer one sent).
fn push_in(tx: &rusqlite::Connection, rec: &IntentRecord, at: DateTime<Utc>) -> StoreResult<()> {
    tx.execute(
        "DELETE FROM outbox WHERE kind = 'intent' AND entity_id = ?1",
        [&rec.id],
    )?;
    tx.execute(
        "INSERT INTO outbox (kind, entity_id, payload, created_at) VALUES ('intent', ?1, ?2, ?3)",
        params![rec.id, outbox_payload(rec, at), ts(at)],
    )?;
    Ok(())
}

/// What a new intent is made of.
pub struct NewIntentRecord<'a> {
    pub id: &'a str,
    pub till_id: &'a str,
    pub account: Account,
    pub staff_id: &'a StaffId,
    pub staff_name: &'a str,
    pub lines: &'a Lines,
}

impl Ledger {
    /// Writes a new intent, `creating`, before any server is asked.
    pub fn intent_create(
        &mut self,
        new: &NewIntentRecord<'_>,
        at: DateTime<Utc>,
    ) -> StoreResult<IntentRecord> {
        let tx = self.write_tx()?;
        tx.execute(
            "INSERT INTO payment_intents (id, till_id, account, staff_id, staff_name, amount_cents, lines, state, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'creating', ?8, ?8)",
            params![
                new.id,
                new.till_id,
                new.account.as_str(),
                new.staff_id.to_string(),
                new.staff_name,
                new.lines.total().cents(),
                lines_json(new.lines),
                ts(at)
            ],
        )?;
        tx.execute(
            "INSERT INTO payment_intent_events (intent_id, at, state, detail) VALUES (?1, ?2, 'creating', '')",
            params![new.id, ts(at)],
        )?;
        let rec = IntentRecord {
            id: new.id.to_owned(),
            till_id: new.till_id.to_owned(),
            account: new.account,
            staff_id: new.staff_id.clone(),
            staff_name: new.staff_name.to_owned(),
            amount: new.lines.total(),
            lines: new.lines.clone(),
            lan: None,
            pay_url: None,
            provider_ref: None,
            expires_at: None,
            state: IntentState::Creating,
            sale_id: None,
            created_at: at,
        };
        push_in(&tx, &rec, at)?;
        tx.commit()?;
        Ok(rec)
    }

    /// The server took the intent: where it lives, the URL its QR code shows, when it expires.
    pub fn intent_created(
        &mut self,
        id: &str,
        lan: bool,
        pay_url: &str,
        provider_ref: Option<&str>,
        expires_at: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<IntentRecord> {
        let tx = self.write_tx()?;
        tx.execute(
            "UPDATE payment_intents SET server = ?2, pay_url = ?3, expires_at = ?4, provider_ref = ?5 WHERE id = ?1",
            params![id, if lan { "lan" } else { "hosted" }, pay_url, expires_at, provider_ref],
        )?;
        let rec = move_in(
            &tx,
            id,
            IntentState::Pending,
            if lan { "lan" } else { "hosted" },
            at,
            None,
        )?;
        tx.commit()?;
        Ok(rec)
    }

    /// Moves an intent forward (see [`IntentState::may_become`]).
    pub fn intent_move(
        &mut self,
        id: &str,
        next: IntentState,
        detail: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<IntentRecord> {
        let tx = self.write_tx()?;
        let rec = move_in(&tx, id, next, detail, at, None)?;
        tx.commit()?;
        Ok(rec)
    }

    pub fn intent(&self, id: &str) -> StoreResult<Option<IntentRecord>> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM payment_intents WHERE id = ?1"),
                [id],
                raw,
            )
            .optional()?
            .map(record)
            .transpose()
    }

    /// Every intent that is not final, oldest first: what a till re-attaches to at start-up.
    pub fn intents_open(&self) -> StoreResult<Vec<IntentRecord>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM payment_intents
             WHERE state NOT IN ('cancelled', 'expired', 'failed', 'recorded') ORDER BY created_at, id"
        ))?;
        let rows = stmt.query_map([], raw)?;
        rows.map(|r| record(r?)).collect()
    }

    /// The states an intent went through, oldest first.
    pub fn intent_history(&self, id: &str) -> StoreResult<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare(
            "SELECT state, detail FROM payment_intent_events WHERE intent_id = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{PaymentMethod, SaleDraft};
    use crate::store::testing;

    fn lines() -> Lines {
        Lines::from_lines(vec![
            Line {
                kind: LineKind::Item,
                code: Some(ArticleCode::parse("1234").unwrap()),
                name: "Pain au chocolat".into(),
                unit: Money::from_cents(120),
                qty: 1,
                vat: Some(VatRate::Six),
                discount: None,
            },
            Line {
                kind: LineKind::Withdrawal,
                code: None,
                name: crate::domain::basket::WITHDRAWAL_NAME.into(),
                unit: Money::from_cents(1500),
                qty: 1,
                vat: None,
                discount: None,
            },
        ])
    }

    fn at(s: u32) -> DateTime<Utc> {
        chrono::DateTime::from_timestamp(1_780_000_000 + i64::from(s), 0).unwrap()
    }

    fn create(l: &mut Ledger, id: &str) -> IntentRecord {
        let staff = StaffId::parse("1").unwrap();
        l.intent_create(
            &NewIntentRecord {
                id,
                till_id: "till-1",
                account: Account::Main,
                staff_id: &staff,
                staff_name: "Marie",
                lines: &lines(),
            },
            at(0),
        )
        .unwrap()
    }

    #[test]
    fn an_intent_keeps_its_exact_lines_and_moves_only_forward() {
        let (_d, mut l) = testing::ledger();
        let rec = create(&mut l, "i-1");
        assert_eq!(rec.amount.cents(), 1620);
        let back = l.intent("i-1").unwrap().unwrap();
        assert_eq!(back.lines, lines());
        assert_eq!(back.state, IntentState::Creating);
        l.intent_created("i-1", false, "http://pay/p/x", Some("pq-1"), 99, at(1))
            .unwrap();
        l.intent_move("i-1", IntentState::Paid, "", at(2)).unwrap();
        // The provider's payment id is kept for the sale (and for a restart).
        let open = l.intents_open().unwrap();
        assert_eq!(open[0].provider_ref.as_deref(), Some("pq-1"));
        // Paid is not undone by a late "pending" or a cancel.
        for wrong in [
            IntentState::Pending,
            IntentState::Cancelling,
            IntentState::Cancelled,
        ] {
            assert!(matches!(
                l.intent_move("i-1", wrong, "", at(3)),
                Err(StoreError::Conflict(_))
            ));
        }
        assert_eq!(l.intents_open().unwrap().len(), 1);
        let states: Vec<String> = l
            .intent_history("i-1")
            .unwrap()
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        assert_eq!(states, ["creating", "pending", "paid"]);
        // One outbox row for the intent, holding its latest state.
        let payloads: Vec<String> = l
            .connection()
            .prepare("SELECT payload FROM outbox WHERE kind = 'intent'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(payloads.len(), 1);
        assert!(payloads[0].contains("\"state\":\"paid\""), "{payloads:?}");
    }

    #[test]
    fn the_sale_of_a_paid_intent_records_it_and_a_second_sale_is_impossible() {
        let (_d, mut l) = testing::ledger();
        create(&mut l, "i-2");
        l.intent_created("i-2", true, "http://lan/p/x", None, 99, at(1))
            .unwrap();
        l.intent_move("i-2", IntentState::Paid, "", at(2)).unwrap();
        let draft = || {
            let mut d = SaleDraft::new(
                StaffId::parse("1").unwrap(),
                "Marie".into(),
                Account::Main,
                &lines(),
                PaymentMethod::Qr,
                None,
            )
            .unwrap();
            d.payment_ref = Some("lan:i-2".into());
            d
        };
        let tz: chrono_tz::Tz = "Europe/Brussels".parse().unwrap();
        let sale = l
            .commit_sale(draft(), "s-1".into(), "till-1", at(3), tz)
            .unwrap();
        let rec = l.intent("i-2").unwrap().unwrap();
        assert_eq!(rec.state, IntentState::Recorded);
        assert_eq!(rec.sale_id.as_deref(), Some(sale.sale.id.as_str()));
        assert!(l.intents_open().unwrap().is_empty());
        assert!(
            l.commit_sale(draft(), "s-2".into(), "till-1", at(4), tz)
                .is_err(),
            "a second sale for one payment"
        );
        assert_eq!(l.sale_count().unwrap(), 1);
    }
}
