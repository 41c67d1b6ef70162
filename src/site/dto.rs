//! The Site resource as clients see it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::http::schema::LanguageCode;
use crate::settings::Site;
use crate::syndication::paths;

/// Everything an app needs at start: name, languages, time zone, notices and links.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "name": "Caspian Courier",
    "description": "News from the Caspian region and the world.",
    "base_url": "https://news.example.com",
    "timezone": "Asia/Baku",
    "default_language": "en",
    "languages": ["en", "ru", "az"],
    "copyright": "Any use of materials is allowed only with a hyperlink to the source.",
    "social_links": {"telegram": "https://t.me/caspiancourier", "twitter": "https://twitter.com/caspiancourier"},
    "app_links": {"apple_app_store": "https://apps.apple.com/app/id000000000", "google_play": "https://play.google.com/store/apps/details?id=com.example.courier"},
    "min_app_version": "2.4.0",
    "feeds": {"rss": "https://news.example.com/feeds/rss.xml", "atom": "https://news.example.com/feeds/atom.xml", "json": "https://news.example.com/feeds/feed.json"},
    "sitemaps": {"index": "https://news.example.com/sitemap.xml", "news": "https://news.example.com/sitemaps/news.xml"}
}))]
pub struct SiteDto {
    /// Publication name.
    pub name: String,
    /// What the publication is, in a sentence (feeds and search engines show it).
    pub description: String,
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
    /// The site's feeds. Each takes the filters of `GET /articles` (`section`, `author`,
    /// `tag`, `lang`, `from`, `to`, `featured`) for a narrower feed, and `limit` (default 50,
    /// at most 100).
    pub feeds: FeedLinks,
    /// Where search engines find every public page.
    pub sitemaps: SitemapLinks,
}

/// The site's feeds, one per format.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedLinks {
    /// RSS 2.0 (`application/rss+xml`).
    pub rss: String,
    /// Atom 1.0 (`application/atom+xml`).
    pub atom: String,
    /// JSON Feed 1.1 (`application/feed+json`).
    pub json: String,
}

/// The site's sitemaps.
#[derive(Debug, Serialize, ToSchema)]
pub struct SitemapLinks {
    /// The sitemap index: articles by month, sections, authors and tags.
    pub index: String,
    /// The Google News sitemap: articles of the last 48 hours.
    pub news: String,
}

impl SiteDto {
    pub fn new(site: &Site, base_url: &str) -> Self {
        SiteDto {
            name: site.name.clone(),
            description: site.description.clone(),
            base_url: base_url.to_string(),
            timezone: site.timezone.clone(),
            default_language: site.default_language.clone(),
            languages: site.languages.clone(),
            copyright: site.copyright.clone(),
            social_links: site.social_links.clone(),
            app_links: site.app_links.clone(),
            min_app_version: site.min_app_version.clone(),
            feeds: FeedLinks {
                rss: format!("{base_url}{}", paths::RSS),
                atom: format!("{base_url}{}", paths::ATOM),
                json: format!("{base_url}{}", paths::JSON_FEED),
            },
            sitemaps: SitemapLinks {
                index: format!("{base_url}{}", paths::SITEMAP_INDEX),
                news: format!("{base_url}{}", paths::NEWS_SITEMAP),
            },
        }
    }
}

/// Changes to the site settings (JSON merge patch, admins): an absent field stays as it is.
/// In `social_links` and `app_links`, a key set to `null` is removed and the others are set;
/// `min_app_version: null` clears it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SitePatch {
    /// 1 to 200 characters.
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = String, min_length = 1, max_length = 200, pattern = "\\S")]
    pub name: Option<String>,
    /// At most 1000 characters.
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = String, max_length = 1000)]
    pub description: Option<String>,
    /// An IANA time zone name, e.g. `Europe/Berlin`.
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = String, example = "Asia/Baku")]
    pub timezone: Option<String>,
    /// Language codes (`en`, `pt-BR`), at least one. A language still used by an article
    /// cannot be removed.
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Vec<LanguageCode>, min_items = 1, max_items = 50)]
    pub languages: Option<Vec<String>>,
    /// One of `languages`.
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = LanguageCode)]
    pub default_language: Option<String>,
    /// At most 1000 characters.
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = String, max_length = 1000)]
    pub copyright: Option<String>,
    /// Network name → absolute `http(s)` URL; `null` removes a network.
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = BTreeMap<String, Option<String>>)]
    pub social_links: Option<BTreeMap<String, Option<String>>>,
    /// Store name → absolute `http(s)` URL; `null` removes a store.
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = BTreeMap<String, Option<String>>)]
    pub app_links: Option<BTreeMap<String, Option<String>>>,
    /// A version such as `2.4.0`; `null` clears it.
    #[serde(default, with = "serde_with::rust::double_option")]
    #[schema(value_type = Option<String>, max_length = 32, pattern = "^[0-9]+(\\.[0-9]+){0,3}$", example = "2.4.0")]
    pub min_app_version: Option<Option<String>>,
}
