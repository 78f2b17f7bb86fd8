//! In-store labels (`domain::instore`): the layout patterns of `scanner.instore_pattern` and
//! the codes a scale prints with them.
//!
//! Input: the pattern setting, a newline, then the code (text), or in "label" form the digits
//! to print. Steps: `InstoreRules::parse` of the first line; `decode` of the rest as a scanned
//! code; and for each pattern, a label made from it by this target (fixed digits kept, the
//! input's digits for the article, value and `X`, the GS1 price check digit and the EAN check
//! digit computed) decoded again.
//!
//! Properties: no panic; a pattern's text parses again to the same pattern; a decoded label has
//! a valid EAN check digit, as many article digits as the pattern's `P`s, a positive value, and
//! a line price for any catalogue price (or none, never a panic); a label made from a pattern
//! decodes to the article and the value it was made with (or `ZeroValue` when the value is 0).

#![no_main]

use kaching::domain::Money;
use kaching::domain::barcode::Gtin;
use kaching::domain::instore::{
    Embedded, InstoreError, InstorePattern, InstoreRules, ValueKind, price_check_digit,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (pattern, rest) = kaching_fuzz::split_line(data);
    let Ok(pattern) = std::str::from_utf8(pattern) else {
        return;
    };
    let Ok(rules) = InstoreRules::parse(pattern) else {
        return;
    };
    for p in rules.patterns() {
        assert_eq!(InstorePattern::parse(p.as_str()).as_ref(), Ok(p));
    }
    let scanned = String::from_utf8_lossy(rest);
    if let Some(decoded) = rules.decode(&scanned) {
        let code = scanned.trim();
        let p = rules
            .patterns()
            .iter()
            .find(|p| p.matches(code))
            .expect("a decoded code matches a pattern");
        match decoded {
            Ok(label) => {
                assert!(
                    Gtin::parse(code).is_ok(),
                    "{code} decoded with a bad check digit"
                );
                let ps = p.as_str().chars().filter(|&c| c == 'P').count();
                assert_eq!(label.article.len(), ps, "{code} with {p}");
                assert!(label.article.bytes().all(|b| b.is_ascii_digit()));
                assert!(!label.article_candidates().is_empty(), "{label:?}");
                match label.embedded {
                    Embedded::Price(m) => assert!(m.cents() > 0 && p.kind() == ValueKind::Price),
                    Embedded::Weight { grams } => {
                        assert!(grams > 0 && p.kind() == ValueKind::Weight)
                    }
                }
                for price in [0, 1, 399, 99_999_999, i64::MAX] {
                    if let Some((unit, name)) =
                        label.line_price("Tomates", Money::from_cents(price))
                    {
                        assert!(!unit.is_negative(), "{label:?} at {price}: {unit:?}");
                        assert!(name.starts_with("Tomates"));
                    }
                }
            }
            Err(InstoreError::BadCheckDigit(c)) => assert!(Gtin::parse(&c).is_err()),
            Err(_) => {}
        }
    }
    for p in rules.patterns() {
        made_label(p, rest);
    }
});

/// The EAN/UPC check digit for `data` (the digits before it): GS1 mod 10, weights 3,1,3,1…
/// from the right.
fn ean_check(data: &[u8]) -> u8 {
    let sum: u32 = data
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| u32::from(d) * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// Prints a label of pattern `p` with the digits of `bytes`, then decodes it.
fn made_label(p: &InstorePattern, bytes: &[u8]) {
    let mut digits = bytes.iter().map(|b| b % 10).chain(std::iter::repeat(7));
    let text = p.as_str();
    let mut code: Vec<u8> = Vec::new();
    let (mut article, mut value) = (String::new(), Vec::new());
    let (mut check_at, mut decimals, mut after_dot) = (None, 0u32, false);
    for c in text.chars() {
        match c {
            '0'..='9' => code.push(c as u8 - b'0'),
            'P' => {
                let d = digits.next().unwrap_or(0);
                article.push(char::from(b'0' + d));
                code.push(d);
            }
            'V' | 'W' => {
                let d = digits.next().unwrap_or(0);
                value.push(d);
                code.push(d);
                if after_dot {
                    decimals += 1;
                }
            }
            '.' => after_dot = true,
            'X' => code.push(digits.next().unwrap_or(0)),
            'C' => {
                check_at = Some(code.len());
                code.push(0);
            }
            'K' => {}
            other => panic!("{other:?} in a parsed pattern {text}"),
        }
    }
    if let Some(at) = check_at {
        code[at] = price_check_digit(&value).expect("C covers 4 or 5 digits");
    }
    code.push(ean_check(&code));
    let code: String = code.iter().map(|d| char::from(b'0' + d)).collect();
    let n = value.iter().fold(0i64, |n, &d| n * 10 + i64::from(d));
    let decoded = p
        .decode(&code)
        .unwrap_or_else(|| panic!("{code} made from {text} does not match it"));
    if n == 0 {
        assert_eq!(decoded, Err(InstoreError::ZeroValue(code)));
        return;
    }
    let label = decoded.unwrap_or_else(|e| panic!("{code} made from {text}: {e}"));
    assert_eq!(label.article, article, "{code} made from {text}");
    let embedded = match p.kind() {
        ValueKind::Price => {
            let decimals = if after_dot { decimals } else { 2 };
            Embedded::Price(Money::from_cents(n * 10i64.pow(2 - decimals)))
        }
        ValueKind::Weight => {
            let decimals = if after_dot { decimals } else { 3 };
            Embedded::Weight {
                grams: n * 10i64.pow(3 - decimals),
            }
        }
    };
    assert_eq!(label.embedded, embedded, "{code} made from {text}");
}
