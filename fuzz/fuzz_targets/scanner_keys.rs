//! The barcode scanner's key-event decoder (`devices::scanner::Decoder`, `devices::keymap`):
//! evdev key events → scans.
//!
//! Input: 3 bytes of settings, then the events. Byte 0: the mode (`% 3`), the scanner's layout
//! (`/ 3 % 3`: us, be, fr) and suffix (`/ 9 % 3`: enter, tab, none); byte 1: `max_len` (64
//! below 128, else 1-70); byte 2: `max_gap` (50-305 ms) and, in mode 1, how to type. Modes:
//! - 0, raw events: 4 bytes each (time step, key code, event type, value), fed to the decoder,
//!   then a silence (`idle`);
//! - 1, typing: the bytes pick a code (digits and letters on a US scanner, digits on AZERTY),
//!   typed as a scanner types it (Shift or Caps Lock for capitals, Shift or not for AZERTY
//!   digits, the keypad or the digit row), then the suffix: it must decode to exactly that code;
//! - 2, an `evtest` recording (the format of tests/fixtures/scanner), parsed by
//!   `ReplaySource::parse` and played through `run_pump`, unplugs included.
//!
//! Properties: no panic, no hang; a scan is 1 to `max_len` characters, none of them a control
//! character; a refused read says why within its bounds; with `suffix = none` no read is ever
//! "incomplete"; a typed code comes back as typed, once.

#![no_main]

use std::cell::Cell;
use std::time::Duration;

use kaching::devices::keymap::Layout;
use kaching::devices::scanner::{
    Decoded, Decoder, DecoderConfig, EV_KEY, EV_MSC, EV_SYN, InputEvent, KeySource, MAX_SCAN_LEN,
    PRESS, RELEASE, ReplaySource, ReportSink, ScanError, ScannerReport, SourceError, Suffix,
    run_pump,
};
use libfuzzer_sys::fuzz_target;

// Key codes of linux/input-event-codes.h, written here from the header (the oracle does not
// borrow the library's table).
const KEY_ENTER: u16 = 28;
const KEY_KPENTER: u16 = 96;
const KEY_TAB: u16 = 15;
const KEY_LEFTSHIFT: u16 = 42;
const KEY_CAPSLOCK: u16 = 58;
const DIGIT_ROW: [u16; 10] = [11, 2, 3, 4, 5, 6, 7, 8, 9, 10]; // KEY_0, KEY_1..KEY_9
const KEYPAD: [u16; 10] = [82, 79, 80, 81, 75, 76, 77, 71, 72, 73]; // KEY_KP0..KEY_KP9
const LETTERS_US: [u16; 26] = [
    30, 48, 46, 32, 18, 33, 34, 35, 23, 36, 37, 38, 50, 49, 24, 25, 16, 19, 31, 20, 22, 47, 17, 45,
    21, 44,
]; // KEY_A..KEY_Z on a US keyboard

fuzz_target!(|data: &[u8]| {
    let [d0, d1, d2, rest @ ..] = data else {
        return;
    };
    let mode = d0 % 3;
    let layout = Layout::ALL[usize::from(d0 / 3 % 3)];
    let suffix = [Suffix::Enter, Suffix::Tab, Suffix::None][usize::from(d0 / 9 % 3)];
    let max_len = if *d1 < 128 {
        MAX_SCAN_LEN
    } else {
        usize::from(d1 - 128) % 70 + 1
    };
    let config = DecoderConfig {
        layout,
        suffix,
        max_gap: Duration::from_millis(50 + u64::from(*d2)),
        max_len,
    };
    match mode {
        0 => raw_events(config, rest),
        1 => typing(config, *d2, rest),
        _ => recording(config, rest),
    }
});

/// What any decoded read must be.
fn check(config: &DecoderConfig, d: &Decoded) {
    match d {
        Decoded::Scan(text) => {
            let n = text.chars().count();
            assert!(n >= 1 && n <= config.max_len, "{d:?} ({config:?})");
            assert!(!text.chars().any(char::is_control), "{d:?}");
        }
        Decoded::Rejected(ScanError::TooLong { start, len, max }) => {
            assert_eq!(*max, config.max_len);
            assert!(*len > *max, "{d:?}");
            assert!(start.chars().count() <= 16.min(*max), "{d:?}");
            assert!(!start.chars().any(char::is_control), "{d:?}");
        }
        Decoded::Rejected(ScanError::Incomplete(text)) => {
            assert_ne!(config.suffix, Suffix::None, "{d:?}");
            let n = text.chars().count();
            assert!(n >= 1 && n <= config.max_len, "{d:?}");
        }
    }
}

fn raw_events(config: DecoderConfig, bytes: &[u8]) {
    let mut decoder = Decoder::new(config.clone());
    let mut t: u64 = 1_767_000_000_000_000;
    for ev in bytes.chunks_exact(4) {
        if ev[0] == 255 {
            // The clock going back (timestamps are the kernel's, not ours to trust).
            t = t.saturating_sub(1_000_000);
        } else {
            t += u64::from(ev[0]) * 1000;
        }
        let kind = match ev[2] & 3 {
            1 => EV_SYN,
            2 => EV_MSC,
            _ => EV_KEY,
        };
        let code = u16::from(ev[1]) | (u16::from(ev[2] >> 7) << 8);
        let value = match ev[3] % 4 {
            3 => i32::from(ev[3] as i8),
            v => i32::from(v),
        };
        let e = InputEvent {
            time_us: t,
            kind,
            code,
            value,
        };
        if let Some(d) = decoder.feed(&e) {
            check(&config, &d);
        }
        assert_eq!(decoder.timeout().is_some(), decoder.is_pending());
    }
    if let Some(d) = decoder.idle() {
        check(&config, &d);
    }
    assert!(!decoder.is_pending(), "keys still pending after a silence");
}

fn typing(config: DecoderConfig, how: u8, bytes: &[u8]) {
    const US: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let us = config.layout == Layout::Us;
    let code: String = bytes
        .iter()
        .take(config.max_len)
        .map(|&b| {
            if us {
                char::from(US[usize::from(b) % US.len()])
            } else {
                char::from(b'0' + b % 10)
            }
        })
        .collect();
    if code.is_empty() {
        return;
    }
    let (keypad, shifted_digits, caps, kp_enter) =
        (how & 1 != 0, how & 2 != 0, how & 4 != 0 && us, how & 8 != 0);
    let mut t: u64 = 1_767_000_000_000_000;
    let mut events = Vec::new();
    let mut key = |events: &mut Vec<InputEvent>, code: u16, value: i32| {
        events.push(InputEvent::key(t, code, value));
        events.push(InputEvent::syn(t));
        t += 1000;
    };
    let mut tap = |events: &mut Vec<InputEvent>, code: u16, shift: bool| {
        if shift {
            key(events, KEY_LEFTSHIFT, PRESS);
        }
        key(events, code, PRESS);
        key(events, code, RELEASE);
        if shift {
            key(events, KEY_LEFTSHIFT, RELEASE);
        }
    };
    if caps {
        tap(&mut events, KEY_CAPSLOCK, false);
    }
    for c in code.chars() {
        if let Some(d) = c.to_digit(10) {
            let d = d as usize;
            if keypad {
                tap(&mut events, KEYPAD[d], false);
            } else {
                tap(&mut events, DIGIT_ROW[d], shifted_digits);
            }
        } else {
            let letter = LETTERS_US[usize::from(c.to_ascii_lowercase() as u8 - b'a')];
            // Caps Lock on: capitals unshifted, small letters with Shift.
            tap(&mut events, letter, c.is_ascii_uppercase() != caps);
        }
    }
    match config.suffix {
        Suffix::Enter => tap(
            &mut events,
            if kp_enter { KEY_KPENTER } else { KEY_ENTER },
            false,
        ),
        Suffix::Tab => tap(&mut events, KEY_TAB, false),
        Suffix::None => {}
    }
    let mut decoder = Decoder::new(config.clone());
    let mut got = Vec::new();
    for e in &events {
        got.extend(decoder.feed(e));
    }
    got.extend(decoder.idle());
    for d in &got {
        check(&config, d);
    }
    assert_eq!(
        got,
        vec![Decoded::Scan(code.clone())],
        "typed {code:?} ({config:?}, how {how})"
    );
}

/// Collects the pump's reports; stops it after a bounded number of rounds (a recording's
/// `UNPLUG 4000000000` would otherwise keep it retrying for as long as that says).
struct Sink {
    config: DecoderConfig,
    rounds: Cell<u32>,
    scans: usize,
}

impl ReportSink for Sink {
    fn report(&mut self, report: ScannerReport) -> bool {
        if let ScannerReport::Decoded(d) = &report {
            check(&self.config, d);
            self.scans += 1;
        }
        true
    }
    fn alive(&self) -> bool {
        self.rounds.set(self.rounds.get() + 1);
        self.rounds.get() < 20_000
    }
}

/// The recording, counting the key presses it gives.
struct Counting {
    source: ReplaySource,
    presses: usize,
}

impl KeySource for Counting {
    fn describe(&self) -> String {
        self.source.describe()
    }
    fn open(&mut self) -> Result<String, SourceError> {
        self.source.open()
    }
    fn next_events(&mut self, timeout: Duration) -> Result<Vec<InputEvent>, SourceError> {
        let events = self.source.next_events(timeout)?;
        self.presses += events
            .iter()
            .filter(|e| e.kind == EV_KEY && e.value == PRESS)
            .count();
        Ok(events)
    }
}

fn recording(config: DecoderConfig, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let Ok(source) = ReplaySource::parse("fuzz", &text) else {
        return;
    };
    let mut source = Counting { source, presses: 0 };
    let mut decoder = Decoder::new(config.clone());
    let mut sink = Sink {
        config,
        rounds: Cell::new(0),
        scans: 0,
    };
    run_pump(&mut source, &mut decoder, Duration::ZERO, &mut sink);
    // Every read is made of key presses, each press in one read at most.
    assert!(
        sink.scans <= source.presses,
        "{} reads from {} key presses",
        sink.scans,
        source.presses
    );
}
