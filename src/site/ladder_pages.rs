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

use super::changes::{
    classified, classify_folded, fold_level, match_folded, word_diff_html, Change, Classified,
    Folded, Match,
};
use super::ladder_data::{Column, DimensionLevel, Group, Item, Lists, MatrixRow, Row, Unchanged};
use super::PageOut;
use crate::ladder::model::{AntiPattern, DimensionId, Expectation, Handbook, Level, Track};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;
use std::sync::Arc;

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
        .find(|d| *d.id == *id)
        .map(|d| d.title.clone())
}

/// Dimension ids of a track in order, with `None` (expectations written
/// straight under a level) first when any level has such.
pub fn dimension_order(t: &Track) -> Vec<Option<DimensionId>> {
    let mut out: Vec<Option<DimensionId>> = Vec::new();
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

/// A JSON object of `fields`, each value moved in (where `json!` would
/// copy a `Value` given to it).
fn object<const N: usize>(fields: [(&str, Value); N]) -> Value {
    Value::Object(
        fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

fn anti_pattern_json(a: &AntiPattern) -> Value {
    json!({
        "id": a.id,
        "label": a.label,
        "levels": a.levels,
        "html": a.text.html(),
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
/// `order`: [`dimension_order`] of `t`.
fn grouped<'a>(
    order: &[Option<DimensionId>],
    l: &'a Level,
) -> Vec<(Option<DimensionId>, Vec<&'a Expectation>)> {
    order
        .iter()
        .cloned()
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
    lists: Lists,
) -> PageOut {
    let mut data = extra;
    data.insert("page".into(), page);
    PageOut {
        url,
        template,
        title,
        in_sitemap: true,
        data,
        lists: Some(Box::new(lists)),
        outline: None,
    }
}

/// The level page of `l` in `t`, with what changed from the level below.
fn level_page(
    hb: &Handbook,
    t: &Track,
    order: &[Option<DimensionId>],
    i: usize,
    classes: &[Classified],
    edit_url: Option<&str>,
) -> PageOut {
    let l = &t.levels[i];
    let prev = i.checked_sub(1).map(|j| &t.levels[j]);
    let next = t.levels.get(i + 1);
    let url = level_url(t, l.number);
    let shared_url: Arc<str> = url.as_str().into();
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
    for (dim, items) in grouped(order, l) {
        let title = dimension_title(t, dim.as_deref());
        let mut shown = Vec::new();
        for e in items {
            let c = class_of(e);
            let item = Item::new(e, &shared_url, Some(c));
            if c.change == Change::Unchanged {
                unchanged.push(Unchanged {
                    item,
                    dimension: title.clone(),
                });
            } else {
                shown.push(item);
            }
        }
        if !shown.is_empty() {
            groups.push(Group {
                url: dim.as_ref().map(|d| dimension_url(t, d)),
                id: dim,
                title,
                items: shown,
            });
        }
    }
    let counts = |c: Change| classes.iter().filter(|x| x.change == c).count();
    let anti: Vec<Value> = t
        .anti_patterns
        .iter()
        .filter(|a| a.applies_to(l.number))
        .map(anti_pattern_json)
        .collect();
    // The same level in other tracks: the WINDOW tracks nearest this one
    // in the handbook's order (all of them link the cross-track page).
    let me = hb.tracks.iter().position(|o| o.id == t.id).unwrap_or(0);
    let mut others: Vec<(usize, &Track, &Level)> = hb
        .tracks
        .iter()
        .enumerate()
        .filter(|(_, o)| o.id != t.id)
        .filter_map(|(k, o)| Some((k, &**o, o.levels.iter().find(|x| x.number == l.number)?)))
        .collect();
    let more = others.len().saturating_sub(WINDOW);
    if more > 0 {
        others.sort_by_key(|&(k, _, _)| (k.abs_diff(me), k));
        others.truncate(WINDOW);
        others.sort_by_key(|&(k, _, _)| k);
    }
    let others: Vec<Value> = others
        .into_iter()
        .map(|(_, o, ol)| json!({"title": o.title, "url": level_url(o, l.number), "heading": level_heading(o, ol)}))
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
            "summary": l.summary.as_ref().map(|s| s.html()),
        }),
    );
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
    extra.insert("other_tracks_more".into(), json!(more));
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
        Lists::Level { groups, unchanged },
    )
}

/// Role header cells for the matrix: runs of consecutive levels covered by
/// the same roles become one cell spanning them.
fn role_spans(t: &Track, levels: &[Level]) -> Vec<Value> {
    let mut out: Vec<(Vec<String>, usize)> = Vec::new();
    for l in levels {
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

fn level_columns(t: &Track, levels: &[Level]) -> Vec<Value> {
    levels
        .iter()
        .map(|l| {
            json!({
                "number": l.number,
                "heading": level_heading(t, l),
                "title": l.title,
                "url": level_url(t, l.number),
                "summary": l.summary.as_ref().map(|s| s.html()),
            })
        })
        .collect()
}

/// Rows of the matrix: one per dimension, a cell per level of `levels`.
fn matrix_rows(t: &Track, order: &[Option<DimensionId>], levels: &[Level]) -> Vec<MatrixRow> {
    let urls: Vec<Arc<str>> = levels
        .iter()
        .map(|l| level_url(t, l.number).into())
        .collect();
    order
        .iter()
        .map(|d| MatrixRow {
            id: d.clone(),
            title: dimension_title(t, d.as_deref()).unwrap_or_else(|| "Expectations".into()),
            url: d.as_ref().map(|d| dimension_url(t, d)),
            cells: levels
                .iter()
                .zip(&urls)
                .map(|(l, url)| {
                    l.expectations
                        .iter()
                        .filter(|e| &e.dimension == d)
                        .map(|e| Item::new(e, url, None))
                        .collect()
                })
                .collect(),
        })
        .collect()
}

fn track_json(t: &Track) -> Value {
    json!({
        "id": t.id,
        "title": t.title,
        "url": track_url(t),
        "compare_url": compare_url(t),
        "description": t.description.as_ref().map(|d| d.html()),
    })
}

/// Tracks with more levels than this show them a window at a time on
/// the pages that would otherwise hold every level (the matrix, each
/// dimension), and list comparisons instead of one table of every level;
/// shorter tracks show every level on one page.
pub const WINDOW: usize = 12;

/// The windows of a track's levels: index ranges into `t.levels`, each
/// with its label (`13–24`). One window (every level) up to [`WINDOW`].
fn windows(t: &Track) -> Vec<(std::ops::Range<usize>, String)> {
    let n = t.levels.len();
    if n <= WINDOW {
        return vec![(0..n, String::new())];
    }
    (0..n)
        .step_by(WINDOW)
        .map(|a| {
            let b = (a + WINDOW).min(n);
            let label = format!("{}–{}", t.levels[a].number, t.levels[b - 1].number);
            (a..b, label)
        })
        .collect()
}

/// The page of window `w` of a page split by [`windows`]: the first window
/// lives at `first`, the others in a folder beside its `index.html`.
fn window_url(first: &str, t: &Track, w: &std::ops::Range<usize>, k: usize) -> String {
    if k == 0 {
        return first.to_string();
    }
    let dir = first.strip_suffix("index.html").unwrap_or(first);
    format!(
        "{dir}{}-{}/index.html",
        t.levels[w.start].number,
        t.levels[w.end - 1].number
    )
}

/// Navigation between the windows of a split page; empty when unsplit.
fn window_nav(
    t: &Track,
    first: &str,
    wins: &[(std::ops::Range<usize>, String)],
    current: usize,
) -> Value {
    if wins.len() < 2 {
        return json!([]);
    }
    Value::Array(
        wins.iter()
            .enumerate()
            .map(|(k, (w, label))| {
                json!({"label": label, "url": window_url(first, t, w, k), "current": k == current})
            })
            .collect(),
    )
}

/// The track's matrix pages: its overview with the first window of levels
/// (every level when the track is short), then one page per further window.
fn track_page(t: &Track, order: &[Option<DimensionId>], x: &TrackExtras, k: usize) -> PageOut {
    let first = track_url(t);
    let wins = windows(t);
    let (w, label) = &wins[k];
    let url = window_url(&first, t, w, k);
    let levels = &t.levels[w.clone()];
    let mut extra = Map::new();
    extra.insert("track".into(), track_json(t));
    extra.insert("levels".into(), Value::Array(level_columns(t, levels)));
    extra.insert("roles".into(), Value::Array(role_spans(t, levels)));
    extra.insert("has_roles".into(), json!(!t.roles.is_empty()));
    extra.insert("windows".into(), window_nav(t, &first, &wins, k));
    extra.insert("window_label".into(), json!(label));
    extra.insert("level_count".into(), json!(t.levels.len()));
    extra.insert(
        "dimensions".into(),
        Value::Array(
            t.dimensions
                .iter()
                .map(|d| json!({"title": d.title, "url": dimension_url(t, &d.id)}))
                .collect(),
        ),
    );
    // Anti-patterns and notes are the track's, shown on its overview.
    let overview = k == 0;
    extra.insert(
        "anti_patterns".into(),
        Value::Array(if overview {
            t.anti_patterns.iter().map(anti_pattern_json).collect()
        } else {
            Vec::new()
        }),
    );
    extra.insert(
        "notes".into(),
        json!(x.notes_html.as_deref().filter(|_| overview)),
    );
    extra.insert("source_url".into(), json!(x.source_url));
    let crumb_label = format!("Levels {label}");
    let mut crumb = vec![(t.title.as_str(), first.as_str())];
    let title = if overview {
        t.title.clone()
    } else {
        crumb.push((crumb_label.as_str(), url.as_str()));
        format!("{} · levels {label}", t.title)
    };
    page(
        url.clone(),
        "track.html",
        title.clone(),
        json!({
            "title": title,
            "url": url,
            "edit_url": x.edit_url,
            "breadcrumbs": crumbs(&crumb),
        }),
        extra,
        Lists::Matrix(matrix_rows(t, order, levels)),
    )
}

/// A column of a comparison: one level, expectations by dimension, marked
/// against the level below when its `classes` are given.
fn compare_column(
    t: &Track,
    order: &[Option<DimensionId>],
    l: &Level,
    classes: Option<&[Classified]>,
) -> Column {
    let url: Arc<str> = level_url(t, l.number).into();
    let rows = order
        .iter()
        .map(|d| Row {
            title: dimension_title(t, d.as_deref()).unwrap_or_else(|| "Expectations".into()),
            items: l
                .expectations
                .iter()
                .enumerate()
                .filter(|(_, e)| &e.dimension == d)
                .map(|(k, e)| Item::new(e, &url, classes.map(|c| &c[k])))
                .collect(),
        })
        .collect();
    Column {
        number: l.number,
        heading: level_heading(t, l),
        url,
        summary: l.summary.clone(),
        rows,
        anti_patterns: t
            .anti_patterns
            .iter()
            .filter(|a| !a.levels.is_empty() && a.applies_to(l.number))
            .map(anti_pattern_json)
            .collect(),
        track: None,
    }
}

/// The comparison of level `i` (`b`) with the one below (`a`); `classes`:
/// `b` classified against `a`. It links to every other comparison of a
/// track of at most [`WINDOW`] levels, else to the [`WINDOW`] nearest.
fn pair_page(
    t: &Track,
    order: &[Option<DimensionId>],
    i: usize,
    classes: &[Classified],
) -> PageOut {
    let (a, b) = (&t.levels[i - 1], &t.levels[i]);
    let near = if t.levels.len() <= WINDOW {
        0..t.levels.len()
    } else {
        let from = i.saturating_sub(WINDOW / 2).max(1);
        from..from + WINDOW
    };
    let url = pair_url(t, a.number, b.number);
    let title = format!(
        "Level {} and level {} compared — {}",
        a.number, b.number, t.title
    );
    let columns = vec![
        compare_column(t, order, a, None),
        compare_column(t, order, b, Some(classes)),
    ];
    let extra = compare_data(t, order, pairs(t, near));
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
        Lists::Columns(columns),
    )
}

/// Template data shared by the comparison pages.
/// `pairs`: the comparisons of neighbouring levels to link to.
fn compare_data(t: &Track, order: &[Option<DimensionId>], pairs: Vec<Value>) -> Map<String, Value> {
    let mut extra = Map::new();
    extra.insert("track".into(), track_json(t));
    extra.insert(
        "dimension_titles".into(),
        json!(order
            .iter()
            .map(|d| dimension_title(t, d.as_deref()).unwrap_or_else(|| "Expectations".into()))
            .collect::<Vec<_>>()),
    );
    extra.insert("pairs".into(), Value::Array(pairs));
    extra
}

/// Links to the comparisons of neighbouring levels whose upper level's
/// index is in `upper`.
fn pairs(t: &Track, upper: std::ops::Range<usize>) -> Vec<Value> {
    let (lo, hi) = (upper.start.max(1), upper.end.min(t.levels.len()));
    if lo >= hi {
        return Vec::new();
    }
    t.levels[lo - 1..hi]
        .windows(2)
        .map(|w| json!({"from": w[0].number, "to": w[1].number, "url": pair_url(t, w[0].number, w[1].number)}))
        .collect()
}

/// The comparison index: every level side by side (with a picker of any
/// two) when the track has at most [`WINDOW`] levels; beyond that, the
/// list of pre-rendered comparisons of neighbouring levels.
fn compare_page(t: &Track, order: &[Option<DimensionId>]) -> PageOut {
    let url = compare_url(t);
    let title = format!("Compare levels — {}", t.title);
    let columns = if t.levels.len() <= WINDOW {
        t.levels
            .iter()
            .map(|l| compare_column(t, order, l, None))
            .collect()
    } else {
        Vec::new()
    };
    let mut extra = compare_data(t, order, pairs(t, 0..t.levels.len()));
    extra.insert("level_count".into(), json!(t.levels.len()));
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
        Lists::Columns(columns),
    )
}

/// The classes of level `i`'s expectations in dimension `dim`, classified
/// against the level below's in that dimension alone.
///
/// When no match of the level classified against the whole level below
/// (`mine`) crosses into or out of `dim` (an expectation in `dim` matched
/// to one outside it, or one outside matched to one in it), those classes
/// are the same and are reused: the level below's expectations in `dim`
/// were free for, and only taken by, expectations in `dim`, in the same
/// order, and each took the best of them (the penalty for crossing
/// dimensions does not touch expectations of one dimension).
pub fn dimension_classes(t: &Track, mine: &[Classified], i: usize, dim: &str) -> Vec<Classified> {
    // Only the texts in `dim` are compared: the others are not folded.
    let fold = |l: &Level| -> Vec<Folded> {
        l.expectations
            .iter()
            .map(|e| match e.dimension.as_deref() == Some(dim) {
                true => Folded::new(e.text.text()),
                false => Folded::default(),
            })
            .collect()
    };
    let cur = fold(&t.levels[i]);
    let prev = i.checked_sub(1).map(|j| fold(&t.levels[j]));
    dimension_classes_folded(t, mine, None, i, dim, &cur, prev.as_deref())
}

/// [`dimension_classes`], with the texts of level `i` (`cur`) and of the
/// level below (`prev`) already folded ([`fold_level`]). `matches`: what
/// `mine` matched, by index below ([`classify_level_matched`]), when the
/// caller has them.
fn dimension_classes_folded(
    t: &Track,
    mine: &[Classified],
    matches: Option<&[Match]>,
    i: usize,
    dim: &str,
    cur: &[Folded],
    prev: Option<&[Folded]>,
) -> Vec<Classified> {
    let l = &t.levels[i];
    let in_dim = |e: &Expectation| e.dimension.as_deref() == Some(dim);
    let (Some(below), Some(prev)) = (i.checked_sub(1).map(|j| &t.levels[j]), prev) else {
        let (cur_e, cur_f) = picked(l, cur, in_dim);
        return classify_folded((&cur_e, &cur_f), None, &|_, _| Arc::from(""));
    };
    // For each expectation, the one below it matched.
    let matched = match matches {
        Some(m) if m.len() == l.expectations.len() => Some(
            m.iter()
                .map(|m| m.below().map(|j| &below.expectations[j]))
                .collect(),
        ),
        _ => matched_below(l, below, mine),
    };
    if matched.as_deref().is_some_and(|m| !crosses(l, m, dim)) {
        return l
            .expectations
            .iter()
            .zip(mine)
            .filter(|(e, _)| in_dim(e))
            .map(|(_, c)| c.clone())
            .collect();
    }
    // The expectations in `dim`, by their index in the level, and below.
    let of_dim = |l: &Level| -> Vec<usize> {
        (0..l.expectations.len())
            .filter(|&k| in_dim(&l.expectations[k]))
            .collect()
    };
    let (cur_at, prev_at) = (of_dim(l), of_dim(below));
    let cur_e: Vec<&Expectation> = cur_at.iter().map(|&k| &l.expectations[k]).collect();
    let cur_f: Vec<&Folded> = cur_at.iter().map(|&k| &cur[k]).collect();
    let prev_e: Vec<&Expectation> = prev_at.iter().map(|&k| &below.expectations[k]).collect();
    let prev_f: Vec<&Folded> = prev_at.iter().map(|&k| &prev[k]).collect();
    // Word diffs already made for the level are reused: those of the
    // same pair of expectations (the same two texts).
    classify_folded((&cur_e, &cur_f), Some((&prev_e, &prev_f)), &|j, k| {
        let (old, k) = (&below.expectations[prev_at[j]], cur_at[k]);
        match (&matched, &mine[k].diff_html) {
            (Some(m), Some(d)) if m[k].is_some_and(|b| std::ptr::eq(b, old)) => Arc::clone(d),
            _ => word_diff_html(old.text.text(), l.expectations[k].text.text()).into(),
        }
    })
}

/// The expectations of `l` that `keep` keeps, with their folded texts
/// (`folded`: [`fold_level`] of `l`).
fn picked<'a>(
    l: &'a Level,
    folded: &'a [Folded],
    keep: impl Fn(&Expectation) -> bool,
) -> (Vec<&'a Expectation>, Vec<&'a Folded>) {
    l.expectations
        .iter()
        .zip(folded)
        .filter(|(e, _)| keep(e))
        .unzip()
}

/// For each expectation of `l`, the one of `below` that `mine` (`l`
/// classified against `below`) matched it to; `None` when `mine` is not
/// `l`'s or ids of `below` repeat.
fn matched_below<'a>(
    l: &Level,
    below: &'a Level,
    mine: &[Classified],
) -> Option<Vec<Option<&'a Expectation>>> {
    let by_id: FxHashMap<&str, &Expectation> =
        below.expectations.iter().map(|e| (&*e.id, e)).collect();
    if by_id.len() != below.expectations.len() || mine.len() != l.expectations.len() {
        return None;
    }
    mine.iter()
        .map(|c| match c.previous_id.as_deref() {
            None => Some(None),
            Some(p) => by_id.get(p).map(|&e| Some(e)),
        })
        .collect()
}

/// Whether a match of `l`'s expectations to the level below (`matched`,
/// from [`matched_below`]) crosses into or out of `dim`: when none does,
/// the level's classes are those of `dim` alone ([`dimension_classes`]).
fn crosses(l: &Level, matched: &[Option<&Expectation>], dim: &str) -> bool {
    l.expectations.iter().zip(matched).any(|(e, b)| {
        b.is_some_and(|b| {
            b.dimension != e.dimension
                && (e.dimension.as_deref() == Some(dim) || b.dimension.as_deref() == Some(dim))
        })
    })
}

/// Window `k` of a dimension's page: the dimension through those levels,
/// each marked against the level below.
fn dimension_page(
    t: &Track,
    d: &crate::ladder::model::Dimension,
    classes: &Classes,
    k: usize,
) -> PageOut {
    let first = dimension_url(t, &d.id);
    let wins = windows(t);
    let (w, label) = &wins[k];
    let url = window_url(&first, t, w, k);
    let title = if k == 0 {
        format!("{} — {}", d.title, t.title)
    } else {
        format!("{} · levels {label} — {}", d.title, t.title)
    };
    let levels: Vec<DimensionLevel> = w
        .clone()
        .map(|i| {
            let l = &t.levels[i];
            let classes = (classes.dimension)(i, &d.id);
            let url: Arc<str> = level_url(t, l.number).into();
            let items = l
                .expectations
                .iter()
                .filter(|e| e.dimension.as_deref() == Some(&d.id))
                .zip(classes.iter())
                .map(|(e, c)| Item::new(e, &url, Some(c)))
                .collect();
            DimensionLevel {
                number: l.number,
                heading: level_heading(t, l),
                url,
                items,
            }
        })
        .collect();
    let mut extra = Map::new();
    extra.insert("track".into(), track_json(t));
    extra.insert("dimension".into(), json!({"id": d.id, "title": d.title}));
    extra.insert("windows".into(), window_nav(t, &first, &wins, k));
    extra.insert(
        "dimensions".into(),
        Value::Array(t.dimensions.iter().map(|x| json!({"title": x.title, "url": dimension_url(t, &x.id), "current": x.id == d.id})).collect()),
    );
    let crumb_label = format!("Levels {label}");
    let mut crumb = vec![
        (t.title.as_str(), track_url(t)),
        (d.title.as_str(), first.clone()),
    ];
    if k > 0 {
        crumb.push((crumb_label.as_str(), url.clone()));
    }
    let crumb: Vec<(&str, &str)> = crumb.iter().map(|(a, b)| (*a, b.as_str())).collect();
    page(
        url.clone(),
        "dimension.html",
        title.clone(),
        json!({
            "title": title,
            "url": url,
            "breadcrumbs": crumbs(&crumb),
        }),
        extra,
        Lists::Dimension(levels),
    )
}

/// Template data of a skill: its scale, target, anti-patterns, checklists.
pub fn skill_json(s: &crate::ladder::model::Skill) -> Value {
    json!({
        "id": s.id,
        "title": s.title,
        "shape": s.shape,
        "description": s.description.as_ref().map(|d| d.html()),
        "scale": s.scale.iter().map(|m| json!({
            "number": m.number,
            "title": m.title,
            "description": m.description.as_ref().map(|d| d.html()),
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

/// `numbers`: [`all_level_numbers`]; `orders`: [`dimension_order`] of
/// each track.
pub fn cross_level_page(
    hb: &Handbook,
    n: u32,
    numbers: &[u32],
    orders: &[Vec<Option<DimensionId>>],
) -> PageOut {
    let url = cross_level_url(n);
    let title = format!("Level {n} in every track");
    let columns: Vec<Column> = hb
        .tracks
        .iter()
        .zip(orders)
        .filter_map(|(t, order)| {
            let l = t.levels.iter().find(|l| l.number == n)?;
            let mut c = compare_column(t, order, l, None);
            c.track = Some((t.title.clone(), track_url(t)));
            Some(c)
        })
        .collect();
    let pos = numbers.iter().position(|&x| x == n).unwrap_or(0);
    let mut extra = Map::new();
    extra.insert("number".into(), json!(n));
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
        Lists::Columns(columns),
    )
}

/// The home page's ladder at a glance: levels as rows, tracks as columns;
/// the first [`WINDOW`] level numbers, and a link onward when there are more.
pub fn glance(hb: &Handbook) -> Value {
    let numbers = all_level_numbers(hb);
    let more = numbers.get(WINDOW).map(|&n| {
        json!({"total": numbers.len(), "shown": WINDOW, "number": n, "url": cross_level_url(n)})
    });
    let rows: Vec<Value> = numbers
        .into_iter()
        .take(WINDOW)
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
            object([
                ("number", json!(n)),
                ("url", json!(cross_level_url(n))),
                ("cells", Value::Array(cells)),
            ])
        })
        .collect();
    json!({
        "tracks": hb.tracks.iter().map(|t| track_json(t)).collect::<Vec<_>>(),
        "rows": rows,
        "more": more,
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

/// What the ladder pages take from the planning of the documents.
#[derive(Default)]
pub struct LadderExtras {
    /// Per track, parallel to the handbook's tracks.
    pub tracks: Vec<TrackExtras>,
    /// Where links written in ladder texts lead ([`rebase_track`]).
    pub links: super::LinkMap,
}

/// How many pages [`plan_batches`] hands over at a time (at least).
const BATCH: usize = 32;

/// Every ladder page of the handbook: the pages of each track
/// ([`track_page_list`]), then the pages that gather one level from every
/// track ([`cross_level_pages`]).
pub fn plan(hb: &Handbook, extras: &LadderExtras) -> Vec<PageOut> {
    let mut pages = Vec::new();
    let done: Result<(), std::convert::Infallible> = plan_batches(hb, extras, &mut |b| {
        pages.extend(b);
        Ok(())
    });
    done.unwrap_or_else(|e| match e {});
    pages
}

/// The pages of [`plan`], in the same order, handed to `sink` a batch at a
/// time (each planned in parallel), so that a caller can render, write and
/// drop each batch before the next is planned: memory stays bounded by a
/// batch, whatever the size of the handbook.
pub fn plan_batches<E>(
    hb: &Handbook,
    extras: &LadderExtras,
    sink: &mut dyn FnMut(Vec<PageOut>) -> Result<(), E>,
) -> Result<(), E> {
    let rebased = rebase_paths(hb, &extras.links);
    plan_rebased_batches(rebased.as_ref().unwrap_or(hb), extras, sink)
}

/// [`plan_batches`] of a handbook whose paths are rebased already
/// ([`rebase_paths_in_place`]).
pub fn plan_rebased_batches<E>(
    hb: &Handbook,
    extras: &LadderExtras,
    sink: &mut dyn FnMut(Vec<PageOut>) -> Result<(), E>,
) -> Result<(), E> {
    let mut held: Vec<PageOut> = Vec::new();
    // Small batches (a short track's pages) are gathered up to BATCH.
    let mut give = |mut pages: Vec<PageOut>, flush: bool| -> Result<(), E> {
        held.append(&mut pages);
        if held.len() >= BATCH || (flush && !held.is_empty()) {
            sink(std::mem::take(&mut held))?;
        }
        Ok(())
    };
    let none = TrackExtras::default();
    for (ti, t) in hb.tracks.iter().enumerate() {
        track_batches(hb, t, extras.tracks.get(ti).unwrap_or(&none), &mut |b| {
            give(b, false)
        })?;
    }
    give(Vec::new(), true)?;
    let numbers = all_level_numbers(hb);
    let orders: Vec<_> = hb.tracks.iter().map(|t| dimension_order(t)).collect();
    for chunk in numbers.chunks(cross_level_batch(hb.tracks.len())) {
        give(
            chunk
                .par_iter()
                .map(|&n| cross_level_page(hb, n, &numbers, &orders))
                .collect(),
            true,
        )?;
    }
    Ok(())
}

/// How many cross-track pages [`plan_batches`] plans at a time: each holds
/// one level of every track, so about as much as [`BATCH`] track pages
/// when there are four tracks, less with more, but never fewer than the
/// threads that plan them.
fn cross_level_batch(tracks: usize) -> usize {
    (BATCH * 4 / tracks.max(1)).clamp(rayon::current_num_threads(), BATCH)
}

/// One page of a track, as [`track_page_list`] lists them and
/// [`plan_track_page`] plans them. Indices are into `t.levels` and
/// `t.dimensions`; `k` is a window ([`WINDOW`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrackPage {
    /// Window `k` of the track's matrix (0: the track's overview).
    Matrix(usize),
    /// The page of level `i`.
    Level(usize),
    /// The comparison index.
    Compare,
    /// Level `i` compared with the level below.
    Pair(usize),
    /// Window `k` of dimension `d`'s page.
    Dimension(usize, usize),
}

impl TrackPage {
    /// The levels whose content the page shows (as indices into
    /// `t.levels`). Besides these, every page of a track reads the track
    /// without its levels, and its level numbers and headings; a level
    /// page also reads the same level in the other tracks
    /// ([`TrackPage::reads_other_tracks`]).
    pub fn levels_read(self, t: &Track) -> std::ops::Range<usize> {
        let n = t.levels.len();
        let window = |k: usize| windows(t).swap_remove(k).0;
        match self {
            TrackPage::Matrix(k) => window(k),
            // Its classes (against the level below) and its neighbours.
            TrackPage::Level(i) => i.saturating_sub(1)..(i + 2).min(n),
            TrackPage::Compare if n <= WINDOW => 0..n,
            TrackPage::Compare => 0..0,
            TrackPage::Pair(i) => i - 1..i + 1,
            TrackPage::Dimension(_, k) => {
                let w = window(k);
                w.start.saturating_sub(1)..w.end
            }
        }
    }

    /// Whether the page shows the same level in other tracks.
    pub fn reads_other_tracks(self) -> bool {
        matches!(self, TrackPage::Level(_))
    }
}

/// The pages of one track, in order: its matrix (overview first), level
/// pages, comparison index, comparisons of neighbouring levels, and
/// dimension pages.
pub fn track_page_list(t: &Track) -> Vec<TrackPage> {
    let n = t.levels.len();
    let wins = windows(t).len();
    let mut out: Vec<TrackPage> = (0..wins).map(TrackPage::Matrix).collect();
    out.extend((0..n).map(TrackPage::Level));
    if n > 0 {
        out.push(TrackPage::Compare);
    }
    out.extend((1..n).map(TrackPage::Pair));
    for d in 0..t.dimensions.len() {
        out.extend((0..wins).map(|k| TrackPage::Dimension(d, k)));
    }
    out
}

/// How the pages of a track that show what changed get each level's
/// classes (`rungs serve` remembers them from build to build).
pub struct Classes<'a> {
    /// Level `i` classified against the level below ([`classify_level`]).
    pub level: &'a (dyn Fn(usize) -> Arc<Vec<Classified>> + Sync),
    /// Level `i`'s expectations in a dimension classified against the
    /// level below's in that dimension ([`dimension_classes`]).
    pub dimension: &'a (dyn Fn(usize, &str) -> Arc<Vec<Classified>> + Sync),
}

/// Level `i` of `t` classified against the level below.
pub fn classify_level(t: &Track, i: usize) -> Vec<Classified> {
    let cur = fold_level(&t.levels[i].expectations);
    let prev = i
        .checked_sub(1)
        .map(|j| fold_level(&t.levels[j].expectations));
    classify_level_folded(t, i, &cur, prev.as_deref())
}

/// [`classify_level`], with the texts of level `i` (`cur`) and of the
/// level below (`prev`) already folded ([`fold_level`]).
fn classify_level_folded(
    t: &Track,
    i: usize,
    cur: &[Folded],
    prev: Option<&[Folded]>,
) -> Vec<Classified> {
    classify_level_matched(t, i, cur, prev).0
}

/// [`classify_level_folded`], with what each expectation matched (by its
/// index in the level below).
fn classify_level_matched(
    t: &Track,
    i: usize,
    cur: &[Folded],
    prev: Option<&[Folded]>,
) -> (Vec<Classified>, Vec<Match>) {
    let l = &t.levels[i];
    let (cur_e, cur_f) = picked(l, cur, |_| true);
    let below = (i.checked_sub(1).zip(prev))
        .map(|(j, f)| (&t.levels[j], picked(&t.levels[j], f, |_| true)));
    let matches = match_folded(
        (&cur_e, &cur_f),
        below
            .as_ref()
            .map(|(_, (e, f))| (e.as_slice(), f.as_slice())),
    );
    let classes = classified(
        &matches,
        below.as_ref().map(|(_, (e, _))| e.as_slice()),
        &|j, k| match &below {
            Some((b, _)) => {
                word_diff_html(b.expectations[j].text.text(), l.expectations[k].text.text()).into()
            }
            None => Arc::from(""),
        },
    );
    (classes, matches)
}

/// Plans page `p` of track `t`. `order`: [`dimension_order`] of `t`; `hb`
/// is read for the same level in other tracks (level pages link to them).
pub fn plan_track_page(
    hb: &Handbook,
    t: &Track,
    order: &[Option<DimensionId>],
    x: &TrackExtras,
    p: TrackPage,
    classes: &Classes,
) -> PageOut {
    match p {
        TrackPage::Matrix(k) => track_page(t, order, x, k),
        TrackPage::Level(i) => {
            level_page(hb, t, order, i, &(classes.level)(i), x.edit_url.as_deref())
        }
        TrackPage::Compare => compare_page(t, order),
        TrackPage::Pair(i) => pair_page(t, order, i, &(classes.level)(i)),
        TrackPage::Dimension(d, k) => dimension_page(t, &t.dimensions[d], classes, k),
    }
}

/// The pages of one track ([`track_page_list`]) a batch at a time. Each
/// level is classified against the level below once, for its level page,
/// the comparison of the two and the dimension pages.
fn track_batches<E>(
    hb: &Handbook,
    t: &Track,
    x: &TrackExtras,
    sink: &mut dyn FnMut(Vec<PageOut>) -> Result<(), E>,
) -> Result<(), E> {
    // Each level's texts are folded once, for its own classes and those
    // of the level above.
    let folded: Vec<Vec<Folded>> = t
        .levels
        .par_iter()
        .map(|l| fold_level(&l.expectations))
        .collect();
    let below = |i: usize| i.checked_sub(1).map(|j| folded[j].as_slice());
    let levels: Vec<(Arc<Vec<Classified>>, Vec<Match>)> = (0..t.levels.len())
        .into_par_iter()
        .map(|i| {
            let (classes, matches) = classify_level_matched(t, i, &folded[i], below(i));
            (Arc::new(classes), matches)
        })
        .collect();
    let classes = Classes {
        level: &|i| Arc::clone(&levels[i].0),
        dimension: &|i, d| {
            Arc::new(dimension_classes_folded(
                t,
                &levels[i].0,
                Some(&levels[i].1),
                i,
                d,
                &folded[i],
                below(i),
            ))
        },
    };
    let order = dimension_order(t);
    for batch in track_page_list(t).chunks(BATCH) {
        sink(
            batch
                .par_iter()
                .map(|&p| plan_track_page(hb, t, &order, x, p, &classes))
                .collect(),
        )?;
    }
    Ok(())
}

/// The pages that show one level number across every track.
pub fn cross_level_pages(hb: &Handbook) -> Vec<PageOut> {
    let numbers = all_level_numbers(hb);
    let orders: Vec<_> = hb.tracks.iter().map(|t| dimension_order(t)).collect();
    numbers
        .par_iter()
        .map(|&n| cross_level_page(hb, n, &numbers, &orders))
        .collect()
}

/// Author HTML keeps the paths it links to and shows as written, relative
/// to its source file (`<a href="../guides/x.md">`, `<img src="img/a.png">`,
/// `<source srcset="…">`). Ladder pages live elsewhere, so before planning
/// those paths are rewritten to where they lead from the site root (a
/// document's page for a link to a document), behind
/// [`crate::render::ROOT_MARK`], which rendering replaces with each page's
/// way back to the root. `None` when no text has any such path; else the
/// tracks, the only part of the handbook ladder pages read.
pub fn rebase_paths(hb: &Handbook, links: &super::LinkMap) -> Option<Handbook> {
    if !hb.tracks.iter().any(|t| has_paths(t)) {
        return None;
    }
    let tracks = hb
        .tracks
        .par_iter()
        .map(|t| match has_paths(t) {
            true => Arc::new(rebase_track(t, links)),
            false => Arc::clone(t),
        })
        .collect();
    Some(Handbook {
        schema_version: hb.schema_version,
        tracks,
        skills: Vec::new(),
        pages: Vec::new(),
    })
}

/// [`rebase_paths`] in place, for a caller whose handbook is read by
/// nothing else that wants the paths as written: no copy of the tracks
/// (hundreds of thousands of expectations in a large handbook) is made,
/// unless another holds them. Plan its pages with
/// [`plan_rebased_batches`].
pub fn rebase_paths_in_place(hb: &mut Handbook, links: &super::LinkMap) {
    hb.tracks.par_iter_mut().for_each(|t| {
        if has_paths(t) {
            rebase_track_in_place(Arc::make_mut(t), links);
        }
    });
}

/// `t` with the paths in its texts rebased ([`rebase_paths`]).
pub fn rebase_track(t: &Track, links: &super::LinkMap) -> Track {
    let mut t = t.clone();
    rebase_track_in_place(&mut t, links);
    t
}

/// [`rebase_track`], in place.
fn rebase_track_in_place(t: &mut Track, links: &super::LinkMap) {
    let file = t.source.file.clone();
    let rebase = |r: &crate::ladder::model::Rich, from: &str| match has_path(r) {
        true => r.with_html(&rebase_html(r.html(), from, links)),
        false => r.clone(),
    };
    if let Some(d) = t.description.as_mut() {
        *d = rebase(d, &file);
    }
    for a in &mut t.anti_patterns {
        a.text = rebase(&a.text, &a.source.file);
    }
    t.levels.par_iter_mut().for_each(|l| {
        if let Some(s) = l.summary.as_mut() {
            *s = rebase(s, &l.source.file);
        }
        for e in &mut l.expectations {
            e.text = rebase(&e.text, &e.source.file);
            for x in e.examples.iter_mut() {
                *x = rebase(x, &e.source.file);
            }
        }
    });
}

/// Whether a text may hold a path to rebase ([`rebase_paths`]).
fn has_path(r: &crate::ladder::model::Rich) -> bool {
    let h = r.html();
    h.contains("src") || h.contains("href")
}

/// Whether any text of `t` may hold a path to rebase ([`rebase_paths`]).
pub fn has_paths(t: &Track) -> bool {
    t.description.as_ref().is_some_and(has_path)
        || t.anti_patterns.iter().any(|a| has_path(&a.text))
        || t.levels.iter().any(|l| {
            l.summary.as_ref().is_some_and(has_path)
                || l.expectations
                    .iter()
                    .any(|e| has_path(&e.text) || e.examples.iter().any(has_path))
        })
}

/// Rewrite the relative `href`, `src` and `srcset` values of `html`,
/// written in the content file `from_file`, to marked site-root paths.
fn rebase_html(html: &str, from_file: &str, links: &super::LinkMap) -> String {
    use super::urls::{is_external, join_normalise};
    use crate::render::ROOT_MARK;
    let dir = from_file.rsplit_once('/').map_or("", |(d, _)| d);
    let skip = |u: &str| u.is_empty() || u.starts_with(['/', '#']) || is_external(u);
    let media = |url: &str| -> Option<String> {
        let u = url.trim();
        if skip(u) {
            return None;
        }
        join_normalise(dir, u).map(|p| format!("{ROOT_MARK}{p}"))
    };
    // Links resolve as on the document's own page (which warns about
    // broken ones), seen from the root.
    let link = |url: &str| -> Option<String> {
        if skip(url.trim()) {
            return None;
        }
        let to = links.resolve(url.trim(), from_file, "index.html", &mut Vec::new())?;
        Some(format!("{ROOT_MARK}{to}"))
    };
    crate::render::markdown::rewrite_url_attrs(html, &|name, url| match name {
        "href" => link(url),
        _ => media(url),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ladder::model::*;
    use crate::site::changes::classify;

    #[test]
    fn media_paths_and_links_follow_the_page() {
        let docs = [crate::source::SourceDoc {
            path: "guides/how.md".into(),
            rel: "guides/how.md".into(),
            frontmatter: Default::default(),
            body: "# How".into(),
            body_line_offset: 0,
            line_starts: Default::default(),
        }];
        let links = super::super::LinkMap::new(&docs, &["guides/how/index.html".into()], &[]);
        let h = rebase_html(
            "<picture><source srcset=\"img/a.webp 1x, img/a@2.webp 2x\"><img alt=\"x\" src=\"../img/a.png\"></picture> <img src=\"https://x.org/a.png\"> <img data-src=\"k\"> <a href=\"../guides/how.md#step-2\">how</a> <a href=\"#top\">top</a> <a href=\"https://x.org/\">x</a>",
            "ladders/web.md",
            &links,
        );
        let root = crate::site::urls::root_prefix("tracks/web/level-2/index.html");
        assert_eq!(
            h.replace(crate::render::ROOT_MARK, &root),
            "<picture><source srcset=\"../../../ladders/img/a.webp 1x, ../../../ladders/img/a@2.webp 2x\"><img alt=\"x\" src=\"../../../img/a.png\"></picture> <img src=\"https://x.org/a.png\"> <img data-src=\"k\"> <a href=\"../../../guides/how/index.html#step-2\">how</a> <a href=\"#top\">top</a> <a href=\"https://x.org/\">x</a>"
        );
    }
    use crate::render::{theme::ThemeFiles, Renderer};

    fn exp(id: &str, dim: Option<&str>, text: &str) -> Expectation {
        Expectation {
            id: id.into(),
            dimension: dim.map(DimensionId::from),
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

    /// The dimension pages' classes, reused from the level's or not, are
    /// those of classifying the dimension alone.
    #[test]
    fn dimension_classes_match_classifying_the_dimension_alone() {
        let mut hb = handbook();
        // A level whose rewording crosses dimensions: the reused classes
        // would differ, so the dimension is classified alone.
        Arc::make_mut(&mut hb.tracks[0]).levels.push(level(
            4,
            vec![
                exp(
                    "a4",
                    Some("growth"),
                    "You have a track record of writing clear code.",
                ),
                exp(
                    "b4",
                    Some("scope"),
                    "You have a record of writing very clear code.",
                ),
                exp("d4", Some("growth"), "Learns and teaches."),
            ],
        ));
        let t = &hb.tracks[0];
        let classes: Vec<Vec<Classified>> = (0..t.levels.len())
            .map(|i| {
                let prev = i
                    .checked_sub(1)
                    .map(|j| t.levels[j].expectations.as_slice());
                classify(&t.levels[i].expectations, prev)
            })
            .collect();
        let json = |c: &[Classified]| serde_json::to_value(c).unwrap();
        for d in ["scope", "growth"] {
            for (i, mine) in classes.iter().enumerate() {
                let alone = classify_alone(t, i, d);
                assert_eq!(
                    json(&dimension_classes(t, mine, i, d)),
                    json(&alone),
                    "{d}, level {}",
                    t.levels[i].number
                );
            }
        }
        // The crossing is there to be handled.
        assert!(classes[3]
            .iter()
            .any(|c| c.previous_id.as_deref() == Some("a3")));
    }

    /// Level `i` of `t` classified in dimension `d` alone, against the
    /// level below's expectations in `d`.
    fn classify_alone(t: &Track, i: usize, d: &str) -> Vec<Classified> {
        let of_dim = |l: &Level| -> Vec<Expectation> {
            l.expectations
                .iter()
                .filter(|e| e.dimension.as_deref() == Some(d))
                .cloned()
                .collect()
        };
        classify(
            &of_dim(&t.levels[i]),
            i.checked_sub(1).map(|j| of_dim(&t.levels[j])).as_deref(),
        )
    }

    /// The dimensions of [`random_track`].
    const RANDOM_DIMS: [&str; 3] = ["a", "b", "c"];

    /// A track of three levels of up to `most` expectations each, of a
    /// few words from a small list, in random dimensions of
    /// [`RANDOM_DIMS`]: many rewordings, some across dimensions.
    fn random_track(next: &mut dyn FnMut(usize) -> usize, most: usize) -> Track {
        let words = [
            "owns", "the", "deploy", "pipeline", "team", "reviews", "code", "of",
        ];
        let dims = RANDOM_DIMS;
        let mut t = Track {
            id: "t".into(),
            dimensions: dims
                .iter()
                .map(|d| Dimension {
                    id: (*d).into(),
                    title: d.to_uppercase(),
                })
                .collect(),
            ..Track::default()
        };
        for n in 1..4 {
            let exps = (0..1 + next(most))
                .map(|k| {
                    let text: Vec<&str> =
                        (0..1 + next(6)).map(|_| words[next(words.len())]).collect();
                    exp(
                        &format!("e{n}-{k}"),
                        Some(dims[next(dims.len())]),
                        &text.join(" "),
                    )
                })
                .collect();
            t.levels.push(level(n, exps));
        }
        t
    }

    /// On random levels whose expectations match across dimensions, the
    /// dimension pages' classes are those of classifying each dimension
    /// alone, whether reused or made afresh.
    #[test]
    fn dimension_classes_match_on_random_levels() {
        let dims = RANDOM_DIMS;
        let mut next = crate::site::changes::tests::rng(5);
        let (mut reused, mut afresh, mut beside) = (0, 0, 0);
        for round in 0..300 {
            let t = random_track(&mut next, 7);
            for i in 0..t.levels.len() {
                let mine = classify_level(&t, i);
                for d in dims {
                    let alone = classify_alone(&t, i, d);
                    let got = dimension_classes(&t, &mine, i, d);
                    assert_eq!(
                        serde_json::to_value(&got).unwrap(),
                        serde_json::to_value(&alone).unwrap(),
                        "round {round}, level {i}, dimension {d}"
                    );
                    if i == 0 {
                        continue;
                    }
                    let matched = matched_below(&t.levels[i], &t.levels[i - 1], &mine).unwrap();
                    if !crosses(&t.levels[i], &matched, d) {
                        reused += 1;
                        // Reused though the level has a match across
                        // other dimensions.
                        let crossing = t.levels[i].expectations.iter().zip(&mine).any(|(e, c)| {
                            t.levels[i - 1].expectations.iter().any(|b| {
                                Some(&*b.id) == c.previous_id.as_deref()
                                    && b.dimension != e.dimension
                            })
                        });
                        beside += usize::from(crossing);
                    } else {
                        afresh += 1;
                    }
                }
            }
        }
        assert!(
            reused > 0 && afresh > 0 && beside > 0,
            "{reused} {afresh} {beside}"
        );
    }

    /// The classes a build gives dimension pages (from the level's matches
    /// by index) are those of [`dimension_classes`] (matches by id).
    #[test]
    fn dimension_classes_by_index_match_by_id() {
        let dims = RANDOM_DIMS;
        let mut next = crate::site::changes::tests::rng(23);
        for round in 0..300 {
            let t = random_track(&mut next, 9);
            let folded: Vec<Vec<Folded>> = t
                .levels
                .iter()
                .map(|l| fold_level(&l.expectations))
                .collect();
            for i in 0..t.levels.len() {
                let below = i.checked_sub(1).map(|j| folded[j].as_slice());
                let (mine, matches) = classify_level_matched(&t, i, &folded[i], below);
                let json = |c: &[Classified]| serde_json::to_value(c).unwrap();
                assert_eq!(json(&mine), json(&classify_level(&t, i)), "round {round}");
                for d in dims {
                    let got = dimension_classes_folded(
                        &t,
                        &mine,
                        Some(&matches),
                        i,
                        d,
                        &folded[i],
                        below,
                    );
                    assert_eq!(
                        json(&got),
                        json(&dimension_classes(&t, &mine, i, d)),
                        "round {round}, level {i}, dimension {d}"
                    );
                }
            }
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
            tracks: vec![ic.into(), mgmt.into()],
            ..Handbook::new()
        }
    }

    fn render_all(pages: &[PageOut]) -> Vec<(String, String)> {
        let renderer = Renderer::new(ThemeFiles::load(None, "default").unwrap()).unwrap();
        pages
            .iter()
            .map(|p| {
                let mut ctx = Map::new();
                ctx.insert("site".into(), json!({"title": "T", "language": "en"}));
                ctx.insert("assets".into(), json!(renderer.asset_urls()));
                ctx.insert("nav".into(), json!([]));
                ctx.insert("rungs_version".into(), "test".into());
                ctx.insert("root".into(), crate::site::urls::root_prefix(&p.url).into());
                for (k, v) in &p.data {
                    ctx.insert(k.clone(), v.clone());
                }
                let html = renderer
                    .render(p.template, ctx, p.lists.as_deref())
                    .unwrap_or_else(|e| panic!("{}: {e}", p.url));
                (p.url.clone(), html)
            })
            .collect()
    }

    #[test]
    fn every_ladder_template_renders() {
        let hb = handbook();
        let pages = plan(&hb, &LadderExtras::default());
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
