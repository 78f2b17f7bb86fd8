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
    #[error("product name is too long (at most 60 characters)")]
    NameTooLongForEdit,
    #[error("price {0} is not between 0,00 € and 10 000,00 €")]
    BadPrice(String),
}

impl ProductError {
    /// What to tell a person, in their language (the `Display` text is for logs).
    pub fn text(&self) -> crate::i18n::Text {
        use crate::i18n::Text;
        match self {
            ProductError::BadVatRate(v) => Text::msg("product-bad-vat").arg("value", v.as_str()),
            ProductError::EmptyName => Text::msg("product-empty-name"),
            ProductError::NameTooLong => Text::msg("product-name-too-long").arg("max", 80i64),
            ProductError::NameTooLongForEdit => {
                Text::msg("product-name-too-long").arg("max", MAX_EDIT_NAME as i64)
            }
            ProductError::BadPrice(v) => Text::msg("product-bad-price").arg("price", v.as_str()),
        }
    }
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
    /// `gross × rate / (100 + rate)`. Symmetric: a negative amount (a credit note, a day whose
    /// refunds outweigh its sales) has exactly the opposite VAT of its positive mirror.
    pub fn vat_in(self, gross: Money) -> Money {
        if gross.is_negative() {
            return Money::from_cents(
                self.vat_in(Money::from_cents(gross.cents().saturating_neg()))
                    .cents()
                    .saturating_neg(),
            );
        }
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

/// A product name: non-empty, at most 80 characters, no control characters, no spaces around.
/// The control characters go first, then the spaces they uncover: `"\u{1} Pain"` is `Pain`, not
/// ` Pain` (which a CSV export and re-import then changed: found by fuzzing, see
/// tests/fuzz_regressions.rs).
pub fn parse_name(s: &str) -> Result<String, ProductError> {
    let kept: String = s.chars().filter(|c| !c.is_control()).collect();
    let t = kept.trim().to_owned();
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

/// The longest product name the admin screen accepts (it fits the ticket's article column).
pub const MAX_EDIT_NAME: usize = 60;
/// The highest unit price the admin screen accepts: a small shop's article, not a typo.
pub const MAX_PRICE_CENTS: i64 = 1_000_000;

/// Checks a product the admin typed in (the screen builds [`Product`] from fields): name
/// trimmed, 1 to [`MAX_EDIT_NAME`] characters; price 0 to 10 000,00 €. Returns it cleaned.
pub fn check_edit(p: &Product) -> Result<Product, ProductError> {
    let name = parse_name(&p.name)?;
    if name.chars().count() > MAX_EDIT_NAME {
        return Err(ProductError::NameTooLongForEdit);
    }
    if p.price.cents() < 0 || p.price.cents() > MAX_PRICE_CENTS {
        return Err(ProductError::BadPrice(p.price.to_string()));
    }
    Ok(Product { name, ..p.clone() })
}

/// What an edit of a known product changes, field by field: the admin's screen sends only
/// this, and the runtime applies it to the product as it is now (another till may have
/// changed another field, or disabled it, meanwhile). `active` is never part of an edit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductPatch {
    /// `Some(None)` removes the barcode.
    pub barcode: Option<Option<Gtin>>,
    pub name: Option<String>,
    pub price: Option<Money>,
    pub vat: Option<VatRate>,
}

impl ProductPatch {
    /// The fields in which `new` differs from `old`.
    pub fn between(old: &Product, new: &Product) -> ProductPatch {
        ProductPatch {
            barcode: (old.barcode != new.barcode).then(|| new.barcode.clone()),
            name: (old.name != new.name).then(|| new.name.clone()),
            price: (old.price != new.price).then_some(new.price),
            vat: (old.vat != new.vat).then_some(new.vat),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == ProductPatch::default()
    }

    /// `current` with the patched fields changed.
    pub fn apply(&self, current: &Product) -> Product {
        let mut p = current.clone();
        if let Some(b) = &self.barcode {
            p.barcode = b.clone();
        }
        if let Some(n) = &self.name {
            p.name = n.clone();
        }
        if let Some(price) = self.price {
            p.price = price;
        }
        if let Some(vat) = self.vat {
            p.vat = vat;
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_patch_carries_only_what_changed_and_never_the_enabled_flag() {
        let old = Product {
            code: ArticleCode::parse("0000").unwrap(),
            barcode: None,
            name: "Café".into(),
            price: Money::from_cents(250),
            vat: VatRate::TwentyOne,
            active: true,
        };
        let mut edited = old.clone();
        edited.price = Money::from_cents(270);
        let patch = ProductPatch::between(&old, &edited);
        assert_eq!(patch.price, Some(Money::from_cents(270)));
        assert_eq!(
            (patch.name.clone(), patch.vat, patch.barcode.clone()),
            (None, None, None)
        );
        // Meanwhile another till renamed and disabled it: both survive the price edit.
        let mut now = old.clone();
        now.name = "Café noir".into();
        now.active = false;
        let applied = patch.apply(&now);
        assert_eq!(applied.name, "Café noir");
        assert!(!applied.active);
        assert_eq!(applied.price, Money::from_cents(270));
        assert!(ProductPatch::between(&old, &old).is_empty());
    }

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
    fn edited_products_have_a_short_name_and_a_sane_price() {
        let p = Product {
            code: crate::domain::ArticleCode::parse("1234").unwrap(),
            barcode: None,
            name: "  Café ".into(),
            price: Money::from_cents(250),
            vat: VatRate::Six,
            active: true,
        };
        assert_eq!(check_edit(&p).unwrap().name, "Café");
        let long = Product {
            name: "x".repeat(61),
            ..p.clone()
        };
        assert_eq!(check_edit(&long), Err(ProductError::NameTooLongForEdit));
        let negative = Product {
            price: Money::from_cents(-1),
            ..p.clone()
        };
        assert!(matches!(
            check_edit(&negative),
            Err(ProductError::BadPrice(_))
        ));
        let huge = Product {
            price: Money::from_cents(MAX_PRICE_CENTS + 1),
            ..p.clone()
        };
        assert!(check_edit(&huge).is_err());
        let empty = Product {
            name: " ".into(),
            ..p
        };
        assert_eq!(check_edit(&empty), Err(ProductError::EmptyName));
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(parse_name("  Café ").unwrap(), "Café");
        assert!(parse_name("   ").is_err());
        assert!(parse_name(&"é".repeat(81)).is_err());
    }

    #[test]
    fn vat_of_a_negative_amount_mirrors_the_positive_one() {
        for cents in [0, 1, 53, 100, 106, 999, 12_345] {
            for rate in [VatRate::Six, VatRate::Twelve, VatRate::TwentyOne] {
                assert_eq!(
                    rate.vat_in(Money::from_cents(-cents)).cents(),
                    -rate.vat_in(Money::from_cents(cents)).cents(),
                    "{cents} at {rate:?}"
                );
            }
        }
        // 1,00 € at 6 % holds 0,057 → 0,06 €; a credit note of 1,00 €, −0,06 €.
        assert_eq!(VatRate::Six.vat_in(Money::from_cents(-100)).cents(), -6);
    }
}
