//! rungs: a static site generator for engineering career ladders.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! config     rungs.yml → Config, SiteLayout
//! source     walk the content tree, read files, split frontmatter
//! site       plan pages, URLs and links; render markdown
//! render     tera templates, syntax highlighting
//! output     write to a staging folder, swap it in on success
//! ```
//!
//! [`build`] runs it all; `main.rs` is a thin CLI over it. [`serve`] holds
//! `rungs serve` and `rungs watch`, which call [`build`] on every change.

pub mod config;
pub mod diagnostics;
pub mod incremental;
pub mod init;
pub mod ladder;
pub mod output;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod source;
pub mod words;
pub mod yaml;

use diagnostics::{Diagnostics, Error, Result};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What to build and where.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Site root or plain folder of ladder files.
    pub path: PathBuf,
    /// Output folder; default `<path>/<config.output>`.
    pub out: Option<PathBuf>,
    /// Overrides `base_url` from the config.
    pub base_url: Option<String>,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub output: PathBuf,
    pub pages: usize,
    pub assets: usize,
    pub warnings: Vec<diagnostics::Diagnostic>,
    pub elapsed: Duration,
}

/// Everything read from disk, before any output is planned.
pub struct Loaded {
    pub layout: config::SiteLayout,
    pub docs: Vec<source::SourceDoc>,
    pub assets: Vec<source::SourceFile>,
    pub diags: Diagnostics,
}

/// What reading one source file gave: its document (`None`: nothing to
/// render, or data to copy as it is) and the warnings seen.
pub type ReadResult = (Result<Option<source::SourceDoc>>, Diagnostics);

/// Read one markdown or data file of the content tree.
pub fn read_source(f: &source::SourceFile) -> ReadResult {
    let mut d = Diagnostics::default();
    let r = match f.kind {
        source::SourceKind::Data => source::read_data(f, &mut d),
        _ => source::read_doc(f, &mut d),
    };
    (r, d)
}

/// Resolve the site and read every source file.
pub fn load(opts: &BuildOptions) -> Result<Loaded> {
    load_with(opts, &read_source)
}

/// [`load`], reading each file with `read` (which must answer what
/// [`read_source`] would; `rungs serve` remembers unchanged files).
pub fn load_with(
    opts: &BuildOptions,
    read: &(dyn Fn(&source::SourceFile) -> ReadResult + Sync),
) -> Result<Loaded> {
    load_listed(opts, &list_sources, read)
}

/// The files of a site's content tree ([`source::discover`]).
pub fn list_sources(layout: &config::SiteLayout) -> Result<Vec<source::SourceFile>> {
    source::discover(
        &layout.content,
        &layout.output,
        &layout.config.markdown_extensions,
        &layout.config.ignore,
    )
}

/// [`load_with`], the content tree's files given by `list` (which must
/// answer what [`list_sources`] would; `rungs serve` remembers them while
/// no file is added or removed).
pub(crate) fn load_listed(
    opts: &BuildOptions,
    list: &dyn Fn(&config::SiteLayout) -> Result<Vec<source::SourceFile>>,
    read: &(dyn Fn(&source::SourceFile) -> ReadResult + Sync),
) -> Result<Loaded> {
    let mut layout = config::SiteLayout::resolve(&opts.path, opts.out.as_deref())?;
    if let Some(url) = &opts.base_url {
        layout.config.base_url = Some(url.clone());
    }
    let files = list(&layout)?;
    // rungs.yml is configuration, never content, even when `content: .`
    // puts it inside the content tree.
    let config_file = layout
        .config_path
        .as_ref()
        .and_then(|p| std::fs::canonicalize(p).ok());
    let files: Vec<_> = files
        .into_iter()
        .filter(|f| {
            f.kind != source::SourceKind::Data
                || config_file.is_none()
                || std::fs::canonicalize(&f.path).ok() != config_file
        })
        .collect();
    let (md, mut assets): (Vec<_>, Vec<_>) = files
        .into_iter()
        .partition(|f| f.kind != source::SourceKind::Asset);
    let results: Vec<ReadResult> = md.par_iter().map(read).collect();
    let mut diags = Diagnostics::default();
    let mut errors = Vec::new();
    let mut docs = Vec::new();
    for (f, (r, d)) in md.into_iter().zip(results) {
        diags.extend(d);
        match r {
            Ok(Some(doc)) => docs.push(doc),
            // A data file that holds no ladder is copied as it is.
            Ok(None) if f.kind == source::SourceKind::Data => assets.push(f),
            Ok(None) => {}
            Err(e) => errors.extend(e.diagnostics),
        }
    }
    assets.sort_by(|a, b| a.rel.cmp(&b.rel));
    if !errors.is_empty() {
        errors.extend(diags.into_vec());
        return Err(Error {
            diagnostics: errors,
        });
    }
    Ok(Loaded {
        layout,
        docs,
        assets,
        diags,
    })
}

/// What to export and how.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Site root or plain folder of ladder files.
    pub path: PathBuf,
    pub format: ExportFormat,
}

/// Export formats.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ExportFormat {
    /// The handbook model as pretty-printed JSON (see docs/model-schema.md).
    #[default]
    Json,
}

/// An export: the serialised model and the warnings seen making it.
#[derive(Debug)]
pub struct Export {
    pub text: String,
    pub warnings: Vec<diagnostics::Diagnostic>,
}

/// Read the content, recognise the ladder model and serialise it.
pub fn export(opts: &ExportOptions) -> Result<Export> {
    let Loaded {
        docs, mut diags, ..
    } = load(&BuildOptions {
        path: opts.path.clone(),
        ..BuildOptions::default()
    })?;
    let docs: Vec<_> = docs.into_iter().filter(|d| !d.frontmatter.draft).collect();
    let handbook = ladder::recognise(&docs, &mut diags);
    let text = match opts.format {
        ExportFormat::Json => serde_json::to_string_pretty(&handbook).map_err(|e| {
            Error::new(diagnostics::Diagnostic::error(format!(
                "could not serialise the model: {e}"
            )))
        })?,
    };
    diags.sort();
    Ok(Export {
        text: text + "\n",
        warnings: diags.into_vec(),
    })
}

/// Build the site. On any error the previous output is left untouched.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    mem_lap("start");
    // Pages are written to the staging folder as they are rendered and
    // dropped at once; a failed build drops the staging folder unseen.
    let layout = config::SiteLayout::resolve(&opts.path, opts.out.as_deref())?;
    let staging = output::Staging::create(&layout.output)?;
    let r = render_site(opts, None, Some(&staging))?;
    r.files.par_iter().try_for_each(|(url, f)| match f {
        OutFile::Bytes(b) => staging.write(url, b),
        OutFile::Copy(path) => staging.copy(url, path),
    })?;
    mem_lap("files");
    staging.commit()?;
    mem_lap("commit");
    Ok(r.report(start))
}

/// One file of the built site, before it is written.
enum OutFile {
    Bytes(Vec<u8>),
    /// A source file copied as it is.
    Copy(PathBuf),
}

impl OutFile {
    fn bytes(&self) -> Result<std::borrow::Cow<'_, [u8]>> {
        match self {
            OutFile::Bytes(b) => Ok(std::borrow::Cow::Borrowed(b)),
            OutFile::Copy(p) => std::fs::read(p)
                .map(std::borrow::Cow::Owned)
                .map_err(|e| diagnostics::Error::io(p, "read", e)),
        }
    }
}

/// The whole site rendered in memory: nothing written yet.
struct RenderedSite {
    layout: config::SiteLayout,
    files: Vec<(String, OutFile)>,
    pages: usize,
    assets: usize,
    diags: diagnostics::Diagnostics,
}

impl RenderedSite {
    fn report(self, start: Instant) -> BuildReport {
        let mut diags = self.diags;
        diags.sort();
        BuildReport {
            output: self.layout.output.clone(),
            pages: self.pages,
            assets: self.assets,
            warnings: diags.into_vec(),
            elapsed: start.elapsed(),
        }
    }
}

/// The theme's files and the renderer compiled from them, kept between
/// rebuilds so that an unchanged theme is not compiled again.
/// Output address → length and hash of what was written there.
type OutputHashes = rustc_hash::FxHashMap<String, (usize, u64)>;

type CachedRenderer = (render::theme::ThemeFiles, std::sync::Arc<render::Renderer>);

/// The site's theme compiled; `cache`, when given, supplies (and keeps)
/// the renderer of an unchanged theme.
fn theme_renderer(
    layout: &config::SiteLayout,
    cache: Option<&mut Option<CachedRenderer>>,
) -> Result<std::sync::Arc<render::Renderer>> {
    let theme = render::theme::ThemeFiles::load(layout.theme_dir.as_deref(), &layout.config.theme)?;
    Ok(match cache {
        Some(slot) => match slot {
            Some((files, r)) if *files == theme => std::sync::Arc::clone(r),
            _ => {
                let r = std::sync::Arc::new(render::Renderer::new(theme.clone())?);
                *slot = Some((theme, std::sync::Arc::clone(&r)));
                r
            }
        },
        None => std::sync::Arc::new(render::Renderer::new(theme)?),
    })
}

/// Render what recognition normalised (banner rules as section breaks);
/// it keeps every byte offset, so lines still map to the source. The
/// normalised body moves into the document (planning reads only the
/// views' spans).
fn apply_views(
    docs: Vec<source::SourceDoc>,
    views: &mut std::collections::HashMap<String, ladder::DocView>,
) -> Vec<source::SourceDoc> {
    docs.into_iter()
        .map(|mut d| {
            if let Some(v) = views.get_mut(&*d.rel) {
                d.body = std::sync::Arc::clone(&v.body);
            }
            // Recognition's line index goes (made again if a page warns).
            d.line_starts = source::LineStarts::default();
            d
        })
        .collect()
}

/// The template context of the page at `url`: the site's `base` data, the
/// page's way to the root (and canonical address), and its own `data`
/// (moved in, not copied).
fn page_context(
    base: &serde_json::Map<String, serde_json::Value>,
    url: &str,
    data: serde_json::Map<String, serde_json::Value>,
    canonical_base: Option<&str>,
) -> render::PageContext {
    let mut ctx = base.clone();
    ctx.insert("root".into(), page_root(url, canonical_base).into());
    if let Some(b) = canonical_base {
        ctx.insert(
            "canonical".into(),
            format!("{b}{}", site::urls::pretty(url)).into(),
        );
    }
    ctx.extend(data);
    ctx
}

/// The way from the page at `url` to the site root (absolute for the 404
/// page, which is served at any depth).
fn page_root(url: &str, canonical_base: Option<&str>) -> String {
    if url == "404.html" {
        canonical_base.unwrap_or_default().to_string()
    } else {
        site::urls::root_prefix(url)
    }
}

/// Drop `t` on a thread of its own, so that nothing waits for it. A
/// process that exits first does not free it at all, as the system takes
/// its memory back anyway.
fn drop_later<T: Send + 'static>(t: T) {
    // With no thread to be had, `t` is freed here, as it would have been.
    let _ = std::thread::Builder::new()
        .name("rungs-drop".into())
        .spawn(move || drop(t));
}

/// Pages rendered by [`render_site`], in order.
#[derive(Default)]
struct Rendered {
    pages: usize,
    sitemap_urls: Vec<String>,
    /// The pages, when not streamed.
    files: Vec<(String, OutFile)>,
    /// The search sections of the document pages.
    sections: Vec<std::sync::Arc<[search::PageSection]>>,
}

/// The document branch of [`render_site`]: the site, its rendered
/// document pages, and the search index's files when not streamed.
type DocumentsDone = (site::Site, Rendered, Vec<(String, String)>);

/// Load, recognise, plan and render every page into memory. `cache`, when
/// given, supplies (and keeps) the renderer of an unchanged theme.
///
/// With `stream`, each page is written there as soon as it is rendered and
/// left out of the returned files (which then hold the rest: assets, search
/// index, sitemap), so that the rendered site is never all in memory.
fn render_site(
    opts: &BuildOptions,
    cache: Option<&mut Option<CachedRenderer>>,
    stream: Option<&output::Staging>,
) -> Result<RenderedSite> {
    let Loaded {
        layout,
        docs,
        assets,
        mut diags,
    } = load(opts)?;
    mem_lap("load");
    // The theme compiles (tens of milliseconds of template parsing) while
    // the documents are recognised.
    let (renderer, (mut handbook, mut views)) = rayon::join(
        || theme_renderer(&layout, cache),
        || ladder::recognise_all(&docs, &mut diags),
    );
    let renderer = renderer?;
    mem_lap("recognise");
    let docs = apply_views(docs, &mut views);

    // What the ladder pages need of the documents is known before any
    // document page is rendered: the ladder pages are made alongside the
    // document pages and the search index (which needs only the document
    // pages), so that the cores one leaves idle (a batch finishing, the
    // index's serial merges) the other uses.
    let extras = site::ladder_extras(&layout, &docs, &assets, &handbook, &views, &site::Cold);
    // The paths in ladder texts are rebased for the ladder pages where
    // they are: search reads the texts, and document pages their titles.
    site::ladder_pages::rebase_paths_in_place(&mut handbook, &extras.links);
    let base = base_context_with(&layout, &renderer, &site::nav(&docs));
    let canonical_base = layout.config.base_url_normalised();
    // The search index holds the sections of document pages, taken from
    // each page as it is rendered.
    let ladder_sources = search_ladder_sources(&handbook);
    // Render a batch of planned pages in parallel into `to`; each page's
    // data is dropped as soon as it is rendered, and its HTML once written.
    let render = |pages: Vec<site::PageOut>, to: &mut Rendered| -> Result<()> {
        to.pages += pages.len();
        to.sitemap_urls
            .extend(pages.iter().filter(|p| p.in_sitemap).map(|p| p.url.clone()));
        let rendered: Vec<(Option<std::sync::Arc<[search::PageSection]>>, Option<_>)> = pages
            .into_par_iter()
            .map(|p| -> Result<_> {
                let secs = page_search_sections(&ladder_sources, &p, &p.data, &|u, t, h, b| {
                    search::page_sections(u, t, h, b).into()
                });
                // The page's data moves into the context (no copy).
                let ctx = page_context(&base, &p.url, p.data, canonical_base.as_deref());
                let html = renderer.render(p.template, ctx, p.lists.as_deref())?;
                match stream {
                    Some(staging) => {
                        staging.write(&p.url, html.as_bytes())?;
                        Ok((secs, None))
                    }
                    None => Ok((secs, Some((p.url, OutFile::Bytes(html.into_bytes()))))),
                }
            })
            .collect::<Result<_>>()?;
        for (secs, file) in rendered {
            to.sections.extend(secs);
            to.files.extend(file);
        }
        Ok(())
    };
    let documents = || -> Result<DocumentsDone> {
        let mut done = Rendered::default();
        // Document pages are planned, rendered and written a batch at a
        // time.
        let site = site::plan_documents_batches(
            &layout,
            &docs,
            &assets,
            &handbook,
            &mut diags,
            &site::Cold,
            &extras.links,
            &mut |b| render(b, &mut done),
        )?;
        drop(views);
        render(vec![search::search_page()], &mut done)?;
        mem_lap("documents");
        // RUNGS_TIMINGS=1 prints how long the search index took
        // (benchmarks).
        let search_start = Instant::now();
        // Ladder pages are not indexed as pages (their entries are), so
        // the index needs only the documents' pages, all rendered by now.
        // The documents' text is not needed any more; search needs only
        // the addresses of skill pages.
        let input = search::SearchInput {
            sections: std::mem::take(&mut done.sections),
            skill_urls: skill_urls(&handbook, &docs),
        };
        drop(docs);
        // Streaming, the index is written now, made a few tracks at a
        // time, rather than held to the end.
        let search_files = match stream {
            Some(staging) => {
                input.write_index(&handbook, &|rel, text| staging.write(&rel, text.as_bytes()))?;
                Vec::new()
            }
            None => input.index(&handbook).files(),
        };
        drop(input);
        if std::env::var_os("RUNGS_TIMINGS").is_some() {
            eprintln!(
                "timings: search index {:.3}s",
                search_start.elapsed().as_secs_f64(),
            );
        }
        mem_lap("search");
        Ok((site, done, search_files))
    };
    let ladder = || -> Result<Rendered> {
        let mut done = Rendered::default();
        site::ladder_pages::plan_rebased_batches(&handbook, &extras, &mut |b| {
            render(b, &mut done)
        })?;
        Ok(done)
    };
    let (documents, ladder) = rayon::join(documents, ladder);
    let (site, mut rendered, search_files) = documents?;
    let ladder = ladder?;
    // In the order of a build made one stage after the other.
    rendered.pages += ladder.pages;
    rendered.sitemap_urls.extend(ladder.sitemap_urls);
    rendered.files.extend(ladder.files);
    let Rendered {
        pages: page_count,
        sitemap_urls,
        mut files,
        ..
    } = rendered;
    mem_lap("ladder pages");
    let sitemap_text = sitemap(sitemap_urls, canonical_base.as_deref());
    files.extend(
        site.assets
            .iter()
            .map(|(rel, path)| (rel.clone(), OutFile::Copy(path.clone()))),
    );
    for asset in renderer.assets.values() {
        files.push((asset.url.clone(), OutFile::Bytes(asset.bytes.clone())));
    }
    for (rel, text) in search_files {
        files.push((rel, OutFile::Bytes(text.into_bytes())));
    }
    files.push((
        "sitemap.xml".into(),
        OutFile::Bytes(sitemap_text.into_bytes()),
    ));
    // The model is freed on another thread: in a large handbook that is
    // millions of allocations, which would be the build's serial tail.
    drop_later((handbook, extras));
    Ok(RenderedSite {
        pages: page_count,
        assets: site.assets.len() + renderer.assets.len(),
        layout,
        files,
        diags,
    })
}

/// Repeated builds of one site for `serve` and `watch`: what earlier
/// builds read, recognised, planned and rendered is remembered
/// ([`incremental`]), so that a rebuild redoes only what a change touches,
/// and the output of the last build is remembered (address → length and
/// hash), so that a rebuild writes only the files whose bytes changed and
/// removes only the files that are gone. The first build, and any build
/// after a failed write, goes through a staging folder like [`build`]. A
/// build that fails before writing (any source or template error) leaves
/// the output as it was.
#[derive(Default)]
pub struct Session {
    renderer: Option<CachedRenderer>,
    /// The output folder and the files the last build left in it, but
    /// its pages and sitemap, which `output` knows.
    written: Option<(PathBuf, OutputHashes)>,
    output: incremental::Output,
    memo: incremental::Memo,
}

impl Drop for Session {
    fn drop(&mut self) {
        incremental::settle(self);
    }
}

/// How many files a [`Session`] rebuild wrote and removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    pub written: usize,
    pub removed: usize,
    pub unchanged: usize,
}

impl Session {
    pub fn new() -> Session {
        Session::default()
    }

    /// Build, redoing and writing only what changed since this session's
    /// last build.
    pub fn build(&mut self, opts: &BuildOptions) -> Result<(BuildReport, Written)> {
        self.memo.changed(None);
        incremental::build(self, opts)
    }

    /// [`Session::build`] when `changed` (absolute paths, as a file
    /// watcher that was watching the site since before the last build
    /// began heard them) are the only files that changed since the last
    /// build: the build then neither walks the content tree again (unless
    /// a file was added or removed) nor looks at the files that did not
    /// change.
    pub fn build_after(
        &mut self,
        opts: &BuildOptions,
        changed: &[PathBuf],
    ) -> Result<(BuildReport, Written)> {
        self.memo.changed(Some(changed));
        incremental::build(self, opts)
    }

    /// Wait until the last build's output is complete (its search index
    /// is written after its pages).
    pub fn wait(&mut self) {
        incremental::settle(self);
    }

    /// The output folder's state is known: the last build wrote `out`
    /// and it is still there.
    fn knows(&self, out: &Path) -> bool {
        matches!(&self.written, Some((dir, _)) if dir == out && out.is_dir())
    }
}

/// Write the files whose hash changed (each through a temporary file
/// renamed over the old one, so a reader never sees half a file) and
/// remove the files that are gone.
fn update_in_place(
    out: &Path,
    files: &[(String, OutFile)],
    hashes: &OutputHashes,
    old: &OutputHashes,
) -> Result<Written> {
    let changed: Vec<&(String, OutFile)> = files
        .iter()
        .filter(|(url, _)| old.get(url) != hashes.get(url))
        .collect();
    write_files(out, &changed)?;
    let removed = remove_files(out, old.keys().filter(|u| !hashes.contains_key(*u)));
    Ok(Written {
        written: changed.len(),
        removed,
        unchanged: files.len() - changed.len(),
    })
}

/// Write `files` into `out`, each through a temporary file renamed over
/// the old one, so that a reader never sees half a file.
fn write_files<F: std::borrow::Borrow<(String, OutFile)> + Sync>(
    out: &Path,
    files: &[F],
) -> Result<usize> {
    files.par_iter().try_for_each(|f| -> Result<()> {
        let (url, f) = f.borrow();
        let path = out.join(url);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(|e| diagnostics::Error::io(p, "create", e))?;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = path.with_file_name(format!(".{name}.rungs-tmp-{}", std::process::id()));
        std::fs::write(&tmp, f.bytes()?).map_err(|e| diagnostics::Error::io(&tmp, "write", e))?;
        std::fs::rename(&tmp, &path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            diagnostics::Error::io(&path, "replace", e)
        })
    })?;
    Ok(files.len())
}

/// Remove the files at `urls` from `out`, and the folders they leave
/// empty; how many were there.
fn remove_files<'a>(out: &Path, urls: impl Iterator<Item = &'a String>) -> usize {
    let mut removed = 0;
    for url in urls {
        let path = out.join(url);
        if std::fs::remove_file(&path).is_ok() {
            removed += 1;
        }
        // Remove folders left empty, up to the output folder.
        let mut dir = path.parent();
        while let Some(d) = dir {
            if d == out || std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    removed
}

/// The search index of a planned site: the handbook, plus the headings of
/// document and skill pages.
pub fn search_index(
    handbook: &ladder::model::Handbook,
    docs: &[source::SourceDoc],
    site: &site::Site,
) -> search::SearchIndex {
    search_index_with(handbook, docs, site, &|u, t, h, b| {
        search::page_sections(u, t, h, b).into()
    })
}

/// The sections of a rendered page (see [`search::page_sections`]).
pub type PageSections<'a> =
    dyn Fn(&str, &str, &str, bool) -> std::sync::Arc<[search::PageSection]> + Sync + 'a;

/// [`search_index`], with each page's sections found by `page_sections`.
pub fn search_index_with(
    handbook: &ladder::model::Handbook,
    docs: &[source::SourceDoc],
    site: &site::Site,
    page_sections: &PageSections<'_>,
) -> search::SearchIndex {
    search_input(handbook, docs, site, page_sections, &|p| &p.data).index(handbook)
}

/// The data of a planned page; [`search_input`] reads a page's through it,
/// for a caller that keeps some pages' data apart.
pub type PageData<'a> =
    dyn Fn(&'a site::PageOut) -> &'a serde_json::Map<String, serde_json::Value> + Sync + 'a;

/// What the search index reads of a planned site besides the handbook:
/// the sections of its document and skill pages, and the skills' URLs.
pub fn search_input<'a>(
    handbook: &ladder::model::Handbook,
    docs: &[source::SourceDoc],
    site: &'a site::Site,
    page_sections: &PageSections<'_>,
    data_of: &PageData<'a>,
) -> search::SearchInput {
    let ladder_sources = search_ladder_sources(handbook);
    let sections: Vec<std::sync::Arc<[search::PageSection]>> = site
        .pages
        .par_iter()
        .filter_map(|p| page_search_sections(&ladder_sources, p, data_of(p), page_sections))
        .collect();
    search::SearchInput {
        sections,
        skill_urls: skill_urls(handbook, docs),
    }
}

/// Each skill's page URL, by its source file.
fn skill_urls(
    handbook: &ladder::model::Handbook,
    docs: &[source::SourceDoc],
) -> std::collections::HashMap<String, String> {
    handbook
        .skills
        .iter()
        .filter_map(|s| {
            Some((
                s.source.file.to_string(),
                skill_page_url(docs, &s.source.file)?,
            ))
        })
        .collect()
}

/// The documents whose pages are indexed only by their headings: those
/// of ladder sources (their entries are indexed on their own), including
/// every level file of a track written one file per level.
fn search_ladder_sources(handbook: &ladder::model::Handbook) -> std::collections::HashSet<&str> {
    handbook
        .tracks
        .iter()
        .flat_map(|t| {
            std::iter::once(&*t.source.file).chain(t.levels.iter().map(|l| &*l.source.file))
        })
        .collect()
}

/// The sections of the planned page `p` the search index holds: plain
/// pages with their body text; the pages of ladder and skill sources only
/// by their headings; no other page.
fn page_search_sections(
    ladder_sources: &std::collections::HashSet<&str>,
    p: &site::PageOut,
    data: &serde_json::Map<String, serde_json::Value>,
    page_sections: &PageSections<'_>,
) -> Option<std::sync::Arc<[search::PageSection]>> {
    let source = data.get("page").and_then(|v| v["source"].as_str());
    let body = match p.template {
        "page.html" => !source.is_some_and(|s| ladder_sources.contains(s)),
        "skill.html" => false,
        _ => return None,
    };
    if let (false, Some(outline)) = (body, &p.outline) {
        // The headings, as parsing the page's HTML would find them.
        let (url, title): (std::sync::Arc<str>, std::sync::Arc<str>) =
            (p.url.as_str().into(), p.title.as_str().into());
        let sections = outline.iter().map(|(id, text)| search::PageSection {
            page_url: url.clone(),
            page_title: title.clone(),
            heading: Some((id.clone(), text.clone())),
            text: String::new(),
        });
        return Some(sections.collect());
    }
    let html = data.get("content").and_then(|v| v.as_str())?;
    Some(page_sections(&p.url, &p.title, html, body))
}

/// The URL of the page of the document at `rel` (a skill's page).
fn skill_page_url(docs: &[source::SourceDoc], rel: &str) -> Option<String> {
    docs.iter()
        .find(|d| d.rel == rel.into())
        .map(|d| site::urls::doc_url(&d.rel, d.frontmatter.slug.as_deref()))
}

/// Template data every page has: the site, its assets and navigation.
fn base_context(
    layout: &config::SiteLayout,
    renderer: &render::Renderer,
    site: &site::Site,
) -> serde_json::Map<String, serde_json::Value> {
    base_context_with(layout, renderer, &site.nav)
}

/// [`base_context`] with the site's navigation `nav`.
fn base_context_with(
    layout: &config::SiteLayout,
    renderer: &render::Renderer,
    nav: &[site::Link],
) -> serde_json::Map<String, serde_json::Value> {
    let c = &layout.config;
    let mut ctx = serde_json::Map::new();
    ctx.insert(
        "site".into(),
        serde_json::json!({
            "title": c.title,
            "description": c.description,
            "language": c.language,
            "repository": c.repository,
            "base_url": c.base_url_normalised(),
        }),
    );
    ctx.insert("assets".into(), serde_json::json!(renderer.asset_urls()));
    ctx.insert("nav".into(), serde_json::json!(nav));
    ctx.insert("rungs_version".into(), env!("CARGO_PKG_VERSION").into());
    ctx
}

/// The sitemap of the pages at `urls` (in any order).
fn sitemap(mut urls: Vec<String>, base: Option<&str>) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    urls.sort();
    for u in urls {
        let loc = format!("{}{}", base.unwrap_or(""), site::urls::pretty(&u));
        s.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            render::highlight::escape_html(&loc)
        ));
    }
    s.push_str("</urlset>\n");
    s
}

/// `RUNGS_TIMINGS=1`: the resident and peak memory (Linux's
/// `/proc/self/status`) after a step of a cold build.
fn mem_lap(step: &str) {
    if std::env::var_os("RUNGS_TIMINGS").is_none() {
        return;
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |k: &str| {
        status
            .lines()
            .find(|l| l.starts_with(k))
            .map(|l| l[k.len()..].trim().to_string())
            .unwrap_or_default()
    };
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    let start = START.get_or_init(Instant::now);
    eprintln!(
        "mem: {step}: rss {} peak {} at {:.0} ms ({:.0} ms CPU)",
        field("VmRSS:"),
        field("VmHWM:"),
        start.elapsed().as_secs_f64() * 1e3,
        incremental::cpu_ns() as f64 / 1e6,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders `opts`' site natively and by Tera alone and checks that
    /// every file is the same; returns how many pages were native.
    fn native_matches_tera(opts: &BuildOptions) -> usize {
        let mut native = None;
        let Ok(a) = render_site(opts, Some(&mut native), None) else {
            return 0; // a site that does not build (tested elsewhere)
        };
        let (theme, r) = native.expect("the renderer is kept");
        let pages = r.native_pages();
        assert_eq!(r.native_misses(), 0, "native templates left pages to Tera");
        let tera = render::Renderer::new(theme.clone())
            .unwrap()
            .without_native();
        let mut slot = Some((theme, std::sync::Arc::new(tera)));
        let b = render_site(opts, Some(&mut slot), None).expect("builds by Tera too");
        assert_eq!(slot.unwrap().1.native_pages(), 0);
        let bytes = |site: RenderedSite| {
            let mut files: Vec<(String, Vec<u8>)> = site
                .files
                .into_iter()
                .filter_map(|(u, f)| match f {
                    OutFile::Bytes(b) => Some((u, b)),
                    OutFile::Copy(_) => None,
                })
                .collect();
            files.sort();
            files
        };
        let (a, b) = (bytes(a), bytes(b));
        assert_eq!(a.len(), b.len(), "{}", opts.path.display());
        for ((u, x), (v, y)) in a.iter().zip(&b) {
            assert_eq!(u, v);
            if x != y {
                let (x, y) = (String::from_utf8_lossy(x), String::from_utf8_lossy(y));
                let at = x.bytes().zip(y.bytes()).take_while(|(p, q)| p == q).count();
                let from = at.saturating_sub(200);
                panic!(
                    "{}: {u} differs at byte {at}\n--- native\n{}\n--- tera\n{}",
                    opts.path.display(),
                    x.get(from..(at + 200).min(x.len())).unwrap_or(&x),
                    y.get(from..(at + 200).min(y.len())).unwrap_or(&y),
                );
            }
        }
        pages
    }

    fn opts(path: PathBuf, base_url: Option<&str>) -> BuildOptions {
        BuildOptions {
            path,
            out: None,
            base_url: base_url.map(str::to_string),
        }
    }

    /// The default theme's ladder pages rendered without Tera are the
    /// bytes Tera renders from the templates: on the example handbook
    /// (also under a base URL), every fixture, the seeds when present,
    /// and a long generated track (windows, roles, anti-patterns,
    /// examples, notes).
    #[test]
    fn native_templates_match_tera() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut sites = vec![
            opts(repo.to_path_buf(), None),
            opts(repo.to_path_buf(), Some("https://example.com/hb/")),
        ];
        for entry in std::fs::read_dir(repo.join("tests/fixtures")).unwrap() {
            sites.push(opts(entry.unwrap().path(), None));
        }
        let seeds = repo.join("../shared/seeds");
        if seeds.is_dir() {
            sites.push(opts(seeds, None));
        }
        let long = long_track();
        sites.push(opts(long.path().to_path_buf(), None));
        let pages: Vec<usize> = sites.iter().map(native_matches_tera).collect();
        eprintln!("NATIVE {pages:?}");
        // The example's copy of the default theme counts as built in.
        assert!(pages[0] > 50 && pages[1] == pages[0], "{pages:?}");
        let all: usize = pages.iter().sum();
        assert!(all > 600, "only {all} pages were rendered natively");
        // The long track alone has every kind of native page.
        assert!(native_matches_tera(&opts(long.path().to_path_buf(), None)) > 60);
    }

    /// `RUNGS_DUMP_DIR=dir cargo test --lib dump_contexts -- --ignored`:
    /// each planned page's data as JSON, one file per page, for the sites
    /// of [`native_templates_match_tera`] (to compare two versions).
    #[test]
    #[ignore]
    fn dump_contexts() {
        let Some(dir) = std::env::var_os("RUNGS_DUMP_DIR") else {
            return;
        };
        let dir = PathBuf::from(dir);
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let long = long_track();
        let mut sites = vec![repo.to_path_buf(), long.path().to_path_buf()];
        for entry in std::fs::read_dir(repo.join("tests/fixtures")).unwrap() {
            sites.push(entry.unwrap().path());
        }
        sites.push(repo.join("../shared/seeds"));
        sites.push(PathBuf::from("/dev/shm/ident-h2050"));
        for (k, path) in sites.iter().enumerate() {
            let Ok(Loaded {
                layout,
                docs,
                assets,
                mut diags,
            }) = load(&opts(path.clone(), None))
            else {
                continue;
            };
            let (hb, mut views) = ladder::recognise_all(&docs, &mut diags);
            let docs = apply_views(docs, &mut views);
            let site = site::plan(&layout, &docs, &assets, &hb, &views, &mut diags);
            for p in site.pages {
                let name = format!("{k}-{}.json", p.url.replace('/', "_"));
                let json = serde_json::to_string_pretty(&p.json_data()).unwrap();
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(dir.join(name), json).unwrap();
            }
        }
    }

    /// A site of two 30-level tracks with roles, anti-patterns, examples,
    /// unchanged and reworded expectations and notes, and fourteen short
    /// ones.
    fn long_track() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write(
            "rungs.yml",
            "title: Long <Ladder>\ndescription: \"Levels & more\"\nrepository: https://example.com/repo\nedit_url: https://example.com/edit/\n",
        );
        for track in ["backend", "frontend"] {
            let mut doc = format!("# {track} ladder\n\nA track of \"many\" levels.\n\n");
            for n in 1..=30 {
                doc.push_str(&format!("## Level {n}: Engineer {}\n\n", n / 10 + 1));
                if n % 7 == 0 {
                    doc.push_str("Nothing new here.\n\n");
                    continue;
                }
                for (d, dim) in ["Delivery", "People & <Care>"].iter().enumerate() {
                    doc.push_str(&format!("### {dim}\n\n"));
                    for k in 0..3 {
                        let v = if k == 0 { 0 } else { n / (k + 1) };
                        doc.push_str(&format!(
                            "- Expectation {d}.{k} at stage {v}: ships *work* of scope {v}.\n"
                        ));
                    }
                    if n % 4 == 0 {
                        doc.push_str("  - For example: a `tool` at stage 4.\n");
                    }
                    doc.push('\n');
                }
                if n % 5 == 0 {
                    doc.push_str("### Anti-patterns\n\n- Hoards the work at this level.\n\n");
                }
            }
            doc.push_str("## Notes\n\nPromotion is a <b>conversation</b>.\n");
            write(&format!("content/{track}.md"), &doc);
        }
        // Fourteen short tracks, each in a folder of its own: more
        // sections than the header lists, and more tracks than a level
        // page lists (three more at level 1, one more at level 3).
        for k in 1..=14 {
            let mut doc = format!(
                "# Track {k}\n\n## Level 1\n\n- Learns the craft {k}.\n\n## Level 2\n\n- Practises the craft {k}.\n"
            );
            if k <= 12 {
                doc.push_str(&format!("\n## Level 3\n\n- Teaches the craft {k}.\n"));
            }
            write(&format!("content/t{k:02}/ladder.md"), &doc);
        }
        dir
    }
}
