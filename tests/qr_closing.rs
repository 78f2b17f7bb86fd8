//! A QR payment in progress at closing time may finish: the clock guard logs the cashier out
//! only once the payment is over. Runtime in-process with a fake clock; the payment server is a
//! real one on loopback; the test confirms as the customer's phone over HTTP.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Europe::Brussels;
use tokio::sync::mpsc::UnboundedReceiver;

use kaching::actors::{Command, QrServers, Till, TillEvent};
use kaching::clock::{FakeClock, SharedClock, SystemClock};
use kaching::config::RawSettings;
use kaching::domain::{Account, PaymentMethod};
use kaching::pay_web::client::PayClient;
use kaching::pay_web::server::{self, PayServerOptions};
use kaching::pay_web::store::{AnyIntentStore, IntentStore};
use kaching::secrets::{PinHasher, Secret};

fn brussels(h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Brussels
        .with_ymd_and_hms(2026, 6, 10, h, mi, s)
        .unwrap()
        .with_timezone(&Utc)
}

async fn next_named(rx: &mut UnboundedReceiver<TillEvent>, want: &str) -> TillEvent {
    loop {
        let ev = tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .expect("event in time")
            .expect("hub open");
        let name = serde_json::to_value(&ev).unwrap()["event"]
            .as_str()
            .unwrap()
            .to_owned();
        if name == want {
            return ev;
        }
    }
}

fn drain_names(rx: &mut UnboundedReceiver<TillEvent>) -> Vec<String> {
    let mut out = Vec::new();
    while let Ok(ev) = rx.try_recv() {
        out.push(
            serde_json::to_value(&ev).unwrap()["event"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    out
}

fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap() + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

#[actix::test]
async fn a_qr_payment_in_progress_at_closing_may_finish_before_the_cashier_is_logged_out() {
    let dir = tempfile::tempdir().unwrap();
    let hasher = PinHasher::new(Secret::new("t"));
    let clock = FakeClock::new(brussels(17, 58, 0));
    let shared: SharedClock = clock.clone();
    {
        let mut ledger = kaching::store::Ledger::open_in(dir.path()).unwrap();
        kaching::cli::seed_demo(&mut ledger, &hasher, shared.as_ref()).unwrap();
    }
    // A real payment server on loopback (on the real clock: it times intents itself).
    let real: SharedClock = Arc::new(SystemClock);
    let store = AnyIntentStore::open(&format!(
        "sqlite://{}",
        dir.path().join("pay.sqlite").display()
    ))
    .await
    .unwrap();
    store
        .add_till("till-1", &Secret::new("s3cret"), 0)
        .await
        .unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let (running, srv) = server::start(
        listener,
        store,
        PayServerOptions::default(),
        real.clone(),
        1,
    )
    .await
    .unwrap();
    actix::spawn(srv);
    let client = PayClient::new(
        &format!("http://{}", running.addr),
        "till-1",
        Secret::new("s3cret"),
        real,
    )
    .unwrap();
    let servers = QrServers {
        hosted: None,
        lan: Some(client),
    };

    let settings = RawSettings::default().validate().unwrap();
    let till =
        Till::start_with_payments(settings.runtime(), dir.path(), shared, hasher, servers).unwrap();
    let mut rx = till.subscribe();
    till.execute(Command::Login {
        id: "14".into(),
        pin: "1414".into(),
    })
    .await;
    next_named(&mut rx, "logged_in").await;
    till.execute(Command::Scan("1234".into())).await;
    till.execute(Command::Pay {
        account: Account::Main,
        method: PaymentMethod::Qr,
        tendered: None,
    })
    .await;
    let TillEvent::PaymentPending { pay_url, .. } = next_named(&mut rx, "payment_pending").await
    else {
        unreachable!()
    };

    // 18:00:30: closed, but the payment is in progress: the cashier stays.
    clock.set(brussels(18, 0, 30));
    till.tick().await;
    till.tick().await;
    assert!(!drain_names(&mut rx).contains(&"logged_out".to_owned()));

    // The customer confirms; the cashier accepts; the sale is recorded after closing time.
    let http = reqwest::Client::new();
    let page = http
        .get(&pay_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let body = format!(
        "csrf={}&amount_cents={}",
        hidden(&page, "csrf"),
        hidden(&page, "amount_cents")
    );
    let resp = http
        .post(format!("{pay_url}/confirm"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert!(
        resp.status().is_success() || resp.status().is_redirection(),
        "{}",
        resp.status()
    );
    next_named(&mut rx, "payment_accepted").await;
    till.execute(Command::Accept).await;
    let TillEvent::SaleCommitted {
        ticket_no,
        paid_cents,
        ..
    } = next_named(&mut rx, "sale_committed").await
    else {
        unreachable!()
    };
    assert_eq!((ticket_no, paid_cents.cents()), (1, 120));

    // The payment is over: the next look at the clock sends the cashier home.
    till.tick().await;
    let TillEvent::LoggedOut { reason } = next_named(&mut rx, "logged_out").await else {
        unreachable!()
    };
    assert_eq!(reason, "closed");
    running.handle.stop(false).await;
}
