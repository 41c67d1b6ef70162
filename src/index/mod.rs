//! The full-text index of published articles and the queries that read it: text analysis
//! (folding), the query language, and the index on both backends (SQLite FTS5, PostgreSQL
//! tsvector), with matching, suggestions and title similarity.

pub mod queries;
pub mod query;
pub mod text;
