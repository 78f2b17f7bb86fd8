//! PrinterActor: prints the durable print queue in the ledger, oldest first: sales' tickets and
//! documents (a cash in/out slip, an X or Z report: src/domain/drawer_print.rs). A job
//! is marked printed only after the driver returned `Ok`, so a crash means a reprint, never a
//! lost ticket; a failing printer never blocks selling (jobs wait and are retried in order every
//! [`RETRY_EVERY`], and the first job blocks the ones behind it so tickets never come out of
//! order). Rendering and the driver's blocking I/O (TCP, device file, `lp`) run on a blocking
//! thread and end by `printer.write_timeout_secs` (see `devices::printer`): a hung printer is a
//! `print_failed` like a printer that is off, never a queue stuck for good. The state goes out
//! as `printed` / `print_failed` events (a ticket's name its `sale_id`, a document's its kind,
//! session and move).
//!
//! A credit note names the manager who approved it: the sale holds their id, and the name is
//! read from the staff list when the job is taken (the id alone when the list has no such
//! person any more).
//!
//! The drawer pulse is decided here, when the job is taken, from the sale's `paid_at` (or the
//! move's time, for a slip) and the till's clock ([`Printer::drawer`], [`Printer::drawer_for`]):
//! a cash ticket or slip printed more than `printer.drawer_window_secs` after its sale or move
//! goes out without it, which is logged (a warning with what it was and the delay) and audited
//! (`drawer_not_opened`) once it printed. Reports never open the drawer.

use std::sync::Arc;
use std::time::Duration;

use actix::prelude::*;

use crate::clock::SharedClock;
use crate::devices::printer::{Drawer, Printer};
use crate::domain::drawer_print::PrintDoc;
use crate::domain::receipt::Ticket;
use crate::domain::sale::Sale;
use crate::domain::staff::StaffId;
use crate::store::{Ledger, PrintWhat};

use super::events::{EventHub, TillEvent};
use super::ledger::{self, LedgerActor};

/// How often a failed job is tried again.
pub const RETRY_EVERY: Duration = Duration::from_secs(10);

/// New jobs are in the queue: print them.
#[derive(Message)]
#[rtype(result = "()")]
pub struct PrintQueued;

pub struct PrinterActor {
    printer: Arc<Printer>,
    ledger: Addr<LedgerActor>,
    hub: EventHub,
    clock: SharedClock,
    running: bool,
    again: bool,
}

impl PrinterActor {
    pub fn new(
        printer: Printer,
        ledger: Addr<LedgerActor>,
        hub: EventHub,
        clock: SharedClock,
    ) -> PrinterActor {
        PrinterActor {
            printer: Arc::new(printer),
            ledger,
            hub,
            clock,
            running: false,
            again: false,
        }
    }
}

impl Actor for PrinterActor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Context<Self>) {
        // Jobs left from before a restart print first.
        ctx.notify(PrintQueued);
        ctx.run_interval(RETRY_EVERY, |_, ctx| ctx.notify(PrintQueued));
    }
}

/// A job taken from the queue, with what it prints.
#[derive(Clone)]
enum Taken {
    Ticket {
        sale: Box<Sale>,
        duplicate: bool,
        /// The name of the manager who approved a credit note, from the staff list.
        approver_name: Option<String>,
    },
    Document(Box<PrintDoc>),
}

impl Taken {
    /// The events that say this job printed, or why it did not.
    fn printed(&self) -> TillEvent {
        match self {
            Taken::Ticket { sale, .. } => TillEvent::Printed {
                sale_id: sale.id.clone(),
            },
            Taken::Document(d) => TillEvent::DocumentPrinted {
                document: d.kind(),
                z_no: d.z_no(),
                move_no: d.move_no(),
            },
        }
    }

    fn failed(&self, reason: String) -> TillEvent {
        match self {
            Taken::Ticket { sale, .. } => TillEvent::PrintFailed {
                sale_id: sale.id.clone(),
                reason,
            },
            Taken::Document(d) => TillEvent::DocumentPrintFailed {
                document: d.kind(),
                z_no: d.z_no(),
                move_no: d.move_no(),
                reason,
            },
        }
    }

    /// Who the log and the audit name: the sale, or the slip.
    fn name(&self) -> String {
        match self {
            Taken::Ticket { sale, .. } => sale.id.clone(),
            Taken::Document(d) => format!(
                "{} slip, session {}, move {}",
                d.kind().as_str(),
                d.z_no(),
                d.move_no().unwrap_or(0)
            ),
        }
    }
}

/// Prints jobs until the queue is empty or the printer fails.
async fn drain(
    ledger: Addr<LedgerActor>,
    hub: EventHub,
    clock: SharedClock,
    printer: Arc<Printer>,
) {
    loop {
        let job = ledger::run(&ledger, |l| {
            let Some(job) = l.next_print_job()? else {
                return Ok(None);
            };
            let taken = match job.what {
                PrintWhat::Ticket { sale_id, duplicate } => {
                    let sale = l.sale(&sale_id)?;
                    let approver_name = approver_name(l, &sale);
                    Taken::Ticket {
                        sale: Box::new(sale),
                        duplicate,
                        approver_name,
                    }
                }
                PrintWhat::Document(doc) => Taken::Document(doc),
            };
            Ok(Some((job.id, taken)))
        })
        .await;
        let (job_id, taken) = match job {
            Ok(Some(j)) => j,
            Ok(None) => return,
            Err(e) => {
                tracing::error!(error = %e, "print queue unreadable");
                return;
            }
        };
        let drawer = match &taken {
            Taken::Ticket {
                sale, duplicate, ..
            } => printer.drawer(sale, *duplicate, clock.now()),
            Taken::Document(doc) => printer.drawer_for(doc, clock.now()),
        };
        let (p, job) = (printer.clone(), taken.clone());
        let result = tokio::task::spawn_blocking(move || match job {
            Taken::Ticket {
                sale,
                duplicate,
                approver_name,
            } => p.print(
                &Ticket::of(&sale)
                    .duplicate(duplicate)
                    .approved_by(approver_name.as_deref()),
                drawer,
                job_id,
            ),
            Taken::Document(doc) => p.print_document(&doc, drawer, job_id),
        })
        .await
        .map_err(|e| e.to_string())
        .and_then(|r| r.map_err(|e| e.to_string()));
        let now = clock.now();
        match result {
            Ok(()) => {
                let late = late_drawer(&taken, drawer);
                let marked = ledger::run(&ledger, move |l| {
                    l.mark_printed(job_id, now)?;
                    if let Some(detail) = late {
                        l.audit(now, None, "drawer_not_opened", &detail)?;
                    }
                    Ok(())
                })
                .await;
                if let Err(e) = marked {
                    tracing::error!(error = %e, "could not mark job printed");
                    return;
                }
                hub.emit(taken.printed());
            }
            Err(reason) => {
                let r = reason.clone();
                let _ = ledger::run(&ledger, move |l| l.mark_print_failed(job_id, &r)).await;
                hub.emit(taken.failed(reason));
                return;
            }
        }
    }
}

/// The name of the manager who approved `sale` (a credit note), as the staff list has it now;
/// `None` when it has not (the ticket then names the manager by id alone).
fn approver_name(l: &Ledger, sale: &Sale) -> Option<String> {
    let id = StaffId::parse(sale.approved_by.as_deref()?).ok()?;
    match l.staff_record(&id) {
        Ok(record) => record.map(|r| r.staff.name),
        Err(e) => {
            tracing::warn!(error = %e, "the approving manager's name could not be read");
            None
        }
    }
}

/// For a cash ticket or a slip printed too late to open the drawer: logs why, and returns the
/// audit row's detail.
fn late_drawer(taken: &Taken, drawer: Drawer) -> Option<String> {
    let Drawer::Late { delay, window } = drawer else {
        return None;
    };
    let what = taken.name();
    let what = what.as_str();
    let ticket = matches!(taken, Taken::Ticket { .. });
    let (delay_secs, window_secs) = (delay.num_seconds(), window.as_secs());
    let (paper, event) = if ticket {
        ("cash ticket", "sale")
    } else {
        ("drawer slip", "move")
    };
    tracing::warn!(
        what,
        delay_secs,
        window_secs,
        "{paper} printed without the drawer pulse: it printed {delay_secs} s after the \
         {event}, outside printer.drawer_window_secs ({window_secs} s), so the drawer is not \
         opened with nobody at the till"
    );
    Some(if ticket {
        format!("{what}: ticket printed {delay_secs} s after the sale (window {window_secs} s)")
    } else {
        format!("{what}: printed {delay_secs} s after the move (window {window_secs} s)")
    })
}

impl Handler<PrintQueued> for PrinterActor {
    type Result = ();

    fn handle(&mut self, _: PrintQueued, ctx: &mut Context<Self>) {
        if self.running {
            self.again = true;
            return;
        }
        self.running = true;
        let fut = drain(
            self.ledger.clone(),
            self.hub.clone(),
            self.clock.clone(),
            self.printer.clone(),
        );
        ctx.spawn(fut.into_actor(self).map(|_, act, ctx| {
            act.running = false;
            if std::mem::take(&mut act.again) {
                ctx.notify(PrintQueued);
            }
        }));
    }
}
