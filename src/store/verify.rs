//! `kaching verify`: walks each till's hash chain and reports any sale that was altered,
//! removed or inserted, and any gap in ticket numbers.

use serde::Serialize;

use crate::domain::sale::GENESIS_HASH;

use super::{Ledger, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainProblem {
    pub till_id: String,
    pub ticket_no: i64,
    pub problem: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub tills: usize,
    pub sales: usize,
    pub problems: Vec<ChainProblem>,
}

impl VerifyReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

impl Ledger {
    pub fn verify_chain(&self) -> StoreResult<VerifyReport> {
        let mut tills: Vec<String> = {
            let mut stmt = self.conn.prepare(
                "SELECT till_id FROM chain_heads UNION SELECT DISTINCT till_id FROM sales",
            )?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        tills.sort();
        let mut problems = Vec::new();
        let mut count = 0usize;
        for till in &tills {
            let ids: Vec<(i64, String)> = {
                let mut stmt = self.conn.prepare(
                    "SELECT ticket_no, id FROM sales WHERE till_id = ?1 ORDER BY ticket_no",
                )?;
                let rows = stmt.query_map([till], |r| Ok((r.get(0)?, r.get(1)?)))?;
                rows.collect::<Result<_, _>>()?
            };
            let mut prev_hash = GENESIS_HASH.to_owned();
            let mut expected_no = 1i64;
            let mut problem = |ticket_no: i64, p: String| {
                problems.push(ChainProblem {
                    till_id: till.clone(),
                    ticket_no,
                    problem: p,
                })
            };
            for (ticket_no, id) in &ids {
                count += 1;
                if *ticket_no != expected_no {
                    problem(
                        *ticket_no,
                        format!(
                            "ticket numbers jump from {} to {ticket_no}: a sale is missing",
                            expected_no - 1
                        ),
                    );
                }
                expected_no = ticket_no + 1;
                let sale = match self.sale(id) {
                    Ok(s) => s,
                    Err(e) => {
                        problem(*ticket_no, format!("unreadable: {e}"));
                        continue;
                    }
                };
                if sale.prev_hash != prev_hash {
                    problem(
                        *ticket_no,
                        "does not follow the previous ticket's hash".to_owned(),
                    );
                }
                if sale.compute_hash() != sale.hash {
                    problem(
                        *ticket_no,
                        "content does not match its hash: the sale was altered".to_owned(),
                    );
                }
                prev_hash = sale.hash.clone();
            }
            let head: Option<(i64, String)> = self
                .conn
                .query_row(
                    "SELECT ticket_no, hash FROM chain_heads WHERE till_id = ?1",
                    [till],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .ok();
            let last_no = expected_no - 1;
            match head {
                Some((n, h)) if n == last_no && h == prev_hash => {}
                Some((n, _)) => problem(
                    n,
                    format!(
                        "the chain head says ticket {n} but the ledger ends at {last_no}: sales were removed or the head was altered"
                    ),
                ),
                None => problem(last_no, "no chain head for this till".to_owned()),
            }
        }
        Ok(VerifyReport {
            tills: tills.len(),
            sales: count,
            problems,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::store::sales::tests::draft;
    use crate::store::testing::ledger;
    use chrono::Utc;

    #[test]
    fn an_intact_chain_verifies_and_tampering_is_found() {
        let (_d, mut l) = ledger();
        let tz = chrono_tz::Europe::Brussels;
        for (i, id) in ["a", "b", "c"].iter().enumerate() {
            l.commit_sale(
                draft(100 + i as i64),
                (*id).into(),
                "till-1",
                Utc::now(),
                tz,
            )
            .unwrap();
        }
        assert!(l.verify_chain().unwrap().is_ok());
        let c = l.connection();
        c.execute_batch("DROP TRIGGER sale_lines_are_final_u; UPDATE sale_lines SET total_cents = 1 WHERE sale_id = 'b';").unwrap();
        let r = l.verify_chain().unwrap();
        assert_eq!(r.problems.len(), 1, "{r:?}");
        assert_eq!(r.problems[0].ticket_no, 2);
    }

    #[test]
    fn removing_the_newest_sale_is_found() {
        let (_d, mut l) = ledger();
        let tz = chrono_tz::Europe::Brussels;
        l.commit_sale(draft(100), "a".into(), "till-1", Utc::now(), tz)
            .unwrap();
        l.commit_sale(draft(100), "b".into(), "till-1", Utc::now(), tz)
            .unwrap();
        l.connection()
            .execute_batch("DROP TRIGGER sales_are_final_d; DROP TRIGGER sale_lines_are_final_d; PRAGMA foreign_keys=OFF; DELETE FROM sale_lines WHERE sale_id='b'; DELETE FROM sales WHERE id='b';")
            .unwrap();
        assert!(!l.verify_chain().unwrap().is_ok());
    }
}
