//! The editorial API on both backends: who may do what, the article life cycle and its
//! change feed, revisions, merge-patch semantics, slugs, translations, taxonomy and users,
//! and bad input that must change nothing.

mod articles;
mod input;
mod lifecycle;
mod listing;
mod preview;
mod redirects;
mod roles;
mod taxonomy;
mod users;

use crate::common::{self, TestCtx};

/// A draft owned by the writer, created directly.
fn writer_draft(t: &TestCtx, section: i64, writer: i64, title: &str) -> i64 {
    let mut spec = common::ArticleSpec::published(title, section, t.now());
    spec.status = newsdesk::domain::Status::Draft;
    spec.published_at = None;
    let id = t.article(spec);
    use diesel::prelude::*;
    use newsdesk::db::schema::articles;
    diesel::update(articles::table.filter(articles::id.eq(id)))
        .set(articles::created_by.eq(Some(writer)))
        .execute(&mut t.conn())
        .unwrap();
    id
}
