//! Sign-in request and response bodies.

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::Role;
use crate::error::ApiError;
use crate::http::params::Errors;

/// Email and password.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    #[serde(default)]
    #[schema(required = true, value_type = String, example = "editor@news.example.com")]
    pub email: Option<String>,
    #[serde(default)]
    #[schema(required = true, value_type = String, format = Password, example = "correct horse battery staple")]
    pub password: Option<SecretString>,
}

impl TokenRequest {
    /// The email and password, or the 422 naming each one missing.
    pub fn into_parts(self, mut errors: Errors) -> Result<(String, SecretString), ApiError> {
        let email = errors.required("email", self.email);
        let password = errors.required("password", self.password);
        match (email, password) {
            (Some(email), Some(password)) if errors.is_empty() => Ok((email, password)),
            _ => Err(errors.into_validation()),
        }
    }
}

/// A refresh token to spend or revoke.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    #[serde(default)]
    #[schema(required = true, value_type = String)]
    pub refresh_token: Option<SecretString>,
}

impl RefreshRequest {
    /// The refresh token, or the 422 naming it missing.
    pub fn into_token(self, mut errors: Errors) -> Result<SecretString, ApiError> {
        match errors.required("refresh_token", self.refresh_token) {
            Some(token) if errors.is_empty() => Ok(token),
            _ => Err(errors.into_validation()),
        }
    }
}

/// A new token pair.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "access_token": "eyJhbGciOiJIUzI1NiJ9...",
    "token_type": "Bearer",
    "expires_in": 900,
    "refresh_token": "q3Zb...",
    "refresh_expires_in": 2592000
}))]
pub struct TokenResponse {
    /// JWT to send as `Authorization: Bearer <token>`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// Spend it at `/auth/refresh` for a new pair; it works once.
    pub refresh_token: String,
    /// Seconds until the refresh token expires.
    pub refresh_expires_in: u64,
}

/// The signed-in user.
#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// The author profile this user writes as, if any.
    pub author_id: Option<i64>,
}

impl std::fmt::Debug for TokenRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenRequest")
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}
