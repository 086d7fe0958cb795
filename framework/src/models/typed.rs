//! Typed models: the traits `derive(Model)` and `derive(Choices)` implement, and the Rust
//! types a model's fields may have.

use super::{FieldKind, ModelSchema};
use serde_json::{Map, Value};
use std::fmt;
use std::marker::PhantomData;

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
/// `std::net::IpAddr`, `ipnet::IpNet`, `serde_json::Value`, [`ForeignKey`], `Option<T>` of
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

/// The kind of a field of type `base` with its attributes: `max_length` for text, `long` for
/// long text, `slug`, and `min`/`max` narrowing an integer's range. Used by the code
/// `derive(Model)` generates; a misuse fails at compile time with the reason.
///
/// ```
/// use netbox_framework::models::{adjust_kind, FieldKind, FieldType};
///
/// const NAME: FieldKind = adjust_kind(<String as FieldType>::KIND, Some(100), false, false, None, None);
/// assert_eq!(NAME, FieldKind::Text { max_length: 100 });
/// const LEGS: FieldKind = adjust_kind(<u16 as FieldType>::KIND, None, false, false, None, Some(8));
/// assert_eq!(LEGS, FieldKind::Integer { min: 0, max: 8 });
/// ```
pub const fn adjust_kind(
    base: FieldKind,
    max_length: Option<usize>,
    long: bool,
    slug: bool,
    min: Option<i64>,
    max: Option<i64>,
) -> FieldKind {
    match base {
        FieldKind::Text { .. } => {
            assert!(
                min.is_none() && max.is_none(),
                "`min` and `max` are for integer fields"
            );
            match (max_length, long, slug) {
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
                max_length.is_none() && !long && !slug,
                "`max_length`, `long` and `slug` are for text fields"
            );
            let (min, max) = narrow(type_min, type_max, min, max);
            if matches!(base, FieldKind::Integer { .. }) {
                FieldKind::Integer { min, max }
            } else {
                FieldKind::IntegerList { min, max }
            }
        }
        other => {
            assert!(
                max_length.is_none() && !long && !slug && min.is_none() && max.is_none(),
                "`max_length`, `long`, `slug`, `min` and `max` do not apply to this field's type"
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

impl FieldType for String {
    const KIND: FieldKind = FieldKind::Text { max_length: 0 };

    fn to_value(&self) -> Value {
        Value::String(self.clone())
    }

    fn from_value(value: &Value) -> Result<Self, String> {
        match value {
            Value::String(text) => Ok(text.clone()),
            _ => Err("expected text".to_string()),
        }
    }

    fn from_owned(value: Value) -> Result<Self, String> {
        match value {
            Value::String(text) => Ok(text),
            _ => Err("expected text".to_string()),
        }
    }
}

impl FieldType for bool {
    const KIND: FieldKind = FieldKind::Boolean;
    const IMPLICIT_DEFAULT: Option<&'static str> = Some("false");

    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }

    fn from_value(value: &Value) -> Result<Self, String> {
        match value {
            Value::Bool(truth) => Ok(*truth),
            Value::Number(number) if number.as_i64() == Some(1) => Ok(true),
            Value::Number(number) if number.as_i64() == Some(0) => Ok(false),
            _ => Err("expected true or false".to_string()),
        }
    }
}

/// Field types stored as their text form and parsed back.
macro_rules! parsed_text_field {
    ($($ty:ty => $kind:ident, $expected:literal;)*) => {$(
        impl FieldType for $ty {
            const KIND: FieldKind = FieldKind::$kind;

            fn to_value(&self) -> Value {
                Value::String(self.to_string())
            }

            fn from_value(value: &Value) -> Result<Self, String> {
                value
                    .as_str()
                    .and_then(|text| text.parse().ok())
                    .ok_or_else(|| $expected.to_string())
            }
        }
    )*};
}

parsed_text_field! {
    std::net::IpAddr => IpAddress, "expected an IP address";
    ipnet::IpNet => IpNetwork, "expected an IP network such as 10.0.0.0/8";
}

/// Any JSON document.
impl FieldType for Value {
    const KIND: FieldKind = FieldKind::Json;

    fn to_value(&self) -> Value {
        self.clone()
    }

    fn from_value(value: &Value) -> Result<Self, String> {
        Ok(value.clone())
    }

    fn from_owned(value: Value) -> Result<Self, String> {
        Ok(value)
    }
}

/// A list of integers (`Vec<u16>` for ports): stored as a JSON list.
impl<T: FieldType> FieldType for Vec<T> {
    const KIND: FieldKind = match T::KIND {
        FieldKind::Integer { min, max } => FieldKind::IntegerList { min, max },
        _ => panic!("a list field holds integers: Vec<u16>, Vec<i64>, ..."),
    };
    const IMPLICIT_DEFAULT: Option<&'static str> = Some("[]");

    fn to_value(&self) -> Value {
        Value::Array(self.iter().map(FieldType::to_value).collect())
    }

    fn from_value(value: &Value) -> Result<Self, String> {
        match value {
            Value::Array(items) => items.iter().map(T::from_value).collect(),
            Value::Null => Ok(Vec::new()),
            _ => Err("expected a list".to_string()),
        }
    }
}

macro_rules! integer_field {
    ($($ty:ty),*) => {$(
        impl FieldType for $ty {
            const KIND: FieldKind = FieldKind::Integer {
                min: <$ty>::MIN as i64,
                max: if (<$ty>::MAX as u64) > i64::MAX as u64 { i64::MAX } else { <$ty>::MAX as i64 },
            };

            fn to_value(&self) -> Value {
                Value::from(*self)
            }

            fn from_value(value: &Value) -> Result<Self, String> {
                value
                    .as_i64()
                    .and_then(|number| <$ty>::try_from(number).ok())
                    .ok_or_else(|| format!("expected a whole number between {} and {}", <$ty>::MIN, <$ty>::MAX))
            }
        }
    )*};
}

integer_field!(i8, i16, i32, i64, u8, u16, u32);

impl<T: FieldType> FieldType for Option<T> {
    const KIND: FieldKind = T::KIND;
    const OPTIONAL: bool = true;
    const COLORS: &'static [&'static str] = T::COLORS;
    // An optional field's default is no value.

    fn to_value(&self) -> Value {
        match self {
            Some(value) => value.to_value(),
            // Optional text is stored empty, other optional values as null.
            None => match T::KIND {
                FieldKind::Text { .. }
                | FieldKind::LongText
                | FieldKind::Slug
                | FieldKind::Choice(_) => Value::String(String::new()),
                _ => Value::Null,
            },
        }
    }

    fn from_value(value: &Value) -> Result<Self, String> {
        match value {
            Value::Null => Ok(None),
            Value::String(text) if text.is_empty() => Ok(None),
            value => T::from_value(value).map(Some),
        }
    }

    fn from_owned(value: Value) -> Result<Self, String> {
        match value {
            Value::Null => Ok(None),
            Value::String(text) if text.is_empty() => Ok(None),
            value => T::from_owned(value).map(Some),
        }
    }
}

/// A reference to an object of model `M`, by id (a column `<field>_id`). Deleting the
/// referenced object is refused unless the field says `#[field(on_delete = "cascade")]` or
/// `"set_null"`.
///
/// ```
/// use netbox_framework::dcim::Site;
/// use netbox_framework::models::ForeignKey;
///
/// let site: ForeignKey<Site> = ForeignKey::new(7);
/// assert_eq!(site.id(), 7);
/// ```
pub struct ForeignKey<M> {
    id: i64,
    model: PhantomData<fn() -> M>,
}

impl<M> ForeignKey<M> {
    /// A reference to the object with `id`.
    pub const fn new(id: i64) -> Self {
        ForeignKey {
            id,
            model: PhantomData,
        }
    }

    /// The referenced object's id.
    pub const fn id(&self) -> i64 {
        self.id
    }
}

impl<M> Clone for ForeignKey<M> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M> Copy for ForeignKey<M> {}

impl<M> PartialEq for ForeignKey<M> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl<M> Eq for ForeignKey<M> {}

impl<M> std::hash::Hash for ForeignKey<M> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

impl<M: Model> fmt::Debug for ForeignKey<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ForeignKey<{}>({})", M::KEY, self.id)
    }
}

impl<M: Model> FieldType for ForeignKey<M> {
    const KIND: FieldKind = FieldKind::ForeignKey { model: M::KEY };

    fn to_value(&self) -> Value {
        Value::from(self.id)
    }

    fn from_value(value: &Value) -> Result<Self, String> {
        let id = match value {
            Value::Object(object) => object.get("id").and_then(Value::as_i64),
            value => value.as_i64(),
        };
        id.filter(|id| *id > 0)
            .map(ForeignKey::new)
            .ok_or_else(|| "expected the id of an object".to_string())
    }
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
