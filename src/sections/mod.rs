//! Sections: the site's menu and section pages. What makes a section ([`Sections`]); the
//! operations every taxonomy shares are [`crate::taxonomy`]'s.

pub mod dto;
pub mod model;
pub mod queries;
pub mod routes;

use std::collections::BTreeMap;

use crate::db::DbConnection;
use crate::error::{ApiError, FieldError};
use crate::http::params::{Errors, parse_lang};
use crate::settings::Site;
use crate::taxonomy::validate::check_slug;
use crate::taxonomy::{Draft, Patch, Represent, Taxonomy};
use crate::write::Tx;
use dto::{NewSectionRequest, SectionDto, SectionQuery, UpdateSectionRequest};
use model::{Localized, NewSection, SectionChanges, SectionRow};

/// Longest name and description, per language.
const MAX_NAME: usize = 100;
const MAX_DESCRIPTION: usize = 1_000;

/// The section taxonomy.
pub struct Sections;

/// Names in `lang` (else the default language), every language in `names` and
/// `descriptions`.
impl Represent<SectionRow> for SectionDto {
    fn represent(
        row: SectionRow,
        lang: Option<&str>,
        site: &Site,
        article_count: Option<i64>,
    ) -> Self {
        let names = Localized::parse(&row.names);
        let descriptions = Localized::parse(&row.descriptions);
        let lang = lang.unwrap_or(&site.default_language);
        SectionDto {
            id: row.id,
            slug: row.slug,
            name: names.resolve(lang, &site.default_language),
            description: descriptions.resolve(lang, &site.default_language),
            names: names.0,
            descriptions: descriptions.0,
            position: row.position,
            article_count: article_count.unwrap_or(0),
        }
    }
}

fn check_map(
    errors: &mut Errors,
    field: &str,
    map: &BTreeMap<String, String>,
    site: &Site,
    max: usize,
    required: bool,
) {
    for (lang, text) in map {
        if !site.languages.contains(lang) {
            errors.push(FieldError::new(
                format!("{field}.{lang}"),
                "unknown_language",
                format!("languages are: {}", site.languages.join(", ")),
            ));
        }
        let n = text.trim().chars().count();
        if (required && n == 0) || n > max {
            errors.push(FieldError::new(
                format!("{field}.{lang}"),
                "invalid_length",
                format!("must be {} to {max} characters", usize::from(required)),
            ));
        }
    }
    if required && !map.contains_key(&site.default_language) {
        errors.push(FieldError::new(
            format!("{field}.{}", site.default_language),
            "required",
            "a name in the default language is required",
        ));
    }
}

/// Trimmed text per language, as stored.
fn stored(map: &BTreeMap<String, String>) -> String {
    Localized(
        map.iter()
            .map(|(k, v)| (k.clone(), v.trim().to_string()))
            .collect(),
    )
    .to_json()
}

/// A stored map with a merge patch applied: `null` removes a language.
fn merged(
    current: &str,
    patch: Option<&BTreeMap<String, Option<String>>>,
) -> BTreeMap<String, String> {
    let mut map = Localized::parse(current).0;
    for (lang, value) in patch.into_iter().flatten() {
        match value {
            Some(v) => map.insert(lang.clone(), v.trim().to_string()),
            None => map.remove(lang),
        };
    }
    map
}

impl Taxonomy for Sections {
    const ENTITY: &'static str = "section";
    const COLLECTION: &'static str = "/api/v1/sections";

    type Row = SectionRow;
    type Dto = SectionDto;
    type NewRequest = NewSectionRequest;
    type UpdateRequest = UpdateSectionRequest;
    type ItemQuery = SectionQuery;

    fn item_lang(query: &SectionQuery, site: &Site) -> Result<Option<String>, ApiError> {
        parse_lang(query.lang.as_deref(), site).map_err(|e| ApiError::invalid_params(vec![e]))
    }

    /// A name in the default language is required; the slug comes from it.
    fn draft(
        req: NewSectionRequest,
        site: &Site,
        mut errors: Errors,
    ) -> Result<Draft<Self>, ApiError> {
        let names = errors.required("names", req.names);
        if let Some(names) = &names {
            check_map(&mut errors, "names", names, site, MAX_NAME, true);
        }
        check_map(
            &mut errors,
            "descriptions",
            &req.descriptions,
            site,
            MAX_DESCRIPTION,
            false,
        );
        check_slug(&mut errors, req.slug.as_deref());
        match names {
            Some(names) if errors.is_empty() => Ok(Draft {
                slug: req.slug,
                name: names
                    .get(&site.default_language)
                    .cloned()
                    .unwrap_or_default(),
                new: NewSection {
                    names: stored(&names),
                    descriptions: stored(&req.descriptions),
                    position: req.position,
                },
            }),
            _ => Err(errors.into_validation()),
        }
    }

    /// Without a position, a new section goes after the last one.
    fn before_insert(conn: &mut DbConnection, new: &mut NewSection) -> Result<(), ApiError> {
        if new.position.is_none() {
            new.position = Some(queries::next_position(conn)?);
        }
        Ok(())
    }

    /// The merged names and descriptions must still validate: the default language keeps a
    /// name.
    fn changes(
        req: &UpdateSectionRequest,
        row: &SectionRow,
        site: &Site,
        mut errors: Errors,
    ) -> Result<Patch<Self>, ApiError> {
        let names = merged(&row.names, req.names.as_ref());
        let descriptions = merged(&row.descriptions, req.descriptions.as_ref());
        check_map(&mut errors, "names", &names, site, MAX_NAME, true);
        check_map(
            &mut errors,
            "descriptions",
            &descriptions,
            site,
            MAX_DESCRIPTION,
            false,
        );
        check_slug(&mut errors, req.slug.as_deref());
        errors.check()?;
        Ok(Patch {
            slug: req.slug.clone(),
            changes: SectionChanges {
                names: req.names.is_some().then(|| Localized(names).to_json()),
                descriptions: req
                    .descriptions
                    .is_some()
                    .then(|| Localized(descriptions).to_json()),
                position: req.position,
            },
        })
    }

    fn before_delete(tx: &mut Tx<'_>, row: &SectionRow) -> Result<(), ApiError> {
        let live = queries::live_articles(tx, row.id)?;
        if live > 0 {
            return Err(ApiError::Conflict {
                code: "in_use",
                detail: format!(
                    "section `{}` still has {live} article(s); move or delete them first",
                    row.slug
                ),
            });
        }
        Ok(())
    }
}
