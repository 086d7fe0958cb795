//! Decimals, dates and times given as input (forms, the API, filters), checked and put in the
//! one form the engine stores: decimals as JSON numbers, dates as `2024-05-31`, times as RFC
//! 3339 in UTC to the second (`2024-05-31T14:30:00Z`).

use rust_decimal::Decimal;
use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// A decimal with at most `max_digits` digits, `decimal_places` of them after the point.
///
/// ```
/// use netbox_app::engine::scalars::decimal;
/// use serde_json::json;
///
/// assert_eq!(decimal(&json!("12.50"), 5, 2), Ok(json!(12.5)));
/// assert_eq!(decimal(&json!(3), 5, 2), Ok(json!(3)));
/// assert!(decimal(&json!("1.234"), 5, 2).unwrap_err().contains("2 decimal places"));
/// assert!(decimal(&json!("1234.5"), 5, 2).unwrap_err().contains("3 digits before"));
/// ```
pub fn decimal(value: &Value, max_digits: u32, decimal_places: u32) -> Result<Value, String> {
    let text = match value {
        Value::Number(number) => number.to_string(),
        Value::String(text) => text.trim().to_string(),
        _ => return Err("A number is required.".to_string()),
    };
    let number = text
        .parse::<Decimal>()
        .or_else(|_| Decimal::from_scientific(&text))
        .map_err(|_| format!("“{text}” is not a number."))?
        .normalize();
    if number.scale() > decimal_places {
        return Err(format!(
            "Ensure that there are no more than {decimal_places} decimal places."
        ));
    }
    let whole = max_digits - decimal_places;
    let integer_digits = number
        .trunc()
        .abs()
        .to_string()
        .trim_start_matches('0')
        .len();
    if integer_digits > whole as usize {
        return Err(format!(
            "Ensure that there are no more than {whole} digits before the decimal point."
        ));
    }
    use rust_decimal::prelude::ToPrimitive;
    number
        .to_f64()
        .and_then(json_number)
        .ok_or_else(|| format!("“{text}” is not a number."))
}

/// A decimal as the API writes it on every path and backend: a whole number as an integer
/// (`10`), any other as a float (`2.5`); `None` when not finite.
///
/// ```
/// use netbox_app::engine::scalars::json_number;
///
/// assert_eq!(json_number(10.0).map(|n| n.to_string()).as_deref(), Some("10"));
/// assert_eq!(json_number(2.5).map(|n| n.to_string()).as_deref(), Some("2.5"));
/// ```
pub fn json_number(number: f64) -> Option<Value> {
    #[allow(clippy::cast_possible_truncation, clippy::float_cmp)]
    let whole = number.fract() == 0.0 && number.abs() < 1e15;
    if whole {
        #[allow(clippy::cast_possible_truncation)]
        return Some(Value::from(number as i64));
    }
    serde_json::Number::from_f64(number).map(Value::Number)
}

/// The years dates and times may have (both backends store and sort them alike).
const YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

/// A date, `YYYY-MM-DD`, of a year from 1 to 9999.
///
/// ```
/// use netbox_app::engine::scalars::date;
///
/// assert_eq!(date(" 2024-02-29 ").as_deref(), Ok("2024-02-29"));
/// assert!(date("2023-02-29").is_err());
/// assert!(date("0000-01-01").is_err());
/// ```
pub fn date(text: &str) -> Result<String, String> {
    let format = format_description!("[year]-[month]-[day]");
    Date::parse(text.trim(), format)
        .ok()
        .filter(|date| YEARS.contains(&date.year()))
        .and_then(|date| date.format(format).ok())
        .ok_or_else(|| {
            format!(
                "“{}” is not a date (YYYY-MM-DD, years 1 to 9999).",
                text.trim()
            )
        })
}

/// A point in time: RFC 3339 with any offset, or a date and time without one (as a form's
/// date-time input sends it, `2024-05-31T14:30`), taken as UTC; given back in UTC to the
/// second.
///
/// ```
/// use netbox_app::engine::scalars::date_time;
///
/// assert_eq!(date_time("2024-05-31T16:30:00+02:00").as_deref(), Ok("2024-05-31T14:30:00Z"));
/// assert_eq!(date_time("2024-05-31T14:30").as_deref(), Ok("2024-05-31T14:30:00Z"));
/// assert_eq!(date_time("2024-05-31 14:30:05").as_deref(), Ok("2024-05-31T14:30:05Z"));
/// assert!(date_time("yesterday").is_err());
/// assert!(date_time("0001-01-01T00:30:00+01:00").is_err(), "year 0 in UTC");
/// ```
pub fn date_time(text: &str) -> Result<String, String> {
    let text = text.trim();
    let time = OffsetDateTime::parse(text, &Rfc3339).ok().or_else(|| {
        let local = text.replacen(' ', "T", 1);
        [
            format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]"),
            format_description!("[year]-[month]-[day]T[hour]:[minute]"),
        ]
        .iter()
        .find_map(|format| PrimitiveDateTime::parse(&local, format).ok())
        .map(PrimitiveDateTime::assume_utc)
    });
    time.and_then(|time| {
        let utc = time.checked_to_offset(UtcOffset::UTC)?;
        if !YEARS.contains(&utc.year()) {
            return None;
        }
        utc.replace_nanosecond(0).ok()?.format(&Rfc3339).ok()
    })
    .ok_or_else(|| format!("“{text}” is not a date and time (e.g. 2024-05-31T14:30:00Z)."))
}

/// A filter's date or time: a date alone means its midnight UTC.
pub fn date_or_time(text: &str) -> Result<String, String> {
    date_time(text).or_else(|error| {
        date(text)
            .map(|date| format!("{date}T00:00:00Z"))
            .map_err(|_| error)
    })
}
