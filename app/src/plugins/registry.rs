//! The plugin registry: collects the descriptors linked into the binary, enables the ones the
//! configuration lists (in its order), validates them and their settings, and reports every
//! problem at once.

use super::guard::{PluginFailure, call_plugin};
use crate::config::{Config, IncompatiblePolicy};
use crate::problems::{LoadReport, Problem, nearest};
use netbox_framework::{
    LoadedSettings, PluginContext, PluginDescriptor, PluginMetadata, SettingsFailure,
};
use semver::Version;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Whether a linked plugin runs, and if not, why. Only an enabled plugin has a context.
#[derive(Debug, Clone)]
pub enum PluginStatus {
    /// Enabled and valid: it contributes to the application, with this context (its merged
    /// settings).
    Enabled(Arc<PluginContext>),
    /// Linked but not listed in `plugins`.
    NotEnabled,
    /// Enabled but skipped (incompatible host version with `on_incompatible_plugin = "skip"`).
    Skipped(String),
    /// Enabled (or declared) but invalid; the application refuses to start.
    Failed(String),
}

impl std::fmt::Display for PluginStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PluginStatus::Enabled(_) => f.write_str("ok"),
            PluginStatus::NotEnabled => f.write_str("not enabled (not in `plugins`)"),
            PluginStatus::Skipped(why) => write!(f, "skipped: {why}"),
            PluginStatus::Failed(why) => write!(f, "error: {why}"),
        }
    }
}

impl PartialEq for PluginStatus {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (PluginStatus::Enabled(a), PluginStatus::Enabled(b)) => Arc::ptr_eq(a, b),
            (PluginStatus::NotEnabled, PluginStatus::NotEnabled) => true,
            (PluginStatus::Skipped(a), PluginStatus::Skipped(b))
            | (PluginStatus::Failed(a), PluginStatus::Failed(b)) => a == b,
            _ => false,
        }
    }
}

/// One plugin linked into the binary.
#[derive(Debug)]
pub struct LinkedPlugin {
    /// What its crate registered.
    pub descriptor: &'static PluginDescriptor,
    /// Whether it runs (with its context when it does), and if not, why.
    pub status: PluginStatus,
}

impl LinkedPlugin {
    /// The plugin's metadata.
    pub fn metadata(&self) -> &'static PluginMetadata {
        &self.descriptor.metadata
    }

    /// Its run-time context, when it is enabled and valid.
    pub fn context(&self) -> Option<&Arc<PluginContext>> {
        match &self.status {
            PluginStatus::Enabled(context) => Some(context),
            _ => None,
        }
    }
}

/// Every linked plugin, enabled ones first in the operator's order, then the others by name.
#[derive(Debug)]
pub struct PluginRegistry {
    host_version: Version,
    plugins: Vec<LinkedPlugin>,
    /// The host's own features, built as plugins; always on, never listed with the linked ones.
    internal: Vec<(&'static PluginDescriptor, Arc<PluginContext>)>,
}

impl PluginRegistry {
    /// Builds the registry from `descriptors` (normally [`netbox_framework::all_descriptors`])
    /// and the configuration. `table_packages` are the crates of the app's plugin table (a
    /// crate there that declares no plugin is reported).
    ///
    /// The result's order never depends on link order. Enabled plugins' `ready` hooks run
    /// only when nothing else is wrong.
    pub fn load(
        descriptors: Vec<&'static PluginDescriptor>,
        config: &Config,
        host_version: &Version,
        table_packages: &[&str],
    ) -> (PluginRegistry, LoadReport) {
        let mut report = LoadReport::default();
        let mut by_name: HashMap<&'static str, Vec<&'static PluginDescriptor>> = HashMap::new();
        for descriptor in descriptors {
            by_name
                .entry(descriptor.metadata.name)
                .or_default()
                .push(descriptor);
        }
        let mut linked_names: Vec<&'static str> = by_name.keys().copied().collect();
        linked_names.sort_unstable();

        let mut statuses: HashMap<&'static str, PluginStatus> = HashMap::new();
        for name in &linked_names {
            let declared = &by_name[name];
            if declared.len() > 1 {
                let mut sources: Vec<(String, String)> = declared
                    .iter()
                    .map(|d| (d.package.to_string(), d.type_path.to_string()))
                    .collect();
                sources.sort();
                report.errors.push(Problem::DuplicateName {
                    name: name.to_string(),
                    sources,
                });
                statuses.insert(
                    name,
                    PluginStatus::Failed("declared by more than one crate".into()),
                );
            }
        }

        // Enabled plugins, in the operator's order.
        let mut enabled: Vec<&'static str> = Vec::new();
        let mut listed: HashSet<&str> = HashSet::new();
        for name in &config.plugins {
            if !listed.insert(name.as_str()) {
                report
                    .errors
                    .push(Problem::EnabledTwice { name: name.clone() });
                continue;
            }
            match linked_names.binary_search(&name.as_str()) {
                Ok(index) => enabled.push(linked_names[index]),
                Err(_) => report.errors.push(Problem::NotLinked {
                    name: name.clone(),
                    suggestion: nearest(name, linked_names.iter().copied()),
                    linked: linked_names.iter().map(|n| n.to_string()).collect(),
                }),
            }
        }

        for &name in &enabled {
            if statuses.contains_key(name) {
                continue; // a duplicate name, already reported
            }
            let descriptor = by_name[name][0];
            let status = enable(descriptor, config, host_version, &mut report);
            statuses.insert(name, status);
        }

        check_base_urls(&enabled, &by_name, &statuses, &mut report);
        check_reserved(&enabled, &by_name, &mut report);
        check_unused_config(config, &listed, &by_name, &linked_names, &mut report);
        for package in table_packages {
            if !by_name.values().flatten().any(|d| d.package == *package) {
                report.warnings.push(Problem::CrateWithoutPlugin {
                    package: package.to_string(),
                });
            }
        }

        // Order: enabled in config order, then the rest by name (then package).
        let mut plugins = Vec::with_capacity(linked_names.len());
        let enabled_set: HashSet<&str> = enabled.iter().copied().collect();
        let rest = linked_names
            .iter()
            .copied()
            .filter(|n| !enabled_set.contains(n));
        for name in enabled.iter().copied().chain(rest) {
            let mut declared = by_name[name].clone();
            declared.sort_by_key(|d| d.package);
            for descriptor in declared {
                let status = statuses
                    .get(name)
                    .cloned()
                    .unwrap_or(PluginStatus::NotEnabled);
                plugins.push(LinkedPlugin { descriptor, status });
            }
        }

        let internal = crate::builtin::internal_plugins()
            .into_iter()
            .map(|descriptor| {
                let context =
                    PluginContext::new(descriptor.metadata.name, toml::Table::new(), None);
                (descriptor, Arc::new(context))
            })
            .collect();
        let registry = PluginRegistry {
            host_version: host_version.clone(),
            plugins,
            internal,
        };
        (registry, report)
    }

    /// Runs every enabled plugin's `ready` hook (call it once everything else is valid); a
    /// failure is an error naming the plugin, and the plugin is no longer enabled.
    pub fn run_ready_hooks(&mut self, report: &mut LoadReport) {
        for plugin in &mut self.plugins {
            let Some(context) = plugin.context() else {
                continue;
            };
            let outcome = call_plugin(plugin.metadata().name, "ready", || {
                plugin.descriptor.plugin.ready(context)
            });
            if let Err(PluginFailure::Error(message) | PluginFailure::Panic(message)) = outcome {
                report.errors.push(Problem::ReadyFailed {
                    name: plugin.metadata().name.to_string(),
                    message: message.clone(),
                });
                plugin.status = PluginStatus::Failed(format!("ready hook failed: {message}"));
            }
        }
    }

    /// The host version plugins were checked against.
    pub fn host_version(&self) -> &Version {
        &self.host_version
    }

    /// Every linked plugin: enabled ones first in configuration order, then the rest by name.
    pub fn all(&self) -> &[LinkedPlugin] {
        &self.plugins
    }

    /// The enabled, valid plugins in configuration order.
    pub fn enabled(
        &self,
    ) -> impl Iterator<Item = (&'static PluginDescriptor, &Arc<PluginContext>)> {
        self.plugins
            .iter()
            .filter_map(|plugin| plugin.context().map(|context| (plugin.descriptor, context)))
    }

    /// The host's internal plugins (the core), always active, with their contexts.
    pub fn internal(
        &self,
    ) -> impl Iterator<Item = (&'static PluginDescriptor, &Arc<PluginContext>)> {
        self.internal
            .iter()
            .map(|(descriptor, context)| (*descriptor, context))
    }

    /// A linked plugin by name.
    pub fn get(&self, name: &str) -> Option<&LinkedPlugin> {
        self.plugins
            .iter()
            .find(|plugin| plugin.metadata().name == name)
    }
}

/// Checks one enabled plugin: host version, then settings. Returns its status and context.
fn enable(
    descriptor: &'static PluginDescriptor,
    config: &Config,
    host: &Version,
    report: &mut LoadReport,
) -> PluginStatus {
    let metadata = &descriptor.metadata;
    match unsupported_range(metadata, host) {
        Ok(None) => {}
        Ok(Some(range)) => {
            let skipped = config.on_incompatible_plugin == IncompatiblePolicy::Skip;
            let why = format!("supports host versions {range}, this host is {host}");
            let problem = Problem::IncompatibleHost {
                name: metadata.name.to_string(),
                version: metadata.full_version(),
                range,
                host: host.to_string(),
                skipped,
            };
            return if skipped {
                report.warnings.push(problem);
                PluginStatus::Skipped(why)
            } else {
                report.errors.push(problem);
                PluginStatus::Failed(why)
            };
        }
        Err(problem) => {
            let why = problem.to_string();
            report.errors.push(problem);
            return PluginStatus::Failed(why);
        }
    }

    let empty = toml::Table::new();
    let operator = config.plugins_config.get(metadata.name).unwrap_or(&empty);
    match settings(descriptor, operator, report) {
        Ok(context) => PluginStatus::Enabled(Arc::new(context)),
        Err(why) => PluginStatus::Failed(why),
    }
}

/// The plugin's supported range (e.g. `>= 0.2.0, <= 0.9.99`) when `host` is outside it.
fn unsupported_range(metadata: &PluginMetadata, host: &Version) -> Result<Option<String>, Problem> {
    let parse = |text: &str, key: &str| {
        Version::parse(text).map_err(|error| Problem::InvalidMetadata {
            name: metadata.name.to_string(),
            message: format!("{key} `{text}` is not a semantic version: {error}"),
        })
    };
    let min = metadata
        .min_version
        .map(|v| parse(v, "min_version"))
        .transpose()?;
    let max = metadata
        .max_version
        .map(|v| parse(v, "max_version"))
        .transpose()?;
    let below = min.as_ref().is_some_and(|min| host < min);
    let above = max.as_ref().is_some_and(|max| host > max);
    if !below && !above {
        return Ok(None);
    }
    let bounds: Vec<String> = min
        .map(|min| format!(">= {min}"))
        .into_iter()
        .chain(max.map(|max| format!("<= {max}")))
        .collect();
    Ok(Some(bounds.join(", ")))
}

/// Loads one plugin's settings, reporting problems. On error, a short reason for the
/// plugin's status.
fn settings(
    descriptor: &'static PluginDescriptor,
    operator: &toml::Table,
    report: &mut LoadReport,
) -> Result<PluginContext, String> {
    let name = descriptor.metadata.name;
    match descriptor.load_settings(operator) {
        Ok(LoadedSettings {
            context,
            unknown_keys,
        }) => {
            let known = descriptor.metadata.required_settings.iter().chain(
                descriptor
                    .metadata
                    .default_settings
                    .iter()
                    .map(|(key, _)| key),
            );
            let known: Vec<&str> = known.copied().collect();
            for key in unknown_keys {
                let suggestion = nearest(&key, known.iter().copied());
                report.warnings.push(Problem::UnknownSetting {
                    name: name.to_string(),
                    key,
                    suggestion,
                });
            }
            Ok(context)
        }
        Err(SettingsFailure::Missing(keys)) => {
            let why = format!("missing setting(s) {}", keys.join(", "));
            report
                .errors
                .extend(keys.into_iter().map(|key| Problem::MissingSetting {
                    name: name.to_string(),
                    key: key.to_string(),
                }));
            Err(why)
        }
        Err(SettingsFailure::Invalid {
            error,
            from_default,
        }) => {
            let path = if error.path == "." {
                format!("plugins_config.{name}")
            } else {
                format!("plugins_config.{name}.{}", error.path)
            };
            let mut message = error.message;
            if from_default {
                message.push_str(" (this is the plugin's own default: a bug in the plugin)");
            }
            let why = format!("invalid setting {path}");
            report.errors.push(Problem::InvalidSetting {
                name: name.to_string(),
                path,
                message,
            });
            Err(why)
        }
    }
}

fn check_base_urls(
    enabled: &[&'static str],
    by_name: &HashMap<&'static str, Vec<&'static PluginDescriptor>>,
    statuses: &HashMap<&'static str, PluginStatus>,
    report: &mut LoadReport,
) {
    let mut by_base_url: HashMap<&str, Vec<(String, String)>> = HashMap::new();
    for name in enabled {
        if matches!(statuses.get(name), Some(PluginStatus::Skipped(_))) {
            continue;
        }
        for descriptor in &by_name[name] {
            by_base_url
                .entry(descriptor.metadata.base_url)
                .or_default()
                .push((name.to_string(), descriptor.package.to_string()));
        }
    }
    let mut clashes: Vec<(&str, Vec<(String, String)>)> = by_base_url
        .into_iter()
        .filter(|(_, plugins)| plugins.len() > 1)
        .collect();
    clashes.sort();
    for (base_url, plugins) in clashes {
        if plugins.iter().all(|(name, _)| name == &plugins[0].0) {
            continue; // one name declared twice: reported as a duplicate name
        }
        report.errors.push(Problem::DuplicateBaseUrl {
            base_url: base_url.to_string(),
            plugins,
        });
    }
}

/// Plugin names and base URLs the host's own URLs take.
const RESERVED: &[(&str, &str, &str)] = &[
    ("name", "netbox", "/static/netbox/ serves the host's files"),
    (
        "name",
        crate::builtin::CORE,
        "the host's own features and migrations are registered as `core`",
    ),
    (
        "base_url",
        "installed-plugins",
        "/api/plugins/installed-plugins/ lists the plugins",
    ),
];

fn check_reserved(
    enabled: &[&'static str],
    by_name: &HashMap<&'static str, Vec<&'static PluginDescriptor>>,
    report: &mut LoadReport,
) {
    for name in enabled {
        for descriptor in &by_name[name] {
            for (what, value, why) in RESERVED {
                let actual = if *what == "name" {
                    descriptor.metadata.name
                } else {
                    descriptor.metadata.base_url
                };
                if actual == *value {
                    report.errors.push(Problem::Reserved {
                        name: name.to_string(),
                        what,
                        value: value.to_string(),
                        why,
                    });
                }
            }
        }
    }
}

fn check_unused_config(
    config: &Config,
    listed: &HashSet<&str>,
    by_name: &HashMap<&'static str, Vec<&'static PluginDescriptor>>,
    linked_names: &[&'static str],
    report: &mut LoadReport,
) {
    for name in config.plugins_config.keys() {
        if listed.contains(name.as_str()) {
            continue;
        }
        if by_name.contains_key(name.as_str()) {
            report
                .warnings
                .push(Problem::ConfigForDisabledPlugin { name: name.clone() });
        } else {
            report.warnings.push(Problem::ConfigForUnknownPlugin {
                name: name.clone(),
                suggestion: nearest(name, linked_names.iter().copied()),
            });
        }
    }
}

#[cfg(test)]
#[path = "registry_tests.rs"]
mod tests;
