//! Who may do what: every editorial action tried by anonymous, a writer (own and others' drafts),
//! an editor and an admin.

use serde_json::{Value, json};

use super::writer_draft;
use crate::common::{Api, TestCtx};

both_backends!(role_matrix);

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
            let r = app
                .caller(cast.tokens[i].as_deref())
                .call(method, &uri, body)
                .await;
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
    let r = app
        .caller(cast.tokens[2].as_deref())
        .get("/api/v1/articles?status=draft&limit=100")
        .await;
    assert_eq!(
        r.ids().len(),
        1,
        "the other writer sees only the one draft it created"
    );
    let r = app
        .caller(cast.tokens[1].as_deref())
        .get("/api/v1/articles?status=draft&limit=100")
        .await;
    assert!(!r.ids().is_empty());
}
