//! The headless driver's command lines (`kaching till --headless`, docs/PROTOCOL.md): a line
//! of stdin as the driver treats it (not UTF-8: refused before the parser; trimmed; blank and
//! `#` lines skipped), then `Command::parse`.
//!
//! Properties: no panic; a refusal renders in every language without a missing message or a
//! Fluent error; a parsed command holds only valid values and round-trips (written back as a
//! command line, it parses to the same command); how the words are spaced and the verb's case
//! change nothing.

#![no_main]

use kaching::actors::command::{Command, DiscountTarget, DrawerCommand, MAX_LINE};
use kaching::domain::discount::DiscountRule;
use kaching::domain::refund::{RefundTender, TicketKey};
use kaching::i18n::{Lang, Text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = kaching_fuzz::take_errors();
    let Ok(line) = std::str::from_utf8(data) else {
        return;
    };
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return;
    }
    let parsed = Command::parse(line);
    match &parsed {
        Ok(cmd) => {
            check_values(cmd);
            if let Some(again) = to_line(cmd) {
                assert_eq!(
                    Command::parse(&again),
                    Ok(cmd.clone()),
                    "{line:?} parsed as {cmd:?}, written back as {again:?}"
                );
            }
        }
        Err(refusal) => {
            assert!(!refusal.code.is_empty());
            for lang in Lang::ALL {
                let message = refusal.message(lang);
                if let Text::Msg { id, .. } = &refusal.text {
                    assert_ne!(message, *id, "message {id} missing in {lang}");
                }
                assert!(
                    !message.trim().is_empty(),
                    "{line:?}: empty message in {lang}"
                );
            }
        }
    }
    let errors = kaching_fuzz::take_errors();
    assert!(errors.is_empty(), "{line:?} logged errors: {errors:?}");
    if line.len() <= MAX_LINE {
        let words: Vec<&str> = line.split_whitespace().collect();
        let spaced = words.join(" ");
        assert_eq!(Command::parse(&spaced), parsed, "{line:?} vs {spaced:?}");
        if let Some((verb, rest)) = words.split_first() {
            let shouted = std::iter::once(verb.to_ascii_uppercase())
                .chain(rest.iter().map(|w| (*w).to_owned()))
                .collect::<Vec<_>>()
                .join(" ");
            assert_eq!(Command::parse(&shouted), parsed, "{line:?} vs {shouted:?}");
        }
    }
});

/// What a parsed command may hold (docs/PROTOCOL.md).
fn check_values(cmd: &Command) {
    let word = |s: &str| !s.is_empty() && !s.chars().any(char::is_whitespace);
    let reason = |s: &str| !s.is_empty() && s.trim() == s && !s.chars().any(char::is_control);
    match cmd {
        Command::Login { id, pin } | Command::Approve { id, pin } => {
            assert!(word(id) && word(pin), "{cmd:?}")
        }
        Command::Scan(code) => assert!(word(code), "{cmd:?}"),
        Command::Qty { line, .. } | Command::Void { line } => assert!(*line >= 1, "{cmd:?}"),
        Command::Withdraw(m) => assert!(!m.is_negative(), "{cmd:?}"),
        Command::Pay { tendered, .. } => {
            assert!(tendered.is_none_or(|t| !t.is_negative()), "{cmd:?}")
        }
        Command::Drawer(DrawerCommand::Open(m) | DrawerCommand::Close(m)) => {
            assert!(!m.is_negative(), "{cmd:?}")
        }
        Command::Drawer(DrawerCommand::Move {
            amount, reason: r, ..
        }) => {
            assert!(amount.cents() > 0 && reason(r), "{cmd:?}")
        }
        Command::Discount {
            target,
            rule,
            reason: r,
        } => {
            if let DiscountTarget::Line(n) = target {
                assert!(*n >= 1, "{cmd:?}");
            }
            match rule {
                Some(DiscountRule::Percent(bp)) => assert!((1..=10_000).contains(bp), "{cmd:?}"),
                Some(DiscountRule::Amount(m)) => assert!(m.cents() > 0, "{cmd:?}"),
                Some(DiscountRule::Price(m)) => assert!(!m.is_negative(), "{cmd:?}"),
                Some(DiscountRule::Fixed(_)) => {
                    panic!("a typed line is never a fixed share: {cmd:?}")
                }
                None => {}
            }
            assert!(r.as_deref().is_none_or(reason), "{cmd:?}");
        }
        Command::RefundQty { line, qty } => {
            assert!(*line >= 1 && (0..=999).contains(qty), "{cmd:?}")
        }
        Command::RefundCommit { reason: r, .. } => assert!(reason(r), "{cmd:?}"),
        Command::Refund(TicketKey::Local(n)) => assert!(*n >= 1, "{cmd:?}"),
        Command::Refund(TicketKey::Ticket { till_id, ticket_no }) => {
            assert!(word(till_id) && *ticket_no >= 1, "{cmd:?}")
        }
        _ => {}
    }
}

/// The command written as a protocol line (`None` for a command this target does not know:
/// a newer variant).
fn to_line(cmd: &Command) -> Option<String> {
    let money = |m: &kaching::domain::Money| m.to_decimal_string();
    let with_reason = |head: String, reason: &Option<String>| match reason {
        Some(r) => format!("{head} {r}"),
        None => head,
    };
    Some(match cmd {
        Command::Login { id, pin } => format!("login {id} {pin}"),
        Command::Logout => "logout".into(),
        Command::Scan(code) => format!("scan {code}"),
        Command::Qty { line, qty } => format!("qty {line} {qty}"),
        Command::Void { line } => format!("void {line}"),
        Command::Withdraw(m) => format!("withdraw {}", money(m)),
        Command::Account(a) => format!("account {}", a.as_str()),
        Command::Pay {
            account,
            method,
            tendered,
        } => match tendered {
            Some(t) => format!("pay {} {} {}", account.as_str(), method.as_str(), money(t)),
            None => format!("pay {} {}", account.as_str(), method.as_str()),
        },
        Command::Accept => "accept".into(),
        Command::Cancel => "cancel".into(),
        Command::Reprint => "reprint".into(),
        Command::Status => "status".into(),
        Command::Language(l) => format!("lang {}", l.as_str()),
        Command::Drawer(DrawerCommand::Open(m)) => format!("drawer open {}", money(m)),
        Command::Drawer(DrawerCommand::Close(m)) => format!("drawer close {}", money(m)),
        Command::Drawer(DrawerCommand::Move {
            kind,
            amount,
            reason,
        }) => format!("drawer {} {} {reason}", kind.as_str(), money(amount)),
        Command::ReportX => "report x".into(),
        Command::Discount {
            target,
            rule,
            reason,
        } => {
            let target = match target {
                DiscountTarget::Line(n) => n.to_string(),
                DiscountTarget::Basket => "basket".into(),
            };
            let head = match rule {
                None => format!("discount {target} off"),
                Some(DiscountRule::Percent(bp)) => {
                    format!("discount {target} {}.{:02}%", bp / 100, bp % 100)
                }
                Some(DiscountRule::Amount(m)) => format!("discount {target} {}", money(m)),
                Some(DiscountRule::Price(m)) => format!("price {target} {}", money(m)),
                Some(DiscountRule::Fixed(_)) => return None,
            };
            with_reason(head, reason)
        }
        Command::Approve { id, pin } => format!("approve {id} {pin}"),
        Command::Refund(TicketKey::Local(n)) => format!("refund {n}"),
        Command::Refund(TicketKey::Ticket { till_id, ticket_no }) => {
            format!("refund {till_id}/{ticket_no}")
        }
        Command::Refund(TicketKey::SaleId(id)) => format!("refund {id}"),
        Command::RefundQty { line, qty } => format!("refund_qty {line} {qty}"),
        Command::RefundCommit { tender, reason } => {
            let tender = match tender {
                RefundTender::Cash => "cash",
                RefundTender::Original => "original",
            };
            format!("refund_commit {tender} {reason}")
        }
        Command::RefundCancel => "refund_cancel".into(),
        Command::Quit => "quit".into(),
        #[allow(unreachable_patterns)]
        _ => return None,
    })
}
