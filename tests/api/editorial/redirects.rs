//! Redirects: a published article's old slug keeps leading to it (a 301 from
//! `GET /articles/{old-slug}`, and `GET /redirects?path=`), without chains, giving way to a
//! live article of that slug; drafts leave none; editors list and delete them.

use serde_json::json;

use super::writer_draft;
use crate::common::{Api, TestCtx};

both_backends!(
    an_old_slug_leads_to_the_article,
    redirects_are_listed_and_deleted_by_editors,
);

async fn an_old_slug_leads_to_the_article(t: TestCtx) {
    let s = t.section("world", &[("en", "World")], 1);
    let (writer_id, _) = t.signed_in("writer@example.com", "writer");
    let (_, editor) = t.signed_in("editor@example.com", "editor");
    let id = t.article({
        let mut spec = crate::common::ArticleSpec::published(
            "Port expands",
            s,
            t.now() - chrono::Duration::minutes(5),
        );
        spec.slug = Some("port-expands".into());
        spec
    });
    let app = t.app().await;
    let api = app.by(&editor);
    let patch = |slug: &str| json!({"slug": slug});
    assert_eq!(
        api.patch(
            &format!("/api/v1/articles/{id}"),
            patch("port-expands-cargo")
        )
        .await
        .status,
        200
    );

    let r = app
        .anon()
        .get("/api/v1/redirects?path=/en/articles/port-expands/")
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let body = r.json();
    assert_eq!(body["path"], "/en/articles/port-expands");
    assert_eq!(
        body["location"],
        "https://news.example.com/en/articles/port-expands-cargo"
    );
    assert_eq!(body["location_path"], "/en/articles/port-expands-cargo");
    assert_eq!(body["article_id"], id);
    assert_eq!(body["status"], 301);
    assert!(r.header("etag").is_some(), "a public answer");

    let r = app.anon().get("/api/v1/articles/port-expands").await;
    assert_eq!(r.status, 301);
    assert_eq!(
        r.header("location").as_deref(),
        Some("/api/v1/articles/port-expands-cargo?lang=en")
    );
    let r = app
        .anon()
        .get("/api/v1/articles/port-expands-cargo?lang=en")
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["id"], id);

    // Renamed again: every old path leads straight to the newest (no chains).
    api.patch(
        &format!("/api/v1/articles/{id}"),
        patch("port-doubles-cargo"),
    )
    .await;
    for old in ["port-expands", "port-expands-cargo"] {
        let r = app
            .anon()
            .get(&format!("/api/v1/redirects?path=/en/articles/{old}"))
            .await;
        assert_eq!(
            r.json()["location_path"],
            "/en/articles/port-doubles-cargo",
            "{old}"
        );
    }
    // Back to an old slug: it is the article's own address again.
    api.patch(&format!("/api/v1/articles/{id}"), patch("port-expands"))
        .await;
    assert_eq!(
        app.anon().get("/api/v1/articles/port-expands").await.status,
        200
    );
    app.anon()
        .get("/api/v1/redirects?path=/en/articles/port-expands")
        .await
        .assert_problem(404, "not_found");
    let r = app.anon().get("/api/v1/articles/port-doubles-cargo").await;
    assert_eq!(r.status, 301);

    // Not public any more: the old paths lead nowhere; public again, they lead to it again.
    assert_eq!(
        api.post(&format!("/api/v1/articles/{id}/unpublish"), None)
            .await
            .status,
        200
    );
    app.anon()
        .get("/api/v1/articles/port-doubles-cargo")
        .await
        .assert_problem(404, "not_found");
    assert_eq!(
        api.post(&format!("/api/v1/articles/{id}/publish"), None)
            .await
            .status,
        200
    );
    assert_eq!(
        app.anon()
            .get("/api/v1/articles/port-doubles-cargo")
            .await
            .status,
        301
    );

    // A live article with an old slug wins over the redirect.
    let other = t.article({
        let mut spec = crate::common::ArticleSpec::published(
            "Other",
            s,
            t.now() - chrono::Duration::minutes(1),
        );
        spec.slug = Some("port-doubles-cargo".into());
        spec
    });
    let r = app.anon().get("/api/v1/articles/port-doubles-cargo").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["id"], other);

    // A draft's renames leave nothing behind.
    let draft = writer_draft(&t, s, writer_id, "Draft title");
    api.patch(&format!("/api/v1/articles/{draft}"), patch("draft-renamed"))
        .await;
    app.anon()
        .get("/api/v1/redirects?path=/en/articles/draft-title")
        .await
        .assert_problem(404, "not_found");
    app.anon()
        .get(&format!("/api/v1/redirects?path=/{}", "a".repeat(2_100)))
        .await
        .assert_problem(400, "invalid_parameter");
}

async fn redirects_are_listed_and_deleted_by_editors(t: TestCtx) {
    let s = t.section("world", &[("en", "World")], 1);
    let (_, writer) = t.signed_in("writer@example.com", "writer");
    let (_, editor) = t.signed_in("editor@example.com", "editor");
    let id = t.published("Budget passes", s, 10);
    let app = t.app().await;
    app.by(&editor)
        .patch(
            &format!("/api/v1/articles/{id}"),
            json!({"slug": "budget-passes-vote"}),
        )
        .await;
    app.anon()
        .get("/api/v1/redirects")
        .await
        .assert_problem(401, "missing_token");
    app.by(&writer)
        .get("/api/v1/redirects")
        .await
        .assert_problem(403, "forbidden");
    let list = app.by(&editor).get("/api/v1/redirects").await.json();
    assert_eq!(list["data"].as_array().unwrap().len(), 1, "{list}");
    let r = &list["data"][0];
    assert_eq!(r["path"], "/en/articles/budget-passes");
    assert_eq!(r["article_id"], id);
    assert_eq!(
        r["location"],
        "https://news.example.com/en/articles/budget-passes-vote"
    );
    let rid = r["id"].as_i64().unwrap();

    // A redirect to an article that is no longer public leads nowhere for now.
    let other = t.published("Harbour closes", s, 5);
    app.by(&editor)
        .patch(
            &format!("/api/v1/articles/{other}"),
            json!({"slug": "harbour-closes-for-winter"}),
        )
        .await;
    app.by(&editor)
        .post(&format!("/api/v1/articles/{other}/unpublish"), None)
        .await;
    let list = app.by(&editor).get("/api/v1/redirects").await.json();
    let rows = list["data"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{list}");
    assert_eq!(rows[0]["id"], rid);
    assert_eq!(
        rows[0]["location"],
        "https://news.example.com/en/articles/budget-passes-vote"
    );
    assert_eq!(rows[1]["path"], "/en/articles/harbour-closes");
    assert!(rows[1]["location"].is_null(), "{list}");

    app.by(&writer)
        .delete(&format!("/api/v1/redirects/{rid}"))
        .await
        .assert_problem(403, "forbidden");
    assert_eq!(
        app.by(&editor)
            .delete(&format!("/api/v1/redirects/{rid}"))
            .await
            .status,
        204
    );
    app.anon()
        .get("/api/v1/articles/budget-passes")
        .await
        .assert_problem(404, "not_found");
    app.by(&editor)
        .delete(&format!("/api/v1/redirects/{rid}"))
        .await
        .assert_problem(404, "not_found");
}
