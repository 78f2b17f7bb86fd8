-- Refunds of paid intents through their provider, shared by every pay-server instance. See
-- migrations/pay_sqlite/V3__refunds.sql for the states; `refund_id` is the idempotency key.
CREATE TABLE IF NOT EXISTS provider_refunds (
    refund_id          VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    intent_id          VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    till_id            VARCHAR(32) NOT NULL,
    amount_cents       BIGINT NOT NULL,
    description        VARCHAR(140) NOT NULL,
    status             VARCHAR(16) CHARACTER SET ascii NOT NULL,
    provider_refund_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
    detail             VARCHAR(255) NULL,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    PRIMARY KEY (refund_id),
    INDEX provider_refunds_by_intent (intent_id),
    INDEX provider_refunds_open (status, updated_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
