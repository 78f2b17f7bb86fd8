-- The cash rounding's running total per day and till, kept in the sale's transaction beside
-- revenue and withdrawals, so the journal des recettes reads it without scanning the sales.
-- Filled here from the sales already recorded (their rounding_cents, V6).
ALTER TABLE day_totals ADD COLUMN rounding_cents INTEGER NOT NULL DEFAULT 0;
UPDATE day_totals SET rounding_cents = coalesce(
    (SELECT sum(s.rounding_cents) FROM sales s
     WHERE s.day = day_totals.day AND s.till_id = day_totals.till_id), 0);
