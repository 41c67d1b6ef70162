//! Authors: bylines and author pages. What makes an author ([`Authors`]); the operations
//! every taxonomy shares are [`crate::taxonomy`]'s.

pub mod dto;
pub mod model;
pub mod queries;
pub mod routes;

use crate::error::{ApiError, FieldError};
use crate::http::params::Errors;
use crate::settings::Site;
use crate::taxonomy::validate::{check_name, check_slug, named};
use crate::taxonomy::{Draft, NoQuery, Patch, Taxonomy};
use crate::write::Tx;
use dto::{AuthorDto, NewAuthorRequest, UpdateAuthorRequest};
use model::{AuthorChanges, AuthorRow, NewAuthor};

pub const MAX_NAME: usize = 200;
pub const MAX_BIO: usize = 5_000;

/// The author taxonomy.
pub struct Authors;

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

    fn draft(req: NewAuthorRequest, _: &Site, mut errors: Errors) -> Result<Draft<Self>, ApiError> {
        let name = errors.required("name", req.name);
        check_name(&mut errors, name.as_deref(), MAX_NAME);
        check_slug(&mut errors, req.slug.as_deref());
        check_bio(&mut errors, req.bio.as_deref());
        check_avatar(&mut errors, req.avatar_url.as_deref());
        named(name, req.slug, errors, |name| NewAuthor {
            name,
            bio: req.bio.unwrap_or_default(),
            avatar_url: req.avatar_url,
        })
    }

    fn changes(
        req: &UpdateAuthorRequest,
        _: &AuthorRow,
        _: &Site,
        mut errors: Errors,
    ) -> Result<Patch<Self>, ApiError> {
        check_name(&mut errors, req.name.as_deref(), MAX_NAME);
        check_slug(&mut errors, req.slug.as_deref());
        check_bio(&mut errors, req.bio.as_ref().and_then(|b| b.as_deref()));
        check_avatar(
            &mut errors,
            req.avatar_url.as_ref().and_then(|a| a.as_deref()),
        );
        errors.check()?;
        Ok(Patch {
            slug: req.slug.clone(),
            changes: AuthorChanges {
                name: req.name.as_deref().map(|n| n.trim().to_string()),
                bio: req.bio.clone().map(Option::unwrap_or_default),
                avatar_url: req.avatar_url.clone(),
            },
        })
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
}
