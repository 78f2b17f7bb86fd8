//! The catalogue CSV import (`kaching catalog import FILE.csv`: `domain::catalog::parse_csv`,
//! all or nothing).
//!
//! Properties: no panic; an import either fails, naming a row that is in the file, or yields
//! valid products: at least one, every field as its own parser would make it (parsing it again
//! changes nothing), codes and barcodes unique; exported again (`catalog export`) and
//! re-imported, the products are the same.

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
                assert!(codes.insert(p.code.as_str().to_owned()), "code twice: {}", p.code);
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
            let lines = data.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
            let row = match &e {
                CatalogError::Malformed { row, .. } | CatalogError::BadRow { row, .. } => *row,
                CatalogError::DuplicateCode { row, first, .. }
                | CatalogError::DuplicateBarcode { row, first, .. } => {
                    assert!(first < row, "{e}");
                    *row
                }
                CatalogError::BadHeader(_) | CatalogError::Empty => 1,
            };
            assert!((1..=lines).contains(&row), "{e}: the file has {lines} lines");
            assert!(!e.to_string().is_empty());
        }
    }
});
