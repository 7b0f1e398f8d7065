//! Matrix ladders written as GitHub pipe tables: the pipe table → [`Grid`]
//! part. The grid is read as a ladder by [`super::table_grid`], exactly as
//! HTML tables are.

use super::matrix_table::{build_tree, split_blocks, tokenize};
use super::model::{Rich, Shape, Track};
use super::table_grid::{self, Grid, GridCell};
use super::Claim;
use crate::diagnostics::Diagnostics;
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

/// The pipe tables of a body as grids, with their spans.
pub(crate) fn pipe_grids(body: &str) -> Vec<(Grid, Range<usize>)> {
    raw_tables(body)
        .iter()
        .map(|t| (grid_of(body, t), t.span.clone()))
        .collect()
}

/// Every pipe table of the document that is a ladder, one track each (or
/// one track over several tables; see [`table_grid::read_tables`]).
pub fn recognise(doc: &SourceDoc, diags: &mut Diagnostics) -> Option<Claim<Vec<Track>>> {
    let body = &doc.body;
    if !body.contains('|') {
        return None;
    }
    table_grid::read_tables(doc, pipe_grids(body), diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(
        body: &str,
    ) -> (
        Option<Claim<Vec<Track>>>,
        Vec<crate::diagnostics::Diagnostic>,
    ) {
        crate::ladder::table_grid::run_on(recognise, body)
    }

    use crate::ladder::table_grid::role_spans as roles;

    const PIPE: &str = "## Data Ladder

Analysts who grow into scientists.

|  | Analyst | Senior Analyst | Data Scientist |
| --- | --- | --- | --- |
| **Level** | 1 - 2 | 3 | L4 |
| **Scope** | - Answers *known* questions<br>- Cleans data | Frames questions | \"Strategy\" |
| Tools | SQL | SQL, Python | Models<br><br>Experiments |

Prose after.
";

    #[test]
    fn pipe_table_roles_as_columns() {
        let (c, d) = run(PIPE);
        assert!(d.is_empty(), "{d:?}");
        let c = c.unwrap();
        let t = &c.value[0];
        assert_eq!(t.title, "Data Ladder");
        assert_eq!(t.shape, Some(Shape::PipeTable));
        assert_eq!(
            t.description.as_ref().unwrap().text(),
            "Analysts who grow into scientists."
        );
        assert_eq!(
            roles(t),
            [
                ("Analyst".into(), 1, 2),
                ("Senior Analyst".into(), 3, 3),
                ("Data Scientist".into(), 4, 4)
            ]
        );
        assert_eq!(t.levels.len(), 4);
        assert_eq!(t.levels[0].label, "1 - 2");
        assert_eq!(t.levels[0].source.line, 7);
        let dims: Vec<_> = t.dimensions.iter().map(|d| &*d.id).collect();
        assert_eq!(dims, ["scope", "tools"]);
        let l1: Vec<_> = t.levels[0]
            .expectations
            .iter()
            .map(|e| e.text.html())
            .collect();
        assert_eq!(
            l1,
            ["Answers <em>known</em> questions", "Cleans data", "SQL"]
        );
        assert_eq!(t.levels[0].expectations[0].source.line, 8);
        let l4: Vec<_> = t.levels[3]
            .expectations
            .iter()
            .map(|e| e.text.text())
            .collect();
        assert_eq!(l4, ["“Strategy”", "Models", "Experiments"]);
        let s = &PIPE[c.spans[0].clone()];
        assert!(s.starts_with("|  | Analyst"));
        assert!(!s.contains("Prose"));
    }

    #[test]
    fn pipe_table_transposed() {
        let body = "# Sales\n\n| Role | Level | Pipeline | Deals |\n|---|---|---|---|\n| Rep | 1 | Builds it | Closes small |\n| Senior rep | 2-3 | Coaches | Closes large |\n";
        let (c, d) = run(body);
        assert!(d.is_empty(), "{d:?}");
        let t = &c.unwrap().value[0];
        assert_eq!(t.title, "Sales");
        assert_eq!(
            roles(t),
            [("Rep".into(), 1, 1), ("Senior rep".into(), 2, 3)]
        );
        let dims: Vec<_> = t.dimensions.iter().map(|d| d.title.as_str()).collect();
        assert_eq!(dims, ["Pipeline", "Deals"]);
        assert_eq!(t.levels[2].expectations[1].text.text(), "Closes large");
        assert_eq!(t.levels[2].expectations[1].source.line, 6);
    }

    #[test]
    fn pipe_header_levels_with_title_row() {
        let body = "| Competency | L1 | L2 | L3 |\n|---|---|---|---|\n| Title | Engineer | Engineer II | Senior Engineer |\n| Code | <ul><li>Reads</li><li>Writes</li></ul> | Reviews | Designs |\n";
        let (c, d) = run(body);
        assert!(d.is_empty(), "{d:?}");
        let t = &c.unwrap().value[0];
        assert_eq!(t.roles.len(), 3);
        assert_eq!(t.roles[2].title, "Senior Engineer");
        assert_eq!(t.levels[0].label, "L1");
        assert_eq!(t.levels[0].expectations.len(), 2);
        assert_eq!(t.levels[0].expectations[1].text.text(), "Writes");
    }

    #[test]
    fn level_column_without_roles() {
        let body = "| Level | Scope | Craft |\n|---|---|---|\n| 1 | Task | Tests |\n| 2 | Feature | Reviews |\n";
        let (c, d) = run(body);
        assert!(d.is_empty(), "{d:?}");
        let t = &c.unwrap().value[0];
        assert!(t.roles.is_empty());
        let levels: Vec<_> = t.levels.iter().map(|l| l.number).collect();
        assert_eq!(levels, [1, 2]);
        let dims: Vec<_> = t.dimensions.iter().map(|d| d.title.as_str()).collect();
        assert_eq!(dims, ["Scope", "Craft"]);

        // Levels down the first column, with a title column.
        let body = "| Level | Title | Scope |\n|---|---|---|\n| L1 | Engineer | Task |\n| L2 | Senior Engineer | Feature |\n";
        let (c, d) = run(body);
        assert!(d.is_empty(), "{d:?}");
        let t = &c.unwrap().value[0];
        assert_eq!(
            roles(t),
            [("Engineer".into(), 1, 1), ("Senior Engineer".into(), 2, 2)]
        );
        assert_eq!(t.dimensions.len(), 1);

        // Transposed header levels: levels down the first column.
        let body = "| Competency | Scope | Craft |\n|---|---|---|\n| L1 | Task | Tests |\n| L2 | Feature | Reviews |\n";
        let (c, d) = run(body);
        assert!(d.is_empty(), "{d:?}");
        let t = &c.unwrap().value[0];
        assert_eq!(t.levels.len(), 2);
        assert_eq!(t.levels[1].expectations[1].text.text(), "Reviews");
    }

    #[test]
    fn pipe_problems_warn() {
        let body = "intro\n\n| | Engineer | Senior Engineer |\n|---|---|---|\n| Level | 4 - 2 | 5 |\n| Scope | a | b |\n";
        let (c, d) = run(body);
        assert!(c.is_none());
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].line, 5);
        assert_eq!(
            d[0].hint.as_deref(),
            Some("write the lower level first: 2 - 4")
        );

        let body =
            "| | Engineer | Senior Engineer |\n|---|---|---|\n| Level | 1 | 2 |\n| Scope | a |\n";
        let (c, d) = run(body);
        assert!(c.is_none());
        assert!(d[0].message.contains("row 3 has 2 cells"), "{d:?}");
        assert_eq!(d[0].line, 4);

        let body = "| | Engineer | Senior Engineer |\n|---|---|---|\n| Scope | a | b |\n| Craft | c | d |\n";
        let (c, d) = run(body);
        assert!(c.is_none());
        assert!(d[0].message.contains("no `Level` row"), "{d:?}");

        let body = "| Name | Team |\n|---|---|\n| Ann | Core |\n";
        let (c, d) = run(body);
        assert!(c.is_none() && d.is_empty());
    }

    #[test]
    fn pipe_garbage_never_panics() {
        for body in [
            "|",
            "| a |\n|---|\n",
            "| Level |\n|---|\n| 1 |\n",
            "| Level | 99999 |\n|---|---|\n| x | y |\n",
            "| Q1 | Q2 | Q3 |\n|---|---|---|\n| a | b | c |\n",
            "| ✓ | Ingénieur | 工程师 |\n|---|---|---|\n| Level | ١ | 2 |\n| x | `a|b` | \\| |\n",
            "> | | Engineer |\n> |---|---|\n> | Level | 1 |\n> | X | y |\n",
        ] {
            let _ = run(body);
        }
        assert_eq!(written_cells("| a | `b|c` | d \\| e |"), 3);
    }
}
