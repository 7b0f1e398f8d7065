//! Errors and warnings that point at a place in a user's file.
//!
//! Every problem rungs reports about something a user wrote is a
//! [`Diagnostic`]: what is wrong, where (`path:line:col`), and what to do.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// One message about the user's input.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// The file the problem is in, if any.
    pub path: Option<PathBuf>,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub col: usize,
    /// The text of the offending line, shown under the location.
    pub snippet: Option<String>,
    /// What the user can do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            path: None,
            line: 0,
            col: 0,
            snippet: None,
            hint: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn at(mut self, path: impl Into<PathBuf>, line: usize, col: usize) -> Self {
        self.path = Some(path.into());
        self.line = line;
        self.col = col;
        self
    }

    pub fn in_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Attach the source line `self.line` of `text` as a snippet.
    pub fn with_source(mut self, text: &str) -> Self {
        if self.line > 0 {
            if let Some(l) = text.lines().nth(self.line - 1) {
                self.snippet = Some(l.to_string());
            }
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col`, as far as it is known.
    pub fn location(&self) -> Option<String> {
        let path = self.path.as_ref()?;
        let p = display_path(path);
        Some(match (self.line, self.col) {
            (0, _) => p,
            (l, 0) => format!("{p}:{l}"),
            (l, c) => format!("{p}:{l}:{c}"),
        })
    }
}

/// A path as the user would type it: relative to the working directory
/// when it is below it.
pub fn display_path(path: &Path) -> String {
    if let Ok(cwd) = std::env::current_dir() {
        let abs = crate::config::absolute(path);
        if let Ok(rel) = abs.strip_prefix(&cwd) {
            if rel.as_os_str().is_empty() {
                return ".".into();
            }
            return rel.display().to_string();
        }
    }
    path.display().to_string()
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}", self.message)?;
        if let Some(loc) = self.location() {
            let gutter = " ".repeat(self.line.max(1).to_string().len());
            writeln!(f, "{gutter}--> {loc}")?;
            if let Some(snippet) = &self.snippet {
                writeln!(f, "{gutter} |")?;
                writeln!(f, "{} | {}", self.line, snippet)?;
                let caret_pad = " ".repeat(self.col.saturating_sub(1));
                match &self.hint {
                    Some(h) => writeln!(f, "{gutter} | {caret_pad}^ {h}")?,
                    None => writeln!(f, "{gutter} | {caret_pad}^")?,
                }
                return Ok(());
            }
        }
        if let Some(h) = &self.hint {
            writeln!(f, "  = help: {h}")?;
        }
        Ok(())
    }
}

/// Collected diagnostics of one build.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| !d.is_error())
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.is_error())
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }

    /// Sort by file and line so output is stable across parallel runs.
    pub fn sort(&mut self) {
        self.items
            .sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
    }
}

/// A failed build: one or more error diagnostics (and any warnings seen).
#[derive(Debug)]
pub struct Error {
    pub diagnostics: Vec<Diagnostic>,
}

impl Error {
    pub fn new(d: Diagnostic) -> Self {
        Error {
            diagnostics: vec![d],
        }
    }

    /// An I/O failure on `path`, phrased for a user.
    pub fn io(path: &Path, action: &str, err: std::io::Error) -> Self {
        Error::new(
            Diagnostic::error(format!("could not {action} {}: {err}", display_path(path)))
                .in_file(path),
        )
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::new(d)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.diagnostics {
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Edit distance, for "did you mean" hints.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidate closest to `word`, if any is reasonably close.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 2).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_suggests_near_keys() {
        assert_eq!(closest("titel", &["title", "theme"]), Some("title"));
        assert_eq!(closest("zzzzzzzz", &["title", "theme"]), None);
    }

    #[test]
    fn display_shows_location_snippet_and_hint() {
        let d = Diagnostic::error("bad thing")
            .at("x.md", 2, 3)
            .hint("fix it")
            .with_source("a\nab cd\n");
        let s = d.to_string();
        assert!(s.contains("--> x.md:2:3"), "{s}");
        assert!(s.contains("2 | ab cd"), "{s}");
        assert!(s.contains("  ^ fix it"), "{s}");
    }
}
