//! Snippets: the passage of an article that best matches a query, with matching words wrapped
//! in `<mark>` and everything else HTML-escaped. Built from the stored plain text with the same
//! folding (and, for English and Russian, the same stemming) as the index, so both backends
//! produce the same snippet for the same article.

use std::collections::HashSet;

use rust_stemmers::Stemmer;

use crate::index::query::{Query, Term};
use crate::index::text::{fold, segments, stemmer};

/// Words in a snippet.
pub const SNIPPET_WORDS: usize = 30;

/// What a word must look like to be marked.
struct Matcher {
    exact: HashSet<String>,
    prefixes: Vec<String>,
    stems: HashSet<String>,
    /// The first three letters of each stem: a word can only share a stem it begins with.
    stem_heads: Vec<String>,
    stemmer: Option<Stemmer>,
}

impl Matcher {
    fn new(query: &Query, lang: &str) -> Self {
        let stemmer = stemmer(lang);
        let mut exact = HashSet::new();
        let mut prefixes = Vec::new();
        let mut stems = HashSet::new();
        for Term { words, prefix } in query.positive_terms() {
            for word in words {
                if *prefix {
                    prefixes.push(word.clone());
                } else {
                    exact.insert(word.clone());
                    if let Some(s) = &stemmer {
                        stems.insert(s.stem(word).into_owned());
                    }
                }
            }
        }
        let stem_heads = stems.iter().map(|s| s.chars().take(3).collect()).collect();
        Matcher {
            exact,
            prefixes,
            stems,
            stem_heads,
            stemmer,
        }
    }

    /// The folded word this segment matches as, if it matches.
    fn matches(&self, segment: &str) -> Option<String> {
        let word = fold(segment);
        let hit = self.exact.contains(&word)
            || self.prefixes.iter().any(|p| word.starts_with(p.as_str()))
            || self.stemmer.as_ref().is_some_and(|s| {
                self.stem_heads.iter().any(|h| word.starts_with(h.as_str()))
                    && self.stems.contains(s.stem(&word).as_ref())
            });
        hit.then_some(word)
    }
}

/// The best passage of `text` for `query`: the window of [`SNIPPET_WORDS`] words with the most
/// distinct matching words (then the most matches), marked and escaped. `None` when nothing in
/// `text` matches.
pub fn snippet(text: &str, query: &Query, lang: &str) -> Option<String> {
    let matcher = Matcher::new(query, lang);
    let runs: Vec<(bool, &str)> = segments(text).collect();
    // Index (into `runs`) of each word, and what it matched as.
    let words: Vec<(usize, Option<String>)> = runs
        .iter()
        .enumerate()
        .filter(|(_, (word, _))| *word)
        .map(|(i, (_, s))| (i, matcher.matches(s)))
        .collect();
    if words.iter().all(|(_, m)| m.is_none()) {
        return None;
    }
    let window = SNIPPET_WORDS.min(words.len());
    let mut best = (0usize, 0usize, 0usize); // (distinct, total, start)
    for start in 0..=words.len() - window {
        let slice = &words[start..start + window];
        let matched: Vec<&String> = slice.iter().filter_map(|(_, m)| m.as_ref()).collect();
        let distinct = matched.iter().collect::<HashSet<_>>().len();
        if (distinct, matched.len()) > (best.0, best.1) {
            best = (distinct, matched.len(), start);
        }
    }
    let start = best.2;
    // Open the window a little before the first match so it reads as a sentence.
    let first_match = words[start..start + window]
        .iter()
        .position(|(_, m)| m.is_some())
        .unwrap_or(0);
    let start = (start + first_match.saturating_sub(3)).min(words.len() - window);
    // Reaching either end of the text, keep what surrounds the first or last word.
    let from = if start == 0 { 0 } else { words[start].0 };
    let to = if start + window == words.len() {
        runs.len() - 1
    } else {
        words[start + window - 1].0
    };
    let marked: HashSet<usize> = words
        .iter()
        .filter(|(_, m)| m.is_some())
        .map(|(i, _)| *i)
        .collect();
    let mut out = String::new();
    if start > 0 {
        out.push_str("… ");
    }
    for (i, (_, segment)) in runs.iter().enumerate().take(to + 1).skip(from) {
        let marked = marked.contains(&i);
        let escaped = html_escape::encode_text(segment);
        if marked {
            out.push_str("<mark>");
            out.push_str(&escaped);
            out.push_str("</mark>");
        } else {
            out.push_str(&escaped);
        }
    }
    if start + window < words.len() {
        out.push_str(" …");
    }
    Some(out)
}

/// The opening of `text`, escaped: the snippet when nothing in it matches.
pub fn opening(text: &str) -> String {
    let mut out = String::new();
    let mut count = 0;
    for (word, segment) in segments(text) {
        if word {
            count += 1;
            if count > SNIPPET_WORDS {
                out.push_str(" …");
                break;
            }
        }
        out.push_str(&html_escape::encode_text(segment));
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_matches_and_escapes_the_rest() {
        let q = Query::parse("baki kos*").unwrap();
        let s = snippet("In Bakı, <b>Kosovo</b> & Kosmos were discussed.", &q, "az").unwrap();
        assert_eq!(
            s,
            "In <mark>Bakı</mark>, &lt;b&gt;<mark>Kosovo</mark>&lt;/b&gt; &amp; <mark>Kosmos</mark> were discussed."
        );
        assert!(snippet("nothing here", &q, "en").is_none());
    }

    #[test]
    fn picks_the_best_window_and_stems() {
        let filler = "word ".repeat(60);
        let text = format!("{filler} Выборов в парламент было много. {filler}");
        let q = Query::parse("выборы парламент").unwrap();
        let s = snippet(&text, &q, "ru").unwrap();
        assert!(s.starts_with("… ") && s.ends_with(" …"), "{s}");
        assert!(
            s.contains("<mark>Выборов</mark>") && s.contains("<mark>парламент</mark>"),
            "{s}"
        );
        assert!(opening(&text).ends_with(" …"));
    }
}
