//! Snippets: the passage of an article that best matches a query, with matching words wrapped
//! in `<mark>` and everything else HTML-escaped. Built from the stored plain text with the same
//! folding (and, for English and Russian, the same stemming) as the index, so both backends
//! produce the same snippet for the same article.

use std::collections::HashSet;

use rust_stemmers::Stemmer;

use crate::index::query::{Query, Term};
use crate::index::text::{fold_initial, fold_into, segments, stemmer, word_ranges};

/// Words in a snippet.
pub const SNIPPET_WORDS: usize = 30;

/// What a word must look like to be marked.
struct Matcher {
    /// Few: compared one by one, which is faster than hashing every word of the text.
    exact: Vec<String>,
    prefixes: Vec<String>,
    stems: HashSet<String>,
    /// The first three letters of each stem: a word can only share a stem it begins with.
    stem_heads: Vec<String>,
    stemmer: Option<Stemmer>,
    /// The first letters (folded) of everything above: a word starting otherwise cannot
    /// match, and is not folded at all.
    initials: Vec<char>,
}

impl Matcher {
    fn new(query: &Query, lang: &str) -> Self {
        let stemmer = stemmer(lang);
        let mut exact = Vec::new();
        let mut prefixes = Vec::new();
        let mut stems = HashSet::new();
        for Term { words, prefix } in query.positive_terms() {
            for word in words {
                if *prefix {
                    prefixes.push(word.clone());
                } else {
                    exact.push(word.clone());
                    if let Some(s) = &stemmer {
                        stems.insert(s.stem(word).into_owned());
                    }
                }
            }
        }
        let stem_heads: Vec<String> = stems.iter().map(|s| s.chars().take(3).collect()).collect();
        let mut initials: Vec<char> = exact
            .iter()
            .chain(&prefixes)
            .chain(&stem_heads)
            .filter_map(|w| w.chars().next())
            .collect();
        initials.sort_unstable();
        initials.dedup();
        Matcher {
            initials,
            exact,
            prefixes,
            stems,
            stem_heads,
            stemmer,
        }
    }

    /// Whether a word (as written) may match: its first letter, folded, starts some term.
    fn may_match(&self, segment: &str) -> bool {
        let Some(first) = segment.chars().next() else {
            return false;
        };
        fold_initial(first).is_none_or(|c| self.initials.contains(&c))
    }

    /// Whether a folded word matches.
    fn matches(&self, word: &str) -> bool {
        self.exact.iter().any(|w| w == word)
            || self.prefixes.iter().any(|p| word.starts_with(p.as_str()))
            || self.stemmer.as_ref().is_some_and(|s| {
                self.stem_heads.iter().any(|h| word.starts_with(h.as_str()))
                    && self.stems.contains(s.stem(word).as_ref())
            })
    }
}

/// A word of the text: its byte range, and which distinct matching word it is.
struct Word {
    start: usize,
    end: usize,
    matched: Option<usize>,
}

/// The best passage of `text` for `query`: the window of [`SNIPPET_WORDS`] words with the most
/// distinct matching words (then the most matches), marked and escaped. `None` when nothing in
/// `text` matches. Linear in the text: each word is folded into one reused buffer, and the
/// window slides over per-word counts.
pub fn snippet(text: &str, query: &Query, lang: &str) -> Option<String> {
    let matcher = Matcher::new(query, lang);
    // The distinct matching words met so far (few: allocated once each).
    let mut distinct_words: Vec<String> = Vec::new();
    let mut folded = String::new();
    let mut words: Vec<Word> = Vec::with_capacity(text.len() / 6 + 1);
    for range in word_ranges(text) {
        let segment = &text[range.clone()];
        let matched = if matcher.may_match(segment) {
            folded.clear();
            fold_into(segment, &mut folded);
            matcher.matches(&folded).then(|| {
                distinct_words
                    .iter()
                    .position(|w| *w == folded)
                    .unwrap_or_else(|| {
                        distinct_words.push(folded.clone());
                        distinct_words.len() - 1
                    })
            })
        } else {
            None
        };
        words.push(Word {
            start: range.start,
            end: range.end,
            matched,
        });
    }
    if distinct_words.is_empty() {
        return None;
    }
    let window = SNIPPET_WORDS.min(words.len());
    // Sliding window: matches per distinct word inside it.
    let mut inside = vec![0u32; distinct_words.len()];
    let (mut distinct, mut total) = (0usize, 0usize);
    let mut best = (0usize, 0usize, 0usize); // (distinct, total, start)
    for (i, word) in words.iter().enumerate() {
        if let Some(m) = word.matched {
            inside[m] += 1;
            total += 1;
            if inside[m] == 1 {
                distinct += 1;
            }
        }
        if i >= window
            && let Some(m) = words[i - window].matched
        {
            inside[m] -= 1;
            total -= 1;
            if inside[m] == 0 {
                distinct -= 1;
            }
        }
        if i + 1 >= window {
            let start = i + 1 - window;
            if (distinct, total) > (best.0, best.1) {
                best = (distinct, total, start);
            }
        }
    }
    let start = best.2;
    // Open the window a little before the first match so it reads as a sentence.
    let first_match = words[start..start + window]
        .iter()
        .position(|w| w.matched.is_some())
        .unwrap_or(0);
    let start = (start + first_match.saturating_sub(3)).min(words.len() - window);
    let shown = &words[start..start + window];
    // Reaching either end of the text, keep what surrounds the first or last word.
    let mut pos = if start == 0 { 0 } else { shown[0].start };
    let to = if start + window == words.len() {
        text.len()
    } else {
        shown[window - 1].end
    };
    let mut out = String::with_capacity(to - pos + 64);
    if start > 0 {
        out.push_str("… ");
    }
    for word in shown {
        out.push_str(&html_escape::encode_text(&text[pos..word.start]));
        let escaped = html_escape::encode_text(&text[word.start..word.end]);
        if word.matched.is_some() {
            out.push_str("<mark>");
            out.push_str(&escaped);
            out.push_str("</mark>");
        } else {
            out.push_str(&escaped);
        }
        pos = word.end;
    }
    out.push_str(&html_escape::encode_text(&text[pos..to]));
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
