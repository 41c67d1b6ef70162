//! Article representations and the feed's query parameters.

use chrono::{DateTime, NaiveDateTime, Utc};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::model::{SummaryRow, TranslationRow};
use crate::domain::Status;
use crate::http::pagination::Page;
use crate::http::schema::{Cursor, DateOrTime, HttpUrl, Lang, ResourceRef, Slug, SlugFilter};

/// Life-cycle state. `scheduled` is a published article whose publish time is still ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ArticleStatus {
    Draft,
    Scheduled,
    Published,
    Archived,
}

impl ArticleStatus {
    /// The status shown for a stored status at time `now`.
    pub fn at(stored: Status, published_at: Option<NaiveDateTime>, now: NaiveDateTime) -> Self {
        match stored {
            Status::Draft => ArticleStatus::Draft,
            Status::Archived => ArticleStatus::Archived,
            _ if published_at.is_some_and(|t| t > now) => ArticleStatus::Scheduled,
            _ => ArticleStatus::Published,
        }
    }
}

/// Cover image.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Cover {
    #[schema(example = "https://cdn.example.com/2026/02/port.jpg")]
    pub url: String,
    /// Caption shown under the image.
    pub caption: Option<String>,
    /// Photographer or agency.
    pub credit: Option<String>,
}

/// The section an article belongs to, named in the response language.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SectionRef {
    pub id: i64,
    #[schema(example = "world")]
    pub slug: String,
    #[schema(example = "World")]
    pub name: String,
}

/// A byline entry.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuthorRef {
    pub id: i64,
    #[schema(example = "leyla-mammadova")]
    pub slug: String,
    #[schema(example = "Leyla Mammadova")]
    pub name: String,
    pub avatar_url: Option<String>,
}

/// A tag on an article.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TagRef {
    pub id: i64,
    #[schema(example = "energy")]
    pub slug: String,
    #[schema(example = "Energy")]
    pub name: String,
}

/// An article as listed in feeds: everything but the body.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArticleSummary {
    pub id: i64,
    /// Unique within the article's language.
    #[schema(example = "port-of-baku-expands-cargo-terminal")]
    pub slug: String,
    #[schema(example = "en")]
    pub lang: String,
    #[schema(example = "Port of Baku expands its cargo terminal")]
    pub title: String,
    /// Summary shown under the title.
    pub lead: String,
    pub cover: Option<Cover>,
    pub section: SectionRef,
    /// The byline, in order.
    pub authors: Vec<AuthorRef>,
    pub tags: Vec<TagRef>,
    pub status: ArticleStatus,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub featured: bool,
    pub word_count: i32,
    /// At 200 words a minute, at least 1.
    pub reading_time_minutes: i32,
    /// Public view count.
    pub views: i64,
    /// The article's address on the site; what "copy link" copies.
    #[schema(example = "https://news.example.com/en/articles/port-of-baku-expands-cargo-terminal")]
    pub canonical_url: String,
}

/// Ready-made share links for the article's canonical URL.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShareLinks {
    pub twitter: String,
    pub facebook: String,
    pub telegram: String,
    pub whatsapp: String,
    pub email: String,
}

/// The same story in another language.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Translation {
    #[schema(example = "ru")]
    pub lang: String,
    pub id: i64,
    pub slug: String,
    pub title: String,
}

impl From<TranslationRow> for Translation {
    fn from(row: TranslationRow) -> Self {
        Translation {
            lang: row.lang,
            id: row.id,
            slug: row.slug,
            title: row.title,
        }
    }
}

/// A full article.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Article {
    #[serde(flatten)]
    pub summary: ArticleSummary,
    /// The body rendered from Markdown and sanitized: safe to insert into a page.
    pub body_html: String,
    /// The body as plain text (for previews, text-to-speech, search snippets).
    pub body_text: String,
    /// Where the story comes from, e.g. an agency or "foreign media reports".
    pub source: Option<String>,
    pub share: ShareLinks,
    /// Visible versions of this story in other languages.
    pub translations: Vec<Translation>,
}

/// Answer to `newer_than`: how many stories appeared above the given cursor.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NewerCount {
    #[schema(example = 3)]
    pub count: i64,
}

/// A page of a feed, or with `newer_than` the number of newer stories.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
pub enum FeedAnswer {
    Page(Page<ArticleSummary>),
    Newer(NewerCount),
}

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

/// Reading time at 200 words a minute, at least one minute for any text.
pub fn reading_time_minutes(word_count: i32) -> i32 {
    if word_count <= 0 {
        0
    } else {
        ((word_count + 199) / 200).max(1)
    }
}

/// The canonical address of an article on the site.
pub fn canonical_url(base_url: &str, row: &SummaryRow) -> String {
    format!("{base_url}/{}/articles/{}", row.lang, row.slug)
}

impl ShareLinks {
    pub fn new(url: &str, title: &str) -> Self {
        let link = |base: &str, params: &[(&str, &str)]| {
            url::Url::parse_with_params(base, params)
                .map(String::from)
                .unwrap_or_default()
        };
        let text = format!("{title} {url}");
        ShareLinks {
            twitter: link(
                "https://twitter.com/intent/tweet",
                &[("url", url), ("text", title)],
            ),
            facebook: link("https://www.facebook.com/sharer/sharer.php", &[("u", url)]),
            telegram: link("https://t.me/share/url", &[("url", url), ("text", title)]),
            whatsapp: link("https://wa.me/", &[("text", &text)]),
            // mailto wants %20 for spaces (RFC 6068), not the `+` of form encoding.
            email: format!(
                "mailto:?subject={}&body={}",
                utf8_percent_encode(title, NON_ALPHANUMERIC),
                utf8_percent_encode(url, NON_ALPHANUMERIC)
            ),
        }
    }
}

/// A section, author or tag named in a request body: its id or its slug.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RefInput {
    Id(i64),
    Slug(String),
}

impl utoipa::PartialSchema for RefInput {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
        OneOfBuilder::new()
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                        utoipa::openapi::KnownFormat::Int64,
                    )))
                    .minimum(Some(1)),
            )
            .item(utoipa::openapi::Ref::from_schema_name(
                <ResourceRef as utoipa::ToSchema>::name(),
            ))
            .description(Some("An id, or a slug"))
            .into()
    }
}

impl utoipa::ToSchema for RefInput {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        schemas.push((
            <ResourceRef as utoipa::ToSchema>::name().into_owned(),
            <ResourceRef as utoipa::PartialSchema>::schema(),
        ));
    }
}

/// A cover image in a request body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CoverInput {
    /// `http(s)` URL of the image.
    #[serde(default)]
    #[schema(required = true, value_type = HttpUrl)]
    pub url: Option<String>,
    /// Caption shown under the image, at most 1000 characters.
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub caption: Option<String>,
    /// Photographer or agency, at most 1000 characters.
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub credit: Option<String>,
}

/// A new article. It starts as a draft; publishing is a separate call.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "Port of Baku expands its cargo terminal",
    "lang": "en",
    "lead": "The new berths will lift capacity by a fifth.",
    "body": "The port has opened **the first phase** of an expanded terminal...",
    "section": "economy",
    "authors": ["leyla-hasanli"],
    "tags": ["shipping", "trade"],
    "cover": {"url": "https://cdn.example.com/port.jpg", "caption": "The new quay", "credit": "Photo desk"},
    "source": "Caspian Courier"
}))]
pub struct NewArticleRequest {
    /// 1 to 300 characters, not only spaces.
    #[serde(default)]
    #[schema(required = true, value_type = String, min_length = 1, max_length = 300, pattern = "\\S")]
    pub title: Option<String>,
    /// One of the site's languages.
    #[serde(default)]
    #[schema(required = true, value_type = Lang)]
    pub lang: Option<String>,
    /// Generated from the title (transliterated) when left out. A chosen slug already used in
    /// this language is a 409 `slug_taken`.
    #[serde(default)]
    #[schema(value_type = Option<Slug>)]
    pub slug: Option<String>,
    /// Summary shown under the title, at most 2000 characters.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub lead: Option<String>,
    /// Markdown. Stored with its sanitized HTML and plain-text renderings.
    #[serde(default)]
    pub body: Option<String>,
    /// Section id or slug.
    #[serde(default)]
    #[schema(required = true, value_type = RefInput)]
    pub section: Option<RefInput>,
    /// Byline, in order: author ids or slugs. Defaults to the writer's own author profile.
    #[serde(default)]
    pub authors: Option<Vec<RefInput>>,
    /// Tag ids or slugs.
    #[serde(default)]
    pub tags: Option<Vec<RefInput>>,
    #[serde(default)]
    pub cover: Option<CoverInput>,
    /// Where the story comes from, at most 300 characters.
    #[serde(default)]
    #[schema(max_length = 300)]
    pub source: Option<String>,
    #[serde(default)]
    pub featured: Option<bool>,
    /// Id of the same story in another language: links the two as translations.
    #[serde(default)]
    #[schema(minimum = 1)]
    pub translation_of: Option<i64>,
}

/// Changes to an article (JSON merge patch): an absent field stays as it is, `null` clears it
/// (`slug: null` regenerates it from the title).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateArticleRequest {
    /// 1 to 300 characters, not only spaces.
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = String, min_length = 1, max_length = 300, pattern = "\\S")]
    pub title: Option<String>,
    /// One of the site's languages.
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Lang)]
    pub lang: Option<String>,
    /// `null` generates a new one from the title.
    #[serde(default, with = "serde_with::rust::double_option")]
    #[schema(value_type = Option<Slug>)]
    pub slug: Option<Option<String>>,
    /// At most 2000 characters; `null` clears it.
    #[serde(default, with = "serde_with::rust::double_option")]
    #[schema(value_type = Option<String>, max_length = 2000)]
    pub lead: Option<Option<String>>,
    #[serde(default, with = "serde_with::rust::double_option")]
    #[schema(value_type = Option<String>)]
    pub body: Option<Option<String>>,
    /// Section id or slug.
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = RefInput)]
    pub section: Option<RefInput>,
    #[serde(default, with = "serde_with::rust::double_option")]
    #[schema(value_type = Option<Vec<RefInput>>)]
    pub authors: Option<Option<Vec<RefInput>>>,
    #[serde(default, with = "serde_with::rust::double_option")]
    #[schema(value_type = Option<Vec<RefInput>>)]
    pub tags: Option<Option<Vec<RefInput>>>,
    #[serde(default, with = "serde_with::rust::double_option")]
    #[schema(value_type = Option<CoverInput>)]
    pub cover: Option<Option<CoverInput>>,
    /// At most 300 characters; `null` clears it.
    #[serde(default, with = "serde_with::rust::double_option")]
    #[schema(value_type = Option<String>, max_length = 300)]
    pub source: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = bool)]
    pub featured: Option<bool>,
    /// Links the story to another language's version; `null` unlinks it.
    #[serde(default, with = "serde_with::rust::double_option")]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub translation_of: Option<Option<i64>>,
}

/// When to publish.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishRequest {
    /// RFC 3339 time: in the future it schedules the article (public at that time, no job
    /// needed); left out, the article is published now.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = DateTime, example = "2026-03-02T06:00:00Z")]
    pub at: Option<serde_json::Value>,
}

/// An article as editors see it: the public representation plus the Markdown source and
/// bookkeeping.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EditorialArticle {
    #[serde(flatten)]
    pub article: Article,
    /// The Markdown source of the body.
    pub body_md: String,
    pub created_at: DateTime<Utc>,
    /// User who created it.
    pub created_by: Option<i64>,
    /// Number of the latest revision.
    pub revision: i32,
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

/// A revision in the list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RevisionSummary {
    /// 1 is the article as created; each save adds one.
    pub number: i32,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<i64>,
    pub title: String,
}

/// An article's revisions, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RevisionList {
    pub data: Vec<RevisionSummary>,
}

/// The editable state of an article at one save.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Snapshot {
    pub title: String,
    pub slug: String,
    pub lang: String,
    pub lead: String,
    pub body_md: String,
    pub section_id: i64,
    pub author_ids: Vec<i64>,
    pub tag_ids: Vec<i64>,
    pub cover_url: Option<String>,
    pub cover_caption: Option<String>,
    pub cover_credit: Option<String>,
    pub source: Option<String>,
    pub featured: bool,
    pub status: String,
    pub published_at: Option<DateTime<Utc>>,
    pub translation_group: Option<i64>,
}

/// One revision, in full.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Revision {
    pub number: i32,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<i64>,
    pub state: Snapshot,
}
