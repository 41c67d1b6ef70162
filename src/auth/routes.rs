//! `/auth/token`, `/auth/refresh`, `/auth/logout`, `/auth/me`.

use actix_web::{HttpRequest, get, post, web};
use chrono::Duration;
use secrecy::ExposeSecret;

use super::CurrentUser;
use super::dto::{Me, RefreshRequest, TokenRequest, TokenResponse};
use super::model::UserRow;
use super::queries::{self, NewRefresh};
use crate::credentials::password;
use crate::credentials::tokens::{hash_token, random_token};
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::http::client::client_ip;
use crate::http::docs::{JsonBody, RateLimited, SignedIn};
use crate::http::json::JsonForm;
use crate::http::respond::{NoContent, Private};
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(token)
        .service(refresh)
        .service(logout)
        .service(me);
}

fn bad_credentials() -> ApiError {
    ApiError::Unauthorized {
        code: "invalid_credentials",
        detail: "wrong email or password".into(),
    }
}

fn bad_refresh(detail: &str) -> ApiError {
    ApiError::Unauthorized {
        code: "invalid_refresh_token",
        detail: detail.to_string(),
    }
}

/// Starts (or continues) a refresh family and signs an access token: the new pair.
fn issue_pair(
    conn: &mut DbConnection,
    state: &AppState,
    user: &UserRow,
    family: &str,
) -> Result<TokenResponse, ApiError> {
    let role = user.role;
    let now = state.clock.now();
    let refresh_ttl = state.config.refresh_token_ttl;
    let refresh_token = random_token(32);
    queries::insert(
        conn,
        &NewRefresh {
            user_id: user.id,
            family,
            token_hash: &hash_token(&refresh_token),
            token_version: user.token_version,
            created_at: now.naive_utc(),
            expires_at: (now + Duration::seconds(refresh_ttl.as_secs() as i64)).naive_utc(),
        },
    )?;
    let access_token = state
        .jwt
        .issue(
            user.id,
            role,
            user.token_version,
            now,
            state.config.access_token_ttl,
        )
        .map_err(ApiError::internal)?;
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in: state.config.access_token_ttl.as_secs(),
        refresh_token,
        refresh_expires_in: refresh_ttl.as_secs(),
    })
}

/// Sign in with email and password.
///
/// Answers an access token (a JWT for `Authorization: Bearer`, valid 15 minutes by default)
/// and a refresh token. A wrong password and an unknown email get the same 401 after the same
/// work. Attempts are rate limited per client IP and per email (429 with `Retry-After`).
#[utoipa::path(
    tag = "auth",
    request_body = TokenRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        SignedIn, JsonBody, RateLimited,
    )
)]
#[post("/auth/token")]
pub async fn token(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: JsonForm<TokenRequest>,
) -> Result<Private<TokenResponse>, ApiError> {
    let (email, password) = body.value.into_parts(body.errors)?;
    let ip = client_ip(&req, &state.config.trusted_proxies);
    if let Err(wait) = state.signin.check(ip, &email) {
        return Err(ApiError::TooManyRequests {
            retry_after: wait.as_secs_f64().ceil() as u64,
        });
    }
    let worker = state.clone();
    let pair = state
        .db
        .run(move |conn| {
            let found = queries::credentials(conn, &email)?;
            let Some((user, hash)) = found else {
                password::verify_dummy(&password);
                return Err(bad_credentials());
            };
            if !password::verify(&password, &hash) {
                return Err(bad_credentials());
            }
            issue_pair(conn, &worker, &user, &random_token(16))
        })
        .await?;
    Ok(Private(pair))
}

/// Trade a refresh token for a new pair.
///
/// The refresh token is spent: presenting it again is treated as theft, and revokes every
/// token of that sign-in. Tokens issued before a role or password change are refused.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new pair", body = TokenResponse),
        SignedIn, JsonBody,
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    body: JsonForm<RefreshRequest>,
) -> Result<Private<TokenResponse>, ApiError> {
    let refresh_token = body.value.into_token(body.errors)?;
    let hash = hash_token(refresh_token.expose_secret());
    let worker = state.clone();
    let pair = state
        .db
        .run(move |conn| {
            let now = worker.clock.now_naive();
            // Reuse detection must stick even though the request fails, so the revocation is
            // committed on its own; the rotation is one transaction.
            let row = queries::find_by_hash(conn, &hash)?
                .ok_or_else(|| bad_refresh("unknown refresh token"))?;
            if row.revoked_at.is_some() {
                return Err(bad_refresh("the refresh token was revoked"));
            }
            if row.expires_at <= now {
                return Err(bad_refresh("the refresh token has expired"));
            }
            if row.used_at.is_some() {
                queries::revoke_family(conn, &row.family, now)?;
                tracing::warn!(
                    user_id = row.user_id,
                    "refresh token reused; sign-in revoked"
                );
                return Err(bad_refresh(
                    "the refresh token was already used; sign in again",
                ));
            }
            crate::db::transaction(conn, |conn| {
                let user = queries::find_user(conn, row.user_id)?
                    .ok_or_else(|| bad_refresh("the user no longer exists"))?;
                if user.token_version != row.token_version {
                    return Err(bad_refresh("the sign-in was revoked; sign in again"));
                }
                if !queries::spend(conn, row.id, now)? {
                    return Err(bad_refresh(
                        "the refresh token was already used; sign in again",
                    ));
                }
                issue_pair(conn, &worker, &user, &row.family)
            })
        })
        .await?;
    Ok(Private(pair))
}

/// Sign out: revokes the refresh token and every token of its sign-in.
///
/// Needs only the refresh token, so an app whose access token has expired can still sign out.
/// Answers 204 whether or not the token was still valid.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 204, description = "Signed out"),
        JsonBody,
    )
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    body: JsonForm<RefreshRequest>,
) -> Result<NoContent, ApiError> {
    let refresh_token = body.value.into_token(body.errors)?;
    let hash = hash_token(refresh_token.expose_secret());
    let now = state.clock.now_naive();
    state
        .db
        .run(move |conn| {
            if let Some(row) = queries::find_by_hash(conn, &hash)? {
                queries::revoke_family(conn, &row.family, now)?;
            }
            Ok(())
        })
        .await?;
    Ok(NoContent)
}

/// The signed-in user.
///
/// Who the access token belongs to, with the role that decides what they may do.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The user the token belongs to", body = Me),
        SignedIn,
    )
)]
#[get("/auth/me")]
pub async fn me(user: CurrentUser) -> Private<Me> {
    Private(Me {
        id: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        author_id: user.author_id,
    })
}
