-- Drawer sessions: from `drawer open` (a counted float) to `drawer close` (the counted cash),
-- one open per till at a time. session_no is gapless per till and is the Z report's number; a
-- closed session keeps its Z report (canonical JSON) sealed in a hash chain per till like the
-- tickets (hash = SHA-256(prev_hash || "\n" || z_report)). float_counted = 0: the till opened it
-- at a first cash operation with 0,00 €, nobody counted (audited, shown on the Z report).
CREATE TABLE drawer_sessions (
    till_id       TEXT NOT NULL,
    session_no    INTEGER NOT NULL CHECK (session_no >= 1),
    opened_at     TEXT NOT NULL,
    opened_by     TEXT NOT NULL,
    float_cents   INTEGER NOT NULL CHECK (float_cents >= 0),
    float_counted INTEGER NOT NULL CHECK (float_counted IN (0, 1)),
    closed_at     TEXT,
    closed_by     TEXT,
    counted_cents INTEGER,
    z_report      TEXT,
    prev_hash     TEXT,
    hash          TEXT,
    PRIMARY KEY (till_id, session_no),
    CHECK ((closed_at IS NULL) = (hash IS NULL))
);
CREATE UNIQUE INDEX drawer_one_open ON drawer_sessions (till_id) WHERE closed_at IS NULL;

-- A closed session is final.
CREATE TRIGGER drawer_sessions_closed_are_final BEFORE UPDATE ON drawer_sessions
    WHEN OLD.closed_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a closed drawer session is final');
END;
CREATE TRIGGER drawer_sessions_are_kept BEFORE DELETE ON drawer_sessions
BEGIN
    SELECT RAISE(ABORT, 'drawer sessions are never deleted');
END;

-- Cash put in (change) or taken out (to the bank) of the drawer, with a reason.
CREATE TABLE drawer_moves (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    till_id      TEXT NOT NULL,
    session_no   INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('in', 'out')),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    reason       TEXT NOT NULL CHECK (length(reason) > 0),
    staff_id     TEXT NOT NULL,
    staff_name   TEXT NOT NULL,
    at           TEXT NOT NULL,
    FOREIGN KEY (till_id, session_no) REFERENCES drawer_sessions (till_id, session_no)
);

-- The drawer session a sale belongs to (the one open when it was committed).
ALTER TABLE sales ADD COLUMN drawer_session INTEGER;
