//! The editorial listing: `GET /articles` with a token and `status`.

use crate::articles::dto::{ArticleSummary, FeedQuery};
use crate::articles::feed::{self, FeedRequest};
use crate::articles::model::StatusFilter;
use crate::articles::queries;
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::http::cursor::Position;
use crate::http::pagination::{Page, split_probe};
use crate::http::params::Limit;
use crate::http::respond::Private;
use crate::state::AppState;

const EDITORIAL_ORDER: &str = "updated";

/// `GET /articles?status=...` with a token: articles in those states, most recently updated
/// first (writers: their own only).
pub async fn editorial_list(
    state: &AppState,
    user: CurrentUser,
    status: &str,
    query: FeedQuery,
) -> Result<Private<Page<ArticleSummary>>, ApiError> {
    // The feed's filters (and `newer_than`) do not apply to this listing, but a malformed one
    // is still a 400, as anywhere else. The cursor is this listing's own, read below.
    FeedRequest::parse(
        FeedQuery {
            cursor: None,
            ..query.clone()
        },
        &state.site(),
        &state.cursors,
    )?;
    let mut statuses = Vec::new();
    for part in status.split(',').map(str::trim) {
        match part {
            "draft" => statuses.push(StatusFilter::Draft),
            "scheduled" => statuses.push(StatusFilter::Scheduled),
            "published" => statuses.push(StatusFilter::Published),
            "archived" => statuses.push(StatusFilter::Archived),
            "any" => statuses.extend([
                StatusFilter::Draft,
                StatusFilter::Scheduled,
                StatusFilter::Published,
                StatusFilter::Archived,
            ]),
            _ => {
                return Err(ApiError::invalid_param(
                    "status",
                    "unknown_status",
                    "must be draft, scheduled, published, archived (comma-separated) or any",
                ));
            }
        }
    }
    let limit =
        Limit::parse(query.limit.as_deref()).map_err(|e| ApiError::invalid_params(vec![e]))?;
    let after = match query.cursor.as_deref() {
        Some(raw) => Some(
            state
                .cursors
                .decode("cursor", raw, EDITORIAL_ORDER)?
                .as_time()
                .ok_or_else(|| {
                    ApiError::bad_request("invalid_cursor", "not an editorial cursor")
                })?,
        ),
        None => None,
    };
    let only_own = (!user.role.is_editor()).then_some(user.id);
    let ctx = state.ctx();
    let page = state
        .db
        .run(move |conn| {
            let mut rows =
                queries::editorial_page(conn, &statuses, only_own, after, limit.probe(), ctx.now)?;
            let more = split_probe(&mut rows, limit.get());
            let next = more.then(|| rows.last()).flatten().map(|r| {
                ctx.cursors
                    .encode(EDITORIAL_ORDER, Position::time(r.updated_at, r.id))
            });
            let data = feed::summaries(conn, &ctx, rows, None)?;
            Ok(Page::new(data, limit.get(), next))
        })
        .await?;
    Ok(Private(page))
}
