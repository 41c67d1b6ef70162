//! The feeds of one section, author or tag: `GET /articles` within that scope.

use actix_web::{HttpRequest, get, web};

use super::dto::{FeedAnswer, FeedQuery};
use super::feed::FeedScope;
use super::routes::feed_response;
use crate::error::ApiError;
use crate::http::params::{Query, Ref};
use crate::http::respond::Public;
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(section_articles)
        .service(author_articles)
        .service(tag_articles);
}

/// A feed restricted to the section, author or tag named in the path.
macro_rules! scoped_feed {
    (
        $(#[$doc:meta])*
        $name:ident: $tag:literal, $path:literal, $scope:ident, $ref_doc:literal, $example:literal
    ) => {
        $(#[$doc])*
        ///
        /// Takes every parameter of `GET /articles`.
        #[utoipa::path(
            tag = $tag,
            params(("ref" = $crate::http::schema::ResourceRef, Path, description = $ref_doc, example = $example), FeedQuery),
            responses(
                (status = 200, description = "A page of article summaries; with `newer_than`, the count of newer ones", body = FeedAnswer),
                $crate::http::docs::PublicRead,
                $crate::http::docs::NotFound,
            )
        )]
        #[get($path)]
        pub async fn $name(
            req: HttpRequest,
            state: web::Data<AppState>,
            path: web::Path<String>,
            query: Query<FeedQuery>,
        ) -> Result<Public<FeedAnswer>, ApiError> {
            let scope = FeedScope::$scope(Ref::parse(&path)?);
            feed_response(&req, &state, query.into_inner(), scope).await
        }
    };
}

scoped_feed!(
    /// The section's feed.
    section_articles: "sections", "/sections/{ref}/articles", Section, "Section id or slug", "world"
);
scoped_feed!(
    /// The author's articles.
    author_articles: "authors", "/authors/{ref}/articles", Author, "Author id or slug", "leyla-mammadova"
);
scoped_feed!(
    /// The tag's articles.
    tag_articles: "tags", "/tags/{ref}/articles", Tag, "Tag id or slug", "energy"
);
