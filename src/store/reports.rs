//! Report queries. The day report reads the day's lines through the `sales_by_day` index; the
//! list of days and the journal read the running totals kept at commit time (the cash rounding
//! among them, since V9; the credit notes and discounts of each day since V10), so both stay in
//! milliseconds on a ledger of a million lines (see docs/BENCHMARKS.md). The journal's credit
//! notes and discounts per VAT rate are read from the lines of the sales that have some, found
//! through the partial index `sales_adjusted_by_day` (V11): a day of plain sales costs nothing
//! more.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::params;

use crate::domain::report::{
    DayRefundRow, DayReport, DayRoundingRow, DaySummary, DayVatRow, Journal, ReportLine,
    TicketRounding,
};
use crate::domain::sale::SaleKind;
use crate::domain::{LineKind, Money, VatRate};

use super::{Ledger, StoreError, StoreResult, parse_ts, ts};

fn parse_day(s: &str) -> StoreResult<NaiveDate> {
    s.parse()
        .map_err(|_| StoreError::Corrupt(format!("bad day '{s}'")))
}

impl Ledger {
    /// Every line sold (or returned by a credit note) on `day` (shop-local), in time order,
    /// with the report's totals and the tickets' cash rounding.
    pub fn day_report(&self, day: NaiveDate, tz: Tz) -> StoreResult<DayReport> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.paid_at, s.till_id, s.ticket_no, s.staff_name, l.name, l.qty, l.kind, l.total_cents, l.vat_rate,
               s.rounding_cents, s.kind, l.discount_cents
             FROM sales s JOIN sale_lines l ON l.sale_id = s.id
             WHERE s.day = ?1
             ORDER BY s.paid_at, s.till_id, s.ticket_no, l.line_no",
        )?;
        let mut rows = stmt.query([day.to_string()])?;
        let mut lines = Vec::new();
        let mut roundings = Vec::new();
        // Sales of one ticket share a time: convert each distinct instant once.
        let mut last: Option<(String, String)> = None;
        while let Some(r) = rows.next()? {
            let paid_at: String = r.get(0)?;
            let time = match &last {
                Some((raw, local)) if *raw == paid_at => local.clone(),
                _ => {
                    let local = parse_ts(&paid_at)?
                        .with_timezone(&tz)
                        .format("%H:%M:%S")
                        .to_string();
                    last = Some((paid_at, local.clone()));
                    local
                }
            };
            let kind: String = r.get(6)?;
            let vat: Option<u8> = r.get(8)?;
            let sale_kind: String = r.get(10)?;
            let refund = match SaleKind::parse(&sale_kind) {
                Some(k) => k == SaleKind::Refund,
                None => return Err(StoreError::Corrupt(format!("sale kind {sale_kind}"))),
            };
            let (till_id, ticket_no, rounding): (String, i64, i64) =
                (r.get(1)?, r.get(2)?, r.get(9)?);
            // A ticket's lines come together: its rounding is taken once, at its first line.
            let first_line = lines
                .last()
                .is_none_or(|l: &ReportLine| l.ticket_no != ticket_no || l.till_id != till_id);
            if rounding != 0 && first_line {
                roundings.push(TicketRounding {
                    till_id: till_id.clone(),
                    ticket_no,
                    rounding_cents: Money::from_cents(rounding),
                });
            }
            lines.push(ReportLine {
                time,
                till_id,
                ticket_no,
                seller: r.get(3)?,
                product: r.get(4)?,
                qty: r.get(5)?,
                kind: LineKind::parse(&kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("line kind {kind}")))?,
                total_cents: Money::from_cents(r.get(7)?),
                vat_rate: vat
                    .map(VatRate::try_from)
                    .transpose()
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                discount_cents: Money::from_cents(r.get(11)?),
                refund,
            });
        }
        Ok(DayReport::build_with_rounding(day, lines, roundings))
    }

    /// The days that have sales, newest first, without the hidden ones.
    pub fn days(&self) -> StoreResult<Vec<DaySummary>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT day, sum(tickets), sum(revenue_cents), sum(withdrawal_cents) FROM day_totals
             WHERE day NOT IN (SELECT day FROM hidden_days)
             GROUP BY day ORDER BY day DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (day, tickets, revenue, withdrawals) = row?;
            out.push(DaySummary {
                day: parse_day(&day)?,
                tickets,
                revenue_cents: Money::from_cents(revenue),
                withdrawal_cents: Money::from_cents(withdrawals),
            });
        }
        Ok(out)
    }

    /// The daily receipts journal for `from..=to` (hidden days included: hiding is for the
    /// screen's list, the journal is a legal record).
    pub fn journal(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Result<Journal, crate::domain::report::JournalError>> {
        if let Err(e) = crate::domain::report::check_period(from, to) {
            return Ok(Err(e));
        }
        let (f, t) = (from.to_string(), to.to_string());
        let mut stmt = self.conn.prepare_cached(
            "SELECT day, sum(tickets), sum(revenue_cents), sum(withdrawal_cents), sum(rounding_cents),
               sum(refunds), sum(refund_cents), sum(discount_cents)
             FROM day_totals WHERE day BETWEEN ?1 AND ?2 GROUP BY day",
        )?;
        let mut summaries = Vec::new();
        let mut rounding_rows = Vec::new();
        let mut refund_rows = Vec::new();
        for row in stmt.query_map(params![f, t], |r| {
            Ok((
                r.get::<_, String>(0)?,
                [
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, i64>(6)?,
                    r.get::<_, i64>(7)?,
                ],
            ))
        })? {
            let (
                day,
                [
                    tickets,
                    revenue,
                    withdrawals,
                    rounding,
                    refunds,
                    refund,
                    discount,
                ],
            ) = row?;
            let day = parse_day(&day)?;
            summaries.push(DaySummary {
                day,
                tickets,
                revenue_cents: Money::from_cents(revenue),
                withdrawal_cents: Money::from_cents(withdrawals),
            });
            rounding_rows.push(DayRoundingRow {
                day,
                rounding: Money::from_cents(rounding),
            });
            refund_rows.push(DayRefundRow {
                day,
                refunds,
                refund: Money::from_cents(refund),
                discount: Money::from_cents(discount),
            });
        }
        let mut vat_rows = Vec::new();
        let rate = |p: u8| VatRate::try_from(p).map_err(|e| StoreError::Corrupt(e.to_string()));
        let mut stmt = self.conn.prepare_cached(
            "SELECT day, vat_rate, sum(gross_cents) FROM day_vat WHERE day BETWEEN ?1 AND ?2 GROUP BY day, vat_rate",
        )?;
        for row in stmt.query_map(params![f, t], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, u8>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })? {
            let (day, vat, gross) = row?;
            vat_rows.push(DayVatRow {
                day: parse_day(&day)?,
                rate: rate(vat)?,
                gross: Money::from_cents(gross),
                refunds: Money::ZERO,
                discount: Money::ZERO,
            });
        }
        // Per rate, what credit notes took back and discounts took off: the lines of the sales
        // that have some (the WHERE repeats the partial index's condition, so SQLite uses it).
        // Their gross is already in `day_vat`: these rows add none.
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.day, l.vat_rate,
               sum(CASE WHEN s.kind = 'refund' THEN l.total_cents ELSE 0 END), sum(l.discount_cents)
             FROM sales s JOIN sale_lines l ON l.sale_id = s.id
             WHERE s.day BETWEEN ?1 AND ?2 AND (s.kind = 'refund' OR s.discount_cents <> 0)
               AND l.kind = 'item' AND l.vat_rate IS NOT NULL
             GROUP BY s.day, l.vat_rate",
        )?;
        for row in stmt.query_map(params![f, t], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, u8>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })? {
            let (day, vat, refunds, discount) = row?;
            vat_rows.push(DayVatRow {
                day: parse_day(&day)?,
                rate: rate(vat)?,
                gross: Money::ZERO,
                refunds: Money::from_cents(refunds),
                discount: Money::from_cents(discount),
            });
        }
        Ok(Journal::build(
            from,
            to,
            &summaries,
            &vat_rows,
            &rounding_rows,
            &refund_rows,
        ))
    }

    /// This ledger's (tickets sold, credit notes, net revenue cents) for a day, all tills it
    /// holds.
    pub fn day_totals(&self, day: NaiveDate) -> StoreResult<(i64, i64, i64)> {
        Ok(self.conn.query_row(
            "SELECT coalesce(sum(tickets), 0), coalesce(sum(refunds), 0), coalesce(sum(revenue_cents), 0)
             FROM day_totals WHERE day = ?1",
            [day.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?)
    }

    /// The days hidden from the list (also applied to the central list of days on this till).
    pub fn hidden_days(&self) -> StoreResult<Vec<NaiveDate>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT day FROM hidden_days ORDER BY day")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(parse_day(&row?)?);
        }
        Ok(out)
    }

    /// Hides a day from the list of days (its sales stay; audited).
    pub fn hide_day(
        &mut self,
        day: NaiveDate,
        at: DateTime<Utc>,
        by: Option<&str>,
    ) -> StoreResult<()> {
        let tx = self.write_tx()?;
        tx.execute(
            "INSERT INTO hidden_days (day, hidden_at, staff_id) VALUES (?1, ?2, ?3) ON CONFLICT (day) DO NOTHING",
            params![day.to_string(), ts(at), by],
        )?;
        super::audit::audit_in(&tx, at, by, "report_hidden", &day.to_string())?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::ledger;

    #[test]
    fn day_report_days_and_journal_agree() {
        let (_d, mut l) = ledger();
        let tz = chrono_tz::Europe::Brussels;
        // 21:30Z on the 30th is 23:30 in Brussels: still the 30th. 22:30Z is the 31st.
        let t1 = DateTime::parse_from_rfc3339("2026-05-30T21:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let t2 = DateTime::parse_from_rfc3339("2026-05-30T22:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        l.commit_sale(
            crate::store::sales::tests::draft(100),
            "a".into(),
            "till-1",
            t1,
            tz,
        )
        .unwrap();
        l.commit_sale(
            crate::store::sales::tests::draft(250),
            "b".into(),
            "till-1",
            t2,
            tz,
        )
        .unwrap();
        let d30 = NaiveDate::from_ymd_opt(2026, 5, 30).unwrap();
        let d31 = NaiveDate::from_ymd_opt(2026, 5, 31).unwrap();
        let r = l.day_report(d31, tz).unwrap();
        assert_eq!(r.revenue_cents, Money::from_cents(250));
        assert_eq!(r.lines[0].time, "00:30:00");
        let days = l.days().unwrap();
        assert_eq!(
            days.iter().map(|d| d.day).collect::<Vec<_>>(),
            vec![d31, d30]
        );
        let j = l.journal(d30, d31).unwrap().unwrap();
        assert_eq!(j.revenue_cents, Money::from_cents(350));
        l.hide_day(d30, Utc::now(), Some("1")).unwrap();
        assert_eq!(l.days().unwrap().len(), 1);
        assert_eq!(l.hidden_days().unwrap(), vec![d30]);
        assert_eq!(
            l.journal(d30, d31).unwrap().unwrap().days[0].revenue_cents,
            Money::from_cents(100)
        );
    }

    /// A cash sale of one 21 % article at `cents`, rounded as in Belgium.
    fn rounded_cash(cents: i64, method: crate::domain::PaymentMethod) -> crate::domain::SaleDraft {
        use crate::domain::basket::Basket;
        use crate::domain::{Account, ArticleCode, Product, SaleDraft, StaffId};
        let mut b = Basket::new();
        b.add_item(&Product {
            code: ArticleCode::parse("901").unwrap(),
            barcode: None,
            name: "Article".into(),
            price: Money::from_cents(cents),
            vat: VatRate::TwentyOne,
            active: true,
        })
        .unwrap();
        SaleDraft::build(
            StaffId::parse("27").unwrap(),
            "AWA".into(),
            Account::Main,
            &b.take(Account::Main),
            method,
            None,
            true,
        )
        .unwrap()
    }

    #[test]
    fn the_ledger_keeps_the_rounding_apart_in_the_day_report_and_the_journal() {
        use crate::domain::PaymentMethod::{Cash, Qr};
        let (_d, mut l) = ledger();
        let tz = chrono_tz::Europe::Brussels;
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        // 1st: 1,01 → 1,00 (−1), 1,03 → 1,05 (+2), 1,07 by QR (0). 2nd: 1,09 → 1,10 (+1).
        for (cents, method, t) in [
            (101, Cash, "2026-12-01T09:00:00Z"),
            (103, Cash, "2026-12-01T09:01:00Z"),
            (107, Qr, "2026-12-01T09:02:00Z"),
            (109, Cash, "2026-12-02T09:00:00Z"),
        ] {
            l.commit_sale(
                rounded_cash(cents, method),
                format!("s{cents}"),
                "till-1",
                at(t),
                tz,
            )
            .unwrap();
        }
        let d1 = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let d2 = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let r = l.day_report(d1, tz).unwrap();
        assert_eq!(
            (r.revenue_cents.cents(), r.rounding_cents.cents()),
            (101 + 103 + 107, 1)
        );
        assert_eq!(
            r.roundings
                .iter()
                .map(|t| (t.ticket_no, t.rounding_cents.cents()))
                .collect::<Vec<_>>(),
            [(1, -1), (2, 2)]
        );
        let j = l.journal(d1, d2).unwrap().unwrap();
        assert_eq!(
            j.days
                .iter()
                .map(|d| (d.revenue_cents.cents(), d.rounding_cents.cents()))
                .collect::<Vec<_>>(),
            [(311, 1), (109, 1)]
        );
        assert_eq!(
            (j.revenue_cents.cents(), j.rounding_cents.cents()),
            (420, 2)
        );
        assert_eq!(
            j.by_vat[3].gross_cents.cents(),
            420,
            "VAT on the goods only"
        );
    }

    /// A cash sale of a déodorant (4,00 €, 21 %) at −10 % and two cafés (2,50 €, 6 %), then a
    /// credit note for one café paid back in cash, by hand: the sale is 3,60 + 5,00 = 8,60 €
    /// (discount 0,40 €); the credit note −2,50 €; the day's net 6,10 € (6 %: 5,00 − 2,50 =
    /// 2,50 €; 21 %: 3,60 €), discounts 0,40 €.
    #[test]
    fn the_day_report_and_the_journal_count_a_credit_note_apart_inside_the_net() {
        use crate::domain::basket::Basket;
        use crate::domain::discount::{Discount, DiscountRule};
        use crate::domain::refund::RefundBasket;
        use crate::domain::{Account, ArticleCode, PaymentMethod, Product, SaleDraft, StaffId};
        let (_d, mut l) = ledger();
        let tz = chrono_tz::Europe::Brussels;
        let product = |code: &str, cents: i64, vat: VatRate| Product {
            code: ArticleCode::parse(code).unwrap(),
            barcode: None,
            name: format!("Article {code}"),
            price: Money::from_cents(cents),
            vat,
            active: true,
        };
        let mut b = Basket::new();
        b.add_item(&product("4821", 400, VatRate::TwentyOne))
            .unwrap();
        b.add_item(&product("0000", 250, VatRate::Six)).unwrap();
        b.add_item(&product("0000", 250, VatRate::Six)).unwrap();
        b.discount_line(1, Discount::new(DiscountRule::Percent(1000)))
            .unwrap();
        let staff = StaffId::parse("1").unwrap();
        let draft = SaleDraft::build(
            staff.clone(),
            "ADMIN".into(),
            Account::Main,
            &b.take(Account::Main),
            PaymentMethod::Cash,
            None,
            true,
        )
        .unwrap();
        let at = DateTime::parse_from_rfc3339("2026-12-01T09:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let sale = l
            .commit_sale(draft, "s".into(), "till-1", at, tz)
            .unwrap()
            .sale;
        let mut refund = RefundBasket::new(&sale, &Default::default()).unwrap();
        refund.pick(2, 1).unwrap();
        let draft = refund
            .draft(
                staff,
                "ADMIN".into(),
                PaymentMethod::Cash,
                true,
                "retour".into(),
                Some("1".into()),
            )
            .unwrap();
        l.commit_sale(draft, "r".into(), "till-1", at, tz).unwrap();

        let d1 = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let r = l.day_report(d1, tz).unwrap();
        assert_eq!(
            (r.tickets, r.refunds, r.discounts),
            (1, 1, 1),
            "a credit note is not a ticket sold"
        );
        assert_eq!(
            (
                r.sales_cents.cents(),
                r.refund_cents.cents(),
                r.revenue_cents.cents(),
                r.discount_cents.cents()
            ),
            (860, -250, 610, 40)
        );
        let refund_lines: Vec<(i64, i64, bool)> = r
            .lines
            .iter()
            .map(|l| (l.qty, l.total_cents.cents(), l.refund))
            .collect();
        assert_eq!(
            refund_lines,
            [(1, 360, false), (2, 500, false), (-1, -250, true)]
        );
        let per_rate = |by_vat: &[crate::domain::report::VatTotal]| -> Vec<[i64; 5]> {
            by_vat
                .iter()
                .filter(|v| !v.sales_cents.is_zero() || !v.refund_cents.is_zero())
                .map(|v| {
                    [
                        i64::from(v.rate.percent()),
                        v.sales_cents.cents(),
                        v.refund_cents.cents(),
                        v.gross_cents.cents(),
                        v.discount_cents.cents(),
                    ]
                })
                .collect()
        };
        assert_eq!(
            per_rate(&r.by_vat),
            [[6, 500, -250, 250, 0], [21, 360, 0, 360, 40]]
        );
        let j = l.journal(d1, d1).unwrap().unwrap();
        assert_eq!(
            (
                j.days[0].tickets,
                j.days[0].refunds,
                j.revenue_cents.cents()
            ),
            (1, 1, 610)
        );
        assert_eq!(
            (
                j.sales_cents.cents(),
                j.refund_cents.cents(),
                j.discount_cents.cents()
            ),
            (860, -250, 40)
        );
        assert_eq!(per_rate(&j.by_vat), per_rate(&r.by_vat));
        assert_eq!(j.by_vat, j.days[0].by_vat);
        assert_eq!(l.day_totals(d1).unwrap(), (1, 1, 610));
    }
}
