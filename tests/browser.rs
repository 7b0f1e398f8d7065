//! Browser behaviour in headless Chromium: the compare picker, skill
//! checklists, and axe-core on home, track, level, compare and skill pages.
//!
//! Needs Debian's `chromium` (or `CHROMIUM=/path`) and the node packages in
//! tests/browser (`npm ci --prefix tests/browser`). Without them the test
//! says plainly that it did not run; `.ci/run` installs both and sets
//! `RUNGS_REQUIRE_BROWSER=1`, which turns a missing browser into a failure.

mod common;
use common::*;
use scraper::Selector;
use std::path::{Path, PathBuf};

fn chromium() -> Option<PathBuf> {
    let p = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    p.is_file().then_some(p)
}

/// `Some(reason)` when the browser tests cannot run here.
fn missing() -> Option<String> {
    if chromium().is_none() {
        return Some(
            "Chromium is not installed (apt-get install chromium, or set CHROMIUM=/path)".into(),
        );
    }
    if !repo()
        .join("tests/browser/node_modules/playwright-core")
        .is_dir()
    {
        return Some("the node packages are not installed (npm ci --prefix tests/browser)".into());
    }
    if std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_err()
    {
        return Some("node is not installed".into());
    }
    None
}

fn skip_or_fail(what: &str) -> bool {
    if let Some(why) = missing() {
        if std::env::var_os("RUNGS_REQUIRE_BROWSER").is_some() {
            panic!("browser test {what} cannot run: {why}");
        }
        eprintln!(
            "NOTE: browser test `{what}` was NOT run: {why}. Run it with: apt-get install chromium && npm ci --prefix tests/browser && cargo test --test browser"
        );
        return true;
    }
    false
}

/// Run a node check script in tests/browser with Chromium; it prints one
/// line per check and "N passed, N failed", and must fail none.
fn node_checks(script: &str, args: &[&std::ffi::OsStr]) {
    let o = std::process::Command::new("node")
        .arg(repo().join("tests/browser").join(script))
        .args(args)
        .env("CHROMIUM", chromium().unwrap())
        .output()
        .expect("run node");
    let text = format!("{}{}", stdout(&o), stderr(&o));
    println!("{text}");
    assert!(o.status.success(), "{script} failed:\n{text}");
    assert!(text.contains(" passed, 0 failed"), "{text}");
}

fn html_files(out: &Path, under: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(out.join(under))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "index.html")
        .map(|e| e.path().to_path_buf())
        .collect();
    v.sort();
    v
}

fn rel(out: &Path, p: &Path) -> String {
    p.strip_prefix(out)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

fn count(p: &Path, css: &str) -> usize {
    let doc = scraper::Html::parse_document(&std::fs::read_to_string(p).unwrap());
    doc.select(&Selector::parse(css).unwrap()).count()
}

/// Run the checks on a built site; the spec names the pages to visit.
fn run_checks(out: &Path) {
    // The compare page of the track with the most levels.
    let compare = html_files(out, "tracks")
        .into_iter()
        .filter(|p| p.parent().unwrap().ends_with("compare"))
        .max_by_key(|p| count(p, ".compare-table thead th[data-level]"))
        .expect("a compare page");
    let doc = scraper::Html::parse_document(&std::fs::read_to_string(&compare).unwrap());
    let levels: Vec<String> = doc
        .select(&Selector::parse(".compare-table thead th[data-level]").unwrap())
        .map(|e| e.value().attr("data-level").unwrap().to_string())
        .collect();
    assert!(levels.len() >= 3, "{levels:?}");
    let skill = html_files(out, "")
        .into_iter()
        .find(|p| count(p, "[data-checklist] input[type=checkbox]") >= 3)
        .expect("a skill page with a checklist");
    let track = compare
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("index.html");
    let level = html_files(out, "tracks")
        .into_iter()
        .find(|p| p.to_string_lossy().contains("level-") && count(p, "aside.anti-pattern") > 0)
        .or_else(|| {
            html_files(out, "tracks")
                .into_iter()
                .find(|p| p.to_string_lossy().contains("level-"))
        })
        .expect("a level page");
    let spec = serde_json::json!({
        "root": out,
        "compare": {"path": rel(out, &compare), "from": levels[0].parse::<u32>().unwrap(), "to": levels[2].parse::<u32>().unwrap(), "other": levels[1].parse::<u32>().unwrap()},
        "skill": rel(out, &skill),
        "skill_checkboxes": 3,
        "axe": {
            "home": "index.html",
            "track": rel(out, &track),
            "level": rel(out, &level),
            "compare": rel(out, &compare),
            "skill": rel(out, &skill),
        },
    });
    let spec_path = out.join("browser-spec.json");
    std::fs::write(&spec_path, spec.to_string()).unwrap();
    node_checks("site_checks.mjs", &[spec_path.as_os_str()]);
}

#[test]
fn browser_checks_on_the_example_handbook() {
    if skip_or_fail("browser_checks_on_the_example_handbook") {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    build(&repo(), out.path());
    run_checks(out.path());
}

#[test]
fn browser_checks_on_the_seeds() {
    if skip_or_fail("browser_checks_on_the_seeds") {
        return;
    }
    let Some(seeds) = seeds() else { return };
    let out = tempfile::tempdir().unwrap();
    build(&seeds, out.path());
    run_checks(out.path());
}

#[test]
fn search_checks_on_the_seeds() {
    if skip_or_fail("search_checks_on_the_seeds") {
        return;
    }
    let Some(seeds) = seeds() else { return };
    // The seeds as they are, plus one plain page of our own.
    let src = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(&seeds).unwrap().filter_map(Result::ok) {
        std::fs::copy(e.path(), src.path().join(e.file_name())).unwrap();
    }
    std::fs::write(
        src.path().join("promotion-notes.md"),
        "---\ntitle: Promotion Notes\n---\n\nHow promotion cases move through the year.\n\n\
         ## Calibration meetings\n\nThe panel reads each evidence packet before the meeting \
         and argues from examples, not adjectives.\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    build(src.path(), out.path());
    let level = out
        .path()
        .join("tracks/000-e11f60d0528265a6/level-2/index.html");
    let html = std::fs::read_to_string(&level).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let anchor = doc
        .select(&Selector::parse("li.expectation").unwrap())
        .find(|e| {
            e.text()
                .collect::<String>()
                .contains("rudimentary debugging")
        })
        .and_then(|e| e.value().attr("id"))
        .expect("the level-2 rudimentary debugging expectation")
        .to_string();
    // A word of a matrix expectation filed under "Independence".
    let ix = search_index_of(src.path());
    let dim = "Independence";
    let dim_query = ix
        .docs
        .iter()
        .filter(|d| {
            d.kind == rungs::search::Kind::Expectation && d.dimension.as_deref() == Some(dim)
        })
        .find_map(|d| {
            d.text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.len() >= 7)
                .max_by_key(|w| w.len())
                .map(|w| w.to_lowercase())
        })
        .expect("an Independence expectation");
    let (spread_query, spread_count) = spread_word(&ix);
    let root = std::fs::canonicalize(out.path()).unwrap();
    let spec = serde_json::json!({
        "root": root,
        "start": "tracks/engineering-individual-contributors/index.html",
        "query": "rudimentary debugging",
        "expect": format!("tracks/000-e11f60d0528265a6/level-2/index.html#{anchor}"),
        "anchor": anchor,
        "arrogant": "level-5/index.html#ap-l5-arrogant",
        "arrogant_track": "Engineering - Individual Contributors",
        "arrogant_track_id": "tracks/engineering-individual-contributors/",
        // The JS stemmer must agree with the Rust one on every indexed word.
        "stems": stems_of(&seeds),
        "dim": dim,
        "dim_query": dim_query,
        "page_query": "evidence packet",
        "page_url": "promotion-notes/index.html#calibration-meetings",
        "spread_query": spread_query,
        "spread_count": spread_count,
    });
    let spec_path = out.path().join("search-spec.json");
    std::fs::write(&spec_path, spec.to_string()).unwrap();
    node_checks("search_checks.mjs", &[spec_path.as_os_str()]);
}

/// A word of three or four letters (so neither stemmed nor typo-matched)
/// whose matches, itself and the terms it begins, are at most a popup's 30
/// results but lie in more than 6 document chunks: search.js shows the
/// first of them after one chunk load (or none, when it is already in),
/// then the rest.
fn spread_word(ix: &rungs::search::SearchIndex) -> (String, usize) {
    let terms = ix.terms();
    let ids = ix.ids();
    let chunks = |docs: &std::collections::BTreeSet<usize>| {
        let mut c: Vec<usize> = docs
            .iter()
            .map(|d| ids[*d] / rungs::search::CHUNK)
            .collect();
        c.dedup();
        c.len()
    };
    terms
        .keys()
        .filter(|t| (3..=4).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_lowercase()))
        .filter(|t| rungs::search::stem(t) == **t)
        .map(|t| {
            let docs: std::collections::BTreeSet<usize> = terms
                .range(t.to_string()..)
                .take_while(|(u, _)| u.starts_with(t.as_str()))
                .flat_map(|(_, p)| p.iter().map(|(d, _)| *d))
                .collect();
            (t.clone(), docs)
        })
        .filter(|(_, docs)| docs.len() <= 30 && chunks(docs) > 6)
        .max_by_key(|(_, docs)| chunks(docs))
        .map(|(t, docs)| (t, docs.len()))
        .expect("a seed word whose results span more than 6 chunks")
}

/// Every word of the seeds, lowercased, with its Rust stem.
fn stems_of(dir: &Path) -> std::collections::BTreeMap<String, String> {
    let mut m = std::collections::BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        for w in text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            let w = w.to_lowercase();
            let s = rungs::search::stem(&w);
            m.insert(w, s);
        }
    }
    m
}

/// `rungs serve` in Chromium: an edit reloads with the new text, a broken
/// edit shows the overlay with file and line, the fix clears it, a CSS
/// change swaps without a reload, and the scroll position is kept.
#[test]
fn serve_live_reload_in_chromium() {
    use std::io::BufRead;
    if skip_or_fail("serve_live_reload_in_chromium") {
        return;
    }
    let body: String = (1..=60)
        .map(|i| format!("Para {i}: a paragraph long enough to make the page scroll.\n\n"))
        .collect();
    let dir = site(&[
        ("rungs.yml", "title: Serve Browser Test\n"),
        ("content/_index.md", "---\ntitle: Home\n---\nHello\n"),
        (
            "content/alpha.md",
            &format!("---\ntitle: Alpha\n---\n{body}"),
        ),
        (
            "themes/default/static/style.css",
            "body { font-family: sans-serif; }\n",
        ),
    ]);
    let out = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rungs"))
        .args(["serve", "--port", "0", "--out"])
        .arg(out.path().join("public"))
        .arg(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .expect("run rungs serve");
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let _guard = Kill(child);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let url = loop {
        let line = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("rungs serve printed its address");
        if let Some(rest) = line.strip_prefix("serving ") {
            break rest.split(' ').next().unwrap().to_string();
        }
    };
    node_checks("serve_checks.mjs", &[url.as_ref(), dir.path().as_os_str()]);
}
