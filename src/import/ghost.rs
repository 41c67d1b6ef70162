//! A streaming reader of Ghost's JSON export (Ghost 2 to 5: `{"db": [{"meta", "data"}]}`;
//! the older `{"meta", "data"}` too). The posts are handed over one at a time as the parser
//! reaches them; the relations (tags, people, `posts_tags`, `posts_authors`), which an export
//! lists after the posts, are read in a first pass that skips the posts.

use std::cell::Cell;
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::rc::Rc;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::wxr::Item;

/// Where the JSON stopped making sense.
#[derive(Debug)]
pub struct Malformed {
    pub line: u64,
    pub column: u64,
    pub message: String,
}

/// Tags, people and who wrote and tagged which post.
#[derive(Debug, Default)]
pub struct Relations {
    /// User id → name.
    pub users: HashMap<String, String>,
    /// Tag id → (slug, name); internal tags (`#...`) left out.
    pub tags: HashMap<String, (String, String)>,
    /// Post id → (sort order, tag id).
    pub post_tags: HashMap<String, Vec<(i64, String)>>,
    /// Post id → (sort order, user id).
    pub post_authors: HashMap<String, Vec<(i64, String)>>,
}

/// An id: text since Ghost 1, a number before.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Id {
    Text(String),
    Number(i64),
}

impl Id {
    fn text(self) -> String {
        match self {
            Id::Text(s) => s,
            Id::Number(n) => n.to_string(),
        }
    }
}

#[derive(Deserialize)]
struct User {
    id: Id,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    slug: Option<String>,
}

#[derive(Deserialize)]
struct Tag {
    id: Id,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    slug: Option<String>,
}

#[derive(Deserialize)]
struct Link {
    post_id: Id,
    #[serde(alias = "author_id")]
    tag_id: Id,
    #[serde(default)]
    sort_order: Option<i64>,
}

#[derive(Deserialize)]
struct Post {
    id: Id,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    slug: Option<String>,
    #[serde(default)]
    html: Option<String>,
    #[serde(default)]
    feature_image: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    /// Ghost 1: pages were posts with `page: true`.
    #[serde(default)]
    page: Option<serde_json::Value>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    published_at: Option<String>,
    #[serde(default)]
    custom_excerpt: Option<String>,
    /// Ghost 1: one author, on the post.
    #[serde(default)]
    author_id: Option<Id>,
}

/// What a pass wants: the relations, or the posts.
enum Rec {
    User(User),
    Tag(Tag),
    PostTag(Link),
    PostAuthor(Link),
    Post(Post),
}

struct Pass<'s> {
    posts: bool,
    sink: &'s mut dyn FnMut(Rec) -> bool,
}

const STOPPED: &str = "newsdesk: stopped by the importer";

/// Reads the relations (everything but the posts).
pub fn relations(path: &Path) -> Result<Relations, Malformed> {
    let mut rel = Relations::default();
    let mut sink = |rec: Rec| {
        match rec {
            Rec::User(u) => {
                let id = u.id.text();
                let name = u.name.or(u.slug).unwrap_or_else(|| id.clone());
                rel.users.insert(id, name);
            }
            Rec::Tag(t) => {
                let name = t.name.unwrap_or_default();
                let slug = t.slug.unwrap_or_default();
                if !name.starts_with('#') && !slug.is_empty() {
                    rel.tags.insert(t.id.text(), (slug, name));
                }
            }
            Rec::PostTag(l) => rel
                .post_tags
                .entry(l.post_id.text())
                .or_default()
                .push((l.sort_order.unwrap_or(0), l.tag_id.text())),
            Rec::PostAuthor(l) => rel
                .post_authors
                .entry(l.post_id.text())
                .or_default()
                .push((l.sort_order.unwrap_or(0), l.tag_id.text())),
            Rec::Post(_) => {}
        }
        true
    };
    read(
        path,
        &mut Pass {
            posts: false,
            sink: &mut sink,
        },
        None,
    )?;
    for links in rel
        .post_tags
        .values_mut()
        .chain(rel.post_authors.values_mut())
    {
        links.sort();
    }
    Ok(rel)
}

/// Reads the posts, each as an [`Item`] of the shape the WordPress reader gives, until `each`
/// answers false. `progress` is told the bytes read.
pub fn posts(
    path: &Path,
    rel: &Relations,
    progress: &mut dyn FnMut(u64),
    mut each: impl FnMut(Item) -> bool,
) -> Result<(), Malformed> {
    let read_so_far = Rc::new(Cell::new(0u64));
    let counter = read_so_far.clone();
    let mut sink = |rec: Rec| {
        let Rec::Post(p) = rec else { return true };
        progress(counter.get());
        each(item(p, rel))
    };
    read(
        path,
        &mut Pass {
            posts: true,
            sink: &mut sink,
        },
        Some(read_so_far),
    )
}

fn item(p: Post, rel: &Relations) -> Item {
    let id = p.id.text();
    let is_page = p.kind.as_deref() == Some("page")
        || matches!(&p.page, Some(serde_json::Value::Bool(true)))
        || matches!(&p.page, Some(serde_json::Value::Number(n)) if n.as_i64() == Some(1));
    let status = match p.status.as_deref() {
        Some("published") => "publish",
        Some("scheduled") => "future",
        Some("draft") => "draft",
        Some(other) => other,
        None => "",
    }
    .to_string();
    let gmt = p
        .published_at
        .as_deref()
        .and_then(|t| {
            chrono::DateTime::parse_from_rfc3339(t)
                .map(|d| d.naive_utc())
                .or_else(|_| chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S"))
                .ok()
        })
        .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_default();
    let tags: Vec<(String, String)> = rel
        .post_tags
        .get(&id)
        .into_iter()
        .flatten()
        .filter_map(|(_, tag)| rel.tags.get(tag).cloned())
        .collect();
    let mut creators: Vec<String> = rel
        .post_authors
        .get(&id)
        .into_iter()
        .flatten()
        .map(|(_, user)| user.clone())
        .collect();
    if creators.is_empty()
        && let Some(a) = p.author_id
    {
        creators.push(a.text());
    }
    let slug = p.slug.unwrap_or_default();
    Item {
        link: if slug.is_empty() {
            String::new()
        } else {
            format!("/{slug}/")
        },
        post_id: id,
        title: p.title.unwrap_or_default(),
        creators,
        content: p.html.unwrap_or_default(),
        excerpt: p.custom_excerpt.unwrap_or_default(),
        post_date: gmt.clone(),
        post_date_gmt: gmt,
        post_name: slug,
        status,
        post_type: if is_page {
            "page".into()
        } else {
            "post".into()
        },
        attachment_url: String::new(),
        // The primary (first) tag is the section, as Ghost themes use it.
        categories: tags.first().cloned().into_iter().collect(),
        tags,
        thumbnail_id: None,
        // Ghost 4+ writes its own images as `__GHOST_URL__/content/...`: kept as a path.
        cover_url: p
            .feature_image
            .filter(|u| !u.is_empty())
            .map(|u| u.replace("__GHOST_URL__", "")),
    }
}

/// A reader that counts the bytes read through it.
struct Counting<R> {
    inner: R,
    read: Option<Rc<Cell<u64>>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(r) = &self.read {
            r.set(r.get() + n as u64);
        }
        Ok(n)
    }
}

fn read(path: &Path, pass: &mut Pass<'_>, count: Option<Rc<Cell<u64>>>) -> Result<(), Malformed> {
    let file = File::open(path).map_err(|e| Malformed {
        line: 0,
        column: 0,
        message: e.to_string(),
    })?;
    let reader = Counting {
        inner: BufReader::with_capacity(1 << 16, file),
        read: count,
    };
    let mut de = serde_json::Deserializer::from_reader(reader);
    let result = RootSeed(pass).deserialize(&mut de).and_then(|()| de.end());
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.to_string().starts_with(STOPPED) => Ok(()),
        Err(e) => Err(Malformed {
            line: e.line() as u64,
            column: e.column() as u64,
            message: e.to_string(),
        }),
    }
}

/// The top object (or one element of `db`): `meta` and `data`.
struct RootSeed<'a, 's>(&'a mut Pass<'s>);

impl<'de> DeserializeSeed<'de> for RootSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RootSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a Ghost export object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "db" => map.next_value_seed(DbSeed(&mut *self.0))?,
                "data" => map.next_value_seed(DataSeed(&mut *self.0))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// `db`: a list of exports.
struct DbSeed<'a, 's>(&'a mut Pass<'s>);

impl<'de> DeserializeSeed<'de> for DbSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for DbSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of exports")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(RootSeed(&mut *self.0))?.is_some() {}
        Ok(())
    }
}

/// `data`: the tables.
struct DataSeed<'a, 's>(&'a mut Pass<'s>);

impl<'de> DeserializeSeed<'de> for DataSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for DataSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("the export's tables")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let posts = self.0.posts;
        while let Some(key) = map.next_key::<String>()? {
            let pass = &mut *self.0;
            match (key.as_str(), posts) {
                ("posts", true) => map.next_value_seed(Each(pass, Rec::Post))?,
                ("users", false) => map.next_value_seed(Each(pass, Rec::User))?,
                ("tags", false) => map.next_value_seed(Each(pass, Rec::Tag))?,
                ("posts_tags", false) => map.next_value_seed(Each(pass, Rec::PostTag))?,
                ("posts_authors", false) => map.next_value_seed(Each(pass, Rec::PostAuthor))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// One table, row by row into the pass's sink.
struct Each<'a, 's, T>(&'a mut Pass<'s>, fn(T) -> Rec);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Each<'_, '_, T> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Each<'_, '_, T> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of rows")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(row) = seq.next_element::<T>()? {
            if !(self.0.sink)((self.1)(row)) {
                return Err(de::Error::custom(STOPPED));
            }
        }
        Ok(())
    }
}
