//! Validation of input (a JSON body or a submitted form) against a model's fields, into the
//! values to store. Every problem is reported per field, NetBox-style:
//! `{"name": ["This field is required."]}`.

use super::scalars;
use netbox_framework::models::{FieldKind, ModelSchema};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Messages per field (`"__all__"` for errors of no single field).
pub type FieldErrors = BTreeMap<String, Vec<String>>;

/// What a write does with fields the input leaves out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Creation: missing fields take their default (or nothing).
    Create,
    /// Full update (PUT, or a form): missing fields take their default (or become empty).
    Replace,
    /// Partial update (PATCH): missing fields keep their value.
    Patch,
    /// Update through the API's PUT, as NetBox's: the required fields must be given, other
    /// missing fields keep their value.
    Put,
}

/// Keys every object has that input may repeat but never sets.
const READ_ONLY: &[&str] = &["id", "url", "display", "created", "last_updated"];

/// Adds a message for `field`.
pub fn add_error(errors: &mut FieldErrors, field: &str, message: impl Into<String>) {
    errors
        .entry(field.to_string())
        .or_default()
        .push(message.into());
}

/// Whether `text` is a slug.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// An id or number as input gives it: a number, a numeric string, or `{"id": ...}`.
pub(crate) fn integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => text.trim().parse().ok(),
        Value::Object(object) => object.get("id").and_then(integer),
        _ => None,
    }
}

/// A boolean as input gives it: `true`/`false`, 1/0, or the text of either (forms send
/// `true`, `on`, `yes`).
fn boolean(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(truth) => Some(*truth),
        Value::Number(number) => match number.as_i64() {
            Some(1) => Some(true),
            Some(0) => Some(false),
            _ => None,
        },
        Value::String(text) => match text.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "on" | "yes" => Some(true),
            "false" | "0" | "off" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// The canonical text of an address or network field's value (`kind` being one of the
/// three network kinds), or why it is not one.
pub fn network_value(kind: FieldKind, text: &str) -> Result<String, String> {
    let text = text.trim();
    match kind {
        FieldKind::IpNetwork => network(text),
        FieldKind::IpInterface => interface(text),
        _ => text
            .parse::<std::net::IpAddr>()
            .map(|address| address.to_string())
            .map_err(|_| format!("“{text}” is not an IPv4 or IPv6 address.")),
    }
}

/// A network in canonical form, refusing host bits (`10.0.0.1/8`).
fn network(text: &str) -> Result<String, String> {
    let network: ipnet::IpNet = text.parse().map_err(|_| {
        format!("“{text}” is not an IP network with a prefix length (e.g. 10.0.0.0/8).")
    })?;
    if network.trunc() != network {
        return Err(format!(
            "“{text}” has host bits set: the network is {}.",
            network.trunc()
        ));
    }
    Ok(network.to_string())
}

/// An address with its prefix length in canonical form; a bare address is a host (`/32`,
/// `/128`), as NetBox takes it.
fn interface(text: &str) -> Result<String, String> {
    text.parse::<netbox_framework::models::IpInterface>()
        .map(|address| address.to_string())
        .map_err(|_| {
            format!("“{text}” is not an IP address with a prefix length (e.g. 192.0.2.1/24).")
        })
}

/// The largest JSON document a JSON field takes, as text.
pub const JSON_MAX: usize = 65_536;

/// A JSON document: as the API gives it; text (a form's) is parsed as JSON when it is JSON,
/// else kept as a JSON string.
fn json_document(value: &Value) -> Result<Value, String> {
    let document = match value {
        Value::String(text) => {
            serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.clone()))
        }
        other => other.clone(),
    };
    if document.to_string().len() > JSON_MAX {
        return Err(format!(
            "Ensure this document has at most {JSON_MAX} characters."
        ));
    }
    Ok(document)
}

/// The most items a list field takes.
pub const LIST_MAX: usize = 1000;

/// A list of integers in `min..=max`: a JSON list, or text as a form gives it (`80, 443`).
fn integer_list(value: &Value, min: i64, max: i64) -> Result<Value, String> {
    let items: Vec<Value> = match value {
        Value::Array(items) => items.clone(),
        Value::String(text) => text
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| Value::String(item.to_string()))
            .collect(),
        _ => return Err("Expected a list of whole numbers.".to_string()),
    };
    if items.len() > LIST_MAX {
        return Err(format!("Ensure this list has at most {LIST_MAX} items."));
    }
    let mut numbers = Vec::with_capacity(items.len());
    for item in &items {
        match integer(item) {
            Some(number) if (min..=max).contains(&number) => numbers.push(Value::from(number)),
            Some(_) => return Err(format!("Ensure each value is between {min} and {max}.")),
            None => return Err("Expected a list of whole numbers.".to_string()),
        }
    }
    Ok(Value::Array(numbers))
}

/// The ids of a many-to-many field: a list of ids (or of objects with an `id`, as the API
/// shows them), ascending, each once.
fn references(value: &Value) -> Result<Value, String> {
    let Value::Array(items) = value else {
        return Err("Expected a list of object IDs.".to_string());
    };
    if items.len() > LIST_MAX {
        return Err(format!("Ensure this list has at most {LIST_MAX} items."));
    }
    let mut ids = Vec::with_capacity(items.len());
    for item in items {
        let id = match item {
            Value::Object(object) => object.get("id").and_then(integer),
            other => integer(other),
        };
        match id {
            Some(id) if id > 0 => ids.push(id),
            _ => {
                return Err(format!(
                    "{item} is not the ID of an object (a positive whole number)."
                ));
            }
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(Value::Array(ids.into_iter().map(Value::from).collect()))
}

/// Validates `input` for `schema`. With `reject_unknown` (JSON bodies), keys that are not
/// fields are errors; forms ignore them.
pub fn clean(
    schema: &ModelSchema,
    input: &Map<String, Value>,
    mode: Mode,
    reject_unknown: bool,
) -> Result<Map<String, Value>, FieldErrors> {
    let (cleaned, errors) = clean_partial(schema, input, mode, reject_unknown);
    if errors.is_empty() {
        Ok(cleaned)
    } else {
        Err(errors)
    }
}

/// Like [`clean`], but returns the values that are valid together with the errors of the
/// others, so that database checks (uniqueness, references) can report in the same answer.
pub fn clean_partial(
    schema: &ModelSchema,
    input: &Map<String, Value>,
    mode: Mode,
    reject_unknown: bool,
) -> (Map<String, Value>, FieldErrors) {
    let mut errors = FieldErrors::new();
    if reject_unknown {
        for key in input.keys() {
            let feature = super::tags::has_features(schema)
                && [super::tags::KEY, super::custom_fields::KEY].contains(&key.as_str());
            if schema.field(key).is_none() && !READ_ONLY.contains(&key.as_str()) && !feature {
                add_error(&mut errors, key, "Unknown field.");
            }
        }
    }
    let mut cleaned = Map::new();
    for field in schema.fields {
        let given = input.get(field.name);
        let value = match (given, mode) {
            (None, Mode::Patch) => continue,
            (None, Mode::Put) => {
                if field.required && field.default.is_none() {
                    add_error(&mut errors, field.name, "This field is required.");
                }
                continue;
            }
            (None, Mode::Create | Mode::Replace) => field
                .default
                .map(|d| Value::String(d.to_string()))
                .unwrap_or(Value::Null),
            (Some(value), _) => value.clone(),
        };
        let empty = match &value {
            Value::Null => true,
            Value::String(text) => text.trim().is_empty(),
            _ => false,
        };
        if empty {
            if field.required {
                add_error(&mut errors, field.name, "This field is required.");
            } else {
                let stored = if field.is_text() {
                    Value::String(String::new())
                } else if field.is_column() {
                    Value::Null
                } else {
                    Value::Array(Vec::new())
                };
                cleaned.insert(field.name.to_string(), stored);
            }
            continue;
        }
        let result = match field.kind {
            FieldKind::Text { .. }
            | FieldKind::LongText
            | FieldKind::Slug
            | FieldKind::Choice(_) => match &value {
                Value::String(text) => {
                    check_text(field.kind, text.trim()).map(|text| Value::String(text.to_string()))
                }
                _ => Err("Expected a string.".to_string()),
            },
            FieldKind::Integer { min, max } => match integer(&value) {
                Some(number) if (min..=max).contains(&number) => Ok(Value::from(number)),
                Some(_) => Err(format!("Ensure this value is between {min} and {max}.")),
                None => Err("A whole number is required.".to_string()),
            },
            FieldKind::Boolean => boolean(&value)
                .map(Value::Bool)
                .ok_or_else(|| "Must be true or false.".to_string()),
            FieldKind::IntegerList { min, max } => integer_list(&value, min, max),
            FieldKind::IpAddress | FieldKind::IpNetwork | FieldKind::IpInterface => {
                match value.as_str() {
                    Some(text) => network_value(field.kind, text).map(Value::String),
                    None => Err("Expected an IP address or network as a string.".to_string()),
                }
            }
            FieldKind::Json => json_document(&value),
            FieldKind::Decimal {
                max_digits,
                decimal_places,
            } => scalars::decimal(&value, max_digits, decimal_places),
            FieldKind::Date => match value.as_str() {
                Some(text) => scalars::date(text).map(Value::String),
                None => Err("Expected a date as a string (YYYY-MM-DD).".to_string()),
            },
            FieldKind::DateTime => match value.as_str() {
                Some(text) => scalars::date_time(text).map(Value::String),
                None => Err("Expected a date and time as a string (RFC 3339).".to_string()),
            },
            FieldKind::ManyToMany { .. } => references(&value),
            FieldKind::ForeignKey { .. } => match integer(&value) {
                Some(id) if id > 0 => Ok(Value::from(id)),
                _ => Err("Expected the ID of an object (a positive whole number).".to_string()),
            },
        };
        match result {
            Ok(value) => {
                cleaned.insert(field.name.to_string(), value);
            }
            Err(message) => add_error(&mut errors, field.name, message),
        }
    }
    (cleaned, errors)
}

/// The longest slug accepted (NetBox's).
pub const SLUG_MAX: usize = 100;
/// The longest long text accepted.
pub const LONG_TEXT_MAX: usize = 10_000;

fn check_text(kind: FieldKind, text: &str) -> Result<&str, String> {
    let too_long = |max: usize| text.chars().count() > max;
    if text.contains('\0') {
        return Err("Null characters are not allowed.".to_string());
    }
    // One-line fields take no control character; long texts keep their line breaks and tabs.
    let allowed = |c: char| matches!(kind, FieldKind::LongText) && matches!(c, '\n' | '\r' | '\t');
    if text.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err("Control characters are not allowed.".to_string());
    }
    match kind {
        FieldKind::Text { max_length } if too_long(max_length) => Err(format!(
            "Ensure this field has no more than {max_length} characters."
        )),
        FieldKind::Slug if too_long(SLUG_MAX) => Err(format!(
            "Ensure this field has no more than {SLUG_MAX} characters."
        )),
        FieldKind::LongText if too_long(LONG_TEXT_MAX) => Err(format!(
            "Ensure this field has no more than {LONG_TEXT_MAX} characters."
        )),
        FieldKind::Slug if !is_slug(text) => Err(
            "Enter a valid slug: lowercase letters, digits, hyphens and underscores.".to_string(),
        ),
        FieldKind::Choice(choices) if !choices.iter().any(|(value, _)| *value == text) => {
            Err(format!(
                "`{text}` is not a valid choice; choose one of: {}.",
                choices
                    .iter()
                    .map(|(value, _)| *value)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        }
        _ => Ok(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin::dcim::{DEVICE, SITE};
    use serde_json::json;

    fn object(value: Value) -> Map<String, Value> {
        value.as_object().cloned().expect("an object")
    }

    #[test]
    fn slugs_and_long_texts_have_a_maximum_length() {
        let long_slug = "a".repeat(SLUG_MAX + 1);
        let (_, errors) = clean_partial(
            SITE,
            &object(
                json!({"name": "x", "slug": long_slug, "description": "y".repeat(LONG_TEXT_MAX + 1)}),
            ),
            Mode::Create,
            true,
        );
        assert!(errors["slug"][0].contains("no more than 100"), "{errors:?}");
    }

    #[test]
    fn create_fills_defaults_and_checks_every_field() {
        let cleaned = clean(
            SITE,
            &object(json!({"name": "Amsterdam", "slug": "ams"})),
            Mode::Create,
            true,
        )
        .expect("valid");
        assert_eq!(cleaned["status"], "active");
        assert_eq!(cleaned["region"], "");
        let errors = clean(
            SITE,
            &object(json!({"slug": "Not A Slug", "status": "closed", "colour": 1, "id": 5})),
            Mode::Create,
            true,
        )
        .expect_err("invalid");
        assert_eq!(errors["name"], ["This field is required."]);
        assert_eq!(
            errors["slug"],
            ["Enter a valid slug: lowercase letters, digits, hyphens and underscores."]
        );
        assert!(errors["status"][0].starts_with("`closed` is not a valid choice"));
        assert_eq!(errors["colour"], ["Unknown field."]);
        assert!(!errors.contains_key("id"));
    }

    #[test]
    fn patch_touches_only_given_fields_and_foreign_keys_take_ids() {
        let cleaned = clean(
            DEVICE,
            &object(json!({"site": {"id": 3}})),
            Mode::Patch,
            true,
        )
        .expect("valid");
        assert_eq!(cleaned.len(), 1);
        assert_eq!(cleaned["site"], 3);
        let errors = clean(DEVICE, &object(json!({"site": "three"})), Mode::Patch, true)
            .expect_err("invalid");
        assert!(errors["site"][0].starts_with("Expected the ID"));
    }

    #[test]
    fn text_length_is_limited() {
        let long = "x".repeat(101);
        let errors = clean(
            SITE,
            &object(json!({"name": long, "slug": "x"})),
            Mode::Create,
            true,
        )
        .expect_err("too long");
        assert_eq!(
            errors["name"],
            ["Ensure this field has no more than 100 characters."]
        );
    }
}
