//! Full-text search: the query language, text analysis, the index on both backends, snippets
//! and suggestions.

pub mod dto;
pub mod queries;
pub mod query;
pub mod routes;
pub mod snippet;
pub mod text;
