//! « Retour » on the screen: a return of goods against their ticket, and what follows it.
//!
//! The return screen takes the ticket — typed (its number on this till, or `till/number`), or
//! scanned: a keyboard-mode scanner types the sale id the ticket's QR code holds into the same
//! field — and shows the original's lines with what was sold, already returned and still
//! returnable. A line is picked in the list and its quantity set on a keypad (« Tout »: all that
//! is left); the amount to give back is the runtime's. « Rembourser… » asks the tender (cash, or
//! as the original was paid — which is shown) and a reason (presets or typed), then a manager
//! approves (see `approval.rs`), and the amount to give back is shown large, like the change of a
//! cash sale (`refunded.rs`, with the alarm of a provider refund that fails later).
//!
//! What goes out is the headless driver's `refund`, `refund_qty`, `refund_commit`,
//! `refund_cancel`; the runtime holds the return in progress and every rule (what can be
//! returned, the amounts, the rounding, the approval), and its refusals come back as `error`s.

use super::{Effect, List, Model, Overlay, RefundAlarm, Refunded, Row, RowTone, Screen, Tone};
use crate::actors::Command;
use crate::domain::basket::LineKind;
use crate::domain::refund::{MAX_REASON, RefundLine, RefundTender, TicketKey, reason};
use crate::domain::{Money, PaymentMethod};
use crate::gui::{ListId, Ui};

/// The preset reasons of a return (catalogue ids), in the dialog's order.
pub const REFUND_REASONS: [&str; 4] = [
    "gui-refund-reason-defective",
    "gui-refund-reason-unsuited",
    "gui-refund-reason-till-error",
    "gui-reason-goodwill",
];

/// The original ticket as the return shows it (the runtime's `refund_basket`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundTicket {
    /// The original sale's id.
    pub sale_id: String,
    pub till_id: String,
    pub ticket_no: i64,
    pub paid_at: String,
    pub method: PaymentMethod,
    pub lines: Vec<RefundLine>,
    /// What the picked lines give back (before cash rounding).
    pub refund: Money,
}

/// The return screen and what follows it.
#[derive(Debug, Clone, Default)]
pub struct ReturnModel {
    pub ticket: Option<RefundTicket>,
    pub list: List,
    /// The picked line's quantity as typed.
    pub qty: String,
    /// The next digit replaces the quantity shown (a line was just picked).
    pub fresh: bool,
    pub message: (String, Tone),
    pub tender: Option<RefundTender>,
    pub commit_message: String,
    /// `refund_commit` sent: waiting for the runtime.
    pub sent: bool,
    /// The payment server did not answer a provider refund: the till keeps asking and records
    /// the credit note when it answers. Asking again meanwhile could refund twice: the screen
    /// does not offer it (« Annuler » leaves the return; the answer still comes).
    pub unconfirmed: bool,
    pub refunded: Option<Refunded>,
    /// Provider refunds recorded in this session (credit note id, its number, the amount), for
    /// the alarm's amount if one fails later.
    pub qr_refunds: Vec<(String, i64, Money)>,
    /// Failed provider refunds not yet acknowledged (the first is shown).
    pub alarms: Vec<RefundAlarm>,
}

impl ReturnModel {
    /// A new return: what a previous one left is forgotten (alarms and refunds kept).
    pub(super) fn restart(&mut self) {
        *self = ReturnModel {
            qr_refunds: std::mem::take(&mut self.qr_refunds),
            alarms: std::mem::take(&mut self.alarms),
            list: List {
                rev: self.list.rev + 1,
                ..List::default()
            },
            ..ReturnModel::default()
        };
    }
}

/// A sale's tender in words.
fn method_text(m: &Model, method: PaymentMethod) -> String {
    m.t(match method {
        PaymentMethod::Cash => "gui-method-cash",
        PaymentMethod::Qr => "gui-method-qr",
    })
}

/// An instant (RFC 3339) on the shop's clock: `07/12/2026 11:42`.
fn local_time(m: &Model, instant: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(instant)
        .map(|t| t.with_timezone(&m.tz).format("%d/%m/%Y %H:%M").to_string())
        .unwrap_or_else(|_| instant.to_owned())
}

impl Model {
    /// The line of the ticket the keypad sets.
    fn refund_line(&self) -> Option<&RefundLine> {
        let t = self.ret.ticket.as_ref()?;
        t.lines.get(self.fields.refund_sel?)
    }

    /// Under the ticket field: the ticket found, or what to do.
    pub fn return_info(&self) -> String {
        match &self.ret.ticket {
            Some(t) => self.ta(
                "gui-return-info",
                &[
                    ("ticket", t.ticket_no.into()),
                    ("till", t.till_id.as_str().into()),
                    ("at", local_time(self, &t.paid_at).into()),
                    ("method", method_text(self, t.method).into()),
                ],
            ),
            None => self.t("gui-return-hint"),
        }
    }

    /// Above the keypad: the picked line's quantity.
    pub fn return_qty_text(&self) -> String {
        match self.refund_line() {
            Some(l) => self.ta(
                "gui-return-qty",
                &[
                    ("line", i64::from(l.line).into()),
                    ("qty", self.ret.qty.as_str().into()),
                    ("left", l.returnable.into()),
                ],
            ),
            None => self.t("gui-return-pick-line"),
        }
    }

    /// What the picked lines give back.
    pub fn return_amount_text(&self) -> String {
        let amount = self.ret.ticket.as_ref().map_or(Money::ZERO, |t| t.refund);
        self.ta("gui-return-amount", &[("amount", amount.into())])
    }

    /// The tender the money goes back by.
    fn refund_method(&self) -> Option<PaymentMethod> {
        let t = self.ret.ticket.as_ref()?;
        Some(self.ret.tender?.method(t.method))
    }

    /// The last step's title: the ticket and how it was paid.
    pub fn refund_title(&self) -> String {
        match &self.ret.ticket {
            Some(t) => self.ta(
                "gui-refund-title",
                &[
                    ("ticket", t.ticket_no.into()),
                    ("method", method_text(self, t.method).into()),
                    ("at", local_time(self, &t.paid_at).into()),
                ],
            ),
            None => String::new(),
        }
    }

    /// The last step's amount: in cash, rounded to 5 cents like the sale it gives back.
    pub fn refund_due_text(&self) -> String {
        let amount = self.ret.ticket.as_ref().map_or(Money::ZERO, |t| t.refund);
        let cash = self.cash_rounding && self.refund_method() == Some(PaymentMethod::Cash);
        let rounded = amount.round_to_5_cents().unwrap_or(amount);
        if cash && rounded != amount {
            self.ta(
                "gui-refund-due-rounded",
                &[("amount", amount.into()), ("cash", rounded.into())],
            )
        } else {
            self.ta("gui-return-amount", &[("amount", amount.into())])
        }
    }

    /// « Comme payé (QR) »: the original tender on its button.
    pub fn refund_original_text(&self) -> String {
        let method = self
            .ret
            .ticket
            .as_ref()
            .map_or(PaymentMethod::Cash, |t| t.method);
        self.ta(
            "gui-refund-as-paid",
            &[("method", method_text(self, method).into())],
        )
    }

    pub fn refund_reason_text(&self, i: usize) -> String {
        REFUND_REASONS
            .get(i)
            .map(|id| super::discount::two_lines(&self.t(id)))
            .unwrap_or_default()
    }

    /// Preset `i` is the reason now.
    pub fn refund_reason_picked(&self, i: usize) -> bool {
        REFUND_REASONS
            .get(i)
            .is_some_and(|id| self.fields.refund_reason.trim() == self.t(id))
    }

    pub fn refund_reason_shown(&self) -> String {
        let r = self.fields.refund_reason.trim();
        if r.is_empty() {
            self.t("gui-refund-reason-needed")
        } else {
            self.ta("gui-reason-shown", &[("reason", r.into())])
        }
    }
}

fn rows(m: &Model) -> Vec<Row> {
    let Some(t) = &m.ret.ticket else {
        return vec![];
    };
    t.lines
        .iter()
        .map(|l| {
            // Under the name, what the line cost (its discounts included): what a unit gives back.
            let note = m.ta(
                "gui-return-line-note",
                &[
                    ("sold", l.sold.into()),
                    ("unit", l.unit_cents.into()),
                    ("paid", l.total_cents.into()),
                ],
            );
            let cells = vec![
                format!("{}\n{note}", l.name),
                l.sold.to_string(),
                l.returned.to_string(),
                l.returnable.to_string(),
                if l.picked > 0 {
                    format!("✔ {}", l.picked)
                } else {
                    String::new()
                },
            ];
            let tone = match l.kind {
                LineKind::Withdrawal => RowTone::Withdrawal,
                LineKind::Item if l.returnable == 0 => RowTone::Disabled,
                LineKind::Item if l.picked > 0 => RowTone::Picked,
                LineKind::Item => RowTone::Plain,
            };
            Row::toned(cells, tone)
        })
        .collect()
}

/// The list again, in the model's language (kept selection).
pub(super) fn rebuild_list(m: &mut Model) {
    let rows = rows(m);
    let sel = m.fields.refund_sel.filter(|i| *i < rows.len());
    m.ret.list.set(rows, sel);
}

/// The quantity shown for the picked line: what is picked of it.
fn show_picked(m: &mut Model) {
    m.ret.qty = m
        .refund_line()
        .map(|l| l.picked.to_string())
        .unwrap_or_default();
    m.ret.fresh = true;
}

fn say(m: &mut Model, text: String, tone: Tone) -> Vec<Effect> {
    m.ret.message = (text, tone);
    if tone == Tone::Danger {
        vec![Effect::Beep]
    } else {
        vec![]
    }
}

/// Looks up the ticket typed (or scanned) in the field.
fn find(m: &mut Model) -> Vec<Effect> {
    let typed = m.fields.return_ticket.trim().to_owned();
    if typed.is_empty() {
        let text = m.t("gui-return-hint");
        let mut fx = say(m, text, Tone::Danger);
        fx.push(Effect::Focus(super::Field::ReturnTicket));
        return fx;
    }
    match TicketKey::parse(&typed) {
        Some(key) => {
            m.ret.message.0.clear();
            vec![
                Effect::Focus(super::Field::ReturnTicket),
                Effect::Send(Command::Refund(key)),
            ]
        }
        None => {
            m.fields.return_ticket.clear();
            let text = m.ta("gui-return-bad-ticket", &[("value", typed.into())]);
            let mut fx = say(m, text, Tone::Danger);
            fx.push(Effect::Focus(super::Field::ReturnTicket));
            fx
        }
    }
}

/// Sends the picked line's quantity.
fn pick(m: &mut Model, qty: i64) -> Vec<Effect> {
    match m.refund_line().map(|l| l.line) {
        Some(line) => {
            m.ret.message.0.clear();
            vec![Effect::Send(Command::RefundQty { line, qty })]
        }
        None => {
            let text = m.t(if m.ret.ticket.is_some() {
                "gui-return-pick-line"
            } else {
                "gui-return-hint"
            });
            say(m, text, Tone::Danger)
        }
    }
}

/// The return's touches; `None` for a touch that is not theirs.
pub(super) fn on_ui(m: &mut Model, u: Ui) -> Option<Vec<Effect>> {
    let fx = match u {
        Ui::Return => {
            if m.payment.is_some() || m.paying {
                return Some(m.refuse(m.t("gui-payment-busy")));
            }
            m.ret.restart();
            m.fields.return_ticket.clear();
            m.fields.refund_reason.clear();
            m.fields.refund_sel = None;
            m.overlay = None;
            m.show(Screen::Return)
        }
        Ui::ReturnFind => find(m),
        Ui::Select(ListId::Refund) => {
            show_picked(m);
            m.ret.list.selected = m.fields.refund_sel;
            vec![]
        }
        Ui::ReturnKey(d) if d.is_ascii_digit() => {
            if m.ret.fresh {
                m.ret.qty.clear();
                m.ret.fresh = false;
            }
            if m.ret.qty.len() < 3 {
                m.ret.qty.push(d);
            }
            let trimmed = m.ret.qty.trim_start_matches('0');
            m.ret.qty = if trimmed.is_empty() { "0" } else { trimmed }.to_owned();
            vec![]
        }
        Ui::ReturnKey(_) => vec![],
        Ui::ReturnClear => {
            m.ret.qty = "0".to_owned();
            m.ret.fresh = true;
            vec![]
        }
        Ui::ReturnBack => {
            m.ret.qty.pop();
            m.ret.fresh = false;
            vec![]
        }
        Ui::ReturnQtyOk => {
            let qty = m.ret.qty.parse::<i64>().unwrap_or(0);
            pick(m, qty)
        }
        Ui::ReturnAll => match m.refund_line().map(|l| l.returnable) {
            Some(left) => {
                m.ret.qty = left.to_string();
                m.ret.fresh = true;
                pick(m, left)
            }
            None => pick(m, 0),
        },
        Ui::ReturnNext => match &m.ret.ticket {
            None => {
                let text = m.t("gui-return-hint");
                say(m, text, Tone::Danger)
            }
            Some(_) if m.ret.unconfirmed => {
                let text = m.t("gui-refund-unconfirmed-wait");
                say(m, text, Tone::Danger)
            }
            Some(t) if !t.lines.iter().any(|l| l.picked > 0) => {
                let text = m.t("gui-return-nothing-picked");
                say(m, text, Tone::Danger)
            }
            Some(_) => {
                m.ret.tender.get_or_insert(RefundTender::Original);
                m.ret.commit_message.clear();
                m.open(Overlay::RefundCommit);
                vec![]
            }
        },
        Ui::ReturnCancel => {
            let loaded = m.ret.ticket.is_some();
            m.ret.restart();
            m.fields.return_ticket.clear();
            let mut fx = m.show(Screen::Till);
            if loaded {
                fx.push(Effect::Send(Command::RefundCancel));
            }
            fx
        }
        Ui::RefundTender(t) => {
            m.ret.tender = Some(t);
            vec![]
        }
        Ui::RefundReason(i) => {
            if let Some(id) = REFUND_REASONS.get(i) {
                m.fields.refund_reason = m.t(id);
                m.ret.commit_message.clear();
            }
            vec![]
        }
        Ui::RefundOk => commit(m),
        Ui::RefundBack => {
            m.ret.sent = false;
            m.close_overlay()
        }
        Ui::RefundedOk => {
            m.ret.refunded = None;
            m.close_overlay()
        }
        Ui::AlarmOk => {
            if !m.ret.alarms.is_empty() {
                m.ret.alarms.remove(0);
            }
            vec![]
        }
        _ => return None,
    };
    Some(fx)
}

/// « Rembourser »: the tender and the reason, sent.
fn commit(m: &mut Model) -> Vec<Effect> {
    if m.ret.sent {
        return vec![];
    }
    let typed = m.fields.refund_reason.trim().to_owned();
    let Some(why) = reason(&typed) else {
        m.ret.commit_message = if typed.is_empty() {
            m.t("gui-refund-reason-needed")
        } else {
            m.ta("gui-bad-reason", &[("chars", (MAX_REASON as i64).into())])
        };
        return vec![Effect::Beep];
    };
    let tender = *m.ret.tender.get_or_insert(RefundTender::Original);
    let (ticket, amount) = m
        .ret
        .ticket
        .as_ref()
        .map_or((0, Money::ZERO), |t| (t.ticket_no, t.refund));
    let method = m.refund_method().unwrap_or(PaymentMethod::Cash);
    m.asked = Some(m.ta(
        "gui-approval-asked-refund",
        &[
            ("ticket", ticket.into()),
            ("amount", amount.into()),
            ("method", method_text(m, method).into()),
            ("reason", why.as_str().into()),
        ],
    ));
    m.ret.sent = true;
    m.ret.commit_message.clear();
    vec![Effect::Send(Command::RefundCommit {
        tender,
        reason: why,
    })]
}

/// `refund_basket`: the ticket's lines, what is picked, what it gives back.
pub(super) fn on_basket(m: &mut Model, ticket: RefundTicket) -> Vec<Effect> {
    let same_ticket = m
        .ret
        .ticket
        .as_ref()
        .is_some_and(|t| t.sale_id == ticket.sale_id && t.lines.len() == ticket.lines.len());
    if !same_ticket {
        // A new ticket: its first line still returnable is picked.
        m.fields.refund_sel = ticket
            .lines
            .iter()
            .position(|l| l.returnable > 0)
            .or((!ticket.lines.is_empty()).then_some(0));
        m.fields.return_ticket.clear();
        m.ret.tender = None;
        m.fields.refund_reason.clear();
    }
    m.ret.ticket = Some(ticket);
    m.ret.message.0.clear();
    rebuild_list(m);
    show_picked(m);
    // A ticket scanned on the till screen (its QR code holds the sale id) starts a return there.
    if m.screen == Screen::Till && m.role.is_some() {
        m.overlay = None;
        return m.show(Screen::Return);
    }
    vec![]
}

/// `refund_cancelled`: back to the till.
pub(super) fn on_cancelled(m: &mut Model) -> Vec<Effect> {
    m.ret.restart();
    if m.screen == Screen::Return {
        m.overlay = None;
        m.show(Screen::Till)
    } else {
        vec![]
    }
}

/// An `error` on the return screen: in the last step's dialog when it is open, else on the
/// screen. A refund the payment server did not confirm closes the dialog: it is not asked twice.
pub(super) fn on_error(m: &mut Model, code: &str, text: String) {
    m.ret.sent = false;
    if code == "refund_unconfirmed" {
        m.ret.unconfirmed = true;
        if m.overlay == Some(Overlay::RefundCommit) {
            m.overlay = None;
        }
        m.ret.message = (text, Tone::Danger);
    } else if m.overlay == Some(Overlay::RefundCommit) {
        m.ret.commit_message = text;
    } else {
        m.ret.message = (text, Tone::Danger);
    }
}
