//! The normalised ladder model every recogniser produces and every later
//! stage (site, search, export) reads.
//!
//! ```text
//! Handbook
//!  ├─ tracks:  Track → roles (title over a level range)
//!  │                 → levels (number, title, summary) → expectations (by dimension)
//!  │                 → dimensions, anti-patterns
//!  ├─ skills:  Skill → maturity scale (its own scale), target, checklists, anti-patterns
//!  └─ pages:   every other document, rendered as it is
//! ```
//!
//! Text the author wrote is kept three ways in a [`Rich`]: the source as
//! written (markdown with inline HTML, given by `rungs export`), HTML (the
//! site rewrites its links and media paths in it, [`Rich::with_html`]),
//! and plain text (for search, diffs and ids), all in one shared string.

use serde::Serialize;
use std::sync::Arc;

/// Bumped whenever the exported JSON changes shape incompatibly.
pub const SCHEMA_VERSION: u32 = 1;

/// Where something came from: the file relative to the content folder and
/// a 1-based line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct SourceRef {
    /// Shared: a track's copies (merged, given ids) share it.
    pub file: Arc<str>,
    pub line: usize,
}

impl SourceRef {
    /// The line of byte `offset` of `doc`'s body.
    pub fn at(doc: &crate::source::SourceDoc, offset: usize) -> SourceRef {
        SourceRef {
            file: doc.rel.clone(),
            line: doc.line_of(offset),
        }
    }
}

/// Author text in three forms: [`Rich::source`], [`Rich::html`] and
/// [`Rich::text`]. They are one shared string, one form after another,
/// each form equal to the source (plain words: the HTML and the text are
/// the source) left out: copying a track (merging file-per-level
/// documents, giving ids) copies no text, and a handbook's hundreds of
/// thousands of expectations hold one allocation each, in 24 bytes.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Rich {
    /// The source, then the HTML unless it is the source, then the text
    /// unless it is the source.
    all: Arc<str>,
    /// Where the source ends in `all`.
    source_len: u32,
    /// The HTML's length, with [`HTML_IS_SOURCE`] and [`TEXT_IS_SOURCE`].
    html_len: u32,
}

/// [`Rich::html_len`]: the HTML is the source (and is not in `all` twice).
const HTML_IS_SOURCE: u32 = 1 << 31;
/// [`Rich::html_len`]: the text is the source.
const TEXT_IS_SOURCE: u32 = 1 << 30;
const LEN: u32 = TEXT_IS_SOURCE - 1;

impl Rich {
    /// From a markdown fragment (inline or block).
    pub fn from_markdown(src: &str) -> Rich {
        let src = src.trim();
        if is_plain_words(src) {
            // Markdown would give the text back as it is (whitespace
            // folded, which most sentences already are).
            if is_folded(src) {
                return Rich::shared(src, src, src);
            }
            let text = crate::words::squash(src);
            return Rich::shared(src, src, &text);
        }
        let (html, text) = crate::render::markdown::render_plain_and_text(src);
        Rich::shared(src, &html, &text)
    }

    /// From its three forms, keeping a form equal to the source once.
    pub fn shared(source: &str, html: &str, text: &str) -> Rich {
        let html_same = html == source;
        let text_same = text == source;
        // A form of a gigabyte or more (no ladder cell is) is cut short
        // rather than overflow the lengths.
        let fit = |s: &'_ str| -> usize {
            let mut end = s.len().min(LEN as usize);
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            end
        };
        let source = &source[..fit(source)];
        if html_same && text_same {
            return Rich {
                all: source.into(),
                source_len: source.len() as u32,
                html_len: HTML_IS_SOURCE | TEXT_IS_SOURCE,
            };
        }
        let html = if html_same { "" } else { &html[..fit(html)] };
        let text = if text_same { "" } else { text };
        let mut all = String::with_capacity(source.len() + html.len() + text.len());
        all.push_str(source);
        all.push_str(html);
        all.push_str(text);
        Rich {
            all: all.into(),
            source_len: source.len() as u32,
            html_len: html.len() as u32
                | if html_same { HTML_IS_SOURCE } else { 0 }
                | if text_same { TEXT_IS_SOURCE } else { 0 },
        }
    }

    /// From an HTML fragment (a table cell's inner HTML).
    pub fn from_html(html: &str) -> Rich {
        let html = html.trim();
        let text = crate::render::markdown::strip_tags(html);
        Rich::shared(html, html, &crate::words::squash(&text))
    }

    /// As written: markdown, possibly with inline HTML.
    pub fn source(&self) -> &str {
        &self.all[..self.source_len as usize]
    }

    /// Rendered HTML (links as written; the site rewrites them).
    pub fn html(&self) -> &str {
        if self.html_len & HTML_IS_SOURCE != 0 {
            self.source()
        } else {
            let start = self.source_len as usize;
            &self.all[start..start + (self.html_len & LEN) as usize]
        }
    }

    /// Plain text, whitespace folded.
    pub fn text(&self) -> &str {
        if self.html_len & TEXT_IS_SOURCE != 0 {
            self.source()
        } else {
            &self.all[self.source_len as usize + (self.html_len & LEN) as usize..]
        }
    }

    /// The same text with other HTML.
    pub fn with_html(&self, html: &str) -> Rich {
        Rich::shared(self.source(), html, self.text())
    }

    pub fn is_empty(&self) -> bool {
        self.text().trim().is_empty() && !self.html().contains("<img")
    }
}

/// As the three forms.
impl std::hash::Hash for Rich {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.source().hash(h);
        self.html().hash(h);
        self.text().hash(h);
    }
}

/// As the three forms.
impl std::fmt::Debug for Rich {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rich")
            .field("source", &self.source())
            .field("html", &self.html())
            .field("text", &self.text())
            .finish()
    }
}

/// As the three forms: `{"source", "html", "text"}`.
impl Serialize for Rich {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Rich", 3)?;
        st.serialize_field("source", self.source())?;
        st.serialize_field("html", self.html())?;
        st.serialize_field("text", self.text())?;
        st.end()
    }
}

/// Whether `s` is its words joined by single spaces (what
/// `split_whitespace` and `join(" ")` make of it), `s` trimmed.
fn is_folded(s: &str) -> bool {
    let mut after_space = false;
    s.chars().all(|c| {
        let ok = if c == ' ' {
            !after_space
        } else {
            !c.is_whitespace()
        };
        after_space = c == ' ';
        ok
    })
}

/// Whether markdown renders `src` (trimmed) as itself, both as HTML and as
/// text: one line starting with a letter, with none of the characters
/// that start markup, entities, escapes or smart punctuation. Most
/// expectations are such plain sentences, and skip the markdown parser.
fn is_plain_words(src: &str) -> bool {
    src.starts_with(|c: char| c.is_ascii_alphabetic())
        && !src.bytes().any(|b| {
            matches!(
                b,
                b'\n'
                    | b'\r'
                    | b'\\'
                    | b'`'
                    | b'*'
                    | b'_'
                    | b'['
                    | b']'
                    | b'!'
                    | b'<'
                    | b'>'
                    | b'&'
                    | b'~'
                    | b'|'
                    | b'$'
                    | b'#'
                    | b'\''
                    | b'"'
                    | b'{'
                    | b'}'
                    | b'^'
            )
        })
        && !src.contains("--")
        && !src.contains("..")
}

/// Which authoring shape a track or skill was recognised from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    HeadingLadder,
    MatrixTable,
    PipeTable,
    SkillDocument,
    /// A skill written as proficiency sections of prose (`## Beginner`,
    /// `## Advanced`).
    ProseSkill,
    TitledLevels,
    YamlFramework,
    FilePerLevel,
}

/// The whole handbook.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Handbook {
    pub schema_version: u32,
    pub tracks: Vec<std::sync::Arc<Track>>,
    pub skills: Vec<Skill>,
    /// Documents that hold no ladder: rendered as plain pages.
    pub pages: Vec<PlainPage>,
}

/// A ladder: e.g. "Engineering – Individual Contributors".
#[derive(Debug, Clone, Default, Serialize)]
pub struct Track {
    /// Slug, unique in the handbook; used in URLs.
    pub id: String,
    pub title: String,
    /// The track's description (the document's first paragraph, or the
    /// text between the track heading and its table).
    pub description: Option<Rich>,
    pub shape: Option<Shape>,
    pub source: SourceRef,
    /// Titles over level ranges, ordered by their lowest level.
    pub roles: Vec<Role>,
    /// Ordered by number; numbers are unique within a track.
    pub levels: Vec<Level>,
    /// In the order the author wrote them.
    pub dimensions: Vec<Dimension>,
    /// Anti-patterns of this track: each names its levels, or none for the
    /// whole track.
    pub anti_patterns: Vec<AntiPattern>,
}

/// A title covering a level range (Engineer = 1–2).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Role {
    pub title: String,
    /// Inclusive range, `from <= to`.
    pub from: u32,
    pub to: u32,
    pub source: SourceRef,
}

impl Role {
    pub fn covers(&self, level: u32) -> bool {
        (self.from..=self.to).contains(&level)
    }
}

/// One level of a track.
#[derive(Debug, Clone, Default, Hash, Serialize)]
pub struct Level {
    pub number: u32,
    /// `Level 3: Senior Engineer` → `Senior Engineer`. Role titles come
    /// from [`Track::roles`]; this is the level's own heading title.
    pub title: Option<String>,
    /// The label as written (`Level 3`, `L3`, `IC3`, `1 - 2`).
    pub label: String,
    pub summary: Option<Rich>,
    pub expectations: Vec<Expectation>,
    pub source: SourceRef,
}

/// A dimension (competency, area) in which expectations are grouped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Dimension {
    /// Slug, unique within the track (shared: every expectation of the
    /// dimension holds it).
    pub id: DimensionId,
    pub title: String,
}

/// A dimension's id: a string shared by the track and each of its
/// expectations, behind one pointer (8 bytes). Reads as a `str`.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DimensionId(Arc<String>);

impl std::ops::Deref for DimensionId {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for DimensionId {
    fn from(s: &str) -> DimensionId {
        DimensionId(Arc::new(s.to_string()))
    }
}

impl From<String> for DimensionId {
    fn from(s: String) -> DimensionId {
        DimensionId(Arc::new(s))
    }
}

/// As the string.
impl std::hash::Hash for DimensionId {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        (**self).hash(h);
    }
}

/// As the string.
impl std::fmt::Debug for DimensionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl std::fmt::Display for DimensionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

/// As the string.
impl Serialize for DimensionId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self)
    }
}

/// One thing expected at a level.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Expectation {
    /// Stable slug from track, level, dimension and text; unique in the
    /// handbook; the permalink anchor on the level page. (A boxed string,
    /// as examples are a thin list: a large handbook holds hundreds of
    /// thousands of expectations, most without examples.)
    pub id: Box<str>,
    /// The [`Dimension::id`] it belongs to (the track's string, shared);
    /// `None` for expectations written straight under a level.
    pub dimension: Option<DimensionId>,
    /// The expectation itself (nested bullets kept as a nested list).
    pub text: Rich,
    /// Examples attached to the expectation (shown collapsed).
    pub examples: Examples,
    pub source: SourceRef,
}

/// A list of examples behind one pointer (8 bytes, nothing allocated
/// when empty); read as a slice.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Examples(Option<Box<Box<[Rich]>>>);

impl std::ops::Deref for Examples {
    type Target = [Rich];
    fn deref(&self) -> &[Rich] {
        self.0.as_deref().map_or(&[], |b| b)
    }
}

impl std::ops::DerefMut for Examples {
    fn deref_mut(&mut self) -> &mut [Rich] {
        self.0.as_deref_mut().map_or(&mut [], |b| b)
    }
}

impl FromIterator<Rich> for Examples {
    fn from_iter<I: IntoIterator<Item = Rich>>(iter: I) -> Examples {
        let all: Vec<Rich> = iter.into_iter().collect();
        Examples((!all.is_empty()).then(|| Box::new(all.into_boxed_slice())))
    }
}

/// As the slice (as a `Vec` would).
impl std::hash::Hash for Examples {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        (**self).hash(h);
    }
}

/// As the slice (as a `Vec` would).
impl std::fmt::Debug for Examples {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// As a list.
impl Serialize for Examples {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// Something to avoid, attached to some levels or to the whole track/skill.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct AntiPattern {
    pub id: String,
    /// Empty: applies to every level.
    pub levels: Vec<u32>,
    /// The label as written (`Levels 1-2`), if any.
    pub label: Option<String>,
    pub text: Rich,
    pub source: SourceRef,
}

impl AntiPattern {
    pub fn applies_to(&self, level: u32) -> bool {
        self.levels.is_empty() || self.levels.contains(&level)
    }
}

/// A skill document: its own maturity scale, never career levels.
#[derive(Debug, Clone, Default, Serialize, Hash)]
pub struct Skill {
    pub id: String,
    pub title: String,
    pub description: Option<Rich>,
    /// `skill-document` (a maturity scale of `Level N — Title` lines) or
    /// `prose-skill` (proficiency sections).
    pub shape: Option<Shape>,
    pub source: SourceRef,
    pub scale: Vec<MaturityLevel>,
    /// The level teams should reach (`target 3+` → 3).
    pub target: Option<u32>,
    pub checklists: Vec<Checklist>,
    pub anti_patterns: Vec<AntiPattern>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Hash)]
pub struct MaturityLevel {
    pub number: u32,
    pub title: String,
    /// The bullets under the level line.
    pub description: Option<Rich>,
    pub source: SourceRef,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Hash)]
pub struct Checklist {
    pub id: String,
    /// The heading the checklist sits under.
    pub title: String,
    pub items: Vec<ChecklistItem>,
    pub source: SourceRef,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Hash)]
pub struct ChecklistItem {
    pub id: String,
    pub text: Rich,
    pub checked: bool,
}

/// A document rendered as a plain page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PlainPage {
    pub title: String,
    pub source: SourceRef,
    /// Why it is not a ladder, when it looked like one (shown as a warning).
    pub reason: Option<String>,
}

impl Handbook {
    pub fn new() -> Handbook {
        Handbook {
            schema_version: SCHEMA_VERSION,
            ..Handbook::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_one_shared_string() {
        let r = Rich::from_markdown("Reviews code from teammates.");
        assert_eq!(&*r.all, "Reviews code from teammates.");
        assert_eq!(
            (r.source(), r.html(), r.text()),
            (&*r.all, &*r.all, &*r.all)
        );
        // A copy (merging, giving ids) copies no text.
        let copy = r.clone();
        assert!(Arc::ptr_eq(&r.all, &copy.all));
    }

    /// A large handbook holds hundreds of thousands of expectations:
    /// every 8 bytes of one are megabytes of a build's peak memory.
    #[test]
    fn expectations_stay_small() {
        assert_eq!(std::mem::size_of::<Rich>(), 24);
        assert_eq!(std::mem::size_of::<Examples>(), 8);
        assert!(std::mem::size_of::<Expectation>() <= 80);
        assert_eq!(std::mem::size_of::<DimensionId>(), 8);
    }

    #[test]
    fn examples_read_and_write_as_a_list() {
        let none: Examples = std::iter::empty().collect();
        assert!(none.0.is_none() && none.is_empty());
        let list = vec![Rich::from_markdown("One *x*"), Rich::from_markdown("Two")];
        let ex: Examples = list.iter().cloned().collect();
        assert_eq!(ex.len(), 2);
        assert_eq!(ex[1].text(), "Two");
        assert_eq!(
            serde_json::to_string(&ex).unwrap(),
            serde_json::to_string(&list).unwrap()
        );
        assert_eq!(format!("{ex:?}"), format!("{list:?}"));
        assert_eq!(serde_json::to_string(&none).unwrap(), "[]");
    }

    #[test]
    fn folded_is_what_joining_the_words_gives() {
        for s in [
            "Owns it",
            "Owns  it",
            "Owns\tit",
            "Owns\u{a0}it",
            "Owns",
            "a b c",
            "a \nb",
        ] {
            let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(is_folded(s), joined == s, "{s:?}");
        }
    }

    /// Plain sentences skip the markdown parser: on random texts of
    /// markup characters and words, the forms are the parser's.
    #[test]
    fn plain_words_are_what_markdown_makes_of_them() {
        let pieces = [
            "Owns",
            "the",
            " ",
            "  ",
            "\t",
            "-",
            "--",
            ".",
            "..",
            "1.",
            "1)",
            "+",
            "*",
            "_",
            "`",
            "[",
            "]",
            "(",
            ")",
            "!",
            "<",
            ">",
            "&",
            "~",
            "|",
            "$",
            "#",
            "'",
            "\"",
            "{",
            "}",
            "^",
            ":",
            "\\",
            "é",
            "\u{a0}",
            "\n",
            "http://x.org",
            "www.x.org",
            "=",
            "a@b.org",
            "%",
            ";",
        ];
        let mut seed = 5u64;
        let mut plain = 0;
        for round in 0..20_000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let n = 1 + (seed >> 60) as usize;
            // Mostly words, so that plain texts come up often.
            let src: String = (0..n)
                .map(|k| {
                    let r = (seed >> (k * 5 % 55)) as usize;
                    if r.is_multiple_of(3) {
                        pieces[r / 3 % pieces.len()]
                    } else {
                        ["Ships", " ", "x"][r % 3]
                    }
                })
                .collect();
            let src = src.trim();
            if !is_plain_words(src) {
                continue;
            }
            plain += 1;
            let fast = Rich::from_markdown(src);
            let html = crate::render::markdown::render_plain(src);
            let text = crate::render::markdown::plain_text(src);
            assert_eq!(
                (fast.html(), fast.text()),
                (html.as_str(), text.as_str()),
                "round {round}: {src:?}"
            );
        }
        assert!(plain > 1000, "{plain} plain texts");
    }

    #[test]
    fn forms_that_differ_are_kept_apart() {
        let r = Rich::from_markdown("Ships *small* changes & fixes.");
        assert_eq!(r.source(), "Ships *small* changes & fixes.");
        assert_eq!(r.html(), "Ships <em>small</em> changes &amp; fixes.");
        assert_eq!(r.text(), "Ships small changes & fixes.");
        let h = Rich::from_html("Owns <b>the</b> roadmap");
        assert_eq!(h.html(), "Owns <b>the</b> roadmap");
        assert_eq!(h.text(), "Owns the roadmap");
        // The HTML is the source, kept once.
        assert_eq!(h.all.len(), h.source().len() + h.text().len());
        // Empty forms are forms too.
        let e = Rich::shared("[x]: http://x.org", "", "");
        assert_eq!(
            (e.source(), e.html(), e.text()),
            ("[x]: http://x.org", "", "")
        );
        let t = Rich::shared("a &amp; b", "a &amp; b", "a & b");
        assert_eq!((t.html(), t.text()), ("a &amp; b", "a & b"));
        let s = Rich::shared("a\\_b", "a_b", "a\\_b");
        assert_eq!((s.html(), s.text()), ("a_b", "a\\_b"));
    }
}
