//! Custom fields: definitions administrators add at run time (`extras_customfield`, read when
//! needed, so adding or removing one needs no migration and no restart) and each object's
//! values, one JSON document per object in `extras_customfielddata`, read with the object
//! under `custom_fields`, written in its write transaction, removed with it.
//!
//! Filters `cf_<name>[__<lookup>]=<value>` compare one value of the document.

use super::clean::LONG_TEXT_MAX;
use super::scalars;
use super::sql::statement;
use super::write::Connection;
use crate::db::schema::render::literal;
use netbox_framework::extras::{CustomFieldChoiceSet, CustomFieldType};
use netbox_framework::migrations::Backend;
use netbox_framework::models::{Choices, ModelSchema};
use sea_query::{Expr, ExprTrait, OnConflict, Query};
use serde_json::{Map, Value};
use sqlx::Row;

/// The table of objects' values.
pub const DATA: &str = "extras_customfielddata";
/// The key of objects' values in objects and the API.
pub const KEY: &str = "custom_fields";
/// The longest value of a text custom field.
pub const TEXT_MAX: usize = 255;
/// The longest URL.
pub const URL_MAX: usize = 2000;
/// The most items of a multiple selection or multiple-object value.
pub const LIST_MAX: usize = 1000;

/// A custom field as objects of one model have it.
#[derive(Debug, Clone)]
pub struct Definition {
    /// Key in `custom_fields` (and the filter `cf_<name>`).
    pub name: String,
    /// Label (the name when none was given).
    pub label: String,
    /// Type of its values.
    pub kind: CustomFieldType,
    /// Help text.
    pub description: String,
    /// Whether every object needs a value.
    pub required: bool,
    /// The value new objects get.
    pub default: Option<Value>,
    /// The weight of its values in searches (0: not searched).
    pub search_weight: i64,
    /// For object fields: the referenced model's key.
    pub related: Option<String>,
    /// Smallest number accepted.
    pub minimum: Option<f64>,
    /// Largest number accepted.
    pub maximum: Option<f64>,
    /// What text must match.
    pub regex: Option<regex::Regex>,
    /// For selections: `(value, label)` pairs.
    pub choices: Vec<(String, String)>,
}

fn flag(row: &sqlx::any::AnyRow, index: usize) -> bool {
    row.try_get::<bool, _>(index)
        .or_else(|_| row.try_get::<i64, _>(index).map(|n| n != 0))
        .or_else(|_| row.try_get::<i32, _>(index).map(|n| n != 0))
        .unwrap_or(false)
}

fn number(row: &sqlx::any::AnyRow, index: usize) -> Option<f64> {
    row.try_get::<Option<String>, _>(index)
        .ok()
        .flatten()
        .and_then(|text| text.trim().parse().ok())
        .or_else(|| row.try_get::<Option<f64>, _>(index).ok().flatten())
        .or_else(|| {
            row.try_get::<Option<i64>, _>(index)
                .ok()
                .flatten()
                .map(|n| n as f64)
        })
}

/// The custom fields of objects of model `key`, by weight then name, as the database has
/// them now (writes read them so, in their transaction).
pub async fn definitions<'c, E>(
    executor: E,
    backend: Backend,
    key: &str,
) -> Result<Vec<Definition>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    Ok(for_model(&all_definitions(executor, backend).await?, key))
}

/// Every custom field with the models it applies to.
type AllDefinitions = Vec<(Vec<String>, Definition)>;

fn for_model(all: &AllDefinitions, key: &str) -> Vec<Definition> {
    all.iter()
        .filter(|(types, _)| types.iter().any(|t| t == key))
        .map(|(_, definition)| definition.clone())
        .collect()
}

/// Definitions read recently, by database.
static RECENT: super::recent::Recent<AllDefinitions> = super::recent::Recent::new();

/// Forgets the definitions read so far: a custom field or choice set changed.
pub fn changed() {
    RECENT.clear();
}

/// Whether writes to objects of `schema` change custom-field definitions.
pub fn defines(schema: &ModelSchema) -> bool {
    matches!(
        schema.key().as_str(),
        "extras.customfield" | "extras.customfieldchoiceset"
    )
}

/// The custom fields of objects of model `key` for reads (pages, lists, the API): the
/// definitions read in the last few seconds (see [`super::recent`]), or read now.
pub async fn cached(
    database: &crate::db::Database,
    key: &str,
) -> Result<Vec<Definition>, sqlx::Error> {
    let url = database.display_url();
    let all = match RECENT.get(url) {
        Some(all) => all,
        None => {
            let generation = RECENT.generation();
            let read = all_definitions(database.pool(), database.backend()).await?;
            RECENT.put(generation, url.to_string(), read)
        }
    };
    Ok(for_model(&all, key))
}

async fn all_definitions<'c, E>(
    executor: E,
    backend: Backend,
) -> Result<AllDefinitions, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let decimal = |column: &str| match backend {
        Backend::Sqlite => format!("f.\"{column}\""),
        Backend::Postgres => format!("CAST(f.\"{column}\" AS TEXT)"),
    };
    let sql = format!(
        "SELECT f.\"name\", f.\"label\", f.\"type\", f.\"description\", f.\"required\", f.\"default\", \
         f.\"search_weight\", f.\"related_object_type\", {}, {}, f.\"validation_regex\", \
         s.\"extra_choices\", f.\"object_types\" \
         FROM \"extras_customfield\" f LEFT JOIN \"extras_customfieldchoiceset\" s ON s.\"id\" = f.\"choice_set_id\" \
         ORDER BY f.\"weight\", f.\"name\"",
        decimal("validation_minimum"),
        decimal("validation_maximum")
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(executor)
        .await?;
    let mut found = Vec::new();
    for row in rows {
        let text = |index: usize| {
            row.try_get::<Option<String>, _>(index)
                .ok()
                .flatten()
                .unwrap_or_default()
        };
        let json = |index: usize| serde_json::from_str::<Value>(&text(index)).ok();
        let types: Vec<String> = json(12)
            .and_then(|types| types.as_array().cloned())
            .unwrap_or_default()
            .iter()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect();
        let Some(kind) = CustomFieldType::from_value(&text(2)) else {
            continue;
        };
        let name = text(0);
        let label = match text(1) {
            label if label.is_empty() => name.clone(),
            label => label,
        };
        found.push((
            types,
            Definition {
                label,
                name,
                kind,
                description: text(3),
                required: flag(&row, 4),
                default: json(5).filter(|value| !value.is_null()),
                search_weight: super::sql::read_integer(&row, 6)?.unwrap_or_default(),
                related: Some(text(7)).filter(|key| !key.is_empty()),
                minimum: number(&row, 8),
                maximum: number(&row, 9),
                regex: Some(text(10))
                    .filter(|pattern| !pattern.is_empty())
                    .and_then(|pattern| regex::Regex::new(&pattern).ok()),
                choices: json(11)
                    .and_then(|choices| CustomFieldChoiceSet::choices(&choices).ok())
                    .unwrap_or_default(),
            },
        ));
    }
    Ok(found)
}

/// The values document of the row of `table` (an alias or quoted name): text when `as_text`
/// (read by the driver), else JSON (inside a JSON document); `{}` when it has none.
pub fn data_sql(schema: &ModelSchema, table: &str, backend: Backend, as_text: bool) -> String {
    let value = format!(
        "coalesce((SELECT \"data\" FROM {DATA} WHERE \"object_type\" = {} AND \"object_id\" = {table}.\"id\"), '{{}}')",
        literal(&schema.key())
    );
    match (backend, as_text) {
        (_, true) => value,
        (Backend::Sqlite, false) => format!("json({value})"),
        (Backend::Postgres, false) => format!("CAST({value} AS JSONB)"),
    }
}

/// One value of `definition` as given, checked and in canonical form (`null` for none).
fn value_of(definition: &Definition, value: &Value) -> Result<Value, String> {
    use CustomFieldType as T;
    let empty = match value {
        Value::Null => true,
        Value::String(text) => text.trim().is_empty(),
        Value::Array(items) => items.is_empty() && definition.kind != T::Json,
        _ => false,
    };
    if empty {
        return if definition.required {
            Err("This field is required.".into())
        } else {
            Ok(Value::Null)
        };
    }
    let text = || value.as_str().map(str::trim);
    let bounded = |number: f64| {
        if definition.minimum.is_some_and(|low| number < low) {
            return Err(format!(
                "Ensure this value is at least {}.",
                definition.minimum.unwrap_or_default()
            ));
        }
        if definition.maximum.is_some_and(|high| number > high) {
            return Err(format!(
                "Ensure this value is at most {}.",
                definition.maximum.unwrap_or_default()
            ));
        }
        Ok(())
    };
    let matches = |text: &str| match &definition.regex {
        Some(regex) if !regex.is_match(text) => {
            Err(format!("Values must match this regex: {}", regex.as_str()))
        }
        _ => Ok(()),
    };
    let choice = |given: &Value| match given.as_str() {
        Some(given) if definition.choices.iter().any(|(value, _)| value == given) => {
            Ok(Value::String(given.to_string()))
        }
        _ => Err(format!("{given} is not one of the available choices.")),
    };
    let id = |given: &Value| {
        given
            .as_i64()
            .or_else(|| given.as_str().and_then(|text| text.trim().parse().ok()))
            .or_else(|| given.get("id").and_then(Value::as_i64))
            .filter(|id| *id > 0)
            .map(Value::from)
            .ok_or_else(|| format!("{given} is not the id of an object."))
    };
    let list = |item: &dyn Fn(&Value) -> Result<Value, String>| -> Result<Value, String> {
        let items: Vec<Value> = match value {
            Value::Array(items) => items.clone(),
            Value::String(text) => text
                .split(',')
                .map(|part| Value::String(part.trim().to_string()))
                .collect(),
            other => vec![other.clone()],
        };
        if items.len() > LIST_MAX {
            return Err(format!("At most {LIST_MAX} items."));
        }
        let mut out: Vec<Value> = Vec::with_capacity(items.len());
        for item in items.iter().map(item) {
            let item = item?;
            if !out.contains(&item) {
                out.push(item);
            }
        }
        Ok(Value::Array(out))
    };
    match definition.kind {
        T::Text | T::LongText => {
            let most = if definition.kind == T::Text {
                TEXT_MAX
            } else {
                LONG_TEXT_MAX
            };
            let text = text().ok_or("Expected text.")?;
            if text.chars().count() > most {
                return Err(format!("Ensure this value has at most {most} characters."));
            }
            matches(text)?;
            Ok(Value::String(text.to_string()))
        }
        T::Integer => {
            let number = value
                .as_i64()
                .or_else(|| text().and_then(|text| text.parse().ok()))
                .ok_or("A whole number is required.")?;
            bounded(number as f64)?;
            Ok(Value::from(number))
        }
        T::Decimal => {
            let number = scalars::decimal(value, 15, 4)?;
            bounded(number.as_f64().unwrap_or_default())?;
            Ok(number)
        }
        T::Boolean => match value {
            Value::Bool(truth) => Ok(Value::Bool(*truth)),
            _ => match text().map(str::to_ascii_lowercase).as_deref() {
                Some("true" | "1" | "on" | "yes") => Ok(Value::Bool(true)),
                Some("false" | "0" | "off" | "no") => Ok(Value::Bool(false)),
                _ => Err("Must be true or false.".into()),
            },
        },
        T::Date => scalars::date(text().ok_or("Expected a date (YYYY-MM-DD).")?).map(Value::String),
        T::DateTime => scalars::date_time(text().ok_or("Expected a date and time (RFC 3339).")?)
            .map(Value::String),
        T::Url => {
            let text = text().ok_or("Expected a URL.")?;
            let valid = text.len() <= URL_MAX
                && url::Url::parse(text)
                    .is_ok_and(|url| url.has_host() || url.scheme() == "mailto");
            if !valid {
                return Err(format!(
                    "“{text}” is not a URL (e.g. https://example.com/)."
                ));
            }
            matches(text)?;
            Ok(Value::String(text.to_string()))
        }
        T::Json => {
            let document = match value {
                Value::String(text) => {
                    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.clone()))
                }
                other => other.clone(),
            };
            if document.to_string().len() > super::clean::JSON_MAX {
                return Err("The document is too long.".into());
            }
            Ok(document)
        }
        T::Select => choice(&match value {
            Value::String(text) => Value::String(text.trim().to_string()),
            other => other.clone(),
        }),
        T::MultiSelect => list(&choice),
        T::Object => id(value),
        T::MultiObject => list(&id),
    }
}

/// The values document an object gets from `given` (the input's `custom_fields`, if any) over
/// `current` (the object's document, for an update), each value checked: new objects get
/// each field's default, unknown names are refused. Messages name the field.
pub fn clean(
    definitions: &[Definition],
    given: Option<&Value>,
    current: Option<&Value>,
) -> Result<Map<String, Value>, Vec<String>> {
    let given = match given {
        None | Some(Value::Null) => None,
        Some(Value::Object(map)) => Some(map),
        Some(_) => return Err(vec!["Expected an object of custom field values.".into()]),
    };
    let mut errors = Vec::new();
    if let Some(given) = given {
        for name in given.keys() {
            if !definitions.iter().any(|d| d.name == *name) {
                errors.push(format!("{name}: there is no such custom field."));
            }
        }
    }
    let mut data = Map::new();
    for definition in definitions {
        let name = definition.name.as_str();
        let value = match (given.and_then(|g| g.get(name)), current) {
            (Some(value), _) => value.clone(),
            (None, Some(current)) => current.get(name).cloned().unwrap_or(Value::Null),
            (None, None) => definition.default.clone().unwrap_or(Value::Null),
        };
        match value_of(definition, &value) {
            Ok(Value::Null) => {}
            Ok(value) => {
                data.insert(name.to_string(), value);
            }
            Err(message) => errors.push(format!("{name}: {message}")),
        }
    }
    if errors.is_empty() {
        Ok(data)
    } else {
        Err(errors)
    }
}

/// Stores `data` as object `id`'s values (none: the row is removed).
pub(super) async fn save(
    connection: &mut Connection,
    backend: Backend,
    schema: &ModelSchema,
    id: i64,
    data: &Map<String, Value>,
) -> Result<(), sqlx::Error> {
    let key = schema.key();
    if data.is_empty() {
        let delete = Query::delete()
            .from_table(DATA)
            .and_where(Expr::col("object_type").eq(key.as_str()))
            .and_where(Expr::col("object_id").eq(id))
            .take();
        statement(backend, &delete)
            .execute(&mut *connection)
            .await?;
        return Ok(());
    }
    let document = Value::Object(data.clone()).to_string();
    let insert = Query::insert()
        .into_table(DATA)
        .columns(["object_type", "object_id", "data"])
        .values_panic([
            Expr::val(key.as_str()),
            Expr::val(id),
            Expr::val(document.as_str()),
        ])
        .on_conflict(
            OnConflict::columns(["object_type", "object_id"])
                .update_column("data")
                .to_owned(),
        )
        .take();
    statement(backend, &insert)
        .execute(&mut *connection)
        .await?;
    Ok(())
}
