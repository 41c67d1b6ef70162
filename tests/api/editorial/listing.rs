//! The editorial listing and single-article view: what each role sees.

use std::collections::BTreeSet;

use chrono::Duration;
use serde_json::json;

use super::writer_draft;
use crate::common::{self, Api, TestCtx};

both_backends!(editorial_listing_and_view);

async fn editorial_listing_and_view(t: TestCtx) {
    let s = t.section("world", &[("en", "World")], 1);
    let (writer_id, writer) = t.signed_in("writer@example.com", "writer");
    let (_, other) = t.signed_in("other@example.com", "writer");
    let (_, editor) = t.signed_in("editor@example.com", "editor");
    let draft = writer_draft(&t, s, writer_id, "Writer draft");
    let public = t.published("Public one", s, 30);
    t.article(common::ArticleSpec::published(
        "Later",
        s,
        t.now() + Duration::hours(2),
    ));
    let app = t.app().await;
    // Status without a token: 401; with a token: the editorial listing, not cacheable.
    app.anon()
        .get("/api/v1/articles?status=draft")
        .await
        .assert_problem(401, "missing_token");
    let r = app
        .by(&editor)
        .get("/api/v1/articles?status=draft,scheduled")
        .await;
    assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
    assert_eq!(r.ids().len(), 2);
    let statuses: BTreeSet<String> = r.json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        statuses,
        ["draft", "scheduled"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
    assert_eq!(
        app.by(&editor)
            .get("/api/v1/articles?status=any")
            .await
            .ids()
            .len(),
        3
    );
    assert_eq!(
        app.by(&writer)
            .get("/api/v1/articles?status=any")
            .await
            .ids(),
        vec![draft]
    );
    // With a token but no status: the public feed, marked private.
    let r = app.by(&writer).get("/api/v1/articles").await;
    assert_eq!(r.ids(), vec![public]);
    assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
    // The editorial view of one article.
    let r = app
        .by(&writer)
        .get(&format!("/api/v1/articles/{draft}"))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["status"], "draft");
    assert!(r.json()["body_md"].is_string());
    app.by(&other)
        .get(&format!("/api/v1/articles/{draft}"))
        .await
        .assert_problem(404, "not_found");
    assert_eq!(
        app.by(&editor)
            .get(&format!("/api/v1/articles/{draft}"))
            .await
            .status,
        200
    );
    assert_eq!(
        app.by(&other)
            .get(&format!("/api/v1/articles/{public}"))
            .await
            .status,
        200
    );
    assert_eq!(
        app.by(&editor)
            .get("/api/v1/articles/writer-draft")
            .await
            .json()["id"],
        draft
    );
    // Writers write as their author profile by default.
    let ann = t.author("Ann Lee");
    let (wid, _) = t.signed_in("ann@example.com", "writer");
    {
        use diesel::prelude::*;
        use newsdesk::db::schema::users;
        diesel::update(users::table.filter(users::id.eq(wid)))
            .set(users::author_id.eq(Some(ann)))
            .execute(&mut t.conn())
            .unwrap();
    }
    let token = t.token_for(wid);
    let r = app
        .by(&token)
        .post(
            "/api/v1/articles",
            json!({"title": "By Ann", "lang": "en", "section": "world"}),
        )
        .await;
    assert_eq!(r.json()["authors"][0]["id"], ann);
}
