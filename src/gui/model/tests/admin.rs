//! The admin's panes, and checks over the whole model.

use super::*;

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
    // A day without rounded cash payments has no rounding row; one with them shows its total.
    assert!(
        !m.admin
            .report_list
            .rows
            .iter()
            .any(|r| r.cells[2].starts_with("Arrondi"))
    );
    reply(
        &mut m,
        Ok(AdminReply::DayReport {
            source: ReportSource::Local,
            report: crate::domain::report::DayReport::build_with_rounding(
                day,
                vec![],
                vec![crate::domain::report::TicketRounding {
                    till_id: "till-1".into(),
                    ticket_no: 3,
                    rounding_cents: Money::from_cents(-2),
                }],
            ),
        }),
    );
    assert!(
        m.admin
            .report_list
            .rows
            .iter()
            .any(|r| r.cells[2] == "Arrondi espèces (hors total)" && r.cells[4] == "-0,02 €"),
        "{:?}",
        m.admin.report_list.rows
    );
    // A day with a credit note: its line in its own colour; sales, credit notes, discounts,
    // then the net balance.
    let line = |ticket_no, qty, total, discount, refund| crate::domain::report::ReportLine {
        time: "10:00:00".into(),
        till_id: "till-1".into(),
        ticket_no,
        seller: "Khadija".into(),
        product: "Pain au chocolat".into(),
        qty,
        kind: crate::domain::LineKind::Item,
        total_cents: Money::from_cents(total),
        vat_rate: Some(crate::domain::VatRate::Six),
        discount_cents: Money::from_cents(discount),
        refund,
    };
    reply(
        &mut m,
        Ok(AdminReply::DayReport {
            source: ReportSource::Local,
            report: crate::domain::report::DayReport::build(
                day,
                vec![line(1, 3, 300, 60, false), line(2, -1, -100, -20, true)],
            ),
        }),
    );
    let rows = &m.admin.report_list.rows;
    let tone_of = |cell: &str| rows.iter().find(|r| r.cells[2] == cell).map(|r| r.tone);
    assert_eq!(rows[1].tone, RowTone::Refund, "{rows:?}");
    assert_eq!(rows[0].tone, RowTone::Plain);
    let amount_of = |prefix: &str| {
        rows.iter()
            .find(|r| r.cells[2].starts_with(prefix))
            .map(|r| r.cells[4].clone())
            .unwrap_or_else(|| panic!("no {prefix} row in {rows:?}"))
    };
    assert_eq!(amount_of("Ventes"), "3,00 €");
    assert_eq!(amount_of("Notes de crédit : 1"), "-1,00 €");
    assert_eq!(tone_of("Notes de crédit : 1"), Some(RowTone::Refund));
    assert_eq!(amount_of("Remises (1 vente,"), "0,40 €");
    assert_eq!(amount_of("SOLDE CAISSE"), "2,00 €");
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
    // Picking another language for the selected person saves it; the same one sends nothing.
    assert!(admin_sent(&ui(&mut m, Ui::StaffLang)).is_empty());
    m.fields.staff_lang = 2;
    assert_eq!(
        admin_sent(&ui(&mut m, Ui::StaffLang)),
        [AdminRequest::SetStaffLang {
            id: "31".into(),
            lang: Lang::En
        }]
    );
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
        include_str!("../mod.rs"),
        include_str!("../events.rs"),
        include_str!("../ui.rs"),
        include_str!("../admin.rs"),
        include_str!("../texts.rs"),
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

#[test]
fn journal_dates_in_both_spellings() {
    let d = NaiveDate::from_ymd_opt(2026, 5, 31);
    assert_eq!(parse_day("2026-05-31"), d);
    assert_eq!(parse_day(" 31/05/2026 "), d);
    assert_eq!(parse_day("31-05-2026"), None);
    assert_eq!(parse_day("2026-02-30"), None);
}
