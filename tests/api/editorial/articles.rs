//! Editing articles: revisions of every save, merge-patch semantics, slugs and translations.

use serde_json::{Value, json};

use crate::common::{Api, TestCtx, get};

both_backends!(
    revisions_keep_every_save,
    patch_semantics,
    slugs,
    translations,
);

async fn revisions_keep_every_save(t: TestCtx) {
    t.section("world", &[("en", "World")], 1);
    let (_, editor) = t.signed_in("editor@example.com", "editor");
    let app = t.app().await;
    let r = app
        .by(&editor)
        .post(
            "/api/v1/articles",
            json!({"title": "First title", "lang": "en", "section": "world", "body": "One."}),
        )
        .await;
    let id = r.json()["id"].as_i64().unwrap();
    assert_eq!(r.json()["revision"], 1);
    app.by(&editor)
        .patch(
            &format!("/api/v1/articles/{id}"),
            json!({"title": "Second title"}),
        )
        .await;
    let r = app
        .by(&editor)
        .patch(&format!("/api/v1/articles/{id}"), json!({"body": "Two."}))
        .await;
    assert_eq!(r.json()["revision"], 3);
    let list = app
        .by(&editor)
        .get(&format!("/api/v1/articles/{id}/revisions"))
        .await
        .json();
    let numbers: Vec<i64> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, vec![3, 2, 1]);
    assert_eq!(list["data"][2]["title"], "First title");
    let first = app
        .by(&editor)
        .get(&format!("/api/v1/articles/{id}/revisions/1"))
        .await
        .json();
    assert_eq!(first["state"]["title"], "First title");
    assert_eq!(first["state"]["body_md"], "One.");
    let third = app
        .by(&editor)
        .get(&format!("/api/v1/articles/{id}/revisions/3"))
        .await
        .json();
    assert_eq!(third["state"]["title"], "Second title");
    assert_eq!(third["state"]["body_md"], "Two.");
    app.by(&editor)
        .get(&format!("/api/v1/articles/{id}/revisions/4"))
        .await
        .assert_problem(404, "not_found");
}

async fn patch_semantics(t: TestCtx) {
    t.section("world", &[("en", "World")], 1);
    t.section("sport", &[("en", "Sport")], 2);
    t.tag("Energy");
    t.author("Ann Lee");
    let (_, editor) = t.signed_in("editor@example.com", "editor");
    let app = t.app().await;
    let r = app.by(&editor).post("/api/v1/articles", json!({
        "title": "Full story", "lang": "en", "section": "world", "lead": "A lead", "body": "**Bold** body text",
        "authors": ["ann-lee"], "tags": ["energy"], "source": "Agency", "featured": true,
        "cover": {"url": "https://cdn.example.com/a.jpg", "caption": "Cap", "credit": "Cred"}
    })).await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let a = r.json();
    let id = a["id"].as_i64().unwrap();
    assert_eq!(a["slug"], "full-story");
    assert_eq!(a["word_count"], 3);
    assert!(
        a["body_html"]
            .as_str()
            .unwrap()
            .contains("<strong>Bold</strong>")
    );
    // Absent fields stay.
    let r = app
        .by(&editor)
        .patch(
            &format!("/api/v1/articles/{id}"),
            json!({"featured": false}),
        )
        .await;
    let b = r.json();
    for field in [
        "title", "slug", "lead", "body_md", "source", "cover", "tags", "authors", "section",
    ] {
        assert_eq!(a[field], b[field], "{field} changed");
    }
    assert_eq!(b["featured"], false);
    // null clears; slug: null regenerates from the title.
    let r = app.by(&editor).patch(&format!("/api/v1/articles/{id}"), json!({
        "lead": null, "cover": null, "source": null, "tags": null, "authors": null, "title": "Renamed story", "slug": null, "section": "sport"
    })).await;
    let c = r.json();
    assert_eq!(c["lead"], "");
    assert_eq!(c["cover"], Value::Null);
    assert_eq!(c["source"], Value::Null);
    assert_eq!(c["tags"], json!([]));
    assert_eq!(c["authors"], json!([]));
    assert_eq!(c["slug"], "renamed-story");
    assert_eq!(c["section"]["slug"], "sport");
    // A title change alone keeps the slug (links stay stable).
    let r = app
        .by(&editor)
        .patch(
            &format!("/api/v1/articles/{id}"),
            json!({"title": "Third name"}),
        )
        .await;
    assert_eq!(r.json()["slug"], "renamed-story");
    // body: null clears the body and its renderings.
    let r = app
        .by(&editor)
        .patch(&format!("/api/v1/articles/{id}"), json!({"body": null}))
        .await;
    assert_eq!(r.json()["body_md"], "");
    assert_eq!(r.json()["word_count"], 0);
}

async fn slugs(t: TestCtx) {
    t.section("world", &[("en", "World")], 1);
    let (_, editor) = t.signed_in("editor@example.com", "editor");
    let app = t.app().await;
    let create = |title: &str, lang: &str| {
        let body = json!({"title": title, "lang": lang, "section": "world"});
        app.by(&editor).post("/api/v1/articles", body)
    };
    assert_eq!(
        create("Выборы в Баку", "ru").await.json()["slug"],
        "vybory-v-baku"
    );
    assert_eq!(
        create("Ərzaq qiymətləri bahalaşır", "az").await.json()["slug"],
        "erzaq-qiymetleri-bahalasir"
    );
    assert_eq!(
        create("Выборы в Баку", "ru").await.json()["slug"],
        "vybory-v-baku-2",
        "generated slugs get a suffix"
    );
    assert_eq!(
        create("Выборы в Баку", "en").await.json()["slug"],
        "vybory-v-baku",
        "unique per language"
    );
    assert_eq!(
        create("2026", "en").await.json()["slug"],
        "article-2026",
        "never all digits"
    );
    let r = create("Gone soon", "en").await;
    let id = r.json()["id"].as_i64().unwrap();
    app.by(&editor)
        .delete(&format!("/api/v1/articles/{id}"))
        .await;
    assert_eq!(
        create("Gone soon", "en").await.json()["slug"],
        "gone-soon",
        "a deleted article frees its slug"
    );
}

async fn translations(t: TestCtx) {
    t.section("world", &[("en", "World")], 1);
    let (_, editor) = t.signed_in("editor@example.com", "editor");
    let app = t.app().await;
    let post = |body: Value| app.by(&editor).post("/api/v1/articles", body);
    let en = post(json!({"title": "Port grows", "lang": "en", "section": "world"}))
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let ru = post(
        json!({"title": "Порт растёт", "lang": "ru", "section": "world", "translation_of": en}),
    )
    .await;
    assert_eq!(ru.status, 201, "{}", String::from_utf8_lossy(&ru.body));
    let ru = ru.json()["id"].as_i64().unwrap();
    let az = post(
        json!({"title": "Liman böyüyür", "lang": "az", "section": "world", "translation_of": ru}),
    )
    .await
    .json()["id"]
        .as_i64()
        .unwrap();
    let r = post(
        json!({"title": "Another English", "lang": "en", "section": "world", "translation_of": ru}),
    )
    .await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.json()["errors"][0]["code"], "translation_exists");
    post(json!({"title": "x", "lang": "en", "section": "world", "translation_of": 999999}))
        .await
        .assert_problem(422, "validation_failed");
    for id in [en, ru] {
        app.by(&editor)
            .post(&format!("/api/v1/articles/{id}/publish"), None)
            .await;
    }
    let public = get(&app, &format!("/api/v1/articles/{en}")).await.json();
    let langs: Vec<&str> = public["translations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["lang"].as_str().unwrap())
        .collect();
    assert_eq!(
        langs,
        vec!["ru"],
        "the unpublished az version is not public"
    );
    let editorial = app
        .by(&editor)
        .get(&format!("/api/v1/articles/{en}"))
        .await
        .json();
    assert_eq!(editorial["translations"].as_array().unwrap().len(), 2);
    // Unlinking.
    app.by(&editor)
        .patch(
            &format!("/api/v1/articles/{az}"),
            json!({"translation_of": null}),
        )
        .await;
    let editorial = app
        .by(&editor)
        .get(&format!("/api/v1/articles/{en}"))
        .await
        .json();
    assert_eq!(editorial["translations"].as_array().unwrap().len(), 1);
}
