//! The manager's approval on the screen: `approval_needed` opens a dialog over whatever asked
//! (a discount above the cap, a price override, a refund) with what is asked, a manager's ID
//! and PIN typed on the login's keypad, « OK » and « Annuler ». What goes out is `approve <id>
//! <pin>`; the runtime checks the PIN with the login's lockout and answers `approved` (the
//! dialog closes, the action runs) or an `error` — `bad_pin` (with the attempts left in its
//! message), `locked_out`, `unknown`, `not_a_manager`, `nothing_to_approve` — said in the dialog,
//! which stays open for another try: the action keeps waiting in the runtime. « Annuler » only
//! closes the dialog; the runtime drops the waiting action at the next command.

use super::{Effect, Model, Overlay, Screen, Tone};
use crate::actors::Command;
use crate::gui::Ui;

/// The longest ID or PIN the keypad types (as the login's).
const MAX_TYPED: usize = 12;

/// The approval dialog.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApprovalPad {
    /// `discount`, `price` or `refund`.
    pub action: String,
    /// The runtime's words for what waits.
    pub detail: String,
    /// What the screen asked, in the cashier's words (empty when the screen did not ask it).
    pub asked: String,
    pub id: String,
    pub pin: String,
    /// The keypad types the PIN (else the ID).
    pub on_pin: bool,
    pub message: String,
    /// Sent: waiting for the runtime's answer.
    pub sent: bool,
}

impl Model {
    /// The dialog's title: what needs a manager.
    pub fn approval_title(&self) -> String {
        self.t(match self.approval.action.as_str() {
            "price" => "gui-approval-title-price",
            "refund" => "gui-approval-title-refund",
            _ => "gui-approval-title-discount",
        })
    }

    /// What is asked: the screen's own words, then the runtime's.
    pub fn approval_detail_text(&self) -> String {
        let a = &self.approval;
        if a.asked.is_empty() {
            a.detail.clone()
        } else {
            format!("{}\n{}", a.asked, a.detail)
        }
    }

    /// The ID field: what was typed (a cursor shows where the keypad types).
    pub fn approval_id_text(&self) -> String {
        let cursor = if self.approval.on_pin { "" } else { "▏" };
        format!("{}{cursor}", self.approval.id)
    }

    pub fn approval_pin_text(&self) -> String {
        let cursor = if self.approval.on_pin { "▏" } else { "" };
        format!("{}{cursor}", "•".repeat(self.approval.pin.chars().count()))
    }
}

/// `approval_needed`: the dialog opens (the dialog that asked closes).
pub(super) fn on_needed(m: &mut Model, action: String, detail: String) -> Vec<Effect> {
    m.discount.sent = false;
    m.ret.sent = false;
    m.approval = ApprovalPad {
        action,
        detail,
        asked: m.asked.take().unwrap_or_default(),
        ..ApprovalPad::default()
    };
    m.open(Overlay::Approval);
    vec![]
}

/// `approved`: the dialog closes; the runtime runs the action next.
pub(super) fn on_approved(m: &mut Model, name: String) {
    m.approval = ApprovalPad::default();
    if m.overlay == Some(Overlay::Approval) {
        m.overlay = None;
    }
    let text = m.ta("gui-approved-by", &[("name", name.as_str().into())]);
    m.approved_by = Some(name);
    if m.screen == Screen::Return {
        m.ret.message = (text, Tone::Good);
    } else {
        m.till_message = (text, Tone::Good);
    }
}

/// An `error` while the dialog is open: said there, the PIN typed again.
pub(super) fn on_error(m: &mut Model, code: &str, text: String) {
    let a = &mut m.approval;
    a.sent = false;
    a.pin.clear();
    a.message = text;
    match code {
        // Another person's ID, or none known: the ID is typed again.
        "unknown" | "not_a_manager" => {
            a.id.clear();
            a.on_pin = false;
        }
        _ => a.on_pin = true,
    }
}

/// The dialog's touches; `None` for a touch that is not theirs.
pub(super) fn on_ui(m: &mut Model, u: Ui) -> Option<Vec<Effect>> {
    let a = &mut m.approval;
    let fx = match u {
        Ui::ApproveId => {
            a.on_pin = false;
            vec![]
        }
        Ui::ApprovePin => {
            a.on_pin = true;
            vec![]
        }
        Ui::ApproveKey(c) if c.is_ascii_digit() => {
            let t = if a.on_pin { &mut a.pin } else { &mut a.id };
            if t.len() < MAX_TYPED {
                t.push(c);
            }
            vec![]
        }
        Ui::ApproveKey(_) => vec![],
        Ui::ApproveClear => {
            if a.on_pin {
                a.pin.clear();
            } else {
                a.id.clear();
            }
            vec![]
        }
        Ui::ApproveBack => {
            if a.on_pin {
                a.pin.pop();
            } else {
                a.id.pop();
            }
            vec![]
        }
        Ui::ApproveOk => {
            if a.sent {
                return Some(vec![]);
            }
            if a.id.is_empty() || a.pin.is_empty() {
                let need_id = a.id.is_empty();
                a.on_pin = !need_id;
                m.approval.message = m.t(if need_id {
                    "gui-approval-enter-id"
                } else {
                    "gui-approval-enter-pin"
                });
                return Some(vec![Effect::Beep]);
            }
            let cmd = Command::Approve {
                id: a.id.clone(),
                pin: std::mem::take(&mut a.pin),
            };
            a.sent = true;
            a.message.clear();
            vec![Effect::Send(cmd)]
        }
        Ui::ApproveCancel => {
            // The runtime drops the waiting action at the next command.
            m.approval = super::approval::ApprovalPad::default();
            let text = m.t("gui-approval-cancelled");
            if m.screen == Screen::Return {
                m.ret.message = (text, super::Tone::Danger);
            } else {
                m.till_message = (text, super::Tone::Danger);
            }
            m.close_overlay()
        }
        _ => return None,
    };
    Some(fx)
}
