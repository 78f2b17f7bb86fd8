//! ScannerActor: reads the barcode scanner on its own thread and hands every completed scan to
//! the till exactly as a `scan` command (so the same checks apply: a logged-in session, the
//! catalogue lookup, check digits, in-store labels). A read the decoder refuses is an `error`
//! event (`bad_code`); a barcode with a wrong check digit is `bad_check_digit`, never a product.
//! When the scanner is unplugged a `scanner {connected: false}` event is emitted and the device
//! is looked for again every second; when it is back, `scanner {connected: true}`, and scanning
//! carries on without restarting the till. A ticket's QR code holds its sale id (a UUID, which no
//! article code can be): scanned, it is `refund <sale id>`, the return of that ticket (the screen
//! shows it; the grabbed scanner's keys never reach the screen's fields).

use std::time::Duration;

use actix::prelude::*;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

use crate::devices::scanner::{
    Decoded, Decoder, DecoderConfig, KeySource, ReportSink, ScannerReport, run_pump,
};

use super::Till;
use super::command::Command;
use super::events::TillEvent;

/// How often an unplugged scanner is looked for.
pub const RECONNECT_EVERY: Duration = Duration::from_secs(1);

pub struct ScannerActor {
    till: Till,
    source: Option<Box<dyn KeySource>>,
    config: DecoderConfig,
    reconnect_every: Duration,
}

impl ScannerActor {
    pub fn new(till: Till, source: Box<dyn KeySource>, config: DecoderConfig) -> ScannerActor {
        ScannerActor {
            till,
            source: Some(source),
            config,
            reconnect_every: RECONNECT_EVERY,
        }
    }

    /// How often to look for an unplugged scanner (tests make it short).
    pub fn reconnect_every(mut self, every: Duration) -> ScannerActor {
        self.reconnect_every = every;
        self
    }
}

/// The scanner thread's end of the channel to the actor.
struct ChannelSink(UnboundedSender<ScannerReport>);

impl ReportSink for ChannelSink {
    fn report(&mut self, report: ScannerReport) -> bool {
        self.0.send(report).is_ok()
    }
    fn alive(&self) -> bool {
        !self.0.is_closed()
    }
}

impl Actor for ScannerActor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Context<Self>) {
        let Some(mut source) = self.source.take() else {
            return;
        };
        let (tx, mut rx) = unbounded_channel();
        let mut decoder = Decoder::new(self.config.clone());
        let every = self.reconnect_every;
        let spawned = std::thread::Builder::new()
            .name("scanner".into())
            .spawn(move || {
                let mut sink = ChannelSink(tx);
                run_pump(source.as_mut(), &mut decoder, every, &mut sink);
                tracing::debug!("scanner thread ends");
            });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "cannot start the scanner thread: no scanner");
            ctx.stop();
            return;
        }
        let till = self.till.clone();
        // One report at a time, in order: a scan is in the basket before the next is looked up.
        let pump = async move {
            while let Some(report) = rx.recv().await {
                deliver(&till, report).await;
            }
        };
        ctx.spawn(pump.into_actor(self).map(|_, _, ctx| ctx.stop()));
    }
}

async fn deliver(till: &Till, report: ScannerReport) {
    match report {
        ScannerReport::Connected { device } => {
            tracing::info!(%device, "scanner connected");
            till.emit(TillEvent::Scanner {
                connected: true,
                message: format!("scanner ready: {device}"),
                device,
            });
        }
        ScannerReport::Disconnected { device, reason } => {
            tracing::warn!(%device, %reason, "scanner unavailable; looking for it");
            till.emit(TillEvent::Scanner {
                connected: false,
                message: format!("{reason}; waiting for it to come back"),
                device,
            });
        }
        ScannerReport::Decoded(Decoded::Scan(code)) => {
            tracing::debug!(%code, "scanned");
            till.execute(command_for(code)).await;
        }
        ScannerReport::Decoded(Decoded::Rejected(e)) => {
            tracing::info!(error = %e, "scanner read refused");
            till.emit(TillEvent::error("bad_code", e.to_string()));
        }
    }
}

/// What a scan asks: a ticket's sale id its return, anything else an article.
fn command_for(code: String) -> Command {
    use crate::domain::refund::TicketKey;
    match TicketKey::parse(&code) {
        Some(key @ TicketKey::SaleId(_)) => Command::Refund(key),
        _ => Command::Scan(code),
    }
}

#[cfg(test)]
mod tests {
    use super::command_for;
    use crate::actors::command::Command;
    use crate::domain::refund::TicketKey;

    #[test]
    fn a_ticket_s_qr_code_is_its_return_and_every_other_scan_an_article() {
        assert_eq!(
            command_for("01A25018-BB08-74AF-AC9A-DCAC77364945".into()),
            Command::Refund(TicketKey::SaleId(
                "01a25018-bb08-74af-ac9a-dcac77364945".into()
            ))
        );
        // Ticket numbers and till/number are typed on the return screen, never scanned.
        for code in ["1234", "5449000000996", "till-1/12", "abc"] {
            assert_eq!(
                command_for(code.into()),
                Command::Scan(code.into()),
                "{code}"
            );
        }
    }
}
