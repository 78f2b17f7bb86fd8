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
        self.write_products(products, Barcodes::Refuse, at, by, "catalog_import")
    }

    /// Adds a product, or edits the one with the same code (the admin screen): its version
    /// moves on, the change is audited (`catalog_edit`); a barcode of another article is a
    /// conflict and changes nothing. Returns whether the product was new.
    pub fn save_product(
        &mut self,
        product: &Product,
        at: DateTime<Utc>,
        by: Option<&str>,
    ) -> StoreResult<bool> {
        let s = self.write_products(
            std::slice::from_ref(product),
            Barcodes::Refuse,
            at,
            by,
            "catalog_edit",
        )?;
        Ok(s.added == 1)
    }

    /// Applies products the central database has just accepted (the admin's edits when a
    /// central database is configured): central is the authority, so a barcode moves to the
    /// product that now carries it, as the sync pull would do. Audited with `action`.
    pub fn mirror_products(
        &mut self,
        products: &[Product],
        at: DateTime<Utc>,
        by: Option<&str>,
        action: &str,
    ) -> StoreResult<ImportSummary> {
        self.write_products(products, Barcodes::Move, at, by, action)
    }

    /// Adds or edits products. An edit or an import never changes whether an existing product
    /// is enabled (only `set_product_active` does): a price edit made from a stale list must not
    /// re-enable an article another till or the admin disabled meanwhile. A new product takes
    /// its own flag.
    fn write_products(
        &mut self,
        products: &[Product],
        barcodes: Barcodes,
        at: DateTime<Utc>,
        by: Option<&str>,
        action: &str,
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
                   version = products.version + 1",
            )?;
            // Free the barcodes that move between products within this import first.
            let mut clear = tx.prepare("UPDATE products SET barcode = NULL WHERE code = ?1")?;
            let mut free = tx.prepare("UPDATE products SET barcode = NULL WHERE barcode = ?1")?;
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
                        match barcodes {
                            Barcodes::Refuse => {
                                return Err(StoreError::Conflict(format!(
                                    "barcode {b} of article {} already belongs to article {other}",
                                    p.code
                                )));
                            }
                            Barcodes::Move => {
                                free.execute([b.as_str()])?;
                            }
                        }
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
        let detail = match products {
            [one] => format!(
                "{} {} {} ({} added, {} updated)",
                one.code,
                one.name,
                one.price.to_decimal_string(),
                summary.added,
                summary.updated
            ),
            _ => format!("{} added, {} updated", summary.added, summary.updated),
        };
        super::audit::audit_in(&tx, at, by, action, &detail)?;
        tx.commit()?;
        Ok(summary)
    }

    /// Enables or disables a product (a disabled one no longer sells); audited `catalog_edit`.
    pub fn set_product_active(
        &mut self,
        code: &ArticleCode,
        active: bool,
        at: DateTime<Utc>,
        by: Option<&str>,
    ) -> StoreResult<()> {
        let tx = self.write_tx()?;
        let n = tx.execute(
            "UPDATE products SET active = ?2, version = version + 1 WHERE code = ?1",
            params![code.as_str(), active],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound(format!("article {code}")));
        }
        let detail = format!("{code} {}", if active { "enabled" } else { "disabled" });
        super::audit::audit_in(&tx, at, by, "catalog_edit", &detail)?;
        tx.commit()?;
        Ok(())
    }
}

/// What writing a product does with a barcode another article holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Barcodes {
    /// A conflict: nothing is written.
    Refuse,
    /// The barcode moves (the central database already decided).
    Move,
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

    #[test]
    fn save_product_edits_by_code_refuses_a_taken_barcode_and_audits() {
        let (_d, mut l) = ledger();
        l.import_products(&[p("1", Some("1946753214860"), 100)], Utc::now(), None)
            .unwrap();
        assert!(
            l.save_product(&p("2", None, 200), Utc::now(), Some("1"))
                .unwrap()
        );
        assert!(
            !l.save_product(&p("2", None, 250), Utc::now(), Some("1"))
                .unwrap()
        );
        assert_eq!(l.audit_log(1).unwrap()[0].action, "catalog_edit");
        let before = l.products().unwrap();
        let err = l
            .save_product(&p("2", Some("1946753214860"), 250), Utc::now(), None)
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
        assert_eq!(l.products().unwrap(), before);
        // Central already decided: the barcode moves.
        l.mirror_products(&[p("2", Some("1946753214860"), 250)], Utc::now(), None, "x")
            .unwrap();
        let after = l.products().unwrap();
        assert_eq!(after[0].barcode, None);
        assert!(after[1].barcode.is_some());
        let code = ArticleCode::parse("2").unwrap();
        l.set_product_active(&code, false, Utc::now(), None)
            .unwrap();
        assert!(!l.products().unwrap()[1].active);
        assert!(matches!(
            l.set_product_active(&ArticleCode::parse("9").unwrap(), false, Utc::now(), None),
            Err(StoreError::NotFound(_))
        ));
    }
}
