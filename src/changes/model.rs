//! Rows of the `changes` table.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::changes;

pub use crate::domain::change::{ARTICLE, AUTHOR, DELETE, SECTION, SITE, TAG, UPSERT};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = changes)]
pub struct ChangeRow {
    pub seq: i64,
    pub kind: String,
    pub entity: String,
    pub entity_id: i64,
    pub at: NaiveDateTime,
}
