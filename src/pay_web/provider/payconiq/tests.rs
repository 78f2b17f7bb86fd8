//! The callback verifier against real ES256 signatures made with a fresh P-256 key: one good
//! callback accepted, and each way of forging, replaying or bending one refused.

use super::*;
use p256::ecdsa::signature::Signer;

const CALLBACK: &str = "https://pay.example.be/api/v1/providers/payconiq/callback";
const PROFILE: &str = "5fdb1b1b0000000000000000";

struct Key {
    signing: p256::ecdsa::SigningKey,
    kid: String,
}

fn new_key(kid: &str) -> Key {
    loop {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).unwrap();
        if let Ok(secret) = p256::SecretKey::from_slice(&bytes) {
            return Key {
                signing: p256::ecdsa::SigningKey::from(&secret),
                kid: kid.to_owned(),
            };
        }
    }
}

fn jwks(keys: &[&Key]) -> JwkSet {
    let keys: Vec<serde_json::Value> = keys
        .iter()
        .map(|k| {
            let public = p256::PublicKey::from(k.signing.verifying_key());
            let mut v: serde_json::Value = serde_json::from_str(&public.to_jwk_string()).unwrap();
            v["kid"] = k.kid.clone().into();
            v["use"] = "sig".into();
            v
        })
        .collect();
    serde_json::from_value(serde_json::json!({ "keys": keys })).unwrap()
}

fn header(kid: &str, iat: DateTime<Utc>) -> serde_json::Value {
    serde_json::json!({
        "alg": "ES256",
        "kid": kid,
        "typ": "jose+json",
        "crit": CRIT,
        ISS: "Payconiq",
        IAT: iat.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        JTI: format!("jti-{}", uuid::Uuid::now_v7()),
        PATH: CALLBACK,
        SUB: PROFILE,
    })
}

fn sign(key: &Key, header: &serde_json::Value, body: &[u8]) -> String {
    let h64 = URL_SAFE_NO_PAD.encode(serde_json::to_vec(header).unwrap());
    let message = format!("{h64}.{}", URL_SAFE_NO_PAD.encode(body));
    let sig: p256::ecdsa::Signature = key.signing.sign(message.as_bytes());
    format!("{h64}..{}", URL_SAFE_NO_PAD.encode(sig.to_bytes()))
}

fn body(status: &str, amount: i64) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "paymentId": "pq-123", "status": status, "amount": amount,
        "currency": "EUR", "reference": "0190c0de-aaaa", "createdAt": "2026-12-02T10:00:00Z"
    }))
    .unwrap()
}

fn block<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

fn verifier(keys: &[&Key]) -> CallbackVerifier {
    CallbackVerifier::with_keys(jwks(keys), CALLBACK, PROFILE)
}

#[test]
fn a_callback_signed_by_the_providers_key_is_accepted_with_its_payment_and_jti() {
    let key = new_key("k1");
    let v = verifier(&[&key]);
    let now = Utc::now();
    let h = header("k1", now);
    let b = body("SUCCEEDED", 1620);
    let ok = block(v.verify(Some(&sign(&key, &h, &b)), &b, now)).unwrap();
    assert_eq!(ok.payment.status, ProviderStatus::Succeeded);
    assert_eq!(ok.payment.amount_cents, 1620);
    assert_eq!(ok.payment.payment_id, "pq-123");
    assert_eq!(ok.jti, h[JTI].as_str().unwrap());
    // The key set is fetched once and then cached.
    let h2 = header("k1", now);
    block(v.verify(Some(&sign(&key, &h2, &b)), &b, now)).unwrap();
    assert_eq!(v.fetches(), 1);
}

#[test]
fn forged_bent_or_stale_callbacks_are_refused() {
    let key = new_key("k1");
    let other = new_key("k1");
    let v = verifier(&[&key]);
    let now = Utc::now();
    let b = body("SUCCEEDED", 1620);
    let good = header("k1", now);
    let check = |sig: Option<&str>, body: &[u8]| block(v.verify(sig, body, now));

    assert_eq!(check(None, &b), Err(CallbackError::Missing));
    assert_eq!(check(Some("abc"), &b), Err(CallbackError::Malformed));
    // An attached JWS (payload inside) is not the detached form Payconiq sends.
    let attached =
        sign(&key, &good, &b).replacen("..", &format!(".{}.", URL_SAFE_NO_PAD.encode(&b)), 1);
    assert_eq!(check(Some(&attached), &b), Err(CallbackError::Malformed));
    // Signed by another key under the same kid.
    assert_eq!(
        check(Some(&sign(&other, &good, &b)), &b),
        Err(CallbackError::BadSignature)
    );
    // The body edited after signing (the amount).
    let sig = sign(&key, &good, &b);
    assert_eq!(
        check(Some(&sig), &body("SUCCEEDED", 1)),
        Err(CallbackError::BadSignature)
    );
    // alg none and HS256, whatever the rest.
    for alg in ["none", "HS256", "ES384"] {
        let mut h = good.clone();
        h["alg"] = alg.into();
        let forged = sign(&key, &h, &b);
        assert_eq!(
            check(Some(&forged), &b),
            Err(CallbackError::Algorithm(alg.into()))
        );
    }
    // RS256 over an EC key.
    let mut h = good.clone();
    h["alg"] = "RS256".into();
    assert_eq!(
        check(Some(&sign(&key, &h, &b)), &b),
        Err(CallbackError::Algorithm("RS256".into()))
    );
    // Each critical claim wrong, missing from crit, or an unknown one added.
    for (name, value) in [
        (ISS, "Evil"),
        (PATH, "https://evil.example/cb"),
        (SUB, "another-profile"),
    ] {
        let mut h = good.clone();
        h[name] = value.into();
        assert!(
            matches!(
                check(Some(&sign(&key, &h, &b)), &b),
                Err(CallbackError::Critical(_))
            ),
            "{name}"
        );
    }
    let mut h = good.clone();
    h["crit"] = serde_json::json!([ISS, IAT, JTI, PATH]);
    assert_eq!(
        check(Some(&sign(&key, &h, &b)), &b),
        Err(CallbackError::Critical(SUB))
    );
    let mut h = good.clone();
    h["crit"] = serde_json::json!([ISS, IAT, JTI, PATH, SUB, "https://payconiq.com/new"]);
    assert_eq!(
        check(Some(&sign(&key, &h, &b)), &b),
        Err(CallbackError::Critical("crit"))
    );
    let mut h = good.clone();
    h.as_object_mut().unwrap().remove("crit");
    assert_eq!(
        check(Some(&sign(&key, &h, &b)), &b),
        Err(CallbackError::Critical("crit"))
    );
    // iat too old, or from the future.
    for iat in [
        now - chrono::TimeDelta::minutes(6),
        now + chrono::TimeDelta::minutes(2),
    ] {
        let h = header("k1", iat);
        assert_eq!(
            check(Some(&sign(&key, &h, &b)), &b),
            Err(CallbackError::Stale)
        );
    }
    // Still valid at the edges of the window.
    for iat in [
        now - chrono::TimeDelta::minutes(4),
        now + chrono::TimeDelta::seconds(30),
    ] {
        let h = header("k1", iat);
        assert!(check(Some(&sign(&key, &h, &b)), &b).is_ok());
    }
    // A signed body that is not a payment.
    let junk = br#"{"hello":"world"}"#;
    assert!(matches!(
        check(Some(&sign(&key, &good, junk)), junk),
        Err(CallbackError::Body(_))
    ));
}

#[test]
fn an_unknown_kid_refetches_the_key_set_once_then_is_refused() {
    let key = new_key("k1");
    let stranger = new_key("k9");
    let v = verifier(&[&key]);
    let now = Utc::now();
    let b = body("SUCCEEDED", 1620);
    let h = header("k1", now);
    block(v.verify(Some(&sign(&key, &h, &b)), &b, now)).unwrap();
    assert_eq!(v.fetches(), 1);
    let h = header("k9", now);
    let forged = sign(&stranger, &h, &b);
    assert_eq!(
        block(v.verify(Some(&forged), &b, now)),
        Err(CallbackError::UnknownKey("k9".into()))
    );
    assert_eq!(v.fetches(), 2, "one refetch for the unknown kid");
    // A burst of unknown kids does not make us hammer the key host.
    for _ in 0..5 {
        assert!(block(v.verify(Some(&forged), &b, now)).is_err());
    }
    assert_eq!(v.fetches(), 2);
}

#[test]
fn an_hmac_key_in_the_key_set_never_turns_the_signature_into_a_mac() {
    // A JWKS holding an `oct` key under the kid: an HS256 "signature" made with it is refused
    // for its algorithm before any key is used.
    let keys: JwkSet = serde_json::from_value(serde_json::json!({
        "keys": [{"kty": "oct", "kid": "k1", "k": URL_SAFE_NO_PAD.encode(b"shared")}]
    }))
    .unwrap();
    let v = CallbackVerifier::with_keys(keys, CALLBACK, PROFILE);
    let now = Utc::now();
    let b = body("SUCCEEDED", 1620);
    let mut h = header("k1", now);
    h["alg"] = "HS256".into();
    let h64 = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&h).unwrap());
    let message = format!("{h64}.{}", URL_SAFE_NO_PAD.encode(&b));
    let key = jsonwebtoken::EncodingKey::from_secret(b"shared");
    let mac = jsonwebtoken::crypto::sign(message.as_bytes(), &key, Algorithm::HS256).unwrap();
    let sig = format!("{h64}..{mac}");
    assert_eq!(
        block(v.verify(Some(&sig), &b, now)),
        Err(CallbackError::Algorithm("HS256".into()))
    );
    // And ES256 claimed over the oct key is refused too.
    let mut h = header("k1", now);
    h["alg"] = "ES256".into();
    let k = new_key("k1");
    assert_eq!(
        block(v.verify(Some(&sign(&k, &h, &b)), &b, now)),
        Err(CallbackError::Algorithm("ES256".into()))
    );
}

#[test]
fn payments_parse_from_the_documented_json() {
    let p = parse_payment(&body("PENDING", 5)).unwrap();
    assert_eq!((p.status, p.amount_cents), (ProviderStatus::Pending, 5));
    assert!(parse_payment(&body("PAID", 5)).is_err());
    assert!(parse_payment(&body("SUCCEEDED", -5)).is_err());
    assert!(parse_payment(b"{").is_err());
    assert!(parse_payment(br#"{"paymentId":"x","status":"SUCCEEDED","amount":1.5}"#).is_err());
}

#[test]
fn payconiq_refund_statuses_map_to_ours_and_an_unknown_one_is_not_money_returned() {
    use crate::pay_web::api::RefundStatus;
    let state = |s: &str| RefundState {
        refund_id: "r".into(),
        status: s.into(),
    };
    assert_eq!(state("SUCCEEDED").refund_status(), RefundStatus::Succeeded);
    assert_eq!(state("FAILED").refund_status(), RefundStatus::Failed);
    assert_eq!(state("WHATEVER").refund_status(), RefundStatus::Pending);
}
