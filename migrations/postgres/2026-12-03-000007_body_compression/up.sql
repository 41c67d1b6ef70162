-- Bodies are read for every search hit (snippets) and every feed item: lz4 decompresses
-- several times faster than PostgreSQL's default pglz. Bodies written from now on are
-- compressed with it; existing ones stay as they are until rewritten. Only where the server
-- has lz4 (PostgreSQL 14 and later, built with it).
DO $$
BEGIN
    IF current_setting('server_version_num')::int >= 140000
       AND EXISTS (SELECT 1 FROM pg_settings
                   WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
        EXECUTE 'ALTER TABLE article_bodies
                     ALTER COLUMN body_md SET COMPRESSION lz4,
                     ALTER COLUMN body_html SET COMPRESSION lz4,
                     ALTER COLUMN body_text SET COMPRESSION lz4';
    END IF;
END
$$;
