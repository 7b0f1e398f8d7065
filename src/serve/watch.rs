//! Watching the site's sources: the content folder, `rungs.yml` and the
//! site's `themes/` folder. Editor junk and the output folder (with its
//! staging folders) are ignored; a burst of events becomes one change.

use crate::config::{absolute, SiteLayout};
use crate::diagnostics::{Diagnostic, Error, Result};
use crate::source::is_editor_junk;
use notify::{EventKind, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Quiet time that ends a burst of events.
pub const DEBOUNCE: Duration = Duration::from_millis(20);
/// A continuous stream of events still rebuilds at least this often.
const MAX_WAIT: Duration = Duration::from_millis(1000);

/// What to watch and what to ignore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchPlan {
    /// Folders watched recursively.
    pub recursive: Vec<PathBuf>,
    /// The site root, watched on its own for `rungs.yml`.
    pub root: PathBuf,
    /// The config file name in `root` that matters.
    pub config_name: String,
    /// The output folder; events inside it are ignored.
    pub output: PathBuf,
}

impl WatchPlan {
    pub fn new(layout: &SiteLayout) -> WatchPlan {
        let root = absolute(&layout.root);
        let mut recursive = vec![absolute(&layout.content)];
        let themes = root.join("themes");
        if themes.is_dir() && !themes.starts_with(&recursive[0]) {
            recursive.push(themes);
        }
        WatchPlan {
            recursive,
            root,
            config_name: crate::config::CONFIG_FILE.to_string(),
            output: absolute(&layout.output),
        }
    }

    /// Does an event at `path` matter for the build?
    pub fn relevant(&self, path: &Path) -> bool {
        let path = absolute(path);
        if path.starts_with(&self.output) {
            return false;
        }
        if path.parent() == Some(self.root.as_path())
            && path
                .file_name()
                .is_some_and(|n| n == self.config_name.as_str())
        {
            return true;
        }
        let Some(base) = self.recursive.iter().find(|r| path.starts_with(r)) else {
            return false;
        };
        // Any hidden or junk component (editor swap files, `.git`, the
        // build's own `.public.rungs-staging-*` folders) is ignored.
        !path
            .strip_prefix(base)
            .unwrap_or(&path)
            .components()
            .any(|c| is_editor_junk(&c.as_os_str().to_string_lossy()))
    }
}

/// One debounced batch of changed paths.
#[derive(Debug, Default)]
pub struct Change {
    pub paths: Vec<PathBuf>,
}

impl Change {
    /// True when `rungs.yml` (at the site root of `plan`) changed, which
    /// may move the content or output folder.
    pub fn touches_config(&self, plan: &WatchPlan) -> bool {
        self.paths.iter().any(|p| {
            p.parent() == Some(plan.root.as_path())
                && p.file_name()
                    .is_some_and(|n| n == plan.config_name.as_str())
        })
    }

    /// True when every changed file is a stylesheet.
    pub fn css_only(&self) -> bool {
        !self.paths.is_empty()
            && self
                .paths
                .iter()
                .all(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("css")))
    }
}

/// A running watcher; dropping it stops watching.
pub struct SourceWatcher {
    _watcher: notify::RecommendedWatcher,
    rx: Receiver<PathBuf>,
    plan: WatchPlan,
}

fn watch_error(path: &Path, e: notify::Error) -> Error {
    Error::new(
        Diagnostic::error(format!("cannot watch {} for changes: {e}", path.display()))
            .in_file(path)
            .hint("on Linux, raise fs.inotify.max_user_watches, or use `rungs build`"),
    )
}

impl SourceWatcher {
    pub fn start(plan: WatchPlan) -> Result<SourceWatcher> {
        let (tx, rx) = channel();
        let filter = plan.clone();
        let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            // Lost events (an overflowing queue, an error) mean "something
            // changed": rebuild everything.
            let rescan = filter.recursive[0].clone();
            let ev = match res {
                Ok(ev) if ev.need_rescan() => {
                    let _ = tx.send(rescan);
                    return;
                }
                Ok(ev) => ev,
                Err(_) => {
                    let _ = tx.send(rescan);
                    return;
                }
            };
            let ignored = matches!(
                ev.kind,
                EventKind::Access(_)
                    | EventKind::Modify(notify::event::ModifyKind::Metadata(
                        notify::event::MetadataKind::AccessTime,
                    ))
            );
            if ignored {
                return;
            }
            for p in ev.paths {
                if filter.relevant(&p) {
                    let _ = tx.send(p);
                }
            }
        })
        .map_err(|e| watch_error(&plan.root, e))?;
        for dir in &plan.recursive {
            watcher
                .watch(dir, RecursiveMode::Recursive)
                .map_err(|e| watch_error(dir, e))?;
        }
        if !plan.recursive.iter().any(|r| plan.root.starts_with(r)) {
            watcher
                .watch(&plan.root, RecursiveMode::NonRecursive)
                .map_err(|e| watch_error(&plan.root, e))?;
        }
        Ok(SourceWatcher {
            _watcher: watcher,
            rx,
            plan,
        })
    }

    /// What this watcher watches.
    pub fn plan(&self) -> &WatchPlan {
        &self.plan
    }

    /// Wait up to `timeout` for a change, then gather the rest of its
    /// burst. `None` when nothing changed in time.
    pub fn next_change(&self, timeout: Duration) -> Option<Change> {
        let first = match self.rx.recv_timeout(timeout) {
            Ok(p) => p,
            Err(RecvTimeoutError::Timeout) => return None,
            Err(RecvTimeoutError::Disconnected) => {
                std::thread::sleep(timeout);
                return None;
            }
        };
        let mut change = Change { paths: vec![first] };
        let start = Instant::now();
        while start.elapsed() < MAX_WAIT {
            match self.rx.recv_timeout(DEBOUNCE) {
                Ok(p) => {
                    if !change.paths.contains(&p) {
                        change.paths.push(p);
                    }
                }
                Err(_) => break,
            }
        }
        Some(change)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> WatchPlan {
        WatchPlan {
            recursive: vec!["/s/content".into(), "/s/themes".into()],
            root: "/s".into(),
            config_name: "rungs.yml".into(),
            output: "/s/content/public".into(),
        }
    }

    #[test]
    fn relevance() {
        let p = plan();
        assert!(p.relevant(Path::new("/s/content/a.md")));
        assert!(p.relevant(Path::new("/s/themes/t/style.css")));
        assert!(p.relevant(Path::new("/s/rungs.yml")));
        assert!(!p.relevant(Path::new("/s/other.yml")));
        assert!(!p.relevant(Path::new("/s/content/public/index.html")));
        assert!(!p.relevant(Path::new("/s/content/.a.md.swp")));
        assert!(!p.relevant(Path::new("/s/content/a.md~")));
        assert!(!p.relevant(Path::new("/s/content/4913")));
        assert!(!p.relevant(Path::new("/s/content/.public.rungs-staging-1/index.html")));
        assert!(!p.relevant(Path::new("/s/target/x")));
    }

    #[test]
    fn css_only() {
        let c = |v: &[&str]| Change {
            paths: v.iter().map(PathBuf::from).collect(),
        };
        assert!(c(&["/a/x.css", "/b/Y.CSS"]).css_only());
        assert!(!c(&["/a/x.css", "/a/b.md"]).css_only());
        assert!(!c(&[]).css_only());
    }
}
