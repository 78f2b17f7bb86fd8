//! The till → pay-server request signature (`pay_web::sign`): the `Kaching-Signature` header
//! `t=<unix>,v1=<hex>[,v1=…]` checked against the request's method, path and body.
//!
//! Input: the header, a newline, the body. The server's clock, the secrets (a current one and
//! the previous one of a rotation), the method and the path are fixed.
//!
//! Properties: no panic; an accepted header carries a timestamp within the tolerance and, for
//! it, the true HMAC of one of the secrets (the fuzzer cannot forge one: it can only find a
//! parse that accepts what was not signed); a header made by `signature_header` for this body
//! verifies, and fails for another method, path, body or secret, and outside the window.

#![no_main]

use kaching::pay_web::sign::{self, SignatureError, TOLERANCE_SECS};
use libfuzzer_sys::fuzz_target;

const NOW: i64 = 1_767_000_000;
const SECRETS: [&[u8]; 2] = [b"till-1 current secret", b"till-1 previous secret"];
const METHOD: &str = "POST";
const PATH: &str = "/api/v1/intents";

/// The v1 tags of `secret` for timestamp `t`.
fn tag(secret: &[u8], t: i64, method: &str, path: &str, body: &[u8]) -> Vec<u8> {
    let header = sign::signature_header(secret, t, method, path, body);
    let hex = header.rsplit_once("v1=").expect("v1= in a made header").1;
    hex::decode(hex).expect("hex in a made header")
}

fuzz_target!(|data: &[u8]| {
    let (header, body) = kaching_fuzz::split_line(data);
    let verify = |h: &str, now: i64, method: &str, path: &str, body: &[u8]| {
        sign::verify(Some(h), &SECRETS, now, method, path, body)
    };
    if let Ok(header) = std::str::from_utf8(header)
        && verify(header, NOW, METHOD, PATH, body).is_ok()
    {
        // Every value the header gives for t and v1, read generously.
        let mut ts = Vec::new();
        let mut sigs = Vec::new();
        for part in header.split(',') {
            if let Some((k, v)) = part.trim().split_once('=') {
                match k {
                    "t" => ts.extend(v.parse::<i64>().ok()),
                    "v1" => sigs.extend(hex::decode(v).ok()),
                    _ => {}
                }
            }
        }
        let signed = ts.iter().any(|&t| {
            NOW.abs_diff(t) <= TOLERANCE_SECS
                && SECRETS
                    .iter()
                    .any(|s| sigs.contains(&tag(s, t, METHOD, PATH, body)))
        });
        assert!(signed, "accepted without a true signature: {header:?}");
    }

    // Round trip: a header made for this body, at a time the input picks.
    let skew = i64::from(data.first().copied().unwrap_or(0)) * 3 - 384;
    let t = NOW + skew;
    let within = NOW.abs_diff(t) <= TOLERANCE_SECS;
    for secret in SECRETS {
        let made = sign::signature_header(secret, t, METHOD, PATH, body);
        let expect_ok = if within {
            Ok(())
        } else {
            Err(SignatureError::Stale)
        };
        assert_eq!(verify(&made, NOW, METHOD, PATH, body), expect_ok, "{made}");
        if within {
            let mismatch = Err(SignatureError::Mismatch);
            assert_eq!(verify(&made, NOW, "GET", PATH, body), mismatch);
            assert_eq!(
                verify(&made, NOW, METHOD, "/api/v1/intents/x/cancel", body),
                mismatch
            );
            let mut other_body = body.to_vec();
            other_body.push(b' ');
            assert_eq!(verify(&made, NOW, METHOD, PATH, &other_body), mismatch);
            assert_eq!(
                sign::verify(
                    Some(&made),
                    &[b"another till's secret"],
                    NOW,
                    METHOD,
                    PATH,
                    body
                ),
                mismatch
            );
        }
    }
});
