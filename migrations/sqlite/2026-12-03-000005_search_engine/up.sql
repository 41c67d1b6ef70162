-- Search moved to newsdesk's own index (tantivy, in NEWSDESK_SEARCH_DIR), built from the
-- articles: the FTS5 table and the index that served it are no longer read.
DROP INDEX articles_search_idx;
DROP TABLE article_fts;
