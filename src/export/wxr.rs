//! The newsroom as WordPress eXtended RSS 1.2, the file WordPress's importer reads (Tools →
//! Import → WordPress), written as WordPress's own exporter writes it: authors, categories
//! (sections) and tags in the channel, then one `<item>` per article with its HTML, dates in
//! the site's time and in GMT, status, categories, tags, excerpt (lead), and the cover as an
//! attachment item with the post's `_thumbnail_id`. Text goes in CDATA sections (`]]>` split as
//! WordPress splits it); characters XML 1.0 cannot carry are left out of the XML.
//!
//! What WordPress has no place for (translations of names, a byline of several authors beyond
//! the first `dc:creator`, views, the Markdown as written, redirects) travels in a
//! `<newsdesk:record>` beside each element: the export's JSON line, which WordPress ignores and
//! `newsdesk import wordpress` reads back, so newsdesk's own WXR round-trips with nothing lost.

use std::io::Write;

use chrono::{DateTime, Utc};
use quick_xml::Writer;
use quick_xml::events::{BytesCData, BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::{Article, Counts, ExportError, Line, walk};
use crate::db::DbConnection;
use crate::domain::Status;
use crate::markup::render_markdown;
use crate::redirects::article_path;

/// The namespace of newsdesk's records in a WXR file.
pub const NAMESPACE: &str = "https://newsdesk.dev/export/1/";

/// WordPress's "no date" (a draft's GMT date).
const NEVER: &str = "0000-00-00 00:00:00";

struct Out<W: Write> {
    xml: Writer<W>,
    base_url: String,
    tz: chrono_tz::Tz,
    /// The last post id given (attachments and posts share WordPress's id space).
    last_id: u64,
    /// Ids of the authors, categories and tags, in order.
    terms: u64,
}

type Res = Result<(), ExportError>;

impl<W: Write> Out<W> {
    fn event(&mut self, e: Event<'_>) -> Res {
        self.xml.write_event(e).map_err(ExportError::Io)
    }

    fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> Res {
        let mut start = BytesStart::new(name);
        for a in attrs {
            start.push_attribute(*a);
        }
        self.event(Event::Start(start))
    }

    fn close(&mut self, name: &str) -> Res {
        self.event(Event::End(BytesEnd::new(name)))
    }

    /// `<name>text</name>`, escaped.
    fn text(&mut self, name: &str, text: &str) -> Res {
        self.open(name, &[])?;
        let clean = xml_chars(text);
        if !clean.is_empty() {
            self.event(Event::Text(BytesText::new(&clean)))?;
        }
        self.close(name)
    }

    /// `<name><![CDATA[text]]></name>`, split where the text holds `]]>`.
    fn cdata(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> Res {
        self.open(name, attrs)?;
        let clean = xml_chars(text);
        let parts: Vec<&str> = clean.split("]]>").collect();
        let last = parts.len() - 1;
        for (i, part) in parts.iter().enumerate() {
            let mut piece = String::with_capacity(part.len() + 3);
            if i > 0 {
                piece.push('>');
            }
            piece.push_str(part);
            if i < last {
                piece.push_str("]]");
            }
            self.event(Event::CData(BytesCData::new(piece)))?;
        }
        self.close(name)
    }

    fn record(&mut self, line: &Line) -> Res {
        let json = serde_json::to_string(line).map_err(std::io::Error::from)?;
        self.cdata("newsdesk:record", &[], &json)
    }

    fn local(&self, t: DateTime<Utc>) -> String {
        t.with_timezone(&self.tz)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    }

    fn line(&mut self, line: &Line) -> Res {
        match line {
            Line::Export(h) => {
                self.tz = h.settings.timezone.parse().unwrap_or(chrono_tz::UTC);
                self.text("title", &h.settings.name)?;
                let base = self.base_url.clone();
                self.text("link", &base)?;
                self.text("description", &h.settings.description)?;
                self.text("language", &h.settings.default_language)?;
                self.text("wp:wxr_version", "1.2")?;
                self.text("wp:base_site_url", &base)?;
                self.text("wp:base_blog_url", &base)?;
                self.record(line)?;
            }
            Line::Author(a) => {
                self.terms += 1;
                self.open("wp:author", &[])?;
                self.text("wp:author_id", &self.terms.to_string())?;
                self.cdata("wp:author_login", &[], &a.slug)?;
                self.cdata("wp:author_email", &[], "")?;
                self.cdata("wp:author_display_name", &[], &a.name)?;
                self.cdata("wp:author_first_name", &[], "")?;
                self.cdata("wp:author_last_name", &[], "")?;
                self.record(line)?;
                self.close("wp:author")?;
            }
            Line::Section(s) => {
                self.terms += 1;
                let name = first_text(&s.names).unwrap_or(&s.slug).to_string();
                let description = first_text(&s.descriptions).unwrap_or("").to_string();
                self.open("wp:category", &[])?;
                self.text("wp:term_id", &self.terms.to_string())?;
                self.cdata("wp:category_nicename", &[], &s.slug)?;
                self.cdata("wp:category_parent", &[], "")?;
                self.cdata("wp:cat_name", &[], &name)?;
                self.cdata("wp:category_description", &[], &description)?;
                self.record(line)?;
                self.close("wp:category")?;
            }
            Line::Tag(t) => {
                self.terms += 1;
                self.open("wp:tag", &[])?;
                self.text("wp:term_id", &self.terms.to_string())?;
                self.cdata("wp:tag_slug", &[], &t.slug)?;
                self.cdata("wp:tag_name", &[], &t.name)?;
                self.record(line)?;
                self.close("wp:tag")?;
            }
            Line::Article(a) => self.article(line, a)?,
        }
        Ok(())
    }

    fn article(&mut self, line: &Line, a: &Article) -> Res {
        let cover = match &a.cover_url {
            Some(url) => {
                self.last_id += 1;
                let id = self.last_id;
                self.attachment(id, url, a)?;
                Some(id)
            }
            None => None,
        };
        self.last_id += 1;
        let id = self.last_id.to_string();
        let link = format!("{}{}", self.base_url, article_path(&a.lang, &a.slug));
        let status = match a.status {
            Status::Published if a.published_at.is_some_and(|t| t > Utc::now()) => "future",
            Status::Published => "publish",
            // Not public, kept: WordPress's nearest is a private post.
            Status::Archived | Status::Deleted => "private",
            Status::Draft => "draft",
        };
        let (date, date_gmt) = match a.published_at {
            Some(t) => (self.local(t), gmt(t)),
            None => (self.local(a.created_at), NEVER.to_string()),
        };
        self.open("item", &[])?;
        self.cdata("title", &[], &a.title)?;
        self.text("link", &link)?;
        self.text(
            "pubDate",
            &a.published_at.unwrap_or(a.created_at).to_rfc2822(),
        )?;
        for author in &a.authors {
            self.cdata("dc:creator", &[], author)?;
        }
        let guid = format!("{}/?p={id}", self.base_url);
        self.open("guid", &[("isPermaLink", "false")])?;
        self.event(Event::Text(BytesText::new(&guid)))?;
        self.close("guid")?;
        self.text("description", "")?;
        self.cdata("content:encoded", &[], &render_markdown(&a.body).html)?;
        self.cdata("excerpt:encoded", &[], &a.lead)?;
        self.text("wp:post_id", &id)?;
        self.cdata("wp:post_date", &[], &date)?;
        self.cdata("wp:post_date_gmt", &[], &date_gmt)?;
        self.cdata("wp:post_modified", &[], &self.local(a.updated_at))?;
        self.cdata("wp:post_modified_gmt", &[], &gmt(a.updated_at))?;
        self.cdata("wp:comment_status", &[], "closed")?;
        self.cdata("wp:ping_status", &[], "closed")?;
        self.cdata("wp:post_name", &[], &a.slug)?;
        self.cdata("wp:status", &[], status)?;
        self.text("wp:post_parent", "0")?;
        self.text("wp:menu_order", "0")?;
        self.cdata("wp:post_type", &[], "post")?;
        self.cdata("wp:post_password", &[], "")?;
        self.text("wp:is_sticky", if a.featured { "1" } else { "0" })?;
        self.cdata(
            "category",
            &[("domain", "category"), ("nicename", &a.section)],
            &a.section,
        )?;
        for tag in &a.tags {
            self.cdata(
                "category",
                &[("domain", "post_tag"), ("nicename", tag)],
                tag,
            )?;
        }
        if let Some(cover) = cover {
            self.postmeta("_thumbnail_id", &cover.to_string())?;
        }
        self.record(line)?;
        self.close("item")
    }

    fn postmeta(&mut self, key: &str, value: &str) -> Res {
        self.open("wp:postmeta", &[])?;
        self.cdata("wp:meta_key", &[], key)?;
        self.cdata("wp:meta_value", &[], value)?;
        self.close("wp:postmeta")
    }

    /// The cover of `a` as a media item (WordPress fetches the file from the URL).
    fn attachment(&mut self, id: u64, url: &str, a: &Article) -> Res {
        let when = a.published_at.unwrap_or(a.created_at);
        let title = a.cover_caption.clone().unwrap_or_else(|| a.title.clone());
        self.open("item", &[])?;
        self.cdata("title", &[], &title)?;
        self.text("link", url)?;
        self.text("pubDate", &when.to_rfc2822())?;
        if let Some(first) = a.authors.first() {
            self.cdata("dc:creator", &[], first)?;
        }
        self.open("guid", &[("isPermaLink", "false")])?;
        self.event(Event::Text(BytesText::new(&xml_chars(url))))?;
        self.close("guid")?;
        self.text("description", "")?;
        self.cdata("content:encoded", &[], "")?;
        self.cdata(
            "excerpt:encoded",
            &[],
            a.cover_credit.as_deref().unwrap_or(""),
        )?;
        self.text("wp:post_id", &id.to_string())?;
        self.cdata("wp:post_date", &[], &self.local(when))?;
        self.cdata("wp:post_date_gmt", &[], &gmt(when))?;
        self.cdata("wp:comment_status", &[], "closed")?;
        self.cdata("wp:ping_status", &[], "closed")?;
        self.cdata("wp:post_name", &[], &format!("{}-cover", a.slug))?;
        self.cdata("wp:status", &[], "inherit")?;
        self.text("wp:post_parent", "0")?;
        self.text("wp:menu_order", "0")?;
        self.cdata("wp:post_type", &[], "attachment")?;
        self.cdata("wp:post_password", &[], "")?;
        self.text("wp:is_sticky", "0")?;
        self.cdata("wp:attachment_url", &[], url)?;
        self.close("item")
    }
}

fn gmt(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// The first non-empty text of a language → text object.
fn first_text(map: &serde_json::Map<String, serde_json::Value>) -> Option<&str> {
    map.values()
        .filter_map(|v| v.as_str())
        .find(|s| !s.trim().is_empty())
}

/// `text` without the characters XML 1.0 cannot hold (controls other than tab and line
/// breaks, lone surrogates cannot occur in a Rust string, U+FFFE/U+FFFF).
fn xml_chars(text: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    };
    if text.chars().any(bad) {
        text.chars().filter(|c| !bad(*c)).collect::<String>().into()
    } else {
        text.into()
    }
}

/// Writes the newsroom as a WXR 1.2 file; `base_url` is where the site is published.
pub fn write(
    conn: &mut DbConnection,
    out: &mut (impl Write + ?Sized),
    base_url: &str,
    progress: impl FnMut(u64, u64),
) -> Result<Counts, ExportError> {
    let mut o = Out {
        xml: Writer::new_with_indent(out, b'\t', 1),
        base_url: base_url.trim_end_matches('/').to_string(),
        tz: chrono_tz::UTC,
        last_id: 0,
        terms: 0,
    };
    o.event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    o.open(
        "rss",
        &[
            ("version", "2.0"),
            ("xmlns:excerpt", "http://wordpress.org/export/1.2/excerpt/"),
            ("xmlns:content", "http://purl.org/rss/1.0/modules/content/"),
            ("xmlns:wfw", "http://wellformedweb.org/CommentAPI/"),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
            ("xmlns:wp", "http://wordpress.org/export/1.2/"),
            ("xmlns:newsdesk", NAMESPACE),
        ],
    )?;
    o.open("channel", &[])?;
    let counts = walk(conn, |line| o.line(line), progress)?;
    o.close("channel")?;
    o.close("rss")?;
    o.xml.get_mut().write_all(b"\n")?;
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdata_splits_its_terminator_and_drops_what_xml_cannot_hold() {
        let mut o = Out {
            xml: Writer::new(Vec::new()),
            base_url: String::new(),
            tz: chrono_tz::UTC,
            last_id: 0,
            terms: 0,
        };
        o.cdata("x", &[], "a]]>b\u{1}c").unwrap();
        let xml = String::from_utf8(o.xml.into_inner()).unwrap();
        assert_eq!(xml, "<x><![CDATA[a]]]]><![CDATA[>bc]]></x>");
    }
}
