//! Payconiq end to end against a simulator of its merchant API v3 (tests/common/payconiq_sim.rs):
//! the simulator's signed callbacks verify with KACHING's verifier, the API client speaks its
//! dialect, and a till paying through the hosted pay-server gets its QR code from Payconiq,
//! learns of payment by callback (or by polling when a callback is lost), and forged callbacks
//! are refused.

mod common;

use common::payconiq_sim::PayconiqSim;
use kaching::pay_web::provider::ProviderError;
use kaching::pay_web::provider::payconiq::{CallbackVerifier, PayconiqApi};

const KEY: &str = "sim-api-key-0123456789";
const PROFILE: &str = "5fe0a1b2c3d4e5f6a7b8c9d0";
const CALLBACK: &str = "http://127.0.0.1:9/api/v1/providers/payconiq/callback";

fn api(sim: &PayconiqSim, key: &str) -> PayconiqApi {
    PayconiqApi::new(
        &sim.url,
        kaching::secrets::Secret::new(key.to_owned()),
        CALLBACK,
    )
}

#[tokio::test]
async fn the_simulators_callbacks_verify_with_kachings_verifier() {
    let sim = PayconiqSim::start(KEY, PROFILE);
    sim.set_callbacks(false);
    let created = api(&sim, KEY)
        .create(120, "intent-1", "Pain")
        .await
        .unwrap();
    let verifier = CallbackVerifier::new(&sim.jwks_url(), CALLBACK, PROFILE);
    let (sig, body) = sim.signed_callback(&created.payment_id, "SUCCEEDED", 120);
    let ok = verifier
        .verify(Some(&sig), &body, chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(ok.payment.payment_id, created.payment_id);
    assert_eq!(ok.payment.amount_cents, 120);
    assert_eq!(ok.payment.reference.as_deref(), Some("intent-1"));

    let changed = String::from_utf8(body.clone()).unwrap().replace("120", "1");
    assert!(
        verifier
            .verify(Some(&sig), changed.as_bytes(), chrono::Utc::now())
            .await
            .is_err()
    );
    // Another profile's verifier refuses it too.
    let other = CallbackVerifier::new(&sim.jwks_url(), CALLBACK, "another-profile");
    assert!(
        other
            .verify(Some(&sig), &body, chrono::Utc::now())
            .await
            .is_err()
    );
}

#[tokio::test]
async fn kachings_api_client_speaks_the_simulators_dialect() {
    let sim = PayconiqSim::start(KEY, PROFILE);
    sim.set_callbacks(false);
    let client = api(&sim, KEY);
    let created = client.create(1620, "intent-42", "Vente").await.unwrap();
    assert_eq!(created.payment_id.len(), 24);
    assert_eq!(
        created.qr_url,
        common::payconiq_sim::qrcode_href(&created.payment_id)
    );
    assert_eq!(
        sim.payments(),
        vec![(
            created.payment_id.clone(),
            1620,
            "intent-42".to_owned(),
            "PENDING".to_owned()
        )]
    );
    let create = &sim.requests()[0];
    assert_eq!(
        (create.method.as_str(), create.path.as_str()),
        ("POST", "/v3/payments")
    );
    let body: serde_json::Value = serde_json::from_str(&create.body).unwrap();
    assert_eq!(body["amount"], 1620);
    assert_eq!(body["currency"], "EUR");
    assert_eq!(body["reference"], "intent-42");
    assert_eq!(body["callbackUrl"], CALLBACK);

    let state = client.status(&created.payment_id).await.unwrap();
    assert_eq!(state.amount_cents, 1620);
    assert!(matches!(
        client.status("000000000000000000000000").await,
        Err(ProviderError::UnknownPayment)
    ));
    assert!(matches!(
        api(&sim, "wrong-key").create(100, "x", "y").await,
        Err(ProviderError::BadApiKey)
    ));

    // A pending payment can be cancelled; a paid one cannot.
    let second = client.create(500, "intent-43", "Vente").await.unwrap();
    client.cancel(&second.payment_id).await.unwrap();
    assert_eq!(sim.payments()[1].3, "CANCELLED");
    assert_eq!(sim.pay(&created.payment_id), None);
    assert!(matches!(
        client.cancel(&created.payment_id).await,
        Err(ProviderError::NotCancellable)
    ));

    // The same idempotency key twice is one refund; another key, another.
    let r1 = client
        .refund(&created.payment_id, 120, "refund-key-1", "Retour")
        .await
        .unwrap();
    let r2 = client
        .refund(&created.payment_id, 120, "refund-key-1", "Retour")
        .await
        .unwrap();
    assert_eq!(r1.refund_id, r2.refund_id);
    assert_eq!(r1.status, "SUCCEEDED");
    let r3 = client
        .refund(&created.payment_id, 120, "refund-key-2", "Retour")
        .await
        .unwrap();
    assert_ne!(r1.refund_id, r3.refund_id);
    let keys: Vec<_> = sim
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/refunds"))
        .map(|r| r.idempotency_key.clone())
        .collect();
    assert_eq!(
        keys,
        vec![
            Some("refund-key-1".to_owned()),
            Some("refund-key-1".to_owned()),
            Some("refund-key-2".to_owned())
        ]
    );
    assert_eq!(
        client
            .refund_status(&created.payment_id, &r1.refund_id)
            .await
            .unwrap()
            .status,
        "SUCCEEDED"
    );
}

// ---- End to end: a till, the hosted pay-server, and the simulator as Payconiq. ----

use std::time::{Duration, Instant};

use common::pay_server::PayServer;
use serde_json::{Value, json};

use common::pay_server::CALLBACK_PATH;

/// A pay-server using the simulator as its provider.
fn pay_server(sim: &PayconiqSim) -> PayServer {
    common::pay_server::payconiq(sim, KEY, PROFILE)
}

/// A headless till paying through `server`, logged in.
fn till(server: &PayServer, dir: &std::path::Path) -> common::Till {
    let mut cmd = common::kaching(dir);
    cmd.env("KACHING_PAYMENT__SERVER_URL", &server.url)
        .env("KACHING_PAYMENT__TILL_SECRET", &server.secret)
        .env("KACHING_TILL__ID", "till-1");
    let mut till = common::Till::start_with(cmd);
    assert!(
        till.cmd("login 1 1111")
            .iter()
            .any(|e| e["event"] == "logged_in")
    );
    till
}

/// The simulator's payment for the intent of `pending`, checked against it: its id.
fn payment_for(sim: &PayconiqSim, pending: &Value) -> String {
    let intent = pending["intent_id"].as_str().unwrap();
    let reference: String = intent.chars().take(35).collect();
    let payments = sim.payments();
    let (id, amount, _, status) = payments
        .iter()
        .find(|p| p.2 == reference)
        .unwrap_or_else(|| panic!("no payment with reference {intent}: {payments:?}"));
    assert_eq!(
        Some(*amount),
        pending["amount_cents"].as_i64(),
        "{payments:?}"
    );
    assert_eq!(status, "PENDING");
    assert_eq!(
        pending["pay_url"].as_str(),
        Some(common::payconiq_sim::qrcode_href(id).as_str()),
        "the till shows Payconiq's QR code"
    );
    id.clone()
}

/// The events of the next `d`: panics if the till's stdout closes.
fn events_within(till: &mut common::Till, d: Duration) -> Vec<Value> {
    let deadline = Instant::now() + d;
    let mut out = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return out;
        }
        match till.next_within(left) {
            Ok(v) => out.push(v),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => return out,
            Err(e) => panic!("till gone: {e}; seen {:#?}", till.seen),
        }
    }
}

#[test]
fn a_payconiq_payment_paid_in_the_app_is_accepted_and_committed_and_the_sub_account_follows() {
    let sim = PayconiqSim::start(KEY, PROFILE);
    let server = pay_server(&sim);
    let dir = common::seeded_dir();
    let mut till = till(&server, dir.path());
    till.cmd("scan 1234");
    till.cmd("account sub");
    till.cmd("scan 1234");
    till.cmd("scan 1234");

    let (_, pending) = till.cmd_awaiting("pay main", "payment_pending");
    assert_eq!(pending["account"], "main");
    assert_eq!(pending["amount_cents"], 120);
    let id = payment_for(&sim, &pending);
    let create = sim
        .requests()
        .into_iter()
        .find(|r| r.method == "POST" && r.path == "/v3/payments")
        .unwrap();
    let body: Value = serde_json::from_str(&create.body).unwrap();
    assert_eq!(body["currency"], "EUR");
    assert_eq!(
        body["callbackUrl"].as_str(),
        Some(format!("{}{CALLBACK_PATH}", server.url).as_str())
    );
    till.expect_error("accept", "not_paid_yet");

    assert_eq!(sim.pay(&id), Some(200));
    let accepted = till.wait_for("payment_accepted");
    assert_eq!(accepted["intent_id"], pending["intent_id"]);

    let (ev, sale) = till.cmd_awaiting("accept", "sale_committed");
    assert_eq!(
        (
            sale["ticket_no"].as_i64(),
            sale["method"].as_str(),
            sale["paid_cents"].as_i64()
        ),
        (Some(1), Some("qr"), Some(120))
    );
    // The sale carries Payconiq's paymentId, and so does its ticket.
    assert_eq!(sale["provider_ref"].as_str(), Some(id.as_str()), "{sale}");
    let ticket = dir.path().join("tickets").join("till-1-000001.txt");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !ticket.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let text = std::fs::read_to_string(&ticket).expect("ticket 1 printed");
    assert!(text.contains(&id), "{text}");
    let second = ev
        .iter()
        .find(|e| e["event"] == "payment_pending")
        .cloned()
        .unwrap_or_else(|| till.wait_for("payment_pending"));
    assert_eq!(second["account"], "sub");
    assert_eq!(second["amount_cents"], 240);
    assert_ne!(second["intent_id"], pending["intent_id"]);
    let second_id = payment_for(&sim, &second);
    assert_ne!(second_id, id);
    assert_eq!(sim.pay(&second_id), Some(200));
    till.wait_for("payment_accepted");
    // Power cut between the payment and `accept`: the restarted till still has the payment,
    // and its paymentId, from its ledger.
    drop(till);
    let mut till = self::till(&server, dir.path());
    let (_, sale) = till.cmd_awaiting("accept", "sale_committed");
    assert_eq!(
        (
            sale["ticket_no"].as_i64(),
            sale["account"].as_str(),
            sale["paid_cents"].as_i64(),
            sale["provider_ref"].as_str()
        ),
        (Some(2), Some("sub"), Some(240), Some(second_id.as_str()))
    );
    till.quit();
}

#[test]
fn callback_attacks_are_refused_and_change_nothing() {
    let sim = PayconiqSim::start(KEY, PROFILE);
    let server = pay_server(&sim);
    let dir = common::seeded_dir();
    let mut till = till(&server, dir.path());
    till.cmd("scan 1234");
    let (_, pending) = till.cmd_awaiting("pay main", "payment_pending");
    let id = payment_for(&sim, &pending);
    let url = sim.callback_url(&id);
    assert_eq!(url, format!("{}{CALLBACK_PATH}", server.url));
    let paid = sim.callback_body(&id, "SUCCEEDED", 120);
    let good = |edit: &dyn Fn(&mut Value)| {
        let mut h = sim.header(&url);
        edit(&mut h);
        sim.sign_with(h, &paid)
    };
    let genuine = good(&|_| {});
    let h64 = genuine.split_once("..").unwrap().0;
    let iat = "https://payconiq.com/iat";
    let mut attacks: Vec<(&str, Option<String>, Vec<u8>, u16)> = vec![
        ("no Signature header", None, paid.clone(), 401),
        ("garbage", Some("not a jws".into()), paid.clone(), 401),
        (
            "not detached",
            Some(format!("{h64}.e30.c2ln")),
            paid.clone(),
            401,
        ),
        (
            "alg none",
            Some(good(&|h| h["alg"] = json!("none"))),
            paid.clone(),
            401,
        ),
        (
            "alg HS256",
            Some(good(&|h| h["alg"] = json!("HS256"))),
            paid.clone(),
            401,
        ),
        (
            "unknown kid",
            Some(good(&|h| h["kid"] = json!("sim-2"))),
            paid.clone(),
            401,
        ),
        (
            "bad signature (another body's)",
            Some(sim.sign_with(sim.header(&url), &sim.callback_body(&id, "PENDING", 120))),
            paid.clone(),
            401,
        ),
        (
            "crit without sub",
            Some(good(&|h| {
                h["crit"].as_array_mut().unwrap().pop();
            })),
            paid.clone(),
            401,
        ),
        (
            "missing iat claim",
            Some(good(&|h| {
                h.as_object_mut().unwrap().remove(iat);
            })),
            paid.clone(),
            401,
        ),
        (
            "wrong iss",
            Some(good(&|h| h["https://payconiq.com/iss"] = json!("Mallory"))),
            paid.clone(),
            401,
        ),
        (
            "stale iat",
            Some(good(&|h| {
                h[iat] = json!(
                    (chrono::Utc::now() - chrono::TimeDelta::minutes(10))
                        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
                )
            })),
            paid.clone(),
            401,
        ),
        (
            "future iat",
            Some(good(&|h| {
                h[iat] = json!(
                    (chrono::Utc::now() + chrono::TimeDelta::minutes(10))
                        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
                )
            })),
            paid.clone(),
            401,
        ),
        (
            "wrong path",
            Some(good(&|h| {
                h["https://payconiq.com/path"] = json!("http://evil.test/callback")
            })),
            paid.clone(),
            401,
        ),
        (
            "wrong sub",
            Some(good(&|h| {
                h["https://payconiq.com/sub"] = json!("another-profile")
            })),
            paid.clone(),
            401,
        ),
    ];
    let unknown = serde_json::to_vec(&json!({
        "paymentId": "0123456789abcdef01234567", "status": "SUCCEEDED", "amount": 120,
        "currency": "EUR", "reference": pending["intent_id"], "createdAt": "2026-01-01T00:00:00.000Z"
    }))
    .unwrap();
    attacks.push((
        "unknown paymentId",
        Some(sim.sign_with(sim.header(&url), &unknown)),
        unknown,
        404,
    ));
    let cheap = sim.callback_body(&id, "SUCCEEDED", 1);
    attacks.push((
        "SUCCEEDED for another amount",
        Some(sim.sign_with(sim.header(&url), &cheap)),
        cheap,
        422,
    ));
    let junk = br#"{"hello":"world"}"#.to_vec();
    attacks.push((
        "not a payment",
        Some(sim.sign_with(sim.header(&url), &junk)),
        junk,
        400,
    ));
    let mut wrong = Vec::new();
    for (what, sig, body, want) in &attacks {
        let got = common::payconiq_sim::post_callback(&url, sig.as_deref(), body);
        if got != *want {
            wrong.push(format!("{what}: {got}, want {want}"));
        }
        assert!(got < 500, "{what}: {got}");
    }
    let ev = events_within(&mut till, Duration::from_secs(2));
    assert!(
        ev.iter().all(|e| e["event"] != "payment_accepted"),
        "a forged callback paid the intent: {ev:#?}; statuses: {wrong:?}"
    );
    assert!(wrong.is_empty(), "wrong statuses: {wrong:#?}");
    till.expect_error("accept", "not_paid_yet");

    // The real one, after all that, is accepted; replaying it is refused.
    sim.set_callbacks(false);
    assert_eq!(sim.pay(&id), None);
    let (sig, body) = sim.signed_callback(&id, "SUCCEEDED", 120);
    assert_eq!(
        common::payconiq_sim::post_callback(&url, Some(&sig), &body),
        200
    );
    let accepted = till.wait_for("payment_accepted");
    assert_eq!(accepted["intent_id"], pending["intent_id"]);
    assert_eq!(
        common::payconiq_sim::post_callback(&url, Some(&sig), &body),
        409,
        "a replayed jti"
    );
    // A late PENDING changes nothing.
    let (sig, body) = sim.signed_callback(&id, "PENDING", 120);
    assert_eq!(
        common::payconiq_sim::post_callback(&url, Some(&sig), &body),
        200
    );
    let (_, sale) = till.cmd_awaiting("accept", "sale_committed");
    assert_eq!(
        (sale["method"].as_str(), sale["paid_cents"].as_i64()),
        (Some("qr"), Some(120))
    );
    till.quit();
}

#[test]
fn a_lost_callback_is_caught_by_polling_within_five_seconds() {
    let sim = PayconiqSim::start(KEY, PROFILE);
    sim.set_callbacks(false);
    let server = pay_server(&sim);
    let dir = common::seeded_dir();
    let mut till = till(&server, dir.path());
    till.cmd("scan 1234");
    let (_, pending) = till.cmd_awaiting("pay main", "payment_pending");
    let id = payment_for(&sim, &pending);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(sim.pay(&id), None);
    let paid_at = Instant::now();
    let deadline = paid_at + Duration::from_secs(5);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match till.next_within(left) {
            Ok(e) if e["event"] == "payment_accepted" => {
                assert_eq!(e["intent_id"], pending["intent_id"]);
                break;
            }
            Ok(_) => {}
            Err(e) => panic!(
                "no payment_accepted within 5 s of the payment ({e}); seen {:#?}; requests {:?}",
                till.seen,
                sim.requests()
                    .iter()
                    .map(|r| format!("{} {}", r.method, r.path))
                    .collect::<Vec<_>>()
            ),
        }
    }
    assert!(
        sim.requests()
            .iter()
            .any(|r| r.method == "GET" && r.path == format!("/v3/payments/{id}")),
        "the pay-server polled"
    );
    let (_, sale) = till.cmd_awaiting("accept", "sale_committed");
    assert_eq!(sale["method"], "qr");
    till.quit();
}

#[test]
fn the_manual_button_cannot_pay_a_payconiq_intent() {
    let sim = PayconiqSim::start(KEY, PROFILE);
    sim.set_callbacks(false);
    let server = pay_server(&sim);
    let dir = common::seeded_dir();
    let mut till = till(&server, dir.path());
    till.cmd("scan 1234");
    let (_, pending) = till.cmd_awaiting("pay main", "payment_pending");
    let id = payment_for(&sim, &pending);
    let pay_url = pending["pay_url"].as_str().unwrap();
    if pay_url.starts_with(&server.url) && pay_url.contains("/p/") {
        // The intent has a customer page: its manual confirmation is refused.
        let (_, page) = common::get(pay_url);
        let form = (
            common::hidden_input(&page, "csrf").unwrap_or_default(),
            "120".to_owned(),
        );
        let (status, page) = common::press(pay_url, &form);
        assert!((400..500).contains(&status), "{status}: {page}");
    } else {
        // The till shows Payconiq's own QR code (payment_for checked it): the customer never
        // reaches the pay-server's /p/ page, so there is no manual button to press.
        assert!(!pay_url.starts_with(&server.url), "{pay_url}");
    }
    // Nor can anyone press it by guessing: the intent id is not a page token.
    let guess = format!(
        "{}/p/{}",
        server.url,
        pending["intent_id"].as_str().unwrap()
    );
    let (status, page) = common::post_form(
        &format!("{guess}/confirm"),
        &[("csrf", "x"), ("amount_cents", "120")],
    );
    assert!((400..500).contains(&status), "{status}: {page}");
    let ev = events_within(&mut till, Duration::from_secs(1));
    assert!(
        ev.iter().all(|e| e["event"] != "payment_accepted"),
        "{ev:#?}"
    );
    assert_eq!(sim.payments()[0].0, id);
    till.quit();
}

/// A signed client for till-1 of `server`, as the till holds it.
fn pay_client(server: &PayServer) -> kaching::pay_web::client::PayClient {
    kaching::pay_web::client::PayClient::new(
        &server.url,
        "till-1",
        kaching::secrets::Secret::new(server.secret.clone()),
        std::sync::Arc::new(kaching::clock::SystemClock),
    )
    .unwrap()
}

fn intent_of(cents: i64) -> kaching::pay_web::api::CreateIntent {
    kaching::pay_web::api::CreateIntent {
        intent_id: uuid::Uuid::now_v7().to_string(),
        amount_cents: cents,
        account: "main".into(),
        seller: "Khadija".into(),
        shop_name: "KACHING".into(),
        lines: vec![kaching::pay_web::api::IntentLine {
            name: "Pain".into(),
            qty: 1,
            total_cents: cents,
        }],
    }
}

fn refund_of(cents: i64) -> kaching::pay_web::api::CreateRefund {
    kaching::pay_web::api::CreateRefund {
        refund_id: uuid::Uuid::now_v7().to_string(),
        amount_cents: cents,
        description: "Retour ticket 1".into(),
    }
}

/// The refusal's (HTTP status, API code).
fn refusal<T: std::fmt::Debug>(
    r: Result<T, kaching::pay_web::client::ClientError>,
) -> (u16, String) {
    match r {
        Err(kaching::pay_web::client::ClientError::Refused { status, code, .. }) => {
            (status, code.unwrap_or_default())
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Asks `f` every 100 ms until it says yes, for at most `secs`.
async fn eventually<F, Fut>(secs: u64, what: &str, mut f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !f().await {
        assert!(Instant::now() < deadline, "not within {secs} s: {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn refunds_go_through_payconiq_once_each_never_beyond_the_payment_and_survive_a_restart() {
    use kaching::pay_web::api::{IntentStatus, RefundStatus};
    let sim = PayconiqSim::start(KEY, PROFILE);
    let mut server = pay_server(&sim);
    let client = pay_client(&server);
    let req = intent_of(1620);
    let id = req.intent_id.clone();
    let view = client.create(&req).await.unwrap();
    let payment = view.provider_ref.clone().expect("a Payconiq payment");

    // Not paid yet: nothing to give back, nothing asked of Payconiq.
    assert_eq!(
        refusal(client.refund(&id, &refund_of(100)).await),
        (409, "not_paid".to_owned())
    );
    assert_eq!(sim.pay(&payment), Some(200));
    eventually(5, "the intent is paid", || async {
        client.get(&id).await.unwrap().status == IntentStatus::Paid
    })
    .await;

    // A partial refund goes through; asked again under the same id, it is the same refund.
    let first = refund_of(500);
    let v1 = client.refund(&id, &first).await.unwrap();
    assert_eq!(v1.status, RefundStatus::Succeeded, "{v1:?}");
    assert!(v1.provider_refund_id.is_some());
    assert_eq!(client.refund(&id, &first).await.unwrap(), v1);
    assert_eq!(
        client.refund_status(&id, &first.refund_id).await.unwrap(),
        v1
    );
    assert_eq!(sim.refunds().len(), 1, "{:?}", sim.refunds());

    // More than what is left, the same id for another amount, bad input, an unknown intent,
    // an unsigned request: refused, nothing sent to Payconiq.
    assert_eq!(
        refusal(client.refund(&id, &refund_of(1121)).await),
        (422, "refund_exceeds_payment".to_owned())
    );
    let reused = kaching::pay_web::api::CreateRefund {
        amount_cents: 400,
        ..first.clone()
    };
    assert_eq!(
        refusal(client.refund(&id, &reused).await),
        (409, "conflict".to_owned())
    );
    let mut bad = refund_of(100);
    bad.refund_id = "not-a-uuid".into();
    assert_eq!(refusal(client.refund(&id, &bad).await).0, 400);
    assert_eq!(refusal(client.refund(&id, &refund_of(0)).await).0, 400);
    assert_eq!(
        refusal(
            client
                .refund(&uuid::Uuid::now_v7().to_string(), &refund_of(100))
                .await
        )
        .0,
        404
    );
    let unsigned = reqwest::Client::new()
        .post(format!("{}/api/v1/intents/{id}/refunds", server.url))
        .json(&refund_of(100))
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status().as_u16(), 401);
    assert_eq!(sim.refunds().len(), 1);

    // Payconiq down: the refund is recorded, on its way (`requested`), not failed.
    sim.set_refunds("down");
    let second = refund_of(1120);
    let v2 = client.refund(&id, &second).await.unwrap();
    assert_eq!(v2.status, RefundStatus::Requested, "{v2:?}");
    // Its amount counts already: no third refund slips in while it waits.
    assert_eq!(
        refusal(client.refund(&id, &refund_of(1)).await),
        (422, "refund_exceeds_payment".to_owned())
    );
    // The pay-server dies in the middle; Payconiq comes back (taking refunds as PENDING).
    server.restart();
    sim.set_refunds("pending");
    // The restarted server's poller asks again with the same key, then follows it to SUCCEEDED.
    eventually(
        10,
        "the refund reaches Payconiq after the restart",
        || async { sim.refunds().len() == 2 },
    )
    .await;
    sim.settle_refunds("SUCCEEDED");
    eventually(10, "the refund is followed to SUCCEEDED", || async {
        client
            .refund_status(&id, &second.refund_id)
            .await
            .unwrap()
            .status
            == RefundStatus::Succeeded
    })
    .await;
    let made = sim.refunds();
    let mut expected = vec![
        (
            payment.clone(),
            first.refund_id.clone(),
            500,
            "SUCCEEDED".to_owned(),
        ),
        (
            payment.clone(),
            second.refund_id.clone(),
            1120,
            "SUCCEEDED".to_owned(),
        ),
    ];
    expected.sort();
    assert_eq!(made, expected, "each refund once, with its own key");
    // Every cent is back: not one more.
    sim.set_refunds("ok");
    assert_eq!(
        refusal(client.refund(&id, &refund_of(1)).await),
        (422, "refund_exceeds_payment".to_owned())
    );
}

#[tokio::test]
async fn a_payment_no_provider_took_is_refunded_in_cash_not_through_the_server() {
    let server = PayServer::start();
    let client = pay_client(&server);
    let req = intent_of(250);
    let view = client.create(&req).await.unwrap();
    let url = view.pay_url.clone();
    let (status, page) = tokio::task::spawn_blocking(move || common::phone_confirms(&url))
        .await
        .unwrap();
    assert!(matches!(status, 200 | 303), "{status}: {page}");
    assert_eq!(
        client.get(&req.intent_id).await.unwrap().status,
        kaching::pay_web::api::IntentStatus::Paid
    );
    let (status, code) = refusal(client.refund(&req.intent_id, &refund_of(250)).await);
    assert_eq!((status, code.as_str()), (409, "not_refundable"));
}
