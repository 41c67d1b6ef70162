//! The layout of the search index: its fields and the analyzers that turn text into terms.
//!
//! Each article is indexed in the fields of its language group: English and Russian text is
//! folded and stemmed with that language's Snowball stemmer, every other language (Azerbaijani
//! included) is folded whole words. A query is read once per group and each reading only meets
//! the fields of its own group, so an article is matched by its own language's rules.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{Index, Term};

use super::text::{fold_into, segments, stemmer};

/// Changes whenever the fields or the analysis change: an index made by another version is
/// rebuilt.
pub const SCHEMA_VERSION: u32 = 2;

/// How much a match in each part weighs against a match in the body.
pub const TITLE_BOOST: f32 = 10.0;
pub const LEAD_BOOST: f32 = 5.0;

/// A language group: the languages analyzed alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    English,
    Russian,
    Other,
}

impl Group {
    pub const ALL: [Group; 3] = [Group::English, Group::Russian, Group::Other];

    pub fn of(lang: &str) -> Self {
        match lang {
            "en" => Group::English,
            "ru" => Group::Russian,
            _ => Group::Other,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Group::English => "en",
            Group::Russian => "ru",
            Group::Other => "other",
        }
    }

    fn lang(self) -> &'static str {
        match self {
            Group::Other => "",
            g => g.name(),
        }
    }

    fn tokenizer(self) -> String {
        format!("newsdesk_{}", self.name())
    }

    /// The term a folded query word becomes in this group (its stem, where stemming applies).
    pub fn term(self, word: &str) -> String {
        match stemmer(self.lang()) {
            Some(s) => s.stem(word).into_owned(),
            None => word.to_string(),
        }
    }
}

/// The text fields of one language group.
#[derive(Debug, Clone, Copy)]
pub struct TextFields {
    pub group: Group,
    pub title: Field,
    pub lead: Field,
    pub body: Field,
}

/// Every field of the index.
#[derive(Debug, Clone)]
pub struct Fields {
    pub id: Field,
    pub section: Field,
    pub lang: Field,
    pub published: Field,
    pub tags: Field,
    pub authors: Field,
    /// Folded, unstemmed title words of every language: what suggestions complete.
    pub suggest: Field,
    pub text: [TextFields; 3],
    /// The body's plain text as stored (not searched): what snippets are cut from, so that a
    /// page of hits needs no body from the database.
    pub body_text: Field,
}

impl Fields {
    pub fn group(&self, group: Group) -> &TextFields {
        &self.text[Group::ALL.iter().position(|g| *g == group).unwrap_or(2)]
    }

    pub fn id_term(&self, id: i64) -> Term {
        Term::from_field_u64(self.id, id as u64)
    }
}

/// The schema and its fields.
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let id = b.add_u64_field("id", INDEXED | FAST);
    let section = b.add_u64_field("section", INDEXED | FAST);
    let lang = b.add_text_field("lang", STRING | FAST);
    let published = b.add_i64_field("published", INDEXED | FAST);
    let tags = b.add_u64_field("tags", INDEXED);
    let authors = b.add_u64_field("authors", INDEXED);
    let suggest = b.add_text_field(
        "suggest",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(&Group::Other.tokenizer())
                .set_index_option(IndexRecordOption::Basic),
        ),
    );
    let text = Group::ALL.map(|group| {
        let options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(&group.tokenizer())
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        TextFields {
            group,
            title: b.add_text_field(&format!("title_{}", group.name()), options.clone()),
            lead: b.add_text_field(&format!("lead_{}", group.name()), options.clone()),
            body: b.add_text_field(&format!("body_{}", group.name()), options),
        }
    });
    let body_text = b.add_text_field("body_text", STORED);
    let fields = Fields {
        body_text,
        id,
        section,
        lang,
        published,
        tags,
        authors,
        suggest,
        text,
    };
    (b.build(), fields)
}

/// Registers the analyzers the schema names.
pub fn register_analyzers(index: &Index) {
    for group in Group::ALL {
        index
            .tokenizers()
            .register(&group.tokenizer(), Analyzer { group });
    }
}

/// Words as [`segments`] sees them, folded, then stemmed in the group's language: the same
/// analysis as the query language and the snippets.
#[derive(Debug, Clone, Copy)]
pub struct Analyzer {
    group: Group,
}

impl Tokenizer for Analyzer {
    type TokenStream<'a> = Words<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Words<'a> {
        Words {
            segments: Box::new(segments(text)),
            text,
            stemmer: stemmer(self.group.lang()),
            folded: String::new(),
            token: Token::default(),
            position: 0,
        }
    }
}

pub struct Words<'a> {
    segments: Box<dyn Iterator<Item = (bool, &'a str)> + 'a>,
    text: &'a str,
    stemmer: Option<rust_stemmers::Stemmer>,
    folded: String,
    token: Token,
    position: usize,
}

impl TokenStream for Words<'_> {
    fn advance(&mut self) -> bool {
        for (word, segment) in self.segments.by_ref() {
            if !word {
                continue;
            }
            let from = segment.as_ptr() as usize - self.text.as_ptr() as usize;
            self.token.text.clear();
            match &self.stemmer {
                Some(s) => {
                    self.folded.clear();
                    fold_into(segment, &mut self.folded);
                    self.token.text.push_str(&s.stem(&self.folded));
                }
                None => fold_into(segment, &mut self.token.text),
            }
            self.token.offset_from = from;
            self.token.offset_to = from + segment.len();
            self.token.position = self.position;
            self.token.position_length = 1;
            self.position += 1;
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(group: Group, text: &str) -> Vec<String> {
        let mut analyzer = Analyzer { group };
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push(t.text.clone());
        }
        out
    }

    #[test]
    fn analysis_per_group() {
        assert_eq!(
            terms(Group::English, "Elections, in Baku!"),
            ["elect", "in", "baku"]
        );
        assert_eq!(
            terms(Group::Russian, "Выборы в парламент"),
            ["выбор", "в", "парламент"]
        );
        assert_eq!(terms(Group::Other, "Bakı şəhəri"), ["baki", "seheri"]);
        assert_eq!(Group::English.term("elections"), "elect");
        assert_eq!(Group::Other.term("elections"), "elections");
    }
}
