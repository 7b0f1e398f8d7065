//! URLs: every page is `<path>/index.html`, and every link is relative to
//! the page it is on, so the site works from disk and under any subpath.

use crate::slug::slugify;

/// Is this file name a folder's index document?
pub fn is_index_name(name: &str) -> bool {
    let stem = name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name);
    matches!(
        stem.to_ascii_lowercase().as_str(),
        "_index" | "index" | "readme"
    )
}

/// Output URL (relative to the site root) of a content document.
/// `guides/How To.md` → `guides/how-to/index.html`; `guides/_index.md` →
/// `guides/index.html`; a root index → `index.html`.
pub fn doc_url(rel: &str, slug: Option<&str>) -> String {
    let mut parts: Vec<&str> = rel.split('/').collect();
    let file = parts.pop().unwrap_or("");
    let mut segs: Vec<String> = parts.iter().map(|p| slug_segment(p)).collect();
    if !is_index_name(file) {
        let stem = file.rsplit_once('.').map(|(s, _)| s).unwrap_or(file);
        segs.push(match slug {
            Some(s) if !s.is_empty() => slug_segment(s),
            _ => slug_segment(stem),
        });
    }
    if segs.is_empty() {
        "index.html".to_string()
    } else {
        format!("{}/index.html", segs.join("/"))
    }
}

fn slug_segment(s: &str) -> String {
    // Already a slug (`level-007`): as it is, which is what slugify gives.
    let plain = |w: &str| {
        !w.is_empty()
            && w.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    if s.split('-').all(plain) {
        return s.to_string();
    }
    let s = slugify(s);
    if s.is_empty() {
        "page".into()
    } else {
        s
    }
}

/// `../` once per folder level of `url`.
pub fn root_prefix(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

/// `url` without a trailing `index.html`, for sitemaps and canonical links.
pub fn pretty(url: &str) -> &str {
    url.strip_suffix("index.html").unwrap_or(url)
}

/// Join `href` onto the folder `base_dir` (both `/`-separated, relative to
/// the content root) and normalise `.` and `..`. `None` if it climbs out.
pub fn join_normalise(base_dir: &str, href: &str) -> Option<String> {
    let mut out: Vec<&str> = if href.starts_with('/') {
        Vec::new()
    } else {
        base_dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in href.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            s => out.push(s),
        }
    }
    Some(out.join("/"))
}

/// Does `href` point outside the site (scheme, protocol-relative, mail)?
pub fn is_external(href: &str) -> bool {
    if href.starts_with("//") {
        return true;
    }
    match href.find(':') {
        Some(i) => {
            let scheme = &href[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !href[..i].contains('/')
        }
        None => false,
    }
}

/// Percent-decode a URL path (for looking files up by name).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_urls() {
        assert_eq!(
            doc_url("guides/How To.md", None),
            "guides/how-to/index.html"
        );
        assert_eq!(doc_url("guides/_index.md", None), "guides/index.html");
        assert_eq!(doc_url("README.md", None), "index.html");
        assert_eq!(doc_url("a/b.txt", Some("Custom")), "a/custom/index.html");
        // Names that are slugs already stay as they are; others do not.
        for name in [
            "level-007",
            "a",
            "x-1-y",
            "-a",
            "a-",
            "a--b",
            "A-b",
            "é-a",
            "a_b",
        ] {
            assert_eq!(slug_segment(name), slugify(name), "{name}");
        }
    }

    #[test]
    fn prefixes_and_joins() {
        assert_eq!(root_prefix("index.html"), "");
        assert_eq!(root_prefix("a/b/index.html"), "../../");
        assert_eq!(
            join_normalise("guides", "../ladders/x.md").as_deref(),
            Some("ladders/x.md")
        );
        assert_eq!(join_normalise("", "../x").as_deref(), None);
        assert_eq!(join_normalise("a", "/b/c").as_deref(), Some("b/c"));
    }

    #[test]
    fn external() {
        assert!(is_external("https://x.org"));
        assert!(is_external("mailto:a@b"));
        assert!(is_external("//cdn"));
        assert!(!is_external("a/b.md"));
        assert!(!is_external("a/b:c.md"));
    }

    #[test]
    fn decode() {
        assert_eq!(percent_decode("a%20b"), "a b");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
