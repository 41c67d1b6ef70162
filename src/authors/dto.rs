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
