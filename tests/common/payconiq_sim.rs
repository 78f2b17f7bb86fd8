//! A Payconiq merchant API v3 simulator on a loopback port: payments, cancellation, refunds,
//! the JWKS, and callbacks signed as Payconiq signs them (a detached ES256 JWS in the
//! `Signature` header). The test drives it through [`PayconiqSim`] (the customer "pays in the
//! app" with [`PayconiqSim::pay`]) and forges callback variants with [`PayconiqSim::sign_with`].

use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::signature::Signer;
use serde_json::{Value, json};

pub const KID: &str = "sim-1";

/// One request the simulator received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub body: String,
    pub idempotency_key: Option<String>,
}

#[derive(Debug, Clone)]
struct Payment {
    id: String,
    amount: i64,
    reference: String,
    description: String,
    callback_url: String,
    status: String,
    created_at: String,
    expires_at: String,
}

#[derive(Debug, Clone)]
struct SimRefund {
    id: String,
    amount: i64,
    status: String,
}

#[derive(Default)]
struct State {
    payments: Vec<Payment>,
    requests: Vec<Recorded>,
    /// (payment id, idempotency key) → the refund.
    refunds: HashMap<(String, String), SimRefund>,
    /// How refund requests are answered: `ok` (SUCCEEDED at once), `pending` (PENDING until
    /// [`PayconiqSim::settle_refunds`]) or `down` (503).
    refund_mode: String,
    no_callbacks: bool,
}

struct Inner {
    api_key: String,
    profile_id: String,
    url: String,
    key: p256::ecdsa::SigningKey,
    jwk: Value,
    state: Mutex<State>,
}

/// The simulator; its server thread lives as long as the test process.
#[derive(Clone)]
pub struct PayconiqSim {
    /// `http://127.0.0.1:port`, the API's base URL.
    pub url: String,
    pub profile_id: String,
    inner: Arc<Inner>,
}

fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    getrandom::fill(&mut b).expect("getrandom");
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn signing_key() -> p256::ecdsa::SigningKey {
    loop {
        let mut b = [0u8; 32];
        getrandom::fill(&mut b).expect("getrandom");
        if let Ok(secret) = p256::SecretKey::from_slice(&b) {
            return p256::ecdsa::SigningKey::from(&secret);
        }
    }
}

/// A plain HTTP client: statuses are values.
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(std::time::Duration::from_secs(10)))
        .build()
        .into()
}

/// `POST url` with `body` and, when given, a `Signature` header → the status answered.
pub fn post_callback(url: &str, signature: Option<&str>, body: &[u8]) -> u16 {
    let mut req = agent().post(url).header("Content-Type", "application/json");
    if let Some(s) = signature {
        req = req.header("Signature", s);
    }
    match req.send(body) {
        Ok(r) => r.status().as_u16(),
        Err(e) => panic!("callback POST to {url} failed: {e}"),
    }
}

impl Inner {
    fn payment_json(&self, p: &Payment) -> Value {
        let self_href = format!("{}/v3/payments/{}", self.url, p.id);
        json!({
            "paymentId": p.id,
            "status": p.status,
            "amount": p.amount,
            "currency": "EUR",
            "description": p.description,
            "reference": p.reference,
            "createdAt": p.created_at,
            "expiresAt": p.expires_at,
            "_links": {
                "self": {"href": self_href},
                "deeplink": {"href": format!("https://payconiq.test/pay/{}", p.id)},
                "qrcode": {"href": qrcode_href(&p.id)},
                "cancel": {"href": self_href},
            }
        })
    }

    fn sign(&self, header: &Value, body: &[u8]) -> String {
        let h64 = URL_SAFE_NO_PAD.encode(serde_json::to_vec(header).unwrap());
        let message = format!("{h64}.{}", URL_SAFE_NO_PAD.encode(body));
        let sig: p256::ecdsa::Signature = self.key.sign(message.as_bytes());
        format!("{h64}..{}", URL_SAFE_NO_PAD.encode(sig.to_bytes()))
    }

    fn header(&self, path: &str) -> Value {
        json!({
            "alg": "ES256",
            "kid": KID,
            "typ": "jose+json",
            "crit": [
                "https://payconiq.com/iss",
                "https://payconiq.com/iat",
                "https://payconiq.com/jti",
                "https://payconiq.com/path",
                "https://payconiq.com/sub"
            ],
            "https://payconiq.com/iss": "Payconiq",
            "https://payconiq.com/iat": now_rfc3339(),
            "https://payconiq.com/jti": random_hex(16),
            "https://payconiq.com/path": path,
            "https://payconiq.com/sub": self.profile_id,
        })
    }

    fn callback_body(p: &Payment, status: &str, amount: i64) -> Vec<u8> {
        serde_json::to_vec(&json!({
            "paymentId": p.id,
            "status": status,
            "amount": amount,
            "currency": "EUR",
            "reference": p.reference,
            "createdAt": p.created_at,
        }))
        .unwrap()
    }

    /// (callback URL, Signature header, body) for `p` now in `status`.
    fn signed(&self, p: &Payment, status: &str, amount: i64) -> (String, String, Vec<u8>) {
        let body = Inner::callback_body(p, status, amount);
        let sig = self.sign(&self.header(&p.callback_url), &body);
        (p.callback_url.clone(), sig, body)
    }
}

/// The `qrcode` link the simulator gives for `payment_id`.
pub fn qrcode_href(payment_id: &str) -> String {
    format!(
        "https://portal.payconiq.test/qrcode?c=https%3A%2F%2Fpayconiq.com%2Fpay%2F2%2F{payment_id}"
    )
}

fn error(status: actix_web::http::StatusCode, code: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({"code": code, "message": code}))
}

async fn handle(req: HttpRequest, body: web::Bytes, inner: web::Data<Arc<Inner>>) -> HttpResponse {
    use actix_web::http::StatusCode;
    let method = req.method().as_str().to_owned();
    let path = req.path().to_owned();
    let idem = req
        .headers()
        .get("Idempotency-Key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    inner.state.lock().unwrap().requests.push(Recorded {
        method: method.clone(),
        path: path.clone(),
        body: String::from_utf8_lossy(&body).into_owned(),
        idempotency_key: idem.clone(),
    });
    if method == "GET" && path == "/jwks" {
        return HttpResponse::Ok().json(json!({"keys": [inner.jwk.clone()]}));
    }
    let auth_ok = req
        .headers()
        .get("Authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == format!("Bearer {}", inner.api_key));
    if !auth_ok {
        return error(StatusCode::UNAUTHORIZED, "UNAUTHORIZED");
    }
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    match (method.as_str(), segs.as_slice()) {
        ("POST", ["v3", "payments"]) => {
            let Ok(v) = serde_json::from_slice::<Value>(&body) else {
                return error(StatusCode::BAD_REQUEST, "INVALID_BODY");
            };
            let (Some(amount), Some(reference), Some(callback_url)) = (
                v["amount"].as_i64(),
                v["reference"].as_str(),
                v["callbackUrl"].as_str(),
            ) else {
                return error(StatusCode::BAD_REQUEST, "INVALID_BODY");
            };
            if v["currency"] != "EUR" || amount <= 0 {
                return error(StatusCode::BAD_REQUEST, "INVALID_AMOUNT");
            }
            let p = Payment {
                id: random_hex(12),
                amount,
                reference: reference.to_owned(),
                description: v["description"].as_str().unwrap_or_default().to_owned(),
                callback_url: callback_url.to_owned(),
                status: "PENDING".into(),
                created_at: now_rfc3339(),
                expires_at: (chrono::Utc::now() + chrono::TimeDelta::minutes(20))
                    .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            };
            let out = inner.payment_json(&p);
            inner.state.lock().unwrap().payments.push(p);
            HttpResponse::Created().json(out)
        }
        ("GET", ["v3", "payments", id]) => {
            let st = inner.state.lock().unwrap();
            match st.payments.iter().find(|p| p.id == *id) {
                Some(p) => HttpResponse::Ok().json(inner.payment_json(p)),
                None => error(StatusCode::NOT_FOUND, "PAYMENT_NOT_FOUND"),
            }
        }
        ("DELETE", ["v3", "payments", id]) => {
            let signed = {
                let mut st = inner.state.lock().unwrap();
                let callbacks = !st.no_callbacks;
                let Some(p) = st.payments.iter_mut().find(|p| p.id == *id) else {
                    return error(StatusCode::NOT_FOUND, "PAYMENT_NOT_FOUND");
                };
                if p.status != "PENDING" {
                    return error(StatusCode::UNPROCESSABLE_ENTITY, "PAYMENT_NOT_PENDING");
                }
                p.status = "CANCELLED".into();
                let p = p.clone();
                callbacks.then(|| inner.signed(&p, "CANCELLED", p.amount))
            };
            if let Some((url, sig, body)) = signed {
                std::thread::spawn(move || {
                    let _ = agent()
                        .post(&url)
                        .header("Content-Type", "application/json")
                        .header("Signature", &sig)
                        .send(&body[..]);
                });
            }
            HttpResponse::NoContent().finish()
        }
        ("POST", ["v3", "payments", id, "refunds"]) => {
            let Some(key) = idem else {
                return error(StatusCode::BAD_REQUEST, "IDEMPOTENCY_KEY_MISSING");
            };
            let mut st = inner.state.lock().unwrap();
            if st.refund_mode == "down" {
                return error(StatusCode::SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE");
            }
            let Some(p) = st.payments.iter().find(|p| p.id == *id).cloned() else {
                return error(StatusCode::NOT_FOUND, "PAYMENT_NOT_FOUND");
            };
            if let Some(r) = st.refunds.get(&(id.to_string(), key.clone())) {
                return HttpResponse::Created().json(json!({"refundId": r.id, "status": r.status}));
            }
            if p.status != "SUCCEEDED" {
                return error(StatusCode::UNPROCESSABLE_ENTITY, "PAYMENT_NOT_REFUNDABLE");
            }
            let amount = serde_json::from_slice::<Value>(&body)
                .ok()
                .and_then(|b| b["amount"].as_i64())
                .unwrap_or(0);
            let refunded: i64 = st
                .refunds
                .iter()
                .filter(|((pid, _), r)| pid == id && r.status != "FAILED")
                .map(|(_, r)| r.amount)
                .sum();
            if amount <= 0 || refunded + amount > p.amount {
                return error(StatusCode::UNPROCESSABLE_ENTITY, "REFUND_AMOUNT_EXCEEDED");
            }
            let status = if st.refund_mode == "pending" {
                "PENDING"
            } else {
                "SUCCEEDED"
            };
            let r = SimRefund {
                id: random_hex(12),
                amount,
                status: status.into(),
            };
            st.refunds.insert((id.to_string(), key), r.clone());
            HttpResponse::Created().json(json!({"refundId": r.id, "status": r.status}))
        }
        ("GET", ["v3", "payments", id, "refunds", refund]) => {
            let st = inner.state.lock().unwrap();
            match st
                .refunds
                .iter()
                .find(|((p, _), r)| p == id && r.id == *refund)
            {
                Some((_, r)) => {
                    HttpResponse::Ok().json(json!({"refundId": r.id, "status": r.status}))
                }
                None => error(StatusCode::NOT_FOUND, "REFUND_NOT_FOUND"),
            }
        }
        _ => error(StatusCode::NOT_FOUND, "NOT_FOUND"),
    }
}

impl PayconiqSim {
    /// Starts a simulator accepting `api_key`, signing callbacks for `profile_id`.
    pub fn start(api_key: &str, profile_id: &str) -> PayconiqSim {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let key = signing_key();
        let jwk_text = p256::PublicKey::from(key.verifying_key()).to_jwk_string();
        let mut jwk: Value = serde_json::from_str(&jwk_text).unwrap();
        jwk["kid"] = json!(KID);
        jwk["use"] = json!("sig");
        let inner = Arc::new(Inner {
            api_key: api_key.to_owned(),
            profile_id: profile_id.to_owned(),
            url: url.clone(),
            key,
            jwk,
            state: Mutex::new(State::default()),
        });
        let data = web::Data::new(inner.clone());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = HttpServer::new(move || {
                    App::new()
                        .app_data(data.clone())
                        .default_service(web::to(handle))
                })
                .workers(1)
                .disable_signals()
                .listen(listener)
                .expect("listen")
                .run();
                tx.send(()).unwrap();
                server.await
            })
        });
        rx.recv().expect("simulator started");
        PayconiqSim {
            url,
            profile_id: profile_id.to_owned(),
            inner,
        }
    }

    pub fn jwks_url(&self) -> String {
        format!("{}/jwks", self.url)
    }

    /// The public key set, as `/jwks` serves it.
    pub fn jwks(&self) -> Value {
        json!({"keys": [self.inner.jwk.clone()]})
    }

    /// `false`: never call back (the pay-server must poll).
    /// How refund requests are answered from now on: `ok`, `pending` or `down`.
    pub fn set_refunds(&self, mode: &str) {
        self.inner.state.lock().unwrap().refund_mode = mode.to_owned();
    }

    /// Every PENDING refund becomes `status` (e.g. `SUCCEEDED`).
    pub fn settle_refunds(&self, status: &str) {
        for r in self.inner.state.lock().unwrap().refunds.values_mut() {
            if r.status == "PENDING" {
                r.status = status.to_owned();
            }
        }
    }

    /// The refunds made: (payment id, idempotency key, amount, status), sorted.
    pub fn refunds(&self) -> Vec<(String, String, i64, String)> {
        let mut out: Vec<_> = self
            .inner
            .state
            .lock()
            .unwrap()
            .refunds
            .iter()
            .map(|((p, k), r)| (p.clone(), k.clone(), r.amount, r.status.clone()))
            .collect();
        out.sort();
        out
    }

    pub fn set_callbacks(&self, on: bool) {
        self.inner.state.lock().unwrap().no_callbacks = !on;
    }

    fn payment(&self, payment_id: &str) -> Payment {
        self.inner
            .state
            .lock()
            .unwrap()
            .payments
            .iter()
            .find(|p| p.id == payment_id)
            .cloned()
            .unwrap_or_else(|| panic!("the simulator has no payment {payment_id}"))
    }

    /// Sets the status and, callbacks on, sends the signed callback: the pay-server's answer.
    pub fn set_status(&self, payment_id: &str, status: &str) -> Option<u16> {
        let (p, callbacks) = {
            let mut st = self.inner.state.lock().unwrap();
            let callbacks = !st.no_callbacks;
            let p = st
                .payments
                .iter_mut()
                .find(|p| p.id == payment_id)
                .unwrap_or_else(|| panic!("the simulator has no payment {payment_id}"));
            p.status = status.to_owned();
            (p.clone(), callbacks)
        };
        if !callbacks {
            return None;
        }
        let (url, sig, body) = self.inner.signed(&p, status, p.amount);
        Some(post_callback(&url, Some(&sig), &body))
    }

    /// The customer pays in the app: SUCCEEDED, and the callback (if on): the answer.
    pub fn pay(&self, payment_id: &str) -> Option<u16> {
        self.set_status(payment_id, "SUCCEEDED")
    }

    /// (id, amount, reference, status) of every payment, oldest first.
    pub fn payments(&self) -> Vec<(String, i64, String, String)> {
        self.inner
            .state
            .lock()
            .unwrap()
            .payments
            .iter()
            .map(|p| {
                (
                    p.id.clone(),
                    p.amount,
                    p.reference.clone(),
                    p.status.clone(),
                )
            })
            .collect()
    }

    /// The callback URL the pay-server gave for `payment_id`.
    pub fn callback_url(&self, payment_id: &str) -> String {
        self.payment(payment_id).callback_url
    }

    /// A correctly signed callback for `payment_id` in `status` with `amount`: (Signature
    /// header, body). Nothing is sent.
    pub fn signed_callback(
        &self,
        payment_id: &str,
        status: &str,
        amount: i64,
    ) -> (String, Vec<u8>) {
        let p = self.payment(payment_id);
        let (_, sig, body) = self.inner.signed(&p, status, amount);
        (sig, body)
    }

    /// The protected header a genuine callback to `path` would carry (fresh iat and jti).
    pub fn header(&self, path: &str) -> Value {
        self.inner.header(path)
    }

    /// The callback body for `payment_id` in `status` with `amount`.
    pub fn callback_body(&self, payment_id: &str, status: &str, amount: i64) -> Vec<u8> {
        Inner::callback_body(&self.payment(payment_id), status, amount)
    }

    /// Signs `body` under any `header` with the simulator's key: a detached JWS.
    pub fn sign_with(&self, header: Value, body: &[u8]) -> String {
        self.inner.sign(&header, body)
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.inner.state.lock().unwrap().requests.clone()
    }
}
