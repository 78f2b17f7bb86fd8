//! Three real `kaching pay-server` processes behind HAProxy (roundrobin, `option httpchk GET
//! /healthz`, `option forwardfor`; the README's configuration with quicker checks) on one
//! MariaDB database of the test's own (`KACHING_TEST_MYSQL_URL`), the pay-servers trusting
//! HAProxy's address (`pay_server.trusted_proxies = ["127.0.0.1/32"]`).
//!
//! - A till pays through the proxy: the customer's page and confirmation, the till's event
//!   stream hearing `paid`; then the server holding the till's stream is killed mid-payment and
//!   nothing is lost.
//! - The customer routes' rate limit counts per customer behind the proxy (customers are other
//!   loopback addresses: all of 127/8 is this machine), a forged `X-Forwarded-For` buys nothing,
//!   through the proxy or sent straight to a pay-server, and the access log names the customer.
//! - A pay-server cut from its database answers 503 on `/healthz`, HAProxy takes it out and
//!   puts it back when the database is back.
//!
//! HAProxy missing (scripts/setup.sh installs it) or no database server is a failure, never a skip.

mod common;

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::time::{Duration, Instant};

use common::haproxy::{Haproxy, PayFleet, request_from};
use common::mysql::TestDb;
use common::proxy::Proxy;

/// HAProxy's address as the pay-servers see it.
const TRUSTED: &str = "127.0.0.1/32";

/// Three pay-servers on `databases` (one URL each) behind a fresh HAProxy, all seen UP.
fn behind_haproxy(databases: [String; 3], env: &[(&str, &str)]) -> (PayFleet, Haproxy) {
    let port = common::free_port();
    let mut env: Vec<(&str, String)> = env.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
    env.push((
        "KACHING_PAY_SERVER__PUBLIC_URL",
        format!("http://127.0.0.1:{port}"),
    ));
    env.push(("KACHING_PAY_SERVER__TRUSTED_PROXIES", TRUSTED.to_owned()));
    let fleet = PayFleet::start(&databases, &env);
    let lb = Haproxy::start(port, &fleet.addrs());
    for n in 1..=3 {
        lb.wait_status(n, "UP", Duration::from_secs(10));
    }
    (fleet, lb)
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

#[test]
fn a_payment_through_haproxy_reaches_the_till_and_survives_the_death_of_the_server_it_streamed_from()
 {
    let db = TestDb::create();
    let (mut fleet, lb) = behind_haproxy(
        [db.url.clone(), db.url.clone(), db.url.clone()],
        &[
            // The phone's requests in this test all come from 127.0.0.1.
            ("KACHING_PAY_SERVER__RATE_PER_SECOND", "10000"),
            ("KACHING_PAY_SERVER__RATE_BURST", "10000"),
        ],
    );
    let dir = common::seeded_dir();
    let mut cmd = common::kaching(dir.path());
    cmd.env("KACHING_PAYMENT__SERVER_URL", &lb.url)
        .env("KACHING_PAYMENT__TILL_SECRET", &fleet.secret);
    let mut till = common::Till::start_with(cmd);
    till.cmd("login 1 1111");

    // 1. Everything through the proxy: the till's signed requests and event stream, the
    //    customer's page and form.
    till.cmd("scan 1234");
    let pending = common::find_event(&till.cmd("pay main"), "payment_pending");
    let pay_url = pending["pay_url"].as_str().unwrap().to_owned();
    assert!(
        pay_url.starts_with(&format!("{}/p/", lb.url)),
        "the QR code points at the load balancer: {pay_url}"
    );
    let form = common::phone_form(&pay_url);
    let (status, page) = common::press(&pay_url, &form);
    assert_eq!(status, 303, "{page}");
    let accepted = till.wait_for("payment_accepted");
    assert_eq!(accepted["intent_id"], pending["intent_id"]);
    let sale = common::find_event(&till.cmd("accept"), "sale_committed");
    assert_eq!(
        (sale["ticket_no"].as_i64(), sale["method"].as_str()),
        (Some(1), Some("qr"))
    );

    // 2. The pay-server holding the till's event stream dies (SIGKILL) while the customer is
    //    about to pay.
    till.cmd("scan 9012");
    let pending = common::find_event(&till.cmd("pay main"), "payment_pending");
    let intent_id = pending["intent_id"].as_str().unwrap().to_owned();
    let pay_url = pending["pay_url"].as_str().unwrap().to_owned();
    let deadline = Instant::now() + Duration::from_secs(10);
    let streaming = loop {
        let open: Vec<i64> = (0..3).map(|i| fleet.open_streams(i)).collect();
        if open.iter().sum::<i64>() == 1 {
            break open.iter().position(|n| *n == 1).unwrap();
        }
        assert!(
            Instant::now() < deadline,
            "the till's stream is not open: {open:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    fleet.kill(streaming);
    // The customer knows nothing of it: HAProxy sends the page and the form to the others
    // (a connection refused is redispatched; the health check soon takes the dead one out).
    let form = common::phone_form(&pay_url);
    let (status, page) = common::press(&pay_url, &form);
    assert_eq!(status, 303, "{page}");
    // The till's stream broke with its server; it reconnected through the proxy to a living
    // one, which read the state from the shared database.
    let accepted = till.wait_for("payment_accepted");
    assert_eq!(accepted["intent_id"].as_str(), Some(intent_id.as_str()));
    let sale = common::find_event(&till.cmd("accept"), "sale_committed");
    assert_eq!(sale["ticket_no"].as_i64(), Some(2));
    assert_eq!(
        db.strings(&format!(
            "SELECT status FROM payment_intent_events WHERE intent_id = '{intent_id}' ORDER BY seq"
        )),
        vec!["pending", "paid"]
    );
    assert_eq!(
        db.int("SELECT COUNT(*) FROM payment_intents WHERE status = 'paid'"),
        2
    );
    lb.wait_status(streaming + 1, "DOWN", Duration::from_secs(10));
    let (status, _) = common::get(&format!("{}/healthz", lb.url));
    assert_eq!(status, 200, "the two others still serve");
}

#[test]
fn behind_haproxy_each_customer_has_a_quota_of_its_own_and_forged_addresses_buy_nothing() {
    let db = TestDb::create();
    // Two requests at once per client and server, then one a second.
    let (fleet, lb) = behind_haproxy(
        [db.url.clone(), db.url.clone(), db.url.clone()],
        &[
            ("KACHING_PAY_SERVER__RATE_PER_SECOND", "1"),
            ("KACHING_PAY_SERVER__RATE_BURST", "2"),
            ("KACHING_LOG", "warn,kaching::pay_web::access=info"),
        ],
    );
    // No such link: a 404 page, but a customer request like any (the limiter runs first).
    let page = format!("/p/{}", "0".repeat(64));
    let (alice, bob, mallory) = (ip("127.0.0.2"), ip("127.0.0.3"), ip("127.0.0.5"));

    // Alice reloads until every server has refused her (three refusals in a row: roundrobin).
    let mut seen = Vec::new();
    while seen.len() < 40 && !seen.ends_with(&[429, 429, 429]) {
        seen.push(request_from(alice, lb.addr, "GET", &page, &[]));
    }
    assert!(seen.ends_with(&[429, 429, 429]), "{seen:?}");
    assert!(seen.iter().all(|s| *s == 404 || *s == 429), "{seen:?}");
    let served = seen.iter().filter(|s| **s == 404).count();
    assert!(
        served >= 6,
        "each of the three servers lets Alice's burst of 2 through: {seen:?}"
    );
    // Her own X-Forwarded-For changes nothing: HAProxy adds her real address after it.
    for forged in ["203.0.113.77", "127.0.0.3", "203.0.113.77, 127.0.0.1"] {
        assert_eq!(
            request_from(alice, lb.addr, "GET", &page, &[("X-Forwarded-For", forged)]),
            429,
            "{forged}"
        );
    }
    // Bob, behind the same proxy (the same peer address), has a quota of his own. Keyed on the
    // peer, as before, he would share Alice's and be refused.
    for _ in 0..3 {
        assert_eq!(request_from(bob, lb.addr, "GET", &page, &[]), 404);
    }

    // Mallory talks to a pay-server directly, from an address it does not trust, forging a new
    // X-Forwarded-For each time: it is ignored, her quota is her own address's.
    let direct = fleet.servers[0].addr;
    let forged: Vec<u16> = (0..6)
        .map(|i| {
            let xff = format!("198.51.100.{i}");
            request_from(mallory, direct, "GET", &page, &[("X-Forwarded-For", &xff)])
        })
        .collect();
    assert_eq!(&forged[..2], &[404, 404], "{forged:?}");
    assert!(
        forged[2..].iter().filter(|s| **s == 429).count() >= 3,
        "{forged:?}"
    );

    // The access log names the customer (and the proxy it came through), never a forged
    // address, and never the customer's token.
    let logs: String = (0..3).map(|i| fleet.log(i)).collect();
    for line in [
        "client=127.0.0.2 peer=127.0.0.1 method=GET route=\"/p/{token}\" status=404",
        "client=127.0.0.2 peer=127.0.0.1 method=GET route=\"/p/{token}\" status=429",
        "client=127.0.0.3 peer=127.0.0.1 method=GET route=\"/p/{token}\" status=404",
    ] {
        assert!(logs.contains(line), "no {line:?} in\n{logs}");
    }
    assert!(
        fleet
            .log(0)
            .contains("client=127.0.0.5 peer=- method=GET route=\"/p/{token}\" status=429"),
        "{}",
        fleet.log(0)
    );
    for absent in ["198.51.100.", "203.0.113.77", &"0".repeat(64)] {
        assert!(!logs.contains(absent), "{absent} logged:\n{logs}");
    }
    assert!(
        !logs.contains("route=\"/healthz\""),
        "passed health checks are not logged"
    );
}

#[test]
fn a_pay_server_cut_from_its_database_answers_503_and_haproxy_routes_around_it_until_it_is_back() {
    let db = TestDb::create();
    // The third server reaches the database through a cable the test can pull.
    let server = common::mysql::server_url();
    let mariadb: SocketAddr = format!(
        "{}:{}",
        server.host_str().unwrap(),
        server.port().unwrap_or(3306)
    )
    .to_socket_addrs()
    .unwrap()
    .next()
    .unwrap();
    let cable = Proxy::start(mariadb);
    let mut through_cable = url::Url::parse(&db.url).unwrap();
    through_cable.set_ip_host(cable.addr().ip()).unwrap();
    through_cable.set_port(Some(cable.addr().port())).unwrap();
    let (fleet, lb) = behind_haproxy(
        [db.url.clone(), db.url.clone(), through_cable.to_string()],
        &[],
    );
    let third = format!("{}/healthz", fleet.servers[2].url);
    assert_eq!(common::get(&third).0, 200);

    cable.cut();
    let deadline = Instant::now() + Duration::from_secs(10);
    let (status, body) = loop {
        let (status, body) = common::get(&third);
        if status != 200 || Instant::now() > deadline {
            break (status, body);
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!((status, body.as_str()), (503, "database unavailable"));
    lb.wait_status(3, "DOWN", Duration::from_secs(10));
    assert_eq!(lb.status_of(1), "UP");
    assert_eq!(lb.status_of(2), "UP");
    // Through the proxy, nobody meets the sick one.
    for _ in 0..12 {
        assert_eq!(common::get(&format!("{}/healthz", lb.url)).0, 200);
    }

    cable.restore();
    lb.wait_status(3, "UP", Duration::from_secs(15));
    assert_eq!(common::get(&third).0, 200);
}
