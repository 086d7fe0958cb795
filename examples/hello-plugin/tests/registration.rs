//! The plugin registers itself when linked, with the metadata and settings it declares.

use hello_plugin::{HelloSettings, greet};

#[test]
fn registers_with_its_metadata() {
    let descriptor = netbox_framework::all_descriptors()
        .into_iter()
        .find(|d| d.metadata.name == "hello")
        .expect("the hello plugin is registered");
    assert_eq!(descriptor.package, "hello-plugin");
    assert_eq!(descriptor.metadata.base_url, "hello");
    assert_eq!(descriptor.metadata.author, "Jane Doe");
    assert_eq!(descriptor.metadata.author_email, "jane@example.com");
    assert_eq!(descriptor.plugin.menu_items()[0].text, "Say hello");
}

#[test]
fn default_greeting_applies_and_operator_value_wins() {
    let descriptor = netbox_framework::all_descriptors()
        .into_iter()
        .find(|d| d.metadata.name == "hello")
        .expect("the hello plugin is registered");
    let greeting = |operator: &str| {
        let operator: toml::Table = operator.parse().expect("valid TOML");
        let loaded = descriptor.load_settings(&operator).expect("valid settings");
        assert!(loaded.unknown_keys.is_empty());
        let settings = loaded
            .context
            .settings::<HelloSettings>()
            .expect("HelloSettings");
        greet(settings, "world")
    };
    assert_eq!(greeting(""), "Hello, world!");
    assert_eq!(greeting("greeting = 'Hoi'"), "Hoi, world!");
}
