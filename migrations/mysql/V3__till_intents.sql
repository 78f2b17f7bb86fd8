-- The QR payment intents as each till's ledger knows them (pushed from its outbox, one row per
-- intent, its latest state; a state only moves forward, by rank, so a late re-send never
-- undoes a newer one). `report reconcile` compares them with the sales: a paid intent without
-- a sale, a QR sale whose intent is not paid. Intents taken by a till's own LAN server
-- (`server = 'lan'`) reach the central database this way when the link returns.

CREATE TABLE IF NOT EXISTS till_intents (
    id           VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    till_id      VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    account      VARCHAR(4) CHARACTER SET ascii NOT NULL,
    staff_id     VARCHAR(8) CHARACTER SET ascii NOT NULL,
    amount_cents BIGINT NOT NULL,
    server       VARCHAR(8) CHARACTER SET ascii NULL,
    state        VARCHAR(12) CHARACTER SET ascii NOT NULL,
    state_rank   TINYINT NOT NULL,
    sale_id      CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NULL,
    created_at   VARCHAR(30) CHARACTER SET ascii NOT NULL,
    updated_at   VARCHAR(30) CHARACTER SET ascii NOT NULL,
    day          DATE NOT NULL,
    INDEX till_intents_by_day (day, till_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
