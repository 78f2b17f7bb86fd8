//! The drawer on the screen: the float asked once at a cashier's first login, the counter, the
//! admin's « Caisse » pane (cash in/out, X, Z with its difference, the past Zs).

use super::*;
use crate::actors::command::DrawerCommand;
use crate::domain::drawer::{DrawerReport, MoveKind};

fn status(m: &mut Model, drawer: Option<i64>) -> Vec<Effect> {
    ev(
        m,
        TillEvent::Status(Box::new(crate::actors::events::StatusView {
            drawer_session: drawer,
            ..Default::default()
        })),
    )
}

fn z(no: i64, expected: i64, counted: i64) -> DrawerReport {
    DrawerReport {
        kind: "z".into(),
        till_id: "till-1".into(),
        z_no: no,
        opened_at: "2026-12-02T06:00:00.000Z".into(),
        until: "2026-12-02T17:30:00.000Z".into(),
        cashiers: vec!["Khadija".into()],
        tickets: 9,
        voids: 0,
        revenue_cents: 1000,
        by_vat: vec![],
        cash_cents: 1000,
        qr_cents: 0,
        rounding_cents: 0,
        float_cents: 15000,
        float_counted: true,
        cash_in_cents: 0,
        cash_out_cents: 0,
        withdrawals_cents: 0,
        expected_cents: expected,
        counted_cents: Some(counted),
        difference_cents: Some(counted - expected),
        ..Default::default()
    }
}

#[test]
fn a_cashier_counts_the_float_at_the_first_login_and_only_then() {
    let mut m = model(Lang::Fr);
    logged_in_with_drawer(&mut m, "Khadija", Role::Cashier, Lang::Fr, None);
    assert_eq!(m.screen, Screen::Till);
    assert_eq!(m.overlay, Some(Overlay::Count));
    assert_eq!(m.count_title(), "Comptez le fond de caisse");
    assert_eq!(m.count_cancel_text(), "Plus tard");
    // 2 × 50 €, 7 × 0,05 €, and a 1 € coin typed 12 then corrected to 1.
    ui(&mut m, Ui::CountPick(3));
    ui(&mut m, Ui::CountKey('2'));
    ui(&mut m, Ui::CountPick(12));
    ui(&mut m, Ui::CountKey('7'));
    ui(&mut m, Ui::CountPick(8));
    ui(&mut m, Ui::CountKey('1'));
    ui(&mut m, Ui::CountKey('2'));
    ui(&mut m, Ui::CountBack);
    assert_eq!(m.count_button_text(3), "50 €\n× 2");
    assert_eq!(m.count_button_text(0), "500 €");
    assert_eq!(m.count_total_text(), "Total : 101,35 €");
    let fx = ui(&mut m, Ui::CountOk);
    assert_eq!(
        sent(&fx),
        [Command::Drawer(DrawerCommand::Open(Money::from_cents(
            10_135
        )))]
    );
    assert_eq!(m.overlay, None);
    ev(
        &mut m,
        TillEvent::DrawerOpened {
            session_no: 4,
            float_cents: Money::from_cents(10_135),
            counted: true,
        },
    );
    assert_eq!(
        m.till_message.0,
        "Tiroir n° 4 ouvert, fond de caisse 101,35 €"
    );
    // A status never asks again, open drawer or not.
    status(&mut m, None);
    assert_eq!(m.overlay, None);

    // The next cashier finds the drawer open: nothing is asked.
    ev(
        &mut m,
        TillEvent::LoggedOut {
            reason: "logout".into(),
        },
    );
    logged_in_with_drawer(&mut m, "Awa", Role::Cashier, Lang::Fr, Some(4));
    assert_eq!(m.overlay, None);
    assert_eq!(m.drawer.session, Some(4));
}

#[test]
fn later_leaves_the_drawer_closed_and_a_slip_of_the_finger_changes_nothing() {
    let mut m = model(Lang::Nl);
    logged_in_with_drawer(&mut m, "Khadija", Role::Cashier, Lang::Nl, None);
    assert_eq!(m.overlay, Some(Overlay::Count));
    ui(&mut m, Ui::CountPick(0));
    for _ in 0..4 {
        ui(&mut m, Ui::CountKey('9'));
    }
    // A fifth digit would be 99 999 notes: refused, the count stays 9 999.
    let fx = ui(&mut m, Ui::CountKey('9'));
    assert!(fx.contains(&Effect::Beep));
    assert_eq!(m.drawer.count.count.pieces(0), 9_999);
    assert!(
        m.drawer.count.message.contains("9999"),
        "{}",
        m.drawer.count.message
    );
    ui(&mut m, Ui::CountClear);
    assert_eq!(m.drawer.count.total(), Money::ZERO);
    // An empty count asks once more before sending 0,00 €.
    let fx = ui(&mut m, Ui::CountOk);
    assert!(sent(&fx).is_empty());
    assert_eq!(m.overlay, Some(Overlay::Count));
    assert_eq!(m.count_cancel_text(), "Later");
    let fx = ui(&mut m, Ui::CountCancel);
    assert!(sent(&fx).is_empty());
    assert_eq!(m.overlay, None);
    status(&mut m, None);
    assert_eq!(m.overlay, None, "asked once, at the login");
}

#[test]
fn the_admin_moves_cash_with_a_reason_and_closes_the_z_with_the_counter() {
    let mut m = model(Lang::Fr);
    logged_in_with_drawer(&mut m, "Marc", Role::Admin, Lang::Fr, None);
    assert_eq!(
        m.overlay, None,
        "the admin opens the drawer from « Caisse »"
    );
    let fx = ui(&mut m, Ui::Tab(AdminTab::Drawer));
    assert_eq!(m.pane, Pane::Drawer);
    assert!(sent(&fx).contains(&Command::Status));
    assert_eq!(admin_sent(&fx), [AdminRequest::ZReports]);
    assert_eq!(m.drawer_state_text(), "Aucun tiroir ouvert");

    // No Z without a drawer; a cash-out needs a reason.
    let fx = ui(&mut m, Ui::DrawerZ);
    assert!(fx.contains(&Effect::Beep));
    assert_eq!(m.drawer.message.0, "Aucun tiroir n'est ouvert.");
    status(&mut m, Some(2));
    assert_eq!(
        m.drawer_state_text(),
        "Tiroir ouvert : session n° 2 (Z à venir)"
    );
    let fx = ui(&mut m, Ui::DrawerOut);
    assert!(fx.contains(&Effect::Beep));
    assert_eq!(m.overlay, None);
    assert!(
        m.drawer.message.0.contains("motif"),
        "{}",
        m.drawer.message.0
    );

    m.fields.drawer_reason = "banque".into();
    ui(&mut m, Ui::DrawerOut);
    assert_eq!(m.overlay, Some(Overlay::Amount));
    assert_eq!(m.amount_title(), "Sortie d'espèces");
    for c in "100".chars() {
        ui(&mut m, Ui::AmountKey(c));
    }
    let fx = ui(&mut m, Ui::AmountOk);
    assert_eq!(
        sent(&fx),
        [Command::Drawer(DrawerCommand::Move {
            kind: MoveKind::Out,
            amount: Money::from_cents(10_000),
            reason: "banque".into(),
        })]
    );
    ev(
        &mut m,
        TillEvent::DrawerMoved {
            session_no: 2,
            move_no: 1,
            kind: MoveKind::Out,
            amount_cents: Money::from_cents(10_000),
            reason: "banque".into(),
        },
    );
    assert_eq!(m.drawer.message.0, "Sortie d'espèces : 100,00 € (banque)");
    assert!(m.fields.drawer_reason.is_empty());

    // The Z: counted on the counter, refused while a payment runs, then made.
    ui(&mut m, Ui::DrawerZ);
    assert_eq!(m.count_title(), "Comptez la caisse pour le Z");
    ui(&mut m, Ui::CountPick(4));
    ui(&mut m, Ui::CountKey('3'));
    let fx = ui(&mut m, Ui::CountOk);
    assert_eq!(
        sent(&fx),
        [Command::Drawer(DrawerCommand::Close(Money::from_cents(
            6_000
        )))]
    );
    ev(
        &mut m,
        TillEvent::error("payment_in_progress", "un paiement est en cours"),
    );
    assert!(m.drawer.message.0.contains("payment_in_progress"));
    ui(&mut m, Ui::DrawerZ);
    ui(&mut m, Ui::CountPick(4));
    ui(&mut m, Ui::CountKey('3'));
    ui(&mut m, Ui::CountOk);
    let fx = ev(
        &mut m,
        TillEvent::DrawerReport {
            report: Box::new(z(2, 6_010, 6_000)),
        },
    );
    assert_eq!(admin_sent(&fx), [AdminRequest::ZReports]);
    assert_eq!(m.drawer.session, None);
    assert_eq!(m.drawer.shows, DrawerShows::Report);
    assert_eq!(
        m.drawer_difference(),
        Some(("Écart : -0,10 €".to_owned(), false))
    );
    let rows = &m.drawer.report_list.rows;
    assert_eq!(rows.last().unwrap().cells, ["Différence", "-0,10 €"]);
    assert!(
        rows.iter()
            .any(|r| r.cells == ["Espèces attendues", "60,10 €"])
    );

    // The past Zs; one picked shows its figures; a Z that balances is green.
    reply(
        &mut m,
        Ok(AdminReply::ZReports(vec![
            z(2, 6_010, 6_000),
            z(1, 500, 500),
        ])),
    );
    ui(&mut m, Ui::DrawerHistory);
    assert_eq!(m.drawer.shows, DrawerShows::History);
    assert_eq!(m.drawer_difference(), None);
    let h = &m.drawer.history_list.rows;
    // Closed at 17:30 UTC: 18:30 in Brussels.
    assert_eq!(
        h[0].cells,
        ["2", "02/12/2026 18:30", "9", "60,00 €", "-0,10 €"],
    );
    assert_eq!(h[0].tone, RowTone::Withdrawal);
    assert_eq!(h[1].tone, RowTone::Plain);
    m.fields.drawer_sel = Some(1);
    ui(&mut m, Ui::Select(ListId::ZReports));
    assert_eq!(
        m.drawer_difference(),
        Some(("Écart : 0,00 €".to_owned(), true))
    );
}
