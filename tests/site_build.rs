//! Building real sites: the example handbook, the seeds, `rungs init`, and
//! the foundation features a reader sees (links, .txt sources, code,
//! assets, sitemap).

mod common;
use common::*;

#[test]
fn example_handbook_builds_and_every_link_resolves() {
    let out = tempfile::tempdir().unwrap();
    let report = build(&repo(), out.path());
    assert!(report.pages >= 10, "pages: {}", report.pages);
    let broken = broken_links(out.path());
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    // The home page lists the ladders and links each one.
    let home = page(out.path(), "index.html");
    let links = texts(&home, "main a");
    assert!(
        links.iter().any(|t| t == "Backend Engineering"),
        "{links:?}"
    );
    // Build output never contains the repository's own files.
    assert!(!out.path().join("target").exists());
    assert!(!out.path().join("src").exists());
}

#[test]
fn seeds_build_as_they_are() {
    let Some(seeds) = seeds() else { return };
    let out = tempfile::tempdir().unwrap();
    let o = rungs(
        &[
            "build",
            seeds.to_str().unwrap(),
            "--out",
            out.path().to_str().unwrap(),
        ],
        &repo(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("built "), "{}", stdout(&o));
    // Each document renders as a page; a `.txt` source is read as markdown.
    let mut titles = Vec::new();
    for entry in std::fs::read_dir(out.path()).unwrap() {
        let p = entry.unwrap().path().join("index.html");
        if p.is_file() {
            titles.extend(texts(&page(p.parent().unwrap(), "index.html"), "h1"));
        }
    }
    assert!(
        titles.iter().any(|t| t == "Level Ladders at Ockam"),
        "{titles:?}"
    );
    assert!(
        titles.iter().any(|t| t == "Platform Engineering & DevOps"),
        "{titles:?}"
    );
    let broken = broken_links(out.path());
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn txt_sources_code_highlighting_assets_and_junk_files() {
    let dir = site(&[
        ("notes.txt", "# Wiki export\n\nPlain *text* from a wiki, with a [link](guide.md#setup).\n"),
        (
            "guide.md",
            "---\ntitle: Guide\n---\n\n## Setup\n\n```rust\nfn main() { println!(\"hi\"); }\n```\n\n![diagram](img/d.png)\n\n> [!WARNING]\n> Mind the gap.\n\n- [x] done\n- [ ] todo\n\nA footnote[^1].\n\n[^1]: The note.\n",
        ),
        ("img/d.png", "PNG"),
        (".hidden.md", "# Hidden\n"),
        ("guide.md~", "# Backup\n"),
        (".guide.md.swp", "swap"),
        ("4913", "vim probe"),
    ]);
    let out = dir.path().join("public");
    build(dir.path(), &out);
    let notes = page(&out, "notes/index.html");
    assert_eq!(texts(&notes, "h1"), vec!["Wiki export"]);
    assert_eq!(texts(&notes, "em"), vec!["text"]);
    let a = texts(&notes, "main a[href='../guide/index.html#setup']");
    assert_eq!(a, vec!["link"]);

    let guide = page(&out, "guide/index.html");
    assert!(
        !texts(&guide, "pre code span[class^='hl-']").is_empty(),
        "code is highlighted into classes"
    );
    assert_eq!(texts(&guide, "h2#setup"), vec!["Setup"]);
    assert_eq!(
        texts(&guide, ".alert-warning[role=note] .alert-title"),
        vec!["Warning"]
    );
    assert_eq!(texts(&guide, "input[type=checkbox]").len(), 2);
    assert!(
        !texts(&guide, ".footnote-definition, [id^='fn'], .footnotes").is_empty()
            || std::fs::read_to_string(out.join("guide/index.html"))
                .unwrap()
                .contains("footnote")
    );
    assert_eq!(std::fs::read(out.join("img/d.png")).unwrap(), b"PNG");
    assert!(!out.join("hidden").exists());
    assert!(!out.join("4913").exists());
    assert!(!out.join(".guide.md.swp").exists());
    assert!(broken_links(&out).is_empty(), "{:?}", broken_links(&out));
    // The site's own output folder is never read back as content.
    build(dir.path(), &out);
    assert!(!out.join("public").exists());
}

#[test]
fn sitemap_uses_base_url_and_pages_stay_relative() {
    let dir = site(&[
        (
            "rungs.yml",
            "title: T\nbase_url: https://example.com/ladders\n",
        ),
        ("content/a/b.md", "# B\n\n[home](../_index.md)\n"),
        ("content/_index.md", "# Home\n"),
    ]);
    let out = dir.path().join("public");
    build(dir.path(), &out);
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://example.com/ladders/a/b/</loc>"),
        "{sitemap}"
    );
    let html = std::fs::read_to_string(out.join("a/b/index.html")).unwrap();
    assert!(html.contains("href=\"../../index.html\""), "{html}");
    assert!(out.join("404.html").is_file());
    assert!(broken_links(&out).is_empty(), "{:?}", broken_links(&out));
}

#[test]
fn init_writes_a_handbook_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("handbook");
    let o = rungs(&["init", target.to_str().unwrap()], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(target.join("rungs.yml").is_file());
    let o = rungs(&["build", target.to_str().unwrap(), "--quiet"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).is_empty(),
        "--quiet prints nothing: {}",
        stdout(&o)
    );
    assert!(target.join("public/index.html").is_file());
    assert!(broken_links(&target.join("public")).is_empty());
    // A second init refuses to overwrite.
    let o = rungs(&["init", target.to_str().unwrap()], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
}

#[test]
fn template_and_asset_overrides_apply_by_name() {
    let dir = site(&[
        ("rungs.yml", "theme: house\n"),
        ("content/a.md", "# A page\n\nBody.\n"),
        (
            "themes/house/templates/page.html",
            "{% extends \"base.html\" %}{% block main %}<h1 class=\"house\">{{ page.title }}</h1>{{ content | safe }}{% endblock main %}",
        ),
        ("themes/house/static/style.css", "body { color: rebeccapurple; }"),
    ]);
    let out = dir.path().join("public");
    build(dir.path(), &out);
    let p = page(&out, "a/index.html");
    assert_eq!(texts(&p, "h1.house"), vec!["A page"]);
    let css: Vec<_> = std::fs::read_dir(out.join("assets"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".css"))
        .collect();
    assert_eq!(css.len(), 1);
    assert!(std::fs::read_to_string(&css[0])
        .unwrap()
        .contains("rebeccapurple"));
    assert!(broken_links(&out).is_empty());
}

/// The ladder pages, which rungs renders without interpreting the default
/// theme's templates, follow a site's override of the page's template, of
/// `base.html` or of `macros.html` (the expectation's markup).
#[test]
fn template_overrides_apply_to_ladder_pages() {
    let default = |name: &str| {
        std::fs::read_to_string(repo().join("themes/default/templates").join(name)).unwrap()
    };
    let ladder = "# Backend\n\n## Level 1\n\n- Ships small changes.\n\n## Level 2\n\n- Ships small changes safely.\n- Reviews designs.\n";
    let macros = default("macros.html").replace(
        "<div class=\"expectation-text\">",
        "<div class=\"expectation-text house-expectation\">",
    );
    let base = default("base.html").replace("Built with rungs", "Built by the house");
    let level = "{% extends \"base.html\" %}{% block main %}<h1 class=\"house-level\">{{ level.heading }}</h1>{% for g in groups %}{% for e in g.items %}<p class=\"house-item\">{{ e.text }}</p>{% endfor %}{% endfor %}{% endblock main %}";
    for (name, text) in [
        ("macros.html", macros.as_str()),
        ("base.html", base.as_str()),
        ("level.html", level),
    ] {
        let theme = format!("themes/house/templates/{name}");
        let dir = site(&[
            ("rungs.yml", "theme: house\n"),
            ("content/backend.md", ladder),
            (&theme, text),
        ]);
        let out = dir.path().join("public");
        build(dir.path(), &out);
        let p = page(&out, "tracks/backend/level-2/index.html");
        let pair = page(&out, "tracks/backend/compare/1-2/index.html");
        match name {
            "macros.html" => {
                assert_eq!(texts(&p, ".house-expectation").len(), 2, "{name}");
            }
            "base.html" => {
                for doc in [&p, &pair] {
                    assert_eq!(
                        texts(doc, ".site-footer p"),
                        ["Built by the house"],
                        "{name}"
                    );
                }
            }
            _ => {
                assert_eq!(texts(&p, "h1.house-level"), ["Level 2"]);
                assert_eq!(
                    texts(&p, "p.house-item"),
                    ["Ships small changes safely.", "Reviews designs."]
                );
                // Other ladder pages keep the default templates.
                assert_eq!(texts(&pair, "h1"), ["Level 1 and level 2 · Backend"]);
            }
        }
        if name != "level.html" {
            // (The short level.html has no anchors for the expectations.)
            assert!(broken_links(&out).is_empty(), "{name}");
        }
    }
}

/// A `Session` rebuild rewrites only the files whose bytes changed and
/// removes the ones that are gone; a failed build writes nothing.
#[cfg(unix)]
#[test]
fn session_rebuilds_write_only_what_changed() {
    use std::os::unix::fs::MetadataExt;
    let dir = site(&[
        ("rungs.yml", "title: Session\n"),
        ("content/_index.md", "---\ntitle: Home\n---\nHome\n"),
        ("content/a.md", "---\ntitle: A\n---\nAlpha one\n"),
        ("content/b.md", "---\ntitle: B\n---\nBeta\n"),
        ("content/c.md", "---\ntitle: C\n---\nGamma\n"),
    ]);
    let out = tempfile::tempdir().unwrap();
    let opts = rungs::BuildOptions {
        path: dir.path().to_path_buf(),
        out: Some(out.path().join("public")),
        base_url: None,
    };
    let mut s = rungs::Session::new();
    let (_, first) = s.build(&opts).unwrap();
    assert!(first.written > 0);
    let ino = |rel: &str| {
        std::fs::metadata(out.path().join("public").join(rel))
            .unwrap()
            .ino()
    };
    let b = ino("b/index.html");
    let (_, same) = s.build(&opts).unwrap();
    assert_eq!((same.written, same.removed), (0, 0), "{same:?}");
    std::fs::write(
        dir.path().join("content/a.md"),
        "---\ntitle: A\n---\nAlpha two\n",
    )
    .unwrap();
    std::fs::remove_file(dir.path().join("content/c.md")).unwrap();
    let (_, w) = s.build(&opts).unwrap();
    assert!(w.written >= 1 && w.removed >= 1, "{w:?}");
    let a = std::fs::read_to_string(out.path().join("public/a/index.html")).unwrap();
    assert!(a.contains("Alpha two"));
    assert!(!out.path().join("public/c").exists());
    assert_eq!(ino("b/index.html"), b, "an unchanged page was rewritten");
    // A broken edit fails before writing anything.
    std::fs::write(dir.path().join("content/a.md"), "---\ntitle: [x\n---\n").unwrap();
    assert!(s.build(&opts).is_err());
    let a2 = std::fs::read_to_string(out.path().join("public/a/index.html")).unwrap();
    assert_eq!(a, a2);
}

/// A link or image written in a ladder's text leads where it leads from
/// its document, on every ladder page that shows the text (level,
/// comparison, dimension, matrix, cross-track), in a cold build and after
/// an edit under `rungs serve`'s incremental builds.
#[test]
fn links_in_ladder_texts_resolve_on_every_ladder_page() {
    let ladder = |extra: &str| {
        format!(
            "# Backend\n\n## Level 1\n\n### Delivery\n\n- Ships small changes.\n- Follows the [design guide](../guides/design.md#template) and the [guides](../guides/).\n\n## Level 2\n\n### Delivery\n\n- Ships small changes safely.\n- Writes designs with the [design guide](../guides/design.md#template), drawn like ![flow](img/flow.png).{extra}\n"
        )
    };
    let dir = site(&[
        ("rungs.yml", "title: Links\n"),
        ("content/ladders/backend.md", &ladder("")),
        (
            "content/ladders/frontend.md",
            "# Frontend\n\n## Level 1\n\n- Reads the [design guide](../guides/design.md).\n\n## Level 2\n\n- Builds components.\n",
        ),
        ("content/ladders/img/flow.png", "PNG"),
        ("content/guides/_index.md", "# Guides\n\nHow we work.\n"),
        (
            "content/guides/design.md",
            "# Design guide\n\n## Template\n\nUse it.\n",
        ),
    ]);
    let out = tempfile::tempdir().unwrap();
    build(dir.path(), out.path());
    let broken = broken_links(out.path());
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    let hrefs = |rel: &str| -> Vec<String> {
        let doc = page(out.path(), rel);
        let sel = scraper::Selector::parse("main a[href], main img[src]").unwrap();
        doc.select(&sel)
            .filter_map(|e| e.value().attr("href").or(e.value().attr("src")))
            .map(String::from)
            .collect()
    };
    let level = hrefs("tracks/backend/level-2/index.html");
    assert!(
        level.contains(&"../../../guides/design/index.html#template".to_string()),
        "{level:?}"
    );
    assert!(
        level.contains(&"../../../ladders/img/flow.png".to_string()),
        "{level:?}"
    );
    for rel in [
        "tracks/backend/compare/1-2/index.html",
        "tracks/backend/index.html",
        "levels/2/index.html",
    ] {
        assert!(
            hrefs(rel)
                .iter()
                .any(|h| h.ends_with("guides/design/index.html#template")),
            "{rel}: {:?}",
            hrefs(rel)
        );
    }
    let guides = hrefs("tracks/backend/level-1/index.html");
    assert!(
        guides.contains(&"../../../guides/index.html".to_string()),
        "{guides:?}"
    );
}
