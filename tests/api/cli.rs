//! The binary's start-up behaviour: clear one-line errors and exit code 1, never a panic.

use std::process::Command;

fn newsdesk() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsdesk"));
    cmd.env_remove("DATABASE_URL").env("RUST_LOG", "error");
    cmd
}

fn one_line_error(out: &std::process::Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(1),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn unreachable_postgres_is_a_clear_error() {
    let _watchdog = crate::common::watchdog();
    let out = newsdesk()
        .arg("migrate")
        .env("DATABASE_URL", "postgres://nobody:secret@127.0.0.1:1/none")
        .output()
        .unwrap();
    let err = one_line_error(&out);
    assert!(
        err.starts_with(
            "newsdesk: cannot connect to the database at postgres://nobody:***@127.0.0.1:1/none"
        ),
        "{err}"
    );
    assert!(!err.contains("secret"));
}

#[test]
fn unwritable_sqlite_path_is_a_clear_error() {
    let _watchdog = crate::common::watchdog();
    let out = newsdesk()
        .arg("serve")
        .env("DATABASE_URL", "sqlite:///nonexistent-dir/sub/newsdesk.db")
        .output()
        .unwrap();
    let err = one_line_error(&out);
    assert!(err.contains("cannot connect to the database"), "{err}");
}

#[test]
fn bad_configuration_names_the_variable() {
    let _watchdog = crate::common::watchdog();
    let out = newsdesk()
        .arg("serve")
        .env("NEWSDESK_CACHE_MAX_AGE", "soon")
        .output()
        .unwrap();
    let err = one_line_error(&out);
    assert!(err.contains("NEWSDESK_CACHE_MAX_AGE"), "{err}");
}

#[test]
fn seeding_refuses_to_overwrite_without_force() {
    let _watchdog = crate::common::watchdog();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("seed.db");
    let url = format!("sqlite://{}", db.display());
    let first = newsdesk()
        .args(["seed", "--demo"])
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let report = String::from_utf8_lossy(&first.stdout);
    assert!(report.contains("demo newsroom loaded"), "{report}");
    let again = newsdesk()
        .args(["seed", "--demo"])
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    let err = one_line_error(&again);
    assert!(err.contains("--force"), "{err}");
    let forced = newsdesk()
        .args(["seed", "--generate", "50", "--force"])
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(
        forced.status.success(),
        "{}",
        String::from_utf8_lossy(&forced.stderr)
    );
    assert!(String::from_utf8_lossy(&forced.stdout).contains("generated 50 articles"));
}

mod accounts {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::process::Stdio;
    use std::time::{Duration, Instant};

    fn create_user(url: &str, password: &str) -> std::process::Output {
        let mut child = newsdesk()
            .args([
                "user",
                "create",
                "--email",
                "Chief@Example.com",
                "--name",
                "Chief",
                "--role",
                "admin",
            ])
            .env("DATABASE_URL", url)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{password}\n").as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    #[test]
    fn user_create_reads_the_password_from_stdin() {
        let _watchdog = crate::common::watchdog();
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("users.db").display());
        let weak = create_user(&url, "short");
        let err = one_line_error(&weak);
        assert!(err.contains("password"), "{err}");
        let ok = create_user(&url, "a long admin passphrase");
        assert!(
            ok.status.success(),
            "{}",
            String::from_utf8_lossy(&ok.stderr)
        );
        assert!(String::from_utf8_lossy(&ok.stdout).contains("created admin chief@example.com"));
        let again = create_user(&url, "a long admin passphrase");
        assert!(
            one_line_error(&again).contains("email"),
            "a second account with the same email is refused"
        );
    }

    fn http(port: u16, request: &str) -> Option<String> {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
        stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        stream.write_all(request.as_bytes()).ok()?;
        let mut out = String::new();
        stream.read_to_string(&mut out).ok()?;
        Some(out)
    }

    #[test]
    fn first_admin_comes_from_the_environment() {
        let _watchdog = crate::common::watchdog();
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("boot.db").display());
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut server = newsdesk()
            .arg("serve")
            .env("DATABASE_URL", &url)
            .env("NEWSDESK_ADDR", format!("127.0.0.1:{port}"))
            .env("NEWSDESK_ADMIN_EMAIL", "boss@example.com")
            .env("NEWSDESK_ADMIN_PASSWORD", "bootstrap passphrase")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        let ready = loop {
            if let Some(r) = http(
                port,
                "GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            ) {
                break r;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "server did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        };
        assert!(ready.starts_with("HTTP/1.1 200"), "{ready}");
        let body = r#"{"email":"boss@example.com","password":"bootstrap passphrase"}"#;
        let signed_in = http(
            port,
            &format!(
                "POST /api/v1/auth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            ),
        )
        .unwrap();
        server.kill().ok();
        server.wait().ok();
        assert!(signed_in.starts_with("HTTP/1.1 200"), "{signed_in}");
        assert!(signed_in.contains("\"access_token\""));
    }
}
