//! Preview link representations.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::PreviewRow;
use crate::clock::utc;

/// Longest life of a preview link, in hours (30 days).
pub const MAX_HOURS: i64 = 30 * 24;
/// A link's life when none is asked for.
pub const DEFAULT_HOURS: i64 = 24;

/// What a new link should be.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPreviewRequest {
    /// How long the link works, in hours (1 to 720; default 24).
    #[schema(minimum = 1, maximum = 720, example = 24)]
    pub expires_in_hours: Option<i64>,
}

/// A preview link as its creator gets it: the only time the token is shown.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NewPreviewLink {
    pub id: i64,
    pub article_id: i64,
    /// The secret part of the link; keep it out of logs and public pages.
    #[schema(example = "q2VgJ6m4Vx3oQy0oJk1uY1s8vTg9zHcXj7N4wq1Rr0E")]
    pub token: String,
    /// `GET` it without a token: the article as it is now.
    #[schema(
        example = "https://news.example.com/api/v1/preview/q2VgJ6m4Vx3oQy0oJk1uY1s8vTg9zHcXj7N4wq1Rr0E"
    )]
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

/// A working preview link (its token is never shown again).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PreviewLink {
    pub id: i64,
    pub article_id: i64,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl From<PreviewRow> for PreviewLink {
    fn from(row: PreviewRow) -> Self {
        PreviewLink {
            id: row.id,
            article_id: row.article_id,
            created_by: row.created_by,
            created_at: utc(row.created_at),
            expires_at: utc(row.expires_at),
        }
    }
}

/// An article's working preview links, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PreviewLinkList {
    pub data: Vec<PreviewLink>,
}
