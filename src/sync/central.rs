//! The connection to the central database and the statements run on it.

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use chrono_tz::Tz;
use mysql_async::prelude::Queryable;
use mysql_async::{Opts, OptsBuilder, Pool, PoolConstraints, TxOpts, Value};

use crate::domain::report::{
    DayRefundRow, DayReport, DayRoundingRow, DaySummary, DayVatRow, Journal, JournalError,
    ReportLine, TicketRounding,
};
use crate::domain::{LineKind, Money, Product, Sale, Staff, VatRate};
use crate::mysql_hosts::{self, CONNECT_TIMEOUT, Fault, Hosts};
use crate::secrets::{Secret, redacted_urls};
use crate::store::{CentralProduct, CentralStaff, OutboxRow, central_product, central_staff};

use super::SyncError;

mod embedded {
    refinery::embed_migrations!("migrations/mysql");
}

/// The highest central schema migration this program carries (`kaching doctor` compares the
/// database's with it).
pub fn latest_version() -> i64 {
    embedded::migrations::runner()
        .get_migrations()
        .iter()
        .map(|m| i64::from(m.version()))
        .max()
        .unwrap_or(0)
}

/// Every statement round trip is bounded: a dead link must never hang the till.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(10);
/// Rows per multi-row INSERT (placeholders stay far below MySQL's 65 535).
const CHUNK: usize = 500;

/// Column tuples as the central database returns them.
type ProductRow = (String, Option<String>, String, i64, u8, bool, i64);
type LineRow = (
    String,
    String,
    i64,
    String,
    String,
    i64,
    String,
    i64,
    Option<u8>,
    i64,
    String,
    i64,
);
type TillDayRow = (String, i64, i64, i64, i64, i64, Option<i64>, Option<i64>);

/// The central database: one pool per configured host, the one in use, and the retry policy
/// of [`crate::mysql_hosts`] (the next host on a node failure, the same work again on a
/// conflict). Every public method is one unit of work, safe to run twice.
#[derive(Clone)]
pub struct Central {
    hosts: Arc<Hosts>,
}

/// One attempt's failure, kept whole until the host policy has judged it.
enum Failure {
    Db(mysql_async::Error),
    /// No answer within [`CALL_TIMEOUT`] (or [`CONNECT_TIMEOUT`] for a connection).
    Silent(Duration),
    Sync(SyncError),
}

impl From<SyncError> for Failure {
    fn from(e: SyncError) -> Failure {
        Failure::Sync(e)
    }
}

impl From<mysql_async::Error> for Failure {
    fn from(e: mysql_async::Error) -> Failure {
        Failure::Db(e)
    }
}

impl Failure {
    fn fault(&self) -> Fault {
        match self {
            Failure::Db(mysql_async::Error::Server(s))
                if super::is_row_conflict(s.code, &s.message) =>
            {
                Fault::Other
            }
            Failure::Db(e) => mysql_hosts::classify(e),
            Failure::Silent(_) => Fault::Node,
            Failure::Sync(_) => Fault::Other,
        }
    }

    fn into_sync(self) -> SyncError {
        match self {
            Failure::Db(e) => SyncError::from(e),
            Failure::Silent(d) => SyncError::Retryable(format!("no answer within {d:?}")),
            Failure::Sync(e) => e,
        }
    }
}

async fn bounded<T>(
    f: impl std::future::Future<Output = Result<T, mysql_async::Error>>,
) -> Result<T, Failure> {
    within(CALL_TIMEOUT, f).await
}

async fn within<T>(
    limit: Duration,
    f: impl std::future::Future<Output = Result<T, mysql_async::Error>>,
) -> Result<T, Failure> {
    match tokio::time::timeout(limit, f).await {
        Ok(r) => r.map_err(Failure::Db),
        Err(_) => Err(Failure::Silent(limit)),
    }
}

/// A connection from `pool`, given up after [`CONNECT_TIMEOUT`] (a dead host must not hold the
/// till while another one answers).
async fn connect(pool: &Pool) -> Result<mysql_async::Conn, Failure> {
    within(CONNECT_TIMEOUT, pool.get_conn()).await
}

/// What a pushed batch carried.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pushed {
    pub sales: usize,
    pub audit: usize,
}

/// A sale as the central database stores it.
fn sale_row(sale: &Sale, tz: Tz, received_at: i64) -> Vec<Value> {
    let day = sale.paid_at.with_timezone(&tz).date_naive();
    vec![
        sale.id.clone().into(),
        sale.till_id.clone().into(),
        sale.ticket_no.into(),
        sale.staff_id.as_str().to_owned().into(),
        sale.staff_name.clone().into(),
        sale.account.as_str().to_owned().into(),
        sale.method.as_str().to_owned().into(),
        sale.payment_ref.clone().into(),
        sale.revenue.cents().into(),
        sale.withdrawal.cents().into(),
        sale.paid.cents().into(),
        sale.tendered.map(Money::cents).into(),
        sale.change.cents().into(),
        crate::domain::sale::format_instant(sale.paid_at).into(),
        day.to_string().into(),
        sale.prev_hash.clone().into(),
        sale.hash.clone().into(),
        received_at.into(),
        sale.provider_ref.clone().into(),
        sale.rounding.cents().into(),
        sale.kind.as_str().to_owned().into(),
        sale.discount.cents().into(),
        sale.original.as_ref().map(|o| o.sale_id.clone()).into(),
        sale.original.as_ref().map(|o| o.till_id.clone()).into(),
        sale.original.as_ref().map(|o| o.ticket_no).into(),
        sale.original
            .as_ref()
            .map(|o| crate::domain::sale::format_instant(o.paid_at))
            .into(),
        sale.original
            .as_ref()
            .map(|o| o.method.as_str().to_owned())
            .into(),
        sale.reason.clone().into(),
        sale.approved_by.clone().into(),
    ]
}

const SALE_COLUMNS: &str = "id, till_id, ticket_no, staff_id, staff_name, account, method, payment_ref, revenue_cents, withdrawal_cents, \
     paid_cents, tendered_cents, change_cents, paid_at, day, prev_hash, hash, received_at, provider_ref, rounding_cents, \
     kind, discount_cents, original_sale_id, original_till_id, original_ticket_no, original_paid_at, original_method, reason, approved_by";

/// An intent's outbox payload as a `till_intents` row (its day in the shop's time zone).
fn intent_row(till_id: &str, tz: Tz, v: &serde_json::Value) -> Vec<Value> {
    let text = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
    let created = text("created_at");
    let day = chrono::DateTime::parse_from_rfc3339(&created)
        .map(|d| d.with_timezone(&tz).date_naive().to_string())
        .unwrap_or_else(|_| "1970-01-01".to_owned());
    vec![
        text("id").into(),
        till_id.to_owned().into(),
        text("account").into(),
        text("staff_id").into(),
        v["amount_cents"].as_i64().unwrap_or(0).into(),
        v["server"].as_str().map(str::to_owned).into(),
        text("state").into(),
        v["state_rank"].as_i64().unwrap_or(0).into(),
        v["sale_id"].as_str().map(str::to_owned).into(),
        created.into(),
        text("updated_at").into(),
        day.into(),
    ]
}

fn placeholders(rows: usize, cols: usize) -> String {
    let one = format!("({})", vec!["?"; cols].join(", "));
    vec![one; rows].join(", ")
}

impl Central {
    /// Connects lazily (the first statement opens the connection): a till starts offline too.
    /// `url` may name several hosts (`mysql://user:pw@db1:3306,db2:3306,db3:3306/kaching`):
    /// they are tried in that order, see [`crate::mysql_hosts`].
    pub fn new(url: &Secret) -> Result<Central, SyncError> {
        let bad = |e: String| {
            SyncError::Permanent(format!(
                "bad central URL {}: {e}",
                redacted_urls(url.expose())
            ))
        };
        let urls = mysql_hosts::split_hosts(url.expose(), &[]).map_err(bad)?;
        let mut nodes = Vec::with_capacity(urls.len());
        for one in urls {
            let opts = Opts::from_url(&one).map_err(|e| bad(e.to_string()))?;
            nodes.push((
                mysql_hosts::host_of(&one),
                Pool::new(Central::options(opts)),
            ));
        }
        Ok(Central {
            hosts: Arc::new(Hosts::new(nodes)),
        })
    }

    fn options(opts: Opts) -> OptsBuilder {
        let pool_opts = opts
            .pool_opts()
            .clone()
            .with_constraints(PoolConstraints::new(0, 4).unwrap_or_default())
            // No reset when a connection returns to the pool: it would re-run the session setup
            // and throw away the prepared statements at every batch (measured: 2.4× → 1.6× the
            // raw INSERT). Safe: every write is an explicit transaction, no session state.
            .with_reset_connection(false)
            .with_inactive_connection_ttl(Duration::from_secs(60));
        OptsBuilder::from_opts(opts)
            .pool_opts(pool_opts)
            .tcp_keepalive(Some(Duration::from_secs(10)))
            .setup(vec![
                "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
                "SET SESSION innodb_lock_wait_timeout = 20",
                // Strict: a conflicting re-send (hash set to NULL) must be an error, never a warning.
                "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'",
            ])
    }

    /// The configured hosts (`host:port`), in order of preference.
    pub fn hosts(&self) -> Vec<String> {
        self.hosts.labels()
    }

    /// The host in use now (`host:port`).
    pub fn current_host(&self) -> String {
        self.hosts.label(self.hosts.current()).to_owned()
    }

    /// Runs one unit of work under the host policy: on the host in use; on the next host at once
    /// when the node fails (each host once); again on the same host after a back-off when it
    /// lost a conflict (1213), [`mysql_hosts::CONTENTION_ATTEMPTS`] times in all.
    async fn run<T, Fut>(&self, op: impl Fn(Pool) -> Fut) -> Result<T, SyncError>
    where
        Fut: std::future::Future<Output = Result<T, Failure>>,
    {
        let hosts = &self.hosts;
        let mut at = hosts.current();
        let mut failed_hosts = 0;
        let mut attempts = 0;
        let mut backoff = mysql_hosts::contention_backoff();
        loop {
            attempts += 1;
            let failure = match op(hosts.pool(at).clone()).await {
                Ok(v) => {
                    hosts.settle(at);
                    return Ok(v);
                }
                Err(f) => f,
            };
            match failure.fault() {
                Fault::Node => {
                    failed_hosts += 1;
                    let e = failure.into_sync();
                    if failed_hosts >= hosts.len() {
                        return Err(match e {
                            SyncError::Retryable(m) if hosts.len() > 1 => {
                                SyncError::Retryable(format!(
                                    "none of the {} hosts answered; the last, {}: {m}",
                                    hosts.len(),
                                    hosts.label(at)
                                ))
                            }
                            e => e,
                        });
                    }
                    let next = hosts.move_on(at);
                    tracing::warn!(host = hosts.label(at), next = hosts.label(next), error = %e, "central host failed; using the next");
                    at = next;
                }
                Fault::Contention => match backoff.next() {
                    Some(pause) => {
                        tracing::info!(
                            host = hosts.label(at),
                            attempt = attempts,
                            "central write lost a conflict; running it again"
                        );
                        tokio::time::sleep(pause).await;
                    }
                    None => {
                        let detail = match failure {
                            Failure::Db(e) => e.to_string(),
                            other => other.into_sync().to_string(),
                        };
                        return Err(SyncError::Conflicted {
                            tries: attempts,
                            detail,
                        });
                    }
                },
                Fault::Other => return Err(failure.into_sync()),
            }
        }
    }

    /// Applies the central schema (`kaching migrate --central`).
    pub async fn migrate(&self) -> Result<Vec<String>, SyncError> {
        self.run(move |mut pool: Pool| async move {
            // A host that does not answer is the policy's (the next host); what the migration
            // itself refuses is not.
            drop(connect(&pool).await?);
            let report = embedded::migrations::runner()
                .run_async(&mut pool)
                .await
                .map_err(|e| SyncError::Permanent(format!("migration: {e}")))?;
            Ok(report
                .applied_migrations()
                .iter()
                .map(|m| m.to_string())
                .collect())
        })
        .await
    }

    /// Pushes a batch of outbox rows in one transaction. Re-sending the same rows changes
    /// nothing (`ON DUPLICATE KEY` keeps the first copy); a different sale under the same
    /// id or till+ticket is refused (the hash must match) rather than silently dropped.
    pub async fn push(
        &self,
        till_id: &str,
        tz: Tz,
        rows: &[OutboxRow],
        now_ms: i64,
    ) -> Result<Pushed, SyncError> {
        let mut sales: Vec<Sale> = Vec::new();
        let mut audit: Vec<Vec<Value>> = Vec::new();
        let mut intents: Vec<Vec<Value>> = Vec::new();
        let mut z_reports: Vec<Vec<Value>> = Vec::new();
        for r in rows {
            match r.kind.as_str() {
                "sale" => sales.push(
                    serde_json::from_str(&r.payload)
                        .map_err(|e| SyncError::Permanent(format!("outbox row {}: {e}", r.seq)))?,
                ),
                "audit" => {
                    let v: serde_json::Value = serde_json::from_str(&r.payload)
                        .map_err(|e| SyncError::Permanent(format!("outbox row {}: {e}", r.seq)))?;
                    audit.push(vec![
                        till_id.to_owned().into(),
                        v["seq"].as_i64().unwrap_or(0).into(),
                        v["at"].as_str().unwrap_or_default().to_owned().into(),
                        v["staff_id"].as_str().map(str::to_owned).into(),
                        v["action"].as_str().unwrap_or_default().to_owned().into(),
                        v["detail"].as_str().unwrap_or_default().to_owned().into(),
                    ]);
                }
                "intent" => {
                    let v: serde_json::Value = serde_json::from_str(&r.payload)
                        .map_err(|e| SyncError::Permanent(format!("outbox row {}: {e}", r.seq)))?;
                    intents.push(intent_row(till_id, tz, &v));
                }
                "z_report" => {
                    let bad =
                        |e: String| SyncError::Permanent(format!("outbox row {}: {e}", r.seq));
                    let v: serde_json::Value =
                        serde_json::from_str(&r.payload).map_err(|e| bad(e.to_string()))?;
                    let text = v["report"].as_str().unwrap_or_default().to_owned();
                    let z: crate::domain::drawer::DrawerReport =
                        serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
                    z_reports.push(vec![
                        z.till_id.clone().into(),
                        z.z_no.into(),
                        z.opened_at.clone().into(),
                        z.until.clone().into(),
                        text.into(),
                        v["prev_hash"]
                            .as_str()
                            .unwrap_or_default()
                            .to_owned()
                            .into(),
                        v["hash"].as_str().unwrap_or_default().to_owned().into(),
                        now_ms.into(),
                    ]);
                }
                other => {
                    return Err(SyncError::Permanent(format!(
                        "outbox row {}: unknown kind {other}",
                        r.seq
                    )));
                }
            }
        }
        let (sales, audit, z_reports, intents) = (&sales, &audit, &z_reports, &intents);
        self.run(move |pool: Pool| async move {
            let mut conn = connect(&pool).await?;
            let mut tx = bounded(conn.start_transaction(TxOpts::default())).await?;
            bounded(tx.exec_drop(
                "INSERT INTO tills (id, first_seen) VALUES (?, ?) ON DUPLICATE KEY UPDATE id = id",
                (till_id, now_ms),
            ))
            .await?;
            for chunk in sales.chunks(CHUNK) {
                let params: Vec<Value> = chunk.iter().flat_map(|s| sale_row(s, tz, now_ms)).collect();
                let sql = format!(
                    "INSERT INTO sales ({SALE_COLUMNS}) VALUES {} ON DUPLICATE KEY UPDATE hash = IF(hash = VALUES(hash), hash, NULL)",
                    placeholders(chunk.len(), SALE_COLUMNS.split(',').count())
                );
                bounded(tx.exec_drop(sql, params)).await?;
                let lines: Vec<Value> = chunk
                    .iter()
                    .flat_map(|s| {
                        s.lines.iter().flat_map(move |l| {
                            vec![
                                s.id.clone().into(),
                                l.line_no.into(),
                                l.kind.as_str().to_owned().into(),
                                l.product_code.clone().into(),
                                l.name.clone().into(),
                                l.unit.cents().into(),
                                l.qty.into(),
                                l.total.cents().into(),
                                l.vat.map(VatRate::percent).into(),
                                l.discount.cents().into(),
                                l.original_line.into(),
                            ]
                        })
                    })
                    .collect();
                for line_chunk in lines.chunks(CHUNK * 11) {
                    let sql = format!(
                        "INSERT INTO sale_lines (sale_id, line_no, kind, product_code, name, unit_cents, qty, total_cents, vat_rate, discount_cents, original_line) VALUES {} \
                         ON DUPLICATE KEY UPDATE sale_id = sale_id",
                        placeholders(line_chunk.len() / 11, 11)
                    );
                    bounded(tx.exec_drop(sql, line_chunk.to_vec())).await?;
                }
            }
            for chunk in audit.chunks(CHUNK) {
                let sql = format!(
                    "INSERT INTO audit (till_id, seq, at, staff_id, action, detail) VALUES {} ON DUPLICATE KEY UPDATE seq = seq",
                    placeholders(chunk.len(), 6)
                );
                bounded(tx.exec_drop(sql, chunk.concat())).await?;
            }
            for chunk in z_reports.chunks(CHUNK) {
                let sql = format!(
                    "INSERT INTO z_reports (till_id, z_no, opened_at, closed_at, report, prev_hash, hash, received_at) VALUES {} \
                     ON DUPLICATE KEY UPDATE z_no = z_no",
                    placeholders(chunk.len(), 8)
                );
                bounded(tx.exec_drop(sql, chunk.concat())).await?;
            }
            for chunk in intents.chunks(CHUNK) {
                // Forward moves only: `state` is assigned before `state_rank` (MySQL applies the
                // assignments left to right, each seeing the ones before).
                let sql = format!(
                    "INSERT INTO till_intents (id, till_id, account, staff_id, amount_cents, server, state, state_rank, sale_id, created_at, updated_at, day) VALUES {} \
                     ON DUPLICATE KEY UPDATE state = IF(VALUES(state_rank) > state_rank, VALUES(state), state), \
                     sale_id = COALESCE(VALUES(sale_id), sale_id), server = COALESCE(VALUES(server), server), \
                     updated_at = IF(VALUES(state_rank) > state_rank, VALUES(updated_at), updated_at), \
                     state_rank = GREATEST(state_rank, VALUES(state_rank))",
                    placeholders(chunk.len(), 12)
                );
                bounded(tx.exec_drop(sql, chunk.concat())).await?;
            }
            bounded(tx.commit()).await?;
            Ok(Pushed {
                sales: sales.len(),
                audit: audit.len(),
            })
        })
        .await
    }

    /// Staff changed since `after` (a version), in version order.
    pub async fn staff_since(&self, after: i64) -> Result<Vec<CentralStaff>, SyncError> {
        self.run(move |pool: Pool| async move {
            let mut conn = connect(&pool).await?;
            let rows: Vec<(String, String, String, String, bool, String, i64)> = bounded(conn.exec(
                "SELECT id, name, role, pin_hash, active, lang, version FROM staff WHERE version > ? ORDER BY version LIMIT 5000",
                (after,),
            ))
            .await?;
            rows.into_iter()
                .map(|(id, name, role, hash, active, lang, version)| {
                    central_staff(&id, name, &role, hash, active, &lang, version)
                        .map_err(|e| SyncError::Permanent(e.to_string()).into())
                })
                .collect()
        })
        .await
    }

    /// Products changed since `after`, in version order.
    pub async fn products_since(&self, after: i64) -> Result<Vec<CentralProduct>, SyncError> {
        self.run(move |pool: Pool| async move {
            let mut conn = connect(&pool).await?;
            let rows: Vec<ProductRow> = bounded(conn.exec(
                "SELECT code, barcode, name, price_cents, vat_rate, active, version FROM products WHERE version > ? ORDER BY version LIMIT 20000",
                (after,),
            ))
            .await?;
            rows.into_iter()
                .map(|(code, barcode, name, price, vat, active, version)| {
                    central_product(&code, barcode.as_deref(), name, price, vat, active, version)
                        .map_err(|e| SyncError::Permanent(e.to_string()).into())
                })
                .collect()
        })
        .await
    }

    /// Records the till's state centrally: what it still has to push, when it last synced.
    pub async fn heartbeat(
        &self,
        till_id: &str,
        pending: i64,
        parked: i64,
        last_sync_ms: Option<i64>,
        now_ms: i64,
    ) -> Result<(), SyncError> {
        self.run(move |pool: Pool| async move {
            let mut conn = connect(&pool).await?;
            bounded(conn.exec_drop(
                "INSERT INTO till_heartbeats (till_id, pending, parked, last_sync_at, version, seen_at) VALUES (?, ?, ?, ?, ?, ?) \
                 ON DUPLICATE KEY UPDATE pending = VALUES(pending), parked = VALUES(parked), \
                 last_sync_at = COALESCE(VALUES(last_sync_at), last_sync_at), version = VALUES(version), seen_at = VALUES(seen_at)",
                (till_id, pending, parked, last_sync_ms, env!("CARGO_PKG_VERSION"), now_ms),
            ))
            .await
        })
        .await
    }

    /// The next version of a table, taken inside the caller's transaction.
    async fn next_version(
        tx: &mut mysql_async::Transaction<'_>,
        name: &str,
    ) -> Result<i64, Failure> {
        bounded(tx.exec_drop(
            "UPDATE central_versions SET value = LAST_INSERT_ID(value + 1) WHERE name = ?",
            (name,),
        ))
        .await?;
        let v: Option<i64> = bounded(tx.query_first("SELECT LAST_INSERT_ID()")).await?;
        v.ok_or_else(|| SyncError::Permanent("no version".into()).into())
    }

    /// Adds a staff member centrally (`kaching staff add` with a central database).
    pub async fn add_staff(&self, staff: &Staff, pin_hash: &str) -> Result<(), SyncError> {
        self.run(move |pool: Pool| async move {
            let mut conn = connect(&pool).await?;
            let mut tx = bounded(conn.start_transaction(TxOpts::default())).await?;
            let exists: Option<String> =
                bounded(tx.exec_first("SELECT id FROM staff WHERE id = ?", (staff.id.as_str(),)))
                    .await?;
            if exists.is_some() {
                return Err(Failure::from(SyncError::Conflict(format!(
                    "staff ID {} already exists",
                    staff.id
                ))));
            }
            let v = Central::next_version(&mut tx, "staff").await?;
            bounded(tx.exec_drop(
                "INSERT INTO staff (id, name, role, pin_hash, active, lang, version) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    staff.id.as_str(),
                    &staff.name,
                    staff.role.as_str(),
                    pin_hash,
                    staff.active,
                    staff.lang.as_str(),
                    v,
                ),
            ))
            .await?;
            bounded(tx.commit()).await
        })
        .await
    }

    /// Enables or disables a staff member centrally; every till applies it at its next sync.
    pub async fn set_staff_active(&self, id: &str, active: bool) -> Result<(), SyncError> {
        self.update_versioned(
            "staff",
            "UPDATE staff SET active = ?, version = ? WHERE id = ?",
            |v| vec![Value::from(active), Value::from(v), Value::from(id)],
            || format!("staff ID {id}"),
        )
        .await
    }

    /// Sets a staff member's language centrally; every till applies it at its next sync.
    pub async fn set_staff_lang(&self, id: &str, lang: crate::i18n::Lang) -> Result<(), SyncError> {
        self.update_versioned(
            "staff",
            "UPDATE staff SET lang = ?, version = ? WHERE id = ?",
            |v| vec![Value::from(lang.as_str()), Value::from(v), Value::from(id)],
            || format!("staff ID {id}"),
        )
        .await
    }

    /// One change to one row of `table` (staff or products) in a transaction: the row takes the
    /// table's next version, so every till pulls it at its next sync. `sql` is an UPDATE whose
    /// parameters `params(version)` gives; no row matched is [`SyncError::NotFound`].
    async fn update_versioned(
        &self,
        table: &'static str,
        sql: &'static str,
        params: impl Fn(i64) -> Vec<Value>,
        what: impl Fn() -> String,
    ) -> Result<(), SyncError> {
        let (params, what) = (&params, &what);
        self.run(move |pool: Pool| async move {
            let mut conn = connect(&pool).await?;
            let mut tx = bounded(conn.start_transaction(TxOpts::default())).await?;
            let v = Central::next_version(&mut tx, table).await?;
            bounded(tx.exec_drop(sql, params(v))).await?;
            if tx.affected_rows() == 0 {
                return Err(Failure::from(SyncError::NotFound(what())));
            }
            bounded(tx.commit()).await
        })
        .await
    }

    /// Sets a staff member's PIN hash centrally (the admin's PIN reset); every till pulls it.
    pub async fn set_staff_pin(&self, id: &str, pin_hash: &str) -> Result<(), SyncError> {
        self.update_versioned(
            "staff",
            "UPDATE staff SET pin_hash = ?, version = ? WHERE id = ?",
            |v| vec![Value::from(pin_hash), Value::from(v), Value::from(id)],
            || format!("staff ID {id}"),
        )
        .await
    }

    /// Adds or edits products centrally in one transaction (the admin screen): all or nothing,
    /// and, unlike [`Central::import_products`], a barcode held by an article outside `products`
    /// is a [`SyncError::Conflict`] (barcodes may move between the articles given).
    pub async fn save_products(&self, products: &[Product]) -> Result<(), SyncError> {
        self.run(move |pool: Pool| async move {
            let mut conn = connect(&pool).await?;
            let mut tx = bounded(conn.start_transaction(TxOpts::default())).await?;
            for p in products {
                bounded(tx.exec_drop(
                    "UPDATE products SET barcode = NULL WHERE code = ?",
                    (p.code.as_str(),),
                ))
                .await?;
            }
            for p in products {
                let barcode = p.barcode.as_ref().map(|b| b.as_str().to_owned());
                if let Some(b) = &barcode {
                    let owner: Option<String> = bounded(tx.exec_first(
                        "SELECT code FROM products WHERE barcode = ? AND code <> ?",
                        (b, p.code.as_str()),
                    ))
                    .await?;
                    if let Some(other) = owner {
                        // Dropping the transaction rolls it back.
                        return Err(Failure::from(SyncError::Conflict(format!(
                            "barcode {b} of article {} already belongs to article {other}",
                            p.code
                        ))));
                    }
                }
                let v = Central::next_version(&mut tx, "products").await?;
                bounded(tx.exec_drop(
                    "INSERT INTO products (code, barcode, name, price_cents, vat_rate, active, version) VALUES (?, ?, ?, ?, ?, ?, ?) \
                     ON DUPLICATE KEY UPDATE barcode = VALUES(barcode), name = VALUES(name), price_cents = VALUES(price_cents), \
                     vat_rate = VALUES(vat_rate), version = VALUES(version)",
                    (p.code.as_str(), barcode, &p.name, p.price.cents(), p.vat.percent(), p.active, v),
                ))
                .await?;
            }
            bounded(tx.commit()).await
        })
        .await
    }

    /// Enables or disables a product centrally.
    pub async fn set_product_active(&self, code: &str, active: bool) -> Result<(), SyncError> {
        self.update_versioned(
            "products",
            "UPDATE products SET active = ?, version = ? WHERE code = ?",
            |v| vec![Value::from(active), Value::from(v), Value::from(code)],
            || format!("article {code}"),
        )
        .await
    }

    /// Imports products centrally in one transaction (all or nothing).
    pub async fn import_products(&self, products: &[Product]) -> Result<usize, SyncError> {
        self.run(move |pool: Pool| async move {
            let mut conn = connect(&pool).await?;
            let mut tx = bounded(conn.start_transaction(TxOpts::default())).await?;
            for p in products {
                let v = Central::next_version(&mut tx, "products").await?;
                let barcode = p.barcode.as_ref().map(|b| b.as_str().to_owned());
                if let Some(b) = &barcode {
                    bounded(tx.exec_drop(
                        "UPDATE products SET barcode = NULL WHERE barcode = ? AND code <> ?",
                        (b, p.code.as_str()),
                    ))
                    .await?;
                }
                bounded(tx.exec_drop(
                    "INSERT INTO products (code, barcode, name, price_cents, vat_rate, active, version) VALUES (?, ?, ?, ?, ?, ?, ?) \
                     ON DUPLICATE KEY UPDATE barcode = VALUES(barcode), name = VALUES(name), price_cents = VALUES(price_cents), \
                     vat_rate = VALUES(vat_rate), version = VALUES(version)",
                    (p.code.as_str(), barcode, &p.name, p.price.cents(), p.vat.percent(), p.active, v),
                ))
                .await?;
            }
            bounded(tx.commit()).await?;
            Ok(products.len())
        })
        .await
    }

    /// The day report across all tills, with the tickets' cash rounding, credit notes and
    /// discounts (the same report as a till's ledger gives for the same sales).
    pub async fn day_report(&self, day: NaiveDate, tz: Tz) -> Result<DayReport, SyncError> {
        self.run(move |pool: Pool| async move {
            let mut conn = connect(&pool).await?;
            let rows: Vec<LineRow> = bounded(conn.exec(
                "SELECT s.paid_at, s.till_id, s.ticket_no, s.staff_name, l.name, l.qty, l.kind, l.total_cents, l.vat_rate, s.rounding_cents, \
                 s.kind, l.discount_cents \
                 FROM sales s JOIN sale_lines l ON l.sale_id = s.id WHERE s.day = ? \
                 ORDER BY s.paid_at, s.till_id, s.ticket_no, l.line_no",
                (day.to_string(),),
            ))
            .await?;
            let mut lines: Vec<ReportLine> = Vec::with_capacity(rows.len());
            let mut roundings = Vec::new();
            for (
                paid_at,
                till_id,
                ticket_no,
                seller,
                product,
                qty,
                kind,
                total,
                vat,
                rounding,
                sale_kind,
                discount,
            ) in rows
            {
                let refund = match crate::domain::sale::SaleKind::parse(&sale_kind) {
                    Some(k) => k == crate::domain::sale::SaleKind::Refund,
                    None => {
                        return Err(Failure::from(SyncError::Permanent(format!("bad sale kind {sale_kind}"))));
                    }
                };
                let time = chrono::DateTime::parse_from_rfc3339(&paid_at)
                    .map(|t| t.with_timezone(&tz).format("%H:%M:%S").to_string())
                    .map_err(|e| SyncError::Permanent(format!("bad time {paid_at}: {e}")))?;
                // A ticket's lines come together: its rounding is taken once, at its first line.
                let first_line = lines
                    .last()
                    .is_none_or(|l| l.ticket_no != ticket_no || l.till_id != till_id);
                if rounding != 0 && first_line {
                    roundings.push(TicketRounding {
                        till_id: till_id.clone(),
                        ticket_no,
                        rounding_cents: Money::from_cents(rounding),
                    });
                }
                lines.push(ReportLine {
                    time,
                    till_id,
                    ticket_no,
                    seller,
                    product,
                    qty,
                    kind: LineKind::parse(&kind)
                        .ok_or_else(|| SyncError::Permanent(format!("bad kind {kind}")))?,
                    total_cents: Money::from_cents(total),
                    vat_rate: vat.and_then(|v| VatRate::try_from(v).ok()),
                    discount_cents: Money::from_cents(discount),
                    refund,
                });
            }
            Ok(DayReport::build_with_rounding(day, lines, roundings))
        })
        .await
    }

    /// A sale for a return at another till: by `(till_id, ticket_no)` or by its id, with its
    /// lines, and what the credit notes central knows of returned of it (each refund's id, the
    /// original line, units and amount, positive): the till adds its own not yet pushed.
    pub async fn sale_for_refund(
        &self,
        key: &crate::domain::refund::TicketKey,
    ) -> Result<Option<(Sale, Vec<crate::domain::refund::ReturnedRow>)>, SyncError> {
        use crate::domain::refund::TicketKey;
        self.run(move |pool: Pool| async move {
            let mut conn = connect(&pool).await?;
            type Head = (
                String,
                String,
                i64,
                String,
                String,
                String,
                String,
                Option<String>,
                String,
                i64,
                String,
            );
            let cols = "id, till_id, ticket_no, staff_id, staff_name, account, method, payment_ref, paid_at, rounding_cents, kind";
            let head: Option<Head> = match key {
                TicketKey::Ticket { till_id, ticket_no } => {
                    bounded(conn.exec_first(
                        format!("SELECT {cols} FROM sales WHERE till_id = ? AND ticket_no = ?"),
                        (till_id.as_str(), *ticket_no),
                    ))
                    .await?
                }
                TicketKey::SaleId(id) => {
                    bounded(conn.exec_first(
                        format!("SELECT {cols} FROM sales WHERE id = ?"),
                        (id.as_str(),),
                    ))
                    .await?
                }
                TicketKey::Local(_) => None,
            };
            let Some((
                id,
                till_id,
                ticket_no,
                staff_id,
                staff_name,
                account,
                method,
                payment_ref,
                paid_at,
                rounding,
                kind,
            )) = head
            else {
                return Ok(None);
            };
            let sale_id = id.clone();
            let bad = move |what: &str| SyncError::Permanent(format!("sale {sale_id}: bad {what}"));
            type LineRow = (
                u32,
                String,
                Option<String>,
                String,
                i64,
                i64,
                i64,
                Option<u8>,
                i64,
            );
            let rows: Vec<LineRow> = bounded(conn.exec(
                "SELECT line_no, kind, product_code, name, unit_cents, qty, total_cents, vat_rate, discount_cents \
                 FROM sale_lines WHERE sale_id = ? ORDER BY line_no",
                (id.as_str(),),
            ))
            .await?;
            let mut lines = Vec::with_capacity(rows.len());
            for (line_no, lkind, product_code, name, unit, qty, total, vat, discount) in rows {
                lines.push(crate::domain::sale::SaleLine {
                    line_no,
                    kind: LineKind::parse(&lkind).ok_or_else(|| bad("line kind"))?,
                    product_code,
                    name,
                    unit: Money::from_cents(unit),
                    qty,
                    total: Money::from_cents(total),
                    vat: vat.and_then(|v| VatRate::try_from(v).ok()),
                    discount: Money::from_cents(discount),
                    original_line: None,
                });
            }
            let paid_at = chrono::DateTime::parse_from_rfc3339(&paid_at)
                .map_err(|_| bad("time"))?
                .with_timezone(&chrono::Utc);
            let sale = Sale {
                id,
                till_id,
                ticket_no,
                staff_id: crate::domain::StaffId::parse(&staff_id).map_err(|_| bad("staff id"))?,
                staff_name,
                account: crate::domain::Account::parse(&account).ok_or_else(|| bad("account"))?,
                method: crate::domain::PaymentMethod::parse(&method).ok_or_else(|| bad("method"))?,
                payment_ref,
                provider_ref: None,
                revenue: lines
                    .iter()
                    .filter(|l| l.kind == LineKind::Item)
                    .map(|l| l.total)
                    .sum(),
                withdrawal: lines
                    .iter()
                    .filter(|l| l.kind == LineKind::Withdrawal)
                    .map(|l| l.total)
                    .sum(),
                paid: lines.iter().map(|l| l.total).sum(),
                rounding: Money::from_cents(rounding),
                tendered: None,
                change: Money::ZERO,
                discount: lines.iter().map(|l| l.discount).sum(),
                kind: crate::domain::sale::SaleKind::parse(&kind).ok_or_else(|| bad("kind"))?,
                original: None,
                reason: None,
                approved_by: None,
                paid_at,
                lines,
                prev_hash: String::new(),
                hash: String::new(),
            };
            drop(conn);
            let returned = self.refunds_of(&sale.id).await?;
            Ok(Some((sale, returned)))
        })
        .await
    }

    /// What the credit notes central knows of returned of sale `original` (every till's), one
    /// row per credit note and line (positive units and amount).
    pub async fn refunds_of(
        &self,
        original: &str,
    ) -> Result<Vec<crate::domain::refund::ReturnedRow>, SyncError> {
        self.run(move |pool: Pool| async move {
            let mut conn = connect(&pool).await?;
            let rows: Vec<(String, u32, i64, i64)> = bounded(conn.exec(
                "SELECT s.id, l.original_line, CAST(-l.qty AS SIGNED), CAST(-l.total_cents AS SIGNED) \
                 FROM sales s JOIN sale_lines l ON l.sale_id = s.id \
                 WHERE s.original_sale_id = ? AND s.kind = 'refund' AND l.original_line IS NOT NULL",
                (original,),
            ))
            .await?;
            Ok(rows
                .into_iter()
                .map(
                    |(refund_id, line, qty, amount)| crate::domain::refund::ReturnedRow {
                        refund_id,
                        line,
                        qty,
                        amount: Money::from_cents(amount),
                    },
                )
                .collect())
        })
        .await
    }

    /// The days with sales across all tills, newest first: tickets sold (credit notes are not
    /// counted), revenue net of credit notes.
    pub async fn days(&self) -> Result<Vec<DaySummary>, SyncError> {
        self.run(move |pool: Pool| async move {
            let mut conn = connect(&pool).await?;
            let rows: Vec<(String, i64, i64, i64)> = bounded(conn.query(
                "SELECT CAST(day AS CHAR), CAST(SUM(kind = 'sale') AS SIGNED), CAST(SUM(revenue_cents) AS SIGNED), CAST(SUM(withdrawal_cents) AS SIGNED) \
                 FROM sales GROUP BY day ORDER BY day DESC",
            ))
            .await?;
            rows.into_iter()
                .map(|(day, tickets, revenue, withdrawals)| {
                    Ok(DaySummary {
                        day: day
                            .parse()
                            .map_err(|_| SyncError::Permanent(format!("bad day {day}")))?,
                        tickets,
                        revenue_cents: Money::from_cents(revenue),
                        withdrawal_cents: Money::from_cents(withdrawals),
                    })
                })
                .collect()
        })
        .await
    }

    /// A till's Z report `no` as the till sealed it (its latest when `None`), from the central
    /// database; its seal is checked against its hash.
    pub async fn z_report(
        &self,
        till_id: &str,
        no: Option<i64>,
    ) -> Result<Option<crate::domain::drawer::DrawerReport>, SyncError> {
        self.run(move |pool: Pool| async move {
            let mut conn = connect(&pool).await?;
            let row: Option<(String, String, String)> = match no {
                Some(n) => {
                    bounded(conn.exec_first(
                        "SELECT report, prev_hash, hash FROM z_reports WHERE till_id = ? AND z_no = ?",
                        (till_id, n),
                    ))
                    .await?
                }
                None => {
                    bounded(conn.exec_first(
                        "SELECT report, prev_hash, hash FROM z_reports WHERE till_id = ? ORDER BY z_no DESC LIMIT 1",
                        (till_id,),
                    ))
                    .await?
                }
            };
            let Some((text, prev, hash)) = row else {
                return Ok(None);
            };
            crate::domain::drawer::DrawerReport::matches_seal(&text, &prev, &hash)
                .map(Some)
                .ok_or_else(|| {
                    SyncError::Permanent(format!(
                        "central Z report {} of {till_id} does not match its seal",
                        no.map_or_else(|| "(latest)".to_owned(), |n| n.to_string())
                    ))
                    .into()
                })
        })
        .await
    }

    /// The daily receipts journal across all tills (the cash rounding per day its own total;
    /// credit notes and discounts per day and per rate, as a till's ledger gives them).
    pub async fn journal(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Result<Journal, JournalError>, SyncError> {
        if let Err(e) = crate::domain::report::check_period(from, to) {
            return Ok(Err(e));
        }
        self.run(move |pool: Pool| async move {
            let mut conn = connect(&pool).await?;
            let (f, t) = (from.to_string(), to.to_string());
            type DayRow = (String, i64, i64, i64, i64, i64, i64, i64);
            let sums: Vec<DayRow> = bounded(conn.exec(
                "SELECT CAST(day AS CHAR), CAST(SUM(kind = 'sale') AS SIGNED), CAST(SUM(revenue_cents) AS SIGNED), \
                 CAST(SUM(withdrawal_cents) AS SIGNED), CAST(SUM(rounding_cents) AS SIGNED), CAST(SUM(kind = 'refund') AS SIGNED), \
                 CAST(SUM(IF(kind = 'refund', revenue_cents, 0)) AS SIGNED), CAST(SUM(discount_cents) AS SIGNED) \
                 FROM sales WHERE day BETWEEN ? AND ? GROUP BY day",
                (&f, &t),
            ))
            .await?;
            let vat: Vec<(String, u8, i64, i64, i64)> = bounded(conn.exec(
                "SELECT CAST(s.day AS CHAR), l.vat_rate, CAST(SUM(l.total_cents) AS SIGNED), \
                 CAST(SUM(IF(s.kind = 'refund', l.total_cents, 0)) AS SIGNED), CAST(SUM(l.discount_cents) AS SIGNED) \
                 FROM sales s JOIN sale_lines l ON l.sale_id = s.id \
                 WHERE s.day BETWEEN ? AND ? AND l.kind = 'item' AND l.vat_rate IS NOT NULL GROUP BY s.day, l.vat_rate",
                (&f, &t),
            ))
            .await?;
            let day = |d: &str| {
                d.parse::<NaiveDate>()
                    .map_err(|_| SyncError::Permanent(format!("bad day {d}")))
            };
            let (mut summaries, mut rounding_rows, mut refund_rows) = (
                Vec::with_capacity(sums.len()),
                Vec::with_capacity(sums.len()),
                Vec::with_capacity(sums.len()),
            );
            for (d, tickets, revenue, wd, rounding, refunds, refund, discount) in &sums {
                let day = day(d)?;
                summaries.push(DaySummary {
                    day,
                    tickets: *tickets,
                    revenue_cents: Money::from_cents(*revenue),
                    withdrawal_cents: Money::from_cents(*wd),
                });
                rounding_rows.push(DayRoundingRow {
                    day,
                    rounding: Money::from_cents(*rounding),
                });
                refund_rows.push(DayRefundRow {
                    day,
                    refunds: *refunds,
                    refund: Money::from_cents(*refund),
                    discount: Money::from_cents(*discount),
                });
            }
            let vat_rows = vat
                .iter()
                .map(|(d, rate, gross, refunds, discount)| {
                    Ok(DayVatRow {
                        day: day(d)?,
                        rate: VatRate::try_from(*rate)
                            .map_err(|e| SyncError::Permanent(e.to_string()))?,
                        gross: Money::from_cents(*gross),
                        refunds: Money::from_cents(*refunds),
                        discount: Money::from_cents(*discount),
                    })
                })
                .collect::<Result<Vec<_>, SyncError>>()?;
            Ok(Journal::build(
                from,
                to,
                &summaries,
                &vat_rows,
                &rounding_rows,
                &refund_rows,
            ))
        })
        .await
    }

    /// Per till, for one day: tickets sold, credit notes and totals the central database
    /// holds, and each till's last heartbeat (what it still had to push).
    pub async fn reconcile(&self, day: NaiveDate) -> Result<Vec<TillDay>, SyncError> {
        self.run(move |pool: Pool| async move {
            let mut conn = connect(&pool).await?;
            let rows: Vec<TillDayRow> = bounded(conn.exec(
                "SELECT s.till_id, CAST(SUM(s.kind = 'sale') AS SIGNED), CAST(SUM(s.kind = 'refund') AS SIGNED), \
                 CAST(SUM(s.revenue_cents) AS SIGNED), CAST(SUM(IF(s.kind = 'refund', s.revenue_cents, 0)) AS SIGNED), \
                 CAST(SUM(s.paid_cents) AS SIGNED), h.pending, h.seen_at \
                 FROM sales s LEFT JOIN till_heartbeats h ON h.till_id = s.till_id WHERE s.day = ? GROUP BY s.till_id, h.pending, h.seen_at \
                 ORDER BY s.till_id",
                (day.to_string(),),
            ))
            .await?;
            Ok(rows
                .into_iter()
                .map(
                    |(till_id, tickets, refunds, revenue, refund, paid, pending, seen_at)| TillDay {
                        till_id,
                        tickets,
                        refunds,
                        refund_cents: refund,
                        revenue_cents: revenue,
                        paid_cents: paid,
                        pending_at_last_heartbeat: pending,
                        heartbeat_at: seen_at,
                    },
                )
                .collect())
        })
        .await
    }

    /// Per till, for one day, the payments that do not match a sale: intents paid without a
    /// sale, and QR sales whose intent is not paid — neither in the tills' own intents nor, when
    /// the payment server keeps its intents in this same database, on the server.
    /// A credit note paid back by QR is the provider's refund of its original's payment, not an
    /// intent of its own: it is not one of them (before, every QR refund was listed as a sale
    /// whose intent was unknown).
    pub async fn payment_mismatches(
        &self,
        day: NaiveDate,
    ) -> Result<Vec<PaymentMismatch>, SyncError> {
        self.run(move |pool: Pool| async move {
            let mut conn = connect(&pool).await?;
            let day = day.to_string();
            let unrecorded: Vec<(String, String, i64, Option<String>)> = bounded(conn.exec(
                "SELECT till_id, id, amount_cents, server FROM till_intents WHERE day = ? AND state = 'paid' ORDER BY till_id, created_at",
                (day.clone(),),
            ))
            .await?;
            type Unpaid = (
                String,
                i64,
                Option<String>,
                i64,
                Option<String>,
                Option<String>,
            );
            let unpaid: Vec<Unpaid> =
                bounded(conn.exec(
                    "SELECT s.till_id, s.ticket_no, s.payment_ref, s.paid_cents, ti.state,                    (SELECT p.status FROM payment_intents p WHERE p.id = s.payment_ref)                  FROM sales s LEFT JOIN till_intents ti                    ON ti.id = IF(s.payment_ref LIKE 'lan:%', SUBSTRING(s.payment_ref, 5), s.payment_ref)                  WHERE s.day = ? AND s.method = 'qr' AND s.kind = 'sale' ORDER BY s.till_id, s.ticket_no",
                    (day,),
                ))
                .await?;
            let mut out: Vec<PaymentMismatch> = unrecorded
                .into_iter()
                .map(|(till_id, intent_id, amount, server)| PaymentMismatch {
                    till_id,
                    intent_id,
                    ticket_no: None,
                    amount_cents: amount,
                    problem: format!(
                        "paid on the {} server, no sale",
                        server.as_deref().unwrap_or("?")
                    ),
                })
                .collect();
            for (till_id, ticket_no, reference, paid, till_state, server_status) in unpaid {
                let reference = reference.unwrap_or_default();
                let by_till = matches!(till_state.as_deref(), Some("paid" | "recorded"));
                // The server's word counts when it keeps its intents here; a LAN payment is only
                // known to its till.
                let by_server = match server_status.as_deref() {
                    Some(s) => s == "paid",
                    None => true,
                };
                if by_till && by_server {
                    continue;
                }
                let problem = if !by_server {
                    format!(
                        "sale, but the payment server says {}",
                        server_status.as_deref().unwrap_or("?")
                    )
                } else {
                    format!(
                        "sale, but the till's intent is {}",
                        till_state.as_deref().unwrap_or("unknown")
                    )
                };
                out.push(PaymentMismatch {
                    till_id,
                    intent_id: reference,
                    ticket_no: Some(ticket_no),
                    amount_cents: paid,
                    problem,
                });
            }
            out.sort_by(|a, b| a.till_id.cmp(&b.till_id));
            Ok(out)
        })
        .await
    }

    pub async fn disconnect(self) {
        for pool in self.hosts.pools() {
            let _ = pool.clone().disconnect().await;
        }
    }
}

/// A payment without its sale, or a QR sale without its paid intent.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PaymentMismatch {
    pub till_id: String,
    pub intent_id: String,
    pub ticket_no: Option<i64>,
    pub amount_cents: i64,
    pub problem: String,
}

/// One till's day as the central database sees it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TillDay {
    pub till_id: String,
    /// Tickets sold (credit notes are in `refunds`).
    pub tickets: i64,
    /// Credit notes, and what they took back (negative, inside `revenue_cents`).
    pub refunds: i64,
    pub refund_cents: i64,
    /// Net of credit notes.
    pub revenue_cents: i64,
    pub paid_cents: i64,
    pub pending_at_last_heartbeat: Option<i64>,
    pub heartbeat_at: Option<i64>,
}
