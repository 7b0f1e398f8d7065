//! The ladder site built from the seeds as they are: a page per level,
//! only that level's anti-patterns, cross-track pages, matrices, the skill
//! page; every link resolves.

mod common;
use common::*;
use rungs::ladder::model::{Handbook, Track};

fn handbook(path: &std::path::Path) -> Handbook {
    let loaded = rungs::load(&rungs::BuildOptions {
        path: path.to_path_buf(),
        ..Default::default()
    })
    .expect("load");
    let mut diags = loaded.diags;
    rungs::ladder::recognise(&loaded.docs, &mut diags)
}

fn track<'a>(hb: &'a Handbook, title_part: &str) -> &'a Track {
    hb.tracks
        .iter()
        .find(|t| t.title.contains(title_part))
        .unwrap_or_else(|| {
            panic!(
                "no track titled *{title_part}*: {:?}",
                hb.tracks.iter().map(|t| &t.title).collect::<Vec<_>>()
            )
        })
}

fn level_page(out: &std::path::Path, t: &Track, n: u32) -> scraper::Html {
    page(out, &format!("tracks/{}/level-{n}/index.html", t.id))
}

#[test]
fn seeds_site_has_level_pages_anti_patterns_and_cross_track_pages() {
    let Some(seeds) = seeds() else { return };
    let hb = handbook(&seeds);
    let out = tempfile::tempdir().unwrap();
    build(&seeds, out.path());
    let out = out.path();

    // Heading ladder: levels 2–6, each page holding its expectations and summary.
    let heading = hb
        .tracks
        .iter()
        .find(|t| t.levels.first().map(|l| l.number) == Some(2))
        .expect("the heading ladder track");
    for (n, count) in [(2, 3), (3, 3), (4, 6), (5, 6), (6, 4)] {
        let p = level_page(out, heading, n);
        assert_eq!(texts(&p, "h1"), vec![format!("Level {n}")], "level {n}");
        let shown = texts(&p, "li.expectation").len();
        assert_eq!(shown, count, "level {n} shows its {count} expectations");
        assert_eq!(texts(&p, ".summary").len(), 1, "level {n} summary");
    }
    let l2 = level_page(out, heading, 2);
    assert!(texts(&l2, "li.expectation")
        .iter()
        .any(|t| t.contains("rudimentary debugging")));

    // Matrix: IC levels 1–8 and Management 5–8.
    let ic = track(&hb, "Individual Contributors");
    let mgmt = track(&hb, "Management");
    for n in 1..=8 {
        assert!(
            out.join(format!("tracks/{}/level-{n}/index.html", ic.id))
                .is_file(),
            "IC level {n}"
        );
    }
    for n in 5..=8 {
        assert!(
            out.join(format!("tracks/{}/level-{n}/index.html", mgmt.id))
                .is_file(),
            "Mgmt level {n}"
        );
    }
    assert!(!out
        .join(format!("tracks/{}/level-4/index.html", mgmt.id))
        .exists());
    let p5 = level_page(out, ic, 5);
    assert_eq!(texts(&p5, "h1"), vec!["Level 5 · Principal Engineer"]);

    // Anti-patterns: only the level's own.
    let callouts = |n: u32| {
        texts(
            &level_page(out, ic, n),
            "aside.anti-pattern[role=note] .callout-title",
        )
    };
    for n in [1, 2] {
        let c = callouts(n);
        assert!(c.iter().any(|t| t.contains("1-2")), "level {n}: {c:?}");
        assert!(
            !c.iter().any(|t| t.contains("Levels 5")),
            "level {n}: {c:?}"
        );
    }
    let c3 = callouts(3);
    assert!(
        !c3.iter()
            .any(|t| t.contains("1-2") || t.contains("Levels 5")),
        "level 3: {c3:?}"
    );
    assert!(callouts(5).iter().any(|t| t.contains("5")));

    // Levels 1 and 2 both carry Engineer's expectations (level 2 folds them
    // as "as at level 1").
    let l1 = texts(&level_page(out, ic, 1), "li.expectation");
    let l2 = texts(&level_page(out, ic, 2), "details.unchanged li.expectation");
    assert!(!l1.is_empty());
    assert_eq!(
        l1.len(),
        l2.len(),
        "level 2 repeats level 1's expectations, folded"
    );

    // Cross-track level 5: Principal Engineer and Lead side by side.
    let cross = page(out, "levels/5/index.html");
    let roles = texts(&cross, ".cross-column .role");
    assert!(
        roles.iter().any(|r| r.contains("Principal Engineer")),
        "{roles:?}"
    );
    assert!(roles.iter().any(|r| r.contains("Lead")), "{roles:?}");

    // A matrix table per track, with the six dimensions as rows.
    for t in [ic, mgmt] {
        let m = page(out, &format!("tracks/{}/index.html", t.id));
        let rows = texts(&m, "table.matrix tbody th[scope=row]");
        assert_eq!(rows.len(), 6, "{}: {rows:?}", t.title);
        assert!(rows.iter().any(|r| r == "Independence"), "{rows:?}");
    }

    // The skill page: its own scale with the target marked, the failure
    // modes as callouts, the checklist as real checkboxes, banner rules as
    // section breaks.
    let skill = &hb.skills[0];
    let skill_page = page(out, &rungs::site::urls::doc_url(&skill.source.file, None));
    assert_eq!(
        texts(&skill_page, ".maturity-step .step-title"),
        vec!["Manual", "Automated", "Reliable", "Autonomous"]
    );
    assert_eq!(
        texts(&skill_page, ".maturity-step.target .step-number"),
        vec!["3"]
    );
    assert_eq!(texts(&skill_page, "aside.anti-pattern[role=note]").len(), 6);
    let boxes = texts(
        &skill_page,
        "[data-checklist] input[type=checkbox]:not([disabled])",
    );
    assert_eq!(boxes.len(), 7, "seven interactive checkboxes");
    assert!(
        !texts(&skill_page, "hr.banner").is_empty(),
        "banner rules become section breaks"
    );

    // No row of `=` anywhere a reader can see.
    for f in walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
    {
        if f.path().extension().is_some_and(|x| x == "html") {
            let doc = scraper::Html::parse_document(&std::fs::read_to_string(f.path()).unwrap());
            let text: String = doc.root_element().text().collect();
            assert!(
                !text.contains("====="),
                "a row of = in {}",
                f.path().display()
            );
        }
    }

    let broken = broken_links(out);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}
