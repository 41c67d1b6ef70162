-- Back to the FTS5 index of the previous version (empty: `newsdesk reindex` of that version
-- fills it).
CREATE VIRTUAL TABLE article_fts USING fts5(
    title,
    lead,
    body,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
CREATE INDEX articles_search_idx ON articles (id, status, published_at, section_id, lang);
