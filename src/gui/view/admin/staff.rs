//! The admin's staff pane: the cashiers and administrators, the form to add or deactivate one,
//! and a new PIN for a forgotten one.

use fltk::app::Sender;
use fltk::button::Button;
use fltk::enums::Align;
use fltk::frame::Frame;
use fltk::group::Flex;
use fltk::input::Input;
use fltk::menu::Choice;
use fltk::prelude::*;

use super::super::{column, flex, row};
use super::{choice_row, form_row};
use crate::gui::widgets::{ListView, Registry, Scale, action, button, colors, label};
use crate::gui::{KbdTarget, ListId, Msg, Ui};

pub(super) struct StaffPane {
    pub(super) staff: Flex,
    pub(super) staff_list: ListView,
    pub(super) staff_id: Input,
    pub(super) staff_name: Input,
    pub(super) staff_pin: Input,
    pub(super) staff_role: Choice,
    pub(super) staff_lang: Choice,
    pub(super) staff_toggle: Button,
    pub(super) staff_message: Frame,
}

/// The staff pane, in the admin stack at `pane`.
pub(super) fn build(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    pane: (i32, i32, i32, i32),
    m: i32,
) -> StaffPane {
    let mut staff = flex(pane.0, pane.1, pane.2, pane.3, false);
    staff.set_pad(m);
    let staff_list = ListView::new(
        reg,
        "staff.list",
        &[
            ("ID", 0.8, Align::Left),
            ("Nom", 2.6, Align::Left),
            ("Rôle · langue", 2.6, Align::Left),
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
        ("staff.id_label", "ID"),
        "staff.id",
        Some(("staff.id_kbd", KbdTarget::StaffId)),
        false,
    );
    sform.fixed(&r, sc.px(48));
    let (r, staff_name) = form_row(
        reg,
        s,
        sc,
        ("staff.name_label", "Nom"),
        "staff.name",
        Some(("staff.name_kbd", KbdTarget::StaffName)),
        false,
    );
    sform.fixed(&r, sc.px(48));
    let (r, staff_pin) = form_row(
        reg,
        s,
        sc,
        ("staff.pin_label", "PIN"),
        "staff.pin",
        Some(("staff.pin_kbd", KbdTarget::StaffPin)),
        true,
    );
    sform.fixed(&r, sc.px(48));
    // The role and, beside it, the language the till speaks to the person (on one row: the
    // form must fit 800×480).
    let (mut rrow, staff_role) = choice_row(
        reg,
        sc,
        ("staff.role_label", "Rôle"),
        "staff.role",
        "Caissier|Admin",
    );
    rrow.begin();
    let mut staff_lang = Choice::default();
    staff_lang.add_choice("FR|NL|EN");
    staff_lang.set_value(0);
    staff_lang.set_text_size(sc.font(18));
    staff_lang.clear_visible_focus();
    staff_lang.emit(*s, Msg::Ui(Ui::StaffLang));
    reg.add("staff.lang", &staff_lang);
    rrow.fixed(&staff_lang, sc.px(72));
    rrow.end();
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
    StaffPane {
        staff,
        staff_list,
        staff_id,
        staff_name,
        staff_pin,
        staff_role,
        staff_lang,
        staff_toggle,
        staff_message,
    }
}
