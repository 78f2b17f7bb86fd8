//! Draws a [`Model`] onto the widgets: one renderer per screen (`till.rs` for the login, till
//! and payment screens and their overlays, `admin.rs` for the admin's panes, `labels.rs` for the
//! fixed words of every screen), all idempotent — a label is set only when its text changed, a
//! list is refilled only when its revision moved — so drawing after every message costs little
//! (the scan → repaint time is measured in docs/BENCHMARKS.md).
//!
//! Also the other direction, [`read_fields`]: what the person typed into the widgets, copied
//! into the model before each update.

mod admin;
mod counter;
mod labels;
mod till;

use fltk::enums::Color;
use fltk::prelude::*;

use super::model::{Field, Model, Overlay, Pane, RowTone, Screen};
use super::view::View;
use super::widgets::{self, colors};
use crate::i18n::Lang;

/// What was last drawn, so that only changes are drawn again.
#[derive(Default)]
pub struct Drawn {
    screen: Option<Screen>,
    pane: Option<Pane>,
    overlay: Option<Option<Overlay>>,
    lang: Option<Lang>,
    basket_rev: Option<u64>,
    lists: [Option<u64>; 5],
    /// The « Caisse » pane's report and past Zs.
    drawer_lists: [Option<u64>; 2],
    qr_url: Option<String>,
    kbd_shift: Option<bool>,
    /// The return's list.
    return_rev: Option<u64>,
    /// Whether the alarm was shown.
    alarm: Option<bool>,
}

pub(super) fn set_label<W: WidgetExt>(w: &mut W, text: &str) {
    if w.label() != text {
        w.set_label(text);
        w.redraw();
        if let Some(mut p) = w.parent() {
            p.redraw();
        }
    }
}

fn set_color<W: WidgetExt>(w: &mut W, c: Color) {
    // Compared as RGB: FLTK may hand back an indexed colour for the same shade.
    if w.color().to_rgb() != c.to_rgb() {
        w.set_color(c);
        w.redraw();
    }
}

fn set_label_color<W: WidgetExt>(w: &mut W, c: Color) {
    if w.label_color().to_rgb() != c.to_rgb() {
        w.set_label_color(c);
        w.redraw();
    }
}

fn set_value(i: &mut fltk::input::Input, v: &str) {
    if i.value() != v {
        i.set_value(v);
    }
}

fn set_visible<W: WidgetExt>(w: &mut W, on: bool) -> bool {
    if w.visible() == on {
        return false;
    }
    if on {
        w.show();
    } else {
        w.hide();
    }
    true
}

fn set_active<W: WidgetExt>(w: &mut W, on: bool) {
    if w.active() != on {
        if on {
            w.activate();
        } else {
            w.deactivate();
        }
    }
}

fn rows(list: &super::model::List) -> Vec<widgets::Row> {
    list.rows
        .iter()
        .map(|r| widgets::Row {
            cells: r.cells.clone(),
            color: match r.tone {
                RowTone::Plain => None,
                RowTone::Withdrawal => Some(colors::WITHDRAWAL),
                RowTone::Disabled => widgets::Row::greyed_unless(false),
                RowTone::Total => Some(Color::from_rgb(0x10, 0x10, 0x10)),
                RowTone::Picked => Some(colors::SUB),
                RowTone::Refund => Some(colors::REFUND),
            },
        })
        .collect()
}

/// Refills `table` when the list's revision moved since it was last drawn.
fn draw_list(table: &mut widgets::ListView, list: &super::model::List, drawn: &mut Option<u64>) {
    if *drawn != Some(list.rev) {
        table.set_rows(rows(list), list.selected);
        *drawn = Some(list.rev);
    }
}

/// Lays out the flexes of a group that was hidden until now (a hidden flex keeps stale sizes,
/// and the probe must report where the buttons really are).
fn relayout(g: &fltk::group::Group) {
    for i in 0..g.children() {
        if let Some(f) = g
            .child(i)
            .and_then(|c| fltk::group::Flex::from_dyn_widget(&c))
        {
            f.layout();
        }
    }
}

pub fn account_color(a: crate::domain::Account) -> Color {
    match a {
        crate::domain::Account::Main => colors::MAIN,
        crate::domain::Account::Sub => colors::SUB,
    }
}

/// Draws everything the model shows.
pub fn render(m: &Model, v: &mut View, d: &mut Drawn) {
    write_fields(m, v);
    if d.lang != Some(m.lang) {
        labels::relabel(m, v);
        d.lang = Some(m.lang);
    }
    screens(m, v, d);
    till::login(m, v);
    till::till(m, v, d);
    till::payment(m, v, d);
    till::overlays(m, v, d);
    counter::render(m, v, d);
    status(m, v);
    if m.screen == Screen::Admin {
        admin::admin(m, v, d);
    }
}

fn screens(m: &Model, v: &mut View, d: &mut Drawn) {
    if d.screen != Some(m.screen) {
        for (s, g) in [
            (Screen::Login, &mut v.login.group),
            (Screen::Till, &mut v.till.group),
            (Screen::Payment, &mut v.pay.group),
            (Screen::Admin, &mut v.admin.group),
            (Screen::Return, &mut v.ret.group),
        ] {
            if s == m.screen {
                g.show();
                g.layout();
            } else {
                g.hide();
            }
        }
        d.screen = Some(m.screen);
        // A pane shown again is laid out again.
        d.pane = None;
        v.window.redraw();
    }
    let alarm = m.alarm().is_some();
    if d.overlay != Some(m.overlay) || d.alarm != Some(alarm) {
        for (o, g) in overlay_groups(v) {
            if Some(o) == m.overlay {
                g.show();
                relayout(g);
            } else {
                g.hide();
            }
            // The alarm is above everything: nothing under it can be touched.
            set_active(g, !alarm);
        }
        if alarm {
            v.alarm.group.show();
            relayout(&v.alarm.group);
        } else {
            v.alarm.group.hide();
        }
        set_active(&mut v.base, m.overlay.is_none() && !alarm);
        d.overlay = Some(m.overlay);
        d.alarm = Some(alarm);
        v.window.redraw();
    }
}

/// Every overlay's group (the alarm apart).
fn overlay_groups(v: &mut View) -> [(Overlay, &mut fltk::group::Group); 10] {
    [
        (Overlay::Amount, &mut v.amount.group),
        (Overlay::Choose, &mut v.choose.group),
        (Overlay::CashChange, &mut v.change.group),
        (Overlay::Confirm, &mut v.confirm.group),
        (Overlay::Count, &mut v.count.group),
        (Overlay::Keyboard, &mut v.keyboard.group),
        (Overlay::Discount, &mut v.discount.group),
        (Overlay::Approval, &mut v.approval.group),
        (Overlay::RefundCommit, &mut v.refund_commit.group),
        (Overlay::Refunded, &mut v.refunded.group),
    ]
}

/// The open overlay, redrawn (a widget under it may have repainted over it).
pub fn redraw_overlay(m: &Model, v: &mut View) {
    if let Some(o) = m.overlay
        && let Some((_, g)) = overlay_groups(v).into_iter().find(|(x, _)| *x == o)
    {
        g.redraw();
    }
    if m.alarm().is_some() {
        v.alarm.group.redraw();
    }
}

fn status(m: &Model, v: &mut View) {
    let s = &mut v.status;
    set_label(&mut s.clock, &m.clock_text());
    let net = m.network_text();
    let net_color = match m.network {
        super::model::Network::Unusable => Color::from_rgb(0xff, 0x8a, 0x80),
        super::model::Network::Sync { parked, .. } if parked > 0 => {
            Color::from_rgb(0xff, 0xd1, 0x80)
        }
        super::model::Network::Sync {
            online: Some(false),
            ..
        } => Color::from_rgb(0xff, 0x8a, 0x80),
        _ => colors::BAR_TEXT,
    };
    set_label_color(&mut s.network, net_color);
    set_label(&mut s.network, &net);
    set_label(&mut s.printer, &m.printer_text());
    let (failed, reason) = match &m.printer {
        super::model::PrinterState::Failed { reason, .. } => (true, reason.as_str()),
        _ => (false, ""),
    };
    if s.printer.tooltip().unwrap_or_default() != reason {
        s.printer.set_tooltip(reason);
    }
    if set_visible(&mut s.reprint, failed) {
        s.group.layout();
        s.group.redraw();
    }
    set_label(&mut s.banner, &m.banner_text());
}

/// Copies what the widgets hold (typed text, choices, selected rows, the focus) into the model.
pub fn read_fields(m: &mut Model, v: &mut View) {
    let f = &mut m.fields;
    f.login_id = v.login.id.value();
    f.login_pin = v.login.pin.value();
    f.article = v.till.article.value();
    let a = &mut v.admin;
    f.journal_from = a.journal_from.value();
    f.journal_to = a.journal_to.value();
    f.product_code = a.product_code.value();
    f.product_barcode = a.product_barcode.value();
    f.product_name = a.product_name.value();
    f.product_price = a.product_price.value();
    f.product_vat = usize::try_from(a.product_vat.value()).unwrap_or(0);
    f.import_path = a.import_path.value();
    f.staff_id = a.staff_id.value();
    f.staff_name = a.staff_name.value();
    f.staff_pin = a.staff_pin.value();
    f.staff_role = usize::try_from(a.staff_role.value()).unwrap_or(0);
    f.staff_lang = usize::try_from(a.staff_lang.value()).unwrap_or(0);
    f.basket_sel = v.till.table.selected();
    f.days_sel = a.days_list.selected();
    f.products_sel = a.products_list.selected();
    f.staff_sel = a.staff_list.selected();
    f.drawer_reason = a.drawer_reason.value();
    f.drawer_sel = a.drawer_history.selected();
    f.return_ticket = v.ret.ticket.value();
    f.refund_sel = v.ret.table.selected();
    f.focus = if v.login.pin.has_focus() {
        Some(Field::LoginPin)
    } else if v.login.id.has_focus() {
        Some(Field::LoginId)
    } else if v.till.article.has_focus() {
        Some(Field::Article)
    } else if v.ret.ticket.has_focus() {
        Some(Field::ReturnTicket)
    } else {
        None
    };
}

/// Writes the model's fields back where they differ from the widgets.
fn write_fields(m: &Model, v: &mut View) {
    let f = &m.fields;
    set_value(&mut v.login.id, &f.login_id);
    set_value(&mut v.login.pin, &f.login_pin);
    set_value(&mut v.till.article, &f.article);
    set_value(&mut v.ret.ticket, &f.return_ticket);
    let a = &mut v.admin;
    set_value(&mut a.journal_from, &f.journal_from);
    set_value(&mut a.journal_to, &f.journal_to);
    set_value(&mut a.product_code, &f.product_code);
    set_value(&mut a.product_barcode, &f.product_barcode);
    set_value(&mut a.product_name, &f.product_name);
    set_value(&mut a.product_price, &f.product_price);
    set_value(&mut a.import_path, &f.import_path);
    set_value(&mut a.staff_id, &f.staff_id);
    set_value(&mut a.staff_name, &f.staff_name);
    set_value(&mut a.staff_pin, &f.staff_pin);
    set_value(&mut a.drawer_reason, &f.drawer_reason);
    for (c, i) in [
        (&mut a.product_vat, f.product_vat),
        (&mut a.staff_role, f.staff_role),
        (&mut a.staff_lang, f.staff_lang),
    ] {
        let i = i as i32;
        if c.value() != i {
            c.set_value(i);
        }
    }
}

/// The widget a field is (`None` for the reasons, which the dialogs show in a frame).
pub fn input_of(v: &mut View, f: Field) -> Option<&mut fltk::input::Input> {
    let a = &mut v.admin;
    Some(match f {
        Field::LoginId => &mut v.login.id,
        Field::LoginPin => &mut v.login.pin,
        Field::Article => &mut v.till.article,
        Field::JournalFrom => &mut a.journal_from,
        Field::JournalTo => &mut a.journal_to,
        Field::ProductCode => &mut a.product_code,
        Field::ProductBarcode => &mut a.product_barcode,
        Field::ProductName => &mut a.product_name,
        Field::ProductPrice => &mut a.product_price,
        Field::ImportPath => &mut a.import_path,
        Field::StaffId => &mut a.staff_id,
        Field::StaffName => &mut a.staff_name,
        Field::StaffPin => &mut a.staff_pin,
        Field::DrawerReason => &mut a.drawer_reason,
        Field::ReturnTicket => &mut v.ret.ticket,
        Field::DiscountReason | Field::RefundReason => return None,
    })
}
