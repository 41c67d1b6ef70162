//! Sixteen clients at once against the real server: editors creating, patching, publishing
//! and deleting articles (some with the same title, so their slugs race), readers' view
//! beacons and reads. Nothing answers 5xx, every article a 201 announced is stored, and every
//! counted view reaches the database.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::common::TestCtx;
use crate::common::server::Server;
use newsdesk::db::schema::articles;

both_backends!(mixed_load_never_fails);

const CLIENTS: usize = 16;
const LOAD_FOR: Duration = Duration::from_secs(4);

/// What the clients saw.
#[derive(Default)]
struct Seen {
    /// Answers by operation and status.
    statuses: Mutex<HashMap<(&'static str, u16), u64>>,
    /// Answers of 500 and above, with their bodies.
    failures: Mutex<Vec<String>>,
    /// Ids answered 201 and not deleted since.
    created: Mutex<Vec<i64>>,
    counted_views: AtomicU64,
}

impl Seen {
    fn note(&self, op: &'static str, answer: Option<(u16, String)>) -> Option<(u16, Value)> {
        let Some((status, body)) = answer else {
            self.failures
                .lock()
                .unwrap()
                .push(format!("{op}: no answer"));
            return None;
        };
        *self
            .statuses
            .lock()
            .unwrap()
            .entry((op, status))
            .or_default() += 1;
        if status >= 500 {
            self.failures
                .lock()
                .unwrap()
                .push(format!("{op}: {status} {body}"));
        }
        Some((status, serde_json::from_str(&body).unwrap_or(Value::Null)))
    }
}

async fn mixed_load_never_fails(t: TestCtx) {
    let world = t.section("world", &[("en", "World")], 1);
    let seeded: Vec<i64> = (0..8)
        .map(|i| t.published(&format!("Seeded story {i}"), world, 10 + i))
        .collect();
    let editor = t.user("desk@example.com", "editor");
    let token = t.token_at(editor, Utc::now());
    let server = Server::start_with(
        &t.db.url.redacted(),
        &[
            ("NEWSDESK_VIEW_FLUSH_MS", "200"),
            ("NEWSDESK_JWT_SECRET", newsdesk::config::TEST_JWT_SECRET),
        ],
    );
    let seen = Arc::new(Seen::default());
    let stop = Arc::new(AtomicBool::new(false));

    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (client, seen, stop, seeded) = (
                server.client(Some(&token)),
                seen.clone(),
                stop.clone(),
                seeded.clone(),
            );
            std::thread::spawn(move || {
                let mut mine: Vec<i64> = Vec::new();
                let mut n = 0usize;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    match (n + c) % 6 {
                        0 => {
                            // Every third create shares its title with other clients'.
                            let title = if n.is_multiple_of(3) {
                                "Breaking: the same headline".to_string()
                            } else {
                                format!("Story {c}-{n}")
                            };
                            let body = json!({"title": title, "lang": "en", "section": "world",
                                "lead": "A lead.", "body": "Some **text**."});
                            if let Some((201, created)) = seen.note(
                                "create",
                                client.send("POST", "/api/v1/articles", Some(&body), &[]),
                            ) {
                                let id = created["id"].as_i64().expect("id");
                                mine.push(id);
                                seen.created.lock().unwrap().push(id);
                            }
                        }
                        1 => {
                            let id = if n.is_multiple_of(2) || mine.is_empty() {
                                seeded[n % seeded.len()]
                            } else {
                                mine[n % mine.len()]
                            };
                            let body = json!({"lead": format!("Lead {c}-{n}")});
                            seen.note(
                                "patch",
                                client.send(
                                    "PATCH",
                                    &format!("/api/v1/articles/{id}"),
                                    Some(&body),
                                    &[],
                                ),
                            );
                        }
                        2 => {
                            let id = mine.last().copied().unwrap_or(seeded[c % seeded.len()]);
                            seen.note(
                                "publish",
                                client.send(
                                    "POST",
                                    &format!("/api/v1/articles/{id}/publish"),
                                    None,
                                    &[],
                                ),
                            );
                        }
                        // Each client deletes its oldest own article as soon as it has one,
                        // so deletes happen even when a loaded machine allows few rounds.
                        3 if !mine.is_empty() => {
                            let id = mine.remove(0);
                            let answer = seen.note(
                                "delete",
                                client.send("DELETE", &format!("/api/v1/articles/{id}"), None, &[]),
                            );
                            if let Some((204, _)) = answer {
                                seen.created.lock().unwrap().retain(|x| *x != id);
                            }
                        }
                        4 | 3 => {
                            let id = seeded[n % seeded.len()];
                            let visitor = format!("reader-{c}-{n}");
                            let answer = seen.note(
                                "view",
                                client.send(
                                    "POST",
                                    &format!("/api/v1/articles/{id}/views"),
                                    None,
                                    &[("X-Visitor-Id", &visitor)],
                                ),
                            );
                            if let Some((202, body)) = answer
                                && body["counted"] == true
                            {
                                seen.counted_views.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                        _ => {
                            let path = if n.is_multiple_of(2) {
                                "/api/v1/articles?limit=5".to_string()
                            } else {
                                format!("/api/v1/articles/{}", seeded[n % seeded.len()])
                            };
                            seen.note("read", client.get(&path));
                        }
                    }
                }
            })
        })
        .collect();
    let started = Instant::now();
    std::thread::sleep(LOAD_FOR);
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().expect("client thread");
    }
    let elapsed = started.elapsed();
    let log = server.log_tail();
    // SIGTERM writes every counted view before the process exits.
    server.terminate();

    let statuses = seen.statuses.lock().unwrap().clone();
    let mut summary: Vec<_> = statuses.iter().collect();
    summary.sort();
    eprintln!("{:?} in {elapsed:?}: {summary:?}", t.backend());
    let failures = seen.failures.lock().unwrap().clone();
    assert!(
        failures.is_empty(),
        "answers of 500 and above: {failures:#?}\nthe server's log:\n{log}"
    );
    for op in ["create", "patch", "publish", "delete", "view", "read"] {
        assert!(
            statuses.keys().any(|(o, s)| *o == op && *s < 300),
            "no successful {op}: {summary:?}"
        );
    }

    // Every article a 201 announced (and no delete removed) is stored.
    let created = seen.created.lock().unwrap().clone();
    let stored: Vec<(i64, String)> = articles::table
        .filter(articles::id.eq_any(&created))
        .select((articles::id, articles::status))
        .load(&mut t.conn())
        .unwrap();
    assert_eq!(stored.len(), created.len(), "created articles missing");
    assert!(stored.iter().all(|(_, status)| status != "deleted"));

    // Every counted view is in the totals.
    let counted = seen.counted_views.load(Ordering::Relaxed) as i64;
    let total: i64 = articles::table
        .filter(articles::id.eq_any(&seeded))
        .select(articles::views)
        .load::<i64>(&mut t.conn())
        .unwrap()
        .iter()
        .sum();
    assert!(counted > 0);
    assert_eq!(total, counted, "stored view totals against counted beacons");
}
