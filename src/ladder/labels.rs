//! Level labels as authors write them: `Level 3`, `Level 3: Senior`,
//! `Level 3 — Senior`, `L3`, `P3`, `IC4`, `E5`, `Levels 1-2`, `1 - 2`,
//! `6-7`, `P3, P4`. Shared by every recogniser.

/// A level label, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelLabel {
    /// Inclusive range; `from == to` for a single level.
    pub from: u32,
    pub to: u32,
    /// Text after the number (`Level 3: Senior Engineer` → `Senior Engineer`).
    pub title: Option<String>,
    /// The label part as written (`Level 3`, `IC4`, `1 - 2`).
    pub label: String,
}

impl LevelLabel {
    pub fn levels(&self) -> Vec<u32> {
        if self.from <= self.to {
            (self.from..=self.to).collect()
        } else {
            Vec::new()
        }
    }

    pub fn is_reversed(&self) -> bool {
        self.from > self.to
    }
}

/// Highest level number rungs accepts; larger numbers are years, ids or
/// typos, not levels.
pub const MAX_LEVEL: u32 = 99;

const DASHES: &[char] = &['-', '–', '—', '‒', '―'];

fn is_dash(c: char) -> bool {
    DASHES.contains(&c)
}

/// Parse a number at the start of `s` (≤ MAX_LEVEL); returns it and the rest.
fn number(s: &str) -> Option<(u32, &str)> {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    if end == 0 || end > 2 {
        return None;
    }
    let n: u32 = s[..end].parse().ok()?;
    (n <= MAX_LEVEL).then_some((n, &s[end..]))
}

/// `N` or `N - M` (any dash, optional spaces, `to`/`through`): returns the
/// range and the rest of the string.
fn range(s: &str) -> Option<(u32, u32, &str)> {
    let (from, rest) = number(s)?;
    let t = rest.trim_start();
    let after_sep = if let Some(r) = t.strip_prefix(is_dash) {
        Some(r)
    } else {
        ["to ", "through ", "thru "]
            .iter()
            .find_map(|w| t.strip_prefix(w))
    };
    if let Some(r) = after_sep {
        let r = r.trim_start();
        // `Level 3 - 5` is a range, `Level 3 - Senior` is a title.
        let r = r
            .strip_prefix(|c: char| c == 'L' || c == 'l')
            .filter(|x| x.starts_with(|c: char| c.is_ascii_digit()))
            .unwrap_or(r);
        if let Some((to, rest2)) = number(r) {
            if rest2.is_empty() || !rest2.starts_with(|c: char| c.is_alphanumeric()) {
                return Some((from, to, rest2));
            }
        }
    }
    if rest.is_empty() || !rest.starts_with(|c: char| c.is_alphanumeric()) {
        Some((from, from, rest))
    } else {
        None
    }
}

/// The separator between a label and its title: `:`, a dash, `.`, `·`,
/// `|` or just spaces. Returns the title, if any.
fn title_after(rest: &str) -> Option<Option<String>> {
    let t = rest.trim();
    if t.is_empty() {
        return Some(None);
    }
    let t2 = t
        .strip_prefix(|c: char| {
            c == ':' || c == '.' || c == '·' || c == '|' || c == ')' || is_dash(c)
        })
        .map(str::trim);
    let title = match t2 {
        Some(x) => x,
        // No separator: allow `Level 3 Senior Engineer` only after a space.
        None if rest.starts_with(char::is_whitespace) => t,
        None => return None,
    };
    let title = title.trim_matches(|c: char| c == '*' || c == '_' || c.is_whitespace());
    Some((!title.is_empty()).then(|| title.to_string()))
}

/// A label word before the number: `Level`, `Levels`, `Lvl`, or a short
/// uppercase prefix (`L`, `P`, `IC`, `E`, `SE`, `M`, `D`).
fn strip_prefix_word(s: &str) -> Option<(&str, bool)> {
    let lower = s.to_ascii_lowercase();
    for w in ["levels", "level", "lvl.", "lvl"] {
        if lower.starts_with(w) {
            let rest = &s[w.len()..];
            let rest = rest.strip_prefix(['.', ':']).unwrap_or(rest);
            let trimmed = rest.trim_start();
            if trimmed.starts_with(|c: char| c.is_ascii_digit()) {
                return Some((trimmed, true));
            }
            return None;
        }
    }
    // Short uppercase prefix glued to the number: L3, P3, IC4, E5, SE2.
    let letters = s.find(|c: char| !c.is_ascii_uppercase()).unwrap_or(s.len());
    if (1..=3).contains(&letters) && s[letters..].starts_with(|c: char| c.is_ascii_digit()) {
        return Some((&s[letters..], false));
    }
    None
}

/// Parse a heading or line that is a level label. Accepts `Level 3`,
/// `Level 3: Title`, `Level 3 — Title`, `Levels 1-2`, `L3`, `IC4 - Senior`,
/// `E5: Staff`. Bare numbers are not accepted here (see [`parse_range`]).
pub fn parse_level_heading(s: &str) -> Option<LevelLabel> {
    let s = s.trim().trim_matches(|c: char| c == '*' || c == '_').trim();
    let (after_prefix, _) = strip_prefix_word(s)?;
    let (from, to, rest) = range(after_prefix)?;
    let title = title_after(rest)?;
    let label_len = s.len() - rest.len();
    Some(LevelLabel {
        from,
        to,
        title,
        label: s[..label_len].trim().to_string(),
    })
}

/// Parse a table cell holding a level or range: `5`, `1 - 2`, `6-7`, `L3`,
/// `Level 4`, `Levels 1–2`. Nothing else may follow.
pub fn parse_range(s: &str) -> Option<LevelLabel> {
    let s = s.trim().trim_matches(|c: char| c == '*' || c == '_').trim();
    if let Some(l) = parse_level_heading(s) {
        return l.title.is_none().then_some(l);
    }
    let (from, to, rest) = range(s)?;
    rest.trim().is_empty().then(|| LevelLabel {
        from,
        to,
        title: None,
        label: s.to_string(),
    })
}

/// Parse a list of level labels, as anti-pattern labels are written:
/// `Levels 1-2`, `Level 5`, `L3`, `P3, P4`, `L2 & L3`, `Levels 1, 2 and 4`.
/// Returns every level named, in order, without duplicates.
pub fn parse_level_list(s: &str) -> Option<Vec<u32>> {
    let s = s.trim().trim_end_matches(':').trim();
    if s.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    let normalised = s.replace(" and ", ",").replace(['&', ';', '/'], ",");
    let mut any_prefix = false;
    for part in normalised.split(',') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let label = match parse_level_heading(part) {
            Some(l) if l.title.is_none() => {
                any_prefix = true;
                l
            }
            Some(_) => return None,
            // `Levels 1, 2`: the second part is a bare number.
            None if any_prefix => parse_range(part)?,
            None => return None,
        };
        for n in label.levels() {
            if !out.contains(&n) {
                out.push(n);
            }
        }
        if label.is_reversed() {
            return None;
        }
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &str) -> Option<(u32, u32, Option<String>)> {
        parse_level_heading(s).map(|l| (l.from, l.to, l.title))
    }

    #[test]
    fn level_headings() {
        assert_eq!(h("Level 3"), Some((3, 3, None)));
        assert_eq!(
            h("Level 3: Senior Engineer"),
            Some((3, 3, Some("Senior Engineer".into())))
        );
        assert_eq!(h("Level 3 — Senior"), Some((3, 3, Some("Senior".into()))));
        assert_eq!(h("Level 3 – Senior"), Some((3, 3, Some("Senior".into()))));
        assert_eq!(h("Level 3 - Senior"), Some((3, 3, Some("Senior".into()))));
        assert_eq!(h("L3"), Some((3, 3, None)));
        assert_eq!(h("P3"), Some((3, 3, None)));
        assert_eq!(
            h("IC4 — Senior Engineer"),
            Some((4, 4, Some("Senior Engineer".into())))
        );
        assert_eq!(h("E5: Staff"), Some((5, 5, Some("Staff".into()))));
        assert_eq!(
            h("D3 - Developer 3"),
            Some((3, 3, Some("Developer 3".into())))
        );
        assert_eq!(h("Levels 1-2"), Some((1, 2, None)));
        assert_eq!(h("level 2"), Some((2, 2, None)));
    }

    #[test]
    fn not_level_headings() {
        assert_eq!(h("Levels of responsibility"), None);
        assert_eq!(h("Leveling up"), None);
        assert_eq!(h("HTTP2 notes"), None);
        assert_eq!(
            h("Q3"),
            Some((3, 3, None)),
            "short prefixes are accepted; context decides"
        );
        assert_eq!(h("Level 2024"), None);
        assert_eq!(h("Overview"), None);
        assert_eq!(h("ISO9001"), None);
    }

    #[test]
    fn ranges() {
        let r = |s: &str| parse_range(s).map(|l| (l.from, l.to));
        assert_eq!(r("5"), Some((5, 5)));
        assert_eq!(r("1 - 2 "), Some((1, 2)));
        assert_eq!(r("6-7"), Some((6, 7)));
        assert_eq!(r("L3"), Some((3, 3)));
        assert_eq!(r("3 – 4"), Some((3, 4)));
        assert_eq!(r("Level 4"), Some((4, 4)));
        assert_eq!(r("3 - 1"), Some((3, 1)));
        assert!(parse_range("3 - 1").unwrap().is_reversed());
        assert_eq!(r("Tasks"), None);
        assert_eq!(r("5 years"), None);
    }

    #[test]
    fn lists() {
        assert_eq!(parse_level_list("Levels 1-2:"), Some(vec![1, 2]));
        assert_eq!(parse_level_list("Levels 5"), Some(vec![5]));
        assert_eq!(parse_level_list("Levels 6-8"), Some(vec![6, 7, 8]));
        assert_eq!(parse_level_list("L3"), Some(vec![3]));
        assert_eq!(parse_level_list("P3, P4"), Some(vec![3, 4]));
        assert_eq!(parse_level_list("Levels 1, 2 and 4"), Some(vec![1, 2, 4]));
        assert_eq!(parse_level_list("Note"), None);
        assert_eq!(parse_level_list("Levels 3-1"), None);
    }
}
