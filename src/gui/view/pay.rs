//! The payment screen: the account and total being paid, the payment's status and the QR code
//! (with its URL) the customer scans.

use fltk::app::Sender;
use fltk::button::Button;
use fltk::enums::{Align, Color, Font, FrameType};
use fltk::frame::Frame;
use fltk::group::Flex;
use fltk::prelude::*;

use super::{column, flex};
use crate::gui::widgets::{QrView, Registry, Scale, action, colors, label};
use crate::gui::{Msg, Ui};

pub struct PayView {
    pub group: Flex,
    pub account: Frame,
    pub seller: Frame,
    pub total: Frame,
    pub status: Button,
    pub cancel: Button,
    pub url: Frame,
    pub qr: QrView,
    pub message: Frame,
}

pub(super) fn build(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    (x, y, w, h): (i32, i32, i32, i32),
    m: i32,
) -> PayView {
    let mut group = flex(x, y, w, h, false);
    group.set_margin(m * 2);
    group.set_pad(m * 2);
    let mut left = column();
    left.set_pad(m);
    let mut account = label(reg, "pay.account", "", sc.font(20), Align::Center);
    account.set_frame(FrameType::FlatBox);
    account.set_color(colors::MAIN);
    account.set_label_color(Color::White);
    account.set_label_font(Font::HelveticaBold);
    left.fixed(&account, sc.px(40));
    let seller = label(reg, "pay.seller", "", sc.font(18), Align::Left);
    left.fixed(&seller, sc.px(30));
    let t = label(
        reg,
        "pay.total_label",
        "TOTAL À RÉGLER",
        sc.font(20),
        Align::Left,
    );
    left.fixed(&t, sc.px(30));
    let mut total = label(reg, "pay.total", "", sc.font(48), Align::Left);
    total.set_label_font(Font::HelveticaBold);
    left.fixed(&total, sc.px(64));
    let mut message = label(reg, "pay.message", "", sc.font(15), Align::Left);
    message.set_align(Align::Left | Align::Inside | Align::Wrap);
    message.set_label_color(colors::DANGER);
    let status = action(
        reg,
        "pay.status",
        "EN ATTENTE DU PAIEMENT",
        sc.font(22),
        colors::PENDING,
        s,
        Msg::Ui(Ui::PayStatus),
    );
    left.fixed(&status, sc.px(80));
    let cancel = action(
        reg,
        "pay.cancel",
        "ANNULER",
        sc.font(20),
        colors::DANGER,
        s,
        Msg::Ui(Ui::PayCancel),
    );
    left.fixed(&cancel, sc.px(56));
    left.end();
    let mut right = column();
    let qr = QrView::new(reg, "pay.qr");
    let mut url = label(reg, "pay.url", "", sc.font(11), Align::Left);
    url.set_label_color(Color::from_rgb(0x55, 0x55, 0x55));
    right.fixed(&url, sc.px(18));
    right.end();
    group.fixed(&right, h - m * 4);
    group.end();
    PayView {
        group,
        account,
        seller,
        total,
        status,
        cancel,
        url,
        qr,
        message,
    }
}
