//! The payment server's OpenAPI document is a contract a peer tool accepts: schemathesis (PyPI)
//! reads `/api/v1/openapi.json` from a real `kaching pay-server` on a loopback port, generates
//! requests from it — schema-valid and schema-breaking ones, sequences through the document's
//! links, each till request signed by tests/schemathesis/hooks.py exactly as a till signs it —
//! and checks every answer against the document with all its checks (`--checks all`: no 5xx,
//! only declared statuses, content types and schemas, valid data accepted, invalid data
//! refused, 405 with `Allow` for other methods, credentials really enforced…). One failure
//! fails this test, with schemathesis's report and its seed to replay it.
//!
//! schemathesis is installed by `scripts/setup.sh test` into a venv of its own (the version
//! pinned there) and found through `KACHING_SCHEMATHESIS` (the `st` program), else in that venv;
//! without it this test fails and says which step installs it. Its settings (what 422 means on
//! the creation, the customer page's real token, the event stream read to its first event) are
//! in tests/schemathesis/schemathesis.toml. The server is started by `PayServer::start`, whose
//! rate limit is lifted (every request comes from 127.0.0.1), so no 429 is met here; the
//! customer routes declare theirs all the same.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::pay_server::PayServer;
use kaching::pay_web::sign::signature_header;

/// Examples per operation and phase: about 3 400 requests, about a minute on a 2-core machine.
const MAX_EXAMPLES: &str = "200";
/// Past this the run is killed and the test fails.
const DEADLINE: Duration = Duration::from_secs(360);

/// The `st` program: `KACHING_SCHEMATHESIS`, else the venv `scripts/setup.sh test` makes.
fn schemathesis() -> PathBuf {
    if let Some(st) = std::env::var_os("KACHING_SCHEMATHESIS") {
        let st = PathBuf::from(st);
        assert!(
            st.is_file(),
            "KACHING_SCHEMATHESIS={} is not a file: run `scripts/setup.sh test` (it installs \
             schemathesis into its own venv), or point KACHING_SCHEMATHESIS at an `st` program",
            st.display()
        );
        return st;
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".local/share")))
        .unwrap_or_default();
    let st = data.join("kaching/schemathesis-venv/bin/st");
    assert!(
        st.is_file(),
        "schemathesis is not installed (KACHING_SCHEMATHESIS is not set and {} does not exist): \
         run `scripts/setup.sh test`, which installs it into its own venv",
        st.display()
    );
    st
}

/// A pending intent made as the till makes one; its customer page's token.
fn pending_intent_token(server: &PayServer) -> String {
    let body = serde_json::to_vec(&serde_json::json!({
        "intent_id": uuid::Uuid::now_v7().to_string(),
        "amount_cents": 370,
        "account": "main",
        "seller": "Khadija",
        "shop_name": "KACHING",
        "lines": [
            {"name": "Pain au chocolat", "qty": 1, "total_cents": 120},
            {"name": "Café", "qty": 1, "total_cents": 250}
        ]
    }))
    .unwrap();
    let t = chrono::Utc::now().timestamp();
    let sig = signature_header(
        server.secret.as_bytes(),
        t,
        "POST",
        "/api/v1/intents",
        &body,
    );
    let mut r = common::http()
        .post(format!("{}/api/v1/intents", server.url))
        .header("Kaching-Till", "till-1")
        .header("Kaching-Signature", sig)
        .header("Content-Type", "application/json")
        .send(&body[..])
        .expect("POST /api/v1/intents");
    let text = r.body_mut().read_to_string().unwrap();
    assert_eq!(r.status().as_u16(), 201, "{text}");
    let view: serde_json::Value = serde_json::from_str(&text).unwrap();
    let url = view["pay_url"].as_str().unwrap();
    url.rsplit('/').next().unwrap().to_owned()
}

/// A counter's value in `/metrics` (OpenMetrics text).
fn counter(server: &PayServer, series: &str) -> u64 {
    let (status, text) = common::get(&format!("{}/metrics", server.url));
    assert_eq!(status, 200);
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.trim().parse().ok())
        .unwrap_or(0)
}

#[test]
fn schemathesis_with_every_check_finds_nothing_the_document_does_not_say() {
    let st = schemathesis();
    let server = PayServer::start();
    let token = pending_intent_token(&server);
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemathesis");
    let work = tempfile::tempdir().unwrap();
    let report = work.path().join("schemathesis.txt");
    let mut cmd = Command::new(&st);
    cmd.arg("--config-file")
        .arg(here.join("schemathesis.toml"))
        .args([
            "run",
            &format!("{}/api/v1/openapi.json", server.url),
            "--checks",
            "all",
            "--max-examples",
            MAX_EXAMPLES,
            "--generation-database",
            "none",
            "--no-color",
        ])
        .current_dir(work.path())
        .env("PYTHONPATH", &here)
        .env("SCHEMATHESIS_HOOKS", "hooks")
        .env("KACHING_ST_TILL_ID", "till-1")
        .env("KACHING_ST_TILL_SECRET", &server.secret)
        .env("KACHING_ST_TOKEN", &token)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&report).unwrap())
        .stderr(Stdio::from(
            std::fs::File::create(work.path().join("stderr.txt")).unwrap(),
        ));
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", st.display()));
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let out = std::fs::read_to_string(&report).unwrap_or_default();
    let err = std::fs::read_to_string(work.path().join("stderr.txt")).unwrap_or_default();
    let version = Command::new(&st)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let Some(status) = status else {
        panic!("schemathesis ({version}) did not finish within {DEADLINE:?}:\n{out}\n{err}");
    };
    assert!(
        status.success(),
        "schemathesis ({version}) reports failures ({status}):\n{out}\n{err}"
    );
    // The summary, for the log: how many cases, how long.
    let summary = out
        .lines()
        .skip_while(|l| !l.contains("SUMMARY"))
        .collect::<Vec<_>>()
        .join("\n");
    println!(
        "{version}, {:.0} s:\n{summary}",
        started.elapsed().as_secs_f64()
    );
    // "Test cases:" then e.g. "2013 generated, 2013 passed, 9 skipped".
    let generated: u64 = out
        .lines()
        .find_map(|l| l.trim().split_once(" generated, ")?.0.parse().ok())
        .unwrap_or(0);
    assert!(generated > 0, "no test case ran:\n{out}");
    // The signed routes were exercised, not merely refused: intents were created with the
    // hooks' signatures (beside the one made above), and unsigned ones were refused.
    assert!(
        counter(&server, "kaching_pay_intents_created_total") > 1,
        "schemathesis created no intent: were its requests signed?\n{out}"
    );
    assert!(counter(&server, "kaching_pay_auth_failures_total") > 0);
}
