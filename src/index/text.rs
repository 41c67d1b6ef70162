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

/// Whether the wide character at byte `at` of `text` is part of a word, and its length in
/// bytes.
#[inline]
fn wide_at(text: &str, at: usize) -> (bool, usize) {
    let bytes = text.as_bytes();
    let b = bytes[at];
    // U+0400..U+047F are the two bytes D0 80..D1 BF; the letters А..ё are U+0410..U+0451.
    if (b == 0xD0 || b == 0xD1) && at + 1 < bytes.len() {
        let c = (u32::from(b & 0x1F) << 6) | u32::from(bytes[at + 1] & 0x3F);
        if (0x410..=0x451).contains(&c) {
            return (true, 2);
        }
    }
    let c = text[at..].chars().next().unwrap_or(' ');
    (is_word_char(c), c.len_utf8())
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
                _ => match wide_at(self.text, pos) {
                    (true, _) => break pos,
                    (false, n) => pos += n,
                },
            }
        };
        while let Some(&b) = bytes.get(pos) {
            match BYTE_CLASS[usize::from(b)] {
                ASCII_WORD => pos += 1,
                ASCII_OTHER => break,
                _ => match wide_at(self.text, pos) {
                    (true, n) => pos += n,
                    (false, _) => break,
                },
            }
        }
        self.pos = pos;
        Some(start..pos)
    }
}

/// Bit `j` is set when byte `j` of `block` (64 ASCII bytes) is a letter or a digit. Eight bytes
/// at a time: each byte's range tests land in its high bit (no carry crosses bytes, all being
/// below 0x80), and a multiplication gathers the eight high bits into one byte.
fn ascii_word_mask(block: &[u8]) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut mask = 0u64;
    for (k, chunk) in block.chunks_exact(8).enumerate() {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(chunk);
        let x = u64::from_le_bytes(bytes);
        let lower = x | (0x20 * ONES);
        // 'a'..='z' once folded: at least 0x61 and below 0x7B.
        let letter = (lower + 0x1F * ONES) & !(lower + 0x05 * ONES);
        // '0'..='9': at least 0x30 and below 0x3A.
        let digit = (x + 0x50 * ONES) & !(x + 0x46 * ONES);
        let high = (letter | digit) & HIGH;
        mask |= ((high >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * k);
    }
    mask
}

/// Counts the words of `text` (as [`word_ranges`] splits them) and reports, in order, the
/// ones that may be of interest: `found(index, range)` for each word whose first byte is an
/// ASCII byte marked in `ascii`, or whose first character is wider than ASCII. Returns the
/// number of words.
///
/// Made for scanning long texts for a few words: runs of 64 ASCII bytes are classified into bit
/// masks at once, so a word that is not of interest costs a few bit operations, not a loop over
/// its bytes with a branch at each end.
pub fn scan_words(
    text: &str,
    ascii: &[bool; 128],
    mut found: impl FnMut(usize, Range<usize>),
) -> usize {
    const BLOCK: usize = 64;
    let bytes = text.as_bytes();
    let len = bytes.len();
    let mut count = 0usize;
    // Whether the character before `pos` belongs to a word.
    let mut in_word = false;
    // A word of interest whose end is not known yet: (index, start).
    let mut open: Option<(usize, usize)> = None;
    let mut pos = 0;
    while pos < len {
        let block = bytes.get(pos..pos + BLOCK);
        if let Some(block) = block.filter(|b| b.iter().fold(0u8, |acc, &x| acc | x) < 0x80) {
            let word = ascii_word_mask(block);
            let starts = word & !((word << 1) | u64::from(in_word));
            // A word left open by the block before ends at this block's first non-word byte.
            if word != u64::MAX
                && let Some((index, start)) = open.take()
            {
                found(index, start..pos + (!word).trailing_zeros() as usize);
            }
            // Only the first byte of each word is looked up.
            let (mut left, mut index) = (starts, count);
            while left != 0 {
                let j = left.trailing_zeros();
                if ascii[usize::from(block[j as usize])] {
                    let start = pos + j as usize;
                    match !word >> j {
                        0 => open = Some((index, start)),
                        rest => found(index, start..start + rest.trailing_zeros() as usize),
                    }
                }
                index += 1;
                left &= left - 1;
            }
            count = index;
            in_word = word >> 63 == 1;
            pos += BLOCK;
            continue;
        }
        // Character by character to the end of this block (or just past it).
        let end = (pos + BLOCK).min(len);
        while pos < end {
            let b = bytes[pos];
            let (is_word, n) = match BYTE_CLASS[usize::from(b)] {
                ASCII_WORD => (true, 1),
                ASCII_OTHER => (false, 1),
                _ => wide_at(text, pos),
            };
            if is_word && !in_word {
                if b >= 0x80 || ascii[usize::from(b)] {
                    open = Some((count, pos));
                }
                count += 1;
            } else if !is_word
                && in_word
                && let Some((index, start)) = open.take()
            {
                found(index, start..pos);
            }
            in_word = is_word;
            pos += n;
        }
    }
    if let Some((index, start)) = open {
        found(index, start..len);
    }
    count
}

/// The start of the word `back` words before the word starting at byte `at` (`back` = 0: that
/// word), looking back only as far as needed.
pub fn word_start_before(text: &str, at: usize, back: usize) -> usize {
    if back == 0 {
        return at;
    }
    let mut span = 64 * (back + 1);
    loop {
        let mut from = at.saturating_sub(span);
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        let starts: Vec<usize> = word_ranges(&text[from..at])
            .map(|r| from + r.start)
            .collect();
        // Unless the slice starts the text, its first word may be cut short.
        if from == 0 || starts.len() > back {
            return starts.len().checked_sub(back).map_or(0, |i| starts[i]);
        }
        span *= 2;
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
pub(crate) mod tests {
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
        for text in mixed_texts() {
            assert_eq!(
                word_ranges(&text).collect::<Vec<_>>(),
                reference(&text),
                "{text}"
            );
        }
    }

    /// Pseudo-random texts mixing long ASCII runs with Cyrillic, Azerbaijani letters,
    /// combining marks and wide punctuation, so that words cross 64-byte blocks every way.
    pub(crate) fn mixed_texts() -> Vec<String> {
        const PIECES: &[&str] = &[
            "a",
            "b",
            "Z",
            "q",
            "9",
            " ",
            " ",
            ", ",
            ".",
            "-",
            "—",
            "«",
            "»",
            "ə",
            "ı",
            "Ş",
            "ж",
            "Ё",
            "ь",
            "\u{301}",
            "日",
            "\u{a0}",
            "😀",
            "𝐀",
            "  ",
            "government",
            "Kosovo ",
            "выборы ",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        (0..300)
            .map(|i| {
                let len = (next() % (40 + i * 3)) as usize;
                // Some texts are long ASCII stretches with rare wide characters.
                let ascii_only = i % 3 == 0;
                (0..len)
                    .map(|_| {
                        let p = PIECES[(next() % PIECES.len() as u64) as usize];
                        if ascii_only && !p.is_ascii() && next() % 8 != 0 {
                            "x"
                        } else {
                            p
                        }
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn ascii_word_mask_marks_letters_and_digits() {
        // Every ASCII byte at every position of a block.
        for shift in 0..128u8 {
            let block: Vec<u8> = (0..64u8).map(|j| (j * 2 + shift) % 128).collect();
            let expected = block.iter().enumerate().fold(0u64, |m, (j, b)| {
                m | u64::from(b.is_ascii_alphanumeric()) << j
            });
            assert_eq!(ascii_word_mask(&block), expected, "{block:?}");
        }
    }

    #[test]
    fn scan_words_agrees_with_word_ranges() {
        let mut some = [false; 128];
        for b in b"abgkKG9" {
            some[usize::from(*b)] = true;
        }
        for text in mixed_texts() {
            let all: Vec<Range<usize>> = word_ranges(&text).collect();
            let mut seen = Vec::new();
            let count = scan_words(&text, &[true; 128], |i, r| seen.push((i, r)));
            assert_eq!(count, all.len(), "{text:?}");
            assert_eq!(
                seen,
                all.iter().cloned().enumerate().collect::<Vec<_>>(),
                "{text:?}"
            );
            let mut picked = Vec::new();
            scan_words(&text, &some, |i, r| picked.push((i, r)));
            let expected: Vec<(usize, Range<usize>)> = all
                .iter()
                .cloned()
                .enumerate()
                .filter(|(_, r)| {
                    text.as_bytes()[r.start] >= 0x80 || some[usize::from(text.as_bytes()[r.start])]
                })
                .collect();
            assert_eq!(picked, expected, "{text:?}");
            for (i, r) in all.iter().enumerate() {
                for back in [0, 1, 3, 29].into_iter().filter(|&back| back <= i) {
                    let got = word_start_before(&text, r.start, back);
                    assert_eq!(got, all[i - back].start, "{text:?} word {i} back {back}");
                }
            }
        }
    }
}
