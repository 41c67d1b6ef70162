//! The change feed: every change to public content, in order, for apps that keep an offline
//! copy. A client that replays it from the start holds exactly the public content.
//!
//! Rows are read in `(at, seq)` order, where `at` is when the change becomes public: the write
//! time, or the publish time of a scheduled article (so it appears when its time comes, with no
//! job having to run). A row is listed only once `NEWSDESK_CHANGES_DELAY` has passed since its
//! `at`: a transaction still committing can then never slip in behind a reader's cursor.
//! Rows not listed yet may still be withdrawn (a schedule changed, a publish undone), so no
//! reader ever sees an announcement that did not happen.

pub mod dto;
pub mod model;
pub mod queries;
pub mod routes;
