//! The payment server's OpenAPI document (`GET /api/v1/openapi.json`, served by a real
//! `kaching pay-server`) says what the server does: every path declares the 405 it answers for
//! another method, ids are `format: uuid`, amounts and quantities have their bounds, request
//! bodies refuse unknown fields, the till-signed routes name their security schemes, and every
//! status the other tests see a route answer is declared for it. tests/schemathesis.rs checks
//! the document against generated requests; this test checks the document itself, and the
//! error answers this slice made declarable (JSON, not actix's plain text or empty bodies).

mod common;

use common::pay_server::PayServer;
use serde_json::Value;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn document(server: &PayServer) -> Value {
    let (status, body) = common::get(&format!("{}/api/v1/openapi.json", server.url));
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

/// Every (METHOD, path, operation) of the document.
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for m in METHODS {
            if let Some(op) = item.get(m) {
                out.push((m.to_uppercase(), path.clone(), op.clone()));
            }
        }
    }
    out
}

/// A schema with its `$ref` followed (one level: the document's refs are to components).
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.rsplit('/').next().unwrap();
            &doc["components"]["schemas"][name]
        }
        None => schema,
    }
}

/// Every (schema name, property name, property schema) of the components.
fn properties(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        if let Some(props) = schema["properties"].as_object() {
            for (p, s) in props {
                out.push((name.clone(), p.clone(), s.clone()));
            }
        }
    }
    out
}

/// What the other integration tests see each route answer: (method, path, status, where).
const SEEN: &[(&str, &str, u16, &str)] = &[
    ("POST", "/api/v1/intents", 201, "pay_security, qr_payment"),
    (
        "POST",
        "/api/v1/intents",
        200,
        "pay_security (the same request again)",
    ),
    (
        "POST",
        "/api/v1/intents",
        400,
        "pay_security (invalid creation requests)",
    ),
    ("POST", "/api/v1/intents", 401, "pay_security (signatures)"),
    (
        "POST",
        "/api/v1/intents",
        409,
        "pay_security (the same id from another till)",
    ),
    (
        "POST",
        "/api/v1/intents",
        413,
        "pay_security (oversized bodies)",
    ),
    (
        "POST",
        "/api/v1/intents",
        422,
        "pay_security (the lines do not add up)",
    ),
    ("GET", "/api/v1/intents/{id}", 200, "pay_security"),
    (
        "GET",
        "/api/v1/intents/{id}",
        401,
        "pay_security, pay_methods",
    ),
    (
        "GET",
        "/api/v1/intents/{id}",
        404,
        "pay_security (another till's)",
    ),
    ("POST", "/api/v1/intents/{id}/cancel", 200, "pay_security"),
    ("POST", "/api/v1/intents/{id}/cancel", 401, "pay_security"),
    ("POST", "/api/v1/intents/{id}/cancel", 404, "pay_security"),
    (
        "POST",
        "/api/v1/intents/{id}/cancel",
        409,
        "pay_security (paid, cancelled)",
    ),
    ("POST", "/api/v1/intents/{id}/cancel", 413, "pay_security"),
    (
        "GET",
        "/api/v1/intents/{id}/events",
        200,
        "pay_security, qr_payment",
    ),
    ("GET", "/api/v1/intents/{id}/events", 401, "pay_security"),
    ("GET", "/api/v1/intents/{id}/events", 404, "pay_security"),
    ("POST", "/api/v1/intents/{id}/refunds", 201, "payconiq"),
    ("POST", "/api/v1/intents/{id}/refunds", 400, "payconiq"),
    ("POST", "/api/v1/intents/{id}/refunds", 401, "payconiq"),
    (
        "POST",
        "/api/v1/intents/{id}/refunds",
        409,
        "payconiq (not_paid, not_refundable, conflict)",
    ),
    (
        "POST",
        "/api/v1/intents/{id}/refunds",
        422,
        "payconiq (refund_exceeds_payment)",
    ),
    (
        "GET",
        "/api/v1/intents/{id}/refunds/{refund_id}",
        200,
        "payconiq",
    ),
    (
        "POST",
        "/api/v1/providers/payconiq/callback",
        200,
        "payconiq",
    ),
    (
        "POST",
        "/api/v1/providers/payconiq/callback",
        400,
        "payconiq",
    ),
    (
        "POST",
        "/api/v1/providers/payconiq/callback",
        401,
        "payconiq (callback attacks)",
    ),
    (
        "POST",
        "/api/v1/providers/payconiq/callback",
        404,
        "payconiq (unknown payment)",
    ),
    (
        "POST",
        "/api/v1/providers/payconiq/callback",
        409,
        "payconiq (replayed jti)",
    ),
    (
        "POST",
        "/api/v1/providers/payconiq/callback",
        422,
        "payconiq (another amount)",
    ),
    ("GET", "/p/{token}", 200, "pay_security, browser_payment"),
    ("GET", "/p/{token}", 404, "pay_security"),
    (
        "POST",
        "/p/{token}/confirm",
        303,
        "pay_security, qr_payment",
    ),
    (
        "POST",
        "/p/{token}/confirm",
        400,
        "pay_security (malformed forms)",
    ),
    (
        "POST",
        "/p/{token}/confirm",
        403,
        "pay_security (CSRF, Origin), payconiq",
    ),
    ("POST", "/p/{token}/confirm", 404, "pay_security"),
    (
        "POST",
        "/p/{token}/confirm",
        409,
        "pay_security (replay, cancelled, amount)",
    ),
    ("POST", "/p/{token}/confirm", 410, "pay_security (expired)"),
    ("GET", "/healthz", 200, "pay_server's start"),
    ("GET", "/metrics", 200, "pay_security"),
    ("GET", "/api/v1/openapi.json", 200, "this test"),
];

#[test]
fn the_document_declares_405_uuids_bounds_security_and_every_status_the_tests_see() {
    let server = PayServer::start();
    let doc = document(&server);
    let ops = operations(&doc);
    assert!(ops.len() >= 12, "{ops:?}");

    // Every operation: 405 with Allow and the JSON error (another method on its path).
    for (method, path, op) in &ops {
        let r = &op["responses"]["405"];
        assert!(r.is_object(), "{method} {path}: no 405");
        assert!(
            r["headers"]["Allow"].is_object(),
            "{method} {path}: no Allow"
        );
        assert_eq!(
            r["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ApiError",
            "{method} {path}"
        );
        // Every JSON error response is an ApiError.
        for (status, resp) in op["responses"].as_object().unwrap() {
            if (status.starts_with('4') || status.starts_with('5'))
                && let Some(json) = resp["content"].get("application/json")
            {
                assert_eq!(
                    json["schema"]["$ref"], "#/components/schemas/ApiError",
                    "{method} {path} {status}"
                );
            }
        }
    }

    // Ids: path parameters and properties.
    for (method, path, op) in &ops {
        for p in op["parameters"].as_array().into_iter().flatten() {
            let name = p["name"].as_str().unwrap();
            if name == "id" || name.ends_with("_id") {
                assert_eq!(
                    p["schema"]["format"], "uuid",
                    "{method} {path}: parameter {name}"
                );
            }
        }
    }
    for (schema, prop, s) in properties(&doc) {
        if prop == "intent_id" || prop == "refund_id" {
            assert_eq!(s["format"], "uuid", "{schema}.{prop}");
        }
        if prop.ends_with("_cents") || prop == "qty" {
            assert!(s["minimum"].is_i64(), "{schema}.{prop}: no minimum");
            assert!(s["maximum"].is_i64(), "{schema}.{prop}: no maximum");
        }
    }
    let line = &doc["components"]["schemas"]["IntentLine"]["properties"];
    assert_eq!(line["qty"]["minimum"], 1);
    assert_eq!(line["qty"]["maximum"], 999);
    assert_eq!(line["total_cents"]["minimum"], 0);
    let create = &doc["components"]["schemas"]["CreateIntent"];
    assert_eq!(create["properties"]["amount_cents"]["minimum"], 1);
    assert_eq!(create["properties"]["amount_cents"]["maximum"], 100_000_000);
    assert_eq!(create["properties"]["lines"]["minItems"], 1);
    assert_eq!(create["properties"]["lines"]["maxItems"], 200);
    assert_eq!(create["properties"]["seller"]["maxLength"], 40);

    // Enums.
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        resolve(&doc, &create["properties"]["account"])["enum"],
        serde_json::json!(["main", "sub"])
    );
    assert_eq!(
        schemas["IntentStatus"]["enum"],
        serde_json::json!(["pending", "paid", "cancelled", "expired"])
    );
    assert_eq!(
        schemas["PageLanguage"]["enum"],
        serde_json::json!(["fr", "nl", "en"])
    );

    // Request bodies: required fields, unknown fields refused.
    for name in ["CreateIntent", "IntentLine", "CreateRefund"] {
        assert_eq!(
            schemas[name]["additionalProperties"], false,
            "{name} accepts unknown fields"
        );
    }
    let required: Vec<&str> = create["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for f in [
        "intent_id",
        "amount_cents",
        "account",
        "seller",
        "shop_name",
        "lines",
    ] {
        assert!(required.contains(&f), "CreateIntent.{f} not required");
    }

    // The till-signed routes name both headers; the others none of them.
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["till"]["name"], "Kaching-Till");
    assert_eq!(schemes["tillSignature"]["name"], "Kaching-Signature");
    assert_eq!(schemes["tillSignature"]["in"], "header");
    for (method, path, op) in &ops {
        let signed = path.starts_with("/api/v1/intents");
        let security = &op["security"];
        if signed {
            assert_eq!(
                security,
                &serde_json::json!([{"till": [], "tillSignature": []}]),
                "{method} {path}"
            );
        } else {
            assert!(
                !security.to_string().contains("till"),
                "{method} {path}: {security}"
            );
        }
    }

    // Every status the other tests see, declared on its route.
    for (method, path, status, seen_in) in SEEN {
        let op = ops
            .iter()
            .find(|(m, p, _)| m == method && p == path)
            .unwrap_or_else(|| panic!("{method} {path} is not in the document"));
        assert!(
            op.2["responses"][status.to_string()].is_object(),
            "{method} {path} answers {status} ({seen_in}) but does not declare it"
        );
    }
}

/// The error answers the document declares are what the server sends: JSON errors, text/plain
/// health, an HTML page for the customer.
#[test]
fn errors_are_answered_as_the_document_declares_them() {
    let server = PayServer::start();
    let http = common::http();
    let call = |method: &str, path: &str, headers: &[(&str, &str)], body: Vec<u8>| {
        let mut req = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", server.url));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let mut r = http.run(req.body(body).unwrap()).expect("request");
        let ct = r
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (
            r.status().as_u16(),
            ct,
            r.body_mut().read_to_string().unwrap_or_default(),
        )
    };
    let json_error = |(status, ct, body): (u16, String, String), want: u16, code: &str| {
        assert_eq!(status, want, "{body}");
        assert!(ct.starts_with("application/json"), "{want}: {ct} {body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["error"], code, "{body}");
        assert!(v["message"].is_string(), "{body}");
    };
    // A path nobody serves: the JSON error (actix's default is an empty body).
    json_error(
        call("GET", "/api/v1/nothing-here", &[], Vec::new()),
        404,
        "not_found",
    );
    json_error(
        call("GET", "/api/v1/intents/", &[], Vec::new()),
        404,
        "not_found",
    );
    // Too large, before any signature is read: JSON (actix's own answer is plain text).
    json_error(
        call("POST", "/api/v1/intents", &[], vec![b' '; 70 * 1024]),
        413,
        "payload_too_large",
    );
    // Payconiq's callback without its Signature: 401, even on a server without Payconiq.
    json_error(
        call(
            "POST",
            "/api/v1/providers/payconiq/callback",
            &[("Content-Type", "application/json")],
            b"{}".to_vec(),
        ),
        401,
        "bad_signature",
    );
    // With one, on this server (no Payconiq): not found.
    json_error(
        call(
            "POST",
            "/api/v1/providers/payconiq/callback",
            &[("Content-Type", "application/json"), ("Signature", "x..y")],
            b"{}".to_vec(),
        ),
        404,
        "not_found",
    );
    // The health check says its content type.
    let (status, ct, body) = call("GET", "/healthz", &[], Vec::new());
    assert_eq!((status, body.as_str()), (200, "ok"));
    assert!(ct.starts_with("text/plain"), "{ct}");
    // The customer's page: an unknown ?lang= is a 400 page in the browser's language, a known
    // one the page (here: no such link, in Dutch).
    let token = "ab".repeat(32);
    let (status, ct, page) = call(
        "GET",
        &format!("/p/{token}?lang=de"),
        &[("Accept-Language", "en")],
        Vec::new(),
    );
    assert_eq!(status, 400, "{page}");
    assert!(ct.starts_with("text/html"), "{ct}");
    assert!(page.contains("Unknown language"), "{page}");
    let (status, _, page) = call("GET", &format!("/p/{token}?lang=nl"), &[], Vec::new());
    assert_eq!(status, 404, "{page}");
    assert!(page.contains("Deze betaallink bestaat niet"), "{page}");
    let (status, _, page) = call(
        "POST",
        &format!("/p/{token}/confirm?lang=xx"),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        b"csrf=00&amount_cents=1".to_vec(),
    );
    assert_eq!(status, 400, "{page}");
}
