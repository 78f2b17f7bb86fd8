-- The `jti` of every provider callback accepted: a callback whose jti is here is a replay and
-- is refused (Payconiq's `https://payconiq.com/jti`). The MySQL form is migrations/mysql/V5__providers.sql.
CREATE TABLE provider_callback_jtis (
    jti     TEXT PRIMARY KEY,
    seen_at INTEGER NOT NULL
);

-- The provider's payment for an intent (Payconiq's paymentId and QR link), and why it did not
-- go through when it did not (expired, failed, authorization_failed, cancelled).
CREATE TABLE provider_payments (
    intent_id    TEXT PRIMARY KEY,
    provider     TEXT NOT NULL,
    provider_ref TEXT NOT NULL UNIQUE,
    qr_url       TEXT NOT NULL,
    reason       TEXT,
    created_at   INTEGER NOT NULL
);
