-- Belgian cash rounding (to the nearest 0,05 €): the rounded cash amount minus the lines'
-- total, −2 to +2 cents, 0 for QR. paid_cents = the lines' total + rounding_cents; revenue and
-- VAT stay the goods'.
ALTER TABLE sales ADD COLUMN rounding_cents INTEGER NOT NULL DEFAULT 0;
