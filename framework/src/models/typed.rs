//! Typed models: the traits `derive(Model)` and `derive(Choices)` implement, and the Rust
//! types a model's fields may have.

use super::{FieldKind, ModelSchema};
use serde_json::{Map, Value};

/// A model declared with [`derive(Model)`](macro@super::Model): its schema, and the conversion
/// between the struct and the values the host stores and serves.
pub trait Model: Sized + Send + Sync + 'static {
    /// `app.name`, e.g. `"dcim.device"`.
    const KEY: &'static str;
    /// The schema the host serves the model by.
    const SCHEMA: &'static ModelSchema;

    /// The field values, keyed by field name, as the API writes them.
    fn to_values(&self) -> Map<String, Value>;

    /// The struct from stored or submitted values (keyed by field name).
    fn from_values(values: &Map<String, Value>) -> Result<Self, ValueError>;

    /// Like [`from_values`](Self::from_values), taking the values' text instead of copying it.
    fn from_owned_values(values: Map<String, Value>) -> Result<Self, ValueError> {
        Self::from_values(&values)
    }

    /// A query of every object of the model, to narrow with filters and run with a
    /// [`Data`](crate::data::Data) handle: `Animal::objects().filter(Animal::NAME.eq("Dog"))`.
    fn objects() -> crate::data::Query<Self> {
        crate::data::Query::new()
    }
}

/// What a model's own validation (`fn clean(&self)`, see [`derive(Model)`](macro@super::Model))
/// finds wrong: messages per field, `__all__` for the object as a whole. The host shows them
/// as it shows its own (next to the form's fields, in the API's 400 body).
///
/// ```
/// use netbox_framework::models::ValidationErrors;
///
/// let errors = ValidationErrors::field("index", "must be even").and("action", "pick one");
/// assert_eq!(errors.messages()["index"], ["must be even"]);
/// assert_eq!(ValidationErrors::all("no").messages()["__all__"], ["no"]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationErrors(std::collections::BTreeMap<String, Vec<String>>);

impl ValidationErrors {
    /// One message about `field`.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        ValidationErrors::default().and(field, message)
    }

    /// One message about the object as a whole.
    pub fn all(message: impl Into<String>) -> Self {
        Self::field("__all__", message)
    }

    /// Adds a message about `field`.
    pub fn and(mut self, field: impl Into<String>, message: impl Into<String>) -> Self {
        self.0.entry(field.into()).or_default().push(message.into());
        self
    }

    /// The messages per field.
    pub fn messages(&self) -> &std::collections::BTreeMap<String, Vec<String>> {
        &self.0
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A model's own validation as the host calls it: the object's values (keyed by field name)
/// to the model's `clean`.
pub type CleanFn = fn(&Map<String, Value>) -> Result<(), ValidationErrors>;

/// The validation `derive(Model)` installs for `#[model(clean)]`: the values as `M`, then
/// `check` (the model's `clean` method).
#[doc(hidden)]
pub fn clean_values<M: Model>(
    values: &Map<String, Value>,
    check: fn(&M) -> Result<(), ValidationErrors>,
) -> Result<(), ValidationErrors> {
    match M::from_values(values) {
        Ok(object) => check(&object),
        Err(error) => Err(ValidationErrors::field(error.field, error.message)),
    }
}

/// A value that does not fit its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("field `{field}`: {message}")]
pub struct ValueError {
    /// The field.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl ValueError {
    /// An error of `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        ValueError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A Rust type a model field may have: how the host stores it and how it converts.
///
/// Implemented for `String`, the integer types, `bool`, `Vec<T>` of an integer type,
/// `std::net::IpAddr`, `ipnet::IpNet`, `serde_json::Value`, `rust_decimal::Decimal`,
/// `time::Date`, `time::OffsetDateTime`, [`ForeignKey`], [`ManyToMany`], `Option<T>` of
/// those (an optional field) and every [`Choices`] enum.
pub trait FieldType: Sized {
    /// How the field is stored and edited; `derive(Model)` adjusts it with the field's
    /// attributes (see [`adjust_kind`]).
    const KIND: FieldKind;
    /// Whether the field may be left empty.
    const OPTIONAL: bool = false;
    /// The default a field of this type has when it declares none (`"false"` for `bool`).
    const IMPLICIT_DEFAULT: Option<&'static str> = None;
    /// The colours of its choices (a [`Choices`] enum's), for badges.
    const COLORS: &'static [&'static str] = &[];

    /// The value as the API writes it.
    fn to_value(&self) -> Value;

    /// The Rust value from a stored or submitted one.
    fn from_value(value: &Value) -> Result<Self, String>;

    /// Like [`from_value`](Self::from_value), taking the value (text is moved, not copied).
    fn from_owned(value: Value) -> Result<Self, String> {
        Self::from_value(&value)
    }
}

/// The attributes of a field that shape its kind (see [`adjust_kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldAttributes {
    /// `max_length = N`: one line of text of at most N characters.
    pub max_length: Option<usize>,
    /// `long`: several lines of text.
    pub long: bool,
    /// `slug`: a URL slug.
    pub slug: bool,
    /// `min = N`: an integer's smallest value.
    pub min: Option<i64>,
    /// `max = N`: an integer's largest value.
    pub max: Option<i64>,
    /// `max_digits = N`: a decimal's digits in all.
    pub max_digits: Option<u32>,
    /// `decimal_places = N`: a decimal's digits after the point.
    pub decimal_places: Option<u32>,
}

impl FieldAttributes {
    /// No attribute given.
    pub const NONE: FieldAttributes = FieldAttributes {
        max_length: None,
        long: false,
        slug: false,
        min: None,
        max: None,
        max_digits: None,
        decimal_places: None,
    };

    const fn text(&self) -> bool {
        self.max_length.is_some() || self.long || self.slug
    }

    const fn range(&self) -> bool {
        self.min.is_some() || self.max.is_some()
    }

    const fn digits(&self) -> bool {
        self.max_digits.is_some() || self.decimal_places.is_some()
    }
}

/// The kind of a field of type `base` with its attributes: `max_length` for text, `long` for
/// long text, `slug`, `min`/`max` narrowing an integer's range, `max_digits` and
/// `decimal_places` for decimals. Used by the code `derive(Model)` generates; a misuse fails
/// at compile time with the reason.
///
/// ```
/// use netbox_framework::models::{adjust_kind, FieldAttributes, FieldKind, FieldType};
/// use netbox_framework::rust_decimal::Decimal;
///
/// const NAME: FieldKind = adjust_kind(
///     <String as FieldType>::KIND,
///     FieldAttributes { max_length: Some(100), ..FieldAttributes::NONE },
/// );
/// assert_eq!(NAME, FieldKind::Text { max_length: 100 });
/// const LEGS: FieldKind =
///     adjust_kind(<u16 as FieldType>::KIND, FieldAttributes { max: Some(8), ..FieldAttributes::NONE });
/// assert_eq!(LEGS, FieldKind::Integer { min: 0, max: 8 });
/// const WEIGHT: FieldKind = adjust_kind(
///     <Decimal as FieldType>::KIND,
///     FieldAttributes { max_digits: Some(8), decimal_places: Some(2), ..FieldAttributes::NONE },
/// );
/// assert_eq!(WEIGHT, FieldKind::Decimal { max_digits: 8, decimal_places: 2 });
/// ```
pub const fn adjust_kind(base: FieldKind, given: FieldAttributes) -> FieldKind {
    match base {
        FieldKind::Text { .. } => {
            assert!(
                !given.range() && !given.digits(),
                "`min`, `max`, `max_digits` and `decimal_places` do not apply to text fields"
            );
            match (given.max_length, given.long, given.slug) {
                (Some(max_length), false, false) => FieldKind::Text { max_length },
                (None, true, false) => FieldKind::LongText,
                (None, false, true) => FieldKind::Slug,
                (None, false, false) => panic!(
                    "a text field needs `max_length = N` (one line), `long` (several lines) or `slug`"
                ),
                _ => panic!("give one of `max_length`, `long` and `slug`"),
            }
        }
        FieldKind::Integer {
            min: type_min,
            max: type_max,
        }
        | FieldKind::IntegerList {
            min: type_min,
            max: type_max,
        } => {
            assert!(
                !given.text() && !given.digits(),
                "`max_length`, `long`, `slug`, `max_digits` and `decimal_places` do not apply to integer fields"
            );
            let (min, max) = narrow(type_min, type_max, given.min, given.max);
            if matches!(base, FieldKind::Integer { .. }) {
                FieldKind::Integer { min, max }
            } else {
                FieldKind::IntegerList { min, max }
            }
        }
        FieldKind::Decimal { .. } => {
            assert!(
                !given.text() && !given.range(),
                "`max_length`, `long`, `slug`, `min` and `max` do not apply to decimal fields"
            );
            match (given.max_digits, given.decimal_places) {
                (Some(max_digits), Some(decimal_places)) => {
                    assert!(
                        max_digits >= 1 && max_digits <= 15,
                        "`max_digits` is between 1 and 15 (values travel as JSON numbers, exact to 15 digits)"
                    );
                    assert!(
                        decimal_places <= max_digits,
                        "`decimal_places` is greater than `max_digits`"
                    );
                    FieldKind::Decimal {
                        max_digits,
                        decimal_places,
                    }
                }
                _ => panic!("a decimal field needs `max_digits = N` and `decimal_places = N`"),
            }
        }
        other => {
            assert!(
                !given.text() && !given.range() && !given.digits(),
                "`max_length`, `long`, `slug`, `min`, `max`, `max_digits` and `decimal_places` do not apply to this field's type"
            );
            other
        }
    }
}

/// The range `min..=max` (each defaulting to the type's) within the type's range.
const fn narrow(type_min: i64, type_max: i64, min: Option<i64>, max: Option<i64>) -> (i64, i64) {
    let min = match min {
        Some(min) => min,
        None => type_min,
    };
    let max = match max {
        Some(max) => max,
        None => type_max,
    };
    assert!(
        min >= type_min && max <= type_max,
        "`min`/`max` lie outside the range of the field's integer type"
    );
    assert!(min <= max, "`min` is greater than `max`");
    (min, max)
}

/// A set of choices declared with [`derive(Choices)`](macro@super::Choices).
pub trait Choices: Sized + Copy + 'static {
    /// `(value, label)` of every choice, in declaration order.
    const CHOICES: &'static [(&'static str, &'static str)];
    /// The colour of every choice (empty when none is given), in the same order.
    const COLORS: &'static [&'static str];

    /// The stored value.
    fn value(&self) -> &'static str;

    /// The choice with `value`.
    fn from_value(value: &str) -> Option<Self>;

    /// The label shown to people.
    fn label(&self) -> &'static str {
        let value = self.value();
        Self::CHOICES
            .iter()
            .find(|(v, _)| *v == value)
            .map_or(value, |(_, label)| label)
    }
}

/// Implemented for every [`Choices`] enum by `derive(Choices)`.
#[doc(hidden)]
pub fn choice_from_value<C: Choices>(value: &Value) -> Result<C, String> {
    let text = value.as_str().ok_or("expected text")?;
    C::from_value(text).ok_or_else(|| {
        let known: Vec<&str> = C::CHOICES.iter().map(|(value, _)| *value).collect();
        format!("`{text}` is not one of {}", known.join(", "))
    })
}

/// The value of field `name` in `values` (missing counts as null), for `derive(Model)`.
#[doc(hidden)]
pub fn field_from_values<T: FieldType>(
    values: &Map<String, Value>,
    name: &str,
) -> Result<T, ValueError> {
    T::from_value(values.get(name).unwrap_or(&Value::Null))
        .map_err(|message| ValueError::new(name, message))
}

/// Field `name`'s value (null when missing) as its type, for `derive(Model)`.
#[doc(hidden)]
pub fn field_from_owned<T: FieldType>(value: Value, name: &str) -> Result<T, ValueError> {
    T::from_owned(value).map_err(|message| ValueError::new(name, message))
}
