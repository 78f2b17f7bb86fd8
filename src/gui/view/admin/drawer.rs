//! The admin's « Caisse » pane: the drawer's state, the float, cash in and out with a reason,
//! the X and Z reports, the Z's difference in large type, and the till's past Z reports.

use fltk::app::Sender;
use fltk::enums::{Align, Font};
use fltk::frame::Frame;
use fltk::group::Flex;
use fltk::input::Input;
use fltk::prelude::*;

use super::super::{flex, row};
use crate::gui::widgets::{ListView, Registry, Scale, action, button, colors, input, label};
use crate::gui::{KbdTarget, ListId, Msg, Ui};

pub(super) struct DrawerPane {
    pub(super) drawer: Flex,
    pub(super) drawer_state: Frame,
    pub(super) drawer_reason: Input,
    pub(super) drawer_difference: Frame,
    pub(super) drawer_report: ListView,
    pub(super) drawer_history: ListView,
    pub(super) drawer_message: Frame,
}

/// The drawer pane, in the admin stack at `pane`.
pub(super) fn build(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    pane: (i32, i32, i32, i32),
    m: i32,
) -> DrawerPane {
    let mut drawer = flex(pane.0, pane.1, pane.2, pane.3, true);
    drawer.set_pad(m / 2);
    let mut drawer_state = label(reg, "drawer.state", "", sc.font(18), Align::Left);
    drawer_state.set_label_font(Font::HelveticaBold);
    drawer.fixed(&drawer_state, sc.px(26));

    let mut brow = row();
    brow.set_pad(m);
    for (id, msg, color) in [
        ("drawer.float", Ui::DrawerFloat, colors::SUB),
        ("drawer.x", Ui::DrawerX, colors::MAIN),
        ("drawer.z", Ui::DrawerZ, colors::DANGER),
        ("drawer.history", Ui::DrawerHistory, colors::BAR),
    ] {
        action(reg, id, "", sc.font(17), color, s, Msg::Ui(msg));
    }
    brow.end();
    drawer.fixed(&brow, sc.px(52));

    let mut rrow = row();
    rrow.set_pad(sc.px(4));
    let l = label(
        reg,
        "drawer.reason_label",
        "Motif",
        sc.font(14),
        Align::Left,
    );
    rrow.fixed(&l, sc.px(64));
    let drawer_reason = input(reg, "drawer.reason", sc.font(18), false);
    let b = button(
        reg,
        "drawer.reason_kbd",
        "⌨",
        sc.font(20),
        s,
        Msg::Ui(Ui::Keyboard(KbdTarget::DrawerReason)),
    );
    rrow.fixed(&b, sc.px(48));
    let b = action(
        reg,
        "drawer.in",
        "",
        sc.font(16),
        colors::SUB,
        s,
        Msg::Ui(Ui::DrawerIn),
    );
    rrow.fixed(&b, sc.px(118));
    let b = action(
        reg,
        "drawer.out",
        "",
        sc.font(16),
        colors::PENDING,
        s,
        Msg::Ui(Ui::DrawerOut),
    );
    rrow.fixed(&b, sc.px(118));
    rrow.end();
    drawer.fixed(&rrow, sc.px(50));

    let mut drawer_difference = label(reg, "drawer.difference", "", sc.font(30), Align::Center);
    drawer_difference.set_label_font(Font::HelveticaBold);
    drawer.fixed(&drawer_difference, sc.px(40));

    // Two lists in the same place, one shown at a time: a report's figures, or the past Zs.
    let drawer_report = ListView::new(
        reg,
        "drawer.report",
        &[("", 3.0, Align::Left), ("", 2.0, Align::Right)],
        sc,
        s,
        Msg::Ui(Ui::Select(ListId::Report)),
    );
    let drawer_history = ListView::new(
        reg,
        "drawer.list",
        &[
            ("Z", 0.7, Align::Right),
            ("", 2.6, Align::Left),
            ("", 1.2, Align::Right),
            ("", 2.0, Align::Right),
            ("", 2.0, Align::Right),
        ],
        sc,
        s,
        Msg::Ui(Ui::Select(ListId::ZReports)),
    );
    let mut drawer_message = label(reg, "drawer.message", "", sc.font(15), Align::Left);
    drawer_message.set_label_color(colors::DANGER);
    drawer.fixed(&drawer_message, sc.px(22));
    drawer.end();
    DrawerPane {
        drawer,
        drawer_state,
        drawer_reason,
        drawer_difference,
        drawer_report,
        drawer_history,
        drawer_message,
    }
}
