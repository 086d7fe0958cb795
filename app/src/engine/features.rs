//! What every object gets besides its fields, in a write: its tags ([`super::tags`]) and its
//! custom-field values ([`super::custom_fields`]), cleaned from the input inside the write's
//! transaction, then stored with the object.

use super::Object;
use super::clean::{FieldErrors, add_error};
use super::custom_fields::{self, Definition};
use super::registry::ModelRegistry;
use super::tags;
use super::write::Connection;
use netbox_framework::extras::CustomFieldType;
use netbox_framework::migrations::Backend;
use netbox_framework::models::ModelSchema;
use sea_query::{Expr, ExprTrait, Query};
use serde_json::{Map, Value};

/// The tags and custom-field values a write stores (`None`: left as they are).
#[derive(Debug, Default)]
pub(super) struct Extras {
    tags: Option<Vec<i64>>,
    data: Option<Map<String, Value>>,
}

/// Cleans the input's `tags` and `custom_fields` for an object of `schema` (`current`: the
/// object before an update), adding what is wrong to `errors`, and puts them into `values`
/// (the object's values as they will be); a custom field's definition is checked too. A new
/// object gets its custom fields' defaults; an update changes what the input gives.
#[allow(clippy::too_many_arguments)]
pub(super) async fn prepare(
    connection: &mut Connection,
    backend: Backend,
    models: &ModelRegistry,
    schema: &ModelSchema,
    input: &Map<String, Value>,
    current: Option<&Object>,
    values: &mut Object,
    errors: &mut FieldErrors,
) -> Result<Extras, sqlx::Error> {
    let mut extras = Extras::default();
    if tags::has_features(schema) {
        if let Some(given) = input.get(tags::KEY) {
            match tags::resolve(connection, backend, given).await? {
                Ok(ids) => extras.tags = Some(ids),
                Err(message) => add_error(errors, tags::KEY, message),
            }
        }
        let given = input.get(custom_fields::KEY);
        let before = current.map(|object| object.get(custom_fields::KEY));
        extras.data = custom_values(
            connection,
            backend,
            models,
            &schema.key(),
            given,
            before,
            errors,
        )
        .await?;
    }
    extras.apply(values);
    check_definition(models, schema, values, errors);
    Ok(extras)
}

/// The custom-field values an object gets: `given` (the input's) over `before` (for an
/// update: `Some` with the object's document), `None` when an update gives none.
async fn custom_values(
    connection: &mut Connection,
    backend: Backend,
    models: &ModelRegistry,
    key: &str,
    given: Option<&Value>,
    before: Option<Option<&Value>>,
    errors: &mut FieldErrors,
) -> Result<Option<Map<String, Value>>, sqlx::Error> {
    if before.is_some() && given.is_none() {
        return Ok(None);
    }
    let definitions = custom_fields::definitions(&mut *connection, backend, key).await?;
    if definitions.is_empty() && given.is_none() {
        return Ok(None);
    }
    match custom_fields::clean(&definitions, given, before.flatten()) {
        Ok(data) => {
            for message in references(connection, backend, models, &definitions, &data).await? {
                add_error(errors, custom_fields::KEY, message);
            }
            Ok(Some(data))
        }
        Err(messages) => {
            for message in messages {
                add_error(errors, custom_fields::KEY, message);
            }
            Ok(None)
        }
    }
}

/// What is wrong with the objects that object custom fields refer to: a missing one is named.
async fn references(
    connection: &mut Connection,
    backend: Backend,
    models: &ModelRegistry,
    definitions: &[Definition],
    data: &Map<String, Value>,
) -> Result<Vec<String>, sqlx::Error> {
    let mut messages = Vec::new();
    for definition in definitions {
        if !matches!(
            definition.kind,
            CustomFieldType::Object | CustomFieldType::MultiObject
        ) {
            continue;
        }
        let ids: Vec<i64> = match data.get(&definition.name) {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_i64).collect(),
            Some(value) => value.as_i64().into_iter().collect(),
            None => continue,
        };
        let related = definition
            .related
            .as_deref()
            .and_then(|key| models.get(key));
        let Some(related) = related else {
            messages.push(format!(
                "{}: refers to objects of a model that is not served.",
                definition.name
            ));
            continue;
        };
        let select = Query::select()
            .column("id")
            .from(related.schema.table)
            .and_where(Expr::col("id").is_in(ids.iter().copied()))
            .take();
        let found: Vec<i64> = super::sql::statement(backend, &select)
            .fetch_all(&mut *connection)
            .await?
            .iter()
            .filter_map(|row| super::sql::read_integer(row, 0).ok().flatten())
            .collect();
        if let Some(missing) = ids.iter().find(|id| !found.contains(id)) {
            messages.push(format!(
                "{}: there is no {} with id {missing}.",
                definition.name,
                related.schema.verbose_name.to_lowercase()
            ));
        }
    }
    Ok(messages)
}

impl Extras {
    /// Puts what the write stores into `values` (as receivers and the model's `clean` see it).
    fn apply(&self, values: &mut Object) {
        if let Some(ids) = &self.tags {
            values.insert(tags::KEY.into(), Value::from(ids.clone()));
        }
        if let Some(data) = &self.data {
            values.insert(custom_fields::KEY.into(), Value::Object(data.clone()));
        }
    }

    /// Stores what lives beside object `id`'s row, `values` as it is written over `before`
    /// (an update's): its many-to-many links, tags and custom-field values, and for a custom
    /// field's definition, objects' values under its new name.
    pub(super) async fn save(
        &self,
        connection: &mut Connection,
        backend: Backend,
        schema: &ModelSchema,
        id: i64,
        before: Option<&Object>,
        values: &Object,
    ) -> Result<(), sqlx::Error> {
        super::links::save(connection, backend, schema, id, before, values).await?;
        if before.is_some() {
            definition_written(connection, backend, schema, before, Some(values)).await?;
        }
        if let Some(ids) = &self.tags {
            tags::save(connection, backend, schema, id, ids).await?;
        }
        if let Some(data) = &self.data {
            custom_fields::save(connection, backend, schema, id, data).await?;
        }
        Ok(())
    }
}

/// Removes the tags and values of deleted object `id`.
pub(super) async fn forget(
    connection: &mut Connection,
    backend: Backend,
    schema: &ModelSchema,
    id: i64,
) -> Result<(), sqlx::Error> {
    if !tags::has_features(schema) {
        return Ok(());
    }
    let key = schema.key();
    for table in [tags::TAGGED, custom_fields::DATA] {
        let delete = Query::delete()
            .from_table(table)
            .and_where(Expr::col("object_type").eq(key.as_str()))
            .and_where(Expr::col("object_id").eq(id))
            .take();
        super::sql::statement(backend, &delete)
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

/// The checks of a custom field's definition that need the host: the models it names are
/// served, its regex compiles, its default is a value of its type.
fn check_definition(
    models: &ModelRegistry,
    schema: &ModelSchema,
    values: &Object,
    errors: &mut FieldErrors,
) {
    if schema.key() != "extras.customfield" {
        return;
    }
    let known = |key: &str| {
        models
            .get(key)
            .is_some_and(|model| tags::has_features(model.schema))
    };
    match values.get("object_types").and_then(Value::as_array) {
        Some(types) if !types.is_empty() => {
            for item in types {
                match item.as_str() {
                    Some(key) if known(key) => {}
                    _ => add_error(
                        errors,
                        "object_types",
                        format!(
                            "{item} is not a model that has custom fields (e.g. \"dcim.site\")."
                        ),
                    ),
                }
            }
        }
        _ => add_error(
            errors,
            "object_types",
            "Give a list of model keys, e.g. [\"dcim.site\"].",
        ),
    }
    let text = |name: &str| values.get(name).and_then(Value::as_str).unwrap_or("");
    let related = text("related_object_type");
    if !related.is_empty() && models.get(related).is_none() {
        add_error(
            errors,
            "related_object_type",
            format!("“{related}” is not a model (e.g. dcim.device)."),
        );
    }
    let pattern = text("validation_regex");
    if let Err(error) = regex::Regex::new(pattern) {
        add_error(
            errors,
            "validation_regex",
            format!("Not a regular expression: {error}"),
        );
    }
    let kind = netbox_framework::models::Choices::from_value(text("type"));
    if let (Some(kind), Some(default)) = (kind, values.get("default").filter(|v| !v.is_null())) {
        let definition = Definition {
            name: text("name").to_string(),
            label: String::new(),
            kind,
            description: String::new(),
            required: false,
            default: None,
            search_weight: 0,
            related: None,
            minimum: None,
            maximum: None,
            regex: regex::Regex::new(pattern)
                .ok()
                .filter(|_| !pattern.is_empty()),
            choices: Vec::new(),
        };
        let checked = match kind {
            // Choices are the choice set's, checked when objects get the default.
            CustomFieldType::Select | CustomFieldType::MultiSelect => Ok(()),
            _ => custom_fields::clean(
                std::slice::from_ref(&definition),
                Some(&serde_json::json!({ definition.name.clone(): default })),
                None,
            )
            .map(|_| ())
            .map_err(|messages| messages.join(" ")),
        };
        if let Err(message) = checked {
            add_error(errors, "default", message);
        }
    }
}

/// Keeps objects' values in step with a custom field's definition, in the write's
/// transaction: a renamed field's values move to the new name; a deleted field's values go.
pub(super) async fn definition_written(
    connection: &mut Connection,
    backend: Backend,
    schema: &ModelSchema,
    before: Option<&Object>,
    after: Option<&Object>,
) -> Result<(), sqlx::Error> {
    if schema.key() != "extras.customfield" {
        return Ok(());
    }
    let name = |object: Option<&Object>| {
        object
            .and_then(|o| o.get("name"))
            .and_then(Value::as_str)
            .filter(|name| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .map(str::to_string)
    };
    let (Some(old), new) = (name(before), name(after)) else {
        return Ok(());
    };
    if new.as_deref() == Some(old.as_str()) {
        return Ok(());
    }
    let data = custom_fields::DATA;
    let sql = match (backend, new) {
        (Backend::Sqlite, Some(new)) => format!(
            "UPDATE {data} SET data = json_remove(json_set(data, '$.\"{new}\"', data -> '$.\"{old}\"'), '$.\"{old}\"') \
             WHERE json_type(data, '$.\"{old}\"') IS NOT NULL"
        ),
        (Backend::Sqlite, None) => format!(
            "UPDATE {data} SET data = json_remove(data, '$.\"{old}\"') WHERE json_type(data, '$.\"{old}\"') IS NOT NULL"
        ),
        (Backend::Postgres, Some(new)) => format!(
            "UPDATE {data} SET data = CAST((CAST(data AS JSONB) - '{old}') || jsonb_build_object('{new}', CAST(data AS JSONB) -> '{old}') AS TEXT) \
             WHERE jsonb_exists(CAST(data AS JSONB), '{old}')"
        ),
        (Backend::Postgres, None) => format!(
            "UPDATE {data} SET data = CAST(CAST(data AS JSONB) - '{old}' AS TEXT) WHERE jsonb_exists(CAST(data AS JSONB), '{old}')"
        ),
    };
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(&mut *connection)
        .await?;
    Ok(())
}

/// After a commit that wrote objects of model `key`: what reads keep of the extras forgets
/// what changed (custom-field definitions, the tag list).
pub(super) fn committed(key: &str) {
    match key {
        "extras.customfield" | "extras.customfieldchoiceset" => custom_fields::changed(),
        "extras.tag" => super::store::slugs_changed(),
        _ => {}
    }
}
