//! The denomination counter, an overlay: the float counted at a cashier's first login and the
//! cash counted for the Z. Thirteen buttons (500 € … 0,05 €, each showing how many were
//! counted), a keypad that types the number of pieces of the picked one, the total in large
//! type, « Valider » and « Plus tard » / « Annuler ».

use fltk::app::Sender;
use fltk::button::Button;
use fltk::enums::{Align, Color, Font, FrameType};
use fltk::frame::Frame;
use fltk::group::Group;
use fltk::prelude::*;

use super::{column, flex, keypad, overlay_box, row};
use crate::domain::cash_count::DENOMINATIONS;
use crate::gui::widgets::{Registry, Scale, action, button, colors, label};
use crate::gui::{Msg, Ui};

/// The probe ids of the denomination buttons, in [`DENOMINATIONS`]' order.
pub const DENOMINATION_IDS: [&str; DENOMINATIONS.len()] = [
    "count.d0",
    "count.d1",
    "count.d2",
    "count.d3",
    "count.d4",
    "count.d5",
    "count.d6",
    "count.d7",
    "count.d8",
    "count.d9",
    "count.d10",
    "count.d11",
    "count.d12",
];

/// Denomination buttons per row.
const PER_ROW: usize = 4;

pub struct CountView {
    pub group: Group,
    pub title: Frame,
    pub total: Frame,
    pub message: Frame,
    pub cancel: Button,
    pub pieces: Vec<Button>,
}

pub(super) fn build(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    w: i32,
    h: i32,
    m: i32,
) -> CountView {
    let ow = w - 2 * m;
    let oh = h - 2 * m;
    let (ox, oy) = (m, m);
    let mut group = overlay_box(ox, oy, ow, oh);
    let mut inner = flex(ox + m, oy + m, ow - 2 * m, oh - 2 * m, true);
    inner.set_pad(m / 2);
    let mut title = label(reg, "count.title", "", sc.font(18), Align::Center);
    title.set_label_font(Font::HelveticaBold);
    inner.fixed(&title, sc.px(26));

    let mut body = row();
    body.set_pad(m);
    let mut left = column();
    left.set_pad(m / 2);
    let mut pieces = Vec::new();
    for chunk in DENOMINATION_IDS.chunks(PER_ROW) {
        let mut line = row();
        line.set_pad(m / 2);
        for id in chunk {
            let i = DENOMINATION_IDS.iter().position(|x| x == id).unwrap_or(0);
            let b = button(reg, id, "", sc.font(16), s, Msg::Ui(Ui::CountPick(i)));
            pieces.push(b);
        }
        // The last row keeps the buttons the same width as the others.
        for _ in chunk.len()..PER_ROW {
            Frame::default();
        }
        line.end();
    }
    let mut total = label(reg, "count.total", "", sc.font(26), Align::Right);
    total.set_frame(FrameType::DownBox);
    total.set_color(Color::White);
    total.set_label_font(Font::HelveticaBold);
    left.fixed(&total, sc.px(44));
    let mut message = label(reg, "count.message", "", sc.font(13), Align::Left);
    message.set_label_color(colors::DANGER);
    left.fixed(&message, sc.px(18));
    left.end();
    let _pad = keypad(
        reg,
        s,
        sc,
        &[
            "count.1",
            "count.2",
            "count.3",
            "count.4",
            "count.5",
            "count.6",
            "count.7",
            "count.8",
            "count.9",
            "count.clear",
            "count.0",
            "count.back",
        ],
        Ui::CountKey,
        Some(Ui::CountClear),
        Ui::CountBack,
        m / 2,
    );
    body.fixed(&_pad, sc.px(260).min(ow / 3));
    body.end();

    let mut brow = row();
    brow.set_pad(m);
    let cancel = action(
        reg,
        "count.cancel",
        "",
        sc.font(18),
        colors::DANGER,
        s,
        Msg::Ui(Ui::CountCancel),
    );
    action(
        reg,
        "count.ok",
        "Valider",
        sc.font(18),
        colors::SUB,
        s,
        Msg::Ui(Ui::CountOk),
    );
    brow.end();
    inner.fixed(&brow, sc.px(56));
    inner.end();
    group.end();
    group.hide();
    CountView {
        group,
        title,
        total,
        message,
        cancel,
        pieces,
    }
}
