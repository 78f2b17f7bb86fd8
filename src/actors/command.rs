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
    /// A discount on a line or the current basket, or a line's new price; `reason` is required
    /// when a manager must approve it.
    Discount {
        target: DiscountTarget,
        rule: Option<crate::domain::discount::DiscountRule>,
        reason: Option<String>,
    },
    /// A manager's ID and PIN for the action waiting on `approval_needed`.
    Approve {
        id: String,
        pin: String,
    },
    /// Starts a return: finds the ticket and lists what can be returned.
    Refund(crate::domain::refund::TicketKey),
    /// Picks `qty` (0 to unpick) of the original ticket's line `line`.
    RefundQty {
        line: u32,
        qty: i64,
    },
    /// Records the credit note of the picked lines.
    RefundCommit {
        tender: crate::domain::refund::RefundTender,
        reason: String,
    },
    RefundCancel,
    Quit,
}

/// What a discount applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscountTarget {
    Line(usize),
    Basket,
}

/// Why a discount is refused, in words and with its code.
pub fn discount_refusal(e: crate::domain::discount::DiscountError) -> Refusal {
    use crate::domain::discount::DiscountError as E;
    match e {
        E::BadPercent => err("bad_percent", Text::msg("discount-bad-percent")),
        E::NotPositive => err("bad_amount", Text::msg("discount-not-positive")),
        E::AboveLine { discount, of } => err(
            "discount_too_large",
            Text::msg("discount-above-line")
                .arg("discount", discount)
                .arg("of", of),
        ),
        E::BadPrice { list } => err(
            "bad_price",
            Text::msg("discount-bad-price").arg("list", list),
        ),
        E::Withdrawal => err("not_discountable", Text::msg("discount-withdrawal")),
        E::NothingToDiscount => err("not_discountable", Text::msg("discount-nothing")),
    }
}

/// `10%`, `12,5%` (a percentage) or `1,50` (an amount).
fn parse_discount_rule(s: &str) -> Result<crate::domain::discount::DiscountRule, Refusal> {
    use crate::domain::discount::{DiscountRule, parse_percent};
    if let Some(p) = s.strip_suffix('%') {
        return parse_percent(p)
            .map(DiscountRule::Percent)
            .map_err(discount_refusal);
    }
    let amount = parse_amount(s)?;
    if amount <= Money::ZERO {
        return Err(discount_refusal(
            crate::domain::discount::DiscountError::NotPositive,
        ));
    }
    Ok(DiscountRule::Amount(amount))
}

/// The words after the amount: a reason, or none.
fn optional_reason(words: &[&str]) -> Result<Option<String>, Refusal> {
    if words.is_empty() {
        return Ok(None);
    }
    crate::domain::refund::reason(&words.join(" "))
        .map(Some)
        .ok_or_else(|| {
            err(
                "bad_reason",
                Text::msg("refund-bad-reason")
                    .arg("chars", crate::domain::refund::MAX_REASON as i64),
            )
        })
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
            "discount" => {
                let usage = || {
                    err(
                        "bad_arguments",
                        Text::msg("cmd-usage").arg(
                            "usage",
                            "discount <line|basket> <n%|amount|off> [reason]",
                        ),
                    )
                };
                let [target, value, reason @ ..] = args else {
                    return Err(usage());
                };
                let target = if target.eq_ignore_ascii_case("basket") {
                    DiscountTarget::Basket
                } else {
                    DiscountTarget::Line(parse_line_no(target)?)
                };
                let rule = if value.eq_ignore_ascii_case("off") {
                    None
                } else {
                    Some(parse_discount_rule(value)?)
                };
                Ok(Command::Discount {
                    target,
                    rule,
                    reason: optional_reason(reason)?,
                })
            }
            "price" => {
                let [line, value, reason @ ..] = args else {
                    return Err(err(
                        "bad_arguments",
                        Text::msg("cmd-usage").arg("usage", "price <line> <new unit price> <reason>"),
                    ));
                };
                let price = parse_amount(value)?;
                Ok(Command::Discount {
                    target: DiscountTarget::Line(parse_line_no(line)?),
                    rule: Some(crate::domain::discount::DiscountRule::Price(price)),
                    reason: optional_reason(reason)?,
                })
            }
            "approve" => {
                arity(2, "approve <id> <pin>")?;
                Ok(Command::Approve {
                    id: args[0].to_owned(),
                    pin: args[1].to_owned(),
                })
            }
            "refund" => {
                arity(1, "refund <ticket_no | till_id/ticket_no | sale id>")?;
                crate::domain::refund::TicketKey::parse(args[0])
                    .map(Command::Refund)
                    .ok_or_else(|| err("bad_ticket", Text::msg("refund-bad-ticket").arg("value", args[0])))
            }
            "refund_qty" => {
                arity(2, "refund_qty <line> <n>")?;
                let line = parse_line_no(args[0])?;
                let line = u32::try_from(line)
                    .map_err(|_| err("bad_line", Text::msg("cmd-bad-line").arg("value", args[0])))?;
                let qty = args[1]
                    .parse::<i64>()
                    .ok()
                    .filter(|q| (0..=crate::domain::basket::MAX_QTY).contains(q))
                    .ok_or_else(|| {
                        err("bad_quantity", Text::msg("refund-bad-qty").arg("value", args[1]))
                    })?;
                Ok(Command::RefundQty { line, qty })
            }
            "refund_commit" => {
                let [tender, reason @ ..] = args else {
                    return Err(err(
                        "bad_arguments",
                        Text::msg("cmd-usage").arg("usage", "refund_commit <cash|original> <reason>"),
                    ));
                };
                let tender = crate::domain::refund::RefundTender::parse(tender).ok_or_else(|| {
                    err("bad_method", Text::msg("cmd-bad-method").arg("value", *tender))
                })?;
                let reason = optional_reason(reason)?.ok_or_else(|| {
                    err(
                        "bad_reason",
                        Text::msg("refund-bad-reason")
                            .arg("chars", crate::domain::refund::MAX_REASON as i64),
                    )
                })?;
                Ok(Command::RefundCommit { tender, reason })
            }
            "refund_cancel" => arity(0, "refund_cancel").map(|_| Command::RefundCancel),
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
                    "login, logout, scan, qty, void, withdraw, discount, price, approve, account, pay, accept, cancel, refund, refund_qty, refund_commit, refund_cancel, reprint, drawer, report, status, lang, quit",
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
    fn discounts_approvals_and_returns_are_parsed_and_bad_ones_refused() {
        use crate::domain::discount::DiscountRule;
        use crate::domain::refund::{RefundTender, TicketKey};
        assert_eq!(
            Command::parse("discount 2 10%"),
            Ok(Command::Discount {
                target: DiscountTarget::Line(2),
                rule: Some(DiscountRule::Percent(1000)),
                reason: None
            })
        );
        assert_eq!(
            Command::parse("discount basket 1,50 client fidèle"),
            Ok(Command::Discount {
                target: DiscountTarget::Basket,
                rule: Some(DiscountRule::Amount(Money::from_cents(150))),
                reason: Some("client fidèle".into())
            })
        );
        assert_eq!(
            Command::parse("price 1 0,99 abîmé"),
            Ok(Command::Discount {
                target: DiscountTarget::Line(1),
                rule: Some(DiscountRule::Price(Money::from_cents(99))),
                reason: Some("abîmé".into())
            })
        );
        assert_eq!(
            Command::parse("discount 1 off"),
            Ok(Command::Discount {
                target: DiscountTarget::Line(1),
                rule: None,
                reason: None
            })
        );
        assert_eq!(
            Command::parse("approve 1 1234"),
            Ok(Command::Approve {
                id: "1".into(),
                pin: "1234".into()
            })
        );
        assert_eq!(
            Command::parse("refund 12"),
            Ok(Command::Refund(TicketKey::Local(12)))
        );
        assert_eq!(
            Command::parse("refund_qty 2 1"),
            Ok(Command::RefundQty { line: 2, qty: 1 })
        );
        assert_eq!(
            Command::parse("refund_commit original cassé"),
            Ok(Command::RefundCommit {
                tender: RefundTender::Original,
                reason: "cassé".into()
            })
        );
        let code = |s: &str| Command::parse(s).unwrap_err().code;
        for (line, c) in [
            ("discount 1 101%", "bad_percent"),
            ("discount 1 0%", "bad_percent"),
            ("discount 1 -5%", "bad_percent"),
            ("discount 1 -1,50", "bad_amount"),
            ("discount 1 0", "bad_amount"),
            ("discount 0 10%", "bad_line"),
            ("discount 1", "bad_arguments"),
            ("price 1 -1", "bad_amount"),
            ("approve 1", "bad_arguments"),
            ("refund abc", "bad_ticket"),
            ("refund 0", "bad_ticket"),
            ("refund", "bad_arguments"),
            ("refund_qty 1 -1", "bad_quantity"),
            ("refund_qty 1 1000", "bad_quantity"),
            ("refund_qty 1 x", "bad_quantity"),
            ("refund_commit card oops", "bad_method"),
            ("refund_commit cash", "bad_reason"),
        ] {
            assert_eq!(code(line), c, "{line}");
        }
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
