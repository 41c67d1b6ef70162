//! Author endpoints: the list by name, and the operations every taxonomy shares.

use actix_web::{delete, get, patch, post};

use super::Authors;
use super::dto::{AuthorDto, NewAuthorRequest, UpdateAuthorRequest};
use crate::http::pagination::Page;
use crate::taxonomy::NoQuery;

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
    /// The authors, by name.
    ///
    /// Every author profile, ordered by name and paged by cursor.
    list_by_name list_authors: "A page of authors",
    also: [],
}
