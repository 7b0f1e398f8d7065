//! A mixed handbook: one document of every authoring shape in one content
//! tree (`tests/fixtures/mixed/`). Each must be recognised as its own
//! shape, and its pages must exist with the right text.
//!
//! To add a shape: add its document to the fixture and one row to
//! [`EXPECTED`].

mod common;
use common::*;
use serde_json::Value;

/// Where a row's text must appear.
#[derive(Debug, Clone, Copy)]
enum On {
    /// The level page of the document's track.
    Level(u32),
    /// The document's own page (skills and plain pages).
    Doc,
}

/// file → shape it is recognised as (`shape` of its track or skill in
/// `rungs export`, or `page`), a page of it, and text on that page.
const EXPECTED: &[(&str, &str, On, &str)] = &[
    (
        "heading-ladder.md",
        "heading-ladder",
        On::Level(2),
        "on both app stores",
    ),
    (
        "matrix-table.md",
        "matrix-table",
        On::Level(3),
        "Teaches teams to test their own work",
    ),
    (
        "pipe-table.md",
        "pipe-table",
        On::Level(2),
        "Finds the question behind the request",
    ),
    (
        "skill-maturity.md",
        "skill-document",
        On::Doc,
        "One command builds, tags and publishes",
    ),
    (
        "levels/one.md",
        "file-per-level",
        On::Level(1),
        "Takes an on-call shift",
    ),
    (
        "levels/two.md",
        "file-per-level",
        On::Level(2),
        "Level 2 · Senior Reliability Engineer",
    ),
    (
        "prefixed-roles.md",
        "heading-ladder",
        On::Level(2),
        "Level 2 · Senior Infrastructure Engineer",
    ),
    (
        "titled-levels.md",
        "titled-levels",
        On::Level(2),
        "Level 2 · Senior Developer Advocate",
    ),
    (
        "prose-skill.md",
        "prose-skill",
        On::Doc,
        "makes newcomers comfortable leading",
    ),
    (
        "monzo-layout.md",
        "yaml-framework",
        On::Level(2),
        "survives a late upstream file",
    ),
    (
        "own-layout.yml",
        "yaml-framework",
        On::Level(2),
        "drafts within a day",
    ),
    ("plain-page.md", "page", On::Doc, "every Thursday afternoon"),
];

fn export() -> Value {
    let e = rungs::export(&rungs::ExportOptions {
        path: repo().join("tests/fixtures/mixed"),
        ..Default::default()
    })
    .expect("export");
    let unexpected: Vec<String> = e.warnings.iter().map(|w| w.to_string()).collect();
    assert!(unexpected.is_empty(), "{unexpected:#?}");
    serde_json::from_str(&e.text).unwrap()
}

/// The shape a document was recognised as, and its track id if any.
fn recognised(model: &Value, file: &str) -> (String, Option<String>) {
    let of_file = |v: &Value| v["source"]["file"] == file;
    for t in model["tracks"].as_array().unwrap() {
        let holds_level = t["levels"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["source"]["file"] == file);
        if of_file(t) || holds_level {
            return (
                t["shape"].as_str().unwrap().to_string(),
                Some(t["id"].as_str().unwrap().to_string()),
            );
        }
    }
    for s in model["skills"].as_array().unwrap() {
        if of_file(s) {
            return (s["shape"].as_str().unwrap().to_string(), None);
        }
    }
    if model["pages"].as_array().unwrap().iter().any(of_file) {
        return ("page".into(), None);
    }
    panic!("{file} is in no track, skill or page");
}

#[test]
fn every_document_is_recognised_as_its_own_shape() {
    let model = export();
    let got: Vec<(&str, String)> = EXPECTED
        .iter()
        .map(|(file, _, _, _)| (*file, recognised(&model, file).0))
        .collect();
    let want: Vec<(&str, String)> = EXPECTED
        .iter()
        .map(|(file, shape, _, _)| (*file, shape.to_string()))
        .collect();
    assert_eq!(got, want);
    // Every document of the fixture is in the table (bar the folder
    // description of the file-per-level track).
    let fixture = repo().join("tests/fixtures/mixed");
    for e in walkdir::WalkDir::new(&fixture) {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(&fixture)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if e.file_type().is_file() && !rel.ends_with("_index.md") {
            assert!(
                EXPECTED.iter().any(|(f, ..)| *f == rel),
                "{rel} has no row in EXPECTED"
            );
        }
    }
}

#[test]
fn every_shape_has_its_pages_with_its_text() {
    let model = export();
    let out = tempfile::tempdir().unwrap();
    build(&repo().join("tests/fixtures/mixed"), out.path());
    for (file, _, on, text) in EXPECTED {
        let (_, track) = recognised(&model, file);
        let rel = match on {
            On::Level(n) => format!(
                "tracks/{}/level-{n}/index.html",
                track.as_deref().expect("a track")
            ),
            On::Doc => rungs::site::urls::doc_url(file, None),
        };
        let p = page(out.path(), &rel);
        let main = texts(&p, "main").join(" ");
        assert!(main.contains(text), "{file}: {rel} lacks {text:?}:\n{main}");
    }
    let broken = broken_links(out.path());
    assert!(broken.is_empty(), "{broken:#?}");
}
