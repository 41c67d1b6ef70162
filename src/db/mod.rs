//! Database access: backend choice from the URL, the connection pool, per-connection set-up
//! and the embedded migrations.
//!
//! Both backends go through one [`DbConnection`] (Diesel's `MultiConnection`), so almost all
//! queries are written once. Where SQL must differ (full-text search), the query module
//! matches on the variant and keeps the two versions side by side; where it is the same but
//! needs the backend's own connection (multi-row inserts), [`on_backend!`] writes it once.

pub mod schema;
pub mod sql;

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::R2D2Connection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::ApiError;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");
/// Version of the migration that creates the search index (filled by newsdesk afterwards).
/// Runs `$body` with `$c` bound to the backend's own connection (`PgConnection` or
/// `SqliteConnection`), for statements that are the same on both backends but that a
/// `MultiConnection` cannot run (multi-row inserts, raw batches). SQL that differs by backend
/// is a `match` of its own, its two versions side by side.
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Pg($c) => $body,
            $crate::db::DbConnection::Sqlite($c) => $body,
        }
    };
}

/// One connection to either backend. SQLite comes last: it accepts any string as a path.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

/// The backend a `DATABASE_URL` selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Postgres => "postgres",
            Backend::Sqlite => "sqlite",
        }
    }
}

impl DbConnection {
    pub fn backend(&self) -> Backend {
        match self {
            DbConnection::Pg(_) => Backend::Postgres,
            DbConnection::Sqlite(_) => Backend::Sqlite,
        }
    }
}

/// A parsed `DATABASE_URL`.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    backend: Backend,
    /// What the driver receives: the PostgreSQL URL, or the SQLite path.
    target: String,
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.redacted())
    }
}

pub const DEFAULT_SQLITE_PATH: &str = "newsdesk.db";

impl DatabaseUrl {
    /// `postgres://` or `postgresql://` selects PostgreSQL; `sqlite://PATH`, `sqlite:PATH`,
    /// a plain path or an empty value select SQLite (default file `newsdesk.db`).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            url::Url::parse(raw).map_err(|e| format!("not a valid PostgreSQL URL: {e}"))?;
            return Ok(Self {
                backend: Backend::Postgres,
                target: raw.to_string(),
            });
        }
        let path = raw
            .strip_prefix("sqlite://")
            .or_else(|| raw.strip_prefix("sqlite:"))
            .unwrap_or(raw);
        if path.contains("://") {
            return Err(format!(
                "unsupported scheme in {raw:?}: use postgres://, postgresql://, sqlite:// or a file path"
            ));
        }
        let path = if path.is_empty() {
            DEFAULT_SQLITE_PATH
        } else {
            path
        };
        Ok(Self {
            backend: Backend::Sqlite,
            target: path.to_string(),
        })
    }

    pub fn sqlite(path: impl Into<String>) -> Self {
        Self {
            backend: Backend::Sqlite,
            target: path.into(),
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The SQLite file, on SQLite.
    pub fn sqlite_path(&self) -> Option<&str> {
        (self.backend == Backend::Sqlite).then_some(self.target.as_str())
    }

    /// The URL with any password replaced, fit for logs.
    pub fn redacted(&self) -> String {
        match self.backend {
            Backend::Sqlite => format!("sqlite://{}", self.target),
            Backend::Postgres => match url::Url::parse(&self.target) {
                Ok(mut u) => {
                    if u.password().is_some() {
                        let _ = u.set_password(Some("***"));
                    }
                    u.to_string()
                }
                Err(_) => "postgres://(unparseable)".to_string(),
            },
        }
    }

    /// Opens one connection of the chosen backend, so that the driver's own error (host down,
    /// bad password, unwritable file) reaches the user.
    pub fn establish(&self) -> ConnectionResult<DbConnection> {
        match self.backend {
            Backend::Postgres => PgConnection::establish(&self.target).map(DbConnection::Pg),
            Backend::Sqlite => {
                configure_sqlite_library();
                SqliteConnection::establish(&self.target).map(DbConnection::Sqlite)
            }
        }
    }
}

/// Process-wide SQLite settings, applied once before the first connection opens:
/// - multi-thread mode: a connection is only ever used by one thread at a time (the pool hands
///   it out), so SQLite's per-connection mutexes are pure overhead;
/// - no memory statistics: they take a global mutex on every allocation, which serialises all
///   readers under load;
/// - every connection opened keeps its statements' plans whatever values are bound (see
///   [`stable_plans`]).
fn configure_sqlite_library() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: sqlite3_config is called before any other SQLite function in this process
        // (the Once runs ahead of the first open), as its contract requires; the arguments
        // are the documented integer options. `stable_plans` has the signature SQLite calls
        // an automatic extension with.
        let (rc, auto) = unsafe {
            libsqlite3_sys::sqlite3_config(libsqlite3_sys::SQLITE_CONFIG_MULTITHREAD);
            let rc = libsqlite3_sys::sqlite3_config(libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS, 0i32);
            (
                rc,
                libsqlite3_sys::sqlite3_auto_extension(Some(stable_plans)),
            )
        };
        if rc != libsqlite3_sys::SQLITE_OK || auto != libsqlite3_sys::SQLITE_OK {
            tracing::warn!(
                rc,
                auto,
                "SQLite library configuration was refused; using its defaults"
            );
        }
    });
}

/// Run by SQLite on every connection it opens: turns on the query planner stability guarantee.
/// With planner statistics present (`ANALYZE`, as `seed --generate` runs), SQLite would
/// otherwise plan a statement comparing an indexed column with a bound value (`published_at
/// <= now`, in every public read) again for each new value: a cached statement was compiled
/// anew on every execution, 5% of the CPU of a search. The plans newsdesk's statements need
/// do not depend on the values (ids look up by key, feeds walk their index).
unsafe extern "C" fn stable_plans(
    db: *mut libsqlite3_sys::sqlite3,
    _error: *mut *mut std::ffi::c_char,
    _api: *const libsqlite3_sys::sqlite3_api_routines,
) -> std::ffi::c_int {
    // SAFETY: `db` is the connection SQLite is opening, valid for this call; the option takes
    // an int and an optional int pointer for the previous setting.
    unsafe {
        libsqlite3_sys::sqlite3_db_config(
            db,
            libsqlite3_sys::SQLITE_DBCONFIG_ENABLE_QPSG,
            1 as std::ffi::c_int,
            std::ptr::null_mut::<std::ffi::c_int>(),
        );
    }
    libsqlite3_sys::SQLITE_OK
}

/// r2d2 manager that opens the backend chosen by the URL scheme and prepares each connection.
#[derive(Debug)]
pub struct ConnectionManager {
    url: DatabaseUrl,
    sqlite_mmap_bytes: u64,
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConnection, Self::Error> {
        let mut conn = self
            .url
            .establish()
            .map_err(diesel::r2d2::Error::ConnectionError)?;
        prepare_connection(&mut conn, self.sqlite_mmap_bytes)
            .map_err(diesel::r2d2::Error::QueryError)?;
        Ok(conn)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Self::Error> {
        conn.ping().map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        conn.is_broken()
    }
}

/// SQLite: WAL so readers never wait for the writer, foreign keys enforced, a busy timeout so
/// that a writer waits for the write lock (see [`transaction`]) instead of failing, and the
/// database file memory-mapped (up to `mmap_bytes`, `NEWSDESK_SQLITE_MMAP_MB`) so that reads
/// take pages straight from the operating system's cache instead of copying each one into
/// SQLite's own. Mapped pages are that cache, shared by every connection; each connection's
/// mapping counts them again in the process's resident size, not in the memory it uses.
/// PostgreSQL: sessions in UTC.
fn prepare_connection(conn: &mut DbConnection, mmap_bytes: u64) -> QueryResult<()> {
    match conn {
        DbConnection::Sqlite(c) => c.batch_execute(&format!(
            "PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS};
             PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             PRAGMA foreign_keys = ON;
             PRAGMA temp_store = MEMORY;
             PRAGMA mmap_size = {mmap_bytes};"
        )),
        DbConnection::Pg(c) => c.batch_execute("SET TIME ZONE 'UTC'"),
    }
}

/// PostgreSQL: plans every statement of this session for the tables as they are now, not once
/// for all (a bulk command's tables grow, or have statistics no analysis has made yet, while
/// it runs). SQLite: nothing to do.
pub fn plan_each_statement(conn: &mut DbConnection) -> QueryResult<()> {
    match conn {
        DbConnection::Pg(c) => c.batch_execute("SET plan_cache_mode = force_custom_plan"),
        DbConnection::Sqlite(_) => Ok(()),
    }
}

/// PostgreSQL: refreshes the planner's statistics of the content tables after a bulk load,
/// rather than leave the server planning from empty ones until autovacuum comes by. SQLite
/// plans without statistics everywhere, and keeps doing so.
pub fn analyze_content(conn: &mut DbConnection) -> QueryResult<()> {
    match conn {
        DbConnection::Pg(c) => c.batch_execute(
            "ANALYZE articles, article_bodies, article_authors, article_tags, redirects, \
             import_map, changes",
        ),
        DbConnection::Sqlite(_) => Ok(()),
    }
}

/// How long a SQLite writer waits for the write lock before giving up (503 `database_busy`).
pub const SQLITE_BUSY_TIMEOUT_MS: u32 = 5_000;

/// Runs `f` in a transaction that writes, committing when it returns `Ok`.
///
/// On SQLite the transaction begins with `BEGIN IMMEDIATE`: it takes the write lock at once,
/// waiting up to the busy timeout while another connection holds it. A deferred transaction
/// that reads first and writes later cannot wait: SQLite refuses to upgrade its read lock while
/// another writer commits (`database is locked`) and the busy timeout never applies. Inside a
/// transaction already open, `f` runs in a savepoint.
pub fn transaction<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    let nested =
        <DbConnection as Connection>::TransactionManager::transaction_manager_status_mut(conn)
            .transaction_depth()?
            .is_some();
    if nested {
        return conn.transaction(f);
    }
    match conn {
        DbConnection::Sqlite(c) => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?
        }
        DbConnection::Pg(_) => {
            <DbConnection as Connection>::TransactionManager::begin_transaction(conn)?
        }
    }
    match f(conn) {
        Ok(value) => {
            <DbConnection as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(e) => {
            <DbConnection as Connection>::TransactionManager::rollback_transaction(conn)?;
            Err(e)
        }
    }
}

pub type Pool = r2d2::Pool<ConnectionManager>;
pub type PooledConnection = r2d2::PooledConnection<ConnectionManager>;

/// Handle to the database that handlers and background tasks share.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    backend: Backend,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("backend", &self.backend)
            .finish()
    }
}

impl Db {
    /// Builds the pool without opening connections up front; [`Db::connect`] checks the
    /// database is reachable.
    pub fn new(
        url: &DatabaseUrl,
        pool_size: u32,
        timeout: Duration,
        sqlite_mmap_bytes: u64,
    ) -> Self {
        let pool = r2d2::Pool::builder()
            .max_size(pool_size)
            .min_idle(Some(0))
            .connection_timeout(timeout)
            .test_on_check_out(false)
            .error_handler(Box::new(PoolErrorLogger))
            .build_unchecked(ConnectionManager {
                url: url.clone(),
                sqlite_mmap_bytes,
            });
        Self {
            pool,
            backend: url.backend(),
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn get(&self) -> Result<PooledConnection, ApiError> {
        self.pool.get().map_err(|e| {
            tracing::error!(error = %e, "database connection unavailable");
            ApiError::ServiceUnavailable
        })
    }

    /// Runs blocking database work on actix's blocking thread pool, never on an async worker.
    pub async fn run<F, T>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let db = self.clone();
        actix_web::web::block(move || {
            let mut conn = db.get()?;
            f(&mut conn)
        })
        .await
        .map_err(|e| ApiError::internal(format!("blocking task failed: {e}")))?
    }
}

#[derive(Debug)]
struct PoolErrorLogger;

impl r2d2::HandleError<diesel::r2d2::Error> for PoolErrorLogger {
    fn handle_error(&self, error: diesel::r2d2::Error) {
        tracing::warn!(error = %error, "database connection error");
    }
}

/// Applies pending migrations. On PostgreSQL an advisory lock keeps several processes that
/// start at once from racing each other.
pub fn run_migrations(conn: &mut DbConnection) -> anyhow::Result<Vec<String>> {
    const LOCK_KEY: i64 = 0x6e65_7773_6465_736b; // "newsdesk"
    let applied = match conn {
        DbConnection::Pg(c) => {
            c.batch_execute(&format!("SELECT pg_advisory_lock({LOCK_KEY})"))?;
            let result = c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|v| v.iter().map(|m| m.to_string()).collect::<Vec<_>>());
            c.batch_execute(&format!("SELECT pg_advisory_unlock({LOCK_KEY})"))?;
            result
        }
        DbConnection::Sqlite(c) => c
            .run_pending_migrations(SQLITE_MIGRATIONS)
            .map(|v| v.iter().map(|m| m.to_string()).collect::<Vec<_>>()),
    };
    applied.map_err(|e| anyhow::anyhow!("applying migrations failed: {e}"))
}

/// Reverts every applied migration (used to check that each `down.sql` works).
pub fn revert_all_migrations(conn: &mut DbConnection) -> anyhow::Result<()> {
    let result = match conn {
        DbConnection::Pg(c) => c.revert_all_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
        DbConnection::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS).map(|_| ()),
    };
    result.map_err(|e| anyhow::anyhow!("reverting migrations failed: {e}"))
}

/// Whether migrations are pending: `/readyz` is not ready until they are applied.
pub fn has_pending_migrations(conn: &mut DbConnection) -> anyhow::Result<bool> {
    let result = match conn {
        DbConnection::Pg(c) => c.has_pending_migration(POSTGRES_MIGRATIONS),
        DbConnection::Sqlite(c) => c.has_pending_migration(SQLITE_MIGRATIONS),
    };
    result.map_err(|e| anyhow::anyhow!("reading migration state failed: {e}"))
}
