//! Feeds and sitemaps on both backends, read back with parsers newsdesk does not use to write
//! them (`feed-rs` for RSS, Atom and JSON Feed; quick-xml's reader for sitemaps), and the
//! site settings admins edit.

use std::collections::HashMap;
use std::time::{Duration as StdDuration, Instant};

use actix_web::test::TestRequest;
use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::common::server::Server;
use crate::common::{Api, ArticleSpec, TestCtx, get, send};
use newsdesk::config::TEST_JWT_SECRET;
use newsdesk::domain::Status;

both_backends!(
    feeds_list_public_articles_in_every_format,
    feeds_take_the_filters_of_articles,
    sitemaps_list_every_public_page_once,
    site_settings_are_edited_by_admins,
    site_and_feeds_follow_writes_on_other_processes,
);

/// A hostile title: markup, an ampersand, quotes, control characters XML cannot carry, emoji,
/// Cyrillic and Azerbaijani letters.
const HOSTILE: &str = "<script>alert(\"x\")</script> & Co \u{1}\u{1b}— Бакı ə 🚀 ]]>";
/// What a reader sees of it: the control characters dropped, nothing else changed.
const HOSTILE_SHOWN: &str = "<script>alert(\"x\")</script> & Co — Бакı ə 🚀 ]]>";

struct Newsroom {
    /// Published, newest first.
    public: Vec<i64>,
    world: i64,
    hostile: i64,
}

fn newsroom(t: &TestCtx) -> Newsroom {
    let world = t.section("world", &[("en", "World"), ("ru", "Мир")], 1);
    let sport = t.section("sport", &[("en", "Sport")], 2);
    let alice = t.author("Alice Aliyeva");
    let climate = t.tag("Climate");
    let mut hostile = ArticleSpec::published(HOSTILE, world, t.now() - Duration::minutes(5));
    hostile.slug = Some("hostile".into());
    hostile.body = "A body with <b>bold</b> & ]]> inside, and **markdown**.".into();
    hostile.authors = vec![alice];
    hostile.tags = vec![climate];
    let hostile = t.article(hostile);
    let mut ru = ArticleSpec::published("Новости Баку", world, t.now() - Duration::minutes(10));
    ru.lang = "ru";
    let ru = t.article(ru);
    let sport_one = t.published("Derby ends level", sport, 20);
    let old = t.published("Older story", world, 60 * 24 * 40);
    // Never in a feed or sitemap.
    for (title, status, at) in [
        ("Draft story", Status::Draft, None),
        (
            "Scheduled story",
            Status::Published,
            Some(t.now() + Duration::hours(2)),
        ),
        (
            "Archived story",
            Status::Archived,
            Some(t.now() - Duration::hours(3)),
        ),
    ] {
        let mut spec = ArticleSpec::published(title, world, t.now());
        spec.status = status;
        spec.published_at = at;
        t.article(spec);
    }
    Newsroom {
        public: vec![hostile, ru, sport_one, old],
        world,
        hostile,
    }
}

fn parse_feed(body: &[u8]) -> feed_rs::model::Feed {
    feed_rs::parser::parse(body).unwrap_or_else(|e| {
        panic!(
            "feed does not parse: {e}\n{}",
            String::from_utf8_lossy(body)
        )
    })
}

/// The article id at the end of each entry's id (`tag:host,2026:article:ID`).
fn entry_ids(feed: &feed_rs::model::Feed) -> Vec<i64> {
    feed.entries
        .iter()
        .map(|e| {
            e.id.rsplit(':')
                .next()
                .and_then(|id| id.parse().ok())
                .unwrap_or_else(|| panic!("entry id {}", e.id))
        })
        .collect()
}

async fn feeds_list_public_articles_in_every_format(t: TestCtx) {
    let room = newsroom(&t);
    let app = t.app().await;
    for (path, content_type) in [
        ("/feeds/rss.xml", "application/rss+xml; charset=utf-8"),
        ("/feeds/atom.xml", "application/atom+xml; charset=utf-8"),
        ("/feeds/feed.json", "application/feed+json; charset=utf-8"),
    ] {
        let r = get(&app, path).await;
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.content_type(), content_type, "{path}");
        assert_eq!(r.header("cache-control").unwrap(), "public, max-age=30");
        let feed = parse_feed(&r.body);
        assert_eq!(
            entry_ids(&feed),
            room.public,
            "{path}: public articles, newest first"
        );
        assert_eq!(
            feed.title.as_ref().map(|t| t.content.clone()),
            Some(t.state.site().name.clone())
        );
        let hostile = &feed.entries[0];
        assert_eq!(
            hostile.title.as_ref().unwrap().content,
            HOSTILE_SHOWN,
            "{path}"
        );
        assert_eq!(
            hostile.links[0].href,
            "https://news.example.com/en/articles/hostile"
        );
        assert_eq!(
            hostile.authors[0].name.as_deref(),
            Some("Alice Aliyeva"),
            "{path}"
        );
        let categories: Vec<&str> = hostile
            .categories
            .iter()
            .map(|c| c.label.as_deref().unwrap_or(c.term.as_str()))
            .collect();
        assert!(
            categories.contains(&"World") && categories.contains(&"Climate"),
            "{path}: {categories:?}"
        );
        let content = hostile
            .content
            .as_ref()
            .and_then(|c| c.body.as_deref())
            .unwrap_or_default();
        assert!(
            content.contains("<strong>markdown</strong>")
                && content.contains("<b>bold</b> &amp; ]]&gt;"),
            "{path}: body HTML kept whole: {content}"
        );
        assert!(hostile.published.is_some(), "{path}: publish time");
        assert_eq!(
            hostile.summary.as_ref().map(|s| s.content.as_str()),
            Some(
                format!("Lead of {HOSTILE}")
                    .replace(['\u{1}', '\u{1b}'], "")
                    .as_str()
            ),
            "{path}: the lead"
        );
        let cover = if path.ends_with(".json") {
            // JSON Feed's `image`, which feed-rs does not read.
            let v: Value = serde_json::from_slice(&r.body).unwrap();
            v["items"][0]["image"].as_str().map(str::to_string)
        } else {
            hostile
                .media
                .iter()
                .flat_map(|m| m.content.iter())
                .filter_map(|c| c.url.as_ref().map(|u| u.to_string()))
                .next()
                .or_else(|| {
                    hostile
                        .links
                        .iter()
                        .find(|l| l.rel.as_deref() == Some("enclosure"))
                        .map(|l| l.href.clone())
                })
        };
        assert_eq!(
            cover.as_deref(),
            Some("https://cdn.example.com/x.jpg"),
            "{path}"
        );
    }
    let rss = String::from_utf8(get(&app, "/feeds/rss.xml").await.body).unwrap();
    // The script is escaped text (or CDATA text, as `rss` writes descriptions), never markup.
    assert!(rss.contains("<title>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co"));
    assert!(
        !rss.replace("<![CDATA[Lead of <script>", "")
            .contains("<script>")
    );
    assert!(!rss.contains('\u{1}') && !rss.contains('\u{1b}'));
    assert!(rss.contains("<guid isPermaLink=\"false\">tag:news.example.com,2026:article:"));

    // Conditional requests as on the JSON API.
    let r = get(&app, "/feeds/atom.xml").await;
    let etag = r.header("etag").unwrap();
    let r = send(
        &app,
        TestRequest::get()
            .uri("/feeds/atom.xml")
            .insert_header(("If-None-Match", etag.as_str())),
    )
    .await;
    assert_eq!(r.status, 304);

    // A limit, and its bounds.
    let r = get(&app, "/feeds/rss.xml?limit=2").await;
    assert_eq!(entry_ids(&parse_feed(&r.body)), room.public[..2]);
    get(&app, "/feeds/rss.xml?limit=101")
        .await
        .assert_problem(400, "invalid_parameter");
    let _ = room.hostile;
}

async fn feeds_take_the_filters_of_articles(t: TestCtx) {
    let room = newsroom(&t);
    let app = t.app().await;
    let ids = |body: &[u8]| entry_ids(&parse_feed(body));
    let r = get(&app, "/feeds/atom.xml?section=sport").await;
    assert_eq!(ids(&r.body), vec![room.public[2]]);
    let feed = parse_feed(&r.body);
    assert_eq!(
        feed.title.unwrap().content,
        format!("{} — sport", t.state.site().name),
        "the title names the section"
    );
    let r = get(&app, "/feeds/feed.json?lang=ru").await;
    assert_eq!(ids(&r.body), vec![room.public[1]]);
    let v: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(v["language"], "ru");
    let r = get(&app, "/feeds/rss.xml?tag=climate").await;
    assert_eq!(ids(&r.body), vec![room.hostile]);
    let r = get(&app, "/feeds/rss.xml?author=alice-aliyeva").await;
    assert_eq!(ids(&r.body), vec![room.hostile]);
    let r = get(&app, "/feeds/rss.xml?section=-world").await;
    assert_eq!(ids(&r.body), vec![room.public[2]]);
    let from = (t.now() - chrono::Duration::minutes(15))
        .and_utc()
        .to_rfc3339();
    let r = get(
        &app,
        &format!("/feeds/rss.xml?from={}", from.replace('+', "%2B")),
    )
    .await;
    assert_eq!(ids(&r.body), room.public[..2], "from/to as on /articles");
    let r = get(&app, "/feeds/rss.xml?featured=true").await;
    assert!(ids(&r.body).is_empty());
    let r = get(&app, "/feeds/rss.xml?section=nowhere").await;
    assert!(
        ids(&r.body).is_empty(),
        "an unknown section matches nothing"
    );
    get(&app, "/feeds/rss.xml?lang=xx")
        .await
        .assert_problem(400, "invalid_parameter");
    let _ = room.world;
}

/// The text of every `<name>` element (by local name) of an XML document.
fn texts(xml: &[u8], name: &str) -> Vec<String> {
    use quick_xml::Reader;
    use quick_xml::events::Event;
    let mut reader = Reader::from_reader(xml);
    let (mut out, mut inside, mut buf) = (Vec::new(), false, Vec::new());
    loop {
        match reader.read_event_into(&mut buf).expect("well-formed XML") {
            Event::Start(e) => inside = e.name().as_ref() == name.as_bytes(),
            Event::Text(t) if inside => out.push(t.decode().unwrap().into_owned()),
            Event::End(_) => inside = false,
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

/// `hreflang → href` of the alternates inside each `<url>`, by its `<loc>`.
fn alternates(xml: &str) -> HashMap<String, Vec<(String, String)>> {
    let mut out = HashMap::new();
    for url in xml.split("<url>").skip(1) {
        let loc = url
            .split("<loc>")
            .nth(1)
            .unwrap()
            .split("</loc>")
            .next()
            .unwrap();
        let links: Vec<(String, String)> = url
            .split("<xhtml:link ")
            .skip(1)
            .map(|l| {
                let attr = |name: &str| {
                    l.split(&format!("{name}=\""))
                        .nth(1)
                        .unwrap()
                        .split('"')
                        .next()
                        .unwrap()
                        .to_string()
                };
                (attr("hreflang"), attr("href"))
            })
            .collect();
        out.insert(loc.to_string(), links);
    }
    out
}

async fn sitemaps_list_every_public_page_once(t: TestCtx) {
    let world = t.section("world", &[("en", "World")], 1);
    let mut en = ArticleSpec::published("Harbour opens", world, t.now() - Duration::hours(1));
    en.translation_group = Some(900);
    let en = t.article(en);
    let mut ru = ArticleSpec::published("Гавань открыта", world, t.now() - Duration::hours(1));
    ru.lang = "ru";
    ru.slug = Some("gavan".into());
    ru.translation_group = Some(900);
    t.article(ru);
    let old = t.published("Old & forgotten", world, 60 * 24 * 45);
    let mut draft = ArticleSpec::published("A draft", world, t.now());
    draft.status = Status::Draft;
    draft.published_at = None;
    t.article(draft);
    let mut scheduled = ArticleSpec::published("Later", world, t.now() + Duration::hours(1));
    scheduled.slug = Some("later".into());
    t.article(scheduled);
    let app = t.app().await;

    let r = get(&app, "/sitemap.xml").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), "application/xml; charset=utf-8");
    let sitemaps = texts(&r.body, "loc");
    let months: Vec<&String> = sitemaps
        .iter()
        .filter(|s| s.contains("/articles-"))
        .collect();
    assert_eq!(months.len(), 2, "two months with articles: {sitemaps:?}");
    assert!(sitemaps.contains(&"https://news.example.com/sitemaps/sections.xml".to_string()));
    assert_eq!(texts(&r.body, "lastmod").len(), 2, "months carry lastmod");

    let mut listed = Vec::new();
    for month in months {
        let path = month.strip_prefix("https://news.example.com").unwrap();
        let r = get(&app, path).await;
        assert_eq!(r.status, 200, "{path}");
        listed.extend(texts(&r.body, "loc"));
        let xml = String::from_utf8(r.body).unwrap();
        if let Some(links) =
            alternates(&xml).get("https://news.example.com/en/articles/harbour-opens")
        {
            assert_eq!(
                links,
                &vec![
                    (
                        "en".to_string(),
                        "https://news.example.com/en/articles/harbour-opens".to_string()
                    ),
                    (
                        "ru".to_string(),
                        "https://news.example.com/ru/articles/gavan".to_string()
                    ),
                ],
                "both language versions, this one included"
            );
        }
    }
    listed.sort();
    assert_eq!(
        listed,
        vec![
            "https://news.example.com/en/articles/harbour-opens",
            "https://news.example.com/en/articles/old-forgotten",
            "https://news.example.com/ru/articles/gavan",
        ],
        "every public article exactly once"
    );

    let r = get(&app, "/sitemaps/news.xml").await;
    assert_eq!(r.status, 200);
    // Newest first; the two share their publish time, so the later id comes first.
    assert_eq!(
        texts(&r.body, "loc"),
        vec![
            "https://news.example.com/ru/articles/gavan",
            "https://news.example.com/en/articles/harbour-opens",
        ],
        "the last 48 hours only"
    );
    assert_eq!(
        texts(&r.body, "news:name"),
        vec![t.state.site().name.clone(); 2]
    );
    assert_eq!(texts(&r.body, "news:language"), vec!["ru", "en"]);
    assert_eq!(texts(&r.body, "news:title")[0], "Гавань открыта");
    assert_eq!(texts(&r.body, "news:publication_date").len(), 2);

    let r = get(&app, "/sitemaps/sections.xml").await;
    assert_eq!(
        texts(&r.body, "loc"),
        vec![
            "https://news.example.com/en/sections/world",
            "https://news.example.com/ru/sections/world",
            "https://news.example.com/az/sections/world",
        ]
    );
    for missing in [
        "/sitemaps/articles-1999-01.xml",
        "/sitemaps/articles-2026-13.xml",
        "/sitemaps/articles-2026-11-2.xml",
        "/sitemaps/other.xml",
    ] {
        get(&app, missing).await.assert_problem(404, "not_found");
    }
    let _ = (en, old);
}

async fn site_settings_are_edited_by_admins(t: TestCtx) {
    let app = t.app().await;
    let (_, admin) = t.signed_in("admin@example.com", "admin");
    let (_, editor) = t.signed_in("editor@example.com", "editor");
    let (_, writer) = t.signed_in("writer@example.com", "writer");
    let patch = json!({"name": "Caspian Daily"});
    app.anon()
        .patch("/api/v1/site", patch.clone())
        .await
        .assert_problem(401, "missing_token");
    for token in [&editor, &writer] {
        app.by(token)
            .patch("/api/v1/site", patch.clone())
            .await
            .assert_problem(403, "forbidden");
    }

    // Every bad value at once.
    let r = app
        .by(&admin)
        .patch(
            "/api/v1/site",
            json!({
                "timezone": "Mars/Olympus",
                "default_language": "de",
                "social_links": {"telegram": "not a url", "x": "javascript:alert(1)"},
                "min_app_version": "two",
                "name": " ",
            }),
        )
        .await;
    r.assert_problem(422, "validation_failed");
    let fields: Vec<String> = r.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    for field in [
        "timezone",
        "default_language",
        "social_links.telegram",
        "social_links.x",
        "min_app_version",
        "name",
    ] {
        assert!(fields.iter().any(|f| f == field), "{field} in {fields:?}");
    }
    let r = app
        .by(&admin)
        .patch("/api/v1/site", json!({"colour": "red"}))
        .await;
    r.assert_problem(422, "validation_failed");

    // A language in use cannot go.
    let world = t.section("world", &[("en", "World")], 1);
    let mut ru = ArticleSpec::published("Статья", world, t.now());
    ru.lang = "ru";
    t.article(ru);
    let r = app
        .by(&admin)
        .patch("/api/v1/site", json!({"languages": ["en", "az"]}))
        .await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.json()["errors"][0]["code"], "language_in_use");

    let r = app
        .by(&admin)
        .patch(
            "/api/v1/site",
            json!({"social_links": {"telegram": "https://t.me/caspian", "twitter": "https://twitter.com/caspian"}}),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.json());
    let r = app
        .by(&admin)
        .patch(
            "/api/v1/site",
            json!({
                "name": "Caspian Daily",
                "description": "Daily news.",
                "timezone": "Europe/Berlin",
                "languages": ["ru", "en", "az", "pt-BR"],
                "default_language": "ru",
                "social_links": {"twitter": null, "mastodon": "https://mastodon.social/@caspian"},
                "min_app_version": null,
            }),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.json());
    let site = r.json();
    assert_eq!(site["name"], "Caspian Daily");
    assert_eq!(site["timezone"], "Europe/Berlin");
    assert_eq!(site["languages"], json!(["ru", "en", "az", "pt-BR"]));
    assert_eq!(site["default_language"], "ru");
    assert!(site["social_links"].get("twitter").is_none());
    assert_eq!(
        site["social_links"]["mastodon"],
        "https://mastodon.social/@caspian"
    );
    assert!(
        site["social_links"]["telegram"].is_string(),
        "other links kept"
    );
    assert!(site["min_app_version"].is_null());
    // Served at once by this process, and announced.
    let r = app.anon().get("/api/v1/site").await;
    assert_eq!(r.json()["name"], "Caspian Daily");
    // The change feed lists a change once it has settled.
    t.clock.advance(Duration::seconds(3));
    let changes = app.anon().get("/api/v1/changes").await.json()["data"]
        .as_array()
        .unwrap()
        .clone();
    let last = changes.last().unwrap();
    assert_eq!(
        (last["type"].as_str(), last["kind"].as_str()),
        (Some("site"), Some("upsert"))
    );
    // The feeds follow: the new name and language.
    let feed = parse_feed(&get(&app, "/feeds/atom.xml").await.body);
    assert_eq!(feed.title.unwrap().content, "Caspian Daily");
    assert_eq!(feed.language.as_deref(), Some("ru"));
}

async fn site_and_feeds_follow_writes_on_other_processes(t: TestCtx) {
    t.section("world", &[("en", "World")], 1);
    let admin = t.user("chief@example.com", "admin");
    let token = t.token_at(admin, Utc::now());
    // Response caches on, as deployed: a change shows everywhere once each process notices
    // the content version moved.
    let env = [("NEWSDESK_JWT_SECRET", TEST_JWT_SECRET)];
    let a = Server::start_with(&t.db.url.redacted(), &env);
    let b = Server::start_with(&t.db.url.redacted(), &env);
    let (on_a, on_b) = (a.client(Some(&token)), b.client(None));
    // B caches its answers first.
    let (status, site) = on_b.get("/api/v1/site").unwrap();
    assert_eq!(status, 200, "{site}");
    let (_, rss) = on_b.get("/feeds/rss.xml").unwrap();
    assert!(!rss.contains("Ferry"));

    let (status, body) = on_a
        .send(
            "PATCH",
            "/api/v1/site",
            Some(&json!({"name": "Caspian Evening"})),
            &[],
        )
        .unwrap();
    assert_eq!(status, 200, "{body}");
    let body = json!({"title": "Ferry resumes", "lang": "en", "section": "world",
        "lead": "A lead.", "body": "The ferry."});
    let (status, created) = on_a
        .send("POST", "/api/v1/articles", Some(&body), &[])
        .unwrap();
    assert_eq!(status, 201, "{created}");
    let id = serde_json::from_str::<Value>(&created).unwrap()["id"]
        .as_i64()
        .unwrap();
    let (status, _) = on_a
        .send("POST", &format!("/api/v1/articles/{id}/publish"), None, &[])
        .unwrap();
    assert_eq!(status, 200);

    let started = Instant::now();
    loop {
        let (_, site) = on_b.get("/api/v1/site").unwrap();
        let (_, rss) = on_b.get("/feeds/rss.xml").unwrap();
        if site.contains("Caspian Evening") && rss.contains("Ferry resumes") {
            break;
        }
        // Each process notices a change within about a second (the time is printed; it is
        // measured, not asserted, beyond a bound that only a stuck process misses).
        assert!(
            started.elapsed() < StdDuration::from_secs(15),
            "B still serves the old site or feed; B's log:\n{}",
            b.log_tail()
        );
        std::thread::sleep(StdDuration::from_millis(50));
    }
    eprintln!("B served A's changes after {:?}", started.elapsed());
    a.terminate();
    b.terminate();
}
