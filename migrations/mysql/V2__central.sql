-- The central database: every till's sales, lines and audit events (pushed from the tills'
-- outboxes, keyed by their UUIDs / per-till sequence so a re-sent batch changes nothing),
-- and the staff and catalogue every till pulls by version cursor. Idempotent DDL: the payment
-- server applies this folder too, under its own history table.

CREATE TABLE IF NOT EXISTS central_versions (
    name  VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    value BIGINT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

INSERT INTO central_versions (name, value) VALUES ('staff', 0), ('products', 0)
ON DUPLICATE KEY UPDATE name = name;

CREATE TABLE IF NOT EXISTS stores (
    id   VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    name VARCHAR(80) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS tills (
    id         VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    store_id   VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL,
    first_seen BIGINT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS staff (
    id       VARCHAR(8) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    name     VARCHAR(40) NOT NULL,
    role     VARCHAR(8) CHARACTER SET ascii NOT NULL,
    pin_hash VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    active   BOOLEAN NOT NULL DEFAULT TRUE,
    version  BIGINT NOT NULL,
    INDEX staff_by_version (version)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS products (
    code        VARCHAR(32) NOT NULL PRIMARY KEY,
    barcode     VARCHAR(14) CHARACTER SET ascii NULL UNIQUE,
    name        VARCHAR(80) NOT NULL,
    price_cents BIGINT NOT NULL,
    vat_rate    TINYINT NOT NULL,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    version     BIGINT NOT NULL,
    INDEX products_by_version (version)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS sales (
    id               CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    till_id          VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    ticket_no        BIGINT NOT NULL,
    staff_id         VARCHAR(8) CHARACTER SET ascii NOT NULL,
    staff_name       VARCHAR(40) NOT NULL,
    account          VARCHAR(4) CHARACTER SET ascii NOT NULL,
    method           VARCHAR(4) CHARACTER SET ascii NOT NULL,
    payment_ref      VARCHAR(64) CHARACTER SET ascii NULL,
    revenue_cents    BIGINT NOT NULL,
    withdrawal_cents BIGINT NOT NULL,
    paid_cents       BIGINT NOT NULL,
    tendered_cents   BIGINT NULL,
    change_cents     BIGINT NOT NULL,
    paid_at          VARCHAR(30) CHARACTER SET ascii NOT NULL,
    day              DATE NOT NULL,
    prev_hash        CHAR(64) CHARACTER SET ascii NOT NULL,
    hash             CHAR(64) CHARACTER SET ascii NOT NULL,
    received_at      BIGINT NOT NULL,
    UNIQUE KEY sales_ticket (till_id, ticket_no),
    INDEX sales_by_day (day, paid_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS sale_lines (
    sale_id      CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    line_no      INT NOT NULL,
    kind         VARCHAR(10) CHARACTER SET ascii NOT NULL,
    product_code VARCHAR(32) NULL,
    name         VARCHAR(80) NOT NULL,
    unit_cents   BIGINT NOT NULL,
    qty          BIGINT NOT NULL,
    total_cents  BIGINT NOT NULL,
    vat_rate     TINYINT NULL,
    PRIMARY KEY (sale_id, line_no)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS audit (
    till_id  VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    seq      BIGINT NOT NULL,
    at       VARCHAR(30) CHARACTER SET ascii NOT NULL,
    staff_id VARCHAR(8) CHARACTER SET ascii NULL,
    action   VARCHAR(40) CHARACTER SET ascii NOT NULL,
    detail   TEXT NOT NULL,
    PRIMARY KEY (till_id, seq)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS till_heartbeats (
    till_id      VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    pending      BIGINT NOT NULL,
    parked       BIGINT NOT NULL,
    last_sync_at BIGINT NULL,
    version      VARCHAR(32) NOT NULL,
    seen_at      BIGINT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
