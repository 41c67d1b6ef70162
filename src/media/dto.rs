//! Media representations: the editors' library, the image an article shows, and edits.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::MediaRow;
use crate::clock::utc;

/// A point of interest in an image, as fractions of its width and height from the top left;
/// crops keep it in frame.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FocalPoint {
    #[schema(minimum = 0.0, maximum = 1.0, example = 0.5)]
    pub x: f64,
    #[schema(minimum = 0.0, maximum = 1.0, example = 0.35)]
    pub y: f64,
}

/// One stored size of an image.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Rendition {
    #[schema(
        example = "https://news.example.com/media/3f/9c0d2e41a7b35c8e0f1d2a3b4c5d6e-640x427.webp"
    )]
    pub url: String,
    pub width: u32,
    pub height: u32,
    /// `image/webp`, or the original's family (`image/jpeg`, `image/png`).
    #[schema(example = "image/webp")]
    pub mime: String,
    pub bytes: u64,
}

/// An uploaded image in the editors' library.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Media {
    pub id: i64,
    /// The type of the stored original.
    #[schema(example = "image/jpeg")]
    pub mime: String,
    /// Of the original, turned upright.
    pub width: i32,
    pub height: i32,
    /// Size of the stored original.
    pub bytes: i64,
    /// The stored original (re-encoded: no EXIF or other metadata).
    pub url: String,
    /// Alt text per language code.
    #[schema(example = json!({"en": "Cranes at the Port of Baku at dusk"}))]
    pub alt: BTreeMap<String, String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub focal_point: FocalPoint,
    /// Narrowest first; WebP and the original's family at each width.
    pub renditions: Vec<Rendition>,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Media {
    pub fn new(row: MediaRow, url_of: impl Fn(&str) -> String) -> Self {
        let renditions = row
            .renditions()
            .into_iter()
            .map(|r| Rendition {
                url: url_of(&r.key),
                width: r.width,
                height: r.height,
                mime: r.mime,
                bytes: r.bytes,
            })
            .collect();
        Media {
            url: url_of(&row.original_key),
            alt: row.alt().0,
            id: row.id,
            mime: row.mime,
            width: row.width,
            height: row.height,
            bytes: row.bytes,
            caption: row.caption,
            credit: row.credit,
            focal_point: FocalPoint {
                x: row.focal_x,
                y: row.focal_y,
            },
            renditions,
            created_by: row.created_by,
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        }
    }
}

/// Changes to an image's descriptions (JSON merge patch).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MediaPatch {
    /// Alt text per language code, at most 1000 characters each; a language set to `null` is
    /// removed, others are set.
    #[schema(example = json!({"en": "Cranes at the Port of Baku", "ru": null}))]
    pub alt: Option<BTreeMap<String, Option<String>>>,
    /// At most 1000 characters; `null` clears it.
    #[serde(default, with = "serde_with::rust::double_option")]
    #[schema(value_type = Option<String>, max_length = 1000)]
    pub caption: Option<Option<String>>,
    /// At most 1000 characters; `null` clears it.
    #[serde(default, with = "serde_with::rust::double_option")]
    #[schema(value_type = Option<String>, max_length = 1000)]
    pub credit: Option<Option<String>>,
    pub focal_point: Option<FocalPoint>,
}

/// An upload (`multipart/form-data`). Other parts are refused.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct MediaUpload {
    /// The image: JPEG, PNG, WebP or GIF (the first frame of an animation), recognised by its
    /// content. At most `NEWSDESK_MEDIA_MAX_BYTES` (25 MiB by default) and
    /// `NEWSDESK_MEDIA_MAX_PIXELS` (50 megapixels).
    #[schema(value_type = String, format = Binary, content_media_type = "application/octet-stream")]
    pub file: Vec<u8>,
    /// Alt text, in `alt_lang`.
    #[schema(max_length = 1000)]
    pub alt: Option<String>,
    /// The language of `alt`; the site's default language when left out.
    #[schema(example = "en")]
    pub alt_lang: Option<String>,
    #[schema(max_length = 1000)]
    pub caption: Option<String>,
    #[schema(max_length = 1000)]
    pub credit: Option<String>,
}
