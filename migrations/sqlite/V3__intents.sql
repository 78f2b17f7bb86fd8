-- QR payment intents, kept in the ledger from the moment they are made (money is never lost):
-- the exact lines and amount each one pays, the server it lives on, and every state it went
-- through. A till restarted after a crash re-attaches to every intent that is not final.
--
-- States: creating -> pending | failed; pending -> paid | cancelling | cancelled | expired;
-- cancelling -> cancelled | expired | paid; paid -> recorded (its sale is written).
-- Final: failed, cancelled, expired, recorded.

CREATE TABLE payment_intents (
    id           TEXT PRIMARY KEY,
    till_id      TEXT NOT NULL,
    account      TEXT NOT NULL CHECK (account IN ('main', 'sub')),
    staff_id     TEXT NOT NULL,
    staff_name   TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    lines        TEXT NOT NULL,
    server       TEXT CHECK (server IN ('hosted', 'lan')),
    pay_url      TEXT,
    expires_at   INTEGER,
    state        TEXT NOT NULL CHECK (state IN ('creating', 'pending', 'paid', 'cancelling',
                                                 'cancelled', 'expired', 'failed', 'recorded')),
    sale_id      TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

CREATE INDEX payment_intents_open ON payment_intents (created_at)
    WHERE state NOT IN ('cancelled', 'expired', 'failed', 'recorded');

CREATE TABLE payment_intent_events (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    intent_id TEXT NOT NULL REFERENCES payment_intents (id),
    at        TEXT NOT NULL,
    state     TEXT NOT NULL,
    detail    TEXT NOT NULL DEFAULT ''
);

-- A paid intent becomes one sale, never two.
CREATE UNIQUE INDEX sales_payment_ref ON sales (payment_ref) WHERE payment_ref IS NOT NULL;
