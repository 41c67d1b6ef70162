//! Tags: topic labels and tag pages. What makes a tag ([`Tags`]); the operations every
//! taxonomy shares are [`crate::taxonomy`]'s.

pub mod dto;
pub mod model;
pub mod queries;
pub mod routes;

use crate::changes::model::{ARTICLE, UPSERT};
use crate::error::ApiError;
use crate::http::params::Errors;
use crate::settings::Site;
use crate::taxonomy::validate::{check_name, check_slug, named};
use crate::taxonomy::{Draft, NoQuery, Patch, Taxonomy};
use crate::write::Tx;
use dto::{NewTagRequest, TagDto, UpdateTagRequest};
use model::{NewTag, TagChanges, TagRow};

pub const MAX_NAME: usize = 100;

/// The tag taxonomy.
pub struct Tags;

impl Taxonomy for Tags {
    const ENTITY: &'static str = "tag";
    const COLLECTION: &'static str = "/api/v1/tags";

    type Row = TagRow;
    type Dto = TagDto;
    type NewRequest = NewTagRequest;
    type UpdateRequest = UpdateTagRequest;
    type ItemQuery = NoQuery;

    fn draft(req: NewTagRequest, _: &Site, mut errors: Errors) -> Result<Draft<Self>, ApiError> {
        let name = errors.required("name", req.name);
        check_name(&mut errors, name.as_deref(), MAX_NAME);
        check_slug(&mut errors, req.slug.as_deref());
        named(name, req.slug, errors, |name| NewTag { name })
    }

    fn changes(
        req: &UpdateTagRequest,
        _: &TagRow,
        _: &Site,
        mut errors: Errors,
    ) -> Result<Patch<Self>, ApiError> {
        check_name(&mut errors, req.name.as_deref(), MAX_NAME);
        check_slug(&mut errors, req.slug.as_deref());
        errors.check()?;
        Ok(Patch {
            slug: req.slug.clone(),
            changes: TagChanges {
                name: req.name.as_deref().map(|n| n.trim().to_string()),
            },
        })
    }

    /// A tag in use may go: the public articles that carry it appear changed in the change
    /// feed.
    fn before_delete(tx: &mut Tx<'_>, row: &TagRow) -> Result<(), ApiError> {
        let now = tx.now();
        for id in queries::public_article_ids(tx, row.id, now)? {
            tx.announce(UPSERT, ARTICLE, id);
        }
        Ok(())
    }
}
