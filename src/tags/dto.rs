//! The Tag resource.

use serde::Serialize;
use utoipa::ToSchema;

use super::model::TagRow;
use crate::http::schema::Slug;
use crate::settings::Site;
use crate::taxonomy::Represent;

/// A topic label on articles.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TagDto {
    pub id: i64,
    #[schema(example = "energy")]
    pub slug: String,
    #[schema(example = "Energy")]
    pub name: String,
    /// Published articles with this tag (single-tag responses only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article_count: Option<i64>,
}

impl Represent<TagRow> for TagDto {
    fn represent(row: TagRow, _: Option<&str>, _: &Site, article_count: Option<i64>) -> Self {
        TagDto {
            id: row.id,
            slug: row.slug,
            name: row.name,
            article_count,
        }
    }
}

/// A new tag.
#[derive(Debug, Clone, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTagRequest {
    /// 1 to 100 characters, not only spaces.
    #[serde(default)]
    #[schema(required = true, value_type = String, min_length = 1, max_length = 100, pattern = "\\S", example = "Renewables")]
    pub name: Option<String>,
    /// Generated from the name (transliterated) when left out.
    #[serde(default)]
    #[schema(value_type = Option<Slug>)]
    pub slug: Option<String>,
}

/// Changes to a tag: absent fields stay.
#[derive(Debug, Clone, Default, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTagRequest {
    /// 1 to 100 characters, not only spaces.
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = String, min_length = 1, max_length = 100, pattern = "\\S")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Slug)]
    pub slug: Option<String>,
}
