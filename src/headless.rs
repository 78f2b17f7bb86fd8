//! The headless face: the till driven by JSON lines. One command per line on stdin (see
//! [`Command::parse`]), one JSON event per line on stdout; logs go to stderr. Bad input gets an
//! `error` event and changes nothing; the driver never exits on bad input, only on `quit` or
//! the end of its input. The protocol is a contract: docs/PROTOCOL.md.

use std::io::Write;

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt};
use tokio::sync::oneshot;

use crate::actors::command::MAX_LINE;
use crate::actors::{Command, Till, TillEvent};

/// Reads commands from `input` until `quit` or end of input, writing events to `output`.
pub async fn drive<R, W>(till: Till, mut input: R, output: W)
where
    R: AsyncBufRead + Unpin,
    W: Write + Send + 'static,
{
    let mut events = till.subscribe();
    let (stop_tx, mut stop_rx) = oneshot::channel::<()>();
    let writer = tokio::task::spawn_local(async move {
        let mut out = output;
        let mut write = |ev: &TillEvent| -> bool {
            match serde_json::to_string(ev) {
                Ok(json) => writeln!(out, "{json}").and_then(|_| out.flush()).is_ok(),
                Err(e) => {
                    tracing::error!(error = %e, "event not serialisable");
                    true
                }
            }
        };
        loop {
            tokio::select! {
                biased;
                ev = events.recv() => match ev {
                    Some(ev) => if !write(&ev) { return },
                    None => return,
                },
                _ = &mut stop_rx => {
                    // Everything emitted before `quit` was already queued: write it and stop.
                    while let Ok(ev) = events.try_recv() {
                        if !write(&ev) { return }
                    }
                    return;
                }
            }
        }
    });
    till.emit(TillEvent::Ready {
        till_id: till.settings().till_id.clone(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    });
    till.report_start_problems();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = match (&mut input)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut buf)
            .await
        {
            Ok(n) => n,
            Err(e) => {
                tracing::error!(error = %e, "stdin unreadable");
                break;
            }
        };
        if n == 0 {
            break;
        }
        if buf.len() > MAX_LINE && !buf.ends_with(b"\n") {
            // Skip the rest of an overlong line in chunks, never holding it whole.
            while let Ok(chunk) = input.fill_buf().await {
                if chunk.is_empty() {
                    break;
                }
                match chunk.iter().position(|b| *b == b'\n') {
                    Some(i) => {
                        input.consume(i + 1);
                        break;
                    }
                    None => {
                        let n = chunk.len();
                        input.consume(n);
                    }
                }
            }
            till.emit(TillEvent::error(
                "bad_command",
                format!("line longer than {MAX_LINE} bytes"),
            ));
            continue;
        }
        let Ok(line) = std::str::from_utf8(&buf) else {
            till.emit(TillEvent::error(
                "bad_command",
                "the line is not valid UTF-8",
            ));
            continue;
        };
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match Command::parse(line) {
            Ok(Command::Quit) => break,
            Ok(cmd) => till.execute(cmd).await,
            Err(e) => till.emit(TillEvent::error(e.code, e.message)),
        }
    }
    let _ = stop_tx.send(());
    let _ = writer.await;
}
