//! The list envelope `{"data": [...], "meta": {...}}` and the `Link: rel="next"` header.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::cursor::{CursorCodec, Position};
use super::params::Limit;
use super::schema::Cursor;
use crate::error::ApiError;

/// Paging information of a list response.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PageMeta {
    /// The page size used.
    #[schema(example = 20)]
    pub limit: u32,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
    /// Cursor of the first item of this page; pass it as `newer_than` to count the items
    /// published since (the "3 new stories" banner). Only on time-ordered feeds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head_cursor: Option<String>,
    /// Number of items matching the filters, when `with_total=true` was asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
}

/// A page of a keyset-paginated list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub data: Vec<T>,
    pub meta: PageMeta,
}

impl<T: ToSchema> Page<T> {
    pub fn new(data: Vec<T>, limit: u32, next_cursor: Option<String>) -> Self {
        Self {
            data,
            meta: PageMeta {
                limit,
                next_cursor,
                head_cursor: None,
                total: None,
            },
        }
    }
}

/// Paging parameters of simple lists.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size, 1 to 100 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100, example = 20)]
    pub limit: Option<String>,
    /// `meta.next_cursor` of the previous page.
    #[param(value_type = Option<Cursor>)]
    pub cursor: Option<String>,
}

impl PageQuery {
    /// The page size and, after the first page, the position the cursor names in `order`.
    pub fn parse(
        &self,
        cursors: &CursorCodec,
        order: &str,
    ) -> Result<(Limit, Option<Position>), ApiError> {
        let limit =
            Limit::parse(self.limit.as_deref()).map_err(|e| ApiError::invalid_params(vec![e]))?;
        let after = match self.cursor.as_deref() {
            Some(raw) => Some(cursors.decode("cursor", raw, order)?),
            None => None,
        };
        Ok((limit, after))
    }
}

impl PageQuery {
    /// For lists paged by id: the page size and, after the first page, the id the cursor names
    /// in `order`.
    pub fn parse_seq(
        &self,
        cursors: &CursorCodec,
        order: &str,
    ) -> Result<(Limit, Option<i64>), ApiError> {
        match self.parse(cursors, order)? {
            (limit, Some(Position::Seq { q })) => Ok((limit, Some(q))),
            (_, Some(_)) => Err(ApiError::bad_request(
                "invalid_cursor",
                "not a cursor of this list",
            )),
            (limit, None) => Ok((limit, None)),
        }
    }
}

/// The page of `rows` (loaded with `limit + 1`, the probe, in id order) as `to_dto` shows
/// them; the next cursor names the last row's `id` in `order`.
pub fn seq_page<R, T: ToSchema>(
    mut rows: Vec<R>,
    limit: Limit,
    cursors: &CursorCodec,
    order: &str,
    id: impl Fn(&R) -> i64,
    to_dto: impl FnMut(R) -> T,
) -> Page<T> {
    let more = split_probe(&mut rows, limit.get());
    let next = more
        .then(|| rows.last())
        .flatten()
        .map(|r| cursors.encode(order, Position::Seq { q: id(r) }));
    Page::new(rows.into_iter().map(to_dto).collect(), limit.get(), next)
}

/// Splits the probe row off a page loaded with `limit + 1` rows: whether there is a next page.
pub fn split_probe<T>(rows: &mut Vec<T>, limit: u32) -> bool {
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    more
}

/// The URL of the next page: this request's path and query with `cursor` replaced.
pub fn next_link(path: &str, query: &str, cursor: &str) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        if k != "cursor" {
            out.append_pair(&k, &v);
        }
    }
    out.append_pair("cursor", cursor);
    format!("<{path}?{}>; rel=\"next\"", out.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_link_replaces_the_cursor() {
        let link = next_link("/api/v1/articles", "lang=en&cursor=old&tag=a%2Cb", "NEW");
        assert_eq!(
            link,
            "</api/v1/articles?lang=en&tag=a%2Cb&cursor=NEW>; rel=\"next\""
        );
    }
}
