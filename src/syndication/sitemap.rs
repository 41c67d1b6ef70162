//! Sitemaps (<https://www.sitemaps.org/protocol.html>), with translations as
//! `xhtml:link rel="alternate" hreflang` and Google News entries
//! (<https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap>),
//! written with `quick-xml`, which escapes every value. A urlset is written entry by entry,
//! so its caller can read the rows a page at a time.

use chrono::{DateTime, SecondsFormat, Utc};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::xml::clean;

pub const XML_TYPE: &str = "application/xml; charset=utf-8";
/// The most URLs one sitemap may list.
pub const MAX_URLS: usize = 50_000;

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";
const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";

fn w3c(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Writing into memory cannot fail.
fn write(w: &mut Writer<Vec<u8>>, event: Event<'_>) {
    let _ = w.write_event(event);
}

fn element(w: &mut Writer<Vec<u8>>, name: &str, text: &str) {
    write(w, Event::Start(BytesStart::new(name)));
    write(w, Event::Text(BytesText::new(&clean(text))));
    write(w, Event::End(BytesEnd::new(name)));
}

fn start(root: &str, namespaces: &[(&str, &str)]) -> Writer<Vec<u8>> {
    let mut w = Writer::new(Vec::with_capacity(64 * 1024));
    write(
        &mut w,
        Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)),
    );
    let mut tag = BytesStart::new(root);
    for attr in namespaces {
        tag.push_attribute(*attr);
    }
    write(&mut w, Event::Start(tag));
    w
}

/// A sitemap in the index.
pub struct IndexEntry {
    pub loc: String,
    pub lastmod: Option<DateTime<Utc>>,
}

/// The sitemap index.
pub fn index(entries: &[IndexEntry]) -> Vec<u8> {
    let mut w = start("sitemapindex", &[("xmlns", SITEMAP_NS)]);
    for e in entries {
        write(&mut w, Event::Start(BytesStart::new("sitemap")));
        element(&mut w, "loc", &e.loc);
        if let Some(t) = e.lastmod {
            element(&mut w, "lastmod", &w3c(t));
        }
        write(&mut w, Event::End(BytesEnd::new("sitemap")));
    }
    write(&mut w, Event::End(BytesEnd::new("sitemapindex")));
    w.into_inner()
}

/// What Google News needs of an article.
pub struct News<'a> {
    pub publication: &'a str,
    pub language: &'a str,
    pub published: DateTime<Utc>,
    pub title: &'a str,
}

/// A `urlset`, written one URL at a time.
pub struct UrlSet {
    w: Writer<Vec<u8>>,
    count: usize,
}

impl UrlSet {
    pub fn new() -> Self {
        UrlSet {
            w: start(
                "urlset",
                &[
                    ("xmlns", SITEMAP_NS),
                    ("xmlns:xhtml", XHTML_NS),
                    ("xmlns:news", NEWS_NS),
                ],
            ),
            count: 0,
        }
    }

    /// Adds a URL. `alternates`: `(language, URL)` of every language version of the page,
    /// this one included (as search engines ask), or nothing when there is only one.
    pub fn url(
        &mut self,
        loc: &str,
        lastmod: Option<DateTime<Utc>>,
        alternates: &[(&str, &str)],
        news: Option<News<'_>>,
    ) {
        let w = &mut self.w;
        write(w, Event::Start(BytesStart::new("url")));
        element(w, "loc", loc);
        if let Some(t) = lastmod {
            element(w, "lastmod", &w3c(t));
        }
        for (lang, href) in alternates {
            let mut link = BytesStart::new("xhtml:link");
            link.push_attribute(("rel", "alternate"));
            link.push_attribute(("hreflang", &*clean(lang)));
            link.push_attribute(("href", &*clean(href)));
            write(w, Event::Empty(link));
        }
        if let Some(n) = news {
            write(w, Event::Start(BytesStart::new("news:news")));
            write(w, Event::Start(BytesStart::new("news:publication")));
            element(w, "news:name", n.publication);
            element(w, "news:language", n.language);
            write(w, Event::End(BytesEnd::new("news:publication")));
            element(w, "news:publication_date", &w3c(n.published));
            element(w, "news:title", n.title);
            write(w, Event::End(BytesEnd::new("news:news")));
        }
        write(w, Event::End(BytesEnd::new("url")));
        self.count += 1;
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub fn finish(mut self) -> Vec<u8> {
        write(&mut self.w, Event::End(BytesEnd::new("urlset")));
        self.w.into_inner()
    }
}

impl Default for UrlSet {
    fn default() -> Self {
        Self::new()
    }
}
