//! Matrix ladders written as GitHub pipe tables: the pipe table → [`Grid`]
//! part. The grid is read as a ladder by [`super::table_grid`], exactly as
//! HTML tables are.

use super::matrix_table::{build_tree, split_blocks, tokenize};
use super::model::{Rich, Shape, Track};
use super::table_grid::{self, Grid, GridCell};
use super::Claim;
use crate::diagnostics::Diagnostics;
use crate::slug::SlugSet;
use crate::source::SourceDoc;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::ops::Range;

/// A pipe table found in a body: its byte range, rows of cell ranges.
struct RawTable {
    span: Range<usize>,
    rows: Vec<(usize, Vec<Range<usize>>)>,
}

fn raw_tables(body: &str) -> Vec<RawTable> {
    let mut out = Vec::new();
    let mut cur: Option<RawTable> = None;
    for (e, r) in Parser::new_ext(body, crate::render::markdown::options()).into_offset_iter() {
        match e {
            Event::Start(Tag::Table(_)) => {
                cur = Some(RawTable {
                    span: r,
                    rows: Vec::new(),
                })
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => {
                if let Some(t) = cur.as_mut() {
                    t.rows.push((r.start, Vec::new()));
                }
            }
            Event::Start(Tag::TableCell) => {
                if let Some((_, cells)) = cur.as_mut().and_then(|t| t.rows.last_mut()) {
                    cells.push(r);
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some(t) = cur.take() {
                    out.push(t);
                }
            }
            _ => {}
        }
    }
    out
}

/// Number of cells written on a table line: `|` separators outside code
/// spans and not escaped, ignoring the optional outer pipes.
fn written_cells(line: &str) -> usize {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = if t.ends_with('|') && !t.ends_with("\\|") {
        &t[..t.len() - 1]
    } else {
        t
    };
    let mut n = 1;
    let mut in_code = false;
    let mut prev = '\0';
    for c in t.chars() {
        match c {
            '`' => in_code = !in_code,
            '|' if !in_code && prev != '\\' => n += 1,
            _ => {}
        }
        prev = c;
    }
    n
}

fn is_bullet_piece(s: &str) -> bool {
    let s = s.trim_start();
    ["- ", "* ", "+ ", "• ", "· "]
        .iter()
        .any(|m| s.starts_with(m))
}

/// A pipe-table cell's expectations: its list items (inline `<ul>` or
/// `<br>`-separated bullets), its paragraphs (`<br><br>` or `<p>`), or the
/// whole cell.
fn cell_expectations(src: &str) -> Vec<Rich> {
    let s = src.trim();
    if s.is_empty() {
        return Vec::new();
    }
    let lower = s.to_ascii_lowercase();
    if lower.contains("<li") || lower.contains("<p>") || lower.contains("<p ") {
        let tags = tokenize(s, 0);
        let (tree, _) = build_tree(&tags, 0..s.len());
        return split_blocks(s, 0..s.len(), &tree)
            .into_iter()
            .filter_map(|r| s.get(r))
            .map(Rich::from_markdown)
            .filter(|r| !r.is_empty())
            .collect();
    }
    let breaks: Vec<Range<usize>> = tokenize(s, 0)
        .into_iter()
        .filter(|t| t.name == "br")
        .map(|t| t.start..t.end)
        .collect();
    if !breaks.is_empty() {
        let mut pieces = Vec::new();
        let mut at = 0;
        for b in &breaks {
            pieces.push(&s[at..b.start]);
            at = b.end;
        }
        pieces.push(&s[at..]);
        let bullets = pieces.iter().filter(|p| is_bullet_piece(p)).count();
        if bullets >= 2
            || (bullets >= 1 && pieces.iter().filter(|p| !p.trim().is_empty()).count() == 1)
        {
            // Bullets; a non-bullet line continues the previous item.
            let mut items: Vec<String> = Vec::new();
            for p in pieces {
                let t = p.trim();
                if t.is_empty() {
                    continue;
                }
                if is_bullet_piece(t) || items.is_empty() {
                    let t = t.trim_start_matches(['-', '*', '+', '•', '·']).trim_start();
                    items.push(t.to_string());
                } else if let Some(last) = items.last_mut() {
                    last.push_str("<br>");
                    last.push_str(t);
                }
            }
            return items
                .iter()
                .map(|i| Rich::from_markdown(i))
                .filter(|r| !r.is_empty())
                .collect();
        }
        // Paragraphs separated by an empty line (`<br><br>`).
        let mut paras: Vec<String> = vec![String::new()];
        for (k, p) in pieces.iter().enumerate() {
            if p.trim().is_empty() {
                paras.push(String::new());
            } else if let Some(last) = paras.last_mut() {
                if !last.is_empty() && k > 0 {
                    last.push_str("<br>");
                }
                last.push_str(p.trim());
            }
        }
        return paras
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| Rich::from_markdown(p))
            .filter(|r| !r.is_empty())
            .collect();
    }
    let r = Rich::from_markdown(s);
    if r.is_empty() {
        Vec::new()
    } else {
        vec![r]
    }
}

fn grid_of(body: &str, t: &RawTable) -> Grid {
    let mut rows = Vec::new();
    let mut row_offsets = Vec::new();
    let mut written_counts = Vec::new();
    for (i, (off, cells)) in t.rows.iter().enumerate() {
        let line_end = body[*off..].find('\n').map_or(body.len(), |p| off + p);
        let line = &body[*off..line_end];
        let written = written_cells(line);
        // The parser pads short rows: keep only the cells written, so that
        // ragged rows are reported.
        let keep = if i == 0 {
            cells.len()
        } else {
            written.min(cells.len())
        };
        let row: Vec<GridCell> = cells
            .iter()
            .take(keep)
            .map(|r| {
                let src = body.get(r.clone()).unwrap_or("").trim();
                let src = src.trim_matches('|').trim();
                GridCell {
                    rich: Rich::from_markdown(src),
                    expectations: cell_expectations(src)
                        .into_iter()
                        .map(|e| (e, r.start))
                        .collect(),
                    offset: r.start,
                }
            })
            .collect();
        rows.push(row);
        row_offsets.push(*off);
        written_counts.push(written);
    }
    Grid {
        rows,
        row_offsets,
        written_counts,
        offset: t.span.start,
        shape: Shape::PipeTable,
        problems: Vec::new(),
    }
}

/// Every pipe table of the document that is a ladder, one track each.
pub fn recognise(doc: &SourceDoc, diags: &mut Diagnostics) -> Option<Claim<Vec<Track>>> {
    let body = &doc.body;
    if !body.contains('|') {
        return None;
    }
    let tables = raw_tables(body);
    if tables.is_empty() {
        return None;
    }
    let heads = table_grid::headings(body);
    let mut ids = SlugSet::default();
    let mut tracks = Vec::new();
    let mut spans = Vec::new();
    let mut floor = 0;
    for t in &tables {
        let grid = grid_of(body, t);
        let (title, description) =
            table_grid::title_and_description(doc, &heads, t.span.start, floor);
        if let Some(mut track) = table_grid::grid_to_track(&grid, doc, &title, description, diags) {
            track.id = ids.unique(&track.id);
            tracks.push(track);
            spans.push(t.span.clone());
        }
        floor = t.span.end;
    }
    (!tracks.is_empty()).then(|| Claim::new(tracks, spans))
}
