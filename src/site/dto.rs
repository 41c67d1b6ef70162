//! The Site resource as clients see it.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

use crate::settings::Site;

/// Everything an app needs at start: name, languages, time zone, notices and links.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "name": "Caspian Courier",
    "base_url": "https://news.example.com",
    "timezone": "Asia/Baku",
    "default_language": "en",
    "languages": ["en", "ru", "az"],
    "copyright": "Any use of materials is allowed only with a hyperlink to the source.",
    "social_links": {"telegram": "https://t.me/caspiancourier", "twitter": "https://twitter.com/caspiancourier"},
    "app_links": {"apple_app_store": "https://apps.apple.com/app/id000000000", "google_play": "https://play.google.com/store/apps/details?id=com.example.courier"},
    "min_app_version": "2.4.0"
}))]
pub struct SiteDto {
    /// Publication name.
    pub name: String,
    /// Public root of the site; canonical and share links start with it.
    pub base_url: String,
    /// IANA time zone for showing local publish times, e.g. `Asia/Baku`.
    pub timezone: String,
    /// Language used when a request names none.
    pub default_language: String,
    /// Languages the site publishes in, default first.
    pub languages: Vec<String>,
    /// Copyright / attribution notice to show under articles.
    pub copyright: String,
    /// The publisher's social accounts by network (`twitter`, `youtube`, `instagram`,
    /// `facebook`, `telegram`, ...).
    pub social_links: BTreeMap<String, String>,
    /// App store pages (`apple_app_store`, `google_play`).
    pub app_links: BTreeMap<String, String>,
    /// Oldest app version still supported; older apps should ask the reader to update.
    pub min_app_version: Option<String>,
}

impl SiteDto {
    pub fn new(site: &Site, base_url: &str) -> Self {
        SiteDto {
            name: site.name.clone(),
            base_url: base_url.to_string(),
            timezone: site.timezone.clone(),
            default_language: site.default_language.clone(),
            languages: site.languages.clone(),
            copyright: site.copyright.clone(),
            social_links: site.social_links.clone(),
            app_links: site.app_links.clone(),
            min_app_version: site.min_app_version.clone(),
        }
    }
}
