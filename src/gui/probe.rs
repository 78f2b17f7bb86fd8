//! The test probe: with `KACHING_GUI_PROBE=/path/file.json`, what the screen shows is written
//! there (atomically) after every batch of messages: the screen, the named widgets with their
//! screen coordinates, texts, the basket, the current list's rows and the timings. The GUI tests
//! drive the real window with xdotool and read the outcome here; nothing else depends on it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;

use fltk::prelude::*;
use serde_json::{Map, Value, json};

use super::model::{Model, Overlay, Pane, Screen};
use super::view::View;

pub struct Probe {
    path: PathBuf,
    seq: std::cell::Cell<u64>,
    fits: RefCell<HashMap<FitKey, bool>>,
}

fn rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
}

/// What a label's fit depends on: its text, font, size and the widget's size.
type FitKey = (String, i32, i32, i32, i32);

/// Whether a widget's label fits inside it, measured in its own font (a Dutch word longer than
/// its button is a bug the tests catch). Measuring text is slow (Xft lays out every glyph), so each
/// label is measured once per size, not on every probe write.
fn label_fits(w: &fltk::widget::Widget, cache: &RefCell<HashMap<FitKey, bool>>) -> bool {
    let label = w.label();
    if label.is_empty() {
        return true;
    }
    let key = (label, w.label_font().bits(), w.label_size(), w.w(), w.h());
    if let Some(f) = cache.borrow().get(&key) {
        return *f;
    }
    fltk::draw::set_font(w.label_font(), w.label_size());
    let (tw, th) = fltk::draw::measure(&key.0, false);
    let fits = tw <= w.w() - 4 && th <= w.h();
    cache.borrow_mut().insert(key, fits);
    fits
}

impl Probe {
    pub fn from_env() -> Option<Probe> {
        let path = std::env::var_os("KACHING_GUI_PROBE")?;
        if path.is_empty() {
            return None;
        }
        Some(Probe {
            path: PathBuf::from(path),
            seq: std::cell::Cell::new(0),
            fits: RefCell::new(HashMap::new()),
        })
    }

    pub fn write(&self, view: &View, st: &Model, first_draw_ms: Option<f64>, paint: &[u64]) {
        self.seq.set(self.seq.get() + 1);
        let (wx, wy) = (view.window.x(), view.window.y());
        let mut widgets = Map::new();
        let mut texts = Map::new();
        for (id, w) in &view.reg.widgets {
            if !w.visible_r() {
                continue;
            }
            let label = w.label();
            widgets.insert(
                (*id).to_owned(),
                json!({
                    "x": wx + w.x(), "y": wy + w.y(), "w": w.w(), "h": w.h(),
                    "label": label, "active": w.active_r(),
                    "button": fltk::button::Button::from_dyn_widget(w).is_some(),
                    "fits": label_fits(w, &self.fits),
                }),
            );
            texts.insert((*id).to_owned(), Value::String(label));
        }
        for (id, i, secret) in &view.reg.inputs {
            if !i.visible_r() {
                continue;
            }
            let v = if *secret {
                "•".repeat(i.value().chars().count())
            } else {
                i.value()
            };
            texts.insert((*id).to_owned(), Value::String(v));
        }
        if st.screen == Screen::Payment {
            let url = st
                .payment
                .as_ref()
                .map(|p| p.url.clone())
                .unwrap_or_default();
            texts.insert("pay.url".into(), Value::String(url));
        }
        for (id, c) in [
            ("products.vat", &view.admin.product_vat),
            ("staff.role", &view.admin.staff_role),
        ] {
            if c.visible_r() {
                texts.insert(id.into(), Value::String(c.choice().unwrap_or_default()));
            }
        }
        let screen = match (st.screen, st.pane) {
            (Screen::Login, _) => "login",
            (Screen::Till, _) => "till",
            (Screen::Payment, _) => "payment",
            (Screen::Admin, Pane::Days) => "admin_days",
            (Screen::Admin, Pane::Report) => "admin_report",
            (Screen::Admin, Pane::Journal) => "admin_journal",
            (Screen::Admin, Pane::Products) => "admin_products",
            (Screen::Admin, Pane::Staff) => "admin_staff",
            (Screen::Admin, Pane::Drawer) => "admin_drawer",
            (Screen::Return, _) => "return",
        };
        // The alarm of a failed provider refund is above every overlay.
        let overlay = st.overlay.map(|o| match o {
            Overlay::Amount => "amount",
            Overlay::Choose => "choose_account",
            Overlay::CashChange => "cash_change",
            Overlay::Confirm => "confirm",
            Overlay::Keyboard => "keyboard",
            Overlay::Count => "count",
            Overlay::Discount => "discount",
            Overlay::Approval => "approval",
            Overlay::RefundCommit => "refund_commit",
            Overlay::Refunded => "refunded",
        });
        let overlay = if st.alarm().is_some() {
            Some("refund_alarm")
        } else {
            overlay
        };
        let list = match (st.screen, st.pane) {
            (Screen::Admin, Pane::Days) => Some(&view.admin.days_list),
            (Screen::Admin, Pane::Report) => Some(&view.admin.report_list),
            (Screen::Admin, Pane::Journal) => Some(&view.admin.journal_list),
            (Screen::Admin, Pane::Products) => Some(&view.admin.products_list),
            (Screen::Admin, Pane::Staff) => Some(&view.admin.staff_list),
            (Screen::Admin, Pane::Drawer) if view.admin.drawer_report.table.visible() => {
                Some(&view.admin.drawer_report)
            }
            (Screen::Admin, Pane::Drawer) => Some(&view.admin.drawer_history),
            (Screen::Return, _) => Some(&view.ret.table),
            _ => None,
        };
        let rows: Vec<String> = list
            .map(|l| l.rows().iter().map(|r| r.cells.join(" | ")).collect())
            .unwrap_or_default();
        let account = match st.account {
            crate::domain::Account::Main => "main",
            crate::domain::Account::Sub => "sub",
        };
        let cur = if account == "sub" { 1 } else { 0 };
        let lines: Vec<Value> = st.lines[cur]
            .iter()
            .map(|l| {
                json!({
                    "name": l.name, "qty": l.qty, "unit_cents": l.unit_cents.cents(),
                    "total_cents": l.total_cents.cents(), "kind": l.kind.as_str(),
                    "discount_cents": l.discount_cents.cents(),
                })
            })
            .collect();
        let doc = json!({
            "seq": self.seq.get(),
            "handled": st.handled,
            "screen": screen,
            "overlay": overlay,
            "window": {"x": wx, "y": wy, "w": view.window.w(), "h": view.window.h()},
            "widgets": widgets,
            "texts": texts,
            "basket": {
                "account": account,
                "lines": lines,
                "main_total_cents": st.main_total.cents(),
                "sub_total_cents": st.sub_total.cents(),
                "discount_cents": st.discount_total.cents(),
            },
            "rows": rows,
            "first_draw_ms": first_draw_ms,
            "scan_paint_us": paint,
            "rss_kb": rss_kb(),
        });
        let tmp = self.path.with_extension("tmp");
        let ok = serde_json::to_vec(&doc)
            .ok()
            .and_then(|bytes| std::fs::write(&tmp, bytes).ok())
            .and_then(|_| std::fs::rename(&tmp, &self.path).ok());
        if ok.is_none() {
            tracing::warn!(path = %self.path.display(), "could not write the GUI probe");
        }
    }
}
