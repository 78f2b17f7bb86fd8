//! The screen's transitions, without a display: each test feeds the model what the cashier
//! touches and what the runtime says, and checks what the screen would show and what goes out.
//! `till.rs`: login, till, payment, overlays, status bar; `admin.rs`: the admin's panes;
//! `drawer.rs`: the drawer; `counter.rs`: discounts, the manager's approval, returns.

mod admin;
mod counter;
mod drawer;
mod till;

pub(super) use chrono::{NaiveDate, TimeZone};

pub(super) use super::*;
pub(super) use crate::actors::TillEvent;
pub(super) use crate::actors::admin::{AdminReply, ExportFormat};
pub(super) use crate::actors::events::{BasketLineView, RefusalReason};
pub(super) use crate::domain::barcode::ArticleCode;
pub(super) use crate::domain::basket::LineKind;
pub(super) use crate::domain::product::VatRate;
pub(super) use crate::domain::report::DaySummary;
pub(super) use crate::domain::staff::StaffId;
pub(super) use crate::gui::{AdminTab, ListId, Ui};

pub(super) fn model(lang: Lang) -> Model {
    let tz = chrono_tz::Europe::Brussels;
    let now = tz.with_ymd_and_hms(2026, 12, 2, 10, 30, 0).unwrap();
    Model::new("Épicerie du Parvis", lang, tz, now)
}

pub(super) fn ev(m: &mut Model, e: TillEvent) -> Vec<Effect> {
    update(m, Msg::Event(Box::new(e)))
}

pub(super) fn ui(m: &mut Model, u: Ui) -> Vec<Effect> {
    update(m, Msg::Ui(u))
}

pub(super) fn reply(
    m: &mut Model,
    r: Result<AdminReply, crate::actors::CommandError>,
) -> Vec<Effect> {
    update(m, Msg::Admin(Box::new(r)))
}

pub(super) fn sent(fx: &[Effect]) -> Vec<Command> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Send(c) => Some(c.clone()),
            _ => None,
        })
        .collect()
}

pub(super) fn admin_sent(fx: &[Effect]) -> Vec<AdminRequest> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Admin(r) => Some(r.clone()),
            _ => None,
        })
        .collect()
}

pub(super) fn line(n: usize, name: &str, qty: i64, unit: i64) -> BasketLineView {
    BasketLineView {
        line: n,
        kind: LineKind::Item,
        code: Some(format!("{n:04}")),
        name: name.into(),
        qty,
        unit_cents: Money::from_cents(unit),
        total_cents: Money::from_cents(unit * qty),
        discount_cents: Money::ZERO,
        discount: None,
    }
}

pub(super) fn basket(
    account: Account,
    lines: Vec<BasketLineView>,
    main: i64,
    sub: i64,
) -> TillEvent {
    let total = lines.iter().map(|l| l.total_cents.cents()).sum();
    TillEvent::Basket {
        account,
        lines,
        discount_cents: Money::ZERO,
        basket_discount: None,
        total_cents: Money::from_cents(total),
        main_total_cents: Money::from_cents(main),
        sub_total_cents: Money::from_cents(sub),
    }
}

pub(super) fn logged_in(m: &mut Model, name: &str, role: Role, lang: Lang) -> Vec<Effect> {
    logged_in_with_drawer(m, name, role, lang, Some(1))
}

/// A login that finds drawer session `drawer` open (`None`: no drawer open).
pub(super) fn logged_in_with_drawer(
    m: &mut Model,
    name: &str,
    role: Role,
    lang: Lang,
    drawer: Option<i64>,
) -> Vec<Effect> {
    ev(
        m,
        TillEvent::LoggedIn {
            staff_id: "14".into(),
            name: name.into(),
            role,
            lang,
            drawer_session: drawer,
        },
    )
}

/// Types `id` and `pin` on the login keypad and presses Connexion.
pub(super) fn keypad_login(m: &mut Model, id: &str, pin: &str) -> Vec<Effect> {
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
