//! Payconiq callback verification, measured (never asserted): how many signed callbacks one
//! core verifies per second with the JWKS cached — the detached-JWS framing, the `crit` claims
//! and the ES256 signature check of `CallbackVerifier::verify`, on the body Payconiq sends.
//! A forged callback (bad signature) is timed too: refusing must not be cheaper to abuse than
//! accepting. `cargo bench --bench payconiq`; `KACHING_BENCH_SECS` (default 3) per case.
//!
//! Then `latency`: a signed callback posted to the pay-server's public route (in this process,
//! SQLite in a temp dir, the tests' Payconiq simulator as provider) → the `paid` state read by
//! the till's client on its event stream, p50/p99 over `KACHING_BENCH_INTENTS` (200) intents,
//! one at a time. Goal: p99 <= 50 ms on one instance.

#[allow(dead_code)]
#[path = "../tests/common/payconiq_sim.rs"]
mod payconiq_sim;

use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use kaching::pay_web::provider::payconiq::CallbackVerifier;
use p256::ecdsa::signature::Signer;

const CALLBACK: &str = "https://pay.example.be/api/v1/providers/payconiq/callback";
const PROFILE: &str = "5fdb1b1b0000000000000000";

fn main() {
    let secs = std::env::var("KACHING_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3u64);
    let signing = loop {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).expect("randomness");
        if let Ok(k) = p256::SecretKey::from_slice(&bytes) {
            break p256::ecdsa::SigningKey::from(&k);
        }
    };
    let public = p256::PublicKey::from(signing.verifying_key());
    let mut jwk: serde_json::Value = serde_json::from_str(&public.to_jwk_string()).expect("jwk");
    jwk["kid"] = "k1".into();
    let keys = serde_json::from_value(serde_json::json!({ "keys": [jwk] })).expect("jwks");
    let verifier = CallbackVerifier::with_keys(keys, CALLBACK, PROFILE);
    let body = br#"{"paymentId":"5bdb1685b93d1c000bde96f2","transferAmount":1620,"tippingAmount":0,"amount":1620,"totalAmount":1620,"description":"KACHING - Khadija","reference":"0190c0de-0000-7000-8000-000000000000","createdAt":"2026-12-02T10:00:00.000Z","expireAt":"2026-12-02T10:20:00.000Z","succeededAt":"2026-12-02T10:00:30.000Z","status":"SUCCEEDED","debtor":{"name":"John","iban":"*************12636"},"currency":"EUR"}"#;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let now = chrono::Utc::now();
    let sign = |jti: &str| {
        let header = serde_json::json!({
            "alg": "ES256", "kid": "k1", "typ": "jose+json",
            "crit": ["https://payconiq.com/iss", "https://payconiq.com/iat", "https://payconiq.com/jti", "https://payconiq.com/path", "https://payconiq.com/sub"],
            "https://payconiq.com/iss": "Payconiq",
            "https://payconiq.com/iat": now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "https://payconiq.com/jti": jti,
            "https://payconiq.com/path": CALLBACK,
            "https://payconiq.com/sub": PROFILE,
        });
        let h64 = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header).expect("header"));
        let message = format!("{h64}.{}", URL_SAFE_NO_PAD.encode(body));
        let sig: p256::ecdsa::Signature = signing.sign(message.as_bytes());
        format!("{h64}..{}", URL_SAFE_NO_PAD.encode(sig.to_bytes()))
    };
    let good = sign("jti-1");
    let forged = {
        let mut s = good.clone();
        let last = s.pop().expect("signature");
        s.push(if last == 'A' { 'B' } else { 'A' });
        s
    };
    println!("Payconiq callback verification, one core, JWKS cached ({secs} s per case)");
    println!("{:<28} {:>12} {:>12}", "case", "per second", "µs each");
    for (label, sig, ok) in [
        ("valid callback", &good, true),
        ("forged signature", &forged, false),
    ] {
        // Warm the key cache (one fetch of the fixed set) before timing.
        let _ = runtime.block_on(verifier.verify(Some(&good), body, now));
        let deadline = Instant::now() + Duration::from_secs(secs);
        let start = Instant::now();
        let mut n = 0u64;
        while Instant::now() < deadline {
            for _ in 0..100 {
                let r = runtime.block_on(verifier.verify(Some(sig), body, now));
                assert_eq!(r.is_ok(), ok, "{r:?}");
                n += 1;
            }
        }
        let elapsed = start.elapsed().as_secs_f64();
        println!(
            "{label:<28} {:>12.0} {:>12.1}",
            n as f64 / elapsed,
            elapsed * 1e6 / n as f64
        );
    }
    latency();
}

fn latency() {
    use futures_util::StreamExt;
    use kaching::pay_web::api::{CreateIntent, IntentLine, IntentStatus};
    use kaching::pay_web::store::{AnyIntentStore, IntentStore};

    let intents: usize = std::env::var("KACHING_BENCH_INTENTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let sim = payconiq_sim::PayconiqSim::start("bench-key", PROFILE);
    sim.set_callbacks(false);
    let dir = tempfile::tempdir().expect("temp dir");
    let clock: kaching::clock::SharedClock = std::sync::Arc::new(kaching::clock::SystemClock);
    let samples = actix_web::rt::System::new().block_on(async move {
        let store = AnyIntentStore::open(&format!(
            "sqlite://{}",
            dir.path().join("pay.sqlite").display()
        ))
        .await
        .expect("store");
        let secret = "b".repeat(64);
        store
            .add_till("till-1", &kaching::secrets::Secret::new(secret.clone()), 0)
            .await
            .expect("till");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let callback = format!("http://{addr}/api/v1/providers/payconiq/callback");
        let options = kaching::pay_web::server::PayServerOptions {
            payconiq: Some(kaching::pay_web::provider::payconiq::PayconiqConfig {
                api_url: sim.url.clone(),
                jwks_url: sim.jwks_url(),
                payment_profile_id: PROFILE.into(),
                callback_url: callback.clone(),
                api_key: kaching::secrets::Secret::new("bench-key"),
            }),
            rate_per_second: 1_000_000,
            rate_burst: 1_000_000,
            ..Default::default()
        };
        let (running, server) =
            kaching::pay_web::server::start(listener, store, options, clock.clone(), 2)
                .await
                .expect("server");
        actix_web::rt::spawn(server);
        let till = kaching::pay_web::client::PayClient::new(
            &format!("http://{}", running.addr),
            "till-1",
            kaching::secrets::Secret::new(secret),
            clock,
        )
        .expect("client");
        let mut samples = Vec::with_capacity(intents);
        for i in 0..intents {
            let cents = 120 + (i % 50) as i64 * 10;
            let view = till
                .create(&CreateIntent {
                    intent_id: uuid::Uuid::now_v7().to_string(),
                    amount_cents: cents,
                    account: "main".into(),
                    seller: "Khadija".into(),
                    shop_name: "KACHING".into(),
                    lines: vec![IntentLine {
                        name: "Pain".into(),
                        qty: 1,
                        total_cents: cents,
                    }],
                })
                .await
                .expect("intent");
            let payment = view.provider_ref.clone().expect("a Payconiq payment");
            let stream = till.events(&view.intent_id).await.expect("stream");
            let mut stream = std::pin::pin!(stream);
            let first = stream.next().await.expect("first state").expect("state");
            assert_eq!(first.status, IntentStatus::Pending);
            let (sig, body) = sim.signed_callback(&payment, "SUCCEEDED", cents);
            let url = callback.clone();
            let sent = Instant::now();
            let post = tokio::task::spawn_blocking(move || {
                payconiq_sim::post_callback(&url, Some(&sig), &body)
            });
            let paid = stream.next().await.expect("paid state").expect("state");
            let took = sent.elapsed();
            assert_eq!(paid.status, IntentStatus::Paid);
            assert_eq!(post.await.expect("post"), 200);
            samples.push(took);
        }
        running.handle.stop(false).await;
        samples
    });
    let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1e3).collect();
    ms.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| ms[((ms.len() as f64 - 1.0) * p).round() as usize];
    println!();
    println!(
        "callback received -> till event, one instance, {} intents",
        ms.len()
    );
    println!(
        "p50 {:.2} ms   p99 {:.2} ms   max {:.2} ms   (goal p99 <= 50 ms: {})",
        pct(0.5),
        pct(0.99),
        pct(1.0),
        if pct(0.99) <= 50.0 { "met" } else { "missed" }
    );
}
