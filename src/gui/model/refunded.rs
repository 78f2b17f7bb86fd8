//! What a return leaves behind: the credit note just recorded, shown large over the till like
//! the change of a cash sale (`refund_committed`), and the provider refunds that go on after it
//! (`refund_progress`): a success is good news on the till, a failure an alarm — the money did
//! not go back — shown above everything until someone acknowledges it and gives it in cash.

use super::{Effect, Model, Overlay, Screen, Tone};
use crate::actors::Command;
use crate::domain::{Money, PaymentMethod};

/// A credit note just recorded, as the overlay shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refunded {
    pub ticket_no: i64,
    pub original_ticket_no: i64,
    pub amount: Money,
    pub rounding: Money,
    pub method: PaymentMethod,
    pub provider_status: Option<String>,
}

/// A provider refund that failed: the money did not go back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundAlarm {
    pub ticket_no: i64,
    /// What had to go back, when this session recorded the credit note.
    pub amount: Option<Money>,
    pub reason: Option<String>,
}

impl Model {
    /// The refunded overlay: its title, the amount, the detail.
    pub fn refunded_title(&self) -> String {
        self.t(match self.ret.refunded.as_ref().map(|r| r.method) {
            Some(PaymentMethod::Qr) => "gui-refunded-title-qr",
            _ => "gui-refunded-title-cash",
        })
    }

    pub fn refunded_amount(&self) -> String {
        self.ret
            .refunded
            .as_ref()
            .map(|r| self.money(r.amount))
            .unwrap_or_default()
    }

    pub fn refunded_detail(&self) -> String {
        let Some(r) = &self.ret.refunded else {
            return String::new();
        };
        let mut text = self.ta(
            "gui-refunded-detail",
            &[
                ("ticket", r.ticket_no.into()),
                ("original", r.original_ticket_no.into()),
            ],
        );
        if r.rounding != Money::ZERO {
            text.push_str(" · ");
            text.push_str(&self.ta("gui-refunded-rounding", &[("amount", r.rounding.into())]));
        }
        if let Some(s) = &r.provider_status {
            text.push_str(" · ");
            text.push_str(&provider_status_text(self, s));
        }
        text
    }

    /// The alarm shown (the oldest not acknowledged).
    pub fn alarm(&self) -> Option<&RefundAlarm> {
        self.ret.alarms.first()
    }

    pub fn alarm_text(&self) -> String {
        let Some(a) = self.alarm() else {
            return String::new();
        };
        let why = a.reason.clone().unwrap_or_else(|| "?".to_owned());
        match a.amount {
            Some(amount) => self.ta(
                "gui-alarm-text",
                &[
                    ("ticket", a.ticket_no.into()),
                    ("reason", why.into()),
                    ("amount", amount.into()),
                ],
            ),
            None => self.ta(
                "gui-alarm-text-no-amount",
                &[("ticket", a.ticket_no.into()), ("reason", why.into())],
            ),
        }
    }
}

/// A provider refund's state in words.
fn provider_status_text(m: &Model, status: &str) -> String {
    match status {
        "succeeded" => m.t("gui-refund-status-succeeded"),
        "failed" => m.t("gui-refund-status-failed"),
        _ => m.t("gui-refund-status-pending"),
    }
}

/// `refund_committed`: the amount to give back, large; the till comes back.
pub(super) fn on_committed(m: &mut Model, r: Refunded, sale_id: String) -> Vec<Effect> {
    if r.method == PaymentMethod::Qr {
        m.ret.qr_refunds.push((sale_id, r.ticket_no, r.amount));
    }
    let text = m.ta(
        "gui-refund-recorded",
        &[("ticket", r.ticket_no.into()), ("amount", r.amount.into())],
    );
    let showing = matches!(m.screen, Screen::Till | Screen::Return);
    m.ret.restart();
    m.ret.refunded = Some(r);
    m.fields.refund_reason.clear();
    m.fields.return_ticket.clear();
    m.till_message = (text, Tone::Good);
    let mut fx = vec![Effect::Send(Command::Status)];
    if showing {
        fx.extend(m.show(Screen::Till));
        m.open(Overlay::Refunded);
    }
    fx
}

/// `refund_progress`: a provider refund moved on; a failure raises the alarm.
pub(super) fn on_progress(
    m: &mut Model,
    sale_id: &str,
    ticket_no: i64,
    status: &str,
    why: Option<String>,
) -> Vec<Effect> {
    let known = m
        .ret
        .qr_refunds
        .iter()
        .find(|(id, _, _)| id == sale_id)
        .map(|(_, no, amount)| (*no, *amount));
    let ticket_no = if ticket_no == 0 {
        known.map_or(0, |(no, _)| no)
    } else {
        ticket_no
    };
    match status {
        "failed" => {
            m.ret.alarms.push(RefundAlarm {
                ticket_no,
                amount: known.map(|(_, a)| a),
                reason: why,
            });
            vec![Effect::Beep]
        }
        "succeeded" => {
            m.till_message = (
                m.ta("gui-refund-succeeded", &[("ticket", ticket_no.into())]),
                Tone::Good,
            );
            vec![]
        }
        _ => vec![],
    }
}
