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
