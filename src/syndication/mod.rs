//! Syndication: the site's articles as RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds (whole site,
//! or narrowed like `GET /articles`), and sitemaps for search engines: an index, articles by
//! month, sections, authors and tags, and the Google News sitemap of the last 48 hours.
//! Served at the site's root (`/feeds/...`, `/sitemap.xml`, `/sitemaps/...`), cached and
//! validated like every public read.

pub mod feed;
pub mod paths;
pub mod queries;
pub mod routes;
pub mod sitemap;
pub mod xml;
