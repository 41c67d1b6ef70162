//! The editors' media library: upload, list, read, describe and delete images.

use std::collections::BTreeMap;

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{HttpRequest, delete, get, patch, post, web};
use futures_util::TryStreamExt;

use super::dto::{Media, MediaPatch, MediaUpload};
use super::model::{MediaChanges, MediaRow, NewMedia, StoredRendition};
use super::process::{Format, Processed, Rejection, process};
use super::queries;
use super::store::MediaStore;
use crate::auth::CurrentUser;
use crate::domain::{Exposure, Role, Status};
use crate::error::{ApiError, FieldError};
use crate::http::docs::{Conflict, Forbidden, JsonBody, NotFound, SignedIn};
use crate::http::json::JsonForm;
use crate::http::pagination::{Page, PageQuery, seq_page};
use crate::http::params::{Errors, Query};
use crate::http::respond::{Created, NoContent, Private};
use crate::sections::model::Localized;
use crate::settings::Site;
use crate::state::AppState;

const ORDER: &str = "media";
/// Longest alt text, caption or credit, in characters.
const MAX_TEXT: usize = 1_000;
/// Largest text field of an upload form, in bytes.
const MAX_FIELD: usize = 16 * 1024;
/// Most parts an upload form may have (five are known).
const MAX_PARTS: usize = 16;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(upload_media)
        .service(list_media)
        .service(get_media)
        .service(update_media)
        .service(delete_media);
}

/// Uploads an image (`multipart/form-data`; writers, editors, admins).
///
/// The type is read from the file's bytes (JPEG, PNG, WebP, GIF); the name and the part's
/// `Content-Type` are ignored. The image is turned upright by its EXIF orientation and
/// re-encoded, which removes EXIF (GPS included) and every other metadata; renditions are made
/// at the configured widths (never wider than the original) in WebP and in the original's
/// family (JPEG, or PNG for PNG and GIF). Refused with 413 over `NEWSDESK_MEDIA_MAX_BYTES`, 415
/// when not one of these formats, 422 when empty, unreadable or over
/// `NEWSDESK_MEDIA_MAX_PIXELS`; nothing is stored then.
#[utoipa::path(
    tag = "media",
    security(("bearer" = [])),
    request_body(content = MediaUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Stored", body = Media,
            headers(("Location" = String, description = "The new media"))),
        SignedIn, JsonBody,
    )
)]
#[post("/media")]
pub async fn upload_media(
    user: CurrentUser,
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<Created<Media>, ApiError> {
    let media = &state.media;
    // Refuse what is plainly too large before reading any of it.
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > media.max_bytes + 64 * 1024) {
        return Err(ApiError::PayloadTooLarge {
            limit: Some(media.max_bytes),
        });
    }
    let site = state.site();
    let mut form = read_form(&req, payload, media.max_bytes).await?;
    let alt = form.alt(&site);
    let Some(file) = form.file.take() else {
        let mut errors = form.errors;
        errors.push(FieldError::new("file", "required", "is required"));
        return Err(errors.into_validation());
    };
    if let (Some(declared), Some(actual)) = (form.declared, Format::sniff(&file))
        && declared != actual
    {
        form.errors.push(FieldError::new(
            "file",
            "type_mismatch",
            format!(
                "the file is {} but its name or type says {}",
                actual.mime(),
                declared.mime()
            ),
        ));
    }
    form.errors.check()?;

    let rules = media.rules.clone();
    let processed = super::in_background(move || process(&file, &rules))
        .await?
        .map_err(rejected)?;
    let now = state.clock.now_naive();
    let (new, files) = stored(&processed, alt, form.caption, form.credit, user.id, now);
    for (key, data) in files {
        media.store.put(&key, data).await?;
    }
    let row = state
        .db
        .run(move |conn| {
            let id = queries::insert(conn, &new)?;
            queries::find(conn, id)?.ok_or_else(|| ApiError::internal("new media vanished"))
        })
        .await?;
    Ok(Created {
        location: format!("/api/v1/media/{}", row.id),
        body: to_dto(&media.store, row),
    })
}

fn rejected(r: Rejection) -> ApiError {
    match r {
        Rejection::Unsupported => ApiError::UnsupportedMediaType(r.to_string()),
        other => ApiError::Validation(vec![FieldError::new(
            "file",
            other.code(),
            other.to_string(),
        )]),
    }
}

/// The row to insert and the files to store for a processed upload.
fn stored(
    p: &Processed,
    alt: Localized,
    caption: Option<String>,
    credit: Option<String>,
    by: i64,
    now: chrono::NaiveDateTime,
) -> (NewMedia, Vec<(String, Vec<u8>)>) {
    let original_key = MediaStore::key_for(&p.original);
    let mut files = vec![(original_key.clone(), p.original.data.clone())];
    let renditions: Vec<StoredRendition> = p
        .renditions
        .iter()
        .map(|r| {
            let key = MediaStore::key_for(r);
            files.push((key.clone(), r.data.clone()));
            StoredRendition {
                key,
                width: r.width,
                height: r.height,
                mime: r.format.mime().to_string(),
                bytes: r.data.len() as u64,
            }
        })
        .collect();
    let new = NewMedia {
        mime: p.original.format.mime().to_string(),
        width: i32::try_from(p.original.width).unwrap_or(i32::MAX),
        height: i32::try_from(p.original.height).unwrap_or(i32::MAX),
        bytes: p.original.data.len() as i64,
        original_key,
        renditions: serde_json::to_string(&renditions).unwrap_or_else(|_| "[]".into()),
        alt: alt.to_json(),
        caption,
        credit,
        focal_x: 0.5,
        focal_y: 0.5,
        created_by: Some(by),
        created_at: now,
        updated_at: now,
    };
    (new, files)
}

/// The fields of an upload form, each checked as it arrives.
#[derive(Default)]
struct UploadForm {
    file: Option<Vec<u8>>,
    /// The image type the file's name or part header claims, if it names one.
    declared: Option<Format>,
    alt: Option<String>,
    alt_lang: Option<String>,
    caption: Option<String>,
    credit: Option<String>,
    errors: Errors,
}

impl UploadForm {
    /// The alt text keyed by its language (which must be one of the site's).
    fn alt(&mut self, site: &Site) -> Localized {
        let lang = self
            .alt_lang
            .clone()
            .unwrap_or_else(|| site.default_language.clone());
        if !site.languages.contains(&lang) {
            self.errors.push(FieldError::new(
                "alt_lang",
                "unknown_language",
                format!("must be one of: {}", site.languages.join(", ")),
            ));
        }
        let mut map = BTreeMap::new();
        if let Some(alt) = &self.alt {
            map.insert(lang, alt.clone());
        }
        Localized(map)
    }
}

async fn read_form(
    req: &HttpRequest,
    payload: web::Payload,
    max_bytes: usize,
) -> Result<UploadForm, ApiError> {
    let not_multipart = || {
        ApiError::UnsupportedMediaType(
            "the body must be multipart/form-data with a `file` part".into(),
        )
    };
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<mime::Mime>().ok())
        .is_some_and(|m| m.type_() == mime::MULTIPART && m.subtype() == mime::FORM_DATA);
    if !is_multipart {
        return Err(not_multipart());
    }
    let malformed = |e: actix_multipart::MultipartError| {
        ApiError::bad_request("malformed_multipart", e.to_string())
    };
    let mut parts = Multipart::new(req.headers(), payload.into_inner());
    let mut form = UploadForm::default();
    let mut count = 0;
    while let Some(mut field) = parts.try_next().await.map_err(malformed)? {
        count += 1;
        if count > MAX_PARTS {
            return Err(ApiError::bad_request(
                "malformed_multipart",
                format!("an upload has at most {MAX_PARTS} parts"),
            ));
        }
        let name = field.name().unwrap_or_default().to_string();
        let limit = if name == "file" { max_bytes } else { MAX_FIELD };
        let mut data = Vec::new();
        while let Some(chunk) = field.try_next().await.map_err(malformed)? {
            if data.len() + chunk.len() > limit {
                return Err(if name == "file" {
                    ApiError::PayloadTooLarge {
                        limit: Some(max_bytes),
                    }
                } else {
                    ApiError::Validation(vec![FieldError::new(
                        name,
                        "too_long",
                        format!("must be at most {MAX_TEXT} characters"),
                    )])
                });
            }
            data.extend_from_slice(&chunk);
        }
        if name == "file" {
            form.declared = declared_format(&field);
            if form.file.is_some() {
                form.errors.push(FieldError::new(
                    "file",
                    "duplicate",
                    "send one file per upload",
                ));
            }
            form.file = Some(data);
            continue;
        }
        let Ok(text) = String::from_utf8(data) else {
            form.errors.push(FieldError::new(
                name,
                "invalid_encoding",
                "must be UTF-8 text",
            ));
            continue;
        };
        if text.contains('\0') {
            form.errors.push(FieldError::new(
                name.clone(),
                "invalid_character",
                "must not contain the NUL character (U+0000)",
            ));
            continue;
        }
        if text.chars().count() > MAX_TEXT {
            form.errors.push(FieldError::new(
                name.clone(),
                "too_long",
                format!("must be at most {MAX_TEXT} characters"),
            ));
            continue;
        }
        let value = Some(text.trim().to_string()).filter(|t| !t.is_empty());
        match name.as_str() {
            "alt" => form.alt = value,
            "alt_lang" => form.alt_lang = value,
            "caption" => form.caption = value,
            "credit" => form.credit = value,
            _ => form.errors.push(FieldError::new(
                name,
                "unknown_field",
                "expected file, alt, alt_lang, caption or credit",
            )),
        }
    }
    Ok(form)
}

/// The image type a file part claims by its name's extension or its `Content-Type`; generic
/// types (`application/octet-stream`) and unknown extensions claim nothing.
fn declared_format(field: &actix_multipart::Field) -> Option<Format> {
    let by_name = field
        .content_disposition()
        .and_then(|d| d.get_filename())
        .and_then(|n| n.rsplit_once('.'))
        .and_then(|(_, ext)| match ext.to_ascii_lowercase().as_str() {
            "jpeg" | "jpe" => Some(Format::Jpeg),
            other => Format::from_extension(other),
        });
    let by_type = field
        .content_type()
        .filter(|m| m.type_() == mime::IMAGE)
        .and_then(|m| match m.subtype().as_str() {
            "jpeg" | "pjpeg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "webp" => Some(Format::WebP),
            "gif" => Some(Format::Gif),
            _ => None,
        });
    by_name.or(by_type)
}

fn to_dto(store: &MediaStore, row: MediaRow) -> Media {
    Media::new(row, |key| store.url(key))
}

/// The media library, newest first (signed-in users).
///
/// Every uploaded image with its alt texts, caption, credit, focal point and renditions,
/// paged by cursor.
#[utoipa::path(
    tag = "media",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of media", body = Page<Media>),
        SignedIn,
    )
)]
#[get("/media")]
pub async fn list_media(
    _user: CurrentUser,
    state: web::Data<AppState>,
    query: Query<PageQuery>,
) -> Result<Private<Page<Media>>, ApiError> {
    let (limit, before) = query.parse_seq(&state.cursors, ORDER)?;
    let rows = state
        .db
        .run(move |conn| Ok(queries::page(conn, before, limit.probe())?))
        .await?;
    let page = seq_page(
        rows,
        limit,
        &state.cursors,
        ORDER,
        |r| r.id,
        |r| to_dto(&state.media.store, r),
    );
    Ok(Private(page))
}

/// One image of the library (signed-in users).
///
/// With the URLs of its stored original and of every rendition.
#[utoipa::path(
    tag = "media",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "Media id")),
    responses(
        (status = 200, description = "The media", body = Media),
        SignedIn, NotFound,
    )
)]
#[get("/media/{id}")]
pub async fn get_media(
    _user: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<Private<Media>, ApiError> {
    let id = id.into_inner();
    let row = state
        .db
        .run(move |conn| queries::find(conn, id)?.ok_or_else(|| no_media(id)))
        .await?;
    Ok(Private(to_dto(&state.media.store, row)))
}

fn no_media(id: i64) -> ApiError {
    ApiError::NotFound(format!("no media with id {id}"))
}

/// Writers may change and delete what they uploaded; editors and admins anything.
fn may_change(user: &CurrentUser, row: &MediaRow) -> Result<(), ApiError> {
    if user.role.is_editor() || (user.role == Role::Writer && row.created_by == Some(user.id)) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "writers may change only the media they uploaded".into(),
        ))
    }
}

/// Changes an image's alt text, caption, credit or focal point (JSON merge patch).
///
/// Writers may change what they uploaded; editors and admins anything. Published articles
/// showing the image show the change (they are announced in the change feed).
#[utoipa::path(
    tag = "media",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "Media id")),
    request_body = MediaPatch,
    responses(
        (status = 200, description = "The media as it is now", body = Media),
        SignedIn, Forbidden, NotFound, JsonBody,
    )
)]
#[patch("/media/{id}")]
pub async fn update_media(
    user: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: JsonForm<MediaPatch>,
) -> Result<Private<Media>, ApiError> {
    let id = id.into_inner();
    let JsonForm {
        value: patch,
        errors: shape,
    } = body;
    let site = state.site();
    let row = state
        .write(move |tx| {
            let row = queries::find(tx, id)?.ok_or_else(|| no_media(id))?;
            may_change(&user, &row)?;
            let mut changes = validate_patch(&patch, &row, &site, shape.clone())?;
            changes.updated_at = Some(tx.now());
            queries::update(tx, id, &changes)?;
            // Articles showing the image changed as their readers see them.
            let now = tx.now();
            for (article, status, published_at) in queries::used_by(tx, id)? {
                let exposure = Exposure::of(
                    Status::try_from(status).map_err(ApiError::internal)?,
                    published_at,
                    now,
                );
                tx.article_moved(article, exposure, exposure);
            }
            queries::find(tx, id)?.ok_or_else(|| no_media(id))
        })
        .await?;
    Ok(Private(to_dto(&state.media.store, row)))
}

fn validate_patch(
    patch: &MediaPatch,
    row: &MediaRow,
    site: &Site,
    mut errors: Errors,
) -> Result<MediaChanges, ApiError> {
    let mut changes = MediaChanges::default();
    if let Some(alt) = &patch.alt {
        let mut current = row.alt();
        for (lang, text) in alt {
            let field = format!("alt.{lang}");
            match text {
                None => {
                    current.0.remove(lang);
                }
                Some(_) if !site.languages.iter().any(|l| l == lang) => {
                    errors.push(FieldError::new(
                        field,
                        "unknown_language",
                        format!("must be one of: {}", site.languages.join(", ")),
                    ));
                }
                Some(text) if text.chars().count() > MAX_TEXT => errors.push(FieldError::new(
                    field,
                    "too_long",
                    format!("must be at most {MAX_TEXT} characters"),
                )),
                Some(text) => {
                    current.0.insert(lang.clone(), text.trim().to_string());
                }
            }
        }
        changes.alt = Some(current.to_json());
    }
    for (field, value, slot) in [
        ("caption", &patch.caption, &mut changes.caption),
        ("credit", &patch.credit, &mut changes.credit),
    ] {
        if let Some(value) = value {
            if value.as_ref().is_some_and(|v| v.chars().count() > MAX_TEXT) {
                errors.push(FieldError::new(
                    field,
                    "too_long",
                    format!("must be at most {MAX_TEXT} characters"),
                ));
            }
            *slot = Some(value.clone());
        }
    }
    if let Some(point) = patch.focal_point {
        let inside = |v: f64| (0.0..=1.0).contains(&v);
        if !inside(point.x) || !inside(point.y) {
            errors.push(FieldError::new(
                "focal_point",
                "out_of_range",
                "x and y must be between 0 and 1",
            ));
        }
        changes.focal_x = Some(point.x);
        changes.focal_y = Some(point.y);
    }
    errors.check()?;
    Ok(changes)
}

/// Deletes an image and its files.
///
/// Writers may delete what they uploaded; editors and admins anything. An image an article
/// still shows (as its cover or in its gallery, whatever the article's status) is a 409
/// `in_use` naming the articles.
#[utoipa::path(
    tag = "media",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "Media id")),
    responses(
        (status = 204, description = "Deleted"),
        SignedIn, Forbidden, NotFound, Conflict,
    )
)]
#[delete("/media/{id}")]
pub async fn delete_media(
    user: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<NoContent, ApiError> {
    let id = id.into_inner();
    let orphaned = state
        .write(move |tx| {
            let row = queries::find(tx, id)?.ok_or_else(|| no_media(id))?;
            may_change(&user, &row)?;
            let users = queries::used_by(tx, id)?;
            if !users.is_empty() {
                let ids: Vec<String> = users.iter().map(|(a, ..)| a.to_string()).collect();
                return Err(ApiError::Conflict {
                    code: "in_use",
                    detail: format!("the image is used by articles {}", ids.join(", ")),
                });
            }
            queries::release_deleted(tx, id)?;
            queries::delete(tx, id)?;
            // The same file uploaded again is stored once: keep it while another row uses it.
            let shared = queries::count_with_key(tx, &row.original_key)? > 0;
            Ok(if shared { Vec::new() } else { row.keys() })
        })
        .await?;
    state.media.store.delete(&orphaned).await;
    Ok(NoContent)
}
