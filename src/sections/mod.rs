//! Sections: the site's menu and section pages. What makes a section ([`Sections`]); the
//! operations every taxonomy shares are [`crate::taxonomy`]'s.

pub mod dto;
pub mod model;
pub mod queries;
pub mod routes;

use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use crate::db::DbConnection;
use crate::domain::slug::slug_problem;
use crate::error::{ApiError, FieldError};
use crate::http::params::{Errors, Ref, parse_lang};
use crate::settings::Site;
use crate::state::Ctx;
use crate::taxonomy::Taxonomy;
use crate::write::Tx;
use dto::{NewSectionRequest, SectionDto, SectionQuery, UpdateSectionRequest};
use model::{Localized, NewSection, SectionRow};
use queries::SectionChanges;

/// Longest name and description, per language.
const MAX_NAME: usize = 100;
const MAX_DESCRIPTION: usize = 1_000;

/// The section taxonomy.
pub struct Sections;

/// A new section, validated.
pub struct SectionDraft {
    slug: Option<String>,
    /// Its name in the default language, which a generated slug comes from.
    name: String,
    names: String,
    descriptions: String,
    position: Option<i32>,
}

pub fn to_dto(row: SectionRow, lang: Option<&str>, site: &Site, count: i64) -> SectionDto {
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
        article_count: count,
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

fn check_slug(errors: &mut Errors, slug: Option<&str>) {
    if let Some(problem) = slug.and_then(slug_problem) {
        errors.push(problem);
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
    type Draft = SectionDraft;
    type Changes = SectionChanges;

    fn find(conn: &mut DbConnection, r: &Ref) -> diesel::QueryResult<Option<SectionRow>> {
        queries::find(conn, r)
    }

    fn id(row: &SectionRow) -> i64 {
        row.id
    }

    fn slug_taken(
        conn: &mut DbConnection,
        slug: &str,
        except: Option<i64>,
    ) -> diesel::QueryResult<bool> {
        queries::slug_exists(conn, slug, except)
    }

    fn item_lang(query: &SectionQuery, site: &Site) -> Result<Option<String>, ApiError> {
        parse_lang(query.lang.as_deref(), site).map_err(|e| ApiError::invalid_params(vec![e]))
    }

    /// Names in `lang` (else the default language); the count of public articles, in `lang`
    /// when given, else in every language.
    fn dto(
        conn: &mut DbConnection,
        ctx: &Ctx,
        row: SectionRow,
        lang: Option<&str>,
    ) -> Result<SectionDto, ApiError> {
        let count = queries::article_counts(conn, &[row.id], lang, ctx.now)?
            .get(&row.id)
            .copied()
            .unwrap_or(0);
        Ok(to_dto(row, lang, &ctx.site, count))
    }

    fn draft(
        req: NewSectionRequest,
        site: &Site,
        mut errors: Errors,
    ) -> Result<SectionDraft, ApiError> {
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
            Some(names) if errors.is_empty() => Ok(SectionDraft {
                name: names
                    .get(&site.default_language)
                    .cloned()
                    .unwrap_or_default(),
                names: stored(&names),
                descriptions: stored(&req.descriptions),
                slug: req.slug,
                position: req.position,
            }),
            _ => Err(errors.into_validation()),
        }
    }

    fn slug_of(draft: &SectionDraft) -> (Option<&str>, &str) {
        (draft.slug.as_deref(), &draft.name)
    }

    fn insert(
        conn: &mut DbConnection,
        draft: &SectionDraft,
        slug: &str,
        now: NaiveDateTime,
    ) -> Result<i64, ApiError> {
        let position = match draft.position {
            Some(p) => p,
            None => queries::next_position(conn)?,
        };
        Ok(queries::insert(
            conn,
            &NewSection {
                slug,
                names: draft.names.clone(),
                descriptions: draft.descriptions.clone(),
                position,
                created_at: now,
                updated_at: now,
            },
        )?)
    }

    /// The merged names and descriptions must still validate: the default language keeps a
    /// name.
    fn changes(
        req: &UpdateSectionRequest,
        row: &SectionRow,
        site: &Site,
        mut errors: Errors,
    ) -> Result<SectionChanges, ApiError> {
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
        Ok(SectionChanges {
            slug: req.slug.clone(),
            names: req.names.is_some().then(|| Localized(names).to_json()),
            descriptions: req
                .descriptions
                .is_some()
                .then(|| Localized(descriptions).to_json()),
            position: req.position,
            updated_at: None,
        })
    }

    fn new_slug(changes: &SectionChanges) -> Option<&str> {
        changes.slug.as_deref()
    }

    fn update(
        conn: &mut DbConnection,
        id: i64,
        changes: SectionChanges,
        slug: Option<String>,
        now: NaiveDateTime,
    ) -> Result<(), ApiError> {
        let changes = SectionChanges {
            slug,
            updated_at: Some(now),
            ..changes
        };
        Ok(queries::update(conn, id, &changes)?)
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

    fn delete(conn: &mut DbConnection, id: i64) -> diesel::QueryResult<()> {
        queries::delete(conn, id)
    }
}
