//! The article life cycle (draft, scheduled, published, unpublished, archived, deleted) as readers
//! and the change feed see it.

use std::collections::BTreeSet;

use chrono::Duration;
use serde_json::{Value, json};

use crate::common::{Api, TestCtx, get};

both_backends!(
    lifecycle_and_change_feed,
    replaying_changes_yields_the_public_set,
    deleted_articles_have_no_sub_resources,
);

/// Replays the change feed from `since` to its end: `(type, id)` currently held.
async fn replay<S, B>(app: &S, held: &mut BTreeSet<(String, i64)>, since: Option<String>) -> String
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let mut cursor = since;
    loop {
        let uri = match &cursor {
            Some(c) => format!("/api/v1/changes?limit=7&since={c}"),
            None => "/api/v1/changes?limit=7".to_string(),
        };
        let r = get(app, &uri).await;
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        let body = r.json();
        for change in body["data"].as_array().unwrap() {
            let key = (
                change["type"].as_str().unwrap().to_string(),
                change["id"].as_i64().unwrap(),
            );
            match change["kind"].as_str().unwrap() {
                "upsert" => held.insert(key),
                "delete" => held.remove(&key),
                other => panic!("kind {other}"),
            };
        }
        cursor = Some(body["meta"]["next_cursor"].as_str().unwrap().to_string());
        if !body["meta"]["has_more"].as_bool().unwrap() {
            return cursor.unwrap();
        }
    }
}

fn public_articles_in(held: &BTreeSet<(String, i64)>) -> Vec<i64> {
    held.iter()
        .filter(|(t, _)| t == "article")
        .map(|(_, id)| *id)
        .collect()
}

async fn lifecycle_and_change_feed(t: TestCtx) {
    t.section("world", &[("en", "World")], 1);
    let (editor_id, _) = t.signed_in("editor@example.com", "editor");
    // The clock moves far below and tokens live 15 minutes: each call gets a fresh one.
    let editor = || t.token_for(editor_id);
    let app = t.app().await;
    let settle = || t.clock.advance(Duration::seconds(3));
    let mut held = BTreeSet::new();
    let cursor = replay(&app, &mut held, None).await;

    // Draft: invisible, not in the feed.
    let r = app
        .by(&editor())
        .post(
            "/api/v1/articles",
            json!({"title": "Budget vote", "lang": "en", "section": "world"}),
        )
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(
        r.header("location").unwrap(),
        format!("/api/v1/articles/{}", r.json()["id"])
    );
    let id = r.json()["id"].as_i64().unwrap();
    assert_eq!(r.json()["status"], "draft");
    get(&app, &format!("/api/v1/articles/{id}"))
        .await
        .assert_problem(404, "not_found");
    settle();
    let cursor = replay(&app, &mut held, Some(cursor)).await;
    assert!(public_articles_in(&held).is_empty());

    // Scheduled 10 minutes ahead: invisible, and not in the feed, until its time.
    let at = (t.clock.now() + Duration::minutes(10)).to_rfc3339();
    let r = app
        .by(&editor())
        .post(&format!("/api/v1/articles/{id}/publish"), json!({"at": at}))
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["status"], "scheduled");
    get(&app, &format!("/api/v1/articles/{id}"))
        .await
        .assert_problem(404, "not_found");
    assert!(get(&app, "/api/v1/articles").await.ids().is_empty());
    settle();
    let cursor = replay(&app, &mut held, Some(cursor)).await;
    assert!(
        public_articles_in(&held).is_empty(),
        "not announced before its time"
    );

    // Its time comes: visible, and announced, with no job having run.
    t.clock.advance(Duration::minutes(10));
    assert_eq!(
        get(&app, &format!("/api/v1/articles/{id}")).await.status,
        200
    );
    assert_eq!(get(&app, "/api/v1/articles").await.ids(), vec![id]);
    settle();
    let cursor = replay(&app, &mut held, Some(cursor)).await;
    assert_eq!(public_articles_in(&held), vec![id]);

    // Unpublished: gone publicly, and a delete in the feed.
    let r = app
        .by(&editor())
        .post(&format!("/api/v1/articles/{id}/unpublish"), None)
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["status"], "draft");
    get(&app, &format!("/api/v1/articles/{id}"))
        .await
        .assert_problem(404, "not_found");
    settle();
    let cursor = replay(&app, &mut held, Some(cursor)).await;
    assert!(public_articles_in(&held).is_empty());

    // Published now, then archived: upsert then delete.
    assert_eq!(
        app.by(&editor())
            .post(&format!("/api/v1/articles/{id}/publish"), None)
            .await
            .status,
        200
    );
    settle();
    let cursor = replay(&app, &mut held, Some(cursor)).await;
    assert_eq!(public_articles_in(&held), vec![id]);
    let r = app
        .by(&editor())
        .post(&format!("/api/v1/articles/{id}/archive"), None)
        .await;
    assert_eq!(r.json()["status"], "archived");
    settle();
    let cursor = replay(&app, &mut held, Some(cursor)).await;
    assert!(public_articles_in(&held).is_empty());

    // Republished and deleted: a tombstone.
    app.by(&editor())
        .post(&format!("/api/v1/articles/{id}/publish"), None)
        .await;
    settle();
    let cursor = replay(&app, &mut held, Some(cursor)).await;
    assert_eq!(public_articles_in(&held), vec![id]);
    assert_eq!(
        app.by(&editor())
            .delete(&format!("/api/v1/articles/{id}"))
            .await
            .status,
        204
    );
    get(&app, &format!("/api/v1/articles/{id}"))
        .await
        .assert_problem(404, "not_found");
    app.by(&editor())
        .patch(&format!("/api/v1/articles/{id}"), json!({"title": "x"}))
        .await
        .assert_problem(404, "not_found");
    settle();
    let _ = replay(&app, &mut held, Some(cursor)).await;
    assert!(public_articles_in(&held).is_empty());

    // A schedule withdrawn before its time is never announced at all.
    let r = app
        .by(&editor())
        .post(
            "/api/v1/articles",
            json!({"title": "Never mind", "lang": "en", "section": "world"}),
        )
        .await;
    let id2 = r.json()["id"].as_i64().unwrap();
    let at = (t.clock.now() + Duration::minutes(5)).to_rfc3339();
    app.by(&editor())
        .post(
            &format!("/api/v1/articles/{id2}/publish"),
            json!({"at": at}),
        )
        .await;
    app.by(&editor())
        .post(&format!("/api/v1/articles/{id2}/unpublish"), None)
        .await;
    t.clock.advance(Duration::minutes(10));
    let mut fresh = BTreeSet::new();
    replay(&app, &mut fresh, None).await;
    assert!(public_articles_in(&fresh).is_empty(), "{fresh:?}");
    // Changes are listed only after the settle delay.
    let r = app
        .by(&editor())
        .post(&format!("/api/v1/articles/{id2}/publish"), None)
        .await;
    assert_eq!(r.status, 200);
    let mut now_view = BTreeSet::new();
    replay(&app, &mut now_view, None).await;
    assert!(
        public_articles_in(&now_view).is_empty(),
        "listed only after NEWSDESK_CHANGES_DELAY"
    );
    settle();
    replay(&app, &mut now_view, None).await;
    assert_eq!(public_articles_in(&now_view), vec![id2]);
    // Bad cursors are 400s.
    get(&app, "/api/v1/changes?since=nope")
        .await
        .assert_problem(400, "invalid_cursor");
    get(&app, "/api/v1/changes?limit=0")
        .await
        .assert_problem(400, "invalid_parameter");
}

async fn replaying_changes_yields_the_public_set(t: TestCtx) {
    let (editor_id, _) = t.signed_in("editor@example.com", "editor");
    let editor = || t.token_for(editor_id);
    let app = t.app().await;
    let post = async |uri: &str, body: Value| app.by(&editor()).post(uri, body).await;
    post("/api/v1/sections", json!({"names": {"en": "World"}})).await;
    post("/api/v1/sections", json!({"names": {"en": "Sport"}})).await;
    post("/api/v1/tags", json!({"name": "Energy"})).await;
    post("/api/v1/tags", json!({"name": "Doomed"})).await;
    post("/api/v1/authors", json!({"name": "Ann Lee"})).await;
    let mut ids = Vec::new();
    for i in 0..8 {
        let r = post("/api/v1/articles", json!({"title": format!("Story {i}"), "lang": "en", "section": if i % 2 == 0 { "world" } else { "sport" }, "tags": ["energy", "doomed"], "authors": ["ann-lee"]})).await;
        assert_eq!(r.status, 201);
        ids.push(r.json()["id"].as_i64().unwrap());
    }
    for (i, id) in ids.iter().enumerate() {
        let body = match i % 4 {
            0 => json!({}),
            1 => json!({"at": (t.clock.now() + Duration::minutes(30)).to_rfc3339()}),
            2 => json!({"at": (t.clock.now() + Duration::days(3)).to_rfc3339()}),
            _ => continue,
        };
        assert_eq!(
            post(&format!("/api/v1/articles/{id}/publish"), body)
                .await
                .status,
            200
        );
    }
    t.clock.advance(Duration::minutes(1));
    app.by(&editor())
        .patch(
            &format!("/api/v1/articles/{}", ids[0]),
            json!({"title": "Story 0, updated"}),
        )
        .await;
    app.by(&editor())
        .delete(&format!("/api/v1/articles/{}", ids[4]))
        .await;
    app.by(&editor()).delete("/api/v1/tags/doomed").await;
    t.clock.advance(Duration::minutes(40));

    let mut held = BTreeSet::new();
    replay(&app, &mut held, None).await;
    // What is public now, read from the public API.
    let mut public: BTreeSet<(String, i64)> = BTreeSet::new();
    for id in get(&app, "/api/v1/articles?limit=100").await.ids() {
        public.insert(("article".into(), id));
    }
    for (kind, list) in [
        ("section", "/api/v1/sections?limit=100"),
        ("tag", "/api/v1/tags?limit=100"),
        ("author", "/api/v1/authors?limit=100"),
    ] {
        for id in get(&app, list).await.ids() {
            public.insert((kind.into(), id));
        }
    }
    public.insert(("site".into(), 1));
    assert_eq!(
        held, public,
        "replaying /changes must yield exactly the public content"
    );
    assert_eq!(
        public_articles_in(&held).len(),
        3,
        "ids 0 and 1 public, 4 deleted, 2/6 days ahead, 3/7 drafts... {held:?}"
    );
}

/// A deleted article is gone with everything under it.
async fn deleted_articles_have_no_sub_resources(t: TestCtx) {
    t.section("world", &[("en", "World")], 1);
    let (_, editor) = t.signed_in("editor@example.com", "editor");
    let app = t.app().await;
    let id = app
        .by(&editor)
        .post(
            "/api/v1/articles",
            json!({"title": "Short-lived", "lang": "en", "section": "world"}),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let revisions = format!("/api/v1/articles/{id}/revisions");
    assert_eq!(app.by(&editor).get(&revisions).await.status, 200);
    let r = app
        .by(&editor)
        .delete(&format!("/api/v1/articles/{id}"))
        .await;
    assert_eq!(r.status, 204);
    for uri in [
        revisions.clone(),
        format!("{revisions}/1"),
        format!("/api/v1/articles/{id}"),
    ] {
        app.by(&editor)
            .get(&uri)
            .await
            .assert_problem(404, "not_found");
    }
    for uri in [
        format!("/api/v1/articles/{id}/related"),
        format!("/api/v1/articles/{id}"),
    ] {
        get(&app, &uri).await.assert_problem(404, "not_found");
    }
}
