//! A feed of articles and its three formats: RSS 2.0 (with `content:encoded`, Dublin Core
//! creators, Media RSS images and an Atom self link), Atom 1.0 and JSON Feed 1.1. The XML is
//! written by the `rss` and `atom_syndication` crates, which escape every text; characters
//! XML cannot carry are dropped first ([`super::xml::clean`]), in JSON Feed too, so that every
//! format shows the same text.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::xml::clean;
use crate::articles::dto::Cover;
use crate::error::ApiError;

/// The widest image a feed item links to (readers show covers at most this wide).
const FEED_IMAGE_WIDTH: u32 = 1600;

pub const RSS_TYPE: &str = "application/rss+xml; charset=utf-8";
pub const ATOM_TYPE: &str = "application/atom+xml; charset=utf-8";
pub const JSON_FEED_TYPE: &str = "application/feed+json; charset=utf-8";

const MEDIA_NS: &str = "http://search.yahoo.com/mrss/";

/// A feed: the channel and its newest entries, newest first.
pub struct Feed {
    pub title: String,
    pub description: String,
    pub lang: String,
    /// The page the feed is about (the site, or its section, author or tag page).
    pub home_url: String,
    /// The feed's own URL, as served.
    pub self_url: String,
    pub copyright: String,
    /// When the newest entry changed (the site's settings when there is none), so that the
    /// same content always renders to the same bytes.
    pub updated: DateTime<Utc>,
    pub entries: Vec<Entry>,
}

/// One article in a feed.
pub struct Entry {
    /// Permanent id: never changes, whatever happens to the slug or title.
    pub id: String,
    pub url: String,
    pub title: String,
    /// The lead.
    pub summary: String,
    /// The sanitized body.
    pub content_html: String,
    pub published: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub authors: Vec<Person>,
    /// The section first, then the tags.
    pub categories: Vec<Category>,
    pub image: Option<Image>,
}

pub struct Person {
    pub name: String,
    pub url: String,
    pub avatar: Option<String>,
}

pub struct Category {
    pub term: String,
    pub label: String,
    /// The page of the section or tag.
    pub url: String,
}

pub struct Image {
    pub url: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    /// Known for uploaded images.
    pub known_mime: Option<String>,
    /// Width and height, known for uploaded images.
    pub size: Option<(u32, u32)>,
}

impl Image {
    /// The cover as a feed shows it: of an uploaded image, the widest rendition in a format
    /// every reader takes (JPEG or PNG) up to [`FEED_IMAGE_WIDTH`], else the original.
    pub fn of_cover(cover: Cover) -> Self {
        let full = (cover.url, cover.width.zip(cover.height));
        let (url, size, mime) = cover
            .srcset
            .into_iter()
            .filter(|r| r.mime != "image/webp" && r.width <= FEED_IMAGE_WIDTH)
            .max_by_key(|r| r.width)
            .map(|r| {
                let height = full.1.map(|(w, h)| {
                    (f64::from(h) * f64::from(r.width) / f64::from(w.max(1))).round() as u32
                });
                (r.url, height.map(|h| (r.width, h)), Some(r.mime))
            })
            .unwrap_or_else(|| {
                let size = full.1.map(|(w, h)| (w.max(0) as u32, h.max(0) as u32));
                (full.0, size, None)
            });
        Image {
            url,
            caption: cover.caption,
            credit: cover.credit,
            known_mime: mime,
            size,
        }
    }

    /// The media type: known for uploads, else what the file name suggests (feeds must name one
    /// for an enclosure).
    fn mime(&self) -> &str {
        if let Some(mime) = &self.known_mime {
            return mime;
        }
        let path = self.url.split(['?', '#']).next().unwrap_or_default();
        let ext = path
            .rsplit('.')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match ext.as_str() {
            "png" => "image/png",
            "gif" => "image/gif",
            "webp" => "image/webp",
            "avif" => "image/avif",
            "svg" => "image/svg+xml",
            _ => "image/jpeg",
        }
    }
}

fn xml_error(e: impl std::fmt::Display) -> ApiError {
    ApiError::internal(format!("write feed: {e}"))
}

fn c(text: &str) -> String {
    clean(text).into_owned()
}

impl Feed {
    pub fn rss(&self) -> Result<Vec<u8>, ApiError> {
        use rss::extension::{Extension, atom, dublincore::DublinCoreExtension};

        let items = self
            .entries
            .iter()
            .map(|e| {
                let mut extensions: rss::extension::ExtensionMap = BTreeMap::new();
                if let Some(image) = &e.image {
                    let mut children = BTreeMap::new();
                    let mut text = |name: &str, value: &Option<String>| {
                        if let Some(v) = value {
                            children.insert(
                                name.to_string(),
                                vec![Extension {
                                    name: format!("media:{name}"),
                                    value: Some(c(v)),
                                    ..Default::default()
                                }],
                            );
                        }
                    };
                    text("description", &image.caption);
                    text("credit", &image.credit);
                    let content = Extension {
                        name: "media:content".into(),
                        attrs: BTreeMap::from([
                            ("url".to_string(), c(&image.url)),
                            ("medium".to_string(), "image".to_string()),
                            ("type".to_string(), image.mime().to_string()),
                        ])
                        .into_iter()
                        .chain(image.size.into_iter().flat_map(|(w, h)| {
                            [
                                ("width".to_string(), w.to_string()),
                                ("height".to_string(), h.to_string()),
                            ]
                        }))
                        .collect(),
                        children,
                        ..Default::default()
                    };
                    extensions.insert(
                        "media".into(),
                        BTreeMap::from([("content".to_string(), vec![content])]),
                    );
                }
                rss::Item {
                    title: Some(c(&e.title)),
                    link: Some(c(&e.url)),
                    description: Some(c(&e.summary)),
                    categories: e
                        .categories
                        .iter()
                        .map(|cat| rss::Category {
                            name: c(&cat.label),
                            domain: Some(c(&cat.url)),
                        })
                        .collect(),
                    guid: Some(rss::Guid {
                        value: c(&e.id),
                        permalink: false,
                    }),
                    pub_date: Some(e.published.to_rfc2822()),
                    content: Some(c(&e.content_html)),
                    dublin_core_ext: Some(DublinCoreExtension {
                        creators: e.authors.iter().map(|a| c(&a.name)).collect(),
                        ..Default::default()
                    }),
                    extensions,
                    ..Default::default()
                }
            })
            .collect();
        let channel = rss::Channel {
            title: c(&self.title),
            link: c(&self.home_url),
            description: c(&self.description),
            language: Some(self.lang.clone()),
            copyright: (!self.copyright.is_empty()).then(|| c(&self.copyright)),
            last_build_date: Some(self.updated.to_rfc2822()),
            generator: Some("newsdesk".into()),
            ttl: Some("30".into()),
            atom_ext: Some(atom::AtomExtension {
                links: vec![atom::Link {
                    href: c(&self.self_url),
                    rel: "self".into(),
                    mime_type: Some("application/rss+xml".into()),
                    ..Default::default()
                }],
            }),
            namespaces: BTreeMap::from([("media".to_string(), MEDIA_NS.to_string())]),
            items,
            ..Default::default()
        };
        channel.write_to(Vec::new()).map_err(xml_error)
    }

    pub fn atom(&self) -> Result<Vec<u8>, ApiError> {
        use atom_syndication as atom;

        let link = |href: &str, rel: &str, mime: Option<&str>| atom::Link {
            href: c(href),
            rel: rel.into(),
            mime_type: mime.map(Into::into),
            ..Default::default()
        };
        let entries = self
            .entries
            .iter()
            .map(|e| {
                let mut links = vec![link(&e.url, "alternate", Some("text/html"))];
                if let Some(image) = &e.image {
                    links.push(link(&image.url, "enclosure", Some(image.mime())));
                }
                atom::Entry {
                    title: atom::Text::plain(c(&e.title)),
                    id: c(&e.id),
                    updated: e.updated.fixed_offset(),
                    published: Some(e.published.fixed_offset()),
                    authors: e
                        .authors
                        .iter()
                        .map(|a| atom::Person {
                            name: c(&a.name),
                            uri: Some(c(&a.url)),
                            ..Default::default()
                        })
                        .collect(),
                    categories: e
                        .categories
                        .iter()
                        .map(|cat| atom::Category {
                            term: c(&cat.term),
                            scheme: Some(c(&cat.url)),
                            label: Some(c(&cat.label)),
                        })
                        .collect(),
                    links,
                    summary: Some(atom::Text::plain(c(&e.summary))),
                    content: Some(atom::Content {
                        value: Some(c(&e.content_html)),
                        content_type: Some("html".into()),
                        ..Default::default()
                    }),
                    ..Default::default()
                }
            })
            .collect();
        let feed = atom::Feed {
            title: atom::Text::plain(c(&self.title)),
            id: c(&self.self_url),
            updated: self.updated.fixed_offset(),
            subtitle: (!self.description.is_empty())
                .then(|| atom::Text::plain(c(&self.description))),
            rights: (!self.copyright.is_empty()).then(|| atom::Text::plain(c(&self.copyright))),
            generator: Some(atom::Generator {
                value: "newsdesk".into(),
                ..Default::default()
            }),
            links: vec![
                link(&self.self_url, "self", Some("application/atom+xml")),
                link(&self.home_url, "alternate", Some("text/html")),
            ],
            lang: Some(self.lang.clone()),
            entries,
            ..Default::default()
        };
        feed.write_to(Vec::new()).map_err(xml_error)
    }

    pub fn json(&self) -> Result<Vec<u8>, ApiError> {
        let feed = JsonFeed {
            version: "https://jsonfeed.org/version/1.1",
            title: &self.title,
            home_page_url: &self.home_url,
            feed_url: &self.self_url,
            description: &self.description,
            language: &self.lang,
            items: self
                .entries
                .iter()
                .map(|e| JsonItem {
                    id: &e.id,
                    url: &e.url,
                    // The same text as the XML formats carry.
                    title: clean(&e.title),
                    summary: clean(&e.summary),
                    content_html: clean(&e.content_html),
                    image: e.image.as_ref().map(|i| i.url.as_str()),
                    date_published: e.published,
                    date_modified: e.updated,
                    authors: e
                        .authors
                        .iter()
                        .map(|a| JsonAuthor {
                            name: clean(&a.name),
                            url: &a.url,
                            avatar: a.avatar.as_deref(),
                        })
                        .collect(),
                    tags: e.categories.iter().map(|c| clean(&c.label)).collect(),
                })
                .collect(),
        };
        serde_json::to_vec(&feed).map_err(xml_error)
    }
}

/// A JSON Feed 1.1 document (<https://jsonfeed.org/version/1.1>).
#[derive(Serialize, ToSchema)]
#[schema(as = JsonFeed)]
pub struct JsonFeed<'a> {
    /// `https://jsonfeed.org/version/1.1`.
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    /// This feed's own URL.
    feed_url: &'a str,
    description: &'a str,
    language: &'a str,
    /// Newest first.
    items: Vec<JsonItem<'a>>,
}

/// An article in a JSON Feed.
#[derive(Serialize, ToSchema)]
#[schema(as = JsonFeedItem)]
struct JsonItem<'a> {
    /// Permanent id (`tag:` URI).
    id: &'a str,
    /// The canonical link.
    url: &'a str,
    #[schema(value_type = String)]
    title: Cow<'a, str>,
    /// The lead.
    #[schema(value_type = String)]
    summary: Cow<'a, str>,
    /// The sanitized body.
    #[schema(value_type = String)]
    content_html: Cow<'a, str>,
    /// The cover image.
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    date_published: DateTime<Utc>,
    date_modified: DateTime<Utc>,
    authors: Vec<JsonAuthor<'a>>,
    /// The section's name, then the tags'.
    #[schema(value_type = Vec<String>)]
    tags: Vec<Cow<'a, str>>,
}

/// An author in a JSON Feed.
#[derive(Serialize, ToSchema)]
#[schema(as = JsonFeedAuthor)]
struct JsonAuthor<'a> {
    #[schema(value_type = String)]
    name: Cow<'a, str>,
    /// The author's page.
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    avatar: Option<&'a str>,
}
