//! `GET /changes`.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::Duration;

use super::dto::{Change, ChangeKind, ChangesMeta, ChangesPage, ChangesQuery};
use super::model::UPSERT;
use super::queries;
use crate::clock::utc;
use crate::error::ApiError;
use crate::http::cursor::Position;
use crate::http::docs::PublicRead;
use crate::http::params::{Limit, Query};
use crate::http::respond::{Prebuilt, etag_for, not_modified};
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(changes);
}

const ORDER: &str = "changes";

/// The change feed, for keeping an offline copy in sync.
///
/// Every change to public content in order: `upsert` (fetch the current version) or `delete`
/// (drop it), for articles, sections, authors, tags and the site. Unpublishing, archiving or
/// deleting a public article appears as a `delete`; a scheduled article appears when its time
/// comes. Replaying the feed from the start (no `since`) yields exactly the public content.
/// Keep `meta.next_cursor` and pass it as `since` next time. Changes are listed a couple of
/// seconds after they happen (`NEWSDESK_CHANGES_DELAY`), never out of order.
#[utoipa::path(
    tag = "changes",
    params(ChangesQuery),
    responses(
        (status = 200, description = "A page of changes", body = ChangesPage),
        PublicRead,
    )
)]
#[get("/changes")]
pub async fn changes(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: Query<ChangesQuery>,
) -> Result<Prebuilt<ChangesPage>, ApiError> {
    let limit = Limit::parse_with(query.limit.as_deref(), 100, 1_000)
        .map_err(|e| ApiError::invalid_params(vec![e]))?;
    let after = match query.since.as_deref() {
        None => None,
        Some(raw) => Some(
            state
                .cursors
                .decode("since", raw, ORDER)?
                .as_time()
                .ok_or_else(|| {
                    ApiError::bad_request("invalid_cursor", "`since` is not a change-feed cursor")
                })?,
        ),
    };
    let delay = Duration::from_std(state.config.changes_delay).unwrap_or_default();
    let cutoff = state.clock.now_naive() - delay;
    let mut rows = state
        .db
        .run(move |conn| Ok(queries::page(conn, after, cutoff, limit.probe())?))
        .await?;
    let has_more = crate::http::pagination::split_probe(&mut rows, limit.get());
    let position = rows
        .last()
        .map(|r| (r.at, r.seq))
        .or(after)
        .map_or(Position::Time { t: 0, i: 0 }, |(at, seq)| {
            Position::time(at, seq)
        });
    let page = ChangesPage {
        meta: ChangesMeta {
            limit: limit.get(),
            next_cursor: state.cursors.encode(ORDER, position),
            has_more,
        },
        data: rows
            .into_iter()
            .map(|r| Change {
                kind: if r.kind == UPSERT {
                    ChangeKind::Upsert
                } else {
                    ChangeKind::Delete
                },
                type_: r.entity,
                id: r.entity_id,
                at: utc(r.at),
            })
            .collect(),
    };
    let body = serde_json::to_vec(&page).map_err(|e| ApiError::internal(e.to_string()))?;
    let etag = etag_for(&body);
    let fresh = not_modified(&req, &etag);
    let mut res = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    res.insert_header((header::ETAG, etag.as_str()))
        .insert_header((header::CACHE_CONTROL, "no-cache"));
    Ok(Prebuilt::new(if fresh {
        res.finish()
    } else {
        res.content_type("application/json").body(body)
    }))
}
