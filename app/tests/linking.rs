//! Every crate under `plugins/` is linked into the application: its plugin registers itself
//! in the app's library (which integration tests link) without any code calling it.

use std::collections::BTreeSet;

fn shipped_plugin_packages() -> BTreeSet<String> {
    let plugins_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../plugins");
    let mut packages = BTreeSet::new();
    for entry in std::fs::read_dir(plugins_dir).expect("plugins/ exists") {
        let manifest = entry.expect("directory entry").path().join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        let manifest: toml::Table = text.parse().expect("plugin manifest parses");
        let name = manifest["package"]["name"]
            .as_str()
            .expect("package.name")
            .to_string();
        packages.insert(name);
    }
    packages
}

#[test]
fn every_shipped_plugin_is_linked_and_registered() {
    let shipped = shipped_plugin_packages();
    assert!(shipped.contains("animal-sounds"), "{shipped:?}");
    let registered: BTreeSet<String> = netbox_framework::all_descriptors()
        .iter()
        .map(|descriptor| descriptor.package.to_string())
        .collect();
    let missing: Vec<&String> = shipped.difference(&registered).collect();
    assert!(
        missing.is_empty(),
        "plugins/ crates not registered in the app: {missing:?}"
    );
    let table: BTreeSet<String> = netbox_app::linked::LINKED_PLUGIN_PACKAGES
        .iter()
        .map(|p| p.to_string())
        .collect();
    let not_in_table: Vec<&String> = shipped.difference(&table).collect();
    assert!(
        not_in_table.is_empty(),
        "plugins/ crates missing from app/Cargo.toml's plugin table: {not_in_table:?}"
    );
}

#[test]
fn shipped_plugins_load_without_problems() {
    let config = netbox_app::config::Config {
        plugins: vec!["animal_sounds".into()],
        ..Default::default()
    };
    let (registry, report) = netbox_app::load_plugins(&config);
    assert!(report.is_ok(), "{report:?}");
    assert!(report.warnings.is_empty(), "{report:?}");
    let (descriptor, context) = registry.enabled().next().expect("animal_sounds enabled");
    assert_eq!(descriptor.metadata.name, "animal_sounds");
    let settings = context
        .settings::<animal_sounds::AnimalSoundsSettings>()
        .expect("typed settings");
    assert!(!settings.loud, "default loud = false");
}
