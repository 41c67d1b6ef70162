//! Tags: topic labels and tag pages. What makes a tag ([`Tags`]); the operations every
//! taxonomy shares are [`crate::taxonomy`]'s.

pub mod dto;
pub mod model;
pub mod queries;
pub mod routes;

use chrono::NaiveDateTime;

use crate::changes::model::{ARTICLE, UPSERT};
use crate::db::DbConnection;
use crate::domain::slug::slug_problem;
use crate::error::{ApiError, FieldError};
use crate::http::params::{Errors, Ref};
use crate::settings::Site;
use crate::state::Ctx;
use crate::taxonomy::{NoQuery, Taxonomy};
use crate::write::Tx;
use dto::{NewTagRequest, TagDto, UpdateTagRequest};
use model::{NewTag, TagRow};
use queries::TagChanges;

pub const MAX_NAME: usize = 100;

/// The tag taxonomy.
pub struct Tags;

/// A new tag, validated.
pub struct TagDraft {
    name: String,
    slug: Option<String>,
}

fn check_fields(errors: &mut Errors, name: Option<&str>, slug: Option<&str>) {
    if let Some(name) = name {
        let n = name.trim().chars().count();
        if n == 0 || n > MAX_NAME {
            errors.push(FieldError::new(
                "name",
                "invalid_length",
                "must be 1 to 100 characters",
            ));
        }
    }
    if let Some(problem) = slug.and_then(slug_problem) {
        errors.push(problem);
    }
}

impl Taxonomy for Tags {
    const ENTITY: &'static str = "tag";
    const COLLECTION: &'static str = "/api/v1/tags";

    type Row = TagRow;
    type Dto = TagDto;
    type NewRequest = NewTagRequest;
    type UpdateRequest = UpdateTagRequest;
    type ItemQuery = NoQuery;
    type Draft = TagDraft;
    type Changes = TagChanges;

    fn find(conn: &mut DbConnection, r: &Ref) -> diesel::QueryResult<Option<TagRow>> {
        queries::find(conn, r)
    }

    fn id(row: &TagRow) -> i64 {
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
        row: TagRow,
        _: Option<&str>,
    ) -> Result<TagDto, ApiError> {
        let count = queries::article_count(conn, row.id, ctx.now)?;
        Ok(TagDto::new(row, Some(count)))
    }

    fn draft(req: NewTagRequest, _: &Site, mut errors: Errors) -> Result<TagDraft, ApiError> {
        let name = errors.required("name", req.name);
        check_fields(&mut errors, name.as_deref(), req.slug.as_deref());
        match name {
            Some(name) if errors.is_empty() => Ok(TagDraft {
                name: name.trim().to_string(),
                slug: req.slug,
            }),
            _ => Err(errors.into_validation()),
        }
    }

    fn slug_of(draft: &TagDraft) -> (Option<&str>, &str) {
        (draft.slug.as_deref(), &draft.name)
    }

    fn insert(
        conn: &mut DbConnection,
        draft: &TagDraft,
        slug: &str,
        now: NaiveDateTime,
    ) -> Result<i64, ApiError> {
        Ok(queries::insert(
            conn,
            &NewTag {
                slug,
                name: &draft.name,
                created_at: now,
                updated_at: now,
            },
        )?)
    }

    fn changes(
        req: &UpdateTagRequest,
        _: &TagRow,
        _: &Site,
        mut errors: Errors,
    ) -> Result<TagChanges, ApiError> {
        check_fields(&mut errors, req.name.as_deref(), req.slug.as_deref());
        errors.check()?;
        Ok(TagChanges {
            slug: req.slug.clone(),
            name: req.name.as_deref().map(|n| n.trim().to_string()),
            updated_at: None,
        })
    }

    fn new_slug(changes: &TagChanges) -> Option<&str> {
        changes.slug.as_deref()
    }

    fn update(
        conn: &mut DbConnection,
        id: i64,
        changes: TagChanges,
        slug: Option<String>,
        now: NaiveDateTime,
    ) -> Result<(), ApiError> {
        let changes = TagChanges {
            slug,
            updated_at: Some(now),
            ..changes
        };
        Ok(queries::update(conn, id, &changes)?)
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

    fn delete(conn: &mut DbConnection, id: i64) -> diesel::QueryResult<()> {
        queries::delete(conn, id)
    }
}
