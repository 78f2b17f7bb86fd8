//! The touch screen as a pure model (the Elm / fltk-rs "app" pattern of ../shared/STYLE.md):
//! [`Model`] is everything every screen and overlay shows, [`update`] is the one function that
//! changes it, and what it wants done outside — a [`Command`] or an [`AdminRequest`] for the
//! runtime, a focus change, a beep, the file of a catalogue import to read — comes back as
//! [`Effect`]s. No FLTK here: the renderers in `gui::render` draw a model onto the widgets, and
//! the tests in `model/tests.rs` drive every screen transition without a display.
//!
//! The text fields the cashier types into (login ID and PIN, the article field, the admin's
//! forms) are part of the model ([`Fields`]): the shell copies what the widgets hold into it
//! before each update and writes the model's values back after, so a physical keyboard, a
//! keyboard-mode scanner and the on-screen keypads all edit the same thing.
//!
//! Every word on the screen comes from the Fluent catalogue (`locales/*/gui.ftl`) in
//! [`Model::lang`]: the logged-in person's language, or on the login screen the till's
//! (`till.language`) or the one picked there. Texts that follow the state (totals, the status
//! bar, the payment's state) are computed from it when drawn, so a change of language redraws
//! them; one-off messages are written when they happen, in the language of that moment.

mod admin;
mod approval;
mod discount;
mod drawer;
mod events;
mod fields;
mod refunded;
mod returns;
#[cfg(test)]
mod tests;
mod texts;
mod ui;

use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;

use super::Msg;
use crate::actors::Command;
use crate::actors::admin::{AdminRequest, ReportSource};
use crate::actors::events::{BasketLineView, DiscountView, StatusView};
use crate::domain::basket::LineKind;
use crate::domain::staff::{Role, Staff};
use crate::domain::{Account, Money, PaymentMethod, Product};
use crate::i18n::{self, Arg, Lang};

pub use admin::AdminModel;
pub use approval::ApprovalPad;
pub use discount::{DISCOUNT_REASONS, DiscountKind, DiscountPad};
pub use drawer::{CountFor, CountPad, DrawerModel, DrawerShows};
pub use fields::{Field, Fields};
pub use refunded::{RefundAlarm, Refunded};
pub use returns::{REFUND_REASONS, RefundTicket, ReturnModel};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Login,
    Till,
    Payment,
    Admin,
    /// « Retour »: a return against its ticket.
    Return,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Days,
    Report,
    Journal,
    Products,
    Staff,
    /// « Caisse »: the drawer (cash in/out, X, Z, past Z reports).
    Drawer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Amount,
    /// The denomination counter (the float, the Z's count).
    Count,
    Choose,
    CashChange,
    Confirm,
    Keyboard,
    /// « Remise »: a discount on a line or on the basket.
    Discount,
    /// A manager's ID and PIN for an action that waits for one.
    Approval,
    /// The return's last step: the tender and the reason.
    RefundCommit,
    /// What a return gives back, large.
    Refunded,
}

/// How a message reads: a refusal or a problem in red, good news in green.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tone {
    #[default]
    Danger,
    Good,
}

/// A row's colour in a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowTone {
    Plain,
    Withdrawal,
    Disabled,
    Total,
    /// Picked for a return.
    Picked,
    /// A credit note's line, or the day's credit notes (reports).
    Refund,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub cells: Vec<String>,
    pub tone: RowTone,
}

impl Row {
    fn plain(cells: Vec<String>) -> Row {
        Row {
            cells,
            tone: RowTone::Plain,
        }
    }

    fn toned(cells: Vec<String>, tone: RowTone) -> Row {
        Row { cells, tone }
    }
}

/// A list's rows, the selected one, and a revision the renderer compares to know when to
/// redraw it (a basket of 40 lines is not rebuilt on every tick).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct List {
    pub rows: Vec<Row>,
    pub selected: Option<usize>,
    pub rev: u64,
}

impl List {
    fn set(&mut self, rows: Vec<Row>, selected: Option<usize>) {
        self.rows = rows;
        self.selected = selected;
        self.rev += 1;
    }
}

/// The VAT rates the product form offers, in its order.
pub const VAT_CHOICES: [u8; 4] = [21, 12, 6, 0];

/// What the model asks the shell to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Send(Command),
    Admin(AdminRequest),
    /// Read this catalogue file off the screen's thread (a USB stick may be slow) and import it.
    ImportFile(String),
    Focus(Field),
    /// A refusal the cashier may not be looking at.
    Beep,
    /// A scan was sent: start the scan → repaint stopwatch.
    ScanSent,
    /// The basket a scan changed is about to be drawn: stop the stopwatch.
    ScanShown,
    /// The scan was refused: no repaint to time.
    ScanDropped,
    /// Close the till (the runtime has been told).
    Quit,
}

/// A QR payment as the payment screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub account: Account,
    pub amount: Money,
    pub url: String,
    pub state: PayState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayState {
    Pending,
    Accepted,
    Cancelling,
    PaidAfterCancel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountFor {
    Withdraw,
    Cash(Account),
    /// A cash-in or cash-out of the drawer (the reason is the « Caisse » pane's field).
    Drawer(crate::domain::drawer::MoveKind),
}

/// The amount keypad.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmountPad {
    pub purpose: AmountFor,
    /// What was typed, with a decimal comma (`12,5`).
    pub text: String,
    pub message: String,
}

/// The printer as the status bar shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum PrinterState {
    #[default]
    Unknown,
    Ready,
    Printed,
    Failed {
        reason: String,
        queue: i64,
    },
}

/// The central database as the status bar shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Network {
    #[default]
    Unknown,
    Standalone,
    Unusable,
    Sync {
        online: Option<bool>,
        pending: i64,
        parked: i64,
    },
}

/// Everything the screen shows and knows.
#[derive(Debug, Clone)]
pub struct Model {
    /// `till.language`: the login screen's language until someone picks another.
    pub till_lang: Lang,
    /// The login screen's language now.
    pub login_lang: Lang,
    /// The language everything is said in now.
    pub lang: Lang,
    pub shop: String,
    pub tz: Tz,
    /// The time, set by the shell before each update.
    pub now: DateTime<Tz>,
    pub screen: Screen,
    pub pane: Pane,
    pub overlay: Option<Overlay>,
    pub role: Option<Role>,
    pub seller: String,
    pub account: Account,
    pub lines: [Vec<BasketLineView>; 2],
    pub main_total: Money,
    pub sub_total: Money,
    /// Every discount of the current account together, and its basket discount as given.
    pub discount_total: Money,
    pub basket_discount: Option<DiscountView>,
    /// The current account's lines as the table shows them.
    pub basket: List,
    pub fields: Fields,
    /// A session locked for inactivity: the ID is kept and cannot be edited.
    pub login_locked: bool,
    pub login_message: String,
    pub till_message: (String, Tone),
    /// A QR payment is being created: the pay buttons wait.
    pub paying: bool,
    pub payment: Option<Payment>,
    pub pay_message: String,
    pub amount: AmountPad,
    pub choose_for: PaymentMethod,
    /// The change due and its detail line, after a cash sale.
    pub change: (Money, String),
    pub confirm_question: String,
    pub kbd_target: Option<Field>,
    pub kbd_shift: bool,
    /// The overlay the on-screen keyboard was opened from (it comes back when the keyboard
    /// closes): the discount's or the return's reason.
    pub kbd_under: Option<Overlay>,
    pub discount: DiscountPad,
    pub approval: ApprovalPad,
    /// What the screen just asked that may need a manager, in the cashier's words (the
    /// approval dialog shows it).
    pub asked: Option<String>,
    /// The manager who just approved (said once the action's result arrives).
    pub approved_by: Option<String>,
    pub ret: ReturnModel,
    pub status: Option<StatusView>,
    /// Cash is rounded to the nearest 0,05 € (from the runtime's `status`): the cash keypad
    /// says the rounded amount due.
    pub cash_rounding: bool,
    pub network: Network,
    pub printer: PrinterState,
    /// The closing time (local `HH:MM`) once the runtime warned of it.
    pub closing_at: Option<String>,
    pub clock_warning: bool,
    /// The scanner's problem, while it lasts.
    pub scanner_problem: Option<String>,
    pub admin: AdminModel,
    pub drawer: DrawerModel,
    /// Messages handled (the probe shows it: tests wait for a message to be handled).
    pub handled: u64,
    ticks: u64,
}

pub fn idx(a: Account) -> usize {
    match a {
        Account::Main => 0,
        Account::Sub => 1,
    }
}

pub fn other(a: Account) -> Account {
    match a {
        Account::Main => Account::Sub,
        Account::Sub => Account::Main,
    }
}

/// Accepts 2026-05-31 and 31/05/2026.
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .ok()
}

impl Model {
    pub fn new(shop: &str, till_lang: Lang, tz: Tz, now: DateTime<Tz>) -> Model {
        Model {
            till_lang,
            login_lang: till_lang,
            lang: till_lang,
            shop: shop.to_owned(),
            tz,
            now,
            screen: Screen::Login,
            pane: Pane::Days,
            overlay: None,
            role: None,
            seller: String::new(),
            account: Account::Main,
            lines: [Vec::new(), Vec::new()],
            main_total: Money::ZERO,
            sub_total: Money::ZERO,
            discount_total: Money::ZERO,
            basket_discount: None,
            basket: List::default(),
            fields: Fields {
                focus: Some(Field::LoginId),
                ..Fields::default()
            },
            login_locked: false,
            login_message: String::new(),
            till_message: (String::new(), Tone::Danger),
            paying: false,
            payment: None,
            pay_message: String::new(),
            amount: AmountPad {
                purpose: AmountFor::Withdraw,
                text: String::new(),
                message: String::new(),
            },
            choose_for: PaymentMethod::Qr,
            change: (Money::ZERO, String::new()),
            confirm_question: String::new(),
            kbd_target: None,
            kbd_shift: false,
            kbd_under: None,
            discount: DiscountPad::default(),
            approval: ApprovalPad::default(),
            asked: None,
            approved_by: None,
            ret: ReturnModel::default(),
            status: None,
            cash_rounding: false,
            network: Network::Unknown,
            printer: PrinterState::Unknown,
            closing_at: None,
            clock_warning: false,
            scanner_problem: None,
            admin: AdminModel::default(),
            drawer: DrawerModel::default(),
            handled: 0,
            ticks: 0,
        }
    }

    /// Catalogue message `id` in the current language.
    pub fn t(&self, id: &str) -> String {
        i18n::t(self.lang, id, &[])
    }

    /// Catalogue message `id` with arguments, in the current language.
    pub fn ta(&self, id: &str, args: &[(&str, Arg)]) -> String {
        i18n::t(self.lang, id, args)
    }

    pub fn money(&self, m: Money) -> String {
        i18n::money(self.lang, m)
    }

    fn set_till_message(&mut self, text: String, tone: Tone) {
        self.till_message = (text, tone);
    }

    fn refuse(&mut self, text: String) -> Vec<Effect> {
        self.set_till_message(text, Tone::Danger);
        vec![Effect::Beep]
    }

    fn show(&mut self, screen: Screen) -> Vec<Effect> {
        self.screen = screen;
        match screen {
            Screen::Login => vec![Effect::Focus(if self.login_locked {
                Field::LoginPin
            } else {
                Field::LoginId
            })],
            Screen::Till => vec![Effect::Focus(Field::Article)],
            Screen::Return => vec![Effect::Focus(Field::ReturnTicket)],
            Screen::Payment | Screen::Admin => vec![],
        }
    }

    fn open(&mut self, o: Overlay) {
        self.overlay = Some(o);
    }

    fn close_overlay(&mut self) -> Vec<Effect> {
        self.overlay = None;
        match self.screen {
            Screen::Till => vec![Effect::Focus(Field::Article)],
            Screen::Return => vec![Effect::Focus(Field::ReturnTicket)],
            _ => vec![],
        }
    }

    pub fn has_items(&self, a: Account) -> bool {
        !self.lines[idx(a)].is_empty()
            || match a {
                Account::Main => self.main_total != Money::ZERO,
                Account::Sub => self.sub_total != Money::ZERO,
            }
    }

    /// The selected basket line (0-based), or the last one.
    pub fn selected_line(&self) -> Option<usize> {
        let n = self.lines[idx(self.account)].len();
        self.fields
            .basket_sel
            .filter(|i| *i < n)
            .or(n.checked_sub(1))
    }

    /// The basket table's rows for the current account, keeping the selection when the number
    /// of lines did not change (a quantity edit), else on the last line (a scan).
    fn rebuild_basket(&mut self) {
        let lines = &self.lines[idx(self.account)];
        let rows: Vec<Row> = lines
            .iter()
            .map(|l| {
                let name = match l.kind {
                    LineKind::Item => l.name.clone(),
                    LineKind::Withdrawal => {
                        self.ta("gui-line-withdrawal", &[("name", l.name.as_str().into())])
                    }
                };
                // A discounted line: a small second line under its name says the discount
                // (the price column keeps the catalogue's price, the amount is what it costs).
                let name = match self.line_discount_note(l) {
                    Some(note) => format!("{name}\n{note}"),
                    None => name,
                };
                let total = self.money(l.total_cents);
                let cells = vec![name, l.qty.to_string(), self.money(l.unit_cents), total];
                match l.kind {
                    LineKind::Withdrawal => Row::toned(cells, RowTone::Withdrawal),
                    LineKind::Item => Row::plain(cells),
                }
            })
            .collect();
        let n = rows.len();
        let keep = self
            .fields
            .basket_sel
            .filter(|i| *i < n && self.basket.rows.len() == n);
        let sel = keep.or(n.checked_sub(1));
        self.fields.basket_sel = sel;
        self.basket.set(rows, sel);
    }

    /// Called when the language changes: the lists are rebuilt in the new one.
    fn set_lang(&mut self, lang: Lang) {
        if self.lang != lang {
            self.lang = lang;
            self.rebuild_basket();
            admin::rebuild_lists(self);
            drawer::rebuild_lists(self);
            returns::rebuild_list(self);
        }
    }

    pub fn is_admin(&self) -> bool {
        self.role == Some(Role::Admin)
    }
}

/// The one update function: a message in, the model changed, what to do outside out.
pub fn update(m: &mut Model, msg: Msg) -> Vec<Effect> {
    m.handled += 1;
    match msg {
        Msg::Event(e) => events::on_event(m, *e),
        Msg::Admin(r) => admin::on_reply(m, *r),
        Msg::Ui(u) => ui::on_ui(m, u),
        Msg::Tick => tick(m),
    }
}

fn tick(m: &mut Model) -> Vec<Effect> {
    m.ticks += 1;
    if m.ticks % 5 == 1 {
        vec![Effect::Send(Command::Status)]
    } else {
        vec![]
    }
}

/// Helpers the sub-modules share.
pub(super) fn staff_role_text(m: &Model, role: Role) -> String {
    m.t(match role {
        Role::Admin => "gui-role-admin",
        _ => "gui-role-cashier",
    })
}

pub(super) fn product_row(m: &Model, p: &Product) -> Row {
    Row {
        cells: vec![
            p.code.as_str().to_owned(),
            if p.active {
                p.name.clone()
            } else {
                m.ta("gui-disabled-name", &[("name", p.name.as_str().into())])
            },
            m.money(p.price),
            format!("{} %", p.vat.percent()),
        ],
        tone: if p.active {
            RowTone::Plain
        } else {
            RowTone::Disabled
        },
    }
}

pub(super) fn staff_row(m: &Model, s: &Staff) -> Row {
    Row {
        cells: vec![
            s.id.to_string(),
            if s.active {
                s.name.clone()
            } else {
                m.ta("gui-disabled-name", &[("name", s.name.as_str().into())])
            },
            format!(
                "{} · {}",
                staff_role_text(m, s.role),
                s.lang.as_str().to_uppercase()
            ),
        ],
        tone: if s.active {
            RowTone::Plain
        } else {
            RowTone::Disabled
        },
    }
}

pub(super) fn source_text(m: &Model, source: ReportSource) -> String {
    let central = m.status.as_ref().is_some_and(|s| s.central);
    m.t(match (source, central) {
        (ReportSource::Central, _) => "gui-source-central",
        (ReportSource::Local, true) => "gui-source-local-unreachable",
        (ReportSource::Local, false) => "gui-source-local",
    })
}

pub(super) fn day_text(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}
