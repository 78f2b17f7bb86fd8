//! Driving the real FLTK till on a virtual X server: an `Xvfb` per test (its own display number,
//! from `-displayfd`), the `kaching till` process with `KACHING_GUI_PROBE` (the GUI's own report
//! of what it shows, rewritten after every message it handles), `xdotool` for the pointer and
//! the keyboard, ImageMagick's `import` for screenshots. Every helper panics with what it waited
//! for, the last probe read and the tail of the till's stderr.
//!
//! Xvfb, xdotool and imagemagick are test requirements (scripts/setup.sh test): when one is
//! missing the tests fail and say what to install, they are never skipped.
#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const INSTALL_HINT: &str =
    "run scripts/setup.sh test (apt-get install xvfb xdotool x11-utils imagemagick)";
/// How long a helper waits for the GUI by default (a loaded 2-core CI machine runs several
/// tests, each with its own X server and till, side by side).
pub const WAIT: Duration = Duration::from_secs(20);

/// A virtual X server on a display of its own; killed on drop.
pub struct Xvfb {
    child: Child,
    /// e.g. ":7"
    pub display: String,
    pub w: u32,
    pub h: u32,
}

impl Xvfb {
    /// Starts `Xvfb -displayfd 1 -screen 0 WxHx24 -nolisten tcp` and waits until it accepts
    /// clients (it writes its display number once it does).
    pub fn start(w: u32, h: u32) -> Xvfb {
        let mut child = Command::new("Xvfb")
            .args(["-displayfd", "1", "-screen", "0"])
            .arg(format!("{w}x{h}x24"))
            .args(["-nolisten", "tcp", "-noreset"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start Xvfb: {e}; {INSTALL_HINT}"));
        let out = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(out).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = match rx.recv_timeout(WAIT) {
            Ok(l) => l,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("Xvfb did not report a display within {WAIT:?}");
            }
        };
        let n: u32 = line.trim().parse().unwrap_or_else(|_| {
            let _ = child.kill();
            let _ = child.wait();
            panic!("Xvfb exited or wrote no display number ({line:?}); {INSTALL_HINT}")
        });
        let x = Xvfb {
            child,
            display: format!(":{n}"),
            w,
            h,
        };
        // The server is ready once it has written the number; check a client really connects.
        let o = x.cmd("xdpyinfo").output();
        if let Ok(o) = o {
            let text = String::from_utf8_lossy(&o.stdout);
            assert!(
                text.contains(&format!("dimensions:    {w}x{h} pixels")),
                "Xvfb on {} does not have the {w}x{h} screen asked for:\n{text}",
                x.display
            );
        }
        x
    }

    /// A command for this display. In a UTF-8 locale whatever the caller's: under `env -i`
    /// (no LANG) xdotool reads its text as ASCII and refuses « Thé » ("Invalid multi-byte
    /// sequence encountered"), which a fresh-machine run of the suite found.
    pub fn cmd(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.env("DISPLAY", &self.display)
            .env_remove("XAUTHORITY")
            .env("LC_ALL", "C.UTF-8");
        c
    }

    /// Runs `xdotool ARGS` (killed after 10 s: `--sync` waits forever for a move that never
    /// happens) and returns its stdout.
    pub fn xdotool(&self, args: &[&str]) -> String {
        run_with_timeout(
            self.cmd("xdotool").args(args),
            Duration::from_secs(10),
            "xdotool",
        )
    }

    /// The pointer's root position.
    pub fn pointer(&self) -> (i64, i64) {
        let out = self.xdotool(&["getmouselocation", "--shell"]);
        let get = |k: &str| {
            out.lines()
                .find_map(|l| l.strip_prefix(&format!("{k}=")))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or_else(|| panic!("xdotool getmouselocation gave {out:?}"))
        };
        (get("X"), get("Y"))
    }

    /// Moves the pointer to (x, y), checking it got there (a move right after a window maps
    /// can be lost: then it is sent again).
    pub fn move_to(&self, x: i64, y: i64) {
        for _ in 0..20 {
            self.xdotool(&["mousemove", &x.to_string(), &y.to_string()]);
            if self.pointer() == (x, y) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "the pointer does not move to ({x}, {y}) on {}: it is at {:?}",
            self.display,
            self.pointer()
        );
    }

    /// A left click at (x, y).
    pub fn click_at(&self, x: i64, y: i64) {
        self.move_to(x, y);
        // xdotool sleeps 100 ms after a click unless told not to.
        self.xdotool(&["click", "--delay", "0", "1"]);
    }

    /// Reads the QR code shown in `r` (screen coordinates) straight from the X server's pixels
    /// and returns its text: what a customer's phone camera would read.
    pub fn read_qr(&self, r: &Rect) -> Result<String, String> {
        let o = self
            .cmd("import")
            .args(["-window", "root", "-crop"])
            .arg(format!("{}x{}+{}+{}", r.w, r.h, r.x, r.y))
            .args(["-depth", "8", "gray:-"])
            .output()
            .map_err(|e| format!("cannot run import (imagemagick): {e}"))?;
        let (w, h) = (r.w as usize, r.h as usize);
        if !o.status.success() || o.stdout.len() != w * h {
            return Err(format!(
                "import gave {} bytes for {w}x{h}: {}",
                o.stdout.len(),
                String::from_utf8_lossy(&o.stderr)
            ));
        }
        let pixels = o.stdout;
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
        let grids = img.detect_grids();
        let grid = grids.first().ok_or("no QR code found in that area")?;
        grid.decode()
            .map(|(_, text)| text)
            .map_err(|e| format!("the QR code does not decode: {e:?}"))
    }

    /// Saves the whole screen as a PNG and returns its (width, height), read from the file.
    pub fn screenshot(&self, path: &Path) -> (u32, u32) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let tmp = path.with_extension("png.tmp");
        let o = self
            .cmd("import")
            .args(["-window", "root"])
            .arg(format!("png:{}", tmp.display()))
            .output()
            .unwrap_or_else(|e| panic!("cannot run import (imagemagick): {e}; {INSTALL_HINT}"));
        assert!(
            o.status.success(),
            "import -window root failed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        std::fs::rename(&tmp, path).unwrap();
        png_size(&std::fs::read(path).unwrap())
    }
}

impl Drop for Xvfb {
    /// SIGTERM first, so the server removes its socket and lock file (`/tmp/.X11-unix/XN`):
    /// a SIGKILL leaves them behind, and a stale `X0` made `setup.sh demo` pick display :0.
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `cmd` to its end or kills it after `timeout`; panics on failure. Returns stdout.
pub fn run_with_timeout(cmd: &mut Command, timeout: Duration, what: &str) -> String {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}; {INSTALL_HINT}"));
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut out = String::new();
            let mut err = String::new();
            child.stdout.take().unwrap().read_to_string(&mut out).ok();
            child.stderr.take().unwrap().read_to_string(&mut err).ok();
            assert!(status.success(), "{what} failed ({status}): {err}");
            return out;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not finish within {timeout:?} ({cmd:?})");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The (width, height) of a PNG, read from its signature and IHDR chunk.
pub fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(
        png.len() >= 24 && png.starts_with(b"\x89PNG\r\n\x1a\n") && &png[12..16] == b"IHDR",
        "not a PNG ({} bytes)",
        png.len()
    );
    let be = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

/// Reads a probe file: `None` while it is missing or not (yet) a whole JSON document.
pub fn read_probe(path: &Path) -> Option<Value> {
    let text = std::fs::read_to_string(path).ok()?;
    let v: Value = serde_json::from_str(&text).ok()?;
    v.get("seq")?;
    Some(v)
}

/// A widget's rectangle in root coordinates, from the probe.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: i64,
    pub y: i64,
    pub w: i64,
    pub h: i64,
}

impl Rect {
    pub fn of(v: &Value) -> Option<Rect> {
        Some(Rect {
            x: v["x"].as_f64()? as i64,
            y: v["y"].as_f64()? as i64,
            w: v["w"].as_f64()? as i64,
            h: v["h"].as_f64()? as i64,
        })
    }
    pub fn centre(&self) -> (i64, i64) {
        (self.x + self.w / 2, self.y + self.h / 2)
    }
}

/// A running `kaching till` (the GUI) on an [`Xvfb`]; killed on drop.
pub struct GuiTill<'x> {
    pub x: &'x Xvfb,
    child: RefCell<Child>,
    pub probe_path: PathBuf,
    stderr_path: PathBuf,
    _tmp: tempfile::TempDir,
    /// The last probe read (for checks and for panic messages).
    last: RefCell<Option<Value>>,
    /// When the process was spawned.
    pub spawned_at: Instant,
    /// The last probe observed (seq, widgets' rectangles) and the rectangles confirmed by two
    /// successive probe writes (see [`GuiTill::widget`]).
    seen: RefCell<Option<(i64, HashMap<String, Rect>)>>,
    confirmed: RefCell<HashMap<String, Rect>>,
}

impl<'x> GuiTill<'x> {
    /// Spawns `cmd` (from `common::kaching(dir)`, with the test's env) plus `ARGS` (e.g.
    /// `["till"]`) on `x`, with a probe file, and waits for the first probe.
    pub fn start(x: &'x Xvfb, cmd: Command, args: &[&str]) -> GuiTill<'x> {
        let t = GuiTill::spawn(x, cmd, args);
        t.wait_for("the first probe", |_| true);
        t
    }

    /// Spawns without waiting.
    pub fn spawn(x: &'x Xvfb, mut cmd: Command, args: &[&str]) -> GuiTill<'x> {
        let tmp = tempfile::tempdir().unwrap();
        let probe_path = tmp.path().join("probe.json");
        let stderr_path = tmp.path().join("stderr.txt");
        let spawned_at = Instant::now();
        let child = cmd
            .args(args)
            .env("DISPLAY", &x.display)
            .env_remove("XAUTHORITY")
            .env("KACHING_GUI_PROBE", &probe_path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&stderr_path).unwrap())
            .spawn()
            .expect("spawn kaching till");
        GuiTill {
            x,
            child: RefCell::new(child),
            probe_path,
            stderr_path,
            _tmp: tmp,
            last: RefCell::new(None),
            spawned_at,
            seen: RefCell::new(None),
            confirmed: RefCell::new(HashMap::new()),
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.borrow().id()
    }

    /// The tail of the till's stderr.
    pub fn stderr_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.stderr_path).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    /// What a failure message says about the GUI's state.
    pub fn context(&self) -> String {
        if let Some(v) = read_probe(&self.probe_path) {
            *self.last.borrow_mut() = Some(v);
        }
        let last = self.last.borrow();
        let probe = match &*last {
            Some(v) => summary(v),
            None => "(no probe read yet)".into(),
        };
        format!(
            "\n--- last probe ---\n{probe}\n--- till stderr (tail) ---\n{}",
            self.stderr_tail()
        )
    }

    /// The probe now (the last good one if the file is momentarily unreadable); `None` before
    /// the first. Panics if the till has exited.
    pub fn probe(&self) -> Option<Value> {
        self.check_alive();
        if let Some(v) = read_probe(&self.probe_path) {
            self.observe(&v);
            *self.last.borrow_mut() = Some(v);
        }
        self.last.borrow().clone()
    }

    fn check_alive(&self) {
        let exited = self.child.borrow_mut().try_wait();
        if let Ok(Some(status)) = exited {
            panic!("the till exited ({status}){}", self.context());
        }
    }

    /// Polls the probe every 5 ms until `cond` holds; panics after [`WAIT`].
    pub fn wait_for(&self, what: &str, cond: impl Fn(&Value) -> bool) -> Value {
        self.wait_for_within(what, WAIT, cond)
    }

    pub fn wait_for_within(
        &self,
        what: &str,
        timeout: Duration,
        cond: impl Fn(&Value) -> bool,
    ) -> Value {
        let deadline = Instant::now() + timeout;
        loop {
            self.check_alive();
            if let Some(v) = read_probe(&self.probe_path) {
                self.observe(&v);
                *self.last.borrow_mut() = Some(v);
            }
            if let Some(v) = self.last.borrow().as_ref()
                && cond(v)
            {
                return v.clone();
            }
            if Instant::now() > deadline {
                panic!("waited {timeout:?} for {what}{}", self.context());
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Records a probe write: a widget whose rectangle is the same in two successive writes
    /// is laid out (FLTK draws between two writes), so its rectangle is confirmed.
    fn observe(&self, p: &Value) {
        let seq = p["seq"].as_i64().unwrap_or(0);
        let rects: HashMap<String, Rect> = p["widgets"]
            .as_object()
            .map(|m| {
                m.iter()
                    .filter_map(|(id, w)| Some((id.clone(), Rect::of(w)?)))
                    .filter(|(_, r)| r.w > 0 && r.h > 0)
                    .collect()
            })
            .unwrap_or_default();
        let mut seen = self.seen.borrow_mut();
        match &*seen {
            Some((s0, _)) if *s0 == seq => return,
            Some((s0, before)) if seq > *s0 => {
                let mut confirmed = self.confirmed.borrow_mut();
                for (id, r) in &rects {
                    if before.get(id) == Some(r) {
                        confirmed.insert(id.clone(), *r);
                    }
                }
            }
            _ => {}
        }
        *seen = Some((seq, rects));
    }

    /// Whether widget `id` is shown at a confirmed rectangle in probe `p`.
    fn laid_out(&self, p: &Value, id: &str) -> bool {
        let r = Rect::of(&p["widgets"][id]);
        r.is_some() && self.confirmed.borrow().get(id) == r.as_ref()
    }

    /// Waits until every visible widget is shown at a confirmed rectangle (see
    /// [`GuiTill::widget`]), and returns that probe.
    pub fn settled(&self) -> Value {
        self.wait_for(
            "the widgets' geometry to settle (the same in two successive probes, none 0×0)",
            |p| {
                p["widgets"]
                    .as_object()
                    .is_some_and(|m| m.keys().all(|id| self.laid_out(p, id)))
            },
        )
    }

    /// Waits until the screen is `screen` and no overlay is shown.
    pub fn wait_screen(&self, screen: &str) -> Value {
        self.wait_for(&format!("screen {screen} without overlay"), |p| {
            p["screen"] == screen && p["overlay"].is_null()
        })
    }

    /// Waits until `overlay` is shown.
    pub fn wait_overlay(&self, overlay: &str) -> Value {
        self.wait_for(&format!("overlay {overlay}"), |p| p["overlay"] == overlay)
    }

    /// Waits until widget `id` is visible and active, and returns its rectangle.
    pub fn widget(&self, id: &str) -> Rect {
        // The probe of the message that shows a group is written before FLTK lays the group's
        // Flex children out (at the next draw): their geometry is then 0×0 or half-computed.
        // A rectangle is trusted once two successive probe writes agree on it.
        let p = self.wait_for(
            &format!("widget {id} visible, active and laid out (the same in two probes)"),
            |p| p["widgets"][id]["active"] != false && self.laid_out(p, id),
        );
        Rect::of(&p["widgets"][id])
            .unwrap_or_else(|| panic!("widget {id} has no geometry{}", self.context()))
    }

    /// Clicks the centre of widget `id` once it is visible and active.
    pub fn click(&self, id: &str) {
        let (cx, cy) = self.widget(id).centre();
        self.x.click_at(cx, cy);
    }

    /// Clicks widget `id` and waits until `cond` holds.
    pub fn click_then(&self, id: &str, what: &str, cond: impl Fn(&Value) -> bool) -> Value {
        self.click(id);
        self.wait_for(&format!("{what} (after clicking {id})"), cond)
    }

    /// Types `s` with the physical keyboard (to the focused widget).
    pub fn type_text(&self, s: &str) {
        self.x.xdotool(&["type", "--delay", "40", "--", s]);
    }

    /// Presses a key by its X name ("Return", "BackSpace", "Tab"…).
    pub fn key(&self, name: &str) {
        self.x.xdotool(&["key", "--delay", "40", name]);
    }

    /// Saves a screenshot and checks it is the screen's size.
    pub fn screenshot(&self, path: &Path) {
        let size = self.x.screenshot(path);
        assert_eq!(
            size,
            (self.x.w, self.x.h),
            "screenshot {} is not the screen's size",
            path.display()
        );
    }

    /// `texts[id]` of the last probe (empty if absent).
    pub fn text(&self, id: &str) -> String {
        self.last
            .borrow()
            .as_ref()
            .and_then(|p| p["texts"][id].as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// Waits until `texts[id]` satisfies `cond` and returns it.
    pub fn wait_text(&self, id: &str, what: &str, cond: impl Fn(&str) -> bool) -> String {
        let p = self.wait_for(&format!("texts[{id}] {what}"), |p| {
            p["texts"][id].as_str().is_some_and(&cond)
        });
        p["texts"][id].as_str().unwrap().to_owned()
    }

    /// Ends the till (SIGKILL: the GUI has no quit protocol) and waits for it.
    pub fn kill(self) {}
}

impl Drop for GuiTill<'_> {
    fn drop(&mut self) {
        let child = self.child.get_mut();
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// An amount as the GUI shows it ("18,70 €"), from cents.
pub fn euros(cents: i64) -> String {
    format!("{},{:02} €", cents / 100, cents % 100)
}

/// Normalises the spaces a French formatter may use (no-break, narrow no-break) to plain ones.
pub fn plain_spaces(s: &str) -> String {
    s.replace(['\u{a0}', '\u{202f}'], " ")
}

/// The opening hours a cashier needs are enforced: these env settings make the till run with
/// its wall clock frozen-then-running from `local` (Europe/Brussels), via libfaketime.
pub fn at_local_time(cmd: &mut Command, local: &str) {
    cmd.env("LD_PRELOAD", super::libfaketime())
        .env("FAKETIME", format!("@{local}"))
        // FLTK's and tokio's timers use the monotonic clock: leave it real.
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
        .env("TZ", "Europe/Brussels");
}

/// The probe without the widgets' geometry: what a failure message needs.
pub fn summary(p: &Value) -> String {
    let widgets: Vec<String> = p["widgets"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(id, w)| {
                    if w["active"] == false {
                        format!("{id}(inactive)")
                    } else {
                        id.clone()
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let mut texts = p["texts"].clone();
    if let Some(m) = texts.as_object_mut() {
        m.retain(|_, v| v.as_str().is_some_and(|s| !s.is_empty()));
    }
    format!(
        "seq {} handled {} screen {} overlay {}\ntexts: {}\nbasket: {}\nrows: {}\nwidgets: {}",
        p["seq"],
        p["handled"],
        p["screen"],
        p["overlay"],
        serde_json::to_string_pretty(&texts).unwrap(),
        p["basket"],
        p["rows"],
        widgets.join(" ")
    )
}
