//! The site: name, languages, time zone, notices and the links an app shows. Loaded once at
//! start and again whenever the content version moves, so every request reads it from memory.

pub mod dto;
pub mod model;
pub mod queries;
pub mod routes;

use std::collections::BTreeMap;

use model::SiteRow;

/// The site settings as the rest of newsdesk uses them.
#[derive(Debug, Clone)]
pub struct Site {
    pub name: String,
    pub timezone: String,
    pub default_language: String,
    /// Languages served, default first.
    pub languages: Vec<String>,
    pub copyright: String,
    pub social_links: BTreeMap<String, String>,
    pub app_links: BTreeMap<String, String>,
    pub min_app_version: Option<String>,
}

impl Site {
    pub fn from_row(row: SiteRow) -> Self {
        let mut languages: Vec<String> = row
            .languages
            .split(',')
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect();
        if !languages.contains(&row.default_language) {
            languages.insert(0, row.default_language.clone());
        }
        Site {
            name: row.name,
            timezone: row.timezone,
            default_language: row.default_language,
            languages,
            copyright: row.copyright,
            social_links: parse_links(&row.social_links),
            app_links: parse_links(&row.app_links),
            min_app_version: row.min_app_version,
        }
    }
}

fn parse_links(raw: &str) -> BTreeMap<String, String> {
    serde_json::from_str(raw).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "site link map is not a JSON object of strings; ignoring it");
        BTreeMap::new()
    })
}
