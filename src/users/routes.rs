//! `/users`: accounts, for admins.

use actix_web::{delete, get, patch, post, web};
use secrecy::{ExposeSecret, SecretString};

use super::dto::{NewUserRequest, UpdateUserRequest, UserDto};
use super::model::NewUser;
use super::queries::{self, UserChanges};
use crate::auth::RequireAdmin;
use crate::auth::queries as auth_queries;
use crate::credentials::password;
use crate::domain::Role;
use crate::error::{ApiError, FieldError};
use crate::http::docs::{Conflict, Forbidden, JsonBody, NotFound, SignedIn};
use crate::http::json::{JsonForm, NoBody};
use crate::http::pagination::{Page, PageQuery, seq_page};
use crate::http::params::{Query, positive_id};
use crate::http::respond::{Created, NoContent, Private};
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_users)
        .service(get_user)
        .service(create_user)
        .service(update_user)
        .service(delete_user);
}

const ORDER: &str = "user";

fn user_id(raw: &str) -> Result<i64, ApiError> {
    positive_id("id", raw)
}

/// Lowercased email, or a field error.
pub fn check_email(raw: &str) -> Result<String, FieldError> {
    let email = raw.trim().to_lowercase();
    let valid = email.len() <= 254
        && !email.contains(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if valid {
        Ok(email)
    } else {
        Err(FieldError::new(
            "email",
            "invalid_email",
            "must be an email address",
        ))
    }
}

fn check_name(raw: &str) -> Result<String, FieldError> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 200 {
        Err(FieldError::new(
            "name",
            "invalid_length",
            "must be 1 to 200 characters",
        ))
    } else {
        Ok(name.to_string())
    }
}

fn check_role(raw: &str) -> Result<Role, FieldError> {
    Role::parse(raw).ok_or_else(|| {
        FieldError::new(
            "role",
            "unknown_role",
            "must be one of: admin, editor, writer",
        )
    })
}

fn check_password(pw: &SecretString) -> Result<(), FieldError> {
    match password::check_policy(pw.expose_secret()) {
        Some(problem) => Err(FieldError::new("password", "weak_password", problem)),
        None => Ok(()),
    }
}

fn email_taken() -> ApiError {
    ApiError::Conflict {
        code: "email_taken",
        detail: "another account uses this email".into(),
    }
}

fn last_admin() -> ApiError {
    ApiError::Conflict {
        code: "last_admin",
        detail: "this is the last admin; make someone else admin first".into(),
    }
}

/// Hashes off the async workers.
async fn hash_password(pw: SecretString) -> Result<String, ApiError> {
    let hash = web::block(move || password::hash(&pw))
        .await
        .map_err(|e| ApiError::internal(format!("blocking task failed: {e}")))?
        .map_err(ApiError::internal)?;
    Ok(hash.expose_secret().to_string())
}

/// Validates and creates an account from the command line (`newsdesk user create`, the
/// bootstrap admin): the same checks as `POST /users`, hashing on this thread.
pub fn create_account(
    conn: &mut crate::db::DbConnection,
    email: &str,
    name: &str,
    role: &str,
    password: &SecretString,
    now: chrono::NaiveDateTime,
) -> Result<i64, ApiError> {
    let mut errors = crate::http::params::Errors::default();
    let email = errors.take(check_email(email));
    let name = errors.take(check_name(name));
    let role = errors.take(check_role(role));
    errors.take(check_password(password));
    let (Some(email), Some(name), Some(role)) = (email, name, role) else {
        return Err(errors.into_validation());
    };
    if !errors.is_empty() {
        return Err(errors.into_validation());
    }
    let hash = password::hash(password).map_err(ApiError::internal)?;
    insert_user(conn, &email, &name, role, hash.expose_secret(), None, now)
}

/// Creates an account. Used by the API and by `newsdesk user create`.
pub fn insert_user(
    conn: &mut crate::db::DbConnection,
    email: &str,
    name: &str,
    role: Role,
    password_hash: &str,
    author_id: Option<i64>,
    now: chrono::NaiveDateTime,
) -> Result<i64, ApiError> {
    queries::insert(
        conn,
        &NewUser {
            email,
            name,
            role: role.as_str(),
            password_hash,
            author_id,
            token_version: 0,
            created_at: now,
            updated_at: now,
        },
    )
    .map_err(refused_account)
}

/// What a refused insert or update of an account means: its email is taken (a unique
/// violation), or its author does not exist (a foreign-key violation).
fn refused_account(e: diesel::result::Error) -> ApiError {
    match ApiError::from(e) {
        ApiError::Conflict {
            code: "conflict", ..
        } => email_taken(),
        ApiError::Conflict { .. } => ApiError::Validation(vec![FieldError::new(
            "author_id",
            "unknown_author",
            "no author with this id",
        )]),
        other => other,
    }
}

/// The accounts, by id.
///
/// Every newsroom account, oldest first, paged by cursor. Admins only.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of users", body = Page<UserDto>),
        SignedIn, Forbidden,
    )
)]
#[get("/users")]
pub async fn list_users(
    _admin: RequireAdmin,
    state: web::Data<AppState>,
    query: Query<PageQuery>,
) -> Result<Private<Page<UserDto>>, ApiError> {
    let (limit, after) = query.parse_seq(&state.cursors, ORDER)?;
    let cursors = state.cursors.clone();
    let page = state
        .db
        .run(move |conn| {
            let rows = queries::list(conn, after, limit.probe())?;
            Ok(seq_page(
                rows,
                limit,
                &cursors,
                ORDER,
                |r| r.id,
                UserDto::from,
            ))
        })
        .await?;
    Ok(Private(page))
}

/// One account.
///
/// Admins only. Never carries the password or its hash.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "User id")),
    responses(
        (status = 200, description = "The user", body = UserDto),
        SignedIn, Forbidden, NotFound,
    )
)]
#[get("/users/{id}")]
pub async fn get_user(
    _admin: RequireAdmin,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<Private<UserDto>, ApiError> {
    let id = user_id(&path)?;
    let user = state
        .db
        .run(move |conn| {
            auth_queries::find_user(conn, id)?.ok_or_else(|| ApiError::not_found("no such user"))
        })
        .await?;
    Ok(Private(UserDto::from(user)))
}

/// Creates an account.
///
/// Admins only. The email must be unused (409 `email_taken`); the password needs at least 10
/// characters and is stored only as an Argon2id hash.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    request_body = NewUserRequest,
    responses(
        (status = 201, description = "Created", body = UserDto, headers(("Location" = String, description = "The new user"))),
        SignedIn, Forbidden, Conflict, JsonBody,
    )
)]
#[post("/users")]
pub async fn create_user(
    _admin: RequireAdmin,
    state: web::Data<AppState>,
    body: JsonForm<NewUserRequest>,
) -> Result<Created<UserDto>, ApiError> {
    let JsonForm {
        value: body,
        mut errors,
    } = body;
    let email = errors
        .required("email", body.email.as_deref())
        .and_then(|e| errors.take(check_email(e)));
    let name = errors
        .required("name", body.name.as_deref())
        .and_then(|n| errors.take(check_name(n)));
    let role = errors
        .required("role", body.role.as_deref())
        .and_then(|r| errors.take(check_role(r)));
    let password = errors.required("password", body.password);
    if let Some(pw) = &password {
        errors.take(check_password(pw));
    }
    let (Some(email), Some(name), Some(role), Some(password)) = (email, name, role, password)
    else {
        return Err(errors.into_validation());
    };
    errors.check()?;
    let hash = hash_password(password).await?;
    let now = state.clock.now_naive();
    let author_id = body.author_id;
    let user = state
        .db
        .run(move |conn| {
            let id = insert_user(conn, &email, &name, role, &hash, author_id, now)?;
            auth_queries::find_user(conn, id)?
                .ok_or_else(|| ApiError::internal("inserted user vanished"))
        })
        .await?;
    Ok(Created {
        location: format!("/api/v1/users/{}", user.id),
        body: UserDto::from(user),
    })
}

/// Changes an account.
///
/// Changing the role or the password revokes every token the user holds. The last admin
/// cannot be demoted.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "User id")),
    request_body = UpdateUserRequest,
    responses(
        (status = 200, description = "Updated", body = UserDto),
        SignedIn, Forbidden, NotFound, Conflict, JsonBody,
    )
)]
#[patch("/users/{id}")]
pub async fn update_user(
    _admin: RequireAdmin,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: JsonForm<UpdateUserRequest>,
) -> Result<Private<UserDto>, ApiError> {
    let id = user_id(&path)?;
    let JsonForm {
        value: body,
        mut errors,
    } = body;
    let email = body
        .email
        .as_deref()
        .map(check_email)
        .and_then(|r| errors.take(r));
    let name = body
        .name
        .as_deref()
        .map(check_name)
        .and_then(|r| errors.take(r));
    let role = body
        .role
        .as_deref()
        .map(check_role)
        .and_then(|r| errors.take(r));
    if let Some(pw) = &body.password {
        errors.take(check_password(pw));
    }
    if !errors.is_empty() {
        return Err(errors.into_validation());
    }
    let hash = match body.password {
        Some(pw) => Some(hash_password(pw).await?),
        None => None,
    };
    let now = state.clock.now_naive();
    let author_id = body.author_id;
    let user = state
        .db
        .run(move |conn| {
            crate::db::transaction(conn, |conn| {
                let current = auth_queries::find_user(conn, id)?
                    .ok_or_else(|| ApiError::not_found("no such user"))?;
                if current.role == Role::Admin
                    && role.is_some_and(|r| r != Role::Admin)
                    && queries::count_admins(conn)? <= 1
                {
                    return Err(last_admin());
                }
                let revoke = hash.is_some() || role.is_some_and(|r| r != current.role);
                let changes = UserChanges {
                    name: name.as_deref(),
                    email: email.as_deref(),
                    role: role.map(Role::as_str),
                    password_hash: hash.as_deref(),
                    author_id,
                    updated_at: Some(now),
                };
                queries::update(conn, id, &changes, revoke).map_err(refused_account)?;
                auth_queries::find_user(conn, id)?
                    .ok_or_else(|| ApiError::internal("updated user vanished"))
            })
        })
        .await?;
    Ok(Private(UserDto::from(user)))
}

/// Deletes an account.
///
/// Its tokens stop working at once. The last admin cannot be deleted (409 `last_admin`).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "User id")),
    responses(
        (status = 204, description = "Deleted"),
        SignedIn, Forbidden, NotFound, Conflict,
    )
)]
#[delete("/users/{id}")]
pub async fn delete_user(
    _admin: RequireAdmin,
    state: web::Data<AppState>,
    path: web::Path<String>,
    _body: NoBody,
) -> Result<NoContent, ApiError> {
    let id = user_id(&path)?;
    state
        .db
        .run(move |conn| {
            crate::db::transaction(conn, |conn| {
                let current = auth_queries::find_user(conn, id)?
                    .ok_or_else(|| ApiError::not_found("no such user"))?;
                if current.role == Role::Admin && queries::count_admins(conn)? <= 1 {
                    return Err(last_admin());
                }
                queries::delete(conn, id)?;
                Ok(())
            })
        })
        .await?;
    Ok(NoContent)
}
