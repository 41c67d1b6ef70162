-- Full-text index of articles: a tsvector per article built with its language's configuration
-- (english, russian, simple) from folded text, title weighted A, lead B, body C. newsdesk
-- writes it in the same transaction as the article (src/search/queries.rs).
ALTER TABLE articles ADD COLUMN search_vector tsvector;
CREATE INDEX articles_search_idx ON articles USING GIN (search_vector);
