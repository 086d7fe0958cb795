//! The model engine's SQL pieces: columns and values of fields for sea-query statements (run
//! with [`crate::db::statement`]), and rows read back into objects.
//!
//! Table and column names come from static schemas, never from input; values are always bound.

use super::{Object, custom_fields, tags};
use crate::db::network_keys;
use crate::db::schema::render::quoted;
pub use crate::db::statement::{now, statement};
use netbox_framework::migrations::Backend;
use netbox_framework::models::{Field, FieldKind, ModelSchema};
use sea_query::{
    Cond, DynIden, Expr, ExprTrait, LikeExpr, Order, SelectExpr, SelectStatement, Value as SqlValue,
};
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
/// text for the others, typed `NULL`s. See [`bind`] for the expression a statement takes.
pub fn value(field: &Field, value: &Value) -> SqlValue {
    if field.is_integer() {
        return SqlValue::BigInt(value.as_i64());
    }
    match field.kind {
        FieldKind::Boolean => return SqlValue::Bool(value.as_bool()),
        FieldKind::IntegerList { .. } => {
            return SqlValue::String(value.as_array().map(|_| value.to_string()));
        }
        FieldKind::Json => {
            return SqlValue::String((!value.is_null()).then(|| value.to_string()));
        }
        FieldKind::Decimal { .. }
        | FieldKind::Date
        | FieldKind::DateTime
        | FieldKind::IpAddress
        | FieldKind::IpNetwork
        | FieldKind::IpInterface => {
            return SqlValue::String(match value {
                Value::Number(number) => Some(number.to_string()),
                Value::String(text) if !text.is_empty() => Some(text.clone()),
                _ => None,
            });
        }
        _ => {}
    }
    match value {
        Value::Null => SqlValue::String(None),
        Value::String(text) => SqlValue::String(Some(text.clone())),
        other => SqlValue::String(Some(other.to_string())),
    }
}

/// How a column's values travel through sqlx's `Any` driver, which knows no decimal, date or
/// time type: as text, converted by the database on PostgreSQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// As the driver reads and binds it.
    Plain,
    /// `NUMERIC` on PostgreSQL.
    Decimal,
    /// `DATE` on PostgreSQL.
    Date,
    /// `TIMESTAMPTZ` on PostgreSQL (`created`, `last_updated` and date-time fields).
    DateTime,
    /// `INET` on PostgreSQL, read with its prefix length (`192.0.2.1/24`).
    Inet,
    /// `INET` on PostgreSQL, read without its prefix length (`192.0.2.1`).
    Host,
    /// `CIDR` on PostgreSQL.
    Cidr,
}

impl Stored {
    /// How `field` is stored.
    pub fn of(field: &Field) -> Stored {
        match field.kind {
            FieldKind::Decimal { .. } => Stored::Decimal,
            FieldKind::Date => Stored::Date,
            FieldKind::DateTime => Stored::DateTime,
            FieldKind::IpInterface => Stored::Inet,
            FieldKind::IpAddress => Stored::Host,
            FieldKind::IpNetwork => Stored::Cidr,
            _ => Stored::Plain,
        }
    }

    /// The PostgreSQL type values are converted to, if any.
    fn postgres_type(self) -> Option<&'static str> {
        match self {
            Stored::Plain => None,
            Stored::Decimal => Some("NUMERIC"),
            Stored::Date => Some("DATE"),
            Stored::DateTime => Some("TIMESTAMPTZ"),
            Stored::Inet | Stored::Host => Some("INET"),
            Stored::Cidr => Some("CIDR"),
        }
    }
}

/// A bound value as the expression a statement takes: converted to its column's type on
/// PostgreSQL (`CAST($1 AS DATE)`); SQLite keeps decimals, dates and times as given.
pub fn typed(stored: Stored, backend: Backend, value: SqlValue) -> Expr {
    match (backend, stored.postgres_type()) {
        (Backend::Postgres, Some(ty)) => Expr::val(value).cast_as(ty),
        _ => Expr::val(value),
    }
}

/// `value` as `field`'s column takes it in a statement for `backend`.
pub fn bind(field: &Field, backend: Backend, given: &Value) -> Expr {
    typed(Stored::of(field), backend, value(field, given))
}

/// The columns a write of `values` sets, each with its value: every field's column, and on
/// SQLite the key of each address or network (see [`crate::db::network_keys`]).
pub fn row_values(
    schema: &'static ModelSchema,
    backend: Backend,
    values: &Map<String, Value>,
) -> Vec<(DynIden, Expr)> {
    let mut row = Vec::with_capacity(schema.fields.len() + 2);
    for field in schema.fields.iter().filter(|field| field.is_column()) {
        let value = values.get(field.name).unwrap_or(&Value::Null);
        row.push((column_name(field), bind(field, backend, value)));
        if backend == Backend::Sqlite && field.is_network() {
            let key = value.as_str().and_then(network_keys::sort_key);
            row.push((
                DynIden::from(network_keys::key_column(field)),
                Expr::val(SqlValue::String(key)),
            ));
        }
    }
    row
}

/// The expression ordering by `field`: its column, or on SQLite an address's or network's
/// key.
pub fn sort_sql(field: &Field, backend: Backend) -> String {
    if backend == Backend::Sqlite && field.is_network() {
        quoted(&network_keys::key_column(field))
    } else {
        quoted(&field.column())
    }
}

/// A term of a model's `ordering` as it sorts on `backend`: a network column by its key on
/// SQLite, anything else as written.
pub fn sort_term(schema: &ModelSchema, term: String, backend: Backend) -> String {
    let bare = term.trim_matches('"');
    match schema
        .fields
        .iter()
        .find(|field| field.is_column() && field.column() == bare)
    {
        Some(field) => sort_sql(field, backend),
        None => term,
    }
}

/// The current time as `created` and `last_updated` take it.
pub fn now_value(backend: Backend) -> Expr {
    typed(Stored::DateTime, backend, SqlValue::String(Some(now())))
}

/// The expression reading `column` stored as `stored`: on PostgreSQL, decimals as text,
/// dates as `2024-05-31` and times as RFC 3339 in UTC (`2024-05-31T14:30:00Z`). (Reads work
/// on text columns too, as `created`/`last_updated` of hand-written tables may be; filters
/// compare fields with their typed columns.)
pub fn read_expr(column: &str, stored: Stored, backend: Backend) -> Expr {
    if backend == Backend::Sqlite || stored == Stored::Plain {
        return Expr::col(DynIden::from(column.to_string()));
    }
    Expr::cust(read_sql(&quoted(column), stored))
}

/// The SQL of [`read_expr`] on PostgreSQL for the expression `sql`.
pub(super) fn read_sql(sql: &str, stored: Stored) -> String {
    match stored {
        Stored::Plain => sql.to_string(),
        Stored::Decimal | Stored::Inet | Stored::Cidr => format!("CAST({sql} AS TEXT)"),
        Stored::Host => format!("host({sql})"),
        Stored::Date => format!("to_char(CAST({sql} AS DATE), 'YYYY-MM-DD')"),
        Stored::DateTime => format!(
            "to_char(CAST({sql} AS TIMESTAMPTZ) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
        ),
    }
}

/// The column of `created` or `last_updated` as filters compare it: as a time on PostgreSQL
/// (a text column of a hand-written migration too).
pub fn stamp_column(name: &'static str, backend: Backend) -> Expr {
    Expr::cust(stamp_sql(name, backend))
}

/// The SQL of [`stamp_column`] (for orderings, which are SQL text).
pub fn stamp_sql(name: &str, backend: Backend) -> String {
    match backend {
        Backend::Sqlite => quoted(name),
        Backend::Postgres => format!("CAST({} AS TIMESTAMPTZ)", quoted(name)),
    }
}

/// `id`, every field's column, `created`, `last_updated`: what [`read_object`] reads
/// (converted as [`read_expr`] says, each under its column's name).
pub fn select_list(schema: &'static ModelSchema, backend: Backend) -> Vec<SelectExpr> {
    let named = |name: String, stored: Stored| {
        let converted = backend == Backend::Postgres && stored != Stored::Plain;
        SelectExpr {
            expr: read_expr(&name, stored, backend),
            alias: converted.then(|| DynIden::from(name)),
            window: None,
        }
    };
    let mut columns = vec![named("id".into(), Stored::Plain)];
    columns.extend(schema.fields.iter().map(|field| {
        if field.is_column() {
            named(field.column(), Stored::of(field))
        } else {
            SelectExpr {
                expr: Expr::cust(links_sql(
                    schema,
                    field,
                    &quoted(schema.table),
                    backend,
                    true,
                )),
                alias: Some(DynIden::from(field.name)),
                window: None,
            }
        }
    }));
    columns.push(named("created".into(), Stored::DateTime));
    columns.push(named("last_updated".into(), Stored::DateTime));
    if tags::has_features(schema) {
        let table = quoted(schema.table);
        for (key, sql) in [
            (tags::KEY, tags::ids_sql(schema, &table, backend, true)),
            (
                custom_fields::KEY,
                custom_fields::data_sql(schema, &table, backend, true),
            ),
        ] {
            columns.push(SelectExpr {
                expr: Expr::cust(sql),
                alias: Some(DynIden::from(key)),
                window: None,
            });
        }
    }
    columns
}

/// The ids many-to-many `field` links the row of `table` (an alias or quoted name) to, as a
/// JSON list, ascending: text when `as_text` (read by the driver), else JSON (inside a JSON
/// document).
pub(super) fn links_sql(
    schema: &ModelSchema,
    field: &Field,
    table: &str,
    backend: Backend,
    as_text: bool,
) -> String {
    let join = quoted(&schema.join_table(field));
    let list = match backend {
        Backend::Sqlite => "json_group_array(\"to_id\" ORDER BY \"to_id\")".to_string(),
        Backend::Postgres if as_text => {
            "CAST(COALESCE(json_agg(\"to_id\" ORDER BY \"to_id\"), '[]') AS TEXT)".to_string()
        }
        Backend::Postgres => {
            "COALESCE(json_agg(\"to_id\" ORDER BY \"to_id\"), CAST('[]' AS JSON))".to_string()
        }
    };
    format!("(SELECT {list} FROM {join} WHERE {join}.\"from_id\" = {table}.\"id\")")
}

/// The same columns as stored, unconverted (for a subquery whose rows [`json_array`]
/// converts), and on SQLite the keys of addresses and networks.
pub fn stored_columns(schema: &'static ModelSchema, backend: Backend) -> Vec<DynIden> {
    let mut columns = vec![DynIden::from("id")];
    columns.extend(
        schema
            .fields
            .iter()
            .filter(|field| field.is_column())
            .map(column_name),
    );
    if backend == Backend::Sqlite {
        // What the page is ordered by.
        columns.extend(
            network_keys::network_fields(schema)
                .map(|field| DynIden::from(network_keys::key_column(field))),
        );
    }
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
    match field.kind {
        // SQLite keeps booleans as 0/1, PostgreSQL as booleans.
        FieldKind::Boolean => {
            return Ok(match row.try_get::<Option<bool>, _>(index) {
                Ok(truth) => truth.map_or(Value::Null, Value::Bool),
                Err(_) => read_integer(row, index)?.map_or(Value::Null, |n| Value::Bool(n != 0)),
            });
        }
        FieldKind::IntegerList { .. } | FieldKind::Json | FieldKind::ManyToMany { .. } => {
            let text = row.try_get::<Option<String>, _>(index)?;
            return Ok(text
                .and_then(|text| serde_json::from_str(&text).ok())
                .unwrap_or(Value::Null));
        }
        FieldKind::Decimal { .. } => return read_number(row, index),
        FieldKind::Date
        | FieldKind::DateTime
        | FieldKind::IpAddress
        | FieldKind::IpNetwork
        | FieldKind::IpInterface => {
            return Ok(row
                .try_get::<Option<String>, _>(index)?
                .map_or(Value::Null, Value::String));
        }
        _ => {}
    }
    Ok(if field.is_integer() {
        read_integer(row, index)?
            .map(Value::from)
            .unwrap_or(Value::Null)
    } else {
        Value::String(row.try_get::<Option<String>, _>(index)?.unwrap_or_default())
    })
}

/// A number column (SQLite keeps a decimal as an integer or a real, PostgreSQL's is read as
/// text), `null` when NULL.
fn read_number(row: &AnyRow, index: usize) -> Result<Value, sqlx::Error> {
    use super::scalars::json_number;
    if let Ok(number) = row.try_get::<Option<f64>, _>(index) {
        return Ok(number.and_then(json_number).unwrap_or(Value::Null));
    }
    if let Ok(text) = row.try_get::<Option<String>, _>(index) {
        return Ok(text
            .and_then(|text| text.trim().parse::<f64>().ok())
            .and_then(json_number)
            .unwrap_or(Value::Null));
    }
    Ok(read_integer(row, index)?.map_or(Value::Null, Value::from))
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
    if tags::has_features(schema) {
        for (offset, key) in [(2, tags::KEY), (3, custom_fields::KEY)] {
            let text = row.try_get::<Option<String>, _>(base + offset)?;
            let value = text.and_then(|text| serde_json::from_str(&text).ok());
            object.insert(key.into(), value.unwrap_or(Value::Null));
        }
    }
    Ok(object)
}

/// The terms of a model's `ordering` (`"name"`, `"\"site_id\", name DESC"`), each with its
/// direction (ascending unless it ends in `DESC`).
pub fn ordering(text: &str) -> Vec<(String, Order)> {
    text.split(',')
        .map(str::trim)
        .filter(|term| !term.is_empty())
        .map(|term| {
            let upper = term.to_ascii_uppercase();
            if let Some(rest) = upper.strip_suffix(" DESC") {
                (term[..rest.len()].trim().to_string(), Order::Desc)
            } else if let Some(rest) = upper.strip_suffix(" ASC") {
                (term[..rest.len()].trim().to_string(), Order::Asc)
            } else {
                (term.to_string(), Order::Asc)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_converted_on_postgres_only() {
        use sea_query::Query;
        let value = || SqlValue::String(Some("2024-05-31".into()));
        let select = |backend| {
            let query = Query::select()
                .expr(typed(Stored::Date, backend, value()))
                .expr(typed(Stored::Plain, backend, value()))
                .take();
            crate::db::statement::render(backend, &query)
        };
        let (sql, values) = select(Backend::Postgres);
        assert_eq!(sql, "SELECT CAST($1 AS DATE), $2");
        assert_eq!(values.len(), 2);
        assert_eq!(select(Backend::Sqlite).0, "SELECT ?, ?");
    }

    #[test]
    fn ordering_terms_keep_their_direction() {
        assert_eq!(ordering("name"), [("name".to_string(), Order::Asc)]);
        assert_eq!(
            ordering("\"access_list_id\", \"index\" desc"),
            [
                ("\"access_list_id\"".to_string(), Order::Asc),
                ("\"index\"".to_string(), Order::Desc)
            ]
        );
    }
}
