-- The payment server's tables in the central MySQL/MariaDB database (the hosted server: many
-- shops, many tills, several instances on one database). The SQLite form of the same tables is
-- migrations/pay_sqlite/V1__intents.sql. Times are Unix milliseconds (BIGINT).
--
-- This folder is the central database's schema; the payment server applies it with its own
-- history table (`pay_schema_history`), so another runner applying the same folder with its own
-- history finds these tables already there: every statement is idempotent (IF NOT EXISTS, upsert).
-- MySQL DDL commits implicitly: a half-applied file is finished by running it again.
--
-- Identifiers, tokens and hashes are ASCII compared byte for byte (ascii_bin): a token differing
-- only in case is another token. `lines` is a reserved word in MySQL: always quote it.

CREATE TABLE IF NOT EXISTS pay_tills (
    till_id    VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    secret     VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT NULL,
    PRIMARY KEY (till_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS payment_intents (
    id           VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    token        CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    till_id      VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    account      VARCHAR(8) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    seller       VARCHAR(160) NOT NULL,
    shop_name    VARCHAR(320) NOT NULL,
    `lines`      MEDIUMTEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    status       VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    request_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    paid_at      BIGINT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY payment_intents_token (token),
    KEY payment_intents_due (status, expires_at),
    KEY payment_intents_till (till_id, created_at),
    CONSTRAINT payment_intents_status CHECK (status IN ('pending', 'paid', 'cancelled', 'expired'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Every state change. `seq` is given out by pay_event_sequence inside the changing transaction,
-- whose row lock is held until COMMIT: sequence order is commit order, so an instance polling
-- `seq > last` never skips an event committed late (AUTO_INCREMENT values are taken at INSERT
-- time and may commit out of order).
CREATE TABLE IF NOT EXISTS payment_intent_events (
    seq       BIGINT NOT NULL,
    intent_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    status    VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    at        BIGINT NOT NULL,
    PRIMARY KEY (seq),
    KEY payment_intent_events_intent (intent_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- One row: the last event sequence number given out.
CREATE TABLE IF NOT EXISTS pay_event_sequence (
    id       TINYINT NOT NULL,
    last_seq BIGINT NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT pay_event_sequence_one CHECK (id = 1)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

INSERT INTO pay_event_sequence (id, last_seq) VALUES (1, 0) ON DUPLICATE KEY UPDATE id = id;

-- Keys shared by every instance on this database (the CSRF key of the customer page).
CREATE TABLE IF NOT EXISTS pay_server_keys (
    name  VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    value VARCHAR(512) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    PRIMARY KEY (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
