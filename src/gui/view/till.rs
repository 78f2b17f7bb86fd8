//! The till screen: the basket (main account or sub-account) with its totals (and its discounts),
//! the article field, and the buttons of a sale (quantity, void, withdrawal, discount, return,
//! cash, pay).

use fltk::app::Sender;
use fltk::button::Button;
use fltk::enums::{Align, Color, Font, FrameType};
use fltk::frame::Frame;
use fltk::group::Flex;
use fltk::input::Input;
use fltk::prelude::*;

use super::{column, flex, row};
use crate::gui::widgets::{ListView, Registry, Scale, action, button, colors, input, label};
use crate::gui::{KbdTarget, ListId, Msg, Ui};

pub struct TillView {
    pub group: Flex,
    pub account: Frame,
    pub seller: Frame,
    pub message: Frame,
    pub table: ListView,
    pub main_total: Frame,
    pub sub_total: Frame,
    pub total: Frame,
    /// The basket's discounts together (empty without one).
    pub discount_total: Frame,
    pub article: Input,
    pub sub: Button,
    pub pay: Button,
    pub cash: Button,
    /// « Admin »: back to the admin screens; shown to the administrator only.
    pub admin: Button,
}

pub(super) fn build(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    (x, y, w, h): (i32, i32, i32, i32),
    m: i32,
) -> TillView {
    let mut group = flex(x, y, w, h, true);
    group.set_margin(m);
    group.set_pad(m);
    // Header: which basket, messages, the seller top right.
    let mut head = row();
    let mut account = label(
        reg,
        "till.account",
        "PANIER PRINCIPAL",
        sc.font(18),
        Align::Center,
    );
    account.set_frame(FrameType::FlatBox);
    account.set_color(colors::MAIN);
    account.set_label_color(Color::White);
    account.set_label_font(Font::HelveticaBold);
    head.fixed(&account, sc.px(220));
    let mut message = label(reg, "till.message", "", sc.font(16), Align::Left);
    message.set_label_color(colors::DANGER);
    let mut seller = label(reg, "till.seller", "", sc.font(18), Align::Right);
    seller.set_label_font(Font::HelveticaBold);
    head.fixed(&seller, sc.px(220));
    head.end();
    group.fixed(&head, sc.px(36));

    let mut middle = row();
    middle.set_pad(m);
    let mut left = column();
    left.set_pad(m / 2);
    let table = ListView::new(
        reg,
        "till.table",
        &[
            ("Article", 5.0, Align::Left),
            ("Qté", 1.2, Align::Right),
            ("Prix", 2.0, Align::Right),
            ("Montant", 2.2, Align::Right),
        ],
        sc,
        s,
        Msg::Ui(Ui::Select(ListId::Basket)),
    )
    .with_notes();
    let mut totals = row();
    let both = column();
    let mut main_total = label(reg, "till.main_total", "", sc.font(15), Align::Left);
    main_total.set_label_color(colors::MAIN);
    main_total.set_label_font(Font::HelveticaBold);
    let mut sub_total = label(reg, "till.sub_total", "", sc.font(15), Align::Left);
    sub_total.set_label_color(colors::SUB);
    sub_total.set_label_font(Font::HelveticaBold);
    let mut discount_total = label(reg, "till.discount_total", "", sc.font(14), Align::Left);
    discount_total.set_label_color(colors::DISCOUNT);
    discount_total.set_label_font(Font::HelveticaBold);
    both.end();
    let mut total = label(reg, "till.total", "0,00 €", sc.font(32), Align::Right);
    total.set_label_font(Font::HelveticaBold);
    totals.fixed(&total, sc.px(200));
    totals.end();
    left.fixed(&totals, sc.px(58));
    left.end();
    let _ = &table;

    let mut right = column();
    right.set_pad(m);
    let mut art_row = row();
    art_row.set_pad(m / 2);
    let mut article = input(reg, "till.article", sc.font(24), false);
    article.set_trigger(fltk::enums::CallbackTrigger::EnterKeyAlways);
    article.emit(*s, Msg::Ui(Ui::Article));
    article.set_tooltip("Num d'article");
    let kb = button(
        reg,
        "till.keypad",
        "⌨",
        sc.font(26),
        s,
        Msg::Ui(Ui::Keyboard(KbdTarget::Article)),
    );
    art_row.fixed(&kb, sc.px(56));
    art_row.end();
    right.fixed(&art_row, sc.px(56));
    let art_label = label(
        reg,
        "till.article_label",
        "Num d'article (ou scanner)",
        sc.font(13),
        Align::Left,
    );
    right.fixed(&art_label, sc.px(16));
    let bsize = sc.font(17);
    let mut r1 = row();
    r1.set_pad(m);
    action(
        reg,
        "till.withdraw",
        "Retrait\nd'argent",
        bsize,
        colors::WITHDRAWAL,
        s,
        Msg::Ui(Ui::Withdraw),
    );
    let sub = action(
        reg,
        "till.sub",
        "Sous-compte",
        bsize,
        colors::MAIN,
        s,
        Msg::Ui(Ui::ToggleSub),
    );
    r1.end();
    let mut r2 = row();
    r2.set_pad(m);
    button(reg, "till.plus", "Qté +", sc.font(22), s, Msg::Ui(Ui::Plus));
    button(
        reg,
        "till.minus",
        "Qté −",
        sc.font(22),
        s,
        Msg::Ui(Ui::Minus),
    );
    r2.end();
    let mut rd = row();
    rd.set_pad(m);
    action(
        reg,
        "till.discount",
        "Remise",
        bsize,
        colors::DISCOUNT,
        s,
        Msg::Ui(Ui::Discount),
    );
    button(reg, "till.return", "Retour", bsize, s, Msg::Ui(Ui::Return));
    rd.end();
    let mut r3 = row();
    r3.set_pad(m);
    button(
        reg,
        "till.void",
        "Supprimer\nla ligne",
        bsize,
        s,
        Msg::Ui(Ui::Void),
    );
    button(
        reg,
        "till.logout",
        "Déconnexion",
        bsize,
        s,
        Msg::Ui(Ui::Logout),
    );
    let mut admin = action(
        reg,
        "till.admin",
        "Admin",
        bsize,
        colors::DANGER,
        s,
        Msg::Ui(Ui::TillToAdmin),
    );
    admin.hide();
    r3.end();
    let mut r4 = row();
    r4.set_pad(m);
    let cash = action(
        reg,
        "till.cash",
        "Espèces",
        sc.font(22),
        colors::PENDING,
        s,
        Msg::Ui(Ui::Cash),
    );
    let pay = action(
        reg,
        "till.pay",
        "Payer",
        sc.font(24),
        colors::SUB,
        s,
        Msg::Ui(Ui::Pay),
    );
    r4.end();
    right.end();
    middle.fixed(&right, sc.px(310));
    middle.end();
    group.end();
    TillView {
        group,
        account,
        seller,
        message,
        table,
        main_total,
        sub_total,
        total,
        discount_total,
        article,
        sub,
        pay,
        cash,
        admin,
    }
}
