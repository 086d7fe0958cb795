//! The plugin registry: collects the descriptors linked into the binary, enables the ones the
//! configuration lists (in its order), validates them and their settings, and reports every
//! problem at once.

use crate::config::{Config, IncompatiblePolicy};
use crate::problems::{Problem, nearest};
use netbox_framework::settings::ParsedSettings;
use netbox_framework::{PluginContext, PluginDescriptor, PluginMetadata};
use semver::Version;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Whether a linked plugin runs, and if not, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PluginStatus {
    /// Enabled and valid: it contributes to the application.
    Enabled,
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
            PluginStatus::Enabled => f.write_str("ok"),
            PluginStatus::NotEnabled => f.write_str("not enabled (not in `plugins`)"),
            PluginStatus::Skipped(why) => write!(f, "skipped: {why}"),
            PluginStatus::Failed(why) => write!(f, "error: {why}"),
        }
    }
}

/// One plugin linked into the binary.
#[derive(Debug)]
pub struct LinkedPlugin {
    /// What its crate registered.
    pub descriptor: &'static PluginDescriptor,
    /// Whether it runs.
    pub status: PluginStatus,
    /// Its run-time context (merged settings), when it is enabled and valid.
    pub context: Option<Arc<PluginContext>>,
}

impl LinkedPlugin {
    /// The plugin's metadata.
    pub fn metadata(&self) -> &'static PluginMetadata {
        &self.descriptor.metadata
    }
}

/// What loading found: errors stop the startup, warnings are logged.
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

/// Every linked plugin, enabled ones first in the operator's order, then the others by name.
#[derive(Debug)]
pub struct PluginRegistry {
    host_version: Version,
    plugins: Vec<LinkedPlugin>,
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

        let mut statuses: HashMap<&'static str, (PluginStatus, Option<Arc<PluginContext>>)> =
            HashMap::new();
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
                    (
                        PluginStatus::Failed("declared by more than one crate".into()),
                        None,
                    ),
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
                let (status, context) = statuses
                    .get(name)
                    .cloned()
                    .unwrap_or((PluginStatus::NotEnabled, None));
                plugins.push(LinkedPlugin {
                    descriptor,
                    status,
                    context,
                });
            }
        }

        let mut registry = PluginRegistry {
            host_version: host_version.clone(),
            plugins,
        };
        if report.is_ok() {
            registry.run_ready_hooks(&mut report);
        }
        (registry, report)
    }

    fn run_ready_hooks(&mut self, report: &mut LoadReport) {
        for plugin in &mut self.plugins {
            let Some(context) = &plugin.context else {
                continue;
            };
            if let Err(message) = plugin.descriptor.plugin.ready(context) {
                report.errors.push(Problem::ReadyFailed {
                    name: plugin.metadata().name.to_string(),
                    message: message.clone(),
                });
                plugin.status = PluginStatus::Failed(format!("ready hook failed: {message}"));
                plugin.context = None;
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
        self.plugins.iter().filter_map(|plugin| {
            plugin
                .context
                .as_ref()
                .map(|context| (plugin.descriptor, context))
        })
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
) -> (PluginStatus, Option<Arc<PluginContext>>) {
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
                (PluginStatus::Skipped(why), None)
            } else {
                report.errors.push(problem);
                (PluginStatus::Failed(why), None)
            };
        }
        Err(problem) => {
            let why = problem.to_string();
            report.errors.push(problem);
            return (PluginStatus::Failed(why), None);
        }
    }

    let empty = toml::Table::new();
    let operator = config.plugins_config.get(metadata.name).unwrap_or(&empty);
    match settings(descriptor, operator, report) {
        Some(context) => (PluginStatus::Enabled, Some(Arc::new(context))),
        None => (PluginStatus::Failed("invalid settings".into()), None),
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

/// Merges defaults with the operator's values, checks required settings and the typed
/// settings struct. `None` when an error was reported.
fn settings(
    descriptor: &'static PluginDescriptor,
    operator: &toml::Table,
    report: &mut LoadReport,
) -> Option<PluginContext> {
    let metadata = &descriptor.metadata;
    let name = metadata.name;
    let missing: Vec<Problem> = metadata
        .required_settings
        .iter()
        .filter(|key| !operator.contains_key(**key))
        .map(|key| Problem::MissingSetting {
            name: name.to_string(),
            key: key.to_string(),
        })
        .collect();
    if !missing.is_empty() {
        report.errors.extend(missing);
        return None;
    }

    let mut merged: toml::Table = metadata
        .default_settings
        .iter()
        .map(|(key, value)| (key.to_string(), value.to_toml()))
        .collect();
    merged.extend(
        operator
            .iter()
            .map(|(key, value)| (key.clone(), value.clone())),
    );

    let known: Vec<&str> = metadata
        .required_settings
        .iter()
        .copied()
        .chain(metadata.default_settings.iter().map(|(key, _)| *key))
        .collect();
    let (typed, unknown_keys) = match descriptor.settings {
        Some(schema) => match (schema.parse)(&merged) {
            Ok(ParsedSettings {
                value,
                unknown_keys,
            }) => (Some(value), unknown_keys),
            Err(error) => {
                let top = error.path.split(['.', '[']).next().unwrap_or_default();
                let from_default = !top.is_empty() && top != "." && !operator.contains_key(top);
                let path = if error.path == "." {
                    format!("plugins_config.{name}")
                } else {
                    format!("plugins_config.{name}.{}", error.path)
                };
                let mut message = error.message;
                if from_default {
                    message.push_str(" (this is the plugin's own default: a bug in the plugin)");
                }
                report.errors.push(Problem::InvalidSetting {
                    name: name.to_string(),
                    path,
                    message,
                });
                return None;
            }
        },
        None => {
            let unknown = operator
                .keys()
                .filter(|key| !known.contains(&key.as_str()))
                .cloned()
                .collect();
            (None, unknown)
        }
    };
    for key in unknown_keys {
        let suggestion = nearest(&key, known.iter().copied());
        report.warnings.push(Problem::UnknownSetting {
            name: name.to_string(),
            key,
            suggestion,
        });
    }
    Some(PluginContext::new(name, merged, typed))
}

fn check_base_urls(
    enabled: &[&'static str],
    by_name: &HashMap<&'static str, Vec<&'static PluginDescriptor>>,
    statuses: &HashMap<&'static str, (PluginStatus, Option<Arc<PluginContext>>)>,
    report: &mut LoadReport,
) {
    let mut by_base_url: HashMap<&str, Vec<(String, String)>> = HashMap::new();
    for name in enabled {
        if matches!(statuses.get(name), Some((PluginStatus::Skipped(_), _))) {
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
