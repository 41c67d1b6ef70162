//! Article bodies: Markdown in, sanitized HTML and plain text out, computed once on write.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

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

/// Renders Markdown to HTML with pulldown-cmark, then sanitizes it with ammonia: scripts,
/// event handlers, `javascript:` URLs and anything else outside its allow-list are removed,
/// and links get `rel="noopener noreferrer"`.
pub fn render_markdown(markdown: &str) -> RenderedBody {
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options()));
    let html = ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .clean(&unsafe_html)
        .to_string();
    let text = plain_text(markdown);
    let word_count = i32::try_from(text.split_whitespace().count()).unwrap_or(i32::MAX);
    RenderedBody {
        html,
        text,
        word_count,
    }
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
    fn text_and_word_count() {
        let body = render_markdown("# Title\n\nFirst *para* here.\n\n- one\n- two");
        assert_eq!(body.text, "Title\n\nFirst para here.\n\none\n\ntwo");
        assert_eq!(body.word_count, 6);
        assert!(body.html.contains("<em>para</em>"));
    }
}
