//! Rows of `articles` and its link tables, and the feed filter queries work from.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::articles::dto::{AuthorRef, TagRef};
use crate::db::schema::{article_bodies, articles};
use crate::domain::Status;

/// The columns of a list item (no body).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = articles)]
pub struct SummaryRow {
    pub id: i64,
    pub slug: String,
    pub lang: String,
    pub title: String,
    pub lead: String,
    pub cover_url: Option<String>,
    pub cover_caption: Option<String>,
    pub cover_credit: Option<String>,
    pub cover_media_id: Option<i64>,
    pub section_id: i64,
    #[diesel(deserialize_as = String)]
    pub status: Status,
    pub published_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
    pub featured: bool,
    pub word_count: i32,
    pub views: i64,
}

/// The columns a full article adds to its summary (from `articles` joined with
/// `article_bodies`; select them with `BodyRow::as_select()`).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = articles)]
pub struct BodyRow {
    #[diesel(select_expression = article_bodies::body_md)]
    pub body_md: String,
    #[diesel(select_expression = article_bodies::body_html)]
    pub body_html: String,
    #[diesel(select_expression = article_bodies::body_text)]
    pub body_text: String,
    pub source: Option<String>,
    pub translation_group: Option<i64>,
    pub created_at: NaiveDateTime,
    pub created_by: Option<i64>,
}

/// Another language's version of a story.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = articles)]
pub struct TranslationRow {
    pub lang: String,
    pub id: i64,
    pub slug: String,
    pub title: String,
}

/// The bylines (in byline order) and tags (by name) of some articles, by article id, as the
/// API shows them.
#[derive(Debug, Clone, Default)]
pub struct Links {
    pub bylines: HashMap<i64, Vec<AuthorRef>>,
    pub tags: HashMap<i64, Vec<TagRef>>,
}

impl Links {
    /// The bylines of one article (none when it has none), taken out.
    pub fn take_bylines(&mut self, article: i64) -> Vec<AuthorRef> {
        self.bylines.remove(&article).unwrap_or_default()
    }

    /// The tags of one article, taken out.
    pub fn take_tags(&mut self, article: i64) -> Vec<TagRef> {
        self.tags.remove(&article).unwrap_or_default()
    }
}

/// Everything needed to store a new article; the HTML and plain text are rendered from the
/// Markdown body before this is built. The bodies go to `article_bodies`.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = articles)]
pub struct NewArticle {
    pub slug: String,
    pub lang: String,
    pub translation_group: Option<i64>,
    pub title: String,
    pub lead: String,
    #[diesel(skip_insertion)]
    pub body_md: String,
    #[diesel(skip_insertion)]
    pub body_html: String,
    #[diesel(skip_insertion)]
    pub body_text: String,
    pub cover_url: Option<String>,
    pub cover_caption: Option<String>,
    pub cover_credit: Option<String>,
    pub cover_media_id: Option<i64>,
    pub source: Option<String>,
    pub section_id: i64,
    /// Written by `queries::insert` as its text.
    #[diesel(skip_insertion)]
    pub status: Status,
    pub published_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub featured: bool,
    pub word_count: i32,
    pub views: i64,
    pub created_by: Option<i64>,
}

/// Feed orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedOrder {
    Newest,
    Oldest,
    Popular,
}

impl FeedOrder {
    pub fn name(self) -> &'static str {
        match self {
            FeedOrder::Newest => "newest",
            FeedOrder::Oldest => "oldest",
            FeedOrder::Popular => "popular",
        }
    }
}

/// Where a page of a feed starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedKey {
    Time(NaiveDateTime, i64),
    Views(i64, i64),
}

/// Column changes of an article update; `None` leaves a column as it is.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = articles)]
pub struct ArticleChanges {
    pub title: Option<String>,
    pub slug: Option<String>,
    pub lang: Option<String>,
    pub lead: Option<String>,
    /// Body changes are written to `article_bodies` by `queries::update`.
    #[diesel(skip_update)]
    pub body_md: Option<String>,
    #[diesel(skip_update)]
    pub body_html: Option<String>,
    #[diesel(skip_update)]
    pub body_text: Option<String>,
    pub word_count: Option<i32>,
    pub section_id: Option<i64>,
    pub cover_url: Option<Option<String>>,
    pub cover_caption: Option<Option<String>>,
    pub cover_credit: Option<Option<String>>,
    pub cover_media_id: Option<Option<i64>>,
    pub source: Option<Option<String>>,
    pub featured: Option<bool>,
    pub status: Option<String>,
    pub published_at: Option<Option<NaiveDateTime>>,
    pub translation_group: Option<Option<i64>>,
    pub updated_at: Option<NaiveDateTime>,
}

/// Which articles the editorial listing shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Draft,
    Scheduled,
    Published,
    Archived,
}
