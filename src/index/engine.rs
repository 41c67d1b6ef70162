//! The search index of one process: an embedded tantivy index in `NEWSDESK_SEARCH_DIR`, kept in
//! step with the database, which stays the source of truth.
//!
//! - Only published articles are in it (scheduled ones too: "published by now" is a filter of
//!   every query, so a scheduled article appears at its time with no job).
//! - It follows the change feed's table by sequence number: a process applies its own writes
//!   right after they commit, and every process reads the rows it has not seen about once a
//!   second ([`SearchIndex::catch_up`]). Transactions on PostgreSQL can commit out of sequence
//!   order, so rows of the last [`SETTLE`] are read again and the ones not seen yet applied;
//!   older ones are settled. Where it is in the feed is kept in the index's commit payload.
//! - At start, an index that is missing, made by another version, ahead of the database or
//!   holding another number of articles than the database is rebuilt from the database; until
//!   it is ready, searches answer 503 `search_warming_up`.

use std::collections::{BTreeSet, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::indexer::{LogMergePolicy, NoMergePolicy};
use tantivy::query::{Query as Tq, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Index, IndexReader, IndexWriter, Order as SortOrder, ReloadPolicy, TantivyDocument};

use super::query::Query;
use super::schema::{Fields, SCHEMA_VERSION, register_analyzers, schema};
use super::search::{After, Collect, Found, Order, micros, render, render_suggest};
use super::source::{self, Change, Doc};
use crate::db::DbConnection;
use crate::domain::FeedFilter;
use crate::error::ApiError;

/// How long a change-feed row may take to appear behind rows with later sequence numbers.
pub const SETTLE: Duration = Duration::from_secs(30);
/// Memory for the index writer's buffers (one thread).
const WRITER_MEMORY: usize = 48 << 20;
/// Articles per batch when rebuilding or following the feed.
const BATCH: i64 = 500;

/// What went wrong with the index (a broken or unwritable directory, a database error).
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("search index directory {0}: {1}")]
    Directory(PathBuf, String),
}

impl From<IndexError> for ApiError {
    fn from(e: IndexError) -> Self {
        match e {
            IndexError::Database(e) => e.into(),
            other => ApiError::internal(other.to_string()),
        }
    }
}

/// Kept in each commit: what made the index and how far into the change feed it is.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
struct Payload {
    version: u32,
    /// Every change-feed row up to here is applied.
    settled: i64,
    /// The highest row applied.
    position: i64,
}

/// Where the index is in the change feed.
#[derive(Debug, Default)]
struct Tail {
    settled: i64,
    position: i64,
    /// Rows applied within [`SETTLE`]: when, and their sequence numbers.
    recent: VecDeque<(Instant, i64)>,
    seen: HashSet<i64>,
}

impl Tail {
    fn from(payload: Payload) -> Self {
        Tail {
            settled: payload.settled,
            position: payload.position,
            ..Tail::default()
        }
    }

    fn payload(&self) -> Payload {
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

/// Progress of a rebuild, for the log, `/readyz` and `/metrics`.
#[derive(Debug, Default)]
pub struct Progress {
    pub done: AtomicU64,
    pub total: AtomicU64,
    pub running: AtomicBool,
}

/// The search index of this process.
pub struct SearchIndex {
    dir: PathBuf,
    index: Index,
    fields: Fields,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    tail: Mutex<Tail>,
    /// Why the index must be rebuilt before use, found when it was opened.
    pending: Mutex<Option<Rebuild>>,
    ready: AtomicBool,
    /// The newest change-feed row seen in the database at the last catch-up.
    newest: AtomicI64,
    pub progress: Progress,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it (or starting it afresh, when another version made
    /// it) as needed. Fails when another process holds the directory.
    pub fn open(dir: &Path) -> Result<Self, IndexError> {
        let io = |e: std::io::Error| IndexError::Directory(dir.to_path_buf(), e.to_string());
        std::fs::create_dir_all(dir).map_err(io)?;
        let (schema, fields) = schema();
        let directory = MmapDirectory::open(dir)
            .map_err(|e| IndexError::Directory(dir.to_path_buf(), e.to_string()))?;
        let existing = Index::exists(&directory).unwrap_or(false);
        let mut pending = None;
        let index = match existing.then(|| Index::open(directory.clone())) {
            Some(Ok(index)) if index.schema() == schema && read_payload(&index).is_some() => index,
            other => {
                pending = Some(if other.is_none() {
                    Rebuild::Missing
                } else {
                    Rebuild::Version
                });
                if other.is_some() {
                    // Start afresh: nothing in it is of use to this version.
                    drop(other);
                    std::fs::remove_dir_all(dir).map_err(io)?;
                    std::fs::create_dir_all(dir).map_err(io)?;
                }
                Index::create_in_dir(dir, schema)?
            }
        };
        register_analyzers(&index);
        let writer = index.writer_with_num_threads(1, WRITER_MEMORY).map_err(|e| {
            IndexError::Directory(
                dir.to_path_buf(),
                format!(
                    "{e} (each newsdesk process needs its own NEWSDESK_SEARCH_DIR; is another one \
                     using this one?)"
                ),
            )
        })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let payload = read_payload(&index).unwrap_or_default();
        Ok(SearchIndex {
            dir: dir.to_path_buf(),
            fields,
            reader,
            writer: Mutex::new(writer),
            tail: Mutex::new(Tail::from(payload)),
            pending: Mutex::new(pending),
            ready: AtomicBool::new(false),
            newest: AtomicI64::new(payload.position),
            progress: Progress::default(),
            index,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether searches can be answered.
    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Acquire)
    }

    /// 503 `search_warming_up` until the index is ready.
    pub fn require_ready(&self) -> Result<(), ApiError> {
        if self.is_ready() {
            Ok(())
        } else {
            Err(ApiError::SearchWarmingUp)
        }
    }

    /// Articles in the index.
    pub fn documents(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Change-feed rows in the database the index has not applied yet (as of the last look).
    pub fn lag(&self) -> i64 {
        let position = lock(&self.tail).position;
        (self.newest.load(Ordering::Relaxed) - position).max(0)
    }

    /// Bytes the index takes on disk.
    pub fn size_on_disk(&self) -> u64 {
        std::fs::read_dir(&self.dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|e| e.metadata().ok())
                    .filter(|m| m.is_file())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0)
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

    /// Puts the current version of these articles in the index (or takes them out).
    fn replace(
        &self,
        writer: &IndexWriter,
        conn: &mut DbConnection,
        ids: &[i64],
    ) -> Result<(), IndexError> {
        for chunk in ids.chunks(BATCH as usize) {
            let docs = source::docs(conn, chunk)?;
            for id in chunk {
                writer.delete_term(self.fields.id_term(*id));
            }
            for doc in &docs {
                writer.add_document(self.document(doc))?;
            }
        }
        Ok(())
    }

    /// Indexes these articles now, as the database has them: for bulk loads and tests that
    /// write articles without going through the change feed.
    pub fn index_now(&self, conn: &mut DbConnection, ids: &[i64]) -> Result<(), IndexError> {
        let mut writer = lock(&self.writer);
        self.replace(&writer, conn, ids)?;
        let tail = lock(&self.tail);
        self.commit(&mut writer, &tail)
    }

    fn commit(&self, writer: &mut IndexWriter, tail: &Tail) -> Result<(), IndexError> {
        let payload = serde_json::to_string(&tail.payload()).unwrap_or_default();
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&payload);
        commit.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    fn document(&self, doc: &Doc) -> TantivyDocument {
        let f = &self.fields;
        let mut d = TantivyDocument::new();
        d.add_u64(f.id, doc.id as u64);
        d.add_u64(f.section, doc.section_id as u64);
        d.add_text(f.lang, &doc.lang);
        d.add_i64(f.published, micros(doc.published_at));
        for t in &doc.tags {
            d.add_u64(f.tags, *t as u64);
        }
        for a in &doc.authors {
            d.add_u64(f.authors, *a as u64);
        }
        d.add_text(f.suggest, &doc.title);
        let text = f.group(super::schema::Group::of(&doc.lang));
        d.add_text(text.title, &doc.title);
        d.add_text(text.lead, &doc.lead);
        d.add_text(text.body, &doc.body);
        d
    }

    /// Ids of the articles with `value` in a multi-valued id field (tags, authors).
    fn ids_with(&self, field: tantivy::schema::Field, value: i64) -> Result<Vec<i64>, IndexError> {
        let query = TermQuery::new(
            tantivy::Term::from_field_u64(field, value as u64),
            IndexRecordOption::Basic,
        );
        self.ids_of(&query)
    }

    fn ids_of(&self, query: &dyn Tq) -> Result<Vec<i64>, IndexError> {
        let searcher = self.reader.searcher();
        let docs = searcher.search(query, &DocSetCollector)?;
        let mut ids = Vec::with_capacity(docs.len());
        for address in docs {
            let column = searcher
                .segment_reader(address.segment_ord)
                .fast_fields()
                .u64("id")?;
            if let Some(id) = column.first(address.doc_id) {
                ids.push(id as i64);
            }
        }
        Ok(ids)
    }

    /// Searches: the page (`limit` hits after `after` in `order`), the exact total and the
    /// section and language facets.
    pub fn search(&self, request: &Request<'_>) -> Result<Found, IndexError> {
        let query = render(&self.fields, request.query, request.filter, request.now);
        let collect = Collect {
            order: request.order,
            after: request.after,
            sections: request.filter.sections.clone(),
            lang: request.filter.lang.clone(),
            limit: request.limit,
        };
        Ok(self.reader.searcher().search(&query, &collect)?)
    }

    /// Ids of articles whose titles have words starting with each of `words`, newest first.
    pub fn suggest(
        &self,
        words: &[String],
        lang: Option<&str>,
        now: NaiveDateTime,
        limit: usize,
    ) -> Result<Vec<i64>, IndexError> {
        let query = render_suggest(&self.fields, words, lang, now);
        let top = TopDocs::with_limit(limit.max(1)).order_by_u64_field("id", SortOrder::Desc);
        Ok(self
            .reader
            .searcher()
            .search(&query, &top)?
            .into_iter()
            .filter_map(|(id, _)| id.map(|id| id as i64))
            .collect())
    }
}

impl SearchIndex {
    /// Articles whose text is most like `title` (any of its longer words), in the same
    /// language, other than `id`: `(id, score)` best first. Empty while the index is not ready.
    pub fn similar(
        &self,
        id: i64,
        lang: &str,
        title: &str,
        limit: usize,
        now: NaiveDateTime,
    ) -> Result<Vec<(i64, f64)>, IndexError> {
        if !self.is_ready() {
            return Ok(Vec::new());
        }
        let mut words: Vec<String> = super::text::words(title)
            .into_iter()
            .filter(|w| w.chars().count() >= 4)
            .collect();
        words.sort();
        words.dedup();
        words.truncate(8);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let query = Query {
            clauses: vec![
                words
                    .into_iter()
                    .map(|w| super::query::Term {
                        words: vec![w],
                        prefix: false,
                    })
                    .collect(),
            ],
            excluded: Vec::new(),
        };
        let filter = FeedFilter {
            lang: Some(lang.to_string()),
            ..FeedFilter::default()
        };
        let found = self.search(&Request {
            query: &query,
            filter: &filter,
            now,
            order: Order::Relevance,
            after: None,
            limit: limit + 1,
        })?;
        Ok(found
            .hits
            .into_iter()
            .filter(|h| h.id != id)
            .take(limit)
            .map(|h| (h.id, h.score))
            .collect())
    }
}

/// A search as the index answers it.
pub struct Request<'a> {
    pub query: &'a Query,
    pub filter: &'a FeedFilter,
    pub now: NaiveDateTime,
    pub order: Order,
    pub after: Option<After>,
    /// Hits wanted on the page.
    pub limit: usize,
}

fn read_payload(index: &Index) -> Option<Payload> {
    let metas = index.load_metas().ok()?;
    let payload: Payload = serde_json::from_str(metas.payload.as_deref()?).ok()?;
    (payload.version == SCHEMA_VERSION).then_some(payload)
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

/// The index's gauges in `/metrics`, read from it at each scrape.
pub struct Gauges {
    ready: prometheus::IntGauge,
    documents: prometheus::IntGauge,
    bytes: prometheus::IntGauge,
    lag: prometheus::IntGauge,
    rebuild_done: prometheus::IntGauge,
    rebuild_total: prometheus::IntGauge,
}

impl Gauges {
    pub fn register(registry: &prometheus::Registry) -> prometheus::Result<Self> {
        let gauge = |name: &str, help: &str| -> prometheus::Result<prometheus::IntGauge> {
            let g = prometheus::IntGauge::new(name, help)?;
            registry.register(Box::new(g.clone()))?;
            Ok(g)
        };
        Ok(Gauges {
            ready: gauge(
                "newsdesk_search_ready",
                "1 when the search index answers searches",
            )?,
            documents: gauge("newsdesk_search_documents", "Articles in the search index")?,
            bytes: gauge(
                "newsdesk_search_index_bytes",
                "Size of the search index on disk",
            )?,
            lag: gauge(
                "newsdesk_search_lag_changes",
                "Change-feed rows not yet applied to the search index (as of its last look)",
            )?,
            rebuild_done: gauge(
                "newsdesk_search_rebuild_done",
                "Articles indexed so far by the running (or last) rebuild",
            )?,
            rebuild_total: gauge(
                "newsdesk_search_rebuild_total",
                "Articles the running (or last) rebuild indexes",
            )?,
        })
    }

    pub fn observe(&self, index: &SearchIndex) {
        self.ready.set(i64::from(index.is_ready()));
        self.documents.set(index.documents() as i64);
        self.bytes.set(index.size_on_disk() as i64);
        self.lag.set(index.lag());
        self.rebuild_done
            .set(index.progress.done.load(Ordering::Relaxed) as i64);
        self.rebuild_total
            .set(index.progress.total.load(Ordering::Relaxed) as i64);
    }
}
