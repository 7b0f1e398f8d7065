//! Matrix ladders written as HTML `<table>`s: roles as columns (or rows),
//! a `Level` row mapping each role to a level or range, and one row per
//! dimension whose cells hold lists, paragraphs or a single word.
//!
//! The table is read with a small tag scanner that keeps byte offsets, so
//! every role, level and expectation points at its line, and the claimed
//! span covers exactly the table (and a wrapping `<div>`).

use super::model::{Rich, Shape, Track};
use super::table_grid::{self, Grid, GridCell, Problem};
use super::Claim;
use crate::diagnostics::Diagnostics;
use crate::source::SourceDoc;
use std::ops::Range;

/// A start or end tag found in HTML text.
#[derive(Debug, Clone)]
pub(crate) struct TagTok {
    /// Lowercase element name.
    pub name: String,
    pub start: usize,
    pub end: usize,
    pub close: bool,
    pub self_closing: bool,
    pub attrs: String,
}

/// Scan `src` for tags; offsets are `base + index into src`. Comments,
/// doctypes and stray `<` are skipped. Never panics.
pub(crate) fn tokenize(src: &str, base: usize) -> Vec<TagTok> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        if src[i..].starts_with("<!--") {
            i = src[i + 4..].find("-->").map_or(b.len(), |p| i + 4 + p + 3);
            continue;
        }
        let close = b.get(i + 1) == Some(&b'/');
        let name_start = if close { i + 2 } else { i + 1 };
        if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            if matches!(b.get(i + 1), Some(b'!') | Some(b'?')) {
                i = src[i..].find('>').map_or(b.len(), |p| i + p + 1);
            } else {
                i += 1;
            }
            continue;
        }
        let mut j = name_start;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-') {
            j += 1;
        }
        let name = src[name_start..j].to_ascii_lowercase();
        // Find the closing `>`, respecting quotes.
        let mut k = j;
        let mut quote: Option<u8> = None;
        while k < b.len() {
            match (quote, b[k]) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, b'"') | (None, b'\'') => quote = Some(b[k]),
                (None, b'>') => break,
                (None, b'<') => break,
                _ => {}
            }
            k += 1;
        }
        if k >= b.len() || b[k] != b'>' {
            // Not a tag after all (`a <b` with no `>`).
            i = j;
            continue;
        }
        let attrs = src[j..k].trim().to_string();
        out.push(TagTok {
            self_closing: attrs.ends_with('/'),
            attrs,
            name,
            start: base + i,
            end: base + k + 1,
            close,
        });
        i = k + 1;
    }
    out
}

const VOID: &[&str] = &[
    "br", "img", "hr", "input", "meta", "link", "wbr", "col", "area", "base", "embed", "source",
    "track", "param",
];
/// Elements whose end tag may be left out.
const OPTIONAL_END: &[&str] = &[
    "li", "p", "td", "th", "tr", "thead", "tbody", "tfoot", "dt", "dd", "option", "colgroup",
    "caption",
];
const BLOCKS: &[&str] = &[
    "ul",
    "ol",
    "div",
    "p",
    "table",
    "pre",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "dl",
    "hr",
    "section",
];

/// An element of a parsed fragment.
#[derive(Debug, Clone)]
pub(crate) struct El {
    pub name: String,
    pub start: usize,
    pub inner: Range<usize>,
    pub end: usize,
    pub children: Vec<El>,
}

/// Parse the tags of a fragment `range` into a tree. Returns the top-level
/// elements and the elements left unclosed (whose end tag is required).
pub(crate) fn build_tree(tags: &[TagTok], range: Range<usize>) -> (Vec<El>, Vec<El>) {
    let mut stack: Vec<El> = vec![El {
        name: String::new(),
        start: range.start,
        inner: range.clone(),
        end: range.end,
        children: Vec::new(),
    }];
    let mut unclosed = Vec::new();
    fn pop_to_parent(stack: &mut Vec<El>, at: usize, unclosed: &mut Vec<El>, implicit: bool) {
        if stack.len() < 2 {
            return;
        }
        let mut el = stack.pop().expect("len checked");
        if el.inner.end == usize::MAX {
            el.inner.end = at;
            el.end = at;
        }
        if implicit && !OPTIONAL_END.contains(&el.name.as_str()) {
            unclosed.push(el.clone());
        }
        if let Some(parent) = stack.last_mut() {
            parent.children.push(el);
        }
    }
    for t in tags {
        if t.start < range.start || t.end > range.end {
            continue;
        }
        let name = t.name.as_str();
        if !t.close {
            if name == "li" {
                // A new item closes the open one of the same list.
                if let Some(pos) = stack
                    .iter()
                    .rposition(|e| matches!(e.name.as_str(), "li" | "ul" | "ol"))
                {
                    if stack[pos].name == "li" {
                        while stack.len() > pos {
                            let implicit_ok = stack.len() - 1 == pos;
                            pop_to_parent(&mut stack, t.start, &mut unclosed, !implicit_ok);
                        }
                    }
                }
            }
            if BLOCKS.contains(&name) && stack.last().is_some_and(|e| e.name == "p") {
                pop_to_parent(&mut stack, t.start, &mut unclosed, false);
            }
            let el = El {
                name: t.name.clone(),
                start: t.start,
                inner: t.end..usize::MAX,
                end: usize::MAX,
                children: Vec::new(),
            };
            if VOID.contains(&name) || t.self_closing {
                let el = El {
                    inner: t.end..t.end,
                    end: t.end,
                    ..el
                };
                if let Some(top) = stack.last_mut() {
                    top.children.push(el);
                }
            } else {
                stack.push(el);
            }
        } else if let Some(pos) = stack.iter().skip(1).rposition(|e| e.name == name) {
            let pos = pos + 1;
            while stack.len() > pos + 1 {
                pop_to_parent(&mut stack, t.start, &mut unclosed, true);
            }
            if let Some(el) = stack.last_mut() {
                el.inner.end = t.start;
                el.end = t.end;
            }
            pop_to_parent(&mut stack, t.end, &mut unclosed, false);
        }
    }
    while stack.len() > 1 {
        pop_to_parent(&mut stack, range.end, &mut unclosed, true);
    }
    let root = stack.pop().map(|r| r.children).unwrap_or_default();
    (root, unclosed)
}

fn has_content(src: &str, r: &Range<usize>) -> bool {
    let s = src.get(r.clone()).unwrap_or("");
    !crate::render::markdown::strip_tags(s).trim().is_empty() || s.contains("<img")
}

/// Split a fragment into expectation ranges: each top-level list item,
/// each paragraph, each run of inline content.
pub(crate) fn split_blocks(src: &str, range: Range<usize>, children: &[El]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut run: Option<Range<usize>> = None;
    let flush = |run: &mut Option<Range<usize>>, out: &mut Vec<Range<usize>>| {
        if let Some(r) = run.take() {
            if has_content(src, &r) {
                out.push(r);
            }
        }
    };
    let extend = |run: &mut Option<Range<usize>>, r: Range<usize>| {
        if has_content(src, &r) {
            *run = Some(match run.take() {
                Some(x) => x.start..r.end,
                None => r,
            });
        } else if let Some(x) = run.as_mut() {
            x.end = r.end;
        }
    };
    let mut cursor = range.start;
    for el in children {
        if el.start > cursor {
            extend(&mut run, cursor..el.start);
        }
        match el.name.as_str() {
            "ul" | "ol" => {
                flush(&mut run, &mut out);
                let mut lrun: Option<Range<usize>> = None;
                let mut c2 = el.inner.start;
                for child in &el.children {
                    if child.start > c2 {
                        extend(&mut lrun, c2..child.start);
                    }
                    if child.name == "li" {
                        flush(&mut lrun, &mut out);
                        if has_content(src, &child.inner) {
                            out.push(child.inner.clone());
                        }
                    } else {
                        extend(&mut lrun, child.start..child.end);
                    }
                    c2 = child.end;
                }
                if el.inner.end > c2 {
                    extend(&mut lrun, c2..el.inner.end);
                }
                flush(&mut lrun, &mut out);
            }
            "p" => {
                flush(&mut run, &mut out);
                if has_content(src, &el.inner) {
                    out.push(el.inner.clone());
                }
            }
            "div" | "section" => {
                flush(&mut run, &mut out);
                out.extend(split_blocks(src, el.inner.clone(), &el.children));
            }
            "hr" => flush(&mut run, &mut out),
            n if BLOCKS.contains(&n) => {
                flush(&mut run, &mut out);
                out.push(el.start..el.end);
            }
            _ => extend(&mut run, el.start..el.end),
        }
        cursor = el.end.max(cursor);
    }
    if range.end > cursor {
        extend(&mut run, cursor..range.end);
    }
    flush(&mut run, &mut out);
    out
}

/// Unclosed tags in a fragment, as problems.
fn unclosed_problems(unclosed: &[El]) -> Vec<Problem> {
    unclosed
        .iter()
        .map(|e| {
            Problem::new(
                e.start,
                format!("`<{}>` is never closed", e.name),
                format!("add `</{}>` where the element ends", e.name),
            )
        })
        .collect()
}

/// A cell of an HTML table: its Rich and expectations.
fn html_cell(
    body: &str,
    tags: &[TagTok],
    inner: Range<usize>,
    offset: usize,
) -> (GridCell, Vec<Problem>) {
    let (tree, unclosed) = build_tree(tags, inner.clone());
    let src = body.get(inner.clone()).unwrap_or("");
    if has_blank_line(src) {
        // A blank line ends the HTML block: the cell holds markdown.
        let (text, map) = dedent(src);
        let cell = GridCell {
            rich: Rich::from_markdown(&text),
            expectations: markdown_pieces(&text)
                .into_iter()
                .filter_map(|r| {
                    let rich = Rich::from_markdown(text.get(r.clone())?);
                    (!rich.is_empty()).then(|| (rich, inner.start + map(r.start)))
                })
                .collect(),
            offset,
        };
        return (cell, unclosed_problems(&unclosed));
    }
    let pieces = split_blocks(body, inner.clone(), &tree);
    let cell = GridCell {
        rich: Rich::from_html(src),
        expectations: pieces
            .into_iter()
            .map(|r| (Rich::from_html(body.get(r.clone()).unwrap_or("")), r.start))
            .collect(),
        offset,
    };
    (cell, unclosed_problems(&unclosed))
}

fn has_blank_line(s: &str) -> bool {
    let mut lines = s.lines().skip(1);
    // The first and last (partial) lines are the tags' own lines.
    let n = s.lines().count();
    lines
        .by_ref()
        .take(n.saturating_sub(2))
        .any(|l| l.trim().is_empty())
}

/// Remove the indentation common to a fragment's non-blank lines (after
/// the first), so that indented markdown in a cell is not read as code.
/// Returns the text and a map from its offsets back to the fragment's.
fn dedent(s: &str) -> (String, impl Fn(usize) -> usize) {
    let indent = s
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    let mut out = String::with_capacity(s.len());
    // (offset in out, offset in s) at each line start.
    let mut marks: Vec<(usize, usize)> = Vec::new();
    let mut at = 0;
    for (i, line) in s.split_inclusive('\n').enumerate() {
        let cut = if i == 0 {
            0
        } else {
            let ws = line.len() - line.trim_start_matches([' ', '\t']).len();
            ws.min(indent)
        };
        marks.push((out.len(), at + cut));
        out.push_str(&line[cut..]);
        at += line.len();
    }
    let map = move |o: usize| {
        let k = marks.partition_point(|m| m.0 <= o).saturating_sub(1);
        marks.get(k).map_or(o, |m| m.1 + (o - m.0))
    };
    (out, map)
}

/// Split a markdown fragment into expectation ranges: top-level list items
/// (marker removed), paragraphs, and the pieces of HTML blocks.
pub(crate) fn markdown_pieces(src: &str) -> Vec<Range<usize>> {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut list_depth: Option<usize> = None;
    for (e, r) in Parser::new_ext(src, crate::render::markdown::options()).into_offset_iter() {
        match e {
            Event::Start(tag) => {
                match (&tag, depth, list_depth) {
                    (Tag::List(_), 0, _) => list_depth = Some(1),
                    (Tag::Item, d, Some(l)) if d == l => out.push(strip_marker(src, r)),
                    (Tag::HtmlBlock, 0, _) => {
                        let tags = tokenize(&src[r.clone()], r.start);
                        let (tree, _) = build_tree(&tags, r.clone());
                        out.extend(split_blocks(src, r, &tree));
                    }
                    (_, 0, _) => out.push(r),
                    _ => {}
                }
                depth += 1;
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    list_depth = None;
                }
            }
            Event::Rule | Event::Html(_) => {}
            _ if depth == 0 => out.push(r),
            _ => {}
        }
    }
    out.retain(|r| !src[r.clone()].trim().is_empty());
    out
}

fn strip_marker(src: &str, r: Range<usize>) -> Range<usize> {
    let s = &src[r.clone()];
    let t = s.trim_start();
    let mut start = r.start + (s.len() - t.len());
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let rest = &t[digits..];
    let marker = if digits > 0 {
        usize::from(rest.starts_with(['.', ')']))
    } else {
        usize::from(rest.starts_with(['-', '*', '+']))
    };
    if marker > 0 {
        start += digits + marker;
    }
    let s2 = &src[start..r.end];
    start += s2.len() - s2.trim_start().len();
    start..r.end
}

fn attr_num(attrs: &str, name: &str) -> usize {
    let lower = attrs.to_ascii_lowercase();
    let Some(p) = lower.find(name) else {
        return 1;
    };
    let rest = lower[p + name.len()..].trim_start();
    let Some(rest) = rest.strip_prefix('=') else {
        return 1;
    };
    let rest = rest.trim_start().trim_start_matches(['"', '\'']);
    let digits: String = rest
        .chars()
        .take_while(char::is_ascii_digit)
        .take(4)
        .collect();
    digits.parse::<usize>().unwrap_or(1).clamp(1, 50)
}

struct RawCell {
    offset: usize,
    inner_start: usize,
    inner_end: usize,
    colspan: usize,
    rowspan: usize,
}

struct RawRow {
    offset: usize,
    cells: Vec<RawCell>,
}

/// A parsed HTML table: its grid and where it ends.
pub(crate) struct HtmlTable {
    pub grid: Grid,
    pub end: usize,
}

/// Read the table whose `<table>` tag is `tags[i]`. `Err` with the offset
/// of the `<table>` tag when it is never closed.
pub(crate) fn read_table(body: &str, tags: &[TagTok], i: usize) -> Result<HtmlTable, usize> {
    let open = &tags[i];
    let mut rows: Vec<RawRow> = Vec::new();
    let mut row: Option<RawRow> = None;
    let mut cell: Option<RawCell> = None;
    let mut depth = 1usize;
    let mut end = None;
    fn close_cell(cell: &mut Option<RawCell>, row: &mut Option<RawRow>, at: usize) {
        if let Some(mut c) = cell.take() {
            c.inner_end = at.max(c.inner_start);
            if let Some(r) = row.as_mut() {
                r.cells.push(c);
            }
        }
    }
    fn close_row(row: &mut Option<RawRow>, rows: &mut Vec<RawRow>) {
        if let Some(r) = row.take() {
            if !r.cells.is_empty() {
                rows.push(r);
            }
        }
    }
    for t in &tags[i + 1..] {
        let name = t.name.as_str();
        if name == "table" {
            if !t.close {
                depth += 1;
            } else {
                depth -= 1;
                if depth == 0 {
                    close_cell(&mut cell, &mut row, t.start);
                    close_row(&mut row, &mut rows);
                    end = Some(t.end);
                    break;
                }
            }
            continue;
        }
        if depth > 1 {
            continue;
        }
        match (name, t.close) {
            ("tr", false) => {
                close_cell(&mut cell, &mut row, t.start);
                close_row(&mut row, &mut rows);
                row = Some(RawRow {
                    offset: t.start,
                    cells: Vec::new(),
                });
            }
            ("tr", true) => {
                close_cell(&mut cell, &mut row, t.start);
                close_row(&mut row, &mut rows);
            }
            ("td" | "th", false) => {
                close_cell(&mut cell, &mut row, t.start);
                if row.is_none() {
                    row = Some(RawRow {
                        offset: t.start,
                        cells: Vec::new(),
                    });
                }
                cell = Some(RawCell {
                    offset: t.start,
                    inner_start: t.end,
                    inner_end: t.end,
                    colspan: attr_num(&t.attrs, "colspan"),
                    rowspan: attr_num(&t.attrs, "rowspan"),
                });
            }
            ("td" | "th", true) => close_cell(&mut cell, &mut row, t.start),
            ("thead" | "tbody" | "tfoot", _) => {
                close_cell(&mut cell, &mut row, t.start);
                close_row(&mut row, &mut rows);
            }
            _ => {}
        }
    }
    let Some(end) = end else {
        return Err(open.start);
    };
    // Lay the cells out, repeating spanned cells.
    let mut problems = Vec::new();
    let mut grid_rows = Vec::new();
    let mut row_offsets = Vec::new();
    let mut written_counts = Vec::new();
    let mut pending: Vec<Option<(usize, GridCell)>> = Vec::new();
    for r in &rows {
        let mut out: Vec<GridCell> = Vec::new();
        let take_pending =
            |out: &mut Vec<GridCell>, pending: &mut Vec<Option<(usize, GridCell)>>| {
                while let Some(Some((left, c))) = pending.get_mut(out.len()) {
                    out.push(c.clone());
                    *left -= 1;
                    if *left == 0 {
                        let k = out.len() - 1;
                        pending[k] = None;
                    }
                }
            };
        for rc in &r.cells {
            take_pending(&mut out, &mut pending);
            let (gc, p) = html_cell(body, tags, rc.inner_start..rc.inner_end, rc.offset);
            problems.extend(p);
            for _ in 0..rc.colspan {
                if rc.rowspan > 1 {
                    let k = out.len();
                    if pending.len() <= k {
                        pending.resize(k + 1, None);
                    }
                    pending[k] = Some((rc.rowspan - 1, gc.clone()));
                }
                out.push(gc.clone());
            }
        }
        take_pending(&mut out, &mut pending);
        written_counts.push(out.len());
        row_offsets.push(r.offset);
        grid_rows.push(out);
    }
    Ok(HtmlTable {
        grid: Grid {
            rows: grid_rows,
            row_offsets,
            written_counts,
            offset: open.start,
            shape: Shape::MatrixTable,
            problems,
        },
        end,
    })
}

/// HTML block ranges and code ranges of a body.
fn block_ranges(body: &str) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut html = Vec::new();
    let mut code = Vec::new();
    for (e, r) in Parser::new_ext(body, crate::render::markdown::options()).into_offset_iter() {
        match e {
            Event::Start(Tag::HtmlBlock) => html.push(r),
            Event::Start(Tag::CodeBlock(_)) | Event::Code(_) => code.push(r),
            _ => {}
        }
    }
    (html, code)
}

/// Extend a table's span over wrapping `<div>`s right around it and over
/// the rest of its first and last lines when those hold nothing else.
fn claim_span(body: &str, tags: &[TagTok], ti: usize, end: usize) -> Range<usize> {
    let mut start = tags[ti].start;
    let mut end = end;
    // Count `<div>` opens directly before (only whitespace between).
    let mut k = ti;
    let mut opens = Vec::new();
    let mut at = start;
    while k > 0 {
        let t = &tags[k - 1];
        if t.name == "div" && !t.close && body[t.end..at].trim().is_empty() {
            opens.push(t.start);
            at = t.start;
            k -= 1;
        } else {
            break;
        }
    }
    let mut closes = 0;
    let mut at_end = end;
    if let Some(after) = tags.iter().position(|t| t.start >= end) {
        for t in &tags[after..] {
            if closes < opens.len()
                && t.name == "div"
                && t.close
                && body[at_end..t.start].trim().is_empty()
            {
                closes += 1;
                at_end = t.end;
            } else {
                break;
            }
        }
    }
    if closes > 0 {
        start = opens[closes - 1];
        end = at_end;
    }
    // Whole lines.
    let line_start = body[..start].rfind('\n').map_or(0, |p| p + 1);
    if body[line_start..start].trim().is_empty() {
        start = line_start;
    }
    let line_end = body[end..].find('\n').map_or(body.len(), |p| end + p + 1);
    if body[end..line_end].trim().is_empty() {
        end = line_end;
    }
    start..end
}

/// Every HTML table of a body outside code (nested tables skipped), with
/// the span its track would claim; and the offset of a `<table>` never
/// closed, which ends the list.
pub(crate) fn html_tables(body: &str) -> (Vec<(Grid, Range<usize>)>, Option<usize>) {
    let mut out = Vec::new();
    if !body.contains("<table") && !body.contains("<TABLE") {
        return (out, None);
    }
    let (html, code) = block_ranges(body);
    let tags: Vec<TagTok> = tokenize(body, 0)
        .into_iter()
        .filter(|t| !code.iter().any(|c| c.start <= t.start && t.start < c.end))
        .collect();
    let mut i = 0;
    while i < tags.len() {
        let t = &tags[i];
        let in_html = html.iter().any(|r| r.start <= t.start && t.start < r.end);
        if t.name != "table" || t.close || !in_html {
            i += 1;
            continue;
        }
        match read_table(body, &tags, i) {
            Err(at) => return (out, Some(at)),
            Ok(table) => {
                let span = claim_span(body, &tags, i, table.end);
                i = tags
                    .iter()
                    .position(|t| t.start >= table.end)
                    .unwrap_or(tags.len());
                out.push((table.grid, span));
            }
        }
    }
    (out, None)
}

/// The HTML tables of a body as grids.
pub(crate) fn html_grids(body: &str) -> Vec<(Grid, Range<usize>)> {
    html_tables(body).0
}

/// `<style>` blocks of a body: decoration for the original site, not
/// content. Claimed with a ladder so they stay off the track page.
fn style_spans(body: &str) -> Vec<Range<usize>> {
    use pulldown_cmark::{Event, Parser, Tag};
    Parser::new_ext(body, crate::render::markdown::options())
        .into_offset_iter()
        .filter_map(|(e, r)| match e {
            Event::Start(Tag::HtmlBlock)
                if body[r.clone()]
                    .trim_start()
                    .to_ascii_lowercase()
                    .starts_with("<style")
                    && body[r.clone()].to_ascii_lowercase().contains("</style>") =>
            {
                Some(r)
            }
            _ => None,
        })
        .collect()
}

/// Every HTML table of the document that is a ladder, one track each (or
/// one track over several tables; see [`table_grid::read_tables`]).
pub fn recognise(doc: &SourceDoc, diags: &mut Diagnostics) -> Option<Claim<Vec<Track>>> {
    let body = &doc.body;
    if !body.contains("<table") && !body.contains("<TABLE") {
        return None;
    }
    let (tables, unclosed) = html_tables(body);
    if let Some(at) = unclosed {
        // Only a ladder-looking table is worth a warning.
        if table_grid_hint(&body[at..]) {
            diags.push(
                doc.warn_at(
                    at,
                    "`<table>` is never closed (the table is shown as plain content)",
                )
                .hint("add `</table>` after the table's last row"),
            );
        }
    }
    let mut claim = table_grid::read_tables(doc, tables, diags)?;
    let styles = style_spans(body);
    if !styles.is_empty() {
        let free: Vec<Range<usize>> = styles
            .into_iter()
            .filter(|s| !claim.overlaps(std::slice::from_ref(s)))
            .collect();
        let mut spans = std::mem::take(&mut claim.spans);
        spans.extend(free);
        claim = Claim::new(claim.value, spans);
    }
    Some(claim)
}

/// Does unparsed table text mention a `Level` row or column?
fn table_grid_hint(rest: &str) -> bool {
    let text = crate::render::markdown::strip_tags(rest).to_lowercase();
    text.split_whitespace()
        .any(|w| w == "level" || w == "levels")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ladder::table_grid::test_doc;

    fn run(
        body: &str,
    ) -> (
        Option<Claim<Vec<Track>>>,
        Vec<crate::diagnostics::Diagnostic>,
    ) {
        crate::ladder::table_grid::run_on(recognise, body)
    }

    use crate::ladder::table_grid::role_spans as roles;

    fn numbers(t: &Track) -> Vec<u32> {
        t.levels.iter().map(|l| l.number).collect()
    }

    const COLUMNS: &str = "# Handbook

## Platform Ladder

Grow from builder to steward.

<div class=\"wide\">
<table>
  <thead>
  <tr><th></th><th>Builder</th><th>Senior Builder</th><th>Steward</th></tr>
  </thead>
  <tr><td><strong> Level </strong></td><td>1 - 2</td><td>3</td><td>4-5</td></tr>
  <tr>
    <td><strong>Scope</strong></td>
    <td>
      <ul>
        <li>Ships <em>small</em> changes.</li>
        <li>Asks for help early.</li>
      </ul>
    </td>
    <td><p>Owns a service.</p><p>Reviews <strong>others'</strong> work.</p></td>
    <td>“Systems”</td>
  </tr>
  <tr><td>Craft</td><td></td><td>Writes runbooks.</td><td>Sets standards.</td></tr>
</table>
</div>

After the table.
";

    #[test]
    fn roles_as_columns() {
        let (c, d) = run(COLUMNS);
        assert!(d.is_empty(), "{d:?}");
        let c = c.unwrap();
        let t = &c.value[0];
        assert_eq!(t.title, "Platform Ladder");
        assert_eq!(t.id, "platform-ladder");
        assert_eq!(t.shape, Some(Shape::MatrixTable));
        assert_eq!(
            t.description.as_ref().unwrap().text(),
            "Grow from builder to steward."
        );
        assert_eq!(
            roles(t),
            [
                ("Builder".into(), 1, 2),
                ("Senior Builder".into(), 3, 3),
                ("Steward".into(), 4, 5)
            ]
        );
        assert_eq!(numbers(t), [1, 2, 3, 4, 5]);
        assert_eq!(t.levels[0].label, "1 - 2");
        assert_eq!(t.levels[0].source.line, 12);
        assert_eq!(t.roles[0].source.line, 10);
        assert_eq!(t.source.line, 8);
        let dims: Vec<_> = t.dimensions.iter().map(|d| &*d.id).collect();
        assert_eq!(dims, ["scope", "craft"]);
        // Levels 1 and 2 share the column: two list items, empty craft.
        for l in &t.levels[..2] {
            assert_eq!(l.expectations.len(), 2);
            assert_eq!(
                l.expectations[0].text.html(),
                "Ships <em>small</em> changes."
            );
            assert_eq!(l.expectations[0].text.text(), "Ships small changes.");
            assert_eq!(l.expectations[0].dimension.as_deref(), Some("scope"));
            assert_eq!(l.expectations[0].source.line, 17);
            assert_eq!(l.expectations[1].source.line, 18);
        }
        assert_eq!(t.levels[0].expectations[1].id, "l1-scope-2".into());
        let l3: Vec<_> = t.levels[2]
            .expectations
            .iter()
            .map(|e| e.text.html())
            .collect();
        assert_eq!(
            l3,
            [
                "Owns a service.",
                "Reviews <strong>others'</strong> work.",
                "Writes runbooks."
            ]
        );
        assert_eq!(t.levels[4].expectations[0].text.text(), "“Systems”");
        // The claim is the div-wrapped table, whole lines.
        let s = &COLUMNS[c.spans[0].clone()];
        assert!(s.starts_with("<div"));
        assert!(s.ends_with("</div>\n"));
    }

    #[test]
    fn transposed_with_level_column() {
        let body = "## Support track\n\n<table>\n<tr><th>Role</th><th>Level</th><th>Customers</th><th>Tools</th></tr>\n<tr><td>Agent</td><td>L1</td><td>Answers tickets.</td><td>Uses the desk.</td></tr>\n<tr><td>Lead agent</td><td>L2 - L3</td><td>Handles escalations.</td><td>Improves macros.</td></tr>\n</table>\n";
        let (c, d) = run(body);
        assert!(d.is_empty(), "{d:?}");
        let t = &c.unwrap().value[0];
        assert_eq!(
            roles(t),
            [("Agent".into(), 1, 1), ("Lead agent".into(), 2, 3)]
        );
        assert_eq!(numbers(t), [1, 2, 3]);
        let dims: Vec<_> = t.dimensions.iter().map(|d| d.title.as_str()).collect();
        assert_eq!(dims, ["Customers", "Tools"]);
        assert_eq!(t.levels[2].expectations[1].text.text(), "Improves macros.");
        assert_eq!(t.levels[2].expectations[1].source.line, 6);
        assert_eq!(t.levels[2].source.line, 6);
    }

    #[test]
    fn header_cells_as_levels_and_title_row() {
        let body = "<table>\n<tr><th>Area</th><th>Level 1</th><th>Level 2</th><th>Level 3: Lead</th></tr>\n<tr><td>Delivery</td><td>A</td><td>B</td><td>C</td></tr>\n</table>\n";
        let (c, d) = run(body);
        assert!(d.is_empty(), "{d:?}");
        let t = &c.unwrap().value[0];
        assert!(t.roles.is_empty());
        assert_eq!(numbers(t), [1, 2, 3]);
        assert_eq!(t.levels[0].label, "Level 1");
        assert_eq!(t.levels[2].title.as_deref(), Some("Lead"));
        assert_eq!(t.title, "test", "falls back to the document title");

        let body = "<table>\n<tr><th></th><th>L1</th><th>L2</th></tr>\n<tr><td>Title</td><td>Analyst</td><td>Senior Analyst</td></tr>\n<tr><td>Impact</td><td>Team</td><td>Group</td></tr>\n</table>\n";
        let (c, d) = run(body);
        assert!(d.is_empty(), "{d:?}");
        let t = &c.unwrap().value[0];
        assert_eq!(
            roles(t),
            [("Analyst".into(), 1, 1), ("Senior Analyst".into(), 2, 2)]
        );
        assert_eq!(t.dimensions.len(), 1);
        assert_eq!(t.levels[1].expectations[0].text.text(), "Group");
    }

    #[test]
    fn title_row_names_roles_over_a_level_row() {
        let body = "<table>\n<tr><td>Level</td><td>L3</td><td>Level 4</td></tr>\n<tr><td>Role</td><td>Engineer</td><td>Staff</td></tr>\n<tr><td>Scope</td><td>Team</td><td>Org</td></tr>\n</table>";
        let (c, d) = run(body);
        assert!(d.is_empty(), "{d:?}");
        let t = &c.unwrap().value[0];
        assert_eq!(
            roles(t),
            [("Engineer".into(), 3, 3), ("Staff".into(), 4, 4)]
        );
        assert_eq!(t.levels[0].label, "L3");
        assert_eq!(t.dimensions.len(), 1);
    }

    #[test]
    fn several_tables_are_several_tracks() {
        let body = "---\n\n# Doc\n\n## Makers\n\nThey make.\n\n<table><tr><th></th><th>Maker</th></tr><tr><td>Level</td><td>1</td></tr><tr><td>Work</td><td>Builds</td></tr></table>\n\n## Keepers\n\n<table><tr><th></th><th>Keeper</th></tr><tr><td>Level</td><td>2</td></tr><tr><td>Work</td><td>Keeps</td></tr></table>\n\n<table><tr><th></th><th>Keeper</th></tr><tr><td>Level</td><td>3</td></tr><tr><td>Work</td><td>Keeps more</td></tr></table>\n";
        let (c, d) = run(body);
        assert!(d.is_empty(), "{d:?}");
        let c = c.unwrap();
        let ids: Vec<_> = c.value.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["makers", "keepers", "keepers-2"]);
        assert_eq!(
            c.value[0].description.as_ref().unwrap().text(),
            "They make."
        );
        assert!(c.value[1].description.is_none());
        assert!(c.value[2].description.is_none());
        assert_eq!(c.spans.len(), 3);
        assert!(c.spans.windows(2).all(|w| w[0].end <= w[1].start));
    }

    #[test]
    fn reversed_range_warns_with_its_line() {
        let body = "## T\n\n<table>\n<tr><th></th><th>Engineer</th><th>Senior Engineer</th></tr>\n<tr><td>Level</td><td>1</td>\n<td>3 - 2</td></tr>\n<tr><td>Scope</td><td>a</td><td>b</td></tr>\n</table>\n";
        let doc = test_doc(body, 4);
        let mut d = Diagnostics::default();
        assert!(recognise(&doc, &mut d).is_none());
        let d = d.into_vec();
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].line, 10);
        assert!(d[0].message.contains("reversed"));
        assert_eq!(
            d[0].hint.as_deref(),
            Some("write the lower level first: 2 - 3")
        );
    }

    #[test]
    fn overlapping_ranges_warn() {
        let body = "<table><tr><th></th><th>Engineer</th><th>Senior</th></tr><tr><td>Level</td><td>1-3</td><td>3-4</td></tr><tr><td>X</td><td>a</td><td>b</td></tr></table>";
        let (c, d) = run(body);
        assert!(c.is_none());
        assert!(d[0].message.contains("overlap at level 3"), "{d:?}");
    }

    #[test]
    fn ragged_rows_warn() {
        let body = "<table>\n<tr><th></th><th>Engineer</th><th>Senior Engineer</th></tr>\n<tr><td>Level</td><td>1</td><td>2</td></tr>\n<tr><td>Scope</td><td>a</td></tr>\n</table>";
        let (c, d) = run(body);
        assert!(c.is_none());
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].line, 4);
        assert!(d[0].message.contains("row 3 has 2 cells"));
    }

    #[test]
    fn missing_or_junk_level_row() {
        // Role-like headers, no level row: warned.
        let body = "<table><tr><th></th><th>Engineer</th><th>Senior Engineer</th></tr><tr><td>Scope</td><td>a</td><td>b</td></tr><tr><td>Craft</td><td>c</td><td>d</td></tr></table>";
        let (c, d) = run(body);
        assert!(c.is_none());
        assert!(d[0].message.contains("no `Level` row"), "{d:?}");
        // A level row with junk.
        let body = "<table><tr><th></th><th>Engineer</th><th>Senior</th></tr><tr><td>Level</td><td>junior-ish</td><td>2</td></tr><tr><td>Scope</td><td>a</td><td>b</td></tr></table>";
        let (c, d) = run(body);
        assert!(c.is_none());
        assert!(d[0].message.contains("`junior-ish`"), "{d:?}");
        // An ordinary table: no ladder, no warning.
        let body =
            "<table><tr><th>Name</th><th>Team</th></tr><tr><td>Ann</td><td>Core</td></tr></table>";
        let (c, d) = run(body);
        assert!(c.is_none());
        assert!(d.is_empty());
    }

    #[test]
    fn unclosed_tags_warn() {
        let body = "<table>\n<tr><th></th><th>Engineer</th></tr>\n<tr><td>Level</td><td>1</td></tr>\n<tr><td>Scope</td><td><ul><li>a</td></tr>\n</table>";
        let (c, d) = run(body);
        assert!(c.is_none());
        assert!(d[0].message.contains("`<ul>` is never closed"), "{d:?}");
        assert_eq!(d[0].line, 4);
        let body =
            "<table>\n<tr><th></th><th>Engineer</th></tr>\n<tr><td>Level</td><td>1</td></tr>\n";
        let (c, d) = run(body);
        assert!(c.is_none());
        assert!(d[0].message.contains("`<table>` is never closed"), "{d:?}");
    }

    #[test]
    fn colspan_repeats_the_cell() {
        let body = "<table><tr><th></th><th>A eng</th><th>B eng</th></tr><tr><td>Level</td><td>1</td><td>2</td></tr><tr><td>Values</td><td colspan=\"2\">Kindness</td></tr></table>";
        let (c, d) = run(body);
        assert!(d.is_empty(), "{d:?}");
        let t = &c.unwrap().value[0];
        assert_eq!(t.levels[1].expectations[0].text.text(), "Kindness");
    }

    #[test]
    fn tables_in_code_are_ignored() {
        let body = "```html\n<table><tr><td>Level</td><td>1</td></tr><tr><td>X</td><td>y</td></tr></table>\n```\n";
        let (c, d) = run(body);
        assert!(c.is_none() && d.is_empty());
    }

    #[test]
    fn garbage_never_panics() {
        let inputs = [
            "<table>",
            "<table></table>",
            "<table><tr></tr></table>",
            "<table><td>",
            "<table><tr><td>Level</td></tr></table>",
            "<table><tr><td>Level</td><td>999</td></tr><tr><td>x</td><td>y</td></tr></table>",
            "<table><tr><td>Level</td><td>1</td></tr><tr><td>x</td><td><table><tr><td>Level</td><td>2</td></tr></table></td></tr></table>",
            "<table><tr><td colspan=99999>x</td><td rowspan=\"7\">Level</td></tr><tr><td>1</td></tr></table>",
            "<table><tr><th>Niveau</th><th>Ingénieur ✓</th></tr><tr><td>Level</td><td>١</td></tr></table>",
            "<table><tr><td>Level</td><td>1</td><td>2</td></tr><tr><td>é</td><td>\u{0}</td><td><</td></tr></table>",
            "<table><tr><td>L1</td><td>L2</td></tr>",
            "<table <tr><td='>'>Level</td>",
            "<div><table><tr><th></th><th>Engineer</th></tr><tr><td>Level</td><td>1</td></tr><tr><td>A</td><td><!-- x --></td></tr></table>",
            "</table><table><tr><td></td></tr></table></div>",
            "<TABLE><TR><TD>Level<TD>1<TR><TD>Scope<TD>x</TABLE>",
        ];
        for i in inputs {
            let _ = run(i);
        }
        // Upper-case, unclosed cells: still a ladder.
        let (c, _) = run(inputs[14]);
        assert_eq!(
            c.unwrap().value[0].levels[0].expectations[0].text.text(),
            "x"
        );
    }

    #[test]
    fn markdown_inside_cells() {
        let body = "<table>\n<tr><th></th><th>Engineer</th></tr>\n<tr><td>Level</td><td>1</td></tr>\n<tr><td>Scope</td><td>\n\n  - Ships *small* changes\n  - Asks early\n\n  A paragraph.\n\n</td></tr>\n</table>\n";
        let (c, d) = run(body);
        assert!(d.is_empty(), "{d:?}");
        let t = &c.unwrap().value[0];
        let e: Vec<_> = t.levels[0]
            .expectations
            .iter()
            .map(|e| (e.text.html(), e.source.line))
            .collect();
        assert_eq!(
            e,
            [
                ("Ships <em>small</em> changes", 6),
                ("Asks early", 7),
                ("A paragraph.", 9)
            ]
        );
    }

    #[test]
    fn split_keeps_lead_in_text() {
        let src = "<ul><b>Does:</b><li>one</li><li>two <ul><li>nested</li></ul></li></ul>tail";
        let tags = tokenize(src, 0);
        let (tree, unclosed) = build_tree(&tags, 0..src.len());
        assert!(unclosed.is_empty());
        let parts: Vec<_> = split_blocks(src, 0..src.len(), &tree)
            .into_iter()
            .map(|r| &src[r])
            .collect();
        assert_eq!(
            parts,
            [
                "<b>Does:</b>",
                "one",
                "two <ul><li>nested</li></ul>",
                "tail"
            ]
        );
    }
}
