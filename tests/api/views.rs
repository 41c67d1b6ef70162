//! View counting: exact totals under concurrency, dedup, bots, hidden articles, "most read"
//! windows, answers that show this process's views at once, and (with the real binary) the
//! flush at shutdown and several processes sharing one PostgreSQL.

use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration as StdDuration, Instant};

use actix_web::test::TestRequest;
use chrono::Duration;
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::common::server::{BROWSER, Server, http};
use crate::common::{self, Api, ArticleSpec, Backend, TestCtx, TestDb, get, send};
use newsdesk::db::schema::articles;

both_backends!(
    counts_are_exact_under_concurrency,
    one_view_per_visitor_per_window,
    bots_and_hidden_articles_are_not_counted,
    batches_and_bad_input,
    answers_show_this_process_views_at_once,
    popular_ranks_by_views_in_the_window,
    shutdown_flushes_every_counted_view,
    second_signal_exits_at_once,
);

fn view(article: i64, visitor: &str) -> TestRequest {
    TestRequest::post()
        .uri(&format!("/api/v1/articles/{article}/views"))
        .insert_header(("X-Visitor-Id", visitor.to_string()))
        .insert_header(("User-Agent", BROWSER))
}

fn stored_views(t: &TestCtx, id: i64) -> i64 {
    articles::table
        .find(id)
        .select(articles::views)
        .first(&mut t.conn())
        .expect("article row")
}

async fn counts_are_exact_under_concurrency(t: TestCtx) {
    let world = t.section("world", &[("en", "World")], 1);
    let ids: Vec<i64> = (0..4)
        .map(|i| t.published(&format!("Story {i}"), world, 10 + i))
        .collect();
    let before: Vec<i64> = ids.iter().map(|id| stored_views(&t, *id)).collect();
    let app = t.app().await;
    // 50 clients, 40 views each: 2,000 distinct visitors, plus a repeat of every tenth view.
    let clients = (0..50).map(|c| {
        let (app, ids) = (&app, &ids);
        async move {
            let mut counted = vec![0i64; ids.len()];
            for n in 0..40 {
                let visitor = format!("install-{c}-{n}");
                let k = (c + n) % ids.len();
                let resp = send(app, view(ids[k], &visitor)).await;
                assert_eq!(resp.status.as_u16(), 202, "{:?}", resp.body);
                if resp.json()["counted"] == true {
                    counted[k] += 1;
                }
                if n % 10 == 0 {
                    let again = send(app, view(ids[k], &visitor)).await;
                    assert_eq!(again.json()["counted"], false, "a repeat is not counted");
                }
            }
            counted
        }
    });
    let per_client = futures_util::future::join_all(clients).await;
    let counted: Vec<i64> = (0..ids.len())
        .map(|k| per_client.iter().map(|c| c[k]).sum())
        .collect();
    assert_eq!(counted.iter().sum::<i64>(), 2000);

    // Before any flush, this process already shows them.
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let shown = get(&app, &format!("/api/v1/views?ids={list}")).await.json();
    for (k, id) in ids.iter().enumerate() {
        assert_eq!(shown["data"][k]["id"], *id);
        assert_eq!(shown["data"][k]["views"], before[k] + counted[k]);
    }

    let written = t.state.views.flush(&t.state.db).await.expect("flush");
    assert_eq!(written, 2000);
    assert_eq!(t.state.views.pending(), 0);
    for (k, id) in ids.iter().enumerate() {
        assert_eq!(
            stored_views(&t, *id),
            before[k] + counted[k],
            "article {id}"
        );
        let article = get(&app, &format!("/api/v1/articles/{id}")).await.json();
        assert_eq!(article["views"], before[k] + counted[k]);
    }
    let shown = get(&app, &format!("/api/v1/views?ids={list}")).await.json();
    for (k, _) in ids.iter().enumerate() {
        assert_eq!(shown["data"][k]["views"], before[k] + counted[k]);
    }
    // Nothing is written twice.
    assert_eq!(t.state.views.flush(&t.state.db).await.unwrap(), 0);
    assert_eq!(stored_views(&t, ids[0]), before[0] + counted[0]);
}

async fn one_view_per_visitor_per_window(t: TestCtx) {
    let world = t.section("world", &[("en", "World")], 1);
    let id = t.published("Dedup", world, 5);
    let app = t.app().await;
    let counted = |r: common::Resp| r.json()["counted"].as_bool().expect("counted");

    assert!(counted(send(&app, view(id, "app-1")).await));
    assert!(!counted(send(&app, view(id, "app-1")).await));
    assert!(
        counted(send(&app, view(id, "app-2")).await),
        "another visitor"
    );
    t.clock.advance(Duration::minutes(29));
    assert!(
        !counted(send(&app, view(id, "app-1")).await),
        "still in the window"
    );
    t.clock.advance(Duration::minutes(1));
    assert!(counted(send(&app, view(id, "app-1")).await), "window over");
    assert!(!counted(send(&app, view(id, "app-1")).await));

    // Without an install id: client address and User-Agent.
    let anon = |ip: &str, ua: &str| {
        TestRequest::post()
            .uri(&format!("/api/v1/articles/{id}/views"))
            .peer_addr(format!("{ip}:40000").parse().unwrap())
            .insert_header(("User-Agent", ua.to_string()))
    };
    assert!(counted(send(&app, anon("203.0.113.5", BROWSER)).await));
    assert!(!counted(send(&app, anon("203.0.113.5", BROWSER)).await));
    assert!(counted(send(&app, anon("203.0.113.6", BROWSER)).await));
    assert!(counted(
        send(&app, anon("203.0.113.5", "Mozilla/5.0 (Android 14)")).await
    ));
    // A spoofed X-Forwarded-For from an untrusted peer changes nothing.
    let spoofed = anon("203.0.113.5", BROWSER).insert_header(("X-Forwarded-For", "198.51.100.1"));
    assert!(!counted(send(&app, spoofed).await));

    // By slug, too.
    let slug = get(&app, &format!("/api/v1/articles/{id}")).await.json()["slug"]
        .as_str()
        .unwrap()
        .to_string();
    let by_slug = TestRequest::post()
        .uri(&format!("/api/v1/articles/{slug}/views?lang=en"))
        .insert_header(("X-Visitor-Id", "app-3"));
    assert!(counted(send(&app, by_slug).await));

    t.state.views.flush(&t.state.db).await.unwrap();
    let views = get(&app, &format!("/api/v1/views?ids={id}")).await.json();
    assert_eq!(views["data"][0]["views"], 7);
}

async fn bots_and_hidden_articles_are_not_counted(t: TestCtx) {
    let world = t.section("world", &[("en", "World")], 1);
    let id = t.published("Visible", world, 5);
    let mut draft = ArticleSpec::published("Draft", world, t.now() - Duration::minutes(5));
    draft.status = newsdesk::domain::Status::Draft;
    let draft = t.article(draft);
    let scheduled = t.article(ArticleSpec::published(
        "Scheduled",
        world,
        t.now() + Duration::minutes(10),
    ));
    let app = t.app().await;
    for bot in [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "curl/8.5.0",
    ] {
        let req = TestRequest::post()
            .uri(&format!("/api/v1/articles/{id}/views"))
            .insert_header(("User-Agent", bot));
        let resp = send(&app, req).await;
        assert_eq!(resp.status.as_u16(), 202);
        assert_eq!(resp.json()["counted"], false, "{bot}");
    }
    for missing in [draft, scheduled, 999_999] {
        send(&app, view(missing, "app-1"))
            .await
            .assert_problem(404, "not_found");
    }
    send(
        &app,
        TestRequest::post().uri("/api/v1/articles/no-such-slug/views"),
    )
    .await
    .assert_problem(404, "not_found");
    // The scheduled article counts once its time has come.
    t.clock.advance(Duration::minutes(11));
    assert_eq!(
        send(&app, view(scheduled, "app-1")).await.json()["counted"],
        true
    );

    t.state.views.flush(&t.state.db).await.unwrap();
    assert_eq!(stored_views(&t, id), 0);
    assert_eq!(stored_views(&t, draft), 0);
    assert_eq!(stored_views(&t, scheduled), 1);
    let views = get(&app, &format!("/api/v1/views?ids={id},{draft},{scheduled}"))
        .await
        .json();
    assert_eq!(
        views["data"],
        json!([{"id": id, "views": 0}, {"id": scheduled, "views": 1}])
    );
}

async fn batches_and_bad_input(t: TestCtx) {
    let world = t.section("world", &[("en", "World")], 1);
    let a = t.published("A", world, 5);
    let b = t.published("B", world, 6);
    let mut draft = ArticleSpec::published("Draft", world, t.now() - Duration::minutes(5));
    draft.status = newsdesk::domain::Status::Draft;
    let draft = t.article(draft);
    let app = t.app().await;
    let batch = |body: Value| {
        TestRequest::post()
            .uri("/api/v1/views")
            .insert_header(("X-Visitor-Id", "offline-app"))
            .insert_header(("User-Agent", BROWSER))
            .set_json(body)
    };
    let resp = send(
        &app,
        batch(json!({"article_ids": [a, b, a, draft, 424242]})),
    )
    .await;
    assert_eq!(resp.status.as_u16(), 202);
    let outcomes: Vec<(i64, bool, String)> = resp.json()["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["article_id"].as_i64().unwrap(),
                r["counted"].as_bool().unwrap(),
                r["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        vec![
            (a, true, "counted".into()),
            (b, true, "counted".into()),
            (a, false, "repeat".into()),
            (draft, false, "unknown_article".into()),
            (424242, false, "unknown_article".into()),
        ]
    );
    // The single beacon shares the dedup state.
    assert_eq!(
        send(&app, view(a, "offline-app")).await.json()["counted"],
        false
    );
    // JSON has one number type: `3.0` is the integer 3 (as a JSON Schema validator reads it).
    let resp = send(&app, batch(json!({"article_ids": [b as f64]}))).await;
    assert_eq!(
        resp.status.as_u16(),
        202,
        "{}",
        String::from_utf8_lossy(&resp.body)
    );
    assert_eq!(resp.json()["results"][0]["article_id"], b);

    let too_many: Vec<i64> = (1..=101).collect();
    for body in [
        json!({"article_ids": []}),
        json!({"article_ids": too_many}),
        json!({"article_ids": [0]}),
        json!({"article_ids": [-3]}),
        json!({"article_ids": ["x"]}),
        json!({"article_ids": [1.5]}),
        json!({"ids": [1]}),
        json!([1, 2]),
    ] {
        let resp = send(&app, batch(body.clone())).await;
        assert!(
            resp.status.is_client_error(),
            "{body}: {}",
            String::from_utf8_lossy(&resp.body)
        );
        assert_eq!(resp.content_type(), "application/problem+json");
        if body.get("article_ids").is_some() {
            resp.assert_problem(422, "validation_failed");
        }
    }
    let broken = TestRequest::post()
        .uri("/api/v1/views")
        .insert_header(("Content-Type", "application/json"))
        .set_payload("{\"article_ids\": [1,");
    send(&app, broken)
        .await
        .assert_problem(400, "malformed_json");
    let not_json = TestRequest::post()
        .uri("/api/v1/views")
        .insert_header(("Content-Type", "text/plain"))
        .set_payload("1,2");
    assert_eq!(send(&app, not_json).await.status.as_u16(), 415);

    for visitor in ["", &"x".repeat(129), "two words", "ünïcode"] {
        let req = TestRequest::post()
            .uri(&format!("/api/v1/articles/{a}/views"))
            .insert_header(("X-Visitor-Id", visitor.to_string()));
        send(&app, req).await.assert_problem(400, "invalid_header");
    }
    send(&app, TestRequest::post().uri("/api/v1/articles/-1/views"))
        .await
        .assert_problem(400, "invalid_parameter");
    for q in ["lang=xx", "lang=en&lang=ru"] {
        let req = TestRequest::post().uri(&format!("/api/v1/articles/{a}/views?{q}"));
        send(&app, req)
            .await
            .assert_problem(400, "invalid_parameter");
    }
    for q in ["", "ids=", "ids=a", "ids=1,,2", "ids=0", "ids=-4"] {
        get(&app, &format!("/api/v1/views?{q}"))
            .await
            .assert_problem(400, "invalid_parameter");
    }
    let many = (1..=101)
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",");
    get(&app, &format!("/api/v1/views?ids={many}"))
        .await
        .assert_problem(400, "invalid_parameter");
    for q in ["period=2h", "limit=0", "limit=51", "lang=xx"] {
        get(&app, &format!("/api/v1/popular?{q}"))
            .await
            .assert_problem(400, "invalid_parameter");
    }
    // An empty value is the same as none: the default window.
    let r = get(&app, "/api/v1/popular?period=").await;
    assert_eq!(r.json()["meta"]["period"], "24h");
    let resp = app.anon().get("/api/v1/articles/1/views").await;
    assert_eq!(
        resp.status.as_u16(),
        405,
        "{}",
        String::from_utf8_lossy(&resp.body)
    );
}

async fn answers_show_this_process_views_at_once(t: TestCtx) {
    let t = TestCtx::with_config(t.backend(), |c| c.cache_mb = 8)
        .await
        .expect("context with the cache on");
    let world = t.section("world", &[("en", "World")], 1);
    let id = t.published("Cached", world, 5);
    let app = t.app().await;
    let article = format!("/api/v1/articles/{id}");
    let feed = "/api/v1/articles?section=world";
    assert_eq!(get(&app, &article).await.json()["views"], 0);
    assert_eq!(get(&app, feed).await.json()["data"][0]["views"], 0);
    let first = get(&app, &article).await;
    assert_eq!(first.json()["views"], 0, "served from the cache");

    assert_eq!(send(&app, view(id, "reader")).await.json()["counted"], true);
    let after = get(&app, &article).await;
    assert_eq!(
        after.json()["views"],
        1,
        "the cached page follows the count"
    );
    assert_ne!(after.header("etag"), first.header("etag"));
    assert_eq!(get(&app, feed).await.json()["data"][0]["views"], 1);
    // Unchanged through the flush.
    t.state.views.flush(&t.state.db).await.unwrap();
    assert_eq!(get(&app, &article).await.json()["views"], 1);
    assert_eq!(get(&app, feed).await.json()["data"][0]["views"], 1);
    assert_eq!(stored_views(&t, id), 1);
}

async fn popular_ranks_by_views_in_the_window(t: TestCtx) {
    let world = t.section("world", &[("en", "World"), ("ru", "Мир")], 1);
    let sport = t.section("sport", &[("en", "Sport")], 2);
    let start = t.clock.now();
    let old = t.published("Old favourite", world, 60 * 48);
    let recent = t.published("Recent", world, 60 * 48);
    let now_hot = t.published("Hot now", sport, 60 * 48);
    let mut ru = ArticleSpec::published("Русская", world, t.now() - Duration::hours(48));
    ru.lang = "ru";
    let ru = t.article(ru);
    let app = t.app().await;
    let mut visitor = 0;
    let mut views_at = async |article: i64, n: usize, hours_ago: i64| {
        t.clock.set(start - Duration::hours(hours_ago));
        for _ in 0..n {
            visitor += 1;
            let resp = send(&app, view(article, &format!("v{visitor}"))).await;
            assert_eq!(resp.json()["counted"], true);
        }
        t.state.views.flush(&t.state.db).await.unwrap();
    };
    views_at(old, 6, 30).await; // 30 hours ago: in 7d and 30d only
    views_at(recent, 3, 5).await; // 5 hours ago: in 24h
    views_at(ru, 2, 5).await;
    views_at(now_hot, 2, 0).await; // this hour
    views_at(recent, 1, 0).await;
    t.clock.set(start);

    let ranked = |period: &str, extra: &str| {
        let uri = format!("/api/v1/popular?period={period}{extra}");
        let app = &app;
        async move {
            let body = get(app, &uri).await.json();
            body["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| {
                    (
                        a["id"].as_i64().unwrap(),
                        a["period_views"].as_i64().unwrap(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(ranked("1h", "").await, vec![(now_hot, 2), (recent, 1)]);
    // Ties go to the newer article.
    assert_eq!(
        ranked("24h", "").await,
        vec![(recent, 4), (ru, 2), (now_hot, 2)]
    );
    assert_eq!(
        ranked("7d", "").await,
        vec![(old, 6), (recent, 4), (ru, 2), (now_hot, 2)]
    );
    assert_eq!(ranked("30d", "&limit=2").await, vec![(old, 6), (recent, 4)]);
    assert_eq!(ranked("7d", "&section=sport").await, vec![(now_hot, 2)]);
    assert_eq!(
        ranked("7d", "&section=-sport&lang=en").await,
        vec![(old, 6), (recent, 4)]
    );
    assert_eq!(ranked("7d", "&lang=ru").await, vec![(ru, 2)]);
    assert_eq!(ranked("7d", "&section=nowhere").await, vec![]);
    let body = get(&app, "/api/v1/popular").await.json();
    assert_eq!(body["meta"]["period"], "24h");
    assert_eq!(
        body["data"][0]["views"], 4,
        "all-time total beside the window's"
    );
    assert_eq!(body["data"][0]["title"], "Recent");

    // The feed's popular order uses the same totals.
    let feed = get(&app, "/api/v1/articles?order=popular&limit=2")
        .await
        .ids();
    assert_eq!(feed, vec![old, recent]);

    // Hours more than 35 days old are pruned.
    t.clock.advance(Duration::days(35));
    let pruned = newsdesk::jobs::prune_views(&t.state).await.unwrap();
    assert_eq!(pruned, 3, "the buckets of 30 and 5 hours before the start");
    let left: i64 = newsdesk::db::schema::article_views_hourly::table
        .count()
        .get_result(&mut t.conn())
        .unwrap();
    assert_eq!(left, 2, "this hour's buckets stay");
}

// ----- the real binary ---------------------------------------------------------------------

/// What a load of view beacons got back.
#[derive(Default)]
struct Tallies {
    counted: AtomicU64,
    not_counted: AtomicU64,
    unanswered: AtomicU64,
}

/// Sends views of `ids` from `threads` threads, round-robin over `ports`, each with a new
/// visitor, until `stop` is set or the servers stop answering.
fn load(
    ports: &[u16],
    ids: &[i64],
    threads: usize,
    stop: Arc<std::sync::atomic::AtomicBool>,
    tallies: Arc<Tallies>,
) -> Vec<std::thread::JoinHandle<()>> {
    (0..threads)
        .map(|th| {
            let (ports, ids, stop, tallies) =
                (ports.to_vec(), ids.to_vec(), stop.clone(), tallies.clone());
            std::thread::spawn(move || {
                let mut n = 0usize;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let port = ports[n % ports.len()];
                    let id = ids[n % ids.len()];
                    let visitor = format!("load-{th}-{n}");
                    let path = format!("/api/v1/articles/{id}/views");
                    match http(port, "POST", &path, Some(&visitor)) {
                        Some((202, body)) if body.contains("\"counted\":true") => {
                            tallies.counted.fetch_add(1, Ordering::Relaxed);
                        }
                        Some((202, _)) => {
                            tallies.not_counted.fetch_add(1, Ordering::Relaxed);
                        }
                        Some((status, body)) => panic!("unexpected {status}: {body}"),
                        None => {
                            // Connection refused: the server is stopping. A request sent but
                            // never answered may or may not have been counted.
                            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                                tallies.unanswered.fetch_add(1, Ordering::Relaxed);
                            }
                            return;
                        }
                    }
                }
            })
        })
        .collect()
}

fn total_views(db: &TestDb, ids: &[i64]) -> i64 {
    articles::table
        .filter(articles::id.eq_any(ids))
        .select(articles::views)
        .load::<i64>(&mut db.connect())
        .unwrap()
        .iter()
        .sum()
}

/// Counted views live only in memory between flushes (here: a minute apart), so everything
/// in the database after SIGTERM was written by the shutdown flush.
async fn shutdown_flushes_every_counted_view(t: TestCtx) {
    let world = t.section("world", &[("en", "World")], 1);
    let ids: Vec<i64> = (0..3)
        .map(|i| t.published(&format!("Load {i}"), world, 5 + i))
        .collect();
    let url = t.db.url.redacted();
    let server = Server::start(&url, 60_000);
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let tallies = Arc::new(Tallies::default());
    let workers = load(&[server.port], &ids, 8, stop.clone(), tallies.clone());
    let deadline = Instant::now() + StdDuration::from_secs(20);
    while tallies.counted.load(Ordering::Relaxed) < 1500 && Instant::now() < deadline {
        std::thread::sleep(StdDuration::from_millis(20));
    }
    server.terminate();
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().unwrap();
    }
    let counted = tallies.counted.load(Ordering::Relaxed) as i64;
    let unanswered = tallies.unanswered.load(Ordering::Relaxed) as i64;
    assert!(counted >= 100, "only {counted} views were counted");
    let total = total_views(&t.db, &ids);
    eprintln!("shutdown: {counted} answered counted, {unanswered} unanswered, {total} stored");
    assert!(
        total >= counted && total <= counted + unanswered,
        "{total} in the database, {counted} answered counted, {unanswered} unanswered"
    );

    // A restarted server reads the same totals.
    let server = Server::start(&url, 1000);
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let (status, body) = http(
        server.port,
        "GET",
        &format!("/api/v1/views?ids={list}"),
        None,
    )
    .expect("answer");
    assert_eq!(status, 200);
    let shown: Value = serde_json::from_str(&body).unwrap();
    let sum: i64 = shown["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["views"].as_i64().unwrap())
        .sum();
    assert_eq!(sum, total);
    // Ctrl-C stops it as cleanly.
    server.stop_with("-INT");
}

/// A second SIGINT while the server is still writing its views ends it at once, with a
/// failure status and the count of views it could not write. The test holds the database's
/// write lock (SQLite) or the article's row (PostgreSQL), so the final write has to wait.
async fn second_signal_exits_at_once(t: TestCtx) {
    let world = t.section("world", &[("en", "World")], 1);
    let id = t.published("Impatient", world, 5);
    let mut server = Server::start(&t.db.url.redacted(), 60_000);
    let (status, _) = http(
        server.port,
        "POST",
        &format!("/api/v1/articles/{id}/views"),
        Some("impatient"),
    )
    .expect("answer");
    assert_eq!(status, 202);
    let mut lock = t.db.connect();
    let hold = match t.db.backend {
        Backend::Sqlite => "BEGIN IMMEDIATE".to_string(),
        Backend::Postgres => format!("BEGIN; SELECT id FROM articles WHERE id = {id} FOR UPDATE"),
    };
    diesel::connection::SimpleConnection::batch_execute(&mut lock, &hold).unwrap();
    server.signal("-INT");
    let deadline = Instant::now() + StdDuration::from_secs(10);
    while !server.log_tail().contains("writing counted views") {
        assert!(Instant::now() < deadline, "{}", server.log_tail());
        std::thread::sleep(StdDuration::from_millis(20));
    }
    std::thread::sleep(StdDuration::from_millis(200));
    server.signal("-INT");
    let exit = server.exit_within(StdDuration::from_secs(3));
    diesel::connection::SimpleConnection::batch_execute(&mut lock, "ROLLBACK").unwrap();
    assert!(
        !exit.success(),
        "a cut-short shutdown must not report success; its log:\n{}",
        server.log_tail()
    );
    let log = server.log_tail();
    assert!(
        log.contains("1 counted views could not be written") && log.contains("exited at once"),
        "{log}"
    );
}

/// Two server processes on one PostgreSQL database: their flushes add up exactly.
#[actix_web::test]
async fn two_processes_share_one_postgres() {
    let _watchdog = crate::common::watchdog();
    let Some(t) = TestCtx::new(Backend::Postgres).await else {
        return;
    };
    let world = t.section("world", &[("en", "World")], 1);
    let ids: Vec<i64> = (0..2)
        .map(|i| t.published(&format!("Shared {i}"), world, 5 + i))
        .collect();
    let url = t.db.url.redacted();
    let (a, b) = (Server::start(&url, 100), Server::start(&url, 100));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let tallies = Arc::new(Tallies::default());
    let workers = load(&[a.port, b.port], &ids, 8, stop.clone(), tallies.clone());
    std::thread::sleep(StdDuration::from_secs(3));
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().unwrap();
    }
    a.terminate();
    b.terminate();
    let counted = tallies.counted.load(Ordering::Relaxed) as i64;
    assert!(counted >= 100, "only {counted} views were counted");
    eprintln!("two processes: {counted} answered counted");
    assert_eq!(tallies.unanswered.load(Ordering::Relaxed), 0);
    assert_eq!(total_views(&t.db, &ids), counted);
    let buckets: i64 = newsdesk::db::schema::article_views_hourly::table
        .select(newsdesk::db::schema::article_views_hourly::views)
        .load::<i64>(&mut t.db.connect())
        .unwrap()
        .iter()
        .sum();
    assert_eq!(buckets, counted, "hourly buckets add up to the totals");
}

/// One HTTP/1.1 answer read off `stream`: its head and its `Content-Length` body, or what came
/// before the connection closed.
fn read_answer(stream: &mut TcpStream) -> String {
    use std::io::Read;
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&got).to_string();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap())
                })
                .unwrap_or(0);
            if got.len() >= end + 4 + length {
                return text;
            }
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return String::from_utf8_lossy(&got).to_string(),
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
}

/// A beacon whose empty chunked body (what many HTTP libraries send with a POST that has none)
/// arrives after its head still leaves the connection open for the reader's next request.
#[actix_web::test]
async fn a_beacon_with_a_late_empty_body_keeps_the_connection() {
    let _watchdog = crate::common::watchdog();
    use std::io::Write;
    let t = TestCtx::new(Backend::Sqlite).await.unwrap();
    let world = t.section("world", &[("en", "World")], 1);
    let id = t.published("Kept alive", world, 5);
    let server = Server::start(&t.db.url.redacted(), 60_000);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(StdDuration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "POST /api/v1/articles/{id}/views HTTP/1.1\r\nHost: x\r\nUser-Agent: {BROWSER}\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    .unwrap();
    std::thread::sleep(StdDuration::from_millis(300));
    let _ = stream.write_all(b"0\r\n\r\n");
    let counted = read_answer(&mut stream);
    assert!(counted.starts_with("HTTP/1.1 202"), "{counted}");
    let _ = write!(
        stream,
        "GET /api/v1/articles/{id} HTTP/1.1\r\nHost: x\r\n\r\n"
    );
    let read = read_answer(&mut stream);
    assert!(
        read.starts_with("HTTP/1.1 200"),
        "the connection was closed: {read:?}"
    );
    server.terminate();
}
