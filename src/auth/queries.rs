//! SQL of sign-in: accounts by id or email, and refresh tokens.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use secrecy::SecretString;

use super::model::UserRow;
use crate::db::schema::{refresh_tokens, users};

pub fn find_user(conn: &mut DbConnection, id: i64) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::id.eq(id))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// The user with this email (case-insensitive) and their password hash.
pub fn credentials(
    conn: &mut DbConnection,
    email: &str,
) -> QueryResult<Option<(UserRow, SecretString)>> {
    let row: Option<(UserRow, String)> = users::table
        .filter(users::email.eq(email.trim().to_lowercase()))
        .select((UserRow::as_select(), users::password_hash))
        .first(conn)
        .optional()?;
    Ok(row.map(|(u, h)| (u, SecretString::from(h))))
}

/// A stored refresh token (its hash, never the token).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshRow {
    pub id: i64,
    pub user_id: i64,
    pub family: String,
    pub token_version: i64,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = refresh_tokens)]
pub struct NewRefresh<'a> {
    pub user_id: i64,
    pub family: &'a str,
    pub token_hash: &'a str,
    pub token_version: i64,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, new: &NewRefresh<'_>) -> QueryResult<()> {
    diesel::insert_into(refresh_tokens::table)
        .values(new)
        .execute(conn)
        .map(|_| ())
}

pub fn find_by_hash(conn: &mut DbConnection, hash: &str) -> QueryResult<Option<RefreshRow>> {
    refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(hash))
        .select(RefreshRow::as_select())
        .first(conn)
        .optional()
}

/// Spends a token; `false` if it was already spent (by a concurrent refresh, or a replay).
pub fn spend(conn: &mut DbConnection, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let updated = diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::id.eq(id))
            .filter(refresh_tokens::used_at.is_null()),
    )
    .set(refresh_tokens::used_at.eq(now))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Revokes every token of a sign-in family.
pub fn revoke_family(conn: &mut DbConnection, family: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family.eq(family))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(now))
    .execute(conn)
    .map(|_| ())
}

/// Deletes tokens that expired before `before` (housekeeping).
pub fn delete_expired(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(refresh_tokens::table.filter(refresh_tokens::expires_at.lt(before)))
        .execute(conn)
}
