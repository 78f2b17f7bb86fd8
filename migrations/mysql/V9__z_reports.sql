-- Every till's Z reports (drawer sessions closed), as the till sealed them: the report's
-- canonical JSON, its hash and the previous one (the till's Z chain). Pushed through the
-- outbox like the sales; a re-send is harmless.
CREATE TABLE IF NOT EXISTS z_reports (
    till_id     VARCHAR(32) NOT NULL,
    z_no        BIGINT NOT NULL,
    opened_at   VARCHAR(32) NOT NULL,
    closed_at   VARCHAR(32) NOT NULL,
    report      TEXT NOT NULL,
    prev_hash   CHAR(64) CHARACTER SET ascii NOT NULL,
    hash        CHAR(64) CHARACTER SET ascii NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (till_id, z_no)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
