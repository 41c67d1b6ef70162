//! Article bodies: Markdown in, sanitized HTML and plain text out, computed once on write.

pub mod embed;

use std::sync::LazyLock;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd, html};

/// A body as stored: the sanitized HTML, the plain text and its word count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedBody {
    pub html: String,
    pub text: String,
    pub word_count: i32,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// The sanitizer of everything an author writes: ammonia's allow-list (no frames).
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.url_schemes(["http", "https", "mailto", "tel"].into_iter().collect());
    b
});

/// The sanitizer of the embeds newsdesk writes itself (see [`embed`]), kept as a second line
/// of defence: frames only from the allowed players, always sandboxed, lazy and without a
/// full referrer; the post blockquotes' classes and attributes.
static EMBED_SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.url_schemes(["https"].into_iter().collect())
        .add_tags(["iframe"])
        .add_tag_attributes(
            "iframe",
            [
                "src",
                "title",
                "width",
                "height",
                "allow",
                "allowfullscreen",
            ],
        )
        .set_tag_attribute_value("iframe", "sandbox", embed::SANDBOX)
        .set_tag_attribute_value("iframe", "loading", "lazy")
        .set_tag_attribute_value(
            "iframe",
            "referrerpolicy",
            "strict-origin-when-cross-origin",
        )
        .add_allowed_classes("blockquote", embed::POST_CLASSES.iter().copied())
        .add_tag_attributes(
            "blockquote",
            ["data-instgrm-permalink", "data-instgrm-version"],
        )
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("iframe", "src") if !embed::frame_source_allowed(value) => None,
            _ => Some(value.into()),
        });
    b
});

/// Renders Markdown to HTML with pulldown-cmark, then sanitizes it with ammonia: scripts,
/// event handlers, `javascript:` URLs, frames and anything else outside its allow-list are
/// removed, and links get `rel="noopener noreferrer"`. A top-level paragraph that is only a
/// link to an allowed provider's post or player becomes its embed (see [`embed`]).
pub fn render_markdown(markdown: &str) -> RenderedBody {
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    let mut chunk = String::new();
    for segment in segments(Parser::new_ext(markdown, options())) {
        chunk.clear();
        match segment {
            Segment::Authored(events) => {
                html::push_html(&mut chunk, events.into_iter());
                html.push_str(&SANITIZER.clean(&chunk).to_string());
            }
            Segment::Embed(markup) => {
                html.push_str(&EMBED_SANITIZER.clean(&markup).to_string());
                html.push('\n');
            }
        }
    }
    let text = plain_text(markdown);
    let word_count = i32::try_from(text.split_whitespace().count()).unwrap_or(i32::MAX);
    RenderedBody {
        html,
        text,
        word_count,
    }
}

/// A run of a document: what the author wrote, or an embed made from a link.
enum Segment<'a> {
    Authored(Vec<Event<'a>>),
    Embed(String),
}

/// Splits a document at its embeds. Only top-level paragraphs can be embeds, so every
/// authored run is balanced HTML on its own and is sanitized as such.
fn segments<'a>(events: impl Iterator<Item = Event<'a>>) -> Vec<Segment<'a>> {
    let mut out = Vec::new();
    let mut run: Vec<Event<'a>> = Vec::new();
    let mut depth = 0usize;
    let mut paragraph: Option<Vec<Event<'a>>> = None;
    for event in events {
        match (&mut paragraph, event) {
            (None, Event::Start(Tag::Paragraph)) if depth == 0 => paragraph = Some(Vec::new()),
            (Some(inner), Event::End(TagEnd::Paragraph)) => {
                let inner = std::mem::take(inner);
                paragraph = None;
                match only_text(&inner).as_deref().and_then(embed::embed_html) {
                    Some(markup) => {
                        if !run.is_empty() {
                            out.push(Segment::Authored(std::mem::take(&mut run)));
                        }
                        out.push(Segment::Embed(markup));
                    }
                    None => {
                        run.push(Event::Start(Tag::Paragraph));
                        run.extend(inner);
                        run.push(Event::End(TagEnd::Paragraph));
                    }
                }
            }
            (Some(inner), event) => inner.push(event),
            (None, event) => {
                match &event {
                    Event::Start(_) => depth += 1,
                    Event::End(_) => depth = depth.saturating_sub(1),
                    _ => {}
                }
                run.push(event);
            }
        }
    }
    if !run.is_empty() {
        out.push(Segment::Authored(run));
    }
    out
}

/// The text of a paragraph made only of text (an autolink's included), else `None`.
fn only_text(events: &[Event<'_>]) -> Option<String> {
    let mut text = String::new();
    for e in events {
        match e {
            Event::Text(t) => text.push_str(t),
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink,
                ..
            })
            | Event::End(TagEnd::Link) => {}
            _ => return None,
        }
    }
    Some(text)
}

/// The readable text of a Markdown document: paragraphs separated by blank lines, no markup,
/// and no raw HTML.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::TableRow,
            ) if !out.ends_with('\n') => out.push_str("\n\n"),
            Event::Start(Tag::TableCell) => out.push(' '),
            _ => {}
        }
    }
    let trimmed = out.trim_end();
    trimmed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_markup_does_not_survive() {
        let body = render_markdown(
            "Hello <script>alert(1)</script>\n\n<img src=x onerror=\"alert(2)\">\n\n\
             [click](javascript:alert(3)) <a href=\"javascript:alert(4)\">x</a>",
        );
        for bad in ["<script", "onerror", "javascript:", "alert(1)"] {
            assert!(!body.html.contains(bad), "{bad} survived in {}", body.html);
        }
        assert!(body.html.contains("Hello"));
    }

    #[test]
    fn embeds_are_sandboxed_frames_and_others_stay_links() {
        let quoted =
            render_markdown("> https://youtu.be/dQw4w9WgXcQ\n\n- https://youtu.be/dQw4w9WgXcQ");
        assert!(
            !quoted.html.contains("<iframe"),
            "only top-level paragraphs embed"
        );
        let body = render_markdown(
            "Watch:\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n\
             {{embed https://x.com/nasa/status/1234567890}}\n\n\
             https://example.com/video\n\n\
             <iframe src=\"https://evil.example/x\"></iframe>\n\n\
             <iframe src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\" onload=\"x()\"></iframe>",
        );
        let html = &body.html;
        assert!(
            html.contains("src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\""),
            "{html}"
        );
        // Frames an author writes are removed, even from an allowed player: embeds are links.
        assert_eq!(html.matches("<iframe").count(), 1, "{html}");
        assert_eq!(html.matches("sandbox=\"").count(), 1, "{html}");
        assert!(
            html.contains("<blockquote class=\"twitter-tweet\">"),
            "{html}"
        );
        assert!(html.contains("<p>https://example.com/video</p>"), "{html}");
        assert!(!html.contains("evil.example"), "{html}");
        assert!(!html.contains("onload"), "{html}");
    }

    #[test]
    fn text_and_word_count() {
        let body = render_markdown("# Title\n\nFirst *para* here.\n\n- one\n- two");
        assert_eq!(body.text, "Title\n\nFirst para here.\n\none\n\ntwo");
        assert_eq!(body.word_count, 6);
        assert!(body.html.contains("<em>para</em>"));
    }
}
