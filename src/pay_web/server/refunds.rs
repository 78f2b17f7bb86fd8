//! Refunds through the provider: `POST /api/v1/intents/{id}/refunds` and
//! `GET /api/v1/intents/{id}/refunds/{refund_id}` (till-signed), and the poller's share of the
//! work.
//!
//! Money is never given back twice: the till's `refund_id` (a UUID) is the idempotency key here
//! (primary key of `provider_refunds`) and at Payconiq (`Idempotency-Key`), the refund is
//! recorded as `requested` *before* the provider is called, and the sum of an intent's refunds
//! (failed ones aside) is checked against what was paid in the same transaction that records it.
//! A provider that is down leaves the refund `requested`: the till is told so (it is on its way,
//! not failed), and the poller asks again with the same key until the provider answers — after a
//! pay-server restart too. A refusal (bad key, refused by Payconiq) makes it `failed`, final; the
//! till may then try again under a new id.
//!
//! Any till registered on this pay-server may refund any paid intent: a return is often made at
//! another till than the sale's. The refund records which till asked.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::{PayError, PayState, RawBody, authenticate, read_body};
#[allow(unused_imports)] // named by the OpenAPI annotations
use crate::pay_web::api::{ApiError, RefundView};
use crate::pay_web::api::{CreateRefund, RefundStatus};
use crate::pay_web::provider::ProviderError;
use crate::pay_web::provider::payconiq::Payconiq;
use crate::pay_web::store::{IntentStore, NewRefund, ProviderPayment, RefundOutcome, RefundRecord};

/// How long after its last attempt an open refund is asked again.
pub const REFUND_RETRY_MS: i64 = 2_000;

fn refused(status: StatusCode, code: &'static str, message: impl Into<String>) -> PayError {
    PayError::Refused {
        status,
        code,
        message: message.into(),
    }
}

/// The provider payment a refund goes through, or why there is none.
async fn provider_of<'a>(
    state: &'a PayState,
    intent_id: &str,
) -> Result<(&'a Payconiq, ProviderPayment), PayError> {
    let not_refundable = || {
        refused(
            StatusCode::CONFLICT,
            "not_refundable",
            "this payment was not taken by a payment provider: give the money back in cash",
        )
    };
    let pq = state.payconiq.as_ref().ok_or_else(not_refundable)?;
    let p = state
        .store
        .provider_payment(intent_id)
        .await?
        .ok_or_else(not_refundable)?;
    Ok((pq, p))
}

/// Sends a `requested` refund to the provider (again: same idempotency key, same refund), or
/// asks where a `pending` one stands; records the answer. A provider that is down changes
/// nothing (asked again later).
pub(super) async fn advance(
    state: &PayState,
    pq: &Payconiq,
    p: &ProviderPayment,
    rec: RefundRecord,
) -> Result<RefundRecord, PayError> {
    let answer = match (rec.status, &rec.provider_refund_id) {
        (RefundStatus::Requested, _) => {
            pq.api
                .refund(
                    &p.provider_ref,
                    rec.amount_cents,
                    &rec.refund_id,
                    &rec.description,
                )
                .await
        }
        (RefundStatus::Pending, Some(pid)) => pq.api.refund_status(&p.provider_ref, pid).await,
        _ => return Ok(rec),
    };
    let now = state.now_ms();
    let moved = match answer {
        Ok(r) => {
            state
                .store
                .refund_moved(
                    &rec.refund_id,
                    r.refund_status(),
                    Some(&r.refund_id),
                    None,
                    now,
                )
                .await?
        }
        Err(e @ (ProviderError::Down(_) | ProviderError::RateLimited)) => {
            tracing::warn!(refund = %rec.refund_id, error = %e, "refund: provider unavailable, asked again later");
            return Ok(rec);
        }
        Err(e) => {
            tracing::error!(refund = %rec.refund_id, payment = %p.provider_ref, error = %e, "refund refused by the provider");
            state
                .store
                .refund_moved(
                    &rec.refund_id,
                    RefundStatus::Failed,
                    None,
                    Some(e.code()),
                    now,
                )
                .await?
        }
    };
    Ok(moved.unwrap_or(rec))
}

#[utoipa::path(post, path = "/api/v1/intents/{id}/refunds", params(("id" = uuid::Uuid, Path, description = "intent id")),
    request_body = CreateRefund, security(("till" = [], "tillSignature" = [])),
    responses((status = 201, body = RefundView, description = "recorded (its status says whether the provider has it yet)"),
              (status = 200, body = RefundView, description = "the same refund again"),
              (status = 400, body = ApiError, description = "not JSON, or a field breaks its declared rule"),
              (status = 401, body = ApiError), (status = 404, body = ApiError, description = "no such intent"),
              (status = 409, body = ApiError, description = "`not_paid`, `not_refundable` (no provider took this payment), or `conflict`: refund_id reused for another refund"),
              (status = 413, body = ApiError, description = "body over 64 KiB"),
              (status = 422, body = ApiError, description = "`refund_exceeds_payment`: more than what is left to refund"),
              (status = 503, body = ApiError)))]
pub(super) async fn create_refund(
    req: HttpRequest,
    path: web::Path<String>,
    body: RawBody,
    state: web::Data<PayState>,
) -> Result<HttpResponse, PayError> {
    let body = read_body(body)?;
    let till_id = authenticate(&req, &body, &state).await?;
    let request: CreateRefund =
        serde_json::from_slice(&body).map_err(|e| PayError::BadRequest(e.to_string()))?;
    let (refund_id, amount_cents, description) = request.validate()?;
    let intent_id = path.into_inner();
    if state.store.by_id(&intent_id).await?.is_none() {
        return Err(PayError::NotFound);
    }
    let (pq, p) = provider_of(&state, &intent_id).await?;
    let new = NewRefund {
        refund_id: refund_id.to_string(),
        intent_id,
        till_id,
        amount_cents,
        description,
    };
    let (rec, created) = match state.store.create_refund(&new, state.now_ms()).await? {
        RefundOutcome::Recorded(rec, created) => (rec, created),
        RefundOutcome::UnknownIntent => return Err(PayError::NotFound),
        RefundOutcome::NotPaid(status) => {
            return Err(refused(
                StatusCode::CONFLICT,
                "not_paid",
                format!("the intent is {}: nothing to refund", status.as_str()),
            ));
        }
        RefundOutcome::Exceeds { refundable } => {
            return Err(refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                "refund_exceeds_payment",
                format!("at most {refundable} cents of this payment can still be refunded"),
            ));
        }
        RefundOutcome::Conflict => {
            return Err(refused(
                StatusCode::CONFLICT,
                "conflict",
                "this refund_id is already used for another refund",
            ));
        }
    };
    let rec = advance(&state, pq, &p, rec).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(HttpResponse::build(status).json(rec.view()))
}

#[utoipa::path(get, path = "/api/v1/intents/{id}/refunds/{refund_id}",
    params(("id" = uuid::Uuid, Path, description = "intent id"), ("refund_id" = uuid::Uuid, Path, description = "the till's refund id")),
    security(("till" = [], "tillSignature" = [])),
    responses((status = 200, body = RefundView), (status = 401, body = ApiError),
              (status = 404, body = ApiError, description = "no such refund of this intent"),
              (status = 409, body = ApiError, description = "`not_refundable`: this server has no provider any more to ask"),
              (status = 503, body = ApiError)))]
pub(super) async fn get_refund(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    state: web::Data<PayState>,
) -> Result<HttpResponse, PayError> {
    authenticate(&req, b"", &state).await?;
    let (intent_id, refund_id) = path.into_inner();
    let rec = state
        .store
        .refund(&refund_id)
        .await?
        .filter(|r| r.intent_id == intent_id)
        .ok_or(PayError::NotFound)?;
    let rec = if rec.status.is_final() {
        rec
    } else {
        let (pq, p) = provider_of(&state, &intent_id).await?;
        advance(&state, pq, &p, rec).await?
    };
    Ok(HttpResponse::Ok().json(rec.view()))
}

/// The poller's share: every open refund asked again at most every [`REFUND_RETRY_MS`].
pub(super) async fn poll_open(
    state: &PayState,
    asked: &mut std::collections::HashMap<String, i64>,
) {
    let Some(pq) = &state.payconiq else { return };
    let open = match state.store.open_refunds(100).await {
        Ok(o) => o,
        Err(e) => {
            tracing::warn!(error = %e, "refund poll: the store failed");
            return;
        }
    };
    let now = state.now_ms();
    asked.retain(|id, _| open.iter().any(|r| &r.refund_id == id));
    for rec in open {
        let last = asked.get(&rec.refund_id).copied().unwrap_or(rec.updated_at);
        if now - last < REFUND_RETRY_MS {
            continue;
        }
        asked.insert(rec.refund_id.clone(), now);
        let p = match state.store.provider_payment(&rec.intent_id).await {
            Ok(Some(p)) => p,
            Ok(None) => continue,
            Err(e) => {
                tracing::warn!(error = %e, "refund poll: the store failed");
                return;
            }
        };
        if let Err(e) = advance(state, pq, &p, rec).await {
            tracing::warn!(error = %e, "refund poll: not applied");
        }
    }
}
