//! Sections, authors and tags through the editorial API.

use serde_json::json;

use crate::common::{Api, TestCtx, get};

both_backends!(taxonomy_crud);

async fn taxonomy_crud(t: TestCtx) {
    let (_, editor) = t.signed_in("editor@example.com", "editor");
    let app = t.app().await;
    let r = app
        .by(&editor)
        .post(
            "/api/v1/sections",
            json!({"names": {"en": "World News", "ru": "Мир"}, "descriptions": {"en": "Abroad"}}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["slug"], "world-news");
    assert_eq!(r.json()["position"], 1);
    app.by(&editor)
        .post(
            "/api/v1/sections",
            json!({"names": {"ru": "Только русский"}}),
        )
        .await
        .assert_problem(422, "validation_failed");
    app.by(&editor)
        .post(
            "/api/v1/sections",
            json!({"names": {"en": "Dup"}, "slug": "world-news"}),
        )
        .await
        .assert_problem(409, "slug_taken");
    let r = app
        .by(&editor)
        .patch(
            "/api/v1/sections/world-news",
            json!({"names": {"ru": null, "az": "Dünya"}, "position": 5}),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json()["names"],
        json!({"en": "World News", "az": "Dünya"})
    );
    assert_eq!(
        get(&app, "/api/v1/sections/world-news?lang=az")
            .await
            .json()["name"],
        "Dünya"
    );
    app.by(&editor)
        .patch(
            "/api/v1/sections/world-news",
            json!({"names": {"en": null}}),
        )
        .await
        .assert_problem(422, "validation_failed");

    let author = app
        .by(&editor)
        .post(
            "/api/v1/authors",
            json!({"name": "Leyla Həsənli", "bio": "Economy."}),
        )
        .await;
    assert_eq!(author.json()["slug"], "leyla-hesenli");
    app.by(&editor)
        .post(
            "/api/v1/authors",
            json!({"name": "X", "avatar_url": "ftp://x"}),
        )
        .await
        .assert_problem(422, "validation_failed");
    let tag = app
        .by(&editor)
        .post("/api/v1/tags", json!({"name": "Нефть"}))
        .await;
    assert_eq!(tag.json()["slug"], "neft");
    let r = app.by(&editor).post("/api/v1/articles", json!({"title": "Oil", "lang": "en", "section": "world-news", "authors": ["leyla-hesenli"], "tags": ["neft"]})).await;
    let article = r.json()["id"].as_i64().unwrap();

    // In use: refused, naming why.
    let r = app.by(&editor).delete("/api/v1/sections/world-news").await;
    r.assert_problem(409, "in_use");
    assert!(r.json()["detail"].as_str().unwrap().contains("1 article"));
    app.by(&editor)
        .delete("/api/v1/authors/leyla-hesenli")
        .await
        .assert_problem(409, "in_use");
    // A tag can go: it is removed from the article.
    assert_eq!(
        app.by(&editor).delete("/api/v1/tags/neft").await.status,
        204
    );
    let a = app
        .by(&editor)
        .get(&format!("/api/v1/articles/{article}"))
        .await
        .json();
    assert_eq!(a["tags"], json!([]));
    // Once the article is deleted, its section and author can go too.
    app.by(&editor)
        .delete(&format!("/api/v1/articles/{article}"))
        .await;
    assert_eq!(
        app.by(&editor)
            .delete("/api/v1/authors/leyla-hesenli")
            .await
            .status,
        204
    );
    assert_eq!(
        app.by(&editor)
            .delete("/api/v1/sections/world-news")
            .await
            .status,
        204
    );
    get(&app, "/api/v1/sections/world-news")
        .await
        .assert_problem(404, "not_found");
}
