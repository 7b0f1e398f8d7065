//! The real documents in ../shared/seeds, recognised through the library.

use rungs::diagnostics::Diagnostics;
use rungs::ladder;
use std::path::Path;

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds");

fn load() -> Option<Vec<rungs::source::SourceDoc>> {
    if !Path::new(SEEDS).is_dir() {
        println!("skipping: {SEEDS} does not exist");
        return None;
    }
    let opts = rungs::BuildOptions {
        path: SEEDS.into(),
        ..Default::default()
    };
    Some(rungs::load(&opts).expect("seeds load").docs)
}

fn doc<'a>(docs: &'a [rungs::source::SourceDoc], prefix: &str) -> &'a rungs::source::SourceDoc {
    docs.iter()
        .find(|d| d.rel.starts_with(prefix))
        .unwrap_or_else(|| panic!("no seed {prefix}"))
}

#[test]
fn seed_000_heading_ladder() {
    let Some(docs) = load() else { return };
    let mut diags = Diagnostics::default();
    let dl = ladder::recognise_doc(doc(&docs, "000_"), &mut diags);
    assert_eq!(dl.tracks.len(), 1);
    let t = &dl.tracks[0];
    let nums: Vec<u32> = t.levels.iter().map(|l| l.number).collect();
    assert_eq!(nums, [2, 3, 4, 5, 6]);
    let counts: Vec<usize> = t.levels.iter().map(|l| l.expectations.len()).collect();
    assert_eq!(counts, [3, 3, 6, 6, 4]);
    assert!(t.levels.iter().all(|l| l.summary.is_some()));
    assert!(t.levels[0]
        .summary
        .as_ref()
        .unwrap()
        .text()
        .starts_with("Can operate"));
    assert!(t
        .description
        .as_ref()
        .unwrap()
        .text()
        .starts_with("Bridging"));
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn seed_001_anti_pattern_groups() {
    let Some(docs) = load() else { return };
    let d = doc(&docs, "001_");
    let mut diags = Diagnostics::default();
    let dl = ladder::recognise_doc(d, &mut diags);
    let aps = if dl.tracks.is_empty() {
        dl.anti_patterns.clone()
    } else {
        dl.tracks[0].anti_patterns.clone()
    };
    let groups: Vec<Vec<u32>> = aps.iter().map(|a| a.levels.clone()).collect();
    assert_eq!(groups, vec![vec![1, 2], vec![3, 4], vec![5], vec![6, 7, 8]]);
    let direct = ladder::anti_patterns::recognise(d, &mut Diagnostics::default())
        .expect("anti-patterns")
        .value;
    assert_eq!(direct.len(), 4);
    for t in &dl.tracks {
        assert_eq!(t.anti_patterns.len(), 4, "track {}", t.title);
    }
}

#[test]
fn seed_002_skill() {
    let Some(docs) = load() else { return };
    let mut diags = Diagnostics::default();
    let dl = ladder::recognise_doc(doc(&docs, "002_"), &mut diags);
    assert!(dl.tracks.is_empty());
    let s = dl.skill.expect("a skill");
    assert_eq!(s.title, "Platform Engineering & DevOps");
    let scale: Vec<(u32, &str)> = s
        .scale
        .iter()
        .map(|m| (m.number, m.title.as_str()))
        .collect();
    assert_eq!(
        scale,
        [
            (1, "Manual"),
            (2, "Automated"),
            (3, "Reliable"),
            (4, "Autonomous")
        ]
    );
    assert!(s.scale.iter().all(|m| m.description.is_some()));
    assert_eq!(s.target, Some(3));
    assert_eq!(s.anti_patterns.len(), 6);
    assert!(s.anti_patterns.iter().all(|a| a.levels.is_empty()));
    let v: Vec<_> = s
        .checklists
        .iter()
        .filter(|c| c.title.contains("Validation"))
        .collect();
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].items.len(), 7);
    assert!(v[0].items.iter().all(|i| !i.checked));
    // Banner lines never reach the rendered page as rows of `=`.
    let html = rungs::render::markdown::render_plain(&dl.body);
    assert!(!html.contains("==="), "banner rendered as text");
    assert!(html.contains(">Infrastructure as Code</h3>"));
}

#[test]
fn handbook_ids_are_unique_and_stable() {
    let Some(docs) = load() else { return };
    let a = ladder::recognise(&docs, &mut Diagnostics::default());
    let b = ladder::recognise(&docs, &mut Diagnostics::default());
    let ids = |h: &rungs::ladder::model::Handbook| -> Vec<String> {
        h.tracks
            .iter()
            .flat_map(|t| {
                t.levels
                    .iter()
                    .flat_map(|l| l.expectations.iter().map(|e| e.id.to_string()))
            })
            .collect()
    };
    let (ia, ib) = (ids(&a), ids(&b));
    assert_eq!(ia, ib);
    let mut uniq = ia.clone();
    uniq.sort();
    uniq.dedup();
    assert_eq!(uniq.len(), ia.len());
    assert!(
        ia.iter().all(|i| i.len() <= 64 && i.starts_with('l')),
        "{ia:?}"
    );
    assert_eq!(a.skills.len(), 1);
    assert!(a.tracks.iter().any(|t| t.source.file.starts_with("000_")));
}
