-- Uploaded images. The stored original is re-encoded (no EXIF or other metadata); its
-- renditions (a JSON list of {key, width, height, mime, bytes}) are written once at upload.
-- `alt` is a JSON object from language code to text.
CREATE TABLE media (
    id INTEGER PRIMARY KEY,
    mime TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    bytes BIGINT NOT NULL,
    original_key TEXT NOT NULL,
    renditions TEXT NOT NULL DEFAULT '[]',
    alt TEXT NOT NULL DEFAULT '{}',
    caption TEXT,
    credit TEXT,
    focal_x DOUBLE PRECISION NOT NULL DEFAULT 0.5,
    focal_y DOUBLE PRECISION NOT NULL DEFAULT 0.5,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX media_library_idx ON media (created_at, id);

-- SQLite cannot drop a column that a foreign key names, so the cover's reference is checked by
-- newsdesk here (on write, and before media is deleted); PostgreSQL also enforces it.
ALTER TABLE articles ADD COLUMN cover_media_id BIGINT;
CREATE INDEX articles_cover_media_idx ON articles (cover_media_id);

-- An article's gallery, in order.
CREATE TABLE article_gallery (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    media_id BIGINT NOT NULL REFERENCES media (id),
    PRIMARY KEY (article_id, position)
);
CREATE INDEX article_gallery_media_idx ON article_gallery (media_id);
