//! The barcode scanner read through evdev: raw key events → complete scans.
//!
//! - [`Decoder`] is a pure state machine fed with (key code, press/release/repeat, timestamp)
//!   events. Characters come from the scanner's own [`Layout`]; Enter (or the configured
//!   [`Suffix`]) ends a scan; with `suffix = "none"` a silence longer than `max_gap` does. Every
//!   decision uses the events' own timestamps, so a scan split over several reads is one scan and
//!   two scans arriving in one read are two.
//! - [`KeySource`] is where events come from: [`EvdevSource`] (a `/dev/input/event*` device,
//!   grabbed exclusively so its keys never reach another program) or [`ReplaySource`] (a
//!   recording, for tests and for machines without the device).
//! - [`run_pump`] is the blocking loop between the two, with the unplug/reconnect logic: on
//!   ENODEV (os error 19) the device is dropped and looked for again every `reconnect_every`.
//!
//! Garbage never panics: unknown key codes and event types are ignored, key repeats add nothing,
//! input longer than `max_len` is dropped with an error, timestamps going backwards count as no
//! gap.

use std::collections::VecDeque;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::keymap::codes::*;
use super::keymap::{Layout, Modifiers};

/// evdev event types (linux/input-event-codes.h).
pub const EV_SYN: u16 = 0;
pub const EV_KEY: u16 = 1;
pub const EV_MSC: u16 = 4;

/// Key event values.
pub const RELEASE: i32 = 0;
pub const PRESS: i32 = 1;
pub const REPEAT: i32 = 2;

/// Scans longer than this are garbage (an article code has at most 32 characters; GS1 codes
/// with several fields fit too).
pub const MAX_SCAN_LEN: usize = 64;

/// One evdev input event, as read from the device or a recording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputEvent {
    /// Microseconds since the Unix epoch (the kernel's event time).
    pub time_us: u64,
    pub kind: u16,
    pub code: u16,
    pub value: i32,
}

impl InputEvent {
    pub fn key(time_us: u64, code: u16, value: i32) -> InputEvent {
        InputEvent {
            time_us,
            kind: EV_KEY,
            code,
            value,
        }
    }

    pub fn syn(time_us: u64) -> InputEvent {
        InputEvent {
            time_us,
            kind: EV_SYN,
            code: 0,
            value: 0,
        }
    }
}

/// What ends a scan (`scanner.suffix`): the key the scanner sends after each code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Suffix {
    /// Enter (main or keypad). The default of nearly every scanner.
    Enter,
    /// Tab (Enter still ends a scan: a code cannot contain a line break).
    Tab,
    /// Nothing: a scan ends after `max_gap` without a key (or at an Enter).
    None,
}

impl Suffix {
    pub fn parse(s: &str) -> Option<Suffix> {
        match s.trim().to_ascii_lowercase().as_str() {
            "enter" | "cr" | "lf" | "crlf" | "return" => Some(Suffix::Enter),
            "tab" => Some(Suffix::Tab),
            "none" | "" => Some(Suffix::None),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Suffix::Enter => "enter",
            Suffix::Tab => "tab",
            Suffix::None => "none",
        }
    }
}

/// How to decode a scanner's keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecoderConfig {
    pub layout: Layout,
    pub suffix: Suffix,
    /// The longest silence inside one scan. With `suffix = none` it ends a scan; otherwise
    /// keys left pending that long without their suffix are an incomplete read and dropped.
    pub max_gap: Duration,
    pub max_len: usize,
}

impl Default for DecoderConfig {
    fn default() -> DecoderConfig {
        DecoderConfig {
            layout: Layout::Us,
            suffix: Suffix::Enter,
            max_gap: Duration::from_millis(200),
            max_len: MAX_SCAN_LEN,
        }
    }
}

/// A read the decoder refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScanError {
    #[error(
        "scan too long ({len} characters, at most {max}) starting '{start}': dropped, scan again"
    )]
    TooLong {
        start: String,
        len: usize,
        max: usize,
    },
    #[error("incomplete scan '{0}' (no end-of-code key): dropped, scan again")]
    Incomplete(String),
}

/// What the decoder makes of the keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded {
    /// A complete scan, to be looked up like a typed `scan` command.
    Scan(String),
    Rejected(ScanError),
}

/// The pure key-event → scan state machine.
#[derive(Debug, Clone)]
pub struct Decoder {
    config: DecoderConfig,
    buf: String,
    /// Characters of the pending scan, counting those dropped beyond `max_len`.
    len: usize,
    last_key_us: Option<u64>,
    left_shift: bool,
    right_shift: bool,
    left_ctrl: bool,
    right_ctrl: bool,
    alt: bool,
    altgr: bool,
    caps: bool,
}

impl Decoder {
    pub fn new(config: DecoderConfig) -> Decoder {
        Decoder {
            config,
            buf: String::new(),
            len: 0,
            last_key_us: None,
            left_shift: false,
            right_shift: false,
            left_ctrl: false,
            right_ctrl: false,
            alt: false,
            altgr: false,
            caps: false,
        }
    }

    pub fn config(&self) -> &DecoderConfig {
        &self.config
    }

    /// Whether keys of an unfinished scan are waiting.
    pub fn is_pending(&self) -> bool {
        self.len > 0
    }

    /// How long to wait for the next key before calling [`Decoder::idle`]: `None` when nothing
    /// is pending (wait as long as it takes).
    pub fn timeout(&self) -> Option<Duration> {
        self.is_pending().then_some(self.config.max_gap)
    }

    fn mods(&self) -> Modifiers {
        Modifiers {
            shift: self.left_shift || self.right_shift,
            altgr: self.altgr,
            alt: self.alt,
            ctrl: self.left_ctrl || self.right_ctrl,
            caps: self.caps,
        }
    }

    /// Feeds one event; returns a scan (or a refused read) when this event completes one.
    pub fn feed(&mut self, ev: &InputEvent) -> Option<Decoded> {
        if ev.kind != EV_KEY {
            return None;
        }
        let gap = self
            .last_key_us
            .map(|last| Duration::from_micros(ev.time_us.saturating_sub(last)));
        self.last_key_us = Some(ev.time_us);
        // A silence longer than max_gap ends what was pending before this key. A scanner never
        // holds a modifier across such a silence: one still down lost its release (a dropped
        // event), so they are released rather than garbling every later scan.
        let ended_by_gap = match gap {
            Some(g) if g > self.config.max_gap => {
                self.release_modifiers();
                self.idle()
            }
            _ => None,
        };
        let pressed = match ev.value {
            PRESS => true,
            RELEASE => false,
            // Repeats (a key held down) and nonsense values type nothing.
            _ => return ended_by_gap,
        };
        match ev.code {
            KEY_LEFTSHIFT => self.left_shift = pressed,
            KEY_RIGHTSHIFT => self.right_shift = pressed,
            KEY_LEFTCTRL => self.left_ctrl = pressed,
            KEY_RIGHTCTRL => self.right_ctrl = pressed,
            KEY_LEFTALT => self.alt = pressed,
            KEY_RIGHTALT => self.altgr = pressed,
            KEY_CAPSLOCK if pressed => self.caps = !self.caps,
            _ if !pressed => {}
            KEY_ENTER | KEY_KPENTER => return ended_by_gap.or_else(|| self.finish()),
            KEY_TAB if self.config.suffix == Suffix::Tab => {
                return ended_by_gap.or_else(|| self.finish());
            }
            code => {
                if let Some(c) = self.config.layout.char_for(code, self.mods()) {
                    self.push(c);
                }
            }
        }
        ended_by_gap
    }

    fn release_modifiers(&mut self) {
        self.left_shift = false;
        self.right_shift = false;
        self.left_ctrl = false;
        self.right_ctrl = false;
        self.alt = false;
        self.altgr = false;
    }

    fn push(&mut self, c: char) {
        self.len = self.len.saturating_add(1);
        if self.len <= self.config.max_len {
            self.buf.push(c);
        }
    }

    /// Ends the pending scan at its suffix key.
    fn finish(&mut self) -> Option<Decoded> {
        let len = std::mem::take(&mut self.len);
        let text = std::mem::take(&mut self.buf);
        if len == 0 {
            None
        } else if len > self.config.max_len {
            Some(Decoded::Rejected(ScanError::TooLong {
                start: text.chars().take(16).collect(),
                len,
                max: self.config.max_len,
            }))
        } else {
            Some(Decoded::Scan(text))
        }
    }

    /// No key came for [`Decoder::timeout`]: with `suffix = none` the pending keys are a scan;
    /// otherwise they are an incomplete read.
    pub fn idle(&mut self) -> Option<Decoded> {
        if !self.is_pending() {
            return None;
        }
        match self.config.suffix {
            Suffix::None => self.finish(),
            Suffix::Enter | Suffix::Tab => match self.finish() {
                Some(Decoded::Scan(text)) => Some(Decoded::Rejected(ScanError::Incomplete(text))),
                other => other,
            },
        }
    }

    /// Forgets everything (the device went away): returns the dropped pending keys, if any.
    pub fn reset(&mut self) -> Option<String> {
        let pending = self.is_pending().then(|| self.buf.clone());
        *self = Decoder::new(self.config.clone());
        pending
    }
}

/// Why a [`KeySource`] gives no events.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    /// The device went away (ENODEV, os error 19): unplugged.
    #[error("scanner unplugged: {0}")]
    Unplugged(String),
    /// The device is not there (yet).
    #[error("scanner not found: {0}")]
    NotFound(String),
    /// A recording has no more events (never from a real device).
    #[error("end of the recorded events")]
    Ended,
    #[error("scanner error: {0}")]
    Io(String),
}

/// Where key events come from. Blocking: runs on its own thread.
pub trait KeySource: Send {
    /// What is being read, for logs and events.
    fn describe(&self) -> String;
    /// Opens the device (again, after an unplug) and grabs it; returns its description.
    fn open(&mut self) -> Result<String, SourceError>;
    /// Waits up to `timeout` for events; `Ok` with no events when the time ran out.
    fn next_events(&mut self, timeout: Duration) -> Result<Vec<InputEvent>, SourceError>;
}

/// What the pump reports to the runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScannerReport {
    Connected { device: String },
    Disconnected { device: String, reason: String },
    Decoded(Decoded),
}

/// Where the pump sends its reports.
pub trait ReportSink {
    /// Delivers a report; `false` when nobody listens any more (the pump then stops).
    fn report(&mut self, report: ScannerReport) -> bool;
    /// Whether somebody still listens (checked while waiting for keys or for the device).
    fn alive(&self) -> bool {
        true
    }
}

impl<F: FnMut(ScannerReport) -> bool> ReportSink for F {
    fn report(&mut self, report: ScannerReport) -> bool {
        self(report)
    }
}

/// How long the pump waits for a key when nothing is pending, before checking that the runtime
/// still listens.
const ALIVE_CHECK: Duration = Duration::from_secs(1);

/// The scanner thread's loop: opens `source`, decodes its events and reports scans until the
/// source ends (a recording) or the sink stops listening. When the device is unplugged (or not
/// there at start) it reports it once, then tries to reopen it every `reconnect_every`.
pub fn run_pump(
    source: &mut dyn KeySource,
    decoder: &mut Decoder,
    reconnect_every: Duration,
    sink: &mut dyn ReportSink,
) {
    let mut connected = false;
    let mut announced_down = false;
    while sink.alive() {
        if !connected {
            match source.open() {
                Ok(device) => {
                    connected = true;
                    announced_down = false;
                    if !sink.report(ScannerReport::Connected { device }) {
                        return;
                    }
                }
                Err(SourceError::Ended) => return,
                Err(e) => {
                    if !announced_down {
                        announced_down = true;
                        let down = ScannerReport::Disconnected {
                            device: source.describe(),
                            reason: e.to_string(),
                        };
                        if !sink.report(down) {
                            return;
                        }
                    }
                    tracing::debug!(error = %e, "scanner still away");
                    std::thread::sleep(reconnect_every);
                    continue;
                }
            }
        }
        let wait = decoder.timeout();
        match source.next_events(wait.unwrap_or(ALIVE_CHECK)) {
            Ok(events) if events.is_empty() => {
                if wait.is_some()
                    && let Some(d) = decoder.idle()
                    && !sink.report(ScannerReport::Decoded(d))
                {
                    return;
                }
            }
            Ok(events) => {
                for ev in &events {
                    if let Some(d) = decoder.feed(ev)
                        && !sink.report(ScannerReport::Decoded(d))
                    {
                        return;
                    }
                }
            }
            Err(SourceError::Ended) => {
                if let Some(d) = decoder.idle() {
                    sink.report(ScannerReport::Decoded(d));
                }
                return;
            }
            Err(e) => {
                if let Some(dropped) = decoder.reset() {
                    tracing::warn!(keys = %dropped, "scanner gone in the middle of a scan");
                }
                connected = false;
                announced_down = true;
                let down = ScannerReport::Disconnected {
                    device: source.describe(),
                    reason: e.to_string(),
                };
                if !sink.report(down) {
                    return;
                }
                std::thread::sleep(reconnect_every);
            }
        }
    }
}

/// Which device `scanner.device` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceSpec {
    /// `/dev/input/by-id/usb-…-event-kbd` (stable across replugging) or `/dev/input/eventN`.
    Path(PathBuf),
    /// A part of the device's name (case-insensitive), e.g. `Honeywell` or `barcode`.
    Name(String),
}

impl DeviceSpec {
    pub fn parse(s: &str) -> DeviceSpec {
        let s = s.trim();
        if s.starts_with('/') {
            DeviceSpec::Path(PathBuf::from(s))
        } else {
            DeviceSpec::Name(s.to_owned())
        }
    }
}

impl fmt::Display for DeviceSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeviceSpec::Path(p) => write!(f, "{}", p.display()),
            DeviceSpec::Name(n) => write!(f, "the device named like '{n}'"),
        }
    }
}

/// ENODEV: the device is gone.
const ENODEV: i32 = 19;

fn source_error(e: &std::io::Error) -> SourceError {
    if e.raw_os_error() == Some(ENODEV) {
        SourceError::Unplugged(e.to_string())
    } else if e.kind() == std::io::ErrorKind::NotFound {
        SourceError::NotFound(e.to_string())
    } else {
        SourceError::Io(e.to_string())
    }
}

fn micros(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// A real scanner: an evdev device opened by path or found by name, grabbed exclusively.
pub struct EvdevSource {
    spec: DeviceSpec,
    device: Option<(PathBuf, evdev::Device)>,
}

impl EvdevSource {
    pub fn new(spec: DeviceSpec) -> EvdevSource {
        EvdevSource { spec, device: None }
    }

    fn find(&self) -> Result<(PathBuf, evdev::Device), SourceError> {
        match &self.spec {
            DeviceSpec::Path(p) => evdev::Device::open(p)
                .map(|d| (p.clone(), d))
                .map_err(|e| source_error(&e)),
            DeviceSpec::Name(needle) => {
                let needle = needle.to_lowercase();
                evdev::enumerate()
                    .find(|(_, d)| {
                        d.name().is_some_and(|n| n.to_lowercase().contains(&needle))
                            && d.supported_keys()
                                .is_some_and(|k| k.contains(evdev::KeyCode::KEY_ENTER))
                    })
                    .ok_or_else(|| {
                        SourceError::NotFound(format!("no input device named like '{needle}'"))
                    })
            }
        }
    }
}

impl KeySource for EvdevSource {
    fn describe(&self) -> String {
        match &self.device {
            Some((path, d)) => format!("{} ({})", path.display(), d.name().unwrap_or("?")),
            None => self.spec.to_string(),
        }
    }

    fn open(&mut self) -> Result<String, SourceError> {
        self.device = None;
        let (path, mut device) = self.find()?;
        device.grab().map_err(|e| {
            SourceError::Io(format!(
                "cannot grab {} (used by another program?): {e}",
                path.display()
            ))
        })?;
        device.set_nonblocking(true).map_err(|e| source_error(&e))?;
        self.device = Some((path, device));
        Ok(self.describe())
    }

    fn next_events(&mut self, timeout: Duration) -> Result<Vec<InputEvent>, SourceError> {
        use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
        use std::os::fd::AsFd;
        let Some((_, device)) = self.device.as_mut() else {
            return Err(SourceError::Unplugged("not open".into()));
        };
        let ready = {
            let mut fds = [PollFd::new(device.as_fd(), PollFlags::POLLIN)];
            let t = PollTimeout::try_from(timeout).unwrap_or(PollTimeout::MAX);
            match poll(&mut fds, t) {
                Ok(n) => n > 0,
                Err(nix::errno::Errno::EINTR) => false,
                Err(e) => return Err(source_error(&std::io::Error::from(e))),
            }
        };
        if !ready {
            return Ok(Vec::new());
        }
        let read: std::io::Result<Vec<InputEvent>> = device.fetch_events().map(|events| {
            events
                .map(|e| InputEvent {
                    time_us: micros(e.timestamp()),
                    kind: e.event_type().0,
                    code: e.code(),
                    value: e.value(),
                })
                .collect()
        });
        match read {
            Ok(events) => Ok(events),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => Ok(Vec::new()),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => Ok(Vec::new()),
            Err(e) => {
                self.device = None;
                Err(match source_error(&e) {
                    // A read error on an open device means it went away.
                    SourceError::Io(m) | SourceError::NotFound(m) => SourceError::Unplugged(m),
                    other => other,
                })
            }
        }
    }
}

/// One item of a recording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplayItem {
    Event(InputEvent),
    /// The device goes away (reads fail with ENODEV); it comes back after `failed_reopens`
    /// attempts to reopen it fail.
    Unplug {
        failed_reopens: u32,
    },
}

/// A recorded event stream played back as a device, for tests and machines without one.
/// Time is virtual: the recording's timestamps drive the decoder, waits cost nothing.
///
/// The text format ([`ReplaySource::parse`]) is `evtest`'s output, so a recording made on a
/// till with `evtest /dev/input/eventN > scan.txt` replays as is:
///
/// ```text
/// Event: time 1700000000.100000, type 4 (EV_MSC), code 4 (MSC_SCAN), value 7001e
/// Event: time 1700000000.100000, type 1 (EV_KEY), code 2 (KEY_1), value 1
/// Event: time 1700000000.100000, -------------- SYN_REPORT ------------
/// ```
///
/// plus a line `UNPLUG [N]` (or evtest's own `evtest: error reading: No such device`) where the
/// device is pulled out; it comes back after N failed reopen attempts (default 0). Other lines
/// (evtest's header, `#` comments, blank lines) are ignored.
#[derive(Debug, Clone)]
pub struct ReplaySource {
    name: String,
    items: VecDeque<ReplayItem>,
    now_us: Option<u64>,
    /// The last wait ended before the next event: deliver it at the next call (one timeout per
    /// silence is all the decoder needs, however long the silence).
    timed_out: bool,
    plugged: bool,
    failing_reopens: u32,
}

impl ReplaySource {
    pub fn new(name: impl Into<String>, items: impl IntoIterator<Item = ReplayItem>) -> Self {
        ReplaySource {
            name: name.into(),
            items: items.into_iter().collect(),
            now_us: None,
            timed_out: false,
            plugged: true,
            failing_reopens: 0,
        }
    }

    pub fn from_events(
        name: impl Into<String>,
        events: impl IntoIterator<Item = InputEvent>,
    ) -> Self {
        ReplaySource::new(name, events.into_iter().map(ReplayItem::Event))
    }

    /// Parses a recording (see the type's documentation).
    pub fn parse(name: impl Into<String>, text: &str) -> Result<ReplaySource, String> {
        let mut items = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.starts_with('#') {
                continue;
            }
            if let Some(rest) = line.strip_prefix("UNPLUG") {
                let failed_reopens = match rest.trim() {
                    "" => 0,
                    t => t
                        .parse()
                        .map_err(|_| format!("line {}: UNPLUG takes a number", n + 1))?,
                };
                items.push(ReplayItem::Unplug { failed_reopens });
            } else if line.contains("No such device") {
                items.push(ReplayItem::Unplug { failed_reopens: 0 });
            } else if let Some(rest) = line.strip_prefix("Event: time ") {
                let ev = parse_evtest(rest).ok_or_else(|| format!("line {}: '{line}'", n + 1))?;
                items.push(ReplayItem::Event(ev));
            }
        }
        Ok(ReplaySource::new(name, items))
    }

    pub fn from_file(path: &Path) -> Result<ReplaySource, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        ReplaySource::parse(path.display().to_string(), &text)
    }
}

/// `1700000000.100000, type 1 (EV_KEY), code 2 (KEY_1), value 1` or
/// `1700000000.100000, -------------- SYN_REPORT ------------`.
fn parse_evtest(rest: &str) -> Option<InputEvent> {
    let (time, fields) = rest.split_once(',')?;
    let (secs, frac) = time.trim().split_once('.').unwrap_or((time.trim(), "0"));
    let frac = format!("{frac:0<6}");
    let time_us = secs
        .parse::<u64>()
        .ok()?
        .checked_mul(1_000_000)?
        .checked_add(frac.get(..6)?.parse::<u64>().ok()?)?;
    if fields.contains("SYN_") {
        return Some(InputEvent::syn(time_us));
    }
    let number_after = |key: &str| -> Option<&str> {
        let at = fields.find(key)? + key.len();
        fields[at..].split([',', ' ']).find(|s| !s.is_empty())
    };
    let kind: u16 = number_after("type ")?.parse().ok()?;
    let code: u16 = number_after("code ")?.parse().ok()?;
    let raw = number_after("value ")?;
    let value = if kind == EV_KEY {
        raw.parse().ok()?
    } else {
        // MSC_SCAN values are hexadecimal in evtest's output; they are not used.
        raw.parse()
            .or_else(|_| i32::from_str_radix(raw, 16))
            .unwrap_or(0)
    };
    Some(InputEvent {
        time_us,
        kind,
        code,
        value,
    })
}

impl KeySource for ReplaySource {
    fn describe(&self) -> String {
        format!("replay of {}", self.name)
    }

    fn open(&mut self) -> Result<String, SourceError> {
        if self.failing_reopens > 0 {
            self.failing_reopens -= 1;
            return Err(SourceError::NotFound(format!("{} (unplugged)", self.name)));
        }
        self.plugged = true;
        Ok(self.describe())
    }

    fn next_events(&mut self, timeout: Duration) -> Result<Vec<InputEvent>, SourceError> {
        if !self.plugged {
            return Err(SourceError::Unplugged("not open".into()));
        }
        let mut batch = Vec::new();
        while let Some(item) = self.items.front() {
            match item {
                ReplayItem::Unplug { failed_reopens } => {
                    if !batch.is_empty() {
                        break;
                    }
                    self.failing_reopens = *failed_reopens;
                    self.plugged = false;
                    self.items.pop_front();
                    return Err(SourceError::Unplugged(
                        "No such device (os error 19)".into(),
                    ));
                }
                ReplayItem::Event(ev) => {
                    let ev = *ev;
                    if batch.is_empty()
                        && !self.timed_out
                        && let Some(now) = self.now_us
                    {
                        let wait = u64::try_from(timeout.as_micros()).unwrap_or(u64::MAX);
                        let limit = now.saturating_add(wait);
                        if ev.time_us > limit {
                            // Nothing in the recording before the wait ends.
                            self.now_us = Some(limit);
                            self.timed_out = true;
                            return Ok(batch);
                        }
                    }
                    self.timed_out = false;
                    self.items.pop_front();
                    self.now_us = Some(self.now_us.map_or(ev.time_us, |n| n.max(ev.time_us)));
                    batch.push(ev);
                    // A read returns one report: up to its SYN_REPORT.
                    if ev.kind == EV_SYN {
                        break;
                    }
                }
            }
        }
        if batch.is_empty() {
            return Err(SourceError::Ended);
        }
        Ok(batch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Types `text` as a scanner with `layout` would: key presses at 2 ms intervals, Shift
    /// around the characters that need it (digits need it on AZERTY).
    fn typed(layout: Layout, text: &str, start_us: u64, suffix: Option<u16>) -> Vec<InputEvent> {
        let mut t = start_us;
        let mut out = Vec::new();
        let mut tick = |out: &mut Vec<InputEvent>, code, value| {
            out.push(InputEvent::key(t, code, value));
            out.push(InputEvent::syn(t));
            t += 1000;
        };
        for c in text.chars() {
            let (code, shift) = key_for(layout, c);
            if shift {
                tick(&mut out, KEY_LEFTSHIFT, PRESS);
            }
            tick(&mut out, code, PRESS);
            tick(&mut out, code, RELEASE);
            if shift {
                tick(&mut out, KEY_LEFTSHIFT, RELEASE);
            }
        }
        if let Some(k) = suffix {
            tick(&mut out, k, PRESS);
            tick(&mut out, k, RELEASE);
        }
        out
    }

    fn key_for(layout: Layout, c: char) -> (u16, bool) {
        let digit = |d: u32| if d == 0 { KEY_0 } else { KEY_1 + d as u16 - 1 };
        match (layout, c) {
            (_, '0'..='9') => (digit(c.to_digit(10).unwrap()), layout != Layout::Us),
            (Layout::Us, 'A') => (KEY_A, true),
            (Layout::Us, 'b') => (KEY_B, false),
            (Layout::Be, 'A') => (KEY_Q, true),
            (Layout::Be, 'b') => (KEY_B, false),
            _ => panic!("no key for {c:?}"),
        }
    }

    fn decode_all(config: DecoderConfig, events: &[InputEvent]) -> Vec<Decoded> {
        let mut d = Decoder::new(config);
        let mut out: Vec<Decoded> = events.iter().filter_map(|e| d.feed(e)).collect();
        out.extend(d.idle());
        out
    }

    fn scans(out: &[Decoded]) -> Vec<&str> {
        out.iter()
            .filter_map(|d| match d {
                Decoded::Scan(s) => Some(s.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn us_and_azerty_scanners_read_the_same_digits() {
        for layout in [Layout::Us, Layout::Be, Layout::Fr] {
            let ev = typed(layout, "1946753214860", 0, Some(KEY_ENTER));
            let config = DecoderConfig {
                layout,
                ..DecoderConfig::default()
            };
            assert_eq!(
                scans(&decode_all(config, &ev)),
                ["1946753214860"],
                "{layout}"
            );
        }
    }

    #[test]
    fn letters_need_the_right_layout_and_shift() {
        let ev = typed(Layout::Be, "Ab12", 0, Some(KEY_ENTER));
        let be = DecoderConfig {
            layout: Layout::Be,
            ..DecoderConfig::default()
        };
        assert_eq!(scans(&decode_all(be, &ev)), ["Ab12"]);
        // The same keys read as a US scanner: KEY_Q is 'q'.
        assert_eq!(scans(&decode_all(DecoderConfig::default(), &ev)), ["Qb12"]);
    }

    #[test]
    fn suffixes() {
        let tab = DecoderConfig {
            suffix: Suffix::Tab,
            ..DecoderConfig::default()
        };
        let mut ev = typed(Layout::Us, "1234", 0, Some(KEY_TAB));
        ev.extend(typed(Layout::Us, "5678", 10_000_000, Some(KEY_KPENTER)));
        assert_eq!(scans(&decode_all(tab, &ev)), ["1234", "5678"]);
        // With Enter as the suffix, Tab types nothing and does not end a scan.
        let ev = typed(Layout::Us, "12", 0, Some(KEY_TAB));
        let mut more = typed(Layout::Us, "34", 9_000, Some(KEY_ENTER));
        let mut all = ev.clone();
        all.append(&mut more);
        assert_eq!(scans(&decode_all(DecoderConfig::default(), &all)), ["1234"]);
    }

    #[test]
    fn without_a_suffix_a_silence_ends_a_scan() {
        let none = DecoderConfig {
            suffix: Suffix::None,
            ..DecoderConfig::default()
        };
        let mut ev = typed(Layout::Us, "1946753214860", 0, None);
        ev.extend(typed(Layout::Us, "4829105637487", 2_000_000, None));
        let out = decode_all(none.clone(), &ev);
        assert_eq!(scans(&out), ["1946753214860", "4829105637487"]);
        // Keys 150 ms apart (under max_gap) stay one scan.
        let mut slow = typed(Layout::Us, "1946", 0, None);
        slow.extend(typed(Layout::Us, "753214860", 150_000 + 8_000, None));
        assert_eq!(scans(&decode_all(none, &slow)), ["1946753214860"]);
    }

    #[test]
    fn a_fragment_without_its_suffix_is_an_incomplete_read() {
        let mut ev = typed(Layout::Us, "1946", 0, None);
        ev.extend(typed(
            Layout::Us,
            "4829105637487",
            5_000_000,
            Some(KEY_ENTER),
        ));
        let out = decode_all(DecoderConfig::default(), &ev);
        assert_eq!(
            out,
            [
                Decoded::Rejected(ScanError::Incomplete("1946".into())),
                Decoded::Scan("4829105637487".into())
            ]
        );
    }

    #[test]
    fn overlong_input_is_dropped_with_an_error() {
        let long = "1".repeat(500);
        let ev = typed(Layout::Us, &long, 0, Some(KEY_ENTER));
        let mut d = Decoder::new(DecoderConfig::default());
        let out: Vec<Decoded> = ev.iter().filter_map(|e| d.feed(e)).collect();
        assert!(matches!(
            out.as_slice(),
            [Decoded::Rejected(ScanError::TooLong { len: 500, .. })]
        ));
        assert!(d.buf.len() <= MAX_SCAN_LEN);
        // The next scan is clean.
        let ev = typed(Layout::Us, "1234", 10_000_000, Some(KEY_ENTER));
        let out: Vec<Decoded> = ev.iter().filter_map(|e| d.feed(e)).collect();
        assert_eq!(out, [Decoded::Scan("1234".into())]);
    }

    #[test]
    fn repeats_and_strange_values_type_nothing() {
        let ev = [
            InputEvent::key(0, KEY_1, PRESS),
            InputEvent::key(1, KEY_1, REPEAT),
            InputEvent::key(2, KEY_1, 7),
            InputEvent::key(3, KEY_1, RELEASE),
            InputEvent::key(4, 999, PRESS),
            InputEvent::key(5, KEY_ENTER, PRESS),
        ];
        assert_eq!(
            decode_all(DecoderConfig::default(), &ev),
            [Decoded::Scan("1".into())]
        );
    }

    #[test]
    fn replay_parses_evtest_output_and_unplug_markers() {
        let text = "Input device name: \"Scanner\"\n\
            Testing ... (interrupt to exit)\n\
            Event: time 1700000000.100000, type 4 (EV_MSC), code 4 (MSC_SCAN), value 7001e\n\
            Event: time 1700000000.100000, type 1 (EV_KEY), code 2 (KEY_1), value 1\n\
            Event: time 1700000000.100000, -------------- SYN_REPORT ------------\n\
            Event: time 1700000000.101, type 1 (EV_KEY), code 2 (KEY_1), value 0\n\
            evtest: error reading: No such device\n\
            UNPLUG 2\n";
        let mut r = ReplaySource::parse("t", text).unwrap();
        assert_eq!(r.items.len(), 6);
        let first = r.next_events(Duration::from_secs(1)).unwrap();
        assert_eq!(first.len(), 3);
        assert_eq!(
            first[1],
            InputEvent::key(1_700_000_000_100_000, KEY_1, PRESS)
        );
        let second = r.next_events(Duration::from_secs(1)).unwrap();
        assert_eq!(
            second,
            [InputEvent::key(1_700_000_000_101_000, KEY_1, RELEASE)]
        );
        assert!(matches!(
            r.next_events(Duration::from_secs(1)),
            Err(SourceError::Unplugged(_))
        ));
        assert!(r.open().is_ok());
        assert!(matches!(
            r.next_events(Duration::from_secs(1)),
            Err(SourceError::Unplugged(_))
        ));
        assert!(r.open().is_err());
        assert!(r.open().is_err());
        assert!(r.open().is_ok());
        assert_eq!(
            r.next_events(Duration::from_secs(1)),
            Err(SourceError::Ended)
        );
        assert!(ReplaySource::parse("t", "Event: time x, type 1").is_err());
    }

    #[test]
    fn the_pump_reconnects_after_an_unplug() {
        let mut items: Vec<ReplayItem> = typed(Layout::Us, "1234", 0, Some(KEY_ENTER))
            .into_iter()
            .map(ReplayItem::Event)
            .collect();
        // Unplugged in the middle of a scan: the fragment is dropped.
        items.extend(
            typed(Layout::Us, "99", 1_000_000, None)
                .into_iter()
                .map(ReplayItem::Event),
        );
        items.push(ReplayItem::Unplug { failed_reopens: 3 });
        items.extend(
            typed(Layout::Us, "5678", 9_000_000, Some(KEY_ENTER))
                .into_iter()
                .map(ReplayItem::Event),
        );
        let mut source = ReplaySource::new("t", items);
        let mut decoder = Decoder::new(DecoderConfig::default());
        let mut reports = Vec::new();
        let mut sink = |r| {
            reports.push(r);
            true
        };
        run_pump(&mut source, &mut decoder, Duration::ZERO, &mut sink);
        let kinds: Vec<String> = reports
            .iter()
            .map(|r| match r {
                ScannerReport::Connected { .. } => "up".to_owned(),
                ScannerReport::Disconnected { .. } => "down".to_owned(),
                ScannerReport::Decoded(Decoded::Scan(s)) => s.clone(),
                ScannerReport::Decoded(Decoded::Rejected(e)) => e.to_string(),
            })
            .collect();
        assert_eq!(kinds, ["up", "1234", "down", "up", "5678"]);
    }

    #[test]
    fn suffix_names() {
        for s in [Suffix::Enter, Suffix::Tab, Suffix::None] {
            assert_eq!(Suffix::parse(s.as_str()), Some(s));
        }
        assert_eq!(Suffix::parse("bell"), None);
        assert_eq!(
            DeviceSpec::parse("/dev/input/event3"),
            DeviceSpec::Path("/dev/input/event3".into())
        );
        assert_eq!(
            DeviceSpec::parse(" Honeywell "),
            DeviceSpec::Name("Honeywell".into())
        );
    }
}
