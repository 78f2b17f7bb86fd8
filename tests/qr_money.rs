//! Money is never lost (issue 11): QR payments that survive a till killed with SIGKILL and a
//! link to the payment server that is cut, through the binary.
//!
//! Every test runs a separate `kaching pay-server` process as the till's hosted payment server;
//! the till reaches it through a TCP proxy of the test's own ([`common::proxy`]), which the
//! test cuts and mends. The test is the customer's phone, straight to the pay-server (the
//! `pay_url` it hands out points to its own address, not to the proxy): a phone on 4G still
//! reaches the server when the shop's link is down. The till has no LAN payment server, so
//! every QR payment is the hosted server's.
//!
//! The ledger is read behind the till's back (`<data dir>/ledger.sqlite`): a paid intent is one
//! sale whose `payment_ref` is the intent's id, never none, never two.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use common::Till;
use common::proxy::Proxy;
use serde_json::Value;

/// How long the till has to learn of something by itself (a reconnect, a retried cancel).
const SETTLE: Duration = Duration::from_secs(15);

// ---------------------------------------------------------------------------------------------
// The proxy itself.

#[test]
fn the_proxy_forwards_bytes_stops_them_when_cut_and_forwards_again_when_restored() {
    // An echo server as the target.
    let echo = TcpListener::bind("127.0.0.1:0").unwrap();
    let target = echo.local_addr().unwrap();
    std::thread::spawn(move || {
        for s in echo.incoming().flatten() {
            std::thread::spawn(move || {
                let mut r = s.try_clone().unwrap();
                let mut w = s;
                let _ = std::io::copy(&mut r, &mut w);
            });
        }
    });
    let proxy = Proxy::start(target);
    let roundtrip = |msg: &[u8]| -> (TcpStream, Vec<u8>) {
        let mut c = TcpStream::connect(proxy.addr()).expect("connect through the proxy");
        c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        c.write_all(msg).unwrap();
        let mut back = vec![0u8; msg.len()];
        c.read_exact(&mut back).expect("echo through the proxy");
        (c, back)
    };

    // Bytes flow both ways.
    let (mut live, back) = roundtrip(b"hello");
    assert_eq!(back, b"hello");
    assert_eq!(proxy.live(), 1, "one live connection");
    assert!(!proxy.is_cut());

    // Cut: the live connection ends, a new one is refused.
    assert_eq!(proxy.cut(), 1, "the live connection was cut");
    assert!(proxy.is_cut());
    let mut buf = [0u8; 16];
    let _ = live.write_all(b"lost?");
    match live.read(&mut buf) {
        Ok(0) | Err(_) => {}
        Ok(n) => panic!(
            "bytes crossed a cut link: {:?}",
            String::from_utf8_lossy(&buf[..n])
        ),
    }
    match TcpStream::connect(proxy.addr()) {
        Err(e) => assert_eq!(e.kind(), ErrorKind::ConnectionRefused, "{e}"),
        Ok(_) => panic!("a cut link accepted a connection"),
    }
    assert_eq!(proxy.live(), 0);

    // Restore: same address, bytes flow again.
    proxy.restore();
    assert!(!proxy.is_cut());
    let (_again, back) = roundtrip(b"again");
    assert_eq!(back, b"again");
    assert_eq!(proxy.accepted(), 2, "two connections forwarded in all");
    // The pump counts a chunk after writing it on: the echo can arrive first.
    let deadline = std::time::Instant::now() + Duration::from_secs(2);
    while proxy.bytes() < 20 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(proxy.bytes() >= 20, "bytes forwarded: {}", proxy.bytes());
}

// ---------------------------------------------------------------------------------------------
// The shop: a pay-server, a proxy in front of it, a till's data dir.

struct Shop {
    server: common::pay_server::PayServer,
    proxy: Proxy,
    dir: tempfile::TempDir,
}

impl Shop {
    fn new() -> Shop {
        let server = common::pay_server::PayServer::start();
        let proxy = Proxy::start(server.addr);
        Shop {
            server,
            proxy,
            dir: common::seeded_dir(),
        }
    }

    fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    /// The till's command: hosted server through the proxy, no LAN server.
    fn till_cmd(&self) -> Command {
        let mut cmd = common::kaching(self.data_dir());
        cmd.env("KACHING_PAYMENT__SERVER_URL", self.proxy.url())
            .env("KACHING_PAYMENT__TILL_SECRET", &self.server.secret)
            .env("KACHING_PAYMENT__LAN_BIND", "");
        cmd
    }

    /// Starts the till (returns after `ready`).
    fn till(&self) -> Till {
        Till::start_with(self.till_cmd())
    }

    /// Sales recorded for `intent_id`.
    fn sales_for(&self, intent_id: &str) -> i64 {
        ledger(self.data_dir())
            .query_row(
                "SELECT COUNT(*) FROM sales WHERE payment_ref = ?1",
                [intent_id],
                |r| r.get(0),
            )
            .unwrap()
    }

    /// `kaching verify` passes.
    fn verify(&self, when: &str) {
        let o = common::run(self.data_dir(), &["verify"], "");
        assert!(
            o.status.success(),
            "{when}: kaching verify failed: {}{}",
            common::stdout(&o),
            common::stderr(&o)
        );
    }
}

fn ledger(dir: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(dir.join(kaching::store::LEDGER_FILE)).unwrap();
    conn.busy_timeout(Duration::from_secs(10)).unwrap();
    conn
}

/// Every sale with a payment reference: ref → (sales, paid_cents of the last one).
fn sales_by_ref(dir: &Path) -> BTreeMap<String, (i64, i64)> {
    let conn = ledger(dir);
    let mut q = conn
        .prepare(
            "SELECT payment_ref, COUNT(*), MAX(paid_cents) FROM sales
             WHERE payment_ref IS NOT NULL GROUP BY payment_ref",
        )
        .unwrap();
    q.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

fn sale_ids(dir: &Path) -> BTreeSet<String> {
    let conn = ledger(dir);
    let mut q = conn.prepare("SELECT id FROM sales").unwrap();
    q.query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Till helpers.

fn find<'a>(events: &'a [Value], name: &str) -> Option<&'a Value> {
    events.iter().find(|e| e["event"] == name)
}

fn event<'a>(events: &'a [Value], name: &str) -> &'a Value {
    find(events, name).unwrap_or_else(|| panic!("no {name} in {events:#?}"))
}

fn login(till: &mut Till) {
    let ev = till.cmd("login 1 1111");
    assert!(
        find(&ev, "logged_in").is_some(),
        "login 1 1111 (admin, any hour): {ev:#?}"
    );
}

/// Logs in unless a session is active already.
fn ensure_logged_in(till: &mut Till) {
    if till.status()["session"] != "active" {
        login(till);
    }
}

/// The first event named one of `names` about `intent_id` since this till started (before
/// `ready` included), or the next one within `within`. Panics with everything seen.
fn wait_intent(till: &mut Till, names: &[&str], intent_id: &str, within: Duration) -> Value {
    let matches = |e: &Value| names.iter().any(|n| e["event"] == *n) && e["intent_id"] == intent_id;
    if let Some(e) = till.seen.iter().find(|e| matches(e)) {
        return e.clone();
    }
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match till.next_within(left) {
            Ok(e) if matches(&e) => return e,
            Ok(_) => {}
            Err(RecvTimeoutError::Timeout) => panic!(
                "no {names:?} for intent {intent_id} within {within:?}; the till said: {:#?}",
                till.seen
            ),
            Err(RecvTimeoutError::Disconnected) => panic!(
                "the till exited while waiting for {names:?} of {intent_id}; it said: {:#?}",
                till.seen
            ),
        }
    }
}

/// SIGKILL, then the events it wrote before dying.
fn kill(mut till: Till) -> Vec<Value> {
    till.child.kill().unwrap();
    till.child.wait().unwrap();
    let before = till.seen.len();
    while till.next().is_some() {}
    till.seen.split_off(before)
}

/// The customer's phone, straight to the server: opens the page and, when it offers the
/// confirmation form, presses « Valider le paiement ». `None`: no form (gone, final…), else the
/// status of the press (303: paid).
fn phone_pays(pay_url: &str) -> Option<u16> {
    let (status, page) = common::get(pay_url);
    if status != 200 || !page.contains("Valider le paiement") {
        return None;
    }
    let form = (
        common::hidden_input(&page, "csrf")?,
        common::hidden_input(&page, "amount_cents")?,
    );
    Some(common::press(pay_url, &form).0)
}

struct Pending {
    intent_id: String,
    amount: i64,
    pay_url: String,
}

/// `pay main` → `payment_pending`, served by the hosted server (reached through the proxy),
/// with a URL that points to the server itself.
fn pay_qr(till: &mut Till, shop: &Shop) -> Pending {
    let ev = till.cmd("pay main");
    let p = event(&ev, "payment_pending");
    assert_eq!(p["account"], "main", "{p}");
    let pending = Pending {
        intent_id: p["intent_id"].as_str().unwrap().to_owned(),
        amount: p["amount_cents"].as_i64().unwrap(),
        pay_url: p["pay_url"].as_str().unwrap().to_owned(),
    };
    assert!(
        pending.pay_url.starts_with(&shop.server.url),
        "the phone goes straight to the pay-server ({}), not through the shop's link: {p}",
        shop.server.url
    );
    assert!(
        shop.proxy.accepted() > 0,
        "the till reached the server through the proxy"
    );
    pending
}

/// The status's `payment` field describes `intent_id` in `state`.
fn assert_payment(st: &Value, intent_id: &str, state: &str, amount: i64) {
    assert_eq!(
        st["payment_in_progress"], true,
        "payment_in_progress while intent {intent_id} is {state}: {st:#}"
    );
    let p = &st["payment"];
    assert_eq!(
        (
            p["intent_id"].as_str(),
            p["state"].as_str(),
            p["account"].as_str(),
            p["amount_cents"].as_i64()
        ),
        (Some(intent_id), Some(state), Some("main"), Some(amount)),
        "status.payment: {st:#}"
    );
}

fn assert_no_payment(st: &Value, when: &str) {
    assert_eq!(st["payment_in_progress"], false, "{when}: {st:#}");
    assert!(
        st.get("payment").is_none_or(Value::is_null),
        "{when}: status.payment should be null: {st:#}"
    );
}

/// `accept` commits the QR sale of `amount`.
fn accept_commits(till: &mut Till, amount: i64) -> Value {
    let ev = till.cmd("accept");
    let sale = event(&ev, "sale_committed").clone();
    assert_eq!(
        (
            sale["method"].as_str(),
            sale["account"].as_str(),
            sale["paid_cents"].as_i64()
        ),
        (Some("qr"), Some("main"), Some(amount)),
        "the sale is the intent's: {sale:#}"
    );
    sale
}

// ---------------------------------------------------------------------------------------------
// (a) A till killed in the middle of a QR payment.

#[test]
fn a_payment_confirmed_on_the_phone_survives_a_till_killed_before_accept() {
    let shop = Shop::new();
    let mut till = shop.till();
    login(&mut till);
    till.cmd("scan 1234");
    till.cmd("scan 9012");
    till.cmd("withdraw 10");
    let p = pay_qr(&mut till, &shop);
    assert_eq!(common::phone_confirms(&p.pay_url).0, 303, "the phone paid");
    wait_intent(&mut till, &["payment_accepted"], &p.intent_id, SETTLE);

    // Killed before the cashier pressed accept.
    let last = kill(till);
    eprintln!("(a) killed after payment_accepted; last words: {last:?}");
    assert_eq!(shop.sales_for(&p.intent_id), 0, "no sale before accept");

    // Restarted on the same data dir: the paid intent comes back by itself.
    let mut till = shop.till();
    let back = wait_intent(&mut till, &["payment_accepted"], &p.intent_id, SETTLE);
    eprintln!("(a) after restart: {back}");
    let st = till.status();
    assert_payment(&st, &p.intent_id, "paid", p.amount);
    if st["session"] == "none" {
        till.expect_error("accept", "not_logged_in");
    }
    login(&mut till);
    let sale = accept_commits(&mut till, p.amount);
    eprintln!("(a) committed after restart: {sale}");
    till.expect_error("accept", "nothing_pending");
    let st = till.status();
    assert_no_payment(&st, "after accept");
    assert_eq!(st["main_total_cents"], 0, "the paid basket is gone: {st:#}");
    till.quit();
    assert_eq!(
        shop.sales_for(&p.intent_id),
        1,
        "exactly one sale for the paid intent: {:?}",
        sales_by_ref(shop.data_dir())
    );
    shop.verify("after (a)");

    // And once recorded, a further restart does not bring it back.
    let mut till = shop.till();
    let st = till.status();
    assert_no_payment(&st, "second restart");
    assert!(
        find(&till.seen, "payment_accepted").is_none(),
        "a recorded payment came back: {:#?}",
        till.seen
    );
    till.quit();
    assert_eq!(shop.sales_for(&p.intent_id), 1);
}

#[test]
fn a_pending_payment_survives_a_till_killed_before_the_phone_confirms() {
    let shop = Shop::new();
    let mut till = shop.till();
    login(&mut till);
    till.cmd("scan 1234");
    till.cmd("scan 0000");
    let p = pay_qr(&mut till, &shop);
    kill(till);

    // Restarted: the intent is pending again, same id, same amount, same page.
    let mut till = shop.till();
    let again = wait_intent(&mut till, &["payment_pending"], &p.intent_id, SETTLE);
    eprintln!("(a, pending) after restart: {again}");
    assert_eq!(
        (
            again["account"].as_str(),
            again["amount_cents"].as_i64(),
            again["pay_url"].as_str()
        ),
        (Some("main"), Some(p.amount), Some(p.pay_url.as_str())),
        "the same intent, pending again: {again:#}"
    );
    assert_payment(&till.status(), &p.intent_id, "pending", p.amount);

    // The customer confirms now: the till, listening again, learns of it.
    assert_eq!(common::phone_confirms(&p.pay_url).0, 303, "the phone paid");
    wait_intent(&mut till, &["payment_accepted"], &p.intent_id, SETTLE);
    login(&mut till);
    accept_commits(&mut till, p.amount);
    till.expect_error("accept", "nothing_pending");
    assert_no_payment(&till.status(), "after accept");
    till.quit();
    assert_eq!(
        shop.sales_for(&p.intent_id),
        1,
        "{:?}",
        sales_by_ref(shop.data_dir())
    );
    shop.verify("after (a, pending)");
}

// ---------------------------------------------------------------------------------------------
// (b) A cancel while the link to the server is cut.

/// Cut, `cancel` → `payment_cancelling` (not cancelled), and the basket stays frozen.
fn cancel_while_cut(till: &mut Till, shop: &Shop, p: &Pending) {
    let cut = shop.proxy.cut();
    eprintln!("(b) link cut ({cut} live connections dropped)");
    let ev = till.cmd("cancel");
    assert!(
        find(&ev, "payment_cancelled").is_none(),
        "the server was never told: the cancel cannot be final: {ev:#?}"
    );
    let cancelling = event(&ev, "payment_cancelling");
    assert_eq!(cancelling["intent_id"], p.intent_id.as_str(), "{ev:#?}");
    assert_payment(&till.status(), &p.intent_id, "cancelling", p.amount);

    // The basket is frozen until the server answers.
    till.expect_error("pay main cash", "payment_in_progress");
    till.expect_error("pay main cash 50", "payment_in_progress");
    till.cmd("account main");
    till.expect_error("scan 1234", "payment_in_progress");
    till.expect_error("logout", "payment_in_progress");
    let st = till.status();
    assert_eq!(st["session"], "active", "still logged in: {st:#}");
    assert_eq!(
        st["main_total_cents"], p.amount,
        "the basket is kept: {st:#}"
    );
}

#[test]
fn a_cancel_that_cannot_reach_the_server_keeps_the_basket_until_the_server_answers() {
    let shop = Shop::new();
    let mut till = shop.till();
    login(&mut till);
    till.cmd("scan 1234");
    till.cmd("scan 9012");
    let p = pay_qr(&mut till, &shop);
    let form = common::phone_form(&p.pay_url);

    cancel_while_cut(&mut till, &shop, &p);

    // The customer's phone, on 4G, still reaches the server and pays.
    let (status, page) = common::press(&p.pay_url, &form);
    assert_eq!(status, 303, "the server never heard of the cancel: {page}");

    // The link comes back: the till's retried cancel learns that it was paid.
    shop.proxy.restore();
    let paid = wait_intent(
        &mut till,
        &["payment_paid_after_cancel", "payment_cancelled"],
        &p.intent_id,
        SETTLE,
    );
    assert_eq!(
        (paid["event"].as_str(), paid["amount_cents"].as_i64()),
        (Some("payment_paid_after_cancel"), Some(p.amount)),
        "the customer paid: {paid:#}; the till said {:#?}",
        till.seen
    );
    let st = till.status();
    assert_eq!(st["payment_in_progress"], true, "{st:#}");
    accept_commits(&mut till, p.amount);
    till.expect_error("accept", "nothing_pending");
    assert_no_payment(&till.status(), "after accept");
    till.quit();
    assert_eq!(
        shop.sales_for(&p.intent_id),
        1,
        "{:?}",
        sales_by_ref(shop.data_dir())
    );
    shop.verify("after (b)");
}

#[test]
fn a_cancel_that_cannot_reach_the_server_is_final_once_the_server_confirms_it() {
    let shop = Shop::new();
    let mut till = shop.till();
    login(&mut till);
    till.cmd("scan 1234");
    let p = pay_qr(&mut till, &shop);
    let form = common::phone_form(&p.pay_url);

    cancel_while_cut(&mut till, &shop, &p);

    // The link comes back, the phone does not pay: the retried cancel goes through.
    shop.proxy.restore();
    let done = wait_intent(
        &mut till,
        &["payment_cancelled", "payment_paid_after_cancel"],
        &p.intent_id,
        SETTLE,
    );
    assert_eq!(
        done["event"], "payment_cancelled",
        "{done:#}; the till said {:#?}",
        till.seen
    );
    assert_no_payment(&till.status(), "after the confirmed cancel");
    let (status, page) = common::press(&p.pay_url, &form);
    assert_eq!(status, 409, "cancelled on the server: {page}");
    assert!(page.contains("annulé"), "{page}");

    // The basket is free again: cash.
    let ev = till.cmd("pay main cash 50");
    let sale = event(&ev, "sale_committed");
    assert_eq!(
        (sale["method"].as_str(), sale["paid_cents"].as_i64()),
        (Some("cash"), Some(p.amount)),
        "{sale:#}"
    );
    till.quit();
    assert_eq!(
        shop.sales_for(&p.intent_id),
        0,
        "the cancelled intent is no sale"
    );
    shop.verify("after (b, cancelled)");
}

// ---------------------------------------------------------------------------------------------
// (c) The crash loop.

const ROUNDS: usize = 40;

/// Where in create → pending → paid → accept → commit a round's kill lands (plus a random
/// delay after that point).
#[derive(Clone, Copy, Debug)]
enum Stage {
    /// After `pay main` was sent: while the intent is being created.
    Create,
    /// After `payment_pending`, the phone not having paid.
    Pending,
    /// After the phone's confirmation was answered 303: while the till learns of it.
    Paid,
    /// After `accept` was sent: while the sale is being committed.
    Accept,
    /// After `sale_committed`.
    Committed,
}

const STAGES: [Stage; 5] = [
    Stage::Create,
    Stage::Pending,
    Stage::Paid,
    Stage::Accept,
    Stage::Committed,
];

/// What the test knows: every intent it saw, every one the phone paid, every sale announced.
#[derive(Default)]
struct Book {
    /// intent id → (amount, pay_url).
    intents: BTreeMap<String, (i64, Option<String>)>,
    paid: BTreeSet<String>,
    committed: BTreeSet<String>,
}

impl Book {
    /// Notes what an event tells.
    fn note(&mut self, e: &Value) {
        match e["event"].as_str() {
            Some("payment_pending") => {
                let id = e["intent_id"].as_str().unwrap().to_owned();
                let url = e["pay_url"].as_str().map(str::to_owned);
                let amount = e["amount_cents"].as_i64().unwrap();
                let entry = self.intents.entry(id).or_insert((amount, None));
                entry.0 = amount;
                if url.is_some() {
                    entry.1 = url;
                }
            }
            Some("sale_committed") => {
                self.committed
                    .insert(e["sale_id"].as_str().unwrap().to_owned());
            }
            _ => {}
        }
    }

    /// The phone pays `id` if its page still offers the form; records a 303.
    fn phone_pays(&mut self, id: &str) -> Option<u16> {
        let url = self.intents.get(id)?.1.clone()?;
        let status = phone_pays(&url);
        if status == Some(303) {
            self.paid.insert(id.to_owned());
        }
        status
    }
}

/// After a restart (logged in): deals with whatever payment the till re-attached to, until none
/// is left. A paid one is accepted; a pending one is paid by the phone or cancelled; a
/// cancelling one is waited for.
fn settle(till: &mut Till, book: &mut Book, rng: &mut common::rng::Rng, round: usize) {
    let deadline = Instant::now() + SETTLE;
    let mut rounds = 0;
    while rounds < 12 {
        let st = till.status();
        // Pending intents come back with their pay_url (before `ready`, or later).
        for e in till.seen.clone() {
            book.note(&e);
        }
        let p = st["payment"].clone();
        if p.is_null() {
            assert_eq!(
                st["payment_in_progress"], false,
                "round {round}: a payment in progress but no status.payment: {st:#}"
            );
            // An intent the phone paid and no sale records yet: give the till time to
            // re-attach to it (check_books reports it if it never does).
            let refs = sales_by_ref(till.data_dir.as_path());
            if book.paid.iter().any(|id| !refs.contains_key(id)) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(250));
                continue;
            }
            return;
        }
        rounds += 1;
        let id = p["intent_id"].as_str().unwrap().to_owned();
        let amount = p["amount_cents"].as_i64().unwrap();
        book.intents.entry(id.clone()).or_insert((amount, None));
        match p["state"].as_str() {
            Some("paid") => {
                let ev = till.cmd("accept");
                for e in &ev {
                    book.note(e);
                }
                let sale = event(&ev, "sale_committed");
                assert_eq!(
                    (sale["method"].as_str(), sale["paid_cents"].as_i64()),
                    (Some("qr"), Some(amount)),
                    "round {round}: re-attached intent {id}: {sale:#}"
                );
                eprintln!("  settle: accepted re-attached paid intent {id}");
            }
            Some("pending") if book.paid.contains(&id) => {
                eprintln!("  settle: {id} pending on the till, paid on the phone: waiting");
                wait_intent(till, &["payment_accepted"], &id, SETTLE);
            }
            Some("pending") => {
                let status = if rng.below(2) == 0 {
                    book.phone_pays(&id)
                } else {
                    None
                };
                if status == Some(303) {
                    eprintln!("  settle: the phone paid re-attached pending intent {id}");
                    wait_intent(till, &["payment_accepted"], &id, SETTLE);
                } else {
                    let ev = till.cmd("cancel");
                    eprintln!("  settle: cancel of {id} (phone: {status:?}) → {ev:?}");
                    if find(&ev, "payment_cancelled").is_none() {
                        wait_intent(
                            till,
                            &[
                                "payment_cancelled",
                                "payment_accepted",
                                "payment_paid_after_cancel",
                            ],
                            &id,
                            SETTLE,
                        );
                    }
                }
            }
            Some("cancelling") => {
                eprintln!("  settle: {id} cancelling: waiting");
                wait_intent(
                    till,
                    &["payment_cancelled", "payment_paid_after_cancel"],
                    &id,
                    SETTLE,
                );
            }
            other => panic!("round {round}: unknown payment state {other:?}: {st:#}"),
        }
    }
    panic!(
        "round {round}: the re-attached payments never settled; the till said {:#?}",
        till.seen
    );
}

/// After a settle: every intent the phone paid is exactly one sale of its amount, no sale is
/// for an intent the phone did not pay, every announced sale is there.
fn check_books(shop: &Shop, book: &Book, when: &str) {
    let refs = sales_by_ref(shop.data_dir());
    let lost: Vec<&String> = book
        .paid
        .iter()
        .filter(|id| !refs.contains_key(*id))
        .collect();
    let doubled: Vec<_> = refs.iter().filter(|(_, (n, _))| *n > 1).collect();
    let unpaid: Vec<_> = refs.keys().filter(|r| !book.paid.contains(*r)).collect();
    let wrong_amount: Vec<_> = book
        .paid
        .iter()
        .filter_map(|id| {
            let (_, cents) = refs.get(id)?;
            let expected = book.intents.get(id).map(|i| i.0);
            (expected != Some(*cents)).then_some((id, expected, *cents))
        })
        .collect();
    assert!(
        lost.is_empty() && doubled.is_empty() && unpaid.is_empty() && wrong_amount.is_empty(),
        "{when}: paid on the phone but no sale: {lost:?}; recorded twice or more: {doubled:?}; \
         a sale for an intent the phone did not pay: {unpaid:?}; wrong amount (id, intent, \
         sale): {wrong_amount:?}; phone paid {:?}; sales by payment_ref {refs:?}",
        book.paid
    );
    let ids = sale_ids(shop.data_dir());
    let missing: Vec<_> = book.committed.difference(&ids).collect();
    assert!(
        missing.is_empty(),
        "{when}: sale_committed announced but not in the ledger: {missing:?}"
    );
}

#[test]
fn qr_payments_survive_sigkill_at_random_moments() {
    let started = Instant::now();
    let mut rng = common::rng::Rng::from_env("KACHING_QR_CRASH_SEED", "QR crash test");
    let shop = Shop::new();
    let mut book = Book::default();
    let codes = ["1234", "9012", "0000", "9630"];

    for round in 0..ROUNDS {
        let mut till = shop.till();
        ensure_logged_in(&mut till);
        settle(&mut till, &mut book, &mut rng, round);
        check_books(&shop, &book, &format!("round {round}, after the restart"));

        for _ in 0..=rng.below(2) {
            let code = codes[rng.below(codes.len() as u64) as usize];
            let ev = till.cmd(&format!("scan {code}"));
            assert!(
                find(&ev, "basket").is_some(),
                "round {round}: scan {code}: {ev:#?}"
            );
        }
        let stage = STAGES[round % STAGES.len()];
        // Creating an intent takes 5-30 ms here, the till learns of a payment and commits a
        // sale in 1-3 ms: the delays (in µs) spread the kills over those windows.
        let delay = Duration::from_micros(match stage {
            Stage::Create => rng.below(30_000),
            Stage::Pending => rng.below(30_000),
            Stage::Paid => rng.below(5_000),
            Stage::Accept => rng.below(5_000),
            Stage::Committed => rng.below(10_000),
        });
        // In the early stages, the phone may pay while the till is dead.
        let phone_after_kill = matches!(stage, Stage::Create | Stage::Pending) && rng.below(2) == 0;
        let phone_delay = Duration::from_millis(rng.below(30));

        till.send("pay main");
        let give_up = Instant::now() + Duration::from_secs(20);
        let mut kill_at = matches!(stage, Stage::Create).then(|| Instant::now() + delay);
        let mut phone_at: Option<Instant> = None;
        let mut current: Option<String> = None;
        loop {
            let now = Instant::now();
            if kill_at.is_some_and(|k| now >= k) {
                break;
            }
            assert!(
                now < give_up,
                "round {round} ({stage:?}): the kill point never came; the till said {:#?}",
                till.seen
            );
            if let (Some(at), Some(id)) = (phone_at, current.clone())
                && now >= at
            {
                phone_at = None;
                let status = book.phone_pays(&id);
                assert_eq!(status, Some(303), "round {round}: the phone pays {id}");
                if matches!(stage, Stage::Paid) {
                    kill_at = Some(Instant::now() + delay);
                }
                continue;
            }
            let until = [kill_at, phone_at, Some(give_up)]
                .into_iter()
                .flatten()
                .min()
                .unwrap();
            let e = match till.next_within(until.saturating_duration_since(now)) {
                Ok(e) => e,
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => panic!(
                    "round {round}: the till died by itself; it said {:#?}",
                    till.seen
                ),
            };
            book.note(&e);
            match e["event"].as_str() {
                Some("payment_pending") => {
                    current = e["intent_id"].as_str().map(str::to_owned);
                    match stage {
                        Stage::Create => {}
                        Stage::Pending => kill_at = Some(Instant::now() + delay),
                        _ => phone_at = Some(Instant::now() + phone_delay),
                    }
                }
                Some("payment_accepted") if matches!(stage, Stage::Accept | Stage::Committed) => {
                    till.send("accept");
                    if matches!(stage, Stage::Accept) {
                        kill_at = Some(Instant::now() + delay);
                    }
                }
                Some("sale_committed") if matches!(stage, Stage::Committed) => {
                    kill_at = Some(Instant::now() + delay);
                }
                Some("error") => eprintln!("round {round}: {e}"),
                _ => {}
            }
        }
        let last = kill(till);
        for e in &last {
            book.note(e);
        }
        if current.is_none() {
            current = last
                .iter()
                .find(|e| e["event"] == "payment_pending")
                .and_then(|e| e["intent_id"].as_str().map(str::to_owned));
        }
        let mut phone = None;
        if phone_after_kill && let Some(id) = &current {
            phone = book.phone_pays(id);
        }
        eprintln!(
            "round {round}: killed at {stage:?} + {delay:?}; intent {current:?}; phone after \
             the kill: {phone:?}; last words {:?}",
            last.iter().map(|e| e["event"].clone()).collect::<Vec<_>>()
        );

        // What was committed before the kill is there, nothing is doubled, the chain holds.
        let refs = sales_by_ref(shop.data_dir());
        let doubled: Vec<_> = refs.iter().filter(|(_, (n, _))| *n > 1).collect();
        assert!(
            doubled.is_empty(),
            "round {round}: recorded twice: {doubled:?}"
        );
        let ids = sale_ids(shop.data_dir());
        let missing: Vec<_> = book.committed.difference(&ids).collect();
        assert!(
            missing.is_empty(),
            "round {round}: announced but lost: {missing:?}"
        );
        shop.verify(&format!("round {round}, after the kill"));
    }

    // A last restart settles what the last kill left.
    let mut till = shop.till();
    ensure_logged_in(&mut till);
    settle(&mut till, &mut book, &mut rng, ROUNDS);
    assert_no_payment(&till.status(), "at the end");
    till.quit();
    check_books(&shop, &book, "at the end");
    shop.verify("at the end");
    eprintln!(
        "QR crash test: {ROUNDS} kills, {} intents, {} paid by the phone, {} sales committed, \
         in {:?}",
        book.intents.len(),
        book.paid.len(),
        sale_ids(shop.data_dir()).len(),
        started.elapsed()
    );
    assert!(
        book.paid.len() >= ROUNDS / 3,
        "the loop should have paid many intents: {}",
        book.paid.len()
    );
}
