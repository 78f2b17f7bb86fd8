//! What a scan or a typed code means: a GTIN barcode (EAN-13, EAN-8, UPC-A, check digit verified)
//! or a shop's own article code (anything else that is printable and short).

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("empty code")]
    Empty,
    #[error("code '{0}' is too long (at most 32 characters)")]
    TooLong(String),
    #[error("code '{0}' contains spaces or control characters")]
    BadCharacters(String),
    #[error("barcode '{0}' has a wrong check digit (a bad read? scan again)")]
    BadCheckDigit(String),
}

impl CodeError {
    /// What to tell a person, in their language (the `Display` text is for logs).
    pub fn text(&self) -> crate::i18n::Text {
        use crate::i18n::Text;
        match self {
            CodeError::Empty => Text::msg("code-empty"),
            CodeError::TooLong(v) => Text::msg("code-too-long").arg("value", v.as_str()),
            CodeError::BadCharacters(v) => {
                Text::msg("code-bad-characters").arg("value", v.as_str())
            }
            CodeError::BadCheckDigit(v) => Text::msg("code-check-digit").arg("value", v.as_str()),
        }
    }
}

/// A GTIN (EAN-13, EAN-8 or UPC-A) whose check digit is right. UPC-A codes are kept as their
/// EAN-13 form (a leading 0), so a product stored under either form is found by both.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Gtin(String);

impl Gtin {
    /// Parses 8, 12 or 13 digits with a valid GS1 check digit.
    pub fn parse(s: &str) -> Result<Gtin, CodeError> {
        let s = s.trim();
        if !looks_like_gtin(s) {
            return Err(CodeError::BadCharacters(s.to_owned()));
        }
        if !check_digit_ok(s) {
            return Err(CodeError::BadCheckDigit(s.to_owned()));
        }
        Ok(match s.len() {
            12 => Gtin(format!("0{s}")),
            _ => Gtin(s.to_owned()),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Gtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// 8, 12 or 13 ASCII digits: the shapes of EAN-8, UPC-A and EAN-13.
pub fn looks_like_gtin(s: &str) -> bool {
    matches!(s.len(), 8 | 12 | 13) && s.bytes().all(|b| b.is_ascii_digit())
}

/// GS1 mod-10 check: weights 3,1,3,1… from the rightmost data digit.
fn check_digit_ok(digits: &str) -> bool {
    let d: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
    let Some((&check, data)) = d.split_last() else {
        return false;
    };
    let sum: u32 = data
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &v)| if i % 2 == 0 { v * 3 } else { v })
        .sum();
    (10 - sum % 10) % 10 == check
}

/// An article code typed by the cashier or printed on a shelf label (`1234`, `0000`): kept as a
/// string, leading zeros included.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArticleCode(String);

impl ArticleCode {
    pub fn parse(s: &str) -> Result<ArticleCode, CodeError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(CodeError::Empty);
        }
        if s.chars().count() > 32 {
            return Err(CodeError::TooLong(s.to_owned()));
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(CodeError::BadCharacters(s.to_owned()));
        }
        Ok(ArticleCode(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ArticleCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a scanned or typed string is, for the catalogue lookup: the article code is tried first
/// (a shop may number its articles with 8 digits), then the barcode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannedCode {
    pub code: ArticleCode,
    /// Set when the input has the shape of a GTIN; `Err` when its check digit is wrong.
    pub gtin: Option<Result<Gtin, CodeError>>,
}

impl ScannedCode {
    pub fn parse(s: &str) -> Result<ScannedCode, CodeError> {
        let code = ArticleCode::parse(s)?;
        let gtin = looks_like_gtin(code.as_str()).then(|| Gtin::parse(code.as_str()));
        Ok(ScannedCode { code, gtin })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_origin_catalogue_barcodes_are_valid_ean13() {
        for code in [
            "1946753214860",
            "9859432166010",
            "3792075124138",
            "4829105637487",
            "9056712384908",
            "1738459201677",
            "5126903748124",
            "7741039582619",
            "1983746509282",
        ] {
            assert!(Gtin::parse(code).is_ok(), "{code}");
        }
    }

    #[test]
    fn ean8_and_upca_are_checked_too() {
        assert!(Gtin::parse("96385074").is_ok());
        assert!(Gtin::parse("96385075").is_err());
        let upc = Gtin::parse("036000291452").unwrap();
        assert_eq!(upc.as_str(), "0036000291452");
        assert!(matches!(
            Gtin::parse("036000291453"),
            Err(CodeError::BadCheckDigit(_))
        ));
    }

    #[test]
    fn a_wrong_check_digit_is_a_bad_read() {
        assert!(matches!(
            Gtin::parse("1946753214861"),
            Err(CodeError::BadCheckDigit(_))
        ));
    }

    #[test]
    fn article_codes_keep_leading_zeros_and_refuse_garbage() {
        assert_eq!(ArticleCode::parse(" 0000 ").unwrap().as_str(), "0000");
        assert!(ArticleCode::parse("").is_err());
        assert!(ArticleCode::parse("12 34").is_err());
        assert!(ArticleCode::parse(&"x".repeat(33)).is_err());
        assert!(ArticleCode::parse("a\u{7}").is_err());
    }

    #[test]
    fn a_scan_knows_whether_it_looks_like_a_barcode() {
        let s = ScannedCode::parse("1234").unwrap();
        assert!(s.gtin.is_none());
        let s = ScannedCode::parse("1946753214860").unwrap();
        assert!(matches!(s.gtin, Some(Ok(_))));
        let s = ScannedCode::parse("1946753214861").unwrap();
        assert!(matches!(s.gtin, Some(Err(_))));
    }
}
