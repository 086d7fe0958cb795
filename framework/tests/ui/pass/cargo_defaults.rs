// Without explicit metadata, the plugin takes Cargo's values and derives the rest from its name.
use netbox_framework::{netbox_plugin, Plugin};

#[netbox_plugin(name = "animal_sounds")]
pub struct AnimalSounds;

impl Plugin for AnimalSounds {}

fn main() {
    let descriptor = netbox_framework::all_descriptors()[0];
    let m = &descriptor.metadata;
    assert_eq!(m.verbose_name, "Animal Sounds");
    assert_eq!(m.base_url, "animal-sounds");
    assert_eq!(m.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(m.description, env!("CARGO_PKG_DESCRIPTION"));
    assert_eq!(m.release_track, None);
    assert_eq!(m.min_version, None);
    assert!(m.required_settings.is_empty());
    assert!(descriptor.settings.is_none());
    assert_eq!(descriptor.package, env!("CARGO_PKG_NAME"));
}
