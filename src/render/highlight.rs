//! Build-time syntax highlighting of fenced code into CSS classes.
//!
//! The syntax set is loaded on first use only, so sites without code never
//! pay for it. Colours live in the theme's CSS (`.hl-*` classes).

use std::sync::OnceLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();

fn syntaxes() -> &'static SyntaxSet {
    SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Escape text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    escape_html_into(s, &mut out);
    out
}

/// [`escape_html`], appended to `out`: `& < > " '` as `&amp; &lt; &gt;
/// &quot; &#39;`, as pulldown-cmark escapes attribute values (a vector
/// at a time where the CPU can).
pub fn escape_html_into(s: &str, out: &mut String) {
    // Writing to a `String` cannot fail.
    let _ = pulldown_cmark_escape::escape_html(out, s);
}

/// Normalise common info-string aliases to a syntect token.
fn token(lang: &str) -> &str {
    match lang {
        "sh" | "shell" | "console" | "zsh" => "bash",
        "yml" => "yaml",
        "py" => "python",
        "rs" => "rust",
        "js" | "jsx" | "mjs" => "js",
        "ts" | "tsx" => "js",
        "md" => "markdown",
        "toml" => "yaml",
        other => other,
    }
}

/// `<pre><code>` for a fenced block, highlighted when the language is known.
pub fn code_block(lang: &str, code: &str, highlight: bool) -> String {
    let lang = lang.split([' ', ',', '{']).next().unwrap_or("").trim();
    let lang_attr = if lang.is_empty() {
        String::new()
    } else {
        format!(
            " class=\"language-{}\" data-lang=\"{}\"",
            escape_html(lang),
            escape_html(lang)
        )
    };
    if highlight && !lang.is_empty() {
        let ss = syntaxes();
        if let Some(syntax) = ss.find_syntax_by_token(token(&lang.to_ascii_lowercase())) {
            let mut gen = ClassedHTMLGenerator::new_with_class_style(
                syntax,
                ss,
                ClassStyle::SpacedPrefixed { prefix: "hl-" },
            );
            let mut ok = true;
            for line in LinesWithEndings::from(code) {
                if gen
                    .parse_html_for_line_which_includes_newline(line)
                    .is_err()
                {
                    ok = false;
                    break;
                }
            }
            if ok {
                return format!(
                    "<pre class=\"code\"><code{lang_attr}>{}</code></pre>\n",
                    gen.finalize()
                );
            }
        }
    }
    format!(
        "<pre class=\"code\"><code{lang_attr}>{}</code></pre>\n",
        escape_html(code)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_known_languages_into_classes() {
        let html = code_block("rust", "fn main() {}\n", true);
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.contains("language-rust"));
    }

    #[test]
    fn unknown_language_is_escaped_text() {
        let html = code_block("nosuchlang", "<b>\n", true);
        assert!(html.contains("&lt;b&gt;"));
        assert!(!html.contains("hl-"));
    }
}
