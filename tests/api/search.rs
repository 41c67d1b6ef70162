//! Full-text search on both backends: ranking, the query language, filters and facets,
//! paging, visibility, languages, hostile input, snippets and suggestions.

use std::collections::HashSet;

use chrono::Duration;
use serde_json::{Value, json};

use crate::common::{self, Api, ArticleSpec, TestCtx, get};

both_backends!(
    title_matches_outrank_body_matches,
    query_language,
    filters_and_facets_agree,
    paging_returns_each_hit_once,
    only_public_articles_are_found,
    case_accents_and_morphology,
    hostile_queries_never_fail,
    snippets_mark_and_escape,
    suggestions_complete_titles,
    related_uses_text_similarity,
);

fn with_body(
    t: &TestCtx,
    title: &str,
    body: &str,
    section: i64,
    lang: &'static str,
    minutes_ago: i64,
) -> i64 {
    let mut spec = ArticleSpec::published(title, section, t.now() - Duration::minutes(minutes_ago));
    spec.body = body.to_string();
    spec.lang = lang;
    t.article(spec)
}

fn ids(r: &common::Resp) -> Vec<i64> {
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    r.ids()
}

fn uri(q: &str, extra: &str) -> String {
    let q: String = url::form_urlencoded::byte_serialize(q.as_bytes()).collect();
    format!("/api/v1/search?q={q}{extra}")
}

async fn title_matches_outrank_body_matches(t: TestCtx) {
    let s = t.section("world", &[("en", "World")], 1);
    let body_only = with_body(
        &t,
        "Weather report",
        "Rain again. The pipeline was mentioned once in passing.",
        s,
        "en",
        5,
    );
    let in_title = with_body(
        &t,
        "Pipeline deal signed",
        "Officials met in the capital.",
        s,
        "en",
        50,
    );
    let mut lead = ArticleSpec::published("Ministers meet", s, t.now() - Duration::minutes(30));
    lead.body = "Nothing here.".into();
    let in_lead = t.article(lead);
    // The lead is "Lead of Ministers meet": give it the word through the title of another.
    let app = t.app().await;
    let r = get(&app, &uri("pipeline", "")).await;
    assert_eq!(ids(&r), vec![in_title, body_only], "title before body");
    let hits = r.json()["data"].as_array().unwrap().clone();
    assert!(hits[0]["score"].as_f64().unwrap() > hits[1]["score"].as_f64().unwrap());
    assert_eq!(r.json()["meta"]["total"], 2);
    // Lead outranks body.
    let r = get(&app, &uri("ministers OR pipeline", "")).await;
    let order = ids(&r);
    let pos = |id| order.iter().position(|x| *x == id).unwrap();
    assert!(pos(in_lead) < pos(body_only), "{order:?}");
    // newest order is by publish time.
    assert_eq!(
        ids(&get(&app, &uri("pipeline", "&order=newest")).await),
        vec![body_only, in_title]
    );
}

async fn query_language(t: TestCtx) {
    let s = t.section("world", &[("en", "World")], 1);
    let a = with_body(
        &t,
        "Oil prices rise",
        "Brent crude oil prices rose in Baku trading.",
        s,
        "en",
        1,
    );
    let b = with_body(
        &t,
        "Prices of gas",
        "Gas prices and oil output both fell.",
        s,
        "en",
        2,
    );
    let c = with_body(
        &t,
        "Kosovo talks",
        "Talks on Kosovo resumed in Brussels.",
        s,
        "en",
        3,
    );
    let d = with_body(
        &t,
        "Wind farm opens",
        "A new wind farm near Baku.",
        s,
        "en",
        4,
    );
    let app = t.app().await;
    let set = |r: common::Resp| ids(&r).into_iter().collect::<HashSet<i64>>();
    let of = |v: &[i64]| v.iter().copied().collect::<HashSet<i64>>();
    assert_eq!(
        set(get(&app, &uri("oil prices", "")).await),
        of(&[a, b]),
        "all words"
    );
    assert_eq!(
        set(get(&app, &uri("\"oil prices\"", "")).await),
        of(&[a]),
        "phrase"
    );
    assert_eq!(
        set(get(&app, &uri("prices -gas", "")).await),
        of(&[a]),
        "exclusion"
    );
    assert_eq!(
        set(get(&app, &uri("oil -\"gas prices\"", "")).await),
        of(&[a]),
        "phrase exclusion"
    );
    assert_eq!(
        set(get(&app, &uri("kosovo OR wind", "")).await),
        of(&[c, d]),
        "OR"
    );
    assert_eq!(
        set(get(&app, &uri("baku wind OR oil", "")).await),
        of(&[a, d]),
        "AND of an OR"
    );
    assert_eq!(set(get(&app, &uri("kos*", "")).await), of(&[c]), "prefix");
    assert_eq!(set(get(&app, &uri("bak*", "")).await), of(&[a, d]));
    assert!(set(get(&app, &uri("nothingmatchesthis", "")).await).is_empty());
}

async fn filters_and_facets_agree(t: TestCtx) {
    let world = t.section("world", &[("en", "World"), ("ru", "Мир")], 1);
    let sport = t.section("sport", &[("en", "Sport")], 2);
    let energy = t.tag("Energy");
    let ann = t.author("Ann Lee");
    let mut n = 0;
    for (section, lang, tagged) in [
        (world, "en", true),
        (world, "en", false),
        (world, "ru", true),
        (sport, "en", true),
        (sport, "az", false),
        (sport, "ru", false),
        (world, "az", true),
    ] {
        n += 1;
        let mut spec = ArticleSpec::published(
            &format!("Harbour story {n}"),
            section,
            t.now() - Duration::minutes(n),
        );
        spec.lang = lang;
        spec.body = "The harbour expanded.".into();
        if tagged {
            spec.tags = vec![energy];
            spec.authors = vec![ann];
        }
        t.article(spec);
    }
    let app = t.app().await;
    let r = get(&app, &uri("harbour", "")).await;
    let meta = r.json()["meta"].clone();
    assert_eq!(meta["total"], 7);
    let sections = meta["facets"]["sections"].as_array().unwrap().clone();
    let languages = meta["facets"]["languages"].as_array().unwrap().clone();
    assert_eq!(
        sections
            .iter()
            .map(|f| f["count"].as_i64().unwrap())
            .sum::<i64>(),
        7
    );
    assert_eq!(
        languages
            .iter()
            .map(|f| f["count"].as_i64().unwrap())
            .sum::<i64>(),
        7
    );
    assert_eq!(sections[0]["slug"], "world");
    assert_eq!(sections[0]["count"], 4);
    for f in &sections {
        let r = get(
            &app,
            &uri(
                "harbour",
                &format!("&section={}&limit=100", f["slug"].as_str().unwrap()),
            ),
        )
        .await;
        assert_eq!(r.json()["meta"]["total"], f["count"], "section {f}");
        assert_eq!(ids(&r).len() as i64, f["count"].as_i64().unwrap());
        // The facet of the chosen section still shows the others.
        assert_eq!(
            r.json()["meta"]["facets"]["sections"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
    }
    for f in &languages {
        let r = get(
            &app,
            &uri(
                "harbour",
                &format!("&lang={}&limit=100", f["lang"].as_str().unwrap()),
            ),
        )
        .await;
        assert_eq!(r.json()["meta"]["total"], f["count"], "lang {f}");
        assert_eq!(ids(&r).len() as i64, f["count"].as_i64().unwrap());
    }
    let r = get(&app, &uri("harbour", "&tag=energy&lang=en")).await;
    assert_eq!(r.json()["meta"]["total"], 2);
    let langs = &r.json()["meta"]["facets"]["languages"];
    assert_eq!(
        langs
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["count"].as_i64().unwrap())
            .sum::<i64>(),
        4,
        "lang facet ignores the lang filter: {langs}"
    );
    assert_eq!(
        get(&app, &uri("harbour", "&author=ann-lee&section=-world"))
            .await
            .json()["meta"]["total"],
        1
    );
    assert_eq!(
        get(&app, &uri("harbour", "&tag=no-such-tag")).await.json()["meta"]["total"],
        0
    );
    let r = get(&app, &uri("harbour", "&lang=ru")).await;
    let body = r.json();
    let world_facet = body["meta"]["facets"]["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["slug"] == "world")
        .unwrap()
        .clone();
    assert_eq!(
        world_facet["name"], "Мир",
        "facet names in the requested language"
    );
}

async fn paging_returns_each_hit_once(t: TestCtx) {
    let s = t.section("world", &[("en", "World")], 1);
    let mut all = HashSet::new();
    for i in 0..23 {
        // Varying relevance, with ties.
        let body = format!("{} harbour news {}", "harbour ".repeat(i % 4), i);
        all.insert(with_body(
            &t,
            &format!("Story {i}"),
            &body,
            s,
            "en",
            i as i64 / 2,
        ));
    }
    let app = t.app().await;
    for order in ["relevance", "newest"] {
        let mut seen = Vec::new();
        let mut next = uri("harbour", &format!("&order={order}&limit=5"));
        let mut last_score = f64::INFINITY;
        loop {
            let r = get(&app, &next).await;
            for hit in r.json()["data"].as_array().unwrap() {
                let score = hit["score"].as_f64().unwrap();
                assert!(score > 0.0, "{order}: every hit has its relevance");
                if order == "relevance" {
                    assert!(score <= last_score, "scores descend");
                    last_score = score;
                }
            }
            seen.extend(ids(&r));
            match r.json()["meta"]["next_cursor"].as_str() {
                Some(c) => {
                    assert!(r.header("link").is_some());
                    next = uri("harbour", &format!("&order={order}&limit=5&cursor={c}"));
                }
                None => break,
            }
        }
        let unique: HashSet<i64> = seen.iter().copied().collect();
        assert_eq!(unique.len(), seen.len(), "{order}: no repeats");
        assert_eq!(unique, all, "{order}: no gaps");
    }
    let r = get(&app, &uri("harbour", "&limit=5")).await;
    let c = r.json()["meta"]["next_cursor"]
        .as_str()
        .unwrap()
        .to_string();
    get(&app, &uri("harbour", &format!("&order=newest&cursor={c}")))
        .await
        .assert_problem(400, "invalid_cursor");
}

async fn only_public_articles_are_found(t: TestCtx) {
    let s = t.section("world", &[("en", "World")], 1);
    let (editor_id, editor) = t.signed_in("editor@example.com", "editor");
    let visible = with_body(&t, "Zebra crossing", "zebra", s, "en", 5);
    let mut draft = ArticleSpec::published("Zebra draft", s, t.now());
    draft.status = newsdesk::domain::Status::Draft;
    draft.published_at = None;
    t.article(draft);
    let future = t.article(ArticleSpec::published(
        "Zebra tomorrow",
        s,
        t.now() + Duration::hours(1),
    ));
    let mut archived = ArticleSpec::published("Zebra archive", s, t.now() - Duration::days(1));
    archived.status = newsdesk::domain::Status::Archived;
    t.article(archived);
    let app = t.app().await;
    assert_eq!(ids(&get(&app, &uri("zebra", "")).await), vec![visible]);
    assert!(
        get(&app, "/api/v1/search/suggest?q=zeb").await.json()["data"]
            .as_array()
            .unwrap()
            .len()
            == 1
    );
    // Unpublished a moment ago: gone at once.
    let r = app
        .by(&editor)
        .post(&format!("/api/v1/articles/{visible}/unpublish"), None)
        .await;
    assert_eq!(r.status, 200);
    let after = get(&app, &uri("zebra", "")).await;
    assert!(
        ids(&after).is_empty(),
        "{} / {}",
        String::from_utf8_lossy(&after.body),
        String::from_utf8_lossy(&r.body)
    );
    // Scheduled: appears at its time.
    t.clock.advance(Duration::hours(1));
    assert_eq!(ids(&get(&app, &uri("zebra", "")).await), vec![future]);
    // Deleted: gone; edited: found by its new words only.
    let r = app
        .by(&t.token_for(editor_id))
        .patch(
            &format!("/api/v1/articles/{future}"),
            json!({"title": "Giraffe tomorrow", "body": "Giraffes only.", "lead": null}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let edited = get(&app, &uri("giraffe", "")).await;
    assert_eq!(ids(&edited), vec![future]);
    // The snippet is cut from the new body at once.
    assert_eq!(
        edited.json()["data"][0]["snippet"],
        "<mark>Giraffes</mark> only."
    );
    assert!(ids(&get(&app, &uri("zebra", "")).await).is_empty());
    app.by(&t.token_for(editor_id))
        .delete(&format!("/api/v1/articles/{future}"))
        .await;
    assert!(ids(&get(&app, &uri("giraffe", "")).await).is_empty());
}

async fn case_accents_and_morphology(t: TestCtx) {
    let s = t.section("world", &[("en", "World")], 1);
    let kosovo = with_body(
        &t,
        "Новости",
        "Переговоры по Косово продолжаются.",
        s,
        "ru",
        1,
    );
    let baku = with_body(
        &t,
        "Xəbərlər",
        "Bakı şəhərində yeni körpü açılıb.",
        s,
        "az",
        2,
    );
    let vybory = with_body(
        &t,
        "Итоги",
        "Результаты выборов объявлены вечером.",
        s,
        "ru",
        3,
    );
    let election = with_body(&t, "Results", "The election was close.", s, "en", 4);
    let app = t.app().await;
    assert_eq!(
        ids(&get(&app, &uri("КОСОВО", "")).await),
        vec![kosovo],
        "case folding in Cyrillic"
    );
    assert_eq!(
        ids(&get(&app, &uri("Baki", "")).await),
        vec![baku],
        "ı folds to i"
    );
    assert_eq!(
        ids(&get(&app, &uri("seherinde korpu", "")).await),
        vec![baku],
        "ə, ş, ö fold"
    );
    assert_eq!(ids(&get(&app, &uri("BAKI", "&lang=az")).await), vec![baku]);
    assert_eq!(
        ids(&get(&app, &uri("выбор*", "")).await),
        vec![vybory],
        "prefixes work on both"
    );
    assert_eq!(ids(&get(&app, &uri("elect*", "")).await), vec![election]);
    // English and Russian are stemmed on both backends.
    assert_eq!(
        ids(&get(&app, &uri("выборы", "")).await),
        vec![vybory],
        "выборы finds выборов"
    );
    assert_eq!(
        ids(&get(&app, &uri("elections", "")).await),
        vec![election],
        "elections finds election"
    );
    assert_eq!(
        ids(&get(&app, &uri("the elections", "&lang=en")).await),
        vec![election]
    );
    // Azerbaijani words are matched whole (folded, not stemmed).
    assert!(ids(&get(&app, &uri("Bak", "")).await).is_empty());
}

/// Every entry must answer 200 or 400 `invalid_query`/`missing_parameter`, never 5xx.
const HOSTILE: &[&str] = &[
    "\"",
    "\"\"",
    "\"unterminated phrase",
    "*",
    "**",
    "a*b*c",
    ":",
    "title:secret",
    "body:x",
    "(",
    ")",
    "((a)",
    "NEAR",
    "NEAR(a b)",
    "a NEAR/2 b",
    "AND",
    "OR",
    "NOT",
    "a AND",
    "OR a",
    "a OR",
    "NOT a",
    "a NOT b",
    "-",
    "--",
    "-a",
    "- a",
    "!!!",
    "...",
    "?",
    "\\",
    "'; DROP TABLE articles; --",
    "' OR 1=1 --",
    "%",
    "_",
    "a & b | c",
    "!a",
    "a:*",
    "a <-> b",
    "{a}",
    "[a]",
    "^a",
    "a~2",
    "\u{1F600}",
    "\u{1F600} news",
    "Баку Baku 巴库 بَاكُو",
    "e\u{0301}",
    "\u{200B}",
    "\u{0000}",
    "a\u{0000}b",
    "ı",
    "İstanbul",
    "ß",
    "ﬁnance",
    "٣",
    "🇦🇿",
    "null",
    "undefined",
    "<script>alert(1)</script>",
];

async fn hostile_queries_never_fail(t: TestCtx) {
    let s = t.section("world", &[("en", "World")], 1);
    with_body(
        &t,
        "Baku news",
        "Baku and Istanbul and finance.",
        s,
        "en",
        1,
    );
    let app = t.app().await;
    let ten_kb = "baku ".repeat(2_048);
    let long_words = "x".repeat(10_000);
    let many_terms = (0..100)
        .map(|i| format!("w{i}"))
        .collect::<Vec<_>>()
        .join(" ");
    let mut cases: Vec<String> = HOSTILE.iter().map(|s| s.to_string()).collect();
    cases.extend([ten_kb, long_words, many_terms]);
    for q in &cases {
        for extra in ["", "&order=newest", "&lang=ru"] {
            let r = get(&app, &uri(q, extra)).await;
            let status = r.status.as_u16();
            assert!(
                status == 200 || status == 400,
                "{q:?}{extra}: {status} {}",
                String::from_utf8_lossy(&r.body)
            );
            if status == 400 {
                let code = r.json()["code"].as_str().unwrap().to_string();
                assert!(
                    ["invalid_query", "missing_parameter"].contains(&code.as_str()),
                    "{q:?}: {code}"
                );
            }
        }
        let r = get(
            &app,
            &format!(
                "/api/v1/search/suggest?q={}",
                url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
            ),
        )
        .await;
        assert!(
            r.status == 200 || r.status == 400,
            "suggest {q:?}: {}",
            r.status
        );
    }
    get(&app, "/api/v1/search")
        .await
        .assert_problem(400, "missing_parameter");
    get(&app, "/api/v1/search?q=")
        .await
        .assert_problem(400, "missing_parameter");
    get(&app, "/api/v1/search?q=%20%20")
        .await
        .assert_problem(400, "missing_parameter");
    get(&app, "/api/v1/search?q=-excluded")
        .await
        .assert_problem(400, "invalid_query");
    get(&app, "/api/v1/search?q=baku&order=popular")
        .await
        .assert_problem(400, "invalid_parameter");
    get(&app, "/api/v1/search?q=baku&limit=0")
        .await
        .assert_problem(400, "invalid_parameter");
    get(&app, "/api/v1/search?q=baku&cursor=junk")
        .await
        .assert_problem(400, "invalid_cursor");
    get(&app, "/api/v1/search/suggest")
        .await
        .assert_problem(400, "missing_parameter");
    // SQL-looking text is just text.
    assert_eq!(get(&app, &uri("baku' OR '1'='1", "")).await.status, 200);
}

async fn snippets_mark_and_escape(t: TestCtx) {
    let s = t.section("world", &[("en", "World")], 1);
    let filler = "Lorem ipsum dolor sit amet. ".repeat(20);
    let body =
        format!("{filler}The pipeline & the port of Bakı grew (exports < imports). {filler}");
    let id = with_body(&t, "Energy report", &body, s, "en", 1);
    let app = t.app().await;
    let r = get(&app, &uri("pipeline baki", "")).await;
    assert_eq!(ids(&r), vec![id]);
    let snippet = r.json()["data"][0]["snippet"].as_str().unwrap().to_string();
    assert!(
        snippet.contains(
            "<mark>pipeline</mark> &amp; the port of <mark>Bakı</mark> grew (exports &lt; imports)"
        ),
        "{snippet}"
    );
    assert!(
        snippet.starts_with("… ") && snippet.ends_with(" …"),
        "{snippet}"
    );
    assert!(!snippet.contains("<b>"));
    let hit = &r.json()["data"][0];
    for field in [
        "slug",
        "title",
        "section",
        "authors",
        "tags",
        "canonical_url",
        "published_at",
    ] {
        assert!(hit.get(field).is_some(), "hit has {field}");
    }
}

async fn suggestions_complete_titles(t: TestCtx) {
    let s = t.section("world", &[("en", "World")], 1);
    let k1 = with_body(&t, "Kosovo talks resume", "", s, "en", 10);
    let k2 = with_body(&t, "Kosmos launch delayed", "", s, "en", 5);
    let k3 = with_body(&t, "Косово: переговоры", "", s, "ru", 1);
    with_body(&t, "Unrelated", "kosovo in the body only", s, "en", 2);
    let app = t.app().await;
    let r = get(&app, "/api/v1/search/suggest?q=kos").await;
    assert_eq!(r.status, 200);
    let found: Vec<i64> = r.json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert_eq!(found, vec![k2, k1], "title words only, newest first");
    let r = get(&app, "/api/v1/search/suggest?q=%D0%BA%D0%BE%D1%81&lang=ru").await;
    assert_eq!(r.json()["data"][0]["id"], k3);
    assert_eq!(r.json()["data"][0]["title"], "Косово: переговоры");
    let r = get(&app, "/api/v1/search/suggest?q=kosovo%20tal&limit=1").await;
    assert_eq!(r.json()["data"].as_array().unwrap().len(), 1);
    assert_eq!(r.json()["data"][0]["id"], k1);
    get(&app, "/api/v1/search/suggest?q=kos&limit=50")
        .await
        .assert_problem(400, "invalid_parameter");
}

async fn related_uses_text_similarity(t: TestCtx) {
    let world = t.section("world", &[("en", "World")], 1);
    let sport = t.section("sport", &[("en", "Sport")], 2);
    let base = with_body(
        &t,
        "Caspian pipeline talks resume",
        "Talks about the pipeline.",
        world,
        "en",
        60,
    );
    let similar = with_body(
        &t,
        "Pipeline talks stall again",
        "No agreement on the Caspian route.",
        sport,
        "en",
        30,
    );
    let _other = with_body(&t, "Football final tonight", "A match.", sport, "en", 10);
    let app = t.app().await;
    let r = get(&app, &format!("/api/v1/articles/{base}/related")).await;
    let related = ids(&r);
    assert_eq!(
        related.first(),
        Some(&similar),
        "shares no tag or section, but the words: {related:?}"
    );
    let _: Value = r.json();
}
