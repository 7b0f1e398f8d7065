//! Real-world ladder shapes on original fixtures: one file per level,
//! titled levels, YAML frameworks. Each builds into per-level pages.

mod common;
use common::*;
use rungs::diagnostics::Diagnostics;
use rungs::ladder::model::Handbook;
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

fn assert_level_pages(out: &Path, id: &str, levels: &[u32]) {
    for n in levels {
        let p = out.join(format!("tracks/{id}/level-{n}/index.html"));
        assert!(p.is_file(), "missing {}", p.display());
    }
}

#[test]
fn file_per_level_merges_documents_into_tracks() {
    let path = fixture("file-per-level");
    let (hb, diags) = handbook(&path);
    let ids: Vec<_> = hb.tracks.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["product-design", "platform"]);
    let design = &hb.tracks[0];
    assert_eq!(design.title, "Product Design");
    assert_eq!(
        design.description.as_ref().unwrap().text(),
        "Designers shape what we build."
    );
    assert_eq!(design.levels.len(), 2);
    let platform = &hb.tracks[1];
    assert_eq!(platform.title, "Platform Reliability");
    assert_eq!(
        platform.levels.iter().map(|l| l.number).collect::<Vec<_>>(),
        [1, 2]
    );
    let roles: Vec<_> = platform.roles.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(
        roles,
        ["Reliability Engineer", "Senior Reliability Engineer"]
    );
    let dims: Vec<_> = platform.dimensions.iter().map(|d| &*d.id).collect();
    assert_eq!(dims, ["operations", "communication", "status-updates"]);
    assert_eq!(platform.levels[1].expectations.len(), 3);
    // Near-misses: a missing level and a clashing level warn and stay pages.
    let msgs: Vec<String> = diags.warnings().map(|d| d.to_string()).collect();
    assert!(msgs.iter().any(|m| m.contains("no `level`")), "{msgs:#?}");
    assert!(msgs.iter().any(|m| m.contains("also in")), "{msgs:#?}");
    let pages: Vec<_> = hb.pages.iter().map(|p| p.source.file.as_ref()).collect();
    assert!(
        pages.contains(&"platform/three-missing-level.md"),
        "{pages:?}"
    );
    assert!(pages.contains(&"design/dup-level-one.md"), "{pages:?}");
    assert!(!pages.contains(&"platform/two.md"), "{pages:?}");

    let out = tempfile::tempdir().unwrap();
    build(&path, out.path());
    assert_level_pages(out.path(), "platform", &[1, 2]);
    assert_level_pages(out.path(), "product-design", &[1, 2]);
}

#[test]
fn generated_benchmark_handbook_builds_fifteen_level_pages() {
    let script = Path::new("/work/shared/bench/gen_handbook.py");
    if !script.is_file() {
        eprintln!("note: {} not found; skipped", script.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ran = std::process::Command::new("python3")
        .arg(script)
        .args(["--tracks", "3", "--levels", "5", "--out"])
        .arg(dir.path())
        .output();
    match ran {
        Ok(o) if o.status.success() => {}
        other => {
            eprintln!("note: python3 could not run the generator ({other:?}); skipped");
            return;
        }
    }
    let out = tempfile::tempdir().unwrap();
    build(dir.path(), out.path());
    let (hb, _) = handbook(dir.path());
    assert_eq!(hb.tracks.len(), 3);
    for t in &hb.tracks {
        assert_eq!(t.levels.len(), 5, "{}", t.title);
        assert_level_pages(out.path(), &t.id, &[1, 2, 3, 4, 5]);
    }
}

#[test]
fn prefixed_level_headings_name_roles_on_level_pages() {
    let path = fixture("prefixed-roles");
    let (hb, _) = handbook(&path);
    assert_eq!(hb.tracks.len(), 1, "quarters stay a plain page");
    let t = &hb.tracks[0];
    let roles: Vec<_> = t.roles.iter().map(|r| (r.title.as_str(), r.from)).collect();
    assert_eq!(
        roles,
        [
            ("Mobile Engineer", 3),
            ("Senior Engineer", 4),
            ("Staff Engineer", 5)
        ]
    );
    assert_eq!(
        t.levels[1].expectations[0].dimension.as_deref(),
        Some("craft")
    );
    let out = tempfile::tempdir().unwrap();
    build(&path, out.path());
    assert_level_pages(out.path(), &t.id, &[3, 4, 5]);
    let p = page(out.path(), &format!("tracks/{}/level-4/index.html", t.id));
    let h1 = texts(&p, "h1");
    assert!(
        h1.iter().any(|h| h.contains("Level 4 · Senior Engineer")),
        "{h1:?}"
    );
}
