//! « Retour »: the return screen (the ticket field, the original's lines — each with what it
//! cost under its name — a keypad for the picked line's quantity, the amount to give back) and its overlays: the last step (tender and
//! reason), the amount given back shown large, and the alarm of a provider refund that failed.

use fltk::app::Sender;
use fltk::button::Button;
use fltk::enums::{Align, Color, Font, FrameType};
use fltk::frame::Frame;
use fltk::group::{Flex, Group};
use fltk::input::Input;
use fltk::prelude::*;

use super::{centered_overlay, column, flex, keypad, overlay_box, reason_rows, row};
use crate::domain::refund::RefundTender;
use crate::gui::model::REFUND_REASONS;
use crate::gui::widgets::{ListView, Registry, Scale, action, button, colors, input, label};
use crate::gui::{KbdTarget, ListId, Msg, Ui};

/// The probe ids of the preset reasons, in [`REFUND_REASONS`]' order.
pub const REASON_IDS: [&str; REFUND_REASONS.len()] = [
    "refund.reason0",
    "refund.reason1",
    "refund.reason2",
    "refund.reason3",
];

pub struct ReturnView {
    pub group: Flex,
    pub ticket: Input,
    pub info: Frame,
    pub message: Frame,
    pub table: ListView,
    pub amount: Frame,
    pub qty_label: Frame,
    pub qty: Frame,
}

pub struct RefundCommitView {
    pub group: Group,
    pub title: Frame,
    pub due: Frame,
    pub tenders: Vec<(RefundTender, Button)>,
    pub reasons: Vec<Button>,
    pub reason: Frame,
    pub message: Frame,
}

pub struct RefundedView {
    pub group: Group,
    pub title: Frame,
    pub amount: Frame,
    pub detail: Frame,
}

pub struct AlarmView {
    pub group: Group,
    pub text: Frame,
}

pub(super) fn build(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    (x, y, w, h): (i32, i32, i32, i32),
    m: i32,
) -> ReturnView {
    let mut group = flex(x, y, w, h, false);
    group.set_margin(m);
    group.set_pad(m);
    let mut left = column();
    left.set_pad(m / 2);
    let mut head = row();
    head.set_pad(m / 2);
    let mut title = label(reg, "ret.title", "RETOUR", sc.font(18), Align::Center);
    title.set_frame(FrameType::FlatBox);
    title.set_color(colors::DISCOUNT);
    title.set_label_color(Color::White);
    title.set_label_font(Font::HelveticaBold);
    head.fixed(&title, sc.px(110));
    let mut ticket = input(reg, "ret.ticket", sc.font(22), false);
    ticket.set_trigger(fltk::enums::CallbackTrigger::EnterKeyAlways);
    ticket.emit(*s, Msg::Ui(Ui::ReturnFind));
    let kb = button(
        reg,
        "ret.keyboard",
        "⌨",
        sc.font(24),
        s,
        Msg::Ui(Ui::Keyboard(KbdTarget::ReturnTicket)),
    );
    head.fixed(&kb, sc.px(52));
    let find = action(
        reg,
        "ret.find",
        "Chercher",
        sc.font(17),
        colors::MAIN,
        s,
        Msg::Ui(Ui::ReturnFind),
    );
    head.fixed(&find, sc.px(112));
    head.end();
    left.fixed(&head, sc.px(52));
    let info = label(reg, "ret.info", "", sc.font(14), Align::Left);
    left.fixed(&info, sc.px(20));
    let mut message = label(reg, "ret.message", "", sc.font(14), Align::Left);
    message.set_label_color(colors::DANGER);
    left.fixed(&message, sc.px(20));
    let table = ListView::new(
        reg,
        "ret.table",
        &[
            ("Article", 4.2, Align::Left),
            ("Vendu", 1.4, Align::Right),
            ("Rendu", 1.4, Align::Right),
            ("Reste", 1.4, Align::Right),
            ("Retour", 1.6, Align::Right),
        ],
        sc,
        s,
        Msg::Ui(Ui::Select(ListId::Refund)),
    )
    .with_notes();
    let _ = &table;
    let mut bottom = row();
    bottom.set_pad(m);
    let cancel = action(
        reg,
        "ret.cancel",
        "Annuler",
        sc.font(18),
        colors::DANGER,
        s,
        Msg::Ui(Ui::ReturnCancel),
    );
    bottom.fixed(&cancel, sc.px(120));
    let mut amount = label(reg, "ret.amount", "", sc.font(22), Align::Center);
    amount.set_label_font(Font::HelveticaBold);
    amount.set_label_color(colors::DISCOUNT);
    let next = action(
        reg,
        "ret.next",
        "Rembourser…",
        sc.font(18),
        colors::SUB,
        s,
        Msg::Ui(Ui::ReturnNext),
    );
    bottom.fixed(&next, sc.px(160));
    bottom.end();
    left.fixed(&bottom, sc.px(56));
    left.end();

    let mut right = column();
    right.set_pad(m / 2);
    let qty_label = label(reg, "ret.qty_label", "", sc.font(14), Align::Left);
    right.fixed(&qty_label, sc.px(20));
    let mut qty = label(reg, "ret.qty", "", sc.font(28), Align::Right);
    qty.set_frame(FrameType::DownBox);
    qty.set_color(Color::White);
    qty.set_label_font(Font::HelveticaBold);
    right.fixed(&qty, sc.px(46));
    let _pad = keypad(
        reg,
        s,
        sc,
        &[
            "ret.1",
            "ret.2",
            "ret.3",
            "ret.4",
            "ret.5",
            "ret.6",
            "ret.7",
            "ret.8",
            "ret.9",
            "ret.clear",
            "ret.0",
            "ret.back",
        ],
        Ui::ReturnKey,
        Some(Ui::ReturnClear),
        Ui::ReturnBack,
        m / 2,
    );
    let mut set = row();
    set.set_pad(m / 2);
    button(
        reg,
        "ret.all",
        "Tout",
        sc.font(18),
        s,
        Msg::Ui(Ui::ReturnAll),
    );
    action(
        reg,
        "ret.qty_ok",
        "OK",
        sc.font(20),
        colors::MAIN,
        s,
        Msg::Ui(Ui::ReturnQtyOk),
    );
    set.end();
    right.fixed(&set, sc.px(56));
    right.end();
    group.fixed(&right, sc.px(230));
    group.end();
    group.hide();
    ReturnView {
        group,
        ticket,
        info,
        message,
        table,
        amount,
        qty_label,
        qty,
    }
}

pub(super) fn build_commit(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    w: i32,
    h: i32,
    m: i32,
) -> RefundCommitView {
    let (ox, oy, ow, oh) = (m, m, w - 2 * m, h - 2 * m);
    let mut group = overlay_box(ox, oy, ow, oh);
    let mut inner = flex(ox + m, oy + m, ow - 2 * m, oh - 2 * m, true);
    inner.set_pad(m / 2);
    let mut title = label(reg, "refund.title", "", sc.font(17), Align::Center);
    title.set_label_font(Font::HelveticaBold);
    inner.fixed(&title, sc.px(26));
    let mut due = label(reg, "refund.due", "", sc.font(24), Align::Center);
    due.set_label_font(Font::HelveticaBold);
    due.set_label_color(colors::DISCOUNT);
    inner.fixed(&due, sc.px(40));
    let mut trow = row();
    trow.set_pad(m);
    let mut tenders = Vec::new();
    for (tender, id) in [
        (RefundTender::Cash, "refund.cash"),
        (RefundTender::Original, "refund.original"),
    ] {
        let b = button(
            reg,
            id,
            "",
            sc.font(18),
            s,
            Msg::Ui(Ui::RefundTender(tender)),
        );
        tenders.push((tender, b));
    }
    trow.end();
    inner.fixed(&trow, sc.px(56));
    let (reasons, reason) = reason_rows(
        reg,
        s,
        sc,
        m,
        &mut inner,
        &REASON_IDS,
        Ui::RefundReason,
        ("refund.reason", "refund.keyboard"),
        KbdTarget::RefundReason,
    );
    let mut message = label(reg, "refund.message", "", sc.font(14), Align::Left);
    message.set_align(Align::Left | Align::Top | Align::Inside | Align::Wrap);
    message.set_label_color(colors::DANGER);
    let mut brow = row();
    brow.set_pad(m);
    button(
        reg,
        "refund.back",
        "Retour",
        sc.font(18),
        s,
        Msg::Ui(Ui::RefundBack),
    );
    action(
        reg,
        "refund.ok",
        "Rembourser",
        sc.font(20),
        colors::SUB,
        s,
        Msg::Ui(Ui::RefundOk),
    );
    brow.end();
    inner.fixed(&brow, sc.px(56));
    inner.end();
    group.end();
    group.hide();
    RefundCommitView {
        group,
        title,
        due,
        tenders,
        reasons,
        reason,
        message,
    }
}

pub(super) fn build_refunded(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    w: i32,
    h: i32,
    m: i32,
) -> RefundedView {
    let (mut group, mut inner) = centered_overlay(sc, w, h, m, 560, 300);
    let mut title = label(reg, "refunded.title", "", sc.font(22), Align::Center);
    title.set_label_font(Font::HelveticaBold);
    inner.fixed(&title, sc.px(34));
    let mut amount = label(reg, "refunded.amount", "", sc.font(60), Align::Center);
    amount.set_label_font(Font::HelveticaBold);
    amount.set_label_color(colors::DISCOUNT);
    let mut detail = label(reg, "refunded.detail", "", sc.font(15), Align::Center);
    detail.set_align(Align::Center | Align::Inside | Align::Wrap | Align::Clip);
    inner.fixed(&detail, sc.px(40));
    let ok = action(
        reg,
        "refunded.ok",
        "OK",
        sc.font(22),
        colors::MAIN,
        s,
        Msg::Ui(Ui::RefundedOk),
    );
    inner.fixed(&ok, sc.px(60));
    inner.end();
    group.end();
    group.hide();
    RefundedView {
        group,
        title,
        amount,
        detail,
    }
}

/// The alarm: red, above everything (the overlays included) until acknowledged.
pub(super) fn build_alarm(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    w: i32,
    h: i32,
    m: i32,
) -> AlarmView {
    let (mut group, mut inner) = centered_overlay(sc, w, h, m, 640, 320);
    group.set_color(colors::DANGER);
    let mut title = label(reg, "alarm.title", "", sc.font(24), Align::Center);
    title.set_label_font(Font::HelveticaBold);
    title.set_label_color(Color::White);
    inner.fixed(&title, sc.px(40));
    let mut text = label(reg, "alarm.text", "", sc.font(18), Align::Center);
    text.set_align(Align::Center | Align::Inside | Align::Wrap);
    text.set_label_color(Color::White);
    let mut ok = button(reg, "alarm.ok", "", sc.font(20), s, Msg::Ui(Ui::AlarmOk));
    ok.set_label_font(Font::HelveticaBold);
    inner.fixed(&ok, sc.px(60));
    inner.end();
    group.end();
    group.hide();
    AlarmView { group, text }
}
