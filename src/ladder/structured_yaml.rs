//! Structured YAML: a ladder written as data, in a document's frontmatter
//! or in a `.yml`/`.yaml` file of the content tree.
//!
//! Two layouts are read:
//!
//! * **Monzo's progression framework** (and its many forks): `levels: N`,
//!   `topics:` → `name`, `title` (may be empty: the name is used),
//!   `content:` → `level`, `criteria: [..]`,
//!   `exampleCriteria: [{criteria, examples: [..]}]`. A topic is a
//!   dimension; a topic may start above level 1, and a level without
//!   content for a topic is empty in that dimension.
//! * **rungs' own layout** (docs/yaml-ladders.md): `title` (or `track`),
//!   `description`,
//!   `roles: [{title, levels: [1, 2]}]`,
//!   `levels: [{level, title, summary, expectations}]` where
//!   `expectations` maps a dimension to a list of texts or
//!   `{text, examples}` (or is a plain list, with no dimensions), and
//!   `anti_patterns: [text or {text, levels}]`.
//!
//! The recogniser reads only the frontmatter, never the body, so it never
//! claims blocks another recogniser could take. A document is a ladder
//! only when its `topics` list holds a topic with `content`, or its
//! `levels` list holds an entry with `level`: a `topics: [rust, cli]` tag
//! list is not a ladder. Problems inside the data are warnings located at
//! the offending node; what can be read still renders.

use super::model::{
    AntiPattern, Dimension, Expectation, Level, Rich, Role, Shape, SourceRef, Track,
};
use super::{blocks, Claim};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::slug::{slugify, SlugSet};
use crate::source::SourceDoc;
use crate::yaml::{locate, PathSeg, Value};
use serde_yaml::Mapping;

/// The highest level number rungs accepts from data (a typo guard).
const MAX_LEVEL: u64 = 100;

/// Does this mapping (frontmatter or a data file) hold a ladder?
pub fn looks_like_ladder(map: &Mapping) -> bool {
    is_monzo(map) || is_own(map)
}

fn is_monzo(map: &Mapping) -> bool {
    map.get("topics")
        .and_then(Value::as_sequence)
        .is_some_and(|s| {
            s.iter()
                .any(|t| t.as_mapping().is_some_and(|m| m.contains_key("content")))
        })
}

fn is_own(map: &Mapping) -> bool {
    map.get("levels")
        .and_then(Value::as_sequence)
        .is_some_and(|s| {
            s.iter()
                .any(|l| l.as_mapping().is_some_and(|m| m.contains_key("level")))
        })
}

/// A ladder written as data in the document's frontmatter (or data file).
pub fn recognise(doc: &SourceDoc, diags: &mut Diagnostics) -> Option<Claim<Vec<Track>>> {
    let map = &doc.frontmatter.extra;
    let mut cx = Cx {
        doc,
        diags,
        full: None,
        lines: LineIndex::new(&doc.frontmatter.raw, map),
    };
    let track = if is_monzo(map) {
        monzo(&mut cx, map)
    } else if is_own(map) {
        own(&mut cx, map)
    } else {
        return None;
    };
    Some(Claim::new(vec![track], Vec::new()))
}

/// What building a track needs: the document, and where to put warnings.
struct Cx<'a, 'd> {
    doc: &'a SourceDoc,
    diags: &'d mut Diagnostics,
    /// The file text, read on the first warning.
    full: Option<String>,
    lines: LineIndex,
}

impl Cx<'_, '_> {
    /// File line and column of the node at `path` (the YAML's first line
    /// when it cannot be found).
    fn at(&self, path: &[PathSeg]) -> (usize, usize) {
        let fm = &self.doc.frontmatter;
        let base = fm.raw_line.max(1);
        match locate(&fm.raw, path) {
            Some((l, c)) => (l + base - 1, c),
            None => (base, 1),
        }
    }

    /// File line of the node at `path`, from the [`LineIndex`]: cheap,
    /// for the `source` of every item. Warnings use [`Cx::at`] (exact).
    fn line(&self, path: &[PathSeg]) -> usize {
        let base = self.doc.frontmatter.raw_line.max(1);
        (1..=path.len())
            .rev()
            .find_map(|n| self.lines.get(&path[..n]))
            .map_or(base, |l| l + base - 1)
    }

    fn warn(&mut self, path: &[PathSeg], message: String, hint: &str) {
        let (line, col) = self.at(path);
        let full = self
            .full
            .get_or_insert_with(|| std::fs::read_to_string(&self.doc.path).unwrap_or_default());
        self.diags.push(
            Diagnostic::warning(message)
                .at(&self.doc.path, line, col)
                .with_source(full)
                .hint(hint),
        );
    }

    fn source(&self, line: usize) -> SourceRef {
        SourceRef {
            file: self.doc.rel.clone(),
            line,
        }
    }

    fn new_track(&self, first_key: &str) -> Track {
        let fm = &self.doc.frontmatter;
        Track {
            title: fm
                .title
                .clone()
                .or_else(|| fm.track.clone())
                .unwrap_or_else(|| blocks::title_case_stem(&self.doc.stem())),
            description: fm
                .description
                .as_deref()
                .map(Rich::from_markdown)
                .filter(|r| !r.is_empty()),
            shape: Some(Shape::YamlFramework),
            source: self.source(self.line(&[PathSeg::Key(first_key)])),
            ..Track::default()
        }
    }
}

/// The line of every node of a YAML value, found in one pass over its
/// text: nodes are visited in the order they were written, and each key
/// or scalar is matched to the next line (from the previous match on)
/// that contains it. Exact for the usual block style; a node it cannot
/// match takes the line of its nearest matched parent. ([`locate`] is
/// exact but parses the text again, so it is kept for warnings.)
struct LineIndex {
    lines: std::collections::HashMap<String, usize>,
}

impl LineIndex {
    fn new(text: &str, map: &Mapping) -> LineIndex {
        let text_lines: Vec<&str> = text.lines().collect();
        let mut ix = LineIndex {
            lines: std::collections::HashMap::new(),
        };
        let mut cursor = 0;
        let mut path = Vec::new();
        for (k, v) in map {
            ix.walk_entry(&text_lines, &mut cursor, &mut path, k, v);
        }
        ix
    }

    fn key(path: &[PathSeg]) -> String {
        let mut s = String::new();
        for seg in path {
            match seg {
                PathSeg::Key(k) => s.push_str(k),
                PathSeg::Index(i) => s.push_str(&i.to_string()),
            }
            s.push('\u{1}');
        }
        s
    }

    fn get(&self, path: &[PathSeg]) -> Option<usize> {
        self.lines.get(&Self::key(path)).copied()
    }

    /// Find a scalar's text on a line from `cursor` on, and move the
    /// cursor there (past it when the line is a block list item `- …`, so
    /// the next item is not matched to the same line).
    fn find_scalar(lines: &[&str], cursor: &mut usize, v: &Value) -> Option<usize> {
        let s = scalar(v)?;
        // The start of its first line, before anything YAML may have
        // escaped; the whole of it, then (for text folded over several
        // lines) its first few words.
        let first = s.lines().next().unwrap_or("");
        let clean: String = first
            .chars()
            .take_while(|c| !matches!(c, '"' | '\\' | '\'' | '#'))
            .take(80)
            .collect();
        let short: String = clean.chars().take(16).collect();
        let i = [clean.trim_end(), short.trim_end()]
            .into_iter()
            .filter(|n| !n.is_empty())
            .find_map(|n| (*cursor..lines.len()).find(|&i| lines[i].contains(n)))?;
        *cursor = if lines[i].trim_start().starts_with("- ") && !lines[i].contains('[') {
            i + 1
        } else {
            i
        };
        Some(i + 1)
    }

    fn walk_entry<'v>(
        &mut self,
        lines: &[&str],
        cursor: &mut usize,
        path: &mut Vec<PathSeg<'v>>,
        k: &'v Value,
        v: &'v Value,
    ) {
        let Some(key) = k.as_str() else { return };
        path.push(PathSeg::Key(key));
        let pats = [format!("{key}:"), format!("{key}\":"), format!("{key}':")];
        let found =
            (*cursor..lines.len()).find(|&i| pats.iter().any(|p| lines[i].contains(p.as_str())));
        if let Some(i) = found {
            *cursor = i;
            let l = i + 1;
            self.lines.insert(Self::key(path), l);
        }
        self.walk(lines, cursor, path, v);
        path.pop();
    }

    /// Walk `v` (at `path`); returns the first line matched inside it.
    fn walk<'v>(
        &mut self,
        lines: &[&str],
        cursor: &mut usize,
        path: &mut Vec<PathSeg<'v>>,
        v: &'v Value,
    ) -> Option<usize> {
        match v {
            Value::Mapping(m) => {
                let start = *cursor;
                for (k, v) in m {
                    self.walk_entry(lines, cursor, path, k, v);
                }
                let first = m.keys().next().and_then(Value::as_str).and_then(|k| {
                    path.push(PathSeg::Key(k));
                    let l = self.get(path);
                    path.pop();
                    l
                });
                first.or_else(|| (start < lines.len()).then_some(start + 1))
            }
            Value::Sequence(items) => {
                let mut first = None;
                for (i, item) in items.iter().enumerate() {
                    path.push(PathSeg::Index(i));
                    if let Some(l) = self.walk(lines, cursor, path, item) {
                        self.lines.insert(Self::key(path), l);
                        first = first.or(Some(l));
                    }
                    path.pop();
                }
                first
            }
            v => {
                let l = Self::find_scalar(lines, cursor, v);
                if let Some(l) = l {
                    self.lines.insert(Self::key(path), l);
                }
                l
            }
        }
    }
}

/// The text of a scalar (strings, numbers, booleans), trimmed.
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
    .filter(|s| !s.is_empty())
}

/// A level number: `3` or `"3"`, within 0..=MAX_LEVEL.
fn level_number(v: &Value) -> Option<u32> {
    let n = match v {
        Value::Number(n) => n.as_u64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    (n <= MAX_LEVEL).then_some(n as u32)
}

/// Short printable form of a value for messages.
fn shown(v: &Value) -> String {
    match v {
        Value::Null => "nothing".into(),
        Value::Sequence(_) => "a list".into(),
        Value::Mapping(_) => "a set of `key: value` lines".into(),
        v => {
            let s = scalar(v).unwrap_or_default();
            let s: String = s.chars().take(40).collect();
            format!("`{s}`")
        }
    }
}

/// Get or add the level `n` of `track`.
fn level_mut(track: &mut Track, n: u32, source: SourceRef) -> &mut Level {
    let i = match track.levels.iter().position(|l| l.number == n) {
        Some(i) => i,
        None => {
            track.levels.push(Level {
                number: n,
                label: format!("Level {n}"),
                source,
                ..Level::default()
            });
            track.levels.len() - 1
        }
    };
    &mut track.levels[i]
}

/// Read a list of texts: a list of scalars, or one scalar (taken as a
/// one-item list). Warns about items that are not text.
fn texts(cx: &mut Cx, v: &Value, path: &[PathSeg], what: &str) -> Vec<(String, usize)> {
    match v {
        Value::Null => Vec::new(),
        Value::Sequence(items) => {
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let mut p = path.to_vec();
                p.push(PathSeg::Index(i));
                match scalar(item) {
                    Some(s) => out.push((s, cx.line(&p))),
                    None if item.is_null() => {}
                    None => cx.warn(
                        &p,
                        format!("{what} item is {}, not text; it was left out", shown(item)),
                        "write each item as one line of text (quote it if it contains `: `)",
                    ),
                }
            }
            out
        }
        v => match scalar(v) {
            Some(s) => vec![(s, cx.line(path))],
            None => {
                cx.warn(
                    path,
                    format!("`{what}` is {}, not a list; it was left out", shown(v)),
                    "write a list, one `- item` per line",
                );
                Vec::new()
            }
        },
    }
}

fn dimension(track: &mut Track, ids: &mut SlugSet, key: &str, title: String) -> String {
    let id = ids.unique(&slugify(key));
    track.dimensions.push(Dimension {
        id: id.as_str().into(),
        title,
    });
    id
}

/// `name` → `Name`, `system-design` → `System design`.
fn humanise(name: &str) -> String {
    let s = name.replace(['-', '_'], " ");
    let mut c = s.trim().chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn monzo(cx: &mut Cx, map: &Mapping) -> Track {
    use PathSeg::{Index, Key};
    let mut track = cx.new_track("topics");
    // `levels: N`: the ladder has levels 1..=N even where no topic has
    // content.
    if let Some(v) = map.get("levels") {
        match level_number(v) {
            Some(n) => {
                let src = cx.source(cx.line(&[Key("levels")]));
                for i in 1..=n {
                    level_mut(&mut track, i, src.clone());
                }
            }
            None => cx.warn(
                &[Key("levels")],
                format!(
                    "`levels` is {}, not a number of levels; it was ignored",
                    shown(v)
                ),
                "write the number of levels, e.g. `levels: 6`, or remove the line",
            ),
        }
    }
    let mut dim_ids = SlugSet::default();
    let topics = map
        .get("topics")
        .and_then(Value::as_sequence)
        .cloned()
        .unwrap_or_default();
    for (ti, topic) in topics.iter().enumerate() {
        let tp = [Key("topics"), Index(ti)];
        let Some(t) = topic.as_mapping() else {
            cx.warn(
                &tp,
                format!(
                    "topic {} is {}, not a topic; it was left out",
                    ti + 1,
                    shown(topic)
                ),
                "write each topic as `- name: …` with `title:` and `content:` under it",
            );
            continue;
        };
        let name = t.get("name").and_then(scalar);
        let title = t.get("title").and_then(scalar);
        let (key, title) = match (name, title) {
            (_, Some(title)) => (title.clone(), title),
            (Some(name), None) => (name.clone(), humanise(&name)),
            (None, None) => {
                cx.warn(
                    &tp,
                    format!(
                        "topic {} has no `name` or `title`; it is called `Topic {}`",
                        ti + 1,
                        ti + 1
                    ),
                    "add `name: <topic>` to the topic",
                );
                (format!("topic-{}", ti + 1), format!("Topic {}", ti + 1))
            }
        };
        let dim = dimension(&mut track, &mut dim_ids, &key, title);
        let Some(content) = t.get("content") else {
            continue;
        };
        let Some(entries) = content.as_sequence() else {
            if !content.is_null() {
                cx.warn(
                    &[Key("topics"), Index(ti), Key("content")],
                    format!("`content` of topic `{dim}` is {}, not a list of levels; it was left out", shown(content)),
                    "write `content:` as a list of `- level: N` entries with `criteria:` under each",
                );
            }
            continue;
        };
        for (ci, entry) in entries.iter().enumerate() {
            let ep = [Key("topics"), Index(ti), Key("content"), Index(ci)];
            let Some(e) = entry.as_mapping() else {
                cx.warn(
                    &ep,
                    format!(
                        "an entry of topic `{dim}` is {}, not a level; it was left out",
                        shown(entry)
                    ),
                    "write each entry as `- level: N` with `criteria:` under it",
                );
                continue;
            };
            let lp = [
                Key("topics"),
                Index(ti),
                Key("content"),
                Index(ci),
                Key("level"),
            ];
            let number = match e.get("level") {
                Some(v) => match level_number(v) {
                    Some(n) => n,
                    None => {
                        cx.warn(
                            &lp,
                            format!("`level` is {}, not a level number; this entry of topic `{dim}` was left out", shown(v)),
                            "write the level as a whole number, e.g. `level: 3`",
                        );
                        continue;
                    }
                },
                None => {
                    cx.warn(
                        &ep,
                        format!("an entry of topic `{dim}` has no `level`; it was left out"),
                        "add `level: N` to the entry",
                    );
                    continue;
                }
            };
            let src = cx.source(cx.line(&lp));
            let mut exps = Vec::new();
            if let Some(c) = e.get("criteria") {
                let mut p = ep.to_vec();
                p.push(Key("criteria"));
                for (text, line) in texts(cx, c, &p, "criteria") {
                    exps.push(expectation(&dim, &text, Vec::new(), cx.source(line)));
                }
            }
            if let Some(ex) = e.get("exampleCriteria") {
                let mut p = ep.to_vec();
                p.push(Key("exampleCriteria"));
                exps.extend(examples_list(cx, ex, &p, &dim));
            }
            level_mut(&mut track, number, src).expectations.extend(exps);
        }
    }
    track.levels.sort_by_key(|l| l.number);
    track
}

/// `exampleCriteria: [{criteria, examples: [..]}]`.
fn examples_list(cx: &mut Cx, v: &Value, path: &[PathSeg], dim: &str) -> Vec<Expectation> {
    let mut out = Vec::new();
    let Some(items) = v.as_sequence() else {
        if !v.is_null() {
            cx.warn(
                path,
                format!(
                    "`exampleCriteria` is {}, not a list; it was left out",
                    shown(v)
                ),
                "write `- criteria: …` entries, each with an `examples:` list",
            );
        }
        return out;
    };
    for (i, item) in items.iter().enumerate() {
        let mut p = path.to_vec();
        p.push(PathSeg::Index(i));
        let Some(m) = item.as_mapping() else {
            cx.warn(
                &p,
                format!(
                    "an `exampleCriteria` entry is {}; it was left out",
                    shown(item)
                ),
                "write `- criteria: …` with an `examples:` list under it",
            );
            continue;
        };
        let Some(text) = m.get("criteria").and_then(scalar) else {
            cx.warn(
                &p,
                "an `exampleCriteria` entry has no `criteria` text; it was left out".into(),
                "add `criteria: <what is expected>` to the entry",
            );
            continue;
        };
        let mut ep = p.clone();
        ep.push(PathSeg::Key("examples"));
        let examples = m
            .get("examples")
            .map(|e| texts(cx, e, &ep, "examples"))
            .unwrap_or_default();
        let mut cp = p.clone();
        cp.push(PathSeg::Key("criteria"));
        let line = cx.line(&cp);
        out.push(expectation(
            dim,
            &text,
            examples.into_iter().map(|(t, _)| t).collect(),
            cx.source(line),
        ));
    }
    out
}

fn expectation(dim: &str, text: &str, examples: Vec<String>, source: SourceRef) -> Expectation {
    Expectation {
        dimension: Some(dim.into()).filter(|d: &super::model::DimensionId| !d.is_empty()),
        text: Rich::from_markdown(text),
        examples: examples.iter().map(|x| Rich::from_markdown(x)).collect(),
        source,
        ..Expectation::default()
    }
}

fn own(cx: &mut Cx, map: &Mapping) -> Track {
    use PathSeg::{Index, Key};
    let mut track = cx.new_track("levels");
    let mut dim_ids = SlugSet::default();
    let mut dims: Vec<(String, String)> = Vec::new(); // (written name, id)
    let levels = map
        .get("levels")
        .and_then(Value::as_sequence)
        .cloned()
        .unwrap_or_default();
    for (li, lv) in levels.iter().enumerate() {
        let lp = [Key("levels"), Index(li)];
        let Some(l) = lv.as_mapping() else {
            cx.warn(
                &lp,
                format!(
                    "level entry {} is {}, not a level; it was left out",
                    li + 1,
                    shown(lv)
                ),
                "write each level as `- level: N` with `summary:` and `expectations:` under it",
            );
            continue;
        };
        let np = [Key("levels"), Index(li), Key("level")];
        let number = match l.get("level").map(|v| (level_number(v), v)) {
            Some((Some(n), _)) => n,
            Some((None, v)) => {
                cx.warn(
                    &np,
                    format!(
                        "`level` is {}, not a level number; this level was left out",
                        shown(v)
                    ),
                    "write the level as a whole number, e.g. `level: 3`",
                );
                continue;
            }
            None => {
                cx.warn(
                    &lp,
                    format!(
                        "level entry {} has no `level` number; it was left out",
                        li + 1
                    ),
                    "add `level: N` to the entry",
                );
                continue;
            }
        };
        if track.levels.iter().any(|x| x.number == number) {
            cx.warn(
                &np,
                format!("level {number} is written twice; the second one was left out"),
                "give each level its own number, or merge the two entries",
            );
            continue;
        }
        let src = cx.source(cx.line(&np));
        let mut level = Level {
            number,
            title: l.get("title").and_then(scalar),
            label: format!("Level {number}"),
            summary: l
                .get("summary")
                .and_then(scalar)
                .map(|s| Rich::from_markdown(&s)),
            source: src,
            ..Level::default()
        };
        let ep = [Key("levels"), Index(li), Key("expectations")];
        match l.get("expectations") {
            None | Some(Value::Null) => {}
            Some(Value::Mapping(m)) => {
                for (k, v) in m {
                    let Some(name) = scalar(k) else { continue };
                    let id = match dims.iter().find(|(n, _)| *n == name) {
                        Some((_, id)) => id.clone(),
                        None => {
                            let id = dimension(&mut track, &mut dim_ids, &name, name.clone());
                            dims.push((name.clone(), id.clone()));
                            id
                        }
                    };
                    let mut p = ep.to_vec();
                    p.push(Key(&name));
                    let items = own_items(cx, v, &p, &id);
                    level.expectations.extend(items);
                }
            }
            Some(v @ Value::Sequence(_)) => {
                let items = own_items(cx, v, &ep, "");
                level.expectations.extend(items);
            }
            Some(v) => cx.warn(
                &ep,
                format!(
                    "`expectations` of level {number} is {}; it was left out",
                    shown(v)
                ),
                "write `expectations:` as `Dimension:` keys, each with a list of texts",
            ),
        }
        track.levels.push(level);
    }
    track.levels.sort_by_key(|l| l.number);
    if let Some(roles) = map.get("roles") {
        own_roles(cx, &mut track, roles);
    }
    if let Some(aps) = map.get("anti_patterns") {
        own_anti_patterns(cx, &mut track, aps);
    }
    track
}

/// A list of expectations: texts, or `{text, examples}`.
fn own_items(cx: &mut Cx, v: &Value, path: &[PathSeg], dim: &str) -> Vec<Expectation> {
    let mut out = Vec::new();
    let items: Vec<Value> = match v {
        Value::Sequence(s) => s.clone(),
        Value::Null => return out,
        other => vec![other.clone()],
    };
    let single = !v.is_sequence();
    for (i, item) in items.iter().enumerate() {
        let mut p = path.to_vec();
        if !single {
            p.push(PathSeg::Index(i));
        }
        if let Some(text) = scalar(item) {
            out.push(expectation(dim, &text, Vec::new(), cx.source(cx.line(&p))));
            continue;
        }
        let Some(m) = item.as_mapping() else {
            if !item.is_null() {
                cx.warn(
                    &p,
                    format!(
                        "an expectation is {}, not text; it was left out",
                        shown(item)
                    ),
                    "write the expectation as text, or as `text:` with `examples:` under it",
                );
            }
            continue;
        };
        let Some(text) = m.get("text").and_then(scalar) else {
            cx.warn(
                &p,
                "an expectation has no `text`; it was left out".into(),
                "add `text: <what is expected>`",
            );
            continue;
        };
        let mut xp = p.clone();
        xp.push(PathSeg::Key("examples"));
        let examples = m
            .get("examples")
            .map(|e| texts(cx, e, &xp, "examples"))
            .unwrap_or_default();
        out.push(expectation(
            dim,
            &text,
            examples.into_iter().map(|(t, _)| t).collect(),
            cx.source(cx.line(&p)),
        ));
    }
    out
}

/// Level numbers from `levels: [1, 2]`, `levels: 3` or `levels: "1-3"`.
fn level_set(v: &Value) -> Option<Vec<u32>> {
    if let Some(s) = v.as_sequence() {
        return s.iter().map(level_number).collect();
    }
    if let Some(n) = level_number(v) {
        return Some(vec![n]);
    }
    let s = v.as_str()?;
    let (a, b) = s.split_once(['-', '–'])?;
    let (a, b): (u32, u32) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (a <= b && u64::from(b) <= MAX_LEVEL).then(|| (a..=b).collect())
}

fn own_roles(cx: &mut Cx, track: &mut Track, v: &Value) {
    use PathSeg::{Index, Key};
    let Some(items) = v.as_sequence() else {
        cx.warn(
            &[Key("roles")],
            format!("`roles` is {}, not a list; it was ignored", shown(v)),
            "write `- title: Engineer` with `levels: [1, 2]` under it",
        );
        return;
    };
    for (i, item) in items.iter().enumerate() {
        let p = [Key("roles"), Index(i)];
        let title = item.get("title").and_then(scalar);
        let levels = item.get("levels").or_else(|| item.get("level"));
        let set = levels.and_then(level_set).filter(|s| !s.is_empty());
        match (title, set) {
            (Some(title), Some(set)) => {
                let (from, to) = (
                    *set.iter().min().unwrap_or(&0),
                    *set.iter().max().unwrap_or(&0),
                );
                track.roles.push(Role {
                    title,
                    from,
                    to,
                    source: cx.source(cx.line(&p)),
                });
            }
            (None, _) => cx.warn(
                &p,
                format!("role {} has no `title`; it was left out", i + 1),
                "add `title: <role name>`",
            ),
            (Some(title), None) => cx.warn(
                &p,
                format!("role `{title}` has no level numbers; it was left out"),
                "add `levels: [1, 2]` (the levels the title covers)",
            ),
        }
    }
    track.roles.sort_by_key(|r| (r.from, r.to));
}

fn own_anti_patterns(cx: &mut Cx, track: &mut Track, v: &Value) {
    use PathSeg::{Index, Key};
    let Some(items) = v.as_sequence() else {
        cx.warn(
            &[Key("anti_patterns")],
            format!(
                "`anti_patterns` is {}, not a list; it was ignored",
                shown(v)
            ),
            "write one `- text` per anti-pattern, or `- text: …` with `levels: [..]`",
        );
        return;
    };
    for (i, item) in items.iter().enumerate() {
        let p = [Key("anti_patterns"), Index(i)];
        let (text, levels) = match (scalar(item), item.get("text").and_then(scalar)) {
            (Some(t), _) => (t, Vec::new()),
            (None, Some(t)) => {
                let levels = match item.get("levels").or_else(|| item.get("level")) {
                    None => Vec::new(),
                    Some(l) => match level_set(l) {
                        Some(s) => s,
                        None => {
                            cx.warn(
                                &p,
                                format!("the levels of anti-pattern {} are not level numbers; it applies to every level", i + 1),
                                "write `levels: [1, 2]`",
                            );
                            Vec::new()
                        }
                    },
                };
                (t, levels)
            }
            (None, None) => {
                cx.warn(
                    &p,
                    format!("anti-pattern {} has no text; it was left out", i + 1),
                    "write the anti-pattern as text, or as `text:` with `levels:`",
                );
                continue;
            }
        };
        let unknown: Vec<String> = levels
            .iter()
            .filter(|n| !track.levels.iter().any(|l| l.number == **n))
            .map(u32::to_string)
            .collect();
        if !unknown.is_empty() {
            cx.warn(
                &p,
                format!(
                    "anti-pattern {} names level {} that this track does not have",
                    i + 1,
                    unknown.join(", ")
                ),
                "check the level numbers under `levels:`",
            );
        }
        let label = match (levels.first(), levels.last()) {
            (Some(a), Some(b)) if a == b => Some(format!("Level {a}")),
            (Some(a), Some(b)) => Some(format!("Levels {a}-{b}")),
            _ => None,
        };
        track.anti_patterns.push(AntiPattern {
            levels,
            label,
            text: Rich::from_markdown(&text),
            source: cx.source(cx.line(&p)),
            ..AntiPattern::default()
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Frontmatter;

    fn data_doc(yaml: &str, raw_line: usize) -> SourceDoc {
        let Value::Mapping(m) = crate::yaml::value_from_str(yaml).unwrap() else {
            panic!("not a mapping")
        };
        SourceDoc {
            path: "x/ladder.md".into(),
            rel: "x/ladder.md".into(),
            frontmatter: Frontmatter {
                raw: yaml.to_string(),
                raw_line,
                ..Frontmatter::from_mapping(m)
            },
            body: "".into(),
            body_line_offset: 0,
            line_starts: Default::default(),
        }
    }

    const MONZO: &str = "title: Data Craft
levels: 4
topics:
  - name: craft
    title:
    content:
      - level: 1
        criteria:
          - Tidies the notebooks they touch
      - level: 2
        exampleCriteria:
          - criteria: Names tables so others find them
            examples:
              - Renamed tmp_2 to orders_daily
  - name: guidance
    title: \"Guiding others\"
    content:
      - level: 3
        criteria:
          - Pairs with newcomers on their first pipeline
      - level: three
        criteria: [Lost entry]
";

    #[test]
    fn monzo_topics_become_dimensions_and_levels() {
        let mut d = Diagnostics::default();
        let t = &recognise(&data_doc(MONZO, 2), &mut d).unwrap().value[0];
        assert_eq!(t.title, "Data Craft");
        assert_eq!(t.shape, Some(Shape::YamlFramework));
        let numbers: Vec<u32> = t.levels.iter().map(|l| l.number).collect();
        assert_eq!(numbers, vec![1, 2, 3, 4]);
        let dims: Vec<_> = t
            .dimensions
            .iter()
            .map(|d| (&*d.id, d.title.as_str()))
            .collect();
        assert_eq!(
            dims,
            vec![("craft", "Craft"), ("guiding-others", "Guiding others")]
        );
        let l2 = &t.levels[1].expectations[0];
        assert_eq!(l2.text.text(), "Names tables so others find them");
        assert_eq!(l2.examples[0].text(), "Renamed tmp_2 to orders_daily");
        assert_eq!(l2.dimension.as_deref(), Some("craft"));
        // Guidance starts at level 3: levels 1 and 2 hold only craft.
        assert!(t.levels[0]
            .expectations
            .iter()
            .all(|e| e.dimension.as_deref() == Some("craft")));
        assert_eq!(
            t.levels[2].expectations[0].dimension.as_deref(),
            Some("guiding-others")
        );
        assert!(t.levels[3].expectations.is_empty());
        // Lines are file lines (YAML starts on line 2).
        assert_eq!(t.levels[0].expectations[0].source.line, 10);
        // `level: three` is a located warning, and its entry is left out.
        let w = d.into_vec();
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].message.contains("`three`"), "{}", w[0].message);
        assert_eq!((w[0].line, w[0].col), (22, 16));
        assert!(!t
            .levels
            .iter()
            .flat_map(|l| &l.expectations)
            .any(|e| e.text.text() == "Lost entry"));
    }

    const OWN: &str = "title: Support Engineering
description: How support engineers grow.
roles:
  - title: Support Engineer
    levels: [1, 2]
  - title: Lead
    levels: 3
levels:
  - level: 1
    summary: Answers tickets with help.
    expectations:
      Customers:
        - Replies within the agreed time
        - text: Writes replies a customer can act on
          examples:
            - Links the exact settings page
  - level: 3
    title: Lead
    expectations:
      - Runs the weekly queue review
anti_patterns:
  - Closing tickets without a reply
  - text: Hoarding the hard tickets
    levels: [3]
";

    #[test]
    fn own_layout_reads_roles_levels_and_examples() {
        let mut d = Diagnostics::default();
        let t = &recognise(&data_doc(OWN, 1), &mut d).unwrap().value[0];
        assert!(d.is_empty(), "{:?}", d.into_vec());
        assert_eq!(t.title, "Support Engineering");
        assert_eq!(
            t.description.as_ref().unwrap().text(),
            "How support engineers grow."
        );
        let roles: Vec<_> = t
            .roles
            .iter()
            .map(|r| (r.title.as_str(), r.from, r.to))
            .collect();
        assert_eq!(roles, vec![("Support Engineer", 1, 2), ("Lead", 3, 3)]);
        assert_eq!(t.levels.len(), 2);
        assert_eq!(
            t.levels[0].summary.as_ref().unwrap().text(),
            "Answers tickets with help."
        );
        let e = &t.levels[0].expectations[1];
        assert_eq!(e.dimension.as_deref(), Some("customers"));
        assert_eq!(e.examples[0].text(), "Links the exact settings page");
        assert_eq!(e.source.line, 14);
        assert_eq!(t.levels[1].title.as_deref(), Some("Lead"));
        assert_eq!(t.levels[1].expectations[0].dimension, None);
        assert_eq!(t.anti_patterns.len(), 2);
        assert!(t.anti_patterns[0].levels.is_empty());
        let mut d = Diagnostics::default();
        let bad = OWN.replace("levels: [3]\n", "levels: [3, 9]\n");
        recognise(&data_doc(&bad, 1), &mut d).unwrap();
        let w = d.into_vec();
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].message.contains("level 9"), "{}", w[0].message);
        assert_eq!(w[0].line, 23);
        assert_eq!(t.anti_patterns[1].levels, vec![3]);
    }

    #[test]
    fn tag_lists_and_plain_frontmatter_are_not_ladders() {
        for y in [
            "topics: [rust, cli]\n",
            "levels: 5\n",
            "levels: [1, 2]\n",
            "title: x\n",
            "topics:\n  - name: a\n",
        ] {
            let mut d = Diagnostics::default();
            assert!(recognise(&data_doc(y, 2), &mut d).is_none(), "{y}");
            assert!(d.is_empty());
        }
    }

    #[test]
    fn odd_data_warns_and_never_panics() {
        let inputs = [
            "topics:\n  - content: 3\n  - 7\n  - name: x\n    content:\n      - 5\n      - level: -1\n      - level: 99999999999\n      - level: 2\n        criteria: {a: b}\n        exampleCriteria: [x, {examples: [a]}, {criteria: y, examples: z}]\n",
            "levels:\n  - level: 1\n    expectations: 4\n  - level: 1\n  - nope\n  - level: [1]\nroles: 3\nanti_patterns: {a: b}\n",
            "levels:\n  - level: 1\n    expectations:\n      A: [{text: x, examples: [[1]]}, {examples: [a]}, [b]]\n      7: x\nroles:\n  - title: R\n  - levels: [1]\n  - title: S\n    levels: \"2-1\"\nanti_patterns:\n  - {levels: [1]}\n  - {text: t, levels: [x]}\n  - {text: u, levels: [9]}\n",
            "levels: 0\ntopics:\n  - name: \"\"\n    title: \"\"\n    content: []\n",
        ];
        for y in inputs {
            let mut d = Diagnostics::default();
            let c = recognise(&data_doc(y, 2), &mut d).unwrap();
            assert_eq!(c.value.len(), 1);
            assert!(!d.is_empty(), "{y}");
            for w in d.into_vec() {
                assert!(w.line >= 2, "{y}: {w:?}");
            }
        }
    }

    #[test]
    fn every_truncation_of_valid_data_is_handled() {
        for text in [MONZO, OWN] {
            for cut in (0..text.len()).filter(|&c| text.is_char_boundary(c)) {
                let part = &text[..cut];
                let Ok(Value::Mapping(m)) = crate::yaml::value_from_str(part) else {
                    continue;
                };
                let doc = SourceDoc {
                    frontmatter: Frontmatter {
                        raw: part.to_string(),
                        raw_line: 2,
                        ..Frontmatter::from_mapping(m)
                    },
                    ..data_doc("a: 1", 2)
                };
                let mut d = Diagnostics::default();
                if let Some(c) = recognise(&doc, &mut d) {
                    for w in d.into_vec() {
                        assert!(w.line >= 2 && w.col >= 1, "{part:?}: {w:?}");
                    }
                    assert_eq!(c.value.len(), 1);
                }
            }
        }
    }

    #[test]
    fn every_expectation_points_at_its_own_line() {
        const PREFIXES: &str = "topics:
  - name: a
    content:
      - level: 1
        criteria:
          - Writes tests for the code they change
          - Writes tests for the code they change and the code around it
          - \"Writes tests: first, then code\"
          - >-
            Keeps a folded text
            over two lines
      - level: 2
        criteria: [Reviews, Reviews designs]
";
        for (text, raw_line) in [(MONZO, 2), (OWN, 1), (PREFIXES, 2)] {
            let mut d = Diagnostics::default();
            let t = &recognise(&data_doc(text, raw_line), &mut d).unwrap().value[0];
            let mut n = 0;
            for l in &t.levels {
                for e in &l.expectations {
                    // The line holding the whole text, else (folded text)
                    // the line it starts on.
                    let want = text
                        .lines()
                        .position(|x| x.contains(e.text.text()))
                        .or_else(|| {
                            text.lines().position(|x| {
                                let x = x.trim().trim_start_matches("- ");
                                x.len() > 8 && e.text.text().starts_with(x)
                            })
                        })
                        .unwrap()
                        + raw_line;
                    assert_eq!(e.source.line, want, "{}", e.text.text());
                    n += 1;
                }
                if let Some(first) = l.expectations.first() {
                    assert!(l.source.line <= first.source.line);
                }
            }
            assert!(n >= 3);
        }
    }
}
