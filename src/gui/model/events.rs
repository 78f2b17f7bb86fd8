//! What the runtime's events do to the screen.

use super::{
    Effect, Field, Model, Network, Overlay, PayState, Payment, PrinterState, Screen, Tone, idx,
};
use crate::actors::admin::AdminRequest;
use crate::actors::events::RefusalReason;
use crate::actors::{Command, TillEvent};
use crate::domain::staff::Role;
use crate::domain::{Account, Money, PaymentMethod};

pub(super) fn on_event(m: &mut Model, e: TillEvent) -> Vec<Effect> {
    let mut fx = vec![];
    match e {
        TillEvent::Ready { .. } => {}
        TillEvent::LoggedIn {
            name,
            role,
            lang,
            drawer_session,
            ..
        } => {
            m.drawer.session = drawer_session;
            m.role = Some(role);
            m.seller = name;
            m.fields.login_id.clear();
            m.fields.login_pin.clear();
            m.login_locked = false;
            m.login_message.clear();
            m.overlay = None;
            m.set_lang(lang);
            if role == Role::Admin {
                m.pane = super::Pane::Days;
                fx.extend(m.show(Screen::Admin));
                fx.push(Effect::Admin(AdminRequest::Days));
            } else {
                m.till_message = (String::new(), Tone::Danger);
                m.rebuild_basket();
                // A payment re-attached after a restart waits on its own screen.
                if m.payment.is_some() {
                    fx.extend(m.show(Screen::Payment));
                } else {
                    fx.extend(m.show(Screen::Till));
                    // The first login with no drawer open: the cashier counts the float.
                    if drawer_session.is_none() {
                        super::drawer::open_count(m, super::CountFor::Float);
                    }
                }
            }
        }
        TillEvent::LoginRefused {
            reason, message, ..
        } => {
            m.fields.login_pin.clear();
            // The runtime's message says why (and, when closed, the time and the hours).
            m.login_message = message;
            if reason == RefusalReason::Unknown && !m.login_locked {
                m.fields.login_id.clear();
                fx.push(Effect::Focus(Field::LoginId));
            } else {
                fx.push(Effect::Focus(Field::LoginPin));
            }
            fx.push(Effect::Beep);
        }
        TillEvent::LoggedOut { reason } => {
            m.role = None;
            m.seller.clear();
            m.payment = None;
            m.paying = false;
            m.lines = [Vec::new(), Vec::new()];
            m.main_total = Money::ZERO;
            m.sub_total = Money::ZERO;
            m.account = Account::Main;
            m.overlay = None;
            m.kbd_under = None;
            m.discount_total = Money::ZERO;
            m.basket_discount = None;
            forget_counter(m);
            m.login_locked = false;
            m.login_lang = m.till_lang;
            m.set_lang(m.till_lang);
            m.rebuild_basket();
            m.login_message = match reason.as_str() {
                "closed" => {
                    let hours = m
                        .status
                        .as_ref()
                        .map(|s| s.hours_today.clone())
                        .unwrap_or_default();
                    m.ta("gui-logout-closed", &[("hours", hours.into())])
                }
                "replaced" => m.t("gui-logout-replaced"),
                _ => String::new(),
            };
            fx.extend(m.show(Screen::Login));
            fx.push(Effect::Send(Command::Status));
        }
        TillEvent::SessionLocked { staff_id, .. } => {
            m.overlay = None;
            m.kbd_under = None;
            // The runtime keeps the return in progress for the same person; the screen asks
            // again from the start after the unlock.
            forget_counter(m);
            m.fields.login_id = staff_id;
            m.fields.login_pin.clear();
            m.login_locked = true;
            m.login_message = m.t("gui-session-locked");
            fx.extend(m.show(Screen::Login));
        }
        TillEvent::Basket {
            account,
            lines,
            discount_cents,
            basket_discount,
            main_total_cents,
            sub_total_cents,
            ..
        } => {
            // A basket that changed makes the last message stale.
            let changed = lines != m.lines[idx(account)];
            m.account = account;
            m.lines[idx(account)] = lines;
            m.main_total = main_total_cents;
            m.sub_total = sub_total_cents;
            m.discount_total = discount_cents;
            m.basket_discount = basket_discount;
            if changed {
                m.till_message = (String::new(), Tone::Danger);
            }
            m.rebuild_basket();
            super::discount::on_basket(m);
            if let Some(name) = m.approved_by.take() {
                m.till_message = (
                    m.ta("gui-discount-approved", &[("name", name.as_str().into())]),
                    Tone::Good,
                );
            }
            fx.push(Effect::ScanShown);
        }
        TillEvent::Error { code, message } => {
            m.paying = false;
            let text = match code.as_str() {
                "payment_unavailable" => {
                    tracing::warn!(%message, "payment server unavailable");
                    m.t("gui-pay-unavailable")
                }
                _ => m.ta(
                    "gui-error",
                    &[("message", message.into()), ("code", code.as_str().into())],
                ),
            };
            // A refusal after an approval is the action's, said where it was asked.
            m.approved_by = None;
            match (m.screen, m.overlay) {
                (_, Some(Overlay::Approval)) => super::approval::on_error(m, &code, text),
                (_, Some(Overlay::Discount)) => super::discount::on_error(m, &code, text),
                (Screen::Return, _) => super::returns::on_error(m, &code, text),
                (_, Some(Overlay::Amount)) => m.amount.message = text,
                (_, Some(Overlay::Count)) => m.drawer.count.message = text,
                (Screen::Admin, _) if m.pane == super::Pane::Drawer => {
                    m.drawer.message = (text, Tone::Danger)
                }
                (Screen::Payment, _) => m.pay_message = text,
                (Screen::Login, _) => m.login_message = text,
                _ => m.till_message = (text, Tone::Danger),
            }
            fx.push(Effect::ScanDropped);
            fx.push(Effect::Beep);
        }
        TillEvent::PaymentPending {
            account,
            amount_cents,
            pay_url,
            ..
        } => {
            m.paying = false;
            m.overlay = None;
            m.payment = Some(Payment {
                account,
                amount: amount_cents,
                url: pay_url,
                state: PayState::Pending,
            });
            m.pay_message.clear();
            // Re-attached at start-up: shown once somebody has logged in.
            if m.screen != Screen::Login {
                fx.extend(m.show(Screen::Payment));
            }
        }
        TillEvent::PaymentAccepted {
            account,
            amount_cents,
            ..
        } => {
            match &mut m.payment {
                Some(p) => p.state = PayState::Accepted,
                // After a restart the payment comes back by itself: show it (after the login).
                None => {
                    m.payment = Some(Payment {
                        account,
                        amount: amount_cents,
                        url: String::new(),
                        state: PayState::Accepted,
                    });
                    m.pay_message.clear();
                }
            }
            if m.screen == Screen::Till {
                fx.extend(m.show(Screen::Payment));
            }
        }
        TillEvent::PaymentCancelling { .. } => {
            if let Some(p) = &mut m.payment {
                p.state = PayState::Cancelling;
            }
            m.pay_message = m.t("gui-pay-cancelling-note");
        }
        TillEvent::PaymentPaidAfterCancel { amount_cents, .. } => {
            match &mut m.payment {
                Some(p) => p.state = PayState::PaidAfterCancel,
                None => {
                    m.payment = Some(Payment {
                        account: m.account,
                        amount: amount_cents,
                        url: String::new(),
                        state: PayState::PaidAfterCancel,
                    })
                }
            }
            m.pay_message = m.ta(
                "gui-pay-paid-after-cancel-note",
                &[("amount", amount_cents.into())],
            );
            if m.screen == Screen::Till {
                fx.extend(m.show(Screen::Payment));
            }
            fx.push(Effect::Beep);
        }
        TillEvent::PaymentCancelled { message, .. } => {
            m.payment = None;
            fx.extend(m.show(Screen::Till));
            m.till_message = (
                message.unwrap_or_else(|| m.t("gui-pay-cancelled")),
                Tone::Danger,
            );
        }
        TillEvent::SaleCommitted {
            ticket_no,
            account,
            method,
            paid_cents,
            change_cents,
            ..
        } => {
            m.payment = None;
            // That basket is paid: its lines are gone (the next Basket event may be for the
            // other account).
            m.lines[idx(account)].clear();
            match account {
                Account::Main => m.main_total = Money::ZERO,
                Account::Sub => m.sub_total = Money::ZERO,
            }
            m.rebuild_basket();
            if m.screen == Screen::Payment {
                fx.extend(m.show(Screen::Till));
            }
            m.till_message = (
                m.ta(
                    "gui-sale-recorded",
                    &[("ticket", ticket_no.into()), ("amount", paid_cents.into())],
                ),
                Tone::Good,
            );
            if method == PaymentMethod::Cash {
                let received = paid_cents.checked_add(change_cents).unwrap_or(paid_cents);
                m.change = (
                    change_cents,
                    m.ta(
                        "gui-change-detail",
                        &[("received", received.into()), ("ticket", ticket_no.into())],
                    ),
                );
                m.open(Overlay::CashChange);
            }
            fx.push(Effect::Send(Command::Status));
        }
        TillEvent::DrawerOpened {
            session_no,
            float_cents,
            counted,
        } => super::drawer::on_opened(m, session_no, float_cents, counted),
        TillEvent::DrawerMoved {
            kind,
            amount_cents,
            reason,
            ..
        } => fx.extend(super::drawer::on_moved(m, kind, amount_cents, &reason)),
        TillEvent::DrawerReport { report } => fx.extend(super::drawer::on_report(m, *report)),
        TillEvent::Printed { .. } => m.printer = PrinterState::Printed,
        TillEvent::PrintFailed { reason, .. } => {
            m.printer = PrinterState::Failed { reason, queue: 0 };
            fx.push(Effect::Beep);
        }
        // A drawer slip or an X/Z report: the printer's state all the same.
        TillEvent::DocumentPrinted { .. } => m.printer = PrinterState::Printed,
        TillEvent::DocumentPrintFailed { reason, .. } => {
            m.printer = PrinterState::Failed { reason, queue: 0 };
            fx.push(Effect::Beep);
        }
        TillEvent::Connectivity {
            online,
            pending,
            parked,
        } => {
            if !matches!(m.network, Network::Unusable | Network::Standalone) {
                m.network = Network::Sync {
                    online: Some(online),
                    pending,
                    parked,
                };
            }
        }
        TillEvent::ClosingSoon { at } => m.closing_at = Some(m.local_hm(&at)),
        TillEvent::ClockWarning { .. } => m.clock_warning = true,
        TillEvent::Scanner {
            connected, message, ..
        } => m.scanner_problem = (!connected).then_some(message),
        TillEvent::Status(s) => {
            m.network = if s.central_error.is_some() {
                Network::Unusable
            } else if s.central {
                Network::Sync {
                    online: s.online,
                    pending: s.outbox_pending,
                    parked: s.outbox_parked,
                }
            } else {
                Network::Standalone
            };
            match &mut m.printer {
                PrinterState::Failed { queue, .. } => *queue = s.print_queue,
                PrinterState::Unknown => m.printer = PrinterState::Ready,
                _ => {}
            }
            m.cash_rounding = s.cash_rounding;
            super::drawer::on_status(m, s.drawer_session);
            m.status = Some(*s);
        }
        TillEvent::ApprovalNeeded { action, detail } => {
            fx.extend(super::approval::on_needed(m, action, detail))
        }
        TillEvent::Approved { name, .. } => super::approval::on_approved(m, name),
        TillEvent::RefundBasket {
            original_sale_id,
            till_id,
            ticket_no,
            paid_at,
            method,
            lines,
            refund_cents,
        } => fx.extend(super::returns::on_basket(
            m,
            super::RefundTicket {
                sale_id: original_sale_id,
                till_id,
                ticket_no,
                paid_at,
                method,
                lines,
                refund: refund_cents,
            },
        )),
        TillEvent::RefundCommitted {
            sale_id,
            ticket_no,
            original_ticket_no,
            refunded_cents,
            rounding_cents,
            method,
            provider_status,
            ..
        } => fx.extend(super::refunded::on_committed(
            m,
            super::Refunded {
                ticket_no,
                original_ticket_no,
                amount: refunded_cents,
                rounding: rounding_cents,
                method,
                provider_status,
            },
            sale_id,
        )),
        TillEvent::RefundProgress {
            sale_id,
            ticket_no,
            status,
            reason,
        } => fx.extend(super::refunded::on_progress(
            m, &sale_id, ticket_no, &status, reason,
        )),
        TillEvent::RefundCancelled => fx.extend(super::returns::on_cancelled(m)),
    }
    fx
}

/// A logout or a lock: the discount, the approval and the return in progress are forgotten
/// (the runtime drops them too); an alarm stays until someone acknowledges it.
fn forget_counter(m: &mut Model) {
    m.discount = super::DiscountPad::default();
    m.approval = super::ApprovalPad::default();
    m.asked = None;
    m.approved_by = None;
    m.ret.ticket = None;
    m.ret.sent = false;
    m.ret.refunded = None;
    m.ret.message.0.clear();
    super::returns::rebuild_list(m);
    if m.screen == Screen::Return {
        m.screen = Screen::Till;
    }
}
