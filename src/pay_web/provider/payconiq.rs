//! Payconiq by Bancontact, merchant API v3: the HTTP calls the pay-server makes for an intent
//! ([`PayconiqApi`]) and the check of the signed callbacks Payconiq sends ([`CallbackVerifier`]).
//!
//! **Callbacks** carry the payment as JSON and a header `Signature` holding a *detached* JWS,
//! `base64url(header)..base64url(signature)`, over `base64url(header) + "." + base64url(raw
//! body)`. A callback is accepted only when every one of these holds, else it is refused and
//! changes nothing:
//! - the header is JSON, `alg` is ES256 or RS256 (never `none`, never HS*: a JWKS could hold an
//!   `oct` key and turn the signature into a MAC anybody who read the JWKS can make), and the
//!   key named by `kid` has the matching type;
//! - the key comes from the JWKS (cached [`JWKS_TTL`]; an unknown `kid` refetches it once, at
//!   most every [`JWKS_REFETCH_MIN`]; a fetch that fails never accepts anything);
//! - the signature verifies over the exact bytes received (no JSON re-serialisation);
//! - `crit` lists the five Payconiq claims, names nothing else, and each is present and right:
//!   `iss` = `Payconiq`, `iat` (ISO-8601 UTC) within [`IAT_PAST`] before and [`IAT_FUTURE`]
//!   after our clock, `path` = our callback URL, `sub` = our payment profile id, `jti` present
//!   — the caller refuses a `jti` already seen (the pay-server keeps them in its database, so
//!   every instance refuses a replay).
//!
//! Why not a JWT library's `decode`: a detached JWS with custom `crit` header parameters is not
//! a JWT (no claims set, the payload travels outside), and a JWT decoder would ignore `crit`
//! (RFC 7515 §4.1.11 requires refusing what it does not understand). The cryptography is
//! `jsonwebtoken`'s (`crypto::verify`, `DecodingKey::from_jwk`); only the framing is here.
//!
//! **Public routes** and request signing: the API key travels as `Authorization: Bearer`; the
//! Bancontact Pro portal describes ES256 request signing for newer API versions, which would be
//! one more header on [`PayconiqApi::request`].

use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use jsonwebtoken::Algorithm;
use jsonwebtoken::jwk::{AlgorithmParameters, JwkSet};
use serde::{Deserialize, Serialize};

use crate::secrets::Secret;

use super::{ProviderError, ProviderStatus};

/// How long a fetched JWKS is trusted.
pub const JWKS_TTL: Duration = Duration::from_secs(12 * 3600);
/// The shortest time between two fetches forced by unknown `kid`s (a forger cannot make us
/// hammer the JWKS host).
pub const JWKS_REFETCH_MIN: Duration = Duration::from_secs(10);
/// How old a callback's `iat` may be.
pub const IAT_PAST: chrono::TimeDelta = chrono::TimeDelta::minutes(5);
/// How far ahead of our clock a callback's `iat` may be (clock skew).
pub const IAT_FUTURE: chrono::TimeDelta = chrono::TimeDelta::minutes(1);
/// One call to Payconiq's API, retries excluded.
pub const API_TIMEOUT: Duration = Duration::from_secs(5);

const ISS: &str = "https://payconiq.com/iss";
const IAT: &str = "https://payconiq.com/iat";
const JTI: &str = "https://payconiq.com/jti";
const PATH: &str = "https://payconiq.com/path";
const SUB: &str = "https://payconiq.com/sub";
const CRIT: [&str; 5] = [ISS, IAT, JTI, PATH, SUB];

/// Why a callback was refused. Every variant is a 4xx (the sender's fault) except
/// [`CallbackError::KeysUnavailable`] (503: Payconiq retries, and the poller catches up).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallbackError {
    #[error("no Signature header")]
    Missing,
    #[error("the Signature header is not a detached JWS")]
    Malformed,
    #[error("algorithm {0} is not accepted")]
    Algorithm(String),
    #[error("no key {0} in the provider's key set")]
    UnknownKey(String),
    #[error("the provider's key set cannot be fetched: {0}")]
    KeysUnavailable(String),
    #[error("bad signature")]
    BadSignature,
    #[error("critical header {0} missing, unknown or wrong")]
    Critical(&'static str),
    #[error("the callback is too old or from the future")]
    Stale,
    #[error("the body is not a Payconiq payment: {0}")]
    Body(String),
}

/// A callback whose signature and claims were checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedCallback {
    /// Unique per callback: refuse it when seen before.
    pub jti: String,
    pub payment: PaymentState,
}

/// A payment as Payconiq reports it (callback body or `GET /v3/payments/{id}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentState {
    pub payment_id: String,
    pub status: ProviderStatus,
    /// Integer cents.
    pub amount_cents: i64,
    pub reference: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPayment {
    payment_id: String,
    status: String,
    amount: i64,
    #[serde(default)]
    reference: Option<String>,
    #[serde(default, rename = "_links")]
    links: Option<RawLinks>,
}

#[derive(Deserialize, Default)]
struct RawLinks {
    #[serde(default)]
    deeplink: Option<RawLink>,
    #[serde(default)]
    qrcode: Option<RawLink>,
}

#[derive(Deserialize)]
struct RawLink {
    href: String,
}

fn payment_state(raw: &RawPayment) -> Result<PaymentState, String> {
    let status = ProviderStatus::parse(&raw.status)
        .ok_or_else(|| format!("unknown status {:?}", raw.status))?;
    if raw.payment_id.is_empty() || raw.payment_id.len() > 64 {
        return Err("bad paymentId".into());
    }
    if raw.amount < 0 {
        return Err("negative amount".into());
    }
    Ok(PaymentState {
        payment_id: raw.payment_id.clone(),
        status,
        amount_cents: raw.amount,
        reference: raw.reference.clone(),
    })
}

/// Parses a callback body or a status answer.
pub fn parse_payment(body: &[u8]) -> Result<PaymentState, String> {
    let raw: RawPayment = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    payment_state(&raw)
}

/// Where the verifier's keys come from.
enum KeySource {
    Url {
        url: String,
        http: reqwest::Client,
    },
    /// A fixed set (tests): "fetching" returns it again.
    Fixed(JwkSet),
}

struct Cached {
    keys: JwkSet,
    fetched: Instant,
    /// When an unknown `kid` last forced a fetch.
    forced: Option<Instant>,
}

/// Checks Payconiq's callbacks (see the module doc). One per pay-server; cheap to share.
pub struct CallbackVerifier {
    source: KeySource,
    callback_url: String,
    profile_id: String,
    cache: Mutex<Option<Cached>>,
    fetches: std::sync::atomic::AtomicU64,
}

#[derive(Deserialize)]
struct JwsHeader {
    alg: String,
    #[serde(default)]
    kid: Option<String>,
    #[serde(default)]
    crit: Option<Vec<String>>,
    #[serde(flatten)]
    rest: serde_json::Map<String, serde_json::Value>,
}

impl CallbackVerifier {
    pub fn new(jwks_url: &str, callback_url: &str, profile_id: &str) -> CallbackVerifier {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(2))
            .timeout(API_TIMEOUT)
            .build()
            .unwrap_or_default();
        CallbackVerifier::with_source(
            KeySource::Url {
                url: jwks_url.to_owned(),
                http,
            },
            callback_url,
            profile_id,
        )
    }

    /// A verifier over a fixed key set (tests and benchmarks).
    pub fn with_keys(keys: JwkSet, callback_url: &str, profile_id: &str) -> CallbackVerifier {
        CallbackVerifier::with_source(KeySource::Fixed(keys), callback_url, profile_id)
    }

    fn with_source(source: KeySource, callback_url: &str, profile_id: &str) -> CallbackVerifier {
        CallbackVerifier {
            source,
            callback_url: callback_url.to_owned(),
            profile_id: profile_id.to_owned(),
            cache: Mutex::new(None),
            fetches: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// How many times the key set was fetched (tests: one refetch per unknown `kid`).
    pub fn fetches(&self) -> u64 {
        self.fetches.load(std::sync::atomic::Ordering::Relaxed)
    }

    async fn fetch(&self, forced: bool) -> Result<JwkSet, CallbackError> {
        self.fetches
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let keys = match &self.source {
            KeySource::Fixed(k) => k.clone(),
            KeySource::Url { url, http } => {
                let resp = http
                    .get(url)
                    .send()
                    .await
                    .map_err(|e| CallbackError::KeysUnavailable(e.to_string()))?;
                if !resp.status().is_success() {
                    return Err(CallbackError::KeysUnavailable(format!(
                        "HTTP {}",
                        resp.status().as_u16()
                    )));
                }
                resp.json::<JwkSet>()
                    .await
                    .map_err(|e| CallbackError::KeysUnavailable(e.to_string()))?
            }
        };
        if let Ok(mut c) = self.cache.lock() {
            let before = c.as_ref().and_then(|c| c.forced);
            *c = Some(Cached {
                keys: keys.clone(),
                fetched: Instant::now(),
                forced: if forced { Some(Instant::now()) } else { before },
            });
        }
        Ok(keys)
    }

    /// The key set: the cached one while fresh; fetched when absent or stale, or when `kid` is
    /// unknown to it (at most once per [`JWKS_REFETCH_MIN`]).
    async fn key_for(&self, kid: &str) -> Result<jsonwebtoken::jwk::Jwk, CallbackError> {
        let cached = self.cache.lock().ok().and_then(|c| {
            c.as_ref().map(|c| {
                (
                    c.keys.find(kid).cloned(),
                    c.fetched.elapsed(),
                    c.forced.map(|f| f.elapsed()),
                )
            })
        });
        let forced = match cached {
            Some((Some(k), age, _)) if age < JWKS_TTL => return Ok(k),
            Some((None, age, forced)) if age < JWKS_TTL => {
                if forced.is_some_and(|f| f < JWKS_REFETCH_MIN) {
                    return Err(CallbackError::UnknownKey(kid.to_owned()));
                }
                true
            }
            _ => false,
        };
        let keys = self.fetch(forced).await?;
        keys.find(kid)
            .cloned()
            .ok_or_else(|| CallbackError::UnknownKey(kid.to_owned()))
    }

    /// Checks one callback: `signature` is the `Signature` header, `body` the raw bytes.
    pub async fn verify(
        &self,
        signature: Option<&str>,
        body: &[u8],
        now: DateTime<Utc>,
    ) -> Result<VerifiedCallback, CallbackError> {
        let signature = signature
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or(CallbackError::Missing)?;
        let mut parts = signature.split('.');
        let (Some(h64), Some(""), Some(s64), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(CallbackError::Malformed);
        };
        if h64.len() > 8192 || s64.is_empty() || s64.len() > 1024 {
            return Err(CallbackError::Malformed);
        }
        let header_bytes = URL_SAFE_NO_PAD
            .decode(h64)
            .map_err(|_| CallbackError::Malformed)?;
        let header: JwsHeader =
            serde_json::from_slice(&header_bytes).map_err(|_| CallbackError::Malformed)?;
        let alg = match header.alg.as_str() {
            "ES256" => Algorithm::ES256,
            "RS256" => Algorithm::RS256,
            other => return Err(CallbackError::Algorithm(other.to_owned())),
        };
        // Claims first (cheap), the signature after: both must hold, the order changes nothing.
        let crit = header
            .crit
            .as_deref()
            .ok_or(CallbackError::Critical("crit"))?;
        for c in crit {
            if !CRIT.contains(&c.as_str()) {
                return Err(CallbackError::Critical("crit"));
            }
        }
        let text = |name: &'static str| -> Result<&str, CallbackError> {
            if !crit.iter().any(|c| c == name) {
                return Err(CallbackError::Critical(name));
            }
            header
                .rest
                .get(name)
                .and_then(|v| v.as_str())
                .ok_or(CallbackError::Critical(name))
        };
        if text(ISS)? != "Payconiq" {
            return Err(CallbackError::Critical(ISS));
        }
        if text(PATH)? != self.callback_url {
            return Err(CallbackError::Critical(PATH));
        }
        if text(SUB)? != self.profile_id {
            return Err(CallbackError::Critical(SUB));
        }
        let iat = DateTime::parse_from_rfc3339(text(IAT)?)
            .map_err(|_| CallbackError::Critical(IAT))?
            .with_timezone(&Utc);
        if iat < now - IAT_PAST || iat > now + IAT_FUTURE {
            return Err(CallbackError::Stale);
        }
        let jti = text(JTI)?;
        if jti.is_empty() || jti.len() > 128 {
            return Err(CallbackError::Critical(JTI));
        }
        let kid = header.kid.as_deref().ok_or(CallbackError::Malformed)?;
        let jwk = self.key_for(kid).await?;
        let kind_matches = matches!(
            (&jwk.algorithm, alg),
            (AlgorithmParameters::EllipticCurve(_), Algorithm::ES256)
                | (AlgorithmParameters::RSA(_), Algorithm::RS256)
        );
        if !kind_matches {
            return Err(CallbackError::Algorithm(header.alg.clone()));
        }
        let key = jsonwebtoken::DecodingKey::from_jwk(&jwk)
            .map_err(|_| CallbackError::UnknownKey(kid.to_owned()))?;
        let mut message = String::with_capacity(h64.len() + 1 + body.len() * 4 / 3 + 4);
        message.push_str(h64);
        message.push('.');
        URL_SAFE_NO_PAD.encode_string(body, &mut message);
        let ok = jsonwebtoken::crypto::verify(s64, message.as_bytes(), &key, alg)
            .map_err(|_| CallbackError::BadSignature)?;
        if !ok {
            return Err(CallbackError::BadSignature);
        }
        let payment = parse_payment(body).map_err(CallbackError::Body)?;
        Ok(VerifiedCallback {
            jti: jti.to_owned(),
            payment,
        })
    }
}

/// A merchant's Payconiq settings (`[pay_server.payconiq]`, checked by the config).
#[derive(Debug, Clone)]
pub struct PayconiqConfig {
    /// `https://merchant.api.preprod.bancontact.net` (preprod) or the production host.
    pub api_url: String,
    pub jwks_url: String,
    pub payment_profile_id: String,
    /// The pay-server's public HTTPS address of `/api/v1/providers/payconiq/callback`: what
    /// Payconiq calls, and what the callbacks' `path` claim must name.
    pub callback_url: String,
    pub api_key: Secret,
}

/// The pay-server's Payconiq: its API client and its callback verifier.
pub struct Payconiq {
    pub api: PayconiqApi,
    pub verifier: CallbackVerifier,
}

impl Payconiq {
    pub fn new(c: &PayconiqConfig) -> Payconiq {
        Payconiq {
            api: PayconiqApi::new(&c.api_url, c.api_key.clone(), &c.callback_url),
            verifier: CallbackVerifier::new(&c.jwks_url, &c.callback_url, &c.payment_profile_id),
        }
    }
}

/// A payment just created at Payconiq.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedPayment {
    pub payment_id: String,
    pub status: ProviderStatus,
    /// What the till's QR code shows: the `qrcode` link's target, else the deeplink.
    pub qr_url: String,
}

/// A refund and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundState {
    pub refund_id: String,
    pub status: String,
}

impl RefundState {
    /// Payconiq's refund status (`PENDING`, `SUCCEEDED`, `FAILED`…) as ours; an unknown one is
    /// taken as still pending (asked again later), never as money returned.
    pub fn refund_status(&self) -> crate::pay_web::api::RefundStatus {
        use crate::pay_web::api::RefundStatus;
        match self.status.as_str() {
            "SUCCEEDED" => RefundStatus::Succeeded,
            "FAILED" | "CANCELLED" | "REJECTED" => RefundStatus::Failed,
            _ => RefundStatus::Pending,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateBody<'a> {
    amount: i64,
    currency: &'static str,
    description: &'a str,
    reference: &'a str,
    callback_url: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RefundBody<'a> {
    amount: i64,
    currency: &'static str,
    description: &'a str,
}

/// The merchant API: one per pay-server, holding the API key (never logged: [`Secret`]).
pub struct PayconiqApi {
    api_url: String,
    api_key: Secret,
    callback_url: String,
    http: reqwest::Client,
}

/// At most this many characters of description and reference (Payconiq's limits).
pub const MAX_DESCRIPTION: usize = 140;
pub const MAX_REFERENCE: usize = 35;

/// A 2xx answer we cannot read is the provider's refusal, not a crash.
fn unreadable<T>(r: serde_json::Result<T>) -> Result<T, ProviderError> {
    r.map_err(|e| ProviderError::Refused(format!("unreadable answer: {e}")))
}

fn clip(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

impl PayconiqApi {
    pub fn new(api_url: &str, api_key: Secret, callback_url: &str) -> PayconiqApi {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(2))
            .timeout(API_TIMEOUT)
            .build()
            .unwrap_or_default();
        PayconiqApi {
            api_url: api_url.trim_end_matches('/').to_owned(),
            api_key,
            callback_url: callback_url.to_owned(),
            http,
        }
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.api_url))
            .bearer_auth(self.api_key.expose())
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Result<(u16, Vec<u8>), ProviderError> {
        let resp = req
            .send()
            .await
            .map_err(|e| ProviderError::Down(e.without_url().to_string()))?;
        let status = resp.status().as_u16();
        let body = resp
            .bytes()
            .await
            .map_err(|e| ProviderError::Down(e.without_url().to_string()))?;
        Ok((status, body.to_vec()))
    }

    /// Sends and returns a 2xx answer's body; any other answer is the error it means.
    async fn send_ok(&self, req: reqwest::RequestBuilder) -> Result<Vec<u8>, ProviderError> {
        let (status, bytes) = self.send(req).await?;
        if !(200..300).contains(&status) {
            return Err(PayconiqApi::error(status, &bytes));
        }
        Ok(bytes)
    }

    /// The error a non-2xx answer means.
    fn error(status: u16, body: &[u8]) -> ProviderError {
        let text = String::from_utf8_lossy(body);
        match status {
            401 | 403 => ProviderError::BadApiKey,
            429 => ProviderError::RateLimited,
            500..=599 => ProviderError::Down(format!("HTTP {status}")),
            _ if text.to_ascii_uppercase().contains("PROFILE") => ProviderError::UnknownProfile,
            404 => ProviderError::UnknownPayment,
            _ => ProviderError::Refused(format!("HTTP {status}: {}", clip(&text, 200))),
        }
    }

    /// `POST /v3/payments`: amount in integer cents, `reference` the intent id.
    pub async fn create(
        &self,
        amount_cents: i64,
        reference: &str,
        description: &str,
    ) -> Result<CreatedPayment, ProviderError> {
        let body = CreateBody {
            amount: amount_cents,
            currency: "EUR",
            description: &clip(description, MAX_DESCRIPTION),
            reference: &clip(reference, MAX_REFERENCE),
            callback_url: &self.callback_url,
        };
        let bytes = self
            .send_ok(
                self.request(reqwest::Method::POST, "/v3/payments")
                    .json(&body),
            )
            .await?;
        let raw: RawPayment = unreadable(serde_json::from_slice(&bytes))?;
        let state = payment_state(&raw).map_err(ProviderError::Refused)?;
        let links = raw.links.unwrap_or_default();
        let qr_url = links
            .qrcode
            .map(|l| l.href)
            .or(links.deeplink.map(|l| l.href))
            .ok_or_else(|| ProviderError::Refused("no QR code link".into()))?;
        Ok(CreatedPayment {
            payment_id: state.payment_id,
            status: state.status,
            qr_url,
        })
    }

    /// `GET /v3/payments/{id}`.
    pub async fn status(&self, payment_id: &str) -> Result<PaymentState, ProviderError> {
        let bytes = self
            .send_ok(self.request(reqwest::Method::GET, &format!("/v3/payments/{payment_id}")))
            .await?;
        parse_payment(&bytes).map_err(ProviderError::Refused)
    }

    /// `DELETE /v3/payments/{id}`; 422: no longer cancellable (paid, or final already).
    pub async fn cancel(&self, payment_id: &str) -> Result<(), ProviderError> {
        let (status, bytes) = self
            .send(self.request(
                reqwest::Method::DELETE,
                &format!("/v3/payments/{payment_id}"),
            ))
            .await?;
        match status {
            200..=299 => Ok(()),
            422 => Err(ProviderError::NotCancellable),
            _ => Err(PayconiqApi::error(status, &bytes)),
        }
    }

    /// `POST /v3/payments/{id}/refunds` with an `Idempotency-Key`: the same key twice is one
    /// refund.
    pub async fn refund(
        &self,
        payment_id: &str,
        amount_cents: i64,
        idempotency_key: &str,
        description: &str,
    ) -> Result<RefundState, ProviderError> {
        let body = RefundBody {
            amount: amount_cents,
            currency: "EUR",
            description: &clip(description, MAX_DESCRIPTION),
        };
        let bytes = self
            .send_ok(
                self.request(
                    reqwest::Method::POST,
                    &format!("/v3/payments/{payment_id}/refunds"),
                )
                .header("Idempotency-Key", idempotency_key)
                .json(&body),
            )
            .await?;
        unreadable(serde_json::from_slice(&bytes))
    }

    /// `GET /v3/payments/{id}/refunds/{refund_id}`.
    pub async fn refund_status(
        &self,
        payment_id: &str,
        refund_id: &str,
    ) -> Result<RefundState, ProviderError> {
        let bytes = self
            .send_ok(self.request(
                reqwest::Method::GET,
                &format!("/v3/payments/{payment_id}/refunds/{refund_id}"),
            ))
            .await?;
        unreadable(serde_json::from_slice(&bytes))
    }
}

#[cfg(test)]
mod tests;
