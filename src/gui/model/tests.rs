//! The screen's transitions, without a display: each test feeds the model what the cashier
//! touches and what the runtime says, and checks what the screen would show and what goes out.

use chrono::{NaiveDate, TimeZone};

use super::*;
use crate::actors::TillEvent;
use crate::actors::admin::{AdminReply, ExportFormat};
use crate::actors::events::{BasketLineView, RefusalReason};
use crate::domain::barcode::ArticleCode;
use crate::domain::basket::LineKind;
use crate::domain::product::VatRate;
use crate::domain::report::DaySummary;
use crate::domain::staff::StaffId;
use crate::gui::{AdminTab, ListId, Ui};

fn model(lang: Lang) -> Model {
    let tz = chrono_tz::Europe::Brussels;
    let now = tz.with_ymd_and_hms(2026, 12, 2, 10, 30, 0).unwrap();
    Model::new("Épicerie du Parvis", lang, tz, now)
}

fn ev(m: &mut Model, e: TillEvent) -> Vec<Effect> {
    update(m, Msg::Event(Box::new(e)))
}

fn ui(m: &mut Model, u: Ui) -> Vec<Effect> {
    update(m, Msg::Ui(u))
}

fn reply(m: &mut Model, r: Result<AdminReply, crate::actors::CommandError>) -> Vec<Effect> {
    update(m, Msg::Admin(Box::new(r)))
}

fn sent(fx: &[Effect]) -> Vec<Command> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Send(c) => Some(c.clone()),
            _ => None,
        })
        .collect()
}

fn admin_sent(fx: &[Effect]) -> Vec<AdminRequest> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Admin(r) => Some(r.clone()),
            _ => None,
        })
        .collect()
}

fn line(n: usize, name: &str, qty: i64, unit: i64) -> BasketLineView {
    BasketLineView {
        line: n,
        kind: LineKind::Item,
        code: Some(format!("{n:04}")),
        name: name.into(),
        qty,
        unit_cents: Money::from_cents(unit),
        total_cents: Money::from_cents(unit * qty),
    }
}

fn basket(account: Account, lines: Vec<BasketLineView>, main: i64, sub: i64) -> TillEvent {
    let total = lines.iter().map(|l| l.total_cents.cents()).sum();
    TillEvent::Basket {
        account,
        lines,
        total_cents: Money::from_cents(total),
        main_total_cents: Money::from_cents(main),
        sub_total_cents: Money::from_cents(sub),
    }
}

fn logged_in(m: &mut Model, name: &str, role: Role, lang: Lang) -> Vec<Effect> {
    ev(
        m,
        TillEvent::LoggedIn {
            staff_id: "14".into(),
            name: name.into(),
            role,
            lang,
        },
    )
}

/// Types `id` and `pin` on the login keypad and presses Connexion.
fn keypad_login(m: &mut Model, id: &str, pin: &str) -> Vec<Effect> {
    m.fields.focus = Some(Field::LoginId);
    for c in id.chars() {
        ui(m, Ui::LoginKey(c));
    }
    m.fields.focus = Some(Field::LoginPin);
    for c in pin.chars() {
        ui(m, Ui::LoginKey(c));
    }
    ui(m, Ui::LoginOk)
}

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
        },
    );
    assert_eq!(m.screen, Screen::Till);
    assert_eq!(m.till_message.0, "Paiement annulé.");
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

#[test]
fn an_admin_goes_from_the_days_to_a_report_exports_it_and_hides_a_day() {
    let mut m = model(Lang::Fr);
    logged_in(&mut m, "Marc", Role::Admin, Lang::Fr);
    let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    reply(
        &mut m,
        Ok(AdminReply::Days {
            source: ReportSource::Local,
            days: vec![DaySummary {
                day,
                tickets: 1,
                revenue_cents: Money::from_cents(1870),
                withdrawal_cents: Money::ZERO,
            }],
        }),
    );
    assert_eq!(m.days_title(), "Rapports journaliers · cette caisse");
    assert_eq!(m.admin.days_list.rows[0].cells[0], "01/12/2026");
    assert_eq!(m.admin.days_list.selected, Some(0));
    let fx = ui(&mut m, Ui::DaysOpen);
    assert_eq!(admin_sent(&fx), [AdminRequest::DayReport(day)]);
    reply(
        &mut m,
        Ok(AdminReply::DayReport {
            source: ReportSource::Local,
            report: crate::domain::report::DayReport::build(day, vec![]),
        }),
    );
    assert_eq!(m.pane, Pane::Report);
    assert_eq!(m.report_title(), "Rapport du 01/12/2026");
    assert!(
        m.admin
            .report_list
            .rows
            .iter()
            .any(|r| r.cells[2] == "SOLDE CAISSE")
    );
    let fx = ui(&mut m, Ui::Export(ExportFormat::Pdf));
    assert_eq!(
        admin_sent(&fx),
        [AdminRequest::Export {
            day,
            format: ExportFormat::Pdf
        }]
    );
    ui(&mut m, Ui::ReportBack);
    assert_eq!(m.pane, Pane::Days);
    m.fields.days_sel = Some(0);
    ui(&mut m, Ui::DaysDelete);
    assert_eq!(m.overlay, Some(Overlay::Confirm));
    assert!(m.confirm_question.contains("01/12/2026"));
    let fx = ui(&mut m, Ui::ConfirmYes);
    assert_eq!(admin_sent(&fx), [AdminRequest::HideDay(day)]);
    // No selection: nothing to hide.
    m.fields.days_sel = None;
    ui(&mut m, Ui::DaysDelete);
    assert_eq!(m.overlay, None);
}

#[test]
fn the_journal_opens_on_this_month_and_refuses_bad_dates() {
    let mut m = model(Lang::Fr);
    logged_in(&mut m, "Marc", Role::Admin, Lang::Fr);
    let fx = ui(&mut m, Ui::Tab(AdminTab::Journal));
    assert_eq!(m.pane, Pane::Journal);
    assert_eq!(
        admin_sent(&fx),
        [AdminRequest::Journal {
            from: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
        }]
    );
    m.fields.journal_from = "31-12-2026".into();
    let fx = ui(&mut m, Ui::JournalShow);
    assert!(admin_sent(&fx).is_empty());
    assert!(m.journal_text().contains("AAAA-MM-JJ"));
}

fn cafe() -> Product {
    Product {
        code: ArticleCode::parse("0000").unwrap(),
        barcode: None,
        name: "Café".into(),
        price: Money::from_cents(250),
        vat: VatRate::TwentyOne,
        active: false,
    }
}

#[test]
fn a_product_edit_sends_only_what_the_admin_changed() {
    let mut m = model(Lang::Fr);
    logged_in(&mut m, "Marc", Role::Admin, Lang::Fr);
    ui(&mut m, Ui::Tab(AdminTab::Products));
    reply(&mut m, Ok(AdminReply::Products(vec![cafe()])));
    assert_eq!(m.admin.products_list.rows[0].cells[1], "Café (désactivé)");
    m.fields.products_sel = Some(0);
    ui(&mut m, Ui::Select(ListId::Products));
    assert_eq!(m.fields.product_price, "2,50");
    assert_eq!(m.product_toggle_text(), "Activer");
    // Saved unchanged: nothing to send.
    let fx = ui(&mut m, Ui::ProductSave);
    assert!(admin_sent(&fx).is_empty());
    assert_eq!(m.admin.products_message, "Rien n'a changé.");
    m.fields.product_price = "2,70".into();
    let fx = ui(&mut m, Ui::ProductSave);
    assert_eq!(
        admin_sent(&fx),
        [AdminRequest::EditProduct {
            code: "0000".into(),
            patch: crate::domain::product::ProductPatch {
                price: Some(Money::from_cents(270)),
                ..Default::default()
            }
        }]
    );
    // A bad price is refused on the spot, in the admin's words.
    m.fields.product_price = "abc".into();
    let fx = ui(&mut m, Ui::ProductSave);
    assert!(admin_sent(&fx).is_empty());
    assert!(m.admin.products_message.starts_with("Prix : "));
    // A new code is a whole new product.
    m.fields.product_code = "9999".into();
    m.fields.product_price = "1,00".into();
    let fx = ui(&mut m, Ui::ProductSave);
    assert!(matches!(
        admin_sent(&fx)[..],
        [AdminRequest::SaveProduct(_)]
    ));
    // The enable button flips the selected product.
    let fx = ui(&mut m, Ui::ProductToggle);
    assert_eq!(
        admin_sent(&fx),
        [AdminRequest::SetProductActive {
            code: "0000".into(),
            active: true
        }]
    );
    // An import needs a path, and is read by the shell.
    let fx = ui(&mut m, Ui::ProductImport);
    assert!(fx.contains(&Effect::Beep));
    m.fields.import_path = "/media/usb/catalogue.csv".into();
    let fx = ui(&mut m, Ui::ProductImport);
    assert_eq!(fx, [Effect::ImportFile("/media/usb/catalogue.csv".into())]);
    reply(
        &mut m,
        Ok(AdminReply::Imported {
            added: 1,
            updated: 2,
        }),
    );
    assert_eq!(
        m.admin.products_message,
        "Import terminé : 1 ajouté, 2 modifiés."
    );
}

#[test]
fn staff_are_added_with_their_language_and_refusals_name_the_field() {
    let mut m = model(Lang::Fr);
    logged_in(&mut m, "Marc", Role::Admin, Lang::Fr);
    ui(&mut m, Ui::Tab(AdminTab::Staff));
    m.fields.staff_id = "31".into();
    m.fields.staff_name = "Pieter".into();
    m.fields.staff_pin = "3131".into();
    m.fields.staff_lang = 1;
    let fx = ui(&mut m, Ui::StaffAdd);
    match &admin_sent(&fx)[..] {
        [AdminRequest::AddStaff { staff, pin }] => {
            assert_eq!(staff.lang, Lang::Nl);
            assert_eq!(staff.role, Role::Cashier);
            assert_eq!(pin, "3131");
        }
        other => panic!("{other:?}"),
    }
    m.fields.staff_id = "".into();
    let fx = ui(&mut m, Ui::StaffAdd);
    assert!(admin_sent(&fx).is_empty());
    assert!(m.admin.staff_message.starts_with("ID : "));
    reply(
        &mut m,
        Ok(AdminReply::Staff(vec![Staff {
            id: StaffId::parse("31").unwrap(),
            name: "Pieter".into(),
            role: Role::Cashier,
            active: true,
            lang: Lang::Nl,
        }])),
    );
    assert_eq!(
        m.admin.staff_list.rows[0].cells,
        ["31", "Pieter", "Caissier · NL"]
    );
    m.fields.staff_sel = Some(0);
    ui(&mut m, Ui::Select(ListId::Staff));
    assert_eq!(m.fields.staff_lang, 1);
    // Reset PIN needs a PIN.
    m.fields.staff_pin.clear();
    let fx = ui(&mut m, Ui::StaffResetPin);
    assert!(admin_sent(&fx).is_empty());
    reply(
        &mut m,
        Ok(AdminReply::Done {
            message: "ok".into(),
        }),
    );
    assert_eq!(m.admin.staff_message, "ok");
}

#[test]
fn an_admin_goes_to_the_till_and_back_but_not_during_a_payment() {
    let mut m = model(Lang::Fr);
    logged_in(&mut m, "Marc", Role::Admin, Lang::Fr);
    ui(&mut m, Ui::AdminToTill);
    assert_eq!(m.screen, Screen::Till);
    m.payment = Some(Payment {
        account: Account::Main,
        amount: Money::from_cents(100),
        url: String::new(),
        state: PayState::Pending,
    });
    ui(&mut m, Ui::TillToAdmin);
    assert_eq!(m.screen, Screen::Till);
    assert!(m.till_message.0.contains("paiement est en cours"));
    m.payment = None;
    let fx = ui(&mut m, Ui::TillToAdmin);
    assert_eq!(m.screen, Screen::Admin);
    assert_eq!(admin_sent(&fx), [AdminRequest::Days]);
    // A cashier has no admin screen.
    let mut c = model(Lang::Fr);
    logged_in(&mut c, "Khadija", Role::Cashier, Lang::Fr);
    ui(&mut c, Ui::TillToAdmin);
    assert_eq!(c.screen, Screen::Till);
}

#[test]
fn an_admin_error_shows_on_the_pane_it_came_from() {
    let mut m = model(Lang::Fr);
    logged_in(&mut m, "Marc", Role::Admin, Lang::Fr);
    ui(&mut m, Ui::Tab(AdminTab::Products));
    reply(
        &mut m,
        Err(crate::actors::CommandError {
            code: "central_unreachable",
            message: "base centrale injoignable".into(),
        }),
    );
    assert_eq!(
        m.admin.products_message,
        "base centrale injoignable (central_unreachable)"
    );
}

#[test]
fn quitting_without_a_payment_tells_the_runtime_first() {
    let mut m = model(Lang::Fr);
    let fx = ui(&mut m, Ui::Close);
    assert_eq!(fx, [Effect::Send(Command::Quit), Effect::Quit]);
}

#[test]
fn every_gui_message_the_model_uses_exists_in_every_language() {
    // The catalogue test checks the three languages agree; this one that the model's ids are
    // in them (a missing id would show as the id itself).
    let src = [
        include_str!("mod.rs"),
        include_str!("events.rs"),
        include_str!("ui.rs"),
        include_str!("admin.rs"),
    ]
    .join("\n");
    let mut n = 0;
    for id in src
        .split('"')
        .filter(|s| s.starts_with("gui-") && !s.contains(' '))
    {
        n += 1;
        for lang in Lang::ALL {
            let text = i18n::t(lang, id, &[]);
            assert_ne!(text, id, "{id} missing in {lang}");
        }
    }
    assert!(n > 60, "the ids are read from the sources ({n})");
}
