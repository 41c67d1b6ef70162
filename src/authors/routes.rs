//! Author endpoints: the list by name, and the operations every taxonomy shares.

use actix_web::{HttpRequest, delete, get, patch, post, web};

use super::Authors;
use super::dto::{AuthorDto, NewAuthorRequest, UpdateAuthorRequest};
use super::queries;
use crate::error::ApiError;
use crate::http::docs::PublicRead;
use crate::http::pagination::{Page, PageQuery};
use crate::http::params::Query;
use crate::http::respond::Public;
use crate::state::AppState;
use crate::taxonomy::{NoQuery, listing};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_authors)
        .service(get_author)
        .service(create_author)
        .service(update_author)
        .service(delete_author);
}

/// The authors, by name.
///
/// Every author profile, ordered by name and paged by cursor.
#[utoipa::path(
    tag = "authors",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of authors", body = Page<AuthorDto>),
        PublicRead,
    )
)]
#[get("/authors")]
pub async fn list_authors(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: Query<PageQuery>,
) -> Result<Public<Page<AuthorDto>>, ApiError> {
    listing::by_name(
        &req,
        &state,
        &query,
        queries::list,
        |r| (r.name.clone(), r.id),
        |r| AuthorDto::new(r, None),
    )
    .await
}

crate::taxonomy_routes! {
    kind: Authors,
    tag: "authors",
    collection: "/authors",
    item: "/authors/{ref}",
    dto: AuthorDto,
    new: NewAuthorRequest,
    update: UpdateAuthorRequest,
    item_query: NoQuery,
    ref_doc: "Author id or slug",
    ref_example: "leyla-mammadova",
    found: "The author, with `article_count`",
    location: "The new author",
    delete_refused: [crate::http::docs::Conflict],
    /// One author.
    ///
    /// By id or slug, with the number of published articles in the author's byline.
    get get_author,
    /// Creates an author profile. Editors and admins.
    ///
    /// The slug is generated from the name (transliterated) when left out; a taken one is a 409
    /// `slug_taken`.
    create create_author,
    /// Changes an author profile (merge patch). Editors and admins.
    ///
    /// Absent fields stay as they are; `null` clears `bio` and `avatar_url`. Articles show the
    /// new name at once.
    update update_author,
    /// Deletes an author profile.
    ///
    /// An author still in the byline of an article cannot be deleted (409 `in_use`). Editors and
    /// admins.
    delete delete_author,
}
