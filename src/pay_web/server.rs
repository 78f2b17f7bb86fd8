//! The payment server: actix-web routes over an [`IntentStore`]. Till routes are signed
//! ([`super::sign`]); the customer's routes are rate-limited per client address, which behind a
//! load balancer comes from its forwarding header when it is a trusted proxy
//! ([`super::client_addr`], also used by the access log). Every instance
//! polls the shared database's event table, so a confirmation received by one instance reaches
//! a till listening on another (no sticky sessions needed); local confirmations are pushed at
//! once as well, and streams drop duplicates by sequence number.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_governor::{Governor, GovernorConfigBuilder};
use actix_web::http::{StatusCode, header};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, ResponseError, web};
use actix_web_lab::sse;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use serde::Deserialize;
use tokio::sync::broadcast;
use utoipa::OpenApi;

use crate::clock::SharedClock;
use crate::i18n::Lang;
use crate::secrets::Secret;

use super::api::{
    ApiError, CreateIntent, CreateRefund, IntentAccount, IntentEvent, IntentLine, IntentStatus,
    IntentView, InvalidIntent, PageLanguage, ProviderReason, RefundFailure, RefundStatus,
    RefundView,
};
use super::client_addr::{self, ClientAddrPolicy, CustomerKey};
use super::page;
use super::provider::payconiq::{CallbackError, Payconiq, PayconiqConfig, PaymentState};
use super::provider::{ProviderError, ProviderStatus};
use super::sign::{self, SIGNATURE_HEADER, TILL_HEADER};
use super::store::{
    AnyIntentStore, CancelOutcome, ConfirmOutcome, Intent, IntentStore, IntentStoreError,
    IntentSummary, ProviderPayment,
};

mod contract;
use contract::Contract;
mod refunds;

/// Largest request body accepted (a 200-line intent is about 20 KiB).
pub const MAX_BODY: usize = 64 * 1024;
/// How often each instance reads the shared event table.
pub const POLL_EVERY: Duration = Duration::from_millis(50);
/// How often pending intents past their lifetime are expired.
pub const SWEEP_EVERY: Duration = Duration::from_secs(1);
/// How long a till's secret, once read, is trusted without reading the database again. A
/// revoked till (`pay-server till revoke`, another process) is refused within this time, not at
/// once; a till registered again with a new secret is let in at once (a signature that fails
/// with a remembered secret is checked again against the database).
pub const TILL_SECRET_TTL: Duration = Duration::from_secs(5);

#[derive(Debug, Clone)]
pub struct PayServerOptions {
    /// What customers' phones reach: the QR codes point to `<public_url>/p/<token>`.
    pub public_url: String,
    pub intent_lifetime: Duration,
    /// Customer-route requests per second per client address, and the burst allowed.
    pub rate_per_second: u64,
    pub rate_burst: u32,
    /// Stop gracefully on SIGTERM/SIGINT (the standalone server). Off for the till's own LAN
    /// server: a signal must stop the till, not just its payment page.
    pub handle_signals: bool,
    /// Payconiq takes the payments (`None`: the manual provider, the customer page's button).
    pub payconiq: Option<PayconiqConfig>,
    /// Whose forwarding header names the client (`pay_server.trusted_proxies`): the rate
    /// limiter's key and the access log's client. Default: nobody, the peer address.
    pub client_addr: ClientAddrPolicy,
}

impl Default for PayServerOptions {
    fn default() -> Self {
        PayServerOptions {
            public_url: String::new(),
            intent_lifetime: Duration::from_secs(600),
            rate_per_second: 5,
            rate_burst: 20,
            handle_signals: true,
            payconiq: None,
            client_addr: ClientAddrPolicy::default(),
        }
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabel {
    outcome: String,
}

struct Metrics {
    registry: Registry,
    intents_created: Counter,
    confirmations: Family<OutcomeLabel, Counter>,
    auth_failures: Counter,
    streams: Gauge,
    callbacks: Family<OutcomeLabel, Counter>,
}

impl Metrics {
    fn new() -> Metrics {
        let mut registry = Registry::with_prefix("kaching_pay");
        let intents_created = Counter::default();
        let confirmations = Family::<OutcomeLabel, Counter>::default();
        let auth_failures = Counter::default();
        let streams = Gauge::default();
        registry.register(
            "intents_created",
            "Payment intents created",
            intents_created.clone(),
        );
        // Every outcome is exported from the start (at 0), so rate() sees the first one.
        for outcome in [
            "paid",
            "replay",
            "cancelled",
            "expired",
            "amount",
            "csrf",
            "malformed",
            "unknown",
            "provider",
        ] {
            drop(confirmations.get_or_create(&OutcomeLabel {
                outcome: outcome.to_owned(),
            }));
        }
        registry.register(
            "confirmations",
            "Customer confirmations by outcome",
            confirmations.clone(),
        );
        registry.register(
            "auth_failures",
            "Till requests refused for their signature",
            auth_failures.clone(),
        );
        registry.register("event_streams", "Open event streams", streams.clone());
        let callbacks = Family::<OutcomeLabel, Counter>::default();
        registry.register(
            "provider_callbacks",
            "Provider callbacks by outcome",
            callbacks.clone(),
        );
        Metrics {
            callbacks,
            registry,
            intents_created,
            confirmations,
            auth_failures,
            streams,
        }
    }

    fn confirmed(&self, outcome: &str) {
        self.confirmations
            .get_or_create(&OutcomeLabel {
                outcome: outcome.to_owned(),
            })
            .inc();
    }
}

pub struct PayState {
    store: AnyIntentStore,
    payconiq: Option<Payconiq>,
    options: PayServerOptions,
    csrf_key: Vec<u8>,
    events: broadcast::Sender<IntentEvent>,
    metrics: Metrics,
    clock: SharedClock,
    /// Tills' secrets as last read (and their signing keys), with when (clock milliseconds):
    /// see [`TILL_SECRET_TTL`]. Only active tills are remembered, so its size is bounded by the
    /// registered tills.
    till_secrets: std::sync::Mutex<std::collections::HashMap<String, Arc<TillSecret>>>,
}

/// A till's secret as read from the store, with its signing key.
struct TillSecret {
    secret: Secret,
    key: sign::SigningKey,
    read_at: i64,
}

impl PayState {
    fn now_ms(&self) -> i64 {
        self.clock.now().timestamp_millis()
    }

    /// The secret of an active till at `now` (clock milliseconds): remembered for
    /// [`TILL_SECRET_TTL`] (`fresh` reads the database whatever is remembered).
    async fn till_secret(
        &self,
        till_id: &str,
        now: i64,
        fresh: bool,
    ) -> Result<Option<Arc<TillSecret>>, PayError> {
        let ttl = i64::try_from(TILL_SECRET_TTL.as_millis()).unwrap_or(i64::MAX);
        if !fresh
            && let Ok(cache) = self.till_secrets.lock()
            && let Some(known) = cache.get(till_id)
            && (0..ttl).contains(&(now - known.read_at))
        {
            return Ok(Some(known.clone()));
        }
        let secret = self.store.till_secret(till_id).await?.map(|secret| {
            Arc::new(TillSecret {
                key: sign::SigningKey::new(secret.expose().as_bytes()),
                secret,
                read_at: now,
            })
        });
        if let Ok(mut cache) = self.till_secrets.lock() {
            match &secret {
                Some(s) => drop(cache.insert(till_id.to_owned(), s.clone())),
                None => drop(cache.remove(till_id)),
            }
        }
        Ok(secret)
    }
    fn csrf(&self, token: &str) -> String {
        sign::hmac_hex(&self.csrf_key, format!("csrf:{token}").as_bytes())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PayError {
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("the payment database is unavailable")]
    Unavailable(#[from] IntentStoreError),
    #[error("{0}")]
    Provider(ProviderError),
    /// A refusal with its own status and code (e.g. 422 `refund_exceeds_payment`).
    #[error("{message}")]
    Refused {
        status: StatusCode,
        code: &'static str,
        message: String,
    },
}

impl ResponseError for PayError {
    fn status_code(&self) -> StatusCode {
        match self {
            PayError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            PayError::BadRequest(_) => StatusCode::BAD_REQUEST,
            PayError::NotFound => StatusCode::NOT_FOUND,
            PayError::Conflict(_) => StatusCode::CONFLICT,
            PayError::Unavailable(IntentStoreError::Conflict(_)) => StatusCode::CONFLICT,
            PayError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            // Worth a retry: the till's client tries again, then tells the cashier.
            PayError::Provider(ProviderError::Down(_) | ProviderError::RateLimited) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            // The merchant's settings are wrong: no retry mends that.
            PayError::Provider(_) => StatusCode::FAILED_DEPENDENCY,
            PayError::Refused { status, .. } => *status,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let code = match self {
            PayError::Unauthorized(_) => "unauthorized",
            PayError::BadRequest(_) => "bad_request",
            PayError::NotFound => "not_found",
            PayError::Conflict(_) | PayError::Unavailable(IntentStoreError::Conflict(_)) => {
                "conflict"
            }
            PayError::Unavailable(e) => {
                tracing::error!(error = %e, "payment store");
                "unavailable"
            }
            PayError::Provider(e) => {
                tracing::warn!(error = %e, "payment provider");
                e.code()
            }
            PayError::Refused { code, .. } => code,
        };
        HttpResponse::build(self.status_code()).json(ApiError {
            error: code.to_owned(),
            message: self.to_string(),
        })
    }
}

impl From<InvalidIntent> for PayError {
    fn from(e: InvalidIntent) -> Self {
        match e {
            InvalidIntent::Malformed(m) => PayError::BadRequest(m),
            e @ InvalidIntent::AmountMismatch { .. } => PayError::Refused {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "amount_mismatch",
                message: e.to_string(),
            },
        }
    }
}

/// A handler's raw body, read by [`read_body`] (signatures cover the exact bytes). A name of its
/// own also keeps utoipa from declaring it as the request body.
type RawBody = Result<web::Bytes, actix_web::Error>;

/// The request's body, or the API's JSON error when it cannot be read (413 past [`MAX_BODY`]):
/// actix's own answer would be plain text.
fn read_body(body: RawBody) -> Result<web::Bytes, PayError> {
    body.map_err(|e| {
        let status = e.as_response_error().status_code();
        let code = if status == StatusCode::PAYLOAD_TOO_LARGE {
            "payload_too_large"
        } else {
            "bad_request"
        };
        PayError::Refused {
            status,
            code,
            message: e.to_string(),
        }
    })
}

/// Checks the till's signature over this exact request; returns the till's id.
async fn authenticate(
    req: &HttpRequest,
    body: &[u8],
    state: &PayState,
) -> Result<String, PayError> {
    let refuse = |why: &str| {
        state.metrics.auth_failures.inc();
        PayError::Unauthorized(why.to_owned())
    };
    let till_id = req
        .headers()
        .get(TILL_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|t| !t.is_empty() && t.len() <= 32)
        .ok_or_else(|| refuse("missing Kaching-Till header"))?
        .to_owned();
    let header = req
        .headers()
        .get(SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok());
    let path = req
        .uri()
        .path_and_query()
        .map_or(req.path(), |p| p.as_str());
    // One reading of the clock for the request (on a VM it can be a system call).
    let now = state.clock.now();
    let verify = |known: &TillSecret| {
        sign::verify_keyed(
            header,
            std::slice::from_ref(&known.key),
            now.timestamp(),
            req.method().as_str(),
            path,
            body,
        )
    };
    let known = state
        .till_secret(&till_id, now.timestamp_millis(), false)
        .await?
        .ok_or_else(|| refuse("bad signature"))?;
    if let Err(e) = verify(&known) {
        // The remembered secret may be an old one (the till was registered again): ask the
        // database before refusing.
        match state
            .till_secret(&till_id, now.timestamp_millis(), true)
            .await?
        {
            Some(current) if current.secret != known.secret => {
                verify(&current).map_err(|e| refuse(&e.to_string()))?
            }
            _ => return Err(refuse(&e.to_string())),
        }
    }
    Ok(till_id)
}

impl PayState {
    /// The intent as the till sees it. With a provider payment the QR code shows the
    /// provider's link, and the state is the stored one only: expiry is the provider's word.
    async fn view_of(&self, intent: &Intent) -> Result<IntentView, PayError> {
        let payment = self.store.provider_payment(&intent.id).await?;
        Ok(self.view_with(intent.summary(), payment))
    }

    /// [`PayState::view_of`] with the provider payment already read.
    fn view_with(&self, intent: IntentSummary, payment: Option<ProviderPayment>) -> IntentView {
        let stored = intent.status;
        let mut view = intent.view(&self.options.public_url, self.now_ms());
        if let Some(p) = payment {
            view.pay_url = p.qr_url;
            view.status = stored;
            view.provider_ref = Some(p.provider_ref);
            view.reason = p.reason;
        }
        view
    }

    /// Creates the provider's payment of a new (or retried) pending intent.
    async fn ensure_provider_payment(&self, intent: &Intent) -> Result<(), PayError> {
        let Some(pq) = &self.payconiq else {
            return Ok(());
        };
        if intent.status != IntentStatus::Pending
            || self.store.provider_payment(&intent.id).await?.is_some()
        {
            return Ok(());
        }
        let description = format!("{} – {}", intent.shop_name, intent.seller);
        let created = pq
            .api
            .create(intent.amount_cents, &intent.id, &description)
            .await
            .map_err(PayError::Provider)?;
        self.store
            .set_provider_payment(
                &ProviderPayment {
                    intent_id: intent.id.clone(),
                    provider: "payconiq".into(),
                    provider_ref: created.payment_id,
                    qr_url: created.qr_url,
                    reason: None,
                },
                self.now_ms(),
            )
            .await?;
        Ok(())
    }

    /// Applies what the provider says of a payment (callback or poll). States only move
    /// forward; a SUCCEEDED for another amount than the intent's changes nothing.
    async fn provider_says(
        &self,
        p: &ProviderPayment,
        said: &PaymentState,
    ) -> Result<ProviderOutcome, PayError> {
        let Some(intent) = self.store.by_id(&p.intent_id).await? else {
            return Ok(ProviderOutcome::Unknown);
        };
        if said.status == ProviderStatus::Succeeded && said.amount_cents != intent.amount_cents {
            tracing::error!(
                intent = %intent.id,
                payment = %p.provider_ref,
                said = said.amount_cents,
                expected = intent.amount_cents,
                "the provider reports another amount than the intent's: not accepted"
            );
            return Ok(ProviderOutcome::AmountMismatch);
        }
        let to = said.status.intent_status();
        if to == IntentStatus::Pending {
            return Ok(ProviderOutcome::Unchanged);
        }
        match self
            .store
            .provider_moved(&intent.id, to, said.status.reason(), self.now_ms())
            .await?
        {
            Some(ev) => {
                let _ = self.events.send(ev);
                Ok(ProviderOutcome::Moved)
            }
            None => Ok(ProviderOutcome::Unchanged),
        }
    }
}

/// What a provider's word did to an intent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ProviderOutcome {
    Moved,
    Unchanged,
    AmountMismatch,
    Unknown,
}

fn new_token() -> Result<String, PayError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| {
        PayError::Unavailable(IntentStoreError::Database(format!("no randomness: {e}")))
    })?;
    Ok(hex::encode(bytes))
}

#[utoipa::path(post, path = "/api/v1/intents", request_body = CreateIntent, security(("till" = [], "tillSignature" = [])),
    responses((status = 201, body = IntentView, description = "created"),
              (status = 200, body = IntentView, description = "the same request again (same intent_id, same body)"),
              (status = 400, body = ApiError, description = "not JSON, or a field breaks its declared rule"),
              (status = 401, body = ApiError, description = "no till, or a bad or stale signature"),
              (status = 409, body = ApiError, description = "this intent_id was created with another body"),
              (status = 413, body = ApiError, description = "body over 64 KiB"),
              (status = 422, body = ApiError, description = "`amount_mismatch`: the lines do not add up to amount_cents"),
              (status = 424, body = ApiError, description = "the payment provider refuses the merchant's settings"),
              (status = 503, body = ApiError, description = "the database, or the payment provider, is unavailable: retry")))]
async fn create_intent(
    req: HttpRequest,
    body: RawBody,
    state: web::Data<PayState>,
) -> Result<HttpResponse, PayError> {
    let body = read_body(body)?;
    let till_id = authenticate(&req, &body, &state).await?;
    let request: CreateIntent =
        serde_json::from_slice(&body).map_err(|e| PayError::BadRequest(e.to_string()))?;
    let new = request.validate()?;
    let now = state.now_ms();
    let lifetime = i64::try_from(state.options.intent_lifetime.as_millis()).unwrap_or(600_000);
    let (intent, created) = state
        .store
        .create(&till_id, &new, &new_token()?, now, now + lifetime)
        .await?;
    if created {
        state.metrics.intents_created.inc();
    }
    // A provider that cannot be reached leaves the intent pending without a provider payment:
    // the till's retry (same intent id) tries again; an intent nobody retries expires.
    state.ensure_provider_payment(&intent).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(HttpResponse::build(status).json(state.view_of(&intent).await?))
}

#[utoipa::path(get, path = "/api/v1/intents/{id}", params(("id" = uuid::Uuid, Path, description = "intent id")),
    security(("till" = [], "tillSignature" = [])),
    responses((status = 200, body = IntentView), (status = 401, body = ApiError),
              (status = 404, body = ApiError, description = "no such intent for this till"),
              (status = 503, body = ApiError)))]
async fn get_intent(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<PayState>,
) -> Result<HttpResponse, PayError> {
    let till_id = authenticate(&req, b"", &state).await?;
    let (intent, payment) = state
        .store
        .summary_with_payment(&path)
        .await?
        .filter(|(i, _)| i.till_id == till_id)
        .ok_or(PayError::NotFound)?;
    Ok(HttpResponse::Ok().json(state.view_with(intent, payment)))
}

/// The body is empty (the till sends none; the signature covers whatever is sent).
#[utoipa::path(post, path = "/api/v1/intents/{id}/cancel", params(("id" = uuid::Uuid, Path, description = "intent id")),
    security(("till" = [], "tillSignature" = [])),
    responses((status = 200, body = IntentView, description = "cancelled"), (status = 401, body = ApiError),
              (status = 404, body = ApiError, description = "no such intent for this till"),
              (status = 409, body = ApiError, description = "the intent is no longer pending"),
              (status = 413, body = ApiError, description = "body over 64 KiB"),
              (status = 424, body = ApiError, description = "the payment provider refuses the merchant's settings"),
              (status = 503, body = ApiError)))]
async fn cancel_intent(
    req: HttpRequest,
    path: web::Path<String>,
    body: RawBody,
    state: web::Data<PayState>,
) -> Result<HttpResponse, PayError> {
    let body = read_body(body)?;
    let till_id = authenticate(&req, &body, &state).await?;
    let now = state.now_ms();
    if let Some(pq) = &state.payconiq
        && let Some(intent) = state
            .store
            .by_id(&path)
            .await?
            .filter(|i| i.till_id == till_id)
        && intent.status == IntentStatus::Pending
        && let Some(p) = state.store.provider_payment(&intent.id).await?
    {
        // Cancelled at Payconiq first: only its word that nobody can pay any more lets the
        // intent be cancelled here. 422: too late (paid, or final) — its state decides.
        match pq.api.cancel(&p.provider_ref).await {
            Ok(()) => {}
            Err(ProviderError::NotCancellable | ProviderError::UnknownPayment) => {
                let said = pq
                    .api
                    .status(&p.provider_ref)
                    .await
                    .map_err(PayError::Provider)?;
                state.provider_says(&p, &said).await?;
            }
            Err(e) => return Err(PayError::Provider(e)),
        }
    }
    match state.store.cancel(&till_id, &path, now).await? {
        CancelOutcome::Cancelled(ev) => {
            let _ = state.events.send(ev);
        }
        CancelOutcome::NotPending(status) => {
            return Err(PayError::Conflict(format!(
                "the intent is {}",
                status.as_str()
            )));
        }
        CancelOutcome::Unknown => return Err(PayError::NotFound),
    }
    let intent = state.store.by_id(&path).await?.ok_or(PayError::NotFound)?;
    Ok(HttpResponse::Ok().json(state.view_of(&intent).await?))
}

/// Server-sent events for one intent: its current state at once (so a reconnecting till never
/// misses a change), then every change, until a final state.
#[utoipa::path(get, path = "/api/v1/intents/{id}/events", params(("id" = uuid::Uuid, Path, description = "intent id")),
    security(("till" = [], "tillSignature" = [])),
    responses((status = 200, content_type = "text/event-stream", body = String,
               description = "server-sent events `event: status`, each `data:` an IntentView as JSON; ends after a final state"),
              (status = 401, body = ApiError),
              (status = 404, body = ApiError, description = "no such intent for this till"),
              (status = 503, body = ApiError)))]
async fn intent_events(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<PayState>,
) -> Result<impl actix_web::Responder, PayError> {
    let till_id = authenticate(&req, b"", &state).await?;
    let id = path.into_inner();
    // Subscribe before reading the state: a change in between is then seen twice, never lost.
    let mut changes = state.events.subscribe();
    let intent = state
        .store
        .by_id(&id)
        .await?
        .filter(|i| i.till_id == till_id)
        .ok_or(PayError::NotFound)?;
    let (tx, rx) = tokio::sync::mpsc::channel::<sse::Event>(8);
    let st = state.clone();
    actix_web::rt::spawn(async move {
        st.metrics.streams.inc();
        let Ok(view) = st.view_of(&intent).await else {
            st.metrics.streams.dec();
            return;
        };
        let mut last = view.status;
        let send =
            |v: &IntentView| sse::Data::new_json(v).map(|d| sse::Event::Data(d.event("status")));
        if let Ok(ev) = send(&view)
            && (tx.send(ev).await.is_err() || last.is_final())
        {
            st.metrics.streams.dec();
            return;
        }
        loop {
            let change = tokio::select! {
                c = changes.recv() => c,
                _ = tx.closed() => break,
            };
            match change {
                Ok(ev) if ev.intent_id == id && ev.status != last => {}
                Ok(_) => continue,
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => break,
            }
            // Read the stored state: the truth, whatever the order events arrived in.
            let Ok(Some(intent)) = st.store.by_id(&id).await else {
                break;
            };
            let Ok(view) = st.view_of(&intent).await else {
                break;
            };
            if view.status == last {
                continue;
            }
            last = view.status;
            let Ok(ev) = send(&view) else { break };
            if tx.send(ev).await.is_err() {
                break;
            }
            if last.is_final() {
                break;
            }
        }
        st.metrics.streams.dec();
    });
    Ok(sse::Sse::from_infallible_receiver(rx).with_keep_alive(Duration::from_secs(10)))
}

/// The language the customer chose with the page's switch (`?lang=fr|nl|en`), if any; `Err`
/// for a `lang` that is none of them (the switch's links never send one).
fn chosen_lang(req: &HttpRequest) -> Result<Option<Lang>, ()> {
    match url::form_urlencoded::parse(req.query_string().as_bytes()).find(|(k, _)| k == "lang") {
        None => Ok(None),
        Some((_, v)) => Lang::ALL
            .into_iter()
            .find(|l| l.as_str() == v)
            .map(Some)
            .ok_or(()),
    }
}

/// The browser's language (`Accept-Language`), else French.
fn browser_lang(req: &HttpRequest) -> Lang {
    req.headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|h| h.to_str().ok())
        .map_or(Lang::Fr, Lang::from_accept_language)
}

/// The customer's language: `?lang=fr|nl|en` (the page's switch), else the browser's
/// `Accept-Language`, else French. `Err(the browser's language)` for an unknown `lang`: it is
/// refused ([`unknown_language`]), because the document declares the three and a page in a
/// language nobody asked for would hide the mistake.
fn customer_lang(req: &HttpRequest) -> Result<Lang, Lang> {
    match chosen_lang(req) {
        Ok(Some(l)) => Ok(l),
        Ok(None) => Ok(browser_lang(req)),
        Err(()) => Err(browser_lang(req)),
    }
}

/// The 400 page for an unknown `?lang=`, in the browser's language (with the switch).
fn unknown_language(lang: Lang) -> HttpResponse {
    html(
        StatusCode::BAD_REQUEST,
        page::message_page(lang, "page-bad-language"),
    )
}

#[utoipa::path(get, path = "/p/{token}",
    params(("token" = String, Path, pattern = "^[0-9a-fA-F]{64}$", description = "the intent's secret token (in the QR code)"),
           ("lang" = Option<PageLanguage>, Query, description = "the page's language (default: the browser's Accept-Language, else French)")),
    responses((status = 200, content_type = "text/html", body = String, description = "the intent's page (with the form while pending)"),
              (status = 400, content_type = "text/html", body = String, description = "an unknown `lang`"),
              (status = 404, content_type = "text/html", body = String, description = "no such link"),
              (status = 429, content_type = "text/plain", body = String, description = "too many requests from this address",
               headers(("Retry-After" = u64, description = "seconds"))),
              (status = 503, body = ApiError)))]
async fn customer_page(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<PayState>,
) -> Result<HttpResponse, PayError> {
    let lang = match customer_lang(&req) {
        Ok(l) => l,
        Err(browser) => return Ok(unknown_language(browser)),
    };
    let token = path.into_inner();
    let Some(intent) = lookup_token(&state, &token).await? else {
        return Ok(html(
            StatusCode::NOT_FOUND,
            page::message_page(lang, "page-no-such-link"),
        ));
    };
    let status = intent.status_at(state.now_ms());
    Ok(html(
        StatusCode::OK,
        page::intent_page(lang, &intent, status, &state.csrf(&token), None),
    ))
}

/// Tokens are 64 hex digits; anything else is not looked up.
async fn lookup_token(
    state: &PayState,
    token: &str,
) -> Result<Option<super::store::Intent>, PayError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    Ok(state.store.by_token(token).await?)
}

fn html(status: StatusCode, m: maud::Markup) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
        ))
        .insert_header(("X-Frame-Options", "DENY"))
        .body(m.into_string())
}

/// Whether an `Origin` header names this server (`null`, sent by some privacy modes, passes:
/// the CSRF token still has to match).
fn same_origin(origin: &str, host: &str) -> bool {
    if origin == "null" {
        return true;
    }
    let Ok(u) = url::Url::parse(origin) else {
        return false;
    };
    let Some(h) = u.host_str() else { return false };
    match u.port() {
        Some(p) => format!("{h}:{p}") == host,
        None => h == host,
    }
}

/// The largest customer form read (a token and an amount need a tenth of it).
#[doc(hidden)]
pub const CONFIRM_FORM_LIMIT: usize = 4096;

/// The customer page's form (`POST /p/{token}/confirm`), as actix's `web::Form` reads it.
/// Public for the fuzz crate only (`fuzz/fuzz_targets/confirm_form.rs`).
#[doc(hidden)]
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ConfirmForm {
    /// The page's CSRF token (HMAC of the link's token).
    #[schema(pattern = "^[0-9a-fA-F]{64}$")]
    pub csrf: String,
    /// The amount the page showed: a page rendered for another amount cannot confirm this one.
    #[schema(minimum = 1, maximum = 100_000_000)]
    pub amount_cents: i64,
}

/// Why a read form is refused before the store is asked.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormRefusal {
    /// Posted from another site (`Origin` names another host).
    CrossOrigin,
    /// Not this page's CSRF token (a stale page, or a forgery).
    BadCsrf,
}

/// The checks between reading the form and asking the store: the `Origin` header, when the
/// browser sends one, names this server (`host`); the CSRF token is the one this server gives
/// the page of `token`. Pure (the fuzz crate drives it with any form and origin).
#[doc(hidden)]
pub fn check_confirm_form(
    csrf_key: &[u8],
    token: &str,
    origin: Option<&str>,
    host: &str,
    form: &ConfirmForm,
) -> Result<(), FormRefusal> {
    // A form posted from another site: refused (the CSRF token is the real guard).
    if origin.is_some_and(|o| !same_origin(o, host)) {
        return Err(FormRefusal::CrossOrigin);
    }
    if !sign::hmac_hex_matches(csrf_key, format!("csrf:{token}").as_bytes(), &form.csrf) {
        return Err(FormRefusal::BadCsrf);
    }
    Ok(())
}

#[utoipa::path(post, path = "/p/{token}/confirm",
    params(("token" = String, Path, pattern = "^[0-9a-fA-F]{64}$", description = "the intent's secret token"),
           ("lang" = Option<PageLanguage>, Query, description = "the page's language, kept after the confirmation")),
    request_body(content = ConfirmForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 303, description = "paid: back to the page", headers(("Location" = String, description = "/p/{token}[?lang=…]"))),
              (status = 400, content_type = "text/html", body = String, description = "an unknown `lang`, or a form that cannot be read"),
              (status = 403, content_type = "text/html", body = String, description = "a bad CSRF token, another site's Origin, or a provider takes this payment"),
              (status = 404, content_type = "text/html", body = String, description = "no such link"),
              (status = 409, content_type = "text/html", body = String, description = "already paid, cancelled, or another amount"),
              (status = 410, content_type = "text/html", body = String, description = "expired"),
              (status = 429, content_type = "text/plain", body = String, description = "too many requests from this address",
               headers(("Retry-After" = u64, description = "seconds"))),
              (status = 503, body = ApiError)))]
async fn confirm(
    req: HttpRequest,
    path: web::Path<String>,
    form: Result<web::Form<ConfirmForm>, actix_web::Error>,
    state: web::Data<PayState>,
) -> Result<HttpResponse, PayError> {
    let lang = match customer_lang(&req) {
        Ok(l) => l,
        Err(browser) => return Ok(unknown_language(browser)),
    };
    let token = path.into_inner();
    let Some(intent) = lookup_token(&state, &token).await? else {
        state.metrics.confirmed("unknown");
        return Ok(html(
            StatusCode::NOT_FOUND,
            page::message_page(lang, "page-no-such-link"),
        ));
    };
    let now = state.now_ms();
    let refuse = |code: StatusCode, outcome: &str, notice: &str| {
        state.metrics.confirmed(outcome);
        Ok(html(
            code,
            page::intent_page(
                lang,
                &intent,
                intent.status_at(now),
                &state.csrf(&token),
                Some(notice),
            ),
        ))
    };
    let Ok(form) = form else {
        return refuse(StatusCode::BAD_REQUEST, "malformed", "page-bad-form");
    };
    // With a provider, only the provider's word pays: the button proves nothing.
    if state.payconiq.is_some() || state.store.provider_payment(&intent.id).await?.is_some() {
        return refuse(StatusCode::FORBIDDEN, "provider", "page-refused");
    }
    let host = req.connection_info().host().to_owned();
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok());
    match check_confirm_form(&state.csrf_key, &token, origin, &host, &form) {
        Ok(()) => {}
        Err(FormRefusal::CrossOrigin) => {
            return refuse(StatusCode::FORBIDDEN, "csrf", "page-refused");
        }
        Err(FormRefusal::BadCsrf) => {
            return refuse(StatusCode::FORBIDDEN, "csrf", "page-refused-reload");
        }
    }
    match state.store.confirm(&token, form.amount_cents, now).await? {
        ConfirmOutcome::Confirmed(ev) => {
            state.metrics.confirmed("paid");
            let _ = state.events.send(ev);
            Ok(HttpResponse::SeeOther()
                .insert_header((
                    header::LOCATION,
                    // The language the page was read in, when it was chosen there.
                    match chosen_lang(&req) {
                        Ok(Some(l)) => format!("/p/{token}?lang={l}"),
                        _ => format!("/p/{token}"),
                    },
                ))
                .finish())
        }
        ConfirmOutcome::NotPending(IntentStatus::Paid) => {
            refuse(StatusCode::CONFLICT, "replay", "page-already-paid")
        }
        ConfirmOutcome::NotPending(IntentStatus::Cancelled) => {
            refuse(StatusCode::CONFLICT, "cancelled", "page-was-cancelled")
        }
        ConfirmOutcome::NotPending(_) => refuse(StatusCode::GONE, "expired", "page-was-expired"),
        ConfirmOutcome::AmountMismatch => {
            refuse(StatusCode::CONFLICT, "amount", "page-amount-mismatch")
        }
        ConfirmOutcome::Unknown => refuse(
            StatusCode::NOT_FOUND,
            "unknown",
            "Ce lien de paiement n'existe pas.",
        ),
    }
}

/// `POST /api/v1/providers/payconiq/callback`: Payconiq's signed word on a payment. Refused
/// (4xx, nothing changed) unless the signature and every claim hold and the `jti` is new; 503
/// only when the provider's keys cannot be fetched (Payconiq retries; the poller catches up).
#[utoipa::path(post, path = "/api/v1/providers/payconiq/callback",
    request_body(content = Object, content_type = "application/json", description = "the payment as Payconiq sends it, signed by the detached JWS in the Signature header"),
    security(("payconiqSignature" = [])),
    responses((status = 200, body = ApiError, description = "`applied`, or `unchanged`: nothing to change"),
              (status = 400, body = ApiError, description = "the body is not a Payconiq payment"),
              (status = 401, body = ApiError, description = "`bad_signature`"),
              (status = 404, body = ApiError, description = "no Payconiq on this server, or no such payment"),
              (status = 409, body = ApiError, description = "`replay`: this callback was seen before"),
              (status = 413, body = ApiError, description = "body over 64 KiB"),
              (status = 422, body = ApiError, description = "`amount`: not the intent's amount"),
              (status = 503, body = ApiError, description = "Payconiq's keys or the database are unavailable: Payconiq retries")))]
async fn payconiq_callback(
    req: HttpRequest,
    body: RawBody,
    state: web::Data<PayState>,
) -> HttpResponse {
    let body = match read_body(body) {
        Ok(b) => b,
        Err(e) => return e.error_response(),
    };
    let answer = |status: StatusCode, outcome: &str, message: &str| {
        state
            .metrics
            .callbacks
            .get_or_create(&OutcomeLabel {
                outcome: outcome.to_owned(),
            })
            .inc();
        if !status.is_success() {
            tracing::warn!(outcome, message, "Payconiq callback refused");
        }
        HttpResponse::build(status).json(ApiError {
            error: outcome.to_owned(),
            message: message.to_owned(),
        })
    };
    let signature = req.headers().get("Signature").and_then(|v| v.to_str().ok());
    // Unsigned is 401 whether or not this server takes Payconiq payments: the document declares
    // the header, and "who are you" comes before "what do you want".
    if signature.is_none() {
        return answer(
            StatusCode::UNAUTHORIZED,
            "bad_signature",
            "no Signature header",
        );
    }
    let Some(pq) = &state.payconiq else {
        return answer(
            StatusCode::NOT_FOUND,
            "not_found",
            "no Payconiq on this server",
        );
    };
    let verified = match pq
        .verifier
        .verify(signature, &body, state.clock.now())
        .await
    {
        Ok(v) => v,
        Err(CallbackError::KeysUnavailable(e)) => {
            return answer(StatusCode::SERVICE_UNAVAILABLE, "keys_unavailable", &e);
        }
        Err(e @ CallbackError::Body(_)) => {
            return answer(StatusCode::BAD_REQUEST, "bad_request", &e.to_string());
        }
        Err(e) => return answer(StatusCode::UNAUTHORIZED, "bad_signature", &e.to_string()),
    };
    let unavailable = |e: IntentStoreError| {
        tracing::error!(error = %e, "payment store");
        answer(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "the payment database is unavailable",
        )
    };
    match state.store.record_jti(&verified.jti, state.now_ms()).await {
        Ok(true) => {}
        Ok(false) => {
            return answer(
                StatusCode::CONFLICT,
                "replay",
                "this callback was seen before",
            );
        }
        Err(e) => return unavailable(e),
    }
    let payment = match state
        .store
        .provider_payment_by_ref(&verified.payment.payment_id)
        .await
    {
        Ok(Some(p)) => p,
        Ok(None) => return answer(StatusCode::NOT_FOUND, "unknown", "no such payment"),
        Err(e) => return unavailable(e),
    };
    match state.provider_says(&payment, &verified.payment).await {
        Ok(ProviderOutcome::Moved) => answer(StatusCode::OK, "applied", "ok"),
        Ok(ProviderOutcome::Unchanged) => answer(StatusCode::OK, "unchanged", "ok"),
        Ok(ProviderOutcome::AmountMismatch) => answer(
            StatusCode::UNPROCESSABLE_ENTITY,
            "amount",
            "the amount is not the intent's",
        ),
        Ok(ProviderOutcome::Unknown) => answer(StatusCode::NOT_FOUND, "unknown", "no such payment"),
        Err(e) => answer(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            &e.to_string(),
        ),
    }
}

/// How often the poller looks at pending provider payments.
pub const PROVIDER_POLL_EVERY: Duration = Duration::from_millis(500);

/// How long after its last poll a pending provider payment is asked again: every 2 s for its
/// first 2 minutes (a lost callback is caught within seconds while the customer is at the
/// counter), then every 10 s, then every 30 s after 10 minutes.
fn poll_interval(age_ms: i64) -> i64 {
    if age_ms <= 120_000 {
        2_000
    } else if age_ms <= 600_000 {
        10_000
    } else {
        30_000
    }
}

/// Polls the provider for pending payments, so a lost callback never loses a payment.
fn spawn_provider_poller(state: web::Data<PayState>) -> Option<tokio::task::JoinHandle<()>> {
    state.payconiq.as_ref()?;
    Some(actix_web::rt::spawn(async move {
        let mut asked: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
        let mut refunds_asked = std::collections::HashMap::new();
        let mut tick = tokio::time::interval(PROVIDER_POLL_EVERY);
        loop {
            tick.tick().await;
            refunds::poll_open(&state, &mut refunds_asked).await;
            let Some(pq) = &state.payconiq else { return };
            let pending = match state.store.pending_provider_payments(200).await {
                Ok(p) => p,
                Err(e) => {
                    tracing::warn!(error = %e, "provider poll: the store failed");
                    continue;
                }
            };
            let now = state.now_ms();
            asked.retain(|id, _| pending.iter().any(|(p, _)| &p.intent_id == id));
            for (p, created_at) in pending {
                let last = asked.get(&p.intent_id).copied().unwrap_or(created_at);
                if now - last < poll_interval(now - created_at) {
                    continue;
                }
                asked.insert(p.intent_id.clone(), now);
                match pq.api.status(&p.provider_ref).await {
                    Ok(said) => {
                        if let Err(e) = state.provider_says(&p, &said).await {
                            tracing::warn!(error = %e, "provider poll: not applied");
                        }
                    }
                    Err(e) => {
                        tracing::warn!(payment = %p.provider_ref, error = %e, "provider poll failed")
                    }
                }
            }
        }
    }))
}

#[utoipa::path(get, path = "/healthz",
    responses((status = 200, content_type = "text/plain", body = String, description = "`ok`: the database answers"),
              (status = 503, content_type = "text/plain", body = String, description = "the database does not answer")))]
async fn healthz(state: web::Data<PayState>) -> HttpResponse {
    let (mut answer, text) = match state.store.last_seq().await {
        Ok(_) => (HttpResponse::Ok(), "ok"),
        Err(_) => (HttpResponse::ServiceUnavailable(), "database unavailable"),
    };
    answer.content_type("text/plain; charset=utf-8").body(text)
}

#[utoipa::path(get, path = "/metrics",
    responses((status = 200, content_type = "application/openmetrics-text", body = String, description = "Prometheus / OpenMetrics text")))]
async fn metrics(state: web::Data<PayState>) -> HttpResponse {
    let mut out = String::new();
    match prometheus_client::encoding::text::encode(&mut out, &state.metrics.registry) {
        Ok(()) => HttpResponse::Ok()
            .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
            .body(out),
        Err(_) => HttpResponse::InternalServerError().finish(),
    }
}

/// The OpenAPI document: paths and schemas from the annotations; the security schemes, the 405
/// every path answers for another method, and the links between operations added by
/// [`contract::Contract`].
#[derive(OpenApi)]
#[openapi(
    info(
        title = "KACHING payment server",
        description = "The tills' API (till-signed, see the `till` and `tillSignature` security schemes), Payconiq's callback, the customer's page at /p/{token}, and the operator's /healthz and /metrics. Every refusal of the JSON API is an ApiError."
    ),
    paths(
        create_intent,
        get_intent,
        cancel_intent,
        intent_events,
        refunds::create_refund,
        refunds::get_refund,
        payconiq_callback,
        customer_page,
        confirm,
        healthz,
        metrics,
        openapi
    ),
    components(schemas(
        CreateIntent,
        IntentView,
        IntentLine,
        IntentStatus,
        IntentAccount,
        IntentEvent,
        ProviderReason,
        CreateRefund,
        RefundView,
        RefundStatus,
        RefundFailure,
        PageLanguage,
        ApiError
    )),
    modifiers(&Contract)
)]
pub struct ApiDoc;

#[utoipa::path(get, path = "/api/v1/openapi.json",
    responses((status = 200, content_type = "application/json", body = Object, description = "this document")))]
async fn openapi() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}

/// A path served by one method: any other method gets `405 Method Not Allowed` with an `Allow`
/// header and the API's JSON error, not a 404 (the path exists). `App::route` would put the
/// method guard on the whole path, so an unknown method fell through to "not found".
fn only(path: &str, allow: &'static str, route: actix_web::Route) -> actix_web::Resource {
    web::resource(path)
        .route(route)
        .default_service(web::to(move || async move {
            HttpResponse::MethodNotAllowed()
                .insert_header((header::ALLOW, allow))
                .json(ApiError {
                    error: "method_not_allowed".into(),
                    message: format!("this path answers {allow} only"),
                })
        }))
}

fn json_error(e: impl std::fmt::Display) -> actix_web::Error {
    actix_web::error::InternalError::from_response(
        e.to_string(),
        HttpResponse::BadRequest().json(ApiError {
            error: "bad_request".into(),
            message: e.to_string(),
        }),
    )
    .into()
}

/// Builds the shared state: the CSRF key is stored in the database so every instance agrees.
pub async fn state(
    store: AnyIntentStore,
    options: PayServerOptions,
    clock: SharedClock,
) -> Result<web::Data<PayState>, IntentStoreError> {
    let fresh = new_token().map_err(|e| IntentStoreError::Database(e.to_string()))?;
    let key = store.server_key("csrf", &fresh).await?;
    let (events, _) = broadcast::channel(1024);
    let payconiq = options.payconiq.as_ref().map(Payconiq::new);
    Ok(web::Data::new(PayState {
        store,
        payconiq,
        options,
        csrf_key: key.into_bytes(),
        events,
        metrics: Metrics::new(),
        clock,
        till_secrets: std::sync::Mutex::default(),
    }))
}

/// Reads the shared event table, expires due intents and polls the provider; returns the
/// tasks, which run until aborted ([`start`] aborts them when its server stops).
pub fn spawn_background(state: web::Data<PayState>) -> Vec<tokio::task::JoinHandle<()>> {
    let mut tasks = Vec::new();
    tasks.extend(spawn_provider_poller(state.clone()));
    let poll = state.clone();
    tasks.push(actix_web::rt::spawn(async move {
        let mut last = poll.store.last_seq().await.unwrap_or(0);
        let mut tick = tokio::time::interval(POLL_EVERY);
        loop {
            tick.tick().await;
            match poll.store.events_after(last, 500).await {
                Ok(events) => {
                    for ev in events {
                        last = last.max(ev.seq);
                        let _ = poll.events.send(ev);
                    }
                }
                Err(e) => tracing::warn!(error = %e, "event poll failed"),
            }
        }
    }));
    tasks.push(actix_web::rt::spawn(async move {
        let mut tick = tokio::time::interval(SWEEP_EVERY);
        loop {
            tick.tick().await;
            match state.store.expire_due(state.now_ms()).await {
                Ok(events) => {
                    for ev in events {
                        let _ = state.events.send(ev);
                    }
                }
                Err(e) => tracing::warn!(error = %e, "expiry sweep failed"),
            }
        }
    }));
    tasks
}

/// Routes and middleware, for `HttpServer::new` (and tests).
pub fn configure(state: web::Data<PayState>) -> impl Fn(&mut web::ServiceConfig) + Clone {
    // One limiter for all workers: built here and shared by the closure, which actix runs once
    // per worker (a limiter built inside it would multiply the burst by the worker count).
    // Keyed by the client's address as `client_addr` decides (a proxy's own address would put
    // every customer behind it in one quota).
    let client_addr = web::Data::new(state.options.client_addr.clone());
    let governor = GovernorConfigBuilder::default()
        .requests_per_second(state.options.rate_per_second.max(1))
        .burst_size(state.options.rate_burst.max(1))
        .key_extractor(CustomerKey(client_addr.clone().into_inner()))
        .finish();
    move |cfg: &mut web::ServiceConfig| {
        let governor = governor.clone();
        cfg.app_data(state.clone())
            .app_data(client_addr.clone())
            .app_data(web::PayloadConfig::new(MAX_BODY))
            .app_data(web::FormConfig::default().limit(CONFIRM_FORM_LIMIT))
            .app_data(
                web::JsonConfig::default()
                    .limit(MAX_BODY)
                    .error_handler(|e, _| json_error(e)),
            )
            .service(only("/healthz", "GET", web::get().to(healthz)))
            .service(only("/metrics", "GET", web::get().to(metrics)))
            .service(only("/api/v1/openapi.json", "GET", web::get().to(openapi)))
            .service(only(
                "/api/v1/intents",
                "POST",
                web::post().to(create_intent),
            ))
            .service(only(
                "/api/v1/intents/{id}",
                "GET",
                web::get().to(get_intent),
            ))
            .service(only(
                "/api/v1/intents/{id}/cancel",
                "POST",
                web::post().to(cancel_intent),
            ))
            .service(only(
                "/api/v1/intents/{id}/events",
                "GET",
                web::get().to(intent_events),
            ))
            .service(only(
                "/api/v1/intents/{id}/refunds",
                "POST",
                web::post().to(refunds::create_refund),
            ))
            .service(only(
                "/api/v1/intents/{id}/refunds/{refund_id}",
                "GET",
                web::get().to(refunds::get_refund),
            ))
            .service(only(
                "/api/v1/providers/payconiq/callback",
                "POST",
                web::post().to(payconiq_callback),
            ))
            // A path nobody serves: the API's JSON error, not an empty body.
            .default_service(web::to(|| async { PayError::NotFound.error_response() }));
        match governor {
            Some(g) => {
                cfg.service(
                    web::scope("/p")
                        .wrap(Governor::new(&g))
                        .service(only("/{token}", "GET", web::get().to(customer_page)))
                        .service(only("/{token}/confirm", "POST", web::post().to(confirm))),
                );
            }
            None => {
                cfg.service(
                    web::scope("/p")
                        .service(only("/{token}", "GET", web::get().to(customer_page)))
                        .service(only("/{token}/confirm", "POST", web::post().to(confirm))),
                );
            }
        }
    }
}

/// A running server: its address and a handle to stop it.
pub struct RunningServer {
    pub addr: std::net::SocketAddr,
    pub handle: actix_web::dev::ServerHandle,
    pub state: web::Data<PayState>,
}

/// Binds and starts the server on the current actix System (`workers` threads). The second
/// value is the server to spawn or await: it ends when the server stops
/// (`RunningServer::handle`), and takes the background tasks with it.
pub async fn start(
    listener: TcpListener,
    store: AnyIntentStore,
    mut options: PayServerOptions,
    clock: SharedClock,
    workers: usize,
) -> Result<
    (
        RunningServer,
        impl std::future::Future<Output = std::io::Result<()>> + Send + 'static,
    ),
    std::io::Error,
> {
    let addr = listener.local_addr()?;
    if options.public_url.is_empty() {
        options.public_url = format!("http://{addr}");
    }
    let options_signals = options.handle_signals;
    let state = state(store, options, clock)
        .await
        .map_err(std::io::Error::other)?;
    let background = spawn_background(state.clone());
    let config = configure(state.clone());
    let mut server = HttpServer::new(move || {
        App::new()
            .wrap(actix_web::middleware::from_fn(client_addr::access_log))
            .configure(config.clone())
    });
    if !options_signals {
        server = server.disable_signals();
    }
    let server = server
        .workers(workers.max(1))
        // Without it the first server-sent event waits for the till's delayed ACK (40 ms).
        .tcp_nodelay(true)
        .listen(listener)?
        .run();
    let handle = server.handle();
    // Stopped, the server takes its background tasks with it: otherwise they poll a database
    // nobody serves until the System ends (and fail once it is gone).
    let server = async move {
        let stopped = server.await;
        for task in background {
            task.abort();
        }
        stopped
    };
    Ok((
        RunningServer {
            addr,
            handle,
            state: state.clone(),
        },
        server,
    ))
}

impl PayState {
    /// A shared handle to the store (CLI `till add|list|revoke` and tests).
    pub fn store(&self) -> &AnyIntentStore {
        &self.store
    }
}

/// `Arc` so the state can be shared outside actix too.
pub type SharedPayState = Arc<PayState>;
