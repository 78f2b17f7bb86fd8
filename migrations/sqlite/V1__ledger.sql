-- The till's local ledger. Times are UTC RFC 3339 text with milliseconds; `day` is the
-- shop-local calendar day of a sale, fixed when the sale is committed.

CREATE TABLE products (
    code        TEXT PRIMARY KEY,
    barcode     TEXT UNIQUE,
    name        TEXT NOT NULL,
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    vat_rate    INTEGER NOT NULL CHECK (vat_rate IN (0, 6, 12, 21)),
    active      INTEGER NOT NULL DEFAULT 1,
    version     INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE staff (
    id       TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    role     TEXT NOT NULL CHECK (role IN ('cashier', 'admin')),
    pin_hash TEXT NOT NULL,
    active   INTEGER NOT NULL DEFAULT 1,
    version  INTEGER NOT NULL DEFAULT 1
);

-- Wrong PINs in a row, and the lockout they caused. Survives a restart of the till.
CREATE TABLE pin_failures (
    staff_id     TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    locked_until TEXT
);

CREATE TABLE sales (
    id               TEXT PRIMARY KEY,
    till_id          TEXT NOT NULL,
    ticket_no        INTEGER NOT NULL,
    staff_id         TEXT NOT NULL,
    staff_name       TEXT NOT NULL,
    account          TEXT NOT NULL CHECK (account IN ('main', 'sub')),
    method           TEXT NOT NULL CHECK (method IN ('qr', 'cash')),
    payment_ref      TEXT,
    revenue_cents    INTEGER NOT NULL,
    withdrawal_cents INTEGER NOT NULL,
    paid_cents       INTEGER NOT NULL,
    tendered_cents   INTEGER,
    change_cents     INTEGER NOT NULL,
    paid_at          TEXT NOT NULL,
    day              TEXT NOT NULL,
    prev_hash        TEXT NOT NULL,
    hash             TEXT NOT NULL,
    UNIQUE (till_id, ticket_no)
);
CREATE INDEX sales_by_day ON sales (day, paid_at);

CREATE TABLE sale_lines (
    sale_id      TEXT NOT NULL REFERENCES sales (id),
    line_no      INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('item', 'withdrawal')),
    product_code TEXT,
    name         TEXT NOT NULL,
    unit_cents   INTEGER NOT NULL,
    qty          INTEGER NOT NULL,
    total_cents  INTEGER NOT NULL,
    vat_rate     INTEGER,
    PRIMARY KEY (sale_id, line_no)
) WITHOUT ROWID;

-- The last link of each till's hash chain: removing the newest sale is detected too.
CREATE TABLE chain_heads (
    till_id   TEXT PRIMARY KEY,
    ticket_no INTEGER NOT NULL,
    hash      TEXT NOT NULL,
    paid_at   TEXT NOT NULL
);

-- Running totals kept in the sale's transaction, so the list of days and the journal stay
-- instant on a ledger of millions of lines.
CREATE TABLE day_totals (
    day              TEXT NOT NULL,
    till_id          TEXT NOT NULL,
    tickets          INTEGER NOT NULL,
    revenue_cents    INTEGER NOT NULL,
    withdrawal_cents INTEGER NOT NULL,
    PRIMARY KEY (day, till_id)
) WITHOUT ROWID;

CREATE TABLE day_vat (
    day         TEXT NOT NULL,
    till_id     TEXT NOT NULL,
    vat_rate    INTEGER NOT NULL,
    gross_cents INTEGER NOT NULL,
    PRIMARY KEY (day, till_id, vat_rate)
) WITHOUT ROWID;

-- "Deleting" a day report hides it from the list; its sales stay.
CREATE TABLE hidden_days (
    day       TEXT PRIMARY KEY,
    hidden_at TEXT NOT NULL,
    staff_id  TEXT
);

CREATE TABLE outbox (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    payload    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    sent_at    TEXT,
    UNIQUE (kind, entity_id)
);
CREATE INDEX outbox_pending ON outbox (seq) WHERE sent_at IS NULL;

CREATE TABLE print_jobs (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    sale_id    TEXT NOT NULL REFERENCES sales (id),
    duplicate  INTEGER NOT NULL DEFAULT 0,
    status     TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'printed', 'failed')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at TEXT NOT NULL,
    printed_at TEXT
);
CREATE INDEX print_jobs_open ON print_jobs (id) WHERE status != 'printed';

CREATE TABLE audit (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT NOT NULL,
    staff_id TEXT,
    action   TEXT NOT NULL,
    detail   TEXT NOT NULL DEFAULT ''
);

-- Sales and their lines are financial records: the ledger refuses to change or delete them.
-- (Someone with the file can drop these triggers; the hash chain then tells.)
CREATE TRIGGER sales_are_final_u BEFORE UPDATE ON sales
BEGIN SELECT RAISE(ABORT, 'sales are financial records and cannot be changed'); END;
CREATE TRIGGER sales_are_final_d BEFORE DELETE ON sales
BEGIN SELECT RAISE(ABORT, 'sales are financial records and cannot be deleted'); END;
CREATE TRIGGER sale_lines_are_final_u BEFORE UPDATE ON sale_lines
BEGIN SELECT RAISE(ABORT, 'sales are financial records and cannot be changed'); END;
CREATE TRIGGER sale_lines_are_final_d BEFORE DELETE ON sale_lines
BEGIN SELECT RAISE(ABORT, 'sales are financial records and cannot be deleted'); END;
