//! A merge patch of the site settings applied to the stored ones, every value checked.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use super::dto::SitePatch;
use crate::error::{ApiError, FieldError};
use crate::http::params::Errors;
use crate::settings::Site;
use crate::settings::model::SiteUpdate;

/// The settings after a patch, as stored.
pub struct Changes {
    name: String,
    description: String,
    timezone: String,
    default_language: String,
    languages: String,
    copyright: String,
    social_links: String,
    app_links: String,
    min_app_version: Option<String>,
}

impl Changes {
    /// `site` with `patch` applied. `in_use`: the languages articles are written in, which
    /// cannot be removed. Problems of the body's shape (`shape`) and of its values are
    /// answered together.
    pub fn apply(
        site: &Site,
        patch: &SitePatch,
        in_use: &[String],
        shape: Errors,
    ) -> Result<Self, ApiError> {
        let mut errors = shape;
        let name = match &patch.name {
            Some(n) => errors.take(text("name", n, 1, 200)).unwrap_or_default(),
            None => site.name.clone(),
        };
        let description = match &patch.description {
            Some(d) => errors
                .take(text("description", d, 0, 1000))
                .unwrap_or_default(),
            None => site.description.clone(),
        };
        let copyright = match &patch.copyright {
            Some(c) => errors
                .take(text("copyright", c, 0, 1000))
                .unwrap_or_default(),
            None => site.copyright.clone(),
        };
        let timezone = match &patch.timezone {
            Some(tz) => errors.take(timezone(tz)).unwrap_or_default(),
            None => site.timezone.clone(),
        };
        let languages = match &patch.languages {
            Some(list) => errors
                .take(languages(list, in_use))
                .unwrap_or_else(|| site.languages.clone()),
            None => site.languages.clone(),
        };
        let default_language = patch
            .default_language
            .as_deref()
            .map(str::trim)
            .unwrap_or(&site.default_language)
            .to_string();
        if !languages.contains(&default_language) {
            errors.push(FieldError::new(
                "default_language",
                "unknown_language",
                format!("must be one of the languages: {}", languages.join(", ")),
            ));
        }
        // The default language first, then the others in the order given.
        let mut ordered = vec![default_language.clone()];
        ordered.extend(languages.into_iter().filter(|l| *l != default_language));
        let social_links = merge_links(
            "social_links",
            site.social_links.clone(),
            patch.social_links.as_ref(),
            &mut errors,
        );
        let app_links = merge_links(
            "app_links",
            site.app_links.clone(),
            patch.app_links.as_ref(),
            &mut errors,
        );
        let min_app_version = match &patch.min_app_version {
            None => site.min_app_version.clone(),
            Some(None) => None,
            Some(Some(v)) => errors.take(version(v)),
        };
        errors.check()?;
        let json = |links: &BTreeMap<String, String>| {
            serde_json::to_string(links).unwrap_or_else(|_| "{}".into())
        };
        Ok(Changes {
            name,
            description,
            timezone,
            default_language,
            languages: ordered.join(","),
            copyright,
            social_links: json(&social_links),
            app_links: json(&app_links),
            min_app_version,
        })
    }

    pub fn update(&self, now: NaiveDateTime) -> SiteUpdate<'_> {
        SiteUpdate {
            name: &self.name,
            description: &self.description,
            timezone: &self.timezone,
            default_language: &self.default_language,
            languages: &self.languages,
            copyright: &self.copyright,
            social_links: &self.social_links,
            app_links: &self.app_links,
            min_app_version: self.min_app_version.as_deref(),
            updated_at: now,
        }
    }
}

/// Trimmed text of `min..=max` characters.
fn text(field: &str, raw: &str, min: usize, max: usize) -> Result<String, FieldError> {
    let value = raw.trim();
    let len = value.chars().count();
    if len < min {
        return Err(FieldError::new(field, "required", "must not be empty"));
    }
    if len > max {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("at most {max} characters"),
        ));
    }
    Ok(value.to_string())
}

fn timezone(raw: &str) -> Result<String, FieldError> {
    let name = raw.trim();
    name.parse::<chrono_tz::Tz>()
        .map(|tz| tz.name().to_string())
        .map_err(|_| {
            FieldError::new(
                "timezone",
                "unknown_timezone",
                "must be an IANA time zone name, e.g. `Europe/Berlin`",
            )
        })
}

/// A language code as sites use them: `en`, `az`, `pt-BR`, `zh-Hant`.
fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn languages(list: &[String], in_use: &[String]) -> Result<Vec<String>, FieldError> {
    let field = "languages";
    if list.is_empty() || list.len() > 50 {
        return Err(FieldError::new(
            field,
            "invalid_length",
            "1 to 50 languages",
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(list.len());
    for code in list.iter().map(|c| c.trim()) {
        if !is_language_code(code) {
            return Err(FieldError::new(
                field,
                "invalid_language",
                format!("`{code}` is not a language code such as `en` or `pt-BR`"),
            ));
        }
        if out.iter().any(|l| l == code) {
            return Err(FieldError::new(
                field,
                "duplicate",
                format!("`{code}` is listed twice"),
            ));
        }
        out.push(code.to_string());
    }
    let dropped: Vec<&str> = in_use
        .iter()
        .filter(|l| !out.contains(l))
        .map(String::as_str)
        .collect();
    if !dropped.is_empty() {
        return Err(FieldError::new(
            field,
            "language_in_use",
            format!(
                "articles are written in {}: a language in use cannot be removed",
                dropped.join(", ")
            ),
        ));
    }
    Ok(out)
}

/// A link map merged with its patch: a key set to `null` is removed, the others are set.
fn merge_links(
    field: &str,
    mut links: BTreeMap<String, String>,
    patch: Option<&BTreeMap<String, Option<String>>>,
    errors: &mut Errors,
) -> BTreeMap<String, String> {
    for (key, value) in patch.into_iter().flatten() {
        let path = format!("{field}.{key}");
        let key_ok = (1..=50).contains(&key.len())
            && key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !key_ok {
            errors.push(FieldError::new(
                path,
                "invalid_key",
                "names are 1 to 50 of a-z, 0-9 and `_`",
            ));
            continue;
        }
        match value {
            None => {
                links.remove(key);
            }
            Some(url) => match absolute_url(url) {
                Some(url) => {
                    links.insert(key.clone(), url);
                }
                None => errors.push(FieldError::new(
                    path,
                    "invalid_url",
                    "must be an absolute http or https URL",
                )),
            },
        }
    }
    if links.len() > 50 {
        errors.push(FieldError::new(field, "too_many", "at most 50 links"));
    }
    links
}

fn absolute_url(raw: &str) -> Option<String> {
    let url = url::Url::parse(raw.trim()).ok()?;
    let ok = matches!(url.scheme(), "http" | "https")
        && url.host_str().is_some_and(|h| !h.is_empty())
        && raw.len() <= 2000;
    ok.then(|| url.to_string())
}

/// `2`, `2.4`, `2.4.0`, `2.4.0.1`.
fn version(raw: &str) -> Result<String, FieldError> {
    let v = raw.trim();
    let parts: Vec<&str> = v.split('.').collect();
    let ok = v.len() <= 32
        && parts.len() <= 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if ok {
        Ok(v.to_string())
    } else {
        Err(FieldError::new(
            "min_app_version",
            "invalid_version",
            "must be numbers separated by dots, e.g. `2.4.0`",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes() {
        for ok in ["en", "az", "pt-BR", "zh-Hant", "ast"] {
            assert!(is_language_code(ok), "{ok}");
        }
        for bad in ["", "e", "EN", "english", "en_", "en-", "en-x", "ру"] {
            assert!(!is_language_code(bad), "{bad}");
        }
    }
}
