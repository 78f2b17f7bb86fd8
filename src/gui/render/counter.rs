//! Draws the counter's extras: the basket's discount line, the discount dialog, the manager's
//! approval, the return screen and its overlays, the alarm of a failed provider refund.

use fltk::prelude::*;

use super::{Drawn, draw_list, set_color, set_label, set_label_color, set_visible};
use crate::actors::command::DiscountTarget;
use crate::gui::model::{DiscountKind, Model, Tone};
use crate::gui::view::View;
use crate::gui::widgets::colors;

/// A choice button: highlighted when it is the one chosen.
fn chosen<W: WidgetExt>(b: &mut W, on: bool) {
    set_color(b, if on { colors::SELECTED } else { colors::KEY });
}

pub(super) fn render(m: &Model, v: &mut View, d: &mut Drawn) {
    set_label(&mut v.till.discount_total, &m.discount_total_text());
    discount(m, v);
    approval(m, v);
    returns(m, v, d);
}

fn discount(m: &Model, v: &mut View) {
    let dv = &mut v.discount;
    let p = &m.discount;
    set_label(&mut dv.title, &m.discount_title());
    let line = match p.target {
        DiscountTarget::Line(n) => Some(n),
        DiscountTarget::Basket => m.selected_line().map(|i| i + 1),
    };
    let line_text = match line {
        Some(n) => m.ta("gui-discount-on-line", &[("line", (n as i64).into())]),
        None => m.t("gui-discount-on-line-none"),
    };
    set_label(&mut dv.on_line, &line_text);
    set_label(&mut dv.on_basket, &m.t("gui-discount-on-basket"));
    chosen(&mut dv.on_line, matches!(p.target, DiscountTarget::Line(_)));
    chosen(&mut dv.on_basket, p.target == DiscountTarget::Basket);
    for (kind, b) in dv.kinds.iter_mut() {
        if *kind == DiscountKind::Price {
            set_label(b, &m.t("gui-discount-kind-price"));
        }
        chosen(b, *kind == p.kind);
    }
    set_label(&mut dv.value, &m.discount_value_text());
    for (i, b) in dv.reasons.iter_mut().enumerate() {
        set_label(b, &m.discount_reason_text(i));
        chosen(b, m.discount_reason_picked(i));
    }
    set_label(&mut dv.reason, &m.discount_reason_shown());
    set_label_color(
        &mut dv.reason,
        if p.reason_needed && m.fields.discount_reason.trim().is_empty() {
            colors::DANGER
        } else {
            fltk::enums::Color::Black
        },
    );
    set_label(&mut dv.message, &p.message);
    if set_visible(&mut dv.remove, m.discount_removable())
        && let Some(mut parent) = dv.remove.parent()
    {
        if let Some(f) = fltk::group::Flex::from_dyn_widget(&parent) {
            f.layout();
        }
        parent.redraw();
    }
}

fn approval(m: &Model, v: &mut View) {
    let a = &mut v.approval;
    set_label(&mut a.title, &m.approval_title());
    set_label(&mut a.detail, &m.approval_detail_text());
    set_label(&mut a.id, &m.approval_id_text());
    set_label(&mut a.pin, &m.approval_pin_text());
    chosen(&mut a.id, !m.approval.on_pin);
    chosen(&mut a.pin, m.approval.on_pin);
    set_label(&mut a.message, &m.approval.message);
}

fn returns(m: &Model, v: &mut View, d: &mut Drawn) {
    let r = &mut v.ret;
    draw_list(&mut r.table, &m.ret.list, &mut d.return_rev);
    set_label(&mut r.info, &m.return_info());
    let (text, tone) = &m.ret.message;
    set_label_color(
        &mut r.message,
        match tone {
            Tone::Danger => colors::DANGER,
            Tone::Good => colors::SUB,
        },
    );
    set_label(&mut r.message, text);
    set_label(&mut r.amount, &m.return_amount_text());
    set_label(&mut r.qty_label, &m.return_qty_text());
    set_label(&mut r.qty, &m.ret.qty);

    let c = &mut v.refund_commit;
    set_label(&mut c.title, &m.refund_title());
    set_label(&mut c.due, &m.refund_due_text());
    for (tender, b) in c.tenders.iter_mut() {
        let text = match tender {
            crate::domain::refund::RefundTender::Cash => m.t("gui-refund-cash"),
            crate::domain::refund::RefundTender::Original => m.refund_original_text(),
        };
        set_label(b, &text);
        chosen(b, m.ret.tender == Some(*tender));
    }
    for (i, b) in c.reasons.iter_mut().enumerate() {
        set_label(b, &m.refund_reason_text(i));
        chosen(b, m.refund_reason_picked(i));
    }
    set_label(&mut c.reason, &m.refund_reason_shown());
    set_label(&mut c.message, &m.ret.commit_message);

    let f = &mut v.refunded;
    set_label(&mut f.title, &m.refunded_title());
    set_label(&mut f.amount, &m.refunded_amount());
    set_label(&mut f.detail, &m.refunded_detail());

    set_label(&mut v.alarm.text, &m.alarm_text());
}
