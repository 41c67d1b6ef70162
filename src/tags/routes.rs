//! Tag endpoints: the list by name, and the operations every taxonomy shares.

use actix_web::{delete, get, patch, post};

use super::Tags;
use super::dto::{NewTagRequest, TagDto, UpdateTagRequest};
use crate::http::pagination::Page;
use crate::taxonomy::NoQuery;

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
    /// The tags, by name.
    ///
    /// Every tag, ordered by name and paged by cursor.
    list_by_name list_tags: "A page of tags",
    also: [],
}
