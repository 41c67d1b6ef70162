//! Bad input never reaches a 5xx: every case below is a problem+json 4xx with a stable code,
//! on both backends.

use actix_web::test::TestRequest;
use chrono::Duration;

use crate::common::{ArticleSpec, TestCtx, get, send};
use newsdesk::domain::Status;

both_backends!(
    malformed_query_parameters,
    cursors_must_be_ours,
    hostile_strings_are_rejected_or_not_found,
    unknown_things_are_not_found,
);

/// `(uri, status, code)` cases that need no data.
const QUERY_CASES: &[(&str, u16, &str)] = &[
    ("/api/v1/articles?limit=0", 400, "invalid_parameter"),
    ("/api/v1/articles?limit=101", 400, "invalid_parameter"),
    ("/api/v1/articles?limit=-1", 400, "invalid_parameter"),
    ("/api/v1/articles?limit=abc", 400, "invalid_parameter"),
    ("/api/v1/articles?limit=1&limit=2", 400, "invalid_parameter"),
    ("/api/v1/articles?lang=fr", 400, "invalid_parameter"),
    ("/api/v1/articles?lang=EN", 400, "invalid_parameter"),
    ("/api/v1/sections?lang=xx", 400, "invalid_parameter"),
    ("/api/v1/sections/world?lang=xx", 400, "invalid_parameter"),
    ("/api/v1/articles/1?lang=xx", 400, "invalid_parameter"),
    ("/api/v1/articles?from=2026-02-30", 400, "invalid_parameter"),
    ("/api/v1/articles?from=2026-13-01", 400, "invalid_parameter"),
    ("/api/v1/articles?to=2026-02-29", 400, "invalid_parameter"),
    ("/api/v1/articles?from=yesterday", 400, "invalid_parameter"),
    (
        "/api/v1/articles?from=2026-02-19T25:00:00Z",
        400,
        "invalid_parameter",
    ),
    (
        "/api/v1/articles?from=2026-02-19T10:00:00",
        400,
        "invalid_parameter",
    ),
    ("/api/v1/articles?featured=maybe", 400, "invalid_parameter"),
    ("/api/v1/articles?with_total=yes", 400, "invalid_parameter"),
    ("/api/v1/articles?order=random", 400, "invalid_parameter"),
    ("/api/v1/articles?section=World", 400, "invalid_parameter"),
    ("/api/v1/articles?section=,", 400, "invalid_parameter"),
    ("/api/v1/articles?tag=--energy", 400, "invalid_parameter"),
    ("/api/v1/articles?author=a%20b", 400, "invalid_parameter"),
    ("/api/v1/authors?limit=1000", 400, "invalid_parameter"),
    ("/api/v1/tags?limit=0", 400, "invalid_parameter"),
    ("/api/v1/sections?limit=x", 400, "invalid_parameter"),
    (
        "/api/v1/articles/1/related?limit=21",
        400,
        "invalid_parameter",
    ),
    ("/api/v1/articles/0", 400, "invalid_parameter"),
    (
        "/api/v1/articles/99999999999999999999999",
        400,
        "invalid_parameter",
    ),
    ("/api/v1/articles/Not_A_Slug", 400, "invalid_parameter"),
    ("/api/v1/sections/-1", 400, "invalid_parameter"),
    // Percent-encoded garbage: invalid UTF-8, NUL bytes, broken escapes.
    ("/api/v1/articles?lang=%ff%fe", 400, "invalid_parameter"),
    ("/api/v1/articles?section=%00", 400, "invalid_parameter"),
    ("/api/v1/articles?tag=%zz%", 400, "invalid_parameter"),
    ("/api/v1/articles?cursor=%ff%00%c3", 400, "invalid_cursor"),
    ("/api/v1/articles/%ff%fe", 400, "invalid_parameter"),
    ("/api/v1/articles/%00", 400, "invalid_parameter"),
    ("/api/v1/tags/%E2%80%AE", 400, "invalid_parameter"),
    // SQL-looking input.
    (
        "/api/v1/articles?section=%27%20OR%201%3D1--",
        400,
        "invalid_parameter",
    ),
    (
        "/api/v1/articles?lang=en%27%20OR%20%271%27%3D%271",
        400,
        "invalid_parameter",
    ),
    (
        "/api/v1/articles?tag=x%3BDROP%20TABLE%20articles",
        400,
        "invalid_parameter",
    ),
    (
        "/api/v1/articles/1%3BDROP%20TABLE%20articles",
        400,
        "invalid_parameter",
    ),
    (
        "/api/v1/authors/%27%20OR%20%27%27%3D%27",
        400,
        "invalid_parameter",
    ),
    (
        "/api/v1/articles?order=newest%3B--",
        400,
        "invalid_parameter",
    ),
];

async fn malformed_query_parameters(t: TestCtx) {
    let s = t.section("world", &[("en", "World")], 1);
    t.published("Anything", s, 5);
    let app = t.app().await;
    for (uri, status, code) in QUERY_CASES {
        let r = get(&app, uri).await;
        assert_eq!(
            r.status.as_u16(),
            *status,
            "{uri}: {}",
            String::from_utf8_lossy(&r.body)
        );
        r.assert_problem(*status, code);
    }
    // An empty value is the same as leaving the parameter out.
    for uri in [
        "/api/v1/articles?limit=",
        "/api/v1/articles?limit=&cursor=&lang=&section=%20&order=",
        "/api/v1/sections?cursor=&lang=",
        "/api/v1/changes?since=",
        // A range that ends before it starts is empty, not malformed.
        "/api/v1/articles?from=2026-03-02&to=2026-03-01",
    ] {
        let r = get(&app, uri).await;
        assert_eq!(r.status, 200, "{uri}: {}", String::from_utf8_lossy(&r.body));
    }
    assert_eq!(
        get(&app, "/api/v1/articles?limit=").await.json()["meta"]["limit"],
        20
    );
    // The 400 names the parameter.
    let body = get(&app, "/api/v1/articles?limit=0").await.json();
    assert_eq!(body["errors"][0]["field"], "limit");
    let body = get(&app, "/api/v1/articles?limit=1&limit=2").await.json();
    assert_eq!(body["errors"][0]["field"], "limit");
    let body = get(&app, "/api/v1/articles?lang=fr&from=x").await.json();
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        vec!["lang", "from"],
        "every bad parameter is listed"
    );

    // 2 KB values in every parameter.
    let long = "a".repeat(2048);
    for param in [
        "section",
        "tag",
        "author",
        "lang",
        "from",
        "to",
        "featured",
        "order",
        "limit",
        "cursor",
        "newer_than",
        "with_total",
    ] {
        let r = get(&app, &format!("/api/v1/articles?{param}={long}")).await;
        assert_eq!(r.status, 400, "{param}");
        assert_eq!(r.content_type(), "application/problem+json");
        assert!(
            ["invalid_parameter", "invalid_cursor"].contains(&r.json()["code"].as_str().unwrap()),
            "{param}"
        );
    }
    // ... and in paths (a slug longer than any we issue).
    for base in ["articles", "sections", "authors", "tags"] {
        get(&app, &format!("/api/v1/{base}/{long}"))
            .await
            .assert_problem(400, "invalid_parameter");
    }
    // Unknown parameters are ignored.
    assert_eq!(
        get(&app, "/api/v1/articles?utm_source=x&foo=%ff")
            .await
            .status,
        200
    );
}

async fn cursors_must_be_ours(t: TestCtx) {
    let s = t.section("world", &[("en", "World")], 1);
    for i in 0..5 {
        t.published(&format!("Story {i}"), s, i);
    }
    let app = t.app().await;
    let r = get(&app, "/api/v1/articles?limit=2").await;
    let cursor = r.json()["meta"]["next_cursor"]
        .as_str()
        .unwrap()
        .to_string();
    let head = r.json()["meta"]["head_cursor"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        get(&app, &format!("/api/v1/articles?limit=2&cursor={cursor}"))
            .await
            .status,
        200
    );

    // Flip each character in turn: every altered cursor is refused.
    for i in 0..cursor.len() {
        let mut bytes = cursor.clone().into_bytes();
        bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(bytes).unwrap();
        if tampered == cursor {
            continue;
        }
        get(&app, &format!("/api/v1/articles?cursor={tampered}"))
            .await
            .assert_problem(400, "invalid_cursor");
    }
    for junk in [
        "abc",
        "eyJvIjoibmV3ZXN0IiwiayI6InQiLCJ0IjowLCJpIjoxfQ",
        "%3D%3D",
        "____",
        "null",
    ] {
        get(&app, &format!("/api/v1/articles?cursor={junk}"))
            .await
            .assert_problem(400, "invalid_cursor");
        get(&app, &format!("/api/v1/articles?newer_than={junk}"))
            .await
            .assert_problem(400, "invalid_cursor");
    }
    // A cursor belongs to its order and its listing.
    get(
        &app,
        &format!("/api/v1/articles?order=oldest&cursor={cursor}"),
    )
    .await
    .assert_problem(400, "invalid_cursor");
    get(
        &app,
        &format!("/api/v1/articles?order=popular&cursor={cursor}"),
    )
    .await
    .assert_problem(400, "invalid_cursor");
    get(&app, &format!("/api/v1/authors?cursor={cursor}"))
        .await
        .assert_problem(400, "invalid_cursor");
    get(&app, &format!("/api/v1/sections?cursor={cursor}"))
        .await
        .assert_problem(400, "invalid_cursor");
    let popular = get(&app, "/api/v1/articles?order=popular&limit=1").await;
    let pc = popular.json()["meta"]["next_cursor"]
        .as_str()
        .unwrap()
        .to_string();
    get(&app, &format!("/api/v1/articles?newer_than={pc}"))
        .await
        .assert_problem(400, "invalid_cursor");
    // Cursors work on scoped feeds of the same order.
    assert_eq!(
        get(
            &app,
            &format!("/api/v1/sections/world/articles?cursor={cursor}")
        )
        .await
        .status,
        200
    );
    assert_eq!(
        get(&app, &format!("/api/v1/articles?newer_than={head}"))
            .await
            .status,
        200
    );
}

async fn hostile_strings_are_rejected_or_not_found(t: TestCtx) {
    let app = t.app().await;
    for path in [
        "/api/v1/articles/..%2F..%2Fetc%2Fpasswd",
        "/api/v1/articles/%3Cscript%3E",
        "/api/v1/articles/%F0%9F%92%A9",
        "/api/v1/sections/%27",
    ] {
        let r = get(&app, path).await;
        assert!(r.status.is_client_error(), "{path}: {}", r.status);
        assert_eq!(r.content_type(), "application/problem+json", "{path}");
    }
    // Wrong methods and unknown routes are problems too.
    let r = send(&app, TestRequest::delete().uri("/api/v1/site")).await;
    r.assert_problem(405, "method_not_allowed");
    assert_eq!(
        r.header("allow").as_deref(),
        Some("GET, HEAD, PATCH, OPTIONS")
    );
    let r = send(&app, TestRequest::put().uri("/api/v1/articles/7")).await;
    r.assert_problem(405, "method_not_allowed");
    assert_eq!(
        r.header("allow").as_deref(),
        Some("GET, HEAD, PATCH, DELETE, OPTIONS"),
        "every method of the path, from the document"
    );
    let r = send(
        &app,
        TestRequest::default()
            .method(actix_web::http::Method::OPTIONS)
            .uri("/api/v1/articles"),
    )
    .await;
    assert_eq!(r.status, 204);
    assert_eq!(
        r.header("allow").as_deref(),
        Some("GET, HEAD, POST, OPTIONS")
    );
    let r = send(
        &app,
        TestRequest::post().uri("/api/v1/sections/world/articles"),
    )
    .await;
    r.assert_problem(405, "method_not_allowed");
    get(&app, "/api/v2/articles")
        .await
        .assert_problem(404, "not_found");
    get(&app, "/nothing/here")
        .await
        .assert_problem(404, "not_found");
}

async fn unknown_things_are_not_found(t: TestCtx) {
    let s = t.section("world", &[("en", "World")], 1);
    let mut draft = ArticleSpec::published("Draft story", s, t.now());
    draft.status = Status::Draft;
    draft.published_at = None;
    let draft = t.article(draft);
    let future = t.article(ArticleSpec::published(
        "Future story",
        s,
        t.now() + Duration::days(2),
    ));
    let app = t.app().await;
    for uri in [
        "/api/v1/articles/no-such-article".to_string(),
        "/api/v1/articles/424242".into(),
        "/api/v1/articles/draft-story".into(),
        format!("/api/v1/articles/{draft}"),
        "/api/v1/articles/future-story".into(),
        format!("/api/v1/articles/{future}"),
        format!("/api/v1/articles/{future}/related"),
        "/api/v1/sections/424242".into(),
        "/api/v1/authors/no-one".into(),
        "/api/v1/tags/no-tag".into(),
        "/api/v1/tags/no-tag/articles".into(),
    ] {
        get(&app, &uri).await.assert_problem(404, "not_found");
    }
}
