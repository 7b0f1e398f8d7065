//! Serving the built output over HTTP: safe path resolution, MIME types,
//! ETags, directory indexes, the site's 404 page and the injected reload
//! script. Nothing here writes to disk; the script is added to HTML as it
//! is served.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// The script tag added before `</body>` of every HTML response.
pub const RELOAD_TAG: &str = "<script src=\"/__rungs/reload.js\"></script>";

/// What to send back for one request.
#[derive(Debug, PartialEq, Eq)]
pub enum Reply {
    /// A file (or the 404 page) with its status, content type and body.
    File {
        status: u16,
        content_type: &'static str,
        body: Vec<u8>,
        etag: String,
    },
    /// `304 Not Modified` for a matching `If-None-Match`.
    NotModified { etag: String },
    /// `301` to the same path with a trailing slash.
    Redirect(String),
    /// A plain-text error (`400`, `404`, `405`).
    Status(u16, &'static str),
}

/// Why a request path was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum BadPath {
    /// Malformed or dangerous: answer 400.
    Bad,
}

/// Decode the path of a request target into safe segments. Refuses
/// anything that could leave the output folder in any encoding: `..`
/// segments (plain or percent-encoded), encoded slashes, backslashes,
/// NUL and other control bytes, invalid percent escapes and invalid
/// UTF-8 (which covers overlong forms like `%c0%ae`).
pub fn decode_path(target: &str) -> Result<Vec<String>, BadPath> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return Err(BadPath::Bad);
    }
    let mut segments = Vec::new();
    // Split on literal slashes first, so that `%2f` can never make a new
    // segment; then decode each segment on its own.
    for raw in path.split('/') {
        let bytes = percent_decode(raw).ok_or(BadPath::Bad)?;
        let seg = String::from_utf8(bytes).map_err(|_| BadPath::Bad)?;
        if seg
            .chars()
            .any(|c| c.is_control() || c == '/' || c == '\\' || c == ':')
        {
            return Err(BadPath::Bad);
        }
        match seg.as_str() {
            "" | "." => {}
            ".." => return Err(BadPath::Bad),
            _ => segments.push(seg),
        }
    }
    Ok(segments)
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let h = b.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(h).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The content type for a file name.
pub fn mime(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// A strong ETag over the bytes actually sent.
pub fn etag(body: &[u8]) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut h);
    format!("\"{:016x}-{:x}\"", h.finish(), body.len())
}

/// Does an `If-None-Match` header value match `etag`?
pub fn etag_matches(header: &str, etag: &str) -> bool {
    header
        .split(',')
        .map(str::trim)
        .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == etag)
}

/// Insert the reload script before the last `</body>`, or at the end.
pub fn inject(html: &[u8]) -> Vec<u8> {
    let lower = html.to_ascii_lowercase();
    let at = lower
        .windows(7)
        .rposition(|w| w == b"</body>")
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + RELOAD_TAG.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(RELOAD_TAG.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// Resolve `segments` inside `root` (already canonical) to a file, refusing
/// anything whose canonical path is outside `root` (symlinks included).
fn inside(root: &Path, path: &Path) -> Option<PathBuf> {
    let c = path.canonicalize().ok()?;
    c.starts_with(root).then_some(c)
}

/// Answer a `GET`/`HEAD` for `target` from the output folder `out`.
pub fn resolve(out: &Path, target: &str, if_none_match: Option<&str>) -> Reply {
    let segments = match decode_path(target) {
        Ok(s) => s,
        Err(BadPath::Bad) => return Reply::Status(400, "400 bad request\n"),
    };
    let Ok(root) = out.canonicalize() else {
        return not_found(None, if_none_match);
    };
    let mut path = root.clone();
    for s in &segments {
        path.push(s);
    }
    let Some(mut file) = inside(&root, &path) else {
        return not_found(Some(&root), if_none_match);
    };
    if file.is_dir() {
        let raw = target.split(['?', '#']).next().unwrap_or("");
        if !raw.ends_with('/') {
            let query = &target[raw.len()..];
            return Reply::Redirect(format!("{raw}/{query}"));
        }
        match inside(&root, &file.join("index.html")) {
            Some(f) => file = f,
            None => return not_found(Some(&root), if_none_match),
        }
    }
    if !file.is_file() {
        return not_found(Some(&root), if_none_match);
    }
    match std::fs::read(&file) {
        Ok(bytes) => reply_file(200, &file, bytes, if_none_match),
        Err(_) => not_found(Some(&root), if_none_match),
    }
}

fn reply_file(status: u16, file: &Path, bytes: Vec<u8>, inm: Option<&str>) -> Reply {
    let content_type = mime(file);
    let body = if content_type.starts_with("text/html") {
        inject(&bytes)
    } else {
        bytes
    };
    let etag = etag(&body);
    if status == 200 && inm.is_some_and(|h| etag_matches(h, &etag)) {
        return Reply::NotModified { etag };
    }
    Reply::File {
        status,
        content_type,
        body,
        etag,
    }
}

/// The site's own `404.html` with status 404, or a small page of our own
/// (which still carries the reload script, so build errors show up).
fn not_found(root: Option<&Path>, inm: Option<&str>) -> Reply {
    if let Some(root) = root {
        if let Some(f) = inside(root, &root.join("404.html")) {
            if let Ok(bytes) = std::fs::read(&f) {
                return reply_file(404, &f, bytes, inm);
            }
        }
    }
    let body = inject(
        b"<!doctype html><html><head><meta charset=\"utf-8\"><title>Not found</title></head>\
          <body><h1>404 Not found</h1><p>rungs serve has no page at this address.</p></body></html>",
    );
    Reply::File {
        status: 404,
        content_type: "text/html; charset=utf-8",
        etag: etag(&body),
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused_in_every_encoding() {
        for t in [
            "/../Cargo.toml",
            "/%2e%2e/x",
            "/%2E%2E/x",
            "/..%2fx",
            "/..%2Fx",
            "/..\\x",
            "/%5c..%5cx",
            "/%00",
            "/a%00.html",
            "/%c0%ae%c0%ae/x",
            "/%e0%80%ae/x",
            "/%zz",
            "/%2",
            "/a/../../x",
            "x",
            "/C:%5cwindows",
        ] {
            assert_eq!(decode_path(t), Err(BadPath::Bad), "{t}");
        }
        assert_eq!(
            decode_path("/a/./b%20c/?x=../y").unwrap(),
            vec!["a".to_string(), "b c".into()]
        );
        assert!(decode_path("/").unwrap().is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_output_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join("sub")).unwrap();
        std::fs::write(dir.path().join("secret.txt"), "TOPSECRET").unwrap();
        std::fs::write(out.join("sub/index.html"), "<body>ok</body>").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), out.join("leak.txt")).unwrap();
        std::os::unix::fs::symlink(dir.path(), out.join("up")).unwrap();
        for t in ["/leak.txt", "/up/secret.txt", "/up/"] {
            match resolve(&out, t, None) {
                Reply::File { status, body, .. } => {
                    assert_eq!(status, 404, "{t}");
                    assert!(!String::from_utf8_lossy(&body).contains("TOPSECRET"));
                }
                other => panic!("{t}: {other:?}"),
            }
        }
        assert_eq!(resolve(&out, "/sub", None), Reply::Redirect("/sub/".into()));
        match resolve(&out, "/sub/", None) {
            Reply::File { status, body, .. } => {
                assert_eq!(status, 200);
                assert!(String::from_utf8(body).unwrap().contains(RELOAD_TAG));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn inject_before_last_body() {
        let out = inject(b"<html><BODY>x</Body></html>");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("<html><BODY>x{RELOAD_TAG}</Body></html>")
        );
        assert!(String::from_utf8(inject(b"bare"))
            .unwrap()
            .ends_with(RELOAD_TAG));
    }

    #[test]
    fn etags_and_mime() {
        let e = etag(b"abc");
        assert!(etag_matches(&format!("\"zz\", W/{e}"), &e));
        assert!(etag_matches("*", &e));
        assert!(!etag_matches("\"nope\"", &e));
        assert_eq!(mime(Path::new("a/B.SVG")), "image/svg+xml");
        assert_eq!(mime(Path::new("f.woff2")), "font/woff2");
    }
}
