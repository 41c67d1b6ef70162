//! Where the feeds and sitemaps are served (from the site's root, not under `/api/v1`: search
//! engines look for `/sitemap.xml`, and a sitemap lists only URLs of its own host).

pub const RSS: &str = "/feeds/rss.xml";
pub const ATOM: &str = "/feeds/atom.xml";
pub const JSON_FEED: &str = "/feeds/feed.json";
pub const SITEMAP_INDEX: &str = "/sitemap.xml";
pub const NEWS_SITEMAP: &str = "/sitemaps/news.xml";

/// The sitemap of the articles published in a month (`2026-11`), page `page` (from 1) when the
/// month has more than one sitemap's worth.
pub fn month_sitemap(month: &str, page: u32) -> String {
    if page <= 1 {
        format!("/sitemaps/articles-{month}.xml")
    } else {
        format!("/sitemaps/articles-{month}-{page}.xml")
    }
}

/// The sitemap of sections, authors or tags (`kind`).
pub fn taxonomy_sitemap(kind: &str) -> String {
    format!("/sitemaps/{kind}.xml")
}

/// The public page of a section, author or tag (`kind`: `sections`, `authors`, `tags`) in
/// `lang`, on the site.
pub fn page_url(base_url: &str, lang: &str, kind: &str, slug: &str) -> String {
    format!("{base_url}/{lang}/{kind}/{slug}")
}
