//! The plugin registry: collects the descriptors linked into the binary, enables the ones the
//! configuration lists (in its order), validates them and their settings, and reports every
//! problem at once.

use crate::config::{Config, IncompatiblePolicy};
use crate::problems::{Problem, nearest};
use netbox_framework::{
    LoadedSettings, PluginContext, PluginDescriptor, PluginMetadata, SettingsFailure,
};
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
    /// Whether the operator listed it in `plugins`.
    pub listed: bool,
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
                let (status, context) = statuses
                    .get(name)
                    .cloned()
                    .unwrap_or((PluginStatus::NotEnabled, None));
                plugins.push(LinkedPlugin {
                    descriptor,
                    listed: enabled_set.contains(name),
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
        Ok(context) => (PluginStatus::Enabled, Some(Arc::new(context))),
        Err(why) => (PluginStatus::Failed(why), None),
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

/// Plugin names and base URLs the host's own URLs take.
const RESERVED: &[(&str, &str, &str)] = &[
    ("name", "netbox", "/static/netbox/ serves the host's files"),
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
mod tests {
    use super::*;
    use netbox_framework::settings::parse_settings;
    use netbox_framework::{DefaultSetting, Plugin, SettingsSchema};

    struct Quiet;
    impl Plugin for Quiet {}

    struct Fussy;
    impl Plugin for Fussy {
        fn ready(&self, context: &PluginContext) -> Result<(), String> {
            match context.setting("fail") {
                Some(toml::Value::Boolean(true)) => Err("told to fail".into()),
                _ => Ok(()),
            }
        }
    }

    #[derive(serde::Deserialize)]
    struct Typed {
        loud: bool,
        #[allow(dead_code)]
        zoo: String,
    }

    fn descriptor(name: &'static str, package: &'static str) -> PluginDescriptor {
        PluginDescriptor {
            metadata: PluginMetadata {
                name,
                base_url: Box::leak(name.replace('_', "-").into_boxed_str()),
                ..PluginMetadata::example()
            },
            package,
            type_path: "test::Quiet",
            plugin: &Quiet,
            settings: None,
        }
    }

    fn leak(descriptor: PluginDescriptor) -> &'static PluginDescriptor {
        Box::leak(Box::new(descriptor))
    }

    fn config(text: &str) -> Config {
        Config::parse(text, std::path::Path::new("test.toml")).expect("test config parses")
    }

    fn load(
        descriptors: Vec<&'static PluginDescriptor>,
        text: &str,
    ) -> (PluginRegistry, LoadReport) {
        PluginRegistry::load(descriptors, &config(text), &Version::new(0, 5, 0), &[])
    }

    fn names(registry: &PluginRegistry) -> Vec<&str> {
        registry.all().iter().map(|p| p.metadata().name).collect()
    }

    #[test]
    fn order_follows_configuration_not_link_order() {
        let descriptors = ["a", "b", "c", "d"].map(|n| leak(descriptor(n, n)));
        for input in [
            descriptors.to_vec(),
            descriptors.iter().rev().copied().collect(),
        ] {
            let (registry, report) = load(input, "plugins = ['c', 'a']");
            assert!(report.is_ok(), "{report:?}");
            assert_eq!(names(&registry), ["c", "a", "b", "d"]);
            let enabled: Vec<_> = registry.enabled().map(|(d, _)| d.metadata.name).collect();
            assert_eq!(enabled, ["c", "a"]);
            assert_eq!(
                registry.get("b").map(|p| &p.status),
                Some(&PluginStatus::NotEnabled)
            );
        }
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let descriptors = vec![
            leak(descriptor("twin", "crate-one")),
            leak(descriptor("twin", "crate-two")),
            leak(PluginDescriptor {
                metadata: PluginMetadata {
                    name: "needy",
                    base_url: "needy",
                    required_settings: &["zoo"],
                    ..PluginMetadata::example()
                },
                ..descriptor("needy", "needy")
            }),
            leak(PluginDescriptor {
                metadata: PluginMetadata {
                    name: "clash",
                    base_url: "needy",
                    ..PluginMetadata::example()
                },
                ..descriptor("clash", "clash")
            }),
        ];
        let (registry, report) = load(descriptors, "plugins = ['needy', 'clash', 'needy', 'nedy']");
        let messages: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 5, "{messages:#?}");
        assert!(messages.contains(&"plugin name `twin` is declared by more than one linked crate: crate `crate-one` (test::Quiet) and crate `crate-two` (test::Quiet); rename one of them".to_string()));
        assert!(
            messages.contains(
                &"plugin `needy` is listed more than once in `plugins`: list each plugin once"
                    .to_string()
            )
        );
        assert!(messages.iter().any(|m| m.starts_with("plugin `nedy` is enabled in `plugins` but not linked into this binary (did you mean `needy`?); linked plugins: clash, needy, twin.")));
        assert!(messages.contains(&"plugin `needy` requires setting `zoo`: add it under [plugins_config.needy] in the configuration".to_string()));
        assert!(messages.contains(&"plugins `needy` (crate `needy`) and `clash` (crate `clash`) all use base_url `needy`: their pages would collide under /plugins/needy/; give one of them another base_url".to_string()));
        assert!(matches!(
            registry.get("twin").map(|p| &p.status),
            Some(PluginStatus::Failed(_))
        ));
    }

    #[test]
    fn host_version_outside_range_refuses_or_skips() {
        let too_new = || {
            vec![leak(PluginDescriptor {
                metadata: PluginMetadata {
                    name: "future",
                    min_version: Some("1.0.0"),
                    max_version: Some("1.9.99"),
                    ..PluginMetadata::example()
                },
                ..descriptor("future", "future")
            })]
        };
        let (registry, report) = load(too_new(), "plugins = ['future']");
        assert_eq!(
            report.errors[0].to_string(),
            "plugin `future` 0.1.0 supports host versions >= 1.0.0, <= 1.9.99, but this host is 0.5.0; upgrade the plugin or set on_incompatible_plugin = \"skip\" to run without it"
        );
        assert!(matches!(
            registry.get("future").map(|p| &p.status),
            Some(PluginStatus::Failed(_))
        ));

        let (registry, report) = load(
            too_new(),
            "plugins = ['future']\non_incompatible_plugin = 'skip'",
        );
        assert!(report.is_ok());
        assert!(
            report.warnings[0]
                .to_string()
                .ends_with("skipped because on_incompatible_plugin = \"skip\"")
        );
        assert_eq!(registry.enabled().count(), 0);
        assert!(matches!(
            registry.get("future").map(|p| &p.status),
            Some(PluginStatus::Skipped(_))
        ));

        let too_old = vec![leak(PluginDescriptor {
            metadata: PluginMetadata {
                name: "old",
                max_version: Some("0.4.99"),
                ..PluginMetadata::example()
            },
            ..descriptor("old", "old")
        })];
        let (_, report) = load(too_old, "plugins = ['old']");
        assert!(
            report.errors[0]
                .to_string()
                .contains("supports host versions <= 0.4.99, but this host is 0.5.0")
        );
    }

    fn typed(
        defaults: &'static [(&'static str, DefaultSetting)],
    ) -> Vec<&'static PluginDescriptor> {
        vec![leak(PluginDescriptor {
            metadata: PluginMetadata {
                name: "zoo",
                required_settings: &["zoo"],
                default_settings: defaults,
                ..PluginMetadata::example()
            },
            settings: Some(SettingsSchema {
                type_name: "Typed",
                parse: parse_settings::<Typed>,
            }),
            ..descriptor("zoo", "zoo")
        })]
    }

    #[test]
    fn settings_merge_defaults_under_operator_values() {
        let (registry, report) = load(
            typed(&[("loud", DefaultSetting::Bool(false))]),
            "plugins = ['zoo']\n[plugins_config.zoo]\nzoo = 'Artis'\nlodu = 1",
        );
        assert!(report.is_ok(), "{report:?}");
        assert_eq!(
            report.warnings,
            [Problem::UnknownSetting {
                name: "zoo".into(),
                key: "lodu".into(),
                suggestion: Some("loud".into())
            }]
        );
        let (_, context) = registry.enabled().next().expect("zoo enabled");
        assert!(!context.settings::<Typed>().expect("typed settings").loud);

        let (registry, _) = load(
            typed(&[("loud", DefaultSetting::Bool(false))]),
            "plugins = ['zoo']\n[plugins_config.zoo]\nzoo = 'Artis'\nloud = true",
        );
        let (_, context) = registry.enabled().next().expect("zoo enabled");
        assert!(context.settings::<Typed>().expect("typed settings").loud);
    }

    #[test]
    fn wrong_type_names_the_key_path() {
        let (_, report) = load(
            typed(&[("loud", DefaultSetting::Bool(false))]),
            "plugins = ['zoo']\n[plugins_config.zoo]\nzoo = 'Artis'\nloud = 'yes'",
        );
        assert_eq!(
            report.errors[0].to_string(),
            "plugin `zoo`: setting `plugins_config.zoo.loud` is invalid: invalid type: string \"yes\", expected a boolean"
        );
    }

    #[test]
    fn a_bad_default_is_blamed_on_the_plugin() {
        let (_, report) = load(
            typed(&[("loud", DefaultSetting::String("no"))]),
            "plugins = ['zoo']\n[plugins_config.zoo]\nzoo = 'Artis'",
        );
        assert!(
            report.errors[0]
                .to_string()
                .ends_with("(this is the plugin's own default: a bug in the plugin)")
        );
    }

    #[test]
    fn untyped_plugin_warns_on_undeclared_keys() {
        let (registry, report) = load(
            vec![leak(descriptor("plain", "plain"))],
            "plugins = ['plain']\n[plugins_config.plain]\ncolour = 'red'",
        );
        assert!(report.is_ok());
        assert_eq!(
            report.warnings[0].to_string(),
            "plugin `plain` has no setting `colour` (in [plugins_config.plain]); it is ignored"
        );
        let (_, context) = registry.enabled().next().expect("enabled");
        assert_eq!(
            context.setting("colour").and_then(toml::Value::as_str),
            Some("red")
        );
    }

    #[test]
    fn config_for_unlisted_plugins_warns() {
        let (_, report) = load(
            vec![leak(descriptor("plain", "plain"))],
            "[plugins_config.plain]\nx = 1\n[plugins_config.plian]\nx = 1",
        );
        let warnings: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            [
                "[plugins_config.plain] configures plugin `plain`, which is not enabled in `plugins`; its settings are unused",
                "[plugins_config.plian] configures plugin `plian`, which is not linked into this binary (did you mean `plain`?)",
            ]
        );
    }

    #[test]
    fn ready_hook_failure_is_an_error_naming_the_plugin() {
        let fussy = || {
            vec![leak(PluginDescriptor {
                plugin: &Fussy,
                ..descriptor("fussy", "fussy")
            })]
        };
        let (registry, report) = load(
            fussy(),
            "plugins = ['fussy']\n[plugins_config.fussy]\nfail = true",
        );
        assert_eq!(
            report.errors[0].to_string(),
            "plugin `fussy` failed to start: told to fail"
        );
        assert_eq!(registry.enabled().count(), 0);
        let (registry, report) = load(fussy(), "plugins = ['fussy']");
        assert!(report.is_ok());
        assert_eq!(registry.enabled().count(), 1);
    }

    #[test]
    fn reserved_name_and_base_url_are_errors() {
        let descriptors = vec![
            leak(PluginDescriptor {
                metadata: PluginMetadata {
                    name: "netbox",
                    base_url: "netbox",
                    ..PluginMetadata::example()
                },
                ..descriptor("netbox", "netbox")
            }),
            leak(PluginDescriptor {
                metadata: PluginMetadata {
                    name: "lister",
                    base_url: "installed-plugins",
                    ..PluginMetadata::example()
                },
                ..descriptor("lister", "lister")
            }),
        ];
        let (_, report) = load(descriptors, "plugins = ['netbox', 'lister']");
        let messages: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "plugin `netbox` uses the reserved name `netbox`, which the host's own URLs take (/static/netbox/ serves the host's files); give the plugin another name",
                "plugin `lister` uses the reserved base_url `installed-plugins`, which the host's own URLs take (/api/plugins/installed-plugins/ lists the plugins); give the plugin another base_url",
            ]
        );
    }

    #[test]
    fn crate_in_plugin_table_without_plugin_warns() {
        let (_, report) = PluginRegistry::load(
            vec![],
            &Config::default(),
            &Version::new(0, 5, 0),
            &["helper-lib"],
        );
        assert_eq!(
            report.warnings[0].to_string(),
            "crate `helper-lib` is in the plugin table of app/Cargo.toml but declares no #[netbox_plugin]"
        );
    }
}
