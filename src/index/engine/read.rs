//! Answering from the index: searches, suggestions and similar articles.

use chrono::NaiveDateTime;
use tantivy::Order as SortOrder;
use tantivy::TantivyDocument;
use tantivy::collector::TopDocs;
use tantivy::schema::Value;

use super::{IndexError, SearchIndex};
use crate::domain::FeedFilter;
use crate::index::query::{Query, Term};
use crate::index::search::{After, Collect, Found, Order, render, render_suggest};

/// A search as the index answers it.
pub struct Request<'a> {
    pub query: &'a Query,
    pub filter: &'a FeedFilter,
    pub now: NaiveDateTime,
    pub order: Order,
    pub after: Option<After>,
    /// Hits wanted on the page.
    pub limit: usize,
    /// Whether to return the hits' stored body text too.
    pub bodies: bool,
}

impl SearchIndex {
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
        let searcher = self.reader.searcher();
        let mut found = searcher.search(&query, &collect)?;
        if request.bodies {
            found.bodies = found
                .hits
                .iter()
                .map(|hit| {
                    let doc: TantivyDocument = searcher.doc(hit.address)?;
                    let body = doc
                        .get_first(self.fields.body_text)
                        .and_then(|v| v.as_str());
                    Ok((hit.id, body.unwrap_or_default().to_string()))
                })
                .collect::<Result<_, IndexError>>()?;
        }
        Ok(found)
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
        let mut words: Vec<String> = crate::index::text::words(title)
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
                    .map(|w| Term {
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
            bodies: false,
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
