//! The catalogue's CSV form: `code,barcode,name,price,vat_rate`, UTF-8, quoted fields, prices
//! `1.20` or `1,20`. Parsing is all-or-nothing: the first bad row is named and nothing is kept.

use std::collections::HashMap;

use super::barcode::{ArticleCode, Gtin};
use super::money::Money;
use super::product::{Product, VatRate, parse_name};

pub const HEADER: [&str; 5] = ["code", "barcode", "name", "price", "vat_rate"];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    #[error("the file is not valid CSV near row {row}: {message}")]
    Malformed { row: u64, message: String },
    #[error("the header must be code,barcode,name,price,vat_rate (found: {0})")]
    BadHeader(String),
    #[error("row {row}: {message}")]
    BadRow { row: u64, message: String },
    #[error("row {row}: code '{code}' already appears on row {first}")]
    DuplicateCode { row: u64, code: String, first: u64 },
    #[error("row {row}: barcode '{barcode}' already appears on row {first}")]
    DuplicateBarcode {
        row: u64,
        barcode: String,
        first: u64,
    },
    #[error("the file has no products")]
    Empty,
}

/// Parses a whole catalogue file. Row numbers count the header as row 1, as a spreadsheet does.
pub fn parse_csv(data: &[u8]) -> Result<Vec<Product>, CatalogError> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(data);
    let header = reader
        .headers()
        .map_err(|e| CatalogError::Malformed {
            row: 1,
            message: e.to_string(),
        })?
        .clone();
    let names: Vec<String> = header.iter().map(|h| h.to_ascii_lowercase()).collect();
    if names != HEADER {
        return Err(CatalogError::BadHeader(names.join(",")));
    }
    let mut products = Vec::new();
    let mut codes: HashMap<String, u64> = HashMap::new();
    let mut barcodes: HashMap<String, u64> = HashMap::new();
    for (i, record) in reader.records().enumerate() {
        // The line the record starts on: blank lines are skipped by the reader but counted here,
        // so the number is the one an editor or a spreadsheet shows.
        let guess = i as u64 + 2;
        let line_at = |p: &csv::Position| line_of(data, p.byte());
        let record = record.map_err(|e| CatalogError::Malformed {
            row: e.position().map_or(guess, line_at),
            message: e.to_string(),
        })?;
        let row = record.position().map_or(guess, line_at);
        let field = |n: usize| record.get(n).unwrap_or("");
        let bad = |message: String| CatalogError::BadRow { row, message };
        let code = ArticleCode::parse(field(0)).map_err(|e| bad(e.to_string()))?;
        let barcode = match field(1) {
            "" => None,
            b => Some(Gtin::parse(b).map_err(|e| bad(e.to_string()))?),
        };
        let name = parse_name(field(2)).map_err(|e| bad(e.to_string()))?;
        let price = Money::parse(field(3)).map_err(|e| bad(format!("price: {e}")))?;
        let vat = VatRate::parse(field(4)).map_err(|e| bad(e.to_string()))?;
        if let Some(&first) = codes.get(code.as_str()) {
            return Err(CatalogError::DuplicateCode {
                row,
                code: code.to_string(),
                first,
            });
        }
        codes.insert(code.to_string(), row);
        if let Some(b) = &barcode {
            if let Some(&first) = barcodes.get(b.as_str()) {
                return Err(CatalogError::DuplicateBarcode {
                    row,
                    barcode: b.to_string(),
                    first,
                });
            }
            barcodes.insert(b.to_string(), row);
        }
        products.push(Product {
            code,
            barcode,
            name,
            price,
            vat,
            active: true,
        });
    }
    if products.is_empty() {
        return Err(CatalogError::Empty);
    }
    Ok(products)
}

/// The 1-based line of the file on which the record read from byte `offset` starts (the reader
/// reports where it began reading, before the blank lines it skipped). Lines end where the
/// reader ends them: at `\n`, `\r\n` or a lone `\r` (Excel's "CSV (Macintosh)" files), so a
/// file with either kind of line ends gets the row an editor shows (found by fuzzing, see
/// tests/fuzz_regressions.rs).
fn line_of(data: &[u8], offset: u64) -> u64 {
    let mut end = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(data.len());
    while end < data.len() && matches!(data[end], b'\n' | b'\r') {
        end += 1;
    }
    let head = &data[..end];
    let breaks = head
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && head.get(i + 1) != Some(&b'\n')))
        .count();
    breaks as u64 + 1
}

pub fn to_csv(products: &[Product]) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER)?;
    for p in products {
        w.write_record([
            p.code.as_str(),
            p.barcode.as_ref().map_or("", |b| b.as_str()),
            &p.name,
            &p.price.to_decimal_string(),
            &p.vat.percent().to_string(),
        ])?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quoted_fields_and_both_decimal_marks() {
        let csv = "code,barcode,name,price,vat_rate\n1234,1946753214860,\"Pain, au chocolat\",1.20,6\n0000,,Café,\"2,50\",6\n";
        let p = parse_csv(csv.as_bytes()).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].name, "Pain, au chocolat");
        assert_eq!(p[1].code.as_str(), "0000");
        assert_eq!(p[1].price, Money::from_cents(250));
        assert_eq!(p[1].barcode, None);
    }

    #[test]
    fn rows_are_named_by_their_line_in_the_file_blank_lines_included() {
        let csv = "code,barcode,name,price,vat_rate\n1,,A,1.00,6\n\n2,,B,abc,6\n";
        let err = parse_csv(csv.as_bytes()).unwrap_err();
        assert!(matches!(err, CatalogError::BadRow { row: 4, .. }), "{err}");
    }

    #[test]
    fn round_trips_through_export() {
        let csv = "code,barcode,name,price,vat_rate\n1234,1946753214860,\"Pain \"\"spécial\"\"\",1.20,6\n";
        let p = parse_csv(csv.as_bytes()).unwrap();
        assert_eq!(parse_csv(to_csv(&p).unwrap().as_bytes()).unwrap(), p);
    }

    #[test]
    fn names_the_bad_row() {
        let head = "code,barcode,name,price,vat_rate\n1,,A,1.00,6\n";
        let cases = [
            (format!("{head}2,,B,abc,6\n"), "row 3"),
            (format!("{head}2,,B,-1,6\n"), "row 3"),
            (format!("{head}2,,B,1.00,7\n"), "row 3"),
            (format!("{head}1,,B,1.00,6\n"), "row 3"),
            (format!("{head}2,1946753214861,B,1.00,6\n"), "row 3"),
            (format!("{head}2,,,1.00,6\n"), "row 3"),
        ];
        for (csv, want) in cases {
            let err = parse_csv(csv.as_bytes()).unwrap_err().to_string();
            assert!(err.contains(want), "{csv:?} -> {err}");
        }
        let dup_barcode =
            "code,barcode,name,price,vat_rate\n1,1946753214860,A,1,6\n2,1946753214860,B,1,6\n";
        assert!(matches!(
            parse_csv(dup_barcode.as_bytes()),
            Err(CatalogError::DuplicateBarcode {
                row: 3,
                first: 2,
                ..
            })
        ));
    }

    #[test]
    fn broken_quoting_and_bad_headers_are_refused() {
        let broken = "code,barcode,name,price,vat_rate\n1,,\"A,1.00,6\n2,,B,1.00,6\n";
        assert!(parse_csv(broken.as_bytes()).is_err());
        let short = "code,barcode,name,price,vat_rate\n1,,A,1.00\n";
        assert!(matches!(
            parse_csv(short.as_bytes()),
            Err(CatalogError::Malformed { row: 2, .. })
        ));
        assert!(matches!(
            parse_csv(b"code,name,price\n1,A,1\n"),
            Err(CatalogError::BadHeader(_))
        ));
        assert!(matches!(
            parse_csv(b"code,barcode,name,price,vat_rate\n"),
            Err(CatalogError::Empty)
        ));
        assert!(parse_csv(b"\xff\xfe").is_err());
    }
}
