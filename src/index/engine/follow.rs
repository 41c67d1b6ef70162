//! Keeping the index in step with the database. It follows the change feed's table by
//! sequence number: a process applies its own writes right after they commit, and every process
//! reads the rows it has not seen when the content version it polls every second moves
//! ([`SearchIndex::catch_up`]). Transactions on PostgreSQL can commit out of sequence order, so
//! rows of the last [`SETTLE`] are read again and the ones not seen yet applied; older ones are
//! settled. Where it is in the feed is kept in the index's commit payload. At start, an index
//! that is missing, made by another version, ahead of the database or holding another number of
//! articles than the database is rebuilt from the database; until it is ready, searches answer
//! 503 `search_warming_up`.

use std::collections::{BTreeSet, HashSet, VecDeque};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tantivy::indexer::{LogMergePolicy, NoMergePolicy};

use super::{BATCH, IndexError, SearchIndex, lock};
use crate::db::DbConnection;
use crate::index::schema::SCHEMA_VERSION;
use crate::index::source::{self, Change};

/// How long a change-feed row may take to appear behind rows with later sequence numbers.
pub const SETTLE: Duration = Duration::from_secs(30);

/// Kept in each commit: what made the index and how far into the change feed it is.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub(super) struct Payload {
    pub(super) version: u32,
    /// Every change-feed row up to here is applied.
    settled: i64,
    /// The highest row applied.
    pub(super) position: i64,
}

/// Where the index is in the change feed.
#[derive(Debug, Default)]
pub(super) struct Tail {
    settled: i64,
    position: i64,
    /// Rows applied within [`SETTLE`]: when, and their sequence numbers.
    recent: VecDeque<(Instant, i64)>,
    seen: HashSet<i64>,
}

impl Tail {
    pub(super) fn from(payload: Payload) -> Self {
        Tail {
            settled: payload.settled,
            position: payload.position,
            ..Tail::default()
        }
    }

    pub(super) fn payload(&self) -> Payload {
        Payload {
            version: SCHEMA_VERSION,
            settled: self.settled,
            position: self.position,
        }
    }

    /// Rows older than [`SETTLE`] no longer need reading again.
    fn settle(&mut self) {
        while let Some((at, seq)) = self.recent.front().copied() {
            if at.elapsed() < SETTLE {
                break;
            }
            self.settled = self.settled.max(seq);
            self.seen.remove(&seq);
            self.recent.pop_front();
        }
    }
}

/// Why the index is rebuilt at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rebuild {
    Missing,
    Version,
    AheadOfDatabase,
    Count { indexed: u64, published: i64 },
    Asked,
}

impl std::fmt::Display for Rebuild {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rebuild::Missing => write!(f, "there is no index yet"),
            Rebuild::Version => write!(f, "the index was made by another version"),
            Rebuild::AheadOfDatabase => {
                write!(f, "the index is ahead of the database's change feed")
            }
            Rebuild::Count { indexed, published } => write!(
                f,
                "the index holds {indexed} articles, the database {published} published"
            ),
            Rebuild::Asked => write!(f, "asked to"),
        }
    }
}

impl SearchIndex {
    /// Change-feed rows in the database the index has not applied yet (as of the last look).
    pub fn lag(&self) -> i64 {
        let position = lock(&self.tail).position;
        (self.newest.load(Ordering::Relaxed) - position).max(0)
    }

    /// Brings the index up to date at start: rebuilds it when it is missing, made by another
    /// version, ahead of the database or not holding the database's published articles;
    /// otherwise applies what changed since it was last written. Then it is ready.
    pub fn start(&self, conn: &mut DbConnection) -> Result<(), IndexError> {
        let pending = lock(&self.pending).take();
        let result = self.bring_up_to_date(conn, pending.clone());
        if result.is_err() {
            // Tried again later: what was found at opening still holds.
            *lock(&self.pending) = pending;
        } else {
            self.ready.store(true, Ordering::Release);
        }
        result
    }

    fn bring_up_to_date(
        &self,
        conn: &mut DbConnection,
        mut reason: Option<Rebuild>,
    ) -> Result<(), IndexError> {
        if reason.is_none() {
            let position = lock(&self.tail).position;
            if source::last_seq(conn)? < position {
                reason = Some(Rebuild::AheadOfDatabase);
            } else {
                self.follow(conn)?;
                let indexed = self.documents();
                let published = source::published_count(conn)?;
                if indexed != published as u64 {
                    reason = Some(Rebuild::Count { indexed, published });
                }
            }
        }
        if let Some(reason) = reason {
            self.rebuild(conn, &reason, |_, _| {})?;
        }
        Ok(())
    }

    /// Builds the index again from the database. `progress(done, total)` is called after each
    /// batch. Searches keep answering from the previous index until the new one is committed.
    pub fn rebuild(
        &self,
        conn: &mut DbConnection,
        reason: &Rebuild,
        mut progress: impl FnMut(u64, u64),
    ) -> Result<u64, IndexError> {
        let mut writer = lock(&self.writer);
        let started = Instant::now();
        let total = source::published_count(conn)?.max(0) as u64;
        tracing::info!(articles = total, reason = %reason, dir = %self.dir.display(), "rebuilding the search index");
        self.progress.total.store(total, Ordering::Relaxed);
        self.progress.done.store(0, Ordering::Relaxed);
        self.progress.running.store(true, Ordering::Relaxed);
        // Rows from here on are applied again afterwards; going back a little covers
        // transactions that took a sequence number before and committed after.
        let from = (source::last_seq(conn)? - BATCH).max(0);
        // Segments are merged once, at the end, instead of all along.
        writer.set_merge_policy(Box::new(NoMergePolicy));
        writer.delete_all_documents()?;
        let mut after = 0;
        let mut done = 0u64;
        let mut logged = Instant::now();
        loop {
            let docs = source::docs_after(conn, after, BATCH)?;
            let Some(last) = docs.last() else { break };
            after = last.id;
            for doc in &docs {
                writer.add_document(self.document(doc))?;
            }
            done += docs.len() as u64;
            self.progress.done.store(done, Ordering::Relaxed);
            progress(done, total);
            if logged.elapsed() >= Duration::from_secs(5) {
                logged = Instant::now();
                tracing::info!(done, total, "rebuilding the search index");
            }
        }
        let mut tail = lock(&self.tail);
        *tail = Tail::from(Payload {
            version: SCHEMA_VERSION,
            settled: from,
            position: from,
        });
        self.commit(&mut writer, &tail)?;
        // One segment: the fastest to search, and later small commits do not set off merges
        // of the whole index under load.
        let segments = self.index.searchable_segment_ids()?;
        let merged = if segments.len() > 1 {
            writer.merge(&segments).wait().map(|_| ())
        } else {
            Ok(())
        };
        writer.set_merge_policy(Box::new(LogMergePolicy::default()));
        merged?;
        self.reader.reload()?;
        drop(writer);
        drop(tail);
        self.progress.running.store(false, Ordering::Relaxed);
        tracing::info!(
            articles = done,
            seconds = started.elapsed().as_secs_f64(),
            "search index rebuilt"
        );
        self.follow(conn)?;
        Ok(done)
    }

    /// Whether the content version moved since the index last looked for changes (always,
    /// right after it became ready; never before).
    pub fn behind(&self, content_version: i64) -> bool {
        self.is_ready() && self.looked_at.load(Ordering::Acquire) != content_version
    }

    /// The index applied every change up to this content version.
    pub fn caught_up_to(&self, content_version: i64) {
        if self.is_ready() {
            self.looked_at.store(content_version, Ordering::Release);
        }
    }

    /// Applies the change-feed rows not applied yet. Does nothing until the index is ready
    /// (the start applies them then). Returns how many articles were indexed again.
    pub fn catch_up(&self, conn: &mut DbConnection) -> Result<usize, IndexError> {
        if !self.is_ready() {
            return Ok(0);
        }
        self.follow(conn)
    }

    fn follow(&self, conn: &mut DbConnection) -> Result<usize, IndexError> {
        let mut writer = lock(&self.writer);
        let mut tail = lock(&self.tail);
        let mut after = tail.settled;
        let mut applied = 0;
        loop {
            let rows = source::changes_after(conn, after, BATCH)?;
            let Some((last, _)) = rows.last() else { break };
            after = *last;
            let mut articles = BTreeSet::new();
            for (seq, change) in &rows {
                if !tail.seen.insert(*seq) {
                    continue;
                }
                tail.recent.push_back((Instant::now(), *seq));
                tail.position = tail.position.max(*seq);
                match change {
                    Some(Change::Article(id)) => {
                        articles.insert(*id);
                    }
                    Some(Change::TagDeleted(id)) => {
                        articles.extend(self.ids_with(self.fields.tags, *id)?)
                    }
                    Some(Change::AuthorDeleted(id)) => {
                        articles.extend(self.ids_with(self.fields.authors, *id)?)
                    }
                    None => {}
                }
            }
            if !articles.is_empty() {
                let ids: Vec<i64> = articles.into_iter().collect();
                self.replace(&writer, conn, &ids)?;
                applied += ids.len();
            }
            if (rows.len() as i64) < BATCH {
                break;
            }
        }
        self.newest
            .store(after.max(tail.position), Ordering::Relaxed);
        let settled = tail.settled;
        tail.settle();
        if applied > 0 || tail.settled != settled {
            self.commit(&mut writer, &tail)?;
        }
        Ok(applied)
    }
}

/// Opens the index and brings it up to date in a background thread, logging what fails.
pub fn start_in_background(index: Arc<SearchIndex>, db: crate::db::Db) {
    std::thread::Builder::new()
        .name("search-index".into())
        .spawn(move || {
            let result = db
                .get()
                .map_err(|e| e.to_string())
                .and_then(|mut conn| index.start(&mut conn).map_err(|e| e.to_string()));
            if let Err(e) = result {
                tracing::error!(error = %e, "the search index could not be brought up to date; retrying in 5 s");
                std::thread::sleep(Duration::from_secs(5));
                start_in_background(index, db);
            }
        })
        .expect("spawning the search index thread");
}
