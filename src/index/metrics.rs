//! The search index's gauges in `/metrics`.

use std::sync::atomic::Ordering;

use super::engine::SearchIndex;

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
