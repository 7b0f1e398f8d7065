//! The top-level blocks of a markdown body with their byte ranges: the
//! common view every recogniser walks.

use crate::render::markdown;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::ops::Range;
use std::rc::Rc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// ATX or setext heading of depth 1–6.
    Heading(u8),
    Paragraph,
    List,
    Other,
}

/// One top-level block.
#[derive(Debug, Clone)]
pub struct Block {
    pub kind: BlockKind,
    /// Byte range in the body.
    pub range: Range<usize>,
    /// Plain text of a heading or paragraph.
    pub text: String,
    /// Byte ranges of the top-level items of a list.
    pub items: Vec<Range<usize>>,
}

impl Block {
    pub fn heading_depth(&self) -> Option<u8> {
        match self.kind {
            BlockKind::Heading(d) => Some(d),
            _ => None,
        }
    }
}

/// How many texts [`blocks`] remembers on each thread.
const REMEMBERED: usize = 4;

/// A text [`blocks`] split (a copy, to compare with) and its blocks.
type Split = (Box<str>, Rc<[Block]>);

thread_local! {
    /// The texts [`blocks`] split last on this thread, newest last.
    static LAST: std::cell::RefCell<Vec<Split>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Split `body` into its top-level blocks. Every recogniser splits the
/// document it is given, so the blocks of the last few texts are
/// remembered (per thread) and handed out again for the same text.
pub fn blocks(body: &str) -> Rc<[Block]> {
    if let Some(hit) = LAST.with_borrow(|last| {
        last.iter()
            .find(|(text, _)| **text == *body)
            .map(|(_, b)| Rc::clone(b))
    }) {
        return hit;
    }
    let made: Rc<[Block]> = split(body).into();
    LAST.with_borrow_mut(|last| {
        if last.len() == REMEMBERED {
            last.remove(0);
        }
        last.push((body.into(), Rc::clone(&made)));
    });
    made
}

/// [`blocks`], made.
fn split(body: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(body, markdown::options()).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    let kind = match &tag {
                        Tag::Heading { level, .. } => BlockKind::Heading(*level as u8),
                        Tag::Paragraph => BlockKind::Paragraph,
                        Tag::List(_) => BlockKind::List,
                        _ => BlockKind::Other,
                    };
                    out.push(Block {
                        kind,
                        range: clamp(range, body.len()),
                        text: String::new(),
                        items: Vec::new(),
                    });
                } else if depth == 1 && matches!(tag, Tag::Item) {
                    if let Some(b) = out.last_mut() {
                        if b.kind == BlockKind::List {
                            b.items.push(clamp(range, body.len()));
                        }
                    }
                }
                depth += 1;
            }
            Event::End(tag) => {
                depth = depth.saturating_sub(1);
                if depth == 0 && matches!(tag, TagEnd::Heading(_) | TagEnd::Paragraph) {
                    if let Some(b) = out.last_mut() {
                        b.text = crate::words::squash(&b.text);
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(b) = out.last_mut() {
                    if depth > 0 && matches!(b.kind, BlockKind::Heading(_) | BlockKind::Paragraph) {
                        b.text.push_str(&t);
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(b) = out.last_mut() {
                    if depth > 0 {
                        b.text.push(' ');
                    }
                }
            }
            _ if depth == 0 => out.push(Block {
                kind: BlockKind::Other,
                range: clamp(range, body.len()),
                text: String::new(),
                items: Vec::new(),
            }),
            _ => {}
        }
    }
    out
}

fn clamp(r: Range<usize>, len: usize) -> Range<usize> {
    r.start.min(len)..r.end.min(len).max(r.start.min(len))
}

/// Groups of sibling headings at depths 2–4: (parent heading, members).
pub fn sibling_groups(bl: &[Block]) -> Vec<(Option<usize>, Vec<usize>)> {
    let mut groups: Vec<(u8, Option<usize>, Vec<usize>)> = Vec::new();
    let mut last_at: [Option<usize>; 7] = [None; 7];
    for (i, b) in bl.iter().enumerate() {
        let Some(d) = b.heading_depth() else { continue };
        let d = d.clamp(1, 6);
        let parent = (1..d as usize).filter_map(|k| last_at[k]).max();
        last_at[d as usize] = Some(i);
        for slot in last_at.iter_mut().skip(d as usize + 1) {
            *slot = None;
        }
        if !(2..=4).contains(&d) {
            continue;
        }
        match groups.iter_mut().find(|g| g.0 == d && g.1 == parent) {
            Some(g) => g.2.push(i),
            None => groups.push((d, parent, vec![i])),
        }
    }
    groups.into_iter().map(|(_, p, m)| (p, m)).collect()
}

/// Index one past the last block of the section opened by the heading at
/// `i`: the next heading of the same or a higher rank.
pub fn section_end(blocks: &[Block], i: usize) -> usize {
    let Some(d) = blocks.get(i).and_then(Block::heading_depth) else {
        return (i + 1).min(blocks.len());
    };
    blocks
        .iter()
        .enumerate()
        .skip(i + 1)
        .find(|(_, b)| b.heading_depth().is_some_and(|x| x <= d))
        .map_or(blocks.len(), |(j, _)| j)
}

/// The markdown of one list item: marker (and task box) removed, following
/// lines dedented. Returns the markdown and the task state, if any.
pub fn item_markdown(body: &str, range: Range<usize>) -> (String, Option<bool>) {
    let src = body.get(range).unwrap_or("");
    let mut lines = src.lines();
    let first = lines.next().unwrap_or("");
    let lead = first.len() - first.trim_start().len();
    let rest = &first[lead..];
    let marker = if rest.starts_with(['-', '*', '+']) {
        1
    } else {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
        if digits > 0 && rest[digits..].starts_with(['.', ')']) {
            digits + 1
        } else {
            0
        }
    };
    let after = &rest[marker..];
    let spaces = after.len() - after.trim_start_matches(' ').len();
    let indent = lead + marker + spaces.clamp(1, 4);
    let mut content = after.trim_start().to_string();
    let mut task = None;
    for (pat, state) in [("[ ]", false), ("[x]", true), ("[X]", true)] {
        if let Some(r) = content.strip_prefix(pat) {
            if r.is_empty() || r.starts_with(char::is_whitespace) {
                task = Some(state);
                content = r.trim_start().to_string();
                break;
            }
        }
    }
    for line in lines {
        content.push('\n');
        let strip = line.len() - line.trim_start_matches(' ').len();
        content.push_str(&line[strip.min(indent)..]);
    }
    (content.trim_end().to_string(), task)
}

/// `12. Maturity Levels` → `Maturity Levels`; `3) Foo` → `Foo`.
pub fn strip_numbering(s: &str) -> &str {
    let t = s.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
    if digits > 0 {
        if let Some(r) = t[digits..].strip_prefix(['.', ')']) {
            if r.starts_with(' ') && !r.trim().is_empty() {
                return r.trim();
            }
        }
    }
    t
}

/// A label written in bold at the start of some markdown: `**Label:** rest`,
/// `**Label**: rest`, `__Label__ - rest`. Returns (label, rest).
pub fn bold_label(md: &str) -> Option<(String, String)> {
    let t = md.trim_start();
    let delim = if t.starts_with("**") {
        "**"
    } else if t.starts_with("__") {
        "__"
    } else {
        return None;
    };
    let inner_start = delim.len();
    let close = t[inner_start..].find(delim)? + inner_start;
    let inner = t[inner_start..close].trim();
    let after = &t[close + delim.len()..];
    if let Some(label) = inner.strip_suffix(':') {
        return Some((label.trim().to_string(), after.trim().to_string()));
    }
    let a = after.trim_start();
    let rest = a
        .strip_prefix(':')
        .or_else(|| a.strip_prefix(['-', '–', '—']).filter(|_| a != after))?;
    Some((inner.to_string(), rest.trim().to_string()))
}

/// First `n` words of a text, for ids.
pub fn first_words(text: &str, n: usize) -> String {
    crate::words::words(text)
        .take(n)
        .collect::<Vec<_>>()
        .join(" ")
}

/// `devops-platform` → `Devops Platform`; `000_intro` → `000 Intro`.
pub fn title_case_stem(stem: &str) -> String {
    crate::slug::title_case(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same text is split once; another text (even at the same
    /// address, once the first is gone) is split on its own.
    #[test]
    fn a_text_is_split_once() {
        let a = String::from("# A\n\n- x\n");
        let first = blocks(&a);
        assert!(Rc::ptr_eq(&first, &blocks(&a.clone())));
        drop(a);
        let b = String::from("para\n\n# B\n");
        let other = blocks(&b);
        assert!(!Rc::ptr_eq(&first, &other));
        assert_eq!(other[0].kind, BlockKind::Paragraph);
        assert_eq!(first[0].kind, BlockKind::Heading(1));
    }

    #[test]
    fn splits_blocks() {
        let b = blocks("# T\n\npara\n\n- a\n  - b\n- c\n\n***\n");
        let kinds: Vec<_> = b.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            vec![
                BlockKind::Heading(1),
                BlockKind::Paragraph,
                BlockKind::List,
                BlockKind::Other
            ]
        );
        assert_eq!(b[0].text, "T");
        assert_eq!(b[2].items.len(), 2);
    }

    #[test]
    fn item_markdown_keeps_nesting() {
        let body = "- a\n  - b\n  - c\n- [x] d\n";
        let b = blocks(body);
        let (md, task) = item_markdown(body, b[0].items[0].clone());
        assert_eq!(md, "a\n- b\n- c");
        assert_eq!(task, None);
        let (md, task) = item_markdown(body, b[0].items[1].clone());
        assert_eq!((md.as_str(), task), ("d", Some(true)));
    }

    #[test]
    fn labels_and_numbering() {
        assert_eq!(
            bold_label("**Levels 1-2:** text"),
            Some(("Levels 1-2".into(), "text".into()))
        );
        assert_eq!(
            bold_label("**Impact**: big"),
            Some(("Impact".into(), "big".into()))
        );
        assert_eq!(bold_label("**bold** words"), None);
        assert_eq!(strip_numbering("12. Maturity Levels"), "Maturity Levels");
        assert_eq!(strip_numbering("2024 plans"), "2024 plans");
        assert_eq!(title_case_stem("devops-platform"), "Devops Platform");
    }
}
