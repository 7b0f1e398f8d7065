//! What changes from one level to the next: each expectation of a level is
//! new, reworded from one at the level below (with a word-level diff), or
//! repeated unchanged.

use crate::ladder::model::Expectation;
use crate::render::highlight::escape_html;
use rustc_hash::FxHashMap;
use serde::Serialize;
use similar::{capture_diff_slices, Algorithm, ChangeTag, DiffTag};

/// How an expectation relates to the level below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// Nothing like it at the level below.
    New,
    /// A rewording of an expectation at the level below.
    Reworded,
    /// The same text as at the level below.
    Unchanged,
    /// There is no level below to compare with.
    First,
}

/// One expectation classified against the level below.
#[derive(Debug, Clone, Serialize)]
pub struct Classified {
    pub change: Change,
    /// For `Reworded`: HTML of the word diff (`<del>`/`<ins>`).
    pub diff_html: Option<std::sync::Arc<str>>,
    /// For `Reworded`/`Unchanged`: id of the expectation below.
    pub previous_id: Option<String>,
}

/// Fold text for comparison: case, punctuation and spacing do not count.
fn fold(s: &str) -> String {
    // Words of alphanumerics (each lowercased to its first lowercase
    // char), joined by single spaces.
    if s.is_ascii() {
        // The same, a byte at a time.
        let mut out = Vec::with_capacity(s.len());
        let mut gap = false;
        for &b in s.as_bytes() {
            if b.is_ascii_alphanumeric() {
                if gap && !out.is_empty() {
                    out.push(b' ');
                }
                gap = false;
                out.push(b.to_ascii_lowercase());
            } else {
                gap = true;
            }
        }
        return String::from_utf8(out).unwrap_or_default();
    }
    let mut out = String::with_capacity(s.len());
    let mut gap = false;
    for c in s.chars() {
        let alnum = if c.is_ascii() {
            c.is_ascii_alphanumeric()
        } else {
            c.is_alphanumeric()
        };
        if alnum {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(c.to_lowercase().next().unwrap_or(c));
            }
        } else {
            gap = true;
        }
    }
    out
}

/// Similarity of two texts by words, 0.0 to 1.0: twice the words they
/// share in the same order (their longest common subsequence) over the
/// words of both, stop words left out and words compared by stem. (Spaces do not count: counted as tokens, they
/// made any two sentences of a similar length about half alike.)
pub fn similarity(a: &str, b: &str) -> f32 {
    folded_similarity(&Folded::new(a), &Folded::new(b))
}

/// Length of the longest common subsequence of `a` and `b` (dynamic
/// programming, one row).
fn lcs_len<T: PartialEq + Copy>(a: &[T], b: &[T]) -> u32 {
    let mut row = vec![0u32; b.len() + 1];
    for &x in a {
        let mut diag = 0;
        for (j, &y) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = if x == y { diag + 1 } else { up.max(row[j]) };
            diag = up;
        }
    }
    row[b.len()]
}

/// The id of `word` in `ids`, a new one if it has none.
fn intern<'a>(ids: &mut FxHashMap<&'a str, u32>, word: &'a str) -> u32 {
    let n = ids.len() as u32;
    *ids.entry(word).or_insert(n)
}

/// Word-level diff of `old` → `new` as HTML: each stretch of changed
/// words shows once, its removed words in one `<del>`, then its added
/// words in one `<ins>` (`<del>small, clearly defined</del><ins>features
/// within one</ins>`), not a `<del>` and an `<ins>` per word. Words are
/// split at whitespace and compared exactly; the alignment keeps as many
/// words as can be kept in order ([`word_diff`]).
/// Words are joined by single spaces, as HTML shows them anyway.
pub fn word_diff_html(old: &str, new: &str) -> String {
    let mut out = String::with_capacity(old.len() + new.len() + 32);
    // Words are escaped with their texts, once: escaping adds no
    // whitespace and tells no two words apart that were not.
    let (old, new) = (escape_html(old), escape_html(new));
    let tokens = word_diff(&old, &new);
    let mut i = 0;
    while i < tokens.len() {
        if i > 0 {
            out.push(' ');
        }
        if tokens[i].0 == ChangeTag::Equal {
            out.push_str(tokens[i].1);
            i += 1;
            continue;
        }
        let end = i + tokens[i..]
            .iter()
            .take_while(|(t, _)| *t != ChangeTag::Equal)
            .count();
        for (tag, open, close) in [
            (ChangeTag::Delete, "<del>", "</del>"),
            (ChangeTag::Insert, "<ins>", "</ins>"),
        ] {
            let mut words = tokens[i..end].iter().filter(|(t, _)| *t == tag);
            if let Some((_, first)) = words.next() {
                out.push_str(open);
                out.push_str(first);
                for (_, w) in words {
                    out.push(' ');
                    out.push_str(w);
                }
                out.push_str(close);
            }
        }
        i = end;
    }
    out
}

/// The words of `old` and `new` (split at whitespace) in diff order, each
/// kept, removed or added: a replacement's removed words, then its added
/// ones.
fn word_diff<'a>(old: &'a str, new: &'a str) -> Vec<(ChangeTag, &'a str)> {
    let a: Vec<&str> = crate::words::words(old).collect();
    let b: Vec<&str> = crate::words::words(new).collect();
    if a.len().saturating_mul(b.len()) > SMALL_DIFF {
        return myers_word_diff(&a, &b);
    }
    // The longest common subsequence of every pair of suffixes, then a
    // walk that keeps a word whenever keeping it is part of one.
    let w = b.len() + 1;
    let mut lcs = vec![0u16; (a.len() + 1) * w];
    for (i, x) in a.iter().enumerate().rev() {
        // Row `i` from row `i + 1`, right to left.
        let (row, below) = lcs[i * w..(i + 2) * w].split_at_mut(w);
        for (j, y) in b.iter().enumerate().rev() {
            row[j] = if x == y {
                below[j + 1] + 1
            } else {
                below[j].max(row[j + 1])
            };
        }
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push((ChangeTag::Equal, a[i]));
            (i, j) = (i + 1, j + 1);
        } else if j == b.len() || (i < a.len() && lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) {
            out.push((ChangeTag::Delete, a[i]));
            i += 1;
        } else {
            out.push((ChangeTag::Insert, b[j]));
            j += 1;
        }
    }
    out
}

/// Above this many word pairs, [`word_diff`] runs Myers' diff (time and
/// memory by the words that differ) rather than a table of every pair.
const SMALL_DIFF: usize = 10_000;

/// [`word_diff`] of long texts: Myers' diff over the words as ids.
fn myers_word_diff<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<(ChangeTag, &'a str)> {
    let mut ids: FxHashMap<&str, u32> =
        FxHashMap::with_capacity_and_hasher(a.len() + b.len(), Default::default());
    let ai: Vec<u32> = a.iter().map(|t| intern(&mut ids, t)).collect();
    let bi: Vec<u32> = b.iter().map(|t| intern(&mut ids, t)).collect();
    let mut out = Vec::with_capacity(a.len() + b.len());
    for op in capture_diff_slices(Algorithm::Myers, &ai, &bi) {
        let (tag, o, n) = op.as_tag_tuple();
        let tag_a = match tag {
            DiffTag::Equal => ChangeTag::Equal,
            _ => ChangeTag::Delete,
        };
        if tag != DiffTag::Insert {
            out.extend(a[o].iter().map(|w| (tag_a, *w)));
        }
        if matches!(tag, DiffTag::Insert | DiffTag::Replace) {
            out.extend(b[n].iter().map(|w| (ChangeTag::Insert, *w)));
        }
    }
    out
}

/// Below this similarity two expectations are different expectations.
const REWORD_THRESHOLD: f32 = 0.3;

/// An expectation's text as classification compares it, folded once
/// ([`fold_level`]) for every comparison it takes part in. The default is
/// a text not folded (a placeholder for one that is not compared).
#[derive(Debug, Clone, Default)]
pub struct Folded {
    /// The text folded by [`fold`]: exact repeats are found by it.
    text: String,
    /// The hash of `text` (exact repeats are looked up by it).
    key: u64,
    /// The words in order, stop words left out, each as the hash of its
    /// stem ([`crate::search::stem`]), so that `incident` and `incidents`
    /// are one word.
    tokens: Vec<u64>,
    /// `tokens`, sorted (for a cheap bound on similarity).
    words: Vec<u64>,
}

impl Folded {
    /// `text` folded for matching. Stop words ([`crate::search::is_stop`])
    /// are left out: what two expectations share is their meaning, not
    /// their `the` and `and`.
    pub fn new(text: &str) -> Folded {
        let (text, spans) = fold_words(text);
        let tokens = stem_ids(&text, &spans);
        let mut words = tokens.clone();
        words.sort_unstable();
        use std::hash::BuildHasher;
        Folded {
            key: rustc_hash::FxBuildHasher.hash_one(text.as_str()),
            text,
            tokens,
            words,
        }
    }

    /// Tokens the word diff sees.
    fn tokens(&self) -> usize {
        self.tokens.len()
    }
}

/// [`fold`], with where each word of the folded text starts and ends and
/// its [`word_hash`] (ASCII text in one pass).
fn fold_words(s: &str) -> (String, Vec<(usize, usize, u64)>) {
    if !s.is_ascii() {
        let text = fold(s);
        let spans = text
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(|w| {
                let a = w.as_ptr() as usize - text.as_ptr() as usize;
                (a, a + w.len(), w.bytes().fold(0, word_hash))
            })
            .collect();
        return (text, spans);
    }
    // Each ASCII byte lowercased if alphanumeric, else 0.
    const FOLDED: [u8; 128] = {
        let mut t = [0u8; 128];
        let mut b = 0;
        while b < 128 {
            if (b as u8).is_ascii_alphanumeric() {
                t[b] = (b as u8).to_ascii_lowercase();
            }
            b += 1;
        }
        t
    };
    let mut out = Vec::with_capacity(s.len());
    let mut spans = Vec::with_capacity(s.len() / 4);
    // Where the word being read starts in `out`, and its hash so far.
    let (mut word, mut h): (Option<usize>, u64) = (None, 0);
    for &b in s.as_bytes() {
        let c = FOLDED[usize::from(b & 0x7F)];
        if c != 0 {
            if word.is_none() {
                // A word after another: one space between.
                if !out.is_empty() {
                    out.push(b' ');
                }
                (word, h) = (Some(out.len()), 0);
            }
            out.push(c);
            h = word_hash(h, c);
        } else if let Some(a) = word.take() {
            spans.push((a, out.len(), h));
        }
    }
    if let Some(a) = word {
        spans.push((a, out.len(), h));
    }
    (String::from_utf8(out).unwrap_or_default(), spans)
}

/// A folded word's hash (for [`stem_ids`]' memo), `h` the hash of the
/// bytes before `b`, 0 before the first.
fn word_hash(h: u64, b: u8) -> u64 {
    (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
}

/// The id for matching of each word of `text` (its words at `spans`, from
/// [`fold_words`]) that is not a stop word ([`crate::search::is_stop`]):
/// the hash of its stem (SipHash with fixed keys, 64 bits: two different
/// stems share one with odds of about one in 10^19 a pair).
/// Words are few and repeat, so each thread remembers the ids of the
/// words it has met (up to [`STEMS_KEPT`], then starts afresh), by their
/// [`word_hash`] (a word met with the hash of another is not kept).
fn stem_ids(text: &str, spans: &[(usize, usize, u64)]) -> Vec<u64> {
    type Memo = FxHashMap<u64, (Box<str>, Option<u64>)>;
    thread_local! {
        static IDS: std::cell::RefCell<Memo> = Default::default();
    }
    fn id_of(word: &str) -> Option<u64> {
        use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
        (!crate::search::is_stop(word)).then(|| {
            BuildHasherDefault::<DefaultHasher>::default().hash_one(crate::search::stem(word))
        })
    }
    IDS.with_borrow_mut(|ids| {
        let mut out = Vec::with_capacity(spans.len());
        for &(a, b, h) in spans {
            let word = &text[a..b];
            let id = match ids.get(&h) {
                Some((w, id)) if **w == *word => *id,
                Some(_) => id_of(word),
                None => {
                    if ids.len() >= STEMS_KEPT {
                        ids.clear();
                    }
                    let id = id_of(word);
                    ids.insert(h, (word.into(), id));
                    id
                }
            };
            out.extend(id);
        }
        out
    })
}

/// How many word ids [`stem_ids`] keeps per thread.
const STEMS_KEPT: usize = 50_000;

/// Each expectation of a level folded for matching ([`Folded`]).
pub fn fold_level(expectations: &[Expectation]) -> Vec<Folded> {
    expectations
        .iter()
        .map(|e| Folded::new(e.text.text()))
        .collect()
}

/// An upper bound of [`similarity`] from the words alone: a diff cannot
/// match more tokens than the two texts share.
fn similarity_bound(a: &Folded, b: &Folded) -> f32 {
    bound_of(shared_words(a, b), a.tokens() + b.tokens())
}

/// [`similarity_bound`] of two texts that share `shared` words and have
/// `len` tokens together.
fn bound_of(shared: usize, len: usize) -> f32 {
    if len == 0 {
        return 1.0;
    }
    2.0 * shared as f32 / len as f32
}

/// How many words `a` and `b` share, a repeated word counted as often as
/// it is in both.
fn shared_words(a: &Folded, b: &Folded) -> usize {
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.words.len() && j < b.words.len() {
        match a.words[i].cmp(&b.words[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared
}

/// The words of a level's folded texts, for counting the words each text
/// of another level shares with every one of them at once
/// ([`WordIndex::shared`]) instead of a pair at a time: most pairs share
/// no word, and are never looked at.
struct WordIndex {
    /// Each word: the end of its postings in `postings`, and how many.
    words: FxHashMap<u64, (u32, u32)>,
    /// (text, times the word is in the text), each word's together.
    postings: Vec<(u32, u32)>,
}

impl WordIndex {
    fn new(texts: &[&Folded]) -> WordIndex {
        // Texts of a level share most of their words.
        let mut words: FxHashMap<u64, (u32, u32)> =
            FxHashMap::with_capacity_and_hasher(texts.len() * 2, Default::default());
        for f in texts {
            for (w, _) in runs(&f.words) {
                words.entry(w).or_default().1 += 1;
            }
        }
        // Each word's postings after the one before's, in text order.
        let mut end = 0;
        for v in words.values_mut() {
            v.0 = end;
            end += v.1;
        }
        let mut postings = vec![(0, 0); end as usize];
        for (j, f) in texts.iter().enumerate() {
            for (w, n) in runs(&f.words) {
                if let Some(v) = words.get_mut(&w) {
                    postings[v.0 as usize] = (j as u32, n);
                    v.0 += 1;
                }
            }
        }
        WordIndex { words, postings }
    }

    /// Into `shared` (one zeroed slot per indexed text) the words `text`
    /// shares with each indexed text, as [`shared_words`] counts them;
    /// the texts sharing any are pushed to `touched`. Zero `shared` at
    /// `touched` before the next call.
    fn shared(&self, text: &Folded, shared: &mut [u32], touched: &mut Vec<usize>) {
        for (w, n) in runs(&text.words) {
            let Some(&(end, len)) = self.words.get(&w) else {
                continue;
            };
            for &(j, m) in &self.postings[(end - len) as usize..end as usize] {
                let j = j as usize;
                if shared[j] == 0 {
                    touched.push(j);
                }
                shared[j] += n.min(m);
            }
        }
    }
}

/// Each distinct word of sorted `words` with how many times it is there.
fn runs(words: &[u64]) -> impl Iterator<Item = (u64, u32)> + '_ {
    words
        .chunk_by(|a, b| a == b)
        .map(|run| (run[0], run.len() as u32))
}

/// Word similarity of two folded texts, 0.0 to 1.0 (as [`similarity`]:
/// the diff's ratio is twice its matched tokens, the longest common
/// subsequence, over all tokens).
fn folded_similarity(a: &Folded, b: &Folded) -> f32 {
    let len = a.tokens.len() + b.tokens.len();
    if len == 0 {
        return 1.0;
    }
    let (short, long) = if a.tokens.len() <= b.tokens.len() {
        (a, b)
    } else {
        (b, a)
    };
    match lcs_len_64(&short.tokens, &long.tokens) {
        Some(m) => 2.0 * m as f32 / len as f32,
        None => 2.0 * lcs_len(&short.tokens, &long.tokens) as f32 / len as f32,
    }
}

/// Length of the longest common subsequence of `a` (at most 64 tokens)
/// and `b`, bit-parallel (Allison–Dix / Hyyrö): one machine word per
/// token of `b`. `None` when `a` is longer than 64 tokens.
fn lcs_len_64(a: &[u64], b: &[u64]) -> Option<u32> {
    if a.len() > 64 {
        return None;
    }
    if a.is_empty() {
        return Some(0);
    }
    let mut v: u64 = !0;
    for &t in b {
        let mut pm: u64 = 0;
        for (i, &x) in a.iter().enumerate() {
            pm |= u64::from(x == t) << i;
        }
        let u = v & pm;
        v = v.wrapping_add(u) | (v.wrapping_sub(u));
    }
    let mask = if a.len() == 64 {
        !0
    } else {
        (1u64 << a.len()) - 1
    };
    Some((!v & mask).count_ones())
}

/// Classify each of `current` against `previous` (the level below, `None`
/// for the first level). An expectation below is matched at most once;
/// expectations in the same dimension are preferred.
pub fn classify(current: &[Expectation], previous: Option<&[Expectation]>) -> Vec<Classified> {
    let (cur, prev) = (fold_level(current), previous.map(fold_level));
    let cur_e: Vec<&Expectation> = current.iter().collect();
    let cur_f: Vec<&Folded> = cur.iter().collect();
    let prev_e: Option<Vec<&Expectation>> = previous.map(|p| p.iter().collect());
    let prev_f: Option<Vec<&Folded>> = prev.as_ref().map(|p| p.iter().collect());
    classify_folded(
        (&cur_e, &cur_f),
        prev_e.as_deref().zip(prev_f.as_deref()),
        &|j, i| {
            word_diff_html(
                prev_e.as_ref().unwrap()[j].text.text(),
                current[i].text.text(),
            )
            .into()
        },
    )
}

/// What [`match_folded`] matched an expectation to: an index into the
/// expectations below it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// There is no level below.
    First,
    /// Nothing below matched.
    New,
    /// The same folded text as this one below.
    Same(u32),
    /// A rewording of this one below.
    Reworded(u32),
}

impl Match {
    /// The index below matched, if any.
    pub fn below(self) -> Option<usize> {
        match self {
            Match::Same(j) | Match::Reworded(j) => Some(j as usize),
            Match::First | Match::New => None,
        }
    }
}

/// [`classify`] of expectations picked from levels, their texts already
/// folded ([`fold_level`]): each slice of expectations comes with its
/// folded texts. `diff(j, i)` makes the word diff of a rewording of
/// `previous[j]` as `current[i]`, for a caller that already has some.
pub fn classify_folded(
    (current, cur): (&[&Expectation], &[&Folded]),
    previous: Option<(&[&Expectation], &[&Folded])>,
    diff: &dyn Fn(usize, usize) -> std::sync::Arc<str>,
) -> Vec<Classified> {
    let matches = match_folded((current, cur), previous);
    classified(&matches, previous.map(|p| p.0), diff)
}

/// The classes of [`match_folded`]'s matches (`previous`: the expectations
/// below it matched against; `diff` as for [`classify_folded`]).
pub fn classified(
    matches: &[Match],
    previous: Option<&[&Expectation]>,
    diff: &dyn Fn(usize, usize) -> std::sync::Arc<str>,
) -> Vec<Classified> {
    let id = |j: u32| -> Option<String> { previous.map(|p| String::from(&*p[j as usize].id)) };
    matches
        .iter()
        .enumerate()
        .map(|(i, &m)| match m {
            Match::First => Classified {
                change: Change::First,
                diff_html: None,
                previous_id: None,
            },
            Match::New => Classified {
                change: Change::New,
                diff_html: None,
                previous_id: None,
            },
            Match::Same(j) => Classified {
                change: Change::Unchanged,
                diff_html: None,
                previous_id: id(j),
            },
            Match::Reworded(j) => Classified {
                change: Change::Reworded,
                diff_html: Some(diff(j as usize, i)),
                previous_id: id(j),
            },
        })
        .collect()
}

/// Matches each of `current` to one of `previous` ([`classify_folded`]'s
/// classes, without the word diffs and ids).
///
/// Exact repeats are found by the hash of their folded text; for the
/// rest, a word-overlap bound picks the candidates below, highest first,
/// and a word diff runs only while a candidate could still beat the best
/// one found, so the result is the same as diffing every pair.
pub fn match_folded(
    (current, cur): (&[&Expectation], &[&Folded]),
    previous: Option<(&[&Expectation], &[&Folded])>,
) -> Vec<Match> {
    let Some((previous, prev)) = previous else {
        return vec![Match::First; current.len()];
    };
    let mut used = vec![false; previous.len()];
    let mut out = vec![Match::New; current.len()];
    // Exact repeats first, so a rewording never steals an unchanged match.
    // The texts below by the hash of their folded text, then in order.
    let mut by_key: Vec<(u64, u32)> = prev
        .iter()
        .enumerate()
        .map(|(j, f)| (f.key, j as u32))
        .collect();
    by_key.sort_unstable();
    for (i, e) in current.iter().enumerate() {
        let key = cur[i].key;
        let from = by_key.partition_point(|x| x.0 < key);
        // The first unused one with the same text in the same dimension,
        // else the first unused one with the same text.
        let (mut any, mut pick) = (None, None);
        for &(_, j) in by_key[from..].iter().take_while(|x| x.0 == key) {
            let j = j as usize;
            if used[j] || prev[j].text != cur[i].text {
                continue;
            }
            if previous[j].dimension == e.dimension {
                pick = Some(j);
                break;
            }
            any = any.or(Some(j));
        }
        if let Some(j) = pick.or(any) {
            used[j] = true;
            out[i] = Match::Same(j as u32);
        }
    }
    let mut candidates: Vec<(usize, f32)> = Vec::with_capacity(previous.len());
    let index = WordIndex::new(prev);
    let (mut shared, mut touched) = (vec![0u32; previous.len()], Vec::new());
    for (i, e) in current.iter().enumerate() {
        if out[i] != Match::New {
            continue;
        }
        let penalty = |j: usize| {
            if previous[j].dimension != e.dimension {
                0.1
            } else {
                0.0
            }
        };
        candidates.clear();
        if cur[i].tokens() == 0 {
            // Only texts with no words either can match it (bound 1.0).
            candidates.extend(
                (0..previous.len())
                    .filter(|&j| !used[j])
                    .map(|j| (j, similarity_bound(prev[j], cur[i]) - penalty(j)))
                    .filter(|&(_, bound)| bound >= REWORD_THRESHOLD),
            );
        } else {
            // A text below sharing no word has bound 0.
            index.shared(cur[i], &mut shared, &mut touched);
            for &j in &touched {
                let bound = bound_of(shared[j] as usize, cur[i].tokens() + prev[j].tokens());
                if !used[j] && bound - penalty(j) >= REWORD_THRESHOLD {
                    candidates.push((j, bound - penalty(j)));
                }
                shared[j] = 0;
            }
            touched.clear();
        }
        let mut best: Option<(usize, f32)> = None;
        let mut next = Highest::new(&mut candidates);
        while let Some((j, bound)) = next.next() {
            if let Some((bj, bs)) = best {
                if bound < bs || (bound == bs && j < bj) {
                    break;
                }
            }
            let s = folded_similarity(prev[j], cur[i]) - penalty(j);
            if s < REWORD_THRESHOLD {
                continue;
            }
            match best {
                Some((bj, bs)) if s < bs || (s == bs && j < bj) => {}
                _ => best = Some((j, s)),
            }
        }
        if let Some((j, _)) = best {
            used[j] = true;
            out[i] = Match::Reworded(j as u32);
        }
    }
    out
}

/// The candidates `(index, bound)` highest bound first, among equal
/// bounds the later one first (as the best score keeps the last of
/// equals). The search mostly stops after a candidate or two, so the
/// first few are picked by a scan; only a search that goes on sorts.
struct Highest<'a> {
    candidates: &'a mut Vec<(usize, f32)>,
    picked: usize,
}

/// How many candidates [`Highest`] picks by a scan before it sorts.
const PICKED_BY_SCAN: usize = 8;

impl<'a> Highest<'a> {
    fn new(candidates: &'a mut Vec<(usize, f32)>) -> Highest<'a> {
        Highest {
            candidates,
            picked: 0,
        }
    }

    fn next(&mut self) -> Option<(usize, f32)> {
        let order = |a: &(usize, f32), b: &(usize, f32)| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0));
        self.picked += 1;
        if self.picked <= PICKED_BY_SCAN {
            let k = (0..self.candidates.len()).reduce(|a, b| {
                match order(&self.candidates[b], &self.candidates[a]) {
                    std::cmp::Ordering::Greater => b,
                    _ => a,
                }
            })?;
            return Some(self.candidates.swap_remove(k));
        }
        if self.picked == PICKED_BY_SCAN + 1 {
            // Lowest first: the highest is popped off the end.
            self.candidates.sort_unstable_by(order);
        }
        self.candidates.pop()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small seeded random number source for randomised tests: each call
    /// gives a number below `n` (a linear congruential generator).
    pub(crate) fn rng(seed: u64) -> impl FnMut(usize) -> usize {
        let mut seed = seed;
        move |n| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % n
        }
    }
    use crate::ladder::model::Rich;

    fn e(id: &str, dim: Option<&str>, text: &str) -> Expectation {
        Expectation {
            id: id.into(),
            dimension: dim.map(crate::ladder::model::DimensionId::from),
            text: Rich::from_markdown(text),
            ..Expectation::default()
        }
    }

    #[test]
    fn new_reworded_unchanged() {
        let prev = vec![
            e(
                "p1",
                None,
                "You write clear design documents for your own features.",
            ),
            e("p2", None, "Reviews code from teammates."),
            e("p3", None, "Knows the on-call runbook."),
        ];
        let cur = vec![
            e("c1", None, "You have established a track record of writing clear design documents for your own features."),
            e("c2", None, "Reviews code from teammates."),
            e("c3", None, "Leads the quarterly planning of a whole team."),
        ];
        let c = classify(&cur, Some(&prev));
        assert_eq!(c[0].change, Change::Reworded);
        assert_eq!(c[0].previous_id.as_deref(), Some("p1"));
        let d = c[0].diff_html.as_deref().unwrap();
        assert!(d.contains("<del>write</del>"), "{d}");
        assert!(
            d.contains("<ins>have established a track record of writing</ins>"),
            "{d}"
        );
        assert_eq!(c[1].change, Change::Unchanged);
        assert_eq!(c[2].change, Change::New);
    }

    /// The dynamic-programming LCS (texts over 64 words) agrees with the
    /// bit-parallel one, and long texts are measured the same way.
    #[test]
    fn long_texts_use_the_same_measure() {
        let mut r = rng(7);
        for _ in 0..300 {
            let a: Vec<u64> = (0..r(40)).map(|_| r(6) as u64).collect();
            let b: Vec<u64> = (0..r(40)).map(|_| r(6) as u64).collect();
            assert_eq!(Some(lcs_len(&a, &b)), lcs_len_64(&a, &b), "{a:?} {b:?}");
        }
        let long = |w: &str| vec![w; 80].join(" ");
        assert_eq!(similarity(&long("ships"), &long("ships")), 1.0);
        let half = format!("{} {}", long("ships"), long("mentors"));
        assert!((similarity(&long("ships"), &half) - 2.0 * 80.0 / 240.0).abs() < 1e-6);
    }

    #[test]
    fn unrelated_sentences_are_not_rewordings() {
        // Alike only in their small words and their length.
        let prev = vec![e(
            "a",
            Some("tech"),
            "Designs database schemas and API contracts that others can extend",
        )];
        let cur = vec![e(
            "b",
            Some("tech"),
            "Mentors senior engineers and sponsors their growth into larger scope",
        )];
        assert!(similarity(prev[0].text.text(), cur[0].text.text()) < 0.2);
        assert_eq!(classify(&cur, Some(&prev))[0].change, Change::New);
        // The same expectation grown: its words kept in order, a plural
        // the same word.
        let cur = vec![e(
            "b",
            Some("tech"),
            "Sets technical direction across several service areas and resolves design disagreements",
        )];
        let prev = vec![e(
            "a",
            Some("tech"),
            "Sets technical direction for a service area and writes the design documents",
        )];
        let c = classify(&cur, Some(&prev));
        assert_eq!(c[0].change, Change::Reworded);
        assert_eq!(c[0].previous_id.as_deref(), Some("a"));
    }

    #[test]
    fn first_level_and_case_insensitive_repeats() {
        let cur = vec![e("a", None, "Ships things.")];
        assert_eq!(classify(&cur, None)[0].change, Change::First);
        let prev = vec![e("b", None, "ships things")];
        assert_eq!(classify(&cur, Some(&prev))[0].change, Change::Unchanged);
    }

    #[test]
    fn a_previous_expectation_matches_once() {
        let prev = vec![e("p", None, "Owns the deploy pipeline.")];
        let cur = vec![
            e("a", None, "Owns the deploy pipeline."),
            e("b", None, "Owns the deploy pipeline for the team."),
        ];
        let c = classify(&cur, Some(&prev));
        assert_eq!(c[0].change, Change::Unchanged);
        assert_eq!(c[1].change, Change::New);
    }

    /// The old all-pairs search: every unmatched pair diffed, best kept.
    fn classify_all_pairs(
        current: &[Expectation],
        previous: &[Expectation],
    ) -> Vec<Option<String>> {
        let mut used = vec![false; previous.len()];
        let mut out = vec![None; current.len()];
        for (i, e) in current.iter().enumerate() {
            let key = fold(e.text.text());
            if let Some(j) = (0..previous.len())
                .find(|&j| {
                    !used[j]
                        && previous[j].dimension == e.dimension
                        && fold(previous[j].text.text()) == key
                })
                .or_else(|| {
                    (0..previous.len()).find(|&j| !used[j] && fold(previous[j].text.text()) == key)
                })
            {
                used[j] = true;
                out[i] = Some(format!("same {}", previous[j].id));
            }
        }
        for (i, e) in current.iter().enumerate() {
            if out[i].is_some() {
                continue;
            }
            let best = (0..previous.len())
                .filter(|&j| !used[j])
                .map(|j| {
                    let mut s = similarity(previous[j].text.text(), e.text.text());
                    if previous[j].dimension != e.dimension {
                        s -= 0.1;
                    }
                    (j, s)
                })
                .filter(|&(_, s)| s >= REWORD_THRESHOLD)
                .max_by(|a, b| a.1.total_cmp(&b.1));
            out[i] = Some(match best {
                Some((j, _)) => {
                    used[j] = true;
                    format!("reworded {}", previous[j].id)
                }
                None => "new".into(),
            });
        }
        out
    }

    #[test]
    fn pruned_search_matches_all_pairs() {
        let words = [
            "owns", "the", "deploy", "pipeline", "team", "reviews", "code", "Leads", "planning",
            "of", "a", "design",
        ];
        let mut next = rng(7);
        for round in 0..200 {
            let level = |tag: &str, next: &mut dyn FnMut(usize) -> usize| -> Vec<Expectation> {
                (0..1 + next(8))
                    .map(|k| {
                        let text: Vec<&str> = (0..next(if k % 3 == 0 { 40 } else { 7 }))
                            .map(|_| words[next(words.len())])
                            .collect();
                        let dim = ["a", "b"][next(2)];
                        e(&format!("{tag}{k}"), Some(dim), &text.join(" "))
                    })
                    .collect()
            };
            let prev = level("p", &mut next);
            assert_matches_all_pairs(&level("c", &mut next), &prev, round);
        }
    }

    /// [`classify`] of `cur` against `prev` is [`classify_all_pairs`]'s.
    fn assert_matches_all_pairs(cur: &[Expectation], prev: &[Expectation], round: usize) {
        let got: Vec<Option<String>> = classify(cur, Some(prev))
            .iter()
            .map(|c| {
                let below = || c.previous_id.as_deref().unwrap();
                Some(match c.change {
                    Change::Unchanged => format!("same {}", below()),
                    Change::Reworded => format!("reworded {}", below()),
                    _ => "new".into(),
                })
            })
            .collect();
        assert_eq!(got, classify_all_pairs(cur, prev), "round {round}");
    }

    /// Levels of many expectations of few words, with exact repeats: many
    /// candidates with equal bounds and scores, so that the search picks
    /// past [`PICKED_BY_SCAN`] and sorts the rest.
    #[test]
    fn pruned_search_matches_all_pairs_on_large_levels() {
        let words = ["owns", "deploy", "pipeline", "team", "code", "the"];
        let mut next = rng(13);
        for round in 0..60 {
            let level = |tag: &str, next: &mut dyn FnMut(usize) -> usize| -> Vec<Expectation> {
                (0..10 + next(40))
                    .map(|k| {
                        let text: Vec<&str> = (0..1 + next(if k % 4 == 0 { 12 } else { 4 }))
                            .map(|_| words[next(words.len())])
                            .collect();
                        let dim = ["a", "b", "c"][next(3)];
                        e(&format!("{tag}{k}"), Some(dim), &text.join(" "))
                    })
                    .collect()
            };
            let prev = level("p", &mut next);
            assert_matches_all_pairs(&level("c", &mut next), &prev, round);
        }
    }

    /// [`Highest`] gives the candidates in the order of sorting them all,
    /// picked by a scan or sorted.
    #[test]
    fn highest_is_the_sorted_order() {
        let mut next = rng(17);
        for round in 0..300 {
            let candidates: Vec<(usize, f32)> = (0..next(30))
                .map(|j| (j, [0.3, 0.5, 0.55, 0.8, 1.0][next(5)]))
                .collect();
            let mut sorted = candidates.clone();
            sorted.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.cmp(&a.0)));
            let mut left = candidates.clone();
            let mut it = Highest::new(&mut left);
            let got: Vec<(usize, f32)> = std::iter::from_fn(|| it.next()).collect();
            assert_eq!(got, sorted, "round {round}");
        }
    }

    #[test]
    fn word_index_counts_shared_words_as_the_pairwise_merge() {
        let words = [
            "deploy", "pipeline", "team", "code", "review", "the", "plan",
        ];
        let mut next = rng(11);
        for round in 0..100 {
            let texts: Vec<Folded> = (0..1 + next(9))
                .map(|_| {
                    let t: Vec<&str> = (0..next(9)).map(|_| words[next(words.len())]).collect();
                    Folded::new(&t.join(" "))
                })
                .collect();
            assert_index_counts_as_merge(&texts, round);
        }
    }

    /// [`WordIndex::shared`] over `texts` counts what [`shared_words`]
    /// counts of each pair.
    fn assert_index_counts_as_merge(texts: &[Folded], round: usize) {
        let refs: Vec<&Folded> = texts.iter().collect();
        let index = WordIndex::new(&refs);
        let (mut shared, mut touched) = (vec![0u32; refs.len()], Vec::new());
        for a in texts {
            index.shared(a, &mut shared, &mut touched);
            for (j, b) in refs.iter().enumerate() {
                assert_eq!(shared[j] as usize, shared_words(a, b), "round {round}");
                assert_eq!(touched.contains(&j), shared[j] > 0, "round {round}");
            }
            touched.iter().for_each(|&j| shared[j] = 0);
            touched.clear();
        }
    }

    /// The index counts as the pairwise merge when it holds many words (its
    /// table grows) and when word ids differ only in their low bits.
    #[test]
    fn word_index_of_many_words_counts_as_the_pairwise_merge() {
        let mut next = rng(19);
        for round in 0..100 {
            let vocabulary = 1 + next(300);
            let texts: Vec<Folded> = (0..1 + next(30))
                .map(|_| {
                    let t: Vec<String> = (0..next(20))
                        .map(|_| format!("w{}", next(vocabulary)))
                        .collect();
                    let mut f = Folded::new(&t.join(" "));
                    if round % 2 == 0 {
                        // Ids alike but for their low bits.
                        f.words.iter_mut().for_each(|w| *w &= 0xFF);
                        f.words.sort_unstable();
                    }
                    f
                })
                .collect();
            assert_index_counts_as_merge(&texts, round);
        }
    }

    /// On random pairs, the word diff keeps the old words in order
    /// (kept and removed), the new ones in order (kept and added), and as
    /// many kept words as the longest common subsequence: a smallest diff.
    #[test]
    fn word_diff_is_a_smallest_diff_on_random_pairs() {
        // Few distinct words, odd spacing, markup and non-ASCII, so that
        // pairs share much and the alignment has many equal choices.
        let words = [
            "owns",
            "the",
            "deploy",
            "the",
            "a",
            "a",
            "pipeline",
            "<b>",
            "&",
            "Ünïcode",
            "team,",
            "team",
            "x",
            "of",
            "é",
            "'q'",
            "a\u{a0}b",
        ];
        let spaces = [" ", "  ", "\t", "\n", "\u{2003}", "\u{b}", "\u{85}"];
        let mut next = rng(11);
        for round in 0..3000 {
            let len = if round % 10 == 0 { 150 } else { 25 };
            let text = |next: &mut dyn FnMut(usize) -> usize| -> String {
                let n = next(len);
                let mut s = String::new();
                for k in 0..n {
                    if k > 0 {
                        s.push_str(spaces[next(spaces.len())]);
                    }
                    s.push_str(words[next(words.len())]);
                }
                s
            };
            let old = text(&mut next);
            let new = if next(3) == 0 {
                // A rewording of the old text: some words changed.
                old.split(' ')
                    .map(|w| {
                        if next(4) == 0 {
                            words[next(words.len())]
                        } else {
                            w
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            } else {
                text(&mut next)
            };
            let d = word_diff(&old, &new);
            let side = |keep: ChangeTag| -> Vec<&str> {
                d.iter()
                    .filter(|(t, _)| *t == ChangeTag::Equal || *t == keep)
                    .map(|(_, w)| *w)
                    .collect()
            };
            let (a, b): (Vec<&str>, Vec<&str>) = (
                old.split_whitespace().collect(),
                new.split_whitespace().collect(),
            );
            assert_eq!(side(ChangeTag::Delete), a, "round {round}");
            assert_eq!(side(ChangeTag::Insert), b, "round {round}");
            let mut ids = FxHashMap::default();
            let ai: Vec<u32> = a.iter().map(|w| intern(&mut ids, w)).collect();
            let bi: Vec<u32> = b.iter().map(|w| intern(&mut ids, w)).collect();
            let kept = d.iter().filter(|(t, _)| *t == ChangeTag::Equal).count();
            assert_eq!(kept as u32, lcs_len(&ai, &bi), "round {round}");
            // The HTML reads as the new text without its `<del>`s, and
            // as the old one without its `<ins>`s.
            let html = word_diff_html(&old, &new);
            let without = |tag: &str| -> String {
                let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
                let mut s = html.clone();
                while let Some(i) = s.find(&open) {
                    let j = s[i..].find(&close).expect("closed") + i;
                    s.replace_range(i..j + close.len(), " ");
                }
                s.replace("<del>", "")
                    .replace("</del>", "")
                    .replace("<ins>", "")
                    .replace("</ins>", "")
            };
            let escaped = |t: &str| -> Vec<String> {
                t.split_whitespace()
                    .map(crate::render::highlight::escape_html)
                    .collect()
            };
            let words_of =
                |h: String| -> Vec<String> { h.split_whitespace().map(str::to_string).collect() };
            assert_eq!(words_of(without("del")), escaped(&new), "round {round}");
            assert_eq!(words_of(without("ins")), escaped(&old), "round {round}");
        }
    }

    /// Folding a text with its word spans gives [`fold`]'s text, and its
    /// words as split at spaces, on random ASCII and other texts.
    #[test]
    fn fold_words_is_fold_split_at_spaces() {
        let alphabet: Vec<char> = "aZ9 ,.-_\t\n\u{b}<>&'Éé\u{a0}ß\u{130}".chars().collect();
        let mut next = rng(29);
        for round in 0..3000 {
            let len = next(30);
            let mut s: String = (0..len).map(|_| alphabet[next(alphabet.len())]).collect();
            if round % 2 == 0 {
                s.retain(|c| c.is_ascii());
            }
            let (text, spans) = fold_words(&s);
            assert_eq!(text, fold(&s), "{s:?}");
            let words: Vec<&str> = spans.iter().map(|&(a, b, _)| &text[a..b]).collect();
            let want: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
            assert_eq!(words, want, "{s:?}");
            for &(a, b, h) in &spans {
                assert_eq!(h, text[a..b].bytes().fold(0, word_hash), "{s:?}");
            }
        }
    }

    /// The ids of a text's words, remembered or not, are those of their
    /// stems, stop words left out; a word met with another's hash gets
    /// its own id.
    #[test]
    fn stem_ids_are_the_hashes_of_stems() {
        use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
        let id = |w: &str| {
            BuildHasherDefault::<DefaultHasher>::default().hash_one(crate::search::stem(w))
        };
        let words = [
            "incidents",
            "incident",
            "the",
            "of",
            "owns",
            "Deploys",
            "deploy",
            "a1",
        ];
        let mut next = rng(31);
        for round in 0..200 {
            let t: Vec<&str> = (0..next(12)).map(|_| words[next(words.len())]).collect();
            let text = fold(&t.join(" "));
            let mut spans = fold_words(&text).1;
            if round % 3 == 0 {
                // Every word with one hash.
                spans.iter_mut().for_each(|s| s.2 = 7);
            }
            let want: Vec<u64> = text
                .split(' ')
                .filter(|w| !w.is_empty() && !crate::search::is_stop(w))
                .map(id)
                .collect();
            assert_eq!(stem_ids(&text, &spans), want, "round {round}");
        }
    }

    #[test]
    fn removed_words_keep_the_space_between_them() {
        // Two removed words in a row read as two words, not one.
        assert_eq!(
            word_diff_html("mentors others on runbooks", "documents runbooks"),
            "<del>mentors others on</del><ins>documents</ins> runbooks"
        );
        assert_eq!(word_diff_html("a b c", "a c"), "a <del>b</del> c");
        // Words changed one for one read as one change, not a word each.
        assert_eq!(
            word_diff_html(
                "Ships small, clearly defined changes to one service",
                "Ships features within one service"
            ),
            "Ships <del>small, clearly defined changes to</del><ins>features within</ins> one service"
        );
    }

    #[test]
    fn diff_escapes_html() {
        assert!(word_diff_html("a <b>", "a <i>").contains("&lt;i&gt;"));
    }
}
