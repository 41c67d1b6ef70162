//! Rows of `preview_links`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::preview_links;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = preview_links)]
pub struct PreviewRow {
    pub id: i64,
    pub article_id: i64,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = preview_links)]
pub struct NewPreview {
    pub article_id: i64,
    pub token_hash: String,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}
