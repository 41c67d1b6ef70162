//! User request and response bodies.

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use serde_with::rust::double_option;
use utoipa::ToSchema;

use crate::auth::model::UserRow;
use crate::clock::utc;
use crate::domain::Role;

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
            role: row.role,
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
    /// The sign-in email, unique (compared in lower case).
    #[serde(default)]
    #[schema(required = true, value_type = String, max_length = 254, pattern = "^[^\\s@]+@[^\\s@.][^\\s@]*\\.[^\\s@]*[^\\s@.]$", example = "writer@news.example.com")]
    pub email: Option<String>,
    /// 1 to 200 characters, not only spaces.
    #[serde(default)]
    #[schema(required = true, value_type = String, min_length = 1, max_length = 200, pattern = "\\S", example = "Nigar Rzayeva")]
    pub name: Option<String>,
    #[serde(default)]
    #[schema(required = true, value_type = Role)]
    pub role: Option<String>,
    /// 10 to 256 characters.
    #[serde(default)]
    #[schema(required = true, value_type = String, format = Password, min_length = 10, max_length = 256)]
    pub password: Option<SecretString>,
    /// Author profile the user writes as.
    #[serde(default)]
    #[schema(minimum = 1)]
    pub author_id: Option<i64>,
}

/// Changes to an account: absent fields stay as they are; `author_id: null` unlinks the
/// author profile. Changing the role or password signs the user out everywhere.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = String, max_length = 254, pattern = "^[^\\s@]+@[^\\s@.][^\\s@]*\\.[^\\s@]*[^\\s@.]$")]
    pub email: Option<String>,
    /// 1 to 200 characters, not only spaces.
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = String, min_length = 1, max_length = 200, pattern = "\\S")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Role)]
    pub role: Option<String>,
    /// 10 to 256 characters.
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = String, format = Password, min_length = 10, max_length = 256)]
    pub password: Option<SecretString>,
    /// `null` unlinks the author profile.
    #[serde(default, with = "double_option")]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub author_id: Option<Option<i64>>,
}
