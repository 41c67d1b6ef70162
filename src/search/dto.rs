//! Search request parameters and responses.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::articles::dto::ArticleSummary;
use crate::http::schema::{Cursor, DateOrTime, Lang, SlugFilter};

/// A search: the query, the feed filters, order and paging.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// What to look for. Words must all match (`baku port`); `"exact phrase"`; `-word` or
    /// `-"phrase"` excludes; `a OR b` matches either; `kos*` matches words starting with `kos`
    /// (at least 2 letters). Case and accents do not matter (`КОСОВО` finds `Косово`, `Baki`
    /// finds `Bakı`). Anything else is plain text: quotes, `*`, `:`, brackets, `AND`, `NOT`,
    /// `NEAR` and punctuation are never syntax errors. At most 1000 bytes and 32 terms.
    #[param(
        required = true,
        value_type = String,
        min_length = 1,
        max_length = 1000,
        pattern = "\\S",
        example = "\"oil prices\" baku -gas"
    )]
    pub q: Option<String>,
    /// Section slugs: `a,b` = any of them, `-c` = not c.
    #[param(value_type = Option<SlugFilter>)]
    pub section: Option<String>,
    /// Tag slugs: `a,b` = any of them, `-c` = not c.
    #[param(value_type = Option<SlugFilter>)]
    pub tag: Option<String>,
    /// Author slugs: `a,b` = any of them, `-c` = not c.
    #[param(value_type = Option<SlugFilter>)]
    pub author: Option<String>,
    /// Only articles in this language.
    #[param(value_type = Option<Lang>, example = "en")]
    pub lang: Option<String>,
    /// Published at or after (`YYYY-MM-DD` or RFC 3339). A range that ends before it starts
    /// matches nothing.
    #[param(value_type = Option<DateOrTime>)]
    pub from: Option<String>,
    /// Published at or before (`YYYY-MM-DD` = the whole day, or RFC 3339).
    #[param(value_type = Option<DateOrTime>)]
    pub to: Option<String>,
    /// `relevance` (default) or `newest`.
    #[param(inline, value_type = Option<SearchOrder>, example = "relevance")]
    pub order: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub limit: Option<String>,
    /// `meta.next_cursor` of the previous page (of the same `order`).
    #[param(value_type = Option<Cursor>)]
    pub cursor: Option<String>,
}

/// Search results order.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SearchOrder {
    Relevance,
    Newest,
}

/// One search result: the article summary, its relevance and the passage that matched.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchHit {
    #[serde(flatten)]
    pub article: ArticleSummary,
    /// Relevance, higher is better (comparable within one search only).
    pub score: f64,
    /// The best-matching passage, HTML: matching words in `<mark>`, everything else escaped.
    #[schema(example = "… the port of <mark>Baku</mark> handled more <mark>oil</mark> …")]
    pub snippet: String,
}

/// Hits in one section.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SectionFacet {
    pub id: i64,
    pub slug: String,
    /// In `?lang=`, else the site's default language.
    pub name: String,
    pub count: i64,
}

/// Hits in one language.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LanguageFacet {
    pub lang: String,
    pub count: i64,
}

/// Hit counts for the same query. Each facet applies every filter but its own, so it shows
/// what choosing another value would give; the chosen value's count equals `total`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Facets {
    pub sections: Vec<SectionFacet>,
    pub languages: Vec<LanguageFacet>,
}

/// Paging, total and facets of a search.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchMeta {
    pub limit: u32,
    /// Pass as `cursor` for the next page; `null` on the last.
    pub next_cursor: Option<String>,
    /// Number of hits.
    pub total: i64,
    pub facets: Facets,
}

/// A page of search results.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchPage {
    pub data: Vec<SearchHit>,
    pub meta: SearchMeta,
}

/// What a reader has typed so far.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestQuery {
    /// The text typed so far; every word is completed as a prefix of a title word.
    #[param(
        required = true,
        value_type = String,
        min_length = 1,
        max_length = 200,
        pattern = "\\S",
        example = "kos"
    )]
    pub q: Option<String>,
    /// Only titles in this language.
    #[param(value_type = Option<Lang>, example = "en")]
    pub lang: Option<String>,
    /// How many, 1 to 20 (default 8).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 20)]
    pub limit: Option<String>,
}

/// A title completion.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Suggestion {
    pub id: i64,
    pub slug: String,
    pub lang: String,
    pub title: String,
}

/// Title completions, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Suggestions {
    pub data: Vec<Suggestion>,
}
