-- Search moved to newsdesk's own index (tantivy, in NEWSDESK_SEARCH_DIR), built from the
-- articles: the tsvector column and its GIN index are no longer read.
DROP INDEX articles_search_idx;
ALTER TABLE articles DROP COLUMN search_vector;
