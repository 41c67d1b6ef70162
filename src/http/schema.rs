//! The formats parameters and fields share, as named schemas of the OpenAPI document: each
//! states exactly what the parser next to it accepts, so a value the document allows is never
//! refused as malformed.

use std::borrow::Cow;

use utoipa::openapi::schema::{
    ObjectBuilder, OneOfBuilder, Schema, SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::{KnownFormat, RefOr};
use utoipa::{PartialSchema, ToSchema};

/// Lowercase letters and digits in groups joined by single hyphens.
pub const SLUG: &str = "[a-z0-9]+(?:-[a-z0-9]+)*";

/// The languages a new site publishes in; the served document lists the site's current ones.
pub const DEFAULT_LANGUAGES: &[&str] = &["en", "ru", "az"];

macro_rules! named_schema {
    ($(#[$doc:meta])* $ty:ident = $name:expr, $schema:expr) => {
        $(#[$doc])*
        pub struct $ty;

        impl PartialSchema for $ty {
            fn schema() -> RefOr<Schema> {
                $schema
            }
        }

        impl ToSchema for $ty {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }
        }
    };
}

fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

named_schema!(
    /// A language code (`GET /site` → `languages`).
    Lang = "Lang",
    lang_schema(DEFAULT_LANGUAGES).into()
);

/// The `Lang` schema for a site's languages.
pub fn lang_schema(languages: &[impl AsRef<str>]) -> Schema {
    string()
        .description(Some(
            "A language the site publishes in: one of `languages` in `GET /site`",
        ))
        .enum_values(Some(languages.iter().map(|l| l.as_ref().to_string())))
        .into()
}

named_schema!(
    /// `{ref}` in a path: a positive id or a slug.
    ResourceRef = "ResourceRef",
    string()
        .description(Some(
            "A numeric id, or a slug (lowercase letters, digits and single hyphens, not only \
             digits)",
        ))
        .pattern(Some(concat!(
            "^(?:[1-9][0-9]{0,17}|[0-9]*[a-z][a-z0-9]*(?:-[a-z0-9]+)*",
            "|[0-9]+(?:-[a-z0-9]+)+)$"
        )))
        .max_length(Some(200))
        .examples([serde_json::json!("world")])
        .into()
);

named_schema!(
    /// A slug filter: `a,b` = any of them, `-c` = not c.
    SlugFilter = "SlugFilter",
    string()
        .description(Some(
            "Comma-separated slugs, at most 50: an article matches when it has any of the \
             plain ones and none of those prefixed with `-`",
        ))
        .pattern(Some("^-?[a-z0-9]+(?:-[a-z0-9]+)*(?:,-?[a-z0-9]+(?:-[a-z0-9]+)*){0,49}$"))
        .max_length(Some(200))
        .examples([serde_json::json!("world,-sport")])
        .into()
);

named_schema!(
    /// A date (the whole UTC day) or an RFC 3339 time.
    DateOrTime = "DateOrTime",
    OneOfBuilder::new()
        .item(
            string()
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
                .max_length(Some(10)),
        )
        .item(
            string()
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
                .max_length(Some(40)),
        )
        .description(Some(
            "`YYYY-MM-DD` (a whole day in UTC) or an RFC 3339 time with its offset",
        ))
        .into()
);

named_schema!(
    /// An opaque position in a list, as the list issued it.
    Cursor = "Cursor",
    string()
        .description(Some(
            "Opaque and signed: pass back exactly what a response gave (`meta.next_cursor`); \
             a cursor of another list or order, or an altered one, is a 400 `invalid_cursor`",
        ))
        .pattern(Some("^[A-Za-z0-9_-]+$"))
        .max_length(Some(1024))
        .into()
);

named_schema!(
    /// A slug chosen by an editor.
    Slug = "Slug",
    string()
        .description(Some(
            "Lowercase letters, digits and single hyphens, not only digits, at most 200 \
             characters",
        ))
        .pattern(Some("^(?:[0-9]*[a-z][a-z0-9]*(?:-[a-z0-9]+)*|[0-9]+(?:-[a-z0-9]+)+)$"))
        .max_length(Some(200))
        .into()
);

named_schema!(
    /// A language code as a site lists it (`PATCH /site`): a primary tag of 2 or 3 lowercase
    /// letters, then optional subtags.
    LanguageCode = "LanguageCode",
    string()
        .description(Some("A language code such as `en`, `az` or `pt-BR`"))
        .pattern(Some("^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"))
        .examples([serde_json::json!("pt-BR")])
        .into()
);

named_schema!(
    /// An absolute `http` or `https` URL.
    HttpUrl = "HttpUrl",
    string()
        .description(Some("An absolute `http://` or `https://` URL"))
        .pattern(Some(concat!(
            "^https?://[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?",
            "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*",
            "(?::[0-9]{1,4})?(?:[/?#][^\\s]*)?$"
        )))
        .max_length(Some(2000))
        .examples([serde_json::json!("https://cdn.example.com/2026/02/port.jpg")])
        .into()
);

/// Text per language (section names and descriptions): an object keyed by the site's
/// languages. `Names` need the default language and 1 to 100 characters each; `Descriptions`
/// take 0 to 1000. The `...Patch` forms are merge patches: `null` removes a language (never the
/// default one's name).
#[derive(Debug, Clone, Copy)]
pub enum Localized {
    Names,
    Descriptions,
    NamesPatch,
    DescriptionsPatch,
}

impl Localized {
    const ALL: [Localized; 4] = [
        Localized::Names,
        Localized::Descriptions,
        Localized::NamesPatch,
        Localized::DescriptionsPatch,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Localized::Names => "SectionNames",
            Localized::Descriptions => "SectionDescriptions",
            Localized::NamesPatch => "SectionNamesPatch",
            Localized::DescriptionsPatch => "SectionDescriptionsPatch",
        }
    }

    pub fn schema(self, languages: &[impl AsRef<str>], default: &str) -> Schema {
        let names = matches!(self, Localized::Names | Localized::NamesPatch);
        let patch = matches!(self, Localized::NamesPatch | Localized::DescriptionsPatch);
        let mut object = ObjectBuilder::new()
            .schema_type(Type::Object)
            .additional_properties(Some(
                utoipa::openapi::schema::AdditionalProperties::FreeForm(false),
            ))
            .description(Some(if names {
                "Name per language (1 to 100 characters, not only spaces); the site's default \
                 language is required"
            } else {
                "Description per language (at most 1000 characters)"
            }));
        for lang in languages {
            let lang = lang.as_ref();
            let text = if names {
                string()
                    .min_length(Some(1))
                    .max_length(Some(100))
                    .pattern(Some(NO_NUL_NOT_BLANK))
            } else {
                string().max_length(Some(1000)).pattern(Some(NO_NUL))
            };
            let nullable = patch && !(names && lang == default);
            let text = if nullable {
                text.schema_type(utoipa::openapi::schema::SchemaType::from_iter([
                    Type::String,
                    Type::Null,
                ]))
            } else {
                text
            };
            object = object.property(lang, text);
        }
        if names && !patch {
            object = object.required(default);
        }
        object.into()
    }
}

macro_rules! localized_schema {
    ($ty:ident, $form:ident) => {
        named_schema!(
            /// Section text per language ([`Localized`]).
            $ty = stringify!($ty),
            Localized::$form
                .schema(DEFAULT_LANGUAGES, DEFAULT_LANGUAGES[0])
                .into()
        );
    };
}

localized_schema!(SectionNames, Names);
localized_schema!(SectionDescriptions, Descriptions);
localized_schema!(SectionNamesPatch, NamesPatch);
localized_schema!(SectionDescriptionsPatch, DescriptionsPatch);

/// The document as this site serves it: `Lang` lists the site's languages, and section names
/// are keyed by them.
pub fn for_site(doc: &mut utoipa::openapi::OpenApi, languages: &[String], default: &str) {
    if let Some(components) = doc.components.as_mut() {
        components
            .schemas
            .insert(Lang::name().into_owned(), lang_schema(languages).into());
        for form in Localized::ALL {
            components.schemas.insert(
                form.name().to_string(),
                form.schema(languages, default).into(),
            );
        }
    }
}

/// What the whole document states once the routes are in: see [`empty_query_values`] and
/// [`no_nul_in_requests`].
pub fn conventions(doc: &mut utoipa::openapi::OpenApi) {
    empty_query_values(doc);
    no_nul_in_requests(doc);
}

/// Marks every optional query parameter `allowEmptyValue`: newsdesk reads `?cursor=` as a
/// parameter left out (see [`crate::http::params::Query`]).
pub fn empty_query_values(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::Required;
    use utoipa::openapi::path::ParameterIn;
    for item in doc.paths.paths.values_mut() {
        for op in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            for param in op.parameters.iter_mut().flatten() {
                let RefOr::T(param) = param else { continue };
                if param.parameter_in == ParameterIn::Query && param.required == Required::False {
                    param
                        .extensions
                        .get_or_insert_with(Default::default)
                        .insert("allowEmptyValue".into(), serde_json::Value::Bool(true));
                }
            }
        }
    }
}

/// Text the request bodies take never holds the NUL character (see
/// [`crate::http::json::parse_all`]): every free-text string of a request schema says so in
/// its `pattern`. Strings with a pattern or a list of values of their own exclude it already.
pub fn no_nul_in_requests(doc: &mut utoipa::openapi::OpenApi) {
    use std::collections::BTreeSet;
    let mut names: BTreeSet<String> = BTreeSet::new();
    for item in doc.paths.paths.values() {
        for op in [&item.post, &item.put, &item.patch].into_iter().flatten() {
            let Some(RefOr::T(body)) = &op.request_body else {
                continue;
            };
            for content in body.content.values() {
                let RefOr::T(content) = content else { continue };
                if let Some(RefOr::Ref(r)) = &content.schema {
                    names.insert(component_name(&r.ref_location));
                }
            }
        }
    }
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    let mut pending: Vec<String> = names.iter().cloned().collect();
    let mut done: BTreeSet<String> = BTreeSet::new();
    while let Some(name) = pending.pop() {
        if !done.insert(name.clone()) {
            continue;
        }
        if let Some(RefOr::T(schema)) = components.schemas.get_mut(&name) {
            let mut refs = Vec::new();
            exclude_nul(schema, &mut refs);
            pending.extend(refs);
        }
    }
}

fn component_name(location: &str) -> String {
    location.rsplit('/').next().unwrap_or_default().to_string()
}

/// Adds the no-NUL pattern to the strings of `schema`, and lists the components it refers to.
fn exclude_nul(schema: &mut Schema, refs: &mut Vec<String>) {
    fn child(child: &mut RefOr<Schema>, refs: &mut Vec<String>) {
        match child {
            RefOr::T(schema) => exclude_nul(schema, refs),
            RefOr::Ref(r) => refs.push(component_name(&r.ref_location)),
        }
    }
    match schema {
        Schema::Object(object) => {
            let is_string = match &object.schema_type {
                SchemaType::Type(t) => *t == Type::String,
                SchemaType::Array(types) => types.contains(&Type::String),
                SchemaType::AnyValue => false,
            };
            if is_string && object.enum_values.is_none() {
                object.pattern = match object.pattern.as_deref() {
                    None => Some(NO_NUL.to_string()),
                    Some("\\S") => Some(NO_NUL_NOT_BLANK.to_string()),
                    Some(other) => Some(other.to_string()),
                };
            }
            for property in object.properties.values_mut() {
                child(property, refs);
            }
            if let Some(utoipa::openapi::schema::AdditionalProperties::RefOr(extra)) =
                object.additional_properties.as_deref_mut()
            {
                child(extra, refs);
            }
        }
        Schema::Array(array) => {
            if let utoipa::openapi::schema::ArrayItems::RefOrSchema(items) = &mut array.items {
                child(items, refs);
            }
        }
        Schema::OneOf(one_of) => one_of.items.iter_mut().for_each(|i| child(i, refs)),
        Schema::AnyOf(any_of) => any_of.items.iter_mut().for_each(|i| child(i, refs)),
        Schema::AllOf(all_of) => all_of.items.iter_mut().for_each(|i| child(i, refs)),
        _ => {}
    }
}

/// Any text without the NUL character.
const NO_NUL: &str = "^[^\\u0000]*$";
/// Text without the NUL character that is not only spaces.
const NO_NUL_NOT_BLANK: &str = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$";

/// Every named schema, for the document's components.
pub fn components() -> Vec<(String, RefOr<Schema>)> {
    fn entry<T: ToSchema>() -> (String, RefOr<Schema>) {
        (T::name().into_owned(), T::schema())
    }
    vec![
        entry::<Lang>(),
        entry::<ResourceRef>(),
        entry::<SlugFilter>(),
        entry::<DateOrTime>(),
        entry::<Cursor>(),
        entry::<Slug>(),
        entry::<HttpUrl>(),
        entry::<LanguageCode>(),
        entry::<SectionNames>(),
        entry::<SectionDescriptions>(),
        entry::<SectionNamesPatch>(),
        entry::<SectionDescriptionsPatch>(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern_of<T: ToSchema>() -> regex_lite::Regex {
        let json = serde_json::to_value(T::schema()).unwrap();
        regex_lite::Regex::new(json["pattern"].as_str().unwrap()).unwrap()
    }

    #[test]
    fn documented_refs_parse() {
        let re = pattern_of::<ResourceRef>();
        for ok in ["1", "42", "world", "a-b", "2024-review", "x1", "1x"] {
            assert!(re.is_match(ok), "{ok}");
            assert!(crate::http::params::Ref::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["0", "007", "-a", "a-", "a--b", "A", "a b", ""] {
            assert!(!re.is_match(bad), "{bad}");
        }
    }

    #[test]
    fn documented_slugs_are_accepted() {
        let re = pattern_of::<Slug>();
        for ok in ["world", "2024-review", "x1", "vybory-v-baku-2"] {
            assert!(re.is_match(ok), "{ok}");
            assert!(crate::domain::slug::slug_problem(ok).is_none(), "{ok}");
        }
        for bad in ["2024", "0", "-a", "a--b", "Ab"] {
            assert!(!re.is_match(bad), "{bad}");
        }
    }
}
