//! The site's settings (name, languages, time zone, notices, links), the content version every
//! process polls, and the secrets processes share, as stored. The settings, and the names of the
//! sections every article shows, are loaded once at start and again whenever the content
//! version moves, so every request reads them from memory.

pub mod model;
pub mod queries;

use std::collections::{BTreeMap, HashMap};

use model::SiteRow;

use crate::domain::Localized;

/// Every section's slug and names by id, as of the last content version this process saw.
#[derive(Debug, Clone, Default)]
pub struct SectionNames(HashMap<i64, (String, Localized)>);

impl SectionNames {
    pub fn new(rows: Vec<(i64, String, String)>) -> Self {
        SectionNames(
            rows.into_iter()
                .map(|(id, slug, names)| (id, (slug, Localized::parse(&names))))
                .collect(),
        )
    }

    pub fn get(&self, id: i64) -> Option<&(String, Localized)> {
        self.0.get(&id)
    }
}

/// The site settings as the rest of newsdesk uses them.
#[derive(Debug, Clone)]
pub struct Site {
    pub name: String,
    pub description: String,
    pub timezone: String,
    pub default_language: String,
    /// Languages served, default first.
    pub languages: Vec<String>,
    pub copyright: String,
    pub social_links: BTreeMap<String, String>,
    pub app_links: BTreeMap<String, String>,
    pub min_app_version: Option<String>,
    /// When the settings last changed.
    pub updated_at: chrono::NaiveDateTime,
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
            description: row.description,
            timezone: row.timezone,
            default_language: row.default_language,
            languages,
            copyright: row.copyright,
            social_links: parse_links(&row.social_links),
            app_links: parse_links(&row.app_links),
            min_app_version: row.min_app_version,
            updated_at: row.updated_at,
        }
    }
}

/// Where `lang` stands in the site's language order (the default first): the order in which
/// a slug found in several languages resolves.
pub fn language_rank(languages: &[String], lang: &str) -> usize {
    languages
        .iter()
        .position(|l| l == lang)
        .unwrap_or(usize::MAX)
}

fn parse_links(raw: &str) -> BTreeMap<String, String> {
    serde_json::from_str(raw).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "site link map is not a JSON object of strings; ignoring it");
        BTreeMap::new()
    })
}
