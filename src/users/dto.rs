//! User request and response bodies.

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use serde_with::rust::double_option;
use utoipa::ToSchema;

use super::model::UserRow;
use crate::auth::Role;
use crate::clock::utc;

/// A newsroom account. Never carries the password hash.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserDto {
    pub id: i64,
    #[schema(example = "editor@news.example.com")]
    pub email: String,
    pub name: String,
    pub role: Role,
    /// The author profile this user writes as.
    pub author_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<UserRow> for UserDto {
    fn from(row: UserRow) -> Self {
        UserDto {
            role: Role::parse(&row.role).unwrap_or(Role::Writer),
            id: row.id,
            email: row.email,
            name: row.name,
            author_id: row.author_id,
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        }
    }
}

/// A new account.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserRequest {
    #[schema(example = "writer@news.example.com")]
    pub email: String,
    #[schema(example = "Nigar Rzayeva")]
    pub name: String,
    pub role: String,
    /// At least 10 characters.
    #[schema(value_type = String, format = Password)]
    pub password: SecretString,
    /// Author profile the user writes as.
    #[serde(default)]
    pub author_id: Option<i64>,
}

/// Changes to an account: absent fields stay as they are; `author_id: null` unlinks the
/// author profile. Changing the role or password signs the user out everywhere.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Password)]
    pub password: Option<SecretString>,
    #[serde(default, with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub author_id: Option<Option<i64>>,
}
