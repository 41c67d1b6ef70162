ALTER TABLE import_map DROP COLUMN digest;
