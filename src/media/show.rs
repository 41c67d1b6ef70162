//! The image an article shows (its cover, its gallery), made from media rows in the language
//! of the article.

use std::collections::HashMap;

use super::model::MediaRow;
use super::queries;
use crate::articles::dto::{Cover, SrcsetEntry};
use crate::db::DbConnection;
use crate::error::ApiError;

/// Media rows loaded for a page of articles, by id.
pub struct Shown {
    rows: HashMap<i64, MediaRow>,
}

impl Shown {
    /// Loads the media among `ids` (one query; none when there are no ids).
    pub fn load(conn: &mut DbConnection, ids: &mut Vec<i64>) -> Result<Self, ApiError> {
        ids.sort_unstable();
        ids.dedup();
        let rows = queries::by_ids(conn, ids)?
            .into_iter()
            .map(|r| (r.id, r))
            .collect();
        Ok(Shown { rows })
    }

    /// The image `id` as an article in `lang` shows it, with the article's own caption and
    /// credit when it has them; `None` when the media is gone.
    pub fn image(
        &self,
        id: i64,
        lang: &str,
        default_lang: &str,
        media_url: &str,
        caption: Option<String>,
        credit: Option<String>,
    ) -> Option<Cover> {
        let row = self.rows.get(&id)?;
        let url_of = |key: &str| format!("{media_url}/{key}");
        let alt = row.alt().resolve(lang, default_lang);
        Some(Cover {
            url: url_of(&row.original_key),
            media_id: Some(row.id),
            alt: Some(alt),
            caption: caption.or_else(|| row.caption.clone()),
            credit: credit.or_else(|| row.credit.clone()),
            width: Some(row.width),
            height: Some(row.height),
            srcset: row
                .renditions()
                .into_iter()
                .map(|r| SrcsetEntry {
                    url: url_of(&r.key),
                    width: r.width,
                    mime: r.mime,
                })
                .collect(),
        })
    }
}
