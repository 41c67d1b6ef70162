//! Starting and stopping newsdesk: migrations, the first admin, the server with its background
//! jobs, and a shutdown in bounded, logged steps that writes every counted view.

use std::process::ExitCode;
use std::time::Duration;

use actix_web::{HttpServer, web};

use crate::build_app;
use crate::clock::Clock;
use crate::config::Config;
use crate::db;
use crate::error::ApiError;
use crate::jobs;
use crate::state::AppState;

/// Prints a start-up failure and answers the failing exit code.
pub fn fail(message: String) -> ExitCode {
    eprintln!("newsdesk: {message}");
    ExitCode::FAILURE
}

/// Driver messages can span lines (libpq adds hints); a start-up error is one line.
pub fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Applies pending migrations.
pub fn migrate(config: &Config) -> Result<(), String> {
    let url = &config.database_url;
    let mut conn = url.establish().map_err(|e| {
        format!(
            "cannot connect to the database at {}: {}",
            url.redacted(),
            one_line(&e.to_string())
        )
    })?;
    let applied = db::run_migrations(&mut conn).map_err(|e| e.to_string())?;
    for m in &applied {
        tracing::info!(migration = %m, "applied migration");
    }
    tracing::info!(database = %url.redacted(), applied = applied.len(), "database is up to date");
    Ok(())
}

/// With `NEWSDESK_ADMIN_EMAIL` and `NEWSDESK_ADMIN_PASSWORD` set and no users yet, creates
/// the first admin.
pub fn bootstrap_admin(config: &Config) -> Result<(), String> {
    let Some((email, password)) = &config.bootstrap_admin else {
        return Ok(());
    };
    let db = config.db(1);
    let mut conn = db.get().map_err(|e| e.to_string())?;
    let existing = crate::users::queries::count(&mut conn).map_err(|e| e.to_string())?;
    if existing > 0 {
        return Ok(());
    }
    let id = crate::users::routes::create_account(
        &mut conn,
        email,
        "Administrator",
        "admin",
        password,
        Clock::system().now_naive(),
    )
    .map_err(|e| {
        format!(
            "creating the first admin from NEWSDESK_ADMIN_EMAIL: {}",
            e.describe()
        )
    })?;
    tracing::info!(%email, id, "created the first admin");
    Ok(())
}

/// How long a stopping server waits for requests under way before closing their connections.
const SHUTDOWN_REQUESTS_LIMIT: Duration = Duration::from_secs(30);
/// How long a stopping server may spend writing its counted views before it exits anyway.
const SHUTDOWN_FLUSH_LIMIT: Duration = Duration::from_secs(60);

/// SIGTERM and SIGINT, as they arrive.
struct StopSignals {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
}

impl StopSignals {
    fn listen() -> std::io::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Self {
            term: signal(SignalKind::terminate())?,
            int: signal(SignalKind::interrupt())?,
        })
    }

    /// The next one, by name.
    async fn next(&mut self) -> &'static str {
        tokio::select! {
            _ = self.term.recv() => "SIGTERM",
            _ = self.int.recv() => "SIGINT",
        }
    }
}

/// `newsdesk serve`: migrates, creates the first admin if asked to, then serves until SIGTERM or
/// SIGINT.
pub fn serve(config: Config) -> ExitCode {
    if let Err(e) = migrate(&config).and_then(|()| bootstrap_admin(&config)) {
        return fail(e);
    }
    let workers = config.workers;
    let addr = config.addr;
    let system = actix_web::rt::System::new();
    system.block_on(async move {
        let state = match AppState::new(config, Clock::system()).await {
            Ok(s) => web::Data::new(s),
            Err(e) => return fail(format!("cannot start: {e}")),
        };
        jobs::spawn_refresher(state.clone());
        jobs::spawn_view_flusher(state.clone());
        crate::webhooks::spawn_worker(state.clone());
        let app_state = state.clone();
        // Signals are handled here rather than by actix, so that every step of the shutdown
        // is bounded and logged.
        let server = match HttpServer::new(move || build_app(app_state.clone()))
            .workers(workers)
            .shutdown_timeout(SHUTDOWN_REQUESTS_LIMIT.as_secs())
            .disable_signals()
            .bind(addr)
        {
            Ok(s) => s.run(),
            Err(e) => return fail(format!("cannot listen on {addr}: {e}")),
        };
        let mut signals = match StopSignals::listen() {
            Ok(s) => s,
            Err(e) => return fail(format!("cannot listen for SIGTERM and SIGINT: {e}")),
        };
        tracing::info!(%addr, backend = state.db.backend().name(), "newsdesk is serving; API docs at /docs");
        let handle = server.handle();
        let mut running = actix_web::rt::spawn(server);
        // SIGTERM or SIGINT: the server stops taking connections and finishes the requests
        // under way; then every counted view is written before the process exits. A second
        // signal meanwhile exits at once. A server that ended by itself also writes its views.
        let served = tokio::select! {
            ended = &mut running => Some(ended.unwrap_or_else(|e| Err(std::io::Error::other(e)))),
            signal = signals.next() => {
                tracing::info!(signal, "stopping: no new connections, finishing requests under way");
                None
            }
        };
        let shutdown = async {
            if served.is_none() {
                let stop = handle.stop(true);
                let limit = SHUTDOWN_REQUESTS_LIMIT + Duration::from_secs(5);
                if actix_web::rt::time::timeout(limit, stop).await.is_err() {
                    tracing::warn!("the server did not stop in time; writing views anyway");
                }
            }
            actix_web::rt::time::timeout(SHUTDOWN_FLUSH_LIMIT, jobs::flush_views_before_exit(&state))
                .await
                .unwrap_or_else(|_| {
                    Err(ApiError::internal(format!(
                        "gave up after {} s",
                        SHUTDOWN_FLUSH_LIMIT.as_secs()
                    )))
                })
        };
        let flushed = tokio::select! {
            flushed = shutdown => flushed,
            again = signals.next() => Err(ApiError::internal(format!("{again} while stopping: exited at once"))),
        };
        let served = served.unwrap_or(Ok(()));
        match (served, flushed) {
            (Ok(()), Ok(views)) => {
                tracing::info!(views, "stopped; counted views written");
                ExitCode::SUCCESS
            }
            (Err(e), Ok(_)) => fail(format!("server error: {e}")),
            // A write may still hang in a blocking thread, which returning from here would
            // wait for (the runtime joins its blocking threads): leave at once instead.
            (_, Err(e)) => {
                fail(format!(
                    "{} counted views could not be written at shutdown: {e}",
                    state.views.pending()
                ));
                std::process::exit(1)
            }
        }
    })
}
