//! Incremental rebuilds for `rungs serve` and `rungs watch`.
//!
//! A [`crate::Session`] keeps a [`Memo`] between builds: every expensive
//! step is remembered under a key made of everything it reads, so that a
//! rebuild after an edit of one file redoes only what depends on it.
//!
//! ```text
//! step                      key
//! list the content tree     the layout; kept while every change a
//!                           watcher told of is to a file listed
//!                           ([`crate::Session::build_after`])
//! read a source file        path, rel, kind, mtime, length (told what
//!                           changed: unchanged files are not looked at)
//! recognise a document      its path, rel, frontmatter and body
//! merge one-level files     the keys of the group's documents and of the
//!                           folder's index document
//! id bases of a track       the track as recognised or merged
//! id bases of a level       its number, its expectations' dimensions
//!                           and texts
//! expectation ids           every track's id and the hash of its bases
//! finish a track (ids)      that, its id, its expectations' ids
//! hash a finished track     the track itself (the same Arc)
//! render markdown           the fragment, its file and page, the link map
//! plan a document's page    its document, URL, skill, the tracks it holds
//!                           (title, URL, level count), edit link, the
//!                           link map
//! classify a level          the level and the level below (and the
//!                           dimension, for a dimension's classes)
//! plan a track's page       the track without its levels, its level
//!                           headings, its extras, the levels the page
//!                           shows, the other tracks' level headings
//! a track's pages together the track, its levels, the other tracks'
//!                           level headings (each page is also remembered
//!                           alone, for the track's next edit)
//! plan a cross-track page   its level in every track, all level numbers
//! render a page             template, data hash, the shared context, the
//!                           theme
//! hash a copied file        path, mtime, length
//! ```
//!
//! Planned ladder pages are remembered without their data, only its hash
//! (document pages keep theirs, which is about their source's size): when a
//! page must be rendered although its data did not change (the theme or
//! the navigation did), the build plans every page afresh ([`build`]).
//! Into an output not known (the first build), each ladder page is
//! rendered and written to the staging folder as soon as it is planned,
//! so that no build holds every page's data at once.
//!
//! Every key is a pure function of the step's inputs, so a stale entry can
//! never be used. Pages whose key is unchanged since the last written
//! build are neither rendered nor written. The result is byte for byte what
//! [`crate::build`] makes of the same tree (tests/incremental.rs).

use crate::diagnostics::{Diagnostics, Result};
use crate::ladder::file_per_level::Merged;
use crate::ladder::model::Track;
use crate::ladder::{Bases, RecogniseSteps, Recognised, TrackIds};
use crate::site::{ladder_pages, DocHtml, DocPageInputs, Fragment, LinkMap, PageOut, PlanSteps};
use crate::source::{SourceDoc, SourceFile, SourceKind};
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// A fast 64-bit hasher for cache keys: eight bytes at a time through a
/// folded 128-bit multiply (the core of wyhash and foldhash).
#[derive(Clone, Copy)]
pub struct FastHasher(u64);

const K0: u64 = 0x243f_6a88_85a3_08d3;
const K1: u64 = 0x9e37_79b9_7f4a_7c15;

fn fold_mul(a: u64, b: u64) -> u64 {
    let m = u128::from(a) * u128::from(b);
    (m as u64) ^ ((m >> 64) as u64)
}

impl Default for FastHasher {
    fn default() -> FastHasher {
        FastHasher(K0)
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes(c.try_into().unwrap_or_default());
            h = fold_mul(h ^ w, K1);
        }
        let rest = chunks.remainder();
        let mut last = [0u8; 8];
        last[..rest.len()].copy_from_slice(rest);
        h = fold_mul(h ^ u64::from_le_bytes(last), K1 ^ bytes.len() as u64);
        self.0 = h;
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = fold_mul(self.0 ^ n, K1);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn finish(&self) -> u64 {
        fold_mul(self.0, K0 ^ K1)
    }
}

/// The [`FastHasher`] hash of `v`.
pub fn hash_of<T: Hash + ?Sized>(v: &T) -> u64 {
    let mut h = FastHasher::default();
    v.hash(&mut h);
    h.finish()
}

/// A page's data: its JSON fields and a ladder page's typed lists.
type Data = (
    serde_json::Map<String, serde_json::Value>,
    Option<Box<crate::site::ladder_data::Lists>>,
);

/// The hash of a page's data ([`hash_map`] when it has no lists).
fn hash_data(
    m: &serde_json::Map<String, serde_json::Value>,
    lists: Option<&crate::site::ladder_data::Lists>,
) -> u64 {
    match lists {
        None => hash_map(m),
        Some(l) => hash_of(&(hash_map(m), l)),
    }
}

/// The hash of a JSON object (page data): the same data, the same hash.
/// Walks the values rather than writing them out as text.
pub fn hash_map(m: &serde_json::Map<String, serde_json::Value>) -> u64 {
    let mut h = FastHasher::default();
    feed_map(m, &mut h);
    h.finish()
}

fn feed_map(m: &serde_json::Map<String, serde_json::Value>, h: &mut FastHasher) {
    h.write_usize(m.len());
    for (k, v) in m {
        h.write(k.as_bytes());
        feed_value(v, h);
    }
}

fn feed_value(v: &serde_json::Value, h: &mut FastHasher) {
    use serde_json::Value;
    match v {
        Value::Null => h.write_u8(0),
        Value::Bool(b) => h.write_u8(1 + u8::from(*b)),
        Value::Number(n) => {
            h.write_u8(3);
            match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => h.write_u64(u),
                (None, Some(i)) => h.write_u64(i as u64),
                _ => h.write_u64(n.as_f64().unwrap_or(0.0).to_bits() ^ K0),
            }
        }
        Value::String(s) => {
            h.write_u8(4);
            h.write(s.as_bytes());
        }
        Value::Array(a) => {
            h.write_u8(5);
            h.write_usize(a.len());
            for x in a {
                feed_value(x, h);
            }
        }
        Value::Object(m) => {
            h.write_u8(6);
            feed_map(m, h);
        }
    }
}

/// Length and hash of an output file's bytes.
pub fn content_hash(bytes: &[u8]) -> (usize, u64) {
    (bytes.len(), hash_of(bytes))
}

/// What identifies a file's content without reading it, and when that was
/// seen. A file changed within [`RACY`] of being read may have changed
/// again without its modification time moving (file systems keep it to a
/// few milliseconds), so such an entry is never trusted.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Stamp {
    mtime: SystemTime,
    len: u64,
}

const RACY: Duration = Duration::from_secs(2);

fn stamp(path: &std::path::Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    Some(Stamp {
        mtime: m.modified().ok()?,
        len: m.len(),
    })
}

/// A remembered answer about one file.
struct FileEntry<T> {
    stamp: Stamp,
    /// When the file was looked at (before reading it).
    seen: SystemTime,
    value: T,
}

impl<T: Clone> FileEntry<T> {
    fn get(&self, now: Stamp) -> Option<T> {
        let settled = self
            .seen
            .duration_since(self.stamp.mtime)
            .is_ok_and(|d| d > RACY);
        (settled && self.stamp == now).then(|| self.value.clone())
    }
}

/// A map of remembered answers that keeps mostly what the last build
/// used: each entry notes the last build that used it, and the end of a
/// good build drops the others in one pass (no entry moves between maps)
/// once they are more than an eighth of the map; until then the pass is
/// not worth its time.
struct Generations<K, V> {
    map: rustc_hash::FxHashMap<K, (V, u64)>,
    /// The build under way.
    now: u64,
    /// How many entries the build under way used.
    used: usize,
}

impl<K: Hash + Eq, V: Clone> Generations<K, V> {
    fn get(&mut self, k: &K) -> Option<V> {
        let (now, used) = (self.now, &mut self.used);
        self.map.get_mut(k).map(|e| {
            if e.1 != now {
                e.1 = now;
                *used += 1;
            }
            e.0.clone()
        })
    }
    fn insert(&mut self, k: K, v: V) {
        match self.map.insert(k, (v, self.now)) {
            Some((_, t)) if t == self.now => {}
            _ => self.used += 1,
        }
    }
    /// Keep `k` (when known) for this build.
    fn touch(&mut self, k: &K) {
        if let Some(e) = self.map.get_mut(k) {
            if e.1 != self.now {
                e.1 = self.now;
                self.used += 1;
            }
        }
    }
    /// Forget the entries whose value `keep` rejects.
    fn retain(&mut self, mut keep: impl FnMut(&V) -> bool) {
        self.map.retain(|_, e| keep(&e.0));
    }

    /// Forget what this build did not use, when that is worth a pass;
    /// after a failed build, which may have stopped before using much,
    /// forget nothing.
    fn turn(&mut self, good: bool) {
        let unused = self.map.len().saturating_sub(self.used);
        if good && unused > self.map.len() / 8 {
            let now = self.now;
            self.map.retain(|_, e| e.1 == now);
        }
        self.used = 0;
        self.now += 1;
    }
}

impl<K, V> Default for Generations<K, V> {
    fn default() -> Self {
        Generations {
            map: rustc_hash::FxHashMap::default(),
            now: 0,
            used: 0,
        }
    }
}

type Shared<K, V> = Mutex<Generations<K, V>>;

/// A planned page (its data taken out) and the hash of its data. The data
/// itself is not remembered (at 10,000 pages it would hold gigabytes): a
/// page whose data is unchanged is rendered again only when something
/// every page reads changed (the theme, the navigation), and then its
/// data is planned again (see [`build`]).
type PlannedPage = (PageOut, u64);

/// A track's planned pages.
type TrackPlan = Arc<Vec<PlannedPage>>;

/// A document's planned page, the warnings planning it gave, and the hash
/// of its data.
type DocPage = (PageOut, Diagnostics, u64);

/// A document page's title and rendered body.
type TitledHtml = (String, DocHtml);

/// The remembered steps of a session.
#[derive(Default)]
pub struct Memo {
    reads: Mutex<Reads>,
    /// The content tree's files as last listed, and what changed since.
    tree: Mutex<Tree>,
    recognised: Shared<u64, Recognised>,
    merged: Shared<u64, Arc<Merged>>,
    /// A track's bases, with the keys of its levels' (which a build that
    /// uses the track's keeps).
    bases: Shared<u64, (Arc<Bases>, Arc<[u64]>)>,
    /// One level's bases ([`crate::ladder::level_bases`]), by
    /// [`crate::ladder::level_bases_key`]: an edit of one level of a
    /// track makes only that level's again.
    level_bases: Shared<u64, Arc<[String]>>,
    ids: Shared<u64, Arc<TrackIds>>,
    finished: Shared<u64, Arc<Track>>,
    fragments: Shared<u64, Arc<(DocHtml, Diagnostics)>>,
    pages: Shared<u64, Arc<(TitledHtml, Diagnostics)>>,
    /// Each document's key ([`doc_key`]) by the address of its body,
    /// which is kept with it so that the address is not reused. A body is
    /// made once per read of a file (or once per recognition of it, for
    /// the body a page renders), so the same body is the same document.
    doc_keys: Shared<usize, (Arc<str>, u64)>,
    /// Document pages as planned, with the hash of their data.
    doc_pages: Shared<u64, Arc<DocPage>>,
    /// The document pages of the build under way, by URL: a build takes
    /// their data from here when it must render one or index it, rather
    /// than a copy of every page's.
    doc_data: Mutex<rustc_hash::FxHashMap<String, Arc<DocPage>>>,
    sections: Shared<u64, Arc<[crate::search::PageSection]>>,
    tracks: Shared<u64, TrackPlan>,
    /// The plans (by address) of the pages the build under way found
    /// remembered without their data but had to render.
    stale: Mutex<rustc_hash::FxHashSet<usize>>,
    /// Each track's pages, as [`Memo::tracks`] holds them (by key), under
    /// everything its pages read.
    track_lists: Shared<u64, Arc<Vec<(u64, TrackPlan)>>>,
    /// Each finished track's hashes, by its address (the track is kept
    /// with them, so the address is not reused while they are known).
    track_hashes: Shared<usize, (Arc<Track>, Arc<TrackHashes>)>,
    classes: Shared<u64, Arc<Vec<crate::site::changes::Classified>>>,
    /// Tracks with their paths rebased ([`ladder_pages::rebase_track`]),
    /// by the track's hashes and the link map's.
    rebased: Shared<u64, Arc<Track>>,
    copies: Mutex<HashMap<PathBuf, FileEntry<(usize, u64)>>>,
    /// The link map of the build under way: its address and hash.
    links: Mutex<Option<(usize, u64)>>,
    /// The search index files of the last build (kept apart from
    /// [`crate::Session::written`]), and the writing of the next ones when
    /// it is under way (see [`settle`]).
    search: crate::OutputHashes,
    pending: Mutex<Option<Deferred>>,
    /// The number of the last search index started.
    search_builds: Arc<std::sync::atomic::AtomicU64>,
    search_pool: std::sync::OnceLock<Option<rayon::ThreadPool>>,
}

/// The search index of a build, made and written after its pages: the
/// index of a large handbook takes longer to make and write than the pages
/// an edit changes, and the browser reloads when the pages are in place.
/// The next build does not wait for it (unless it writes the whole
/// output): its own index waits for it instead, and is made only when no
/// newer build follows. The end of the session waits for it. Gives the
/// hashes of the files written.
///
/// It runs on a thread pool of its own, one thread, which lives on (memory
/// a thread that ended had allocated is slow to free) and leaves the other
/// cores to the next build.
/// How long after its build's pages a search index is started.
const SEARCH_AFTER: Duration = Duration::from_millis(60);

type Deferred = std::sync::mpsc::Receiver<std::thread::Result<Result<crate::OutputHashes>>>;

/// Wait for the search index files of the last build, if they are still
/// being written, and record them; if writing them failed, the output is
/// no longer known and the next build writes all of it.
pub(crate) fn settle(s: &mut crate::Session) {
    let Some(job) = s.memo.pending.lock().unwrap().take() else {
        return;
    };
    heard(s, job.recv());
}

/// [`settle`], but only when the search index is written already.
fn settle_if_done(s: &mut crate::Session) {
    let mut pending = s.memo.pending.lock().unwrap();
    let done = match pending.as_ref().map(|job| job.try_recv()) {
        Some(Err(std::sync::mpsc::TryRecvError::Empty)) | None => return,
        Some(Ok(r)) => Ok(r),
        Some(Err(std::sync::mpsc::TryRecvError::Disconnected)) => Err(std::sync::mpsc::RecvError),
    };
    *pending = None;
    drop(pending);
    heard(s, done);
}

/// Record how writing a search index ended.
fn heard(
    s: &mut crate::Session,
    r: std::result::Result<
        std::thread::Result<Result<crate::OutputHashes>>,
        std::sync::mpsc::RecvError,
    >,
) {
    match r {
        Ok(Ok(Ok(new))) => s.memo.search = new,
        _ => {
            s.written = None;
            s.memo.search.clear();
        }
    }
}

/// The remembered reads of files, by path.
#[derive(Default)]
struct Reads {
    files: rustc_hash::FxHashMap<PathBuf, FileEntry<Arc<ReadValue>>>,
    /// In a build told what changed ([`Memo::list`]): the files that did;
    /// every other file is as it was read.
    changed: Option<rustc_hash::FxHashSet<PathBuf>>,
}

/// What a session knows of its content tree's files.
#[derive(Default)]
struct Tree {
    /// The files of the last listing, under a key of the layout it read,
    /// and the index of each by its absolute path.
    listing: Option<(u64, Vec<SourceFile>, rustc_hash::FxHashMap<PathBuf, usize>)>,
    /// The paths changed since that listing as a watcher heard them; `None`
    /// when not known.
    changed: Option<Vec<PathBuf>>,
}

/// A read that succeeded: the file's kind and rel (part of its key), the
/// document and the warnings.
struct ReadValue {
    rel: String,
    kind: SourceKind,
    doc: Option<SourceDoc>,
    diags: Diagnostics,
}

impl Memo {
    /// Start a build: forget the link map and pages of the last one.
    pub fn begin(&self) {
        *self.links.lock().unwrap() = None;
        self.stale.lock().unwrap().clear();
        self.doc_data.lock().unwrap().clear();
    }

    /// End a build: after a good one, forget what it did not use.
    pub fn end(&self, good: bool) {
        self.recognised.lock().unwrap().turn(good);
        self.merged.lock().unwrap().turn(good);
        self.bases.lock().unwrap().turn(good);
        self.level_bases.lock().unwrap().turn(good);
        self.ids.lock().unwrap().turn(good);
        self.finished.lock().unwrap().turn(good);
        self.fragments.lock().unwrap().turn(good);
        self.pages.lock().unwrap().turn(good);
        self.doc_keys.lock().unwrap().turn(good);
        self.doc_pages.lock().unwrap().turn(good);
        self.sections.lock().unwrap().turn(good);
        self.tracks.lock().unwrap().turn(good);
        self.track_lists.lock().unwrap().turn(good);
        self.track_hashes.lock().unwrap().turn(good);
        self.classes.lock().unwrap().turn(good);
        self.rebased.lock().unwrap().turn(good);
    }

    /// What changed before the next build: `changed` (see
    /// [`crate::Session::build_after`]), or not known.
    pub(crate) fn changed(&self, changed: Option<&[PathBuf]>) {
        let mut tree = self.tree.lock().unwrap();
        match (changed, &mut tree.changed) {
            (Some(paths), Some(all)) => all.extend(paths.iter().cloned()),
            _ => tree.changed = None,
        }
    }

    /// The files of the content tree ([`crate::list_sources`]): those of
    /// the last listing when the build was told what changed since and
    /// every change was to a file listed then, which is still a file
    /// (then [`Memo::read`] looks only at the changed files).
    fn list(&self, layout: &crate::config::SiteLayout) -> Result<Vec<SourceFile>> {
        let key = hash_of(&(
            &layout.content,
            &layout.output,
            &layout.config.markdown_extensions,
            &layout.config.ignore,
        ));
        let mut tree = self.tree.lock().unwrap();
        // From now on, the changes since this listing.
        let changed = tree.changed.replace(Vec::new());
        if let (Some(changed), Some((k, files, by_path))) = (changed, &tree.listing) {
            let mut listed = rustc_hash::FxHashSet::default();
            let known = *k == key
                && changed.iter().all(|p| match by_path.get(p) {
                    Some(&i) if p.is_file() => {
                        listed.insert(files[i].path.clone());
                        true
                    }
                    _ => false,
                });
            if known {
                self.reads.lock().unwrap().changed = Some(listed);
                return Ok(files.clone());
            }
        }
        self.reads.lock().unwrap().changed = None;
        tree.listing = None;
        let files = crate::list_sources(layout)?;
        let by_path = files
            .iter()
            .enumerate()
            .map(|(i, f)| (crate::config::absolute(&f.path), i))
            .collect();
        tree.listing = Some((key, files.clone(), by_path));
        Ok(files)
    }

    /// [`crate::read_source`], remembered while the file is unchanged.
    pub fn read(&self, f: &SourceFile) -> crate::ReadResult {
        let known = |v: &Arc<ReadValue>| v.rel == f.rel && v.kind == f.kind;
        {
            let reads = self.reads.lock().unwrap();
            let unchanged = reads.changed.as_ref().is_some_and(|c| !c.contains(&f.path));
            let hit = reads
                .files
                .get(&f.path)
                .filter(|_| unchanged)
                .map(|e| Arc::clone(&e.value))
                .filter(known);
            drop(reads);
            if let Some(v) = hit {
                return (Ok(v.doc.clone()), v.diags.clone());
            }
        }
        let seen = SystemTime::now();
        let now = stamp(&f.path);
        if let Some(now) = now {
            let hit = self
                .reads
                .lock()
                .unwrap()
                .files
                .get(&f.path)
                .and_then(|e| e.get(now))
                .filter(known);
            if let Some(v) = hit {
                return (Ok(v.doc.clone()), v.diags.clone());
            }
        }
        let (r, d) = crate::read_source(f);
        let mut reads = self.reads.lock().unwrap();
        match (&r, now) {
            (Ok(doc), Some(stamp)) => {
                let value = Arc::new(ReadValue {
                    rel: f.rel.clone(),
                    kind: f.kind,
                    doc: doc.clone(),
                    diags: d.clone(),
                });
                reads
                    .files
                    .insert(f.path.clone(), FileEntry { stamp, seen, value });
            }
            // What was read of it before is not what it holds now.
            _ => {
                reads.files.remove(&f.path);
            }
        }
        (r, d)
    }

    /// Forget files that are gone from the content tree.
    pub fn keep_reads(&self, files: &[SourceDoc]) {
        let live: rustc_hash::FxHashSet<&PathBuf> = files.iter().map(|d| &d.path).collect();
        self.reads
            .lock()
            .unwrap()
            .files
            .retain(|p, e| live.contains(p) || e.value.doc.is_none());
    }

    /// [`crate::search::page_sections`], remembered per page.
    pub fn sections(
        &self,
        url: &str,
        title: &str,
        html: &str,
        body: bool,
    ) -> Arc<[crate::search::PageSection]> {
        self.sections_under(hash_of(&(url, title, html, body)), || {
            crate::search::page_sections(url, title, html, body)
        })
    }

    /// The sections `make` finds, remembered under `key`.
    fn sections_under(
        &self,
        key: u64,
        make: impl FnOnce() -> Vec<crate::search::PageSection>,
    ) -> Arc<[crate::search::PageSection]> {
        if let Some(v) = self.sections.lock().unwrap().get(&key) {
            return v;
        }
        let v: Arc<[crate::search::PageSection]> = make().into();
        self.sections.lock().unwrap().insert(key, Arc::clone(&v));
        v
    }

    /// The hash of a copied file's bytes, remembered while it is unchanged.
    pub fn copy_hash(&self, path: &std::path::Path) -> Result<(usize, u64)> {
        let seen = SystemTime::now();
        let now = stamp(path);
        if let Some(now) = now {
            if let Some(h) = self
                .copies
                .lock()
                .unwrap()
                .get(path)
                .and_then(|e| e.get(now))
            {
                return Ok(h);
            }
        }
        let bytes =
            std::fs::read(path).map_err(|e| crate::diagnostics::Error::io(path, "read", e))?;
        let h = content_hash(&bytes);
        if let Some(stamp) = now {
            self.copies.lock().unwrap().insert(
                path.to_path_buf(),
                FileEntry {
                    stamp,
                    seen,
                    value: h,
                },
            );
        }
        Ok(h)
    }

    /// [`doc_key`], remembered by the document's body (see `doc_keys`).
    fn doc_key(&self, d: &SourceDoc) -> u64 {
        let addr = Arc::as_ptr(&d.body) as *const u8 as usize;
        if let Some((_, k)) = self.doc_keys.lock().unwrap().get(&addr) {
            return k;
        }
        let k = doc_key(d);
        self.doc_keys
            .lock()
            .unwrap()
            .insert(addr, (Arc::clone(&d.body), k));
        k
    }

    fn links_hash(&self, links: &LinkMap) -> u64 {
        let addr = links as *const LinkMap as usize;
        let mut slot = self.links.lock().unwrap();
        match *slot {
            Some((a, h)) if a == addr => h,
            _ => {
                let h = hash_of(links);
                *slot = Some((addr, h));
                h
            }
        }
    }
}

/// The key of a document's content: everything read from its file.
fn doc_key(d: &SourceDoc) -> u64 {
    hash_of(&(
        &d.path,
        &d.rel,
        &d.frontmatter.raw,
        d.frontmatter.raw_line,
        &d.body,
        d.body_line_offset,
    ))
}

/// What `make` answers, remembered in `memo` under `key` with the warnings
/// it gave, which are passed on to `diags` every time.
fn remembered<T: Clone>(
    memo: &Shared<u64, Arc<(T, Diagnostics)>>,
    key: u64,
    diags: &Mutex<Diagnostics>,
    make: impl FnOnce(&Mutex<Diagnostics>) -> T,
) -> T {
    let hit = memo.lock().unwrap().get(&key);
    let v = match hit {
        Some(v) => v,
        None => {
            let mine = Mutex::new(Diagnostics::default());
            let value = make(&mine);
            let v = Arc::new((value, mine.into_inner().unwrap()));
            memo.lock().unwrap().insert(key, Arc::clone(&v));
            v
        }
    };
    diags.lock().unwrap().extend(v.1.clone());
    v.0.clone()
}

/// `make`'s answer, remembered in `memo` under `key`.
fn memoised<T>(memo: &Shared<u64, Arc<T>>, key: u64, make: &dyn Fn() -> T) -> Arc<T> {
    if let Some(v) = memo.lock().unwrap().get(&key) {
        return v;
    }
    let v = Arc::new(make());
    memo.lock().unwrap().insert(key, Arc::clone(&v));
    v
}

impl RecogniseSteps for Memo {
    fn doc(&self, d: &SourceDoc) -> (u64, Recognised) {
        let key = self.doc_key(d);
        let v = memoised(&self.recognised, key, &|| {
            let mut dg = Diagnostics::default();
            (crate::ladder::recognise_doc(d, &mut dg), dg)
        });
        (key, v)
    }
    fn merged(&self, key: u64, make: &dyn Fn() -> Merged) -> Arc<Merged> {
        memoised(&self.merged, key, make)
    }
    fn bases(&self, key: u64, t: &Track) -> Arc<Bases> {
        if let Some((b, levels)) = self.bases.lock().unwrap().get(&key) {
            let mut known = self.level_bases.lock().unwrap();
            for k in levels.iter() {
                known.touch(k);
            }
            return b;
        }
        let per_level: Vec<(u64, Arc<[String]>)> = t
            .levels
            .par_iter()
            .map(|l| {
                let k = crate::ladder::level_bases_key(l);
                let hit = self.level_bases.lock().unwrap().get(&k);
                let v = hit.unwrap_or_else(|| {
                    let v: Arc<[String]> = crate::ladder::level_bases(l).into();
                    self.level_bases.lock().unwrap().insert(k, Arc::clone(&v));
                    v
                });
                (k, v)
            })
            .collect();
        let list: Vec<String> = per_level
            .iter()
            .flat_map(|(_, v)| v.iter().cloned())
            .collect();
        let b = Arc::new(Bases {
            hash: hash_of(&list),
            list,
        });
        let levels: Arc<[u64]> = per_level.iter().map(|(k, _)| *k).collect();
        self.bases
            .lock()
            .unwrap()
            .insert(key, (Arc::clone(&b), levels));
        b
    }
    fn ids(&self, key: u64, make: &dyn Fn() -> Vec<Vec<(usize, String)>>) -> Arc<TrackIds> {
        memoised(&self.ids, key, &|| {
            make()
                .into_iter()
                .map(|ids| {
                    let h = hash_of(&ids);
                    (ids, h)
                })
                .collect()
        })
    }
    fn finished(&self, key: u64, make: &dyn Fn() -> Track) -> Arc<Track> {
        memoised(&self.finished, key, make)
    }
}

impl PlanSteps for Memo {
    fn doc_page(
        &self,
        doc: &SourceDoc,
        url: &str,
        is_skill: bool,
        highlight: bool,
        links: &LinkMap,
        diags: &Mutex<Diagnostics>,
    ) -> (String, DocHtml) {
        let key = hash_of(&(
            self.doc_key(doc),
            url,
            is_skill,
            highlight,
            self.links_hash(links),
        ));
        remembered(&self.pages, key, diags, |mine| {
            crate::site::doc_page(doc, url, is_skill, highlight, links, mine)
        })
    }

    fn doc_page_out(&self, x: &DocPageInputs, diags: &Mutex<Diagnostics>) -> PageOut {
        let key = hash_of(&(self.doc_key(x.doc), x.others(), self.links_hash(x.links)));
        let hit = self.doc_pages.lock().unwrap().get(&key);
        let v = hit.unwrap_or_else(|| {
            let mine = Mutex::new(Diagnostics::default());
            let p = crate::site::doc_page_out(x, &crate::site::Cold, &mine);
            let h = hash_map(&p.data);
            let v = Arc::new((p, mine.into_inner().unwrap(), h));
            self.doc_pages.lock().unwrap().insert(key, Arc::clone(&v));
            v
        });
        diags.lock().unwrap().extend(v.1.clone());
        let page = without_data(&v.0);
        self.doc_data.lock().unwrap().insert(page.url.clone(), v);
        page
    }

    fn fragment(
        &self,
        src: &str,
        f: &Fragment,
        links: &LinkMap,
        diags: &Mutex<Diagnostics>,
    ) -> DocHtml {
        let key = hash_of(&(
            src,
            &f.doc.path,
            &f.doc.rel,
            // Warnings about broken links give lines in the whole file.
            &f.doc.frontmatter.raw,
            f.doc.body_line_offset,
            f.page_url,
            f.highlight,
            f.heading_shift,
            f.interactive_tasks,
            self.links_hash(links),
        ));
        remembered(&self.fragments, key, diags, |mine| {
            crate::site::Cold.fragment(src, f, links, mine)
        })
    }

    /// The session plans ladder pages through [`Memo::ladder_plans`];
    /// this answers what [`crate::site::Cold`] would.
    fn ladder_pages(
        &self,
        hb: &crate::ladder::model::Handbook,
        extras: &ladder_pages::LadderExtras,
    ) -> Vec<PageOut> {
        ladder_pages::plan(hb, extras)
    }
}

impl Memo {
    /// The ladder pages of `hb` ([`ladder_pages::plan`]), each track's and
    /// each cross-track page's remembered under what it reads.
    fn ladder_plans(
        &self,
        hb: &crate::ladder::model::Handbook,
        extras: &ladder_pages::LadderExtras,
        early: Option<&Early<'_>>,
    ) -> LadderPlan {
        let hashes: Vec<Arc<TrackHashes>> =
            hb.tracks.par_iter().map(|t| self.track_hashes(t)).collect();
        // Tracks whose texts link to or show files plan from a copy with
        // those paths rebased (remembered under the track and the link
        // map); their pages depend on the link map too.
        let links_key = hashes
            .iter()
            .any(|h| h.paths)
            .then(|| self.links_hash(&extras.links));
        let rebased;
        let hb = match links_key {
            None => hb,
            Some(lk) => {
                rebased = crate::ladder::model::Handbook {
                    schema_version: hb.schema_version,
                    // Ladder pages read only the tracks.
                    tracks: hb
                        .tracks
                        .iter()
                        .zip(&hashes)
                        .map(|(t, h)| match h.paths {
                            true => {
                                memoised(&self.rebased, hash_of(&(h.whole, &h.levels, lk)), &|| {
                                    ladder_pages::rebase_track(t, &extras.links)
                                })
                            }
                            false => Arc::clone(t),
                        })
                        .collect(),
                    skills: Vec::new(),
                    pages: Vec::new(),
                };
                &rebased
            }
        };
        // Per track: what every page reads of the track (all but its
        // levels; the levels' numbers and headings), each level's hash, and
        // what level pages read of the other tracks (the same level there:
        // its number and heading). Each page's key adds the levels it shows.
        let none = ladder_pages::TrackExtras::default();
        let per_track: Vec<Vec<Planned>> = hb
            .tracks
            .par_iter()
            .enumerate()
            .map(|(ti, t)| {
                let x = extras.tracks.get(ti).unwrap_or(&none);
                let h = &hashes[ti];
                let rest: Vec<u64> = hashes
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != ti)
                    .map(|(_, h)| h.seen_from_others)
                    .collect();
                let rest = hash_of(&rest);
                let track_key = hash_of(&(
                    h.whole,
                    h.paths.then_some(links_key),
                    h.headings,
                    &x.notes_html,
                    &x.source_url,
                    &x.edit_url,
                ));
                // A track whose pages read nothing new: its pages as they
                // were (each kept in the memo too, for its next edit).
                let whole_key = hash_of(&("track", track_key, &h.levels, rest));
                if let Some(list) = self.track_lists.lock().unwrap().get(&whole_key) {
                    let mut pages = self.tracks.lock().unwrap();
                    for (k, _) in list.iter() {
                        pages.touch(k);
                    }
                    return list.iter().map(|(_, p)| (Arc::clone(p), None)).collect();
                }
                // Classes read a level and the level below.
                let pair = |i: usize| (h.levels[i], i.checked_sub(1).map(|j| h.levels[j]));
                let level = |i: usize| {
                    memoised(&self.classes, hash_of(&pair(i)), &|| {
                        ladder_pages::classify_level(t, i)
                    })
                };
                let dimension = |i: usize, d: &str| {
                    memoised(&self.classes, hash_of(&(pair(i), d)), &|| {
                        ladder_pages::dimension_classes(t, &level(i), i, d)
                    })
                };
                let classes = ladder_pages::Classes {
                    level: &level,
                    dimension: &dimension,
                };
                let planned: Vec<(u64, Planned)> = ladder_pages::track_page_list(t)
                    .into_par_iter()
                    .map(|p| {
                        let key = hash_of(&(
                            track_key,
                            p,
                            &h.levels[p.levels_read(t)],
                            p.reads_other_tracks().then_some(rest),
                        ));
                        let planned = self.planned(key, early, || {
                            vec![ladder_pages::plan_track_page(
                                hb, t, &h.order, x, p, &classes,
                            )]
                        });
                        (key, planned)
                    })
                    .collect();
                let list = planned
                    .iter()
                    .map(|(k, (p, _))| (*k, Arc::clone(p)))
                    .collect();
                self.track_lists
                    .lock()
                    .unwrap()
                    .insert(whole_key, Arc::new(list));
                planned.into_iter().map(|(_, p)| p).collect()
            })
            .collect();
        // A cross-track page shows level n of every track that has it, and
        // links to the level numbers before and after.
        let numbers = ladder_pages::all_level_numbers(hb);
        let numbers_key = hash_of(&numbers);
        let orders = std::sync::OnceLock::new();
        let cross: Vec<Planned> = numbers
            .par_iter()
            .map(|&n| {
                let columns: Vec<(u64, u64)> = hb
                    .tracks
                    .iter()
                    .zip(&hashes)
                    .filter_map(|(t, h)| {
                        let i = t.levels.iter().position(|l| l.number == n)?;
                        Some((h.whole, h.levels[i]))
                    })
                    .collect();
                let key = hash_of(&("cross", n, numbers_key, columns, links_key));
                self.planned(key, early, || {
                    let orders = orders
                        .get_or_init(|| hashes.iter().map(|h| h.order.clone()).collect::<Vec<_>>());
                    vec![ladder_pages::cross_level_page(hb, n, &numbers, orders)]
                })
            })
            .collect();
        LadderPlan(per_track.into_iter().flatten().chain(cross).collect())
    }
}

/// The ladder pages of a build, planned through the memo.
struct LadderPlan(Vec<Planned>);

/// What the ladder pages read of one track.
struct TrackHashes {
    /// Everything but its levels.
    whole: u64,
    /// Each level.
    levels: Vec<u64>,
    /// Its levels' numbers and headings.
    headings: u64,
    /// What other tracks' level pages read of it.
    seen_from_others: u64,
    /// Whether its texts may hold paths to rebase
    /// ([`ladder_pages::has_paths`]).
    paths: bool,
    /// Its [`ladder_pages::dimension_order`].
    order: Vec<Option<crate::ladder::model::DimensionId>>,
}

fn track_hashes(t: &crate::ladder::model::Track) -> TrackHashes {
    // The dimensions in the order the levels first use them (pages order
    // dimensions so), not how often: an added expectation changes a level
    // only.
    let mut dims: Vec<Option<&str>> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for e in t.levels.iter().flat_map(|l| &l.expectations) {
        if seen.insert(e.dimension.as_deref()) {
            dims.push(e.dimension.as_deref());
        }
    }
    let whole = hash_of(&(
        &t.id,
        &t.title,
        &t.description,
        &t.shape,
        &t.source,
        &t.roles,
        &t.dimensions,
        &t.anti_patterns,
        dims,
    ));
    let levels: Vec<u64> = t.levels.iter().map(hash_of).collect();
    let headings: Vec<(u32, String)> = t
        .levels
        .iter()
        .map(|l| (l.number, ladder_pages::level_heading(t, l)))
        .collect();
    TrackHashes {
        whole,
        levels,
        headings: hash_of(&headings),
        seen_from_others: hash_of(&(&t.id, &t.title, headings)),
        paths: ladder_pages::has_paths(t),
        order: ladder_pages::dimension_order(t),
    }
}

impl Memo {
    /// [`track_hashes`] of `t`, remembered while the same track is given
    /// (recognition gives the same `Arc` for an unchanged track).
    fn track_hashes(&self, t: &Arc<Track>) -> Arc<TrackHashes> {
        let addr = Arc::as_ptr(t) as usize;
        if let Some((_, h)) = self.track_hashes.lock().unwrap().get(&addr) {
            return h;
        }
        let h = Arc::new(track_hashes(t));
        self.track_hashes
            .lock()
            .unwrap()
            .insert(addr, (Arc::clone(t), Arc::clone(&h)));
        h
    }

    /// The pages `plan` makes, remembered under `key` without their data
    /// (each with its data's hash); the data when they were planned now,
    /// or, given `early`, each page rendered then.
    fn planned(
        &self,
        key: u64,
        early: Option<&Early<'_>>,
        plan: impl FnOnce() -> Vec<PageOut>,
    ) -> Planned {
        if let Some(p) = self.tracks.lock().unwrap().get(&key) {
            return (p, None);
        }
        let (pages, data): (Vec<PlannedPage>, Vec<_>) = plan()
            .into_par_iter()
            .map(|mut p| {
                let data: Data = (std::mem::take(&mut p.data), p.lists.take());
                let h = hash_data(&data.0, data.1.as_deref());
                let fresh = match early {
                    Some(render) => Fresh::Done(render(p.url.clone(), p.template, data, h)),
                    None => Fresh::Data(data),
                };
                ((p, h), fresh)
            })
            .unzip();
        let p = Arc::new(pages);
        self.tracks.lock().unwrap().insert(key, Arc::clone(&p));
        (p, Some(data))
    }
}

/// Pages planned or remembered by [`Memo::planned`], and their data (or
/// the pages rendered) when planned now.
type Planned = (TrackPlan, Option<Vec<Fresh>>);

/// A page planned now: its data, or the page rendered from it.
enum Fresh {
    Data(Data),
    Done(Result<Done>),
}

/// Renders a page (URL, template, data and its hash) as soon as it is
/// planned, into an output not known: its data is dropped at once.
type Early<'a> = dyn Fn(String, &'static str, Data, u64) -> Result<Done> + Sync + 'a;

fn without_data(p: &PageOut) -> PageOut {
    PageOut {
        url: p.url.clone(),
        template: p.template,
        title: p.title.clone(),
        in_sitemap: p.in_sitemap,
        data: serde_json::Map::new(),
        lists: None,
        outline: p.outline.clone(),
    }
}

/// One file of a session build: its address, its bytes when they must be
/// written, and the length and hash of its bytes.
type Built = (String, Option<crate::OutFile>, (usize, u64));

/// [`crate::Session::build`]: the steps of [`crate::render_site`], each
/// through the session's memo, then only changed pages rendered and only
/// changed files written.
pub(crate) fn build(
    s: &mut crate::Session,
    opts: &crate::BuildOptions,
) -> Result<(crate::BuildReport, crate::Written)> {
    let start = std::time::Instant::now();
    settle_if_done(s);
    s.memo.begin();
    let mut r = build_steps(s, opts, start);
    if let Ok(None) = r {
        // Pages remembered without their data must be rendered again (the
        // theme or the navigation changed, or a file is back to an earlier
        // text): their plans are forgotten, and planned afresh.
        let stale = std::mem::take(&mut *s.memo.stale.lock().unwrap());
        let all = stale.contains(&0);
        let fresh = |p: &TrackPlan| !all && !stale.contains(&(Arc::as_ptr(p) as usize));
        s.memo.begin();
        s.memo.tracks.lock().unwrap().retain(fresh);
        s.memo
            .track_lists
            .lock()
            .unwrap()
            .retain(|list| list.iter().all(|(_, p)| fresh(p)));
        r = build_steps(s, opts, start);
    }
    let r = r.and_then(|r| {
        r.ok_or_else(|| {
            crate::diagnostics::Diagnostic::error(
                "pages planned afresh came without their data (a bug in rungs); restart `rungs serve`",
            )
            .into()
        })
    });
    s.memo.end(r.is_ok());
    r
}

fn build_steps(
    s: &mut crate::Session,
    opts: &crate::BuildOptions,
    start: std::time::Instant,
) -> Result<Option<(crate::BuildReport, crate::Written)>> {
    use crate::OutFile;
    let mut lap = Laps::new();
    let memo = &s.memo;
    let crate::Loaded {
        layout,
        docs,
        assets,
        mut diags,
    } = crate::load_listed(opts, &|layout| memo.list(layout), &|f| memo.read(f))?;
    memo.keep_reads(&docs);
    let out = crate::config::absolute(&layout.output);
    // A build that writes the whole output does so once the last search
    // index is written.
    if !s.knows(&out) {
        settle(s);
    }
    lap.lap("load");
    let renderer = crate::theme_renderer(&layout, Some(&mut s.renderer))?;
    let theme_key = s.renderer.as_ref().map_or(0, |(files, _)| {
        let templates: Vec<_> = files.templates.iter().map(|(k, (t, _))| (k, t)).collect();
        let statics: Vec<_> = files.statics.iter().map(|(k, (b, _))| (k, b)).collect();
        hash_of(&(templates, statics))
    });
    let memo = &s.memo;
    let (handbook, mut views) = crate::ladder::recognise_all_with(&docs, &mut diags, memo);
    let docs = crate::apply_views(docs, &mut views);
    lap.lap("recognise");
    // Document pages (with home and, last, 404) as `plan_with` plans
    // them; ladder pages each track's at a time, shared with the memo.
    let (mut site, extras) = crate::site::plan_documents_with(
        &layout, &docs, &assets, &handbook, &views, &mut diags, memo,
    );
    let base = crate::base_context(&layout, &renderer, &site);
    let base_key = hash_of(&(theme_key, hash_map(&base)));
    let canonical_base = layout.config.base_url_normalised();
    let known_out = s.knows(&out);
    // Into an output not known, every page goes through a staging folder:
    // each is written there as soon as it is rendered, and ladder pages
    // are rendered as soon as they are planned, so that the build never
    // holds every page's data or bytes at once.
    let staging = match known_out {
        true => None,
        false => Some(crate::output::Staging::create(&out)?),
    };
    let page_key = |template: &str, url: &str, data_key: u64| {
        hash_of(&(base_key, template, url, canonical_base.as_deref(), data_key))
    };
    let render =
        |url: String, template: &'static str, (data, lists): Data, key: u64| -> Result<Done> {
            let ctx = crate::page_context(&base, &url, data, canonical_base.as_deref());
            let html = renderer
                .render(template, ctx, lists.as_deref())?
                .into_bytes();
            let hash = content_hash(&html);
            let html = match &staging {
                Some(staging) => {
                    staging.write(&url, &html)?;
                    None
                }
                None => Some(html),
            };
            Ok(Done::New {
                url,
                key,
                html,
                hash,
            })
        };
    let early = |url: String, template, data, data_key| {
        let key = page_key(template, &url, data_key);
        render(url, template, data, key)
    };
    let ladder = memo.ladder_plans(
        &handbook,
        &extras,
        staging.is_some().then_some(&early as &Early<'_>),
    );
    lap.lap("plan");
    let doc_data = std::mem::take(&mut *memo.doc_data.lock().unwrap());
    // A document page's sections are remembered under its data's hash
    // (which covers its URL, title and content) rather than a hash of its
    // content.
    let sections = |url: &str, title: &str, html: &str, body: bool| match doc_data.get(url) {
        Some(d) => memo.sections_under(hash_of(&("doc", d.2, title, body)), || {
            crate::search::page_sections(url, title, html, body)
        }),
        None => memo.sections(url, title, html, body),
    };
    let data_of: &crate::PageData<'_> = &|p| match doc_data.get(&p.url) {
        Some(d) => &d.0.data,
        None => &p.data,
    };
    // Ladder pages hold no sections: the documents' pages are enough.
    let input = crate::search_input(&handbook, &docs, &site, &sections, data_of);
    // Into a known output, the search index is made and written after the
    // pages (see `Deferred`); otherwise it is part of the build.
    let defer = s.knows(&out);
    let (search_files, index) = if defer {
        (Vec::new(), Some(input))
    } else {
        (input.index(&handbook).files(), None)
    };
    lap.lap("search");

    // Every page in `plan_with`'s order, then the search page. Document
    // pages come with the hash of their data (their data is in
    // `doc_data`), ladder pages with it and with their data when it was
    // planned in this build.
    let mut own = std::mem::take(&mut site.pages);
    let not_found = own.pop();
    let own_item = |p: PageOut| match doc_data.get(&p.url) {
        Some(d) if d.0.template == p.template => {
            let h = d.2;
            Item::Own(p, Some(h))
        }
        _ => Item::Own(p, None),
    };
    let mut items: Vec<Item<'_>> = own.into_iter().map(own_item).collect();
    let (plans, mut fresh): (Vec<TrackPlan>, Vec<_>) = ladder.0.into_iter().unzip();
    // The plans made now, which the memo holds without their data.
    let planned_now: Vec<usize> = plans
        .iter()
        .zip(&fresh)
        .filter(|(_, f)| f.is_some())
        .map(|(p, _)| Arc::as_ptr(p) as usize)
        .collect();
    for (plan, fresh) in plans.iter().zip(&mut fresh) {
        let mut fresh = fresh.take().map(Vec::into_iter);
        let id = Arc::as_ptr(plan) as usize;
        items.extend(
            plan.iter()
                .map(|(p, h)| Item::Shared(p, *h, fresh.as_mut().and_then(Iterator::next), id)),
        );
    }
    items.extend(not_found.map(own_item));
    items.push(own_item(crate::search::search_page()));
    let page_count = items.len();
    // The sitemap is made again only when its addresses changed.
    let sitemap_key = {
        let mut h = FastHasher::default();
        canonical_base.hash(&mut h);
        for p in items.iter().map(Item::page).filter(|p| p.in_sitemap) {
            h.write(p.url.as_bytes());
        }
        h.finish()
    };
    let sitemap: (Option<Vec<u8>>, (usize, u64)) = match s.output.sitemap {
        Some((k, h)) if k == sitemap_key && known_out => (None, h),
        _ => {
            let text = crate::sitemap(
                items
                    .iter()
                    .map(Item::page)
                    .filter(|p| p.in_sitemap)
                    .map(|p| p.url.clone())
                    .collect(),
                canonical_base.as_deref(),
            )
            .into_bytes();
            let h = content_hash(&text);
            (Some(text), h)
        }
    };
    // Unless the output is known, every page is rendered and written.
    if !known_out {
        s.output = Output::default();
    }
    let pages_before = &s.output.pages;
    // A remembered page, planned without its data, that must be rendered:
    // the plan it is in.
    let stale = &memo.stale;
    let rendered: Vec<Done> = items
        .into_par_iter()
        .map(|item| -> Result<Done> {
            let (p, planned) = match &item {
                Item::Own(p, planned) => (p, *planned),
                Item::Shared(p, h, _, _) => (*p, Some(*h)),
            };
            let data_key = match planned {
                Some(h) => h,
                None => hash_data(&p.data, p.lists.as_deref()),
            };
            let key = page_key(p.template, &p.url, data_key);
            let rendered = matches!(&item, Item::Shared(_, _, Some(Fresh::Done(_)), _));
            if !rendered && pages_before.contains_key(&key) {
                return Ok(Done::Same(key));
            }
            let (url, template, data) = match item {
                Item::Own(p, _) => {
                    let data = match doc_data.get(&p.url) {
                        Some(d) if p.data.is_empty() => d.0.data.clone(),
                        _ => p.data,
                    };
                    (p.url, p.template, (data, p.lists))
                }
                Item::Shared(_, _, Some(Fresh::Done(done)), _) => return done,
                Item::Shared(p, _, Some(Fresh::Data(data)), _) => (p.url.clone(), p.template, data),
                Item::Shared(_, _, None, plan) => {
                    stale.lock().unwrap().insert(plan);
                    return Ok(Done::Same(key));
                }
            };
            if planned.is_some() && data.0.is_empty() {
                // A document page's data comes with it (0: plan every
                // page afresh).
                stale.lock().unwrap().insert(0);
                return Ok(Done::Same(key));
            }
            render(url, template, data, key)
        })
        .collect::<Result<_>>()?;
    {
        let mut stale = stale.lock().unwrap();
        if !stale.is_empty() {
            // Planned again, they would come without their data.
            stale.extend(planned_now);
            return Ok(None);
        }
    }
    lap.lap("render");
    lap.note(&format!(
        "{} of {page_count} pages rendered",
        rendered
            .iter()
            .filter(|d| matches!(d, Done::New { .. }))
            .count()
    ));
    // Every other file: copied sources, the theme's assets, the search
    // index (when made now), the sitemap.
    let mut files: Vec<Built> = Vec::with_capacity(site.assets.len() + search_files.len() + 8);
    for (rel, path) in &site.assets {
        let h = memo.copy_hash(path)?;
        files.push((rel.clone(), Some(OutFile::Copy(path.clone())), h));
    }
    let bytes: Vec<(String, Vec<u8>)> = renderer
        .assets
        .values()
        .map(|a| (a.url.clone(), a.bytes.clone()))
        .collect();
    for (rel, b) in bytes {
        let h = content_hash(&b);
        files.push((rel, Some(OutFile::Bytes(b)), h));
    }
    files.push((
        "sitemap.xml".into(),
        sitemap.0.map(OutFile::Bytes),
        sitemap.1,
    ));
    let hashes: crate::OutputHashes = files.iter().map(|(u, _, h)| (u.clone(), *h)).collect();
    let mut to_write: Vec<(String, OutFile)> = files
        .into_iter()
        .filter_map(|(u, f, _)| f.map(|f| (u, f)))
        .collect();
    // The search index made now is written with the rest; a deferred one
    // replaces the last index's files, which stay until then.
    let search_now: crate::OutputHashes = search_files
        .iter()
        .map(|(u, t)| (u.clone(), content_hash(t.as_bytes())))
        .collect();
    let searched = search_now.len() + s.memo.search.len() * usize::from(index.is_some());
    to_write.extend(
        search_files
            .into_iter()
            .map(|(u, t)| (u, OutFile::Bytes(t.into_bytes()))),
    );
    let assets_count = site.assets.len() + renderer.assets.len();
    let written = write(
        s,
        out.clone(),
        rendered,
        staging,
        &to_write,
        hashes,
        searched,
    )?;
    s.output.sitemap = Some((sitemap_key, sitemap.1));
    match index {
        Some(input) => {
            // The last index's files: known, or when its writing ends.
            let last = s.memo.pending.lock().unwrap().take();
            let mut old_search = std::mem::take(&mut s.memo.search);
            let latest = Arc::clone(&s.memo.search_builds);
            let this = latest.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            let (tx, rx) = std::sync::mpsc::channel();
            // The model and documents go with it, to be dropped there too.
            let job = move || -> Result<crate::OutputHashes> {
                if let Some(last) = last {
                    old_search = match last.recv() {
                        Ok(Ok(r)) => r?,
                        _ => {
                            return Err(crate::diagnostics::Diagnostic::error(
                                "writing the search index stopped (a bug in rungs)",
                            )
                            .into())
                        }
                    };
                }
                // The reload the pages just written bring (a page, its
                // stylesheets and scripts) is served first.
                std::thread::sleep(SEARCH_AFTER);
                // A newer build's index follows: the last one stays.
                if latest.load(std::sync::atomic::Ordering::SeqCst) != this {
                    return Ok(old_search);
                }
                let index = input.index(&handbook);
                drop((handbook, docs, views));
                let files: Vec<(String, OutFile)> = index
                    .files()
                    .into_iter()
                    .map(|(u, t)| (u, OutFile::Bytes(t.into_bytes())))
                    .collect();
                let new: crate::OutputHashes = files
                    .iter()
                    .map(|(u, f)| match f {
                        OutFile::Bytes(b) => (u.clone(), content_hash(b)),
                        OutFile::Copy(_) => (u.clone(), (0, 0)),
                    })
                    .collect();
                crate::update_in_place(&out, &files, &new, &old_search)?;
                Ok(new)
            };
            let run = move || {
                let _ = tx.send(std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)));
            };
            let pool = s.memo.search_pool.get_or_init(|| {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(1)
                    .thread_name(|_| "rungs-search".into())
                    .build()
                    .ok()
            });
            match pool {
                Some(pool) => pool.spawn(run),
                None => rayon::spawn(run),
            }
            *s.memo.pending.lock().unwrap() = Some(rx);
        }
        None => s.memo.search = search_now,
    }
    lap.lap("write");
    diags.sort();
    Ok(Some((
        crate::BuildReport {
            output: layout.output.clone(),
            pages: page_count,
            assets: assets_count,
            warnings: diags.into_vec(),
            elapsed: start.elapsed(),
        },
        written,
    )))
}

/// A page of a session build: planned now (with the hash of its data when
/// it was planned by a step that keeps it), or as a memo holds it, with
/// the hash of its data, the data (or the page) when it was planned now,
/// and the address of the plan it is in.
enum Item<'a> {
    Own(PageOut, Option<u64>),
    Shared(&'a PageOut, u64, Option<Fresh>, usize),
}

impl Item<'_> {
    fn page(&self) -> &PageOut {
        match self {
            Item::Own(p, _) => p,
            Item::Shared(p, _, _, _) => p,
        }
    }
}

/// A page of a session build: unchanged since the last (its key), or
/// rendered.
enum Done {
    Same(u64),
    New {
        url: String,
        key: u64,
        /// `None` when written to the build's staging folder already.
        html: Option<Vec<u8>>,
        hash: (usize, u64),
    },
}

/// What the last build of a session left in its output besides the
/// files of [`crate::Session::written`]: its pages, and its sitemap.
#[derive(Default)]
pub(crate) struct Output {
    /// Each page by its key (template, URL, data and everything every
    /// page reads): its URL, the length and hash of its bytes, and the
    /// last build that had it.
    pages: rustc_hash::FxHashMap<u64, (String, (usize, u64), u64)>,
    /// Each page's key by its URL.
    urls: rustc_hash::FxHashMap<String, u64>,
    /// The build under way.
    now: u64,
    /// The key of the sitemap's addresses, and the hash of its bytes.
    sitemap: Option<(u64, (usize, u64))>,
}

/// Write a build to `out`: its pages (only those whose bytes changed,
/// unless the output is not known, then every file through `staging`,
/// which holds the pages already, like [`crate::build`]), `files` (the
/// other files to write), with `hashes` every other file of the build but
/// the `searched` files of the search index; remove the files that are
/// gone.
fn write(
    s: &mut crate::Session,
    out: PathBuf,
    pages: Vec<Done>,
    staging: Option<crate::output::Staging>,
    files: &[(String, crate::OutFile)],
    hashes: crate::OutputHashes,
    searched: usize,
) -> Result<crate::Written> {
    let known = s.knows(&out);
    let previous = s.written.take();
    let o = &mut s.output;
    o.now += 1;
    let now = o.now;
    let total = pages.len() + hashes.len() + searched;
    // The pages to write, and what the output holds now.
    let mut new = Vec::new();
    for d in pages {
        match d {
            Done::Same(key) => {
                if let Some(e) = o.pages.get_mut(&key) {
                    e.2 = now;
                }
            }
            Done::New {
                url,
                key,
                html,
                hash,
            } => {
                let before = o.urls.get(&url).and_then(|k| o.pages.get(k)).map(|e| e.1);
                o.pages.insert(key, (url.clone(), hash, now));
                o.urls.insert(url.clone(), key);
                if let Some(html) = html.filter(|_| !known || before != Some(hash)) {
                    new.push((url, crate::OutFile::Bytes(html)));
                }
            }
        }
    }
    // Pages gone: their address holds no page of this build.
    let mut gone = Vec::new();
    o.pages.retain(|k, (url, _, seen)| {
        if *seen == now {
            return true;
        }
        if o.urls.get(url) == Some(k) {
            gone.push(std::mem::take(url));
        }
        false
    });
    for u in &gone {
        o.urls.remove(u);
    }
    let r = match previous {
        Some((_, old)) if known && staging.is_none() => (|| -> Result<crate::Written> {
            let mut to_write: Vec<&(String, crate::OutFile)> = new.iter().collect();
            // Files without a hash (the search index made now) are new.
            to_write.extend(
                files
                    .iter()
                    .filter(|(u, _)| hashes.get(u).is_none_or(|h| old.get(u) != Some(h))),
            );
            let written = crate::write_files(&out, &to_write)?;
            // Nothing is removed where this build put a file.
            let stays = |u: &String| hashes.contains_key(u) || o.urls.contains_key(u);
            let removed = crate::remove_files(&out, old.keys().chain(&gone).filter(|u| !stays(u)));
            Ok(crate::Written {
                written,
                removed,
                unchanged: total - written,
            })
        })(),
        _ => (|| -> Result<crate::Written> {
            let staging = match staging {
                Some(staging) => staging,
                None => crate::output::Staging::create(&out)?,
            };
            new.par_iter()
                .chain(files.par_iter())
                .try_for_each(|(url, f)| match f {
                    crate::OutFile::Bytes(b) => staging.write(url, b),
                    crate::OutFile::Copy(path) => staging.copy(url, path),
                })?;
            staging.commit()?;
            Ok(crate::Written {
                written: total,
                ..crate::Written::default()
            })
        })(),
    };
    match r {
        Ok(w) => {
            s.written = Some((out, hashes));
            Ok(w)
        }
        Err(e) => {
            s.output = Output::default();
            Err(e)
        }
    }
}

/// `RUNGS_TIMINGS=1`: how long each step of a session build took, in
/// wall time and in CPU time of every thread of the process (on Linux;
/// CPU time is what to compare on a busy machine).
struct Laps(Option<(std::time::Instant, u64)>);

/// Nanoseconds every thread of this process has run (Linux), else 0.
pub(crate) fn cpu_ns() -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

impl Laps {
    fn new() -> Laps {
        Laps(std::env::var_os("RUNGS_TIMINGS").map(|_| (std::time::Instant::now(), cpu_ns())))
    }
    fn lap(&mut self, step: &str) {
        if let Some((t, cpu)) = self.0 {
            let now = cpu_ns();
            eprintln!(
                "timings: {step} {:.1} ms ({:.1} ms CPU)",
                t.elapsed().as_secs_f64() * 1000.0,
                now.saturating_sub(cpu) as f64 / 1e6
            );
            self.0 = Some((std::time::Instant::now(), now));
        }
    }
    /// A line of its own among the timings.
    fn note(&self, what: &str) {
        if self.0.is_some() {
            eprintln!("timings: {what}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Generations;

    #[test]
    fn generations_drop_the_unused_once_they_are_many() {
        let mut g: Generations<u32, u32> = Generations::default();
        for k in 0..16 {
            g.insert(k, k);
        }
        g.turn(true);
        // One unused entry in 16: kept, and usable.
        for k in 1..16 {
            assert_eq!(g.get(&k), Some(k));
        }
        g.turn(true);
        assert_eq!(g.map.len(), 16);
        assert_eq!(g.get(&0), Some(0));
        // Half unused: only what this build used stays.
        for k in 1..8 {
            g.touch(&k);
        }
        g.turn(true);
        let mut kept: Vec<u32> = g.map.keys().copied().collect();
        kept.sort();
        assert_eq!(kept, (0..8).collect::<Vec<_>>());
        // A failed build forgets nothing.
        g.turn(false);
        assert_eq!(g.map.len(), 8);
    }
}
