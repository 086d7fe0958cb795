//! Unit tests of the plugin registry.

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
        source_dir: "",
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

fn load(descriptors: Vec<&'static PluginDescriptor>, text: &str) -> (PluginRegistry, LoadReport) {
    let (mut registry, mut report) =
        PluginRegistry::load(descriptors, &config(text), &Version::new(0, 5, 0), &[]);
    if report.is_ok() {
        registry.run_ready_hooks(&mut report);
    }
    (registry, report)
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
    assert!(messages.contains(
        &"plugin `needy` is listed more than once in `plugins`: list each plugin once".to_string()
    ));
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

fn typed(defaults: &'static [(&'static str, DefaultSetting)]) -> Vec<&'static PluginDescriptor> {
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
