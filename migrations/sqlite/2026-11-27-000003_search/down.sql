DROP TABLE article_fts;
