//! Titled levels: sibling headings with no number (`## Software Engineer`,
//! `## Senior Software Engineer`, …) that each hold the same dimension
//! sub-headings (`### Craft`, `### Impact`, …). The sections are levels
//! numbered by the order they are written in; each heading is the role
//! title of its level.
//!
//! When a group of sibling headings counts as levels:
//!
//! - a heading reads as a title: starts with a letter, has no digits, is
//!   not a question, not a level label (`Level 3`, `IC4`: those are heading
//!   ladders) and not an anti-pattern heading;
//! - its section holds sub-headings (the shallowest ones are its
//!   dimensions); a section without sub-headings is never a level;
//! - the *common* dimensions are those in more than half of the titled
//!   sections of the group; there must be at least two. A section is a
//!   level when it misses **at most one** of them (any level may leave
//!   out one dimension, or add its own); at least two levels must hold two
//!   or more common dimensions;
//! - at least half of the level headings read as roles (a word such as
//!   *Engineer*, *Designer*, *Manager*, *Senior*, *Apprentice*), unless the
//!   document says `kind: ladder`: this keeps `## Linux` / `## macOS`
//!   install guides with shared `### Install` sub-headings plain pages;
//! - changelog sub-headings (`Added`, `Fixed`, …) never count.
//!
//! A bullet list of links to the level headings (`[Senior Software
//! Engineer](#senior-software-engineer)`) is navigation: it is claimed so
//! that it becomes neither expectations nor notes.
//!
//! Near misses (role headings whose sub-headings differ, a single role
//! section with dimensions, a role section among the levels that does not
//! share their dimensions or has no sub-headings at all) are warned about
//! at the heading that did not fit; the document (or that section) stays
//! text. Ordinary pages (FAQs, changelogs, install guides) stay quiet.

use super::blocks::{self, Block, BlockKind};
use super::heading_ladder::dimension_id;
use super::labels::parse_level_heading;
use super::model::{Level, Rich, Role, Shape, SourceRef, Track};
use super::{anti_patterns, doc_title, Claim};
use crate::diagnostics::Diagnostics;
use crate::slug::{slugify, SlugSet};
use crate::source::SourceDoc;
use std::ops::Range;

/// Words that make a heading read as a role title.
const ROLE_WORDS: &[&str] = &[
    "engineer",
    "engineers",
    "developer",
    "developers",
    "designer",
    "designers",
    "manager",
    "managers",
    "analyst",
    "analysts",
    "scientist",
    "scientists",
    "architect",
    "architects",
    "lead",
    "leader",
    "director",
    "head",
    "principal",
    "staff",
    "senior",
    "junior",
    "associate",
    "intern",
    "apprentice",
    "journeyman",
    "master",
    "fellow",
    "distinguished",
    "specialist",
    "consultant",
    "researcher",
    "writer",
    "administrator",
    "technician",
    "tester",
    "officer",
    "vp",
    "president",
    "chief",
    "cto",
    "founder",
    "owner",
    "coordinator",
    "programmer",
    "sre",
    "graduate",
    "trainee",
    "expert",
    "practitioner",
    "strategist",
    "coach",
    "partner",
    "editor",
    "producer",
    "operator",
    "steward",
];

/// Sub-headings of changelogs: a release section is not a level.
const CHANGELOG_WORDS: &[&str] = &[
    "added",
    "changed",
    "deprecated",
    "removed",
    "fixed",
    "security",
    "features",
    "bug fixes",
    "breaking changes",
    "improvements",
];

/// Does a heading read as a title (a candidate level)?
fn reads_as_title(text: &str) -> bool {
    let t = text.trim();
    t.starts_with(char::is_alphabetic)
        && !t.contains(|c: char| c.is_ascii_digit())
        && !t.ends_with('?')
        && t.split_whitespace().count() <= 8
        && parse_level_heading(t).is_none()
        && !anti_patterns::is_heading(t)
}

/// Does a heading read as a role (`Senior Product Designer`)?
fn reads_as_role(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .any(|w| ROLE_WORDS.contains(&w.to_lowercase().as_str()))
}

fn norm(text: &str) -> String {
    blocks::strip_numbering(text)
        .trim_end_matches(':')
        .trim()
        .to_lowercase()
}

/// A titled section: its heading block and its dimension sub-headings.
#[derive(Debug, Clone)]
struct Section {
    head: usize,
    end: usize,
    /// (block index, normalised title) of each dimension heading.
    dims: Vec<(usize, String)>,
}

impl Section {
    fn has(&self, dim: &str) -> bool {
        self.dims.iter().any(|(_, d)| d == dim)
    }
}

fn section(bl: &[Block], i: usize) -> Section {
    let end = blocks::section_end(bl, i);
    let depth = bl[i + 1..end].iter().filter_map(Block::heading_depth).min();
    let dims = bl[i + 1..end]
        .iter()
        .enumerate()
        .filter(|(_, b)| depth.is_some() && b.heading_depth() == depth)
        .filter(|(_, b)| !anti_patterns::is_heading(&b.text))
        .map(|(k, b)| (i + 1 + k, norm(&b.text)))
        .collect();
    Section { head: i, end, dims }
}

/// What one group of sibling headings amounts to.
#[derive(Debug)]
enum Finding {
    /// Levels, in order; the parent heading (if any); titled sections that
    /// did not fit, with the reason.
    Levels {
        parent: Option<usize>,
        levels: Vec<Section>,
        misfits: Vec<(usize, String)>,
    },
    /// Almost a ladder: where and why not.
    NearMiss { head: usize, message: String },
}

fn analyse_group(
    bl: &[Block],
    parent: Option<usize>,
    members: &[usize],
    declared: bool,
) -> Option<Finding> {
    let cands: Vec<Section> = members
        .iter()
        .filter(|&&i| reads_as_title(&bl[i].text))
        .map(|&i| section(bl, i))
        .filter(|s| !s.dims.is_empty())
        .collect();
    let n = cands.len();
    let mut common: Vec<String> = Vec::new();
    for s in &cands {
        for (_, d) in &s.dims {
            if !common.contains(d) && cands.iter().filter(|c| c.has(d)).count() * 2 > n {
                common.push(d.clone());
            }
        }
    }
    let changelog = common
        .iter()
        .filter(|d| CHANGELOG_WORDS.contains(&d.as_str()))
        .count()
        * 2
        >= common.len().max(1);
    let fits = |s: &Section| {
        let have = common.iter().filter(|d| s.has(d)).count();
        have >= 1 && common.len() - have <= 1
    };
    let full = |s: &Section| common.iter().filter(|d| s.has(d)).count() >= 2;
    let roleish = |s: &Section| reads_as_role(&bl[s.head].text);
    let (levels, rest): (Vec<Section>, Vec<Section>) = cands.iter().cloned().partition(fits);
    let role_levels = levels.iter().filter(|s| roleish(s)).count();
    if common.len() >= 2
        && levels.iter().filter(|s| full(s)).count() >= 2
        && !changelog
        && (declared || role_levels * 2 >= levels.len())
    {
        // Role headings among the levels that hold no sub-headings at all.
        let bare = members
            .iter()
            .filter(|&&i| reads_as_title(&bl[i].text) && reads_as_role(&bl[i].text))
            .filter(|&&i| !cands.iter().any(|c| c.head == i))
            .map(|&i| {
                (
                    i,
                    format!(
                        "role heading `{}` holds none of the dimension sub-headings its sibling levels share ({}); it is shown as text, not as a level",
                        bl[i].text,
                        common.join(", ")
                    ),
                )
            });
        let misfits = rest
            .iter()
            .filter(|s| roleish(s) || s.dims.iter().any(|(_, d)| common.contains(d)))
            .map(|s| {
                let have: Vec<&str> = common
                    .iter()
                    .filter(|d| s.has(d))
                    .map(String::as_str)
                    .collect();
                (
                    s.head,
                    format!(
                        "section `{}` holds {} of the {} dimensions its sibling levels share ({}); it is shown as text, not as a level",
                        bl[s.head].text,
                        have.len(),
                        common.len(),
                        common.join(", ")
                    ),
                )
            })
            .chain(bare)
            .collect();
        return Some(Finding::Levels {
            parent,
            levels,
            misfits,
        });
    }
    // Near misses: only when the headings read as roles (or the document
    // says it is a ladder), so ordinary pages stay quiet.
    let roles: Vec<&Section> = cands.iter().filter(|s| declared || roleish(s)).collect();
    if changelog {
        return None;
    }
    match roles.as_slice() {
        [] => None,
        [only] if only.dims.len() >= 2 => Some(Finding::NearMiss {
            head: only.head,
            message: format!(
                "only one titled level (`{}`): titled levels need at least two sibling role headings holding the same dimension sub-headings; shown as a plain page",
                bl[only.head].text
            ),
        }),
        [_] => None,
        [first, others @ ..] => {
            let odd = others
                .iter()
                .find(|s| first.dims.iter().filter(|(_, d)| s.has(d)).count() < 2)
                .unwrap_or(&others[0]);
            let shared = first.dims.iter().filter(|(_, d)| odd.has(d)).count();
            Some(Finding::NearMiss {
                head: odd.head,
                message: format!(
                    "role heading `{}` shares {} sub-heading{} with `{}`: titled levels need the same dimension sub-headings (at least two) under each role heading; shown as a plain page",
                    bl[odd.head].text,
                    if shared == 0 { "no".to_string() } else { shared.to_string() },
                    if shared == 1 { "" } else { "s" },
                    bl[first.head].text
                ),
            })
        }
    }
}

fn analyse(doc: &SourceDoc, bl: &[Block]) -> Vec<Finding> {
    let declared = doc.frontmatter.kind.as_deref() == Some("ladder");
    let mut found: Vec<Finding> = blocks::sibling_groups(bl)
        .iter()
        .filter_map(|(p, m)| analyse_group(bl, *p, m, declared))
        .collect();
    // Levels win; a nested group inside a level section is part of it.
    if found.iter().any(|f| matches!(f, Finding::Levels { .. })) {
        found.retain(|f| matches!(f, Finding::Levels { .. }));
        let mut taken: Vec<Range<usize>> = Vec::new();
        found.retain(|f| {
            let Finding::Levels { levels, .. } = f else {
                return false;
            };
            let span = levels[0].head..levels[levels.len() - 1].end;
            if taken
                .iter()
                .any(|t| t.start < span.end && span.start < t.end)
            {
                return false;
            }
            taken.push(span);
            true
        });
    } else {
        found.truncate(1);
    }
    found
}

/// Why a document with role-like headings is not titled levels, if it
/// almost is.
pub fn why_not(doc: &SourceDoc) -> Option<String> {
    let bl = blocks::blocks(&doc.body);
    analyse(doc, &bl).into_iter().find_map(|f| match f {
        Finding::NearMiss { message, .. } => Some(message),
        Finding::Levels { .. } => None,
    })
}

/// `[Senior Engineer](#senior-engineer)`: the fragment of a list item that
/// is one in-page link and nothing else.
fn jump_target(item_md: &str) -> Option<String> {
    let t = item_md.trim();
    let rest = t.strip_prefix('[')?;
    let close = rest.find("](#")?;
    let after = &rest[close + 3..];
    let end = after.find(')')?;
    after[end + 1..]
        .trim()
        .is_empty()
        .then(|| after[..end].trim().to_lowercase())
}

/// `## Senior Engineer {#senior}` → `senior`: a heading's own id.
fn explicit_id(heading_src: &str) -> Option<String> {
    let line = heading_src
        .lines()
        .next()?
        .trim_end()
        .trim_end_matches('#')
        .trim_end();
    let attrs = line.strip_suffix('}')?;
    let open = attrs.rfind('{')?;
    attrs[open + 1..]
        .split_whitespace()
        .find_map(|a| a.strip_prefix('#'))
        .filter(|id| !id.is_empty())
        .map(str::to_lowercase)
}

/// Is the list block a jump list to (mostly) these level headings?
fn is_jump_list(body: &str, b: &Block, level_slugs: &[String]) -> bool {
    if b.kind != BlockKind::List || b.items.is_empty() {
        return false;
    }
    let targets: Option<Vec<String>> = b
        .items
        .iter()
        .map(|r| jump_target(&blocks::item_markdown(body, r.clone()).0))
        .collect();
    let Some(targets) = targets else { return false };
    let hits = targets.iter().filter(|t| level_slugs.contains(t)).count();
    hits >= 1 && hits * 2 >= targets.len()
}

pub fn recognise(doc: &SourceDoc, diags: &mut Diagnostics) -> Option<Claim<Vec<Track>>> {
    let body = &doc.body;
    let bl = blocks::blocks(body);
    let findings = analyse(doc, &bl);
    let mut tracks = Vec::new();
    let mut spans: Vec<Range<usize>> = Vec::new();
    let (doc_t, title_span) = doc_title(doc, &bl);
    let several = findings.len() > 1;
    for f in findings {
        let (parent, levels, misfits) = match f {
            Finding::NearMiss { head, message } => {
                diags.push(doc.warn_at(bl[head].range.start, message).hint(
                    "give every role heading the same dimension sub-headings (`### Craft`, `### Impact`, …); if the page is not a ladder, ignore this or set `kind: page`",
                ));
                continue;
            }
            Finding::Levels {
                parent,
                levels,
                misfits,
            } => (parent, levels, misfits),
        };
        for (head, message) in misfits {
            diags.push(doc.warn_at(bl[head].range.start, message).hint(
                "give it the same dimension sub-headings as the other levels, or move it out of the list of levels",
            ));
        }
        let from = parent.map_or(0, |p| p + 1);
        let title = match parent {
            Some(p) if several || bl[p].heading_depth() != Some(1) => {
                spans.push(bl[p].range.clone());
                bl[p].text.clone()
            }
            _ => {
                spans.extend(title_span.clone());
                doc_t.clone()
            }
        };
        let first = levels[0].head;
        let description = bl[from..first]
            .iter()
            .find(|b| b.kind == BlockKind::Paragraph)
            .map(|b| {
                spans.push(b.range.clone());
                Rich::from_markdown(&body[b.range.clone()])
            });
        // Navigation: jump lists to the level headings, and a `Contents`
        // heading holding nothing else.
        let slugs: Vec<String> = levels
            .iter()
            .flat_map(|s| {
                let head = &bl[s.head];
                [
                    Some(slugify(&head.text)),
                    explicit_id(&body[head.range.clone()]),
                ]
            })
            .flatten()
            .collect();
        let in_levels = |i: usize| levels.iter().any(|s| (s.head..s.end).contains(&i));
        for (i, b) in bl.iter().enumerate() {
            if in_levels(i) || !is_jump_list(body, b, &slugs) {
                continue;
            }
            spans.push(b.range.clone());
            if let Some(h) = i.checked_sub(1).filter(|&h| {
                bl[h].heading_depth().is_some() && blocks::section_end(&bl, h) == i + 1
            }) {
                spans.push(bl[h].range.clone());
            }
        }
        let mut track = Track {
            title,
            description,
            shape: Some(Shape::TitledLevels),
            source: SourceRef::at(doc, bl[first].range.start),
            ..Track::default()
        };
        let mut dim_ids = SlugSet::default();
        for (k, s) in levels.iter().enumerate() {
            let number = k as u32 + 1;
            let head = &bl[s.head];
            spans.push(head.range.clone());
            let role = head.text.trim().to_string();
            let source = SourceRef::at(doc, head.range.start);
            let mut level = Level {
                number,
                title: Some(role.clone()),
                label: format!("Level {number}"),
                source: source.clone(),
                ..Level::default()
            };
            let dim_depth = s.dims.first().and_then(|(i, _)| bl[*i].heading_depth());
            let mut dim: Option<super::model::DimensionId> = None;
            let mut skip = false;
            for (i, b) in bl.iter().enumerate().take(s.end).skip(s.head + 1) {
                if let Some(d) = b.heading_depth() {
                    if Some(d) == dim_depth {
                        skip = !s.dims.iter().any(|(j, _)| *j == i);
                        if !skip {
                            dim = Some(dimension_id(
                                &mut track,
                                &mut dim_ids,
                                blocks::strip_numbering(&b.text),
                            ));
                            spans.push(b.range.clone());
                        }
                    }
                    continue;
                }
                if skip {
                    continue;
                }
                if super::heading_ladder::level_block(
                    doc,
                    body,
                    b,
                    &dim,
                    dim.is_none(),
                    &mut track,
                    &mut dim_ids,
                    &mut level,
                ) {
                    spans.push(b.range.clone());
                }
            }
            if level.expectations.is_empty() {
                diags.push(
                    doc.warn_at(
                        head.range.start,
                        format!("level {number} (`{role}`) has no expectations"),
                    )
                    .hint("write bullets or paragraphs under its dimension headings"),
                );
            }
            track.roles.push(Role {
                title: role,
                from: number,
                to: number,
                source,
            });
            track.levels.push(level);
        }
        tracks.push(track);
    }
    if tracks.is_empty() {
        return None;
    }
    Some(Claim::new(tracks, spans))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ladder::heading_ladder::tests::doc;

    fn run(body: &str) -> (Vec<Track>, Vec<String>) {
        let mut d = Diagnostics::default();
        let t = recognise(&doc(body), &mut d).map_or(Vec::new(), |c| c.value);
        (
            t,
            d.iter()
                .map(|d| format!("{}: {}", d.line, d.message))
                .collect(),
        )
    }

    const THREE: &str = "# Web\n\nBuilding the web app.\n\n- [Web Engineer](#web-engineer)\n- [Senior Web Engineer](#senior-web-engineer)\n- [Staff Web Engineer](#staff-web-engineer)\n\n## Web Engineer\n\nShips with help.\n\n### Craft\n- Writes tests\n### Impact\n- Finishes tasks\n\n## Senior Web Engineer\n\n### Craft\n- Designs modules\n### Impact\nOwns a feature end to end.\n### Mentoring\n- Pairs with juniors\n\n## Staff Web Engineer\n\n### Impact\n- Sets direction\n";

    #[test]
    fn sibling_role_headings_with_shared_dimensions_are_levels() {
        let (t, w) = run(THREE);
        assert_eq!(t.len(), 1, "{w:?}");
        let t = &t[0];
        assert_eq!(t.title, "Web");
        assert_eq!(
            t.description.as_ref().unwrap().text(),
            "Building the web app."
        );
        let roles: Vec<_> = t.roles.iter().map(|r| (r.title.as_str(), r.from)).collect();
        assert_eq!(
            roles,
            [
                ("Web Engineer", 1),
                ("Senior Web Engineer", 2),
                ("Staff Web Engineer", 3)
            ],
            "the staff section may miss one of the two shared dimensions: {w:?}"
        );
        assert_eq!(
            t.levels[0].summary.as_ref().unwrap().text(),
            "Ships with help."
        );
        let e = &t.levels[1].expectations;
        assert_eq!(e[1].text.text(), "Owns a feature end to end.");
        assert_eq!(e[1].dimension.as_deref(), Some("impact"));
        assert_eq!(e[2].dimension.as_deref(), Some("mentoring"));
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(t.levels[2].expectations[0].text.text(), "Sets direction");
        // A role section holding none of the shared dimensions is not a
        // level, and is named in a warning.
        let odd = THREE.replace(
            "### Impact\n- Sets direction",
            "### Hiring\n- Sets direction",
        );
        let (t, w) = run(&odd);
        assert_eq!(t[0].levels.len(), 2);
        assert!(
            w.iter().any(
                |m| m.starts_with("27:") && m.contains("`Staff Web Engineer` holds 0 of the 2")
            ),
            "{w:?}"
        );
    }

    #[test]
    fn one_missing_dimension_is_allowed_and_jump_list_is_claimed() {
        let body = "# Data\n\n- [Analyst](#analyst)\n- [Senior Analyst](#senior-analyst)\n- [Lead Analyst](#lead-analyst)\n\n## Analyst\n### Craft\n- a\n### Impact\n- b\n### Scope\n- c\n\n## Senior Analyst\n### Craft\n- d\n### Impact\n- e\n\n## Lead Analyst\n### Craft\n- f\n### Impact\n- g\n### Scope\n- h\n";
        let mut d = Diagnostics::default();
        let c = recognise(&doc(body), &mut d).unwrap();
        let t = &c.value[0];
        assert_eq!(t.levels.len(), 3);
        assert!(d.is_empty(), "{:?}", d.iter().collect::<Vec<_>>());
        let list_at = body.find("- [Analyst]").unwrap();
        assert!(
            c.spans.iter().any(|s| s.contains(&list_at)),
            "jump list claimed"
        );
        let all: Vec<_> = t.levels.iter().flat_map(|l| &l.expectations).collect();
        assert!(all.iter().all(|e| !e.text.text().contains("Analyst")));
    }

    #[test]
    fn jump_lists_may_use_explicit_heading_ids() {
        assert_eq!(
            explicit_id("## Senior Engineer {#senior .x}\n"),
            Some("senior".into())
        );
        assert_eq!(explicit_id("## Senior Engineer\n"), None);
        let body = "- [One](#one)\n- [Two](#two)\n\n## Engineer {#one}\n### Craft\n- a\n### Impact\n- b\n## Senior Engineer {#two}\n### Craft\n- c\n### Impact\n- d\n";
        let c = recognise(&doc(body), &mut Diagnostics::default()).unwrap();
        assert_eq!(c.value[0].roles[1].title, "Senior Engineer");
        assert!(c.spans.iter().any(|s| s.start == 0), "{:?}", c.spans);
    }

    #[test]
    fn near_misses_stay_plain_and_warn_only_when_close() {
        // FAQ: questions, nothing shared: quiet.
        let (t, w) = run(
            "## How do I apply?\n### Internal\nx\n### External\ny\n## Who decides?\n### Panel\nz\n",
        );
        assert!(t.is_empty() && w.is_empty(), "{w:?}");
        // Changelog.
        let (t, w) = run("## Unreleased\n### Added\n- a\n### Fixed\n- b\n## Previous\n### Added\n- c\n### Fixed\n- d\n");
        assert!(t.is_empty() && w.is_empty(), "{w:?}");
        // Install guide: shared sub-headings, no roles.
        let (t, _) = run("## Linux\n### Install\na\n### Configure\nb\n## Windows\n### Install\nc\n### Configure\nd\n");
        assert!(t.is_empty());
        // Role headings that share nothing: a warning at the odd one.
        let (t, w) = run("## Engineer\n### Craft\n- a\n### Impact\n- b\n## Senior Engineer\n### Hiring\n- c\n### Budget\n- d\n");
        assert!(t.is_empty());
        assert!(
            w.iter()
                .any(|m| m.starts_with("6:") && m.contains("shares no sub-headings")),
            "{w:?}"
        );
        // A single role section.
        let (t, w) = run("# Roles\n## Staff Engineer\n### Craft\n- a\n### Impact\n- b\n");
        assert!(t.is_empty());
        assert!(
            w.iter()
                .any(|m| m.starts_with("2:") && m.contains("only one titled level")),
            "{w:?}"
        );
        // Level labels are heading ladders, not titled levels.
        let (t, _) = run("## Level 1\n### Craft\n- a\n### Impact\n- b\n## Level 2\n### Craft\n- c\n### Impact\n- d\n");
        assert!(t.is_empty());
    }

    #[test]
    fn a_role_section_without_dimensions_is_warned_about() {
        let (t, w) = run("## Intern\n- Shadows a team\n## Engineer\n### Craft\n- a\n### Impact\n- b\n## Senior Engineer\n### Craft\n- c\n### Impact\n- d\n## Further reading\nBooks.\n");
        assert_eq!(t[0].levels.len(), 2);
        assert_eq!(t[0].roles[0].title, "Engineer");
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].starts_with("1:") && w[0].contains("`Intern` holds none"),
            "{w:?}"
        );
    }

    #[test]
    fn kind_ladder_admits_titles_without_role_words() {
        let body = "## Sprout\n### Craft\n- a\n### Impact\n- b\n## Sapling\n### Craft\n- c\n### Impact\n- d\n";
        assert!(run(body).0.is_empty());
        let mut d = doc(body);
        d.frontmatter.kind = Some("ladder".into());
        let t = recognise(&d, &mut Diagnostics::default()).unwrap().value;
        assert_eq!(t[0].levels[1].title.as_deref(), Some("Sapling"));
    }

    #[test]
    fn two_groups_under_track_headings_are_two_tracks() {
        let body = "# Eng\n## Individual contributors\n### Engineer\n#### Craft\n- a\n#### Impact\n- b\n### Senior Engineer\n#### Craft\n- c\n#### Impact\n- d\n## Managers\n### Engineering Manager\n#### People\n- e\n#### Delivery\n- f\n### Director\n#### People\n- g\n#### Delivery\n- h\n";
        let (t, w) = run(body);
        assert_eq!(t.len(), 2, "{w:?}");
        assert_eq!(t[0].title, "Individual contributors");
        assert_eq!(t[1].title, "Managers");
        assert_eq!(t[1].roles[1].title, "Director");
    }

    #[test]
    fn odd_inputs_never_panic() {
        for body in [
            "",
            "#",
            "## Engineer\n###\n## Senior Engineer\n###\n",
            "## a\n#### b\n## c\n##### d\n",
            "- [x](#\n",
        ] {
            let _ = run(body);
        }
    }
}
