//! A table that maps role titles to level labels (`Engineer 2 | IC3`),
//! written apart from the ladder tables that only name the roles.
//!
//! The map numbers the roles of a ladder table without a `Level` row (roles
//! as columns) and of a levels-as-rows table whose first column holds role
//! titles. The map table itself is not claimed: it stays in the document
//! and shows with the track's notes, where a reader can still look a title
//! up.

use super::labels::{parse_range, LevelLabel};
use super::table_grid::{self, Grid};
use crate::source::SourceDoc;

/// One role title and its level (or range).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleEntry {
    /// The title as written.
    pub title: String,
    pub level: LevelLabel,
    /// Body offset of the level cell (where the number is written).
    pub offset: usize,
}

/// Role titles → levels, from every role-map table of a document (and,
/// while reading a document's tables, from the roles of the tracks read so
/// far, so that a later table may name the same roles without levels).
#[derive(Debug, Clone, Default)]
pub struct RoleMap {
    pub entries: Vec<RoleEntry>,
}

/// A title as compared: lowercase, whitespace folded, emphasis dropped.
pub(crate) fn key(s: &str) -> String {
    s.trim_matches(|c: char| c == '*' || c == '_' || c == ':' || c.is_whitespace())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl RoleMap {
    /// The level of a role title, if the map names it.
    pub fn get(&self, title: &str) -> Option<&RoleEntry> {
        let k = key(title);
        if k.is_empty() {
            return None;
        }
        self.entries.iter().find(|e| key(&e.title) == k)
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn push(&mut self, e: RoleEntry) {
        if self.get(&e.title).is_none() {
            self.entries.push(e);
        }
    }
}

fn is_level_header(s: &str) -> bool {
    matches!(
        key(s).as_str(),
        "level" | "levels" | "level label" | "career level" | "band" | "grade" | "lvl"
    )
}

/// A level cell: `IC3`, `L4`, `3`, `5 - 6`, and `IC4 - IC5` (both ends
/// prefixed). A reversed range is returned as such, for the caller to warn.
pub(crate) fn parse_level_cell(s: &str) -> Option<LevelLabel> {
    let t = s.trim().trim_matches(|c: char| c == '*' || c == '_').trim();
    if let Some(l) = parse_range(t) {
        return Some(l);
    }
    if let Some(l) = table_grid::header_level(t) {
        if l.title.is_none() && !l.is_reversed() {
            return Some(l);
        }
    }
    // `IC4 - IC5`: both ends carry the prefix.
    let (a, b) = t.split_once(['-', '–', '—'])?;
    let a = table_grid::header_level(a.trim())?;
    let b = table_grid::header_level(b.trim())?;
    (a.title.is_none() && b.title.is_none() && a.from <= b.to).then(|| LevelLabel {
        from: a.from,
        to: b.to,
        title: None,
        label: t.to_string(),
    })
}

/// A short title, not a sentence: at most six words, no full stop.
fn is_title_like(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t.split_whitespace().count() <= 6 && !t.contains(". ") && !t.ends_with('.')
}

/// Read a grid as a role map: a header row, one level column (`Level`,
/// `Band`, `Grade`) whose every value is a level label, and one to three
/// columns of short titles. `None` for any other table.
pub fn from_grid(grid: &Grid) -> Option<Vec<RoleEntry>> {
    let rows = &grid.rows;
    let head = rows.first()?;
    if rows.len() < 3 || !(2..=4).contains(&head.len()) {
        return None;
    }
    let lc = head.iter().position(|c| is_level_header(c.text()))?;
    // Every other column is headed as titles (`Title`, `Job title`,
    // `Role`, `Manager`, `Individual contributor`).
    let titled = |t: &str| {
        key(t).split(|c: char| !c.is_alphanumeric()).any(|w| {
            matches!(
                w,
                "title"
                    | "titles"
                    | "role"
                    | "roles"
                    | "position"
                    | "job"
                    | "manager"
                    | "management"
                    | "contributor"
                    | "ic"
                    | "track"
            )
        })
    };
    if head
        .iter()
        .enumerate()
        .any(|(c, h)| c != lc && !titled(h.text()))
    {
        return None;
    }
    let mut out = Vec::new();
    for row in &rows[1..] {
        if row.len() != head.len() {
            return None;
        }
        let level = parse_level_cell(row[lc].text()).filter(|l| !l.is_reversed())?;
        for (c, cell) in row.iter().enumerate() {
            if c == lc || cell.text().is_empty() {
                continue;
            }
            if !is_title_like(cell.text()) || parse_level_cell(cell.text()).is_some() {
                return None;
            }
            out.push(RoleEntry {
                title: cell.text().to_string(),
                level: level.clone(),
                offset: row[lc].offset,
            });
        }
    }
    (out.len() >= 2).then_some(out)
}

/// Every role-map table of a document, HTML or pipe.
pub fn find(doc: &SourceDoc) -> RoleMap {
    find_with(doc, &[])
}

/// [`find`], reusing the grids a recogniser already read (all of one
/// kind): only the other kind of table is parsed again.
pub fn find_with(doc: &SourceDoc, have: &[(Grid, std::ops::Range<usize>)]) -> RoleMap {
    use super::model::Shape;
    let mut map = RoleMap::default();
    let body = &doc.body;
    let kind = have.first().map(|g| g.0.shape);
    let mut parsed = Vec::new();
    if kind != Some(Shape::MatrixTable) && (body.contains("<table") || body.contains("<TABLE")) {
        parsed.extend(super::matrix_table::html_grids(body));
    }
    if kind != Some(Shape::PipeTable) && body.contains('|') {
        parsed.extend(super::pipe_table::pipe_grids(body));
    }
    for (g, _) in have.iter().chain(&parsed) {
        if let Some(entries) = from_grid(g) {
            for e in entries {
                map.push(e);
            }
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ladder::table_grid::test_doc;

    #[test]
    fn pipe_role_map() {
        let body = "## Titles\n\n| Title | Level |\n|---|---|\n| Engineer 1 | IC1 |\n| Engineer 2 | IC2 |\n| Senior Engineer | IC3 - IC4 |\n";
        let m = find(&test_doc(body, 0));
        let e = m.get("senior  engineer").unwrap();
        assert_eq!((e.level.from, e.level.to), (3, 4));
        assert_eq!(m.get("**Engineer 2**").unwrap().level.label, "IC2");
        assert!(m.get("Engineer 3").is_none());
    }

    #[test]
    fn html_role_map_with_two_title_columns() {
        let body = "<table>\n<tr><td>Band</td><td>Individual contributor</td><td>Manager</td></tr>\n<tr><td>L5</td><td>Staff Engineer</td><td>Engineering Manager</td></tr>\n<tr><td>L6</td><td>Principal Engineer</td><td></td></tr>\n</table>\n";
        let m = find(&test_doc(body, 0));
        assert_eq!(m.entries.len(), 3);
        assert_eq!(m.get("Engineering Manager").unwrap().level.from, 5);
    }

    #[test]
    fn not_role_maps() {
        for body in [
            // Sentences, not titles.
            "| Level | Expectation |\n|---|---|\n| L1 | Ships small changes. |\n| L2 | Owns a feature end to end. |\n",
            // Prices.
            "| Plan | Price |\n|---|---|\n| Starter | $10 |\n| Team | $40 |\n",
            // Levels as rows with short cells: a ladder, not a map.
            "| Level | Scope | Craft |\n|---|---|---|\n| 1 | Task | Tests |\n| 2 | Feature | Reviews |\n",
            // A roster.
            "| Name | Role | Level |\n|---|---|---|\n| Ann | Engineer | L3 |\n| Bob | Engineer | L3 |\n",
            // Dates in the level column.
            "| Level | Name |\n|---|---|\n| 2024-01-02 | Ann |\n| 2024-02-03 | Bob |\n",
            // One row only.
            "| Title | Level |\n|---|---|\n| Engineer | L1 |\n",
        ] {
            assert!(find(&test_doc(body, 0)).is_empty(), "{body}");
        }
    }
}
