//! SQL of users.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::NewUser;
use crate::auth::model::UserRow;
use crate::db::DbConnection;
use crate::db::schema::users;

/// One page of users by id.
pub fn list(conn: &mut DbConnection, after: Option<i64>, limit: i64) -> QueryResult<Vec<UserRow>> {
    let mut q = users::table.select(UserRow::as_select()).into_boxed();
    if let Some(after) = after {
        q = q.filter(users::id.gt(after));
    }
    q.order(users::id.asc()).limit(limit).load(conn)
}

pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

pub fn count_admins(conn: &mut DbConnection) -> QueryResult<i64> {
    users::table
        .filter(users::role.eq("admin"))
        .count()
        .get_result(conn)
}

pub fn insert(conn: &mut DbConnection, new: &NewUser<'_>) -> QueryResult<i64> {
    diesel::insert_into(users::table)
        .values(new)
        .returning(users::id)
        .get_result(conn)
}

/// What an update may change; `None` leaves a column as it is.
#[derive(Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges<'a> {
    pub name: Option<&'a str>,
    pub email: Option<&'a str>,
    pub role: Option<&'a str>,
    pub password_hash: Option<&'a str>,
    pub author_id: Option<Option<i64>>,
    pub updated_at: Option<NaiveDateTime>,
}

/// Applies `changes`; when `revoke` is set (role or password changed) the token version moves,
/// so every token issued before stops working.
pub fn update(
    conn: &mut DbConnection,
    id: i64,
    changes: &UserChanges<'_>,
    revoke: bool,
) -> QueryResult<()> {
    diesel::update(users::table.filter(users::id.eq(id)))
        .set(changes)
        .execute(conn)?;
    if revoke {
        diesel::update(users::table.filter(users::id.eq(id)))
            .set(users::token_version.eq(users::token_version + 1))
            .execute(conn)?;
    }
    Ok(())
}

pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(users::table.filter(users::id.eq(id))).execute(conn)
}
