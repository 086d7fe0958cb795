//! How the REST API shows objects, as NetBox's serializers do: `id`, `url`, `display_url`,
//! `display`, every field (choices as `{value, label}`, references as nested brief objects
//! `{id, url, display_url, display, name/slug...}`), `created`, `last_updated`; and the
//! shapes a client may ask for: `?brief=true` (the brief fields only), `?fields=a,b` (just
//! these), `?omit=a,b` (all but these). `fields` wins over `omit`, which wins over `brief`.
//! The brief form is `id`, `url`, `display_url`, `display` and the brief fields.

use super::api_error::ApiError;
use super::objects::{ListParams, store};
use super::state::AppState;
use super::urls::absolute;
use crate::engine::custom_fields::{self, Definition};
use crate::engine::tags::{self, has_features};
use crate::engine::{MountedModel, Object};
use actix_web::HttpRequest;
use netbox_framework::models::{Field, FieldKind, ModelSchema};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;

/// The keys every object has besides its fields.
const FIXED: &[&str] = &[
    "id",
    "url",
    "display_url",
    "display",
    "created",
    "last_updated",
];

/// The keys of tags and custom-field values, which every model but the extras' own has.
const FEATURES: &[&str] = &[tags::KEY, custom_fields::KEY];

/// The fields of `schema` that its brief form shows (besides `id`, `url`, `display`): the
/// display field, `name`, `slug` and `description` where the model has them.
pub fn brief_fields(schema: &'static ModelSchema) -> Vec<&'static Field> {
    let mut fields: Vec<&'static Field> = Vec::new();
    for name in [schema.display_field, "name", "slug", "description"] {
        if let Some(field) = schema.field(name)
            && !fields.iter().any(|f| f.name == field.name)
        {
            fields.push(field);
        }
    }
    fields
}

/// Which keys of each object the client asked for.
#[derive(Debug, Default)]
pub struct Shape {
    brief: bool,
    fields: Option<Vec<String>>,
    omit: Vec<String>,
}

impl Shape {
    /// Reads `brief`, `fields` and `omit`; a key the model does not have is a 400 naming it.
    pub fn of(params: &ListParams, schema: &'static ModelSchema) -> Result<Self, ApiError> {
        let fields = params.list_of("fields");
        let omit = params.list_of("omit");
        for (parameter, names) in [("fields", &fields), ("omit", &omit)] {
            let feature = |name: &str| has_features(schema) && FEATURES.contains(&name);
            if let Some(unknown) = names.iter().find(|name| {
                !FIXED.contains(&name.as_str()) && schema.field(name).is_none() && !feature(name)
            }) {
                return Err(ApiError::bad_request(format!(
                    "`{parameter}`: {} have no field “{unknown}”.",
                    schema.verbose_name_plural.to_lowercase()
                )));
            }
        }
        let brief = params.pairs.iter().any(|(key, value)| {
            key == "brief" && !value.is_empty() && value != "false" && value != "0"
        });
        Ok(Shape {
            brief,
            fields: (!fields.is_empty()).then_some(fields),
            omit,
        })
    }

    /// Whether the key `name` is shown.
    fn shows(&self, schema: &'static ModelSchema, name: &str) -> bool {
        if let Some(fields) = &self.fields {
            return fields.iter().any(|field| field == name);
        }
        if self.omit.iter().any(|field| field == name) {
            return false;
        }
        if self.brief {
            return matches!(name, "id" | "url" | "display_url" | "display")
                || brief_fields(schema).iter().any(|field| field.name == name);
        }
        true
    }
}

/// A value of a shown object: plain JSON, or a nested object shared by every object that
/// refers to it.
pub enum Item {
    /// A value.
    Value(Value),
    /// A referenced object's brief form.
    Nested(Arc<Shown>),
    /// A choice: `{"value": ..., "label": ...}`, written from the schema's strings.
    Choice(&'static str, &'static str),
    /// An object's URL: its model's prefix, then its id and `/`.
    Link(Arc<str>, i64),
    /// Items of a list (a many-to-many field's referenced objects).
    List(Vec<Item>),
}

impl Serialize for Item {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Item::Value(value) => value.serialize(serializer),
            Item::Nested(shown) => shown.serialize(serializer),
            Item::Link(prefix, id) => serializer.collect_str(&format_args!("{prefix}{id}/")),
            Item::List(items) => serializer.collect_seq(items),
            Item::Choice(value, label) => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("value", value)?;
                map.serialize_entry("label", label)?;
                map.end()
            }
        }
    }
}

/// An object as the API shows it: its keys in NetBox's order (id, url, display_url, display,
/// the fields, created, last_updated), written without building a map.
pub struct Shown(Vec<(&'static str, Item)>);

impl Shown {
    fn push(&mut self, key: &'static str, value: Value) {
        self.0.push((key, Item::Value(value)));
    }
}

impl Serialize for Shown {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// The shape asked for by a request to a model's API (the model from the scope's app data).
impl actix_web::FromRequest for Shape {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(request: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let shape = match request.app_data::<actix_web::web::Data<MountedModel>>() {
            Some(model) => ListParams::of(request).and_then(|p| Shape::of(&p, model.schema)),
            None => Err(ApiError::internal("a shape asked outside a model's API")),
        };
        std::future::ready(shape)
    }
}

/// An object's values in [`crate::engine::sql::select_list`] order: `id`, the fields,
/// `created`, `last_updated` (what [`crate::engine::Store::list_rows`] reads).
pub type Row = Vec<Value>;

/// The row of an object.
pub fn row_of(schema: &ModelSchema, mut object: Object) -> Row {
    let mut row = Vec::with_capacity(schema.fields.len() + 3);
    row.push(object.remove("id").unwrap_or(Value::Null));
    for field in schema.fields {
        row.push(object.remove(field.name).unwrap_or(Value::Null));
    }
    row.push(object.remove("created").unwrap_or(Value::Null));
    row.push(object.remove("last_updated").unwrap_or(Value::Null));
    if has_features(schema) {
        row.push(object.remove(tags::KEY).unwrap_or(Value::Null));
        row.push(object.remove(custom_fields::KEY).unwrap_or(Value::Null));
    }
    row
}

/// The nested form of referenced objects, by foreign-key field then id.
type Nested = HashMap<&'static str, HashMap<i64, Arc<Shown>>>;

/// The nested objects every foreign key of `objects` refers to (one query per foreign key).
async fn nested(
    request: &HttpRequest,
    state: &AppState,
    store: &crate::engine::Store<'_>,
    model: &MountedModel,
    rows: &[Row],
    shape: &Shape,
) -> Result<Nested, ApiError> {
    let mut found = Nested::new();
    // (key, position in the row, the model referred to)
    let mut sources: Vec<(&'static str, usize, &str)> = Vec::new();
    for (index, field) in model.schema.fields.iter().enumerate() {
        if let FieldKind::ForeignKey { model: target } | FieldKind::ManyToMany { model: target } =
            field.kind
        {
            sources.push((field.name, index + 1, target));
        }
    }
    if has_features(model.schema) {
        sources.push((tags::KEY, model.schema.fields.len() + 3, "extras.tag"));
    }
    for (key, index, target) in sources {
        let Some(target) = state.models.get(target) else {
            continue;
        };
        if !shape.shows(model.schema, key) {
            continue;
        }
        let mut ids: Vec<i64> = Vec::new();
        for value in rows.iter().filter_map(|row| row.get(index)) {
            match value {
                Value::Array(items) => ids.extend(items.iter().filter_map(Value::as_i64)),
                value => ids.extend(value.as_i64()),
            }
        }
        ids.sort_unstable();
        ids.dedup();
        let mut columns = brief_fields(target.schema);
        // A tag's colour, as NetBox's nested tags have it.
        columns.extend(target.schema.field("color"));
        let briefs = store.briefs(target, &columns, &ids).await?;
        let urls = Urls::of(request, target);
        let shown = briefs
            .into_iter()
            .map(|(id, mut values)| {
                let mut out = urls.head(id, true, columns.len());
                out.push(
                    "display",
                    display_value(values.get(target.schema.display_field)),
                );
                for field in &columns {
                    out.push(field.name, values.remove(field.name).unwrap_or(Value::Null));
                }
                (id, Arc::new(out))
            })
            .collect();
        found.insert(key, shown);
    }
    Ok(found)
}

/// A model's absolute API and page URL prefixes for one request (`http://host/api/dcim/sites/`,
/// `http://host/dcim/sites/`), made once per answer: an object's URL is written from its prefix
/// and id when the answer is (no string per object).
struct Urls {
    api: Arc<str>,
    ui: Arc<str>,
}

impl Urls {
    fn of(request: &HttpRequest, model: &MountedModel) -> Self {
        Urls {
            api: Arc::from(absolute(request, &model.api_base)),
            ui: Arc::from(absolute(request, &model.ui_base)),
        }
    }

    /// `id`, `url` and (unless the shape hides it) `display_url`; `fields` is a capacity hint.
    fn head(&self, id: i64, display_url: bool, fields: usize) -> Shown {
        let mut out = Shown(Vec::with_capacity(fields + 6));
        out.push("id", Value::from(id));
        out.0.push(("url", Item::Link(self.api.clone(), id)));
        if display_url {
            out.0.push(("display_url", Item::Link(self.ui.clone(), id)));
        }
        out
    }
}

/// The `display` of an object: its display field as text.
fn display_value(value: Option<&Value>) -> Value {
    match value {
        Some(Value::String(text)) => Value::String(text.clone()),
        Some(Value::Number(number)) => Value::String(number.to_string()),
        _ => Value::String(String::new()),
    }
}

/// Objects as the API shows them, in `shape`.
pub async fn represent(
    request: &HttpRequest,
    state: &AppState,
    model: &MountedModel,
    rows: Vec<Row>,
    shape: &Shape,
) -> Result<Vec<Shown>, ApiError> {
    let schema = model.schema;
    let urls = Urls::of(request, model);
    let store = store(request, state, model);
    let nested = nested(request, state, &store, model, &rows, shape).await?;
    let definitions = match has_features(schema) && shape.shows(schema, custom_fields::KEY) {
        true => custom_fields::cached(&state.database, &schema.key())
            .await
            .map_err(|error| ApiError::internal(error.to_string()))?,
        false => Vec::new(),
    };
    let data_at = schema.fields.len() + 4;
    let briefs = super::custom_field_values::referenced(
        request,
        state,
        model,
        &definitions,
        rows.iter().filter_map(|row| row.get(data_at)),
    )
    .await?;
    let display_at = schema
        .fields
        .iter()
        .position(|field| field.name == schema.display_field)
        .map(|position| position + 1);
    let shows = |name: &str| shape.shows(schema, name);
    let (show_id, show_url, show_display) = (shows("id"), shows("url"), shows("display"));
    let show_display_url = shows("display_url");
    Ok(rows
        .into_iter()
        .map(|row| {
            let id = row.first().and_then(Value::as_i64).unwrap_or_default();
            let mut out = urls.head(id, show_display_url, schema.fields.len());
            if !show_id || !show_url {
                out.0
                    .retain(|(key, _)| (*key != "id" || show_id) && (*key != "url" || show_url));
            }
            if show_display {
                out.push(
                    "display",
                    display_value(display_at.and_then(|at| row.get(at))),
                );
            }
            let mut values = row.into_iter().skip(1);
            for field in schema.fields {
                let value = values.next().unwrap_or(Value::Null);
                if shows(field.name) {
                    out.0.push((field.name, shown(field, value, &nested)));
                }
            }
            for stamp in ["created", "last_updated"] {
                let value = values.next().unwrap_or(Value::Null);
                if shows(stamp) && !shape.brief {
                    out.push(stamp, value);
                }
            }
            if has_features(schema) {
                features(&mut out, values, &nested, (&definitions, &briefs), &|key| {
                    shows(key) && !shape.brief
                });
            }
            out
        })
        .collect())
}

/// An object's tags (nested) and custom-field values, after its fields.
fn features(
    out: &mut Shown,
    mut values: impl Iterator<Item = Value>,
    nested: &Nested,
    (definitions, briefs): (&[Definition], &super::custom_field_values::Briefs),
    shows: &dyn Fn(&str) -> bool,
) {
    let tags = values.next().unwrap_or(Value::Null);
    if shows(tags::KEY) {
        let by_id = nested.get(tags::KEY);
        let items = tags
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(Value::as_i64)
            .map(|id| match by_id.and_then(|by_id| by_id.get(&id)) {
                Some(brief) => Item::Nested(brief.clone()),
                None => Item::Value(json!({ "id": id })),
            })
            .collect();
        out.0.push((tags::KEY, Item::List(items)));
    }
    let data = values.next().unwrap_or(Value::Null);
    if shows(custom_fields::KEY) {
        out.push(
            custom_fields::KEY,
            super::custom_field_values::shown(definitions, &data, briefs),
        );
    }
}

/// A field's value as the API shows it.
fn shown(field: &'static Field, value: Value, nested: &Nested) -> Item {
    Item::Value(match field.kind {
        FieldKind::Choice(choices) => match value.as_str().filter(|v| !v.is_empty()) {
            Some(current) => match choices.iter().find(|(v, _)| *v == current) {
                Some((value, label)) => return Item::Choice(value, label),
                // A stored value that is no longer a choice: shown as it is, without label.
                None => json!({ "value": current, "label": null }),
            },
            None => Value::Null,
        },
        FieldKind::ManyToMany { .. } => {
            let ids = value.as_array().map(Vec::as_slice).unwrap_or_default();
            let by_id = nested.get(field.name);
            return Item::List(
                ids.iter()
                    .filter_map(Value::as_i64)
                    .map(|id| match by_id.and_then(|by_id| by_id.get(&id)) {
                        Some(brief) => Item::Nested(brief.clone()),
                        None => Item::Value(json!({ "id": id })),
                    })
                    .collect(),
            );
        }
        FieldKind::ForeignKey { .. } => match value.as_i64() {
            Some(id) => match nested.get(field.name).and_then(|by_id| by_id.get(&id)) {
                Some(brief) => return Item::Nested(brief.clone()),
                None => json!({ "id": id }),
            },
            None => Value::Null,
        },
        _ => value,
    })
}
