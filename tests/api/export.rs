//! `newsdesk export --format jsonl|wordpress` and `newsdesk import jsonl`, on both backends: a
//! newsroom exported, imported into an empty database and exported again gives the same bytes;
//! newsdesk's WXR comes back through the WordPress importer with nothing lost, and without its
//! newsdesk records (as WordPress itself would write it) with every field WXR carries.

use std::path::Path;

use diesel::prelude::*;
use serde_json::Value;

use crate::common::{Api, ArticleSpec, TestCtx};
use chrono::NaiveDateTime;
use newsdesk::db::DbConnection;
use newsdesk::export;
use newsdesk::import::{ImportError, Options, Summary, jsonl::jsonl, wordpress};

both_backends!(
    an_export_imports_into_an_empty_newsroom_unchanged,
    newsdesks_wxr_round_trips,
    a_jsonl_import_refuses_what_it_cannot_read,
);

fn export_jsonl(conn: &mut DbConnection) -> String {
    let mut out = Vec::new();
    export::jsonl(conn, &mut out, |_, _| {}).expect("export");
    String::from_utf8(out).expect("UTF-8")
}

fn export_wxr(conn: &mut DbConnection) -> String {
    let mut out = Vec::new();
    export::wxr::write(conn, &mut out, "https://news.example.com", |_, _| {}).expect("export");
    String::from_utf8(out).expect("UTF-8")
}

/// Fails with the first line that differs, not two walls of text.
fn assert_same_lines(first: &str, second: &str) {
    for (n, (a, b)) in first.lines().zip(second.lines()).enumerate() {
        assert_eq!(a, b, "line {} differs", n + 1);
    }
    assert_eq!(first.lines().count(), second.lines().count());
}

/// A newsroom with what an export must carry: the demo content (three languages, translation
/// groups, drafts, scheduled and archived stories, views, featured ones) and a few articles
/// made to be awkward (text XML cannot hold, `]]>`, emoji and Arabic, old addresses).
async fn newsroom(t: &TestCtx) {
    newsdesk::seed::demo(&t.state.db, false, t.now()).expect("demo content");
    let mut conn = t.conn();
    let section: i64 = newsdesk::db::schema::sections::table
        .select(newsdesk::db::schema::sections::id)
        .first(&mut conn)
        .unwrap();
    let id = t.article(ArticleSpec {
        body: "Code: `a ]]> b`\n\nControl \u{1} char, emoji 🚀 and السلام عليكم.\n\n<p>raw HTML</p>"
            .into(),
        views: 71,
        featured: true,
        ..ArticleSpec::published("Awkward ]]> text", section, t.now())
    });
    newsdesk::redirects::queries::record(&mut conn, "/en/articles/old-awkward", id, t.now())
        .unwrap();
    newsdesk::redirects::queries::record(&mut conn, "/?p=12", id, t.now()).unwrap();
}

type Importer =
    fn(&mut DbConnection, &Path, &Options, NaiveDateTime, fn(u64)) -> Result<Summary, ImportError>;

/// A new empty newsroom on the backend of `t`, with `file` imported by `import`.
async fn into_empty(t: &TestCtx, file: &Path, import: Importer) -> (TestCtx, Summary) {
    let target = TestCtx::new(t.backend()).await.expect("another database");
    let summary = import(
        &mut target.conn(),
        file,
        &Options::default(),
        target.now(),
        |_| {},
    )
    .expect("import");
    (target, summary)
}

fn import_jsonl(t: &TestCtx, file: &Path) -> Summary {
    jsonl(&mut t.conn(), file, &Options::default(), t.now(), |_| {}).expect("import")
}

fn write_file(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

async fn an_export_imports_into_an_empty_newsroom_unchanged(t: TestCtx) {
    newsroom(&t).await;
    let first = export_jsonl(&mut t.conn());
    let lines: Vec<Value> = first
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["type"], "export");
    let articles = lines.iter().filter(|l| l["type"] == "article").count();
    assert!(articles > 300, "{articles} articles");
    for status in ["draft", "published", "archived"] {
        assert!(
            lines.iter().any(|l| l["status"] == status),
            "a {status} article is exported"
        );
    }
    assert!(
        lines
            .iter()
            .any(|l| l["translation_group"].is_string() && l["lang"] == "ru")
    );

    let dir = tempfile::tempdir().unwrap();
    let file = write_file(dir.path(), "export.jsonl", &first);
    let (target, summary) = into_empty(&t, &file, jsonl).await;
    assert_eq!(summary.imported as usize, articles, "{summary:?}");
    assert_eq!(summary.redirects, 2);
    let second = export_jsonl(&mut target.conn());
    assert_same_lines(&first, &second);

    // The imported newsroom serves what the first one did.
    target.state.refresh().await.unwrap();
    let app = target.app().await;
    let a = app.anon().get("/api/v1/articles/awkward-text").await.json();
    assert_eq!(a["views"], 71);
    assert_eq!(a["featured"], true);
    assert!(a["body_html"].as_str().unwrap().contains("🚀"));
    let r = app.anon().get("/api/v1/search?q=awkward").await;
    assert_eq!(r.ids(), vec![a["id"].as_i64().unwrap()]);
    let r = app
        .anon()
        .get("/api/v1/redirects?path=/en/articles/old-awkward")
        .await;
    assert_eq!(r.json()["location_path"], "/en/articles/awkward-text");
    let translated = lines
        .iter()
        .find(|l| {
            l["translation_group"].is_string() && l["lang"] == "ru" && l["status"] == "published"
        })
        .expect("a published translation");
    let r = app
        .anon()
        .get(&format!(
            "/api/v1/articles/{}?lang=ru",
            translated["slug"].as_str().unwrap()
        ))
        .await;
    if r.status == 200 {
        assert!(
            !r.json()["translations"].as_array().unwrap().is_empty(),
            "translations are linked again"
        );
    }

    // Again, and into the database it came from: nothing changes.
    let again = import_jsonl(&target, &file);
    assert_eq!((again.imported, again.unchanged as usize), (0, articles));
    let home = import_jsonl(&t, &file);
    assert_eq!((home.imported, home.unchanged as usize), (0, articles));
    assert_eq!(
        (
            home.sections_created,
            home.authors_created,
            home.tags_created
        ),
        (0, 0, 0)
    );
    assert_same_lines(&first, &export_jsonl(&mut target.conn()));

    // One story edited at the source and exported again: the re-import brings that change.
    let edited = first.replacen(
        "\"title\":\"Awkward ]]> text\"",
        "\"title\":\"Awkward, edited\"",
        1,
    );
    assert_ne!(edited, first);
    let file = write_file(dir.path(), "edited.jsonl", &edited);
    let summary = import_jsonl(&target, &file);
    assert_eq!(
        (
            summary.imported,
            summary.updated,
            summary.unchanged as usize
        ),
        (0, 1, articles - 1),
        "{summary:?}"
    );
    let a = target
        .app()
        .await
        .anon()
        .get("/api/v1/articles/awkward-text")
        .await
        .json();
    assert_eq!(
        (a["title"].as_str(), a["views"].as_i64()),
        (Some("Awkward, edited"), Some(71))
    );
}

async fn newsdesks_wxr_round_trips(t: TestCtx) {
    newsroom(&t).await;
    let jsonl_before = export_jsonl(&mut t.conn());
    let wxr = export_wxr(&mut t.conn());
    assert!(wxr.contains("<wp:wxr_version>1.2</wp:wxr_version>"));
    assert!(
        wxr.contains("]]]]><![CDATA[>"),
        "`]]>` is split as WordPress splits it"
    );
    assert!(!wxr.contains('\u{1}'), "no character XML 1.0 cannot hold");
    check_wxr_rules(&wxr);

    // With its records: nothing lost.
    let dir = tempfile::tempdir().unwrap();
    let file = write_file(dir.path(), "export.xml", &wxr);
    let (target, summary) = into_empty(&t, &file, wordpress).await;
    assert!(summary.imported > 300, "{summary:?}");
    assert_same_lines(&jsonl_before, &export_jsonl(&mut target.conn()));

    // Without them, as WordPress writes WXR: every field WXR has a place for comes through.
    let plain = strip_records(&wxr);
    assert!(!plain.contains("newsdesk:record"));
    let file = write_file(dir.path(), "plain.xml", &plain);
    let (bare, summary) = into_empty(&t, &file, wordpress).await;
    let all: Vec<Value> = jsonl_before
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|l| l["type"] == "article")
        .collect();
    // WXR has no language: every post comes in the site's, so compare the English articles
    // whose slug no translation shares.
    let before: Vec<&Value> = all
        .iter()
        .filter(|a| a["lang"] == "en" && all.iter().filter(|b| b["slug"] == a["slug"]).count() == 1)
        .collect();
    // Archived stories are private posts in WordPress, which its importers skip.
    let archived = all.iter().filter(|a| a["status"] == "archived").count();
    assert_eq!(
        summary
            .skipped
            .get("status `private`")
            .copied()
            .unwrap_or(0) as usize,
        archived
    );
    let bare_conn = &mut bare.conn();
    let mut checked = 0;
    for a in before.iter().filter(|a| a["status"] != "archived") {
        let slug = a["slug"].as_str().unwrap();
        let got = article_of(bare_conn, slug);
        assert_eq!(
            got.0,
            a["title"].as_str().unwrap().replace('\u{1}', ""),
            "{slug}"
        );
        assert_eq!(got.1, a["lead"], "{slug}");
        assert_eq!(
            got.2.as_deref(),
            a["published_at"].as_str(),
            "{slug}: to the second"
        );
        assert_eq!(got.3, a["section"], "{slug}");
        let mut tags: Vec<String> = serde_json::from_value(a["tags"].clone()).unwrap();
        tags.sort();
        assert_eq!(got.4, tags, "{slug}");
        assert_eq!(got.5.as_deref(), a["cover_url"].as_str(), "{slug}");
        let status = if a["status"] == "draft" {
            "draft"
        } else {
            "published"
        };
        assert_eq!(got.6, status, "{slug}");
        checked += 1;
    }
    assert!(checked > 50, "{checked} articles compared");
}

/// `(title, lead, published_at, section, tags, cover_url, status)` of the English article
/// `slug`, as the bare WXR import stored it.
#[allow(clippy::type_complexity)]
fn article_of(
    conn: &mut DbConnection,
    slug: &str,
) -> (
    String,
    String,
    Option<String>,
    String,
    Vec<String>,
    Option<String>,
    String,
) {
    use newsdesk::db::schema::{article_tags, articles, sections, tags};
    let (id, title, lead, published_at, section, cover, status): (
        i64,
        String,
        String,
        Option<chrono::NaiveDateTime>,
        String,
        Option<String>,
        String,
    ) = articles::table
        .inner_join(sections::table)
        .filter(articles::slug.eq(slug))
        .filter(articles::lang.eq("en"))
        .select((
            articles::id,
            articles::title,
            articles::lead,
            articles::published_at,
            sections::slug,
            articles::cover_url,
            articles::status,
        ))
        .first(conn)
        .unwrap_or_else(|e| panic!("{slug}: {e}"));
    let mut tag_slugs: Vec<String> = article_tags::table
        .inner_join(tags::table)
        .filter(article_tags::article_id.eq(id))
        .select(tags::slug)
        .load(conn)
        .unwrap();
    tag_slugs.sort();
    (
        title,
        lead,
        published_at.map(|t| t.and_utc().format("%Y-%m-%dT%H:%M:%SZ").to_string()),
        section,
        tag_slugs,
        cover,
        status,
    )
}

/// The WXR without newsdesk's records.
fn strip_records(wxr: &str) -> String {
    let mut out = String::with_capacity(wxr.len());
    let mut rest = wxr;
    while let Some(start) = rest.find("<newsdesk:record>") {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find("</newsdesk:record>")
            .expect("a closed record");
        rest = &rest[start + end + "</newsdesk:record>".len()..];
    }
    out.push_str(rest);
    out
}

async fn a_jsonl_import_refuses_what_it_cannot_read(t: TestCtx) {
    let dir = tempfile::tempdir().unwrap();
    let run = |text: &str| {
        let file = write_file(dir.path(), "in.jsonl", text);
        jsonl(&mut t.conn(), &file, &Options::default(), t.now(), |_| {})
    };
    let header = r#"{"type":"export","format":"newsdesk","version":1,"settings":{"name":"x","description":"","timezone":"UTC","default_language":"en","languages":["en"],"copyright":"","social_links":{},"app_links":{},"min_app_version":null}}"#;
    let section = r#"{"type":"section","slug":"world","names":{"en":"World"},"descriptions":{},"position":1,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}"#;
    let article = |slug: &str, lang: &str, status: &str| {
        format!(
            r#"{{"type":"article","lang":"{lang}","slug":"{slug}","status":"{status}","title":"T {slug}","lead":"","body":"Body","section":"world","authors":[],"tags":[],"cover_url":null,"cover_caption":null,"cover_credit":null,"source":null,"featured":false,"views":3,"published_at":"2026-02-01T10:00:00Z","created_at":"2026-02-01T09:00:00Z","updated_at":"2026-02-01T10:00:00Z","translation_group":null,"redirects":[]}}"#
        )
    };
    let count = || {
        use newsdesk::db::schema::articles;
        articles::table
            .count()
            .get_result::<i64>(&mut t.conn())
            .unwrap()
    };

    // Not an export.
    match run(section) {
        Err(ImportError::Malformed { line: 1, .. }) => {}
        other => panic!("expected the header to be asked for, got {other:?}"),
    }
    // A broken line in the middle: named, and nothing of its batch written.
    let text = format!(
        "{header}\n{section}\n{}\n{{\"type\":\"article\",\n",
        article("one", "en", "published")
    );
    match run(&text) {
        Err(ImportError::Malformed { line, .. }) => assert_eq!(line, 4),
        other => panic!("expected a malformed line, got {other:?}"),
    }
    assert_eq!(count(), 0, "nothing half-imported");
    // A newer format.
    match run(&header.replace("\"version\":1", "\"version\":9")) {
        Err(ImportError::Unsupported(m)) => assert!(m.contains("version 9"), "{m}"),
        other => panic!("expected a version error, got {other:?}"),
    }
    // Lines that cannot be imported are counted, the rest come in.
    let text = [
        header.to_string(),
        section.to_string(),
        article("one", "en", "published"),
        article("two", "xx", "published"),
        article("three", "en", "deleted"),
    ]
    .join("\n");
    let summary = run(&text).unwrap();
    assert_eq!(summary.imported, 1, "{summary:?}");
    assert_eq!(
        summary.skipped.get("language `xx` not served by this site"),
        Some(&1)
    );
    assert_eq!(summary.skipped.get("status `deleted`"), Some(&1));
    t.state.refresh().await.unwrap();
    let a = t
        .app()
        .await
        .anon()
        .get("/api/v1/articles/one")
        .await
        .json();
    assert_eq!(
        (a["views"].as_i64(), a["section"]["slug"].as_str()),
        (Some(3), Some("world"))
    );
    assert_eq!(a["published_at"], "2026-02-01T10:00:00Z");
}

/// The rules WordPress's importer holds a WXR file to (its `WXR_Parser_SimpleXML` and
/// `WP_Import`; there is no published schema): the WordPress namespaces, a `wp:wxr_version`
/// of the form `1.2`, the site's base URL, authors, categories and tags declared with their
/// keys, and items with a unique numeric id, a known type and status, dates in WordPress's
/// form, authors, categories and tags that were declared, attachments with an absolute URL,
/// and featured images (`_thumbnail_id`) that name an attachment of the file.
fn check_wxr_rules(xml: &str) {
    use quick_xml::Reader;
    use quick_xml::events::Event;
    use std::collections::{HashMap, HashSet};

    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut fields: HashMap<String, Vec<String>> = HashMap::new();
    let mut attrs: Vec<(String, String)> = Vec::new();
    let (mut logins, mut categories, mut tags) = (HashSet::new(), HashSet::new(), HashSet::new());
    type Fields = HashMap<String, Vec<String>>;
    let mut items: Vec<(Fields, Vec<(String, String)>)> = Vec::new();
    let mut root_checked = false;
    let mut channel: HashMap<String, String> = HashMap::new();
    let date = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").is_ok();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                if name == "rss" {
                    let ns: HashMap<String, String> = e
                        .attributes()
                        .map(|a| {
                            let a = a.unwrap();
                            (
                                String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                                a.decoded_and_normalized_value(
                                    quick_xml::XmlVersion::Implicit1_0,
                                    reader.decoder(),
                                )
                                .unwrap()
                                .into_owned(),
                            )
                        })
                        .collect();
                    assert_eq!(ns["version"], "2.0");
                    assert_eq!(ns["xmlns:wp"], "http://wordpress.org/export/1.2/");
                    assert_eq!(
                        ns["xmlns:excerpt"],
                        "http://wordpress.org/export/1.2/excerpt/"
                    );
                    assert_eq!(
                        ns["xmlns:content"],
                        "http://purl.org/rss/1.0/modules/content/"
                    );
                    assert_eq!(ns["xmlns:dc"], "http://purl.org/dc/elements/1.1/");
                    root_checked = true;
                }
                if matches!(
                    name.as_str(),
                    "item" | "wp:author" | "wp:category" | "wp:tag"
                ) {
                    fields.clear();
                    attrs.clear();
                }
                if name == "category" {
                    let get = |key: &str| {
                        e.attributes()
                            .map(|a| a.unwrap())
                            .find(|a| a.key.as_ref() == key.as_bytes())
                            .map(|a| {
                                a.decoded_and_normalized_value(
                                    quick_xml::XmlVersion::Implicit1_0,
                                    reader.decoder(),
                                )
                                .unwrap()
                                .into_owned()
                            })
                            .unwrap_or_default()
                    };
                    attrs.push((get("domain"), get("nicename")));
                }
                stack.push(name);
                text.clear();
            }
            Event::Text(t) => text.push_str(&t.decode().unwrap()),
            Event::CData(c) => text.push_str(&c.decode().unwrap()),
            Event::GeneralRef(r) => {
                let entity = format!("&{};", r.decode().unwrap());
                text.push_str(&quick_xml::escape::unescape(&entity).unwrap());
            }
            Event::End(_) => {
                let name = stack.pop().unwrap();
                let parent = stack.last().cloned().unwrap_or_default();
                let value = std::mem::take(&mut text);
                match (parent.as_str(), name.as_str()) {
                    ("channel", "wp:author") => {
                        let login = &fields["wp:author_login"][0];
                        assert!(!login.is_empty() && fields.contains_key("wp:author_display_name"));
                        logins.insert(login.clone());
                    }
                    ("channel", "wp:category") => {
                        assert!(fields.contains_key("wp:cat_name"));
                        categories.insert(fields["wp:category_nicename"][0].clone());
                    }
                    ("channel", "wp:tag") => {
                        assert!(fields.contains_key("wp:tag_name"));
                        tags.insert(fields["wp:tag_slug"][0].clone());
                    }
                    ("channel", "item") => {
                        items.push((std::mem::take(&mut fields), std::mem::take(&mut attrs)))
                    }
                    ("channel", _) => {
                        channel.insert(name, value);
                    }
                    ("wp:postmeta", _) => {
                        fields.entry(name).or_default().push(value);
                    }
                    (_, "wp:postmeta") => {}
                    _ => fields.entry(name).or_default().push(value),
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(root_checked, "an <rss> root");
    let version = &channel["wp:wxr_version"];
    assert!(
        version
            .split_once('.')
            .is_some_and(|(a, b)| a.parse::<u32>().is_ok() && b.parse::<u32>().is_ok()),
        "WXR version {version}"
    );
    assert!(channel["wp:base_site_url"].starts_with("https://"));
    let one = |f: &HashMap<String, Vec<String>>, k: &str| -> String {
        let v = f.get(k).unwrap_or_else(|| panic!("an item without <{k}>"));
        assert_eq!(v.len(), 1, "one <{k}>");
        v[0].clone()
    };
    let mut ids = HashSet::new();
    let mut attachments = HashSet::new();
    for (f, _) in &items {
        let id = one(f, "wp:post_id");
        assert!(id.parse::<u64>().is_ok_and(|n| n > 0), "post id {id}");
        assert!(ids.insert(id.clone()), "post id {id} given twice");
        if one(f, "wp:post_type") == "attachment" {
            let url = one(f, "wp:attachment_url");
            assert!(
                url.starts_with("http://") || url.starts_with("https://"),
                "{url}"
            );
            attachments.insert(id);
        }
    }
    for (f, cats) in &items {
        let kind = one(f, "wp:post_type");
        assert!(matches!(kind.as_str(), "post" | "attachment"), "{kind}");
        let status = one(f, "wp:status");
        assert!(
            matches!(
                status.as_str(),
                "publish" | "future" | "draft" | "pending" | "private" | "inherit"
            ),
            "{status}"
        );
        assert!(date(&one(f, "wp:post_date")));
        let gmt = one(f, "wp:post_date_gmt");
        assert!(
            date(&gmt) || (status == "draft" && gmt == "0000-00-00 00:00:00"),
            "{gmt}"
        );
        assert!(chrono::DateTime::parse_from_rfc2822(&one(f, "pubDate")).is_ok());
        assert!(matches!(one(f, "wp:is_sticky").as_str(), "0" | "1"));
        one(f, "content:encoded");
        one(f, "title");
        for login in f.get("dc:creator").into_iter().flatten() {
            assert!(logins.contains(login), "author {login} is declared");
        }
        for (domain, nicename) in cats {
            match domain.as_str() {
                "category" => assert!(categories.contains(nicename), "category {nicename}"),
                "post_tag" => assert!(tags.contains(nicename), "tag {nicename}"),
                other => panic!("category domain {other}"),
            }
        }
        if kind == "post" {
            assert!(!one(f, "wp:post_name").is_empty());
            let keys = f.get("wp:meta_key").cloned().unwrap_or_default();
            let values = f.get("wp:meta_value").cloned().unwrap_or_default();
            for (k, v) in keys.iter().zip(&values) {
                if k == "_thumbnail_id" {
                    assert!(
                        attachments.contains(v),
                        "featured image {v} is an attachment"
                    );
                }
            }
        }
    }
    assert!(items.len() > 300);
}
