-- Belgian cash rounding of each sale (see migrations/sqlite/V6__cash_rounding.sql).
ALTER TABLE sales ADD COLUMN rounding_cents BIGINT NOT NULL DEFAULT 0;
