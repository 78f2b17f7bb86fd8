//! The payment server answers a method a path does not serve with `405 Method Not Allowed`, an
//! `Allow` header and its JSON error (a peer tool such as schemathesis expects it; before, the
//! path was said not to exist), and an unknown path with 404. A real `kaching pay-server` on a
//! loopback port.

mod common;

use common::pay_server::PayServer;

fn call(method: &str, url: &str) -> (u16, Option<String>, String) {
    let req = ureq::http::Request::builder()
        .method(method)
        .uri(url)
        .body(())
        .unwrap();
    let mut r = common::http().run(req).expect("request");
    let allow = r
        .headers()
        .get("allow")
        .map(|v| v.to_str().unwrap().to_owned());
    let status = r.status().as_u16();
    (
        status,
        allow,
        r.body_mut().read_to_string().unwrap_or_default(),
    )
}

#[test]
fn an_undeclared_method_is_405_with_allow_and_an_unknown_path_404() {
    let server = PayServer::start();
    let base = &server.url;
    for (method, path, allow) in [
        ("DELETE", "/healthz", "GET"),
        ("POST", "/metrics", "GET"),
        ("PUT", "/api/v1/openapi.json", "GET"),
        ("GET", "/api/v1/intents", "POST"),
        (
            "PATCH",
            "/api/v1/intents/0190a4d2-7c3e-7def-8a12-3456789abcde",
            "GET",
        ),
        (
            "GET",
            "/api/v1/intents/0190a4d2-7c3e-7def-8a12-3456789abcde/cancel",
            "POST",
        ),
        ("DELETE", "/api/v1/intents/x/refunds", "POST"),
        ("PUT", "/api/v1/intents/x/refunds/y", "GET"),
        ("GET", "/api/v1/providers/payconiq/callback", "POST"),
        ("POST", "/p/some-token", "GET"),
        ("GET", "/p/some-token/confirm", "POST"),
    ] {
        let (status, got_allow, body) = call(method, &format!("{base}{path}"));
        assert_eq!(status, 405, "{method} {path}: {body}");
        assert_eq!(got_allow.as_deref(), Some(allow), "{method} {path}");
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["error"], "method_not_allowed", "{method} {path}");
    }
    // The declared methods still answer as before; an unknown path is not found.
    assert_eq!(common::get(&format!("{base}/healthz")).0, 200);
    assert_eq!(call("GET", &format!("{base}/api/v1/nothing-here")).0, 404);
    // A till-signed route without its signature is still refused as unauthenticated.
    assert_eq!(
        call(
            "GET",
            &format!("{base}/api/v1/intents/0190a4d2-7c3e-7def-8a12-3456789abcde")
        )
        .0,
        401
    );
}
