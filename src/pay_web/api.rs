//! The HTTP API's types, shared by the server and the till's client, and their validation
//! (parse, don't validate: a handler only sees a [`NewIntent`] that is valid).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where an intent stands. Only `pending` moves, and only once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IntentStatus {
    Pending,
    Paid,
    Cancelled,
    Expired,
}

impl IntentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            IntentStatus::Pending => "pending",
            IntentStatus::Paid => "paid",
            IntentStatus::Cancelled => "cancelled",
            IntentStatus::Expired => "expired",
        }
    }
    pub fn parse(s: &str) -> Option<IntentStatus> {
        match s {
            "pending" => Some(IntentStatus::Pending),
            "paid" => Some(IntentStatus::Paid),
            "cancelled" => Some(IntentStatus::Cancelled),
            "expired" => Some(IntentStatus::Expired),
            _ => None,
        }
    }
    pub fn is_final(self) -> bool {
        self != IntentStatus::Pending
    }
}

/// One line as the customer's page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct IntentLine {
    pub name: String,
    pub qty: i64,
    pub total_cents: i64,
}

/// `POST /api/v1/intents` (till-signed). Creating the same `intent_id` again with the same body
/// returns the existing intent; with another body it is refused (409).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CreateIntent {
    /// UUID made by the till: the idempotency key.
    pub intent_id: String,
    pub amount_cents: i64,
    /// `main` or `sub`.
    pub account: String,
    pub seller: String,
    pub shop_name: String,
    pub lines: Vec<IntentLine>,
}

/// An intent as the till sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct IntentView {
    pub intent_id: String,
    pub till_id: String,
    pub status: IntentStatus,
    pub amount_cents: i64,
    pub account: String,
    /// The customer's page: what the QR code holds.
    pub pay_url: String,
    /// Unix milliseconds.
    pub expires_at: i64,
    pub paid_at: Option<i64>,
    /// The provider's payment id (Payconiq's `paymentId`), when a provider takes the payment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_ref: Option<String>,
    /// Why the provider did not take it: `expired`, `failed`, `authorization_failed` or
    /// `cancelled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One state change, as sent on the events stream (`id:` is `seq`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct IntentEvent {
    pub seq: i64,
    pub intent_id: String,
    pub status: IntentStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ApiError {
    pub error: String,
    pub message: String,
}

/// Where a refund through the provider stands. `requested`: recorded here, the provider not
/// (yet) sure to have it — the server asks again with the same idempotency key until it answers;
/// `pending`: the provider took it; `succeeded` and `failed` are final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RefundStatus {
    Requested,
    Pending,
    Succeeded,
    Failed,
}

impl RefundStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RefundStatus::Requested => "requested",
            RefundStatus::Pending => "pending",
            RefundStatus::Succeeded => "succeeded",
            RefundStatus::Failed => "failed",
        }
    }
    pub fn parse(s: &str) -> Option<RefundStatus> {
        match s {
            "requested" => Some(RefundStatus::Requested),
            "pending" => Some(RefundStatus::Pending),
            "succeeded" => Some(RefundStatus::Succeeded),
            "failed" => Some(RefundStatus::Failed),
            _ => None,
        }
    }
    pub fn is_final(self) -> bool {
        matches!(self, RefundStatus::Succeeded | RefundStatus::Failed)
    }
}

/// `POST /api/v1/intents/{id}/refunds` (till-signed): give back (part of) a paid intent through
/// its provider. The same `refund_id` again is the same refund.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CreateRefund {
    /// UUID made by the till: the idempotency key, here and at the provider.
    pub refund_id: String,
    pub amount_cents: i64,
    /// Shown in the customer's banking app (e.g. "Retour ticket 12").
    #[serde(default)]
    pub description: String,
}

impl CreateRefund {
    /// The refund id as a UUID, the amount in range, the description printable.
    pub fn validate(&self) -> Result<(uuid::Uuid, i64, String), InvalidIntent> {
        let id = uuid::Uuid::parse_str(&self.refund_id)
            .map_err(|_| InvalidIntent("refund_id is not a UUID".into()))?;
        if !(1..=MAX_AMOUNT_CENTS).contains(&self.amount_cents) {
            return Err(InvalidIntent("amount_cents must be 1 to 100000000".into()));
        }
        Ok((
            id,
            self.amount_cents,
            short_text("description", &self.description, 140)?,
        ))
    }
}

/// A refund as the till sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RefundView {
    pub refund_id: String,
    pub intent_id: String,
    pub amount_cents: i64,
    pub status: RefundStatus,
    /// The provider's own refund id, once it gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_refund_id: Option<String>,
    /// Why it failed: the provider's error code (`provider_refused`, `provider_bad_api_key`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A validated creation request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIntent {
    pub id: uuid::Uuid,
    pub amount_cents: i64,
    pub account: String,
    pub seller: String,
    pub shop_name: String,
    pub lines: Vec<IntentLine>,
}

pub const MAX_LINES: usize = 200;
/// 1 000 000,00 €: the largest amount a till may ask for.
pub const MAX_AMOUNT_CENTS: i64 = 100_000_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidIntent(pub String);

fn short_text(what: &str, s: &str, max: usize) -> Result<String, InvalidIntent> {
    let t = s.trim();
    if t.chars().count() > max || t.chars().any(char::is_control) {
        return Err(InvalidIntent(format!(
            "{what} must be at most {max} printable characters"
        )));
    }
    Ok(t.to_owned())
}

impl CreateIntent {
    pub fn validate(&self) -> Result<NewIntent, InvalidIntent> {
        let id = uuid::Uuid::parse_str(&self.intent_id)
            .map_err(|_| InvalidIntent("intent_id is not a UUID".into()))?;
        if !(1..=MAX_AMOUNT_CENTS).contains(&self.amount_cents) {
            return Err(InvalidIntent("amount_cents must be 1 to 100000000".into()));
        }
        if !matches!(self.account.as_str(), "main" | "sub") {
            return Err(InvalidIntent("account must be main or sub".into()));
        }
        if self.lines.is_empty() || self.lines.len() > MAX_LINES {
            return Err(InvalidIntent(format!("1 to {MAX_LINES} lines")));
        }
        let mut lines = Vec::with_capacity(self.lines.len());
        let mut sum: i64 = 0;
        for l in &self.lines {
            let name = short_text("a line's name", &l.name, 80)?;
            if name.is_empty()
                || !(1..=999).contains(&l.qty)
                || !(0..=MAX_AMOUNT_CENTS).contains(&l.total_cents)
            {
                return Err(InvalidIntent(
                    "each line needs a name, a quantity 1-999 and a total".into(),
                ));
            }
            sum = sum
                .checked_add(l.total_cents)
                .ok_or_else(|| InvalidIntent("overflow".into()))?;
            lines.push(IntentLine {
                name,
                qty: l.qty,
                total_cents: l.total_cents,
            });
        }
        if sum != self.amount_cents {
            return Err(InvalidIntent(format!(
                "the lines add up to {sum}, not {}",
                self.amount_cents
            )));
        }
        Ok(NewIntent {
            id,
            amount_cents: self.amount_cents,
            account: self.account.clone(),
            seller: short_text("seller", &self.seller, 40)?,
            shop_name: short_text("shop_name", &self.shop_name, 80)?,
            lines,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req() -> CreateIntent {
        CreateIntent {
            intent_id: uuid::Uuid::now_v7().to_string(),
            amount_cents: 370,
            account: "main".into(),
            seller: "Khadija".into(),
            shop_name: "KACHING".into(),
            lines: vec![
                IntentLine {
                    name: "Pain au chocolat".into(),
                    qty: 1,
                    total_cents: 120,
                },
                IntentLine {
                    name: "Café".into(),
                    qty: 1,
                    total_cents: 250,
                },
            ],
        }
    }

    #[test]
    fn a_consistent_request_validates() {
        assert_eq!(req().validate().unwrap().amount_cents, 370);
    }

    #[test]
    fn amounts_must_add_up_and_fields_be_sane() {
        let mut r = req();
        r.amount_cents = 1;
        assert!(r.validate().is_err());
        let mut r = req();
        r.intent_id = "x".into();
        assert!(r.validate().is_err());
        let mut r = req();
        r.account = "both".into();
        assert!(r.validate().is_err());
        let mut r = req();
        r.lines[0].qty = 0;
        assert!(r.validate().is_err());
        let mut r = req();
        r.seller = "a\u{7}".into();
        assert!(r.validate().is_err());
        let mut r = req();
        r.lines.clear();
        r.amount_cents = 0;
        assert!(r.validate().is_err());
    }

    #[test]
    fn a_refund_needs_a_uuid_an_amount_and_a_printable_description() {
        let ok = CreateRefund {
            refund_id: uuid::Uuid::now_v7().to_string(),
            amount_cents: 120,
            description: " Retour ticket 12 ".into(),
        };
        assert_eq!(ok.validate().unwrap().2, "Retour ticket 12");
        for bad in [
            CreateRefund {
                refund_id: "r-1".into(),
                ..ok.clone()
            },
            CreateRefund {
                amount_cents: 0,
                ..ok.clone()
            },
            CreateRefund {
                amount_cents: -5,
                ..ok.clone()
            },
            CreateRefund {
                amount_cents: MAX_AMOUNT_CENTS + 1,
                ..ok.clone()
            },
            CreateRefund {
                description: "a\u{0}b".into(),
                ..ok.clone()
            },
        ] {
            assert!(bad.validate().is_err(), "{bad:?}");
        }
    }
}
