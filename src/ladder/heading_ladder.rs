//! Heading ladders: one heading per level (`### Level 3`, `## L3: Senior`,
//! `#### IC4 — Staff`), each followed by a summary paragraph and bullets.
//! Sub-headings inside a level are dimensions; `**Label**: text` bullets
//! name their dimension inline.

use super::blocks::{self, Block, BlockKind};
use super::labels::{parse_level_heading, LevelLabel};
use super::model::{
    Dimension, DimensionId, Expectation, Level, Rich, Role, Shape, SourceRef, Track,
};
use super::{anti_patterns, doc_title, Claim};
use crate::diagnostics::Diagnostics;
use crate::slug::{slugify, SlugSet};
use crate::source::SourceDoc;
use std::ops::Range;

/// The label word (`level`, `l`, `p`, `ic`), so that `Q3` and `Level 4`
/// are not taken for one scale.
fn prefix_key(label: &str) -> String {
    let p: String = label
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    match p.as_str() {
        "levels" | "lvl" => "level".to_string(),
        _ => p,
    }
}

/// Label words that are not level scales: quarters, halves, fiscal years,
/// versions, weeks, sprints, program increments.
const NOT_LEVELS: &[&str] = &["q", "h", "fy", "v", "w", "cw", "kw", "s", "pi", "qr", "cy"];

/// Rule out `Q3`, `H1 2024`, `v2`: calendar and version labels.
fn plausible(l: &LevelLabel) -> bool {
    let key = prefix_key(&l.label);
    if NOT_LEVELS.contains(&key.as_str()) {
        return false;
    }
    key == "level"
        || !l
            .title
            .as_deref()
            .is_some_and(|t| t.starts_with(|c: char| c.is_ascii_digit()))
}

/// Block ranges of sections about maturity (a skill's own scale, never
/// career levels).
fn maturity_sections(bl: &[Block]) -> Vec<Range<usize>> {
    bl.iter()
        .enumerate()
        .filter(|(_, b)| b.heading_depth().is_some() && b.text.to_lowercase().contains("maturity"))
        .map(|(i, _)| i..blocks::section_end(bl, i))
        .collect()
}

/// Level headings of the doc: (block index, depth, label).
pub fn level_headings(bl: &[Block]) -> Vec<(usize, u8, LevelLabel)> {
    bl.iter()
        .enumerate()
        .filter_map(|(i, b)| {
            let d = b.heading_depth()?;
            let l = parse_level_heading(&b.text)?;
            (l.from == l.to).then_some((i, d, l))
        })
        .collect()
}

pub fn recognise(doc: &SourceDoc, diags: &mut Diagnostics) -> Option<Claim<Vec<Track>>> {
    let body = &doc.body;
    let bl = blocks::blocks(body);
    let maturity = maturity_sections(&bl);
    let cands: Vec<_> = level_headings(&bl)
        .into_iter()
        .filter(|(i, d, l)| {
            (2..=4).contains(d) && !maturity.iter().any(|r| r.contains(i)) && plausible(l)
        })
        .collect();
    // The largest group of headings sharing depth and label word.
    let mut best: Option<(u8, String, usize)> = None;
    for (_, d, l) in &cands {
        let key = prefix_key(&l.label);
        let n = cands
            .iter()
            .filter(|(_, d2, l2)| d2 == d && prefix_key(&l2.label) == key)
            .count();
        if !matches!(&best, Some(b) if b.2 >= n) {
            best = Some((*d, key, n));
        }
    }
    let (depth, key, n) = best?;
    if n < 2 {
        return None;
    }
    let group: Vec<&(usize, u8, LevelLabel)> = cands
        .iter()
        .filter(|(_, d, l)| *d == depth && prefix_key(&l.label) == key)
        .collect();

    let mut spans: Vec<Range<usize>> = Vec::new();
    let (title, title_span) = doc_title(doc, &bl);
    spans.extend(title_span);
    let first_level = group[0].0;
    let description = bl[..first_level]
        .iter()
        .find(|b| b.kind == BlockKind::Paragraph)
        .map(|b| {
            spans.push(b.range.clone());
            Rich::from_markdown(&body[b.range.clone()])
        });

    let mut track = Track {
        title,
        description,
        shape: Some(Shape::HeadingLadder),
        source: SourceRef::at(doc, bl[first_level].range.start),
        ..Track::default()
    };
    let mut dim_ids = SlugSet::default();
    let mut seen: Vec<u32> = Vec::new();
    for (idx, _, label) in group.iter().map(|g| (&g.0, &g.1, &g.2)) {
        let idx = *idx;
        let head = &bl[idx];
        if seen.contains(&label.from) {
            diags.push(
                doc.warn_at(
                    head.range.start,
                    format!("level {} appears twice in this ladder", label.from),
                )
                .hint("give each level its own number; this second heading is shown as text"),
            );
            continue;
        }
        seen.push(label.from);
        spans.push(head.range.clone());
        let end = blocks::section_end(&bl, idx);
        let mut level = Level {
            number: label.from,
            title: label.title.clone(),
            label: label.label.clone(),
            source: SourceRef::at(doc, head.range.start),
            ..Level::default()
        };
        let mut dim: Option<DimensionId> = None;
        let mut skip_to: Option<u8> = None;
        for b in &bl[idx + 1..end] {
            if let Some(d) = b.heading_depth() {
                if skip_to.is_some_and(|s| d > s) {
                    continue;
                }
                skip_to = None;
                if anti_patterns::is_heading(&b.text) {
                    skip_to = Some(d);
                    continue;
                }
                dim = Some(dimension_id(&mut track, &mut dim_ids, &b.text));
                spans.push(b.range.clone());
                continue;
            }
            if skip_to.is_some() {
                continue;
            }
            match b.kind {
                BlockKind::Paragraph
                    if level.summary.is_none()
                        && level.expectations.is_empty()
                        && dim.is_none() =>
                {
                    level.summary = Some(Rich::from_markdown(&body[b.range.clone()]));
                    spans.push(b.range.clone());
                }
                BlockKind::List => {
                    list_expectations(
                        doc,
                        body,
                        b,
                        &dim,
                        true,
                        &mut track,
                        &mut dim_ids,
                        &mut level.expectations,
                    );
                    spans.push(b.range.clone());
                }
                _ => {}
            }
        }
        if level.expectations.is_empty() {
            diags.push(
                doc.warn_at(
                    head.range.start,
                    format!("level {} has no expectations", level.number),
                )
                .hint("list what is expected at this level as bullets under its heading"),
            );
        }
        track.levels.push(level);
    }
    track.levels.sort_by_key(|l| l.number);
    // `## IC4 — Senior Engineer`, `### E5: Staff`: a prefixed label names
    // the role of that one level.
    if key != "level" {
        track.roles = track
            .levels
            .iter()
            .filter_map(|l| {
                let title = l.title.as_ref().filter(|t| is_role_title(t))?;
                Some(Role {
                    title: title.clone(),
                    from: l.number,
                    to: l.number,
                    source: l.source.clone(),
                })
            })
            .collect();
    }
    Some(Claim::new(vec![track], spans))
}

/// A heading title that reads as a role: starts with a letter, a few words.
fn is_role_title(t: &str) -> bool {
    t.starts_with(char::is_alphabetic) && t.split_whitespace().count() <= 6 && !t.ends_with('.')
}

/// The items of a list block as expectations of `dim`; with `labels`, an
/// item written `**Label**: text` names its own dimension instead.
#[allow(clippy::too_many_arguments)]
pub(crate) fn list_expectations(
    doc: &SourceDoc,
    body: &str,
    b: &Block,
    dim: &Option<DimensionId>,
    labels: bool,
    track: &mut Track,
    dim_ids: &mut SlugSet,
    out: &mut Vec<Expectation>,
) {
    for item in &b.items {
        let (md, _) = blocks::item_markdown(body, item.clone());
        let (d, text) = match blocks::bold_label(&md) {
            Some((l, rest)) if labels && !rest.is_empty() && l.chars().count() <= 60 => {
                (Some(dimension_id(track, dim_ids, &l)), rest)
            }
            _ => (dim.clone(), md),
        };
        let text = Rich::from_markdown(&text);
        if text.is_empty() {
            continue;
        }
        out.push(Expectation {
            dimension: d,
            text,
            source: SourceRef::at(doc, item.start),
            ..Expectation::default()
        });
    }
}

/// One block under a level heading of a one-level-per-section layout: the
/// first paragraph before any dimension is the level's summary, later
/// paragraphs and list items are expectations of `dim` (see
/// [`list_expectations`] for `labels`). Returns whether the block was read.
#[allow(clippy::too_many_arguments)]
pub(crate) fn level_block(
    doc: &SourceDoc,
    body: &str,
    b: &Block,
    dim: &Option<DimensionId>,
    labels: bool,
    track: &mut Track,
    dim_ids: &mut SlugSet,
    level: &mut Level,
) -> bool {
    match b.kind {
        BlockKind::Paragraph if dim.is_none() && level.summary.is_none() => {
            level.summary = Some(Rich::from_markdown(&body[b.range.clone()]));
            true
        }
        BlockKind::Paragraph => {
            let text = Rich::from_markdown(&body[b.range.clone()]);
            if text.is_empty() {
                return false;
            }
            level.expectations.push(Expectation {
                dimension: dim.clone(),
                text,
                source: SourceRef::at(doc, b.range.start),
                ..Expectation::default()
            });
            true
        }
        BlockKind::List => {
            list_expectations(
                doc,
                body,
                b,
                dim,
                labels,
                track,
                dim_ids,
                &mut level.expectations,
            );
            true
        }
        _ => false,
    }
}

/// The id of the dimension titled `title`, adding it to the track if new.
pub(crate) fn dimension_id(track: &mut Track, ids: &mut SlugSet, title: &str) -> DimensionId {
    let title = title.trim().trim_end_matches(':').trim();
    if let Some(d) = track.dimensions.iter().find(|d| d.title == title) {
        return d.id.clone();
    }
    let id: DimensionId = ids.unique(&slugify(title)).into();
    track.dimensions.push(Dimension {
        id: id.clone(),
        title: title.to_string(),
    });
    id
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::source::Frontmatter;

    pub(crate) fn doc(body: &str) -> SourceDoc {
        SourceDoc {
            path: "test/ladder.md".into(),
            rel: "ladder.md".into(),
            frontmatter: Frontmatter::default(),
            body: body.into(),
            body_line_offset: 0,
            line_starts: Default::default(),
        }
    }

    fn run(body: &str) -> (Option<Track>, Diagnostics) {
        let mut d = Diagnostics::default();
        let t = recognise(&doc(body), &mut d).map(|c| c.value.into_iter().next().unwrap());
        (t, d)
    }

    #[test]
    fn level_headings_with_titles_and_summary() {
        let (t, d) = run("# Backend\n\nServers and such.\n\n## Level 1: Junior\nLearns.\n- Ships small fixes\n- Asks for help\n\n## Level 2 — Mid\nOwns features.\n- Designs a feature\n");
        let t = t.unwrap();
        assert_eq!(t.title, "Backend");
        assert_eq!(t.description.unwrap().text(), "Servers and such.");
        assert_eq!(t.levels.len(), 2);
        assert_eq!(t.levels[0].title.as_deref(), Some("Junior"));
        assert_eq!(t.levels[1].title.as_deref(), Some("Mid"));
        assert_eq!(t.levels[0].summary.as_ref().unwrap().text(), "Learns.");
        assert_eq!(t.levels[0].expectations.len(), 2);
        assert_eq!(t.levels[0].source.line, 5);
        assert!(d.is_empty());
    }

    #[test]
    fn prefixed_labels_at_depth_four_with_dimensions() {
        let (t, _) = run("#### L1 - Starter\n\n##### Delivery\n- Finishes tasks\n##### Craft\n- Writes tests\n\n#### L2 - Grown\n- **Delivery**: Finishes projects\n- **Craft:** Reviews code\n");
        let t = t.unwrap();
        assert_eq!(
            t.levels.iter().map(|l| l.number).collect::<Vec<_>>(),
            [1, 2]
        );
        assert_eq!(t.dimensions.len(), 2);
        let e = &t.levels[1].expectations;
        assert_eq!(e[0].dimension.as_deref(), Some("delivery"));
        assert_eq!(e[0].text.text(), "Finishes projects");
        assert_eq!(e[1].dimension.as_deref(), Some("craft"));
        assert_eq!(
            t.levels[0].expectations[1].dimension.as_deref(),
            Some("craft")
        );
    }

    #[test]
    fn ic_and_p_prefixes_and_nested_bullets() {
        let (t, _) = run("### IC3\n- Leads a project\n  - with a plan\n  - and a review\n### IC4\n- Leads a team\n");
        let t = t.unwrap();
        let e = &t.levels[0].expectations[0];
        assert!(e.text.html().contains("<ul>"), "{}", e.text.html());
        assert_eq!(t.levels[0].label, "IC3");
        let (t, _) = run("## P3: Senior\n- a\n## P4: Staff\n- b\n");
        assert_eq!(t.unwrap().levels[1].title.as_deref(), Some("Staff"));
    }

    #[test]
    fn prefixed_headings_name_single_level_roles() {
        let (t, _) = run("## D3 - Developer 3\n- **Delivery**: ships\n## D4 - Developer 4\n- b\n");
        let t = t.unwrap();
        let roles: Vec<_> = t
            .roles
            .iter()
            .map(|r| (r.title.as_str(), r.from, r.to))
            .collect();
        assert_eq!(roles, [("Developer 3", 3, 3), ("Developer 4", 4, 4)]);
        assert_eq!(
            t.levels[0].expectations[0].dimension.as_deref(),
            Some("delivery")
        );
        let (t, _) = run("### E5: Staff\n- a\n### E6\n- b\n");
        let t = t.unwrap();
        assert_eq!(t.roles.len(), 1);
        assert_eq!(t.roles[0].title, "Staff");
        let (t, _) = run("## IC4 — Senior Engineer\n- a\n## IC5 — Staff Engineer\n- b\n");
        assert_eq!(t.unwrap().roles[1].title, "Staff Engineer");
        // `Level N: title` keeps its title on the level, not as a role.
        let (t, _) = run("## Level 1: Junior\n- a\n## Level 2: Mid\n- b\n");
        assert!(t.unwrap().roles.is_empty());
    }

    #[test]
    fn needs_two_headings_at_one_depth() {
        assert!(run("## Q3\nRoadmap.\n- things\n").0.is_none());
        assert!(run("## Level 1\n- a\n### Level 2\n- b\n").0.is_none());
        assert!(run("## Q3\n- a\n## Q4\n- b\n").0.is_none());
        assert!(run("## E1 2024\n- a\n## E2 2025\n- b\n").0.is_none());
        assert!(run("## Maturity\n### Level 1\n- a\n### Level 2\n- b\n")
            .0
            .is_none());
        assert!(run("## V1\n- a\n## V2\n- b\n").0.is_none());
    }

    #[test]
    fn warns_on_duplicates_and_empty_levels() {
        let (t, d) = run("## Level 1\n- a\n## Level 1\n- b\n## Level 2\nNothing here.\n");
        assert_eq!(t.unwrap().levels.len(), 2);
        let msgs: Vec<_> = d.iter().map(|d| d.message.clone()).collect();
        assert!(msgs.iter().any(|m| m.contains("twice")), "{msgs:?}");
        assert!(
            msgs.iter().any(|m| m.contains("no expectations")),
            "{msgs:?}"
        );
        assert!(d.iter().all(|d| d.line > 0 && d.hint.is_some()));
    }
}
