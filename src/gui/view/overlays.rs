//! The overlays shown above the screens: the amount keypad, the choice of which account to pay
//! first, the change to give back, and the yes/no confirmation.

use fltk::app::Sender;
use fltk::button::Button;
use fltk::enums::{Align, Color, Font, FrameType};
use fltk::frame::Frame;
use fltk::group::Group;
use fltk::prelude::*;

use super::{centered_overlay, flex, keypad, overlay_box, row, tall_overlay};
use crate::domain::Account;
use crate::gui::widgets::{Registry, Scale, action, button, colors, label};
use crate::gui::{Msg, Ui};

pub struct AmountView {
    pub group: Group,
    pub title: Frame,
    pub value: Frame,
    pub message: Frame,
}

pub struct ChooseView {
    pub group: Group,
    pub main: Button,
    pub sub: Button,
}

pub struct ChangeView {
    pub group: Group,
    pub change: Frame,
    pub detail: Frame,
}

pub struct ConfirmView {
    pub group: Group,
    pub question: Frame,
}

pub(super) fn build_amount(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    w: i32,
    h: i32,
    m: i32,
) -> AmountView {
    let (mut group, mut inner) = tall_overlay(sc, w, h, m, 420);
    let mut title = label(reg, "amount.title", "", sc.font(18), Align::Center);
    title.set_label_font(Font::HelveticaBold);
    inner.fixed(&title, sc.px(26));
    let mut value = label(reg, "amount.value", "0,00 €", sc.font(30), Align::Right);
    value.set_frame(FrameType::DownBox);
    value.set_color(Color::White);
    value.set_label_font(Font::HelveticaBold);
    inner.fixed(&value, sc.px(48));
    let mut message = label(reg, "amount.message", "", sc.font(13), Align::Left);
    message.set_label_color(colors::DANGER);
    inner.fixed(&message, sc.px(18));
    let _pad = keypad(
        reg,
        s,
        sc,
        &[
            "amount.1",
            "amount.2",
            "amount.3",
            "amount.4",
            "amount.5",
            "amount.6",
            "amount.7",
            "amount.8",
            "amount.9",
            "amount.comma",
            "amount.0",
            "amount.back",
        ],
        Ui::AmountKey,
        None,
        Ui::AmountBack,
        m / 2,
    );
    let mut brow = row();
    brow.set_pad(m);
    action(
        reg,
        "amount.cancel",
        "Annuler",
        sc.font(18),
        colors::DANGER,
        s,
        Msg::Ui(Ui::AmountCancel),
    );
    action(
        reg,
        "amount.ok",
        "Valider",
        sc.font(18),
        colors::SUB,
        s,
        Msg::Ui(Ui::AmountOk),
    );
    brow.end();
    inner.fixed(&brow, sc.px(56));
    inner.end();
    group.end();
    group.hide();
    AmountView {
        group,
        title,
        value,
        message,
    }
}

pub(super) fn build_choose(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    w: i32,
    h: i32,
    m: i32,
) -> ChooseView {
    let ow = sc.px(600).min(w - 2 * m);
    let oh = sc.px(240).min(h - 2 * m);
    let (ox, oy) = ((w - ow) / 2, (h - oh) / 2);
    let mut group = overlay_box(ox, oy, ow, oh);
    let mut inner = flex(ox + m * 2, oy + m * 2, ow - 4 * m, oh - 4 * m, true);
    inner.set_pad(m * 2);
    let mut q = label(
        reg,
        "choose.question",
        "Quel compte voulez-vous payer d'abord ?",
        sc.font(22),
        Align::Center,
    );
    q.set_label_font(Font::HelveticaBold);
    inner.fixed(&q, sc.px(40));
    let mut brow = row();
    brow.set_pad(m * 2);
    let main = action(
        reg,
        "choose.main",
        "Panier Principal",
        sc.font(20),
        colors::MAIN,
        s,
        Msg::Ui(Ui::Choose(Account::Main)),
    );
    let sub = action(
        reg,
        "choose.sub",
        "Sous-Compte",
        sc.font(20),
        colors::SUB,
        s,
        Msg::Ui(Ui::Choose(Account::Sub)),
    );
    brow.end();
    inner.end();
    group.end();
    group.hide();
    ChooseView { group, main, sub }
}

pub(super) fn build_change(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    w: i32,
    h: i32,
    m: i32,
) -> ChangeView {
    let (mut group, mut inner) = centered_overlay(sc, w, h, m, 520, 300);
    let t = label(reg, "cash.title", "À RENDRE", sc.font(22), Align::Center);
    inner.fixed(&t, sc.px(34));
    let mut change = label(reg, "cash.change", "", sc.font(60), Align::Center);
    change.set_label_font(Font::HelveticaBold);
    change.set_label_color(colors::SUB);
    let detail = label(reg, "cash.detail", "", sc.font(16), Align::Center);
    inner.fixed(&detail, sc.px(28));
    let ok = action(
        reg,
        "cash.ok",
        "OK",
        sc.font(22),
        colors::MAIN,
        s,
        Msg::Ui(Ui::CashOk),
    );
    inner.fixed(&ok, sc.px(60));
    inner.end();
    group.end();
    group.hide();
    ChangeView {
        group,
        change,
        detail,
    }
}

pub(super) fn build_confirm(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    w: i32,
    h: i32,
    m: i32,
) -> ConfirmView {
    let ow = sc.px(560).min(w - 2 * m);
    let oh = sc.px(220).min(h - 2 * m);
    let (ox, oy) = ((w - ow) / 2, (h - oh) / 2);
    let mut group = overlay_box(ox, oy, ow, oh);
    let mut inner = flex(ox + m * 2, oy + m * 2, ow - 4 * m, oh - 4 * m, true);
    inner.set_pad(m * 2);
    let mut question = label(reg, "confirm.question", "", sc.font(18), Align::Center);
    question.set_align(Align::Center | Align::Inside | Align::Wrap);
    let mut brow = row();
    brow.set_pad(m * 2);
    button(
        reg,
        "confirm.no",
        "Non",
        sc.font(20),
        s,
        Msg::Ui(Ui::ConfirmNo),
    );
    action(
        reg,
        "confirm.yes",
        "Oui, supprimer",
        sc.font(20),
        colors::DANGER,
        s,
        Msg::Ui(Ui::ConfirmYes),
    );
    brow.end();
    inner.fixed(&brow, sc.px(60));
    inner.end();
    group.end();
    group.hide();
    ConfirmView { group, question }
}
