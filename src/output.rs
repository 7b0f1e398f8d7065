//! Writing the site: everything goes to a staging folder next to the
//! output, which replaces the output only when the whole build succeeded.
//! A failed build leaves the previous output exactly as it was.
//!
//! The output a build replaces is not deleted: it is kept beside the new
//! one as `.<name>.rungs-previous` (with a `.gitignore` of `*`, so that a
//! repository does not see it), and the next build claims it as its
//! staging folder and writes over it. Deleting a large output tree and
//! creating every file and folder again is most of what a rebuild costs
//! the file system (on ext4, inode allocation right after as many inodes
//! were freed); writing over files that are there already costs neither.
//! Files of the kept output that the new build does not write are removed
//! before the swap. `rungs build --clean` ([`keep_previous`]) deletes it
//! instead.

use crate::diagnostics::{display_path, Diagnostic, Error, Result};
use rayon::prelude::*;
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// Whether the previous output, once swapped out, is removed in the
/// background ([`defer_removals`]).
static DEFER: AtomicBool = AtomicBool::new(false);
/// Whether a swapped-out output is kept for the next build to write over.
static KEEP: AtomicBool = AtomicBool::new(true);
/// Background removals still running.
static PENDING: Mutex<Vec<std::thread::JoinHandle<()>>> = Mutex::new(Vec::new());

/// The `.gitignore` put in a kept output: everything in the folder,
/// itself included, is ignored.
const KEPT_GITIGNORE: &str = "# rungs: the previous output, kept for the next build to write over.\n# Safe to delete. `rungs build --clean` does not keep it.\n*\n";

/// Remove swapped-out outputs in the background from now on, so that a
/// build reports as soon as its new output is in place. The caller must
/// call [`wait_for_removals`] before it exits (the CLI does, after
/// printing its report).
pub fn defer_removals() {
    DEFER.store(true, Ordering::SeqCst);
}

/// Whether builds from now on keep the output they replace for the next
/// build to write over (the default), or delete it, and any output kept
/// earlier (`false`: `rungs build --clean`).
pub fn keep_previous(keep: bool) {
    KEEP.store(keep, Ordering::SeqCst);
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

/// Remove `dir` now, or in the background after [`defer_removals`].
fn remove_later(dir: PathBuf) -> Result<()> {
    if DEFER.load(Ordering::SeqCst) {
        let h = std::thread::spawn(move || {
            if let Err(e) = remove_tree(&dir) {
                eprintln!(
                    "warning: could not remove the previous output {}: {e}",
                    display_path(&dir)
                );
            }
        });
        PENDING.lock().unwrap_or_else(|e| e.into_inner()).push(h);
        Ok(())
    } else {
        remove_tree(&dir).map_err(|e| Error::io(&dir, "remove", e))
    }
}

/// The key of a `/`-separated path inside the output, the same for every
/// spelling of it (`a//b`, `./a/b`): a 64-bit hash of its segments.
fn path_key(rel: &str) -> u64 {
    BuildHasherDefault::<DefaultHasher>::default().hash_one(
        rel.split('/')
            .filter(|s| !s.is_empty() && *s != ".")
            .collect::<Vec<_>>(),
    )
}

/// Remove what is under `dir` (at `rel` in the output) but not in
/// `written`, and folders left empty. Whether anything is left in `dir`.
fn sweep(dir: &Path, rel: &str, written: &rustc_hash::FxHashSet<u64>) -> std::io::Result<bool> {
    let entries: Vec<_> = std::fs::read_dir(dir)?.collect::<std::io::Result<_>>()?;
    let kept = entries
        .par_iter()
        .map(|e| -> std::io::Result<bool> {
            let name = e.file_name();
            let path = e.path();
            // A name that is not UTF-8 is no page of rungs'.
            let Some(name) = name.to_str() else {
                return remove_any(&path).map(|_| false);
            };
            let child = if rel.is_empty() {
                name.to_string()
            } else {
                format!("{rel}/{name}")
            };
            if e.file_type()?.is_dir() {
                if sweep(&path, &child, written)? {
                    return Ok(true);
                }
                std::fs::remove_dir(&path)?;
                Ok(false)
            } else if written.contains(&path_key(&child)) {
                Ok(true)
            } else {
                std::fs::remove_file(&path)?;
                Ok(false)
            }
        })
        .collect::<std::io::Result<Vec<bool>>>()?;
    Ok(kept.contains(&true))
}

/// Remove `path`, a folder tree or anything else (a symbolic link is
/// removed, not followed).
fn remove_any(path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Whether `path` is a plain folder (not a link to one).
fn is_plain_dir(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

/// Folders beside the output left by builds that were killed (their
/// process is gone): a staging folder, or a replaced output not yet
/// removed. The first becomes the kept output when there is none (the next
/// build writes over whatever it holds), the rest are removed. Best effort;
/// Linux only, where a process's liveness is visible in `/proc`.
fn take_leftovers(parent: &Path, name: &str, kept: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let me = std::process::id();
    let prefix = format!(".{name}.rungs-");
    for e in entries.flatten() {
        let file_name = e.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let Some(pid) = rest
            .strip_prefix("staging-")
            .or_else(|| rest.strip_prefix("old-"))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == me || Path::new("/proc").join(pid.to_string()).exists() {
            continue;
        }
        let path = e.path();
        if !is_plain_dir(&path) {
            continue;
        }
        let reused =
            KEEP.load(Ordering::SeqCst) && !kept.exists() && std::fs::rename(&path, kept).is_ok();
        if reused {
            let _ = std::fs::write(kept.join(".gitignore"), KEPT_GITIGNORE);
        } else if let Err(e) = remove_later(path) {
            eprint!("warning: {e}");
        }
    }
}

pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    /// Where the output this build replaces is kept.
    kept: PathBuf,
    /// When the staging folder is a kept output being written over: the
    /// keys ([`path_key`]) of the files this build wrote, so that the rest
    /// can be removed before the swap.
    written: Option<Mutex<rustc_hash::FxHashSet<u64>>>,
    committed: bool,
}

impl Staging {
    /// A staging folder beside `target`: the output kept by an earlier
    /// build when there is one (and builds keep them), else a new, empty
    /// folder.
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
        let kept = parent.join(format!(".{name}.rungs-previous"));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, "clear", e))?;
        }
        take_leftovers(&parent, &name, &kept);
        // Claiming the kept output is one rename: of two builds at once,
        // one gets it and the other starts afresh.
        let claimed = KEEP.load(Ordering::SeqCst)
            && is_plain_dir(&kept)
            && std::fs::rename(&kept, &dir).is_ok();
        if !claimed {
            std::fs::create_dir(&dir).map_err(|e| Error::io(&dir, "create", e))?;
        }
        Ok(Staging {
            target,
            dir,
            kept,
            written: claimed.then(Default::default),
            committed: false,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Write `bytes` at `rel` (a `/`-separated path) inside the staging folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let over = self.written.is_some();
        self.put(rel, |path| {
            use std::io::Write;
            let mut o = std::fs::OpenOptions::new();
            // Over a kept output, a file is written over and then cut to
            // its new length rather than emptied first: ext4 flushes a
            // file emptied and written again when it is closed (its
            // `auto_da_alloc` guard for programs that replace files that
            // way), which made rebuilds on disk wait on the disk.
            o.write(true).create(true).truncate(!over);
            // A link left in a kept output is an error here (and removed
            // by `put`), never written through.
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::custom_flags(&mut o, libc::O_NOFOLLOW);
            let mut f = o.open(path)?;
            f.write_all(bytes)?;
            if over {
                f.set_len(bytes.len() as u64)?;
            }
            Ok(())
        })
        .map_err(|(path, e)| Error::io(&path, "write", e))
    }

    /// Copy a file into the staging folder.
    pub fn copy(&self, rel: &str, from: &Path) -> Result<()> {
        self.put(rel, |path| {
            // `fs::copy` follows a link where the copy goes: over a kept
            // output, make sure none is there.
            if self.written.is_some()
                && std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink())
            {
                std::fs::remove_file(path)?;
            }
            std::fs::copy(from, path).map(|_| ())
        })
        .map_err(|(_, e)| Error::io(from, "copy", e))
    }

    /// Make the file at `rel` with `make`, its folders first. Over a kept
    /// output, what stands in the way (a file where a folder goes, a
    /// folder or link where the file goes) is removed and `make` tried
    /// again.
    fn put(
        &self,
        rel: &str,
        make: impl Fn(&Path) -> std::io::Result<()>,
    ) -> std::result::Result<(), (PathBuf, std::io::Error)> {
        let path = self.dir.join(rel);
        let attempt = || -> std::result::Result<(), (PathBuf, std::io::Error)> {
            if let Some(p) = path.parent() {
                std::fs::create_dir_all(p).map_err(|e| (p.to_path_buf(), e))?;
            }
            make(&path).map_err(|e| (path.clone(), e))
        };
        let Some(written) = &self.written else {
            return attempt();
        };
        if attempt().is_err() {
            self.clear_way(rel);
            attempt()?;
        }
        written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path_key(rel));
        Ok(())
    }

    /// Remove from a kept output what stands where `rel` goes: anything but
    /// a folder at each of its folders, anything at the file itself.
    fn clear_way(&self, rel: &str) {
        let mut at = self.dir.clone();
        let segs: Vec<&str> = rel.split('/').filter(|s| !s.is_empty()).collect();
        for (i, seg) in segs.iter().enumerate() {
            at.push(seg);
            if i + 1 == segs.len() || !is_plain_dir(&at) {
                let _ = remove_any(&at);
            }
        }
    }

    /// Swap the staging folder in as the output.
    pub fn commit(mut self) -> Result<()> {
        if let Some(written) = self.written.take() {
            let written = written.into_inner().unwrap_or_else(|e| e.into_inner());
            sweep(&self.dir, "", &written).map_err(|e| Error::io(&self.dir, "clear", e))?;
        }
        let had_old = self.target.exists();
        let keep = KEEP.load(Ordering::SeqCst);
        // The output being replaced goes where it is kept, or aside to be
        // removed (when builds keep none, or another build kept one
        // meanwhile).
        let old = if keep && !self.kept.exists() {
            self.kept.clone()
        } else {
            self.dir.with_file_name(
                self.dir
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .replace("rungs-staging", "rungs-old"),
            )
        };
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
        if had_old && old == self.kept {
            // Kept out of version control's sight; the next build writes
            // over it. Failing that is no failure of this build.
            let _ = std::fs::write(old.join(".gitignore"), KEPT_GITIGNORE);
        } else if had_old {
            remove_later(old)?;
        }
        if !keep && is_plain_dir(&self.kept) {
            remove_later(self.kept.clone())?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        // A kept output claimed by a failed build is kept again: whatever
        // it holds now, the next build sweeps.
        if self.written.is_some()
            && !self.kept.exists()
            && std::fs::rename(&self.dir, &self.kept).is_ok()
        {
            let _ = std::fs::write(self.kept.join(".gitignore"), KEPT_GITIGNORE);
            return;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
