//! The default theme's ladder page templates, compiled by hand into Rust.
//!
//! The templates in `themes/default/templates/` stay the definition of the
//! default theme: every function here writes the bytes Tera writes for the
//! template of the same name, from the same context, and the test
//! `native_templates_match_tera` (in `src/lib.rs`) checks that on every page
//! of the example handbook, the fixtures, the seeds and a generated long
//! track. Change a template, change its function here: the test fails
//! until the two agree.
//!
//! Why: the ladder pages are most of a build's output (tens of thousands of
//! expectations, each on five or six pages), and interpreting their
//! templates was about a quarter of a build's CPU time.
//!
//! When: only while the template, `base.html` and `macros.html` are the
//! built-in ones ([`Native::for_theme`]); a site that overrides any of them
//! gets Tera for the pages concerned. A context this code does not expect
//! (a missing field, a list where text should be, no typed lists) makes
//! [`Native::render`] return `None`, and Tera renders the page, with its
//! own error if the template cannot be rendered either.
//!
//! The page's lists of expectations come typed ([`Lists`]); the rest of
//! the context is the JSON Tera would get.

use super::highlight::escape_html_into;
use super::theme::{Origin, ThemeFiles, DEFAULT_THEME};
use super::ROOT_MARK;
use crate::site::changes::Change;
use crate::site::ladder_data::{Column, Item, Lists};
use serde_json::{Map, Value};

/// The page templates rendered here, by name.
const TEMPLATES: &[&str] = &[
    "level.html",
    "track.html",
    "compare.html",
    "compare_pair.html",
    "dimension.html",
    "cross_level.html",
    "page.html",
];

/// Which of [`TEMPLATES`] a theme leaves built in.
#[derive(Debug, Default)]
pub struct Native {
    enabled: Vec<&'static str>,
    /// By template (as in [`TEMPLATES`]): the length of the last page
    /// rendered, so that the next one starts with about the room it needs
    /// rather than growing (and copying itself) a few times.
    last_len: [std::sync::atomic::AtomicUsize; TEMPLATES.len()],
}

impl Clone for Native {
    fn clone(&self) -> Native {
        Native {
            enabled: self.enabled.clone(),
            last_len: Default::default(),
        }
    }
}

impl Native {
    /// The templates of `files` (the default theme after a site's
    /// overrides) rendered here: each needs its own text, `base.html`'s and
    /// `macros.html`'s to be the built-in ones (a site's copy of the default
    /// theme, as in this repository's `themes/default`, counts as built in).
    pub fn for_theme(files: &ThemeFiles) -> Native {
        let built_in = |n: &str| {
            let Some((text, origin)) = files.templates.get(n) else {
                return false;
            };
            *origin == Origin::BuiltIn
                || DEFAULT_THEME.iter().any(|(path, bytes)| {
                    path.strip_prefix("templates/") == Some(n) && text.as_bytes() == *bytes
                })
        };
        if !built_in("base.html") || !built_in("macros.html") {
            return Native::default();
        }
        Native {
            enabled: TEMPLATES.iter().copied().filter(|t| built_in(t)).collect(),
            last_len: Default::default(),
        }
    }

    /// Whether `template` is rendered here (when its context reads as
    /// expected).
    pub fn handles(&self, template: &str) -> bool {
        self.enabled.contains(&template)
    }

    /// The page of `template` for `ctx` and a ladder page's `lists`, or
    /// `None` for Tera to render.
    pub fn render(
        &self,
        template: &str,
        ctx: &Map<String, Value>,
        lists: Option<&Lists>,
    ) -> Option<String> {
        if !self.enabled.contains(&template) {
            return None;
        }
        use std::sync::atomic::Ordering::Relaxed;
        let last_len = &self.last_len[TEMPLATES.iter().position(|t| *t == template)?];
        let c = Obj(ctx);
        let mut w = W {
            out: String::with_capacity((last_len.load(Relaxed) * 9 / 8).max(16 * 1024)),
            root: c.get("root")?.as_str()?,
        };
        match template {
            "level.html" => match lists? {
                Lists::Level { groups, unchanged } => {
                    base(&mut w, c, "level-page", |w| level(w, c, groups, unchanged))?
                }
                _ => return None,
            },
            "track.html" => match lists? {
                Lists::Matrix(rows) => base(&mut w, c, "track-page", |w| track(w, c, rows))?,
                _ => return None,
            },
            "compare.html" => match lists? {
                Lists::Columns(cols) => base(&mut w, c, "compare-page", |w| compare(w, c, cols))?,
                _ => return None,
            },
            "compare_pair.html" => match lists? {
                Lists::Columns(cols) => {
                    base(&mut w, c, "compare-page", |w| compare_pair(w, c, cols))?
                }
                _ => return None,
            },
            "dimension.html" => match lists? {
                Lists::Dimension(levels) => base(&mut w, c, "page", |w| dimension(w, c, levels))?,
                _ => return None,
            },
            "cross_level.html" => match lists? {
                Lists::Columns(cols) => base(&mut w, c, "page", |w| cross_level(w, c, cols))?,
                _ => return None,
            },
            "page.html" => base(&mut w, c, "page", |w| page(w, c))?,
            _ => return None,
        }
        last_len.store(w.out.len(), Relaxed);
        Some(w.out)
    }
}

/// An object of the context.
#[derive(Clone, Copy)]
struct Obj<'a>(&'a Map<String, Value>);

impl<'a> Obj<'a> {
    /// The field `k`, when there is one.
    fn get(self, k: &str) -> Option<&'a Value> {
        self.0.get(k)
    }
    /// The field `k` as an object.
    fn obj(self, k: &str) -> Option<Obj<'a>> {
        self.get(k)?.as_object().map(Obj)
    }
    /// The field `k` as a list; `None` when it is missing or not a list
    /// (which Tera's `for` would not accept either).
    fn list(self, k: &str) -> Option<&'a [Value]> {
        self.get(k)?.as_array().map(Vec::as_slice)
    }
    /// Tera's truth test of the field `k`; a missing field is false.
    fn is(self, k: &str) -> bool {
        self.get(k).is_some_and(truthy)
    }
}

/// Tera's truth of a value.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// The objects of a list.
fn objects(list: &[Value]) -> impl Iterator<Item = Option<Obj<'_>>> {
    list.iter().map(|v| v.as_object().map(Obj))
}

/// The page being written.
struct W<'a> {
    out: String,
    /// The page's way back to the site root.
    root: &'a str,
}

impl W<'_> {
    /// Template text, as it is.
    fn s(&mut self, text: &str) {
        self.out.push_str(text);
    }

    /// `{{ v }}`: a value, escaped. Lists and objects (which Tera would
    /// print as JSON-like text) are left to Tera.
    fn v(&mut self, v: Option<&Value>) -> Option<()> {
        match v? {
            Value::String(s) => escape_html_into(s, &mut self.out),
            v => self.scalar(v)?,
        }
        Some(())
    }

    /// `{{ text }}`: text, escaped.
    fn text(&mut self, text: &str) {
        escape_html_into(text, &mut self.out);
    }

    /// `{{ n }}`: a number.
    fn num(&mut self, n: impl std::fmt::Display) {
        use std::fmt::Write;
        let _ = write!(self.out, "{n}");
    }

    /// `{{ html | safe }}`: HTML as it is, with [`ROOT_MARK`] replaced by
    /// the page's root as Tera's context would have it.
    fn html(&mut self, html: &str) {
        // The mark starts with U+E000, whose first byte a vector search
        // finds (or not) faster than the whole mark.
        if memchr::memchr(ROOT_MARK.as_bytes()[0], html.as_bytes()).is_some()
            && html.contains(ROOT_MARK)
        {
            self.out.push_str(&html.replace(ROOT_MARK, self.root));
        } else {
            self.out.push_str(html);
        }
    }

    /// `{{ root }}{{ url }}`, both escaped.
    fn href_to(&mut self, url: &str) {
        let root = self.root;
        self.text(root);
        self.text(url);
    }

    /// `<a href="{{ root }}{{ url }}">{{ text }}</a>`.
    fn link_to(&mut self, url: &str, text: &str) {
        self.s("<a href=\"");
        self.href_to(url);
        self.s("\">");
        self.text(text);
        self.s("</a>");
    }

    /// `{{ root }}{{ e.url }}`: the link to an expectation on its level page.
    fn item_href(&mut self, e: &Item) {
        self.href_to(&e.level_url);
        self.s("#");
        self.text(&e.id);
    }

    /// `{{ v | safe }}`: a value as it is (HTML), with [`ROOT_MARK`]
    /// replaced by the page's root as Tera's context would have it.
    fn safe(&mut self, v: Option<&Value>) -> Option<()> {
        match v? {
            Value::String(s) => self.html(s),
            v => self.scalar(v)?,
        }
        Some(())
    }

    /// A number, boolean or null as Tera prints one (no character of it
    /// needs escaping).
    fn scalar(&mut self, v: &Value) -> Option<()> {
        use std::fmt::Write;
        match v {
            Value::Null => {}
            Value::Bool(b) => write!(self.out, "{b}").ok()?,
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    write!(self.out, "{i}").ok()?
                } else if let Some(u) = n.as_u64() {
                    write!(self.out, "{u}").ok()?
                } else {
                    write!(self.out, "{}", n.as_f64()?).ok()?
                }
            }
            _ => return None,
        }
        Some(())
    }

    /// `<a href="{{ root }}{{ url }}">{{ text }}</a>`.
    fn link(&mut self, c: Obj, url: Option<&Value>, text: Option<&Value>) -> Option<()> {
        self.s("<a href=\"");
        self.href(c, url)?;
        self.s("\">");
        self.v(text)?;
        self.s("</a>");
        Some(())
    }

    /// `{{ root }}{{ v }}`: a link from the page.
    fn href(&mut self, c: Obj, v: Option<&Value>) -> Option<()> {
        self.v(c.get("root"))?;
        self.v(v)
    }
}

/// `base.html`, with the child's `body_class` and `main` blocks.
fn base(
    w: &mut W,
    c: Obj,
    body_class: &str,
    main: impl FnOnce(&mut W) -> Option<()>,
) -> Option<()> {
    let site = c.obj("site")?;
    let page = c.obj("page")?;
    let assets = c.obj("assets")?;
    w.s("<!doctype html>\n<html lang=\"");
    w.v(site.get("language"))?;
    w.s("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    if page.is("title") && page.get("title")? != site.get("title")? {
        w.v(page.get("title"))?;
        w.s(" · ");
    }
    w.v(site.get("title"))?;
    w.s("</title>");
    if page.is("description") {
        w.s("\n<meta name=\"description\" content=\"");
        w.v(page.get("description"))?;
        w.s("\">");
    } else if site.is("description") {
        w.s("\n<meta name=\"description\" content=\"");
        w.v(site.get("description"))?;
        w.s("\">");
    }
    if c.is("canonical") {
        w.s("\n<link rel=\"canonical\" href=\"");
        w.v(c.get("canonical"))?;
        w.s("\">");
    }
    w.s("\n<meta name=\"generator\" content=\"rungs ");
    w.v(c.get("rungs_version"))?;
    w.s("\">\n<link rel=\"stylesheet\" href=\"");
    w.href(c, assets.get("style.css"))?;
    w.s("\">\n</head>\n<body class=\"");
    w.s(body_class);
    w.s("\" data-root=\"");
    w.v(c.get("root"))?;
    w.s("\">\n<a class=\"skip-link\" href=\"#main\">Skip to content</a>\n<header class=\"site-header\">\n  <div class=\"site-header-inner\">\n    <a class=\"brand\" href=\"");
    w.v(c.get("root"))?;
    w.s("index.html\">");
    w.v(site.get("title"))?;
    w.s("</a>");
    if c.is("nav") {
        w.s("\n    <nav class=\"site-nav\" aria-label=\"Main\">\n      <ul>");
        for item in objects(c.list("nav")?) {
            let item = item?;
            w.s("\n        <li><a href=\"");
            w.href(c, item.get("url"))?;
            w.s("\"");
            if item.get("url")? == page.get("url")? {
                w.s(" aria-current=\"page\"");
            }
            w.s(">");
            w.v(item.get("title"))?;
            w.s("</a></li>");
        }
        w.s("\n      </ul>\n    </nav>");
    }
    w.s("\n    <form class=\"site-search\" role=\"search\" action=\"");
    w.v(c.get("root"))?;
    w.s("search/index.html\" method=\"get\" data-search-js=\"");
    w.href(c, assets.get("search.js"))?;
    w.s("\">\n      <label class=\"visually-hidden\" for=\"site-search-input\">Search</label>\n      <input id=\"site-search-input\" class=\"search-input\" type=\"search\" name=\"q\" placeholder=\"Search (press /)\" autocomplete=\"off\" spellcheck=\"false\" role=\"combobox\" aria-expanded=\"false\" aria-autocomplete=\"list\" aria-controls=\"site-search-results\">\n      <div class=\"search-popup\" hidden>\n        <div class=\"search-filters\"></div>\n        <div id=\"site-search-results\" class=\"search-results\" role=\"listbox\" aria-label=\"Search results\" hidden></div>\n        <p class=\"search-status\" role=\"status\" aria-live=\"polite\"></p>\n      </div>\n    </form>\n  </div>\n</header>");
    if page.is("breadcrumbs") {
        w.s("\n<nav class=\"breadcrumb\" aria-label=\"Breadcrumb\">\n  <ol>");
        let crumbs = page.list("breadcrumbs")?;
        for (k, crumb) in objects(crumbs).enumerate() {
            let crumb = crumb?;
            if k + 1 == crumbs.len() {
                w.s("\n    <li><span aria-current=\"page\">");
                w.v(crumb.get("title"))?;
                w.s("</span></li>");
            } else {
                w.s("\n    <li>");
                w.link(c, crumb.get("url"), crumb.get("title"))?;
                w.s("</li>");
            }
        }
        w.s("\n  </ol>\n</nav>");
    }
    w.s("\n<main id=\"main\" tabindex=\"-1\">\n");
    main(w)?;
    w.s("\n</main>\n<footer class=\"site-footer\">\n  <p>");
    if page.is("edit_url") {
        w.s("<a class=\"edit-link\" href=\"");
        w.v(page.get("edit_url"))?;
        w.s("\">Edit this page</a> · ");
    }
    if site.is("repository") {
        w.s("<a href=\"");
        w.v(site.get("repository"))?;
        w.s("\">Source</a> · ");
    }
    w.s("Built with rungs</p>\n</footer>\n<script src=\"");
    w.href(c, assets.get("rungs.js"))?;
    w.s("\" defer></script>\n</body>\n</html>\n");
    Some(())
}

/// `page.html`: a document's page (its ladders, its contents, its body).
fn page(w: &mut W, c: Obj) -> Option<()> {
    let page = c.obj("page")?;
    w.s("\n<article class=\"doc\">\n  <h1>");
    w.v(page.get("title"))?;
    w.s("</h1>");
    if c.is("tracks") {
        let tracks = c.list("tracks")?;
        w.s("\n  <nav class=\"doc-tracks\" aria-label=\"Ladders in this document\">\n    <p>This document holds ");
        if tracks.len() == 1 {
            w.s("a ladder");
        } else {
            w.num(tracks.len());
            w.s(" ladders");
        }
        w.s(":\n    ");
        for (k, t) in objects(tracks).enumerate() {
            let t = t?;
            w.link(c, t.get("url"), t.get("title"))?;
            w.s(" (");
            w.v(t.get("levels"))?;
            w.s(" levels)");
            if k + 1 < tracks.len() {
                w.s(", ");
            }
        }
        w.s(".</p>\n  </nav>");
    }
    w.s("\n  ");
    toc(w, page.list("headings")?)?;
    w.s("\n  <div class=\"prose\">\n");
    w.safe(c.get("content"))?;
    w.s("\n  </div>\n</article>\n");
    Some(())
}

/// The `toc` macro: the page's headings down to level 3, when it has more
/// than two.
fn toc(w: &mut W, headings: &[Value]) -> Option<()> {
    if headings.len() > 2 {
        w.s("\n<nav class=\"toc\" aria-label=\"On this page\">\n  <p class=\"toc-title\">On this page</p>\n  <ul>");
        for h in objects(headings) {
            let h = h?;
            if h.get("level")?.as_f64()? <= 3.0 {
                w.s("\n    <li class=\"toc-l");
                w.v(h.get("level"))?;
                w.s("\"><a href=\"#");
                w.v(h.get("id"))?;
                w.s("\">");
                w.v(h.get("text"))?;
                w.s("</a></li>");
            }
        }
        w.s("\n  </ul>\n</nav>");
    }
    w.s("\n");
    Some(())
}

/// Tera's text of a change (`{{ e.change }}`).
fn change_name(c: Change) -> &'static str {
    match c {
        Change::New => "new",
        Change::Reworded => "reworded",
        Change::Unchanged => "unchanged",
        Change::First => "first",
    }
}

/// The badge before a new or reworded expectation.
fn badge(w: &mut W, change: Option<Change>) {
    match change {
        Some(Change::New) => w.s("<span class=\"badge badge-new\">New</span> "),
        Some(Change::Reworded) => w.s("<span class=\"badge badge-reworded\">Reworded</span> "),
        _ => {}
    }
}

/// `{% if change == "reworded" and e.diff_html %}`: the diff to show.
fn shown_diff(e: &Item) -> Option<&str> {
    match e.change {
        Some(Change::Reworded) => e.diff_html.as_deref().filter(|d| !d.is_empty()),
        _ => None,
    }
}

/// The examples of an expectation, folded (`{% if e.examples %}` in the
/// macros).
fn examples(w: &mut W, e: &Item, indent: &str) {
    if !e.examples.is_empty() {
        w.s(indent);
        w.s("<details class=\"examples\"><summary>Examples</summary><ul>");
        for x in e.examples.iter() {
            w.s("<li>");
            w.html(x.html());
            w.s("</li>");
        }
        w.s("</ul></details>");
    }
}

/// `macros.html`: `expectation(e)` (with `copy` true).
fn expectation(w: &mut W, e: &Item) {
    w.s("\n<li id=\"");
    w.text(&e.id);
    w.s("\" class=\"expectation");
    if let Some(c) = e.change {
        w.s(" change-");
        w.s(change_name(c));
    }
    w.s("\">");
    badge(w, e.change);
    w.s("<div class=\"expectation-text\">");
    w.html(e.text.html());
    w.s("</div>\n  <span class=\"expectation-tools no-print\"><a class=\"permalink\" href=\"#");
    w.text(&e.id);
    w.s("\" aria-label=\"Link to this expectation\">#</a></span>");
    if let Some(d) = shown_diff(e) {
        w.s("\n  <details class=\"diff\"><summary>What changed from the level below</summary><p class=\"word-diff\">");
        w.html(d);
        w.s("</p></details>");
    }
    examples(w, e, "\n  ");
    w.s("\n</li>\n");
}

/// `macros.html`: `anti_pattern(a)`.
fn anti_pattern(w: &mut W, a: Obj) -> Option<()> {
    let labelled = a.is("label");
    w.s("\n<aside class=\"callout anti-pattern\" role=\"note\" aria-label=\"Anti-pattern");
    if labelled {
        w.s(" for ");
        w.v(a.get("label"))?;
    }
    w.s("\" id=\"");
    w.v(a.get("id"))?;
    w.s("\">\n  <p class=\"callout-title\"><span aria-hidden=\"true\">⚠</span> Anti-pattern");
    if labelled {
        w.s(" · ");
        w.v(a.get("label"))?;
    }
    w.s("</p>\n  <div>");
    w.safe(a.get("html"))?;
    w.s("</div>\n</aside>\n");
    Some(())
}

/// `{% for a in list %}{{ m::anti_pattern(a=a) }}{% endfor %}`.
fn anti_patterns(w: &mut W, list: &[Value]) -> Option<()> {
    for a in objects(list) {
        anti_pattern(w, a?)?;
    }
    Some(())
}

/// `macros.html`: `compare_table(columns, dimension_titles, root, caption)`.
fn compare_table(w: &mut W, c: Obj, columns: &[Column], caption: &str) -> Option<()> {
    let titles = c.list("dimension_titles")?;
    w.s("\n<div class=\"table-scroll\">\n<table class=\"compare-table\">\n  <caption>");
    w.text(caption);
    w.s("</caption>\n  <thead>\n    <tr><th scope=\"col\">Dimension</th>");
    for col in columns {
        w.s("<th scope=\"col\" data-level=\"");
        w.num(col.number);
        w.s("\">");
        if let Some((title, _)) = &col.track {
            w.link_to(&col.url, title);
            w.s("<br><span class=\"muted\">");
            w.text(&col.heading);
            w.s("</span>");
        } else {
            w.link_to(&col.url, &col.heading);
        }
        w.s("</th>");
    }
    w.s("\n    </tr>\n  </thead>\n  <tbody>");
    for (i, title) in titles.iter().enumerate() {
        w.s("\n    <tr><th scope=\"row\">");
        w.v(Some(title))?;
        w.s("</th>");
        for col in columns {
            w.s("\n      <td data-level=\"");
            w.num(col.number);
            w.s("\">");
            let row = col.rows.get(i)?;
            if !row.items.is_empty() {
                w.s("<ul class=\"cell-list\">");
                for e in &row.items {
                    w.s("<li class=\"");
                    if let Some(change) = e.change {
                        w.s("change-");
                        w.s(change_name(change));
                    }
                    w.s("\">");
                    badge(w, e.change);
                    if let Some(d) = shown_diff(e) {
                        w.s("<span class=\"word-diff\">");
                        w.html(d);
                        w.s("</span>");
                    } else {
                        w.html(e.text.html());
                    }
                    examples(w, e, "");
                    w.s("</li>");
                }
                w.s("</ul>");
            }
            w.s("</td>");
        }
        w.s("\n    </tr>");
    }
    w.s("\n  </tbody>\n</table>\n</div>\n");
    Some(())
}

/// `level.html`.
fn level(
    w: &mut W,
    c: Obj,
    groups: &[crate::site::ladder_data::Group],
    unchanged: &[crate::site::ladder_data::Unchanged],
) -> Option<()> {
    let track = c.obj("track")?;
    let level = c.obj("level")?;
    let has_prev = c.is("prev");
    let prev = || c.obj("prev");
    w.s("\n<article class=\"level\" aria-labelledby=\"level-title\">\n  <p class=\"eyebrow\">");
    w.link(c, track.get("url"), track.get("title"))?;
    w.s("</p>\n  <h1 id=\"level-title\">");
    w.v(level.get("heading"))?;
    w.s("</h1>");
    if level.is("summary") {
        w.s("\n  <div class=\"summary lede\">");
        w.safe(level.get("summary"))?;
        w.s("</div>");
    }
    w.s("\n  <nav class=\"level-nav no-print\" aria-label=\"Levels\">");
    if has_prev {
        let p = prev()?;
        w.s("<a rel=\"prev\" href=\"");
        w.href(c, p.get("url"))?;
        w.s("\">← ");
        w.v(p.get("heading"))?;
        w.s("</a><a href=\"");
        w.href(c, p.get("pair_url"))?;
        w.s("\">Compare with level ");
        w.v(p.get("number"))?;
        w.s("</a>");
    }
    if c.is("next") {
        let n = c.obj("next")?;
        w.s("<a rel=\"next\" href=\"");
        w.href(c, n.get("url"))?;
        w.s("\">");
        w.v(n.get("heading"))?;
        w.s(" →</a>");
    }
    w.s("\n  </nav>");
    if has_prev {
        let p = prev()?;
        let changes = c.obj("changes")?;
        w.s("\n  <p class=\"change-summary\">Compared with <a href=\"");
        w.href(c, p.get("url"))?;
        w.s("\">level ");
        w.v(p.get("number"))?;
        w.s("</a>: <strong>");
        w.v(changes.get("new"))?;
        w.s("</strong> new, <strong>");
        w.v(changes.get("reworded"))?;
        w.s("</strong> reworded, <strong>");
        w.v(changes.get("unchanged"))?;
        w.s("</strong> as before.</p>");
    }
    if c.is("anti_patterns") {
        w.s("\n  <section class=\"anti-patterns\" aria-labelledby=\"anti-title\">\n    <h2 id=\"anti-title\">Anti-patterns at this level</h2>");
        anti_patterns(w, c.list("anti_patterns")?)?;
        w.s("\n  </section>");
    }
    w.s("\n\n  <section class=\"expectations\" aria-labelledby=\"exp-title\">\n  <h2 id=\"exp-title\">");
    w.s(if has_prev {
        "What changes at this level"
    } else {
        "Expectations"
    });
    w.s("</h2>");
    for g in groups {
        if let Some(title) = g.title.as_deref().filter(|t| !t.is_empty()) {
            w.s("\n    <h3 id=\"dim-");
            w.text(g.id.as_deref().unwrap_or_default());
            w.s("\">");
            match g.url.as_deref().filter(|u| !u.is_empty()) {
                Some(url) => w.link_to(url, title),
                None => w.text(title),
            }
            w.s("</h3>");
        }
        w.s("\n    <ul class=\"expectation-list\">");
        for e in &g.items {
            expectation(w, e);
        }
        w.s("\n    </ul>");
    }
    let has_groups = !groups.is_empty();
    let has_unchanged = !unchanged.is_empty();
    if !has_groups && !has_unchanged {
        w.s("\n    <p class=\"muted\">No expectations are written for this level.</p>");
    } else if !has_groups {
        w.s(
            "\n    <p class=\"muted\">Nothing new at this level: every expectation is as at level ",
        );
        w.v(prev()?.get("number"))?;
        w.s(".</p>");
    }
    w.s("\n  </section>");
    if has_unchanged {
        w.s("\n  <details class=\"unchanged\">\n    <summary>Also expected, as at level ");
        w.v(prev()?.get("number"))?;
        w.s(" (");
        w.num(unchanged.len());
        w.s(")</summary>\n    <ul class=\"expectation-list\">");
        for u in unchanged {
            expectation(w, &u.item);
        }
        w.s("\n    </ul>\n  </details>");
    }
    if c.is("other_tracks") {
        w.s("\n  <section class=\"other-tracks no-print\" aria-labelledby=\"other-title\">\n    <h2 id=\"other-title\">Level ");
        w.v(level.get("number"))?;
        w.s(" in other tracks</h2>\n    <ul>");
        for o in objects(c.list("other_tracks")?) {
            let o = o?;
            w.s("\n      <li><a href=\"");
            w.href(c, o.get("url"))?;
            w.s("\">");
            w.v(o.get("title"))?;
            w.s(": ");
            w.v(o.get("heading"))?;
            w.s("</a></li>");
        }
        w.s("\n    </ul>");
        if c.is("other_tracks_more") {
            let more = c.get("other_tracks_more")?;
            w.s("\n    <p class=\"muted\">");
            if more.as_u64() == Some(1) {
                w.s("One more track has");
            } else {
                w.v(Some(more))?;
                w.s(" more tracks have");
            }
            w.s(" a level ");
            w.v(level.get("number"))?;
            w.s(".</p>");
        }
        w.s("\n    <p><a href=\"");
        w.href(c, c.get("cross_url"))?;
        w.s("\">All tracks at level ");
        w.v(level.get("number"))?;
        w.s(", side by side</a></p>\n  </section>");
    }
    w.s("\n</article>\n");
    Some(())
}

/// `track.html`: the matrix of a track (or of a window of its levels).
fn track(w: &mut W, c: Obj, rows: &[crate::site::ladder_data::MatrixRow]) -> Option<()> {
    let track = c.obj("track")?;
    let levels = c.list("levels")?;
    let has_roles = c.is("has_roles");
    let has_windows = c.is("windows");
    w.s("\n<h1>");
    w.v(track.get("title"))?;
    w.s("</h1>");
    if track.is("description") {
        w.s("\n<div class=\"lede\">");
        w.safe(track.get("description"))?;
        w.s("</div>");
    }
    w.s("\n<nav class=\"track-tools no-print\" aria-label=\"Track\">\n  <a href=\"");
    w.href(c, track.get("compare_url"))?;
    w.s("\">Compare levels</a>");
    if c.is("source_url") {
        w.s("<a href=\"");
        w.href(c, c.get("source_url"))?;
        w.s("\">Source document</a>");
    }
    w.s("\n</nav>");
    if has_windows {
        w.s("\n<nav class=\"level-windows no-print\" aria-label=\"Levels of ");
        w.v(track.get("title"))?;
        w.s("\">\n  <p>");
        w.v(c.get("level_count"))?;
        w.s(" levels, ");
        if c.is("window_label") {
            w.s("showing levels ");
            w.v(c.get("window_label"))?;
        }
        w.s(":</p>\n  <ul class=\"inline-list\">");
        window_links(w, c, c.list("windows")?)?;
        w.s("</ul>\n</nav>");
    }
    w.s("\n<div class=\"table-scroll matrix-wrap\">\n<table class=\"matrix\">\n  <caption>");
    w.v(track.get("title"))?;
    w.s(": expectations by level and dimension");
    if has_windows {
        w.s(", levels ");
        w.v(c.get("window_label"))?;
    }
    w.s("</caption>\n  <thead>");
    if has_roles {
        w.s("\n    <tr class=\"role-row\"><th scope=\"row\">Role</th>");
        for r in objects(c.list("roles")?) {
            let r = r?;
            w.s("<th scope=\"colgroup\" colspan=\"");
            w.v(r.get("span"))?;
            w.s("\">");
            w.v(r.get("title"))?;
            w.s("</th>");
        }
        w.s("</tr>");
    }
    w.s("\n    <tr><th scope=\"col\">Dimension</th>");
    for l in objects(levels) {
        let l = l?;
        w.s("<th scope=\"col\"><a href=\"");
        w.href(c, l.get("url"))?;
        w.s("\">Level ");
        w.v(l.get("number"))?;
        w.s("</a>");
        if l.is("title") && !has_roles {
            w.s("<br><span class=\"muted\">");
            w.v(l.get("title"))?;
            w.s("</span>");
        }
        w.s("</th>");
    }
    w.s("</tr>\n  </thead>\n  <tbody>");
    for row in rows {
        w.s("\n    <tr><th scope=\"row\">");
        match row.url.as_deref().filter(|u| !u.is_empty()) {
            Some(url) => w.link_to(url, &row.title),
            None => w.text(&row.title),
        }
        w.s("</th>");
        for (k, cell) in row.cells.iter().enumerate() {
            let l = levels.get(k)?.as_object().map(Obj)?;
            w.s("\n      <td data-label=\"");
            w.v(l.get("heading"))?;
            w.s("\">");
            if !cell.is_empty() {
                w.s("<ul class=\"cell-list\">");
                for e in cell {
                    w.s("<li>");
                    w.html(e.text.html());
                    w.s(" <a class=\"permalink no-print\" href=\"");
                    w.item_href(e);
                    w.s("\" aria-label=\"Open on the level page\">↗</a></li>");
                }
                w.s("</ul>");
            }
            w.s("</td>");
        }
        w.s("\n    </tr>");
    }
    w.s("\n  </tbody>\n</table>\n</div>\n<div class=\"level-cards\" aria-label=\"");
    w.v(track.get("title"))?;
    w.s(", one card per level\">");
    for (i, l) in objects(levels).enumerate() {
        let l = l?;
        w.s("\n  <section class=\"level-card\" aria-labelledby=\"card-");
        w.v(l.get("number"))?;
        w.s("\">\n    <h2 id=\"card-");
        w.v(l.get("number"))?;
        w.s("\">");
        w.link(c, l.get("url"), l.get("heading"))?;
        w.s("</h2>");
        for row in rows {
            let cell = row.cells.get(i)?;
            if !cell.is_empty() {
                w.s("\n    <h3>");
                w.text(&row.title);
                w.s("</h3>\n    <ul class=\"cell-list\">");
                for e in cell {
                    w.s("<li>");
                    w.html(e.text.html());
                    w.s("</li>");
                }
                w.s("</ul>");
            }
        }
        w.s("\n  </section>");
    }
    w.s("\n</div>");
    if c.is("dimensions") {
        w.s("\n<section aria-labelledby=\"dims-title\">\n  <h2 id=\"dims-title\">Each dimension through the levels</h2>\n  <ul class=\"inline-list\">");
        for d in objects(c.list("dimensions")?) {
            let d = d?;
            w.s("<li>");
            w.link(c, d.get("url"), d.get("title"))?;
            w.s("</li>");
        }
        w.s("</ul>\n</section>");
    }
    if c.is("anti_patterns") {
        w.s("\n<section class=\"anti-patterns\" aria-labelledby=\"anti-title\">\n  <h2 id=\"anti-title\">Anti-patterns</h2>");
        anti_patterns(w, c.list("anti_patterns")?)?;
        w.s("\n</section>");
    }
    if c.is("notes") {
        w.s("\n<section class=\"notes prose\" aria-labelledby=\"notes-title\">\n  <h2 id=\"notes-title\">Notes</h2>\n  ");
        w.safe(c.get("notes"))?;
        w.s("\n</section>");
    }
    w.s("\n");
    Some(())
}

/// `<li>` links to the windows of a long track, the current one marked.
fn window_links(w: &mut W, c: Obj, windows: &[Value]) -> Option<()> {
    for win in objects(windows) {
        let win = win?;
        w.s("<li><a href=\"");
        w.href(c, win.get("url"))?;
        w.s("\"");
        if win.is("current") {
            w.s(" aria-current=\"page\"");
        }
        w.s(">Levels ");
        w.v(win.get("label"))?;
        w.s("</a></li>");
    }
    Some(())
}

/// `<li>` links to adjacent pairs of levels, `current` (a page URL) marked.
fn pair_links(w: &mut W, c: Obj, pairs: &[Value], current: Option<&Value>) -> Option<()> {
    for p in objects(pairs) {
        let p = p?;
        w.s("<li><a href=\"");
        w.href(c, p.get("url"))?;
        w.s("\"");
        if let Some(current) = current {
            if p.get("url")? == current {
                w.s(" aria-current=\"page\"");
            }
        }
        w.s(">");
        w.v(p.get("from"))?;
        w.s(" → ");
        w.v(p.get("to"))?;
        w.s("</a></li>");
    }
    Some(())
}

/// `compare.html`: every level of a track, or the list of adjacent pairs.
fn compare(w: &mut W, c: Obj, columns: &[Column]) -> Option<()> {
    let track = c.obj("track")?;
    w.s("\n<h1>Compare levels · ");
    w.v(track.get("title"))?;
    w.s("</h1>");
    if !columns.is_empty() {
        w.s("\n<form class=\"compare-picker no-print\" data-compare hidden>\n  <label>From <select name=\"from\">");
        for col in columns {
            w.s("<option value=\"");
            w.num(col.number);
            w.s("\">");
            w.text(&col.heading);
            w.s("</option>");
        }
        w.s("</select></label>\n  <label>To <select name=\"to\">");
        for (k, col) in columns.iter().enumerate() {
            w.s("<option value=\"");
            w.num(col.number);
            w.s("\"");
            if k == 1 {
                w.s(" selected");
            }
            w.s(">");
            w.text(&col.heading);
            w.s("</option>");
        }
        w.s("</select></label>\n  <p class=\"muted\" aria-live=\"polite\" data-compare-status></p>\n</form>");
    } else {
        w.s("\n<p class=\"lede\">");
        w.v(track.get("title"))?;
        w.s(" has ");
        w.v(c.get("level_count"))?;
        w.s(" levels. Each comparison below sets one level beside the next, marking what is new or reworded; the <a href=\"");
        w.href(c, track.get("url"))?;
        w.s("\">matrix</a> shows every level by dimension.</p>");
    }
    if c.is("pairs") {
        w.s("\n<nav class=\"pair-links no-print\" aria-label=\"Adjacent levels\">\n  <p>Adjacent levels:</p>\n  <ul class=\"inline-list\">");
        pair_links(w, c, c.list("pairs")?, None)?;
        w.s("</ul>\n</nav>");
    }
    if !columns.is_empty() {
        let caption = format!("Every level of {}", track.get("title")?.as_str()?);
        w.s("\n");
        compare_table(w, c, columns, &caption)?;
    }
    w.s("\n");
    Some(())
}

/// `compare_pair.html`: two adjacent levels side by side.
fn compare_pair(w: &mut W, c: Obj, columns: &[Column]) -> Option<()> {
    let track = c.obj("track")?;
    let (a, b) = (columns.first()?, columns.get(1)?);
    w.s("\n<h1>Level ");
    w.num(a.number);
    w.s(" and level ");
    w.num(b.number);
    w.s(" · ");
    w.v(track.get("title"))?;
    w.s("</h1>\n<p class=\"lede\">What changes from ");
    w.link_to(&a.url, &a.heading);
    w.s(" to ");
    w.link_to(&b.url, &b.heading);
    w.s(". New and reworded expectations are marked; reworded ones show the words that changed.</p>\n<p class=\"no-print\"><a href=\"");
    w.href(c, track.get("compare_url"))?;
    w.s("?from=");
    w.num(a.number);
    w.s("&amp;to=");
    w.num(b.number);
    w.s("\">Compare any two levels</a></p>\n");
    let caption = format!("{} and {}", a.heading, b.heading);
    compare_table(w, c, columns, &caption)?;
    for col in columns {
        if !col.anti_patterns.is_empty() {
            w.s("\n<section class=\"anti-patterns\"><h2>Anti-patterns at level ");
            w.num(col.number);
            w.s("</h2>");
            anti_patterns(w, &col.anti_patterns)?;
            w.s("</section>");
        }
    }
    if c.is("pairs") {
        let page = c.obj("page")?;
        w.s("\n<nav class=\"pair-links no-print\" aria-label=\"Adjacent levels\"><ul class=\"inline-list\">");
        pair_links(w, c, c.list("pairs")?, Some(page.get("url")?))?;
        w.s("</ul></nav>");
    }
    w.s("\n");
    Some(())
}

/// `dimension.html`: one dimension of a track through its levels.
fn dimension(w: &mut W, c: Obj, levels: &[crate::site::ladder_data::DimensionLevel]) -> Option<()> {
    let track = c.obj("track")?;
    let dim = c.obj("dimension")?;
    w.s("\n<p class=\"eyebrow\">");
    w.link(c, track.get("url"), track.get("title"))?;
    w.s("</p>\n<h1>");
    w.v(dim.get("title"))?;
    w.s("</h1>\n<p class=\"lede\">How ");
    w.v(dim.get("title"))?;
    w.s(" grows from level to level.</p>");
    if c.is("windows") {
        w.s("\n<nav class=\"level-windows no-print\" aria-label=\"Levels\">\n  <ul class=\"inline-list\">");
        window_links(w, c, c.list("windows")?)?;
        w.s("</ul>\n</nav>");
    }
    for l in levels {
        w.s("\n<section class=\"dimension-level\" aria-labelledby=\"dl-");
        w.num(l.number);
        w.s("\">\n  <h2 id=\"dl-");
        w.num(l.number);
        w.s("\">");
        w.link_to(&l.url, &l.heading);
        w.s("</h2>");
        if !l.items.is_empty() {
            w.s("\n  <ul class=\"expectation-list\">");
            for e in &l.items {
                w.s("<li class=\"change-");
                if let Some(change) = e.change {
                    w.s(change_name(change));
                }
                w.s("\">");
                match e.change {
                    Some(Change::Unchanged) => w.s("<span class=\"badge\">As before</span> "),
                    change => badge(w, change),
                }
                if let Some(d) = shown_diff(e) {
                    w.s("<span class=\"word-diff\">");
                    w.html(d);
                    w.s("</span>");
                } else {
                    w.html(e.text.html());
                }
                w.s(" <a class=\"permalink no-print\" href=\"");
                w.item_href(e);
                w.s("\" aria-label=\"Open on the level page\">↗</a></li>");
            }
            w.s("</ul>");
        } else {
            w.s("\n  <p class=\"muted\">Nothing written for this level.</p>");
        }
        w.s("\n</section>");
    }
    w.s("\n<nav class=\"no-print\" aria-label=\"Other dimensions\"><h2>Other dimensions</h2><ul class=\"inline-list\">");
    for d in objects(c.list("dimensions")?) {
        let d = d?;
        w.s("<li><a href=\"");
        w.href(c, d.get("url"))?;
        w.s("\"");
        if d.is("current") {
            w.s(" aria-current=\"page\"");
        }
        w.s(">");
        w.v(d.get("title"))?;
        w.s("</a></li>");
    }
    w.s("</ul></nav>\n");
    Some(())
}

/// `cross_level.html`: one level number in every track.
fn cross_level(w: &mut W, c: Obj, columns: &[Column]) -> Option<()> {
    w.s("\n<h1>Level ");
    w.v(c.get("number"))?;
    w.s(" in every track</h1>\n<nav class=\"level-nav no-print\" aria-label=\"Levels\">");
    if c.is("prev") {
        let p = c.obj("prev")?;
        w.s("<a rel=\"prev\" href=\"");
        w.href(c, p.get("url"))?;
        w.s("\">← Level ");
        w.v(p.get("number"))?;
        w.s("</a>");
    }
    if c.is("next") {
        let n = c.obj("next")?;
        w.s("<a rel=\"next\" href=\"");
        w.href(c, n.get("url"))?;
        w.s("\">Level ");
        w.v(n.get("number"))?;
        w.s(" →</a>");
    }
    w.s("\n</nav>\n<div class=\"cross-columns\">");
    for (k, col) in columns.iter().enumerate() {
        let (track_title, _) = col.track.as_ref()?;
        w.s("\n<section class=\"cross-column\" aria-labelledby=\"cross-");
        w.num(k + 1);
        w.s("\">\n  <h2 id=\"cross-");
        w.num(k + 1);
        w.s("\">");
        w.link_to(&col.url, track_title);
        w.s("</h2>\n  <p class=\"role\">");
        w.text(&col.heading);
        w.s("</p>");
        if let Some(summary) = col.summary.as_ref().filter(|s| !s.html().is_empty()) {
            w.s("<div class=\"summary\">");
            w.html(summary.html());
            w.s("</div>");
        }
        for row in &col.rows {
            if !row.items.is_empty() {
                w.s("\n  <h3>");
                w.text(&row.title);
                w.s("</h3>\n  <ul class=\"cell-list\">");
                for e in &row.items {
                    w.s("<li>");
                    w.html(e.text.html());
                    w.s(" <a class=\"permalink no-print\" href=\"");
                    w.item_href(e);
                    w.s("\" aria-label=\"Open on the level page\">↗</a></li>");
                }
                w.s("</ul>");
            }
        }
        anti_patterns(w, &col.anti_patterns)?;
        w.s("\n</section>");
    }
    w.s("\n</div>\n");
    Some(())
}
