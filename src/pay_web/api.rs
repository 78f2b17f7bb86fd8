//! The HTTP API's types, shared by the server and the till's client, and their validation
//! (parse, don't validate: a handler only sees a [`NewIntent`] that is valid).
//!
//! The OpenAPI document is derived from these types, so each rule the server checks is written
//! once here and declared beside its field (`format`, `pattern`, `minimum`, `maxLength`…): the
//! document and [`CreateIntent::validate`] must agree, and tests/schemathesis.rs checks that they
//! do by sending generated requests to a real server. What JSON Schema cannot say — the lines
//! adding up to the amount — is refused with 422 `amount_mismatch`, not 400 (see
//! docs/DECISIONS.md, "The OpenAPI contract"). Request bodies refuse unknown fields: a misspelt
//! optional field (`descripton`) would otherwise be dropped without a word.

use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

/// An integer field of a request, as JSON Schema counts integers: `27.0` and `2.7e1` are the
/// integer 27 (OpenAPI 3.1 is JSON Schema 2020-12), which serde's `i64` refuses. A number with
/// a fraction is still refused, and so is one past ±2^53, where a float is no longer exact
/// (every amount and quantity the API takes is far below).
fn whole_number<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    use serde::de::Error;
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    match serde_json::Number::deserialize(d)? {
        n if n.is_i64() => n.as_i64().ok_or_else(|| D::Error::custom("not an integer")),
        n => match n.as_f64() {
            #[allow(clippy::cast_possible_truncation)] // whole and within ±2^53: exact
            Some(f) if f.fract() == 0.0 && f.abs() <= EXACT => Ok(f as i64),
            _ => Err(D::Error::custom(format!("{n} is not an integer in range"))),
        },
    }
}

/// Which of the till's two baskets an intent pays (the sale's `account`). The wire type stays a
/// string in Rust (the store and the runtime keep it so); this enum is what the OpenAPI document
/// declares, and [`CreateIntent::validate`] refuses anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IntentAccount {
    Main,
    Sub,
}

/// The customer page's languages (`?lang=`), as the page's FR | NL | EN switch sends them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PageLanguage {
    Fr,
    Nl,
    En,
}

/// Why a provider did not take a payment (`IntentView.reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProviderReason {
    Expired,
    Failed,
    AuthorizationFailed,
    Cancelled,
}

/// Why a refund failed at the provider (`RefundView.reason`): the provider error's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RefundFailure {
    ProviderBadApiKey,
    ProviderUnknownProfile,
    ProviderRateLimited,
    ProviderDown,
    ProviderNotCancellable,
    ProviderUnknownPayment,
    ProviderRefused,
}

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
#[serde(deny_unknown_fields)]
pub struct IntentLine {
    /// Printable, not only white space (trimmed when stored).
    #[schema(
        min_length = 1,
        max_length = 80,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F]*[^\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\u0000-\u001F\u007F-\u009F]*$"
    )]
    pub name: String,
    #[schema(minimum = 1, maximum = 999)]
    #[serde(deserialize_with = "whole_number")]
    pub qty: i64,
    /// The line's amount in cents, discounts applied (0 for a free line).
    #[schema(minimum = 0, maximum = 100_000_000)]
    #[serde(deserialize_with = "whole_number")]
    pub total_cents: i64,
}

/// `POST /api/v1/intents` (till-signed). Creating the same `intent_id` again with the same body
/// returns the existing intent; with another body it is refused (409).
/// The amount must be the sum of the lines' `total_cents` (else 422 `amount_mismatch`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "intent_id": "0190a4d2-7c3e-7def-8a12-3456789abcde", "amount_cents": 370, "account": "main",
    "seller": "Khadija", "shop_name": "KACHING",
    "lines": [{"name": "Pain au chocolat", "qty": 1, "total_cents": 120},
              {"name": "Café", "qty": 1, "total_cents": 250}]
}))]
pub struct CreateIntent {
    /// UUID made by the till (hyphenated): the idempotency key.
    #[schema(format = Uuid)]
    pub intent_id: String,
    /// In cents: 1 to 100 000 000 (1 000 000,00 €), the sum of the lines.
    #[schema(minimum = 1, maximum = 100_000_000)]
    #[serde(deserialize_with = "whole_number")]
    pub amount_cents: i64,
    #[schema(value_type = IntentAccount)]
    pub account: String,
    /// The cashier's name, printable (may be empty).
    #[schema(max_length = 40, pattern = r"^[^\u0000-\u001F\u007F-\u009F]*$")]
    pub seller: String,
    #[schema(max_length = 80, pattern = r"^[^\u0000-\u001F\u007F-\u009F]*$")]
    pub shop_name: String,
    #[schema(min_items = 1, max_items = 200)]
    pub lines: Vec<IntentLine>,
}

/// An intent as the till sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct IntentView {
    #[schema(format = Uuid)]
    pub intent_id: String,
    #[schema(min_length = 1, max_length = 32)]
    pub till_id: String,
    pub status: IntentStatus,
    #[schema(minimum = 1, maximum = 100_000_000)]
    pub amount_cents: i64,
    #[schema(value_type = IntentAccount)]
    pub account: String,
    /// The customer's page: what the QR code holds (or the provider's payment link).
    #[schema(format = "uri")]
    pub pay_url: String,
    /// Unix milliseconds.
    #[schema(format = Int64)]
    pub expires_at: i64,
    /// Unix milliseconds; null until paid.
    #[schema(format = Int64)]
    pub paid_at: Option<i64>,
    /// The provider's payment id (Payconiq's `paymentId`), when a provider takes the payment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_ref: Option<String>,
    /// Why the provider did not take it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<ProviderReason>)]
    pub reason: Option<String>,
}

/// One state change, as sent on the events stream (`id:` is `seq`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct IntentEvent {
    pub seq: i64,
    #[schema(format = Uuid)]
    pub intent_id: String,
    pub status: IntentStatus,
}

/// Every refusal of the JSON API: a stable code for programs, a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ApiError {
    /// `bad_request`, `unauthorized`, `not_found`, `method_not_allowed`, `conflict`,
    /// `amount_mismatch`, `not_paid`, `not_refundable`, `refund_exceeds_payment`,
    /// `payload_too_large`, `unavailable`, `provider_*`…
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
#[serde(deny_unknown_fields)]
pub struct CreateRefund {
    /// UUID made by the till (hyphenated): the idempotency key, here and at the provider.
    #[schema(format = Uuid)]
    pub refund_id: String,
    #[schema(minimum = 1, maximum = 100_000_000)]
    #[serde(deserialize_with = "whole_number")]
    pub amount_cents: i64,
    /// Shown in the customer's banking app (e.g. "Retour ticket 12").
    #[serde(default)]
    #[schema(max_length = 140, pattern = r"^[^\u0000-\u001F\u007F-\u009F]*$")]
    pub description: String,
}

impl CreateRefund {
    /// The refund id as a UUID, the amount in range, the description printable.
    pub fn validate(&self) -> Result<(uuid::Uuid, i64, String), InvalidIntent> {
        let id = hyphenated_uuid("refund_id", &self.refund_id)?;
        if !(1..=MAX_AMOUNT_CENTS).contains(&self.amount_cents) {
            return Err(malformed("amount_cents must be 1 to 100000000"));
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
    #[schema(format = Uuid)]
    pub refund_id: String,
    #[schema(format = Uuid)]
    pub intent_id: String,
    #[schema(minimum = 1, maximum = 100_000_000)]
    pub amount_cents: i64,
    pub status: RefundStatus,
    /// The provider's own refund id, once it gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_refund_id: Option<String>,
    /// Why it failed: the provider's error code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<RefundFailure>)]
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

/// Why a creation or refund request is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidIntent {
    /// A rule the OpenAPI document declares is broken (400 `bad_request`).
    #[error("{0}")]
    Malformed(String),
    /// Well-formed, but the lines do not add up to the amount (422 `amount_mismatch`): the one
    /// rule JSON Schema cannot express.
    #[error("the lines add up to {sum}, not {amount}")]
    AmountMismatch { sum: i64, amount: i64 },
}

fn malformed(message: impl Into<String>) -> InvalidIntent {
    InvalidIntent::Malformed(message.into())
}

/// At most `max` characters and no control character, as sent (the document's `maxLength` and
/// `pattern` count the string as sent, white space at its ends included); stored trimmed.
fn short_text(what: &str, s: &str, max: usize) -> Result<String, InvalidIntent> {
    if s.chars().count() > max || s.chars().any(char::is_control) {
        return Err(malformed(format!(
            "{what} must be at most {max} printable characters"
        )));
    }
    Ok(s.trim().to_owned())
}

/// A UUID in its hyphenated form (`format: uuid`); `Uuid::parse_str` alone also takes the
/// simple, braced and URN forms, which the document does not declare.
fn hyphenated_uuid(what: &str, s: &str) -> Result<uuid::Uuid, InvalidIntent> {
    match uuid::Uuid::try_parse(s) {
        Ok(id) if s.len() == 36 => Ok(id),
        _ => Err(malformed(format!("{what} is not a UUID"))),
    }
}

impl CreateIntent {
    pub fn validate(&self) -> Result<NewIntent, InvalidIntent> {
        let id = hyphenated_uuid("intent_id", &self.intent_id)?;
        if !(1..=MAX_AMOUNT_CENTS).contains(&self.amount_cents) {
            return Err(malformed("amount_cents must be 1 to 100000000"));
        }
        if !matches!(self.account.as_str(), "main" | "sub") {
            return Err(malformed("account must be main or sub"));
        }
        if self.lines.is_empty() || self.lines.len() > MAX_LINES {
            return Err(malformed(format!("1 to {MAX_LINES} lines")));
        }
        // Every field is checked before the sum: a request that breaks a declared rule is a 400
        // whatever its amounts.
        let seller = short_text("seller", &self.seller, 40)?;
        let shop_name = short_text("shop_name", &self.shop_name, 80)?;
        let mut lines = Vec::with_capacity(self.lines.len());
        let mut sum: i64 = 0;
        for l in &self.lines {
            let name = short_text("a line's name", &l.name, 80)?;
            if name.is_empty()
                || !(1..=999).contains(&l.qty)
                || !(0..=MAX_AMOUNT_CENTS).contains(&l.total_cents)
            {
                return Err(malformed(
                    "each line needs a name, a quantity 1-999 and a total 0-100000000",
                ));
            }
            // At most 200 lines of at most 100 000 000: cannot overflow, checked all the same.
            sum = sum
                .checked_add(l.total_cents)
                .ok_or_else(|| malformed("overflow"))?;
            lines.push(IntentLine {
                name,
                qty: l.qty,
                total_cents: l.total_cents,
            });
        }
        if sum != self.amount_cents {
            return Err(InvalidIntent::AmountMismatch {
                sum,
                amount: self.amount_cents,
            });
        }
        Ok(NewIntent {
            id,
            amount_cents: self.amount_cents,
            account: self.account.clone(),
            seller,
            shop_name,
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
    fn the_lines_not_adding_up_is_its_own_refusal_checked_after_every_field() {
        let mut r = req();
        r.amount_cents = 371;
        assert_eq!(
            r.validate(),
            Err(InvalidIntent::AmountMismatch {
                sum: 370,
                amount: 371
            })
        );
        // A field that breaks its rule is named first, whatever the amounts.
        r.seller = "x".repeat(41);
        assert!(matches!(r.validate(), Err(InvalidIntent::Malformed(_))));
    }

    #[test]
    fn text_is_checked_as_sent_and_stored_trimmed() {
        let mut r = req();
        r.seller = "  Khadija ".into();
        assert_eq!(r.validate().unwrap().seller, "Khadija");
        // White space counts toward the length, and a control character at an end is refused
        // even though trimming would remove it: the document's maxLength and pattern say so.
        r.seller = format!("{} ", "s".repeat(40));
        assert!(r.validate().is_err());
        r.seller = "Khadija\n".into();
        assert!(r.validate().is_err());
        let mut r = req();
        r.lines[0].name = "\u{a0}\u{3000}".into();
        assert!(r.validate().is_err(), "a name of white space only");
    }

    #[test]
    fn ids_are_hyphenated_uuids_only() {
        for id in [
            "0190a4d2-7c3e-7def-8a12-3456789abcde",
            "0190A4D2-7C3E-7DEF-8A12-3456789ABCDE",
        ] {
            let r = CreateIntent {
                intent_id: id.into(),
                ..req()
            };
            assert!(r.validate().is_ok(), "{id}");
        }
        for id in [
            "0190a4d27c3e7def8a123456789abcde",
            "{0190a4d2-7c3e-7def-8a12-3456789abcde}",
            "urn:uuid:0190a4d2-7c3e-7def-8a12-3456789abcde",
        ] {
            let r = CreateIntent {
                intent_id: id.into(),
                ..req()
            };
            assert!(r.validate().is_err(), "{id}");
        }
    }

    #[test]
    fn integers_are_read_as_json_schema_counts_them() {
        let line = |qty: &str| {
            serde_json::from_str::<IntentLine>(&format!(
                r#"{{"name": "Café", "qty": {qty}, "total_cents": 250}}"#
            ))
        };
        for (text, qty) in [("2", 2), ("2.0", 2), ("2e0", 2), ("-3.0", -3)] {
            assert_eq!(line(text).unwrap().qty, qty, "{text}");
        }
        for text in [
            "2.5",
            "1e300",
            "9007199254740993.0",
            "18446744073709551615",
            "\"2\"",
        ] {
            assert!(line(text).is_err(), "{text}");
        }
        // Unknown fields are refused, not dropped.
        assert!(
            serde_json::from_str::<IntentLine>(
                r#"{"name": "Café", "qty": 1, "total_cents": 250, "vat": 6}"#
            )
            .is_err()
        );
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
