//! Themes: tera templates and static assets. The default theme is embedded
//! in the binary; a site's `themes/<name>/` overrides any file by name.

use crate::diagnostics::{display_path, Diagnostic, Error, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $name)) as &[u8])),*]
    };
}

/// The built-in default theme, file by file (path relative to the theme).
pub const DEFAULT_THEME: &[(&str, &[u8])] = embed!(
    "templates/base.html",
    "templates/macros.html",
    "templates/page.html",
    "templates/home.html",
    "templates/404.html",
    "templates/level.html",
    "templates/track.html",
    "templates/compare.html",
    "templates/compare_pair.html",
    "templates/dimension.html",
    "templates/cross_level.html",
    "templates/skill.html",
    "templates/search.html",
    "static/style.css",
    "static/rungs.js",
    "static/search.js",
);

/// Where a theme file came from, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    BuiltIn,
    Site(PathBuf),
}

impl Origin {
    pub fn describe(&self, name: &str) -> String {
        match self {
            Origin::BuiltIn => format!("themes/default/templates/{name} (built in)"),
            Origin::Site(p) => display_path(p),
        }
    }
}

/// A theme's files after overrides are applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeFiles {
    pub templates: BTreeMap<String, (String, Origin)>,
    /// Static files, by path relative to `static/`.
    pub statics: BTreeMap<String, (Vec<u8>, Origin)>,
}

impl ThemeFiles {
    /// The default theme overlaid with the site's theme folder, if any.
    pub fn load(site_theme: Option<&Path>, theme_name: &str) -> Result<ThemeFiles> {
        let mut templates = BTreeMap::new();
        let mut statics = BTreeMap::new();
        for (name, bytes) in DEFAULT_THEME {
            if let Some(t) = name.strip_prefix("templates/") {
                let text = String::from_utf8_lossy(bytes).into_owned();
                templates.insert(t.to_string(), (text, Origin::BuiltIn));
            } else if let Some(s) = name.strip_prefix("static/") {
                statics.insert(s.to_string(), (bytes.to_vec(), Origin::BuiltIn));
            }
        }
        match site_theme {
            Some(dir) => {
                overlay(&dir.join("templates"), &mut |rel, path, bytes| {
                    let text = crate::source::decode_text(bytes, path)?;
                    templates.insert(rel, (text, Origin::Site(path.to_path_buf())));
                    Ok(())
                })?;
                overlay(&dir.join("static"), &mut |rel, path, bytes| {
                    statics.insert(rel, (bytes, Origin::Site(path.to_path_buf())));
                    Ok(())
                })?;
            }
            None if theme_name != "default" => {
                return Err(Error::new(
                    Diagnostic::error(format!("theme `{theme_name}` was not found")).hint(format!(
                        "create themes/{theme_name}/ next to rungs.yml, or set `theme: default`"
                    )),
                ));
            }
            None => {}
        }
        Ok(ThemeFiles { templates, statics })
    }
}

/// Receives each file of an overlay folder: (path relative to the folder, path, bytes).
type AddFile<'a> = dyn FnMut(String, &Path, Vec<u8>) -> Result<()> + 'a;

fn overlay(dir: &Path, add: &mut AddFile) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            Error::new(Diagnostic::error(format!("could not read theme folder: {e}")).in_file(dir))
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if crate::source::is_editor_junk(&name) {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), "read", e))?;
        add(rel, entry.path(), bytes)?;
    }
    Ok(())
}
