//! Checks every taxonomy makes of a request, and the draft of one known by a name (authors,
//! tags).

use super::{Draft, New, Taxonomy};
use crate::domain::slug::slug_problem;
use crate::error::{ApiError, FieldError};
use crate::http::params::Errors;

/// A slug asked for must be one (lowercase ASCII words joined by hyphens).
pub fn check_slug(errors: &mut Errors, slug: Option<&str>) {
    if let Some(problem) = slug.and_then(slug_problem) {
        errors.push(problem);
    }
}

/// A name, when given, is 1 to `max` characters and not only spaces.
pub fn check_name(errors: &mut Errors, name: Option<&str>, max: usize) {
    let n = name.map(|n| n.trim().chars().count());
    if n.is_some_and(|n| n == 0 || n > max) {
        errors.push(FieldError::new(
            "name",
            "invalid_length",
            format!("must be 1 to {max} characters"),
        ));
    }
}

/// A new one known by `name` (trimmed), whose other columns `new` makes from it; a 422 listing
/// `errors` if there are any or the name is missing.
pub fn named<T: Taxonomy>(
    name: Option<String>,
    slug: Option<String>,
    errors: Errors,
    new: impl FnOnce(String) -> New<T>,
) -> Result<Draft<T>, ApiError> {
    match name {
        Some(name) if errors.is_empty() => {
            let name = name.trim().to_string();
            Ok(Draft {
                slug,
                name: name.clone(),
                new: new(name),
            })
        }
        _ => Err(errors.into_validation()),
    }
}
