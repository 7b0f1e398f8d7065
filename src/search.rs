//! Build-time search index: every expectation, level summary, role,
//! dimension, anti-pattern, skill section and page heading, with facets
//! (track, level, dimension, kind).
//!
//! The index is written as plain scripts that push into a global
//! (`window.RUNGS_SEARCH`), so pages load it with `<script>` tags: it works
//! from `file://`, under any subpath and offline, with no fetch and no wasm.
//! `search/meta.js` holds the documents (title, URL, facets, text);
//! `search/t-<c>.js` holds the terms starting with `c`, loaded on demand.
//! The client (`static/search.js`) applies the same [`stem`] rules.

use crate::ladder::model::{Handbook, Track};
use crate::site::ladder_pages::{level_url, track_url};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// What a search result is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Expectation,
    AntiPattern,
    Summary,
    Role,
    Dimension,
    Track,
    Skill,
    Heading,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Expectation => "expectation",
            Kind::AntiPattern => "anti-pattern",
            Kind::Summary => "summary",
            Kind::Role => "role",
            Kind::Dimension => "dimension",
            Kind::Track => "track",
            Kind::Skill => "skill",
            Kind::Heading => "heading",
        }
    }

    /// How much a word in this kind of document counts: an expectation's
    /// own words rank above a heading that merely mentions them.
    fn weight(self) -> u32 {
        match self {
            Kind::Expectation | Kind::AntiPattern => 10,
            Kind::Role | Kind::Track | Kind::Skill => 8,
            Kind::Summary | Kind::Dimension => 6,
            Kind::Heading => 3,
        }
    }
}

/// One searchable thing.
#[derive(Debug, Clone)]
pub struct SearchDoc {
    pub kind: Kind,
    /// A short title (the level heading, the skill, the page).
    pub title: String,
    /// The text searched and shown.
    pub text: String,
    /// Relative to the site root, with its `#anchor`.
    pub url: String,
    /// Track id (or skill id for skill documents).
    pub track: Option<String>,
    pub level: Option<u32>,
    pub dimension: Option<String>,
}

/// A heading found on a rendered page: (page URL, page title, id, text).
#[derive(Debug, Clone)]
pub struct PageHeading {
    pub page_url: String,
    pub page_title: String,
    pub id: String,
    pub text: String,
}

/// The whole index.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    pub docs: Vec<SearchDoc>,
    /// Facet values: (id, title) of every track and skill.
    pub tracks: Vec<(String, String)>,
}

fn level_heading(t: &Track, n: u32) -> String {
    match t.levels.iter().find(|l| l.number == n) {
        Some(l) => crate::site::ladder_pages::level_heading(t, l),
        None => format!("Level {n}"),
    }
}

impl SearchIndex {
    /// Index the handbook. `skill_url` gives a skill's page URL;
    /// `headings` are the headings of document pages.
    pub fn build(
        hb: &Handbook,
        skill_url: &dyn Fn(&str) -> Option<String>,
        headings: &[PageHeading],
    ) -> SearchIndex {
        let mut ix = SearchIndex::default();
        let mut push = |d: SearchDoc| {
            if !d.text.trim().is_empty() {
                ix.docs.push(d)
            }
        };
        for t in &hb.tracks {
            let dim_title = |id: &Option<String>| {
                id.as_ref().map(|id| {
                    t.dimensions
                        .iter()
                        .find(|d| &d.id == id)
                        .map(|d| d.title.clone())
                        .unwrap_or_else(|| id.clone())
                })
            };
            push(SearchDoc {
                kind: Kind::Track,
                title: t.title.clone(),
                text: t.title.clone(),
                url: track_url(t),
                track: Some(t.id.clone()),
                level: None,
                dimension: None,
            });
            for l in &t.levels {
                let heading = level_heading(t, l.number);
                let url = level_url(t, l.number);
                if let Some(s) = &l.summary {
                    push(SearchDoc {
                        kind: Kind::Summary,
                        title: heading.clone(),
                        text: s.text.clone(),
                        url: url.clone(),
                        track: Some(t.id.clone()),
                        level: Some(l.number),
                        dimension: None,
                    });
                }
                for e in &l.expectations {
                    push(SearchDoc {
                        kind: Kind::Expectation,
                        title: heading.clone(),
                        text: e.text.text.clone(),
                        url: format!("{url}#{}", e.id),
                        track: Some(t.id.clone()),
                        level: Some(l.number),
                        dimension: dim_title(&e.dimension),
                    });
                }
            }
            for r in &t.roles {
                if !t.levels.iter().any(|l| l.number == r.from) {
                    continue;
                }
                push(SearchDoc {
                    kind: Kind::Role,
                    title: level_heading(t, r.from),
                    text: r.title.clone(),
                    url: level_url(t, r.from),
                    track: Some(t.id.clone()),
                    level: Some(r.from),
                    dimension: None,
                });
            }
            for d in &t.dimensions {
                push(SearchDoc {
                    kind: Kind::Dimension,
                    title: t.title.clone(),
                    text: d.title.clone(),
                    url: crate::site::ladder_pages::dimension_url(t, &d.id),
                    track: Some(t.id.clone()),
                    level: None,
                    dimension: Some(d.title.clone()),
                });
            }
            for a in &t.anti_patterns {
                let first = a
                    .levels
                    .iter()
                    .copied()
                    .filter(|n| t.levels.iter().any(|l| l.number == *n))
                    .min();
                let (title, url) = match first {
                    Some(n) => (level_heading(t, n), format!("{}#{}", level_url(t, n), a.id)),
                    None => (t.title.clone(), format!("{}#{}", track_url(t), a.id)),
                };
                push(SearchDoc {
                    kind: Kind::AntiPattern,
                    title,
                    text: a.text.text.clone(),
                    url,
                    track: Some(t.id.clone()),
                    level: first,
                    dimension: None,
                });
            }
            ix.tracks.push((t.id.clone(), t.title.clone()));
        }
        for s in &hb.skills {
            let Some(page) = skill_url(&s.source.file) else {
                continue;
            };
            let sk = |kind, text: String, url: String| SearchDoc {
                kind,
                title: s.title.clone(),
                text,
                url,
                track: Some(s.id.clone()),
                level: None,
                dimension: None,
            };
            push(sk(Kind::Skill, s.title.clone(), page.clone()));
            for m in &s.scale {
                let mut text = format!("{} {}", m.number, m.title);
                if let Some(d) = &m.description {
                    text = format!("{text}: {}", d.text);
                }
                push(sk(
                    Kind::Skill,
                    text,
                    format!("{page}#maturity-{}", m.number),
                ));
            }
            for c in &s.checklists {
                let anchor = headings
                    .iter()
                    .find(|h| h.page_url == page && h.text == c.title)
                    .map(|h| format!("{page}#{}", h.id))
                    .unwrap_or_else(|| page.clone());
                for i in &c.items {
                    push(sk(Kind::Skill, i.text.text.clone(), anchor.clone()));
                }
            }
            for a in &s.anti_patterns {
                push(sk(
                    Kind::AntiPattern,
                    a.text.text.clone(),
                    format!("{page}#{}", a.id),
                ));
            }
            ix.tracks.push((s.id.clone(), s.title.clone()));
        }
        for h in headings {
            push(SearchDoc {
                kind: Kind::Heading,
                title: h.page_title.clone(),
                text: h.text.clone(),
                url: format!("{}#{}", h.page_url, h.id),
                track: None,
                level: None,
                dimension: None,
            });
        }
        ix
    }

    /// Stemmed term → postings (doc index, weight), sorted by term.
    pub fn terms(&self) -> BTreeMap<String, Vec<(usize, u32)>> {
        let mut terms: BTreeMap<String, BTreeMap<usize, u32>> = BTreeMap::new();
        for (i, d) in self.docs.iter().enumerate() {
            let w = d.kind.weight();
            let mut add = |text: &str, w: u32| {
                for t in tokens(text) {
                    let e = terms.entry(t).or_default().entry(i).or_insert(0);
                    *e = (*e).max(w);
                }
            };
            add(&d.text, w);
            if let Some(dim) = &d.dimension {
                add(dim, 2);
            }
            add(&d.title, 1);
        }
        terms
            .into_iter()
            .map(|(t, m)| (t, m.into_iter().collect()))
            .collect()
    }

    /// The index files: (path under the site root, contents).
    pub fn files(&self) -> Vec<(String, String)> {
        let tracks: Vec<&str> = self.tracks.iter().map(|(id, _)| id.as_str()).collect();
        let docs: Vec<Value> = self
            .docs
            .iter()
            .map(|d| {
                let track = d
                    .track
                    .as_ref()
                    .and_then(|t| tracks.iter().position(|x| x == t));
                json!([
                    d.kind.name(),
                    d.title,
                    d.text,
                    d.url,
                    track,
                    d.level,
                    d.dimension
                ])
            })
            .collect();
        let terms = self.terms();
        let mut shards: BTreeMap<String, serde_json::Map<String, Value>> = BTreeMap::new();
        for (t, postings) in &terms {
            let flat: Vec<u32> = postings.iter().flat_map(|(d, w)| [*d as u32, *w]).collect();
            shards
                .entry(shard_name(t))
                .or_default()
                .insert(t.clone(), json!(flat));
        }
        let meta = json!({
            "tracks": self.tracks.iter().map(|(id, title)| json!([id, title])).collect::<Vec<_>>(),
            "docs": docs,
            "shards": shards.keys().collect::<Vec<_>>(),
        });
        let wrap = |v: Value| {
            format!(
                "(window.RUNGS_SEARCH=window.RUNGS_SEARCH||[]).push({});\n",
                // `</script>` can never appear: `/` is escaped.
                v.to_string().replace("</", "<\\/")
            )
        };
        let mut out = vec![("search/meta.js".to_string(), wrap(json!({"meta": meta})))];
        for (name, terms) in shards {
            out.push((
                format!("search/t-{name}.js"),
                wrap(json!({"shard": name, "terms": terms})),
            ));
        }
        out
    }
}

/// The full-results page, `search/index.html` (reads `?q=`).
pub fn search_page() -> crate::site::PageOut {
    let url = "search/index.html".to_string();
    let mut data = serde_json::Map::new();
    data.insert(
        "page".into(),
        json!({"title": "Search", "url": url, "headings": [], "breadcrumbs": [{"title": "Home", "url": "index.html"}, {"title": "Search", "url": url}]}),
    );
    data.insert("content".into(), json!(""));
    crate::site::PageOut {
        url,
        template: "search.html",
        title: "Search".into(),
        in_sitemap: false,
        data,
    }
}

/// The shard a term lives in: its first character (`a`–`z`, `0`–`9`), or
/// `u<hex>` for any other.
pub fn shard_name(term: &str) -> String {
    match term.chars().next() {
        Some(c) if c.is_ascii_alphanumeric() => c.to_string(),
        Some(c) => format!("u{:x}", c as u32),
        None => "_".into(),
    }
}

const STOP: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on",
    "or", "that", "the", "their", "this", "to", "with",
];

/// Lowercased, stemmed words of `text`, stop words dropped.
pub fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .filter(|w| !STOP.contains(&w.as_str()))
        .map(|w| stem(&w))
        .filter(|w| !w.is_empty())
        .collect()
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// A small Porter-style English stemmer (a subset of Porter's steps 1–3).
/// `static/search.js` applies exactly the same rules at query time.
pub fn stem(w: &str) -> String {
    if w.len() < 4 || !w.is_ascii() {
        return w.to_string();
    }
    let mut s = w.to_string();
    // Step 1a: plurals.
    if let Some(b) = s.strip_suffix("sses") {
        s = format!("{b}ss");
    } else if let Some(b) = s.strip_suffix("ies") {
        s = format!("{b}i");
    } else if s.ends_with('s') && !s.ends_with("ss") && !s.ends_with("us") && !s.ends_with("is") {
        s.pop();
    }
    // Step 1b: -ed, -ing (the rest must hold a vowel).
    for suf in ["ing", "ed"] {
        if let Some(b) = s.strip_suffix(suf) {
            if b.len() >= 3 && b.bytes().any(is_vowel) {
                let mut b = b.to_string();
                let n = b.len();
                let bytes = b.as_bytes();
                if bytes[n - 1] == bytes[n - 2] && !matches!(bytes[n - 1], b'l' | b's' | b'z') {
                    b.pop();
                }
                s = b;
            }
            break;
        }
    }
    // Step 1c: y → i after a consonant.
    if s.len() > 3 && s.ends_with('y') && !is_vowel(s.as_bytes()[s.len() - 2]) {
        s.pop();
        s.push('i');
    }
    // Steps 2–3: common derivational endings.
    const RULES: &[(&str, &str)] = &[
        ("ational", "ate"),
        ("ization", "ize"),
        ("fulness", "ful"),
        ("iveness", "ive"),
        ("ousness", "ous"),
        ("ation", "ate"),
        ("ement", ""),
        ("ment", ""),
        ("ness", ""),
        ("ful", ""),
        ("ly", ""),
    ];
    for (suf, rep) in RULES {
        if let Some(b) = s.strip_suffix(suf) {
            if b.len() >= 3 {
                s = format!("{b}{rep}");
            }
            break;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems() {
        for (w, s) in [
            ("mentoring", "mentor"),
            ("mentors", "mentor"),
            ("debugging", "debug"),
            ("debugged", "debug"),
            ("policies", "polici"),
            ("policy", "polici"),
            ("arrogant", "arrogant"),
            ("management", "manag"),
            ("quickly", "quickli"),
            ("process", "process"),
            ("is", "is"),
        ] {
            assert_eq!(stem(w), s, "{w}");
        }
    }

    #[test]
    fn tokens_drop_stop_words() {
        assert_eq!(tokens("The debugging of systems"), vec!["debug", "system"]);
    }
}
