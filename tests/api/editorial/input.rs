//! Bad input changes nothing: sanitized bodies, refused writes that store nothing, body limits,
//! and one 422 that names every field error.

use serde_json::{Value, json};

use crate::common::{self, Api, Resp, TestCtx, get};

both_backends!(
    bodies_are_sanitized,
    bad_input_changes_nothing,
    every_field_error_at_once,
);

async fn bodies_are_sanitized(t: TestCtx) {
    t.section("world", &[("en", "World")], 1);
    let (_, editor) = t.signed_in("editor@example.com", "editor");
    let app = t.app().await;
    let body = "Intro paragraph.\n\n<script>alert('x')</script>\n\n<img src=x onerror=\"alert(1)\">\n\n\
                [click me](javascript:alert(2)) and <a href=\"javascript:alert(3)\" onclick=\"alert(4)\">raw</a>\n\n\
                <iframe src=\"https://evil.example\"></iframe>\n\n\
                Some <b onmouseover=\"alert(5)\">bold</b> and [ok](https://news.example.com).";
    let r = app
        .by(&editor)
        .post(
            "/api/v1/articles",
            json!({"title": "XSS", "lang": "en", "section": "world", "body": body}),
        )
        .await;
    assert_eq!(r.status, 201);
    let id = r.json()["id"].as_i64().unwrap();
    app.by(&editor)
        .post(&format!("/api/v1/articles/{id}/publish"), None)
        .await;
    let html = get(&app, &format!("/api/v1/articles/{id}")).await.json()["body_html"]
        .as_str()
        .unwrap()
        .to_string();
    for bad in [
        "<script",
        "onerror",
        "onclick",
        "onmouseover",
        "javascript:",
        "<iframe",
        "alert(",
    ] {
        assert!(!html.contains(bad), "{bad} survived: {html}");
    }
    assert!(
        html.contains("<b>bold</b>") && html.contains("href=\"https://news.example.com\""),
        "{html}"
    );
    assert!(html.contains("rel=\"noopener noreferrer\""), "{html}");
    // The Markdown source is kept as written for editors.
    let r = app.by(&editor).get(&format!("/api/v1/articles/{id}")).await;
    assert_eq!(r.json()["body_md"], body);
}

async fn bad_input_changes_nothing(t: TestCtx) {
    t.section("world", &[("en", "World")], 1);
    let (_, editor) = t.signed_in("editor@example.com", "editor");
    let app = t.app().await;
    let r = app
        .by(&editor)
        .post(
            "/api/v1/articles",
            json!({"title": "Keep me", "lang": "en", "section": "world", "slug": "keep-me"}),
        )
        .await;
    let id = r.json()["id"].as_i64().unwrap();
    let snapshot = |r: Resp| {
        let mut v = r.json();
        v.as_object_mut().unwrap().remove("views");
        v
    };
    let before = snapshot(app.by(&editor).get(&format!("/api/v1/articles/{id}")).await);
    let count_before = app
        .by(&editor)
        .get("/api/v1/articles?status=any&limit=100")
        .await
        .ids()
        .len();

    let raw = |method: &'static str,
               uri: String,
               content_type: Option<&'static str>,
               body: &'static str| {
        let mut req = common::request(method, &uri, Some(&editor), None).set_payload(body);
        if let Some(ct) = content_type {
            req = req.insert_header(("Content-Type", ct));
        }
        req
    };
    let long_title = "x".repeat(301);
    let cases: Vec<(&str, actix_web::test::TestRequest, u16, &str, Option<&str>)> = vec![
        (
            "malformed JSON",
            raw(
                "POST",
                "/api/v1/articles".into(),
                Some("application/json"),
                "{\"title\": ",
            ),
            400,
            "malformed_json",
            None,
        ),
        (
            "trailing garbage",
            raw(
                "POST",
                "/api/v1/articles".into(),
                Some("application/json"),
                "{\"title\":\"x\",\"lang\":\"en\",\"section\":\"world\"} {}",
            ),
            400,
            "malformed_json",
            None,
        ),
        (
            "form body",
            raw(
                "POST",
                "/api/v1/articles".into(),
                Some("application/x-www-form-urlencoded"),
                "title=x",
            ),
            415,
            "unsupported_media_type",
            None,
        ),
        (
            "no content type",
            raw(
                "PATCH",
                format!("/api/v1/articles/{id}"),
                None,
                "{\"title\":\"x\"}",
            ),
            415,
            "unsupported_media_type",
            None,
        ),
        (
            "text/plain",
            raw(
                "PATCH",
                format!("/api/v1/articles/{id}"),
                Some("text/plain"),
                "{\"title\":\"x\"}",
            ),
            415,
            "unsupported_media_type",
            None,
        ),
        (
            "unknown field",
            common::request(
                "PATCH",
                &format!("/api/v1/articles/{id}"),
                Some(&editor),
                Some(json!({"titel": "typo"})),
            ),
            422,
            "validation_failed",
            Some("titel"),
        ),
        (
            "wrong type",
            common::request(
                "PATCH",
                &format!("/api/v1/articles/{id}"),
                Some(&editor),
                Some(json!({"title": 5})),
            ),
            422,
            "validation_failed",
            Some("title"),
        ),
        (
            "empty title",
            common::request(
                "PATCH",
                &format!("/api/v1/articles/{id}"),
                Some(&editor),
                Some(json!({"title": "   "})),
            ),
            422,
            "validation_failed",
            Some("title"),
        ),
        (
            "title over 300",
            common::request(
                "POST",
                "/api/v1/articles",
                Some(&editor),
                Some(json!({"title": long_title, "lang": "en", "section": "world"})),
            ),
            422,
            "validation_failed",
            Some("title"),
        ),
        (
            "unknown lang",
            common::request(
                "POST",
                "/api/v1/articles",
                Some(&editor),
                Some(json!({"title": "x", "lang": "fr", "section": "world"})),
            ),
            422,
            "validation_failed",
            Some("lang"),
        ),
        (
            "unknown section",
            common::request(
                "PATCH",
                &format!("/api/v1/articles/{id}"),
                Some(&editor),
                Some(json!({"section": "nowhere"})),
            ),
            422,
            "validation_failed",
            Some("section"),
        ),
        (
            "unknown tag",
            common::request(
                "PATCH",
                &format!("/api/v1/articles/{id}"),
                Some(&editor),
                Some(json!({"tags": ["nope"]})),
            ),
            422,
            "validation_failed",
            Some("tags[0]"),
        ),
        (
            "missing section",
            common::request(
                "POST",
                "/api/v1/articles",
                Some(&editor),
                Some(json!({"title": "x", "lang": "en"})),
            ),
            422,
            "validation_failed",
            Some("section"),
        ),
        (
            "bad slug",
            common::request(
                "PATCH",
                &format!("/api/v1/articles/{id}"),
                Some(&editor),
                Some(json!({"slug": "Not A Slug"})),
            ),
            422,
            "validation_failed",
            Some("slug"),
        ),
        (
            "numeric slug",
            common::request(
                "PATCH",
                &format!("/api/v1/articles/{id}"),
                Some(&editor),
                Some(json!({"slug": "2026"})),
            ),
            422,
            "validation_failed",
            Some("slug"),
        ),
        (
            "bad cover url",
            common::request(
                "PATCH",
                &format!("/api/v1/articles/{id}"),
                Some(&editor),
                Some(json!({"cover": {"url": "javascript:alert(1)"}})),
            ),
            422,
            "validation_failed",
            Some("cover.url"),
        ),
        (
            "publish time unparseable",
            common::request(
                "POST",
                &format!("/api/v1/articles/{id}/publish"),
                Some(&editor),
                Some(json!({"at": "next tuesday"})),
            ),
            422,
            "validation_failed",
            Some("at"),
        ),
        (
            "publish time a number",
            common::request(
                "POST",
                &format!("/api/v1/articles/{id}/publish"),
                Some(&editor),
                Some(json!({"at": 1700000000})),
            ),
            422,
            "validation_failed",
            Some("at"),
        ),
        (
            "publish unknown field",
            common::request(
                "POST",
                &format!("/api/v1/articles/{id}/publish"),
                Some(&editor),
                Some(json!({"when": "now"})),
            ),
            422,
            "validation_failed",
            Some("when"),
        ),
        (
            "bad id",
            common::request(
                "PATCH",
                "/api/v1/articles/abc",
                Some(&editor),
                Some(json!({"title": "x"})),
            ),
            400,
            "invalid_parameter",
            None,
        ),
        (
            "zero id",
            common::request("DELETE", "/api/v1/articles/0", Some(&editor), None),
            400,
            "invalid_parameter",
            None,
        ),
        (
            "unknown article",
            common::request(
                "PATCH",
                "/api/v1/articles/999999",
                Some(&editor),
                Some(json!({"title": "x"})),
            ),
            404,
            "not_found",
            None,
        ),
        (
            "revision zero",
            common::request(
                "GET",
                &format!("/api/v1/articles/{id}/revisions/0"),
                Some(&editor),
                None,
            ),
            400,
            "invalid_parameter",
            None,
        ),
        (
            "bad status filter",
            common::request("GET", "/api/v1/articles?status=secret", Some(&editor), None),
            400,
            "invalid_parameter",
            None,
        ),
    ];
    for (what, req, status, code, field) in cases {
        let r = common::send(&app, req).await;
        assert_eq!(
            r.status.as_u16(),
            status,
            "{what}: {}",
            String::from_utf8_lossy(&r.body)
        );
        r.assert_problem(status, code);
        if let Some(field) = field {
            let body = r.json();
            let fields: Vec<&str> = body["errors"]
                .as_array()
                .map(|e| e.iter().map(|x| x["field"].as_str().unwrap()).collect())
                .unwrap_or_default();
            assert!(fields.contains(&field), "{what}: {fields:?}");
        }
    }
    // Several invalid fields: one entry each.
    let r = app
        .by(&editor)
        .post(
            "/api/v1/articles",
            json!({"title": "", "lang": "xx", "section": "nowhere", "tags": ["a", "b"]}),
        )
        .await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(
        r.json()["errors"].as_array().unwrap().len(),
        5,
        "{}",
        r.json()
    );
    // A duplicate chosen slug is a conflict.
    app.by(&editor)
        .post(
            "/api/v1/articles",
            json!({"title": "Other", "lang": "en", "section": "world", "slug": "keep-me"}),
        )
        .await
        .assert_problem(409, "slug_taken");
    let after = snapshot(app.by(&editor).get(&format!("/api/v1/articles/{id}")).await);
    assert_eq!(before, after, "no bad request changed the article");
    let count_after = app
        .by(&editor)
        .get("/api/v1/articles?status=any&limit=100")
        .await
        .ids()
        .len();
    assert_eq!(
        count_before, count_after,
        "no bad request created an article"
    );
}

mod body_limit {
    use super::*;

    #[actix_web::test]
    async fn bodies_over_the_limit_are_413() {
        let _watchdog = crate::common::watchdog();
        let t = TestCtx::with_config(common::Backend::Sqlite, |c| c.max_body = 2_048)
            .await
            .unwrap();
        t.section("world", &[("en", "World")], 1);
        let (_, editor) = t.signed_in("editor@example.com", "editor");
        let app = t.app().await;
        let big = json!({"title": "Big", "lang": "en", "section": "world", "body": "word ".repeat(1_000)});
        app.by(&editor)
            .post("/api/v1/articles", big)
            .await
            .assert_problem(413, "payload_too_large");
        let ok = json!({"title": "Small", "lang": "en", "section": "world", "body": "word ".repeat(100)});
        assert_eq!(
            app.by(&editor).post("/api/v1/articles", ok).await.status,
            201
        );
    }
}

/// The fields of a 422's `errors[]`, in order.
fn error_fields(r: &Resp) -> Vec<(String, String)> {
    assert_eq!(r.status, 422, "{}", String::from_utf8_lossy(&r.body));
    r.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_string(),
                e["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// One 422 lists every problem of a body: unknown, mistyped and missing fields and invalid
/// values alike, and nothing is stored.
async fn every_field_error_at_once(t: TestCtx) {
    t.section("world", &[("en", "World")], 1);
    let (_, editor) = t.signed_in("editor@example.com", "editor");
    let app = t.app().await;
    let post = |uri: &'static str, body: Value| app.by(&editor).post(uri, body);

    // Three bad fields: an empty title, an unknown language, no section.
    let r = post("/api/v1/articles", json!({"title": "", "lang": "zz"})).await;
    r.assert_problem(422, "validation_failed");
    let fields = error_fields(&r);
    assert_eq!(fields.len(), 3, "{fields:?}");
    for field in ["title", "lang", "section"] {
        assert!(
            fields.iter().any(|(f, _)| f == field),
            "{field}: {fields:?}"
        );
    }

    // Every kind at once, nested ones included.
    let r = post(
        "/api/v1/articles",
        json!({"title": 5, "lang": "zz", "headline": "x", "cover": {"url": 3},
               "tags": ["energy", 7.5], "featured": "yes"}),
    )
    .await;
    let fields = error_fields(&r);
    for (field, code) in [
        ("title", "invalid_type"),
        ("lang", "unknown_language"),
        ("headline", "unknown_field"),
        ("cover.url", "invalid_type"),
        ("tags[1]", "invalid_type"),
        ("featured", "invalid_type"),
        ("section", "required"),
    ] {
        assert!(
            fields.contains(&(field.to_string(), code.to_string())),
            "{field} {code}: {fields:?}"
        );
    }
    assert_eq!(fields.len(), 7, "{fields:?}");

    // The same for the taxonomy, users and sign-in.
    let r = post(
        "/api/v1/sections",
        json!({"names": {"fr": "Monde"}, "slug": "Bad Slug", "extra": 1}),
    )
    .await;
    let fields = error_fields(&r);
    for field in ["names.fr", "names.en", "slug", "extra"] {
        assert!(
            fields.iter().any(|(f, _)| f == field),
            "{field}: {fields:?}"
        );
    }
    let r = post("/api/v1/tags", json!({"slug": 3, "nom": "x"})).await;
    let fields = error_fields(&r);
    assert_eq!(fields.len(), 3, "slug, nom, name: {fields:?}");
    let r = app
        .anon()
        .post("/api/v1/auth/token", json!({"mail": "a@b.c"}))
        .await;
    let fields = error_fields(&r);
    assert_eq!(fields.len(), 3, "mail, email, password: {fields:?}");

    // Text cannot hold the NUL character (PostgreSQL could not store it): a 422 naming it.
    let r = post(
        "/api/v1/articles",
        json!({"title": "Bad\u{0}title", "lang": "en", "section": "world", "tags": ["a\u{0}"]}),
    )
    .await;
    let fields = error_fields(&r);
    assert!(
        fields.contains(&("title".into(), "invalid_character".into())),
        "{fields:?}"
    );
    assert!(
        fields.contains(&("tags[0]".into(), "invalid_character".into())),
        "{fields:?}"
    );
    // A body must be an object, not an array or a scalar.
    for body in [json!([null, null]), json!("title"), json!(3)] {
        let r = post("/api/v1/tags", body).await;
        assert_eq!(
            error_fields(&r),
            vec![("body".into(), "invalid_type".into())]
        );
    }

    // Nothing was stored.
    let r = app.by(&editor).get("/api/v1/articles?status=any").await;
    assert!(r.ids().is_empty());
    // The listing takes the feed's parameters without using them, and refuses malformed ones.
    app.by(&editor)
        .get("/api/v1/articles?status=any&newer_than=%C2%97%16")
        .await
        .assert_problem(400, "invalid_cursor");
    assert_eq!(get(&app, "/api/v1/tags").await.ids().len(), 0);

    // In a merge patch, `null` removes a field; one that cannot be removed is a 422, and the
    // other problems come with it.
    let id = post(
        "/api/v1/articles",
        json!({"title": "Kept", "lang": "en", "section": "world"}),
    )
    .await
    .json()["id"]
        .as_i64()
        .unwrap();
    let r = app
        .by(&editor)
        .patch(
            &format!("/api/v1/articles/{id}"),
            json!({"title": null, "lang": null, "featured": null, "lead": "x".repeat(2001)}),
        )
        .await;
    let fields = error_fields(&r);
    for field in ["title", "lang", "featured", "lead"] {
        assert!(
            fields.iter().any(|(f, _)| f == field),
            "{field}: {fields:?}"
        );
    }
    let r = app.by(&editor).get(&format!("/api/v1/articles/{id}")).await;
    assert_eq!(r.json()["title"], "Kept");
}
