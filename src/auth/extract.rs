//! Authentication as extractors: a handler that takes a [`CurrentUser`], [`RequireEditor`] or
//! [`RequireAdmin`] cannot run without the right token, and no handler reads the header itself.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;

use super::queries as user_queries;
use crate::credentials::tokens::TokenError;
use crate::domain::Role;
use crate::error::ApiError;
use crate::state::AppState;

/// The signed-in user, as the database knows them now.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub author_id: Option<i64>,
}

fn invalid(detail: &str) -> ApiError {
    ApiError::Unauthorized {
        code: "invalid_token",
        detail: detail.to_string(),
    }
}

fn missing() -> ApiError {
    ApiError::Unauthorized {
        code: "missing_token",
        detail: "this call needs `Authorization: Bearer <access token>`".into(),
    }
}

/// The bearer token of a request: `Ok(None)` without an `Authorization` header.
fn bearer(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| invalid("the Authorization header is not readable"))?;
    let (scheme, token) = value
        .split_once(' ')
        .ok_or_else(|| invalid("the Authorization header must be `Bearer <token>`"))?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(invalid("the Authorization header must be `Bearer <token>`"));
    }
    Ok(Some(token.trim().to_string()))
}

/// Validates the request's token, if any, and loads its user. A token that does not verify,
/// belongs to a deleted user, or predates a role or password change is a 401.
async fn authenticate(req: &HttpRequest) -> Result<Option<CurrentUser>, ApiError> {
    let Some(token) = bearer(req)? else {
        return Ok(None);
    };
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::internal("application state missing"))?;
    let claims = state
        .jwt
        .verify(&token, state.clock.now())
        .map_err(|e| match e {
            TokenError::Expired => invalid("the access token has expired; refresh it"),
            TokenError::NotYetValid => invalid("the access token is not valid yet"),
            TokenError::Malformed(reason) => {
                tracing::info!(%reason, "refused access token");
                invalid("the access token is not valid")
            }
        })?;
    let id: i64 = claims
        .sub
        .parse()
        .map_err(|_| invalid("the access token is not valid"))?;
    let user = state
        .db
        .run(move |conn| Ok(user_queries::find_user(conn, id)?))
        .await?
        .ok_or_else(|| invalid("the access token's user no longer exists"))?;
    if user.token_version != claims.ver {
        return Err(invalid("the access token was revoked; sign in again"));
    }
    Ok(Some(CurrentUser {
        id: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        author_id: user.author_id,
    }))
}

impl FromRequest for CurrentUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate(&req).await?.ok_or_else(missing) })
    }
}

/// The user when a token is sent; `None` without one. A bad token is still a 401.
pub struct MaybeUser(pub Option<CurrentUser>);

impl FromRequest for MaybeUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate(&req).await.map(MaybeUser) })
    }
}

/// The signed-in user if `allowed` holds for their role, else a 403 saying what it `needs`.
fn require(
    req: &HttpRequest,
    payload: &mut Payload,
    allowed: fn(Role) -> bool,
    needs: &'static str,
) -> LocalBoxFuture<'static, Result<CurrentUser, ApiError>> {
    let user = CurrentUser::from_request(req, payload);
    Box::pin(async move {
        let user = user.await?;
        if allowed(user.role) {
            Ok(user)
        } else {
            Err(ApiError::Forbidden(format!("this needs {needs}")))
        }
    })
}

/// An editor or admin.
pub struct RequireEditor(pub CurrentUser);

impl FromRequest for RequireEditor {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let user = require(req, payload, Role::is_editor, "the editor or admin role");
        Box::pin(async move { user.await.map(RequireEditor) })
    }
}

/// An admin.
pub struct RequireAdmin(pub CurrentUser);

impl FromRequest for RequireAdmin {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let user = require(req, payload, |r| r == Role::Admin, "the admin role");
        Box::pin(async move { user.await.map(RequireAdmin) })
    }
}
