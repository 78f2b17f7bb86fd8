//! Several central hosts and the retry policy (issue 16), against the test MariaDB server:
//!
//! - a till whose central URL names a dead host first, then two links to the server (two of the
//!   tests' TCP proxies), uses the first that answers; when its link is cut in the middle of the
//!   day it moves to the next at once: no sale waits more than 5 s, nothing is doubled, and it
//!   stays on the new host when the old one comes back;
//! - a central write chosen as a deadlock victim is run again and lands.
//!
//! The three-node Galera cluster (nodes killed for real) is tests/galera.rs, opt-in.

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::mysql::TestDb;
use common::proxy::Proxy;
use mysql_async::prelude::Queryable;
use serde_json::Value;

/// The test server's address (`KACHING_TEST_MYSQL_URL`).
fn server_addr() -> SocketAddr {
    let u = common::mysql::server_url();
    let host = u.host_str().unwrap_or("127.0.0.1");
    let host = if host == "localhost" {
        "127.0.0.1"
    } else {
        host
    };
    format!("{host}:{}", u.port().unwrap_or(3306))
        .parse()
        .expect("KACHING_TEST_MYSQL_URL names an IP address")
}

/// `db.url` with its one host replaced by `hosts` (`host:port`, in order). Not through the
/// Unix socket: mysql_async would otherwise switch a loopback connection to it, around the
/// proxies.
fn url_with_hosts(db: &TestDb, hosts: &[String]) -> String {
    let u = url::Url::parse(&db.url).unwrap();
    let user = match u.password() {
        Some(p) => format!("{}:{p}@", u.username()),
        None if !u.username().is_empty() => format!("{}@", u.username()),
        None => String::new(),
    };
    format!(
        "mysql://{user}{}/{}?prefer_socket=false",
        hosts.join(","),
        db.name
    )
}

fn sell(till: &mut common::Till) -> Value {
    till.cmd("scan 1234");
    common::find_event(&till.cmd("pay main cash"), "sale_committed")
}

/// Sells one sale and returns how long it took to be in the central database.
fn sell_and_time_to_central(till: &mut common::Till, db: &TestDb) -> Duration {
    let sale = sell(till);
    let id = sale["sale_id"].as_str().unwrap().to_owned();
    let start = Instant::now();
    while db.int(&format!("SELECT COUNT(*) FROM sales WHERE id = '{id}'")) == 0 {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "sale {id} never reached the central database: {:#?}",
            till.status()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    start.elapsed()
}

#[test]
fn a_till_skips_a_dead_host_and_moves_on_when_its_host_is_cut_without_doubling_a_sale() {
    let db = TestDb::create();
    let seed = common::seeded_dir();
    common::central_stdout(seed.path(), &db.url, &["migrate", "--central"]);

    let a = Proxy::start(server_addr());
    let b = Proxy::start(server_addr());
    let dead = format!("127.0.0.1:{}", common::free_port());
    let hosts = [dead.clone(), a.addr().to_string(), b.addr().to_string()];
    let url = url_with_hosts(&db, &hosts);

    let dir = common::seeded_dir();
    let mut till = common::Till::start_with(common::central_cmd(dir.path(), &url));
    assert!(
        till.cmd("login 1 1111")
            .iter()
            .any(|e| e["event"] == "logged_in")
    );

    // The dead first host costs a refused connection, not a wait.
    let first = sell_and_time_to_central(&mut till, &db);
    assert!(first < Duration::from_secs(5), "first sale took {first:?}");
    assert_eq!(till.status()["central_host"], a.addr().to_string());

    // A's link is pulled in the middle of the day: the till goes on through B.
    a.cut();
    let mut worst = Duration::ZERO;
    for _ in 0..5 {
        worst = worst.max(sell_and_time_to_central(&mut till, &db));
    }
    assert!(
        worst < Duration::from_secs(5),
        "a sale waited {worst:?} for the central database while B was up"
    );
    assert_eq!(
        till.status()["central_host"],
        b.addr().to_string(),
        "hosts: dead {dead}, A {}, B {}",
        a.addr(),
        b.addr()
    );

    // A is back: the till stays on B (no flapping) and goes on.
    a.restore();
    sell_and_time_to_central(&mut till, &db);
    common::wait_synced(&mut till);
    assert_eq!(till.status()["central_host"], b.addr().to_string());

    // Every sale exactly once, every ticket number once.
    assert_eq!(db.int("SELECT COUNT(*) FROM sales"), 7);
    assert_eq!(
        db.int("SELECT COUNT(DISTINCT till_id, ticket_no) FROM sales"),
        7
    );
    assert_eq!(db.int("SELECT MAX(ticket_no) FROM sales"), 7);
    assert_eq!(db.int("SELECT COUNT(*) FROM sale_lines"), 7);
}

#[test]
fn a_central_url_whose_hosts_are_all_dead_leaves_the_sales_waiting_visibly() {
    let db = TestDb::create();
    let url = url_with_hosts(
        &db,
        &[
            format!("127.0.0.1:{}", common::free_port()),
            format!("127.0.0.1:{}", common::free_port()),
        ],
    );
    let dir = common::seeded_dir();
    let mut till = common::Till::start_with(common::central_cmd(dir.path(), &url));
    till.cmd("login 1 1111");
    sell(&mut till);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let s = till.status();
        if s["online"] == false {
            assert!(s["outbox_pending"].as_i64().unwrap() >= 1, "{s:#?}");
            assert!(
                s["sync_error"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("none of the 2 hosts answered"),
                "{s:#?}"
            );
            break;
        }
        assert!(Instant::now() < deadline, "never reported offline: {s:#?}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Runs `f` on a tokio runtime of its own.
fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

async fn deadlocks(conn: &mut mysql_async::Conn) -> i64 {
    let row: Option<(String, String)> = conn
        .query_first("SHOW GLOBAL STATUS LIKE 'Innodb_deadlocks'")
        .await
        .unwrap();
    row.map_or(0, |(_, v)| v.parse().unwrap())
}

#[test]
fn a_central_write_chosen_as_a_deadlock_victim_is_run_again_and_lands() {
    use kaching::domain::{ArticleCode, Money, Product, VatRate};
    let db = TestDb::create();
    let seed = common::seeded_dir();
    common::central_stdout(seed.path(), &db.url, &["migrate", "--central"]);
    let central = kaching::sync::Central::new(&kaching::secrets::Secret::new(&db.url)).unwrap();
    let product = |name: &str| Product {
        code: ArticleCode::parse("P1").unwrap(),
        barcode: None,
        name: name.to_owned(),
        price: Money::from_cents(250),
        vat: VatRate::Six,
        active: true,
    };
    block_on(async {
        central.save_products(&[product("Before")]).await.unwrap();

        // Another writer, heavier (many rows changed), so InnoDB picks the central write as the
        // victim: it locks the products' version row first.
        let mut other = mysql_async::Conn::from_url(db.url.as_str()).await.unwrap();
        let before = deadlocks(&mut other).await;
        other
            .query_drop("CREATE TABLE ballast (id INT PRIMARY KEY)")
            .await
            .unwrap();
        other.query_drop("BEGIN").await.unwrap();
        other
            .query_drop("INSERT INTO ballast (id) SELECT seq FROM seq_1_to_2000")
            .await
            .unwrap();
        other
            .query_drop("UPDATE central_versions SET value = value WHERE name = 'products'")
            .await
            .unwrap();

        // The central write locks article P1, then waits for the version row.
        let writer = central.clone();
        let save = tokio::spawn(async move { writer.save_products(&[product("After")]).await });
        let mut probe = mysql_async::Conn::from_url(db.url.as_str()).await.unwrap();
        let waited = Instant::now();
        loop {
            let n: Option<i64> = probe
                .query_first(
                    "SELECT COUNT(*) FROM information_schema.INNODB_TRX \
                     WHERE trx_state = 'LOCK WAIT' AND trx_query LIKE '%central_versions%'",
                )
                .await
                .unwrap();
            if n == Some(1) {
                break;
            }
            assert!(
                waited.elapsed() < Duration::from_secs(10),
                "the write never waited"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        // Now the other writer wants P1: a deadlock, and the central write is the victim.
        other
            .query_drop("UPDATE products SET name = name WHERE code = 'P1'")
            .await
            .expect("the heavier transaction is not the victim");
        other.query_drop("COMMIT").await.unwrap();

        let saved = save.await.unwrap();
        assert!(
            saved.is_ok(),
            "the deadlock victim was not run again: {saved:?}"
        );
        assert!(
            deadlocks(&mut probe).await > before,
            "no deadlock happened: the test proved nothing"
        );
        let name: Option<String> = probe
            .query_first("SELECT name FROM products WHERE code = 'P1'")
            .await
            .unwrap();
        assert_eq!(name.as_deref(), Some("After"));
        let _ = other.disconnect().await;
        let _ = probe.disconnect().await;
    });
    block_on(central.disconnect());
}

#[test]
fn the_payment_servers_store_moves_to_the_next_host_when_its_host_is_cut() {
    use kaching::pay_web::api::{IntentLine, IntentStatus, NewIntent};
    use kaching::pay_web::store::{AnyIntentStore, ConfirmOutcome, IntentStore};
    const NOW: i64 = 1_800_000_000_000;
    let db = TestDb::create();
    let a = Proxy::start(server_addr());
    let b = Proxy::start(server_addr());
    let url = url_with_hosts(
        &db,
        &[
            format!("127.0.0.1:{}", common::free_port()),
            a.addr().to_string(),
            b.addr().to_string(),
        ],
    );
    let intent = |cents: i64| NewIntent {
        id: uuid::Uuid::now_v7(),
        amount_cents: cents,
        account: "main".into(),
        seller: "Khadija".into(),
        shop_name: "KACHING".into(),
        lines: vec![IntentLine {
            name: "Pain".into(),
            qty: 1,
            total_cents: cents,
        }],
    };
    block_on(async {
        // Opening skips the dead host and migrates through A.
        let store = AnyIntentStore::open(&url)
            .await
            .unwrap_or_else(|e| panic!("opening through {url}: {e}"));
        let secret = kaching::secrets::Secret::new("s".repeat(32));
        store.add_till("till-1", &secret, NOW).await.unwrap();
        let first = intent(120);
        store
            .create("till-1", &first, "token-1", NOW, NOW + 600_000)
            .await
            .unwrap();
        assert!(a.accepted() > 0, "nothing went through A");

        // A is cut with the customer's confirmation on its way: it lands through B.
        a.cut();
        let started = Instant::now();
        let outcome = store.confirm("token-1", 120, NOW + 1_000).await.unwrap();
        assert!(
            matches!(outcome, ConfirmOutcome::Confirmed(_)),
            "{outcome:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(b.accepted() > 0, "nothing went through B");
        let paid = store.by_id(&first.id.to_string()).await.unwrap().unwrap();
        assert_eq!(paid.status, IntentStatus::Paid);
        // Confirmed once: a second confirmation changes nothing.
        let again = store.confirm("token-1", 120, NOW + 2_000).await.unwrap();
        assert!(matches!(again, ConfirmOutcome::NotPending(_)), "{again:?}");
    });
    assert_eq!(
        db.int("SELECT COUNT(*) FROM payment_intent_events WHERE status = 'paid'"),
        1
    );
}
