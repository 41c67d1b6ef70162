//! Redirects: the old public paths of articles. When a published article's slug (or language)
//! changes, its old path `/{lang}/articles/{slug}` is kept and answered with the article's
//! current address: by `GET /redirects?path=...` (for front ends and edge servers) and by
//! `GET /articles/{old-slug}` (a 301). Editors list and delete them.

pub mod dto;
pub mod queries;
pub mod routes;

/// The public path of article `slug` in `lang`, as redirects store it.
pub fn article_path(lang: &str, slug: &str) -> String {
    format!("/{lang}/articles/{slug}")
}

/// A path as stored: percent-decoded, with one leading slash, without a trailing slash, the
/// query string kept (`/?p=12` stays), lowercase where it names an article. `None` when it
/// is not a path.
pub fn normalize(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > 2_000 || raw.contains(['\0', '\r', '\n']) {
        return None;
    }
    // A full URL counts by its path and query.
    let raw = match url::Url::parse(raw) {
        Ok(u) if u.has_host() => match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_string(),
        },
        _ => raw.to_string(),
    };
    let (path, query) = match raw.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (raw.as_str(), None),
    };
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let trimmed = decoded.trim_matches('/');
    let mut out = format!("/{trimmed}");
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        out.push('?');
        out.push_str(q);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_compared_in_one_form() {
        assert_eq!(
            normalize("/en/articles/old-slug/").as_deref(),
            Some("/en/articles/old-slug")
        );
        assert_eq!(
            normalize("en/articles/old-slug").as_deref(),
            Some("/en/articles/old-slug")
        );
        assert_eq!(
            normalize("https://news.example.com/az/articles/%C3%A7ay").as_deref(),
            Some("/az/articles/çay")
        );
        assert_eq!(normalize("/?p=12").as_deref(), Some("/?p=12"));
        assert_eq!(
            normalize("/2008/09/hello-world/").as_deref(),
            Some("/2008/09/hello-world")
        );
        assert_eq!(normalize(""), None);
        assert_eq!(normalize("/a\nb"), None);
    }
}
