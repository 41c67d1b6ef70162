//! The real `newsdesk` binary as a child process, and an HTTP client for it: for what only a
//! real server shows (concurrency across connections, signals, several processes).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A browser's User-Agent, so views are counted.
pub const BROWSER: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";

/// How long a stopping server may take before the test gives up on it.
pub const STOP_LIMIT: Duration = Duration::from_secs(90);

pub struct Server {
    child: Child,
    pub port: u16,
    /// The server's log (its shutdown steps at info), shown when it fails to stop.
    log: tempfile::NamedTempFile,
    /// Its own search index directory, unless the test gave one.
    _search_dir: Option<tempfile::TempDir>,
}

impl Server {
    /// Serves `url` with views written every `flush_ms`, once `/readyz` answers 200.
    pub fn start(url: &str, flush_ms: u64) -> Server {
        Self::start_with(url, &[("NEWSDESK_VIEW_FLUSH_MS", &flush_ms.to_string())])
    }

    /// Serves `url` with extra environment variables.
    pub fn start_with(url: &str, env: &[(&str, &str)]) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log = tempfile::NamedTempFile::new().expect("log file");
        let mut command = Command::new(env!("CARGO_BIN_EXE_newsdesk"));
        command
            .arg("serve")
            .env("DATABASE_URL", url)
            .env("NEWSDESK_ADDR", format!("127.0.0.1:{port}"))
            .env("NEWSDESK_WORKERS", "2")
            .env("RUST_LOG", "warn,newsdesk=info")
            .stdout(Stdio::null())
            .stderr(log.reopen().expect("log file"));
        for (k, v) in env {
            command.env(k, v);
        }
        // The search index and media files in a directory of this server's own, unless the
        // test chose them.
        let scratch = tempfile::tempdir().expect("server scratch directory");
        for (var, sub) in [
            ("NEWSDESK_SEARCH_DIR", "search"),
            ("NEWSDESK_MEDIA_DIR", "media"),
        ] {
            if !env.iter().any(|(k, _)| *k == var) {
                command.env(var, scratch.path().join(sub));
            }
        }
        let search_dir = Some(scratch);
        let child = command.spawn().expect("start newsdesk");
        let server = Server {
            child,
            port,
            log,
            _search_dir: search_dir,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        // Ready, search included.
        while http(port, "GET", "/readyz", None)
            .is_none_or(|(s, body)| s != 200 || !search_ready(&body))
        {
            assert!(
                Instant::now() < deadline,
                "newsdesk did not become ready:\n{}",
                server.log_tail()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    pub fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.log.path()).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    /// SIGTERM, then wait for a clean exit.
    pub fn terminate(self) {
        self.stop_with("-TERM");
    }

    /// Sends `signal` (as `kill` spells it), then waits for a clean exit.
    pub fn stop_with(mut self, signal: &str) {
        self.signal(signal);
        let exit = self.exit_within(STOP_LIMIT);
        assert!(
            exit.success(),
            "newsdesk exited with {exit} after {signal}; its log:\n{}",
            self.log_tail()
        );
    }

    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Its exit status, waiting at most `limit` for it.
    pub fn exit_within(&mut self, limit: Duration) -> std::process::ExitStatus {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(exit) = self.child.try_wait().unwrap() {
                return exit;
            }
            assert!(
                Instant::now() < deadline,
                "newsdesk did not exit within {} s; its log:\n{}",
                limit.as_secs(),
                self.log_tail()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// A client of this server, signed in with `token` when given.
    pub fn client(&self, token: Option<&str>) -> Client {
        Client::new(self.port, token)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// HTTP/1.1 to one server, keeping its connections open between requests.
pub struct Client {
    agent: ureq::Agent,
    base: String,
    token: Option<String>,
}

impl Client {
    pub fn new(port: u16, token: Option<&str>) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        Self {
            agent,
            base: format!("http://127.0.0.1:{port}"),
            token: token.map(str::to_string),
        }
    }

    /// `(status, body)`, or `None` when the server did not answer.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Option<(u16, String)> {
        let uri = format!("{}{path}", self.base);
        let mut req = ureq::http::Request::builder()
            .method(method)
            .uri(uri)
            .header("User-Agent", BROWSER);
        if let Some(token) = &self.token {
            req = req.header("Authorization", format!("Bearer {token}"));
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let result = match body {
            Some(json) => self.agent.run(
                req.header("Content-Type", "application/json")
                    .body(json.to_string())
                    .ok()?,
            ),
            None => self.agent.run(req.body(()).ok()?),
        };
        let answer = result.and_then(|mut res| {
            let status = res.status().as_u16();
            Ok((status, res.body_mut().read_to_string()?))
        });
        answer
            .inspect_err(|e| eprintln!("{method} {path}: no answer: {e}"))
            .ok()
    }

    pub fn get(&self, path: &str) -> Option<(u16, String)> {
        self.send("GET", path, None, &[])
    }
}

/// Whether a `/readyz` body says the search index answers.
fn search_ready(body: &str) -> bool {
    serde_json::from_str::<Value>(body).is_ok_and(|v| v["search"]["ready"] == true)
}

/// One request on a fresh connection: `(status, body)`, or `None` when the server did not
/// answer. `visitor`: an `X-Visitor-Id`.
pub fn http(port: u16, method: &str, path: &str, visitor: Option<&str>) -> Option<(u16, String)> {
    let headers: Vec<(&str, &str)> = visitor.map(|v| ("X-Visitor-Id", v)).into_iter().collect();
    Client::new(port, None).send(method, path, None, &headers)
}
