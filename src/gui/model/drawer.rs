//! The cash drawer on the screen: the float counted at a cashier's first login when no drawer
//! is open, and the admin's « Caisse » pane — cash in and out with a reason, the X report, the
//! Z with the counted cash and its difference shown large, and the list of past Z reports.
//!
//! Counting is done on the denomination counter ([`CountPad`], over the domain's
//! [`CashCount`]): pick a note or a coin, type how many, the total follows live. What goes to
//! the runtime is a plain `drawer open|close <total>` or `drawer in|out <amount> <reason>`,
//! the same commands the headless driver sends; every rule (one open drawer, amounts, the Z
//! refused during a payment) is the runtime's, and its refusals come back as `error` events.

use super::{Effect, Field, List, Model, Overlay, Pane, Row, RowTone, Screen, Tone};
use crate::actors::Command;
use crate::actors::admin::AdminRequest;
use crate::actors::command::DrawerCommand;
use crate::domain::Money;
use crate::domain::cash_count::{CashCount, DENOMINATIONS, MAX_PIECES, denomination_label};
use crate::domain::drawer::{DrawerReport, MoveKind, reason};
use crate::gui::Ui;
use crate::i18n::Arg;

/// What the counter counts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CountFor {
    /// The float of a new drawer session (`drawer open`).
    #[default]
    Float,
    /// The cash in the drawer at the Z (`drawer close`).
    Close,
}

/// The denomination counter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CountPad {
    pub purpose: CountFor,
    pub count: CashCount,
    /// The denomination the keypad types into (an index into [`DENOMINATIONS`]).
    pub selected: usize,
    /// The digits typed for the selected denomination since it was picked.
    pub typed: String,
    pub message: String,
    /// An empty count was sent once: the next « Valider » confirms 0,00 €.
    pub zero_confirmed: bool,
}

impl CountPad {
    pub fn total(&self) -> Money {
        self.count.total()
    }
}

/// What the « Caisse » pane's list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DrawerShows {
    /// The Z reports of this till, newest first.
    #[default]
    History,
    /// One report (an X just asked for, the Z just made, or a past Z picked in the list).
    Report,
}

/// The drawer as the screen knows it.
#[derive(Debug, Clone, Default)]
pub struct DrawerModel {
    /// The open session's number, from the runtime's `status` (`None`: no drawer open).
    pub session: Option<i64>,
    pub count: CountPad,
    pub shows: DrawerShows,
    pub report: Option<DrawerReport>,
    pub report_list: List,
    pub history: Vec<DrawerReport>,
    pub history_list: List,
    pub message: (String, Tone),
}

impl Model {
    /// « Tiroir n° 3 ouvert » / « Aucun tiroir ouvert ».
    pub fn drawer_state_text(&self) -> String {
        match self.drawer.session {
            Some(no) => self.ta("gui-drawer-open-state", &[("no", no.into())]),
            None => self.t("gui-drawer-closed-state"),
        }
    }

    /// The counter's title.
    pub fn count_title(&self) -> String {
        self.t(match self.drawer.count.purpose {
            CountFor::Float => "gui-count-float-title",
            CountFor::Close => "gui-count-close-title",
        })
    }

    /// The counter's cancel button: « Plus tard » for the float (the till then opens the
    /// drawer uncounted at the first cash sale), « Annuler » for the Z.
    pub fn count_cancel_text(&self) -> String {
        self.t(match self.drawer.count.purpose {
            CountFor::Float => "gui-count-later",
            CountFor::Close => "gui-l-amount-cancel",
        })
    }

    /// The label of denomination button `i`: `20 €` and, once counted, `× 3`.
    pub fn count_button_text(&self, i: usize) -> String {
        let d = DENOMINATIONS.get(i).copied().unwrap_or(Money::ZERO);
        match self.drawer.count.count.pieces(i) {
            0 => denomination_label(d),
            n => format!("{}\n× {n}", denomination_label(d)),
        }
    }

    pub fn count_total_text(&self) -> String {
        self.ta(
            "gui-count-total",
            &[("amount", self.drawer.count.total().into())],
        )
    }

    /// The Z's difference, large: `None` unless a Z is shown.
    pub fn drawer_difference(&self) -> Option<(String, bool)> {
        let r = self.drawer.report.as_ref()?;
        if self.drawer.shows != DrawerShows::Report {
            return None;
        }
        let d = r.difference_cents?;
        Some((
            self.ta(
                "gui-drawer-difference",
                &[("amount", Money::from_cents(d).into())],
            ),
            d == 0,
        ))
    }
}

/// An instant of a report (RFC 3339, UTC) as the shop's clock read it: `10/06/2026 17:30`.
fn local_time(m: &Model, instant: &str) -> Option<String> {
    chrono::DateTime::parse_from_rfc3339(instant)
        .ok()
        .map(|t| t.with_timezone(&m.tz).format("%d/%m/%Y %H:%M").to_string())
}

/// The report's figures as label/value rows, in the screen's language (its times local).
fn report_rows(m: &Model, r: &DrawerReport) -> Vec<Row> {
    let mut rows: Vec<Row> = r
        .rows_in(m.lang)
        .into_iter()
        .map(|(label, value)| {
            let value = local_time(m, &value).unwrap_or(value);
            Row::plain(vec![label, value])
        })
        .collect();
    if let Some(last) = rows.last_mut()
        && r.difference_cents.is_some()
    {
        last.tone = RowTone::Total;
    }
    rows
}

fn history_rows(m: &Model) -> Vec<Row> {
    m.drawer
        .history
        .iter()
        .map(|z| {
            let diff = z.difference_cents.unwrap_or(0);
            Row::toned(
                vec![
                    z.z_no.to_string(),
                    local_time(m, &z.until).unwrap_or_else(|| z.until.clone()),
                    z.tickets.to_string(),
                    m.money(Money::from_cents(z.counted_cents.unwrap_or(0))),
                    m.money(Money::from_cents(diff)),
                ],
                if diff == 0 {
                    RowTone::Plain
                } else {
                    RowTone::Withdrawal
                },
            )
        })
        .collect()
}

/// Rebuilds the pane's lists from their data, in the model's language.
pub(super) fn rebuild_lists(m: &mut Model) {
    if let Some(r) = &m.drawer.report {
        let rows = report_rows(m, r);
        m.drawer.report_list.set(rows, None);
    }
    let rows = history_rows(m);
    let sel = m.fields.drawer_sel.filter(|i| *i < rows.len());
    m.drawer.history_list.set(rows, sel);
}

fn say(m: &mut Model, text: String, tone: Tone) {
    if m.screen == Screen::Admin {
        m.drawer.message = (text, tone);
    } else {
        m.till_message = (text, tone);
    }
}

/// Opens the counter, empty, for `purpose`.
pub(super) fn open_count(m: &mut Model, purpose: CountFor) {
    m.drawer.count = CountPad {
        purpose,
        ..CountPad::default()
    };
    m.open(Overlay::Count);
}

/// The drawer's touches; `None` for a touch that is not theirs.
pub(super) fn on_ui(m: &mut Model, u: Ui) -> Option<Vec<Effect>> {
    let fx = match u {
        Ui::CountPick(i) if i < DENOMINATIONS.len() => {
            let c = &mut m.drawer.count;
            c.selected = i;
            c.typed.clear();
            c.message.clear();
            vec![]
        }
        Ui::CountPick(_) => vec![],
        Ui::CountKey(d) if d.is_ascii_digit() => {
            let too_many = m.ta(
                "gui-count-too-many",
                &[("max", Arg::Num(i64::from(MAX_PIECES)))],
            );
            let c = &mut m.drawer.count;
            let mut typed = c.typed.clone();
            typed.push(d);
            let n: u32 = typed.parse().unwrap_or(u32::MAX);
            if n > MAX_PIECES || !c.count.set(c.selected, n) {
                c.message = too_many;
                return Some(vec![Effect::Beep]);
            }
            c.typed = typed.trim_start_matches('0').to_owned();
            c.message.clear();
            c.zero_confirmed = false;
            vec![]
        }
        Ui::CountKey(_) => vec![],
        Ui::CountBack => {
            let c = &mut m.drawer.count;
            // What was typed since the pick, one digit less (the count shown by the button
            // when nothing was typed since).
            let mut typed = if c.typed.is_empty() {
                c.count.pieces(c.selected).to_string()
            } else {
                c.typed.clone()
            };
            typed.pop();
            c.count.set(c.selected, typed.parse().unwrap_or(0));
            c.typed = typed;
            vec![]
        }
        Ui::CountClear => {
            let c = &mut m.drawer.count;
            c.count.set(c.selected, 0);
            c.typed.clear();
            vec![]
        }
        Ui::CountCancel => {
            m.drawer.count.message.clear();
            m.close_overlay()
        }
        Ui::CountOk => count_ok(m),
        Ui::DrawerFloat => {
            if m.drawer.session.is_some() {
                let text = m.t("gui-drawer-already-open");
                say(m, text, Tone::Danger);
                vec![Effect::Beep]
            } else {
                open_count(m, CountFor::Float);
                vec![]
            }
        }
        Ui::DrawerIn | Ui::DrawerOut => match reason(&m.fields.drawer_reason) {
            Ok(_) => {
                let kind = if u == Ui::DrawerIn {
                    MoveKind::In
                } else {
                    MoveKind::Out
                };
                m.amount.purpose = super::AmountFor::Drawer(kind);
                m.amount.text.clear();
                m.amount.message.clear();
                m.open(Overlay::Amount);
                vec![]
            }
            Err(e) => {
                let text = crate::actors::command::drawer_input_text(e).render(m.lang);
                say(m, text, Tone::Danger);
                vec![Effect::Beep, Effect::Focus(Field::DrawerReason)]
            }
        },
        Ui::DrawerX => {
            m.drawer.message.0.clear();
            vec![Effect::Send(Command::ReportX)]
        }
        Ui::DrawerZ => {
            if m.drawer.session.is_none() {
                let text = m.t("gui-drawer-none-open");
                say(m, text, Tone::Danger);
                vec![Effect::Beep]
            } else {
                open_count(m, CountFor::Close);
                vec![]
            }
        }
        Ui::DrawerHistory => {
            m.drawer.shows = DrawerShows::History;
            vec![Effect::Admin(AdminRequest::ZReports)]
        }
        Ui::Select(crate::gui::ListId::ZReports) => {
            if let Some(z) = m
                .fields
                .drawer_sel
                .and_then(|i| m.drawer.history.get(i))
                .cloned()
            {
                m.drawer.report = Some(z);
                m.drawer.shows = DrawerShows::Report;
                rebuild_lists(m);
            }
            vec![]
        }
        _ => return None,
    };
    Some(fx)
}

fn count_ok(m: &mut Model) -> Vec<Effect> {
    if m.drawer.count.count.is_empty() && !m.drawer.count.zero_confirmed {
        m.drawer.count.zero_confirmed = true;
        m.drawer.count.message = m.t("gui-count-empty");
        return vec![Effect::Beep];
    }
    let c = &m.drawer.count;
    let total = c.total();
    let cmd = match c.purpose {
        CountFor::Float => DrawerCommand::Open(total),
        CountFor::Close => DrawerCommand::Close(total),
    };
    let mut fx = m.close_overlay();
    fx.push(Effect::Send(Command::Drawer(cmd)));
    fx
}

/// The cash-in/out amount typed on the amount keypad: the move, with the pane's reason.
pub(super) fn move_amount(m: &mut Model, kind: MoveKind, amount: Money) -> Vec<Effect> {
    match reason(&m.fields.drawer_reason) {
        Ok(reason) => {
            let mut fx = m.close_overlay();
            fx.push(Effect::Send(Command::Drawer(DrawerCommand::Move {
                kind,
                amount,
                reason,
            })));
            fx
        }
        Err(e) => {
            m.amount.message = crate::actors::command::drawer_input_text(e).render(m.lang);
            vec![Effect::Beep]
        }
    }
}

/// The runtime opened a drawer (the float counted here, or uncounted at a first cash sale).
pub(super) fn on_opened(m: &mut Model, session_no: i64, float: Money, counted: bool) {
    m.drawer.session = Some(session_no);
    let text = if counted {
        m.ta(
            "gui-drawer-opened",
            &[("no", session_no.into()), ("amount", float.into())],
        )
    } else {
        m.ta("gui-drawer-opened-uncounted", &[("no", session_no.into())])
    };
    if counted || m.screen == Screen::Admin {
        say(m, text, Tone::Good);
    }
}

pub(super) fn on_moved(m: &mut Model, kind: MoveKind, amount: Money, why: &str) -> Vec<Effect> {
    let text = m.ta(
        match kind {
            MoveKind::In => "gui-drawer-moved-in",
            MoveKind::Out => "gui-drawer-moved-out",
        },
        &[("amount", amount.into()), ("reason", why.into())],
    );
    say(m, text, Tone::Good);
    m.fields.drawer_reason.clear();
    vec![Effect::Send(Command::Status)]
}

pub(super) fn on_report(m: &mut Model, r: DrawerReport) -> Vec<Effect> {
    let z = r.kind == "z";
    m.drawer.report = Some(r);
    m.drawer.shows = DrawerShows::Report;
    m.drawer.message.0.clear();
    let mut fx = vec![];
    if z {
        m.drawer.session = None;
        fx.push(Effect::Send(Command::Status));
        if m.is_admin() {
            fx.push(Effect::Admin(AdminRequest::ZReports));
        }
    }
    if m.is_admin() && m.screen == Screen::Admin {
        m.pane = Pane::Drawer;
    }
    rebuild_lists(m);
    fx
}

/// The runtime's `status`: the drawer's state.
pub(super) fn on_status(m: &mut Model, session: Option<i64>) {
    m.drawer.session = session;
}

pub(super) fn on_history(m: &mut Model, history: Vec<DrawerReport>) {
    m.drawer.history = history;
    rebuild_lists(m);
}
