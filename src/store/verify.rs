//! `kaching verify`: walks each till's hash chain and reports any sale that was altered,
//! removed or inserted, and any gap in ticket numbers. Each problem is a [`Text`]
//! (`report-chain-…` in `reports.ftl`): `kaching verify` and `kaching doctor` say it in their
//! language.

use serde::Serialize;

use crate::domain::sale::GENESIS_HASH;
use crate::i18n::{Lang, Text};

use super::{Ledger, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainProblem {
    pub till_id: String,
    pub ticket_no: i64,
    /// Serialised in English.
    #[serde(serialize_with = "in_english")]
    pub problem: Text,
}

fn in_english<S: serde::Serializer>(t: &Text, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.render(Lang::En))
}

impl ChainProblem {
    /// `till-1 ticket 2: content does not match its hash…`, in `lang`.
    pub fn describe(&self) -> Text {
        Text::msg("report-chain-problem")
            .arg("till", self.till_id.as_str())
            .arg("ticket", self.ticket_no)
            .arg("problem", self.problem.clone())
    }
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
            let mut problem = |ticket_no: i64, p: Text| {
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
                        Text::msg("report-chain-gap")
                            .arg("from", expected_no - 1)
                            .arg("to", *ticket_no),
                    );
                }
                expected_no = ticket_no + 1;
                let sale = match self.sale(id) {
                    Ok(s) => s,
                    Err(e) => {
                        problem(
                            *ticket_no,
                            Text::msg("report-chain-unreadable").arg("error", e.to_string()),
                        );
                        continue;
                    }
                };
                if sale.prev_hash != prev_hash {
                    problem(*ticket_no, Text::msg("report-chain-broken-link"));
                }
                if sale.compute_hash() != sale.hash {
                    problem(*ticket_no, Text::msg("report-chain-altered"));
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
                    Text::msg("report-chain-head")
                        .arg("head", n)
                        .arg("last", last_no),
                ),
                None => problem(last_no, Text::msg("report-chain-no-head")),
            }
        }
        // The Z reports' chains too.
        problems.extend(self.verify_z_chains()?);
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
