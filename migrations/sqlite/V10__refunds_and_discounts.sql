-- Refunds (credit notes) and discounts. A refund is a sale of kind 'refund' in the same gapless,
-- chained series, naming the sale it reverses (its id, till, number, date and tender, as the
-- credit note prints them); its lines are negative and name the original line they return.
-- Every discount is an explicit value on the line it reduces (discount_cents; a line's total is
-- unit × qty − discount), and the sale keeps their sum. Old rows get the defaults: a sale,
-- without discount, whose hash is unchanged (the canonical form leaves defaults out).
ALTER TABLE sales ADD COLUMN kind TEXT NOT NULL DEFAULT 'sale' CHECK (kind IN ('sale', 'refund'));
ALTER TABLE sales ADD COLUMN discount_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sales ADD COLUMN original_sale_id TEXT;
ALTER TABLE sales ADD COLUMN original_till_id TEXT;
ALTER TABLE sales ADD COLUMN original_ticket_no INTEGER;
ALTER TABLE sales ADD COLUMN original_paid_at TEXT;
ALTER TABLE sales ADD COLUMN original_method TEXT;
ALTER TABLE sales ADD COLUMN reason TEXT;
ALTER TABLE sales ADD COLUMN approved_by TEXT;
CREATE INDEX sales_by_original ON sales (original_sale_id) WHERE original_sale_id IS NOT NULL;

ALTER TABLE sale_lines ADD COLUMN discount_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sale_lines ADD COLUMN original_line INTEGER;

-- The day's refunds (count and amount, negative) and discounts, kept in the sale's transaction
-- beside revenue, so the journal and the day report read them without scanning the sales.
ALTER TABLE day_totals ADD COLUMN refunds INTEGER NOT NULL DEFAULT 0;
ALTER TABLE day_totals ADD COLUMN refund_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE day_totals ADD COLUMN discount_cents INTEGER NOT NULL DEFAULT 0;

-- A refund through the payment provider (a QR sale given back by its original tender) is
-- written here before the payment server is asked, under the credit note's own id (the
-- provider's idempotency key): a till killed while asking finds it at its next start, asks
-- the server where that refund stands, and records the credit note only if the server has it.
-- 'asking': not yet answered; 'recorded': the credit note is in `sales`; 'dropped': the server
-- refused it or never received it (nothing was given back, the credit note was not recorded).
CREATE TABLE refund_requests (
    refund_id       TEXT PRIMARY KEY,
    intent_id       TEXT NOT NULL,
    lan             INTEGER NOT NULL CHECK (lan IN (0, 1)),
    amount_cents    INTEGER NOT NULL CHECK (amount_cents > 0),
    draft           TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('asking', 'recorded', 'dropped')),
    provider_status TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
