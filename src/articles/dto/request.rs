//! What editors send: new articles, changes, publish times.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::http::schema::{HttpUrl, Lang, ResourceRef, Slug};

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

/// A cover image in a request body: an uploaded image (`media_id`) or an external one
/// (`url`), exactly one of the two.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CoverInput {
    /// `http(s)` URL of an external image.
    #[serde(default)]
    #[schema(value_type = Option<HttpUrl>)]
    pub url: Option<String>,
    /// An uploaded image (`POST /media`); its alt text, size and renditions are shown.
    #[serde(default)]
    #[schema(minimum = 1)]
    pub media_id: Option<i64>,
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
    /// Uploaded images shown as the article's gallery, in order (at most 100).
    #[serde(default)]
    #[schema(max_items = 100)]
    pub gallery: Option<Vec<i64>>,
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
    /// Uploaded images shown as the gallery, in order (at most 100); `null` empties it.
    #[serde(default, with = "serde_with::rust::double_option")]
    #[schema(value_type = Option<Vec<i64>>, max_items = 100)]
    pub gallery: Option<Option<Vec<i64>>>,
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
