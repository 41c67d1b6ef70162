//! Text analysis shared by indexing, querying and highlighting, so all three agree on what a
//! word is and when two words are the same.

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lowercases and folds text for search: Latin letters lose their diacritics (`ş`→`s`,
/// `ü`→`u`, `é`→`e`), Azerbaijani `ı` and `ə` become `i` and `e` (they have no decomposition
/// to strip), Cyrillic `ё` becomes `е`. Other letters, Cyrillic `й` included, are kept:
/// the Russian stemmer needs them. The result has the same words in the same order.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        // Fast paths for the scripts of the site's languages: ASCII and basic Cyrillic
        // letters only change case.
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        match c {
            'А'..='Я' => {
                out.push(char::from_u32(c as u32 + 0x20).unwrap_or(c));
                continue;
            }
            'а'..='я' => {
                out.push(c);
                continue;
            }
            _ => {}
        }
        for c in c.to_lowercase() {
            fold_char(c, &mut out);
        }
    }
    out
}

fn fold_char(c: char, out: &mut String) {
    match c {
        'ı' => out.push('i'),
        'ə' => out.push('e'),
        'ё' => out.push('е'),
        c if is_combining_mark(c) => {}
        c if !c.is_ascii() && (c as u32) < 0x0250 => {
            out.extend(c.nfd().filter(|d| !is_combining_mark(*d)));
        }
        c => out.push(c),
    }
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    if ('А'..='ё').contains(&c) {
        return true;
    }
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Splits text into runs, each `(is_word, text)`: words are runs of letters, digits and
/// combining marks; everything between them is kept, so the runs put together give the text
/// back.
pub fn segments(text: &str) -> impl Iterator<Item = (bool, &str)> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let word = is_word_char(first);
        let end = rest
            .char_indices()
            .find(|(_, c)| is_word_char(*c) != word)
            .map_or(rest.len(), |(i, _)| i);
        let (run, tail) = rest.split_at(end);
        rest = tail;
        Some((word, run))
    })
}

/// The words of `text`, folded, in order.
pub fn words(text: &str) -> Vec<String> {
    segments(text)
        .filter(|(word, _)| *word)
        .map(|(_, w)| fold(w))
        .collect()
}

/// The Snowball stemmer of a language, where newsdesk has one (English, Russian).
pub fn stemmer(lang: &str) -> Option<Stemmer> {
    match lang {
        "en" => Some(Stemmer::create(Algorithm::English)),
        "ru" => Some(Stemmer::create(Algorithm::Russian)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(fold("КОСОВО"), "косово");
        assert_eq!(fold("Bakı şəhəri"), "baki seheri");
        assert_eq!(fold("İstanbul Gəncə"), "istanbul gence");
        assert_eq!(fold("Ёлка новый"), "елка новый");
        assert_eq!(fold("Café Düsseldorf Ñandú"), "cafe dusseldorf nandu");
        assert_eq!(fold("naïve façade ÇĞÖÜŞ"), "naive facade cgous");
        assert_eq!(
            words("Hello, world! 2026 — «мир»"),
            vec!["hello", "world", "2026", "мир"]
        );
    }
}
