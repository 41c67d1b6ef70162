//! Section endpoints: the menu in order, and the operations every taxonomy shares.

use std::collections::HashMap;

use actix_web::{HttpRequest, delete, get, patch, post, web};

use super::dto::{
    NewSectionRequest, SectionDto, SectionListQuery, SectionQuery, UpdateSectionRequest,
};
use super::{Sections, queries};
use crate::error::ApiError;
use crate::http::cursor::Position;
use crate::http::docs::PublicRead;
use crate::http::pagination::{Page, split_probe};
use crate::http::params::{Errors, Limit, Query, parse_lang};
use crate::http::respond::{Public, Rendered};
use crate::state::AppState;
use crate::taxonomy::Represent;

const ORDER: &str = "position";

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
                    SectionDto::represent(r, lang.as_deref(), &ctx.site, Some(count))
                })
                .collect();
            Rendered::page(&Page::new(data, limit.get(), next))
        })
        .await
}

crate::taxonomy_routes! {
    kind: Sections,
    tag: "sections",
    collection: "/sections",
    item: "/sections/{ref}",
    dto: SectionDto,
    new: NewSectionRequest,
    update: UpdateSectionRequest,
    item_query: SectionQuery,
    ref_doc: "Section id or slug",
    ref_example: "world",
    found: "The section",
    location: "The new section",
    delete_refused: [crate::http::docs::Conflict],
    /// One section.
    ///
    /// By id or slug, with its name and description in `?lang=` (and every language in `names`
    /// and `descriptions`) and the number of its published articles.
    get get_section,
    /// Creates a section. Editors and admins.
    ///
    /// Names are given per language (the default language is required); the slug is generated
    /// from the default-language name when left out, and a taken one is a 409 `slug_taken`.
    create create_section,
    /// Changes a section (merge patch). Editors and admins.
    ///
    /// Absent fields stay as they are; in `names` and `descriptions` each language given is set
    /// and `null` removes it (the default language's name cannot be removed).
    update update_section,
    /// Deletes a section.
    ///
    /// A section that still has articles cannot be deleted (409 `in_use`): move or delete them
    /// first. Editors and admins.
    delete delete_section,
    also: [list_sections],
}
