-- Refunds (credit notes) and discounts, as in migrations/sqlite/V10__refunds_and_discounts.sql:
-- a refund is a sale of kind 'refund' naming its original; every discount is a line value.
ALTER TABLE sales
    ADD COLUMN kind               VARCHAR(8) CHARACTER SET ascii NOT NULL DEFAULT 'sale',
    ADD COLUMN discount_cents     BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN original_sale_id   CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NULL,
    ADD COLUMN original_till_id   VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL,
    ADD COLUMN original_ticket_no BIGINT NULL,
    ADD COLUMN original_paid_at   VARCHAR(30) CHARACTER SET ascii NULL,
    ADD COLUMN original_method    VARCHAR(4) CHARACTER SET ascii NULL,
    ADD COLUMN reason             VARCHAR(140) NULL,
    ADD COLUMN approved_by        VARCHAR(8) CHARACTER SET ascii NULL,
    ADD INDEX sales_by_original (original_sale_id);
ALTER TABLE sale_lines
    ADD COLUMN discount_cents BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN original_line  INT NULL;
