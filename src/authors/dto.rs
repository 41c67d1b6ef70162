//! The Author resource.

use serde::Serialize;
use utoipa::ToSchema;

use super::model::AuthorRow;
use crate::http::schema::{HttpUrl, Slug};
use crate::settings::Site;
use crate::taxonomy::Represent;

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

impl Represent<AuthorRow> for AuthorDto {
    fn represent(row: AuthorRow, _: Option<&str>, _: &Site, article_count: Option<i64>) -> Self {
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
    /// 1 to 200 characters, not only spaces.
    #[serde(default)]
    #[schema(required = true, value_type = String, min_length = 1, max_length = 200, pattern = "\\S", example = "Leyla Hasanli")]
    pub name: Option<String>,
    /// Generated from the name (transliterated) when left out.
    #[serde(default)]
    #[schema(value_type = Option<Slug>)]
    pub slug: Option<String>,
    /// At most 5000 characters.
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub bio: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<HttpUrl>)]
    pub avatar_url: Option<String>,
}

/// Changes to an author (merge patch): absent fields stay, `null` clears `bio`/`avatar_url`.
#[derive(Debug, Clone, Default, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateAuthorRequest {
    /// 1 to 200 characters, not only spaces.
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = String, min_length = 1, max_length = 200, pattern = "\\S")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Slug)]
    pub slug: Option<String>,
    /// At most 5000 characters; `null` clears it.
    #[serde(default, with = "serde_with::rust::double_option")]
    #[schema(value_type = Option<String>, max_length = 5000)]
    pub bio: Option<Option<String>>,
    /// `null` clears it.
    #[serde(default, with = "serde_with::rust::double_option")]
    #[schema(value_type = Option<HttpUrl>)]
    pub avatar_url: Option<Option<String>>,
}
