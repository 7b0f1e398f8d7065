//! Build-time search index: every expectation, level summary, role,
//! dimension, anti-pattern, skill section and the sections (heading and
//! body text) of plain pages, with facets (track, level, kind, dimension).
//!
//! The index is written as plain scripts that push into a global
//! (`window.RUNGS_SEARCH`), so pages load it with `<script>` tags: it works
//! from `file://`, under any subpath and offline, with no fetch and no wasm.
//! It is split so that a query loads only what it needs:
//!
//! - `search/meta.js`: the facet values (tracks, levels, dimensions, kinds),
//!   the document count and the list of term shards; small at any size;
//! - `search/t-<prefix>.js`: the terms starting with a two-letter prefix
//!   (a prefix whose terms exceed [`SHARD_BYTES`] is split by one more
//!   letter, recursively), each with its postings (doc id deltas, weights)
//!   as a string of comma-separated numbers, decoded on use;
//! - `search/d-<n>.js`: documents `n*CHUNK ..`: kind, title, text (capped at
//!   [`TEXT_CAP`] bytes), URL and facets, loaded only for the hits shown;
//! - `search/facets.js`: each document's facets, run-length coded, loaded
//!   only when a filter is set.
//!
//! The client (`static/search.js`) applies the same [`stem`] rules.

use crate::ladder::model::{Handbook, Track};
use crate::site::ladder_pages::{level_url, track_url};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde_json::json;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

/// Documents per `search/d-<n>.js` chunk.
pub const CHUNK: usize = 32;
/// A shard prefix whose terms take more bytes than this is split.
pub const SHARD_BYTES: usize = 48 * 1024;
/// The most text kept per document for display (the whole text is indexed).
pub const TEXT_CAP: usize = 400;

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
    /// A section of a document page: its heading and body text.
    Page,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Expectation,
        Kind::AntiPattern,
        Kind::Summary,
        Kind::Role,
        Kind::Dimension,
        Kind::Track,
        Kind::Skill,
        Kind::Page,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Expectation => "expectation",
            Kind::AntiPattern => "anti-pattern",
            Kind::Summary => "summary",
            Kind::Role => "role",
            Kind::Dimension => "dimension",
            Kind::Track => "track",
            Kind::Skill => "skill",
            Kind::Page => "page",
        }
    }

    /// The value of the kind filter this kind falls under: expectation,
    /// anti-pattern, skill, page, or ladder (summaries, roles, dimensions,
    /// tracks).
    pub fn filter(self) -> &'static str {
        match self {
            Kind::Expectation => "expectation",
            Kind::AntiPattern => "anti-pattern",
            Kind::Skill => "skill",
            Kind::Page => "page",
            Kind::Summary | Kind::Role | Kind::Dimension | Kind::Track => "ladder",
        }
    }

    /// How much a word in this kind of document counts: an expectation's
    /// own words rank above a page section that merely mentions them.
    fn weight(self) -> u32 {
        match self {
            Kind::Expectation | Kind::AntiPattern => 10,
            Kind::Role | Kind::Track | Kind::Skill => 8,
            Kind::Summary | Kind::Dimension => 6,
            Kind::Page => 3,
        }
    }
}

/// One searchable thing.
#[derive(Debug, Clone)]
pub struct SearchDoc {
    pub kind: Kind,
    /// A short title (the level heading, the skill, the page).
    pub title: String,
    /// The heading of a page section.
    pub section: Option<String>,
    /// The text searched and shown.
    pub text: String,
    /// Relative to the site root, with its `#anchor`.
    pub url: String,
    /// Track id (or skill id for skill documents).
    pub track: Option<String>,
    pub level: Option<u32>,
    pub dimension: Option<String>,
}

/// A section of a rendered document page: the text under one heading (or
/// before the first), with the heading's id and text.
#[derive(Debug, Clone)]
pub struct PageSection {
    /// The page's address and title, shared by its sections.
    pub page_url: std::sync::Arc<str>,
    pub page_title: std::sync::Arc<str>,
    /// The heading's id and text; `None` for the text before it.
    pub heading: Option<(String, String)>,
    /// Plain body text (code blocks left out); empty for skill pages,
    /// whose items are indexed on their own.
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

/// The sections of a page's rendered HTML, split at headings with an id.
/// With `body` false only the headings are kept.
pub fn page_sections(page_url: &str, page_title: &str, html: &str, body: bool) -> Vec<PageSection> {
    use scraper::{ElementRef, Html, Node};
    let frag = Html::parse_fragment(html);
    let (page_url, page_title): (std::sync::Arc<str>, std::sync::Arc<str>) =
        (page_url.into(), page_title.into());
    let mut out = vec![PageSection {
        page_url: page_url.clone(),
        page_title: page_title.clone(),
        heading: None,
        text: String::new(),
    }];
    for n in frag.root_element().children() {
        let text = match (n.value(), ElementRef::wrap(n)) {
            (Node::Text(t), _) => t.to_string(),
            (_, Some(e)) => {
                let name = e.value().name();
                if matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
                    if let Some(id) = e.value().attr("id") {
                        let t: String = e.text().collect();
                        out.push(PageSection {
                            page_url: page_url.clone(),
                            page_title: page_title.clone(),
                            heading: Some((id.to_string(), squash(&t))),
                            text: String::new(),
                        });
                        continue;
                    }
                }
                if matches!(name, "pre" | "script" | "style" | "template") {
                    continue;
                }
                e.text().collect::<String>()
            }
            _ => continue,
        };
        if body {
            let last = out.last_mut().expect("one section");
            last.text.push_str(&text);
            last.text.push(' ');
        }
    }
    for s in &mut out {
        s.text = squash(&s.text);
    }
    out.retain(|s| s.heading.is_some() || !s.text.is_empty());
    out
}

fn squash(s: &str) -> String {
    crate::words::squash(s)
}

/// What [`SearchIndex::build`] reads besides the handbook: the sections
/// of the site's document and skill pages, and each skill's page URL by
/// its source file.
pub struct SearchInput {
    /// Each page's sections (shared with a session's memo, not copied).
    pub sections: Vec<std::sync::Arc<[PageSection]>>,
    pub skill_urls: std::collections::HashMap<String, String>,
}

impl SearchInput {
    /// The index of `hb` with these pages and skills.
    pub fn index(&self, hb: &Handbook) -> SearchIndex {
        SearchIndex::build(hb, &|rel| self.skill_urls.get(rel).cloned(), &self.sections)
    }
}

impl SearchIndex {
    /// Index the handbook. `skill_url` gives a skill's page URL;
    /// `sections` are the sections of document and skill pages.
    pub fn build(
        hb: &Handbook,
        skill_url: &(dyn Fn(&str) -> Option<String> + Sync),
        sections: &[std::sync::Arc<[PageSection]>],
    ) -> SearchIndex {
        SearchIndex {
            docs: doc_blocks(hb, skill_url, sections).flatten().collect(),
            tracks: facet_tracks(hb, skill_url),
        }
    }

    /// Stemmed term → postings (doc index, weight), sorted by term, each
    /// posting list in document order.
    pub fn terms(&self) -> BTreeMap<String, Vec<(usize, u32)>> {
        // Documents are tokenised in parallel blocks, each stemming every
        // distinct word once; the blocks' postings are then joined in order.
        let mut lists = TermLists::default();
        for block in terms_of_blocks(0, &self.docs) {
            lists.add(block);
        }
        lists
            .into_sorted()
            .into_iter()
            .map(|(t, p)| (t, TermLists::postings(&p).collect()))
            .collect()
    }

    /// Each document's id in the index files: documents in order, each
    /// track (and skill, and the plain pages) starting at a multiple of
    /// [`CHUNK`]. Inserting or removing a document then renumbers only
    /// the documents after it in its own track, so the document chunks
    /// of other tracks keep their numbers and contents, unless the track
    /// crosses a multiple of [`CHUNK`].
    pub fn ids(&self) -> Vec<usize> {
        let mut ids = Vec::with_capacity(self.docs.len());
        let mut next: usize = 0;
        for (i, d) in self.docs.iter().enumerate() {
            if i > 0 && d.track != self.docs[i - 1].track {
                next = next.div_ceil(CHUNK) * CHUNK;
            }
            ids.push(next);
            next += 1;
        }
        ids
    }

    /// The index files: (path under the site root, contents), in the
    /// order `meta.js`, the term shards, `facets.js`, the document chunks.
    pub fn files(&self) -> Vec<(String, String)> {
        let out = std::sync::Mutex::new(Vec::new());
        let _ = self.write_files(&|rel, text| -> Result<(), ()> {
            out.lock().expect("not poisoned").push((rel, text));
            Ok(())
        });
        let mut out = out.into_inner().expect("not poisoned");
        // Shards are handed over in order; chunks a block at a time, in
        // parallel.
        let rank = |rel: &str| match rel {
            "search/meta.js" => (0, 0),
            "search/facets.js" => (2, 0),
            _ => match rel
                .strip_prefix("search/d-")
                .and_then(|r| r.strip_suffix(".js"))
            {
                Some(n) => (3, n.parse().unwrap_or(usize::MAX)),
                None => (1, 0),
            },
        };
        out.sort_by_key(|(rel, _)| rank(rel));
        out
    }

    /// Hands each index file to `write` (path under the site root,
    /// contents) as soon as it is made: the term shards first, so that
    /// the postings are dropped before any document chunk is made, then
    /// the chunks a block at a time, so that only one block's text is held
    /// at once. The same files as [`SearchIndex::files`].
    pub fn write_files<E: Send>(
        &self,
        write: &(dyn Fn(String, String) -> Result<(), E> + Sync),
    ) -> Result<(), E> {
        write_blocks(
            &self.tracks,
            &|| Box::new(self.docs.chunks(TERM_BLOCK).map(Cow::Borrowed)),
            write,
        )
    }
}

impl SearchInput {
    /// Writes the index of `hb` with these pages and skills, the same
    /// files as [`SearchIndex::files`], without holding all its documents:
    /// they are made a few tracks at a time, twice (once for the terms,
    /// facets and ids, once for the document chunks).
    pub fn write_index<E: Send>(
        &self,
        hb: &Handbook,
        write: &(dyn Fn(String, String) -> Result<(), E> + Sync),
    ) -> Result<(), E> {
        let skill_url = |rel: &str| self.skill_urls.get(rel).cloned();
        write_blocks(
            &facet_tracks(hb, &skill_url),
            &|| Box::new(doc_blocks(hb, &skill_url, &self.sections).map(Cow::Owned)),
            write,
        )
    }
}

/// Documents tokenised at once (and, in [`SearchIndex::write_files`],
/// handed over at once).
const TERM_BLOCK: usize = 4096;

/// Tracks whose documents are made at once by [`SearchInput::write_index`]:
/// as many as hold about this many entries (at least one track).
const DOCS_PER_BLOCK: usize = 2 * TERM_BLOCK;

/// The index's documents, a block at a time, in order.
type Blocks<'a> = Box<dyn Iterator<Item = Cow<'a, [SearchDoc]>> + Send + 'a>;

/// Term → postings of `docs`, the first of which is document `first`,
/// tokenised in parallel blocks, each stemming every distinct word once.
fn terms_of_blocks(first: usize, docs: &[SearchDoc]) -> Vec<Vec<(String, Postings)>> {
    docs.par_chunks(TERM_BLOCK)
        .enumerate()
        .map(|(b, docs)| terms_of_block(first + b * TERM_BLOCK, docs))
        .collect()
}

/// Every term's postings, joined a block of documents at a time, each
/// term's list kept as bytes: for each document in order, its gap from
/// the one before (the first from 0) and its weight, as a LEB128 number
/// (`gap << WEIGHT_BITS | weight`). Most gaps are small, so a posting
/// takes one or two bytes rather than a [`Posting`]'s four.
#[derive(Default)]
struct TermLists {
    index: FxHashMap<String, usize>,
    /// By the term's place in `index`: the list, and its last document.
    lists: Vec<(Vec<u8>, usize)>,
}

impl TermLists {
    /// Adds the postings of a block of documents, which come after every
    /// document added so far.
    fn add(&mut self, block: Vec<(String, Postings)>) {
        for (t, postings) in block {
            let i = match self.index.get(&t) {
                Some(&i) => i,
                None => {
                    self.index.insert(t, self.lists.len());
                    self.lists.push((Vec::new(), 0));
                    self.lists.len() - 1
                }
            };
            let (bytes, last) = &mut self.lists[i];
            for p in postings {
                let mut v = ((p.doc() - *last) as u64) << WEIGHT_BITS | p.weight() as u64;
                while v >= 0x80 {
                    bytes.push(v as u8 | 0x80);
                    v >>= 7;
                }
                bytes.push(v as u8);
                *last = p.doc();
            }
        }
    }

    /// The terms, sorted, each with its list.
    fn into_sorted(self) -> Vec<(String, Vec<u8>)> {
        let mut lists: Vec<Option<Vec<u8>>> =
            self.lists.into_iter().map(|(b, _)| Some(b)).collect();
        let mut terms: Vec<(String, usize)> = self.index.into_iter().collect();
        terms.par_sort_unstable();
        terms
            .into_iter()
            .map(|(t, i)| (t, lists[i].take().unwrap_or_default()))
            .collect()
    }

    /// The postings (document, weight) of a list, in order.
    fn postings(bytes: &[u8]) -> impl Iterator<Item = (usize, u32)> + '_ {
        let mut at = 0;
        let mut doc = 0;
        std::iter::from_fn(move || {
            let mut v: u64 = 0;
            let mut shift = 0;
            loop {
                let b = *bytes.get(at)?;
                at += 1;
                v |= u64::from(b & 0x7f) << shift;
                shift += 7;
                if b < 0x80 {
                    break;
                }
            }
            doc += (v >> WEIGHT_BITS) as usize;
            Some((doc, (v & ((1 << WEIGHT_BITS) - 1)) as u32))
        })
    }
}

/// A document's facets: track, level, kind and dimension, as indexes
/// into the values `meta.js` lists.
/// (Indexes are 32-bit: a large handbook holds half a million of these.)
type Facet = (Option<u32>, Option<u32>, u8, Option<u32>);

/// Writes the index files of the documents `blocks` yields (twice: first
/// for the terms, facets and ids, then for the chunks): the term shards
/// first, so that the postings are gone before any document chunk is
/// made, then `facets.js` and `meta.js`, then the chunks a block at a time.
fn write_blocks<'a, E: Send>(
    tracks: &[(String, String)],
    blocks: &dyn Fn() -> Blocks<'a>,
    write: &(dyn Fn(String, String) -> Result<(), E> + Sync),
) -> Result<(), E> {
    let track_of: HashMap<&str, usize> = tracks
        .iter()
        .enumerate()
        .map(|(i, (t, _))| (t.as_str(), i))
        .collect();
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
    let kind_of = |k: Kind| Kind::ALL.iter().position(|x| *x == k).unwrap_or(0);

    // Pass 1: ids (as [`SearchIndex::ids`]), facet values, postings.
    let mut ids: Vec<usize> = Vec::new();
    let mut next: usize = 0;
    let mut last: Option<Option<String>> = None;
    let mut dim_seen: FxHashMap<String, usize> = FxHashMap::default();
    let mut dim_names: Vec<String> = Vec::new();
    let mut levels: Vec<u32> = Vec::new();
    let mut facets: Vec<Facet> = Vec::new();
    let mut lists = TermLists::default();
    // The ids and facets of a block, in order.
    let mut place_block = |block: &[SearchDoc]| {
        for d in block {
            match &last {
                Some(t) if *t == d.track => {}
                Some(_) => {
                    next = next.div_ceil(CHUNK) * CHUNK;
                    last = Some(d.track.clone());
                }
                None => last = Some(d.track.clone()),
            }
            ids.push(next);
            next += 1;
            levels.extend(d.level);
            let dim = d.dimension.as_ref().map(|x| match dim_seen.get(x) {
                Some(i) => *i,
                None => {
                    dim_seen.insert(x.clone(), dim_names.len());
                    dim_names.push(x.clone());
                    dim_names.len() - 1
                }
            });
            facets.push((
                d.track
                    .as_deref()
                    .and_then(|t| track_of.get(t).map(|&i| i as u32)),
                d.level,
                kind_of(d.kind) as u8,
                dim.map(|i| i as u32),
            ));
        }
    };
    // While a block is tokenised, the next one is made, and the block
    // before is joined into the lists and this one's facets are placed.
    let mut rest = blocks();
    let mut coming = rest.next();
    let mut first = 0;
    let mut joining: Option<Vec<Vec<(String, Postings)>>> = None;
    while let Some(block) = coming {
        let ((terms, after), ()) = rayon::join(
            || rayon::join(|| terms_of_blocks(first, &block), || rest.next()),
            || {
                for terms in joining.take().into_iter().flatten() {
                    lists.add(terms);
                }
                place_block(&block);
            },
        );
        first += block.len();
        joining = Some(terms);
        coming = after;
    }
    for terms in joining.into_iter().flatten() {
        lists.add(terms);
    }
    levels.sort_unstable();
    levels.dedup();
    // Dimensions by name; the facets name them by their place there.
    let mut dims: Vec<&str> = dim_names.iter().map(String::as_str).collect();
    dims.sort_unstable();
    let place: Vec<usize> = dim_names
        .iter()
        .map(|x| dims.binary_search(&x.as_str()).unwrap_or(0))
        .collect();
    for f in &mut facets {
        f.3 = f.3.map(|i| place[i as usize] as u32);
    }

    // Term shards; the postings go once they are written.
    let shard_names: Vec<String> = {
        // Each term's postings go as soon as they are encoded.
        let sized: Vec<(String, String)> = lists
            .into_sorted()
            .into_par_iter()
            .map(|(t, postings)| {
                let p: Vec<(usize, u32)> = TermLists::postings(&postings)
                    .map(|(d, w)| (ids[d], w))
                    .collect();
                drop(postings);
                let encoded = encode_postings(&p);
                (t, encoded)
            })
            .collect();
        let refs: Vec<(&str, &str)> = sized
            .iter()
            .map(|(t, p)| (t.as_str(), p.as_str()))
            .collect();
        let shards = shard_terms(&refs);
        shards.par_iter().try_for_each(|(prefix, members)| {
            let mut s = format!("{{\"shard\":{},\"terms\":{{", json!(prefix));
            for (i, (t, p)) in members.iter().enumerate() {
                if i > 0 {
                    s.push(',');
                }
                // Postings as a string, not an array: a browser parses a
                // string literal several times faster than as many number
                // literals, and search.js decodes only the terms it uses.
                let _ = write!(s, "{}:\"{p}\"", json!(t));
            }
            s.push_str("}}");
            write(format!("search/t-{}.js", shard_file(prefix)), wrap(&s))
        })?;
        shards.into_iter().map(|(p, _)| p).collect()
    };

    // Facets, run-length coded: [run, value, run, value, …].
    fn rle<T: PartialEq + Copy + serde::Serialize>(
        v: impl Iterator<Item = T>,
    ) -> serde_json::Value {
        let mut runs: Vec<(usize, T)> = Vec::new();
        for x in v {
            match runs.last_mut() {
                Some((n, y)) if *y == x => *n += 1,
                _ => runs.push((1, x)),
            }
        }
        json!(runs
            .iter()
            .flat_map(|(n, x)| [json!(n), json!(x)])
            .collect::<Vec<_>>())
    }
    // Per id; the ids a track leaves unused repeat the facets before
    // them (no posting names them), so they cost no run of their own.
    let n = ids.last().map_or(0, |l| l + 1);
    let (ids_of, facets_of) = (&ids, &facets);
    let per_id = || {
        let mut at = 0;
        (0..n).map(move |id| {
            while ids_of.get(at + 1).is_some_and(|&next| next <= id) {
                at += 1;
            }
            facets_of[at]
        })
    };
    let facets_json = json!({
        "track": rle(per_id().map(|x| x.0)),
        "level": rle(per_id().map(|x| x.1)),
        "kind": rle(per_id().map(|x| x.2)),
        "dim": rle(per_id().map(|x| x.3)),
    });
    write(
        "search/facets.js".into(),
        wrap(&json!({ "facets": facets_json }).to_string()),
    )?;

    let meta = json!({
        "n": n,
        "chunk": CHUNK,
        "tracks": tracks.iter().map(|(id, title)| json!([id, title])).collect::<Vec<_>>(),
        "levels": levels,
        "dims": dims,
        "kinds": kinds,
        "filters": Kind::ALL.iter().map(|k| k.filter()).collect::<Vec<_>>(),
        "shards": shard_names,
    });
    write(
        "search/meta.js".to_string(),
        wrap(&json!({ "meta": meta }).to_string()),
    )?;

    // Pass 2: the document chunks, a block at a time, each block made
    // while the chunks before it are written. A chunk that goes on in the
    // next block waits for it.
    let mut buf: Vec<SearchDoc> = Vec::new();
    let mut at = 0;
    let mut rest = blocks();
    let mut coming = rest.next();
    while let Some(block) = coming {
        buf.extend(block.into_owned());
        let cut = (1..buf.len())
            .rev()
            .find(|&j| ids[at + j].is_multiple_of(CHUNK))
            .unwrap_or(0);
        let (written, next) = rayon::join(
            || {
                write_chunks(
                    &buf[..cut],
                    &ids[at..at + cut],
                    &facets[at..at + cut],
                    write,
                )
            },
            || rest.next(),
        );
        written?;
        coming = next;
        buf.drain(..cut);
        at += cut;
    }
    write_chunks(&buf, &ids[at..], &facets[at..], write)?;
    Ok(())
}

/// Writes the chunks of `docs` (with their ids and facets), which start
/// a chunk: a chunk starts at every id that is a multiple of [`CHUNK`]
/// (each track's first document is one). A block of chunks is made in
/// parallel, then written.
fn write_chunks<E: Send>(
    docs: &[SearchDoc],
    ids: &[usize],
    facets: &[Facet],
    write: &(dyn Fn(String, String) -> Result<(), E> + Sync),
) -> Result<(), E> {
    let mut slices: Vec<(usize, usize, usize)> = Vec::new();
    let mut from = 0;
    for i in 1..=docs.len() {
        if i == docs.len() || ids[i].is_multiple_of(CHUNK) {
            slices.push((ids[from] / CHUNK, from, i));
            from = i;
        }
    }
    const CHUNKS_PER_BLOCK: usize = 256;
    for block in slices.chunks(CHUNKS_PER_BLOCK) {
        let chunks: Vec<(String, String)> = block
            .par_iter()
            .map(|&(n, from, to)| {
                let mut s = format!("{{\"chunk\":{n},\"docs\":[");
                for (i, d) in docs[from..to].iter().enumerate() {
                    let (t, l, k, dim) = facets[from + i];
                    if i > 0 {
                        s.push(',');
                    }
                    // A tuple serialises as a JSON array, without
                    // building a `Value` per document.
                    let row = (
                        k,
                        &d.title,
                        &d.section,
                        cap(&d.text, TEXT_CAP),
                        &d.url,
                        t,
                        l,
                        dim,
                    );
                    s.push_str(&serde_json::to_string(&row).unwrap_or_default());
                }
                s.push_str("]}");
                (format!("search/d-{n}.js"), wrap(&s))
            })
            .collect();
        chunks
            .into_par_iter()
            .try_for_each(|(rel, text)| write(rel, text))?;
    }
    Ok(())
}

/// The index's documents, a block at a time, in index order: each few
/// tracks', the skills', the page sections'; empty texts left out.
fn doc_blocks<'a>(
    hb: &'a Handbook,
    skill_url: &'a (dyn Fn(&str) -> Option<String> + Sync),
    sections: &'a [std::sync::Arc<[PageSection]>],
) -> impl Iterator<Item = Vec<SearchDoc>> + 'a {
    // Tracks are indexed in parallel, then joined in order, each track's
    // entries let go of as they are joined.
    let tracks = track_blocks(&hb.tracks).map(|ts| {
        let parts: Vec<Vec<SearchDoc>> = ts.par_iter().map(|t| track_docs(t)).collect();
        let mut all = Vec::with_capacity(parts.iter().map(Vec::len).sum());
        for p in parts {
            all.extend(p);
        }
        all
    });
    let skills = std::iter::once_with(move || skill_docs(hb, skill_url, sections));
    let mut flat = sections.iter().flat_map(|s| s.iter());
    let pages = std::iter::from_fn(move || {
        let block: Vec<SearchDoc> = flat.by_ref().take(TERM_BLOCK).map(section_doc).collect();
        (!block.is_empty()).then_some(block)
    });
    tracks
        .chain(skills)
        .chain(pages)
        .map(|mut b: Vec<SearchDoc>| {
            b.retain(|d| !d.text.trim().is_empty() || d.section.is_some());
            b
        })
}

/// `tracks` in runs of about [`DOCS_PER_BLOCK`] entries (expectations and
/// levels, the most of a track's entries), at least one track each.
fn track_blocks(
    tracks: &[std::sync::Arc<Track>],
) -> impl Iterator<Item = &[std::sync::Arc<Track>]> {
    let mut rest = tracks;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut docs = 0;
        let n = rest
            .iter()
            .position(|t| {
                docs +=
                    t.levels.len() + t.levels.iter().map(|l| l.expectations.len()).sum::<usize>();
                docs >= DOCS_PER_BLOCK
            })
            .map_or(rest.len(), |i| i + 1);
        let (block, after) = rest.split_at(n);
        rest = after;
        Some(block)
    })
}

/// Facet values: (id, title) of every track and of every skill with a page.
fn facet_tracks(
    hb: &Handbook,
    skill_url: &dyn Fn(&str) -> Option<String>,
) -> Vec<(String, String)> {
    let tracks = hb.tracks.iter().map(|t| (t.id.clone(), t.title.clone()));
    let skills = hb
        .skills
        .iter()
        .filter(|s| skill_url(&s.source.file).is_some())
        .map(|s| (s.id.clone(), s.title.clone()));
    tracks.chain(skills).collect()
}

/// The entries of the skills' pages: each skill, its maturity levels,
/// checklist items and anti-patterns.
fn skill_docs(
    hb: &Handbook,
    skill_url: &dyn Fn(&str) -> Option<String>,
    sections: &[std::sync::Arc<[PageSection]>],
) -> Vec<SearchDoc> {
    let mut docs = Vec::new();
    let mut push = |d: SearchDoc| docs.push(d);
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
            section: None,
        };
        push(sk(Kind::Skill, s.title.clone(), page.clone()));
        for m in &s.scale {
            let mut text = format!("{} {}", m.number, m.title);
            if let Some(d) = &m.description {
                text = format!("{text}: {}", d.text());
            }
            push(sk(
                Kind::Skill,
                text,
                format!("{page}#maturity-{}", m.number),
            ));
        }
        for c in &s.checklists {
            let anchor = sections
                .iter()
                .flat_map(|s| s.iter())
                .filter(|h| *h.page_url == *page)
                .filter_map(|h| h.heading.as_ref())
                .find(|(_, text)| *text == c.title)
                .map(|(id, _)| format!("{page}#{id}"))
                .unwrap_or_else(|| page.clone());
            for i in &c.items {
                push(sk(Kind::Skill, i.text.text().to_string(), anchor.clone()));
            }
        }
        for a in &s.anti_patterns {
            push(sk(
                Kind::AntiPattern,
                a.text.text().to_string(),
                format!("{page}#{}", a.id),
            ));
        }
    }
    docs
}

/// The entry of a page section.
fn section_doc(s: &PageSection) -> SearchDoc {
    let url = match &s.heading {
        Some((id, _)) => format!("{}#{id}", s.page_url),
        None => s.page_url.to_string(),
    };
    SearchDoc {
        kind: Kind::Page,
        title: s.page_title.to_string(),
        section: s.heading.as_ref().map(|(_, t)| t.clone()),
        text: s.text.clone(),
        url,
        track: None,
        level: None,
        dimension: None,
    }
}

/// The entries of one track: the track, level summaries, expectations,
/// roles, dimensions and anti-patterns.
fn track_docs(t: &Track) -> Vec<SearchDoc> {
    let mut docs = Vec::new();
    let mut push = |d: SearchDoc| docs.push(d);
    let dim_title = |id: &Option<crate::ladder::model::DimensionId>| {
        id.as_ref().map(|id| {
            t.dimensions
                .iter()
                .find(|d| d.id == *id)
                .map(|d| d.title.clone())
                .unwrap_or_else(|| id.to_string())
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
        section: None,
    });
    for l in &t.levels {
        let heading = level_heading(t, l.number);
        let url = level_url(t, l.number);
        if let Some(s) = &l.summary {
            push(SearchDoc {
                kind: Kind::Summary,
                title: heading.clone(),
                text: s.text().to_string(),
                url: url.clone(),
                track: Some(t.id.clone()),
                level: Some(l.number),
                dimension: None,
                section: None,
            });
        }
        for e in &l.expectations {
            push(SearchDoc {
                kind: Kind::Expectation,
                title: heading.clone(),
                text: e.text.text().to_string(),
                url: [url.as_str(), "#", &e.id].concat(),
                track: Some(t.id.clone()),
                level: Some(l.number),
                dimension: dim_title(&e.dimension),
                section: None,
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
            section: None,
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
            section: None,
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
            text: a.text.text().to_string(),
            url,
            track: Some(t.id.clone()),
            level: first,
            dimension: None,
            section: None,
        });
    }
    docs
}

/// Runs at least this long are written as one triple.
const MIN_RUN: usize = 3;

/// A term's postings as written in its shard, comma-separated: first the
/// term's most common weight `W`, then one item per document: its gap
/// from the previous document (the first from 0), followed by `.weight`
/// when the weight is not `W`. A run of at least [`MIN_RUN`] consecutive
/// documents with one weight is one item, `gap*count` or
/// `gap.weight*count` (the gap leads to the run's first document; the next
/// gap counts from its last). Words of a level's title are in every
/// expectation of the level, so common terms shrink to an item per level;
/// leaving out the common weight makes most items a bare gap.
pub fn encode_postings(postings: &[(usize, u32)]) -> String {
    let mut s = String::with_capacity(postings.len() * 3);
    let mut counts: FxHashMap<u32, usize> = FxHashMap::default();
    for (_, w) in postings {
        *counts.entry(*w).or_default() += 1;
    }
    let common = counts
        .iter()
        .max_by_key(|(w, n)| (**n, **w))
        .map_or(0, |(w, _)| *w);
    let mut num = itoa::Buffer::new();
    s.push_str(num.format(common));
    let mut last = 0;
    let mut i = 0;
    while i < postings.len() {
        let (d, w) = postings[i];
        let mut n = 1;
        while postings
            .get(i + n)
            .is_some_and(|&(e, v)| e == d + n && v == w)
        {
            n += 1;
        }
        let n = if n >= MIN_RUN { n } else { 1 };
        s.push(',');
        s.push_str(num.format(d - last));
        if w != common {
            s.push('.');
            s.push_str(num.format(w));
        }
        if n > 1 {
            s.push('*');
            s.push_str(num.format(n));
        }
        last = d + n - 1;
        i += n;
    }
    s
}

/// The postings of one term, in document order, each a [`Posting`]: the
/// postings of a large handbook are its index's largest part in memory.
type Postings = Vec<Posting>;

/// A document index and a weight in 32 bits: the weight in the low
/// [`WEIGHT_BITS`] (weights are at most 12; larger ones are capped), the
/// document above it (an index holds at most 2^27, 134 million,
/// documents; a source page makes about 50).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Posting(u32);

const WEIGHT_BITS: u32 = 5;

impl Posting {
    fn new(doc: usize, weight: u32) -> Posting {
        debug_assert!(doc < 1 << (32 - WEIGHT_BITS), "too many search documents");
        Posting(((doc as u32) << WEIGHT_BITS) | weight.min((1 << WEIGHT_BITS) - 1))
    }
    fn doc(self) -> usize {
        (self.0 >> WEIGHT_BITS) as usize
    }
    fn weight(self) -> u32 {
        self.0 & ((1 << WEIGHT_BITS) - 1)
    }
}

/// Term → postings for the documents `first..first + docs.len()`.
fn terms_of_block(first: usize, docs: &[SearchDoc]) -> Vec<(String, Postings)> {
    let mut ids: FxHashMap<String, usize> = FxHashMap::default();
    let mut names: Vec<String> = Vec::new();
    let mut postings: Vec<Postings> = Vec::new();
    let mut seen: Vec<(usize, u32)> = Vec::new();
    // Every distinct spelling is lowered and stemmed once per block.
    let mut stems: FxHashMap<String, Option<usize>> = FxHashMap::default();
    let mut lower = String::new();
    for (i, d) in docs.iter().enumerate() {
        seen.clear();
        let mut add = |text: &str, w: u32| {
            for word in text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
            {
                lower.clear();
                if word.is_ascii() {
                    lower.push_str(word);
                    lower.make_ascii_lowercase();
                } else {
                    lower.extend(word.chars().flat_map(char::to_lowercase));
                }
                let id = match stems.get(lower.as_str()) {
                    Some(id) => *id,
                    None => {
                        let st = (!is_stop(&lower))
                            .then(|| stem(&lower))
                            .filter(|s| !s.is_empty());
                        let id = st.map(|st| match ids.get(&st) {
                            Some(id) => *id,
                            None => {
                                ids.insert(st.clone(), names.len());
                                names.push(st);
                                postings.push(Vec::new());
                                names.len() - 1
                            }
                        });
                        stems.insert(lower.clone(), id);
                        id
                    }
                };
                if let Some(id) = id {
                    seen.push((id, w));
                }
            }
        };
        let w = d.kind.weight();
        add(&d.text, w);
        if let Some(s) = &d.section {
            add(s, w + 2);
        }
        if let Some(dim) = &d.dimension {
            add(dim, 2);
        }
        add(&d.title, 1);
        seen.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        seen.dedup_by_key(|p| p.0);
        for (id, w) in &seen {
            postings[*id].push(Posting::new(first + i, *w));
        }
    }
    names.into_iter().zip(postings).collect()
}

/// One index script: JSON handed to `window.RUNGS_SEARCH.push`.
fn wrap(json: &str) -> String {
    const HEAD: &str = "(window.RUNGS_SEARCH=window.RUNGS_SEARCH||[]).push(";
    let mut out = String::with_capacity(HEAD.len() + json.len() + 3);
    out.push_str(HEAD);
    // `</script>` can never appear: `/` after `<` is escaped.
    let mut rest = json;
    while let Some(i) = memchr::memmem::find(rest.as_bytes(), b"</") {
        out.push_str(&rest[..i]);
        out.push_str("<\\/");
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    out.push_str(");\n");
    out
}

/// At most `max` bytes of `s`, cut at a word boundary, with `…`.
fn cap(s: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if s.len() <= max {
        return s.into();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    let cut = s[..end].rfind(' ').filter(|i| *i > max / 2).unwrap_or(end);
    format!("{}…", &s[..cut]).into()
}

/// The shard prefix of a term: its first two characters (one for a
/// one-character term).
fn prefix_of(term: &str, n: usize) -> &str {
    match term.char_indices().nth(n) {
        Some((i, _)) => &term[..i],
        None => term,
    }
}

/// Group sorted terms (with their encoded postings) into shards by
/// two-letter prefix; a prefix over [`SHARD_BYTES`] is split by one more
/// letter, its own exact term staying in the prefix's shard.
pub fn shard_terms<'a, P: AsRef<str> + Clone>(
    terms: &[(&'a str, P)],
) -> Vec<(String, Vec<(&'a str, P)>)> {
    fn split<'a, P: AsRef<str> + Clone>(
        prefix: &str,
        depth: usize,
        terms: &[(&'a str, P)],
        out: &mut Vec<(String, Vec<(&'a str, P)>)>,
    ) {
        let size: usize = terms
            .iter()
            .map(|(t, p)| t.len() + p.as_ref().len() + 4)
            .sum();
        if size <= SHARD_BYTES || terms.len() == 1 {
            out.push((prefix.to_string(), terms.to_vec()));
            return;
        }
        // The term equal to the prefix (terms are sorted, it comes first).
        let (own, rest) = match terms.first() {
            Some((t, _)) if *t == prefix => terms.split_at(1),
            _ => terms.split_at(0),
        };
        if !own.is_empty() {
            out.push((prefix.to_string(), own.to_vec()));
        }
        group(rest, depth + 1, out);
    }
    fn group<'a, P: AsRef<str> + Clone>(
        terms: &[(&'a str, P)],
        depth: usize,
        out: &mut Vec<(String, Vec<(&'a str, P)>)>,
    ) {
        let mut i = 0;
        while i < terms.len() {
            let p = prefix_of(terms[i].0, depth);
            let mut j = i + 1;
            while j < terms.len() && terms[j].0.starts_with(p) && prefix_of(terms[j].0, depth) == p
            {
                j += 1;
            }
            split(p, depth, &terms[i..j], out);
            i = j;
        }
    }
    let mut out = Vec::new();
    group(terms, 2, &mut out);
    out
}

/// The file name of a shard prefix: `[a-z0-9]` as they are, any other
/// character as `_<hex>_`.
pub fn shard_file(prefix: &str) -> String {
    prefix
        .chars()
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                c.to_string()
            } else {
                format!("_{:x}_", c as u32)
            }
        })
        .collect()
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
        lists: None,
        outline: None,
    }
}

/// Whether `word` (lowercased) is a stop word: too common to search by,
/// or to tell expectations apart by.
pub(crate) fn is_stop(word: &str) -> bool {
    matches!(
        word,
        "a" | "an"
            | "and"
            | "are"
            | "as"
            | "at"
            | "be"
            | "by"
            | "for"
            | "from"
            | "in"
            | "is"
            | "it"
            | "of"
            | "on"
            | "or"
            | "that"
            | "the"
            | "their"
            | "this"
            | "to"
            | "with"
    )
}

/// Lowercased, stemmed words of `text`, stop words dropped.
pub fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .filter(|w| !is_stop(w))
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
    fn track_blocks_hold_about_a_block_of_entries_each() {
        use crate::ladder::model::{Expectation, Level};
        let track = |levels: usize, per_level: usize| {
            std::sync::Arc::new(Track {
                levels: (0..levels)
                    .map(|n| Level {
                        number: n as u32 + 1,
                        expectations: vec![Expectation::default(); per_level],
                        ..Level::default()
                    })
                    .collect(),
                ..Track::default()
            })
        };
        // Entries: 1,100; 5,000; 9,000 (over a block alone); 300; 300.
        let tracks = vec![
            track(100, 10),
            track(1000, 4),
            track(1000, 8),
            track(100, 2),
            track(100, 2),
        ];
        let sizes: Vec<usize> = track_blocks(&tracks).map(|b| b.len()).collect();
        assert_eq!(sizes, vec![3, 2]);
        let big = vec![track(3000, 3), track(3000, 3)];
        assert_eq!(
            track_blocks(&big).map(|b| b.len()).collect::<Vec<_>>(),
            vec![1, 1]
        );
        assert_eq!(track_blocks(&[]).count(), 0);
    }

    #[test]
    fn tokens_drop_stop_words() {
        assert_eq!(tokens("The debugging of systems"), vec!["debug", "system"]);
    }

    #[test]
    fn page_sections_split_at_headings_and_leave_code_out() {
        let html = "<p>Intro words.</p>\n<h2 id=\"first\">First <em>part</em></h2>\n<p>Body one.</p>\n<pre><code>secret_code</code></pre>\n<ul>\n<li>item</li>\n</ul>\n<h3>No id</h3><p>Still first.</p>";
        let s = page_sections("p/index.html", "P", html, true);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].heading, None);
        assert_eq!(s[0].text, "Intro words.");
        assert_eq!(s[1].heading, Some(("first".into(), "First part".into())));
        assert_eq!(s[1].text, "Body one. item No id Still first.");
        let h = page_sections("p/index.html", "P", html, false);
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].text, "");
    }

    #[test]
    fn postings_keep_document_and_weight_in_32_bits() {
        for (doc, w) in [(0, 0), (1, 12), (560_000, 10), ((1 << 27) - 1, 31)] {
            let p = Posting::new(doc, w);
            assert_eq!((p.doc(), p.weight()), (doc, w));
        }
        // A weight too big for its bits is capped, not spilled into the
        // document.
        let p = Posting::new(7, 40);
        assert_eq!((p.doc(), p.weight()), (7, 31));
        assert_eq!(std::mem::size_of::<Posting>(), 4);
    }

    #[test]
    fn big_prefixes_split_by_one_more_letter() {
        let big = "1,10,".repeat(SHARD_BYTES / 5);
        let terms: Vec<(&str, String)> = vec![
            ("ra", "1,10".into()),
            ("rab", big.clone()),
            ("rabbit", "2,10".into()),
            ("race", "3,10".into()),
            ("st", "4,10".into()),
            ("é", "5,10".into()),
        ];
        let shards = shard_terms(&terms);
        let names: Vec<&str> = shards.iter().map(|(p, _)| p.as_str()).collect();
        // "ra" is too big: its own term stays, the rest goes one letter
        // deeper; "rab" holds one huge term plus "rabbit" and is split again.
        assert_eq!(names, ["ra", "rab", "rabb", "rac", "st", "é"]);
        assert_eq!(shards[0].1.len(), 1);
        assert_eq!(shard_file("é"), "_e9_");
        assert_eq!(shard_file("ru"), "ru");
    }

    #[test]
    fn runs_of_one_weight_are_written_as_triples() {
        let p = [
            (0, 2),
            (1, 2),
            (2, 2),
            (5, 1),
            (6, 3),
            (7, 3),
            (8, 3),
            (9, 3),
            (10, 1),
            (11, 1),
        ];
        // Weight 3 is the most common (4 of 10), so it goes unwritten.
        assert_eq!(encode_postings(&p), "3,0.2*3,3.1,1*4,1.1,1.1");
        assert_eq!(encode_postings(&[(4, 1)]), "1,4");
        assert_eq!(encode_postings(&[]), "0");
    }

    #[test]
    fn chunks_going_on_into_the_next_block_are_written_whole() {
        let doc = |i: usize, track: Option<&str>| SearchDoc {
            kind: if track.is_some() {
                Kind::Expectation
            } else {
                Kind::Page
            },
            title: format!("T{i}"),
            section: None,
            text: format!("word{} common", i % 7),
            url: format!("p/{i}.html"),
            track: track.map(str::to_string),
            level: track.map(|_| 1),
            dimension: None,
        };
        // 10 track documents, then page sections: the section at index
        // TERM_BLOCK has id TERM_BLOCK + 22, inside a chunk that starts in
        // the first block.
        let mut docs: Vec<SearchDoc> = (0..10).map(|i| doc(i, Some("a"))).collect();
        docs.extend((10..TERM_BLOCK + 100).map(|i| doc(i, None)));
        let ix = SearchIndex {
            docs,
            tracks: vec![("a".into(), "A".into())],
        };
        assert_ne!(ix.ids()[TERM_BLOCK] % CHUNK, 0);
        fn all<'a>(
            tracks: &[(String, String)],
            blocks: &dyn Fn() -> Blocks<'a>,
        ) -> Vec<(String, String)> {
            let out = std::sync::Mutex::new(Vec::new());
            let _ = write_blocks(tracks, blocks, &|rel, text| -> Result<(), ()> {
                out.lock().unwrap().push((rel, text));
                Ok(())
            });
            let mut out = out.into_inner().unwrap();
            out.sort();
            out
        }
        let whole = all(&ix.tracks, &|| {
            Box::new(std::iter::once(Cow::Borrowed(&ix.docs[..])))
        });
        let blocks = all(&ix.tracks, &|| {
            Box::new(ix.docs.chunks(TERM_BLOCK).map(Cow::Borrowed))
        });
        assert!(whole.len() > 100);
        assert!(whole == blocks, "the same files whole and in blocks");
    }

    #[test]
    fn index_scripts_never_close_a_script_element() {
        for json in ["", "{}", "\"</script>\"", "a</b</c<</", "<<//", "no tags"] {
            let w = wrap(json);
            let inner = w
                .strip_prefix("(window.RUNGS_SEARCH=window.RUNGS_SEARCH||[]).push(")
                .and_then(|r| r.strip_suffix(");\n"))
                .expect("the push around the JSON");
            assert!(!inner.contains("</"), "{w}");
            // The JSON reads the same: `\/` is `/` in a JSON string.
            assert_eq!(inner.replace("<\\/", "</"), json);
        }
    }

    #[test]
    fn long_texts_are_capped_at_a_word() {
        let t = "word ".repeat(200);
        let c = cap(&t, TEXT_CAP);
        assert!(c.len() <= TEXT_CAP + 3 && c.ends_with("word…"), "{c}");
        assert_eq!(cap("short", 10), "short");
    }
}

#[cfg(test)]
mod outline_tests {
    use crate::render::markdown::{render, RenderCtx};

    fn rendered(src: &str) -> crate::render::markdown::Rendered {
        let mut slugs = crate::slug::SlugSet::default();
        let keep = |_: &str| -> Option<String> { None };
        let mut ctx = RenderCtx {
            resolve_link: &keep,
            slugs: &mut slugs,
            highlight: false,
            heading_shift: 1,
            interactive_tasks: false,
        };
        render(src, &mut ctx)
    }

    /// A page's outline, when it has one, is what parsing its HTML finds:
    /// the search index takes one for the other.
    #[test]
    fn outlines_are_the_headings_parsing_finds() {
        let sure = [
            "# Top\n\nText.\n\n## Second *em* and `code` and [a link](x.md)\n\nMore.\n",
            "## A &amp; B \"quoted\" 'single' -- dash\n\n### Deeper ~~struck~~ **strong**\n",
            "> ## In a quote\n\n## Out of it\n\n- item\n\n  ## In a list\n\n## After\n",
            "> [!NOTE]\n> ## In a note\n\nSetext\nover two lines\n---------------\n\n## Same\n\n## Same\n",
            "## With an id {#custom-id}\n\n```\n# not a heading\n```\n\n| a | b |\n|---|---|\n| # x | y |\n\n- [ ] task\n- [x] done\n",
            "Plain words only, no heading at all.\n",
            "##   Spaced    out   heading   \n\n#### Four\n\n###### Six\n",
        ];
        for src in sure {
            let r = rendered(src);
            let outline = r.outline.unwrap_or_else(|| panic!("no outline: {src:?}"));
            let parsed: Vec<(String, String)> = super::page_sections("p.html", "P", &r.html, false)
                .into_iter()
                .filter_map(|s| s.heading)
                .collect();
            assert_eq!(outline, parsed, "{src:?}\n{}", r.html);
        }
        for unsure in [
            "## A heading[^1]\n\n[^1]: A note.\n",
            "## An ![image](i.png) heading\n",
            "<h2 id=\"raw\">Raw</h2>\n\n## Markdown\n",
            "## Inline <em>html</em>\n",
        ] {
            assert!(rendered(unsure).outline.is_none(), "{unsure:?}");
        }
    }
}
