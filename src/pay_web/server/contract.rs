//! What the OpenAPI document says about every route at once, added after the annotations
//! (utoipa's `Modify`): the security schemes the till-signed routes and Payconiq's callback
//! use, the `405 Method Not Allowed` (with `Allow`) that every path answers for a method it does
//! not serve (`only` in the parent module), and the links from a created intent or refund to
//! the operations that take its id — so a client generator, or schemathesis's stateful phase,
//! knows where `id` comes from. Written once here rather than on each route, so a new route
//! cannot forget them; tests/openapi.rs checks the result. The event stream's events are
//! described here too: an annotation can only name a body type, not an event's fields.

use utoipa::Modify;
use utoipa::openapi::content::Content;
use utoipa::openapi::header::Header;
use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::path::Operation;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{Object, ObjectBuilder};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{Components, OpenApi, Ref, RefOr, Type};

use crate::pay_web::sign::{SIGNATURE_HEADER, TILL_HEADER, TOLERANCE_SECS};

pub(super) struct Contract;

impl Modify for Contract {
    fn modify(&self, doc: &mut OpenApi) {
        security_schemes(doc.components.get_or_insert_with(Components::new));
        for item in doc.paths.paths.values_mut() {
            for op in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.options,
                &mut item.head,
                &mut item.patch,
                &mut item.trace,
            ]
            .into_iter()
            .flatten()
            {
                method_not_allowed(op);
                links(op);
                event_stream(op);
            }
        }
    }
}

fn security_schemes(components: &mut Components) {
    let till = format!(
        "The till's id, as registered with `kaching pay-server till add ID` (1 to 32 bytes). \
         Goes with the `{SIGNATURE_HEADER}` header (`tillSignature`)."
    );
    let signature = format!(
        "`t=<unix seconds>,v1=<hex>` where v1 = hex(HMAC-SHA256(the till's secret, \
         t \".\" METHOD \".\" path-and-query \".\" body)): the method, the path with its query \
         string and the body exactly as sent (empty for GET). The server's clock and t may \
         differ by at most {TOLERANCE_SECS} s (the till learns the server's from `Date`); up to 4 \
         `v1` during a secret rotation. Anything else is 401."
    );
    components.add_security_scheme(
        "till",
        SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
            TILL_HEADER.to_owned(),
            till,
        ))),
    );
    components.add_security_scheme(
        "tillSignature",
        SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
            SIGNATURE_HEADER.to_owned(),
            signature,
        ))),
    );
    components.add_security_scheme(
        "payconiqSignature",
        SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
            "Signature".to_owned(),
            "Payconiq's detached JWS (ES256/RS256, key from its JWKS) over the raw body, with \
             its iss, iat, jti, path and sub claims."
                .to_owned(),
        ))),
    );
}

fn method_not_allowed(op: &mut Operation) {
    let allow = Header::builder()
        .schema(Some(Object::with_type(Type::String)))
        .description(Some("the one method this path serves"))
        .build();
    let response = ResponseBuilder::new()
        .description("another method than the one this path serves")
        .header("Allow", allow)
        .content(
            "application/json",
            Content::new(Some(Ref::from_schema_name("ApiError"))),
        )
        .build();
    op.responses
        .responses
        .insert("405".to_owned(), RefOr::T(response));
}

/// Where a created object's ids lead: `(operationId, links to add to its 200 and 201 answers)`.
fn links(op: &mut Operation) {
    let targets: &[(&str, &[(&str, &str)])] = match op.operation_id.as_deref() {
        Some("create_intent") => &[
            ("get_intent", &[("id", "$response.body#/intent_id")]),
            ("cancel_intent", &[("id", "$response.body#/intent_id")]),
            ("intent_events", &[("id", "$response.body#/intent_id")]),
            ("create_refund", &[("id", "$response.body#/intent_id")]),
        ],
        Some("create_refund") => &[(
            "get_refund",
            &[
                ("id", "$response.body#/intent_id"),
                ("refund_id", "$response.body#/refund_id"),
            ],
        )],
        _ => return,
    };
    for status in ["200", "201"] {
        let Some(RefOr::T(response)) = op.responses.responses.get_mut(status) else {
            continue;
        };
        for (operation_id, parameters) in targets {
            let link = parameters
                .iter()
                .fold(
                    LinkBuilder::new().operation_id(*operation_id),
                    |l, (k, v)| l.parameter(*k, *v),
                )
                .build();
            response
                .links
                .insert((*operation_id).to_owned(), RefOr::T(link));
        }
    }
}

/// One event of `GET /api/v1/intents/{id}/events`, as a client parses it from the stream:
/// `event: status` and `data:` the intent's view as JSON (`id:` unused, keep-alive comments
/// are not events).
fn event_stream(op: &mut Operation) {
    if op.operation_id.as_deref() != Some("intent_events") {
        return;
    }
    let Some(RefOr::T(response)) = op.responses.responses.get_mut("200") else {
        return;
    };
    let event = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property(
            "event",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(["status"])),
        )
        .property(
            "data",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .description(Some("the intent, an IntentView as JSON"))
                .content_media_type("application/json")
                .content_schema(Some(Ref::from_schema_name("IntentView"))),
        )
        .required("event")
        .required("data")
        .build();
    response.content.insert(
        "text/event-stream".to_owned(),
        RefOr::T(Content::new(Some(event))),
    );
}
