//! What the faces ask of the runtime: [`Command`], and its text form (the headless protocol's
//! command lines, also used by the GUI's debug console). Parsed at the edge: a `Command` only
//! holds valid values; a bad line becomes a [`CommandError`] with a code and a message.

use super::basket::Refusal;
use crate::domain::{Account, Money, PaymentMethod};
use crate::i18n::Text;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Login {
        id: String,
        pin: String,
    },
    Logout,
    Scan(String),
    Qty {
        line: usize,
        qty: i64,
    },
    Void {
        line: usize,
    },
    Withdraw(Money),
    Account(Account),
    Pay {
        account: Account,
        method: PaymentMethod,
        tendered: Option<Money>,
    },
    Accept,
    Cancel,
    /// Print the last ticket again, marked DUPLICATA.
    Reprint,
    Status,
    /// Speak `fr`, `nl` or `en` from now on (until the next logout).
    Language(crate::i18n::Lang),
    Drawer(DrawerCommand),
    /// The open drawer session's X report (so far).
    ReportX,
    Quit,
}

/// `drawer open|in|out|close …`: amounts and reasons already checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrawerCommand {
    /// Opens a session with the counted float.
    Open(Money),
    /// Cash put in or taken out, with a reason.
    Move {
        kind: crate::domain::drawer::MoveKind,
        amount: Money,
        reason: String,
    },
    /// Closes the session with the counted cash: the Z report.
    Close(Money),
}

/// Why a drawer amount or reason is refused, in words (the headless driver's `error` and the
/// screen's messages say the same).
pub fn drawer_input_text(e: crate::domain::drawer::DrawerInputError) -> Text {
    use crate::domain::drawer::DrawerInputError as E;
    let id = match e {
        E::NotPositive => "drawer-amount-not-positive",
        E::TooLarge => "drawer-amount-too-large",
        E::Negative => "drawer-amount-negative",
        E::NoReason => "drawer-no-reason",
        E::BadReason => "drawer-bad-reason",
    };
    Text::msg(id)
        .arg("max", crate::domain::drawer::MAX_DRAWER_AMOUNT)
        .arg("chars", crate::domain::drawer::MAX_REASON as i64)
}

fn drawer_input(e: crate::domain::drawer::DrawerInputError) -> Refusal {
    use crate::domain::drawer::DrawerInputError as E;
    let code = if matches!(e, E::NoReason | E::BadReason) {
        "bad_reason"
    } else {
        "bad_amount"
    };
    err(code, drawer_input_text(e))
}

fn parse_drawer(args: &[&str]) -> Result<DrawerCommand, Refusal> {
    use crate::domain::drawer::{counted_amount, move_amount, reason};
    let usage = || {
        err(
            "bad_arguments",
            Text::msg("cmd-usage").arg(
                "usage",
                "drawer open <float> | drawer in <amount> <reason> | drawer out <amount> <reason> | drawer close <counted>",
            ),
        )
    };
    let (&sub, rest) = args.split_first().ok_or_else(usage)?;
    match (sub.to_ascii_lowercase().as_str(), rest) {
        ("open", [amount]) => Ok(DrawerCommand::Open(
            counted_amount(parse_amount(amount)?).map_err(drawer_input)?,
        )),
        ("close", [amount]) => Ok(DrawerCommand::Close(
            counted_amount(parse_amount(amount)?).map_err(drawer_input)?,
        )),
        (kind @ ("in" | "out"), [amount, words @ ..]) => {
            let amount = move_amount(parse_amount(amount)?).map_err(drawer_input)?;
            let reason = reason(&words.join(" ")).map_err(drawer_input)?;
            let kind = if kind == "in" {
                crate::domain::drawer::MoveKind::In
            } else {
                crate::domain::drawer::MoveKind::Out
            };
            Ok(DrawerCommand::Move {
                kind,
                amount,
                reason,
            })
        }
        _ => Err(usage()),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CommandError {
    pub code: &'static str,
    pub message: String,
}

/// A line the parser refuses: its code, and what to say in the person's language.
fn err(code: &'static str, text: Text) -> Refusal {
    Refusal::says(code, text)
}

/// The longest command line accepted (a scan is at most a few dozen characters).
pub const MAX_LINE: usize = 1024;

fn parse_line_no(s: &str) -> Result<usize, Refusal> {
    s.parse::<usize>()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| err("bad_line", Text::msg("cmd-bad-line").arg("value", s)))
}

fn parse_amount(s: &str) -> Result<Money, Refusal> {
    Money::parse(s).map_err(|e| err("bad_amount", e.text()))
}

impl Command {
    /// One protocol line; a refusal says why in the language it is rendered in.
    pub fn parse(line: &str) -> Result<Command, Refusal> {
        if line.len() > MAX_LINE {
            return Err(err(
                "bad_command",
                Text::msg("cmd-too-long").arg("max", MAX_LINE as i64),
            ));
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some((&verb, args)) = words.split_first() else {
            return Err(err("bad_command", Text::msg("cmd-empty")));
        };
        let arity = |n: usize, usage: &str| {
            if args.len() == n {
                Ok(())
            } else {
                Err(err(
                    "bad_arguments",
                    Text::msg("cmd-usage").arg("usage", usage),
                ))
            }
        };
        match verb.to_ascii_lowercase().as_str() {
            "login" => {
                arity(2, "login <id> <pin>")?;
                Ok(Command::Login {
                    id: args[0].to_owned(),
                    pin: args[1].to_owned(),
                })
            }
            "logout" => arity(0, "logout").map(|_| Command::Logout),
            "scan" => {
                arity(1, "scan <code>")?;
                Ok(Command::Scan(args[0].to_owned()))
            }
            "qty" => {
                arity(2, "qty <line> <n>")?;
                let line = parse_line_no(args[0])?;
                let qty = args[1].parse::<i64>().map_err(|_| {
                    err(
                        "bad_quantity",
                        Text::msg("cmd-bad-qty").arg("value", args[1]),
                    )
                })?;
                Ok(Command::Qty { line, qty })
            }
            "void" => {
                arity(1, "void <line>")?;
                Ok(Command::Void {
                    line: parse_line_no(args[0])?,
                })
            }
            "withdraw" => {
                arity(1, "withdraw <amount>")?;
                Ok(Command::Withdraw(parse_amount(args[0])?))
            }
            "account" => {
                arity(1, "account main|sub")?;
                let a = Account::parse(args[0]).ok_or_else(|| {
                    err("bad_account", Text::msg("cmd-bad-account").arg("value", args[0]))
                })?;
                Ok(Command::Account(a))
            }
            "pay" => {
                if args.is_empty() || args.len() > 3 {
                    return Err(err(
                        "bad_arguments",
                        Text::msg("cmd-usage").arg("usage", "pay <main|sub> [qr|cash [tendered]]"),
                    ));
                }
                let account = Account::parse(args[0]).ok_or_else(|| {
                    err("bad_account", Text::msg("cmd-bad-account").arg("value", args[0]))
                })?;
                let method = match args.get(1) {
                    None => PaymentMethod::Qr,
                    Some(m) => PaymentMethod::parse(m)
                        .ok_or_else(|| {
                            err("bad_method", Text::msg("cmd-bad-method").arg("value", *m))
                        })?,
                };
                let tendered = match args.get(2) {
                    None => None,
                    Some(_) if method == PaymentMethod::Qr => {
                        return Err(err("bad_arguments", Text::msg("cmd-tendered-cash-only")));
                    }
                    Some(t) => Some(parse_amount(t)?),
                };
                Ok(Command::Pay {
                    account,
                    method,
                    tendered,
                })
            }
            "accept" => arity(0, "accept").map(|_| Command::Accept),
            "cancel" => arity(0, "cancel").map(|_| Command::Cancel),
            "status" => arity(0, "status").map(|_| Command::Status),
            "reprint" => arity(0, "reprint").map(|_| Command::Reprint),
            "quit" | "exit" => arity(0, "quit").map(|_| Command::Quit),
            "drawer" => parse_drawer(args).map(Command::Drawer),
            "report" => {
                arity(1, "report x")?;
                if args[0].eq_ignore_ascii_case("x") {
                    Ok(Command::ReportX)
                } else {
                    Err(err(
                        "bad_arguments",
                        Text::msg("cmd-usage").arg("usage", "report x"),
                    ))
                }
            }
            "lang" => {
                arity(1, "lang <fr|nl|en>")?;
                crate::i18n::Lang::parse(args[0])
                    .map(Command::Language)
                    .map_err(|_| err("bad_arguments", Text::msg("cmd-bad-lang").arg("value", args[0])))
            }
            other => Err(err(
                "unknown_command",
                Text::msg("cmd-unknown").arg("verb", other).arg(
                    "verbs",
                    "login, logout, scan, qty, void, withdraw, account, pay, accept, cancel, reprint, drawer, report, status, lang, quit",
                ),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drawer_lines_are_parsed_and_bad_ones_refused() {
        assert_eq!(
            Command::parse("drawer open 150"),
            Ok(Command::Drawer(DrawerCommand::Open(Money::from_cents(
                15000
            ))))
        );
        assert_eq!(
            Command::parse("drawer out 100  banque du  lundi"),
            Ok(Command::Drawer(DrawerCommand::Move {
                kind: crate::domain::drawer::MoveKind::Out,
                amount: Money::from_cents(10000),
                reason: "banque du lundi".into()
            }))
        );
        assert_eq!(
            Command::parse("drawer close 0"),
            Ok(Command::Drawer(DrawerCommand::Close(Money::ZERO)))
        );
        assert_eq!(Command::parse("report x"), Ok(Command::ReportX));
        for (line, code) in [
            ("drawer in 20", "bad_reason"),
            ("drawer in 0 monnaie", "bad_amount"),
            ("drawer out -5 banque", "bad_amount"),
            ("drawer out 100001 banque", "bad_amount"),
            ("drawer open -1", "bad_amount"),
            ("drawer open abc", "bad_amount"),
            ("drawer", "bad_arguments"),
            ("drawer shut 5", "bad_arguments"),
            ("report z", "bad_arguments"),
        ] {
            assert_eq!(
                Command::parse(line).map_err(|r| r.code),
                Err(code),
                "{line}"
            );
        }
    }

    #[test]
    fn parses_the_protocol_commands() {
        assert_eq!(
            Command::parse("login 14 1414"),
            Ok(Command::Login {
                id: "14".into(),
                pin: "1414".into()
            })
        );
        assert_eq!(
            Command::parse("  scan   1234 "),
            Ok(Command::Scan("1234".into()))
        );
        assert_eq!(
            Command::parse("qty 2 3"),
            Ok(Command::Qty { line: 2, qty: 3 })
        );
        assert_eq!(
            Command::parse("withdraw 15,00"),
            Ok(Command::Withdraw(Money::from_cents(1500)))
        );
        assert_eq!(
            Command::parse("account sub"),
            Ok(Command::Account(Account::Sub))
        );
        assert_eq!(
            Command::parse("pay main"),
            Ok(Command::Pay {
                account: Account::Main,
                method: PaymentMethod::Qr,
                tendered: None
            })
        );
        assert_eq!(
            Command::parse("pay sub cash 20"),
            Ok(Command::Pay {
                account: Account::Sub,
                method: PaymentMethod::Cash,
                tendered: Some(Money::from_cents(2000))
            })
        );
        assert_eq!(Command::parse("QUIT"), Ok(Command::Quit));
    }

    #[test]
    fn bad_lines_get_a_code() {
        let code = |s: &str| Command::parse(s).unwrap_err().code;
        assert_eq!(code(""), "bad_command");
        assert_eq!(code("dance"), "unknown_command");
        assert_eq!(code("scan"), "bad_arguments");
        assert_eq!(code("withdraw -5"), "bad_amount");
        assert_eq!(code("withdraw abc"), "bad_amount");
        assert_eq!(code("qty 1 x"), "bad_quantity");
        assert_eq!(code("qty 1 99999999999999999999"), "bad_quantity");
        assert_eq!(code("qty 0 1"), "bad_line");
        assert_eq!(code("void -1"), "bad_line");
        assert_eq!(code("pay both"), "bad_account");
        assert_eq!(code("pay main card"), "bad_method");
        assert_eq!(code("pay main qr 20"), "bad_arguments");
        assert_eq!(code("pay main cash 1.234"), "bad_amount");
        assert_eq!(code(&"x".repeat(2000)), "bad_command");
    }
}
