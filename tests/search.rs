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

fn index_of(path: &Path) -> SearchIndex {
    let opts = rungs::BuildOptions {
        path: path.to_path_buf(),
        ..Default::default()
    };
    let rungs::Loaded {
        layout,
        docs,
        assets,
        mut diags,
    } = rungs::load(&opts).unwrap();
    let (hb, views) = rungs::ladder::recognise_all(&docs, &mut diags);
    let site = rungs::site::plan(&layout, &docs, &assets, &hb, &views, &mut diags);
    rungs::search_index(&hb, &docs, &site)
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
    let ix = index_of(seeds);
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
    let ix = index_of(seeds);
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
    let ix = index_of(seeds);
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
    assert!(ix.docs.iter().any(|d| d.kind == Kind::Heading));
}

#[test]
fn terms_are_stemmed_and_rank_own_words_highest() {
    let Some(seeds) = seeds_dir() else { return };
    let ix = index_of(seeds);
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
    let ix = index_of(src);
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
