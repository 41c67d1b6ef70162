//! The one write path for content: every change to sections, authors, tags, articles and the
//! site goes through [`AppState::write`], which
//! - runs the work in a transaction that writes ([`db::transaction`]: SQLite takes its write
//!   lock at once, so concurrent writers queue for it instead of failing);
//! - runs it again when PostgreSQL aborted it as conflicting, or when a concurrent write took a
//!   unique key first (the retry sees that write and answers accordingly), at most
//!   [`ATTEMPTS`] times;
//! - records what the work announced ([`Tx::announce`], [`Tx::article_moved`]) in the change
//!   feed as its last statements, with the time read just before the commit;
//! - writes the webhook deliveries of what it announced (the outbox, [`crate::webhooks`]) in
//!   the same transaction, and wakes this process's delivery worker after the commit;
//! - bumps the content version, so every process's caches notice the change, and refreshes
//!   this process's caches at once after the commit.

use std::ops::{Deref, DerefMut};

use chrono::{Duration, NaiveDateTime};

use crate::changes::queries as changes;
use crate::db::{self, DbConnection};
use crate::domain::Exposure;
use crate::error::ApiError;
use crate::settings::queries as site_queries;
use crate::state::AppState;
use crate::webhooks::outbox::{self, EntityChange};

/// How many times a write runs before a conflict is answered.
pub const ATTEMPTS: u32 = 4;

/// What a write announces to the change feed and to webhooks.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Announcement {
    /// `kind` (`upsert` / `delete`) of one entity; for webhooks, what the change was and the
    /// entity's slug when the writer knows it (a deleted one's can no longer be read).
    Entity {
        kind: &'static str,
        entity: &'static str,
        id: i64,
        change: EntityChange,
        slug: Option<String>,
    },
    /// An article whose public exposure went from `before` to `after`.
    Article {
        id: i64,
        before: Exposure,
        after: Exposure,
    },
}

/// The transaction a write runs in: the connection, and what the write announces.
pub struct Tx<'c> {
    conn: &'c mut DbConnection,
    now: NaiveDateTime,
    announcements: Vec<Announcement>,
    touched: bool,
}

impl<'c> Tx<'c> {
    fn new(conn: &'c mut DbConnection, now: NaiveDateTime) -> Self {
        Self {
            conn,
            now,
            announcements: Vec::new(),
            touched: false,
        }
    }

    /// When this attempt of the write began.
    pub fn now(&self) -> NaiveDateTime {
        self.now
    }

    /// Announces an upsert or delete (`kind`) of an entity (`entity`: section, author, tag,
    /// article, site).
    pub fn announce(&mut self, kind: &'static str, entity: &'static str, id: i64) {
        let change = if kind == crate::domain::change::DELETE {
            EntityChange::Deleted
        } else {
            EntityChange::Updated
        };
        self.announcements.push(Announcement::Entity {
            kind,
            entity,
            id,
            change,
            slug: None,
        });
    }

    /// Announces that an entity with a slug (section, author, tag) was created, changed or
    /// deleted.
    pub fn announce_entity(
        &mut self,
        change: EntityChange,
        entity: &'static str,
        id: i64,
        slug: &str,
    ) {
        let kind = match change {
            EntityChange::Deleted => crate::domain::change::DELETE,
            _ => crate::domain::change::UPSERT,
        };
        self.announcements.push(Announcement::Entity {
            kind,
            entity,
            id,
            change,
            slug: Some(slug.to_string()),
        });
    }

    /// Announces what an article's write means for the public, from its exposure before and
    /// after: it appeared, changed, disappeared, or was (re)scheduled.
    pub fn article_moved(&mut self, id: i64, before: Exposure, after: Exposure) {
        self.announcements
            .push(Announcement::Article { id, before, after });
    }

    /// Marks content as changed without announcing anything (a new draft).
    pub fn touch(&mut self) {
        self.touched = true;
    }

    /// Writes the announcements with their webhook deliveries and bumps the content version:
    /// the last statements of the transaction, so each change row commits right after its
    /// time. Returns whether deliveries were queued.
    fn finish(self, now: NaiveDateTime, delay: Duration) -> Result<bool, ApiError> {
        if self.announcements.is_empty() && !self.touched {
            return Ok(false);
        }
        let mut events = Vec::new();
        for a in self.announcements {
            match a {
                Announcement::Entity {
                    kind,
                    entity,
                    id,
                    change,
                    slug,
                } => {
                    changes::record(self.conn, kind, entity, id, now)?;
                    events.extend(outbox::entity_changed(
                        self.conn,
                        change,
                        entity,
                        id,
                        slug.as_deref(),
                        now,
                    )?);
                }
                Announcement::Article { id, before, after } => {
                    changes::record_article(self.conn, id, before, after, now, delay)?;
                    events.extend(outbox::article_moved(self.conn, id, before, after, now)?);
                }
            }
        }
        let queued = outbox::enqueue(self.conn, &events, now)?;
        site_queries::bump_content_version(self.conn)?;
        Ok(queued > 0)
    }
}

impl Deref for Tx<'_> {
    type Target = DbConnection;

    fn deref(&self) -> &DbConnection {
        self.conn
    }
}

impl DerefMut for Tx<'_> {
    fn deref_mut(&mut self) -> &mut DbConnection {
        self.conn
    }
}

impl AppState {
    /// Runs a content write (see the module documentation). `work` may run more than once, so
    /// it must not consume what it captures.
    pub async fn write<T, F>(&self, mut work: F) -> Result<T, ApiError>
    where
        F: FnMut(&mut Tx<'_>) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let clock = self.clock.clone();
        let delay = self.changes_delay();
        let (value, queued) = self
            .db
            .run(move |conn| {
                let mut attempt = 1;
                loop {
                    let result = db::transaction(conn, |conn| {
                        let mut tx = Tx::new(conn, clock.now_naive());
                        let value = work(&mut tx)?;
                        let queued = tx.finish(clock.now_naive(), delay)?;
                        Ok((value, queued))
                    });
                    match result {
                        Err(e) if e.is_retryable() && attempt < ATTEMPTS => {
                            tracing::info!(attempt, error = %e, "write conflicted; running it again");
                            attempt += 1;
                        }
                        Err(ApiError::DatabaseBusy { .. }) => {
                            return Err(ApiError::DatabaseBusy { transient: false });
                        }
                        other => return other,
                    }
                }
            })
            .await?;
        if queued {
            self.webhooks.wake();
        }
        self.after_write().await;
        Ok(value)
    }
}
