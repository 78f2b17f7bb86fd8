//! PrinterActor: prints tickets from the durable print queue in the ledger, oldest first. A job
//! is marked printed only after the driver returned `Ok`, so a crash means a reprint, never a
//! lost ticket; a failing printer never blocks selling (jobs wait and are retried in order every
//! [`RETRY_EVERY`], and the first job blocks the ones behind it so tickets never come out of
//! order). Rendering and the driver's blocking I/O (TCP, device file, `lp`) run on a blocking
//! thread and end by `printer.write_timeout_secs` (see `devices::printer`): a hung printer is a
//! `print_failed` like a printer that is off, never a queue stuck for good. The state goes out
//! as `printed` / `print_failed` events.
//!
//! The drawer pulse is decided here, when the job is taken, from the sale's `paid_at` and the
//! till's clock ([`Printer::drawer`]): a cash ticket printed more than
//! `printer.drawer_window_secs` after its sale goes out without it, which is logged (a warning
//! with the sale id and the delay) and audited (`drawer_not_opened`) once the ticket printed.

use std::sync::Arc;
use std::time::Duration;

use actix::prelude::*;

use crate::clock::SharedClock;
use crate::devices::printer::{Drawer, Printer};

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

/// Prints jobs until the queue is empty or the printer fails. Returns how the run ended.
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
            let sale = l.sale(&job.sale_id)?;
            Ok(Some((job, sale)))
        })
        .await;
        let (job, sale) = match job {
            Ok(Some(j)) => j,
            Ok(None) => return,
            Err(e) => {
                tracing::error!(error = %e, "print queue unreadable");
                return;
            }
        };
        let sale_id = sale.id.clone();
        let (p, duplicate, job_id) = (printer.clone(), job.duplicate, job.id);
        let drawer = printer.drawer(&sale, duplicate, clock.now());
        let result = tokio::task::spawn_blocking(move || p.print(&sale, duplicate, drawer, job_id))
            .await
            .map_err(|e| e.to_string())
            .and_then(|r| r.map_err(|e| e.to_string()));
        let now = clock.now();
        match result {
            Ok(()) => {
                let id = job.id;
                let late = late_drawer(&sale_id, drawer);
                let marked = ledger::run(&ledger, move |l| {
                    l.mark_printed(id, now)?;
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
                hub.emit(TillEvent::Printed { sale_id });
            }
            Err(reason) => {
                let id = job.id;
                let r = reason.clone();
                let _ = ledger::run(&ledger, move |l| l.mark_print_failed(id, &r)).await;
                hub.emit(TillEvent::PrintFailed { sale_id, reason });
                return;
            }
        }
    }
}

/// For a cash ticket printed too late to open the drawer: logs why, and returns the audit
/// row's detail.
fn late_drawer(sale_id: &str, drawer: Drawer) -> Option<String> {
    let Drawer::Late { delay, window } = drawer else {
        return None;
    };
    let (delay_secs, window_secs) = (delay.num_seconds(), window.as_secs());
    tracing::warn!(
        sale_id,
        delay_secs,
        window_secs,
        "cash ticket printed without the drawer pulse: it printed {delay_secs} s after the \
         sale, outside printer.drawer_window_secs ({window_secs} s), so the drawer is not \
         opened with nobody at the till"
    );
    Some(format!(
        "{sale_id}: ticket printed {delay_secs} s after the sale (window {window_secs} s)"
    ))
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
