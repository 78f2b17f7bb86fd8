//! The texts that follow the state — totals, the account's name, the payment's state, the
//! status bar — computed when drawn, in the model's language of the moment (so a change of
//! language redraws them all).

use super::{AmountFor, Field, Model, Network, PayState, PrinterState, Screen};
use crate::domain::Account;
use crate::i18n::{Arg, Lang};

impl Model {
    pub fn account_name(&self, a: Account) -> String {
        self.t(match a {
            Account::Main => "gui-account-main",
            Account::Sub => "gui-account-sub",
        })
    }

    pub fn seller_text(&self) -> String {
        if self.seller.is_empty() {
            String::new()
        } else {
            self.ta("gui-seller", &[("name", self.seller.as_str().into())])
        }
    }

    pub fn main_total_text(&self) -> String {
        self.ta("gui-total-main", &[("amount", self.main_total.into())])
    }

    pub fn sub_total_text(&self) -> String {
        self.ta("gui-total-sub", &[("amount", self.sub_total.into())])
    }

    pub fn total_text(&self) -> String {
        self.money(match self.account {
            Account::Main => self.main_total,
            Account::Sub => self.sub_total,
        })
    }

    /// The account switch's label: to the sub-account, or back to the main basket.
    pub fn switch_text(&self) -> String {
        self.t(match self.account {
            Account::Main => "gui-till-to-sub",
            Account::Sub => "gui-till-to-main",
        })
    }

    pub fn pay_status_text(&self) -> String {
        let id = match self.payment.as_ref().map(|p| p.state) {
            Some(PayState::Accepted) => "gui-pay-accepted",
            Some(PayState::Cancelling) => "gui-pay-cancelling",
            Some(PayState::PaidAfterCancel) => "gui-pay-paid-after-cancel",
            Some(PayState::Pending) | None => "gui-pay-pending",
        };
        self.t(id)
    }

    /// The amount keypad's display: what was typed, as an amount.
    pub fn amount_text(&self) -> String {
        let typed = if self.amount.text.is_empty() {
            "0,00".to_owned()
        } else {
            self.amount.text.clone()
        };
        match self.lang {
            Lang::En => format!("€{}", typed.replace(',', ".")),
            Lang::Fr | Lang::Nl => format!("{typed} €"),
        }
    }

    pub fn amount_title(&self) -> String {
        let account = match self.amount.purpose {
            AmountFor::Withdraw => return self.t("gui-withdraw-title"),
            AmountFor::Drawer(crate::domain::drawer::MoveKind::In) => {
                return self.t("gui-drawer-in-title");
            }
            AmountFor::Drawer(crate::domain::drawer::MoveKind::Out) => {
                return self.t("gui-drawer-out-title");
            }
            AmountFor::Cash(a) => a,
        };
        let total = match account {
            Account::Main => self.main_total,
            Account::Sub => self.sub_total,
        };
        // Belgian rounding: the customer pays the rounded amount in cash.
        let due = if self.cash_rounding {
            total.round_to_5_cents().unwrap_or(total)
        } else {
            total
        };
        match (account, due == total) {
            (Account::Main, true) => self.t("gui-cash-title-main"),
            (Account::Sub, true) => self.t("gui-cash-title-sub"),
            (Account::Main, false) => self.ta("gui-cash-due-main", &[("due", due.into())]),
            (Account::Sub, false) => self.ta("gui-cash-due-sub", &[("due", due.into())]),
        }
    }

    pub fn choose_text(&self, a: Account) -> String {
        match a {
            Account::Main => self.ta("gui-choose-main", &[("amount", self.main_total.into())]),
            Account::Sub => self.ta("gui-choose-sub", &[("amount", self.sub_total.into())]),
        }
    }

    /// What the on-screen keyboard shows of the field it types into.
    pub fn kbd_preview(&self) -> String {
        let Some(f) = self.kbd_target else {
            return String::new();
        };
        let v = self.fields.text(f);
        let shown = if f == Field::StaffPin {
            "•".repeat(v.chars().count())
        } else {
            v.to_owned()
        };
        format!("{shown}▏")
    }

    pub fn network_text(&self) -> String {
        match self.network {
            Network::Unknown => String::new(),
            Network::Standalone => self.t("gui-net-standalone"),
            Network::Unusable => self.t("gui-net-unusable"),
            Network::Sync {
                online,
                pending,
                parked,
            } => {
                let p = [("pending", Arg::Num(pending))];
                let text = match online {
                    Some(true) if pending == 0 => self.t("gui-net-online"),
                    Some(true) => self.ta("gui-net-online-pending", &p),
                    Some(false) => self.ta("gui-net-offline", &p),
                    None => self.ta("gui-net-connecting", &p),
                };
                if parked > 0 {
                    self.ta(
                        "gui-net-parked",
                        &[("text", text.into()), ("parked", Arg::Num(parked))],
                    )
                } else {
                    text
                }
            }
        }
    }

    pub fn printer_text(&self) -> String {
        match &self.printer {
            PrinterState::Unknown => String::new(),
            PrinterState::Ready => self.t("gui-printer-ready"),
            PrinterState::Printed => self.t("gui-printer-ok"),
            PrinterState::Failed { queue, .. } if *queue > 0 => {
                self.ta("gui-printer-failed-queue", &[("count", Arg::Num(*queue))])
            }
            PrinterState::Failed { .. } => self.t("gui-printer-failed"),
        }
    }

    pub fn banner_text(&self) -> String {
        if let Some(problem) = &self.scanner_problem {
            return self.ta("gui-scanner", &[("message", problem.as_str().into())]);
        }
        if self.clock_warning {
            return self.t("gui-clock-warning");
        }
        match &self.closing_at {
            Some(at) if self.screen != Screen::Login => {
                self.ta("gui-closing-at", &[("time", at.as_str().into())])
            }
            _ => String::new(),
        }
    }

    pub fn clock_text(&self) -> String {
        self.now.format("%H:%M").to_string()
    }

    pub fn local_hm(&self, instant: &str) -> String {
        chrono::DateTime::parse_from_rfc3339(instant)
            .map(|t| t.with_timezone(&self.tz).format("%H:%M").to_string())
            .unwrap_or_else(|_| instant.to_owned())
    }
}
