//! Snippets: the passage of an article that best matches a query, with matching words wrapped
//! in `<mark>` and everything else HTML-escaped. Built from the stored plain text with the same
//! folding (and, for English and Russian, the same stemming) as the index, so both backends
//! produce the same snippet for the same article.

use std::collections::HashSet;
use std::ops::Range;

use rust_stemmers::Stemmer;

use crate::index::query::{Query, Term};
use crate::index::text::{
    fold_initial, fold_into, scan_words, segments, stemmer, word_ranges, word_start_before,
};

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
    /// The same for words starting with an ASCII byte, by byte.
    ascii_initials: [bool; 128],
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
        let mut ascii_initials = [false; 128];
        for (b, wanted) in ascii_initials.iter_mut().enumerate() {
            *wanted = initials.contains(&char::from(b as u8).to_ascii_lowercase());
        }
        Matcher {
            ascii_initials,
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

/// A matching word of the text: its place among the words, its byte range, and which distinct
/// matching word it is.
struct Match {
    index: usize,
    start: usize,
    end: usize,
    which: usize,
}

/// The best passage of `text` for `query`: the window of [`SNIPPET_WORDS`] words with the most
/// distinct matching words (then the most matches), marked and escaped. `None` when nothing in
/// `text` matches. Linear in the text, and cheap per word: only words whose first letter could
/// match are looked at (see [`scan_words`]), each folded into one reused buffer; the window is
/// chosen from the matches alone.
pub fn snippet(text: &str, query: &Query, lang: &str) -> Option<String> {
    let matcher = Matcher::new(query, lang);
    // The distinct matching words met so far (few: allocated once each).
    let mut distinct_words: Vec<String> = Vec::new();
    let mut folded = String::new();
    let mut matches: Vec<Match> = Vec::new();
    let count = scan_words(text, &matcher.ascii_initials, |index, range| {
        let segment = &text[range.clone()];
        if !matcher.may_match(segment) {
            return;
        }
        folded.clear();
        fold_into(segment, &mut folded);
        if !matcher.matches(&folded) {
            return;
        }
        let which = distinct_words
            .iter()
            .position(|w| *w == folded)
            .unwrap_or_else(|| {
                distinct_words.push(folded.clone());
                distinct_words.len() - 1
            });
        matches.push(Match {
            index,
            start: range.start,
            end: range.end,
            which,
        });
    });
    if matches.is_empty() {
        return None;
    }
    let window = SNIPPET_WORDS.min(count);
    let last_start = count - window;
    // The earliest window with the most distinct matches, then the most matches. What a window
    // holds changes only where a match enters or leaves it, so only those starts (and the
    // first) need comparing; two cursors over the matches keep the counts.
    let mut starts: Vec<usize> = Vec::with_capacity(2 * matches.len() + 1);
    starts.push(0);
    for m in &matches {
        starts.push((m.index + 1).saturating_sub(window));
        starts.push(m.index + 1);
    }
    starts.retain(|&s| s <= last_start);
    starts.sort_unstable();
    starts.dedup();
    let mut inside = vec![0u32; distinct_words.len()];
    let (mut distinct, mut total, mut entered, mut left) = (0usize, 0usize, 0usize, 0usize);
    let mut best = (0usize, 0usize, 0usize); // (distinct, total, start)
    for &start in &starts {
        while entered < matches.len() && matches[entered].index < start + window {
            let m = matches[entered].which;
            inside[m] += 1;
            total += 1;
            distinct += usize::from(inside[m] == 1);
            entered += 1;
        }
        while left < entered && matches[left].index < start {
            let m = matches[left].which;
            inside[m] -= 1;
            total -= 1;
            distinct -= usize::from(inside[m] == 0);
            left += 1;
        }
        if (distinct, total) > (best.0, best.1) {
            best = (distinct, total, start);
        }
    }
    // Open the window a little before its first match so it reads as a sentence.
    let first = matches
        .iter()
        .find(|m| m.index >= best.2)
        .unwrap_or(&matches[0]);
    let start = best.2.max(first.index.saturating_sub(3)).min(last_start);
    let from = if start == 0 {
        0
    } else {
        word_start_before(text, first.start, first.index - start)
    };
    let shown: Vec<Range<usize>> = word_ranges(&text[from..])
        .take(window)
        .map(|r| from + r.start..from + r.end)
        .collect();
    let marked = |r: &Range<usize>| {
        matches
            .binary_search_by_key(&r.start, |m| m.start)
            .is_ok_and(|i| matches[i].end == r.end)
    };
    // Reaching either end of the text, keep what surrounds the first or last word.
    let mut pos = from;
    let to = match shown.last() {
        Some(last) if start + window < count => last.end,
        _ => text.len(),
    };
    let mut out = String::with_capacity(to - pos + 64);
    if start > 0 {
        out.push_str("… ");
    }
    for word in &shown {
        out.push_str(&html_escape::encode_text(&text[pos..word.start]));
        let escaped = html_escape::encode_text(&text[word.clone()]);
        if marked(word) {
            out.push_str("<mark>");
            out.push_str(&escaped);
            out.push_str("</mark>");
        } else {
            out.push_str(&escaped);
        }
        pos = word.end;
    }
    out.push_str(&html_escape::encode_text(&text[pos..to]));
    if start + window < count {
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

    /// The snippet computed the plain way: every word of the text in a list, the window slid
    /// over all of them.
    fn reference(text: &str, query: &Query, lang: &str) -> Option<String> {
        let matcher = Matcher::new(query, lang);
        let mut distinct_words: Vec<String> = Vec::new();
        let words: Vec<(Range<usize>, Option<usize>)> = word_ranges(text)
            .map(|r| {
                let folded = crate::index::text::fold(&text[r.clone()]);
                let m =
                    (matcher.may_match(&text[r.clone()]) && matcher.matches(&folded)).then(|| {
                        distinct_words
                            .iter()
                            .position(|w| *w == folded)
                            .unwrap_or_else(|| {
                                distinct_words.push(folded.clone());
                                distinct_words.len() - 1
                            })
                    });
                (r, m)
            })
            .collect();
        if distinct_words.is_empty() {
            return None;
        }
        let window = SNIPPET_WORDS.min(words.len());
        let score = |s: usize| {
            let inside: Vec<usize> = words[s..s + window].iter().filter_map(|w| w.1).collect();
            let mut distinct = inside.clone();
            distinct.sort_unstable();
            distinct.dedup();
            (distinct.len(), inside.len())
        };
        let best = (0..=words.len() - window)
            .fold((0, (0, 0)), |best, s| {
                if score(s) > best.1 {
                    (s, score(s))
                } else {
                    best
                }
            })
            .0;
        let first = words[best..]
            .iter()
            .position(|w| w.1.is_some())
            .unwrap_or(0);
        let start = (best + first.saturating_sub(3)).min(words.len() - window);
        let shown = &words[start..start + window];
        let mut pos = if start == 0 { 0 } else { shown[0].0.start };
        let to = if start + window == words.len() {
            text.len()
        } else {
            shown[window - 1].0.end
        };
        let mut out = String::from(if start > 0 { "… " } else { "" });
        for (r, m) in shown {
            out.push_str(&html_escape::encode_text(&text[pos..r.start]));
            let word = html_escape::encode_text(&text[r.clone()]);
            out.push_str(&if m.is_some() {
                format!("<mark>{word}</mark>")
            } else {
                word.into()
            });
            pos = r.end;
        }
        out.push_str(&html_escape::encode_text(&text[pos..to]));
        if start + window < words.len() {
            out.push_str(" …");
        }
        Some(out)
    }

    #[test]
    fn agrees_with_the_plain_computation() {
        let queries = [
            ("government", "en"),
            ("kosovo выборы", "ru"),
            ("b* ə", "az"),
            ("a q 9 ж", "en"),
            ("\"government kosovo\" -zzz", "en"),
        ];
        for text in crate::index::text::tests::mixed_texts() {
            for (q, lang) in queries {
                let query = Query::parse(q).unwrap();
                assert_eq!(
                    snippet(&text, &query, lang),
                    reference(&text, &query, lang),
                    "{q:?} in {text:?}"
                );
            }
        }
    }
}
