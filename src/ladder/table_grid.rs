//! A table as a grid of cells, and the grid → track routine shared by the
//! HTML ([`super::matrix_table`]) and pipe ([`super::pipe_table`]) table
//! recognisers.
//!
//! A grid is a ladder when one row (or, transposed, one column) is labelled
//! `Level`/`Levels` and maps each role column to a level or range, or when
//! the header cells are level labels (`Level 1`, `L2`). A `Title`/`Role` row
//! names the roles; every other row is a dimension.

use super::labels::{parse_level_heading, LevelLabel};
use super::level_rows;
use super::model::{Dimension, Expectation, Level, Rich, Role, Shape, SourceRef, Track};
use super::role_map::{RoleEntry, RoleMap};
use crate::diagnostics::Diagnostics;
use crate::slug::{slugify, SlugSet};
use crate::source::SourceDoc;
use std::collections::HashSet;

/// One cell of a table.
#[derive(Debug, Clone)]
pub struct GridCell {
    /// The whole cell.
    pub rich: Rich,
    /// The cell split into expectations (list items or paragraphs), each
    /// with the body offset where it starts.
    pub expectations: Vec<(Rich, usize)>,
    /// Byte offset of the cell in the document body.
    pub offset: usize,
}

impl GridCell {
    pub fn text(&self) -> &str {
        self.rich.text().trim()
    }
}

/// Something wrong with a ladder-like table, located at a body offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub offset: usize,
    pub message: String,
    pub hint: String,
}

impl Problem {
    pub fn new(offset: usize, message: impl Into<String>, hint: impl Into<String>) -> Problem {
        Problem {
            offset,
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// A table read from a document.
#[derive(Debug, Clone)]
pub struct Grid {
    pub rows: Vec<Vec<GridCell>>,
    /// Byte offset of each row (for ragged-row warnings).
    pub row_offsets: Vec<usize>,
    /// Cell counts as written (before any padding the parser did).
    pub written_counts: Vec<usize>,
    /// Byte offset of the table start.
    pub offset: usize,
    pub shape: Shape,
    /// Problems found while reading the table (unclosed tags…), reported
    /// only when the table turns out to be ladder-like.
    pub problems: Vec<Problem>,
}

/// A column (role) of an interpreted grid.
#[derive(Debug, Clone)]
struct Column {
    col: usize,
    range: LevelLabel,
    level_offset: usize,
    /// Row holding the role name, if any.
    role_row: Option<usize>,
}

#[derive(Debug, Clone)]
struct Layout {
    columns: Vec<Column>,
    dim_rows: Vec<usize>,
    /// Header cells were level labels: their titles are level titles.
    header_levels: bool,
}

#[derive(Debug)]
enum Outcome {
    NotLadder,
    Ladder(Layout),
    Problems(Vec<Problem>),
}

fn label_key(s: &str) -> String {
    s.trim()
        .trim_matches(|c: char| c == '*' || c == '_' || c == ':' || c.is_whitespace())
        .to_lowercase()
}

fn is_level_label(s: &str) -> bool {
    matches!(
        label_key(s).as_str(),
        "level" | "levels" | "level(s)" | "lvl" | "level range"
    )
}

fn is_title_label(s: &str) -> bool {
    matches!(
        label_key(s).as_str(),
        "title" | "titles" | "role" | "roles" | "job title" | "role title" | "position"
    )
}

/// A header cell that is a level label. Short prefixes are limited to the
/// ones ladders use, so that `Q3` or `H1` headers are not levels.
pub(crate) fn header_level(s: &str) -> Option<LevelLabel> {
    let l = parse_level_heading(s)?;
    let prefix: String = l
        .label
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    let ok = matches!(
        prefix.as_str(),
        "level"
            | "levels"
            | "lvl"
            | "l"
            | "p"
            | "ic"
            | "e"
            | "m"
            | "se"
            | "sde"
            | "swe"
            | "t"
            | "d"
    );
    ok.then_some(l)
}

fn cell(rows: &[Vec<GridCell>], r: usize, c: usize) -> Option<&GridCell> {
    rows.get(r).and_then(|row| row.get(c))
}

fn cell_text(rows: &[Vec<GridCell>], r: usize, c: usize) -> &str {
    cell(rows, r, c).map_or("", |x| x.text())
}

fn column_empty(rows: &[Vec<GridCell>], c: usize) -> bool {
    (0..rows.len()).all(|r| cell_text(rows, r, c).is_empty())
}

fn interpret(rows: &[Vec<GridCell>]) -> Outcome {
    if rows.len() < 2 {
        return Outcome::NotLadder;
    }
    let ncols = rows.iter().map(Vec::len).max().unwrap_or(0);
    if ncols < 2 {
        return Outcome::NotLadder;
    }
    fn label(r: &[GridCell]) -> &str {
        r.first().map_or("", |c| c.text())
    }
    let level_row = rows.iter().position(|r| is_level_label(label(r)));
    let title_row = rows
        .iter()
        .enumerate()
        .position(|(i, r)| Some(i) != level_row && is_title_label(label(r)));
    let mut problems = Vec::new();
    let mut columns = Vec::new();
    let layout_rows: Vec<usize>;
    let header_levels;
    if let Some(lr) = level_row {
        header_levels = false;
        let role_row = title_row.or(if lr != 0 { Some(0) } else { None });
        for c in 1..ncols {
            let Some(lc) = cell(rows, lr, c) else {
                if !column_empty(rows, c) {
                    problems.push(Problem::new(
                        rows[lr].first().map_or(0, |x| x.offset),
                        "the `Level` row has no cell for every column",
                        "give each role column a level or range, e.g. `3` or `1 - 2`",
                    ));
                }
                continue;
            };
            let t = lc.text();
            if t.is_empty() {
                if !column_empty(rows, c) {
                    let who = role_row.map_or("", |r| cell_text(rows, r, c));
                    problems.push(Problem::new(
                        lc.offset,
                        format!("column {} `{who}` has no level in the `Level` row", c + 1),
                        "write the role's level or range in the `Level` row, e.g. `3` or `1 - 2`",
                    ));
                }
                continue;
            }
            match super::role_map::parse_level_cell(t) {
                Some(l) if l.is_reversed() => problems.push(Problem::new(
                    lc.offset,
                    format!("level range `{t}` is reversed"),
                    format!("write the lower level first: {} - {}", l.to, l.from),
                )),
                Some(l) => columns.push(Column {
                    col: c,
                    range: l,
                    level_offset: lc.offset,
                    role_row,
                }),
                None => problems.push(Problem::new(
                    lc.offset,
                    format!("`{t}` in the `Level` row is not a level or level range"),
                    "write a level number or range, e.g. `5`, `1 - 2` or `L3`",
                )),
            }
        }
        // Row 0 is the header (role names), never a dimension.
        layout_rows = (1..rows.len())
            .filter(|&r| r != lr && Some(r) != title_row)
            .collect();
    } else {
        header_levels = true;
        let mut bad = Vec::new();
        for c in 1..rows[0].len() {
            let hc = &rows[0][c];
            let t = hc.text();
            if t.is_empty() {
                if !column_empty(rows, c) {
                    bad.push(Problem::new(
                        hc.offset,
                        format!("column {} has no level in its header", c + 1),
                        "write a level label in the header cell, e.g. `Level 3` or `L3`",
                    ));
                }
                continue;
            }
            match header_level(t) {
                Some(l) if l.is_reversed() => bad.push(Problem::new(
                    hc.offset,
                    format!("level range `{t}` is reversed"),
                    format!("write the lower level first: {} - {}", l.to, l.from),
                )),
                Some(l) => columns.push(Column {
                    col: c,
                    range: l,
                    level_offset: hc.offset,
                    role_row: title_row,
                }),
                None => bad.push(Problem::new(
                    hc.offset,
                    format!("header `{t}` is not a level label"),
                    "label every column with a level, e.g. `Level 3` or `L3`",
                )),
            }
        }
        if columns.len() < 2 {
            return Outcome::NotLadder;
        }
        problems.extend(bad);
        layout_rows = (1..rows.len()).filter(|&r| Some(r) != title_row).collect();
    }
    // Overlapping ranges.
    let mut sorted: Vec<&Column> = columns.iter().collect();
    sorted.sort_by_key(|c| (c.range.from, c.range.to));
    for w in sorted.windows(2) {
        let (a, b) = (w[0], w[1]);
        if b.range.from <= a.range.to {
            let name = |c: &Column| {
                let n = c.role_row.map_or("", |r| cell_text(rows, r, c.col));
                if n.is_empty() {
                    format!("column {}", c.col + 1)
                } else {
                    format!("`{n}`")
                }
            };
            problems.push(Problem::new(
                b.level_offset,
                format!(
                    "{} ({}) and {} ({}) overlap at level {}",
                    name(a),
                    a.range.label,
                    name(b),
                    b.range.label,
                    b.range.from
                ),
                "give each level to one role: ranges in one table must not overlap",
            ));
        }
    }
    let dim_rows: Vec<usize> = layout_rows
        .into_iter()
        .filter(|&r| rows[r].iter().any(|c| !c.rich.is_empty()))
        .collect();
    // Without a single dimension row it is a list of roles (a roster, an
    // overview), not a ladder.
    if dim_rows.is_empty() {
        return Outcome::NotLadder;
    }
    if !problems.is_empty() {
        return Outcome::Problems(problems);
    }
    if columns.is_empty() {
        return Outcome::NotLadder;
    }
    Outcome::Ladder(Layout {
        columns,
        dim_rows,
        header_levels,
    })
}

fn transpose(rows: &[Vec<GridCell>]) -> Vec<Vec<GridCell>> {
    let ncols = rows.iter().map(Vec::len).max().unwrap_or(0);
    (0..ncols)
        .map(|c| rows.iter().filter_map(|r| r.get(c).cloned()).collect())
        .collect()
}

const ROLE_WORDS: &[&str] = &[
    "engineer",
    "developer",
    "architect",
    "lead",
    "manager",
    "director",
    "cto",
    "vp",
    "staff",
    "principal",
    "senior",
    "junior",
    "intern",
    "fellow",
    "head",
    "analyst",
    "designer",
    "scientist",
    "sre",
];

fn role_like(s: &str) -> bool {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| ROLE_WORDS.contains(&w))
}

/// Headers (row 0 past the label column) that are all role titles, over a
/// grid of at least two roles and two other rows.
fn looks_like_ladder(rows: &[Vec<GridCell>]) -> bool {
    let Some(head) = rows.first() else {
        return false;
    };
    let names: Vec<&str> = head
        .iter()
        .skip(1)
        .map(|c| c.text())
        .filter(|t| !t.is_empty())
        .collect();
    names.len() >= 2 && names.iter().all(|n| role_like(n)) && rows.len() >= 3
}

/// A first header cell naming something numbered like levels that is not
/// a level: priorities (`P1`), severities, tiers, phases, weeks.
pub(crate) fn numbered_not_levels(header: &str) -> bool {
    matches!(
        super::role_map::key(header).as_str(),
        "priority"
            | "severity"
            | "sev"
            | "incident"
            | "tier"
            | "phase"
            | "step"
            | "stage"
            | "quarter"
            | "week"
            | "sprint"
            | "version"
            | "release"
            | "milestone"
    )
}

/// Roles as columns named but not numbered (no `Level` row): when every
/// role header is in the role map, a copy of the grid with a `Level` row
/// made from the map, each level cell pointing at the map's line.
fn number_roles(grid: &Grid, roles: &RoleMap) -> Option<Grid> {
    if roles.is_empty() || grid.rows.len() < 2 {
        return None;
    }
    let labelled = |r: &Vec<GridCell>| {
        r.first()
            .is_some_and(|c| is_level_label(c.text()) || is_title_label(c.text()))
    };
    if grid.rows.iter().any(labelled) {
        return None;
    }
    let head = &grid.rows[0];
    let mut row = vec![GridCell {
        rich: Rich::from_markdown("Level"),
        expectations: Vec::new(),
        offset: head.first().map_or(grid.offset, |c| c.offset),
    }];
    let mut named = 0;
    for c in head.iter().skip(1) {
        if c.text().is_empty() {
            row.push(GridCell {
                rich: Rich::default(),
                expectations: Vec::new(),
                offset: c.offset,
            });
            continue;
        }
        let e: &RoleEntry = roles.get(c.text())?;
        named += 1;
        row.push(GridCell {
            rich: Rich::from_markdown(&e.level.label),
            expectations: Vec::new(),
            offset: e.offset,
        });
    }
    if named == 0 {
        return None;
    }
    let mut g = grid.clone();
    g.rows.insert(1, row);
    g.row_offsets
        .insert(1, g.row_offsets.first().copied().unwrap_or(grid.offset));
    let n = g.written_counts.first().copied().unwrap_or(head.len());
    g.written_counts.insert(1, n);
    Some(g)
}

/// Interpret a grid as a track, trying both orientations. Warns (and
/// returns `None`) when the table looks like a ladder but cannot be read.
pub fn grid_to_track(
    grid: &Grid,
    doc: &SourceDoc,
    title: &str,
    description: Option<Rich>,
    roles: &RoleMap,
    diags: &mut Diagnostics,
) -> Option<Track> {
    // A table of titles and levels numbers roles; it is not a ladder. Nor
    // is a table of priorities or phases.
    let corner = grid
        .rows
        .first()
        .and_then(|r| r.first())
        .map_or("", |c| c.text());
    if super::role_map::from_grid(grid).is_some() || numbered_not_levels(corner) {
        return None;
    }
    match level_rows::read(grid, doc, title, description.clone(), roles, diags) {
        level_rows::Read::Track(t) => return Some(*t),
        level_rows::Read::Failed => return None,
        level_rows::Read::NotMine => {}
    }
    let numbered;
    let grid = match number_roles(grid, roles) {
        Some(g) => {
            numbered = g;
            &numbered
        }
        None => grid,
    };
    let normal = interpret(&grid.rows);
    let flipped_rows = transpose(&grid.rows);
    let (rows, outcome) = match normal {
        Outcome::Ladder(l) => (&grid.rows, Outcome::Ladder(l)),
        other => match interpret(&flipped_rows) {
            Outcome::Ladder(l) => (&flipped_rows, Outcome::Ladder(l)),
            Outcome::Problems(p) if !matches!(other, Outcome::Problems(_)) => {
                (&flipped_rows, Outcome::Problems(p))
            }
            _ => (&grid.rows, other),
        },
    };
    let ladder_like = !matches!(outcome, Outcome::NotLadder)
        || looks_like_ladder(&grid.rows)
        || looks_like_ladder(&flipped_rows);
    if !ladder_like {
        return None;
    }
    let mut problems = grid.problems.clone();
    // Ragged rows.
    if let Some(&first) = grid.written_counts.first() {
        for (i, &n) in grid.written_counts.iter().enumerate().skip(1) {
            if n != first {
                problems.push(Problem::new(
                    grid.row_offsets.get(i).copied().unwrap_or(grid.offset),
                    format!(
                        "table row {} has {n} cells but the first row has {first}",
                        i + 1
                    ),
                    "give every row the same number of cells (leave a cell empty for none)",
                ));
            }
        }
    }
    match outcome {
        Outcome::NotLadder => problems.push(Problem::new(
            grid.offset,
            "this table looks like a career ladder but has no `Level` row",
            "add a row whose first cell is `Level` giving each role's level or range, e.g. `1 - 2`",
        )),
        Outcome::Problems(ref p) => problems.extend(p.iter().cloned()),
        Outcome::Ladder(_) => {}
    }
    if !problems.is_empty() {
        for p in problems {
            let mut d = doc.warn_at(
                p.offset,
                format!("{} (the table is shown as plain content)", p.message),
            );
            d = d.hint(p.hint);
            diags.push(d);
        }
        return None;
    }
    let Outcome::Ladder(layout) = outcome else {
        return None;
    };
    Some(build_track(rows, &layout, grid, doc, title, description))
}

fn build_track(
    rows: &[Vec<GridCell>],
    layout: &Layout,
    grid: &Grid,
    doc: &SourceDoc,
    title: &str,
    description: Option<Rich>,
) -> Track {
    let src = |offset: usize| SourceRef::at(doc, offset);
    let mut slugs = SlugSet::default();
    let dims: Vec<(usize, Dimension)> = layout
        .dim_rows
        .iter()
        .map(|&r| {
            let t = cell_text(rows, r, 0);
            let t = if t.is_empty() { "Expectations" } else { t };
            let id = slugs.unique(&slugify(t));
            (
                r,
                Dimension {
                    id: id.into(),
                    title: t.to_string(),
                },
            )
        })
        .collect();
    let mut roles = Vec::new();
    let mut levels: Vec<Level> = Vec::new();
    for col in &layout.columns {
        if let Some(rr) = col.role_row {
            if let Some(c) = cell(rows, rr, col.col) {
                if !c.text().is_empty() {
                    roles.push(Role {
                        title: c.text().to_string(),
                        from: col.range.from,
                        to: col.range.to,
                        source: src(c.offset),
                    });
                }
            }
        }
        // A column whose cells only say "to be written".
        let col_cells: Vec<&GridCell> = dims
            .iter()
            .filter_map(|(r, _)| cell(rows, *r, col.col))
            .filter(|c| !c.rich.is_empty())
            .collect();
        let pending =
            !col_cells.is_empty() && col_cells.iter().all(|c| level_rows::is_pending(c.text()));
        let summary = pending.then(|| level_rows::pending_summary(col_cells[0].text()));
        for n in col.range.levels() {
            let mut expectations = Vec::new();
            for (r, dim) in dims.iter().filter(|_| !pending) {
                let Some(c) = cell(rows, *r, col.col) else {
                    continue;
                };
                for (k, (e, at)) in c.expectations.iter().enumerate() {
                    expectations.push(Expectation {
                        id: format!("l{n}-{}-{}", dim.id, k + 1).into(),
                        dimension: Some(dim.id.clone()),
                        text: e.clone(),
                        examples: Default::default(),
                        source: src(*at),
                    });
                }
            }
            levels.push(Level {
                number: n,
                title: if layout.header_levels {
                    col.range.title.clone()
                } else {
                    None
                },
                label: col.range.label.clone(),
                summary: summary.clone(),
                expectations,
                source: src(col.level_offset),
            });
        }
    }
    roles.sort_by_key(|r| (r.from, r.to));
    levels.sort_by_key(|l| l.number);
    Track {
        id: slugify(title),
        title: title.to_string(),
        description,
        shape: Some(grid.shape),
        source: src(grid.offset),
        roles,
        levels,
        dimensions: dims.into_iter().map(|(_, d)| d).collect(),
        anti_patterns: Vec::new(),
    }
}

/// The nearest heading above `offset` (its plain text and the byte where
/// it ends), from pulldown-cmark.
#[derive(Debug, Clone)]
pub struct HeadingPos {
    pub end: usize,
    pub start: usize,
    pub text: String,
    /// 1 for `#`, 2 for `##`…
    pub depth: u8,
}

/// Every heading of a document body, in order.
pub fn headings(body: &str) -> Vec<HeadingPos> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = Vec::new();
    let mut cur: Option<HeadingPos> = None;
    for (e, r) in Parser::new_ext(body, crate::render::markdown::options()).into_offset_iter() {
        match e {
            Event::Start(Tag::Heading { level, .. }) => {
                cur = Some(HeadingPos {
                    start: r.start,
                    end: r.end,
                    text: String::new(),
                    depth: level as u8,
                })
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(mut h) = cur.take() {
                    h.text = crate::words::squash(&h.text);
                    out.push(h);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = cur.as_mut() {
                    h.text.push_str(&t);
                }
            }
            Event::InlineHtml(t) => {
                if let Some(h) = cur.as_mut() {
                    h.text.push_str(&crate::render::markdown::strip_tags(&t));
                }
            }
            _ => {}
        }
    }
    out
}

/// Title and description for a table starting at `start`: the nearest
/// heading above it (fallback: the document title) and the text between
/// that heading (or `floor`, the end of the previous table) and the table.
pub fn title_and_description(
    doc: &SourceDoc,
    heads: &[HeadingPos],
    start: usize,
    floor: usize,
) -> (String, Option<Rich>) {
    let h = heads.iter().rev().find(|h| h.end <= start);
    let title = match h {
        Some(h) if !h.text.is_empty() => h.text.clone(),
        _ => doc.frontmatter.title.clone().unwrap_or_else(|| doc.stem()),
    };
    let from = h.map_or(0, |h| h.end).max(floor).min(start);
    let desc = without_style(doc.body.get(from..start).unwrap_or(""));
    let desc = desc.trim();
    let desc = (!desc.is_empty()).then(|| Rich::from_markdown(desc));
    (title, desc)
}

/// Text without its `<style>…</style>` blocks (decoration, not prose).
fn without_style(s: &str) -> std::borrow::Cow<'_, str> {
    let lower = s.to_ascii_lowercase();
    if !lower.contains("<style") {
        return s.into();
    }
    let mut out = String::with_capacity(s.len());
    let mut at = 0;
    while let Some(p) = lower[at..].find("<style") {
        out.push_str(&s[at..at + p]);
        at = lower[at + p..]
            .find("</style>")
            .map_or(s.len(), |e| at + p + e + "</style>".len());
    }
    out.push_str(&s[at..]);
    out.into()
}

/// Words that name a row of expectations without naming a dimension.
fn generic_row(t: &str) -> bool {
    matches!(
        super::role_map::key(t).as_str(),
        "" | "expectations"
            | "expectation"
            | "description"
            | "details"
            | "what we expect"
            | "behaviours"
            | "behaviors"
    )
}

/// A track read from one table, and where its table sits.
struct Read {
    track: Track,
    spans: Vec<std::ops::Range<usize>>,
    /// Index in the headings of the nearest heading above the first table.
    heading: Option<usize>,
    /// Each table's heading and the dimension ids it brought, in order.
    groups: Vec<(Option<usize>, Vec<String>)>,
}

/// Read a document's tables (in order, with the span each would claim)
/// as tracks. Consecutive tables over the same roles with different
/// dimensions are one track split into several tables: the later ones
/// may leave out the `Level` row, and the headings above them name their
/// dimension groups. A separate role-map table numbers roles that tables
/// only name.
pub fn read_tables(
    doc: &SourceDoc,
    tables: Vec<(Grid, std::ops::Range<usize>)>,
    diags: &mut Diagnostics,
) -> Option<super::Claim<Vec<Track>>> {
    if tables.is_empty() {
        return None;
    }
    let heads = headings(&doc.body);
    let doc_map = super::role_map::find_with(doc, &tables);
    let mut reads: Vec<Read> = Vec::new();
    let mut floor = 0;
    for (grid, span) in tables {
        let (title, description) = title_and_description(doc, &heads, span.start, floor);
        floor = span.end;
        let mut map = doc_map.clone();
        if let Some(prev) = reads.last() {
            for r in &prev.track.roles {
                let label = prev
                    .track
                    .levels
                    .iter()
                    .find(|l| l.number == r.from)
                    .map_or_else(|| r.from.to_string(), |l| l.label.clone());
                let label = if r.from == r.to || label.contains(['-', '–', '—']) {
                    label
                } else {
                    format!("{} - {}", r.from, r.to)
                };
                if let Some(level) = super::role_map::parse_level_cell(&label) {
                    map.push(RoleEntry {
                        title: r.title.clone(),
                        level,
                        offset: span.start,
                    });
                }
            }
        }
        let Some(track) = grid_to_track(&grid, doc, &title, description, &map, diags) else {
            continue;
        };
        let heading = heads.iter().rposition(|h| h.end <= span.start);
        if let Some(prev) = reads.last_mut() {
            if can_merge(prev, &track, heading, &heads) {
                merge(prev, track, heading, span);
                continue;
            }
        }
        let dims = track.dimensions.iter().map(|d| d.id.to_string()).collect();
        reads.push(Read {
            track,
            spans: vec![span],
            heading,
            groups: vec![(heading, dims)],
        });
    }
    let mut ids = SlugSet::default();
    let mut tracks = Vec::new();
    let mut spans = Vec::new();
    for r in reads {
        let mut t = r.track;
        if r.groups.len() > 1 {
            name_groups(
                doc, &heads, &mut t, &r.groups, r.heading, &mut spans, &r.spans,
            );
        }
        t.id = ids.unique(&t.id);
        tracks.push(t);
        spans.extend(r.spans);
    }
    (!tracks.is_empty()).then(|| super::Claim::new(tracks, spans))
}

fn can_merge(prev: &Read, t: &Track, heading: Option<usize>, heads: &[HeadingPos]) -> bool {
    let same_roles = !prev.track.roles.is_empty()
        && prev.track.roles.len() == t.roles.len()
        && prev.track.roles.iter().zip(&t.roles).all(|(a, b)| {
            super::role_map::key(&a.title) == super::role_map::key(&b.title)
                && a.from == b.from
                && a.to == b.to
        });
    let disjoint = t.dimensions.iter().all(|d| {
        generic_row(&d.title)
            || !prev
                .track
                .dimensions
                .iter()
                .any(|p| super::role_map::key(&p.title) == super::role_map::key(&d.title))
    });
    // Either under the same heading, or under sibling headings.
    let last = prev.groups.last().and_then(|g| g.0);
    let placed = match (last, heading) {
        (Some(a), Some(b)) if a == b => true,
        (Some(a), Some(b)) => heads[a].depth == heads[b].depth,
        (None, None) => true,
        _ => false,
    };
    same_roles && disjoint && placed && prev.track.shape == t.shape
}

fn merge(prev: &mut Read, t: Track, heading: Option<usize>, span: std::ops::Range<usize>) {
    let mut slugs = SlugSet::default();
    for d in &prev.track.dimensions {
        slugs.unique(&d.id);
    }
    let mut renamed = Vec::new();
    let mut ids = Vec::new();
    for d in t.dimensions {
        let id = slugs.unique(&d.id);
        let shared: super::model::DimensionId = id.as_str().into();
        renamed.push((d.id.clone(), shared.clone()));
        ids.push(id);
        prev.track.dimensions.push(Dimension {
            id: shared,
            title: d.title,
        });
    }
    for l in t.levels {
        let Some(pl) = prev.track.levels.iter_mut().find(|p| p.number == l.number) else {
            continue;
        };
        if pl.summary.is_none() {
            pl.summary = l.summary;
        }
        for mut e in l.expectations {
            if let Some(d) = &e.dimension {
                if let Some((_, new)) = renamed.iter().find(|(old, _)| old == d) {
                    e.dimension = Some(new.clone());
                }
            }
            pl.expectations.push(e);
        }
    }
    prev.spans.push(span);
    prev.groups.push((heading, ids));
}

/// A track split over tables under sibling headings: the headings name the
/// dimension groups (`Collaboration`, or `Craft · Testing` for a table of
/// several rows), the heading above them titles the track, and the
/// headings are claimed with their tables.
fn name_groups(
    doc: &SourceDoc,
    heads: &[HeadingPos],
    t: &mut Track,
    groups: &[(Option<usize>, Vec<String>)],
    first: Option<usize>,
    spans: &mut Vec<std::ops::Range<usize>>,
    table_spans: &[std::ops::Range<usize>],
) {
    let distinct: HashSet<Option<usize>> = groups.iter().map(|g| g.0).collect();
    if distinct.len() != groups.len() || first.is_none() {
        return;
    }
    for ((h, ids), span) in groups.iter().zip(table_spans) {
        let Some(h) = h.and_then(|h| heads.get(h)) else {
            continue;
        };
        let single = ids.len() == 1;
        for d in t
            .dimensions
            .iter_mut()
            .filter(|d| ids.iter().any(|i| **i == *d.id))
        {
            d.title = if single || generic_row(&d.title) {
                h.text.clone()
            } else {
                format!("{} · {}", h.text, d.title)
            };
        }
        // Claim the heading when nothing but blank lines sits between it
        // and its table.
        if doc
            .body
            .get(h.end..span.start)
            .is_some_and(|s| s.trim().is_empty())
        {
            spans.push(h.start..span.start);
        }
    }
    // Dimension ids follow the new titles.
    let mut slugs = SlugSet::default();
    let mut renamed = Vec::new();
    for d in &mut t.dimensions {
        let id: super::model::DimensionId = slugs.unique(&slugify(&d.title)).into();
        renamed.push((d.id.clone(), id.clone()));
        d.id = id;
    }
    for l in &mut t.levels {
        for e in &mut l.expectations {
            if let Some(d) = &e.dimension {
                if let Some((_, new)) = renamed.iter().find(|(old, _)| old == d) {
                    e.dimension = Some(new.clone());
                }
            }
        }
        l.expectations.sort_by_key(|e| {
            t.dimensions
                .iter()
                .position(|d| Some(&d.id) == e.dimension.as_ref())
                .unwrap_or(usize::MAX)
        });
    }
    // The track takes the heading above the groups, and the text under it.
    let Some(fh) = first.and_then(|f| heads.get(f)) else {
        return;
    };
    let parent = heads[..first.unwrap_or(0)]
        .iter()
        .rposition(|h| h.depth < fh.depth);
    let from = parent.map_or(0, |p| heads[p].end);
    let desc = doc.body.get(from..fh.start).unwrap_or("").trim();
    if !desc.is_empty() {
        t.description = Some(Rich::from_markdown(desc));
    }
    t.title = match parent {
        Some(p) if !heads[p].text.is_empty() => heads[p].text.clone(),
        _ => doc.frontmatter.title.clone().unwrap_or_else(|| doc.stem()),
    };
    t.id = slugify(&t.title);
}

/// A document for tests: `body` as `ladders/test.md`, with `lines` lines of
/// frontmatter before it.
#[cfg(test)]
pub(crate) fn test_doc(body: &str, lines: usize) -> SourceDoc {
    SourceDoc {
        path: std::path::PathBuf::from("/nonexistent/ladders/test.md"),
        rel: "ladders/test.md".into(),
        frontmatter: Default::default(),
        body: body.into(),
        body_line_offset: lines,
        line_starts: Default::default(),
    }
}

/// Run a table recogniser on `body` (see [`test_doc`]): its claim and
/// warnings.
#[cfg(test)]
pub(crate) fn run_on(
    recognise: fn(&SourceDoc, &mut Diagnostics) -> Option<super::Claim<Vec<Track>>>,
    body: &str,
) -> (
    Option<super::Claim<Vec<Track>>>,
    Vec<crate::diagnostics::Diagnostic>,
) {
    let doc = test_doc(body, 0);
    let mut d = Diagnostics::default();
    let c = recognise(&doc, &mut d);
    (c, d.into_vec())
}

/// A track's roles as (title, from, to), for tests.
#[cfg(test)]
pub(crate) fn role_spans(t: &Track) -> Vec<(String, u32, u32)> {
    t.roles
        .iter()
        .map(|r| (r.title.clone(), r.from, r.to))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert!(is_level_label(" Level "));
        assert!(is_level_label("**Levels:**"));
        assert!(!is_level_label("Level of detail"));
        assert!(is_title_label("Role"));
        assert!(header_level("Level 3").is_some());
        assert!(header_level("L2").is_some());
        assert!(header_level("Q3").is_none(), "quarters are not levels");
        assert!(role_like("Senior Engineer"));
        assert!(!role_like("Budget"));
    }

    #[test]
    fn a_roster_is_not_a_ladder() {
        let doc = test_doc("", 0);
        let c = |t: &str| GridCell {
            rich: Rich::from_markdown(t),
            expectations: vec![(Rich::from_markdown(t), 0)],
            offset: 0,
        };
        let rows = vec![
            vec![c("Name"), c("Role"), c("Level")],
            vec![c("Ann"), c("Engineer"), c("3")],
            vec![c("Bob"), c("Engineer"), c("3")],
        ];
        let grid = Grid {
            written_counts: vec![3; 3],
            row_offsets: vec![0; 3],
            rows,
            offset: 0,
            shape: Shape::PipeTable,
            problems: Vec::new(),
        };
        let mut d = Diagnostics::default();
        assert!(grid_to_track(&grid, &doc, "Team", None, &RoleMap::default(), &mut d).is_none());
        assert!(d.is_empty(), "{:?}", d.into_vec());
    }
}

#[cfg(test)]
mod fuzz {
    use crate::diagnostics::Diagnostics;
    use crate::ladder::{matrix_table, pipe_table};

    /// Documents stitched from table-ish fragments never panic either
    /// recogniser, and every claim stays inside the body, in order.
    #[test]
    fn stitched_fragments_never_panic() {
        const BITS: &[&str] = &[
            "<table>",
            "</table>",
            "<tr>",
            "</tr>",
            "<td>",
            "</td>",
            "<th>",
            "</th>",
            "<ul>",
            "</ul>",
            "<li>",
            "<p>",
            "<div>",
            "</div>",
            "<td colspan=3>",
            "<td rowspan='2'>",
            "<td colspan=\"2\">",
            "<th colspan=4>",
            "TBD",
            "To be written",
            "Band",
            "Job title",
            "| L1 |",
            "|  |",
            "IC2 - IC3",
            "<style>",
            "</style>",
            "<picture><img src=\"a.png\"></picture>",
            "Level",
            "Levels",
            "1 - 2",
            "3-1",
            "L3",
            "Level 4",
            "99999",
            "Engineer",
            "Senior Engineer",
            "Title",
            "“Tasks”",
            "é✓工",
            "\n",
            "\n\n",
            "| ",
            " |",
            "|---|---|\n",
            "**Level**",
            "<br>",
            "- ",
            "## H\n",
            "```\n",
            "<!--",
            "-->",
            "<b>",
            "<",
            ">",
            "\"",
            " ",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..3000 {
            let mut body = String::new();
            let n = (seed % 60) as usize + 1;
            for _ in 0..n {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                body.push_str(BITS[(seed % BITS.len() as u64) as usize]);
            }
            let doc = super::test_doc(&body, 0);
            let mut d = Diagnostics::default();
            for claim in [
                matrix_table::recognise(&doc, &mut d),
                pipe_table::recognise(&doc, &mut d),
            ]
            .into_iter()
            .flatten()
            {
                assert!(claim
                    .spans
                    .iter()
                    .all(|s| s.start <= s.end && s.end <= body.len()));
                assert!(claim.spans.windows(2).all(|w| w[0].end <= w[1].start));
                for t in &claim.value {
                    assert!(t.levels.windows(2).all(|w| w[0].number < w[1].number));
                    assert!(t.roles.iter().all(|r| r.from <= r.to));
                }
            }
        }
    }
}
