-- Full-text index of articles (FTS5). It is contentless: it keeps only the index, not a second
-- copy of every body. newsdesk writes to it in the same transaction as the article, after
-- folding the text (src/search/text.rs: Latin diacritics, Azerbaijani ı/ə, Cyrillic ё); the
-- tokenizer folds case and any remaining diacritics. Prefix indexes keep `word*` and
-- suggestions fast. The rowid is the article id.
CREATE VIRTUAL TABLE article_fts USING fts5(
    title,
    lead,
    body,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

-- What a search reads of each match (visibility, section, language) in a narrow index, so
-- joining thousands of matches touches a few small pages instead of the article rows.
CREATE INDEX articles_search_idx ON articles (id, status, published_at, section_id, lang);
