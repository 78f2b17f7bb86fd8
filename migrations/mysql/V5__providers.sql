-- The `jti` of every provider callback a payment server accepted, shared by every instance on
-- this database: a callback replayed to another instance is refused there too. The SQLite form
-- is migrations/pay_sqlite/V2__providers.sql.
CREATE TABLE IF NOT EXISTS provider_callback_jtis (
    jti     VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    seen_at BIGINT NOT NULL,
    PRIMARY KEY (jti)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- The provider's payment for an intent (Payconiq's paymentId and QR link), and why it did not
-- go through when it did not (expired, failed, authorization_failed, cancelled).
CREATE TABLE IF NOT EXISTS provider_payments (
    intent_id    VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    provider     VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    provider_ref VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    qr_url       VARCHAR(1024) NOT NULL,
    reason       VARCHAR(32) CHARACTER SET ascii NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (intent_id),
    UNIQUE KEY provider_payments_ref (provider_ref)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
