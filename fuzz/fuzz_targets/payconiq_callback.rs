//! Payconiq's signed callbacks (`pay_web::provider::payconiq::CallbackVerifier::verify`): the
//! `Signature` header (a detached JWS) and the raw body, checked against a fixed key set (an
//! ES256 test key and an `oct` key) at a fixed time.
//!
//! Input, byte 0 even ("as received"): the `Signature` header, a newline, the body — verified
//! as they are. Byte 0 odd ("signed"): the JWS header's JSON, a newline, the body — this target
//! signs them with the test key first, so the claims checks and the body parser behind a valid
//! signature are reached too.
//!
//! Properties: no panic; the verifier never accepts a callback that is not the test key's
//! signature over exactly these body bytes (checked with p256 alone); what it accepts has every
//! claim right (iss, path, sub, iat in the window, a short jti, `crit` naming them all) and the
//! body's payment; a signed callback, once accepted, is refused with any bit of its body or
//! signature changed.

#![no_main]

use std::sync::LazyLock;

use chrono::{DateTime, TimeZone, Utc};
use kaching::pay_web::provider::payconiq::{CallbackVerifier, IAT_FUTURE, IAT_PAST, parse_payment};
use kaching_fuzz::{PAYCONIQ_CALLBACK, PAYCONIQ_PROFILE};
use libfuzzer_sys::fuzz_target;

static VERIFIER: LazyLock<CallbackVerifier> = LazyLock::new(|| {
    CallbackVerifier::with_keys(
        kaching_fuzz::payconiq_jwks(),
        PAYCONIQ_CALLBACK,
        PAYCONIQ_PROFILE,
    )
});

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 10, 0, 0)
        .single()
        .expect("a valid date")
}

fuzz_target!(|data: &[u8]| {
    let [mode, rest @ ..] = data else {
        return;
    };
    let (first, body) = kaching_fuzz::split_line(rest);
    let signature = if mode % 2 == 0 {
        let Ok(s) = std::str::from_utf8(first) else {
            return;
        };
        s.to_owned()
    } else {
        kaching_fuzz::payconiq_sign(first, body)
    };
    let verify =
        |sig: &str, body: &[u8]| kaching_fuzz::block_on(VERIFIER.verify(Some(sig), body, now()));
    let Ok(accepted) = verify(&signature, body) else {
        return;
    };
    assert!(
        kaching_fuzz::payconiq_signed_by_test_key(&signature, body),
        "accepted without the test key's signature: {signature:?} over {body:?}"
    );
    check_claims(&signature, &accepted.jti);
    assert_eq!(parse_payment(body).as_ref(), Ok(&accepted.payment));

    // Any bit flipped in the body or in the signature: refused.
    let flip = usize::from(*mode) * 7919;
    if !body.is_empty() {
        let mut bent = body.to_vec();
        bent[flip % body.len()] ^= 1 << (flip % 8);
        assert!(
            verify(&signature, &bent).is_err(),
            "accepted a bent body {bent:?}"
        );
    }
    let (head, sig64) = signature.trim().split_once("..").expect("a detached JWS");
    let mut sig = sig64.as_bytes().to_vec();
    let at = flip % sig.len();
    sig[at] = if sig[at] == b'A' { b'B' } else { b'A' };
    let bent = format!(
        "{head}..{}",
        String::from_utf8(sig).expect("base64 is ASCII")
    );
    // A change in the last character's unused bits leaves the same signature bytes.
    if !kaching_fuzz::payconiq_signed_by_test_key(&bent, body) {
        assert!(
            verify(&bent, body).is_err(),
            "accepted a bent signature {bent:?}"
        );
    }
});

/// The accepted JWS header holds every claim with its expected value.
fn check_claims(signature: &str, jti: &str) {
    use base64::Engine;
    let h64 = signature.trim().split('.').next().expect("a JWS");
    let header = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(h64)
        .expect("an accepted header is base64url");
    let header: serde_json::Value =
        serde_json::from_slice(&header).expect("an accepted header is JSON");
    let claim = |name: &str| {
        header
            .get(format!("https://payconiq.com/{name}"))
            .and_then(|v| v.as_str())
    };
    assert_eq!(header["alg"], "ES256", "{header}");
    assert_eq!(claim("iss"), Some("Payconiq"), "{header}");
    assert_eq!(claim("path"), Some(PAYCONIQ_CALLBACK), "{header}");
    assert_eq!(claim("sub"), Some(PAYCONIQ_PROFILE), "{header}");
    assert_eq!(claim("jti"), Some(jti), "{header}");
    assert!(!jti.is_empty() && jti.len() <= 128, "{header}");
    let iat = claim("iat").expect("an iat");
    let iat = DateTime::parse_from_rfc3339(iat)
        .expect("an RFC 3339 iat")
        .with_timezone(&Utc);
    assert!(
        iat >= now() - IAT_PAST && iat <= now() + IAT_FUTURE,
        "{header}"
    );
    let crit: Vec<&str> = header["crit"]
        .as_array()
        .expect("crit")
        .iter()
        .map(|c| c.as_str().expect("crit names"))
        .collect();
    for name in ["iss", "iat", "jti", "path", "sub"] {
        assert!(
            crit.contains(&format!("https://payconiq.com/{name}").as_str()),
            "{header}"
        );
    }
}
