-- Sync with the central database: outbox rows that the central side refused for good are
-- parked (reported, never blocking the rows behind them); cursors of what was pulled.

ALTER TABLE outbox ADD COLUMN parked_at TEXT;

CREATE TABLE sync_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Audit events travel to the central database too.
CREATE TRIGGER audit_to_outbox AFTER INSERT ON audit
BEGIN
    INSERT INTO outbox (kind, entity_id, payload, created_at)
    VALUES ('audit', CAST(NEW.seq AS TEXT),
            json_object('seq', NEW.seq, 'at', NEW.at, 'staff_id', NEW.staff_id, 'action', NEW.action, 'detail', NEW.detail),
            NEW.at);
END;
