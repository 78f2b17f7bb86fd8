//! Shared helpers for the integration tests: they drive the real `kaching` binary, its headless
//! protocol and real SQLite files, as a user or a script would.
#![allow(dead_code)]

pub mod escpos_decode;
pub mod gui;
pub mod haproxy;
pub mod mysql;
pub mod pay_server;
pub mod payconiq_sim;
pub mod proxy;
pub mod rng;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_kaching");
/// Pepper used by every test till, so PINs hashed by one process verify in another.
pub const PEPPER: &str = "test-pepper-not-a-secret";
const WAIT: Duration = Duration::from_secs(20);

/// A `kaching` command with the test's data dir and pepper, logs quiet.
pub fn kaching(data_dir: &Path) -> Command {
    // The benchmarks may measure another build of the same program (e.g. the `dist` profile).
    let bin = std::env::var("KACHING_BENCH_BIN").unwrap_or_else(|_| BIN.to_owned());
    let mut c = Command::new(bin);
    c.arg("--data-dir")
        .arg(data_dir)
        .env("KACHING_PIN_PEPPER", PEPPER)
        .env("KACHING_LOG", "error");
    for (k, _) in std::env::vars() {
        if k.starts_with("KACHING_")
            && k != "KACHING_PIN_PEPPER"
            && k != "KACHING_LOG"
            && k != "KACHING_BENCH_BIN"
        {
            c.env_remove(k);
        }
    }
    // No LAN payment server unless a test asks for one (tests run in parallel: no fixed port).
    c.env("KACHING_PAYMENT__LAN_BIND", "");
    c
}

/// Runs `kaching ARGS` with `stdin` and returns its output.
pub fn run(data_dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut cmd = kaching(data_dir);
    cmd.args(args);
    run_cmd(cmd, stdin)
}

/// Runs a prepared command (env, args…) with `stdin` and returns its output.
pub fn run_cmd(mut cmd: Command, stdin: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn kaching");
    // A program that refuses to start may have closed its stdin already: not the test's error.
    if let Err(e) = child.stdin.take().unwrap().write_all(stdin.as_bytes()) {
        assert_eq!(
            e.kind(),
            std::io::ErrorKind::BrokenPipe,
            "writing stdin: {e}"
        );
    }
    child.wait_with_output().unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh data dir seeded with the ORIGIN.md shop (catalogue and staff with demo PINs).
pub fn seeded_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["demo", "--seed-only"], "");
    assert!(o.status.success(), "seeding failed: {}", stderr(&o));
    dir
}

/// [`seeded_dir`] with products 901…909 at 1,01 € … 1,09 € (21 %): totals ending in every
/// digit, for the cash rounding.
pub fn seeded_dir_with_cent_prices() -> tempfile::TempDir {
    let dir = seeded_dir();
    let csv = dir.path().join("cents.csv");
    let mut text = "code,barcode,name,price,vat_rate\n".to_owned();
    for d in 1..=9 {
        text.push_str(&format!("90{d},,Article {d},1.0{d},21\n"));
    }
    std::fs::write(&csv, text).unwrap();
    let o = run(
        dir.path(),
        &["catalog", "import", csv.to_str().unwrap()],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    dir
}

/// A running `kaching till --headless`, spoken to line by line.
pub struct Till {
    pub child: Child,
    stdin: Option<ChildStdin>,
    events: Receiver<Value>,
    /// Every event seen, in order.
    pub seen: Vec<Value>,
    pub data_dir: PathBuf,
}

impl Till {
    pub fn start(data_dir: &Path) -> Till {
        Till::start_with(kaching(data_dir))
    }

    /// Starts from a prepared command (env, faketime…), adding `till --headless`.
    pub fn start_with(cmd: Command) -> Till {
        Till::start_with_stderr(cmd, Stdio::inherit())
    }

    /// [`Till::start_with`], the till's stderr (its log) going to `stderr`, e.g. a file.
    pub fn start_with_stderr(mut cmd: Command, stderr: impl Into<Stdio>) -> Till {
        let data_dir = cmd
            .get_args()
            .skip_while(|a| *a != "--data-dir")
            .nth(1)
            .map(PathBuf::from)
            .unwrap_or_default();
        let mut child = cmd
            .args(["till", "--headless"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("spawn kaching till --headless");
        let stdin = child.stdin.take();
        let out = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                let v: Value = serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("stdout line is not JSON ({e}): {line}"));
                if tx.send(v).is_err() {
                    break;
                }
            }
        });
        let mut t = Till {
            child,
            stdin,
            events: rx,
            seen: Vec::new(),
            data_dir,
        };
        t.wait_for("ready");
        t
    }

    pub fn send(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{line}").unwrap();
        stdin.flush().unwrap();
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    /// The next event, or `None` when stdout closed; panics after 20 s of silence.
    pub fn next(&mut self) -> Option<Value> {
        match self.events.recv_timeout(WAIT) {
            Ok(v) => {
                self.seen.push(v.clone());
                Some(v)
            }
            Err(RecvTimeoutError::Disconnected) => None,
            Err(RecvTimeoutError::Timeout) => {
                panic!("no event for {WAIT:?}; seen: {:#?}", self.seen)
            }
        }
    }

    /// Like [`Till::next`], but waits at most `d`: `Err(Timeout)` after `d` of silence,
    /// `Err(Disconnected)` once stdout closed.
    pub fn next_within(&mut self, d: Duration) -> Result<Value, RecvTimeoutError> {
        let v = self.events.recv_timeout(d)?;
        self.seen.push(v.clone());
        Ok(v)
    }

    /// Skips events until one named `name` arrives.
    pub fn wait_for(&mut self, name: &str) -> Value {
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            match self.next() {
                Some(v) if v["event"] == name => return v,
                Some(_) => {}
                None => panic!(
                    "till exited while waiting for {name}; seen: {:#?}",
                    self.seen
                ),
            }
        }
        panic!("no {name} event; seen: {:#?}", self.seen)
    }

    /// Sends `line` then `status`, and returns the events in between (the ones `line` caused,
    /// plus any background event that happened to arrive).
    pub fn cmd(&mut self, line: &str) -> Vec<Value> {
        self.send(line);
        self.send("status");
        let mut out = Vec::new();
        loop {
            match self.next() {
                Some(v) if v["event"] == "status" => return out,
                Some(v) => out.push(v),
                None => panic!("till exited after {line:?}; seen: {:#?}", self.seen),
            }
        }
    }

    /// Like [`Till::cmd`], then the first event named `name` that `line` caused, whether it
    /// came before the `status` reply (and [`Till::cmd`] took it) or after. For background
    /// events such as `printed`, which may beat the status reply.
    pub fn cmd_awaiting(&mut self, line: &str, name: &str) -> (Vec<Value>, Value) {
        let ev = self.cmd(line);
        let found = ev.iter().find(|e| e["event"] == name).cloned();
        let e = found.unwrap_or_else(|| self.wait_for(name));
        (ev, e)
    }

    /// Like [`Till::cmd`] and expects exactly one `error` event with `code`, and nothing else.
    pub fn expect_error(&mut self, line: &str, code: &str) -> Value {
        let evs: Vec<Value> = self
            .cmd(line)
            .into_iter()
            .filter(|e| !is_background(e))
            .collect();
        assert_eq!(
            evs.len(),
            1,
            "{line:?} should give one error event, got {evs:#?}"
        );
        assert_eq!(evs[0]["event"], "error", "{line:?}: {evs:#?}");
        assert_eq!(evs[0]["code"], code, "{line:?}: {evs:#?}");
        evs[0].clone()
    }

    /// The `status` event now.
    pub fn status(&mut self) -> Value {
        self.send("status");
        self.wait_for("status")
    }

    /// `quit`, and waits for the process to exit.
    pub fn quit(mut self) -> Vec<Value> {
        self.send("quit");
        drop(self.stdin.take());
        while self.next().is_some() {}
        let status = self.child.wait().unwrap();
        assert!(status.success(), "till exited with {status}");
        std::mem::take(&mut self.seen)
    }
}

impl Drop for Till {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Events that the runtime emits on its own schedule (printer, clock), not as a command's answer.
pub fn is_background(e: &Value) -> bool {
    matches!(
        e["event"].as_str(),
        Some("printed" | "print_failed" | "closing_soon" | "clock_warning" | "connectivity")
    )
}

/// The path of libfaketime on Debian (installed by scripts/setup.sh). Tests that need it fail
/// with this message when it is missing: they are never skipped.
pub fn libfaketime() -> PathBuf {
    for p in [
        "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
        "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
        "/usr/lib/arm-linux-gnueabihf/faketime/libfaketime.so.1",
        "/usr/lib/faketime/libfaketime.so.1",
    ] {
        if Path::new(p).exists() {
            return PathBuf::from(p);
        }
    }
    panic!("libfaketime is not installed: run scripts/setup.sh test (apt-get install libfaketime)");
}

/// A plain HTTP client for tests acting as a customer's phone or a till: statuses are values,
/// redirects are not followed.
pub fn http() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

/// `GET url` → (status, body).
pub fn get(url: &str) -> (u16, String) {
    let mut r = http().get(url).call().expect("GET");
    let status = r.status().as_u16();
    (status, r.body_mut().read_to_string().unwrap_or_default())
}

/// `POST url` with a form → (status, body).
pub fn post_form(url: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let mut r = http()
        .post(url)
        .send_form(fields.iter().copied())
        .expect("POST");
    let status = r.status().as_u16();
    (status, r.body_mut().read_to_string().unwrap_or_default())
}

/// The value of the hidden input `name` in a page.
pub fn hidden_input(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_owned())
}

/// The confirmation form of a customer's page: (csrf, amount_cents).
pub fn phone_form(pay_url: &str) -> (String, String) {
    let (status, page) = get(pay_url);
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Valider le paiement"), "{page}");
    (
        hidden_input(&page, "csrf").expect("csrf field"),
        hidden_input(&page, "amount_cents").expect("amount field"),
    )
}

/// Presses « Valider le paiement » with `form` → (status, page).
pub fn press(pay_url: &str, form: &(String, String)) -> (u16, String) {
    post_form(
        &format!("{pay_url}/confirm"),
        &[("csrf", &form.0), ("amount_cents", &form.1)],
    )
}

/// The customer's phone: opens the page and presses « Valider le paiement ».
pub fn phone_confirms(pay_url: &str) -> (u16, String) {
    press(pay_url, &phone_form(pay_url))
}

/// A free TCP port on loopback (bound then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The first event named `name` among `events` (panics, listing them, when there is none).
pub fn find_event(events: &[Value], name: &str) -> Value {
    events
        .iter()
        .find(|e| e["event"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("no {name} in {events:#?}"))
}

/// Integer field `k` of an event (panics when it has none).
pub fn int(v: &Value, k: &str) -> i64 {
    v[k].as_i64().unwrap_or_else(|| panic!("no {k} in {v}"))
}

/// Waits until a sync round that started after this call completed online with nothing left
/// to push (and so pulled the central staff and catalogue too).
pub fn wait_synced(till: &mut Till) {
    let start = till.status()["sync_rounds"].as_u64().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        let s = till.status();
        if s["sync_rounds"].as_u64().unwrap() >= start + 2
            && s["online"] == true
            && s["outbox_pending"] == 0
        {
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("not synced: {:#?}", till.status());
}

/// Sets the frozen wall-clock time (Brussels local) that libfaketime hands to a till reading
/// `file` (`FAKETIME_TIMESTAMP_FILE`).
pub fn set_time(file: &Path, local: &str) {
    std::fs::write(file, format!("{local}\n")).unwrap();
}

/// `kaching` against the central database `url`.
pub fn central_cmd(dir: &Path, url: &str) -> Command {
    let mut c = kaching(dir);
    c.env("KACHING_CENTRAL__URL", url);
    c
}

/// `kaching ARGS` against the central database: its stdout (panics when it fails).
pub fn central_stdout(dir: &Path, url: &str, args: &[&str]) -> String {
    let mut cmd = central_cmd(dir, url);
    cmd.args(args);
    let o = run_cmd(cmd, "");
    assert!(o.status.success(), "kaching {args:?}: {}", stderr(&o));
    stdout(&o)
}

/// `kaching ARGS` against the central database: its stdout as JSON.
pub fn central_json(dir: &Path, url: &str, args: &[&str]) -> Value {
    let out = central_stdout(dir, url, args);
    serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("kaching {args:?} is not JSON ({e}): {out}"))
}
