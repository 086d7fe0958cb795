//! Plugin settings: defaults declared in the attribute, a typed settings struct, and the
//! parsing that checks the operator's values against it.
//!
//! The operator writes `[plugins_config.<name>]` in the configuration file; the host merges it
//! over the plugin's `default_settings`, checks `required_settings`, and parses the result
//! into the plugin's `settings = Type` struct once at startup. A plugin reads the result with
//! [`PluginContext::settings`](crate::PluginContext::settings).

/// TOML values, as settings reach [`PluginContext::setting`](crate::PluginContext::setting):
/// re-exports of the `toml` crate's, so a plugin needs no direct dependency.
pub use toml::{Table as TomlTable, Value as TomlValue};

use crate::{PluginContext, PluginDescriptor};
use serde::de::DeserializeOwned;
use std::any::Any;
use std::sync::Arc;

/// A default value of a setting, as written in `default_settings(key = literal)`.
///
/// ```
/// use netbox_framework::DefaultSetting;
/// assert_eq!(DefaultSetting::Bool(false).to_toml(), toml::Value::Boolean(false));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DefaultSetting {
    /// `true` or `false`.
    Bool(bool),
    /// An integer literal.
    Integer(i64),
    /// A float literal.
    Float(f64),
    /// A string literal.
    String(&'static str),
}

impl DefaultSetting {
    /// The value as it would appear in the operator's TOML file.
    pub fn to_toml(&self) -> toml::Value {
        match *self {
            DefaultSetting::Bool(value) => toml::Value::Boolean(value),
            DefaultSetting::Integer(value) => toml::Value::Integer(value),
            DefaultSetting::Float(value) => toml::Value::Float(value),
            DefaultSetting::String(value) => toml::Value::String(value.to_string()),
        }
    }
}

/// A plugin's typed settings struct, as declared with `settings = Type`.
#[derive(Clone, Copy)]
pub struct SettingsSchema {
    /// Rust name of the settings type (shown in messages).
    pub type_name: &'static str,
    /// Parses merged settings into the type (built by the macro from [`parse_settings`]).
    pub parse: fn(&toml::Table) -> Result<ParsedSettings, SettingsError>,
}

impl std::fmt::Debug for SettingsSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SettingsSchema")
            .field("type_name", &self.type_name)
            .finish_non_exhaustive()
    }
}

/// The result of parsing merged settings into a plugin's settings type.
pub struct ParsedSettings {
    /// The parsed value, a `T` behind `dyn Any`.
    pub value: Arc<dyn Any + Send + Sync>,
    /// Keys the settings type did not use (dotted paths), reported as warnings.
    pub unknown_keys: Vec<String>,
}

/// A setting that does not fit the plugin's settings type.
///
/// ```
/// # use netbox_framework::SettingsError;
/// let error = SettingsError { path: "loud".into(), message: "invalid type".into() };
/// assert_eq!(error.to_string(), "setting `loud`: invalid type");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("setting `{path}`: {message}")]
pub struct SettingsError {
    /// Dotted path of the offending value inside the plugin's settings (`.` for the whole).
    pub path: String,
    /// What is wrong with it.
    pub message: String,
}

/// Parses merged settings into `T`, collecting keys `T` ignores and naming the path of any
/// value of the wrong type. The macro uses this for `settings = T`.
///
/// ```
/// use netbox_framework::settings::parse_settings;
///
/// #[derive(serde::Deserialize)]
/// struct Settings { loud: bool }
///
/// let table: toml::Table = toml::from_str("loud = true\nlodu = 1").unwrap();
/// let parsed = parse_settings::<Settings>(&table).unwrap();
/// assert_eq!(parsed.unknown_keys, vec!["lodu".to_string()]);
/// assert!(parsed.value.downcast_ref::<Settings>().unwrap().loud);
///
/// let wrong: toml::Table = toml::from_str("loud = \"yes\"").unwrap();
/// assert_eq!(parse_settings::<Settings>(&wrong).err().unwrap().path, "loud");
/// ```
pub fn parse_settings<T>(table: &toml::Table) -> Result<ParsedSettings, SettingsError>
where
    T: DeserializeOwned + Send + Sync + 'static,
{
    let mut unknown_keys = Vec::new();
    let value = toml::Value::Table(table.clone());
    let mut record_unknown = |path: serde_ignored::Path<'_>| unknown_keys.push(path.to_string());
    let ignoring = serde_ignored::Deserializer::new(value, &mut record_unknown);
    let parsed: T = serde_path_to_error::deserialize(ignoring).map_err(|error| SettingsError {
        path: error.path().to_string(),
        message: without_location(&error.inner().to_string()),
    })?;
    Ok(ParsedSettings {
        value: Arc::new(parsed),
        unknown_keys,
    })
}

/// A plugin's settings after loading: its context and the keys it does not know.
#[derive(Debug)]
pub struct LoadedSettings {
    /// The context holding the merged (and, if declared, typed) settings.
    pub context: PluginContext,
    /// Operator keys the plugin does not use (dotted paths): worth a warning.
    pub unknown_keys: Vec<String>,
}

/// Why a plugin's settings cannot be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsFailure {
    /// Required settings the operator did not give.
    Missing(Vec<&'static str>),
    /// A value does not fit the settings type.
    Invalid {
        /// Where and what.
        error: SettingsError,
        /// True when the offending value is the plugin's own default, not the operator's.
        from_default: bool,
    },
}

impl PluginDescriptor {
    /// The plugin's default settings overlaid with the operator's values (operator wins).
    ///
    /// ```
    /// # use netbox_framework::{DefaultSetting, PluginDescriptor, PluginMetadata, Plugin};
    /// # struct P; impl Plugin for P {}
    /// let descriptor = PluginDescriptor {
    ///     metadata: PluginMetadata {
    ///         default_settings: &[("loud", DefaultSetting::Bool(false)), ("volume", DefaultSetting::Integer(3))],
    ///         ..PluginMetadata::example()
    ///     },
    ///     package: "example", type_path: "example::P", source_dir: "", plugin: &P, settings: None,
    /// };
    /// let merged = descriptor.merge_settings(&toml::from_str("loud = true").unwrap());
    /// assert_eq!(merged["loud"].as_bool(), Some(true));
    /// assert_eq!(merged["volume"].as_integer(), Some(3));
    /// ```
    pub fn merge_settings(&self, operator: &toml::Table) -> toml::Table {
        let mut merged: toml::Table = self
            .metadata
            .default_settings
            .iter()
            .map(|(key, value)| (key.to_string(), value.to_toml()))
            .collect();
        merged.extend(
            operator
                .iter()
                .map(|(key, value)| (key.clone(), value.clone())),
        );
        merged
    }

    /// Loads the plugin's settings from the operator's table: checks required settings,
    /// merges defaults, parses the typed settings struct and lists unknown keys. The host
    /// does this at startup; a plugin's own tests can do the same.
    ///
    /// Without a typed struct, a key is unknown when it is neither required nor defaulted.
    pub fn load_settings(&self, operator: &toml::Table) -> Result<LoadedSettings, SettingsFailure> {
        let metadata = &self.metadata;
        let missing: Vec<&'static str> = metadata
            .required_settings
            .iter()
            .copied()
            .filter(|key| !operator.contains_key(*key))
            .collect();
        if !missing.is_empty() {
            return Err(SettingsFailure::Missing(missing));
        }
        let merged = self.merge_settings(operator);
        let (typed, unknown_keys) = match self.settings {
            Some(schema) => {
                let parsed = (schema.parse)(&merged).map_err(|error| {
                    let top = error.path.split(['.', '[']).next().unwrap_or_default();
                    let from_default = !top.is_empty() && !operator.contains_key(top);
                    SettingsFailure::Invalid {
                        error,
                        from_default,
                    }
                })?;
                (Some(parsed.value), parsed.unknown_keys)
            }
            None => {
                let unknown = operator
                    .keys()
                    .filter(|key| !self.declares_setting(key))
                    .cloned()
                    .collect();
                // Without a declared type, the merged table is the plugin's settings value.
                let table: Arc<dyn Any + Send + Sync> = Arc::new(merged.clone());
                (Some(table), unknown)
            }
        };
        Ok(LoadedSettings {
            context: PluginContext::new(metadata.name, merged, typed),
            unknown_keys,
        })
    }

    /// Whether `key` is a required or defaulted setting of the plugin.
    pub fn declares_setting(&self, key: &str) -> bool {
        self.metadata.required_settings.contains(&key)
            || self
                .metadata
                .default_settings
                .iter()
                .any(|(declared, _)| *declared == key)
    }
}

/// The TOML deserializer appends "in `key`" lines; the path is reported separately.
fn without_location(message: &str) -> String {
    message
        .lines()
        .filter(|line| !line.starts_with("in `"))
        .collect::<Vec<_>>()
        .join(" ")
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Zoo {
        name: String,
        #[serde(default)]
        cages: Vec<Cage>,
    }

    #[derive(Debug, serde::Deserialize)]
    struct Cage {
        size: u32,
    }

    fn table(text: &str) -> toml::Table {
        toml::from_str(text).expect("test TOML parses")
    }

    #[test]
    fn nested_wrong_type_names_its_path() {
        let error = parse_settings::<Zoo>(&table("name = 'x'\n[[cages]]\nsize = 'big'"))
            .err()
            .expect("size is not a number");
        assert_eq!(error.path, "cages[0].size");
        assert_eq!(error.message, "invalid type: string \"big\", expected u32");
    }

    #[test]
    fn missing_field_is_reported_at_the_top() {
        let error = parse_settings::<Zoo>(&table(""))
            .err()
            .expect("name missing");
        assert_eq!(error.path, ".");
        assert!(
            error.message.contains("missing field `name`"),
            "{}",
            error.message
        );
    }

    #[test]
    fn unknown_nested_keys_are_collected() {
        let parsed = parse_settings::<Zoo>(&table(
            "name = 'x'\ncolour = 1\n[[cages]]\nsize = 2\nfloor = 'sand'",
        ))
        .expect("valid");
        assert_eq!(parsed.unknown_keys, vec!["cages.0.floor", "colour"]);
        let zoo = parsed.value.downcast_ref::<Zoo>().expect("a Zoo");
        assert_eq!(zoo.name, "x");
        assert_eq!(zoo.cages[0].size, 2);
    }

    #[test]
    fn defaults_convert_to_toml() {
        assert_eq!(
            DefaultSetting::Integer(3).to_toml(),
            toml::Value::Integer(3)
        );
        assert_eq!(
            DefaultSetting::Float(0.5).to_toml(),
            toml::Value::Float(0.5)
        );
        assert_eq!(
            DefaultSetting::String("a").to_toml(),
            toml::Value::String("a".to_string())
        );
    }
}
