//! The outbox: what a content write announces becomes delivery rows in the same transaction,
//! one per event and subscribed webhook. A committed change therefore always has its
//! deliveries, and a rolled-back one never has any.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::{Value, json};

use super::dto::{ArticleEventData, EntityEventData};
use super::events::{self, EVENTS};
use super::model::{NewDelivery, PENDING};
use super::queries;
use super::sign::new_message_id;
use crate::clock::utc;
use crate::db::DbConnection;
use crate::db::schema::{articles, authors, sections, tags};
use crate::domain::change::{ARTICLE, AUTHOR, SECTION, SITE, TAG};
use crate::domain::{Exposure, Status};

/// One event to announce: due at `due` (now, or a scheduled publish time).
#[derive(Debug, Clone)]
pub struct Event {
    pub name: &'static str,
    pub entity: &'static str,
    pub entity_id: i64,
    pub due: NaiveDateTime,
    pub data: Value,
}

impl Event {
    /// The body receivers get: `{"type", "timestamp", "data"}`, as Standard Webhooks suggests.
    pub fn payload(&self) -> String {
        json!({
            "type": self.name,
            "timestamp": utc(self.due).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "data": self.data,
        })
        .to_string()
    }
}

/// What changed for an entity that is not an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntityChange {
    Created,
    Updated,
    Deleted,
}

/// The events of an article's write, from its exposure before and after. Withdraws the
/// publish announcement an earlier schedule left waiting: what is true now replaces it.
pub fn article_moved(
    conn: &mut DbConnection,
    id: i64,
    before: Exposure,
    after: Exposure,
    now: NaiveDateTime,
) -> QueryResult<Vec<Event>> {
    queries::withdraw_scheduled(conn, id, now)?;
    if before == Exposure::Hidden && after == Exposure::Hidden {
        return Ok(Vec::new());
    }
    let Some((data, deleted)) = article_data(conn, id)? else {
        return Ok(Vec::new());
    };
    let (names, publish_at) = events::article_events(before, after, deleted);
    let mut out: Vec<Event> = names
        .into_iter()
        .map(|name| Event {
            name,
            entity: ARTICLE,
            entity_id: id,
            due: now,
            data: data.clone(),
        })
        .collect();
    if let Some(at) = publish_at {
        out.push(Event {
            name: "article.published",
            entity: ARTICLE,
            entity_id: id,
            due: at,
            data,
        });
    }
    Ok(out)
}

/// The event of a change to a section, author, tag, the site, or (a tag that went) an article.
pub fn entity_changed(
    conn: &mut DbConnection,
    change: EntityChange,
    entity: &'static str,
    id: i64,
    slug: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<Vec<Event>> {
    let verb = match change {
        EntityChange::Created => "created",
        EntityChange::Updated => "updated",
        EntityChange::Deleted => "deleted",
    };
    let data = match entity {
        ARTICLE => {
            let verb = if change == EntityChange::Deleted {
                "deleted"
            } else {
                "updated"
            };
            return Ok(article_data(conn, id)?
                .map(|(data, _)| Event {
                    name: event_name(ARTICLE, verb),
                    entity: ARTICLE,
                    entity_id: id,
                    due: now,
                    data,
                })
                .into_iter()
                .collect());
        }
        SITE => json!({}),
        _ => {
            let slug = match slug {
                Some(s) => Some(s.to_string()),
                None => entity_slug(conn, entity, id)?,
            };
            to_value(EntityEventData { id, slug })
        }
    };
    let name = if entity == SITE {
        "site.updated"
    } else {
        event_name(entity, verb)
    };
    Ok(vec![Event {
        name,
        entity,
        entity_id: id,
        due: now,
        data,
    }])
}

fn to_value(data: impl serde::Serialize) -> Value {
    serde_json::to_value(data).unwrap_or(Value::Null)
}

/// The listed event `entity.verb`.
fn event_name(entity: &str, verb: &str) -> &'static str {
    EVENTS
        .iter()
        .find(|e| e.split_once('.') == Some((entity, verb)))
        .copied()
        .unwrap_or("site.updated")
}

fn entity_slug(conn: &mut DbConnection, entity: &str, id: i64) -> QueryResult<Option<String>> {
    match entity {
        SECTION => sections::table
            .find(id)
            .select(sections::slug)
            .first(conn)
            .optional(),
        AUTHOR => authors::table
            .find(id)
            .select(authors::slug)
            .first(conn)
            .optional(),
        TAG => tags::table
            .find(id)
            .select(tags::slug)
            .first(conn)
            .optional(),
        _ => Ok(None),
    }
}

/// What receivers learn of an article: enough to find its page or purge it from a cache.
/// `None` when it does not exist; the flag says it is a tombstone (whose slug is the one it
/// had).
fn article_data(conn: &mut DbConnection, id: i64) -> QueryResult<Option<(Value, bool)>> {
    let row = articles::table
        .inner_join(sections::table)
        .filter(articles::id.eq(id))
        .select((
            articles::slug,
            articles::lang,
            articles::title,
            articles::status,
            articles::published_at,
            articles::updated_at,
            sections::slug,
        ))
        .first::<(
            String,
            String,
            String,
            String,
            Option<NaiveDateTime>,
            NaiveDateTime,
            String,
        )>(conn)
        .optional()?;
    Ok(row.map(
        |(slug, lang, title, status, published_at, updated_at, section)| {
            let deleted = status == Status::Deleted.as_str();
            let suffix = format!("--deleted-{id}");
            let slug = slug
                .strip_suffix(&suffix)
                .map(str::to_string)
                .unwrap_or(slug);
            let data = ArticleEventData {
                id,
                slug,
                lang,
                title,
                section,
                status,
                published_at: published_at.map(utc),
                updated_at: utc(updated_at),
            };
            (to_value(data), deleted)
        },
    ))
}

/// Writes a delivery per event and active subscription that selects it. Returns how many.
pub fn enqueue(
    conn: &mut DbConnection,
    events: &[Event],
    now: NaiveDateTime,
) -> QueryResult<usize> {
    if events.is_empty() {
        return Ok(0);
    }
    let subscriptions: Vec<(i64, Vec<String>)> = queries::active(conn)?
        .into_iter()
        .map(|(id, patterns)| (id, serde_json::from_str(&patterns).unwrap_or_default()))
        .collect();
    if subscriptions.is_empty() {
        return Ok(0);
    }
    let prepared: Vec<(String, String)> = events
        .iter()
        .map(|e| (new_message_id(), e.payload()))
        .collect();
    let mut rows = Vec::new();
    for (event, (message_id, payload)) in events.iter().zip(&prepared) {
        for (webhook, patterns) in &subscriptions {
            if events::selects(patterns, event.name) {
                rows.push(NewDelivery {
                    webhook_id: *webhook,
                    message_id,
                    event: event.name,
                    entity: event.entity,
                    entity_id: event.entity_id,
                    payload,
                    state: PENDING,
                    attempts: 0,
                    next_attempt_at: event.due,
                    created_at: now,
                });
            }
        }
    }
    queries::enqueue(conn, &rows)?;
    Ok(rows.len())
}
