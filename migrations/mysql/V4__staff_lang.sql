-- Each staff member's language (issue 12), pulled by every till with the name and role.
-- Idempotent like the others: MariaDB's IF NOT EXISTS lets a half-applied run be re-run.
ALTER TABLE staff ADD COLUMN IF NOT EXISTS lang VARCHAR(2) CHARACTER SET ascii NOT NULL DEFAULT 'fr';
