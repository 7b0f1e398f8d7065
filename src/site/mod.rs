//! The site graph: every page, its URL, its data, and the links between
//! pages. Markdown is rendered here (links need the graph to resolve).

pub mod changes;
pub mod ladder_data;
pub mod ladder_pages;
pub mod urls;

use crate::config::SiteLayout;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::markdown::{self, HeadingInfo, RenderCtx};
use crate::slug::{title_case, SlugSet};
use crate::source::{SourceDoc, SourceFile};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Mutex;
use urls::{doc_url, is_external, is_index_name, join_normalise, percent_decode, root_prefix};

/// One page to render: a URL, a template and the data it shows.
#[derive(Debug, Clone)]
pub struct PageOut {
    /// Output path relative to the site root (`a/b/index.html`).
    pub url: String,
    pub template: &'static str,
    pub title: String,
    pub in_sitemap: bool,
    /// Template data; `page` and `content` at least.
    pub data: serde_json::Map<String, Value>,
    /// A ladder page's lists of expectations, typed (see
    /// [`ladder_data`]); templates see them as fields of `data`.
    pub lists: Option<Box<ladder_data::Lists>>,
    /// A document page's top-level headings as (id, text), when they are
    /// sure ([`markdown::Rendered::outline`]): what the search index reads
    /// of a page indexed by its headings, rather than parse its HTML.
    pub outline: Option<std::sync::Arc<[(String, String)]>>,
}

impl PageOut {
    /// The page's template data as JSON, its lists included.
    pub fn json_data(&self) -> serde_json::Map<String, Value> {
        let mut data = self.data.clone();
        if let Some(lists) = &self.lists {
            lists.insert_json(&mut data);
        }
        data
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// Everything the render stage needs.
pub struct Site {
    pub pages: Vec<PageOut>,
    /// Content files copied as they are: (output path, source file).
    pub assets: Vec<(String, std::path::PathBuf)>,
    pub nav: Vec<Link>,
}

/// Resolves links written in content against the site graph.
#[derive(Default)]
pub struct LinkMap {
    /// Content path (`guides/x.md`) → output URL.
    docs: HashMap<String, String>,
    /// Content folder → URL of its index page.
    folders: HashMap<String, String>,
    assets: HashSet<String>,
}

impl std::hash::Hash for LinkMap {
    /// In a stable order: equal maps hash equal.
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        let mut docs: Vec<_> = self.docs.iter().collect();
        docs.sort_unstable();
        let mut folders: Vec<_> = self.folders.iter().collect();
        folders.sort_unstable();
        let mut assets: Vec<_> = self.assets.iter().collect();
        assets.sort_unstable();
        (docs, folders, assets).hash(h);
    }
}

impl LinkMap {
    pub fn new(docs: &[SourceDoc], doc_urls: &[String], assets: &[SourceFile]) -> LinkMap {
        let mut map = HashMap::new();
        let mut folders = HashMap::new();
        for (d, u) in docs.iter().zip(doc_urls) {
            map.insert(d.rel.to_string(), u.clone());
            let name = d.rel.rsplit('/').next().unwrap_or(&d.rel);
            if is_index_name(name) {
                let folder = d.rel.rsplit_once('/').map(|(f, _)| f).unwrap_or("");
                folders.insert(folder.to_string(), u.clone());
            }
        }
        LinkMap {
            docs: map,
            folders,
            assets: assets.iter().map(|a| a.rel.clone()).collect(),
        }
    }

    /// Rewrite `href` written in the document at `from_rel` for a page at
    /// `page_url`. Returns `None` to keep it unchanged; pushes a warning
    /// for a link to a file that does not exist.
    pub fn resolve(
        &self,
        href: &str,
        from_rel: &str,
        page_url: &str,
        broken: &mut Vec<String>,
    ) -> Option<String> {
        if href.is_empty() || href.starts_with('#') || is_external(href) {
            return None;
        }
        let (path, frag) = match href.find(['#', '?']) {
            Some(i) => (&href[..i], &href[i..]),
            None => (href, ""),
        };
        let base_dir = from_rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        let target = join_normalise(base_dir, &percent_decode(path))?;
        let root = root_prefix(page_url);
        let trimmed = target.trim_end_matches('/');
        if let Some(u) = self.docs.get(&target) {
            return Some(format!("{root}{u}{frag}"));
        }
        if let Some(u) = self.folders.get(trimmed) {
            return Some(format!("{root}{u}{frag}"));
        }
        for ext in ["md", "markdown", "txt"] {
            if let Some(u) = self.docs.get(&format!("{trimmed}.{ext}")) {
                return Some(format!("{root}{u}{frag}"));
            }
        }
        if self.assets.contains(&target) {
            let enc = join_normalise(base_dir, path).unwrap_or_default();
            return Some(format!("{root}{enc}{frag}"));
        }
        broken.push(href.to_string());
        let enc = join_normalise(base_dir, path).unwrap_or_default();
        Some(format!("{root}{enc}{frag}"))
    }
}

/// A document rendered as HTML, with what rendering learnt about it.
#[derive(Debug, Clone, Default)]
pub struct DocHtml {
    pub html: String,
    pub headings: Vec<HeadingInfo>,
    pub has_code: bool,
    /// [`markdown::Rendered::outline`].
    pub outline: Option<Vec<(String, String)>>,
}

/// How to render a fragment: where it comes from and where it goes.
pub struct Fragment<'a> {
    pub doc: &'a SourceDoc,
    /// Output URL of the page the fragment appears on.
    pub page_url: &'a str,
    pub highlight: bool,
    /// Shift headings down by this many levels.
    pub heading_shift: u8,
    /// Task list markers become enabled checkboxes.
    pub interactive_tasks: bool,
}

/// Render a markdown fragment of `f.doc` for the page at `f.page_url`.
/// Links to missing files are reported as warnings into `diags`.
pub fn render_fragment(
    src: &str,
    f: &Fragment,
    links: &LinkMap,
    slugs: &mut SlugSet,
    diags: &Mutex<Diagnostics>,
) -> DocHtml {
    let Fragment {
        doc,
        page_url,
        highlight,
        heading_shift,
        interactive_tasks,
    } = *f;
    let broken = std::cell::RefCell::new(Vec::new());
    let resolve = |href: &str| links.resolve(href, &doc.rel, page_url, &mut broken.borrow_mut());
    let mut ctx = RenderCtx {
        resolve_link: &resolve,
        slugs,
        highlight,
        heading_shift,
        interactive_tasks,
    };
    let out = markdown::render(src, &mut ctx);
    let broken = broken.into_inner();
    if !broken.is_empty() {
        let full = std::fs::read_to_string(&doc.path).unwrap_or_default();
        let mut d = diags.lock().unwrap();
        for href in broken {
            let line = full
                .lines()
                .position(|l| {
                    l.contains(&format!("]({href}")) || l.contains(&format!("\"{href}\""))
                })
                .map(|i| i + 1)
                .unwrap_or(0);
            let mut w = Diagnostic::warning(format!(
                "link to `{href}` does not match any file in the content folder"
            ))
            .hint("fix the path (relative to this file), or add the missing file");
            w = if line > 0 {
                w.at(&doc.path, line, 1).with_source(&full)
            } else {
                w.in_file(&doc.path)
            };
            d.push(w);
        }
    }
    DocHtml {
        html: out.html,
        headings: out.headings,
        has_code: out.has_code,
        outline: out.outline,
    }
}

/// Title of a document: frontmatter, else its first H1, else its file name.
pub fn doc_title(doc: &SourceDoc) -> String {
    doc_title_with(doc, || first_h1(&doc.body))
}

/// [`doc_title`], its first H1 from `first_h1` (asked only when the
/// frontmatter has no title).
fn doc_title_with(doc: &SourceDoc, first_h1: impl FnOnce() -> Option<String>) -> String {
    doc.frontmatter
        .title
        .clone()
        .or_else(first_h1)
        .unwrap_or_else(|| doc.name_title())
}

/// The text of the document's first `# ` heading (ATX or setext).
pub fn first_h1(body: &str) -> Option<String> {
    H1s::of(body).first
}

/// What [`first_h1`], [`strip_first_h1`] and [`page_body`] read of a body's
/// `# ` headings, found in one pass of the parser.
struct H1s {
    /// The first block, when it is an H1: its byte range.
    leading: Option<std::ops::Range<usize>>,
    /// Whether `first` is the leading H1's text.
    first_is_leading: bool,
    /// The text of the first H1 (the first non-empty one), and of the
    /// next.
    first: Option<String>,
    second: Option<String>,
}

impl H1s {
    fn of(body: &str) -> H1s {
        use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
        let mut out = H1s {
            leading: None,
            first_is_leading: false,
            first: None,
            second: None,
        };
        if !may_hold_h1(body) {
            return out;
        }
        let mut started = false;
        let mut text: Option<String> = None;
        for (e, range) in Parser::new_ext(body, markdown::options()).into_offset_iter() {
            match e {
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H1,
                    ..
                }) => {
                    if !started {
                        out.leading = Some(range);
                    }
                    started = true;
                    text = Some(String::new());
                }
                Event::Start(_) => started = true,
                Event::End(TagEnd::Heading(HeadingLevel::H1)) => {
                    // (An end's range is its element's, as its start's is.)
                    let t = text.take().unwrap_or_default().trim().to_string();
                    if t.is_empty() {
                        continue;
                    }
                    if out.first.is_none() {
                        out.first_is_leading = out.leading.as_ref() == Some(&range);
                        out.first = Some(t);
                    } else {
                        out.second = Some(t);
                        break;
                    }
                }
                Event::Text(t) | Event::Code(t) => {
                    if let Some(text) = &mut text {
                        text.push_str(&t);
                    }
                }
                _ => {}
            }
        }
        out
    }
}

/// Whether markdown `body` may hold an H1, looked for without parsing it:
/// an ATX H1 starts with a lone `#` after nothing but indentation or
/// container marks (`>`, a list marker and its space) and before a space
/// or the line's end; a setext H1 is underlined by a line of `=`. `false`
/// means it holds none; `true` only that it may.
fn may_hold_h1(body: &str) -> bool {
    let b = body.as_bytes();
    let atx = body.match_indices('#').any(|(i, _)| {
        let before = i.checked_sub(1).map(|j| b[j]);
        matches!(before, None | Some(b' ' | b'\t' | b'\n' | b'\r' | b'>'))
            && matches!(b.get(i + 1), None | Some(b' ' | b'\t' | b'\n' | b'\r'))
    });
    atx || body.split(['\n', '\r']).any(|line| {
        let t = line.trim_matches(|c: char| c.is_ascii_whitespace() || c == '>');
        !t.is_empty() && t.bytes().all(|c| c == b'=')
    })
}

/// `body` without its leading H1 block (`range`), its lines kept.
fn without(body: &str, range: std::ops::Range<usize>) -> String {
    let mut s = String::with_capacity(body.len());
    s.push_str(&body[..range.start]);
    s.extend(body[range.clone()].matches('\n').map(|_| '\n'));
    s.push_str(&body[range.end..]);
    s
}

/// Remove the document's leading H1 (it becomes the page's h1). Only an
/// H1 that is the first block counts; line count is kept.
pub fn strip_first_h1(body: &str) -> String {
    match H1s::of(body).leading {
        Some(range) => without(body, range),
        None => body.to_string(),
    }
}

/// The body to render under a page h1 of `title`, and how far to shift its
/// headings: a leading H1 equal to the title is dropped (when it is the
/// only H1); any other H1 stays, one level down, so the page keeps a
/// single h1.
pub fn page_body(doc: &SourceDoc, title: &str) -> (String, u8) {
    page_body_with(doc, title, H1s::of(&doc.body))
}

/// [`page_body`], the body's H1s already found.
fn page_body_with(doc: &SourceDoc, title: &str, h1s: H1s) -> (String, u8) {
    if let Some(range) = h1s.leading.clone() {
        // Without the leading H1 (the first), the next one would be first.
        if h1s.first_is_leading && h1s.first.as_deref() == Some(title) && h1s.second.is_none() {
            return (without(&doc.body, range), 0);
        }
    }
    let shift = u8::from(h1s.first.is_some());
    (doc.body.to_string(), shift)
}

/// Where a skill's components go: the maturity scale and the anti-pattern
/// list, as the author placed them, become slots the template fills
/// (`<div data-rungs-slot="maturity">`); checklists stay in the prose and
/// become persistent checkboxes.
pub fn skill_slots(doc: &SourceDoc) -> String {
    let mut quiet = Diagnostics::default();
    let mut slots: Vec<(std::ops::Range<usize>, Option<&str>)> = Vec::new();
    let body = &doc.body;
    // The author's section headings stay; the component goes where the
    // claimed content ends, after any introduction the author wrote.
    let mut add = |spans: Vec<std::ops::Range<usize>>, name: &'static str, headings: bool| {
        let content: Vec<_> = spans
            .into_iter()
            .filter(|r| {
                headings
                    || !body
                        .get(r.clone())
                        .is_some_and(|t| t.trim_start().starts_with('#'))
            })
            .collect();
        let last = content.len().saturating_sub(1);
        for (k, r) in content.into_iter().enumerate() {
            slots.push((r, (k == last).then_some(name)));
        }
    };
    // Proficiency sections of a prose skill go whole, headings and all.
    add(crate::ladder::skill::scale_spans(doc), "maturity", true);
    if let Some(c) = crate::ladder::anti_patterns::recognise(doc, &mut quiet) {
        add(c.spans, "anti-patterns", false);
    }
    slots.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(body.len());
    let mut at = 0;
    for (r, name) in slots {
        if r.start < at
            || r.end > body.len()
            || !body.is_char_boundary(r.start)
            || !body.is_char_boundary(r.end)
        {
            continue;
        }
        out.push_str(&body[at..r.start]);
        out.push_str("\n\n");
        if let Some(n) = name {
            out.push_str(&format!("<div data-rungs-slot=\"{n}\"></div>\n\n"));
        }
        at = r.end;
    }
    out.push_str(&body[at..]);
    out
}

/// Split rendered HTML at its slots: `{"html": …}` and `{"slot": name}` parts.
pub fn slot_parts(html: &str) -> Vec<Value> {
    let mut parts = Vec::new();
    let mut rest = html;
    const OPEN: &str = "<div data-rungs-slot=\"";
    while let Some(i) = rest.find(OPEN) {
        let after = &rest[i + OPEN.len()..];
        let Some(q) = after.find('"') else { break };
        let name = &after[..q];
        let close = "></div>";
        let tail = &after[q + 1..];
        let Some(tail) = tail.strip_prefix(close) else {
            break;
        };
        parts.push(json!({"html": &rest[..i], "slot": null}));
        parts.push(json!({"html": null, "slot": name}));
        rest = tail;
    }
    parts.push(json!({"html": rest, "slot": null}));
    parts
}

/// `body` without the byte ranges in `spans` (what recognisers claimed),
/// each replaced by as many newlines as it held so lines still map. Block
/// boundaries are kept by surrounding each gap with a blank line.
pub fn unclaimed(body: &str, spans: &[std::ops::Range<usize>]) -> String {
    let mut out = String::with_capacity(body.len());
    let mut at = 0;
    let mut spans: Vec<_> = spans
        .iter()
        .filter(|r| r.start < r.end && r.end <= body.len())
        .cloned()
        .collect();
    spans.sort_by_key(|r| r.start);
    for r in spans {
        if r.start < at || !body.is_char_boundary(r.start) || !body.is_char_boundary(r.end) {
            continue;
        }
        out.push_str(&body[at..r.start]);
        out.push('\n');
        out.extend(body[r.clone()].matches('\n').map(|_| '\n'));
        at = r.end;
    }
    out.push_str(&body[at..]);
    out
}

/// The "edit this page" URL of a source file.
pub fn edit_url(layout: &SiteLayout, doc: &SourceDoc) -> Option<String> {
    let base = layout.config.edit_url.as_ref()?;
    let rel = doc
        .path
        .strip_prefix(&layout.root)
        .ok()?
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    Some(format!("{}/{}", base.trim_end_matches('/'), rel))
}

/// What the page of one document is planned from (see [`doc_page_out`]).
pub struct DocPageInputs<'a> {
    pub layout: &'a SiteLayout,
    pub doc: &'a SourceDoc,
    pub url: &'a str,
    /// The skill the document holds, if any.
    pub skill: Option<&'a crate::ladder::model::Skill>,
    /// The tracks the document holds: title, URL and level count of each.
    pub hosted: Vec<(&'a str, String, usize)>,
    pub highlight: bool,
    pub links: &'a LinkMap,
}

impl DocPageInputs<'_> {
    /// Everything the page reads besides the document's own content (its
    /// key) and the link map: for a memo key.
    pub fn others(&self) -> impl std::hash::Hash + '_ {
        (
            self.url,
            self.skill,
            &self.hosted,
            self.highlight,
            edit_url(self.layout, self.doc),
        )
    }
}

/// The planned page of a document: its rendered body, breadcrumbs, the
/// tracks it holds and, for a skill, the skill.
pub fn doc_page_out(
    x: &DocPageInputs,
    steps: &dyn PlanSteps,
    diags: &Mutex<Diagnostics>,
) -> PageOut {
    let (doc, url, links) = (x.doc, x.url, x.links);
    let (title, mut html) = steps.doc_page(doc, url, x.skill.is_some(), x.highlight, links, diags);
    let mut crumbs = vec![json!({"title": "Home", "url": "index.html"})];
    let mut acc = String::new();
    for seg in doc
        .rel
        .split('/')
        .rev()
        .skip(1)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
    {
        acc = if acc.is_empty() {
            seg.to_string()
        } else {
            format!("{acc}/{seg}")
        };
        if let Some(u) = links.folders.get(&acc) {
            if u != url {
                crumbs.push(json!({"title": title_case(seg), "url": u}));
            }
        }
    }
    crumbs.push(json!({"title": title, "url": url}));
    let mut data = serde_json::Map::new();
    data.insert(
        "page".into(),
        json!({
            "title": title,
            "url": url,
            "description": doc.frontmatter.description,
            "edit_url": edit_url(x.layout, doc),
            "headings": html.headings,
            "breadcrumbs": crumbs,
            "source": doc.rel,
        }),
    );
    let content = std::mem::take(&mut html.html);
    let hosted = x
        .hosted
        .iter()
        .map(|(title, url, levels)| json!({"title": title, "url": url, "levels": levels}))
        .collect();
    data.insert("tracks".into(), Value::Array(hosted));
    let mut template = "page.html";
    if let Some(skill) = x.skill {
        template = "skill.html";
        data.insert("skill".into(), ladder_pages::skill_json(skill));
        data.insert("parts".into(), Value::Array(slot_parts(&content)));
    }
    data.insert("content".into(), Value::String(content));
    PageOut {
        url: url.to_string(),
        template,
        title,
        in_sitemap: !doc.frontmatter.draft,
        data,
        lists: None,
        outline: html.outline.take().map(Into::into),
    }
}

/// How [`plan_with`] renders markdown and plans ladder pages: at once
/// ([`Cold`]), or reusing the answers of an earlier build
/// (`rungs serve`, see [`crate::incremental`]). Every implementation must
/// answer what [`Cold`] would.
pub trait PlanSteps: Sync {
    /// [`doc_page`].
    fn doc_page(
        &self,
        doc: &SourceDoc,
        url: &str,
        is_skill: bool,
        highlight: bool,
        links: &LinkMap,
        diags: &Mutex<Diagnostics>,
    ) -> (String, DocHtml);
    /// [`doc_page_out`].
    fn doc_page_out(&self, x: &DocPageInputs, diags: &Mutex<Diagnostics>) -> PageOut;
    /// [`render_fragment`] with a fresh [`SlugSet`].
    fn fragment(
        &self,
        src: &str,
        f: &Fragment,
        links: &LinkMap,
        diags: &Mutex<Diagnostics>,
    ) -> DocHtml;
    /// [`ladder_pages::plan`].
    fn ladder_pages(
        &self,
        hb: &crate::ladder::model::Handbook,
        extras: &ladder_pages::LadderExtras,
    ) -> Vec<PageOut>;
}

/// The title and rendered body of the page of `doc` at `url`.
pub fn doc_page(
    doc: &SourceDoc,
    url: &str,
    is_skill: bool,
    highlight: bool,
    links: &LinkMap,
    diags: &Mutex<Diagnostics>,
) -> (String, DocHtml) {
    // One parse finds the title (unless the frontmatter gives it) and the
    // body's leading H1; a skill's page body is another text.
    let h1s = H1s::of(&doc.body);
    let title = doc_title_with(doc, || h1s.first.clone());
    let slotted;
    let (doc, (body, shift)) = if is_skill {
        slotted = doc.with_body(skill_slots(doc).into());
        (&slotted, page_body(&slotted, &title))
    } else {
        (doc, page_body_with(doc, &title, h1s))
    };
    let frag = Fragment {
        doc,
        page_url: url,
        highlight,
        heading_shift: shift,
        interactive_tasks: is_skill,
    };
    let html = render_fragment(&body, &frag, links, &mut SlugSet::default(), diags);
    (title, html)
}

/// Every step done afresh.
pub struct Cold;

impl PlanSteps for Cold {
    fn doc_page(
        &self,
        doc: &SourceDoc,
        url: &str,
        is_skill: bool,
        highlight: bool,
        links: &LinkMap,
        diags: &Mutex<Diagnostics>,
    ) -> (String, DocHtml) {
        doc_page(doc, url, is_skill, highlight, links, diags)
    }
    fn doc_page_out(&self, x: &DocPageInputs, diags: &Mutex<Diagnostics>) -> PageOut {
        doc_page_out(x, self, diags)
    }
    fn fragment(
        &self,
        src: &str,
        f: &Fragment,
        links: &LinkMap,
        diags: &Mutex<Diagnostics>,
    ) -> DocHtml {
        render_fragment(src, f, links, &mut SlugSet::default(), diags)
    }
    fn ladder_pages(
        &self,
        hb: &crate::ladder::model::Handbook,
        extras: &ladder_pages::LadderExtras,
    ) -> Vec<PageOut> {
        ladder_pages::plan(hb, extras)
    }
}

/// Plan every page of the site.
pub fn plan(
    layout: &SiteLayout,
    docs: &[SourceDoc],
    assets: &[SourceFile],
    handbook: &crate::ladder::model::Handbook,
    views: &HashMap<String, crate::ladder::DocView>,
    diags: &mut Diagnostics,
) -> Site {
    plan_with(layout, docs, assets, handbook, views, diags, &Cold)
}

/// [`plan`], with markdown rendered and ladder pages planned by `steps`.
pub fn plan_with(
    layout: &SiteLayout,
    docs: &[SourceDoc],
    assets: &[SourceFile],
    handbook: &crate::ladder::model::Handbook,
    views: &HashMap<String, crate::ladder::DocView>,
    diags: &mut Diagnostics,
    steps: &dyn PlanSteps,
) -> Site {
    let (mut site, extras) =
        plan_documents_with(layout, docs, assets, handbook, views, diags, steps);
    // Ladder pages go before the 404 page, which comes last.
    let at = site.pages.len().saturating_sub(1);
    site.pages
        .splice(at..at, steps.ladder_pages(handbook, &extras));
    site
}

/// Plan the pages of the site's documents, its home and 404 pages, with
/// markdown rendered by `steps`, but not the ladder pages: those are
/// planned from the returned extras (parallel to `handbook.tracks`) by
/// [`ladder_pages::plan`], or a batch at a time by
/// [`ladder_pages::plan_batches`].
pub fn plan_documents_with(
    layout: &SiteLayout,
    docs: &[SourceDoc],
    assets: &[SourceFile],
    handbook: &crate::ladder::model::Handbook,
    views: &HashMap<String, crate::ladder::DocView>,
    diags: &mut Diagnostics,
    steps: &dyn PlanSteps,
) -> (Site, ladder_pages::LadderExtras) {
    let extras = ladder_extras(layout, docs, assets, handbook, views, steps);
    let mut pages = Vec::new();
    let done: Result<_, std::convert::Infallible> = plan_documents_batches(
        layout,
        docs,
        assets,
        handbook,
        diags,
        steps,
        &extras.links,
        &mut |b| {
            pages.extend(b);
            Ok(())
        },
    );
    let mut site = done.unwrap_or_else(|e| match e {});
    site.pages = pages;
    (site, extras)
}

/// Each document's output URL.
fn doc_urls(docs: &[SourceDoc]) -> Vec<String> {
    docs.iter()
        .map(|d| doc_url(&d.rel, d.frontmatter.slug.as_deref()))
        .collect()
}

/// The order of document pages: by weight, then URL; (weight, URL, index).
fn doc_order(docs: &[SourceDoc], doc_urls: &[String]) -> Vec<(i64, String, usize)> {
    let mut order: Vec<(i64, String, usize)> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.frontmatter.weight.unwrap_or(0), doc_urls[i].clone(), i))
        .collect();
    order.sort();
    order
}

/// The top-level content folder a document's page is listed under on
/// the home page (`""`: none).
fn doc_folder(doc: &SourceDoc) -> &str {
    doc.rel
        .split('/')
        .next()
        .filter(|_| doc.rel.contains('/'))
        .unwrap_or("")
}

/// The site's navigation: each top-level content folder, linking to its
/// index page, else to its first page. Known before any page is rendered.
pub fn nav(docs: &[SourceDoc]) -> Vec<Link> {
    let doc_urls = doc_urls(docs);
    let links = LinkMap::new(docs, &doc_urls, &[]);
    nav_of(docs, &doc_order(docs, &doc_urls), &links)
}

/// The most sections the header lists. A site with more lists the first
/// of them and then the home page, which lists them all: every page
/// carries the header, so a header of every section would make the size
/// of a site of many sections grow as their square.
pub const NAV_MAX: usize = 12;

fn nav_of(docs: &[SourceDoc], order: &[(i64, String, usize)], links: &LinkMap) -> Vec<Link> {
    let mut first: BTreeMap<&str, &str> = BTreeMap::new();
    for (_, url, i) in order {
        if url != "index.html" {
            first.entry(doc_folder(&docs[*i])).or_insert(url);
        }
    }
    let mut nav: Vec<Link> = first
        .into_iter()
        .filter(|(f, _)| !f.is_empty())
        .map(|(f, url)| Link {
            title: title_case(f),
            url: links.folders.get(f).map_or(url, String::as_str).to_string(),
        })
        .collect();
    if nav.len() > NAV_MAX {
        nav.truncate(NAV_MAX - 1);
        nav.push(Link {
            title: "All sections".into(),
            url: "index.html".into(),
        });
    }
    nav
}

/// Document pages rendered at a time by [`plan_documents_batches`].
const DOC_BATCH: usize = 64;

/// [`plan_documents_with`], handing the pages to `sink` a batch at a time,
/// in the same order (documents, home, 404), so that a caller can render,
/// write and drop each batch before the next is planned. The returned
/// site holds no pages; its navigation is [`nav`]'s.
#[allow(clippy::too_many_arguments)]
pub fn plan_documents_batches<E>(
    layout: &SiteLayout,
    docs: &[SourceDoc],
    assets: &[SourceFile],
    handbook: &crate::ladder::model::Handbook,
    diags: &mut Diagnostics,
    steps: &dyn PlanSteps,
    links: &LinkMap,
    sink: &mut dyn FnMut(Vec<PageOut>) -> Result<(), E>,
) -> Result<Site, E> {
    let highlight = layout.config.highlight_code;
    let doc_urls = doc_urls(docs);

    // The skill each document holds, if any.
    let skill_of: Vec<Option<&crate::ladder::model::Skill>> = docs
        .iter()
        .map(|d| handbook.skills.iter().find(|s| *s.source.file == *d.rel))
        .collect();

    // The tracks each document holds.
    let mut tracks_of: HashMap<&str, Vec<&crate::ladder::model::Track>> = HashMap::new();
    for t in &handbook.tracks {
        tracks_of.entry(&*t.source.file).or_default().push(t);
    }
    let mut home_content = String::new();
    let mut home_title = None;
    let mut sections: BTreeMap<String, Vec<Link>> = BTreeMap::new();
    let order = doc_order(docs, &doc_urls);
    for batch in order.chunks(DOC_BATCH) {
        // Document pages, rendered in parallel.
        let shared = Mutex::new(Diagnostics::default());
        let planned: Vec<PageOut> = batch
            .par_iter()
            .map(|(_, url, i)| {
                let doc = &docs[*i];
                let is_skill = skill_of[*i].is_some();
                if url == "index.html" {
                    // The home page's content, planned below with home.
                    let (title, html) =
                        steps.doc_page(doc, url, is_skill, highlight, links, &shared);
                    return PageOut {
                        url: url.clone(),
                        template: "home.html",
                        title,
                        in_sitemap: true,
                        data: serde_json::Map::from_iter([(
                            "content".to_string(),
                            Value::String(html.html),
                        )]),
                        lists: None,
                        outline: None,
                    };
                }
                let hosted = tracks_of
                    .get(doc.rel.as_ref())
                    .into_iter()
                    .flatten()
                    .map(|t| (t.title.as_str(), ladder_pages::track_url(t), t.levels.len()))
                    .collect();
                let inputs = DocPageInputs {
                    layout,
                    doc,
                    url,
                    skill: skill_of[*i],
                    hosted,
                    highlight,
                    links,
                };
                steps.doc_page_out(&inputs, &shared)
            })
            .collect();
        diags.extend(shared.into_inner().unwrap());
        let mut pages = Vec::with_capacity(batch.len());
        for ((_, _, i), mut page) in batch.iter().zip(planned) {
            if page.url == "index.html" {
                if let Some(Value::String(html)) = page.data.remove("content") {
                    home_content = html;
                }
                home_title = Some(page.title);
                continue;
            }
            sections
                .entry(doc_folder(&docs[*i]).to_string())
                .or_default()
                .push(Link {
                    title: page.title.clone(),
                    url: page.url.clone(),
                });
            pages.push(page);
        }
        sink(pages)?;
    }

    // Home.
    let home_title = home_title.unwrap_or_else(|| layout.config.title.clone());
    let section_list: Vec<Value> = sections
        .iter()
        .map(|(folder, pages)| {
            let title = if folder.is_empty() {
                "Pages".to_string()
            } else {
                title_case(folder)
            };
            json!({"title": title, "pages": pages})
        })
        .collect();
    let mut data = serde_json::Map::new();
    data.insert(
        "page".into(),
        json!({"title": home_title, "url": "index.html", "headings": []}),
    );
    data.insert("content".into(), Value::String(home_content));
    data.insert("sections".into(), Value::Array(section_list));
    data.insert("glance".into(), ladder_pages::glance(handbook));
    let skills: Vec<Value> = docs
        .iter()
        .zip(&skill_of)
        .zip(&doc_urls)
        .filter_map(|((_, s), u)| s.map(|s| json!({"title": s.title, "url": u})))
        .collect();
    data.insert("skills".into(), Value::Array(skills));
    sink(vec![PageOut {
        url: "index.html".into(),
        template: "home.html",
        title: home_title,
        in_sitemap: true,
        data,
        lists: None,
        outline: None,
    }])?;

    // 404.
    let mut data = serde_json::Map::new();
    data.insert(
        "page".into(),
        json!({"title": "Page not found", "url": "404.html"}),
    );
    sink(vec![PageOut {
        url: "404.html".into(),
        template: "404.html",
        title: "Page not found".into(),
        in_sitemap: false,
        data,
        lists: None,
        outline: None,
    }])?;

    let site = Site {
        pages: Vec::new(),
        assets: assets
            .iter()
            .map(|a| (a.rel.clone(), a.path.clone()))
            .collect(),
        nav: nav_of(docs, &order, links),
    };
    Ok(site)
}

/// What the ladder pages need of the documents ([`ladder_pages::plan`]):
/// each track's notes, source page and edit link, and where links written
/// in ladder texts lead. Known before any document page is rendered, so
/// that the ladder pages can be made alongside the document pages.
pub fn ladder_extras(
    layout: &SiteLayout,
    docs: &[SourceDoc],
    assets: &[SourceFile],
    handbook: &crate::ladder::model::Handbook,
    views: &HashMap<String, crate::ladder::DocView>,
    steps: &dyn PlanSteps,
) -> ladder_pages::LadderExtras {
    let highlight = layout.config.highlight_code;
    let doc_urls = doc_urls(docs);
    let links = LinkMap::new(docs, &doc_urls, assets);
    // Ladder pages: tracks, levels, comparisons, dimensions.
    // A track's notes: what its document holds besides the ladder.
    let extras: Vec<ladder_pages::TrackExtras> = handbook
        .tracks
        .par_iter()
        .map(|t| {
            let i = docs.iter().position(|d| *d.rel == *t.source.file);
            let notes_html = i.and_then(|i| {
                let doc = &docs[i];
                let view = views.get(&*doc.rel)?;
                let rest = doc.with_body(unclaimed(&doc.body, &view.spans).into());
                let (body, shift) = page_body(&rest, &doc_title(doc));
                let body = strip_first_h1(&body);
                if markdown::plain_text(&body).is_empty() {
                    return None;
                }
                let frag = Fragment {
                    doc,
                    page_url: &ladder_pages::track_url(t),
                    highlight,
                    heading_shift: shift.max(1),
                    interactive_tasks: false,
                };
                // Link problems were reported with the document's own page.
                let quiet = Mutex::new(Diagnostics::default());
                Some(steps.fragment(&body, &frag, &links, &quiet).html)
            });
            ladder_pages::TrackExtras {
                notes_html,
                source_url: i.map(|i| doc_urls[i].clone()),
                edit_url: i.and_then(|i| edit_url(layout, &docs[i])),
            }
        })
        .collect();

    ladder_pages::LadderExtras {
        tracks: extras,
        links,
    }
}

#[cfg(test)]
mod tests {
    /// A body the look without parsing says holds no H1 holds none, on
    /// random bodies made of the pieces headings, containers and their
    /// look-alikes are made of.
    #[test]
    fn a_body_passed_over_holds_no_h1() {
        let pieces = [
            "# ", "#", "## ", "#x", "x", " ", "  ", "    ", "\t", "\n", "\r\n", "\r", "=", "===",
            "> ", ">", "- ", "* ", "1. ", "+ ", "`", "```\n", "<h1>", "\\#", "[^1]: ", "|", "a #b",
            "-",
        ];
        let mut next = crate::site::changes::tests::rng(5);
        let (mut passed, mut parsed) = (0, 0);
        for _ in 0..40_000 {
            let n = 1 + next(12);
            let body: String = (0..n).map(|_| pieces[next(pieces.len())]).collect();
            if may_hold_h1(&body) {
                parsed += 1;
                continue;
            }
            passed += 1;
            let found = pulldown_cmark::Parser::new_ext(&body, markdown::options()).any(|e| {
                matches!(
                    e,
                    pulldown_cmark::Event::Start(pulldown_cmark::Tag::Heading {
                        level: pulldown_cmark::HeadingLevel::H1,
                        ..
                    })
                )
            });
            assert!(!found, "an H1 was passed over in {body:?}");
        }
        assert!(passed > 5_000 && parsed > 5_000, "{passed} {parsed}");
        assert!(!may_hold_h1("## Level 2\n\n- Ships features.\n"));
        assert!(may_hold_h1("Intro\n# Title\n"));
        assert!(may_hold_h1("Title\n=====\n"));
    }
    use super::*;

    /// The parse-per-question versions [`H1s`] replaced.
    mod before {
        use super::*;
        use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

        pub fn first_h1(body: &str) -> Option<String> {
            let mut in_h1 = false;
            let mut text = String::new();
            for e in Parser::new_ext(body, markdown::options()) {
                match e {
                    Event::Start(Tag::Heading {
                        level: HeadingLevel::H1,
                        ..
                    }) => {
                        in_h1 = true;
                        text.clear();
                    }
                    Event::End(TagEnd::Heading(HeadingLevel::H1)) => {
                        in_h1 = false;
                        let t = text.trim().to_string();
                        if !t.is_empty() {
                            return Some(t);
                        }
                    }
                    Event::Text(t) | Event::Code(t) if in_h1 => text.push_str(&t),
                    _ => {}
                }
            }
            None
        }

        pub fn strip_first_h1(body: &str) -> String {
            let first = Parser::new_ext(body, markdown::options())
                .into_offset_iter()
                .find(|(e, _)| matches!(e, Event::Start(_)));
            if let Some((
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H1,
                    ..
                }),
                range,
            )) = first
            {
                return without(body, range);
            }
            body.to_string()
        }

        pub fn page_body(body: &str, title: &str) -> (String, u8) {
            let stripped = strip_first_h1(body);
            let h1 = first_h1(body);
            if h1.as_deref() == Some(title) && first_h1(&stripped).is_none() {
                return (stripped, 0);
            }
            (body.to_string(), u8::from(h1.is_some()))
        }
    }

    /// One pass over the headings answers as one parse per question did,
    /// on random bodies of H1s (ATX, setext, empty, quoted), other blocks
    /// and code.
    #[test]
    fn h1s_in_one_pass_match_a_parse_per_question() {
        let pieces = [
            "# Title\n",
            "#\n",
            "# Other\n",
            "Title\n=====\n",
            "para\n",
            "\n",
            "> # Title\n",
            "- # Title\n",
            "## Sub\n",
            "```\n# not\n```\n",
            "# `code` title\n",
            "    # indented\n",
        ];
        let mut seed = 9u64;
        for round in 0..3000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let n = (seed >> 61) as usize + 1;
            let body: String = (0..n)
                .map(|k| pieces[(seed >> (7 * k + 3)) as usize % pieces.len()])
                .collect();
            let doc = SourceDoc {
                path: "x.md".into(),
                rel: "x.md".into(),
                frontmatter: Default::default(),
                body: body.as_str().into(),
                body_line_offset: 0,
                line_starts: Default::default(),
            };
            assert_eq!(
                first_h1(&body),
                before::first_h1(&body),
                "round {round}: {body:?}"
            );
            assert_eq!(
                strip_first_h1(&body),
                before::strip_first_h1(&body),
                "{body:?}"
            );
            for title in ["Title", "Other", "code title"] {
                assert_eq!(
                    page_body(&doc, title),
                    before::page_body(&body, title),
                    "{body:?}"
                );
            }
        }
    }

    #[test]
    fn unclaimed_drops_spans_and_keeps_lines() {
        let body = "intro\n\n<table>\n<tr></tr>\n</table>\n\nnotes\n";
        let start = body.find("<table>").unwrap();
        let end = body.find("</table>").unwrap() + "</table>\n".len();
        let span = std::ops::Range { start, end };
        let rest = unclaimed(body, std::slice::from_ref(&span));
        assert!(!rest.contains("table"), "{rest}");
        assert!(rest.contains("intro") && rest.contains("notes"));
        assert_eq!(rest.matches('\n').count(), body.matches('\n').count() + 1);
        // Bad spans are ignored, never a panic.
        let bad = [
            std::ops::Range { start: 5, end: 9 },
            std::ops::Range { start: 2, end: 1 },
        ];
        assert_eq!(unclaimed("abc", &bad), "abc");
    }
}
