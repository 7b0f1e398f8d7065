//! Prose skills: one skill per document, written as sibling sections named
//! by proficiency (`## Junior`, `## Mid`, `## Senior`; `## Beginner` …
//! `## Expert`; `## Novice`, `## Competent`, `## Proficient`; `##
//! Foundational`, `## Practitioner`; `## Awareness`, `## Working`),
//! each holding prose (paragraphs, bullets). The sections become the
//! skill's own maturity scale, numbered from the least to the most
//! proficient (authors who write the top level first are read the right
//! way round).
//!
//! A heading names a proficiency when it is the word alone, optionally
//! numbered (`1. Beginner`) or followed by `level` or a subtitle after a
//! separator (`Beginner — finding your feet`, `Senior (3+ years)`): `##
//! Junior hiring update` is about something else.
//!
//! A compact variant is one list of bold proficiency labels (`- **Junior**:
//! …`, `- **Senior** — …`), every item one step.
//!
//! A proficiency section that holds sub-headings is structured, not prose:
//! that is the job of titled levels ([`super::titled_levels`]), so the two
//! shapes never claim the same section.

use super::blocks::{self, Block, BlockKind};
use super::maturity_scale::Scale;
use super::model::{MaturityLevel, Rich, Skill, SourceRef};
use super::Claim;
use crate::diagnostics::Diagnostics;
use crate::source::SourceDoc;
use std::ops::Range;

/// Proficiency words and their rank (only the order matters): several
/// common scales interleave consistently.
const PROFICIENCY: &[(&str, u8)] = &[
    ("advanced beginner", 20),
    ("mid-level", 20),
    ("mid level", 20),
    ("entry-level", 10),
    ("entry level", 10),
    ("novice", 10),
    ("beginner", 10),
    ("awareness", 10),
    ("aware", 10),
    ("foundational", 10),
    ("foundation", 10),
    ("basic", 10),
    ("trainee", 10),
    ("junior", 10),
    ("emerging", 10),
    ("learning", 10),
    ("developing", 20),
    ("working", 20),
    ("competent", 25),
    ("intermediate", 25),
    ("mid", 25),
    ("practitioner", 30),
    ("proficient", 30),
    ("skilled", 30),
    ("advanced", 35),
    ("senior", 35),
    ("expert", 40),
    ("master", 45),
    ("leading", 45),
    ("authority", 45),
];

/// `Beginner`, `2. Intermediate`, `Senior level`, `Expert — sets the bar`:
/// the rank of the proficiency a heading names.
pub fn proficiency(heading: &str) -> Option<u8> {
    let t = blocks::strip_numbering(heading).to_lowercase();
    let t = t.trim_start_matches(['*', '_']);
    PROFICIENCY.iter().find_map(|(w, rank)| {
        let rest = t.strip_prefix(w)?;
        let rest = rest.trim_start_matches(['*', '_']);
        let rest = rest.trim_start();
        let rest = rest.strip_prefix("level").map_or(rest, str::trim_start);
        (rest.is_empty() || rest.starts_with([':', '-', '–', '—', '(', '/', '|', ',', '·']))
            .then_some(*rank)
    })
}

/// A proficiency section.
struct Section {
    head: usize,
    end: usize,
    rank: u8,
    /// Holds sub-headings (structured, not prose).
    structured: bool,
}

/// Proficiency sections grouped by (depth, parent heading), in the order
/// of each group's first proficiency heading.
fn groups(bl: &[Block]) -> Vec<(Option<usize>, Vec<Section>)> {
    let mut out: Vec<(Option<usize>, Vec<Section>)> = blocks::sibling_groups(bl)
        .into_iter()
        .filter_map(|(parent, members)| {
            let sections: Vec<Section> = members
                .into_iter()
                .filter_map(|i| {
                    let rank = proficiency(&bl[i].text)?;
                    let end = blocks::section_end(bl, i);
                    Some(Section {
                        head: i,
                        end,
                        rank,
                        structured: bl[i + 1..end].iter().any(|b| b.heading_depth().is_some()),
                    })
                })
                .collect();
            (!sections.is_empty()).then_some((parent, sections))
        })
        .collect();
    out.sort_by_key(|(_, sections)| sections[0].head);
    out
}

enum Finding {
    Scale(Vec<Section>),
    NearMiss { head: usize, message: String },
}

fn has_prose(bl: &[Block], s: &Section) -> bool {
    bl[s.head + 1..s.end]
        .iter()
        .any(|b| matches!(b.kind, BlockKind::Paragraph | BlockKind::List))
}

fn analyse(bl: &[Block]) -> Option<Finding> {
    let gs = groups(bl);
    let prose = |s: &Section| !s.structured && has_prose(bl, s);
    let scales: Vec<&(Option<usize>, Vec<Section>)> = gs
        .iter()
        .filter(|(_, ss)| ss.iter().filter(|s| prose(s)).count() >= 2)
        .collect();
    match scales.as_slice() {
        [] => {
            // One proficiency section of prose, alone in the document.
            let all: Vec<&Section> = gs.iter().flat_map(|(_, ss)| ss).collect();
            match all.as_slice() {
                [only] if prose(only) => Some(Finding::NearMiss {
                    head: only.head,
                    message: format!(
                        "only one proficiency section (`{}`): a skill written as sections needs two or more (`## Beginner`, `## Advanced`, …); shown as a plain page",
                        bl[only.head].text
                    ),
                }),
                _ => None,
            }
        }
        [(_, ss)] => {
            let mut levels: Vec<Section> = ss
                .iter()
                .filter(|s| prose(s))
                .map(|s| Section {
                    head: s.head,
                    end: s.end,
                    rank: s.rank,
                    structured: false,
                })
                .collect();
            levels.sort_by_key(|s| s.rank);
            Some(Finding::Scale(levels))
        }
        [a, b, ..] => {
            let name = |g: &(Option<usize>, Vec<Section>)| {
                g.0.map_or_else(|| "the top".to_string(), |p| format!("`{}`", bl[p].text))
            };
            Some(Finding::NearMiss {
                head: b.0.unwrap_or(b.1[0].head),
                message: format!(
                    "proficiency sections sit under both {} and {}: a skill page holds one skill; shown as a plain page",
                    name(a),
                    name(b)
                ),
            })
        }
    }
}

/// Why a document is almost a prose skill, if it is.
pub fn why_not(doc: &SourceDoc) -> Option<String> {
    match analyse(&blocks::blocks(&doc.body)) {
        Some(Finding::NearMiss { message, .. }) => Some(message),
        _ => None,
    }
}

/// The proficiency sections of a document as a maturity scale, claiming
/// each whole section. Warns about sections that did not fit.
pub fn scale(doc: &SourceDoc, diags: &mut Diagnostics) -> Option<Claim<Scale>> {
    let body = &doc.body;
    let bl = blocks::blocks(body);
    let Some(finding) = analyse(&bl) else {
        return list_scale(doc, &bl);
    };
    let levels = match finding {
        Finding::NearMiss { head, message } => {
            diags.push(doc.warn_at(bl[head].range.start, message).hint(
                "name each section by a proficiency (`## Beginner`, `## Intermediate`, `## Advanced`) and keep them side by side under one title",
            ));
            return None;
        }
        Finding::Scale(levels) => levels,
    };
    let mut scale = Scale::default();
    let mut spans: Vec<Range<usize>> = Vec::new();
    let mut last: Option<&Section> = None;
    for s in &levels {
        let head = &bl[s.head];
        if let Some(prev) = last.filter(|p| p.rank == s.rank) {
            diags.push(
                doc.warn_at(
                    head.range.start,
                    format!(
                        "`{}` names the same proficiency as `{}` (line {}); it is shown as text",
                        head.text,
                        bl[prev.head].text,
                        doc.line_of(bl[prev.head].range.start)
                    ),
                )
                .hint("use one scale (`Beginner`, `Intermediate`, `Advanced`, `Expert`) with one section per step"),
            );
            continue;
        }
        last = Some(s);
        let end = bl[s.end - 1].range.end;
        let content = body[head.range.end..end].trim();
        spans.push(head.range.start..end);
        scale.levels.push(MaturityLevel {
            number: scale.levels.len() as u32 + 1,
            title: blocks::strip_numbering(&head.text).to_string(),
            description: (!content.is_empty()).then(|| Rich::from_markdown(content)),
            source: SourceRef::at(doc, head.range.start),
        });
    }
    if scale.levels.len() < 2 {
        return None;
    }
    Some(Claim::new(scale, spans))
}

/// The compact variant: one list whose every item is a bold proficiency
/// label and its text (`- **Beginner**: reads …`, `- **Expert** — sets …`),
/// at least two of them, each proficiency once.
fn list_scale(doc: &SourceDoc, bl: &[Block]) -> Option<Claim<Scale>> {
    let body = &doc.body;
    bl.iter()
        .filter(|b| b.kind == BlockKind::List)
        .find_map(|b| {
            let mut found: Vec<(u8, String, String, usize)> = Vec::new();
            for item in &b.items {
                let (md, _) = blocks::item_markdown(body, item.clone());
                let (label, rest) = blocks::bold_label(&md)?;
                let rank = proficiency(&label)?;
                if rest.is_empty() || found.iter().any(|f| f.0 == rank) {
                    return None;
                }
                found.push((rank, label, rest, item.start));
            }
            if found.len() < 2 {
                return None;
            }
            found.sort_by_key(|f| f.0);
            let levels = found
                .into_iter()
                .enumerate()
                .map(|(k, (_, label, rest, start))| MaturityLevel {
                    number: k as u32 + 1,
                    title: label,
                    description: Some(Rich::from_markdown(&rest)),
                    source: SourceRef::at(doc, start),
                })
                .collect();
            Some(Claim::new(
                Scale {
                    levels,
                    target: None,
                },
                vec![b.range.clone()],
            ))
        })
}

/// A document that is a skill because of its proficiency sections.
pub fn recognise(doc: &SourceDoc, diags: &mut Diagnostics) -> Option<Claim<Skill>> {
    let mut probe = Diagnostics::default();
    if scale(doc, &mut probe).is_none() {
        // Near misses: say why the sections were not a scale.
        diags.extend(probe);
        return None;
    }
    Some(super::skill::build(doc, diags))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ladder::heading_ladder::tests::doc;
    use crate::ladder::model::Shape;

    fn run(body: &str) -> (Option<Skill>, Vec<String>) {
        let mut d = Diagnostics::default();
        let s = recognise(&doc(body), &mut d).map(|c| c.value);
        let mut w: Vec<String> = d
            .iter()
            .map(|d| format!("{}: {}", d.line, d.message))
            .collect();
        if s.is_none() {
            w.extend(why_not(&doc(body)));
        }
        (s, w)
    }

    #[test]
    fn proficiency_words() {
        assert_eq!(proficiency("Junior"), Some(10));
        assert_eq!(proficiency("2. Intermediate"), Some(25));
        assert_eq!(proficiency("Senior level"), Some(35));
        assert_eq!(proficiency("Expert — sets the bar"), Some(40));
        assert_eq!(proficiency("Advanced beginner"), Some(20));
        assert_eq!(proficiency("Mid-level (2-4 years)"), Some(20));
        assert_eq!(proficiency("Junior hiring update"), None);
        assert_eq!(proficiency("Basics of git"), None);
        assert_eq!(proficiency("Middleware"), None);
        assert_eq!(proficiency("Working agreements"), None);
    }

    #[test]
    fn sections_become_the_scale_in_rank_order() {
        let (s, w) = run("# Testing\n\nHow we test.\n\n## Expert\n\nDesigns the test strategy.\n\n## Beginner\n\nWrites unit tests with help.\n\n- asks early\n\n## Intermediate\n\nCovers edge cases.\n\n## Resources\n\nBooks.\n");
        let s = s.expect("a skill");
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(s.title, "Testing");
        assert_eq!(s.shape, Some(Shape::ProseSkill));
        assert_eq!(s.description.unwrap().text(), "How we test.");
        let got: Vec<_> = s
            .scale
            .iter()
            .map(|l| (l.number, l.title.as_str()))
            .collect();
        assert_eq!(got, [(1, "Beginner"), (2, "Intermediate"), (3, "Expert")]);
        let d = s.scale[0].description.as_ref().unwrap();
        assert!(
            d.text().contains("Writes unit tests") && d.html().contains("<li>"),
            "{d:?}"
        );
        assert_eq!(s.scale[2].source.line, 5);
    }

    #[test]
    fn a_list_of_bold_proficiencies_is_a_scale() {
        let (s, w) = run("# Pairing\n\nTwo people, one problem.\n\n- **Senior**: chooses when to pair\n- **Junior** — takes turns at the keyboard\n- **Mid:** drives a session\n\nMore below.\n");
        let s = s.expect("a skill");
        assert!(w.is_empty(), "{w:?}");
        let got: Vec<_> = s
            .scale
            .iter()
            .map(|l| (l.number, l.title.as_str()))
            .collect();
        assert_eq!(got, [(1, "Junior"), (2, "Mid"), (3, "Senior")]);
        assert_eq!(
            s.scale[0].description.as_ref().unwrap().text(),
            "takes turns at the keyboard"
        );
        assert_eq!(s.scale[0].source.line, 6);
        // A list with another label, or a word twice, is not a scale.
        assert!(run("- **Senior**: a\n- **Owner**: b\n").0.is_none());
        assert!(run("- **Senior**: a\n- **Advanced**: b\n").0.is_none());
        assert!(run("- **Junior**: only one\n").0.is_none());
    }

    #[test]
    fn near_misses() {
        // A meeting note with the word in another heading.
        let (s, w) = run("# Sync\n\n## Junior hiring update\n\nTwo offers out.\n\n## Senior staff offsite\n\nBooked.\n");
        assert!(s.is_none() && w.is_empty(), "{w:?}");
        // One section only.
        let (s, w) = run("# Git\n\n## Beginner\n\nLearn to commit.\n\n## Links\n\nSee the book.\n");
        assert!(s.is_none());
        assert!(
            w.iter().any(|m| m.contains("only one proficiency section")),
            "{w:?}"
        );
        // Two skills in one document.
        let (s, w) = run("# Skills\n## Testing\n### Beginner\na\n### Expert\nb\n## Design\n### Beginner\nc\n### Expert\nd\n");
        assert!(s.is_none());
        assert!(w.iter().any(|m| m.contains("one skill")), "{w:?}");
        // Structured sections belong to titled levels.
        let (s, _) = run("## Junior\n### Craft\n- a\n## Senior\n### Craft\n- b\n");
        assert!(s.is_none());
    }

    #[test]
    fn same_rank_twice_warns() {
        let (s, w) =
            run("# Ops\n## Junior\nStarts.\n## Senior\nLeads.\n## Advanced\nAlso leads.\n");
        assert_eq!(s.unwrap().scale.len(), 2);
        assert!(
            w.iter()
                .any(|m| m.starts_with("6:") && m.contains("same proficiency")),
            "{w:?}"
        );
    }
}
