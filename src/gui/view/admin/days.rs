//! The admin's days pane: the list of days with their receipts, takings and withdrawals, and the
//! buttons to open a day's report or delete it.

use fltk::app::Sender;
use fltk::enums::{Align, Font};
use fltk::frame::Frame;
use fltk::group::Flex;
use fltk::prelude::*;

use super::super::{flex, row};
use crate::gui::widgets::{ListView, Registry, Scale, action, colors, label};
use crate::gui::{ListId, Msg, Ui};

pub(super) struct DaysPane {
    pub(super) days: Flex,
    pub(super) days_list: ListView,
    pub(super) days_title: Frame,
}

/// The days pane, in the admin stack at `pane`.
pub(super) fn build(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    pane: (i32, i32, i32, i32),
    m: i32,
) -> DaysPane {
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
    DaysPane {
        days,
        days_list,
        days_title,
    }
}
