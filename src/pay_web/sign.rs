//! Till → server request signatures, Stripe's way: a header
//! `Kaching-Signature: t=<unix seconds>,v1=<hex>` where
//! `v1 = hex(HMAC-SHA256(secret, t "." METHOD "." path "." body))`, checked in constant time with
//! a tolerance window. Signing the method and path as well as the body means a signature cannot
//! be replayed on another route; the timestamp bounds replays in time. Several `v1` may be sent
//! during a secret rotation. The till names itself in `Kaching-Till`.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

pub const SIGNATURE_HEADER: &str = "Kaching-Signature";
pub const TILL_HEADER: &str = "Kaching-Till";
/// How far the till's and the server's clocks may disagree, in seconds.
pub const TOLERANCE_SECS: u64 = 300;

type HmacSha256 = Hmac<Sha256>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("missing signature")]
    Missing,
    #[error("malformed signature header")]
    Malformed,
    #[error("timestamp outside the tolerance window")]
    Stale,
    #[error("signature does not match")]
    Mismatch,
}

/// A till's secret made ready to check its signatures: HMAC's key schedule is done once, and
/// each request only hashes its own message (the server keeps one per till for a few seconds).
#[derive(Clone)]
pub struct SigningKey(HmacSha256);

impl SigningKey {
    pub fn new(secret: &[u8]) -> SigningKey {
        // HMAC accepts keys of any length: `new_from_slice` cannot fail for it.
        SigningKey(
            <HmacSha256 as KeyInit>::new_from_slice(secret).unwrap_or_else(|_| unreachable_hmac()),
        )
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey([redacted])")
    }
}

fn mac(secret: &[u8], t: i64, method: &str, path: &str, body: &[u8]) -> HmacSha256 {
    keyed_mac(&SigningKey::new(secret), t, method, path, body)
}

fn keyed_mac(key: &SigningKey, t: i64, method: &str, path: &str, body: &[u8]) -> HmacSha256 {
    let mut m = key.0.clone();
    m.update(t.to_string().as_bytes());
    m.update(b".");
    m.update(method.as_bytes());
    m.update(b".");
    m.update(path.as_bytes());
    m.update(b".");
    m.update(body);
    m
}

#[allow(clippy::panic)]
fn unreachable_hmac() -> HmacSha256 {
    panic!("HMAC-SHA256 takes keys of any length")
}

/// The header value for a request.
pub fn signature_header(secret: &[u8], t: i64, method: &str, path: &str, body: &[u8]) -> String {
    let tag = mac(secret, t, method, path, body).finalize().into_bytes();
    format!("t={t},v1={}", hex::encode(tag))
}

/// Checks `header` against each of `secrets` (the current one and, during a rotation, the
/// previous), with the clocks at most [`TOLERANCE_SECS`] apart.
pub fn verify(
    header: Option<&str>,
    secrets: &[&[u8]],
    now: i64,
    method: &str,
    path: &str,
    body: &[u8],
) -> Result<(), SignatureError> {
    let keys: Vec<SigningKey> = secrets.iter().map(|s| SigningKey::new(s)).collect();
    verify_keyed(header, &keys, now, method, path, body)
}

/// [`verify`] with the secrets' keys already made.
pub fn verify_keyed(
    header: Option<&str>,
    keys: &[SigningKey],
    now: i64,
    method: &str,
    path: &str,
    body: &[u8],
) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?;
    let mut t: Option<i64> = None;
    let mut sigs: Vec<Vec<u8>> = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = Some(v.parse().map_err(|_| SignatureError::Malformed)?),
            Some(("v1", v)) => {
                // `decode_to_slice` refuses what `hex::decode` refuses (odd length, a non-hex
                // digit) without its per-byte iterator.
                let mut sig = vec![0u8; v.len() / 2];
                hex::decode_to_slice(v, &mut sig).map_err(|_| SignatureError::Malformed)?;
                sigs.push(sig);
            }
            Some(_) => {}
            None => return Err(SignatureError::Malformed),
        }
    }
    let t = t.ok_or(SignatureError::Malformed)?;
    if sigs.is_empty() || sigs.len() > 4 {
        return Err(SignatureError::Malformed);
    }
    // `t` is whatever the request says (i64::MIN included): `abs_diff` cannot overflow where
    // `(now - t).abs()` would.
    if now.abs_diff(t) > TOLERANCE_SECS {
        return Err(SignatureError::Stale);
    }
    for key in keys {
        for sig in &sigs {
            // `verify_slice` compares in constant time.
            if keyed_mac(key, t, method, path, body)
                .verify_slice(sig)
                .is_ok()
            {
                return Ok(());
            }
        }
    }
    Err(SignatureError::Mismatch)
}

/// Plain HMAC-SHA256 in hex (the CSRF tokens of the customer page; Stripe's test vector).
pub fn hmac_hex(secret: &[u8], message: &[u8]) -> String {
    let mut m =
        <HmacSha256 as KeyInit>::new_from_slice(secret).unwrap_or_else(|_| unreachable_hmac());
    m.update(message);
    hex::encode(m.finalize().into_bytes())
}

/// Constant-time check of a hex HMAC.
pub fn hmac_hex_matches(secret: &[u8], message: &[u8], candidate_hex: &str) -> bool {
    let Ok(candidate) = hex::decode(candidate_hex) else {
        return false;
    };
    let mut m =
        <HmacSha256 as KeyInit>::new_from_slice(secret).unwrap_or_else(|_| unreachable_hmac());
    m.update(message);
    m.verify_slice(&candidate).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stripes_test_vector() {
        let got = hmac_hex(
            b"whsec_test_secret",
            b"1492774577.{\"id\":\"evt_test\",\"object\":\"event\"}",
        );
        assert_eq!(
            got,
            "691252e266ce41cb94d709c84e9580d4172b117a510bbc81723f657d2cd5d215"
        );
    }

    #[test]
    fn a_signature_binds_time_method_path_and_body() {
        let h = signature_header(b"s3cret", 1000, "POST", "/api/v1/intents", b"{}");
        assert_eq!(
            verify(
                Some(&h),
                &[b"s3cret"],
                1000,
                "POST",
                "/api/v1/intents",
                b"{}"
            ),
            Ok(())
        );
        assert_eq!(
            verify(
                Some(&h),
                &[b"s3cret"],
                1299,
                "POST",
                "/api/v1/intents",
                b"{}"
            ),
            Ok(())
        );
        assert_eq!(
            verify(
                Some(&h),
                &[b"s3cret"],
                1301,
                "POST",
                "/api/v1/intents",
                b"{}"
            ),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(
                Some(&h),
                &[b"other"],
                1000,
                "POST",
                "/api/v1/intents",
                b"{}"
            ),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(
                Some(&h),
                &[b"s3cret"],
                1000,
                "GET",
                "/api/v1/intents",
                b"{}"
            ),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(
                Some(&h),
                &[b"s3cret"],
                1000,
                "POST",
                "/api/v1/intents/x/cancel",
                b"{}"
            ),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(
                Some(&h),
                &[b"s3cret"],
                1000,
                "POST",
                "/api/v1/intents",
                b"{ }"
            ),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(None, &[b"s3cret"], 1000, "POST", "/", b""),
            Err(SignatureError::Missing)
        );
        assert_eq!(
            verify(Some("t=x,v1=00"), &[b"s3cret"], 1000, "POST", "/", b""),
            Err(SignatureError::Malformed)
        );
        assert_eq!(
            verify(Some("garbage"), &[b"s3cret"], 1000, "POST", "/", b""),
            Err(SignatureError::Malformed)
        );
    }

    /// Regression: `(now - t).abs()` overflowed (a panic in debug builds, a wrapped value in
    /// release) for a timestamp like i64::MIN from the header.
    #[test]
    fn extreme_timestamps_are_refused_as_stale_not_a_panic() {
        let now = 1_780_000_000;
        for t in [i64::MIN, i64::MIN + 1, i64::MAX, i64::MAX - 1, -now, 0] {
            let h = signature_header(b"s3cret", t, "POST", "/api/v1/intents", b"{}");
            assert_eq!(
                verify(
                    Some(&h),
                    &[b"s3cret"],
                    now,
                    "POST",
                    "/api/v1/intents",
                    b"{}"
                ),
                Err(SignatureError::Stale),
                "t = {t}"
            );
            // The server's clock at either end of the range too.
            for now in [i64::MIN, i64::MAX] {
                let expected = if now.abs_diff(t) <= TOLERANCE_SECS {
                    Ok(())
                } else {
                    Err(SignatureError::Stale)
                };
                assert_eq!(
                    verify(
                        Some(&h),
                        &[b"s3cret"],
                        now,
                        "POST",
                        "/api/v1/intents",
                        b"{}"
                    ),
                    expected,
                    "t = {t}, now = {now}"
                );
            }
        }
        // Written by hand, as an attacker would, with a bogus signature: still just stale.
        let h = format!("t={},v1=00", i64::MIN);
        assert_eq!(
            verify(Some(&h), &[b"s3cret"], now, "GET", "/", b""),
            Err(SignatureError::Stale)
        );
        // One past the range is not a number: malformed.
        let h = "t=-9223372036854775809,v1=00";
        assert_eq!(
            verify(Some(h), &[b"s3cret"], now, "GET", "/", b""),
            Err(SignatureError::Malformed)
        );
    }

    #[test]
    fn a_rotation_accepts_the_old_or_the_new_secret() {
        let h = signature_header(b"old", 5, "GET", "/p", b"");
        assert_eq!(
            verify(Some(&h), &[b"new", b"old"], 5, "GET", "/p", b""),
            Ok(())
        );
    }

    #[test]
    fn csrf_tokens_check_in_constant_time() {
        let t = hmac_hex(b"k", b"csrf:abc");
        assert!(hmac_hex_matches(b"k", b"csrf:abc", &t));
        assert!(!hmac_hex_matches(b"k", b"csrf:abd", &t));
        assert!(!hmac_hex_matches(b"k", b"csrf:abc", "zz"));
    }
}
