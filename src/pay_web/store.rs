//! Where intents live: behind [`IntentStore`], in SQLite (one shop, or the till's embedded
//! server) or MySQL/MariaDB (the hosted server: many shops, many tills, several instances).
//! Every state change is a compare-and-set (`UPDATE … WHERE status = 'pending' AND
//! expires_at > now`) plus an event row, in one transaction: a payment is confirmed exactly once
//! whatever the number of concurrent confirmations or instances.
//!
//! The SQLite store writes through one connection on a blocking thread, and answers the hot
//! point reads (a till's secret, an intent by id or token, its provider payment, the event
//! table's tail) on a few read-only connections, inline on the caller's thread: a read by key in
//! WAL mode takes microseconds and never waits for the writer, less than the hop to a blocking
//! thread it replaces (docs/BENCHMARKS.md, "Payment server": the hop and the shared mutex kept
//! the signed status route at a quarter of a bare actix-web route).

use std::future::Future;
use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use crate::secrets::Secret;

use super::api::{
    IntentEvent, IntentLine, IntentStatus, IntentView, NewIntent, RefundStatus, RefundView,
};

#[derive(Debug, thiserror::Error)]
pub enum IntentStoreError {
    #[error("database error: {0}")]
    Database(String),
    #[error("intent {0} exists with different content")]
    Conflict(String),
    #[error("till {0} is already registered")]
    TillExists(String),
    #[error("migration failed: {0}")]
    Migration(String),
}

impl From<rusqlite::Error> for IntentStoreError {
    fn from(e: rusqlite::Error) -> Self {
        IntentStoreError::Database(e.to_string())
    }
}

pub type IntentResult<T> = Result<T, IntentStoreError>;

/// An intent as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intent {
    pub id: String,
    pub token: String,
    pub till_id: String,
    pub account: String,
    pub seller: String,
    pub shop_name: String,
    pub lines: Vec<IntentLine>,
    pub amount_cents: i64,
    pub status: IntentStatus,
    pub request_hash: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub paid_at: Option<i64>,
}

/// The status at `now_ms`: a pending intent past its expiry is expired even before the sweeper
/// writes it.
fn status_at(status: IntentStatus, expires_at: i64, now_ms: i64) -> IntentStatus {
    if status == IntentStatus::Pending && expires_at <= now_ms {
        IntentStatus::Expired
    } else {
        status
    }
}

impl Intent {
    /// The status at `now_ms`: a pending intent past its expiry is expired even before the
    /// sweeper writes it.
    pub fn status_at(&self, now_ms: i64) -> IntentStatus {
        status_at(self.status, self.expires_at, now_ms)
    }

    pub fn view(&self, public_url: &str, now_ms: i64) -> IntentView {
        self.summary().view(public_url, now_ms)
    }

    pub fn summary(&self) -> IntentSummary {
        IntentSummary {
            id: self.id.clone(),
            token: self.token.clone(),
            till_id: self.till_id.clone(),
            account: self.account.clone(),
            amount_cents: self.amount_cents,
            status: self.status,
            expires_at: self.expires_at,
            paid_at: self.paid_at,
        }
    }
}

/// What a till's status request shows of an intent: an [`Intent`] without its lines, names and
/// request hash, so the hot read neither fetches nor parses them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntentSummary {
    pub id: String,
    pub token: String,
    pub till_id: String,
    pub account: String,
    pub amount_cents: i64,
    pub status: IntentStatus,
    pub expires_at: i64,
    pub paid_at: Option<i64>,
}

impl IntentSummary {
    pub fn view(self, public_url: &str, now_ms: i64) -> IntentView {
        IntentView {
            status: status_at(self.status, self.expires_at, now_ms),
            pay_url: format!("{}/p/{}", public_url.trim_end_matches('/'), self.token),
            intent_id: self.id,
            till_id: self.till_id,
            amount_cents: self.amount_cents,
            account: self.account,
            expires_at: self.expires_at,
            paid_at: self.paid_at,
            provider_ref: None,
            reason: None,
        }
    }
}

/// The hash of a creation request: a retry with the same id must carry the same content.
pub fn request_hash(till_id: &str, n: &NewIntent) -> String {
    let lines = serde_json::to_string(&n.lines).unwrap_or_default();
    let mut h = Sha256::new();
    for part in [
        till_id,
        &n.id.to_string(),
        &n.amount_cents.to_string(),
        &n.account,
        &n.seller,
        &n.shop_name,
        &lines,
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    hex::encode(h.finalize())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmOutcome {
    Confirmed(IntentEvent),
    /// Already paid, cancelled or expired: nothing changed.
    NotPending(IntentStatus),
    /// The amount on the customer's form is not the intent's amount: nothing changed.
    AmountMismatch,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CancelOutcome {
    Cancelled(IntentEvent),
    NotPending(IntentStatus),
    Unknown,
}

/// The provider's payment behind an intent (`provider_payments`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderPayment {
    pub intent_id: String,
    pub provider: String,
    /// Payconiq's `paymentId`.
    pub provider_ref: String,
    /// What the till's QR code shows.
    pub qr_url: String,
    /// Why it did not go through, once it did not.
    pub reason: Option<String>,
}

/// A refund of a paid intent through its provider (`provider_refunds`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRecord {
    /// The till's UUID: the idempotency key.
    pub refund_id: String,
    pub intent_id: String,
    /// The till that asked for it (a return may be made at another till than the sale).
    pub till_id: String,
    pub amount_cents: i64,
    pub description: String,
    pub status: RefundStatus,
    pub provider_refund_id: Option<String>,
    /// Why it failed: the provider error's code (`provider_refused`, `provider_bad_api_key`…).
    pub detail: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl RefundRecord {
    pub fn view(&self) -> RefundView {
        RefundView {
            refund_id: self.refund_id.clone(),
            intent_id: self.intent_id.clone(),
            amount_cents: self.amount_cents,
            status: self.status,
            provider_refund_id: self.provider_refund_id.clone(),
            reason: self.detail.clone(),
        }
    }
}

/// A refund to record: what the till asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRefund {
    pub refund_id: String,
    pub intent_id: String,
    pub till_id: String,
    pub amount_cents: i64,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundOutcome {
    /// Recorded as `requested` (`true`), or the same request again (`false`).
    Recorded(RefundRecord, bool),
    /// The intent is unknown.
    UnknownIntent,
    /// The intent is not paid: nothing to give back.
    NotPaid(IntentStatus),
    /// This refund with the refunds already made (and not failed) would give back more than was
    /// paid: `refundable` is what is left.
    Exceeds { refundable: i64 },
    /// The refund id is already used for another intent or amount.
    Conflict,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TillRecord {
    pub till_id: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

/// The operations the payment server needs from its database.
pub trait IntentStore: Send + Sync + 'static {
    /// The secret of an active (not revoked) till.
    fn till_secret(
        &self,
        till_id: &str,
    ) -> impl Future<Output = IntentResult<Option<Secret>>> + Send;
    fn add_till(
        &self,
        till_id: &str,
        secret: &Secret,
        now_ms: i64,
    ) -> impl Future<Output = IntentResult<()>> + Send;
    fn revoke_till(
        &self,
        till_id: &str,
        now_ms: i64,
    ) -> impl Future<Output = IntentResult<bool>> + Send;
    fn tills(&self) -> impl Future<Output = IntentResult<Vec<TillRecord>>> + Send;
    /// Creates the intent, or returns the existing one when the same till retries the same
    /// request (`false`). Another content under the same id is a conflict.
    fn create(
        &self,
        till_id: &str,
        new: &NewIntent,
        token: &str,
        now_ms: i64,
        expires_at: i64,
    ) -> impl Future<Output = IntentResult<(Intent, bool)>> + Send;
    fn by_id(&self, id: &str) -> impl Future<Output = IntentResult<Option<Intent>>> + Send;
    /// The intent `id` with its provider payment, if any: what a till's status request shows
    /// (the SQLite store reads both at once).
    fn summary_with_payment(
        &self,
        id: &str,
    ) -> impl Future<Output = IntentResult<Option<(IntentSummary, Option<ProviderPayment>)>>> + Send
    {
        async move {
            let Some(intent) = self.by_id(id).await? else {
                return Ok(None);
            };
            let payment = self.provider_payment(&intent.id).await?;
            Ok(Some((intent.summary(), payment)))
        }
    }
    fn by_token(&self, token: &str) -> impl Future<Output = IntentResult<Option<Intent>>> + Send;
    fn confirm(
        &self,
        token: &str,
        amount_cents: i64,
        now_ms: i64,
    ) -> impl Future<Output = IntentResult<ConfirmOutcome>> + Send;
    fn cancel(
        &self,
        till_id: &str,
        id: &str,
        now_ms: i64,
    ) -> impl Future<Output = IntentResult<CancelOutcome>> + Send;
    /// Marks pending intents past their expiry as expired; returns their events.
    fn expire_due(
        &self,
        now_ms: i64,
    ) -> impl Future<Output = IntentResult<Vec<IntentEvent>>> + Send;
    fn events_after(
        &self,
        seq: i64,
        limit: i64,
    ) -> impl Future<Output = IntentResult<Vec<IntentEvent>>> + Send;
    fn last_seq(&self) -> impl Future<Output = IntentResult<i64>> + Send;
    /// Links an intent to its provider payment (once: a second call changes nothing).
    fn set_provider_payment(
        &self,
        p: &ProviderPayment,
        now_ms: i64,
    ) -> impl Future<Output = IntentResult<()>> + Send;
    fn provider_payment(
        &self,
        intent_id: &str,
    ) -> impl Future<Output = IntentResult<Option<ProviderPayment>>> + Send;
    fn provider_payment_by_ref(
        &self,
        provider_ref: &str,
    ) -> impl Future<Output = IntentResult<Option<ProviderPayment>>> + Send;
    /// Moves a pending intent to `to` on its provider's word (compare-and-set, with its event
    /// and the reason); `None` when it was not pending (states only move forward).
    fn provider_moved(
        &self,
        intent_id: &str,
        to: IntentStatus,
        reason: Option<&str>,
        now_ms: i64,
    ) -> impl Future<Output = IntentResult<Option<IntentEvent>>> + Send;
    /// Pending intents with a provider payment, oldest first (the poller's work).
    fn pending_provider_payments(
        &self,
        limit: i64,
    ) -> impl Future<Output = IntentResult<Vec<(ProviderPayment, i64)>>> + Send;
    /// Records a provider callback's `jti`: `true` the first time, `false` for a replay (on
    /// any instance sharing this database).
    fn record_jti(&self, jti: &str, now_ms: i64)
    -> impl Future<Output = IntentResult<bool>> + Send;
    /// A key shared by all instances: returns the stored one, or stores `fresh`.
    fn server_key(
        &self,
        name: &str,
        fresh: &str,
    ) -> impl Future<Output = IntentResult<String>> + Send;
    /// Records a refund as `requested`, in one transaction that checks the intent is paid and
    /// that its refunds (failed ones aside) stay within what was paid.
    fn create_refund(
        &self,
        new: &NewRefund,
        now_ms: i64,
    ) -> impl Future<Output = IntentResult<RefundOutcome>> + Send;
    fn refund(
        &self,
        refund_id: &str,
    ) -> impl Future<Output = IntentResult<Option<RefundRecord>>> + Send;
    /// Moves a refund that is not final to `to` (final states never move); returns it as it is
    /// now.
    fn refund_moved(
        &self,
        refund_id: &str,
        to: RefundStatus,
        provider_refund_id: Option<&str>,
        detail: Option<&str>,
        now_ms: i64,
    ) -> impl Future<Output = IntentResult<Option<RefundRecord>>> + Send;
    /// Refunds not final yet, least recently looked at first (the poller's work).
    fn open_refunds(
        &self,
        limit: i64,
    ) -> impl Future<Output = IntentResult<Vec<RefundRecord>>> + Send;
}

/// The columns a [`RefundRecord`] is read from, in order.
pub(crate) const REFUND_COLUMNS: &str = "refund_id, intent_id, till_id, amount_cents, description, status, provider_refund_id, detail, created_at, updated_at";

/// Parses a stored refund status.
pub(crate) fn refund_status(s: &str) -> IntentResult<RefundStatus> {
    RefundStatus::parse(s)
        .ok_or_else(|| IntentStoreError::Database(format!("bad refund status {s}")))
}

fn refund_where(
    c: &rusqlite::Connection,
    column: &str,
    value: &str,
) -> IntentResult<Vec<RefundRecord>> {
    refunds_of(
        c,
        &format!(
            "SELECT {REFUND_COLUMNS} FROM provider_refunds WHERE {column} = ?1 ORDER BY created_at"
        ),
        [value],
    )
}

/// The refunds a `SELECT {REFUND_COLUMNS} …` returns.
fn refunds_of(
    c: &rusqlite::Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> IntentResult<Vec<RefundRecord>> {
    let mut stmt = c.prepare_cached(sql)?;
    let rows = stmt.query_map(params, refund_row)?;
    let mut out = Vec::new();
    for r in rows {
        let (rec, status) = r?;
        out.push(RefundRecord {
            status: refund_status(&status)?,
            ..rec
        });
    }
    Ok(out)
}

fn refund_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(RefundRecord, String)> {
    Ok((
        RefundRecord {
            refund_id: r.get(0)?,
            intent_id: r.get(1)?,
            till_id: r.get(2)?,
            amount_cents: r.get(3)?,
            description: r.get(4)?,
            status: RefundStatus::Requested,
            provider_refund_id: r.get(6)?,
            detail: r.get(7)?,
            created_at: r.get(8)?,
            updated_at: r.get(9)?,
        },
        r.get(5)?,
    ))
}

/// What [`IntentStore::create_refund`] answers without recording anything, given the intent,
/// the refund already under that id if any, and what its other refunds give back; `None`: record
/// it. Shared by both stores, called inside their transaction.
pub(crate) fn judge_refund(
    new: &NewRefund,
    intent: Option<&Intent>,
    existing: Option<RefundRecord>,
    already_refunded: i64,
) -> Option<RefundOutcome> {
    if let Some(e) = existing {
        return Some(
            if e.intent_id == new.intent_id && e.amount_cents == new.amount_cents {
                RefundOutcome::Recorded(e, false)
            } else {
                RefundOutcome::Conflict
            },
        );
    }
    let Some(intent) = intent else {
        return Some(RefundOutcome::UnknownIntent);
    };
    if intent.status != IntentStatus::Paid {
        return Some(RefundOutcome::NotPaid(intent.status));
    }
    let refundable = intent.amount_cents.saturating_sub(already_refunded).max(0);
    if new.amount_cents > refundable {
        return Some(RefundOutcome::Exceeds { refundable });
    }
    None
}

mod embedded {
    refinery::embed_migrations!("migrations/pay_sqlite");
}

/// Read-only connections a SQLite store keeps for its inline reads, at most (opened when first
/// needed: a till's one-worker LAN server never opens more than one or two).
const READERS: usize = 4;

/// How long an inline read may wait on a locked database (WAL readers wait only while a
/// connection recovers the WAL after a crash) before it fails.
const READ_BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(1);

/// The SQLite intent store. One connection behind a mutex for the writes, used from blocking
/// threads; up to [`READERS`] read-only connections for the point reads, used inline.
#[derive(Clone)]
pub struct SqliteIntentStore {
    conn: Arc<Mutex<Connection>>,
    path: Arc<std::path::PathBuf>,
    readers: Arc<[Mutex<Option<Connection>>; READERS]>,
}

fn lock_err() -> IntentStoreError {
    IntentStoreError::Database("connection poisoned".into())
}

type Row = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    String,
    String,
    i64,
    i64,
    Option<i64>,
);

const INTENT_COLUMNS: &str = "id, token, till_id, account, seller, shop_name, lines, amount_cents, status, request_hash, created_at, expires_at, paid_at";

fn intent_from(r: Row) -> IntentResult<Intent> {
    let (
        id,
        token,
        till_id,
        account,
        seller,
        shop_name,
        lines,
        amount_cents,
        status,
        request_hash,
        created_at,
        expires_at,
        paid_at,
    ) = r;
    Ok(Intent {
        lines: serde_json::from_str(&lines)
            .map_err(|e| IntentStoreError::Database(e.to_string()))?,
        status: IntentStatus::parse(&status)
            .ok_or_else(|| IntentStoreError::Database(format!("bad status {status}")))?,
        id,
        token,
        till_id,
        account,
        seller,
        shop_name,
        amount_cents,
        request_hash,
        created_at,
        expires_at,
        paid_at,
    })
}

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
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
    ))
}

fn intent_where(c: &Connection, column: &str, value: &str) -> IntentResult<Option<Intent>> {
    let row = c
        .prepare_cached(&format!(
            "SELECT {INTENT_COLUMNS} FROM payment_intents WHERE {column} = ?1"
        ))?
        .query_row([value], read_row)
        .optional()?;
    row.map(intent_from).transpose()
}

/// An intent's summary and its provider payment (columns 8-12, NULL without one), in one read.
const SUMMARY_WITH_PAYMENT: &str =
    "SELECT i.id, i.token, i.till_id, i.account, i.amount_cents, i.status, i.expires_at, i.paid_at,
        p.intent_id, p.provider, p.provider_ref, p.qr_url, p.reason
    FROM payment_intents i LEFT JOIN provider_payments p ON p.intent_id = i.id WHERE i.id = ?1";

fn provider_payment_where(
    c: &Connection,
    column: &str,
    value: &str,
) -> IntentResult<Option<ProviderPayment>> {
    Ok(c.prepare_cached(&format!(
        "SELECT intent_id, provider, provider_ref, qr_url, reason FROM provider_payments WHERE {column} = ?1"
    ))?
    .query_row([value], |r| {
        Ok(ProviderPayment {
            intent_id: r.get(0)?,
            provider: r.get(1)?,
            provider_ref: r.get(2)?,
            qr_url: r.get(3)?,
            reason: r.get(4)?,
        })
    })
    .optional()?)
}

/// A connection for [`SqliteIntentStore::read`]: `query_only`, so a read path cannot write. Its
/// query plans never depend on the values bound: SQLite (built with STAT4) otherwise re-prepares
/// a statement whose plan looked at a bound value each time the value changes, and the join of
/// `by_id_with_payment` then spent three quarters of its time in the parser.
fn open_reader(path: &Path) -> IntentResult<Connection> {
    let c = Connection::open(path)?;
    c.busy_timeout(READ_BUSY_TIMEOUT)?;
    c.pragma_update(None, "query_only", true)?;
    c.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    Ok(c)
}

fn add_event(
    tx: &rusqlite::Transaction<'_>,
    id: &str,
    status: IntentStatus,
    at: i64,
) -> IntentResult<IntentEvent> {
    tx.execute(
        "INSERT INTO payment_intent_events (intent_id, status, at) VALUES (?1, ?2, ?3)",
        params![id, status.as_str(), at],
    )?;
    Ok(IntentEvent {
        seq: tx.last_insert_rowid(),
        intent_id: id.to_owned(),
        status,
    })
}

impl SqliteIntentStore {
    pub fn open(path: &Path) -> IntentResult<SqliteIntentStore> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| IntentStoreError::Database(e.to_string()))?;
        }
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        embedded::migrations::runner()
            .set_migration_table_name("pay_schema_history")
            .run(&mut conn)
            .map_err(|e| IntentStoreError::Migration(e.to_string()))?;
        Ok(SqliteIntentStore {
            conn: Arc::new(Mutex::new(conn)),
            path: Arc::new(path.to_owned()),
            readers: Arc::new(std::array::from_fn(|_| Mutex::new(None))),
        })
    }

    /// A read-only connection no other thread is using, opened on first use; `None` when all
    /// are busy (or one cannot be opened): the caller then reads on the writer's path.
    fn reader(&self) -> Option<std::sync::MutexGuard<'_, Option<Connection>>> {
        for slot in self.readers.iter() {
            let Ok(mut guard) = slot.try_lock() else {
                continue;
            };
            if guard.is_none() {
                match open_reader(&self.path) {
                    Ok(c) => *guard = Some(c),
                    Err(e) => {
                        tracing::warn!(error = %e, "payment store: no read-only connection");
                        return None;
                    }
                }
            }
            return Some(guard);
        }
        None
    }

    /// Runs the short read `f` on a free read-only connection, on this thread; on the writer's
    /// blocking path when none is free.
    async fn read<R: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> IntentResult<R> + Send + 'static,
    ) -> IntentResult<R> {
        if let Some(guard) = self.reader()
            && let Some(c) = guard.as_ref()
        {
            return f(c);
        }
        self.with(move |c| f(c)).await
    }

    /// Runs `f` with the connection on a blocking thread.
    async fn with<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> IntentResult<R> + Send + 'static,
    ) -> IntentResult<R> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut c = conn.lock().map_err(|_| lock_err())?;
            f(&mut c)
        })
        .await
        .map_err(|e| IntentStoreError::Database(e.to_string()))?
    }
}

impl IntentStore for SqliteIntentStore {
    async fn till_secret(&self, till_id: &str) -> IntentResult<Option<Secret>> {
        let till_id = till_id.to_owned();
        self.read(move |c| {
            Ok(c.prepare_cached(
                "SELECT secret FROM pay_tills WHERE till_id = ?1 AND revoked_at IS NULL",
            )?
            .query_row([&till_id], |r| r.get::<_, String>(0))
            .optional()?
            .map(Secret::new))
        })
        .await
    }

    async fn add_till(&self, till_id: &str, secret: &Secret, now_ms: i64) -> IntentResult<()> {
        let (till_id, secret) = (till_id.to_owned(), secret.expose().to_owned());
        self.with(move |c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let active: bool = tx
                .query_row("SELECT count(*) FROM pay_tills WHERE till_id = ?1 AND revoked_at IS NULL", [&till_id], |r| r.get::<_, i64>(0))?
                > 0;
            if active {
                return Err(IntentStoreError::TillExists(till_id));
            }
            tx.execute(
                "INSERT INTO pay_tills (till_id, secret, created_at, revoked_at) VALUES (?1, ?2, ?3, NULL)
                 ON CONFLICT (till_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at, revoked_at = NULL",
                params![till_id, secret, now_ms],
            )?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn revoke_till(&self, till_id: &str, now_ms: i64) -> IntentResult<bool> {
        let till_id = till_id.to_owned();
        self.with(move |c| {
            Ok(c.execute(
                "UPDATE pay_tills SET revoked_at = ?2 WHERE till_id = ?1 AND revoked_at IS NULL",
                params![till_id, now_ms],
            )? > 0)
        })
        .await
    }

    async fn tills(&self) -> IntentResult<Vec<TillRecord>> {
        self.with(|c| {
            let mut stmt = c.prepare(
                "SELECT till_id, created_at, revoked_at FROM pay_tills ORDER BY till_id",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(TillRecord {
                    till_id: r.get(0)?,
                    created_at: r.get(1)?,
                    revoked_at: r.get(2)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    async fn create(
        &self,
        till_id: &str,
        new: &NewIntent,
        token: &str,
        now_ms: i64,
        expires_at: i64,
    ) -> IntentResult<(Intent, bool)> {
        let hash = request_hash(till_id, new);
        let lines = serde_json::to_string(&new.lines)
            .map_err(|e| IntentStoreError::Database(e.to_string()))?;
        let intent = Intent {
            id: new.id.to_string(),
            token: token.to_owned(),
            till_id: till_id.to_owned(),
            account: new.account.clone(),
            seller: new.seller.clone(),
            shop_name: new.shop_name.clone(),
            lines: new.lines.clone(),
            amount_cents: new.amount_cents,
            status: IntentStatus::Pending,
            request_hash: hash,
            created_at: now_ms,
            expires_at,
            paid_at: None,
        };
        self.with(move |c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            if let Some(existing) = intent_where(&tx, "id", &intent.id)? {
                if existing.request_hash == intent.request_hash {
                    return Ok((existing, false));
                }
                return Err(IntentStoreError::Conflict(intent.id));
            }
            tx.execute(
                &format!("INSERT INTO payment_intents ({INTENT_COLUMNS}, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?11)"),
                params![
                    intent.id,
                    intent.token,
                    intent.till_id,
                    intent.account,
                    intent.seller,
                    intent.shop_name,
                    lines,
                    intent.amount_cents,
                    intent.status.as_str(),
                    intent.request_hash,
                    intent.created_at,
                    intent.expires_at,
                    intent.paid_at
                ],
            )?;
            add_event(&tx, &intent.id, IntentStatus::Pending, now_ms)?;
            tx.commit()?;
            Ok((intent, true))
        })
        .await
    }

    async fn by_id(&self, id: &str) -> IntentResult<Option<Intent>> {
        let id = id.to_owned();
        self.read(move |c| intent_where(c, "id", &id)).await
    }

    async fn summary_with_payment(
        &self,
        id: &str,
    ) -> IntentResult<Option<(IntentSummary, Option<ProviderPayment>)>> {
        let id = id.to_owned();
        self.read(move |c| {
            let row = c
                .prepare_cached(SUMMARY_WITH_PAYMENT)?
                .query_row([&id], |r| {
                    let payment = match r.get::<_, Option<String>>(8)? {
                        Some(intent_id) => Some(ProviderPayment {
                            intent_id,
                            provider: r.get(9)?,
                            provider_ref: r.get(10)?,
                            qr_url: r.get(11)?,
                            reason: r.get(12)?,
                        }),
                        None => None,
                    };
                    let summary = (
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, i64>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, i64>(6)?,
                        r.get::<_, Option<i64>>(7)?,
                    );
                    Ok((summary, payment))
                })
                .optional()?;
            let Some((
                (id, token, till_id, account, amount_cents, status, expires_at, paid_at),
                payment,
            )) = row
            else {
                return Ok(None);
            };
            let status = IntentStatus::parse(&status)
                .ok_or_else(|| IntentStoreError::Database(format!("bad status {status}")))?;
            Ok(Some((
                IntentSummary {
                    id,
                    token,
                    till_id,
                    account,
                    amount_cents,
                    status,
                    expires_at,
                    paid_at,
                },
                payment,
            )))
        })
        .await
    }

    async fn by_token(&self, token: &str) -> IntentResult<Option<Intent>> {
        let token = token.to_owned();
        self.read(move |c| intent_where(c, "token", &token)).await
    }

    async fn confirm(
        &self,
        token: &str,
        amount_cents: i64,
        now_ms: i64,
    ) -> IntentResult<ConfirmOutcome> {
        let token = token.to_owned();
        self.with(move |c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let Some(intent) = intent_where(&tx, "token", &token)? else {
                return Ok(ConfirmOutcome::Unknown);
            };
            if intent.amount_cents != amount_cents {
                return Ok(ConfirmOutcome::AmountMismatch);
            }
            let n = tx.execute(
                "UPDATE payment_intents SET status = 'paid', paid_at = ?2, updated_at = ?2
                 WHERE token = ?1 AND status = 'pending' AND expires_at > ?2 AND amount_cents = ?3",
                params![token, now_ms, amount_cents],
            )?;
            if n != 1 {
                return Ok(ConfirmOutcome::NotPending(intent.status_at(now_ms)));
            }
            let ev = add_event(&tx, &intent.id, IntentStatus::Paid, now_ms)?;
            tx.commit()?;
            Ok(ConfirmOutcome::Confirmed(ev))
        })
        .await
    }

    async fn cancel(&self, till_id: &str, id: &str, now_ms: i64) -> IntentResult<CancelOutcome> {
        let (till_id, id) = (till_id.to_owned(), id.to_owned());
        self.with(move |c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let Some(intent) = intent_where(&tx, "id", &id)?.filter(|i| i.till_id == till_id) else {
                return Ok(CancelOutcome::Unknown);
            };
            let n = tx.execute(
                "UPDATE payment_intents SET status = 'cancelled', updated_at = ?2 WHERE id = ?1 AND status = 'pending' AND expires_at > ?2",
                params![id, now_ms],
            )?;
            if n != 1 {
                return Ok(CancelOutcome::NotPending(intent.status_at(now_ms)));
            }
            let ev = add_event(&tx, &id, IntentStatus::Cancelled, now_ms)?;
            tx.commit()?;
            Ok(CancelOutcome::Cancelled(ev))
        })
        .await
    }

    async fn expire_due(&self, now_ms: i64) -> IntentResult<Vec<IntentEvent>> {
        self.with(move |c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let ids: Vec<String> = {
                let mut stmt = tx.prepare("SELECT id FROM payment_intents WHERE status = 'pending' AND expires_at <= ?1
                     AND id NOT IN (SELECT intent_id FROM provider_payments) LIMIT 500")?;
                let rows = stmt.query_map([now_ms], |r| r.get(0))?;
                rows.collect::<Result<_, _>>()?
            };
            let mut events = Vec::new();
            for id in ids {
                let n = tx.execute(
                    "UPDATE payment_intents SET status = 'expired', updated_at = ?2 WHERE id = ?1 AND status = 'pending' AND expires_at <= ?2",
                    params![id, now_ms],
                )?;
                if n == 1 {
                    events.push(add_event(&tx, &id, IntentStatus::Expired, now_ms)?);
                }
            }
            tx.commit()?;
            Ok(events)
        })
        .await
    }

    async fn events_after(&self, seq: i64, limit: i64) -> IntentResult<Vec<IntentEvent>> {
        self.read(move |c| {
            let mut stmt = c.prepare_cached("SELECT seq, intent_id, status FROM payment_intent_events WHERE seq > ?1 ORDER BY seq LIMIT ?2")?;
            let rows = stmt.query_map(params![seq, limit], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
            let mut out = Vec::new();
            for row in rows {
                let (seq, intent_id, status) = row?;
                let status = IntentStatus::parse(&status).ok_or_else(|| IntentStoreError::Database(format!("bad status {status}")))?;
                out.push(IntentEvent { seq, intent_id, status });
            }
            Ok(out)
        })
        .await
    }

    async fn last_seq(&self) -> IntentResult<i64> {
        self.read(|c| {
            Ok(
                c.prepare_cached("SELECT coalesce(max(seq), 0) FROM payment_intent_events")?
                    .query_row([], |r| r.get(0))?,
            )
        })
        .await
    }

    async fn set_provider_payment(&self, p: &ProviderPayment, now_ms: i64) -> IntentResult<()> {
        let p = p.clone();
        self.with(move |c| {
            c.execute(
                "INSERT INTO provider_payments (intent_id, provider, provider_ref, qr_url, reason, created_at)
                 VALUES (?1, ?2, ?3, ?4, NULL, ?5) ON CONFLICT (intent_id) DO NOTHING",
                params![p.intent_id, p.provider, p.provider_ref, p.qr_url, now_ms],
            )?;
            Ok(())
        })
        .await
    }

    async fn provider_payment(&self, intent_id: &str) -> IntentResult<Option<ProviderPayment>> {
        let id = intent_id.to_owned();
        self.read(move |c| provider_payment_where(c, "intent_id", &id))
            .await
    }

    async fn provider_payment_by_ref(
        &self,
        provider_ref: &str,
    ) -> IntentResult<Option<ProviderPayment>> {
        let r = provider_ref.to_owned();
        self.read(move |c| provider_payment_where(c, "provider_ref", &r))
            .await
    }

    async fn provider_moved(
        &self,
        intent_id: &str,
        to: IntentStatus,
        reason: Option<&str>,
        now_ms: i64,
    ) -> IntentResult<Option<IntentEvent>> {
        let (id, reason) = (intent_id.to_owned(), reason.map(str::to_owned));
        self.with(move |c| {
            if to == IntentStatus::Pending {
                return Ok(None);
            }
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let paid_at = (to == IntentStatus::Paid).then_some(now_ms);
            let n = tx.execute(
                "UPDATE payment_intents SET status = ?2, paid_at = coalesce(?3, paid_at), updated_at = ?4
                 WHERE id = ?1 AND status = 'pending'",
                params![id, to.as_str(), paid_at, now_ms],
            )?;
            if n != 1 {
                return Ok(None);
            }
            tx.execute(
                "UPDATE provider_payments SET reason = ?2 WHERE intent_id = ?1",
                params![id, reason],
            )?;
            let ev = add_event(&tx, &id, to, now_ms)?;
            tx.commit()?;
            Ok(Some(ev))
        })
        .await
    }

    async fn pending_provider_payments(
        &self,
        limit: i64,
    ) -> IntentResult<Vec<(ProviderPayment, i64)>> {
        self.with(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT p.intent_id, p.provider, p.provider_ref, p.qr_url, p.reason, i.created_at
                 FROM provider_payments p JOIN payment_intents i ON i.id = p.intent_id
                 WHERE i.status = 'pending' ORDER BY i.created_at LIMIT ?1",
            )?;
            let rows = stmt.query_map([limit], |r| {
                Ok((
                    ProviderPayment {
                        intent_id: r.get(0)?,
                        provider: r.get(1)?,
                        provider_ref: r.get(2)?,
                        qr_url: r.get(3)?,
                        reason: r.get(4)?,
                    },
                    r.get(5)?,
                ))
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    async fn record_jti(&self, jti: &str, now_ms: i64) -> IntentResult<bool> {
        let jti = jti.to_owned();
        self.with(move |c| {
            Ok(c.execute(
                "INSERT INTO provider_callback_jtis (jti, seen_at) VALUES (?1, ?2) ON CONFLICT (jti) DO NOTHING",
                params![jti, now_ms],
            )? == 1)
        })
        .await
    }

    async fn server_key(&self, name: &str, fresh: &str) -> IntentResult<String> {
        let (name, fresh) = (name.to_owned(), fresh.to_owned());
        self.with(move |c| {
            c.execute("INSERT INTO pay_server_keys (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING", params![name, fresh])?;
            Ok(c.query_row("SELECT value FROM pay_server_keys WHERE name = ?1", [&name], |r| r.get(0))?)
        })
        .await
    }
    async fn create_refund(&self, new: &NewRefund, now_ms: i64) -> IntentResult<RefundOutcome> {
        let new = new.clone();
        self.with(move |c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let existing = refund_where(&tx, "refund_id", &new.refund_id)?.pop();
            let intent = intent_where(&tx, "id", &new.intent_id)?;
            let already: i64 = tx.query_row(
                "SELECT coalesce(sum(amount_cents), 0) FROM provider_refunds WHERE intent_id = ?1 AND status <> 'failed'",
                [&new.intent_id],
                |r| r.get(0),
            )?;
            if let Some(answer) = judge_refund(&new, intent.as_ref(), existing, already) {
                return Ok(answer);
            }
            tx.execute(
                "INSERT INTO provider_refunds (refund_id, intent_id, till_id, amount_cents, description, status, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'requested', ?6, ?6)",
                params![new.refund_id, new.intent_id, new.till_id, new.amount_cents, new.description, now_ms],
            )?;
            let rec = refund_where(&tx, "refund_id", &new.refund_id)?
                .pop()
                .ok_or_else(|| IntentStoreError::Database("refund vanished".into()))?;
            tx.commit()?;
            Ok(RefundOutcome::Recorded(rec, true))
        })
        .await
    }

    async fn refund(&self, refund_id: &str) -> IntentResult<Option<RefundRecord>> {
        let id = refund_id.to_owned();
        self.with(move |c| Ok(refund_where(c, "refund_id", &id)?.pop()))
            .await
    }

    async fn refund_moved(
        &self,
        refund_id: &str,
        to: RefundStatus,
        provider_refund_id: Option<&str>,
        detail: Option<&str>,
        now_ms: i64,
    ) -> IntentResult<Option<RefundRecord>> {
        let (id, pid, detail) = (
            refund_id.to_owned(),
            provider_refund_id.map(str::to_owned),
            detail.map(str::to_owned),
        );
        self.with(move |c| {
            c.execute(
                "UPDATE provider_refunds SET status = ?2, provider_refund_id = coalesce(?3, provider_refund_id),
                   detail = coalesce(?4, detail), updated_at = ?5
                 WHERE refund_id = ?1 AND status IN ('requested', 'pending')",
                params![id, to.as_str(), pid, detail, now_ms],
            )?;
            Ok(refund_where(c, "refund_id", &id)?.pop())
        })
        .await
    }

    async fn open_refunds(&self, limit: i64) -> IntentResult<Vec<RefundRecord>> {
        self.with(move |c| {
            refunds_of(
                c,
                &format!(
                    "SELECT {REFUND_COLUMNS} FROM provider_refunds WHERE status IN ('requested', 'pending')
                     ORDER BY updated_at LIMIT ?1"
                ),
                [limit],
            )
        })
        .await
    }
}

/// The store a server runs on, chosen by its database URL (`sqlite://PATH` or `mysql://…`).
#[derive(Clone)]
pub enum AnyIntentStore {
    Sqlite(SqliteIntentStore),
    Mysql(super::mysql_store::MysqlIntentStore),
}

macro_rules! delegate {
    ($self:ident, $s:ident => $call:expr) => {
        match $self {
            AnyIntentStore::Sqlite($s) => $call.await,
            AnyIntentStore::Mysql($s) => $call.await,
        }
    };
}

impl IntentStore for AnyIntentStore {
    async fn till_secret(&self, till_id: &str) -> IntentResult<Option<Secret>> {
        delegate!(self, s => s.till_secret(till_id))
    }
    async fn add_till(&self, till_id: &str, secret: &Secret, now_ms: i64) -> IntentResult<()> {
        delegate!(self, s => s.add_till(till_id, secret, now_ms))
    }
    async fn revoke_till(&self, till_id: &str, now_ms: i64) -> IntentResult<bool> {
        delegate!(self, s => s.revoke_till(till_id, now_ms))
    }
    async fn tills(&self) -> IntentResult<Vec<TillRecord>> {
        delegate!(self, s => s.tills())
    }
    async fn create(
        &self,
        till_id: &str,
        new: &NewIntent,
        token: &str,
        now_ms: i64,
        expires_at: i64,
    ) -> IntentResult<(Intent, bool)> {
        delegate!(self, s => s.create(till_id, new, token, now_ms, expires_at))
    }
    async fn by_id(&self, id: &str) -> IntentResult<Option<Intent>> {
        delegate!(self, s => s.by_id(id))
    }
    async fn summary_with_payment(
        &self,
        id: &str,
    ) -> IntentResult<Option<(IntentSummary, Option<ProviderPayment>)>> {
        delegate!(self, s => s.summary_with_payment(id))
    }
    async fn by_token(&self, token: &str) -> IntentResult<Option<Intent>> {
        delegate!(self, s => s.by_token(token))
    }
    async fn confirm(
        &self,
        token: &str,
        amount_cents: i64,
        now_ms: i64,
    ) -> IntentResult<ConfirmOutcome> {
        delegate!(self, s => s.confirm(token, amount_cents, now_ms))
    }
    async fn cancel(&self, till_id: &str, id: &str, now_ms: i64) -> IntentResult<CancelOutcome> {
        delegate!(self, s => s.cancel(till_id, id, now_ms))
    }
    async fn expire_due(&self, now_ms: i64) -> IntentResult<Vec<IntentEvent>> {
        delegate!(self, s => s.expire_due(now_ms))
    }
    async fn events_after(&self, seq: i64, limit: i64) -> IntentResult<Vec<IntentEvent>> {
        delegate!(self, s => s.events_after(seq, limit))
    }
    async fn last_seq(&self) -> IntentResult<i64> {
        delegate!(self, s => s.last_seq())
    }
    async fn set_provider_payment(&self, p: &ProviderPayment, now_ms: i64) -> IntentResult<()> {
        delegate!(self, s => s.set_provider_payment(p, now_ms))
    }
    async fn provider_payment(&self, intent_id: &str) -> IntentResult<Option<ProviderPayment>> {
        delegate!(self, s => s.provider_payment(intent_id))
    }
    async fn provider_payment_by_ref(
        &self,
        provider_ref: &str,
    ) -> IntentResult<Option<ProviderPayment>> {
        delegate!(self, s => s.provider_payment_by_ref(provider_ref))
    }
    async fn provider_moved(
        &self,
        intent_id: &str,
        to: IntentStatus,
        reason: Option<&str>,
        now_ms: i64,
    ) -> IntentResult<Option<IntentEvent>> {
        delegate!(self, s => s.provider_moved(intent_id, to, reason, now_ms))
    }
    async fn pending_provider_payments(
        &self,
        limit: i64,
    ) -> IntentResult<Vec<(ProviderPayment, i64)>> {
        delegate!(self, s => s.pending_provider_payments(limit))
    }
    async fn record_jti(&self, jti: &str, now_ms: i64) -> IntentResult<bool> {
        delegate!(self, s => s.record_jti(jti, now_ms))
    }
    async fn server_key(&self, name: &str, fresh: &str) -> IntentResult<String> {
        delegate!(self, s => s.server_key(name, fresh))
    }
    async fn create_refund(&self, new: &NewRefund, now_ms: i64) -> IntentResult<RefundOutcome> {
        delegate!(self, s => s.create_refund(new, now_ms))
    }
    async fn refund(&self, refund_id: &str) -> IntentResult<Option<RefundRecord>> {
        delegate!(self, s => s.refund(refund_id))
    }
    async fn refund_moved(
        &self,
        refund_id: &str,
        to: RefundStatus,
        provider_refund_id: Option<&str>,
        detail: Option<&str>,
        now_ms: i64,
    ) -> IntentResult<Option<RefundRecord>> {
        delegate!(self, s => s.refund_moved(refund_id, to, provider_refund_id, detail, now_ms))
    }
    async fn open_refunds(&self, limit: i64) -> IntentResult<Vec<RefundRecord>> {
        delegate!(self, s => s.open_refunds(limit))
    }
}

impl AnyIntentStore {
    /// Opens the store a database URL names: `sqlite://PATH` (or a plain path), or
    /// `mysql://user:password@host:3306/database` (MySQL or MariaDB; the schema is migrated).
    pub async fn open(url: &str) -> IntentResult<AnyIntentStore> {
        let url = url.trim();
        if url.starts_with("mysql://") {
            let store = super::mysql_store::MysqlIntentStore::connect(url).await?;
            return Ok(AnyIntentStore::Mysql(store));
        }
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        if path.is_empty() {
            return Err(IntentStoreError::Database(
                "no database: set pay_server.database".into(),
            ));
        }
        let path = std::path::PathBuf::from(path);
        let store = tokio::task::spawn_blocking(move || SqliteIntentStore::open(&path))
            .await
            .map_err(|e| IntentStoreError::Database(e.to_string()))??;
        Ok(AnyIntentStore::Sqlite(store))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_callback_jti_is_recorded_once_and_a_replay_is_told_apart_after_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pay.sqlite");
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let s = SqliteIntentStore::open(&path).unwrap();
            assert!(s.record_jti("j-1", 1).await.unwrap());
            assert!(!s.record_jti("j-1", 2).await.unwrap());
            drop(s);
            // Kept on disk: the server restarted still refuses the replay.
            let s = SqliteIntentStore::open(&path).unwrap();
            assert!(!s.record_jti("j-1", 3).await.unwrap());
            assert!(s.record_jti("j-2", 3).await.unwrap());
        });
    }

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    fn new_intent(amount_cents: i64) -> crate::pay_web::api::NewIntent {
        crate::pay_web::api::NewIntent {
            id: uuid::Uuid::now_v7(),
            amount_cents,
            account: "main".into(),
            seller: "Khadija".into(),
            shop_name: "Épicerie".into(),
            lines: vec![crate::pay_web::api::IntentLine {
                name: "Pain".into(),
                qty: 1,
                total_cents: amount_cents,
            }],
        }
    }

    /// The status route's one-read summary says what `by_id` and `provider_payment` say, with
    /// and without a provider payment, and sees each write at once (the read-only connections
    /// read the WAL the writer just committed to).
    #[test]
    fn the_status_summary_matches_the_full_reads_and_sees_every_write_at_once() {
        let dir = tempfile::tempdir().unwrap();
        rt().block_on(async {
            let s = SqliteIntentStore::open(&dir.path().join("pay.sqlite")).unwrap();
            let full = |id: String| {
                let s = s.clone();
                async move {
                    let intent = s.by_id(&id).await.unwrap().unwrap();
                    let payment = s.provider_payment(&id).await.unwrap();
                    (intent.summary(), payment)
                }
            };
            assert_eq!(s.summary_with_payment("no-such-id").await.unwrap(), None);

            let a = new_intent(250);
            let (ia, _) = s
                .create("till-1", &a, "tok-a", 1_000, 61_000)
                .await
                .unwrap();
            let got = s.summary_with_payment(&ia.id).await.unwrap().unwrap();
            assert_eq!(got, full(ia.id.clone()).await);
            assert_eq!((got.0.status, got.1.clone()), (IntentStatus::Pending, None));

            let b = new_intent(990);
            let (ib, _) = s
                .create("till-1", &b, "tok-b", 1_000, 61_000)
                .await
                .unwrap();
            let p = ProviderPayment {
                intent_id: ib.id.clone(),
                provider: "payconiq".into(),
                provider_ref: "pq-1".into(),
                qr_url: "https://qr.example/pq-1".into(),
                reason: None,
            };
            s.set_provider_payment(&p, 2_000).await.unwrap();
            let got = s.summary_with_payment(&ib.id).await.unwrap().unwrap();
            assert_eq!(got.1.as_ref(), Some(&p));
            assert_eq!(got, full(ib.id.clone()).await);

            // A write through the writer is seen by the very next inline read.
            assert!(matches!(
                s.confirm("tok-a", 250, 3_000).await.unwrap(),
                ConfirmOutcome::Confirmed(_)
            ));
            let got = s.summary_with_payment(&ia.id).await.unwrap().unwrap();
            assert_eq!(
                (got.0.status, got.0.paid_at),
                (IntentStatus::Paid, Some(3_000))
            );
            // The other intent is untouched.
            let other = s.summary_with_payment(&ib.id).await.unwrap().unwrap();
            assert_eq!(other.0.status, IntentStatus::Pending);
        });
    }

    /// A read path cannot write: the inline connections are `query_only`. When every one of
    /// them is busy, a read still answers, on the writer's path.
    #[test]
    fn inline_reads_cannot_write_and_fall_back_to_the_writer_when_all_are_busy() {
        let dir = tempfile::tempdir().unwrap();
        rt().block_on(async {
            let s = SqliteIntentStore::open(&dir.path().join("pay.sqlite")).unwrap();
            s.add_till("till-1", &Secret::new("s3cret"), 1)
                .await
                .unwrap();

            let wrote = s
                .read(|c| Ok(c.execute("DELETE FROM pay_tills", [])?))
                .await;
            assert!(wrote.is_err(), "a read-only connection deleted: {wrote:?}");
            assert!(s.till_secret("till-1").await.unwrap().is_some());

            // Hold every read-only connection, as four concurrent readers would.
            let held: Vec<_> = (0..READERS)
                .map(|_| s.reader().expect("a free reader"))
                .collect();
            assert!(held.iter().all(|g| g.is_some()));
            assert!(s.reader().is_none(), "a fifth reader while four are held");
            let secret = s.till_secret("till-1").await.unwrap();
            assert_eq!(
                secret.map(|x| x.expose().to_owned()).as_deref(),
                Some("s3cret")
            );
            drop(held);
            assert!(s.reader().is_some());
        });
    }
}
