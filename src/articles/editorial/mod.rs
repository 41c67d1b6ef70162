//! The editorial API of articles, a file per action: [`create`], [`update`], [`lifecycle`]
//! (publish, schedule, unpublish, archive, delete), [`revisions`] and the editorial [`list`].
//! [`draft`] validates what editors send; [`policy`] says who may see and change what. Writers
//! create articles and edit their own drafts; editors and admins handle everything and alone
//! may publish.

pub mod create;
pub mod draft;
pub mod lifecycle;
pub mod list;
pub mod policy;
pub mod preview;
pub mod revisions;
pub mod update;

use super::dto::{EditorialArticle, Translation};
use super::feed;
use super::model::{BodyRow, SummaryRow};
use super::queries;
use crate::clock::utc;
use crate::db::DbConnection;
use crate::domain::Status;
use crate::error::ApiError;
use crate::state::Ctx;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create::create_article)
        .service(update::update_article)
        .service(lifecycle::delete_article)
        .service(lifecycle::publish_article)
        .service(lifecycle::unpublish_article)
        .service(lifecycle::archive_article)
        .service(revisions::list_revisions)
        .service(revisions::get_revision)
        .service(preview::create_preview)
        .service(preview::list_previews)
        .service(preview::revoke_preview)
        .service(preview::show_preview);
}

pub(super) fn article_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| {
        ApiError::invalid_param("ref", "invalid_id", "must be a positive integer article id")
    })
}

pub(super) fn not_found() -> ApiError {
    ApiError::not_found("no article with that id")
}

/// The article, or a 404 unless it exists and is not deleted: a deleted article's revisions
/// and preview links are gone with it.
pub(super) fn live_article(
    conn: &mut DbConnection,
    id: i64,
) -> Result<(SummaryRow, BodyRow), ApiError> {
    queries::find_by_id(conn, id)?
        .filter(|(s, _)| s.status != Status::Deleted)
        .ok_or_else(not_found)
}

/// The editorial representation of one article.
pub fn load_editorial(
    conn: &mut DbConnection,
    ctx: &Ctx,
    id: i64,
) -> Result<EditorialArticle, ApiError> {
    let (row, body) = live_article(conn, id)?;
    editorial_view(conn, ctx, row, body)
}

pub(super) fn editorial_view(
    conn: &mut DbConnection,
    ctx: &Ctx,
    row: SummaryRow,
    body: BodyRow,
) -> Result<EditorialArticle, ApiError> {
    let id = row.id;
    let translations = match body.translation_group {
        Some(group) => queries::group_members(conn, group, id)?
            .into_iter()
            .map(Translation::from)
            .collect(),
        None => Vec::new(),
    };
    let revision = queries::latest_revision(conn, id)?;
    let BodyRow {
        body_md,
        body_html,
        body_text,
        source,
        created_at,
        created_by,
        ..
    } = body;
    Ok(EditorialArticle {
        revision,
        body_md,
        created_at: utc(created_at),
        created_by,
        article: feed::page(
            conn,
            ctx,
            row,
            None,
            (body_html, body_text, source),
            translations,
        )?,
    })
}
