use netbox_framework::{netbox_plugin, DefaultSetting, Plugin};

#[derive(serde::Deserialize)]
pub struct ZooSettings {
    pub zoo: String,
    pub loud: bool,
    pub cages: i64,
    pub ratio: f64,
    pub keeper: String,
}

#[netbox_plugin(
    name = "zoo_keeper",
    verbose_name = "Zoo Keeper",
    version = "1.2.3",
    description = "Keeps the zoo.",
    author = "Jane Doe",
    author_email = "jane@example.com",
    base_url = "zoo",
    min_version = "0.1.0",
    max_version = "0.9.99",
    release_track = "beta",
    required_settings = ["zoo"],
    default_settings(loud = false, cages = -3, ratio = 0.5, keeper = "Sam"),
    settings = ZooSettings,
)]
pub struct ZooKeeper;

impl Plugin for ZooKeeper {}

fn main() {
    let all = netbox_framework::all_descriptors();
    assert_eq!(all.len(), 1);
    let descriptor = all[0];
    let m = &descriptor.metadata;
    assert_eq!(m.name, "zoo_keeper");
    assert_eq!(m.verbose_name, "Zoo Keeper");
    assert_eq!(m.full_version(), "1.2.3-beta");
    assert_eq!(m.description, "Keeps the zoo.");
    assert_eq!((m.author, m.author_email), ("Jane Doe", "jane@example.com"));
    assert_eq!(m.base_url, "zoo");
    assert_eq!((m.min_version, m.max_version), (Some("0.1.0"), Some("0.9.99")));
    assert_eq!(m.required_settings, ["zoo"]);
    assert_eq!(
        m.default_settings,
        [
            ("loud", DefaultSetting::Bool(false)),
            ("cages", DefaultSetting::Integer(-3)),
            ("ratio", DefaultSetting::Float(0.5)),
            ("keeper", DefaultSetting::String("Sam")),
        ]
    );
    assert!(descriptor.type_path.ends_with("::ZooKeeper"), "{}", descriptor.type_path);
    let schema = descriptor.settings.expect("a settings schema");
    assert_eq!(schema.type_name, "ZooSettings");
    let table: toml::Table = toml::from_str("zoo = 'x'\nloud = true\ncages = 1\nratio = 1.0\nkeeper = 'k'").unwrap();
    assert!((schema.parse)(&table).unwrap().value.downcast_ref::<ZooSettings>().unwrap().loud);
}
