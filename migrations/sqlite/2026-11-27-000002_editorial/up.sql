-- Editorial workflow: refresh tokens, article revisions and the change feed.

-- Refresh tokens are stored only as SHA-256 hashes. Each sign-in starts a family; every
-- refresh spends one token (used_at) and issues the next in the same family. Presenting a
-- spent token again revokes the whole family.
CREATE TABLE refresh_tokens (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    token_version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);

-- Every save of an article keeps its state as a numbered revision (1 = as created).
CREATE TABLE article_revisions (
    id INTEGER PRIMARY KEY,
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    snapshot TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    UNIQUE (article_id, number)
);

-- The change feed of public content, read in (at, seq) order. `at` is when the change becomes
-- public: now for most writes, the publish time for a scheduled article.
CREATE TABLE changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('upsert', 'delete')),
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX changes_feed_idx ON changes (at, seq);
CREATE INDEX changes_entity_idx ON changes (entity, entity_id, at);

-- Content that already exists is announced once.
INSERT INTO changes (kind, entity, entity_id, at)
    SELECT 'upsert', 'site', id, updated_at FROM site_settings;
INSERT INTO changes (kind, entity, entity_id, at)
    SELECT 'upsert', 'section', id, created_at FROM sections;
INSERT INTO changes (kind, entity, entity_id, at)
    SELECT 'upsert', 'author', id, created_at FROM authors;
INSERT INTO changes (kind, entity, entity_id, at)
    SELECT 'upsert', 'tag', id, created_at FROM tags;
INSERT INTO changes (kind, entity, entity_id, at)
    SELECT 'upsert', 'article', id, published_at FROM articles
    WHERE status = 'published' AND published_at IS NOT NULL;
