//! Change feed representations.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::http::schema::Cursor;

/// What happened.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Created or changed: fetch the current version.
    Upsert,
    /// No longer public (deleted, unpublished, archived): drop it.
    Delete,
}

/// One change to public content.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"kind": "upsert", "type": "article", "id": 4211, "at": "2026-02-19T08:33:00Z"}))]
pub struct Change {
    pub kind: ChangeKind,
    /// `article`, `section`, `author`, `tag` or `site`.
    #[serde(rename = "type")]
    #[schema(example = "article")]
    pub type_: String,
    pub id: i64,
    /// When the change became public.
    pub at: DateTime<Utc>,
}

/// Where a client is in the feed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChangesMeta {
    pub limit: u32,
    /// Resume from here next time (always present; unchanged when nothing is new).
    pub next_cursor: String,
    /// `true` when more changes are waiting right now: ask again at once.
    pub has_more: bool,
}

/// A page of the change feed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChangesPage {
    pub data: Vec<Change>,
    pub meta: ChangesMeta,
}

/// Where to resume.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangesQuery {
    /// `meta.next_cursor` of the previous call; omit to start from the beginning.
    #[param(value_type = Option<Cursor>)]
    pub since: Option<String>,
    /// Page size, 1 to 1000 (default 100).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000, example = 100)]
    pub limit: Option<String>,
}
