DO $$
BEGIN
    IF current_setting('server_version_num')::int >= 140000 THEN
        EXECUTE 'ALTER TABLE article_bodies
                     ALTER COLUMN body_md SET COMPRESSION default,
                     ALTER COLUMN body_html SET COMPRESSION default,
                     ALTER COLUMN body_text SET COMPRESSION default';
    END IF;
END
$$;
