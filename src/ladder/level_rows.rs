//! Tables with levels as rows, as handbooks write them: the first column
//! holds the level (`L2`, `Level 3 — Senior`, `1 - 2`, or a role title a
//! [role map](super::role_map) numbers), and a level's cell spans several
//! rows (`rowspan`, or an empty first cell in a pipe table, or the label
//! repeated). Within a level:
//!
//! - a row whose other cells are one cell spanning them all (`colspan`) is
//!   the level's summary;
//! - a row spanning the whole table that is a level label (`Level 3 —
//!   Senior Engineer`) starts a level whose rows name their dimension in
//!   the first column;
//! - a level whose cells only say it is still to be written (`To be
//!   written`, `TBD`), or are empty, becomes a level page that says so: its
//!   summary states it, and it has no expectations.
//!
//! Two layouts: *wide* (the header names one dimension per column) and
//! *long* (`Level | Area | Expectation`: the second column names the
//! dimension of each row). Header rows may be written with `<td>`.
//!
//! Plain levels-as-rows tables (one row per level, nothing spanned) are
//! left to [`super::table_grid`], which reads them as before.

use super::labels::{parse_range, LevelLabel};
use super::model::{Dimension, DimensionId, Expectation, Level, Rich, Role, SourceRef, Track};
use super::role_map::RoleMap;
use super::table_grid::{self, Grid, GridCell};
use crate::diagnostics::Diagnostics;
use crate::slug::{slugify, SlugSet};
use crate::source::SourceDoc;
use std::collections::HashSet;

/// What [`read`] made of a grid.
#[derive(Debug)]
pub(crate) enum Read {
    /// Not a levels-as-rows table with spanned or grouped rows.
    NotMine,
    /// It is one, but a part does not fit; warned, shown as plain content.
    Failed,
    Track(Box<Track>),
}

/// Words that say a level is still to be written.
const PENDING: &[&str] = &[
    "to be written",
    "not yet written",
    "not written yet",
    "yet to be written",
    "to be defined",
    "to be decided",
    "to be added",
    "to be confirmed",
    "coming soon",
    "work in progress",
    "tbd",
    "tba",
    "todo",
    "to do",
    "wip",
    "placeholder",
];

/// Does this cell text only say that the content is still to come?
pub(crate) fn is_pending(text: &str) -> bool {
    let t: String = text
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let t = crate::words::squash(&t);
    if t.is_empty() || t.split(' ').count() > 12 {
        return false;
    }
    let padded = format!(" {t} ");
    PENDING.iter().any(|p| padded.contains(&format!(" {p} ")))
}

/// The summary of a level still to be written: the author's words when
/// they make a sentence, else a plain statement.
pub(crate) fn pending_summary(text: &str) -> Rich {
    if text.split_whitespace().count() >= 3 {
        Rich::from_markdown(text)
    } else {
        Rich::from_markdown("This level is not written yet.")
    }
}

const DIMENSION_HEADERS: &[&str] = &[
    "area",
    "areas",
    "dimension",
    "dimensions",
    "competency",
    "competencies",
    "skill",
    "skills",
    "focus",
    "focus area",
    "category",
    "pillar",
    "theme",
    "attribute",
    "aspect",
    "criteria",
    "trait",
];

fn key(s: &str) -> String {
    super::role_map::key(s)
}

/// A first-column cell as a level: a label (`L2`, `Level 3 — Senior`), a
/// bare number or range, or a role title the role map numbers. Returns the
/// label and the role title, if it came from the map.
/// Bare numbers (`3`, `1 - 2`) count only under a `Level` header.
fn row_level(text: &str, roles: &RoleMap, bare_ok: bool) -> Option<(LevelLabel, Option<String>)> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if let Some(l) = table_grid::header_level(t) {
        return (!l.is_reversed()).then_some((l, None));
    }
    if let Some(l) = parse_range(t).filter(|_| bare_ok) {
        return (!l.is_reversed()).then_some((l, None));
    }
    roles.get(t).map(|e| (e.level.clone(), Some(t.to_string())))
}

/// A row whose cells (from `from`) are all one spanned cell.
fn spanned(row: &[GridCell], from: usize) -> bool {
    row.len() >= from + 2 && row[from..].iter().all(|c| c.offset == row[from].offset)
}

/// One level (or range) of the table, as rows were grouped.
struct Group {
    label: LevelLabel,
    role: Option<(String, usize)>,
    offset: usize,
    /// Started by a row spanning the whole table: rows name dimensions.
    headed: bool,
    summary: Option<(Rich, bool)>,
    /// (column, or dimension title under a level heading; cell; row).
    cells: Vec<(String, GridCell, usize)>,
}

/// Read a grid as a levels-as-rows ladder.
pub(crate) fn read(
    grid: &Grid,
    doc: &SourceDoc,
    title: &str,
    description: Option<Rich>,
    roles: &RoleMap,
    diags: &mut Diagnostics,
) -> Read {
    let rows = &grid.rows;
    let ncols = rows.iter().map(Vec::len).max().unwrap_or(0);
    if rows.len() < 3 || ncols < 2 {
        return Read::NotMine;
    }
    // Caption rows spanning the table come before the header.
    let mut k = 0;
    while k < rows.len()
        && spanned(&rows[k], 0)
        && table_grid::header_level(rows[k][0].text()).is_none()
    {
        k += 1;
    }
    let Some(first) = rows.get(k) else {
        return Read::NotMine;
    };
    let header: Option<&Vec<GridCell>> = match first.first() {
        Some(c) if row_level(c.text(), roles, false).is_some() => None,
        Some(_) => Some(first),
        None => return Read::NotMine,
    };
    let body_start = if header.is_some() { k + 1 } else { k };
    let head_text = |c: usize| header.and_then(|h| h.get(c)).map_or("", |x| x.text());
    if table_grid::numbered_not_levels(head_text(0)) {
        return Read::NotMine;
    }
    let bare_ok = matches!(
        key(head_text(0)).as_str(),
        "level" | "levels" | "lvl" | "level range" | "band" | "grade"
    );
    // A `Level` column past the first: the other reading (roles as rows).
    if (1..ncols).any(|c| {
        matches!(
            key(head_text(c)).as_str(),
            "level" | "levels" | "level range"
        )
    }) {
        return Read::NotMine;
    }
    let title_col = (1..ncols).find(|&c| {
        matches!(
            key(head_text(c)).as_str(),
            "title" | "titles" | "role" | "roles" | "job title" | "role title" | "position"
        )
    });
    let content: Vec<usize> = (1..ncols).filter(|&c| Some(c) != title_col).collect();
    if content.is_empty() {
        return Read::NotMine;
    }

    let mut groups: Vec<Group> = Vec::new();
    let mut features = false;
    let mut unfit: Option<(usize, String)> = None;
    let mut prev_col0: Option<usize> = None;
    for (ri, row) in rows.iter().enumerate().skip(body_start) {
        let Some(c0) = row.first() else { continue };
        if spanned(row, 0) {
            // A row across the whole table: a level heading, or the
            // summary (or "to be written") of the level above.
            features = true;
            if let Some(l) = table_grid::header_level(c0.text()).filter(|l| !l.is_reversed()) {
                groups.push(Group {
                    label: l,
                    role: None,
                    offset: c0.offset,
                    headed: true,
                    summary: None,
                    cells: Vec::new(),
                });
            } else if let Some(g) = groups.last_mut() {
                set_summary(g, c0);
            }
            prev_col0 = Some(c0.offset);
            continue;
        }
        let continues = prev_col0 == Some(c0.offset)
            || (c0.text().is_empty() && !groups.is_empty())
            || groups.last().is_some_and(|g| {
                !g.headed && !c0.text().is_empty() && key(c0.text()) == key(&g.label.label)
            });
        prev_col0 = Some(c0.offset);
        if groups.last().is_some_and(|g| g.headed) && !continues {
            // Rows under a spanning level heading: dimension, then text.
            let g = groups.last_mut().expect("checked");
            if row_level(c0.text(), roles, bare_ok).is_some() {
                unfit.get_or_insert((
                    c0.offset,
                    format!("row {} starts a level under a level heading", ri + 1),
                ));
                continue;
            }
            for &c in &content {
                if let Some(cell) = row.get(c) {
                    if c > 1 && row.get(c - 1).is_some_and(|p| p.offset == cell.offset) {
                        continue;
                    }
                    g.cells.push((c0.text().to_string(), cell.clone(), ri));
                }
            }
            continue;
        }
        if continues {
            features = true;
        } else {
            match row_level(c0.text(), roles, bare_ok) {
                Some((label, role)) => {
                    if role.is_some() {
                        features = true;
                    }
                    let role = role.map(|r| (r, c0.offset)).or_else(|| {
                        title_col
                            .and_then(|tc| row.get(tc))
                            .filter(|c| !c.text().is_empty())
                            .map(|c| (c.text().to_string(), c.offset))
                    });
                    groups.push(Group {
                        label,
                        role,
                        offset: c0.offset,
                        headed: false,
                        summary: None,
                        cells: Vec::new(),
                    });
                }
                None => {
                    unfit.get_or_insert((
                        c0.offset,
                        format!(
                            "row {}: `{}` in the first column is not a level",
                            ri + 1,
                            c0.text()
                        ),
                    ));
                    continue;
                }
            }
        }
        let Some(g) = groups.last_mut() else { continue };
        if content.len() >= 2 && spanned(row, content[0]) {
            features = true;
            if let Some(c) = row.get(content[0]) {
                set_summary(g, c);
            }
            continue;
        }
        for &c in &content {
            if let Some(cell) = row.get(c) {
                g.cells.push((c.to_string(), cell.clone(), ri));
            }
        }
    }
    if groups.len() < 2 {
        return Read::NotMine;
    }
    // Long layout: `Level | Area | Expectation`.
    let long = !groups.iter().any(|g| g.headed)
        && content.len() == 2
        && (DIMENSION_HEADERS.contains(&key(head_text(content[0])).as_str())
            || repeats_across_groups(&groups, content[0]));
    if long {
        features = true;
    }
    let pending_any = groups.iter().any(|g| group_pending(g, &content, long));
    if !features && !pending_any {
        return Read::NotMine;
    }
    if header.is_none() && !long && content.len() > 1 && !groups.iter().all(|g| g.headed) {
        return Read::NotMine;
    }
    if let Some((at, what)) = unfit {
        diags.push(
            doc.warn_at(
                at,
                format!("{what} (the table is shown as plain content)"),
            )
            .hint("start each level's rows with its label in the first column, e.g. `L3` or `Level 3`"),
        );
        return Read::Failed;
    }
    // Each level once.
    let mut seen = HashSet::new();
    for g in &groups {
        for n in g.label.levels() {
            if !seen.insert(n) {
                diags.push(
                    doc.warn_at(
                        g.offset,
                        format!("level {n} has two sets of rows in this table (the table is shown as plain content)"),
                    )
                    .hint("give each level one label cell; span its rows with `rowspan`"),
                );
                return Read::Failed;
            }
        }
    }
    Read::Track(Box::new(build(
        grid,
        doc,
        title,
        description,
        &groups,
        &content,
        long,
        header,
    )))
}

fn set_summary(g: &mut Group, c: &GridCell) {
    let pending = is_pending(c.text());
    let rich = if pending {
        pending_summary(c.text())
    } else {
        c.rich.clone()
    };
    if g.summary.is_none() && !c.rich.is_empty() {
        g.summary = Some((rich, pending));
    }
}

fn repeats_across_groups(groups: &[Group], col: usize) -> bool {
    let col = col.to_string();
    let sets: Vec<HashSet<String>> = groups
        .iter()
        .map(|g| {
            g.cells
                .iter()
                .filter(|(c, x, _)| *c == col && !x.text().is_empty())
                .map(|(_, x, _)| key(x.text()))
                .collect()
        })
        .collect();
    sets.iter().enumerate().any(|(i, a)| {
        sets[i + 1..]
            .iter()
            .any(|b| a.intersection(b).next().is_some())
    })
}

/// A level with no content but "to be written" (or nothing at all).
fn group_pending(g: &Group, content: &[usize], long: bool) -> bool {
    if g.summary.as_ref().is_some_and(|s| s.1) {
        return true;
    }
    let texts: Vec<&GridCell> = g
        .cells
        .iter()
        .filter(|(c, _, _)| {
            !long || content.get(1).is_some_and(|k| *c == k.to_string()) || g.headed
        })
        .map(|(_, x, _)| x)
        .filter(|x| !x.rich.is_empty())
        .collect();
    if texts.is_empty() {
        return g.summary.is_none();
    }
    texts.iter().all(|x| is_pending(x.text()))
}

#[allow(clippy::too_many_arguments)]
fn build(
    grid: &Grid,
    doc: &SourceDoc,
    title: &str,
    description: Option<Rich>,
    groups: &[Group],
    content: &[usize],
    long: bool,
    header: Option<&Vec<GridCell>>,
) -> Track {
    let src = |offset: usize| SourceRef::at(doc, offset);
    let mut slugs = SlugSet::default();
    let mut dims: Vec<Dimension> = Vec::new();
    let mut dim_id = |t: &str, dims: &mut Vec<Dimension>| -> DimensionId {
        let t = if t.trim().is_empty() {
            "Expectations"
        } else {
            t.trim()
        };
        if let Some(d) = dims.iter().find(|d| key(&d.title) == key(t)) {
            return d.id.clone();
        }
        let id: DimensionId = slugs.unique(&slugify(t)).into();
        dims.push(Dimension {
            id: id.clone(),
            title: t.to_string(),
        });
        id
    };
    // Wide layout: one dimension per content column, in column order.
    let col_dims: Vec<(String, String)> = if long {
        Vec::new()
    } else {
        content
            .iter()
            .map(|&c| {
                let t = header.and_then(|h| h.get(c)).map_or("", |x| x.text());
                let t = if t.is_empty() && content.len() == 1 {
                    "Expectations"
                } else {
                    t
                };
                (c.to_string(), t.to_string())
            })
            .collect()
    };
    if !groups.iter().all(|g| g.headed) {
        for (_, t) in &col_dims {
            dim_id(t, &mut dims);
        }
    }
    let mut levels = Vec::new();
    let mut roles = Vec::new();
    for g in groups {
        let pending = group_pending(g, content, long);
        let mut exps: Vec<Expectation> = Vec::new();
        let mut used = HashSet::new();
        if !pending {
            // (dimension title, text cell) in order.
            let mut pieces: Vec<(String, &GridCell)> = Vec::new();
            if g.headed {
                pieces.extend(g.cells.iter().map(|(d, c, _)| (d.clone(), c)));
            } else if long {
                let (a, b) = (content[0].to_string(), content[1].to_string());
                let mut last_dim = String::new();
                for (col, cell, row) in &g.cells {
                    if *col != b {
                        continue;
                    }
                    let area = g
                        .cells
                        .iter()
                        .find(|(c, _, r)| *c == a && r == row)
                        .map_or("", |x| x.1.text());
                    if !area.is_empty() {
                        last_dim = area.to_string();
                    }
                    pieces.push((last_dim.clone(), cell));
                }
            } else {
                for (col, cell, _) in &g.cells {
                    let t = col_dims
                        .iter()
                        .find(|(c, _)| c == col)
                        .map_or(String::new(), |x| x.1.clone());
                    pieces.push((t, cell));
                }
            }
            for (dim_title, text_cell) in pieces {
                if !used.insert(text_cell.offset) {
                    continue;
                }
                let d = dim_id(&dim_title, &mut dims);
                for (e, at) in &text_cell.expectations {
                    exps.push(Expectation {
                        id: Box::default(),
                        dimension: Some(d.clone()),
                        text: e.clone(),
                        examples: Default::default(),
                        source: src(*at),
                    });
                }
            }
        }
        // Order expectations by dimension, as the track lists them.
        exps.sort_by_key(|e| {
            dims.iter()
                .position(|d| Some(&d.id) == e.dimension.as_ref())
                .unwrap_or(usize::MAX)
        });
        let summary = match &g.summary {
            Some((s, _)) => Some(s.clone()),
            None if pending => Some(pending_text(g)),
            None => None,
        };
        if let Some((t, at)) = &g.role {
            roles.push(Role {
                title: t.clone(),
                from: g.label.from,
                to: g.label.to,
                source: src(*at),
            });
        }
        for n in g.label.levels() {
            let mut es = exps.clone();
            for (i, e) in es.iter_mut().enumerate() {
                e.id = format!("l{n}-{}", i + 1).into();
            }
            levels.push(Level {
                number: n,
                title: g.label.title.clone(),
                label: g.label.label.clone(),
                summary: summary.clone(),
                expectations: es,
                source: src(g.offset),
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
        dimensions: dims,
        anti_patterns: Vec::new(),
    }
}

/// The summary of a level still to be written, from its first pending
/// cell (or a plain statement when all its cells are empty).
fn pending_text(g: &Group) -> Rich {
    g.cells
        .iter()
        .map(|(_, c, _)| c)
        .find(|c| is_pending(c.text()))
        .map_or_else(|| pending_summary(""), |c| pending_summary(c.text()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ladder::matrix_table;
    use crate::ladder::model::Track;
    use crate::ladder::pipe_table;
    use crate::ladder::table_grid::test_doc;

    fn html(body: &str) -> (Vec<Track>, Vec<crate::diagnostics::Diagnostic>) {
        let doc = test_doc(body, 0);
        let mut d = Diagnostics::default();
        let c = matrix_table::recognise(&doc, &mut d);
        (c.map(|c| c.value).unwrap_or_default(), d.into_vec())
    }

    fn pipe(body: &str) -> (Vec<Track>, Vec<crate::diagnostics::Diagnostic>) {
        let doc = test_doc(body, 0);
        let mut d = Diagnostics::default();
        let c = pipe_table::recognise(&doc, &mut d);
        (c.map(|c| c.value).unwrap_or_default(), d.into_vec())
    }

    fn texts(l: &Level) -> Vec<(String, String)> {
        l.expectations
            .iter()
            .map(|e| {
                (
                    e.dimension.as_deref().unwrap_or_default().to_string(),
                    e.text.text().to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn pending_words() {
        assert!(is_pending("To be written"));
        assert!(is_pending("*TBD*"));
        assert!(is_pending("(still to be written — ask the guild)"));
        assert!(!is_pending("Writes tests for the code they change."));
        assert!(!is_pending("Todos os dias"));
        assert!(!is_pending(""));
    }

    const WIDE: &str = "## Web track

<table>
<tr><td><b>Level</b></td><td><b>Craft</b></td><td><b>Delivery</b></td></tr>
<tr><td rowspan=\"3\">L1 Apprentice</td><td colspan=\"2\"><em>Learns the stack with help.</em></td></tr>
<tr><td>Writes small components.</td><td>Ships fixes weekly.</td></tr>
<tr><td>Reads the style guide.</td><td></td></tr>
<tr><td rowspan=\"2\">L2</td><td>Builds pages alone.</td><td rowspan=\"2\">Plans a sprint of work.</td></tr>
<tr><td>Reviews peers.</td></tr>
<tr><td>L3</td><td colspan=\"2\">To be written</td></tr>
</table>
";

    #[test]
    fn wide_levels_with_rowspan_summary_and_pending() {
        let (t, d) = html(WIDE);
        assert!(d.is_empty(), "{d:?}");
        let t = &t[0];
        assert_eq!(t.title, "Web track");
        let dims: Vec<_> = t.dimensions.iter().map(|d| d.title.as_str()).collect();
        assert_eq!(dims, ["Craft", "Delivery"]);
        let l: Vec<_> = t.levels.iter().map(|l| l.number).collect();
        assert_eq!(l, [1, 2, 3]);
        assert_eq!(t.levels[0].title.as_deref(), Some("Apprentice"));
        assert_eq!(
            t.levels[0].summary.as_ref().unwrap().text(),
            "Learns the stack with help."
        );
        assert_eq!(
            texts(&t.levels[0]),
            [
                ("craft".into(), "Writes small components.".into()),
                ("craft".into(), "Reads the style guide.".into()),
                ("delivery".into(), "Ships fixes weekly.".into()),
            ]
        );
        // The spanned delivery cell counts once.
        assert_eq!(t.levels[1].expectations.len(), 3);
        assert_eq!(t.levels[1].source.line, 8);
        assert!(t.levels[2].expectations.is_empty());
        assert_eq!(
            t.levels[2].summary.as_ref().unwrap().text(),
            "To be written"
        );
    }

    #[test]
    fn long_layout_in_a_pipe_table() {
        let body = "| Level | Area | What we expect |\n|---|---|---|\n| P1 | Scope | Owns a task |\n| | Craft | - Writes tests<br>- Reads code |\n| P2 | Scope | Owns a feature |\n| | Craft | Designs modules |\n| P3 | TBD | |\n";
        let (t, d) = pipe(body);
        assert!(d.is_empty(), "{d:?}");
        let t = &t[0];
        let dims: Vec<_> = t.dimensions.iter().map(|d| &*d.id).collect();
        assert_eq!(dims, ["scope", "craft"]);
        assert_eq!(
            texts(&t.levels[0]),
            [
                ("scope".into(), "Owns a task".into()),
                ("craft".into(), "Writes tests".into()),
                ("craft".into(), "Reads code".into()),
            ]
        );
        assert_eq!(t.levels[1].expectations[1].source.line, 6);
        assert!(t.levels[2].expectations.is_empty());
        assert_eq!(
            t.levels[2].summary.as_ref().unwrap().text(),
            "This level is not written yet."
        );
    }

    #[test]
    fn spanning_level_headings() {
        let body = "<table>\n<tr><th colspan=\"2\">Level 1 — Associate</th></tr>\n<tr><td>Scope</td><td>Tasks</td></tr>\n<tr><td>Craft</td><td><ul><li>Tests</li><li>Docs</li></ul></td></tr>\n<tr><th colspan=\"2\">Level 2 — Engineer</th></tr>\n<tr><td>Scope</td><td>Features</td></tr>\n</table>\n";
        let (t, d) = html(body);
        assert!(d.is_empty(), "{d:?}");
        let t = &t[0];
        assert_eq!(t.levels[1].title.as_deref(), Some("Engineer"));
        assert_eq!(
            texts(&t.levels[0]),
            [
                ("scope".into(), "Tasks".into()),
                ("craft".into(), "Tests".into()),
                ("craft".into(), "Docs".into()),
            ]
        );
    }

    #[test]
    fn role_titles_numbered_by_a_role_map() {
        let body = "## Support\n\n| Role | Customers | Tools |\n|---|---|---|\n| Agent | Answers tickets | Uses macros |\n| Senior Agent | Handles escalations | Writes macros |\n\n## Titles\n\n| Title | Level |\n|---|---|\n| Agent | S1 - S2 |\n| Senior Agent | S3 |\n";
        // `S` is not a level prefix rungs knows: the map's labels use one
        // it knows instead.
        let body = body
            .replace("S1 - S2", "L1 - L2")
            .replace("| S3 |", "| L3 |");
        let (t, d) = pipe(&body);
        assert!(d.is_empty(), "{d:?}");
        let t = &t[0];
        let roles: Vec<_> = t
            .roles
            .iter()
            .map(|r| (r.title.as_str(), r.from, r.to))
            .collect();
        assert_eq!(roles, [("Agent", 1, 2), ("Senior Agent", 3, 3)]);
        assert_eq!(t.levels[2].label, "L3");
        assert_eq!(
            t.levels[2].expectations[0].text.text(),
            "Handles escalations"
        );
    }

    #[test]
    fn pending_role_column_and_empty_level_row() {
        // Roles as columns: a column that only says "TBD".
        let body = "<table><tr><th></th><th>Engineer</th><th>Staff Engineer</th></tr><tr><td>Level</td><td>1</td><td>2</td></tr><tr><td>Scope</td><td>Team</td><td><em>TBD</em></td></tr><tr><td>Craft</td><td>Tests</td><td>tbd</td></tr></table>";
        let (t, d) = html(body);
        assert!(d.is_empty(), "{d:?}");
        assert!(t[0].levels[1].expectations.is_empty());
        assert_eq!(
            t[0].levels[1].summary.as_ref().unwrap().text(),
            "This level is not written yet."
        );
        assert_eq!(t[0].levels[0].expectations.len(), 2);
        // Levels as rows: a level row left empty.
        let body = "| Level | Scope |\n|---|---|\n| L1 | Task |\n| | Bug fixes |\n| L2 | |\n";
        let (t, d) = pipe(body);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(t[0].levels[0].expectations.len(), 2);
        assert!(t[0].levels[1].expectations.is_empty());
        assert!(t[0].levels[1].summary.is_some());
    }

    #[test]
    fn partial_fit_warns_with_the_row() {
        let body = "<table>\n<tr><td>Level</td><td>Craft</td><td>Delivery</td></tr>\n<tr><td rowspan=\"2\">L1</td><td>a</td><td>b</td></tr>\n<tr><td>c</td><td>d</td></tr>\n<tr><td>L2</td><td>e</td><td>f</td></tr>\n<tr><td>Bonus round</td><td>g</td><td>h</td></tr>\n</table>\n";
        let (t, d) = html(body);
        assert!(t.is_empty());
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].line, 6);
        assert!(d[0].message.contains("`Bonus round`"), "{d:?}");
    }

    #[test]
    fn near_misses_stay_plain() {
        for body in [
            // Dates down the first column, spanned.
            "<table><tr><td>Date</td><td>Event</td><td>Owner</td></tr><tr><td rowspan=2>2024-03-01</td><td>Freeze</td><td>Ann</td></tr><tr><td>Cut</td><td>Bob</td></tr><tr><td>2024-04-01</td><td>Ship</td><td>Cy</td></tr></table>",
            // An on-call rotation.
            "| Week | Primary | Secondary |\n|---|---|---|\n| 1 | Ann | Bob |\n| | Cy | Dee |\n| 2 | Eve | Fay |\n",
            // Pricing tiers.
            "<table><tr><th>Plan</th><th>Seats</th><th>Price</th></tr><tr><td rowspan=2>Starter</td><td>1-5</td><td>$10</td></tr><tr><td>6-10</td><td>$9</td></tr><tr><td>Team</td><td>11+</td><td>$8</td></tr></table>",
        ] {
            let (t, d) = if body.starts_with('<') { html(body) } else { pipe(body) };
            assert!(t.is_empty(), "{body}: {t:?}");
            assert!(d.is_empty(), "{body}: {d:?}");
        }
    }
}
