//! Defaults a user sets once: the index path, `--limit`, `--per-article` and colour, read from
//! `config.toml` and from environment variables.
//!
//! Each setting is resolved in one order: the command-line flag, then the environment variable,
//! then the file, then the built-in default. The file is `$DOSSIER_CONFIG` when set, else
//! `config.toml` in the user's configuration directory (`~/.config/dossier/config.toml` on
//! Linux); a missing default file is no error, a missing `$DOSSIER_CONFIG` is.
//!
//! ```toml
//! index = "~/intel/index"   # relative paths are relative to this file's folder
//! limit = 20
//! per_article = 1
//! color = "never"           # auto, always or never
//! ```

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Deserialize;

use crate::error::{Error, Result};

/// Passages a search shows when nothing says otherwise.
pub const DEFAULT_LIMIT: usize = 10;
/// Passages per article when nothing says otherwise.
pub const DEFAULT_PER_ARTICLE: usize = 2;

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl FromStr for ColorChoice {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "auto" => Ok(ColorChoice::Auto),
            "always" => Ok(ColorChoice::Always),
            "never" => Ok(ColorChoice::Never),
            _ => Err(format!("'{s}' is not auto, always or never")),
        }
    }
}

/// One layer of settings: what the file or the environment says, each value optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Index location.
    pub index: Option<PathBuf>,
    /// Passages to show at most.
    pub limit: Option<usize>,
    /// Passages per article at most.
    pub per_article: Option<usize>,
    /// When to colour.
    pub color: Option<ColorChoice>,
}

/// The file and environment layers, ready to resolve flags against.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file read, if one was.
    pub file: Option<PathBuf>,
    /// What the file says.
    pub from_file: Settings,
    /// What the environment says (`DOSSIER_INDEX`, `DOSSIER_LIMIT`, `DOSSIER_PER_ARTICLE`,
    /// `DOSSIER_COLOR`).
    pub from_env: Settings,
}

/// The default file: `config.toml` in the user's configuration directory.
pub fn default_path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("dossier").join("config.toml"))
}

impl Config {
    /// Reads the process environment and the file it points to.
    pub fn load() -> Result<Config> {
        Config::load_with(&|name| std::env::var_os(name), default_path())
    }

    /// Reads the layers from `env` (a lookup, so tests need not touch the process environment)
    /// and from `$DOSSIER_CONFIG` or `default_file`.
    pub fn load_with(
        env: &dyn Fn(&str) -> Option<OsString>,
        default_file: Option<PathBuf>,
    ) -> Result<Config> {
        let var = |name: &str| env(name).filter(|v| !v.is_empty());
        let (file, required) = match var("DOSSIER_CONFIG") {
            Some(p) => (Some(PathBuf::from(p)), true),
            None => (default_file, false),
        };
        let from_file = match &file {
            Some(path) => read_file(path, required)?,
            None => None,
        };
        let from_env = Settings {
            index: var("DOSSIER_INDEX").map(PathBuf::from),
            limit: env_number(&var, "DOSSIER_LIMIT")?,
            per_article: env_number(&var, "DOSSIER_PER_ARTICLE")?,
            color: match var("DOSSIER_COLOR") {
                Some(v) => Some(v.to_string_lossy().parse().map_err(|e| {
                    Error::Argument(format!(
                        "bad DOSSIER_COLOR: {e}; set it to auto, always or never, or unset it"
                    ))
                })?),
                None => None,
            },
        };
        Ok(Config {
            file: from_file.is_some().then_some(file).flatten(),
            from_file: from_file.unwrap_or_default(),
            from_env,
        })
    }

    /// The index path: flag, `$DOSSIER_INDEX`, file, then the user's data directory.
    pub fn index(&self, flag: Option<PathBuf>) -> PathBuf {
        flag.filter(|p| !p.as_os_str().is_empty())
            .or_else(|| self.from_env.index.clone())
            .or_else(|| self.from_file.index.clone())
            .unwrap_or_else(crate::index::default_path)
    }

    /// `--limit`: flag, `$DOSSIER_LIMIT`, file, then [`DEFAULT_LIMIT`].
    pub fn limit(&self, flag: Option<usize>) -> usize {
        flag.or(self.from_env.limit)
            .or(self.from_file.limit)
            .unwrap_or(DEFAULT_LIMIT)
    }

    /// `--per-article`: flag, `$DOSSIER_PER_ARTICLE`, file, then [`DEFAULT_PER_ARTICLE`].
    pub fn per_article(&self, flag: Option<usize>) -> usize {
        flag.or(self.from_env.per_article)
            .or(self.from_file.per_article)
            .unwrap_or(DEFAULT_PER_ARTICLE)
    }

    /// `--color`: flag, `$DOSSIER_COLOR`, file, then auto. `NO_COLOR` is not a layer: it turns
    /// `auto` off wherever `auto` came from, as no-color.org asks.
    pub fn color(&self, flag: Option<ColorChoice>) -> ColorChoice {
        flag.or(self.from_env.color)
            .or(self.from_file.color)
            .unwrap_or(ColorChoice::Auto)
    }
}

/// Whether to colour: an explicit choice, or for `auto` a terminal without `NO_COLOR`.
pub fn use_color(choice: ColorChoice, terminal: bool, no_color: Option<OsString>) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && no_color.is_none_or(|v| v.is_empty()),
    }
}

fn env_number(var: &dyn Fn(&str) -> Option<OsString>, name: &str) -> Result<Option<usize>, Error> {
    let Some(v) = var(name) else { return Ok(None) };
    let s = v.to_string_lossy();
    match s.trim().parse::<usize>() {
        Ok(n) if n > 0 => Ok(Some(n)),
        _ => Err(Error::Argument(format!(
            "bad {name} '{s}': not a positive whole number; set it to one (e.g. 20) or unset it"
        ))),
    }
}

/// The file's settings; `None` when an optional file is absent.
fn read_file(path: &Path, required: bool) -> Result<Option<Settings>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => return Ok(None),
        Err(e) => {
            return Err(Error::Config {
                path: path.to_path_buf(),
                msg: e.to_string(),
            })
        }
    };
    parse(path, &text).map(Some)
}

/// Parses the file's text; paths in it are taken relative to its folder, `~/` to the home.
pub fn parse(path: &Path, text: &str) -> Result<Settings> {
    let mut s: Settings = toml::from_str(text).map_err(|e| {
        let (line, col) = e.span().map(|r| line_col(text, r.start)).unwrap_or((1, 1));
        Error::Config {
            path: path.to_path_buf(),
            msg: format!("line {line}, column {col}: {}", e.message().trim()),
        }
    })?;
    for (key, value) in [("limit", s.limit), ("per_article", s.per_article)] {
        if value == Some(0) {
            return Err(Error::Config {
                path: path.to_path_buf(),
                msg: format!("{key} = 0 would show nothing; use 1 or more"),
            });
        }
    }
    if let Some(index) = s.index.take() {
        s.index = Some(resolve_path(&index, path.parent()));
    }
    Ok(s)
}

fn resolve_path(p: &Path, base: Option<&Path>) -> PathBuf {
    if let Ok(rest) = p.strip_prefix("~") {
        if let Some(home) = dirs::home_dir() {
            return home.join(rest);
        }
    }
    match base {
        Some(b) if p.is_relative() => b.join(p),
        _ => p.to_path_buf(),
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let map: HashMap<String, OsString> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn flags_beat_environment_beat_file_beat_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        std::fs::write(&file, "limit = 30\nper_article = 3\ncolor = \"always\"\n").unwrap();
        let none = Config::load_with(&env(&[]), None).unwrap();
        assert_eq!(none.limit(None), DEFAULT_LIMIT);
        assert_eq!(none.color(None), ColorChoice::Auto);

        let only_file = Config::load_with(&env(&[]), Some(file.clone())).unwrap();
        assert_eq!(only_file.file.as_deref(), Some(file.as_path()));
        assert_eq!(only_file.limit(None), 30);
        assert_eq!(only_file.per_article(None), 3);
        assert_eq!(only_file.color(None), ColorChoice::Always);

        let vars = [("DOSSIER_LIMIT", "40"), ("DOSSIER_COLOR", "never")];
        let with_env = Config::load_with(&env(&vars), Some(file)).unwrap();
        assert_eq!(with_env.limit(None), 40);
        assert_eq!(with_env.per_article(None), 3);
        assert_eq!(with_env.color(None), ColorChoice::Never);
        assert_eq!(with_env.limit(Some(5)), 5);
        assert_eq!(with_env.color(Some(ColorChoice::Auto)), ColorChoice::Auto);
    }

    #[test]
    fn dossier_config_must_exist_the_default_file_need_not() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.toml");
        let c = Config::load_with(&env(&[]), Some(missing.clone())).unwrap();
        assert!(c.file.is_none());
        let vars = [("DOSSIER_CONFIG", missing.to_str().unwrap())];
        let err = Config::load_with(&env(&vars), None)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("nope.toml") && err.contains("DOSSIER_CONFIG"),
            "{err}"
        );
    }

    #[test]
    fn mistakes_name_the_place() {
        let p = Path::new("/c/config.toml");
        let err = parse(p, "limit = 5\ncolour = \"never\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("line 2, column 1") && err.contains("colour"),
            "{err}"
        );
        let err = parse(p, "color = \"sometimes\"").unwrap_err().to_string();
        assert!(err.contains("line 1, column 9"), "{err}");
        assert!(parse(p, "limit = 0").is_err());
        let err = Config::load_with(&env(&[("DOSSIER_LIMIT", "ten")]), None).unwrap_err();
        assert!(err.to_string().contains("bad DOSSIER_LIMIT 'ten'"), "{err}");
    }

    #[test]
    fn index_paths_are_relative_to_the_file() {
        let s = parse(Path::new("/c/config.toml"), "index = \"idx\"").unwrap();
        assert_eq!(s.index, Some(PathBuf::from("/c/idx")));
        let s = parse(Path::new("/c/config.toml"), "index = \"/abs\"").unwrap();
        assert_eq!(s.index, Some(PathBuf::from("/abs")));
    }

    #[test]
    fn no_color_only_turns_auto_off() {
        let set = Some(OsString::from("1"));
        assert!(!use_color(ColorChoice::Auto, true, set.clone()));
        assert!(use_color(ColorChoice::Auto, true, Some(OsString::new())));
        assert!(use_color(ColorChoice::Always, false, set));
        assert!(!use_color(ColorChoice::Auto, false, None));
    }
}
