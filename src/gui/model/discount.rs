//! « Remise » on the screen: a discount on the selected basket line or on the whole basket — a
//! percentage, an amount off, or (on a line) a new unit price — typed on a keypad, with a reason
//! picked from a few presets or typed on the on-screen keyboard.
//!
//! What goes out is the headless driver's `discount <line|basket> <n%|amount|off> [reason]` /
//! `price <line> <amount> [reason]` (`Command::Discount`); every rule stays the runtime's: the
//! cap (`till.max_discount_pct`) is not known here, so the reason is optional until the runtime
//! answers `reason_needed` — then the dialog stays open and asks for one. The dialog waits for
//! the runtime's answer: a `basket` event (applied: it closes), `approval_needed` (the manager's
//! dialog takes its place, see `approval.rs`) or an `error` (said in the dialog, which stays).

use super::{Effect, Model, Overlay, Tone, idx};
use crate::actors::Command;
use crate::actors::command::{DiscountTarget, discount_refusal};
use crate::actors::events::{BasketLineView, DiscountView};
use crate::domain::Money;
use crate::domain::basket::LineKind;
use crate::domain::discount::{DiscountError, DiscountRule, format_percent, parse_percent};
use crate::gui::Ui;
use crate::i18n::Lang;

/// How a discount is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DiscountKind {
    /// A percentage of the line or the basket.
    #[default]
    Percent,
    /// An amount off.
    Amount,
    /// A line's new unit price (a price override).
    Price,
}

/// The preset reasons of a discount (catalogue ids), in the dialog's order.
pub const DISCOUNT_REASONS: [&str; 4] = [
    "gui-reason-damaged",
    "gui-reason-loyal",
    "gui-reason-price-error",
    "gui-reason-goodwill",
];

/// The longest value typed on the discount keypad.
const MAX_TYPED: usize = 9;

/// The discount dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscountPad {
    pub target: DiscountTarget,
    pub kind: DiscountKind,
    /// What was typed, with a decimal comma (`12,5`).
    pub text: String,
    pub message: String,
    /// The runtime answered `reason_needed`: the reasons are asked for.
    pub reason_needed: bool,
    /// Sent: waiting for the runtime's answer.
    pub sent: bool,
}

impl Default for DiscountPad {
    fn default() -> DiscountPad {
        DiscountPad {
            target: DiscountTarget::Basket,
            kind: DiscountKind::Percent,
            text: String::new(),
            message: String::new(),
            reason_needed: false,
            sent: false,
        }
    }
}

/// A reason's words on a button: on two lines when long (the buttons are narrow at 800×480).
pub fn two_lines(text: &str) -> String {
    if text.chars().count() <= 12 {
        return text.to_owned();
    }
    let middle = text.len() / 2;
    let cut = text
        .match_indices(' ')
        .map(|(i, _)| i)
        .min_by_key(|i| i.abs_diff(middle));
    match cut {
        Some(i) => format!("{}\n{}", &text[..i], &text[i + 1..]),
        None => text.to_owned(),
    }
}

impl Model {
    /// The line the dialog is about, when it is about a line.
    fn discount_line(&self) -> Option<&BasketLineView> {
        match self.discount.target {
            DiscountTarget::Line(n) => self.lines[idx(self.account)].get(n.checked_sub(1)?),
            DiscountTarget::Basket => None,
        }
    }

    /// The dialog's title: what the discount applies to.
    pub fn discount_title(&self) -> String {
        match self.discount_line() {
            Some(l) => self.ta(
                "gui-discount-title-line",
                &[
                    ("line", (l.line as i64).into()),
                    ("name", l.name.as_str().into()),
                    (
                        "amount",
                        l.unit_cents
                            .checked_mul(l.qty)
                            .unwrap_or(l.unit_cents)
                            .into(),
                    ),
                ],
            ),
            None => {
                let total = match self.account {
                    crate::domain::Account::Main => self.main_total,
                    crate::domain::Account::Sub => self.sub_total,
                };
                self.ta("gui-discount-title-basket", &[("amount", total.into())])
            }
        }
    }

    /// The value typed, as it will be applied: `12,5 %`, `1,50 €`, `0,99 €`.
    pub fn discount_value_text(&self) -> String {
        let typed = if self.discount.text.is_empty() {
            "0".to_owned()
        } else {
            self.discount.text.clone()
        };
        match self.discount.kind {
            DiscountKind::Percent => format!("−{typed} %"),
            DiscountKind::Amount | DiscountKind::Price => {
                let shown = match self.lang {
                    Lang::En => format!("€{}", typed.replace(',', ".")),
                    Lang::Fr | Lang::Nl => format!("{typed} €"),
                };
                match self.discount.kind {
                    DiscountKind::Amount => format!("−{shown}"),
                    _ => self.ta("gui-discount-new-price", &[("price", shown.into())]),
                }
            }
        }
    }

    /// The label of preset reason `i` of a discount.
    pub fn discount_reason_text(&self, i: usize) -> String {
        DISCOUNT_REASONS
            .get(i)
            .map(|id| two_lines(&self.t(id)))
            .unwrap_or_default()
    }

    /// Preset `i` is the reason now.
    pub fn discount_reason_picked(&self, i: usize) -> bool {
        DISCOUNT_REASONS
            .get(i)
            .is_some_and(|id| self.fields.discount_reason.trim() == self.t(id))
    }

    /// The reason as the dialog shows it (or what to do when there is none).
    pub fn discount_reason_shown(&self) -> String {
        let r = self.fields.discount_reason.trim();
        if r.is_empty() {
            self.t(if self.discount.reason_needed {
                "gui-discount-reason-needed"
            } else {
                "gui-discount-reason-optional"
            })
        } else {
            self.ta("gui-reason-shown", &[("reason", r.into())])
        }
    }

    /// « Retirer la remise » is offered when the target has a discount of its own.
    pub fn discount_removable(&self) -> bool {
        match self.discount.target {
            DiscountTarget::Line(_) => self.discount_line().is_some_and(|l| l.discount.is_some()),
            DiscountTarget::Basket => self.basket_discount.is_some(),
        }
    }

    /// The note under a discounted basket line: `−10 % · −0,40 €`, `prix 0,99 € · −0,21 €`,
    /// `remise panier −0,20 €` for a share of the basket's discount only.
    pub(super) fn line_discount_note(&self, l: &BasketLineView) -> Option<String> {
        if l.discount_cents == Money::ZERO && l.discount.is_none() {
            return None;
        }
        let off = format!("−{}", self.money(l.discount_cents));
        Some(match l.discount {
            Some(DiscountView::Percent(bp)) => format!("−{} · {off}", format_percent(bp)),
            Some(DiscountView::AmountCents(a)) => self.ta(
                "gui-discount-note-amount",
                &[("amount", a.into()), ("off", off.into())],
            ),
            Some(DiscountView::PriceCents(p)) => self.ta(
                "gui-discount-note-price",
                &[("price", p.into()), ("off", off.into())],
            ),
            None => self.ta("gui-discount-note-basket", &[("off", off.into())]),
        })
    }

    /// The basket's discount line under the totals: empty without a discount.
    pub fn discount_total_text(&self) -> String {
        if self.discount_total == Money::ZERO {
            return String::new();
        }
        let off = format!("−{}", self.money(self.discount_total));
        match self.basket_discount {
            Some(DiscountView::Percent(bp)) => self.ta(
                "gui-discount-total-basket",
                &[
                    ("off", off.into()),
                    ("rule", format!("−{}", format_percent(bp)).into()),
                ],
            ),
            Some(DiscountView::AmountCents(a)) | Some(DiscountView::PriceCents(a)) => self.ta(
                "gui-discount-total-basket",
                &[
                    ("off", off.into()),
                    ("rule", format!("−{}", self.money(a)).into()),
                ],
            ),
            None => self.ta("gui-discount-total", &[("off", off.into())]),
        }
    }
}

/// Opens the dialog for the selected item line (or the basket when none is).
fn open(m: &mut Model) -> Vec<Effect> {
    if m.lines[idx(m.account)].is_empty() {
        return m.refuse(m.t("gui-empty-basket"));
    }
    if m.payment.is_some() || m.paying {
        return m.refuse(m.t("gui-payment-busy"));
    }
    let target = match m.selected_line() {
        Some(i) if m.lines[idx(m.account)][i].kind == LineKind::Item => DiscountTarget::Line(i + 1),
        _ => DiscountTarget::Basket,
    };
    m.discount = DiscountPad {
        target,
        ..DiscountPad::default()
    };
    m.fields.discount_reason.clear();
    m.open(Overlay::Discount);
    vec![]
}

/// The discount dialog's touches; `None` for a touch that is not theirs.
pub(super) fn on_ui(m: &mut Model, u: Ui) -> Option<Vec<Effect>> {
    let fx = match u {
        Ui::Discount => open(m),
        Ui::DiscountOnLine => {
            if let Some(i) = m
                .selected_line()
                .filter(|i| m.lines[idx(m.account)][*i].kind == LineKind::Item)
            {
                m.discount.target = DiscountTarget::Line(i + 1);
                m.discount.message.clear();
            }
            vec![]
        }
        Ui::DiscountOnBasket => {
            m.discount.target = DiscountTarget::Basket;
            if m.discount.kind == DiscountKind::Price {
                m.discount.kind = DiscountKind::Percent;
                m.discount.text.clear();
            }
            m.discount.message.clear();
            vec![]
        }
        Ui::DiscountKind(k) => {
            // A new price is a line's only.
            if k == DiscountKind::Price && m.discount.target == DiscountTarget::Basket {
                m.discount.message = m.t("gui-discount-price-line-only");
                return Some(vec![Effect::Beep]);
            }
            if m.discount.kind != k {
                m.discount.kind = k;
                m.discount.text.clear();
            }
            m.discount.message.clear();
            vec![]
        }
        Ui::DiscountKey(c) => {
            let t = &m.discount.text;
            let decimals = t.split_once(',').map(|(_, d)| d.len());
            let ok = t.len() < MAX_TYPED
                && match c {
                    ',' => decimals.is_none(),
                    _ => c.is_ascii_digit() && decimals.is_none_or(|d| d < 2),
                };
            if ok {
                if c == ',' && m.discount.text.is_empty() {
                    m.discount.text.push('0');
                }
                m.discount.text.push(c);
            }
            vec![]
        }
        Ui::DiscountBack => {
            m.discount.text.pop();
            vec![]
        }
        Ui::DiscountReason(i) => {
            if let Some(id) = DISCOUNT_REASONS.get(i) {
                m.fields.discount_reason = m.t(id);
                m.discount.message.clear();
            }
            vec![]
        }
        Ui::DiscountRemove => {
            let reason = m.fields.discount_reason.trim().to_owned();
            m.discount.sent = true;
            m.discount.message.clear();
            vec![Effect::Send(Command::Discount {
                target: m.discount.target,
                rule: None,
                reason: (!reason.is_empty()).then_some(reason),
            })]
        }
        Ui::DiscountOk => ok(m),
        Ui::DiscountCancel => {
            m.discount.sent = false;
            m.close_overlay()
        }
        _ => return None,
    };
    Some(fx)
}

/// « Valider »: the value and the reason checked as the runtime would take them, then sent.
fn ok(m: &mut Model) -> Vec<Effect> {
    let text = m.discount.text.trim().to_owned();
    if text.is_empty() {
        m.discount.message = m.t("gui-discount-enter-value");
        return vec![Effect::Beep];
    }
    let rule = match m.discount.kind {
        DiscountKind::Percent => parse_percent(&text).map(DiscountRule::Percent),
        DiscountKind::Amount => match Money::parse(&text) {
            Ok(a) if a > Money::ZERO => Ok(DiscountRule::Amount(a)),
            Ok(_) => Err(DiscountError::NotPositive),
            Err(_) => {
                m.discount.message = m.t("gui-bad-amount");
                return vec![Effect::Beep];
            }
        },
        DiscountKind::Price => match Money::parse(&text) {
            Ok(p) => Ok(DiscountRule::Price(p)),
            Err(_) => {
                m.discount.message = m.t("gui-bad-amount");
                return vec![Effect::Beep];
            }
        },
    };
    let rule = match rule {
        Ok(r) => r,
        Err(e) => {
            m.discount.message = discount_refusal(e).text.render(m.lang);
            return vec![Effect::Beep];
        }
    };
    let typed = m.fields.discount_reason.trim().to_owned();
    let reason = if typed.is_empty() {
        None
    } else {
        match crate::domain::refund::reason(&typed) {
            Some(r) => Some(r),
            None => {
                m.discount.message = m.ta(
                    "gui-bad-reason",
                    &[("chars", (crate::domain::refund::MAX_REASON as i64).into())],
                );
                return vec![Effect::Beep];
            }
        }
    };
    m.discount.sent = true;
    m.discount.message.clear();
    m.asked = Some(match m.discount_line() {
        Some(l) => m.ta(
            "gui-approval-asked-line",
            &[
                ("value", m.discount_value_text().into()),
                ("line", (l.line as i64).into()),
                ("name", l.name.as_str().into()),
            ],
        ),
        None => m.ta(
            "gui-approval-asked-basket",
            &[("value", m.discount_value_text().into())],
        ),
    });
    vec![Effect::Send(Command::Discount {
        target: m.discount.target,
        rule: Some(rule),
        reason,
    })]
}

/// A `basket` event while the dialog waits: the discount was applied.
pub(super) fn on_basket(m: &mut Model) {
    if m.overlay == Some(Overlay::Discount) && m.discount.sent {
        m.discount.sent = false;
        m.overlay = None;
        m.till_message = (m.t("gui-discount-applied"), Tone::Good);
    }
}

/// An `error` while the dialog is open: said there; `reason_needed` asks for a reason.
pub(super) fn on_error(m: &mut Model, code: &str, text: String) {
    m.discount.sent = false;
    if code == "reason_needed" {
        m.discount.reason_needed = true;
        m.discount.message = m.t("gui-discount-reason-asked");
    } else {
        m.discount.message = text;
    }
}
