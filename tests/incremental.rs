//! Incremental rebuilds (`rungs serve`, `rungs watch`): after each of many
//! kinds of edit, a session's output is byte for byte what a cold
//! `rungs::build` of the same tree makes.

mod common;

use common::{repo, seeds, snapshot};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// A site under edit, a session building it, and a clock that gives every
/// written file a modification time of its own (in the past, so that the
/// session may trust it; see `incremental::Stamp`).
/// When `heard` is kept, each build is told the paths changed since the
/// last, as `rungs serve` tells it what its watcher heard
/// (`Session::build_after`).
struct Bench {
    dir: tempfile::TempDir,
    session: rungs::Session,
    tick: u64,
    steps: usize,
    heard: Option<Vec<PathBuf>>,
}

impl Bench {
    fn new() -> Bench {
        Bench {
            dir: tempfile::tempdir().unwrap(),
            session: rungs::Session::new(),
            tick: 0,
            steps: 0,
            heard: None,
        }
    }

    /// A bench whose builds are told what changed.
    fn told() -> Bench {
        Bench {
            heard: Some(Vec::new()),
            ..Bench::new()
        }
    }

    fn hear(&mut self, rel: &str) {
        let p = self.path(rel);
        if let Some(h) = &mut self.heard {
            h.push(p);
        }
    }

    /// A session build, told what changed when the bench keeps it.
    fn build(
        &mut self,
        out: &Path,
    ) -> rungs::diagnostics::Result<(rungs::BuildReport, rungs::Written)> {
        let opts = self.opts(out);
        match &mut self.heard {
            Some(h) => {
                let paths = std::mem::take(h);
                self.session.build_after(&opts, &paths)
            }
            None => self.session.build(&opts),
        }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn site(&self) -> PathBuf {
        self.root().join("site")
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.site().join(rel)
    }

    /// Write `text` at `rel` with a fresh past modification time.
    fn write(&mut self, rel: &str, text: &str) {
        self.hear(rel);
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        self.tick += 1;
        let t = SystemTime::now() - Duration::from_secs(100_000) + Duration::from_secs(self.tick);
        std::fs::File::options()
            .append(true)
            .open(&p)
            .unwrap()
            .set_modified(t)
            .unwrap();
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    /// Replace `from` by `to` in the file at `rel`; the text must be there.
    fn replace(&mut self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} has no `{from}`");
        self.write(rel, &text.replacen(from, to, 1));
    }

    fn remove(&mut self, rel: &str) {
        self.hear(rel);
        std::fs::remove_file(self.path(rel)).unwrap();
    }

    fn rename(&mut self, from: &str, to: &str) {
        self.hear(from);
        self.hear(to);
        std::fs::rename(self.path(from), self.path(to)).unwrap();
    }

    fn opts(&self, out: &Path) -> rungs::BuildOptions {
        rungs::BuildOptions {
            path: self.site(),
            out: Some(out.to_path_buf()),
            base_url: None,
        }
    }

    fn served(&self) -> PathBuf {
        self.root().join("served")
    }

    /// Rebuild with the session and check the output against a cold build.
    fn check(&mut self, what: &str) {
        self.steps += 1;
        let served = self.served();
        let cold = self.root().join(format!("cold-{}", self.steps));
        let inc = self.build(&served);
        self.session.wait();
        let full = rungs::build(&self.opts(&cold));
        match (inc, full) {
            (Ok((r, _)), Ok(c)) => {
                assert_eq!(r.pages, c.pages, "{what}: page count");
                let mut rw: Vec<String> = r.warnings.iter().map(|w| w.to_string()).collect();
                let mut cw: Vec<String> = c.warnings.iter().map(|w| w.to_string()).collect();
                rw.sort();
                cw.sort();
                assert_eq!(rw, cw, "{what}: warnings");
            }
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{what}: errors"),
            (a, b) => panic!(
                "{what}: session and cold build disagree: {:?} / {:?}",
                a.map(|_| ()).map_err(|e| e.to_string()),
                b.map(|_| ()).map_err(|e| e.to_string())
            ),
        }
        if cold.exists() {
            assert_same(&served, &cold, what);
            std::fs::remove_dir_all(&cold).unwrap();
        }
    }

    /// Rebuild with the session without waiting for its search index.
    fn build_only(&mut self) {
        let served = self.served();
        self.build(&served).unwrap();
    }

    /// A broken edit: the session fails and leaves the output as it was.
    fn check_broken(&mut self, what: &str) {
        let before = snapshot(&self.served());
        assert!(self.build(&self.served()).is_err(), "{what}: should fail");
        assert!(before == snapshot(&self.served()), "{what}: output moved");
    }
}

fn assert_same(a: &Path, b: &Path, what: &str) {
    let (sa, sb) = (snapshot(a), snapshot(b));
    let ka: Vec<_> = sa.keys().collect();
    let kb: Vec<_> = sb.keys().collect();
    if ka != kb {
        let only_a: Vec<_> = ka.iter().filter(|k| !sb.contains_key(**k)).collect();
        let only_b: Vec<_> = kb.iter().filter(|k| !sa.contains_key(**k)).collect();
        panic!("{what}: files differ: only served {only_a:?}, only cold {only_b:?}");
    }
    for (k, v) in &sa {
        assert!(
            v == &sb[k],
            "{what}: {} differs from a cold build",
            k.display()
        );
    }
}

fn copy_dir(from: &Path, to_rel: &str, b: &mut Bench) {
    for e in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let rel = e.path().strip_prefix(from).unwrap().to_string_lossy();
        let text = std::fs::read_to_string(e.path()).unwrap();
        b.write(&format!("{to_rel}/{rel}"), &text);
    }
}

const CONFIG: &str = "title: Incremental\ncontent: content\noutput: public\n";

#[test]
fn every_kind_of_edit_matches_a_cold_build() {
    every_kind_of_edit(Bench::new());
}

#[test]
fn every_kind_of_edit_matches_a_cold_build_when_told_what_changed() {
    every_kind_of_edit(Bench::told());
}

fn every_kind_of_edit(mut b: Bench) {
    b.write("rungs.yml", CONFIG);
    copy_dir(&repo().join("tests/fixtures/mixed"), "content", &mut b);
    b.write(
        "content/guide.md",
        "---\ntitle: Guide\n---\n\nSee [office hours](plain-page.md) and [mobile](heading-ladder.md).\n",
    );
    b.check("first build");
    b.check("nothing changed");

    b.replace(
        "content/heading-ladder.md",
        "Builds a settings screen",
        "Builds a login screen",
    );
    b.check("edit an expectation");

    b.replace(
        "content/heading-ladder.md",
        "## Level 2",
        "## Level 2\n\nA level between.\n\n- Pairs on releases\n\n## Level 3\n\nMore.\n\n- Leads releases\n\n## Level 4",
    );
    b.check("add levels");

    b.replace(
        "content/heading-ladder.md",
        "## Level 3\n\nMore.\n\n- Leads releases\n\n",
        "",
    );
    b.check("remove a level");

    b.replace(
        "content/heading-ladder.md",
        "# Mobile engineering",
        "# Apps",
    );
    b.check("rename a track");

    b.replace(
        "content/levels/two.md",
        "Leads the review",
        "Runs the review",
    );
    b.check("edit a file-per-level level");

    // The track's title comes from the folder's index; the page of the
    // document that holds the track names it, though that file is as it was.
    b.replace(
        "content/levels/_index.md",
        "Site reliability",
        "Reliability",
    );
    b.check("rename a file-per-level track in its index");

    b.remove("content/levels/two.md");
    b.check("delete a level file");

    b.rename("content/plain-page.md", "content/office-hours.md");
    b.check("rename a linked file");

    b.replace("content/guide.md", "plain-page.md", "office-hours.md");
    b.check("fix the link to the renamed file");

    b.write(
        "content/new/notes.md",
        "# Notes\n\nA new folder with [a guide](../guide.md).\n",
    );
    b.check("add a document in a new folder");

    b.replace("content/guide.md", "Guide", "Handbook guide");
    b.check("edit a plain page");

    b.write("rungs.yml", &format!("{CONFIG}description: Edited.\n"));
    b.check("edit rungs.yml");

    let base = std::fs::read_to_string(repo().join("themes/default/templates/base.html")).unwrap();
    b.write("themes/default/templates/base.html", &base);
    b.check("override a theme template");
    b.replace(
        "themes/default/templates/base.html",
        "</body>",
        "<p>theme edit</p></body>",
    );
    b.check("edit a theme template");
    let css = std::fs::read_to_string(repo().join("themes/default/static/style.css")).unwrap();
    b.write(
        "themes/default/static/style.css",
        &format!("{css}\n.x{{}}\n"),
    );
    b.check("edit a stylesheet");

    b.write("content/levels/one.md", "---\ntrack: [sre\n---\nbroken\n");
    b.check_broken("broken frontmatter");
    b.replace("content/guide.md", "Handbook guide", "The handbook guide");
    b.check_broken("another file edited while one is broken");
    b.write(
        "content/levels/one.md",
        "---\ntrack: sre\nlevel: 1\nrole: On-call engineer\n---\n\n## Operations\n\n- Takes a shift\n",
    );
    b.check("fix the broken file");

    b.write(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}{% block content %}{{ nope(",
    );
    b.check_broken("broken template");
    b.remove("themes/default/templates/page.html");
    b.check("remove the broken template");

    b.remove("content/new/notes.md");
    b.check("delete the new document");
    b.write("content/img/pic.png", "not really a png");
    b.check("add an asset");
    b.write("content/img/pic.png", "still not a png!");
    b.check("edit an asset");

    // A page's address taken over by a copied file, and back.
    b.write("content/swap.md", "# Swap\n\nA page.\n");
    b.check("add a page");
    b.remove("content/swap.md");
    b.write("content/swap/index.html", "<p>a copied file</p>\n");
    b.check("a copied file where the page was");
    b.remove("content/swap/index.html");
    b.write("content/swap.md", "# Swap\n\nThe page again.\n");
    b.check("the page again where the copied file was");

    // Edits built back to back: each search index waits for the last,
    // and one that a newer build follows is not made at all.
    b.write(
        "content/quick.md",
        "# Quick\n\nWords for the index: zephyr.\n",
    );
    b.build_only();
    b.replace("content/quick.md", "zephyr", "quetzal");
    b.build_only();
    b.remove("content/quick.md");
    b.check("three edits built back to back");

    // Every address in the sitemap moves.
    b.write(
        "rungs.yml",
        &format!("{CONFIG}base_url: https://example.org/handbook/\n"),
    );
    b.check("set base_url");
}

#[test]
fn edits_of_the_seeds_match_a_cold_build() {
    edits_of_the_seeds(Bench::new());
}

#[test]
fn edits_of_the_seeds_match_a_cold_build_when_told_what_changed() {
    edits_of_the_seeds(Bench::told());
}

fn edits_of_the_seeds(mut b: Bench) {
    let Some(seeds) = seeds() else { return };
    b.write("rungs.yml", CONFIG);
    for e in std::fs::read_dir(&seeds).unwrap().filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".txt") {
            let text = std::fs::read_to_string(e.path()).unwrap();
            b.write(&format!("content/{name}"), &text);
        }
    }
    b.check("seeds");
    let names: Vec<String> = std::fs::read_dir(b.path("content"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for name in &names {
        let rel = format!("content/{name}");
        let text = b.read(&rel);
        // Change one line in the middle of each seed, then append a line.
        let lines: Vec<&str> = text.lines().collect();
        let mid = lines.len() / 2;
        let mut edited: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        edited[mid] = format!("{} (edited)", edited[mid]);
        b.write(&rel, &(edited.join("\n") + "\n"));
        b.check(&format!("edit the middle of {name}"));
        b.write(&rel, &format!("{text}\n\nAppended paragraph.\n"));
        b.check(&format!("append to {name}"));
        b.write(&rel, &text);
        b.check(&format!("restore {name}"));
    }
    let first = &names[0];
    b.rename(&format!("content/{first}"), "content/renamed.txt");
    b.check("rename a seed");
    b.remove("content/renamed.txt");
    b.check("delete a seed");
}

/// One level file of a generated track, `level` of `track`.
fn level_file(track: &str, n: u32, extra: &str) -> String {
    let mut body =
        format!("---\ntitle: \"{track}: Level {n}\"\ntrack: \"{track}\"\nlevel: {n}\n---\n");
    for (d, dim) in ["Delivery", "Collaboration"].iter().enumerate() {
        body.push_str(&format!("\n## {dim}\n\n"));
        for k in 0..3 {
            let v = if k == 0 { 0 } else { n / (k + 1) };
            body.push_str(&format!(
                "- Expectation {d}.{k} at stage {v}: ships scope {v}.\n"
            ));
        }
    }
    body + extra
}

#[test]
fn edits_of_long_tracks_match_a_cold_build() {
    edits_of_long_tracks(Bench::new());
}

#[test]
fn edits_of_long_tracks_match_a_cold_build_when_told_what_changed() {
    edits_of_long_tracks(Bench::told());
}

fn edits_of_long_tracks(mut b: Bench) {
    // Past 12 levels, track and dimension pages are windows, comparisons
    // link their neighbours and the glance links on: all of it must follow
    // an edit.
    b.write("rungs.yml", CONFIG);
    for track in ["backend", "data"] {
        b.write(
            &format!("content/{track}/_index.md"),
            &format!("---\ntitle: {track}\n---\n\nThe {track} track.\n"),
        );
        let levels = if track == "backend" { 30 } else { 14 };
        for n in 1..=levels {
            let text = level_file(track, n, "");
            b.write(&format!("content/{track}/level-{n:03}.md"), &text);
        }
    }
    b.check("first build");
    b.replace(
        "content/backend/level-017.md",
        "Expectation 1.2",
        "Expectation 1.2 (reworded)",
    );
    b.check("edit a level in the second window");
    // Back to the text of the first build: its pages are remembered (from
    // that build) without their data, and planned again.
    b.replace(
        "content/backend/level-017.md",
        "Expectation 1.2 (reworded)",
        "Expectation 1.2",
    );
    b.check("undo the edit");
    b.replace(
        "content/backend/level-017.md",
        "Expectation 1.2",
        "Expectation 1.2 (reworded)",
    );
    b.check("redo the edit");
    // Level 13, first of the second window, is marked against level 12:
    // the second window of each dimension page reads the last level of
    // the first.
    b.replace(
        "content/backend/level-012.md",
        "Expectation 0.1 at stage 6: ships scope 6.",
        "Writes the onboarding guide for newcomers.",
    );
    b.check("edit the level before a window");
    let text = level_file("backend", 31, "\n- Mentors the next cohort.\n");
    b.write("content/backend/level-031.md", &text);
    b.check("add a level: a new window");
    b.remove("content/backend/level-005.md");
    b.check("remove a level from the first window");
    let text = level_file("data", 15, "");
    b.write("content/data/level-015.md", &text);
    b.check("another track grows past the glance");
    b.replace(
        "content/data/_index.md",
        "The data track.",
        "Data, renamed.",
    );
    b.check("edit a track's notes");
}

#[test]
fn links_in_ladder_texts_follow_edits() {
    links_in_ladder_texts(Bench::new());
}

#[test]
fn links_in_ladder_texts_follow_edits_when_told_what_changed() {
    links_in_ladder_texts(Bench::told());
}

fn links_in_ladder_texts(mut b: Bench) {
    // A ladder text's links lead to pages that a rename of the target
    // moves: the ladder pages must follow though the ladder did not change.
    b.write("rungs.yml", CONFIG);
    b.write(
        "content/ladders/backend.md",
        "# Backend\n\n## Level 1\n\n- Reads the [design guide](../guides/design.md#use).\n\n## Level 2\n\n- Writes designs like the [design guide](../guides/design.md) says, drawn like ![flow](img/flow.png).\n",
    );
    b.write(
        "content/ladders/frontend.md",
        "# Frontend\n\n## Level 1\n\n- Builds components.\n\n## Level 2\n\n- Builds systems.\n",
    );
    b.write("content/ladders/img/flow.png", "PNG");
    b.write(
        "content/guides/design.md",
        "# Design guide\n\n## Use\n\nIt.\n",
    );
    b.check("first build");
    b.write(
        "content/guides/design.md",
        "---\nslug: designing\n---\n\n# Design guide\n\n## Use\n\nIt.\n",
    );
    b.check("the linked page moves");
    b.rename("content/guides/design.md", "content/guides/design-guide.md");
    b.check("the linked file goes: the link is broken");
    b.replace(
        "content/ladders/backend.md",
        "../guides/design.md#use",
        "../guides/design-guide.md#use",
    );
    b.check("the link follows it");
    b.replace(
        "content/ladders/frontend.md",
        "Builds systems.",
        "Builds systems from the [design guide](../guides/design-guide.md).",
    );
    b.check("another track links");
}
