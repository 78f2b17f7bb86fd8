//! The catalogue: lookup by article code or barcode, all-or-nothing import, export.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};

use crate::domain::barcode::CodeError;
use crate::domain::{ArticleCode, Gtin, Money, Product, ScannedCode, VatRate};

use super::{Ledger, StoreError, StoreResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ImportSummary {
    pub added: usize,
    pub updated: usize,
}

const COLUMNS: &str = "code, barcode, name, price_cents, vat_rate, active";

fn product_from_row(r: &Row<'_>) -> rusqlite::Result<Result<Product, StoreError>> {
    let code: String = r.get(0)?;
    let barcode: Option<String> = r.get(1)?;
    let name: String = r.get(2)?;
    let price: i64 = r.get(3)?;
    let vat: u8 = r.get(4)?;
    let active: bool = r.get(5)?;
    Ok((|| {
        Ok(Product {
            code: ArticleCode::parse(&code).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            barcode: barcode
                .map(|b| Gtin::parse(&b))
                .transpose()
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            name,
            price: Money::from_cents(price),
            vat: VatRate::try_from(vat).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            active,
        })
    })())
}

/// What a lookup found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Found(Product),
    Unknown,
    BadCheckDigit(CodeError),
}

impl Ledger {
    /// Finds a product by article code first, then by barcode (the GTIN's check digit must be
    /// right: a bad read is reported, never matched to a wrong product).
    pub fn lookup(&self, scanned: &ScannedCode) -> StoreResult<Lookup> {
        let mut by_code = self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM products WHERE code = ?1"))?;
        if let Some(p) = by_code
            .query_row([scanned.code.as_str()], product_from_row)
            .optional()?
        {
            return Ok(Lookup::Found(p?));
        }
        match &scanned.gtin {
            Some(Ok(gtin)) => {
                let mut by_barcode = self.conn.prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM products WHERE barcode = ?1"
                ))?;
                match by_barcode
                    .query_row([gtin.as_str()], product_from_row)
                    .optional()?
                {
                    Some(p) => Ok(Lookup::Found(p?)),
                    None => Ok(Lookup::Unknown),
                }
            }
            Some(Err(e)) => Ok(Lookup::BadCheckDigit(e.clone())),
            None => Ok(Lookup::Unknown),
        }
    }

    pub fn products(&self) -> StoreResult<Vec<Product>> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM products ORDER BY code"))?;
        let rows = stmt.query_map([], product_from_row)?;
        let mut out = Vec::new();
        for r in rows {
            out.push(r??);
        }
        Ok(out)
    }

    pub fn product_count(&self) -> StoreResult<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM products", [], |r| r.get(0))?)
    }

    /// Adds or updates every product in one transaction: either all are written or none.
    /// A barcode already used by another article code is a conflict naming both.
    pub fn import_products(
        &mut self,
        products: &[Product],
        at: DateTime<Utc>,
        by: Option<&str>,
    ) -> StoreResult<ImportSummary> {
        let tx = self.write_tx()?;
        let mut summary = ImportSummary {
            added: 0,
            updated: 0,
        };
        {
            let mut owner = tx.prepare("SELECT code FROM products WHERE barcode = ?1")?;
            let mut exists = tx.prepare("SELECT 1 FROM products WHERE code = ?1")?;
            let mut upsert = tx.prepare(
                "INSERT INTO products (code, barcode, name, price_cents, vat_rate, active, version)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1)
                 ON CONFLICT (code) DO UPDATE SET barcode = excluded.barcode, name = excluded.name,
                   price_cents = excluded.price_cents, vat_rate = excluded.vat_rate,
                   active = excluded.active, version = products.version + 1",
            )?;
            // Free the barcodes that move between products within this import first.
            let mut clear = tx.prepare("UPDATE products SET barcode = NULL WHERE code = ?1")?;
            for p in products {
                if exists.exists([p.code.as_str()])? {
                    clear.execute([p.code.as_str()])?;
                }
            }
            for p in products {
                if let Some(b) = &p.barcode {
                    let current: Option<String> =
                        owner.query_row([b.as_str()], |r| r.get(0)).optional()?;
                    if let Some(other) = current.filter(|c| c != p.code.as_str()) {
                        return Err(StoreError::Conflict(format!(
                            "barcode {b} of article {} already belongs to article {other}",
                            p.code
                        )));
                    }
                }
                if exists.exists([p.code.as_str()])? {
                    summary.updated += 1;
                } else {
                    summary.added += 1;
                }
                upsert.execute(params![
                    p.code.as_str(),
                    p.barcode.as_ref().map(|b| b.as_str().to_owned()),
                    p.name,
                    p.price.cents(),
                    p.vat.percent(),
                    p.active
                ])?;
            }
        }
        tx.execute(
            "INSERT INTO audit (at, staff_id, action, detail) VALUES (?1, ?2, 'catalog_import', ?3)",
            params![super::ts(at), by, format!("{} added, {} updated", summary.added, summary.updated)],
        )?;
        tx.commit()?;
        Ok(summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::ledger;

    fn p(code: &str, barcode: Option<&str>, cents: i64) -> Product {
        Product {
            code: ArticleCode::parse(code).unwrap(),
            barcode: barcode.map(|b| Gtin::parse(b).unwrap()),
            name: format!("P{code}"),
            price: Money::from_cents(cents),
            vat: VatRate::Six,
            active: true,
        }
    }

    #[test]
    fn finds_by_code_then_by_barcode_and_reports_bad_reads() {
        let (_d, mut l) = ledger();
        l.import_products(&[p("1234", Some("1946753214860"), 120)], Utc::now(), None)
            .unwrap();
        let by_code = l.lookup(&ScannedCode::parse("1234").unwrap()).unwrap();
        assert!(matches!(by_code, Lookup::Found(ref x) if x.price == Money::from_cents(120)));
        assert!(matches!(
            l.lookup(&ScannedCode::parse("1946753214860").unwrap())
                .unwrap(),
            Lookup::Found(_)
        ));
        assert_eq!(
            l.lookup(&ScannedCode::parse("9999").unwrap()).unwrap(),
            Lookup::Unknown
        );
        assert!(matches!(
            l.lookup(&ScannedCode::parse("1946753214861").unwrap())
                .unwrap(),
            Lookup::BadCheckDigit(_)
        ));
    }

    #[test]
    fn import_updates_and_conflicts_change_nothing() {
        let (_d, mut l) = ledger();
        let s = l
            .import_products(
                &[p("1", Some("1946753214860"), 100), p("2", None, 200)],
                Utc::now(),
                None,
            )
            .unwrap();
        assert_eq!(
            s,
            ImportSummary {
                added: 2,
                updated: 0
            }
        );
        let s = l
            .import_products(&[p("1", Some("1946753214860"), 150)], Utc::now(), None)
            .unwrap();
        assert_eq!(
            s,
            ImportSummary {
                added: 0,
                updated: 1
            }
        );
        let before = l.products().unwrap();
        let err = l
            .import_products(
                &[p("3", None, 1), p("2", Some("1946753214860"), 200)],
                Utc::now(),
                None,
            )
            .unwrap_err();
        assert!(
            err.to_string().contains("already belongs to article 1"),
            "{err}"
        );
        assert_eq!(l.products().unwrap(), before);
    }
}
