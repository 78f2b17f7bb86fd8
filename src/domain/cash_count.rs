//! Counting a cash drawer by denomination: the euro's notes and the coins a Belgian drawer
//! holds (500 € down to 0,05 €; the 1 and 2 cent coins are left out because cash is rounded to
//! 5 cents and shops hand them back to the bank), how many of each the person counted, and the
//! total. The screen's counter (the float in the morning, the count at the Z) is a view over a
//! [`CashCount`]; the total it sends is [`CashCount::total`], never re-added elsewhere.

use super::money::Money;

/// The denominations, largest first: notes, then coins.
pub const DENOMINATIONS: [Money; 13] = [
    Money::from_cents(50_000),
    Money::from_cents(20_000),
    Money::from_cents(10_000),
    Money::from_cents(5_000),
    Money::from_cents(2_000),
    Money::from_cents(1_000),
    Money::from_cents(500),
    Money::from_cents(200),
    Money::from_cents(100),
    Money::from_cents(50),
    Money::from_cents(20),
    Money::from_cents(10),
    Money::from_cents(5),
];

/// The most pieces of one denomination a count accepts (a roll of coins is 40 or 50; a bank
/// bag of 2 € coins 25 rolls): more is a slip of the finger, refused rather than summed.
pub const MAX_PIECES: u32 = 9_999;

/// How many pieces of each [`DENOMINATIONS`] were counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CashCount {
    pieces: [u32; DENOMINATIONS.len()],
}

impl CashCount {
    /// Pieces of denomination `i` (an index into [`DENOMINATIONS`]; 0 out of range).
    pub fn pieces(&self, i: usize) -> u32 {
        self.pieces.get(i).copied().unwrap_or(0)
    }

    /// Sets the pieces of denomination `i`. Refused (false, nothing changed) above
    /// [`MAX_PIECES`] or out of range.
    pub fn set(&mut self, i: usize, n: u32) -> bool {
        match self.pieces.get_mut(i) {
            Some(p) if n <= MAX_PIECES => {
                *p = n;
                true
            }
            _ => false,
        }
    }

    /// Pieces × value of denomination `i`.
    pub fn subtotal(&self, i: usize) -> Money {
        DENOMINATIONS.get(i).map_or(Money::ZERO, |d| {
            Money::from_cents(d.cents() * i64::from(self.pieces(i)))
        })
    }

    /// The whole count: at most 13 × 9 999 × 500 € = 65 mio €, far inside an i64 of cents.
    pub fn total(&self) -> Money {
        (0..DENOMINATIONS.len()).map(|i| self.subtotal(i)).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.pieces.iter().all(|p| *p == 0)
    }
}

/// A denomination as a till's button shows it: `50 €` for a note or a whole coin, `0,20 €`
/// for a cent coin (the decimal comma; the screen's language does not change it in fr/nl/en
/// as the euro is written so on Belgian coins' packaging).
pub fn denomination_label(d: Money) -> String {
    if d.cents() % 100 == 0 {
        format!("{} €", d.cents() / 100)
    } else {
        format!("0,{:02} €", d.cents() % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_morning_float_adds_up_to_the_cent() {
        let mut c = CashCount::default();
        assert!(c.is_empty());
        // 2 × 50 €, 2 × 20 €, 1 × 5 €, 1 × 2 €, 3 × 1 €, 4 × 0,50 €, 7 × 0,05 €
        for (i, n) in [(3, 2), (4, 2), (6, 1), (7, 1), (8, 3), (9, 4), (12, 7)] {
            assert!(c.set(i, n));
        }
        assert_eq!(
            c.total(),
            Money::from_cents(10_000 + 4_000 + 500 + 200 + 300 + 200 + 35)
        );
        assert_eq!(c.subtotal(12), Money::from_cents(35));
        assert!(!c.is_empty());
    }

    #[test]
    fn absurd_counts_and_unknown_denominations_are_refused_and_change_nothing() {
        let mut c = CashCount::default();
        assert!(c.set(0, 3));
        assert!(!c.set(0, MAX_PIECES + 1));
        assert!(!c.set(13, 1));
        assert_eq!(c.pieces(0), 3);
        assert_eq!(c.pieces(13), 0);
        assert_eq!(c.total(), Money::from_cents(150_000));
        let mut full = CashCount::default();
        for i in 0..DENOMINATIONS.len() {
            assert!(full.set(i, MAX_PIECES));
        }
        assert_eq!(full.total().cents(), 9_999 * 88_885);
    }

    #[test]
    fn denominations_are_labelled_as_on_the_coins() {
        let labels: Vec<String> = DENOMINATIONS
            .iter()
            .map(|d| denomination_label(*d))
            .collect();
        assert_eq!(
            labels,
            [
                "500 €", "200 €", "100 €", "50 €", "20 €", "10 €", "5 €", "2 €", "1 €", "0,50 €",
                "0,20 €", "0,10 €", "0,05 €"
            ]
        );
    }
}
