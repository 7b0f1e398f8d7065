//! Bad input: clear errors with `path:line:col`, exit codes, and the
//! previous output left byte-for-byte intact.

mod common;
use common::*;

/// Build once successfully, then break something and check the failed
/// build names the place and leaves the output as it was.
fn fails_keeping_output(files: &[(&str, &str)], breakage: (&str, &[u8]), expect: &[&str]) {
    let dir = site(files);
    let out = dir.path().join("public");
    let o = rungs(&["build", "."], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let before = snapshot(&out);
    assert!(!before.is_empty());
    std::fs::write(dir.path().join(breakage.0), breakage.1).unwrap();
    let o = rungs(&["build", "."], dir.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for e in expect {
        assert!(err.contains(e), "expected {e:?} in:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        snapshot(&out),
        before,
        "output changed after a failed build"
    );
    // No staging folders are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("rungs-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

const OK: &[(&str, &str)] = &[
    ("rungs.yml", "title: Acme\n"),
    (
        "content/ladder.md",
        "---\ntitle: Ladder\n---\n\n### Level 1\nDoes things.\n- a\n",
    ),
];

#[test]
fn broken_frontmatter_names_file_and_line_and_keeps_output() {
    fails_keeping_output(
        OK,
        (
            "content/ladder.md",
            b"---\ntitle: Ladder\nlevel: [1\n---\nbody\n",
        ),
        &["frontmatter is not valid YAML", "content/ladder.md:3:"],
    );
}

#[test]
fn unclosed_frontmatter_is_an_error() {
    fails_keeping_output(
        OK,
        ("content/ladder.md", b"---\ntitle: Ladder\n\nbody\n"),
        &["never closed", "content/ladder.md:1:1"],
    );
}

#[test]
fn unknown_config_key_names_key_line_and_closest() {
    fails_keeping_output(
        OK,
        ("rungs.yml", b"title: Acme\ndescripton: typo\n"),
        &[
            "unknown key `descripton`",
            "rungs.yml:2:",
            "did you mean `description`?",
        ],
    );
}

#[test]
fn wrong_config_type_is_an_error() {
    fails_keeping_output(
        OK,
        ("rungs.yml", b"title: [1, 2\n"),
        &["rungs.yml:", "not valid"],
    );
}

#[test]
fn non_utf8_file_names_line_and_column() {
    fails_keeping_output(
        OK,
        ("content/ladder.md", b"# Ladder\n\ncaf\xe9 au lait\n"),
        &["not valid UTF-8", "content/ladder.md:3:4"],
    );
}

#[test]
fn template_error_names_template_and_line() {
    let mut files = OK.to_vec();
    files.push((
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}{% block main %}ok{% endblock main %}",
    ));
    fails_keeping_output(
        &files,
        ("themes/default/templates/page.html", b"{% extends \"base.html\" %}\n{% block main %}\n{{ page.title | nosuchfilter }}\n{% endblock main %}\n"),
        &["template error", "page.html:3:"],
    );
}

#[test]
fn empty_file_is_a_warning_not_a_failure() {
    let dir = site(&[("a.md", "# A\n"), ("empty.md", "  \n")]);
    let o = rungs(&["build", "."], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("file is empty"), "{}", stderr(&o));
    assert!(stderr(&o).contains("empty.md"), "{}", stderr(&o));
}

#[test]
fn missing_content_folder_and_missing_path() {
    let dir = site(&[("rungs.yml", "content: docs\n")]);
    let o = rungs(&["build", "."], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("content folder docs does not exist"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("rungs.yml:1:1"), "{}", stderr(&o));

    let o = rungs(&["build", "no-such-folder"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no-such-folder"), "{}", stderr(&o));
}

#[test]
fn output_inside_content_or_containing_it_is_refused() {
    let dir = site(&[
        ("rungs.yml", "output: content/site\n"),
        ("content/a.md", "# A\n"),
    ]);
    let o = rungs(&["build", "."], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("inside the content folder"),
        "{}",
        stderr(&o)
    );

    let dir = site(&[("content/a.md", "# A\n")]);
    let o = rungs(&["build", "content", "--out", "."], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("would replace your sources"),
        "{}",
        stderr(&o)
    );
    assert!(dir.path().join("content/a.md").is_file());
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let o = rungs(&["build", "--no-such-flag"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    let o = rungs(&["frobnicate"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    for sub in ["build", "init"] {
        let o = rungs(&[sub, "--help"], dir.path());
        assert_eq!(o.status.code(), Some(0));
        assert!(stdout(&o).contains("Usage"), "{}", stdout(&o));
    }
    let o = rungs(&["--version"], dir.path());
    assert!(stdout(&o).contains(env!("CARGO_PKG_VERSION")));
}
