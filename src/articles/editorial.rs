//! Editorial article endpoints: create, edit, delete, publish, schedule, unpublish, archive,
//! revisions. Writers create articles and edit their own drafts; editors and admins handle
//! everything and alone may publish.

use actix_web::{delete, get, patch, post, web};
use chrono::{DateTime, NaiveDateTime, Utc};

use super::dto::{
    Article, CoverInput, EditorialArticle, NewArticleRequest, PublishRequest, RefInput, Revision,
    RevisionList, RevisionSummary, ShareLinks, Snapshot, Translation, UpdateArticleRequest,
};
use super::feed;
use super::model::{ArticleChanges, BodyRow, NewArticle, SummaryRow};
use super::queries;
use crate::auth::{CurrentUser, RequireEditor};
use crate::clock::utc;
use crate::db::DbConnection;
use crate::domain::Exposure;
use crate::domain::Status;
use crate::domain::slug::{pick_slug, slug_problem};
use crate::error::{ApiError, FieldError};
use crate::http::docs::{Conflict, Forbidden, JsonBody, NotFound, SignedIn};
use crate::http::json::{JsonForm, MaybeJson};
use crate::http::params::{Errors, Ref};
use crate::http::respond::{Created, NoContent, Private};
use crate::index::queries as search_queries;
use crate::markup::render_markdown;
use crate::state::{AppState, Ctx};
use crate::write::Tx;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_article)
        .service(update_article)
        .service(delete_article)
        .service(publish_article)
        .service(unpublish_article)
        .service(archive_article)
        .service(list_revisions)
        .service(get_revision);
}

pub const MAX_TITLE: usize = 300;
const MAX_LEAD: usize = 2_000;
const MAX_SOURCE: usize = 300;
const MAX_CAPTION: usize = 1_000;

fn article_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| {
        ApiError::invalid_param("ref", "invalid_id", "must be a positive integer article id")
    })
}

fn not_found() -> ApiError {
    ApiError::not_found("no article with that id")
}

/// 404 unless the article exists and is not deleted: a deleted article's revisions are gone
/// with it.
fn live_article(conn: &mut DbConnection, id: i64) -> Result<(), ApiError> {
    queries::find_by_id(conn, id)?
        .filter(|(s, _)| s.status != Status::Deleted)
        .map(|_| ())
        .ok_or_else(not_found)
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

fn check_cover(errors: &mut Errors, cover: &CoverInput) {
    match cover.url.as_deref().map(url::Url::parse) {
        Some(Ok(u)) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {}
        None => errors.push(FieldError::new("cover.url", "required", "is required")),
        Some(_) => errors.push(FieldError::new(
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
}

fn check_lang(errors: &mut Errors, ctx: &Ctx, lang: &str) {
    if !ctx.site.languages.iter().any(|l| l == lang) {
        errors.push(FieldError::new(
            "lang",
            "unknown_language",
            format!("must be one of: {}", ctx.site.languages.join(", ")),
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
            .any(|(l, id, _, _)| l == lang && Some(*id) != me);
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

/// Puts an article's current text into the search index.
fn reindex(conn: &mut DbConnection, id: i64) -> Result<(), ApiError> {
    let (row, body) = queries::find_by_id(conn, id)?.ok_or_else(not_found)?;
    search_queries::index(
        conn,
        &[search_queries::Doc {
            id,
            lang: &row.lang,
            title: &row.title,
            lead: &row.lead,
            body: &body.body_text,
        }],
    )?;
    Ok(())
}

/// The state of an article as a revision records it.
fn snapshot(conn: &mut DbConnection, id: i64) -> Result<Snapshot, ApiError> {
    let (row, body) = queries::find_by_id(conn, id)?.ok_or_else(not_found)?;
    let (author_ids, tag_ids) = queries::link_ids(conn, id)?;
    Ok(Snapshot {
        title: row.title,
        slug: row.slug,
        lang: row.lang,
        lead: row.lead,
        body_md: body.body_md,
        section_id: row.section_id,
        author_ids,
        tag_ids,
        cover_url: row.cover_url,
        cover_caption: row.cover_caption,
        cover_credit: row.cover_credit,
        source: body.source,
        featured: row.featured,
        status: row.status.into(),
        published_at: row.published_at.map(utc),
        translation_group: body.translation_group,
    })
}

fn record_revision(
    conn: &mut DbConnection,
    id: i64,
    by: i64,
    now: NaiveDateTime,
) -> Result<i32, ApiError> {
    let state = serde_json::to_string(&snapshot(conn, id)?)
        .map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(queries::add_revision(conn, id, &state, Some(by), now)?)
}

/// The editorial representation of one article.
pub fn load_editorial(
    conn: &mut DbConnection,
    ctx: &Ctx,
    id: i64,
) -> Result<EditorialArticle, ApiError> {
    let (row, body) = queries::find_by_id(conn, id)?
        .filter(|(s, _)| s.status != Status::Deleted)
        .ok_or_else(not_found)?;
    editorial_view(conn, ctx, row, body)
}

fn editorial_view(
    conn: &mut DbConnection,
    ctx: &Ctx,
    row: SummaryRow,
    body: BodyRow,
) -> Result<EditorialArticle, ApiError> {
    let id = row.id;
    let translations = match body.translation_group {
        Some(group) => queries::group_members(conn, group, id)?
            .into_iter()
            .map(|(lang, id, slug, title)| Translation {
                lang,
                id,
                slug,
                title,
            })
            .collect(),
        None => Vec::new(),
    };
    let summary = feed::summaries(conn, ctx, vec![row], None)?
        .pop()
        .ok_or_else(|| ApiError::internal("summary of a loaded row is missing"))?;
    let share = ShareLinks::new(&summary.canonical_url, &summary.title);
    Ok(EditorialArticle {
        revision: queries::latest_revision(conn, id)?,
        body_md: body.body_md,
        created_at: utc(body.created_at),
        created_by: body.created_by,
        article: Article {
            summary,
            body_html: body.body_html,
            body_text: body.body_text,
            source: body.source,
            share,
            translations,
        },
    })
}

/// Whether `user` may see this article in the editorial view: editors see everything that is
/// not deleted; writers see their own articles and public ones.
pub fn may_view(
    user: &CurrentUser,
    row: &SummaryRow,
    created_by: Option<i64>,
    now: NaiveDateTime,
) -> bool {
    row.status != Status::Deleted
        && (user.role.is_editor()
            || created_by == Some(user.id)
            || Exposure::of(row.status, row.published_at, now) == Exposure::Public)
}

/// Writers may change only their own drafts.
fn check_may_edit(
    user: &CurrentUser,
    row: &SummaryRow,
    created_by: Option<i64>,
) -> Result<(), ApiError> {
    if user.role.is_editor() {
        return Ok(());
    }
    if created_by != Some(user.id) {
        return Err(ApiError::Forbidden(
            "writers may change only their own articles".into(),
        ));
    }
    if row.status != Status::Draft {
        return Err(ApiError::Forbidden(
            "writers may change only drafts; ask an editor".into(),
        ));
    }
    Ok(())
}

/// Creates an article (a draft).
///
/// Writers, editors and admins. The slug is generated from the title with Cyrillic and
/// Azerbaijani letters transliterated (`Выборы в Баку` → `vybory-v-baku`), with a numeric
/// suffix when taken; a slug chosen explicitly and already taken is a 409 `slug_taken`.
/// The Markdown body is stored with its sanitized HTML: scripts, event handlers and
/// `javascript:` URLs never survive.
#[utoipa::path(
    tag = "editorial",
    security(("bearer" = [])),
    request_body = NewArticleRequest,
    responses(
        (status = 201, description = "Created", body = EditorialArticle, headers(("Location" = String, description = "The new article"))),
        SignedIn, Conflict, JsonBody,
    )
)]
#[post("/articles")]
pub async fn create_article(
    user: CurrentUser,
    state: web::Data<AppState>,
    body: JsonForm<NewArticleRequest>,
) -> Result<Created<EditorialArticle>, ApiError> {
    let JsonForm {
        value: req,
        errors: shape,
    } = body;
    let ctx = state.ctx();
    let result = state
        .write(move |tx| {
            let mut errors = shape.clone();
            let title = errors.required("title", req.title.as_deref().map(str::trim));
            if let Some(title) = title {
                check_len(&mut errors, "title", title, 1, MAX_TITLE);
            }
            let lang = errors.required("lang", req.lang.as_deref());
            if let Some(lang) = lang {
                check_lang(&mut errors, &ctx, lang);
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
                check_cover(&mut errors, cover);
            }
            let section = match errors.required("section", req.section.as_ref()) {
                Some(section) => resolve_section(tx, &mut errors, section)?,
                None => None,
            };
            let mut authors = match &req.authors {
                Some(list) => resolve_list(tx, &mut errors, "authors", list, author_id_of)?,
                None => user.author_id.into_iter().collect(),
            };
            authors.dedup();
            let tags = match &req.tags {
                Some(list) => resolve_list(tx, &mut errors, "tags", list, tag_id_of)?,
                None => Vec::new(),
            };
            let group = match (req.translation_of, lang) {
                (Some(origin), Some(lang)) => join_group(tx, &mut errors, origin, lang, None)?,
                _ => None,
            };
            let (Some(title), Some(lang), Some(section)) = (title, lang, section) else {
                return Err(errors.into_validation());
            };
            errors.check()?;
            let slug = pick_slug(req.slug.as_deref(), title, |s| {
                Ok(queries::slug_exists(tx, lang, s, None)?)
            })
            .map_err(|e| match e {
                ApiError::Conflict { .. } => {
                    slug_taken(req.slug.as_deref().unwrap_or_default(), lang)
                }
                other => other,
            })?;
            let body_md = req.body.clone().unwrap_or_default();
            let rendered = render_markdown(&body_md);
            let (cover_url, cover_caption, cover_credit) = match req.cover.clone() {
                Some(c) => (c.url, c.caption, c.credit),
                None => (None, None, None),
            };
            let now = ctx.now;
            let id = queries::insert(
                tx,
                &NewArticle {
                    slug,
                    lang: lang.to_string(),
                    translation_group: group,
                    title: title.to_string(),
                    lead,
                    body_md,
                    body_html: rendered.html,
                    body_text: rendered.text,
                    cover_url,
                    cover_caption,
                    cover_credit,
                    source: req.source.clone(),
                    section_id: section,
                    status: Status::Draft,
                    published_at: None,
                    created_at: now,
                    updated_at: now,
                    featured: req.featured.unwrap_or(false),
                    word_count: rendered.word_count,
                    views: 0,
                    created_by: Some(user.id),
                },
                &authors,
                &tags,
            )?;
            record_revision(tx, id, user.id, now)?;
            tx.touch();
            load_editorial(tx, &ctx, id)
        })
        .await?;
    state.after_write().await;
    Ok(Created {
        location: format!("/api/v1/articles/{}", result.article.summary.id),
        body: result,
    })
}

/// Edits an article (JSON merge patch).
///
/// An absent field stays as it is; `null` clears it. Writers may edit only their own drafts.
/// Each save keeps the previous state as a revision. Editing a public article announces it in
/// the change feed.
#[utoipa::path(
    tag = "editorial",
    security(("bearer" = [])),
    params(("ref" = i64, Path, minimum = 1, description = "Article id")),
    request_body = UpdateArticleRequest,
    responses(
        (status = 200, description = "Updated", body = EditorialArticle),
        SignedIn, Forbidden, NotFound, Conflict, JsonBody,
    )
)]
#[patch("/articles/{ref}")]
pub async fn update_article(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: JsonForm<UpdateArticleRequest>,
) -> Result<Private<EditorialArticle>, ApiError> {
    let id = article_id(&path)?;
    let JsonForm {
        value: patch,
        errors: shape,
    } = body;
    let ctx = state.ctx();
    let result = state
        .write(move |tx| {
            queries::lock(tx, id)?;
            let (row, current) = queries::find_by_id(tx, id)?
                .filter(|(s, _)| s.status != Status::Deleted)
                .ok_or_else(not_found)?;
            check_may_edit(&user, &row, current.created_by)?;
            let mut errors = shape.clone();
            let mut changes = ArticleChanges {
                updated_at: Some(ctx.now),
                ..ArticleChanges::default()
            };
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
                    check_lang(&mut errors, &ctx, l);
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
                    check_cover(&mut errors, c);
                }
                changes.cover_url = Some(cover.as_ref().and_then(|c| c.url.clone()));
                changes.cover_caption = Some(cover.as_ref().and_then(|c| c.caption.clone()));
                changes.cover_credit = Some(cover.as_ref().and_then(|c| c.credit.clone()));
            }
            if let Some(section) = &patch.section {
                changes.section_id = resolve_section(tx, &mut errors, section)?;
            }
            let authors = match &patch.authors {
                Some(list) => Some(resolve_list(
                    tx,
                    &mut errors,
                    "authors",
                    list.as_deref().unwrap_or_default(),
                    author_id_of,
                )?),
                None => None,
            };
            let tags = match &patch.tags {
                Some(list) => Some(resolve_list(
                    tx,
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
                        Some(join_group(tx, &mut errors, origin, &lang, Some(id))?);
                }
                Some(None) => changes.translation_group = Some(None),
                None => {
                    if patch.lang.is_some() {
                        if let Some(group) = current.translation_group {
                            let clash = queries::group_members(tx, group, id)?
                                .iter()
                                .any(|(l, _, _, _)| *l == lang);
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
            }
            if let Some(featured) = patch.featured {
                changes.featured = Some(featured);
            }
            if !errors.is_empty() {
                return Err(errors.into_validation());
            }
            let slug = match &patch.slug {
                Some(chosen) => Some(
                    pick_slug(chosen.as_deref(), &title, |s| {
                        Ok(queries::slug_exists(tx, &lang, s, Some(id))?)
                    })
                    .map_err(|e| match e {
                        ApiError::Conflict { .. } => {
                            slug_taken(chosen.as_deref().unwrap_or_default(), &lang)
                        }
                        other => other,
                    })?,
                ),
                None if lang != row.lang
                    && queries::slug_exists(tx, &lang, &row.slug, Some(id))? =>
                {
                    return Err(slug_taken(&row.slug, &lang));
                }
                None => None,
            };
            changes.slug = slug;
            if let Some(body) = &patch.body {
                let md = body.clone().unwrap_or_default();
                let rendered = render_markdown(&md);
                changes.body_md = Some(md);
                changes.body_html = Some(rendered.html);
                changes.body_text = Some(rendered.text);
                changes.word_count = Some(rendered.word_count);
            }
            let text_changed = changes.title.is_some()
                || changes.lead.is_some()
                || changes.body_text.is_some()
                || changes.lang.is_some();
            queries::update(tx, id, &changes)?;
            if text_changed {
                reindex(tx, id)?;
            }
            if authors.is_some() || tags.is_some() {
                let feed_at = queries::feed_at(row.status, row.published_at);
                queries::replace_links(tx, id, authors.as_deref(), tags.as_deref(), feed_at)?;
            }
            record_revision(tx, id, user.id, ctx.now)?;
            let exposure = Exposure::of(row.status, row.published_at, ctx.now);
            tx.article_moved(id, exposure, exposure);
            load_editorial(tx, &ctx, id)
        })
        .await?;
    state.after_write().await;
    Ok(Private(result))
}

/// Moves an article to a new status and publish time, with its revision, link keys and
/// change-feed entry, in one transaction.
fn transition(
    tx: &mut Tx<'_>,
    ctx: &Ctx,
    user: &CurrentUser,
    id: i64,
    (status, published_at): (Status, Option<NaiveDateTime>),
) -> Result<EditorialArticle, ApiError> {
    queries::lock(tx, id)?;
    let (row, current) = queries::find_by_id(tx, id)?
        .filter(|(s, _)| s.status != Status::Deleted)
        .ok_or_else(not_found)?;
    if status == Status::Deleted {
        check_may_edit(user, &row, current.created_by)?;
    }
    let before = Exposure::of(row.status, row.published_at, ctx.now);
    let mut changes = ArticleChanges {
        status: Some(status.into()),
        published_at: Some(published_at),
        updated_at: Some(ctx.now),
        ..ArticleChanges::default()
    };
    if status == Status::Deleted {
        // The tombstone keeps its id; its slug is released for new articles.
        changes.slug = Some(format!("{}--deleted-{id}", row.slug));
    }
    queries::update(tx, id, &changes)?;
    if status == Status::Deleted {
        search_queries::unindex(tx, id)?;
    }
    queries::sync_feed_at(tx, id, queries::feed_at(status, published_at))?;
    record_revision(tx, id, user.id, ctx.now)?;
    tx.article_moved(id, before, Exposure::of(status, published_at, ctx.now));
    if status == Status::Deleted {
        let (row, body) = queries::find_by_id(tx, id)?.ok_or_else(not_found)?;
        return editorial_view(tx, ctx, row, body);
    }
    load_editorial(tx, ctx, id)
}

/// Deletes an article.
///
/// It disappears everywhere and leaves a tombstone (a `delete` in the change feed); its slug
/// becomes free. Writers may delete only their own drafts.
#[utoipa::path(
    tag = "editorial",
    security(("bearer" = [])),
    params(("ref" = i64, Path, minimum = 1, description = "Article id")),
    responses(
        (status = 204, description = "Deleted"),
        SignedIn, Forbidden, NotFound,
    )
)]
#[delete("/articles/{ref}")]
pub async fn delete_article(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<NoContent, ApiError> {
    let id = article_id(&path)?;
    let ctx = state.ctx();
    state
        .write(move |tx| transition(tx, &ctx, &user, id, (Status::Deleted, None)))
        .await?;
    Ok(NoContent)
}

/// The publish time a request asks for, or now.
fn publish_time(
    body: Option<PublishRequest>,
    now: NaiveDateTime,
) -> Result<NaiveDateTime, ApiError> {
    let invalid = || {
        ApiError::Validation(vec![FieldError::new(
            "at",
            "invalid_datetime",
            "must be an RFC 3339 timestamp such as 2026-03-02T06:00:00Z",
        )])
    };
    match body.and_then(|b| b.at) {
        None | Some(serde_json::Value::Null) => Ok(now),
        Some(serde_json::Value::String(s)) => DateTime::parse_from_rfc3339(s.trim())
            .map(|t| t.with_timezone(&Utc).naive_utc())
            .map_err(|_| invalid()),
        Some(_) => Err(invalid()),
    }
}

/// Publishes an article now, or schedules it with `{"at": "<RFC 3339>"}`.
///
/// A scheduled article becomes public at its time with no job having to run, and appears in
/// the change feed then. Editors and admins only.
#[utoipa::path(
    tag = "editorial",
    security(("bearer" = [])),
    params(("ref" = i64, Path, minimum = 1, description = "Article id")),
    request_body(content = Option<PublishRequest>, description = "Optional: `{\"at\": ...}` to schedule"),
    responses(
        (status = 200, description = "Published or scheduled", body = EditorialArticle),
        SignedIn, Forbidden, NotFound, JsonBody,
    )
)]
#[post("/articles/{ref}/publish")]
pub async fn publish_article(
    editor: RequireEditor,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: MaybeJson<PublishRequest>,
) -> Result<Private<EditorialArticle>, ApiError> {
    let id = article_id(&path)?;
    let ctx = state.ctx();
    let when = publish_time(body.0, ctx.now)?;
    let user = editor.0;
    let result = state
        .write(move |tx| transition(tx, &ctx, &user, id, (Status::Published, Some(when))))
        .await?;
    Ok(Private(result))
}

/// Takes an article back to draft.
///
/// It disappears from public view (a `delete` in the change feed if it was public). Editors
/// and admins only.
#[utoipa::path(
    tag = "editorial",
    security(("bearer" = [])),
    params(("ref" = i64, Path, minimum = 1, description = "Article id")),
    responses(
        (status = 200, description = "Now a draft", body = EditorialArticle),
        SignedIn, Forbidden, NotFound,
    )
)]
#[post("/articles/{ref}/unpublish")]
pub async fn unpublish_article(
    editor: RequireEditor,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<Private<EditorialArticle>, ApiError> {
    let id = article_id(&path)?;
    let ctx = state.ctx();
    let user = editor.0;
    let result = state
        .write(move |tx| transition(tx, &ctx, &user, id, (Status::Draft, None)))
        .await?;
    Ok(Private(result))
}

/// Archives an article.
///
/// It leaves public view but keeps its publish time. Editors and admins.
#[utoipa::path(
    tag = "editorial",
    security(("bearer" = [])),
    params(("ref" = i64, Path, minimum = 1, description = "Article id")),
    responses(
        (status = 200, description = "Archived", body = EditorialArticle),
        SignedIn, Forbidden, NotFound,
    )
)]
#[post("/articles/{ref}/archive")]
pub async fn archive_article(
    editor: RequireEditor,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<Private<EditorialArticle>, ApiError> {
    let id = article_id(&path)?;
    let ctx = state.ctx();
    let user = editor.0;
    let result = state
        .write(move |tx| {
            queries::lock(tx, id)?;
            let published_at = queries::find_by_id(tx, id)?.and_then(|(s, _)| s.published_at);
            transition(tx, &ctx, &user, id, (Status::Archived, published_at))
        })
        .await?;
    Ok(Private(result))
}

/// The revisions of an article, newest first.
///
/// Every save is a numbered revision (1 is the article as created). Editors and admins; a
/// deleted article's revisions are gone with it (404).
#[utoipa::path(
    tag = "editorial",
    security(("bearer" = [])),
    params(("ref" = i64, Path, minimum = 1, description = "Article id")),
    responses(
        (status = 200, description = "Revisions, newest first", body = RevisionList),
        SignedIn, Forbidden, NotFound,
    )
)]
#[get("/articles/{ref}/revisions")]
pub async fn list_revisions(
    _editor: RequireEditor,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<Private<RevisionList>, ApiError> {
    let id = article_id(&path)?;
    let list = state
        .db
        .run(move |conn| {
            live_article(conn, id)?;
            queries::revisions(conn, id)?
                .into_iter()
                .map(|r| {
                    let snapshot: Snapshot = serde_json::from_str(&r.snapshot)
                        .map_err(|e| ApiError::internal(format!("revision {}: {e}", r.number)))?;
                    Ok(RevisionSummary {
                        number: r.number,
                        created_at: utc(r.created_at),
                        created_by: r.created_by,
                        title: snapshot.title,
                    })
                })
                .collect::<Result<Vec<_>, ApiError>>()
        })
        .await?;
    Ok(Private(RevisionList { data: list }))
}

/// One revision of an article, in full.
///
/// The editable state of the article at that save. Editors and admins.
#[utoipa::path(
    tag = "editorial",
    security(("bearer" = [])),
    params(("ref" = i64, Path, minimum = 1, description = "Article id"), ("n" = i32, Path, minimum = 1, description = "Revision number")),
    responses(
        (status = 200, description = "The revision", body = Revision),
        SignedIn, Forbidden, NotFound,
    )
)]
#[get("/articles/{ref}/revisions/{n}")]
pub async fn get_revision(
    _editor: RequireEditor,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<Private<Revision>, ApiError> {
    let (id, n) = path.into_inner();
    let id = article_id(&id)?;
    let n: i32 = n.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
        ApiError::invalid_param("n", "invalid_number", "must be a positive revision number")
    })?;
    let revision = state
        .db
        .run(move |conn| {
            live_article(conn, id)?;
            let r = queries::revision(conn, id, n)?
                .ok_or_else(|| ApiError::not_found("no such revision"))?;
            let snapshot: Snapshot = serde_json::from_str(&r.snapshot)
                .map_err(|e| ApiError::internal(format!("revision {}: {e}", r.number)))?;
            Ok(Revision {
                number: r.number,
                created_at: utc(r.created_at),
                created_by: r.created_by,
                state: snapshot,
            })
        })
        .await?;
    Ok(Private(revision))
}
