//! Recognisers on original fixtures in tests/fixtures/<shape>/.

use rungs::diagnostics::Diagnostics;
use rungs::ladder::{self, DocLadder};
use rungs::source::SourceDoc;

fn docs(shape: &str) -> Vec<SourceDoc> {
    let path = format!("{}/tests/fixtures/{shape}", env!("CARGO_MANIFEST_DIR"));
    rungs::load(&rungs::BuildOptions {
        path: path.into(),
        ..Default::default()
    })
    .expect("fixtures load")
    .docs
}

fn run(shape: &str, file: &str) -> (DocLadder, Diagnostics) {
    let all = docs(shape);
    let doc = all.iter().find(|d| d.rel == file.into()).expect("fixture");
    let mut diags = Diagnostics::default();
    (ladder::recognise_doc(doc, &mut diags), diags)
}

#[test]
fn ic_levels_at_depth_four_with_dimensions_and_anti_patterns() {
    let (dl, diags) = run("heading-ladder", "data-ic.md");
    assert_eq!(dl.tracks.len(), 1);
    let t = &dl.tracks[0];
    assert_eq!(t.title, "Data Engineering");
    let levels: Vec<_> = t
        .levels
        .iter()
        .map(|l| (l.number, l.title.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(
        levels,
        [
            (1, "Associate Data Engineer"),
            (2, "Data Engineer"),
            (3, "Senior Data Engineer")
        ]
    );
    let dims: Vec<_> = t.dimensions.iter().map(|d| &*d.id).collect();
    assert_eq!(dims, ["delivery", "collaboration"]);
    let l1 = &t.levels[0];
    assert_eq!(l1.expectations.len(), 3);
    assert!(l1.expectations[1]
        .text
        .html()
        .contains("<li>with tests</li>"));
    assert_eq!(
        l1.expectations[2].dimension.as_deref(),
        Some("collaboration")
    );
    let l2 = &t.levels[1];
    assert_eq!(
        l2.expectations[1].dimension.as_deref(),
        Some("collaboration")
    );
    assert_eq!(l2.expectations[2].dimension, None);
    // Anti-patterns: bullets, labelled with IC prefixes or not.
    let aps: Vec<_> = t.anti_patterns.iter().map(|a| a.levels.clone()).collect();
    assert_eq!(aps, vec![vec![2], vec![3, 4], vec![]]);
    // IC4 is not a level of this track.
    assert!(
        diags.iter().any(|d| d.message.contains("names level 4")),
        "{diags:?}"
    );
}

#[test]
fn p_levels_with_colon_titles_and_warnings() {
    let (dl, diags) = run("heading-ladder", "product-p.md");
    let t = &dl.tracks[0];
    assert_eq!(t.title, "Product Design");
    assert_eq!(
        t.description.as_ref().unwrap().text(),
        "A ladder for designers who ship."
    );
    let nums: Vec<_> = t.levels.iter().map(|l| l.number).collect();
    assert_eq!(nums, [1, 2, 3]);
    assert_eq!(t.levels[1].title.as_deref(), Some("Senior Designer"));
    let msgs: Vec<_> = diags.iter().map(|d| (d.message.clone(), d.line)).collect();
    assert!(
        msgs.iter()
            .any(|(m, l)| m.contains("appears twice") && *l == 21),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|(m, l)| m.contains("level 3 has no expectations") && *l == 25),
        "{msgs:?}"
    );
    assert!(
        msgs.iter().any(|(m, _)| m.contains("names level 9")),
        "{msgs:?}"
    );
    assert!(diags.iter().all(|d| d.hint.is_some() && d.path.is_some()));
    assert_eq!(t.anti_patterns.len(), 2);
    assert_eq!(t.anti_patterns[0].levels, vec![1]);
}

#[test]
fn l_levels_without_title_or_blank_lines() {
    let (dl, _) = run("heading-ladder", "support-l.md");
    let t = &dl.tracks[0];
    assert_eq!(t.title, "Support L");
    assert_eq!(t.levels[0].title.as_deref(), Some("Support Engineer"));
    assert_eq!(t.levels[1].expectations.len(), 2);
    assert_eq!(
        t.levels[1].summary.as_ref().unwrap().text(),
        "Handles escalations."
    );
}

#[test]
fn skill_with_hyphen_and_colon_maturity_labels() {
    let (dl, _) = run("skill", "incident-response.md");
    assert!(dl.tracks.is_empty());
    let s = dl.skill.unwrap();
    assert_eq!(s.title, "Incident Response");
    assert_eq!(
        s.description.unwrap().text(),
        "Running an incident calmly from page to postmortem."
    );
    let scale: Vec<_> = s
        .scale
        .iter()
        .map(|m| (m.number, m.title.as_str()))
        .collect();
    assert_eq!(
        scale,
        [(1, "Reactive"), (2, "Coordinated"), (3, "Learning")]
    );
    assert_eq!(s.target, Some(2));
    assert_eq!(s.anti_patterns.len(), 2);
    assert!(s.anti_patterns[0].levels.is_empty());
    assert_eq!(s.anti_patterns[1].levels, vec![1]);
    assert_eq!(s.checklists.len(), 1);
    assert_eq!(s.checklists[0].title, "Before closing an incident");
    assert_eq!(s.checklists[0].items.len(), 3);
    assert!(s.checklists[0].items[1].checked);
}

#[test]
fn malformed_input_does_not_panic() {
    let all = docs("malformed");
    let mut diags = Diagnostics::default();
    let hb = ladder::recognise(&all, &mut diags);
    assert_eq!(hb.schema_version, rungs::ladder::model::SCHEMA_VERSION);
}

#[test]
fn export_json() {
    let path = format!(
        "{}/tests/fixtures/heading-ladder",
        env!("CARGO_MANIFEST_DIR")
    );
    let e = rungs::export(&rungs::ExportOptions {
        path: path.into(),
        ..Default::default()
    })
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&e.text).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["tracks"].as_array().unwrap().len(), 3);
    assert_eq!(v["tracks"][0]["id"], "data-engineering");
    assert!(!e.warnings.is_empty());
}
