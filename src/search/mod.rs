//! `GET /search` and `GET /search/suggest`: ranking, facets and snippets over the index.

pub mod dto;
pub mod routes;
pub mod snippet;
