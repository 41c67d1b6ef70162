//! The `users` table as sign-in and every signed-in request read it. The password hash is
//! never part of a row type: it is read only by [`super::queries::credentials`], as a secret.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::users;
use crate::domain::Role;

/// A newsroom account.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    #[diesel(deserialize_as = String)]
    pub role: Role,
    pub author_id: Option<i64>,
    pub token_version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}
