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
