//! The public read API on both backends: every endpoint, filter and order, paging, caching
//! headers and the service endpoints.

use std::collections::HashSet;

use actix_web::test::TestRequest;
use chrono::Duration;

use crate::common::{self, ArticleSpec, TestCtx, get, send};
use newsdesk::domain::Status;

both_backends!(
    site_is_served_with_cache_headers,
    sections_resolve_names_and_count_articles,
    feed_shows_only_visible_articles_in_order,
    feed_filters,
    feed_paging_survives_inserts,
    newer_than_counts_new_stories,
    article_page_is_complete,
    article_slugs_resolve_per_language,
    scheduled_article_appears_at_its_time,
    related_prefers_shared_tags,
    authors_and_tags,
    etag_and_conditional_requests,
    service_endpoints,
    http_conventions,
);

async fn site_is_served_with_cache_headers(t: TestCtx) {
    let app = t.app().await;
    let r = get(&app, "/api/v1/site").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), "application/json");
    assert_eq!(r.header("cache-control").unwrap(), "public, max-age=30");
    let etag = r.header("etag").unwrap();
    assert!(
        etag.starts_with('"') && etag.ends_with('"'),
        "strong etag: {etag}"
    );
    let site = r.json();
    assert_eq!(site["default_language"], "en");
    assert_eq!(site["languages"], serde_json::json!(["en", "ru", "az"]));
    assert_eq!(site["base_url"], "https://news.example.com");
    assert!(site["copyright"].as_str().unwrap().contains("hyperlink"));
    assert!(site["social_links"].is_object() && site["app_links"].is_object());

    let r = send(
        &app,
        TestRequest::get()
            .uri("/api/v1/site")
            .insert_header(("If-None-Match", etag.as_str())),
    )
    .await;
    assert_eq!(r.status, 304);
    assert!(r.body.is_empty());
    assert_eq!(r.header("etag").unwrap(), etag);

    let r = send(
        &app,
        TestRequest::default()
            .method(actix_web::http::Method::HEAD)
            .uri("/api/v1/site"),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("etag").unwrap(), etag);
}

async fn sections_resolve_names_and_count_articles(t: TestCtx) {
    let world = t.section(
        "world",
        &[("en", "World"), ("ru", "Мир"), ("az", "Dünya")],
        1,
    );
    let sport = t.section("sport", &[("en", "Sport")], 2);
    let politics = t.section("politics", &[("en", "Politics"), ("ru", "Политика")], 3);
    t.published("One", world, 10);
    t.published("Two", world, 20);
    let mut ru = ArticleSpec::published("Три", world, t.now() - Duration::minutes(5));
    ru.lang = "ru";
    t.article(ru);
    let mut draft = ArticleSpec::published("Draft", world, t.now());
    draft.status = Status::Draft;
    draft.published_at = None;
    t.article(draft);
    t.article(ArticleSpec::published(
        "Future",
        sport,
        t.now() + Duration::hours(1),
    ));
    let app = t.app().await;

    let r = get(&app, "/api/v1/sections?lang=ru").await;
    assert_eq!(r.status, 200);
    let body = r.json();
    let data = body["data"].as_array().unwrap();
    assert_eq!(data.len(), 3);
    assert_eq!(data[0]["slug"], "world");
    assert_eq!(data[0]["name"], "Мир");
    assert_eq!(data[0]["names"]["az"], "Dünya");
    assert_eq!(data[0]["article_count"], 1, "only ru articles with lang=ru");
    assert_eq!(
        data[1]["name"], "Sport",
        "falls back to the default language"
    );
    assert_eq!(
        data[1]["article_count"], 0,
        "future articles are not counted"
    );
    assert_eq!(data[2]["position"], 3);
    assert_eq!(body["meta"]["next_cursor"], serde_json::Value::Null);

    let r = get(&app, "/api/v1/sections").await;
    assert_eq!(r.json()["data"][0]["article_count"], 3);
    assert_eq!(r.json()["data"][0]["name"], "World");

    // Paging one by one reaches every section exactly once.
    let mut seen = Vec::new();
    let mut uri = "/api/v1/sections?limit=1".to_string();
    loop {
        let r = get(&app, &uri).await;
        assert_eq!(r.status, 200);
        seen.extend(r.ids());
        match r.json()["meta"]["next_cursor"].as_str() {
            Some(c) => {
                assert!(r.header("link").unwrap().contains("rel=\"next\""));
                uri = format!("/api/v1/sections?limit=1&cursor={c}");
            }
            None => break,
        }
    }
    assert_eq!(seen, vec![world, sport, politics]);

    let by_slug = get(&app, "/api/v1/sections/world?lang=az").await;
    assert_eq!(by_slug.status, 200);
    assert_eq!(by_slug.json()["name"], "Dünya");
    let by_id = get(&app, &format!("/api/v1/sections/{politics}")).await;
    assert_eq!(by_id.json()["slug"], "politics");
    get(&app, "/api/v1/sections/nowhere")
        .await
        .assert_problem(404, "not_found");

    let feed = get(&app, "/api/v1/sections/world/articles").await;
    assert_eq!(feed.status, 200);
    assert_eq!(feed.ids().len(), 3);
    let feed = get(&app, "/api/v1/sections/world/articles?lang=ru").await;
    assert_eq!(feed.ids().len(), 1);
    assert_eq!(feed.json()["data"][0]["section"]["name"], "Мир");
    get(&app, "/api/v1/sections/nowhere/articles")
        .await
        .assert_problem(404, "not_found");
}

async fn feed_shows_only_visible_articles_in_order(t: TestCtx) {
    let s = t.section("world", &[("en", "World")], 1);
    let a = t.published("Alpha", s, 30);
    let b = t.published("Bravo", s, 20);
    let c = t.published("Charlie", s, 10);
    let mut draft = ArticleSpec::published("Draft", s, t.now());
    draft.status = Status::Draft;
    draft.published_at = None;
    t.article(draft);
    let mut archived = ArticleSpec::published("Archived", s, t.now() - Duration::minutes(5));
    archived.status = Status::Archived;
    t.article(archived);
    t.article(ArticleSpec::published(
        "Scheduled",
        s,
        t.now() + Duration::minutes(1),
    ));
    let mut popular = ArticleSpec::published("Delta", s, t.now() - Duration::minutes(40));
    popular.views = 500;
    let d = t.article(popular);
    let app = t.app().await;

    let r = get(&app, "/api/v1/articles").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.ids(), vec![c, b, a, d]);
    let body = r.json();
    assert_eq!(body["meta"]["limit"], 20);
    assert_eq!(body["meta"]["next_cursor"], serde_json::Value::Null);
    assert!(r.header("link").is_none());
    assert!(
        body["data"][0].get("body_html").is_none(),
        "list items have no body"
    );
    assert_eq!(body["data"][0]["status"], "published");

    assert_eq!(
        get(&app, "/api/v1/articles?order=oldest").await.ids(),
        vec![d, a, b, c]
    );
    assert_eq!(
        get(&app, "/api/v1/articles?order=popular").await.ids()[0],
        d
    );

    let r = get(&app, "/api/v1/articles?limit=2&with_total=true").await;
    assert_eq!(r.ids(), vec![c, b]);
    let meta = &r.json()["meta"];
    assert_eq!(meta["total"], 4);
    let cursor = meta["next_cursor"].as_str().unwrap().to_string();
    let link = r.header("link").unwrap();
    assert!(
        link.starts_with("</api/v1/articles?") && link.ends_with("; rel=\"next\""),
        "{link}"
    );
    assert!(link.contains(&cursor));
    let r = get(&app, &format!("/api/v1/articles?limit=2&cursor={cursor}")).await;
    assert_eq!(r.ids(), vec![a, d]);
    assert_eq!(r.json()["meta"]["next_cursor"], serde_json::Value::Null);

    // The oldest-first and popular orders page too.
    let r = get(&app, "/api/v1/articles?order=oldest&limit=3").await;
    let cursor = r.json()["meta"]["next_cursor"]
        .as_str()
        .unwrap()
        .to_string();
    let r = get(
        &app,
        &format!("/api/v1/articles?order=oldest&limit=3&cursor={cursor}"),
    )
    .await;
    assert_eq!(r.ids(), vec![c]);
    let r = get(&app, "/api/v1/articles?order=popular&limit=1").await;
    let cursor = r.json()["meta"]["next_cursor"]
        .as_str()
        .unwrap()
        .to_string();
    let r = get(
        &app,
        &format!("/api/v1/articles?order=popular&limit=3&cursor={cursor}"),
    )
    .await;
    assert_eq!(r.ids().len(), 3);
    assert!(!r.ids().contains(&d));
}

async fn feed_filters(t: TestCtx) {
    let world = t.section("world", &[("en", "World")], 1);
    let sport = t.section("sport", &[("en", "Sport")], 2);
    let culture = t.section("culture", &[("en", "Culture")], 3);
    let energy = t.tag("Energy");
    let football = t.tag("Football");
    let music = t.tag("Music");
    let ann = t.author("Ann Lee");
    let bob = t.author("Bob Stone");
    let now = t.now();
    let mk =
        |title: &str, section, lang, tags: Vec<i64>, authors: Vec<i64>, minutes: i64, featured| {
            let mut spec = ArticleSpec::published(title, section, now - Duration::minutes(minutes));
            spec.lang = lang;
            spec.tags = tags;
            spec.authors = authors;
            spec.featured = featured;
            t.article(spec)
        };
    let w1 = mk(
        "World energy",
        world,
        "en",
        vec![energy],
        vec![ann],
        10,
        true,
    );
    let w2 = mk(
        "World music",
        world,
        "ru",
        vec![music],
        vec![bob],
        20,
        false,
    );
    let s1 = mk(
        "Sport football",
        sport,
        "en",
        vec![football],
        vec![ann, bob],
        30,
        false,
    );
    let s2 = mk(
        "Sport energy drinks",
        sport,
        "az",
        vec![football, energy],
        vec![bob],
        60 * 24 * 3,
        true,
    );
    let c1 = mk(
        "Culture night",
        culture,
        "en",
        vec![music],
        vec![],
        60 * 24 * 10,
        false,
    );
    let app = t.app().await;
    let ids = |r: common::Resp| -> Vec<i64> {
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        r.ids()
    };

    assert_eq!(
        ids(get(&app, "/api/v1/articles?section=world").await),
        vec![w1, w2]
    );
    assert_eq!(
        ids(get(&app, "/api/v1/articles?section=world,culture").await),
        vec![w1, w2, c1]
    );
    assert_eq!(
        ids(get(&app, "/api/v1/articles?section=-world").await),
        vec![s1, s2, c1]
    );
    assert_eq!(
        ids(get(&app, "/api/v1/articles?section=-world,-sport").await),
        vec![c1]
    );
    assert_eq!(
        ids(get(&app, "/api/v1/articles?tag=energy").await),
        vec![w1, s2]
    );
    assert_eq!(
        ids(get(&app, "/api/v1/articles?tag=energy,music").await),
        vec![w1, w2, s2, c1]
    );
    assert_eq!(
        ids(get(&app, "/api/v1/articles?tag=football,-energy").await),
        vec![s1]
    );
    assert_eq!(
        ids(get(&app, "/api/v1/articles?author=ann-lee").await),
        vec![w1, s1]
    );
    assert_eq!(
        ids(get(&app, "/api/v1/articles?author=-bob-stone").await),
        vec![w1, c1]
    );
    assert_eq!(
        ids(get(&app, "/api/v1/articles?lang=en").await),
        vec![w1, s1, c1]
    );
    assert_eq!(ids(get(&app, "/api/v1/articles?lang=az").await), vec![s2]);
    assert_eq!(
        ids(get(&app, "/api/v1/articles?featured=true").await),
        vec![w1, s2]
    );
    assert_eq!(
        ids(get(&app, "/api/v1/articles?featured=false").await),
        vec![w2, s1, c1]
    );
    assert_eq!(
        ids(get(&app, "/api/v1/articles?from=2026-02-26").await),
        vec![w1, w2, s1, s2]
    );
    assert_eq!(
        ids(get(&app, "/api/v1/articles?to=2026-02-26").await),
        vec![s2, c1]
    );
    assert_eq!(
        ids(get(&app, "/api/v1/articles?from=2026-02-26&to=2026-02-26").await),
        vec![s2]
    );
    assert_eq!(
        ids(get(
            &app,
            "/api/v1/articles?from=2026-03-01T11:35:00Z&to=2026-03-01T12:00:00%2B00:00"
        )
        .await),
        vec![w1, w2]
    );
    assert_eq!(
        ids(get(
            &app,
            "/api/v1/articles?section=sport&tag=energy&author=bob-stone&featured=true&lang=az"
        )
        .await),
        vec![s2]
    );
    // Unknown slugs: an unknown include matches nothing, an unknown exclude excludes nothing.
    assert_eq!(
        ids(get(&app, "/api/v1/articles?tag=no-such-tag").await),
        Vec::<i64>::new()
    );
    assert_eq!(
        ids(get(&app, "/api/v1/articles?tag=-no-such-tag").await).len(),
        5
    );
    // Scoped feeds take the same filters.
    assert_eq!(
        ids(get(&app, "/api/v1/tags/energy/articles?section=sport").await),
        vec![s2]
    );
    assert_eq!(
        ids(get(&app, "/api/v1/authors/bob-stone/articles?tag=-football").await),
        vec![w2]
    );
    assert_eq!(
        ids(get(&app, "/api/v1/sections/world/articles?section=sport").await),
        Vec::<i64>::new()
    );
    let r = get(&app, "/api/v1/articles?tag=energy&with_total=true").await;
    assert_eq!(r.json()["meta"]["total"], 2);
}

async fn feed_paging_survives_inserts(t: TestCtx) {
    let s = t.section("world", &[("en", "World")], 1);
    let mut expected = Vec::new();
    for i in 0..23 {
        // Two articles share each timestamp so ties are broken by id.
        expected.push(t.published(&format!("Story {i}"), s, 100 + i / 2));
    }
    let app = t.app().await;
    let mut seen = Vec::new();
    let mut uri = "/api/v1/articles?limit=5".to_string();
    let mut pages = 0;
    loop {
        let r = get(&app, &uri).await;
        assert_eq!(r.status, 200);
        pages += 1;
        seen.extend(r.ids());
        // Meanwhile newer stories are published.
        t.published(&format!("Breaking {pages}"), s, 1);
        match r.json()["meta"]["next_cursor"].as_str() {
            Some(c) => uri = format!("/api/v1/articles?limit=5&cursor={c}"),
            None => break,
        }
    }
    assert!(pages >= 3);
    let unique: HashSet<i64> = seen.iter().copied().collect();
    assert_eq!(unique.len(), seen.len(), "no repeats: {seen:?}");
    let expected: HashSet<i64> = expected.into_iter().collect();
    assert_eq!(unique, expected, "no gaps");
}

async fn newer_than_counts_new_stories(t: TestCtx) {
    let s = t.section("world", &[("en", "World")], 1);
    t.published("Old", s, 60);
    t.published("Older", s, 90);
    let app = t.app().await;
    let r = get(&app, "/api/v1/articles?limit=1").await;
    let head = r.json()["meta"]["head_cursor"]
        .as_str()
        .unwrap()
        .to_string();
    let count = |r: common::Resp| r.json()["count"].as_i64().unwrap();
    assert_eq!(
        count(get(&app, &format!("/api/v1/articles?newer_than={head}")).await),
        0
    );
    t.published("New 1", s, 5);
    t.published("New 2", s, 4);
    t.article(ArticleSpec::published(
        "Not yet",
        s,
        t.now() + Duration::minutes(5),
    ));
    let mut ru = ArticleSpec::published("Новое", s, t.now() - Duration::minutes(3));
    ru.lang = "ru";
    t.article(ru);
    assert_eq!(
        count(get(&app, &format!("/api/v1/articles?newer_than={head}")).await),
        3
    );
    assert_eq!(
        count(get(&app, &format!("/api/v1/articles?newer_than={head}&lang=en")).await),
        2
    );
    t.clock.advance(Duration::minutes(6));
    assert_eq!(
        count(get(&app, &format!("/api/v1/articles?newer_than={head}")).await),
        4
    );
}

async fn article_page_is_complete(t: TestCtx) {
    let s = t.section("world", &[("en", "World"), ("ru", "Мир")], 1);
    // Made first, so that its id comes first: tags are listed by name, not by id.
    let ports = t.tag("Ports");
    let energy = t.tag("Energy");
    let ann = t.author("Ann Lee");
    let bob = t.author("Bob Stone");
    let mut spec = ArticleSpec::published("Port of Baku grows", s, t.now() - Duration::hours(1));
    spec.body = format!(
        "{}\n\n<script>alert(1)</script>\n\n[x](javascript:alert(2)) <img src=x onerror=alert(3)>",
        "word ".repeat(450)
    );
    spec.authors = vec![bob, ann];
    spec.tags = vec![ports, energy];
    spec.featured = true;
    spec.views = 71;
    let en = t.article(spec);
    diesel_set_group(&t, en, en);
    let mut ru = ArticleSpec::published("Порт Баку растёт", s, t.now() - Duration::minutes(30));
    ru.lang = "ru";
    ru.translation_group = Some(en);
    let ru_id = t.article(ru);
    let mut az = ArticleSpec::published("Bakı limanı böyüyür", s, t.now());
    az.lang = "az";
    az.translation_group = Some(en);
    az.status = Status::Draft;
    az.published_at = None;
    t.article(az);
    let app = t.app().await;

    let r = get(&app, &format!("/api/v1/articles/{en}")).await;
    assert_eq!(r.status, 200);
    let a = r.json();
    assert_eq!(a["id"], en);
    assert_eq!(a["slug"], "port-of-baku-grows");
    assert_eq!(a["lang"], "en");
    assert_eq!(a["section"]["name"], "World");
    assert_eq!(a["authors"][0]["slug"], "bob-stone", "byline order is kept");
    assert_eq!(a["authors"][1]["slug"], "ann-lee");
    assert_eq!(a["tags"][0]["slug"], "energy");
    assert_eq!(a["tags"][1]["slug"], "ports", "tags by name");
    assert_eq!(a["views"], 71);
    assert_eq!(a["featured"], true);
    assert_eq!(
        a["word_count"], 451,
        "450 words and the link text; raw HTML is not text"
    );
    assert_eq!(a["reading_time_minutes"], 3);
    assert_eq!(a["published_at"], "2026-03-01T11:00:00Z");
    assert_eq!(
        a["canonical_url"],
        "https://news.example.com/en/articles/port-of-baku-grows"
    );
    assert_eq!(a["cover"]["url"], "https://cdn.example.com/x.jpg");
    assert_eq!(a["source"], "Agency");
    let html = a["body_html"].as_str().unwrap();
    for bad in ["<script", "javascript:", "onerror", "alert("] {
        assert!(!html.contains(bad), "{bad} in {html}");
    }
    assert!(a["body_text"].as_str().unwrap().starts_with("word word"));
    assert!(
        a["share"]["twitter"]
            .as_str()
            .unwrap()
            .starts_with("https://twitter.com/intent/tweet?url=https%3A%2F%2Fnews.example.com")
    );
    assert!(
        a["share"]["facebook"]
            .as_str()
            .unwrap()
            .contains("sharer.php?u=")
    );
    assert!(
        a["share"]["telegram"]
            .as_str()
            .unwrap()
            .starts_with("https://t.me/share/url?")
    );
    assert!(
        a["share"]["whatsapp"]
            .as_str()
            .unwrap()
            .starts_with("https://wa.me/?text=")
    );
    assert!(
        a["share"]["email"]
            .as_str()
            .unwrap()
            .starts_with("mailto:?subject=Port%20of%20Baku%20grows")
    );
    let translations = a["translations"].as_array().unwrap();
    assert_eq!(
        translations.len(),
        1,
        "the draft az version is not shown: {translations:?}"
    );
    assert_eq!(translations[0]["lang"], "ru");
    assert_eq!(translations[0]["id"], ru_id);

    let r = get(&app, &format!("/api/v1/articles/{ru_id}")).await;
    assert_eq!(
        r.json()["section"]["name"],
        "Мир",
        "section named in the article's language"
    );
    assert_eq!(r.json()["translations"][0]["id"], en);
}

fn diesel_set_group(t: &TestCtx, id: i64, group: i64) {
    use diesel::prelude::*;
    use newsdesk::db::schema::articles;
    diesel::update(articles::table.filter(articles::id.eq(id)))
        .set(articles::translation_group.eq(group))
        .execute(&mut t.conn())
        .unwrap();
}

async fn article_slugs_resolve_per_language(t: TestCtx) {
    let s = t.section("world", &[("en", "World")], 1);
    let at = t.now() - Duration::hours(1);
    let mut en = ArticleSpec::published("Same", s, at);
    en.slug = Some("shared-slug".into());
    let en = t.article(en);
    let mut ru = ArticleSpec::published("Тот же", s, at);
    ru.slug = Some("shared-slug".into());
    ru.lang = "ru";
    let ru = t.article(ru);
    let mut only_az = ArticleSpec::published("Yalnız", s, at);
    only_az.slug = Some("only-az".into());
    only_az.lang = "az";
    let az = t.article(only_az);
    let mut draft = ArticleSpec::published("Secret draft", s, at);
    draft.status = Status::Draft;
    t.article(draft);
    t.article(ArticleSpec::published(
        "Tomorrow",
        s,
        t.now() + Duration::days(1),
    ));
    let mut archived = ArticleSpec::published("Gone", s, at);
    archived.status = Status::Archived;
    t.article(archived);
    let app = t.app().await;

    assert_eq!(
        get(&app, "/api/v1/articles/shared-slug").await.json()["id"],
        en
    );
    assert_eq!(
        get(&app, "/api/v1/articles/shared-slug?lang=ru")
            .await
            .json()["id"],
        ru
    );
    assert_eq!(get(&app, "/api/v1/articles/only-az").await.json()["id"], az);
    get(&app, "/api/v1/articles/only-az?lang=en")
        .await
        .assert_problem(404, "not_found");
    for hidden in ["secret-draft", "tomorrow", "gone", "never-existed"] {
        get(&app, &format!("/api/v1/articles/{hidden}"))
            .await
            .assert_problem(404, "not_found");
        get(&app, &format!("/api/v1/articles/{hidden}/related"))
            .await
            .assert_problem(404, "not_found");
    }
}

async fn scheduled_article_appears_at_its_time(t: TestCtx) {
    let s = t.section("world", &[("en", "World")], 1);
    let id = t.article(ArticleSpec::published(
        "At noon",
        s,
        t.now() + Duration::minutes(30),
    ));
    let app = t.app().await;
    get(&app, &format!("/api/v1/articles/{id}"))
        .await
        .assert_problem(404, "not_found");
    assert!(get(&app, "/api/v1/articles").await.ids().is_empty());
    t.clock.advance(Duration::minutes(30));
    assert_eq!(
        get(&app, &format!("/api/v1/articles/{id}")).await.status,
        200
    );
    assert_eq!(get(&app, "/api/v1/articles").await.ids(), vec![id]);
}

async fn related_prefers_shared_tags(t: TestCtx) {
    let world = t.section("world", &[("en", "World")], 1);
    let sport = t.section("sport", &[("en", "Sport")], 2);
    let a = t.tag("Energy");
    let b = t.tag("Climate");
    let now = t.now();
    let mk = |title: &str, section, tags: Vec<i64>, lang, minutes| {
        let mut spec = ArticleSpec::published(title, section, now - Duration::minutes(minutes));
        spec.tags = tags;
        spec.lang = lang;
        t.article(spec)
    };
    let base = mk("Base", world, vec![a, b], "en", 100);
    let both_tags = mk("Both tags", sport, vec![a, b], "en", 300);
    let one_tag = mk("One tag", sport, vec![a], "en", 10);
    let same_section = mk("Same section", world, vec![], "en", 5);
    let _other_lang = mk("Другой язык", world, vec![a, b], "ru", 1);
    let _unrelated = mk("Unrelated", sport, vec![], "en", 1);
    let app = t.app().await;
    let r = get(&app, &format!("/api/v1/articles/{base}/related")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.ids(), vec![both_tags, one_tag, same_section]);
    let r = get(&app, &format!("/api/v1/articles/{base}/related?limit=1")).await;
    assert_eq!(r.ids(), vec![both_tags]);
}

async fn authors_and_tags(t: TestCtx) {
    let s = t.section("world", &[("en", "World")], 1);
    let names = ["Zed Young", "Ann Lee", "Mia Cole", "Bob Stone"];
    let ids: Vec<i64> = names.iter().map(|n| t.author(n)).collect();
    let energy = t.tag("Energy");
    t.tag("Art");
    t.tag("Zoology");
    let mut spec = ArticleSpec::published("By Ann", s, t.now() - Duration::minutes(1));
    spec.authors = vec![ids[1]];
    spec.tags = vec![energy];
    let by_ann = t.article(spec);
    let app = t.app().await;

    let mut seen = Vec::new();
    let mut uri = "/api/v1/authors?limit=3".to_string();
    loop {
        let r = get(&app, &uri).await;
        assert_eq!(r.status, 200);
        for a in r.json()["data"].as_array().unwrap() {
            seen.push(a["name"].as_str().unwrap().to_string());
            assert!(a.get("article_count").is_none());
        }
        match r.json()["meta"]["next_cursor"].as_str() {
            Some(c) => uri = format!("/api/v1/authors?limit=3&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, vec!["Ann Lee", "Bob Stone", "Mia Cole", "Zed Young"]);
    let ann = get(&app, "/api/v1/authors/ann-lee").await.json();
    assert_eq!(ann["article_count"], 1);
    assert_eq!(ann["bio"], "Reporter.");
    assert_eq!(
        get(&app, &format!("/api/v1/authors/{}", ids[0]))
            .await
            .json()["slug"],
        "zed-young"
    );
    assert_eq!(
        get(&app, "/api/v1/authors/ann-lee/articles").await.ids(),
        vec![by_ann]
    );
    assert!(
        get(&app, "/api/v1/authors/zed-young/articles")
            .await
            .ids()
            .is_empty()
    );
    get(&app, "/api/v1/authors/nobody")
        .await
        .assert_problem(404, "not_found");
    get(&app, "/api/v1/authors/nobody/articles")
        .await
        .assert_problem(404, "not_found");

    let tags = get(&app, "/api/v1/tags").await.json();
    let names: Vec<&str> = tags["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Art", "Energy", "Zoology"]);
    assert_eq!(
        get(&app, "/api/v1/tags/energy").await.json()["article_count"],
        1
    );
    assert_eq!(
        get(&app, &format!("/api/v1/tags/{energy}/articles"))
            .await
            .ids(),
        vec![by_ann]
    );
    get(&app, "/api/v1/tags/nothing")
        .await
        .assert_problem(404, "not_found");
    get(&app, "/api/v1/tags/nothing/articles")
        .await
        .assert_problem(404, "not_found");
}

async fn etag_and_conditional_requests(t: TestCtx) {
    let s = t.section("world", &[("en", "World")], 1);
    let id = t.published("First", s, 10);
    let app = t.app().await;
    for uri in [
        "/api/v1/articles".to_string(),
        format!("/api/v1/articles/{id}"),
        "/api/v1/sections".into(),
        "/api/v1/sections/world".into(),
        "/api/v1/authors".into(),
        "/api/v1/tags".into(),
        format!("/api/v1/articles/{id}/related"),
    ] {
        let r = get(&app, &uri).await;
        assert_eq!(r.status, 200, "{uri}");
        assert_eq!(
            r.header("cache-control").unwrap(),
            "public, max-age=30",
            "{uri}"
        );
        let etag = r.header("etag").expect("etag");
        let again = send(
            &app,
            TestRequest::get()
                .uri(&uri)
                .insert_header(("If-None-Match", etag.as_str())),
        )
        .await;
        assert_eq!(again.status, 304, "{uri}");
        let list = format!("\"other\", W/{etag}");
        let weak = send(
            &app,
            TestRequest::get()
                .uri(&uri)
                .insert_header(("If-None-Match", list.as_str())),
        )
        .await;
        assert_eq!(weak.status, 304, "weak comparison for If-None-Match: {uri}");
        let other = send(
            &app,
            TestRequest::get()
                .uri(&uri)
                .insert_header(("If-None-Match", "\"nope\"")),
        )
        .await;
        assert_eq!(other.status, 200, "{uri}");
    }
    let before = get(&app, "/api/v1/articles").await.header("etag").unwrap();
    t.published("Second", s, 1);
    let after = get(&app, "/api/v1/articles").await.header("etag").unwrap();
    assert_ne!(before, after, "new content, new ETag");
}

async fn service_endpoints(t: TestCtx) {
    let app = t.app().await;
    let r = get(&app, "/healthz").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["status"], "ok");
    let r = get(&app, "/readyz").await;
    assert_eq!(r.status, 200);
    let backend = match t.backend() {
        common::Backend::Sqlite => "sqlite",
        common::Backend::Postgres => "postgres",
    };
    assert_eq!(r.json()["database"], backend);
    get(&app, "/api/v1/articles").await;
    let r = get(&app, "/metrics").await;
    assert_eq!(r.status, 200);
    let text = String::from_utf8(r.body).unwrap();
    assert!(text.contains("newsdesk_http_requests_total"), "{text}");
    assert!(text.contains("endpoint=\"/api/v1/articles\""), "{text}");
}

async fn http_conventions(t: TestCtx) {
    let s = t.section("world", &[("en", "World")], 1);
    for i in 0..10 {
        t.published(&format!("Story number {i} with a long enough title"), s, i);
    }
    let app = t.app().await;
    let r = send(
        &app,
        TestRequest::get()
            .uri("/api/v1/articles")
            .insert_header(("Accept-Encoding", "gzip")),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-encoding").as_deref(), Some("gzip"));
    let r = send(
        &app,
        TestRequest::get()
            .uri("/api/v1/articles")
            .insert_header(("Accept-Encoding", "br")),
    )
    .await;
    assert_eq!(r.header("content-encoding").as_deref(), Some("br"));

    let r = send(
        &app,
        TestRequest::get()
            .uri("/api/v1/site")
            .insert_header(("Origin", "https://app.example.org")),
    )
    .await;
    assert_eq!(
        r.header("access-control-allow-origin").as_deref(),
        Some("*")
    );
    assert!(r.header("x-request-id").is_some_and(|id| id.len() >= 16));

    // Preflight for an editorial call from a browser.
    let r = send(
        &app,
        TestRequest::default()
            .method(actix_web::http::Method::OPTIONS)
            .uri("/api/v1/articles")
            .insert_header(("Origin", "https://app.example.org"))
            .insert_header(("Access-Control-Request-Method", "POST"))
            .insert_header((
                "Access-Control-Request-Headers",
                "authorization, content-type",
            )),
    )
    .await;
    assert!(r.status.is_success(), "{}", r.status);
    assert!(
        r.header("access-control-allow-methods")
            .unwrap()
            .contains("POST")
    );
}

mod cors_lists {
    use super::common::{Backend, TestCtx, send};
    use actix_web::test::TestRequest;
    use newsdesk::config::CorsOrigins;

    #[actix_web::test]
    async fn only_listed_origins_are_allowed() {
        let _watchdog = crate::common::watchdog();
        let t = TestCtx::with_config(Backend::Sqlite, |c| {
            c.cors_origins = CorsOrigins::List(vec!["https://news.example.com".into()])
        })
        .await
        .unwrap();
        let app = t.app().await;
        let ok = send(
            &app,
            TestRequest::get()
                .uri("/api/v1/site")
                .insert_header(("Origin", "https://news.example.com")),
        )
        .await;
        assert_eq!(
            ok.header("access-control-allow-origin").as_deref(),
            Some("https://news.example.com")
        );
        let other = send(
            &app,
            TestRequest::get()
                .uri("/api/v1/site")
                .insert_header(("Origin", "https://evil.example")),
        )
        .await;
        assert!(
            other.header("access-control-allow-origin").is_none(),
            "the browser will block it"
        );
        let preflight = send(
            &app,
            TestRequest::default()
                .method(actix_web::http::Method::OPTIONS)
                .uri("/api/v1/site")
                .insert_header(("Origin", "https://evil.example"))
                .insert_header(("Access-Control-Request-Method", "GET")),
        )
        .await;
        assert!(preflight.status.is_client_error());
        assert_eq!(preflight.content_type(), "application/problem+json");
    }
}
