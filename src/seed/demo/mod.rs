//! `seed --demo`: a made-up newsroom, the "Caspian Courier". Every name, company and quote in
//! it is invented. Stories are written as templates and filled with different places, firms
//! and figures, so 300+ distinct articles come from a few dozen texts; some appear in two or
//! three languages, linked as translations.

use std::collections::HashSet;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{RngExt, SeedableRng};

use super::taxonomy::{self, Taxonomy};
use super::{Draft, prepare, unique_slug};
use crate::articles::queries as article_queries;
use crate::db::schema::articles;
use crate::db::{Db, DbConnection};
use crate::domain::Status;
use crate::settings::queries as site_queries;

mod stories;

use stories::{AZ_EXTRA, CITIES, EN_EXTRA, ORGS, RU_EXTRA, SOURCES, STORIES};

/// Loads the demo newsroom. Returns a one-line report.
pub fn demo(db: &Db, force: bool, now: NaiveDateTime) -> anyhow::Result<String> {
    let mut conn = db.get().map_err(|e| anyhow::anyhow!("{e}"))?;
    prepare(&mut conn, force)?;
    let counts = conn.transaction::<_, anyhow::Error, _>(|c| {
        taxonomy::site_settings(c, now)?;
        let tax = taxonomy::create(c, now)?;
        let counts = articles(c, &tax, now)?;
        crate::changes::queries::rebuild(c, now)?;
        site_queries::bump_content_version(c)?;
        Ok(counts)
    })?;
    Ok(format!(
        "demo newsroom loaded: {} articles ({} en, {} ru, {} az; {} drafts, {} scheduled, {} archived)",
        counts.total,
        counts.en,
        counts.ru,
        counts.az,
        counts.drafts,
        counts.scheduled,
        counts.archived
    ))
}

#[derive(Default)]
struct Counts {
    total: usize,
    en: usize,
    ru: usize,
    az: usize,
    drafts: usize,
    scheduled: usize,
    archived: usize,
}

fn fill(template: &str, city: &str, org: &str, n: u32, pct: &str) -> String {
    template
        .replace("{city}", city)
        .replace("{org}", org)
        .replace("{n}", &n.to_string())
        .replace("{pct}", pct)
}

const COPIES: usize = 9;

fn articles(conn: &mut DbConnection, tax: &Taxonomy, now: NaiveDateTime) -> anyhow::Result<Counts> {
    let mut rng = StdRng::seed_from_u64(2026);
    let mut taken = HashSet::new();
    let mut counts = Counts::default();
    for copy in 0..COPIES {
        for (index, story) in STORIES.iter().enumerate() {
            let city = CITIES[(copy + index) % CITIES.len()];
            let org = ORGS[(copy * 3 + index) % ORGS.len()];
            let n: u32 = rng.random_range(3..95);
            let pct = format!("{:.1}", rng.random_range(2.0..24.0_f64));
            let (status, published_at) = match (copy, index) {
                (0, 0..=3) => (Status::Draft, None),
                (0, 4..=6) => (
                    Status::Published,
                    Some(now + Duration::hours(rng.random_range(2..96))),
                ),
                (1, 0..=1) => (
                    Status::Archived,
                    Some(now - Duration::days(rng.random_range(60..90))),
                ),
                _ => (
                    Status::Published,
                    Some(now - Duration::minutes(rng.random_range(10..90 * 24 * 60))),
                ),
            };
            let featured = status == Status::Published && rng.random_bool(0.08);
            let section_id = tax.section(story.section);
            let mut tag_ids: Vec<i64> = story.tags.iter().filter_map(|t| tax.tag(t)).collect();
            if let Some((extra, _)) = tax.tags.choose(&mut rng)
                && !tag_ids.contains(extra)
            {
                tag_ids.push(*extra);
            }
            let first = tax.authors[(copy * 7 + index) % tax.authors.len()];
            let mut author_ids = vec![first];
            if rng.random_bool(0.25) {
                let second = tax.authors[(copy * 5 + index + 3) % tax.authors.len()];
                if second != first {
                    author_ids.push(second);
                }
            }
            let source = SOURCES.choose(&mut rng).map(|s| s.to_string());
            let views = if status == Status::Published && published_at.is_some_and(|p| p <= now) {
                rng.random_range(20..6_000)
            } else {
                0
            };

            let versions = [
                ("en", Some(&story.en), city.0, EN_EXTRA),
                ("ru", story.ru.as_ref(), city.1, RU_EXTRA),
                ("az", story.az.as_ref(), city.2, AZ_EXTRA),
            ];
            let has_translations = story.ru.is_some() || story.az.is_some();
            let mut group = None;
            for (offset, (lang, text, city, extra)) in versions.into_iter().enumerate() {
                let Some(text) = text else { continue };
                let title = fill(text.title, city, org, n, &pct);
                let mut body = fill(text.body, city, org, n, &pct);
                for k in 0..2 {
                    body.push_str("\n\n");
                    body.push_str(extra[(copy + index + k) % extra.len()]);
                }
                let slug = unique_slug(&mut taken, lang, &title);
                let draft = Draft {
                    lang,
                    lead: fill(text.lead, city, org, n, &pct),
                    title,
                    body_md: body,
                    section_id,
                    status,
                    published_at: published_at.map(|p| p + Duration::minutes(offset as i64 * 25)),
                    featured: featured && offset == 0,
                    views: views / (offset as i64 + 1),
                    source: source.clone(),
                    cover: Some((
                        format!("https://cdn.example.com/demo/{slug}.jpg"),
                        format!("{city}. Illustrative photo"),
                        "Yusif Jafarli / Caspian Courier".to_string(),
                    )),
                    translation_group: group,
                };
                let id = article_queries::insert(
                    conn,
                    &draft.into_new(slug, now),
                    &author_ids,
                    &tag_ids,
                )?;
                if group.is_none() && has_translations {
                    diesel::update(articles::table.filter(articles::id.eq(id)))
                        .set(articles::translation_group.eq(id))
                        .execute(conn)?;
                    group = Some(id);
                }
                counts.total += 1;
                match lang {
                    "en" => counts.en += 1,
                    "ru" => counts.ru += 1,
                    _ => counts.az += 1,
                }
                match status {
                    Status::Draft => counts.drafts += 1,
                    Status::Archived => counts.archived += 1,
                    _ if published_at.is_some_and(|p| p > now) => counts.scheduled += 1,
                    _ => {}
                }
            }
        }
    }
    Ok(counts)
}
