//! The search stage alone at scale: `SearchIndex::terms` and
//! `SearchIndex::files` for one expectation document per bullet of a
//! generated handbook (100x99 ≈ 475,000 expectations), without the rest of
//! the build.
//!
//!     python3 /work/shared/bench/gen_handbook.py --tracks 100 --levels 99 --out DIR
//!     cargo bench --bench search_index -- DIR
//!
//! Prints the minimum of three runs. Without DIR it says how to get one.

use rungs::search::{Kind, SearchDoc, SearchIndex};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn sorted_dirs(dir: &Path, files: bool) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|r| r.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    v.retain(|p| p.is_dir() != files);
    v.sort();
    v
}

fn main() {
    let Some(dir) = std::env::args().skip(1).find(|a| !a.starts_with('-')) else {
        eprintln!("usage: cargo bench --bench search_index -- DIR  (DIR from gen_handbook.py)");
        return;
    };
    let mut ix = SearchIndex::default();
    for t in sorted_dirs(&Path::new(&dir).join("content"), false) {
        let tid = t
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        ix.tracks.push((tid.clone(), tid.clone()));
        let levels = sorted_dirs(&t, true);
        let levels = levels.iter().filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("level-"))
        });
        for (n, f) in levels.enumerate() {
            let n = n as u32 + 1;
            let text = std::fs::read_to_string(f).unwrap_or_default();
            let mut dim = None;
            for line in text.lines() {
                if let Some(h) = line.strip_prefix("## ") {
                    dim = Some(h.to_string());
                } else if let Some(b) = line.strip_prefix("- ") {
                    let url = format!("tracks/{tid}/level-{n}/index.html#e{}", ix.docs.len());
                    ix.docs.push(SearchDoc {
                        kind: Kind::Expectation,
                        title: format!("Level {n} · {tid}"),
                        section: None,
                        text: b.to_string(),
                        url,
                        track: Some(tid.clone()),
                        level: Some(n),
                        dimension: dim.clone(),
                    });
                }
            }
        }
    }
    let (mut terms_s, mut files_s) = (f64::MAX, f64::MAX);
    let mut out = (0, 0, 0);
    for _ in 0..3 {
        let s = Instant::now();
        let terms = ix.terms();
        terms_s = terms_s.min(s.elapsed().as_secs_f64());
        let s = Instant::now();
        let files = ix.files();
        files_s = files_s.min(s.elapsed().as_secs_f64());
        out = (
            terms.len(),
            files.len(),
            files.iter().map(|(_, t)| t.len()).sum(),
        );
    }
    println!(
        "{} documents, {} terms: terms() {terms_s:.2} s, files() {files_s:.2} s (terms included), {} files, {} MB",
        ix.docs.len(),
        out.0,
        out.1,
        out.2 / 1_000_000
    );
}
