//! Lists ordered by name with keyset paging (authors, tags).

use actix_web::HttpRequest;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::DbConnection;
use crate::error::ApiError;
use crate::http::cursor::Position;
use crate::http::pagination::{Page, PageQuery, split_probe};
use crate::http::respond::{Public, Rendered};
use crate::state::AppState;

const ORDER: &str = "name";

/// Loads up to `limit` rows after `(name, id)`, in `(name, id)` order.
pub type LoadByName<Row> =
    fn(&mut DbConnection, Option<(String, i64)>, i64) -> diesel::QueryResult<Vec<Row>>;

/// Answers one page of a name-ordered list: `key` gives a row's `(name, id)`, `to_dto` its
/// representation.
pub async fn by_name<Row, Dto>(
    req: &HttpRequest,
    state: &AppState,
    query: &PageQuery,
    load: LoadByName<Row>,
    key: fn(&Row) -> (String, i64),
    to_dto: fn(Row) -> Dto,
) -> Result<Public<Page<Dto>>, ApiError>
where
    Row: Send + 'static,
    Dto: Serialize + ToSchema + 'static,
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
            let mut rows = load(conn, after, limit.probe())?;
            let more = split_probe(&mut rows, limit.get());
            let next = more.then(|| rows.last()).flatten().map(|r| {
                let (s, i) = key(r);
                ctx.cursors.encode(ORDER, Position::Name { s, i })
            });
            let data = rows.into_iter().map(to_dto).collect();
            Rendered::page(&Page::new(data, limit.get(), next))
        })
        .await
}
