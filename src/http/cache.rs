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

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;

/// A stored public response.
#[derive(Debug)]
pub struct CachedResponse {
    pub body: Bytes,
    pub etag: String,
    /// The `Link: rel="next"` header value, for pages.
    pub link: Option<String>,
    /// Time (UTC microseconds) after which this entry must not be served.
    pub expires_at: i64,
}

pub struct ResponseCache {
    entries: Option<moka::sync::Cache<String, Arc<CachedResponse>>>,
    /// Content version last read from the database.
    version: AtomicI64,
    /// Earliest publish time (UTC microseconds) of a scheduled article, or `i64::MAX`.
    next_publish: AtomicI64,
    /// Bumped on every clear, so a response computed before a clear is never stored after it.
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
            moka::sync::Cache::builder()
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

    /// The entry for `key` if it may still be served at `now` (UTC microseconds).
    pub fn get(&self, key: &str, now: i64) -> Option<Arc<CachedResponse>> {
        let entries = self.entries.as_ref()?;
        if now >= self.next_publish.load(Ordering::Acquire) {
            // A scheduled article has just become visible; the poller clears the cache and
            // learns the next publish time within a second. Until then, compute afresh.
            return None;
        }
        let entry = entries.get(key)?;
        (now < entry.expires_at).then_some(entry)
    }

    /// The current generation; pass it to [`ResponseCache::insert`] with what was computed.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Stores an entry computed during `generation`, unless the cache was cleared meanwhile.
    pub fn insert(&self, key: String, entry: Arc<CachedResponse>, generation: u64) {
        if let Some(entries) = &self.entries {
            if self.generation() == generation {
                entries.insert(key, entry);
            }
        }
    }

    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        if let Some(entries) = &self.entries {
            entries.invalidate_all();
        }
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

    fn entry(expires_at: i64) -> Arc<CachedResponse> {
        Arc::new(CachedResponse {
            body: Bytes::from_static(b"{}"),
            etag: "\"x\"".into(),
            link: None,
            expires_at,
        })
    }

    #[test]
    fn entries_expire_at_publish_time_and_version_change() {
        let cache = ResponseCache::new(1 << 20, 30);
        cache.observe(1, Some(1_000), 0);
        cache.insert("a".into(), entry(5_000), cache.generation());
        assert!(cache.get("a", 10).is_some());
        assert!(
            cache.get("a", 1_000).is_none(),
            "a scheduled article is due"
        );
        cache.observe(1, None, 1_000);
        assert!(
            cache.get("a", 1_001).is_none(),
            "cleared when the publish time passed"
        );

        cache.insert("b".into(), entry(5_000), cache.generation());
        assert!(cache.get("b", 4_999).is_some());
        assert!(cache.get("b", 5_000).is_none(), "max-age");
        let stale = cache.generation();
        cache.insert("c".into(), entry(5_000), stale);
        cache.observe(2, None, 10);
        assert!(cache.get("c", 11).is_none(), "version moved");
        cache.insert("d".into(), entry(5_000), stale);
        assert!(cache.get("d", 11).is_none(), "computed before the clear");
    }

    #[test]
    fn disabled_cache_stores_nothing() {
        let cache = ResponseCache::new(0, 30);
        cache.insert("a".into(), entry(i64::MAX), 0);
        assert!(cache.get("a", 0).is_none());
    }
}
