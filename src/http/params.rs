//! Types that parse query and path parameters once, at the edge. Handlers receive raw strings
//! (so a bad value is our 400 naming the parameter, not a serde message) and turn them into
//! these; inside, the values are trusted.

use std::ops::Deref;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::de::DeserializeOwned;

use crate::domain::slug::is_slug;
use crate::error::{ApiError, FieldError, handlers};
use crate::settings::Site;

pub const DEFAULT_LIMIT: u32 = 20;
pub const MAX_LIMIT: u32 = 100;
/// Most slugs one filter parameter may list.
pub const MAX_FILTER_SLUGS: usize = 50;

/// The query parameters of a request. A parameter sent with an empty or blank value, as in
/// `?cursor=`, is the same as one left out (forms and URL builders send those); one sent twice
/// is a 400 naming it; unknown ones are ignored.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T> Query<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Query<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse_query(req.query_string()).map(Query))
    }
}

/// Parses a query string as [`Query`] does.
pub fn parse_query<T: DeserializeOwned>(raw: &str) -> Result<T, ApiError> {
    let given = url::form_urlencoded::parse(raw.as_bytes()).filter(|(_, v)| !v.trim().is_empty());
    let kept = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(given)
        .finish();
    actix_web::web::Query::<T>::from_query(&kept)
        .map(actix_web::web::Query::into_inner)
        .map_err(handlers::query_error)
}

/// A path parameter `field` that must be a positive integer id (a 400 `invalid_id` otherwise).
pub fn positive_id(field: &str, raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ApiError::invalid_param(field, "invalid_id", "must be a positive integer"))
}

/// Collects the field errors of one request so the client sees all of them at once.
#[derive(Debug, Clone, Default)]
pub struct Errors(Vec<FieldError>);

impl From<Vec<FieldError>> for Errors {
    fn from(errors: Vec<FieldError>) -> Self {
        Errors(errors)
    }
}

impl Errors {
    pub fn take<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.push(e);
                None
            }
        }
    }

    /// Records a problem, unless one of the same field is recorded already (a field whose
    /// shape was wrong is not reported again as missing).
    pub fn push(&mut self, e: FieldError) {
        if !self.0.iter().any(|f| f.field == e.field) {
            self.0.push(e);
        }
    }

    /// A required field's value, or a `required` problem.
    pub fn required<T>(&mut self, field: &str, value: Option<T>) -> Option<T> {
        if value.is_none() {
            self.push(FieldError::new(field, "required", "is required"));
        }
        value
    }

    /// `Ok(())` when nothing went wrong, else the 422 listing every problem of a JSON body.
    pub fn check(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.into_validation())
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The 422 listing every problem of a JSON body.
    pub fn into_validation(self) -> ApiError {
        ApiError::Validation(self.0)
    }

    /// `Ok(())` when nothing went wrong, else the 400 listing every problem.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::invalid_params(self.0))
        }
    }
}

/// Page size: 1 to 100, default 20.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit(u32);

impl Default for Limit {
    fn default() -> Self {
        Limit(DEFAULT_LIMIT)
    }
}

impl Limit {
    pub fn parse(raw: Option<&str>) -> Result<Self, FieldError> {
        Self::parse_with(raw, DEFAULT_LIMIT, MAX_LIMIT)
    }

    pub fn parse_with(raw: Option<&str>, default: u32, max: u32) -> Result<Self, FieldError> {
        let Some(raw) = raw else {
            return Ok(Limit(default));
        };
        let out_of_range = || {
            FieldError::new(
                "limit",
                "out_of_range",
                format!("must be between 1 and {max}"),
            )
        };
        match raw.trim().parse::<i64>() {
            Ok(n) if n >= 1 && n <= i64::from(max) => Ok(Limit(n as u32)),
            Ok(_) => Err(out_of_range()),
            Err(_) => Err(FieldError::new(
                "limit",
                "not_an_integer",
                format!("must be a whole number between 1 and {max}"),
            )),
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }

    /// One more than the page size: the extra row tells whether a next page exists.
    pub fn probe(self) -> i64 {
        i64::from(self.0) + 1
    }
}

/// A language code the site serves (`en`, `ru`, `az`, ...).
pub fn parse_lang(raw: Option<&str>, site: &Site) -> Result<Option<String>, FieldError> {
    let Some(raw) = raw else { return Ok(None) };
    let code = raw.trim();
    if site.languages.iter().any(|l| l == code) {
        Ok(Some(code.to_string()))
    } else {
        Err(FieldError::new(
            "lang",
            "unknown_language",
            format!("must be one of: {}", site.languages.join(", ")),
        ))
    }
}

/// `true`/`false` (also `1`/`0`).
pub fn parse_bool(field: &str, raw: Option<&str>) -> Result<Option<bool>, FieldError> {
    match raw.map(str::trim) {
        None => Ok(None),
        Some("true" | "1") => Ok(Some(true)),
        Some("false" | "0") => Ok(Some(false)),
        Some(_) => Err(FieldError::new(
            field,
            "not_a_boolean",
            "must be `true` or `false`",
        )),
    }
}

/// Which end of a date range a value bounds: a bare date means the start of that day for
/// `from` and its last microsecond for `to`, so `from=2026-02-19&to=2026-02-19` is that day.
#[derive(Debug, Clone, Copy)]
pub enum Bound {
    Start,
    End,
}

/// `YYYY-MM-DD` or RFC 3339, returned as naive UTC.
pub fn parse_datetime(
    field: &str,
    raw: Option<&str>,
    bound: Bound,
) -> Result<Option<NaiveDateTime>, FieldError> {
    let Some(raw) = raw else { return Ok(None) };
    let raw = raw.trim();
    let invalid = || {
        FieldError::new(
            field,
            "invalid_date",
            "must be a real date as YYYY-MM-DD or an RFC 3339 timestamp",
        )
    };
    if raw.len() > 40 {
        return Err(invalid());
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Ok(Some(t.with_timezone(&Utc).naive_utc()));
    }
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| invalid())?;
    if raw.len() != 10 {
        return Err(invalid());
    }
    Ok(Some(match bound {
        Bound::Start => date.and_time(NaiveTime::MIN),
        Bound::End => date
            .and_hms_micro_opt(23, 59, 59, 999_999)
            .ok_or_else(invalid)?,
    }))
}

/// A slug filter: `a,b` = any of a or b; `-c` = not c; both may be combined.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlugFilter {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

pub fn parse_slug_filter(field: &str, raw: Option<&str>) -> Result<Option<SlugFilter>, FieldError> {
    let Some(raw) = raw else { return Ok(None) };
    let mut filter = SlugFilter::default();
    let parts: Vec<&str> = raw
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        return Err(FieldError::new(
            field,
            "empty",
            "must list at least one slug",
        ));
    }
    if parts.len() > MAX_FILTER_SLUGS {
        return Err(FieldError::new(
            field,
            "too_many",
            format!("may list at most {MAX_FILTER_SLUGS} slugs"),
        ));
    }
    for part in parts {
        let (negated, slug) = match part.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, part),
        };
        if !is_slug(slug) {
            return Err(FieldError::new(
                field,
                "invalid_slug",
                "must be comma-separated slugs (lowercase letters, digits, hyphens), each optionally prefixed with `-` to exclude it",
            ));
        }
        if negated {
            filter.exclude.push(slug.to_string());
        } else {
            filter.include.push(slug.to_string());
        }
    }
    Ok(Some(filter))
}

/// `{ref}` in a path: a numeric id or a slug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ref {
    Id(i64),
    Slug(String),
}

impl Ref {
    pub fn parse(raw: &str) -> Result<Self, ApiError> {
        let invalid = || ApiError::BadRequest {
            code: "invalid_parameter",
            detail: "path parameter `ref` must be a numeric id or a slug".into(),
            errors: vec![FieldError::new(
                "ref",
                "invalid_ref",
                "must be a positive integer id or a slug of lowercase letters, digits and hyphens",
            )],
        };
        if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) {
            return match raw.parse::<i64>() {
                Ok(id) if id > 0 => Ok(Ref::Id(id)),
                _ => Err(invalid()),
            };
        }
        if is_slug(raw) {
            Ok(Ref::Slug(raw.to_string()))
        } else {
            Err(invalid())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits() {
        assert_eq!(Limit::parse(None).unwrap().get(), 20);
        assert_eq!(Limit::parse(Some("100")).unwrap().get(), 100);
        for bad in [
            "0",
            "101",
            "-1",
            "abc",
            "",
            "1e3",
            "99999999999999999999999",
        ] {
            assert!(Limit::parse(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates() {
        let from = parse_datetime("from", Some("2026-02-19"), Bound::Start)
            .unwrap()
            .unwrap();
        assert_eq!(from.to_string(), "2026-02-19 00:00:00");
        let to = parse_datetime("to", Some("2026-02-19"), Bound::End)
            .unwrap()
            .unwrap();
        assert_eq!(to.to_string(), "2026-02-19 23:59:59.999999");
        let t = parse_datetime("from", Some("2026-02-19T08:33:00+04:00"), Bound::Start).unwrap();
        assert_eq!(t.unwrap().to_string(), "2026-02-19 04:33:00");
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "yesterday",
            "2026-2-1",
            "20260219",
            "+2026-02-19",
        ] {
            assert!(
                parse_datetime("from", Some(bad), Bound::Start).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn slugs_and_refs() {
        assert!(is_slug("world"));
        assert!(is_slug("vybory-v-baku-2"));
        for bad in [
            "",
            "-a",
            "a-",
            "a--b",
            "A",
            "a b",
            "a_b",
            "'; drop table",
            "ü",
        ] {
            assert!(!is_slug(bad), "{bad}");
        }
        assert_eq!(Ref::parse("42").unwrap(), Ref::Id(42));
        assert_eq!(Ref::parse("world").unwrap(), Ref::Slug("world".into()));
        assert!(Ref::parse("0").is_err());
        assert!(Ref::parse("99999999999999999999").is_err());
        let f = parse_slug_filter("tag", Some("a,-b, c")).unwrap().unwrap();
        assert_eq!(f.include, vec!["a", "c"]);
        assert_eq!(f.exclude, vec!["b"]);
        assert!(parse_slug_filter("tag", Some(",")).is_err());
        assert!(parse_slug_filter("tag", Some("--a")).is_err());
    }
}
