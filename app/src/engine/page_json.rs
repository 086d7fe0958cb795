//! A page of objects as one JSON array built by the database: the list's one statement
//! returns it whole, so that a page costs no per-row decoding however long it is.

use super::sql::{Stored, links_sql, read_sql};
use super::{custom_fields, tags};
use crate::db::schema::render::quoted;
use netbox_framework::migrations::Backend;
use netbox_framework::models::{FieldKind, ModelSchema};
use sea_query::Order;

/// The aggregate turning the rows of a page subquery named `page` (the columns of
/// [`stored_columns`]) into a JSON array of objects as [`read_object`] reads them
/// (text `NULL`s as `""`, integer `NULL`s as `null`, foreign keys under the field's name), in
/// the page's `order`, with their tags and custom-field values (`features`, for models that
/// have them). Objects are built from chunks of at most 40 keys (functions take a bounded
/// number of arguments) merged into one.
pub fn json_array(
    schema: &ModelSchema,
    backend: Backend,
    order: &[(String, Order)],
    positional: bool,
    features: bool,
) -> String {
    let key = |name: &str| {
        if positional {
            String::new()
        } else {
            format!("'{}', ", name.replace('\'', "''"))
        }
    };
    let mut pairs = vec![format!("{}\"id\"", key("id"))];
    for field in schema.fields {
        let column = quoted(&field.column());
        let value = match (field.kind, backend) {
            (FieldKind::ManyToMany { .. }, Backend::Sqlite) => {
                format!(
                    "json({})",
                    links_sql(schema, field, "\"page\"", backend, false)
                )
            }
            (FieldKind::ManyToMany { .. }, Backend::Postgres) => {
                links_sql(schema, field, "\"page\"", backend, false)
            }
            (FieldKind::Boolean, Backend::Sqlite) => format!(
                "CASE WHEN {column} IS NULL THEN NULL WHEN {column} THEN json('true') ELSE json('false') END"
            ),
            (FieldKind::IntegerList { .. } | FieldKind::Json, Backend::Sqlite) => {
                format!("json({column})")
            }
            (FieldKind::IntegerList { .. } | FieldKind::Json, Backend::Postgres) => {
                format!("CAST({column} AS JSONB)")
            }
            // As every other path writes them: whole ones as integers (SQLite keeps them so),
            // others as floats.
            (FieldKind::Decimal { .. }, Backend::Postgres) => {
                format!("CAST({column} AS DOUBLE PRECISION)")
            }
            (
                FieldKind::Date
                | FieldKind::DateTime
                | FieldKind::IpAddress
                | FieldKind::IpNetwork
                | FieldKind::IpInterface,
                Backend::Postgres,
            ) => read_sql(&column, Stored::of(field)),
            _ if field.is_text() => format!("coalesce({column}, '')"),
            _ => column,
        };
        pairs.push(format!("{}{value}", key(field.name)));
    }
    for stamp in ["created", "last_updated"] {
        let column = quoted(stamp);
        let value = match backend {
            Backend::Sqlite => column,
            Backend::Postgres => read_sql(&column, Stored::DateTime),
        };
        pairs.push(format!("{}{value}", key(stamp)));
    }
    if features && tags::has_features(schema) {
        let page = "\"page\"";
        pairs.push(format!(
            "{}{}",
            key(tags::KEY),
            tags::ids_sql(schema, page, backend, false)
        ));
        pairs.push(format!(
            "{}{}",
            key(custom_fields::KEY),
            custom_fields::data_sql(schema, page, backend, false)
        ));
    }
    let object = if positional { "array" } else { "object" };
    let chunks: Vec<String> = pairs.chunks(40).map(|chunk| chunk.join(", ")).collect();
    let order: Vec<String> = order
        .iter()
        .map(|(expression, direction)| match direction {
            Order::Desc => format!("{expression} DESC"),
            _ => format!("{expression} ASC"),
        })
        .collect();
    let order = order.join(", ");
    match backend {
        Backend::Sqlite => {
            let object = match (positional, chunks.as_slice()) {
                // Arrays are not merged by json_patch: one call (SQLite takes up to 1000
                // arguments).
                (true, _) => format!("json_array({})", chunks.join(", ")),
                (false, _) => chunks
                    .iter()
                    .map(|chunk| format!("json_{object}({chunk})"))
                    .reduce(|merged, next| format!("json_patch({merged}, {next})"))
                    .unwrap_or_default(),
            };
            format!("json_group_array({object} ORDER BY {order})")
        }
        Backend::Postgres => {
            let object = match chunks.as_slice() {
                [one] => format!("json_build_{object}({one})"),
                many => many
                    .iter()
                    .map(|chunk| format!("jsonb_build_{object}({chunk})"))
                    .collect::<Vec<_>>()
                    .join(" || "),
            };
            format!("CAST(json_agg({object} ORDER BY {order}) AS TEXT)")
        }
    }
}
