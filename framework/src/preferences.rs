//! Per-user preferences a plugin offers (NetBox's `UserPreference`).
//!
//! ```
//! use netbox_framework::preferences::UserPreference;
//!
//! let preference = UserPreference::new("sound_volume", "Sound volume", &["quiet", "loud"], "quiet");
//! assert!(preference.choices.contains(&preference.default));
//! ```

/// One preference: a label, its choices and the default choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPreference {
    /// Key, unique within the plugin.
    pub key: &'static str,
    /// Label on the preferences page.
    pub label: &'static str,
    /// The values a user can pick.
    pub choices: Vec<&'static str>,
    /// The value until the user picks one.
    pub default: &'static str,
}

impl UserPreference {
    /// A preference with its choices and default.
    pub fn new(
        key: &'static str,
        label: &'static str,
        choices: &[&'static str],
        default: &'static str,
    ) -> Self {
        UserPreference {
            key,
            label,
            choices: choices.to_vec(),
            default,
        }
    }
}
