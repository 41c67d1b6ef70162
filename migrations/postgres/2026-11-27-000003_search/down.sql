DROP INDEX articles_search_idx;
ALTER TABLE articles DROP COLUMN search_vector;
