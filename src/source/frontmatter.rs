//! YAML frontmatter between `---` lines at the top of a document.

use crate::diagnostics::{Diagnostic, Error, Result};
use crate::yaml::{self, Value};
use std::path::Path;

/// The frontmatter keys rungs understands; any other key is kept in `extra`
/// (handbooks carry keys for other tools, such as `order` or `wideContent`).
#[derive(Debug, Clone, Default)]
pub struct Frontmatter {
    pub title: Option<String>,
    pub description: Option<String>,
    /// `skill`, `ladder`, `page`: overrides recognition.
    pub kind: Option<String>,
    pub weight: Option<i64>,
    pub track: Option<String>,
    pub level: Option<String>,
    pub role: Option<String>,
    pub slug: Option<String>,
    pub draft: bool,
    pub extra: serde_yaml::Mapping,
    /// 1-based file line of each top-level key (`level` → 3), for
    /// diagnostics about a key's value.
    pub key_lines: Vec<(String, usize)>,
    /// The YAML as written, to locate a node for a message
    /// ([`crate::yaml::locate`]).
    pub raw: String,
    /// The file line of the YAML's first line (2 for frontmatter, 1 for a
    /// `.yml` data file).
    pub raw_line: usize,
}

impl Frontmatter {
    /// The file line of a top-level key, if the frontmatter has it.
    pub fn key_line(&self, key: &str) -> Option<usize> {
        self.key_lines
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, l)| *l)
    }

    pub(crate) fn from_mapping(map: serde_yaml::Mapping) -> Frontmatter {
        let mut fm = Frontmatter::default();
        for (k, v) in map {
            let Some(key) = k.as_str() else { continue };
            let text = scalar_text(&v);
            match key {
                "title" => fm.title = text,
                "description" => fm.description = text,
                "kind" | "type" if text.is_some() => fm.kind = text.map(|t| t.to_lowercase()),
                "weight" | "order" => fm.weight = text.and_then(|t| t.parse().ok()),
                "track" => fm.track = text,
                "level" => fm.level = text,
                "role" => fm.role = text,
                "slug" => fm.slug = text,
                "draft" => fm.draft = v.as_bool().unwrap_or(false),
                _ => {
                    fm.extra.insert(k, v);
                }
            }
        }
        fm
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Split `text` into frontmatter, body and the number of lines the
/// frontmatter took (to map body lines back to file lines).
pub fn split_frontmatter<'a>(text: &'a str, path: &Path) -> Result<(Frontmatter, &'a str, usize)> {
    let Some(first_end) = text.find('\n') else {
        return Ok((Frontmatter::default(), text, 0));
    };
    if text[..first_end].trim_end() != "---" {
        return Ok((Frontmatter::default(), text, 0));
    }
    // Find the closing `---` (or `...`) line.
    let mut offset = first_end + 1;
    let mut line_no = 1;
    let mut close = None;
    for line in text[offset..].split_inclusive('\n') {
        line_no += 1;
        let t = line.trim_end();
        if t == "---" || t == "..." {
            close = Some((offset, offset + line.len(), line_no));
            break;
        }
        offset += line.len();
    }
    let Some((yaml_end, body_start, close_line)) = close else {
        return Err(Error::new(
            Diagnostic::error("frontmatter is opened with `---` but never closed")
                .at(path, 1, 1)
                .with_source(text)
                .hint("add a line `---` after the frontmatter, or remove the first line if it is not frontmatter"),
        ));
    };
    let yaml_text = &text[first_end + 1..yaml_end];
    let fm = if yaml_text.trim().is_empty() {
        Frontmatter::default()
    } else {
        let value = yaml::value_from_str(yaml_text).map_err(|e| {
            let line = duplicate_key_line(&e.message, yaml_text)
                .or_else(|| unclosed_bracket_line(&e.message, yaml_text))
                .unwrap_or(if e.line > 0 { e.line } else { 1 })
                + 1;
            Error::new(
                Diagnostic::error(format!("frontmatter is not valid YAML: {}", e.message))
                    .at(path, line, e.col.max(1))
                    .with_source(text)
                    .hint("frontmatter is YAML `key: value` lines between two `---` lines; quote values that contain `: ` or start with `[`, `{`, `*` or `&`"),
            )
        })?;
        match value {
            Value::Mapping(m) => Frontmatter {
                key_lines: key_lines(yaml_text),
                raw: yaml_text.to_string(),
                raw_line: 2,
                ..Frontmatter::from_mapping(m)
            },
            Value::Null => Frontmatter::default(),
            _ => {
                return Err(Error::new(
                    Diagnostic::error("frontmatter must be a set of `key: value` lines")
                        .at(path, 2, 1)
                        .with_source(text)
                        .hint("write e.g. `title: Backend Engineering` between the `---` lines"),
                ))
            }
        }
    };
    Ok((fm, &text[body_start..], close_line))
}

/// Top-level `key:` lines of the YAML, as 1-based file lines (the YAML
/// starts on line 2, after the opening `---`).
fn key_lines(yaml_text: &str) -> Vec<(String, usize)> {
    yaml_text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with([' ', '\t', '#', '-']))
        .filter_map(|(i, l)| {
            let (k, _) = l.split_once(':')?;
            let k = k.trim().trim_matches(['"', '\'']);
            (!k.is_empty()).then(|| (k.to_string(), i + 2))
        })
        .collect()
}

/// serde_yaml reports a duplicate key at the start of the mapping; point
/// at the second occurrence instead (1-based line within the YAML).
fn duplicate_key_line(message: &str, yaml_text: &str) -> Option<usize> {
    let key = message
        .strip_prefix("duplicate entry with key \"")?
        .strip_suffix('"')?;
    yaml_text
        .lines()
        .enumerate()
        .filter(|(_, l)| {
            l.strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with(':'))
        })
        .nth(1)
        .map(|(i, _)| i + 1)
}

/// serde_yaml reports an unclosed `[` or `{` where the text ends; point at
/// the line that opened it instead (1-based line within the YAML).
fn unclosed_bracket_line(message: &str, yaml_text: &str) -> Option<usize> {
    if !(message.contains("expected ',' or ']'") || message.contains("expected ',' or '}'")) {
        return None;
    }
    let mut depth = 0i32;
    let mut opened_at = None;
    for (i, line) in yaml_text.lines().enumerate() {
        for c in line.chars() {
            match c {
                '[' | '{' => {
                    if depth == 0 {
                        opened_at = Some(i + 1);
                    }
                    depth += 1;
                }
                ']' | '}' => depth -= 1,
                _ => {}
            }
        }
    }
    opened_at.filter(|_| depth > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_counts_lines() {
        let (fm, body, off) = split_frontmatter(
            "---\ntitle: A\norder: 3\nwideContent: true\n---\n# H\n",
            Path::new("x"),
        )
        .unwrap();
        assert_eq!(fm.title.as_deref(), Some("A"));
        assert_eq!(fm.weight, Some(3));
        assert!(fm.extra.contains_key("wideContent"));
        assert_eq!(body, "# H\n");
        assert_eq!(off, 5);
        assert_eq!(fm.key_line("order"), Some(3));
        assert_eq!(fm.key_line("title"), Some(2));
        assert_eq!(fm.key_line("level"), None);
    }

    #[test]
    fn broken_yaml_names_the_file_line() {
        let e = split_frontmatter(
            "---\ntitle: A\ndesc: x\n  bad: indent: here\n---\nbody\n",
            Path::new("x.md"),
        )
        .unwrap_err();
        let d = &e.diagnostics[0];
        assert_eq!((d.line, d.col), (4, 6));
        assert!(d.message.contains("not valid YAML"));
    }

    #[test]
    fn duplicate_key_points_at_second_occurrence() {
        let e = split_frontmatter(
            "---\ntitle: A\nlevel: 2\ntitle: B\n---\nbody\n",
            Path::new("x.md"),
        )
        .unwrap_err();
        assert_eq!(e.diagnostics[0].line, 4);
    }

    #[test]
    fn unclosed_frontmatter_is_an_error() {
        assert!(split_frontmatter("---\ntitle: A\n", Path::new("x.md")).is_err());
    }

    #[test]
    fn no_frontmatter_is_fine() {
        let (fm, body, off) = split_frontmatter("# T\n---\n", Path::new("x")).unwrap();
        assert!(fm.title.is_none());
        assert_eq!(body, "# T\n---\n");
        assert_eq!(off, 0);
    }
}
