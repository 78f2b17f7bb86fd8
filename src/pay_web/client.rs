//! The till's typed client for the payment server: every request signed, every call bounded by
//! a timeout and retried with exponential backoff and jitter when the failure is worth a retry
//! (network, 5xx, 429) — never when it is not (4xx). The till learns the server's clock offset
//! from the `Date` header, so a Pi that booted with a stale clock still signs acceptable
//! timestamps.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use backon::{ExponentialBuilder, Retryable};
use futures_util::{Stream, StreamExt};
use reqwest::{Method, StatusCode};

use crate::clock::SharedClock;
use crate::secrets::Secret;

use serde::de::DeserializeOwned;

use super::api::{ApiError, CreateIntent, CreateRefund, IntentView, RefundView};
use super::sign::{SIGNATURE_HEADER, TILL_HEADER, signature_header};

pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// An event stream with no byte for this long (keep-alives come every 10 s) is dead.
pub const STREAM_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// Network trouble or a timeout: try again later.
    #[error("payment server unreachable: {0}")]
    Retryable(String),
    /// The server answered that it cannot serve now (5xx, 429, 408): try again later. `code`
    /// is its [`ApiError`] code when it sent one (e.g. `provider_down`).
    #[error("payment server unreachable: {status} {message}")]
    Unavailable {
        status: u16,
        code: Option<String>,
        message: String,
    },
    /// The server refused the request (bad request, bad signature, unknown intent). `message`
    /// is the answer's body, `code` its [`ApiError`] code when it is one.
    #[error("payment server refused: {status} {message}")]
    Refused {
        status: u16,
        code: Option<String>,
        message: String,
    },
}

impl ClientError {
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            ClientError::Retryable(_) | ClientError::Unavailable { .. }
        )
    }

    /// The server's error code ([`ApiError::error`]), when it answered with one.
    pub fn code(&self) -> Option<&str> {
        match self {
            ClientError::Retryable(_) => None,
            ClientError::Unavailable { code, .. } | ClientError::Refused { code, .. } => {
                code.as_deref()
            }
        }
    }

    /// The error an HTTP answer that is not a success stands for.
    fn from_answer(status: StatusCode, body: String) -> ClientError {
        let code = serde_json::from_str::<ApiError>(&body)
            .ok()
            .map(|e| e.error);
        if status.is_server_error()
            || status == StatusCode::TOO_MANY_REQUESTS
            || status == StatusCode::REQUEST_TIMEOUT
        {
            ClientError::Unavailable {
                status: status.as_u16(),
                code,
                message: body,
            }
        } else {
            ClientError::Refused {
                status: status.as_u16(),
                code,
                message: body,
            }
        }
    }

    fn unsendable(e: impl std::fmt::Display) -> ClientError {
        ClientError::Refused {
            status: 0,
            code: None,
            message: e.to_string(),
        }
    }
}

#[derive(Clone)]
pub struct PayClient {
    inner: Arc<Inner>,
}

struct Inner {
    base: String,
    till_id: String,
    secret: Secret,
    http: reqwest::Client,
    stream_http: reqwest::Client,
    clock: SharedClock,
    /// Server time minus our time, in seconds, from the last `Date` header.
    offset: AtomicI64,
}

fn net(e: reqwest::Error) -> ClientError {
    ClientError::Retryable(e.to_string())
}

impl PayClient {
    pub fn new(
        base_url: &str,
        till_id: &str,
        secret: Secret,
        clock: SharedClock,
    ) -> Result<PayClient, ClientError> {
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(net)?;
        let stream_http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .read_timeout(STREAM_IDLE_TIMEOUT)
            .build()
            .map_err(net)?;
        Ok(PayClient {
            inner: Arc::new(Inner {
                base: base_url.trim_end_matches('/').to_owned(),
                till_id: till_id.to_owned(),
                secret,
                http,
                stream_http,
                clock,
                offset: AtomicI64::new(0),
            }),
        })
    }

    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    fn learn_clock(&self, resp: &reqwest::Response) {
        let Some(date) = resp
            .headers()
            .get(reqwest::header::DATE)
            .and_then(|d| d.to_str().ok())
        else {
            return;
        };
        if let Ok(server) = chrono::DateTime::parse_from_rfc2822(date) {
            // The header is the server's to say: checked, though chrono's range keeps it small.
            let Some(offset) = server
                .timestamp()
                .checked_sub(self.inner.clock.now().timestamp())
            else {
                return;
            };
            self.inner.offset.store(offset, Ordering::Relaxed);
        }
    }

    fn request(
        &self,
        client: &reqwest::Client,
        method: Method,
        path: &str,
        body: Vec<u8>,
    ) -> reqwest::RequestBuilder {
        let t = self
            .inner
            .clock
            .now()
            .timestamp()
            .saturating_add(self.inner.offset.load(Ordering::Relaxed));
        let sig = signature_header(
            self.inner.secret.expose().as_bytes(),
            t,
            method.as_str(),
            path,
            &body,
        );
        let mut rb = client
            .request(method, format!("{}{path}", self.inner.base))
            .header(TILL_HEADER, &self.inner.till_id)
            .header(SIGNATURE_HEADER, sig);
        if !body.is_empty() {
            rb = rb
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body);
        }
        rb
    }

    async fn call_once<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Vec<u8>,
    ) -> Result<T, ClientError> {
        let resp = self
            .request(&self.inner.http, method, path, body)
            .send()
            .await
            .map_err(net)?;
        self.learn_clock(&resp);
        let status = resp.status();
        if status.is_success() {
            return resp.json::<T>().await.map_err(net);
        }
        let message = resp.text().await.unwrap_or_default();
        Err(ClientError::from_answer(status, message))
    }

    /// Calls with retries. A 401 right after the clock offset moved is retried once too: the
    /// first request taught us the server's time.
    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Vec<u8>,
    ) -> Result<T, ClientError> {
        let backoff = ExponentialBuilder::default()
            .with_jitter()
            .with_min_delay(Duration::from_millis(200))
            .with_max_delay(Duration::from_secs(2))
            .with_max_times(3);
        let before = self.inner.offset.load(Ordering::Relaxed);
        let attempt = || self.call_once(method.clone(), path, body.clone());
        let r = attempt.retry(backoff).when(ClientError::is_retryable).await;
        match r {
            Err(ClientError::Refused { status: 401, .. })
                if self.inner.offset.load(Ordering::Relaxed).abs_diff(before) > 60 =>
            {
                self.call_once(method, path, body).await
            }
            other => other,
        }
    }

    /// Creates the intent (idempotent: retrying the same request returns the same intent).
    pub async fn create(&self, req: &CreateIntent) -> Result<IntentView, ClientError> {
        let body = serde_json::to_vec(req).map_err(ClientError::unsendable)?;
        self.call(Method::POST, "/api/v1/intents", body).await
    }

    pub async fn get(&self, id: &str) -> Result<IntentView, ClientError> {
        self.call(Method::GET, &format!("/api/v1/intents/{id}"), Vec::new())
            .await
    }

    pub async fn cancel(&self, id: &str) -> Result<IntentView, ClientError> {
        self.call(
            Method::POST,
            &format!("/api/v1/intents/{id}/cancel"),
            Vec::new(),
        )
        .await
    }

    /// Refunds (part of) a paid intent through its provider. Idempotent: the same `refund_id`
    /// again is the same refund, never a second one — so a refund whose answer was lost is
    /// asked again with the same id.
    pub async fn refund(
        &self,
        intent_id: &str,
        req: &CreateRefund,
    ) -> Result<RefundView, ClientError> {
        let body = serde_json::to_vec(req).map_err(ClientError::unsendable)?;
        self.call(
            Method::POST,
            &format!("/api/v1/intents/{intent_id}/refunds"),
            body,
        )
        .await
    }

    /// Where a refund stands (the server asks the provider when it is not final yet).
    pub async fn refund_status(
        &self,
        intent_id: &str,
        refund_id: &str,
    ) -> Result<RefundView, ClientError> {
        self.call(
            Method::GET,
            &format!("/api/v1/intents/{intent_id}/refunds/{refund_id}"),
            Vec::new(),
        )
        .await
    }

    /// The intent's state changes as a stream (the current state first). The stream ends when
    /// the connection does; the caller reconnects (and so re-reads the state).
    pub async fn events(
        &self,
        id: &str,
    ) -> Result<impl Stream<Item = Result<IntentView, ClientError>> + use<>, ClientError> {
        let resp = self
            .request(
                &self.inner.stream_http,
                Method::GET,
                &format!("/api/v1/intents/{id}/events"),
                Vec::new(),
            )
            .header(reqwest::header::ACCEPT, "text/event-stream")
            .send()
            .await
            .map_err(net)?;
        self.learn_clock(&resp);
        let status = resp.status();
        if !status.is_success() {
            let message = resp.text().await.unwrap_or_default();
            return Err(ClientError::from_answer(status, message));
        }
        use eventsource_stream::Eventsource;
        Ok(resp
            .bytes_stream()
            .eventsource()
            .filter_map(|ev| async move {
                match ev {
                    Ok(ev) if ev.event == "status" => Some(
                        serde_json::from_str::<IntentView>(&ev.data)
                            .map_err(|e| ClientError::Retryable(e.to_string())),
                    ),
                    Ok(_) => None,
                    Err(e) => Some(Err(ClientError::Retryable(e.to_string()))),
                }
            }))
    }
}
