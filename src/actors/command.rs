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
    Quit,
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
                    "login, logout, scan, qty, void, withdraw, account, pay, accept, cancel, reprint, status, lang, quit",
                ),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
