//! Media uploads: every format, renditions checked by decoding them, hostile and broken files
//! refused with nothing stored, metadata stripped, the role matrix, `in_use`, and articles
//! showing uploaded images as covers and galleries.

use std::io::Cursor;
use std::path::PathBuf;

use actix_web::test;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use serde_json::{Value, json};

use crate::common::{Api, Resp, TestCtx, send};

both_backends!(
    uploads_each_format_with_decodable_renditions,
    bad_uploads_are_refused_and_nothing_is_stored,
    metadata_is_stripped_and_orientation_applied,
    who_may_upload_change_and_delete,
    media_used_by_an_article_cannot_be_deleted,
    articles_show_uploaded_covers_and_galleries,
    bodies_embed_allowed_providers_only,
    an_s3_bucket_is_shared_by_processes,
);

/// One part of a multipart body: name, file name, content type, bytes.
type Part<'a> = (&'a str, Option<&'a str>, Option<&'a str>, &'a [u8]);

fn multipart(parts: &[Part<'_>]) -> (String, Vec<u8>) {
    let boundary = "newsdesk-test-boundary-7d1f";
    let mut body = Vec::new();
    for (name, filename, content_type, data) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let mut disposition = format!("Content-Disposition: form-data; name=\"{name}\"");
        if let Some(f) = filename {
            disposition.push_str(&format!("; filename=\"{f}\""));
        }
        body.extend_from_slice(disposition.as_bytes());
        body.extend_from_slice(b"\r\n");
        if let Some(ct) = content_type {
            body.extend_from_slice(format!("Content-Type: {ct}\r\n").as_bytes());
        }
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload<S, B>(app: &S, token: Option<&str>, parts: &[Part<'_>]) -> Resp
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let (content_type, body) = multipart(parts);
    let mut req = test::TestRequest::post()
        .uri("/api/v1/media")
        .insert_header(("Content-Type", content_type))
        .set_payload(body);
    if let Some(token) = token {
        req = req.insert_header(("Authorization", format!("Bearer {token}")));
    }
    send(app, req).await
}

async fn upload_file<S, B>(app: &S, token: &str, name: &str, data: &[u8]) -> Resp
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    upload(app, Some(token), &[("file", Some(name), None, data)]).await
}

fn encode(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, format).expect("encode test image");
    out.into_inner()
}

/// A photo-like gradient, `w` × `h`.
fn photo(w: u32, h: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
        Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    }))
}

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    encode(&photo(w, h), ImageFormat::Jpeg)
}

fn png_with_alpha(w: u32, h: u32) -> Vec<u8> {
    let img = RgbaImage::from_fn(w, h, |x, y| Rgba([x as u8, y as u8, 90, (x % 200) as u8]));
    encode(&DynamicImage::ImageRgba8(img), ImageFormat::Png)
}

/// The path of a media URL (`https://news.example.com/media/ab/...` → `/media/ab/...`).
fn path_of(url: &str) -> String {
    let i = url.find("/media/").expect("a media URL");
    url[i..].to_string()
}

/// Every file in the test's media directory.
fn stored_files(t: &TestCtx) -> Vec<PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(
        t.state.config.media.dir.as_ref().expect("media dir"),
        &mut out,
    );
    out
}

async fn uploads_each_format_with_decodable_renditions(t: TestCtx) {
    let (_, token) = t.signed_in("writer@example.com", "writer");
    let app = t.app().await;
    let gif = encode(&photo(700, 400), ImageFormat::Gif);
    let webp = encode(&photo(700, 400), ImageFormat::WebP);
    /// (file name, bytes, stored type, (width, height), rendition types at each width)
    type Case = (
        &'static str,
        Vec<u8>,
        &'static str,
        (u32, u32),
        Vec<&'static str>,
    );
    let cases: Vec<Case> = vec![
        (
            "photo.jpg",
            jpeg(1200, 800),
            "image/jpeg",
            (1200, 800),
            vec!["image/webp", "image/jpeg"],
        ),
        (
            "logo.png",
            png_with_alpha(700, 300),
            "image/png",
            (700, 300),
            vec!["image/webp", "image/png"],
        ),
        (
            "still.webp",
            webp,
            "image/webp",
            (700, 400),
            vec!["image/webp"],
        ),
        (
            "anim.gif",
            gif,
            "image/gif",
            (700, 400),
            vec!["image/webp", "image/png"],
        ),
    ];
    for (name, data, mime, (w, h), types) in cases {
        let r = upload(
            &app,
            Some(&token),
            &[
                ("file", Some(name), None, &data),
                ("alt", None, None, b"Cranes at the port"),
                ("caption", None, None, b"The new quay"),
            ],
        )
        .await;
        assert_eq!(
            r.status,
            201,
            "{name}: {}",
            String::from_utf8_lossy(&r.body)
        );
        let m = r.json();
        assert_eq!(
            r.header("location"),
            Some(format!("/api/v1/media/{}", m["id"]))
        );
        assert_eq!(m["mime"], mime, "{name}");
        assert_eq!(
            (m["width"].as_u64(), m["height"].as_u64()),
            (Some(w.into()), Some(h.into()))
        );
        assert_eq!(m["alt"], json!({"en": "Cranes at the port"}));
        assert_eq!(m["caption"], "The new quay");
        assert_eq!(m["focal_point"], json!({"x": 0.5, "y": 0.5}));
        // The default widths narrower than the original, each in every type; none upscaled.
        let widths: Vec<u32> = [320, 640, 1024, 1600, 2400]
            .into_iter()
            .filter(|&x| x < w)
            .collect();
        let renditions = m["renditions"].as_array().expect("renditions");
        assert_eq!(renditions.len(), widths.len() * types.len(), "{name}: {m}");
        for (i, r) in renditions.iter().enumerate() {
            let width = widths[i / types.len()];
            let mime = types[i % types.len()];
            assert_eq!(r["width"], width, "{name}");
            assert_eq!(r["mime"], mime, "{name}");
            let file = crate::common::get(&app, &path_of(r["url"].as_str().unwrap())).await;
            assert_eq!(file.status, 200);
            assert_eq!(file.content_type(), mime);
            assert!(
                file.header("cache-control").unwrap().contains("immutable"),
                "{:?}",
                file.header("cache-control")
            );
            assert_eq!(r["bytes"].as_u64(), Some(file.body.len() as u64));
            let format = image::guess_format(&file.body).expect("a known format");
            assert_eq!(format.to_mime_type(), mime);
            let decoded = image::load_from_memory(&file.body).expect("rendition decodes");
            assert_eq!(decoded.width(), width);
            let expected_h = (f64::from(h) * f64::from(width) / f64::from(w)).round() as u32;
            assert_eq!(decoded.height(), expected_h, "{name} at {width}");
        }
        let original = crate::common::get(&app, &path_of(m["url"].as_str().unwrap())).await;
        assert_eq!(original.status, 200);
        let decoded = image::load_from_memory(&original.body).expect("original decodes");
        assert_eq!((decoded.width(), decoded.height()), (w, h));
        let read = app
            .by(&token)
            .get(&format!("/api/v1/media/{}", m["id"]))
            .await;
        assert_eq!(read.json()["renditions"], m["renditions"]);
    }
    let library = app.by(&token).get("/api/v1/media?limit=3").await;
    assert_eq!(library.status, 200);
    assert_eq!(library.json()["data"].as_array().unwrap().len(), 3);
    let next = library.json()["meta"]["next_cursor"]
        .as_str()
        .unwrap()
        .to_string();
    let rest = app
        .by(&token)
        .get(&format!("/api/v1/media?limit=3&cursor={next}"))
        .await;
    assert_eq!(rest.json()["data"].as_array().unwrap().len(), 1);
    assert_eq!(
        crate::common::get(&app, "/media/ab/00-1x1.jpg")
            .await
            .status,
        404
    );
    assert_eq!(
        crate::common::get(&app, "/media/../../etc/passwd")
            .await
            .status,
        404
    );
}

/// A JPEG whose frame header claims `w` × `h` (the rest of the file is a small image).
fn jpeg_claiming(w: u16, h: u16) -> Vec<u8> {
    let mut data = jpeg(64, 64);
    let sof = data
        .windows(2)
        .position(|p| p == [0xFF, 0xC0])
        .expect("a baseline JPEG frame header");
    // FFC0, length (2), precision (1), height (2), width (2).
    data[sof + 5..sof + 7].copy_from_slice(&h.to_be_bytes());
    data[sof + 7..sof + 9].copy_from_slice(&w.to_be_bytes());
    data
}

async fn bad_uploads_are_refused_and_nothing_is_stored(t: TestCtx) {
    let (_, token) = t.signed_in("writer@example.com", "writer");
    let app = t.app().await;
    let png = png_with_alpha(50, 50);
    let full = jpeg(400, 300);
    let truncated = &full[..full.len() / 2];
    let bomb = jpeg_claiming(20_000, 20_000);
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
    let html = b"<!doctype html><html><body><script>alert(1)</script></body></html>";
    /// (what, file name, part type, bytes, status, problem code)
    type Case<'a> = (&'a str, &'a str, Option<&'a str>, &'a [u8], u16, &'a str);
    let cases: Vec<Case<'_>> = vec![
        (
            "PNG renamed .jpg",
            "photo.jpg",
            None,
            &png,
            422,
            "validation_failed",
        ),
        (
            "PNG sent as image/jpeg",
            "photo",
            Some("image/jpeg"),
            &png,
            422,
            "validation_failed",
        ),
        (
            "SVG",
            "drawing.svg",
            Some("image/svg+xml"),
            svg,
            415,
            "unsupported_media_type",
        ),
        (
            "HTML",
            "page.jpg",
            Some("image/jpeg"),
            html,
            415,
            "unsupported_media_type",
        ),
        (
            "truncated JPEG",
            "cut.jpg",
            None,
            truncated,
            422,
            "validation_failed",
        ),
        (
            "20,000 × 20,000 bomb",
            "bomb.jpg",
            None,
            &bomb,
            422,
            "validation_failed",
        ),
        (
            "empty file",
            "empty.jpg",
            None,
            b"",
            422,
            "validation_failed",
        ),
    ];
    for (what, name, content_type, data, status, code) in cases {
        let r = upload(
            &app,
            Some(&token),
            &[("file", Some(name), content_type, data)],
        )
        .await;
        r.assert_problem(status, code);
        eprintln!("{what}: {}", r.json()["detail"]);
    }
    // The field each 422 names says which check failed.
    let field_code = |r: &Resp| {
        r.json()["errors"][0]["code"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    let r = upload_file(&app, &token, "photo.jpg", &png).await;
    assert_eq!(field_code(&r), "type_mismatch");
    let r = upload_file(&app, &token, "bomb.jpg", &bomb).await;
    assert_eq!(field_code(&r), "too_many_pixels");
    let r = upload_file(&app, &token, "cut.jpg", truncated).await;
    assert_eq!(field_code(&r), "invalid_image");
    let r = upload_file(&app, &token, "empty.jpg", b"").await;
    assert_eq!(field_code(&r), "empty_file");
    let r = upload(&app, Some(&token), &[("alt", None, None, b"no file")]).await;
    r.assert_problem(422, "validation_failed");
    let nul = jpeg(40, 40);
    let r = upload(
        &app,
        Some(&token),
        &[
            ("file", Some("a.jpg"), None, &nul),
            ("credit", None, None, b"a\0b"),
        ],
    )
    .await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(field_code(&r), "invalid_character");
    let many: Vec<Part<'_>> = (0..17)
        .map(|_| ("caption", None, None, &b"x"[..]))
        .collect();
    let r = upload(&app, Some(&token), &many).await;
    r.assert_problem(400, "malformed_multipart");
    let raw = |content_type: &'static str, body: &'static str| {
        test::TestRequest::post()
            .uri("/api/v1/media")
            .insert_header(("Authorization", format!("Bearer {token}")))
            .insert_header(("Content-Type", content_type))
            .set_payload(body)
    };
    let r = send(&app, raw("application/json", "{}")).await;
    r.assert_problem(415, "unsupported_media_type");
    let cut = "--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc";
    let r = send(&app, raw("multipart/form-data; boundary=x", cut)).await;
    assert!(r.status.is_client_error(), "{}", r.status);
    assert_eq!(
        app.by(&token).get("/api/v1/media").await.ids(),
        Vec::<i64>::new()
    );
    assert!(stored_files(&t).is_empty(), "{:?}", stored_files(&t));

    // Over the size limit: refused whole, before it is decoded.
    let small = TestCtx::with_config(t.backend(), |c| c.media.max_bytes = 10_000)
        .await
        .expect("context");
    let (_, token) = small.signed_in("writer@example.com", "writer");
    let app = small.app().await;
    let r = upload_file(&app, &token, "big.jpg", &jpeg(800, 600)).await;
    r.assert_problem(413, "payload_too_large");
    assert!(stored_files(&small).is_empty());
}

/// A big-endian TIFF block for a JPEG APP1 segment: Orientation 6 (turned 90° clockwise) and
/// a GPS IFD holding a latitude reference.
fn exif_with_gps() -> Vec<u8> {
    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"MM\x00\x2a\x00\x00\x00\x08");
    // IFD0 at 8: two entries.
    tiff.extend_from_slice(&2u16.to_be_bytes());
    // Orientation: SHORT, 1, value 6.
    tiff.extend_from_slice(&[0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1, 0x00, 0x06, 0, 0]);
    // GPSInfo: LONG, 1, offset 38.
    tiff.extend_from_slice(&[0x88, 0x25, 0x00, 0x04, 0, 0, 0, 1, 0, 0, 0, 38]);
    tiff.extend_from_slice(&0u32.to_be_bytes());
    // GPS IFD at 38: GPSLatitudeRef "N".
    tiff.extend_from_slice(&1u16.to_be_bytes());
    tiff.extend_from_slice(&[0x00, 0x01, 0x00, 0x02, 0, 0, 0, 2, b'N', 0, 0, 0]);
    tiff.extend_from_slice(&0u32.to_be_bytes());
    let mut segment = vec![0xFF, 0xE1];
    let len = u16::try_from(2 + 6 + tiff.len()).unwrap();
    segment.extend_from_slice(&len.to_be_bytes());
    segment.extend_from_slice(b"Exif\x00\x00");
    segment.extend_from_slice(&tiff);
    segment
}

async fn metadata_is_stripped_and_orientation_applied(t: TestCtx) {
    let (_, token) = t.signed_in("writer@example.com", "writer");
    let app = t.app().await;
    let plain = jpeg(800, 400);
    let mut tagged = plain[..2].to_vec();
    tagged.extend_from_slice(&exif_with_gps());
    tagged.extend_from_slice(&plain[2..]);
    assert!(tagged.windows(4).any(|w| w == b"Exif"));
    let r = upload_file(&app, &token, "camera.jpg", &tagged).await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let m = r.json();
    // Orientation 6: the 800 × 400 sensor image is shown 400 wide, 800 high.
    assert_eq!(
        (m["width"].as_i64(), m["height"].as_i64()),
        (Some(400), Some(800))
    );
    let files = stored_files(&t);
    assert_eq!(files.len(), 1 + m["renditions"].as_array().unwrap().len());
    for file in files {
        let data = std::fs::read(&file).unwrap();
        assert!(
            !data.windows(4).any(|w| w == b"Exif"),
            "EXIF in {}",
            file.display()
        );
        assert!(
            !data.windows(2).any(|w| w == [0xFF, 0xE1]) || !data.starts_with(&[0xFF, 0xD8]),
            "an APP1 segment in {}",
            file.display()
        );
        let img = image::load_from_memory(&data).expect("decodes");
        assert!(img.height() > img.width(), "{} is upright", file.display());
    }
}

async fn who_may_upload_change_and_delete(t: TestCtx) {
    let (_, writer) = t.signed_in("writer@example.com", "writer");
    let (_, other) = t.signed_in("other@example.com", "writer");
    let (_, editor) = t.signed_in("editor@example.com", "editor");
    let (_, admin) = t.signed_in("admin@example.com", "admin");
    let app = t.app().await;
    let data = jpeg(300, 200);
    let r = upload(&app, None, &[("file", Some("a.jpg"), None, &data)]).await;
    r.assert_problem(401, "missing_token");
    assert_eq!(app.anon().get("/api/v1/media").await.status, 401);
    let mut ids = Vec::new();
    for _ in 0..4 {
        let r = upload_file(&app, &writer, "a.jpg", &data).await;
        assert_eq!(r.status, 201);
        ids.push(r.json()["id"].as_i64().unwrap());
    }
    for token in [&other, &editor, &admin] {
        assert_eq!(
            app.by(token)
                .get(&format!("/api/v1/media/{}", ids[0]))
                .await
                .status,
            200
        );
    }
    let patch = json!({"alt": {"en": "Edited", "ru": "Правка"}, "credit": "Desk"});
    // (caller, expected PATCH, expected DELETE of a fresh image)
    let cases: [(&str, &str, u16, u16); 4] = [
        ("other writer", &other, 403, 403),
        ("uploader", &writer, 200, 204),
        ("editor", &editor, 200, 204),
        ("admin", &admin, 200, 204),
    ];
    for (i, (who, token, patch_status, delete_status)) in cases.into_iter().enumerate() {
        let r = app
            .by(token)
            .patch(&format!("/api/v1/media/{}", ids[0]), patch.clone())
            .await;
        assert_eq!(
            r.status,
            patch_status,
            "{who}: {}",
            String::from_utf8_lossy(&r.body)
        );
        let target = ids[i];
        let r = app
            .by(token)
            .delete(&format!("/api/v1/media/{target}"))
            .await;
        assert_eq!(r.status, delete_status, "{who} deleting");
        if delete_status == 403 {
            r.assert_problem(403, "forbidden");
        }
    }
    let kept = app
        .by(&writer)
        .get(&format!("/api/v1/media/{}", ids[0]))
        .await;
    assert_eq!(kept.status, 200, "the other writer could not delete it");
    assert_eq!(kept.json()["alt"], json!({"en": "Edited", "ru": "Правка"}));
    for id in &ids[1..] {
        let gone = app.by(&editor).get(&format!("/api/v1/media/{id}")).await;
        assert_eq!(gone.status, 404);
    }
    // Validation: every bad field in one 422.
    let r = upload_file(&app, &writer, "b.jpg", &jpeg(100, 100)).await;
    let id = r.json()["id"].as_i64().unwrap();
    let r = app
        .by(&writer)
        .patch(
            &format!("/api/v1/media/{id}"),
            json!({"alt": {"xx": "?"}, "focal_point": {"x": 2.0, "y": 0.5}, "caption": "c".repeat(1001)}),
        )
        .await;
    r.assert_problem(422, "validation_failed");
    let fields: Vec<String> = r.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["alt.xx", "caption", "focal_point"]);
    let r = app
        .by(&writer)
        .patch(
            &format!("/api/v1/media/{id}"),
            json!({"alt": {"en": "A", "ru": null}, "caption": null, "focal_point": {"x": 0.25, "y": 1.0}}),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["alt"], json!({"en": "A"}));
    assert_eq!(r.json()["caption"], Value::Null);
    assert_eq!(r.json()["focal_point"], json!({"x": 0.25, "y": 1.0}));
    assert_eq!(
        app.by(&admin).delete("/api/v1/media/999999").await.status,
        404
    );
}

async fn media_used_by_an_article_cannot_be_deleted(t: TestCtx) {
    t.section("world", &[("en", "World")], 1);
    let (_, editor) = t.signed_in("editor@example.com", "editor");
    let app = t.app().await;
    let cover = upload_file(&app, &editor, "c.jpg", &jpeg(700, 400))
        .await
        .json();
    let extra = upload_file(&app, &editor, "g.png", &png_with_alpha(400, 300))
        .await
        .json();
    let (cover_id, extra_id) = (cover["id"].as_i64().unwrap(), extra["id"].as_i64().unwrap());
    let files_before = stored_files(&t).len();
    let a = app
        .by(&editor)
        .post(
            "/api/v1/articles",
            json!({"title": "Port", "lang": "en", "section": "world",
                   "cover": {"media_id": cover_id}, "gallery": [extra_id]}),
        )
        .await;
    assert_eq!(a.status, 201, "{}", String::from_utf8_lossy(&a.body));
    let article = a.json()["id"].as_i64().unwrap();
    let publish = app
        .by(&editor)
        .post(&format!("/api/v1/articles/{article}/publish"), None)
        .await;
    assert_eq!(
        publish.status,
        200,
        "{}",
        String::from_utf8_lossy(&publish.body)
    );
    for id in [cover_id, extra_id] {
        let r = app.by(&editor).delete(&format!("/api/v1/media/{id}")).await;
        r.assert_problem(409, "in_use");
        assert!(
            r.json()["detail"]
                .as_str()
                .unwrap()
                .contains(&article.to_string())
        );
    }
    assert_eq!(stored_files(&t).len(), files_before);
    let r = app
        .by(&editor)
        .patch(
            &format!("/api/v1/articles/{article}"),
            json!({"cover": {"url": "https://cdn.example.com/x.jpg"}, "gallery": null}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    for id in [cover_id, extra_id] {
        assert_eq!(
            app.by(&editor)
                .delete(&format!("/api/v1/media/{id}"))
                .await
                .status,
            204
        );
    }
    assert!(
        stored_files(&t).is_empty(),
        "files of deleted media are removed"
    );
}

async fn articles_show_uploaded_covers_and_galleries(t: TestCtx) {
    t.section("world", &[("en", "World"), ("ru", "Мир")], 1);
    let (_, editor) = t.signed_in("editor@example.com", "editor");
    let app = t.app().await;
    let r = upload(
        &app,
        Some(&editor),
        &[
            ("file", Some("c.jpg"), Some("image/jpeg"), &jpeg(1100, 600)),
            ("alt", None, None, "Краны в порту".as_bytes()),
            ("alt_lang", None, None, b"ru"),
            ("credit", None, None, b"Photo desk"),
        ],
    )
    .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let cover = r.json();
    let cover_id = cover["id"].as_i64().unwrap();
    let g1 = upload_file(&app, &editor, "1.png", &png_with_alpha(500, 500))
        .await
        .json();
    let g2 = upload_file(&app, &editor, "2.jpg", &jpeg(300, 200))
        .await
        .json();
    let bad = app
        .by(&editor)
        .post(
            "/api/v1/articles",
            json!({"title": "X", "lang": "ru", "section": "world",
                   "cover": {"media_id": 999999}, "gallery": [g1["id"], 888888, g1["id"]]}),
        )
        .await;
    bad.assert_problem(422, "validation_failed");
    let codes: Vec<(String, String)> = bad.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().into(),
                e["code"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        codes,
        [
            ("cover.media_id".to_string(), "unknown_media".to_string()),
            ("gallery[1]".into(), "unknown_media".into()),
            ("gallery[2]".into(), "duplicate".into()),
        ]
    );
    let both = app
        .by(&editor)
        .post(
            "/api/v1/articles",
            json!({"title": "X", "lang": "ru", "section": "world",
                   "cover": {"media_id": cover_id, "url": "https://cdn.example.com/x.jpg"}}),
        )
        .await;
    both.assert_problem(422, "validation_failed");

    let a = app
        .by(&editor)
        .post(
            "/api/v1/articles",
            json!({"title": "Порт", "lang": "ru", "section": "world",
                   "cover": {"media_id": cover_id, "caption": "Новый причал"},
                   "gallery": [g2["id"], g1["id"]]}),
        )
        .await;
    assert_eq!(a.status, 201, "{}", String::from_utf8_lossy(&a.body));
    let id = a.json()["id"].as_i64().unwrap();
    app.by(&editor)
        .post(&format!("/api/v1/articles/{id}/publish"), None)
        .await;
    let page = crate::common::get(&app, &format!("/api/v1/articles/{id}")).await;
    assert_eq!(page.status, 200);
    let body = page.json();
    let c = &body["cover"];
    assert_eq!(c["media_id"], cover_id);
    assert_eq!(c["url"], cover["url"]);
    assert_eq!(c["alt"], "Краны в порту");
    assert_eq!(
        c["caption"], "Новый причал",
        "the article's own caption wins"
    );
    assert_eq!(c["credit"], "Photo desk", "the image's credit otherwise");
    assert_eq!(
        (c["width"].as_i64(), c["height"].as_i64()),
        (Some(1100), Some(600))
    );
    let srcset = c["srcset"].as_array().unwrap();
    assert_eq!(srcset.len(), 6, "320, 640, 1024 in WebP and JPEG: {c}");
    assert_eq!(
        srcset[0],
        json!({"url": cover["renditions"][0]["url"], "width": 320, "type": "image/webp"})
    );
    let gallery: Vec<&Value> = body["gallery"].as_array().unwrap().iter().collect();
    assert_eq!(gallery.len(), 2);
    assert_eq!(gallery[0]["media_id"], g2["id"]);
    assert_eq!(gallery[1]["media_id"], g1["id"]);
    // The cover in the feed and in the RSS feed.
    let feed = crate::common::get(&app, "/api/v1/articles").await.json();
    assert_eq!(feed["data"][0]["cover"]["srcset"], c["srcset"]);
    let rss = crate::common::get(&app, "/feeds/rss.xml").await;
    let rss = String::from_utf8_lossy(&rss.body).to_string();
    // Feeds link the widest JPEG rendition up to 1600 pixels, with its size.
    let feed_image = cover["renditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["width"] == 1024 && r["mime"] == "image/jpeg")
        .expect("a 1024-pixel JPEG");
    let url = feed_image["url"].as_str().unwrap();
    assert!(rss.contains(&format!("url=\"{url}\"")), "{rss}");
    assert!(
        rss.contains("width=\"1024\"") && rss.contains("type=\"image/jpeg\""),
        "{rss}"
    );
    // A new alt text shows at once on the public page.
    let r = app
        .by(&editor)
        .patch(
            &format!("/api/v1/media/{cover_id}"),
            json!({"alt": {"ru": "Краны"}}),
        )
        .await;
    assert_eq!(r.status, 200);
    let page = crate::common::get(&app, &format!("/api/v1/articles/{id}"))
        .await
        .json();
    assert_eq!(page["cover"]["alt"], "Краны");
    // Revisions keep the media the article used.
    let revs = app
        .by(&editor)
        .get(&format!("/api/v1/articles/{id}/revisions/1"))
        .await;
    assert_eq!(revs.status, 200, "{}", String::from_utf8_lossy(&revs.body));
    assert_eq!(revs.json()["state"]["cover_media_id"], cover_id);
    assert_eq!(revs.json()["state"]["gallery"], json!([g2["id"], g1["id"]]));
}

async fn bodies_embed_allowed_providers_only(t: TestCtx) {
    t.section("world", &[("en", "World")], 1);
    let (_, editor) = t.signed_in("editor@example.com", "editor");
    let app = t.app().await;
    let body = "Watch the launch:\n\nhttps://youtu.be/dQw4w9WgXcQ\n\n\
                {{embed https://x.com/nasa/status/1234567890}}\n\n\
                https://t.me/durov/43\n\n\
                https://example.com/not-a-provider\n\n\
                <iframe src=\"https://attacker.example/\"></iframe>";
    let a = app
        .by(&editor)
        .post(
            "/api/v1/articles",
            json!({"title": "Launch", "lang": "en", "section": "world", "body": body}),
        )
        .await;
    assert_eq!(a.status, 201, "{}", String::from_utf8_lossy(&a.body));
    let html = a.json()["body_html"].as_str().unwrap().to_string();
    assert!(
        html.contains("<iframe src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\""),
        "{html}"
    );
    assert!(
        html.contains("src=\"https://t.me/durov/43?embed=1\""),
        "{html}"
    );
    // Every frame is sandboxed; only the allowed players keep a source.
    assert_eq!(
        html.matches("<iframe").count(),
        html.matches("sandbox=\"allow-scripts allow-same-origin allow-popups allow-presentation\"")
            .count(),
        "{html}"
    );
    assert_eq!(html.matches("<iframe src=").count(), 2, "{html}");
    assert!(html.contains("<blockquote class=\"twitter-tweet\"><a href=\"https://twitter.com/nasa/status/1234567890\""), "{html}");
    assert!(
        html.contains("<p>https://example.com/not-a-provider</p>"),
        "{html}"
    );
    assert!(!html.contains("attacker.example"), "{html}");
}

/// The S3-compatible server the S3 test uses (any credentials accepted, buckets created with a
/// plain `PUT /bucket`, as moto's server mode and MinIO in its default setup allow), or `None`
/// with a notice. Required under `CI=true`, where `.ci/run` starts one.
fn s3_url() -> Option<String> {
    match std::env::var("NEWSDESK_TEST_S3_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url.trim().trim_end_matches('/').to_string()),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI=true but NEWSDESK_TEST_S3_URL is not set: the S3 test must run in CI")
        }
        _ => {
            eprintln!("notice: NEWSDESK_TEST_S3_URL is not set; skipping the S3 media store test");
            None
        }
    }
}

async fn an_s3_bucket_is_shared_by_processes(t: TestCtx) {
    let Some(endpoint) = s3_url() else {
        return;
    };
    let bucket = format!(
        "newsdesk-test-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    );
    let created = ureq::put(&format!("{endpoint}/{bucket}"))
        .send_empty()
        .unwrap_or_else(|e| panic!("creating bucket {bucket} at {endpoint}: {e}"));
    assert_eq!(created.status(), 200);
    let s3 = newsdesk::config::S3Config {
        bucket: bucket.clone(),
        endpoint: Some(endpoint.clone()),
        region: "us-east-1".into(),
        credentials: Some(("newsdesk".into(), "newsdesk-secret".to_string().into())),
        prefix: "site-a".into(),
    };
    // Two processes on the test's database, both storing media in the bucket.
    let process = |name: &str| {
        let mut config = newsdesk::config::Config::for_database(t.db.url.clone());
        config.search_dir = Some(t.db.search_dir().with_file_name(format!("search-{name}")));
        config.media.dir = Some(t.db.search_dir().with_file_name(format!("media-{name}")));
        config.media.s3 = Some(s3.clone());
        newsdesk::state::AppState::new(config, t.clock.clone())
    };
    let a = actix_web::web::Data::new(process("a").await.expect("process A"));
    let b = actix_web::web::Data::new(process("b").await.expect("process B"));
    let (_, editor) = t.signed_in("editor@example.com", "editor");
    let app = test::init_service(newsdesk::build_app(a.clone())).await;
    let other_app = test::init_service(newsdesk::build_app(b.clone())).await;
    let r = upload_file(&app, &editor, "port.jpg", &jpeg(700, 500)).await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let m = r.json();
    let local = t.db.search_dir().with_file_name("media-a");
    assert!(
        std::fs::read_dir(&local).map_or(true, |mut d| d.next().is_none()),
        "nothing in the local directory"
    );
    let mut urls = vec![m["url"].as_str().unwrap().to_string()];
    urls.extend(
        m["renditions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["url"].as_str().unwrap().to_string()),
    );
    // The bucket's listing (ListObjectsV2), as the server itself reports it.
    let listing = || {
        ureq::get(&format!("{endpoint}/{bucket}?list-type=2"))
            .call()
            .expect("list the bucket")
            .body_mut()
            .read_to_string()
            .expect("listing")
    };
    let listed = listing();
    assert_eq!(listed.matches("<Key>").count(), urls.len(), "{listed}");
    for url in &urls {
        let path = path_of(url);
        // In the bucket, under the prefix, and served by either process.
        let key = path.trim_start_matches("/media/");
        assert!(
            listed.contains(&format!("<Key>site-a/{key}</Key>")),
            "{key}: {listed}"
        );
        let served = crate::common::get(&other_app, &path).await;
        assert_eq!(served.status, 200, "{path} from the other process");
        image::load_from_memory(&served.body).expect("decodes");
    }
    let id = m["id"].as_i64().unwrap();
    let r = app.by(&editor).delete(&format!("/api/v1/media/{id}")).await;
    assert_eq!(r.status, 204);
    for url in &urls {
        let served = crate::common::get(&other_app, &path_of(url)).await;
        assert_eq!(served.status, 404, "deleted from the bucket");
    }
    assert!(!listing().contains("<Key>"), "the bucket is empty again");
}
