//! Slugs for URLs and anchors: stable, lowercase, readable.

use std::borrow::Cow;

/// `"Level 3: Senior Engineer"` → `"level-3-senior-engineer"`.
/// Letters of any script are kept; everything else becomes a single `-`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else if c == '\'' || c == '’' {
            // "don't" → "dont"
        } else {
            dash = true;
        }
    }
    out
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
#[derive(Debug, Default, Clone)]
pub struct SlugSet(Slugs<'static>);

impl SlugSet {
    pub fn unique(&mut self, base: &str) -> String {
        self.0.unique(Cow::Owned(base.to_string())).into_owned()
    }

    /// Mark `slug` as taken (an id the author wrote).
    pub fn reserve(&mut self, slug: &str) {
        self.0.used.insert(Cow::Owned(slug.to_string()));
    }
}

/// [`SlugSet`] over bases that may be borrowed: a base not taken yet is
/// handed back as it came, without a copy (for the many expectation ids of
/// a large handbook).
#[derive(Debug, Default, Clone)]
pub struct Slugs<'a> {
    used: rustc_hash::FxHashSet<Cow<'a, str>>,
    next: rustc_hash::FxHashMap<Cow<'a, str>, usize>,
}

impl<'a> Slugs<'a> {
    pub fn unique(&mut self, base: Cow<'a, str>) -> Cow<'a, str> {
        let base = if base.is_empty() {
            Cow::Borrowed("section")
        } else {
            base
        };
        if !self.used.contains(base.as_ref()) {
            self.used.insert(base.clone());
            return base;
        }
        let n = self.next.entry(base.clone()).or_insert(2);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if !self.used.contains(candidate.as_str()) {
                self.used.insert(Cow::Owned(candidate.clone()));
                return Cow::Owned(candidate);
            }
        }
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
    fn unique_slugs() {
        let mut s = SlugSet::default();
        assert_eq!(s.unique("a"), "a");
        assert_eq!(s.unique("a"), "a-2");
        assert_eq!(s.unique("a"), "a-3");
        assert_eq!(s.unique(""), "section");
    }
}
