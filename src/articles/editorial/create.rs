//! `POST /articles`: a new draft.

use actix_web::{post, web};

use super::draft::NewDraft;
use super::{load_editorial, revisions};
use crate::articles::dto::{EditorialArticle, NewArticleRequest};
use crate::articles::model::NewArticle;
use crate::articles::queries;
use crate::auth::CurrentUser;
use crate::domain::Status;
use crate::error::ApiError;
use crate::http::docs::{Conflict, JsonBody, SignedIn};
use crate::http::json::JsonForm;
use crate::http::respond::Created;
use crate::media::queries as media_queries;
use crate::state::AppState;

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
            let draft = NewDraft::parse(tx, &req, &ctx.site, user.author_id, shape.clone())?;
            let slug = draft.slug(tx)?;
            let now = ctx.now;
            let cover = draft.cover.clone();
            let id = queries::insert(
                tx,
                &NewArticle {
                    slug,
                    lang: draft.lang.clone(),
                    translation_group: draft.translation_group,
                    title: draft.title.clone(),
                    lead: draft.lead.clone(),
                    body_md: draft.body_md.clone(),
                    body_html: draft.body.html.clone(),
                    body_text: draft.body.text.clone(),
                    cover_url: cover.as_ref().and_then(|c| c.url.clone()),
                    cover_caption: cover.as_ref().and_then(|c| c.caption.clone()),
                    cover_media_id: cover.as_ref().and_then(|c| c.media_id),
                    cover_credit: cover.and_then(|c| c.credit),
                    source: draft.source.clone(),
                    section_id: draft.section,
                    status: Status::Draft,
                    published_at: None,
                    created_at: now,
                    updated_at: now,
                    featured: draft.featured,
                    word_count: draft.body.word_count,
                    views: 0,
                    created_by: Some(user.id),
                },
                &draft.authors,
                &draft.tags,
            )?;
            media_queries::replace_gallery(tx, id, &draft.gallery)?;
            revisions::record(tx, id, user.id, now)?;
            tx.touch();
            load_editorial(tx, &ctx, id)
        })
        .await?;
    Ok(Created {
        location: format!("/api/v1/articles/{}", result.article.summary.id),
        body: result,
    })
}
