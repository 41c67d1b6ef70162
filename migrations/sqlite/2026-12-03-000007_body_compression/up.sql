-- SQLite stores text uncompressed: nothing to change (PostgreSQL compresses bodies with lz4
-- from this version).
SELECT 1;
