//! The inputs the fuzzers (fuzz/, docs/FUZZING.md) found a bug with, fed to the same library
//! code in the normal test suite: each test names the bug it pins and fails without its fix.
//! The inputs are also in the fuzz corpora, so the fuzzers start from them.

use kaching::domain::catalog::{parse_csv, to_csv};

/// catalog_csv: a name cell `"\x01 Pain"` was imported as ` Pain` (the control character was
/// dropped after the spaces were trimmed, uncovering one); exported and imported again it
/// became `Pain`, so `catalog export` then `catalog import` changed the catalogue.
#[test]
fn a_name_whose_control_character_hid_a_space_is_trimmed_and_survives_an_export() {
    let csv = b"code,barcode,name,price,vat_rate\n1,,\"\x01 Pain\",1.00,6\n";
    let products = parse_csv(csv).unwrap();
    assert_eq!(products[0].name, "Pain");
    let exported = to_csv(&products).unwrap();
    assert_eq!(parse_csv(exported.as_bytes()).unwrap(), products);
}

/// catalog_csv: rows were counted by `\n` alone, but the CSV reader also ends a line at a lone
/// `\r`; in a file saved with old Mac line ends (Excel's "CSV (Macintosh)") every error said
/// "row 1" (the header), and blank lines made of `\r` were not counted.
#[test]
fn rows_are_counted_by_every_line_end_the_csv_reader_knows() {
    let mac = b"code,barcode,name,price,vat_rate\r1,,A,1.00,6\r2,,B,abc,6\r";
    let err = parse_csv(mac).unwrap_err().to_string();
    assert!(err.starts_with("row 3:"), "{err}");
    // The fuzzer's input, shortened: three blank lines of lone `\r` before the bad row.
    let blank_crs = b"code,barcode,name,price,vat_rate\n1,,A,1.00,6\n\r\r\r2,,B,abc,6\n";
    let err = parse_csv(blank_crs).unwrap_err().to_string();
    assert!(err.starts_with("row 6:"), "{err}");
    // Windows line ends still count once.
    let crlf = b"code,barcode,name,price,vat_rate\r\n1,,A,1.00,6\r\n\r\n2,,B,abc,6\r\n";
    let err = parse_csv(crlf).unwrap_err().to_string();
    assert!(err.starts_with("row 4:"), "{err}");
}
