//! The catalogue CSV import (`kaching catalog import FILE.csv`: `domain::catalog::parse_csv`,
//! all or nothing).
//!
//! Properties: no panic; an import either fails, naming a line of the file (a product's row is
//! neither the header nor a blank line; lines end where the CSV reader ends them, at `\n`,
//! `\r\n` or a lone `\r`), or yields valid products: at least one, every field as its own
//! parser would make it (parsing it again changes nothing), codes and barcodes unique; exported
//! again (`catalog export`) and re-imported, the products are the same.

#![no_main]

use std::collections::HashSet;

use kaching::domain::barcode::{ArticleCode, Gtin};
use kaching::domain::catalog::{CatalogError, parse_csv, to_csv};
use kaching::domain::product::{VatRate, parse_name};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match parse_csv(data) {
        Ok(products) => {
            assert!(!products.is_empty());
            let mut codes = HashSet::new();
            let mut barcodes = HashSet::new();
            for p in &products {
                assert_eq!(ArticleCode::parse(p.code.as_str()).as_ref(), Ok(&p.code));
                if let Some(b) = &p.barcode {
                    assert_eq!(Gtin::parse(b.as_str()).as_ref(), Ok(b));
                    assert!(barcodes.insert(b.as_str().to_owned()), "barcode twice: {b}");
                }
                assert!(
                    codes.insert(p.code.as_str().to_owned()),
                    "code twice: {}",
                    p.code
                );
                assert_eq!(parse_name(&p.name).as_deref(), Ok(p.name.as_str()), "{p:?}");
                assert!(!p.price.is_negative(), "{p:?}");
                assert_eq!(VatRate::parse(&p.vat.percent().to_string()), Ok(p.vat));
                assert!(p.active);
            }
            let exported = to_csv(&products).expect("export of imported products");
            assert_eq!(
                parse_csv(exported.as_bytes()).as_ref(),
                Ok(&products),
                "exported as {exported:?}"
            );
        }
        Err(e) => {
            let lines = lines(data);
            let n = lines.len() as u64;
            let (row, data_row) = match &e {
                CatalogError::Malformed { row, .. } => (*row, false),
                CatalogError::BadRow { row, .. } => (*row, true),
                CatalogError::DuplicateCode { row, first, .. }
                | CatalogError::DuplicateBarcode { row, first, .. } => {
                    assert!((2..*row).contains(first), "{e}");
                    (*row, true)
                }
                CatalogError::BadHeader(_) | CatalogError::Empty => (1, false),
            };
            assert!((1..=n).contains(&row), "{e}: the file has {n} lines");
            if data_row {
                // A product's row: never the header, never a blank line.
                assert!(row >= 2, "{e}");
                let line = String::from_utf8_lossy(lines[row as usize - 1]);
                assert!(!line.trim().is_empty(), "{e}: line {row} is {line:?}");
            }
            assert!(!e.to_string().is_empty());
        }
    }
});

/// The file's lines, ended by `\n`, `\r\n` or a lone `\r` (the CSV reader's terminators).
fn lines(data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < data.len() {
        match data[i] {
            b'\n' => {
                out.push(&data[start..i]);
                start = i + 1;
            }
            b'\r' => {
                out.push(&data[start..i]);
                if data.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(&data[start..]);
    out
}
