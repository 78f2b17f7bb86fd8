//! The runtime: one actor per concern (Session, Basket, Payment, Printer, ClockGuard, and the
//! Ledger on its own thread), wired together by [`Till`]. Commands go in through
//! [`Till::execute`], [`TillEvent`]s come out to every subscriber. The GUI and the headless
//! driver are two faces over this same handle; the runtime knows no screen.

pub mod admin;
pub mod basket;
pub mod clock_guard;
pub mod command;
mod counter;
pub mod events;
pub mod ledger;
pub mod payment;
pub mod printer;
pub mod returns;
pub mod runtime_config;
pub mod scanner;
pub mod session;
pub mod sync;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use actix::prelude::*;
use tokio::sync::mpsc::UnboundedReceiver;

use crate::clock::SharedClock;
use crate::i18n::Text;
use crate::secrets::PinHasher;
use crate::store::{Ledger, StoreError};

pub use command::{Command, CommandError};
pub use events::{EventHub, TillEvent};
pub use runtime_config::RuntimeConfig;

use basket::{
    AddWithdrawal, BasketActor, ClearBaskets, GetBasket, Refusal, ScanCode, SetQuantity,
    SwitchAccount, VoidLine,
};
use clock_guard::ClockGuardActor;
use ledger::LedgerActor;
pub use payment::QrServers;
use payment::{Pay, PaymentActor};
use printer::PrinterActor;
use session::SessionActor;

#[derive(Debug, thiserror::Error)]
pub enum TillError {
    #[error("cannot open the ledger: {0}")]
    Ledger(#[from] StoreError),
}

/// The handle both faces hold: commands in, events out.
#[derive(Clone)]
pub struct Till {
    session: Addr<SessionActor>,
    basket: Addr<BasketActor>,
    payment: Addr<PaymentActor>,
    printer: Addr<PrinterActor>,
    clock_guard: Addr<ClockGuardActor>,
    ledger: Addr<LedgerActor>,
    /// The return in progress and the action waiting for a manager.
    returns: Addr<returns::ReturnsActor>,
    /// The payment servers (a QR refund goes through the one its sale was paid on).
    servers: QrServers,
    sync: Option<Addr<sync::SyncActor>>,
    /// The central database (one pool per till, shared with the SyncActor); `None` when none
    /// is configured or its URL is unusable (then `central_error` says why).
    central: Option<crate::sync::Central>,
    /// Why a configured central URL cannot be used (reported at start and in `status`).
    central_error: Option<String>,
    hub: EventHub,
    settings: Arc<RuntimeConfig>,
    clock: SharedClock,
    /// The ledger's directory (exports go under it by default).
    data_dir: PathBuf,
    /// The PIN hasher, shared by the SessionActor (logins) and the admin (new PINs).
    hasher: Arc<PinHasher>,
}

/// A ledger refusal of a drawer operation, in the cashier's words.
fn drawer_refusal(e: crate::store::StoreError) -> Refusal {
    match e {
        crate::store::StoreError::Conflict(m) if m == crate::store::DRAWER_ALREADY_OPEN => {
            Refusal::says("drawer_already_open", Text::msg("drawer-already-open"))
        }
        crate::store::StoreError::Conflict(m) if m == crate::store::NO_OPEN_DRAWER => {
            Refusal::says("no_open_drawer", Text::msg("drawer-none-open"))
        }
        e => Refusal::new("store_error", e.to_string()),
    }
}

impl Till {
    /// Opens the ledger in `data_dir` and starts the actors. Must run inside an actix `System`.
    pub fn start(
        settings: RuntimeConfig,
        data_dir: &Path,
        clock: SharedClock,
        hasher: PinHasher,
    ) -> Result<Till, TillError> {
        Till::start_with_payments(settings, data_dir, clock, hasher, QrServers::default())
    }

    /// [`Till::start`] with payment servers for QR payments (the hosted one, the LAN one).
    pub fn start_with_payments(
        settings: RuntimeConfig,
        data_dir: &Path,
        clock: SharedClock,
        hasher: PinHasher,
        servers: QrServers,
    ) -> Result<Till, TillError> {
        let ledger = Ledger::open_in(data_dir)?;
        let ledger = LedgerActor::start(ledger, data_dir.join(crate::store::LEDGER_FILE));
        let hub = EventHub::speaking(settings.language);
        let settings = Arc::new(settings);
        let printer = PrinterActor::new(
            crate::devices::printer::Printer::new(
                settings.printer.driver.clone(),
                settings.printer.width,
                settings.printer.codepage,
                settings.shop.clone(),
                settings.tz,
                data_dir,
            )
            .with_language(settings.printer.language),
            ledger.clone(),
            hub.clone(),
            clock.clone(),
        )
        .start();
        let basket = BasketActor::new(
            settings.max_withdrawal,
            ledger.clone(),
            hub.clone(),
            clock.clone(),
        )
        .with_instore(settings.scanner.instore.clone())
        .start();
        let hasher = Arc::new(hasher);
        let (central, central_error) = match settings
            .central_url
            .as_ref()
            .map(crate::sync::Central::new)
        {
            None => (None, None),
            Some(Ok(c)) => (Some(c), None),
            Some(Err(e)) => {
                // Not a silent "works alone": the screen, `status` and `kaching doctor` say so.
                tracing::error!(error = %e, "central database unusable: sales stay in this till until central.url is fixed");
                let e = match e {
                    crate::sync::SyncError::Permanent(m) => m,
                    other => other.to_string(),
                };
                (None, Some(e))
            }
        };
        let sync = central.as_ref().map(|central| {
            sync::SyncActor::new(
                central.clone(),
                settings.till_id.clone(),
                settings.tz,
                ledger.clone(),
                hub.clone(),
                clock.clone(),
            )
            .start()
        });
        let mut session = SessionActor::new(
            ledger.clone(),
            hub.clone(),
            clock.clone(),
            settings.hours.clone(),
            hasher.clone(),
        )
        .with_till_id(&settings.till_id);
        if let Some(sync) = &sync {
            session = session.with_staff_puller(sync.clone().recipient());
        }
        let session = session.start();
        let payment = PaymentActor::new(
            settings.till_id.clone(),
            settings.shop.name.clone(),
            settings.tz,
            settings.cash_rounding,
            servers.clone(),
            basket.clone(),
            ledger.clone(),
            printer.clone(),
            hub.clone(),
            clock.clone(),
        )
        .start();
        let clock_guard = ClockGuardActor::new(
            settings.hours.clone(),
            settings.till_id.clone(),
            clock.clone(),
            session.clone(),
            basket.clone(),
            payment.clone(),
            ledger.clone(),
            hub.clone(),
        )
        .start();
        let till = Till {
            session,
            basket,
            payment,
            printer,
            clock_guard,
            ledger,
            returns: returns::ReturnsActor::default().start(),
            servers,
            sync,
            central,
            central_error,
            hub,
            settings,
            clock,
            data_dir: data_dir.to_owned(),
            hasher,
        };
        if let Some(device) = &till.settings.scanner.device {
            use crate::devices::scanner::{DeviceSpec, EvdevSource};
            let source = EvdevSource::new(DeviceSpec::parse(device));
            let config = till.settings.scanner.decoder.clone();
            scanner::ScannerActor::new(till.clone(), Box::new(source), config).start();
        }
        till.resume_refunds();
        Ok(till)
    }

    pub fn subscribe(&self) -> UnboundedReceiver<TillEvent> {
        self.hub.subscribe()
    }

    /// Publishes an event from a face (e.g. the headless driver's parse errors), in order with
    /// the runtime's own events.
    pub fn emit(&self, event: TillEvent) {
        self.hub.emit(event);
    }

    /// Publishes a face's refusal (a line the headless parser refused) as an `error` event, in
    /// the session's language (the till's before a login).
    pub fn refuse(&self, r: &basket::Refusal) {
        self.hub.refuse(r);
    }

    pub fn settings(&self) -> &RuntimeConfig {
        &self.settings
    }

    /// Tells a face that just subscribed what is wrong from the start: a configured central
    /// database that cannot be used (`error {code: "central_unusable"}`).
    pub fn report_start_problems(&self) {
        if let Some(e) = &self.central_error {
            let text = Text::msg("central-unusable").arg("error", e.as_str());
            self.hub.refuse(&Refusal::says("central_unusable", text));
        }
    }

    /// Runs one command to completion: every event it causes has been emitted when this returns
    /// (printing and syncing carry on in the background).
    pub async fn execute(&self, command: Command) {
        if let Err(r) = self.dispatch(command).await {
            self.hub.refuse(&r);
        }
    }

    /// Makes the clock guard look at the clock now (tests that move a fake clock).
    pub async fn tick(&self) {
        let _ = self.clock_guard.send(clock_guard::Tick).await;
    }

    async fn dispatch(&self, command: Command) -> Result<(), Refusal> {
        let mailbox = |e: MailboxError| Refusal::new("internal", e.to_string());
        match command {
            Command::Login { id, pin } => {
                // A return or an approval left waiting by a session that ended without a
                // `logout` (closing time, an idle lock taken over) is not the next person's.
                let active = matches!(
                    self.session
                        .send(session::GetSession)
                        .await
                        .map_err(mailbox)?,
                    Some((_, "active"))
                );
                if !active {
                    self.returns.do_send(returns::TakePending);
                    self.returns.do_send(returns::ClearRefund);
                }
                let replaced = self
                    .session
                    .send(session::Login { id, pin })
                    .await
                    .map_err(mailbox)?;
                if let Some(previous) = replaced {
                    // The basket was the previous person's: it goes with their session, unless
                    // a payment holds it (the basket refuses then, in the same step that
                    // checks): the new cashier takes the payment over.
                    let cleared = self
                        .basket
                        .send(ClearBaskets {
                            reason: "replaced",
                            by: Some(previous.id.to_string()),
                        })
                        .await
                        .map_err(mailbox)?;
                    if cleared.is_err() {
                        let (at, by) = (self.clock.now(), previous.id.to_string());
                        self.ledger.do_send(ledger::LedgerJob::new(move |l| {
                            l.audit(
                                at,
                                Some(&by),
                                "basket_kept",
                                "replaced: a payment holds the basket; the new cashier takes it over",
                            )
                        }));
                    }
                }
                Ok(())
            }
            Command::Logout => {
                if self.payment.send(payment::IsBusy).await.map_err(mailbox)? {
                    return Err(Refusal::says(
                        "payment_in_progress",
                        Text::msg("logout-payment"),
                    ));
                }
                // Active or locked (a locked session may be logged out too).
                let (staff, _) = self
                    .session
                    .send(session::GetSession)
                    .await
                    .map_err(mailbox)?
                    .ok_or_else(|| Refusal::says("not_logged_in", Text::msg("session-nobody")))?;
                // The basket checks and clears in one step: a payment that started meanwhile
                // holds it, and then nobody is logged out.
                self.basket
                    .send(ClearBaskets {
                        reason: "logout",
                        by: Some(staff.id.to_string()),
                    })
                    .await
                    .map_err(mailbox)?
                    .map_err(|_| {
                        Refusal::says("payment_in_progress", Text::msg("logout-payment"))
                    })?;
                // What waited for a manager, and a return in progress, were this person's.
                let _ = self.returns.send(returns::TakePending).await;
                let _ = self.returns.send(returns::ClearRefund).await;
                self.session
                    .send(session::Logout { reason: "logout" })
                    .await
                    .map_err(mailbox)?
                    .map(|_| ())
            }
            Command::Status => {
                self.hub.emit(self.status().await);
                Ok(())
            }
            Command::Quit => Ok(()),
            Command::Language(lang) => {
                self.hub.choose_lang(lang);
                Ok(())
            }
            other => {
                let staff = self
                    .session
                    .send(session::Authorize)
                    .await
                    .map_err(mailbox)??;
                if !matches!(other, Command::Approve { .. }) {
                    // An approval is for what is on the screen now: any other step drops it.
                    // Not awaited (a scan must not wait for another actor to wake up): the
                    // ReturnsActor's mailbox keeps the order, so a later approval or new request
                    // comes after this drop.
                    self.returns.do_send(returns::TakePending);
                }
                match other {
                    Command::Discount {
                        target,
                        rule,
                        reason,
                    } => self.discount(target, rule, reason, &staff, None).await,
                    Command::Approve { id, pin } => self.approve(id, pin, &staff).await,
                    Command::Refund(key) => self.refund_open(key).await,
                    Command::RefundQty { line, qty } => self.refund_pick(line, qty).await,
                    Command::RefundCommit { tender, reason } => {
                        self.refund_commit(tender, reason, &staff, None).await
                    }
                    Command::RefundCancel => self.refund_cancel().await,
                    Command::Scan(code) => match crate::domain::refund::TicketKey::parse(&code) {
                        // A ticket's QR code (its sale id: 36 characters, never an article
                        // code) scanned at the till starts its return.
                        Some(key @ crate::domain::refund::TicketKey::SaleId(_)) => {
                            self.refund_open(key).await
                        }
                        _ => self.basket.send(ScanCode(code)).await.map_err(mailbox)?,
                    },
                    Command::Qty { line, qty } => self
                        .basket
                        .send(SetQuantity { line, qty })
                        .await
                        .map_err(mailbox)?,
                    Command::Void { line } => self
                        .basket
                        .send(VoidLine {
                            line,
                            by: staff.id.to_string(),
                        })
                        .await
                        .map_err(mailbox)?,
                    Command::Withdraw(amount) => self
                        .basket
                        .send(AddWithdrawal(amount))
                        .await
                        .map_err(mailbox)?,
                    Command::Account(a) => {
                        self.basket.send(SwitchAccount(a)).await.map_err(mailbox)
                    }
                    Command::Pay {
                        account,
                        method,
                        tendered,
                    } => self
                        .payment
                        .send(Pay {
                            account,
                            method,
                            tendered,
                            staff,
                        })
                        .await
                        .map_err(mailbox)?,
                    Command::Accept => self.payment.send(payment::Accept).await.map_err(mailbox)?,
                    Command::Cancel => self.payment.send(payment::Cancel).await.map_err(mailbox)?,
                    Command::Reprint => {
                        let (till, now, by) = (
                            self.settings.till_id.clone(),
                            self.clock.now(),
                            staff.id.to_string(),
                        );
                        let queued =
                            ledger::run(&self.ledger, move |l| match l.last_sale_id(&till)? {
                                Some(id) => l.queue_reprint(&id, now, Some(&by)).map(Some),
                                None => Ok(None),
                            })
                            .await
                            .map_err(|e| Refusal::new("store_error", e.to_string()))?;
                        if queued.is_none() {
                            return Err(Refusal::says(
                                "nothing_to_reprint",
                                Text::msg("reprint-nothing"),
                            ));
                        }
                        self.printer.do_send(printer::PrintQueued);
                        Ok(())
                    }
                    Command::Drawer(d) => self.drawer(d, &staff).await,
                    Command::ReportX => {
                        let (till, now) = (self.settings.till_id.clone(), self.clock.now());
                        // The X prints on the till's printer too.
                        let x = ledger::run(&self.ledger, move |l| l.drawer_x_printed(&till, now))
                            .await
                            .map_err(drawer_refusal)?;
                        self.printer.do_send(printer::PrintQueued);
                        self.hub.emit(TillEvent::DrawerReport {
                            report: Box::new(x),
                        });
                        Ok(())
                    }
                    Command::Login { .. }
                    | Command::Logout
                    | Command::Status
                    | Command::Language(_)
                    | Command::Quit => Ok(()),
                }
            }
        }
    }

    /// `drawer open|in|out|close`: one ledger transaction each; the Z is refused while a
    /// payment is in progress (its sale would land in the next session, or in none). A cash
    /// in/out's slip and the Z are queued for the printer in their transaction.
    async fn drawer(
        &self,
        d: command::DrawerCommand,
        staff: &crate::domain::Staff,
    ) -> Result<(), Refusal> {
        use command::DrawerCommand as D;
        let mailbox = |e: MailboxError| Refusal::new("internal", e.to_string());
        let (till, now) = (self.settings.till_id.clone(), self.clock.now());
        let (staff_id, staff_name) = (staff.id.to_string(), staff.name.clone());
        match d {
            D::Open(float) => {
                let s = ledger::run(&self.ledger, move |l| {
                    l.drawer_open(&till, &staff_id, float, now)
                })
                .await
                .map_err(drawer_refusal)?;
                self.hub.emit(TillEvent::DrawerOpened {
                    session_no: s.session_no,
                    float_cents: s.float,
                    counted: true,
                });
            }
            D::Move {
                kind,
                amount,
                reason,
            } => {
                let r = reason.clone();
                let moved = ledger::run(&self.ledger, move |l| {
                    l.drawer_move(&till, kind, amount, &r, &staff_id, &staff_name, now)
                })
                .await
                .map_err(drawer_refusal)?;
                // Its slip (and the drawer pulse) was queued with the move.
                self.printer.do_send(printer::PrintQueued);
                let s = &moved.session;
                if moved.opened {
                    self.hub.emit(TillEvent::DrawerOpened {
                        session_no: s.session_no,
                        float_cents: s.float,
                        counted: false,
                    });
                }
                self.hub.emit(TillEvent::DrawerMoved {
                    session_no: s.session_no,
                    move_no: moved.move_no,
                    kind,
                    amount_cents: amount,
                    reason,
                });
            }
            D::Close(counted) => {
                let busy = self.payment.send(payment::IsBusy).await.map_err(mailbox)?
                    || self
                        .payment
                        .send(payment::GetPayment)
                        .await
                        .map_err(mailbox)?
                        .is_some();
                if busy {
                    return Err(Refusal::says(
                        "payment_in_progress",
                        Text::msg("drawer-payment-in-progress"),
                    ));
                }
                let z = ledger::run(&self.ledger, move |l| {
                    l.drawer_close(&till, counted, &staff_id, now)
                })
                .await
                .map_err(drawer_refusal)?;
                // The Z was queued for the printer with the closing.
                self.printer.do_send(printer::PrintQueued);
                self.hub.emit(TillEvent::DrawerReport {
                    report: Box::new(z),
                });
            }
        }
        Ok(())
    }

    async fn status(&self) -> TillEvent {
        let now = self.clock.now();
        let session = self.session.send(session::GetSession).await.ok().flatten();
        let basket = self.basket.send(GetBasket).await.unwrap_or_default();
        let busy = self.payment.send(payment::IsBusy).await.unwrap_or(false);
        let payment = self
            .payment
            .send(payment::GetPayment)
            .await
            .ok()
            .flatten()
            .map(Box::new);
        let till_id = self.settings.till_id.clone();
        let counts = ledger::run(&self.ledger, move |l| {
            Ok((
                l.print_jobs_open()?,
                l.outbox_waiting()?,
                l.last_ticket_no(&till_id)?,
                l.drawer_current(&till_id)?.map(|s| s.session_no),
            ))
        })
        .await
        .unwrap_or((
            -1,
            crate::store::Waiting {
                pending: -1,
                parked: -1,
            },
            -1,
            None,
        ));
        let sync = match &self.sync {
            Some(s) => s.send(sync::GetSyncState).await.unwrap_or_default(),
            None => sync::SyncState::default(),
        };
        let hours = &self.settings.hours;
        use crate::domain::Account;
        TillEvent::Status(Box::new(events::StatusView {
            till_id: self.settings.till_id.clone(),
            now: crate::domain::sale::format_instant(now),
            shop_open: hours.is_open(now),
            hours_today: hours.describe_day(now),
            staff_id: session.as_ref().map(|(s, _)| s.id.to_string()),
            staff_name: session.as_ref().map(|(s, _)| s.name.clone()),
            role: session.as_ref().map(|(s, _)| s.role),
            session: session.as_ref().map_or("none", |(_, st)| st),
            account: basket.current(),
            main_total_cents: basket.lines(Account::Main).total(),
            sub_total_cents: basket.lines(Account::Sub).total(),
            main_lines: basket.lines(Account::Main).len(),
            sub_lines: basket.lines(Account::Sub).len(),
            payment_in_progress: busy || payment.is_some(),
            payment,
            print_queue: counts.0,
            outbox_pending: counts.1.pending,
            outbox_parked: counts.1.parked,
            last_ticket_no: counts.2,
            cash_rounding: self.settings.cash_rounding,
            drawer_session: counts.3,
            central: self.settings.central_url.is_some(),
            online: sync.online,
            sync_rounds: sync.rounds,
            last_sync_at: sync
                .last_sync_ms
                .and_then(chrono::DateTime::from_timestamp_millis)
                .map(crate::domain::sale::format_instant),
            sync_error: sync.last_error,
            central_error: self.central_error.clone(),
            central_host: self
                .central
                .as_ref()
                .map(crate::sync::Central::current_host),
        }))
    }
}
