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

/// A level page weighs under 40 KB of HTML, CSS and JS before
/// compression (the search index excluded): checked on every level page
/// of the seeds and the example handbook.
#[test]
fn level_pages_weigh_under_40_kb() {
    let mut sites = vec![repo()];
    sites.extend(seeds());
    for site in sites {
        let out = tempfile::tempdir().unwrap();
        build(&site, out.path());
        let out = out.path();
        let mut checked = 0;
        for f in walkdir::WalkDir::new(out.join("tracks"))
            .into_iter()
            .filter_map(Result::ok)
        {
            let p = f.path();
            if !(p.file_name().is_some_and(|n| n == "index.html")
                && p.parent()
                    .and_then(|d| d.file_name())
                    .is_some_and(|d| d.to_string_lossy().starts_with("level-")))
            {
                continue;
            }
            let html = std::fs::read_to_string(p).unwrap();
            let doc = scraper::Html::parse_document(&html);
            let mut total = html.len();
            let sel = scraper::Selector::parse("link[rel=stylesheet][href], script[src]").unwrap();
            for el in doc.select(&sel) {
                let href = el.value().attr("href").or(el.value().attr("src")).unwrap();
                if href.contains("search") {
                    continue;
                }
                let asset = p.parent().unwrap().join(href);
                total += std::fs::metadata(&asset)
                    .unwrap_or_else(|e| panic!("{}: {e}", asset.display()))
                    .len() as usize;
            }
            assert!(total < 40 * 1024, "{} weighs {total} bytes", p.display());
            checked += 1;
        }
        assert!(checked > 0, "no level pages in {}", site.display());
    }
}

/// For every track and level of the example handbook and the seeds: the
/// level page exists, shows exactly that level's expectations (new ones
/// plus the folded "as before" group), exactly the anti-patterns that apply
/// to it, the role in its h1, and links to its neighbours.
#[test]
fn every_level_page_holds_exactly_its_level() {
    let mut sites = vec![repo()];
    sites.extend(seeds());
    for site in sites {
        let hb = handbook(&site);
        assert!(!hb.tracks.is_empty(), "{}", site.display());
        let out = tempfile::tempdir().unwrap();
        build(&site, out.path());
        for t in &hb.tracks {
            for (i, l) in t.levels.iter().enumerate() {
                let p = level_page(out.path(), t, l.number);
                let ids: Vec<String> = {
                    let sel = scraper::Selector::parse("li.expectation").unwrap();
                    p.select(&sel)
                        .filter_map(|e| e.value().attr("id").map(String::from))
                        .collect()
                };
                let want: Vec<String> = l.expectations.iter().map(|e| e.id.to_string()).collect();
                let mut got_sorted = ids.clone();
                got_sorted.sort();
                let mut want_sorted = want.clone();
                want_sorted.sort();
                assert_eq!(got_sorted, want_sorted, "{} level {}", t.title, l.number);
                let aps = t
                    .anti_patterns
                    .iter()
                    .filter(|a| a.applies_to(l.number))
                    .count();
                assert_eq!(
                    texts(&p, "aside.anti-pattern").len(),
                    aps,
                    "{} level {}",
                    t.title,
                    l.number
                );
                let h1 = texts(&p, "h1").join("");
                for r in t.roles.iter().filter(|r| r.covers(l.number)) {
                    assert!(h1.contains(&r.title), "{h1} lacks {}", r.title);
                }
                let prev = texts(&p, "a[rel=prev]");
                assert_eq!(
                    prev.is_empty(),
                    i == 0,
                    "{} level {} prev link",
                    t.title,
                    l.number
                );
                let next = texts(&p, "a[rel=next]");
                assert_eq!(
                    next.is_empty(),
                    i + 1 == t.levels.len(),
                    "{} level {} next link",
                    t.title,
                    l.number
                );
            }
        }
        let broken = broken_links(out.path());
        assert!(
            broken.is_empty(),
            "{}:\n{}",
            site.display(),
            broken.join("\n")
        );
    }
}

/// Frontmatter `level:` names a level outright, so numbers past 99 (which
/// a heading would read as a year) make level pages too.
#[test]
fn frontmatter_levels_past_99_build_level_pages() {
    let lvl = |n: u32, text: &str| {
        format!("---\ntitle: Ops {n}\ntrack: ops\nlevel: {n}\n---\n\n## Delivery\n\n- {text}\n")
    };
    let l249 = lvl(249, "Keeps the pager quiet for a whole quarter.");
    let l250 = lvl(
        250,
        "Keeps the pager quiet for a whole year across every team.",
    );
    let src = site(&[("ops/249.md", &l249), ("ops/250.md", &l250)]);
    let out = tempfile::tempdir().unwrap();
    let report = build(src.path(), out.path());
    assert!(
        !report
            .warnings
            .iter()
            .any(|w| w.to_string().contains("not a level number")),
        "{:?}",
        report.warnings
    );
    let hb = handbook(src.path());
    let t = &hb.tracks[0];
    assert_eq!(
        t.levels.iter().map(|l| l.number).collect::<Vec<_>>(),
        [249, 250]
    );
    let p = level_page(out.path(), t, 250);
    let body = texts(&p, "main").join(" ");
    assert!(body.contains("across every team"), "{body}");
    // The level below is compared: the rewording shows as a diff.
    assert!(
        p.select(&scraper::Selector::parse("main ins").unwrap())
            .count()
            > 0,
        "{body}"
    );
}
