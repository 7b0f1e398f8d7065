//! Seed 001 (a real matrix ladder) through the public API: two tracks,
//! roles over level ranges, six dimensions each.

use rungs::diagnostics::Diagnostics;
use rungs::ladder::matrix_table;
use std::path::PathBuf;

fn seeds() -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds"));
    if p.join("001_8f54485723e6e20d.txt").exists() {
        Some(p)
    } else {
        println!("seeds not found at {}; skipping", p.display());
        None
    }
}

const DIMS: [&str; 6] = [
    "Responsibility abstraction",
    "Existing knowledge",
    "Complexity of role",
    "Professional Character",
    "Independence",
    "Personal Growth Plan Focus",
];

#[test]
fn seed_001_gives_two_matrix_tracks() {
    let Some(path) = seeds() else { return };
    let loaded = rungs::load(&rungs::BuildOptions {
        path,
        ..Default::default()
    })
    .expect("seeds load");
    let doc = loaded
        .docs
        .iter()
        .find(|d| d.rel.starts_with("001_"))
        .expect("seed 001 is read");
    let mut diags = Diagnostics::default();
    let claim = matrix_table::recognise(doc, &mut diags).expect("seed 001 is a matrix ladder");
    assert!(diags.is_empty(), "{:?}", diags.into_vec());
    let tracks = &claim.value;
    assert_eq!(tracks.len(), 2);

    let ic = &tracks[0];
    assert_eq!(ic.title, "Engineering - Individual Contributors");
    assert_eq!(ic.id, "engineering-individual-contributors");
    let roles: Vec<(&str, u32, u32)> = ic
        .roles
        .iter()
        .map(|r| (r.title.as_str(), r.from, r.to))
        .collect();
    assert_eq!(
        roles,
        [
            ("Engineer", 1, 2),
            ("Senior Engineer", 3, 4),
            ("Principal Engineer", 5, 5),
            ("Architect", 6, 7),
            ("Senior Architect", 8, 8),
        ]
    );
    let numbers: Vec<u32> = ic.levels.iter().map(|l| l.number).collect();
    assert_eq!(numbers, (1..=8).collect::<Vec<_>>());
    assert_eq!(ic.levels[0].label, "1 - 2");
    assert_eq!(ic.levels[0].title, None);
    let dims: Vec<&str> = ic.dimensions.iter().map(|d| d.title.as_str()).collect();
    assert_eq!(dims, DIMS);

    // Levels 1 and 2 share the Engineer column.
    let texts = |n: usize| -> Vec<String> {
        ic.levels[n]
            .expectations
            .iter()
            .map(|e| e.text.text().to_string())
            .collect()
    };
    assert_eq!(texts(0), texts(1));
    let l1 = &ic.levels[0].expectations;
    assert_eq!(l1[0].text.text(), "\"Tasks\"");
    assert_eq!(
        l1[0].dimension.as_deref(),
        Some("responsibility-abstraction")
    );
    let knowledge: Vec<_> = l1
        .iter()
        .filter(|e| e.dimension.as_deref() == Some("existing-knowledge"))
        .collect();
    assert_eq!(knowledge.len(), 4);
    assert!(knowledge[0].text.text().starts_with("Has an engineering"));
    assert!(l1
        .iter()
        .all(|e| *e.source.file == *doc.rel && e.source.line > 0));
    let growth: Vec<_> = ic.levels[7]
        .expectations
        .iter()
        .filter(|e| e.dimension.as_deref() == Some("personal-growth-plan-focus"))
        .collect();
    assert_eq!(growth.len(), 1);
    assert!(growth[0].text.text().contains("Luminary"));
    assert!(ic.levels.iter().all(|l| !l.expectations.is_empty()));

    let mg = &tracks[1];
    assert_eq!(mg.title, "Engineering - Management");
    let roles: Vec<(&str, u32, u32)> = mg
        .roles
        .iter()
        .map(|r| (r.title.as_str(), r.from, r.to))
        .collect();
    assert_eq!(roles, [("Lead", 5, 5), ("Director", 6, 7), ("CTO", 8, 8)]);
    let numbers: Vec<u32> = mg.levels.iter().map(|l| l.number).collect();
    assert_eq!(numbers, [5, 6, 7, 8]);
    let dims: Vec<&str> = mg.dimensions.iter().map(|d| d.title.as_str()).collect();
    assert_eq!(dims, DIMS);

    // The claims cover the tables (with their wrapping div) and no prose.
    assert_eq!(claim.spans.len(), 2);
    for s in &claim.spans {
        let t = doc.body[s.clone()].trim();
        assert!(t.starts_with("<div"), "{t:.40}");
        assert!(t.ends_with("</div>"));
        assert!(!t.contains("## "));
    }
    let rest: String = {
        let mut r = String::new();
        let mut at = 0;
        for s in &claim.spans {
            r.push_str(&doc.body[at..s.start]);
            at = s.end;
        }
        r.push_str(&doc.body[at..]);
        r
    };
    assert!(rest.contains("## Engineering - Management"));
    assert!(!rest.contains("<table"));
    assert!(!rest.contains("</div>"));
}

#[test]
fn other_seeds_hold_no_matrix_ladder() {
    let Some(path) = seeds() else { return };
    let loaded = rungs::load(&rungs::BuildOptions {
        path,
        ..Default::default()
    })
    .expect("seeds load");
    for doc in loaded.docs.iter().filter(|d| !d.rel.starts_with("001_")) {
        let mut diags = Diagnostics::default();
        assert!(
            matrix_table::recognise(doc, &mut diags).is_none(),
            "{}",
            doc.rel
        );
        assert!(
            rungs::ladder::pipe_table::recognise(doc, &mut diags).is_none(),
            "{}",
            doc.rel
        );
        assert!(diags.is_empty(), "{}: {:?}", doc.rel, diags.into_vec());
    }
}
