//! The FLTK till, end to end, as a cashier and an admin use it: the real `kaching till` on a
//! virtual X server (Xvfb, 800×480 and 1280×800), driven with the pointer and the keyboard
//! through xdotool, observed through the GUI's probe file (`KACHING_GUI_PROBE`: the screen, the
//! widgets' geometry and texts, the basket) and through what comes out of the till: ESC/POS
//! tickets on a test printer, the ledger, the exported report files. Screenshots of every screen
//! and overlay go to docs/screens/gui-<name>-<W>x<H>.png.
//!
//! The main flow also runs once in Dutch (issue 12): a Dutch-speaking cashier and admin, the
//! login screen switched to Nederlands, tickets in Dutch; its expected words come from the
//! catalogue (`kaching::i18n::t`) with a few literal Dutch ones beside them, so a lookup that
//! fell back to French or to the message id cannot pass. Its screenshots are
//! docs/screens/gui-<name>-nl-800x480.png.
//!
//! Opening hours are enforced for cashiers: each till runs with its wall clock started at a
//! fixed Brussels time by libfaketime, so the tests do not depend on when they run.

mod common;

use std::collections::BTreeSet;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::escpos_decode::{self, TestPrinter};
use common::gui::{GuiTill, Rect, Xvfb, plain_spaces};
use kaching::domain::receipt::{ShopInfo, TicketLanguage};
use kaching::i18n::{Arg, Lang, t as tr};
use kaching::store::Ledger;
use serde_json::Value;

const SHOP_NAME: &str = "Épicerie Chez Loïc";
const SHOP_ADDRESS: &str = "Rue de l'Église 5, 1000 Bruxelles";
const SHOP_VAT: &str = "BE0123.456.789";
/// A Wednesday, during opening hours (06:00-18:00 by default).
const DAY: &str = "2026-06-10";
const OPEN_TIME: &str = "2026-06-10 10:00:00";
const CLOSED_TIME: &str = "2026-06-10 20:00:00";
/// Four minutes before closing: the "closing soon" banner is up.
const CLOSING_TIME: &str = "2026-06-10 17:56:00";
const JOB_WAIT: Duration = Duration::from_secs(20);
/// The smallest touch target, in pixels, both ways.
const MIN_TOUCH: i64 = 48;

fn shop() -> ShopInfo {
    ShopInfo {
        name: SHOP_NAME.into(),
        address: SHOP_ADDRESS.into(),
        vat_number: SHOP_VAT.into(),
    }
}

fn screens_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screens")
}

/// `kaching --data-dir DIR` for a GUI till: the shop's name with accents, tickets to `printer`
/// (if any), its own LAN payment server on loopback, the wall clock started at `local`.
fn till_cmd(dir: &Path, printer: Option<&TestPrinter>, local: &str) -> Command {
    let mut cmd = common::kaching(dir);
    cmd.env("KACHING_SHOP__NAME", SHOP_NAME)
        .env("KACHING_SHOP__ADDRESS", SHOP_ADDRESS)
        .env("KACHING_SHOP__VAT_NUMBER", SHOP_VAT)
        .env("KACHING_PAYMENT__LAN_BIND", "127.0.0.1:0");
    if let Some(p) = printer {
        cmd.env("KACHING_PRINTER__DRIVER", "tcp")
            .env("KACHING_PRINTER__TARGET", p.addr());
    } else {
        cmd.env("KACHING_PRINTER__TARGET", dir.join("tickets"));
    }
    common::gui::at_local_time(&mut cmd, local);
    cmd
}

/// Widget ids of the contract that are not buttons (inputs, lists, the QR drawing, texts).
const NOT_BUTTONS: &[&str] = &[
    "journal.from_label",
    "journal.to_label",
    "login.id",
    "login.pin",
    "login.message",
    "login.shop",
    "till.article",
    "till.table",
    "till.seller",
    "till.total",
    "till.main_total",
    "till.sub_total",
    "till.account",
    "amount.value",
    "amount.title",
    "pay.qr",
    "pay.total",
    "pay.account",
    "pay.seller",
    "pay.url",
    "cash.change",
    "status.network",
    "status.printer",
    "status.clock",
    "status.banner",
    "days.list",
    "report.source",
    "report.title",
    "report.exported",
    "journal.from",
    "journal.to",
    "products.list",
    "products.code",
    "products.barcode",
    "products.name",
    "products.price",
    "products.import_path",
    "products.message",
    "staff.list",
    "staff.id",
    "staff.name",
    "staff.pin",
    "staff.message",
    // Texts and labels beside the contract's (frames, not touch targets).
    "login.id_label",
    "login.pin_label",
    "till.article_label",
    "till.message",
    "amount.message",
    "cash.title",
    "cash.detail",
    "choose.question",
    "confirm.question",
    "days.title",
    "journal.list",
    "journal.source",
    "kbd.preview",
    "pay.message",
    "pay.total_label",
    "report.list",
    // The drawer's pane and counter (issue 14).
    "drawer.state",
    "drawer.reason_label",
    "drawer.reason",
    "drawer.difference",
    "drawer.report",
    "drawer.list",
    "drawer.message",
    "count.title",
    "count.total",
    "count.message",
    // Discounts, the manager's approval, returns (issue 15).
    "till.discount_total",
    "discount.title",
    "discount.value",
    "discount.reason",
    "discount.message",
    "approve.title",
    "approve.detail",
    "approve.id_label",
    "approve.pin_label",
    "approve.message",
    "ret.title",
    "ret.ticket",
    "ret.info",
    "ret.message",
    "ret.table",
    "ret.amount",
    "ret.qty_label",
    "ret.qty",
    "refund.title",
    "refund.due",
    "refund.reason",
    "refund.message",
    "refunded.title",
    "refunded.amount",
    "refunded.detail",
    "alarm.title",
    "alarm.text",
];

/// What is wrong with the layout on screen now: a widget outside the window, a button (or
/// choice) smaller than [`MIN_TOUCH`] pixels either way.
fn layout_problems(p: &Value, w: i64, h: i64) -> Vec<String> {
    let widgets = p["widgets"].as_object().expect("widgets in the probe");
    let mut problems = Vec::new();
    if widgets.is_empty() {
        problems.push(format!("no widget in the probe: {p}"));
    }
    let place = format!("{} / {}", p["screen"], p["overlay"]);
    for (id, g) in widgets {
        let r = Rect::of(g).unwrap_or_else(|| panic!("widget {id} has no geometry: {g}"));
        if !(r.x >= 0 && r.y >= 0 && r.x + r.w <= w && r.y + r.h <= h && r.w > 0 && r.h > 0) {
            problems.push(format!(
                "{place}: {id} at {r:?} is not inside the {w}×{h} screen"
            ));
        }
        if !NOT_BUTTONS.contains(&id.as_str()) && (r.w < MIN_TOUCH || r.h < MIN_TOUCH) {
            problems.push(format!(
                "{place}: touch target {id} is {}×{} px (< {MIN_TOUCH}×{MIN_TOUCH})",
                r.w, r.h
            ));
        }
        // A button's words must fit it, in every language (measured by the GUI in the
        // button's own font).
        if g["button"] == true && g["fits"] != true {
            problems.push(format!(
                "{place}: the label of {id} ({:?}) does not fit its {}×{} px",
                g["label"].as_str().unwrap_or_default(),
                r.w,
                r.h
            ));
        }
    }
    problems
}

/// The message ids of the screen's catalogue (locales/fr/gui.ftl; every language has the same).
fn gui_message_ids() -> Vec<&'static str> {
    include_str!("../locales/fr/gui.ftl")
        .lines()
        .filter_map(|l| l.split_once(" ="))
        .map(|(id, _)| id.trim())
        .filter(|id| id.starts_with("gui-"))
        .collect()
}

/// The screen's fixed French words (its messages without arguments) that `lang` says
/// otherwise, each with its message id.
fn french_words(lang: Lang) -> Vec<(String, &'static str)> {
    let ids = gui_message_ids();
    let theirs: BTreeSet<String> = ids
        .iter()
        .map(|id| plain_spaces(&tr(lang, id, &[])))
        .collect();
    let words: Vec<(String, &'static str)> = ids
        .into_iter()
        .filter_map(|id| {
            let fr = plain_spaces(&tr(Lang::Fr, id, &[]));
            // A message with arguments renders its placeholders without them: not a fixed word.
            (!fr.contains('{') && !fr.trim().is_empty() && !theirs.contains(&fr))
                .then_some((fr, id))
        })
        .collect();
    // The check would pass on any screen if the catalogue were not read.
    assert!(
        words.len() > 50,
        "only {} French words to look for",
        words.len()
    );
    words
}

/// A French word left on a screen that speaks `lang`: a label the renderer did not translate.
fn french_left(p: &Value, lang: Lang) -> Vec<String> {
    let place = format!("{} / {}", p["screen"], p["overlay"]);
    let words = french_words(lang);
    let mut shown_texts: Vec<(String, String)> = Vec::new();
    for key in ["texts", "widgets"] {
        if let Some(m) = p[key].as_object() {
            for (id, v) in m {
                let text = if key == "texts" {
                    v.as_str()
                } else {
                    v["label"].as_str()
                };
                if let Some(text) = text {
                    shown_texts.push((id.clone(), plain_spaces(text)));
                }
            }
        }
    }
    let mut left = Vec::new();
    for (id, text) in shown_texts {
        if let Some((_, mid)) = words.iter().find(|(fr, _)| *fr == text) {
            let problem = format!("{place}: {id} shows the French {text:?} ({mid}) in {lang}");
            if !left.contains(&problem) {
                left.push(problem);
            }
        }
    }
    left
}

/// Screenshots `gui-<name>-<W>x<H>.png` (checked to be the screen's size) and checks the layout
/// of each screen shot; [`Shots::finish`] fails on the layout problems seen.
struct Shots {
    w: u32,
    h: u32,
    /// `""` for the French screens, `"-nl"` for the Dutch ones.
    tag: String,
    /// Outside French, a fixed French word left on screen is a layout problem too.
    lang: Lang,
    taken: BTreeSet<String>,
    problems: Vec<String>,
}

impl Shots {
    fn new(x: &Xvfb) -> Shots {
        Shots::in_lang(x, Lang::Fr)
    }

    /// Screenshots named `gui-<name>-<lang>-<W>x<H>.png` for a language other than French.
    fn in_lang(x: &Xvfb, lang: Lang) -> Shots {
        Shots {
            w: x.w,
            h: x.h,
            tag: match lang {
                Lang::Fr => String::new(),
                other => format!("-{other}"),
            },
            lang,
            taken: BTreeSet::new(),
            problems: Vec::new(),
        }
    }

    fn take(&mut self, t: &GuiTill, name: &str) {
        let p = t.settled();
        // The probe is written after the message is handled and FLTK draws right after: give
        // the X server the last of the drawing.
        std::thread::sleep(Duration::from_millis(150));
        let mut problems = layout_problems(&p, i64::from(self.w), i64::from(self.h));
        if self.lang != Lang::Fr {
            problems.extend(french_left(&p, self.lang));
        }
        for problem in problems {
            if !self.problems.contains(&problem) {
                self.problems.push(problem);
            }
        }
        let path = screens_dir().join(format!("gui-{name}{}-{}x{}.png", self.tag, self.w, self.h));
        t.screenshot(&path);
        self.taken.insert(name.to_owned());
    }

    fn finish(self) {
        assert!(
            self.problems.is_empty(),
            "layout problems at {}×{}:\n{}",
            self.w,
            self.h,
            self.problems.join("\n")
        );
    }
}

fn basket_lines(p: &Value) -> Vec<Value> {
    p["basket"]["lines"].as_array().cloned().unwrap_or_default()
}

fn line_names(p: &Value) -> Vec<String> {
    basket_lines(p)
        .iter()
        .map(|l| l["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn rows(p: &Value) -> Vec<String> {
    p["rows"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|r| r.as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn has_row(p: &Value, needle: &str) -> bool {
    let needle = plain_spaces(needle).to_lowercase();
    rows(p)
        .iter()
        .any(|r| plain_spaces(r).to_lowercase().contains(&needle))
}

/// `texts[id]`, or a widget's label when the id is a button whose label is the text.
fn shown(p: &Value, id: &str) -> String {
    let t = p["texts"][id]
        .as_str()
        .or_else(|| p["widgets"][id]["label"].as_str())
        .unwrap_or_default();
    plain_spaces(t)
}

/// Clicks the on-screen keypad keys `prefix.<c>` for each character of `digits`.
fn tap_keys(t: &GuiTill, prefix: &str, digits: &str) {
    for c in digits.chars() {
        let id = match c {
            ',' | '.' => format!("{prefix}.comma"),
            ' ' => format!("{prefix}.space"),
            c => format!("{prefix}.{}", c.to_ascii_lowercase()),
        };
        t.click(&id);
    }
}

/// Logs in with the on-screen keypad: the ID, a tap on the PIN field, the PIN, OK.
fn login_keypad(t: &GuiTill, id: &str, pin: &str) {
    t.wait_screen("login");
    t.click("login.id");
    t.click("login.key.clear");
    tap_keys(t, "login.key", id);
    t.wait_for(&format!("the ID field shows {id}"), |p| {
        shown(p, "login.id") == id
    });
    t.click("login.pin");
    t.click("login.key.clear");
    tap_keys(t, "login.key", pin);
    t.wait_for("the PIN field holds as many characters as the PIN", |p| {
        shown(p, "login.pin").chars().count() == pin.len()
    });
    t.click("login.ok");
}

/// Waits for the till screen; a cashier's first login with no drawer open shows the float
/// counter over it: « Plus tard » (the till then opens the drawer uncounted at the first sale;
/// tests/gui_drawer.rs counts it).
fn till_screen(t: &GuiTill) -> Value {
    let p = t.wait_for(
        "screen till, without an overlay or with the float counter",
        |p| p["screen"] == "till" && (p["overlay"].is_null() || p["overlay"] == "count"),
    );
    if p["overlay"] == "count" {
        t.click("count.cancel");
        return t.wait_screen("till");
    }
    p
}

/// Logs in with the physical keyboard: ID, Enter, PIN, Enter.
fn login_typed(t: &GuiTill, id: &str, pin: &str) {
    t.wait_screen("login");
    t.click("login.id");
    t.type_text(id);
    t.key("Return");
    t.type_text(pin);
    t.key("Return");
}

/// Types an article code and Enter into the article field and waits for the basket to grow
/// (or a line's quantity to change).
fn scan(t: &GuiTill, code: &str) -> Value {
    let before = t.probe().expect("probe");
    let before_lines = basket_lines(&before);
    let before_account = before["basket"]["account"].clone();
    t.type_text(code);
    t.key("Return");
    t.wait_for(
        &format!("the basket to change after scanning {code}"),
        |p| p["basket"]["account"] == before_account && basket_lines(p) != before_lines,
    )
}

/// The amount keypad: taps `amount` (e.g. "15,00") and checks the value shown, then OK.
fn enter_amount(t: &GuiTill, amount: &str, expect_shown: &str) {
    t.wait_overlay("amount");
    tap_keys(t, "amount", amount);
    t.wait_for(&format!("amount.value shows {expect_shown}"), |p| {
        shown(p, "amount.value").contains(expect_shown)
    });
    t.click("amount.ok");
}

/// The last sale committed by till-1, from the ledger.
fn last_sale(dir: &Path) -> kaching::domain::sale::Sale {
    let ledger = Ledger::open_in(dir).unwrap();
    let id = ledger
        .last_sale_id("till-1")
        .unwrap()
        .expect("a sale in the ledger");
    ledger.sale(&id).unwrap()
}

/// Someone who logs in.
struct Person {
    id: &'static str,
    pin: &'static str,
    name: &'static str,
}

/// Who works the main flow's day, and in which language: in French the demo's Khadija and
/// ADMIN; in Dutch Lotte and Joke, added with `--lang nl` before the till starts (the login
/// screen is switched to Nederlands, the tickets are printed in Dutch).
struct Crew {
    lang: Lang,
    cashier: Person,
    admin: Person,
}

impl Crew {
    fn of(lang: Lang) -> Crew {
        let (cashier, admin) = match lang {
            Lang::Fr => (("14", "1414", "Khadija"), ("1", "1111", "ADMIN")),
            Lang::Nl | Lang::En => (("21", "2121", "Lotte"), ("40", "4040", "Joke")),
        };
        let person = |(id, pin, name)| Person { id, pin, name };
        Crew {
            lang,
            cashier: person(cashier),
            admin: person(admin),
        }
    }

    /// Message `id` in the crew's language, its spaces plain as [`shown`] gives them.
    fn t(&self, id: &str) -> String {
        self.ta(id, &[])
    }

    fn ta(&self, id: &str, args: &[(&str, Arg)]) -> String {
        let text = tr(self.lang, id, args);
        assert_ne!(text, id, "{id} is missing from the {} catalogue", self.lang);
        plain_spaces(&text)
    }

    /// Adds the crew to a seeded data dir (the demo's staff are the French crew).
    fn hire(&self, dir: &Path) {
        if self.lang == Lang::Fr {
            return;
        }
        for (p, role) in [(&self.cashier, "cashier"), (&self.admin, "admin")] {
            let args = [
                "staff",
                "add",
                p.id,
                p.name,
                "--role",
                role,
                "--lang",
                self.lang.as_str(),
            ];
            let o = common::run(dir, &args, &format!("{}\n", p.pin));
            assert!(o.status.success(), "{args:?}: {}", common::stderr(&o));
        }
    }
}

/// The login screen speaks the crew's language: its fixed words are the catalogue's, and the
/// language buttons offer the two others.
fn check_login_words(p: &Value, crew: &Crew) {
    for (id, mid) in [
        ("login.id_label", "gui-l-login-id"),
        ("login.pin_label", "gui-l-login-pin"),
        ("login.ok", "gui-l-login-ok"),
    ] {
        assert_eq!(shown(p, id), crew.t(mid), "{id} in {}", crew.lang);
    }
    for l in Lang::ALL {
        assert_eq!(
            p["widgets"][format!("login.lang.{l}")].is_object(),
            l != crew.lang,
            "login.lang.{l} is offered on a login screen in {} only if it is another language",
            crew.lang
        );
    }
    if crew.lang == Lang::Nl {
        for (id, dutch) in [
            ("login.id_label", "Gebruikers-ID"),
            ("login.pin_label", "Pincode"),
            ("login.ok", "Aanmelden"),
        ] {
            assert_eq!(shown(p, id), dutch, "{id} in Dutch");
        }
    }
}

/// Checks a printed ticket: the exact layout of the sale in the crew's language
/// (tests/common/escpos_decode.rs), the shop's name, these article names and this total, the
/// seller and the ticket's own words. Returns the ticket's text.
fn check_ticket_of(
    bytes: &[u8],
    dir: &Path,
    crew: &Crew,
    articles: &[&str],
    total: &str,
) -> String {
    let sale = last_sale(dir);
    let d = match crew.lang {
        // `printer.language` is left at its default in the French run.
        Lang::Fr => escpos_decode::assert_ticket(bytes, &sale, &shop(), 42, "cp1252", false),
        lang => escpos_decode::assert_ticket_in(
            bytes,
            &sale,
            &shop(),
            42,
            "cp1252",
            false,
            TicketLanguage::one(lang),
        ),
    };
    let text = plain_spaces(&d.texts().join("\n"));
    let words = [
        crew.t("ticket-total"),
        crew.t("ticket-thanks"),
        crew.ta("ticket-seller-line", &[("value", crew.cashier.name.into())]),
    ];
    let dutch: &[&str] = match crew.lang {
        Lang::Nl => &["TOTAAL BETAALD", "Bedankt voor uw bezoek!", "Verkoper: "],
        _ => &[],
    };
    for needle in [SHOP_NAME, total]
        .iter()
        .chain(articles)
        .chain(dutch)
        .copied()
        .chain(words.iter().map(String::as_str))
    {
        assert!(
            text.contains(needle),
            "the ticket lacks {needle:?}:\n{text}"
        );
    }
    text
}

/// The whole day at one screen size, in `lang`; screenshots of every screen and overlay.
fn cashier_and_admin_day(w: u32, h: u32, lang: Lang) {
    let crew = Crew::of(lang);
    let (cashier, admin) = (&crew.cashier, &crew.admin);
    let x = Xvfb::start(w, h);
    let dir = common::seeded_dir();
    crew.hire(dir.path());
    let printer = TestPrinter::start();
    let mut cmd = till_cmd(dir.path(), Some(&printer), OPEN_TIME);
    if lang != Lang::Fr {
        cmd.env("KACHING_PRINTER__LANGUAGE", lang.as_str());
    }
    let t = GuiTill::start(&x, cmd, &["till"]);
    let mut shots = Shots::in_lang(&x, lang);
    // Wrong behaviours that do not stop the flow: reported (and failed on) at the end, so one
    // run shows them all.
    let mut later: Vec<String> = Vec::new();

    // Login screen, full-screen, drawn.
    let p = t.wait_for("the login screen drawn", |p| {
        p["screen"] == "login" && p["first_draw_ms"].is_number()
    });
    let win = Rect::of(&p["window"]).expect("window geometry");
    assert_eq!(
        win,
        Rect {
            x: 0,
            y: 0,
            w: i64::from(w),
            h: i64::from(h)
        },
        "the till fills the screen"
    );
    assert!(
        shown(&p, "login.shop").contains(SHOP_NAME),
        "login.shop shows the shop's name: {p}"
    );
    // The login screen opens in the till's language (French); another language is one touch
    // away, and the runtime answers the login in it.
    if lang != Lang::Fr {
        t.click(&format!("login.lang.{lang}"));
    }
    let p = t.wait_for("the login screen in the run's language", |p| {
        shown(p, "login.ok") == crew.t("gui-l-login-ok")
    });
    check_login_words(&p, &crew);
    shots.take(&t, "login");

    // A wrong PIN first: refused, the message says so (one try of five used).
    login_keypad(&t, cashier.id, "9999");
    let p = t.wait_text("login.message", "non-empty", |m| !m.is_empty());
    assert!(
        p.to_lowercase().contains("pin"),
        "the message names the PIN: {p}"
    );
    let bad_pin = crew.ta("login-bad-pin", &[("attempts", Arg::Num(4))]);
    assert!(
        plain_spaces(&p)
            .to_lowercase()
            .contains(&bad_pin.to_lowercase()),
        "the refusal is the catalogue's {bad_pin:?}: {p}"
    );
    if lang == Lang::Nl {
        assert!(p.contains("foute pincode"), "the refusal in Dutch: {p}");
    }
    assert_eq!(t.probe().unwrap()["screen"], "login");
    shots.take(&t, "login-refused");

    // The cashier, with the keypad (the ID is kept after a wrong PIN: C clears it first).
    login_keypad(&t, cashier.id, cashier.pin);
    let p = till_screen(&t);
    assert!(
        shown(&p, "till.seller").contains(cashier.name),
        "the seller is shown: {}",
        shown(&p, "till.seller")
    );
    assert_eq!(
        shown(&p, "till.seller"),
        crew.ta("gui-seller", &[("name", cashier.name.into())]),
        "the seller in the cashier's language"
    );
    if lang == Lang::Nl {
        assert!(
            shown(&p, "till.seller").starts_with("Verkoper: "),
            "{}",
            shown(&p, "till.seller")
        );
        for (id, dutch) in [
            ("till.pay", "Betalen"),
            ("till.cash", "Contant"),
            ("till.logout", "Afmelden"),
        ] {
            assert_eq!(shown(&p, id), dutch, "{id} in Dutch");
        }
    }
    assert!(basket_lines(&p).is_empty(), "a fresh basket: {p}");

    // Two articles typed into the article field: one by barcode, one by code.
    t.click("till.article");
    let p = scan(&t, "1946753214860");
    assert_eq!(line_names(&p), ["Pain au chocolat"]);
    assert_eq!(basket_lines(&p)[0]["unit_cents"], 120);
    assert_eq!(basket_lines(&p)[0]["kind"], "item");
    let p = scan(&t, "0000");
    assert_eq!(line_names(&p), ["Pain au chocolat", "Café"]);
    assert_eq!(p["basket"]["main_total_cents"], 370);
    t.wait_for("till.total 3,70 €", |p| {
        shown(p, "till.total").contains("3,70 €")
    });
    shots.take(&t, "till");

    // The on-screen keyboard: a second café typed on it, then − takes it off again.
    t.click("till.keypad");
    t.wait_overlay("keyboard");
    shots.take(&t, "keyboard");
    tap_keys(&t, "kbd", "0000");
    t.click("kbd.enter");
    let p = t.wait_for("a second café", |p| p["basket"]["main_total_cents"] == 620);
    let cafe_qty: i64 = basket_lines(&p)
        .iter()
        .filter(|l| l["name"] == "Café")
        .map(|l| l["qty"].as_i64().unwrap())
        .sum();
    assert_eq!(cafe_qty, 2, "two cafés: {p}");
    if t.probe().unwrap()["overlay"] == "keyboard" {
        t.click("kbd.close");
    }
    till_screen(&t);
    t.click("till.minus");
    let p = t.wait_for("one café again", |p| {
        p["basket"]["main_total_cents"] == 370
    });
    assert_eq!(line_names(&p), ["Pain au chocolat", "Café"]);
    assert_eq!(basket_lines(&p)[1]["qty"], 1);

    // A cash withdrawal of 15,00 € through the amount keypad.
    t.click("till.withdraw");
    t.wait_overlay("amount");
    shots.take(&t, "amount");
    enter_amount(&t, "15,00", "15,00");
    let p = t.wait_for("the withdrawal line", |p| basket_lines(p).len() == 3);
    till_screen(&t);
    let wd = &basket_lines(&p)[2];
    assert_eq!(wd["kind"], "withdrawal", "{p}");
    assert_eq!(wd["total_cents"], 1500, "{p}");
    assert_eq!(p["basket"]["main_total_cents"], 1870);
    t.wait_for("till.total 18,70 €", |p| {
        shown(p, "till.total").contains("18,70 €")
    });

    // The sub-account: three articles.
    t.click("till.sub");
    let p = t.wait_for("the sub-account", |p| p["basket"]["account"] == "sub");
    assert!(
        basket_lines(&p).is_empty(),
        "the sub-account starts empty: {p}"
    );
    t.click("till.article");
    scan(&t, "9012");
    scan(&t, "6051");
    let p = scan(&t, "9056712384908");
    assert_eq!(
        line_names(&p),
        ["Croissant", "Chocolat noir", "Déodorant CienMEN"]
    );
    assert_eq!(p["basket"]["sub_total_cents"], 900);
    assert_eq!(p["basket"]["main_total_cents"], 1870);
    let p = t.wait_for("both totals shown", |p| {
        shown(p, "till.main_total").contains("18,70 €")
            && shown(p, "till.sub_total").contains("9,00 €")
    });
    assert!(
        !shown(&p, "till.account").is_empty(),
        "the account is named"
    );
    shots.take(&t, "till-sub");

    // Pay: both baskets hold items, so the till asks which goes first.
    t.click("till.pay");
    t.wait_overlay("choose_account");
    shots.take(&t, "choose-account");
    t.click("choose.main");
    let p = t.wait_for("the payment screen with its URL", |p| {
        p["screen"] == "payment"
            && p["overlay"].is_null()
            && shown(p, "pay.url").starts_with("http")
            && p["widgets"]["pay.qr"].is_object()
    });
    assert!(
        shown(&p, "pay.total").contains("18,70 €"),
        "pay.total: {}",
        shown(&p, "pay.total")
    );
    assert!(
        shown(&p, "pay.status").contains(&crew.t("gui-pay-pending")),
        "pay.status: {}",
        shown(&p, "pay.status")
    );
    if lang == Lang::Nl {
        assert!(
            shown(&p, "pay.status").contains("WACHTEN OP BETALING"),
            "pay.status: {}",
            shown(&p, "pay.status")
        );
    }
    let qr = Rect::of(&p["widgets"]["pay.qr"]).unwrap();
    assert!(
        qr.w >= 150 && qr.h >= 150,
        "the QR code is big enough to scan: {qr:?}"
    );
    shots.take(&t, "payment");
    let pay_url = shown(&p, "pay.url");
    // The code on screen is the one the phone must open.
    assert_eq!(
        x.read_qr(&qr).as_deref(),
        Ok(pay_url.as_str()),
        "the QR code drawn on the payment screen encodes the payment URL"
    );

    // The customer's phone confirms.
    let (status, page) = common::phone_confirms(&pay_url);
    assert!(status < 400, "the phone's confirmation: {status} {page}");
    let accepted = crew.t("gui-pay-accepted");
    let p = t.wait_for(&accepted, |p| {
        p["screen"] == "payment" && shown(p, "pay.status").contains(&accepted)
    });
    if lang == Lang::Nl {
        assert_eq!(shown(&p, "pay.status"), "BETALING AANVAARD");
    }
    shots.take(&t, "payment-accepted");
    t.click("pay.status");
    let ticket = printer.expect_job(JOB_WAIT);
    check_ticket_of(
        &ticket,
        dir.path(),
        &crew,
        &["Pain au chocolat", "Café"],
        "18,70",
    );
    let sale = last_sale(dir.path());
    assert_eq!(sale.paid.cents(), 1870);

    // The sub-account's payment comes up by itself; cancel it and take cash instead.
    let p = t.wait_for("the sub-account's payment", |p| {
        p["screen"] == "payment" && shown(p, "pay.total").contains("9,00 €")
    });
    assert!(
        shown(&p, "pay.account").to_lowercase().contains("sous")
            || shown(&p, "pay.account").to_lowercase().contains("sub"),
        "pay.account names the sub-account: {}",
        shown(&p, "pay.account")
    );
    assert_eq!(shown(&p, "pay.account"), crew.t("gui-account-sub"));
    t.click("pay.cancel");
    let p = till_screen(&t);
    assert_eq!(
        p["basket"]["sub_total_cents"], 900,
        "the sub basket is kept"
    );
    t.click("till.cash");
    // Only the sub-account holds items now: Espèces goes straight to the amount tendered.
    let p = t.wait_for("an overlay after Espèces", |p| !p["overlay"].is_null());
    if p["overlay"] == "choose_account" {
        later.push(format!(
            "after the main basket was paid, Espèces still asks which account to pay \
             (choose.main: {:?}, choose.sub: {:?}): the paid main basket's lines are kept",
            shown(&p, "choose.main"),
            shown(&p, "choose.sub")
        ));
        t.click("choose.sub");
    }
    enter_amount(&t, "20", "20");
    let p = t.wait_overlay("cash_change");
    assert!(
        shown(&p, "cash.change").contains("11,00 €"),
        "change on 20 € for 9 €: {}",
        shown(&p, "cash.change")
    );
    shots.take(&t, "cash-change");
    t.click("cash.ok");
    let ticket = printer.expect_job(JOB_WAIT);
    let cash = check_ticket_of(
        &ticket,
        dir.path(),
        &crew,
        &["Croissant", "Chocolat noir", "Déodorant CienMEN"],
        "9,00",
    );
    for id in ["ticket-cash-received", "ticket-change"] {
        let word = crew.t(id);
        assert!(
            cash.contains(&word),
            "the cash ticket lacks {word:?}:\n{cash}"
        );
    }
    if lang == Lang::Nl {
        for word in ["Contant ontvangen", "Wisselgeld"] {
            assert!(
                cash.contains(word),
                "the cash ticket lacks {word:?}:\n{cash}"
            );
        }
    }
    let p = till_screen(&t);
    assert!(basket_lines(&p).is_empty(), "both baskets are paid: {p}");
    assert_eq!(p["basket"]["main_total_cents"], 0);
    assert_eq!(p["basket"]["sub_total_cents"], 0);
    assert_eq!(
        Ledger::open_in(dir.path()).unwrap().sale_count().unwrap(),
        2
    );

    // Log out (the login screen is back in the till's language); the admin logs in with the
    // physical keyboard.
    t.click("till.logout");
    let p = t.wait_screen("login");
    assert_eq!(
        shown(&p, "login.ok"),
        plain_spaces(&tr(Lang::Fr, "gui-l-login-ok", &[])),
        "after a logout the login screen speaks the till's language"
    );
    login_typed(&t, admin.id, admin.pin);
    let p = t.wait_for("the days list with today", |p| {
        p["screen"] == "admin_days" && !rows(p).is_empty()
    });
    assert!(
        has_row(&p, DAY) || has_row(&p, "10/06/2026"),
        "today is listed: {:?}",
        rows(&p)
    );
    shots.take(&t, "admin-days");

    // Delete asks first; No keeps the day.
    t.click("days.delete");
    t.wait_overlay("confirm");
    shots.take(&t, "confirm");
    t.click("confirm.no");
    let p = t.wait_screen("admin_days");
    assert!(has_row(&p, DAY) || has_row(&p, "10/06/2026"));

    // The day's report.
    t.click("days.open");
    let p = t.wait_for("the report of the day", |p| {
        p["screen"] == "admin_report" && !rows(p).is_empty()
    });
    assert!(
        ["local", "cette caisse", "deze kassa"]
            .iter()
            .any(|n| shown(&p, "report.source").to_lowercase().contains(n)),
        "the report says it is this till's (local): {}",
        shown(&p, "report.source")
    );
    assert_eq!(shown(&p, "report.source"), crew.t("gui-source-local"));
    for article in [
        "Pain au chocolat",
        "Café",
        "Croissant",
        "Chocolat noir",
        "Déodorant CienMEN",
    ] {
        assert!(has_row(&p, article), "{article} in {:?}", rows(&p));
    }
    assert!(
        has_row(&p, &crew.t("gui-report-withdrawals")),
        "the withdrawal is in the report: {:?}",
        rows(&p)
    );
    assert!(
        has_row(&p, &crew.t("gui-report-balance")),
        "the balance is in the report: {:?}",
        rows(&p)
    );
    if lang == Lang::Nl {
        assert!(
            has_row(&p, "Geldafhalingen") && has_row(&p, "KASSALDO"),
            "the report in Dutch: {:?}",
            rows(&p)
        );
    }
    shots.take(&t, "admin-report");

    // Exports: PDF, CSV, TXT files on disk.
    for (button, ext) in [
        ("report.pdf", "pdf"),
        ("report.csv", "csv"),
        ("report.txt", "txt"),
    ] {
        t.click(button);
        let path = t.wait_text("report.exported", &format!("names a .{ext} file"), |s| {
            s.trim_end().ends_with(&format!(".{ext}"))
        });
        // "Exporté : /…/rapport-YYYY-MM-DD.ext": the absolute path in the text.
        let path = PathBuf::from(
            path[path
                .find('/')
                .unwrap_or_else(|| panic!("no path in {path:?}"))..]
                .trim(),
        );
        assert!(
            path.starts_with(dir.path().join("exports"))
                && path.file_name().unwrap().to_str() == Some(&format!("rapport-{DAY}.{ext}")),
            "the export goes to <data dir>/exports/rapport-{DAY}.{ext}: {}",
            path.display()
        );
        let bytes = std::fs::read(&path)
            .unwrap_or_else(|e| panic!("the exported {} cannot be read: {e}", path.display()));
        match ext {
            "pdf" => assert!(bytes.starts_with(b"%PDF-"), "not a PDF: {}", path.display()),
            _ => {
                let text = String::from_utf8(bytes).expect("UTF-8 export");
                assert!(
                    text.contains("Pain au chocolat") && text.contains("Croissant"),
                    "{}: {text}",
                    path.display()
                );
            }
        }
    }
    t.click("report.back");
    t.wait_screen("admin_days");

    // The journal of the day.
    t.click("admin.journal");
    t.wait_screen("admin_journal");
    for field in ["journal.from", "journal.to"] {
        t.click(field);
        t.key("ctrl+a");
        t.key("BackSpace");
        t.type_text(DAY);
        t.wait_for(&format!("{field} shows {DAY}"), |p| shown(p, field) == DAY);
    }
    t.click("journal.show");
    let p = t.wait_for("the journal rows", |p| !rows(p).is_empty());
    assert!(
        has_row(&p, DAY) || has_row(&p, "10/06/2026"),
        "the journal has the day: {:?}",
        rows(&p)
    );
    shots.take(&t, "admin-journal");

    // Products and staff lists.
    t.click("admin.products");
    let p = t.wait_for("the products list", |p| {
        p["screen"] == "admin_products" && !rows(p).is_empty()
    });
    assert!(has_row(&p, "Pain au chocolat") && has_row(&p, "Canette Coca"));
    shots.take(&t, "admin-products");
    t.click("admin.staff");
    let p = t.wait_for("the staff list", |p| {
        p["screen"] == "admin_staff" && !rows(p).is_empty()
    });
    assert!(
        has_row(&p, "Khadija") && has_row(&p, "AWA"),
        "{:?}",
        rows(&p)
    );
    for (person, role) in [(cashier, "gui-role-cashier"), (admin, "gui-role-admin")] {
        let row = rows(&p)
            .into_iter()
            .find(|r| r.contains(person.name))
            .unwrap_or_else(|| panic!("{} in {:?}", person.name, rows(&p)));
        assert!(
            row.contains(&crew.t(role)),
            "{}'s role in the admin's language: {row}",
            person.name
        );
    }
    shots.take(&t, "admin-staff");
    t.click("admin.logout");
    t.wait_screen("login");

    let expected: BTreeSet<String> = [
        "login",
        "login-refused",
        "till",
        "keyboard",
        "amount",
        "till-sub",
        "choose-account",
        "payment",
        "payment-accepted",
        "cash-change",
        "admin-days",
        "confirm",
        "admin-report",
        "admin-journal",
        "admin-products",
        "admin-staff",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(shots.taken, expected);
    later.extend(shots.problems.iter().cloned());
    assert!(
        later.is_empty(),
        "wrong along the way:\n{}",
        later.join("\n")
    );
}

#[test]
fn a_cashier_sells_and_the_admin_reads_the_day_at_800x480() {
    cashier_and_admin_day(800, 480, Lang::Fr);
}

#[test]
fn a_cashier_sells_and_the_admin_reads_the_day_at_1280x800() {
    cashier_and_admin_day(1280, 800, Lang::Fr);
}

/// Issue 12: the same day with a Dutch-speaking cashier and admin, the login screen switched to
/// Nederlands, the tickets in Dutch; every Dutch button's words must fit it at 800×480.
#[test]
fn a_dutch_cashier_sells_and_a_dutch_admin_reads_the_day_at_800x480() {
    cashier_and_admin_day(800, 480, Lang::Nl);
}

#[test]
fn refusals_say_why_wrong_pin_unknown_id_and_closed_with_the_hours() {
    let x = Xvfb::start(800, 480);
    let dir = common::seeded_dir();
    let t = GuiTill::start(&x, till_cmd(dir.path(), None, CLOSED_TIME), &["till"]);
    t.wait_screen("login");

    let mut messages = Vec::new();
    for (id, pin, what, needles) in [
        ("14", "1234", "a wrong PIN", &["PIN"][..]),
        ("99", "1234", "an unknown ID", &["99", "inconnu"][..]),
        (
            "27",
            "2727",
            "a cashier outside opening hours",
            &["fermé", "06:00", "18:00"][..],
        ),
    ] {
        let before = shown(&t.probe().unwrap(), "login.message");
        login_typed(&t, id, pin);
        let m = t.wait_text("login.message", &format!("changed after {what}"), |m| {
            !m.is_empty() && m != before
        });
        for n in needles {
            assert!(m.contains(n), "{what}: the message {m:?} lacks {n:?}");
        }
        assert_eq!(
            t.probe().unwrap()["screen"],
            "login",
            "{what}: still on login"
        );
        messages.push(m);
        // Clear both fields for the next try.
        t.click("login.id");
        t.click("login.key.clear");
        t.click("login.pin");
        t.click("login.key.clear");
    }
    // The admin may log in at any hour.
    login_typed(&t, "1", "1111");
    t.wait_screen("admin_days");
    eprintln!("refusal messages: {messages:#?}");
}

#[test]
fn the_closing_soon_banner_shows_before_closing() {
    for (w, h) in [(800, 480), (1280, 800)] {
        let x = Xvfb::start(w, h);
        let dir = common::seeded_dir();
        let t = GuiTill::start(&x, till_cmd(dir.path(), None, CLOSING_TIME), &["till"]);
        login_typed(&t, "27", "2727");
        till_screen(&t);
        let banner = t.wait_text("status.banner", "non-empty", |b| !b.trim().is_empty());
        assert!(banner.contains("18:00"), "the banner says when: {banner:?}");
        let mut shots = Shots::new(&x);
        shots.take(&t, "closing-banner");
        shots.finish();
    }
}

/// A TCP listener that accepts connections and never answers (a server hung on the network).
struct BlackHole {
    port: u16,
}

impl BlackHole {
    fn start() -> BlackHole {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for c in l.incoming() {
                match c {
                    Ok(c) => held.push(c),
                    Err(_) => break,
                }
            }
        });
        BlackHole { port }
    }
}

#[test]
fn the_screen_answers_while_the_runtime_waits_on_a_hung_payment_server() {
    let x = Xvfb::start(800, 480);
    let dir = common::seeded_dir();
    let hole = BlackHole::start();
    let mut cmd = till_cmd(dir.path(), None, OPEN_TIME);
    cmd.env("KACHING_PAYMENT__LAN_BIND", "")
        .env(
            "KACHING_PAYMENT__SERVER_URL",
            format!("http://127.0.0.1:{}", hole.port),
        )
        .env("KACHING_PAYMENT__TILL_SECRET", "a".repeat(64));
    let t = GuiTill::start(&x, cmd, &["till"]);
    login_typed(&t, "14", "1414");
    till_screen(&t);
    t.click("till.article");
    scan(&t, "0000");
    // What the till shows once the runtime has answered Payer: the payment screen, or the
    // payment server's failure.
    let answered = |p: &Value| {
        let m = shown(p, "till.message").to_lowercase();
        p["screen"] == "payment"
            || [
                "payment_unavailable",
                "unreachable",
                "injoignable",
                "indisponible",
            ]
            .iter()
            .any(|n| m.contains(n))
    };

    // Payer: the runtime now waits (seconds) on the server that never answers.
    t.click("till.pay");
    let hold = Instant::now();
    let mut latencies: Vec<Duration> = Vec::new();
    // One tap: the pointer is put on the key first (its geometry read from the probe), then
    // the time runs from the click (xdotool's process included) to the probe showing its
    // effect.
    let tap = |id: &str, what: &str, done: &dyn Fn(&Value) -> bool| -> Duration {
        let (cx, cy) = t.widget(id).centre();
        t.x.move_to(cx, cy);
        let t0 = Instant::now();
        t.x.xdotool(&["click", "--delay", "0", "1"]);
        t.wait_for_within(what, Duration::from_secs(5), done);
        t0.elapsed()
    };
    let mut typed = String::new();
    let mut digit = 0u8;
    while hold.elapsed() < Duration::from_secs(4) {
        let p = t.probe().unwrap();
        assert_eq!(
            (p["screen"].as_str(), p["overlay"].as_str()),
            (Some("till"), None),
            "the payment is still being asked for: the till screen stays{}",
            t.context()
        );
        latencies.push(tap("till.keypad", "the keyboard overlay opens", &|p| {
            p["overlay"] == "keyboard"
        }));
        for _ in 0..3 {
            let c = char::from(b'1' + digit % 9);
            digit += 1;
            typed.push(c);
            let want = typed.clone();
            latencies.push(tap(
                &format!("kbd.{c}"),
                &format!("the article field shows {want}"),
                &|p| shown(p, "till.article") == want,
            ));
        }
        for _ in 0..3 {
            typed.pop();
            let want = typed.clone();
            latencies.push(tap(
                "kbd.back",
                &format!("the article field shows {want:?}"),
                &|p| shown(p, "till.article") == want,
            ));
        }
        latencies.push(tap("kbd.close", "the keyboard overlay closes", &|p| {
            p["overlay"].is_null()
        }));
    }
    let held_for = hold.elapsed();
    // The runtime was really busy all along: no answer to Payer yet.
    let p = t.probe().unwrap();
    assert!(
        !answered(&p),
        "the payment server answered before the end of the measurement: the test measured \
         nothing{}",
        t.context()
    );
    latencies.sort();
    let worst = *latencies.last().unwrap();
    let median = latencies[latencies.len() / 2];
    eprintln!(
        "no-freeze: {} inputs handled in {held_for:?} while the runtime waited on the hung \
         payment server; median {median:?}, worst {worst:?} (from xdotool's click to the probe)",
        latencies.len()
    );
    assert!(
        latencies.len() >= 10,
        "only {} inputs in 4 s",
        latencies.len()
    );
    assert!(
        worst <= Duration::from_millis(250),
        "an input took {worst:?} to be handled: {latencies:?}"
    );

    // The runtime answers in the end: the payment fails with a message (or falls back).
    let p = t.wait_for_within(
        "the runtime's answer to Payer",
        Duration::from_secs(90),
        answered,
    );
    eprintln!(
        "the runtime answered after {:?}: screen {}, message {:?}",
        hold.elapsed(),
        p["screen"],
        shown(&p, "till.message")
    );
}

/// An EAN-13 from its first 12 digits.
fn ean13(first12: &str) -> String {
    let sum: u32 = first12
        .chars()
        .enumerate()
        .map(|(i, c)| c.to_digit(10).unwrap() * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    format!("{first12}{}", (10 - sum % 10) % 10)
}

#[test]
fn the_admin_adds_a_product_and_a_cashier_who_then_sells_it() {
    let x = Xvfb::start(800, 480);
    let dir = common::seeded_dir();
    let t = GuiTill::start(&x, till_cmd(dir.path(), None, OPEN_TIME), &["till"]);
    login_typed(&t, "1", "1111");
    t.wait_screen("admin_days");

    // A product: code, barcode and price typed, the name on the on-screen keyboard.
    t.click("admin.products");
    t.wait_for("the products list", |p| {
        p["screen"] == "admin_products" && has_row(p, "Pain au chocolat")
    });
    let barcode = ean13("541234567890");
    for (field, value) in [
        ("products.code", "7777"),
        ("products.barcode", barcode.as_str()),
        ("products.price", "2,80"),
    ] {
        t.click(field);
        t.type_text(value);
        t.wait_for(&format!("{field} shows {value}"), |p| {
            shown(p, field) == value
        });
    }
    t.click("products.name_kbd");
    t.wait_overlay("keyboard");
    t.click("kbd.shift");
    t.click("kbd.b");
    t.click("kbd.shift");
    tap_keys(&t, "kbd", "aguette tradition");
    t.wait_for("the keyboard's preview", |p| {
        shown(p, "kbd.preview").contains("Baguette tradition")
    });
    t.click("kbd.enter");
    let p = t.wait_screen("admin_products");
    assert_eq!(shown(&p, "products.name"), "Baguette tradition");
    t.click("products.save");
    let p = t.wait_for("the new product in the list", |p| {
        has_row(p, "Baguette tradition")
    });
    let row = rows(&p)
        .into_iter()
        .find(|r| r.contains("Baguette tradition"))
        .unwrap();
    assert!(
        row.contains("7777") && row.contains("2,80"),
        "the row shows the code and the price: {row}"
    );
    assert!(
        !shown(&p, "products.message").is_empty(),
        "products.message says what was done"
    );

    // A catalogue CSV imported through the path field.
    let csv = dir.path().join("nouveautes.csv");
    std::fs::write(
        &csv,
        "code,barcode,name,price,vat_rate\n8888,,Galette des rois,12.50,6\n",
    )
    .unwrap();
    t.click("products.import_path");
    t.type_text(&csv.display().to_string());
    t.click("products.import");
    let p = t.wait_for("the imported product in the list", |p| {
        has_row(p, "Galette des rois")
    });
    assert!(has_row(&p, "12,50"), "{:?}", rows(&p));

    // A cashier: ID and name typed (an accent in the name), the PIN on the on-screen keyboard.
    t.click("admin.staff");
    t.wait_for("the staff list", |p| {
        p["screen"] == "admin_staff" && has_row(p, "Khadija")
    });
    t.click("staff.id");
    t.type_text("42");
    t.click("staff.name");
    t.type_text("Zoé");
    t.wait_for("the name typed", |p| shown(p, "staff.name") == "Zoé");
    t.click("staff.pin_kbd");
    t.wait_overlay("keyboard");
    tap_keys(&t, "kbd", "4242");
    t.wait_for("the PIN masked in the preview", |p| {
        shown(p, "kbd.preview").contains("••••") && !shown(p, "kbd.preview").contains("4242")
    });
    t.click("kbd.close");
    let p = t.wait_screen("admin_staff");
    assert_eq!(shown(&p, "staff.id"), "42");
    t.click("staff.add");
    let p = t.wait_for("Zoé in the list", |p| has_row(p, "Zoé"));
    let row = rows(&p).into_iter().find(|r| r.contains("Zoé")).unwrap();
    assert!(
        row.contains("42") && row.contains("Caissier"),
        "the row shows the ID and the default role: {row}"
    );
    assert!(
        !shown(&p, "staff.message").is_empty(),
        "staff.message says what was done"
    );

    // Zoé logs in and sells the new products, by code and by barcode.
    t.click("admin.logout");
    login_keypad(&t, "42", "4242");
    let p = till_screen(&t);
    assert!(
        shown(&p, "till.seller").contains("Zoé"),
        "{}",
        shown(&p, "till.seller")
    );
    t.click("till.article");
    let p = scan(&t, "7777");
    assert_eq!(line_names(&p), ["Baguette tradition"]);
    assert_eq!(basket_lines(&p)[0]["unit_cents"], 280);
    let p = scan(&t, &barcode);
    assert_eq!(
        basket_lines(&p)[0]["qty"],
        2,
        "the barcode is the same product: {p}"
    );
    let p = scan(&t, "8888");
    assert_eq!(line_names(&p), ["Baguette tradition", "Galette des rois"]);
    assert_eq!(p["basket"]["main_total_cents"], 280 * 2 + 1250);
}

#[test]
fn a_failed_print_shows_the_reprint_button_and_the_ticket_comes_out_when_the_printer_is_back() {
    let x = Xvfb::start(800, 480);
    let dir = common::seeded_dir();
    // The printer's port: nothing listens there yet (the printer is off).
    let port = common::free_port();
    let mut cmd = till_cmd(dir.path(), None, OPEN_TIME);
    cmd.env("KACHING_PRINTER__DRIVER", "tcp")
        .env("KACHING_PRINTER__TARGET", format!("127.0.0.1:{port}"));
    let t = GuiTill::start(&x, cmd, &["till"]);
    let mut shots = Shots::new(&x);
    login_typed(&t, "14", "1414");
    till_screen(&t);
    t.click("till.article");
    scan(&t, "0000");
    // Espèces, the exact amount (nothing typed), OK.
    t.click("till.cash");
    t.wait_overlay("amount");
    t.click("amount.ok");
    let p = t.wait_overlay("cash_change");
    assert!(
        shown(&p, "cash.change").contains("0,00 €"),
        "no change on the exact amount: {}",
        shown(&p, "cash.change")
    );
    t.click("cash.ok");
    let p = t.wait_for("the reprint button after the failed print", |p| {
        p["widgets"]["status.reprint"].is_object()
    });
    assert!(
        shown(&p, "status.printer").to_lowercase().contains("échou"),
        "the status bar says the print failed: {}",
        shown(&p, "status.printer")
    );
    shots.take(&t, "print-failed");

    // The printer is back; the cashier asks for the ticket again.
    let printer = TestPrinter::start_on(port);
    // The button sits in the status bar, beside the printer's state.
    let reprint = t.widget("status.reprint");
    let bar = Rect::of(&t.probe().unwrap()["widgets"]["status.printer"]).unwrap();
    assert!(
        reprint.y >= bar.y && reprint.y + reprint.h <= bar.y + bar.h,
        "Réimprimer is drawn at {reprint:?}, outside the status bar ({bar:?}): FLTK does not \
         pass it clicks there{}",
        t.context()
    );
    t.click("status.reprint");
    let mut jobs = Vec::new();
    for i in 0..2 {
        let Some(job) = printer.next_job(Duration::from_secs(40)) else {
            panic!(
                "print job {} of 2 did not come in 40 s; before: {jobs:#?}{}",
                i + 1,
                t.context()
            );
        };
        let bytes = job.bytes;
        let d = escpos_decode::decode(&bytes).expect("ESC/POS");
        jobs.push(d.texts().join("\n"));
    }
    assert!(
        jobs.iter()
            .all(|j| j.contains("Café") && j.contains(SHOP_NAME)),
        "{jobs:#?}"
    );
    assert_eq!(
        jobs.iter().filter(|j| j.contains("DUPLICATA")).count(),
        1,
        "the queued original and one duplicate: {jobs:#?}"
    );
    let p = t.wait_for("the reprint button gone once printed", |p| {
        !p["widgets"]["status.reprint"].is_object()
    });
    assert!(
        shown(&p, "status.printer").contains("OK"),
        "{}",
        shown(&p, "status.printer")
    );
    shots.finish();
}

#[test]
fn the_demo_opens_in_a_window_sells_in_the_evening_and_the_admin_sells_from_caisse() {
    let x = Xvfb::start(1280, 800);
    let dir = tempfile::tempdir().unwrap();
    // `kaching demo` seeds its own shop; the clock says 20:00, after the default closing.
    let t = GuiTill::start(&x, till_cmd(dir.path(), None, CLOSED_TIME), &["demo"]);
    let p = t.wait_for("the login screen drawn", |p| {
        p["screen"] == "login" && p["first_draw_ms"].is_number()
    });
    let win = Rect::of(&p["window"]).expect("window geometry");
    assert_eq!(
        (win.w, win.h),
        (1024, 600),
        "the demo opens in a 1024x600 window, not full screen"
    );

    // The admin opens the till from the admin screen with « Caisse », sells, and goes back.
    login_typed(&t, "1", "1111");
    let p = t.wait_screen("admin_days");
    assert!(
        p["widgets"].get("admin.till").is_some(),
        "« Caisse » on the admin screen"
    );
    t.click("admin.till");
    let p = till_screen(&t);
    assert!(
        shown(&p, "till.admin").contains("Admin"),
        "the way back is on the till screen"
    );
    t.click("till.article");
    scan(&t, "1234");
    t.click("till.cash");
    t.wait_overlay("amount");
    t.click("amount.ok");
    t.wait_overlay("cash_change");
    t.click("cash.ok");
    let p = t.wait_for("the sale recorded", |p| {
        p["screen"] == "till" && p["overlay"].is_null() && basket_lines(p).is_empty()
    });
    assert_eq!(
        Ledger::open_in(dir.path()).unwrap().sale_count().unwrap(),
        1,
        "{}",
        common::gui::summary(&p)
    );
    t.click("till.admin");
    t.wait_screen("admin_days");
    t.click("admin.logout");
    t.wait_screen("login");

    // A cashier, at 20:00, in the demo shop open all day: in, and no « Admin » for her.
    login_typed(&t, "14", "1414");
    let p = till_screen(&t);
    assert!(
        p["widgets"].get("till.admin").is_none(),
        "a cashier has no way to the admin screens: {}",
        common::gui::summary(&p)
    );
    let problems = layout_problems(&p, 1280, 800);
    assert!(problems.is_empty(), "{problems:?}");
}

/// The customer paid on the phone, the screen said PAIEMENT ACCEPTÉ, and the till was killed
/// before the cashier pressed it: after the restart and the login the payment is on screen
/// again, accepted, and pressing it records one sale of what was paid.
#[test]
fn a_qr_payment_accepted_before_a_crash_is_on_screen_after_the_restart_and_recorded_once() {
    let x = Xvfb::start(800, 480);
    let dir = common::seeded_dir();
    let t = GuiTill::start(&x, till_cmd(dir.path(), None, OPEN_TIME), &["till"]);
    login_typed(&t, "14", "1414");
    till_screen(&t);
    t.click("till.article");
    scan(&t, "1234");
    t.click("till.pay");
    let p = t.wait_for("the payment screen with its URL", |p| {
        p["screen"] == "payment" && shown(p, "pay.url").starts_with("http")
    });
    let pay_url = shown(&p, "pay.url");
    let (status, page) = common::phone_confirms(&pay_url);
    assert!(status < 400, "the phone's confirmation: {status} {page}");
    t.wait_for("PAIEMENT ACCEPTÉ", |p| {
        shown(p, "pay.status").contains("PAIEMENT ACCEPTÉ")
    });
    t.kill();
    let ledger = dir.path().join(kaching::store::LEDGER_FILE);
    let sales = || -> i64 {
        rusqlite::Connection::open(&ledger)
            .unwrap()
            .query_row("SELECT count(*) FROM sales", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(sales(), 0, "not recorded before the cashier pressed it");

    let t = GuiTill::start(&x, till_cmd(dir.path(), None, OPEN_TIME), &["till"]);
    t.wait_screen("login");
    login_typed(&t, "14", "1414");
    let p = t.wait_for("the paid payment, on its screen after the login", |p| {
        p["screen"] == "payment" && shown(p, "pay.status").contains("PAIEMENT ACCEPTÉ")
    });
    assert!(
        shown(&p, "pay.total").contains("1,20 €"),
        "pay.total: {}",
        shown(&p, "pay.total")
    );
    t.click("pay.status");
    till_screen(&t);
    let sale = last_sale(dir.path());
    assert_eq!(sale.paid.cents(), 120);
    assert_eq!(sale.method, kaching::domain::PaymentMethod::Qr);
    assert_eq!(sales(), 1);
}

/// A cancel the payment server never heard (the link is cut): the screen says the cancel is
/// still going and keeps the basket; the customer pays on 4G meanwhile; once the link is back
/// the screen turns to « PAYÉ APRÈS ANNULATION » and pressing it records the sale.
#[test]
fn a_cancel_through_a_cut_link_shows_cancelling_then_paid_after_cancel_and_records_it() {
    let x = Xvfb::start(800, 480);
    let server = common::pay_server::PayServer::start();
    let proxy = common::proxy::Proxy::start(server.addr);
    let dir = common::seeded_dir();
    let mut cmd = till_cmd(dir.path(), None, OPEN_TIME);
    cmd.env("KACHING_PAYMENT__LAN_BIND", "")
        .env("KACHING_PAYMENT__SERVER_URL", proxy.url())
        .env("KACHING_PAYMENT__TILL_SECRET", &server.secret);
    let t = GuiTill::start(&x, cmd, &["till"]);
    login_typed(&t, "14", "1414");
    till_screen(&t);
    t.click("till.article");
    scan(&t, "1234");
    t.click("till.pay");
    let p = t.wait_for("the payment screen with its URL", |p| {
        p["screen"] == "payment" && shown(p, "pay.url").starts_with("http")
    });
    let pay_url = shown(&p, "pay.url");

    proxy.cut();
    t.click("pay.cancel");
    let p = t.wait_for("the cancel still going", |p| {
        shown(p, "pay.status").contains("ANNULATION EN COURS")
    });
    assert_eq!(p["screen"], "payment", "the basket stays held");
    assert!(
        shown(&p, "pay.message").contains("bloqué"),
        "pay.message: {}",
        shown(&p, "pay.message")
    );

    let (status, page) = common::phone_confirms(&pay_url);
    assert!(status < 400, "the phone's confirmation: {status} {page}");
    proxy.restore();
    let p = t.wait_for("paid after the cancel", |p| {
        p["screen"] == "payment" && shown(p, "pay.status").contains("PAYÉ APRÈS ANNULATION")
    });
    assert!(
        shown(&p, "pay.message").contains("1,20 €"),
        "pay.message: {}",
        shown(&p, "pay.message")
    );
    t.click("pay.status");
    till_screen(&t);
    let sale = last_sale(dir.path());
    assert_eq!(sale.paid.cents(), 120);
    assert_eq!(sale.method, kaching::domain::PaymentMethod::Qr);
}

/// A sale the central database refuses for good (another sale already holds this till's ticket
/// 1 there) is parked: the status bar says so, with the count, in the warning colour's text.
#[test]
fn a_sale_parked_by_the_central_database_shows_as_blocked_on_the_status_bar() {
    let x = Xvfb::start(800, 480);
    let db = common::mysql::TestDb::create();
    let dir = common::seeded_dir();
    let migrate = common::kaching(dir.path())
        .env("KACHING_CENTRAL__URL", &db.url)
        .args(["migrate", "--central"])
        .output()
        .unwrap();
    assert!(migrate.status.success(), "{}", common::stderr(&migrate));
    db.exec(
        "INSERT INTO sales (id, till_id, ticket_no, staff_id, staff_name, account, method, payment_ref, \
         revenue_cents, withdrawal_cents, paid_cents, tendered_cents, change_cents, paid_at, day, \
         prev_hash, hash, received_at) VALUES ('00000000-0000-7000-8000-0000000000ff', 'till-1', 1, '1', \
         'OTHER', 'main', 'cash', NULL, 100, 0, 100, NULL, 0, '2020-01-01T00:00:00.000Z', '2020-01-01', \
         REPEAT('0', 64), REPEAT('f', 64), 0)",
    );
    let mut cmd = till_cmd(dir.path(), None, OPEN_TIME);
    cmd.env("KACHING_CENTRAL__URL", &db.url)
        .env("KACHING_TILL__ID", "till-1");
    let t = GuiTill::start(&x, cmd, &["till"]);
    t.wait_for("online", |p| {
        shown(p, "status.network").contains("En ligne")
    });
    login_typed(&t, "14", "1414");
    till_screen(&t);
    t.click("till.article");
    scan(&t, "1234");
    t.click("till.cash");
    t.wait_overlay("amount");
    t.click("amount.ok");
    t.wait_overlay("cash_change");
    t.click("cash.ok");
    // The audit rows behind it flow; the parked sale stays, counted as waiting.
    let p = t.wait_for("the parked sale on the status bar", |p| {
        shown(p, "status.network").contains("1 en attente (1 bloquée)")
    });
    let text = shown(&p, "status.network");
    assert!(
        text.starts_with('⚠') && text.contains("1 en attente") && text.contains("(1 bloquée)"),
        "status.network: {text}"
    );
}

/// Taps the counter: for each (denomination button, pieces), the button then the digits; waits
/// for the total.
fn count_cash(t: &GuiTill, pieces: &[(&str, &str)], total: &str) {
    for (denomination, n) in pieces {
        t.click(denomination);
        tap_keys(t, "count", n);
    }
    t.wait_text("count.total", total, |s| plain_spaces(s).contains(total));
}

/// Issue 14 on the screen: the float counted on the denomination counter at a cashier's first
/// login, a cash sale, then the admin's « Caisse »: a cash-out with a reason (refused without
/// one), an X, the Z counted on the counter with its difference shown large, and the past Zs.
/// The ledger's sealed Z is checked against what the screen showed.
fn drawer_day(w: u32, h: u32) {
    let x = Xvfb::start(w, h);
    let dir = common::seeded_dir();
    let t = GuiTill::start(&x, till_cmd(dir.path(), None, OPEN_TIME), &["till"]);
    let mut shots = Shots::new(&x);

    login_keypad(&t, "14", "1414");
    let p = t.wait_for("the float counter over the till", |p| {
        p["screen"] == "till" && p["overlay"] == "count"
    });
    assert_eq!(
        plain_spaces(&shown(&p, "count.title")),
        "Comptez le fond de caisse"
    );
    // 2 × 50 €, 2 × 20 €, 10 × 1 €, a slip (3 × 5 €) corrected to 2.
    count_cash(
        &t,
        &[
            ("count.d3", "2"),
            ("count.d4", "2"),
            ("count.d8", "10"),
            ("count.d6", "3"),
        ],
        "165,00 €",
    );
    t.click("count.back");
    t.click("count.2");
    count_cash(&t, &[], "Total : 160,00 €");
    shots.take(&t, "drawer-float");
    t.click("count.ok");
    let p = t.wait_for("the drawer opened with the float", |p| {
        p["screen"] == "till"
            && p["overlay"].is_null()
            && shown(p, "till.message").contains("160,00")
    });
    assert!(
        shown(&p, "till.message").contains("Tiroir n° 1"),
        "{}",
        shown(&p, "till.message")
    );

    // A cash sale of 1,20 €, paid with 5 €.
    t.click("till.article");
    scan(&t, "1234");
    t.click("till.cash");
    enter_amount(&t, "5", "5");
    t.wait_overlay("cash_change");
    t.click("cash.ok");
    till_screen(&t);
    t.click("till.logout");
    t.wait_screen("login");

    // The admin: « Caisse ».
    login_typed(&t, "1", "1111");
    t.wait_screen("admin_days");
    t.click("admin.drawer");
    let p = t.wait_for("the drawer pane, session 1 open", |p| {
        p["screen"] == "admin_drawer" && shown(p, "drawer.state").contains('1')
    });
    assert!(
        shown(&p, "drawer.state").contains("ouvert"),
        "{}",
        shown(&p, "drawer.state")
    );

    // A cash-out without a reason: refused, nothing asked.
    t.click("drawer.out");
    let p = t.wait_text("drawer.message", "the reason asked", |s| {
        s.contains("motif")
    });
    assert!(!p.is_empty());
    assert_eq!(t.probe().expect("probe")["overlay"], Value::Null);
    t.click("drawer.reason");
    t.type_text("banque");
    t.click("drawer.out");
    enter_amount(&t, "100", "100");
    t.wait_text("drawer.message", "the cash-out recorded", |s| {
        plain_spaces(s).contains("Sortie d'espèces : 100,00 € (banque)")
    });

    // X: expected = 160,00 + 1,20 (paid 1,20: no rounding) − 100,00.
    t.click("drawer.x");
    let p = t.wait_for("the X report's rows", |p| has_row(p, "Espèces attendues"));
    assert!(has_row(&p, "61,20 €"), "{:?}", rows(&p));
    shots.take(&t, "drawer-x");

    // Z: 61,10 € counted (10 cents short).
    t.click("drawer.z");
    let p = t.wait_overlay("count");
    assert_eq!(
        plain_spaces(&shown(&p, "count.title")),
        "Comptez la caisse pour le Z"
    );
    count_cash(
        &t,
        &[
            ("count.d3", "1"),
            ("count.d5", "1"),
            ("count.d8", "1"),
            ("count.d11", "1"),
        ],
        "61,10 €",
    );
    shots.take(&t, "drawer-z-count");
    t.click("count.ok");
    let p = t.wait_for("the Z's difference shown", |p| {
        p["screen"] == "admin_drawer" && !shown(p, "drawer.difference").is_empty()
    });
    assert_eq!(
        plain_spaces(&shown(&p, "drawer.difference")),
        "Écart : -0,10 €"
    );
    assert!(has_row(&p, "Espèces comptées"), "{:?}", rows(&p));
    assert!(
        shown(&p, "drawer.state").contains("Aucun"),
        "{}",
        shown(&p, "drawer.state")
    );
    shots.take(&t, "drawer-z");

    // The ledger holds the same sealed Z.
    let z = Ledger::open_in(dir.path())
        .unwrap()
        .z_report("till-1", Some(1))
        .unwrap()
        .expect("Z 1 in the ledger");
    assert_eq!(
        (
            z.float_cents,
            z.float_counted,
            z.cash_out_cents,
            z.expected_cents,
            z.counted_cents,
            z.difference_cents
        ),
        (16000, true, 10000, 6120, Some(6110), Some(-10)),
        "{z:?}"
    );

    // The past Zs.
    t.click("drawer.history");
    let p = t.wait_for("the Z listed", |p| {
        rows(p)
            .iter()
            .any(|r| r.starts_with("1 |") && plain_spaces(r).contains("-0,10 €"))
    });
    assert!(shown(&p, "drawer.difference").is_empty());
    shots.take(&t, "drawer-history");
    shots.finish();
}

#[test]
fn the_float_the_cash_out_and_the_z_on_the_screen_at_800x480() {
    drawer_day(800, 480);
}

#[test]
fn the_float_the_cash_out_and_the_z_on_the_screen_at_1280x800() {
    drawer_day(1280, 800);
}

/// Clicks row `i` (0-based) of list `id`: its rows are 44 px tall under a 30 px header at
/// 800×480, scaled with the window like everything else.
fn click_row(t: &GuiTill, id: &str, i: i64) {
    let r = t.widget(id);
    let scale = (f64::from(t.x.w) / 800.0)
        .min(f64::from(t.x.h) / 480.0)
        .clamp(1.0, 3.0);
    let px = |n: f64| (n * scale).round() as i64;
    t.x.click_at(r.x + r.w / 3, r.y + px(30.0) + px(44.0) * i + px(22.0));
}

/// The manager's approval: the ID and the PIN on the dialog's keypad, then OK.
fn approve_with(t: &GuiTill, id: &str, pin: &str) {
    t.click("approve.id");
    t.click("approve.clear");
    tap_keys(t, "approve", id);
    t.click("approve.pin");
    t.click("approve.clear");
    tap_keys(t, "approve", pin);
    t.wait_for("the PIN typed", |p| {
        shown(p, "approve.pin").matches('•').count() == pin.len()
    });
    t.click("approve.ok");
}

/// Issue 15 on the screen: a cashier gives 50 % off a line — above the 10 % cap, so the dialog
/// asks a reason and a manager's approval (a wrong PIN refused first, the dialog staying) — and
/// sells in cash; then the customer brings one article back: the ticket typed on the return
/// screen, a quantity too large refused, one picked, a reason, the manager's PIN again, the
/// amount to give back shown large. The ledger holds the sale with its discount and the credit
/// note with the right amount, pointing at the sale.
fn discount_and_return(w: u32, h: u32) {
    let x = Xvfb::start(w, h);
    let dir = common::seeded_dir();
    let t = GuiTill::start(&x, till_cmd(dir.path(), None, OPEN_TIME), &["till"]);
    let mut shots = Shots::new(&x);

    login_keypad(&t, "14", "1414");
    till_screen(&t);
    t.click("till.article");
    scan(&t, "4821");
    scan(&t, "1234");

    // « Remise » on the selected (last) line: 50 %.
    t.click("till.discount");
    let p = t.wait_overlay("discount");
    assert_eq!(
        plain_spaces(&shown(&p, "discount.title")),
        "Remise · ligne 2 : Pain au chocolat (1,20 €)"
    );
    tap_keys(&t, "discount", "50");
    t.wait_text("discount.value", "−50 %", |s| plain_spaces(s) == "−50 %");
    t.click("discount.ok");
    // Above the cap: a reason is asked; the dialog stays.
    t.wait_text("discount.message", "a reason asked", |s| {
        s.contains("motif")
    });
    t.click("discount.reason0");
    t.wait_text("discount.reason", "the reason picked", |s| {
        s.contains("Article abîmé")
    });
    shots.take(&t, "discount");
    t.click("discount.ok");
    let p = t.wait_overlay("approval");
    assert!(
        shown(&p, "approve.detail").contains("−50 % · ligne 2 (Pain au chocolat)"),
        "{}",
        shown(&p, "approve.detail")
    );
    shots.take(&t, "approval");
    // A wrong PIN: refused with the attempts left, the dialog stays.
    approve_with(&t, "1", "1112");
    let p = t.wait_text("approve.message", "the wrong PIN refused", |s| {
        s.contains("bad_pin")
    });
    assert!(p.contains("4"), "{p}");
    assert_eq!(t.probe().expect("probe")["overlay"], "approval");
    shots.take(&t, "approval-refused");
    approve_with(&t, "1", "1111");
    let p = t.wait_for("the discount applied after the approval", |p| {
        p["overlay"].is_null() && p["basket"]["main_total_cents"] == 460
    });
    assert_eq!(basket_lines(&p)[1]["discount_cents"], 60);
    assert_eq!(basket_lines(&p)[1]["total_cents"], 60);
    assert_eq!(p["basket"]["discount_cents"], 60);
    assert!(
        shown(&p, "till.message").contains("accordée par ADMIN"),
        "{}",
        shown(&p, "till.message")
    );
    assert_eq!(
        plain_spaces(&shown(&p, "till.discount_total")),
        "Remises : −0,60 €"
    );
    shots.take(&t, "discount-basket");

    // Cash: 5 € for 4,60 €.
    t.click("till.cash");
    enter_amount(&t, "5", "5");
    let p = t.wait_overlay("cash_change");
    assert_eq!(plain_spaces(&shown(&p, "cash.change")), "0,40 €");
    t.click("cash.ok");
    till_screen(&t);
    let sale = last_sale(dir.path());
    assert_eq!(
        (sale.ticket_no, sale.paid.cents(), sale.discount.cents()),
        (1, 460, 60),
        "{sale:?}"
    );

    // « Retour »: the ticket typed (as a keyboard-mode scanner would), its lines.
    t.click("till.return");
    t.wait_screen("return");
    t.click("ret.ticket");
    t.type_text("1");
    t.key("Return");
    let p = t.wait_for("the ticket's lines", |p| rows(p).len() == 2);
    assert!(
        plain_spaces(&shown(&p, "ret.info")).starts_with("Ticket n° 1 · till-1 ·"),
        "{}",
        shown(&p, "ret.info")
    );
    // Each line: what it cost under its name (after its discount), sold, returned, left.
    assert_eq!(
        plain_spaces(&rows(&p)[1]),
        "Pain au chocolat\n1 × 1,20 € · payé 0,60 € | 1 | 0 | 1 | "
    );
    click_row(&t, "ret.table", 1);
    t.wait_text("ret.qty_label", "line 2 picked", |s| s.contains("Ligne 2"));
    // Two of a line sold once: the runtime refuses, the screen says so.
    tap_keys(&t, "ret", "2");
    t.click("ret.qty_ok");
    t.wait_text("ret.message", "the over-return refused", |s| {
        s.contains("over_return")
    });
    t.click("ret.all");
    let p = t.wait_text("ret.amount", "0,60 € to give back", |s| {
        plain_spaces(s) == "À rendre : 0,60 €"
    });
    assert!(!p.is_empty());
    shots.take(&t, "return");
    t.click("ret.next");
    let p = t.wait_overlay("refund_commit");
    assert!(
        shown(&p, "refund.original").contains("en espèces"),
        "{}",
        shown(&p, "refund.original")
    );
    // No reason: refused before anything is sent.
    t.click("refund.ok");
    t.wait_text("refund.message", "the reason required", |s| {
        s.contains("Motif obligatoire")
    });
    t.click("refund.reason0");
    t.wait_text("refund.reason", "the reason picked", |s| {
        s.contains("Article défectueux")
    });
    shots.take(&t, "return-commit");
    t.click("refund.ok");
    let p = t.wait_overlay("approval");
    assert!(
        plain_spaces(&shown(&p, "approve.title")).contains("remboursement"),
        "{}",
        shown(&p, "approve.title")
    );
    approve_with(&t, "1", "1111");
    let p = t.wait_overlay("refunded");
    assert_eq!(plain_spaces(&shown(&p, "refunded.amount")), "0,60 €");
    assert_eq!(
        plain_spaces(&shown(&p, "refunded.detail")),
        "Note de crédit n° 2 · ticket n° 1"
    );
    assert_eq!(p["screen"], "till");
    shots.take(&t, "return-refunded");
    t.click("refunded.ok");
    till_screen(&t);

    // The ledger: the credit note, a sale of kind refund, −0,60 € in cash against ticket 1.
    let note = last_sale(dir.path());
    assert_eq!(
        note.kind,
        kaching::domain::sale::SaleKind::Refund,
        "{note:?}"
    );
    assert_eq!(note.ticket_no, 2);
    assert_eq!(note.paid.cents(), -60);
    assert_eq!(note.method, kaching::domain::PaymentMethod::Cash);
    assert_eq!(
        note.original
            .as_ref()
            .map(|o| (o.ticket_no, o.sale_id.as_str())),
        Some((1, sale.id.as_str()))
    );
    assert_eq!(note.reason.as_deref(), Some("Article défectueux"));
    assert_eq!(note.approved_by.as_deref(), Some("1"));
    let lines: Vec<(&str, i64, i64)> = note
        .lines
        .iter()
        .map(|l| (l.name.as_str(), l.qty, l.total.cents()))
        .collect();
    assert_eq!(lines, [("Pain au chocolat", -1, -60)]);
    shots.finish();
}

#[test]
fn a_return_and_a_discount_on_the_screen_at_800x480() {
    discount_and_return(800, 480);
}

#[test]
fn a_return_and_a_discount_on_the_screen_at_1280x800() {
    discount_and_return(1280, 800);
}
