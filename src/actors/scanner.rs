//! ScannerActor: reads the barcode scanner on its own thread and hands every completed scan to
//! the till exactly as a `scan` command (so the same checks apply: a logged-in session, the
//! catalogue lookup, check digits, in-store labels). A read the decoder refuses is an `error`
//! event (`bad_code`); a barcode with a wrong check digit is `bad_check_digit`, never a product.
//! When the scanner is unplugged a `scanner {connected: false}` event is emitted and the device
//! is looked for again every second; when it is back, `scanner {connected: true}`, and scanning
//! carries on without restarting the till.

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
            till.execute(Command::Scan(code)).await;
        }
        ScannerReport::Decoded(Decoded::Rejected(e)) => {
            tracing::info!(error = %e, "scanner read refused");
            till.emit(TillEvent::error("bad_code", e.to_string()));
        }
    }
}
