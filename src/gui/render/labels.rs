//! The fixed words of every screen (buttons, field names, column titles), set again whenever
//! the screen's language changes: at a login, a logout, or a language picked on the login
//! screen. Each widget is found by its probe id, so the tests see the same ids in every language.

use fltk::prelude::*;

use super::set_label;
use crate::gui::model::Model;
use crate::gui::view::View;

/// Widget id → catalogue id.
const LABELS: &[(&str, &str)] = &[
    ("login.id_label", "gui-l-login-id"),
    ("login.pin_label", "gui-l-login-pin"),
    ("login.ok", "gui-l-login-ok"),
    ("till.article_label", "gui-l-till-article"),
    ("till.withdraw", "gui-l-till-withdraw"),
    ("till.plus", "gui-l-till-plus"),
    ("till.minus", "gui-l-till-minus"),
    ("till.void", "gui-l-till-void"),
    ("till.logout", "gui-l-logout"),
    ("till.admin", "gui-l-till-admin"),
    ("till.cash", "gui-l-till-cash"),
    ("till.pay", "gui-l-till-pay"),
    ("pay.total_label", "gui-l-pay-total"),
    ("pay.cancel", "gui-l-pay-cancel"),
    ("admin.days", "gui-l-tab-days"),
    ("admin.journal", "gui-l-tab-journal"),
    ("admin.products", "gui-l-tab-products"),
    ("admin.staff", "gui-l-tab-staff"),
    ("admin.drawer", "gui-l-tab-drawer"),
    ("admin.till", "gui-l-admin-till"),
    ("drawer.float", "gui-l-drawer-float"),
    ("drawer.x", "gui-l-drawer-x"),
    ("drawer.z", "gui-l-drawer-z"),
    ("drawer.history", "gui-l-drawer-history"),
    ("drawer.reason_label", "gui-l-drawer-reason"),
    ("drawer.in", "gui-l-drawer-in"),
    ("drawer.out", "gui-l-drawer-out"),
    ("count.ok", "gui-l-amount-ok"),
    ("admin.logout", "gui-l-logout"),
    ("days.open", "gui-l-days-open"),
    ("days.delete", "gui-l-days-delete"),
    ("report.back", "gui-l-report-back"),
    ("journal.from_label", "gui-l-journal-from"),
    ("journal.to_label", "gui-l-journal-to"),
    ("journal.show", "gui-l-journal-show"),
    ("products.code_label", "gui-l-col-code"),
    ("products.barcode_label", "gui-l-form-barcode"),
    ("products.name_label", "gui-l-col-name"),
    ("products.price_label", "gui-l-form-price"),
    ("products.vat_label", "gui-l-col-vat"),
    ("products.save", "gui-l-products-save"),
    ("products.import", "gui-l-products-import"),
    ("staff.id_label", "gui-l-col-id"),
    ("staff.name_label", "gui-l-col-name"),
    ("staff.pin_label", "gui-l-form-pin"),
    ("staff.role_label", "gui-l-col-role"),
    ("staff.add", "gui-l-staff-add"),
    ("staff.reset_pin", "gui-l-staff-reset-pin"),
    ("status.reprint", "gui-l-reprint"),
    ("amount.cancel", "gui-l-amount-cancel"),
    ("amount.ok", "gui-l-amount-ok"),
    ("choose.question", "gui-l-choose-question"),
    ("cash.title", "gui-l-cash-title"),
    ("cash.ok", "gui-l-ok"),
    ("confirm.no", "gui-l-confirm-no"),
    ("confirm.yes", "gui-l-confirm-yes"),
    ("kbd.shift", "gui-l-kbd-shift"),
    ("kbd.space", "gui-l-kbd-space"),
    ("kbd.enter", "gui-l-kbd-enter"),
    ("kbd.close", "gui-l-kbd-close"),
    ("till.discount", "gui-l-till-discount"),
    ("till.return", "gui-l-till-return"),
    ("discount.cancel", "gui-l-amount-cancel"),
    ("discount.remove", "gui-l-discount-remove"),
    ("discount.ok", "gui-l-amount-ok"),
    ("approve.id_label", "gui-l-approve-id"),
    ("approve.pin_label", "gui-l-approve-pin"),
    ("approve.cancel", "gui-l-amount-cancel"),
    ("approve.ok", "gui-l-ok"),
    ("ret.title", "gui-l-return-title"),
    ("ret.find", "gui-l-return-find"),
    ("ret.cancel", "gui-l-amount-cancel"),
    ("ret.next", "gui-l-return-next"),
    ("ret.all", "gui-l-return-all"),
    ("ret.qty_ok", "gui-l-ok"),
    ("refund.back", "gui-l-refund-back"),
    ("refund.ok", "gui-l-refund-ok"),
    ("refunded.ok", "gui-l-ok"),
    ("alarm.title", "gui-l-alarm-title"),
    ("alarm.ok", "gui-l-alarm-ok"),
];

pub(super) fn relabel(m: &Model, v: &mut View) {
    for (wid, mid) in LABELS {
        let text = m.t(mid);
        match v.reg.widgets.iter_mut().find(|(id, _)| id == wid) {
            Some((_, w)) => set_label(w, &text),
            None => tracing::error!(widget = wid, "no such widget to label"),
        }
    }
    let h = |ids: &[&str]| ids.iter().map(|id| m.t(id)).collect::<Vec<_>>();
    v.till.table.set_headers(h(&[
        "gui-l-col-article",
        "gui-l-col-qty",
        "gui-l-col-price",
        "gui-l-col-amount",
    ]));
    v.ret.table.set_headers(h(&[
        "gui-l-col-article",
        "gui-l-col-sold",
        "gui-l-col-returned",
        "gui-l-col-left",
        "gui-l-col-return",
    ]));
    let a = &mut v.admin;
    a.days_list.set_headers(h(&[
        "gui-l-col-day",
        "gui-l-col-tickets",
        "gui-l-col-revenue",
        "gui-l-col-withdrawals",
    ]));
    a.report_list.set_headers(h(&[
        "gui-l-col-time",
        "gui-l-col-seller",
        "gui-l-col-product",
        "gui-l-col-qty",
        "gui-l-col-amount",
    ]));
    a.journal_list.set_headers(h(&[
        "gui-l-col-day",
        "gui-l-col-tickets",
        "gui-l-col-revenue",
        "gui-l-col-vat",
    ]));
    a.products_list.set_headers(h(&[
        "gui-l-col-code",
        "gui-l-col-name",
        "gui-l-col-price",
        "gui-l-col-vat",
    ]));
    a.staff_list.set_headers(h(&[
        "gui-l-col-id",
        "gui-l-col-name",
        "gui-l-col-role-lang",
    ]));
    a.drawer_report
        .set_headers(h(&["gui-l-col-figure", "gui-l-col-amount"]));
    a.drawer_history.set_headers(h(&[
        "gui-l-col-z",
        "gui-l-col-closed",
        "gui-l-col-tickets",
        "gui-l-col-counted",
        "gui-l-col-difference",
    ]));
    // The role choice keeps its selection across the change of words.
    let role = a.staff_role.value();
    a.staff_role.clear();
    a.staff_role.add_choice(&format!(
        "{}|{}",
        m.t("gui-role-cashier"),
        m.t("gui-role-admin")
    ));
    a.staff_role.set_value(role.max(0));
    let tip = m.t("gui-l-till-article-tip");
    v.till.article.set_tooltip(&tip);
}

#[cfg(test)]
mod tests {
    use crate::i18n::{Lang, t};

    #[test]
    fn every_fixed_word_exists_in_every_language() {
        let src = include_str!("labels.rs");
        let mut n = 0;
        for id in src
            .split('"')
            .filter(|s| s.starts_with("gui-") && !s.contains(' ') && !s.ends_with('-'))
        {
            n += 1;
            for lang in Lang::ALL {
                assert_ne!(t(lang, id, &[]), id, "{id} missing in {lang}");
            }
        }
        assert!(n > 50, "the ids are read from the source ({n})");
    }
}
