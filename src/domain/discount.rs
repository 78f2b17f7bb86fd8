//! Discounts: what reduces a line's price, as explicit, audited line values (Belgian practice
//! forbids silent price edits: every reduction is a `discount_cents` on the line it reduces).
//!
//! - A line discount is a percentage (`10%`, up to two decimals, kept in hundredths of a
//!   percent), an amount off the line (`1,50`), or a price override (the new unit price, never
//!   above the catalogue's: a higher price is a catalogue change, made in « Produits »).
//! - A basket discount (a percentage or an amount) is spread over the account's item lines in
//!   proportion to what each costs after its own discount, the remainder cents going one by one
//!   to the largest lines, so every line and every VAT rate's total stays exact to the cent and
//!   the shares add up to the discount exactly. Withdrawals are never discounted.
//! - A discount never makes a line negative: an amount larger than its line is refused when it is
//!   given, and cut to the line when a later quantity change makes the line smaller.
//! - Rules are kept, amounts are computed: a line discount in percent follows the quantity.
//!
//! The arithmetic is written here rather than taken from a crate: it is integer cents with one
//! rounding rule (half away from zero) and one spreading rule (largest remainder), and both are
//! part of what the ticket and the reports promise.

use serde::{Deserialize, Serialize};

use super::money::Money;

/// 100 % in hundredths of a percent.
pub const FULL_BP: i64 = 10_000;

/// How a discount reduces what it applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "value")]
pub enum DiscountRule {
    /// Hundredths of a percent (1 000 = 10 %), 1 to 10 000.
    Percent(i64),
    /// An amount off the line, or off the basket (spread).
    Amount(Money),
    /// A line's new unit price (a price override), 0 to the catalogue's price.
    Price(Money),
    /// A fixed amount already computed (a basket discount's share kept with a payment's lines).
    Fixed(Money),
}

/// A discount given: the rule, why, and the manager who approved it (when one had to).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discount {
    pub rule: DiscountRule,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
}

impl Discount {
    pub fn new(rule: DiscountRule) -> Discount {
        Discount {
            rule,
            reason: None,
            approved_by: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiscountError {
    #[error("a percentage must be above 0 % and at most 100 %")]
    BadPercent,
    #[error("a discount must be more than 0,00 €")]
    NotPositive,
    #[error("the discount ({discount}) is more than what it reduces ({of})")]
    AboveLine { discount: Money, of: Money },
    #[error("a new price must be between 0,00 € and the catalogue price {list}")]
    BadPrice { list: Money },
    #[error("withdrawals are never discounted")]
    Withdrawal,
    #[error("nothing in this basket can be discounted")]
    NothingToDiscount,
}

/// `10`, `12.5` or `12,50` (a percentage, the `%` already removed) in hundredths of a percent.
pub fn parse_percent(s: &str) -> Result<i64, DiscountError> {
    let s = s.trim().replace(',', ".");
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let ok_digits = |d: &str| d.chars().all(|c| c.is_ascii_digit());
    if int.is_empty() || int.len() > 3 || frac.len() > 2 || !ok_digits(int) || !ok_digits(frac) {
        return Err(DiscountError::BadPercent);
    }
    let int: i64 = int.parse().map_err(|_| DiscountError::BadPercent)?;
    let frac: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<2}")
            .parse()
            .map_err(|_| DiscountError::BadPercent)?
    };
    let bp = int * 100 + frac;
    if !(1..=FULL_BP).contains(&bp) {
        return Err(DiscountError::BadPercent);
    }
    Ok(bp)
}

/// `bp` hundredths of a percent of `of`, rounded half away from zero.
pub fn percent_of(of: Money, bp: i64) -> Money {
    let x = i128::from(of.cents()) * i128::from(bp);
    let q = x / i128::from(FULL_BP);
    let r = x % i128::from(FULL_BP);
    let q = if 2 * r.abs() >= i128::from(FULL_BP) {
        q + x.signum()
    } else {
        q
    };
    Money::from_cents(i64::try_from(q).unwrap_or(i64::MAX))
}

/// A percentage as shown: `10 %`, `12,5 %`.
pub fn format_percent(bp: i64) -> String {
    if bp % 100 == 0 {
        format!("{} %", bp / 100)
    } else if bp % 10 == 0 {
        format!("{},{} %", bp / 100, (bp % 100) / 10)
    } else {
        format!("{},{:02} %", bp / 100, bp % 100)
    }
}

impl DiscountRule {
    /// What this rule takes off a line of `qty` at `unit` (gross `unit × qty`): never more than
    /// the line, never less than zero.
    pub fn off_line(self, unit: Money, qty: i64) -> Money {
        let gross = unit.checked_mul(qty).unwrap_or(Money::ZERO);
        let off = match self {
            DiscountRule::Percent(bp) => percent_of(gross, bp),
            DiscountRule::Amount(a) | DiscountRule::Fixed(a) => a,
            DiscountRule::Price(p) => unit
                .checked_sub(p)
                .and_then(|d| d.checked_mul(qty))
                .unwrap_or(Money::ZERO),
        };
        off.clamp(Money::ZERO, gross.max(Money::ZERO))
    }

    /// What this rule takes off a basket worth `base` (its items after their own discounts).
    pub fn off_basket(self, base: Money) -> Money {
        let off = match self {
            DiscountRule::Percent(bp) => percent_of(base, bp),
            DiscountRule::Amount(a) | DiscountRule::Fixed(a) | DiscountRule::Price(a) => a,
        };
        off.clamp(Money::ZERO, base.max(Money::ZERO))
    }

    /// Checks a rule given for a line of `qty` at `unit` before it is applied.
    pub fn check_line(self, unit: Money, qty: i64) -> Result<(), DiscountError> {
        let gross = unit.checked_mul(qty).unwrap_or(Money::ZERO);
        match self {
            DiscountRule::Percent(bp) if !(1..=FULL_BP).contains(&bp) => {
                Err(DiscountError::BadPercent)
            }
            DiscountRule::Amount(a) | DiscountRule::Fixed(a) if a <= Money::ZERO => {
                Err(DiscountError::NotPositive)
            }
            DiscountRule::Amount(a) | DiscountRule::Fixed(a) if a > gross => {
                Err(DiscountError::AboveLine {
                    discount: a,
                    of: gross,
                })
            }
            DiscountRule::Price(p) if p.is_negative() || p >= unit => {
                Err(DiscountError::BadPrice { list: unit })
            }
            _ => Ok(()),
        }
    }

    /// Checks a rule given for a whole basket worth `base`.
    pub fn check_basket(self, base: Money) -> Result<(), DiscountError> {
        if base <= Money::ZERO {
            return Err(DiscountError::NothingToDiscount);
        }
        match self {
            DiscountRule::Percent(bp) if !(1..=FULL_BP).contains(&bp) => {
                Err(DiscountError::BadPercent)
            }
            DiscountRule::Amount(a) if a <= Money::ZERO => Err(DiscountError::NotPositive),
            DiscountRule::Amount(a) if a > base => Err(DiscountError::AboveLine {
                discount: a,
                of: base,
            }),
            DiscountRule::Price(_) | DiscountRule::Fixed(_) => Err(DiscountError::BadPercent),
            _ => Ok(()),
        }
    }

    /// How much of `of` this takes off, in hundredths of a percent (rounded up: 10,001 % is
    /// above a 10 % cap). A price override counts as what it takes off too.
    pub fn effective_bp(off: Money, of: Money) -> i64 {
        if of <= Money::ZERO {
            return 0;
        }
        let x = i128::from(off.cents()) * i128::from(FULL_BP);
        let of = i128::from(of.cents());
        i64::try_from((x + of - 1) / of).unwrap_or(i64::MAX)
    }
}

/// Whether a discount asked by a cashier needs a manager's approval: a price override always,
/// any other when it takes off more than `cap_bp` (hundredths of a percent, `till.max_discount_pct`)
/// of what it reduces (`effective_bp`, see [`DiscountRule::effective_bp`]).
pub fn needs_manager(rule: DiscountRule, effective_bp: i64, cap_bp: i64) -> bool {
    matches!(rule, DiscountRule::Price(_)) || effective_bp > cap_bp
}

/// Spreads `total` over `bases` in proportion (largest remainder): each share is at most its
/// base when `total` is at most their sum, and the shares add up to `total` exactly. Ties for a
/// remainder cent go to the larger base, then to the earlier line.
pub fn spread(total: Money, bases: &[Money]) -> Vec<Money> {
    let sum: i128 = bases.iter().map(|b| i128::from(b.cents().max(0))).sum();
    if sum == 0 || total <= Money::ZERO {
        return vec![Money::ZERO; bases.len()];
    }
    let t = i128::from(total.cents()).min(sum);
    let mut shares: Vec<i128> = Vec::with_capacity(bases.len());
    let mut rems: Vec<(i128, i128, usize)> = Vec::with_capacity(bases.len());
    for (i, b) in bases.iter().enumerate() {
        let b = i128::from(b.cents().max(0));
        shares.push(t * b / sum);
        rems.push((t * b % sum, b, i));
    }
    let mut left = t - shares.iter().sum::<i128>();
    // The largest remainders first; then the larger line, then the earlier one.
    rems.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    for (_, b, i) in rems {
        if left == 0 {
            break;
        }
        if b > 0 && shares[i] < b {
            shares[i] += 1;
            left -= 1;
        }
    }
    shares
        .into_iter()
        .map(|s| Money::from_cents(i64::try_from(s).unwrap_or(0)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(c: i64) -> Money {
        Money::from_cents(c)
    }

    #[test]
    fn percentages_parse_in_hundredths_and_refuse_the_absurd() {
        assert_eq!(parse_percent("10"), Ok(1000));
        assert_eq!(parse_percent("12,5"), Ok(1250));
        assert_eq!(parse_percent("0.01"), Ok(1));
        assert_eq!(parse_percent("100"), Ok(10_000));
        for bad in [
            "0", "100.01", "101", "-5", "", "abc", "1e2", "10.123", "1000", " ",
        ] {
            assert_eq!(parse_percent(bad), Err(DiscountError::BadPercent), "{bad}");
        }
        assert_eq!(format_percent(1000), "10 %");
        assert_eq!(format_percent(1250), "12,5 %");
        assert_eq!(format_percent(1234), "12,34 %");
    }

    #[test]
    fn percent_rounds_half_away_from_zero() {
        assert_eq!(percent_of(m(125), 1000), m(13)); // 12,5 → 13
        assert_eq!(percent_of(m(124), 1000), m(12));
        assert_eq!(percent_of(m(-125), 1000), m(-13));
        assert_eq!(percent_of(m(999), 10_000), m(999));
    }

    #[test]
    fn a_line_discount_never_makes_the_line_negative() {
        assert_eq!(DiscountRule::Amount(m(500)).off_line(m(120), 2), m(240));
        assert_eq!(DiscountRule::Percent(5000).off_line(m(199), 3), m(299)); // 298,5
        assert_eq!(DiscountRule::Price(m(100)).off_line(m(120), 3), m(60));
        assert_eq!(
            DiscountRule::Amount(m(241)).check_line(m(120), 2),
            Err(DiscountError::AboveLine {
                discount: m(241),
                of: m(240)
            })
        );
        assert!(DiscountRule::Price(m(120)).check_line(m(120), 1).is_err());
        assert!(DiscountRule::Price(m(-1)).check_line(m(120), 1).is_err());
        assert!(DiscountRule::Price(m(0)).check_line(m(120), 1).is_ok());
        assert!(DiscountRule::Amount(m(0)).check_line(m(120), 1).is_err());
        assert!(DiscountRule::Percent(10_001).check_line(m(120), 1).is_err());
    }

    #[test]
    fn the_effective_rate_rounds_up_so_a_cap_is_never_slipped_under() {
        assert_eq!(DiscountRule::effective_bp(m(100), m(1000)), 1000);
        assert_eq!(DiscountRule::effective_bp(m(101), m(1000)), 1010);
        assert_eq!(DiscountRule::effective_bp(m(1), m(3)), 3334);
        assert_eq!(DiscountRule::effective_bp(m(1), m(0)), 0);
    }

    #[test]
    fn a_price_override_always_needs_a_manager_and_a_discount_above_the_cap() {
        assert!(needs_manager(DiscountRule::Price(m(100)), 0, 1000));
        assert!(!needs_manager(DiscountRule::Percent(1000), 1000, 1000));
        assert!(needs_manager(DiscountRule::Amount(m(101)), 1010, 1000));
        assert!(
            needs_manager(DiscountRule::Percent(1), 1, 0),
            "a cap of 0: every discount"
        );
    }

    #[test]
    fn a_spread_adds_up_exactly_and_never_exceeds_a_line() {
        // 1,00 € over 3 equal lines: 34 + 33 + 33, the first line (earliest) taking the cent.
        assert_eq!(
            spread(m(100), &[m(300), m(300), m(300)]),
            vec![m(34), m(33), m(33)]
        );
        // The remainder goes to the largest remainder, then the larger line.
        let s = spread(m(10), &[m(199), m(1), m(500)]);
        assert_eq!(s.iter().copied().sum::<Money>(), m(10));
        assert_eq!(s, vec![m(3), m(0), m(7)]);
        // The whole basket: each line exactly.
        assert_eq!(spread(m(700), &[m(200), m(500)]), vec![m(200), m(500)]);
        // Nothing to spread over.
        assert_eq!(spread(m(10), &[m(0), m(0)]), vec![m(0), m(0)]);
        // A property over many shapes: the sum is exact and no share exceeds its base.
        let mut seed = 7u64;
        for _ in 0..2000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let n = (seed >> 60) as usize + 1;
            let bases: Vec<Money> = (0..n)
                .map(|i| m(((seed >> (i * 3)) % 5000) as i64))
                .collect();
            let sum: i64 = bases.iter().map(|b| b.cents()).sum();
            let total = m(if sum == 0 {
                0
            } else {
                (seed % sum as u64) as i64
            });
            let s = spread(total, &bases);
            assert_eq!(s.iter().map(|x| x.cents()).sum::<i64>(), total.cents());
            for (x, b) in s.iter().zip(&bases) {
                assert!(x <= b && !x.is_negative());
            }
        }
    }
}
