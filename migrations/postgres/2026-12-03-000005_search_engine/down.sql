-- Back to the tsvector of the previous version (empty: `newsdesk reindex` of that version
-- fills it).
ALTER TABLE articles ADD COLUMN search_vector tsvector;
CREATE INDEX articles_search_idx ON articles USING GIN (search_vector);
