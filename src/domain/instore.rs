//! In-store barcodes: EAN-13 (or UPC-A) codes with a GS1 "restricted circulation" prefix (20-29)
//! printed by the shop's own scale or labeller, carrying an article code and a price or a weight.
//!
//! Their layout is not fixed (in Belgium each retailer and scale vendor picks one), so it is a
//! pattern in the settings (`scanner.instore_pattern`), one symbol per digit:
//!
//! | symbol | meaning |
//! |---|---|
//! | `0`-`9` | that digit (the prefix: the pattern must start with `2`, or `02` for a UPC-A code read as EAN-13) |
//! | `P` | a digit of the article code (looked up as the product's article code, leading zeros kept, then without them) |
//! | `V` | a digit of the price: euro cents, or with a `.` among the `V`s the decimals written (`VVV.VV` = cents, `VVVV.V` = 10-cent steps) |
//! | `W` | a digit of the weight: grams, or with a `.` the kilogram decimals (`WW.WWW` = grams); the line's price is the weight × the product's price per kilogram, rounded to the cent |
//! | `C` | the price/weight check digit of GS1 General Specifications §7.9 (4- or 5-digit values only) |
//! | `X` | any digit, ignored (a flag some scales print) |
//! | `K` | the EAN/UPC check digit: last, required |
//!
//! e.g. `2PPPPPCVVVVVK` (the default example: 5-digit article, price check, price in cents),
//! `28PPPPPWWWWWK` (weight in grams). Several patterns may be given, separated by commas; the
//! first one whose fixed digits and length match a scan decodes it. Both check digits are
//! verified: a bad read is an error, never a wrong price. Money stays integer cents throughout.

use std::fmt;

use super::barcode::{ArticleCode, Gtin};
use super::money::Money;

/// What a label carries besides the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Embedded {
    /// The price of the item, VAT included.
    Price(Money),
    /// The weight of the item; the product's price is per kilogram.
    Weight { grams: i64 },
}

/// A decoded in-store label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstoreCode {
    /// The article-code digits as printed (leading zeros kept).
    pub article: String,
    pub embedded: Embedded,
}

impl InstoreCode {
    /// The article codes to look up, most specific first: the digits as printed (`01234`), then
    /// without their leading zeros (`1234`) when that differs.
    pub fn article_candidates(&self) -> Vec<ArticleCode> {
        let mut out: Vec<ArticleCode> = ArticleCode::parse(&self.article).into_iter().collect();
        let trimmed = self.article.trim_start_matches('0');
        if !trimmed.is_empty() && trimmed != self.article {
            out.extend(ArticleCode::parse(trimmed));
        }
        out
    }

    /// The unit price of the line and its name for a product whose catalogue price is `price`
    /// (per item for a price label, per kilogram for a weight label).
    pub fn line_price(&self, name: &str, price: Money) -> Option<(Money, String)> {
        match self.embedded {
            Embedded::Price(p) => Some((p, name.to_owned())),
            Embedded::Weight { grams } => Some((
                weighed_price(grams, price)?,
                format!("{name} {}", format_kg(grams)),
            )),
        }
    }
}

/// `grams` × `per_kg` / 1000, rounded half up to the cent; `None` when negative or too large.
pub fn weighed_price(grams: i64, per_kg: Money) -> Option<Money> {
    if grams < 0 || per_kg.is_negative() {
        return None;
    }
    let milli_cents = i128::from(grams).checked_mul(i128::from(per_kg.cents()))?;
    let cents = (milli_cents + 500) / 1000;
    i64::try_from(cents).ok().map(Money::from_cents)
}

/// `532` → `0,532 kg` (the Belgian decimal comma).
pub fn format_kg(grams: i64) -> String {
    format!("{},{:03} kg", grams / 1000, grams % 1000)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstoreError {
    #[error("in-store barcode '{0}' has a wrong check digit (a bad read? scan again)")]
    BadCheckDigit(String),
    #[error("in-store barcode '{0}' has a wrong price/weight check digit (a bad read? scan again)")]
    BadValueCheck(String),
    #[error("in-store barcode '{0}' carries a zero price or weight")]
    ZeroValue(String),
}

impl InstoreError {
    /// What to tell a person, in their language (the `Display` text is for logs).
    pub fn text(&self) -> crate::i18n::Text {
        use crate::i18n::Text;
        match self {
            InstoreError::BadCheckDigit(v) => {
                Text::msg("instore-check-digit").arg("value", v.as_str())
            }
            InstoreError::BadValueCheck(v) => {
                Text::msg("instore-value-check").arg("value", v.as_str())
            }
            InstoreError::ZeroValue(v) => Text::msg("instore-zero").arg("value", v.as_str()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("in-store pattern '{pattern}': {message}")]
pub struct PatternError {
    pub pattern: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Digit(u8),
    Any,
    Article,
    ValueCheck,
    Value,
    Ean,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    Price,
    Weight,
}

/// One label layout, e.g. `2PPPPPCVVVVVK`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstorePattern {
    text: String,
    slots: Vec<Slot>,
    kind: ValueKind,
    /// Decimals written in the value digits (price: of the euro, weight: of the kilogram).
    decimals: u32,
}

impl InstorePattern {
    pub fn parse(text: &str) -> Result<InstorePattern, PatternError> {
        let text = text.trim().to_ascii_uppercase();
        let fail = |message: &str| PatternError {
            pattern: text.clone(),
            message: message.to_owned(),
        };
        let mut slots = Vec::new();
        let mut kind = None;
        let mut dot_at: Option<usize> = None;
        let chars: Vec<char> = text.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            let slot = match c {
                '0'..='9' => Slot::Digit(c as u8 - b'0'),
                'X' => Slot::Any,
                'P' => Slot::Article,
                'C' => Slot::ValueCheck,
                'K' => Slot::Ean,
                'V' | 'W' => {
                    let k = if c == 'V' {
                        ValueKind::Price
                    } else {
                        ValueKind::Weight
                    };
                    if kind.is_some_and(|seen| seen != k) {
                        return Err(fail("use V (price) or W (weight) digits, not both"));
                    }
                    kind = Some(k);
                    Slot::Value
                }
                '.' => {
                    let around = |j: Option<usize>| {
                        j.and_then(|j| chars.get(j))
                            .is_some_and(|c| matches!(c, 'V' | 'W'))
                    };
                    if dot_at.is_some() || !around(i.checked_sub(1)) || !around(Some(i + 1)) {
                        return Err(fail("one '.' at most, between value digits"));
                    }
                    dot_at = Some(slots.len());
                    continue;
                }
                other => {
                    return Err(fail(&format!(
                        "'{other}' is not a pattern symbol (digits, P, V, W, C, X, K, '.')"
                    )));
                }
            };
            slots.push(slot);
        }
        if !matches!(slots.len(), 12 | 13) {
            return Err(fail("12 (UPC-A) or 13 (EAN-13) digits"));
        }
        let prefix_ok = match slots.as_slice() {
            [Slot::Digit(2), ..] => true,
            [Slot::Digit(0), Slot::Digit(2), ..] => slots.len() == 13,
            _ => false,
        };
        if !prefix_ok {
            return Err(fail(
                "must start with the in-store prefix 2 (GS1 prefixes 20-29; 02 for UPC-A as EAN-13)",
            ));
        }
        let count = |s: Slot| slots.iter().filter(|&&x| x == s).count();
        if slots.last() != Some(&Slot::Ean) || count(Slot::Ean) != 1 {
            return Err(fail("needs one K (the EAN check digit), last"));
        }
        if !(1..=12).contains(&count(Slot::Article)) {
            return Err(fail("needs P digits (the article code)"));
        }
        let values = count(Slot::Value);
        let Some(kind) = kind.filter(|_| (1..=6).contains(&values)) else {
            return Err(fail("needs 1 to 6 V (price) or W (weight) digits"));
        };
        match count(Slot::ValueCheck) {
            0 => {}
            1 if matches!(values, 4 | 5) => {}
            1 => return Err(fail("a C check digit covers 4 or 5 value digits only")),
            _ => return Err(fail("one C at most")),
        }
        let decimals = match dot_at {
            None => match kind {
                ValueKind::Price => 2,
                ValueKind::Weight => 3,
            },
            Some(at) => {
                let after = slots[at..].iter().filter(|&&s| s == Slot::Value).count();
                u32::try_from(after).unwrap_or(u32::MAX)
            }
        };
        let max = match kind {
            ValueKind::Price => 2,
            ValueKind::Weight => 3,
        };
        if decimals > max {
            return Err(fail(match kind {
                ValueKind::Price => "a price has at most 2 decimals (cents)",
                ValueKind::Weight => "a weight has at most 3 decimals (grams)",
            }));
        }
        Ok(InstorePattern {
            text,
            slots,
            kind,
            decimals,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn kind(&self) -> ValueKind {
        self.kind
    }

    /// Whether `code` has this pattern's length and fixed digits.
    pub fn matches(&self, code: &str) -> bool {
        code.len() == self.slots.len()
            && code.bytes().zip(&self.slots).all(|(b, s)| match s {
                Slot::Digit(d) => b == b'0' + d,
                _ => b.is_ascii_digit(),
            })
    }

    /// `None` when `code` is not of this pattern; otherwise the decoded label, or why it is a
    /// bad read.
    pub fn decode(&self, code: &str) -> Option<Result<InstoreCode, InstoreError>> {
        let code = code.trim();
        if !self.matches(code) {
            return None;
        }
        Some(self.decode_matching(code))
    }

    fn decode_matching(&self, code: &str) -> Result<InstoreCode, InstoreError> {
        if Gtin::parse(code).is_err() {
            return Err(InstoreError::BadCheckDigit(code.to_owned()));
        }
        let digits = code.bytes().map(|b| b - b'0');
        let mut article = String::new();
        let mut value_digits = Vec::new();
        let mut check = None;
        for (d, slot) in digits.zip(&self.slots) {
            match slot {
                Slot::Article => article.push(char::from(b'0' + d)),
                Slot::Value => value_digits.push(d),
                Slot::ValueCheck => check = Some(d),
                Slot::Digit(_) | Slot::Any | Slot::Ean => {}
            }
        }
        if let Some(c) = check
            && price_check_digit(&value_digits) != Some(c)
        {
            return Err(InstoreError::BadValueCheck(code.to_owned()));
        }
        let n = value_digits
            .iter()
            .fold(0i64, |acc, &d| acc * 10 + i64::from(d));
        if n == 0 {
            return Err(InstoreError::ZeroValue(code.to_owned()));
        }
        let embedded = match self.kind {
            ValueKind::Price => {
                Embedded::Price(Money::from_cents(n * 10i64.pow(2 - self.decimals)))
            }
            ValueKind::Weight => Embedded::Weight {
                grams: n * 10i64.pow(3 - self.decimals),
            },
        };
        Ok(InstoreCode { article, embedded })
    }
}

impl fmt::Display for InstorePattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The shop's in-store label layouts (`scanner.instore_pattern`): none, one or several.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InstoreRules(Vec<InstorePattern>);

impl InstoreRules {
    /// Patterns separated by commas or spaces; empty: no in-store labels.
    pub fn parse(s: &str) -> Result<InstoreRules, PatternError> {
        s.split([',', ' ', ';'])
            .filter(|p| !p.trim().is_empty())
            .map(InstorePattern::parse)
            .collect::<Result<Vec<_>, _>>()
            .map(InstoreRules)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn patterns(&self) -> &[InstorePattern] {
        &self.0
    }

    /// Decodes `code` with the first pattern it matches; `None` when it matches none.
    pub fn decode(&self, code: &str) -> Option<Result<InstoreCode, InstoreError>> {
        self.0.iter().find_map(|p| p.decode(code))
    }
}

/// The GS1 weighting-factor results (General Specifications §7.9.2) of a digit.
fn weight_2_minus(d: u8) -> u8 {
    // 2- : units digit of 2d minus its tens digit.
    let p = d * 2;
    (p % 10 + 10 - p / 10) % 10
}
fn weight_3(d: u8) -> u8 {
    (d * 3) % 10
}
fn weight_5_plus(d: u8) -> u8 {
    let p = d * 5;
    (p % 10 + p / 10) % 10
}
fn weight_5_minus(d: u8) -> u8 {
    let p = d * 5;
    (p % 10 + 10 - p / 10) % 10
}

/// The price/weight check digit of GS1 General Specifications §7.9.3 for 4 or 5 digits
/// (`None` for other lengths or non-digits).
pub fn price_check_digit(digits: &[u8]) -> Option<u8> {
    if digits.iter().any(|&d| d > 9) {
        return None;
    }
    match *digits {
        // Weights 2-, 2-, 3, 5-; the check digit is the units digit of 3 × the sum.
        [a, b, c, d] => {
            let sum = u32::from(weight_2_minus(a))
                + u32::from(weight_2_minus(b))
                + u32::from(weight_3(c))
                + u32::from(weight_5_minus(d));
            u8::try_from(sum * 3 % 10).ok()
        }
        // Weights 5+, 2-, 5-, 5+, 2-; the check digit is the digit whose 5- product is
        // 10 minus the units digit of the sum.
        [a, b, c, d, e] => {
            let sum = u32::from(weight_5_plus(a))
                + u32::from(weight_2_minus(b))
                + u32::from(weight_5_minus(c))
                + u32::from(weight_5_plus(d))
                + u32::from(weight_2_minus(e));
            let target = u8::try_from((10 - sum % 10) % 10).ok()?;
            (0..=9).find(|&x| weight_5_minus(x) == target)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(s: &str) -> Vec<u8> {
        s.bytes().map(|b| b - b'0').collect()
    }

    /// Appends the EAN check digit to 11 or 12 data digits.
    fn with_ean_check(data: &str) -> String {
        (0..=9)
            .map(|k| format!("{data}{k}"))
            .find(|c| Gtin::parse(c).is_ok())
            .unwrap()
    }

    #[test]
    fn weighting_factor_tables_match_gs1() {
        // GS1 General Specifications §7.9.2, tables of the weighting-factor results.
        let t2m: Vec<u8> = (0..10).map(weight_2_minus).collect();
        assert_eq!(t2m, [0, 2, 4, 6, 8, 9, 1, 3, 5, 7]);
        let t3: Vec<u8> = (0..10).map(weight_3).collect();
        assert_eq!(t3, [0, 3, 6, 9, 2, 5, 8, 1, 4, 7]);
        let t5p: Vec<u8> = (0..10).map(weight_5_plus).collect();
        assert_eq!(t5p, [0, 5, 1, 6, 2, 7, 3, 8, 4, 9]);
        let t5m: Vec<u8> = (0..10).map(weight_5_minus).collect();
        assert_eq!(t5m, [0, 5, 9, 4, 8, 3, 7, 2, 6, 1]);
    }

    #[test]
    fn the_gs1_examples_of_price_check_digits() {
        // §7.9.3: 4-digit price 2875 → 9; 5-digit price 14685 → 6.
        assert_eq!(price_check_digit(&digits("2875")), Some(9));
        assert_eq!(price_check_digit(&digits("14685")), Some(6));
        assert_eq!(price_check_digit(&digits("123")), None);
        assert_eq!(price_check_digit(&[1, 2, 3, 10]), None);
    }

    #[test]
    fn a_price_label_decodes_with_both_check_digits() {
        let rules = InstoreRules::parse("2PPPPPCVVVVVK").unwrap();
        // Article 01234, price 14685 cents (146,85 €) with its price check digit (6).
        let c = price_check_digit(&digits("14685")).unwrap();
        let code = with_ean_check(&format!("201234{c}14685"));
        let d = rules.decode(&code).unwrap().unwrap();
        assert_eq!(d.article, "01234");
        assert_eq!(d.embedded, Embedded::Price(Money::from_cents(14685)));
        let names: Vec<String> = d
            .article_candidates()
            .iter()
            .map(|a| a.to_string())
            .collect();
        assert_eq!(names, ["01234", "1234"]);
    }

    #[test]
    fn bad_reads_are_errors_never_a_price() {
        let rules = InstoreRules::parse("2PPPPPCVVVVVK").unwrap();
        let code = with_ean_check("201234614685");
        assert!(matches!(rules.decode(&code), Some(Ok(_))));
        // A wrong price check digit (6 is right for 14685; 7 is not) with a right EAN check.
        let wrong_c = with_ean_check("201234714685");
        assert!(matches!(
            rules.decode(&wrong_c),
            Some(Err(InstoreError::BadValueCheck(_)))
        ));
        // A wrong EAN check digit.
        let last = code.as_bytes()[12] - b'0';
        let bad = format!("{}{}", &code[..12], (last + 1) % 10);
        assert!(matches!(
            rules.decode(&bad),
            Some(Err(InstoreError::BadCheckDigit(_)))
        ));
    }

    #[test]
    fn other_codes_are_not_in_store_labels() {
        let rules = InstoreRules::parse("2PPPPPCVVVVVK").unwrap();
        assert_eq!(rules.decode("1946753214860"), None);
        assert_eq!(rules.decode("96385074"), None);
        assert_eq!(rules.decode("1234"), None);
        assert_eq!(rules.decode("2x12345678901"), None);
        assert_eq!(InstoreRules::default().decode("2012346146856"), None);
    }

    #[test]
    fn weight_labels_and_decimals() {
        let rules = InstoreRules::parse("28PPPPPWWWWWK, 29PPPPPVVVV.VK").unwrap();
        let code = with_ean_check("280004200532");
        let d = rules.decode(&code).unwrap().unwrap();
        assert_eq!(d.article, "00042");
        assert_eq!(d.embedded, Embedded::Weight { grams: 532 });
        // 0,532 kg at 3,99 €/kg = 2,12268 € → 2,12 €.
        let (unit, name) = d.line_price("Tomates", Money::from_cents(399)).unwrap();
        assert_eq!(unit, Money::from_cents(212));
        assert_eq!(name, "Tomates 0,532 kg");
        // 29…: a price with one decimal: VVVV.V = 0123,4 € = 12340 cents.
        let code = with_ean_check("290004201234");
        let d = rules.decode(&code).unwrap().unwrap();
        assert_eq!(d.embedded, Embedded::Price(Money::from_cents(12340)));
        // Kilograms with 2 decimals: WWW.WW → 10-gram steps; 012,50 kg.
        let p = InstorePattern::parse("2PPPPPXWWW.WWK").unwrap();
        let d = p.decode(&with_ean_check("212345901250")).unwrap().unwrap();
        assert_eq!(d.article, "12345");
        assert_eq!(d.embedded, Embedded::Weight { grams: 12_500 });
    }

    #[test]
    fn weighed_prices_round_half_up_in_integers() {
        assert_eq!(
            weighed_price(1000, Money::from_cents(399)),
            Some(Money::from_cents(399))
        );
        assert_eq!(
            weighed_price(500, Money::from_cents(1)),
            Some(Money::from_cents(1))
        );
        assert_eq!(weighed_price(499, Money::from_cents(1)), Some(Money::ZERO));
        assert_eq!(weighed_price(i64::MAX, Money::from_cents(i64::MAX)), None);
        assert_eq!(weighed_price(-1, Money::from_cents(1)), None);
        assert_eq!(format_kg(1250), "1,250 kg");
    }

    #[test]
    fn zero_values_are_refused() {
        let rules = InstoreRules::parse("2PPPPPXVVVVVK").unwrap();
        let code = with_ean_check("201234000000");
        assert!(matches!(
            rules.decode(&code),
            Some(Err(InstoreError::ZeroValue(_)))
        ));
    }

    #[test]
    fn bad_patterns_are_explained() {
        for bad in [
            "PPPPPPCVVVVVK", // no in-store prefix: would capture every EAN-13
            "2PPPPPCVVVVV",  // no K
            "2PPPPPCVVVVKV", // K not last
            "2PPPPPVVVVVVK", // valid: 6 price digits, no price check (checked below)
            "2PPPPPCVVVWWK", // both V and W
            "2PPPPPPCVVVK",  // C over 3 digits
            "2PPPPPCV.V.VVVK",
            "2PPPPPCV.VVVVK", // 4 price decimals
            "2CVVVVVXXXXXK",  // no P
            "2PPPPPCVVVVVKK",
            "2PPPPP?VVVVVK",
        ] {
            let r = InstorePattern::parse(bad);
            if bad == "2PPPPPVVVVVVK" {
                assert!(r.is_ok(), "{bad}");
            } else {
                assert!(r.is_err(), "{bad} should be refused");
            }
        }
        assert!(InstorePattern::parse("2ppppPcvvvvvk").is_ok());
        assert!(InstorePattern::parse("2PPPPPCVVVVK").is_ok(), "UPC-A");
        assert!(InstorePattern::parse("02PPPPCVVVVK0").is_err());
        assert!(InstoreRules::parse("").unwrap().is_empty());
        assert!(InstoreRules::parse(" , ").unwrap().is_empty());
        let e = InstorePattern::parse("2PPPPPCVVVWWK").unwrap_err();
        assert!(e.to_string().contains("2PPPPPCVVVWWK"), "{e}");
    }
}
