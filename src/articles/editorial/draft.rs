//! What an editor sends, validated: a new article ([`NewDraft`]) or changes to one
//! ([`Edit`]), with every reference resolved. Every problem is collected, with those of the
//! body's shape, before any is answered (one 422 listing them all); code that stores a draft
//! trusts it.

use super::super::dto::{CoverInput, NewArticleRequest, RefInput, UpdateArticleRequest};
use super::super::model::{ArticleChanges, BodyRow, SummaryRow};
use super::super::queries;
use crate::db::DbConnection;
use crate::domain::Status;
use crate::domain::slug::{pick_slug, slug_problem};
use crate::error::{ApiError, FieldError};
use crate::http::params::{Errors, Ref};
use crate::markup::{RenderedBody, render_markdown};
use crate::media::queries as media_queries;
use crate::settings::Site;

/// Longest title, lead, source and cover caption or credit, in characters.
pub const MAX_TITLE: usize = 300;
const MAX_LEAD: usize = 2_000;
const MAX_SOURCE: usize = 300;
const MAX_CAPTION: usize = 1_000;

/// A new article, validated.
pub struct NewDraft {
    pub title: String,
    pub lang: String,
    /// Chosen by the editor, or generated from the title when stored.
    pub slug: Option<String>,
    pub lead: String,
    pub body_md: String,
    pub body: RenderedBody,
    pub section: i64,
    pub authors: Vec<i64>,
    pub tags: Vec<i64>,
    pub translation_group: Option<i64>,
    pub cover: Option<CoverInput>,
    pub gallery: Vec<i64>,
    pub source: Option<String>,
    pub featured: bool,
}

impl NewDraft {
    /// Validates `req`; `byline` is the writer's own author profile, the byline when none is
    /// given; `errors` holds the problems of the body's shape already.
    pub fn parse(
        conn: &mut DbConnection,
        req: &NewArticleRequest,
        site: &Site,
        byline: Option<i64>,
        mut errors: Errors,
    ) -> Result<Self, ApiError> {
        let title = errors.required("title", req.title.as_deref().map(str::trim));
        if let Some(title) = title {
            check_len(&mut errors, "title", title, 1, MAX_TITLE);
        }
        let lang = errors.required("lang", req.lang.as_deref());
        if let Some(lang) = lang {
            check_lang(&mut errors, site, lang);
        }
        if let Some(slug) = &req.slug {
            check_slug(&mut errors, slug);
        }
        let lead = req.lead.clone().unwrap_or_default();
        check_len(&mut errors, "lead", &lead, 0, MAX_LEAD);
        if let Some(source) = &req.source {
            check_len(&mut errors, "source", source, 0, MAX_SOURCE);
        }
        if let Some(cover) = &req.cover {
            check_cover(conn, &mut errors, cover)?;
        }
        let gallery = match &req.gallery {
            Some(ids) => check_gallery(conn, &mut errors, ids)?,
            None => Vec::new(),
        };
        let section = match errors.required("section", req.section.as_ref()) {
            Some(section) => resolve_section(conn, &mut errors, section)?,
            None => None,
        };
        let mut authors = match &req.authors {
            Some(list) => resolve_list(conn, &mut errors, "authors", list, author_id_of)?,
            None => byline.into_iter().collect(),
        };
        authors.dedup();
        let tags = match &req.tags {
            Some(list) => resolve_list(conn, &mut errors, "tags", list, tag_id_of)?,
            None => Vec::new(),
        };
        let translation_group = match (req.translation_of, lang) {
            (Some(origin), Some(lang)) => join_group(conn, &mut errors, origin, lang, None)?,
            _ => None,
        };
        let (Some(title), Some(lang), Some(section)) = (title, lang, section) else {
            return Err(errors.into_validation());
        };
        errors.check()?;
        let body_md = req.body.clone().unwrap_or_default();
        Ok(NewDraft {
            title: title.to_string(),
            lang: lang.to_string(),
            slug: req.slug.clone(),
            lead,
            body: render_markdown(&body_md),
            body_md,
            section,
            authors,
            tags,
            translation_group,
            cover: req.cover.clone(),
            gallery,
            source: req.source.clone(),
            featured: req.featured.unwrap_or(false),
        })
    }

    /// The slug to store: the chosen one (409 `slug_taken` when another article of the
    /// language has it), or one generated from the title.
    pub fn slug(&self, conn: &mut DbConnection) -> Result<String, ApiError> {
        pick_slug(self.slug.as_deref(), &self.title, |s| {
            Ok(queries::slug_exists(conn, &self.lang, s, None)?)
        })
        .map_err(|e| match e {
            ApiError::Conflict { .. } => {
                slug_taken(self.slug.as_deref().unwrap_or_default(), &self.lang)
            }
            other => other,
        })
    }
}

/// Changes to an article, validated against its current state.
pub struct Edit {
    pub changes: ArticleChanges,
    pub authors: Option<Vec<i64>>,
    pub tags: Option<Vec<i64>>,
    /// A new gallery (empty: none).
    pub gallery: Option<Vec<i64>>,
}

impl Edit {
    /// Validates the merge patch `patch` of the article `row` (with `current`'s body and
    /// translation group); `errors` holds the problems of the body's shape already.
    pub fn parse(
        conn: &mut DbConnection,
        patch: &UpdateArticleRequest,
        row: &SummaryRow,
        current: &BodyRow,
        site: &Site,
        mut errors: Errors,
    ) -> Result<Self, ApiError> {
        let id = row.id;
        let mut changes = ArticleChanges::default();
        let title = match &patch.title {
            Some(t) => {
                let t = t.trim().to_string();
                check_len(&mut errors, "title", &t, 1, MAX_TITLE);
                changes.title = Some(t.clone());
                t
            }
            None => row.title.clone(),
        };
        let lang = match &patch.lang {
            Some(l) => {
                check_lang(&mut errors, site, l);
                changes.lang = Some(l.clone());
                l.clone()
            }
            None => row.lang.clone(),
        };
        if let Some(Some(slug)) = &patch.slug {
            check_slug(&mut errors, slug);
        }
        if let Some(lead) = &patch.lead {
            let lead = lead.clone().unwrap_or_default();
            check_len(&mut errors, "lead", &lead, 0, MAX_LEAD);
            changes.lead = Some(lead);
        }
        if let Some(source) = &patch.source {
            if let Some(s) = source {
                check_len(&mut errors, "source", s, 0, MAX_SOURCE);
            }
            changes.source = Some(source.clone());
        }
        if let Some(cover) = &patch.cover {
            if let Some(c) = cover {
                check_cover(conn, &mut errors, c)?;
            }
            changes.cover_url = Some(cover.as_ref().and_then(|c| c.url.clone()));
            changes.cover_media_id = Some(cover.as_ref().and_then(|c| c.media_id));
            changes.cover_caption = Some(cover.as_ref().and_then(|c| c.caption.clone()));
            changes.cover_credit = Some(cover.as_ref().and_then(|c| c.credit.clone()));
        }
        let gallery = match &patch.gallery {
            Some(ids) => Some(check_gallery(
                conn,
                &mut errors,
                ids.as_deref().unwrap_or_default(),
            )?),
            None => None,
        };
        if let Some(section) = &patch.section {
            changes.section_id = resolve_section(conn, &mut errors, section)?;
        }
        let authors = match &patch.authors {
            Some(list) => Some(resolve_list(
                conn,
                &mut errors,
                "authors",
                list.as_deref().unwrap_or_default(),
                author_id_of,
            )?),
            None => None,
        };
        let tags = match &patch.tags {
            Some(list) => Some(resolve_list(
                conn,
                &mut errors,
                "tags",
                list.as_deref().unwrap_or_default(),
                tag_id_of,
            )?),
            None => None,
        };
        match patch.translation_of {
            Some(Some(origin)) => {
                changes.translation_group =
                    Some(join_group(conn, &mut errors, origin, &lang, Some(id))?);
            }
            Some(None) => changes.translation_group = Some(None),
            None => {
                if let (Some(_), Some(group)) = (&patch.lang, current.translation_group) {
                    let clash = queries::group_members(conn, group, id)?
                        .iter()
                        .any(|m| m.lang == lang);
                    if clash {
                        errors.push(FieldError::new(
                            "lang",
                            "translation_exists",
                            format!("this story already has a `{lang}` version"),
                        ));
                    }
                }
            }
        }
        if let Some(featured) = patch.featured {
            changes.featured = Some(featured);
        }
        errors.check()?;
        changes.slug = match &patch.slug {
            Some(chosen) => Some(
                pick_slug(chosen.as_deref(), &title, |s| {
                    Ok(queries::slug_exists(conn, &lang, s, Some(id))?)
                })
                .map_err(|e| match e {
                    ApiError::Conflict { .. } => {
                        slug_taken(chosen.as_deref().unwrap_or_default(), &lang)
                    }
                    other => other,
                })?,
            ),
            None if lang != row.lang && queries::slug_exists(conn, &lang, &row.slug, Some(id))? => {
                return Err(slug_taken(&row.slug, &lang));
            }
            None => None,
        };
        if let Some(body) = &patch.body {
            let md = body.clone().unwrap_or_default();
            let rendered = render_markdown(&md);
            changes.body_md = Some(md);
            changes.body_html = Some(rendered.html);
            changes.body_text = Some(rendered.text);
            changes.word_count = Some(rendered.word_count);
        }
        Ok(Edit {
            changes,
            authors,
            tags,
            gallery,
        })
    }
}

fn slug_taken(slug: &str, lang: &str) -> ApiError {
    ApiError::Conflict {
        code: "slug_taken",
        detail: format!("the slug `{slug}` is already used by another `{lang}` article"),
    }
}

fn check_len(errors: &mut Errors, field: &str, value: &str, min: usize, max: usize) {
    let n = value.chars().count();
    if n < min || n > max {
        let message = if min > 0 {
            format!("must be {min} to {max} characters")
        } else {
            format!("must be at most {max} characters")
        };
        errors.push(FieldError::new(
            field,
            if n < min { "required" } else { "too_long" },
            message,
        ));
    }
}

/// A cover is an uploaded image that exists or an external http(s) URL, not both.
fn check_cover(
    conn: &mut DbConnection,
    errors: &mut Errors,
    cover: &CoverInput,
) -> Result<(), ApiError> {
    match (cover.media_id, cover.url.as_deref().map(url::Url::parse)) {
        (Some(_), Some(_)) => errors.push(FieldError::new(
            "cover",
            "ambiguous_cover",
            "give either media_id or url, not both",
        )),
        (Some(id), None) => {
            if media_queries::existing(conn, &[id])?.is_empty() {
                errors.push(FieldError::new(
                    "cover.media_id",
                    "unknown_media",
                    "no media with this id",
                ));
            }
        }
        (None, Some(Ok(u))) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {}
        (None, None) => errors.push(FieldError::new(
            "cover.url",
            "required",
            "give media_id (an uploaded image) or url (an external one)",
        )),
        (None, Some(_)) => errors.push(FieldError::new(
            "cover.url",
            "invalid_url",
            "must be an http(s) URL",
        )),
    }
    for (field, value) in [
        ("cover.caption", &cover.caption),
        ("cover.credit", &cover.credit),
    ] {
        if let Some(v) = value {
            check_len(errors, field, v, 0, MAX_CAPTION);
        }
    }
    Ok(())
}

/// Longest gallery.
const MAX_GALLERY: usize = 100;

/// A gallery names existing media, each once, at most [`MAX_GALLERY`].
fn check_gallery(
    conn: &mut DbConnection,
    errors: &mut Errors,
    ids: &[i64],
) -> Result<Vec<i64>, ApiError> {
    if ids.len() > MAX_GALLERY {
        errors.push(FieldError::new(
            "gallery",
            "too_long",
            format!("at most {MAX_GALLERY} images"),
        ));
        return Ok(Vec::new());
    }
    let found = media_queries::existing(conn, ids)?;
    let mut seen = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        if !found.contains(id) {
            errors.push(FieldError::new(
                format!("gallery[{i}]"),
                "unknown_media",
                "no media with this id",
            ));
        } else if seen.contains(id) {
            errors.push(FieldError::new(
                format!("gallery[{i}]"),
                "duplicate",
                "this image is already in the gallery",
            ));
        } else {
            seen.push(*id);
        }
    }
    Ok(seen)
}

fn check_lang(errors: &mut Errors, site: &Site, lang: &str) {
    if !site.languages.iter().any(|l| l == lang) {
        errors.push(FieldError::new(
            "lang",
            "unknown_language",
            format!("must be one of: {}", site.languages.join(", ")),
        ));
    }
}

fn check_slug(errors: &mut Errors, slug: &str) {
    if let Some(problem) = slug_problem(slug) {
        errors.push(problem);
    }
}

fn to_ref(input: &RefInput) -> Option<Ref> {
    match input {
        RefInput::Id(id) if *id > 0 => Some(Ref::Id(*id)),
        RefInput::Id(_) => None,
        RefInput::Slug(s) => Ref::parse(s).ok(),
    }
}

/// Resolves a section reference, recording a field error when it names nothing.
fn resolve_section(
    conn: &mut DbConnection,
    errors: &mut Errors,
    input: &RefInput,
) -> Result<Option<i64>, ApiError> {
    let found = match to_ref(input) {
        Some(r) => crate::sections::queries::find(conn, &r)?.map(|s| s.id),
        None => None,
    };
    if found.is_none() {
        errors.push(FieldError::new(
            "section",
            "unknown_section",
            "no section with this id or slug",
        ));
    }
    Ok(found)
}

/// Resolves author or tag references in order, one field error per unknown entry.
fn resolve_list(
    conn: &mut DbConnection,
    errors: &mut Errors,
    field: &str,
    inputs: &[RefInput],
    find: fn(&mut DbConnection, &Ref) -> diesel::QueryResult<Option<i64>>,
) -> Result<Vec<i64>, ApiError> {
    let mut ids = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        let found = match to_ref(input) {
            Some(r) => find(conn, &r)?,
            None => None,
        };
        match found {
            Some(id) if !ids.contains(&id) => ids.push(id),
            Some(_) => {}
            None => errors.push(FieldError::new(
                format!("{field}[{i}]"),
                &format!("unknown_{}", field.trim_end_matches('s')),
                format!("no {} with this id or slug", field.trim_end_matches('s')),
            )),
        }
    }
    Ok(ids)
}

fn author_id_of(conn: &mut DbConnection, r: &Ref) -> diesel::QueryResult<Option<i64>> {
    crate::authors::queries::find(conn, r).map(|a| a.map(|a| a.id))
}

fn tag_id_of(conn: &mut DbConnection, r: &Ref) -> diesel::QueryResult<Option<i64>> {
    crate::tags::queries::find(conn, r).map(|t| t.map(|t| t.id))
}

/// The translation group an article joins by naming `origin` as its original: the origin's
/// group, created on the origin when it has none yet.
fn join_group(
    conn: &mut DbConnection,
    errors: &mut Errors,
    origin: i64,
    lang: &str,
    me: Option<i64>,
) -> Result<Option<i64>, ApiError> {
    // Two stories joining one group at once must not both take the same language.
    queries::lock(conn, origin)?;
    let Some((row, body)) =
        queries::find_by_id(conn, origin)?.filter(|(s, _)| s.status != Status::Deleted)
    else {
        errors.push(FieldError::new(
            "translation_of",
            "unknown_article",
            "no article with this id",
        ));
        return Ok(None);
    };
    if Some(row.id) == me {
        errors.push(FieldError::new(
            "translation_of",
            "self_reference",
            "an article cannot translate itself",
        ));
        return Ok(None);
    }
    let group = body.translation_group.unwrap_or(row.id);
    let clash = row.lang == lang
        || queries::group_members(conn, group, me.unwrap_or(0))?
            .iter()
            .any(|m| m.lang == lang && Some(m.id) != me);
    if clash {
        errors.push(FieldError::new(
            "translation_of",
            "translation_exists",
            format!("this story already has a `{lang}` version"),
        ));
        return Ok(None);
    }
    if body.translation_group.is_none() {
        queries::update(
            conn,
            row.id,
            &ArticleChanges {
                translation_group: Some(Some(row.id)),
                ..ArticleChanges::default()
            },
        )?;
    }
    Ok(Some(group))
}
