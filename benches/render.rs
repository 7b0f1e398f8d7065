//! Rendering one page: a level page of a ladder through the default
//! theme's `level.html` (natively, as builds do, and by Tera), and the
//! markdown of one level document to HTML.
//!
//!     cargo bench --bench render
//!
//! Sites: the example handbook in content/, plus a generated 105-page
//! handbook when ../shared/bench/gen_handbook.py is there (see
//! benches/common/mod.rs). Setup (load, recognise, plan) is not timed.

mod common;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use rungs::diagnostics::Diagnostics;
use std::hint::black_box;
use std::sync::Mutex;

/// The template context of one page, as the build gives it.
fn context(
    p: &common::Planned,
    renderer: &rungs::render::Renderer,
    page: &rungs::site::PageOut,
) -> rungs::render::PageContext {
    let c = &p.layout.config;
    let mut ctx = rungs::render::PageContext::new();
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
    ctx.insert("nav".into(), serde_json::json!(p.site.nav));
    ctx.insert("rungs_version".into(), env!("CARGO_PKG_VERSION").into());
    ctx.insert(
        "root".into(),
        rungs::site::urls::root_prefix(&page.url).into(),
    );
    for (k, v) in &page.data {
        ctx.insert(k.clone(), v.clone());
    }
    ctx
}

fn render(c: &mut Criterion) {
    let mut group = c.benchmark_group("render");
    for p in common::sites() {
        let theme = rungs::render::theme::ThemeFiles::load(
            p.layout.theme_dir.as_deref(),
            &p.layout.config.theme,
        )
        .expect("theme");
        let renderer = rungs::render::Renderer::new(theme.clone()).expect("renderer");
        let tera = rungs::render::Renderer::new(theme)
            .expect("renderer")
            .without_native();

        // The middle level page of the site.
        let levels: Vec<_> = p
            .site
            .pages
            .iter()
            .filter(|pg| pg.template == "level.html")
            .collect();
        let page = levels[levels.len() / 2];
        let ctx = context(&p, &renderer, page);
        // The context is copied outside the timing (a build moves it in).
        for (how, r) in [("native", &renderer), ("tera", &tera)] {
            group.bench_function(format!("level_page/{how}/{}", p.name), |b| {
                b.iter_batched(
                    || ctx.clone(),
                    |ctx| {
                        black_box(
                            r.render(black_box(page.template), ctx, page.lists.as_deref())
                                .unwrap(),
                        )
                    },
                    BatchSize::SmallInput,
                )
            });
        }

        // The markdown of the largest document that holds a track.
        let doc = p
            .docs
            .iter()
            .filter(|d| p.handbook.tracks.iter().any(|t| *t.source.file == *d.rel))
            .max_by_key(|d| d.body.len())
            .expect("a ladder document");
        let urls: Vec<String> = p
            .docs
            .iter()
            .map(|d| rungs::site::urls::doc_url(&d.rel, d.frontmatter.slug.as_deref()))
            .collect();
        let links = rungs::site::LinkMap::new(&p.docs, &urls, &[]);
        let url = rungs::site::urls::doc_url(&doc.rel, doc.frontmatter.slug.as_deref());
        let title = rungs::site::doc_title(doc);
        let (body, shift) = rungs::site::page_body(doc, &title);
        let frag = rungs::site::Fragment {
            doc,
            page_url: &url,
            highlight: p.layout.config.highlight_code,
            heading_shift: shift,
            interactive_tasks: false,
        };
        group.bench_function(format!("level_markdown/{}", p.name), |b| {
            b.iter(|| {
                let diags = Mutex::new(Diagnostics::default());
                let mut slugs = rungs::slug::SlugSet::default();
                black_box(rungs::site::render_fragment(
                    black_box(&body),
                    &frag,
                    &links,
                    &mut slugs,
                    &diags,
                ))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
