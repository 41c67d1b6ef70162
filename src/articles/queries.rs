//! SQL of articles: the feed in every order and filter, one article, its translations and
//! related candidates, and inserts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{
    AUTHOR_LINK_COLUMNS, AuthorLink, BodyRow, FeedFilter, FeedKey, FeedOrder, NewArticle,
    STATUS_PUBLISHED, SummaryRow, TAG_LINK_COLUMNS, TagLink,
};
use crate::db::schema::{article_authors, article_tags, articles, authors, tags};
use crate::db::{DbConnection, MultiBackend};
use crate::http::params::Ref;

pub type Visible = diesel::dsl::And<
    diesel::dsl::Eq<articles::status, &'static str>,
    diesel::dsl::LtEq<articles::published_at, NaiveDateTime>,
>;

/// The one rule of public visibility: published, and the publish time has come.
pub fn visible(now: NaiveDateTime) -> Visible {
    articles::status
        .eq(STATUS_PUBLISHED)
        .and(articles::published_at.le(now))
}

type Boxed = articles::BoxedQuery<'static, MultiBackend>;

/// Restricts `$q` to articles whose links in `$table` (`article_tags`, `article_authors`)
/// satisfy an [`IdFilter`](super::model::IdFilter) on column `$col`.
macro_rules! link_filter {
    ($q:ident, $filter:expr, $table:ident, $col:ident) => {
        for group in &$filter.required {
            $q = $q.filter(
                articles::id.eq_any(
                    $table::table
                        .filter($table::$col.eq_any(group.clone()))
                        .select($table::article_id),
                ),
            );
        }
        if !$filter.excluded.is_empty() {
            $q = $q.filter(diesel::dsl::not(
                articles::id.eq_any(
                    $table::table
                        .filter($table::$col.eq_any($filter.excluded.clone()))
                        .select($table::article_id),
                ),
            ));
        }
    };
}

/// Visible articles matching `filter`, before any order or keyset condition.
fn filtered(filter: &FeedFilter, now: NaiveDateTime) -> Boxed {
    let mut q = articles::table.filter(visible(now)).into_boxed();
    for group in &filter.sections.required {
        q = q.filter(articles::section_id.eq_any(group.clone()));
    }
    if !filter.sections.excluded.is_empty() {
        q = q.filter(articles::section_id.ne_all(filter.sections.excluded.clone()));
    }
    link_filter!(q, filter.tags, article_tags, tag_id);
    link_filter!(q, filter.authors, article_authors, author_id);
    if let Some(lang) = &filter.lang {
        q = q.filter(articles::lang.eq(lang.clone()));
    }
    if let Some(from) = filter.from {
        q = q.filter(articles::published_at.ge(from));
    }
    if let Some(to) = filter.to {
        q = q.filter(articles::published_at.le(to));
    }
    if let Some(featured) = filter.featured {
        q = q.filter(articles::featured.eq(featured));
    }
    q
}

/// One page of the feed: `limit` rows after `after` in `order`.
pub fn feed(
    conn: &mut DbConnection,
    filter: &FeedFilter,
    order: FeedOrder,
    after: Option<FeedKey>,
    limit: i64,
    now: NaiveDateTime,
) -> QueryResult<Vec<SummaryRow>> {
    let mut q = filtered(filter, now);
    // Keyset conditions are written as `key <= k AND (key < k OR id < i)`: the first term
    // bounds the index range on both backends, the second breaks ties by id.
    match (order, after) {
        (FeedOrder::Newest, Some(FeedKey::Time(t, id))) => {
            q = q
                .filter(articles::published_at.le(t))
                .filter(articles::published_at.lt(t).or(articles::id.lt(id)));
        }
        (FeedOrder::Oldest, Some(FeedKey::Time(t, id))) => {
            q = q
                .filter(articles::published_at.ge(t))
                .filter(articles::published_at.gt(t).or(articles::id.gt(id)));
        }
        (FeedOrder::Popular, Some(FeedKey::Views(v, id))) => {
            q = q
                .filter(articles::views.le(v))
                .filter(articles::views.lt(v).or(articles::id.lt(id)));
        }
        _ => {}
    }
    q = match order {
        FeedOrder::Newest => q.order((articles::published_at.desc(), articles::id.desc())),
        FeedOrder::Oldest => q.order((articles::published_at.asc(), articles::id.asc())),
        FeedOrder::Popular => q.order((articles::views.desc(), articles::id.desc())),
    };
    q.select(SummaryRow::as_select()).limit(limit).load(conn)
}

/// How many visible articles match `filter`.
pub fn count(conn: &mut DbConnection, filter: &FeedFilter, now: NaiveDateTime) -> QueryResult<i64> {
    filtered(filter, now).count().get_result(conn)
}

/// How many visible articles match `filter` and are newer than `(t, id)` in feed order.
pub fn count_newer(
    conn: &mut DbConnection,
    filter: &FeedFilter,
    t: NaiveDateTime,
    id: i64,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    filtered(filter, now)
        .filter(articles::published_at.ge(t))
        .filter(articles::published_at.gt(t).or(articles::id.gt(id)))
        .count()
        .get_result(conn)
}

/// Bylines of the given articles, in byline order.
pub fn author_links(conn: &mut DbConnection, article_ids: &[i64]) -> QueryResult<Vec<AuthorLink>> {
    article_authors::table
        .inner_join(authors::table)
        .filter(article_authors::article_id.eq_any(article_ids))
        .order((
            article_authors::article_id,
            article_authors::position,
            authors::id,
        ))
        .select(AUTHOR_LINK_COLUMNS)
        .load(conn)
}

/// Tags of the given articles, by name.
pub fn tag_links(conn: &mut DbConnection, article_ids: &[i64]) -> QueryResult<Vec<TagLink>> {
    article_tags::table
        .inner_join(tags::table)
        .filter(article_tags::article_id.eq_any(article_ids))
        .order((article_tags::article_id, tags::name, tags::id))
        .select(TAG_LINK_COLUMNS)
        .load(conn)
}

/// A visible article by id, or by slug in `lang`. Without a language, a slug resolves in
/// the default language first, then in the others in the site's order.
pub fn find_visible(
    conn: &mut DbConnection,
    r: &Ref,
    lang: Option<&str>,
    languages: &[String],
    now: NaiveDateTime,
) -> QueryResult<Option<(SummaryRow, BodyRow)>> {
    let q = articles::table
        .filter(visible(now))
        .select((SummaryRow::as_select(), BodyRow::as_select()))
        .into_boxed();
    let mut rows: Vec<(SummaryRow, BodyRow)> = match (r, lang) {
        (Ref::Id(id), _) => q.filter(articles::id.eq(*id)).load(conn)?,
        (Ref::Slug(slug), Some(lang)) => q
            .filter(articles::slug.eq(slug.clone()))
            .filter(articles::lang.eq(lang.to_string()))
            .load(conn)?,
        (Ref::Slug(slug), None) => q.filter(articles::slug.eq(slug.clone())).load(conn)?,
    };
    rows.sort_by_key(|(s, _)| {
        languages
            .iter()
            .position(|l| *l == s.lang)
            .unwrap_or(usize::MAX)
    });
    Ok(rows.into_iter().next())
}

/// Visible versions of the same story in other languages: `(lang, id, slug, title)`.
pub fn translations(
    conn: &mut DbConnection,
    group: i64,
    except: i64,
    now: NaiveDateTime,
) -> QueryResult<Vec<(String, i64, String, String)>> {
    articles::table
        .filter(visible(now))
        .filter(articles::translation_group.eq(group))
        .filter(articles::id.ne(except))
        .order(articles::lang)
        .select((
            articles::lang,
            articles::id,
            articles::slug,
            articles::title,
        ))
        .load(conn)
}

/// Candidates for "related": recent visible articles in the same language that share a tag
/// with the article, plus the most recent of its section.
pub fn related_candidates(
    conn: &mut DbConnection,
    article: &SummaryRow,
    tag_ids: &[i64],
    now: NaiveDateTime,
) -> QueryResult<Vec<SummaryRow>> {
    let mut rows: Vec<SummaryRow> = if tag_ids.is_empty() {
        Vec::new()
    } else {
        articles::table
            .filter(visible(now))
            .filter(articles::lang.eq(&article.lang))
            .filter(articles::id.ne(article.id))
            .filter(
                articles::id.eq_any(
                    article_tags::table
                        .filter(article_tags::tag_id.eq_any(tag_ids))
                        .select(article_tags::article_id),
                ),
            )
            .order((articles::published_at.desc(), articles::id.desc()))
            .limit(200)
            .select(SummaryRow::as_select())
            .load(conn)?
    };
    let same_section: Vec<SummaryRow> = articles::table
        .filter(visible(now))
        .filter(articles::lang.eq(&article.lang))
        .filter(articles::section_id.eq(article.section_id))
        .filter(articles::id.ne(article.id))
        .order((articles::published_at.desc(), articles::id.desc()))
        .limit(50)
        .select(SummaryRow::as_select())
        .load(conn)?;
    for row in same_section {
        if !rows.iter().any(|r| r.id == row.id) {
            rows.push(row);
        }
    }
    Ok(rows)
}

/// Tag ids of each given article: `(article_id, tag_id)`.
pub fn tag_ids_of(conn: &mut DbConnection, article_ids: &[i64]) -> QueryResult<Vec<(i64, i64)>> {
    article_tags::table
        .filter(article_tags::article_id.eq_any(article_ids))
        .select((article_tags::article_id, article_tags::tag_id))
        .load(conn)
}

/// Stores an article with its byline and tags; returns its id.
pub fn insert(
    conn: &mut DbConnection,
    new: &NewArticle,
    author_ids: &[i64],
    tag_ids: &[i64],
) -> QueryResult<i64> {
    let id: i64 = diesel::insert_into(articles::table)
        .values(new)
        .returning(articles::id)
        .get_result(conn)?;
    link(conn, id, author_ids, tag_ids)?;
    Ok(id)
}

fn link(conn: &mut DbConnection, id: i64, author_ids: &[i64], tag_ids: &[i64]) -> QueryResult<()> {
    for (position, author_id) in author_ids.iter().enumerate() {
        diesel::insert_into(article_authors::table)
            .values((
                article_authors::article_id.eq(id),
                article_authors::author_id.eq(author_id),
                article_authors::position.eq(position as i32),
            ))
            .execute(conn)?;
    }
    for tag_id in tag_ids {
        diesel::insert_into(article_tags::table)
            .values((
                article_tags::article_id.eq(id),
                article_tags::tag_id.eq(tag_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Bulk insert for the generator: multi-row statements on the inner connection (a
/// `MultiConnection` cannot batch). Returns `(id, lang, slug)` of each stored row, in no
/// particular order.
pub fn insert_many(
    conn: &mut DbConnection,
    batch: &[NewArticle],
) -> QueryResult<Vec<(i64, String, String)>> {
    let returning = (articles::id, articles::lang, articles::slug);
    match conn {
        DbConnection::Pg(c) => diesel::insert_into(articles::table)
            .values(batch)
            .returning(returning)
            .get_results(c),
        DbConnection::Sqlite(c) => diesel::insert_into(articles::table)
            .values(batch)
            .returning(returning)
            .get_results(c),
    }
}

/// Bulk link rows for the generator: `(article_id, author_id, position)` and
/// `(article_id, tag_id)`.
pub fn link_many(
    conn: &mut DbConnection,
    author_rows: &[(i64, i64, i32)],
    tag_rows: &[(i64, i64)],
) -> QueryResult<()> {
    let authors: Vec<_> = author_rows
        .iter()
        .map(|(a, u, p)| {
            (
                article_authors::article_id.eq(*a),
                article_authors::author_id.eq(*u),
                article_authors::position.eq(*p),
            )
        })
        .collect();
    let tags: Vec<_> = tag_rows
        .iter()
        .map(|(a, t)| (article_tags::article_id.eq(*a), article_tags::tag_id.eq(*t)))
        .collect();
    // The same statements on each backend's own connection type.
    macro_rules! insert_chunks {
        ($c:ident) => {{
            for chunk in authors.chunks(5_000) {
                diesel::insert_into(article_authors::table)
                    .values(chunk)
                    .execute($c)?;
            }
            for chunk in tags.chunks(5_000) {
                diesel::insert_into(article_tags::table)
                    .values(chunk)
                    .execute($c)?;
            }
        }};
    }
    match conn {
        DbConnection::Pg(c) => insert_chunks!(c),
        DbConnection::Sqlite(c) => insert_chunks!(c),
    }
    Ok(())
}
