//! An article's stored status, and when an article is public.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::articles;

/// How an article is stored (as text on both backends). A scheduled article is stored
/// `Published` with a publish time still ahead, and shown as scheduled until that time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    Published,
    Archived,
    /// Removed by an editor: a tombstone that keeps its id for the change feed.
    Deleted,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Published => "published",
            Status::Archived => "archived",
            Status::Deleted => "deleted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(Status::Draft),
            "published" => Some(Status::Published),
            "archived" => Some(Status::Archived),
            "deleted" => Some(Status::Deleted),
            _ => None,
        }
    }
}

impl From<Status> for String {
    fn from(s: Status) -> Self {
        s.as_str().to_string()
    }
}

impl TryFrom<String> for Status {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        Status::parse(&s).ok_or_else(|| format!("unknown article status `{s}` stored"))
    }
}

pub type Visible = diesel::dsl::And<
    diesel::dsl::Eq<articles::status, &'static str>,
    diesel::dsl::LtEq<articles::published_at, NaiveDateTime>,
>;

/// The one rule of public visibility: published, and the publish time has come.
pub fn visible(now: NaiveDateTime) -> Visible {
    articles::status
        .eq(Status::Published.as_str())
        .and(articles::published_at.le(now))
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
    pub fn of(status: Status, published_at: Option<NaiveDateTime>, now: NaiveDateTime) -> Self {
        match (status, published_at) {
            (Status::Published, Some(t)) if t <= now => Exposure::Public,
            (Status::Published, Some(t)) => Exposure::Scheduled(t),
            _ => Exposure::Hidden,
        }
    }
}
