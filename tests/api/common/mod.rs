//! Test harness: every test gets its own database (a fresh SQLite file, or a fresh PostgreSQL
//! schema dropped afterwards), migrations applied, and the app built exactly as `main` builds
//! it. `both_backends!` runs a test body once per backend.
//!
//! PostgreSQL runs when `NEWSDESK_TEST_POSTGRES_URL` is set (e.g.
//! `postgres://postgres@127.0.0.1:5432/test`); otherwise those tests print a notice and pass,
//! except under `CI=true`, where a missing URL is a failure.

pub mod server;

use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::HeaderMap;
use actix_web::test;
use actix_web::web;
use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use serde_json::Value;

use newsdesk::articles::model::NewArticle;
use newsdesk::articles::queries as article_queries;
use newsdesk::authors::model::{AuthorRow, NewAuthor};
use newsdesk::clock::Clock;
use newsdesk::config::Config;
use newsdesk::db::{self, DatabaseUrl, DbConnection};
use newsdesk::domain::Status;
use newsdesk::domain::slug::slugify;
use newsdesk::markup::render_markdown;
use newsdesk::sections::model::{NewSection, SectionRow};
use newsdesk::state::AppState;
use newsdesk::tags::model::{NewTag, TagRow};
use newsdesk::taxonomy::Stored;

pub const PG_URL_VAR: &str = "NEWSDESK_TEST_POSTGRES_URL";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs each named async fn (taking a [`TestCtx`]) on SQLite and on PostgreSQL, as the tests
/// `<name>::sqlite` and `<name>::postgres`.
macro_rules! both_backends {
    // With a configuration adjusted by `$adjust` (a `fn(&mut Config)`).
    (config = $adjust:path; $($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[actix_web::test]
                async fn sqlite() {
                    let _watchdog = $crate::common::watchdog();
                    let ctx = $crate::common::TestCtx::with_config(
                        $crate::common::Backend::Sqlite,
                        $adjust,
                    )
                    .await
                    .expect("SQLite test database");
                    super::$name(ctx).await;
                }

                #[actix_web::test]
                async fn postgres() {
                    let _watchdog = $crate::common::watchdog();
                    if let Some(ctx) = $crate::common::TestCtx::with_config(
                        $crate::common::Backend::Postgres,
                        $adjust,
                    )
                    .await
                    {
                        super::$name(ctx).await;
                    }
                }
            }
        )+
    };
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[actix_web::test]
                async fn sqlite() {
                    let _watchdog = $crate::common::watchdog();
                    let ctx = $crate::common::TestCtx::new($crate::common::Backend::Sqlite)
                        .await
                        .expect("SQLite test database");
                    super::$name(ctx).await;
                }

                #[actix_web::test]
                async fn postgres() {
                    let _watchdog = $crate::common::watchdog();
                    if let Some(ctx) =
                        $crate::common::TestCtx::new($crate::common::Backend::Postgres).await
                    {
                        super::$name(ctx).await;
                    }
                }
            }
        )+
    };
}

/// How long one test may run before the test binary gives up on it.
const TEST_LIMIT: std::time::Duration = std::time::Duration::from_secs(600);

/// While alive, watches that the running test finishes within [`TEST_LIMIT`]; past it, the
/// test binary exits naming the test (the name libtest gives the test's thread), so a test
/// that hangs fails the run in minutes instead of holding it for as long as the CI lets it.
pub struct Watchdog {
    _done: std::sync::mpsc::Sender<()>,
}

pub fn watchdog() -> Watchdog {
    let name = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    let (done, finished) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        if let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = finished.recv_timeout(TEST_LIMIT) {
            // Straight to stderr: the test harness would hold back a print from this thread.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "{name} has not finished after {} s: stopping the test run",
                TEST_LIMIT.as_secs()
            );
            std::process::exit(101);
        }
    });
    Watchdog { _done: done }
}

/// An isolated database for one test.
pub struct TestDb {
    pub url: DatabaseUrl,
    pub backend: Backend,
    /// Holds the SQLite file and the search index of the test's process.
    dir: tempfile::TempDir,
    pg: Option<(String, String)>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin_url, schema)) = &self.pg
            && let Ok(mut c) = PgConnection::establish(admin_url)
        {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
        }
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// The PostgreSQL URL for tests, or `None` (with a notice) when none is configured.
pub fn postgres_url() -> Option<String> {
    match std::env::var(PG_URL_VAR) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("CI=true but {PG_URL_VAR} is not set: the PostgreSQL suite must run in CI");
            }
            eprintln!("notice: {PG_URL_VAR} is not set; skipping the PostgreSQL variant");
            None
        }
    }
}

impl TestDb {
    pub fn new(backend: Backend) -> Option<Self> {
        let dir = tempfile::tempdir().expect("temp dir");
        match backend {
            Backend::Sqlite => {
                let path = dir.path().join("newsdesk-test.db");
                Some(TestDb {
                    url: DatabaseUrl::sqlite(path.to_string_lossy().to_string()),
                    backend,
                    dir,
                    pg: None,
                })
            }
            Backend::Postgres => {
                let admin_url = postgres_url()?;
                let schema = format!(
                    "t_{}_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::Relaxed),
                    rand_suffix()
                );
                let mut admin = PgConnection::establish(&admin_url).unwrap_or_else(|e| {
                    panic!("{PG_URL_VAR} is set but PostgreSQL is unreachable: {e}")
                });
                admin
                    .batch_execute(&format!("CREATE SCHEMA {schema}"))
                    .expect("create test schema");
                let sep = if admin_url.contains('?') { '&' } else { '?' };
                let url = format!("{admin_url}{sep}options=-csearch_path%3D{schema}");
                Some(TestDb {
                    url: DatabaseUrl::parse(&url).expect("test URL"),
                    backend,
                    dir,
                    pg: Some((admin_url, schema)),
                })
            }
        }
    }

    pub fn connect(&self) -> DbConnection {
        self.url.establish().expect("connect to the test database")
    }

    /// The search index directory of the test's own process.
    pub fn search_dir(&self) -> std::path::PathBuf {
        self.dir.path().join("search")
    }
}

fn rand_suffix() -> u32 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    nanos % 100_000
}

/// The fixed "now" tests start at.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap()
}

/// One test's world: database, clock, state.
pub struct TestCtx {
    pub db: TestDb,
    pub clock: Clock,
    pub state: web::Data<AppState>,
}

impl TestCtx {
    pub async fn new(backend: Backend) -> Option<Self> {
        Self::with_config(backend, |_| {}).await
    }

    /// A context whose configuration `adjust` may change (cache on, other limits, ...).
    pub async fn with_config(backend: Backend, adjust: impl FnOnce(&mut Config)) -> Option<Self> {
        let db = TestDb::new(backend)?;
        let mut conn = db.connect();
        db::run_migrations(&mut conn).expect("migrations");
        drop(conn);
        let mut config = Config::for_database(db.url.clone());
        config.search_dir = Some(db.search_dir());
        config.media.dir = Some(db.dir.path().join("media"));
        adjust(&mut config);
        let clock = Clock::manual(t0());
        let state = AppState::new(config, clock.clone())
            .await
            .expect("app state");
        // The index of an empty database is ready at once; wait for it.
        let waiting = std::time::Instant::now();
        while !state.search.is_ready() {
            assert!(
                waiting.elapsed() < std::time::Duration::from_secs(60),
                "the search index of a new database was not ready after 60 s"
            );
            actix_web::rt::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        Some(TestCtx {
            db,
            clock,
            state: web::Data::new(state),
        })
    }

    pub fn backend(&self) -> Backend {
        self.db.backend
    }

    pub async fn app(
        &self,
    ) -> impl Service<
        actix_http::Request,
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
    > {
        test::init_service(newsdesk::build_app(self.state.clone())).await
    }

    pub fn conn(&self) -> DbConnection {
        self.db.connect()
    }

    pub fn now(&self) -> NaiveDateTime {
        self.clock.now_naive()
    }

    pub fn section(&self, slug: &str, names: &[(&str, &str)], position: i32) -> i64 {
        let map: serde_json::Map<String, Value> = names
            .iter()
            .map(|(l, n)| (l.to_string(), Value::String(n.to_string())))
            .collect();
        let new = NewSection {
            names: Value::Object(map.clone()).to_string(),
            descriptions: Value::Object(map).to_string(),
            position: Some(position),
        };
        SectionRow::insert(&mut self.conn(), new, slug, self.now()).expect("insert section")
    }

    pub fn author(&self, name: &str) -> i64 {
        let new = NewAuthor {
            name: name.to_string(),
            bio: "Reporter.".to_string(),
            avatar_url: None,
        };
        AuthorRow::insert(&mut self.conn(), new, &slugify(name), self.now()).expect("insert author")
    }

    pub fn tag(&self, name: &str) -> i64 {
        let new = NewTag {
            name: name.to_string(),
        };
        TagRow::insert(&mut self.conn(), new, &slugify(name), self.now()).expect("insert tag")
    }

    /// Inserts an article as the editorial API would store it.
    pub fn article(&self, spec: ArticleSpec) -> i64 {
        let body = render_markdown(&spec.body);
        let now = self.now();
        let new = NewArticle {
            slug: spec.slug.unwrap_or_else(|| slugify(&spec.title)),
            lang: spec.lang.to_string(),
            translation_group: spec.translation_group,
            title: spec.title.clone(),
            lead: format!("Lead of {}", spec.title),
            body_md: spec.body.clone(),
            body_html: body.html,
            body_text: body.text,
            cover_url: Some("https://cdn.example.com/x.jpg".into()),
            cover_caption: Some("Caption".into()),
            cover_credit: Some("Credit".into()),
            cover_media_id: None,
            source: Some("Agency".into()),
            section_id: spec.section,
            status: spec.status,
            published_at: spec.published_at,
            created_at: now,
            updated_at: now,
            featured: spec.featured,
            word_count: body.word_count,
            views: spec.views,
            created_by: None,
        };
        let mut conn = self.conn();
        let id = article_queries::insert(&mut conn, &new, &spec.authors, &spec.tags)
            .expect("insert article");
        // Written beside the editorial API, so indexed here.
        self.state
            .search
            .index_now(&mut conn, &[id])
            .expect("index article");
        id
    }

    /// A published article `minutes_ago` before now.
    pub fn published(&self, title: &str, section: i64, minutes_ago: i64) -> i64 {
        self.article(ArticleSpec::published(
            title,
            section,
            self.now() - Duration::minutes(minutes_ago),
        ))
    }
}

#[derive(Debug, Clone)]
pub struct ArticleSpec {
    pub title: String,
    pub slug: Option<String>,
    pub lang: &'static str,
    pub body: String,
    pub section: i64,
    pub status: Status,
    pub published_at: Option<NaiveDateTime>,
    pub featured: bool,
    pub views: i64,
    pub authors: Vec<i64>,
    pub tags: Vec<i64>,
    pub translation_group: Option<i64>,
}

impl ArticleSpec {
    pub fn published(title: &str, section: i64, at: NaiveDateTime) -> Self {
        ArticleSpec {
            title: title.to_string(),
            slug: None,
            lang: "en",
            body: format!("Body of **{title}**.\n\nSecond paragraph with more words in it."),
            section,
            status: Status::Published,
            published_at: Some(at),
            featured: false,
            views: 0,
            authors: Vec::new(),
            tags: Vec::new(),
            translation_group: None,
        }
    }
}

/// A response with its body read and, when JSON, parsed.
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }

    pub fn content_type(&self) -> String {
        self.header("content-type").unwrap_or_default()
    }

    /// Asserts a problem+json answer with this status and code.
    pub fn assert_problem(&self, status: u16, code: &str) {
        assert_eq!(
            self.status.as_u16(),
            status,
            "status; body: {}",
            String::from_utf8_lossy(&self.body)
        );
        assert_eq!(self.content_type(), "application/problem+json");
        let body = self.json();
        assert_eq!(body["code"], code, "body: {body}");
        assert_eq!(body["status"], status);
        assert!(body["type"].as_str().is_some_and(|t| t.ends_with(code)));
        assert!(body["title"].is_string() && body["detail"].is_string());
    }

    /// The ids of `data[]`.
    pub fn ids(&self) -> Vec<i64> {
        self.json()["data"]
            .as_array()
            .unwrap_or_else(|| panic!("no data array: {}", self.json()))
            .iter()
            .map(|a| a["id"].as_i64().expect("id"))
            .collect()
    }
}

pub async fn send<S, B>(app: &S, req: test::TestRequest) -> Resp
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let res = test::call_service(app, req.to_request()).await;
    let status = res.status();
    let headers = res.headers().clone();
    let body = test::read_body(res).await.to_vec();
    Resp {
        status,
        headers,
        body,
    }
}

pub async fn get<S, B>(app: &S, uri: &str) -> Resp
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    send(app, test::TestRequest::get().uri(uri)).await
}

// ----- editorial helpers -------------------------------------------------------------------

/// The password of every test user.
pub const PASSWORD: &str = "correct horse battery staple";

static PASSWORD_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    use secrecy::ExposeSecret;
    newsdesk::credentials::password::hash(&secrecy::SecretString::from(PASSWORD))
        .expect("hash")
        .expose_secret()
        .to_string()
});

impl TestCtx {
    /// Creates a user with [`PASSWORD`]; returns its id.
    pub fn user(&self, email: &str, role: &str) -> i64 {
        let role = newsdesk::domain::Role::parse(role).expect("role");
        newsdesk::users::routes::insert_user(
            &mut self.conn(),
            email,
            email.split('@').next().unwrap_or(email),
            role,
            &PASSWORD_HASH,
            None,
            self.now(),
        )
        .expect("insert user")
    }

    /// An access token for a user, signed as sign-in would sign it.
    pub fn token_for(&self, user_id: i64) -> String {
        self.token_at(user_id, self.clock.now())
    }

    /// An access token issued at `at`: [`Utc::now`] for a real server, which reads the system
    /// clock.
    pub fn token_at(&self, user_id: i64, at: DateTime<Utc>) -> String {
        let user = newsdesk::auth::queries::find_user(&mut self.conn(), user_id)
            .expect("query")
            .expect("user exists");
        let role = user.role;
        self.state
            .jwt
            .issue(
                user.id,
                role,
                user.token_version,
                at,
                self.state.config.access_token_ttl,
            )
            .expect("token")
    }

    /// Creates a user and returns `(id, token)`.
    pub fn signed_in(&self, email: &str, role: &str) -> (i64, String) {
        let id = self.user(email, role);
        (id, self.token_for(id))
    }
}

/// A request with a bearer token (when given) and a JSON body (when given).
pub fn request(
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> test::TestRequest {
    let method = actix_web::http::Method::from_bytes(method.as_bytes()).expect("method");
    let mut req = test::TestRequest::default().method(method).uri(uri);
    if let Some(token) = token {
        req = req.insert_header(("Authorization", format!("Bearer {token}")));
    }
    if let Some(body) = body {
        req = req.set_json(body);
    }
    req
}

/// Who a request comes from: `app.anon()`, `app.by(&token)`, or `app.caller(token)` when the
/// test holds an `Option`.
pub trait Api: Sized {
    fn caller<'a>(&'a self, token: Option<&'a str>) -> Caller<'a, Self>;

    fn anon(&self) -> Caller<'_, Self> {
        self.caller(None)
    }

    fn by<'a>(&'a self, token: &'a str) -> Caller<'a, Self> {
        self.caller(Some(token))
    }
}

impl<S, B> Api for S
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    fn caller<'a>(&'a self, token: Option<&'a str>) -> Caller<'a, Self> {
        Caller { app: self, token }
    }
}

/// The app as one caller sees it: every request carries that caller's token (if any). A JSON
/// body is a [`Value`], or `None` for a request without one.
pub struct Caller<'a, S> {
    app: &'a S,
    token: Option<&'a str>,
}

impl<S> Clone for Caller<'_, S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S> Copy for Caller<'_, S> {}

impl<S, B> Caller<'_, S>
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    pub async fn call(self, method: &str, uri: &str, body: impl Into<Option<Value>>) -> Resp {
        send(self.app, request(method, uri, self.token, body.into())).await
    }

    pub async fn get(self, uri: &str) -> Resp {
        self.call("GET", uri, None).await
    }

    pub async fn delete(self, uri: &str) -> Resp {
        self.call("DELETE", uri, None).await
    }

    pub async fn post(self, uri: &str, body: impl Into<Option<Value>>) -> Resp {
        self.call("POST", uri, body).await
    }

    pub async fn patch(self, uri: &str, body: impl Into<Option<Value>>) -> Resp {
        self.call("PATCH", uri, body).await
    }

    /// Signs in with `email` and `password`: the token pair, which must be a 200 that no cache
    /// may keep.
    pub async fn sign_in(self, email: &str, password: &str) -> Value {
        let r = self
            .post(
                "/api/v1/auth/token",
                serde_json::json!({"email": email, "password": password}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
        r.json()
    }
}
