//! Text analysis shared by indexing, querying and highlighting, so all three agree on what a
//! word is and when two words are the same.

use std::ops::Range;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lowercases and folds text for search: Latin letters lose their diacritics (`ş`→`s`,
/// `ü`→`u`, `é`→`e`), Azerbaijani `ı` and `ə` become `i` and `e` (they have no decomposition
/// to strip), Cyrillic `ё` becomes `е`. Other letters, Cyrillic `й` included, are kept:
/// the Russian stemmer needs them. The result has the same words in the same order.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// [`fold`], appending to `out` (so a caller folding many words reuses one buffer).
pub fn fold_into(text: &str, out: &mut String) {
    if text.is_ascii() {
        out.extend(text.chars().map(|c| c.to_ascii_lowercase()));
        return;
    }
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
            fold_char(c, out);
        }
    }
}

/// The first letter of `fold(c)`, without allocating; `None` for a combining mark (which
/// folding drops).
pub fn fold_initial(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c.to_ascii_lowercase());
    }
    if ('А'..='Я').contains(&c) {
        return char::from_u32(c as u32 + 0x20);
    }
    if ('а'..='я').contains(&c) {
        return Some(c);
    }
    let lower = c.to_lowercase().next()?;
    match lower {
        'ı' => Some('i'),
        'ə' => Some('e'),
        'ё' => Some('е'),
        c if is_combining_mark(c) => None,
        c if !c.is_ascii() && (c as u32) < 0x0250 => c.nfd().next(),
        c => Some(c),
    }
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

/// The byte ranges of the words of `text`: runs of letters, digits and combining marks.
/// One pass over the bytes: ASCII is decided from the byte, basic Cyrillic from its two bytes,
/// other characters are decoded.
pub fn word_ranges(text: &str) -> WordRanges<'_> {
    WordRanges { text, pos: 0 }
}

/// The iterator of [`word_ranges`].
pub struct WordRanges<'a> {
    text: &'a str,
    pos: usize,
}

/// What a byte says about the character it starts: an ASCII letter or digit, other ASCII, or
/// the first byte of a wider character (or a continuation byte, never met at a boundary).
const ASCII_WORD: u8 = 1;
const ASCII_OTHER: u8 = 0;
const WIDE: u8 = 2;
static BYTE_CLASS: [u8; 256] = {
    let mut table = [WIDE; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = if (b as u8).is_ascii_alphanumeric() {
            ASCII_WORD
        } else {
            ASCII_OTHER
        };
        b += 1;
    }
    table
};

impl WordRanges<'_> {
    /// Whether the wide character at `at` is part of a word, and its length in bytes.
    #[inline]
    fn wide(&self, at: usize) -> (bool, usize) {
        let bytes = self.text.as_bytes();
        let b = bytes[at];
        // U+0400..U+047F are the two bytes D0 80..D1 BF; the letters А..ё are U+0410..U+0451.
        if (b == 0xD0 || b == 0xD1) && at + 1 < bytes.len() {
            let c = (u32::from(b & 0x1F) << 6) | u32::from(bytes[at + 1] & 0x3F);
            if (0x410..=0x451).contains(&c) {
                return (true, 2);
            }
        }
        let c = self.text[at..].chars().next().unwrap_or(' ');
        (is_word_char(c), c.len_utf8())
    }
}

impl Iterator for WordRanges<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let bytes = self.text.as_bytes();
        let mut pos = self.pos;
        let start = loop {
            let Some(&b) = bytes.get(pos) else {
                self.pos = pos;
                return None;
            };
            match BYTE_CLASS[usize::from(b)] {
                ASCII_WORD => break pos,
                ASCII_OTHER => pos += 1,
                _ => match self.wide(pos) {
                    (true, _) => break pos,
                    (false, n) => pos += n,
                },
            }
        };
        while let Some(&b) = bytes.get(pos) {
            match BYTE_CLASS[usize::from(b)] {
                ASCII_WORD => pos += 1,
                ASCII_OTHER => break,
                _ => match self.wide(pos) {
                    (true, n) => pos += n,
                    (false, _) => break,
                },
            }
        }
        self.pos = pos;
        Some(start..pos)
    }
}

/// Splits text into runs, each `(is_word, text)`: the words of [`word_ranges`] and everything
/// between them, so the runs put together give the text back.
pub fn segments(text: &str) -> impl Iterator<Item = (bool, &str)> {
    let mut words = word_ranges(text).peekable();
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let (word, end) = match words.peek() {
            Some(r) if r.start == pos => (true, r.end),
            Some(r) => (false, r.start),
            None => (false, text.len()),
        };
        if word {
            words.next();
        }
        let run = &text[pos..end];
        pos = end;
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
        for word in [
            "Ёлка",
            "Şəhər",
            "Ünvan",
            "İstanbul",
            "Косово",
            "ıslak",
            "Élan",
        ] {
            let c = word.chars().next().unwrap();
            assert_eq!(fold_initial(c), fold(word).chars().next(), "{word}");
        }
        assert_eq!(
            words("Hello, world! 2026 — «мир»"),
            vec!["hello", "world", "2026", "мир"]
        );
        let text = "Bakı, «мир» — e\u{301}té! x";
        assert_eq!(segments(text).map(|(_, s)| s).collect::<String>(), text);
        assert_eq!(words(text), vec!["baki", "мир", "ete", "x"]);
    }

    #[test]
    fn word_ranges_agree_with_the_characters() {
        // Decided character by character, the slow way.
        fn reference(text: &str) -> Vec<Range<usize>> {
            let mut out: Vec<Range<usize>> = Vec::new();
            let mut open: Option<usize> = None;
            for (i, c) in text.char_indices() {
                match (is_word_char(c), open) {
                    (true, None) => open = Some(i),
                    (false, Some(s)) => {
                        out.push(s..i);
                        open = None;
                    }
                    _ => {}
                }
            }
            if let Some(s) = open {
                out.push(s..text.len());
            }
            out
        }
        for text in [
            "",
            "   ",
            "Hello, world!",
            "Ѐлка ђак Їжак «Ёж» ёж-ЯЁ А..ё",
            "Bakı şəhəri: İstanbul—Gəncə; 2026",
            "e\u{301}té 日本語 — ٣٤ x",
            "Выборов в парламент было много.",
            "end в",
        ] {
            assert_eq!(
                word_ranges(text).collect::<Vec<_>>(),
                reference(text),
                "{text}"
            );
        }
    }
}
