//! Tag endpoints: the list by name, and the operations every taxonomy shares.

use actix_web::{HttpRequest, delete, get, patch, post, web};

use super::Tags;
use super::dto::{NewTagRequest, TagDto, UpdateTagRequest};
use super::queries;
use crate::error::ApiError;
use crate::http::docs::PublicRead;
use crate::http::pagination::{Page, PageQuery};
use crate::http::params::Query;
use crate::http::respond::Public;
use crate::state::AppState;
use crate::taxonomy::{NoQuery, listing};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_tags)
        .service(get_tag)
        .service(create_tag)
        .service(update_tag)
        .service(delete_tag);
}

/// The tags, by name.
///
/// Every tag, ordered by name and paged by cursor.
#[utoipa::path(
    tag = "tags",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of tags", body = Page<TagDto>),
        PublicRead,
    )
)]
#[get("/tags")]
pub async fn list_tags(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: Query<PageQuery>,
) -> Result<Public<Page<TagDto>>, ApiError> {
    listing::by_name(
        &req,
        &state,
        &query,
        queries::list,
        |r| (r.name.clone(), r.id),
        |r| TagDto::new(r, None),
    )
    .await
}

crate::taxonomy_routes! {
    kind: Tags,
    tag: "tags",
    collection: "/tags",
    item: "/tags/{ref}",
    dto: TagDto,
    new: NewTagRequest,
    update: UpdateTagRequest,
    item_query: NoQuery,
    ref_doc: "Tag id or slug",
    ref_example: "energy",
    found: "The tag, with `article_count`",
    location: "The new tag",
    delete_refused: [],
    /// One tag.
    ///
    /// By id or slug, with the number of published articles carrying it.
    get get_tag,
    /// Creates a tag. Editors and admins.
    ///
    /// The slug is generated from the name (transliterated) when left out; a taken one is a 409
    /// `slug_taken`.
    create create_tag,
    /// Renames a tag or changes its slug. Editors and admins.
    ///
    /// Absent fields stay as they are. Public articles carrying the tag appear changed in the
    /// change feed.
    update update_tag,
    /// Deletes a tag.
    ///
    /// It is removed from every article (public ones appear changed in the change feed). Editors
    /// and admins.
    delete delete_tag,
}
