//! Draft preview links: who may make them, what they show, expiry on the manual clock,
//! revocation, tampering, and that a preview never shows up anywhere public.

use chrono::Duration;
use serde_json::json;

use super::writer_draft;
use crate::common::{Api, TestCtx, get};

both_backends!(
    preview_links_by_role,
    previews_show_the_draft_until_they_expire_or_are_revoked,
);

async fn preview_links_by_role(t: TestCtx) {
    let s = t.section("world", &[("en", "World")], 1);
    let (writer_id, writer) = t.signed_in("writer@example.com", "writer");
    let (_, other) = t.signed_in("other@example.com", "writer");
    let (_, editor) = t.signed_in("editor@example.com", "editor");
    let (_, admin) = t.signed_in("admin@example.com", "admin");
    let draft = writer_draft(&t, s, writer_id, "Own draft");
    let published = t.published("Out already", s, 30);
    let app = t.app().await;
    // (who, token, on the writer's draft, on a published article)
    let cases: [(&str, Option<&str>, u16, u16); 5] = [
        ("anonymous", None, 401, 401),
        ("writer", Some(&writer), 201, 403),
        ("other writer", Some(&other), 403, 403),
        ("editor", Some(&editor), 201, 201),
        ("admin", Some(&admin), 201, 201),
    ];
    for (who, token, on_draft, on_published) in cases {
        for (article, expected) in [(draft, on_draft), (published, on_published)] {
            let path = format!("/api/v1/articles/{article}/preview");
            let r = app.caller(token).post(&path, None).await;
            assert_eq!(r.status, expected, "{who} on {article}: {:?}", r.body);
            let list = app.caller(token).get(&path).await;
            let listed = if expected == 201 { 200 } else { expected };
            assert_eq!(list.status, listed, "{who} listing {article}");
        }
    }
    let r = app
        .by(&editor)
        .post("/api/v1/articles/999999/preview", None)
        .await;
    r.assert_problem(404, "not_found");
    for hours in [0, 721] {
        let r = app
            .by(&editor)
            .post(
                &format!("/api/v1/articles/{draft}/preview"),
                json!({"expires_in_hours": hours}),
            )
            .await;
        r.assert_problem(422, "validation_failed");
    }
}

async fn previews_show_the_draft_until_they_expire_or_are_revoked(t: TestCtx) {
    let s = t.section("world", &[("en", "World")], 1);
    let (writer_id, writer) = t.signed_in("writer@example.com", "writer");
    let draft = writer_draft(&t, s, writer_id, "Secret draft");
    let app = t.app().await;
    let r = app
        .by(&writer)
        .patch(
            &format!("/api/v1/articles/{draft}"),
            json!({"title": "Secret draft, edited", "body": "The *latest* words."}),
        )
        .await;
    assert_eq!(r.status, 200);
    let made = app
        .by(&writer)
        .post(
            &format!("/api/v1/articles/{draft}/preview"),
            json!({"expires_in_hours": 2}),
        )
        .await;
    assert_eq!(made.status, 201, "{}", String::from_utf8_lossy(&made.body));
    let link = made.json();
    let token = link["token"].as_str().unwrap().to_string();
    let url = link["url"].as_str().unwrap();
    assert_eq!(
        url,
        format!("https://news.example.com/api/v1/preview/{token}")
    );
    assert_eq!(link["expires_at"], "2026-03-01T14:00:00Z");
    let path = format!("/api/v1/preview/{token}");

    // Anyone holding the link sees the latest state in the public shape; nothing caches it.
    let shown = get(&app, &path).await;
    assert_eq!(shown.status, 200);
    assert_eq!(shown.header("cache-control").as_deref(), Some("no-store"));
    assert_eq!(shown.header("x-robots-tag").as_deref(), Some("noindex"));
    let article = shown.json();
    assert_eq!(article["id"], draft);
    assert_eq!(article["title"], "Secret draft, edited");
    assert_eq!(article["status"], "draft");
    assert!(
        article["body_html"]
            .as_str()
            .unwrap()
            .contains("<em>latest</em>")
    );
    assert!(
        article.get("body_md").is_none(),
        "the public shape, not the editorial one"
    );

    // Never public anywhere else.
    let feed = get(&app, "/api/v1/articles").await;
    assert!(!feed.ids().contains(&draft));
    assert_eq!(
        get(&app, &format!("/api/v1/articles/{draft}")).await.status,
        404
    );
    let search = get(&app, "/api/v1/search?q=secret").await;
    assert_eq!(search.json()["meta"]["total"], 0, "{}", search.json());
    let changes = get(&app, "/api/v1/changes").await.json();
    let articles_changed = changes["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["type"] == "article")
        .count();
    assert_eq!(articles_changed, 0, "{changes}");
    let views = get(&app, &format!("/api/v1/views?ids={draft}")).await;
    assert!(views.status.is_success() || views.status == 404);

    // Tampered tokens show nothing.
    let mut tampered = token.clone();
    tampered.replace_range(0..1, if token.starts_with('A') { "B" } else { "A" });
    for bad in [
        tampered.as_str(),
        "x",
        "../articles/1",
        &format!("{token}x"),
    ] {
        let r = get(&app, &format!("/api/v1/preview/{bad}")).await;
        assert_eq!(r.status, 404, "{bad}");
    }

    // Listed for the editors (without the token), revoked at once.
    let second = app
        .by(&writer)
        .post(&format!("/api/v1/articles/{draft}/preview"), None)
        .await
        .json();
    let list = app
        .by(&writer)
        .get(&format!("/api/v1/articles/{draft}/preview"))
        .await
        .json();
    let listed: Vec<i64> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        listed,
        [second["id"].as_i64().unwrap(), link["id"].as_i64().unwrap()]
    );
    assert!(!list.to_string().contains(&token));
    let revoke = format!("/api/v1/articles/{draft}/preview/{}", second["id"]);
    assert_eq!(app.by(&writer).delete(&revoke).await.status, 204);
    assert_eq!(app.by(&writer).delete(&revoke).await.status, 404);
    let second_path = format!("/api/v1/preview/{}", second["token"].as_str().unwrap());
    assert_eq!(get(&app, &second_path).await.status, 404, "revoked");
    assert_eq!(
        get(&app, &path).await.status,
        200,
        "the other link still works"
    );

    // Expiry, on the manual clock.
    t.clock.advance(Duration::minutes(119));
    assert_eq!(get(&app, &path).await.status, 200);
    t.clock.advance(Duration::minutes(2));
    assert_eq!(get(&app, &path).await.status, 404, "expired");
    // The writer's access token expired meanwhile too.
    let writer = t.token_for(writer_id);
    let list = app
        .by(&writer)
        .get(&format!("/api/v1/articles/{draft}/preview"))
        .await
        .json();
    assert_eq!(list["data"], json!([]));

    // A deleted article's links show nothing.
    let fresh = app
        .by(&writer)
        .post(&format!("/api/v1/articles/{draft}/preview"), None)
        .await
        .json();
    let fresh_path = format!("/api/v1/preview/{}", fresh["token"].as_str().unwrap());
    assert_eq!(get(&app, &fresh_path).await.status, 200);
    assert_eq!(
        app.by(&writer)
            .delete(&format!("/api/v1/articles/{draft}"))
            .await
            .status,
        204
    );
    assert_eq!(get(&app, &fresh_path).await.status, 404);
}
