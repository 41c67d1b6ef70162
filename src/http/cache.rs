//! The in-process cache of public responses.
//!
//! Hot public reads (the latest feed, a popular article) are answered from memory. An entry
//! is served only while all of these hold:
//! - it is younger than `NEWSDESK_CACHE_MAX_AGE`;
//! - no scheduled article has reached its publish time since it was stored (the earliest
//!   pending publish time is known, so the entry is dropped the moment that time comes);
//! - the database's content version has not moved. Every write to public content bumps that
//!   version; each process polls it every second and clears its cache when it changes, so a
//!   change made through any process is seen by all within a second (well inside max-age).
//!
//! Concurrent misses on one key are coalesced: one request computes, the others wait for its
//! answer, so an expired hot entry never sends a burst of identical queries to the database.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;

use crate::error::ApiError;

/// A stored public response.
#[derive(Debug)]
pub struct CachedResponse {
    pub body: Bytes,
    /// `Content-Type` of the body.
    pub content_type: &'static str,
    pub etag: String,
    /// The `Link: rel="next"` header value, for pages.
    pub link: Option<String>,
    /// Time (UTC microseconds) after which this entry must not be served.
    pub expires_at: i64,
    /// The articles whose views the body shows, with this process's running view count of
    /// each when it was rendered: a count that moved makes the entry stale.
    pub views: Box<[(i64, u64)]>,
    /// This process's count of all views when it was rendered.
    pub views_total: u64,
}

type Entries = moka::future::Cache<String, Arc<CachedResponse>>;

pub struct ResponseCache {
    entries: Option<Entries>,
    /// Content version last read from the database.
    version: AtomicI64,
    /// Earliest publish time (UTC microseconds) of a scheduled article, or `i64::MAX`.
    next_publish: AtomicI64,
    /// Bumped on every clear, so a response computed before a clear is not kept after it.
    generation: AtomicU64,
}

impl std::fmt::Debug for ResponseCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseCache")
            .field("enabled", &self.entries.is_some())
            .field("version", &self.version.load(Ordering::Relaxed))
            .finish()
    }
}

impl ResponseCache {
    /// `max_bytes` of bodies at most; 0 bytes or a max-age of 0 turns caching off.
    pub fn new(max_bytes: u64, max_age_secs: u32) -> Self {
        let entries = (max_bytes > 0 && max_age_secs > 0).then(|| {
            moka::future::Cache::builder()
                .max_capacity(max_bytes)
                .weigher(|k: &String, v: &Arc<CachedResponse>| {
                    u32::try_from(k.len() + v.body.len() + 128).unwrap_or(u32::MAX)
                })
                .time_to_live(Duration::from_secs(u64::from(max_age_secs)))
                .build()
        });
        Self {
            entries,
            version: AtomicI64::new(i64::MIN),
            next_publish: AtomicI64::new(i64::MAX),
            generation: AtomicU64::new(0),
        }
    }

    pub fn enabled(&self) -> bool {
        self.entries.is_some()
    }

    /// The entry for `key` if it may be served at `now` (UTC microseconds); otherwise the
    /// result of `compute`, stored for the next requests. Errors are never stored.
    pub async fn get_or_compute<F>(
        &self,
        key: String,
        now: i64,
        current: impl Fn(&CachedResponse) -> bool,
        compute: F,
    ) -> Result<Arc<CachedResponse>, ApiError>
    where
        F: Future<Output = Result<Arc<CachedResponse>, ApiError>>,
    {
        let Some(entries) = &self.entries else {
            return compute.await;
        };
        if now >= self.next_publish.load(Ordering::Acquire) {
            // A scheduled article has just become visible; the poller clears the cache and
            // learns the next publish time within a second. Until then, compute afresh.
            return compute.await;
        }
        if let Some(entry) = entries.get(&key).await {
            if now < entry.expires_at && current(&entry) {
                return Ok(entry);
            }
            entries.invalidate(&key).await;
        }
        let generation = self.generation.load(Ordering::Acquire);
        let entry = entries
            .try_get_with(key.clone(), compute)
            .await
            .map_err(|e: Arc<ApiError>| (*e).clone())?;
        if self.generation.load(Ordering::Acquire) != generation {
            // Content changed while this was computed: answer it once, do not keep it.
            entries.invalidate(&key).await;
        }
        Ok(entry)
    }

    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        if let Some(entries) = &self.entries {
            entries.invalidate_all();
        }
    }

    /// Whether `version` is not the content version last observed.
    pub fn is_new(&self, version: i64) -> bool {
        self.version.load(Ordering::Acquire) != version
    }

    /// Records what the database says now; clears the cache when the content version moved or
    /// a scheduled article became visible. Returns whether the version changed.
    pub fn observe(&self, version: i64, next_publish: Option<i64>, now: i64) -> bool {
        let previous = self.version.swap(version, Ordering::AcqRel);
        let old_next = self
            .next_publish
            .swap(next_publish.unwrap_or(i64::MAX), Ordering::AcqRel);
        let changed = previous != version;
        if changed || now >= old_next {
            self.clear();
        }
        changed
    }

    /// Called after a write through this process: forget everything at once rather than wait
    /// for the poller.
    pub fn invalidate_after_write(&self, next_publish: Option<i64>) {
        self.clear();
        if let Some(t) = next_publish {
            self.next_publish.fetch_min(t, Ordering::AcqRel);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    fn entry(expires_at: i64, body: &'static str) -> Arc<CachedResponse> {
        Arc::new(CachedResponse {
            body: Bytes::from_static(body.as_bytes()),
            content_type: "application/json",
            etag: "\"x\"".into(),
            link: None,
            expires_at,
            views: Box::default(),
            views_total: 0,
        })
    }

    async fn body(cache: &ResponseCache, key: &str, now: i64, fresh: &'static str) -> String {
        let e = cache
            .get_or_compute(key.to_string(), now, |_| true, async {
                Ok(entry(5_000, fresh))
            })
            .await
            .unwrap();
        String::from_utf8(e.body.to_vec()).unwrap()
    }

    #[actix_web::test]
    async fn entries_expire_at_publish_time_max_age_and_version_change() {
        let cache = ResponseCache::new(1 << 20, 30);
        cache.observe(1, Some(1_000), 0);
        assert_eq!(body(&cache, "a", 10, "one").await, "one");
        assert_eq!(body(&cache, "a", 20, "two").await, "one", "cached");
        assert_eq!(
            body(&cache, "a", 1_000, "three").await,
            "three",
            "a scheduled article is due"
        );
        cache.observe(1, None, 1_000);
        assert_eq!(
            body(&cache, "a", 1_001, "four").await,
            "four",
            "cleared at publish time"
        );
        assert_eq!(body(&cache, "a", 4_999, "five").await, "four");
        assert_eq!(
            body(&cache, "a", 5_000, "six").await,
            "six",
            "past expires_at"
        );
        cache.observe(2, None, 10);
        assert_eq!(
            body(&cache, "a", 11, "seven").await,
            "seven",
            "version moved"
        );
    }

    #[actix_web::test]
    async fn errors_are_not_stored_and_misses_are_coalesced() {
        let cache = Arc::new(ResponseCache::new(1 << 20, 30));
        let err = cache
            .get_or_compute("k".into(), 0, |_| true, async {
                Err(ApiError::not_found("x"))
            })
            .await;
        assert!(matches!(err, Err(ApiError::NotFound(_))));
        let calls = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (cache, calls) = (cache.clone(), calls.clone());
            tasks.push(actix_web::rt::spawn(async move {
                cache
                    .get_or_compute("k".into(), 0, |_| true, async {
                        calls.fetch_add(1, Ordering::SeqCst);
                        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
                        Ok(entry(5_000, "v"))
                    })
                    .await
                    .unwrap()
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(
            calls.load(Ordering::SeqCst),
            1,
            "one computation for eight misses"
        );
    }

    #[actix_web::test]
    async fn disabled_cache_stores_nothing() {
        let cache = ResponseCache::new(0, 30);
        assert_eq!(body(&cache, "a", 0, "one").await, "one");
        assert_eq!(body(&cache, "a", 0, "two").await, "two");
    }
}
