//! The cashier's screens: login, till, payment, overlays, status bar.

use super::*;

#[test]
fn login_keypad_sends_the_login_and_a_refusal_keeps_the_id_but_not_the_pin() {
    let mut m = model(Lang::Fr);
    assert_eq!(m.screen, Screen::Login);
    let fx = keypad_login(&mut m, "14", "9999");
    assert_eq!(
        sent(&fx),
        [Command::Login {
            id: "14".into(),
            pin: "9999".into()
        }]
    );
    assert_eq!(m.fields.login_pin, "", "the PIN never stays in the field");
    let fx = ev(
        &mut m,
        TillEvent::LoginRefused {
            reason: RefusalReason::BadPin,
            message: "PIN incorrect".into(),
            until: None,
            attempts_left: Some(4),
        },
    );
    assert_eq!(m.login_message, "PIN incorrect");
    assert_eq!(m.fields.login_id, "14");
    assert!(fx.contains(&Effect::Focus(Field::LoginPin)));
    // An unknown ID is cleared so the next one is typed afresh.
    ev(
        &mut m,
        TillEvent::LoginRefused {
            reason: RefusalReason::Unknown,
            message: "ID inconnu".into(),
            until: None,
            attempts_left: None,
        },
    );
    assert_eq!(m.fields.login_id, "");
    // Nothing typed: asked for the ID, nothing sent.
    let fx = ui(&mut m, Ui::LoginOk);
    assert!(sent(&fx).is_empty());
    assert_eq!(m.login_message, "Entrez votre identifiant.");
}

#[test]
fn the_keypad_types_at_most_twelve_digits_and_back_and_clear_edit_the_focused_field() {
    let mut m = model(Lang::Fr);
    for _ in 0..20 {
        ui(&mut m, Ui::LoginKey('7'));
    }
    assert_eq!(m.fields.login_id.len(), 12);
    ui(&mut m, Ui::LoginBack);
    assert_eq!(m.fields.login_id.len(), 11);
    ui(&mut m, Ui::LoginClear);
    assert_eq!(m.fields.login_id, "");
}

#[test]
fn a_cashier_logs_in_to_the_till_and_an_admin_to_the_days() {
    let mut m = model(Lang::Fr);
    let fx = logged_in(&mut m, "Khadija", Role::Cashier, Lang::Fr);
    assert_eq!(m.screen, Screen::Till);
    assert!(fx.contains(&Effect::Focus(Field::Article)));
    assert_eq!(m.seller_text(), "Vendeur : Khadija");
    assert!(!m.is_admin());

    let mut m = model(Lang::Fr);
    let fx = logged_in(&mut m, "Marc", Role::Admin, Lang::Fr);
    assert_eq!((m.screen, m.pane), (Screen::Admin, Pane::Days));
    assert_eq!(admin_sent(&fx), [AdminRequest::Days]);
}

#[test]
fn scans_go_to_the_runtime_and_the_basket_shows_what_it_says() {
    let mut m = model(Lang::Fr);
    logged_in(&mut m, "Khadija", Role::Cashier, Lang::Fr);
    m.fields.article = " 0000 ".into();
    let fx = ui(&mut m, Ui::Article);
    assert_eq!(sent(&fx), [Command::Scan("0000".into())]);
    assert!(fx.contains(&Effect::ScanSent));
    assert_eq!(
        m.fields.article, "",
        "the field is emptied for the next scan"
    );
    // An empty field sends nothing.
    assert!(sent(&ui(&mut m, Ui::Article)).is_empty());

    let fx = ev(
        &mut m,
        basket(Account::Main, vec![line(1, "Café", 1, 250)], 250, 0),
    );
    assert!(fx.contains(&Effect::ScanShown));
    assert_eq!(m.basket.rows.len(), 1);
    assert_eq!(m.basket.rows[0].cells, ["Café", "1", "2,50 €", "2,50 €"]);
    assert_eq!(m.total_text(), "2,50 €");
    assert_eq!(m.main_total_text(), "Principal : 2,50 €");
    assert_eq!(m.basket.selected, Some(0), "the new line is selected");
}

#[test]
fn plus_and_minus_ask_the_runtime_for_the_selected_lines_quantity() {
    let mut m = model(Lang::Fr);
    logged_in(&mut m, "Khadija", Role::Cashier, Lang::Fr);
    let fx = ui(&mut m, Ui::Plus);
    assert!(sent(&fx).is_empty());
    assert_eq!(m.till_message.0, "Aucune ligne.");
    ev(
        &mut m,
        basket(
            Account::Main,
            vec![line(1, "Café", 1, 250), line(2, "Pain", 2, 120)],
            490,
            0,
        ),
    );
    m.fields.basket_sel = Some(0);
    assert_eq!(
        sent(&ui(&mut m, Ui::Plus)),
        [Command::Qty { line: 1, qty: 2 }]
    );
    // Below one: the runtime refuses it (and says to void the line) — the screen does not
    // hold the rule.
    assert_eq!(
        sent(&ui(&mut m, Ui::Minus)),
        [Command::Qty { line: 1, qty: 0 }]
    );
    m.fields.basket_sel = None;
    assert_eq!(sent(&ui(&mut m, Ui::Void)), [Command::Void { line: 2 }]);
}

#[test]
fn a_withdrawal_goes_through_the_amount_keypad() {
    let mut m = model(Lang::Fr);
    logged_in(&mut m, "Khadija", Role::Cashier, Lang::Fr);
    ui(&mut m, Ui::Withdraw);
    assert_eq!(m.overlay, Some(Overlay::Amount));
    assert_eq!(m.amount_title(), "Retrait d'argent");
    assert_eq!(m.amount_text(), "0,00 €");
    // Nothing typed: refused in place.
    let fx = ui(&mut m, Ui::AmountOk);
    assert!(sent(&fx).is_empty());
    assert_eq!(m.amount.message, "Entrez un montant.");
    for c in "15,005".chars() {
        ui(&mut m, Ui::AmountKey(c));
    }
    assert_eq!(m.amount.text, "15,00", "two decimals at most");
    ui(&mut m, Ui::AmountKey(','));
    assert_eq!(m.amount.text, "15,00", "one comma");
    assert_eq!(m.amount_text(), "15,00 €");
    let fx = ui(&mut m, Ui::AmountOk);
    assert_eq!(sent(&fx), [Command::Withdraw(Money::from_cents(1500))]);
    assert_eq!(m.overlay, None);
}

#[test]
fn with_both_baskets_full_the_cashier_chooses_then_pays_by_qr_and_the_sub_account_follows() {
    let mut m = model(Lang::Fr);
    logged_in(&mut m, "Khadija", Role::Cashier, Lang::Fr);
    ev(
        &mut m,
        basket(Account::Main, vec![line(1, "Café", 1, 250)], 250, 0),
    );
    ev(
        &mut m,
        basket(Account::Sub, vec![line(1, "Croissant", 2, 110)], 250, 220),
    );
    assert_eq!(m.switch_text(), "Panier\nprincipal");
    let fx = ui(&mut m, Ui::Pay);
    assert!(sent(&fx).is_empty());
    assert_eq!(m.overlay, Some(Overlay::Choose));
    assert_eq!(m.choose_text(Account::Main), "Panier Principal\n2,50 €");
    let fx = ui(&mut m, Ui::Choose(Account::Main));
    assert_eq!(
        sent(&fx),
        [Command::Pay {
            account: Account::Main,
            method: PaymentMethod::Qr,
            tendered: None
        }]
    );
    assert!(
        m.paying,
        "the pay buttons wait while the payment is created"
    );
    ev(
        &mut m,
        TillEvent::PaymentPending {
            intent_id: "i1".into(),
            account: Account::Main,
            amount_cents: Money::from_cents(250),
            pay_url: "http://pay/p/abc".into(),
        },
    );
    assert_eq!(m.screen, Screen::Payment);
    assert!(!m.paying);
    assert_eq!(m.pay_status_text(), "EN ATTENTE DU PAIEMENT");
    // Not paid yet: the status button says so and sends nothing.
    let fx = ui(&mut m, Ui::PayStatus);
    assert!(sent(&fx).is_empty());
    assert!(m.pay_message.contains("pas encore confirmé"));
    // Closing the till during a payment is refused.
    let fx = ui(&mut m, Ui::Close);
    assert!(!fx.contains(&Effect::Quit));
    assert!(m.pay_message.contains("avant de fermer"));

    ev(
        &mut m,
        TillEvent::PaymentAccepted {
            intent_id: "i1".into(),
            account: Account::Main,
            amount_cents: Money::from_cents(250),
        },
    );
    assert_eq!(m.pay_status_text(), "PAIEMENT ACCEPTÉ");
    assert_eq!(sent(&ui(&mut m, Ui::PayStatus)), [Command::Accept]);
    let fx = ev(
        &mut m,
        TillEvent::SaleCommitted {
            sale_id: "s1".into(),
            ticket_no: 7,
            account: Account::Main,
            method: PaymentMethod::Qr,
            paid_cents: Money::from_cents(250),
            revenue_cents: Money::from_cents(250),
            withdrawal_cents: Money::ZERO,
            change_cents: Money::ZERO,
            rounding_cents: Money::ZERO,
            provider_ref: None,
            discount_cents: Money::ZERO,
        },
    );
    assert_eq!(sent(&fx), [Command::Status]);
    assert_eq!(m.screen, Screen::Till);
    assert_eq!(m.overlay, None, "no change to give for a QR payment");
    assert_eq!(
        m.till_message,
        ("✔ Ticket n° 7 : 2,50 €".into(), Tone::Good)
    );
    assert!(!m.has_items(Account::Main));
    // The second basket is now the only one: paying takes it without asking.
    m.main_total = Money::ZERO;
    let fx = ui(&mut m, Ui::Pay);
    assert_eq!(
        sent(&fx),
        [Command::Pay {
            account: Account::Sub,
            method: PaymentMethod::Qr,
            tendered: None
        }]
    );
}

#[test]
fn cash_asks_the_amount_received_and_shows_the_change() {
    let mut m = model(Lang::Fr);
    logged_in(&mut m, "Khadija", Role::Cashier, Lang::Fr);
    // An empty basket: nothing to pay.
    ui(&mut m, Ui::Cash);
    assert_eq!(m.till_message.0, "Le panier est vide.");
    ev(
        &mut m,
        basket(Account::Main, vec![line(1, "Café", 1, 370)], 370, 0),
    );
    ui(&mut m, Ui::Cash);
    assert_eq!(m.overlay, Some(Overlay::Amount));
    assert!(m.amount_title().contains("principal"));
    // 3,70 € needs no rounding; 3,72 € is due as 3,70 € in cash when the till rounds.
    assert!(!m.amount_title().contains("arrondi"));
    m.cash_rounding = true;
    assert!(!m.amount_title().contains("arrondi"));
    m.main_total = Money::from_cents(372);
    assert!(
        m.amount_title().contains("à payer 3,70 €"),
        "{}",
        m.amount_title()
    );
    m.cash_rounding = false;
    assert!(!m.amount_title().contains("à payer"));
    m.main_total = Money::from_cents(370);
    for c in "5".chars() {
        ui(&mut m, Ui::AmountKey(c));
    }
    let fx = ui(&mut m, Ui::AmountOk);
    assert_eq!(
        sent(&fx),
        [Command::Pay {
            account: Account::Main,
            method: PaymentMethod::Cash,
            tendered: Some(Money::from_cents(500))
        }]
    );
    ev(
        &mut m,
        TillEvent::SaleCommitted {
            sale_id: "s2".into(),
            ticket_no: 8,
            account: Account::Main,
            method: PaymentMethod::Cash,
            paid_cents: Money::from_cents(370),
            revenue_cents: Money::from_cents(370),
            withdrawal_cents: Money::ZERO,
            change_cents: Money::from_cents(130),
            rounding_cents: Money::ZERO,
            provider_ref: None,
            discount_cents: Money::ZERO,
        },
    );
    assert_eq!(m.overlay, Some(Overlay::CashChange));
    assert_eq!(m.change.0, Money::from_cents(130));
    assert_eq!(m.change.1, "Reçu 5,00 € · ticket n° 8");
    ui(&mut m, Ui::CashOk);
    assert_eq!(m.overlay, None);
}

#[test]
fn a_cancel_shows_cancelling_then_paid_after_cancel_and_accept_records_it() {
    let mut m = model(Lang::Fr);
    logged_in(&mut m, "Khadija", Role::Cashier, Lang::Fr);
    ev(
        &mut m,
        TillEvent::PaymentPending {
            intent_id: "i2".into(),
            account: Account::Main,
            amount_cents: Money::from_cents(900),
            pay_url: "http://pay/p/x".into(),
        },
    );
    assert_eq!(sent(&ui(&mut m, Ui::PayCancel)), [Command::Cancel]);
    ev(
        &mut m,
        TillEvent::PaymentCancelling {
            intent_id: "i2".into(),
        },
    );
    assert_eq!(m.pay_status_text(), "ANNULATION EN COURS…");
    assert!(m.pay_message.contains("ne répond pas"));
    ev(
        &mut m,
        TillEvent::PaymentPaidAfterCancel {
            intent_id: "i2".into(),
            amount_cents: Money::from_cents(900),
        },
    );
    assert_eq!(m.pay_status_text(), "PAYÉ APRÈS ANNULATION");
    assert!(m.pay_message.contains("9,00 €"));
    assert_eq!(sent(&ui(&mut m, Ui::PayStatus)), [Command::Accept]);
    // A plain cancel goes back to the till.
    ev(
        &mut m,
        TillEvent::PaymentCancelled {
            intent_id: "i2".into(),
            reason: None,
            message: None,
        },
    );
    assert_eq!(m.screen, Screen::Till);
    assert_eq!(m.till_message.0, "Paiement annulé.");
    // The provider's reason, in the cashier's words, when there is one.
    ev(
        &mut m,
        TillEvent::PaymentCancelled {
            intent_id: "i3".into(),
            reason: Some("expired".into()),
            message: Some("Le paiement Payconiq a expiré.".into()),
        },
    );
    assert_eq!(m.till_message.0, "Le paiement Payconiq a expiré.");
}

#[test]
fn a_payment_reattached_at_start_up_waits_for_the_login_then_shows() {
    let mut m = model(Lang::Fr);
    ev(
        &mut m,
        TillEvent::PaymentAccepted {
            intent_id: "i3".into(),
            account: Account::Sub,
            amount_cents: Money::from_cents(450),
        },
    );
    assert_eq!(m.screen, Screen::Login, "nobody is logged in yet");
    logged_in(&mut m, "Khadija", Role::Cashier, Lang::Fr);
    assert_eq!(m.screen, Screen::Payment);
    assert_eq!(m.pay_status_text(), "PAIEMENT ACCEPTÉ");
    assert_eq!(m.payment.as_ref().map(|p| p.account), Some(Account::Sub));
}

#[test]
fn errors_land_where_the_cashier_looks() {
    let mut m = model(Lang::Fr);
    logged_in(&mut m, "Khadija", Role::Cashier, Lang::Fr);
    let err = |code: &str| TillEvent::Error {
        code: code.into(),
        message: "refusé".into(),
    };
    let fx = ev(&mut m, err("unknown_code"));
    assert_eq!(m.till_message.0, "refusé (unknown_code)");
    assert!(fx.contains(&Effect::Beep) && fx.contains(&Effect::ScanDropped));
    ui(&mut m, Ui::Withdraw);
    ev(&mut m, err("withdrawal_limit"));
    assert_eq!(m.amount.message, "refusé (withdrawal_limit)");
    ui(&mut m, Ui::AmountCancel);
    m.paying = true;
    ev(&mut m, err("payment_unavailable"));
    assert!(!m.paying);
    assert!(m.till_message.0.contains("espèces"), "{:?}", m.till_message);
}

#[test]
fn closing_time_locks_the_till_with_the_hours_and_a_lock_keeps_the_id() {
    let mut m = model(Lang::Fr);
    logged_in(&mut m, "Khadija", Role::Cashier, Lang::Fr);
    ev(
        &mut m,
        TillEvent::ClosingSoon {
            at: "2026-12-02T20:00:00+01:00".into(),
        },
    );
    assert_eq!(m.banner_text(), "Fermeture à 20:00");
    ev(
        &mut m,
        TillEvent::SessionLocked {
            staff_id: "14".into(),
            reason: "idle".into(),
        },
    );
    assert_eq!(m.screen, Screen::Login);
    assert!(m.login_locked);
    assert_eq!(m.fields.login_id, "14");
    // C on an empty PIN lets someone else log in.
    ui(&mut m, Ui::LoginClear);
    assert!(!m.login_locked);
    assert_eq!(m.fields.login_id, "");
    logged_in(&mut m, "Khadija", Role::Cashier, Lang::Fr);
    ev(
        &mut m,
        TillEvent::LoggedOut {
            reason: "closed".into(),
        },
    );
    assert_eq!(m.screen, Screen::Login);
    assert!(m.login_message.starts_with("Magasin fermé"));
    assert_eq!(m.banner_text(), "", "no closing banner on the login screen");
}

#[test]
fn a_dutch_cashier_gets_everything_in_dutch_and_the_login_screen_returns_to_french() {
    let mut m = model(Lang::Fr);
    logged_in(&mut m, "Pieter", Role::Cashier, Lang::Nl);
    assert_eq!(m.lang, Lang::Nl);
    assert_eq!(m.seller_text(), "Verkoper: Pieter");
    ev(
        &mut m,
        basket(Account::Main, vec![line(1, "Koffie", 2, 250)], 500, 0),
    );
    assert_eq!(m.main_total_text(), "Hoofdmandje: 5,00 €");
    assert_eq!(m.account_name(Account::Main), "HOOFDMANDJE");
    ui(&mut m, Ui::Withdraw);
    assert_eq!(m.amount_title(), "Geld afhalen");
    ui(&mut m, Ui::AmountOk);
    assert_eq!(m.amount.message, "Geef een bedrag in.");
    ui(&mut m, Ui::AmountCancel);
    ev(
        &mut m,
        TillEvent::LoggedOut {
            reason: "logout".into(),
        },
    );
    assert_eq!(m.lang, Lang::Fr);
}

#[test]
fn an_english_cashier_reads_pounds_of_euros_the_english_way() {
    let mut m = model(Lang::Fr);
    logged_in(&mut m, "Sam", Role::Cashier, Lang::En);
    ev(
        &mut m,
        basket(Account::Main, vec![line(1, "Coffee", 1, 1870)], 1870, 0),
    );
    assert_eq!(m.total_text(), "€18.70");
    assert_eq!(m.basket.rows[0].cells[3], "€18.70");
    ui(&mut m, Ui::Withdraw);
    for c in "2,5".chars() {
        ui(&mut m, Ui::AmountKey(c));
    }
    assert_eq!(m.amount_text(), "€2.5");
}

#[test]
fn the_login_screen_offers_the_other_languages_and_tells_the_runtime() {
    let mut m = model(Lang::Fr);
    let fx = ui(&mut m, Ui::LoginLang(Lang::Nl));
    assert_eq!(sent(&fx), [Command::Language(Lang::Nl)]);
    assert_eq!((m.lang, m.login_lang), (Lang::Nl, Lang::Nl));
    ui(&mut m, Ui::LoginOk);
    assert_eq!(m.login_message, "Geef uw gebruikers-ID in.");
}

#[test]
fn the_status_bar_follows_the_sync_and_the_printer() {
    let mut m = model(Lang::Fr);
    ev(
        &mut m,
        TillEvent::Connectivity {
            online: false,
            pending: 3,
            parked: 0,
        },
    );
    assert_eq!(m.network_text(), "○ Hors ligne · 3 ventes en attente");
    ev(
        &mut m,
        TillEvent::Connectivity {
            online: true,
            pending: 1,
            parked: 1,
        },
    );
    assert_eq!(m.network_text(), "⚠ ● En ligne · 1 en attente (1 bloquée)");
    m.set_lang(Lang::En);
    assert_eq!(m.network_text(), "⚠ ● Online · 1 waiting (1 blocked)");
    m.set_lang(Lang::Fr);
    ev(
        &mut m,
        TillEvent::PrintFailed {
            sale_id: "s".into(),
            reason: "paper".into(),
        },
    );
    assert_eq!(m.printer_text(), "⚠ Impression échouée");
    assert_eq!(sent(&ui(&mut m, Ui::Reprint)), [Command::Reprint]);
    ev(
        &mut m,
        TillEvent::Printed {
            sale_id: "s".into(),
        },
    );
    assert_eq!(m.printer_text(), "Imprimante : OK");
    ev(
        &mut m,
        TillEvent::Scanner {
            connected: false,
            device: "/dev/input/event3".into(),
            message: "débranché".into(),
        },
    );
    assert_eq!(m.banner_text(), "Scanner : débranché");
}

#[test]
fn the_on_screen_keyboard_types_into_its_field_and_enter_scans_an_article() {
    let mut m = model(Lang::Fr);
    logged_in(&mut m, "Khadija", Role::Cashier, Lang::Fr);
    ui(&mut m, Ui::Keyboard(crate::gui::KbdTarget::Article));
    assert_eq!(m.overlay, Some(Overlay::Keyboard));
    for c in "0000".chars() {
        ui(&mut m, Ui::Kbd(c));
    }
    assert_eq!(m.kbd_preview(), "0000▏");
    let fx = ui(&mut m, Ui::KbdEnter);
    assert_eq!(sent(&fx), [Command::Scan("0000".into())]);
    assert_eq!(
        m.overlay,
        Some(Overlay::Keyboard),
        "the keyboard stays for the next"
    );
    ui(&mut m, Ui::KbdClose);
    // The PIN field shows dots, and shift types capitals.
    ui(&mut m, Ui::Keyboard(crate::gui::KbdTarget::StaffPin));
    ui(&mut m, Ui::Kbd('1'));
    assert_eq!(m.kbd_preview(), "•▏");
    ui(&mut m, Ui::Keyboard(crate::gui::KbdTarget::StaffName));
    ui(&mut m, Ui::KbdShift);
    ui(&mut m, Ui::Kbd('a'));
    assert_eq!(m.fields.staff_name, "A");
}
