//! The payment server's background tasks (the expiry sweeper, the shared event poll, the provider
//! poller) live and die with their server (issue 16, part 6): a stopped server used to leave them
//! polling a database nobody served until the whole process ended. A real server on loopback over
//! a real SQLite file; the sweeper is what can be seen from outside: it turns a pending intent
//! past its expiry into `expired` in the database within a second (`SWEEP_EVERY`).

mod common;

use std::sync::Arc;
use std::time::Duration;

use kaching::clock::{SharedClock, SystemClock};
use kaching::pay_web::api::IntentStatus;
use kaching::pay_web::server::{self, PayServerOptions, SWEEP_EVERY};
use kaching::pay_web::store::{AnyIntentStore, IntentStore};

/// Creates an intent that expires `after` from now (the stored status stays `pending` until a
/// sweeper writes `expired`); returns its id.
async fn expiring(store: &AnyIntentStore, token: &str, after: Duration) -> String {
    let now = chrono::Utc::now().timestamp_millis();
    let (i, created) = store
        .create(
            "till-1",
            &common::pay_server::new_intent(120),
            token,
            now,
            now + after.as_millis() as i64,
        )
        .await
        .unwrap();
    assert!(created);
    i.id
}

/// The status the database holds (not the one computed at read time).
async fn stored_status(store: &AnyIntentStore, id: &str) -> IntentStatus {
    store.by_id(id).await.unwrap().unwrap().status
}

#[actix::test]
async fn a_stopped_payment_server_takes_its_background_tasks_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("pay.sqlite").display());
    let clock: SharedClock = Arc::new(SystemClock);
    let store = AnyIntentStore::open(&url).await.unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let (running, srv) = server::start(
        listener,
        store,
        PayServerOptions::default(),
        clock.clone(),
        1,
    )
    .await
    .unwrap();
    let served = actix::spawn(srv);
    // A second handle on the same file: what a look at the database shows.
    let look = AnyIntentStore::open(&url).await.unwrap();
    let wait = SWEEP_EVERY * 3;

    // Running: the sweeper expires an intent once it is due.
    let first = expiring(&look, &"a".repeat(64), Duration::from_millis(200)).await;
    tokio::time::sleep(wait).await;
    assert_eq!(
        stored_status(&look, &first).await,
        IntentStatus::Expired,
        "the running server's sweeper did not expire a due intent within {wait:?}"
    );

    // Stopped: the server's future ends, and nothing sweeps any more.
    running.handle.stop(true).await;
    tokio::time::timeout(Duration::from_secs(10), served)
        .await
        .expect("the server's future ends once it is stopped")
        .unwrap()
        .unwrap();
    let second = expiring(&look, &"b".repeat(64), Duration::from_millis(200)).await;
    tokio::time::sleep(wait).await;
    assert_eq!(
        stored_status(&look, &second).await,
        IntentStatus::Pending,
        "a background task of the stopped server still swept the database"
    );
    // Its state is still held here (the handle lives on), so it is the abort that stopped them,
    // not the state being dropped.
    drop(running);
}
