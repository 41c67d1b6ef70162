//! The feed in every order and filter, as keyset pages: the public feeds and the editorial
//! listing.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::articles::model::{FeedKey, FeedOrder, StatusFilter, SummaryRow};
use crate::db::schema::{article_authors, article_tags, articles};
use crate::db::{DbConnection, MultiBackend};
use crate::domain::{FeedFilter, Status, visible};

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
