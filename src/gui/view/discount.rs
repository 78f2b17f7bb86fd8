//! The discount dialog, an overlay over the till: what it applies to (the line, the basket),
//! how (− %, − €, a new price), the value on a keypad, the preset reasons and the reason typed on
//! the on-screen keyboard, « Annuler », « Retirer la remise », « Valider ».

use fltk::app::Sender;
use fltk::button::Button;
use fltk::enums::{Align, Color, Font, FrameType};
use fltk::frame::Frame;
use fltk::group::Group;
use fltk::prelude::*;

use super::{column, flex, keypad, overlay_box, reason_rows, row, spacer};
use crate::gui::model::{DISCOUNT_REASONS, DiscountKind};
use crate::gui::widgets::{Registry, Scale, action, button, colors, label};
use crate::gui::{KbdTarget, Msg, Ui};

/// The probe ids of the preset reasons, in [`DISCOUNT_REASONS`]' order.
pub const REASON_IDS: [&str; DISCOUNT_REASONS.len()] = [
    "discount.reason0",
    "discount.reason1",
    "discount.reason2",
    "discount.reason3",
];

pub struct DiscountView {
    pub group: Group,
    pub title: Frame,
    pub on_line: Button,
    pub on_basket: Button,
    pub kinds: Vec<(DiscountKind, Button)>,
    pub value: Frame,
    pub reasons: Vec<Button>,
    pub reason: Frame,
    pub message: Frame,
    pub remove: Button,
}

pub(super) fn build(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    w: i32,
    h: i32,
    m: i32,
) -> DiscountView {
    let (ox, oy, ow, oh) = (m, m, w - 2 * m, h - 2 * m);
    let mut group = overlay_box(ox, oy, ow, oh);
    let mut inner = flex(ox + m, oy + m, ow - 2 * m, oh - 2 * m, true);
    inner.set_pad(m / 2);
    let mut title = label(reg, "discount.title", "", sc.font(18), Align::Center);
    title.set_label_font(Font::HelveticaBold);
    inner.fixed(&title, sc.px(26));

    let mut body = row();
    body.set_pad(m);
    let mut left = column();
    left.set_pad(m / 2);
    let mut how = row();
    how.set_pad(m / 2);
    let bsize = sc.font(17);
    let on_line = button(
        reg,
        "discount.line",
        "",
        bsize,
        s,
        Msg::Ui(Ui::DiscountOnLine),
    );
    let on_basket = button(
        reg,
        "discount.basket",
        "",
        bsize,
        s,
        Msg::Ui(Ui::DiscountOnBasket),
    );
    let gap = spacer();
    how.fixed(&gap, m);
    let mut kinds = Vec::new();
    for (kind, id, text) in [
        (DiscountKind::Percent, "discount.percent", "− %"),
        (DiscountKind::Amount, "discount.amount", "− €"),
        (DiscountKind::Price, "discount.price", ""),
    ] {
        let b = button(reg, id, text, bsize, s, Msg::Ui(Ui::DiscountKind(kind)));
        kinds.push((kind, b));
    }
    how.end();
    left.fixed(&how, sc.px(52));
    let mut value = label(reg, "discount.value", "", sc.font(28), Align::Right);
    value.set_frame(FrameType::DownBox);
    value.set_color(Color::White);
    value.set_label_font(Font::HelveticaBold);
    left.fixed(&value, sc.px(46));
    let (reasons, reason) = reason_rows(
        reg,
        s,
        sc,
        m,
        &mut left,
        &REASON_IDS,
        Ui::DiscountReason,
        ("discount.reason", "discount.keyboard"),
        KbdTarget::DiscountReason,
    );
    let mut message = label(reg, "discount.message", "", sc.font(14), Align::Left);
    message.set_align(Align::Left | Align::Top | Align::Inside | Align::Wrap);
    message.set_label_color(colors::DANGER);
    left.end();
    let pad = keypad(
        reg,
        s,
        sc,
        &[
            "discount.1",
            "discount.2",
            "discount.3",
            "discount.4",
            "discount.5",
            "discount.6",
            "discount.7",
            "discount.8",
            "discount.9",
            "discount.comma",
            "discount.0",
            "discount.back",
        ],
        Ui::DiscountKey,
        None,
        Ui::DiscountBack,
        m / 2,
    );
    body.fixed(&pad, sc.px(250).min(ow / 3));
    body.end();

    let mut brow = row();
    brow.set_pad(m);
    action(
        reg,
        "discount.cancel",
        "Annuler",
        sc.font(18),
        colors::DANGER,
        s,
        Msg::Ui(Ui::DiscountCancel),
    );
    let remove = button(
        reg,
        "discount.remove",
        "Retirer la remise",
        sc.font(17),
        s,
        Msg::Ui(Ui::DiscountRemove),
    );
    action(
        reg,
        "discount.ok",
        "Valider",
        sc.font(18),
        colors::SUB,
        s,
        Msg::Ui(Ui::DiscountOk),
    );
    brow.end();
    inner.fixed(&brow, sc.px(56));
    inner.end();
    group.end();
    group.hide();
    DiscountView {
        group,
        title,
        on_line,
        on_basket,
        kinds,
        value,
        reasons,
        reason,
        message,
        remove,
    }
}
