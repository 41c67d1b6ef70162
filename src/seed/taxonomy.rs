//! The demo newsroom's sections, authors, tags and site settings (all made up).

use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use crate::authors::model::{AuthorRow, NewAuthor};
use crate::db::DbConnection;
use crate::domain::slug::slugify;
use crate::sections::model::{Localized, NewSection, SectionRow};
use crate::settings::model::SiteUpdate;
use crate::settings::queries as site_queries;
use crate::tags::model::{NewTag, TagRow};
use crate::taxonomy::Stored;

/// Ids of what was created, for articles to refer to.
pub struct Taxonomy {
    /// `(id, slug)` in menu order.
    pub sections: Vec<(i64, &'static str)>,
    pub authors: Vec<i64>,
    /// `(id, slug)`.
    pub tags: Vec<(i64, String)>,
}

impl Taxonomy {
    pub fn section(&self, slug: &str) -> i64 {
        self.sections
            .iter()
            .find(|(_, s)| *s == slug)
            .map(|(id, _)| *id)
            .unwrap_or(self.sections[0].0)
    }

    pub fn tag(&self, slug: &str) -> Option<i64> {
        self.tags.iter().find(|(_, s)| s == slug).map(|(id, _)| *id)
    }
}

/// `(slug, [en, ru, az] names, [en, ru, az] descriptions)`.
const SECTIONS: &[(&str, [&str; 3], [&str; 3])] = &[
    (
        "world",
        ["World", "Мир", "Dünya"],
        [
            "News from around the world",
            "Новости со всего мира",
            "Dünyadan xəbərlər",
        ],
    ),
    (
        "politics",
        ["Politics", "Политика", "Siyasət"],
        [
            "Government, parliament and elections",
            "Правительство, парламент и выборы",
            "Hökumət, parlament və seçkilər",
        ],
    ),
    (
        "economy",
        ["Economy", "Экономика", "İqtisadiyyat"],
        [
            "Business, markets and energy",
            "Бизнес, рынки и энергетика",
            "Biznes, bazarlar və enerji",
        ],
    ),
    (
        "society",
        ["Society", "Общество", "Cəmiyyət"],
        [
            "Cities, schools, health and daily life",
            "Города, школы, здоровье и повседневная жизнь",
            "Şəhərlər, məktəblər, səhiyyə və gündəlik həyat",
        ],
    ),
    (
        "sport",
        ["Sport", "Спорт", "İdman"],
        [
            "Football, wrestling, chess and more",
            "Футбол, борьба, шахматы и не только",
            "Futbol, güləş, şahmat və daha çox",
        ],
    ),
    (
        "culture",
        ["Culture", "Культура", "Mədəniyyət"],
        [
            "Music, cinema, books and heritage",
            "Музыка, кино, книги и наследие",
            "Musiqi, kino, kitablar və irs",
        ],
    ),
    (
        "technology",
        ["Technology", "Технологии", "Texnologiya"],
        [
            "Science, telecoms and the digital economy",
            "Наука, связь и цифровая экономика",
            "Elm, rabitə və rəqəmsal iqtisadiyyat",
        ],
    ),
];

const AUTHORS: &[(&str, &str)] = &[
    (
        "Leyla Hasanli",
        "Economy correspondent covering energy markets and the Caspian ports.",
    ),
    (
        "Orkhan Guliyev",
        "Political reporter; follows parliament and regional elections.",
    ),
    ("Nigar Rzayeva", "Health and education writer."),
    ("Elvin Babayev", "Sports editor, football and wrestling."),
    (
        "Sabina Karimova",
        "Culture desk: music, theatre and film festivals.",
    ),
    (
        "Tural Ismayilov",
        "Technology reporter writing about telecoms and start-ups.",
    ),
    ("Anna Volkova", "Moscow-born foreign desk editor."),
    (
        "Dmitri Sokolov",
        "Covers transport, railways and logistics.",
    ),
    (
        "Irina Petrenko",
        "Senior editor of the Russian-language service.",
    ),
    (
        "Maxim Orlov",
        "Data journalist; charts, budgets and statistics.",
    ),
    ("Hannah Greer", "Diplomatic correspondent."),
    ("Tomas Lind", "Climate and environment reporter."),
    ("Rashad Mirzayev", "Regional correspondent in Ganja."),
    ("Gunel Sadigova", "Society and city life columnist."),
    ("Kamran Huseynzade", "Business editor."),
    ("Aysel Novruzova", "Azerbaijani-language service editor."),
    ("Olga Belova", "Science writer."),
    ("Pavel Morozov", "Chess and athletics reporter."),
    ("Marta Kowalska", "European affairs correspondent."),
    ("Daniel Okafor", "Night editor, breaking news."),
    ("Yusif Jafarli", "Photo editor."),
    ("Nargiz Abbasova", "Courts and justice reporter."),
];

const TAGS: &[&str] = &[
    "Energy",
    "Oil and gas",
    "Renewables",
    "Climate",
    "Elections",
    "Parliament",
    "Diplomacy",
    "Trade",
    "Inflation",
    "Banking",
    "Start-ups",
    "Agriculture",
    "Transport",
    "Railways",
    "Aviation",
    "Shipping",
    "Tourism",
    "Education",
    "Health",
    "Housing",
    "Employment",
    "Water",
    "Weather",
    "Football",
    "Wrestling",
    "Chess",
    "Athletics",
    "Olympics",
    "Cinema",
    "Music",
    "Theatre",
    "Literature",
    "Museums",
    "Heritage",
    "Architecture",
    "Artificial intelligence",
    "Cybersecurity",
    "Telecom",
    "Space",
    "Science",
    "Environment",
    "Wildlife",
    "Caspian Sea",
    "Europe",
    "Central Asia",
    "Middle East",
    "United Nations",
    "Courts",
    "Migration",
    "Budget",
    "Taxes",
    "Exports",
    "Construction",
    "Festivals",
    "Public transport",
];

fn localized(values: &[&str; 3]) -> String {
    let map: BTreeMap<String, String> = ["en", "ru", "az"]
        .iter()
        .zip(values.iter())
        .map(|(l, v)| (l.to_string(), v.to_string()))
        .collect();
    Localized(map).to_json()
}

/// Creates the demo sections, authors and tags.
pub fn create(conn: &mut DbConnection, now: NaiveDateTime) -> diesel::QueryResult<Taxonomy> {
    let mut sections = Vec::new();
    for (position, (slug, names, descriptions)) in SECTIONS.iter().enumerate() {
        let new = NewSection {
            names: localized(names),
            descriptions: localized(descriptions),
            position: Some(position as i32 + 1),
        };
        let id = SectionRow::insert(conn, new, slug, now)?;
        sections.push((id, *slug));
    }
    let mut authors = Vec::new();
    for (name, bio) in AUTHORS {
        let slug = slugify(name);
        let new = NewAuthor {
            name: name.to_string(),
            bio: bio.to_string(),
            avatar_url: Some(format!("https://cdn.example.com/avatars/{slug}.jpg")),
        };
        authors.push(AuthorRow::insert(conn, new, &slug, now)?);
    }
    let mut tags = Vec::new();
    for name in TAGS {
        let slug = slugify(name);
        let new = NewTag {
            name: name.to_string(),
        };
        let id = TagRow::insert(conn, new, &slug, now)?;
        tags.push((id, slug));
    }
    Ok(Taxonomy {
        sections,
        authors,
        tags,
    })
}

/// The demo publication's settings.
pub fn site_settings(conn: &mut DbConnection, now: NaiveDateTime) -> diesel::QueryResult<()> {
    let social = serde_json::json!({
        "twitter": "https://twitter.com/caspiancourier",
        "facebook": "https://www.facebook.com/caspiancourier",
        "instagram": "https://www.instagram.com/caspiancourier",
        "youtube": "https://www.youtube.com/@caspiancourier",
        "telegram": "https://t.me/caspiancourier",
    })
    .to_string();
    let apps = serde_json::json!({
        "apple_app_store": "https://apps.apple.com/app/caspian-courier/id0000000000",
        "google_play": "https://play.google.com/store/apps/details?id=com.example.caspiancourier",
    })
    .to_string();
    site_queries::update(
        conn,
        &SiteUpdate {
            name: "Caspian Courier",
            timezone: "Asia/Baku",
            default_language: "en",
            languages: "en,ru,az",
            copyright: "Any use of materials is allowed only with a hyperlink to the source.",
            social_links: &social,
            app_links: &apps,
            min_app_version: Some("2.4.0"),
            updated_at: now,
            description: "News from the Caspian region and the world, in English, Russian and Azerbaijani.",
        },
    )
}
