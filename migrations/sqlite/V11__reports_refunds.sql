-- The journal des recettes shows, per day and VAT rate, what credit notes took back and what
-- discounts took off. The day's totals are kept at commit time (day_totals, day_vat, V10); the
-- split per rate is read from the lines of the sales that have a credit note's or a discount's
-- share, which this partial index finds by day without touching the day's plain sales: a
-- query repeating its condition, `(s.kind = 'refund' OR s.discount_cents <> 0)`, uses it
-- (src/store/reports.rs). No running total to keep in step, nothing to back-fill.
CREATE INDEX sales_adjusted_by_day ON sales (day) WHERE kind = 'refund' OR discount_cents <> 0;
