//! SQL of full-text search. The index and the queries differ per backend (SQLite FTS5,
//! PostgreSQL tsvector + GIN); each operation has its two versions side by side. User text only
//! ever reaches SQL as bound values; the FTS5 expression and the tsquery are built by
//! [`super::query`] from the parsed query, never from raw input.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Nullable, Text, Timestamp};

use super::query::{Query, Term, fts5};
use super::text::{fold, pg_config};
use crate::db::DbConnection;
use crate::db::schema::{article_bodies, articles};
use crate::db::sql::{Bind, Sql};
use crate::domain::{FeedFilter, Status};

/// Text of one article as the index sees it (before folding).
#[derive(Debug, Clone)]
pub struct Doc<'a> {
    pub id: i64,
    pub lang: &'a str,
    pub title: &'a str,
    pub lead: &'a str,
    pub body: &'a str,
}

/// (Re)indexes articles, in the caller's transaction.
pub fn index(conn: &mut DbConnection, docs: &[Doc<'_>]) -> QueryResult<()> {
    for doc in docs {
        unindex(conn, doc.id)?;
    }
    index_new(conn, docs)
}

/// Indexes articles not indexed yet (just inserted), in the caller's transaction. SQLite takes
/// them in multi-row statements: each statement costs FTS5 a savepoint, so fewer is faster.
pub fn index_new(conn: &mut DbConnection, docs: &[Doc<'_>]) -> QueryResult<()> {
    match conn {
        DbConnection::Sqlite(_) => {
            for chunk in docs.chunks(500) {
                let mut sql = Sql::default();
                sql.push("INSERT INTO article_fts (rowid, title, lead, body) VALUES ");
                for (i, doc) in chunk.iter().enumerate() {
                    let id = sql.bind(Bind::BigInt(doc.id));
                    let title = sql.bind(Bind::Text(fold(doc.title)));
                    let lead = sql.bind(Bind::Text(fold(doc.lead)));
                    let body = sql.bind(Bind::Text(fold(doc.body)));
                    if i > 0 {
                        sql.push(", ");
                    }
                    sql.push(&format!("({id}, {title}, {lead}, {body})"));
                }
                sql.execute(conn)?;
            }
        }
        DbConnection::Pg(_) => {
            // One statement per 200 articles; each row is read in its own language's
            // configuration (a whitelisted name, cast to regconfig).
            for chunk in docs.chunks(200) {
                let mut sql = Sql::default();
                sql.push(
                    "UPDATE articles AS a SET search_vector = \
                     setweight(to_tsvector(v.cfg::regconfig, v.title), 'A') || \
                     setweight(to_tsvector(v.cfg::regconfig, v.lead), 'B') || \
                     setweight(to_tsvector(v.cfg::regconfig, v.body), 'C') FROM (VALUES ",
                );
                for (i, doc) in chunk.iter().enumerate() {
                    let id = sql.bind(Bind::BigInt(doc.id));
                    let cfg = sql.bind(Bind::Text(pg_config(doc.lang).to_string()));
                    let title = sql.bind(Bind::Text(fold(doc.title)));
                    let lead = sql.bind(Bind::Text(fold(doc.lead)));
                    let body = sql.bind(Bind::Text(fold(doc.body)));
                    if i > 0 {
                        sql.push(", ");
                    }
                    sql.push(&format!("({id}::bigint, {cfg}, {title}, {lead}, {body})"));
                }
                sql.push(") AS v (id, cfg, title, lead, body) WHERE a.id = v.id");
                sql.execute(conn)?;
            }
        }
    }
    Ok(())
}

/// Removes an article from the index (a deleted article).
pub fn unindex(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    match conn {
        DbConnection::Sqlite(_) => diesel::sql_query("DELETE FROM article_fts WHERE rowid = $1")
            .bind::<BigInt, _>(id)
            .execute(conn),
        DbConnection::Pg(_) => {
            diesel::sql_query("UPDATE articles SET search_vector = NULL WHERE id = $1")
                .bind::<BigInt, _>(id)
                .execute(conn)
        }
    }
    .map(|_| ())
}

/// Empties the index (before a bulk reload).
pub fn clear(conn: &mut DbConnection) -> QueryResult<()> {
    match conn {
        DbConnection::Sqlite(_) => {
            diesel::sql_query("INSERT INTO article_fts (article_fts) VALUES ('delete-all')")
                .execute(conn)
        }
        DbConnection::Pg(_) => {
            diesel::sql_query("UPDATE articles SET search_vector = NULL").execute(conn)
        }
    }
    .map(|_| ())
}

/// Rebuilds the index of every article that is not deleted; returns how many.
pub fn reindex_all(conn: &mut DbConnection) -> QueryResult<usize> {
    clear(conn)?;
    if let DbConnection::Sqlite(_) = conn {
        // Merge segments once at the end rather than all along.
        diesel::sql_query("INSERT INTO article_fts (article_fts, rank) VALUES ('automerge', 0)")
            .execute(conn)?;
    }
    let mut after = 0i64;
    let mut total = 0;
    loop {
        let batch: Vec<(i64, String, String, String, String)> = articles::table
            .inner_join(article_bodies::table)
            .filter(articles::id.gt(after))
            .filter(articles::status.ne(Status::Deleted.as_str()))
            .order(articles::id)
            .limit(500)
            .select((
                articles::id,
                articles::lang,
                articles::title,
                articles::lead,
                article_bodies::body_text,
            ))
            .load(conn)?;
        let Some(last) = batch.last() else { break };
        after = last.0;
        let docs: Vec<Doc<'_>> = batch
            .iter()
            .map(|(id, lang, title, lead, body)| Doc {
                id: *id,
                lang,
                title,
                lead,
                body,
            })
            .collect();
        index_new(conn, &docs)?;
        total += docs.len();
    }
    if let DbConnection::Sqlite(_) = conn {
        diesel::sql_query("INSERT INTO article_fts (article_fts) VALUES ('optimize')")
            .execute(conn)?;
        diesel::sql_query("INSERT INTO article_fts (article_fts, rank) VALUES ('automerge', 4)")
            .execute(conn)?;
    }
    Ok(total)
}

/// Which filters to leave out (facets count across their own dimension).
#[derive(Clone, Copy, Default)]
pub struct Skip {
    pub sections: bool,
    pub lang: bool,
}

/// Appends ` AND ...` conditions on `a` (articles) for visibility and the feed filters.
fn where_visible(sql: &mut Sql, filter: &FeedFilter, now: NaiveDateTime, skip: Skip) {
    let published = sql.bind(Bind::Text(Status::Published.into()));
    let now = sql.bind(Bind::Timestamp(now));
    sql.push(&format!(
        " AND a.status = {published} AND a.published_at <= {now}"
    ));
    if !skip.sections {
        for group in &filter.sections.required {
            let list = sql.ids(group);
            sql.push(&format!(" AND a.section_id IN ({list})"));
        }
        if !filter.sections.excluded.is_empty() {
            let list = sql.ids(&filter.sections.excluded);
            sql.push(&format!(" AND a.section_id NOT IN ({list})"));
        }
    }
    for (table, column, ids) in [
        ("article_tags", "tag_id", &filter.tags),
        ("article_authors", "author_id", &filter.authors),
    ] {
        for group in &ids.required {
            let list = sql.ids(group);
            sql.push(&format!(
                " AND a.id IN (SELECT article_id FROM {table} WHERE {column} IN ({list}))"
            ));
        }
        if !ids.excluded.is_empty() {
            let list = sql.ids(&ids.excluded);
            sql.push(&format!(
                " AND a.id NOT IN (SELECT article_id FROM {table} WHERE {column} IN ({list}))"
            ));
        }
    }
    if let (Some(lang), false) = (&filter.lang, skip.lang) {
        let p = sql.bind(Bind::Text(lang.clone()));
        sql.push(&format!(" AND a.lang = {p}"));
    }
    if let Some(from) = filter.from {
        let p = sql.bind(Bind::Timestamp(from));
        sql.push(&format!(" AND a.published_at >= {p}"));
    }
    if let Some(to) = filter.to {
        let p = sql.bind(Bind::Timestamp(to));
        sql.push(&format!(" AND a.published_at <= {p}"));
    }
}

/// A PostgreSQL tsquery expression for `query` in one configuration. Words go in as bound
/// values through `plainto_tsquery` / `phraseto_tsquery`, so stop words simply drop out and
/// no input is tsquery syntax. A configuration in which no positive term is left (all stop
/// words) yields the empty query, which matches nothing.
fn pg_tsquery(sql: &mut Sql, query: &Query, cfg: &str, prefix_suffix: &str) -> String {
    let mut term = |t: &Term| -> String {
        if t.prefix {
            let p = sql.bind(Bind::Text(t.text()));
            format!("to_tsquery('{cfg}', quote_literal({p}) || '{prefix_suffix}')")
        } else if t.words.len() > 1 {
            let p = sql.bind(Bind::Text(t.text()));
            format!("phraseto_tsquery('{cfg}', {p})")
        } else {
            let p = sql.bind(Bind::Text(t.text()));
            format!("plainto_tsquery('{cfg}', {p})")
        }
    };
    let clauses: Vec<String> = query
        .clauses
        .iter()
        .map(|alts| {
            format!(
                "({})",
                alts.iter().map(&mut term).collect::<Vec<_>>().join(" || ")
            )
        })
        .collect();
    let positive = format!("({})", clauses.join(" && "));
    if query.excluded.is_empty() {
        return positive;
    }
    let negative: Vec<String> = query
        .excluded
        .iter()
        .map(|t| format!("!!{}", term(t)))
        .collect();
    format!(
        "(CASE WHEN numnode({positive}) = 0 THEN ''::tsquery ELSE {positive} && {} END)",
        negative.join(" && ")
    )
}

/// The query read in each configuration articles are indexed with, as the columns `en`, `ru`
/// and `other` of a one-row subquery. Each article is then matched (and ranked) by its own
/// language's reading, so an exclusion or a stop word means the same as at indexing time, and
/// the match does not depend on the filters: facet counts and filtered totals agree.
/// `prefix_suffix` is `:*`, or `:*A` for title prefixes only.
fn pg_readings(sql: &mut Sql, query: &Query, prefix_suffix: &str) -> String {
    let en = pg_tsquery(sql, query, pg_config("en"), prefix_suffix);
    let ru = pg_tsquery(sql, query, pg_config("ru"), prefix_suffix);
    let other = pg_tsquery(sql, query, pg_config(""), prefix_suffix);
    format!("(SELECT {en} AS en, {ru} AS ru, {other} AS other) q")
}

/// Condition matching `alias.search_vector` against the reading of its own language.
fn pg_match(alias: &str) -> String {
    format!(
        "(({alias}.lang = 'en' AND {alias}.search_vector @@ q.en) \
         OR ({alias}.lang = 'ru' AND {alias}.search_vector @@ q.ru) \
         OR ({alias}.lang NOT IN ('en', 'ru') AND {alias}.search_vector @@ q.other))"
    )
}

/// `FROM` clause producing `a` (articles) and `m.score` (higher is better) for the matches.
/// SQLite ranks with bm25 (title ×10, lead ×5, body ×1); PostgreSQL with ts_rank over the
/// weights A (title), B (lead), C (body).
fn matches_from(sql: &mut Sql, conn: &DbConnection, query: &Query) {
    match conn {
        DbConnection::Sqlite(_) => {
            let expr = sql.bind(Bind::Text(fts5(query, None)));
            sql.push(&format!(
                " FROM (SELECT rowid AS id, -bm25(article_fts, 10.0, 5.0, 1.0) AS score \
                 FROM article_fts WHERE article_fts MATCH {expr}) m \
                 JOIN articles a INDEXED BY articles_search_idx ON a.id = m.id WHERE 1 = 1"
            ));
        }
        DbConnection::Pg(_) => {
            let readings = pg_readings(sql, query, ":*");
            let matched = pg_match("a0");
            sql.push(&format!(
                " FROM (SELECT a0.id, ts_rank(a0.search_vector, CASE a0.lang WHEN 'en' THEN q.en \
                 WHEN 'ru' THEN q.ru ELSE q.other END)::float8 AS score \
                 FROM articles a0, {readings} WHERE {matched}) m \
                 JOIN articles a ON a.id = m.id WHERE 1 = 1"
            ));
        }
    }
}

/// One matching article with what ranking, paging and facets need.
#[derive(Debug, Clone, QueryableByName)]
pub struct Match {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Double)]
    pub score: f64,
    #[diesel(sql_type = Nullable<Timestamp>)]
    pub published_at: Option<NaiveDateTime>,
    #[diesel(sql_type = BigInt)]
    pub section_id: i64,
    #[diesel(sql_type = Text)]
    pub lang: String,
}

/// Every visible article matching `query` and the filters other than section and language,
/// which the caller applies (the facets of those two dimensions count across them). One pass
/// over the matches serves the page, the total and both facets.
///
/// `with_time`: whether `published_at` is needed (ordering by time); otherwise it is left out,
/// which spares converting thousands of stored timestamps.
pub fn matches(
    conn: &mut DbConnection,
    query: &Query,
    filter: &FeedFilter,
    now: NaiveDateTime,
    with_time: bool,
) -> QueryResult<Vec<Match>> {
    let mut sql = Sql::default();
    sql.push(if with_time {
        "SELECT a.id, m.score, a.published_at, a.section_id, a.lang"
    } else {
        "SELECT a.id, m.score, CAST(NULL AS TIMESTAMP) AS published_at, a.section_id, a.lang"
    });
    matches_from(&mut sql, conn, query);
    where_visible(
        &mut sql,
        filter,
        now,
        Skip {
            sections: true,
            lang: true,
        },
    );
    sql.load(conn)
}

#[derive(Debug, Clone, QueryableByName)]
pub struct Suggestion {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub slug: String,
    #[diesel(sql_type = Text)]
    pub lang: String,
    #[diesel(sql_type = Text)]
    pub title: String,
}

/// Titles completing what a reader has typed: every word must start a title word, newest
/// first. Reads the newest matches in index order and stops early, so it stays fast however
/// common the prefix.
pub fn suggest(
    conn: &mut DbConnection,
    words: &[String],
    lang: Option<&str>,
    limit: i64,
    now: NaiveDateTime,
) -> QueryResult<Vec<Suggestion>> {
    let query = Query {
        clauses: words
            .iter()
            .map(|w| {
                vec![Term {
                    words: vec![w.clone()],
                    prefix: true,
                }]
            })
            .collect(),
        excluded: Vec::new(),
    };
    let mut sql = Sql::default();
    match conn {
        DbConnection::Sqlite(_) => {
            let expr = sql.bind(Bind::Text(fts5(&query, Some("title"))));
            sql.push(&format!(
                "SELECT a.id, a.slug, a.lang, a.title FROM (SELECT rowid AS id FROM article_fts \
                 WHERE article_fts MATCH {expr} ORDER BY rowid DESC LIMIT 500) m \
                 JOIN articles a ON a.id = m.id WHERE 1 = 1"
            ));
        }
        DbConnection::Pg(_) => {
            let readings = pg_readings(&mut sql, &query, ":*A");
            let matched = pg_match("a");
            sql.push(&format!(
                "SELECT a.id, a.slug, a.lang, a.title FROM articles a, {readings} WHERE {matched}"
            ));
        }
    }
    where_visible(
        &mut sql,
        &FeedFilter {
            lang: lang.map(str::to_string),
            ..FeedFilter::default()
        },
        now,
        Skip::default(),
    );
    let l = sql.bind(Bind::BigInt(limit));
    sql.push(&format!(" ORDER BY a.id DESC LIMIT {l}"));
    sql.load(conn)
}

/// Articles whose text is most like `title` (any of its longer words), same language,
/// for "related": `(id, score)` best first.
pub fn similar(
    conn: &mut DbConnection,
    id: i64,
    lang: &str,
    title: &str,
    limit: i64,
    now: NaiveDateTime,
) -> QueryResult<Vec<(i64, f64)>> {
    let mut words: Vec<String> = super::text::words(title)
        .into_iter()
        .filter(|w| w.chars().count() >= 4)
        .collect();
    words.sort();
    words.dedup();
    words.truncate(8);
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let query = Query {
        clauses: vec![
            words
                .into_iter()
                .map(|w| Term {
                    words: vec![w],
                    prefix: false,
                })
                .collect(),
        ],
        excluded: Vec::new(),
    };
    let mut sql = Sql::default();
    sql.push("SELECT a.id, m.score, a.published_at, a.section_id, a.lang");
    matches_from(&mut sql, conn, &query);
    let filter = FeedFilter {
        lang: Some(lang.to_string()),
        ..FeedFilter::default()
    };
    where_visible(&mut sql, &filter, now, Skip::default());
    let me = sql.bind(Bind::BigInt(id));
    let l = sql.bind(Bind::BigInt(limit));
    sql.push(&format!(
        " AND a.id <> {me} ORDER BY m.score DESC, a.id DESC LIMIT {l}"
    ));
    Ok(sql
        .load::<Match>(conn)?
        .into_iter()
        .map(|h| (h.id, h.score))
        .collect())
}
