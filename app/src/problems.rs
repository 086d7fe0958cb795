//! Everything startup validation can find wrong, each naming the plugin and the cause.

use std::fmt;

/// A problem found while loading plugins. Errors stop the startup; warnings are logged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// `plugins` lists a name no linked crate declares.
    #[error(
        "plugin `{name}` is enabled in `plugins` but not linked into this binary{}; linked plugins: {}. To add a plugin, add its crate to the plugin table of app/Cargo.toml and rebuild",
        suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default(),
        if linked.is_empty() { "none".to_string() } else { linked.join(", ") }
    )]
    NotLinked {
        /// The name in `plugins`.
        name: String,
        /// The nearest linked name.
        suggestion: Option<String>,
        /// Every linked plugin's name.
        linked: Vec<String>,
    },
    /// `plugins` lists a name twice.
    #[error("plugin `{name}` is listed more than once in `plugins`: list each plugin once")]
    EnabledTwice {
        /// The name.
        name: String,
    },
    /// Two linked crates declare the same plugin name.
    #[error(
        "plugin name `{name}` is declared by more than one linked crate: {}; rename one of them",
        Sources(sources)
    )]
    DuplicateName {
        /// The name.
        name: String,
        /// (package, Rust path) of each declaration.
        sources: Vec<(String, String)>,
    },
    /// Two enabled plugins use the same base URL.
    #[error(
        "plugins {} all use base_url `{base_url}`: their pages would collide under /plugins/{base_url}/; give one of them another base_url",
        Plugins(plugins)
    )]
    DuplicateBaseUrl {
        /// The base URL.
        base_url: String,
        /// (plugin name, package) of each.
        plugins: Vec<(String, String)>,
    },
    /// The host version is outside the plugin's supported range.
    #[error("plugin `{name}` {version} supports host versions {range}, but this host is {host}{}", if *skipped { "; skipped because on_incompatible_plugin = \"skip\"" } else { "; upgrade the plugin or set on_incompatible_plugin = \"skip\" to run without it" })]
    IncompatibleHost {
        /// The plugin.
        name: String,
        /// The plugin's version.
        version: String,
        /// e.g. `>= 0.2.0, <= 0.9.99`.
        range: String,
        /// This host's version.
        host: String,
        /// Whether the policy skipped the plugin (a warning) instead of refusing (an error).
        skipped: bool,
    },
    /// A required setting is missing.
    #[error(
        "plugin `{name}` requires setting `{key}`: add it under [plugins_config.{name}] in the configuration"
    )]
    MissingSetting {
        /// The plugin.
        name: String,
        /// The setting.
        key: String,
    },
    /// A setting does not fit the plugin's settings type.
    #[error("plugin `{name}`: setting `{path}` is invalid: {message}")]
    InvalidSetting {
        /// The plugin.
        name: String,
        /// Full key path, e.g. `plugins_config.animal_sounds.loud`.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// An enabled plugin's name or base URL is taken by the host's own URLs.
    #[error(
        "plugin `{name}` uses the reserved {what} `{value}`, which the host's own URLs take ({why}); give the plugin another {what}"
    )]
    Reserved {
        /// The plugin.
        name: String,
        /// `name` or `base_url`.
        what: &'static str,
        /// The reserved value.
        value: String,
        /// Which host URL takes it.
        why: &'static str,
    },
    /// A setting the plugin does not know (a warning: it is ignored).
    #[error("plugin `{name}` has no setting `{key}` (in [plugins_config.{name}]); it is ignored{}", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
    UnknownSetting {
        /// The plugin.
        name: String,
        /// The key path.
        key: String,
        /// The nearest known setting.
        suggestion: Option<String>,
    },
    /// `plugins_config` configures a plugin that is linked but not enabled (a warning).
    #[error(
        "[plugins_config.{name}] configures plugin `{name}`, which is not enabled in `plugins`; its settings are unused"
    )]
    ConfigForDisabledPlugin {
        /// The plugin.
        name: String,
    },
    /// `plugins_config` configures a plugin that is not linked (a warning).
    #[error("[plugins_config.{name}] configures plugin `{name}`, which is not linked into this binary{}", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
    ConfigForUnknownPlugin {
        /// The name in `plugins_config`.
        name: String,
        /// The nearest linked name.
        suggestion: Option<String>,
    },
    /// A crate of the plugin table declares no plugin (a warning).
    #[error(
        "crate `{package}` is in the plugin table of app/Cargo.toml but declares no #[netbox_plugin]"
    )]
    CrateWithoutPlugin {
        /// The package.
        package: String,
    },
    /// A descriptor whose metadata cannot be used (only possible when built by hand, since
    /// the macro checks it at compile time).
    #[error("plugin `{name}` has invalid metadata: {message}")]
    InvalidMetadata {
        /// The plugin.
        name: String,
        /// What is wrong.
        message: String,
    },
    /// A plugin's contribution does not fit the application (a model, a view, a receiver).
    #[error("{}{message}", Owner(plugin.as_deref()))]
    InvalidContribution {
        /// The plugin (`core` for the host's own); `None` when no plugin can be named (a
        /// receiver in a crate that declares none).
        plugin: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// A host setting of the configuration file cannot be used.
    #[error("configuration: {message}")]
    InvalidConfig {
        /// What is wrong, naming the setting.
        message: String,
    },
    /// The plugin's `ready` hook failed.
    #[error("plugin `{name}` failed to start: {message}")]
    ReadyFailed {
        /// The plugin.
        name: String,
        /// The plugin's message.
        message: String,
    },
}

/// Everything loading found: errors stop the startup, warnings are logged. `check` and
/// `serve` print this one report.
#[derive(Debug, Default)]
pub struct LoadReport {
    /// Problems that stop the application from starting.
    pub errors: Vec<Problem>,
    /// Problems that are logged.
    pub warnings: Vec<Problem>,
}

impl LoadReport {
    /// True when the application may start.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
}

struct Owner<'a>(Option<&'a str>);

impl fmt::Display for Owner<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(name) if name == crate::builtin::CORE => write!(f, "{name}: "),
            Some(name) => write!(f, "plugin `{name}`: "),
            None => Ok(()),
        }
    }
}

struct Sources<'a>(&'a [(String, String)]);

impl fmt::Display for Sources<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|(package, path)| format!("crate `{package}` ({path})"))
            .collect();
        f.write_str(&parts.join(" and "))
    }
}

struct Plugins<'a>(&'a [(String, String)]);

impl fmt::Display for Plugins<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|(name, package)| format!("`{name}` (crate `{package}`)"))
            .collect();
        f.write_str(&parts.join(" and "))
    }
}

/// The candidate closest to `name`, if any is close enough to be a likely typo.
pub fn nearest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(name, candidate), candidate))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_finds_typos_only() {
        let names = ["animal_sounds", "access_lists"];
        assert_eq!(
            nearest("animal_sound", names).as_deref(),
            Some("animal_sounds")
        );
        assert_eq!(
            nearest("acces_lists", names).as_deref(),
            Some("access_lists")
        );
        assert_eq!(nearest("weather", names), None);
    }

    #[test]
    fn messages_name_plugin_and_cause() {
        let problem = Problem::DuplicateName {
            name: "twin".into(),
            sources: vec![
                ("a".into(), "a::Twin".into()),
                ("b".into(), "b::Twin".into()),
            ],
        };
        assert_eq!(
            problem.to_string(),
            "plugin name `twin` is declared by more than one linked crate: crate `a` (a::Twin) and crate `b` (b::Twin); rename one of them"
        );
        let problem = Problem::NotLinked {
            name: "x".into(),
            suggestion: None,
            linked: vec![],
        };
        assert!(problem.to_string().contains("linked plugins: none"));
    }
}
