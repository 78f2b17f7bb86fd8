//! Payment server security, over real HTTP: a `kaching pay-server` process on a loopback port
//! with its SQLite store in a temp data dir. The test is a till (signing its requests with
//! `Kaching-Signature` and naming itself in `Kaching-Till`) and the customer's phone (opening
//! `/p/{token}` and posting the confirmation form).
//!
//! Every refusal is checked three ways: the status says so, the intent as the till reads it
//! (signed `GET /api/v1/intents/{id}`) is exactly what it was before, and no answer is a 5xx
//! (every request helper asserts it).

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use kaching::pay_web::sign::signature_header;
use serde_json::{Value, json};

/// A till registered on the server, with the secret `pay-server till add` printed.
#[derive(Clone)]
struct Till {
    id: String,
    secret: String,
}

/// An answer: status, headers we look at, body.
struct Resp {
    status: u16,
    content_type: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A running `kaching pay-server`, killed on drop.
struct PayServer {
    dir: tempfile::TempDir,
    child: Child,
    url: String,
    tills: Vec<Till>,
}

impl Drop for PayServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A generous rate limit, so that only the rate-limit test meets it.
const NO_LIMIT: &[(&str, &str)] = &[
    ("KACHING_PAY_SERVER__RATE_PER_SECOND", "100000"),
    ("KACHING_PAY_SERVER__RATE_BURST", "100000"),
];

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn add_till(dir: &Path, id: &str) -> Till {
    let o = common::run(dir, &["pay-server", "till", "add", id], "");
    assert!(o.status.success(), "till add: {}", common::stderr(&o));
    let secret = common::stdout(&o).trim().to_owned();
    assert_eq!(secret.len(), 64, "{secret}");
    Till {
        id: id.to_owned(),
        secret,
    }
}

/// Sends one request; asserts the answer is not a 5xx.
fn send(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    headers: &[(&str, String)],
    body: &[u8],
) -> Resp {
    let mut b = ureq::http::Request::builder().method(method).uri(url);
    for (k, v) in headers {
        b = b.header(*k, v.as_str());
    }
    let req = b.body(body.to_vec()).unwrap();
    let mut r = agent
        .run(req)
        .unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let status = r.status().as_u16();
    let headers: Vec<(String, String)> = r
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                v.to_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let content_type = headers
        .iter()
        .find(|(k, _)| k == "content-type")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let body = r
        .body_mut()
        .with_config()
        .limit(10 * 1024 * 1024)
        .read_to_string()
        .unwrap_or_default();
    assert!(status < 500, "{method} {url} → {status} (a 5xx): {body}");
    Resp {
        status,
        content_type,
        headers,
        body,
    }
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A creation request whose amount is the sum of its lines.
fn intent_body(id: &str, lines: &[(&str, i64, i64)]) -> Value {
    let amount: i64 = lines.iter().map(|l| l.2).sum();
    json!({
        "intent_id": id,
        "amount_cents": amount,
        "account": "main",
        "seller": "Khadija",
        "shop_name": "KACHING",
        "lines": lines.iter().map(|(name, qty, total)| json!({"name": name, "qty": qty, "total_cents": total})).collect::<Vec<_>>(),
    })
}

fn counter(metrics: &str, series: &str) -> u64 {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(series)?.trim().parse().ok())
        .unwrap_or(0)
}

impl PayServer {
    /// Registers `tills`, then starts the server with `env` and waits for `/healthz`.
    #[allow(clippy::zombie_processes)] // PayServer's Drop kills and waits for it.
    fn start(env: &[(&str, &str)], tills: &[&str]) -> PayServer {
        let dir = tempfile::tempdir().unwrap();
        let tills = tills.iter().map(|t| add_till(dir.path(), t)).collect();
        let port = common::free_port();
        let mut cmd = common::kaching(dir.path());
        cmd.arg("pay-server")
            .env("KACHING_PAY_SERVER__BIND", format!("127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().unwrap();
        let server = PayServer {
            dir,
            child,
            url: format!("http://127.0.0.1:{port}"),
            tills,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                assert_eq!(server.get("/healthz").status, 200);
                return server;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("pay-server did not start");
    }

    fn till(&self, i: usize) -> &Till {
        &self.tills[i]
    }

    fn raw(&self, method: &str, path: &str, headers: &[(&str, String)], body: &[u8]) -> Resp {
        send(
            &common::http(),
            method,
            &format!("{}{path}", self.url),
            headers,
            body,
        )
    }

    fn get(&self, path: &str) -> Resp {
        self.raw("GET", path, &[], b"")
    }

    /// A till request signed at time `t`.
    fn signed_at(&self, till: &Till, t: i64, method: &str, path: &str, body: &[u8]) -> Resp {
        let sig = signature_header(till.secret.as_bytes(), t, method, path, body);
        self.raw(
            method,
            path,
            &[
                ("Kaching-Till", till.id.clone()),
                ("Kaching-Signature", sig),
                ("Content-Type", "application/json".into()),
            ],
            body,
        )
    }

    fn signed(&self, till: &Till, method: &str, path: &str, body: &[u8]) -> Resp {
        self.signed_at(till, unix_now(), method, path, body)
    }

    fn create(&self, till: &Till, body: &Value) -> Resp {
        self.signed(
            till,
            "POST",
            "/api/v1/intents",
            serde_json::to_string(body).unwrap().as_bytes(),
        )
    }

    /// Creates a pending intent of `amount_cents` → (intent id, pay_url).
    fn new_intent(&self, till: &Till, amount_cents: i64) -> (String, String) {
        let id = new_id();
        let r = self.create(
            till,
            &intent_body(&id, &[("Pain au chocolat", 1, amount_cents)]),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        let v = r.json();
        assert_eq!(v["intent_id"], id.as_str());
        assert_eq!(v["status"], "pending");
        (id, v["pay_url"].as_str().unwrap().to_owned())
    }

    /// The intent as its till reads it (signed GET, must be 200).
    fn intent(&self, till: &Till, id: &str) -> Value {
        let r = self.signed(till, "GET", &format!("/api/v1/intents/{id}"), b"");
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()
    }

    fn status_of(&self, till: &Till, id: &str) -> String {
        self.intent(till, id)["status"].as_str().unwrap().to_owned()
    }

    fn metrics(&self) -> String {
        let r = self.get("/metrics");
        assert_eq!(r.status, 200);
        r.body
    }

    /// Posts a confirmation form (`application/x-www-form-urlencoded` body as given).
    fn confirm_raw(&self, token: &str, headers: &[(&str, String)], body: &str) -> Resp {
        let mut h = vec![(
            "Content-Type",
            "application/x-www-form-urlencoded".to_owned(),
        )];
        h.extend(headers.iter().cloned());
        self.raw("POST", &format!("/p/{token}/confirm"), &h, body.as_bytes())
    }
}

fn token_of(pay_url: &str) -> String {
    pay_url.rsplit('/').next().unwrap().to_owned()
}

fn form_body(csrf: &str, amount: &str) -> String {
    format!("csrf={csrf}&amount_cents={amount}")
}

#[test]
fn a_thousand_concurrent_confirmations_pay_exactly_once() {
    let s = PayServer::start(NO_LIMIT, &["till-1"]);
    let till = s.till(0).clone();
    let (id, pay_url) = s.new_intent(&till, 1620);
    let form = common::phone_form(&pay_url);
    let confirm_url = format!("{pay_url}/confirm");
    let body = form_body(&form.0, &form.1);

    const N: usize = 1000;
    let next = Arc::new(AtomicUsize::new(0));
    let statuses = Arc::new(Mutex::new(BTreeMap::<u16, usize>::new()));
    let barrier = Arc::new(std::sync::Barrier::new(64));
    let threads: Vec<_> = (0..64)
        .map(|_| {
            let (next, statuses, barrier) = (next.clone(), statuses.clone(), barrier.clone());
            let (url, body) = (confirm_url.clone(), body.clone());
            std::thread::spawn(move || {
                let agent = common::http();
                let h = [(
                    "Content-Type",
                    "application/x-www-form-urlencoded".to_owned(),
                )];
                barrier.wait();
                while next.fetch_add(1, Ordering::SeqCst) < N {
                    let r = send(&agent, "POST", &url, &h, body.as_bytes());
                    *statuses.lock().unwrap().entry(r.status).or_default() += 1;
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("a confirming thread failed (a 5xx?)");
    }
    let statuses = statuses.lock().unwrap().clone();
    assert_eq!(
        statuses,
        BTreeMap::from([(303, 1), (409, N - 1)]),
        "exactly one confirmation wins, every other one is a conflict"
    );
    let v = s.intent(&till, &id);
    assert_eq!(v["status"], "paid");
    assert!(v["paid_at"].as_i64().is_some());
    let m = s.metrics();
    assert_eq!(
        counter(&m, "kaching_pay_confirmations_total{outcome=\"paid\"}"),
        1,
        "{m}"
    );
    assert_eq!(
        counter(&m, "kaching_pay_confirmations_total{outcome=\"replay\"}"),
        (N - 1) as u64,
        "{m}"
    );
    let (status, page) = common::get(&pay_url);
    assert_eq!(status, 200);
    assert!(page.contains("Payé") && !page.contains("Valider le paiement"));
}

#[test]
fn confirmations_racing_a_cancel_have_exactly_one_winner() {
    let s = PayServer::start(NO_LIMIT, &["till-1"]);
    let till = s.till(0).clone();
    for _ in 0..3 {
        let (id, pay_url) = s.new_intent(&till, 500);
        let form = common::phone_form(&pay_url);
        let body = form_body(&form.0, &form.1);
        let barrier = Arc::new(std::sync::Barrier::new(21));
        let mut phones = Vec::new();
        for _ in 0..20 {
            let (url, body, barrier) =
                (format!("{pay_url}/confirm"), body.clone(), barrier.clone());
            phones.push(std::thread::spawn(move || {
                let h = [(
                    "Content-Type",
                    "application/x-www-form-urlencoded".to_owned(),
                )];
                barrier.wait();
                send(&common::http(), "POST", &url, &h, body.as_bytes()).status
            }));
        }
        barrier.wait();
        let cancel = s.signed(&till, "POST", &format!("/api/v1/intents/{id}/cancel"), b"");
        let phone: Vec<u16> = phones.into_iter().map(|t| t.join().unwrap()).collect();
        let paid = phone.iter().filter(|&&c| c == 303).count();
        assert!(phone.iter().all(|&c| c == 303 || c == 409), "{phone:?}");
        match s.status_of(&till, &id).as_str() {
            "paid" => {
                assert_eq!((paid, cancel.status), (1, 409), "{}", cancel.body);
            }
            "cancelled" => {
                assert_eq!((paid, cancel.status), (0, 200), "{}", cancel.body);
            }
            other => panic!("intent ended {other}"),
        }
    }
}

#[test]
fn replayed_and_after_cancel_confirmations_are_refused_and_change_nothing() {
    let s = PayServer::start(NO_LIMIT, &["till-1"]);
    let till = s.till(0).clone();

    // Replay: the same form posted again after it paid.
    let (id, url) = s.new_intent(&till, 370);
    let form = common::phone_form(&url);
    assert_eq!(common::press(&url, &form).0, 303);
    let paid = s.intent(&till, &id);
    assert_eq!(paid["status"], "paid");
    for _ in 0..3 {
        let (status, page) = common::press(&url, &form);
        assert_eq!(status, 409, "{page}");
        assert!(page.contains("déjà été validé"), "{page}");
    }
    assert_eq!(s.intent(&till, &id), paid, "a replay changes nothing");
    // A paid intent cannot be cancelled either.
    let r = s.signed(&till, "POST", &format!("/api/v1/intents/{id}/cancel"), b"");
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(s.intent(&till, &id), paid);

    // Cancelled, then the phone presses the form it had open.
    let (id, url) = s.new_intent(&till, 250);
    let form = common::phone_form(&url);
    let r = s.signed(&till, "POST", &format!("/api/v1/intents/{id}/cancel"), b"");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["status"], "cancelled");
    let cancelled = s.intent(&till, &id);
    let (status, page) = common::press(&url, &form);
    assert_eq!(status, 409, "{page}");
    assert!(page.contains("annulé"), "{page}");
    assert!(!page.contains("Valider le paiement"), "{page}");
    assert_eq!(s.intent(&till, &id), cancelled);
    // Cancelling twice: a conflict, still cancelled.
    let r = s.signed(&till, "POST", &format!("/api/v1/intents/{id}/cancel"), b"");
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(s.intent(&till, &id), cancelled);

    let m = s.metrics();
    assert_eq!(
        counter(&m, "kaching_pay_confirmations_total{outcome=\"paid\"}"),
        1
    );
    assert_eq!(
        counter(&m, "kaching_pay_confirmations_total{outcome=\"replay\"}"),
        3
    );
    assert_eq!(
        counter(&m, "kaching_pay_confirmations_total{outcome=\"cancelled\"}"),
        1
    );
}

#[test]
fn an_expired_intent_refuses_confirmation_and_cancel() {
    let mut env = NO_LIMIT.to_vec();
    env.push(("KACHING_PAY_SERVER__INTENT_LIFETIME_SECS", "1"));
    let s = PayServer::start(&env, &["till-1"]);
    let till = s.till(0).clone();
    let (id, url) = s.new_intent(&till, 990);
    let form = common::phone_form(&url);
    std::thread::sleep(Duration::from_millis(1500));

    let expired = s.intent(&till, &id);
    assert_eq!(expired["status"], "expired");
    let (status, page) = common::press(&url, &form);
    assert_eq!(status, 410, "{page}");
    assert!(page.contains("expiré"), "{page}");
    let r = s.signed(&till, "POST", &format!("/api/v1/intents/{id}/cancel"), b"");
    assert_eq!(r.status, 409, "{}", r.body);
    let (status, page) = common::get(&url);
    assert_eq!(status, 200);
    assert!(page.contains("expiré") && !page.contains("Valider le paiement"));
    // After the sweeper has certainly run: still expired, never paid.
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(common::press(&url, &form).0, 410);
    let after = s.intent(&till, &id);
    assert_eq!(after, expired);
    assert!(after["paid_at"].is_null());
}

#[test]
fn unknown_tokens_are_not_found() {
    let s = PayServer::start(NO_LIMIT, &["till-1"]);
    let till = s.till(0).clone();
    let (id, url) = s.new_intent(&till, 120);
    let token = token_of(&url);
    let form = common::phone_form(&url);
    let before = s.intent(&till, &id);

    let mut flipped = token.clone().into_bytes();
    flipped[63] = if flipped[63] == b'0' { b'1' } else { b'0' };
    let flipped = String::from_utf8(flipped).unwrap();
    let random = hex::encode(uuid::Uuid::now_v7().as_bytes()).repeat(2);
    let candidates = [
        flipped,
        random,
        token.to_uppercase(),
        token[..63].to_owned(),
        format!("{token}0"),
        id.clone(),
        id.replace('-', ""),
        "abc".to_owned(),
        "zz".repeat(32),
        "%2e%2e".to_owned(),
    ];
    for t in &candidates {
        if *t == token {
            continue;
        }
        let r = s.get(&format!("/p/{t}"));
        assert_eq!(r.status, 404, "GET /p/{t}: {}", r.body);
        assert!(!r.body.contains("Valider le paiement"));
        // The real form's fields, posted to the wrong token.
        let r = s.confirm_raw(t, &[], &form_body(&form.0, &form.1));
        assert_eq!(r.status, 404, "POST /p/{t}/confirm: {}", r.body);
    }
    assert_eq!(s.intent(&till, &id), before, "nothing changed");
    assert!(
        counter(
            &s.metrics(),
            "kaching_pay_confirmations_total{outcome=\"unknown\"}"
        ) >= 9
    );
    // The real token still works.
    assert_eq!(common::press(&url, &form).0, 303);
}

#[test]
fn a_tampered_amount_is_refused_and_the_real_one_still_pays() {
    let s = PayServer::start(NO_LIMIT, &["till-1"]);
    let till = s.till(0).clone();
    let (id, url) = s.new_intent(&till, 1620);
    let token = token_of(&url);
    let (csrf, amount) = common::phone_form(&url);
    assert_eq!(amount, "1620");
    let before = s.intent(&till, &id);
    for bad in [
        "1",
        "0",
        "-1620",
        "1619",
        "1621",
        "162000",
        "9223372036854775807",
    ] {
        let r = s.confirm_raw(&token, &[], &form_body(&csrf, bad));
        assert_eq!(r.status, 409, "amount {bad}: {}", r.body);
        assert!(r.body.contains("montant"), "{}", r.body);
        assert_eq!(
            s.intent(&till, &id),
            before,
            "amount {bad} changed the intent"
        );
    }
    // Not a number, or beyond i64: malformed.
    for bad in ["16.20", "1620abc", "99999999999999999999999", ""] {
        let r = s.confirm_raw(&token, &[], &form_body(&csrf, bad));
        assert_eq!(r.status, 400, "amount {bad:?}: {}", r.body);
    }
    assert_eq!(s.intent(&till, &id), before);
    assert_eq!(common::press(&url, &(csrf, amount)).0, 303);
    assert_eq!(s.status_of(&till, &id), "paid");
}

#[test]
fn confirmations_need_this_pages_csrf_token_and_no_foreign_origin() {
    let s = PayServer::start(NO_LIMIT, &["till-1"]);
    let till = s.till(0).clone();
    let (id, url) = s.new_intent(&till, 450);
    let token = token_of(&url);
    let (csrf, amount) = common::phone_form(&url);
    let (_, other_url) = s.new_intent(&till, 450);
    let (other_csrf, _) = common::phone_form(&other_url);
    assert_ne!(csrf, other_csrf, "CSRF tokens are per payment link");
    let before = s.intent(&till, &id);

    let mut wrong = csrf.clone().into_bytes();
    wrong[0] = if wrong[0] == b'a' { b'b' } else { b'a' };
    let wrong = String::from_utf8(wrong).unwrap();
    for bad in [
        wrong.as_str(),
        "",
        "00",
        "not-hex",
        &other_csrf,
        &csrf[..62],
    ] {
        if bad == csrf {
            continue;
        }
        let r = s.confirm_raw(&token, &[], &form_body(bad, &amount));
        assert_eq!(r.status, 403, "csrf {bad:?}: {}", r.body);
        assert_eq!(s.intent(&till, &id), before);
    }
    // No csrf field at all: refused too (a malformed form).
    let r = s.confirm_raw(&token, &[], &format!("amount_cents={amount}"));
    assert!(matches!(r.status, 400 | 403), "{}: {}", r.status, r.body);
    assert_eq!(s.intent(&till, &id), before);

    // The right token from another site's form.
    let good = form_body(&csrf, &amount);
    for origin in [
        "https://evil.example",
        "http://127.0.0.1.evil.example",
        "http://localhost:1",
        "not a url",
    ] {
        let r = s.confirm_raw(&token, &[("Origin", origin.to_owned())], &good);
        assert_eq!(r.status, 403, "Origin {origin}: {}", r.body);
        assert_eq!(s.intent(&till, &id), before);
    }
    assert!(
        counter(
            &s.metrics(),
            "kaching_pay_confirmations_total{outcome=\"csrf\"}"
        ) >= 10
    );
    // The same form from the server's own page passes.
    let r = s.confirm_raw(&token, &[("Origin", s.url.clone())], &good);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some(format!("/p/{token}").as_str()));
    assert_eq!(s.status_of(&till, &id), "paid");
}

#[test]
fn till_requests_need_a_fresh_valid_signature() {
    let s = PayServer::start(NO_LIMIT, &["till-1", "till-2"]);
    let (t1, t2) = (s.till(0).clone(), s.till(1).clone());
    let (id, _) = s.new_intent(&t1, 300);
    let before = s.intent(&t1, &id);
    let path = format!("/api/v1/intents/{id}");
    let cancel = format!("{path}/cancel");
    let now = unix_now();
    let sig = |secret: &str, t: i64, method: &str, p: &str, body: &[u8]| {
        signature_header(secret.as_bytes(), t, method, p, body)
    };

    // (till header, signature header) pairs that must all be refused, on GET and cancel.
    let good_cancel = sig(&t1.secret, now, "POST", &cancel, b"");
    let cases: Vec<(&str, Option<String>, Option<String>)> = vec![
        ("no headers", None, None),
        ("no signature", Some(t1.id.clone()), None),
        ("no till", None, Some(good_cancel.clone())),
        ("empty till", Some(String::new()), Some(good_cancel.clone())),
        (
            "unknown till",
            Some("till-9".into()),
            Some(good_cancel.clone()),
        ),
        (
            "overlong till",
            Some("t".repeat(200)),
            Some(good_cancel.clone()),
        ),
        (
            "another till's name",
            Some(t2.id.clone()),
            Some(good_cancel.clone()),
        ),
        (
            "another till's secret",
            Some(t1.id.clone()),
            Some(sig(&t2.secret, now, "POST", &cancel, b"")),
        ),
        (
            "a guessed secret",
            Some(t1.id.clone()),
            Some(sig("", now, "POST", &cancel, b"")),
        ),
        (
            "stale",
            Some(t1.id.clone()),
            Some(sig(&t1.secret, now - 301 - 5, "POST", &cancel, b"")),
        ),
        (
            "an hour old",
            Some(t1.id.clone()),
            Some(sig(&t1.secret, now - 3600, "POST", &cancel, b"")),
        ),
        (
            "from the future",
            Some(t1.id.clone()),
            Some(sig(&t1.secret, now + 306, "POST", &cancel, b"")),
        ),
        (
            "a body the request has not",
            Some(t1.id.clone()),
            Some(sig(&t1.secret, now, "POST", &cancel, b"{}")),
        ),
        ("garbage", Some(t1.id.clone()), Some("garbage".into())),
        ("empty", Some(t1.id.clone()), Some(String::new())),
        ("t only", Some(t1.id.clone()), Some(format!("t={now}"))),
        (
            "v1 only",
            Some(t1.id.clone()),
            Some(good_cancel.split_once(',').unwrap().1.to_owned()),
        ),
        (
            "bad t",
            Some(t1.id.clone()),
            Some(good_cancel.replace(&format!("t={now}"), "t=soon")),
        ),
        (
            "another t than signed",
            Some(t1.id.clone()),
            Some(good_cancel.replace(&format!("t={now}"), &format!("t={}", now - 1))),
        ),
        (
            "non-hex v1",
            Some(t1.id.clone()),
            Some(format!("t={now},v1=xyz")),
        ),
        (
            "truncated v1",
            Some(t1.id.clone()),
            Some(good_cancel[..good_cancel.len() - 2].to_owned()),
        ),
        (
            "zero v1",
            Some(t1.id.clone()),
            Some(format!("t={now},v1={}", "0".repeat(64))),
        ),
        (
            "five v1, one right",
            Some(t1.id.clone()),
            Some(format!(
                "{good_cancel},v1={z},v1={z},v1={z},v1={z}",
                z = "0".repeat(64)
            )),
        ),
    ];
    for (what, till_h, sig_h) in &cases {
        let mut h = vec![("Content-Type", "application/json".to_owned())];
        if let Some(t) = till_h {
            h.push(("Kaching-Till", t.clone()));
        }
        if let Some(sg) = sig_h {
            h.push(("Kaching-Signature", sg.clone()));
        }
        let r = s.raw("POST", &cancel, &h, b"");
        assert_eq!(r.status, 401, "cancel with {what}: {}", r.body);
        assert_eq!(r.json()["error"], "unauthorized", "{what}");
        let r = s.raw("GET", &path, &h, b"");
        assert_eq!(r.status, 401, "GET with {what}: {}", r.body);
        let r = s.raw("GET", &format!("{path}/events"), &h, b"");
        assert_eq!(r.status, 401, "events with {what}: {}", r.body);
        assert_eq!(s.intent(&t1, &id), before, "{what} changed the intent");
    }

    // Creation: a tampered body, a stale or a missing signature create nothing.
    let new = new_id();
    let body = serde_json::to_vec(&intent_body(&new, &[("Café", 1, 250)])).unwrap();
    let signed = sig(&t1.secret, now, "POST", "/api/v1/intents", &body);
    let tampered = String::from_utf8(body.clone())
        .unwrap()
        .replace("250", "25");
    for (what, h, b) in [
        (
            "tampered body",
            vec![
                ("Kaching-Till", t1.id.clone()),
                ("Kaching-Signature", signed.clone()),
            ],
            tampered.into_bytes(),
        ),
        (
            "stale",
            vec![
                ("Kaching-Till", t1.id.clone()),
                (
                    "Kaching-Signature",
                    sig(&t1.secret, now - 600, "POST", "/api/v1/intents", &body),
                ),
            ],
            body.clone(),
        ),
        (
            "unsigned",
            vec![("Kaching-Till", t1.id.clone())],
            body.clone(),
        ),
    ] {
        let r = s.raw("POST", "/api/v1/intents", &h, &b);
        assert_eq!(r.status, 401, "create with {what}: {}", r.body);
    }
    let r = s.signed(&t1, "GET", &format!("/api/v1/intents/{new}"), b"");
    assert_eq!(r.status, 404, "nothing was created: {}", r.body);

    // A refusal carries the server's clock (`Date`), from which a till with a wrong clock
    // learns its offset.
    let r = s.signed_at(&t1, now - 3600, "GET", &path, b"");
    assert_eq!(r.status, 401);
    let date = r.header("date").expect("a Date header");
    let server = chrono::DateTime::parse_from_rfc2822(date).expect("an HTTP date");
    assert!((server.timestamp() - unix_now()).abs() <= 5, "{date}");

    // Within the window, both ways, with the rotation form (several v1): accepted.
    let r = s.signed_at(&t1, now - 200, "GET", &path, b"");
    assert_eq!(r.status, 200, "{}", r.body);
    let r = s.signed_at(&t1, now + 200, "GET", &path, b"");
    assert_eq!(r.status, 200, "{}", r.body);
    let two = format!(
        "{},v1={}",
        sig(&t1.secret, now, "GET", &path, b""),
        "0".repeat(64)
    );
    let r = s.raw(
        "GET",
        &path,
        &[("Kaching-Till", t1.id.clone()), ("Kaching-Signature", two)],
        b"",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let m = s.metrics();
    assert!(
        counter(&m, "kaching_pay_auth_failures_total") >= cases.len() as u64 * 3,
        "{m}"
    );
    assert_eq!(s.status_of(&t1, &id), "pending");
}

#[test]
fn a_signature_only_holds_for_its_own_method_and_path() {
    let s = PayServer::start(NO_LIMIT, &["till-1"]);
    let till = s.till(0).clone();
    let (a, _) = s.new_intent(&till, 100);
    let (b, _) = s.new_intent(&till, 200);
    let (before_a, before_b) = (s.intent(&till, &a), s.intent(&till, &b));
    let now = unix_now();
    let sig = |method: &str, p: &str, body: &[u8]| {
        signature_header(till.secret.as_bytes(), now, method, p, body)
    };
    let replay = |method: &str, p: &str, sg: String, body: &[u8]| {
        s.raw(
            method,
            p,
            &[("Kaching-Till", till.id.clone()), ("Kaching-Signature", sg)],
            body,
        )
    };
    let get_a = format!("/api/v1/intents/{a}");
    let cancel_a = format!("{get_a}/cancel");
    let cancel_b = format!("/api/v1/intents/{b}/cancel");

    // A read's signature used to cancel.
    let r = replay("POST", &cancel_a, sig("GET", &get_a, b""), b"");
    assert_eq!(r.status, 401, "{}", r.body);
    // The right method, another path (GET's path, the events path).
    let r = replay("POST", &cancel_a, sig("POST", &get_a, b""), b"");
    assert_eq!(r.status, 401, "{}", r.body);
    // A cancel of A replayed on B.
    let r = replay("POST", &cancel_b, sig("POST", &cancel_a, b""), b"");
    assert_eq!(r.status, 401, "{}", r.body);
    // A creation's signature replayed as a cancel (with the creation's body).
    let body = serde_json::to_vec(&intent_body(&new_id(), &[("Café", 1, 250)])).unwrap();
    let r = replay(
        "POST",
        &cancel_a,
        sig("POST", "/api/v1/intents", &body),
        &body,
    );
    assert_eq!(r.status, 401, "{}", r.body);
    // A cancel's signature as a read; a read of A as a read of B or of A's events.
    let r = replay("GET", &get_a, sig("POST", &cancel_a, b""), b"");
    assert_eq!(r.status, 401, "{}", r.body);
    let r = replay(
        "GET",
        &format!("/api/v1/intents/{b}"),
        sig("GET", &get_a, b""),
        b"",
    );
    assert_eq!(r.status, 401, "{}", r.body);
    let r = replay(
        "GET",
        &format!("{get_a}/events"),
        sig("GET", &get_a, b""),
        b"",
    );
    assert_eq!(r.status, 401, "{}", r.body);
    // The query string is part of what is signed.
    let r = replay("GET", &format!("{get_a}?x=1"), sig("GET", &get_a, b""), b"");
    assert_eq!(r.status, 401, "{}", r.body);
    // A lower-case method name signed for an upper-case request.
    let r = replay("POST", &cancel_a, sig("post", &cancel_a, b""), b"");
    assert_eq!(r.status, 401, "{}", r.body);
    assert_eq!(s.intent(&till, &a), before_a);
    assert_eq!(s.intent(&till, &b), before_b);

    // The right signature on the right route works, once its job is done it conflicts.
    let r = replay("POST", &cancel_a, sig("POST", &cancel_a, b""), b"");
    assert_eq!(r.status, 200, "{}", r.body);
    let r = replay("POST", &cancel_a, sig("POST", &cancel_a, b""), b"");
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(s.intent(&till, &b), before_b);
}

/// A running server trusts a till's secret it has read for `TILL_SECRET_TTL` (5 s): a revocation
/// made by another process reaches it within that time, not at once.
#[test]
fn a_revoked_till_is_refused_within_the_secret_cache_lifetime() {
    let s = PayServer::start(NO_LIMIT, &["till-1", "till-2"]);
    let (t1, t2) = (s.till(0).clone(), s.till(1).clone());
    let (id, url) = s.new_intent(&t1, 700);
    let (id2, _) = s.new_intent(&t2, 800);

    let revoked_at = Instant::now();
    let o = common::run(
        s.dir.path(),
        &["pay-server", "till", "revoke", "till-1"],
        "",
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    let o = common::run(s.dir.path(), &["pay-server", "till", "list"], "");
    let list = common::stdout(&o);
    assert!(
        list.lines()
            .any(|l| l.starts_with("till-1") && l.ends_with("revoked")),
        "{list}"
    );
    let o = common::run(
        s.dir.path(),
        &["pay-server", "till", "revoke", "till-1"],
        "",
    );
    assert!(!o.status.success(), "revoking twice fails");

    let path = format!("/api/v1/intents/{id}");
    let ttl = kaching::pay_web::server::TILL_SECRET_TTL;
    // The till is refused once the server forgets its secret: within the lifetime (and a
    // margin for a loaded machine), and for good after that.
    loop {
        let r = s.signed(&t1, "GET", &path, b"");
        if r.status == 401 {
            break;
        }
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(
            revoked_at.elapsed() < ttl + Duration::from_secs(2),
            "a revoked till still served {:?} after its revocation",
            revoked_at.elapsed()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    for (method, p, body) in [
        ("GET", path.clone(), Vec::new()),
        ("GET", format!("{path}/events"), Vec::new()),
        ("POST", format!("{path}/cancel"), Vec::new()),
        (
            "POST",
            "/api/v1/intents".to_owned(),
            serde_json::to_vec(&intent_body(&new_id(), &[("Café", 1, 250)])).unwrap(),
        ),
    ] {
        let r = s.signed(&t1, method, &p, &body);
        assert_eq!(r.status, 401, "{method} {p}: {}", r.body);
    }
    // The other till is untouched.
    assert_eq!(s.status_of(&t2, &id2), "pending");

    // Registered again, the till gets a new secret: the old one stays refused.
    let again = add_till(s.dir.path(), "till-1");
    assert_ne!(again.secret, t1.secret);
    let r = s.signed(&t1, "GET", &path, b"");
    assert_eq!(r.status, 401, "{}", r.body);
    let v = s.intent(&again, &id);
    assert_eq!(v["status"], "pending", "revoking did not touch the intent");
    assert_eq!(v["pay_url"], url.as_str());
}

/// The server remembers a till's secret for a few seconds; a till registered again (revoked, then
/// added with a new secret) must not wait for it to forget the old one.
#[test]
fn a_till_registered_again_is_let_in_at_once_with_its_new_secret() {
    let s = PayServer::start(NO_LIMIT, &["till-1"]);
    let t1 = s.till(0).clone();
    let (id, _) = s.new_intent(&t1, 700);
    let path = format!("/api/v1/intents/{id}");
    assert_eq!(s.signed(&t1, "GET", &path, b"").status, 200);

    let o = common::run(
        s.dir.path(),
        &["pay-server", "till", "revoke", "till-1"],
        "",
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    let again = add_till(s.dir.path(), "till-1");
    let asked = Instant::now();
    assert_eq!(s.status_of(&again, &id), "pending");
    assert!(
        asked.elapsed() < kaching::pay_web::server::TILL_SECRET_TTL,
        "the new secret waited for the old one to be forgotten"
    );
    // Once the new secret is known, the old one is refused.
    let r = s.signed(&t1, "GET", &path, b"");
    assert_eq!(r.status, 401, "{}", r.body);
}

#[test]
fn a_till_cannot_read_cancel_or_take_another_tills_intent() {
    let s = PayServer::start(NO_LIMIT, &["till-1", "till-2"]);
    let (t1, t2) = (s.till(0).clone(), s.till(1).clone());
    let id = new_id();
    let body = intent_body(&id, &[("Croissant", 2, 240)]);
    let r = s.create(&t1, &body);
    assert_eq!(r.status, 201, "{}", r.body);
    let before = s.intent(&t1, &id);

    let path = format!("/api/v1/intents/{id}");
    let r = s.signed(&t2, "GET", &path, b"");
    assert_eq!(r.status, 404, "{}", r.body);
    assert!(!r.body.contains(&id), "{}", r.body);
    let r = s.signed(&t2, "GET", &format!("{path}/events"), b"");
    assert_eq!(r.status, 404, "{}", r.body);
    let r = s.signed(&t2, "POST", &format!("{path}/cancel"), b"");
    assert_eq!(r.status, 404, "{}", r.body);
    // The same id and body from another till: not the first till's intent (its pay_url).
    let r = s.create(&t2, &body);
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(!r.body.contains("/p/"), "{}", r.body);
    // An id that exists nowhere: the same answer as another till's.
    let r = s.signed(&t2, "GET", &format!("/api/v1/intents/{}", new_id()), b"");
    assert_eq!(r.status, 404, "{}", r.body);
    // Ids crafted to widen a query match nothing, for the owner either.
    for crafted in [
        "%27%20OR%20%271%27=%271",
        "%25",
        "*",
        &id.to_uppercase(),
        &format!("{id}%00"),
    ] {
        for till in [&t1, &t2] {
            let p = format!("/api/v1/intents/{crafted}");
            assert_eq!(s.signed(till, "GET", &p, b"").status, 404, "{p}");
            let p = format!("{p}/cancel");
            assert_eq!(s.signed(till, "POST", &p, b"").status, 404, "{p}");
        }
    }
    assert_eq!(s.intent(&t1, &id), before, "nothing changed");
}

#[test]
fn creating_is_idempotent_by_intent_id() {
    let s = PayServer::start(NO_LIMIT, &["till-1"]);
    let till = s.till(0).clone();
    let id = new_id();
    let body = intent_body(&id, &[("Pain au chocolat", 1, 120), ("Café", 1, 250)]);
    let first = s.create(&till, &body);
    assert_eq!(first.status, 201, "{}", first.body);
    let first = first.json();
    // The retry (a new signature, the same request): the same intent.
    let again = s.create(&till, &body);
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.json(), first);

    // The same id for another basket: refused, the first one stands.
    let mut other = intent_body(&id, &[("Pain au chocolat", 1, 120), ("Café", 1, 260)]);
    let r = s.create(&till, &other);
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(r.json()["error"], "conflict");
    other = body.clone();
    other["account"] = json!("sub");
    assert_eq!(s.create(&till, &other).status, 409);
    other = body.clone();
    other["seller"] = json!("Someone else");
    assert_eq!(s.create(&till, &other).status, 409);
    assert_eq!(s.intent(&till, &id)["amount_cents"], 370);
    assert_eq!(s.intent(&till, &id)["pay_url"], first["pay_url"]);

    // Twenty tills' retries at once: one creation, the same intent for all.
    let id = new_id();
    let body = serde_json::to_vec(&intent_body(&id, &[("Éclair", 3, 750)])).unwrap();
    let barrier = Arc::new(std::sync::Barrier::new(20));
    let threads: Vec<_> = (0..20)
        .map(|_| {
            let (till, body, url, barrier) =
                (till.clone(), body.clone(), s.url.clone(), barrier.clone());
            std::thread::spawn(move || {
                let sig = signature_header(
                    till.secret.as_bytes(),
                    unix_now(),
                    "POST",
                    "/api/v1/intents",
                    &body,
                );
                barrier.wait();
                let r = send(
                    &common::http(),
                    "POST",
                    &format!("{url}/api/v1/intents"),
                    &[("Kaching-Till", till.id), ("Kaching-Signature", sig)],
                    &body,
                );
                (r.status, r.json()["pay_url"].as_str().map(str::to_owned))
            })
        })
        .collect();
    let results: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert_eq!(
        results.iter().filter(|r| r.0 == 201).count(),
        1,
        "{results:?}"
    );
    assert!(
        results.iter().all(|r| matches!(r.0, 200 | 201)),
        "{results:?}"
    );
    assert!(results.iter().all(|r| r.1 == results[0].1), "{results:?}");
    assert_eq!(
        counter(&s.metrics(), "kaching_pay_intents_created_total"),
        2
    );
}

#[test]
fn invalid_creation_requests_are_400_and_create_nothing() {
    let s = PayServer::start(NO_LIMIT, &["till-1"]);
    let till = s.till(0).clone();
    let ok = |id: &str| intent_body(id, &[("Pain au chocolat", 1, 120), ("Café", 1, 250)]);
    type Mutate = fn(&mut Value);
    // Well-formed, but the lines do not add up: the one rule the OpenAPI document cannot
    // declare, refused with its own status and code.
    let id = new_id();
    let mut body = ok(&id);
    body["amount_cents"] = json!(371);
    let r = s.create(&till, &body);
    assert_eq!(r.status, 422, "amount not the lines' sum: {}", r.body);
    assert_eq!(r.json()["error"], "amount_mismatch");
    let r = s.signed(&till, "GET", &format!("/api/v1/intents/{id}"), b"");
    assert_eq!(r.status, 404, "a mismatched amount created an intent");
    let cases: Vec<(&str, Mutate)> = vec![
        ("amount 0", |v| {
            v["amount_cents"] = json!(0);
            v["lines"] = json!([{"name": "Rien", "qty": 1, "total_cents": 0}]);
        }),
        ("negative amount", |v| {
            v["amount_cents"] = json!(-100);
            v["lines"] = json!([{"name": "Rendu", "qty": 1, "total_cents": -100}]);
        }),
        ("amount above the maximum", |v| {
            v["amount_cents"] = json!(100_000_001);
            v["lines"] = json!([{"name": "Or", "qty": 1, "total_cents": 100_000_001}]);
        }),
        ("no lines", |v| v["lines"] = json!([])),
        ("201 lines", |v| {
            v["lines"] = json!(vec![json!({"name": "x", "qty": 1, "total_cents": 1}); 201]);
            v["amount_cents"] = json!(201);
        }),
        ("qty 0", |v| v["lines"][0]["qty"] = json!(0)),
        ("qty 1000", |v| v["lines"][0]["qty"] = json!(1000)),
        ("huge qty", |v| v["lines"][0]["qty"] = json!(i64::MAX)),
        ("qty beyond i64", |v| {
            v["lines"][0]["qty"] = serde_json::from_str("1e30").unwrap()
        }),
        ("negative qty", |v| v["lines"][0]["qty"] = json!(-1)),
        ("negative line total", |v| {
            v["lines"][0]["total_cents"] = json!(-120);
            v["lines"][1]["total_cents"] = json!(490);
        }),
        ("totals that overflow", |v| {
            v["lines"][0]["total_cents"] = json!(i64::MAX);
            v["lines"][1]["total_cents"] = json!(i64::MAX);
            v["amount_cents"] = json!(-2);
        }),
        ("empty line name", |v| v["lines"][0]["name"] = json!("   ")),
        ("overlong line name", |v| {
            v["lines"][0]["name"] = json!("x".repeat(81))
        }),
        ("control character", |v| {
            v["lines"][0]["name"] = json!("Café\u{1b}[2J")
        }),
        ("bad account", |v| v["account"] = json!("both")),
        ("overlong seller", |v| v["seller"] = json!("s".repeat(41))),
        ("overlong shop", |v| v["shop_name"] = json!("s".repeat(81))),
        ("amount as text", |v| v["amount_cents"] = json!("370")),
        ("amount as float", |v| v["amount_cents"] = json!(3.7)),
        ("missing lines", |v| {
            v.as_object_mut().unwrap().remove("lines");
        }),
        ("null id", |v| v["intent_id"] = Value::Null),
        ("a fraction", |v| v["lines"][0]["qty"] = json!(1.5)),
        ("an unknown field", |v| v["tip_cents"] = json!(0)),
        ("an unknown field in a line", |v| {
            v["lines"][0]["vat"] = json!(6)
        }),
        ("a tab at the end of the seller", |v| {
            v["seller"] = json!("Khadija\t")
        }),
        ("41 characters, white space included", |v| {
            v["seller"] = json!(format!("{} ", "s".repeat(40)))
        }),
    ];
    for (what, mutate) in cases {
        let id = new_id();
        let mut body = ok(&id);
        mutate(&mut body);
        let r = s.create(&till, &body);
        assert_eq!(r.status, 400, "{what}: {}", r.body);
        assert_eq!(r.json()["error"], "bad_request", "{what}");
        let r = s.signed(&till, "GET", &format!("/api/v1/intents/{id}"), b"");
        assert_eq!(r.status, 404, "{what} created an intent");
    }
    for bad_id in [
        "",
        "x",
        "not-a-uuid",
        "00000000-0000-0000-0000-00000000000g",
        "../../etc",
        // Forms `Uuid::parse_str` takes but `format: uuid` does not.
        "0190a4d27c3e7def8a123456789abcde",
        "{0190a4d2-7c3e-7def-8a12-3456789abcde}",
        "urn:uuid:0190a4d2-7c3e-7def-8a12-3456789abcde",
    ] {
        let r = s.create(&till, &ok(bad_id));
        assert_eq!(r.status, 400, "id {bad_id:?}: {}", r.body);
    }
    assert_eq!(
        counter(&s.metrics(), "kaching_pay_intents_created_total"),
        0
    );
    // The same request, valid, is accepted: the refusals were for the fields. Integers written
    // as JSON Schema allows (`1.0`, `2.5e2`) are integers.
    let id = new_id();
    assert_eq!(s.create(&till, &ok(&id)).status, 201);
    let mut body = ok(&new_id());
    body["lines"][0]["qty"] = json!(1.0);
    body["lines"][1]["total_cents"] = serde_json::from_str("2.5e2").unwrap();
    let r = s.create(&till, &body);
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["amount_cents"], 370);
}

#[test]
fn oversized_and_malformed_bodies_are_refused() {
    let s = PayServer::start(NO_LIMIT, &["till-1"]);
    let till = s.till(0).clone();
    let (id, url) = s.new_intent(&till, 880);
    let token = token_of(&url);
    let (csrf, amount) = common::phone_form(&url);
    let before = s.intent(&till, &id);

    // A valid creation padded past 64 KiB, correctly signed: too large.
    let big_id = new_id();
    let mut big = serde_json::to_vec(&intent_body(&big_id, &[("Café", 1, 250)])).unwrap();
    big.extend(std::iter::repeat_n(b' ', 70 * 1024));
    let r = s.signed(&till, "POST", "/api/v1/intents", &big);
    assert_eq!(r.status, 413, "{}", r.body);
    let r = s.signed(&till, "GET", &format!("/api/v1/intents/{big_id}"), b"");
    assert_eq!(r.status, 404, "the oversized request created nothing");
    // A cancel with a large body: too large, nothing cancelled.
    let r = s.signed(
        &till,
        "POST",
        &format!("/api/v1/intents/{id}/cancel"),
        &vec![b'x'; 100 * 1024],
    );
    assert_eq!(r.status, 413, "{}", r.body);

    // Malformed creation bodies, correctly signed.
    let deep = "[".repeat(60_000);
    let malformed: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("not JSON", b"intent please".to_vec()),
        ("truncated", br#"{"intent_id": "#.to_vec()),
        ("an array", b"[1,2,3]".to_vec()),
        ("null", b"null".to_vec()),
        ("an empty object", b"{}".to_vec()),
        ("invalid UTF-8", vec![b'{', b'"', 0xff, 0xfe, b'"', b'}']),
        ("deeply nested", deep.into_bytes()),
        (
            "a NUL",
            b"{\"intent_id\":\"a\0\",\"amount_cents\":1}".to_vec(),
        ),
    ];
    for (what, body) in &malformed {
        let r = s.signed(&till, "POST", "/api/v1/intents", body);
        assert_eq!(r.status, 400, "{what}: {}", r.body);
    }

    // Malformed or oversized confirmation forms: refused, and the form still works after.
    let good = form_body(&csrf, &amount);
    let padded = format!("{good}&pad={}", "a".repeat(100 * 1024));
    let ct = |v: &str| vec![("Content-Type", v.to_owned())];
    type Headers = Vec<(&'static str, String)>;
    let forms: Vec<(&str, Headers, String)> = vec![
        ("oversized", ct("application/x-www-form-urlencoded"), padded),
        (
            "empty",
            ct("application/x-www-form-urlencoded"),
            String::new(),
        ),
        (
            "garbage",
            ct("application/x-www-form-urlencoded"),
            "%%%&&==".into(),
        ),
        (
            "no amount",
            ct("application/x-www-form-urlencoded"),
            format!("csrf={csrf}"),
        ),
        (
            "two amounts",
            ct("application/x-www-form-urlencoded"),
            format!("csrf={csrf}&amount_cents=1&amount_cents={amount}"),
        ),
        (
            "JSON",
            ct("application/json"),
            json!({"csrf": csrf, "amount_cents": 880}).to_string(),
        ),
        ("no content type", Vec::new(), good.clone()),
        (
            "multipart",
            ct("multipart/form-data; boundary=x"),
            good.clone(),
        ),
    ];
    for (what, headers, body) in &forms {
        let r = s.raw(
            "POST",
            &format!("/p/{token}/confirm"),
            headers,
            body.as_bytes(),
        );
        assert!(
            (400..500).contains(&r.status),
            "{what}: {} {}",
            r.status,
            r.body
        );
        assert_eq!(s.intent(&till, &id), before, "{what} changed the intent");
    }
    // Methods the routes do not take.
    for (method, p) in [
        ("GET", format!("/p/{token}/confirm")),
        ("PUT", format!("/p/{token}")),
        ("DELETE", format!("/api/v1/intents/{id}")),
        ("GET", "/api/v1/intents".to_owned()),
    ] {
        let r = s.raw(method, &p, &[], b"");
        assert!((400..500).contains(&r.status), "{method} {p}: {}", r.status);
    }
    assert_eq!(s.intent(&till, &id), before);
    assert_eq!(s.get("/healthz").status, 200, "the server is still up");
    assert_eq!(common::press(&url, &(csrf, amount)).0, 303);
}

#[test]
fn the_token_is_random_and_is_not_the_intent_id() {
    let s = PayServer::start(NO_LIMIT, &["till-1"]);
    let till = s.till(0).clone();
    let mut tokens = std::collections::HashSet::new();
    for _ in 0..5 {
        let (id, url) = s.new_intent(&till, 100);
        assert!(url.starts_with(&format!("{}/p/", s.url)), "{url}");
        let token = token_of(&url);
        assert_eq!(token.len(), 64, "{token}");
        assert!(
            token
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
            "{token}"
        );
        assert_ne!(token, id);
        assert!(!token.contains(&id.replace('-', "")[..12]), "{token} {id}");
        assert!(!url.contains(&id), "{url}");
        assert!(tokens.insert(token), "tokens are unique");
    }
}

#[test]
fn the_customer_page_escapes_html() {
    let s = PayServer::start(NO_LIMIT, &["till-1"]);
    let till = s.till(0).clone();
    let id = new_id();
    let mut body = intent_body(
        &id,
        &[
            ("<script>alert(1)</script>", 1, 100),
            ("\"><img src=x onerror=alert(2)>", 1, 200),
        ],
    );
    body["seller"] = json!("<b>Mallory</b>");
    body["shop_name"] = json!("Shop & <i>Co</i>");
    let r = s.create(&till, &body);
    assert_eq!(r.status, 201, "{}", r.body);
    let url = r.json()["pay_url"].as_str().unwrap().to_owned();
    let r = s.get(&url[s.url.len()..]);
    assert_eq!(r.status, 200);
    assert!(
        r.content_type.starts_with("text/html"),
        "{}",
        r.content_type
    );
    let page = &r.body;
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
    assert!(!page.contains("<script"), "{page}");
    assert!(!page.contains("<img"), "{page}");
    assert!(page.contains("&lt;b&gt;Mallory&lt;/b&gt;"), "{page}");
    assert!(page.contains("Shop &amp; &lt;i&gt;Co&lt;/i&gt;"), "{page}");
    assert!(!page.contains("<b>") && !page.contains("<i>"), "{page}");
    // Defence in depth: no script may run, no framing, no caching.
    let csp = r.header("content-security-policy").unwrap_or_default();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert_eq!(r.header("x-frame-options"), Some("DENY"));
    assert_eq!(r.header("cache-control"), Some("no-store"));
    // The refusal pages (which echo the intent) are escaped too.
    let r = s.confirm_raw(&token_of(&url), &[], &form_body("00", "300"));
    assert_eq!(r.status, 403);
    assert!(!r.body.contains("<script"), "{}", r.body);
}

#[test]
fn the_customer_routes_are_rate_limited_per_client() {
    let s = PayServer::start(
        &[
            ("KACHING_PAY_SERVER__RATE_PER_SECOND", "1"),
            ("KACHING_PAY_SERVER__RATE_BURST", "3"),
        ],
        &["till-1"],
    );
    let till = s.till(0).clone();
    let (id, url) = s.new_intent(&till, 100);
    let token = token_of(&url);
    let path = format!("/p/{token}");
    // Each request on a new connection, as a token-guessing script would (actix spreads
    // connections over its workers).
    let statuses: Vec<u16> = (0..12).map(|_| s.get(&path).status).collect();
    assert_eq!(&statuses[..3], &[200, 200, 200], "{statuses:?}");
    assert!(statuses.contains(&429), "{statuses:?}");
    // Guessing tokens is limited the same way, and so is confirming.
    assert_eq!(s.get(&format!("/p/{}", "a".repeat(64))).status, 429);
    let r = s.confirm_raw(&token, &[], &form_body("00", "100"));
    assert_eq!(r.status, 429, "{}", r.body);
    // The till's API and the health check are not the phone's quota.
    assert_eq!(s.status_of(&till, &id), "pending");
    assert_eq!(s.get("/healthz").status, 200);
    // A forged X-Forwarded-For or Forwarded header does not buy a fresh quota.
    for (h, v) in [
        ("X-Forwarded-For", "203.0.113.7"),
        ("X-Real-IP", "203.0.113.8"),
        ("Forwarded", "for=203.0.113.9"),
    ] {
        assert_eq!(
            s.raw("GET", &path, &[(h, v.to_owned())], b"").status,
            429,
            "{h}"
        );
    }
    // The quota comes back with time.
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(s.get(&path).status, 200);
    // The burst is the burst: 3 requests (one more at most, replenished while they ran), not
    // 3 per worker thread.
    let allowed = statuses.iter().take_while(|&&c| c == 200).count();
    assert!(
        allowed <= 4,
        "burst 3 let {allowed} requests through: {statuses:?} (one limiter per worker?)"
    );
}

#[test]
fn health_metrics_and_openapi_are_served() {
    let s = PayServer::start(NO_LIMIT, &["till-1"]);
    let r = s.get("/healthz");
    assert_eq!(r.status, 200);
    assert_eq!(r.body, "ok");
    let till = s.till(0).clone();
    let (_, url) = s.new_intent(&till, 100);
    assert_eq!(common::phone_confirms(&url).0, 303);
    let m = s.metrics();
    assert!(m.contains("kaching_pay_confirmations_total"), "{m}");
    assert_eq!(
        counter(&m, "kaching_pay_confirmations_total{outcome=\"paid\"}"),
        1,
        "{m}"
    );
    assert_eq!(counter(&m, "kaching_pay_intents_created_total"), 1, "{m}");
    assert!(m.contains("kaching_pay_auth_failures_total"), "{m}");
    assert!(m.trim_end().ends_with("# EOF"), "{m}");
    let r = s.get("/api/v1/openapi.json");
    assert_eq!(r.status, 200);
    assert!(
        r.content_type.starts_with("application/json"),
        "{}",
        r.content_type
    );
    let doc = r.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with('3'), "{doc}");
    let paths = doc["paths"].as_object().expect("paths");
    for p in [
        "/api/v1/intents",
        "/api/v1/intents/{id}",
        "/api/v1/intents/{id}/cancel",
        "/api/v1/intents/{id}/events",
    ] {
        assert!(paths.contains_key(p), "{p} missing from {:?}", paths.keys());
    }
    assert!(paths["/api/v1/intents"].get("post").is_some());
    assert!(paths["/api/v1/intents/{id}"].get("get").is_some());
    // The documentation does not leak secrets.
    assert!(!r.body.contains(&s.till(0).secret));
}

#[test]
fn the_events_stream_is_signed_per_till_and_ends_on_a_final_state() {
    let s = PayServer::start(NO_LIMIT, &["till-1", "till-2"]);
    let (t1, t2) = (s.till(0).clone(), s.till(1).clone());
    let (id, url) = s.new_intent(&t1, 650);
    assert_eq!(common::phone_confirms(&url).0, 303);
    let events = format!("/api/v1/intents/{id}/events");
    let r = s.signed(&t1, "GET", &events, b"");
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.content_type.starts_with("text/event-stream"),
        "{}",
        r.content_type
    );
    assert!(r.body.contains("event: status"), "{}", r.body);
    let data = r
        .body
        .lines()
        .find_map(|l| l.strip_prefix("data: "))
        .expect("a data line");
    let view: Value = serde_json::from_str(data).unwrap();
    assert_eq!(view["status"], "paid");
    assert_eq!(view["intent_id"], id.as_str());
    assert_eq!(s.signed(&t2, "GET", &events, b"").status, 404);
    assert_eq!(s.get(&events).status, 401);
}

/// A counter that has not moved yet is still exported (at 0): Prometheus' advice ("avoid
/// missing metrics"), so that `rate()` sees the first confirmation and a dashboard or an alert on
/// `outcome="csrf"` has a series before the first attack.
#[test]
fn the_confirmation_counter_is_exported_before_the_first_confirmation() {
    let s = PayServer::start(NO_LIMIT, &[]);
    let m = s.metrics();
    for outcome in [
        "paid",
        "replay",
        "cancelled",
        "expired",
        "amount",
        "csrf",
        "unknown",
    ] {
        let series = format!("kaching_pay_confirmations_total{{outcome=\"{outcome}\"}} 0");
        assert!(m.lines().any(|l| l == series), "no {series} in\n{m}");
    }
}
