//! Prose skills (`## Junior` / `## Mid` / `## Senior` sections under one
//! skill) on original fixtures: a skill page whose maturity scale is the
//! sections, and the near misses that stay plain pages.

mod common;
use common::*;
use rungs::ladder::model::Shape;
use std::path::PathBuf;

fn fixture() -> PathBuf {
    repo().join("tests/fixtures/skill-prose")
}

#[test]
fn prose_skills_model() {
    let loaded = rungs::load(&rungs::BuildOptions {
        path: fixture(),
        ..Default::default()
    })
    .unwrap();
    let mut diags = loaded.diags;
    let hb = rungs::ladder::recognise(&loaded.docs, &mut diags);
    assert!(hb.tracks.is_empty(), "a skill is never a career ladder");
    let scale = |file: &str| -> Vec<String> {
        let s = hb
            .skills
            .iter()
            .find(|s| s.source.file == file.into())
            .unwrap_or_else(|| panic!("{file} is not a skill"));
        assert_eq!(s.shape, Some(Shape::ProseSkill), "{file}");
        s.scale
            .iter()
            .map(|l| format!("{} {}", l.number, l.title))
            .collect()
    };
    assert_eq!(scale("code-review.md"), ["1 Junior", "2 Mid", "3 Senior"]);
    assert_eq!(
        scale("sql.md"),
        ["1 Beginner", "2 Intermediate", "3 Advanced", "4 Expert"]
    );
    // Written top-down, read bottom-up.
    assert_eq!(
        scale("accessibility.md"),
        ["1 Novice", "2 Competent", "3 Proficient", "4 Expert"]
    );
    assert_eq!(
        scale("technical-writing.md"),
        [
            "1 Foundational",
            "2 Practitioner — writes for others",
            "3 Expert — sets the bar"
        ]
    );
    // `# Skill: …` documents take their scale from the sections too.
    assert_eq!(
        scale("estimation.md"),
        ["1 Awareness", "2 Working", "3 Practitioner"]
    );
    // The compact variant: one list of bold proficiency labels.
    assert_eq!(scale("on-call-list.md"), ["1 Junior", "2 Mid", "3 Senior"]);
    let sql = hb.skills.iter().find(|s| s.id == "writing-sql").unwrap();
    let beginner = sql.scale[0].description.as_ref().unwrap();
    assert!(
        beginner.html().contains("<code>HAVING</code>"),
        "{}",
        beginner.html()
    );
    assert!(!sql.scale[3]
        .description
        .as_ref()
        .unwrap()
        .text()
        .contains("style guide"));

    let pages: Vec<_> = hb.pages.iter().map(|p| p.source.file.as_ref()).collect();
    assert_eq!(
        pages,
        ["meeting-notes.md", "one-section.md", "two-skills.md"],
        "near misses stay plain pages"
    );
    let msgs: Vec<String> = diags.warnings().map(|d| d.to_string()).collect();
    assert!(
        msgs.iter()
            .any(|m| m.contains("one-section.md:3:1") && m.contains("only one proficiency section")),
        "{msgs:#?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("two-skills.md:13:1") && m.contains("one skill")),
        "{msgs:#?}"
    );
    assert!(
        !msgs.iter().any(|m| m.contains("meeting-notes.md")),
        "{msgs:#?}"
    );
}

#[test]
fn prose_skill_pages_show_the_sections_as_the_scale() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture(), out.path());
    let p = page(out.path(), "sql/index.html");
    let steps = texts(&p, ".maturity-scale .maturity-step");
    assert_eq!(steps.len(), 4, "{steps:?}");
    assert!(
        steps[0].starts_with("1 Beginner") && steps[0].contains("two tables"),
        "{steps:?}"
    );
    assert!(steps[3].starts_with("4 Expert"), "{steps:?}");
    // Each section appears once: as a step, not again as prose.
    let html = std::fs::read_to_string(out.path().join("sql/index.html")).unwrap();
    assert_eq!(html.matches("query plan").count(), 1);
    // The sections' headings went into the scale, which has its own.
    assert!(texts(&p, ".maturity h2")
        .iter()
        .any(|h| h == "Maturity scale"));
    // What is not a level stays as written.
    assert!(texts(&p, ".prose h2")
        .iter()
        .any(|h| h == "Further reading"));
    let p = page(out.path(), "accessibility/index.html");
    let steps = texts(&p, ".maturity-step .step-title");
    assert_eq!(steps, ["Novice", "Competent", "Proficient", "Expert"]);
    let p = page(out.path(), "on-call-list/index.html");
    let steps = texts(&p, ".maturity-step .step-description");
    assert!(steps[2].contains("makes the rota kinder"), "{steps:?}");
    assert!(texts(&p, ".prose p")
        .iter()
        .any(|t| t.contains("shadow shift")));
    // Near misses are ordinary pages.
    let p = page(out.path(), "meeting-notes/index.html");
    assert!(texts(&p, ".maturity-scale").is_empty());
    assert!(texts(&p, "h2").iter().any(|h| h == "Junior hiring update"));
    let broken = broken_links(out.path());
    assert!(broken.is_empty(), "{broken:#?}");
}
