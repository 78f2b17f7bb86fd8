//! What the fuzz targets share: the tests' ESC/POS decoder (the same file, not a copy), a
//! watch on the library's `tracing` errors (a Fluent message rendered with a missing argument
//! logs one), a way to run the library's async functions to completion, and the fixed test key
//! the Payconiq target signs with.
//!
//! Only the targets' glue lives here: every parser they drive is the library's own.

use std::cell::RefCell;
use std::sync::Once;

/// The decoder of `tests/common/escpos_decode/decoder.rs`, included as it is.
#[path = "../../tests/common/escpos_decode/decoder.rs"]
#[allow(dead_code)]
pub mod escpos_decode;

// ---------------------------------------------------------------------------------------------
// Errors logged by the library.

thread_local! {
    static ERRORS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// A `tracing` subscriber that keeps the ERROR events (their fields, as text) of this thread.
struct ErrorLog;

struct Fields(String);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
}

impl tracing::Subscriber for ErrorLog {
    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        *metadata.level() == tracing::Level::ERROR
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = Fields(String::new());
        event.record(&mut fields);
        ERRORS.with(|e| e.borrow_mut().push(fields.0));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// Starts keeping the library's ERROR events (once per process); returns those logged on this
/// thread so far and forgets them.
pub fn take_errors() -> Vec<String> {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // Another subscriber already set would only mean errors go unseen: never a crash.
        let _ = tracing::subscriber::set_global_default(ErrorLog);
    });
    ERRORS.with(|e| std::mem::take(&mut *e.borrow_mut()))
}

// ---------------------------------------------------------------------------------------------
// Async glue.

thread_local! {
    static RUNTIME: tokio::runtime::Runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a current-thread runtime");
}

/// Runs `f` to completion on this thread's runtime (no IO: the futures driven here complete
/// without a reactor).
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    RUNTIME.with(|rt| rt.block_on(f))
}

// ---------------------------------------------------------------------------------------------
// The Payconiq test key.

/// The callback URL and payment profile the Payconiq target's verifier expects.
pub const PAYCONIQ_CALLBACK: &str = "https://pay.example.be/api/v1/providers/payconiq/callback";
pub const PAYCONIQ_PROFILE: &str = "5fdb1b1b0000000000000000";
/// The `kid` of the test key in the key set.
pub const PAYCONIQ_KID: &str = "fuzz-es256";
/// An `oct` (HMAC) key in the same set, whose secret is public (here): a verifier that let
/// `HS256` through would accept anything signed with it.
pub const PAYCONIQ_OCT_KID: &str = "fuzz-oct";
pub const PAYCONIQ_OCT_SECRET: &[u8] = b"a secret anybody who read the JWKS knows";

/// The fixed P-256 private key of the tests (a constant scalar: the corpus's signatures stay
/// valid from one run to the next). Never a real key.
const PAYCONIQ_SCALAR: [u8; 32] = [
    0x51, 0x9b, 0x42, 0x3d, 0x71, 0x5f, 0x8b, 0x58, 0x1f, 0x4f, 0xa8, 0xee, 0x59, 0xf4, 0x77, 0x1a,
    0x5b, 0x44, 0xc8, 0x13, 0x0b, 0x4e, 0x3e, 0xac, 0xca, 0x54, 0xa5, 0x6d, 0xda, 0x72, 0xb4, 0x64,
];

pub fn payconiq_signing_key() -> p256::ecdsa::SigningKey {
    p256::ecdsa::SigningKey::from_slice(&PAYCONIQ_SCALAR).expect("a valid P-256 scalar")
}

/// The key set the verifier is given: the test key's public half (`EC`, `P-256`) and an `oct`
/// key.
pub fn payconiq_jwks() -> jsonwebtoken::jwk::JwkSet {
    use base64::Engine;
    let public = p256::PublicKey::from(payconiq_signing_key().verifying_key());
    let mut ec: serde_json::Value =
        serde_json::from_str(&public.to_jwk_string()).expect("a JWK of the test key");
    ec["kid"] = PAYCONIQ_KID.into();
    ec["use"] = "sig".into();
    let oct = serde_json::json!({
        "kty": "oct",
        "kid": PAYCONIQ_OCT_KID,
        "k": base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(PAYCONIQ_OCT_SECRET),
    });
    serde_json::from_value(serde_json::json!({ "keys": [ec, oct] })).expect("a JWK set")
}

/// The detached JWS `base64url(header)..base64url(signature)` of `header` (JSON text, as is)
/// over `body`, signed ES256 with the test key.
pub fn payconiq_sign(header: &[u8], body: &[u8]) -> String {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use p256::ecdsa::signature::Signer;
    let h64 = URL_SAFE_NO_PAD.encode(header);
    let message = format!("{h64}.{}", URL_SAFE_NO_PAD.encode(body));
    let sig: p256::ecdsa::Signature = payconiq_signing_key().sign(message.as_bytes());
    format!("{h64}..{}", URL_SAFE_NO_PAD.encode(sig.to_bytes()))
}

/// Whether `signature` (a detached JWS) is the test key's ES256 signature over `body`: checked
/// with p256 alone, as an oracle independent of the library's verifier.
pub fn payconiq_signed_by_test_key(signature: &str, body: &[u8]) -> bool {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use p256::ecdsa::signature::Verifier;
    let signature = signature.trim();
    let Some((h64, s64)) = signature.split_once("..") else {
        return false;
    };
    let Ok(sig) = URL_SAFE_NO_PAD.decode(s64) else {
        return false;
    };
    let Ok(sig) = p256::ecdsa::Signature::from_slice(&sig) else {
        return false;
    };
    let message = format!("{h64}.{}", URL_SAFE_NO_PAD.encode(body));
    payconiq_signing_key()
        .verifying_key()
        .verify(message.as_bytes(), &sig)
        .is_ok()
}

/// Splits `data` at its first `\n`: (before, after). No newline: (data, empty).
pub fn split_line(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[]),
    }
}
