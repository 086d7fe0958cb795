//! The Rust types of model fields besides references: text, numbers, booleans, decimals,
//! dates and times, addresses, JSON, lists and optional values.

use super::FieldKind;
use super::typed::FieldType;
use serde_json::Value;

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
    IpInterface => IpInterface, "expected an IP address with its prefix length such as 192.0.2.1/24";
}

/// An IP address with the prefix length of its network (`192.0.2.1/24`), the type of
/// NetBox's IP address field: unlike a network field's [`ipnet::IpNet`], host bits are the
/// point. Dereferences to the [`ipnet::IpNet`] it holds.
///
/// ```
/// use netbox_framework::models::IpInterface;
///
/// let address: IpInterface = "192.0.2.1/24".parse().unwrap();
/// assert_eq!(address.addr().to_string(), "192.0.2.1");
/// assert_eq!(address.network().to_string(), "192.0.2.0");
/// assert_eq!(address.to_string(), "192.0.2.1/24");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IpInterface(pub ipnet::IpNet);

impl std::ops::Deref for IpInterface {
    type Target = ipnet::IpNet;

    fn deref(&self) -> &ipnet::IpNet {
        &self.0
    }
}

impl std::fmt::Display for IpInterface {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::str::FromStr for IpInterface {
    type Err = ipnet::AddrParseError;

    /// An address with a prefix length; a bare address is a host (`/32`, `/128`).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.parse::<ipnet::IpNet>() {
            Ok(net) => Ok(IpInterface(net)),
            Err(error) => text
                .parse::<std::net::IpAddr>()
                .map(|address| IpInterface(address.into()))
                .map_err(|_| error),
        }
    }
}

/// An exact decimal number: a JSON number in the API (or its text, `"12.50"`).
impl FieldType for rust_decimal::Decimal {
    const KIND: FieldKind = FieldKind::Decimal {
        max_digits: 0,
        decimal_places: 0,
    };

    fn to_value(&self) -> Value {
        use rust_decimal::prelude::ToPrimitive;
        // A whole number as an integer (`10`), as the host writes decimals.
        if self.fract().is_zero()
            && let Some(whole) = self.to_i64()
        {
            return Value::from(whole);
        }
        self.to_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::Null, Value::Number)
    }

    fn from_value(value: &Value) -> Result<Self, String> {
        let text = match value {
            Value::Number(number) => number.to_string(),
            Value::String(text) => text.trim().to_string(),
            _ => String::new(),
        };
        text.parse::<rust_decimal::Decimal>()
            .or_else(|_| rust_decimal::Decimal::from_scientific(&text))
            .map_err(|_| "expected a decimal number such as 12.50".to_string())
    }
}

/// The format of dates: `2024-05-31`.
const DATE_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// A calendar date: `"2024-05-31"` in the API.
impl FieldType for time::Date {
    const KIND: FieldKind = FieldKind::Date;

    fn to_value(&self) -> Value {
        self.format(DATE_FORMAT).map_or(Value::Null, Value::String)
    }

    fn from_value(value: &Value) -> Result<Self, String> {
        value
            .as_str()
            .and_then(|text| time::Date::parse(text.trim(), DATE_FORMAT).ok())
            .ok_or_else(|| "expected a date such as 2024-05-31".to_string())
    }
}

/// A point in time: `"2024-05-31T14:30:00Z"` (RFC 3339) in the API, stored in UTC to the
/// second.
impl FieldType for time::OffsetDateTime {
    const KIND: FieldKind = FieldKind::DateTime;

    fn to_value(&self) -> Value {
        self.to_offset(time::UtcOffset::UTC)
            .replace_nanosecond(0)
            .ok()
            .and_then(|time| {
                time.format(&time::format_description::well_known::Rfc3339)
                    .ok()
            })
            .map_or(Value::Null, Value::String)
    }

    fn from_value(value: &Value) -> Result<Self, String> {
        value
            .as_str()
            .and_then(|text| {
                time::OffsetDateTime::parse(
                    text.trim(),
                    &time::format_description::well_known::Rfc3339,
                )
                .ok()
            })
            .ok_or_else(|| "expected a date and time such as 2024-05-31T14:30:00Z".to_string())
    }
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
                // Addresses and networks are NULL when absent.
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
