//! Revisions: every save of an article, numbered; `GET /articles/{id}/revisions` and
//! `/revisions/{n}`.

use actix_web::{get, web};
use chrono::NaiveDateTime;

use super::{article_id, live_article, not_found};
use crate::articles::dto::{Revision, RevisionList, RevisionSummary, Snapshot};
use crate::articles::queries;
use crate::auth::RequireEditor;
use crate::clock::utc;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::http::docs::{Forbidden, NotFound, SignedIn};
use crate::http::respond::Private;
use crate::media::queries as media_queries;
use crate::state::AppState;

/// The state of an article as a revision records it.
fn snapshot(conn: &mut DbConnection, id: i64) -> Result<Snapshot, ApiError> {
    let (row, body) = queries::find_by_id(conn, id)?.ok_or_else(not_found)?;
    let (author_ids, tag_ids) = queries::link_ids(conn, id)?;
    let gallery = media_queries::galleries(conn, &[id])?
        .into_iter()
        .map(|(_, m)| m)
        .collect();
    Ok(Snapshot {
        title: row.title,
        slug: row.slug,
        lang: row.lang,
        lead: row.lead,
        body_md: body.body_md,
        section_id: row.section_id,
        author_ids,
        tag_ids,
        cover_url: row.cover_url,
        cover_caption: row.cover_caption,
        cover_credit: row.cover_credit,
        cover_media_id: row.cover_media_id,
        gallery,
        source: body.source,
        featured: row.featured,
        status: row.status.into(),
        published_at: row.published_at.map(utc),
        translation_group: body.translation_group,
    })
}

/// Stores the article's state after a save as its next revision; answers its number.
pub fn record(
    conn: &mut DbConnection,
    id: i64,
    by: i64,
    now: NaiveDateTime,
) -> Result<i32, ApiError> {
    let state = serde_json::to_string(&snapshot(conn, id)?)
        .map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(queries::add_revision(conn, id, &state, Some(by), now)?)
}

/// The revisions of an article, newest first.
///
/// Every save is a numbered revision (1 is the article as created). Editors and admins; a
/// deleted article's revisions are gone with it (404).
#[utoipa::path(
    tag = "editorial",
    security(("bearer" = [])),
    params(("ref" = i64, Path, minimum = 1, description = "Article id")),
    responses(
        (status = 200, description = "Revisions, newest first", body = RevisionList),
        SignedIn, Forbidden, NotFound,
    )
)]
#[get("/articles/{ref}/revisions")]
pub async fn list_revisions(
    _editor: RequireEditor,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<Private<RevisionList>, ApiError> {
    let id = article_id(&path)?;
    let list = state
        .db
        .run(move |conn| {
            live_article(conn, id)?;
            queries::revisions(conn, id)?
                .into_iter()
                .map(|r| {
                    let snapshot: Snapshot = serde_json::from_str(&r.snapshot)
                        .map_err(|e| ApiError::internal(format!("revision {}: {e}", r.number)))?;
                    Ok(RevisionSummary {
                        number: r.number,
                        created_at: utc(r.created_at),
                        created_by: r.created_by,
                        title: snapshot.title,
                    })
                })
                .collect::<Result<Vec<_>, ApiError>>()
        })
        .await?;
    Ok(Private(RevisionList { data: list }))
}

/// One revision of an article, in full.
///
/// The editable state of the article at that save. Editors and admins.
#[utoipa::path(
    tag = "editorial",
    security(("bearer" = [])),
    params(("ref" = i64, Path, minimum = 1, description = "Article id"), ("n" = i32, Path, minimum = 1, description = "Revision number")),
    responses(
        (status = 200, description = "The revision", body = Revision),
        SignedIn, Forbidden, NotFound,
    )
)]
#[get("/articles/{ref}/revisions/{n}")]
pub async fn get_revision(
    _editor: RequireEditor,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<Private<Revision>, ApiError> {
    let (id, n) = path.into_inner();
    let id = article_id(&id)?;
    let n: i32 = n.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
        ApiError::invalid_param("n", "invalid_number", "must be a positive revision number")
    })?;
    let revision = state
        .db
        .run(move |conn| {
            live_article(conn, id)?;
            let r = queries::revision(conn, id, n)?
                .ok_or_else(|| ApiError::not_found("no such revision"))?;
            let snapshot: Snapshot = serde_json::from_str(&r.snapshot)
                .map_err(|e| ApiError::internal(format!("revision {}: {e}", r.number)))?;
            Ok(Revision {
                number: r.number,
                created_at: utc(r.created_at),
                created_by: r.created_by,
                state: snapshot,
            })
        })
        .await?;
    Ok(Private(revision))
}
