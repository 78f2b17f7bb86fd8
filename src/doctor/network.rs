//! The checks of what this till reaches over the network: the central database (latency,
//! schema version) and the hosted payment server (alive, and accepting this till's signature).
//! Each is bounded ([`CENTRAL_WAIT`], [`PAYMENT_WAIT`]): a closed port or a black hole is a ✘
//! within seconds.

use std::time::{Duration, Instant};

use crate::clock::SharedClock;
use crate::config::Settings;
use crate::pay_web::client::{ClientError, PayClient};
use crate::secrets::Secret;

use super::{CENTRAL_WAIT, Check, CheckId, PAYMENT_WAIT, Status, root_cause, text};

// Central database.

/// `host:port/database` of a MySQL URL: what the detail shows (never the password).
fn mysql_target(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => format!(
            "{}:{}{}",
            u.host_str().unwrap_or("?"),
            u.port().unwrap_or(3306),
            u.path()
        ),
        Err(_) => "(unparsable URL)".to_owned(),
    }
}

/// The highest central migration this program carries.
pub fn latest_central_version() -> i64 {
    crate::sync::central::latest_version()
}

/// What the central database said, before it is judged.
enum CentralAnswer {
    /// Round trip of `SELECT 1`, and the schema version (`None`: no schema history).
    Answered {
        latency: Duration,
        version: Option<i64>,
    },
    Failed(mysql_async::Error),
}

async fn ask_central(opts: mysql_async::Opts) -> CentralAnswer {
    use mysql_async::prelude::Queryable;
    let mut conn = match mysql_async::Conn::new(opts).await {
        Ok(c) => c,
        Err(e) => return CentralAnswer::Failed(e),
    };
    let started = Instant::now();
    if let Err(e) = conn.query_drop("SELECT 1").await {
        return CentralAnswer::Failed(e);
    }
    let latency = started.elapsed();
    let version = match conn
        .query_first::<Option<i64>, _>("SELECT MAX(version) FROM refinery_schema_history")
        .await
    {
        Ok(v) => v.flatten(),
        // 1146: no such table (never migrated).
        Err(mysql_async::Error::Server(e)) if e.code == 1146 => None,
        Err(e) => return CentralAnswer::Failed(e),
    };
    let _ = conn.disconnect().await;
    CentralAnswer::Answered { latency, version }
}

/// The central database: every host `central.url` names is asked. All answering is a pass (the
/// first host's figures); some not answering is a warning naming one that does not (the till
/// uses the others); none answering is a failure.
pub async fn central(url: Option<&Secret>) -> Check {
    let id = CheckId::Central;
    let Some(url) = url else {
        return Check::not_configured(id, text::central_none());
    };
    let urls = match crate::mysql_hosts::split_hosts(url.expose(), &[]) {
        Ok(u) if u.len() > 1 => u,
        Ok(_) => return central_host(url).await,
        Err(e) => {
            return Check::fail(id, text::central_bad_url(&e), text::central_fix_url());
        }
    };
    let checks = futures_util::future::join_all(
        urls.into_iter()
            .map(|u| async move { central_host(&Secret::new(u)).await }),
    )
    .await;
    let answered = checks.iter().any(|c| c.status == Status::Pass);
    match checks.iter().position(|c| c.status != Status::Pass) {
        None => checks.into_iter().next().unwrap_or_else(|| {
            Check::fail(
                id,
                text::central_bad_url("no host"),
                text::central_fix_url(),
            )
        }),
        Some(i) => {
            let failed = checks.into_iter().nth(i).unwrap_or_else(|| {
                Check::fail(
                    id,
                    text::central_bad_url("no host"),
                    text::central_fix_url(),
                )
            });
            if answered {
                Check::warn(id, failed.detail)
            } else {
                failed
            }
        }
    }
}

/// One host of the central database.
async fn central_host(url: &Secret) -> Check {
    let id = CheckId::Central;
    let opts = match mysql_async::Opts::from_url(url.expose()) {
        Ok(o) => o,
        Err(e) => {
            return Check::fail(
                id,
                text::central_bad_url(&e.to_string()),
                text::central_fix_url(),
            );
        }
    };
    let target = mysql_target(url.expose());
    let db = opts.db_name().unwrap_or_default().to_owned();
    let answer = match tokio::time::timeout(CENTRAL_WAIT, ask_central(opts)).await {
        Ok(a) => a,
        Err(_) => {
            return Check::fail(
                id,
                text::central_timeout(&target, CENTRAL_WAIT.as_secs()),
                text::central_fix_reach(),
            );
        }
    };
    judge_central(&target, &db, answer, latest_central_version())
}

fn judge_central(target: &str, db: &str, answer: CentralAnswer, latest: i64) -> Check {
    let id = CheckId::Central;
    match answer {
        CentralAnswer::Failed(e) => {
            let fix = match &e {
                // Access denied (user, password), or to this database.
                mysql_async::Error::Server(s) if matches!(s.code, 1044 | 1045) => {
                    text::central_fix_access()
                }
                // Unknown database.
                mysql_async::Error::Server(s) if s.code == 1049 => {
                    text::central_fix_no_database(db)
                }
                _ => text::central_fix_reach(),
            };
            Check::fail(id, text::central_unreachable(target, &root_cause(&e)), fix)
        }
        CentralAnswer::Answered { latency, version } => {
            let ms = latency.as_millis();
            match version {
                None => Check::fail(
                    id,
                    text::central_not_migrated(target, ms),
                    text::central_fix_migrate(),
                ),
                Some(v) if v < latest => Check::fail(
                    id,
                    text::central_behind(target, ms, v, latest),
                    text::central_fix_migrate(),
                ),
                Some(v) if v > latest => {
                    Check::warn(id, text::central_ahead(target, ms, v, latest))
                }
                Some(v) => Check::pass(id, text::central_ok(target, ms, v)),
            }
        }
    }
}

// Payment server.

pub async fn payment(settings: &Settings, clock: SharedClock) -> Check {
    let id = CheckId::Payment;
    let till = &settings.till_id;
    let Some(url) = settings.payment.server_url.as_deref() else {
        return Check::not_configured(
            id,
            match &settings.payment.lan_bind {
                Some(bind) => text::payment_lan_only(bind),
                None => text::payment_cash_only(),
            },
        );
    };
    let Some(secret) = settings.payment.till_secret.clone() else {
        return Check::fail(
            id,
            text::payment_no_secret(),
            text::payment_fix_secret(till),
        );
    };
    let http = match reqwest::Client::builder()
        .connect_timeout(PAYMENT_WAIT)
        .timeout(PAYMENT_WAIT)
        .build()
    {
        Ok(h) => h,
        Err(e) => {
            return Check::fail(
                id,
                text::payment_unreachable(url, &root_cause(&e)),
                text::payment_fix_reach(),
            );
        }
    };
    let started = Instant::now();
    match http.get(format!("{url}/healthz")).send().await {
        Err(e) => {
            return Check::fail(
                id,
                text::payment_unreachable(url, &root_cause(&e)),
                text::payment_fix_reach(),
            );
        }
        Ok(r) if r.status() == reqwest::StatusCode::SERVICE_UNAVAILABLE => {
            return Check::fail(
                id,
                text::payment_database_down(url),
                text::payment_fix_database(),
            );
        }
        Ok(r) if !r.status().is_success() => {
            return Check::fail(
                id,
                text::payment_not_kaching(url, r.status().as_u16()),
                text::payment_fix_reach(),
            );
        }
        Ok(_) => {}
    }
    let latency = started.elapsed();
    let client = match PayClient::new(url, till, secret, clock) {
        Ok(c) => c,
        Err(e) => {
            return Check::fail(
                id,
                text::payment_unreachable(url, &e.to_string()),
                text::payment_fix_reach(),
            );
        }
    };
    // An intent that cannot exist: the server checks the signature first, then answers 404.
    let probe = uuid::Uuid::now_v7().to_string();
    match tokio::time::timeout(PAYMENT_WAIT, client.get(&probe)).await {
        Err(_) => Check::fail(
            id,
            text::payment_timeout(url, PAYMENT_WAIT.as_secs()),
            text::payment_fix_reach(),
        ),
        Ok(r) => judge_signed(url, till, latency, r),
    }
}

fn judge_signed<T>(
    url: &str,
    till: &str,
    latency: Duration,
    answer: Result<T, ClientError>,
) -> Check {
    let id = CheckId::Payment;
    match answer {
        Ok(_) | Err(ClientError::Refused { status: 404, .. }) => {
            Check::pass(id, text::payment_ok(url, latency.as_millis(), till))
        }
        Err(ClientError::Refused {
            status: 401 | 403,
            message,
            ..
        }) => {
            let message = api_message(&message);
            if message.contains("timestamp") {
                Check::fail(
                    id,
                    text::payment_clock_refused(url, &message),
                    text::payment_fix_clock(),
                )
            } else {
                Check::fail(
                    id,
                    text::payment_refused(url, till, &message),
                    text::payment_fix_secret(till),
                )
            }
        }
        Err(ClientError::Retryable(e)) => Check::fail(
            id,
            text::payment_unreachable(url, &e),
            text::payment_fix_reach(),
        ),
        Err(ClientError::Unavailable {
            status, message, ..
        }) => Check::fail(
            id,
            text::payment_unreachable(url, &format!("{status} {message}")),
            text::payment_fix_reach(),
        ),
        Err(e) => Check::fail(
            id,
            text::payment_unexpected(url, &e.to_string()),
            text::payment_fix_reach(),
        ),
    }
}

/// The `message` of the server's JSON error body, else the body as it came.
fn api_message(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["message"].as_str().map(str::to_owned))
        .unwrap_or_else(|| body.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::Status;
    use crate::i18n::Lang;
    #[test]
    fn the_central_schema_must_be_the_programs() {
        let latest = latest_central_version();
        assert!(latest >= 2, "{latest}");
        let answered = |v| CentralAnswer::Answered {
            latency: Duration::from_millis(3),
            version: v,
        };
        let c = judge_central("h:3306/db", "db", answered(Some(latest)), latest);
        assert_eq!(c.status, Status::Pass);
        assert!(c.detail_in(Lang::En).contains("3 ms"), "{:?}", c.detail);
        for v in [None, Some(latest - 1)] {
            let c = judge_central("h:3306/db", "db", answered(v), latest);
            assert_eq!(c.status, Status::Fail);
            assert_eq!(
                c.fix_in(Lang::En).unwrap(),
                "run `kaching migrate --central`"
            );
        }
        let c = judge_central("h:3306/db", "db", answered(Some(latest + 1)), latest);
        assert_eq!(c.status, Status::Warn);
        assert_eq!(
            mysql_target("mysql://u:secret@db.lan/kaching?x=1"),
            "db.lan:3306/kaching"
        );
    }

    #[test]
    fn a_refused_signature_blames_the_secret_and_a_404_passes() {
        let ms = Duration::from_millis(5);
        let ok = judge_signed::<()>(
            "http://s",
            "till-1",
            ms,
            Err(ClientError::Refused {
                status: 404,
                code: None,
                message: "{}".into(),
            }),
        );
        assert_eq!(ok.status, Status::Pass);
        let bad = judge_signed::<()>(
            "http://s",
            "till-1",
            ms,
            Err(ClientError::Refused {
                status: 401,
                code: None,
                message:
                    r#"{"error":"unauthorized","message":"unauthorized: signature does not match"}"#
                        .into(),
            }),
        );
        assert_eq!(bad.status, Status::Fail);
        assert!(
            bad.detail_in(Lang::En)
                .ends_with("signature does not match"),
            "{:?}",
            bad.detail
        );
        assert!(
            bad.fix_in(Lang::En)
                .unwrap()
                .contains("kaching pay-server till add till-1")
        );
        let stale = judge_signed::<()>(
            "http://s",
            "till-1",
            ms,
            Err(ClientError::Refused {
                status: 401,
                code: None,
                message: r#"{"message":"unauthorized: timestamp outside the tolerance window"}"#
                    .into(),
            }),
        );
        assert!(stale.fix_in(Lang::En).unwrap().contains("clock"));
    }
}
