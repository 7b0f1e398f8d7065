//! Slugs for URLs and anchors: stable, lowercase, readable.

use std::borrow::Cow;

/// `"Level 3: Senior Engineer"` → `"level-3-senior-engineer"`.
/// Letters of any script are kept; everything else becomes a single `-`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    slugify_into(&mut out, text);
    out
}

/// [`slugify`], appended to `out` (a dash only between two words of
/// `text`, none before its first).
pub fn slugify_into(out: &mut String, text: &str) {
    let start = out.len();
    let mut dash = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || (!c.is_ascii() && c.is_alphanumeric()) {
            if dash && out.len() > start {
                out.push('-');
            }
            dash = false;
            if c.is_ascii() {
                // The common case, without a lowercase iterator.
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        } else if c == '\'' || c == '’' {
            // "don't" → "dont"
        } else {
            dash = true;
        }
    }
}

/// `incident-response` → `Incident Response` (file and folder names as titles).
pub fn title_case(s: &str) -> String {
    s.split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Hands out slugs unique within one scope (`x`, `x-2`, `x-3`, …).
///
/// A slug handed out is remembered by a 64-bit hash of its text, not the
/// text (a large handbook's expectation ids would otherwise be held twice).
/// Two different slugs with the same hash would give the second a suffix
/// it did not need; slugs stay unique, and the same input gives the same
/// slugs.
#[derive(Debug, Default, Clone)]
pub struct SlugSet {
    used: rustc_hash::FxHashSet<u64>,
    /// The next suffix to try for a base already taken.
    next: rustc_hash::FxHashMap<u64, usize>,
}

impl SlugSet {
    pub fn unique(&mut self, base: &str) -> String {
        self.unique_cow(base).into_owned()
    }

    /// [`SlugSet::unique`], handing back `base` itself (no copy) when it is
    /// not taken yet.
    pub fn unique_cow<'a>(&mut self, base: &'a str) -> Cow<'a, str> {
        let base = if base.is_empty() { "section" } else { base };
        self.unique_cow_hashed(base, crate::incremental::hash_of(base))
    }

    /// A set with room for `n` slugs.
    pub fn with_capacity(n: usize) -> SlugSet {
        SlugSet {
            used: rustc_hash::FxHashSet::with_capacity_and_hasher(n, Default::default()),
            next: Default::default(),
        }
    }

    /// [`SlugSet::unique_cow`] of a `base` whose hash (`h`, as
    /// [`crate::incremental::hash_of`] gives it) is known, for a caller
    /// that hashes many bases at once on all cores.
    pub fn unique_cow_hashed<'a>(&mut self, base: &'a str, h: u64) -> Cow<'a, str> {
        if base.is_empty() {
            return self.unique_cow(base);
        }
        if self.used.insert(h) {
            return Cow::Borrowed(base);
        }
        let n = self.next.entry(h).or_insert(2);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self
                .used
                .insert(crate::incremental::hash_of(candidate.as_str()))
            {
                return Cow::Owned(candidate);
            }
        }
    }

    /// Mark `slug` as taken (an id the author wrote).
    pub fn reserve(&mut self, slug: &str) {
        self.used.insert(crate::incremental::hash_of(slug));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("Level 3: Senior Engineer"),
            "level-3-senior-engineer"
        );
        assert_eq!(slugify("  Don't panic!  "), "dont-panic");
        assert_eq!(
            slugify("Engineering - Management"),
            "engineering-management"
        );
        assert_eq!(slugify("Ünïcode Straße"), "ünïcode-straße");
    }

    #[test]
    fn slugs_fold_every_character_as_unicode_says() {
        // The reference: any alphanumeric lowercased by `char::to_lowercase`.
        let reference = |text: &str| {
            let mut out = String::new();
            let mut dash = false;
            for c in text.chars() {
                if c.is_alphanumeric() {
                    if dash && !out.is_empty() {
                        out.push('-');
                    }
                    dash = false;
                    out.extend(c.to_lowercase());
                } else if c != '\'' && c != '’' {
                    dash = true;
                }
            }
            out
        };
        let chars = (0u32..0x600).chain([0x130, 0x1E9E, 0x2160, 0x3042, 0x1F980]);
        for c in chars.filter_map(char::from_u32) {
            let text = format!("Ab{c}x {c}Z");
            assert_eq!(slugify(&text), reference(&text), "{c:?}");
        }
    }

    #[test]
    fn unique_slugs() {
        let mut s = SlugSet::default();
        assert_eq!(s.unique("a"), "a");
        assert_eq!(s.unique("a"), "a-2");
        assert_eq!(s.unique("a"), "a-3");
        assert_eq!(s.unique(""), "section");
        // A suffixed slug is taken too; one the author wrote is skipped.
        assert_eq!(s.unique("a-2"), "a-2-2");
        s.reserve("b");
        assert_eq!(s.unique("b"), "b-2");
        assert_eq!(s.unique_cow("c"), std::borrow::Cow::Borrowed("c"));
    }
}
