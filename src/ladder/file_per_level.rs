//! One file per level: a document whose frontmatter names its `track` and
//! `level` (and optionally `role`) holds that one level; its sub-headings
//! are dimensions, with bullets or paragraphs under each. Documents naming
//! the same `track` are merged into one track by [`merge`] (called from
//! `recognise_all`, after every document was recognised on its own); an
//! `_index.md` or `README.md` in the same folder describes the track.

use super::blocks::{self, BlockKind};
use super::heading_ladder::dimension_id;
use super::labels::parse_range;
use super::model::{DimensionId, Level, Rich, Role, Shape, SourceRef, Track};
use super::{doc_title, Claim};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::slug::SlugSet;
use crate::source::SourceDoc;
use std::borrow::Cow;

/// Highest level number frontmatter may name. Frontmatter `level:` says
/// outright that the file is a level, so it is not held to the heading
/// guard against years ([`super::labels::MAX_LEVEL`]).
pub const MAX_FRONTMATTER_LEVEL: u32 = 100_000;

/// The level number named by frontmatter `level` (`3`, `L3`, `Level 3`,
/// `250`).
pub fn level_number(fm_level: &str) -> Option<u32> {
    let s = fm_level.trim();
    let digits = ["level", "Level", "LEVEL", "L", "l"]
        .iter()
        .find_map(|p| s.strip_prefix(p))
        .map(str::trim_start)
        .unwrap_or(s);
    if !digits.is_empty() && digits.len() <= 6 && digits.bytes().all(|b| b.is_ascii_digit()) {
        return digits
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_FRONTMATTER_LEVEL).contains(n));
    }
    parse_range(fm_level)
        .filter(|l| l.from == l.to && l.from > 0)
        .map(|l| l.from)
}

/// A warning at the frontmatter line of `level` (else `track`), where the
/// author would fix it.
fn warn(doc: &SourceDoc, message: String, hint: &str) -> Diagnostic {
    let fm = &doc.frontmatter;
    let line = fm
        .key_line("level")
        .or_else(|| fm.key_line("track"))
        .unwrap_or(1);
    Diagnostic::warning(message)
        .at(&doc.path, line, 1)
        .with_source(&std::fs::read_to_string(&doc.path).unwrap_or_default())
        .hint(hint.to_string())
}

pub fn recognise(doc: &SourceDoc, diags: &mut Diagnostics) -> Option<Claim<Vec<Track>>> {
    let fm = &doc.frontmatter;
    // `track:` naming a ladder written as data is its title, not a key.
    if super::structured_yaml::looks_like_ladder(&fm.extra) {
        return None;
    }
    let (track_key, level) = match (&fm.track, &fm.level) {
        (None, None) => return None,
        (Some(t), Some(l)) => (t.clone(), l.clone()),
        (Some(_), None) => {
            diags.push(warn(
                doc,
                "frontmatter names a `track` but no `level`; shown as a plain page".into(),
                "add `level: <number>` to the frontmatter to make this file one level of the track",
            ));
            return None;
        }
        (None, Some(_)) => {
            diags.push(warn(
                doc,
                "frontmatter names a `level` but no `track`; shown as a plain page".into(),
                "add `track: <name>` so rungs knows which track this level belongs to",
            ));
            return None;
        }
    };
    let Some(number) = level_number(&level) else {
        diags.push(warn(
            doc,
            format!("frontmatter `level: {level}` is not a level number; shown as a plain page"),
            "write the level as a number (`level: 3`) or a label (`level: L3`)",
        ));
        return None;
    };
    let body = &doc.body;
    let bl = blocks::blocks(body);
    let mut spans = Vec::new();
    let (_, title_span) = doc_title(doc, &bl);
    spans.extend(title_span);
    let mut track = Track {
        title: track_key.clone(),
        shape: Some(Shape::FilePerLevel),
        source: SourceRef {
            file: doc.rel.clone(),
            line: 1,
        },
        ..Track::default()
    };
    let mut dim_ids = SlugSet::default();
    let mut lvl = Level {
        number,
        label: format!("Level {number}"),
        source: SourceRef {
            file: doc.rel.clone(),
            line: 1,
        },
        ..Level::default()
    };
    // Dimensions: the shallowest heading depth below the title.
    let depth = bl
        .iter()
        .filter_map(|b| b.heading_depth())
        .filter(|d| *d >= 2)
        .min();
    let mut dim: Option<DimensionId> = None;
    let mut skipping = false;
    for b in bl.iter() {
        if let Some(d) = b.heading_depth() {
            if Some(d) == depth {
                skipping = super::anti_patterns::is_heading(&b.text);
                if !skipping {
                    dim = Some(dimension_id(&mut track, &mut dim_ids, &b.text));
                    spans.push(b.range.clone());
                }
            }
            continue;
        }
        if skipping {
            continue;
        }
        if super::heading_ladder::level_block(
            doc,
            body,
            b,
            &dim,
            true,
            &mut track,
            &mut dim_ids,
            &mut lvl,
        ) {
            spans.push(b.range.clone());
        }
    }
    if lvl.expectations.is_empty() {
        diags.push(warn(
            doc,
            format!(
                "level {number} of track `{track_key}` has no expectations; shown as a plain page"
            ),
            "list the level's expectations as bullets under `## <Dimension>` headings",
        ));
        return None;
    }
    if let Some(role) = &fm.role {
        track.roles.push(Role {
            title: role.clone(),
            from: number,
            to: number,
            source: lvl.source.clone(),
        });
    }
    track.levels.push(lvl);
    Some(Claim::new(vec![track], spans))
}

/// Fallback track title: the level document's title without its level
/// (`Backend: Level 2` → `Backend`), else the track key title-cased.
fn title_from_level_doc(doc: &SourceDoc, key: &str) -> String {
    if let Some(t) = &doc.frontmatter.title {
        for sep in [':', '—', '–', '-', '|', '·'] {
            if let Some((head, tail)) = t.rsplit_once(sep) {
                if super::labels::parse_level_heading(tail.trim()).is_some()
                    && !head.trim().is_empty()
                {
                    return head.trim().to_string();
                }
            }
        }
    }
    if key.contains(char::is_uppercase) || key.contains(' ') {
        key.to_string()
    } else {
        blocks::title_case_stem(key)
    }
}

fn folder(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(f, _)| f)
}

/// The folder's `_index.md` or `README.md` (any extension), if any: its
/// index in `docs`.
pub fn folder_index(docs: &[&SourceDoc], dir: &str) -> Option<usize> {
    docs.iter().position(|d| {
        folder(&d.rel) == dir
            && {
                let stem = d.stem().to_lowercase();
                stem == "_index" || stem == "readme" || stem == "index"
            }
            && d.frontmatter.level.is_none()
    })
}

/// Documents naming the same `track` whose one-level tracks merge into one
/// ([`merge_group`]): indexes into `docs`, in path order, the first (the
/// host) holding the merged track. `has_level(i)`: whether `docs[i]` was
/// recognised as one level of a track.
pub fn groups(docs: &[&SourceDoc], has_level: &dyn Fn(usize) -> bool) -> Vec<Vec<usize>> {
    let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        let Some(key) = d.frontmatter.track.as_deref() else {
            continue;
        };
        if !has_level(i) {
            continue;
        }
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, g)) => g.push(i),
            None => groups.push((key, vec![i])),
        }
    }
    groups.into_iter().map(|(_, g)| g).collect()
}

/// One track merged from the one-level tracks of a group's documents.
#[derive(Debug, Clone, Default)]
pub struct Merged {
    pub track: Track,
    /// For each document of the group after the host: whether its level
    /// joined the track (a level number already taken does not; that
    /// document is shown as a plain page).
    pub joined: Vec<bool>,
    pub diags: Diagnostics,
}

/// Merge the one-level tracks of a group of documents ([`groups`]) into
/// the first one's. `level_track(i)`: the one-level track of `docs[i]`,
/// owned when nothing else needs it (it is then moved rather than
/// copied); `index`: the folder's index document ([`folder_index`] of the
/// host's folder), which titles and describes the track.
pub fn merge_group<'a>(
    docs: &[&SourceDoc],
    group: &[usize],
    level_track: &dyn Fn(usize) -> Cow<'a, Track>,
    index: Option<&SourceDoc>,
) -> Merged {
    let mut diags = Diagnostics::default();
    let host = docs[group[0]];
    let key = host.frontmatter.track.clone().unwrap_or_default();
    let mut target = level_track(group[0]).into_owned();
    let mut joined = Vec::with_capacity(group.len().saturating_sub(1));
    for &i in &group[1..] {
        let t = level_track(i).into_owned();
        let mut ids = SlugSet::default();
        for d in &target.dimensions {
            ids.reserve(&d.id);
        }
        let mut ok = true;
        // The document's dimension ids and the track's for them.
        let mut renamed: Vec<(DimensionId, DimensionId)> = Vec::new();
        for mut level in t.levels {
            if target.levels.iter().any(|l| l.number == level.number) {
                diags.push(warn(
                    docs[i],
                    format!(
                        "level {} of track `{}` is also in {}; this file is shown as a plain page",
                        level.number, key, target.source.file
                    ),
                    "give each file of a track its own `level`",
                ));
                ok = false;
                continue;
            }
            for e in &mut level.expectations {
                if let Some(old) = e.dimension.take() {
                    let new = match renamed.iter().find(|(o, _)| *o == old) {
                        Some((_, new)) => new.clone(),
                        None => {
                            let title = t
                                .dimensions
                                .iter()
                                .find(|d| d.id == old)
                                .map_or(&*old, |d| d.title.as_str());
                            let new = dimension_id(&mut target, &mut ids, title);
                            renamed.push((old.clone(), new.clone()));
                            new
                        }
                    };
                    e.dimension = Some(new);
                }
            }
            target.levels.push(level);
        }
        joined.push(ok);
        target.roles.extend(t.roles);
    }
    target.levels.sort_by_key(|l| l.number);
    target.roles.sort_by_key(|r| r.from);
    match index {
        Some(idx) => {
            let bl = blocks::blocks(&idx.body);
            target.title = doc_title(idx, &bl).0;
            target.description = idx
                .frontmatter
                .description
                .as_deref()
                .map(Rich::from_markdown)
                .or_else(|| {
                    bl.iter()
                        .find(|b| b.kind == BlockKind::Paragraph)
                        .map(|b| Rich::from_markdown(&idx.body[b.range.clone()]))
                });
        }
        None => target.title = title_from_level_doc(host, &key),
    }
    Merged {
        track: target,
        joined,
        diags,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Frontmatter;

    fn doc(rel: &str, track: Option<&str>, level: Option<&str>, body: &str) -> SourceDoc {
        SourceDoc {
            path: rel.into(),
            rel: rel.into(),
            frontmatter: Frontmatter {
                track: track.map(String::from),
                level: level.map(String::from),
                ..Frontmatter::default()
            },
            body: body.into(),
            body_line_offset: 0,
            line_starts: Default::default(),
        }
    }

    #[test]
    fn one_level_with_dimensions() {
        let d = doc(
            "web/l2.md",
            Some("web"),
            Some("2"),
            "Grows.\n\n## Craft\n- Tests\n- **Review**: reviews\n\n## Impact\nShips every week.\n",
        );
        let mut dg = Diagnostics::default();
        let t = recognise(&d, &mut dg).unwrap().value.remove(0);
        let l = &t.levels[0];
        assert_eq!(l.number, 2);
        assert_eq!(l.summary.as_ref().unwrap().text(), "Grows.");
        let dims: Vec<_> = l
            .expectations
            .iter()
            .map(|e| e.dimension.as_deref().unwrap())
            .collect();
        assert_eq!(dims, ["craft", "review", "impact"]);
        assert!(dg.is_empty());
    }

    #[test]
    fn near_misses_warn_and_stay_pages() {
        for (t, l, body) in [
            (Some("web"), None, "## A\n- x\n"),
            (None, Some("2"), "## A\n- x\n"),
            (Some("web"), Some("senior"), "## A\n- x\n"),
            (Some("web"), Some("2"), "Nothing listed.\n"),
        ] {
            let mut dg = Diagnostics::default();
            assert!(recognise(&doc("a.md", t, l, body), &mut dg).is_none());
            let w = dg.iter().next().expect("a warning");
            assert!(w.hint.is_some() && w.line > 0);
        }
        let mut dg = Diagnostics::default();
        assert!(recognise(&doc("a.md", None, None, "## A\n- x\n"), &mut dg).is_none());
        assert!(dg.is_empty());
    }

    #[test]
    fn warnings_point_at_the_level_line() {
        let text = "---\ntitle: Web two\ntrack: web\nlevel: senior\n---\n## A\n- x\n";
        let (fm, body, off) =
            crate::source::split_frontmatter(text, std::path::Path::new("a.md")).unwrap();
        let d = SourceDoc {
            frontmatter: fm,
            body_line_offset: off,
            ..doc("a.md", None, None, body)
        };
        let mut dg = Diagnostics::default();
        assert!(recognise(&d, &mut dg).is_none());
        assert_eq!(dg.iter().next().unwrap().line, 4);
        // No `level`: the `track` line.
        let (fm, body, _) = crate::source::split_frontmatter(
            "---\ntitle: x\ntrack: web\n---\n## A\n- x\n",
            std::path::Path::new("a.md"),
        )
        .unwrap();
        let d = SourceDoc {
            frontmatter: fm,
            ..doc("a.md", None, None, body)
        };
        let mut dg = Diagnostics::default();
        assert!(recognise(&d, &mut dg).is_none());
        assert_eq!(dg.iter().next().unwrap().line, 3);
    }

    #[test]
    fn frontmatter_levels_beyond_99() {
        assert_eq!(level_number("250"), Some(250));
        assert_eq!(level_number("L 1200"), Some(1200));
        assert_eq!(level_number("Level 100000"), Some(100_000));
        assert_eq!(level_number("100001"), None);
        assert_eq!(level_number("0"), None);
        assert_eq!(level_number("L3"), Some(3));
        let mut dg = Diagnostics::default();
        let claim = recognise(
            &doc(
                "l.md",
                Some("t"),
                Some("250"),
                "## Delivery\n- Ships the thing.\n",
            ),
            &mut dg,
        )
        .expect("a level");
        assert_eq!(claim.value[0].levels[0].number, 250);
        assert!(dg.is_empty(), "{dg:?}");
    }

    #[test]
    fn odd_inputs_never_panic() {
        for body in ["", "#", "## \n- \n", "##### x\n- y\n# z\n", "- **:** a\n"] {
            for level in ["0", "999", "L3", "-1", "1-2", ""] {
                let _ = recognise(
                    &doc("a.md", Some("t"), Some(level), body),
                    &mut Diagnostics::default(),
                );
            }
        }
    }

    /// Recognition steps that hold on to what they make, as `rungs serve`
    /// does: nothing can be moved out, so everything is copied.
    #[derive(Default)]
    struct Holding(std::sync::Mutex<Vec<Box<dyn std::any::Any + Send>>>);

    impl crate::ladder::RecogniseSteps for Holding {
        fn doc(&self, d: &SourceDoc) -> (u64, crate::ladder::Recognised) {
            let r = crate::ladder::Fresh.doc(d);
            self.0.lock().unwrap().push(Box::new(r.1.clone()));
            r
        }
        fn merged(&self, _: u64, make: &dyn Fn() -> Merged) -> std::sync::Arc<Merged> {
            let m = std::sync::Arc::new(make());
            self.0.lock().unwrap().push(Box::new(m.clone()));
            m
        }
        fn bases(&self, k: u64, t: &Track) -> std::sync::Arc<crate::ladder::Bases> {
            crate::ladder::Fresh.bases(k, t)
        }
        fn ids(
            &self,
            k: u64,
            make: &dyn Fn() -> Vec<Vec<(usize, String)>>,
        ) -> std::sync::Arc<crate::ladder::TrackIds> {
            crate::ladder::Fresh.ids(k, make)
        }
        fn finished(&self, k: u64, make: &dyn Fn() -> Track) -> std::sync::Arc<Track> {
            crate::ladder::Fresh.finished(k, make)
        }
    }

    #[test]
    fn moved_and_copied_levels_make_the_same_handbook() {
        let docs = vec![
            doc("web/_index.md", None, None, "# Web\n\nAll about the web.\n"),
            doc(
                "web/l2.md",
                Some("web"),
                Some("2"),
                "## Craft\n- Tests well\n- **Review**: reviews\n",
            ),
            doc(
                "web/l1.md",
                Some("web"),
                Some("1"),
                "Starts.\n\n## Craft\n- Tests\n## Impact\n- Ships\n",
            ),
            doc(
                "web/l1-again.md",
                Some("web"),
                Some("1"),
                "## Craft\n- Clash\n",
            ),
            doc(
                "ops/l1.md",
                Some("ops"),
                Some("1"),
                "## Uptime\n- Watches\n",
            ),
        ];
        let json = |steps: &dyn crate::ladder::RecogniseSteps| {
            let mut dg = Diagnostics::default();
            let (hb, _) = crate::ladder::recognise_all_with(&docs, &mut dg, steps);
            (serde_json::to_string(&hb).unwrap(), dg.into_vec().len())
        };
        let cold = json(&crate::ladder::Fresh);
        let held = json(&Holding::default());
        assert_eq!(cold, held);
        assert!(
            cold.0.contains("Tests well") && cold.0.contains("Watches"),
            "{}",
            cold.0
        );
        // The clashing level file warns in both.
        assert!(cold.1 > 0);
    }

    #[test]
    fn merges_levels_of_one_track() {
        let idx = SourceDoc {
            frontmatter: Frontmatter {
                title: Some("Web Engineering".into()),
                ..Frontmatter::default()
            },
            ..doc("web/_index.md", None, None, "All about the web.\n")
        };
        let a = doc("web/b.md", Some("web"), Some("2"), "## Craft\n- b\n");
        let b = doc(
            "web/a.md",
            Some("web"),
            Some("1"),
            "## Impact\n- a\n## Craft\n- c\n",
        );
        let docs = [&idx, &b, &a];
        let mut dg = Diagnostics::default();
        let tracks: Vec<Vec<Track>> = docs
            .iter()
            .map(|d| recognise(d, &mut dg).map(|c| c.value).unwrap_or_default())
            .collect();
        let groups = groups(&docs, &|i| !tracks[i].is_empty());
        assert_eq!(groups, [vec![1, 2]]);
        let index = folder_index(&docs, "web").map(|i| docs[i]);
        let m = merge_group(&docs, &groups[0], &|i| Cow::Borrowed(&tracks[i][0]), index);
        assert_eq!(m.joined, [true]);
        let t = &m.track;
        assert_eq!(t.title, "Web Engineering");
        assert_eq!(t.description.as_ref().unwrap().text(), "All about the web.");
        assert_eq!(
            t.levels.iter().map(|l| l.number).collect::<Vec<_>>(),
            [1, 2]
        );
        assert_eq!(t.dimensions.len(), 2);
        assert_eq!(
            t.levels[1].expectations[0].dimension.as_deref(),
            Some("craft")
        );
    }
}
