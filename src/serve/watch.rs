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
/// Quiet time that starts a build once every file a burst changed is
/// complete: closed after writing, or renamed into place (an atomic save).
/// The next event of a burst follows within microseconds; a build that
/// starts before the burst is over is followed by one more, and browsers
/// hear of the burst once (see [`SourceWatcher::pending`]).
pub const SETTLED: Duration = Duration::from_millis(3);
/// A continuous stream of events still rebuilds at least this often.
pub const MAX_WAIT: Duration = Duration::from_millis(1000);

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

/// What the watcher hears about one path.
enum Heard {
    /// The path changed; `true` when it is complete now (renamed into
    /// place), `false` when more may follow (written, created, removed).
    Changed(PathBuf, bool),
    /// The path was closed after writing: complete, unless written again.
    Closed(PathBuf),
}

/// What an event says about its paths: nothing for an event that changes
/// nothing (a read), else whether each path is complete.
fn heard(kind: &EventKind, paths: Vec<PathBuf>) -> Vec<Heard> {
    use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind, RenameMode};
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
            paths.into_iter().map(Heard::Closed).collect()
        }
        EventKind::Access(_)
        | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => Vec::new(),
        // A rename's source is gone (and its name may be written anew, as
        // vim does); its destination is complete.
        EventKind::Modify(ModifyKind::Name(RenameMode::To)) => {
            paths.into_iter().map(|p| Heard::Changed(p, true)).collect()
        }
        EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => {
            let n = paths.len();
            paths
                .into_iter()
                .enumerate()
                .map(|(i, p)| Heard::Changed(p, i + 1 == n))
                .collect()
        }
        _ => paths
            .into_iter()
            .map(|p| Heard::Changed(p, false))
            .collect(),
    }
}

/// A running watcher; dropping it stops watching.
pub struct SourceWatcher {
    _watcher: notify::RecommendedWatcher,
    rx: Receiver<Heard>,
    /// A change heard by [`SourceWatcher::pending`], not yet gathered.
    early: std::cell::RefCell<Option<Heard>>,
    /// When the last event of the last change gathered was heard.
    last: std::cell::Cell<Instant>,
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
            let rescan = Heard::Changed(filter.recursive[0].clone(), false);
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
            for h in heard(&ev.kind, ev.paths) {
                let (Heard::Changed(p, _) | Heard::Closed(p)) = &h;
                if filter.relevant(p) {
                    let _ = tx.send(h);
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
            early: std::cell::RefCell::new(None),
            last: std::cell::Cell::new(Instant::now()),
            plan,
        })
    }

    /// What this watcher watches.
    pub fn plan(&self) -> &WatchPlan {
        &self.plan
    }

    /// Wait up to `timeout` for a change, then gather the rest of its
    /// burst: until [`DEBOUNCE`] passes with no event, or only
    /// [`SETTLED`] once every changed file is complete. `None` when
    /// nothing changed in time.
    pub fn next_change(&self, timeout: Duration) -> Option<Change> {
        let first = match self.early.take() {
            Some(h) => h,
            None => match self.rx.recv_timeout(timeout) {
                Ok(h) => h,
                Err(RecvTimeoutError::Timeout) => return None,
                Err(RecvTimeoutError::Disconnected) => {
                    std::thread::sleep(timeout);
                    return None;
                }
            },
        };
        // A file closed with no change heard: its change was gathered
        // with the last burst (every write is heard before its close).
        let Heard::Changed(first, done) = first else {
            return None;
        };
        let mut change = Change { paths: vec![] };
        // The changed files that may not be complete yet.
        let mut open: Vec<PathBuf> = Vec::new();
        let mut add = |p: PathBuf, done: bool, open: &mut Vec<PathBuf>| {
            if done {
                open.retain(|q| *q != p);
            } else if !open.contains(&p) {
                open.push(p.clone());
            }
            if !change.paths.contains(&p) {
                change.paths.push(p);
            }
        };
        add(first, done, &mut open);
        let start = Instant::now();
        self.last.set(start);
        while start.elapsed() < MAX_WAIT {
            let quiet = if open.is_empty() { SETTLED } else { DEBOUNCE };
            match self.rx.recv_timeout(quiet) {
                Ok(Heard::Changed(p, done)) => add(p, done, &mut open),
                Ok(Heard::Closed(p)) => open.retain(|q| *q != p),
                Err(_) => break,
            }
            self.last.set(Instant::now());
        }
        Some(change)
    }

    /// Whether the burst of the last [`SourceWatcher::next_change`] went
    /// on: a change heard since, or until [`DEBOUNCE`] after its last
    /// event (a build that started once its files were complete may end
    /// sooner). `serve` then builds again before telling browsers, so that
    /// a burst is one reload, as with a plain debounce.
    pub fn pending(&self) -> bool {
        if self.early.borrow().is_some() {
            return true;
        }
        let until = self.last.get() + DEBOUNCE;
        loop {
            let wait = until.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(wait) {
                Ok(h @ Heard::Changed(..)) => {
                    *self.early.borrow_mut() = Some(h);
                    return true;
                }
                Ok(Heard::Closed(_)) => {}
                Err(_) => return false,
            }
        }
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

    #[test]
    fn what_events_say() {
        use notify::event::{AccessKind, AccessMode, DataChange, ModifyKind, RenameMode};
        let p = |v: &[&str]| v.iter().map(PathBuf::from).collect::<Vec<_>>();
        let said = |k: EventKind, v: &[&str]| -> Vec<(String, Option<bool>)> {
            heard(&k, p(v))
                .into_iter()
                .map(|h| match h {
                    Heard::Changed(p, done) => (p.display().to_string(), Some(done)),
                    Heard::Closed(p) => (p.display().to_string(), None),
                })
                .collect()
        };
        let written = EventKind::Modify(ModifyKind::Data(DataChange::Any));
        assert_eq!(said(written, &["a"]), [("a".into(), Some(false))]);
        let closed = EventKind::Access(AccessKind::Close(AccessMode::Write));
        assert_eq!(said(closed, &["a"]), [("a".into(), None)]);
        let read = EventKind::Access(AccessKind::Close(AccessMode::Read));
        assert!(said(read, &["a"]).is_empty());
        let to = EventKind::Modify(ModifyKind::Name(RenameMode::To));
        assert_eq!(said(to, &["a"]), [("a".into(), Some(true))]);
        // vim moves the file away and writes it anew: the old name is not
        // complete until then.
        let from = EventKind::Modify(ModifyKind::Name(RenameMode::From));
        assert_eq!(said(from, &["a"]), [("a".into(), Some(false))]);
        let both = EventKind::Modify(ModifyKind::Name(RenameMode::Both));
        assert_eq!(
            said(both, &["a", "b"]),
            [("a".into(), Some(false)), ("b".into(), Some(true))]
        );
        let removed = EventKind::Remove(notify::event::RemoveKind::File);
        assert_eq!(said(removed, &["a"]), [("a".into(), Some(false))]);
    }
}
