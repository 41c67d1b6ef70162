//! The query parameters of the article feeds and pages.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::http::schema::{Cursor, DateOrTime, Lang, SlugFilter};

/// Feed orders.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FeedOrderParam {
    Newest,
    Oldest,
    Popular,
}

/// Filters, order and paging of every article feed.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// Section slugs. `world,politics` = in any of them; `-sport` = not in it.
    #[param(value_type = Option<SlugFilter>, example = "world,-sport")]
    pub section: Option<String>,
    /// Tag slugs: `a,b` = tagged a or b; `-c` = not tagged c.
    #[param(value_type = Option<SlugFilter>, example = "energy")]
    pub tag: Option<String>,
    /// Author slugs: `a,b` = by a or b; `-c` = not by c.
    #[param(value_type = Option<SlugFilter>)]
    pub author: Option<String>,
    /// Only articles in this language; section names are given in it too.
    #[param(value_type = Option<Lang>, example = "en")]
    pub lang: Option<String>,
    /// Published at or after: `YYYY-MM-DD` (start of that day, UTC) or RFC 3339. A range
    /// that ends before it starts matches nothing.
    #[param(value_type = Option<DateOrTime>, example = "2026-02-01")]
    pub from: Option<String>,
    /// Published at or before: `YYYY-MM-DD` (the whole day, UTC) or RFC 3339.
    #[param(value_type = Option<DateOrTime>, example = "2026-02-19T23:59:59Z")]
    pub to: Option<String>,
    /// Only featured (`true`) or only other (`false`) articles.
    #[param(value_type = Option<bool>)]
    pub featured: Option<String>,
    /// `newest` (default), `oldest`, or `popular` (most viewed first).
    #[param(inline, value_type = Option<FeedOrderParam>)]
    pub order: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100, example = 20)]
    pub limit: Option<String>,
    /// `meta.next_cursor` of the previous page (of the same `order`).
    #[param(value_type = Option<Cursor>)]
    pub cursor: Option<String>,
    /// A cursor (usually `meta.head_cursor` of page 1): answers `{"count": n}`, the number of
    /// matching stories published above it, instead of a page.
    #[param(value_type = Option<Cursor>)]
    pub newer_than: Option<String>,
    /// `true` adds `meta.total`, the number of matching articles.
    #[param(value_type = Option<bool>)]
    pub with_total: Option<String>,
}

/// Paging of the related-articles list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RelatedQuery {
    /// How many, 1 to 20 (default 5).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 20, example = 5)]
    pub limit: Option<String>,
    /// Language of a slug given as `ref`, and of section names.
    #[param(value_type = Option<Lang>)]
    pub lang: Option<String>,
}

/// Language of an article looked up by slug.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ArticleQuery {
    /// The language of the slug, when two languages share it (default: the site's default
    /// language, then any other).
    #[param(value_type = Option<Lang>, example = "en")]
    pub lang: Option<String>,
}

/// Filters of the editorial listing (`GET /articles` with a token and `status`).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EditorialQuery {
    /// With a token: `draft`, `scheduled`, `published`, `archived`, comma-separated, or `any`.
    /// Writers see only their own articles.
    #[param(
        example = "draft,scheduled",
        pattern = "^(?:any|(?:draft|scheduled|published|archived)(?:,(?:draft|scheduled|published|archived))*)$"
    )]
    pub status: Option<String>,
}
