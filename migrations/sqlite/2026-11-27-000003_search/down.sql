DROP INDEX articles_search_idx;
DROP TABLE article_fts;
