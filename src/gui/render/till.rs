//! The cashier's screens: login, till, payment, and the overlays over them.

use fltk::prelude::*;

use super::{
    Drawn, account_color, draw_list, set_active, set_color, set_label, set_label_color, set_visible,
};
use crate::domain::Account;
use crate::gui::model::{Model, PayState, Screen, Tone, other};
use crate::gui::view::View;
use crate::gui::widgets::colors;

pub(super) fn login(m: &Model, v: &mut View) {
    let l = &mut v.login;
    set_label(&mut l.message, &m.login_message);
    set_active(&mut l.id, !m.login_locked);
    // The other two languages are offered.
    let mut changed = false;
    for (lang, b) in l.langs.iter_mut() {
        changed |= set_visible(b, *lang != m.lang);
    }
    if let Some(mut p) = l
        .langs
        .first()
        .and_then(|(_, b)| b.parent())
        .filter(|_| changed)
    {
        if let Some(f) = fltk::group::Flex::from_dyn_widget(&p) {
            f.layout();
        }
        p.redraw();
    }
}

pub(super) fn till(m: &Model, v: &mut View, d: &mut Drawn) {
    let t = &mut v.till;
    draw_list(&mut t.table, &m.basket, &mut d.basket_rev);
    let a = m.account;
    set_label(&mut t.account, &m.account_name(a));
    set_color(&mut t.account, account_color(a));
    set_label(&mut t.seller, &m.seller_text());
    set_label(&mut t.main_total, &m.main_total_text());
    set_label(&mut t.sub_total, &m.sub_total_text());
    set_label(&mut t.total, &m.total_text());
    set_label_color(&mut t.total, account_color(a));
    set_label(&mut t.sub, &m.switch_text());
    set_color(&mut t.sub, account_color(other(a)));
    let (text, tone) = &m.till_message;
    set_label_color(
        &mut t.message,
        match tone {
            Tone::Danger => colors::DANGER,
            Tone::Good => colors::SUB,
        },
    );
    set_label(&mut t.message, text);
    set_active(&mut t.pay, !m.paying);
    set_active(&mut t.cash, !m.paying);
    if set_visible(&mut t.admin, m.is_admin()) {
        t.group.layout();
    }
}

pub(super) fn payment(m: &Model, v: &mut View, d: &mut Drawn) {
    let p = &mut v.pay;
    set_label(&mut p.seller, &m.seller_text());
    set_label(&mut p.message, &m.pay_message);
    let Some(pay) = &m.payment else {
        return;
    };
    set_label(&mut p.account, &m.account_name(pay.account));
    set_color(&mut p.account, account_color(pay.account));
    set_label(&mut p.total, &m.money(pay.amount));
    set_label(&mut p.url, &pay.url);
    set_label(&mut p.status, &m.pay_status_text());
    set_color(
        &mut p.status,
        match pay.state {
            PayState::Pending | PayState::Cancelling => colors::PENDING,
            PayState::Accepted => colors::ACCEPTED,
            PayState::PaidAfterCancel => colors::DANGER,
        },
    );
    if d.qr_url.as_deref() != Some(pay.url.as_str()) {
        p.qr.set(if pay.url.is_empty() {
            None
        } else {
            crate::actors::payment::qr_modules(&pay.url)
        });
        d.qr_url = Some(pay.url.clone());
    }
    if m.screen == Screen::Payment {
        p.status.redraw();
    }
}

pub(super) fn overlays(m: &Model, v: &mut View, d: &mut Drawn) {
    let a = &mut v.amount;
    set_label(&mut a.title, &m.amount_title());
    set_label(&mut a.value, &m.amount_text());
    set_label(&mut a.message, &m.amount.message);
    set_label(&mut v.choose.main, &m.choose_text(Account::Main));
    set_label(&mut v.choose.sub, &m.choose_text(Account::Sub));
    set_label(&mut v.change.change, &m.money(m.change.0));
    set_label(&mut v.change.detail, &m.change.1);
    set_label(&mut v.confirm.question, &m.confirm_question);
    count(m, v);
    let k = &mut v.keyboard;
    set_label(&mut k.preview, &m.kbd_preview());
    if d.kbd_shift != Some(m.kbd_shift) {
        for (c, b) in k.letters.iter_mut() {
            let l = if m.kbd_shift {
                c.to_uppercase().next().unwrap_or(*c)
            } else {
                *c
            };
            b.set_label(&l.to_string());
            b.redraw();
        }
        k.shift.set_color(if m.kbd_shift {
            colors::SELECTED
        } else {
            colors::KEY
        });
        k.shift.redraw();
        d.kbd_shift = Some(m.kbd_shift);
    }
}

/// The denomination counter: each button's count, the picked one highlighted, the total.
fn count(m: &Model, v: &mut View) {
    let c = &mut v.count;
    set_label(&mut c.title, &m.count_title());
    set_label(&mut c.total, &m.count_total_text());
    set_label(&mut c.message, &m.drawer.count.message);
    set_label(&mut c.cancel, &m.count_cancel_text());
    for (i, b) in c.pieces.iter_mut().enumerate() {
        set_label(b, &m.count_button_text(i));
        set_color(
            b,
            if i == m.drawer.count.selected {
                colors::SELECTED
            } else {
                colors::KEY
            },
        );
    }
}
