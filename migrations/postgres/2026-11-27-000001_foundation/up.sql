-- newsdesk foundation schema (PostgreSQL). Times are UTC, in TIMESTAMP columns.
-- A scheduled article is stored as status 'published' with a
-- future published_at: it becomes visible when its time comes, with no job to run.

CREATE TABLE site_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    timezone TEXT NOT NULL,
    default_language TEXT NOT NULL,
    languages TEXT NOT NULL,
    copyright TEXT NOT NULL,
    social_links TEXT NOT NULL,
    app_links TEXT NOT NULL,
    min_app_version TEXT,
    updated_at TIMESTAMP NOT NULL
);

INSERT INTO site_settings (id, name, timezone, default_language, languages, copyright,
                           social_links, app_links, min_app_version, updated_at)
VALUES (1, 'newsdesk', 'UTC', 'en', 'en,ru,az',
        'Any use of materials is allowed only with a hyperlink to the source.',
        '{}', '{}', NULL, '2026-01-01 00:00:00');

-- Bumped by every write to public content; each server process polls it to know when its
-- in-process response cache is stale (several processes may share one database).
CREATE TABLE content_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO content_state (id, version) VALUES (1, 0);

-- Secrets generated once and shared by every process using this database.
CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE sections (
    id BIGSERIAL PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    names TEXT NOT NULL,
    descriptions TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX sections_position_idx ON sections (position, id);

CREATE TABLE authors (
    id BIGSERIAL PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    bio TEXT NOT NULL DEFAULT '',
    avatar_url TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX authors_name_idx ON authors (name, id);

CREATE TABLE tags (
    id BIGSERIAL PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX tags_name_idx ON tags (name, id);

CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'writer')),
    password_hash TEXT NOT NULL,
    author_id BIGINT REFERENCES authors (id) ON DELETE SET NULL,
    token_version BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE articles (
    id BIGSERIAL PRIMARY KEY,
    slug TEXT NOT NULL,
    lang TEXT NOT NULL,
    translation_group BIGINT,
    section_id BIGINT NOT NULL REFERENCES sections (id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'archived', 'deleted')),
    published_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    featured BOOLEAN NOT NULL DEFAULT FALSE,
    word_count INTEGER NOT NULL DEFAULT 0,
    views BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    lead TEXT NOT NULL DEFAULT '',
    cover_url TEXT,
    cover_caption TEXT,
    cover_credit TEXT,
    source TEXT,
    UNIQUE (lang, slug)
);
-- One index per feed shape, each ending in (published_at, id) so that the keyset order is
-- read straight from the index in either direction.
CREATE INDEX articles_feed_idx ON articles (status, published_at, id);
CREATE INDEX articles_section_feed_idx ON articles (section_id, status, published_at, id);
CREATE INDEX articles_lang_feed_idx ON articles (lang, status, published_at, id);
CREATE INDEX articles_lang_section_feed_idx ON articles (lang, section_id, status, published_at, id);
CREATE INDEX articles_featured_feed_idx ON articles (featured, status, published_at, id);
CREATE INDEX articles_popular_idx ON articles (status, views, id);
CREATE INDEX articles_section_popular_idx ON articles (section_id, status, views, id);
CREATE INDEX articles_lang_popular_idx ON articles (lang, status, views, id);
CREATE INDEX articles_translation_group_idx ON articles (translation_group);
CREATE INDEX articles_created_by_idx ON articles (created_by);

-- Bodies live apart from the article rows: feeds, search joins and counters touch many rows
-- and none of the body text, so the article table stays small and dense (several rows per
-- page instead of one row and its overflow chain).
CREATE TABLE article_bodies (
    article_id BIGINT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    body_md TEXT NOT NULL DEFAULT '',
    body_html TEXT NOT NULL DEFAULT '',
    body_text TEXT NOT NULL DEFAULT ''
);

-- Link tables carry `feed_at`: the article's published_at while it is published, else NULL.
-- An author's or tag's feed is then one ordered range of (author_id|tag_id, feed_at,
-- article_id), whatever its size, instead of "every tagged article, sorted".
CREATE TABLE article_authors (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    author_id BIGINT NOT NULL REFERENCES authors (id),
    position INTEGER NOT NULL DEFAULT 0,
    feed_at TIMESTAMP,
    PRIMARY KEY (article_id, author_id)
);
CREATE INDEX article_authors_feed_idx ON article_authors (author_id, feed_at, article_id);

CREATE TABLE article_tags (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id),
    feed_at TIMESTAMP,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_feed_idx ON article_tags (tag_id, feed_at, article_id);
