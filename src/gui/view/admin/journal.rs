//! The admin's journal pane: the receipts journal between two dates, one line a day with its
//! receipts, takings and VAT.

use fltk::app::Sender;
use fltk::enums::Align;
use fltk::frame::Frame;
use fltk::group::Flex;
use fltk::input::Input;
use fltk::prelude::*;

use super::super::{flex, row};
use crate::gui::widgets::{ListView, Registry, Scale, action, button, colors, input, label};
use crate::gui::{KbdTarget, ListId, Msg, Ui};

pub(super) struct JournalPane {
    pub(super) journal: Flex,
    pub(super) journal_from: Input,
    pub(super) journal_to: Input,
    pub(super) journal_list: ListView,
    pub(super) journal_source: Frame,
}

/// The journal pane, in the admin stack at `pane`.
pub(super) fn build(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    pane: (i32, i32, i32, i32),
    m: i32,
) -> JournalPane {
    let mut journal = flex(pane.0, pane.1, pane.2, pane.3, true);
    journal.set_pad(m);
    let mut jrow = row();
    jrow.set_pad(sc.px(4));
    let l = label(reg, "journal.from_label", "Du", sc.font(16), Align::Right);
    jrow.fixed(&l, sc.px(42));
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
    let l = label(reg, "journal.to_label", "au", sc.font(16), Align::Right);
    jrow.fixed(&l, sc.px(42));
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
    JournalPane {
        journal,
        journal_from,
        journal_to,
        journal_list,
        journal_source,
    }
}
