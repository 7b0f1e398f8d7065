//! Pages made from the ladder model: a track matrix, a page per level,
//! level comparisons, one page per dimension, a cross-track page per level
//! number, and the home page's ladder at a glance.
//!
//! URLs (relative to the site root, each `…/index.html`):
//!
//! ```text
//! tracks/<track>/                      matrix: levels × dimensions, anti-patterns
//! tracks/<track>/level-<n>/            one level
//! tracks/<track>/compare/              any two levels (picker), all levels without JS
//! tracks/<track>/compare/<a>-<b>/      adjacent pairs, pre-rendered
//! tracks/<track>/dimensions/<dim>/     one dimension through every level
//! levels/<n>/                          level n in every track
//! ```

use super::changes::{classify, Change, Classified};
use super::PageOut;
use crate::ladder::model::{AntiPattern, Expectation, Handbook, Level, Track};
use rayon::prelude::*;
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

pub fn track_url(t: &Track) -> String {
    format!("tracks/{}/index.html", t.id)
}

pub fn level_url(t: &Track, n: u32) -> String {
    format!("tracks/{}/level-{n}/index.html", t.id)
}

pub fn compare_url(t: &Track) -> String {
    format!("tracks/{}/compare/index.html", t.id)
}

pub fn pair_url(t: &Track, a: u32, b: u32) -> String {
    format!("tracks/{}/compare/{a}-{b}/index.html", t.id)
}

pub fn dimension_url(t: &Track, dim: &str) -> String {
    format!("tracks/{}/dimensions/{dim}/index.html", t.id)
}

pub fn cross_level_url(n: u32) -> String {
    format!("levels/{n}/index.html")
}

/// Role titles covering level `n`, joined (`Principal Engineer`).
pub fn role_titles(t: &Track, n: u32) -> Vec<String> {
    t.roles
        .iter()
        .filter(|r| r.covers(n))
        .map(|r| r.title.clone())
        .collect()
}

/// "Level 5 · Principal Engineer", or "Level 5 · Staff" from the level's
/// own title, or "Level 5".
pub fn level_heading(t: &Track, l: &Level) -> String {
    let roles = role_titles(t, l.number);
    let name = if !roles.is_empty() {
        Some(roles.join(" / "))
    } else {
        l.title.clone()
    };
    match name {
        Some(n) => format!("Level {} · {n}", l.number),
        None => format!("Level {}", l.number),
    }
}

fn dimension_title(t: &Track, id: Option<&str>) -> Option<String> {
    let id = id?;
    t.dimensions
        .iter()
        .find(|d| d.id == id)
        .map(|d| d.title.clone())
}

/// Dimension ids of a track in order, with `None` (expectations written
/// straight under a level) first when any level has such.
fn dimension_order(t: &Track) -> Vec<Option<String>> {
    let mut out: Vec<Option<String>> = Vec::new();
    if t.levels
        .iter()
        .flat_map(|l| &l.expectations)
        .any(|e| e.dimension.is_none())
    {
        out.push(None);
    }
    out.extend(t.dimensions.iter().map(|d| Some(d.id.clone())));
    for e in t.levels.iter().flat_map(|l| &l.expectations) {
        if !out.contains(&e.dimension) {
            out.push(e.dimension.clone());
        }
    }
    out
}

fn expectation_json(e: &Expectation) -> Value {
    json!({
        "id": e.id,
        "html": e.text.html,
        "text": e.text.text,
        "examples": e.examples.iter().map(|x| x.html.clone()).collect::<Vec<_>>(),
        "line": e.source.line,
        "change": null,
        "diff_html": null,
    })
}

fn anti_pattern_json(a: &AntiPattern) -> Value {
    json!({
        "id": a.id,
        "label": a.label,
        "levels": a.levels,
        "html": a.text.html,
    })
}

fn crumbs(items: &[(&str, &str)]) -> Value {
    Value::Array(
        std::iter::once(json!({"title": "Home", "url": "index.html"}))
            .chain(items.iter().map(|(t, u)| json!({"title": t, "url": u})))
            .collect(),
    )
}

/// Expectations of one level grouped by dimension, in the track's order.
fn grouped<'a>(t: &'a Track, l: &'a Level) -> Vec<(Option<String>, Vec<&'a Expectation>)> {
    dimension_order(t)
        .into_iter()
        .map(|d| {
            let items: Vec<&Expectation> =
                l.expectations.iter().filter(|e| e.dimension == d).collect();
            (d, items)
        })
        .filter(|(_, items)| !items.is_empty())
        .collect()
}

fn page(
    url: String,
    template: &'static str,
    title: String,
    page: Value,
    extra: Map<String, Value>,
) -> PageOut {
    let mut data = extra;
    data.insert("page".into(), page);
    PageOut {
        url,
        template,
        title,
        in_sitemap: true,
        data,
    }
}

/// The level page of `l` in `t`, with what changed from the level below.
fn level_page(
    hb: &Handbook,
    t: &Track,
    i: usize,
    classes: &[Classified],
    edit_url: Option<&str>,
) -> PageOut {
    let l = &t.levels[i];
    let prev = i.checked_sub(1).map(|j| &t.levels[j]);
    let next = t.levels.get(i + 1);
    let url = level_url(t, l.number);
    let heading = level_heading(t, l);
    let class_of = |e: &Expectation| {
        let k = l
            .expectations
            .iter()
            .position(|x| std::ptr::eq(x, e))
            .unwrap_or(0);
        &classes[k]
    };
    let mut groups = Vec::new();
    let mut unchanged = Vec::new();
    for (dim, items) in grouped(t, l) {
        let title = dimension_title(t, dim.as_deref());
        let mut shown = Vec::new();
        for e in items {
            let c = class_of(e);
            let mut v = expectation_json(e);
            v["change"] = json!(c.change);
            v["diff_html"] = json!(c.diff_html);
            if c.change == Change::Unchanged {
                v["dimension"] = json!(title);
                unchanged.push(v);
            } else {
                shown.push(v);
            }
        }
        if !shown.is_empty() {
            groups.push(json!({
                "id": dim,
                "title": title,
                "url": dim.as_ref().map(|d| dimension_url(t, d)),
                "items": shown,
            }));
        }
    }
    let counts = |c: Change| classes.iter().filter(|x| x.change == c).count();
    let anti: Vec<Value> = t
        .anti_patterns
        .iter()
        .filter(|a| a.applies_to(l.number))
        .map(anti_pattern_json)
        .collect();
    let others: Vec<Value> = hb
        .tracks
        .iter()
        .filter(|o| o.id != t.id)
        .filter_map(|o| {
            let ol = o.levels.iter().find(|x| x.number == l.number)?;
            Some(json!({"title": o.title, "url": level_url(o, l.number), "heading": level_heading(o, ol)}))
        })
        .collect();
    let mut extra = Map::new();
    extra.insert(
        "track".into(),
        json!({"id": t.id, "title": t.title, "url": track_url(t), "compare_url": compare_url(t)}),
    );
    extra.insert(
        "level".into(),
        json!({
            "number": l.number,
            "label": l.label,
            "heading": heading,
            "roles": role_titles(t, l.number),
            "summary": l.summary.as_ref().map(|s| s.html.clone()),
        }),
    );
    extra.insert("groups".into(), Value::Array(groups));
    extra.insert("unchanged".into(), Value::Array(unchanged));
    extra.insert(
        "changes".into(),
        json!({
            "new": counts(Change::New),
            "reworded": counts(Change::Reworded),
            "unchanged": counts(Change::Unchanged),
        }),
    );
    extra.insert("anti_patterns".into(), Value::Array(anti));
    extra.insert(
        "prev".into(),
        json!(prev.map(|p| json!({"number": p.number, "url": level_url(t, p.number), "heading": level_heading(t, p), "pair_url": pair_url(t, p.number, l.number)}))),
    );
    extra.insert(
        "next".into(),
        json!(next.map(|n| json!({"number": n.number, "url": level_url(t, n.number), "heading": level_heading(t, n)}))),
    );
    extra.insert("other_tracks".into(), Value::Array(others));
    extra.insert("cross_url".into(), json!(cross_level_url(l.number)));
    let title = format!("{heading} — {}", t.title);
    page(
        url.clone(),
        "level.html",
        title.clone(),
        json!({
            "title": title,
            "url": url,
            "edit_url": edit_url,
            "breadcrumbs": crumbs(&[(t.title.as_str(), track_url(t).as_str()), (heading.as_str(), url.as_str())]),
        }),
        extra,
    )
}

/// Role header cells for the matrix: runs of consecutive levels covered by
/// the same roles become one cell spanning them.
fn role_spans(t: &Track) -> Vec<Value> {
    let mut out: Vec<(Vec<String>, usize)> = Vec::new();
    for l in &t.levels {
        let r = role_titles(t, l.number);
        match out.last_mut() {
            Some((prev, n)) if *prev == r && !r.is_empty() => *n += 1,
            _ => out.push((r, 1)),
        }
    }
    out.into_iter()
        .map(|(r, n)| json!({"title": r.join(" / "), "span": n}))
        .collect()
}

fn level_columns(t: &Track) -> Vec<Value> {
    t.levels
        .iter()
        .map(|l| {
            json!({
                "number": l.number,
                "heading": level_heading(t, l),
                "title": l.title,
                "url": level_url(t, l.number),
                "summary": l.summary.as_ref().map(|s| s.html.clone()),
            })
        })
        .collect()
}

/// Rows of the matrix: one per dimension, a cell per level.
fn matrix_rows(t: &Track) -> Vec<Value> {
    dimension_order(t)
        .into_iter()
        .map(|d| {
            let cells: Vec<Value> = t
                .levels
                .iter()
                .map(|l| {
                    Value::Array(
                        l.expectations
                            .iter()
                            .filter(|e| e.dimension == d)
                            .map(|e| json!({"id": e.id, "html": e.text.html, "url": format!("{}#{}", level_url(t, l.number), e.id)}))
                            .collect(),
                    )
                })
                .collect();
            json!({
                "id": d,
                "title": dimension_title(t, d.as_deref()).unwrap_or_else(|| "Expectations".into()),
                "url": d.as_ref().map(|d| dimension_url(t, d)),
                "cells": cells,
            })
        })
        .collect()
}

fn track_json(t: &Track) -> Value {
    json!({
        "id": t.id,
        "title": t.title,
        "url": track_url(t),
        "compare_url": compare_url(t),
        "description": t.description.as_ref().map(|d| d.html.clone()),
    })
}

fn track_page(
    t: &Track,
    notes_html: Option<&str>,
    source_url: Option<&str>,
    edit_url: Option<&str>,
) -> PageOut {
    let url = track_url(t);
    let mut extra = Map::new();
    extra.insert("track".into(), track_json(t));
    extra.insert("levels".into(), Value::Array(level_columns(t)));
    extra.insert("roles".into(), Value::Array(role_spans(t)));
    extra.insert("has_roles".into(), json!(!t.roles.is_empty()));
    extra.insert("rows".into(), Value::Array(matrix_rows(t)));
    extra.insert(
        "dimensions".into(),
        Value::Array(
            t.dimensions
                .iter()
                .map(|d| json!({"title": d.title, "url": dimension_url(t, &d.id)}))
                .collect(),
        ),
    );
    extra.insert(
        "anti_patterns".into(),
        Value::Array(t.anti_patterns.iter().map(anti_pattern_json).collect()),
    );
    extra.insert("notes".into(), json!(notes_html));
    extra.insert("source_url".into(), json!(source_url));
    page(
        url.clone(),
        "track.html",
        t.title.clone(),
        json!({
            "title": t.title,
            "url": url,
            "edit_url": edit_url,
            "breadcrumbs": crumbs(&[(t.title.as_str(), url.as_str())]),
        }),
        extra,
    )
}

/// A column of a comparison: one level, expectations by dimension, marked
/// against the level below when its `classes` are given.
fn compare_column(t: &Track, l: &Level, classes: Option<&[Classified]>) -> Value {
    let rows: Vec<Value> = dimension_order(t)
        .into_iter()
        .map(|d| {
            let items: Vec<Value> = l
                .expectations
                .iter()
                .enumerate()
                .filter(|(_, e)| e.dimension == d)
                .map(|(k, e)| {
                    let mut v = json!({"id": e.id, "html": e.text.html, "examples": e.examples.iter().map(|x| x.html.clone()).collect::<Vec<_>>(), "url": format!("{}#{}", level_url(t, l.number), e.id), "change": null, "diff_html": null});
                    if let Some(c) = classes {
                        v["change"] = json!(c[k].change);
                        v["diff_html"] = json!(c[k].diff_html);
                    }
                    v
                })
                .collect();
            json!({"title": dimension_title(t, d.as_deref()).unwrap_or_else(|| "Expectations".into()), "items": items})
        })
        .collect();
    json!({
        "number": l.number,
        "heading": level_heading(t, l),
        "url": level_url(t, l.number),
        "summary": l.summary.as_ref().map(|s| s.html.clone()),
        "rows": rows,
        "anti_patterns": t.anti_patterns.iter().filter(|a| !a.levels.is_empty() && a.applies_to(l.number)).map(anti_pattern_json).collect::<Vec<_>>(),
    })
}

/// `classes`: `b` classified against `a`.
fn pair_page(t: &Track, a: &Level, b: &Level, classes: &[Classified]) -> PageOut {
    let url = pair_url(t, a.number, b.number);
    let title = format!(
        "Level {} and level {} compared — {}",
        a.number, b.number, t.title
    );
    let extra = compare_data(
        t,
        vec![
            compare_column(t, a, None),
            compare_column(t, b, Some(classes)),
        ],
    );
    page(
        url.clone(),
        "compare_pair.html",
        title.clone(),
        json!({
            "title": title,
            "url": url,
            "breadcrumbs": crumbs(&[(t.title.as_str(), track_url(t).as_str()), ("Compare", compare_url(t).as_str()), (&format!("{} and {}", a.number, b.number), url.as_str())]),
        }),
        extra,
    )
}

/// Template data shared by the comparison pages.
fn compare_data(t: &Track, columns: Vec<Value>) -> Map<String, Value> {
    let mut extra = Map::new();
    extra.insert("track".into(), track_json(t));
    extra.insert("columns".into(), Value::Array(columns));
    extra.insert(
        "dimension_titles".into(),
        json!(dimension_order(t)
            .iter()
            .map(|d| dimension_title(t, d.as_deref()).unwrap_or_else(|| "Expectations".into()))
            .collect::<Vec<_>>()),
    );
    extra.insert("pairs".into(), Value::Array(pairs(t)));
    extra
}

fn pairs(t: &Track) -> Vec<Value> {
    t.levels
        .windows(2)
        .map(|w| json!({"from": w[0].number, "to": w[1].number, "url": pair_url(t, w[0].number, w[1].number)}))
        .collect()
}

fn compare_page(t: &Track) -> PageOut {
    let url = compare_url(t);
    let title = format!("Compare levels — {}", t.title);
    let extra = compare_data(
        t,
        t.levels
            .iter()
            .map(|l| compare_column(t, l, None))
            .collect(),
    );
    page(
        url.clone(),
        "compare.html",
        title.clone(),
        json!({
            "title": title,
            "url": url,
            "breadcrumbs": crumbs(&[(t.title.as_str(), track_url(t).as_str()), ("Compare", url.as_str())]),
        }),
        extra,
    )
}

fn dimension_page(t: &Track, d: &crate::ladder::model::Dimension) -> PageOut {
    let url = dimension_url(t, &d.id);
    let title = format!("{} — {}", d.title, t.title);
    let levels: Vec<Value> = t
        .levels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let prev = i.checked_sub(1).map(|j| &t.levels[j]);
            let mine: Vec<Expectation> = l.expectations.iter().filter(|e| e.dimension.as_deref() == Some(&d.id)).cloned().collect();
            let before: Option<Vec<Expectation>> = prev.map(|p| p.expectations.iter().filter(|e| e.dimension.as_deref() == Some(&d.id)).cloned().collect());
            let classes = classify(&mine, before.as_deref());
            let items: Vec<Value> = mine
                .iter()
                .zip(classes)
                .map(|(e, c)| json!({"id": e.id, "html": e.text.html, "url": format!("{}#{}", level_url(t, l.number), e.id), "change": c.change, "diff_html": c.diff_html}))
                .collect();
            json!({"number": l.number, "heading": level_heading(t, l), "url": level_url(t, l.number), "items": items})
        })
        .collect();
    let mut extra = Map::new();
    extra.insert("track".into(), track_json(t));
    extra.insert("dimension".into(), json!({"id": d.id, "title": d.title}));
    extra.insert("levels".into(), Value::Array(levels));
    extra.insert(
        "dimensions".into(),
        Value::Array(t.dimensions.iter().map(|x| json!({"title": x.title, "url": dimension_url(t, &x.id), "current": x.id == d.id})).collect()),
    );
    page(
        url.clone(),
        "dimension.html",
        title.clone(),
        json!({
            "title": title,
            "url": url,
            "breadcrumbs": crumbs(&[(t.title.as_str(), track_url(t).as_str()), (d.title.as_str(), url.as_str())]),
        }),
        extra,
    )
}

/// Template data of a skill: its scale, target, anti-patterns, checklists.
pub fn skill_json(s: &crate::ladder::model::Skill) -> Value {
    json!({
        "id": s.id,
        "title": s.title,
        "shape": s.shape,
        "description": s.description.as_ref().map(|d| d.html.clone()),
        "scale": s.scale.iter().map(|m| json!({
            "number": m.number,
            "title": m.title,
            "description": m.description.as_ref().map(|d| d.html.clone()),
        })).collect::<Vec<_>>(),
        "target": s.target,
        "anti_patterns": s.anti_patterns.iter().map(anti_pattern_json).collect::<Vec<_>>(),
        "checklists": s.checklists.iter().map(|c| json!({"id": c.id, "title": c.title, "items": c.items.len()})).collect::<Vec<_>>(),
    })
}

/// Every level number used by any track, ascending.
pub fn all_level_numbers(hb: &Handbook) -> Vec<u32> {
    hb.tracks
        .iter()
        .flat_map(|t| t.levels.iter().map(|l| l.number))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

pub fn cross_level_page(hb: &Handbook, n: u32) -> PageOut {
    let url = cross_level_url(n);
    let title = format!("Level {n} in every track");
    let columns: Vec<Value> = hb
        .tracks
        .iter()
        .filter_map(|t| {
            let l = t.levels.iter().find(|l| l.number == n)?;
            let mut c = compare_column(t, l, None);
            c["track"] = json!({"title": t.title, "url": track_url(t)});
            Some(c)
        })
        .collect();
    let numbers = all_level_numbers(hb);
    let pos = numbers.iter().position(|&x| x == n).unwrap_or(0);
    let mut extra = Map::new();
    extra.insert("number".into(), json!(n));
    extra.insert("columns".into(), Value::Array(columns));
    extra.insert(
        "prev".into(),
        json!(pos
            .checked_sub(1)
            .map(|p| json!({"number": numbers[p], "url": cross_level_url(numbers[p])}))),
    );
    extra.insert(
        "next".into(),
        json!(numbers
            .get(pos + 1)
            .map(|&m| json!({"number": m, "url": cross_level_url(m)}))),
    );
    page(
        url.clone(),
        "cross_level.html",
        title.clone(),
        json!({
            "title": title,
            "url": url,
            "breadcrumbs": crumbs(&[(&format!("Level {n}"), url.as_str())]),
        }),
        extra,
    )
}

/// The home page's ladder at a glance: levels as rows, tracks as columns.
pub fn glance(hb: &Handbook) -> Value {
    let rows: Vec<Value> = all_level_numbers(hb)
        .into_iter()
        .map(|n| {
            let cells: Vec<Value> = hb
                .tracks
                .iter()
                .map(|t| match t.levels.iter().find(|l| l.number == n) {
                    Some(l) => {
                        let roles = role_titles(t, n);
                        let name = if roles.is_empty() {
                            l.title.clone().unwrap_or_else(|| format!("Level {n}"))
                        } else {
                            roles.join(" / ")
                        };
                        json!({"title": name, "url": level_url(t, n)})
                    }
                    None => Value::Null,
                })
                .collect();
            json!({"number": n, "url": cross_level_url(n), "cells": cells})
        })
        .collect();
    json!({
        "tracks": hb.tracks.iter().map(track_json).collect::<Vec<_>>(),
        "rows": rows,
    })
}

/// Per track, what the site needs beyond the model: the rendered
/// unrecognised parts of its document, and links back to it.
#[derive(Debug, Clone, Default)]
pub struct TrackExtras {
    pub notes_html: Option<String>,
    pub source_url: Option<String>,
    pub edit_url: Option<String>,
}

/// Every ladder page of the handbook. `extras` is parallel to `hb.tracks`.
/// Tracks are planned in parallel ([`track_pages`]), then the pages that
/// gather one level from every track ([`cross_level_pages`]).
pub fn plan(hb: &Handbook, extras: &[TrackExtras]) -> Vec<PageOut> {
    let rebased = rebase_media(hb);
    let hb = rebased.as_ref().unwrap_or(hb);
    let none = TrackExtras::default();
    let per_track: Vec<Vec<PageOut>> = hb
        .tracks
        .par_iter()
        .enumerate()
        .map(|(ti, t)| track_pages(hb, t, extras.get(ti).unwrap_or(&none)))
        .collect();
    let mut pages: Vec<PageOut> = per_track.into_iter().flatten().collect();
    pages.extend(cross_level_pages(hb));
    if rebased.is_some() {
        for p in &mut pages {
            p.data = place_media(std::mem::take(&mut p.data), &p.url);
        }
    }
    pages
}

/// The pages of one track: its overview, level pages, comparison index,
/// comparisons of neighbouring levels and dimension pages. Each level is
/// classified against the level below once, for both its level page and
/// the comparison of the two. `hb` is read for the same level in other
/// tracks (level pages link to them).
pub fn track_pages(hb: &Handbook, t: &Track, x: &TrackExtras) -> Vec<PageOut> {
    let classes: Vec<Vec<Classified>> = (0..t.levels.len())
        .into_par_iter()
        .map(|i| {
            let prev = i
                .checked_sub(1)
                .map(|j| t.levels[j].expectations.as_slice());
            classify(&t.levels[i].expectations, prev)
        })
        .collect();
    let mut pages = vec![track_page(
        t,
        x.notes_html.as_deref(),
        x.source_url.as_deref(),
        x.edit_url.as_deref(),
    )];
    pages.par_extend(
        (0..t.levels.len())
            .into_par_iter()
            .map(|i| level_page(hb, t, i, &classes[i], x.edit_url.as_deref())),
    );
    if !t.levels.is_empty() {
        pages.push(compare_page(t));
    }
    pages.par_extend(
        (1..t.levels.len())
            .into_par_iter()
            .map(|i| pair_page(t, &t.levels[i - 1], &t.levels[i], &classes[i])),
    );
    pages.par_extend(t.dimensions.par_iter().map(|d| dimension_page(t, d)));
    pages
}

/// The pages that show one level number across every track.
pub fn cross_level_pages(hb: &Handbook) -> Vec<PageOut> {
    all_level_numbers(hb)
        .into_par_iter()
        .map(|n| cross_level_page(hb, n))
        .collect()
}

/// Marks a content-root path in author HTML rebased by [`rebase_media`];
/// [`plan`] replaces it with the page's way back to the site root.
const ROOT_MARK: &str = "\u{E000}rungs-root\u{E000}";

/// Author HTML keeps image paths as written, relative to its source file
/// (`<img src="img/flow.png">`, `<source srcset="…">` in a `<picture>`).
/// Ladder pages live elsewhere, so those paths are made content-root paths
/// (behind [`ROOT_MARK`]) before planning. `None` when no text has any.
pub fn rebase_media(hb: &Handbook) -> Option<Handbook> {
    let has = |r: &crate::ladder::model::Rich| r.html.contains("src");
    let any = hb.tracks.iter().any(|t| {
        t.description.as_ref().is_some_and(has)
            || t.anti_patterns.iter().any(|a| has(&a.text))
            || t.levels.iter().any(|l| {
                l.summary.as_ref().is_some_and(has)
                    || l.expectations
                        .iter()
                        .any(|e| has(&e.text) || e.examples.iter().any(has))
            })
    });
    if !any {
        return None;
    }
    let mut hb = hb.clone();
    for t in &mut hb.tracks {
        let file = t.source.file.clone();
        if let Some(d) = t.description.as_mut() {
            d.html = rebase_html(&d.html, &file);
        }
        for a in &mut t.anti_patterns {
            a.text.html = rebase_html(&a.text.html, &a.source.file);
        }
        for l in &mut t.levels {
            if let Some(s) = l.summary.as_mut() {
                s.html = rebase_html(&s.html, &l.source.file);
            }
            for e in &mut l.expectations {
                e.text.html = rebase_html(&e.text.html, &e.source.file);
                for x in &mut e.examples {
                    x.html = rebase_html(&x.html, &e.source.file);
                }
            }
        }
    }
    Some(hb)
}

/// Rewrite relative `src` and `srcset` values of `html`, written in the
/// content file `from_file`, to marked content-root paths.
fn rebase_html(html: &str, from_file: &str) -> String {
    use super::urls::{is_external, join_normalise};
    let dir = from_file.rsplit_once('/').map_or("", |(d, _)| d);
    let one = |url: &str| -> Option<String> {
        let u = url.trim();
        if u.is_empty() || u.starts_with(['/', '#']) || is_external(u) {
            return None;
        }
        join_normalise(dir, u).map(|p| format!("{ROOT_MARK}{p}"))
    };
    crate::render::markdown::rewrite_media_attrs(html, &one)
}

/// Replace [`ROOT_MARK`] in a page's data with its way back to the root.
fn place_media(data: Map<String, Value>, url: &str) -> Map<String, Value> {
    fn walk(v: &mut Value, root: &str) {
        match v {
            Value::String(s) if s.contains(ROOT_MARK) => *s = s.replace(ROOT_MARK, root),
            Value::Array(a) => a.iter_mut().for_each(|x| walk(x, root)),
            Value::Object(o) => o.values_mut().for_each(|x| walk(x, root)),
            _ => {}
        }
    }
    let mut v = Value::Object(data);
    walk(&mut v, &super::urls::root_prefix(url));
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ladder::model::*;

    #[test]
    fn media_paths_follow_the_page() {
        let h = rebase_html(
            "<picture><source srcset=\"img/a.webp 1x, img/a@2.webp 2x\"><img alt=\"x\" src=\"../img/a.png\"></picture> <img src=\"https://x.org/a.png\"> <img data-src=\"k\">",
            "ladders/web.md",
        );
        let mut m = Map::new();
        m.insert("html".into(), Value::String(h));
        let m = place_media(m, "tracks/web/level-2/index.html");
        assert_eq!(
            m["html"],
            "<picture><source srcset=\"../../../ladders/img/a.webp 1x, ../../../ladders/img/a@2.webp 2x\"><img alt=\"x\" src=\"../../../img/a.png\"></picture> <img src=\"https://x.org/a.png\"> <img data-src=\"k\">"
        );
    }
    use crate::render::{theme::ThemeFiles, Renderer};

    fn exp(id: &str, dim: Option<&str>, text: &str) -> Expectation {
        Expectation {
            id: id.into(),
            dimension: dim.map(String::from),
            text: Rich::from_markdown(text),
            ..Expectation::default()
        }
    }

    fn level(n: u32, exps: Vec<Expectation>) -> Level {
        Level {
            number: n,
            label: format!("Level {n}"),
            summary: Some(Rich::from_markdown(&format!("Summary of level {n}."))),
            expectations: exps,
            ..Level::default()
        }
    }

    fn handbook() -> Handbook {
        let ic = Track {
            id: "ic".into(),
            title: "Individual Contributors".into(),
            roles: vec![
                Role {
                    title: "Engineer".into(),
                    from: 1,
                    to: 2,
                    source: SourceRef::default(),
                },
                Role {
                    title: "Principal".into(),
                    from: 3,
                    to: 3,
                    source: SourceRef::default(),
                },
            ],
            levels: vec![
                level(
                    1,
                    vec![
                        exp("a1", Some("scope"), "You write *clear* code."),
                        exp("b1", Some("growth"), "Learns."),
                    ],
                ),
                level(
                    2,
                    vec![
                        exp("a2", Some("scope"), "You write *clear* code."),
                        exp("b2", Some("growth"), "Learns."),
                    ],
                ),
                level(
                    3,
                    vec![
                        exp(
                            "a3",
                            Some("scope"),
                            "You have a track record of writing clear code.",
                        ),
                        exp("c3", None, "Leads <b>teams</b>."),
                    ],
                ),
            ],
            dimensions: vec![
                Dimension {
                    id: "scope".into(),
                    title: "Scope".into(),
                },
                Dimension {
                    id: "growth".into(),
                    title: "Growth".into(),
                },
            ],
            anti_patterns: vec![AntiPattern {
                id: "ap-1".into(),
                levels: vec![1, 2],
                label: Some("Levels 1-2".into()),
                text: Rich::from_markdown("Hiding mistakes."),
                source: SourceRef::default(),
            }],
            ..Track::default()
        };
        let mgmt = Track {
            id: "mgmt".into(),
            title: "Management".into(),
            roles: vec![Role {
                title: "Lead".into(),
                from: 3,
                to: 3,
                source: SourceRef::default(),
            }],
            levels: vec![level(3, vec![exp("m3", None, "Runs a team.")])],
            ..Track::default()
        };
        Handbook {
            tracks: vec![ic, mgmt],
            ..Handbook::new()
        }
    }

    fn render_all(pages: &[PageOut]) -> Vec<(String, String)> {
        let renderer = Renderer::new(ThemeFiles::load(None, "default").unwrap()).unwrap();
        pages
            .iter()
            .map(|p| {
                let mut ctx = tera::Context::new();
                ctx.insert("site", &json!({"title": "T", "language": "en"}));
                ctx.insert("assets", &renderer.asset_urls());
                ctx.insert("nav", &Vec::<Value>::new());
                ctx.insert("rungs_version", "test");
                ctx.insert("root", &crate::site::urls::root_prefix(&p.url));
                for (k, v) in &p.data {
                    ctx.insert(k.as_str(), v);
                }
                let html = renderer
                    .render(p.template, &ctx)
                    .unwrap_or_else(|e| panic!("{}: {e}", p.url));
                (p.url.clone(), html)
            })
            .collect()
    }

    #[test]
    fn every_ladder_template_renders() {
        let hb = handbook();
        let pages = plan(&hb, &[]);
        let urls: Vec<&str> = pages.iter().map(|p| p.url.as_str()).collect();
        for u in [
            "tracks/ic/index.html",
            "tracks/ic/level-1/index.html",
            "tracks/ic/level-3/index.html",
            "tracks/ic/compare/index.html",
            "tracks/ic/compare/2-3/index.html",
            "tracks/ic/dimensions/scope/index.html",
            "levels/3/index.html",
            "tracks/mgmt/level-3/index.html",
        ] {
            assert!(urls.contains(&u), "{u} in {urls:?}");
        }
        let html: std::collections::HashMap<String, String> =
            render_all(&pages).into_iter().collect();
        let l2 = &html["tracks/ic/level-2/index.html"];
        assert!(l2.contains("Level 2 · Engineer"));
        assert!(l2.contains("Also expected, as at level 1 (2)"), "{l2}");
        assert!(l2.contains("Anti-pattern · Levels 1-2"));
        let l3 = &html["tracks/ic/level-3/index.html"];
        assert!(
            l3.contains("<ins>have a track record of writing</ins>"),
            "{l3}"
        );
        assert!(l3.contains("badge-new"));
        assert!(
            !l3.contains("Hiding mistakes"),
            "level 3 shows no levels 1-2 anti-pattern"
        );
        assert!(
            l3.contains("Management: Level 3 · Lead"),
            "same level in other tracks"
        );
        let cross = &html["levels/3/index.html"];
        assert!(cross.contains("Principal") && cross.contains("Lead"));
        let matrix = &html["tracks/ic/index.html"];
        assert!(
            matrix.contains("colspan=\"2\">Engineer"),
            "roles span their levels"
        );
        let g = glance(&hb);
        assert_eq!(g["rows"].as_array().unwrap().len(), 3);
        assert_eq!(
            g["rows"][0]["cells"][1],
            Value::Null,
            "management has no level 1"
        );
    }
}
