//! The widgets of every screen, built once at start-up for the window's size. The screens are
//! groups stacked in the same place (one shown at a time); overlays sit above them and make the
//! rest of the window inactive while they are up.

use fltk::app::Sender;
use fltk::button::Button;
use fltk::enums::{Align, Color, Font, FrameType};
use fltk::frame::Frame;
use fltk::group::{Flex, Group};
use fltk::input::Input;
use fltk::menu::Choice;
use fltk::prelude::*;
use fltk::window::Window;

use super::widgets::{ListView, QrView, Registry, Scale, action, button, colors, input, label};
use super::{AdminTab, KbdTarget, ListId, Msg, Ui};
use crate::actors::admin::ExportFormat;
use crate::domain::Account;

pub struct LoginView {
    pub group: Flex,
    pub shop: Frame,
    pub id: Input,
    pub pin: Input,
    pub message: Frame,
}

pub struct TillView {
    pub group: Flex,
    pub account: Frame,
    pub seller: Frame,
    pub message: Frame,
    pub table: ListView,
    pub main_total: Frame,
    pub sub_total: Frame,
    pub total: Frame,
    pub article: Input,
    pub sub: Button,
    pub pay: Button,
    pub cash: Button,
    /// « Admin »: back to the admin screens; shown to the administrator only.
    pub admin: Button,
}

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

pub struct AdminView {
    pub group: Flex,
    pub days: Flex,
    pub days_list: ListView,
    pub days_title: Frame,
    pub report: Flex,
    pub report_title: Frame,
    pub report_source: Frame,
    pub report_list: ListView,
    pub report_exported: Frame,
    pub journal: Flex,
    pub journal_from: Input,
    pub journal_to: Input,
    pub journal_list: ListView,
    pub journal_source: Frame,
    pub products: Flex,
    pub products_list: ListView,
    pub product_code: Input,
    pub product_barcode: Input,
    pub product_name: Input,
    pub product_price: Input,
    pub product_vat: Choice,
    pub product_toggle: Button,
    pub import_path: Input,
    pub products_message: Frame,
    pub staff: Flex,
    pub staff_list: ListView,
    pub staff_id: Input,
    pub staff_name: Input,
    pub staff_pin: Input,
    pub staff_role: Choice,
    pub staff_toggle: Button,
    pub staff_message: Frame,
    pub tabs: Vec<(AdminTab, Button)>,
}

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

pub struct KeyboardView {
    pub group: Group,
    pub preview: Frame,
    pub letters: Vec<(char, Button)>,
    pub shift: Button,
}

pub struct StatusView {
    pub group: Flex,
    pub network: Frame,
    pub printer: Frame,
    pub reprint: Button,
    pub banner: Frame,
    pub clock: Frame,
}

pub struct View {
    pub window: Window,
    /// Everything under the overlays (deactivated while one is up).
    pub base: Group,
    pub login: LoginView,
    pub till: TillView,
    pub pay: PayView,
    pub admin: AdminView,
    pub status: StatusView,
    pub amount: AmountView,
    pub choose: ChooseView,
    pub change: ChangeView,
    pub confirm: ConfirmView,
    pub keyboard: KeyboardView,
    pub reg: Registry,
    pub scale: Scale,
}

fn flex(x: i32, y: i32, w: i32, h: i32, column: bool) -> Flex {
    let f = Flex::new(x, y, w, h, None::<&str>);
    if column { f.column() } else { f.row() }
}

fn row() -> Flex {
    Flex::default().row()
}

fn column() -> Flex {
    Flex::default().column()
}

fn spacer() -> Frame {
    Frame::default()
}

/// A 3-column keypad (1-9, then the three keys of the last row).
#[allow(clippy::too_many_arguments)]
fn keypad(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    ids: &[&'static str; 12],
    labels: [&str; 12],
    msgs: [Msg; 12],
    pad: i32,
) -> Flex {
    let mut grid = column();
    grid.set_pad(pad);
    for r in 0..4 {
        let mut line = row();
        line.set_pad(pad);
        for c in 0..3 {
            let i = r * 3 + c;
            button(reg, ids[i], labels[i], sc.font(26), s, msgs[i].clone());
        }
        line.end();
    }
    grid.end();
    grid
}

impl View {
    pub fn build(w: i32, h: i32, shop: &str, s: &Sender<Msg>) -> View {
        let sc = Scale::for_window(w, h);
        let mut reg = Registry::default();
        let mut window = Window::new(0, 0, w, h, "KACHING");
        window.set_color(colors::BG);
        let bar_h = sc.px(52);
        let body_h = h - bar_h;
        let m = sc.px(8);

        let base = Group::new(0, 0, w, h, None::<&str>);
        let login = build_login(&mut reg, s, sc, shop, (0, 0, w, body_h), m);
        let till = build_till(&mut reg, s, sc, (0, 0, w, body_h), m);
        let pay = build_pay(&mut reg, s, sc, (0, 0, w, body_h), m);
        let admin = build_admin(&mut reg, s, sc, (0, 0, w, body_h), m);
        let status = build_status(&mut reg, s, sc, (0, body_h, w, bar_h), m);
        base.end();
        base.resizable(&base.clone());

        let amount = build_amount(&mut reg, s, sc, w, body_h, m);
        let choose = build_choose(&mut reg, s, sc, w, body_h, m);
        let change = build_change(&mut reg, s, sc, w, body_h, m);
        let confirm = build_confirm(&mut reg, s, sc, w, body_h, m);
        let keyboard = build_keyboard(&mut reg, s, sc, w, h, m);
        window.end();
        View {
            window,
            base,
            login,
            till,
            pay,
            admin,
            status,
            amount,
            choose,
            change,
            confirm,
            keyboard,
            reg,
            scale: sc,
        }
    }
}

fn build_login(
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
    left.fixed(&shop_f, sc.px(56));
    let l1 = label(
        reg,
        "login.id_label",
        "Identifiant",
        sc.font(18),
        Align::Left,
    );
    left.fixed(&l1, sc.px(26));
    let mut id = input(reg, "login.id", sc.font(28), false);
    id.set_trigger(fltk::enums::CallbackTrigger::EnterKeyAlways);
    id.emit(*s, Msg::Ui(Ui::LoginIdEnter));
    left.fixed(&id, sc.px(56));
    let l2 = label(reg, "login.pin_label", "Code PIN", sc.font(18), Align::Left);
    left.fixed(&l2, sc.px(26));
    let mut pin = input(reg, "login.pin", sc.font(28), true);
    pin.set_trigger(fltk::enums::CallbackTrigger::EnterKeyAlways);
    pin.emit(*s, Msg::Ui(Ui::LoginOk));
    left.fixed(&pin, sc.px(56));
    let mut message = label(reg, "login.message", "", sc.font(17), Align::Left);
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
    left.fixed(&ok, sc.px(64));
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
        ["1", "2", "3", "4", "5", "6", "7", "8", "9", "C", "0", "⌫"],
        [
            Msg::Ui(Ui::LoginKey('1')),
            Msg::Ui(Ui::LoginKey('2')),
            Msg::Ui(Ui::LoginKey('3')),
            Msg::Ui(Ui::LoginKey('4')),
            Msg::Ui(Ui::LoginKey('5')),
            Msg::Ui(Ui::LoginKey('6')),
            Msg::Ui(Ui::LoginKey('7')),
            Msg::Ui(Ui::LoginKey('8')),
            Msg::Ui(Ui::LoginKey('9')),
            Msg::Ui(Ui::LoginClear),
            Msg::Ui(Ui::LoginKey('0')),
            Msg::Ui(Ui::LoginBack),
        ],
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
    }
}

fn build_till(
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
    );
    let mut totals = row();
    let both = column();
    let mut main_total = label(reg, "till.main_total", "", sc.font(15), Align::Left);
    main_total.set_label_color(colors::MAIN);
    main_total.set_label_font(Font::HelveticaBold);
    let mut sub_total = label(reg, "till.sub_total", "", sc.font(15), Align::Left);
    sub_total.set_label_color(colors::SUB);
    sub_total.set_label_font(Font::HelveticaBold);
    both.end();
    let mut total = label(reg, "till.total", "0,00 €", sc.font(32), Align::Right);
    total.set_label_font(Font::HelveticaBold);
    totals.fixed(&total, sc.px(200));
    totals.end();
    left.fixed(&totals, sc.px(48));
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
        article,
        sub,
        pay,
        cash,
        admin,
    }
}

fn build_pay(
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

fn form_row(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    text: &str,
    id: &'static str,
    kbd: Option<(&'static str, KbdTarget)>,
    secret: bool,
) -> (Flex, Input) {
    let mut r = row();
    r.set_pad(sc.px(4));
    let l = label(reg, "", text, sc.font(14), Align::Left);
    r.fixed(&l, sc.px(74));
    let i = input(reg, id, sc.font(20), secret);
    if let Some((kid, target)) = kbd {
        let b = button(reg, kid, "⌨", sc.font(20), s, Msg::Ui(Ui::Keyboard(target)));
        r.fixed(&b, sc.px(48));
    }
    r.end();
    (r, i)
}

/// The VAT rates of the product form's choice, in its order.
pub const VAT_CHOICES: [u8; 4] = [21, 12, 6, 0];

/// A labelled choice on one form row (the first item selected).
fn choice_row(
    reg: &mut Registry,
    sc: Scale,
    text: &str,
    id: &'static str,
    items: &str,
) -> (Flex, Choice) {
    let mut r = row();
    let l = label(reg, "", text, sc.font(14), Align::Left);
    r.fixed(&l, sc.px(74));
    let mut c = Choice::default();
    c.add_choice(items);
    c.set_value(0);
    c.set_text_size(sc.font(18));
    c.clear_visible_focus();
    reg.add(id, &c);
    r.end();
    (r, c)
}

fn build_admin(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    (x, y, w, h): (i32, i32, i32, i32),
    m: i32,
) -> AdminView {
    let mut group = flex(x, y, w, h, false);
    group.set_margin(m);
    group.set_pad(m);
    let mut tabs_col = column();
    tabs_col.set_pad(m);
    let mut tabs = Vec::new();
    for (tab, id, text) in [
        (AdminTab::Days, "admin.days", "Rapports"),
        (AdminTab::Journal, "admin.journal", "Journal"),
        (AdminTab::Products, "admin.products", "Produits"),
        (AdminTab::Staff, "admin.staff", "Personnel"),
    ] {
        let b = button(reg, id, text, sc.font(18), s, Msg::Ui(Ui::Tab(tab)));
        tabs.push((tab, b));
    }
    spacer();
    // The administrator may sell too (docs/DECISIONS.md): « Caisse » opens the till screen.
    let till = action(
        reg,
        "admin.till",
        "Caisse",
        sc.font(18),
        colors::SUB,
        s,
        Msg::Ui(Ui::AdminToTill),
    );
    tabs_col.fixed(&till, sc.px(56));
    let out = action(
        reg,
        "admin.logout",
        "Déconnexion",
        sc.font(16),
        colors::DANGER,
        s,
        Msg::Ui(Ui::Logout),
    );
    tabs_col.fixed(&out, sc.px(56));
    tabs_col.end();
    group.fixed(&tabs_col, sc.px(150));

    // The panes are stacked in one group; one is shown at a time.
    let pane_x = x + m + sc.px(150) + m;
    let pane_w = w - (pane_x - x) - m;
    let pane = (pane_x, y + m, pane_w, h - 2 * m);
    let stack = Group::new(pane.0, pane.1, pane.2, pane.3, None::<&str>);

    // Days.
    let mut days = flex(pane.0, pane.1, pane.2, pane.3, true);
    days.set_pad(m);
    let mut days_title = label(
        reg,
        "days.title",
        "Rapports journaliers",
        sc.font(20),
        Align::Left,
    );
    days_title.set_label_font(Font::HelveticaBold);
    days.fixed(&days_title, sc.px(32));
    let days_list = ListView::new(
        reg,
        "days.list",
        &[
            ("Jour", 3.0, Align::Left),
            ("Tickets", 1.5, Align::Right),
            ("Recette", 2.5, Align::Right),
            ("Retraits", 2.5, Align::Right),
        ],
        sc,
        s,
        Msg::Ui(Ui::Select(ListId::Days)),
    );
    let _ = &days_list;
    let mut brow = row();
    brow.set_pad(m);
    action(
        reg,
        "days.open",
        "Ouvrir",
        sc.font(20),
        colors::MAIN,
        s,
        Msg::Ui(Ui::DaysOpen),
    );
    action(
        reg,
        "days.delete",
        "Supprimer",
        sc.font(20),
        colors::DANGER,
        s,
        Msg::Ui(Ui::DaysDelete),
    );
    brow.end();
    days.fixed(&brow, sc.px(56));
    days.end();

    // One day's report.
    let mut report = flex(pane.0, pane.1, pane.2, pane.3, true);
    report.set_pad(m / 2);
    let mut report_title = label(reg, "report.title", "", sc.font(18), Align::Left);
    report_title.set_label_font(Font::HelveticaBold);
    report.fixed(&report_title, sc.px(26));
    let mut report_source = label(reg, "report.source", "", sc.font(14), Align::Left);
    report_source.set_label_color(Color::from_rgb(0x44, 0x44, 0x44));
    report.fixed(&report_source, sc.px(20));
    let report_list = ListView::new(
        reg,
        "report.list",
        &[
            ("Heure", 1.6, Align::Left),
            ("Vendeur", 2.2, Align::Left),
            ("Produit", 4.0, Align::Left),
            ("Qté", 1.0, Align::Right),
            ("Montant", 2.0, Align::Right),
        ],
        sc,
        s,
        Msg::Ui(Ui::Select(ListId::Report)),
    );
    let _ = &report_list;
    let mut report_exported = label(reg, "report.exported", "", sc.font(13), Align::Left);
    report_exported.set_label_color(colors::SUB);
    report.fixed(&report_exported, sc.px(20));
    let mut erow = row();
    erow.set_pad(m);
    button(
        reg,
        "report.txt",
        "TXT",
        sc.font(18),
        s,
        Msg::Ui(Ui::Export(ExportFormat::Txt)),
    );
    button(
        reg,
        "report.csv",
        "CSV",
        sc.font(18),
        s,
        Msg::Ui(Ui::Export(ExportFormat::Csv)),
    );
    button(
        reg,
        "report.pdf",
        "PDF",
        sc.font(18),
        s,
        Msg::Ui(Ui::Export(ExportFormat::Pdf)),
    );
    button(
        reg,
        "report.back",
        "Retour",
        sc.font(18),
        s,
        Msg::Ui(Ui::ReportBack),
    );
    erow.end();
    report.fixed(&erow, sc.px(52));
    report.end();

    // The receipts journal.
    let mut journal = flex(pane.0, pane.1, pane.2, pane.3, true);
    journal.set_pad(m);
    let mut jrow = row();
    jrow.set_pad(sc.px(4));
    let l = label(reg, "", "Du", sc.font(16), Align::Right);
    jrow.fixed(&l, sc.px(30));
    let journal_from = input(reg, "journal.from", sc.font(18), false);
    let b = button(
        reg,
        "journal.from_kbd",
        "⌨",
        sc.font(20),
        s,
        Msg::Ui(Ui::Keyboard(KbdTarget::JournalFrom)),
    );
    jrow.fixed(&b, sc.px(48));
    let l = label(reg, "", "au", sc.font(16), Align::Right);
    jrow.fixed(&l, sc.px(30));
    let journal_to = input(reg, "journal.to", sc.font(18), false);
    let b = button(
        reg,
        "journal.to_kbd",
        "⌨",
        sc.font(20),
        s,
        Msg::Ui(Ui::Keyboard(KbdTarget::JournalTo)),
    );
    jrow.fixed(&b, sc.px(48));
    let show = action(
        reg,
        "journal.show",
        "Afficher",
        sc.font(18),
        colors::MAIN,
        s,
        Msg::Ui(Ui::JournalShow),
    );
    jrow.fixed(&show, sc.px(110));
    jrow.end();
    journal.fixed(&jrow, sc.px(52));
    let journal_list = ListView::new(
        reg,
        "journal.list",
        &[
            ("Jour", 2.4, Align::Left),
            ("Tickets", 1.3, Align::Right),
            ("Recette", 2.2, Align::Right),
            ("TVA", 3.6, Align::Left),
        ],
        sc,
        s,
        Msg::Ui(Ui::Select(ListId::Journal)),
    );
    let _ = &journal_list;
    let journal_source = label(reg, "journal.source", "", sc.font(14), Align::Left);
    journal.fixed(&journal_source, sc.px(22));
    journal.end();

    // Products.
    let mut products = flex(pane.0, pane.1, pane.2, pane.3, false);
    products.set_pad(m);
    let products_list = ListView::new(
        reg,
        "products.list",
        &[
            ("Code", 1.5, Align::Left),
            ("Nom", 3.4, Align::Left),
            ("Prix", 1.9, Align::Right),
            ("TVA", 1.1, Align::Right),
        ],
        sc,
        s,
        Msg::Ui(Ui::Select(ListId::Products)),
    );
    let _ = &products_list;
    let mut pform = column();
    pform.set_pad(sc.px(4));
    let (r, product_code) = form_row(
        reg,
        s,
        sc,
        "Code",
        "products.code",
        Some(("products.code_kbd", KbdTarget::ProductCode)),
        false,
    );
    pform.fixed(&r, sc.px(48));
    let (r, product_barcode) = form_row(
        reg,
        s,
        sc,
        "Code-barres",
        "products.barcode",
        Some(("products.barcode_kbd", KbdTarget::ProductBarcode)),
        false,
    );
    pform.fixed(&r, sc.px(48));
    let (r, product_name) = form_row(
        reg,
        s,
        sc,
        "Nom",
        "products.name",
        Some(("products.name_kbd", KbdTarget::ProductName)),
        false,
    );
    pform.fixed(&r, sc.px(48));
    let (r, product_price) = form_row(
        reg,
        s,
        sc,
        "Prix (€)",
        "products.price",
        Some(("products.price_kbd", KbdTarget::ProductPrice)),
        false,
    );
    pform.fixed(&r, sc.px(48));
    let choices = VAT_CHOICES.map(|v| format!("{v} %")).join("|");
    let (vrow, product_vat) = choice_row(reg, sc, "TVA", "products.vat", &choices);
    pform.fixed(&vrow, sc.px(48));
    let mut prow = row();
    prow.set_pad(sc.px(4));
    action(
        reg,
        "products.save",
        "Enregistrer",
        sc.font(16),
        colors::MAIN,
        s,
        Msg::Ui(Ui::ProductSave),
    );
    let product_toggle = button(
        reg,
        "products.toggle",
        "Désactiver",
        sc.font(16),
        s,
        Msg::Ui(Ui::ProductToggle),
    );
    prow.end();
    pform.fixed(&prow, sc.px(52));
    let mut irow = row();
    irow.set_pad(sc.px(4));
    let import_path = input(reg, "products.import_path", sc.font(14), false);
    let b = button(
        reg,
        "products.import_kbd",
        "⌨",
        sc.font(20),
        s,
        Msg::Ui(Ui::Keyboard(KbdTarget::ImportPath)),
    );
    irow.fixed(&b, sc.px(48));
    let imp = button(
        reg,
        "products.import",
        "Importer CSV",
        sc.font(14),
        s,
        Msg::Ui(Ui::ProductImport),
    );
    irow.fixed(&imp, sc.px(104));
    irow.end();
    pform.fixed(&irow, sc.px(48));
    let mut products_message = label(reg, "products.message", "", sc.font(13), Align::Left);
    products_message.set_align(Align::Left | Align::Inside | Align::Wrap | Align::Top);
    pform.end();
    products.fixed(&pform, sc.px(300));
    products.end();

    // Staff.
    let mut staff = flex(pane.0, pane.1, pane.2, pane.3, false);
    staff.set_pad(m);
    let staff_list = ListView::new(
        reg,
        "staff.list",
        &[
            ("ID", 1.0, Align::Left),
            ("Nom", 3.0, Align::Left),
            ("Rôle", 1.8, Align::Left),
        ],
        sc,
        s,
        Msg::Ui(Ui::Select(ListId::Staff)),
    );
    let _ = &staff_list;
    let mut sform = column();
    sform.set_pad(sc.px(4));
    let (r, staff_id) = form_row(
        reg,
        s,
        sc,
        "ID",
        "staff.id",
        Some(("staff.id_kbd", KbdTarget::StaffId)),
        false,
    );
    sform.fixed(&r, sc.px(48));
    let (r, staff_name) = form_row(
        reg,
        s,
        sc,
        "Nom",
        "staff.name",
        Some(("staff.name_kbd", KbdTarget::StaffName)),
        false,
    );
    sform.fixed(&r, sc.px(48));
    let (r, staff_pin) = form_row(
        reg,
        s,
        sc,
        "PIN",
        "staff.pin",
        Some(("staff.pin_kbd", KbdTarget::StaffPin)),
        true,
    );
    sform.fixed(&r, sc.px(48));
    let (rrow, staff_role) = choice_row(reg, sc, "Rôle", "staff.role", "Caissier|Admin");
    sform.fixed(&rrow, sc.px(48));
    let mut srow = row();
    srow.set_pad(sc.px(4));
    action(
        reg,
        "staff.add",
        "Ajouter",
        sc.font(16),
        colors::MAIN,
        s,
        Msg::Ui(Ui::StaffAdd),
    );
    let staff_toggle = button(
        reg,
        "staff.toggle",
        "Désactiver",
        sc.font(16),
        s,
        Msg::Ui(Ui::StaffToggle),
    );
    srow.end();
    sform.fixed(&srow, sc.px(52));
    let reset = button(
        reg,
        "staff.reset_pin",
        "Nouveau PIN",
        sc.font(16),
        s,
        Msg::Ui(Ui::StaffResetPin),
    );
    sform.fixed(&reset, sc.px(52));
    let mut staff_message = label(reg, "staff.message", "", sc.font(13), Align::Left);
    staff_message.set_align(Align::Left | Align::Inside | Align::Wrap | Align::Top);
    sform.end();
    staff.fixed(&sform, sc.px(300));
    staff.end();

    stack.end();
    group.end();
    AdminView {
        group,
        days,
        days_list,
        days_title,
        report,
        report_title,
        report_source,
        report_list,
        report_exported,
        journal,
        journal_from,
        journal_to,
        journal_list,
        journal_source,
        products,
        products_list,
        product_code,
        product_barcode,
        product_name,
        product_price,
        product_vat,
        product_toggle,
        import_path,
        products_message,
        staff,
        staff_list,
        staff_id,
        staff_name,
        staff_pin,
        staff_role,
        staff_toggle,
        staff_message,
        tabs,
    }
}

fn build_status(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    (x, y, w, h): (i32, i32, i32, i32),
    m: i32,
) -> StatusView {
    let mut group = flex(x, y, w, h, false);
    group.set_frame(FrameType::FlatBox);
    group.set_color(colors::BAR);
    group.set_margins(m, sc.px(2), m, sc.px(2));
    group.set_pad(m);
    let mut network = label(reg, "status.network", "", sc.font(14), Align::Left);
    network.set_label_color(colors::BAR_TEXT);
    group.fixed(&network, sc.px(210));
    let mut printer = label(reg, "status.printer", "", sc.font(14), Align::Left);
    printer.set_label_color(colors::BAR_TEXT);
    group.fixed(&printer, sc.px(170));
    let mut reprint = button(
        reg,
        "status.reprint",
        "Réimprimer",
        sc.font(14),
        s,
        Msg::Ui(Ui::Reprint),
    );
    group.fixed(&reprint, sc.px(110));
    reprint.hide();
    let mut banner = label(reg, "status.banner", "", sc.font(15), Align::Center);
    banner.set_label_font(Font::HelveticaBold);
    banner.set_label_color(Color::from_rgb(0xff, 0xc1, 0x07));
    let mut clock = label(reg, "status.clock", "", sc.font(18), Align::Right);
    clock.set_label_color(colors::BAR_TEXT);
    clock.set_label_font(Font::HelveticaBold);
    group.fixed(&clock, sc.px(70));
    group.end();
    StatusView {
        group,
        network,
        printer,
        reprint,
        banner,
        clock,
    }
}

fn overlay_box(x: i32, y: i32, w: i32, h: i32) -> Group {
    let mut g = Group::new(x, y, w, h, None::<&str>);
    g.set_frame(FrameType::BorderBox);
    g.set_color(Color::White);
    g
}

fn build_amount(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    w: i32,
    h: i32,
    m: i32,
) -> AmountView {
    let ow = sc.px(420).min(w - 2 * m);
    let oh = h - 2 * m;
    let (ox, oy) = ((w - ow) / 2, m);
    let mut group = overlay_box(ox, oy, ow, oh);
    let mut inner = flex(ox + m, oy + m, ow - 2 * m, oh - 2 * m, true);
    inner.set_pad(m / 2);
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
        ["1", "2", "3", "4", "5", "6", "7", "8", "9", ",", "0", "⌫"],
        [
            Msg::Ui(Ui::AmountKey('1')),
            Msg::Ui(Ui::AmountKey('2')),
            Msg::Ui(Ui::AmountKey('3')),
            Msg::Ui(Ui::AmountKey('4')),
            Msg::Ui(Ui::AmountKey('5')),
            Msg::Ui(Ui::AmountKey('6')),
            Msg::Ui(Ui::AmountKey('7')),
            Msg::Ui(Ui::AmountKey('8')),
            Msg::Ui(Ui::AmountKey('9')),
            Msg::Ui(Ui::AmountKey(',')),
            Msg::Ui(Ui::AmountKey('0')),
            Msg::Ui(Ui::AmountBack),
        ],
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

fn build_choose(
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

fn build_change(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    w: i32,
    h: i32,
    m: i32,
) -> ChangeView {
    let ow = sc.px(520).min(w - 2 * m);
    let oh = sc.px(300).min(h - 2 * m);
    let (ox, oy) = ((w - ow) / 2, (h - oh) / 2);
    let mut group = overlay_box(ox, oy, ow, oh);
    let mut inner = flex(ox + m * 2, oy + m * 2, ow - 4 * m, oh - 4 * m, true);
    inner.set_pad(m);
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

fn build_confirm(
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

const KEYBOARD_ROWS: [&str; 4] = ["1234567890-", "azertyuiopé", "qsdfghjklmè", "wxcvbn,./_à"];

fn kbd_id(c: char) -> &'static str {
    const IDS: [(char, &str); 48] = [
        ('1', "kbd.1"),
        ('2', "kbd.2"),
        ('3', "kbd.3"),
        ('4', "kbd.4"),
        ('5', "kbd.5"),
        ('6', "kbd.6"),
        ('7', "kbd.7"),
        ('8', "kbd.8"),
        ('9', "kbd.9"),
        ('0', "kbd.0"),
        ('a', "kbd.a"),
        ('z', "kbd.z"),
        ('e', "kbd.e"),
        ('r', "kbd.r"),
        ('t', "kbd.t"),
        ('y', "kbd.y"),
        ('u', "kbd.u"),
        ('i', "kbd.i"),
        ('o', "kbd.o"),
        ('p', "kbd.p"),
        ('q', "kbd.q"),
        ('s', "kbd.s"),
        ('d', "kbd.d"),
        ('f', "kbd.f"),
        ('g', "kbd.g"),
        ('h', "kbd.h"),
        ('j', "kbd.j"),
        ('k', "kbd.k"),
        ('l', "kbd.l"),
        ('m', "kbd.m"),
        ('w', "kbd.w"),
        ('x', "kbd.x"),
        ('c', "kbd.c"),
        ('v', "kbd.v"),
        ('b', "kbd.b"),
        ('n', "kbd.n"),
        (',', "kbd.comma"),
        ('.', "kbd.dot"),
        ('-', "kbd.dash"),
        ('@', "kbd.at"),
        ('é', "kbd.eacute"),
        ('è', "kbd.egrave"),
        ('à', "kbd.agrave"),
        ('ç', "kbd.ccedil"),
        ('ù', "kbd.ugrave"),
        ('/', "kbd.slash"),
        ('_', "kbd.underscore"),
        ('\'', "kbd.quote"),
    ];
    IDS.iter()
        .find(|(k, _)| *k == c)
        .map_or("kbd.?", |(_, id)| id)
}

fn build_keyboard(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    w: i32,
    h: i32,
    m: i32,
) -> KeyboardView {
    let oh = (sc.px(60) * 6).min(h - sc.px(40));
    let (ox, oy, ow) = (0, h - oh, w);
    let mut group = overlay_box(ox, oy, ow, oh);
    group.set_color(colors::HEADER);
    let mut inner = flex(ox + m, oy + m / 2, ow - 2 * m, oh - m, true);
    inner.set_pad(m / 2);
    let mut preview = label(reg, "kbd.preview", "", sc.font(22), Align::Left);
    preview.set_frame(FrameType::DownBox);
    preview.set_color(Color::White);
    let mut letters = Vec::new();
    for line in KEYBOARD_ROWS {
        let mut r = row();
        r.set_pad(m / 2);
        for c in line.chars() {
            let b = button(
                reg,
                kbd_id(c),
                &c.to_string(),
                sc.font(22),
                s,
                Msg::Ui(Ui::Kbd(c)),
            );
            letters.push((c, b));
        }
        r.end();
    }
    let mut last = row();
    last.set_pad(m / 2);
    let shift = button(
        reg,
        "kbd.shift",
        "⇧ Maj",
        sc.font(18),
        s,
        Msg::Ui(Ui::KbdShift),
    );
    last.fixed(&shift, sc.px(96));
    for c in ['ç', 'ù', '\'', '@'] {
        let b = button(
            reg,
            kbd_id(c),
            &c.to_string(),
            sc.font(22),
            s,
            Msg::Ui(Ui::Kbd(c)),
        );
        last.fixed(&b, sc.px(56));
        letters.push((c, b));
    }
    button(
        reg,
        "kbd.space",
        "espace",
        sc.font(18),
        s,
        Msg::Ui(Ui::Kbd(' ')),
    );
    let b = button(reg, "kbd.back", "⌫", sc.font(22), s, Msg::Ui(Ui::KbdBack));
    last.fixed(&b, sc.px(72));
    let b = action(
        reg,
        "kbd.enter",
        "Entrée",
        sc.font(18),
        colors::SUB,
        s,
        Msg::Ui(Ui::KbdEnter),
    );
    last.fixed(&b, sc.px(96));
    let b = button(
        reg,
        "kbd.close",
        "Fermer",
        sc.font(18),
        s,
        Msg::Ui(Ui::KbdClose),
    );
    last.fixed(&b, sc.px(90));
    last.end();
    inner.end();
    group.end();
    group.hide();
    KeyboardView {
        group,
        preview,
        letters,
        shift,
    }
}
