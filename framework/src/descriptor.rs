//! The static descriptor that `#[netbox_plugin]` registers for each plugin.

use crate::plugin::Plugin;
use crate::settings::{DefaultSetting, SettingsSchema};

/// A plugin's metadata, as written in `#[netbox_plugin(...)]` (with Cargo's values as
/// defaults). Field meanings follow NetBox's `PluginConfig`.
///
/// Built by the macro; the host reads it.
///
/// ```
/// # use netbox_framework::PluginMetadata;
/// # fn show(metadata: &PluginMetadata) {
/// println!("{} {} at /plugins/{}/", metadata.verbose_name, metadata.full_version(), metadata.base_url);
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct PluginMetadata {
    /// Key of the plugin in the operator's `plugins` list and `plugins_config` table.
    pub name: &'static str,
    /// Name shown to people.
    pub verbose_name: &'static str,
    /// Semantic version of the plugin.
    pub version: &'static str,
    /// One-line description.
    pub description: &'static str,
    /// Author's name (may be empty).
    pub author: &'static str,
    /// Author's e-mail address (may be empty).
    pub author_email: &'static str,
    /// URL slug: pages under `/plugins/<base_url>/`, API under `/api/plugins/<base_url>/`.
    pub base_url: &'static str,
    /// Lowest host version supported (inclusive).
    pub min_version: Option<&'static str>,
    /// Highest host version supported (inclusive).
    pub max_version: Option<&'static str>,
    /// Release track (e.g. `beta`), appended to the reported version.
    pub release_track: Option<&'static str>,
    /// Settings the operator must give.
    pub required_settings: &'static [&'static str],
    /// Settings never shown (the plugin detail page masks them, even for superusers).
    pub secret_settings: &'static [&'static str],
    /// Defaults of settings the operator may omit.
    pub default_settings: &'static [(&'static str, DefaultSetting)],
}

impl PluginMetadata {
    /// The version as reported to users: `<version>-<release_track>` when a release track is
    /// set, like NetBox.
    ///
    /// ```
    /// # let mut metadata = netbox_framework::PluginMetadata::example();
    /// metadata.version = "1.2.0";
    /// metadata.release_track = Some("beta");
    /// assert_eq!(metadata.full_version(), "1.2.0-beta");
    /// ```
    pub fn full_version(&self) -> String {
        match self.release_track {
            Some(track) => format!("{}-{}", self.version, track),
            None => self.version.to_string(),
        }
    }

    /// Metadata of a made-up plugin named `example`, for tests and documentation.
    ///
    /// ```
    /// let metadata = netbox_framework::PluginMetadata::example();
    /// assert_eq!(metadata.base_url, "example");
    /// ```
    pub const fn example() -> Self {
        PluginMetadata {
            name: "example",
            verbose_name: "Example",
            version: "0.1.0",
            description: "",
            author: "",
            author_email: "",
            base_url: "example",
            min_version: None,
            max_version: None,
            release_track: None,
            required_settings: &[],
            secret_settings: &[],
            default_settings: &[],
        }
    }
}

/// What `#[netbox_plugin]` registers for one plugin: its metadata, the crate that declared it
/// and the plugin value itself.
///
/// Collect every descriptor linked into the binary with [`all_descriptors`].
pub struct PluginDescriptor {
    /// The plugin's metadata.
    pub metadata: PluginMetadata,
    /// Cargo package that declared the plugin (named in duplicate-name errors).
    pub package: &'static str,
    /// Rust path of the plugin struct, e.g. `animal_sounds::AnimalSounds`.
    pub type_path: &'static str,
    /// The package's directory when it was built (`CARGO_MANIFEST_DIR`): where
    /// `netbox makemigrations` writes the plugin's migrations.
    pub source_dir: &'static str,
    /// The plugin itself.
    pub plugin: &'static dyn Plugin,
    /// The typed settings struct the merged settings must parse into, if declared.
    pub settings: Option<SettingsSchema>,
}

impl std::fmt::Debug for PluginDescriptor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PluginDescriptor")
            .field("metadata", &self.metadata)
            .field("package", &self.package)
            .field("type_path", &self.type_path)
            .field("source_dir", &self.source_dir)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

inventory::collect!(PluginDescriptor);

/// Every plugin descriptor linked into this binary, in no particular order (link order is
/// not stable; the host sorts by the operator's configuration).
///
/// A plugin crate is linked only when the binary references it (the host's build script does
/// this for every plugin dependency).
///
/// ```
/// for descriptor in netbox_framework::all_descriptors() {
///     println!("{} from package {}", descriptor.metadata.name, descriptor.package);
/// }
/// ```
pub fn all_descriptors() -> Vec<&'static PluginDescriptor> {
    inventory::iter::<PluginDescriptor>.into_iter().collect()
}
