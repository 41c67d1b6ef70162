//! Rows of `media` and `article_gallery`.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::schema::media;
use crate::sections::model::Localized;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = media)]
pub struct MediaRow {
    pub id: i64,
    pub mime: String,
    pub width: i32,
    pub height: i32,
    pub bytes: i64,
    pub original_key: String,
    /// JSON: a list of [`StoredRendition`].
    pub renditions: String,
    /// JSON: language code → alt text.
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub focal_x: f64,
    pub focal_y: f64,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl MediaRow {
    pub fn renditions(&self) -> Vec<StoredRendition> {
        serde_json::from_str(&self.renditions).unwrap_or_default()
    }

    pub fn alt(&self) -> Localized {
        Localized::parse(&self.alt)
    }

    /// Every file of this media: the original and its renditions.
    pub fn keys(&self) -> Vec<String> {
        let mut keys = vec![self.original_key.clone()];
        keys.extend(self.renditions().into_iter().map(|r| r.key));
        keys
    }
}

/// One rendition, as kept in `media.renditions`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredRendition {
    pub key: String,
    pub width: u32,
    pub height: u32,
    pub mime: String,
    pub bytes: u64,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = media)]
pub struct NewMedia {
    pub mime: String,
    pub width: i32,
    pub height: i32,
    pub bytes: i64,
    pub original_key: String,
    pub renditions: String,
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub focal_x: f64,
    pub focal_y: f64,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What an edit changes; `None` leaves a column as it is.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = media)]
pub struct MediaChanges {
    pub alt: Option<String>,
    pub caption: Option<Option<String>>,
    pub credit: Option<Option<String>>,
    pub focal_x: Option<f64>,
    pub focal_y: Option<f64>,
    pub updated_at: Option<NaiveDateTime>,
}
