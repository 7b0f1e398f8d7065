//! Structured YAML ladders (Monzo's progression-framework layout and
//! rungs' own layout), on original fixtures: text on the right level
//! page, examples collapsed, dimension names, and located diagnostics for
//! broken input.

mod common;
use common::*;
use rungs::diagnostics::Diagnostic;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

fn level_page(out: &Path, track: &str, n: u32) -> scraper::Html {
    page(out, &format!("tracks/{track}/level-{n}/index.html"))
}

fn warnings(r: &rungs::BuildReport) -> Vec<&Diagnostic> {
    r.warnings.iter().collect()
}

#[test]
fn monzo_layout_builds_level_pages_with_topics_as_dimensions() {
    let out = tempfile::tempdir().unwrap();
    let r = build(&fixture("yaml-monzo"), out.path());
    let o = out.path();
    // `levels: 5` gives five level pages, though no topic has all five.
    for n in 1..=5 {
        assert!(o
            .join(format!("tracks/analytics-engineering/level-{n}/index.html"))
            .is_file());
    }
    let l1 = level_page(o, "analytics-engineering", 1);
    let items = texts(&l1, "li.expectation .expectation-text");
    assert_eq!(
        items,
        [
            "Adds columns to existing models with help from a reviewer",
            "Documents each field they add"
        ]
    );
    // Empty `title:` falls back to the name; `title: ""` too.
    let l2 = level_page(o, "analytics-engineering", 2);
    assert_eq!(texts(&l2, ".expectations h3"), ["Modelling", "Partnering"]);
    // exampleCriteria: the criterion on its level, its examples collapsed
    // under it.
    let with_examples = texts(
        &l2,
        "li.expectation:has(details.examples) .expectation-text",
    );
    assert_eq!(with_examples, ["Tests the assumptions a model rests on"]);
    assert_eq!(
        texts(&l2, "li.expectation > details.examples:not([open]) li"),
        [
            "Added a uniqueness check on order ids before joining",
            "Flagged a source table whose timestamps lacked a time zone"
        ]
    );
    assert_eq!(texts(&l2, "details.examples > summary"), ["Examples"]);
    // A topic that starts at level 3: nothing of it on levels 1-2.
    assert!(!texts(&l1, ".expectations h3").contains(&"🧭 Stewardship".to_string()));
    let l3 = level_page(o, "analytics-engineering", 3);
    assert_eq!(texts(&l3, ".expectations h3"), ["🧭 Stewardship"]);
    assert!(texts(&l3, "li.expectation .expectation-text")
        .contains(&"Reviews models written by others for clarity".to_string()));
    let l5 = level_page(o, "analytics-engineering", 5);
    assert!(texts(&l5, "li.expectation .expectation-text")
        .contains(&"Decides which metrics the company treats as official".to_string()));
    // Examples also show, collapsed, in the compare table.
    let cmp = page(o, "tracks/analytics-engineering/compare/index.html");
    assert_eq!(
        texts(&cmp, ".compare-table details.examples:not([open]) li").len(),
        3
    );
    // A level that is not a number: a warning at its line and column, and
    // the rest of the ladder still renders.
    let w = warnings(&r);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].message.contains("`second`"), "{}", w[0].message);
    assert!(w[0].path.as_ref().unwrap().ends_with("field-ops.md"));
    assert_eq!((w[0].line, w[0].col), (13, 16));
    for (n, text) in [
        (1, "Checks the site plan before every visit"),
        (2, "Briefs a new colleague on site hazards"),
        (3, "Rewrites the visit checklist after an incident"),
    ] {
        let p = level_page(o, "field-operations", n);
        assert_eq!(texts(&p, "li.expectation .expectation-text"), [text]);
        assert_eq!(texts(&p, ".expectations h3"), ["Safety"]);
    }
    // A `topics:` tag list is not a ladder: a plain page.
    assert!(!o.join("tracks/reading-list").exists());
    let tags = page(o, "tags/index.html");
    assert!(texts(&tags, "main h1").contains(&"Reading List".to_string()));
    assert!(broken_links(o).is_empty(), "{:?}", broken_links(o));
}

#[test]
fn own_layout_in_a_data_file_and_in_frontmatter() {
    let out = tempfile::tempdir().unwrap();
    let r = build(&fixture("yaml-own"), out.path());
    let o = out.path();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let l1 = level_page(o, "customer-support", 1);
    assert_eq!(texts(&l1, ".expectations h3"), ["Customers", "Product"]);
    assert!(texts(&l1, "main")
        .concat()
        .contains("Answers common questions with a playbook and a buddy."));
    assert_eq!(
        texts(
            &l1,
            "li.expectation:has(details.examples) .expectation-text"
        ),
        ["Writes replies a customer can act on without a follow-up"]
    );
    assert_eq!(
        texts(&l1, "details.examples:not([open]) li"),
        [
            "Links the exact settings screen instead of the help centre",
            "Repeats the order number the customer gave"
        ]
    );
    let l3 = level_page(o, "customer-support", 3);
    assert!(texts(&l3, "main").concat().contains("Support Lead"));
    assert!(texts(&l3, "main")
        .concat()
        .contains("Keeping the hard tickets to themselves"));
    assert!(!texts(&l1, "main")
        .concat()
        .contains("Keeping the hard tickets to themselves"));
    // The same layout in frontmatter, titled by `track:` (no
    // one-file-per-level warning about a missing `level`).
    let w2 = level_page(o, "warehouse-operations", 2);
    assert_eq!(texts(&w2, ".expectations h3"), ["Accuracy", "Safety"]);
    assert!(texts(&w2, "li.expectation .expectation-text")
        .contains(&"Keeps aisles clear during peak hours".to_string()));
    // A YAML file of other data is copied as it is, with no warning.
    assert_eq!(
        std::fs::read(o.join("colours.yml")).unwrap(),
        std::fs::read(fixture("yaml-own/colours.yml")).unwrap()
    );
    // So is a stream of several YAML documents (data for another tool).
    assert!(o.join("manifests.yaml").is_file());
    // The ladder data file itself is not copied.
    assert!(!o.join("support.yml").exists());
    assert!(broken_links(o).is_empty(), "{:?}", broken_links(o));
}

#[test]
fn broken_yaml_data_file_warns_with_its_location_and_is_copied() {
    let out = tempfile::tempdir().unwrap();
    let r = build(&fixture("yaml-broken"), out.path());
    let w = warnings(&r);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].message.contains("not valid YAML"), "{}", w[0].message);
    assert!(w[0].path.as_ref().unwrap().ends_with("broken.yml"));
    assert_eq!(w[0].line, 7);
    assert!(out.path().join("broken.yml").is_file());
    assert!(!out.path().join("tracks").exists());
}

#[test]
fn broken_frontmatter_ladder_is_a_located_error() {
    let dir = site(&[(
        "eng.md",
        "---\ntitle: Eng\ntopics:\n  - name: craft\n    content:\n      - level: 1\n        criteria: [a\n---\n",
    )]);
    let err = rungs::build(&rungs::BuildOptions {
        path: dir.path().to_path_buf(),
        out: Some(dir.path().join("out")),
        base_url: None,
    })
    .unwrap_err();
    let d = &err.diagnostics[0];
    assert!(d.path.as_ref().unwrap().ends_with("eng.md"));
    assert_eq!(d.line, 7, "{d}");
}

#[test]
fn semantic_problems_are_located_in_data_files_and_never_panic() {
    let dir = site(&[
        (
            "ops.yaml",
            "title: Ops\nlevels:\n  - level: 1\n    expectations:\n      Care:\n        - Logs every change\n        - {examples: [x]}\n  - level: 2\n    expectations: 7\n  - level: [2]\n",
        ),
        (
            "weird.yml",
            "topics:\n  - 5\n  - content: nope\n  - name: x\n    content:\n      - level: 1.5\n      - criteria: [a]\n",
        ),
        ("rungs.yml", "content: .\ntitle: Test\n"),
    ]);
    let out = tempfile::tempdir().unwrap();
    let r = build(dir.path(), out.path());
    let located: Vec<(String, usize, usize)> = r
        .warnings
        .iter()
        .map(|w| {
            (
                w.path
                    .as_ref()
                    .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
                    .unwrap_or_default(),
                w.line,
                w.col,
            )
        })
        .collect();
    // ops.yaml: the expectation without text (7:11), `expectations: 7`
    // (9:19), `level: [2]` (10:12).
    for want in [
        ("ops.yaml", 7, 11),
        ("ops.yaml", 9, 19),
        ("ops.yaml", 10, 12),
    ] {
        assert!(
            located.contains(&(want.0.to_string(), want.1, want.2)),
            "{want:?} not in {located:?}"
        );
    }
    // weird.yml: topic 2 is `5` (2:5), topic 3's content (3:14), the fractional
    // level (6:16), the entry without a level (7:9).
    for want in [
        ("weird.yml", 2, 5),
        ("weird.yml", 3, 14),
        ("weird.yml", 6, 16),
        ("weird.yml", 7, 9),
    ] {
        assert!(
            located.contains(&(want.0.to_string(), want.1, want.2)),
            "{want:?} not in {located:?}"
        );
    }
    let l1 = level_page(out.path(), "ops", 1);
    assert_eq!(
        texts(&l1, "li.expectation .expectation-text"),
        ["Logs every change"]
    );
    // The Monzo layout in a data file is a ladder too, titled after the
    // file; its readable topic is a dimension.
    let weird = page(out.path(), "tracks/weird/index.html");
    assert!(texts(&weird, "main h1").contains(&"Weird".to_string()));
    assert!(!out.path().join("weird.yml").exists());
    // rungs.yml is configuration: neither a page nor a copied file.
    assert!(!out.path().join("rungs.yml").exists());
}
