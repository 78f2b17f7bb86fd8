//! The actor runtime in-process, on a `FakeClock`: sessions (PIN lockout, idle lock), the clock
//! guard (opening hours, closing, DST, a clock going back) and sales on both accounts. No binary
//! and no wall clock: every test sets the time it needs and makes the guard look at it with
//! `Till::tick`.
//!
//! The guard also ticks by itself every real second (reading the fake clock), so the assertions
//! count events over everything seen, never rely on which tick produced them.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::Europe::Brussels;
use tokio::sync::mpsc::UnboundedReceiver;

use kaching::actors::events::{RefusalReason, StatusView};
use kaching::actors::{Command, Till, TillEvent};
use kaching::clock::{Clock, FakeClock, SharedClock};
use kaching::config::RawSettings;
use kaching::domain::sale::format_instant;
use kaching::domain::{Account, Money, PaymentMethod, Role, StaffId};
use kaching::secrets::{PinHasher, Secret};
use kaching::store::{AuditEntry, Ledger};

/// How long a background event (printing, a cleared basket) may take.
const WAIT: StdDuration = StdDuration::from_secs(10);

/// A shop-local (Europe/Brussels) wall-clock time as an instant.
fn brussels(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Brussels
        .with_ymd_and_hms(y, mo, d, h, mi, s)
        .single()
        .expect("an unambiguous Brussels time")
        .with_timezone(&Utc)
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("an RFC 3339 instant")
        .with_timezone(&Utc)
}

fn hasher() -> PinHasher {
    PinHasher::new(Secret::new("t"))
}

/// A seeded data dir, a running till on a fake clock, and every event it emitted.
struct Shop {
    dir: tempfile::TempDir,
    clock: Arc<FakeClock>,
    till: Till,
    events: UnboundedReceiver<TillEvent>,
    seen: Vec<TillEvent>,
}

impl Shop {
    /// Seeds the demo shop and starts the till with the clock at `at`. Must run inside an actix
    /// `System`.
    fn open_at(at: DateTime<Utc>) -> Shop {
        let dir = tempfile::tempdir().expect("temp dir");
        let clock = FakeClock::new(at);
        let mut ledger = Ledger::open_in(dir.path()).expect("open ledger");
        kaching::cli::seed_demo(&mut ledger, &hasher(), clock.as_ref()).expect("seed demo");
        drop(ledger);
        let settings = RawSettings::default().validate().expect("default settings");
        let shared: SharedClock = clock.clone();
        let till =
            Till::start(settings.runtime(), dir.path(), shared, hasher()).expect("start till");
        let events = till.subscribe();
        Shop {
            dir,
            clock,
            till,
            events,
            seen: Vec::new(),
        }
    }

    /// A second connection to the same ledger, as the CLI opens while the till runs.
    fn ledger(&self) -> Ledger {
        Ledger::open_in(self.dir.path()).expect("open ledger")
    }

    /// Everything emitted so far that was not yet returned.
    fn drain(&mut self) -> Vec<TillEvent> {
        let mut out = Vec::new();
        while let Ok(e) = self.events.try_recv() {
            out.push(e);
        }
        self.seen.extend(out.iter().cloned());
        out
    }

    /// Runs a command; returns the events emitted since the previous call (the command's own
    /// events are all emitted when `execute` returns).
    async fn run(&mut self, command: Command) -> Vec<TillEvent> {
        self.till.execute(command).await;
        self.drain()
    }

    async fn login(&mut self, id: &str, pin: &str) -> Vec<TillEvent> {
        self.run(Command::Login {
            id: id.into(),
            pin: pin.into(),
        })
        .await
    }

    async fn scan(&mut self, code: &str) -> Vec<TillEvent> {
        self.run(Command::Scan(code.into())).await
    }

    async fn pay_cash(&mut self, account: Account, tendered: Option<Money>) -> Vec<TillEvent> {
        self.run(Command::Pay {
            account,
            method: PaymentMethod::Cash,
            tendered,
        })
        .await
    }

    async fn tick(&mut self) -> Vec<TillEvent> {
        self.till.tick().await;
        self.drain()
    }

    async fn status(&mut self) -> StatusView {
        let events = self.run(Command::Status).await;
        events
            .into_iter()
            .rev()
            .find_map(|e| match e {
                TillEvent::Status(s) => Some(*s),
                _ => None,
            })
            .expect("a status event")
    }

    /// Waits (up to [`WAIT`]) for an event matching `pred`, looking at what was already seen
    /// first.
    async fn wait_for(&mut self, what: &str, pred: impl Fn(&TillEvent) -> bool) -> TillEvent {
        if let Some(e) = self.seen.iter().find(|e| pred(e)) {
            return e.clone();
        }
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            match tokio::time::timeout_at(deadline, self.events.recv()).await {
                Ok(Some(e)) => {
                    self.seen.push(e.clone());
                    if pred(&e) {
                        return e;
                    }
                }
                Ok(None) => panic!("event stream closed while waiting for {what}"),
                Err(_) => panic!("no {what} within {WAIT:?}; seen: {:#?}", self.seen),
            }
        }
    }

    /// How many events seen so far match `pred`.
    fn count(&self, pred: impl Fn(&TillEvent) -> bool) -> usize {
        self.seen.iter().filter(|e| pred(e)).count()
    }

    /// The audit rows of `staff_id`, oldest first, once `ready` holds for them (audit rows are
    /// written in the background).
    async fn audit_of(
        &self,
        staff_id: &str,
        ready: impl Fn(&[AuditEntry]) -> bool,
    ) -> Vec<AuditEntry> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let mut rows: Vec<AuditEntry> = self
                .ledger()
                .audit_log(10_000)
                .expect("audit log")
                .into_iter()
                .filter(|r| r.staff_id.as_deref() == Some(staff_id))
                .collect();
            rows.reverse();
            if ready(&rows) || tokio::time::Instant::now() >= deadline {
                return rows;
            }
            tokio::time::sleep(StdDuration::from_millis(20)).await;
        }
    }
}

fn logged_in(events: &[TillEvent]) -> Option<(String, Role)> {
    events.iter().find_map(|e| match e {
        TillEvent::LoggedIn { staff_id, role, .. } => Some((staff_id.clone(), *role)),
        _ => None,
    })
}

/// The refusal among `events`: (reason, until, attempts_left).
fn refusal(events: &[TillEvent]) -> Option<(RefusalReason, Option<String>, Option<u32>)> {
    events.iter().find_map(|e| match e {
        TillEvent::LoginRefused {
            reason,
            until,
            attempts_left,
            ..
        } => Some((reason.clone(), until.clone(), *attempts_left)),
        _ => None,
    })
}

fn error_code(events: &[TillEvent]) -> Option<String> {
    events.iter().find_map(|e| match e {
        TillEvent::Error { code, .. } => Some(code.clone()),
        _ => None,
    })
}

fn is_closing_soon(e: &TillEvent) -> bool {
    matches!(e, TillEvent::ClosingSoon { .. })
}

fn is_logged_out(e: &TillEvent) -> bool {
    matches!(e, TillEvent::LoggedOut { .. })
}

fn is_clock_warning(e: &TillEvent) -> bool {
    matches!(e, TillEvent::ClockWarning { .. })
}

/// (sale_id, ticket_no, account, paid, change) of the sale committed among `events`.
fn committed(events: &[TillEvent]) -> Option<(String, i64, Account, Money, Money)> {
    events.iter().find_map(|e| match e {
        TillEvent::SaleCommitted {
            sale_id,
            ticket_no,
            account,
            paid_cents,
            change_cents,
            ..
        } => Some((
            sale_id.clone(),
            *ticket_no,
            *account,
            *paid_cents,
            *change_cents,
        )),
        _ => None,
    })
}

fn actions(rows: &[AuditEntry]) -> Vec<&str> {
    rows.iter().map(|r| r.action.as_str()).collect()
}

#[actix::test]
async fn five_wrong_pins_lock_the_id_for_fifteen_minutes_and_every_attempt_is_audited() {
    let t0 = brussels(2026, 6, 10, 10, 0, 0);
    let mut shop = Shop::open_at(t0);

    for left in [4, 3, 2, 1] {
        let ev = shop.login("14", "9999").await;
        assert_eq!(
            refusal(&ev),
            Some((RefusalReason::BadPin, None, Some(left))),
            "{ev:?}"
        );
    }
    let until = format_instant(t0 + Duration::minutes(15));
    let ev = shop.login("14", "9999").await;
    assert_eq!(
        refusal(&ev),
        Some((RefusalReason::LockedOut, Some(until.clone()), Some(0))),
        "the fifth wrong PIN locks: {ev:?}"
    );

    // The right PIN does not open a locked ID, and a wrong one does not extend the lock.
    let ev = shop.login("14", "1414").await;
    assert_eq!(
        refusal(&ev),
        Some((RefusalReason::LockedOut, Some(until.clone()), None)),
        "{ev:?}"
    );
    shop.clock.advance(Duration::minutes(10));
    let ev = shop.login("14", "9999").await;
    assert_eq!(
        refusal(&ev),
        Some((RefusalReason::LockedOut, Some(until.clone()), None)),
        "{ev:?}"
    );
    shop.clock
        .set(t0 + Duration::minutes(15) - Duration::seconds(1));
    let ev = shop.login("14", "1414").await;
    assert_eq!(
        refusal(&ev).map(|r| r.0),
        Some(RefusalReason::LockedOut),
        "one second before the end of the lock: {ev:?}"
    );
    // Another cashier is not affected by 14's lock.
    let ev = shop.login("27", "2727").await;
    assert_eq!(logged_in(&ev), Some(("27".into(), Role::Cashier)), "{ev:?}");
    shop.run(Command::Logout).await;

    shop.clock.set(t0 + Duration::minutes(15));
    let ev = shop.login("14", "1414").await;
    assert_eq!(
        logged_in(&ev),
        Some(("14".into(), Role::Cashier)),
        "15 minutes later the right PIN works: {ev:?}"
    );

    let expected = [
        "login_refused",
        "login_refused",
        "login_refused",
        "login_refused",
        "lockout",
        "login_refused",
        "login_refused",
        "login_refused",
        "login",
    ];
    let rows = shop.audit_of("14", |r| r.len() >= expected.len()).await;
    assert_eq!(actions(&rows), expected, "{rows:#?}");
    assert!(rows[0].detail.contains("BadPin"), "{:?}", rows[0]);
    assert!(rows[5].detail.contains("LockedOut"), "{:?}", rows[5]);
    assert_eq!(rows[4].at, format_instant(t0));
    assert_eq!(rows[8].at, format_instant(t0 + Duration::minutes(15)));

    // A successful login starts a fresh count: four wrong PINs do not lock again.
    shop.run(Command::Logout).await;
    for _ in 0..4 {
        shop.login("14", "9999").await;
    }
    let ev = shop.login("14", "1414").await;
    assert_eq!(logged_in(&ev), Some(("14".into(), Role::Cashier)), "{ev:?}");
}

#[actix::test]
async fn an_admin_unlock_lifts_a_lockout_before_the_fifteen_minutes_are_over() {
    let t0 = brussels(2026, 6, 10, 9, 30, 0);
    let mut shop = Shop::open_at(t0);
    for _ in 0..5 {
        shop.login("27", "0000").await;
    }
    let ev = shop.login("27", "2727").await;
    assert_eq!(
        refusal(&ev).map(|r| r.0),
        Some(RefusalReason::LockedOut),
        "{ev:?}"
    );

    // What `kaching staff unlock 27` does, on its own connection while the till runs.
    shop.clock.advance(Duration::minutes(2));
    {
        let mut admin = shop.ledger();
        let id = StaffId::parse("27").expect("id");
        assert!(admin.clear_pin_failures(&id).expect("unlock"));
        admin
            .audit(shop.clock.now(), None, "unlock", id.as_str())
            .expect("audit");
    }

    let ev = shop.login("27", "2727").await;
    assert_eq!(
        logged_in(&ev),
        Some(("27".into(), Role::Cashier)),
        "unlocked 2 minutes into the lock: {ev:?}"
    );
    let rows = shop
        .audit_of("27", |r| r.last().is_some_and(|r| r.action == "login"))
        .await;
    assert_eq!(
        actions(&rows),
        [
            "login_refused",
            "login_refused",
            "login_refused",
            "login_refused",
            "lockout",
            "login_refused",
            "login"
        ]
    );
    let all = shop.ledger().audit_log(1000).expect("audit");
    assert!(
        all.iter().any(|r| r.action == "unlock" && r.detail == "27"),
        "{all:#?}"
    );
}

#[actix::test]
async fn an_idle_session_asks_for_the_pin_again_and_keeps_the_basket() {
    let t0 = brussels(2026, 6, 10, 10, 0, 0);
    let mut shop = Shop::open_at(t0);
    let ev = shop.login("14", "1414").await;
    assert_eq!(logged_in(&ev), Some(("14".into(), Role::Cashier)));
    shop.scan("1234").await;
    // Every action counts as activity: 20 minutes after login, 10 after the last scan, no lock.
    shop.clock.advance(Duration::minutes(10));
    shop.scan("0000").await;
    shop.clock.advance(Duration::minutes(10));
    shop.tick().await;
    assert_eq!(
        shop.count(|e| matches!(e, TillEvent::SessionLocked { .. })),
        0,
        "{:#?}",
        shop.seen
    );
    let before = shop.status().await;
    assert_eq!(before.session, "active");
    assert_eq!(before.main_total_cents, Money::from_cents(370));
    assert_eq!(before.main_lines, 2);

    // One second short of 15 minutes after the last scan: still active.
    shop.clock
        .advance(Duration::minutes(5) - Duration::seconds(1));
    shop.tick().await;
    assert_eq!(
        shop.count(|e| matches!(e, TillEvent::SessionLocked { .. })),
        0,
        "{:#?}",
        shop.seen
    );
    // 15 minutes after the last scan.
    shop.clock.advance(Duration::seconds(1));
    shop.tick().await;
    let locked = shop
        .wait_for("session_locked", |e| {
            matches!(e, TillEvent::SessionLocked { .. })
        })
        .await;
    assert_eq!(
        locked,
        TillEvent::SessionLocked {
            staff_id: "14".into(),
            reason: "idle".into()
        }
    );
    let ev = shop.scan("9012").await;
    assert_eq!(error_code(&ev).as_deref(), Some("session_locked"), "{ev:?}");
    let while_locked = shop.status().await;
    assert_eq!(while_locked.session, "locked");
    assert_eq!(while_locked.staff_id.as_deref(), Some("14"));
    assert_eq!(while_locked.main_total_cents, Money::from_cents(370));
    assert_eq!(while_locked.main_lines, 2);
    // Locking is not logging out: the basket was not cleared.
    assert_eq!(shop.count(is_logged_out), 0, "{:#?}", shop.seen);

    // A wrong PIN does not unlock.
    let ev = shop.login("14", "1415").await;
    assert_eq!(refusal(&ev).map(|r| r.0), Some(RefusalReason::BadPin));
    assert_eq!(shop.status().await.session, "locked");

    let ev = shop.login("14", "1414").await;
    assert_eq!(logged_in(&ev), Some(("14".into(), Role::Cashier)), "{ev:?}");
    let after = shop.status().await;
    assert_eq!(after.session, "active");
    assert_eq!(after.main_total_cents, before.main_total_cents);
    assert_eq!(after.sub_total_cents, before.sub_total_cents);
    assert_eq!(after.main_lines, before.main_lines);
    let ev = shop.scan("9012").await;
    assert_eq!(error_code(&ev), None, "{ev:?}");
    assert_eq!(shop.status().await.main_total_cents, Money::from_cents(470));

    let rows = shop
        .audit_of("14", |r| {
            r.iter().filter(|r| r.action == "login").count() >= 2
        })
        .await;
    assert_eq!(
        actions(&rows),
        ["login", "session_locked", "login_refused", "login"]
    );
}

#[actix::test]
async fn a_cashier_is_warned_once_five_minutes_before_closing_and_logged_out_at_closing() {
    let mut shop = Shop::open_at(brussels(2026, 6, 10, 17, 54, 0));
    let ev = shop.login("14", "1414").await;
    assert_eq!(logged_in(&ev), Some(("14".into(), Role::Cashier)), "{ev:?}");
    shop.scan("1234").await;
    shop.scan("0000").await;
    shop.tick().await;
    assert_eq!(shop.count(is_closing_soon), 0, "at 17:54 it is too early");

    shop.clock.set(brussels(2026, 6, 10, 17, 55, 0));
    shop.tick().await;
    let warned = shop.wait_for("closing_soon", is_closing_soon).await;
    assert_eq!(
        warned,
        TillEvent::ClosingSoon {
            at: "2026-06-10T16:00:00.000Z".into()
        }
    );
    shop.tick().await;
    shop.clock.set(brussels(2026, 6, 10, 17, 59, 59));
    shop.tick().await;
    shop.tick().await;
    assert_eq!(shop.count(is_closing_soon), 1, "{:#?}", shop.seen);
    assert_eq!(shop.count(is_logged_out), 0, "still open at 17:59:59");
    assert_eq!(shop.status().await.session, "active");

    shop.clock.set(brussels(2026, 6, 10, 18, 0, 0));
    shop.tick().await;
    let out = shop.wait_for("logged_out", is_logged_out).await;
    assert_eq!(
        out,
        TillEvent::LoggedOut {
            reason: "closed".into()
        }
    );
    shop.wait_for("the emptied basket", |e| {
        matches!(e, TillEvent::Basket { main_total_cents, sub_total_cents, .. }
            if *main_total_cents == Money::ZERO && *sub_total_cents == Money::ZERO)
    })
    .await;
    let st = shop.status().await;
    assert_eq!(st.session, "none");
    assert_eq!(st.staff_id, None);
    assert!(!st.shop_open);
    assert_eq!(st.main_total_cents, Money::ZERO);
    assert_eq!(st.main_lines, 0);
    shop.tick().await;
    assert_eq!(shop.count(is_logged_out), 1);
    assert_eq!(shop.count(is_closing_soon), 1);

    let rows = shop
        .audit_of("14", |r| r.iter().any(|r| r.action == "basket_cleared"))
        .await;
    assert!(
        rows.iter()
            .any(|r| r.action == "logout" && r.detail == "closed"),
        "{rows:#?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.action == "basket_cleared" && r.detail.starts_with("closed")),
        "{rows:#?}"
    );

    // Closed: cashiers are refused at 18:00 and at 05:59, welcome again at 06:00.
    let ev = shop.login("14", "1414").await;
    assert_eq!(
        refusal(&ev).map(|r| r.0),
        Some(RefusalReason::Closed),
        "{ev:?}"
    );
    shop.clock.set(brussels(2026, 6, 11, 5, 59, 0));
    let ev = shop.login("27", "2727").await;
    assert_eq!(
        refusal(&ev).map(|r| r.0),
        Some(RefusalReason::Closed),
        "{ev:?}"
    );
    shop.clock.set(brussels(2026, 6, 11, 6, 0, 0));
    let ev = shop.login("27", "2727").await;
    assert_eq!(logged_in(&ev), Some(("27".into(), Role::Cashier)), "{ev:?}");
    let rows = shop
        .audit_of("14", |r| {
            r.last().is_some_and(|r| r.action == "login_refused")
        })
        .await;
    assert!(
        rows.last().is_some_and(|r| r.detail.starts_with("Closed")),
        "{rows:#?}"
    );
}

#[actix::test]
async fn an_idle_locked_cashier_session_is_logged_out_at_closing_too() {
    let mut shop = Shop::open_at(brussels(2026, 6, 10, 17, 40, 0));
    shop.login("14", "1414").await;
    shop.scan("1234").await;
    shop.clock.set(brussels(2026, 6, 10, 17, 55, 0));
    shop.tick().await;
    shop.wait_for("session_locked", |e| {
        matches!(e, TillEvent::SessionLocked { .. })
    })
    .await;
    assert_eq!(shop.status().await.session, "locked");
    shop.clock.set(brussels(2026, 6, 10, 18, 0, 0));
    shop.tick().await;
    let out = shop.wait_for("logged_out", is_logged_out).await;
    assert_eq!(
        out,
        TillEvent::LoggedOut {
            reason: "closed".into()
        }
    );
    let st = shop.status().await;
    assert_eq!(st.session, "none");
    assert_eq!(st.main_lines, 0);
}

#[actix::test]
async fn the_admin_may_work_at_any_hour_and_is_never_sent_home() {
    let mut shop = Shop::open_at(brussels(2026, 6, 10, 17, 54, 0));
    let ev = shop.login("1", "1111").await;
    assert_eq!(logged_in(&ev), Some(("1".into(), Role::Admin)), "{ev:?}");
    for (h, m) in [(17, 55), (17, 58), (18, 0), (18, 5)] {
        shop.clock.set(brussels(2026, 6, 10, h, m, 0));
        shop.tick().await;
    }
    assert_eq!(shop.count(is_closing_soon), 0, "{:#?}", shop.seen);
    assert_eq!(shop.count(is_logged_out), 0, "{:#?}", shop.seen);
    let st = shop.status().await;
    assert_eq!(st.session, "active");
    assert_eq!(st.role, Some(Role::Admin));
    assert!(!st.shop_open);
    shop.run(Command::Logout).await;

    shop.clock.set(brussels(2026, 6, 10, 23, 0, 0));
    let ev = shop.login("1", "1111").await;
    assert_eq!(logged_in(&ev), Some(("1".into(), Role::Admin)), "{ev:?}");
    shop.tick().await;
    shop.clock.set(brussels(2026, 6, 10, 23, 10, 0));
    shop.tick().await;
    shop.tick().await;
    assert_eq!(
        shop.count(|e| matches!(e, TillEvent::LoggedOut { reason } if reason == "closed")),
        0,
        "{:#?}",
        shop.seen
    );
    let st = shop.status().await;
    assert_eq!(st.session, "active");
    assert_eq!(st.staff_id.as_deref(), Some("1"));
    // A cashier is still refused while the admin works at night.
    shop.run(Command::Logout).await;
    let ev = shop.login("14", "1414").await;
    assert_eq!(
        refusal(&ev).map(|r| r.0),
        Some(RefusalReason::Closed),
        "{ev:?}"
    );
}

#[actix::test]
async fn opening_and_closing_follow_brussels_local_time_on_dst_change_days() {
    let mut shop = Shop::open_at(utc("2026-03-29T03:59:59Z"));
    // Spring forward, 2026-03-29: 06:00 local is 04:00Z (UTC+2), 18:00 local is 16:00Z.
    // Autumn back, 2026-10-25: 06:00 local is 05:00Z (UTC+1), 18:00 local is 17:00Z.
    for (before_open, open, warn, close) in [
        (
            "2026-03-29T03:59:59Z",
            "2026-03-29T04:00:00Z",
            "2026-03-29T15:55:00Z",
            "2026-03-29T16:00:00Z",
        ),
        (
            "2026-10-25T04:59:59Z",
            "2026-10-25T05:00:00Z",
            "2026-10-25T16:55:00Z",
            "2026-10-25T17:00:00Z",
        ),
    ] {
        shop.clock.set(utc(before_open));
        let ev = shop.login("14", "1414").await;
        assert_eq!(
            refusal(&ev).map(|r| r.0),
            Some(RefusalReason::Closed),
            "05:59:59 local at {before_open}: {ev:?}"
        );
        shop.clock.set(utc(open));
        let ev = shop.login("14", "1414").await;
        assert_eq!(
            logged_in(&ev),
            Some(("14".into(), Role::Cashier)),
            "06:00 local at {open}: {ev:?}"
        );
        shop.scan("1234").await;

        let warnings = shop.count(is_closing_soon);
        shop.clock.set(utc(warn) - Duration::seconds(1));
        shop.tick().await;
        assert_eq!(shop.count(is_closing_soon), warnings, "too early at {warn}");
        shop.clock.set(utc(warn));
        shop.tick().await;
        let warned = shop
            .wait_for(
                "closing_soon",
                |e| matches!(e, TillEvent::ClosingSoon { at } if *at == format_instant(utc(close))),
            )
            .await;
        assert!(is_closing_soon(&warned));

        let outs = shop.count(is_logged_out);
        shop.clock.set(utc(close) - Duration::seconds(1));
        shop.tick().await;
        assert_eq!(shop.count(is_logged_out), outs, "still open before {close}");
        shop.clock.set(utc(close));
        shop.tick().await;
        shop.wait_for(
            "logged_out at closing",
            |e| matches!(e, TillEvent::LoggedOut { reason } if reason == "closed"),
        )
        .await;
        assert_eq!(shop.count(is_logged_out), outs + 1);
        assert_eq!(shop.status().await.session, "none");
        // Make the next day's logged_out count from here.
        shop.seen.clear();
    }
}

#[actix::test]
async fn a_clock_going_back_is_reported_and_never_dates_a_sale_earlier() {
    let t = brussels(2026, 6, 10, 12, 0, 0);
    let mut shop = Shop::open_at(t);
    shop.login("14", "1414").await;
    shop.scan("1234").await;
    let ev = shop.pay_cash(Account::Main, None).await;
    let (first, ticket, ..) = committed(&ev).expect("first sale committed");
    assert_eq!(ticket, 1);
    shop.tick().await;
    assert_eq!(shop.count(is_clock_warning), 0, "the clock is fine");

    // The wall clock jumps two hours back: the guard reports it, once.
    let back = t - Duration::hours(2);
    shop.clock.set(back);
    shop.tick().await;
    shop.tick().await;
    shop.tick().await;
    let warning = shop.wait_for("clock_warning", is_clock_warning).await;
    assert_eq!(
        warning,
        TillEvent::ClockWarning {
            now: format_instant(back),
            last_sale_at: format_instant(t)
        }
    );
    assert_eq!(shop.count(is_clock_warning), 1, "{:#?}", shop.seen);

    // A sale made now is reported again and dated no earlier than the last one.
    shop.scan("0000").await;
    let ev = shop
        .pay_cash(Account::Main, Some(Money::from_cents(500)))
        .await;
    let (second, ticket, _, paid, change) = committed(&ev).expect("second sale committed");
    assert_eq!(ticket, 2);
    assert_eq!(
        (paid, change),
        (Money::from_cents(250), Money::from_cents(250))
    );
    assert!(ev.iter().any(is_clock_warning), "{ev:?}");
    assert_eq!(shop.count(is_clock_warning), 2);
    let ledger = shop.ledger();
    let s1 = ledger.sale(&first).expect("first sale");
    let s2 = ledger.sale(&second).expect("second sale");
    assert_eq!(s1.paid_at, t);
    assert!(
        s2.paid_at >= s1.paid_at,
        "second sale dated {} before the first {}",
        s2.paid_at,
        s1.paid_at
    );
    assert_eq!((s1.ticket_no, s2.ticket_no), (1, 2));
    assert!(
        ledger
            .audit_log(100)
            .expect("audit")
            .iter()
            .any(|r| r.action == "clock_behind"),
        "the clock going back is audited"
    );
    drop(ledger);
    shop.tick().await;
    assert_eq!(
        shop.count(is_clock_warning),
        2,
        "no repeat while still behind"
    );

    // Once the clock is right again, going back a second time is reported again.
    shop.clock.set(t + Duration::hours(1));
    shop.tick().await;
    assert_eq!(shop.count(is_clock_warning), 2);
    shop.clock.set(t - Duration::hours(1));
    shop.tick().await;
    shop.wait_for("a second clock_warning", |e| {
        matches!(e, TillEvent::ClockWarning { now, .. } if *now == format_instant(t - Duration::hours(1)))
    })
    .await;
    assert_eq!(shop.count(is_clock_warning), 3, "{:#?}", shop.seen);
}

#[actix::test]
async fn main_and_sub_accounts_are_paid_as_two_tickets_and_both_are_printed() {
    let mut shop = Shop::open_at(brussels(2026, 6, 10, 10, 0, 0));
    shop.login("14", "1414").await;
    shop.scan("1234").await;
    shop.scan("0000").await;
    shop.run(Command::Account(Account::Sub)).await;
    let ev = shop.scan("9012").await;
    assert!(
        ev.iter().any(|e| matches!(e,
            TillEvent::Basket { account: Account::Sub, main_total_cents, sub_total_cents, .. }
                if *main_total_cents == Money::from_cents(370)
                    && *sub_total_cents == Money::from_cents(100))),
        "{ev:?}"
    );

    let ev = shop.pay_cash(Account::Main, None).await;
    let (main_id, ticket, account, paid, change) = committed(&ev).expect("main sale");
    assert_eq!(
        (ticket, account, paid, change),
        (1, Account::Main, Money::from_cents(370), Money::ZERO)
    );
    let st = shop.status().await;
    assert_eq!(
        (st.main_total_cents, st.sub_total_cents),
        (Money::ZERO, Money::from_cents(100)),
        "paying main leaves sub alone"
    );

    let ev = shop
        .pay_cash(Account::Sub, Some(Money::from_cents(1000)))
        .await;
    let (sub_id, ticket, account, paid, change) = committed(&ev).expect("sub sale");
    assert_eq!(
        (ticket, account, paid, change),
        (
            2,
            Account::Sub,
            Money::from_cents(100),
            Money::from_cents(900)
        )
    );
    assert!(ev.iter().any(|e| matches!(e,
        TillEvent::SaleCommitted { method: PaymentMethod::Cash, revenue_cents, .. }
            if *revenue_cents == Money::from_cents(100))));
    let st = shop.status().await;
    assert_eq!((st.main_lines, st.sub_lines), (0, 0));

    for id in [&main_id, &sub_id] {
        shop.wait_for(
            "printed",
            |e| matches!(e, TillEvent::Printed { sale_id } if sale_id == id),
        )
        .await;
    }
    let tickets = shop.dir.path().join("tickets");
    let first = std::fs::read_to_string(tickets.join("till-1-000001.txt")).expect("ticket 1");
    let second = std::fs::read_to_string(tickets.join("till-1-000002.txt")).expect("ticket 2");
    assert!(
        first.contains("Pain au chocolat") && first.contains("Café"),
        "{first}"
    );
    assert!(!first.contains("Croissant"), "{first}");
    assert!(second.contains("Croissant"), "{second}");
    assert!(!second.contains("Pain au chocolat"), "{second}");

    let ledger = shop.ledger();
    let (m, s) = (
        ledger.sale(&main_id).expect("main sale"),
        ledger.sale(&sub_id).expect("sub sale"),
    );
    assert_eq!((m.account, s.account), (Account::Main, Account::Sub));
    assert_eq!(s.tendered, Some(Money::from_cents(1000)));
    assert_eq!(s.change, Money::from_cents(900));
    assert_eq!(s.prev_hash, m.hash, "ticket 2 chains after ticket 1");
}

#[actix::test]
async fn unknown_ids_malformed_pins_and_disabled_staff_are_refused_and_audited() {
    let mut shop = Shop::open_at(brussels(2026, 6, 10, 10, 0, 0));
    let ev = shop.login("99", "1234").await;
    assert_eq!(
        refusal(&ev).map(|r| r.0),
        Some(RefusalReason::Unknown),
        "{ev:?}"
    );
    let ev = shop.login("abc", "1234").await;
    assert_eq!(
        refusal(&ev).map(|r| r.0),
        Some(RefusalReason::Unknown),
        "{ev:?}"
    );
    // A PIN that is not 4-8 digits is a wrong PIN and counts towards the lockout.
    let ev = shop.login("14", "12").await;
    assert_eq!(
        refusal(&ev),
        Some((RefusalReason::BadPin, None, Some(4))),
        "{ev:?}"
    );
    {
        let mut admin = shop.ledger();
        let id = StaffId::parse("27").expect("id");
        admin
            .set_staff_active(&id, false, shop.clock.now(), Some("1"))
            .expect("disable");
    }
    let ev = shop.login("27", "2727").await;
    assert_eq!(
        refusal(&ev).map(|r| r.0),
        Some(RefusalReason::Disabled),
        "{ev:?}"
    );

    let rows = shop.audit_of("27", |r| !r.is_empty()).await;
    assert_eq!(actions(&rows), ["login_refused"]);
    assert!(rows[0].detail.starts_with("Disabled"), "{rows:?}");
    let rows = shop.audit_of("99", |r| !r.is_empty()).await;
    assert_eq!(actions(&rows), ["login_refused"]);
    assert!(rows[0].detail.starts_with("Unknown"), "{rows:?}");
    let rows = shop.audit_of("14", |r| !r.is_empty()).await;
    assert_eq!(actions(&rows), ["login_refused"]);
    let all = shop.ledger().audit_log(1000).expect("audit");
    assert!(
        all.iter().any(|r| r.staff_id.is_none()
            && r.action == "login_refused"
            && r.detail.contains("abc")),
        "a malformed ID is audited without a staff ID: {all:#?}"
    );
}

#[actix::test]
async fn another_cashier_taking_over_a_locked_session_does_not_inherit_its_basket() {
    let t0 = brussels(2026, 6, 10, 10, 0, 0);
    let mut shop = Shop::open_at(t0);
    shop.login("14", "1414").await;
    shop.scan("1234").await;
    shop.scan("0000").await;
    shop.clock.advance(Duration::minutes(15));
    shop.tick().await;
    shop.wait_for("session_locked", |e| {
        matches!(e, TillEvent::SessionLocked { .. })
    })
    .await;

    let ev = shop.login("27", "2727").await;
    assert_eq!(logged_in(&ev), Some(("27".into(), Role::Cashier)), "{ev:?}");
    assert!(
        ev.iter()
            .any(|e| matches!(e, TillEvent::LoggedOut { reason } if reason == "replaced")),
        "{ev:?}"
    );
    // Khadija's session ended like any other logout: her customer's basket is not sold under
    // AWA's name, and the end of her session is audited.
    let st = shop.status().await;
    assert_eq!(st.staff_id.as_deref(), Some("27"));
    assert_eq!(
        (st.main_lines, st.main_total_cents),
        (0, Money::ZERO),
        "AWA's session starts with Khadija's basket"
    );
    let rows = shop
        .audit_of("14", |r| r.iter().any(|r| r.action == "logout"))
        .await;
    assert!(
        rows.iter()
            .any(|r| r.action == "logout" && r.detail == "replaced"),
        "the replaced session's end is audited: {rows:#?}"
    );
}

#[actix::test]
async fn a_cashier_who_logs_in_after_the_closing_warning_is_warned_too() {
    let mut shop = Shop::open_at(brussels(2026, 6, 10, 17, 50, 0));
    shop.login("14", "1414").await;
    shop.clock.set(brussels(2026, 6, 10, 17, 55, 0));
    shop.tick().await;
    shop.wait_for("closing_soon", is_closing_soon).await;
    shop.run(Command::Logout).await;

    shop.clock.set(brussels(2026, 6, 10, 17, 57, 0));
    let ev = shop.login("27", "2727").await;
    assert_eq!(logged_in(&ev), Some(("27".into(), Role::Cashier)), "{ev:?}");
    shop.tick().await;
    shop.clock.set(brussels(2026, 6, 10, 17, 58, 0));
    shop.tick().await;
    assert_eq!(
        shop.count(is_closing_soon),
        2,
        "AWA's session is in the last 5 minutes and was never told: {:#?}",
        shop.seen
    );
}

#[actix::test]
async fn a_return_and_an_approval_left_by_a_locked_session_are_not_the_next_persons() {
    let t0 = brussels(2026, 6, 10, 10, 0, 0);
    let mut shop = Shop::open_at(t0);
    shop.login("14", "1414").await;
    shop.scan("1234").await;
    shop.pay_cash(Account::Main, None).await;
    shop.run(Command::parse("refund 1").unwrap()).await;
    shop.run(Command::parse("refund_qty 1 1").unwrap()).await;
    let asked = shop
        .run(Command::parse("refund_commit cash parti").unwrap())
        .await;
    assert!(
        asked
            .iter()
            .any(|e| matches!(e, TillEvent::ApprovalNeeded { .. })),
        "{asked:?}"
    );
    shop.clock.advance(Duration::minutes(15));
    shop.tick().await;
    shop.wait_for("session_locked", |e| {
        matches!(e, TillEvent::SessionLocked { .. })
    })
    .await;
    shop.login("27", "2727").await;
    // Khadija's return and the approval it waited for went with her session.
    let ev = shop.run(Command::parse("approve 1 1111").unwrap()).await;
    assert!(
        ev.iter()
            .any(|e| matches!(e, TillEvent::Error { code, .. } if code == "nothing_to_approve")),
        "{ev:?}"
    );
    let ev = shop
        .run(Command::parse("refund_commit cash parti").unwrap())
        .await;
    assert!(
        ev.iter()
            .any(|e| matches!(e, TillEvent::Error { code, .. } if code == "no_refund")),
        "{ev:?}"
    );
    assert_eq!(shop.status().await.last_ticket_no, 1);
}
