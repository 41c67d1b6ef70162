//! Sections, authors and tags: the three ways articles are grouped. Each implements
//! [`Taxonomy`] (the shape of Lemmy's `Crud`): what is particular to it — its rows, its
//! validation, what stops a deletion. Everything they share is written once here: the
//! operations on one ([`get`], [`create`], [`update`], [`delete`]), the queries every taxonomy
//! table answers ([`queries`]) and the routes with their OpenAPI descriptions
//! ([`taxonomy_routes!`]).

pub mod listing;
pub mod queries;

use actix_web::HttpRequest;
use chrono::NaiveDateTime;
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

use crate::changes::model::{DELETE, UPSERT};
use crate::db::DbConnection;
use crate::domain::slug::pick_slug;
use crate::error::ApiError;
use crate::http::json::JsonForm;
use crate::http::params::{Errors, Ref};
use crate::http::respond::{Created, NoContent, Private, Public, Rendered};
use crate::settings::Site;
use crate::state::{AppState, Ctx};
use crate::write::Tx;

/// What makes a section, an author or a tag what it is.
pub trait Taxonomy: 'static {
    /// The change-feed entity (`section`, `author`, `tag`); problems name one so.
    const ENTITY: &'static str;
    /// Where the collection lives (`/api/v1/sections`), for `Location`.
    const COLLECTION: &'static str;

    type Row: Send + 'static;
    /// The representation answered for one.
    type Dto: Serialize + ToSchema + Send + 'static;
    type NewRequest: DeserializeOwned + Send + 'static;
    type UpdateRequest: DeserializeOwned + Send + 'static;
    /// The query parameters of a read of one.
    type ItemQuery: DeserializeOwned + Send + 'static;
    /// A new one, validated.
    type Draft: Send + 'static;
    /// Changes to one, validated against its current state.
    type Changes;

    fn find(conn: &mut DbConnection, r: &Ref) -> diesel::QueryResult<Option<Self::Row>>;
    fn id(row: &Self::Row) -> i64;
    fn slug_taken(
        conn: &mut DbConnection,
        slug: &str,
        except: Option<i64>,
    ) -> diesel::QueryResult<bool>;

    /// The language a read of one answers in, if the query names one.
    fn item_lang(query: &Self::ItemQuery, site: &Site) -> Result<Option<String>, ApiError>;
    /// The representation of one: names in `lang` when given, counts of public articles.
    fn dto(
        conn: &mut DbConnection,
        ctx: &Ctx,
        row: Self::Row,
        lang: Option<&str>,
    ) -> Result<Self::Dto, ApiError>;

    /// Validates a new one; `errors` holds the problems of the body's shape already.
    fn draft(req: Self::NewRequest, site: &Site, errors: Errors) -> Result<Self::Draft, ApiError>;
    /// The slug asked for, and the text a slug is generated from otherwise.
    fn slug_of(draft: &Self::Draft) -> (Option<&str>, &str);
    fn insert(
        conn: &mut DbConnection,
        draft: &Self::Draft,
        slug: &str,
        now: NaiveDateTime,
    ) -> Result<i64, ApiError>;

    /// Validates changes against the current row; `errors` holds the shape problems already.
    fn changes(
        req: &Self::UpdateRequest,
        row: &Self::Row,
        site: &Site,
        errors: Errors,
    ) -> Result<Self::Changes, ApiError>;
    /// The slug the changes ask for, if any.
    fn new_slug(changes: &Self::Changes) -> Option<&str>;
    fn update(
        conn: &mut DbConnection,
        id: i64,
        changes: Self::Changes,
        slug: Option<String>,
        now: NaiveDateTime,
    ) -> Result<(), ApiError>;

    /// Refuses a deletion that would leave articles pointing nowhere (409 `in_use`), or
    /// announces what the deletion changes besides.
    fn before_delete(tx: &mut Tx<'_>, row: &Self::Row) -> Result<(), ApiError>;
    fn delete(conn: &mut DbConnection, id: i64) -> diesel::QueryResult<()>;
}

fn not_found<T: Taxonomy>() -> ApiError {
    ApiError::not_found(format!("no such {}", T::ENTITY))
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
            let row = T::find(conn, &r)?.ok_or_else(not_found::<T>)?;
            Rendered::json(&T::dto(conn, ctx, row, lang.as_deref())?)
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
            let (chosen, name) = T::slug_of(&draft);
            let slug = pick_slug(chosen, name, |s| Ok(T::slug_taken(tx, s, None)?))?;
            let id = T::insert(tx, &draft, &slug, ctx.now)?;
            tx.announce(UPSERT, T::ENTITY, id);
            let row = T::find(tx, &Ref::Id(id))?.ok_or_else(not_found::<T>)?;
            Ok((id, T::dto(tx, &ctx, row, None)?))
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
            let row = T::find(tx, &r)?.ok_or_else(not_found::<T>)?;
            let id = T::id(&row);
            let changes = T::changes(&value, &row, &ctx.site, errors.clone())?;
            let slug = match T::new_slug(&changes) {
                Some(s) => Some(pick_slug(Some(s), "", |s| {
                    Ok(T::slug_taken(tx, s, Some(id))?)
                })?),
                None => None,
            };
            T::update(tx, id, changes, slug, ctx.now)?;
            tx.announce(UPSERT, T::ENTITY, id);
            let row = T::find(tx, &Ref::Id(id))?.ok_or_else(not_found::<T>)?;
            T::dto(tx, &ctx, row, None)
        })
        .await?;
    Ok(Private(dto))
}

/// `DELETE /{collection}/{ref}`.
pub async fn delete<T: Taxonomy>(state: &AppState, path: &str) -> Result<NoContent, ApiError> {
    let r = Ref::parse(path)?;
    state
        .write(move |tx| {
            let row = T::find(tx, &r)?.ok_or_else(not_found::<T>)?;
            T::before_delete(tx, &row)?;
            let id = T::id(&row);
            T::delete(tx, id)?;
            tx.announce(DELETE, T::ENTITY, id);
            Ok(())
        })
        .await?;
    Ok(NoContent)
}

/// Registers the routes every taxonomy shares — one by `{ref}`, create, change, delete — for
/// the [`Taxonomy`] `kind`, each with its OpenAPI description (the doc comment given before
/// its name). The calling module imports actix-web's `get`, `post`, `patch` and `delete`
/// route attributes, by which utoipa recognises the routes.
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
        $(#[$delete_doc:meta])* delete $delete:ident $(,)?
    ) => {
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
