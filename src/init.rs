//! `rungs init`: a new handbook with one original example of each ladder
//! shape (the same files as this repository's example `content/`).

use crate::diagnostics::{display_path, Diagnostic, Error, Result};
use std::path::Path;

macro_rules! example {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/content/", $name)) as &[u8])),*]
    };
}

/// The example handbook, file by file (relative to `content/`).
pub const EXAMPLE: &[(&str, &[u8])] = example!(
    "_index.md",
    "ladders/backend.md",
    "ladders/engineering-matrix.md",
    "ladders/data-pipe-table.md",
    "ladders/platform-levels.md",
    "ladders/forecast-science.md",
    "ladders/security-levels.md",
    "skills/incident-response.md",
    "skills/code-review.md",
    "skills/sea-state-briefings.md",
    "guides/how-to-read-the-ladders.md",
    "guides/ladder-diagram.svg",
    "guides/promotion-process.txt",
);

const CONFIG: &str = "\
# rungs site configuration. Every key is optional; see the README.
title: Lanternfish Labs Engineering Ladders
description: What we expect at every level, side by side.
language: en
# base_url: https://ladders.example.com/
# edit_url: https://github.com/your-org/handbook/edit/main/
content: content
output: public
";

/// Write a new handbook into `dir`. Returns the number of files written.
pub fn init(dir: &Path) -> Result<usize> {
    for existing in [dir.join(crate::config::CONFIG_FILE), dir.join("content")] {
        if existing.exists() {
            return Err(Error::new(
                Diagnostic::error(format!(
                    "{} already exists; rungs init will not overwrite a handbook",
                    display_path(&existing)
                ))
                .hint("run `rungs init NEW_FOLDER` to start a new handbook elsewhere"),
            ));
        }
    }
    let write = |rel: &Path, bytes: &[u8]| -> Result<()> {
        let path = dir.join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(|e| Error::io(p, "create", e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, "write", e))
    };
    write(Path::new(crate::config::CONFIG_FILE), CONFIG.as_bytes())?;
    write(Path::new(".gitignore"), b"public/\n")?;
    for (name, bytes) in EXAMPLE {
        write(&Path::new("content").join(name), bytes)?;
    }
    Ok(EXAMPLE.len() + 2)
}
