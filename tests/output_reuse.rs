//! The output a build replaces is kept beside the new one and written
//! over by the next build: same files (the same inodes), nothing stale,
//! and the result the same as a build into an empty folder.

mod common;
use common::*;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

const SITE: &[(&str, &str)] = &[
    ("rungs.yml", "title: Acme\n"),
    (
        "content/ladder.md",
        "---\ntitle: Ladder\n---\n\n### Level 1\nDoes things.\n- Writes code\n\n### Level 2\nDoes more.\n- Writes code well\n",
    ),
    ("content/guide.md", "# Guide\n\nRead [the ladder](ladder.md).\n"),
    ("content/img/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
];

fn build_ok(dir: &Path, extra: &[&str]) {
    let mut args = vec!["build", "."];
    args.extend_from_slice(extra);
    let o = rungs(&args, dir);
    assert!(o.status.success(), "{}", stderr(&o));
}

fn kept(dir: &Path) -> std::path::PathBuf {
    dir.join(".public.rungs-previous")
}

/// What is beside the output: rungs' own folders only.
fn beside(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("rungs-"))
        .collect();
    v.sort();
    v
}

#[test]
fn rebuilds_write_over_the_kept_output_and_match_a_fresh_build() {
    let dir = site(SITE);
    let out = dir.path().join("public");
    build_ok(dir.path(), &[]);
    assert!(beside(dir.path()).is_empty(), "{:?}", beside(dir.path()));
    let guide = out.join("guide/index.html");
    let first_inode = std::fs::metadata(&guide).unwrap().ino();

    // The second build starts afresh and keeps the first output.
    build_ok(dir.path(), &[]);
    assert_eq!(beside(dir.path()), [".public.rungs-previous"]);
    let ignore = std::fs::read_to_string(kept(dir.path()).join(".gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "*"), "{ignore}");
    assert_eq!(
        std::fs::metadata(kept(dir.path()).join("guide/index.html"))
            .unwrap()
            .ino(),
        first_inode
    );

    // Between builds: a page goes, a page comes, and the kept output holds
    // things no build wrote.
    std::fs::remove_file(dir.path().join("content/guide.md")).unwrap();
    std::fs::write(dir.path().join("content/faq.md"), "# FAQ\n\nAsk.\n").unwrap();
    let k = kept(dir.path());
    std::fs::create_dir_all(k.join("junk/deep")).unwrap();
    std::fs::write(k.join("junk/deep/x.html"), "x").unwrap();
    // A folder where a file goes, and a file where a folder goes.
    std::fs::remove_file(k.join("index.html")).unwrap();
    std::fs::create_dir_all(k.join("index.html/inner")).unwrap();
    std::fs::remove_dir_all(k.join("faq")).ok();
    std::fs::write(k.join("faq"), "in the way").unwrap();
    // A file longer than what the next build writes there.
    let mut long = std::fs::read(k.join("sitemap.xml")).unwrap();
    long.extend(std::iter::repeat_n(b'x', 10_000));
    std::fs::write(k.join("sitemap.xml"), long).unwrap();
    // A link where a page goes is replaced, not written through.
    let outside = dir.path().join("outside.txt");
    std::fs::write(&outside, "untouched").unwrap();
    let ladder = k.join("ladder/index.html");
    std::fs::remove_file(&ladder).unwrap();
    std::os::unix::fs::symlink(&outside, &ladder).unwrap();

    // The third build writes over the first output.
    build_ok(dir.path(), &[]);
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "untouched");
    assert!(!std::fs::symlink_metadata(out.join("ladder/index.html"))
        .unwrap()
        .is_symlink());
    assert!(!out.join("guide").exists(), "a removed page's folder stays");
    assert!(!out.join("junk").exists());
    assert!(!out.join(".gitignore").exists());
    assert!(out.join("faq/index.html").is_file());
    let logo = out.join("img/logo.svg");
    assert_eq!(
        std::fs::read_to_string(&logo).unwrap(),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"
    );

    // Byte for byte what a build into an empty folder gives.
    let fresh = tempfile::tempdir().unwrap();
    let o = rungs(
        &[
            "build",
            ".",
            "--out",
            fresh.path().join("site").to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(snapshot(&out), snapshot(&fresh.path().join("site")));
    assert!(broken_links(&out).is_empty(), "{:?}", broken_links(&out));
}

#[test]
fn the_kept_output_is_reused_file_for_file() {
    let dir = site(SITE);
    let out = dir.path().join("public");
    build_ok(dir.path(), &[]);
    let inode = |p: &Path| std::fs::metadata(p).unwrap().ino();
    let first = inode(&out.join("guide/index.html"));
    build_ok(dir.path(), &[]);
    let second = inode(&out.join("guide/index.html"));
    assert_ne!(first, second);
    // Generations take turns: the third build's file is the first's.
    build_ok(dir.path(), &[]);
    assert_eq!(inode(&out.join("guide/index.html")), first);
    build_ok(dir.path(), &[]);
    assert_eq!(inode(&out.join("guide/index.html")), second);
}

#[test]
fn clean_builds_keep_nothing_beside_the_output() {
    let dir = site(SITE);
    build_ok(dir.path(), &[]);
    build_ok(dir.path(), &[]);
    assert_eq!(beside(dir.path()), [".public.rungs-previous"]);
    build_ok(dir.path(), &["--clean"]);
    assert!(beside(dir.path()).is_empty(), "{:?}", beside(dir.path()));
    assert!(dir.path().join("public/guide/index.html").is_file());
}

#[test]
fn a_failed_build_over_a_kept_output_leaves_the_output_and_keeps_it() {
    let dir = site(SITE);
    let out = dir.path().join("public");
    build_ok(dir.path(), &[]);
    build_ok(dir.path(), &[]);
    let before = snapshot(&out);
    std::fs::write(
        dir.path().join("content/ladder.md"),
        "---\ntitle: [Ladder\n---\nbody\n",
    )
    .unwrap();
    let o = rungs(&["build", "."], dir.path());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("content/ladder.md:2:"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        snapshot(&out),
        before,
        "output changed after a failed build"
    );
    // The claimed folder is kept again for the next build, nothing else
    // is left.
    assert_eq!(beside(dir.path()), [".public.rungs-previous"]);
    assert!(kept(dir.path()).join(".gitignore").is_file());
    std::fs::write(
        dir.path().join("content/ladder.md"),
        SITE[1]
            .1
            .replace("Writes code well", "Writes code very well"),
    )
    .unwrap();
    build_ok(dir.path(), &[]);
    assert!(snapshot(&out)
        .values()
        .any(|b| String::from_utf8_lossy(b).contains("Writes code very well")));
}

#[test]
fn the_kept_output_is_not_a_source() {
    // An output inside the content tree: its kept copy is not read back.
    let dir = site(SITE);
    let content = dir.path().join("content");
    for _ in 0..3 {
        let o = rungs(&["build", ".", "--out", "public"], &content);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert!(content.join(".public.rungs-previous").is_dir());
    let o = rungs(&["build", ".", "--out", "public"], &content);
    assert!(o.status.success(), "{}", stderr(&o));
    let pages: Vec<_> = snapshot(&content.join("public"))
        .into_keys()
        .filter(|p| p.to_string_lossy().contains("rungs-previous"))
        .collect();
    assert!(pages.is_empty(), "{pages:?}");
}

#[test]
fn folders_left_by_killed_builds_are_reused_or_removed() {
    let dir = site(SITE);
    build_ok(dir.path(), &[]);
    // No process has a number at or above the kernel's limit.
    let dead = std::fs::read_to_string("/proc/sys/kernel/pid_max")
        .map(|s| s.trim().parse::<u64>().unwrap() + 1)
        .unwrap_or(u32::MAX as u64);
    let staging = dir.path().join(format!(".public.rungs-staging-{dead}"));
    let old = dir.path().join(format!(".public.rungs-old-{}", dead + 1));
    for d in [&staging, &old] {
        std::fs::create_dir_all(d.join("tracks/x")).unwrap();
        std::fs::write(d.join("tracks/x/index.html"), "left over").unwrap();
    }
    // A folder of a build still running is left alone.
    let running = dir
        .path()
        .join(format!(".public.rungs-staging-{}", std::process::id()));
    std::fs::create_dir_all(&running).unwrap();
    build_ok(dir.path(), &[]);
    assert_eq!(
        beside(dir.path()),
        [
            ".public.rungs-previous".to_string(),
            format!(".public.rungs-staging-{}", std::process::id())
        ]
    );
    build_ok(dir.path(), &[]);
    let out = dir.path().join("public");
    assert!(!out.join("tracks/x").exists());
    assert!(snapshot(&out)
        .values()
        .all(|b| !String::from_utf8_lossy(b).contains("left over")));
}
