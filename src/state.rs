//! What every handler shares: the database, configuration, clock, site settings, cursor key
//! and the public response cache.

use std::sync::{Arc, Mutex, RwLock};

use actix_web::HttpRequest;
use chrono::NaiveDateTime;
use rand::RngExt;

use secrecy::ExposeSecret;

use crate::clock::Clock;
use crate::config::Config;
use crate::counter::Views;
use crate::credentials::ratelimit::SigninLimiter;
use crate::credentials::tokens::JwtKeys;
use crate::db::{Db, DbConnection};
use crate::error::ApiError;
use crate::http::cache::{CachedResponse, ResponseCache};
use crate::http::cursor::CursorCodec;
use crate::http::pagination::next_link;
use crate::http::respond::{Public, Rendered, etag_for, public_response};
use crate::index::engine::{SearchIndex, start_in_background};
use crate::index::metrics::Gauges;
use crate::media::MediaService;
use crate::settings::{self, SectionNames, Site};

pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub clock: Clock,
    pub cache: ResponseCache,
    pub cursors: CursorCodec,
    pub metrics: prometheus::Registry,
    pub jwt: JwtKeys,
    pub signin: SigninLimiter,
    /// Per-route request counters and latency histograms, registered in `metrics`.
    pub http_metrics: actix_web_prom::PrometheusMetrics,
    pub views: Arc<Views>,
    /// This process's search index.
    pub search: Arc<SearchIndex>,
    pub search_gauges: Gauges,
    /// Uploads and the store of media files.
    pub media: MediaService,
    /// The webhook delivery client and worker wake-up.
    pub webhooks: crate::webhooks::Webhooks,
    site: RwLock<Arc<Site>>,
    section_names: RwLock<Arc<SectionNames>>,
}

/// What a public handler's database work may read besides the connection.
#[derive(Clone)]
pub struct Ctx {
    /// Request time: what is visible is decided against it.
    pub now: NaiveDateTime,
    pub site: Arc<Site>,
    pub base_url: Arc<str>,
    /// Where media files are served from.
    pub media_url: Arc<str>,
    /// Every section's slug and names, as of the content version this process last saw.
    pub sections: Arc<SectionNames>,
    pub cursors: CursorCodec,
    pub search: Arc<SearchIndex>,
    views: Arc<Views>,
    /// Per article shown: this process's running view count when it was rendered.
    views_shown: Arc<Mutex<Vec<(i64, u64)>>>,
}

impl Ctx {
    /// The views to show for an article whose stored total is `stored` (adds this process's
    /// views not yet written), remembering that the answer depends on them.
    pub fn views_of(&self, article: i64, stored: i64) -> i64 {
        let (shown, counted) = self.views.shown(article, stored);
        self.views_shown
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push((article, counted));
        shown
    }

    /// For representations built from summaries that do not show their view counts (feeds):
    /// the answer does not depend on them, so new views need not render it again.
    pub fn forget_views_shown(&self) {
        self.views_shown
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}

impl AppState {
    /// Connects, reads the shared secrets and the site settings. Migrations must already be
    /// applied (`serve` and the tests apply them first).
    pub async fn new(config: Config, clock: Clock) -> anyhow::Result<Self> {
        let db = config.db(config.pool_size);
        let now = clock.now_naive();
        let (fresh_cursor, fresh_jwt, fresh_views) =
            (random_secret(), random_secret(), random_secret());
        let configured_jwt = config.jwt_secret.is_some();
        let (cursor_secret, views_secret, stored_jwt, (site_row, section_rows)) = db
            .run(move |conn| {
                let cursor =
                    settings::queries::shared_secret(conn, "cursor_key", &fresh_cursor, now)?;
                let views =
                    settings::queries::shared_secret(conn, "visitor_key", &fresh_views, now)?;
                let jwt = if configured_jwt {
                    None
                } else {
                    Some(settings::queries::shared_secret(
                        conn,
                        "jwt_secret",
                        &fresh_jwt,
                        now,
                    )?)
                };
                let site = settings::queries::load(conn)?;
                let sections = settings::queries::section_names(conn)?;
                Ok((cursor, views, jwt, (site, sections)))
            })
            .await
            .map_err(|e| anyhow::anyhow!("reading site settings: {e}"))?;
        let jwt = match (&config.jwt_secret, stored_jwt) {
            (Some(secret), _) => JwtKeys::new(secret.expose_secret().as_bytes()),
            (None, Some(stored)) => {
                tracing::warn!(
                    "NEWSDESK_JWT_SECRET is not set: signing tokens with a random secret kept in \
                     the database; set it explicitly in production"
                );
                JwtKeys::new(stored.as_bytes())
            }
            (None, None) => anyhow::bail!("no JWT secret available"),
        };
        let signin =
            SigninLimiter::new(config.signin_per_minute_ip, config.signin_per_minute_email);
        let metrics = prometheus::Registry::new();
        let http_metrics = actix_web_prom::PrometheusMetricsBuilder::new("newsdesk")
            .registry(metrics.clone())
            .mask_unmatched_patterns("UNMATCHED")
            .build()
            .map_err(|e| anyhow::anyhow!("registering metrics: {e}"))?;
        let views = Views::new(
            config.view_window,
            config.view_dedup_capacity,
            &views_secret,
            &metrics,
        )
        .map_err(|e| anyhow::anyhow!("registering view metrics: {e}"))?;
        let search_dir = config.search_dir();
        let search = SearchIndex::open(&search_dir)
            .map_err(|e| anyhow::anyhow!("opening the search index: {e}"))?;
        let search_gauges = Gauges::register(&metrics)
            .map_err(|e| anyhow::anyhow!("registering search metrics: {e}"))?;
        let search = Arc::new(search);
        let media = MediaService::new(&config).map_err(|e| anyhow::anyhow!("{e}"))?;
        let webhooks = crate::webhooks::Webhooks::new(&config.webhooks, &metrics)
            .map_err(|e| anyhow::anyhow!("building the webhook client: {e}"))?;
        start_in_background(search.clone(), db.clone());
        let state = AppState {
            webhooks,
            search,
            search_gauges,
            media,
            views: Arc::new(views),
            cache: ResponseCache::new(config.cache_mb * 1024 * 1024, config.cache_max_age),
            cursors: CursorCodec::new(derive_key(&cursor_secret)),
            site: RwLock::new(Arc::new(Site::from_row(site_row))),
            section_names: RwLock::new(Arc::new(SectionNames::new(section_rows))),
            metrics,
            http_metrics,
            jwt,
            signin,
            config: Arc::new(config),
            clock,
            db,
        };
        state.refresh().await?;
        Ok(state)
    }

    pub fn site(&self) -> Arc<Site> {
        self.site.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn ctx(&self) -> Ctx {
        self.ctx_at(self.clock.now_naive())
    }

    fn ctx_at(&self, now: NaiveDateTime) -> Ctx {
        Ctx {
            now,
            site: self.site(),
            base_url: Arc::from(self.config.base_url.as_str()),
            media_url: self.media.store.public_url(),
            sections: self
                .section_names
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .clone(),
            cursors: self.cursors.clone(),
            search: self.search.clone(),
            views: self.views.clone(),
            views_shown: Arc::default(),
        }
    }

    /// Applies new changes to the search index; reads the content version and the next
    /// scheduled publish time; reloads the site settings and clears the response cache when
    /// content changed.
    pub async fn refresh(&self) -> Result<(), ApiError> {
        let now = self.clock.now_naive();
        let (version, next) = self
            .db
            .run(move |conn| Ok(settings::queries::content_state(conn, now)?))
            .await?;
        // Every change-feed row comes with a new content version: the search index looks for
        // rows only then, and before the cache is cleared, so a cleared cache never fills
        // again from an index that does not have the change yet.
        if self.search.behind(version) {
            let search = self.search.clone();
            match self.db.run(move |conn| Ok(search.catch_up(conn)?)).await {
                Ok(_) => self.search.caught_up_to(version),
                Err(e) => {
                    tracing::warn!(error = %e, "following the change feed into the search index failed")
                }
            }
        }
        // The settings and section names first, then the cache: an answer computed after the
        // cache is cleared must not be made from the settings of before the change.
        if self.cache.is_new(version) {
            let (row, sections) = self
                .db
                .run(|conn| {
                    let site = settings::queries::load(conn)?;
                    Ok((site, settings::queries::section_names(conn)?))
                })
                .await?;
            *self.site.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(Site::from_row(row));
            *self
                .section_names
                .write()
                .unwrap_or_else(|p| p.into_inner()) = Arc::new(SectionNames::new(sections));
        }
        let changed = self.cache.observe(
            version,
            next.map(|t| t.and_utc().timestamp_micros()),
            now.and_utc().timestamp_micros(),
        );
        if changed {
            self.views.forget_targets();
        }
        Ok(())
    }

    /// Answers a public GET: from the in-process cache when a fresh entry exists, else by
    /// running `compute` on a pooled connection off the async workers. Either way the
    /// response carries a strong ETag, `Cache-Control: public` and honours `If-None-Match`.
    pub async fn public<T: 'static, F>(
        &self,
        req: &HttpRequest,
        compute: F,
    ) -> Result<Public<T>, ApiError>
    where
        F: FnOnce(&mut DbConnection, &Ctx) -> Result<Rendered<T>, ApiError> + Send + 'static,
    {
        let max_age = self.config.cache_max_age;
        let at = self.clock.now_naive();
        let now = at.and_utc().timestamp_micros();
        let link_base = (req.path().to_string(), req.query_string().to_string());
        let entry = self
            .cache
            .get_or_compute(
                cache_key(req),
                now,
                |entry| self.views.unchanged(entry.views_total, &entry.views),
                async move {
                    // Only a miss pays for the context.
                    let ctx = self.ctx_at(at);
                    let epoch = self.views.flush_epoch();
                    let views_total = self.views.counted_total();
                    let shown = ctx.views_shown.clone();
                    let rendered = self.db.run(move |conn| compute(conn, &ctx)).await?;
                    // Rendered while views were being written: it may count some twice or not
                    // at all, so answer it once and do not keep it.
                    let steady = epoch.is_multiple_of(2) && self.views.flush_epoch() == epoch;
                    let lifetime = if steady {
                        i64::from(max_age) * 1_000_000
                    } else {
                        0
                    };
                    let shown =
                        std::mem::take(&mut *shown.lock().unwrap_or_else(|p| p.into_inner()));
                    Ok(Arc::new(CachedResponse {
                        etag: etag_for(&rendered.body),
                        link: rendered
                            .next_cursor
                            .map(|c| next_link(&link_base.0, &link_base.1, &c)),
                        body: rendered.body,
                        content_type: rendered.content_type,
                        expires_at: now.saturating_add(lifetime),
                        views: shown.into(),
                        views_total,
                    }))
                },
            )
            .await?;
        Ok(Public::new(public_response(req, &entry, max_age)))
    }

    /// After a write through this process: its search index and cached public answers follow
    /// at once (other processes notice within a second or two).
    pub async fn after_write(&self) {
        if let Err(e) = self.refresh().await {
            tracing::warn!(error = %e, "cache refresh after a write failed");
        }
    }

    /// How long a change waits before the change feed lists it.
    pub fn changes_delay(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.config.changes_delay).unwrap_or_default()
    }
}

fn cache_key(req: &HttpRequest) -> String {
    let (path, query) = (req.path(), req.query_string());
    let mut key = String::with_capacity(path.len() + query.len() + 1);
    key.push_str(path);
    key.push('?');
    key.push_str(query);
    key
}

fn random_secret() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A 32-byte key from a stored secret (whatever its length).
fn derive_key(secret: &str) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(secret.as_bytes()).into()
}
