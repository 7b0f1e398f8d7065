//! `rungs export` as a user runs it.

use std::process::Command;

fn rungs() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rungs"))
}

#[test]
fn export_json_to_stdout_and_file() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/skill");
    let out = rungs().args(["export", fixtures]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["skills"][0]["id"], "incident-response");
    assert_eq!(v["skills"][0]["target"], 2);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("model.json");
    let out = rungs()
        .args(["export", fixtures, "--format", "json", "--out"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.contains("\"maturity\"") || written.contains("\"scale\""));
}

#[test]
fn export_rejects_unknown_formats() {
    let out = rungs()
        .args(["export", ".", "--format", "xml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
