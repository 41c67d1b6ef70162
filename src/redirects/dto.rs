//! Redirect representations.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::http::pagination::Page;

/// Where an old path leads now.
#[derive(Debug, Serialize, ToSchema)]
pub struct RedirectLookup {
    /// The path asked about, as compared (decoded, without a trailing slash).
    #[schema(example = "/en/articles/old-slug")]
    pub path: String,
    /// The article's current public address: answer a 301 to it.
    #[schema(example = "https://news.example.com/en/articles/new-slug")]
    pub location: String,
    /// Its path on the site.
    #[schema(example = "/en/articles/new-slug")]
    pub location_path: String,
    pub article_id: i64,
    /// Always 301: the move is permanent.
    #[schema(example = 301)]
    pub status: u16,
}

/// A redirect as editors see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RedirectDto {
    pub id: i64,
    #[schema(example = "/en/articles/old-slug")]
    pub path: String,
    pub article_id: i64,
    /// The article's current public address; absent while it is not public.
    pub location: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// `GET /redirects` answers a lookup (with `path`) or, for editors, the list.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum RedirectsAnswer {
    Lookup(RedirectLookup),
    List(Page<RedirectDto>),
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RedirectsQuery {
    /// An old path (`/en/articles/old-slug`) or URL: answers where it leads. Without it, the
    /// list of redirects (editors).
    #[param(example = "/en/articles/old-slug")]
    pub path: Option<String>,
    /// Page size of the list, 1 to 100 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub limit: Option<String>,
    /// `meta.next_cursor` of the previous page of the list.
    #[param(value_type = Option<crate::http::schema::Cursor>)]
    pub cursor: Option<String>,
}
