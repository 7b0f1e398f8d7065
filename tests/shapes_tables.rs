//! Tables as handbooks write them (original fixtures under
//! `tests/fixtures/tables-*`): levels as rows with spanned cells, summary
//! rows and levels still to be written; role-map tables; one track split
//! over several tables. Each builds into per-level pages; near misses stay
//! plain pages.

mod common;
use common::*;
use rungs::diagnostics::Diagnostics;
use rungs::ladder::model::{Handbook, Track};
use std::path::{Path, PathBuf};

fn fixture(shape: &str) -> PathBuf {
    repo().join("tests/fixtures").join(shape)
}

fn handbook(path: &Path) -> (Handbook, Diagnostics) {
    let loaded = rungs::load(&rungs::BuildOptions {
        path: path.to_path_buf(),
        ..Default::default()
    })
    .expect("load");
    let mut diags = loaded.diags;
    let hb = rungs::ladder::recognise(&loaded.docs, &mut diags);
    (hb, diags)
}

fn track<'a>(hb: &'a Handbook, id: &str) -> &'a Track {
    hb.tracks
        .iter()
        .find(|t| t.id == id)
        .unwrap_or_else(|| panic!("no track {id}"))
}

fn numbers(t: &Track) -> Vec<u32> {
    t.levels.iter().map(|l| l.number).collect()
}

/// The text of a level page's article.
fn level_text(out: &Path, track: &str, n: u32) -> String {
    let doc = page(out, &format!("tracks/{track}/level-{n}/index.html"));
    texts(&doc, "article.level").join(" ")
}

fn heading(out: &Path, track: &str, n: u32) -> String {
    let doc = page(out, &format!("tracks/{track}/level-{n}/index.html"));
    texts(&doc, "h1#level-title").join(" ")
}

fn plain_pages(hb: &Handbook) -> Vec<&str> {
    let mut p: Vec<_> = hb.pages.iter().map(|p| p.source.file.as_ref()).collect();
    p.sort();
    p
}

#[test]
fn levels_as_rows_build_a_page_per_level() {
    let path = fixture("tables-level-rows");
    let (hb, diags) = handbook(&path);
    let ids: Vec<_> = hb.tracks.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "site-operations",
            "quality-engineering",
            "web-platform-ladder"
        ]
    );

    let web = track(&hb, "web-platform-ladder");
    assert_eq!(numbers(web), [1, 2, 3, 4]);
    let dims: Vec<_> = web.dimensions.iter().map(|d| d.title.as_str()).collect();
    assert_eq!(dims, ["Craft", "Delivery"]);
    assert_eq!(web.levels[2].title.as_deref(), Some("Senior Engineer"));
    // The description is prose, not the inline style block.
    let desc = &web.description.as_ref().unwrap().text();
    assert!(
        desc.starts_with("How engineers on the web platform"),
        "{desc}"
    );
    assert!(!desc.contains("vertical-align"));
    // A cell spanning two rows of a level counts once.
    let delivery = web.levels[1]
        .expectations
        .iter()
        .filter(|e| e.dimension.as_deref() == Some("delivery"))
        .count();
    assert_eq!(delivery, 1);
    assert_eq!(web.levels[1].source.line, 35);

    let quality = track(&hb, "quality-engineering");
    assert_eq!(numbers(quality), [1, 2, 3]);
    let dims: Vec<_> = quality.dimensions.iter().map(|d| &*d.id).collect();
    assert_eq!(dims, ["testing", "tooling", "release"]);
    assert_eq!(quality.levels[0].expectations.len(), 3);
    assert_eq!(quality.levels[1].expectations[2].source.line, 12);

    let ops = track(&hb, "site-operations");
    assert_eq!(ops.levels[1].title.as_deref(), Some("Senior Operator"));
    assert_eq!(ops.levels[1].expectations.len(), 3);

    // Near misses stay plain pages; the partial fit warns with its line.
    assert_eq!(
        plain_pages(&hb),
        [
            "incident-priorities.md",
            "on-call.md",
            "partly.md",
            "pricing.md",
            "release-calendar.md"
        ]
    );
    let msgs: Vec<String> = diags.warnings().map(|d| d.to_string()).collect();
    assert_eq!(msgs.len(), 1, "{msgs:#?}");
    assert!(msgs[0].contains("partly.md:8"), "{msgs:#?}");
    assert!(msgs[0].contains("`Bonus objectives`"), "{msgs:#?}");

    let out = tempfile::tempdir().unwrap();
    let out = out.path();
    build(&path, out);
    // Each expectation on its level page and not on the next.
    let l1 = level_text(out, "web-platform-ladder", 1);
    let l2 = level_text(out, "web-platform-ladder", 2);
    assert!(l1.contains("Learns our component library"), "{l1}");
    assert!(l1.contains("Closes two or three small tickets a week."));
    assert!(!l2.contains("Closes two or three small tickets a week."));
    assert!(l2.contains("Breaks a page into releasable slices"));
    assert!(!l1.contains("Breaks a page into releasable slices"));
    assert_eq!(
        heading(out, "web-platform-ladder", 3),
        "Level 3 · Senior Engineer"
    );
    // The level still to be written says so, with no expectations.
    let l4 = level_text(out, "web-platform-ladder", 4);
    assert!(l4.contains("Still to be written: the platform guild drafts this level next."));
    assert!(l4.contains("No expectations are written for this level."));
    let q3 = level_text(out, "quality-engineering", 3);
    assert!(q3.contains("This level is not written yet."), "{q3}");
    assert!(!q3.contains("TBD"));
    // The picture is kept and its image resolves from the level page.
    let doc = page(out, "tracks/web-platform-ladder/level-2/index.html");
    let sel = scraper::Selector::parse("article picture img").unwrap();
    let img = doc.select(&sel).next().expect("picture kept");
    let src = img.value().attr("src").unwrap();
    assert_eq!(src, "../../../img/slices.svg");
    assert!(out
        .join("tracks/web-platform-ladder/level-2")
        .join(src)
        .is_file());
    let sel = scraper::Selector::parse("article picture source").unwrap();
    let set = doc.select(&sel).next().unwrap().value().attr("srcset");
    assert_eq!(set, Some("../../../img/slices.svg"));
    // The compare and dimension pages sit deeper or shallower: still found.
    assert_eq!(broken_links(out), Vec::<String>::new());
    // The style block is decoration: not on the track page.
    let track_html =
        std::fs::read_to_string(out.join("tracks/web-platform-ladder/index.html")).unwrap();
    assert!(!track_html.contains("vertical-align"));
    assert!(track_html.contains("Levels are cumulative"));
    // The near misses render as pages with their tables.
    let pricing = page(out, "pricing/index.html");
    assert!(texts(&pricing, "td").iter().any(|t| t == "Starter"));
}

#[test]
fn role_map_numbers_roles_that_tables_only_name() {
    let path = fixture("tables-role-map");
    let (hb, diags) = handbook(&path);
    let msgs: Vec<String> = diags.warnings().map(|d| d.to_string()).collect();
    assert!(msgs.is_empty(), "{msgs:#?}");
    let ids: Vec<_> = hb.tracks.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["mobile-engineering", "customer-support"]);
    assert_eq!(plain_pages(&hb), ["team-directory.md"]);

    let mobile = track(&hb, "mobile-engineering");
    let roles: Vec<_> = mobile
        .roles
        .iter()
        .map(|r| (r.title.as_str(), r.from, r.to, r.source.line))
        .collect();
    assert_eq!(
        roles,
        [
            ("Mobile Engineer 1", 1, 1, 12),
            ("Mobile Engineer 2", 2, 3, 13),
            ("Senior Mobile Engineer", 4, 4, 14)
        ]
    );
    // The level's number comes from the map's line.
    assert_eq!(mobile.levels[1].label, "IC2 - IC3");
    assert_eq!(mobile.levels[1].source.line, 35);

    let support = track(&hb, "customer-support");
    assert_eq!(numbers(support), [1, 2, 3]);
    assert_eq!(support.roles[2].title, "Support Lead");
    assert!(support.levels[2].expectations.is_empty());

    let out = tempfile::tempdir().unwrap();
    let out = out.path();
    build(&path, out);
    assert_eq!(
        heading(out, "mobile-engineering", 3),
        "Level 3 · Mobile Engineer 2"
    );
    let l3 = level_text(out, "mobile-engineering", 3);
    let l4 = level_text(out, "mobile-engineering", 4);
    assert!(l4.contains("Decides when to halt a rollout"));
    assert!(!l3.contains("Decides when to halt a rollout"));
    assert!(l3.contains("Runs a store release from branch cut to staged rollout."));
    assert_eq!(
        heading(out, "customer-support", 3),
        "Level 3 · Support Lead"
    );
    assert!(level_text(out, "customer-support", 3).contains("To be written"));
    // The map stays readable with the track's notes.
    let track_page = page(out, "tracks/mobile-engineering/index.html");
    let notes = texts(&track_page, "section.notes td");
    assert!(notes.iter().any(|t| t == "IC2 - IC3"), "{notes:?}");
    assert_eq!(broken_links(out), Vec::<String>::new());
}

#[test]
fn one_track_split_over_tables_is_one_track() {
    let path = fixture("tables-split");
    let (hb, diags) = handbook(&path);
    let msgs: Vec<String> = diags.warnings().map(|d| d.to_string()).collect();
    assert!(msgs.is_empty(), "{msgs:#?}");
    let ids: Vec<_> = hb.tracks.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["backend-engineering", "frontend", "apps"]);

    let backend = track(&hb, "backend-engineering");
    assert_eq!(backend.title, "Backend Engineering");
    assert!(backend
        .description
        .as_ref()
        .unwrap()
        .text()
        .starts_with("Backend engineers build the services"));
    let dims: Vec<_> = backend
        .dimensions
        .iter()
        .map(|d| d.title.as_str())
        .collect();
    assert_eq!(
        dims,
        [
            "Building software · Code",
            "Building software · Design",
            "Working with others · Mentoring",
            "Working with others · Communication",
            "Running services"
        ]
    );
    assert_eq!(numbers(backend), [1, 2, 3, 4]);
    assert_eq!(backend.levels[2].expectations.len(), 5);

    let out = tempfile::tempdir().unwrap();
    let out = out.path();
    build(&path, out);
    let doc = page(out, "tracks/backend-engineering/level-3/index.html");
    let groups = texts(&doc, "article h3");
    assert_eq!(groups.len(), 5, "{groups:?}");
    assert_eq!(groups[2], "Working with others · Mentoring");
    let l3 = level_text(out, "backend-engineering", 3);
    let l4 = level_text(out, "backend-engineering", 4);
    assert!(l3.contains("Mentors two engineers through a project."));
    assert!(!l4.contains("Mentors two engineers through a project."));
    assert!(l4.contains("Sets reliability targets with product."));
    // The group headings went into the dimensions, not the notes.
    let track_page = page(out, "tracks/backend-engineering/index.html");
    let notes = texts(&track_page, "section.notes h2, section.notes h3");
    assert!(
        !notes.iter().any(|t| t.contains("Working with others")),
        "{notes:?}"
    );
    assert_eq!(broken_links(out), Vec::<String>::new());
}
