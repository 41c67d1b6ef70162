//! The editorial API on both backends: who may do what, the article life cycle and its
//! change feed, revisions, merge-patch semantics, slugs, translations, taxonomy and users,
//! and bad input that must change nothing.

mod common;

use std::collections::BTreeSet;

use chrono::Duration;
use common::{Resp, TestCtx, call, get};
use serde_json::{Value, json};

both_backends!(
    role_matrix,
    lifecycle_and_change_feed,
    replaying_changes_yields_the_public_set,
    bodies_are_sanitized,
    bad_input_changes_nothing,
    revisions_keep_every_save,
    patch_semantics,
    slugs,
    translations,
    taxonomy_crud,
    users_crud,
    editorial_listing_and_view,
    every_field_error_at_once,
    deleted_articles_have_no_sub_resources,
);

/// Everyone the matrix tries, in order.
const ROLES: [&str; 5] = ["anonymous", "writer", "other writer", "editor", "admin"];

struct Cast {
    tokens: Vec<Option<String>>,
    writer_id: i64,
}

fn cast(t: &TestCtx) -> Cast {
    let (writer_id, writer) = t.signed_in("writer@example.com", "writer");
    let (_, other) = t.signed_in("other@example.com", "writer");
    let (_, editor) = t.signed_in("editor@example.com", "editor");
    let (_, admin) = t.signed_in("admin@example.com", "admin");
    Cast {
        tokens: vec![None, Some(writer), Some(other), Some(editor), Some(admin)],
        writer_id,
    }
}

/// A draft owned by the writer, created directly.
fn writer_draft(t: &TestCtx, section: i64, writer: i64, title: &str) -> i64 {
    let mut spec = common::ArticleSpec::published(title, section, t.now());
    spec.status = newsdesk::domain::Status::Draft;
    spec.published_at = None;
    let id = t.article(spec);
    use diesel::prelude::*;
    use newsdesk::db::schema::articles;
    diesel::update(articles::table.filter(articles::id.eq(id)))
        .set(articles::created_by.eq(Some(writer)))
        .execute(&mut t.conn())
        .unwrap();
    id
}

async fn role_matrix(t: TestCtx) {
    let s = t.section("world", &[("en", "World")], 1);
    let cast = cast(&t);
    let published = t.published("Already out", s, 60);
    let app = t.app().await;
    let mut failures = Vec::new();
    let mut n = 0;
    // (what, method, path builder, body, expected per role). `{draft}` is a fresh draft of the
    // writer for every call, `{n}` a fresh number.
    type Case = (&'static str, &'static str, &'static str, Value, [u16; 5]);
    let cases: Vec<Case> = vec![
        (
            "create article",
            "POST",
            "/api/v1/articles",
            json!({"title": "New {n}", "lang": "en", "section": "world"}),
            [401, 201, 201, 201, 201],
        ),
        (
            "edit own draft",
            "PATCH",
            "/api/v1/articles/{draft}",
            json!({"title": "Edited"}),
            [401, 200, 403, 200, 200],
        ),
        (
            "edit published",
            "PATCH",
            "/api/v1/articles/{published}",
            json!({"lead": "New lead"}),
            [401, 403, 403, 200, 200],
        ),
        (
            "delete own draft",
            "DELETE",
            "/api/v1/articles/{draft}",
            Value::Null,
            [401, 204, 403, 204, 204],
        ),
        (
            "publish",
            "POST",
            "/api/v1/articles/{draft}/publish",
            Value::Null,
            [401, 403, 403, 200, 200],
        ),
        (
            "schedule",
            "POST",
            "/api/v1/articles/{draft}/publish",
            json!({"at": "2026-03-05T08:00:00Z"}),
            [401, 403, 403, 200, 200],
        ),
        (
            "unpublish",
            "POST",
            "/api/v1/articles/{published}/unpublish",
            Value::Null,
            [401, 403, 403, 200, 200],
        ),
        (
            "archive",
            "POST",
            "/api/v1/articles/{draft}/archive",
            Value::Null,
            [401, 403, 403, 200, 200],
        ),
        (
            "list drafts",
            "GET",
            "/api/v1/articles?status=draft",
            Value::Null,
            [401, 200, 200, 200, 200],
        ),
        (
            "revisions",
            "GET",
            "/api/v1/articles/{draft}/revisions",
            Value::Null,
            [401, 403, 403, 200, 200],
        ),
        (
            "one revision",
            "GET",
            "/api/v1/articles/{draft}/revisions/1",
            Value::Null,
            [401, 403, 403, 404, 404],
        ),
        (
            "create section",
            "POST",
            "/api/v1/sections",
            json!({"names": {"en": "Section {n}"}}),
            [401, 403, 403, 201, 201],
        ),
        (
            "edit section",
            "PATCH",
            "/api/v1/sections/world",
            json!({"position": 3}),
            [401, 403, 403, 200, 200],
        ),
        (
            "delete section",
            "DELETE",
            "/api/v1/sections/{section}",
            Value::Null,
            [401, 403, 403, 204, 204],
        ),
        (
            "create author",
            "POST",
            "/api/v1/authors",
            json!({"name": "Author {n}"}),
            [401, 403, 403, 201, 201],
        ),
        (
            "edit author",
            "PATCH",
            "/api/v1/authors/{author}",
            json!({"bio": "Reports."}),
            [401, 403, 403, 200, 200],
        ),
        (
            "delete author",
            "DELETE",
            "/api/v1/authors/{author}",
            Value::Null,
            [401, 403, 403, 204, 204],
        ),
        (
            "create tag",
            "POST",
            "/api/v1/tags",
            json!({"name": "Tag {n}"}),
            [401, 403, 403, 201, 201],
        ),
        (
            "edit tag",
            "PATCH",
            "/api/v1/tags/{tag}",
            json!({"name": "Renamed"}),
            [401, 403, 403, 200, 200],
        ),
        (
            "delete tag",
            "DELETE",
            "/api/v1/tags/{tag}",
            Value::Null,
            [401, 403, 403, 204, 204],
        ),
        (
            "list users",
            "GET",
            "/api/v1/users",
            Value::Null,
            [401, 403, 403, 403, 200],
        ),
        (
            "one user",
            "GET",
            "/api/v1/users/{writer}",
            Value::Null,
            [401, 403, 403, 403, 200],
        ),
        (
            "create user",
            "POST",
            "/api/v1/users",
            json!({"email": "new{n}@example.com", "name": "New", "role": "writer", "password": "long enough password"}),
            [401, 403, 403, 403, 201],
        ),
        (
            "edit user",
            "PATCH",
            "/api/v1/users/{user}",
            json!({"name": "Renamed"}),
            [401, 403, 403, 403, 200],
        ),
        (
            "delete user",
            "DELETE",
            "/api/v1/users/{user}",
            Value::Null,
            [401, 403, 403, 403, 204],
        ),
        (
            "me",
            "GET",
            "/api/v1/auth/me",
            Value::Null,
            [401, 200, 200, 200, 200],
        ),
    ];
    for (what, method, path, body, expected) in &cases {
        for (i, role) in ROLES.iter().enumerate() {
            n += 1;
            let mut uri = path
                .replace("{published}", &published.to_string())
                .replace("{writer}", &cast.writer_id.to_string());
            if uri.contains("{draft}") {
                let id = writer_draft(&t, s, cast.writer_id, &format!("Draft {n}"));
                uri = uri.replace("{draft}", &id.to_string());
            }
            if uri.contains("{section}") {
                uri = uri.replace(
                    "{section}",
                    &t.section(&format!("empty-{n}"), &[("en", "Empty")], 9)
                        .to_string(),
                );
            }
            if uri.contains("{author}") {
                uri = uri.replace(
                    "{author}",
                    &t.author(&format!("Spare Author {n}")).to_string(),
                );
            }
            if uri.contains("{tag}") {
                uri = uri.replace("{tag}", &t.tag(&format!("Spare Tag {n}")).to_string());
            }
            if uri.contains("{user}") {
                uri = uri.replace(
                    "{user}",
                    &t.user(&format!("spare{n}@example.com"), "writer")
                        .to_string(),
                );
            }
            let body = (!body.is_null()).then(|| {
                serde_json::from_str(&body.to_string().replace("{n}", &n.to_string())).unwrap()
            });
            let r = call(&app, method, &uri, cast.tokens[i].as_deref(), body).await;
            if r.status.as_u16() != expected[i] {
                failures.push(format!(
                    "{what} as {role}: expected {}, got {} {}",
                    expected[i],
                    r.status,
                    String::from_utf8_lossy(&r.body)
                ));
            }
            if r.status.is_client_error() {
                assert_eq!(
                    r.content_type(),
                    "application/problem+json",
                    "{what} as {role}"
                );
            }
            if r.status.as_u16() == 401 {
                assert!(
                    r.header("www-authenticate").is_some(),
                    "{what}: 401 without a challenge"
                );
            }
        }
    }
    assert!(failures.is_empty(), "role matrix:\n{}", failures.join("\n"));

    // Writers list only their own drafts.
    let r = call(
        &app,
        "GET",
        "/api/v1/articles?status=draft&limit=100",
        cast.tokens[2].as_deref(),
        None,
    )
    .await;
    assert_eq!(
        r.ids().len(),
        1,
        "the other writer sees only the one draft it created"
    );
    let r = call(
        &app,
        "GET",
        "/api/v1/articles?status=draft&limit=100",
        cast.tokens[1].as_deref(),
        None,
    )
    .await;
    assert!(!r.ids().is_empty());
}

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
    let editor = || Some(t.token_for(editor_id));
    let app = t.app().await;
    let settle = || t.clock.advance(Duration::seconds(3));
    let mut held = BTreeSet::new();
    let cursor = replay(&app, &mut held, None).await;

    // Draft: invisible, not in the feed.
    let r = call(
        &app,
        "POST",
        "/api/v1/articles",
        editor().as_deref(),
        Some(json!({"title": "Budget vote", "lang": "en", "section": "world"})),
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
    let r = call(
        &app,
        "POST",
        &format!("/api/v1/articles/{id}/publish"),
        editor().as_deref(),
        Some(json!({"at": at})),
    )
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
    let r = call(
        &app,
        "POST",
        &format!("/api/v1/articles/{id}/unpublish"),
        editor().as_deref(),
        None,
    )
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
        call(
            &app,
            "POST",
            &format!("/api/v1/articles/{id}/publish"),
            editor().as_deref(),
            None
        )
        .await
        .status,
        200
    );
    settle();
    let cursor = replay(&app, &mut held, Some(cursor)).await;
    assert_eq!(public_articles_in(&held), vec![id]);
    let r = call(
        &app,
        "POST",
        &format!("/api/v1/articles/{id}/archive"),
        editor().as_deref(),
        None,
    )
    .await;
    assert_eq!(r.json()["status"], "archived");
    settle();
    let cursor = replay(&app, &mut held, Some(cursor)).await;
    assert!(public_articles_in(&held).is_empty());

    // Republished and deleted: a tombstone.
    call(
        &app,
        "POST",
        &format!("/api/v1/articles/{id}/publish"),
        editor().as_deref(),
        None,
    )
    .await;
    settle();
    let cursor = replay(&app, &mut held, Some(cursor)).await;
    assert_eq!(public_articles_in(&held), vec![id]);
    assert_eq!(
        call(
            &app,
            "DELETE",
            &format!("/api/v1/articles/{id}"),
            editor().as_deref(),
            None
        )
        .await
        .status,
        204
    );
    get(&app, &format!("/api/v1/articles/{id}"))
        .await
        .assert_problem(404, "not_found");
    call(
        &app,
        "PATCH",
        &format!("/api/v1/articles/{id}"),
        editor().as_deref(),
        Some(json!({"title": "x"})),
    )
    .await
    .assert_problem(404, "not_found");
    settle();
    let _ = replay(&app, &mut held, Some(cursor)).await;
    assert!(public_articles_in(&held).is_empty());

    // A schedule withdrawn before its time is never announced at all.
    let r = call(
        &app,
        "POST",
        "/api/v1/articles",
        editor().as_deref(),
        Some(json!({"title": "Never mind", "lang": "en", "section": "world"})),
    )
    .await;
    let id2 = r.json()["id"].as_i64().unwrap();
    let at = (t.clock.now() + Duration::minutes(5)).to_rfc3339();
    call(
        &app,
        "POST",
        &format!("/api/v1/articles/{id2}/publish"),
        editor().as_deref(),
        Some(json!({"at": at})),
    )
    .await;
    call(
        &app,
        "POST",
        &format!("/api/v1/articles/{id2}/unpublish"),
        editor().as_deref(),
        None,
    )
    .await;
    t.clock.advance(Duration::minutes(10));
    let mut fresh = BTreeSet::new();
    replay(&app, &mut fresh, None).await;
    assert!(public_articles_in(&fresh).is_empty(), "{fresh:?}");
    // Changes are listed only after the settle delay.
    let r = call(
        &app,
        "POST",
        &format!("/api/v1/articles/{id2}/publish"),
        editor().as_deref(),
        None,
    )
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
    let editor = || Some(t.token_for(editor_id));
    let app = t.app().await;
    let post = async |uri: &str, body: Value| {
        call(&app, "POST", uri, editor().as_deref(), Some(body)).await
    };
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
    call(
        &app,
        "PATCH",
        &format!("/api/v1/articles/{}", ids[0]),
        editor().as_deref(),
        Some(json!({"title": "Story 0, updated"})),
    )
    .await;
    call(
        &app,
        "DELETE",
        &format!("/api/v1/articles/{}", ids[4]),
        editor().as_deref(),
        None,
    )
    .await;
    call(
        &app,
        "DELETE",
        "/api/v1/tags/doomed",
        editor().as_deref(),
        None,
    )
    .await;
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

async fn bodies_are_sanitized(t: TestCtx) {
    t.section("world", &[("en", "World")], 1);
    let (_, editor) = t.signed_in("editor@example.com", "editor");
    let app = t.app().await;
    let body = "Intro paragraph.\n\n<script>alert('x')</script>\n\n<img src=x onerror=\"alert(1)\">\n\n\
                [click me](javascript:alert(2)) and <a href=\"javascript:alert(3)\" onclick=\"alert(4)\">raw</a>\n\n\
                <iframe src=\"https://evil.example\"></iframe>\n\n\
                Some <b onmouseover=\"alert(5)\">bold</b> and [ok](https://news.example.com).";
    let r = call(
        &app,
        "POST",
        "/api/v1/articles",
        Some(&editor),
        Some(json!({"title": "XSS", "lang": "en", "section": "world", "body": body})),
    )
    .await;
    assert_eq!(r.status, 201);
    let id = r.json()["id"].as_i64().unwrap();
    call(
        &app,
        "POST",
        &format!("/api/v1/articles/{id}/publish"),
        Some(&editor),
        None,
    )
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
    let r = call(
        &app,
        "GET",
        &format!("/api/v1/articles/{id}"),
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(r.json()["body_md"], body);
}

async fn bad_input_changes_nothing(t: TestCtx) {
    t.section("world", &[("en", "World")], 1);
    let (_, editor) = t.signed_in("editor@example.com", "editor");
    let app = t.app().await;
    let r = call(
        &app,
        "POST",
        "/api/v1/articles",
        Some(&editor),
        Some(json!({"title": "Keep me", "lang": "en", "section": "world", "slug": "keep-me"})),
    )
    .await;
    let id = r.json()["id"].as_i64().unwrap();
    let snapshot = |r: Resp| {
        let mut v = r.json();
        v.as_object_mut().unwrap().remove("views");
        v
    };
    let before = snapshot(
        call(
            &app,
            "GET",
            &format!("/api/v1/articles/{id}"),
            Some(&editor),
            None,
        )
        .await,
    );
    let count_before = call(
        &app,
        "GET",
        "/api/v1/articles?status=any&limit=100",
        Some(&editor),
        None,
    )
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
    let r = call(
        &app,
        "POST",
        "/api/v1/articles",
        Some(&editor),
        Some(json!({"title": "", "lang": "xx", "section": "nowhere", "tags": ["a", "b"]})),
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
    call(
        &app,
        "POST",
        "/api/v1/articles",
        Some(&editor),
        Some(json!({"title": "Other", "lang": "en", "section": "world", "slug": "keep-me"})),
    )
    .await
    .assert_problem(409, "slug_taken");
    let after = snapshot(
        call(
            &app,
            "GET",
            &format!("/api/v1/articles/{id}"),
            Some(&editor),
            None,
        )
        .await,
    );
    assert_eq!(before, after, "no bad request changed the article");
    let count_after = call(
        &app,
        "GET",
        "/api/v1/articles?status=any&limit=100",
        Some(&editor),
        None,
    )
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
        let t = TestCtx::with_config(common::Backend::Sqlite, |c| c.max_body = 2_048)
            .await
            .unwrap();
        t.section("world", &[("en", "World")], 1);
        let (_, editor) = t.signed_in("editor@example.com", "editor");
        let app = t.app().await;
        let big = json!({"title": "Big", "lang": "en", "section": "world", "body": "word ".repeat(1_000)});
        call(&app, "POST", "/api/v1/articles", Some(&editor), Some(big))
            .await
            .assert_problem(413, "payload_too_large");
        let ok = json!({"title": "Small", "lang": "en", "section": "world", "body": "word ".repeat(100)});
        assert_eq!(
            call(&app, "POST", "/api/v1/articles", Some(&editor), Some(ok))
                .await
                .status,
            201
        );
    }
}

async fn revisions_keep_every_save(t: TestCtx) {
    t.section("world", &[("en", "World")], 1);
    let (_, editor) = t.signed_in("editor@example.com", "editor");
    let app = t.app().await;
    let r = call(
        &app,
        "POST",
        "/api/v1/articles",
        Some(&editor),
        Some(json!({"title": "First title", "lang": "en", "section": "world", "body": "One."})),
    )
    .await;
    let id = r.json()["id"].as_i64().unwrap();
    assert_eq!(r.json()["revision"], 1);
    call(
        &app,
        "PATCH",
        &format!("/api/v1/articles/{id}"),
        Some(&editor),
        Some(json!({"title": "Second title"})),
    )
    .await;
    let r = call(
        &app,
        "PATCH",
        &format!("/api/v1/articles/{id}"),
        Some(&editor),
        Some(json!({"body": "Two."})),
    )
    .await;
    assert_eq!(r.json()["revision"], 3);
    let list = call(
        &app,
        "GET",
        &format!("/api/v1/articles/{id}/revisions"),
        Some(&editor),
        None,
    )
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
    let first = call(
        &app,
        "GET",
        &format!("/api/v1/articles/{id}/revisions/1"),
        Some(&editor),
        None,
    )
    .await
    .json();
    assert_eq!(first["state"]["title"], "First title");
    assert_eq!(first["state"]["body_md"], "One.");
    let third = call(
        &app,
        "GET",
        &format!("/api/v1/articles/{id}/revisions/3"),
        Some(&editor),
        None,
    )
    .await
    .json();
    assert_eq!(third["state"]["title"], "Second title");
    assert_eq!(third["state"]["body_md"], "Two.");
    call(
        &app,
        "GET",
        &format!("/api/v1/articles/{id}/revisions/4"),
        Some(&editor),
        None,
    )
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
    let r = call(&app, "POST", "/api/v1/articles", Some(&editor), Some(json!({
        "title": "Full story", "lang": "en", "section": "world", "lead": "A lead", "body": "**Bold** body text",
        "authors": ["ann-lee"], "tags": ["energy"], "source": "Agency", "featured": true,
        "cover": {"url": "https://cdn.example.com/a.jpg", "caption": "Cap", "credit": "Cred"}
    }))).await;
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
    let r = call(
        &app,
        "PATCH",
        &format!("/api/v1/articles/{id}"),
        Some(&editor),
        Some(json!({"featured": false})),
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
    let r = call(&app, "PATCH", &format!("/api/v1/articles/{id}"), Some(&editor), Some(json!({
        "lead": null, "cover": null, "source": null, "tags": null, "authors": null, "title": "Renamed story", "slug": null, "section": "sport"
    }))).await;
    let c = r.json();
    assert_eq!(c["lead"], "");
    assert_eq!(c["cover"], Value::Null);
    assert_eq!(c["source"], Value::Null);
    assert_eq!(c["tags"], json!([]));
    assert_eq!(c["authors"], json!([]));
    assert_eq!(c["slug"], "renamed-story");
    assert_eq!(c["section"]["slug"], "sport");
    // A title change alone keeps the slug (links stay stable).
    let r = call(
        &app,
        "PATCH",
        &format!("/api/v1/articles/{id}"),
        Some(&editor),
        Some(json!({"title": "Third name"})),
    )
    .await;
    assert_eq!(r.json()["slug"], "renamed-story");
    // body: null clears the body and its renderings.
    let r = call(
        &app,
        "PATCH",
        &format!("/api/v1/articles/{id}"),
        Some(&editor),
        Some(json!({"body": null})),
    )
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
        call(&app, "POST", "/api/v1/articles", Some(&editor), Some(body))
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
    call(
        &app,
        "DELETE",
        &format!("/api/v1/articles/{id}"),
        Some(&editor),
        None,
    )
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
    let post = |body: Value| call(&app, "POST", "/api/v1/articles", Some(&editor), Some(body));
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
        call(
            &app,
            "POST",
            &format!("/api/v1/articles/{id}/publish"),
            Some(&editor),
            None,
        )
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
    let editorial = call(
        &app,
        "GET",
        &format!("/api/v1/articles/{en}"),
        Some(&editor),
        None,
    )
    .await
    .json();
    assert_eq!(editorial["translations"].as_array().unwrap().len(), 2);
    // Unlinking.
    call(
        &app,
        "PATCH",
        &format!("/api/v1/articles/{az}"),
        Some(&editor),
        Some(json!({"translation_of": null})),
    )
    .await;
    let editorial = call(
        &app,
        "GET",
        &format!("/api/v1/articles/{en}"),
        Some(&editor),
        None,
    )
    .await
    .json();
    assert_eq!(editorial["translations"].as_array().unwrap().len(), 1);
}

async fn taxonomy_crud(t: TestCtx) {
    let (_, editor) = t.signed_in("editor@example.com", "editor");
    let app = t.app().await;
    let r = call(
        &app,
        "POST",
        "/api/v1/sections",
        Some(&editor),
        Some(json!({"names": {"en": "World News", "ru": "Мир"}, "descriptions": {"en": "Abroad"}})),
    )
    .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["slug"], "world-news");
    assert_eq!(r.json()["position"], 1);
    call(
        &app,
        "POST",
        "/api/v1/sections",
        Some(&editor),
        Some(json!({"names": {"ru": "Только русский"}})),
    )
    .await
    .assert_problem(422, "validation_failed");
    call(
        &app,
        "POST",
        "/api/v1/sections",
        Some(&editor),
        Some(json!({"names": {"en": "Dup"}, "slug": "world-news"})),
    )
    .await
    .assert_problem(409, "slug_taken");
    let r = call(
        &app,
        "PATCH",
        "/api/v1/sections/world-news",
        Some(&editor),
        Some(json!({"names": {"ru": null, "az": "Dünya"}, "position": 5})),
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
    call(
        &app,
        "PATCH",
        "/api/v1/sections/world-news",
        Some(&editor),
        Some(json!({"names": {"en": null}})),
    )
    .await
    .assert_problem(422, "validation_failed");

    let author = call(
        &app,
        "POST",
        "/api/v1/authors",
        Some(&editor),
        Some(json!({"name": "Leyla Həsənli", "bio": "Economy."})),
    )
    .await;
    assert_eq!(author.json()["slug"], "leyla-hesenli");
    call(
        &app,
        "POST",
        "/api/v1/authors",
        Some(&editor),
        Some(json!({"name": "X", "avatar_url": "ftp://x"})),
    )
    .await
    .assert_problem(422, "validation_failed");
    let tag = call(
        &app,
        "POST",
        "/api/v1/tags",
        Some(&editor),
        Some(json!({"name": "Нефть"})),
    )
    .await;
    assert_eq!(tag.json()["slug"], "neft");
    let r = call(&app, "POST", "/api/v1/articles", Some(&editor), Some(json!({"title": "Oil", "lang": "en", "section": "world-news", "authors": ["leyla-hesenli"], "tags": ["neft"]}))).await;
    let article = r.json()["id"].as_i64().unwrap();

    // In use: refused, naming why.
    let r = call(
        &app,
        "DELETE",
        "/api/v1/sections/world-news",
        Some(&editor),
        None,
    )
    .await;
    r.assert_problem(409, "in_use");
    assert!(r.json()["detail"].as_str().unwrap().contains("1 article"));
    call(
        &app,
        "DELETE",
        "/api/v1/authors/leyla-hesenli",
        Some(&editor),
        None,
    )
    .await
    .assert_problem(409, "in_use");
    // A tag can go: it is removed from the article.
    assert_eq!(
        call(&app, "DELETE", "/api/v1/tags/neft", Some(&editor), None)
            .await
            .status,
        204
    );
    let a = call(
        &app,
        "GET",
        &format!("/api/v1/articles/{article}"),
        Some(&editor),
        None,
    )
    .await
    .json();
    assert_eq!(a["tags"], json!([]));
    // Once the article is deleted, its section and author can go too.
    call(
        &app,
        "DELETE",
        &format!("/api/v1/articles/{article}"),
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(
        call(
            &app,
            "DELETE",
            "/api/v1/authors/leyla-hesenli",
            Some(&editor),
            None
        )
        .await
        .status,
        204
    );
    assert_eq!(
        call(
            &app,
            "DELETE",
            "/api/v1/sections/world-news",
            Some(&editor),
            None
        )
        .await
        .status,
        204
    );
    get(&app, "/api/v1/sections/world-news")
        .await
        .assert_problem(404, "not_found");
}

async fn users_crud(t: TestCtx) {
    let (admin_id, admin) = t.signed_in("admin@example.com", "admin");
    t.author("Ann Lee");
    let app = t.app().await;
    let r = call(&app, "POST", "/api/v1/users", Some(&admin), Some(json!({"email": "New@Example.com", "name": "New Writer", "role": "writer", "password": "long enough password", "author_id": 1}))).await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let user = r.json();
    assert_eq!(user["email"], "new@example.com");
    assert!(user.get("password_hash").is_none() && !r.body.windows(7).any(|w| w == b"argon2i"));
    let id = user["id"].as_i64().unwrap();
    call(&app, "POST", "/api/v1/users", Some(&admin), Some(json!({"email": "new@example.com", "name": "Dup", "role": "writer", "password": "long enough password"}))).await.assert_problem(409, "email_taken");
    let r = call(
        &app,
        "POST",
        "/api/v1/users",
        Some(&admin),
        Some(json!({"email": "not-an-email", "name": "", "role": "boss", "password": "short"})),
    )
    .await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.json()["errors"].as_array().unwrap().len(), 4);
    // The new user signs in and writes as their author profile.
    let r = call(
        &app,
        "POST",
        "/api/v1/auth/token",
        None,
        Some(json!({"email": "new@example.com", "password": "long enough password"})),
    )
    .await;
    assert_eq!(r.status, 200);
    let list = call(&app, "GET", "/api/v1/users", Some(&admin), None).await;
    assert_eq!(list.ids().len(), 2);
    // The last admin can be neither demoted nor deleted.
    call(
        &app,
        "PATCH",
        &format!("/api/v1/users/{admin_id}"),
        Some(&admin),
        Some(json!({"role": "editor"})),
    )
    .await
    .assert_problem(409, "last_admin");
    call(
        &app,
        "DELETE",
        &format!("/api/v1/users/{admin_id}"),
        Some(&admin),
        None,
    )
    .await
    .assert_problem(409, "last_admin");
    // With a second admin, the first may step down.
    call(
        &app,
        "PATCH",
        &format!("/api/v1/users/{id}"),
        Some(&admin),
        Some(json!({"role": "admin"})),
    )
    .await;
    assert_eq!(
        call(
            &app,
            "PATCH",
            &format!("/api/v1/users/{admin_id}"),
            Some(&admin),
            Some(json!({"role": "editor"}))
        )
        .await
        .status,
        200
    );
    call(
        &app,
        "GET",
        "/api/v1/users/99999",
        Some(&t.token_for(id)),
        None,
    )
    .await
    .assert_problem(404, "not_found");
}

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
    call(&app, "GET", "/api/v1/articles?status=draft", None, None)
        .await
        .assert_problem(401, "missing_token");
    let r = call(
        &app,
        "GET",
        "/api/v1/articles?status=draft,scheduled",
        Some(&editor),
        None,
    )
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
        call(
            &app,
            "GET",
            "/api/v1/articles?status=any",
            Some(&editor),
            None
        )
        .await
        .ids()
        .len(),
        3
    );
    assert_eq!(
        call(
            &app,
            "GET",
            "/api/v1/articles?status=any",
            Some(&writer),
            None
        )
        .await
        .ids(),
        vec![draft]
    );
    // With a token but no status: the public feed, marked private.
    let r = call(&app, "GET", "/api/v1/articles", Some(&writer), None).await;
    assert_eq!(r.ids(), vec![public]);
    assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
    // The editorial view of one article.
    let r = call(
        &app,
        "GET",
        &format!("/api/v1/articles/{draft}"),
        Some(&writer),
        None,
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["status"], "draft");
    assert!(r.json()["body_md"].is_string());
    call(
        &app,
        "GET",
        &format!("/api/v1/articles/{draft}"),
        Some(&other),
        None,
    )
    .await
    .assert_problem(404, "not_found");
    assert_eq!(
        call(
            &app,
            "GET",
            &format!("/api/v1/articles/{draft}"),
            Some(&editor),
            None
        )
        .await
        .status,
        200
    );
    assert_eq!(
        call(
            &app,
            "GET",
            &format!("/api/v1/articles/{public}"),
            Some(&other),
            None
        )
        .await
        .status,
        200
    );
    assert_eq!(
        call(
            &app,
            "GET",
            "/api/v1/articles/writer-draft",
            Some(&editor),
            None
        )
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
    let r = call(
        &app,
        "POST",
        "/api/v1/articles",
        Some(&token),
        Some(json!({"title": "By Ann", "lang": "en", "section": "world"})),
    )
    .await;
    assert_eq!(r.json()["authors"][0]["id"], ann);
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
    let post = |uri: &'static str, body: Value| call(&app, "POST", uri, Some(&editor), Some(body));

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
    let r = call(
        &app,
        "POST",
        "/api/v1/auth/token",
        None,
        Some(json!({"mail": "a@b.c"})),
    )
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
    let r = call(
        &app,
        "GET",
        "/api/v1/articles?status=any",
        Some(&editor),
        None,
    )
    .await;
    assert!(r.ids().is_empty());
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
    let r = call(
        &app,
        "PATCH",
        &format!("/api/v1/articles/{id}"),
        Some(&editor),
        Some(json!({"title": null, "lang": null, "featured": null, "lead": "x".repeat(2001)})),
    )
    .await;
    let fields = error_fields(&r);
    for field in ["title", "lang", "featured", "lead"] {
        assert!(
            fields.iter().any(|(f, _)| f == field),
            "{field}: {fields:?}"
        );
    }
    let r = call(
        &app,
        "GET",
        &format!("/api/v1/articles/{id}"),
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(r.json()["title"], "Kept");
}

/// A deleted article is gone with everything under it.
async fn deleted_articles_have_no_sub_resources(t: TestCtx) {
    t.section("world", &[("en", "World")], 1);
    let (_, editor) = t.signed_in("editor@example.com", "editor");
    let app = t.app().await;
    let id = call(
        &app,
        "POST",
        "/api/v1/articles",
        Some(&editor),
        Some(json!({"title": "Short-lived", "lang": "en", "section": "world"})),
    )
    .await
    .json()["id"]
        .as_i64()
        .unwrap();
    let revisions = format!("/api/v1/articles/{id}/revisions");
    assert_eq!(
        call(&app, "GET", &revisions, Some(&editor), None)
            .await
            .status,
        200
    );
    let r = call(
        &app,
        "DELETE",
        &format!("/api/v1/articles/{id}"),
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(r.status, 204);
    for uri in [
        revisions.clone(),
        format!("{revisions}/1"),
        format!("/api/v1/articles/{id}"),
    ] {
        call(&app, "GET", &uri, Some(&editor), None)
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
