//! The login screen: the shop's name, the identifier and PIN fields, and a keypad to type them
//! on the touch screen.

use fltk::app::Sender;
use fltk::button::Button;
use fltk::enums::{Align, Font};
use fltk::frame::Frame;
use fltk::group::Flex;
use fltk::input::Input;
use fltk::prelude::*;

use super::{column, flex, keypad};
use crate::gui::widgets::{Registry, Scale, action, button, colors, input, label};
use crate::gui::{Msg, Ui};
use crate::i18n::Lang;

pub struct LoginView {
    pub group: Flex,
    pub shop: Frame,
    pub id: Input,
    pub pin: Input,
    pub message: Frame,
    /// FR, NL, EN: the two that are not the screen's language are shown.
    pub langs: Vec<(Lang, Button)>,
}

pub(super) fn build(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    shop: &str,
    (x, y, w, h): (i32, i32, i32, i32),
    m: i32,
) -> LoginView {
    let mut group = flex(x, y, w, h, false);
    group.set_margin(m * 2);
    group.set_pad(m * 3);
    let mut left = column();
    left.set_pad(m);
    let mut shop_f = label(reg, "login.shop", shop, sc.font(30), Align::Center);
    shop_f.set_label_font(Font::HelveticaBold);
    left.fixed(&shop_f, sc.px(42));
    let l1 = label(
        reg,
        "login.id_label",
        "Identifiant",
        sc.font(18),
        Align::Left,
    );
    left.fixed(&l1, sc.px(22));
    let mut id = input(reg, "login.id", sc.font(28), false);
    id.set_trigger(fltk::enums::CallbackTrigger::EnterKeyAlways);
    id.emit(*s, Msg::Ui(Ui::LoginIdEnter));
    left.fixed(&id, sc.px(50));
    let l2 = label(reg, "login.pin_label", "Code PIN", sc.font(18), Align::Left);
    left.fixed(&l2, sc.px(22));
    let mut pin = input(reg, "login.pin", sc.font(28), true);
    pin.set_trigger(fltk::enums::CallbackTrigger::EnterKeyAlways);
    pin.emit(*s, Msg::Ui(Ui::LoginOk));
    left.fixed(&pin, sc.px(50));
    let mut message = label(reg, "login.message", "", sc.font(16), Align::Left);
    message.set_align(Align::Left | Align::Inside | Align::Wrap | Align::Top);
    message.set_label_color(colors::DANGER);
    let ok = action(
        reg,
        "login.ok",
        "Connexion",
        sc.font(24),
        colors::MAIN,
        s,
        Msg::Ui(Ui::LoginOk),
    );
    left.fixed(&ok, sc.px(56));
    let mut lrow = super::row();
    lrow.set_pad(m);
    let mut langs = Vec::new();
    for (lang, id, name) in [
        (Lang::Fr, "login.lang.fr", "Français"),
        (Lang::Nl, "login.lang.nl", "Nederlands"),
        (Lang::En, "login.lang.en", "English"),
    ] {
        let b = button(reg, id, name, sc.font(16), s, Msg::Ui(Ui::LoginLang(lang)));
        langs.push((lang, b));
    }
    lrow.end();
    left.fixed(&lrow, sc.px(48));
    left.end();
    let pad = keypad(
        reg,
        s,
        sc,
        &[
            "login.key.1",
            "login.key.2",
            "login.key.3",
            "login.key.4",
            "login.key.5",
            "login.key.6",
            "login.key.7",
            "login.key.8",
            "login.key.9",
            "login.key.clear",
            "login.key.0",
            "login.key.back",
        ],
        Ui::LoginKey,
        Some(Ui::LoginClear),
        Ui::LoginBack,
        m,
    );
    group.fixed(&pad, (w / 2 - m * 3).min(sc.px(420)));
    group.end();
    LoginView {
        group,
        shop: shop_f,
        id,
        pin,
        message,
        langs,
    }
}
