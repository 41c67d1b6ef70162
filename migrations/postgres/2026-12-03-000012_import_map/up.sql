-- What imports made of each source record (a WordPress post, author, category, tag), so the
-- same file imported again changes nothing.
CREATE TABLE import_map (
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    source_id TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    PRIMARY KEY (source, kind, source_id)
);
