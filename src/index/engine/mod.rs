//! The search index of one process: an embedded tantivy index in `NEWSDESK_SEARCH_DIR`, kept in
//! step with the database, which stays the source of truth. Only published articles are in it
//! (scheduled ones too: "published by now" is a filter of every query, so a scheduled article
//! appears at its time with no job). This module opens the index and writes documents;
//! [`follow`] keeps it in step with the change feed and rebuilds it, [`read`] answers
//! searches.

mod follow;
mod read;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use tantivy::collector::DocSetCollector;
use tantivy::directory::MmapDirectory;
use tantivy::query::{Query as Tq, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, TantivyDocument};

use self::follow::{Payload, Tail};
pub use self::follow::{Rebuild, SETTLE, start_in_background};
pub use self::read::Request;
use super::schema::{Fields, Group, SCHEMA_VERSION, register_analyzers, schema};
use super::search::micros;
use super::source::{self, Doc};
use crate::db::DbConnection;
use crate::error::ApiError;

/// Memory for the index writer's buffers (one thread).
const WRITER_MEMORY: usize = 48 << 20;
/// Bytes of stored text compressed together (an article body is about 5 KiB).
const DOCSTORE_BLOCK: usize = 4096;
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
    /// The content version at which the index last looked for changes (-1: not yet).
    looked_at: AtomicI64,
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
                Index::builder()
                    .schema(schema)
                    .settings(IndexSettings {
                        // Small blocks: a hit's stored body is read by decompressing its own
                        // block, not 16 KiB of its neighbours'.
                        docstore_blocksize: DOCSTORE_BLOCK,
                        ..IndexSettings::default()
                    })
                    .create_in_dir(dir)?
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
            looked_at: AtomicI64::new(-1),
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
        let text = f.group(Group::of(&doc.lang));
        d.add_text(text.title, &doc.title);
        d.add_text(text.lead, &doc.lead);
        d.add_text(text.body, &doc.body);
        d.add_text(f.body_text, &doc.body);
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
}

fn read_payload(index: &Index) -> Option<Payload> {
    let metas = index.load_metas().ok()?;
    let payload: Payload = serde_json::from_str(metas.payload.as_deref()?).ok()?;
    (payload.version == SCHEMA_VERSION).then_some(payload)
}
