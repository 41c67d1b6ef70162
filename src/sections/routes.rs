//! Public section endpoints.

use std::collections::{BTreeMap, HashMap};

use actix_web::{HttpRequest, delete, get, patch, post, web};

use super::dto::{
    NewSectionRequest, SectionDto, SectionListQuery, SectionQuery, UpdateSectionRequest,
};
use super::model::{Localized, NewSection, SectionRow};
use super::queries::{self, SectionChanges};
use crate::articles::dto::{FeedAnswer, FeedQuery};
use crate::articles::feed::FeedScope;
use crate::articles::routes::feed_response;
use crate::auth::RequireEditor;
use crate::content::{pick_slug, slug_problem};
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::error::FieldError;
use crate::feeds::model::{DELETE, SECTION, UPSERT};
use crate::http::cursor::Position;
use crate::http::docs::{Conflict, Forbidden, JsonBody, NotFound, PublicRead, SignedIn};
use crate::http::json::JsonForm;
use crate::http::pagination::{Page, split_probe};
use crate::http::params::{Errors, Limit, Query, Ref, parse_lang};
use crate::http::respond::{Created, NoContent, Private, Public, Rendered};
use crate::http::schema::ResourceRef;
use crate::site::Site;
use crate::state::AppState;
use crate::state::Ctx;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_sections)
        .service(get_section)
        .service(section_articles)
        .service(create_section)
        .service(update_section)
        .service(delete_section);
}

const ORDER: &str = "position";

fn to_dto(row: SectionRow, lang: Option<&str>, site: &Site, count: i64) -> SectionDto {
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

/// The sections, in menu order.
///
/// Names and descriptions come resolved to `?lang=` and also as the full map of languages.
#[utoipa::path(
    tag = "sections",
    params(SectionListQuery),
    responses(
        (status = 200, description = "A page of sections", body = Page<SectionDto>),
        PublicRead,
    )
)]
#[get("/sections")]
pub async fn list_sections(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: Query<SectionListQuery>,
) -> Result<Public<Page<SectionDto>>, ApiError> {
    let query = query.into_inner();
    let mut errors = Errors::default();
    let lang = errors.take(parse_lang(query.lang.as_deref(), &state.site()));
    let limit = errors.take(Limit::parse(query.limit.as_deref()));
    errors.finish()?;
    let (lang, limit) = (lang.flatten(), limit.unwrap_or_default());
    let after = match query.cursor.as_deref() {
        Some(raw) => match state.cursors.decode("cursor", raw, ORDER)? {
            Position::Count { n, i } => Some((i32::try_from(n).unwrap_or(i32::MAX), i)),
            _ => {
                return Err(ApiError::bad_request(
                    "invalid_cursor",
                    "not a section cursor",
                ));
            }
        },
        None => None,
    };
    state
        .public(&req, move |conn, ctx| {
            let mut rows = queries::list(conn, after, limit.probe())?;
            let more = split_probe(&mut rows, limit.get());
            let next = more.then(|| rows.last()).flatten().map(|r| {
                ctx.cursors.encode(
                    ORDER,
                    Position::Count {
                        n: i64::from(r.position),
                        i: r.id,
                    },
                )
            });
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            let counts: HashMap<i64, i64> =
                queries::article_counts(conn, &ids, lang.as_deref(), ctx.now)?;
            let data = rows
                .into_iter()
                .map(|r| {
                    let count = counts.get(&r.id).copied().unwrap_or(0);
                    to_dto(r, lang.as_deref(), &ctx.site, count)
                })
                .collect();
            Rendered::page(&Page::new(data, limit.get(), next))
        })
        .await
}

/// One section.
///
/// By id or slug, with its name and description in `?lang=` (and every language in `names`
/// and `descriptions`) and the number of its published articles.
#[utoipa::path(
    tag = "sections",
    params(("ref" = ResourceRef, Path, description = "Section id or slug", example = "world"), SectionQuery),
    responses(
        (status = 200, description = "The section", body = SectionDto),
        PublicRead, NotFound,
    )
)]
#[get("/sections/{ref}")]
pub async fn get_section(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: Query<SectionQuery>,
) -> Result<Public<SectionDto>, ApiError> {
    let r = Ref::parse(&path)?;
    let lang = parse_lang(query.lang.as_deref(), &state.site())
        .map_err(|e| ApiError::invalid_params(vec![e]))?;
    state
        .public(&req, move |conn, ctx| {
            let row =
                queries::find(conn, &r)?.ok_or_else(|| ApiError::not_found("no such section"))?;
            let counts = queries::article_counts(conn, &[row.id], lang.as_deref(), ctx.now)?;
            let count = counts.get(&row.id).copied().unwrap_or(0);
            Rendered::json(&to_dto(row, lang.as_deref(), &ctx.site, count))
        })
        .await
}

/// The section's feed.
///
/// Takes every parameter of `GET /articles`.
#[utoipa::path(
    tag = "sections",
    params(("ref" = ResourceRef, Path, description = "Section id or slug", example = "world"), FeedQuery),
    responses(
        (status = 200, description = "A page of article summaries; with `newer_than`, the count of newer ones", body = FeedAnswer),
        PublicRead, NotFound,
    )
)]
#[get("/sections/{ref}/articles")]
pub async fn section_articles(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: Query<FeedQuery>,
) -> Result<Public<FeedAnswer>, ApiError> {
    let scope = FeedScope::Section(Ref::parse(&path)?);
    feed_response(&req, &state, query.into_inner(), scope).await
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

/// Loads a section for an editor, with its article count in all languages.
fn editorial_dto(conn: &mut DbConnection, ctx: &Ctx, id: i64) -> Result<SectionDto, ApiError> {
    let row =
        queries::find(conn, &Ref::Id(id))?.ok_or_else(|| ApiError::not_found("no such section"))?;
    let count = queries::article_counts(conn, &[id], None, ctx.now)?
        .get(&id)
        .copied()
        .unwrap_or(0);
    Ok(to_dto(row, None, &ctx.site, count))
}

/// Creates a section. Editors and admins.
///
/// Names are given per language (the default language is required); the slug is generated
/// from the default-language name when left out, and a taken one is a 409 `slug_taken`.
#[utoipa::path(
    tag = "sections",
    security(("bearer" = [])),
    request_body = NewSectionRequest,
    responses(
        (status = 201, description = "Created", body = SectionDto, headers(("Location" = String, description = "The new section"))),
        SignedIn, Forbidden, Conflict, JsonBody,
    )
)]
#[post("/sections")]
pub async fn create_section(
    _editor: RequireEditor,
    state: web::Data<AppState>,
    body: JsonForm<NewSectionRequest>,
) -> Result<Created<SectionDto>, ApiError> {
    let JsonForm {
        value: req,
        mut errors,
    } = body;
    let ctx = state.ctx();
    let names = errors.required("names", req.names.clone());
    if let Some(names) = &names {
        check_map(&mut errors, "names", names, &ctx.site, 100, true);
    }
    let names = names.unwrap_or_default();
    check_map(
        &mut errors,
        "descriptions",
        &req.descriptions,
        &ctx.site,
        1_000,
        false,
    );
    check_slug(&mut errors, req.slug.as_deref());
    if !errors.is_empty() {
        return Err(errors.into_validation());
    }
    let dto = state
        .write(move |tx| {
            let name = names
                .get(&ctx.site.default_language)
                .cloned()
                .unwrap_or_default();
            let slug = pick_slug(req.slug.as_deref(), &name, |s| {
                Ok(queries::slug_exists(tx, s, None)?)
            })?;
            let position = match req.position {
                Some(p) => p,
                None => queries::next_position(tx)?,
            };
            let trimmed = |m: &BTreeMap<String, String>| {
                Localized(
                    m.iter()
                        .map(|(k, v)| (k.clone(), v.trim().to_string()))
                        .collect(),
                )
                .to_json()
            };
            let id = queries::insert(
                tx,
                &NewSection {
                    slug: &slug,
                    names: trimmed(&names),
                    descriptions: trimmed(&req.descriptions),
                    position,
                    created_at: ctx.now,
                    updated_at: ctx.now,
                },
            )?;
            tx.announce(UPSERT, SECTION, id);
            editorial_dto(tx, &ctx, id)
        })
        .await?;
    Ok(Created {
        location: format!("/api/v1/sections/{}", dto.id),
        body: dto,
    })
}

/// Changes a section (merge patch). Editors and admins.
///
/// Absent fields stay as they are; in `names` and `descriptions` each language given is set
/// and `null` removes it (the default language's name cannot be removed).
#[utoipa::path(
    tag = "sections",
    security(("bearer" = [])),
    params(("ref" = ResourceRef, Path, description = "Section id or slug")),
    request_body = UpdateSectionRequest,
    responses(
        (status = 200, description = "Updated", body = SectionDto),
        SignedIn, Forbidden, NotFound, Conflict, JsonBody,
    )
)]
#[patch("/sections/{ref}")]
pub async fn update_section(
    _editor: RequireEditor,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: JsonForm<UpdateSectionRequest>,
) -> Result<Private<SectionDto>, ApiError> {
    let r = Ref::parse(&path)?;
    let JsonForm {
        value: req,
        errors: shape,
    } = body;
    let ctx = state.ctx();
    let dto = state
        .write(move |tx| {
            let row =
                queries::find(tx, &r)?.ok_or_else(|| ApiError::not_found("no such section"))?;
            let merge = |current: &str, patch: &Option<BTreeMap<String, Option<String>>>| {
                let mut map = Localized::parse(current).0;
                for (lang, value) in patch.iter().flatten() {
                    match value {
                        Some(v) => map.insert(lang.clone(), v.trim().to_string()),
                        None => map.remove(lang),
                    };
                }
                map
            };
            let names = merge(&row.names, &req.names);
            let descriptions = merge(&row.descriptions, &req.descriptions);
            let mut errors = shape.clone();
            check_map(&mut errors, "names", &names, &ctx.site, 100, true);
            check_map(
                &mut errors,
                "descriptions",
                &descriptions,
                &ctx.site,
                1_000,
                false,
            );
            check_slug(&mut errors, req.slug.as_deref());
            if !errors.is_empty() {
                return Err(errors.into_validation());
            }
            let slug = match &req.slug {
                Some(s) => Some(pick_slug(Some(s), "", |s| {
                    Ok(queries::slug_exists(tx, s, Some(row.id))?)
                })?),
                None => None,
            };
            queries::update(
                tx,
                row.id,
                &SectionChanges {
                    slug,
                    names: req.names.is_some().then(|| Localized(names).to_json()),
                    descriptions: req
                        .descriptions
                        .is_some()
                        .then(|| Localized(descriptions).to_json()),
                    position: req.position,
                    updated_at: Some(ctx.now),
                },
            )?;
            tx.announce(UPSERT, SECTION, row.id);
            editorial_dto(tx, &ctx, row.id)
        })
        .await?;
    Ok(Private(dto))
}

/// Deletes a section.
///
/// A section that still has articles cannot be deleted (409 `in_use`): move or delete them
/// first. Editors and admins.
#[utoipa::path(
    tag = "sections",
    security(("bearer" = [])),
    params(("ref" = ResourceRef, Path, description = "Section id or slug")),
    responses(
        (status = 204, description = "Deleted"),
        SignedIn, Forbidden, NotFound, Conflict,
    )
)]
#[delete("/sections/{ref}")]
pub async fn delete_section(
    _editor: RequireEditor,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<NoContent, ApiError> {
    let r = Ref::parse(&path)?;
    state
        .write(move |tx| {
            let row =
                queries::find(tx, &r)?.ok_or_else(|| ApiError::not_found("no such section"))?;
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
            queries::delete(tx, row.id)?;
            tx.announce(DELETE, SECTION, row.id);
            Ok(())
        })
        .await?;
    Ok(NoContent)
}
