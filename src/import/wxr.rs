//! A streaming reader of WordPress eXtended RSS (WXR 1.0–1.2), the WordPress export format:
//! the file is read once, front to back, and each author, category, tag and item is handed
//! over as soon as it is complete, so memory does not grow with the file.

use std::io::BufRead;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// One record of the export.
#[derive(Debug, Clone)]
pub enum Record {
    /// `wp:base_site_url` (or the channel's link): where the site lived.
    Site {
        base_url: String,
    },
    /// The namespace of the source's ids, as given (another format's).
    Source(String),
    Author {
        login: String,
        display_name: String,
    },
    Category {
        nicename: String,
        name: String,
    },
    Tag {
        slug: String,
        name: String,
    },
    Item(Box<Item>),
    /// A line of a newsdesk export: from `newsdesk import jsonl`, or the `<newsdesk:record>`
    /// newsdesk's own WXR keeps beside each element.
    Line(crate::export::Line),
}

/// An `<item>`: a post, page, attachment or other post type.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Item {
    pub post_id: String,
    pub title: String,
    pub link: String,
    /// Author logins (ids), first the main one.
    pub creators: Vec<String>,
    pub content: String,
    pub excerpt: String,
    pub post_date: String,
    pub post_date_gmt: String,
    pub post_name: String,
    pub status: String,
    pub post_type: String,
    pub attachment_url: String,
    /// `(nicename, name)` of each category.
    pub categories: Vec<(String, String)>,
    /// `(slug, name)` of each tag.
    pub tags: Vec<(String, String)>,
    pub thumbnail_id: Option<String>,
    /// A cover image URL given directly (Ghost's `feature_image`).
    pub cover_url: Option<String>,
}

/// Where reading stopped: the XML was not well formed.
#[derive(Debug)]
pub struct ParseError {
    /// Byte offset in the file.
    pub position: u64,
    pub message: String,
}

/// Reads `input` to its end, calling `each` with every record and, now and then, `progress`
/// with the bytes read. Stops at the first error of `each` or of the XML.
pub fn read<R: BufRead, E: From<ParseError>>(
    input: R,
    mut each: impl FnMut(Record) -> Result<(), E>,
    mut progress: impl FnMut(u64),
) -> Result<(), E> {
    let mut reader = Reader::from_reader(input);
    reader.config_mut().trim_text(false);
    reader.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    // The open elements, by qualified name.
    let mut stack: Vec<Vec<u8>> = Vec::new();
    let mut text = String::new();
    let mut item: Option<Item> = None;
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut category: Option<(String, String)> = None;
    let mut meta_key = String::new();
    let mut site_told = false;
    // The `<newsdesk:record>` of the element being read.
    let mut record: Option<String> = None;
    let mut channel_link = String::new();
    let fail = |reader: &Reader<R>, message: String| ParseError {
        position: reader.buffer_position(),
        message,
    };
    let mut events = 0u64;
    loop {
        buf.clear();
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| fail(&reader, e.to_string()))?;
        events += 1;
        if events.is_multiple_of(4096) {
            progress(reader.buffer_position());
        }
        match event {
            Event::Start(e) => {
                let name = e.name().as_ref().to_vec();
                if name == b"item" {
                    item = Some(Item::default());
                } else if name == b"category" && item.is_some() {
                    category = attrs(&e, reader.decoder());
                }
                if matches!(name.as_slice(), b"wp:author" | b"wp:category" | b"wp:tag") {
                    fields.clear();
                }
                stack.push(name);
                text.clear();
            }
            Event::Empty(_) => {}
            Event::Text(t) => {
                let s = t.decode().map_err(|e| fail(&reader, e.to_string()))?;
                text.push_str(&s);
            }
            Event::GeneralRef(r) => {
                let name = r.decode().map_err(|e| fail(&reader, e.to_string()))?;
                let entity = format!("&{name};");
                match quick_xml::escape::unescape(&entity) {
                    Ok(s) => text.push_str(&s),
                    // A character reference to no character (a lone surrogate) stands for
                    // itself no more than U+FFFD would; an HTML entity XML does not define
                    // (`&nbsp;`) is kept as written, for the HTML it is part of.
                    Err(_) if name.starts_with('#') => text.push('\u{FFFD}'),
                    Err(_) => text.push_str(&entity),
                }
            }
            Event::CData(c) => {
                let s = c.decode().map_err(|e| fail(&reader, e.to_string()))?;
                text.push_str(&s);
            }
            Event::End(e) => {
                let name = e.name().as_ref().to_vec();
                stack.pop();
                let parent = stack.last().map(Vec::as_slice).unwrap_or_default();
                let value = std::mem::take(&mut text);
                if name == b"newsdesk:record" {
                    if parent == b"channel" {
                        each(Record::Line(line(&reader, &value)?))?;
                    } else {
                        record = Some(value);
                    }
                    continue;
                }
                if let Some(it) = item.as_mut() {
                    match (parent, name.as_slice()) {
                        (b"item", b"title") => it.title = value,
                        (b"item", b"link") => it.link = value.trim().to_string(),
                        (b"item", b"dc:creator") => it.creators.push(value.trim().to_string()),
                        (b"item", b"content:encoded") => it.content = value,
                        (b"item", b"excerpt:encoded") => it.excerpt = value,
                        (b"item", b"wp:post_id") => it.post_id = value.trim().to_string(),
                        (b"item", b"wp:post_date") => it.post_date = value.trim().to_string(),
                        (b"item", b"wp:post_date_gmt") => {
                            it.post_date_gmt = value.trim().to_string()
                        }
                        (b"item", b"wp:post_name") => it.post_name = value.trim().to_string(),
                        (b"item", b"wp:status") => it.status = value.trim().to_string(),
                        (b"item", b"wp:post_type") => it.post_type = value.trim().to_string(),
                        (b"item", b"wp:attachment_url") => {
                            it.attachment_url = value.trim().to_string()
                        }
                        (b"item", b"category") => {
                            if let Some((domain, nicename)) = category.take() {
                                let pair = (nicename, value.trim().to_string());
                                match domain.as_str() {
                                    "category" => it.categories.push(pair),
                                    "post_tag" => it.tags.push(pair),
                                    _ => {}
                                }
                            }
                        }
                        (b"wp:postmeta", b"wp:meta_key") => meta_key = value.trim().to_string(),
                        (b"wp:postmeta", b"wp:meta_value") if meta_key == "_thumbnail_id" => {
                            it.thumbnail_id = Some(value.trim().to_string())
                        }
                        (_, b"item") => {
                            if let Some(done) = item.take() {
                                match record.take() {
                                    Some(json) => each(Record::Line(line(&reader, &json)?))?,
                                    None => each(Record::Item(Box::new(done)))?,
                                }
                            }
                        }
                        _ => {}
                    }
                    continue;
                }
                match (parent, name.as_slice()) {
                    (b"channel", b"link") => channel_link = value.trim().to_string(),
                    (b"channel", b"wp:base_site_url") | (b"channel", b"wp:base_blog_url")
                        if !site_told =>
                    {
                        site_told = true;
                        each(Record::Site {
                            base_url: value.trim().to_string(),
                        })?;
                    }
                    (b"wp:author" | b"wp:category" | b"wp:tag", _) => {
                        fields.push((String::from_utf8_lossy(&name).into_owned(), value))
                    }
                    (b"channel", b"wp:author" | b"wp:category" | b"wp:tag") if record.is_some() => {
                        let json = record.take().unwrap_or_default();
                        each(Record::Line(line(&reader, &json)?))?;
                    }
                    (b"channel", b"wp:author") => {
                        let login = field(&fields, "wp:author_login");
                        let display_name = field(&fields, "wp:author_display_name");
                        each(Record::Author {
                            display_name: if display_name.trim().is_empty() {
                                login.clone()
                            } else {
                                display_name
                            },
                            login,
                        })?;
                    }
                    (b"channel", b"wp:category") => each(Record::Category {
                        nicename: field(&fields, "wp:category_nicename"),
                        name: field(&fields, "wp:cat_name"),
                    })?,
                    (b"channel", b"wp:tag") => each(Record::Tag {
                        slug: field(&fields, "wp:tag_slug"),
                        name: field(&fields, "wp:tag_name"),
                    })?,
                    _ => {}
                }
            }
            Event::Eof => {
                if let Some(open) = stack.last() {
                    return Err(fail(
                        &reader,
                        format!("the file ends inside <{}>", String::from_utf8_lossy(open)),
                    )
                    .into());
                }
                if !site_told && !channel_link.is_empty() {
                    each(Record::Site {
                        base_url: channel_link,
                    })?;
                }
                progress(reader.buffer_position());
                return Ok(());
            }
            _ => {}
        }
    }
}

/// A `<newsdesk:record>`'s line.
fn line<R>(reader: &Reader<R>, json: &str) -> Result<crate::export::Line, ParseError> {
    serde_json::from_str(json).map_err(|e| ParseError {
        position: reader.buffer_position(),
        message: format!("a newsdesk record that is not a line of a newsdesk export: {e}"),
    })
}

fn field(fields: &[(String, String)], name: &str) -> String {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default()
}

/// `(domain, nicename)` of an item's `<category>`.
fn attrs(e: &BytesStart<'_>, decoder: quick_xml::encoding::Decoder) -> Option<(String, String)> {
    let mut domain = None;
    let mut nicename = None;
    for a in e.attributes().flatten() {
        let value = a
            .decoded_and_normalized_value(quick_xml::XmlVersion::Implicit1_0, decoder)
            .ok()?
            .into_owned();
        match a.key.as_ref() {
            b"domain" => domain = Some(value),
            b"nicename" => nicename = Some(value),
            _ => {}
        }
    }
    Some((domain?, nicename?))
}
