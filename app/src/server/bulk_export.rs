//! Export on every list page (`<list>export/`): the objects the list's filters select (`?q=`
//! and filters, as the list takes them), as CSV that the import takes back: `id`, the chosen
//! columns (`?columns=name,site`; every field by default), `tags` and `cf_<name>`.
//! References are written as the referenced object's slug where it has one, else its id.

use super::objects::{ListParams, PageResult, page_error, server_error, store};
use super::state::AppState;
use crate::engine::{ListQuery, MountedModel, Object, custom_fields, tags};
use actix_web::http::header::{
    CONTENT_DISPOSITION, ContentDisposition, DispositionParam, DispositionType,
};
use actix_web::{HttpRequest, HttpResponse, web};
use netbox_framework::models::{Field, FieldKind};
use serde_json::Value;
use std::collections::HashMap;

/// Objects read per statement.
const BATCH: i64 = 1000;

/// `export/` of a model's scope.
pub fn resource() -> actix_web::Resource {
    web::resource("/export/")
        .route(web::get().to(export))
        .default_service(web::to(super::errors::not_found))
}

/// A column of the export.
enum Column {
    Id,
    Field(&'static Field),
    Tags,
    /// A custom field, and whether it holds JSON documents (written as JSON).
    Custom(String, bool),
}

async fn export(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
    params: ListParams,
) -> PageResult {
    let params = params.without_empty();
    let schema = model.schema;
    let chosen = params.list_of("columns");
    let featured = tags::has_features(schema);
    let definitions = match featured {
        true => super::feature_forms::definitions(&state, schema).await?,
        false => Vec::new(),
    };
    let mut columns = vec![Column::Id];
    let wanted = |name: &str| chosen.is_empty() || chosen.iter().any(|c| c == name);
    for field in schema.fields.iter().filter(|f| wanted(f.name)) {
        columns.push(Column::Field(field));
    }
    if featured && wanted(tags::KEY) {
        columns.push(Column::Tags);
    }
    for definition in definitions
        .iter()
        .filter(|d| wanted(&format!("cf_{}", d.name)))
    {
        let json = definition.kind == netbox_framework::extras::CustomFieldType::Json;
        columns.push(Column::Custom(definition.name.clone(), json));
    }
    if let Some(unknown) = chosen.iter().find(|name| {
        !columns.iter().any(|column| header(column) == **name) && name.as_str() != "id"
    }) {
        return Err(page_error(crate::engine::WriteError::Invalid(
            [(
                "columns".to_string(),
                vec![format!("“{unknown}” is not a column of the export.")],
            )]
            .into_iter()
            .collect(),
        )));
    }
    // Every object the filters select, by id in batches.
    let base = params.query();
    let mut objects: Vec<Object> = Vec::new();
    let mut start = 1;
    loop {
        let query = ListQuery {
            start: Some(start),
            limit: BATCH,
            offset: 0,
            ordering: Vec::new(),
            ..base.clone()
        };
        let (_, page) = store(&request, &state, &model)
            .list(&query)
            .await
            .map_err(page_error)?;
        let last = page
            .last()
            .and_then(|o| o.get("id"))
            .and_then(Value::as_i64);
        let full = page.len() as i64 == BATCH;
        objects.extend(page);
        match last {
            Some(last) if full => start = last + 1,
            _ => break,
        }
    }
    let names = reference_names(&request, &state, &model, &columns, &objects).await?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let headers: Vec<String> = columns.iter().map(header).collect();
    writer.write_record(&headers).map_err(server_error)?;
    for object in &objects {
        let record: Vec<String> = columns
            .iter()
            .map(|column| cell(column, object, &names))
            .collect();
        writer.write_record(&record).map_err(server_error)?;
    }
    let body = writer.into_inner().map_err(server_error)?;
    let file = format!("{}.csv", schema.url_segment);
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            CONTENT_DISPOSITION,
            ContentDisposition {
                disposition: DispositionType::Attachment,
                parameters: vec![DispositionParam::Filename(file)],
            },
        ))
        .body(body))
}

fn header(column: &Column) -> String {
    match column {
        Column::Id => "id".into(),
        Column::Field(field) => field.name.into(),
        Column::Tags => tags::KEY.into(),
        Column::Custom(name, _) => format!("cf_{name}"),
    }
}

/// How references are written: by referenced model key, id → slug (models with slugs only).
type Names = HashMap<String, HashMap<i64, String>>;

async fn reference_names(
    request: &HttpRequest,
    state: &AppState,
    model: &MountedModel,
    columns: &[Column],
    objects: &[Object],
) -> Result<Names, actix_web::Error> {
    let mut names = Names::new();
    for column in columns {
        let (key, target) = match column {
            Column::Field(field) => match field.kind {
                FieldKind::ForeignKey { model } | FieldKind::ManyToMany { model } => {
                    (field.name, model)
                }
                _ => continue,
            },
            Column::Tags => (tags::KEY, "extras.tag"),
            _ => continue,
        };
        let Some(target) = state.models.get(target) else {
            continue;
        };
        let Some(slug) = target.schema.field("slug") else {
            continue;
        };
        let ids: Vec<i64> = objects
            .iter()
            .filter_map(|object| object.get(key))
            .flat_map(|value| match value {
                Value::Array(items) => items.iter().filter_map(Value::as_i64).collect(),
                other => other.as_i64().into_iter().collect::<Vec<_>>(),
            })
            .collect();
        let briefs = store(request, state, model)
            .briefs(target, &[slug], &ids)
            .await
            .map_err(server_error)?;
        let slugs = briefs
            .into_iter()
            .filter_map(|(id, values)| Some((id, values.get("slug")?.as_str()?.to_string())))
            .collect();
        names.insert(target.schema.key(), slugs);
    }
    Ok(names)
}

fn reference(names: &Names, target: &str, value: &Value) -> String {
    let id = value.as_i64().unwrap_or_default();
    names
        .get(target)
        .and_then(|slugs| slugs.get(&id))
        .cloned()
        .unwrap_or_else(|| id.to_string())
}

fn text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            items.iter().map(text).collect::<Vec<_>>().join(",")
        }
        other => other.to_string(),
    }
}

fn cell(column: &Column, object: &Object, names: &Names) -> String {
    match column {
        Column::Id => text(object.get("id").unwrap_or(&Value::Null)),
        Column::Field(field) => {
            let value = object.get(field.name).unwrap_or(&Value::Null);
            match (field.kind, value) {
                (_, Value::Null) => String::new(),
                (FieldKind::ForeignKey { model }, value) => reference(names, model, value),
                (FieldKind::ManyToMany { model }, Value::Array(items)) => items
                    .iter()
                    .map(|item| reference(names, model, item))
                    .collect::<Vec<_>>()
                    .join(","),
                (FieldKind::Json, value) => value.to_string(),
                (_, value) => text(value),
            }
        }
        Column::Tags => match object.get(tags::KEY) {
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| reference(names, "extras.tag", item))
                .collect::<Vec<_>>()
                .join(","),
            _ => String::new(),
        },
        Column::Custom(name, json) => match object
            .get(custom_fields::KEY)
            .and_then(|data| data.get(name))
        {
            None | Some(Value::Null) => String::new(),
            Some(value) if *json => value.to_string(),
            Some(value) => text(value),
        },
    }
}
