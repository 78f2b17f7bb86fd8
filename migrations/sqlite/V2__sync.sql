-- Sync with the central database: outbox rows that the central side refused for good are
-- parked (reported, never blocking the rows behind them); cursors of what was pulled.

ALTER TABLE outbox ADD COLUMN parked_at TEXT;

CREATE TABLE sync_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
