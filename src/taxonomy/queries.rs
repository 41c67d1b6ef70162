//! The queries every taxonomy table answers the same way, written once as macros that a
//! resource's `queries` module invokes with its table (the shape of vaultwarden's `db_run!`).

/// `find` (by id or slug), `ids_by_slugs` and `slug_exists` for a table with `id` and `slug`.
#[macro_export]
macro_rules! taxonomy_slug_queries {
    ($table:ident, $row:ty) => {
        pub fn find(
            conn: &mut $crate::db::DbConnection,
            r: &$crate::http::params::Ref,
        ) -> diesel::QueryResult<Option<$row>> {
            use diesel::prelude::*;
            let q = $table::table.select(<$row>::as_select()).into_boxed();
            let q = match r {
                $crate::http::params::Ref::Id(id) => q.filter($table::id.eq(*id)),
                $crate::http::params::Ref::Slug(slug) => q.filter($table::slug.eq(slug.clone())),
            };
            q.first(conn).optional()
        }

        /// The ids of the rows among `slugs` that exist.
        pub fn ids_by_slugs(
            conn: &mut $crate::db::DbConnection,
            slugs: &[String],
        ) -> diesel::QueryResult<Vec<i64>> {
            use diesel::prelude::*;
            $table::table
                .filter($table::slug.eq_any(slugs))
                .select($table::id)
                .load(conn)
        }

        /// Whether a row other than `except` uses `slug`.
        pub fn slug_exists(
            conn: &mut $crate::db::DbConnection,
            slug: &str,
            except: Option<i64>,
        ) -> diesel::QueryResult<bool> {
            use diesel::prelude::*;
            let mut q = $table::table
                .filter($table::slug.eq(slug.to_string()))
                .into_boxed();
            if let Some(id) = except {
                q = q.filter($table::id.ne(id));
            }
            Ok(q.count().get_result::<i64>(conn)? > 0)
        }
    };
}

/// For a table linked to articles through `$link` (`article_authors`, `article_tags`) by the
/// column `$key`: `list` by name, `article_count`, `live_article_ids` and `delete` (links
/// included).
#[macro_export]
macro_rules! taxonomy_linked_queries {
    ($table:ident, $row:ty, $link:ident, $key:ident) => {
        /// One page by name, after `(name, id)` when given.
        pub fn list(
            conn: &mut $crate::db::DbConnection,
            after: Option<(String, i64)>,
            limit: i64,
        ) -> diesel::QueryResult<Vec<$row>> {
            use diesel::prelude::*;
            let mut q = $table::table.select(<$row>::as_select()).into_boxed();
            if let Some((name, id)) = after {
                q = q
                    .filter($table::name.ge(name.clone()))
                    .filter($table::name.gt(name).or($table::id.gt(id)));
            }
            q.order(($table::name.asc(), $table::id.asc()))
                .limit(limit)
                .load(conn)
        }

        /// Public articles linked to it.
        pub fn article_count(
            conn: &mut $crate::db::DbConnection,
            id: i64,
            now: chrono::NaiveDateTime,
        ) -> diesel::QueryResult<i64> {
            use diesel::prelude::*;
            $crate::db::schema::articles::table
                .filter($crate::domain::visible(now))
                .filter(
                    $crate::db::schema::articles::id.eq_any(
                        $link::table
                            .filter($link::$key.eq(id))
                            .select($link::article_id),
                    ),
                )
                .count()
                .get_result(conn)
        }

        /// Ids of the articles (not deleted) linked to it.
        pub fn live_article_ids(
            conn: &mut $crate::db::DbConnection,
            id: i64,
        ) -> diesel::QueryResult<Vec<i64>> {
            use diesel::prelude::*;
            $crate::db::schema::articles::table
                .filter(
                    $crate::db::schema::articles::status
                        .ne($crate::domain::Status::Deleted.as_str()),
                )
                .filter(
                    $crate::db::schema::articles::id.eq_any(
                        $link::table
                            .filter($link::$key.eq(id))
                            .select($link::article_id),
                    ),
                )
                .select($crate::db::schema::articles::id)
                .load(conn)
        }

        /// Deletes it with every link to it.
        pub fn delete(conn: &mut $crate::db::DbConnection, id: i64) -> diesel::QueryResult<()> {
            use diesel::prelude::*;
            diesel::delete($link::table.filter($link::$key.eq(id))).execute(conn)?;
            diesel::delete($table::table.filter($table::id.eq(id)))
                .execute(conn)
                .map(|_| ())
        }
    };
}
