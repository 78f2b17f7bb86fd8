//! The barcode scanner, replayed from recorded evdev event streams (this machine has no
//! `/dev/uinput`: no virtual device can be made, so recordings stand in for the device):
//! US and Belgian AZERTY scanners, Shift, suffixes, scans split and merged by timing, a burst of
//! 50 scans, garbage key streams, unplug (ENODEV) and reconnect — through the decoder and pump
//! alone, and through the runtime (the ScannerActor feeding a real till on a FakeClock).
//!
//! The recordings are in tests/fixtures/scanner/ (format and origin in its README.md).

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Europe::Brussels;
use tokio::sync::mpsc::UnboundedReceiver;

use kaching::actors::events::BasketLineView;
use kaching::actors::scanner::ScannerActor;
use kaching::actors::{Command, Till, TillEvent};
use kaching::clock::{FakeClock, SharedClock};
use kaching::config::RawSettings;
use kaching::devices::keymap::Layout;
use kaching::devices::scanner::{
    Decoded, Decoder, DecoderConfig, EV_KEY, EV_SYN, InputEvent, KeySource, PRESS, RELEASE,
    ReplayItem, ReplaySource, ScannerReport, Suffix, run_pump,
};
use kaching::domain::instore::price_check_digit;
use kaching::domain::{ArticleCode, Money, Product, VatRate};
use kaching::secrets::{PinHasher, Secret};
use kaching::store::Ledger;

use actix::Actor;

const PAIN: &str = "1946753214860"; // 1234 Pain au chocolat, 1,20 €
const CAFE: &str = "4829105637487"; // 0000 Café, 2,50 €
const ORIGIN_BARCODES: [&str; 9] = [
    "1946753214860",
    "9859432166010",
    "3792075124138",
    "4829105637487",
    "9056712384908",
    "1738459201677",
    "5126903748124",
    "7741039582619",
    "1983746509282",
];

// ---------------------------------------------------------------------------------------------
// Recordings

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/scanner")
        .join(name)
}

/// A recording with the settings and expectations of its `#` header.
struct Recording {
    source: ReplaySource,
    config: DecoderConfig,
    expected: Vec<String>,
}

fn recording(name: &str) -> Recording {
    let path = fixture(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut config = DecoderConfig::default();
    let mut expected = Vec::new();
    for line in text.lines() {
        let Some(h) = line.strip_prefix("# ") else {
            continue;
        };
        if let Some(v) = h.strip_prefix("layout: ") {
            config.layout = Layout::parse(v).unwrap();
        } else if let Some(v) = h.strip_prefix("suffix: ") {
            config.suffix = Suffix::parse(v).unwrap();
        } else if let Some(v) = h.strip_prefix("max_gap_ms: ") {
            config.max_gap = Duration::from_millis(v.parse().unwrap());
        } else if let Some(v) = h.strip_prefix("expect: ") {
            expected.push(v.to_owned());
        } else if let Some(v) = h.strip_prefix("expect-error: ") {
            expected.push(format!("error: {v}"));
        }
    }
    Recording {
        source: ReplaySource::from_file(&path).unwrap(),
        config,
        expected,
    }
}

/// Runs `source` through the scanner thread's loop; returns its reports as text: `up`, `down`,
/// the scans, and `error: …` for refused reads.
fn pump(mut source: impl KeySource, config: DecoderConfig) -> Vec<String> {
    let mut decoder = Decoder::new(config);
    let mut reports = Vec::new();
    let mut sink = |r: ScannerReport| {
        reports.push(match r {
            ScannerReport::Connected { .. } => "up".to_owned(),
            ScannerReport::Disconnected { .. } => "down".to_owned(),
            ScannerReport::Decoded(Decoded::Scan(s)) => s,
            ScannerReport::Decoded(Decoded::Rejected(e)) => format!("error: {e}"),
        });
        true
    };
    run_pump(&mut source, &mut decoder, Duration::ZERO, &mut sink);
    reports
}

/// The reports without the connection ones.
fn scans_of(reports: &[String]) -> Vec<String> {
    reports
        .iter()
        .filter(|r| *r != "up" && *r != "down")
        .cloned()
        .collect()
}

fn assert_recording(name: &str) -> Vec<String> {
    let r = recording(name);
    assert!(!r.expected.is_empty(), "{name} expects nothing");
    let reports = pump(r.source, r.config);
    let got = scans_of(&reports);
    assert_eq!(got.len(), r.expected.len(), "{name}: {reports:#?}");
    for (g, e) in got.iter().zip(&r.expected) {
        if let Some(err) = e.strip_prefix("error: ") {
            assert!(
                g.starts_with("error: ") && g.contains(err),
                "{name}: {g} vs {e}"
            );
        } else {
            assert_eq!(g, e, "{name}");
        }
    }
    reports
}

#[test]
fn a_us_scanner_reads_the_origin_barcodes() {
    assert_recording("us_origin.evtest");
}

#[test]
fn an_azerty_scanner_with_shift_reads_the_same_digits() {
    // Shift pressed around each digit, and Shift held over a whole code.
    assert_recording("be_azerty_origin.evtest");
    // The same AZERTY keys decoded with the US keymap: digits do not depend on the layout.
    assert_recording("be_azerty_read_as_us.evtest");
}

#[test]
fn letters_and_symbols_follow_the_scanner_layout() {
    assert_recording("us_letters.evtest");
    assert_recording("be_letters.evtest");
    // The AZERTY letters read with the US keymap are wrong (letters need the right keymap),
    // but never panic.
    let r = recording("be_letters.evtest");
    let us = DecoderConfig {
        layout: Layout::Us,
        ..r.config
    };
    let got = scans_of(&pump(r.source, us));
    assert_eq!(got.len(), 2);
    assert_ne!(got[0], "ABC-123/x.9");
}

#[test]
fn suffixes_tab_and_none() {
    assert_recording("tab_suffix.evtest");
    assert_recording("none_suffix.evtest");
    // The Tab recording decoded as an Enter scanner: Tab types nothing, nothing ends a scan,
    // so the codes are incomplete reads, never a wrong product.
    let r = recording("tab_suffix.evtest");
    let enter = DecoderConfig {
        suffix: Suffix::Enter,
        ..r.config
    };
    let got = scans_of(&pump(r.source, enter));
    assert!(
        !got.is_empty() && got.iter().all(|g| g.starts_with("error: incomplete")),
        "{got:?}"
    );
}

#[test]
fn scans_split_or_merged_by_timing() {
    assert_recording("split_and_merged.evtest");
}

#[test]
fn unplug_and_reconnect() {
    let reports = assert_recording("unplug.evtest");
    assert_eq!(
        reports,
        ["up", PAIN, "down", "up", CAFE, "down", "up", PAIN],
        "the half scan before the first unplug is dropped"
    );
}

#[test]
fn garbage_recording_then_a_good_scan() {
    assert_recording("garbage.evtest");
}

// ---------------------------------------------------------------------------------------------
// Generated streams

/// What a scanner types for `code` (digits only), from the physical layouts: KEY_1..KEY_0 are
/// 2..11; a US scanner sends them bare, an AZERTY scanner with Shift (42).
fn type_digits(code: &str, azerty: bool, t: &mut u64, enter: bool) -> Vec<InputEvent> {
    let mut out = Vec::new();
    let mut ev = |out: &mut Vec<InputEvent>, code: u16, value: i32| {
        out.push(InputEvent::key(*t, code, value));
        out.push(InputEvent::syn(*t));
        *t += 1_000;
    };
    for c in code.chars() {
        let d = c.to_digit(10).unwrap() as u16;
        let key = if d == 0 { 11 } else { 1 + d };
        if azerty {
            ev(&mut out, 42, PRESS);
        }
        ev(&mut out, key, PRESS);
        ev(&mut out, key, RELEASE);
        if azerty {
            ev(&mut out, 42, RELEASE);
        }
    }
    if enter {
        ev(&mut out, 28, PRESS);
        ev(&mut out, 28, RELEASE);
    }
    out
}

#[test]
fn a_burst_of_50_scans_from_both_kinds_of_scanner() {
    let mut t = 1_767_000_000_000_000u64;
    let mut events = Vec::new();
    let mut expected = Vec::new();
    for i in 0..50 {
        let code = ORIGIN_BARCODES[i % ORIGIN_BARCODES.len()];
        events.extend(type_digits(code, i % 2 == 1, &mut t, true));
        // Back to back, or a short pause, as a cashier sweeping a full basket.
        t += if i % 3 == 0 { 0 } else { 250_000 };
        expected.push(code.to_owned());
    }
    let got = pump(
        ReplaySource::from_events("burst", events.clone()),
        DecoderConfig::default(),
    );
    assert_eq!(scans_of(&got), expected);
    // The same burst without a suffix, scans 300 ms apart.
    let mut t = 0u64;
    let mut events = Vec::new();
    for (i, code) in expected.iter().enumerate() {
        events.extend(type_digits(code, i % 2 == 0, &mut t, false));
        t += 300_000;
    }
    let none = DecoderConfig {
        suffix: Suffix::None,
        ..DecoderConfig::default()
    };
    let got = pump(ReplaySource::from_events("burst-none", events), none);
    assert_eq!(scans_of(&got), expected);
}

/// A small deterministic generator (xorshift64*), so a failing garbage stream can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn garbage(rng: &mut Rng, n: usize, t: &mut u64) -> Vec<ReplayItem> {
    let mut out = Vec::new();
    for _ in 0..n {
        let r = rng.below(100);
        *t = match rng.below(20) {
            0 => t.saturating_sub(rng.below(10_000_000)), // time going backwards
            1 => t.saturating_add(rng.below(5_000_000)),  // long silences
            2 => u64::MAX - rng.below(3),                 // absurd timestamps
            _ => t.saturating_add(rng.below(3_000)),
        };
        let item = if r < 1 {
            ReplayItem::Unplug {
                failed_reopens: rng.below(3) as u32,
            }
        } else {
            let kind = match rng.below(10) {
                0 => rng.below(32) as u16,
                1 => EV_SYN,
                _ => EV_KEY,
            };
            let code = match rng.below(4) {
                0 => rng.below(u64::from(u16::MAX) + 1) as u16,
                _ => rng.below(130) as u16,
            };
            let value = match rng.below(8) {
                0 => rng.next() as i32,
                1 => 2,
                2..=4 => 0,
                _ => 1,
            };
            ReplayItem::Event(InputEvent {
                time_us: *t,
                kind,
                code,
                value,
            })
        };
        out.push(item);
    }
    out
}

#[test]
fn garbage_key_streams_never_panic_and_a_good_scan_still_reads_after() {
    let mut rng = Rng(0x5eed_cafe_f00d_0001);
    for round in 0..40 {
        let mut t = 1_767_000_000_000_000u64;
        let mut items = garbage(&mut rng, 5_000, &mut t);
        // Whatever came before, a clean scan after a second of silence reads right.
        let mut t = 1_767_100_000_000_000u64;
        items.push(ReplayItem::Event(InputEvent::key(t, 28, PRESS)));
        t += 1_000_000;
        items.extend(
            type_digits(PAIN, round % 2 == 0, &mut t, true)
                .into_iter()
                .map(ReplayItem::Event),
        );
        for suffix in [Suffix::Enter, Suffix::Tab, Suffix::None] {
            let layout = [Layout::Us, Layout::Be, Layout::Fr][round % 3];
            let config = DecoderConfig {
                layout,
                suffix,
                ..DecoderConfig::default()
            };
            let reports = pump(ReplaySource::new("garbage", items.clone()), config.clone());
            for r in scans_of(&reports) {
                assert!(
                    r.chars().count() <= config.max_len || r.starts_with("error: "),
                    "{r}"
                );
            }
            assert_eq!(
                scans_of(&reports).last().map(String::as_str),
                Some(PAIN),
                "round {round}, {suffix:?}: {reports:?}"
            );
        }
    }
}

#[test]
fn overlong_garbage_is_dropped_with_an_error() {
    let mut t = 0;
    let long: String = "7".repeat(5_000);
    let mut events = type_digits(&long, false, &mut t, true);
    t += 1_000_000;
    events.extend(type_digits(CAFE, true, &mut t, true));
    let got = scans_of(&pump(
        ReplaySource::from_events("long", events),
        DecoderConfig::default(),
    ));
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(
        got[0].starts_with("error: scan too long (5000 characters"),
        "{got:?}"
    );
    assert_eq!(got[1], CAFE);
}

// ---------------------------------------------------------------------------------------------
// Through the runtime

fn brussels(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Brussels
        .with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

fn hasher() -> PinHasher {
    PinHasher::new(Secret::new("t"))
}

/// EAN check digit appended to 12 data digits.
fn with_ean_check(data: &str) -> String {
    let sum: u32 = data
        .chars()
        .rev()
        .enumerate()
        .map(|(i, c)| c.to_digit(10).unwrap() * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    format!("{data}{}", (10 - sum % 10) % 10)
}

/// The ORIGIN shop (plus a cheese sold by weight, article 42 at 19,90 €/kg), a till on a fake
/// clock with in-store labels configured, a cashier logged in.
struct Shop {
    _dir: tempfile::TempDir,
    till: Till,
    events: UnboundedReceiver<TillEvent>,
    seen: Vec<TillEvent>,
}

const INSTORE: &str = "28PPPPPWWWWWK, 2PPPPPCVVVVVK";

impl Shop {
    async fn open(device: Option<&str>) -> Shop {
        let dir = tempfile::tempdir().unwrap();
        let clock = FakeClock::new(brussels(2026, 6, 10, 10, 0));
        let mut ledger = Ledger::open_in(dir.path()).unwrap();
        kaching::cli::seed_demo(&mut ledger, &hasher(), clock.as_ref()).unwrap();
        let cheese = Product {
            code: ArticleCode::parse("42").unwrap(),
            barcode: None,
            name: "Fromage".into(),
            price: Money::from_cents(1990),
            vat: VatRate::Six,
            active: true,
        };
        ledger
            .import_products(&[cheese], brussels(2026, 6, 10, 9, 0), None)
            .unwrap();
        drop(ledger);
        let mut raw = RawSettings::default();
        raw.payment.lan_bind = String::new();
        raw.scanner.instore_pattern = INSTORE.into();
        if let Some(d) = device {
            raw.scanner.device = d.into();
        }
        let settings = raw.validate().unwrap();
        let shared: SharedClock = clock;
        let till = Till::start(settings.runtime(), dir.path(), shared, hasher()).unwrap();
        let events = till.subscribe();
        let shop = Shop {
            _dir: dir,
            till,
            events,
            seen: Vec::new(),
        };
        shop.till
            .execute(Command::Login {
                id: "14".into(),
                pin: "1414".into(),
            })
            .await;
        shop
    }

    /// Waits for an event matching `pred` (looking at those already seen first).
    async fn wait_for(&mut self, what: &str, pred: impl Fn(&TillEvent) -> bool) -> TillEvent {
        if let Some(e) = self.seen.iter().find(|e| pred(e)) {
            return e.clone();
        }
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            match tokio::time::timeout_at(deadline, self.events.recv()).await {
                Ok(Some(e)) => {
                    self.seen.push(e.clone());
                    if pred(&e) {
                        return e;
                    }
                }
                Ok(None) => panic!("event stream closed waiting for {what}"),
                Err(_) => panic!("no {what}; seen: {:#?}", self.seen),
            }
        }
    }

    /// Starts a ScannerActor reading `source`.
    fn scanner(&self, source: ReplaySource, config: DecoderConfig) {
        ScannerActor::new(self.till.clone(), Box::new(source), config)
            .reconnect_every(Duration::from_millis(20))
            .start();
    }

    fn errors(&self) -> Vec<String> {
        self.seen
            .iter()
            .filter_map(|e| match e {
                TillEvent::Error { code, .. } => Some(code.clone()),
                _ => None,
            })
            .collect()
    }

    fn scanner_states(&self) -> Vec<bool> {
        self.seen
            .iter()
            .filter_map(|e| match e {
                TillEvent::Scanner { connected, .. } => Some(*connected),
                _ => None,
            })
            .collect()
    }
}

fn lines_of(e: &TillEvent) -> Vec<BasketLineView> {
    match e {
        TillEvent::Basket { lines, .. } => lines.clone(),
        _ => Vec::new(),
    }
}

fn basket_total(e: &TillEvent) -> Option<i64> {
    match e {
        TillEvent::Basket { total_cents, .. } => Some(total_cents.cents()),
        _ => None,
    }
}

/// A recording: US scanner, AZERTY scanner, a bad read, in-store labels, an unplug, and a scan
/// after the scanner is back.
fn shop_recording() -> (Vec<ReplayItem>, String, String) {
    let mut t = 1_767_000_000_000_000u64;
    let mut items: Vec<ReplayItem> = Vec::new();
    let mut add = |events: Vec<InputEvent>| items.extend(events.into_iter().map(ReplayItem::Event));
    // A US scanner (no Shift) and an AZERTY scanner (Shift for digits), same keymap setting.
    add(type_digits(PAIN, false, &mut t, true));
    t += 500_000;
    add(type_digits(CAFE, true, &mut t, true));
    t += 500_000;
    // A bad read: the last digit wrong. Must be an error, never a product.
    add(type_digits("1946753214861", true, &mut t, true));
    t += 500_000;
    // An in-store price label: article 01234 (Pain au chocolat), 3,50 €, price check digit.
    let price = [0, 0, 3, 5, 0];
    let c = price_check_digit(&price).unwrap();
    let label = with_ean_check(&format!("201234{c}00350"));
    add(type_digits(&label, false, &mut t, true));
    t += 500_000;
    // A weight label: article 00042 (Fromage, 19,90 €/kg), 532 g → 10,59 €.
    let weighed = with_ean_check("280004200532");
    add(type_digits(&weighed, true, &mut t, true));
    t += 500_000;
    // Half a scan, then the cable is pulled; it is back after two attempts.
    add(type_digits("48291", true, &mut t, false));
    items.push(ReplayItem::Unplug { failed_reopens: 2 });
    t += 3_000_000;
    let mut add = |events: Vec<InputEvent>| items.extend(events.into_iter().map(ReplayItem::Event));
    add(type_digits(PAIN, true, &mut t, true));
    (items, label, weighed)
}

#[actix::test]
async fn scans_land_in_the_basket_through_the_runtime() {
    let mut shop = Shop::open(None).await;
    let (items, label, weighed) = shop_recording();
    shop.scanner(ReplaySource::new("shop", items), DecoderConfig::default());

    // 120 + 250 + 350 + 1059 + 120 (the second Pain au chocolat, after the reconnect).
    let last = shop
        .wait_for("the final basket", |e| basket_total(e) == Some(1899))
        .await;
    let lines = lines_of(&last);
    let summary: Vec<(&str, &str, i64, i64)> = lines
        .iter()
        .map(|l| {
            (
                l.code.as_deref().unwrap_or(""),
                l.name.as_str(),
                l.qty,
                l.unit_cents.cents(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("1234", "Pain au chocolat", 2, 120),
            ("0000", "Café", 1, 250),
            ("1234", "Pain au chocolat", 1, 350),
            ("42", "Fromage 0,532 kg", 1, 1059),
        ],
        "labels {label} and {weighed}"
    );
    // The bad read gave one error and no line; nothing else went wrong.
    assert_eq!(shop.errors(), ["bad_check_digit"], "{:#?}", shop.seen);
    // Basket events in scan order: 1, 2, (error), 3, 4 lines, then qty 2.
    let sizes: Vec<usize> = shop
        .seen
        .iter()
        .filter(|e| matches!(e, TillEvent::Basket { .. }))
        .map(|e| lines_of(e).len())
        .collect();
    assert_eq!(sizes, [1, 2, 3, 4, 4]);
    // Connected, unplugged, back: without restarting the till.
    assert_eq!(shop.scanner_states(), [true, false, true]);
    let json = serde_json::to_value(
        shop.seen
            .iter()
            .find(|e| {
                matches!(
                    e,
                    TillEvent::Scanner {
                        connected: false,
                        ..
                    }
                )
            })
            .unwrap(),
    )
    .unwrap();
    assert_eq!(json["event"], "scanner");
    assert_eq!(json["connected"], false);
    assert!(
        json["message"].as_str().unwrap().contains("No such device"),
        "{json}"
    );
}

#[actix::test]
async fn recorded_azerty_and_us_streams_through_the_runtime() {
    let mut shop = Shop::open(None).await;
    // The AZERTY recording (Shift per digit, then held) decoded with the Belgian keymap …
    let r = recording("be_azerty_origin.evtest");
    shop.scanner(r.source, r.config);
    shop.wait_for("two lines", |e| lines_of(e).len() == 2).await;
    // … and the US one with the US keymap: the same products again.
    let r = recording("us_origin.evtest");
    shop.scanner(r.source, r.config);
    let e = shop
        .wait_for("both products twice", |e| {
            lines_of(e).iter().map(|l| l.qty).sum::<i64>() == 4
        })
        .await;
    assert_eq!(basket_total(&e), Some(2 * 120 + 2 * 250));
    assert!(shop.errors().is_empty(), "{:#?}", shop.seen);
}

#[actix::test]
async fn a_scan_while_nobody_is_logged_in_is_refused_like_the_command() {
    let mut shop = Shop::open(None).await;
    shop.till.execute(Command::Logout).await;
    let mut t = 0;
    let events = type_digits(PAIN, false, &mut t, true);
    shop.scanner(
        ReplaySource::from_events("logged out", events),
        DecoderConfig::default(),
    );
    let e = shop
        .wait_for("an error", |e| matches!(e, TillEvent::Error { .. }))
        .await;
    let TillEvent::Error { code, .. } = e else {
        unreachable!()
    };
    assert_eq!(code, "not_logged_in");
}

#[actix::test]
async fn a_configured_scanner_that_is_not_there_does_not_stop_the_till() {
    let path = "/dev/input/by-id/kaching-test-no-such-scanner-event-kbd";
    let mut shop = Shop::open(Some(path)).await;
    let e = shop
        .wait_for("scanner event", |e| matches!(e, TillEvent::Scanner { .. }))
        .await;
    let TillEvent::Scanner {
        connected, device, ..
    } = e
    else {
        unreachable!()
    };
    assert!(!connected);
    assert!(device.contains("kaching-test-no-such-scanner"), "{device}");
    // The till sells as usual (the GUI's article field, the headless `scan`).
    shop.till.execute(Command::Scan(CAFE.into())).await;
    shop.wait_for("a line", |e| lines_of(e).len() == 1).await;
}

#[actix::test]
async fn typed_in_store_labels_are_decoded_too() {
    let mut shop = Shop::open(None).await;
    // 250 g of cheese at 19,90 €/kg = 4,975 € → 4,98 €, typed (a scanner in keyboard mode).
    let weighed = with_ean_check("280004200250");
    shop.till.execute(Command::Scan(weighed)).await;
    let e = shop.wait_for("a line", |e| lines_of(e).len() == 1).await;
    assert_eq!(lines_of(&e)[0].name, "Fromage 0,250 kg");
    assert_eq!(basket_total(&e), Some(498));
    // A price label whose price check digit is wrong: a bad read, no line.
    let price = [0, 0, 3, 5, 0];
    let wrong = (price_check_digit(&price).unwrap() + 1) % 10;
    shop.till
        .execute(Command::Scan(with_ean_check(&format!(
            "201234{wrong}00350"
        ))))
        .await;
    // A label for an article the shop does not have.
    let c = price_check_digit(&price).unwrap();
    shop.till
        .execute(Command::Scan(with_ean_check(&format!("277777{c}00350"))))
        .await;
    shop.till.execute(Command::Status).await;
    shop.wait_for("status", |e| matches!(e, TillEvent::Status(_)))
        .await;
    assert_eq!(shop.errors(), ["bad_check_digit", "unknown_code"]);
    let baskets = shop
        .seen
        .iter()
        .filter(|e| matches!(e, TillEvent::Basket { .. }))
        .count();
    assert_eq!(baskets, 1);
}

#[test]
fn scanner_settings_are_checked() {
    let s = RawSettings::default().validate().unwrap();
    assert_eq!(s.scanner.device, None);
    assert_eq!(s.scanner.decoder, DecoderConfig::default());
    assert!(s.scanner.instore.is_empty());
    let mut raw = RawSettings::default();
    raw.scanner.device = " /dev/input/by-id/usb-scanner-event-kbd ".into();
    raw.scanner.keymap = "be".into();
    raw.scanner.suffix = "none".into();
    raw.scanner.max_gap_ms = 80;
    raw.scanner.instore_pattern = INSTORE.into();
    let s = raw.validate().unwrap();
    assert_eq!(
        s.scanner.device.as_deref(),
        Some("/dev/input/by-id/usb-scanner-event-kbd")
    );
    assert_eq!(s.scanner.decoder.layout, Layout::Be);
    assert_eq!(s.scanner.decoder.suffix, Suffix::None);
    assert_eq!(s.scanner.decoder.max_gap, Duration::from_millis(80));
    assert_eq!(s.scanner.instore.patterns().len(), 2);
    for (key, edit) in [
        (
            "scanner.keymap",
            (|r: &mut RawSettings| r.scanner.keymap = "dvorak".into()) as fn(&mut RawSettings),
        ),
        ("scanner.suffix", |r| r.scanner.suffix = "bell".into()),
        ("scanner.max_gap_ms", |r| r.scanner.max_gap_ms = 0),
        ("scanner.instore_pattern", |r| {
            r.scanner.instore_pattern = "PPPPPPPVVVVVK".into()
        }),
    ] {
        let mut raw = RawSettings::default();
        edit(&mut raw);
        let err = raw.validate().unwrap_err().to_string();
        assert!(err.contains(key), "{key}: {err}");
    }
}
