//! Authors: bylines and author pages. What makes an author ([`Authors`]); the operations
//! every taxonomy shares are [`crate::taxonomy`]'s.

pub mod dto;
pub mod model;
pub mod queries;
pub mod routes;

use chrono::NaiveDateTime;

use crate::db::DbConnection;
use crate::domain::slug::slug_problem;
use crate::error::{ApiError, FieldError};
use crate::http::params::{Errors, Ref};
use crate::settings::Site;
use crate::state::Ctx;
use crate::taxonomy::{NoQuery, Taxonomy};
use crate::write::Tx;
use dto::{AuthorDto, NewAuthorRequest, UpdateAuthorRequest};
use model::{AuthorRow, NewAuthor};
use queries::AuthorChanges;

pub const MAX_NAME: usize = 200;
pub const MAX_BIO: usize = 5_000;

/// The author taxonomy.
pub struct Authors;

/// A new author, validated.
pub struct AuthorDraft {
    name: String,
    slug: Option<String>,
    bio: String,
    avatar_url: Option<String>,
}

fn check_name(errors: &mut Errors, name: &str) {
    let n = name.trim().chars().count();
    if n == 0 || n > MAX_NAME {
        errors.push(FieldError::new(
            "name",
            "invalid_length",
            "must be 1 to 200 characters",
        ));
    }
}

fn check_slug(errors: &mut Errors, slug: Option<&str>) {
    if let Some(problem) = slug.and_then(slug_problem) {
        errors.push(problem);
    }
}

fn check_bio(errors: &mut Errors, bio: Option<&str>) {
    if bio.is_some_and(|b| b.chars().count() > MAX_BIO) {
        errors.push(FieldError::new(
            "bio",
            "too_long",
            "must be at most 5000 characters",
        ));
    }
}

fn check_avatar(errors: &mut Errors, url: Option<&str>) {
    if url
        .is_some_and(|u| !url::Url::parse(u).is_ok_and(|u| matches!(u.scheme(), "http" | "https")))
    {
        errors.push(FieldError::new(
            "avatar_url",
            "invalid_url",
            "must be an http(s) URL",
        ));
    }
}

impl Taxonomy for Authors {
    const ENTITY: &'static str = "author";
    const COLLECTION: &'static str = "/api/v1/authors";

    type Row = AuthorRow;
    type Dto = AuthorDto;
    type NewRequest = NewAuthorRequest;
    type UpdateRequest = UpdateAuthorRequest;
    type ItemQuery = NoQuery;
    type Draft = AuthorDraft;
    type Changes = AuthorChanges;

    fn find(conn: &mut DbConnection, r: &Ref) -> diesel::QueryResult<Option<AuthorRow>> {
        queries::find(conn, r)
    }

    fn id(row: &AuthorRow) -> i64 {
        row.id
    }

    fn slug_taken(
        conn: &mut DbConnection,
        slug: &str,
        except: Option<i64>,
    ) -> diesel::QueryResult<bool> {
        queries::slug_exists(conn, slug, except)
    }

    fn item_lang(_: &NoQuery, _: &Site) -> Result<Option<String>, ApiError> {
        Ok(None)
    }

    fn dto(
        conn: &mut DbConnection,
        ctx: &Ctx,
        row: AuthorRow,
        _: Option<&str>,
    ) -> Result<AuthorDto, ApiError> {
        let count = queries::article_count(conn, row.id, ctx.now)?;
        Ok(AuthorDto::new(row, Some(count)))
    }

    fn draft(req: NewAuthorRequest, _: &Site, mut errors: Errors) -> Result<AuthorDraft, ApiError> {
        let name = errors.required("name", req.name);
        if let Some(name) = &name {
            check_name(&mut errors, name);
        }
        check_slug(&mut errors, req.slug.as_deref());
        check_bio(&mut errors, req.bio.as_deref());
        check_avatar(&mut errors, req.avatar_url.as_deref());
        match name {
            Some(name) if errors.is_empty() => Ok(AuthorDraft {
                name: name.trim().to_string(),
                slug: req.slug,
                bio: req.bio.unwrap_or_default(),
                avatar_url: req.avatar_url,
            }),
            _ => Err(errors.into_validation()),
        }
    }

    fn slug_of(draft: &AuthorDraft) -> (Option<&str>, &str) {
        (draft.slug.as_deref(), &draft.name)
    }

    fn insert(
        conn: &mut DbConnection,
        draft: &AuthorDraft,
        slug: &str,
        now: NaiveDateTime,
    ) -> Result<i64, ApiError> {
        Ok(queries::insert(
            conn,
            &NewAuthor {
                slug,
                name: &draft.name,
                bio: &draft.bio,
                avatar_url: draft.avatar_url.as_deref(),
                created_at: now,
                updated_at: now,
            },
        )?)
    }

    fn changes(
        req: &UpdateAuthorRequest,
        _: &AuthorRow,
        _: &Site,
        mut errors: Errors,
    ) -> Result<AuthorChanges, ApiError> {
        if let Some(name) = &req.name {
            check_name(&mut errors, name);
        }
        check_slug(&mut errors, req.slug.as_deref());
        check_bio(&mut errors, req.bio.as_ref().and_then(|b| b.as_deref()));
        check_avatar(
            &mut errors,
            req.avatar_url.as_ref().and_then(|a| a.as_deref()),
        );
        errors.check()?;
        Ok(AuthorChanges {
            slug: req.slug.clone(),
            name: req.name.as_deref().map(|n| n.trim().to_string()),
            bio: req.bio.clone().map(Option::unwrap_or_default),
            avatar_url: req.avatar_url.clone(),
            updated_at: None,
        })
    }

    fn new_slug(changes: &AuthorChanges) -> Option<&str> {
        changes.slug.as_deref()
    }

    fn update(
        conn: &mut DbConnection,
        id: i64,
        changes: AuthorChanges,
        slug: Option<String>,
        now: NaiveDateTime,
    ) -> Result<(), ApiError> {
        let changes = AuthorChanges {
            slug,
            updated_at: Some(now),
            ..changes
        };
        Ok(queries::update(conn, id, &changes)?)
    }

    fn before_delete(tx: &mut Tx<'_>, row: &AuthorRow) -> Result<(), ApiError> {
        let live = queries::live_article_ids(tx, row.id)?.len();
        if live > 0 {
            return Err(ApiError::Conflict {
                code: "in_use",
                detail: format!(
                    "author `{}` is in the byline of {live} article(s); change those bylines first",
                    row.slug
                ),
            });
        }
        Ok(())
    }

    fn delete(conn: &mut DbConnection, id: i64) -> diesel::QueryResult<()> {
        queries::delete(conn, id)
    }
}
