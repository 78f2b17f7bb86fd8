-- The cash rounding's running total per day and till, kept in the sale's transaction beside
-- revenue and withdrawals, so the journal des recettes reads it without scanning the sales.
-- Filled here from the sales already recorded (their rounding_cents, V6).
ALTER TABLE day_totals ADD COLUMN rounding_cents INTEGER NOT NULL DEFAULT 0;
UPDATE day_totals SET rounding_cents = coalesce(
    (SELECT sum(s.rounding_cents) FROM sales s
     WHERE s.day = day_totals.day AND s.till_id = day_totals.till_id), 0);

-- A Z report counts the basket lines voided since the previous Z: the audit log's 'void' rows
-- after the last audit row the previous Z saw (audit_seq, set when it closed). By sequence, not
-- by time: a Pi without a real-time clock may step its clock back, and two rows may share a
-- millisecond. A Z closed before this migration has none: the next one counts from its time.
ALTER TABLE drawer_sessions ADD COLUMN audit_seq INTEGER;
CREATE INDEX audit_voids ON audit (seq) WHERE action = 'void';
