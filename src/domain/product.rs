//! A catalogue product: article code, optional barcode, name, VAT-inclusive price, VAT rate.

use serde::{Deserialize, Serialize};

use super::barcode::{ArticleCode, Gtin};
use super::money::Money;

/// The Belgian VAT rates a product may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum VatRate {
    Zero,
    Six,
    Twelve,
    TwentyOne,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProductError {
    #[error("VAT rate '{0}' is not one of 0, 6, 12, 21")]
    BadVatRate(String),
    #[error("product name is empty")]
    EmptyName,
    #[error("product name is too long (at most 80 characters)")]
    NameTooLong,
}

impl VatRate {
    pub const ALL: [VatRate; 4] = [
        VatRate::Zero,
        VatRate::Six,
        VatRate::Twelve,
        VatRate::TwentyOne,
    ];

    pub fn percent(self) -> u8 {
        match self {
            VatRate::Zero => 0,
            VatRate::Six => 6,
            VatRate::Twelve => 12,
            VatRate::TwentyOne => 21,
        }
    }

    pub fn parse(s: &str) -> Result<VatRate, ProductError> {
        let t = s.trim().trim_end_matches('%').trim();
        t.parse::<u8>()
            .ok()
            .and_then(|p| VatRate::try_from(p).ok())
            .ok_or_else(|| ProductError::BadVatRate(s.to_owned()))
    }

    /// The VAT contained in a VAT-inclusive amount, rounded half up to the cent:
    /// `gross × rate / (100 + rate)`.
    pub fn vat_in(self, gross: Money) -> Money {
        let r = i128::from(self.percent());
        let g = i128::from(gross.cents());
        let denom = 100 + r;
        let vat = (g * r * 2 + denom) / (denom * 2);
        Money::from_cents(i64::try_from(vat).unwrap_or(0))
    }
}

impl TryFrom<u8> for VatRate {
    type Error = ProductError;
    fn try_from(p: u8) -> Result<Self, Self::Error> {
        match p {
            0 => Ok(VatRate::Zero),
            6 => Ok(VatRate::Six),
            12 => Ok(VatRate::Twelve),
            21 => Ok(VatRate::TwentyOne),
            other => Err(ProductError::BadVatRate(other.to_string())),
        }
    }
}

impl From<VatRate> for u8 {
    fn from(v: VatRate) -> u8 {
        v.percent()
    }
}

/// A product name: non-empty, at most 80 characters, no control characters.
pub fn parse_name(s: &str) -> Result<String, ProductError> {
    let t: String = s.trim().chars().filter(|c| !c.is_control()).collect();
    if t.is_empty() {
        return Err(ProductError::EmptyName);
    }
    if t.chars().count() > 80 {
        return Err(ProductError::NameTooLong);
    }
    Ok(t)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub code: ArticleCode,
    pub barcode: Option<Gtin>,
    pub name: String,
    /// VAT-inclusive unit price.
    pub price: Money,
    pub vat: VatRate,
    pub active: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vat_is_extracted_from_gross_prices() {
        assert_eq!(
            VatRate::TwentyOne.vat_in(Money::from_cents(121)),
            Money::from_cents(21)
        );
        assert_eq!(
            VatRate::Six.vat_in(Money::from_cents(970)),
            Money::from_cents(55)
        );
        assert_eq!(VatRate::Zero.vat_in(Money::from_cents(970)), Money::ZERO);
        assert_eq!(
            VatRate::Twelve.vat_in(Money::from_cents(112)),
            Money::from_cents(12)
        );
    }

    #[test]
    fn only_belgian_rates_parse() {
        assert_eq!(VatRate::parse("21"), Ok(VatRate::TwentyOne));
        assert_eq!(VatRate::parse(" 6% "), Ok(VatRate::Six));
        assert!(VatRate::parse("7").is_err());
        assert!(VatRate::parse("-6").is_err());
        assert!(VatRate::parse("").is_err());
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(parse_name("  Café ").unwrap(), "Café");
        assert!(parse_name("   ").is_err());
        assert!(parse_name(&"é".repeat(81)).is_err());
    }
}
