//! The MySQL/MariaDB intent store: the hosted payment server (many shops, many tills, several
//! instances on one database). Same semantics as the SQLite store, made safe for concurrent
//! instances by the database itself:
//!
//! - every state change is a compare-and-set (`UPDATE … WHERE status = 'pending' AND
//!   expires_at > now …`, exactly one row affected) plus its event row, in one transaction;
//! - creation is idempotent on the intent id (the primary key settles two racing creates);
//! - event sequence numbers come from a one-row counter locked until COMMIT, so `seq` order is
//!   commit order and an instance polling `seq > last` never skips an event committed late;
//! - transactions run at READ COMMITTED (no gap locks, fresh reads after a lock wait), and a
//!   deadlock victim is retried (its transaction was rolled back whole).
//!
//! All database I/O runs on the store's own single-thread tokio runtime: a `mysql_async::Pool`
//! must not be shared across runtimes (each connection's socket belongs to the runtime that
//! opened it), and actix runs one runtime per worker thread. Callers on any runtime await a task
//! spawned there; a cancelled caller leaves the task to finish its transaction.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use mysql_async::prelude::{FromValue, Queryable};
use mysql_async::{Conn, Opts, OptsBuilder, Params, Pool, PoolConstraints, Row, TxOpts, Value};
use tokio::sync::oneshot;

use crate::mysql_hosts::{Fault, Hosts};
use crate::secrets::Secret;

use super::api::{IntentEvent, IntentStatus, NewIntent, RefundStatus};
use super::store::{
    CancelOutcome, ConfirmOutcome, Intent, IntentResult, IntentStore, IntentStoreError, NewRefund,
    ProviderPayment, REFUND_COLUMNS, RefundOutcome, RefundRecord, TillRecord, judge_refund,
    refund_status, request_hash,
};

mod embedded {
    refinery::embed_migrations!("migrations/mysql");
}

/// Refinery's history table for the payment server's migrations (the central schema in the same
/// folder keeps its own).
pub const MIGRATION_TABLE: &str = "pay_schema_history";

/// Connections per instance unless the URL says otherwise (`pool_min`, `pool_max`).
const POOL_MIN: usize = 2;
const POOL_MAX: usize = 32;
/// Pending intents expired per sweep.
const EXPIRE_BATCH: usize = 500;
/// Rows per multi-row event insert.
const EVENT_CHUNK: usize = 100;

const ER_DUP_ENTRY: u16 = 1062;

/// Session settings of every connection (run again after a reset).
const SESSION_SETUP: [&str; 2] = [
    "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
    "SET SESSION innodb_lock_wait_timeout = 20",
];

const INTENT_COLUMNS: &str = "id, token, till_id, account, seller, shop_name, `lines`, amount_cents, status, request_hash, created_at, expires_at, paid_at";

/// Why an operation failed: a database error (maybe worth a retry) or a store outcome.
#[derive(Debug)]
enum Fail {
    Sql(mysql_async::Error),
    Store(IntentStoreError),
}

impl From<mysql_async::Error> for Fail {
    fn from(e: mysql_async::Error) -> Self {
        Fail::Sql(e)
    }
}

impl From<IntentStoreError> for Fail {
    fn from(e: IntentStoreError) -> Self {
        Fail::Store(e)
    }
}

impl From<Fail> for IntentStoreError {
    fn from(f: Fail) -> Self {
        match f {
            Fail::Sql(e) => e.into(),
            Fail::Store(e) => e,
        }
    }
}

impl From<mysql_async::Error> for IntentStoreError {
    fn from(e: mysql_async::Error) -> Self {
        IntentStoreError::Database(e.to_string())
    }
}

type Step<T> = Result<T, Fail>;

fn server_code(e: &mysql_async::Error) -> Option<u16> {
    match e {
        mysql_async::Error::Server(s) => Some(s.code),
        _ => None,
    }
}

fn bad(what: impl Into<String>) -> Fail {
    Fail::Store(IntentStoreError::Database(what.into()))
}

/// The URL with its password masked, for messages.
pub fn redacted_url(url: &str) -> String {
    crate::secrets::redacted_urls(url)
}

/// Connection options: the URL's, plus the store's pool size (unless the URL sets one), no
/// connection reset on return to the pool (it would throw away the prepared statements; every
/// transaction here ends in COMMIT or ROLLBACK and the session settings never change), and the
/// session settings.
fn options(url: &str) -> IntentResult<Opts> {
    let opts = Opts::from_url(url).map_err(|e| {
        IntentStoreError::Database(format!("bad MySQL URL {}: {e}", redacted_url(url)))
    })?;
    if opts.db_name().is_none_or(str::is_empty) {
        return Err(IntentStoreError::Database(format!(
            "the MySQL URL {} names no database (mysql://user:password@host:3306/DATABASE)",
            redacted_url(url)
        )));
    }
    let sized_by_url = url::Url::parse(url).is_ok_and(|u| {
        u.query_pairs()
            .any(|(k, _)| k == "pool_min" || k == "pool_max")
    });
    let mut pool = opts.pool_opts().clone().with_reset_connection(false);
    if !sized_by_url {
        pool = pool.with_constraints(PoolConstraints::new(POOL_MIN, POOL_MAX).unwrap_or_default());
    }
    Ok(OptsBuilder::from_opts(opts)
        .pool_opts(pool)
        .setup(SESSION_SETUP.to_vec())
        .into())
}

struct Inner {
    hosts: Hosts,
    runtime: tokio::runtime::Handle,
    stop: Option<oneshot::Sender<()>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// The MySQL/MariaDB intent store. Cheap to clone; the connections close when the last clone
/// is dropped.
#[derive(Clone)]
pub struct MysqlIntentStore {
    inner: Arc<Inner>,
}

impl MysqlIntentStore {
    /// Connects to `url` (`mysql://user:password@host:3306/database`, TLS with
    /// `?require_ssl=true`; several hosts `host1:3306,host2:3306` for a cluster, tried in that
    /// order, see [`crate::mysql_hosts`]) and brings the schema up to date. The URL is never
    /// logged with its password.
    pub async fn connect(url: &str) -> IntentResult<MysqlIntentStore> {
        let urls = crate::mysql_hosts::split_hosts(url, &[]).map_err(|e| {
            IntentStoreError::Database(format!("bad MySQL URL {}: {e}", redacted_url(url)))
        })?;
        let mut nodes = Vec::with_capacity(urls.len());
        for one in &urls {
            nodes.push((crate::mysql_hosts::host_of(one), Pool::new(options(one)?)));
        }
        let hosts = Hosts::new(nodes);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| IntentStoreError::Database(format!("database runtime: {e}")))?;
        let handle = runtime.handle().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        let closing: Vec<Pool> = hosts.pools().cloned().collect();
        std::thread::Builder::new()
            .name("kaching-mysql".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let _ = stopped.await;
                    // Let running transactions finish, then say goodbye to the servers.
                    for pool in closing {
                        let _ =
                            tokio::time::timeout(Duration::from_secs(5), pool.disconnect()).await;
                    }
                });
            })
            .map_err(|e| IntentStoreError::Database(format!("database thread: {e}")))?;
        let store = MysqlIntentStore {
            inner: Arc::new(Inner {
                hosts,
                runtime: handle,
                stop: Some(stop),
            }),
        };
        let target = redacted_url(url);
        store.run(migrate).await.map_err(|e| match e {
            IntentStoreError::Database(m) => {
                IntentStoreError::Database(format!("connecting to {target}: {m}"))
            }
            other => other,
        })?;
        Ok(store)
    }

    /// The configured hosts (`host:port`), and the one in use.
    pub fn hosts(&self) -> (Vec<String>, String) {
        let h = &self.inner.hosts;
        (h.labels(), h.label(h.current()).to_owned())
    }

    /// Runs `attempt` on the store's runtime under the host policy of [`crate::mysql_hosts`]:
    /// on the next host at once when the node fails (each host once), again on the same host
    /// after a back-off when the server chose it as a deadlock victim or a Galera certification
    /// conflict (the whole transaction was rolled back: nothing was written). Every attempt is a
    /// read, or a transaction that is a compare-and-set or idempotent: running it twice is safe.
    async fn run<R, F, Fut>(&self, attempt: F) -> IntentResult<R>
    where
        F: FnOnce(Pool) -> Fut + Clone + Send + 'static,
        Fut: Future<Output = Step<R>> + Send + 'static,
        R: Send + 'static,
    {
        let inner = self.inner.clone();
        self.inner
            .runtime
            .spawn(async move {
                let hosts = &inner.hosts;
                let mut at = hosts.current();
                let mut failed_hosts = 0;
                let mut tries = 0;
                let mut backoff = crate::mysql_hosts::contention_backoff();
                loop {
                    tries += 1;
                    let e = match (attempt.clone())(hosts.pool(at).clone()).await {
                        Ok(v) => {
                            hosts.settle(at);
                            return Ok(v);
                        }
                        Err(Fail::Store(e)) => return Err(e),
                        Err(Fail::Sql(e)) => e,
                    };
                    match crate::mysql_hosts::classify(&e) {
                        Fault::Node if failed_hosts + 1 < hosts.len() => {
                            failed_hosts += 1;
                            let next = hosts.move_on(at);
                            tracing::warn!(host = hosts.label(at), next = hosts.label(next), error = %e, "payment database host failed; using the next");
                            at = next;
                        }
                        Fault::Contention => match backoff.next() {
                            Some(pause) => {
                                tracing::debug!(tries, "deadlock or certification conflict, retrying");
                                tokio::time::sleep(pause).await;
                            }
                            None => return Err(IntentStoreError::from(e)),
                        },
                        _ => return Err(IntentStoreError::from(e)),
                    }
                }
            })
            .await
            .map_err(|e| IntentStoreError::Database(format!("database task: {e}")))?
    }
}

/// Applies the embedded migrations under a named lock, so instances starting together on a
/// fresh database do not race (MySQL DDL commits implicitly, a migration is not atomic).
async fn migrate(pool: Pool) -> Step<()> {
    let mut lock = pool.get_conn().await?;
    let got: Option<Option<i64>> = lock
        .query_first(
            "SELECT GET_LOCK(CONCAT('kaching_pay_migrate_', SHA1(COALESCE(DATABASE(), ''))), 120)",
        )
        .await?;
    if got != Some(Some(1)) {
        return Err(Fail::Store(IntentStoreError::Migration(
            "another instance is migrating this database: gave up after 120 s".into(),
        )));
    }
    let report = embedded::migrations::runner()
        .set_migration_table_name(MIGRATION_TABLE)
        .run_async(&mut pool.clone())
        .await;
    let _ = lock
        .query_drop(
            "DO RELEASE_LOCK(CONCAT('kaching_pay_migrate_', SHA1(COALESCE(DATABASE(), ''))))",
        )
        .await;
    let report = report.map_err(|e| Fail::Store(IntentStoreError::Migration(e.to_string())))?;
    for m in report.applied_migrations() {
        tracing::info!(migration = %m, "payment database migrated");
    }
    Ok(())
}

fn take<T: FromValue>(row: &mut Row, i: usize) -> Step<T> {
    match row.take_opt::<T, usize>(i) {
        Some(Ok(v)) => Ok(v),
        Some(Err(e)) => Err(bad(format!("column {i}: {e}"))),
        None => Err(bad(format!("column {i} missing"))),
    }
}

fn status_of(s: &str) -> Step<IntentStatus> {
    IntentStatus::parse(s).ok_or_else(|| bad(format!("bad status {s}")))
}

fn intent_from(mut r: Row) -> Step<Intent> {
    let lines: String = take(&mut r, 6)?;
    let status: String = take(&mut r, 8)?;
    Ok(Intent {
        id: take(&mut r, 0)?,
        token: take(&mut r, 1)?,
        till_id: take(&mut r, 2)?,
        account: take(&mut r, 3)?,
        seller: take(&mut r, 4)?,
        shop_name: take(&mut r, 5)?,
        lines: serde_json::from_str(&lines).map_err(|e| bad(e.to_string()))?,
        amount_cents: take(&mut r, 7)?,
        status: status_of(&status)?,
        request_hash: take(&mut r, 9)?,
        created_at: take(&mut r, 10)?,
        expires_at: take(&mut r, 11)?,
        paid_at: take(&mut r, 12)?,
    })
}

#[derive(Clone, Copy)]
enum Key {
    Id,
    Token,
}

/// The intent whose id or token is `value`; `lock` reads the latest version and locks it
/// until the transaction ends.
async fn intent_where(
    q: &mut impl Queryable,
    key: Key,
    value: &str,
    lock: bool,
) -> Step<Option<Intent>> {
    let column = match key {
        Key::Id => "id",
        Key::Token => "token",
    };
    let sql = format!(
        "SELECT {INTENT_COLUMNS} FROM payment_intents WHERE {column} = ?{}",
        if lock { " FOR UPDATE" } else { "" }
    );
    let row: Option<Row> = q.exec_first(sql, (value,)).await?;
    row.map(intent_from).transpose()
}

/// Appends one event per `(intent id, status)`, numbered from the sequence row, whose lock
/// is held until the caller's COMMIT: numbers are handed out in commit order.
async fn add_events(
    tx: &mut mysql_async::Transaction<'_>,
    changes: &[(String, IntentStatus)],
    at: i64,
) -> Step<Vec<IntentEvent>> {
    if changes.is_empty() {
        return Ok(Vec::new());
    }
    let n = i64::try_from(changes.len()).map_err(|_| bad("too many events"))?;
    tx.exec_drop(
        "UPDATE pay_event_sequence SET last_seq = LAST_INSERT_ID(last_seq + ?) WHERE id = 1",
        (n,),
    )
    .await?;
    if tx.affected_rows() != 1 {
        return Err(bad("the event sequence row is missing"));
    }
    let last = match tx.last_insert_id() {
        Some(v) if v > 0 => i64::try_from(v).map_err(|_| bad("event sequence overflow"))?,
        _ => tx
            .query_first::<i64, _>("SELECT last_seq FROM pay_event_sequence WHERE id = 1")
            .await?
            .ok_or_else(|| bad("the event sequence row is missing"))?,
    };
    let events: Vec<IntentEvent> = changes
        .iter()
        .zip(last - n + 1..)
        .map(|((id, status), seq)| IntentEvent {
            seq,
            intent_id: id.clone(),
            status: *status,
        })
        .collect();
    for chunk in events.chunks(EVENT_CHUNK) {
        let sql = format!(
            "INSERT INTO payment_intent_events (seq, intent_id, status, at) VALUES {}",
            vec!["(?, ?, ?, ?)"; chunk.len()].join(", ")
        );
        let mut params: Vec<Value> = Vec::with_capacity(chunk.len() * 4);
        for ev in chunk {
            params.push(ev.seq.into());
            params.push(ev.intent_id.as_str().into());
            params.push(ev.status.as_str().into());
            params.push(at.into());
        }
        tx.exec_drop(sql, Params::Positional(params)).await?;
    }
    Ok(events)
}

async fn begin(conn: &mut Conn) -> Step<mysql_async::Transaction<'_>> {
    Ok(conn.start_transaction(TxOpts::default()).await?)
}

async fn create_attempt(pool: Pool, intent: Intent, lines: String) -> Step<(Intent, bool)> {
    let mut conn = pool.get_conn().await?;
    let mut tx = begin(&mut conn).await?;
    let params: Vec<Value> = vec![
        intent.id.as_str().into(),
        intent.token.as_str().into(),
        intent.till_id.as_str().into(),
        intent.account.as_str().into(),
        intent.seller.as_str().into(),
        intent.shop_name.as_str().into(),
        lines.as_str().into(),
        intent.amount_cents.into(),
        intent.status.as_str().into(),
        intent.request_hash.as_str().into(),
        intent.created_at.into(),
        intent.expires_at.into(),
        intent.paid_at.into(),
        intent.created_at.into(),
    ];
    let inserted = tx
        .exec_drop(
            format!(
                "INSERT INTO payment_intents ({INTENT_COLUMNS}, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            ),
            Params::Positional(params),
        )
        .await;
    match inserted {
        Ok(()) => {}
        Err(e) if server_code(&e) == Some(ER_DUP_ENTRY) => {
            // The same id exists (a retry, or a create racing this one and committed first):
            // the stored intent decides.
            tx.rollback().await?;
            return match intent_where(&mut conn, Key::Id, &intent.id, false).await? {
                Some(existing) if existing.request_hash == intent.request_hash => {
                    Ok((existing, false))
                }
                Some(_) => Err(Fail::Store(IntentStoreError::Conflict(intent.id))),
                None => Err(bad("duplicate payment token")),
            };
        }
        Err(e) => return Err(e.into()),
    }
    add_events(
        &mut tx,
        &[(intent.id.clone(), IntentStatus::Pending)],
        intent.created_at,
    )
    .await?;
    tx.commit().await?;
    Ok((intent, true))
}

async fn confirm_attempt(
    pool: Pool,
    token: String,
    amount_cents: i64,
    now_ms: i64,
) -> Step<ConfirmOutcome> {
    let mut conn = pool.get_conn().await?;
    let mut tx = begin(&mut conn).await?;
    let Some(intent) = intent_where(&mut tx, Key::Token, &token, true).await? else {
        tx.rollback().await?;
        return Ok(ConfirmOutcome::Unknown);
    };
    if intent.amount_cents != amount_cents {
        tx.rollback().await?;
        return Ok(ConfirmOutcome::AmountMismatch);
    }
    tx.exec_drop(
        "UPDATE payment_intents SET status = 'paid', paid_at = ?, updated_at = ?
         WHERE token = ? AND status = 'pending' AND expires_at > ? AND amount_cents = ?",
        (now_ms, now_ms, token.as_str(), now_ms, amount_cents),
    )
    .await?;
    if tx.affected_rows() != 1 {
        tx.rollback().await?;
        return Ok(ConfirmOutcome::NotPending(intent.status_at(now_ms)));
    }
    let mut events =
        add_events(&mut tx, &[(intent.id.clone(), IntentStatus::Paid)], now_ms).await?;
    tx.commit().await?;
    events
        .pop()
        .map(ConfirmOutcome::Confirmed)
        .ok_or_else(|| bad("no event"))
}

async fn cancel_attempt(
    pool: Pool,
    till_id: String,
    id: String,
    now_ms: i64,
) -> Step<CancelOutcome> {
    let mut conn = pool.get_conn().await?;
    let mut tx = begin(&mut conn).await?;
    let Some(intent) = intent_where(&mut tx, Key::Id, &id, true)
        .await?
        .filter(|i| i.till_id == till_id)
    else {
        tx.rollback().await?;
        return Ok(CancelOutcome::Unknown);
    };
    tx.exec_drop(
        "UPDATE payment_intents SET status = 'cancelled', updated_at = ?
         WHERE id = ? AND status = 'pending' AND expires_at > ?",
        (now_ms, id.as_str(), now_ms),
    )
    .await?;
    if tx.affected_rows() != 1 {
        tx.rollback().await?;
        return Ok(CancelOutcome::NotPending(intent.status_at(now_ms)));
    }
    let mut events = add_events(&mut tx, &[(id, IntentStatus::Cancelled)], now_ms).await?;
    tx.commit().await?;
    events
        .pop()
        .map(CancelOutcome::Cancelled)
        .ok_or_else(|| bad("no event"))
}

async fn expire_attempt(pool: Pool, now_ms: i64) -> Step<Vec<IntentEvent>> {
    let mut conn = pool.get_conn().await?;
    let mut tx = begin(&mut conn).await?;
    // Rows another instance is expiring (or a customer confirming) right now are skipped: the
    // next sweep sees what is left.
    let ids: Vec<String> = tx
        .exec(
            format!(
                "SELECT id FROM payment_intents WHERE status = 'pending' AND expires_at <= ?
                   AND id NOT IN (SELECT intent_id FROM provider_payments)
                 ORDER BY status, expires_at LIMIT {EXPIRE_BATCH} FOR UPDATE SKIP LOCKED"
            ),
            (now_ms,),
        )
        .await?;
    if ids.is_empty() {
        tx.rollback().await?;
        return Ok(Vec::new());
    }
    let mut changed = Vec::with_capacity(ids.len());
    for id in ids {
        tx.exec_drop(
            "UPDATE payment_intents SET status = 'expired', updated_at = ?
             WHERE id = ? AND status = 'pending' AND expires_at <= ?",
            (now_ms, id.as_str(), now_ms),
        )
        .await?;
        if tx.affected_rows() == 1 {
            changed.push((id, IntentStatus::Expired));
        }
    }
    let events = add_events(&mut tx, &changed, now_ms).await?;
    tx.commit().await?;
    Ok(events)
}

type ProviderRow = (String, String, String, String, Option<String>);

fn provider_from(r: ProviderRow) -> ProviderPayment {
    let (intent_id, provider, provider_ref, qr_url, reason) = r;
    ProviderPayment {
        intent_id,
        provider,
        provider_ref,
        qr_url,
        reason,
    }
}

async fn provider_where(
    pool: Pool,
    column: &'static str,
    value: String,
) -> Step<Option<ProviderPayment>> {
    let mut conn = pool.get_conn().await?;
    let row: Option<ProviderRow> = conn
        .exec_first(
            format!("SELECT intent_id, provider, provider_ref, qr_url, reason FROM provider_payments WHERE {column} = ?"),
            (value,),
        )
        .await?;
    Ok(row.map(provider_from))
}

async fn provider_moved_attempt(
    pool: Pool,
    id: String,
    to: IntentStatus,
    reason: Option<String>,
    now_ms: i64,
) -> Step<Option<IntentEvent>> {
    let mut conn = pool.get_conn().await?;
    let mut tx = begin(&mut conn).await?;
    let paid_at = (to == IntentStatus::Paid).then_some(now_ms);
    tx.exec_drop(
        "UPDATE payment_intents SET status = ?, paid_at = COALESCE(?, paid_at), updated_at = ?
         WHERE id = ? AND status = 'pending'",
        (to.as_str(), paid_at, now_ms, id.as_str()),
    )
    .await?;
    if tx.affected_rows() != 1 {
        tx.rollback().await?;
        return Ok(None);
    }
    tx.exec_drop(
        "UPDATE provider_payments SET reason = ? WHERE intent_id = ?",
        (reason, id.as_str()),
    )
    .await?;
    let mut events = add_events(&mut tx, &[(id, to)], now_ms).await?;
    tx.commit().await?;
    Ok(events.pop())
}

type RefundRow = (
    String,
    String,
    String,
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
    i64,
);

fn refund_from(r: RefundRow) -> Step<RefundRecord> {
    let (refund_id, intent_id, till_id, amount_cents, description, status, pid, detail, c, u) = r;
    Ok(RefundRecord {
        status: refund_status(&status)?,
        refund_id,
        intent_id,
        till_id,
        amount_cents,
        description,
        provider_refund_id: pid,
        detail,
        created_at: c,
        updated_at: u,
    })
}

async fn refund_by_id(q: &mut impl Queryable, id: &str) -> Step<Option<RefundRecord>> {
    let row: Option<RefundRow> = q
        .exec_first(
            format!("SELECT {REFUND_COLUMNS} FROM provider_refunds WHERE refund_id = ?"),
            (id,),
        )
        .await?;
    row.map(refund_from).transpose()
}

/// The intent's row is locked first: two refunds of one intent (on any instance) are judged
/// one after the other, so together they never give back more than was paid.
async fn create_refund_attempt(pool: Pool, new: NewRefund, now_ms: i64) -> Step<RefundOutcome> {
    let mut conn = pool.get_conn().await?;
    let mut tx = begin(&mut conn).await?;
    let intent = intent_where(&mut tx, Key::Id, &new.intent_id, true).await?;
    let existing = refund_by_id(&mut tx, &new.refund_id).await?;
    let already: Option<i64> = tx
        .exec_first(
            "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS SIGNED) FROM provider_refunds
             WHERE intent_id = ? AND status <> 'failed'",
            (new.intent_id.as_str(),),
        )
        .await?;
    if let Some(answer) = judge_refund(&new, intent.as_ref(), existing, already.unwrap_or(0)) {
        tx.rollback().await?;
        return Ok(answer);
    }
    tx.exec_drop(
        "INSERT INTO provider_refunds (refund_id, intent_id, till_id, amount_cents, description, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'requested', ?, ?)",
        (
            new.refund_id.as_str(),
            new.intent_id.as_str(),
            new.till_id.as_str(),
            new.amount_cents,
            new.description.as_str(),
            now_ms,
            now_ms,
        ),
    )
    .await?;
    let rec = refund_by_id(&mut tx, &new.refund_id)
        .await?
        .ok_or_else(|| bad("refund vanished"))?;
    tx.commit().await?;
    Ok(RefundOutcome::Recorded(rec, true))
}

async fn add_till_attempt(pool: Pool, till_id: String, secret: Secret, now_ms: i64) -> Step<()> {
    let mut conn = pool.get_conn().await?;
    let mut tx = begin(&mut conn).await?;
    let found: Option<Option<i64>> = tx
        .exec_first(
            "SELECT revoked_at FROM pay_tills WHERE till_id = ? FOR UPDATE",
            (till_id.as_str(),),
        )
        .await?;
    match found {
        Some(None) => {
            tx.rollback().await?;
            return Err(Fail::Store(IntentStoreError::TillExists(till_id)));
        }
        Some(Some(_)) => {
            tx.exec_drop(
                "UPDATE pay_tills SET secret = ?, created_at = ?, revoked_at = NULL WHERE till_id = ?",
                (secret.expose(), now_ms, till_id.as_str()),
            )
            .await?;
        }
        None => {
            let inserted = tx
                .exec_drop(
                    "INSERT INTO pay_tills (till_id, secret, created_at, revoked_at) VALUES (?, ?, ?, NULL)",
                    (till_id.as_str(), secret.expose(), now_ms),
                )
                .await;
            match inserted {
                Ok(()) => {}
                Err(e) if server_code(&e) == Some(ER_DUP_ENTRY) => {
                    tx.rollback().await?;
                    return Err(Fail::Store(IntentStoreError::TillExists(till_id)));
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

impl IntentStore for MysqlIntentStore {
    async fn till_secret(&self, till_id: &str) -> IntentResult<Option<Secret>> {
        let till_id = till_id.to_owned();
        self.run(move |pool| async move {
            let mut conn = pool.get_conn().await?;
            let secret: Option<String> = conn
                .exec_first(
                    "SELECT secret FROM pay_tills WHERE till_id = ? AND revoked_at IS NULL",
                    (till_id,),
                )
                .await?;
            Ok(secret.map(Secret::new))
        })
        .await
    }

    async fn add_till(&self, till_id: &str, secret: &Secret, now_ms: i64) -> IntentResult<()> {
        let (till_id, secret) = (till_id.to_owned(), secret.clone());
        self.run(move |pool| add_till_attempt(pool, till_id.clone(), secret.clone(), now_ms))
            .await
    }

    async fn revoke_till(&self, till_id: &str, now_ms: i64) -> IntentResult<bool> {
        let till_id = till_id.to_owned();
        self.run(move |pool| async move {
            let mut conn = pool.get_conn().await?;
            conn.exec_drop(
                "UPDATE pay_tills SET revoked_at = ? WHERE till_id = ? AND revoked_at IS NULL",
                (now_ms, till_id),
            )
            .await?;
            Ok(conn.affected_rows() > 0)
        })
        .await
    }

    async fn tills(&self) -> IntentResult<Vec<TillRecord>> {
        self.run(|pool| async move {
            let mut conn = pool.get_conn().await?;
            let rows: Vec<(String, i64, Option<i64>)> = conn
                .query("SELECT till_id, created_at, revoked_at FROM pay_tills ORDER BY till_id")
                .await?;
            Ok(rows
                .into_iter()
                .map(|(till_id, created_at, revoked_at)| TillRecord {
                    till_id,
                    created_at,
                    revoked_at,
                })
                .collect())
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
            request_hash: request_hash(till_id, new),
            created_at: now_ms,
            expires_at,
            paid_at: None,
        };
        self.run(move |pool| create_attempt(pool, intent.clone(), lines.clone()))
            .await
    }

    async fn by_id(&self, id: &str) -> IntentResult<Option<Intent>> {
        let id = id.to_owned();
        self.run(move |pool| async move {
            let mut conn = pool.get_conn().await?;
            intent_where(&mut conn, Key::Id, &id, false).await
        })
        .await
    }

    async fn by_token(&self, token: &str) -> IntentResult<Option<Intent>> {
        let token = token.to_owned();
        self.run(move |pool| async move {
            let mut conn = pool.get_conn().await?;
            intent_where(&mut conn, Key::Token, &token, false).await
        })
        .await
    }

    async fn confirm(
        &self,
        token: &str,
        amount_cents: i64,
        now_ms: i64,
    ) -> IntentResult<ConfirmOutcome> {
        let token = token.to_owned();
        self.run(move |pool| confirm_attempt(pool, token.clone(), amount_cents, now_ms))
            .await
    }

    async fn cancel(&self, till_id: &str, id: &str, now_ms: i64) -> IntentResult<CancelOutcome> {
        let (till_id, id) = (till_id.to_owned(), id.to_owned());
        self.run(move |pool| cancel_attempt(pool, till_id.clone(), id.clone(), now_ms))
            .await
    }

    async fn expire_due(&self, now_ms: i64) -> IntentResult<Vec<IntentEvent>> {
        self.run(move |pool| expire_attempt(pool, now_ms)).await
    }

    async fn events_after(&self, seq: i64, limit: i64) -> IntentResult<Vec<IntentEvent>> {
        self.run(move |pool| async move {
            let mut conn = pool.get_conn().await?;
            let rows: Vec<(i64, String, String)> = conn
                .exec(
                    "SELECT seq, intent_id, status FROM payment_intent_events WHERE seq > ? ORDER BY seq LIMIT ?",
                    (seq, limit.max(0)),
                )
                .await?;
            rows.into_iter()
                .map(|(seq, intent_id, status)| {
                    Ok(IntentEvent {
                        seq,
                        intent_id,
                        status: status_of(&status)?,
                    })
                })
                .collect::<Step<Vec<_>>>()
        })
        .await
    }

    async fn last_seq(&self) -> IntentResult<i64> {
        self.run(|pool| async move {
            let mut conn = pool.get_conn().await?;
            let seq: Option<i64> = conn
                .query_first("SELECT COALESCE(MAX(seq), 0) FROM payment_intent_events")
                .await?;
            Ok(seq.unwrap_or(0))
        })
        .await
    }

    async fn set_provider_payment(&self, p: &ProviderPayment, now_ms: i64) -> IntentResult<()> {
        let p = p.clone();
        self.run(move |pool| async move {
            let mut conn = pool.get_conn().await?;
            conn.exec_drop(
                "INSERT INTO provider_payments (intent_id, provider, provider_ref, qr_url, reason, created_at)
                 VALUES (?, ?, ?, ?, NULL, ?) ON DUPLICATE KEY UPDATE intent_id = intent_id",
                (p.intent_id, p.provider, p.provider_ref, p.qr_url, now_ms),
            )
            .await?;
            Ok(())
        })
        .await
    }

    async fn provider_payment(&self, intent_id: &str) -> IntentResult<Option<ProviderPayment>> {
        let id = intent_id.to_owned();
        self.run(move |pool| async move { provider_where(pool, "intent_id", id).await })
            .await
    }

    async fn provider_payment_by_ref(
        &self,
        provider_ref: &str,
    ) -> IntentResult<Option<ProviderPayment>> {
        let r = provider_ref.to_owned();
        self.run(move |pool| async move { provider_where(pool, "provider_ref", r).await })
            .await
    }

    async fn provider_moved(
        &self,
        intent_id: &str,
        to: IntentStatus,
        reason: Option<&str>,
        now_ms: i64,
    ) -> IntentResult<Option<IntentEvent>> {
        if to == IntentStatus::Pending {
            return Ok(None);
        }
        let (id, reason) = (intent_id.to_owned(), reason.map(str::to_owned));
        self.run(move |pool| provider_moved_attempt(pool, id.clone(), to, reason.clone(), now_ms))
            .await
    }

    async fn pending_provider_payments(
        &self,
        limit: i64,
    ) -> IntentResult<Vec<(ProviderPayment, i64)>> {
        self.run(move |pool| async move {
            let mut conn = pool.get_conn().await?;
            let rows: Vec<(String, String, String, String, Option<String>, i64)> = conn
                .exec(
                    "SELECT p.intent_id, p.provider, p.provider_ref, p.qr_url, p.reason, i.created_at
                     FROM provider_payments p JOIN payment_intents i ON i.id = p.intent_id
                     WHERE i.status = 'pending' ORDER BY i.created_at LIMIT ?",
                    (limit.max(0),),
                )
                .await?;
            Ok(rows
                .into_iter()
                .map(|(a, b, c, d, e, at)| (provider_from((a, b, c, d, e)), at))
                .collect())
        })
        .await
    }

    async fn record_jti(&self, jti: &str, now_ms: i64) -> IntentResult<bool> {
        let jti = jti.to_owned();
        self.run(move |pool| async move {
            let mut conn = pool.get_conn().await?;
            let inserted = conn
                .exec_drop(
                    "INSERT INTO provider_callback_jtis (jti, seen_at) VALUES (?, ?)",
                    (jti, now_ms),
                )
                .await;
            match inserted {
                Ok(()) => Ok(true),
                // The primary key decides between two instances receiving the same callback.
                Err(e) if server_code(&e) == Some(ER_DUP_ENTRY) => Ok(false),
                Err(e) => Err(e.into()),
            }
        })
        .await
    }

    async fn server_key(&self, name: &str, fresh: &str) -> IntentResult<String> {
        let (name, fresh) = (name.to_owned(), fresh.to_owned());
        self.run(move |pool| async move {
            let mut conn = pool.get_conn().await?;
            // Not INSERT IGNORE: it would hide real errors too.
            conn.exec_drop(
                "INSERT INTO pay_server_keys (name, value) VALUES (?, ?) ON DUPLICATE KEY UPDATE name = name",
                (name.as_str(), fresh),
            )
            .await?;
            conn.exec_first("SELECT value FROM pay_server_keys WHERE name = ?", (name,))
                .await?
                .ok_or_else(|| bad("server key vanished"))
        })
        .await
    }
    async fn create_refund(&self, new: &NewRefund, now_ms: i64) -> IntentResult<RefundOutcome> {
        let new = new.clone();
        self.run(move |pool| create_refund_attempt(pool, new.clone(), now_ms))
            .await
    }

    async fn refund(&self, refund_id: &str) -> IntentResult<Option<RefundRecord>> {
        let id = refund_id.to_owned();
        self.run(move |pool| async move {
            let mut conn = pool.get_conn().await?;
            refund_by_id(&mut conn, &id).await
        })
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
        self.run(move |pool| async move {
            let mut conn = pool.get_conn().await?;
            // A compare-and-set: a final refund never moves again.
            conn.exec_drop(
                "UPDATE provider_refunds SET status = ?, provider_refund_id = COALESCE(?, provider_refund_id),
                   detail = COALESCE(?, detail), updated_at = ?
                 WHERE refund_id = ? AND status IN ('requested', 'pending')",
                (to.as_str(), pid, detail, now_ms, id.as_str()),
            )
            .await?;
            refund_by_id(&mut conn, &id).await
        })
        .await
    }

    async fn open_refunds(&self, limit: i64) -> IntentResult<Vec<RefundRecord>> {
        self.run(move |pool| async move {
            let mut conn = pool.get_conn().await?;
            let rows: Vec<RefundRow> = conn
                .exec(
                    format!(
                        "SELECT {REFUND_COLUMNS} FROM provider_refunds WHERE status IN ('requested', 'pending')
                         ORDER BY updated_at LIMIT ?"
                    ),
                    (limit.max(0),),
                )
                .await?;
            rows.into_iter().map(refund_from).collect::<Step<Vec<_>>>()
        })
        .await
    }
}
