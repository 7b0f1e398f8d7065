//! Skill documents: titled `Skill: …` (H1 or frontmatter) or marked
//! `kind: skill`. A skill has its own maturity scale, checklists (task-list
//! items grouped by the heading above them) and anti-patterns.

use super::blocks::{self, BlockKind};
use super::model::{Checklist, ChecklistItem, Rich, Shape, Skill, SourceRef};
use super::{anti_patterns, doc_title, maturity_scale, skill_prose, Claim};
use crate::diagnostics::Diagnostics;
use crate::slug::{slugify, SlugSet};
use crate::source::SourceDoc;

/// `Skill: Platform` → `Platform`.
fn strip_skill_prefix(title: &str) -> Option<&str> {
    let t = title.trim();
    let head = t.get(..5)?;
    if !head.eq_ignore_ascii_case("skill") {
        return None;
    }
    t[5..]
        .trim_start()
        .strip_prefix([':', '-', '–', '—'])
        .map(str::trim)
        .filter(|r| !r.is_empty())
}

/// Is the document a skill?
pub fn is_skill(doc: &SourceDoc) -> bool {
    if let Some(k) = &doc.frontmatter.kind {
        return k == "skill";
    }
    // The title is looked for in the body only when the front matter has
    // none (as [`doc_title`] does).
    match &doc.frontmatter.title {
        Some(t) => strip_skill_prefix(t).is_some(),
        None => strip_skill_prefix(&doc_title(doc, &blocks::blocks(&doc.body)).0).is_some(),
    }
}

pub fn recognise(doc: &SourceDoc, diags: &mut Diagnostics) -> Option<Claim<Skill>> {
    if !is_skill(doc) {
        return None;
    }
    Some(build(doc, diags))
}

/// The skill of a document known to be one: its maturity scale (`Level N —
/// Title` lines, else proficiency sections of prose), checklists and
/// anti-patterns.
pub(crate) fn build(doc: &SourceDoc, diags: &mut Diagnostics) -> Claim<Skill> {
    let body = &doc.body;
    let bl = blocks::blocks(body);
    let (title, title_span) = doc_title(doc, &bl);
    let title = strip_skill_prefix(&title).unwrap_or(&title).to_string();
    let mut spans: Vec<_> = title_span.into_iter().collect();

    let description = match &doc.frontmatter.description {
        Some(d) => Some(Rich::from_markdown(d)),
        None => {
            let first_h2 = bl
                .iter()
                .position(|b| b.heading_depth().is_some_and(|d| d >= 2))
                .unwrap_or(bl.len());
            let intro = bl[..first_h2]
                .iter()
                .find(|b| b.kind == BlockKind::Paragraph);
            let purpose = || {
                let i = bl.iter().position(|b| {
                    b.heading_depth().is_some() && {
                        let t = blocks::strip_numbering(&b.text).to_lowercase();
                        ["purpose", "overview", "summary", "description", "about"]
                            .iter()
                            .any(|k| t.starts_with(k))
                    }
                })?;
                bl[i + 1..blocks::section_end(&bl, i)]
                    .iter()
                    .find(|b| b.kind == BlockKind::Paragraph)
            };
            intro
                .or_else(purpose)
                .map(|b| Rich::from_markdown(&body[b.range.clone()]))
        }
    };

    let mut skill = Skill {
        title,
        description,
        source: SourceRef::at(doc, 0),
        ..Skill::default()
    };
    if let Some(c) = maturity_scale::recognise(doc, diags) {
        skill.scale = c.value.levels;
        skill.target = c.value.target;
        skill.shape = Some(Shape::SkillDocument);
        spans.extend(c.spans);
    } else if let Some(c) = skill_prose::scale(doc, diags) {
        skill.scale = c.value.levels;
        skill.target = c.value.target;
        skill.shape = Some(Shape::ProseSkill);
        spans.extend(c.spans);
    } else {
        skill.shape = Some(Shape::SkillDocument);
    }
    if let Some(c) = anti_patterns::recognise(doc, diags) {
        skill.anti_patterns = c.value;
        spans.extend(c.spans);
    }
    let c = checklists(doc);
    skill.checklists = c.value;
    spans.extend(c.spans);
    Claim::new(skill, spans)
}

/// The byte ranges of the body the skill page replaces with its maturity
/// scale component: the level lines of a maturity scale (its section
/// heading stays), or whole proficiency sections, headings included.
pub fn scale_spans(doc: &SourceDoc) -> Vec<std::ops::Range<usize>> {
    let mut quiet = Diagnostics::default();
    if let Some(c) = maturity_scale::recognise(doc, &mut quiet) {
        return c
            .spans
            .into_iter()
            .filter(|r| {
                !doc.body
                    .get(r.clone())
                    .is_some_and(|t| t.trim_start().starts_with('#'))
            })
            .collect();
    }
    skill_prose::scale(doc, &mut quiet).map_or(Vec::new(), |c| c.spans)
}

/// Task-list items grouped by the heading above them.
pub fn checklists(doc: &SourceDoc) -> Claim<Vec<Checklist>> {
    let body = &doc.body;
    let bl = blocks::blocks(body);
    let mut out: Vec<Checklist> = Vec::new();
    let mut spans = Vec::new();
    let mut heading: Option<String> = None;
    let mut ids = SlugSet::default();
    let mut item_ids: Vec<SlugSet> = Vec::new();
    for b in bl.iter() {
        if b.heading_depth().is_some() {
            heading = Some(blocks::strip_numbering(&b.text).to_string());
            continue;
        }
        if b.kind != BlockKind::List {
            continue;
        }
        let items: Vec<_> = b
            .items
            .iter()
            .filter_map(|r| {
                let (md, task) = blocks::item_markdown(body, r.clone());
                task.map(|t| (md, t))
            })
            .collect();
        if items.is_empty() {
            continue;
        }
        spans.push(b.range.clone());
        let title = heading.clone().unwrap_or_else(|| "Checklist".to_string());
        let idx = match out.iter().position(|c| c.title == title) {
            Some(i) => i,
            None => {
                out.push(Checklist {
                    id: ids.unique(&slugify(&title)),
                    title,
                    items: Vec::new(),
                    source: SourceRef::at(doc, b.range.start),
                });
                item_ids.push(SlugSet::default());
                out.len() - 1
            }
        };
        for (md, checked) in items {
            let text = Rich::from_markdown(&md);
            let id = item_ids[idx].unique(&format!(
                "{}-{}",
                out[idx].id,
                slugify(&blocks::first_words(text.text(), 4))
            ));
            out[idx].items.push(ChecklistItem { id, text, checked });
        }
    }
    Claim::new(out, spans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ladder::heading_ladder::tests::doc;

    #[test]
    fn skill_titles() {
        assert_eq!(strip_skill_prefix("Skill: Testing"), Some("Testing"));
        assert_eq!(strip_skill_prefix("skill - Ops"), Some("Ops"));
        assert_eq!(strip_skill_prefix("Skills matrix"), None);
        assert!(is_skill(&doc("# Skill: Testing\n")));
        let mut d = doc("# Testing\n");
        assert!(!is_skill(&d));
        d.frontmatter.kind = Some("skill".into());
        assert!(is_skill(&d));
    }

    #[test]
    fn checklists_group_by_heading() {
        let d = doc("# Skill: X\n\nIntro.\n\n## Before release\n\n- [ ] Tests pass\n- [x] Docs\n- plain item\n\n## Later\n\n- [ ] Retro\n");
        let s = recognise(&d, &mut Diagnostics::default()).unwrap().value;
        assert_eq!(s.title, "X");
        assert_eq!(s.description.unwrap().text(), "Intro.");
        assert_eq!(s.checklists.len(), 2);
        assert_eq!(s.checklists[0].title, "Before release");
        assert_eq!(s.checklists[0].items.len(), 2);
        assert!(s.checklists[0].items[1].checked);
        assert_eq!(s.checklists[0].items[0].id, "before-release-tests-pass");
    }
}
