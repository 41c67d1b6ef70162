//! Text bound for XML: XML 1.0 cannot carry most control characters at all (not even
//! escaped), so they are dropped; everything else is escaped by the writer.

use std::borrow::Cow;

/// Whether XML 1.0 allows `c` in a document.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `text` without the characters XML cannot carry.
pub fn clean(text: &str) -> Cow<'_, str> {
    if text.chars().all(allowed) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|c| allowed(*c)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_what_xml_cannot_carry() {
        assert_eq!(clean("a\u{0}b\u{1b}c\u{FFFE}d\te\n"), "abcd\te\n");
        assert!(matches!(clean("Bakı — Баку 🚀 & <b>"), Cow::Borrowed(_)));
    }
}
