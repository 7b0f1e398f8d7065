//! Text split into words at whitespace, exactly as
//! [`str::split_whitespace`] splits it, but a byte at a time when the text
//! is ASCII (most of a handbook), rather than a decoded char at a time.

/// The words of `s`: [`str::split_whitespace`], faster on ASCII text.
pub fn words(s: &str) -> Words<'_> {
    // `u8::is_ascii_whitespace` leaves out one character that
    // `char::is_whitespace` counts: the vertical tab.
    if s.is_ascii() && !s.as_bytes().contains(&0x0B) {
        Words::Ascii(s.split_ascii_whitespace())
    } else {
        Words::Other(s.split_whitespace())
    }
}

/// The words of `s` joined by single spaces (whitespace folded).
pub fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in words(s) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// The iterator [`words`] returns.
pub enum Words<'a> {
    Ascii(std::str::SplitAsciiWhitespace<'a>),
    Other(std::str::SplitWhitespace<'a>),
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        match self {
            Words::Ascii(w) => w.next(),
            Words::Other(w) => w.next(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_split_whitespace_on_random_texts() {
        let mut next = crate::site::changes::tests::rng(11);
        let alphabet: Vec<char> = "ab \t\n\r\u{b}\u{c}\u{1c}\u{85}\u{a0}\u{2003}é,."
            .chars()
            .collect();
        for len in 0..60 {
            for _ in 0..50 {
                let s: String = (0..len).map(|_| alphabet[next(alphabet.len())]).collect();
                let want: Vec<&str> = s.split_whitespace().collect();
                assert_eq!(words(&s).collect::<Vec<_>>(), want, "{s:?}");
                assert_eq!(squash(&s), want.join(" "), "{s:?}");
                // The same text without its non-ASCII characters takes
                // the ASCII path (unless it holds a vertical tab).
                let ascii: String = s.chars().filter(char::is_ascii).collect();
                let want: Vec<&str> = ascii.split_whitespace().collect();
                assert_eq!(words(&ascii).collect::<Vec<_>>(), want, "{ascii:?}");
            }
        }
        assert!(matches!(words("a b"), Words::Ascii(_)));
        assert!(matches!(words("a\u{b}b"), Words::Other(_)));
        assert_eq!(words("a\u{b}b").count(), 2);
    }
}
