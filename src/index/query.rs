//! The search query language, parsed once into a small tree that [`super::search`] renders
//! term by term into index queries. Words must all match; `"exact phrases"`; `-excluded`
//! words or phrases; `a OR b`; `prefix*`. Anything else is ordinary text: stray quotes, `*`,
//! `:`, `(`, `NEAR`, `AND`, `NOT` and punctuation are never query syntax, so no input can
//! produce a syntax error, and no user text reaches tantivy's own query parser.

use super::text::{fold, words};
use crate::error::{ApiError, FieldError};

/// Longest query accepted, in bytes.
pub const MAX_QUERY_BYTES: usize = 1_000;
/// Most terms (words and phrases) in one query.
pub const MAX_TERMS: usize = 32;
/// Shortest word usable as a prefix (`ko*`).
pub const MIN_PREFIX: usize = 2;

/// A word, a prefix, or a phrase (several words in a row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Folded words; more than one makes a phrase.
    pub words: Vec<String>,
    /// `word*`: matches words starting with it.
    pub prefix: bool,
}

impl Term {
    pub fn text(&self) -> String {
        self.words.join(" ")
    }
}

/// A parsed query: every clause must match (a clause matches when any of its terms does),
/// and no excluded term may.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub clauses: Vec<Vec<Term>>,
    pub excluded: Vec<Term>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Term { term: Term, negated: bool },
    Or,
}

fn invalid(message: &str) -> ApiError {
    ApiError::BadRequest {
        code: "invalid_query",
        detail: format!("the search query cannot be used: {message}"),
        errors: vec![FieldError::new("q", "invalid_query", message)],
    }
}

/// Turns one chunk of raw text into a term: its words, a phrase when there are several.
fn term_of(raw: &str, quoted: bool) -> Option<Term> {
    let prefix = !quoted && raw.ends_with('*');
    let words = words(raw);
    if words.is_empty() {
        return None;
    }
    let prefix = prefix && words.len() == 1 && words[0].chars().count() >= MIN_PREFIX;
    Some(Term { words, prefix })
}

fn tokenize(q: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = q.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let Some(&first) = chars.peek() else { break };
        let negated = first == '-' && {
            chars.next();
            chars.peek().is_some_and(|c| !c.is_whitespace())
        };
        if chars.peek() == Some(&'"') {
            chars.next();
            let phrase: String = chars.by_ref().take_while(|c| *c != '"').collect();
            if let Some(term) = term_of(&phrase, true) {
                tokens.push(Token::Term { term, negated });
            }
            continue;
        }
        let mut raw = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() || c == '"' {
                break;
            }
            raw.push(c);
            chars.next();
        }
        if raw == "OR" && !negated {
            tokens.push(Token::Or);
        } else if let Some(term) = term_of(&raw, false) {
            tokens.push(Token::Term { term, negated });
        }
    }
    tokens
}

impl Query {
    /// Parses the `q` parameter. A 400 `invalid_query` when it is empty, too long, has too
    /// many terms, or excludes without including anything.
    pub fn parse(q: &str) -> Result<Self, ApiError> {
        if q.len() > MAX_QUERY_BYTES {
            return Err(invalid(&format!("longer than {MAX_QUERY_BYTES} bytes")));
        }
        let tokens = tokenize(q);
        let mut clauses: Vec<Vec<Term>> = Vec::new();
        let mut excluded = Vec::new();
        let mut join_next = false;
        let mut count = 0;
        for (i, token) in tokens.iter().enumerate() {
            match token {
                Token::Or => {
                    // OR joins two terms; anywhere else it is the word "or".
                    let after_term =
                        i > 0 && matches!(tokens[i - 1], Token::Term { negated: false, .. });
                    let before_term =
                        matches!(tokens.get(i + 1), Some(Token::Term { negated: false, .. }));
                    if after_term && before_term && !clauses.is_empty() {
                        join_next = true;
                    } else {
                        clauses.push(vec![Term {
                            words: vec![fold("or")],
                            prefix: false,
                        }]);
                        count += 1;
                    }
                }
                Token::Term {
                    term,
                    negated: true,
                } => {
                    excluded.push(term.clone());
                    count += 1;
                }
                Token::Term {
                    term,
                    negated: false,
                } => {
                    count += 1;
                    match clauses.last_mut() {
                        Some(last) if join_next => last.push(term.clone()),
                        _ => clauses.push(vec![term.clone()]),
                    }
                    join_next = false;
                }
            }
        }
        if count > MAX_TERMS {
            return Err(invalid(&format!("more than {MAX_TERMS} terms")));
        }
        if clauses.is_empty() {
            return Err(if excluded.is_empty() {
                invalid("it has no words to search for")
            } else {
                invalid("it only excludes; add a word to search for")
            });
        }
        Ok(Query { clauses, excluded })
    }

    /// Every positive term, for highlighting.
    pub fn positive_terms(&self) -> impl Iterator<Item = &Term> {
        self.clauses.iter().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words_of(q: &Query) -> Vec<Vec<String>> {
        q.clauses
            .iter()
            .map(|c| c.iter().map(Term::text).collect())
            .collect()
    }

    #[test]
    fn parses_the_language() {
        let q = Query::parse(r#"Baku "oil prices" -gas kos* wind OR solar"#).unwrap();
        assert_eq!(
            words_of(&q),
            vec![
                vec!["baku"],
                vec!["oil prices"],
                vec!["kos"],
                vec!["wind", "solar"]
            ]
        );
        assert!(q.clauses[2][0].prefix);
        assert_eq!(q.excluded[0].text(), "gas");
    }

    #[test]
    fn hostile_input_is_plain_text() {
        for q in [
            "\"",
            "\"\"\"",
            "*",
            ":",
            "(",
            ")",
            "NEAR",
            "AND",
            "OR",
            "NOT",
            "a OR",
            "OR b",
            "title:x",
            "x NEAR/3 y",
            "-",
            "--",
            "\u{1F600} news",
            "Баку Baku 巴库",
            "a\"b",
            "k*",
        ] {
            match Query::parse(q) {
                Ok(parsed) => {
                    let terms = parsed.positive_terms().chain(&parsed.excluded);
                    for t in terms {
                        assert!(t.words.iter().all(|w| !w.is_empty()), "{q}");
                    }
                }
                Err(ApiError::BadRequest { code, .. }) => assert_eq!(code, "invalid_query", "{q}"),
                Err(other) => panic!("{q}: {other:?}"),
            }
        }
        assert!(Query::parse("!!!").is_err());
        assert!(Query::parse("-only").is_err());
        assert!(Query::parse(&"word ".repeat(40)).is_err());
        assert!(Query::parse(&"x".repeat(2_000)).is_err());
        let q = Query::parse("OR").unwrap();
        assert_eq!(words_of(&q), vec![vec!["or"]]);
        let q = Query::parse("COVID-19 e-mail").unwrap();
        assert_eq!(words_of(&q), vec![vec!["covid 19"], vec!["e mail"]]);
    }
}
