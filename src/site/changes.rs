//! What changes from one level to the next: each expectation of a level is
//! new, reworded from one at the level below (with a word-level diff), or
//! repeated unchanged.

use crate::ladder::model::Expectation;
use crate::render::highlight::escape_html;
use serde::Serialize;
use similar::{ChangeTag, TextDiff};

/// How an expectation relates to the level below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// Nothing like it at the level below.
    New,
    /// A rewording of an expectation at the level below.
    Reworded,
    /// The same text as at the level below.
    Unchanged,
    /// There is no level below to compare with.
    First,
}

/// One expectation classified against the level below.
#[derive(Debug, Clone, Serialize)]
pub struct Classified {
    pub change: Change,
    /// For `Reworded`: HTML of the word diff (`<del>`/`<ins>`).
    pub diff_html: Option<String>,
    /// For `Reworded`/`Unchanged`: id of the expectation below.
    pub previous_id: Option<String>,
}

/// Fold text for comparison: case, punctuation and spacing do not count.
fn fold(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Similarity of two texts by words, 0.0 to 1.0.
pub fn similarity(a: &str, b: &str) -> f32 {
    let (a, b) = (fold(a), fold(b));
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    TextDiff::from_words(&a, &b).ratio()
}

/// Word-level diff of `old` → `new` as HTML: runs of removed words in
/// `<del>`, added words in `<ins>`, spaces between two changed words
/// joined into the run.
pub fn word_diff_html(old: &str, new: &str) -> String {
    let diff = TextDiff::from_words(old, new);
    let mut runs: Vec<(ChangeTag, String)> = Vec::new();
    for change in diff.iter_all_changes() {
        let value = change.value();
        let tag = match change.tag() {
            ChangeTag::Delete if value.trim().is_empty() => continue,
            ChangeTag::Insert if value.trim().is_empty() => ChangeTag::Equal,
            t => t,
        };
        match runs.last_mut() {
            Some((t, text)) if *t == tag => text.push_str(value),
            _ => runs.push((tag, value.to_string())),
        }
    }
    // `<ins>a</ins> <ins>b</ins>` → `<ins>a b</ins>`.
    let mut merged: Vec<(ChangeTag, String)> = Vec::new();
    let mut i = 0;
    while i < runs.len() {
        let (tag, text) = &runs[i];
        let absorbs = *tag == ChangeTag::Equal
            && text.trim().is_empty()
            && i + 1 < runs.len()
            && merged.last().is_some_and(|(t, _)| *t == runs[i + 1].0);
        if absorbs {
            let last = merged.last_mut().expect("checked");
            last.1.push_str(text);
            last.1.push_str(&runs[i + 1].1);
            i += 2;
            continue;
        }
        match merged.last_mut() {
            Some((t, acc)) if t == tag => acc.push_str(text),
            _ => merged.push((*tag, text.clone())),
        }
        i += 1;
    }
    let mut out = String::new();
    for (tag, text) in merged {
        let (open, close) = match tag {
            ChangeTag::Equal => ("", ""),
            ChangeTag::Delete => ("<del>", "</del>"),
            ChangeTag::Insert => ("<ins>", "</ins>"),
        };
        out.push_str(open);
        out.push_str(&escape_html(&text));
        out.push_str(close);
    }
    out
}

/// Below this similarity two expectations are different expectations.
const REWORD_THRESHOLD: f32 = 0.5;

/// Classify each of `current` against `previous` (the level below, `None`
/// for the first level). An expectation below is matched at most once;
/// expectations in the same dimension are preferred.
pub fn classify(current: &[Expectation], previous: Option<&[Expectation]>) -> Vec<Classified> {
    let Some(previous) = previous else {
        return current
            .iter()
            .map(|_| Classified {
                change: Change::First,
                diff_html: None,
                previous_id: None,
            })
            .collect();
    };
    let mut used = vec![false; previous.len()];
    let mut out: Vec<Option<Classified>> = vec![None; current.len()];
    // Exact repeats first, so a rewording never steals an unchanged match.
    for (i, e) in current.iter().enumerate() {
        let key = fold(&e.text.text);
        if let Some(j) = (0..previous.len())
            .find(|&j| {
                !used[j]
                    && previous[j].dimension == e.dimension
                    && fold(&previous[j].text.text) == key
            })
            .or_else(|| {
                (0..previous.len()).find(|&j| !used[j] && fold(&previous[j].text.text) == key)
            })
        {
            used[j] = true;
            out[i] = Some(Classified {
                change: Change::Unchanged,
                diff_html: None,
                previous_id: Some(previous[j].id.clone()),
            });
        }
    }
    for (i, e) in current.iter().enumerate() {
        if out[i].is_some() {
            continue;
        }
        let best = (0..previous.len())
            .filter(|&j| !used[j])
            .map(|j| {
                let mut s = similarity(&previous[j].text.text, &e.text.text);
                if previous[j].dimension != e.dimension {
                    s -= 0.1;
                }
                (j, s)
            })
            .filter(|&(_, s)| s >= REWORD_THRESHOLD)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        out[i] = Some(match best {
            Some((j, _)) => {
                used[j] = true;
                Classified {
                    change: Change::Reworded,
                    diff_html: Some(word_diff_html(&previous[j].text.text, &e.text.text)),
                    previous_id: Some(previous[j].id.clone()),
                }
            }
            None => Classified {
                change: Change::New,
                diff_html: None,
                previous_id: None,
            },
        });
    }
    out.into_iter()
        .map(|c| c.expect("every expectation classified"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ladder::model::Rich;

    fn e(id: &str, dim: Option<&str>, text: &str) -> Expectation {
        Expectation {
            id: id.into(),
            dimension: dim.map(String::from),
            text: Rich::from_markdown(text),
            ..Expectation::default()
        }
    }

    #[test]
    fn new_reworded_unchanged() {
        let prev = vec![
            e(
                "p1",
                None,
                "You write clear design documents for your own features.",
            ),
            e("p2", None, "Reviews code from teammates."),
            e("p3", None, "Knows the on-call runbook."),
        ];
        let cur = vec![
            e("c1", None, "You have established a track record of writing clear design documents for your own features."),
            e("c2", None, "Reviews code from teammates."),
            e("c3", None, "Leads the quarterly planning of a whole team."),
        ];
        let c = classify(&cur, Some(&prev));
        assert_eq!(c[0].change, Change::Reworded);
        assert_eq!(c[0].previous_id.as_deref(), Some("p1"));
        let d = c[0].diff_html.as_deref().unwrap();
        assert!(d.contains("<del>write</del>"), "{d}");
        assert!(
            d.contains("<ins>have established a track record of writing</ins>"),
            "{d}"
        );
        assert_eq!(c[1].change, Change::Unchanged);
        assert_eq!(c[2].change, Change::New);
    }

    #[test]
    fn first_level_and_case_insensitive_repeats() {
        let cur = vec![e("a", None, "Ships things.")];
        assert_eq!(classify(&cur, None)[0].change, Change::First);
        let prev = vec![e("b", None, "ships things")];
        assert_eq!(classify(&cur, Some(&prev))[0].change, Change::Unchanged);
    }

    #[test]
    fn a_previous_expectation_matches_once() {
        let prev = vec![e("p", None, "Owns the deploy pipeline.")];
        let cur = vec![
            e("a", None, "Owns the deploy pipeline."),
            e("b", None, "Owns the deploy pipeline for the team."),
        ];
        let c = classify(&cur, Some(&prev));
        assert_eq!(c[0].change, Change::Unchanged);
        assert_eq!(c[1].change, Change::New);
    }

    #[test]
    fn diff_escapes_html() {
        assert!(word_diff_html("a <b>", "a <i>").contains("&lt;i&gt;"));
    }
}
