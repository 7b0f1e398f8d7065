//! Rendering: markdown to HTML, highlighting, and tera templates.

pub mod highlight;
pub mod markdown;
pub mod native;
pub mod theme;

use crate::diagnostics::{Diagnostic, Error, Result};
use crate::site::ladder_data::Lists;
use std::collections::BTreeMap;
use theme::{Origin, ThemeFiles};

/// A theme's static file, as written to the output.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Output path relative to the site root (fingerprinted for css/js).
    pub url: String,
    pub bytes: Vec<u8>,
}

/// The tera environment and the theme's assets, loaded once per build.
pub struct Renderer {
    tera: tera::Tera,
    /// Where each template came from, and its text (to place errors).
    origins: BTreeMap<String, (Origin, String)>,
    /// Static files by their name in the theme (`style.css`).
    pub assets: BTreeMap<String, Asset>,
    /// The built-in templates rendered without Tera.
    native: native::Native,
    /// How many pages [`native`] rendered (the equivalence test checks
    /// that it rendered some).
    native_pages: std::sync::atomic::AtomicUsize,
    /// How many pages of a template [`native`] renders went to Tera
    /// instead (a context it could not read: the test checks there are
    /// none, so that it compares the native pages it means to).
    native_misses: std::sync::atomic::AtomicUsize,
}

/// A page's template context: the fields templates read (`page`, `site`,
/// `root`, ...).
pub type PageContext = serde_json::Map<String, serde_json::Value>;

/// Stands for the way from a page to the site root (its `root`) in HTML
/// that is the same on every page it appears on (ladder texts, whose
/// links and images [`crate::site::ladder_pages::rebase_paths`] rewrites);
/// rendering replaces it.
pub const ROOT_MARK: &str = "\u{E000}rungs-root\u{E000}";

/// Replace [`ROOT_MARK`] in every text of `ctx` with its `root`.
fn place_root(ctx: &mut PageContext) {
    fn walk(v: &mut serde_json::Value, root: &str) {
        match v {
            serde_json::Value::String(s) if s.contains(ROOT_MARK) => {
                *s = s.replace(ROOT_MARK, root)
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(|x| walk(x, root)),
            serde_json::Value::Object(o) => o.values_mut().for_each(|x| walk(x, root)),
            _ => {}
        }
    }
    let root = match ctx.get("root") {
        Some(serde_json::Value::String(r)) => r.clone(),
        _ => String::new(),
    };
    ctx.values_mut().for_each(|v| walk(v, &root));
}

/// FNV-1a, for stable asset fingerprints.
pub fn fingerprint(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{:08x}", h >> 32)
}

impl Renderer {
    pub fn new(files: ThemeFiles) -> Result<Renderer> {
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        // Autoescaping escapes the five characters that matter in HTML text
        // and quoted attributes; not `/` as Tera's own does (`&#x2F;`),
        // which made every relative link two and a half times as long.
        tera.set_escape_fn(highlight::escape_html);
        let native = native::Native::for_theme(&files);
        let mut origins = BTreeMap::new();
        let list: Vec<(String, String)> = files
            .templates
            .iter()
            .map(|(n, (t, _))| (n.clone(), t.clone()))
            .collect();
        for (n, (t, o)) in &files.templates {
            origins.insert(n.clone(), (o.clone(), t.clone()));
        }
        if let Err(e) = tera.add_raw_templates(list) {
            return Err(template_error(&e, &origins));
        }
        let mut assets = BTreeMap::new();
        for (name, (bytes, _)) in files.statics {
            let url = match name.rsplit_once('.') {
                Some((stem, ext)) if ext == "css" || ext == "js" => {
                    format!("assets/{stem}.{}.{ext}", fingerprint(&bytes))
                }
                _ => format!("assets/{name}"),
            };
            assets.insert(name, Asset { url, bytes });
        }
        Ok(Renderer {
            tera,
            origins,
            assets,
            native,
            native_pages: Default::default(),
            native_misses: Default::default(),
        })
    }

    /// Asset URLs by theme name, for templates.
    pub fn asset_urls(&self) -> BTreeMap<String, String> {
        self.assets
            .iter()
            .map(|(k, a)| (k.clone(), a.url.clone()))
            .collect()
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.origins.contains_key(name)
    }

    /// The page of `template` for `ctx`: the default theme's ladder pages
    /// are rendered natively ([`native`]), the rest by Tera.
    /// `lists`: a ladder page's typed lists, which templates see as fields.
    pub fn render(
        &self,
        template: &str,
        mut ctx: PageContext,
        lists: Option<&Lists>,
    ) -> Result<String> {
        if let Some(html) = self.native.render(template, &ctx, lists) {
            self.native_pages
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            return Ok(html);
        }
        if self.native.handles(template) {
            self.native_misses
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        if let Some(lists) = lists {
            lists.insert_json(&mut ctx);
        }
        self.render_with_tera(template, ctx)
    }

    /// This renderer with Tera for every template (to check [`native`]
    /// against).
    pub fn without_native(mut self) -> Renderer {
        self.native = native::Native::default();
        self
    }

    /// How many pages of a template rendered without Tera were rendered
    /// by Tera so far.
    pub fn native_misses(&self) -> usize {
        self.native_misses
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// How many pages were rendered without Tera so far.
    pub fn native_pages(&self) -> usize {
        self.native_pages.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// [`Renderer::render`] by Tera alone.
    fn render_with_tera(&self, template: &str, mut ctx: PageContext) -> Result<String> {
        place_root(&mut ctx);
        let ctx = tera::Context::from_value(serde_json::Value::Object(ctx))
            .expect("an object is a context");
        self.tera
            .render(template, &ctx)
            .map_err(|e| template_error(&e, &self.origins))
    }
}

/// A tera error as a diagnostic naming the template file and line.
fn template_error(e: &tera::Error, origins: &BTreeMap<String, (Origin, String)>) -> Error {
    let mut chain = vec![e.to_string()];
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        chain.push(s.to_string());
        src = s.source();
    }
    let full = chain.join(": ");
    // Which template: the first quoted name that is one of ours.
    let name = origins
        .keys()
        .filter(|n| full.contains(&format!("'{n}'")))
        .max_by_key(|n| full.find(&format!("'{n}'")).map(|p| usize::MAX - p))
        .cloned();
    let (mut line, mut col) = parse_line_col(&full);
    // pest's message: the line after its `= ` marker says what was expected.
    let message = match full.find("= expected") {
        Some(i) => {
            let head = full[..full.find("-->").unwrap_or(i)]
                .trim()
                .trim_end_matches(':');
            format!(
                "{head}: {}",
                full[i + 2..].lines().next().unwrap_or("").trim()
            )
        }
        None => full.replace('\n', " "),
    };
    let mut d = Diagnostic::error(format!("template error: {message}"))
        .hint("fix the template (tera syntax: https://keats.github.io/tera/docs/), or delete the override to use the default theme's");
    if let Some(n) = &name {
        let (o, text) = &origins[n];
        // Render errors carry no position: find the name they quote.
        if line == 0 {
            if let Some((l, c)) = locate_quoted(&full, n, text) {
                (line, col) = (l, c);
            }
        }
        d = d.at(std::path::PathBuf::from(o.describe(n)), line, col);
        d = d.with_source(text);
    }
    Error::new(d)
}

/// The first place in `text` where a name quoted in `msg` (`'x'` or
/// `` `x` ``, other than the template's own name) occurs.
fn locate_quoted(msg: &str, template: &str, text: &str) -> Option<(usize, usize)> {
    for q in ['\'', '`'] {
        for (i, part) in msg.split(q).enumerate() {
            if i % 2 == 1 && !part.is_empty() && part != template {
                if let Some(off) = text.find(part) {
                    let line = text[..off].matches('\n').count() + 1;
                    let col = off - text[..off].rfind('\n').map_or(0, |p| p + 1) + 1;
                    return Some((line, col));
                }
            }
        }
    }
    None
}

/// pest reports positions as ` --> L:C`.
fn parse_line_col(s: &str) -> (usize, usize) {
    if let Some(i) = s.find("--> ") {
        let rest = &s[i + 4..];
        let mut it = rest
            .split(|c: char| !c.is_ascii_digit())
            .filter(|x| !x.is_empty());
        let l = it.next().and_then(|x| x.parse().ok()).unwrap_or(0);
        let c = it.next().and_then(|x| x.parse().ok()).unwrap_or(0);
        return (l, c);
    }
    (0, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable() {
        assert_eq!(fingerprint(b"abc"), fingerprint(b"abc"));
        assert_ne!(fingerprint(b"abc"), fingerprint(b"abd"));
    }

    #[test]
    fn autoescape_escapes_the_five_html_characters() {
        let pieces = [
            "a",
            "&",
            "<",
            ">",
            "\"",
            "'",
            "/",
            "é",
            "ü<",
            "&amp;",
            " ",
            "\u{1F600}",
            "x/y",
        ];
        let mut seed = 3u64;
        for _ in 0..2000 {
            let mut s = String::new();
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let n = (seed >> 59) as usize;
            for k in 0..n {
                s.push_str(pieces[((seed >> (k % 50)) as usize + k) % pieces.len()]);
            }
            // Tera's escaping, but `/` kept and `'` as `&#39;`.
            let tera_like = tera::escape_html(&s)
                .replace("&#x2F;", "/")
                .replace("&#x27;", "&#39;");
            assert_eq!(highlight::escape_html(&s), tera_like, "{s:?}");
        }
        // And through a template.
        let mut files = ThemeFiles::load(None, "default").unwrap();
        files.templates.insert(
            "page.html".into(),
            ("{{ x }}".into(), Origin::Site("t/page.html".into())),
        );
        let r = Renderer::new(files).unwrap();
        let mut ctx = PageContext::new();
        ctx.insert("x".into(), "</a href='x/y'> & \"é\"".into());
        assert_eq!(
            r.render("page.html", ctx, None).unwrap(),
            "&lt;/a href=&#39;x/y&#39;&gt; &amp; &quot;é&quot;"
        );
    }

    #[test]
    fn template_syntax_errors_name_template_and_line() {
        let mut files = ThemeFiles::load(None, "default").unwrap();
        files.templates.insert(
            "page.html".into(),
            (
                "{% extends \"base.html\" %}\n{% block main %}\n{{ oops(\n{% endblock %}".into(),
                Origin::Site("mytheme/templates/page.html".into()),
            ),
        );
        let e = Renderer::new(files).err().unwrap();
        let d = &e.diagnostics[0];
        assert!(d.path.as_ref().unwrap().ends_with("page.html"), "{d}");
        assert!(d.line >= 3, "{d}");
    }
}
