//! The MySQL/MariaDB intent store against a real server (`KACHING_TEST_MYSQL_URL`, default
//! `mysql://root@127.0.0.1:3306`): each test makes its own database with a random name and drops
//! it at the end. No server is a failure, never a skip (CI provisions one; locally
//! `scripts/setup.sh` or `start-stop-daemon --start --background --exec /usr/sbin/mariadbd`).
//!
//! Store level: concurrent confirmations through two stores (two pools, as two instances) give
//! exactly one payment; creation is idempotent and conflicts are refused; expiry; an instance
//! polling the event table never misses an event. End to end: two `kaching pay-server` processes
//! on two ports share one database; a till creates an intent through one, the phone confirms
//! through the other, and the till (listening on the first) is told.

mod common;

use std::collections::HashSet;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use futures_util::future::join_all;
use kaching::pay_web::api::{IntentEvent, IntentStatus, NewIntent};
use kaching::pay_web::store::{
    AnyIntentStore, CancelOutcome, ConfirmOutcome, IntentStore, IntentStoreError,
};
use kaching::secrets::Secret;
use serde_json::Value;

const NOW: i64 = 1_800_000_000_000;
const LIFETIME: i64 = 600_000;

use common::mysql::{TestDb, random_hex};

async fn store_of(db: &TestDb) -> AnyIntentStore {
    AnyIntentStore::open(&db.url)
        .await
        .unwrap_or_else(|e| panic!("opening {}: {e}", db.url))
}

fn intent(amount_cents: i64) -> NewIntent {
    common::pay_server::new_intent(amount_cents)
}

fn token() -> String {
    random_hex(32)
}

async fn store_with_till(db: &TestDb) -> AnyIntentStore {
    let store = store_of(db).await;
    store
        .add_till("till-1", &Secret::new(random_hex(32)), NOW)
        .await
        .unwrap();
    store
}

#[tokio::test]
async fn two_hundred_concurrent_confirmations_through_two_instances_pay_exactly_once() {
    let db = TestDb::create();
    let a = store_with_till(&db).await;
    let b = store_of(&db).await;
    let new = intent(1620);
    let tok = token();
    let (created, fresh) = a
        .create("till-1", &new, &tok, NOW, NOW + LIFETIME)
        .await
        .unwrap();
    assert!(fresh);
    assert_eq!(created.status, IntentStatus::Pending);

    let started = Instant::now();
    let attempts = (0..200).map(|i| {
        let store = if i % 2 == 0 { a.clone() } else { b.clone() };
        let tok = tok.clone();
        async move { store.confirm(&tok, 1620, NOW + 1 + i).await }
    });
    let outcomes = join_all(attempts).await;
    let elapsed = started.elapsed();
    let mut confirmed = Vec::new();
    for o in outcomes {
        match o.unwrap() {
            ConfirmOutcome::Confirmed(ev) => confirmed.push(ev),
            ConfirmOutcome::NotPending(IntentStatus::Paid) => {}
            other => panic!("unexpected outcome {other:?}"),
        }
    }
    eprintln!("200 concurrent confirmations over two pools: {elapsed:?}");
    assert_eq!(confirmed.len(), 1, "{confirmed:?}");
    assert_eq!(confirmed[0].status, IntentStatus::Paid);
    assert_eq!(confirmed[0].intent_id, new.id.to_string());

    let stored = b.by_token(&tok).await.unwrap().unwrap();
    assert_eq!(stored.status, IntentStatus::Paid);
    assert!(stored.paid_at.is_some());
    assert_eq!(stored.shop_name, "KACHING — Saint-Gilles 🥐");
    assert_eq!(stored.lines, new.lines);
    assert_eq!(
        db.int("SELECT COUNT(*) FROM payment_intent_events WHERE status = 'paid'"),
        1
    );
    let events = a.events_after(0, 100).await.unwrap();
    assert_eq!(
        events.iter().map(|e| (e.seq, e.status)).collect::<Vec<_>>(),
        vec![(1, IntentStatus::Pending), (2, IntentStatus::Paid)]
    );
    assert_eq!(a.last_seq().await.unwrap(), 2);
    assert_eq!(b.last_seq().await.unwrap(), 2);

    // Wrong amount, unknown token: nothing changes.
    let other = intent(500);
    let tok2 = token();
    b.create("till-1", &other, &tok2, NOW, NOW + LIFETIME)
        .await
        .unwrap();
    assert_eq!(
        a.confirm(&tok2, 499, NOW + 10).await.unwrap(),
        ConfirmOutcome::AmountMismatch
    );
    assert_eq!(
        a.confirm(&token(), 500, NOW + 10).await.unwrap(),
        ConfirmOutcome::Unknown
    );
    // Tokens are compared byte for byte.
    assert_eq!(
        a.confirm(&tok2.to_uppercase(), 500, NOW + 10)
            .await
            .unwrap(),
        ConfirmOutcome::Unknown
    );
    assert!(matches!(
        a.confirm(&tok2, 500, NOW + 10).await.unwrap(),
        ConfirmOutcome::Confirmed(_)
    ));
}

#[tokio::test]
async fn creation_is_idempotent_racing_creates_agree_and_other_content_is_a_conflict() {
    let db = TestDb::create();
    let a = store_with_till(&db).await;
    let b = store_of(&db).await;
    let new = intent(370);
    let first_token = token();
    let (first, created) = a
        .create("till-1", &new, &first_token, NOW, NOW + LIFETIME)
        .await
        .unwrap();
    assert!(created);
    // The till retries (its answer was lost) through another instance: the same intent.
    let (again, created) = b
        .create("till-1", &new, &token(), NOW + 5, NOW + 5 + LIFETIME)
        .await
        .unwrap();
    assert!(!created);
    assert_eq!(again, first);
    assert_eq!(again.token, first_token);

    // Same id, other content: refused, and nothing is written.
    let mut changed = new.clone();
    changed.amount_cents = 371;
    changed.lines[0].total_cents = 371;
    let err = a
        .create("till-1", &changed, &token(), NOW, NOW + LIFETIME)
        .await
        .unwrap_err();
    assert!(matches!(err, IntentStoreError::Conflict(ref id) if *id == new.id.to_string()));
    // Another till reusing the id is another request, so a conflict too.
    b.add_till("till-2", &Secret::new(random_hex(32)), NOW)
        .await
        .unwrap();
    assert!(matches!(
        b.create("till-2", &new, &token(), NOW, NOW + LIFETIME)
            .await,
        Err(IntentStoreError::Conflict(_))
    ));
    assert_eq!(db.int("SELECT COUNT(*) FROM payment_intents"), 1);
    assert_eq!(db.int("SELECT COUNT(*) FROM payment_intent_events"), 1);

    // Forty creates of one new id racing through two instances: one creates, all agree.
    let racing = intent(990);
    let attempts = (0..40).map(|i| {
        let store = if i % 2 == 0 { a.clone() } else { b.clone() };
        let racing = racing.clone();
        async move {
            store
                .create("till-1", &racing, &token(), NOW, NOW + LIFETIME)
                .await
        }
    });
    let results: Vec<_> = join_all(attempts)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(results.iter().filter(|(_, created)| *created).count(), 1);
    let tokens: HashSet<&str> = results.iter().map(|(i, _)| i.token.as_str()).collect();
    assert_eq!(tokens.len(), 1, "every answer names the stored intent");
    assert_eq!(
        db.int(&format!(
            "SELECT COUNT(*) FROM payment_intent_events WHERE intent_id = '{}'",
            racing.id
        )),
        1
    );
}

#[tokio::test]
async fn expiry_cancel_and_two_sweepers_expire_each_intent_once() {
    let db = TestDb::create();
    let a = store_with_till(&db).await;
    let b = store_of(&db).await;

    // Confirmation at the expiry instant is refused; the sweep writes it.
    let short = intent(100);
    let short_token = token();
    a.create("till-1", &short, &short_token, NOW, NOW + 1000)
        .await
        .unwrap();
    assert!(a.expire_due(NOW + 999).await.unwrap().is_empty());
    assert_eq!(
        b.confirm(&short_token, 100, NOW + 1000).await.unwrap(),
        ConfirmOutcome::NotPending(IntentStatus::Expired)
    );
    assert_eq!(
        a.by_id(&short.id.to_string())
            .await
            .unwrap()
            .unwrap()
            .status_at(NOW + 1000),
        IntentStatus::Expired
    );
    let swept = b.expire_due(NOW + 1000).await.unwrap();
    assert_eq!(swept.len(), 1);
    assert_eq!(
        (swept[0].intent_id.as_str(), swept[0].status),
        (short.id.to_string().as_str(), IntentStatus::Expired)
    );
    assert!(a.expire_due(NOW + 5000).await.unwrap().is_empty());
    assert_eq!(
        a.by_id(&short.id.to_string())
            .await
            .unwrap()
            .unwrap()
            .status,
        IntentStatus::Expired
    );
    assert_eq!(
        a.cancel("till-1", &short.id.to_string(), NOW + 2000)
            .await
            .unwrap(),
        CancelOutcome::NotPending(IntentStatus::Expired)
    );

    // Cancel: only by the till that made it, once; a confirmation afterwards is refused.
    let c = intent(250);
    let c_token = token();
    a.create("till-1", &c, &c_token, NOW, NOW + LIFETIME)
        .await
        .unwrap();
    assert_eq!(
        b.cancel("till-9", &c.id.to_string(), NOW + 1)
            .await
            .unwrap(),
        CancelOutcome::Unknown
    );
    assert!(matches!(
        b.cancel("till-1", &c.id.to_string(), NOW + 1)
            .await
            .unwrap(),
        CancelOutcome::Cancelled(IntentEvent {
            status: IntentStatus::Cancelled,
            ..
        })
    ));
    assert_eq!(
        a.cancel("till-1", &c.id.to_string(), NOW + 2)
            .await
            .unwrap(),
        CancelOutcome::NotPending(IntentStatus::Cancelled)
    );
    assert_eq!(
        a.confirm(&c_token, 250, NOW + 3).await.unwrap(),
        ConfirmOutcome::NotPending(IntentStatus::Cancelled)
    );

    // Sixty intents due at once, two instances sweeping together: each expired exactly once.
    let mut due = HashSet::new();
    for _ in 0..60 {
        let n = intent(42);
        due.insert(n.id.to_string());
        a.create("till-1", &n, &token(), NOW, NOW + 3000)
            .await
            .unwrap();
    }
    let mut seen = Vec::new();
    for _ in 0..5 {
        let (x, y) = tokio::join!(a.expire_due(NOW + 3000), b.expire_due(NOW + 3000));
        seen.extend(x.unwrap());
        seen.extend(y.unwrap());
    }
    let ids: Vec<&str> = seen.iter().map(|e| e.intent_id.as_str()).collect();
    let distinct: HashSet<String> = ids.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(ids.len(), 60, "each intent expired once");
    assert_eq!(distinct, due);
    assert_eq!(
        db.int("SELECT COUNT(*) FROM payment_intents WHERE status = 'pending'"),
        0
    );
}

#[tokio::test]
async fn a_poller_following_seq_never_misses_an_event_written_concurrently() {
    let db = TestDb::create();
    let a = store_with_till(&db).await;
    let b = store_of(&db).await;
    let poller = store_of(&db).await;
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));

    let follow = {
        let done = done.clone();
        async move {
            let (mut last, mut seen) = (0i64, Vec::new());
            loop {
                let finished = done.load(std::sync::atomic::Ordering::SeqCst);
                let batch = poller.events_after(last, 500).await.unwrap();
                for ev in batch {
                    last = last.max(ev.seq);
                    seen.push(ev.seq);
                }
                if finished {
                    return seen;
                }
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        }
    };
    let write = async {
        let writes = (0..150).map(|i| {
            let store = if i % 2 == 0 { a.clone() } else { b.clone() };
            async move {
                let n = intent(10 + i);
                let tok = token();
                store
                    .create("till-1", &n, &tok, NOW, NOW + LIFETIME)
                    .await
                    .unwrap();
                if i % 3 == 0 {
                    store.confirm(&tok, 10 + i, NOW + 1).await.unwrap();
                }
            }
        });
        join_all(writes).await;
        done.store(true, std::sync::atomic::Ordering::SeqCst);
    };
    let (seen, ()) = tokio::join!(follow, write);
    let total = db.int("SELECT COUNT(*) FROM payment_intent_events");
    assert_eq!(total, 150 + 50);
    // Sequence numbers are handed out in commit order, without gaps: the poller saw them all,
    // in order.
    assert_eq!(seen, (1..=total).collect::<Vec<_>>());
}

#[tokio::test]
async fn tills_keys_and_migrations() {
    let db = TestDb::create();
    // Three instances starting together on an empty database: the schema is applied once.
    let opened = join_all((0..3).map(|_| AnyIntentStore::open(&db.url))).await;
    let stores: Vec<AnyIntentStore> = opened.into_iter().map(Result::unwrap).collect();
    // Every file of migrations/mysql, once each (the payment tables, and the central schema
    // that shares the folder).
    let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/mysql"))
        .unwrap()
        .count() as i64;
    assert_eq!(db.int("SELECT COUNT(*) FROM pay_schema_history"), files);
    let s = &stores[0];

    let secret = Secret::new(random_hex(32));
    s.add_till("till-1", &secret, NOW).await.unwrap();
    assert!(matches!(
        stores[1].add_till("till-1", &secret, NOW).await,
        Err(IntentStoreError::TillExists(_))
    ));
    assert_eq!(
        stores[2]
            .till_secret("till-1")
            .await
            .unwrap()
            .map(|s| s.expose().to_owned()),
        Some(secret.expose().to_owned())
    );
    assert!(s.till_secret("TILL-1").await.unwrap().is_none());
    assert!(s.revoke_till("till-1", NOW + 1).await.unwrap());
    assert!(!s.revoke_till("till-1", NOW + 2).await.unwrap());
    assert!(s.till_secret("till-1").await.unwrap().is_none());
    let tills = s.tills().await.unwrap();
    assert_eq!(tills.len(), 1);
    assert_eq!(tills[0].revoked_at, Some(NOW + 1));
    // A revoked till can be registered again, with a new secret.
    let renewed = Secret::new(random_hex(32));
    s.add_till("till-1", &renewed, NOW + 3).await.unwrap();
    assert_eq!(
        s.till_secret("till-1")
            .await
            .unwrap()
            .map(|s| s.expose().to_owned()),
        Some(renewed.expose().to_owned())
    );
    // Racing registrations of a new till: one wins.
    let racing = join_all(stores.iter().map(|st| {
        let secret = Secret::new(random_hex(32));
        async move { st.add_till("till-7", &secret, NOW).await }
    }))
    .await;
    assert_eq!(racing.iter().filter(|r| r.is_ok()).count(), 1, "{racing:?}");

    // The shared key: the first instance's stays.
    assert_eq!(s.server_key("csrf", "first").await.unwrap(), "first");
    assert_eq!(
        stores[1].server_key("csrf", "second").await.unwrap(),
        "first"
    );

    // Reopening migrates nothing and keeps the data.
    drop(stores);
    let again = store_of(&db).await;
    // Every file of migrations/mysql, once each (the payment tables, and the central schema
    // that shares the folder).
    let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/mysql"))
        .unwrap()
        .count() as i64;
    assert_eq!(db.int("SELECT COUNT(*) FROM pay_schema_history"), files);
    assert_eq!(again.tills().await.unwrap().len(), 2);
    assert_eq!(
        db.strings("SELECT CONCAT(ENGINE, ' ', TABLE_COLLATION) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'pay%' ORDER BY TABLE_NAME")
            .into_iter()
            .filter(|t| !t.starts_with("InnoDB utf8mb4"))
            .collect::<Vec<_>>(),
        Vec::<String>::new(),
        "InnoDB, utf8mb4"
    );
}

#[tokio::test]
async fn bad_urls_are_refused_without_showing_the_password() {
    let no_db = AnyIntentStore::open("mysql://kaching:hunter2@127.0.0.1:3306")
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(no_db.contains("names no database"), "{no_db}");
    assert!(!no_db.contains("hunter2"), "{no_db}");
    let refused = AnyIntentStore::open("mysql://kaching:hunter2@127.0.0.1:1/pay")
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(!refused.contains("hunter2"), "{refused}");
    assert!(refused.contains("***@127.0.0.1:1/pay"), "{refused}");
}

/// A `kaching pay-server` process on a loopback port.
struct PayServer {
    child: Child,
    url: String,
}

impl Drop for PayServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn pay_server(dir: &std::path::Path, database: &str) -> PayServer {
    spawn_pay_server(dir, database, common::free_port(), Vec::new())
}

/// A pay-server on `database` listening on `port`, with `env` on top; healthy when returned.
#[allow(clippy::zombie_processes)] // PayServer's Drop kills and waits for it.
fn spawn_pay_server(
    dir: &std::path::Path,
    database: &str,
    port: u16,
    env: Vec<(&str, String)>,
) -> PayServer {
    let child = common::kaching(dir)
        .args(["pay-server"])
        .env("KACHING_PAY_SERVER__BIND", format!("127.0.0.1:{port}"))
        .env("KACHING_PAY_SERVER__DATABASE", database)
        .envs(env)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let server = PayServer {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let health = format!("{}/healthz", server.url);
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(r) = common::http().get(&health).call()
            && r.status() == 200
        {
            return server;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("pay-server on {} did not become healthy", server.url);
}

fn event<'a>(events: &'a [Value], name: &str) -> &'a Value {
    events
        .iter()
        .find(|e| e["event"] == name)
        .unwrap_or_else(|| panic!("no {name} in {events:#?}"))
}

#[test]
fn two_pay_servers_on_one_mariadb_an_intent_made_on_one_and_confirmed_on_the_other_reaches_the_till()
 {
    let db = TestDb::create();
    let server_dir = tempfile::tempdir().unwrap();
    let add = common::kaching(server_dir.path())
        .args(["pay-server", "till", "add", "till-1"])
        .env("KACHING_PAY_SERVER__DATABASE", &db.url)
        .output()
        .unwrap();
    assert!(add.status.success(), "{}", common::stderr(&add));
    let secret = common::stdout(&add).trim().to_owned();
    assert_eq!(secret.len(), 64);

    let a = pay_server(server_dir.path(), &db.url);
    let b = pay_server(server_dir.path(), &db.url);
    assert_ne!(a.url, b.url);

    let dir = common::seeded_dir();
    let mut cmd = common::kaching(dir.path());
    cmd.env("KACHING_PAYMENT__SERVER_URL", &a.url)
        .env("KACHING_PAYMENT__TILL_SECRET", &secret)
        .env("KACHING_PAYMENT__LAN_BIND", "");
    let mut till = common::Till::start_with(cmd);
    till.cmd("login 1 1111");

    let mut latencies = Vec::new();
    for (round, code) in ["1234", "9012", "6051"].into_iter().enumerate() {
        till.cmd(&format!("scan {code}"));
        let pending = event(&till.cmd("pay main"), "payment_pending").clone();
        let url_a = pending["pay_url"].as_str().unwrap().to_owned();
        assert!(url_a.starts_with(&format!("{}/p/", a.url)), "{url_a}");
        // The phone reaches the other instance (a load balancer would do this).
        let url_b = url_a.replacen(&a.url, &b.url, 1);
        let form = common::phone_form(&url_b);

        let pressed = Instant::now();
        let (status, page) = common::press(&url_b, &form);
        let answered = pressed.elapsed();
        assert_eq!(status, 303, "{page}");
        let accepted = till.wait_for("payment_accepted");
        let notified = pressed.elapsed();
        assert_eq!(accepted["intent_id"], pending["intent_id"]);
        eprintln!(
            "round {}: confirmed on B in {answered:?}; the till listening on A had payment_accepted {notified:?} after the press",
            round + 1
        );
        latencies.push(notified);

        // Paid once, whichever instance is asked.
        let (_, page) = common::get(&url_a);
        assert!(page.contains("Payé"), "{page}");
        let (status, page) = common::press(&url_a, &form);
        assert_eq!(status, 409, "{page}");
        assert!(page.contains("déjà été validé"), "{page}");

        let sale = event(&till.cmd("accept"), "sale_committed").clone();
        assert_eq!(
            (sale["ticket_no"].as_i64(), sale["method"].as_str()),
            (Some(round as i64 + 1), Some("qr"))
        );
        let id = pending["intent_id"].as_str().unwrap();
        assert_eq!(
            db.strings(&format!(
                "SELECT status FROM payment_intent_events WHERE intent_id = '{id}' ORDER BY seq"
            )),
            vec!["pending", "paid"]
        );
    }
    let worst = latencies.iter().max().copied().unwrap_or_default();
    eprintln!("cross-instance confirmation → till notified: {latencies:?} (worst {worst:?})");
    assert!(
        worst < Duration::from_secs(5),
        "the till heard of the payment too late: {worst:?}"
    );
    till.quit();
    assert_eq!(
        db.int("SELECT COUNT(*) FROM payment_intents WHERE status = 'paid'"),
        3
    );
    assert_eq!(db.int("SELECT COUNT(*) FROM pay_server_keys"), 1);
    drop((a, b));
}

#[tokio::test]
async fn a_provider_callback_jti_seen_by_one_instance_is_a_replay_for_another() {
    let db = TestDb::create();
    let a = store_of(&db).await;
    let b = store_of(&db).await;
    // Two instances racing on the same fresh jti: exactly one records it.
    let jti = format!("jti-{}", token());
    let (x, y) = futures_util::join!(a.record_jti(&jti, 1), b.record_jti(&jti, 1));
    assert_eq!(
        [x.unwrap(), y.unwrap()].iter().filter(|f| **f).count(),
        1,
        "one instance wins"
    );
    assert!(!a.record_jti(&jti, 2).await.unwrap(), "a replay on A");
    assert!(!b.record_jti(&jti, 2).await.unwrap(), "a replay on B");
    assert!(b.record_jti("another", 2).await.unwrap());
    assert_eq!(
        db.int("SELECT count(*) FROM provider_callback_jtis"),
        2,
        "nothing else written"
    );
}

/// A pay-server on `database` taking Payconiq payments at `sim`, listening on `port`, whose
/// public callback URL is `callback` (behind a load balancer every instance has the same one).
fn payconiq_pay_server(
    dir: &std::path::Path,
    database: &str,
    port: u16,
    sim: &common::payconiq_sim::PayconiqSim,
    callback: &str,
) -> PayServer {
    spawn_pay_server(
        dir,
        database,
        port,
        vec![
            ("KACHING_PAY_SERVER__PROVIDER", "payconiq".into()),
            ("KACHING_PAY_SERVER__PAYCONIQ__API_URL", sim.url.clone()),
            ("KACHING_PAY_SERVER__PAYCONIQ__JWKS_URL", sim.jwks_url()),
            (
                "KACHING_PAY_SERVER__PAYCONIQ__PAYMENT_PROFILE_ID",
                "profile-two".into(),
            ),
            (
                "KACHING_PAY_SERVER__PAYCONIQ__CALLBACK_URL",
                callback.into(),
            ),
            ("KACHING_PAY_SERVER__PAYCONIQ__API_KEY", "key-two".into()),
        ],
    )
}

#[test]
fn a_payconiq_callback_reaching_instance_b_tells_the_till_listening_on_a_and_its_jti_is_refused_by_a()
 {
    let db = TestDb::create();
    let sim = common::payconiq_sim::PayconiqSim::start("key-two", "profile-two");
    // The callback is delivered by hand below, to the instance chosen.
    sim.set_callbacks(false);
    let server_dir = tempfile::tempdir().unwrap();
    let add = common::kaching(server_dir.path())
        .args(["pay-server", "till", "add", "till-1"])
        .env("KACHING_PAY_SERVER__DATABASE", &db.url)
        .output()
        .unwrap();
    assert!(add.status.success(), "{}", common::stderr(&add));
    let secret = common::stdout(&add).trim().to_owned();
    let (port_a, port_b) = (common::free_port(), common::free_port());
    // One public callback URL for both (what Payconiq calls through the load balancer).
    let public = format!("http://127.0.0.1:{port_b}/api/v1/providers/payconiq/callback");
    let a = payconiq_pay_server(server_dir.path(), &db.url, port_a, &sim, &public);
    let b = payconiq_pay_server(server_dir.path(), &db.url, port_b, &sim, &public);

    let dir = common::seeded_dir();
    let mut cmd = common::kaching(dir.path());
    cmd.env("KACHING_PAYMENT__SERVER_URL", &a.url)
        .env("KACHING_PAYMENT__TILL_SECRET", &secret)
        .env("KACHING_PAYMENT__PROVIDER", "payconiq")
        .env("KACHING_PAYMENT__LAN_BIND", "");
    let mut till = common::Till::start_with(cmd);
    till.cmd("login 1 1111");
    till.cmd("scan 1234");
    let pending = event(&till.cmd("pay main"), "payment_pending").clone();
    let reference: String = pending["intent_id"]
        .as_str()
        .unwrap()
        .chars()
        .take(35)
        .collect();
    let payments = sim.payments();
    let (payment_id, amount, _, _) = payments
        .iter()
        .find(|p| p.2 == reference)
        .unwrap_or_else(|| panic!("no payment for {reference}: {payments:?}"))
        .clone();
    assert_eq!(Some(amount), pending["amount_cents"].as_i64());

    let (sig, body) = sim.signed_callback(&payment_id, "SUCCEEDED", amount);
    let to_b = format!("{}/api/v1/providers/payconiq/callback", b.url);
    let to_a = format!("{}/api/v1/providers/payconiq/callback", a.url);
    let sent = Instant::now();
    assert_eq!(
        common::payconiq_sim::post_callback(&to_b, Some(&sig), &body),
        200
    );
    let accepted = till.wait_for("payment_accepted");
    assert_eq!(accepted["intent_id"], pending["intent_id"]);
    eprintln!(
        "callback on B → payment_accepted on the till listening on A: {:?}",
        sent.elapsed()
    );
    // The same callback replayed to A: the jti B recorded is refused there too.
    assert_eq!(
        common::payconiq_sim::post_callback(&to_a, Some(&sig), &body),
        409
    );
    let sale = event(&till.cmd("accept"), "sale_committed").clone();
    assert_eq!(sale["method"], "qr");
    till.quit();
    let id = pending["intent_id"].as_str().unwrap();
    assert_eq!(
        db.strings(&format!(
            "SELECT status FROM payment_intent_events WHERE intent_id = '{id}' ORDER BY seq"
        )),
        vec!["pending", "paid"]
    );
    assert_eq!(db.int("SELECT COUNT(*) FROM provider_callback_jtis"), 1);
    drop((a, b));
}

#[tokio::test]
async fn racing_refunds_through_two_instances_never_give_back_more_than_was_paid() {
    use kaching::pay_web::api::RefundStatus;
    use kaching::pay_web::store::{NewRefund, RefundOutcome};
    let db = TestDb::create();
    let a = store_with_till(&db).await;
    let b = store_of(&db).await;
    let new = intent(1620);
    let tok = token();
    a.create("till-1", &new, &tok, NOW, NOW + LIFETIME)
        .await
        .unwrap();
    let id = new.id.to_string();
    let refund = |amount: i64| NewRefund {
        refund_id: uuid::Uuid::now_v7().to_string(),
        intent_id: id.clone(),
        till_id: "till-1".into(),
        amount_cents: amount,
        description: "Retour".into(),
    };
    // Not paid: nothing recorded.
    assert!(matches!(
        a.create_refund(&refund(100), NOW).await.unwrap(),
        RefundOutcome::NotPaid(IntentStatus::Pending)
    ));
    assert!(matches!(
        a.confirm(&tok, 1620, NOW + 1).await.unwrap(),
        ConfirmOutcome::Confirmed(_)
    ));

    // Ten refunds of 5,00 € at once, half through each instance: three fit in 16,20 €.
    let asks: Vec<NewRefund> = (0..10).map(|_| refund(500)).collect();
    let outcomes = join_all(asks.iter().enumerate().map(|(i, r)| {
        let s = if i % 2 == 0 { &a } else { &b };
        s.create_refund(r, NOW + 2)
    }))
    .await;
    let recorded = outcomes
        .iter()
        .filter(|o| matches!(o, Ok(RefundOutcome::Recorded(_, true))))
        .count();
    let exceeded = outcomes
        .iter()
        .filter(|o| matches!(o, Ok(RefundOutcome::Exceeds { .. })))
        .count();
    assert_eq!((recorded, exceeded), (3, 7), "{outcomes:?}");
    assert_eq!(
        db.int("SELECT CAST(SUM(amount_cents) AS SIGNED) FROM provider_refunds"),
        1500
    );

    // The same refund id through both at once: one refund, the other sees it.
    let same = refund(120);
    let (x, y) = futures_util::join!(
        a.create_refund(&same, NOW + 3),
        b.create_refund(&same, NOW + 3)
    );
    let firsts = [x.unwrap(), y.unwrap()]
        .iter()
        .filter(|o| matches!(o, RefundOutcome::Recorded(_, true)))
        .count();
    assert_eq!(firsts, 1);
    // Another amount under that id: a conflict. Nothing is left to refund now.
    let reused = NewRefund {
        amount_cents: 100,
        ..same.clone()
    };
    assert!(matches!(
        b.create_refund(&reused, NOW + 4).await.unwrap(),
        RefundOutcome::Conflict
    ));
    assert!(matches!(
        b.create_refund(&refund(1), NOW + 4).await.unwrap(),
        RefundOutcome::Exceeds { refundable: 0 }
    ));

    // A failed refund gives its share back; a final refund never moves again.
    let failed = b
        .refund_moved(
            &same.refund_id,
            RefundStatus::Failed,
            None,
            Some("provider_refused"),
            NOW + 5,
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(failed.status, RefundStatus::Failed);
    let still = a
        .refund_moved(
            &same.refund_id,
            RefundStatus::Succeeded,
            Some("x"),
            None,
            NOW + 6,
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(still.status, RefundStatus::Failed);
    assert_eq!(still.detail.as_deref(), Some("provider_refused"));
    assert!(matches!(
        a.create_refund(&refund(120), NOW + 7).await.unwrap(),
        RefundOutcome::Recorded(_, true)
    ));
    assert_eq!(a.open_refunds(100).await.unwrap().len(), 4);
}
