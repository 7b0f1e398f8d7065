//! A skill's own maturity scale: `Level N — Title` lines (bold or not, in
//! paragraphs or headings), each followed by bullets, inside a section
//! about maturity; and the target (`target 3+`, `Target: Level 3`,
//! `minimum level 3`). These are never career levels.

use super::blocks::{self, Block, BlockKind};
use super::labels::parse_level_heading;
use super::model::{MaturityLevel, Rich, SourceRef};
use super::Claim;
use crate::diagnostics::Diagnostics;
use crate::source::SourceDoc;
use std::ops::Range;

/// The scale and its target.
#[derive(Debug, Clone, Default)]
pub struct Scale {
    pub levels: Vec<MaturityLevel>,
    pub target: Option<u32>,
}

/// The block range of the maturity section: the section under the first
/// heading mentioning maturity, else the whole document.
fn section(bl: &[Block]) -> Range<usize> {
    bl.iter()
        .position(|b| b.heading_depth().is_some() && b.text.to_lowercase().contains("maturity"))
        .map_or(0..bl.len(), |i| i + 1..blocks::section_end(bl, i))
}

pub fn recognise(doc: &SourceDoc, diags: &mut Diagnostics) -> Option<Claim<Scale>> {
    let body = &doc.body;
    let bl = blocks::blocks(body);
    let sec = section(&bl);
    let mut scale = Scale::default();
    let mut spans = Vec::new();
    let mut i = sec.start;
    while i < sec.end {
        let b = &bl[i];
        let src = &body[b.range.clone()];
        let (first, more) = match b.kind {
            BlockKind::Heading(_) => (b.text.as_str(), ""),
            BlockKind::Paragraph => src.split_once('\n').unwrap_or((src, "")),
            BlockKind::List => {
                if list_scale(doc, b, &mut scale, diags) {
                    spans.push(b.range.clone());
                }
                i += 1;
                continue;
            }
            _ => {
                i += 1;
                continue;
            }
        };
        let first = first.trim().trim_end_matches('\\').trim();
        let Some(label) = parse_level_heading(first).filter(|l| l.from == l.to) else {
            i += 1;
            continue;
        };
        if scale.levels.iter().any(|l| l.number == label.from) {
            diags.push(
                doc.warn_at(
                    b.range.start,
                    format!("maturity level {} appears twice", label.from),
                )
                .hint("give each maturity level its own number"),
            );
            i += 1;
            continue;
        }
        spans.push(b.range.clone());
        let mut desc = more.trim().to_string();
        if let Some(next) = bl
            .get(i + 1)
            .filter(|n| n.kind == BlockKind::List && i + 1 < sec.end)
        {
            if !desc.is_empty() {
                desc.push_str("\n\n");
            }
            desc.push_str(body[next.range.clone()].trim());
            spans.push(next.range.clone());
            i += 1;
        }
        scale.levels.push(MaturityLevel {
            number: label.from,
            title: label.title.unwrap_or_default(),
            description: (!desc.is_empty()).then(|| Rich::from_markdown(&desc)),
            source: SourceRef::at(doc, b.range.start),
        });
        i += 1;
    }
    let sec_text = match (
        bl.get(sec.start),
        sec.end.checked_sub(1).and_then(|e| bl.get(e)),
    ) {
        (Some(a), Some(z)) if sec.start < sec.end => &body[a.range.start..z.range.end],
        _ => "",
    };
    scale.target = find_target(sec_text);
    scale.levels.sort_by_key(|l| l.number);
    if scale.levels.is_empty() {
        return None;
    }
    Some(Claim::new(scale, spans))
}

/// A list whose items are maturity levels: `- **Level 1 — Manual**: text`
/// or `- Level 1 — Manual` with nested bullets. True when it was one.
fn list_scale(doc: &SourceDoc, b: &Block, scale: &mut Scale, diags: &mut Diagnostics) -> bool {
    let mut found = Vec::new();
    for item in &b.items {
        let (md, _) = blocks::item_markdown(&doc.body, item.clone());
        let (first, rest) = md.split_once('\n').unwrap_or((&md, ""));
        let parsed = match blocks::bold_label(first) {
            Some((label, after)) => parse_level_heading(&label).map(|l| {
                let desc = format!("{after}\n{rest}");
                (l, desc)
            }),
            None => parse_level_heading(first).map(|l| (l, rest.to_string())),
        };
        match parsed {
            Some((l, desc)) if l.from == l.to => found.push((l, desc, item.start)),
            _ => return false,
        }
    }
    for (l, desc, start) in found {
        if scale.levels.iter().any(|m| m.number == l.from) {
            diags.push(
                doc.warn_at(start, format!("maturity level {} appears twice", l.from))
                    .hint("give each maturity level its own number"),
            );
            continue;
        }
        let desc = desc.trim();
        scale.levels.push(MaturityLevel {
            number: l.from,
            title: l.title.unwrap_or_default(),
            description: (!desc.is_empty()).then(|| Rich::from_markdown(desc)),
            source: SourceRef::at(doc, start),
        });
    }
    true
}

/// `target 3+`, `Target: Level 3`, `minimum level 3`, `**Target**: L3`.
pub fn find_target(text: &str) -> Option<u32> {
    let lower = text.to_lowercase();
    for kw in ["target", "minimum", "at least"] {
        let mut from = 0;
        while let Some(p) = lower[from..].find(kw) {
            let start = from + p + kw.len();
            from = start;
            let mut rest = &lower[start..];
            // Skip the rest of the word (`targets`, `targeted`).
            rest = rest.trim_start_matches(|c: char| c.is_alphabetic());
            loop {
                let before = rest.len();
                rest = rest.trim_start_matches(|c: char| {
                    c.is_whitespace()
                        || matches!(c, ':' | '*' | '_' | '=' | '-' | '–' | '—' | '≥' | '>')
                });
                for w in [
                    "maturity", "levels", "level", "lvl", "is", "of", "at least", "l",
                ] {
                    if let Some(r) = rest.strip_prefix(w) {
                        if w != "l" || r.starts_with(|c: char| c.is_ascii_digit()) {
                            rest = r;
                        }
                    }
                }
                if rest.len() == before {
                    break;
                }
            }
            let digits = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            if (1..=2).contains(&digits) {
                if let Ok(n) = rest[..digits].parse() {
                    return Some(n);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ladder::heading_ladder::tests::doc;

    #[test]
    fn bulleted_scale() {
        let body = "## Maturity levels\n\n- **Level 1 — Manual**: by hand\n- **Level 2: Scripted**\n  - scripts in the repo\n- Level 3 - Automated\n\nTarget: L2\n";
        let s = recognise(&doc(body), &mut Diagnostics::default())
            .unwrap()
            .value;
        let got: Vec<_> = s
            .levels
            .iter()
            .map(|l| (l.number, l.title.as_str()))
            .collect();
        assert_eq!(got, [(1, "Manual"), (2, "Scripted"), (3, "Automated")]);
        assert_eq!(s.levels[0].description.as_ref().unwrap().text(), "by hand");
        assert!(s.levels[1]
            .description
            .as_ref()
            .unwrap()
            .html()
            .contains("scripts"));
        assert_eq!(s.target, Some(2));
    }

    #[test]
    fn targets() {
        assert_eq!(find_target("Target: Level 3+"), Some(3));
        assert_eq!(find_target("teams should target 3+"), Some(3));
        assert_eq!(find_target("**Target**: L2"), Some(2));
        assert_eq!(find_target("minimum level 4 for prod"), Some(4));
        assert_eq!(find_target("Targets aligned with SLOs"), None);
        assert_eq!(find_target(""), None);
    }

    #[test]
    fn colon_and_hyphen_labels_in_a_maturity_section() {
        let body = "## Intro\n\nLevel 9 - Not this one\n- nope\n\n## Maturity\n\n**Level 1: Ad hoc**\n- Things happen\n\nLevel 2 - Repeatable\n- Scripts\n  - shared\n\n### Level 3 — Measured\n- Dashboards\n\nMinimum level 2.\n\n## After\n";
        let s = recognise(&doc(body), &mut Diagnostics::default())
            .unwrap()
            .value;
        let got: Vec<_> = s
            .levels
            .iter()
            .map(|l| (l.number, l.title.as_str()))
            .collect();
        assert_eq!(got, [(1, "Ad hoc"), (2, "Repeatable"), (3, "Measured")]);
        assert!(s.levels[1]
            .description
            .as_ref()
            .unwrap()
            .html()
            .contains("shared"));
        assert_eq!(s.target, Some(2));
    }
}
