//! SQL of authors.

use super::model::{AuthorChanges, AuthorRow, NewAuthor};
use crate::db::schema::{article_authors, authors};

crate::taxonomy_table!(authors, AuthorRow, NewAuthor, AuthorChanges);
crate::taxonomy_linked_queries!(authors, AuthorRow, article_authors, author_id);
