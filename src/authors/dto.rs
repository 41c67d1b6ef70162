//! The Author resource.

use serde::Serialize;
use utoipa::ToSchema;

use super::model::AuthorRow;

/// A journalist or contributor.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuthorDto {
    pub id: i64,
    #[schema(example = "leyla-mammadova")]
    pub slug: String,
    #[schema(example = "Leyla Mammadova")]
    pub name: String,
    /// Short biography.
    pub bio: String,
    pub avatar_url: Option<String>,
    /// Published articles with this author in the byline (single-author responses only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article_count: Option<i64>,
}

impl AuthorDto {
    pub fn new(row: AuthorRow, article_count: Option<i64>) -> Self {
        AuthorDto {
            id: row.id,
            slug: row.slug,
            name: row.name,
            bio: row.bio,
            avatar_url: row.avatar_url,
            article_count,
        }
    }
}

/// A new author profile.
#[derive(Debug, Clone, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAuthorRequest {
    #[schema(example = "Leyla Hasanli")]
    pub name: String,
    /// Generated from the name (transliterated) when left out.
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub bio: Option<String>,
    #[serde(default)]
    pub avatar_url: Option<String>,
}

/// Changes to an author (merge patch): absent fields stay, `null` clears `bio`/`avatar_url`.
#[derive(Debug, Clone, Default, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateAuthorRequest {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default, with = "serde_with::rust::double_option")]
    #[schema(value_type = Option<String>)]
    pub bio: Option<Option<String>>,
    #[serde(default, with = "serde_with::rust::double_option")]
    #[schema(value_type = Option<String>)]
    pub avatar_url: Option<Option<String>>,
}
