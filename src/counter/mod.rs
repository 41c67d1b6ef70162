//! View counting, the engine behind "Views: N": deduplication, the per-process tally and
//! its flushes to the database.
//!
//! A counted view costs no database write: it is deduplicated in memory ([`dedup`]), added to
//! this process's tally, and written with all others of the interval by [`Views::flush`] in one
//! transaction of additive updates (the article's total plus an hourly bucket), so any number
//! of processes sharing a database add up exactly. Until then, this process shows its own
//! unflushed views in every response it renders. A crash loses at most one interval of views;
//! a graceful stop flushes them.

pub mod dedup;
pub mod queries;
pub mod visitor;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, DurationRound, NaiveDateTime, TimeDelta, Utc};
use prometheus::{IntCounter, IntCounterVec, IntGauge, Opts, Registry};

use crate::db::Db;
use crate::error::ApiError;
use crate::http::params::Ref;
use crate::settings::Site;
use dedup::Seen;
use visitor::{Presented, VisitorKeys};

/// Seconds from the Unix epoch to 2020-01-01, the origin of the dedup clock (u32 seconds).
const DEDUP_EPOCH: i64 = 1_577_836_800;

/// Whether a view was counted, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Counted = 0,
    Repeat = 1,
    Bot = 2,
}

/// One published article a view can be counted for.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    pub id: i64,
    pub published_at: NaiveDateTime,
}

pub struct Views {
    seen: Seen,
    tally: Tally,
    keys: VisitorKeys,
    bots: isbot::Bots,
    bot_answers: moka::sync::Cache<String, bool>,
    /// Article reference → candidates (by language preference); cleared when content changes.
    targets: moka::sync::Cache<TargetKey, Arc<[Target]>>,
    flushing: tokio::sync::Mutex<()>,
    /// `newsdesk_views_total` for counted, repeat and bot.
    outcomes: [IntCounter; 3],
    flush_errors: IntCounterVec,
    remembered: IntGauge,
}

impl Views {
    pub fn new(
        window: Duration,
        dedup_capacity: usize,
        secret: &str,
        registry: &Registry,
    ) -> anyhow::Result<Self> {
        let outcomes = IntCounterVec::new(
            Opts::new("newsdesk_views_total", "View beacons by outcome"),
            &["outcome"],
        )?;
        let flush_errors = IntCounterVec::new(
            Opts::new(
                "newsdesk_view_flush_errors_total",
                "Failed view flushes (their views are kept and retried)",
            ),
            &["kind"],
        )?;
        let remembered = IntGauge::new(
            "newsdesk_view_dedup_pairs",
            "(visitor, article) pairs remembered for dedup",
        )?;
        registry.register(Box::new(outcomes.clone()))?;
        let outcomes = ["counted", "repeat", "bot"].map(|o| outcomes.with_label_values(&[o]));
        registry.register(Box::new(flush_errors.clone()))?;
        registry.register(Box::new(remembered.clone()))?;
        Ok(Self {
            seen: Seen::new(
                u32::try_from(window.as_secs()).unwrap_or(u32::MAX),
                dedup_capacity,
            ),
            tally: Tally::default(),
            keys: VisitorKeys::new(secret),
            bots: isbot::Bots::default(),
            bot_answers: moka::sync::Cache::new(10_000),
            targets: moka::sync::Cache::builder()
                .max_capacity(200_000)
                .time_to_live(Duration::from_secs(300))
                .build(),
            flushing: tokio::sync::Mutex::new(()),
            outcomes,
            flush_errors,
            remembered,
        })
    }

    /// Whether the User-Agent is a known crawler or bot.
    pub fn is_bot(&self, user_agent: &str) -> bool {
        if user_agent.len() > 512 {
            return self.bots.is_bot(user_agent);
        }
        self.bot_answers
            .get_with_by_ref(user_agent, || self.bots.is_bot(user_agent))
    }

    /// The visible article `r` names at `now`, resolved through a small cache.
    pub async fn target(
        &self,
        db: &Db,
        r: Ref,
        lang: Option<String>,
        site: &Site,
        now: NaiveDateTime,
    ) -> Result<Option<i64>, ApiError> {
        let key = target_key(&r, lang.as_deref());
        let candidates = match self.targets.get(&key) {
            Some(c) => c,
            None => {
                let languages = site.languages.clone();
                let found: Arc<[Target]> = db
                    .run(move |conn| Ok(queries::targets(conn, &r, lang.as_deref(), &languages)?))
                    .await?
                    .into();
                self.targets.insert(key, found.clone());
                found
            }
        };
        Ok(first_visible(&candidates, now))
    }

    /// Which of `ids` name visible articles at `now`: through the same cache as
    /// [`Views::target`], the ids it does not hold read in one query.
    pub async fn visible_among(
        &self,
        db: &Db,
        ids: &[i64],
        now: NaiveDateTime,
    ) -> Result<HashSet<i64>, ApiError> {
        let mut visible = HashSet::new();
        let mut missing = Vec::new();
        for &id in ids {
            match self.targets.get(&TargetKey::Id(id)) {
                Some(c) => visible.extend(first_visible(&c, now)),
                None => missing.push(id),
            }
        }
        if missing.is_empty() {
            return Ok(visible);
        }
        let wanted = missing.clone();
        let found: HashMap<i64, Target> = db
            .run(move |conn| Ok(queries::published_among(conn, &wanted)?))
            .await?
            .into_iter()
            .map(|t| (t.id, t))
            .collect();
        for id in missing {
            let candidates: Arc<[Target]> = found.get(&id).copied().into_iter().collect();
            visible.extend(first_visible(&candidates, now));
            self.targets.insert(TargetKey::Id(id), candidates);
        }
        Ok(visible)
    }

    /// Forgets resolved articles (content changed).
    pub fn forget_targets(&self) {
        self.targets.invalidate_all();
    }

    /// Counts one view of `article` by `who` at `now`, unless it repeats one in the window or
    /// comes from a bot.
    pub fn record(
        &self,
        who: &Presented<'_>,
        user_agent: &str,
        article: i64,
        now: DateTime<Utc>,
    ) -> Outcome {
        let outcome = if self.is_bot(user_agent) {
            Outcome::Bot
        } else {
            let visitor = self.keys.visitor(who, now.date_naive());
            let second = u32::try_from(now.timestamp() - DEDUP_EPOCH).unwrap_or(0);
            if self.seen.first_in_window(visitor.key(article), second) {
                self.tally.add(article, hour_of(now));
                Outcome::Counted
            } else {
                Outcome::Repeat
            }
        };
        self.outcomes[outcome as usize].inc();
        outcome
    }

    /// What a response shows for an article whose stored total is `stored`: the stored total
    /// plus this process's views not yet in it; also this process's running count for the
    /// article, which tells a cached response when it is out of date.
    pub fn shown(&self, article: i64, stored: i64) -> (i64, u64) {
        self.tally.shown(article, stored)
    }

    /// All views counted here since start; read before rendering, it lets
    /// [`Views::unchanged`] skip the per-article check while no view was counted.
    pub fn counted_total(&self) -> u64 {
        self.tally.counted.load(Ordering::Acquire)
    }

    /// Whether every article's running count still equals the one recorded in a response
    /// rendered when [`Views::counted_total`] was `total`.
    pub fn unchanged(&self, total: u64, recorded: &[(i64, u64)]) -> bool {
        recorded.is_empty() || self.counted_total() == total || self.tally.unchanged(recorded)
    }

    /// Changes whenever a flush starts or ends; odd while one is under way. A response
    /// rendered across a change may show a flushed view twice or not at all, so it is not
    /// kept.
    pub fn flush_epoch(&self) -> u64 {
        self.tally.epoch.load(Ordering::Acquire)
    }

    /// Writes every counted view not yet written, in one transaction. On failure the views are
    /// kept for the next attempt. Returns how many views were written.
    pub async fn flush(&self, db: &Db) -> Result<u64, ApiError> {
        let _one_at_a_time = self.flushing.lock().await;
        self.remembered.set(self.seen.len() as i64);
        let batch = self.tally.begin_flush();
        if batch.is_empty() {
            self.tally.end_flush(Ok(&batch));
            return Ok(0);
        }
        let rows = batch.clone();
        let result = db
            .run(move |conn| {
                crate::db::transaction(conn, |c| queries::apply(c, &rows)).map_err(ApiError::from)
            })
            .await;
        match result {
            Ok(()) => {
                let n = batch.iter().map(|d| d.views).sum::<i64>();
                self.tally.end_flush(Ok(&batch));
                Ok(n as u64)
            }
            Err(e) => {
                self.flush_errors.with_label_values(&[e.code()]).inc();
                self.tally.end_flush(Err(batch));
                Err(e)
            }
        }
    }

    /// Views counted here and not yet written.
    pub fn pending(&self) -> i64 {
        self.tally.pending()
    }

    pub fn dedup(&self) -> &Seen {
        &self.seen
    }
}

/// The start of the hour holding `t`, as stored in the hourly buckets.
pub fn hour_of(t: DateTime<Utc>) -> NaiveDateTime {
    t.naive_utc()
        .duration_trunc(TimeDelta::hours(1))
        .expect("an hour is a valid truncation span")
}

/// What a cached resolution is keyed by: an id names one article whatever the language, a
/// slug names one per language. Ids, the beacons' usual reference, need no allocation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum TargetKey {
    Id(i64),
    Slug(Box<str>),
}

fn target_key(r: &Ref, lang: Option<&str>) -> TargetKey {
    match r {
        Ref::Id(id) => TargetKey::Id(*id),
        Ref::Slug(slug) => TargetKey::Slug(format!("{slug}/{}", lang.unwrap_or("")).into()),
    }
}

/// The first candidate (in language order) whose publish time has come.
fn first_visible(candidates: &[Target], now: NaiveDateTime) -> Option<i64> {
    candidates
        .iter()
        .find(|t| t.published_at <= now)
        .map(|t| t.id)
}

/// Views of one article in one hour, to be added to the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delta {
    pub article: i64,
    pub hour: NaiveDateTime,
    pub views: i64,
}

/// This process's counted views: those waiting for a flush and, per article, those not yet in
/// the database (waiting or being written) and all counted since start. Sharded by article so
/// that workers counting views of different articles do not wait for each other.
struct Tally {
    shards: Box<[Mutex<TallyInner>]>,
    epoch: AtomicU64,
    /// Views counted since start, all articles: while it has not moved, nothing shown has.
    counted: AtomicU64,
}

const TALLY_SHARDS: usize = 16;

impl Default for Tally {
    fn default() -> Self {
        Self {
            shards: (0..TALLY_SHARDS).map(|_| Mutex::default()).collect(),
            epoch: AtomicU64::new(0),
            counted: AtomicU64::new(0),
        }
    }
}

#[derive(Default)]
struct TallyInner {
    waiting: HashMap<(i64, NaiveDateTime), i64>,
    articles: HashMap<i64, ArticleTally>,
}

#[derive(Default, Clone, Copy)]
struct ArticleTally {
    unwritten: i64,
    counted: u64,
}

impl Tally {
    fn shard(&self, article: i64) -> std::sync::MutexGuard<'_, TallyInner> {
        self.shards[article.rem_euclid(TALLY_SHARDS as i64) as usize]
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    fn add(&self, article: i64, hour: NaiveDateTime) {
        let mut t = self.shard(article);
        *t.waiting.entry((article, hour)).or_default() += 1;
        let a = t.articles.entry(article).or_default();
        a.unwritten += 1;
        a.counted += 1;
        self.counted.fetch_add(1, Ordering::AcqRel);
    }

    fn shown(&self, article: i64, stored: i64) -> (i64, u64) {
        let a = self
            .shard(article)
            .articles
            .get(&article)
            .copied()
            .unwrap_or_default();
        (stored + a.unwritten, a.counted)
    }

    fn unchanged(&self, recorded: &[(i64, u64)]) -> bool {
        recorded
            .iter()
            .all(|(id, n)| self.shard(*id).articles.get(id).map_or(0, |a| a.counted) == *n)
    }

    fn pending(&self) -> i64 {
        self.shards
            .iter()
            .map(|s| {
                let s = s.lock().unwrap_or_else(|p| p.into_inner());
                s.articles.values().map(|a| a.unwritten).sum::<i64>()
            })
            .sum()
    }

    /// Takes the waiting views, ordered by article and hour (every process locks rows in the
    /// same order, so concurrent flushes cannot deadlock).
    fn begin_flush(&self) -> Vec<Delta> {
        self.epoch.fetch_add(1, Ordering::AcqRel);
        let mut batch = Vec::new();
        for shard in &self.shards {
            let waiting =
                std::mem::take(&mut shard.lock().unwrap_or_else(|p| p.into_inner()).waiting);
            batch.extend(waiting.into_iter().map(|((article, hour), views)| Delta {
                article,
                hour,
                views,
            }));
        }
        batch.sort_by_key(|d| (d.article, d.hour));
        batch
    }

    /// Written: the views are in the database now. Failed: they wait for the next flush.
    fn end_flush(&self, result: Result<&[Delta], Vec<Delta>>) {
        match result {
            Ok(written) => {
                for d in written {
                    if let Some(a) = self.shard(d.article).articles.get_mut(&d.article) {
                        a.unwritten -= d.views;
                    }
                }
            }
            Err(failed) => {
                for d in failed {
                    *self
                        .shard(d.article)
                        .waiting
                        .entry((d.article, d.hour))
                        .or_default() += d.views;
                }
            }
        }
        self.epoch.fetch_add(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn tally_shows_unwritten_views_until_written() {
        let tally = Tally::default();
        let t = Utc.with_ymd_and_hms(2026, 11, 27, 10, 59, 59).unwrap();
        tally.add(1, hour_of(t));
        tally.add(1, hour_of(t + chrono::Duration::seconds(1)));
        tally.add(2, hour_of(t));
        assert_eq!(tally.shown(1, 10), (12, 2));
        let batch = tally.begin_flush();
        assert_eq!(batch.len(), 3, "two hours of article 1, one of article 2");
        assert_eq!(tally.epoch.load(Ordering::Acquire) % 2, 1);
        assert_eq!(
            tally.shown(1, 10),
            (12, 2),
            "still unwritten while in flight"
        );
        tally.end_flush(Err(batch));
        assert_eq!(tally.pending(), 3);
        let batch = tally.begin_flush();
        tally.end_flush(Ok(&batch));
        assert_eq!(tally.shown(1, 12), (12, 2));
        assert_eq!(tally.pending(), 0);
        assert!(tally.unchanged(&[(1, 2), (2, 1), (3, 0)]));
        assert!(!tally.unchanged(&[(1, 1)]));
    }
}
