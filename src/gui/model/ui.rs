//! What the cashier's touches do: the login screen, the till, the payment screen and the
//! overlays (amount keypad, which account, change due, on-screen keyboard). The admin's
//! screens are in `admin.rs`.

use super::{AmountFor, Effect, Field, Model, Overlay, PayState, Screen, admin, idx, other};
use crate::actors::Command;
use crate::actors::admin::AdminRequest;
use crate::domain::basket::{PayChoice, pay_choice};
use crate::domain::refund::TicketKey;
use crate::domain::{Account, Money, PaymentMethod};
use crate::gui::Ui;

/// The longest ID or PIN the login keypad types.
const MAX_LOGIN: usize = 12;
/// The longest text the on-screen keyboard types into a field.
const MAX_TYPED: usize = 80;

pub(super) fn on_ui(m: &mut Model, u: Ui) -> Vec<Effect> {
    if let Some(fx) = super::drawer::on_ui(m, u) {
        return fx;
    }
    if let Some(fx) = super::discount::on_ui(m, u) {
        return fx;
    }
    if let Some(fx) = super::approval::on_ui(m, u) {
        return fx;
    }
    if let Some(fx) = super::returns::on_ui(m, u) {
        return fx;
    }
    if let Some(fx) = admin::on_ui(m, u) {
        return fx;
    }
    match u {
        Ui::LoginKey(c) => {
            let t = m.fields.text_mut(login_target(m));
            if t.chars().count() < MAX_LOGIN {
                t.push(c);
            }
            vec![]
        }
        Ui::LoginClear => {
            if m.login_locked && m.fields.login_pin.is_empty() {
                // A locked session: « C » on an empty PIN lets someone else log in (the
                // runtime then closes the previous session and its basket).
                m.login_locked = false;
                m.fields.login_id.clear();
                m.login_message.clear();
                vec![Effect::Focus(Field::LoginId)]
            } else {
                m.fields.text_mut(login_target(m)).clear();
                vec![]
            }
        }
        Ui::LoginBack => {
            m.fields.text_mut(login_target(m)).pop();
            vec![]
        }
        Ui::LoginIdEnter => vec![Effect::Focus(Field::LoginPin)],
        Ui::LoginOk => {
            let id = m.fields.login_id.trim().to_owned();
            let pin = m.fields.login_pin.trim().to_owned();
            if id.is_empty() {
                m.login_message = m.t("gui-enter-id");
                vec![Effect::Focus(Field::LoginId)]
            } else if pin.is_empty() {
                vec![Effect::Focus(Field::LoginPin)]
            } else {
                m.fields.login_pin.clear();
                m.login_message.clear();
                vec![Effect::Send(Command::Login { id, pin })]
            }
        }
        Ui::LoginLang(lang) => {
            // The login screen in another language; the runtime answers the login in it too.
            m.login_lang = lang;
            m.login_message.clear();
            m.set_lang(lang);
            vec![Effect::Send(Command::Language(lang))]
        }
        Ui::Article => {
            let code = m.fields.article.trim().to_owned();
            m.fields.article.clear();
            if code.is_empty() {
                return vec![Effect::Focus(Field::Article)];
            }
            // A ticket's QR code (the sale's id) scanned at the till: its return starts.
            if let Some(key @ TicketKey::SaleId(_)) = TicketKey::parse(&code) {
                return vec![
                    Effect::Focus(Field::Article),
                    Effect::Send(Command::Refund(key)),
                ];
            }
            // The runtime checks the code (and says why it is refused, in the cashier's
            // language).
            vec![
                Effect::Focus(Field::Article),
                Effect::ScanSent,
                Effect::Send(Command::Scan(code)),
            ]
        }
        Ui::Withdraw => {
            open_amount(m, AmountFor::Withdraw);
            vec![]
        }
        Ui::ToggleSub => vec![Effect::Send(Command::Account(other(m.account)))],
        Ui::Plus | Ui::Minus => {
            let Some(i) = m.selected_line() else {
                return m.refuse(m.t("gui-no-line"));
            };
            let step = if u == Ui::Plus { 1 } else { -1 };
            // The basket says what quantity is allowed (never below 1: void the line instead).
            let qty = m.lines[idx(m.account)][i].qty + step;
            vec![Effect::Send(Command::Qty { line: i + 1, qty })]
        }
        Ui::Void => match m.selected_line() {
            Some(i) => vec![Effect::Send(Command::Void { line: i + 1 })],
            None => m.refuse(m.t("gui-no-line")),
        },
        Ui::Pay => start_payment(m, PaymentMethod::Qr),
        Ui::Cash => start_payment(m, PaymentMethod::Cash),
        Ui::Logout => vec![Effect::Send(Command::Logout)],
        Ui::AdminToTill if m.is_admin() => {
            m.overlay = None;
            m.till_message.0.clear();
            m.rebuild_basket();
            m.show(Screen::Till)
        }
        Ui::TillToAdmin if m.is_admin() => {
            if m.payment.is_some() {
                m.refuse(m.t("gui-payment-busy"))
            } else {
                // The basket stays as it is, for when the admin comes back to the till.
                let mut fx = m.show(Screen::Admin);
                fx.push(Effect::Admin(AdminRequest::Days));
                fx
            }
        }
        Ui::AdminToTill | Ui::TillToAdmin => vec![],
        Ui::AmountKey(c) => {
            let t = &m.amount.text;
            let decimals = t.split_once(',').map(|(_, d)| d.len());
            let ok = t.len() < 9
                && match c {
                    ',' => decimals.is_none(),
                    _ => decimals.is_none_or(|d| d < 2),
                };
            if ok {
                if c == ',' && m.amount.text.is_empty() {
                    m.amount.text.push('0');
                }
                m.amount.text.push(c);
            }
            vec![]
        }
        Ui::AmountBack => {
            m.amount.text.pop();
            vec![]
        }
        Ui::AmountCancel => m.close_overlay(),
        Ui::AmountOk => amount_ok(m),
        Ui::Choose(a) => {
            let mut fx = m.close_overlay();
            fx.extend(pay(m, a));
            fx
        }
        Ui::PayStatus => {
            let paid = m
                .payment
                .as_ref()
                .is_some_and(|p| matches!(p.state, PayState::Accepted | PayState::PaidAfterCancel));
            if paid {
                vec![Effect::Send(Command::Accept)]
            } else {
                m.pay_message = m.t("gui-pay-not-confirmed");
                vec![]
            }
        }
        Ui::PayCancel => vec![Effect::Send(Command::Cancel)],
        Ui::CashOk => m.close_overlay(),
        Ui::Reprint => vec![Effect::Send(Command::Reprint)],
        Ui::Keyboard(t) => {
            m.kbd_target = Some(t.into());
            // Opened from a dialog: the dialog comes back when the keyboard closes.
            m.kbd_under = m.overlay.filter(|o| *o != Overlay::Keyboard);
            m.open(Overlay::Keyboard);
            vec![]
        }
        Ui::Kbd(c) => {
            let Some(f) = m.kbd_target else {
                return vec![];
            };
            let c = if m.kbd_shift {
                c.to_uppercase().next().unwrap_or(c)
            } else {
                c
            };
            let t = m.fields.text_mut(f);
            if t.chars().count() < MAX_TYPED {
                t.push(c);
            }
            vec![]
        }
        Ui::KbdBack => {
            if let Some(f) = m.kbd_target {
                m.fields.text_mut(f).pop();
            }
            vec![]
        }
        Ui::KbdShift => {
            m.kbd_shift = !m.kbd_shift;
            vec![]
        }
        Ui::KbdEnter => match m.kbd_target {
            // The article typed on the keyboard goes in; the keyboard stays for the next one.
            Some(Field::Article) => on_ui(m, Ui::Article)
                .into_iter()
                .filter(|e| !matches!(e, Effect::Focus(_)))
                .collect(),
            // The ticket typed is looked up.
            Some(Field::ReturnTicket) => {
                let mut fx = close_keyboard(m);
                fx.extend(on_ui(m, Ui::ReturnFind));
                fx
            }
            _ => close_keyboard(m),
        },
        Ui::KbdClose => close_keyboard(m),
        Ui::Close => {
            if m.payment.is_some() {
                m.pay_message = m.t("gui-close-during-payment");
                vec![Effect::Beep]
            } else {
                vec![Effect::Send(Command::Quit), Effect::Quit]
            }
        }
        // The admin's actions were handled above.
        _ => vec![],
    }
}

/// Closes the on-screen keyboard, back to the dialog it was opened from (if any).
fn close_keyboard(m: &mut Model) -> Vec<Effect> {
    match m.kbd_under.take() {
        Some(o) => {
            m.overlay = Some(o);
            vec![]
        }
        None => m.close_overlay(),
    }
}

/// Where the login keypad types: the PIN when it has the focus or the ID is locked.
fn login_target(m: &Model) -> Field {
    if m.fields.focus == Some(Field::LoginPin) || m.login_locked {
        Field::LoginPin
    } else {
        Field::LoginId
    }
}

fn open_amount(m: &mut Model, purpose: AmountFor) {
    m.amount.purpose = purpose;
    m.amount.text.clear();
    m.amount.message.clear();
    m.open(Overlay::Amount);
}

fn start_payment(m: &mut Model, method: PaymentMethod) -> Vec<Effect> {
    m.choose_for = method;
    match pay_choice(m.has_items(Account::Main), m.has_items(Account::Sub)) {
        PayChoice::Choose => {
            m.open(Overlay::Choose);
            vec![]
        }
        PayChoice::Nothing => m.refuse(m.t("gui-empty-basket")),
        PayChoice::Only(a) => pay(m, a),
    }
}

fn pay(m: &mut Model, account: Account) -> Vec<Effect> {
    match m.choose_for {
        PaymentMethod::Qr => {
            // Creating the payment may take a while (the server, its retries, the LAN
            // fallback): say so, and keep the buttons from sending it twice.
            m.paying = true;
            m.till_message = (m.t("gui-pay-connecting"), super::Tone::Good);
            vec![Effect::Send(Command::Pay {
                account,
                method: PaymentMethod::Qr,
                tendered: None,
            })]
        }
        PaymentMethod::Cash => {
            open_amount(m, AmountFor::Cash(account));
            vec![]
        }
    }
}

fn amount_ok(m: &mut Model) -> Vec<Effect> {
    let text = m.amount.text.clone();
    match m.amount.purpose {
        AmountFor::Withdraw => match Money::parse(&text) {
            _ if text.is_empty() => {
                m.amount.message = m.t("gui-enter-amount");
                vec![Effect::Beep]
            }
            Ok(a) if a > Money::ZERO => {
                let mut fx = m.close_overlay();
                fx.push(Effect::Send(Command::Withdraw(a)));
                fx
            }
            Ok(_) => {
                m.amount.message = m.t("gui-enter-amount");
                vec![Effect::Beep]
            }
            Err(_) => {
                m.amount.message = m.t("gui-bad-amount");
                vec![Effect::Beep]
            }
        },
        AmountFor::Drawer(_) if text.is_empty() => {
            m.amount.message = m.t("gui-enter-amount");
            vec![Effect::Beep]
        }
        // The runtime checks the bounds (more than 0, at most 100 000 €) and says why.
        AmountFor::Drawer(kind) => match Money::parse(&text) {
            Ok(a) => super::drawer::move_amount(m, kind, a),
            Err(_) => {
                m.amount.message = m.t("gui-bad-amount");
                vec![Effect::Beep]
            }
        },
        AmountFor::Cash(account) => {
            let tendered = if text.is_empty() {
                None
            } else {
                match Money::parse(&text) {
                    Ok(a) => Some(a),
                    Err(_) => {
                        m.amount.message = m.t("gui-bad-amount");
                        return vec![Effect::Beep];
                    }
                }
            };
            let mut fx = m.close_overlay();
            fx.push(Effect::Send(Command::Pay {
                account,
                method: PaymentMethod::Cash,
                tendered,
            }));
            fx
        }
    }
}
