//! The GUI's state and its one update function: a [`Msg`] in, widgets changed, maybe a
//! [`Request`] out. Runs on the FLTK (main) thread only; it never waits for the runtime.

use std::time::Instant;

use chrono::NaiveDate;
use fltk::app as fl;
use fltk::enums::{Color, Event};
use fltk::prelude::*;
use tokio::sync::mpsc::UnboundedSender;

use super::probe::Probe;
use super::view::{VAT_CHOICES, View};
use super::widgets::{Row, colors};
use super::{AdminTab, KbdTarget, ListId, Msg, Request, Ui, WindowMode};
use crate::actors::admin::{AdminReply, AdminRequest, ReportSource};
use crate::actors::events::{BasketLineView, RefusalReason, StatusView};
use crate::actors::{Command, CommandError, TillEvent};
use crate::clock::SharedClock;
use crate::domain::basket::LineKind;
use crate::domain::report::{DayReport, DaySummary};
use crate::domain::staff::{Role, Staff, StaffId, parse_staff_name};
use crate::domain::{Account, Money, PaymentMethod, Product};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Login,
    Till,
    Payment,
    Admin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Days,
    Report,
    Journal,
    Products,
    Staff,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Amount,
    Choose,
    CashChange,
    Confirm,
    Keyboard,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AmountFor {
    Withdraw,
    Cash(Account),
}

#[derive(Debug, Clone)]
struct PaymentState {
    accepted: bool,
}

/// What the screen currently shows and knows.
pub struct State {
    pub screen: Screen,
    pub pane: Pane,
    pub overlay: Option<Overlay>,
    role: Option<Role>,
    seller: String,
    pub account: Account,
    pub lines: [Vec<BasketLineView>; 2],
    pub main_total: Money,
    pub sub_total: Money,
    amount_text: String,
    amount_for: AmountFor,
    choose_for: PaymentMethod,
    payment: Option<PaymentState>,
    pub pay_url: String,
    scan_mark: Option<Instant>,
    days: Vec<DaySummary>,
    report: Option<DayReport>,
    products: Vec<Product>,
    staff: Vec<Staff>,
    hide_day: Option<NaiveDate>,
    kbd_target: Option<KbdTarget>,
    kbd_shift: bool,
    status: Option<StatusView>,
    closing_at: Option<String>,
    ticks: u64,
    pub handled: u64,
}

pub struct Gui {
    app: fl::App,
    pub view: View,
    sender: fl::Sender<Msg>,
    receiver: fl::Receiver<Msg>,
    requests: UnboundedSender<Request>,
    tz: chrono_tz::Tz,
    clock: SharedClock,
    pub st: State,
    probe: Option<Probe>,
    pub started: Instant,
    pub first_draw_ms: std::rc::Rc<std::cell::Cell<Option<f64>>>,
}

fn idx(a: Account) -> usize {
    match a {
        Account::Main => 0,
        Account::Sub => 1,
    }
}

fn other(a: Account) -> Account {
    match a {
        Account::Main => Account::Sub,
        Account::Sub => Account::Main,
    }
}

fn account_name(a: Account) -> &'static str {
    match a {
        Account::Main => "PANIER PRINCIPAL",
        Account::Sub => "SOUS-COMPTE",
    }
}

fn account_color(a: Account) -> Color {
    match a {
        Account::Main => colors::MAIN,
        Account::Sub => colors::SUB,
    }
}

/// Accepts 2026-05-31 and 31/05/2026.
fn parse_day(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .ok()
}

/// Lays out the flexes of a group that was hidden until now (a hidden flex keeps stale sizes,
/// and the probe must report where the buttons really are).
fn relayout(g: &fltk::group::Group) {
    for i in 0..g.children() {
        if let Some(f) = g
            .child(i)
            .and_then(|c| fltk::group::Flex::from_dyn_widget(&c))
        {
            f.layout();
        }
    }
}

fn set_label<W: WidgetExt>(w: &mut W, text: &str) {
    if w.label() != text {
        w.set_label(text);
        w.redraw();
        if let Some(mut p) = w.parent() {
            p.redraw();
        }
    }
}

impl Gui {
    pub fn new(
        mode: WindowMode,
        shop_name: &str,
        tz: chrono_tz::Tz,
        clock: SharedClock,
        started: Instant,
        requests: UnboundedSender<Request>,
    ) -> anyhow::Result<Gui> {
        let app = fl::App::default().with_scheme(fl::Scheme::Gtk);
        fl::set_font_size(16);
        let (sender, receiver) = fl::channel::<Msg>();
        let (w, h, full) = match mode.size {
            Some((w, h)) => (w, h, false),
            None => {
                let (sw, sh) = fl::screen_size();
                (sw as i32, sh as i32, true)
            }
        };
        let mut view = View::build(w, h, shop_name, &sender);
        if full {
            view.window.set_border(false);
        }
        let s = sender;
        view.window.set_callback(move |_| {
            // Escape must not close the till; the window manager's close asks first.
            if fl::event() == Event::Close {
                s.send(Msg::Ui(Ui::Close));
            }
        });
        // A scan from a keyboard-mode scanner lands in the article field even when it has no
        // focus (e.g. after a touch on a button).
        let s = sender;
        let mut article = view.till.article.clone();
        let till_group = view.till.group.clone();
        view.window.handle(move |_, ev| {
            if ev == Event::KeyDown
                && till_group.visible()
                && till_group.active_r()
                && !article.has_focus()
            {
                let text = fl::event_text();
                if fl::event_key() == fltk::enums::Key::Enter {
                    s.send(Msg::Ui(Ui::Article));
                    return true;
                }
                if !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric()) {
                    let v = article.value() + &text;
                    article.set_value(&v);
                    let _ = article.take_focus();
                    return true;
                }
            }
            false
        });
        let first_draw_ms = std::rc::Rc::new(std::cell::Cell::new(None));
        let fd = first_draw_ms.clone();
        let s = sender;
        view.login.group.draw(move |_| {
            if fd.get().is_none() {
                fd.set(Some(started.elapsed().as_secs_f64() * 1000.0));
                // Let the probe record it.
                s.send(Msg::Tick);
            }
        });
        view.window.show();
        if full {
            view.window.fullscreen(true);
        }
        let probe = Probe::from_env();
        let mut gui = Gui {
            app,
            view,
            sender,
            receiver,
            requests,
            tz,
            clock,
            st: State {
                screen: Screen::Login,
                pane: Pane::Days,
                overlay: None,
                role: None,
                seller: String::new(),
                account: Account::Main,
                lines: [Vec::new(), Vec::new()],
                main_total: Money::ZERO,
                sub_total: Money::ZERO,
                amount_text: String::new(),
                amount_for: AmountFor::Withdraw,
                choose_for: PaymentMethod::Qr,
                payment: None,
                pay_url: String::new(),
                scan_mark: None,
                days: Vec::new(),
                report: None,
                products: Vec::new(),
                staff: Vec::new(),
                hide_day: None,
                kbd_target: None,
                kbd_shift: false,
                status: None,
                closing_at: None,
                ticks: 0,
                handled: 0,
            },
            probe,
            started,
            first_draw_ms,
        };
        gui.show_screen(Screen::Login);
        gui.tick();
        Ok(gui)
    }

    pub fn sender(&self) -> fl::Sender<Msg> {
        self.sender
    }

    fn send(&self, c: Command) {
        if self.requests.send(Request::Command(c)).is_err() {
            tracing::error!("the runtime has stopped");
        }
    }

    fn admin(&self, r: AdminRequest) {
        if self.requests.send(Request::Admin(r)).is_err() {
            tracing::error!("the runtime has stopped");
        }
    }

    /// The event loop: until the window is closed.
    pub fn run(mut self) -> anyhow::Result<()> {
        let s = self.sender;
        fl::add_timeout3(1.0, move |h| {
            s.send(Msg::Tick);
            fl::repeat_timeout3(1.0, h);
        });
        while self.app.wait() {
            let mut any = false;
            while let Some(msg) = self.receiver.recv() {
                self.update(msg);
                any = true;
            }
            if any {
                // A widget under an open overlay may have repainted over it.
                self.redraw_overlay();
                if let Some(p) = &self.probe {
                    p.write(
                        &self.view,
                        &self.st,
                        self.first_draw_ms.get(),
                        &self.paint_times(),
                    );
                }
            }
        }
        Ok(())
    }

    pub fn paint_times(&self) -> Vec<u64> {
        self.view.till.table.paint_times()
    }

    pub fn update(&mut self, msg: Msg) {
        self.st.handled += 1;
        match msg {
            Msg::Event(e) => self.on_event(*e),
            Msg::Admin(r) => self.on_admin(*r),
            Msg::Ui(u) => self.on_ui(u),
            Msg::Tick => self.tick(),
        }
    }

    // ----- screens and overlays -------------------------------------------------------------

    fn show_screen(&mut self, screen: Screen) {
        self.st.screen = screen;
        let v = &mut self.view;
        for (s, g) in [
            (Screen::Login, &mut v.login.group),
            (Screen::Till, &mut v.till.group),
            (Screen::Payment, &mut v.pay.group),
            (Screen::Admin, &mut v.admin.group),
        ] {
            if s == screen {
                g.show();
                g.layout();
            } else {
                g.hide();
            }
        }
        match screen {
            Screen::Login => {
                let _ = v.login.id.take_focus();
            }
            Screen::Till => {
                let _ = v.till.article.take_focus();
            }
            Screen::Admin => {
                let pane = self.st.pane;
                self.show_pane(pane);
            }
            Screen::Payment => {}
        }
        self.view.window.redraw();
    }

    fn show_pane(&mut self, pane: Pane) {
        self.st.pane = pane;
        let a = &mut self.view.admin;
        for (p, g) in [
            (Pane::Days, &mut a.days),
            (Pane::Report, &mut a.report),
            (Pane::Journal, &mut a.journal),
            (Pane::Products, &mut a.products),
            (Pane::Staff, &mut a.staff),
        ] {
            if p == pane {
                g.show();
                // A flex laid out while hidden keeps stale sizes: lay it out now it shows.
                g.layout();
            } else {
                g.hide();
            }
        }
        let tab = match pane {
            Pane::Days | Pane::Report => AdminTab::Days,
            Pane::Journal => AdminTab::Journal,
            Pane::Products => AdminTab::Products,
            Pane::Staff => AdminTab::Staff,
        };
        for (t, b) in a.tabs.iter_mut() {
            if *t == tab {
                b.set_color(colors::MAIN);
                b.set_label_color(Color::White);
            } else {
                b.set_color(colors::KEY);
                b.set_label_color(Color::Black);
            }
            b.redraw();
        }
        match pane {
            Pane::Days => a.days_list.fit_columns(),
            Pane::Report => a.report_list.fit_columns(),
            Pane::Journal => a.journal_list.fit_columns(),
            Pane::Products => a.products_list.fit_columns(),
            Pane::Staff => a.staff_list.fit_columns(),
        }
        a.group.redraw();
    }

    fn open_overlay(&mut self, o: Overlay) {
        self.close_overlay();
        self.st.overlay = Some(o);
        self.view.base.deactivate();
        let v = &mut self.view;
        let g = match o {
            Overlay::Amount => &mut v.amount.group,
            Overlay::Choose => &mut v.choose.group,
            Overlay::CashChange => &mut v.change.group,
            Overlay::Confirm => &mut v.confirm.group,
            Overlay::Keyboard => &mut v.keyboard.group,
        };
        g.show();
        relayout(g);
        v.window.redraw();
    }

    fn redraw_overlay(&mut self) {
        let v = &mut self.view;
        match self.st.overlay {
            Some(Overlay::Amount) => v.amount.group.redraw(),
            Some(Overlay::Choose) => v.choose.group.redraw(),
            Some(Overlay::CashChange) => v.change.group.redraw(),
            Some(Overlay::Confirm) => v.confirm.group.redraw(),
            Some(Overlay::Keyboard) => v.keyboard.group.redraw(),
            None => {}
        }
    }

    fn close_overlay(&mut self) {
        let v = &mut self.view;
        v.amount.group.hide();
        v.choose.group.hide();
        v.change.group.hide();
        v.confirm.group.hide();
        v.keyboard.group.hide();
        v.base.activate();
        self.st.overlay = None;
        v.window.redraw();
        if self.st.screen == Screen::Till {
            let _ = v.till.article.take_focus();
        }
    }

    /// A refusal or a problem, in red.
    fn till_message(&mut self, text: &str) {
        self.view.till.message.set_label_color(colors::DANGER);
        set_label(&mut self.view.till.message, text);
    }

    /// Good news (a sale recorded), in green.
    fn till_info(&mut self, text: &str) {
        self.view.till.message.set_label_color(colors::SUB);
        set_label(&mut self.view.till.message, text);
    }

    // ----- runtime events -------------------------------------------------------------------

    fn on_event(&mut self, e: TillEvent) {
        match e {
            TillEvent::Ready { .. } => {}
            TillEvent::LoggedIn { name, role, .. } => {
                self.st.role = Some(role);
                self.st.seller = name.clone();
                self.view.login.id.set_value("");
                self.view.login.pin.set_value("");
                self.view.login.id.activate();
                set_label(&mut self.view.login.message, "");
                set_label(&mut self.view.till.seller, &format!("Vendeur : {name}"));
                set_label(&mut self.view.pay.seller, &format!("Vendeur : {name}"));
                self.close_overlay();
                if role == Role::Admin {
                    self.view.till.admin.show();
                    self.st.pane = Pane::Days;
                    self.show_screen(Screen::Admin);
                    self.admin(AdminRequest::Days);
                } else {
                    self.view.till.admin.hide();
                    self.till_message("");
                    self.render_basket();
                    // A payment re-attached after a restart waits on its own screen.
                    if self.st.payment.is_some() {
                        self.show_screen(Screen::Payment);
                    } else {
                        self.show_screen(Screen::Till);
                    }
                }
            }
            TillEvent::LoginRefused {
                reason, message, ..
            } => {
                self.view.login.pin.set_value("");
                // The runtime's message says why (and, when closed, the time and the hours).
                set_label(&mut self.view.login.message, &message);
                if reason == RefusalReason::Unknown {
                    self.view.login.id.set_value("");
                    let _ = self.view.login.id.take_focus();
                } else {
                    let _ = self.view.login.pin.take_focus();
                }
            }
            TillEvent::LoggedOut { reason } => {
                self.st.role = None;
                self.st.payment = None;
                self.st.lines = [Vec::new(), Vec::new()];
                self.st.main_total = Money::ZERO;
                self.st.sub_total = Money::ZERO;
                self.st.account = Account::Main;
                self.render_basket();
                self.close_overlay();
                self.view.login.id.activate();
                let text = match reason.as_str() {
                    "closed" => {
                        let hours = self
                            .st
                            .status
                            .as_ref()
                            .map(|s| s.hours_today.clone())
                            .unwrap_or_default();
                        format!("Magasin fermé : caisse verrouillée. Heures d'ouverture : {hours}")
                    }
                    "replaced" => "Une autre personne s'est connectée.".to_owned(),
                    _ => String::new(),
                };
                set_label(&mut self.view.login.message, &text);
                self.show_screen(Screen::Login);
                self.send(Command::Status);
            }
            TillEvent::SessionLocked { staff_id, .. } => {
                self.close_overlay();
                self.view.login.id.set_value(&staff_id);
                self.view.login.id.deactivate();
                set_label(
                    &mut self.view.login.message,
                    "Session verrouillée après 15 min d'inactivité : entrez votre PIN (le panier est conservé).",
                );
                self.show_screen(Screen::Login);
                let _ = self.view.login.pin.take_focus();
            }
            TillEvent::Basket {
                account,
                lines,
                main_total_cents,
                sub_total_cents,
                ..
            } => {
                // A basket that changed makes the last message stale.
                let changed = lines != self.st.lines[idx(account)];
                self.st.account = account;
                self.st.lines[idx(account)] = lines;
                self.st.main_total = main_total_cents;
                self.st.sub_total = sub_total_cents;
                if changed {
                    self.till_message("");
                }
                if let Some(mark) = self.st.scan_mark.take() {
                    self.view.till.table.mark_paint(mark);
                }
                self.render_basket();
            }
            TillEvent::Error { code, message } => {
                self.st.scan_mark = None;
                self.set_paying(false);
                let text = match code.as_str() {
                    "payment_unavailable" => {
                        tracing::warn!(%message, "payment server unavailable");
                        "Serveur de paiement injoignable : réessayez ou encaissez en espèces."
                            .to_owned()
                    }
                    _ => format!("{message} ({code})"),
                };
                match (self.st.screen, self.st.overlay) {
                    (_, Some(Overlay::Amount)) => set_label(&mut self.view.amount.message, &text),
                    (Screen::Payment, _) => set_label(&mut self.view.pay.message, &text),
                    (Screen::Login, _) => set_label(&mut self.view.login.message, &text),
                    _ => self.till_message(&text),
                }
            }
            TillEvent::PaymentPending {
                account,
                amount_cents,
                pay_url,
                ..
            } => {
                self.set_paying(false);
                self.close_overlay();
                self.st.payment = Some(PaymentState { accepted: false });
                self.st.pay_url = pay_url.clone();
                let p = &mut self.view.pay;
                set_label(&mut p.account, account_name(account));
                p.account.set_color(account_color(account));
                set_label(&mut p.total, &amount_cents.to_string());
                set_label(&mut p.url, &pay_url);
                set_label(&mut p.message, "");
                set_label(&mut p.status, "EN ATTENTE DU PAIEMENT");
                p.status.set_color(colors::PENDING);
                p.qr.set(crate::actors::payment::qr_modules(&pay_url));
                // Re-attached at start-up: shown once somebody has logged in.
                if self.st.screen != Screen::Login {
                    self.show_screen(Screen::Payment);
                }
            }
            TillEvent::PaymentAccepted {
                account,
                amount_cents,
                ..
            } => {
                // After a restart the payment comes back by itself: show it (after the login).
                if self.st.payment.is_none() {
                    let p = &mut self.view.pay;
                    set_label(&mut p.account, account_name(account));
                    p.account.set_color(account_color(account));
                    set_label(&mut p.total, &amount_cents.to_string());
                    set_label(&mut p.url, "");
                    set_label(&mut p.message, "");
                    p.qr.set(None);
                }
                self.st.payment = Some(PaymentState { accepted: true });
                let b = &mut self.view.pay.status;
                set_label(b, "PAIEMENT ACCEPTÉ");
                b.set_color(colors::ACCEPTED);
                b.redraw();
                if self.st.screen == Screen::Till {
                    self.show_screen(Screen::Payment);
                }
            }
            TillEvent::PaymentCancelling { .. } => {
                let p = &mut self.view.pay;
                set_label(&mut p.status, "ANNULATION EN COURS…");
                p.status.set_color(colors::PENDING);
                set_label(
                    &mut p.message,
                    "Le serveur de paiement ne répond pas : le panier reste bloqué jusqu'à sa réponse.",
                );
            }
            TillEvent::PaymentPaidAfterCancel { amount_cents, .. } => {
                self.st.payment = Some(PaymentState { accepted: true });
                let p = &mut self.view.pay;
                set_label(&mut p.status, "PAYÉ APRÈS ANNULATION");
                p.status.set_color(colors::DANGER);
                set_label(
                    &mut p.message,
                    &format!(
                        "Le client a payé {amount_cents} malgré l'annulation : appuyez sur PAIEMENT ACCEPTÉ."
                    ),
                );
                if self.st.screen == Screen::Till {
                    self.show_screen(Screen::Payment);
                }
            }
            TillEvent::PaymentCancelled { .. } => {
                self.st.payment = None;
                self.show_screen(Screen::Till);
                self.till_message("Paiement annulé.");
            }
            TillEvent::SaleCommitted {
                ticket_no,
                account,
                method,
                paid_cents,
                change_cents,
                ..
            } => {
                self.st.payment = None;
                // That basket is paid: its lines are gone (the next Basket event may be for the
                // other account).
                self.st.lines[idx(account)].clear();
                match account {
                    Account::Main => self.st.main_total = Money::ZERO,
                    Account::Sub => self.st.sub_total = Money::ZERO,
                }
                self.render_basket();
                if self.st.screen == Screen::Payment {
                    self.show_screen(Screen::Till);
                }
                self.till_info(&format!("✔ Ticket n° {ticket_no} : {paid_cents}"));
                if method == PaymentMethod::Cash {
                    set_label(&mut self.view.change.change, &change_cents.to_string());
                    set_label(
                        &mut self.view.change.detail,
                        &format!(
                            "Reçu {} · ticket n° {ticket_no}",
                            paid_cents.checked_add(change_cents).unwrap_or(paid_cents)
                        ),
                    );
                    self.open_overlay(Overlay::CashChange);
                }
                self.send(Command::Status);
            }
            TillEvent::Printed { .. } => {
                self.view.status.printer.set_tooltip("");
                set_label(&mut self.view.status.printer, "Imprimante : OK");
                self.view.status.reprint.hide();
                self.view.status.group.layout();
                self.view.status.group.redraw();
            }
            TillEvent::PrintFailed { reason, .. } => {
                set_label(&mut self.view.status.printer, "⚠ Impression échouée");
                self.view.status.printer.set_tooltip(&reason);
                self.view.status.reprint.show();
                self.view.status.group.layout();
                self.view.status.group.redraw();
            }
            TillEvent::Connectivity {
                online,
                pending,
                parked,
            } => {
                self.render_network(Some(online), pending, parked);
            }
            TillEvent::ClosingSoon { at } => {
                self.st.closing_at = Some(self.local_hm(&at));
                self.render_banner();
            }
            TillEvent::ClockWarning { .. } => {
                set_label(
                    &mut self.view.status.banner,
                    "Horloge en retard sur la dernière vente !",
                );
            }
            TillEvent::Scanner {
                connected, message, ..
            } => {
                if !connected {
                    set_label(
                        &mut self.view.status.banner,
                        &format!("Scanner : {message}"),
                    );
                } else {
                    self.render_banner();
                }
            }
            TillEvent::Status(s) => {
                let (pending, parked) = (s.outbox_pending, s.outbox_parked);
                let online = if s.central { s.online } else { None };
                let central = s.central;
                let unusable = s.central_error.is_some();
                let print_queue = s.print_queue;
                self.st.status = Some(*s);
                if unusable {
                    let n = &mut self.view.status.network;
                    n.set_label_color(Color::from_rgb(0xff, 0x8a, 0x80));
                    set_label(n, "⚠ Base centrale inutilisable (central.url)");
                } else if central {
                    self.render_network(online, pending, parked);
                } else {
                    set_label(&mut self.view.status.network, "Caisse autonome");
                }
                if print_queue > 0 && self.view.status.reprint.visible() {
                    set_label(
                        &mut self.view.status.printer,
                        &format!("⚠ Impression échouée ({print_queue})"),
                    );
                } else if self.view.status.printer.label().is_empty() {
                    set_label(&mut self.view.status.printer, "Imprimante : prête");
                }
            }
        }
    }

    fn local_hm(&self, instant: &str) -> String {
        chrono::DateTime::parse_from_rfc3339(instant)
            .map(|t| t.with_timezone(&self.tz).format("%H:%M").to_string())
            .unwrap_or_else(|_| instant.to_owned())
    }

    /// `pending` counts the parked rows too; a parked one is a warning with its number.
    fn render_network(&mut self, online: Option<bool>, pending: i64, parked: i64) {
        let mut text = match online {
            Some(true) if pending == 0 => "● En ligne".to_owned(),
            Some(true) => format!("● En ligne · {pending} en attente"),
            Some(false) => format!("○ Hors ligne · {pending} vente(s) en attente"),
            None => format!("… Central : connexion · {pending} en attente"),
        };
        if parked > 0 {
            text = format!("⚠ {text} ({parked} bloquée(s))");
        }
        let n = &mut self.view.status.network;
        n.set_label_color(match online {
            _ if parked > 0 => Color::from_rgb(0xff, 0xd1, 0x80),
            Some(false) => Color::from_rgb(0xff, 0x8a, 0x80),
            _ => colors::BAR_TEXT,
        });
        set_label(n, &text);
    }

    fn render_banner(&mut self) {
        let text = match &self.st.closing_at {
            Some(at) if self.st.screen != Screen::Login => format!("Fermeture à {at}"),
            _ => String::new(),
        };
        set_label(&mut self.view.status.banner, &text);
    }

    fn render_basket(&mut self) {
        let a = self.st.account;
        let lines = &self.st.lines[idx(a)];
        let rows = lines
            .iter()
            .map(|l| {
                let cells = vec![
                    match l.kind {
                        LineKind::Item => l.name.clone(),
                        LineKind::Withdrawal => format!("{} (retrait)", l.name),
                    },
                    l.qty.to_string(),
                    l.unit_cents.to_string(),
                    l.total_cents.to_string(),
                ];
                match l.kind {
                    LineKind::Withdrawal => Row::colored(cells, colors::WITHDRAWAL),
                    LineKind::Item => Row::new(cells),
                }
            })
            .collect::<Vec<_>>();
        let n = rows.len();
        let keep = self
            .view
            .till
            .table
            .selected()
            .filter(|i| *i < n && self.view.till.table.len() == n);
        self.view
            .till
            .table
            .set_rows(rows, keep.or(n.checked_sub(1)));
        let t = &mut self.view.till;
        set_label(&mut t.account, account_name(a));
        t.account.set_color(account_color(a));
        t.account.redraw();
        set_label(
            &mut t.main_total,
            &format!("Principal : {}", self.st.main_total),
        );
        set_label(
            &mut t.sub_total,
            &format!("Sous-compte : {}", self.st.sub_total),
        );
        let total = match a {
            Account::Main => self.st.main_total,
            Account::Sub => self.st.sub_total,
        };
        set_label(&mut t.total, &total.to_string());
        t.total.set_label_color(account_color(a));
        set_label(
            &mut t.sub,
            match a {
                Account::Main => "Sous-compte",
                Account::Sub => "Retour au\npanier principal",
            },
        );
        t.sub.set_color(account_color(other(a)));
        t.sub.redraw();
    }

    // ----- admin replies --------------------------------------------------------------------

    fn source_text(&self, source: ReportSource) -> &'static str {
        let central = self.st.status.as_ref().is_some_and(|s| s.central);
        match (source, central) {
            (ReportSource::Central, _) => "Source : base centrale (toutes les caisses)",
            (ReportSource::Local, true) => {
                "Source : cette caisse seulement (base centrale injoignable)"
            }
            (ReportSource::Local, false) => "Source : cette caisse",
        }
    }

    fn on_admin(&mut self, r: Result<AdminReply, CommandError>) {
        let source_text = |s| self.source_text(s);
        let (central_text, local_text) = (
            source_text(ReportSource::Central),
            source_text(ReportSource::Local),
        );
        let text_of = |s| match s {
            ReportSource::Central => central_text,
            ReportSource::Local => local_text,
        };
        let a = &mut self.view.admin;
        match r {
            Err(e) => {
                let text = format!("{} ({})", e.message, e.code);
                match self.st.pane {
                    Pane::Products => set_label(&mut a.products_message, &text),
                    Pane::Staff => set_label(&mut a.staff_message, &text),
                    Pane::Report => set_label(&mut a.report_exported, &text),
                    Pane::Journal => set_label(&mut a.journal_source, &text),
                    Pane::Days => {
                        set_label(&mut a.days_title, &format!("Rapports journaliers — {text}"))
                    }
                }
            }
            Ok(AdminReply::Days { source, days }) => {
                let rows = days
                    .iter()
                    .map(|d| {
                        Row::new(vec![
                            d.day.format("%d/%m/%Y").to_string(),
                            d.tickets.to_string(),
                            d.revenue_cents.to_string(),
                            d.withdrawal_cents.to_string(),
                        ])
                    })
                    .collect();
                let sel = if days.is_empty() { None } else { Some(0) };
                a.days_list.set_rows(rows, sel);
                set_label(
                    &mut a.days_title,
                    &format!(
                        "Rapports journaliers · {}",
                        match source {
                            ReportSource::Central => "toutes les caisses",
                            ReportSource::Local => "cette caisse",
                        }
                    ),
                );
                self.st.days = days;
            }
            Ok(AdminReply::DayReport { source, report }) => {
                set_label(
                    &mut a.report_title,
                    &format!("Rapport du {}", report.day.format("%d/%m/%Y")),
                );
                set_label(&mut a.report_source, text_of(source));
                set_label(&mut a.report_exported, "");
                let mut rows: Vec<Row> = report
                    .lines
                    .iter()
                    .map(|l| {
                        let cells = vec![
                            l.time.clone(),
                            l.seller.clone(),
                            match l.kind {
                                LineKind::Item => l.product.clone(),
                                LineKind::Withdrawal => l.product.clone(),
                            },
                            format!("x{}", l.qty),
                            l.total_cents.to_string(),
                        ];
                        match l.kind {
                            LineKind::Withdrawal => Row::colored(cells, colors::WITHDRAWAL),
                            LineKind::Item => Row::new(cells),
                        }
                    })
                    .collect();
                let bold = Color::from_rgb(0x10, 0x10, 0x10);
                rows.push(Row::colored(
                    vec![
                        String::new(),
                        String::new(),
                        "SOLDE CAISSE".into(),
                        String::new(),
                        report.revenue_cents.to_string(),
                    ],
                    bold,
                ));
                rows.push(Row::colored(
                    vec![
                        String::new(),
                        String::new(),
                        "Retraits espèces (hors total)".into(),
                        String::new(),
                        report.withdrawal_cents.to_string(),
                    ],
                    colors::WITHDRAWAL,
                ));
                rows.push(Row::new(vec![
                    String::new(),
                    String::new(),
                    format!("Tickets : {}", report.tickets),
                    String::new(),
                    String::new(),
                ]));
                for s in &report.by_seller {
                    rows.push(Row::new(vec![
                        "Vendeur".into(),
                        s.seller.clone(),
                        format!("{} ticket(s) · retraits {}", s.tickets, s.withdrawal_cents),
                        String::new(),
                        s.revenue_cents.to_string(),
                    ]));
                }
                for v in &report.by_vat {
                    rows.push(Row::new(vec![
                        "TVA".into(),
                        format!("{} %", v.rate.percent()),
                        format!("HTVA {} · TVA {}", v.net_cents, v.vat_cents),
                        String::new(),
                        v.gross_cents.to_string(),
                    ]));
                }
                a.report_list.set_rows(rows, None);
                self.st.report = Some(report);
                self.show_pane(Pane::Report);
            }
            Ok(AdminReply::Journal { source, journal }) => {
                let mut rows: Vec<Row> = journal
                    .days
                    .iter()
                    .map(|d| {
                        Row::new(vec![
                            d.day.format("%d/%m/%Y").to_string(),
                            d.tickets.to_string(),
                            d.revenue_cents.to_string(),
                            d.by_vat
                                .iter()
                                .filter(|v| v.gross_cents != Money::ZERO)
                                .map(|v| format!("{} % : {}", v.rate.percent(), v.gross_cents))
                                .collect::<Vec<_>>()
                                .join(" · "),
                        ])
                    })
                    .collect();
                rows.push(Row::colored(
                    vec![
                        "TOTAL".into(),
                        String::new(),
                        journal.revenue_cents.to_string(),
                        journal
                            .by_vat
                            .iter()
                            .filter(|v| v.gross_cents != Money::ZERO)
                            .map(|v| format!("{} % : {}", v.rate.percent(), v.gross_cents))
                            .collect::<Vec<_>>()
                            .join(" · "),
                    ],
                    Color::Black,
                ));
                a.journal_list.set_rows(rows, None);
                set_label(&mut a.journal_source, text_of(source));
            }
            Ok(AdminReply::Exported { path }) => {
                set_label(
                    &mut a.report_exported,
                    &format!("Exporté : {}", path.display()),
                );
            }
            Ok(AdminReply::Products(products)) => {
                let rows = products
                    .iter()
                    .map(|p| Row {
                        cells: vec![
                            p.code.as_str().to_owned(),
                            if p.active {
                                p.name.clone()
                            } else {
                                format!("{} (désactivé)", p.name)
                            },
                            p.price.to_string(),
                            format!("{} %", p.vat.percent()),
                        ],
                        color: Row::greyed_unless(p.active),
                    })
                    .collect();
                let keep = a.products_list.selected();
                a.products_list.set_rows(rows, keep);
                self.st.products = products;
            }
            Ok(AdminReply::Staff(staff)) => {
                let rows = staff
                    .iter()
                    .map(|s| Row {
                        cells: vec![
                            s.id.to_string(),
                            if s.active {
                                s.name.clone()
                            } else {
                                format!("{} (désactivé)", s.name)
                            },
                            match s.role {
                                Role::Admin => "Admin".into(),
                                _ => "Caissier".into(),
                            },
                        ],
                        color: Row::greyed_unless(s.active),
                    })
                    .collect();
                let keep = a.staff_list.selected();
                a.staff_list.set_rows(rows, keep);
                self.st.staff = staff;
            }
            Ok(AdminReply::Imported { added, updated }) => {
                set_label(
                    &mut a.products_message,
                    &format!("Import terminé : {added} ajouté(s), {updated} modifié(s)."),
                );
                self.admin(AdminRequest::Products);
            }
            Ok(AdminReply::Done { message }) => match self.st.pane {
                Pane::Products => {
                    set_label(&mut a.products_message, &message);
                    self.admin(AdminRequest::Products);
                }
                Pane::Staff => {
                    set_label(&mut a.staff_message, &message);
                    a.staff_pin.set_value("");
                    self.admin(AdminRequest::Staff);
                }
                _ => {
                    set_label(&mut a.days_title, &message);
                    self.admin(AdminRequest::Days);
                }
            },
        }
    }

    // ----- user actions ---------------------------------------------------------------------

    fn has_items(&self, a: Account) -> bool {
        !self.st.lines[idx(a)].is_empty()
            || match a {
                Account::Main => self.st.main_total != Money::ZERO,
                Account::Sub => self.st.sub_total != Money::ZERO,
            }
    }

    fn start_payment(&mut self, method: PaymentMethod) {
        let (m, s) = (self.has_items(Account::Main), self.has_items(Account::Sub));
        self.st.choose_for = method;
        match (m, s) {
            (true, true) => {
                set_label(
                    &mut self.view.choose.main,
                    &format!("Panier Principal\n{}", self.st.main_total),
                );
                set_label(
                    &mut self.view.choose.sub,
                    &format!("Sous-Compte\n{}", self.st.sub_total),
                );
                self.open_overlay(Overlay::Choose);
            }
            (false, false) => self.till_message("Le panier est vide."),
            (true, false) => self.pay(Account::Main),
            (false, true) => self.pay(Account::Sub),
        }
    }

    fn pay(&mut self, account: Account) {
        match self.st.choose_for {
            PaymentMethod::Qr => {
                // Creating the payment may take a while (the server, its retries, the LAN
                // fallback): say so, and keep the buttons from sending it twice.
                self.set_paying(true);
                self.send(Command::Pay {
                    account,
                    method: PaymentMethod::Qr,
                    tendered: None,
                })
            }
            PaymentMethod::Cash => self.open_amount(
                AmountFor::Cash(account),
                &format!(
                    "Espèces · {} · montant reçu (vide = exact)",
                    match account {
                        Account::Main => "principal",
                        Account::Sub => "sous-compte",
                    }
                ),
            ),
        }
    }

    fn set_paying(&mut self, on: bool) {
        let t = &mut self.view.till;
        if on {
            t.pay.deactivate();
            t.cash.deactivate();
            set_label(&mut t.message, "Connexion au serveur de paiement…");
        } else if !t.pay.active() {
            t.pay.activate();
            t.cash.activate();
            set_label(&mut t.message, "");
        }
    }

    fn open_amount(&mut self, purpose: AmountFor, title: &str) {
        self.st.amount_for = purpose;
        self.st.amount_text.clear();
        set_label(&mut self.view.amount.title, title);
        set_label(&mut self.view.amount.message, "");
        self.render_amount();
        self.open_overlay(Overlay::Amount);
    }

    fn render_amount(&mut self) {
        let t = if self.st.amount_text.is_empty() {
            "0,00 €".to_owned()
        } else {
            format!("{} €", self.st.amount_text)
        };
        set_label(&mut self.view.amount.value, &t);
    }

    fn kbd_input(&mut self, t: KbdTarget) -> &mut fltk::input::Input {
        let a = &mut self.view.admin;
        match t {
            KbdTarget::Article => &mut self.view.till.article,
            KbdTarget::JournalFrom => &mut a.journal_from,
            KbdTarget::JournalTo => &mut a.journal_to,
            KbdTarget::ProductCode => &mut a.product_code,
            KbdTarget::ProductBarcode => &mut a.product_barcode,
            KbdTarget::ProductName => &mut a.product_name,
            KbdTarget::ProductPrice => &mut a.product_price,
            KbdTarget::ImportPath => &mut a.import_path,
            KbdTarget::StaffId => &mut a.staff_id,
            KbdTarget::StaffName => &mut a.staff_name,
            KbdTarget::StaffPin => &mut a.staff_pin,
        }
    }

    fn render_kbd_preview(&mut self) {
        let Some(t) = self.st.kbd_target else { return };
        let v = self.kbd_input(t).value();
        let shown = if t == KbdTarget::StaffPin {
            "•".repeat(v.chars().count())
        } else {
            v
        };
        set_label(&mut self.view.keyboard.preview, &format!("{shown}▏"));
    }

    fn login_target(&mut self) -> &mut fltk::input::Input {
        if self.view.login.pin.has_focus() || !self.view.login.id.active() {
            &mut self.view.login.pin
        } else {
            &mut self.view.login.id
        }
    }

    fn selected_line(&mut self) -> Option<usize> {
        let n = self.st.lines[idx(self.st.account)].len();
        self.view
            .till
            .table
            .selected()
            .filter(|i| *i < n)
            .or(n.checked_sub(1))
    }

    fn on_ui(&mut self, u: Ui) {
        match u {
            Ui::LoginKey(c) => {
                let t = self.login_target();
                if t.value().chars().count() < 12 {
                    let v = t.value() + &c.to_string();
                    t.set_value(&v);
                }
            }
            Ui::LoginClear => {
                let locked = !self.view.login.id.active();
                if locked && self.view.login.pin.value().is_empty() {
                    // A locked session: « C » on an empty PIN lets someone else log in (the
                    // runtime then closes the previous session and its basket).
                    self.view.login.id.activate();
                    self.view.login.id.set_value("");
                    set_label(&mut self.view.login.message, "");
                    let _ = self.view.login.id.take_focus();
                } else {
                    self.login_target().set_value("");
                }
            }
            Ui::LoginBack => {
                let t = self.login_target();
                let mut v = t.value();
                v.pop();
                t.set_value(&v);
            }
            Ui::LoginIdEnter => {
                let _ = self.view.login.pin.take_focus();
            }
            Ui::LoginLang(_) => {}
            Ui::LoginOk => {
                let id = self.view.login.id.value().trim().to_owned();
                let pin = self.view.login.pin.value().trim().to_owned();
                if id.is_empty() {
                    set_label(&mut self.view.login.message, "Entrez votre identifiant.");
                    let _ = self.view.login.id.take_focus();
                } else if pin.is_empty() {
                    let _ = self.view.login.pin.take_focus();
                } else {
                    self.view.login.pin.set_value("");
                    set_label(&mut self.view.login.message, "");
                    self.send(Command::Login { id, pin });
                }
            }
            Ui::Article => {
                let code = self.view.till.article.value().trim().to_owned();
                self.view.till.article.set_value("");
                let _ = self.view.till.article.take_focus();
                if code.is_empty() {
                    return;
                }
                if code.contains(char::is_whitespace) || code.len() > 64 {
                    self.till_message("Code d'article invalide.");
                    return;
                }
                self.st.scan_mark = Some(Instant::now());
                self.send(Command::Scan(code));
            }
            Ui::Withdraw => self.open_amount(AmountFor::Withdraw, "Retrait d'argent"),
            Ui::ToggleSub => self.send(Command::Account(other(self.st.account))),
            Ui::Plus | Ui::Minus => {
                let Some(i) = self.selected_line() else {
                    self.till_message("Aucune ligne.");
                    return;
                };
                let qty =
                    self.st.lines[idx(self.st.account)][i].qty + if u == Ui::Plus { 1 } else { -1 };
                if qty < 1 {
                    self.till_message("Pour retirer l'article : Supprimer la ligne.");
                    return;
                }
                self.send(Command::Qty { line: i + 1, qty });
            }
            Ui::Void => match self.selected_line() {
                Some(i) => self.send(Command::Void { line: i + 1 }),
                None => self.till_message("Aucune ligne."),
            },
            Ui::Pay => self.start_payment(PaymentMethod::Qr),
            Ui::Cash => self.start_payment(PaymentMethod::Cash),
            Ui::Logout => self.send(Command::Logout),
            Ui::AdminToTill if self.st.role == Some(Role::Admin) => {
                self.close_overlay();
                self.till_message("");
                self.show_screen(Screen::Till);
                self.render_basket();
            }
            Ui::TillToAdmin if self.st.role == Some(Role::Admin) => {
                if self.st.payment.is_some() {
                    self.till_message(
                        "Un paiement est en cours : terminez-le ou annulez-le d'abord.",
                    );
                } else {
                    // The basket stays as it is, for when the admin comes back to the till.
                    self.show_screen(Screen::Admin);
                    self.admin(AdminRequest::Days);
                }
            }
            Ui::AdminToTill | Ui::TillToAdmin => {}
            Ui::AmountKey(c) => {
                let t = &self.st.amount_text;
                let decimals = t.split_once(',').map(|(_, d)| d.len());
                let ok = t.len() < 9
                    && match c {
                        ',' => decimals.is_none(),
                        _ => decimals.is_none_or(|d| d < 2),
                    };
                if ok {
                    if c == ',' && self.st.amount_text.is_empty() {
                        self.st.amount_text.push('0');
                    }
                    self.st.amount_text.push(c);
                    self.render_amount();
                }
            }
            Ui::AmountBack => {
                self.st.amount_text.pop();
                self.render_amount();
            }
            Ui::AmountCancel => self.close_overlay(),
            Ui::AmountOk => {
                let text = self.st.amount_text.clone();
                match self.st.amount_for {
                    AmountFor::Withdraw => match Money::parse(&text) {
                        Ok(m) if m > Money::ZERO => {
                            self.close_overlay();
                            self.send(Command::Withdraw(m));
                        }
                        Ok(_) => set_label(&mut self.view.amount.message, "Entrez un montant."),
                        Err(e) => set_label(&mut self.view.amount.message, &e.to_string()),
                    },
                    AmountFor::Cash(account) => {
                        let tendered = if text.is_empty() {
                            None
                        } else {
                            match Money::parse(&text) {
                                Ok(m) => Some(m),
                                Err(e) => {
                                    set_label(&mut self.view.amount.message, &e.to_string());
                                    return;
                                }
                            }
                        };
                        self.close_overlay();
                        self.send(Command::Pay {
                            account,
                            method: PaymentMethod::Cash,
                            tendered,
                        });
                    }
                }
            }
            Ui::Choose(a) => {
                self.close_overlay();
                self.pay(a);
            }
            Ui::PayStatus => {
                if self.st.payment.as_ref().is_some_and(|p| p.accepted) {
                    self.send(Command::Accept);
                } else {
                    set_label(
                        &mut self.view.pay.message,
                        "Le client n'a pas encore confirmé sur son téléphone.",
                    );
                }
            }
            Ui::PayCancel => self.send(Command::Cancel),
            Ui::CashOk => self.close_overlay(),
            Ui::Reprint => self.send(Command::Reprint),
            Ui::Tab(t) => match t {
                AdminTab::Days => {
                    self.show_pane(Pane::Days);
                    self.admin(AdminRequest::Days);
                }
                AdminTab::Journal => {
                    let today = self.clock.now().with_timezone(&self.tz).date_naive();
                    let a = &mut self.view.admin;
                    if a.journal_from.value().is_empty() {
                        a.journal_from
                            .set_value(&today.with_day0_safe().format("%Y-%m-%d").to_string());
                        a.journal_to
                            .set_value(&today.format("%Y-%m-%d").to_string());
                    }
                    self.show_pane(Pane::Journal);
                    self.on_ui(Ui::JournalShow);
                }
                AdminTab::Products => {
                    self.show_pane(Pane::Products);
                    self.admin(AdminRequest::Products);
                }
                AdminTab::Staff => {
                    self.show_pane(Pane::Staff);
                    self.admin(AdminRequest::Staff);
                }
            },
            Ui::DaysOpen => {
                let i = self.view.admin.days_list.selected().unwrap_or(0);
                match self.st.days.get(i) {
                    Some(d) => self.admin(AdminRequest::DayReport(d.day)),
                    None => set_label(&mut self.view.admin.days_title, "Aucun jour à ouvrir."),
                }
            }
            Ui::DaysDelete => {
                let Some(d) = self
                    .view
                    .admin
                    .days_list
                    .selected()
                    .and_then(|i| self.st.days.get(i))
                    .map(|d| d.day)
                else {
                    set_label(
                        &mut self.view.admin.days_title,
                        "Choisissez un jour dans la liste.",
                    );
                    return;
                };
                self.st.hide_day = Some(d);
                set_label(
                    &mut self.view.confirm.question,
                    &format!(
                        "Supprimer le rapport du {} de la liste ?\nLes ventes restent enregistrées ; la suppression est tracée.",
                        d.format("%d/%m/%Y")
                    ),
                );
                self.open_overlay(Overlay::Confirm);
            }
            Ui::ConfirmYes => {
                self.close_overlay();
                if let Some(d) = self.st.hide_day.take() {
                    self.admin(AdminRequest::HideDay(d));
                }
            }
            Ui::ConfirmNo => {
                self.st.hide_day = None;
                self.close_overlay();
            }
            Ui::ReportBack => {
                self.show_pane(Pane::Days);
                self.admin(AdminRequest::Days);
            }
            Ui::Export(format) => match &self.st.report {
                Some(r) => {
                    let day = r.day;
                    set_label(&mut self.view.admin.report_exported, "Export en cours…");
                    self.admin(AdminRequest::Export { day, format });
                }
                None => set_label(
                    &mut self.view.admin.report_exported,
                    "Aucun rapport ouvert.",
                ),
            },
            Ui::JournalShow => {
                let a = &mut self.view.admin;
                match (
                    parse_day(&a.journal_from.value()),
                    parse_day(&a.journal_to.value()),
                ) {
                    (Some(from), Some(to)) => self.admin(AdminRequest::Journal { from, to }),
                    _ => set_label(
                        &mut a.journal_source,
                        "Dates attendues au format AAAA-MM-JJ ou JJ/MM/AAAA.",
                    ),
                }
            }
            Ui::ProductSave => self.save_product(),
            Ui::ProductToggle => {
                let a = &mut self.view.admin;
                match a
                    .products_list
                    .selected()
                    .and_then(|i| self.st.products.get(i))
                {
                    Some(p) => {
                        let r = AdminRequest::SetProductActive {
                            code: p.code.as_str().to_owned(),
                            active: !p.active,
                        };
                        self.admin(r);
                    }
                    None => set_label(
                        &mut a.products_message,
                        "Choisissez un produit dans la liste.",
                    ),
                }
            }
            Ui::ProductImport => {
                let path = self.view.admin.import_path.value().trim().to_owned();
                if path.is_empty() {
                    set_label(
                        &mut self.view.admin.products_message,
                        "Indiquez le chemin du fichier CSV (code,barcode,name,price,vat_rate).",
                    );
                    return;
                }
                set_label(&mut self.view.admin.products_message, "Import en cours…");
                // Read off the screen's thread: a USB stick may be slow.
                let requests = self.requests.clone();
                let s = self.sender;
                std::thread::spawn(move || match std::fs::read(&path) {
                    Ok(bytes) => {
                        let _ = requests.send(Request::Admin(AdminRequest::ImportCatalog(bytes)));
                    }
                    Err(e) => s.send(Msg::Admin(Box::new(Err(CommandError {
                        code: "unreadable_file",
                        message: format!("{path} : {e}"),
                    })))),
                });
            }
            Ui::StaffAdd => self.add_staff(),
            Ui::StaffToggle => {
                let a = &mut self.view.admin;
                match a.staff_list.selected().and_then(|i| self.st.staff.get(i)) {
                    Some(s) => {
                        let r = AdminRequest::SetStaffActive {
                            id: s.id.to_string(),
                            active: !s.active,
                        };
                        self.admin(r);
                    }
                    None => set_label(
                        &mut a.staff_message,
                        "Choisissez une personne dans la liste.",
                    ),
                }
            }
            Ui::StaffResetPin => {
                let a = &mut self.view.admin;
                let id = match a.staff_list.selected().and_then(|i| self.st.staff.get(i)) {
                    Some(s) => s.id.to_string(),
                    None => a.staff_id.value().trim().to_owned(),
                };
                let pin = a.staff_pin.value().trim().to_owned();
                if id.is_empty() || pin.is_empty() {
                    set_label(
                        &mut a.staff_message,
                        "Choisissez une personne et entrez le nouveau PIN.",
                    );
                    return;
                }
                self.admin(AdminRequest::ResetPin { id, pin });
            }
            Ui::Select(list) => match list {
                ListId::Products => {
                    let a = &mut self.view.admin;
                    if let Some(p) = a
                        .products_list
                        .selected()
                        .and_then(|i| self.st.products.get(i))
                    {
                        a.product_code.set_value(p.code.as_str());
                        a.product_barcode.set_value(
                            &p.barcode
                                .as_ref()
                                .map(|b| b.as_str().to_owned())
                                .unwrap_or_default(),
                        );
                        a.product_name.set_value(&p.name);
                        a.product_price
                            .set_value(&p.price.to_decimal_string().replace('.', ","));
                        let vat = VAT_CHOICES.iter().position(|v| *v == p.vat.percent());
                        a.product_vat.set_value(vat.unwrap_or(0) as i32);
                        set_label(
                            &mut a.product_toggle,
                            if p.active { "Désactiver" } else { "Activer" },
                        );
                    }
                }
                ListId::Staff => {
                    let a = &mut self.view.admin;
                    if let Some(s) = a.staff_list.selected().and_then(|i| self.st.staff.get(i)) {
                        a.staff_id.set_value(s.id.as_str());
                        a.staff_name.set_value(&s.name);
                        a.staff_role
                            .set_value(if s.role == Role::Admin { 1 } else { 0 });
                        set_label(
                            &mut a.staff_toggle,
                            if s.active { "Désactiver" } else { "Activer" },
                        );
                    }
                }
                _ => {}
            },
            Ui::Keyboard(t) => {
                self.st.kbd_target = Some(t);
                self.render_kbd_preview();
                self.open_overlay(Overlay::Keyboard);
            }
            Ui::Kbd(c) => {
                let Some(t) = self.st.kbd_target else { return };
                let c = if self.st.kbd_shift {
                    c.to_uppercase().next().unwrap_or(c)
                } else {
                    c
                };
                let i = self.kbd_input(t);
                if i.value().chars().count() < 80 {
                    let v = i.value() + &c.to_string();
                    i.set_value(&v);
                }
                self.render_kbd_preview();
            }
            Ui::KbdBack => {
                let Some(t) = self.st.kbd_target else { return };
                let i = self.kbd_input(t);
                let mut v = i.value();
                v.pop();
                i.set_value(&v);
                self.render_kbd_preview();
            }
            Ui::KbdShift => {
                self.st.kbd_shift = !self.st.kbd_shift;
                let shift = self.st.kbd_shift;
                for (c, b) in self.view.keyboard.letters.iter_mut() {
                    let l = if shift {
                        c.to_uppercase().next().unwrap_or(*c)
                    } else {
                        *c
                    };
                    b.set_label(&l.to_string());
                    b.redraw();
                }
                self.view.keyboard.shift.set_color(if shift {
                    colors::SELECTED
                } else {
                    colors::KEY
                });
                self.view.keyboard.shift.redraw();
            }
            Ui::KbdEnter => match self.st.kbd_target {
                Some(KbdTarget::Article) => {
                    self.on_ui(Ui::Article);
                    self.render_kbd_preview();
                }
                _ => self.close_overlay(),
            },
            Ui::KbdClose => self.close_overlay(),
            Ui::Close => {
                if self.st.payment.is_some() {
                    set_label(
                        &mut self.view.pay.message,
                        "Terminez ou annulez le paiement avant de fermer la caisse.",
                    );
                } else {
                    self.send(Command::Quit);
                    fl::quit();
                }
            }
        }
    }

    fn save_product(&mut self) {
        let a = &mut self.view.admin;
        let built = (|| -> Result<Product, String> {
            let code = crate::domain::barcode::ArticleCode::parse(a.product_code.value().trim())
                .map_err(|e| format!("Code : {e}"))?;
            let barcode = match a.product_barcode.value().trim() {
                "" => None,
                b => Some(
                    crate::domain::barcode::Gtin::parse(b)
                        .map_err(|e| format!("Code-barres : {e}"))?,
                ),
            };
            let name = crate::domain::product::parse_name(&a.product_name.value())
                .map_err(|e| format!("Nom : {e}"))?;
            let price =
                Money::parse(a.product_price.value().trim()).map_err(|e| format!("Prix : {e}"))?;
            let vat = usize::try_from(a.product_vat.value())
                .ok()
                .and_then(|i| VAT_CHOICES.get(i))
                .ok_or("TVA : choisissez un taux")?;
            let vat = crate::domain::product::VatRate::parse(&vat.to_string())
                .map_err(|e| e.to_string())?;
            Ok(Product {
                code,
                barcode,
                name,
                price,
                vat,
                active: true,
            })
        })();
        match built {
            // The runtime keeps an existing product's enabled flag: an edit never changes it.
            Ok(p) => self.admin(AdminRequest::SaveProduct(p)),
            Err(e) => set_label(&mut self.view.admin.products_message, &e),
        }
    }

    fn add_staff(&mut self) {
        let a = &mut self.view.admin;
        let built = (|| -> Result<Staff, String> {
            Ok(Staff {
                id: StaffId::parse(a.staff_id.value().trim()).map_err(|e| format!("ID : {e}"))?,
                name: parse_staff_name(&a.staff_name.value()).map_err(|e| format!("Nom : {e}"))?,
                role: if a.staff_role.value() == 1 {
                    Role::Admin
                } else {
                    Role::Cashier
                },
                active: true,
                // The staff screen has no language picker yet (a later slice of issue 12).
                lang: crate::i18n::Lang::default(),
            })
        })();
        let pin = a.staff_pin.value().trim().to_owned();
        match built {
            Ok(staff) => self.admin(AdminRequest::AddStaff { staff, pin }),
            Err(e) => set_label(&mut self.view.admin.staff_message, &e),
        }
    }

    fn tick(&mut self) {
        self.st.ticks += 1;
        let now = self.clock.now().with_timezone(&self.tz);
        set_label(
            &mut self.view.status.clock,
            &now.format("%H:%M").to_string(),
        );
        if self.st.ticks % 5 == 1 {
            self.send(Command::Status);
        }
        self.render_banner();
    }
}

trait FirstOfMonth {
    fn with_day0_safe(self) -> NaiveDate;
}

impl FirstOfMonth for NaiveDate {
    fn with_day0_safe(self) -> NaiveDate {
        use chrono::Datelike;
        self.with_day(1).unwrap_or(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journal_dates_in_both_spellings() {
        let d = NaiveDate::from_ymd_opt(2026, 5, 31);
        assert_eq!(parse_day("2026-05-31"), d);
        assert_eq!(parse_day(" 31/05/2026 "), d);
        assert_eq!(parse_day("31-05-2026"), None);
        assert_eq!(parse_day("2026-02-30"), None);
        assert_eq!(
            NaiveDate::from_ymd_opt(2026, 11, 24).map(|d| d.with_day0_safe()),
            NaiveDate::from_ymd_opt(2026, 11, 1)
        );
    }

    #[test]
    fn accounts_have_their_names_and_colours() {
        assert_eq!(other(Account::Main), Account::Sub);
        assert_eq!(account_name(Account::Sub), "SOUS-COMPTE");
        assert_ne!(account_color(Account::Main), account_color(Account::Sub));
    }
}
