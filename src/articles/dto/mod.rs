//! Article representations ([`query`]: the parameters of the feeds and pages; [`request`]: what
//! editors send).

pub mod query;
pub mod request;

pub use query::*;
pub use request::*;

use chrono::{DateTime, NaiveDateTime, Utc};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::{SummaryRow, TranslationRow};
use crate::domain::Status;
use crate::http::pagination::Page;
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

/// An image an article shows (its cover, or one of its gallery): an uploaded image with its
/// alt text, size and renditions, or an external image known only by its URL.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Cover {
    /// The full-size image.
    #[schema(example = "https://cdn.example.com/2026/02/port.jpg")]
    pub url: String,
    /// The uploaded image shown; `null` for an external image.
    pub media_id: Option<i64>,
    /// Alt text in the article's language; `null` for an external image.
    pub alt: Option<String>,
    /// Caption shown under the image.
    pub caption: Option<String>,
    /// Photographer or agency.
    pub credit: Option<String>,
    /// Of the full-size image; `null` for an external image.
    pub width: Option<i32>,
    pub height: Option<i32>,
    /// Smaller copies for `srcset` / `<picture>`, narrowest first (empty for an external
    /// image).
    pub srcset: Vec<SrcsetEntry>,
}

impl Cover {
    /// An external image, known only by its URL.
    pub fn external(url: String, caption: Option<String>, credit: Option<String>) -> Self {
        Cover {
            url,
            media_id: None,
            alt: None,
            caption,
            credit,
            width: None,
            height: None,
            srcset: Vec::new(),
        }
    }
}

/// One size of an image.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SrcsetEntry {
    pub url: String,
    /// In pixels: the `w` descriptor of `srcset`.
    #[schema(example = 640)]
    pub width: u32,
    /// `type` of a `<picture>` `<source>`.
    #[serde(rename = "type")]
    #[schema(example = "image/webp")]
    pub mime: String,
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
    /// The article's gallery, in order.
    pub gallery: Vec<Cover>,
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
    article_url(base_url, &row.lang, &row.slug)
}

/// The public page of the article `slug` in `lang`.
pub fn article_url(base_url: &str, lang: &str, slug: &str) -> String {
    format!("{base_url}/{lang}/articles/{slug}")
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
    /// The uploaded cover image, when the cover is one.
    #[serde(default)]
    pub cover_media_id: Option<i64>,
    /// The gallery's media, in order.
    #[serde(default)]
    pub gallery: Vec<i64>,
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
