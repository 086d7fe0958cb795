//! The operator's configuration file (TOML), NetBox's `PLUGINS` / `PLUGINS_CONFIG` in Rust form.
//!
//! ```toml
//! plugins = ["animal_sounds"]            # enabled plugins, in load order
//! on_incompatible_plugin = "refuse"      # or "skip": what to do when a plugin's
//!                                        # min_version/max_version excludes this host
//! bind = "127.0.0.1:8000"                # where `netbox serve` listens
//!
//! [plugins_config.animal_sounds]         # one table per plugin
//! loud = true
//!
//! [security]                             # see the `security` module
//! allowed_hosts = ["netbox.example.com"]
//! ```

pub mod security;

use security::SecurityConfig;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The database used when neither `DATABASE_URL` nor the configuration's `database_url` names
/// one: a SQLite file in the current directory, created on first use.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://netbox.db";

/// The file read when neither `--config` nor `NETBOX_CONFIG` names one.
pub const DEFAULT_CONFIG_PATH: &str = "netbox.toml";

/// What the host does with an enabled plugin whose supported version range excludes this
/// host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IncompatiblePolicy {
    /// Report an error and refuse to start (the default: a deployment never runs without a
    /// plugin it asked for).
    #[default]
    Refuse,
    /// Warn and run without the plugin.
    Skip,
}

/// The configuration file's contents.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Enabled plugins, by name, in load order.
    #[serde(default)]
    pub plugins: Vec<String>,
    /// Settings of each plugin, by plugin name.
    #[serde(default)]
    pub plugins_config: BTreeMap<String, toml::Table>,
    /// What to do with a plugin that does not support this host's version.
    #[serde(default)]
    pub on_incompatible_plugin: IncompatiblePolicy,
    /// Address `netbox serve` listens on (`--bind` overrides it), e.g. `"127.0.0.1:8000"`.
    #[serde(default)]
    pub bind: Option<String>,
    /// Database URL (`sqlite://PATH` or `postgres://...`); the `DATABASE_URL` variable
    /// overrides it; default `sqlite://netbox.db`.
    #[serde(default)]
    pub database_url: Option<String>,
    /// Whether `netbox serve` applies pending migrations itself. Default: yes for SQLite, no
    /// for PostgreSQL (where several instances may start at once and an operator should
    /// migrate deliberately).
    #[serde(default)]
    pub auto_migrate: Option<bool>,
    /// Objects per page of lists and the API when `?limit=` is not given (default 50).
    #[serde(default)]
    pub paginate_count: Option<i64>,
    /// The largest page of the API and lists, which `?limit=0` asks for (default 1000).
    #[serde(default)]
    pub max_page_size: Option<i64>,
    /// Sign-in, sessions, tokens, allowed hosts and trusted proxies (see [`security`]).
    #[serde(default)]
    pub security: SecurityConfig,
}

/// The largest `max_page_size` accepted.
pub const MAX_PAGE_SIZE_LIMIT: i64 = 100_000;

impl Config {
    /// The page sizes in force (see [`crate::server::pagination::PageSize`]).
    pub fn page_size(&self) -> crate::server::pagination::PageSize {
        let defaults = crate::server::pagination::PageSize::default();
        let max = self
            .max_page_size
            .unwrap_or(defaults.max)
            .clamp(1, MAX_PAGE_SIZE_LIMIT);
        crate::server::pagination::PageSize {
            default: self
                .paginate_count
                .unwrap_or(defaults.default)
                .clamp(1, max),
            max,
        }
    }

    /// Whether `serve` applies pending migrations on `backend`: `auto_migrate`, else yes for
    /// SQLite and no for PostgreSQL.
    pub fn auto_migrate_on(&self, backend: netbox_framework::migrations::Backend) -> bool {
        self.auto_migrate
            .unwrap_or(backend == netbox_framework::migrations::Backend::Sqlite)
    }

    /// What is wrong with the host's settings (`[security]`, page sizes), one message each.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = self.security.problems();
        if let Some(max) = self.max_page_size
            && !(1..=MAX_PAGE_SIZE_LIMIT).contains(&max)
        {
            problems.push(format!(
                "max_page_size: {max} is not from 1 to {MAX_PAGE_SIZE_LIMIT}"
            ));
        }
        if let Some(count) = self.paginate_count {
            let max = self.max_page_size.unwrap_or(1000);
            if !(1..=max).contains(&count) {
                problems.push(format!(
                    "paginate_count: {count} is not from 1 to max_page_size ({max})"
                ));
            }
        }
        problems
    }

    /// The database URL in force: `DATABASE_URL`, else `database_url`, else the default.
    pub fn database_url(&self) -> String {
        std::env::var("DATABASE_URL")
            .ok()
            .filter(|url| !url.is_empty())
            .or_else(|| self.database_url.clone())
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string())
    }
}

/// A configuration file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file named by `--config` or `NETBOX_CONFIG` cannot be read.
    #[error("cannot read configuration file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML or does not fit the configuration's shape.
    #[error("configuration file {path} is invalid: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The TOML parser's message, with line and column.
        message: String,
    },
}

/// Where the configuration came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigSource {
    /// A file that was read.
    File(PathBuf),
    /// No file was named and the default file does not exist: built-in defaults.
    Defaults,
}

impl std::fmt::Display for ConfigSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigSource::File(path) => write!(f, "{}", path.display()),
            ConfigSource::Defaults => write!(
                f,
                "built-in defaults ({DEFAULT_CONFIG_PATH} not found; no plugins enabled)"
            ),
        }
    }
}

impl Config {
    /// Parses configuration text; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        toml::from_str(text).map_err(|error| ConfigError::Parse {
            path: path.to_path_buf(),
            message: error.to_string().trim_end().to_string(),
        })
    }

    /// Loads the configuration: from `explicit` (the `--config` option or `NETBOX_CONFIG`)
    /// when given, which must exist; otherwise from [`DEFAULT_CONFIG_PATH`] if it exists;
    /// otherwise the defaults.
    pub fn load(explicit: Option<&Path>) -> Result<(Config, ConfigSource), ConfigError> {
        let path = match explicit {
            Some(path) => path.to_path_buf(),
            None => {
                let default = PathBuf::from(DEFAULT_CONFIG_PATH);
                if !default.exists() {
                    return Ok((Config::default(), ConfigSource::Defaults));
                }
                default
            }
        };
        let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
            path: path.clone(),
            source,
        })?;
        let config = Config::parse(&text, &path)?;
        Ok((config, ConfigSource::File(path)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("test.toml"))
    }

    #[test]
    fn reads_plugins_and_their_settings() {
        let config = parse(
            "plugins = ['a', 'b']\non_incompatible_plugin = 'skip'\n[plugins_config.a]\nx = 1\n",
        )
        .expect("valid");
        assert_eq!(config.plugins, ["a", "b"]);
        assert_eq!(config.on_incompatible_plugin, IncompatiblePolicy::Skip);
        assert_eq!(config.plugins_config["a"]["x"].as_integer(), Some(1));
    }

    #[test]
    fn empty_file_is_the_default() {
        let config = parse("").expect("valid");
        assert!(config.plugins.is_empty());
        assert_eq!(config.on_incompatible_plugin, IncompatiblePolicy::Refuse);
    }

    #[test]
    fn malformed_toml_names_file_line_and_column() {
        let message = parse("plugins = [\"a\"\n\n[x")
            .expect_err("malformed")
            .to_string();
        assert!(
            message.starts_with("configuration file test.toml is invalid"),
            "{message}"
        );
        assert!(message.contains("line 3, column 1"), "{message}");
    }

    #[test]
    fn unknown_top_level_key_is_an_error() {
        let message = parse("plugin = ['a']").expect_err("typo").to_string();
        assert!(message.contains("unknown field `plugin`"), "{message}");
        assert!(message.contains("line 1"), "{message}");
    }

    #[test]
    fn bad_policy_is_an_error() {
        let message = parse("on_incompatible_plugin = 'ignore'")
            .expect_err("bad")
            .to_string();
        assert!(message.contains("unknown variant `ignore`"), "{message}");
    }

    #[test]
    fn security_defaults_and_errors() {
        let config = parse("").expect("valid");
        assert!(config.security.login_required);
        assert!(config.security.problems().is_empty());
        let message = parse("[security]\nsession_age = 'forever'")
            .expect_err("bad")
            .to_string();
        assert!(message.contains("`forever` is not a duration"), "{message}");
        let message = parse("[security]\ntrusted_proxies = ['10.0.0.300/8']")
            .expect_err("bad")
            .to_string();
        assert!(message.contains("trusted_proxies"), "{message}");
        let config = parse("[security]\napi_token_pepper = 'short'\nallowed_hosts = ['a b']")
            .expect("shape is right");
        assert_eq!(config.security.problems().len(), 2);
    }

    #[test]
    fn missing_explicit_file_is_an_error() {
        let error = Config::load(Some(Path::new("/nonexistent/netbox.toml"))).expect_err("missing");
        assert!(matches!(error, ConfigError::Read { .. }));
        assert!(error.to_string().contains("/nonexistent/netbox.toml"));
    }
}
