//! The search index of real server processes: two processes on one database follow each
//! other's writes, and a process killed in the middle of writes restarts with an index that
//! holds exactly the published articles.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::common::TestCtx;
use crate::common::server::{Client, Server};
use newsdesk::config::TEST_JWT_SECRET;
use newsdesk::db::schema::articles;

both_backends!(
    two_processes_follow_each_other,
    killed_mid_write_restarts_consistent
);

/// Ids found by a search on `client`.
fn found(client: &Client, q: &str) -> Vec<i64> {
    let (status, body) = client
        .get(&format!("/api/v1/search?q={q}"))
        .expect("search answered");
    assert_eq!(status, 200, "{body}");
    let body: Value = serde_json::from_str(&body).unwrap();
    body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_i64().unwrap())
        .collect()
}

/// Creates and publishes an article titled `title`: its id.
fn publish(client: &Client, title: &str) -> Option<i64> {
    let body = json!({"title": title, "lang": "en", "section": "world",
        "lead": "A lead.", "body": format!("The story of {title}.")});
    let (status, created) = client.send("POST", "/api/v1/articles", Some(&body), &[])?;
    assert_eq!(status, 201, "{created}");
    let id = serde_json::from_str::<Value>(&created).unwrap()["id"]
        .as_i64()
        .unwrap();
    let (status, answer) =
        client.send("POST", &format!("/api/v1/articles/{id}/publish"), None, &[])?;
    assert_eq!(status, 200, "{answer}");
    Some(id)
}

fn editor_token(t: &TestCtx) -> String {
    let editor = t.user("desk@example.com", "editor");
    t.token_at(editor, Utc::now())
}

async fn two_processes_follow_each_other(t: TestCtx) {
    t.section("world", &[("en", "World")], 1);
    let token = editor_token(&t);
    // No response cache: what is measured is the index (a cached page would live up to a
    // second after a change made elsewhere, as every public answer does).
    let env = [
        ("NEWSDESK_JWT_SECRET", TEST_JWT_SECRET),
        ("NEWSDESK_CACHE_MB", "0"),
    ];
    let a = Server::start_with(&t.db.url.redacted(), &env);
    let b = Server::start_with(&t.db.url.redacted(), &env);
    let (on_a, on_b) = (a.client(Some(&token)), b.client(None));

    let id = publish(&on_a, "Zeppelin lands at the harbour").expect("published");
    assert_eq!(
        found(&on_a, "zeppelin"),
        vec![id],
        "A finds its own write at once"
    );
    let started = Instant::now();
    while found(&on_b, "zeppelin") != vec![id] {
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "B did not find A's article within 3 s; B's log:\n{}",
            b.log_tail()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!("B found A's article after {:?}", started.elapsed());

    let (status, _) = on_a
        .send(
            "POST",
            &format!("/api/v1/articles/{id}/unpublish"),
            None,
            &[],
        )
        .expect("unpublish answered");
    assert_eq!(status, 200);
    assert!(found(&on_a, "zeppelin").is_empty(), "gone from A at once");
    // B's index still has it for a moment; B never shows it.
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(3) {
        assert!(
            found(&on_b, "zeppelin").is_empty(),
            "B showed an unpublished article"
        );
    }
    a.terminate();
    b.terminate();
}

async fn killed_mid_write_restarts_consistent(t: TestCtx) {
    t.section("world", &[("en", "World")], 1);
    let token = editor_token(&t);
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().to_string_lossy().to_string();
    let env = [
        ("NEWSDESK_JWT_SECRET", TEST_JWT_SECRET),
        ("NEWSDESK_CACHE_MB", "0"),
        ("NEWSDESK_SEARCH_DIR", dir.as_str()),
    ];
    let server = Server::start_with(&t.db.url.redacted(), &env);
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (client, stop) = (server.client(Some(&token)), stop.clone());
            std::thread::spawn(move || {
                let mut n = 0;
                // Until the server dies under it.
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    if publish(&client, &format!("Quokka{w}x{n} report")).is_none() {
                        break;
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    server.signal("-KILL");
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.join().expect("writer thread");
    }
    drop(server);

    let server = Server::start_with(&t.db.url.redacted(), &env);
    let published: Vec<(i64, String)> = articles::table
        .filter(articles::status.eq("published"))
        .select((articles::id, articles::title))
        .load(&mut t.conn())
        .unwrap();
    assert!(published.len() > 4, "the writers published before the kill");
    let client = server.client(None);
    let (_, ready) = client.get("/readyz").unwrap();
    let ready: Value = serde_json::from_str(&ready).unwrap();
    assert_eq!(
        ready["search"]["documents"].as_u64(),
        Some(published.len() as u64),
        "the index holds exactly the published articles"
    );
    for (id, title) in &published {
        let word = title.split_whitespace().next().unwrap().to_lowercase();
        assert_eq!(found(&client, &word), vec![*id], "{title}");
    }
    eprintln!(
        "{} articles published before the kill, all found after the restart",
        published.len()
    );
    server.terminate();
}
