//! `PATCH /articles/{id}`: a merge patch of an article.

use actix_web::{patch, web};

use super::draft::Edit;
use super::{article_id, live_article, load_editorial, policy, revisions};
use crate::articles::dto::{EditorialArticle, UpdateArticleRequest};
use crate::articles::model::ArticleChanges;
use crate::articles::queries;
use crate::auth::CurrentUser;
use crate::domain::Exposure;
use crate::error::ApiError;
use crate::http::docs::{Conflict, Forbidden, JsonBody, NotFound, SignedIn};
use crate::http::json::JsonForm;
use crate::http::respond::Private;
use crate::media::queries as media_queries;
use crate::redirects::article_path;
use crate::redirects::queries as redirects;
use crate::state::AppState;

/// Edits an article (JSON merge patch).
///
/// An absent field stays as it is; `null` clears it. Writers may edit only their own drafts.
/// Each save keeps the previous state as a revision. Editing a public article announces it in
/// the change feed; changing a public article's slug or language keeps its old path as a
/// redirect (`GET /redirects`, and a 301 from `GET /articles/{old-slug}`).
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
            let (row, current) = live_article(tx, id)?;
            policy::check_may_edit(&user, &row, current.created_by)?;
            let edit = Edit::parse(tx, &patch, &row, &current, &ctx.site, shape.clone())?;
            let changes = ArticleChanges {
                updated_at: Some(ctx.now),
                ..edit.changes.clone()
            };
            queries::update(tx, id, &changes)?;
            let exposure = Exposure::of(row.status, row.published_at, ctx.now);
            let (lang, slug) = (
                changes.lang.as_deref().unwrap_or(&row.lang),
                changes.slug.as_deref().unwrap_or(&row.slug),
            );
            if (lang, slug) != (row.lang.as_str(), row.slug.as_str()) {
                // Its new address is its own; a public article's old one leads to it.
                redirects::forget(tx, &article_path(lang, slug))?;
                if exposure == Exposure::Public {
                    redirects::record(tx, &article_path(&row.lang, &row.slug), id, ctx.now)?;
                }
            }
            if edit.authors.is_some() || edit.tags.is_some() {
                let feed_at = queries::feed_at(row.status, row.published_at);
                let (authors, tags) = (edit.authors.as_deref(), edit.tags.as_deref());
                queries::replace_links(tx, id, authors, tags, feed_at)?;
            }
            if let Some(gallery) = &edit.gallery {
                media_queries::replace_gallery(tx, id, gallery)?;
            }
            revisions::record(tx, id, user.id, ctx.now)?;
            tx.article_moved(id, exposure, exposure);
            load_editorial(tx, &ctx, id)
        })
        .await?;
    Ok(Private(result))
}
