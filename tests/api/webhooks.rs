//! Webhooks: signed deliveries of every event of an article's life, in order and once; retries
//! while a receiver is down; a receiver that always fails gets its subscription disabled; a
//! rolled-back write delivers nothing; targets that would reach internal addresses are refused;
//! two processes on one PostgreSQL deliver each event exactly once.
//!
//! The receiver is a real HTTP server in the test, and every signature is checked here by the
//! Standard Webhooks specification with its own HMAC, not with newsdesk's signing code.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::Utc;
use diesel::prelude::*;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::common::server::Server;
use crate::common::{Api, Backend, TestCtx, postgres_url};
use newsdesk::config::TEST_JWT_SECRET;
use newsdesk::domain::Exposure;
use newsdesk::error::ApiError;

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Received {
    id: String,
    timestamp: String,
    signature: String,
    body: Vec<u8>,
}

/// An HTTP server standing in for a front end: records every POST and answers `status`.
struct Receiver {
    port: u16,
    got: Arc<Mutex<Vec<Received>>>,
    status: Arc<AtomicU16>,
    handle: actix_web::dev::ServerHandle,
}

impl Receiver {
    /// Listens on `port` (any free one when `None`).
    fn start(port: Option<u16>) -> Receiver {
        let got: Arc<Mutex<Vec<Received>>> = Arc::default();
        let status = Arc::new(AtomicU16::new(204));
        let (g, s) = (got.clone(), status.clone());
        let server = HttpServer::new(move || {
            let (g, s) = (g.clone(), s.clone());
            App::new().default_service(web::to(move |req: HttpRequest, body: web::Bytes| {
                let (g, s) = (g.clone(), s.clone());
                async move {
                    let h = |n: &str| {
                        req.headers()
                            .get(n)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default()
                            .to_string()
                    };
                    g.lock().unwrap().push(Received {
                        id: h("webhook-id"),
                        timestamp: h("webhook-timestamp"),
                        signature: h("webhook-signature"),
                        body: body.to_vec(),
                    });
                    let code =
                        actix_web::http::StatusCode::from_u16(s.load(Ordering::SeqCst)).unwrap();
                    HttpResponse::build(code).body("thanks")
                }
            }))
        })
        .workers(1)
        // Each delivery on a new connection: a kept-alive connection of the delivery client
        // would hold a graceful stop for seconds (and `stop` below does not wait for any).
        .keep_alive(actix_web::http::KeepAlive::Disabled)
        .disable_signals()
        .bind(("127.0.0.1", port.unwrap_or(0)))
        .expect("receiver binds");
        let port = server.addrs()[0].port();
        let server = server.run();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        Receiver {
            port,
            got,
            status,
            handle,
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hooks/newsdesk", self.port)
    }

    fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    /// The bodies received, each checked against its signature with `secret`.
    fn verified(&self, secret: &str) -> Vec<(String, Value)> {
        self.received()
            .iter()
            .map(|r| {
                verify(secret, r);
                (
                    r.id.clone(),
                    serde_json::from_slice(&r.body).expect("JSON body"),
                )
            })
            .collect()
    }

    async fn stop(self) {
        self.handle.stop(false).await;
    }
}

/// Standard Webhooks verification: the signed content is `id.timestamp.body`, the key the
/// base64 after `whsec_`, one of the space-separated `v1,` signatures must match, and the
/// timestamp must be within five minutes of now.
fn verify(secret: &str, r: &Received) {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").expect("whsec_ secret"))
        .expect("base64 secret");
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.", r.id, r.timestamp).as_bytes());
    mac.update(&r.body);
    let expected = STANDARD.encode(mac.finalize().into_bytes());
    assert!(
        r.signature
            .split(' ')
            .any(|s| s.strip_prefix("v1,") == Some(expected.as_str())),
        "signature {:?} does not verify",
        r.signature
    );
    assert!(r.id.starts_with("msg_"));
    let ts: i64 = r.timestamp.parse().expect("integer timestamp");
    assert!(
        (Utc::now().timestamp() - ts).abs() < 300,
        "timestamp {ts} is not now"
    );
}

/// Targets on loopback allowed: the receiver runs in the test.
fn allow_local(c: &mut newsdesk::config::Config) {
    c.webhooks.allow_local = true;
}

/// Subscribes `url` to `events`; returns `(id, secret)`.
async fn subscribe<S, B>(app: &S, admin: &str, url: &str, events: Value) -> (i64, String)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let r = app
        .by(admin)
        .post("/api/v1/webhooks", json!({"url": url, "events": events}))
        .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let body = r.json();
    (
        body["id"].as_i64().unwrap(),
        body["secret"].as_str().unwrap().to_string(),
    )
}

fn deliveries_in(t: &TestCtx) -> i64 {
    use newsdesk::db::schema::webhook_deliveries;
    webhook_deliveries::table
        .count()
        .get_result(&mut t.conn())
        .unwrap()
}

async fn run_due(t: &TestCtx) -> usize {
    newsdesk::webhooks::run_due(&t.state)
        .await
        .expect("run deliveries")
}

async fn a_story_arrives_once_in_order(t: TestCtx) {
    t.section("world", &[("en", "World")], 1);
    let (admin_id, admin) = t.signed_in("admin@example.com", "admin");
    let app = t.app().await;
    let receiver = Receiver::start(None);
    let (_, secret) = subscribe(
        &app,
        &admin,
        &receiver.url(),
        json!(["article.*", "section.*"]),
    )
    .await;
    let api = app.by(&admin);

    let r = api
        .post(
            "/api/v1/articles",
            json!({"title": "Harbour reopens", "lang": "en", "section": "world", "lead": "Lead.", "body": "Body."}),
        )
        .await;
    assert_eq!(r.status, 201);
    let id = r.json()["id"].as_i64().unwrap();
    let path = format!("/api/v1/articles/{id}");
    assert_eq!(api.post(&format!("{path}/publish"), None).await.status, 200);
    assert_eq!(
        api.patch(&path, json!({"title": "Harbour reopens at dawn"}))
            .await
            .status,
        200
    );
    assert_eq!(
        api.post(&format!("{path}/unpublish"), None).await.status,
        200
    );
    assert_eq!(api.post(&format!("{path}/publish"), None).await.status, 200);
    assert_eq!(api.delete(&path).await.status, 204);

    // A second story, scheduled an hour ahead, then its time comes.
    let r = api
        .post(
            "/api/v1/articles",
            json!({"title": "Budget vote", "lang": "en", "section": "world", "lead": "Lead.", "body": "Body."}),
        )
        .await;
    let scheduled = r.json()["id"].as_i64().unwrap();
    let at = (t.clock.now() + chrono::Duration::hours(1)).to_rfc3339();
    let r = api
        .post(
            &format!("/api/v1/articles/{scheduled}/publish"),
            json!({"at": at}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    // Rescheduled: the first publish announcement is replaced, not sent twice.
    let at = (t.clock.now() + chrono::Duration::minutes(90)).to_rfc3339();
    api.post(
        &format!("/api/v1/articles/{scheduled}/publish"),
        json!({"at": at}),
    )
    .await;
    let r = api
        .post(
            "/api/v1/sections",
            json!({"slug": "sport", "names": {"en": "Sport"}}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));

    run_due(&t).await;
    t.clock.advance(chrono::Duration::minutes(60));
    assert_eq!(
        run_due(&t).await,
        0,
        "nothing is due before the scheduled time"
    );
    t.clock.advance(chrono::Duration::minutes(31));
    assert_eq!(
        run_due(&t).await,
        1,
        "the scheduled publish fires at its time"
    );
    assert_eq!(run_due(&t).await, 0);

    let got = receiver.verified(&secret);
    let of = |article: i64| -> Vec<String> {
        got.iter()
            .filter(|(_, b)| {
                b["data"]["id"] == article && b["type"].as_str().unwrap().starts_with("article.")
            })
            .map(|(_, b)| b["type"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        of(id),
        [
            "article.published",
            "article.updated",
            "article.unpublished",
            "article.published",
            "article.deleted"
        ]
    );
    assert_eq!(
        of(scheduled),
        [
            "article.scheduled",
            "article.scheduled",
            "article.published"
        ]
    );
    let ids: std::collections::HashSet<&String> = got.iter().map(|(id, _)| id).collect();
    assert_eq!(ids.len(), got.len(), "every message once");
    let deleted = got
        .iter()
        .find(|(_, b)| b["type"] == "article.deleted")
        .unwrap();
    assert_eq!(
        deleted.1["data"]["slug"], "harbour-reopens",
        "a tombstone keeps its slug"
    );
    assert_eq!(deleted.1["data"]["section"], "world");
    let section = got
        .iter()
        .find(|(_, b)| b["type"] == "section.created")
        .expect("section.created");
    assert_eq!(section.1["data"]["slug"], "sport");
    let published = got
        .iter()
        .find(|(_, b)| b["type"] == "article.published" && b["data"]["id"] == scheduled)
        .unwrap();
    assert_eq!(
        published.1["timestamp"].as_str().unwrap(),
        (newsdesk::clock::utc(t.now() - chrono::Duration::minutes(1)))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "the publish is stamped with its scheduled time"
    );

    // The deliveries list shows each with its attempt (a new token: the clock moved on).
    let admin = t.token_for(admin_id);
    let api = app.by(&admin);
    let hooks = api.get("/api/v1/webhooks").await.json();
    let hook = hooks["data"][0]["id"].as_i64().unwrap();
    assert!(
        hooks["data"][0].get("secret").is_none(),
        "the secret is shown once"
    );
    let list = api
        .get(&format!("/api/v1/webhooks/{hook}/deliveries?limit=100"))
        .await
        .json();
    let data = list["data"].as_array().unwrap();
    assert_eq!(data.len(), got.len());
    for d in data {
        assert_eq!(d["state"], "delivered");
        assert_eq!(d["attempts"].as_array().unwrap().len(), 1);
        assert_eq!(d["attempts"][0]["status"], 204);
        assert!(d["attempts"][0]["latency_ms"].as_i64().unwrap() >= 0);
    }
    receiver.stop().await;
}

async fn a_receiver_down_for_a_while_gets_it_after_retries(t: TestCtx) {
    let section = t.section("world", &[("en", "World")], 1);
    let (_, admin) = t.signed_in("admin@example.com", "admin");
    let app = t.app().await;
    // A port nobody listens on yet.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/hook");
    let (hook, secret) = subscribe(&app, &admin, &url, json!(["*"])).await;
    let id = t.article(newsdesk_draft("Storm warning", section));
    let r = app
        .by(&admin)
        .post(&format!("/api/v1/articles/{id}/publish"), None)
        .await;
    assert_eq!(r.status, 200);

    assert_eq!(run_due(&t).await, 1);
    t.clock.advance(chrono::Duration::seconds(7));
    assert_eq!(run_due(&t).await, 1, "retried after about 5 s");
    t.clock.advance(chrono::Duration::seconds(7));
    assert_eq!(run_due(&t).await, 0, "the next retry waits about 30 s");
    let receiver = Receiver::start(Some(port));
    t.clock.advance(chrono::Duration::seconds(30));
    assert_eq!(run_due(&t).await, 1);

    let got = receiver.verified(&secret);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].1["type"], "article.published");
    let list = app
        .by(&admin)
        .get(&format!("/api/v1/webhooks/{hook}/deliveries"))
        .await
        .json();
    let d = &list["data"][0];
    assert_eq!(d["state"], "delivered");
    let attempts = d["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 3);
    assert!(
        attempts[0]["status"].is_null()
            && attempts[0]["error"].as_str().unwrap().contains("connect")
    );
    assert_eq!(attempts[2]["status"], 204);
    assert_eq!(d["message_id"], got[0].0, "the message id of every attempt");
    let w = app
        .by(&admin)
        .get(&format!("/api/v1/webhooks/{hook}"))
        .await
        .json();
    assert!(w["last_success_at"].is_string());
    receiver.stop().await;
}

fn newsdesk_draft(title: &str, section: i64) -> crate::common::ArticleSpec {
    let mut spec = crate::common::ArticleSpec::published(title, section, Utc::now().naive_utc());
    spec.status = newsdesk::domain::Status::Draft;
    spec.published_at = None;
    spec
}

async fn a_receiver_failing_for_a_day_is_disabled(t: TestCtx) {
    let section = t.section("world", &[("en", "World")], 1);
    let (admin_id, admin) = t.signed_in("admin@example.com", "admin");
    let app = t.app().await;
    let receiver = Receiver::start(None);
    receiver.status.store(500, Ordering::SeqCst);
    let (hook, secret) =
        subscribe(&app, &admin, &receiver.url(), json!(["article.published"])).await;
    let id = t.article(newsdesk_draft("Flood", section));
    app.by(&admin)
        .post(&format!("/api/v1/articles/{id}/publish"), None)
        .await;

    let started = t.now();
    let mut last_attempt = started;
    while t.now() - started < chrono::Duration::hours(40) {
        if run_due(&t).await > 0 {
            last_attempt = t.now();
        }
        t.clock.advance(chrono::Duration::minutes(15));
    }
    assert_eq!(receiver.received().len(), 11, "one attempt and ten retries");
    let span = last_attempt - started;
    assert!(
        span >= chrono::Duration::hours(19) && span <= chrono::Duration::hours(30),
        "retried for {span}"
    );
    let admin = t.token_for(admin_id);
    let w = app
        .by(&admin)
        .get(&format!("/api/v1/webhooks/{hook}"))
        .await
        .json();
    assert_eq!(w["active"], false, "{w}");
    assert!(
        w["disabled_reason"].as_str().unwrap().contains("HTTP 500"),
        "{w}"
    );
    let failed = app
        .by(&admin)
        .get(&format!("/api/v1/webhooks/{hook}/deliveries?state=failed"))
        .await
        .json();
    let delivery = failed["data"][0]["id"].as_i64().unwrap();
    assert_eq!(failed["data"][0]["attempts"].as_array().unwrap().len(), 11);

    // Disabled: new events are not queued for it, and a re-send must wait for it.
    let other = t.article(newsdesk_draft("Drought", section));
    app.by(&admin)
        .post(&format!("/api/v1/articles/{other}/publish"), None)
        .await;
    let r = app
        .by(&admin)
        .post(
            &format!("/api/v1/webhooks/{hook}/deliveries/{delivery}/resend"),
            None,
        )
        .await;
    r.assert_problem(409, "webhook_disabled");

    // Enabled again and fixed: the failed delivery is re-sent with the same message id.
    receiver.status.store(200, Ordering::SeqCst);
    let w = app
        .by(&admin)
        .patch(&format!("/api/v1/webhooks/{hook}"), json!({"active": true}))
        .await
        .json();
    assert!(w["disabled_reason"].is_null());
    let r = app
        .by(&admin)
        .post(
            &format!("/api/v1/webhooks/{hook}/deliveries/{delivery}/resend"),
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["state"], "pending");
    assert_eq!(run_due(&t).await, 1);
    let got = receiver.verified(&secret);
    assert_eq!(got.len(), 12);
    assert_eq!(got[11].0, got[0].0, "a re-send keeps the webhook-id");
    receiver.stop().await;
}

async fn a_rolled_back_write_delivers_nothing(t: TestCtx) {
    let section = t.section("world", &[("en", "World")], 1);
    let (_, admin) = t.signed_in("admin@example.com", "admin");
    let app = t.app().await;
    let receiver = Receiver::start(None);
    subscribe(&app, &admin, &receiver.url(), json!(["*"])).await;
    let id = t.article(newsdesk_draft("Secret draft", section));

    // A write that announces a publish and then fails: its transaction rolls back.
    let result = t
        .state
        .write(move |tx| {
            newsdesk::articles::queries::update(
                tx,
                id,
                &newsdesk::articles::model::ArticleChanges {
                    status: Some(newsdesk::domain::Status::Published.into()),
                    ..Default::default()
                },
            )?;
            tx.article_moved(id, Exposure::Hidden, Exposure::Public);
            Err::<(), _>(ApiError::Conflict {
                code: "test_conflict",
                detail: "refused after the announcement".into(),
            })
        })
        .await;
    assert!(result.is_err());
    // The outbox rows themselves go with a rolled-back transaction.
    let events = vec![newsdesk::webhooks::outbox::Event {
        name: "article.published",
        entity: "article",
        entity_id: id,
        due: t.now(),
        data: json!({"id": id}),
    }];
    let mut conn = t.conn();
    let rolled: Result<(), diesel::result::Error> = conn.transaction(|c| {
        let n = newsdesk::webhooks::outbox::enqueue(c, &events, t.now())?;
        assert_eq!(n, 1, "queued inside the transaction");
        Err(diesel::result::Error::RollbackTransaction)
    });
    assert!(rolled.is_err());
    // An invalid edit through the API: nothing either.
    let r = app
        .by(&admin)
        .patch(&format!("/api/v1/articles/{id}"), json!({"title": ""}))
        .await;
    assert_eq!(r.status, 422);

    assert_eq!(deliveries_in(&t), 0);
    assert_eq!(run_due(&t).await, 0);
    assert!(receiver.received().is_empty());
    receiver.stop().await;
}

async fn subscriptions_are_for_admins(t: TestCtx) {
    let (_, admin) = t.signed_in("admin@example.com", "admin");
    let (_, editor) = t.signed_in("editor@example.com", "editor");
    let app = t.app().await;
    // Nobody listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let body = json!({"url": format!("http://127.0.0.1:{port}/x")});
    app.anon()
        .post("/api/v1/webhooks", body.clone())
        .await
        .assert_problem(401, "missing_token");
    app.by(&editor)
        .post("/api/v1/webhooks", body.clone())
        .await
        .assert_problem(403, "forbidden");
    app.by(&editor)
        .get("/api/v1/webhooks")
        .await
        .assert_problem(403, "forbidden");
    let r = app.by(&admin).post("/api/v1/webhooks", body).await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let created = r.json();
    assert_eq!(created["events"], json!(["*"]));
    assert!(created["secret"].as_str().unwrap().starts_with("whsec_"));
    let id = created["id"].as_i64().unwrap();
    let r = app
        .by(&admin)
        .patch(
            &format!("/api/v1/webhooks/{id}"),
            json!({"events": ["article.*", "nonsense"]}),
        )
        .await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.json()["errors"][0]["code"], "invalid_events");
    let r = app
        .by(&admin)
        .patch(
            &format!("/api/v1/webhooks/{id}"),
            json!({"events": ["tag.*"], "description": "Cache purge"}),
        )
        .await;
    assert_eq!(r.json()["events"], json!(["tag.*"]));
    // A test send to a receiver that does not exist answers how it failed.
    let r = app
        .by(&admin)
        .post(&format!("/api/v1/webhooks/{id}/test"), None)
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["state"], "failed");
    assert!(r.json()["attempts"][0]["error"].is_string());
    assert_eq!(
        app.by(&admin)
            .delete(&format!("/api/v1/webhooks/{id}"))
            .await
            .status,
        204
    );
    app.by(&admin)
        .get(&format!("/api/v1/webhooks/{id}"))
        .await
        .assert_problem(404, "not_found");
    assert_eq!(deliveries_in(&t), 0, "deleted with its deliveries");
}

both_backends!(
    config = super::allow_local;
    a_story_arrives_once_in_order,
    a_receiver_down_for_a_while_gets_it_after_retries,
    a_receiver_failing_for_a_day_is_disabled,
    a_rolled_back_write_delivers_nothing,
    subscriptions_are_for_admins,
);

/// The SSRF table, without the development flag and with it.
#[actix_web::test]
async fn targets_that_reach_internal_addresses_are_refused() {
    let _watchdog = crate::common::watchdog();
    for allow_local in [false, true] {
        let t = TestCtx::with_config(Backend::Sqlite, |c| {
            c.webhooks.allow_local = allow_local;
            c.webhooks.pinned_hosts = HashMap::from([
                (
                    "intranet.example.com".to_string(),
                    "10.20.30.40".parse().unwrap(),
                ),
                (
                    "hooks.example.com".to_string(),
                    "93.184.215.14".parse().unwrap(),
                ),
            ]);
        })
        .await
        .unwrap();
        let (_, admin) = t.signed_in("admin@example.com", "admin");
        let app = t.app().await;
        let mut table = vec![
            (
                "https://169.254.169.254/latest/meta-data/",
                "forbidden_address",
            ),
            ("https://10.0.0.8/hook", "forbidden_address"),
            ("https://192.168.1.20/hook", "forbidden_address"),
            ("https://intranet.example.com/hook", "forbidden_address"),
            ("https://[fd00:ec2::254]/hook", "forbidden_address"),
            ("https://[::ffff:169.254.169.254]/hook", "forbidden_address"),
            ("http://hooks.example.com/hook", "scheme_not_allowed"),
            ("gopher://hooks.example.com/", "scheme_not_allowed"),
        ];
        if !allow_local {
            table.extend([
                ("http://127.0.0.1:8080/hook", "scheme_not_allowed"),
                ("https://127.0.0.1/hook", "forbidden_address"),
                ("https://[::1]/hook", "forbidden_address"),
                ("https://localhost/hook", "forbidden_address"),
            ]);
        }
        for (url, code) in table {
            let r = app
                .by(&admin)
                .post("/api/v1/webhooks", json!({"url": url}))
                .await;
            r.assert_problem(422, "validation_failed");
            assert_eq!(r.json()["errors"][0]["field"], "url");
            assert_eq!(
                r.json()["errors"][0]["code"],
                code,
                "{url} (allow_local {allow_local})"
            );
        }
        let ok = app
            .by(&admin)
            .post(
                "/api/v1/webhooks",
                json!({"url": "https://hooks.example.com/hook"}),
            )
            .await;
        assert_eq!(ok.status, 201);
        if allow_local {
            for url in [
                "http://127.0.0.1:9/hook",
                "http://[::1]:9/hook",
                "http://localhost:9/hook",
            ] {
                let r = app
                    .by(&admin)
                    .post("/api/v1/webhooks", json!({"url": url}))
                    .await;
                assert_eq!(r.status, 201, "{url}: {}", String::from_utf8_lossy(&r.body));
            }
        }
    }
}

/// Two newsdesk processes on one PostgreSQL: every event is delivered exactly once, whichever
/// process wrote it and whichever worker claimed it.
#[actix_web::test]
async fn two_processes_deliver_each_event_once() {
    let _watchdog = crate::common::watchdog();
    let Some(_) = postgres_url() else { return };
    let t = TestCtx::new(Backend::Postgres).await.unwrap();
    t.section("world", &[("en", "World")], 1);
    let admin = t.user("admin@example.com", "admin");
    let token = t.token_at(admin, Utc::now());
    let receiver = Receiver::start(None);
    let env = [
        ("NEWSDESK_JWT_SECRET", TEST_JWT_SECRET),
        ("NEWSDESK_WEBHOOKS_ALLOW_LOCAL", "true"),
    ];
    let a = Server::start_with(&t.db.url.redacted(), &env);
    let b = Server::start_with(&t.db.url.redacted(), &env);
    let (on_a, on_b) = (a.client(Some(&token)), b.client(Some(&token)));
    let (status, created) = on_a
        .send(
            "POST",
            "/api/v1/webhooks",
            Some(&json!({"url": receiver.url(), "events": ["article.*"]})),
            &[],
        )
        .unwrap();
    assert_eq!(status, 201, "{created}");
    let secret = serde_json::from_str::<Value>(&created).unwrap()["secret"]
        .as_str()
        .unwrap()
        .to_string();

    const STORIES: usize = 12;
    let mut expected = 0;
    for i in 0..STORIES {
        let client = if i % 2 == 0 { &on_a } else { &on_b };
        let body = json!({"title": format!("Story {i}"), "lang": "en", "section": "world", "lead": "L.", "body": "B."});
        let (status, created) = client
            .send("POST", "/api/v1/articles", Some(&body), &[])
            .unwrap();
        assert_eq!(status, 201, "{created}");
        let id = serde_json::from_str::<Value>(&created).unwrap()["id"]
            .as_i64()
            .unwrap();
        let (status, _) = client
            .send("POST", &format!("/api/v1/articles/{id}/publish"), None, &[])
            .unwrap();
        assert_eq!(status, 200);
        let other = if i % 2 == 0 { &on_b } else { &on_a };
        let (status, _) = other
            .send(
                "PATCH",
                &format!("/api/v1/articles/{id}"),
                Some(&json!({"title": format!("Story {i}, updated")})),
                &[],
            )
            .unwrap();
        assert_eq!(status, 200);
        expected += 2;
    }
    // One scheduled two seconds ahead: both workers see it come due.
    let body =
        json!({"title": "Scheduled", "lang": "en", "section": "world", "lead": "L.", "body": "B."});
    let (_, created) = on_a
        .send("POST", "/api/v1/articles", Some(&body), &[])
        .unwrap();
    let id = serde_json::from_str::<Value>(&created).unwrap()["id"]
        .as_i64()
        .unwrap();
    let at = (Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
    let (status, _) = on_b
        .send(
            "POST",
            &format!("/api/v1/articles/{id}/publish"),
            Some(&json!({"at": at})),
            &[],
        )
        .unwrap();
    assert_eq!(status, 200);
    expected += 2;

    let started = Instant::now();
    while receiver.received().len() < expected && started.elapsed() < Duration::from_secs(20) {
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    // Anything doubled would arrive within the next seconds.
    actix_web::rt::time::sleep(Duration::from_secs(3)).await;
    let got = receiver.verified(&secret);
    let mut seen: HashMap<(i64, String), usize> = HashMap::new();
    let mut ids: HashMap<String, usize> = HashMap::new();
    for (id, body) in &got {
        *ids.entry(id.clone()).or_default() += 1;
        *seen
            .entry((
                body["data"]["id"].as_i64().unwrap(),
                body["type"].as_str().unwrap().to_string(),
            ))
            .or_default() += 1;
    }
    assert_eq!(
        got.len(),
        expected,
        "A's log:\n{}\nB's log:\n{}",
        a.log_tail(),
        b.log_tail()
    );
    assert!(
        ids.values().all(|n| *n == 1),
        "a message delivered twice: {ids:?}"
    );
    assert!(
        seen.values().all(|n| *n == 1),
        "an event delivered twice: {seen:?}"
    );
    // In order per article: published before updated.
    for (i, (_, body)) in got.iter().enumerate() {
        if body["type"] == "article.updated" {
            assert!(
                got[..i]
                    .iter()
                    .any(|(_, b)| b["type"] == "article.published"
                        && b["data"]["id"] == body["data"]["id"])
            );
        }
    }
    a.terminate();
    b.terminate();
    receiver.stop().await;
}
