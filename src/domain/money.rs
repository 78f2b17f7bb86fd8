//! Money: an integer number of euro cents with checked arithmetic.
//!
//! No float ever touches an amount. Amounts are parsed once at the edge (`15`, `15.00`, `15,00`)
//! and formatted only at the edge (`18,70 €` for people, `18.70` for CSV).

use std::fmt;
use std::iter::Sum;

use serde::{Deserialize, Serialize};

/// An amount of money in euro cents. May be negative only as the result of arithmetic (a
/// refund, a difference); [`Money::parse`] only ever yields amounts ≥ 0.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(i64);

/// The largest amount a person may type: 1 000 000,00 €. Anything above is a typing error.
pub const MAX_TYPED: Money = Money(100_000_000);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("empty amount")]
    Empty,
    #[error("'{0}' is not an amount (use 15, 15.00 or 15,00)")]
    Malformed(String),
    #[error("'{0}' is negative; amounts are positive")]
    Negative(String),
    #[error("'{0}' has more than two decimals")]
    TooPrecise(String),
    #[error("'{0}' is too large (at most 1000000,00 €)")]
    TooLarge(String),
    #[error("amount overflow")]
    Overflow,
}

impl MoneyError {
    /// What to tell a person, in their language (the `Display` text is for logs).
    pub fn text(&self) -> crate::i18n::Text {
        use crate::i18n::Text;
        match self {
            MoneyError::Empty => Text::msg("money-empty"),
            MoneyError::Malformed(v) => Text::msg("money-malformed").arg("value", v.as_str()),
            MoneyError::Negative(v) => Text::msg("money-negative").arg("value", v.as_str()),
            MoneyError::TooPrecise(v) => Text::msg("money-too-precise").arg("value", v.as_str()),
            MoneyError::TooLarge(v) => Text::msg("money-too-large").arg("value", v.as_str()),
            MoneyError::Overflow => Text::msg("money-overflow"),
        }
    }
}

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_cents(cents: i64) -> Money {
        Money(cents)
    }

    pub const fn cents(self) -> i64 {
        self.0
    }

    /// Parses what a person or a CSV file writes: `15`, `15.5`, `15.00`, `15,00`, ` 1,20 `.
    /// Rejects signs, exponents, thousands separators, more than two decimals and absurd sizes.
    pub fn parse(input: &str) -> Result<Money, MoneyError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(MoneyError::Empty);
        }
        if s.starts_with('-') {
            return Err(MoneyError::Negative(s.to_owned()));
        }
        let (int_part, frac_part) = match s.find(['.', ',']) {
            Some(pos) => (&s[..pos], Some(&s[pos + 1..])),
            None => (s, None),
        };
        let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(int_part) {
            return Err(MoneyError::Malformed(s.to_owned()));
        }
        let frac_cents = match frac_part {
            None => 0,
            Some(f) if !all_digits(f) => return Err(MoneyError::Malformed(s.to_owned())),
            Some(f) if f.len() > 2 => return Err(MoneyError::TooPrecise(s.to_owned())),
            Some(f) => {
                let v: i64 = f.parse().map_err(|_| MoneyError::Malformed(s.to_owned()))?;
                if f.len() == 1 { v * 10 } else { v }
            }
        };
        if int_part.len() > 12 {
            return Err(MoneyError::TooLarge(s.to_owned()));
        }
        let units: i64 = int_part
            .parse()
            .map_err(|_| MoneyError::Malformed(s.to_owned()))?;
        let cents = units
            .checked_mul(100)
            .and_then(|c| c.checked_add(frac_cents))
            .ok_or(MoneyError::Overflow)?;
        let money = Money(cents);
        if money > MAX_TYPED {
            return Err(MoneyError::TooLarge(s.to_owned()));
        }
        Ok(money)
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    pub fn checked_mul(self, qty: i64) -> Option<Money> {
        self.0.checked_mul(qty).map(Money)
    }

    /// [`Money::is_zero`] for serde's `skip_serializing_if`.
    pub fn is_zero_ref(&self) -> bool {
        self.0 == 0
    }
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// `18.70`: the machine form, for CSV files and the ticket's columns.
    pub fn to_decimal_string(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }

    /// The amount a customer pays in cash in Belgium (law of 2 May 2019, since 1 December
    /// 2019): rounded to the nearest 0,05 € — …1, …2 → …0; …3, …4, …6, …7 → …5; …8, …9 → the
    /// next …0. Symmetric for a negative amount (a cash refund is rounded like the sale it
    /// gives back). Only cash is rounded; `None` on overflow.
    pub fn round_to_5_cents(self) -> Option<Money> {
        if self.0 < 0 {
            // Mirror: -1,23 € is rounded as 1,23 € is, then negated.
            let mirrored = Money(self.0.checked_neg()?).round_to_5_cents()?;
            return Some(Money(-mirrored.0));
        }
        let r = self.0 % 5;
        let down = self.0 - r;
        // 1 and 2 go down, 3 and 4 up to the next multiple of 5.
        if r <= 2 {
            Some(Money(down))
        } else {
            down.checked_add(5).map(Money)
        }
    }

    /// Sums a sequence of amounts; `None` on overflow.
    pub fn checked_sum<I: IntoIterator<Item = Money>>(items: I) -> Option<Money> {
        items
            .into_iter()
            .try_fold(Money::ZERO, |acc, m| acc.checked_add(m))
    }
}

/// `18,70 €`: the human form (French/Belgian decimal comma).
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} €", self.to_decimal_string().replace('.', ","))
    }
}

/// Saturating sum for report totals that are already bounded by the ledger's checks.
impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.fold(0i64, |acc, m| acc.saturating_add(m.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cash_is_rounded_to_the_nearest_five_cents_the_belgian_way() {
        let r = |c: i64| Money::from_cents(c).round_to_5_cents().unwrap().cents();
        // Every last digit, as the law lists them.
        for (cents, rounded) in [
            (120, 120),
            (121, 120),
            (122, 120),
            (123, 125),
            (124, 125),
            (125, 125),
            (126, 125),
            (127, 125),
            (128, 130),
            (129, 130),
            (0, 0),
            (1, 0),
            (3, 5),
            (99_999_998, 100_000_000),
        ] {
            assert_eq!(r(cents), rounded, "{cents}");
        }
        // A refund is rounded as the sale it mirrors.
        for c in 0..200 {
            assert_eq!(r(-c), -r(c), "{c}");
        }
        assert_eq!(Money::from_cents(i64::MIN).round_to_5_cents(), None);
    }

    #[test]
    fn parses_the_three_ways_people_write_amounts() {
        assert_eq!(Money::parse("15"), Ok(Money(1500)));
        assert_eq!(Money::parse("15.00"), Ok(Money(1500)));
        assert_eq!(Money::parse("15,00"), Ok(Money(1500)));
        assert_eq!(Money::parse(" 1,2 "), Ok(Money(120)));
        assert_eq!(Money::parse("0.05"), Ok(Money(5)));
        assert_eq!(Money::parse("007,10"), Ok(Money(710)));
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        for bad in [
            "", " ", "abc", "1.2.3", "1,234.5", "1e3", "+5", ".5", "5.", "1 000", "NaN", "١٢",
        ] {
            assert!(Money::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(matches!(Money::parse("-3"), Err(MoneyError::Negative(_))));
        assert!(matches!(
            Money::parse("1.234"),
            Err(MoneyError::TooPrecise(_))
        ));
        assert!(matches!(
            Money::parse("99999999999999999999"),
            Err(MoneyError::TooLarge(_))
        ));
        assert!(matches!(
            Money::parse("1000000.01"),
            Err(MoneyError::TooLarge(_))
        ));
        assert_eq!(Money::parse("1000000"), Ok(MAX_TYPED));
    }

    #[test]
    fn formats_for_people_and_for_files() {
        assert_eq!(Money(1870).to_string(), "18,70 €");
        assert_eq!(Money(5).to_string(), "0,05 €");
        assert_eq!(Money(-300).to_string(), "-3,00 €");
        assert_eq!(Money(120).to_decimal_string(), "1.20");
    }

    #[test]
    fn arithmetic_is_checked() {
        assert_eq!(Money(i64::MAX).checked_add(Money(1)), None);
        assert_eq!(Money(i64::MAX).checked_mul(2), None);
        assert_eq!(Money::checked_sum([Money(1), Money(2)]), Some(Money(3)));
        assert_eq!(Money::checked_sum([Money(i64::MAX), Money(1)]), None);
    }
}
