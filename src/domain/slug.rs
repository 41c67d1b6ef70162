//! Slugs: the readable part of a URL that names a section, author, tag or article.

use crate::error::{ApiError, FieldError};

/// Longest slug accepted anywhere; longer input cannot name a resource.
pub const MAX_SLUG_LEN: usize = 200;

/// Whether `s` has the shape of a newsdesk slug: lowercase ASCII letters and digits in
/// groups joined by single hyphens, at most 200 characters.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_SLUG_LEN
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
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
    let mut slug = ::slug::slugify(folded);
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
pub fn slug_problem(slug: &str) -> Option<FieldError> {
    let valid = is_slug(slug) && !slug.bytes().all(|b| b.is_ascii_digit());
    (!valid).then(|| {
        FieldError::new(
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
    mut taken: impl FnMut(&str) -> Result<bool, ApiError>,
) -> Result<String, ApiError> {
    if let Some(slug) = chosen {
        if taken(slug)? {
            return Err(ApiError::Conflict {
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
        assert!(is_slug(&long));
    }
}
