-- Each staff member's language (issue 12): the till speaks it to them once they are logged in.
-- Existing staff keep French, the till's language until now.
ALTER TABLE staff ADD COLUMN lang TEXT NOT NULL DEFAULT 'fr' CHECK (lang IN ('fr', 'nl', 'en'));
