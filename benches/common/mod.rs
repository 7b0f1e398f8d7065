//! Sites for the criterion benches: the original example handbook in
//! `content/`, and, when `../shared/bench/gen_handbook.py` (or `$BENCH`)
//! and `python3` are available, a generated handbook of 105 pages.

#![allow(dead_code)]

use rungs::diagnostics::Diagnostics;
use rungs::ladder::model::Handbook;
use rungs::source::SourceDoc;
use std::path::{Path, PathBuf};

/// One site loaded, recognised and planned, as `rungs::build` does before
/// rendering.
pub struct Planned {
    pub name: String,
    pub layout: rungs::config::SiteLayout,
    pub docs: Vec<SourceDoc>,
    pub handbook: Handbook,
    pub site: rungs::site::Site,
    /// Keeps a generated site on disk while the bench runs.
    _dir: Option<tempfile::TempDir>,
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The example handbook, then a generated one when the generator exists.
pub fn sites() -> Vec<Planned> {
    let mut out = vec![plan("example", &repo(), None)];
    if let Some(dir) = generated(5, 20) {
        let path = dir.path().to_path_buf();
        out.push(plan("generated-105", &path, Some(dir)));
    }
    out
}

fn generated(tracks: u32, levels: u32) -> Option<tempfile::TempDir> {
    let bench = std::env::var_os("BENCH")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/bench"));
    let script = bench.join("gen_handbook.py");
    if !script.is_file() {
        return None;
    }
    let dir = tempfile::tempdir().ok()?;
    let ok = std::process::Command::new("python3")
        .arg(&script)
        .args([
            "--tracks",
            &tracks.to_string(),
            "--levels",
            &levels.to_string(),
        ])
        .arg("--out")
        .arg(dir.path())
        .stdout(std::process::Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    ok.then_some(dir)
}

fn plan(name: &str, path: &Path, dir: Option<tempfile::TempDir>) -> Planned {
    let loaded = rungs::load(&rungs::BuildOptions {
        path: path.to_path_buf(),
        ..Default::default()
    })
    .expect("load the bench site");
    let mut diags = Diagnostics::default();
    let (handbook, views) = rungs::ladder::recognise_all(&loaded.docs, &mut diags);
    let docs: Vec<SourceDoc> = loaded
        .docs
        .into_iter()
        .map(|mut d| {
            if let Some(v) = views.get(&*d.rel) {
                d.body.clone_from(&v.body);
            }
            d
        })
        .collect();
    let site = rungs::site::plan(
        &loaded.layout,
        &docs,
        &loaded.assets,
        &handbook,
        &views,
        &mut diags,
    );
    Planned {
        name: name.to_string(),
        layout: loaded.layout,
        docs,
        handbook,
        site,
        _dir: dir,
    }
}
