//! Titled levels (`## Senior Support Engineer` headings sharing dimension
//! sub-headings) on original fixtures: the model, the per-level pages,
//! and the near misses that stay plain pages.

mod common;
use common::*;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    repo().join("tests/fixtures/titled-levels")
}

fn built() -> (tempfile::TempDir, rungs::BuildReport) {
    let out = tempfile::tempdir().unwrap();
    let report = build(&fixture(), out.path());
    (out, report)
}

fn warnings(r: &rungs::BuildReport) -> Vec<String> {
    r.warnings.iter().map(|d| d.to_string()).collect()
}

fn level_page(out: &Path, track: &str, n: u32) -> scraper::Html {
    page(out, &format!("tracks/{track}/level-{n}/index.html"))
}

#[test]
fn titled_levels_model() {
    let loaded = rungs::load(&rungs::BuildOptions {
        path: fixture(),
        ..Default::default()
    })
    .unwrap();
    let mut diags = loaded.diags;
    let hb = rungs::ladder::recognise(&loaded.docs, &mut diags);
    let shape_of = |file: &str| -> Vec<(String, Vec<String>)> {
        hb.tracks
            .iter()
            .filter(|t| t.source.file == file.into())
            .map(|t| {
                assert_eq!(t.shape, Some(rungs::ladder::model::Shape::TitledLevels));
                (
                    t.id.clone(),
                    t.roles
                        .iter()
                        .map(|r| format!("{} {}", r.from, r.title))
                        .collect(),
                )
            })
            .collect()
    };
    assert_eq!(
        shape_of("support.md"),
        [(
            "customer-support-engineering".to_string(),
            vec![
                "1 Support Engineer".to_string(),
                "2 Senior Support Engineer".into(),
                "3 Lead Support Engineer".into()
            ]
        )]
    );
    let design = shape_of("design-prose.md");
    assert_eq!(design[0].0, "design-ladder");
    assert_eq!(design[0].1.len(), 3);
    let research = shape_of("research-two-tracks.md");
    assert_eq!(research.len(), 2, "one track per group of role headings");
    assert_eq!(
        research[1].1,
        ["1 Research Manager", "2 Director of Research"]
    );
    assert_eq!(shape_of("gardeners.md")[0].1[2], "3 Oak");
    assert_eq!(shape_of("security-contents.md")[0].1.len(), 2);

    // Dimensions come from the sub-headings, numbering stripped.
    let d = hb.tracks.iter().find(|t| t.id == "design-ladder").unwrap();
    let dims: Vec<_> = d.dimensions.iter().map(|d| d.title.as_str()).collect();
    assert_eq!(dims, ["Craft", "Collaboration", "Research"]);

    // Near misses stay plain pages.
    let pages: Vec<_> = hb.pages.iter().map(|p| p.source.file.as_ref()).collect();
    for f in [
        "faq.md",
        "changelog.md",
        "one-role.md",
        "role-profiles.md",
        "install-guide.md",
    ] {
        assert!(pages.contains(&f), "{f} should be a plain page: {pages:?}");
    }
    let reason = |f: &str| {
        hb.pages
            .iter()
            .find(|p| p.source.file == f.into())
            .and_then(|p| p.reason.clone())
    };
    assert!(reason("one-role.md")
        .unwrap()
        .contains("only one titled level"));
    assert!(reason("role-profiles.md")
        .unwrap()
        .contains("Data Scientist"));
    assert_eq!(reason("faq.md"), None);
    assert_eq!(reason("changelog.md"), None);
}

#[test]
fn titled_levels_pages_and_warnings() {
    let (out, report) = built();
    let out = out.path();
    let w = warnings(&report);
    // Warnings name the heading that did not fit, with its line.
    assert!(
        w.iter()
            .any(|m| m.contains("one-role.md:5:1") && m.contains("only one titled level")),
        "{w:#?}"
    );
    assert!(
        w.iter()
            .any(|m| m.contains("role-profiles.md:13:1") && m.contains("`Data Scientist`")),
        "{w:#?}"
    );
    for quiet in ["faq.md", "changelog.md", "install-guide.md", "support.md"] {
        assert!(!w.iter().any(|m| m.contains(quiet)), "{quiet}: {w:#?}");
    }

    // Level pages read "Level N · role" and hold their own expectations.
    let p = level_page(out, "customer-support-engineering", 2);
    let h1 = texts(&p, "h1");
    assert!(
        h1.iter()
            .any(|h| h.contains("Level 2 · Senior Support Engineer")),
        "{h1:?}"
    );
    let items = texts(&p, ".expectation-list li").join("\n");
    assert!(items.contains("Calms an escalation"), "{items}");
    assert!(!items.contains("Runs the weekly review"), "{items}");
    let p = level_page(out, "customer-support-engineering", 3);
    let items = texts(&p, ".expectation-list li").join("\n");
    assert!(items.contains("Runs the weekly review"), "{items}");
    let p = level_page(out, "design-ladder", 3);
    assert!(texts(&p, "h1")
        .iter()
        .any(|h| h.contains("Level 3 · Principal Designer")));
    let items = texts(&p, ".expectation-list li").join("\n");
    assert!(items.contains("visual language"), "{items}");
    let p = level_page(out, "research-management", 2);
    assert!(texts(&p, "h1")
        .iter()
        .any(|h| h.contains("Level 2 · Director of Research")));

    // The jump list is navigation: no level or track page shows it.
    for rel in [
        "tracks/customer-support-engineering/index.html",
        "tracks/customer-support-engineering/level-1/index.html",
        "tracks/security-engineering/index.html",
        "tracks/security-engineering/level-1/index.html",
    ] {
        let html = std::fs::read_to_string(out.join(rel)).unwrap();
        assert!(
            !html.contains("#senior-support-engineer\"") && !html.contains("#security-engineer\""),
            "{rel} shows the jump list"
        );
    }
    // The document page keeps it, and its links land on the headings.
    let doc = std::fs::read_to_string(out.join("support/index.html")).unwrap();
    assert!(doc.contains("href=\"#senior-support-engineer\""));
    let broken = broken_links(out);
    assert!(broken.is_empty(), "{broken:#?}");
}
