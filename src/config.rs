//! `rungs.yml`: typed site configuration with defaults.
//!
//! Unknown keys are errors that name the key, its line and the closest
//! valid key, so a typo never silently does nothing.

use crate::diagnostics::{closest, Diagnostic, Error, Result};
use crate::yaml;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The config file name looked for at a site root.
pub const CONFIG_FILE: &str = "rungs.yml";

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Site title, shown in every page header.
    pub title: String,
    /// One-line description, used in meta tags and on the home page.
    pub description: String,
    /// Public URL the site is published at, e.g. `https://ladders.example.com/eng/`.
    /// Only used for absolute URLs in `sitemap.xml` and canonical links:
    /// every link inside the site stays relative.
    pub base_url: Option<String>,
    /// Language of the content (`lang` attribute, search stemming).
    pub language: String,
    /// Theme name: `themes/<name>/` at the site root overrides the built-in
    /// default theme file by file.
    pub theme: String,
    /// Content folder, relative to the site root.
    pub content: PathBuf,
    /// Output folder, relative to the site root.
    pub output: PathBuf,
    /// Prefix of "edit this page" links; the source path relative to the
    /// site root is appended (e.g. `https://github.com/acme/handbook/edit/main/`).
    pub edit_url: Option<String>,
    /// Repository URL shown in the footer.
    pub repository: Option<String>,
    /// Highlight fenced code at build time.
    pub highlight_code: bool,
    /// File extensions read as markdown.
    pub markdown_extensions: Vec<String>,
    /// Extra file or folder names to skip while walking content (exact names).
    pub ignore: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Engineering Ladders".into(),
            description: String::new(),
            base_url: None,
            language: "en".into(),
            theme: "default".into(),
            content: PathBuf::from("content"),
            output: PathBuf::from("public"),
            edit_url: None,
            repository: None,
            highlight_code: true,
            markdown_extensions: vec!["md".into(), "markdown".into(), "txt".into()],
            ignore: Vec::new(),
        }
    }
}

const KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "content",
    "output",
    "edit_url",
    "repository",
    "highlight_code",
    "markdown_extensions",
    "ignore",
];

impl Config {
    /// Parse config text; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        let cfg: Config = yaml::from_str(text).map_err(|e| {
            let d = match &e.unknown_field {
                Some(u) => {
                    let hint = match closest(&u.name, KEYS) {
                        Some(k) => format!("did you mean `{k}`?"),
                        None => format!("valid keys are: {}", KEYS.join(", ")),
                    };
                    Diagnostic::error(format!("unknown key `{}` in {CONFIG_FILE}", u.name))
                        .hint(hint)
                }
                None => Diagnostic::error(format!("{CONFIG_FILE} is not valid: {}", e.message))
                    .hint("check the YAML syntax and the value's type; see the README's configuration section"),
            };
            Error::new(d.at(path, e.line, e.col).with_source(text))
        })?;
        cfg.validate(path, text)?;
        Ok(cfg)
    }

    fn validate(&self, path: &Path, text: &str) -> Result<()> {
        if let Some(url) = &self.base_url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                let line = find_key_line(text, "base_url");
                return Err(Error::new(
                    Diagnostic::error(format!("base_url `{url}` is not an absolute http(s) URL"))
                        .at(path, line, 1)
                        .with_source(text)
                        .hint("write the full address, e.g. https://ladders.example.com/"),
                ));
            }
        }
        if self.theme.is_empty() || self.theme.contains(['/', '\\']) {
            let line = find_key_line(text, "theme");
            return Err(Error::new(
                Diagnostic::error(format!("theme `{}` is not a theme name", self.theme))
                    .at(path, line, 1)
                    .with_source(text)
                    .hint("name a folder under themes/, e.g. `theme: default`"),
            ));
        }
        Ok(())
    }

    /// Base URL with exactly one trailing slash.
    pub fn base_url_normalised(&self) -> Option<String> {
        self.base_url
            .as_ref()
            .map(|u| format!("{}/", u.trim_end_matches('/')))
    }
}

fn find_key_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| l.trim_start().starts_with(&format!("{key}:")))
        .map(|i| i + 1)
        .unwrap_or(0)
}

/// Where a build reads from and writes to, resolved from a PATH argument.
#[derive(Debug, Clone)]
pub struct SiteLayout {
    /// The folder given on the command line.
    pub root: PathBuf,
    /// The content tree.
    pub content: PathBuf,
    /// The output folder.
    pub output: PathBuf,
    /// `Some` when the root holds a config file.
    pub config_path: Option<PathBuf>,
    /// The site's own theme folder (`themes/<name>`), when it exists.
    pub theme_dir: Option<PathBuf>,
    pub config: Config,
}

impl SiteLayout {
    /// Resolve a site from `root`: a site root (with `rungs.yml`) or a plain
    /// folder of ladder files. `out` overrides the output folder.
    pub fn resolve(root: &Path, out: Option<&Path>) -> Result<SiteLayout> {
        let meta = std::fs::metadata(root).map_err(|e| {
            Error::new(
                Diagnostic::error(format!(
                    "the site folder {} cannot be read: {e}",
                    crate::diagnostics::display_path(root)
                ))
                .hint("pass the folder that holds rungs.yml or your ladder files"),
            )
        })?;
        if !meta.is_dir() {
            return Err(Error::new(
                Diagnostic::error(format!(
                    "{} is a file, not a folder",
                    crate::diagnostics::display_path(root)
                ))
                .hint("pass the folder that holds rungs.yml or your ladder files"),
            ));
        }
        let root = root.to_path_buf();
        let config_path = root.join(CONFIG_FILE);
        let (config, config_path) = if config_path.is_file() {
            let text = std::fs::read_to_string(&config_path)
                .map_err(|e| Error::io(&config_path, "read", e))?;
            (Config::parse(&text, &config_path)?, Some(config_path))
        } else {
            (Config::default(), None)
        };
        let content = if config_path.is_some() {
            root.join(&config.content)
        } else {
            root.clone()
        };
        let output = match out {
            Some(o) => o.to_path_buf(),
            None => root.join(&config.output),
        };
        if !content.is_dir() {
            let mut d = Diagnostic::error(format!(
                "the content folder {} does not exist",
                crate::diagnostics::display_path(&content)
            ))
            .hint(
                "create it, or set `content:` in rungs.yml to the folder that holds your ladders",
            );
            if let Some(p) = &config_path {
                let text = std::fs::read_to_string(p).unwrap_or_default();
                let line = find_key_line(&text, "content");
                d = if line > 0 {
                    d.at(p, line, 1).with_source(&text)
                } else {
                    d.in_file(p)
                };
            }
            return Err(Error::new(d));
        }
        let theme_dir = Some(root.join("themes").join(&config.theme)).filter(|p| p.is_dir());
        let layout = SiteLayout {
            root,
            content,
            output,
            config_path,
            theme_dir,
            config,
        };
        layout.check_output_placement(out.is_some())?;
        Ok(layout)
    }

    /// The output folder is replaced wholesale on every build, so it must
    /// never hold the sources; and a site with a config keeps its output
    /// outside its content.
    fn check_output_placement(&self, explicit: bool) -> Result<()> {
        let content = absolute(&self.content);
        let output = absolute(&self.output);
        let root = absolute(&self.root);
        if content.starts_with(&output) || root.starts_with(&output) {
            return Err(Error::new(
                Diagnostic::error(format!(
                    "the output folder {} contains the content folder {}; building would replace your sources",
                    crate::diagnostics::display_path(&self.output),
                    crate::diagnostics::display_path(&self.content)
                ))
                .hint("choose an output folder of its own, e.g. --out public"),
            ));
        }
        let plain_default = self.config_path.is_none() && !explicit;
        if output.starts_with(&content) && !plain_default && self.config_path.is_some() {
            return Err(Error::new(
                Diagnostic::error(format!(
                    "the output folder {} is inside the content folder {}",
                    crate::diagnostics::display_path(&self.output),
                    crate::diagnostics::display_path(&self.content)
                ))
                .hint("set `output:` in rungs.yml (or --out) to a folder outside the content folder, e.g. public"),
            ));
        }
        Ok(())
    }
}

/// Absolute, lexically normalised path (no symlink resolution, works for
/// paths that do not exist yet).
pub fn absolute(p: &Path) -> PathBuf {
    let base = if p.is_absolute() {
        PathBuf::new()
    } else {
        std::env::current_dir().unwrap_or_default()
    };
    let mut out = PathBuf::new();
    for c in base.join(p).components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply() {
        let c = Config::parse("title: Acme\n", Path::new("rungs.yml")).unwrap();
        assert_eq!(c.title, "Acme");
        assert_eq!(c.theme, "default");
        assert_eq!(c.output, PathBuf::from("public"));
    }

    #[test]
    fn unknown_key_names_key_line_and_closest() {
        let e = Config::parse("title: A\nthem: dark\n", Path::new("rungs.yml")).unwrap_err();
        let d = &e.diagnostics[0];
        assert!(d.message.contains("unknown key `them`"), "{}", d.message);
        assert_eq!(d.line, 2);
        assert_eq!(d.hint.as_deref(), Some("did you mean `theme`?"));
    }

    #[test]
    fn wrong_type_is_an_error_with_line() {
        let e =
            Config::parse("title: A\nhighlight_code: [1]\n", Path::new("rungs.yml")).unwrap_err();
        assert_eq!(e.diagnostics[0].line, 2);
    }

    #[test]
    fn base_url_must_be_absolute() {
        let e = Config::parse("base_url: example.com\n", Path::new("rungs.yml")).unwrap_err();
        assert!(e.diagnostics[0].message.contains("base_url"));
    }
}
