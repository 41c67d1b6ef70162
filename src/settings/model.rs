//! Rows of the `site_settings` table.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::site_settings;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = site_settings)]
pub struct SiteRow {
    pub name: String,
    pub timezone: String,
    pub default_language: String,
    pub languages: String,
    pub copyright: String,
    pub social_links: String,
    pub app_links: String,
    pub min_app_version: Option<String>,
    pub updated_at: NaiveDateTime,
    pub description: String,
}

/// Values written by `seed --demo` and `PATCH /site`.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = site_settings)]
pub struct SiteUpdate<'a> {
    pub name: &'a str,
    pub timezone: &'a str,
    pub default_language: &'a str,
    pub languages: &'a str,
    pub copyright: &'a str,
    pub social_links: &'a str,
    pub app_links: &'a str,
    pub min_app_version: Option<&'a str>,
    pub updated_at: NaiveDateTime,
    pub description: &'a str,
}
