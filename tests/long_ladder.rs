//! A track with many levels: the pages that gather every level (the track
//! matrix, each dimension, the comparison index, the home page's glance)
//! stay bounded, showing levels a window at a time, and every level is
//! still reached from them by relative links that resolve. And a handbook
//! of many tracks: what every page or every level page lists of them (the
//! header's sections, the same level in other tracks) stays bounded too.

mod common;
use common::*;
use std::collections::BTreeSet;
use std::path::Path;

/// A handbook of one track with `levels` levels, three dimensions each.
fn handbook(levels: u32) -> tempfile::TempDir {
    let mut files = vec![(
        "content/backend/_index.md".to_string(),
        "---\ntitle: \"Backend\"\n---\n\nThe backend track.\n".to_string(),
    )];
    for n in 1..=levels {
        let mut body =
            format!("---\ntitle: \"Backend: Level {n}\"\ntrack: \"backend\"\nlevel: {n}\n---\n");
        for (d, dim) in ["Delivery", "Collaboration", "Ownership"]
            .iter()
            .enumerate()
        {
            body.push_str(&format!("\n## {dim}\n\n"));
            for k in 0..3 {
                // Some expectations carry over, some are reworded, some new.
                let v = if k == 0 { 0 } else { n / (k + 1) };
                body.push_str(&format!(
                    "- Expectation {d}.{k} at stage {v}: ships work of scope {v} with care.\n"
                ));
            }
        }
        files.push((format!("content/backend/level-{n:03}.md"), body));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    site(&refs)
}

fn built(levels: u32) -> (tempfile::TempDir, tempfile::TempDir) {
    let src = handbook(levels);
    let out = tempfile::tempdir().unwrap();
    build(src.path(), out.path());
    (src, out)
}

/// `href` on the page at `from` (relative to the site root), resolved to a
/// site-relative path without its fragment.
fn resolve(from: &str, href: &str) -> String {
    let href = href.split('#').next().unwrap();
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            ".." => {
                parts.pop().expect("link climbs above the site root");
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Site-relative targets of the links matching `css` on page `rel`, each
/// checked to exist.
fn links(out: &Path, rel: &str, css: &str) -> Vec<String> {
    let doc = page(out, rel);
    let sel = scraper::Selector::parse(css).unwrap();
    doc.select(&sel)
        .map(|a| {
            let target = resolve(rel, a.value().attr("href").unwrap());
            assert!(out.join(&target).is_file(), "{rel}: {target} is missing");
            target
        })
        .collect()
}

/// Level numbers of the level pages linked from `rel`.
fn levels_linked(out: &Path, rel: &str) -> BTreeSet<u32> {
    links(out, rel, "main a[href]")
        .iter()
        .filter_map(|t| {
            t.strip_prefix("tracks/backend/level-")?
                .strip_suffix("/index.html")?
                .parse()
                .ok()
        })
        .collect()
}

/// Every window page of the split page at `first`, through its window
/// navigation (the first page included).
fn windows(out: &Path, first: &str) -> Vec<String> {
    let mut pages = links(out, first, "nav.level-windows a[href]");
    if pages.is_empty() {
        pages.push(first.to_string());
    }
    assert_eq!(pages[0], first, "the first window is the page itself");
    pages
}

fn size(out: &Path, rel: &str) -> usize {
    std::fs::metadata(out.join(rel)).unwrap().len() as usize
}

const DIMENSIONS: [&str; 3] = ["delivery", "collaboration", "ownership"];

#[test]
fn all_level_pages_stay_bounded_and_reach_every_level() {
    let (_s1, small) = built(24);
    let (_s2, large) = built(96);
    let (small, large) = (small.path(), large.path());
    let all: BTreeSet<u32> = (1..=96).collect();

    // The matrix: windows of levels, together reaching every level page.
    let track = "tracks/backend/index.html";
    let pages = windows(large, track);
    assert_eq!(pages.len(), 8, "96 levels in windows of 12: {pages:?}");
    let mut reached = BTreeSet::new();
    for p in &pages {
        let doc = page(large, p);
        let headers = texts(&doc, "table.matrix thead th a");
        assert!(headers.len() <= 12, "{p}: {} level columns", headers.len());
        reached.extend(levels_linked(large, p));
    }
    assert_eq!(reached, all, "the matrix windows reach every level");
    let window_max = |out: &Path, first: &str| {
        windows(out, first)
            .iter()
            .map(|p| size(out, p))
            .max()
            .unwrap()
    };
    // Four times the levels: a window page grows by a few navigation links
    // at most, not by the levels' text.
    let grows = |what: &str, small_size: usize, large_size: usize, slack: usize| {
        assert!(
            large_size <= small_size + slack,
            "{what}: {small_size} bytes at 24 levels, {large_size} at 96"
        );
    };
    grows(
        "matrix",
        window_max(small, track),
        window_max(large, track),
        4_000,
    );

    // Each dimension: windows too, each level reached with its expectations.
    for d in DIMENSIONS {
        let first = format!("tracks/backend/dimensions/{d}/index.html");
        let pages = windows(large, &first);
        let mut reached = BTreeSet::new();
        for p in &pages {
            let doc = page(large, p);
            let sections = texts(&doc, "section.dimension-level");
            assert!(sections.len() <= 12, "{p}: {} levels", sections.len());
            reached.extend(levels_linked(large, p));
        }
        assert_eq!(reached, all, "{d}: the windows reach every level");
        grows(
            d,
            window_max(small, &first),
            window_max(large, &first),
            4_000,
        );
    }

    // The comparison index lists each neighbouring pair, every one a page.
    let compare = "tracks/backend/compare/index.html";
    let pairs = links(large, compare, "nav.pair-links a[href]");
    let expected: Vec<String> = (1..96)
        .map(|n| format!("tracks/backend/compare/{n}-{}/index.html", n + 1))
        .collect();
    assert_eq!(pairs, expected);
    assert!(
        texts(&page(large, compare), "table.compare-table").is_empty(),
        "no table of every level past 12 levels"
    );
    // Each comparison links to its nearest neighbours, not to all 95.
    let near = links(
        large,
        "tracks/backend/compare/50-51/index.html",
        "nav.pair-links a[href]",
    );
    assert_eq!(near.len(), 12, "{near:?}");
    assert!(near.contains(&"tracks/backend/compare/50-51/index.html".to_string()));
    let short = links(
        small,
        "tracks/backend/compare/1-2/index.html",
        "nav.pair-links a[href]",
    );
    assert_eq!(short.len(), 12, "{short:?}");
    // A link per pair, not the text of every level.
    grows(
        "compare",
        size(small, compare),
        size(large, compare),
        72 * 300,
    );

    // Home: the glance shows 12 levels and leads on to level 13.
    let home = page(large, "index.html");
    assert_eq!(texts(&home, ".glance-table tbody tr").len(), 12);
    let more = links(large, "index.html", ".glance-more a[href]");
    assert_eq!(more, vec!["levels/13/index.html".to_string()]);
    // (The home page's list of every document is another matter: it lists
    // pages, not levels.)
    let glance = |out: &Path| {
        let sel = scraper::Selector::parse("section.glance").unwrap();
        let doc = page(out, "index.html");
        let html = doc.select(&sel).next().expect("the glance").html();
        html.len()
    };
    grows("home glance", glance(small), glance(large), 20);

    assert_eq!(broken_links(large), Vec::<String>::new());
}

#[test]
fn a_short_track_keeps_every_level_on_one_page() {
    let (_s, out) = built(12);
    let out = out.path();
    let track = "tracks/backend/index.html";
    assert!(texts(&page(out, track), "nav.level-windows").is_empty());
    let all: BTreeSet<u32> = (1..=12).collect();
    assert_eq!(levels_linked(out, track), all);
    let compare = page(out, "tracks/backend/compare/index.html");
    assert_eq!(
        texts(&compare, "table.compare-table thead th[data-level]").len(),
        12,
        "the comparison index sets every level side by side"
    );
    let dim = "tracks/backend/dimensions/delivery/index.html";
    assert!(texts(&page(out, dim), "nav.level-windows").is_empty());
    assert_eq!(levels_linked(out, dim), all);
    let home = page(out, "index.html");
    assert_eq!(texts(&home, ".glance-table tbody tr").len(), 12);
    assert!(texts(&home, ".glance-more").is_empty());
}

/// Sixteen tracks, each in a folder of its own, of three levels each.
#[test]
fn many_tracks_keep_headers_and_level_pages_bounded() {
    let mut files = vec![("rungs.yml".to_string(), "title: Many\n".to_string())];
    for k in 1..=16 {
        let mut doc = format!("# Track {k:02}\n\n");
        for n in 1..=3 {
            doc.push_str(&format!(
                "## Level {n}\n\n- Does task {n} of track {k}.\n\n"
            ));
        }
        files.push((format!("content/t{k:02}/ladder.md"), doc));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let src = site(&refs);
    let out = tempfile::tempdir().unwrap();
    build(src.path(), out.path());
    // The header: the first eleven sections, then the home page.
    let rel = "tracks/track-16/level-2/index.html";
    let nav = texts(&page(out.path(), rel), ".site-nav a");
    assert_eq!(nav.len(), 12, "{nav:?}");
    assert_eq!(nav[0], "T01");
    assert_eq!(nav[11], "All sections");
    assert_eq!(
        links(out.path(), rel, ".site-nav a").last().unwrap(),
        "index.html"
    );
    // The same level in the twelve nearest other tracks, and how many more.
    let others = texts(&page(out.path(), rel), ".other-tracks li");
    let expected: Vec<String> = (4..=15).map(|k| format!("Track {k:02}: Level 2")).collect();
    assert_eq!(others, expected);
    let notes = texts(&page(out.path(), rel), ".other-tracks .muted");
    assert_eq!(notes, ["3 more tracks have a level 2."]);
    let mid = texts(
        &page(out.path(), "tracks/track-08/level-1/index.html"),
        ".other-tracks li",
    );
    assert_eq!(mid.first().unwrap(), "Track 02: Level 1");
    assert_eq!(mid.last().unwrap(), "Track 14: Level 1");
    // Every track at that level is on the cross-track page it links.
    let cross = links(out.path(), rel, ".other-tracks p a");
    assert_eq!(cross, ["levels/2/index.html"]);
    let columns = texts(&page(out.path(), "levels/2/index.html"), ".cross-column h2");
    assert_eq!(columns.len(), 16, "{columns:?}");
    let broken = broken_links(out.path());
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}
