//! The headless face: the till driven by JSON lines. One command per line on stdin (see
//! [`Command::parse`]), one JSON event per line on stdout; logs go to stderr. Bad input gets an
//! `error` event and changes nothing; the driver never exits on bad input, only on `quit` or
//! the end of its input. The protocol is a contract: docs/PROTOCOL.md.
//!
//! Events are written to stdout by a thread of their own, fed through an unbounded queue in the
//! order they were emitted, one line and one flush each. A write to a pipe blocks when the
//! reader stops reading (the pipe's 64 KiB are full); done on the runtime's thread, that would
//! stop every actor — no sale, no ticket, no payment — until the reader woke up. Now only the
//! writer thread waits, and the events wait in memory. When stdout is closed (`BrokenPipe`)
//! the writer stops and the till goes on reading commands, as before.

use std::io::Write;
use std::sync::mpsc;

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt};
use tokio::sync::oneshot;

use crate::actors::basket::Refusal;
use crate::actors::command::MAX_LINE;
use crate::actors::{Command, Till, TillEvent};
use crate::i18n::Text;

/// Writes each event as one JSON line, flushed, until the queue closes or `out` fails.
fn write_events(mut out: impl Write, events: mpsc::Receiver<TillEvent>) {
    for ev in events {
        let mut line = match serde_json::to_string(&ev) {
            Ok(json) => json,
            Err(e) => {
                tracing::error!(error = %e, "event not serialisable");
                continue;
            }
        };
        line.push('\n');
        if let Err(e) = out.write_all(line.as_bytes()).and_then(|_| out.flush()) {
            tracing::warn!(error = %e, "cannot write to stdout (closed?): events are no longer written");
            return;
        }
    }
}

/// Reads commands from `input` until `quit` or end of input, writing events to `output`.
pub async fn drive<R, W>(till: Till, mut input: R, output: W)
where
    R: AsyncBufRead + Unpin,
    W: Write + Send + 'static,
{
    let mut events = till.subscribe();
    let (line_tx, line_rx) = mpsc::channel::<TillEvent>();
    let (written_tx, written_rx) = oneshot::channel::<()>();
    let spawned = std::thread::Builder::new()
        .name("kaching-stdout".into())
        .spawn(move || {
            write_events(output, line_rx);
            let _ = written_tx.send(());
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "cannot start the stdout writer");
        return;
    }
    let (stop_tx, mut stop_rx) = oneshot::channel::<()>();
    // Moves events from the hub to the writer's queue; never blocks (both queues are unbounded).
    let forward = tokio::task::spawn_local(async move {
        loop {
            tokio::select! {
                biased;
                ev = events.recv() => match ev {
                    Some(ev) => if line_tx.send(ev).is_err() { return },
                    None => return,
                },
                _ = &mut stop_rx => {
                    // Everything emitted before `quit` was already queued: pass it on and stop.
                    while let Ok(ev) = events.try_recv() {
                        if line_tx.send(ev).is_err() { return }
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
            till.refuse(&Refusal::says("bad_command", Text::msg("cmd-not-utf8")));
            continue;
        };
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match Command::parse(line) {
            Ok(Command::Quit) => break,
            Ok(cmd) => till.execute(cmd).await,
            // Said in the session's language (the till's before a login).
            Err(r) => till.refuse(&r),
        }
    }
    let _ = stop_tx.send(());
    let _ = forward.await;
    // The queue is closed: the writer writes what is left and ends (at once if stdout is gone).
    let _ = written_rx.await;
}
