//! Anti-pattern sections: a heading that mentions anti-patterns, failure
//! modes or warning signs. Entries labelled with levels (`**Levels 1-2:**`
//! paragraphs, `- **L3:** …` bullets, `P3, P4: …`, `### Level 5` headings)
//! attach to those levels; unlabelled bullets attach to the whole document.

use super::blocks::{self, BlockKind};
use super::labels::parse_level_list;
use super::model::{AntiPattern, Rich, SourceRef};
use super::Claim;
use crate::diagnostics::Diagnostics;
use crate::source::SourceDoc;
use std::ops::Range;

/// Does a heading introduce an anti-pattern section?
pub fn is_heading(text: &str) -> bool {
    let t = text.to_lowercase();
    [
        "anti-pattern",
        "antipattern",
        "anti pattern",
        "failure mode",
        "warning sign",
        "red flag",
    ]
    .iter()
    .any(|k| t.contains(k))
}

/// A level label at the start of an entry: (label, levels, rest).
pub fn split_label(md: &str) -> Option<(String, Vec<u32>, String)> {
    if let Some((label, rest)) = blocks::bold_label(md) {
        return parse_level_list(&label).map(|l| (label, l, rest));
    }
    let t = md.trim_start();
    let colon = t.find(':')?;
    if colon > 40 {
        return None;
    }
    let label = t[..colon].trim();
    let levels = parse_level_list(label)?;
    Some((label.to_string(), levels, t[colon + 1..].trim().to_string()))
}

pub fn recognise(doc: &SourceDoc, _diags: &mut Diagnostics) -> Option<Claim<Vec<AntiPattern>>> {
    let body = &doc.body;
    let bl = blocks::blocks(body);
    let mut out = Vec::new();
    let mut spans: Vec<Range<usize>> = Vec::new();
    let src = |start: usize| SourceRef::at(doc, start);
    let mut i = 0;
    while i < bl.len() {
        let b = &bl[i];
        if !(b.heading_depth().is_some() && is_heading(&b.text)) {
            i += 1;
            continue;
        }
        let end = blocks::section_end(&bl, i);
        spans.push(b.range.clone());
        // A label waiting for its text: (label, levels, start, until-heading).
        let mut pending: Option<(String, Vec<u32>, usize, bool)> = None;
        let mut pending_text = String::new();
        let flush = |pending: &mut Option<(String, Vec<u32>, usize, bool)>,
                     text: &mut String,
                     out: &mut Vec<AntiPattern>| {
            if let Some((label, levels, start, _)) = pending.take() {
                let rich = Rich::from_markdown(text);
                if !rich.is_empty() {
                    out.push(AntiPattern {
                        levels,
                        label: Some(label),
                        text: rich,
                        source: src(start),
                        ..AntiPattern::default()
                    });
                }
            }
            text.clear();
        };
        for b in &bl[i + 1..end] {
            let md = &body[b.range.clone()];
            if b.heading_depth().is_some() {
                flush(&mut pending, &mut pending_text, &mut out);
                if let Some(levels) = parse_level_list(&b.text) {
                    pending = Some((b.text.clone(), levels, b.range.start, true));
                    spans.push(b.range.clone());
                }
                continue;
            }
            if let Some((_, _, _, until_heading)) = &pending {
                if b.kind == BlockKind::Paragraph && !until_heading && split_label(md).is_some() {
                    flush(&mut pending, &mut pending_text, &mut out);
                } else {
                    if !pending_text.is_empty() {
                        pending_text.push_str("\n\n");
                    }
                    pending_text.push_str(md.trim());
                    spans.push(b.range.clone());
                    if !until_heading {
                        flush(&mut pending, &mut pending_text, &mut out);
                    }
                    continue;
                }
            }
            match b.kind {
                BlockKind::Paragraph => {
                    if let Some((label, levels, rest)) = split_label(md) {
                        spans.push(b.range.clone());
                        pending = Some((label, levels, b.range.start, false));
                        if !rest.is_empty() {
                            pending_text = rest;
                            flush(&mut pending, &mut pending_text, &mut out);
                        }
                    }
                }
                BlockKind::List => {
                    spans.push(b.range.clone());
                    for item in &b.items {
                        let (md, _) = blocks::item_markdown(body, item.clone());
                        let (label, levels, text) = match split_label(&md) {
                            Some((l, lv, rest)) => (Some(l), lv, rest),
                            None => (None, Vec::new(), md),
                        };
                        let text = Rich::from_markdown(&text);
                        if text.is_empty() {
                            continue;
                        }
                        out.push(AntiPattern {
                            levels,
                            label,
                            text,
                            source: src(item.start),
                            ..AntiPattern::default()
                        });
                    }
                }
                _ => {}
            }
        }
        flush(&mut pending, &mut pending_text, &mut out);
        i = end;
    }
    (!out.is_empty()).then(|| Claim::new(out, spans))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ladder::heading_ladder::tests::doc;

    fn run(body: &str) -> Vec<AntiPattern> {
        recognise(&doc(body), &mut Diagnostics::default()).map_or(Vec::new(), |c| c.value)
    }

    #[test]
    fn labelled_paragraphs_take_the_next_block() {
        let a = run("## Anti-patterns\n\n**Levels 1-2:**\n\nWanders off.\n\n**Level 5:** Hoards work.\n\nA closing note.\n");
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].levels, vec![1, 2]);
        assert_eq!(a[0].text.text(), "Wanders off.");
        assert_eq!(a[0].label.as_deref(), Some("Levels 1-2"));
        assert_eq!(a[1].levels, vec![5]);
        assert_eq!(a[1].text.text(), "Hoards work.");
    }

    #[test]
    fn bullets_labelled_and_not() {
        let a = run("### Warning signs\n\nWatch for:\n\n- **L3:** Skips reviews\n- P3, P4: Avoids on-call\n- Blames others\n\n## Next\n- not an anti-pattern\n");
        assert_eq!(a.len(), 3);
        assert_eq!(a[0].levels, vec![3]);
        assert_eq!(a[1].levels, vec![3, 4]);
        assert!(a[2].levels.is_empty());
        assert_eq!(a[2].text.text(), "Blames others");
    }

    #[test]
    fn level_sub_headings() {
        let a = run(
            "## Failure modes\n### Level 2\nGold-plating.\n\nMore of it.\n### Level 3\n- Silos\n",
        );
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].levels, vec![2]);
        assert!(a[0].text.text().contains("More of it"));
        assert_eq!(a[1].levels, vec![3]);
    }

    #[test]
    fn no_section_no_claim() {
        assert!(run("## Levels\n- a\n").is_empty());
    }
}
