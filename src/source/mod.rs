//! Sources: walking the content tree, reading files, splitting frontmatter.

mod discover;
mod frontmatter;

pub use discover::{discover, is_editor_junk, SourceFile, SourceKind};
pub use frontmatter::{split_frontmatter, Frontmatter};

use crate::diagnostics::{Diagnostic, Diagnostics, Error, Result};
use std::path::PathBuf;

/// A markdown document, read and split, ready for recognition.
#[derive(Debug, Clone)]
pub struct SourceDoc {
    /// Absolute (or as-given) path, for messages and edit links.
    pub path: PathBuf,
    /// Path relative to the content folder, with `/` separators (shared:
    /// every [`SourceRef`](crate::ladder::model::SourceRef) into the
    /// document holds it).
    pub rel: std::sync::Arc<str>,
    /// Frontmatter, empty when the file has none.
    pub frontmatter: Frontmatter,
    /// The markdown after the frontmatter (shared: a rebuild hands the
    /// same text on without copying it).
    pub body: std::sync::Arc<str>,
    /// Number of lines before `body` starts (frontmatter), so that a line
    /// inside `body` maps to `line + body_line_offset` in the file.
    pub body_line_offset: usize,
    /// Where `body`'s lines start, made on the first [`SourceDoc::line_of`].
    /// A document made from another with a different body must not copy
    /// it: see [`SourceDoc::with_body`].
    pub line_starts: LineStarts,
}

/// The byte offsets at which the lines of a text after its first start
/// (made once, on first use), so that finding the line of an offset is a
/// binary search rather than a count of the newlines before it: a
/// document's thousandth bullet no longer counts the 999 lines above it.
#[derive(Debug, Clone, Default)]
pub struct LineStarts(std::sync::OnceLock<Box<[u32]>>);

impl SourceDoc {
    /// 1-based line in the file of a byte offset into `body`.
    pub fn line_of(&self, offset: usize) -> usize {
        let starts = self.line_starts.0.get_or_init(|| {
            let newlines = self.body.bytes().enumerate().filter(|(_, b)| *b == b'\n');
            // Offsets past 4 GiB (no such markdown is read) saturate.
            newlines
                .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX))
                .collect()
        });
        // Lines that start at or before `offset`: the newlines before it.
        let offset = u32::try_from(offset).unwrap_or(u32::MAX);
        starts.partition_point(|&s| s <= offset) + 1 + self.body_line_offset
    }

    /// This document with another body (of the same file: a normalised or
    /// partial text), its line index made anew.
    pub fn with_body(&self, body: std::sync::Arc<str>) -> SourceDoc {
        SourceDoc {
            body,
            line_starts: LineStarts::default(),
            ..self.clone()
        }
    }

    /// A warning located at a byte offset of the body.
    pub fn warn_at(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        let line = self.line_of(offset);
        let full = std::fs::read_to_string(&self.path).unwrap_or_default();
        Diagnostic::warning(message)
            .at(&self.path, line, 1)
            .with_source(&full)
    }

    /// File stem, used as a last-resort title.
    pub fn stem(&self) -> String {
        let name = self.rel.rsplit('/').next().unwrap_or(&self.rel);
        name.rsplit_once('.')
            .map(|(s, _)| s)
            .unwrap_or(name)
            .to_string()
    }

    /// The title its file name gives, for a document with no title of its
    /// own: `on-call-guide.md` → "On Call Guide"; a folder's index
    /// (`platform/_index.md`, `README.md`) takes the folder's name.
    pub fn name_title(&self) -> String {
        let stem = self.stem();
        let name = match self.rel.rsplit_once('/') {
            Some((folder, file)) if crate::site::urls::is_index_name(file) => {
                folder.rsplit('/').next().unwrap_or(folder).to_string()
            }
            _ => stem,
        };
        crate::slug::title_case(&name)
    }
}

/// Decode bytes as UTF-8 text: strip a BOM, normalise CRLF, and report a
/// bad byte with its line and column.
pub fn decode_text(bytes: Vec<u8>, path: &std::path::Path) -> Result<String> {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    match String::from_utf8(bytes) {
        Ok(s) => Ok(if s.contains('\r') {
            s.replace("\r\n", "\n").replace('\r', "\n")
        } else {
            s
        }),
        Err(e) => {
            let upto = e.utf8_error().valid_up_to();
            let good = &e.as_bytes()[..upto];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let col = upto - good.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
            Err(Error::new(
                Diagnostic::error(format!(
                    "file is not valid UTF-8 (byte 0x{:02X} at offset {upto})",
                    e.as_bytes()[upto]
                ))
                .at(path, line, col)
                .hint("re-save the file with UTF-8 encoding (e.g. `iconv -f latin1 -t utf-8`)"),
            ))
        }
    }
}

/// Read and split one markdown file. `Ok(None)` for an empty file (with a
/// warning pushed).
pub fn read_doc(file: &SourceFile, diags: &mut Diagnostics) -> Result<Option<SourceDoc>> {
    let bytes = std::fs::read(&file.path).map_err(|e| Error::io(&file.path, "read", e))?;
    let text = decode_text(bytes, &file.path)?;
    if text.trim().is_empty() {
        diags.push(
            Diagnostic::warning("file is empty; no page was made for it")
                .in_file(&file.path)
                .hint("write some markdown in it, or delete it"),
        );
        return Ok(None);
    }
    let (frontmatter, body, offset) = split_frontmatter(&text, &file.path)?;
    Ok(Some(SourceDoc {
        path: file.path.clone(),
        rel: file.rel.as_str().into(),
        frontmatter,
        body: body.into(),
        body_line_offset: offset,
        line_starts: LineStarts::default(),
    }))
}

/// Read a `.yml`/`.yaml` data file of the content tree. `Ok(Some)` when it
/// holds a ladder written as data ([`crate::ladder::structured_yaml`]):
/// the whole file becomes the document's frontmatter, with an empty body.
/// `Ok(None)` for any other data (copied to the output as it is); YAML
/// that does not parse is also copied, with a located warning.
pub fn read_data(file: &SourceFile, diags: &mut Diagnostics) -> Result<Option<SourceDoc>> {
    let bytes = std::fs::read(&file.path).map_err(|e| Error::io(&file.path, "read", e))?;
    let Ok(text) = decode_text(bytes, &file.path) else {
        return Ok(None);
    };
    let value = match crate::yaml::value_from_str(&text) {
        Ok(v) => v,
        // Several documents in one stream (`---` between them): data for
        // another tool, not a ladder.
        Err(e) if e.message.contains("more than one document") => return Ok(None),
        Err(e) => {
            diags.push(
                Diagnostic::warning(format!(
                    "not valid YAML, so not read as a ladder (copied as a file): {}",
                    e.message
                ))
                .at(&file.path, e.line.max(1), e.col.max(1))
                .with_source(&text)
                .hint("fix the YAML (check the indentation, and quote text containing `: `) if this file is a ladder; otherwise ignore this"),
            );
            return Ok(None);
        }
    };
    let crate::yaml::Value::Mapping(map) = value else {
        return Ok(None);
    };
    if !crate::ladder::structured_yaml::looks_like_ladder(&map) {
        return Ok(None);
    }
    let lines = text.lines().count();
    Ok(Some(SourceDoc {
        path: file.path.clone(),
        rel: file.rel.as_str().into(),
        frontmatter: Frontmatter {
            raw: text,
            raw_line: 1,
            ..Frontmatter::from_mapping(map)
        },
        body: "".into(),
        body_line_offset: lines,
        line_starts: LineStarts::default(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_utf8_points_at_line_and_column() {
        let e = decode_text(b"ok\nab\xFFc".to_vec(), std::path::Path::new("x.md")).unwrap_err();
        let d = &e.diagnostics[0];
        assert_eq!((d.line, d.col), (2, 3));
    }

    #[test]
    fn crlf_and_bom_are_normalised() {
        let s = decode_text(b"\xEF\xBB\xBFa\r\nb".to_vec(), std::path::Path::new("x")).unwrap();
        assert_eq!(s, "a\nb");
    }

    #[test]
    fn line_of_an_offset_counts_the_newlines_before_it() {
        let doc = SourceDoc {
            path: "x.md".into(),
            rel: "x.md".into(),
            frontmatter: Frontmatter::default(),
            body: "ab\ncd\n\nef".into(),
            body_line_offset: 3,
            line_starts: LineStarts::default(),
        };
        let count =
            |d: &SourceDoc, o: usize| d.body[..o.min(d.body.len())].matches('\n').count() + 1 + 3;
        for o in 0..=doc.body.len() + 2 {
            assert_eq!(doc.line_of(o), count(&doc, o), "offset {o}");
        }
        // Another body: its own lines, not the first one's.
        let other = doc.with_body("\n\n\n\nz".into());
        for o in 0..=other.body.len() {
            assert_eq!(other.line_of(o), count(&other, o), "offset {o}");
        }
    }
}
