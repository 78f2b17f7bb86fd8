//! Discounts, the manager's approval and returns on the screen, without a display: what each
//! touch sends, how the runtime's answers (applied, refused, approval needed, approved, the
//! refund basket, the credit note, a provider refund that failed) change what is shown. Each
//! test walks one whole flow, bad inputs included, which is why the file is long.

use super::*;
use crate::actors::command::DiscountTarget;
use crate::actors::events::DiscountView;
use crate::domain::discount::DiscountRule;
use crate::domain::refund::{RefundLine, RefundTender, TicketKey};
use crate::gui::KbdTarget;

/// A cashier on the till with a deodorant (4,00 €) and a pain au chocolat (1,20 €).
fn till_with_two_lines() -> Model {
    let mut m = model(Lang::Fr);
    logged_in(&mut m, "Khadija", Role::Cashier, Lang::Fr);
    ev(
        &mut m,
        basket(
            Account::Main,
            vec![
                line(1, "Déodorant", 1, 400),
                line(2, "Pain au chocolat", 1, 120),
            ],
            520,
            0,
        ),
    );
    m
}

/// The basket after a discount: line 2 at −50 % (0,60 € off) and, optionally, a 5 % basket
/// discount spread over both lines.
fn discounted(basket_too: bool) -> TillEvent {
    let mut l1 = line(1, "Déodorant", 1, 400);
    let mut l2 = line(2, "Pain au chocolat", 1, 120);
    l2.discount = Some(DiscountView::Percent(5000));
    l2.discount_cents = Money::from_cents(60);
    l2.total_cents = Money::from_cents(60);
    if basket_too {
        l1.discount_cents = Money::from_cents(20);
        l1.total_cents = Money::from_cents(380);
        l2.discount_cents = Money::from_cents(63);
        l2.total_cents = Money::from_cents(57);
    }
    let (off, total) = if basket_too { (83, 437) } else { (60, 460) };
    TillEvent::Basket {
        account: Account::Main,
        lines: vec![l1, l2],
        discount_cents: Money::from_cents(off),
        basket_discount: basket_too.then_some(DiscountView::Percent(500)),
        total_cents: Money::from_cents(total),
        main_total_cents: Money::from_cents(total),
        sub_total_cents: Money::ZERO,
    }
}

fn error(m: &mut Model, code: &str, message: &str) -> Vec<Effect> {
    ev(
        m,
        TillEvent::Error {
            code: code.into(),
            message: message.into(),
        },
    )
}

fn keys(m: &mut Model, f: fn(char) -> Ui, s: &str) {
    for c in s.chars() {
        ui(m, f(c));
    }
}

#[test]
fn a_discount_on_the_selected_line_is_sent_and_shown_under_the_line() {
    let mut m = till_with_two_lines();
    m.fields.basket_sel = Some(1);
    ui(&mut m, Ui::Discount);
    assert_eq!(m.overlay, Some(Overlay::Discount));
    assert_eq!(m.discount.target, DiscountTarget::Line(2));
    assert_eq!(
        m.discount_title(),
        "Remise · ligne 2 : Pain au chocolat (1,20 €)"
    );
    assert!(!m.discount_removable());
    keys(&mut m, Ui::DiscountKey, "1,,5");
    assert_eq!(m.discount_value_text(), "−1,5 %");
    ui(&mut m, Ui::DiscountBack);
    ui(&mut m, Ui::DiscountBack);
    ui(&mut m, Ui::DiscountKey('0'));
    assert_eq!(m.discount_value_text(), "−10 %");
    let fx = ui(&mut m, Ui::DiscountOk);
    assert_eq!(
        sent(&fx),
        [Command::Discount {
            target: DiscountTarget::Line(2),
            rule: Some(DiscountRule::Percent(1000)),
            reason: None
        }]
    );
    // The dialog waits for the runtime's answer.
    assert_eq!(m.overlay, Some(Overlay::Discount));
    ev(&mut m, discounted(false));
    assert_eq!(m.overlay, None);
    assert_eq!(m.till_message.0, "✔ Remise appliquée");
    // The line shows the catalogue's price, the discount under its name, what it costs now.
    assert_eq!(
        m.basket.rows[1].cells,
        ["Pain au chocolat\n−50 % · −0,60 €", "1", "1,20 €", "0,60 €"]
    );
    assert_eq!(m.basket.rows[0].cells[0], "Déodorant");
    assert_eq!(m.discount_total_text(), "Remises : −0,60 €");
    assert_eq!(m.total_text(), "4,60 €");

    // A basket discount as well: every line has its share; the total says the basket's rule.
    ui(&mut m, Ui::Discount);
    assert!(m.discount_removable());
    ui(&mut m, Ui::DiscountOnBasket);
    keys(&mut m, Ui::DiscountKey, "5");
    let fx = ui(&mut m, Ui::DiscountOk);
    assert_eq!(
        sent(&fx),
        [Command::Discount {
            target: DiscountTarget::Basket,
            rule: Some(DiscountRule::Percent(500)),
            reason: None
        }]
    );
    ev(&mut m, discounted(true));
    assert_eq!(
        m.basket.rows[0].cells[0],
        "Déodorant\nRemise panier −0,20 €"
    );
    assert_eq!(m.discount_total_text(), "Remises : −0,83 € (panier −5 %)");
    // Dutch: the same in the cashier's words.
    m.set_lang(Lang::Nl);
    assert_eq!(m.discount_total_text(), "Kortingen: −0,83 € (mand −5 %)");
    assert_eq!(m.basket.rows[0].cells[0], "Déodorant\nMandkorting −0,20 €");
}

#[test]
fn a_new_price_and_an_amount_off_and_bad_values_say_why_and_send_nothing() {
    let mut m = till_with_two_lines();
    m.fields.basket_sel = Some(0);
    ui(&mut m, Ui::Discount);
    // Nothing typed.
    let fx = ui(&mut m, Ui::DiscountOk);
    assert!(sent(&fx).is_empty() && fx.contains(&Effect::Beep));
    assert_eq!(
        m.discount.message,
        "Tapez un pourcentage, un montant ou un prix."
    );
    // 150 %: the runtime's rule, said before sending.
    keys(&mut m, Ui::DiscountKey, "150");
    let fx = ui(&mut m, Ui::DiscountOk);
    assert!(sent(&fx).is_empty());
    assert!(
        m.discount.message.contains("100 %"),
        "{}",
        m.discount.message
    );
    // An amount of 0: refused.
    ui(&mut m, Ui::DiscountKind(DiscountKind::Amount));
    assert_eq!(m.discount.text, "");
    keys(&mut m, Ui::DiscountKey, "0");
    let fx = ui(&mut m, Ui::DiscountOk);
    assert!(sent(&fx).is_empty());
    assert!(
        m.discount.message.contains("0,00 €"),
        "{}",
        m.discount.message
    );
    // 1,50 € off (three decimals are not typed).
    ui(&mut m, Ui::DiscountBack);
    keys(&mut m, Ui::DiscountKey, "1,505");
    assert_eq!(m.discount_value_text(), "−1,50 €");
    let fx = ui(&mut m, Ui::DiscountOk);
    assert_eq!(
        sent(&fx),
        [Command::Discount {
            target: DiscountTarget::Line(1),
            rule: Some(DiscountRule::Amount(Money::from_cents(150))),
            reason: None
        }]
    );
    // The runtime refuses (more than the line): said in the dialog, which stays.
    error(
        &mut m,
        "discount_too_large",
        "la remise (5,00 €) dépasse ce qu'elle réduit (4,00 €)",
    );
    assert_eq!(m.overlay, Some(Overlay::Discount));
    assert!(
        m.discount.message.contains("dépasse"),
        "{}",
        m.discount.message
    );
    // A new price is a line's only.
    ui(&mut m, Ui::DiscountOnBasket);
    let fx = ui(&mut m, Ui::DiscountKind(DiscountKind::Price));
    assert!(fx.contains(&Effect::Beep));
    assert_eq!(m.discount.kind, DiscountKind::Amount);
    ui(&mut m, Ui::DiscountOnLine);
    ui(&mut m, Ui::DiscountKind(DiscountKind::Price));
    keys(&mut m, Ui::DiscountKey, "3,5");
    assert_eq!(m.discount_value_text(), "nouveau prix 3,5 €");
    ui(&mut m, Ui::DiscountReason(2));
    assert_eq!(m.discount_reason_shown(), "Motif : Erreur de prix");
    let fx = ui(&mut m, Ui::DiscountOk);
    assert_eq!(
        sent(&fx),
        [Command::Discount {
            target: DiscountTarget::Line(1),
            rule: Some(DiscountRule::Price(Money::from_cents(350))),
            reason: Some("Erreur de prix".into())
        }]
    );
    // « Annuler » closes; the basket is untouched.
    ui(&mut m, Ui::DiscountCancel);
    assert_eq!(m.overlay, None);
    // An empty basket has nothing to discount.
    ev(&mut m, basket(Account::Main, vec![], 0, 0));
    let fx = ui(&mut m, Ui::Discount);
    assert!(fx.contains(&Effect::Beep));
    assert_eq!(m.overlay, None);
}

#[test]
fn a_discount_above_the_cap_asks_a_reason_then_a_manager_who_refuses_then_approves() {
    let mut m = till_with_two_lines();
    m.fields.basket_sel = Some(1);
    ui(&mut m, Ui::Discount);
    keys(&mut m, Ui::DiscountKey, "50");
    ui(&mut m, Ui::DiscountOk);
    // Above the cap without a reason: the dialog asks for one.
    error(
        &mut m,
        "reason_needed",
        "cette remise demande l'accord d'un responsable : donnez un motif",
    );
    assert_eq!(m.overlay, Some(Overlay::Discount));
    assert!(m.discount.reason_needed);
    assert!(m.discount.message.contains("choisissez un motif"));
    assert_eq!(
        m.discount_reason_shown(),
        "Un responsable doit accorder cette remise : choisissez un motif."
    );
    // The reason typed on the on-screen keyboard, which comes back to the dialog.
    ui(&mut m, Ui::Keyboard(KbdTarget::DiscountReason));
    assert_eq!(m.overlay, Some(Overlay::Keyboard));
    keys(&mut m, Ui::Kbd, "vu");
    ui(&mut m, Ui::KbdClose);
    assert_eq!(m.overlay, Some(Overlay::Discount));
    assert_eq!(m.fields.discount_reason, "vu");
    // A preset replaces it.
    ui(&mut m, Ui::DiscountReason(0));
    let fx = ui(&mut m, Ui::DiscountOk);
    assert_eq!(
        sent(&fx),
        [Command::Discount {
            target: DiscountTarget::Line(2),
            rule: Some(DiscountRule::Percent(5000)),
            reason: Some("Article abîmé".into())
        }]
    );
    ev(
        &mut m,
        TillEvent::ApprovalNeeded {
            action: "discount".into(),
            detail: "line 2: 50 % = −0,60 € (50 %)".into(),
        },
    );
    assert_eq!(m.overlay, Some(Overlay::Approval));
    assert_eq!(m.approval_title(), "Accord d'un responsable : remise");
    assert_eq!(
        m.approval_detail_text(),
        "−50 % · ligne 2 (Pain au chocolat)\nline 2: 50 % = −0,60 € (50 %)"
    );
    // OK with the ID only: the PIN is asked.
    ui(&mut m, Ui::ApproveKey('1'));
    let fx = ui(&mut m, Ui::ApproveOk);
    assert!(sent(&fx).is_empty());
    assert!(m.approval.on_pin);
    assert_eq!(m.approval.message, "Tapez le PIN du responsable.");
    keys(&mut m, Ui::ApproveKey, "1112");
    assert_eq!(m.approval_pin_text(), "••••▏");
    let fx = ui(&mut m, Ui::ApproveOk);
    assert_eq!(
        sent(&fx),
        [Command::Approve {
            id: "1".into(),
            pin: "1112".into()
        }]
    );
    // A wrong PIN: said with the attempts left, the dialog stays for another try.
    error(&mut m, "bad_pin", "PIN erroné : encore 4 essais");
    assert_eq!(m.overlay, Some(Overlay::Approval));
    assert_eq!(m.approval.message, "PIN erroné : encore 4 essais (bad_pin)");
    assert_eq!(m.approval.pin, "");
    assert_eq!(m.approval.id, "1");
    // A cashier's own PIN: not a manager; the ID is typed again.
    ui(&mut m, Ui::ApproveId);
    ui(&mut m, Ui::ApproveClear);
    keys(&mut m, Ui::ApproveKey, "14");
    ui(&mut m, Ui::ApprovePin);
    keys(&mut m, Ui::ApproveKey, "1414");
    ui(&mut m, Ui::ApproveOk);
    error(
        &mut m,
        "not_a_manager",
        "seul un responsable (admin) peut approuver",
    );
    assert_eq!(m.overlay, Some(Overlay::Approval));
    assert!(m.approval.message.contains("responsable"));
    assert_eq!((m.approval.id.as_str(), m.approval.on_pin), ("", false));
    // The manager.
    keys(&mut m, Ui::ApproveKey, "1");
    ui(&mut m, Ui::ApprovePin);
    keys(&mut m, Ui::ApproveKey, "11111");
    ui(&mut m, Ui::ApproveBack);
    let fx = ui(&mut m, Ui::ApproveOk);
    assert_eq!(
        sent(&fx),
        [Command::Approve {
            id: "1".into(),
            pin: "1111".into()
        }]
    );
    ev(
        &mut m,
        TillEvent::Approved {
            action: "discount".into(),
            by: "1".into(),
            name: "ADMIN".into(),
        },
    );
    assert_eq!(m.overlay, None);
    ev(&mut m, discounted(false));
    assert_eq!(
        m.till_message,
        ("✔ Remise accordée par ADMIN".into(), Tone::Good)
    );
    assert_eq!(m.discount_total_text(), "Remises : −0,60 €");

    // « Retirer la remise » sends `discount 2 off`.
    ui(&mut m, Ui::Discount);
    assert!(m.discount_removable());
    let fx = ui(&mut m, Ui::DiscountRemove);
    assert_eq!(
        sent(&fx),
        [Command::Discount {
            target: DiscountTarget::Line(2),
            rule: None,
            reason: None
        }]
    );
    ev(
        &mut m,
        basket(
            Account::Main,
            vec![
                line(1, "Déodorant", 1, 400),
                line(2, "Pain au chocolat", 1, 120),
            ],
            520,
            0,
        ),
    );
    assert_eq!(m.overlay, None);
    assert_eq!(m.discount_total_text(), "");
}

#[test]
fn an_approval_cancelled_says_nothing_was_done_and_a_logout_forgets_it() {
    let mut m = till_with_two_lines();
    ui(&mut m, Ui::Discount);
    keys(&mut m, Ui::DiscountKey, "30");
    ui(&mut m, Ui::DiscountReason(3));
    ui(&mut m, Ui::DiscountOk);
    ev(
        &mut m,
        TillEvent::ApprovalNeeded {
            action: "discount".into(),
            detail: "line 2: 30 %".into(),
        },
    );
    let fx = ui(&mut m, Ui::ApproveCancel);
    assert!(sent(&fx).is_empty());
    assert_eq!(m.overlay, None);
    assert_eq!(m.till_message.0, "Accord annulé : rien n'a été fait.");
    ev(
        &mut m,
        TillEvent::ApprovalNeeded {
            action: "price".into(),
            detail: "line 1: price 1,00 €".into(),
        },
    );
    assert_eq!(m.approval_title(), "Accord d'un responsable : nouveau prix");
    keys(&mut m, Ui::ApproveKey, "1");
    ev(
        &mut m,
        TillEvent::LoggedOut {
            reason: "logout".into(),
        },
    );
    assert_eq!((m.screen, m.overlay), (Screen::Login, None));
    assert_eq!(m.approval, ApprovalPad::default());
}

fn refund_line(
    line: u32,
    name: &str,
    unit: i64,
    sold: i64,
    returned: i64,
    picked: i64,
) -> RefundLine {
    RefundLine {
        line,
        kind: LineKind::Item,
        code: Some(format!("{line:04}")),
        name: name.into(),
        unit_cents: Money::from_cents(unit),
        total_cents: Money::from_cents(unit * sold),
        vat: Some(VatRate::parse("6").unwrap()),
        sold,
        returned,
        returnable: sold - returned,
        refunded: Money::ZERO,
        picked,
    }
}

fn refund_basket(method: PaymentMethod, lines: Vec<RefundLine>, refund: i64) -> TillEvent {
    TillEvent::RefundBasket {
        original_sale_id: "01a25018-bb08-74af-ac9a-dcac77364945".into(),
        till_id: "till-1".into(),
        ticket_no: 1,
        paid_at: "2026-12-02T09:42:07.752Z".into(),
        method,
        lines,
        refund_cents: Money::from_cents(refund),
    }
}

#[test]
fn a_return_by_ticket_number_with_a_quantity_refused_then_picked_a_reason_and_a_manager() {
    let mut m = till_with_two_lines();
    let fx = ui(&mut m, Ui::Return);
    assert_eq!(m.screen, Screen::Return);
    assert_eq!(fx, [Effect::Focus(Field::ReturnTicket)]);
    assert!(m.return_info().starts_with("Scannez le code QR"));
    // Not a ticket: said, nothing sent.
    m.fields.return_ticket = "abc".into();
    let fx = ui(&mut m, Ui::ReturnFind);
    assert!(sent(&fx).is_empty());
    assert_eq!(
        m.ret.message.0,
        "« abc » n'est pas un ticket : son numéro, caisse/numéro, ou son code QR."
    );
    m.fields.return_ticket = " 1 ".into();
    let fx = ui(&mut m, Ui::ReturnFind);
    assert_eq!(sent(&fx), [Command::Refund(TicketKey::Local(1))]);
    // An unknown ticket is the runtime's to say.
    error(&mut m, "unknown_ticket", "ticket inconnu");
    assert_eq!(m.ret.message.0, "ticket inconnu (unknown_ticket)");
    ev(
        &mut m,
        refund_basket(
            PaymentMethod::Cash,
            vec![
                refund_line(1, "Café", 250, 2, 2, 0),
                refund_line(2, "Pain au chocolat", 120, 3, 1, 0),
            ],
            0,
        ),
    );
    assert_eq!(m.ret.message.0, "");
    assert_eq!(
        m.return_info(),
        "Ticket n° 1 · till-1 · 02/12/2026 10:42 · payé en espèces"
    );
    // Line 1 is all returned already: line 2 is picked.
    assert_eq!(m.fields.refund_sel, Some(1));
    assert_eq!(m.ret.list.rows[0].tone, RowTone::Disabled);
    assert_eq!(
        m.ret.list.rows[1].cells,
        [
            "Pain au chocolat\n3 × 1,20 € · payé 3,60 €",
            "3",
            "1",
            "2",
            ""
        ]
    );
    assert_eq!(m.return_qty_text(), "Ligne 2 · reste 2");
    // 5 typed: the runtime refuses; said on the screen.
    ui(&mut m, Ui::ReturnKey('5'));
    let fx = ui(&mut m, Ui::ReturnQtyOk);
    assert_eq!(sent(&fx), [Command::RefundQty { line: 2, qty: 5 }]);
    error(
        &mut m,
        "over_return",
        "il ne reste que 2 à rendre sur la ligne 2",
    );
    assert_eq!(
        m.ret.message,
        (
            "il ne reste que 2 à rendre sur la ligne 2 (over_return)".into(),
            Tone::Danger
        )
    );
    // Nothing picked yet: « Rembourser… » says so.
    let fx = ui(&mut m, Ui::ReturnNext);
    assert!(fx.contains(&Effect::Beep));
    assert_eq!(m.overlay, None);
    ui(&mut m, Ui::ReturnBack);
    ui(&mut m, Ui::ReturnKey('1'));
    let fx = ui(&mut m, Ui::ReturnQtyOk);
    assert_eq!(sent(&fx), [Command::RefundQty { line: 2, qty: 1 }]);
    ev(
        &mut m,
        refund_basket(
            PaymentMethod::Cash,
            vec![
                refund_line(1, "Café", 250, 2, 2, 0),
                refund_line(2, "Pain au chocolat", 120, 3, 1, 1),
            ],
            123,
        ),
    );
    assert_eq!(m.ret.message.0, "");
    assert_eq!(m.ret.list.rows[1].cells[4], "✔ 1");
    assert_eq!(m.ret.list.rows[1].tone, RowTone::Picked);
    assert_eq!(m.return_amount_text(), "À rendre : 1,23 €");
    // The last step: as paid (cash) by default, a reason required.
    ui(&mut m, Ui::ReturnNext);
    assert_eq!(m.overlay, Some(Overlay::RefundCommit));
    assert_eq!(m.ret.tender, Some(RefundTender::Original));
    assert_eq!(m.refund_original_text(), "Comme payé\n(en espèces)");
    assert_eq!(
        m.refund_title(),
        "Ticket n° 1, payé en espèces le 02/12/2026 10:42"
    );
    let fx = ui(&mut m, Ui::RefundOk);
    assert!(sent(&fx).is_empty());
    assert!(m.ret.commit_message.starts_with("Motif obligatoire"));
    ui(&mut m, Ui::RefundReason(0));
    ui(&mut m, Ui::RefundTender(RefundTender::Cash));
    m.cash_rounding = true;
    assert_eq!(
        m.refund_due_text(),
        "À rendre : 1,23 € · en espèces 1,25 € (arrondi)"
    );
    let fx = ui(&mut m, Ui::RefundOk);
    assert_eq!(
        sent(&fx),
        [Command::RefundCommit {
            tender: RefundTender::Cash,
            reason: "Article défectueux".into()
        }]
    );
    // Pressed twice: sent once.
    assert!(sent(&ui(&mut m, Ui::RefundOk)).is_empty());
    let needed = TillEvent::ApprovalNeeded {
        action: "refund".into(),
        detail: "ticket 1: −1,23 € (cash)".into(),
    };
    ev(&mut m, needed.clone());
    // The manager is not there: cancelled, back to the lines; asked again later.
    ui(&mut m, Ui::ApproveCancel);
    assert_eq!((m.screen, m.overlay), (Screen::Return, None));
    assert_eq!(m.ret.message.0, "Accord annulé : rien n'a été fait.");
    ui(&mut m, Ui::ReturnNext);
    assert_eq!(m.ret.tender, Some(RefundTender::Cash));
    let fx = ui(&mut m, Ui::RefundOk);
    assert_eq!(sent(&fx).len(), 1);
    ev(&mut m, needed);
    assert_eq!(m.overlay, Some(Overlay::Approval));
    assert_eq!(
        m.approval_detail_text(),
        "Retour du ticket n° 1 : 1,23 € en espèces · motif : Article défectueux\nticket 1: −1,23 € (cash)"
    );
    keys(&mut m, Ui::ApproveKey, "1");
    ui(&mut m, Ui::ApprovePin);
    keys(&mut m, Ui::ApproveKey, "1111");
    ui(&mut m, Ui::ApproveOk);
    ev(
        &mut m,
        TillEvent::Approved {
            action: "refund".into(),
            by: "1".into(),
            name: "ADMIN".into(),
        },
    );
    assert_eq!((m.screen, m.overlay), (Screen::Return, None));
    assert_eq!(m.ret.message.0, "✔ Accordé par ADMIN");
    let fx = ev(
        &mut m,
        TillEvent::RefundCommitted {
            sale_id: "01a2-credit".into(),
            ticket_no: 2,
            original_sale_id: "01a25018-bb08-74af-ac9a-dcac77364945".into(),
            original_ticket_no: 1,
            refunded_cents: Money::from_cents(125),
            rounding_cents: Money::from_cents(2),
            method: PaymentMethod::Cash,
            provider_status: None,
        },
    );
    assert!(sent(&fx).contains(&Command::Status));
    assert_eq!(
        (m.screen, m.overlay),
        (Screen::Till, Some(Overlay::Refunded))
    );
    assert_eq!(m.refunded_title(), "À RENDRE AU CLIENT");
    assert_eq!(m.refunded_amount(), "1,25 €");
    assert_eq!(
        m.refunded_detail(),
        "Note de crédit n° 2 · ticket n° 1 · arrondi 0,02 €"
    );
    // The sale's basket was not touched by the return.
    assert_eq!(m.lines[0].len(), 2);
    ui(&mut m, Ui::RefundedOk);
    assert_eq!(m.overlay, None);
    assert_eq!(m.till_message.0, "✔ Note de crédit n° 2 : 1,25 € rendus");
    assert!(m.ret.ticket.is_none());
}

#[test]
fn a_scanned_ticket_starts_the_return_and_cancel_gives_the_till_back() {
    let mut m = till_with_two_lines();
    // A keyboard-mode scanner types the QR code's sale id into the article field.
    m.fields.article = "01A25018-BB08-74AF-AC9A-DCAC77364945".into();
    let fx = ui(&mut m, Ui::Article);
    assert_eq!(
        sent(&fx),
        [Command::Refund(TicketKey::SaleId(
            "01a25018-bb08-74af-ac9a-dcac77364945".into()
        ))]
    );
    let fx = ev(
        &mut m,
        refund_basket(
            PaymentMethod::Qr,
            vec![refund_line(1, "Café", 250, 1, 0, 0)],
            0,
        ),
    );
    assert_eq!(m.screen, Screen::Return);
    assert!(fx.contains(&Effect::Focus(Field::ReturnTicket)));
    // « Tout » picks what is left of the line.
    let fx = ui(&mut m, Ui::ReturnAll);
    assert_eq!(sent(&fx), [Command::RefundQty { line: 1, qty: 1 }]);
    ev(
        &mut m,
        refund_basket(
            PaymentMethod::Qr,
            vec![refund_line(1, "Café", 250, 1, 0, 1)],
            250,
        ),
    );
    ui(&mut m, Ui::ReturnNext);
    assert_eq!(m.refund_original_text(), "Comme payé\n(par QR)");
    ui(&mut m, Ui::RefundBack);
    assert_eq!((m.screen, m.overlay), (Screen::Return, None));
    let fx = ui(&mut m, Ui::ReturnCancel);
    assert_eq!(sent(&fx), [Command::RefundCancel]);
    assert_eq!(m.screen, Screen::Till);
    ev(&mut m, TillEvent::RefundCancelled);
    assert_eq!(m.screen, Screen::Till);
    // A return left before any ticket was found sends nothing.
    ui(&mut m, Ui::Return);
    let fx = ui(&mut m, Ui::ReturnCancel);
    assert!(sent(&fx).is_empty());
    assert_eq!(m.screen, Screen::Till);
    // No return during a payment.
    m.payment = Some(Payment {
        account: Account::Main,
        amount: Money::from_cents(520),
        url: "http://x/p/t".into(),
        state: PayState::Pending,
    });
    let fx = ui(&mut m, Ui::Return);
    assert!(fx.contains(&Effect::Beep));
    assert_eq!(m.screen, Screen::Till);
}

#[test]
fn a_provider_refund_that_fails_raises_an_alarm_until_acknowledged() {
    let mut m = model(Lang::Fr);
    logged_in(&mut m, "Khadija", Role::Admin, Lang::Fr);
    ui(&mut m, Ui::AdminToTill);
    ui(&mut m, Ui::Return);
    ev(
        &mut m,
        refund_basket(
            PaymentMethod::Qr,
            vec![refund_line(1, "Café", 250, 1, 0, 1)],
            250,
        ),
    );
    ui(&mut m, Ui::ReturnNext);
    ui(&mut m, Ui::RefundReason(1));
    let fx = ui(&mut m, Ui::RefundOk);
    assert_eq!(
        sent(&fx),
        [Command::RefundCommit {
            tender: RefundTender::Original,
            reason: "Ne convient pas".into()
        }]
    );
    // The payment server does not answer: the till keeps asking. The dialog closes and the
    // refund is not offered again (it could be paid twice).
    error(
        &mut m,
        "refund_unconfirmed",
        "le serveur de paiement ne répond pas",
    );
    assert_eq!((m.screen, m.overlay), (Screen::Return, None));
    assert!(m.ret.message.0.contains("ne répond pas"));
    let fx = ui(&mut m, Ui::ReturnNext);
    assert!(sent(&fx).is_empty() && fx.contains(&Effect::Beep));
    assert_eq!(m.overlay, None);
    assert!(m.ret.message.0.contains("redemande"), "{}", m.ret.message.0);
    // Then it answers: the credit note is recorded (an admin needs no approval).
    ev(
        &mut m,
        TillEvent::RefundCommitted {
            sale_id: "cn-7".into(),
            ticket_no: 7,
            original_sale_id: "01a25018-bb08-74af-ac9a-dcac77364945".into(),
            original_ticket_no: 1,
            refunded_cents: Money::from_cents(250),
            rounding_cents: Money::ZERO,
            method: PaymentMethod::Qr,
            provider_status: Some("pending".into()),
        },
    );
    assert_eq!(
        (m.screen, m.overlay),
        (Screen::Till, Some(Overlay::Refunded))
    );
    assert_eq!(m.refunded_title(), "REMBOURSÉ PAR L'APPLICATION");
    assert_eq!(
        m.refunded_detail(),
        "Note de crédit n° 7 · ticket n° 1 · remboursement en cours"
    );
    ui(&mut m, Ui::RefundedOk);
    // The provider fails it: an alarm over everything, even an overlay opened since.
    ui(&mut m, Ui::Withdraw);
    let fx = ev(
        &mut m,
        TillEvent::RefundProgress {
            sale_id: "cn-7".into(),
            ticket_no: 7,
            status: "failed".into(),
            reason: Some("EXPIRED".into()),
        },
    );
    assert!(fx.contains(&Effect::Beep));
    assert!(m.alarm().is_some());
    assert_eq!(
        m.alarm_text(),
        "Le remboursement par l'application de la note de crédit n° 7 a échoué (EXPIRED) : \
         l'argent n'est PAS revenu au client. Rendez-lui 2,50 € en espèces."
    );
    // A logout does not acknowledge it.
    ev(
        &mut m,
        TillEvent::LoggedOut {
            reason: "logout".into(),
        },
    );
    assert!(m.alarm().is_some());
    ui(&mut m, Ui::AlarmOk);
    assert!(m.alarm().is_none());
    // One unknown to this session: no amount, the alarm all the same.
    ev(
        &mut m,
        TillEvent::RefundProgress {
            sale_id: "cn-3".into(),
            ticket_no: 3,
            status: "failed".into(),
            reason: None,
        },
    );
    assert!(m.alarm_text().contains("Rendez-lui le montant en espèces"));
    ui(&mut m, Ui::AlarmOk);
    // Success is good news on the till.
    ev(
        &mut m,
        TillEvent::RefundProgress {
            sale_id: "cn-8".into(),
            ticket_no: 8,
            status: "succeeded".into(),
            reason: None,
        },
    );
    assert!(m.alarm().is_none());
    assert_eq!(
        m.till_message.0,
        "✔ Remboursement QR de la note de crédit n° 8 confirmé"
    );
}
