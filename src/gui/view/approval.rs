//! The manager's approval, an overlay above whatever asked for it: what is asked, the manager's
//! ID and PIN (two fields, touched to choose which one the keypad types; the PIN shown as dots),
//! the refusal of a wrong try, the login's keypad, « Annuler » and « OK ».

use fltk::app::Sender;
use fltk::button::Button;
use fltk::enums::{Align, Color, Font, FrameType};
use fltk::frame::Frame;
use fltk::group::Group;
use fltk::prelude::*;

use super::{column, keypad, row, tall_overlay};
use crate::gui::widgets::{Registry, Scale, action, button, colors, label};
use crate::gui::{Msg, Ui};

pub struct ApprovalView {
    pub group: Group,
    pub title: Frame,
    pub detail: Frame,
    pub id: Button,
    pub pin: Button,
    pub message: Frame,
}

/// A button that looks like a text field (touched, the keypad types into it).
fn field(reg: &mut Registry, id: &'static str, sc: Scale, s: &Sender<Msg>, msg: Msg) -> Button {
    let mut b = button(reg, id, "", sc.font(26), s, msg);
    b.set_frame(FrameType::DownBox);
    b.set_color(Color::White);
    b.set_align(Align::Left | Align::Inside | Align::Clip);
    b
}

pub(super) fn build(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    w: i32,
    h: i32,
    m: i32,
) -> ApprovalView {
    let (mut group, mut inner) = tall_overlay(sc, w, h, m, 720);
    let mut title = label(reg, "approve.title", "", sc.font(20), Align::Center);
    title.set_label_font(Font::HelveticaBold);
    title.set_label_color(colors::DISCOUNT);
    inner.fixed(&title, sc.px(30));
    let mut detail = label(reg, "approve.detail", "", sc.font(15), Align::Center);
    detail.set_align(Align::Center | Align::Inside | Align::Wrap | Align::Clip);
    inner.fixed(&detail, sc.px(44));

    let mut body = row();
    body.set_pad(m);
    let mut left = column();
    left.set_pad(m / 2);
    let l = label(reg, "approve.id_label", "", sc.font(16), Align::Left);
    left.fixed(&l, sc.px(22));
    let id = field(reg, "approve.id", sc, s, Msg::Ui(Ui::ApproveId));
    left.fixed(&id, sc.px(52));
    let l = label(reg, "approve.pin_label", "", sc.font(16), Align::Left);
    left.fixed(&l, sc.px(22));
    let pin = field(reg, "approve.pin", sc, s, Msg::Ui(Ui::ApprovePin));
    left.fixed(&pin, sc.px(52));
    let mut message = label(reg, "approve.message", "", sc.font(15), Align::Left);
    message.set_align(Align::Left | Align::Top | Align::Inside | Align::Wrap);
    message.set_label_color(colors::DANGER);
    left.end();
    let pad = keypad(
        reg,
        s,
        sc,
        &[
            "approve.1",
            "approve.2",
            "approve.3",
            "approve.4",
            "approve.5",
            "approve.6",
            "approve.7",
            "approve.8",
            "approve.9",
            "approve.clear",
            "approve.0",
            "approve.back",
        ],
        Ui::ApproveKey,
        Some(Ui::ApproveClear),
        Ui::ApproveBack,
        m / 2,
    );
    body.fixed(&pad, sc.px(280).min(group.w() / 2));
    body.end();

    let mut brow = row();
    brow.set_pad(m);
    action(
        reg,
        "approve.cancel",
        "Annuler",
        sc.font(18),
        colors::DANGER,
        s,
        Msg::Ui(Ui::ApproveCancel),
    );
    action(
        reg,
        "approve.ok",
        "OK",
        sc.font(20),
        colors::SUB,
        s,
        Msg::Ui(Ui::ApproveOk),
    );
    brow.end();
    inner.fixed(&brow, sc.px(56));
    inner.end();
    group.end();
    group.hide();
    ApprovalView {
        group,
        title,
        detail,
        id,
        pin,
        message,
    }
}
