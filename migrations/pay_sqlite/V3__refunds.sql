-- Refunds of paid intents through their provider. `refund_id` is the till's UUID: the
-- idempotency key here and at the provider (Payconiq's Idempotency-Key), so a refund asked
-- twice — a lost answer, a restart — is one refund. `requested`: recorded, the provider not yet
-- sure to have it (asked again with the same key); `pending`: the provider took it;
-- `succeeded` / `failed` are final. The MySQL form is migrations/mysql/V7__refunds.sql.
CREATE TABLE provider_refunds (
    refund_id          TEXT PRIMARY KEY,
    intent_id          TEXT NOT NULL REFERENCES payment_intents (id),
    till_id            TEXT NOT NULL,
    amount_cents       INTEGER NOT NULL CHECK (amount_cents > 0),
    description        TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('requested', 'pending', 'succeeded', 'failed')),
    provider_refund_id TEXT,
    detail             TEXT,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
CREATE INDEX provider_refunds_by_intent ON provider_refunds (intent_id);
CREATE INDEX provider_refunds_open ON provider_refunds (updated_at)
    WHERE status IN ('requested', 'pending');
