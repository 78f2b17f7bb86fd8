-- The print queue prints documents as well as tickets: a job is either a sale's ticket
-- (sale_id, as before) or a document (doc: the JSON of the cash-in/out slip or the X/Z report
-- as printed, src/domain/drawer_print.rs), never both, never neither. SQLite cannot drop a
-- NOT NULL, so the table is rebuilt: every row is kept with its id (jobs print in id order, and
-- the AUTOINCREMENT sequence carries on from the highest id).
CREATE TABLE print_jobs_v8 (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    sale_id    TEXT REFERENCES sales (id),
    doc        TEXT,
    duplicate  INTEGER NOT NULL DEFAULT 0,
    status     TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'printed', 'failed')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at TEXT NOT NULL,
    printed_at TEXT,
    CHECK ((sale_id IS NULL) <> (doc IS NULL)),
    CHECK (doc IS NULL OR json_valid(doc))
);
INSERT INTO print_jobs_v8 (id, sale_id, duplicate, status, attempts, last_error, created_at, printed_at)
    SELECT id, sale_id, duplicate, status, attempts, last_error, created_at, printed_at FROM print_jobs;
DROP TABLE print_jobs;
ALTER TABLE print_jobs_v8 RENAME TO print_jobs;
CREATE INDEX print_jobs_open ON print_jobs (id) WHERE status != 'printed';
