//! Walking the content tree.

use crate::config::absolute;
use crate::diagnostics::{Diagnostic, Error, Result};
use std::path::{Path, PathBuf};

/// What a file in the content tree is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// Read as markdown (`.md`, `.markdown`, `.txt` by default).
    Markdown,
    /// A `.yml`/`.yaml` data file: read as a ladder when it holds one
    /// ([`super::read_data`]), otherwise copied like an asset.
    Data,
    /// Copied to the output as it is.
    Asset,
}

#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    /// Relative to the content folder, `/`-separated.
    pub rel: String,
    pub kind: SourceKind,
}

/// Editor swap, backup and lock files, which must never become pages.
pub fn is_editor_junk(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.starts_with('#')
        || name.ends_with(".swp")
        || name.ends_with(".swo")
        || name.ends_with(".swx")
        || name.ends_with(".bak")
        || name.ends_with(".tmp")
        || name.ends_with(".orig")
        || name == "4913"
        || name == "Thumbs.db"
}

/// Every file under `content`, sorted by relative path, skipping hidden
/// files, editor junk, names in `ignore`, and the output folder.
pub fn discover(
    content: &Path,
    output: &Path,
    markdown_exts: &[String],
    ignore: &[String],
) -> Result<Vec<SourceFile>> {
    let out_abs = absolute(output);
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            let name = e.file_name().to_string_lossy();
            if is_editor_junk(&name) || ignore.iter().any(|i| i == name.as_ref()) {
                return false;
            }
            if e.file_type().is_dir() {
                let abs = absolute(e.path());
                if abs == out_abs || abs.starts_with(&out_abs) {
                    return false;
                }
                // Build staging folders of an output inside the tree.
                if name.contains(".rungs-staging") || name.contains(".rungs-old") {
                    return false;
                }
            }
            true
        });
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().map(Path::to_path_buf).unwrap_or_default();
            Error::new(
                Diagnostic::error(format!("could not read the content tree: {e}"))
                    .in_file(path)
                    .hint(
                        "check the permissions of this file or folder, or remove a broken symlink",
                    ),
            )
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(content)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let ext = entry
            .path()
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let kind = if markdown_exts.iter().any(|m| m.eq_ignore_ascii_case(&ext)) {
            SourceKind::Markdown
        } else if ext == "yml" || ext == "yaml" {
            SourceKind::Data
        } else {
            SourceKind::Asset
        };
        files.push(SourceFile {
            path: entry.path().to_path_buf(),
            rel,
            kind,
        });
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn junk_names() {
        for n in [".x.md.swp", "a.md~", "#a.md#", ".#a.md", "4913", "a.swp"] {
            assert!(is_editor_junk(n), "{n}");
        }
        assert!(!is_editor_junk("level-3.md"));
    }
}
