//! Payment providers: what proves that money moved (DESIGN.md section 5). The pay-server holds
//! the merchant's credentials (never the tills), asks its provider to create a payment for each
//! intent, follows it (signed callbacks on a public route, polling when a callback is late) and
//! relays the state to the till over the existing event stream.
//!
//! - [`Provider::Manual`]: the customer page's « Valider le paiement » button. Nothing proves a
//!   payment with it: it exists for the demo and the tests, and the pay-server's start-up and
//!   `kaching doctor` say so.
//! - [`Provider::Payconiq`]: Payconiq by Bancontact, merchant API v3 ([`payconiq`]).
//!
//! The provider's states are mapped onto the intent's own (pending → paid | cancelled |
//! expired) by [`ProviderStatus::intent_status`]; the provider's word for *why* a payment did
//! not go through (expired, failed, authorization failed, cancelled) travels with it as a
//! [`ProviderStatus`] so the till can tell the cashier in their language.

pub mod payconiq;

use super::api::IntentStatus;

/// Which provider a pay-server uses (`pay_server.provider`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderKind {
    Manual,
    Payconiq,
}

impl ProviderKind {
    pub fn parse(s: &str) -> Option<ProviderKind> {
        match s.trim() {
            "" | "manual" => Some(ProviderKind::Manual),
            "payconiq" => Some(ProviderKind::Payconiq),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::Manual => "manual",
            ProviderKind::Payconiq => "payconiq",
        }
    }
}

/// A payment's state as its provider names it (Payconiq's statuses; the manual provider only
/// ever knows pending, succeeded and cancelled).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProviderStatus {
    Pending,
    Identified,
    Authorized,
    AuthorizationFailed,
    Succeeded,
    Failed,
    Cancelled,
    Expired,
}

impl ProviderStatus {
    pub fn parse(s: &str) -> Option<ProviderStatus> {
        Some(match s {
            "PENDING" => ProviderStatus::Pending,
            "IDENTIFIED" => ProviderStatus::Identified,
            "AUTHORIZED" => ProviderStatus::Authorized,
            "AUTHORIZATION_FAILED" => ProviderStatus::AuthorizationFailed,
            "SUCCEEDED" => ProviderStatus::Succeeded,
            "FAILED" => ProviderStatus::Failed,
            "CANCELLED" => ProviderStatus::Cancelled,
            "EXPIRED" => ProviderStatus::Expired,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ProviderStatus::Pending => "PENDING",
            ProviderStatus::Identified => "IDENTIFIED",
            ProviderStatus::Authorized => "AUTHORIZED",
            ProviderStatus::AuthorizationFailed => "AUTHORIZATION_FAILED",
            ProviderStatus::Succeeded => "SUCCEEDED",
            ProviderStatus::Failed => "FAILED",
            ProviderStatus::Cancelled => "CANCELLED",
            ProviderStatus::Expired => "EXPIRED",
        }
    }

    /// What the intent becomes: SUCCEEDED is paid; the four ways of not paying end the intent
    /// (cancelled, or expired for EXPIRED); the rest leave it pending.
    pub fn intent_status(self) -> IntentStatus {
        match self {
            ProviderStatus::Pending | ProviderStatus::Identified | ProviderStatus::Authorized => {
                IntentStatus::Pending
            }
            ProviderStatus::Succeeded => IntentStatus::Paid,
            ProviderStatus::Expired => IntentStatus::Expired,
            ProviderStatus::AuthorizationFailed
            | ProviderStatus::Failed
            | ProviderStatus::Cancelled => IntentStatus::Cancelled,
        }
    }

    /// The reason a payment did not go through, as the till's `payment_cancelled` carries it.
    pub fn reason(self) -> Option<&'static str> {
        match self {
            ProviderStatus::Expired => Some("expired"),
            ProviderStatus::Failed => Some("failed"),
            ProviderStatus::AuthorizationFailed => Some("authorization_failed"),
            ProviderStatus::Cancelled => Some("cancelled"),
            _ => None,
        }
    }

    /// States only move forward: a late PENDING after SUCCEEDED changes nothing.
    pub fn is_final(self) -> bool {
        self.intent_status().is_final()
    }
}

/// Why a provider call failed, as the cashier is told (never a stack of HTTP codes).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// 401/403: the API key is wrong or revoked.
    #[error("the provider refused the API key")]
    BadApiKey,
    /// The payment profile id is not this merchant's (or not active).
    #[error("the provider does not know the payment profile")]
    UnknownProfile,
    /// 429.
    #[error("the provider is rate limiting us")]
    RateLimited,
    /// Network trouble, a timeout, a 5xx: take cash.
    #[error("the provider cannot be reached: {0}")]
    Down(String),
    /// 422 on cancel: the payment can no longer be cancelled (it was paid, or is final).
    #[error("the payment can no longer be cancelled")]
    NotCancellable,
    /// 404 on a payment we created: unknown to the provider.
    #[error("the provider does not know this payment")]
    UnknownPayment,
    /// The provider answered something we cannot read, or refused the request.
    #[error("the provider refused: {0}")]
    Refused(String),
}

impl ProviderError {
    /// The error code the till receives (`error` in the API's error body); the till turns it
    /// into a sentence in the cashier's language.
    pub fn code(&self) -> &'static str {
        match self {
            ProviderError::BadApiKey => "provider_bad_api_key",
            ProviderError::UnknownProfile => "provider_unknown_profile",
            ProviderError::RateLimited => "provider_rate_limited",
            ProviderError::Down(_) => "provider_down",
            ProviderError::NotCancellable => "provider_not_cancellable",
            ProviderError::UnknownPayment => "provider_unknown_payment",
            ProviderError::Refused(_) => "provider_refused",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_succeeded_pays_and_the_four_failures_end_the_intent_with_their_reason() {
        use ProviderStatus::*;
        for s in [
            Pending,
            Identified,
            Authorized,
            AuthorizationFailed,
            Succeeded,
            Failed,
            Cancelled,
            Expired,
        ] {
            assert_eq!(ProviderStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(Succeeded.intent_status(), IntentStatus::Paid);
        assert_eq!(Identified.intent_status(), IntentStatus::Pending);
        assert_eq!(Expired.intent_status(), IntentStatus::Expired);
        assert_eq!(AuthorizationFailed.reason(), Some("authorization_failed"));
        assert_eq!(Failed.intent_status(), IntentStatus::Cancelled);
        assert_eq!(Succeeded.reason(), None);
        assert!(ProviderStatus::parse("succeeded").is_none());
        assert_eq!(ProviderKind::parse(""), Some(ProviderKind::Manual));
        assert_eq!(ProviderKind::parse("stripe"), None);
    }
}
