//! The core's extras, typed: tags, custom fields and their choice sets. Every other model, the
//! core's and every plugin's, can be tagged and carries the custom fields defined for it
//! (`tags` and `custom_fields` in the API, its forms and pages) without a line of plugin code;
//! administrators manage these at `/extras/tags/`, `/extras/custom-fields/` and
//! `/extras/custom-field-choice-sets/`.
//!
//! ```
//! use netbox_framework::extras::{CustomFieldType, Tag};
//! use netbox_framework::models::{Choices, Model};
//!
//! let tag = Tag { name: "Core".into(), slug: "core".into(), color: "ff0000".into(), description: None };
//! assert!(tag.clean().is_ok());
//! let pink = Tag { color: "pink".into(), ..tag };
//! assert!(pink.clean().is_err());
//! assert_eq!(CustomFieldType::MultiObject.value(), "multiobject");
//! ```

use crate::models::{Choices, ForeignKey, Model, ValidationErrors};
use serde_json::Value;

/// A label attached to objects of any type, shown as a coloured badge.
#[derive(Debug, Clone, PartialEq, Eq, Model)]
#[model(app = "extras", ordering = ["name"], search = ["name", "slug", "description"], clean)]
pub struct Tag {
    /// Unique name.
    #[field(max_length = 100, unique)]
    pub name: String,
    /// Unique URL-friendly name.
    #[field(slug, unique)]
    pub slug: String,
    /// Colour of its badge: six hexadecimal digits (`ff0000`).
    #[field(
        max_length = 6,
        default = "9e9e9e",
        help = "RGB colour in hexadecimal, e.g. 00ff00"
    )]
    pub color: String,
    /// Description.
    #[field(max_length = 200)]
    pub description: Option<String>,
}

impl Tag {
    /// A tag's own checks: the colour is six hexadecimal digits.
    pub fn clean(&self) -> Result<(), ValidationErrors> {
        if self.color.len() != 6 || !self.color.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(ValidationErrors::field(
                "color",
                "Enter six hexadecimal digits, e.g. 00ff00.",
            ));
        }
        Ok(())
    }
}

/// The type of a custom field's values (NetBox's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Choices)]
pub enum CustomFieldType {
    /// One line of text.
    Text,
    /// Several lines of text.
    #[choice(value = "longtext", label = "Text (long)")]
    LongText,
    /// A whole number.
    Integer,
    /// A decimal number.
    Decimal,
    /// True or false.
    #[choice(label = "Boolean (true/false)")]
    Boolean,
    /// A date.
    Date,
    /// A date and time.
    #[choice(value = "datetime", label = "Date & time")]
    DateTime,
    /// A web address.
    #[choice(label = "URL")]
    Url,
    /// Any JSON document.
    #[choice(label = "JSON")]
    Json,
    /// One choice of a choice set.
    #[choice(label = "Selection")]
    Select,
    /// Any number of choices of a choice set.
    #[choice(value = "multiselect", label = "Multiple selection")]
    MultiSelect,
    /// A reference to an object.
    Object,
    /// References to any number of objects.
    #[choice(value = "multiobject", label = "Multiple objects")]
    MultiObject,
}

/// Choices a select or multiple-select custom field offers: `[["value", "Label"], ...]`.
#[derive(Debug, Clone, PartialEq, Eq, Model)]
#[model(
    app = "extras",
    url = "custom-field-choice-sets",
    ordering = ["name"],
    search = ["name", "description"],
    clean
)]
pub struct CustomFieldChoiceSet {
    /// Unique name.
    #[field(max_length = 100, unique)]
    pub name: String,
    /// Description.
    #[field(max_length = 200)]
    pub description: Option<String>,
    /// The choices, each a value and a label: `[["fast", "Fast"], ["slow", "Slow"]]`.
    #[field(help = "A list of [value, label] pairs, e.g. [[\"fast\", \"Fast\"]]")]
    pub extra_choices: Value,
}

/// The longest choice value or label.
pub const CHOICE_MAX: usize = 100;

impl CustomFieldChoiceSet {
    /// The `(value, label)` pairs of a choice set's `extra_choices`, if they are well formed.
    ///
    /// ```
    /// use netbox_framework::extras::CustomFieldChoiceSet;
    /// let choices = serde_json::json!([["fast", "Fast"], ["slow", "Slow"]]);
    /// assert_eq!(CustomFieldChoiceSet::choices(&choices).unwrap()[1].0, "slow");
    /// assert!(CustomFieldChoiceSet::choices(&serde_json::json!(["fast"])).is_err());
    /// ```
    pub fn choices(extra_choices: &Value) -> Result<Vec<(String, String)>, String> {
        let Some(items) = extra_choices.as_array().filter(|items| !items.is_empty()) else {
            return Err("Give at least one choice, as [[\"value\", \"Label\"], ...].".into());
        };
        let mut choices: Vec<(String, String)> = Vec::with_capacity(items.len());
        for item in items {
            let pair = match item.as_array().map(Vec::as_slice) {
                Some([Value::String(value), Value::String(label)]) => {
                    (value.trim().to_string(), label.trim().to_string())
                }
                _ => {
                    return Err(format!(
                        "Each choice is a [value, label] pair of texts: {item} is not."
                    ));
                }
            };
            if pair.0.is_empty() || pair.0.len() > CHOICE_MAX || pair.1.len() > CHOICE_MAX {
                return Err(format!(
                    "A choice's value (not empty) and label have at most {CHOICE_MAX} characters."
                ));
            }
            if choices.iter().any(|(value, _)| *value == pair.0) {
                return Err(format!("The value “{}” is given twice.", pair.0));
            }
            choices.push(pair);
        }
        Ok(choices)
    }

    /// A choice set's own checks: its choices are well formed.
    pub fn clean(&self) -> Result<(), ValidationErrors> {
        Self::choices(&self.extra_choices)
            .map(|_| ())
            .map_err(|message| ValidationErrors::field("extra_choices", message))
    }
}

/// A field administrators add to objects of some models without a migration: its values live
/// in each object's `custom_fields`.
#[derive(Debug, Clone, PartialEq, Model)]
#[model(
    app = "extras",
    url = "custom-fields",
    ordering = ["weight", "name"],
    search = ["name", "label", "description"],
    clean
)]
pub struct CustomField {
    /// The type of its values.
    #[field(default = "text")]
    pub r#type: CustomFieldType,
    /// The models whose objects have it: `["dcim.site", "access_lists.accesslist"]`.
    #[field(help = "Models with this field, e.g. [\"dcim.site\"]")]
    pub object_types: Value,
    /// Unique name: the key in `custom_fields` and the filter `cf_<name>`.
    #[field(
        max_length = 50,
        unique,
        help = "Lowercase letters, digits and underscores; the key in the API"
    )]
    pub name: String,
    /// Label in forms and pages (the name when empty).
    #[field(max_length = 50)]
    pub label: Option<String>,
    /// Description, shown as the input's help.
    #[field(max_length = 200)]
    pub description: Option<String>,
    /// Whether every object must have a value.
    pub required: bool,
    /// The weight of its values in searches (0: not searched).
    #[field(default = 1000, help = "0 leaves the field out of searches")]
    pub search_weight: u16,
    /// Order in forms and pages (lower first).
    #[field(default = 100)]
    pub weight: u16,
    /// The value of objects created without one.
    #[field(label = "Default value")]
    pub default: Option<Value>,
    /// For object fields: the model of the objects referred to (`dcim.device`).
    #[field(max_length = 100, label = "Related object type")]
    pub related_object_type: Option<String>,
    /// For numbers: the smallest value accepted.
    #[field(max_digits = 15, decimal_places = 4, label = "Minimum value")]
    pub validation_minimum: Option<rust_decimal::Decimal>,
    /// For numbers: the largest value accepted.
    #[field(max_digits = 15, decimal_places = 4, label = "Maximum value")]
    pub validation_maximum: Option<rust_decimal::Decimal>,
    /// For text and URLs: a regular expression values must match.
    #[field(max_length = 500, label = "Validation regex")]
    pub validation_regex: Option<String>,
    /// For selections: the choices offered.
    #[field(label = "Choice set")]
    pub choice_set: Option<ForeignKey<CustomFieldChoiceSet>>,
}

impl CustomField {
    /// A custom field's own checks: its name, and the settings its type needs or refuses.
    /// (The host checks the rest: known models, a regex that compiles, a default of the type.)
    pub fn clean(&self) -> Result<(), ValidationErrors> {
        use CustomFieldType as T;
        let mut errors = ValidationErrors::default();
        let name = &self.name;
        if !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            || !name.starts_with(|c: char| c.is_ascii_lowercase())
            || name.contains("__")
        {
            errors = errors.and(
                "name",
                "Use lowercase letters, digits and single underscores, starting with a letter.",
            );
        }
        let is = |kinds: &[CustomFieldType]| kinds.contains(&self.r#type);
        if is(&[T::Select, T::MultiSelect]) != self.choice_set.is_some() {
            errors = errors.and(
                "choice_set",
                "Selection fields need a choice set; other types take none.",
            );
        }
        if is(&[T::Object, T::MultiObject]) != self.related_object_type.is_some() {
            errors = errors.and(
                "related_object_type",
                "Object fields need a related object type; other types take none.",
            );
        }
        if !is(&[T::Integer, T::Decimal]) {
            if self.validation_minimum.is_some() {
                errors = errors.and("validation_minimum", "Only numbers take bounds.");
            }
            if self.validation_maximum.is_some() {
                errors = errors.and("validation_maximum", "Only numbers take bounds.");
            }
        }
        if let (Some(low), Some(high)) = (self.validation_minimum, self.validation_maximum)
            && low > high
        {
            errors = errors.and(
                "validation_maximum",
                "The maximum is smaller than the minimum.",
            );
        }
        if self.validation_regex.is_some() && !is(&[T::Text, T::LongText, T::Url]) {
            errors = errors.and(
                "validation_regex",
                "Only text and URL fields take a regular expression.",
            );
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}
