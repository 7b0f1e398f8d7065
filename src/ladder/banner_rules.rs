//! Decorative banner lines, as plain-text authors write them:
//!
//! ```text
//! ==========================        a section break
//! --------------------------
//! Infrastructure as Code            a sub-section heading
//! --------------------------
//! ```
//!
//! [`normalise`] rewrites them into markdown that renders as intended: a
//! row of `=` becomes a thematic break (never text, never a setext
//! underline of a list item), a dash-framed title becomes an ATX heading
//! one level below the section it is in. A lone dash line is left alone:
//! under text it is a setext heading, elsewhere markdown draws a break.
//! Every line keeps its byte length
//! (padding with spaces), so byte offsets and line numbers of the original
//! body stay valid for the rewritten one.

/// Is the line a banner of `c` (3 or more, nothing else but spaces)?
fn is_rule_of(line: &str, c: char) -> bool {
    let t = line.trim();
    t.chars().count() >= 3 && t.chars().all(|x| x == c) && line.len() - line.trim_start().len() < 4
}

fn is_blank(line: Option<&&str>) -> bool {
    match line {
        None => true,
        Some(l) => l.trim().is_empty(),
    }
}

/// Can `line` be the text of a setext heading (so that `===` under it is
/// a heading underline, which markdown renders correctly)?
fn is_setext_text(line: &str) -> bool {
    let t = line.trim_start();
    !(t.is_empty()
        || line.len() - t.len() >= 4
        || t.starts_with(['#', '>', '|', '<', '-', '*', '+', '=', '`', '~'])
        || t.split_once(['.', ')'])
            .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())))
}

fn pad(s: &str, len: usize) -> String {
    let mut out = s.to_string();
    while out.len() < len {
        out.push(' ');
    }
    out
}

fn fence_marker(line: &str) -> Option<&'static str> {
    let t = line.trim_start();
    if t.starts_with("```") {
        Some("```")
    } else if t.starts_with("~~~") {
        Some("~~~")
    } else {
        None
    }
}

/// Rewrite banner lines (see the module docs). Returns the body unchanged
/// when it has none. The result has the same length and line breaks.
pub fn normalise(body: &str) -> String {
    let lines: Vec<&str> = body.split('\n').collect();
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let mut fence: Option<&str> = None;
    let mut depth = 2usize;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some(f) = fence {
            if line.trim_start().starts_with(f) {
                fence = None;
            }
            i += 1;
            continue;
        }
        if let Some(f) = fence_marker(line) {
            fence = Some(f);
            i += 1;
            continue;
        }
        let t = line.trim_start();
        if t.starts_with('#') {
            let hashes = t.chars().take_while(|&c| c == '#').count();
            if (1..=6).contains(&hashes) && t[hashes..].starts_with([' ', '\t']) {
                depth = hashes;
            }
        }
        let prev = i.checked_sub(1).map(|p| &lines[p]);
        if is_rule_of(line, '=') {
            let setext = prev.is_some_and(|p| is_setext_text(p))
                && !(i >= 2 && is_rule_of(lines[i - 2], '-'));
            if !setext {
                out[i] = banner(line, &lines, i);
            }
            i += 1;
            continue;
        }
        // `-----` / Title / `-----`
        if is_rule_of(line, '-')
            && i + 2 < lines.len()
            && is_rule_of(lines[i + 2], '-')
            && !lines[i + 1].trim().is_empty()
            && !is_rule_of(lines[i + 1], '-')
            && !is_rule_of(lines[i + 1], '=')
        {
            let level = (depth + 1).min(6);
            let hashes = "#".repeat(level);
            let title = lines[i + 1].trim();
            let heading = format!("{hashes} {title}");
            let total = line.len() + 1 + lines[i + 1].len();
            if heading.len() < total {
                // Move the title up into the first dash line's bytes, keep
                // the title line blank: same bytes overall.
                let first = pad(&heading, line.len());
                if first.len() == line.len() {
                    out[i] = first;
                    out[i + 1] = pad("", lines[i + 1].len());
                } else {
                    out[i] = pad("", line.len());
                    out[i + 1] = pad(&heading, lines[i + 1].len());
                    if out[i + 1].len() != lines[i + 1].len() {
                        out[i + 1] = lines[i + 1].to_string();
                        out[i] = banner(line, &lines, i);
                    }
                }
                out[i + 2] = pad("", lines[i + 2].len());
            }
            i += 3;
            continue;
        }
        // A lone dash line is left to markdown: under text it is a setext
        // heading underline (`Title\n-----`), under a blank line a break.
        i += 1;
    }
    out.join("\n")
}

/// A section break in `line`'s bytes: `<hr class="banner">` when it stands
/// between blank lines (an HTML block), else `***`.
fn banner(line: &str, lines: &[&str], i: usize) -> String {
    let prev_blank = i == 0 || lines[i - 1].trim().is_empty();
    let next_blank = is_blank(lines.get(i + 1));
    let html = "<hr class=\"banner\">";
    if prev_blank && next_blank && line.len() >= html.len() {
        pad(html, line.len())
    } else {
        pad("***", line.len().max(3))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::markdown::render_plain;

    #[test]
    fn equals_banners_become_breaks() {
        let src =
            "# T\n\n=============================\n\n## 1. A\n\ntext\n=====\n\n- item\n=====\n";
        let n = normalise(src);
        assert_eq!(n.len(), src.len());
        assert_eq!(n.lines().count(), src.lines().count());
        let html = render_plain(&n);
        assert!(!html.contains("==="), "{html}");
        assert!(html.contains("<hr class=\"banner\">"), "{html}");
        // `text` + `=====` stays a setext heading.
        assert!(html.contains(">text</h1>"), "{html}");
    }

    #[test]
    fn dash_framed_titles_become_headings() {
        let src = "## 6. Framework\n\n---------------------\nInfra as Code\n---------------------\n\nAll of it.\n";
        let n = normalise(src);
        assert_eq!(n.len(), src.len());
        let html = render_plain(&n);
        assert!(html.contains(">Infra as Code</h3>"), "{html}");
        assert!(!html.contains("---"), "{html}");
    }

    #[test]
    fn setext_headings_are_left_alone() {
        let src = "Title\n----------------\n\nText\n";
        assert_eq!(normalise(src), src);
        assert!(render_plain(src).contains(">Title</h2>"));
    }

    #[test]
    fn code_blocks_are_left_alone() {
        let src = "```\n=====\n```\n";
        assert_eq!(normalise(src), src);
    }

    #[test]
    fn short_frames_and_odd_input() {
        for s in [
            "",
            "===",
            "---\nx\n---",
            "-\n=\n",
            "a\n---\n",
            "===\n===\n===",
        ] {
            let n = normalise(s);
            assert_eq!(n.len(), s.len(), "{s:?}");
            assert!(!render_plain(&n).contains("==="), "{s:?}");
        }
    }
}
