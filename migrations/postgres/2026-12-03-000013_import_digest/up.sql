-- A digest of each imported post as the source had it: a re-import updates the articles whose
-- source changed and leaves the others alone.
ALTER TABLE import_map ADD COLUMN digest TEXT;
