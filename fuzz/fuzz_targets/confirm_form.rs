//! The customer page's confirmation form (`POST /p/{token}/confirm`): the body read by the
//! handler's own extractor (actix's `web::Form<ConfirmForm>`, serde_urlencoded, with the
//! server's size limit), then the checks the handler makes before asking the store
//! (`check_confirm_form`: the `Origin` header and the page's CSRF token).
//!
//! Input: the `Origin` header (empty: none), a newline, the body.
//!
//! Properties: no panic; a body over the limit is refused; a form read re-encodes and reads
//! again to the same values (when the re-encoding is within the limit: else it is refused); the CSRF check accepts exactly this page's token (any case of its
//! hex digits), never another page's; a same-origin post (or none, or `null`) is never refused
//! for its origin.

#![no_main]

use actix_web::FromRequest;
use actix_web::test::TestRequest;
use actix_web::web;
use kaching::pay_web::server::{CONFIRM_FORM_LIMIT, ConfirmForm, FormRefusal, check_confirm_form};
use kaching::pay_web::sign;
use libfuzzer_sys::fuzz_target;

const KEY: &[u8] = b"the server's csrf key, fixed for the fuzzer";
const TOKEN: &str = "5a0c3f1d9b7e4c2a8f6d0b1e3c5a7f9d2b4e6c8a0f1d3b5e7c9a2f4d6b8e0c1a";
const OTHER_TOKEN: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const HOST: &str = "127.0.0.1:8080";

/// The form as the handler's extractor reads `body`.
fn read_form(body: Vec<u8>) -> Result<ConfirmForm, actix_web::Error> {
    let (req, mut payload) = TestRequest::post()
        .uri(&format!("/p/{TOKEN}/confirm"))
        .insert_header(("content-type", "application/x-www-form-urlencoded"))
        .app_data(web::FormConfig::default().limit(CONFIRM_FORM_LIMIT))
        .set_payload(body)
        .to_http_parts();
    kaching_fuzz::block_on(web::Form::<ConfirmForm>::from_request(&req, &mut payload))
        .map(web::Form::into_inner)
}

fuzz_target!(|data: &[u8]| {
    let (origin, body) = kaching_fuzz::split_line(data);
    let Ok(origin) = std::str::from_utf8(origin) else {
        return;
    };
    let origin = (!origin.is_empty()).then_some(origin);
    let Ok(form) = read_form(body.to_vec()) else {
        return;
    };
    assert!(
        body.len() <= CONFIRM_FORM_LIMIT,
        "{} bytes read",
        body.len()
    );

    let again = serde_urlencoded::to_string([
        ("csrf", form.csrf.as_str()),
        ("amount_cents", &form.amount_cents.to_string()),
    ])
    .expect("a form encodes");
    if again.len() <= CONFIRM_FORM_LIMIT {
        let reread = read_form(again.clone().into_bytes()).expect("a re-encoded form reads");
        assert_eq!(
            (&reread.csrf, reread.amount_cents),
            (&form.csrf, form.amount_cents),
            "{again}"
        );
    } else {
        // Re-encoding may grow a form past the limit: a byte that is not UTF-8 reads as U+FFFD
        // (three bytes, nine once percent-encoded), a raw `é` as six. The fuzzer found one
        // (tests/fuzz_regressions.rs). A real page's token (64 hex digits) never grows so: such a
        // form is never this page's.
        assert!(
            check_confirm_form(KEY, TOKEN, None, HOST, &form).is_err(),
            "{again}"
        );
    }

    let expected = sign::hmac_hex(KEY, format!("csrf:{TOKEN}").as_bytes());
    let other = sign::hmac_hex(KEY, format!("csrf:{OTHER_TOKEN}").as_bytes());
    let checked = check_confirm_form(KEY, TOKEN, origin, HOST, &form);
    if checked != Err(FormRefusal::CrossOrigin) {
        assert_eq!(
            checked.is_ok(),
            form.csrf.to_ascii_lowercase() == expected,
            "csrf {:?}",
            form.csrf
        );
    }
    let same_origin = match origin {
        None | Some("null") => true,
        Some(o) => o == format!("http://{HOST}") || o == format!("https://{HOST}"),
    };
    if same_origin {
        assert_ne!(checked, Err(FormRefusal::CrossOrigin), "{origin:?}");
    }
    // Another page's token never passes, whatever this form holds.
    if form.csrf.to_ascii_lowercase() == other {
        assert!(check_confirm_form(KEY, TOKEN, None, HOST, &form).is_err());
    }
    // This page's own token always does.
    let mut good = form;
    good.csrf = expected.to_ascii_uppercase();
    assert_eq!(check_confirm_form(KEY, TOKEN, None, HOST, &good), Ok(()));
});
