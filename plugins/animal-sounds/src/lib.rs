//! Animal Sounds: the example plugin of NetBox's plugin documentation, "Show animals and the
//! sounds they make". Enable it with `plugins = ["animal_sounds"]`; set
//! `[plugins_config.animal_sounds] loud = true` to make the animals shout.

use netbox_framework::menu::{ButtonColor, MenuButton, MenuItem};
use netbox_framework::{Plugin, netbox_plugin};
use serde::Deserialize;

/// The plugin's settings (`[plugins_config.animal_sounds]`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AnimalSoundsSettings {
    /// Shout the sounds (upper case, with exclamation marks).
    pub loud: bool,
}

/// The plugin.
#[netbox_plugin(
    name = "animal_sounds",
    verbose_name = "Animal Sounds",
    base_url = "animal-sounds",
    min_version = "0.1.0",
    max_version = "0.9.99",
    default_settings(loud = false),
    settings = AnimalSoundsSettings,
)]
pub struct AnimalSounds;

/// The animals this plugin knows, with their sounds.
pub const ANIMALS: &[(&str, &str)] = &[
    ("Cat", "meow"),
    ("Cow", "moo"),
    ("Dog", "woof"),
    ("Duck", "quack"),
    ("Horse", "neigh"),
    ("Sheep", "baa"),
];

/// The sound as the settings want it: `"woof"`, or `"WOOF!!!"` when loud.
pub fn sound(sound: &str, settings: &AnimalSoundsSettings) -> String {
    if settings.loud {
        format!("{}!!!", sound.to_uppercase())
    } else {
        sound.to_string()
    }
}

impl Plugin for AnimalSounds {
    fn menu_items(&self) -> Vec<MenuItem> {
        vec![MenuItem::new("", "Random animal").icon("mdi-paw").button(
            MenuButton::new("?loud=1", "Shout", "mdi-volume-high").color(ButtonColor::Orange),
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loud_sounds_shout() {
        assert_eq!(sound("woof", &AnimalSoundsSettings { loud: false }), "woof");
        assert_eq!(
            sound("woof", &AnimalSoundsSettings { loud: true }),
            "WOOF!!!"
        );
    }
}
