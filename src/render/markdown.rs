//! Markdown → HTML with pulldown-cmark: GitHub extensions, heading ids,
//! highlighted code, alert blockquotes, and link rewriting.

use super::highlight::{code_block, escape_html};
use crate::slug::{slugify, SlugSet};
use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};

/// The markdown dialect rungs reads.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// A heading found while rendering.
#[derive(Debug, Clone, serde::Serialize)]
pub struct HeadingInfo {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// Per-page rendering state.
pub struct RenderCtx<'a> {
    /// Rewrites a link or image destination; `None` keeps it as written.
    pub resolve_link: &'a dyn Fn(&str) -> Option<String>,
    /// Anchor ids already used on the page.
    pub slugs: &'a mut SlugSet,
    pub highlight: bool,
    /// Shift every heading down by this many levels (a document's own `#`
    /// becomes `##` inside a page that already has an h1).
    pub heading_shift: u8,
    /// Task list markers become enabled checkboxes (skill checklists).
    pub interactive_tasks: bool,
}

/// Output of one render.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<HeadingInfo>,
    pub has_code: bool,
    pub task_count: usize,
    /// The headings outside any list, quote or footnote, as (id, text
    /// with whitespace folded): what an HTML parser finds as the top-level
    /// headings of `html`. `None` when that is not sure: the markdown holds
    /// HTML of its own, or a heading holds more than text, code, emphasis
    /// and links (an image, a footnote mark).
    pub outline: Option<Vec<(String, String)>>,
}

/// Whether an event inside a heading gives, as text, what an HTML parser
/// reads as the text of the heading's element.
fn plain_inline(e: &Event) -> bool {
    match e {
        Event::Text(_) | Event::Code(_) | Event::SoftBreak | Event::HardBreak => true,
        Event::Start(t) => matches!(
            t,
            Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. }
        ),
        Event::End(t) => matches!(
            t,
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link
        ),
        _ => false,
    }
}

/// Whether a tag opens a block that holds other blocks (whose headings are
/// not at the top level).
fn is_container(t: &Tag) -> bool {
    !matches!(
        t,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::CodeBlock(_)
            | Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::TableHead
            | Tag::TableRow
            | Tag::TableCell
            | Tag::Superscript
            | Tag::Subscript
    )
}

fn shift(level: HeadingLevel, by: u8) -> HeadingLevel {
    let n = (level as u8 + by).min(6);
    HeadingLevel::try_from(n as usize).unwrap_or(HeadingLevel::H6)
}

/// Plain text of a run of inline events.
pub fn events_text(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s
}

/// Render a markdown document (or fragment) to HTML.
pub fn render(src: &str, ctx: &mut RenderCtx) -> Rendered {
    render_events(Parser::new_ext(src, options()).collect(), ctx)
}

/// [`render`] of markdown already parsed into `events`.
fn render_events(events: Vec<Event>, ctx: &mut RenderCtx) -> Rendered {
    let mut out = Rendered::default();
    let mut result: Vec<Event> = Vec::with_capacity(events.len());
    let mut outline = Some(Vec::new());
    // Blocks open around the event (lists, quotes, footnotes, tables).
    let mut depth = 0usize;
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(t) if is_container(t) => depth += 1,
            Event::End(t) if is_container_end(t) => depth = depth.saturating_sub(1),
            Event::Html(_) | Event::InlineHtml(_) | Event::Start(Tag::HtmlBlock) => outline = None,
            _ => {}
        }
        match &events[i] {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let end = find_end(&events, i);
                let inner = &events[i + 1..end];
                let text = events_text(inner).trim().to_string();
                let id = match id {
                    Some(explicit) => {
                        ctx.slugs.reserve(explicit);
                        explicit.to_string()
                    }
                    None => ctx.slugs.unique(&slugify(&text)),
                };
                let level = shift(*level, ctx.heading_shift);
                if depth == 0 {
                    outline = match outline.take() {
                        Some(mut o) if inner.iter().all(plain_inline) => {
                            o.push((id.clone(), crate::words::squash(&text)));
                            Some(o)
                        }
                        _ => None,
                    };
                }
                out.headings.push(HeadingInfo {
                    level: level as u8,
                    id: id.clone(),
                    text,
                });
                result.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(id)),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
                for e in inner {
                    result.push(rewrite(e.clone(), ctx));
                }
                result.push(Event::End(TagEnd::Heading(level)));
                i = end + 1;
                continue;
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let end = find_end(&events, i);
                let mut code = String::new();
                for e in &events[i + 1..end] {
                    if let Event::Text(t) = e {
                        code.push_str(t);
                    }
                }
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => l.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                out.has_code = true;
                result.push(Event::Html(CowStr::from(code_block(
                    &lang,
                    &code,
                    ctx.highlight,
                ))));
                i = end + 1;
                continue;
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, label) = alert(*kind);
                result.push(Event::Html(CowStr::from(format!(
                    "<div class=\"alert alert-{class}\" role=\"note\" aria-label=\"{label}\"><p class=\"alert-title\">{label}</p>\n"
                ))));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                result.push(Event::Html(CowStr::from("</div>\n")));
            }
            Event::TaskListMarker(checked) => {
                out.task_count += 1;
                let checked = if *checked { " checked" } else { "" };
                // The item's own text names the checkbox for screen readers.
                let label: Vec<Event> = events[i + 1..]
                    .iter()
                    .take_while(|e| {
                        !matches!(e, Event::End(TagEnd::Item) | Event::Start(Tag::List(_)))
                    })
                    .cloned()
                    .collect();
                let label = escape_html(events_text(&label).trim());
                let html = if ctx.interactive_tasks {
                    format!(
                        "<input type=\"checkbox\" class=\"task\" aria-label=\"{label}\"{checked}> "
                    )
                } else {
                    format!("<input type=\"checkbox\" class=\"task\" aria-label=\"{label}\" disabled{checked}> ")
                };
                result.push(Event::InlineHtml(CowStr::from(html)));
            }
            e => result.push(rewrite(e.clone(), ctx)),
        }
        i += 1;
    }
    pulldown_cmark::html::push_html(&mut out.html, result.into_iter());
    out.outline = outline;
    out
}

/// The end of a tag [`is_container`] holds true for.
fn is_container_end(t: &TagEnd) -> bool {
    !matches!(
        t,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::CodeBlock
            | TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::TableCell
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

/// Render a fragment with links as written, no highlighting, no page state
/// (for the ladder model's HTML; the site re-renders with links resolved).
pub fn render_plain(src: &str) -> String {
    plain_render(Parser::new_ext(src, options()).collect())
}

/// [`render_plain`] and [`plain_text`] of `src`, which is parsed once.
pub fn render_plain_and_text(src: &str) -> (String, String) {
    let events: Vec<Event> = Parser::new_ext(src, options()).collect();
    let text = events_plain_text(&events);
    (plain_render(events), text)
}

/// [`render_plain`] of markdown parsed into `events`.
fn plain_render(events: Vec<Event>) -> String {
    let mut slugs = SlugSet::default();
    let keep = |_: &str| -> Option<String> { None };
    let mut ctx = RenderCtx {
        resolve_link: &keep,
        slugs: &mut slugs,
        highlight: false,
        heading_shift: 0,
        interactive_tasks: false,
    };
    unwrap_paragraph(render_events(events, &mut ctx).html)
}

/// Render inline markdown (one expectation, one cell) without a wrapping `<p>`.
pub fn render_inline(src: &str, ctx: &mut RenderCtx) -> String {
    unwrap_paragraph(render(src, ctx).html)
}

/// Rendered `html` without the `<p>` around it, when it is one paragraph.
fn unwrap_paragraph(html: String) -> String {
    let t = html.trim();
    if let Some(inner) = t.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>")) {
        if !inner.contains("<p>") {
            return inner.to_string();
        }
    }
    t.to_string()
}

fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// Rewrite the `src` and `srcset` values of raw HTML with `f` (`None`
/// keeps a value): images in HTML written into markdown (`<img>`,
/// `<picture><source srcset>`) move with the page like markdown images.
pub fn rewrite_media_attrs(html: &str, f: &dyn Fn(&str) -> Option<String>) -> String {
    rewrite_attrs(html, &["srcset", "src"], &|_, u| f(u))
}

/// Rewrite the `href`, `src` and `srcset` values of HTML with `f`, given
/// the attribute's name (lowercase) and one URL (`None` keeps it).
pub fn rewrite_url_attrs(html: &str, f: &dyn Fn(&str, &str) -> Option<String>) -> String {
    rewrite_attrs(html, &["href", "srcset", "src"], f)
}

/// Rewrite the quoted values of the attributes `names` (lowercase; a
/// `srcset` is a list of URLs, each with its size) with `f`.
fn rewrite_attrs(html: &str, names: &[&str], f: &dyn Fn(&str, &str) -> Option<String>) -> String {
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    let mut i = 0;
    // Each attribute name starts after whitespace.
    while let Some(p) = lower[i..].find(|c: char| c.is_whitespace()) {
        let ws = i + p;
        let start = ws + lower[ws..].chars().next().map_or(1, char::len_utf8);
        i = start;
        let Some(name) = names
            .iter()
            .find(|n| lower[start..].starts_with(**n) && lower[start + n.len()..].starts_with('='))
        else {
            continue;
        };
        let name_end = start + name.len();
        let q = lower[name_end + 1..].chars().next();
        let (vstart, vend) = match q {
            Some(c @ ('"' | '\'')) => {
                let vs = name_end + 2;
                match lower[vs..].find(c) {
                    Some(e) => (vs, vs + e),
                    None => continue,
                }
            }
            _ => continue,
        };
        let value = &html[vstart..vend];
        let new = if *name == "srcset" {
            let parts: Vec<String> = value
                .split(',')
                .map(|cand| {
                    let c = cand.trim();
                    let (u, d) = c.split_once(char::is_whitespace).unwrap_or((c, ""));
                    let u = f(name, u).unwrap_or_else(|| u.to_string());
                    if d.is_empty() {
                        u
                    } else {
                        format!("{u} {}", d.trim())
                    }
                })
                .collect();
            Some(parts.join(", "))
        } else {
            f(name, value)
        };
        if let Some(n) = new {
            out.push_str(&html[at..vstart]);
            out.push_str(&n);
            at = vend;
        }
        i = vend;
    }
    out.push_str(&html[at..]);
    out
}

fn rewrite<'a>(e: Event<'a>, ctx: &RenderCtx) -> Event<'a> {
    match e {
        Event::Html(h) if h.contains("src") => {
            Event::Html(CowStr::from(rewrite_media_attrs(&h, &|u| {
                (ctx.resolve_link)(u)
            })))
        }
        Event::InlineHtml(h) if h.contains("src") => {
            Event::InlineHtml(CowStr::from(rewrite_media_attrs(&h, &|u| {
                (ctx.resolve_link)(u)
            })))
        }
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest = (ctx.resolve_link)(&dest_url).map_or(dest_url, CowStr::from);
            Event::Start(Tag::Link {
                link_type,
                dest_url: dest,
                title,
                id,
            })
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest = (ctx.resolve_link)(&dest_url).map_or(dest_url, CowStr::from);
            Event::Start(Tag::Image {
                link_type,
                dest_url: dest,
                title,
                id,
            })
        }
        other => other,
    }
}

/// Index of the event closing the tag opened at `start`.
fn find_end(events: &[Event], start: usize) -> usize {
    let mut depth = 0usize;
    for (j, e) in events.iter().enumerate().skip(start) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    events.len().saturating_sub(1)
}

/// Plain text of a markdown fragment (for titles and search).
pub fn plain_text(src: &str) -> String {
    events_plain_text(&Parser::new_ext(src, options()).collect::<Vec<_>>())
}

/// [`plain_text`] of markdown parsed into `events`.
fn events_plain_text(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Item) => s.push(' '),
            Event::Html(h) | Event::InlineHtml(h) => s.push_str(&strip_tags(h)),
            _ => {}
        }
    }
    crate::words::squash(&s)
}

/// Text of an HTML fragment with tags removed (entities left as written
/// except the common ones).
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
}

/// Escape for HTML (re-exported for templates and recognisers).
pub fn escape(s: &str) -> String {
    escape_html(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(src: &str) -> Rendered {
        let mut slugs = SlugSet::default();
        let resolve = |u: &str| -> Option<String> {
            u.strip_suffix(".md").map(|s| format!("{s}/index.html"))
        };
        let mut ctx = RenderCtx {
            resolve_link: &resolve,
            slugs: &mut slugs,
            highlight: true,
            heading_shift: 0,
            interactive_tasks: false,
        };
        render(src, &mut ctx)
    }

    #[test]
    fn headings_get_unique_ids() {
        let out = r("# A b\n\n## A b\n\n### Custom {#mine}\n");
        assert!(out.html.contains("<h1 id=\"a-b\">A b</h1>"), "{}", out.html);
        assert!(out.html.contains("<h2 id=\"a-b-2\">"), "{}", out.html);
        assert!(out.html.contains("id=\"mine\""), "{}", out.html);
        assert_eq!(out.headings.len(), 3);
    }

    #[test]
    fn gfm_features() {
        let out = r("> [!WARNING]\n> Careful.\n\n- [ ] todo\n- [x] done\n\n~~old~~ \"q\"\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nNote[^1].\n\n[^1]: Foot.\n");
        assert!(out.html.contains("alert-warning"), "{}", out.html);
        assert!(out.html.contains("role=\"note\""));
        assert_eq!(out.task_count, 2);
        assert!(out.html.contains("<del>old</del>"));
        assert!(out.html.contains("“q”"), "{}", out.html);
        assert!(out.html.contains("<table>"));
        assert!(out.html.contains("footnote"));
    }

    #[test]
    fn links_are_rewritten_and_code_highlighted() {
        let out = r("[x](other.md) ![i](a.png)\n\n```rust\nlet x = 1;\n```\n");
        assert!(
            out.html.contains("href=\"other/index.html\""),
            "{}",
            out.html
        );
        assert!(out.html.contains("src=\"a.png\""));
        assert!(out.has_code);
        assert!(out.html.contains("hl-"));
    }

    #[test]
    fn raw_html_passes_through() {
        let out = r("<div class=\"x\">hi</div>\n");
        assert!(out.html.contains("<div class=\"x\">hi</div>"));
    }

    #[test]
    fn one_parse_gives_the_html_and_the_text_of_two() {
        for src in [
            "Ships *small* features. Focus: **APIs**.",
            "Reads [the guide](../guide.md) and `code`<br>then more",
            "- a list\n- of two",
            "# Heading\n\nA paragraph.\n\nAnother, with <em>HTML</em>.",
            "| a | b |\n|---|---|\n| 1 | 2 |",
            "",
        ] {
            assert_eq!(
                render_plain_and_text(src),
                (render_plain(src), plain_text(src)),
                "{src:?}"
            );
        }
    }

    #[test]
    fn plain_text_strips_markup() {
        assert_eq!(
            plain_text("Some **bold** and `code`."),
            "Some bold and code."
        );
    }
}
