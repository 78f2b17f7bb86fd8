//! PrinterActor: prints tickets from the durable print queue in the ledger, oldest first. A job
//! is marked printed only after the driver succeeded, so a crash means a reprint, never a lost
//! ticket; a failing printer never blocks selling (jobs wait and are retried every
//! [`RETRY_EVERY`]). Today's driver writes each ticket as a text file; the printer issue adds
//! ESC/POS over TCP, device files and CUPS behind the same queue.

use std::path::PathBuf;
use std::time::Duration;

use actix::prelude::*;
use chrono_tz::Tz;

use crate::clock::SharedClock;
use crate::domain::receipt::{self, ShopInfo};

use super::events::{EventHub, TillEvent};
use super::ledger::{self, LedgerActor};

/// How often a failed job is tried again.
pub const RETRY_EVERY: Duration = Duration::from_secs(10);

/// New jobs are in the queue: print them.
#[derive(Message)]
#[rtype(result = "()")]
pub struct PrintQueued;

pub struct PrinterActor {
    dir: PathBuf,
    width: usize,
    shop: ShopInfo,
    tz: Tz,
    ledger: Addr<LedgerActor>,
    hub: EventHub,
    clock: SharedClock,
    running: bool,
    again: bool,
}

impl PrinterActor {
    pub fn new(
        dir: PathBuf,
        width: usize,
        shop: ShopInfo,
        tz: Tz,
        ledger: Addr<LedgerActor>,
        hub: EventHub,
        clock: SharedClock,
    ) -> PrinterActor {
        PrinterActor {
            dir,
            width,
            shop,
            tz,
            ledger,
            hub,
            clock,
            running: false,
            again: false,
        }
    }
}

/// Writes the file next to its final name and renames it, so a ticket file is whole or absent.
fn write_ticket(dir: &PathBuf, name: &str, text: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, dir.join(name))
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
    dir: PathBuf,
    width: usize,
    shop: ShopInfo,
    tz: Tz,
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
        let text = receipt::render(&sale, &shop, tz, width, job.duplicate);
        let name = format!(
            "{}-{:06}{}.txt",
            sale.till_id,
            sale.ticket_no,
            if job.duplicate {
                format!("-dup{}", job.id)
            } else {
                String::new()
            }
        );
        let d = dir.clone();
        let result = tokio::task::spawn_blocking(move || write_ticket(&d, &name, &text))
            .await
            .map_err(|e| std::io::Error::other(e.to_string()))
            .and_then(|r| r);
        let now = clock.now();
        match result {
            Ok(()) => {
                let id = job.id;
                if let Err(e) = ledger::run(&ledger, move |l| l.mark_printed(id, now)).await {
                    tracing::error!(error = %e, "could not mark job printed");
                    return;
                }
                hub.emit(TillEvent::Printed {
                    sale_id: sale.id.clone(),
                });
            }
            Err(e) => {
                let id = job.id;
                let reason = e.to_string();
                let r = reason.clone();
                let _ = ledger::run(&ledger, move |l| l.mark_print_failed(id, &r)).await;
                hub.emit(TillEvent::PrintFailed {
                    sale_id: sale.id.clone(),
                    reason,
                });
                return;
            }
        }
    }
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
            self.dir.clone(),
            self.width,
            self.shop.clone(),
            self.tz,
        );
        ctx.spawn(fut.into_actor(self).map(|_, act, ctx| {
            act.running = false;
            if std::mem::take(&mut act.again) {
                ctx.notify(PrintQueued);
            }
        }));
    }
}
