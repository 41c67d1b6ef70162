//! `newsdesk import wordpress`: real exports no one here wrote (the WordPress importer's own
//! test files, read in place from `../shared/fixtures/wordpress`), on both backends: counts,
//! slugs, dates to the second, authors, sections, tags, UTF-8 text, redirects that resolve,
//! idempotency, dry runs and a malformed file that stops cleanly.

use std::path::PathBuf;

use diesel::prelude::*;
use serde_json::Value;

use crate::common::{Api, TestCtx};
use newsdesk::import::{ImportError, Options, Summary, ghost, wordpress};

both_backends!(
    a_wordpress_export_comes_in_whole,
    the_theme_unit_test_data_imports_once,
    a_malformed_export_stops_cleanly,
    a_ghost_export_comes_in_whole,
);

/// A fixture file, or `None` (with a notice) when `../shared` is not beside the checkout;
/// under `CI=true` its absence is a failure.
fn fixture(name: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures/wordpress")
        .join(name);
    if path.exists() {
        return Some(path);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true but the fixture {} is missing", path.display());
    }
    eprintln!("notice: {} is missing; skipping", path.display());
    None
}

fn import(t: &TestCtx, path: &std::path::Path, options: &Options) -> Result<Summary, ImportError> {
    wordpress(&mut t.conn(), path, options, t.now(), |_| {})
}

fn count_articles(t: &TestCtx) -> i64 {
    use newsdesk::db::schema::articles;
    articles::table.count().get_result(&mut t.conn()).unwrap()
}

async fn a_wordpress_export_comes_in_whole(t: TestCtx) {
    let Some(path) = fixture("valid-wxr-1.1.xml") else {
        return;
    };
    let dry = import(
        &t,
        &path,
        &Options {
            dry_run: true,
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(dry.imported, 1);
    assert_eq!(count_articles(&t), 0, "a dry run writes nothing");

    let summary = import(&t, &path, &Options::default()).unwrap();
    assert_eq!(summary.imported, 1, "{summary:?}");
    assert_eq!(summary.skipped.get("post type `page`"), Some(&1));
    assert_eq!(summary.authors_created, 1);
    assert_eq!(summary.sections_created, 1);
    assert_eq!(summary.tags_created, 1);
    // The search index follows the change feed, as for any write.
    t.state.refresh().await.unwrap();

    let app = t.app().await;
    let r = app.anon().get("/api/v1/articles/hello-world").await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let a = r.json();
    assert_eq!(a["title"], "Hello world!");
    assert_eq!(a["published_at"], "2010-10-16T20:53:18Z");
    assert_eq!(a["section"]["slug"], "alpha");
    assert_eq!(a["authors"][0]["name"], "John Doe");
    assert_eq!(a["tags"][0]["slug"], "clippable");
    assert!(
        a["body_html"]
            .as_str()
            .unwrap()
            .contains("<p>Welcome to WordPress."),
        "{a}"
    );
    assert_eq!(a["views"], 0);
    let r = app.anon().get("/api/v1/search?q=welcome").await;
    assert_eq!(r.ids(), vec![a["id"].as_i64().unwrap()]);
    // WordPress's own address of the post leads to it.
    let r = app.anon().get("/api/v1/redirects?path=%2F%3Fp%3D1").await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["location_path"], "/en/articles/hello-world");

    // Again: nothing changes.
    let again = import(&t, &path, &Options::default()).unwrap();
    assert_eq!((again.imported, again.unchanged), (0, 1), "{again:?}");
    assert_eq!(
        (
            again.authors_created,
            again.sections_created,
            again.tags_created
        ),
        (0, 0, 0)
    );
    assert_eq!(count_articles(&t), 1);

    // The post was edited in WordPress: importing the new export brings the change, once.
    let dir = tempfile::tempdir().unwrap();
    let edited = dir.path().join("edited.xml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replacen(
            "<title>Hello world!</title>",
            "<title>Hello again, world!</title>",
            1,
        )
        .replacen("Welcome to WordPress.", "Welcome back to WordPress.", 1);
    std::fs::write(&edited, text).unwrap();
    let summary = import(&t, &edited, &Options::default()).unwrap();
    assert_eq!(
        (summary.imported, summary.updated, summary.unchanged),
        (0, 1, 0),
        "{summary:?}"
    );
    t.state.refresh().await.unwrap();
    let app = t.app().await;
    let a = app.anon().get("/api/v1/articles/hello-world").await.json();
    assert_eq!(a["title"], "Hello again, world!", "the slug stays");
    assert!(a["body_html"].as_str().unwrap().contains("Welcome back"));
    assert_eq!(a["published_at"], "2010-10-16T20:53:18Z");
    assert_eq!(a["tags"][0]["slug"], "clippable");
    let r = app.anon().get("/api/v1/search?q=again").await;
    assert_eq!(
        r.ids(),
        vec![a["id"].as_i64().unwrap()],
        "the index follows"
    );
    let again = import(&t, &edited, &Options::default()).unwrap();
    assert_eq!((again.updated, again.unchanged), (0, 1), "{again:?}");
    assert_eq!(count_articles(&t), 1);
}

async fn the_theme_unit_test_data_imports_once(t: TestCtx) {
    let Some(path) = fixture("theme-unit-test-data.xml") else {
        return;
    };
    let summary = import(
        &t,
        &path,
        &Options {
            batch: 16,
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(summary.imported, 58, "{summary:?}");
    assert_eq!(summary.skipped.get("post type `attachment`"), Some(&37));
    assert_eq!(summary.skipped.get("post type `nav_menu_item`"), Some(&70));
    assert_eq!(summary.skipped.get("post type `page`"), Some(&21));
    assert_eq!(count_articles(&t), 58);
    t.state.refresh().await.unwrap();
    let app = t.app().await;

    // Statuses: 56 public, one scheduled (public at its time), one draft.
    let mut public = 0;
    let mut cursor: Option<String> = None;
    loop {
        let uri = match &cursor {
            Some(c) => format!("/api/v1/articles?limit=100&cursor={c}"),
            None => "/api/v1/articles?limit=100".into(),
        };
        let page = app.anon().get(&uri).await.json();
        public += page["data"].as_array().unwrap().len();
        match page["meta"]["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(public, 56);

    // Every redirect leads to its article while that article is public.
    let rows: Vec<(String, i64)> = {
        use newsdesk::db::schema::redirects;
        redirects::table
            .select((redirects::path, redirects::article_id))
            .load(&mut t.conn())
            .unwrap()
    };
    assert_eq!(rows.len() as u64, summary.redirects);
    assert!(rows.len() >= 58, "at least `?p=ID` of each post");
    for (path, article) in &rows {
        let encoded =
            percent_encoding::utf8_percent_encode(path, percent_encoding::NON_ALPHANUMERIC);
        let r = app
            .anon()
            .get(&format!("/api/v1/redirects?path={encoded}"))
            .await;
        let public = app
            .anon()
            .get(&format!("/api/v1/articles/{article}"))
            .await
            .status
            == 200;
        if public {
            assert_eq!(
                r.status,
                200,
                "{path}: {}",
                String::from_utf8_lossy(&r.body)
            );
            assert_eq!(r.json()["article_id"], *article);
        } else {
            assert_eq!(r.status, 404, "{path} leads to a hidden article");
        }
    }

    // Dates to the second, from post_date_gmt.
    let a = app
        .anon()
        .get("/api/v1/articles/markup-html-tags-and-formatting")
        .await
        .json();
    assert_eq!(a["title"], "Markup: HTML Tags and Formatting");
    assert_eq!(a["published_at"], "2013-01-12T03:22:19Z", "{a}");

    // Again, in other batches: nothing changes.
    let again = import(
        &t,
        &path,
        &Options {
            batch: 7,
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!((again.imported, again.unchanged), (0, 58), "{again:?}");
    assert_eq!(count_articles(&t), 58);

    // A file of hostile text: kept as written (controls aside), every letter and emoji.
    let Some(utf8) = fixture("wxr-utf-8-challenges.xml") else {
        return;
    };
    let s = import(&t, &utf8, &Options::default()).unwrap();
    assert_eq!(s.imported, 1, "{s:?}");
    let id: i64 = {
        use newsdesk::db::schema::articles;
        articles::table
            .select(articles::id)
            .order(articles::id.desc())
            .first(&mut t.conn())
            .unwrap()
    };
    let a: Value = app
        .anon()
        .get(&format!("/api/v1/articles/{id}"))
        .await
        .json();
    let title = a["title"].as_str().unwrap();
    assert!(
        title.starts_with("\"The Road") && title.contains("Frost") && title.contains('🌲'),
        "{title}"
    );
    let body = a["body_html"].as_str().unwrap();
    assert!(
        body.contains("🚀🌟💫") && body.contains("السلام عليكم"),
        "{body}"
    );
}

async fn a_malformed_export_stops_cleanly(t: TestCtx) {
    let Some(path) = fixture("malformed-simple.xml") else {
        return;
    };
    match import(&t, &path, &Options::default()) {
        Err(ImportError::Malformed { line, message, .. }) => {
            assert!(line > 1, "a line is named");
            assert!(!message.is_empty());
        }
        other => panic!("expected a malformed-file error, got {other:?}"),
    }
    assert_eq!(count_articles(&t), 0, "nothing half-imported");
}

/// A Ghost 5 export in the documented shape (`tests/api/fixtures/ghost-5.json`): relations
/// listed after the posts, two authors on one post, the primary tag, an internal `#` tag, a
/// scheduled post, a draft, a page and an email-only post.
async fn a_ghost_export_comes_in_whole(t: TestCtx) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/api/fixtures/ghost-5.json");
    let summary = ghost(&mut t.conn(), &path, &Options::default(), t.now(), |_| {}).unwrap();
    assert_eq!(summary.imported, 3, "{summary:?}");
    assert_eq!(summary.skipped.get("post type `page`"), Some(&1));
    assert_eq!(summary.skipped.get("status `sent`"), Some(&1));
    assert_eq!(summary.authors_created, 2);
    t.state.refresh().await.unwrap();
    let app = t.app().await;
    let a = app
        .anon()
        .get("/api/v1/articles/ferry-service-resumes")
        .await
        .json();
    assert_eq!(a["title"], "Ferry service resumes across the Caspian");
    assert_eq!(a["published_at"], "2024-05-24T10:00:00Z");
    assert_eq!(a["lead"], "Service returns after a winter pause.");
    assert_eq!(
        a["section"]["slug"], "travel",
        "the primary tag is the section: {a}"
    );
    let authors: Vec<&str> = a["authors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    assert_eq!(authors, ["Leyla Aliyeva", "Ivan Petrov"]);
    let tags: Vec<&str> = a["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["slug"].as_str().unwrap())
        .collect();
    assert_eq!(tags.len(), 2, "internal tags stay out: {tags:?}");
    assert!(tags.contains(&"travel") && tags.contains(&"caspian"));
    assert_eq!(a["cover"]["url"], "https://cdn.example.com/ferry.jpg");
    assert!(a["body_html"].as_str().unwrap().contains("ağ, ə, ğ, ş"));
    // Scheduled for 2099: not public now; the draft neither.
    app.anon()
        .get("/api/v1/articles/budget-vote-june")
        .await
        .assert_problem(404, "not_found");
    app.anon()
        .get("/api/v1/articles/harbour-notes")
        .await
        .assert_problem(404, "not_found");
    assert_eq!(count_articles(&t), 3);
    let r = app
        .anon()
        .get("/api/v1/redirects?path=/ferry-service-resumes/")
        .await;
    assert_eq!(
        r.json()["location_path"],
        "/en/articles/ferry-service-resumes"
    );

    let again = ghost(&mut t.conn(), &path, &Options::default(), t.now(), |_| {}).unwrap();
    assert_eq!((again.imported, again.unchanged), (0, 3), "{again:?}");
    assert_eq!(count_articles(&t), 3);

    // A truncated export stops with where it broke.
    let dir = tempfile::tempdir().unwrap();
    let cut = dir.path().join("cut.json");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&cut, &text[..text.len() / 2]).unwrap();
    match ghost(&mut t.conn(), &cut, &Options::default(), t.now(), |_| {}) {
        Err(ImportError::Malformed { line, .. }) => assert!(line > 1),
        other => panic!("expected a malformed-file error, got {other:?}"),
    }
    assert_eq!(count_articles(&t), 3);
}
