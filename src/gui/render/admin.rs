//! The admin's panes: days, a day's report, the journal, products, staff.

use fltk::enums::Color;
use fltk::prelude::*;

use super::{Drawn, draw_list, set_label, set_label_color, set_visible};
use crate::gui::AdminTab;
use crate::gui::model::{DrawerShows, Model, Pane, Tone};
use crate::gui::view::View;
use crate::gui::widgets::colors;

pub(super) fn admin(m: &Model, v: &mut View, d: &mut Drawn) {
    let a = &mut v.admin;
    if d.pane != Some(m.pane) {
        for (p, g) in [
            (Pane::Days, &mut a.days),
            (Pane::Report, &mut a.report),
            (Pane::Journal, &mut a.journal),
            (Pane::Products, &mut a.products),
            (Pane::Staff, &mut a.staff),
            (Pane::Drawer, &mut a.drawer),
        ] {
            if p == m.pane {
                g.show();
                // A flex laid out while hidden keeps stale sizes: lay it out now it shows.
                g.layout();
            } else {
                g.hide();
            }
        }
        let tab = match m.pane {
            Pane::Days | Pane::Report => AdminTab::Days,
            Pane::Journal => AdminTab::Journal,
            Pane::Products => AdminTab::Products,
            Pane::Staff => AdminTab::Staff,
            Pane::Drawer => AdminTab::Drawer,
        };
        for (t, b) in a.tabs.iter_mut() {
            if *t == tab {
                b.set_color(colors::MAIN);
                b.set_label_color(Color::White);
            } else {
                b.set_color(colors::KEY);
                b.set_label_color(Color::Black);
            }
            b.redraw();
        }
        match m.pane {
            Pane::Days => a.days_list.fit_columns(),
            Pane::Report => a.report_list.fit_columns(),
            Pane::Journal => a.journal_list.fit_columns(),
            Pane::Products => a.products_list.fit_columns(),
            Pane::Staff => a.staff_list.fit_columns(),
            Pane::Drawer => {
                a.drawer_report.fit_columns();
                a.drawer_history.fit_columns();
            }
        }
        a.group.redraw();
        d.pane = Some(m.pane);
    }
    let am = &m.admin;
    let [days, report, journal, products, staff] = &mut d.lists;
    draw_list(&mut a.days_list, &am.days_list, days);
    draw_list(&mut a.report_list, &am.report_list, report);
    draw_list(&mut a.journal_list, &am.journal_list, journal);
    draw_list(&mut a.products_list, &am.products_list, products);
    draw_list(&mut a.staff_list, &am.staff_list, staff);
    set_label(&mut a.days_title, &m.days_title());
    set_label(&mut a.report_title, &m.report_title());
    set_label(&mut a.report_source, &m.report_source_text());
    set_label(&mut a.report_exported, &am.report_note);
    set_label(&mut a.journal_source, &m.journal_text());
    set_label(&mut a.products_message, &am.products_message);
    set_label(&mut a.product_toggle, &m.product_toggle_text());
    set_label(&mut a.staff_message, &am.staff_message);
    set_label(&mut a.staff_toggle, &m.staff_toggle_text());
    drawer(m, v, d);
}

/// The « Caisse » pane: its state, the report or the past Zs, the Z's difference in colour.
fn drawer(m: &Model, v: &mut View, d: &mut Drawn) {
    let a = &mut v.admin;
    let dm = &m.drawer;
    let report = dm.shows == DrawerShows::Report && dm.report.is_some();
    let flipped = set_visible(&mut a.drawer_report.table, report)
        | set_visible(&mut a.drawer_history.table, !report);
    if flipped {
        a.drawer.layout();
        a.drawer_report.fit_columns();
        a.drawer_history.fit_columns();
        a.drawer.redraw();
    }
    draw_list(
        &mut a.drawer_report,
        &dm.report_list,
        &mut d.drawer_lists[0],
    );
    draw_list(
        &mut a.drawer_history,
        &dm.history_list,
        &mut d.drawer_lists[1],
    );
    set_label(&mut a.drawer_state, &m.drawer_state_text());
    let (diff, good) = m.drawer_difference().unwrap_or_default();
    set_label_color(
        &mut a.drawer_difference,
        if good { colors::SUB } else { colors::DANGER },
    );
    set_label(&mut a.drawer_difference, &diff);
    let (text, tone) = &dm.message;
    set_label_color(
        &mut a.drawer_message,
        match tone {
            Tone::Good => colors::SUB,
            Tone::Danger => colors::DANGER,
        },
    );
    set_label(&mut a.drawer_message, text);
}
