//! Payconiq callback verification, measured (never asserted): how many signed callbacks one
//! core verifies per second with the JWKS cached — the detached-JWS framing, the `crit` claims
//! and the ES256 signature check of `CallbackVerifier::verify`, on the body Payconiq sends.
//! A forged callback (bad signature) is timed too: refusing must not be cheaper to abuse than
//! accepting. `cargo bench --bench payconiq`; `KACHING_BENCH_SECS` (default 3) per case.

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
}
