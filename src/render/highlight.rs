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

/// Highlighted blocks kept by [`code_block`], at most this many.
const KEPT_BLOCKS: usize = 512;
/// Blocks longer than this are highlighted each time, not kept.
const KEPT_BLOCK_LEN: usize = 4096;

/// Highlighted blocks by language and code: handbooks repeat snippets (the
/// command every level document shows, a template in every skill), and
/// highlighting costs tens of microseconds a line. Full, it is cleared.
/// Kept by the hash of language and code, with both to check a hit.
static HIGHLIGHTED: std::sync::Mutex<Option<HighlightMemo>> = std::sync::Mutex::new(None);
type HighlightMemo = rustc_hash::FxHashMap<u64, (Box<str>, Box<str>, std::sync::Arc<str>)>;

/// `<pre><code>` for a fenced block, highlighted when the language is known.
pub fn code_block(lang: &str, code: &str, highlight: bool) -> String {
    if !highlight || code.len() > KEPT_BLOCK_LEN {
        return make_code_block(lang, code, highlight);
    }
    use std::hash::BuildHasher;
    let key = rustc_hash::FxBuildHasher.hash_one((lang, code));
    let lock = || HIGHLIGHTED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, _, html)) = lock()
        .as_ref()
        .and_then(|m| m.get(&key))
        .filter(|(l, c, _)| **l == *lang && **c == *code)
    {
        return String::from(&**html);
    }
    let html = make_code_block(lang, code, highlight);
    let mut memo = lock();
    let memo = memo.get_or_insert_with(Default::default);
    if memo.len() >= KEPT_BLOCKS {
        memo.clear();
    }
    // Two blocks of one hash: the later is kept.
    memo.insert(key, (lang.into(), code.into(), html.as_str().into()));
    html
}

/// [`code_block`], made.
fn make_code_block(lang: &str, code: &str, highlight: bool) -> String {
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
    fn a_repeated_block_is_highlighted_as_the_first_time() {
        let code = "let x = 1;\n";
        let first = code_block("rust", code, true);
        assert_eq!(code_block("rust", code, true), first);
        assert_eq!(first, make_code_block("rust", code, true));
        // The language is part of the key: the same code in another
        // language is highlighted (or not) as that language.
        assert_eq!(
            code_block("text", code, true),
            make_code_block("text", code, true)
        );
        assert_ne!(code_block("text", code, true), first);
    }

    #[test]
    fn unknown_language_is_escaped_text() {
        let html = code_block("nosuchlang", "<b>\n", true);
        assert!(html.contains("&lt;b&gt;"));
        assert!(!html.contains("hl-"));
    }
}
