//! The customer's phone, as a real browser: headless Chromium (Debian's `chromium`, driven over
//! the WebDriver protocol through Debian's `chromedriver`) at a phone's viewport opens the
//! till's `pay_url`, presses « Valider le paiement », and the till learns of it. The pages before
//! and after the press are saved as screenshots under docs/screens/.
//!
//! Chromium and chromedriver are test requirements (scripts/setup.sh test installs them): when
//! they are missing the test fails and says what to install, it is never skipped.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The phone's viewport, in CSS pixels (an iPhone 12–15 sized screen).
const PHONE_W: u32 = 390;
const PHONE_H: u32 = 844;
/// Device pixels per CSS pixel: screenshots are PHONE_W×PHONE_H times this.
const PIXEL_RATIO: u32 = 2;
const INSTALL_HINT: &str = "run scripts/setup.sh test \
    (apt-get install chromium chromium-driver fonts-dejavu-core)";
/// The W3C WebDriver key of an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// `name` on $PATH, else in /usr/bin; panics with what to install when it is nowhere.
fn program(name: &str, package: &str) -> PathBuf {
    let dirs = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&dirs)
        .chain([PathBuf::from("/usr/bin")])
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "`{name}` is not installed (Debian package `{package}`): the phone browser \
                 test needs it; {INSTALL_HINT}"
            )
        })
}

/// A chromedriver process and one headless Chromium session on it; both end on drop.
struct Browser {
    driver: Child,
    base: String,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver on a free port and opens a Chromium session emulating a phone.
    #[allow(clippy::zombie_processes)] // Browser's Drop (or the failure path) kills and waits.
    fn phone() -> Browser {
        Browser::phone_in("fr-FR")
    }

    /// A phone whose browser asks for `lang` (`--lang` and its `Accept-Language`).
    #[allow(clippy::zombie_processes)] // Browser's Drop (or the failure path) kills and waits.
    fn phone_in(lang: &str) -> Browser {
        let chromium = program("chromium", "chromium");
        let chromedriver = program("chromedriver", "chromium-driver");
        let port = common::free_port();
        let mut driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start {}: {e}; {INSTALL_HINT}",
                    chromedriver.display()
                )
            });
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let ready = common::http()
                .get(&format!("{base}/status"))
                .call()
                .ok()
                .and_then(|mut r| r.body_mut().read_to_string().ok())
                .and_then(|b| serde_json::from_str::<Value>(&b).ok())
                .is_some_and(|v| v["value"]["ready"] == true);
            if ready {
                break;
            }
            if let Ok(Some(status)) = driver.try_wait() {
                panic!("chromedriver exited at start ({status}); {INSTALL_HINT}");
            }
            if Instant::now() > deadline {
                let _ = driver.kill();
                let _ = driver.wait();
                panic!("chromedriver did not answer on {base} within 20 s");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let args = [
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-quic".to_owned(),
            "--no-proxy-server".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--hide-scrollbars".to_owned(),
            format!("--lang={lang}"),
            format!("--window-size={PHONE_W},{PHONE_H}"),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": args,
                "prefs": { "intl.accept_languages": lang },
                "mobileEmulation": {
                    "deviceMetrics": { "width": PHONE_W, "height": PHONE_H, "pixelRatio": PIXEL_RATIO, "touch": true },
                    "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 \
                                  (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36",
                },
            },
        }}});
        let mut browser = Browser {
            driver,
            base,
            session: String::new(),
            _profile: profile,
        };
        let v = browser.call("POST", "/session", Some(caps));
        browser.session = v["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session from chromedriver: {v}"))
            .to_owned();
        browser
    }

    /// One WebDriver command → its `value`; panics on a WebDriver error.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = if path == "/session" {
            format!("{}{path}", self.base)
        } else {
            format!("{}/session/{}{path}", self.base, self.session)
        };
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let response = match (method, body) {
            ("GET", _) => agent.get(&url).call(),
            ("DELETE", _) => agent.delete(&url).call(),
            (_, body) => agent
                .post(&url)
                .header("Content-Type", "application/json")
                .send(body.unwrap_or_else(|| json!({})).to_string()),
        };
        let mut response = response.unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"));
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap_or_default();
        let v: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("WebDriver {method} {path}: not JSON ({e}): {text}"));
        assert!(
            status == 200,
            "WebDriver {method} {path} failed ({status}): {}",
            v["value"]
        );
        v["value"].clone()
    }

    fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    fn find(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            "/element",
            Some(json!({ "using": "css selector", "value": css })),
        );
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element reference for {css:?}: {v}"))
            .to_owned()
    }

    fn text(&self, element: &str) -> String {
        let v = self.call("GET", &format!("/element/{element}/text"), None);
        v.as_str().unwrap_or_default().to_owned()
    }

    /// `return (script)` run in the page.
    fn eval(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({ "script": format!("return {script};"), "args": [] })),
        )
    }

    /// The visible text of the page.
    fn body_text(&self) -> String {
        let body = self.find("body");
        self.text(&body)
    }

    /// Waits until the visible text of the page contains `needle`.
    fn wait_for_text(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let text = self.body_text();
            if text.contains(needle) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "the page never showed {needle:?}; it shows: {text}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Saves a screenshot of the viewport to `path` and returns the PNG's (width, height).
    fn screenshot(&self, path: &Path) -> (u32, u32) {
        let v = self.call("GET", "/screenshot", None);
        let png = base64_decode(v.as_str().expect("base64 screenshot"));
        let size = png_size(&png);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &png).unwrap();
        size
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let url = format!("{}/session/{}", self.base, self.session);
            let _ = common::http().delete(&url).call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Standard base64 (with or without padding) → bytes.
fn base64_decode(text: &str) -> Vec<u8> {
    fn sextet(c: u8) -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {:?}", c as char),
        }
    }
    let digits: Vec<u8> = text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= sextet(c) << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

/// The (width, height) of a PNG, read from its signature and IHDR chunk.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(
        png.len() >= 24 && png.starts_with(b"\x89PNG\r\n\x1a\n") && &png[12..16] == b"IHDR",
        "the screenshot is not a PNG ({} bytes)",
        png.len()
    );
    let be = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

#[test]
fn a_phone_browser_opens_the_pay_url_presses_the_button_and_the_till_learns_of_it() {
    // Check the browser first, so a machine without it fails fast with what to install.
    let browser = Browser::phone();

    let dir = common::seeded_dir();
    let mut cmd = common::kaching(dir.path());
    cmd.env("KACHING_PAYMENT__LAN_BIND", "127.0.0.1:0");
    let mut till = common::Till::start_with(cmd);
    assert!(
        till.cmd("login 1 1111")
            .iter()
            .any(|e| e["event"] == "logged_in"),
        "login: {:#?}",
        till.seen
    );
    till.cmd("scan 1234");
    till.cmd("scan 0000");
    let events = till.cmd("pay main");
    let pending = events
        .iter()
        .find(|e| e["event"] == "payment_pending")
        .unwrap_or_else(|| panic!("no payment_pending: {events:#?}"))
        .clone();
    let pay_url = pending["pay_url"].as_str().expect("pay_url").to_owned();
    let total =
        format!("{:.2} €", pending["amount_cents"].as_f64().unwrap() / 100.0).replace('.', ",");

    // The customer's page, as the phone shows it.
    browser.goto(&pay_url);
    let text = browser.wait_for_text("Valider le paiement");
    assert!(
        text.contains("Pain au chocolat") && text.contains(&total),
        "the page shows the lines and the total ({total}): {text}"
    );
    assert_eq!(
        browser.eval("window.innerWidth"),
        json!(PHONE_W),
        "the browser has a phone's viewport"
    );
    assert!(
        browser
            .eval("document.documentElement.scrollWidth")
            .as_u64()
            <= Some(u64::from(PHONE_W)),
        "the page fits the phone's width without scrolling sideways"
    );
    let button = browser.find("button[type=submit]");
    assert_eq!(browser.text(&button), "Valider le paiement");
    let rect = browser.call("GET", &format!("/element/{button}/rect"), None);
    let (w, h) = (
        rect["width"].as_f64().unwrap(),
        rect["height"].as_f64().unwrap(),
    );
    assert!(
        w >= f64::from(PHONE_W) * 0.8 && h >= 44.0,
        "the button is large enough for a thumb: {w}×{h} CSS px"
    );
    let y = rect["y"].as_f64().unwrap();
    assert!(
        y + h <= f64::from(PHONE_H),
        "the button is on the first screen, without scrolling (bottom at {} px)",
        y + h
    );

    let screens = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screens");
    let expected = (PHONE_W * PIXEL_RATIO, PHONE_H * PIXEL_RATIO);
    assert_eq!(
        browser.screenshot(&screens.join("payment-page-phone.png")),
        expected,
        "the page screenshot is a phone screen"
    );

    // « Valider le paiement »: the till learns of it.
    browser.call("POST", &format!("/element/{button}/click"), Some(json!({})));
    let accepted = till.wait_for("payment_accepted");
    assert_eq!(accepted["intent_id"], pending["intent_id"]);
    let text = browser.wait_for_text("Payé");
    assert!(
        !text.contains("Valider le paiement"),
        "the paid page has no button: {text}"
    );
    assert!(
        browser
            .eval("location.href")
            .as_str()
            .is_some_and(|u| u.starts_with(&pay_url)),
        "the confirmation redirects back to the pay_url"
    );
    assert_eq!(
        browser.screenshot(&screens.join("payment-paid-phone.png")),
        expected,
        "the paid screenshot is a phone screen"
    );

    let events = till.cmd("accept");
    let sale = events
        .iter()
        .find(|e| e["event"] == "sale_committed")
        .unwrap_or_else(|| panic!("no sale_committed: {events:#?}"));
    assert_eq!(sale["method"], "qr");
    assert_eq!(sale["paid_cents"], pending["amount_cents"]);
    drop(browser);
    till.quit();
}

#[test]
fn the_base64_and_png_helpers_read_what_they_should() {
    assert_eq!(base64_decode("TWFu"), b"Man");
    assert_eq!(base64_decode("TWE="), b"Ma");
    assert_eq!(base64_decode("TQ=="), b"M");
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    png.extend_from_slice(&780u32.to_be_bytes());
    png.extend_from_slice(&1688u32.to_be_bytes());
    png.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(png_size(&png), (780, 1688));
}

/// A Dutch-speaking customer (`Accept-Language: nl-BE`) reads the page in Dutch, can switch it
/// to French and back with the FR | NL | EN links, and pays in Dutch; the answer stays Dutch.
#[test]
fn a_dutch_phone_reads_the_page_in_dutch_switches_languages_and_pays() {
    let browser = Browser::phone_in("nl-BE");
    let dir = common::seeded_dir();
    let mut cmd = common::kaching(dir.path());
    cmd.env("KACHING_PAYMENT__LAN_BIND", "127.0.0.1:0");
    let mut till = common::Till::start_with(cmd);
    till.cmd("login 1 1111");
    till.cmd("scan 1234");
    let events = till.cmd("pay main");
    let pending = events
        .iter()
        .find(|e| e["event"] == "payment_pending")
        .unwrap_or_else(|| panic!("no payment_pending: {events:#?}"))
        .clone();
    let pay_url = pending["pay_url"].as_str().expect("pay_url").to_owned();

    browser.goto(&pay_url);
    let text = browser.wait_for_text("Betaling bevestigen");
    assert!(
        text.contains("Totaal: 1,20 €") && text.contains("Verkoper:"),
        "the Dutch page: {text}"
    );
    assert!(
        !text.contains("Valider"),
        "no French on the Dutch page: {text}"
    );
    assert_eq!(browser.eval("document.documentElement.lang"), json!("nl"));
    assert!(
        browser
            .eval("document.documentElement.scrollWidth")
            .as_u64()
            <= Some(u64::from(PHONE_W)),
        "the Dutch page fits the phone's width"
    );
    let screens = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screens");
    browser.screenshot(&screens.join("payment-page-phone-nl.png"));

    // The switch: FR, then NL again.
    let fr = browser.find("nav a[hreflang=fr]");
    browser.call("POST", &format!("/element/{fr}/click"), Some(json!({})));
    let text = browser.wait_for_text("Valider le paiement");
    assert!(text.contains("Total : 1,20 €"), "the French page: {text}");
    let nl = browser.find("nav a[hreflang=nl]");
    browser.call("POST", &format!("/element/{nl}/click"), Some(json!({})));
    browser.wait_for_text("Betaling bevestigen");

    let button = browser.find("button[type=submit]");
    assert_eq!(browser.text(&button), "Betaling bevestigen");
    browser.call("POST", &format!("/element/{button}/click"), Some(json!({})));
    let accepted = till.wait_for("payment_accepted");
    assert_eq!(accepted["intent_id"], pending["intent_id"]);
    let text = browser.wait_for_text("Betaald");
    assert!(!text.contains("Payé"), "the answer stays Dutch: {text}");
    drop(browser);
    till.quit();
}
