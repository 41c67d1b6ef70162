//! Lists ordered by name with keyset paging (authors, tags).

use actix_web::HttpRequest;

use super::{Linked, Represent, Taxonomy};
use crate::error::ApiError;
use crate::http::cursor::Position;
use crate::http::pagination::{Page, PageQuery, split_probe};
use crate::http::respond::{Public, Rendered};
use crate::state::AppState;

const ORDER: &str = "name";

/// Answers one page of a name-ordered list of `T`.
pub async fn by_name<T>(
    req: &HttpRequest,
    state: &AppState,
    query: &PageQuery,
) -> Result<Public<Page<T::Dto>>, ApiError>
where
    T: Taxonomy,
    T::Row: Linked,
{
    let (limit, after) = query.parse(&state.cursors, ORDER)?;
    let after = match after {
        Some(Position::Name { s, i }) => Some((s, i)),
        Some(_) => {
            return Err(ApiError::bad_request(
                "invalid_cursor",
                "not a cursor of this list",
            ));
        }
        None => None,
    };
    state
        .public(req, move |conn, ctx| {
            let mut rows = T::Row::page(conn, after, limit.probe())?;
            let more = split_probe(&mut rows, limit.get());
            let next = more.then(|| rows.last()).flatten().map(|r| {
                let (s, i) = r.name_key();
                ctx.cursors.encode(ORDER, Position::Name { s, i })
            });
            let data = rows
                .into_iter()
                .map(|r| T::Dto::represent(r, None, &ctx.site, None))
                .collect();
            Rendered::page(&Page::new(data, limit.get(), next))
        })
        .await
}
