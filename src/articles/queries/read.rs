//! One article and what comes with it: by id or slug, its body, byline, tags, translations,
//! and the candidates for "related".

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment};
use diesel::sql_types;

use crate::articles::dto::{AuthorRef, TagRef};
use crate::articles::model::{BodyRow, Links, SummaryRow, TranslationRow};
use crate::db::DbConnection;
use crate::db::MultiBackend;
use crate::db::schema::{article_authors, article_bodies, article_tags, articles};
use crate::db::sql::{id_list, in_ids, push_in_list};
use crate::domain::{Status, visible};
use crate::http::params::Ref;
use crate::settings::language_rank;

/// List columns of the given articles, in the order of `ids`.
pub fn summaries_by_ids(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<SummaryRow>> {
    let rows = articles::table
        .filter(in_ids(articles::id, ids))
        .select(SummaryRow::as_select())
        .load(conn)?;
    Ok(in_order_of(ids, rows))
}

/// List columns of those of the given articles readers may see at `now`, in the order of
/// `ids`.
pub fn visible_summaries_by_ids(
    conn: &mut DbConnection,
    ids: &[i64],
    now: NaiveDateTime,
) -> QueryResult<Vec<SummaryRow>> {
    let rows = articles::table
        .filter(in_ids(articles::id, ids))
        .filter(visible(now))
        .select(SummaryRow::as_select())
        .load(conn)?;
    Ok(in_order_of(ids, rows))
}

fn in_order_of(ids: &[i64], mut rows: Vec<SummaryRow>) -> Vec<SummaryRow> {
    rows.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
    rows
}

/// Bylines and tags of the given articles, in one query.
pub fn links(conn: &mut DbConnection, article_ids: &[i64]) -> QueryResult<Links> {
    let rows: Vec<LinkRow> = LinksQuery {
        ids: id_list(article_ids),
    }
    .load(conn)?;
    let mut links = Links::default();
    for (kind, article_id, id, slug, name, avatar_url, _, _) in rows {
        if kind == BYLINE {
            let author = AuthorRef {
                id,
                slug,
                name,
                avatar_url,
            };
            links.bylines.entry(article_id).or_default().push(author);
        } else {
            let tag = TagRef { id, slug, name };
            links.tags.entry(article_id).or_default().push(tag);
        }
    }
    Ok(links)
}

/// A row of [`LinksQuery`]: kind ([`BYLINE`] or a tag), article, id, slug, name, avatar, byline
/// position, tag name (the last two order the rows).
type LinkRow = (i32, i64, i64, String, String, Option<String>, i32, String);
/// The kind of a byline row: the first column of the bylines half of [`LinksQuery`].
const BYLINE: i32 = 0;

/// The bylines and tags of some articles as one `UNION ALL`: a query of its own type, so each
/// connection prepares it once, like the queries Diesel builds.
#[derive(Debug, Clone, diesel::query_builder::QueryId)]
struct LinksQuery {
    ids: String,
}

impl diesel::query_builder::Query for LinksQuery {
    type SqlType = (
        sql_types::Integer,
        sql_types::BigInt,
        sql_types::BigInt,
        sql_types::Text,
        sql_types::Text,
        sql_types::Nullable<sql_types::Text>,
        sql_types::Integer,
        sql_types::Text,
    );
}

impl RunQueryDsl<DbConnection> for LinksQuery {}

impl QueryFragment<MultiBackend> for LinksQuery {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        out.push_sql(
            "SELECT 0, aa.article_id, au.id, au.slug, au.name, au.avatar_url, aa.position, '' \
             FROM article_authors aa INNER JOIN authors au ON au.id = aa.author_id \
             WHERE aa.article_id",
        );
        push_in_list(out.reborrow(), &self.ids)?;
        out.push_sql(
            " UNION ALL SELECT 1, at.article_id, t.id, t.slug, t.name, NULL, 0, t.name \
             FROM article_tags at INNER JOIN tags t ON t.id = at.tag_id \
             WHERE at.article_id",
        );
        push_in_list(out.reborrow(), &self.ids)?;
        out.push_sql(" ORDER BY 1, 2, 7, 8, 3");
        Ok(())
    }
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
