//! Reading the index: a parsed [`Query`] and the feed filters rendered into tantivy queries
//! (built term by term, so no user text ever reaches tantivy's query parser), and one pass
//! over the matches that yields the page, the exact total and both facets.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap};
use std::ops::Bound;

use chrono::NaiveDateTime;
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query as Tq,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader, Term};

use super::query::{Query, Term as QueryTerm};
use super::schema::{Fields, LEAD_BOOST, TITLE_BOOST};
use crate::domain::{FeedFilter, IdFilter};

/// Results order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Relevance,
    Newest,
}

/// Where a page of results starts: after this score or publish time, then id.
#[derive(Debug, Clone, Copy)]
pub enum After {
    Score(f64, i64),
    Time(NaiveDateTime, i64),
}

/// One hit of a search.
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    pub id: i64,
    pub score: f64,
    pub published_at: NaiveDateTime,
    /// Where the hit is in the searcher that found it.
    pub address: DocAddress,
}

/// What a search found.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// The page: at most the limit asked for, best first.
    pub hits: Vec<Hit>,
    /// Every hit with all filters applied.
    pub total: u64,
    /// Hits per section with every filter but the section applied.
    pub sections: Vec<(i64, i64)>,
    /// Hits per language with every filter but the language applied.
    pub languages: Vec<(String, i64)>,
    /// The stored body text of each hit, by article id, when asked for.
    pub bodies: HashMap<i64, String>,
}

pub fn micros(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp_micros()
}

fn from_micros(m: i64) -> NaiveDateTime {
    chrono::DateTime::from_timestamp_micros(m)
        .unwrap_or_default()
        .naive_utc()
}

fn boxed(q: impl Tq) -> Box<dyn Tq> {
    Box::new(q)
}

fn any_of(queries: Vec<Box<dyn Tq>>) -> Box<dyn Tq> {
    boxed(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

/// One query term (word, prefix or phrase) in every language group's fields, each part of
/// the article with its weight.
fn term_query(fields: &Fields, term: &QueryTerm) -> Box<dyn Tq> {
    let mut parts = Vec::with_capacity(9);
    for text in &fields.text {
        let words: Vec<String> = term.words.iter().map(|w| text.group.term(w)).collect();
        for (field, weight) in [
            (text.title, TITLE_BOOST),
            (text.lead, LEAD_BOOST),
            (text.body, 1.0),
        ] {
            let q = word_query(field, &words, term.prefix);
            parts.push(if weight == 1.0 {
                q
            } else {
                boxed(BoostQuery::new(q, weight))
            });
        }
    }
    any_of(parts)
}

fn word_query(field: Field, words: &[String], prefix: bool) -> Box<dyn Tq> {
    let term = |w: &str| Term::from_field_text(field, w);
    match words {
        [word] if prefix => boxed(FuzzyTermQuery::new_prefix(term(word), 0, false)),
        [word] => boxed(TermQuery::new(term(word), IndexRecordOption::WithFreqs)),
        _ => boxed(PhraseQuery::new(words.iter().map(|w| term(w)).collect())),
    }
}

/// A filter: matches or not, adds nothing to the score.
fn filter(q: Box<dyn Tq>) -> (Occur, Box<dyn Tq>) {
    (Occur::Must, boxed(ConstScoreQuery::new(q, 0.0)))
}

fn ids_filter(clauses: &mut Vec<(Occur, Box<dyn Tq>)>, field: Field, ids: &IdFilter) {
    let term = |id: &i64| -> Box<dyn Tq> {
        boxed(TermQuery::new(
            Term::from_field_u64(field, *id as u64),
            IndexRecordOption::Basic,
        ))
    };
    for group in &ids.required {
        clauses.push(filter(any_of(group.iter().map(term).collect())));
    }
    for id in &ids.excluded {
        clauses.push((Occur::MustNot, term(id)));
    }
}

/// Published by `now` and within `from`..`to`.
fn time_filter(
    fields: &Fields,
    from: Option<NaiveDateTime>,
    to: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> (Occur, Box<dyn Tq>) {
    let at = |t: NaiveDateTime| Term::from_field_i64(fields.published, micros(t));
    let upper = to.map_or(now, |t| t.min(now));
    let lower = from.map_or(Bound::Unbounded, |f| Bound::Included(at(f)));
    filter(boxed(RangeQuery::new(lower, Bound::Included(at(upper)))))
}

/// The tantivy query for `query` with the filters other than section and language (the
/// collector applies those two, whose facets count across them).
pub fn render(
    fields: &Fields,
    query: &Query,
    filter_by: &FeedFilter,
    now: NaiveDateTime,
) -> Box<dyn Tq> {
    let mut clauses: Vec<(Occur, Box<dyn Tq>)> = query
        .clauses
        .iter()
        .map(|alternatives| {
            let q = match alternatives.as_slice() {
                [one] => term_query(fields, one),
                many => any_of(many.iter().map(|t| term_query(fields, t)).collect()),
            };
            (Occur::Must, q)
        })
        .collect();
    for t in &query.excluded {
        clauses.push((Occur::MustNot, term_query(fields, t)));
    }
    clauses.push(time_filter(fields, filter_by.from, filter_by.to, now));
    ids_filter(&mut clauses, fields.tags, &filter_by.tags);
    ids_filter(&mut clauses, fields.authors, &filter_by.authors);
    boxed(BooleanQuery::new(clauses))
}

/// Suggestions: every word starts a title word; published by `now`; in `lang` if given.
pub fn render_suggest(
    fields: &Fields,
    words: &[String],
    lang: Option<&str>,
    now: NaiveDateTime,
) -> Box<dyn Tq> {
    let mut clauses: Vec<(Occur, Box<dyn Tq>)> = words
        .iter()
        .map(|w| {
            (
                Occur::Must,
                word_query(fields.suggest, std::slice::from_ref(w), true),
            )
        })
        .collect();
    clauses.push(time_filter(fields, None, None, now));
    if let Some(lang) = lang {
        clauses.push(filter(boxed(TermQuery::new(
            Term::from_field_text(fields.lang, lang),
            IndexRecordOption::Basic,
        ))));
    }
    boxed(BooleanQuery::new(clauses))
}

/// A hit's sort key: score or publish time (microseconds, exact in an f64), then id; higher
/// comes first.
#[derive(Debug, Clone, Copy)]
struct Key {
    primary: f64,
    id: i64,
    published: i64,
    score: f32,
    address: DocAddress,
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Key {}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> Ordering {
        self.primary
            .total_cmp(&other.primary)
            .then(self.id.cmp(&other.id))
    }
}

/// Collects the page, total and facets of a search in one pass over its matches.
pub struct Collect {
    pub order: Order,
    pub after: Option<After>,
    pub sections: IdFilter,
    pub lang: Option<String>,
    /// Hits to keep (the page size plus one, to know whether more follow).
    pub limit: usize,
}

impl Key {
    fn new(order: Order, id: i64, score: Score, published: i64, address: DocAddress) -> Self {
        let primary = match order {
            Order::Relevance => f64::from(score),
            Order::Newest => published as f64,
        };
        Key {
            primary,
            id,
            published,
            score,
            address,
        }
    }

    /// Whether this key comes after the cursor.
    fn is_after(&self, after: Option<After>) -> bool {
        let (primary, id) = match after {
            None => return true,
            // Scores are f32: the cursor's copy, read back from text, is rounded to one so that
            // it equals the score it was made from.
            Some(After::Score(s, id)) => (f64::from(s as f32), id),
            Some(After::Time(t, id)) => (micros(t) as f64, id),
        };
        self.primary < primary || (self.primary == primary && self.id < id)
    }
}

pub struct SegmentCollect {
    segment: SegmentOrdinal,
    ids: Column<u64>,
    sections_col: Column<u64>,
    published: Column<i64>,
    langs: Option<StrColumn>,
    /// The ordinal of the wanted language in this segment: `None` when any will do,
    /// `Some(None)` when the segment does not have it.
    lang: Option<Option<u64>>,
    sections: IdFilter,
    order: Order,
    after: Option<After>,
    limit: usize,
    top: BinaryHeap<Reverse<Key>>,
    total: u64,
    /// Hits per section: few sections, looked up one by one (cheaper than hashing per hit).
    by_section: Vec<(i64, i64)>,
    by_lang: Vec<i64>,
}

impl tantivy::collector::Collector for Collect {
    type Fruit = Found;
    type Child = SegmentCollect;

    fn for_segment(
        &self,
        segment_ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentCollect> {
        let fast = segment.fast_fields();
        let langs = fast.str("lang")?;
        let lang = self.lang.as_ref().map(|l| {
            langs
                .as_ref()
                .and_then(|c| c.dictionary().term_ord(l.as_bytes()).ok().flatten())
        });
        let terms = langs.as_ref().map_or(0, |c| c.num_terms());
        Ok(SegmentCollect {
            segment: segment_ord,
            ids: fast.u64("id")?,
            sections_col: fast.u64("section")?,
            published: fast.i64("published")?,
            langs,
            lang,
            sections: self.sections.clone(),
            order: self.order,
            after: self.after,
            limit: self.limit,
            top: BinaryHeap::with_capacity(self.limit + 1),
            total: 0,
            by_section: Vec::new(),
            by_lang: vec![0; terms],
        })
    }

    fn requires_scoring(&self) -> bool {
        // Hits carry their score in either order.
        true
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFound>) -> tantivy::Result<Found> {
        let mut found = Found::default();
        let mut top: Vec<Key> = Vec::new();
        let mut by_section: HashMap<i64, i64> = HashMap::new();
        let mut by_lang: HashMap<String, i64> = HashMap::new();
        for fruit in fruits {
            found.total += fruit.total;
            top.extend(fruit.top);
            for (s, n) in fruit.by_section {
                *by_section.entry(s).or_default() += n;
            }
            for (l, n) in fruit.by_lang {
                *by_lang.entry(l).or_default() += n;
            }
        }
        top.sort_unstable_by(|a, b| b.cmp(a));
        top.truncate(self.limit);
        found.hits = top
            .into_iter()
            .map(|k| Hit {
                id: k.id,
                score: f64::from(k.score),
                published_at: from_micros(k.published),
                address: k.address,
            })
            .collect();
        found.sections = by_section.into_iter().collect();
        found.languages = by_lang.into_iter().collect();
        Ok(found)
    }
}

/// One segment's share of [`Found`].
pub struct SegmentFound {
    top: Vec<Key>,
    total: u64,
    by_section: Vec<(i64, i64)>,
    by_lang: Vec<(String, i64)>,
}

impl tantivy::collector::SegmentCollector for SegmentCollect {
    type Fruit = SegmentFound;

    fn collect(&mut self, doc: DocId, score: Score) {
        let section = self.sections_col.first(doc).unwrap_or_default() as i64;
        let lang = self.langs.as_ref().and_then(|c| c.term_ords(doc).next());
        let lang_ok = match self.lang {
            None => true,
            Some(wanted) => wanted.is_some() && wanted == lang,
        };
        let section_ok = self.sections.accepts(section);
        if lang_ok {
            match self.by_section.iter_mut().find(|(s, _)| *s == section) {
                Some((_, n)) => *n += 1,
                None => self.by_section.push((section, 1)),
            }
        }
        if section_ok && let Some(l) = lang {
            self.by_lang[l as usize] += 1;
        }
        if !(lang_ok && section_ok) {
            return;
        }
        self.total += 1;
        let id = self.ids.first(doc).unwrap_or_default() as i64;
        let published = self.published.first(doc).unwrap_or_default();
        let key = Key::new(
            self.order,
            id,
            score,
            published,
            DocAddress::new(self.segment, doc),
        );
        if !key.is_after(self.after) {
            return;
        }
        if self.top.len() < self.limit {
            self.top.push(Reverse(key));
        } else if self.top.peek().is_some_and(|Reverse(least)| key > *least) {
            self.top.pop();
            self.top.push(Reverse(key));
        }
    }

    fn harvest(self) -> SegmentFound {
        let mut by_lang = Vec::new();
        if let Some(langs) = &self.langs {
            for (ord, n) in self.by_lang.iter().enumerate() {
                let mut name = String::new();
                if *n > 0 && langs.ord_to_str(ord as u64, &mut name).unwrap_or(false) {
                    by_lang.push((name, *n));
                }
            }
        }
        SegmentFound {
            top: self.top.into_iter().map(|Reverse(k)| k).collect(),
            total: self.total,
            by_section: self.by_section,
            by_lang,
        }
    }
}
