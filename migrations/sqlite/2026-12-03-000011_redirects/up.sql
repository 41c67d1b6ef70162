-- Old public paths of articles (a published article's slug or language changed, or an
-- imported site's permalinks), each answered with the article's current address.
CREATE TABLE redirects (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX redirects_article_idx ON redirects (article_id);
