//! Helpers shared by the integration tests: build sites, parse the HTML,
//! crawl links.
#![allow(dead_code)]

use scraper::{Html, Selector};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/seeds`, when this checkout has it.
pub fn seeds() -> Option<PathBuf> {
    let p = repo().join("../shared/seeds");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("note: ../shared/seeds not found; seed tests skipped");
        None
    }
}

/// Run the `rungs` binary.
pub fn rungs(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rungs"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run rungs")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Write `files` (relative path → text) under a fresh temp folder.
pub fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// Build `path` into `out` through the library; panics on failure.
pub fn build(path: &Path, out: &Path) -> rungs::BuildReport {
    let opts = rungs::BuildOptions {
        path: path.to_path_buf(),
        out: Some(out.to_path_buf()),
        base_url: None,
    };
    match rungs::build(&opts) {
        Ok(r) => r,
        Err(e) => panic!("build of {} failed:\n{e}", path.display()),
    }
}

/// Parse an output page.
pub fn page(out: &Path, rel: &str) -> Html {
    let p = out.join(rel);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    Html::parse_document(&text)
}

/// Text of every element matching `css` on a parsed page.
pub fn texts(doc: &Html, css: &str) -> Vec<String> {
    let sel = Selector::parse(css).unwrap();
    doc.select(&sel)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Every file under `dir` with its bytes, for byte-for-byte comparisons.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Crawl every HTML page under `out` and return every broken link:
/// `page: href (why)`. Root-absolute links count as broken (the site must
/// work from disk and under any subpath); external links are not followed.
pub fn broken_links(out: &Path) -> Vec<String> {
    let sel =
        Selector::parse("a[href], link[href], img[src], script[src], source[src], iframe[src]")
            .unwrap();
    let ids = Selector::parse("[id], a[name]").unwrap();
    let mut id_cache: HashMap<PathBuf, Vec<String>> = HashMap::new();
    let mut get_ids = |p: &Path| -> Vec<String> {
        id_cache
            .entry(p.to_path_buf())
            .or_insert_with(|| {
                let doc = Html::parse_document(&std::fs::read_to_string(p).unwrap_or_default());
                doc.select(&ids)
                    .filter_map(|e| {
                        e.value()
                            .attr("id")
                            .or(e.value().attr("name"))
                            .map(String::from)
                    })
                    .collect()
            })
            .clone()
    };
    let mut broken = Vec::new();
    let pages: Vec<PathBuf> = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().to_path_buf())
        .collect();
    assert!(!pages.is_empty(), "no pages under {}", out.display());
    for page_path in &pages {
        let rel_page = page_path.strip_prefix(out).unwrap().display().to_string();
        if rel_page == "404.html" {
            // Served at any depth by hosts; its links are checked below by
            // asserting they are root-relative-free.
        }
        let doc = Html::parse_document(&std::fs::read_to_string(page_path).unwrap());
        for el in doc.select(&sel) {
            let href = el.value().attr("href").or(el.value().attr("src")).unwrap();
            if href.starts_with("//")
                || href.contains("://")
                || href.starts_with("mailto:")
                || href.starts_with("tel:")
            {
                continue;
            }
            if href.starts_with('/') {
                broken.push(format!("{rel_page}: {href} (root-absolute)"));
                continue;
            }
            let (path, frag) = match href.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (href, None),
            };
            let path = path.split('?').next().unwrap();
            let target = if path.is_empty() {
                page_path.clone()
            } else {
                let mut t = page_path
                    .parent()
                    .unwrap()
                    .join(rungs::site::urls::percent_decode(path));
                if path.ends_with('/') || t.is_dir() {
                    t = t.join("index.html");
                }
                t
            };
            let norm = rungs::config::absolute(&target);
            if !norm.starts_with(rungs::config::absolute(out)) {
                broken.push(format!("{rel_page}: {href} (leaves the site)"));
                continue;
            }
            if !norm.is_file() {
                broken.push(format!("{rel_page}: {href} (no file {})", norm.display()));
                continue;
            }
            if let Some(f) = frag.filter(|f| !f.is_empty()) {
                if norm.extension().is_some_and(|x| x == "html")
                    && !get_ids(&norm)
                        .iter()
                        .any(|i| i == &rungs::site::urls::percent_decode(f))
                {
                    broken.push(format!("{rel_page}: {href} (no #{f} on the target)"));
                }
            }
        }
    }
    broken
}

/// The search index the build would write for the site at `path`.
pub fn search_index_of(path: &Path) -> rungs::search::SearchIndex {
    let opts = rungs::BuildOptions {
        path: path.to_path_buf(),
        ..Default::default()
    };
    let rungs::Loaded {
        layout,
        docs,
        assets,
        mut diags,
    } = rungs::load(&opts).unwrap();
    let (hb, views) = rungs::ladder::recognise_all(&docs, &mut diags);
    let site = rungs::site::plan(&layout, &docs, &assets, &hb, &views, &mut diags);
    rungs::search_index(&hb, &docs, &site)
}
