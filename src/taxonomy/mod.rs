//! Sections, authors and tags: the three ways articles are grouped. Each implements
//! [`Taxonomy`] (the shape of Lemmy's `Crud`): what is particular to it — its rows, its
//! validation, what stops a deletion. Everything they share is written once here: the
//! operations on one ([`get`], [`create`], [`update`], [`delete`]), the queries every taxonomy
//! table answers ([`queries`]) and the routes with their OpenAPI descriptions
//! ([`taxonomy_routes!`]).

pub mod listing;
pub mod queries;
pub mod validate;

use actix_web::HttpRequest;
use chrono::NaiveDateTime;
use diesel::QueryResult;
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

use crate::db::DbConnection;
use crate::domain::slug::pick_slug;
use crate::error::ApiError;
use crate::http::json::JsonForm;
use crate::http::params::{Errors, Ref};
use crate::http::respond::{Created, NoContent, Private, Public, Rendered};
use crate::settings::Site;
use crate::state::{AppState, Ctx};
use crate::webhooks::outbox::EntityChange;
use crate::write::Tx;

/// What makes a section, an author or a tag what it is: its representation, how a request
/// becomes a validated insert or update, and what a deletion must respect. How its table stores
/// it is its row's [`Stored`].
pub trait Taxonomy: 'static {
    /// The change-feed entity (`section`, `author`, `tag`); problems name one so.
    const ENTITY: &'static str;
    /// Where the collection lives (`/api/v1/sections`), for `Location`.
    const COLLECTION: &'static str;

    type Row: Stored + Counted;
    /// The representation answered for one.
    type Dto: Represent<Self::Row> + Serialize + ToSchema + Send + 'static;
    type NewRequest: DeserializeOwned + Send + 'static;
    type UpdateRequest: DeserializeOwned + Send + 'static;
    /// The query parameters of a read of one.
    type ItemQuery: DeserializeOwned + Send + 'static;

    /// The language a read of one answers in, if the query names one.
    fn item_lang(_query: &Self::ItemQuery, _site: &Site) -> Result<Option<String>, ApiError> {
        Ok(None)
    }

    /// Validates a new one; `errors` holds the problems of the body's shape already.
    fn draft(req: Self::NewRequest, site: &Site, errors: Errors) -> Result<Draft<Self>, ApiError>;
    /// Completes a validated insert with what only the database knows.
    fn before_insert(_conn: &mut DbConnection, _new: &mut New<Self>) -> Result<(), ApiError> {
        Ok(())
    }

    /// Validates changes against the current row; `errors` holds the shape problems already.
    fn changes(
        req: &Self::UpdateRequest,
        row: &Self::Row,
        site: &Site,
        errors: Errors,
    ) -> Result<Patch<Self>, ApiError>;

    /// Refuses a deletion that would leave articles pointing nowhere (409 `in_use`), or
    /// announces what the deletion changes besides.
    fn before_delete(tx: &mut Tx<'_>, row: &Self::Row) -> Result<(), ApiError>;
}

/// The columns an insert of `T` sets besides its slug and times.
pub type New<T> = <<T as Taxonomy>::Row as Stored>::New;
/// The columns an update of `T` may change besides its slug and time.
pub type Changes<T> = <<T as Taxonomy>::Row as Stored>::Changes;

/// A new one, validated.
pub struct Draft<T: Taxonomy + ?Sized> {
    /// The slug asked for; one is made from `name` otherwise.
    pub slug: Option<String>,
    pub name: String,
    pub new: New<T>,
}

/// Changes to one, validated.
pub struct Patch<T: Taxonomy + ?Sized> {
    /// The new slug, if one is asked for.
    pub slug: Option<String>,
    pub changes: Changes<T>,
}

/// How a taxonomy table stores one: implemented for its row by [`taxonomy_table!`].
pub trait Stored: Sized + Send + 'static {
    type New: Clone + Send + 'static;
    type Changes: Send + 'static;

    fn id(&self) -> i64;
    fn slug(&self) -> &str;
    fn find(conn: &mut DbConnection, r: &Ref) -> QueryResult<Option<Self>>;
    /// Whether a row other than `except` uses `slug`.
    fn slug_taken(conn: &mut DbConnection, slug: &str, except: Option<i64>) -> QueryResult<bool>;
    fn insert(
        conn: &mut DbConnection,
        new: Self::New,
        slug: &str,
        now: NaiveDateTime,
    ) -> QueryResult<i64>;
    fn update(
        conn: &mut DbConnection,
        id: i64,
        changes: Self::Changes,
        slug: Option<&str>,
        now: NaiveDateTime,
    ) -> QueryResult<()>;
    fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<()>;
}

/// How many public articles one has: in `lang` where the taxonomy counts by language.
pub trait Counted {
    fn article_count(
        &self,
        conn: &mut DbConnection,
        lang: Option<&str>,
        now: NaiveDateTime,
    ) -> QueryResult<i64>;
}

/// The representation of a row: names in `lang` when given, and its count of public articles
/// when known.
pub trait Represent<Row> {
    fn represent(row: Row, lang: Option<&str>, site: &Site, article_count: Option<i64>) -> Self;
}

/// One linked to articles through a link table and listed by name (authors, tags): implemented
/// for its row by [`taxonomy_linked_queries!`].
pub trait Linked: Stored {
    /// Up to `limit` rows after `(name, id)`, in `(name, id)` order.
    fn page(
        conn: &mut DbConnection,
        after: Option<(String, i64)>,
        limit: i64,
    ) -> QueryResult<Vec<Self>>;
    /// Its place in that order.
    fn name_key(&self) -> (String, i64);
}

fn not_found<T: Taxonomy>() -> ApiError {
    ApiError::not_found(format!("no such {}", T::ENTITY))
}

fn find<T: Taxonomy>(conn: &mut DbConnection, r: &Ref) -> Result<T::Row, ApiError> {
    T::Row::find(conn, r)?.ok_or_else(not_found::<T>)
}

/// The representation of one, with its count of public articles.
fn represent<T: Taxonomy>(
    conn: &mut DbConnection,
    ctx: &Ctx,
    row: T::Row,
    lang: Option<&str>,
) -> Result<T::Dto, ApiError> {
    let count = row.article_count(conn, lang, ctx.now)?;
    Ok(T::Dto::represent(row, lang, &ctx.site, Some(count)))
}

/// `GET /{collection}/{ref}`: one, for the public.
pub async fn get<T: Taxonomy>(
    req: &HttpRequest,
    state: &AppState,
    path: &str,
    query: T::ItemQuery,
) -> Result<Public<T::Dto>, ApiError> {
    let r = Ref::parse(path)?;
    let lang = T::item_lang(&query, &state.site())?;
    state
        .public(req, move |conn, ctx| {
            let row = find::<T>(conn, &r)?;
            Rendered::json(&represent::<T>(conn, ctx, row, lang.as_deref())?)
        })
        .await
}

/// `POST /{collection}`: a new one, with a slug generated from its name unless one is chosen
/// (a chosen one already taken is a 409 `slug_taken`).
pub async fn create<T: Taxonomy>(
    state: &AppState,
    body: JsonForm<T::NewRequest>,
) -> Result<Created<T::Dto>, ApiError> {
    let ctx = state.ctx();
    let draft = T::draft(body.value, &ctx.site, body.errors)?;
    let (id, dto) = state
        .write(move |tx| {
            let slug = pick_slug(draft.slug.as_deref(), &draft.name, |s| {
                Ok(T::Row::slug_taken(tx, s, None)?)
            })?;
            let mut new = draft.new.clone();
            T::before_insert(tx, &mut new)?;
            let id = T::Row::insert(tx, new, &slug, ctx.now)?;
            tx.announce_entity(EntityChange::Created, T::ENTITY, id, &slug);
            let row = find::<T>(tx, &Ref::Id(id))?;
            Ok((id, represent::<T>(tx, &ctx, row, None)?))
        })
        .await?;
    Ok(Created {
        location: format!("{}/{id}", T::COLLECTION),
        body: dto,
    })
}

/// `PATCH /{collection}/{ref}`: a merge patch of one.
pub async fn update<T: Taxonomy>(
    state: &AppState,
    path: &str,
    body: JsonForm<T::UpdateRequest>,
) -> Result<Private<T::Dto>, ApiError> {
    let r = Ref::parse(path)?;
    let ctx = state.ctx();
    let JsonForm { value, errors } = body;
    let dto = state
        .write(move |tx| {
            let row = find::<T>(tx, &r)?;
            let id = row.id();
            let patch = T::changes(&value, &row, &ctx.site, errors.clone())?;
            let slug = match patch.slug {
                Some(s) => Some(pick_slug(Some(&s), "", |s| {
                    Ok(T::Row::slug_taken(tx, s, Some(id))?)
                })?),
                None => None,
            };
            T::Row::update(tx, id, patch.changes, slug.as_deref(), ctx.now)?;
            let row = find::<T>(tx, &Ref::Id(id))?;
            tx.announce_entity(EntityChange::Updated, T::ENTITY, id, row.slug());
            represent::<T>(tx, &ctx, row, None)
        })
        .await?;
    Ok(Private(dto))
}

/// `DELETE /{collection}/{ref}`.
pub async fn delete<T: Taxonomy>(state: &AppState, path: &str) -> Result<NoContent, ApiError> {
    let r = Ref::parse(path)?;
    state
        .write(move |tx| {
            let row = find::<T>(tx, &r)?;
            T::before_delete(tx, &row)?;
            let id = row.id();
            T::Row::delete(tx, id)?;
            tx.announce_entity(EntityChange::Deleted, T::ENTITY, id, row.slug());
            Ok(())
        })
        .await?;
    Ok(NoContent)
}

/// Registers the routes every taxonomy shares — one by `{ref}`, create, change, delete, and
/// for those listed by name the list — for the [`Taxonomy`] `kind`, each with its OpenAPI
/// description (the doc comment given before its name), and `configure`, which registers them.
/// The calling module imports actix-web's `get`, `post`, `patch` and `delete` route attributes,
/// by which utoipa recognises the routes, and `Page` when it lists by name.
#[macro_export]
macro_rules! taxonomy_routes {
    (
        kind: $kind:ty,
        tag: $tag:literal,
        collection: $collection:literal,
        item: $item:literal,
        dto: $dto:ty,
        new: $new:ty,
        update: $update:ty,
        item_query: $item_query:ty,
        ref_doc: $ref_doc:literal,
        ref_example: $example:literal,
        found: $found:literal,
        location: $location:literal,
        delete_refused: [$($refused:path),*],
        $(#[$get_doc:meta])* get $get:ident,
        $(#[$create_doc:meta])* create $create:ident,
        $(#[$update_doc:meta])* update $change:ident,
        $(#[$delete_doc:meta])* delete $delete:ident
        $(, $(#[$list_doc:meta])* list_by_name $list:ident: $listed:literal)?,
        also: [$($also:ident),*] $(,)?
    ) => {
        /// Registers the routes (`also` first, then the list by name, then those by `{ref}`).
        pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
            $(cfg.service($also);)*
            $(cfg.service($list);)?
            cfg.service($get)
                .service($create)
                .service($change)
                .service($delete);
        }

        $(
            $(#[$list_doc])*
            #[utoipa::path(
                tag = $tag,
                params($crate::http::pagination::PageQuery),
                responses(
                    (status = 200, description = $listed, body = Page<$dto>),
                    $crate::http::docs::PublicRead,
                )
            )]
            #[get($collection)]
            pub async fn $list(
                req: actix_web::HttpRequest,
                state: actix_web::web::Data<$crate::state::AppState>,
                query: $crate::http::params::Query<$crate::http::pagination::PageQuery>,
            ) -> Result<
                $crate::http::respond::Public<$crate::http::pagination::Page<$dto>>,
                $crate::error::ApiError,
            > {
                $crate::taxonomy::listing::by_name::<$kind>(&req, &state, &query).await
            }
        )?

        $(#[$get_doc])*
        #[utoipa::path(
            tag = $tag,
            params(
                ("ref" = $crate::http::schema::ResourceRef, Path, description = $ref_doc, example = $example),
                $item_query
            ),
            responses(
                (status = 200, description = $found, body = $dto),
                $crate::http::docs::PublicRead,
                $crate::http::docs::NotFound,
            )
        )]
        #[get($item)]
        pub async fn $get(
            req: actix_web::HttpRequest,
            state: actix_web::web::Data<$crate::state::AppState>,
            path: actix_web::web::Path<String>,
            query: $crate::http::params::Query<$item_query>,
        ) -> Result<$crate::http::respond::Public<$dto>, $crate::error::ApiError> {
            $crate::taxonomy::get::<$kind>(&req, &state, &path, query.into_inner()).await
        }

        $(#[$create_doc])*
        #[utoipa::path(
            tag = $tag,
            security(("bearer" = [])),
            request_body = $new,
            responses(
                (status = 201, description = "Created", body = $dto,
                    headers(("Location" = String, description = $location))),
                $crate::http::docs::SignedIn,
                $crate::http::docs::Forbidden,
                $crate::http::docs::Conflict,
                $crate::http::docs::JsonBody,
            )
        )]
        #[post($collection)]
        pub async fn $create(
            _editor: $crate::auth::RequireEditor,
            state: actix_web::web::Data<$crate::state::AppState>,
            body: $crate::http::json::JsonForm<$new>,
        ) -> Result<$crate::http::respond::Created<$dto>, $crate::error::ApiError> {
            $crate::taxonomy::create::<$kind>(&state, body).await
        }

        $(#[$update_doc])*
        #[utoipa::path(
            tag = $tag,
            security(("bearer" = [])),
            params(("ref" = $crate::http::schema::ResourceRef, Path, description = $ref_doc)),
            request_body = $update,
            responses(
                (status = 200, description = "Updated", body = $dto),
                $crate::http::docs::SignedIn,
                $crate::http::docs::Forbidden,
                $crate::http::docs::NotFound,
                $crate::http::docs::Conflict,
                $crate::http::docs::JsonBody,
            )
        )]
        #[patch($item)]
        pub async fn $change(
            _editor: $crate::auth::RequireEditor,
            state: actix_web::web::Data<$crate::state::AppState>,
            path: actix_web::web::Path<String>,
            body: $crate::http::json::JsonForm<$update>,
        ) -> Result<$crate::http::respond::Private<$dto>, $crate::error::ApiError> {
            $crate::taxonomy::update::<$kind>(&state, &path, body).await
        }

        $(#[$delete_doc])*
        #[utoipa::path(
            tag = $tag,
            security(("bearer" = [])),
            params(("ref" = $crate::http::schema::ResourceRef, Path, description = $ref_doc)),
            responses(
                (status = 204, description = "Deleted"),
                $crate::http::docs::SignedIn,
                $crate::http::docs::Forbidden,
                $crate::http::docs::NotFound,
                $($refused,)*
            )
        )]
        #[delete($item)]
        pub async fn $delete(
            _editor: $crate::auth::RequireEditor,
            state: actix_web::web::Data<$crate::state::AppState>,
            path: actix_web::web::Path<String>,
            _body: $crate::http::json::NoBody,
        ) -> Result<$crate::http::respond::NoContent, $crate::error::ApiError> {
            $crate::taxonomy::delete::<$kind>(&state, &path).await
        }
    };
}

/// The query of a read that takes no parameters of its own.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NoQuery {}
