//! The Section resource.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::http::schema::{
    Cursor, Lang, SectionDescriptions, SectionDescriptionsPatch, SectionNames, SectionNamesPatch,
    Slug,
};

/// A section of the site, named in the requested language and carrying every translation.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 1, "slug": "world", "name": "World", "description": "News from around the world",
    "names": {"en": "World", "ru": "Мир", "az": "Dünya"},
    "descriptions": {"en": "News from around the world", "ru": "Новости со всего мира", "az": "Dünyadan xəbərlər"},
    "position": 1, "article_count": 812
}))]
pub struct SectionDto {
    pub id: i64,
    pub slug: String,
    /// Name in `?lang=` (else the site's default language).
    pub name: String,
    /// Description in `?lang=` (else the site's default language).
    pub description: String,
    /// Name in every language, by language code.
    pub names: BTreeMap<String, String>,
    /// Description in every language, by language code.
    pub descriptions: BTreeMap<String, String>,
    /// Menu order, lowest first.
    pub position: i32,
    /// Published articles in the section (in `?lang=` when given).
    pub article_count: i64,
}

/// Language and paging of the section list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SectionListQuery {
    /// Language for names and article counts (default: the site's default language for
    /// names, all languages for counts).
    #[param(value_type = Option<Lang>, example = "ru")]
    pub lang: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub limit: Option<String>,
    /// `meta.next_cursor` of the previous page.
    #[param(value_type = Option<Cursor>)]
    pub cursor: Option<String>,
}

/// Language of one section.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SectionQuery {
    /// Language for the name, description and article count.
    #[param(value_type = Option<Lang>, example = "ru")]
    pub lang: Option<String>,
}

/// A new section.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"names": {"en": "Science", "ru": "Наука", "az": "Elm"}, "position": 8}))]
pub struct NewSectionRequest {
    /// Generated from the default-language name when left out.
    #[serde(default)]
    #[schema(value_type = Option<Slug>)]
    pub slug: Option<String>,
    /// Name per language; the default language is required.
    #[serde(default)]
    #[schema(required = true, value_type = SectionNames)]
    pub names: Option<BTreeMap<String, String>>,
    #[serde(default)]
    #[schema(value_type = SectionDescriptions)]
    pub descriptions: BTreeMap<String, String>,
    /// Menu order; after the last section when left out.
    #[serde(default)]
    pub position: Option<i32>,
}

/// Changes to a section (merge patch): absent fields stay; in `names` and `descriptions` each
/// language given is set, and `null` removes that language.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateSectionRequest {
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Slug)]
    pub slug: Option<String>,
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = SectionNamesPatch)]
    pub names: Option<BTreeMap<String, Option<String>>>,
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = SectionDescriptionsPatch)]
    pub descriptions: Option<BTreeMap<String, Option<String>>>,
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = i32)]
    pub position: Option<i32>,
}
