DROP TABLE changes;
DROP TABLE article_revisions;
DROP TABLE refresh_tokens;
