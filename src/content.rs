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

/// Longest generated slug; longer titles are cut at a word boundary.
const MAX_GENERATED_SLUG: usize = 80;

/// A URL slug from a title, transliterating Cyrillic and Azerbaijani letters
/// (`Выборы в Баку` → `vybory-v-baku`, `Ərzaq qiymətləri` → `erzaq-qiymetleri`). Never empty
/// and never all digits, so it cannot be mistaken for an id.
pub fn slugify(title: &str) -> String {
    // deunicode has no ASCII form for the schwa; Azerbaijani sites write it as `e`.
    let folded: String = title
        .chars()
        .map(|c| match c {
            'ə' | 'Ə' => 'e',
            other => other,
        })
        .collect();
    let mut slug = slug::slugify(folded);
    if slug.len() > MAX_GENERATED_SLUG {
        let cut = slug[..MAX_GENERATED_SLUG]
            .rfind('-')
            .unwrap_or(MAX_GENERATED_SLUG);
        slug.truncate(cut);
    }
    if slug.is_empty() {
        slug.push_str("article");
    } else if slug.bytes().all(|b| b.is_ascii_digit()) {
        slug.insert_str(0, "article-");
    }
    slug
}

/// Why a slug chosen by an editor is unacceptable, if it is.
pub fn slug_problem(slug: &str) -> Option<crate::error::FieldError> {
    let valid = crate::http::params::is_slug(slug) && !slug.bytes().all(|b| b.is_ascii_digit());
    (!valid).then(|| {
        crate::error::FieldError::new(
            "slug",
            "invalid_slug",
            "must be lowercase letters, digits and single hyphens, not only digits, at most 200 characters",
        )
    })
}

/// The slug to store: the one chosen (refused with 409 `slug_taken` when `taken` says it is
/// used), or one generated from `name` with `-2`, `-3`, ... until free.
pub fn pick_slug(
    chosen: Option<&str>,
    name: &str,
    mut taken: impl FnMut(&str) -> Result<bool, crate::error::ApiError>,
) -> Result<String, crate::error::ApiError> {
    if let Some(slug) = chosen {
        if taken(slug)? {
            return Err(crate::error::ApiError::Conflict {
                code: "slug_taken",
                detail: format!("the slug `{slug}` is already used"),
            });
        }
        return Ok(slug.to_string());
    }
    let base = slugify(name);
    let mut candidate = base.clone();
    let mut n = 2;
    while taken(&candidate)? {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    Ok(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_transliterate() {
        assert_eq!(slugify("Выборы в Баку"), "vybory-v-baku");
        assert_eq!(slugify("Ərzaq qiymətləri"), "erzaq-qiymetleri");
        assert_eq!(slugify("Bakıda şənlik: çağırış!"), "bakida-senlik-cagiris");
        assert_eq!(slugify("2026"), "article-2026");
        assert_eq!(slugify("!!!"), "article");
        let long = slugify(&"word ".repeat(40));
        assert!(long.len() <= 80 && !long.ends_with('-'), "{long}");
        assert!(crate::http::params::is_slug(&long));
    }

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
