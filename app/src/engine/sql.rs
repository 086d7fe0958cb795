//! The model engine's SQL pieces: columns and values of fields for sea-query statements (run
//! with [`crate::db::statement`]), and rows read back into objects.
//!
//! Table and column names come from static schemas, never from input; values are always bound.

use super::Object;
pub use crate::db::statement::{now, statement};
use netbox_framework::models::{Field, FieldKind, ModelSchema};
use sea_query::{Cond, DynIden, Expr, LikeExpr, SelectStatement, Value as SqlValue};
use serde_json::{Map, Value};
use sqlx::Row;
use sqlx::any::AnyRow;

/// Adds `conditions` to `select` unless there are none: an empty `WHERE TRUE` would keep
/// SQLite from counting a table's rows without reading them.
pub fn filter(select: &mut SelectStatement, conditions: Cond) {
    if !conditions.is_empty() {
        select.cond_where(conditions);
    }
}

/// A LIKE pattern matching `prefix`, then `text` taken literally (its `%`, `_` and `\\`
/// escaped), then `suffix` (`"%"` or `""`).
///
/// ```
/// use netbox_app::db::statement::render;
/// use netbox_framework::migrations::Backend;
/// use sea_query::{Expr, ExprTrait, Query};
///
/// let like = netbox_app::engine::sql::literal_like("%", "50%_off", "%");
/// let select = Query::select().column("id").from("t").and_where(Expr::col("name").like(like)).take();
/// let (sql, values) = render(Backend::Sqlite, &select);
/// assert!(sql.ends_with(r#""name" LIKE ? ESCAPE '\'"#), "{sql}");
/// assert_eq!(format!("{values:?}"), r#"[String(Some("%50\\%\\_off%"))]"#);
/// ```
pub fn literal_like(prefix: &str, text: &str, suffix: &str) -> LikeExpr {
    let mut pattern = String::with_capacity(text.len() + 4);
    pattern.push_str(prefix);
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push_str(suffix);
    LikeExpr::new(pattern).escape('\\')
}

/// A column by name.
pub fn col(name: &'static str) -> Expr {
    Expr::col(name)
}

/// A field's column name (`<name>_id` for a foreign key), allocated only for foreign keys.
pub fn column_name(field: &'static Field) -> DynIden {
    match field.kind {
        FieldKind::ForeignKey { .. } => DynIden::from(field.column()),
        _ => DynIden::from(field.name),
    }
}

/// A field's column.
pub fn column(field: &'static Field) -> Expr {
    Expr::col(column_name(field))
}

/// The value of `value` for `field`'s column: integers for integer fields and foreign keys,
/// text for the others, typed `NULL`s.
pub fn value(field: &Field, value: &Value) -> SqlValue {
    if field.is_integer() {
        return SqlValue::BigInt(value.as_i64());
    }
    match value {
        Value::Null => SqlValue::String(None),
        Value::String(text) => SqlValue::String(Some(text.clone())),
        other => SqlValue::String(Some(other.to_string())),
    }
}

/// `id`, every field's column, `created`, `last_updated`: what [`read_object`] reads.
pub fn select_list(schema: &'static ModelSchema) -> Vec<DynIden> {
    let mut columns = vec![DynIden::from("id")];
    columns.extend(schema.fields.iter().map(column_name));
    columns.push(DynIden::from("created"));
    columns.push(DynIden::from("last_updated"));
    columns
}

/// An integer column (4 or 8 bytes), `None` when NULL.
pub fn read_integer(row: &AnyRow, index: usize) -> Result<Option<i64>, sqlx::Error> {
    match row.try_get::<Option<i64>, _>(index) {
        Ok(value) => Ok(value),
        Err(_) => Ok(row.try_get::<Option<i32>, _>(index)?.map(i64::from)),
    }
}

/// A column as text, whether it holds text or an integer (display fields may be either).
pub fn read_text(row: &AnyRow, index: usize) -> Result<String, sqlx::Error> {
    match row.try_get::<Option<String>, _>(index) {
        Ok(text) => Ok(text.unwrap_or_default()),
        Err(_) => Ok(read_integer(row, index)?
            .map(|n| n.to_string())
            .unwrap_or_default()),
    }
}

/// `(id, display)` pairs from rows of `SELECT id, <display field>`.
pub fn id_and_display<C: FromIterator<(i64, String)>>(rows: &[AnyRow]) -> Result<C, sqlx::Error> {
    rows.iter()
        .map(|row| {
            Ok((
                read_integer(row, 0)?.unwrap_or_default(),
                read_text(row, 1)?,
            ))
        })
        .collect()
}

/// The value of `field` in column `index` of `row` (integers for integer fields and foreign
/// keys, `null` when NULL; text for the others, empty when NULL).
pub fn read_value(field: &Field, row: &AnyRow, index: usize) -> Result<Value, sqlx::Error> {
    Ok(if field.is_integer() {
        read_integer(row, index)?
            .map(Value::from)
            .unwrap_or(Value::Null)
    } else {
        Value::String(row.try_get::<Option<String>, _>(index)?.unwrap_or_default())
    })
}

/// A row of `SELECT <select_list>` as an object.
pub fn read_object(schema: &ModelSchema, row: &AnyRow) -> Result<Object, sqlx::Error> {
    let mut object = Map::new();
    object.insert(
        "id".into(),
        Value::from(read_integer(row, 0)?.unwrap_or_default()),
    );
    for (index, field) in schema.fields.iter().enumerate() {
        object.insert(field.name.to_string(), read_value(field, row, index + 1)?);
    }
    let base = schema.fields.len() + 1;
    object.insert(
        "created".into(),
        Value::String(row.try_get::<String, _>(base)?),
    );
    object.insert(
        "last_updated".into(),
        Value::String(row.try_get::<String, _>(base + 1)?),
    );
    Ok(object)
}
