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
