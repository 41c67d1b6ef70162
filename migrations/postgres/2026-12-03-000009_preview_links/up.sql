-- Links that show an article as it is now (draft included) to whoever holds them, until they
-- expire or are revoked. Only the SHA-256 of a link's token is kept.
CREATE TABLE preview_links (
    id BIGSERIAL PRIMARY KEY,
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX preview_links_article_idx ON preview_links (article_id);
