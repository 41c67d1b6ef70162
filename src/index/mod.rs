//! Full-text search: text analysis (folding and stemming), the query language, and the
//! search index (tantivy) kept in step with the database through the change feed.

pub mod engine;
pub mod metrics;
pub mod query;
pub mod schema;
pub mod search;
pub mod source;
pub mod text;
