//! The OpenAPI document: the committed file equals what the code serves and what
//! `newsdesk openapi` prints, every operation is described, and `/docs` renders it offline.

use crate::common::{Backend, TestCtx, get};

const COMMITTED: &str = include_str!("../../openapi/openapi.json");

#[actix_web::test]
async fn committed_spec_equals_served_spec() {
    let _watchdog = crate::common::watchdog();
    let t = TestCtx::new(Backend::Sqlite).await.unwrap();
    let app = t.app().await;
    let r = get(&app, "/api-docs/openapi.json").await;
    assert_eq!(r.status, 200);
    let served = r.json();
    let committed: serde_json::Value =
        serde_json::from_str(COMMITTED).expect("committed spec is JSON");
    assert!(
        served == committed,
        "openapi/openapi.json is stale: regenerate it with `cargo run -- openapi > openapi/openapi.json`"
    );
}

#[test]
fn cli_prints_the_committed_spec() {
    let _watchdog = crate::common::watchdog();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .arg("openapi")
        .output()
        .expect("run newsdesk openapi");
    assert!(out.status.success());
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let committed: serde_json::Value = serde_json::from_str(COMMITTED).unwrap();
    assert!(
        printed == committed,
        "`newsdesk openapi` differs from openapi/openapi.json"
    );
}

#[test]
fn every_operation_is_documented() {
    let _watchdog = crate::common::watchdog();
    let spec = newsdesk::openapi();
    let json = serde_json::to_value(&spec).unwrap();
    let paths = json["paths"].as_object().unwrap();
    assert!(paths.len() >= 16, "{}", paths.len());
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            let summary = op["summary"].as_str().unwrap_or_default();
            assert!(!summary.is_empty(), "{method} {path} has no summary");
            let responses = op["responses"].as_object().unwrap();
            assert!(
                !responses.is_empty(),
                "{method} {path} documents no response"
            );
            for (status, response) in responses {
                assert!(
                    !response["description"]
                        .as_str()
                        .unwrap_or_default()
                        .is_empty(),
                    "{method} {path} {status} has no description"
                );
            }
            if path.contains("{ref}") {
                assert!(
                    responses.contains_key("404"),
                    "{method} {path} does not document 404"
                );
            }
        }
    }
    for schema in [
        "Problem",
        "ArticleSummary",
        "Article",
        "SectionDto",
        "SiteDto",
        "NewerCount",
    ] {
        assert!(
            json["components"]["schemas"][schema].is_object(),
            "{schema} missing"
        );
    }
}

#[actix_web::test]
async fn docs_ui_is_served_without_external_assets() {
    let _watchdog = crate::common::watchdog();
    let t = TestCtx::new(Backend::Sqlite).await.unwrap();
    let app = t.app().await;
    let r = get(&app, "/docs").await;
    assert!(r.status.is_redirection());
    assert_eq!(r.header("location").as_deref(), Some("/docs/"));
    let r = get(&app, "/docs/").await;
    assert_eq!(r.status, 200);
    let html = String::from_utf8(r.body).unwrap();
    assert!(html.contains("swagger-ui"), "{html}");
    assert!(
        !html.contains("https://"),
        "the UI must not load assets from the internet"
    );
    let r = get(&app, "/docs/swagger-initializer.js").await;
    assert_eq!(r.status, 200);
    assert!(
        String::from_utf8(r.body)
            .unwrap()
            .contains("/api-docs/openapi.json")
    );
    let r = get(&app, "/docs/swagger-ui-bundle.js").await;
    assert_eq!(r.status, 200);
    assert!(r.body.len() > 100_000, "the bundle is served locally");
}
