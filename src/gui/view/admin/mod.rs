//! The admin screens: the tabs down the left (days, journal, products, staff, back to the till,
//! logout) beside a stack of panes, one shown at a time; each pane is built by its own module.

mod days;
mod drawer;
mod journal;
mod products;
mod report;
mod staff;

use fltk::app::Sender;
use fltk::button::Button;
use fltk::enums::Align;
use fltk::frame::Frame;
use fltk::group::{Flex, Group};
use fltk::input::Input;
use fltk::menu::Choice;
use fltk::prelude::*;

use super::{column, flex, row, spacer};
use crate::gui::widgets::{ListView, Registry, Scale, action, button, colors, input, label};
use crate::gui::{AdminTab, KbdTarget, Msg, Ui};
use days::DaysPane;
use drawer::DrawerPane;
use journal::JournalPane;
use products::ProductsPane;
use report::ReportPane;
use staff::StaffPane;

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
    pub staff_lang: Choice,
    pub staff_toggle: Button,
    pub staff_message: Frame,
    pub drawer: Flex,
    pub drawer_state: Frame,
    pub drawer_reason: Input,
    pub drawer_difference: Frame,
    pub drawer_report: ListView,
    pub drawer_history: ListView,
    pub drawer_message: Frame,
    pub tabs: Vec<(AdminTab, Button)>,
}

fn form_row(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    (label_id, text): (&'static str, &str),
    id: &'static str,
    kbd: Option<(&'static str, KbdTarget)>,
    secret: bool,
) -> (Flex, Input) {
    let mut r = row();
    r.set_pad(sc.px(4));
    let l = label(reg, label_id, text, sc.font(14), Align::Left);
    r.fixed(&l, sc.px(74));
    let i = input(reg, id, sc.font(20), secret);
    if let Some((kid, target)) = kbd {
        let b = button(reg, kid, "⌨", sc.font(20), s, Msg::Ui(Ui::Keyboard(target)));
        r.fixed(&b, sc.px(48));
    }
    r.end();
    (r, i)
}

/// A labelled choice on one form row (the first item selected).
fn choice_row(
    reg: &mut Registry,
    sc: Scale,
    (label_id, text): (&'static str, &str),
    id: &'static str,
    items: &str,
) -> (Flex, Choice) {
    let mut r = row();
    let l = label(reg, label_id, text, sc.font(14), Align::Left);
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

pub(super) fn build(
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
        (AdminTab::Drawer, "admin.drawer", "Caisse"),
    ] {
        let b = button(reg, id, text, sc.font(18), s, Msg::Ui(Ui::Tab(tab)));
        // Five tabs and two actions: each its 48 px touch target at 800×480, the gap below.
        tabs_col.fixed(&b, sc.px(48));
        tabs.push((tab, b));
    }
    spacer();
    // The administrator may sell too (docs/DECISIONS.md): « Vente » opens the till screen.
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

    let DaysPane {
        days,
        days_list,
        days_title,
    } = days::build(reg, s, sc, pane, m);
    let ReportPane {
        report,
        report_title,
        report_source,
        report_list,
        report_exported,
    } = report::build(reg, s, sc, pane, m);
    let JournalPane {
        journal,
        journal_from,
        journal_to,
        journal_list,
        journal_source,
    } = journal::build(reg, s, sc, pane, m);
    let ProductsPane {
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
    } = products::build(reg, s, sc, pane, m);
    let StaffPane {
        staff,
        staff_list,
        staff_id,
        staff_name,
        staff_pin,
        staff_role,
        staff_lang,
        staff_toggle,
        staff_message,
    } = staff::build(reg, s, sc, pane, m);
    let DrawerPane {
        drawer,
        drawer_state,
        drawer_reason,
        drawer_difference,
        drawer_report,
        drawer_history,
        drawer_message,
    } = drawer::build(reg, s, sc, pane, m);

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
        staff_lang,
        staff_toggle,
        staff_message,
        drawer,
        drawer_state,
        drawer_reason,
        drawer_difference,
        drawer_report,
        drawer_history,
        drawer_message,
        tabs,
    }
}
