//! Writing the site: everything goes to a staging folder next to the
//! output, which replaces the output only when the whole build succeeded.
//! A failed build leaves the previous output exactly as it was.

use crate::diagnostics::{display_path, Diagnostic, Error, Result};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// Whether the previous output, once swapped out, is removed in the
/// background ([`defer_removals`]).
static DEFER: AtomicBool = AtomicBool::new(false);
/// Background removals still running.
static PENDING: Mutex<Vec<std::thread::JoinHandle<()>>> = Mutex::new(Vec::new());

/// Remove swapped-out outputs in the background from now on, so that a
/// build reports as soon as its new output is in place. The caller must
/// call [`wait_for_removals`] before it exits (the CLI does, after
/// printing its report).
pub fn defer_removals() {
    DEFER.store(true, Ordering::SeqCst);
}

/// Wait for the background removals started since [`defer_removals`].
pub fn wait_for_removals() {
    let pending = std::mem::take(&mut *PENDING.lock().unwrap_or_else(|e| e.into_inner()));
    for h in pending {
        let _ = h.join();
    }
}

/// Remove a folder tree, its top-level entries in parallel.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    let entries: Vec<_> = std::fs::read_dir(dir)?.collect::<std::io::Result<_>>()?;
    entries.par_iter().try_for_each(|e| {
        if e.file_type()?.is_dir() {
            remove_tree(&e.path())
        } else {
            std::fs::remove_file(e.path())
        }
    })?;
    std::fs::remove_dir(dir)
}

pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    committed: bool,
}

impl Staging {
    /// A fresh, empty staging folder beside `target`.
    pub fn create(target: &Path) -> Result<Staging> {
        let target = crate::config::absolute(target);
        if target.is_file() {
            return Err(Error::new(
                Diagnostic::error(format!(
                    "the output path {} is a file, not a folder",
                    display_path(&target)
                ))
                .hint("choose another --out folder, or remove the file"),
            ));
        }
        let parent = target.parent().unwrap_or(Path::new("/")).to_path_buf();
        std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, "create", e))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let dir = parent.join(format!(".{name}.rungs-staging-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, "clear", e))?;
        }
        std::fs::create_dir(&dir).map_err(|e| Error::io(&dir, "create", e))?;
        Ok(Staging {
            target,
            dir,
            committed: false,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Write `bytes` at `rel` (a `/`-separated path) inside the staging folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.dir.join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(|e| Error::io(p, "create", e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, "write", e))
    }

    /// Copy a file into the staging folder (hard link when possible).
    pub fn copy(&self, rel: &str, from: &Path) -> Result<()> {
        let path = self.dir.join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(|e| Error::io(p, "create", e))?;
        }
        std::fs::copy(from, &path)
            .map(|_| ())
            .map_err(|e| Error::io(from, "copy", e))
    }

    /// Swap the staging folder in as the output.
    pub fn commit(mut self) -> Result<()> {
        let old = self.dir.with_file_name(
            self.dir
                .file_name()
                .unwrap()
                .to_string_lossy()
                .replace("rungs-staging", "rungs-old"),
        );
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &old)
                .map_err(|e| Error::io(&self.target, "move aside", e))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(Error::io(&self.target, "replace", e));
        }
        self.committed = true;
        if had_old {
            // The new output is in place; what is left is the old one's
            // removal, the costly part of a rebuild on disk.
            if DEFER.load(Ordering::SeqCst) {
                let h = std::thread::spawn(move || {
                    if let Err(e) = remove_tree(&old) {
                        eprintln!(
                            "warning: could not remove the previous output {}: {e}",
                            display_path(&old)
                        );
                    }
                });
                PENDING.lock().unwrap_or_else(|e| e.into_inner()).push(h);
            } else {
                remove_tree(&old).map_err(|e| Error::io(&old, "remove", e))?;
            }
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}
