//! SQL of articles: the feed in every order and filter, one article, its translations and
//! related candidates, and inserts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{
    AUTHOR_LINK_COLUMNS, ArticleChanges, AuthorLink, BodyRow, FeedKey, FeedOrder, NewArticle,
    StatusFilter, SummaryRow, TAG_LINK_COLUMNS, TagLink, TranslationRow,
};
use crate::db::schema::{
    article_authors, article_bodies, article_revisions, article_tags, articles, authors, tags,
};
use crate::db::{DbConnection, MultiBackend};
use crate::domain::visible;
use crate::domain::{FeedFilter, Status};
use crate::http::params::Ref;
use crate::settings::language_rank;

type Boxed = articles::BoxedQuery<'static, MultiBackend>;

/// Restricts `$q` to articles whose links in `$table` (`article_tags`, `article_authors`)
/// satisfy an [`IdFilter`](super::model::IdFilter) on column `$col`, except the required
/// group at index `$skip` (the one already applied by driving the query from that table).
macro_rules! link_filter {
    ($q:ident, $filter:expr, $alias:ident, $table:ident, $col:ident, $skip:expr) => {
        for (i, group) in $filter.required.iter().enumerate() {
            if i != $skip {
                $q = $q.filter(
                    articles::id.eq_any(
                        $alias
                            .filter($alias.field($table::$col).eq_any(group.clone()))
                            .select($alias.field($table::article_id)),
                    ),
                );
            }
        }
        if !$filter.excluded.is_empty() {
            $q = $q.filter(diesel::dsl::not(
                articles::id.eq_any(
                    $alias
                        .filter($alias.field($table::$col).eq_any($filter.excluded.clone()))
                        .select($alias.field($table::article_id)),
                ),
            ));
        }
    };
}

// Subqueries read the link tables under another name, so they can also filter a query that
// is driven from the same link table.
diesel::alias!(article_tags as other_tags: OtherTags, article_authors as other_authors: OtherAuthors);

/// Applies every condition of `$filter` on `articles` columns to the boxed query `$q`,
/// whatever table drives it. `$skip_tag`/`$skip_author`: the required group that the driving
/// link table already applies (`usize::MAX` for none).
macro_rules! article_filters {
    ($q:ident, $filter:expr, $skip_tag:expr, $skip_author:expr) => {
        for group in &$filter.sections.required {
            $q = $q.filter(articles::section_id.eq_any(group.clone()));
        }
        if !$filter.sections.excluded.is_empty() {
            $q = $q.filter(articles::section_id.ne_all($filter.sections.excluded.clone()));
        }
        link_filter!(
            $q,
            $filter.tags,
            other_tags,
            article_tags,
            tag_id,
            $skip_tag
        );
        link_filter!(
            $q,
            $filter.authors,
            other_authors,
            article_authors,
            author_id,
            $skip_author
        );
        if let Some(lang) = &$filter.lang {
            $q = $q.filter(articles::lang.eq(lang.clone()));
        }
        if let Some(from) = $filter.from {
            $q = $q.filter(articles::published_at.ge(from));
        }
        if let Some(to) = $filter.to {
            $q = $q.filter(articles::published_at.le(to));
        }
        if let Some(featured) = $filter.featured {
            $q = $q.filter(articles::featured.eq(featured));
        }
    };
}

/// Keyset condition and order of a time-ordered page over `($time, $id)` columns. Conditions
/// are `key <= k AND (key < k OR id < i)`: the first term bounds the index range on both
/// backends, the second breaks ties by id.
macro_rules! time_page {
    ($q:ident, $order:expr, $after:expr, $time:path, $id:path) => {
        match ($order, $after) {
            (FeedOrder::Oldest, Some(FeedKey::Time(t, id))) => {
                $q = $q.filter($time.ge(t)).filter($time.gt(t).or($id.gt(id)));
            }
            (_, Some(FeedKey::Time(t, id))) => {
                $q = $q.filter($time.le(t)).filter($time.lt(t).or($id.lt(id)));
            }
            _ => {}
        }
        $q = match $order {
            FeedOrder::Oldest => $q.order(($time.asc(), $id.asc())),
            _ => $q.order(($time.desc(), $id.desc())),
        };
    };
}

/// Visible articles matching `filter`, before any order or keyset condition.
fn filtered(filter: &FeedFilter, now: NaiveDateTime) -> Boxed {
    let mut q = articles::table.filter(visible(now)).into_boxed();
    article_filters!(q, filter, usize::MAX, usize::MAX);
    q
}

/// The table a time-ordered feed is read from. A feed restricted to one tag or one author is
/// read in order from that link table's `(id, feed_at, article_id)` index, so it never sorts
/// all of the tag's or author's articles; anything else is read from the articles' indexes.
enum Driver {
    Articles,
    Tag(usize, i64),
    Author(usize, i64),
}

fn driver(filter: &FeedFilter) -> Driver {
    let single = |groups: &[Vec<i64>]| {
        groups
            .iter()
            .enumerate()
            .find_map(|(i, g)| (g.len() == 1).then(|| (i, g[0])))
    };
    if let Some((i, id)) = single(&filter.tags.required) {
        Driver::Tag(i, id)
    } else if let Some((i, id)) = single(&filter.authors.required) {
        Driver::Author(i, id)
    } else {
        Driver::Articles
    }
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
    let select = SummaryRow::as_select();
    match (order, driver(filter)) {
        (FeedOrder::Newest | FeedOrder::Oldest, Driver::Tag(group, tag)) => {
            let mut q = article_tags::table
                .inner_join(articles::table)
                .filter(article_tags::tag_id.eq(tag))
                .filter(article_tags::feed_at.le(now))
                .filter(visible(now))
                .into_boxed();
            article_filters!(q, filter, group, usize::MAX);
            time_page!(
                q,
                order,
                after,
                article_tags::feed_at,
                article_tags::article_id
            );
            q.select(select).limit(limit).load(conn)
        }
        (FeedOrder::Newest | FeedOrder::Oldest, Driver::Author(group, author)) => {
            let mut q = article_authors::table
                .inner_join(articles::table)
                .filter(article_authors::author_id.eq(author))
                .filter(article_authors::feed_at.le(now))
                .filter(visible(now))
                .into_boxed();
            article_filters!(q, filter, usize::MAX, group);
            time_page!(
                q,
                order,
                after,
                article_authors::feed_at,
                article_authors::article_id
            );
            q.select(select).limit(limit).load(conn)
        }
        (FeedOrder::Newest | FeedOrder::Oldest, Driver::Articles) => {
            let mut q = filtered(filter, now);
            time_page!(q, order, after, articles::published_at, articles::id);
            q.select(select).limit(limit).load(conn)
        }
        (FeedOrder::Popular, _) => {
            let mut q = filtered(filter, now);
            if let Some(FeedKey::Views(v, id)) = after {
                q = q
                    .filter(articles::views.le(v))
                    .filter(articles::views.lt(v).or(articles::id.lt(id)));
            }
            q.order((articles::views.desc(), articles::id.desc()))
                .select(select)
                .limit(limit)
                .load(conn)
        }
    }
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

/// List columns of the given articles, in the order of `ids`.
pub fn summaries_by_ids(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<SummaryRow>> {
    let mut rows: Vec<SummaryRow> = articles::table
        .filter(articles::id.eq_any(ids))
        .select(SummaryRow::as_select())
        .load(conn)?;
    rows.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
    Ok(rows)
}

/// `(id, lead, body_text)` of the given articles.
pub fn texts(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, String, String)>> {
    articles::table
        .inner_join(article_bodies::table)
        .filter(articles::id.eq_any(ids))
        .select((articles::id, articles::lead, article_bodies::body_text))
        .load(conn)
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
        .inner_join(article_bodies::table)
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
    rows.sort_by_key(|(s, _)| language_rank(languages, &s.lang));
    Ok(rows.into_iter().next())
}

/// Visible versions of the same story in other languages.
pub fn translations(
    conn: &mut DbConnection,
    group: i64,
    except: i64,
    now: NaiveDateTime,
) -> QueryResult<Vec<TranslationRow>> {
    articles::table
        .filter(visible(now))
        .filter(articles::translation_group.eq(group))
        .filter(articles::id.ne(except))
        .order(articles::lang)
        .select(TranslationRow::as_select())
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
        .values((new, articles::status.eq(new.status.as_str())))
        .returning(articles::id)
        .get_result(conn)?;
    diesel::insert_into(article_bodies::table)
        .values((
            article_bodies::article_id.eq(id),
            article_bodies::body_md.eq(&new.body_md),
            article_bodies::body_html.eq(&new.body_html),
            article_bodies::body_text.eq(&new.body_text),
        ))
        .execute(conn)?;
    link_many(
        conn,
        &[Links {
            article_id: id,
            feed_at: feed_at(new.status, new.published_at),
            authors: author_ids.to_vec(),
            tags: tag_ids.to_vec(),
        }],
    )?;
    // Index last: SQLite makes FTS5 flush its pending terms at every later statement that
    // opens a savepoint.
    crate::index::queries::index_new(
        conn,
        &[crate::index::queries::Doc {
            id,
            lang: &new.lang,
            title: &new.title,
            lead: &new.lead,
            body: &new.body_text,
        }],
    )?;
    Ok(id)
}

/// What link rows carry as `feed_at`: the publish time while the article is published.
pub fn feed_at(status: Status, published_at: Option<NaiveDateTime>) -> Option<NaiveDateTime> {
    (status == Status::Published)
        .then_some(published_at)
        .flatten()
}

/// Bulk insert for the generator: multi-row statements on the inner connection (a
/// `MultiConnection` cannot batch). Returns `(id, lang, slug)` of each stored row, in no
/// particular order. The caller links them and builds their search index.
pub fn insert_many(
    conn: &mut DbConnection,
    batch: &[NewArticle],
) -> QueryResult<Vec<(i64, String, String)>> {
    let returning = (articles::id, articles::lang, articles::slug);
    // Modest statements: SQLite keeps a statement journal of every page a multi-row insert
    // touches, and releasing a large one costs more than the rows it saves.
    let mut stored: Vec<(i64, String, String)> = Vec::with_capacity(batch.len());
    for chunk in batch.chunks(50) {
        let values: Vec<_> = chunk
            .iter()
            .map(|a| (a, articles::status.eq(a.status.as_str())))
            .collect();
        let rows: Vec<(i64, String, String)> = match conn {
            DbConnection::Pg(c) => diesel::insert_into(articles::table)
                .values(values)
                .returning(returning)
                .get_results(c)?,
            DbConnection::Sqlite(c) => diesel::insert_into(articles::table)
                .values(values)
                .returning(returning)
                .get_results(c)?,
        };
        stored.extend(rows);
    }
    let bodies: Vec<_> = stored
        .iter()
        .filter_map(|(id, lang, slug)| {
            let a = batch.iter().find(|a| &a.lang == lang && &a.slug == slug)?;
            Some((
                article_bodies::article_id.eq(*id),
                article_bodies::body_md.eq(&a.body_md),
                article_bodies::body_html.eq(&a.body_html),
                article_bodies::body_text.eq(&a.body_text),
            ))
        })
        .collect();
    for chunk in bodies.chunks(50) {
        match conn {
            DbConnection::Pg(c) => diesel::insert_into(article_bodies::table)
                .values(chunk)
                .execute(c)?,
            DbConnection::Sqlite(c) => diesel::insert_into(article_bodies::table)
                .values(chunk)
                .execute(c)?,
        };
    }
    Ok(stored)
}

/// The byline (in order) and tags of one article.
#[derive(Debug, Clone)]
pub struct Links {
    pub article_id: i64,
    pub feed_at: Option<NaiveDateTime>,
    pub authors: Vec<i64>,
    pub tags: Vec<i64>,
}

/// Stores byline and tag rows of many articles in multi-row statements.
pub fn link_many(conn: &mut DbConnection, links: &[Links]) -> QueryResult<()> {
    let authors: Vec<_> = links
        .iter()
        .flat_map(|l| {
            l.authors.iter().enumerate().map(|(position, author)| {
                (
                    article_authors::article_id.eq(l.article_id),
                    article_authors::author_id.eq(*author),
                    article_authors::position.eq(position as i32),
                    article_authors::feed_at.eq(l.feed_at),
                )
            })
        })
        .collect();
    let tags: Vec<_> = links
        .iter()
        .flat_map(|l| {
            l.tags.iter().map(|tag| {
                (
                    article_tags::article_id.eq(l.article_id),
                    article_tags::tag_id.eq(*tag),
                    article_tags::feed_at.eq(l.feed_at),
                )
            })
        })
        .collect();
    // The same statements on each backend's own connection type.
    macro_rules! insert_chunks {
        ($c:ident) => {{
            for chunk in authors.chunks(4_000) {
                diesel::insert_into(article_authors::table)
                    .values(chunk)
                    .execute($c)?;
            }
            for chunk in tags.chunks(4_000) {
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

/// Locks an article's row until the transaction ends, so that concurrent edits of one article
/// (a publish and a patch, two publishes) run one after the other on PostgreSQL. SQLite writes
/// hold the database's write lock already (see [`crate::db::transaction`]).
pub fn lock(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    if let DbConnection::Pg(_) = conn {
        diesel::sql_query("SELECT id FROM articles WHERE id = $1 FOR UPDATE")
            .bind::<diesel::sql_types::BigInt, _>(id)
            .execute(conn)?;
    }
    Ok(())
}

/// An article by id, whatever its status (the editorial view).
pub fn find_by_id(conn: &mut DbConnection, id: i64) -> QueryResult<Option<(SummaryRow, BodyRow)>> {
    articles::table
        .inner_join(article_bodies::table)
        .filter(articles::id.eq(id))
        .select((SummaryRow::as_select(), BodyRow::as_select()))
        .first(conn)
        .optional()
}

/// An article by slug in one language, whatever its status.
pub fn find_by_slug(
    conn: &mut DbConnection,
    slug: &str,
    lang: &str,
) -> QueryResult<Option<(SummaryRow, BodyRow)>> {
    articles::table
        .inner_join(article_bodies::table)
        .filter(articles::slug.eq(slug.to_string()))
        .filter(articles::lang.eq(lang.to_string()))
        .select((SummaryRow::as_select(), BodyRow::as_select()))
        .first(conn)
        .optional()
}

/// Whether another article of `lang` uses `slug` (deleted ones release their slug).
pub fn slug_exists(
    conn: &mut DbConnection,
    lang: &str,
    slug: &str,
    except: Option<i64>,
) -> QueryResult<bool> {
    let mut q = articles::table
        .filter(articles::lang.eq(lang.to_string()))
        .filter(articles::slug.eq(slug.to_string()))
        .into_boxed();
    if let Some(id) = except {
        q = q.filter(articles::id.ne(id));
    }
    Ok(q.count().get_result::<i64>(conn)? > 0)
}

pub fn update(conn: &mut DbConnection, id: i64, changes: &ArticleChanges) -> QueryResult<()> {
    diesel::update(articles::table.filter(articles::id.eq(id)))
        .set(changes)
        .execute(conn)?;
    if let (Some(md), Some(html), Some(text)) =
        (&changes.body_md, &changes.body_html, &changes.body_text)
    {
        diesel::update(article_bodies::table.filter(article_bodies::article_id.eq(id)))
            .set((
                article_bodies::body_md.eq(md),
                article_bodies::body_html.eq(html),
                article_bodies::body_text.eq(text),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Replaces the byline and/or tags of an article.
pub fn replace_links(
    conn: &mut DbConnection,
    id: i64,
    authors: Option<&[i64]>,
    tags: Option<&[i64]>,
    feed_at: Option<NaiveDateTime>,
) -> QueryResult<()> {
    if authors.is_some() {
        diesel::delete(article_authors::table.filter(article_authors::article_id.eq(id)))
            .execute(conn)?;
    }
    if tags.is_some() {
        diesel::delete(article_tags::table.filter(article_tags::article_id.eq(id)))
            .execute(conn)?;
    }
    link_many(
        conn,
        &[Links {
            article_id: id,
            feed_at,
            authors: authors.unwrap_or_default().to_vec(),
            tags: tags.unwrap_or_default().to_vec(),
        }],
    )
}

/// Keeps the link tables' `feed_at` in step with the article's status and publish time.
pub fn sync_feed_at(
    conn: &mut DbConnection,
    id: i64,
    feed_at: Option<NaiveDateTime>,
) -> QueryResult<()> {
    diesel::update(article_authors::table.filter(article_authors::article_id.eq(id)))
        .set(article_authors::feed_at.eq(feed_at))
        .execute(conn)?;
    diesel::update(article_tags::table.filter(article_tags::article_id.eq(id)))
        .set(article_tags::feed_at.eq(feed_at))
        .execute(conn)?;
    Ok(())
}

/// The byline of one article (author ids in order) and its tag ids.
pub fn link_ids(conn: &mut DbConnection, id: i64) -> QueryResult<(Vec<i64>, Vec<i64>)> {
    let authors = article_authors::table
        .filter(article_authors::article_id.eq(id))
        .order((article_authors::position, article_authors::author_id))
        .select(article_authors::author_id)
        .load(conn)?;
    let tags = article_tags::table
        .filter(article_tags::article_id.eq(id))
        .order(article_tags::tag_id)
        .select(article_tags::tag_id)
        .load(conn)?;
    Ok((authors, tags))
}

/// Stores the state after a save as the next revision; returns its number.
pub fn add_revision(
    conn: &mut DbConnection,
    id: i64,
    snapshot: &str,
    by: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<i32> {
    let number = latest_revision(conn, id)? + 1;
    diesel::insert_into(article_revisions::table)
        .values((
            article_revisions::article_id.eq(id),
            article_revisions::number.eq(number),
            article_revisions::snapshot.eq(snapshot),
            article_revisions::created_at.eq(now),
            article_revisions::created_by.eq(by),
        ))
        .execute(conn)?;
    Ok(number)
}

pub fn latest_revision(conn: &mut DbConnection, id: i64) -> QueryResult<i32> {
    article_revisions::table
        .filter(article_revisions::article_id.eq(id))
        .select(diesel::dsl::max(article_revisions::number))
        .first::<Option<i32>>(conn)
        .map(|n| n.unwrap_or(0))
}

/// A stored revision: its number, when and by whom, and the snapshot JSON.
#[derive(Debug, Clone, Queryable)]
pub struct RevisionRow {
    pub number: i32,
    pub created_at: NaiveDateTime,
    pub created_by: Option<i64>,
    pub snapshot: String,
}

/// An article's revisions, newest first.
pub fn revisions(conn: &mut DbConnection, id: i64) -> QueryResult<Vec<RevisionRow>> {
    article_revisions::table
        .filter(article_revisions::article_id.eq(id))
        .order(article_revisions::number.desc())
        .select((
            article_revisions::number,
            article_revisions::created_at,
            article_revisions::created_by,
            article_revisions::snapshot,
        ))
        .load(conn)
}

pub fn revision(conn: &mut DbConnection, id: i64, number: i32) -> QueryResult<Option<RevisionRow>> {
    article_revisions::table
        .filter(article_revisions::article_id.eq(id))
        .filter(article_revisions::number.eq(number))
        .select((
            article_revisions::number,
            article_revisions::created_at,
            article_revisions::created_by,
            article_revisions::snapshot,
        ))
        .first(conn)
        .optional()
}

/// Other live (not deleted) versions of a story.
pub fn group_members(
    conn: &mut DbConnection,
    group: i64,
    except: i64,
) -> QueryResult<Vec<TranslationRow>> {
    articles::table
        .filter(articles::translation_group.eq(group))
        .filter(articles::id.ne(except))
        .filter(articles::status.ne(Status::Deleted.as_str()))
        .order(articles::lang)
        .select(TranslationRow::as_select())
        .load(conn)
}

/// The editorial listing: articles in any of `statuses`, optionally only `created_by` one
/// user, most recently updated first.
pub fn editorial_page(
    conn: &mut DbConnection,
    statuses: &[StatusFilter],
    created_by: Option<i64>,
    after: Option<(NaiveDateTime, i64)>,
    limit: i64,
    now: NaiveDateTime,
) -> QueryResult<Vec<SummaryRow>> {
    type Condition = Box<
        dyn BoxableExpression<articles::table, MultiBackend, SqlType = diesel::sql_types::Bool>,
    >;
    let condition = |s: StatusFilter| -> Condition {
        match s {
            StatusFilter::Draft => Box::new(articles::status.eq(Status::Draft.as_str())),
            StatusFilter::Archived => Box::new(articles::status.eq(Status::Archived.as_str())),
            StatusFilter::Published => Box::new(
                articles::status
                    .eq(Status::Published.as_str())
                    .and(articles::published_at.assume_not_null().le(now)),
            ),
            StatusFilter::Scheduled => Box::new(
                articles::status
                    .eq(Status::Published.as_str())
                    .and(articles::published_at.assume_not_null().gt(now)),
            ),
        }
    };
    let mut statuses = statuses.iter().copied();
    let Some(first) = statuses.next() else {
        return Ok(Vec::new());
    };
    let any_status = statuses.fold(condition(first), |acc, s| Box::new(acc.or(condition(s))));
    let mut q = articles::table
        .filter(any_status)
        .select(SummaryRow::as_select())
        .into_boxed();
    if let Some(user) = created_by {
        q = q.filter(articles::created_by.eq(user));
    }
    if let Some((t, id)) = after {
        q = q
            .filter(articles::updated_at.le(t))
            .filter(articles::updated_at.lt(t).or(articles::id.lt(id)));
    }
    q.order((articles::updated_at.desc(), articles::id.desc()))
        .limit(limit)
        .load(conn)
}
