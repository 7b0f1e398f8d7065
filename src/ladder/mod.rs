//! Recognising ladder structure in documents.
//!
//! One module per authoring shape. Each recogniser claims the part of a
//! document it understands (byte ranges of the body), reports what it could
//! not place as warnings, and leaves the rest to render as ordinary content,
//! so two recognisers never claim the same blocks.
//!
//! [`recognise_doc`] handles one document: banner lines are normalised
//! first ([`banner_rules`]); a skill document ([`skill`]: maturity scale,
//! checklists, anti-patterns) is never a career ladder; otherwise the
//! [`TRACK_RECOGNISERS`] are tried in order, then the anti-pattern sections
//! ([`anti_patterns`]) are attached to every track found.
//!
//! [`recognise`] runs it over every document (in parallel), assembles the
//! [`model::Handbook`] and hands out ids: tracks by title slug, expectations
//! `l<level>-<dimension>-<first words>`, unique in the handbook and stable
//! from build to build (documents are processed in path order).

pub mod labels;
pub mod level_rows;
pub mod matrix_table;
pub mod model;
pub mod pipe_table;
pub mod role_map;
pub mod table_grid;

use std::ops::Range;
use std::sync::{Arc, Mutex};

/// What a recogniser understood of a document, and which byte ranges of
/// the document body it took to understand it.
#[derive(Debug, Clone)]
pub struct Claim<T> {
    pub value: T,
    /// Byte ranges of `SourceDoc::body`, sorted, not overlapping.
    pub spans: Vec<Range<usize>>,
}

impl<T> Claim<T> {
    /// Sorts the spans and merges overlapping ones.
    pub fn new(value: T, mut spans: Vec<Range<usize>>) -> Claim<T> {
        spans.sort_by_key(|r| r.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
        for r in spans {
            match merged.last_mut() {
                Some(last) if r.start < last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        Claim {
            value,
            spans: merged,
        }
    }

    /// Does this claim overlap any of `other`?
    pub fn overlaps(&self, other: &[Range<usize>]) -> bool {
        self.spans
            .iter()
            .any(|a| other.iter().any(|b| a.start < b.end && b.start < a.end))
    }
}

pub mod anti_patterns;
pub mod banner_rules;
pub mod blocks;
pub mod file_per_level;
pub mod heading_ladder;
pub mod maturity_scale;
pub mod skill;
pub mod skill_prose;
pub mod structured_yaml;
pub mod titled_levels;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::slug::{slugify, SlugSet};
use crate::source::SourceDoc;
use model::{AntiPattern, Handbook, Level, PlainPage, Skill, SourceRef, Track};
use rayon::prelude::*;

/// A recogniser of tracks: claims part of a document as one or more tracks.
pub type TrackRecogniser = fn(&SourceDoc, &mut Diagnostics) -> Option<Claim<Vec<Track>>>;

/// Track recognisers, tried in order on every document that is not a
/// skill. A later one never takes blocks an earlier one claimed. Adding a
/// shape is one line here.
pub const TRACK_RECOGNISERS: &[(&str, TrackRecogniser)] = &[
    ("structured-yaml", structured_yaml::recognise),
    ("file-per-level", file_per_level::recognise),
    ("matrix-table", matrix_table::recognise),
    ("pipe-table", pipe_table::recognise),
    ("heading-ladder", heading_ladder::recognise),
    // Last: it never takes a document another shape understands.
    ("titled-levels", titled_levels::recognise),
];

/// What recognition made of one document.
#[derive(Debug, Clone, Default)]
pub struct DocLadder {
    pub tracks: Vec<Track>,
    pub skill: Option<Skill>,
    /// Anti-patterns of the document (also copied into its tracks or skill).
    pub anti_patterns: Vec<AntiPattern>,
    /// Byte ranges of the body that recognisers took, sorted.
    pub spans: Vec<Range<usize>>,
    /// Why the document is a plain page although it looked like a ladder.
    pub reason: Option<String>,
    /// The body with banner lines rewritten (same length and lines as the
    /// original; see [`banner_rules`]). Render this rather than `body`.
    pub body: Arc<str>,
}

/// Title of a document: frontmatter `title`, else its first H1, else the
/// file stem title-cased. Returns the H1's span when the title came from it.
pub fn doc_title(doc: &SourceDoc, bl: &[blocks::Block]) -> (String, Option<Range<usize>>) {
    if let Some(t) = &doc.frontmatter.title {
        return (t.clone(), None);
    }
    if let Some(h) = bl
        .iter()
        .find(|b| b.heading_depth() == Some(1) && !b.text.trim().is_empty())
    {
        return (h.text.trim().to_string(), Some(h.range.clone()));
    }
    (doc.name_title(), None)
}

fn overlaps(a: &[Range<usize>], b: &[Range<usize>]) -> bool {
    a.iter()
        .any(|x| b.iter().any(|y| x.start < y.end && y.start < x.end))
}

/// Recognise one document.
pub fn recognise_doc(doc: &SourceDoc, diags: &mut Diagnostics) -> DocLadder {
    let normalised = banner_rules::normalise(&doc.body);
    let ndoc;
    let doc = if normalised.len() == doc.body.len() && *normalised != *doc.body {
        ndoc = doc.with_body(normalised.into());
        &ndoc
    } else {
        doc
    };
    let mut out = DocLadder {
        body: doc.body.clone(),
        ..DocLadder::default()
    };
    let kind = doc.frontmatter.kind.as_deref();
    if kind == Some("page") {
        return out;
    }
    if let Some(c) = skill::recognise(doc, diags) {
        out.anti_patterns = c.value.anti_patterns.clone();
        out.skill = Some(c.value);
        out.spans = c.spans;
        return out;
    }
    for (_name, rec) in TRACK_RECOGNISERS {
        // A claim on blocks an earlier recogniser took is dropped, and so
        // are its warnings: they are about content another shape explains.
        let mut mine = Diagnostics::default();
        if let Some(c) = rec(doc, &mut mine) {
            if !c.value.is_empty() {
                if overlaps(&c.spans, &out.spans) {
                    continue;
                }
                out.tracks.extend(c.value);
                out.spans.extend(c.spans);
            }
        }
        diags.extend(mine);
    }
    // A document with proficiency sections of prose (`## Beginner`,
    // `## Advanced`) and no ladder is a skill whose sections are its scale.
    if out.tracks.is_empty() && kind != Some("ladder") {
        if let Some(c) = skill_prose::recognise(doc, diags) {
            out.anti_patterns = c.value.anti_patterns.clone();
            out.skill = Some(c.value);
            out.spans = c.spans;
            return out;
        }
    }
    if let Some(c) = anti_patterns::recognise(doc, diags) {
        if !overlaps(&c.spans, &out.spans) {
            out.anti_patterns = c.value;
            out.spans.extend(c.spans);
        }
    }
    out.spans = Claim::new((), std::mem::take(&mut out.spans)).spans;
    // Expectations were pushed one by one; the lists are kept until the
    // handbook is assembled, so they give back their spare room.
    for l in out.tracks.iter_mut().flat_map(|t| &mut t.levels) {
        l.expectations.shrink_to_fit();
    }
    if out.tracks.is_empty() {
        out.reason = why_not(doc, kind == Some("ladder"))
            .or_else(|| titled_levels::why_not(doc))
            .or_else(|| skill_prose::why_not(doc));
    } else {
        let known: Vec<u32> = out
            .tracks
            .iter()
            .flat_map(|t| t.levels.iter().map(|l| l.number))
            .collect();
        for ap in &out.anti_patterns {
            let missing: Vec<String> = ap
                .levels
                .iter()
                .filter(|n| !known.contains(n))
                .map(u32::to_string)
                .collect();
            if !missing.is_empty() {
                diags.push(
                    Diagnostic::warning(format!(
                        "anti-pattern `{}` names level {} that no track of this document has",
                        ap.label.as_deref().unwrap_or(""),
                        missing.join(", ")
                    ))
                    .at(&doc.path, ap.source.line, 1)
                    .with_source(&std::fs::read_to_string(&doc.path).unwrap_or_default())
                    .hint("check the level numbers in the label"),
                );
            }
        }
        for t in &mut out.tracks {
            t.anti_patterns.extend(out.anti_patterns.iter().cloned());
        }
    }
    out
}

/// Why a document that looks like a ladder was not recognised as one.
fn why_not(doc: &SourceDoc, declared: bool) -> Option<String> {
    let bl = blocks::blocks(&doc.body);
    // Only the explicit word counts: `Q3` or `H1` headings are not a hint.
    let heads: Vec<_> = heading_ladder::level_headings(&bl)
        .into_iter()
        .filter(|(_, _, l)| l.label.to_lowercase().starts_with("level"))
        .collect();
    match heads.as_slice() {
        [] if declared => Some(
            "marked `kind: ladder` but no level headings (`## Level 1`, `## L1`) were found"
                .to_string(),
        ),
        [] => None,
        [(_, _, l)] => Some(format!(
            "only one level heading (`{}`); a ladder needs at least two at the same depth",
            l.label
        )),
        _ => Some(
            "level headings are at different depths or use different labels; put every level at the same depth (`## Level 1`, `## Level 2`, …)"
                .to_string(),
        ),
    }
}

/// What the site needs of a document after recognition: the body to
/// render (banner rules normalised) and the spans recognisers claimed.
#[derive(Debug, Clone, Default)]
pub struct DocView {
    pub body: Arc<str>,
    pub spans: Vec<Range<usize>>,
    pub reason: Option<String>,
}

/// Recognise every document and assemble the handbook, with unique ids.
pub fn recognise(docs: &[SourceDoc], diags: &mut Diagnostics) -> Handbook {
    recognise_all(docs, diags).0
}

/// [`recognise`], and per document (by its `rel` path) what the site
/// renders of it.
pub fn recognise_all(
    docs: &[SourceDoc],
    diags: &mut Diagnostics,
) -> (Handbook, std::collections::HashMap<String, DocView>) {
    recognise_all_with(docs, diags, &Fresh)
}

/// A document recognised ([`recognise_doc`]), with its warnings.
pub type Recognised = Arc<(DocLadder, Diagnostics)>;

/// The steps of [`recognise_all_with`] that `rungs serve` remembers from
/// build to build. [`Fresh`] does each of them.
pub trait RecogniseSteps: Sync {
    /// What [`recognise_doc`] makes of `d`, and a key of what was read of
    /// it (any number when nothing is remembered).
    fn doc(&self, d: &SourceDoc) -> (u64, Recognised);
    /// The merged track `make` gives, remembered under `key`.
    fn merged(
        &self,
        key: u64,
        make: &dyn Fn() -> file_per_level::Merged,
    ) -> Arc<file_per_level::Merged>;
    /// The id bases of the expectations of `t` (each level's [`level_bases`]),
    /// remembered under `key` (which covers `t`); or, when nothing is
    /// remembered, none (an empty list): they are then made as they are
    /// used, a track at a time.
    fn bases(&self, key: u64, t: &Track) -> Arc<Bases>;
    /// Each track's expectation ids `make` gives (from every track's id
    /// and bases, whose hashes make `key`), with a hash of each track's.
    fn ids(&self, key: u64, make: &dyn Fn() -> Vec<Vec<(usize, String)>>) -> Arc<TrackIds>;
    /// The finished track (ids given) `make` gives, remembered under `key`.
    fn finished(&self, key: u64, make: &dyn Fn() -> Track) -> Arc<Track>;
}

/// The id bases of a track's expectations, in order, and a hash of them
/// (0 when nothing is remembered, and no list: see
/// [`RecogniseSteps::bases`]).
#[derive(Debug, Default)]
pub struct Bases {
    pub list: Vec<String>,
    pub hash: u64,
}

/// Each track's expectation ids where they are not their bases (made
/// unique with a suffix): position in the track's list and id, and a hash
/// of them (0 when nothing is remembered). Most ids are their bases, so a
/// large handbook does not hold its ids twice.
pub type TrackIds = Vec<(Vec<(usize, String)>, u64)>;

/// Every step of [`recognise_all_with`] done afresh.
pub struct Fresh;

impl RecogniseSteps for Fresh {
    fn doc(&self, d: &SourceDoc) -> (u64, Recognised) {
        let mut dg = Diagnostics::default();
        (0, Arc::new((recognise_doc(d, &mut dg), dg)))
    }
    fn merged(
        &self,
        _: u64,
        make: &dyn Fn() -> file_per_level::Merged,
    ) -> Arc<file_per_level::Merged> {
        Arc::new(make())
    }
    fn bases(&self, _: u64, _: &Track) -> Arc<Bases> {
        Arc::default()
    }
    fn ids(&self, _: u64, make: &dyn Fn() -> Vec<Vec<(usize, String)>>) -> Arc<TrackIds> {
        Arc::new(make().into_iter().map(|ids| (ids, 0)).collect())
    }
    fn finished(&self, _: u64, make: &dyn Fn() -> Track) -> Arc<Track> {
        Arc::new(make())
    }
}

/// [`recognise_all`] with its steps done by `steps`. Documents are
/// recognised on their own; the one-level tracks of documents naming the
/// same track are merged; then, in path order, tracks, skills and
/// expectations are given ids unique in the handbook.
pub fn recognise_all_with(
    docs: &[SourceDoc],
    diags: &mut Diagnostics,
    steps: &dyn RecogniseSteps,
) -> (Handbook, std::collections::HashMap<String, DocView>) {
    use crate::incremental::hash_of;
    let mut views = std::collections::HashMap::new();
    let mut order: Vec<&SourceDoc> = docs.iter().collect();
    order.sort_by(|a, b| a.rel.cmp(&b.rel));
    let mut results: Vec<(u64, Recognised)> = order.par_iter().map(|d| steps.doc(d)).collect();
    // One file per level: documents naming the same track become one.
    let level_track = |i: usize| one_level_track(&results[i].1 .0);
    let groups = file_per_level::groups(&order, &|i| level_track(i).is_some());
    // A grouped document's levels move into its group's merged track when
    // nothing else holds its recognition (a cold build); remembered, they
    // are copied.
    let mut owned: Vec<Mutex<Option<Track>>> = (0..order.len()).map(|_| Mutex::new(None)).collect();
    for &i in groups.iter().flatten() {
        let one_level = Arc::get_mut(&mut results[i].1).and_then(|(dl, _)| {
            let j = dl
                .tracks
                .iter()
                .position(|t| t.shape == Some(model::Shape::FilePerLevel))?;
            Some(&mut dl.tracks[j])
        });
        if let Some(t) = one_level {
            *owned[i].get_mut().unwrap_or_else(|e| e.into_inner()) = Some(Track {
                levels: std::mem::take(&mut t.levels),
                roles: std::mem::take(&mut t.roles),
                ..t.clone()
            });
        }
    }
    let level_track = |i: usize| one_level_track(&results[i].1 .0);
    let merged: Vec<(u64, Arc<file_per_level::Merged>)> = groups
        .par_iter()
        .map(|g| {
            let dir = order[g[0]].rel.rsplit_once('/').map_or("", |(f, _)| f);
            let index = file_per_level::folder_index(&order, dir);
            let members: Vec<u64> = g.iter().map(|&i| results[i].0).collect();
            let key = hash_of(&("merged", members, index.map(|i| results[i].0)));
            let m = steps.merged(key, &|| {
                let track = |i: usize| {
                    let taken = owned[i].lock().unwrap_or_else(|e| e.into_inner()).take();
                    match taken {
                        Some(t) => std::borrow::Cow::Owned(t),
                        None => std::borrow::Cow::Borrowed(
                            level_track(i).expect("grouped documents hold a level"),
                        ),
                    }
                };
                file_per_level::merge_group(&order, g, &track, index.map(|i| order[i]))
            });
            (key, m)
        })
        .collect();
    // Per document: the merged track it hosts, or whether its level joined
    // another document's.
    let mut hosted: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    let mut member: std::collections::HashMap<usize, bool> = std::collections::HashMap::new();
    for (gi, (g, (_, m))) in groups.iter().zip(&merged).enumerate() {
        hosted.insert(g[0], gi);
        for (&i, &ok) in g[1..].iter().zip(&m.joined) {
            member.insert(i, ok);
        }
        diags.extend(m.diags.clone());
    }
    let mut hb = Handbook::new();
    let mut track_ids = SlugSet::default();
    let mut skill_ids = SlugSet::default();
    // Tracks in order, before their expectations' ids: where the track is
    // (merged or as recognised), its key, its id and its expectations' id
    // bases. Recognised documents and merged tracks are let go of as soon
    // as they are used up, so that a cold build (where nothing else holds
    // them) never keeps three copies of every expectation.
    let mut tracks: Vec<(TrackAt, u64, String, Arc<Bases>)> = Vec::new();
    let used_up: Recognised = Arc::default();
    for (i, doc) in order.iter().enumerate() {
        let (doc_key, r) = (results[i].0, results[i].1.clone());
        let (dl, dg) = &*r;
        diags.extend(dg.clone());
        views.insert(
            doc.rel.to_string(),
            DocView {
                body: dl.body.clone(),
                spans: dl.spans.clone(),
                reason: dl.reason.clone(),
            },
        );
        let has_track = |tracks: &[(TrackAt, u64, String, Arc<Bases>)], results: &[_]| {
            tracks
                .iter()
                .any(|x| *x.0.get(&merged, results).source.file == *doc.rel)
        };
        // Whether a track of this document is read from it later.
        let mut kept = false;
        for (j, t) in dl.tracks.iter().enumerate() {
            // A document's one-level track is its group's merged track, in
            // the group's first document.
            let one_level = t.shape == Some(model::Shape::FilePerLevel);
            let (at, t, pre_key) = match (one_level, hosted.get(&i)) {
                (true, Some(&gi)) => (TrackAt::Merged(gi), &merged[gi].1.track, merged[gi].0),
                (true, None) if member.contains_key(&i) => continue,
                _ => {
                    kept = true;
                    (TrackAt::Doc(i, j), t, hash_of(&(doc_key, j)))
                }
            };
            let key = doc
                .frontmatter
                .track
                .as_deref()
                .filter(|_| t.shape == Some(model::Shape::FilePerLevel))
                .map(slugify)
                .filter(|k| !k.is_empty());
            let base = key
                .or_else(|| {
                    doc.frontmatter
                        .slug
                        .clone()
                        .filter(|_| !has_track(&tracks, &results))
                })
                .unwrap_or_else(|| slugify(&t.title));
            let id = track_ids.unique(&base);
            let bases = steps.bases(pre_key, t);
            tracks.push((at, pre_key, id, bases));
        }
        if !kept {
            results[i].1 = used_up.clone();
        }
        if let Some(s) = &dl.skill {
            let mut s = s.clone();
            let base = doc
                .frontmatter
                .slug
                .clone()
                .unwrap_or_else(|| slugify(&s.title));
            s.id = skill_ids.unique(&base);
            assign_anti_pattern_ids(&mut s.anti_patterns);
            hb.skills.push(s);
            continue;
        }
        if !has_track(&tracks, &results) && member.get(&i) != Some(&true) {
            let bl = blocks::blocks(&doc.body);
            hb.pages.push(PlainPage {
                title: doc_title(doc, &bl).0,
                source: SourceRef {
                    file: doc.rel.clone(),
                    line: 1,
                },
                reason: dl.reason.clone(),
            });
        }
    }
    // Expectation ids, unique in the handbook, in order.
    let ids_key = hash_of(
        &tracks
            .iter()
            .map(|(_, _, id, b)| (id.as_str(), b.hash))
            .collect::<Vec<_>>(),
    );
    let all_ids = steps.ids(ids_key, &|| {
        let count = tracks
            .iter()
            .map(|(at, ..)| at.get(&merged, &results).levels.iter())
            .flat_map(|ls| ls.map(|l| l.expectations.len()))
            .sum();
        let mut exp_ids = SlugSet::with_capacity(count);
        tracks
            .iter()
            .map(|(at, _, _, bases)| {
                let mut ids = Vec::new();
                for_each_base_hashed(at.get(&merged, &results), bases, |k, b, h| {
                    match exp_ids.unique_cow_hashed(b, h) {
                        std::borrow::Cow::Borrowed(id) if id == b => {}
                        id => ids.push((k, id.into_owned())),
                    }
                });
                ids
            })
            .collect()
    });
    // Tracks are finished on all cores. Each merged track goes with the
    // one track that reads it, and is let go of once that is finished.
    let mut merged: Vec<Option<Arc<file_per_level::Merged>>> =
        merged.into_iter().map(|(_, m)| Some(m)).collect();
    let work: Vec<_> = tracks
        .into_iter()
        .zip(all_ids.iter())
        .map(|((at, pre_key, id, bases), ids)| {
            let held = match at {
                TrackAt::Merged(gi) => Held::Merged(merged[gi].take().expect("one track a group")),
                TrackAt::Doc(i, j) => Held::Doc(Arc::clone(&results[i].1), j),
            };
            (held, pre_key, id, bases, ids)
        })
        .collect();
    drop(results);
    hb.tracks = work
        .into_par_iter()
        .map(|(held, pre_key, id, bases, (ids, ids_hash))| {
            let finished_key = hash_of(&("finished", pre_key, &*id, ids_hash));
            let t = held.track();
            steps.finished(finished_key, &|| {
                let mut t = Track::clone(t);
                t.id = id.clone();
                assign_anti_pattern_ids(&mut t.anti_patterns);
                let mut given = Vec::new();
                let mut exceptions = ids.iter().peekable();
                for_each_base(&t, &bases, |k, b| {
                    given.push(match exceptions.next_if(|(at, _)| *at == k) {
                        Some((_, id)) => id.clone(),
                        None => b.to_string(),
                    });
                });
                let all = t.levels.iter_mut().flat_map(|l| &mut l.expectations);
                for (e, id) in all.zip(given) {
                    e.id = id.into();
                }
                t
            })
        })
        .collect();
    (hb, views)
}

/// Each expectation's id base, in order: `bases` when they are remembered,
/// else made for the whole track, a level at a time on all cores.
fn bases_of<'a>(t: &Track, bases: &'a Bases) -> std::borrow::Cow<'a, [String]> {
    let count: usize = t.levels.iter().map(|l| l.expectations.len()).sum();
    if bases.list.len() == count {
        return std::borrow::Cow::Borrowed(&bases.list);
    }
    std::borrow::Cow::Owned(t.levels.par_iter().flat_map_iter(level_bases).collect())
}

/// Hands each expectation's id base ([`bases_of`]) to `f`, in order, with
/// its place in the track.
fn for_each_base(t: &Track, bases: &Bases, mut f: impl FnMut(usize, &str)) {
    for (k, b) in bases_of(t, bases).iter().enumerate() {
        f(k, b);
    }
}

/// [`for_each_base`] with each base's hash ([`crate::incremental::hash_of`]),
/// made on all cores.
fn for_each_base_hashed(t: &Track, bases: &Bases, mut f: impl FnMut(usize, &str, u64)) {
    let list = bases_of(t, bases);
    let hashes: Vec<u64> = list
        .par_iter()
        .map(|b| crate::incremental::hash_of(b.as_str()))
        .collect();
    for (k, (b, h)) in list.iter().zip(hashes).enumerate() {
        f(k, b, h);
    }
}

/// Where a track to finish is: a merged track, or track `j` of a
/// document's recognition.
enum Held {
    Merged(Arc<file_per_level::Merged>),
    Doc(Recognised, usize),
}

impl Held {
    fn track(&self) -> &Track {
        match self {
            Held::Merged(m) => &m.track,
            Held::Doc(r, j) => &r.0.tracks[*j],
        }
    }
}

/// The one-level track of a document (one file of a track written one
/// file per level), if it has one.
fn one_level_track(dl: &DocLadder) -> Option<&Track> {
    dl.tracks
        .iter()
        .find(|t| t.shape == Some(model::Shape::FilePerLevel))
}

/// Where a track being assembled is: a group's merged track, or a
/// document's own track (document, track).
#[derive(Clone, Copy)]
enum TrackAt {
    Merged(usize),
    Doc(usize, usize),
}

impl TrackAt {
    fn get<'a>(
        self,
        merged: &'a [(u64, Arc<file_per_level::Merged>)],
        results: &'a [(u64, Recognised)],
    ) -> &'a Track {
        match self {
            TrackAt::Merged(gi) => &merged[gi].1.track,
            TrackAt::Doc(i, j) => &results[i].1 .0.tracks[j],
        }
    }
}

/// The bases of the ids of a level's expectations, in order
/// ([`push_base`]): they read its number and its expectations' dimensions
/// and texts ([`level_bases_key`]).
pub fn level_bases(l: &Level) -> Vec<String> {
    let mut base = String::new();
    l.expectations
        .iter()
        .map(|e| {
            push_base(&mut base, l.number, e);
            base.as_str().into()
        })
        .collect()
}

/// The id base of `e`, an expectation of level `level`, in `out` (which
/// it clears): `l<level>-<dimension>-<first words>`, each cut short.
fn push_base(out: &mut String, level: u32, e: &model::Expectation) {
    use std::fmt::Write;
    out.clear();
    let _ = write!(out, "l{level}");
    if let Some(d) = &e.dimension {
        out.push('-');
        let start = out.len();
        out.push_str(d);
        shorten(out, start, 24);
    }
    out.push('-');
    let start = out.len();
    // The first four words, as [`blocks::first_words`] gives them: the
    // spaces between them become single dashes either way.
    let text = e.text.text();
    let end = crate::words::words(text).take(4).last().map_or(0, |w| {
        w.as_ptr() as usize - text.as_ptr() as usize + w.len()
    });
    crate::slug::slugify_into(out, &text[..end]);
    shorten(out, start, 32);
    let kept = out.trim_end_matches('-').len();
    out.truncate(kept);
}

/// A key of what [`level_bases`] reads of `l`.
pub fn level_bases_key(l: &Level) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = crate::incremental::FastHasher::default();
    l.number.hash(&mut h);
    l.expectations.len().hash(&mut h);
    for e in &l.expectations {
        e.dimension.as_deref().hash(&mut h);
        e.text.text().hash(&mut h);
    }
    h.finish()
}

/// A slug cut at a word boundary to at most `max` bytes.
fn short(slug: &str, max: usize) -> String {
    let mut s = slug.to_string();
    shorten(&mut s, 0, max);
    s
}

/// [`short`] of what `out` holds from `start` on, in place.
fn shorten(out: &mut String, start: usize, max: usize) {
    let slug = &out[start..];
    if slug.len() <= max {
        return;
    }
    let mut cut = max;
    while !slug.is_char_boundary(cut) {
        cut -= 1;
    }
    let s = &slug[..cut];
    let keep = s.rfind('-').filter(|&p| p > 0).unwrap_or(cut);
    out.truncate(start + keep);
}

/// Ids unique within one list (a track's or a skill's), in order.
fn assign_anti_pattern_ids(aps: &mut [AntiPattern]) {
    let mut ids = SlugSet::default();
    for ap in aps {
        ap.id = ids.unique(&anti_pattern_id(ap));
    }
}

fn anti_pattern_id(ap: &AntiPattern) -> String {
    let mut id = String::from("ap");
    if let (Some(first), Some(last)) = (ap.levels.first(), ap.levels.last()) {
        if first == last {
            id.push_str(&format!("-l{first}"));
        } else {
            id.push_str(&format!("-l{first}-{last}"));
        }
    }
    let words = short(&slugify(&blocks::first_words(ap.text.text(), 4)), 32);
    if !words.is_empty() {
        id.push('-');
        id.push_str(&words);
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Frontmatter;

    fn doc(body: &str) -> SourceDoc {
        SourceDoc {
            path: "odd/doc.md".into(),
            rel: "odd/doc.md".into(),
            frontmatter: Frontmatter::default(),
            body: body.into(),
            body_line_offset: 0,
            line_starts: Default::default(),
        }
    }

    #[test]
    fn claims_merge_overlapping_spans() {
        let c = Claim::new((), vec![5..9, 0..3, 2..4, 9..10]);
        assert_eq!(c.spans, vec![0..4, 5..9, 9..10]);
        assert!(c.overlaps(&[3..6, 20..21]));
        assert!(!c.overlaps(&[4..5, 20..21]));
    }

    #[test]
    fn odd_inputs_never_panic() {
        let inputs = [
            "",
            "\n\n\n",
            "#",
            "## Level 1\n## Level 2\n### Level 3\n#### L4\n",
            "<div>\n## Level 1\n- a\n## Level 2\n<span",
            "## Level 99999999999999999999999\n- x\n## Level 4294967296\n- y\n",
            "## Level 1 — Ünïcode 🚀\n- **Ünïcode**: ✓\n## Level 2 — 日本語\n- テスト\n",
            "# Skill: İstanbul\n## Maturity\nLevel 1 — İ\n- x\n**Level 2**\nTarget: İ",
            "# İSkill\n",
            "# Skıll: x\n",
            "# Skill:\n",
            "## Anti-patterns\n**\n**Levels 3-1:**\n- **L99:**\n- P: x\n- **:** y\n**Level 1:**",
            "=====\n-----\nx\n-----\n=\n--\n```\n===\n",
            "- [ ]\n- [x]\n* [ ] ü\n  - [ ] nested\n",
            "## Level 1\n- a\n  - b\n    - c\n      - d\n## Level 1\n## Level 2\n",
            "\u{feff}## L1\n\t- tab\n## L2\r\n- crlf\r\n",
        ];
        for input in inputs {
            let mut d = Diagnostics::default();
            let dl = recognise_doc(&doc(input), &mut d);
            assert_eq!(dl.body.len(), input.len(), "{input:?}");
            for s in &dl.spans {
                assert!(s.start <= s.end && s.end <= input.len(), "{input:?}");
            }
            let _ = recognise(&[doc(input)], &mut d);
        }
    }

    #[test]
    fn proficiency_headings_are_one_shape_or_the_other() {
        let mut d = Diagnostics::default();
        // With shared dimension sub-headings: titled levels, not a skill.
        let dl = recognise_doc(
            &doc("## Junior\n### Craft\n- a\n### Impact\n- b\n## Senior\n### Craft\n- c\n### Impact\n- d\n"),
            &mut d,
        );
        assert_eq!(dl.tracks[0].shape, Some(model::Shape::TitledLevels));
        assert!(dl.skill.is_none());
        // Prose under the same headings: a skill, not a track.
        let dl = recognise_doc(&doc("## Junior\nLearns.\n## Senior\nTeaches.\n"), &mut d);
        assert!(dl.tracks.is_empty());
        assert_eq!(
            dl.skill.map(|s| s.shape),
            Some(Some(model::Shape::ProseSkill))
        );
        // `Level N: Junior` headings stay a heading ladder.
        let dl = recognise_doc(
            &doc("## Level 1: Junior\nLearns.\n- a\n## Level 2: Senior\n- b\n"),
            &mut d,
        );
        assert_eq!(dl.tracks[0].shape, Some(model::Shape::HeadingLadder));
        assert!(d.is_empty());
    }

    #[test]
    fn stitched_titled_and_prose_fragments_never_panic() {
        let parts = [
            "## Senior Engineer {#s}\n",
            "### Craft\n",
            "#### 1. Impact\n",
            "- [Engineer](#engineer)\n",
            "- **Scope**: x\n",
            "## Beginner\n",
            "### Expert —\n",
            "Prose ü.\n",
            "## Level 2\n",
            "# T\n",
            "\n",
            "Intermediate\n---\n",
            "- [ ] task\n",
            "## Anti-patterns\n",
        ];
        let mut seed = 0x2545_f491_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..400 {
            let mut body = String::new();
            for _ in 0..next() % 12 {
                body.push_str(parts[(next() % parts.len() as u64) as usize]);
            }
            let mut d = Diagnostics::default();
            let dl = recognise_doc(&doc(&body), &mut d);
            for s in &dl.spans {
                assert!(s.end <= body.len(), "{body:?}");
            }
        }
    }

    #[test]
    fn ids_are_short_unique_and_stable() {
        let a = doc("## Level 1\n- **Delivery**: Ships a very long feature with many words in it\n- **Delivery**: Ships a very long feature with many words again\n## Level 2\n- Same\n");
        let mut b = a.clone();
        b.rel = "b.md".into();
        let hb = recognise(&[a.clone(), b.clone()], &mut Diagnostics::default());
        let ids: Vec<_> = hb
            .tracks
            .iter()
            .flat_map(|t| {
                t.levels
                    .iter()
                    .flat_map(|l| l.expectations.iter().map(|e| e.id.to_string()))
            })
            .collect();
        assert_eq!(ids[0], "l1-delivery-ships-a-very-long");
        assert!(ids.iter().any(|i| i == "l1-delivery-ships-a-very-long-3"));
        assert_eq!(ids[1], "l1-delivery-ships-a-very-long-2");
        let mut u = ids.clone();
        u.sort();
        u.dedup();
        assert_eq!(u.len(), ids.len());
        let hb2 = recognise(&[b, a], &mut Diagnostics::default());
        let ids2: Vec<_> = hb2
            .tracks
            .iter()
            .flat_map(|t| {
                t.levels
                    .iter()
                    .flat_map(|l| l.expectations.iter().map(|e| e.id.to_string()))
            })
            .collect();
        assert_eq!(ids, ids2, "input order does not change ids");
        // Sorted by file: b.md, then odd/doc.md.
        assert_eq!(hb.tracks[0].id, "b");
        assert_eq!(hb.tracks[1].id, "doc");
    }

    #[test]
    fn unrecognised_docs_become_pages_with_reasons() {
        let mut d = Diagnostics::default();
        let hb = recognise(&[doc("# Notes\n\n## Level 3\n- only one\n")], &mut d);
        assert!(hb.tracks.is_empty());
        assert_eq!(hb.pages[0].title, "Notes");
        assert!(hb.pages[0]
            .reason
            .as_deref()
            .unwrap()
            .contains("only one level heading"));
    }
}
