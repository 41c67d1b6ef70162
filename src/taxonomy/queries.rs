//! The queries every taxonomy table answers the same way, written once as macros that a
//! resource's `queries` module invokes with its table (the shape of vaultwarden's `db_run!`).

/// The queries of a taxonomy table with `id`, `slug`, `created_at` and `updated_at`: `find`
/// (by id or slug), `ids_by_slugs`, and the row's [`Stored`](crate::taxonomy::Stored) (slug
/// checks, insert, update; its `delete` is the module's own `delete`).
/// `$new` (Insertable) holds the other columns an insert sets, `$changes` (AsChangeset) those an
/// update may change.
#[macro_export]
macro_rules! taxonomy_table {
    ($table:ident, $row:ty, $new:ty, $changes:ty) => {
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

        #[derive(diesel::Insertable)]
        #[diesel(table_name = $table)]
        struct Insert<'a> {
            slug: &'a str,
            #[diesel(embed)]
            new: $new,
            created_at: chrono::NaiveDateTime,
            updated_at: chrono::NaiveDateTime,
        }

        #[derive(diesel::AsChangeset)]
        #[diesel(table_name = $table)]
        struct Update<'a> {
            slug: Option<&'a str>,
            #[diesel(embed)]
            changes: $changes,
            updated_at: chrono::NaiveDateTime,
        }

        impl $crate::taxonomy::Stored for $row {
            type New = $new;
            type Changes = $changes;

            fn id(&self) -> i64 {
                self.id
            }

            fn slug(&self) -> &str {
                &self.slug
            }

            fn find(
                conn: &mut $crate::db::DbConnection,
                r: &$crate::http::params::Ref,
            ) -> diesel::QueryResult<Option<Self>> {
                find(conn, r)
            }

            fn slug_taken(
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

            fn insert(
                conn: &mut $crate::db::DbConnection,
                new: $new,
                slug: &str,
                now: chrono::NaiveDateTime,
            ) -> diesel::QueryResult<i64> {
                use diesel::prelude::*;
                diesel::insert_into($table::table)
                    .values(Insert {
                        slug,
                        new,
                        created_at: now,
                        updated_at: now,
                    })
                    .returning($table::id)
                    .get_result(conn)
            }

            fn update(
                conn: &mut $crate::db::DbConnection,
                id: i64,
                changes: $changes,
                slug: Option<&str>,
                now: chrono::NaiveDateTime,
            ) -> diesel::QueryResult<()> {
                use diesel::prelude::*;
                diesel::update($table::table.filter($table::id.eq(id)))
                    .set(Update {
                        slug,
                        changes,
                        updated_at: now,
                    })
                    .execute(conn)
                    .map(|_| ())
            }

            fn delete(conn: &mut $crate::db::DbConnection, id: i64) -> diesel::QueryResult<()> {
                delete(conn, id)
            }
        }
    };
}

/// For a table linked to articles through `$link` (`article_authors`, `article_tags`) by the
/// column `$key`: `list` by name, `article_count`, `live_article_ids` and `delete` (links
/// included), and the row's [`Linked`](crate::taxonomy::Linked) and
/// [`Counted`](crate::taxonomy::Counted).
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

        impl $crate::taxonomy::Linked for $row {
            fn page(
                conn: &mut $crate::db::DbConnection,
                after: Option<(String, i64)>,
                limit: i64,
            ) -> diesel::QueryResult<Vec<Self>> {
                list(conn, after, limit)
            }

            fn name_key(&self) -> (String, i64) {
                (self.name.clone(), self.id)
            }
        }

        /// Counted in every language.
        impl $crate::taxonomy::Counted for $row {
            fn article_count(
                &self,
                conn: &mut $crate::db::DbConnection,
                _lang: Option<&str>,
                now: chrono::NaiveDateTime,
            ) -> diesel::QueryResult<i64> {
                article_count(conn, self.id, now)
            }
        }
    };
}
