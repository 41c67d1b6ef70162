//! Rows of the `changes` table.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::changes;

pub const UPSERT: &str = "upsert";
pub const DELETE: &str = "delete";

pub const ARTICLE: &str = "article";
pub const SECTION: &str = "section";
pub const AUTHOR: &str = "author";
pub const TAG: &str = "tag";
pub const SITE: &str = "site";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = changes)]
pub struct ChangeRow {
    pub seq: i64,
    pub kind: String,
    pub entity: String,
    pub entity_id: i64,
    pub at: NaiveDateTime,
}

/// Whether an article is public, or will be at a known time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exposure {
    /// Not public and not scheduled.
    Hidden,
    /// Public now.
    Public,
    /// Published with a publish time still ahead.
    Scheduled(NaiveDateTime),
}

impl Exposure {
    pub fn of(status: &str, published_at: Option<NaiveDateTime>, now: NaiveDateTime) -> Self {
        match (status, published_at) {
            (crate::articles::model::STATUS_PUBLISHED, Some(t)) if t <= now => Exposure::Public,
            (crate::articles::model::STATUS_PUBLISHED, Some(t)) => Exposure::Scheduled(t),
            _ => Exposure::Hidden,
        }
    }
}
