//! The search index: what it holds for the seeds and the example
//! handbook, and that every result URL lands on an element of a built page.

mod common;
use common::*;
use rungs::search::{Kind, SearchDoc, SearchIndex};
use std::path::Path;

fn seeds_dir() -> Option<&'static Path> {
    let p = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds"));
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("NOTE: ../shared/seeds not found; seed search tests skipped");
        None
    }
}

fn find<'a>(ix: &'a SearchIndex, kind: Kind, needle: &str) -> Vec<&'a SearchDoc> {
    ix.docs
        .iter()
        .filter(|d| d.kind == kind && d.text.contains(needle))
        .collect()
}

#[test]
fn seeds_heading_ladder_expectations() {
    let Some(seeds) = seeds_dir() else { return };
    let ix = search_index_of(seeds);
    let hits = find(&ix, Kind::Expectation, "rudimentary debugging");
    assert_eq!(hits.len(), 1, "{hits:?}");
    let d = hits[0];
    assert_eq!(d.level, Some(2));
    assert_eq!(d.track.as_deref(), Some("000-e11f60d0528265a6"));
    assert!(
        d.url
            .starts_with("tracks/000-e11f60d0528265a6/level-2/index.html#"),
        "{}",
        d.url
    );
    // Levels 2–6 hold 3, 3, 6, 6 and 4 expectations.
    for (n, count) in [(2, 3), (3, 3), (4, 6), (5, 6), (6, 4)] {
        let got = ix
            .docs
            .iter()
            .filter(|d| {
                d.kind == Kind::Expectation
                    && d.track.as_deref() == Some("000-e11f60d0528265a6")
                    && d.level == Some(n)
            })
            .count();
        assert_eq!(got, count, "level {n}");
    }
    // Level summaries are there too.
    assert!(ix
        .docs
        .iter()
        .any(|d| d.kind == Kind::Summary && d.level == Some(2)));
}

#[test]
fn seeds_matrix_anti_patterns_roles_dimensions() {
    let Some(seeds) = seeds_dir() else { return };
    let ix = search_index_of(seeds);
    let hits = find(&ix, Kind::AntiPattern, "Arrogant");
    let ic = hits
        .iter()
        .find(|d| d.track.as_deref() == Some("engineering-individual-contributors"))
        .expect("the IC track's level-5 anti-pattern");
    assert_eq!(ic.level, Some(5));
    assert!(
        ic.url
            .starts_with("tracks/engineering-individual-contributors/level-5/index.html#"),
        "{}",
        ic.url
    );
    for role in ["Principal Engineer", "Lead", "CTO"] {
        assert!(
            ix.docs
                .iter()
                .any(|d| d.kind == Kind::Role && d.text == role),
            "role {role}"
        );
    }
    let dims: Vec<_> = ix
        .docs
        .iter()
        .filter(|d| d.kind == Kind::Dimension)
        .map(|d| d.text.as_str())
        .collect();
    assert!(dims.contains(&"Independence"), "{dims:?}");
    // Matrix expectations carry their dimension.
    assert!(ix.docs.iter().any(|d| d.kind == Kind::Expectation
        && d.track.as_deref() == Some("engineering-individual-contributors")
        && d.dimension.as_deref() == Some("Independence")));
}

#[test]
fn seeds_skill_items_scale_and_headings() {
    let Some(seeds) = seeds_dir() else { return };
    let ix = search_index_of(seeds);
    for item in ["IaC reviewed", "Rollbacks verified", "Alerts tested"] {
        let d = ix
            .docs
            .iter()
            .find(|d| d.kind == Kind::Skill && d.text == item)
            .unwrap_or_else(|| panic!("checklist item {item}"));
        assert_eq!(d.level, None);
        assert!(
            d.url.starts_with("002-14bf52b41664cc32/index.html"),
            "{}",
            d.url
        );
    }
    assert!(ix
        .docs
        .iter()
        .any(|d| d.kind == Kind::Skill && d.url.ends_with("#maturity-4")));
    assert!(!find(&ix, Kind::AntiPattern, "Hardcoded secrets").is_empty());
    assert!(ix.docs.iter().any(|d| d.kind == Kind::Page));
}

#[test]
fn terms_are_stemmed_and_rank_own_words_highest() {
    let Some(seeds) = seeds_dir() else { return };
    let ix = search_index_of(seeds);
    let terms = ix.terms();
    let debug = &terms["debug"];
    let target = ix
        .docs
        .iter()
        .position(|d| d.kind == Kind::Expectation && d.text.contains("rudimentary debugging"))
        .unwrap();
    let w = debug.iter().find(|(d, _)| *d == target).unwrap().1;
    assert!(debug.iter().all(|(_, x)| *x <= w));
    assert!(terms.contains_key("rudimentari"));
}

/// Every URL in the index names a built page and, with a fragment, an
/// element on it.
fn assert_urls_resolve(src: &Path) {
    let ix = search_index_of(src);
    let out = tempfile::tempdir().unwrap();
    build(src, out.path());
    for d in &ix.docs {
        let (page, frag) = d.url.split_once('#').unwrap_or((&d.url, ""));
        let html = std::fs::read_to_string(out.path().join(page))
            .unwrap_or_else(|_| panic!("{} names no page", d.url));
        if !frag.is_empty() {
            assert!(
                html.contains(&format!("id=\"{frag}\"")),
                "{}: no #{frag} on the page",
                d.url
            );
        }
    }
    let files = ix.files();
    for (rel, _) in &files {
        assert!(out.path().join(rel).is_file(), "{rel}");
    }
    assert!(out.path().join("search/index.html").is_file());
    assert!(broken_links(out.path()).is_empty());
}

#[test]
fn seed_index_urls_resolve() {
    let Some(seeds) = seeds_dir() else { return };
    assert_urls_resolve(seeds);
}

#[test]
fn example_index_urls_resolve() {
    assert_urls_resolve(&repo());
}

/// The JSON inside one index script.
fn payload(files: &[(String, String)], name: &str) -> serde_json::Value {
    let text = &files
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .1;
    let json = text
        .strip_prefix("(window.RUNGS_SEARCH=window.RUNGS_SEARCH||[]).push(")
        .and_then(|t| t.strip_suffix(");\n"))
        .unwrap_or_else(|| panic!("{name} is not a RUNGS_SEARCH script"));
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Expand `[run, value, run, value, …]`.
fn runs(v: &serde_json::Value) -> Vec<serde_json::Value> {
    let a = v.as_array().unwrap();
    a.chunks(2)
        .flat_map(|p| std::iter::repeat_n(p[1].clone(), p[0].as_u64().unwrap() as usize))
        .collect()
}

#[test]
fn seed_index_files_shard_terms_and_chunk_documents() {
    let Some(seeds) = seeds_dir() else { return };
    let ix = search_index_of(seeds);
    let files = ix.files();
    let meta = &payload(&files, "search/meta.js")["meta"];
    // Each track starts at a multiple of CHUNK: ids have gaps.
    let ids = ix.ids();
    let chunk = rungs::search::CHUNK;
    assert_eq!(meta["n"], ids[ids.len() - 1] + 1);
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    for (i, d) in ix.docs.iter().enumerate().skip(1) {
        if d.track != ix.docs[i - 1].track {
            assert_eq!(ids[i] % chunk, 0, "{:?} starts a chunk", d.track);
        } else {
            assert_eq!(ids[i], ids[i - 1] + 1);
        }
    }
    let shards: Vec<&str> = meta["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    // The seeds are small: every shard is a term's first two letters.
    assert!(
        shards.contains(&"ru") && shards.contains(&"de"),
        "{shards:?}"
    );
    assert!(shards.iter().all(|s| s.chars().count() <= 2), "{shards:?}");
    // Every term sits in the shard of its prefix, with postings as doc id
    // deltas and weights that decode to `terms()` (by id).
    let terms = ix.terms();
    let (mut seen, mut runs) = (0, 0);
    for p in &shards {
        let name = format!("search/t-{}.js", rungs::search::shard_file(p));
        let v = payload(&files, &name);
        assert_eq!(v["shard"], *p);
        for (t, flat) in v["terms"].as_object().unwrap() {
            assert!(t.starts_with(p), "{t} in shard {p}");
            // The common weight, then `gap[.weight][*count]` items.
            let flat = flat.as_str().unwrap();
            let mut items = flat.split(',');
            let common: u32 = items.next().unwrap().parse().unwrap();
            let (mut d, mut decoded) = (0usize, Vec::new());
            for item in items {
                let (head, n) = match item.split_once('*') {
                    Some((h, n)) => (h, n.parse::<usize>().unwrap()),
                    None => (item, 1),
                };
                let (gap, w) = match head.split_once('.') {
                    Some((g, w)) => (g, w.parse::<u32>().unwrap()),
                    None => (head, common),
                };
                d += gap.parse::<usize>().unwrap();
                if n > 1 {
                    runs += 1;
                }
                decoded.extend((0..n).map(|k| (d + k, w)));
                d += n - 1;
            }
            let want: Vec<(usize, u32)> = terms[t].iter().map(|&(d, w)| (ids[d], w)).collect();
            assert_eq!(decoded, want, "{t}");
            seen += 1;
        }
    }
    assert_eq!(seen, terms.len());
    // A level's title words are in each of its expectations: runs.
    assert!(runs > 0);
    // Documents: chunk n holds ids n*CHUNK…, with their URL.
    let target = ix
        .docs
        .iter()
        .position(|d| d.kind == Kind::Expectation && d.text.contains("rudimentary debugging"))
        .unwrap();
    let c = payload(&files, &format!("search/d-{}.js", ids[target] / chunk));
    let row = &c["docs"][ids[target] % chunk];
    assert_eq!(row[4], ix.docs[target].url);
    assert_eq!(row[6], 2, "level");
    let chunks = files
        .iter()
        .filter(|(n, _)| n.starts_with("search/d-"))
        .count();
    let mut numbers: Vec<usize> = ids.iter().map(|id| id / chunk).collect();
    numbers.dedup();
    assert_eq!(chunks, numbers.len());
    // Long texts are capped for display.
    for (name, _) in files.iter().filter(|(n, _)| n.starts_with("search/d-")) {
        for row in payload(&files, name)["docs"].as_array().unwrap() {
            let text = row[3].as_str().unwrap();
            assert!(text.len() <= rungs::search::TEXT_CAP + "…".len(), "{text}");
        }
    }
}

#[test]
fn seed_facets_carry_track_level_kind_and_dimension() {
    let Some(seeds) = seeds_dir() else { return };
    let ix = search_index_of(seeds);
    let files = ix.files();
    let meta = &payload(&files, "search/meta.js")["meta"];
    let f = &payload(&files, "search/facets.js")["facets"];
    let (track, level, kind, dim) = (
        runs(&f["track"]),
        runs(&f["level"]),
        runs(&f["kind"]),
        runs(&f["dim"]),
    );
    let ids = ix.ids();
    assert_eq!(track.len(), ids[ids.len() - 1] + 1);
    let dims = meta["dims"].as_array().unwrap();
    let independence = dims
        .iter()
        .position(|d| d == "Independence")
        .expect("a dimension facet");
    let tracks = meta["tracks"].as_array().unwrap();
    let ic = tracks
        .iter()
        .position(|t| t[0] == "engineering-individual-contributors")
        .unwrap();
    let i = ix
        .docs
        .iter()
        .position(|d| d.kind == Kind::Expectation && d.dimension.as_deref() == Some("Independence"))
        .unwrap();
    let id = ids[i];
    assert_eq!(dim[id], independence);
    assert_eq!(track[id], ic);
    assert_eq!(level[id], ix.docs[i].level.unwrap());
    let kinds = meta["kinds"].as_array().unwrap();
    let filters = meta["filters"].as_array().unwrap();
    let k = kind[id].as_u64().unwrap() as usize;
    assert_eq!(kinds[k], "expectation");
    assert_eq!(filters[k], "expectation");
    // Anti-patterns, skills and pages are their own kinds; summaries and
    // roles fall under "ladder".
    for (d, id) in ix.docs.iter().zip(&ids) {
        let k = kind[*id].as_u64().unwrap() as usize;
        assert_eq!(kinds[k], d.kind.name());
        assert_eq!(filters[k], d.kind.filter());
    }
    assert_eq!(Kind::Role.filter(), "ladder");
    assert_eq!(Kind::AntiPattern.filter(), "anti-pattern");
    // A document without a dimension or track has none.
    let page = ids[ix.docs.iter().position(|d| d.kind == Kind::Page).unwrap()];
    assert!(dim[page].is_null() && track[page].is_null() && level[page].is_null());
}

#[test]
fn plain_pages_are_indexed_with_their_body_text_ladder_sources_by_headings() {
    let ix = search_index_of(&repo());
    let guide: Vec<_> = ix
        .docs
        .iter()
        .filter(|d| d.kind == Kind::Page && d.title == "How to Read the Ladders")
        .collect();
    let section = guide
        .iter()
        .find(|d| d.section.as_deref() == Some("Which page answers which question"))
        .expect("the guide's section");
    assert!(!section.text.is_empty(), "body text indexed");
    assert!(
        section.url.ends_with("#which-page-answers-which-question"),
        "{}",
        section.url
    );
    // The pages of ladder sources: headings only.
    let backend: Vec<_> = ix
        .docs
        .iter()
        .filter(|d| d.kind == Kind::Page && d.title == "Backend Engineering")
        .collect();
    assert!(!backend.is_empty());
    assert!(backend
        .iter()
        .all(|d| d.text.is_empty() && d.section.is_some()));
}

#[test]
fn inserting_a_document_rewrites_only_its_own_tracks_chunks() {
    let Some(seeds) = seeds_dir() else { return };
    let ix = search_index_of(seeds);
    let first = ix.docs[0].track.clone();
    let own = ix.docs.iter().filter(|d| d.track == first).count();
    assert_ne!(
        own % rungs::search::CHUNK,
        0,
        "the insert would cross a chunk"
    );
    let mut edited = ix.clone();
    let mut doc = ix.docs[1].clone();
    doc.text = "Keeps incident timelines honest and blameless.".into();
    edited.docs.insert(1, doc);
    let chunks = |ix: &rungs::search::SearchIndex| -> std::collections::BTreeMap<String, String> {
        ix.files()
            .into_iter()
            .filter(|(n, _)| n.starts_with("search/d-"))
            .collect()
    };
    let (before, after) = (chunks(&ix), chunks(&edited));
    let changed: Vec<&String> = before
        .iter()
        .filter(|(n, text)| after.get(*n) != Some(text))
        .map(|(n, _)| n)
        .collect();
    let own_chunks = own.div_ceil(rungs::search::CHUNK);
    assert!(before.len() > own_chunks, "more than one track's chunks");
    assert!(
        changed.len() <= own_chunks,
        "{} of {} chunks changed: {changed:?}",
        changed.len(),
        before.len()
    );
}
