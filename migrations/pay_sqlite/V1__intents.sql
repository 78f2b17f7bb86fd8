-- The payment server's own SQLite database (one shop, or the till's embedded server on the LAN).
-- Times are Unix milliseconds. The MySQL form of the same tables is in migrations/mysql.

CREATE TABLE pay_tills (
    till_id    TEXT PRIMARY KEY,
    secret     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

CREATE TABLE payment_intents (
    id           TEXT PRIMARY KEY,
    token        TEXT NOT NULL UNIQUE,
    till_id      TEXT NOT NULL,
    account      TEXT NOT NULL,
    seller       TEXT NOT NULL,
    shop_name    TEXT NOT NULL,
    lines        TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'cancelled', 'expired')),
    request_hash TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    paid_at      INTEGER
);
CREATE INDEX payment_intents_due ON payment_intents (status, expires_at);

CREATE TABLE payment_intent_events (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    intent_id TEXT NOT NULL,
    status    TEXT NOT NULL,
    at        INTEGER NOT NULL
);

-- Keys shared by every instance on this database (the CSRF key of the customer page).
CREATE TABLE pay_server_keys (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
