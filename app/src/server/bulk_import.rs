//! Bulk import on every list page (`<list>import/`): CSV, JSON or YAML, pasted or read from a
//! file, all rows in one transaction or none, each problem named by its row. A row with an
//! `id` updates that object with the columns it gives; others create objects. References are
//! given by id, slug or name (`site = ams1`), tags as slugs (`tags = "core,edge"`), custom
//! fields as `cf_<name>` columns.

use super::objects::{PageResult, page_error, require, server_error, store};
use super::state::AppState;
use crate::engine::clean::FieldErrors;
use crate::engine::{BulkError, MountedModel, WriteError, custom_fields, tags};
use actix_web::{HttpRequest, Responder, web};
use askama::Template;
use netbox_framework::models::FieldKind;
use netbox_framework::page::Page;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The largest import, in bytes of text.
pub const IMPORT_MAX: usize = 32 * 1024 * 1024;
/// The most rows of one import.
pub const ROWS_MAX: usize = 50_000;

/// `import/` of a model's scope.
pub fn resource() -> actix_web::Resource {
    web::resource("/import/")
        .app_data(web::FormConfig::default().limit(IMPORT_MAX))
        .route(web::get().to(form))
        .route(web::post().to(submit))
        .default_service(web::to(super::errors::not_found))
}

#[derive(Template)]
#[template(path = "bulk_import.html")]
struct ImportTemplate {
    csrf: String,
    action: String,
    cancel: String,
    data: String,
    format: String,
    columns: Vec<(String, String)>,
    errors: Vec<String>,
    imported: Option<(usize, usize)>,
}

#[derive(serde::Deserialize)]
struct Submitted {
    data: String,
    #[serde(default)]
    format: String,
}

/// The columns an import of `model` takes, each with what it holds.
fn columns(model: &MountedModel) -> Vec<(String, String)> {
    let mut columns = vec![(
        "id".to_string(),
        "Updates the object with this id (leave out to create)".to_string(),
    )];
    for field in model.schema.fields {
        let what = match field.kind {
            FieldKind::ForeignKey { model } => format!("{} by id, slug or name", model),
            FieldKind::ManyToMany { model } => format!("{model} objects, comma-separated"),
            _ => field.label.to_string(),
        };
        let required = if field.required { " (required)" } else { "" };
        columns.push((field.name.to_string(), format!("{what}{required}")));
    }
    if tags::has_features(model.schema) {
        columns.push(("tags".into(), "Tag slugs, comma-separated".into()));
        columns.push(("cf_<name>".into(), "A custom field's value".into()));
    }
    columns
}

fn page(
    request: &HttpRequest,
    model: &MountedModel,
    template: ImportTemplate,
    status: actix_web::http::StatusCode,
) -> PageResult {
    Ok(Page::from_template(
        format!("Import {}", model.schema.verbose_name_plural.to_lowercase()),
        &template,
    )?
    .breadcrumb(model.schema.verbose_name_plural, Some(&model.ui_base))
    .status(status)
    .respond_to(request))
}

fn template(request: &HttpRequest, model: &MountedModel) -> ImportTemplate {
    ImportTemplate {
        csrf: super::security::context::csrf_input(request),
        action: format!("{}import/", model.ui_base),
        cancel: model.ui_base.clone(),
        data: String::new(),
        format: "auto".into(),
        columns: columns(model),
        errors: Vec::new(),
        imported: None,
    }
}

async fn form(request: HttpRequest, model: web::Data<MountedModel>) -> PageResult {
    require(&request, &model, "add")?;
    let template = template(&request, &model);
    page(&request, &model, template, actix_web::http::StatusCode::OK)
}

async fn submit(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
    form: web::Form<Submitted>,
) -> PageResult {
    // Creating needs `add`, updating by id `change`: the engine checks each row's; a user
    // with neither is refused before the data is read.
    if require(&request, &model, "add").is_err() {
        require(&request, &model, "change")?;
    }
    let Submitted { data, format } = form.into_inner();
    let mut shown = template(&request, &model);
    let outcome = match parse(&data, &format) {
        Ok(rows) => import(&request, &state, &model, rows).await?,
        Err(message) => Err(vec![message]),
    };
    let status = match outcome {
        Ok(counts) => {
            shown.imported = Some(counts);
            actix_web::http::StatusCode::OK
        }
        Err(errors) => {
            shown.errors = errors;
            shown.data = data;
            shown.format = format;
            actix_web::http::StatusCode::BAD_REQUEST
        }
    };
    page(&request, &model, shown, status)
}

/// The rows of `data` in `format` (`csv`, `json`, `yaml`, or `auto`: JSON when it starts with
/// `[` or `{`, YAML when with `---` or `- `, else CSV), each an object.
pub fn parse(data: &str, format: &str) -> Result<Vec<Map<String, Value>>, String> {
    let text = data.trim_start_matches('\u{feff}').trim();
    if text.is_empty() {
        return Err("Paste or choose the data to import.".into());
    }
    let format = match format {
        "csv" | "json" | "yaml" => format,
        _ if text.starts_with('[') || text.starts_with('{') => "json",
        _ if text.starts_with("---") || text.starts_with("- ") => "yaml",
        _ => "csv",
    };
    let value: Value = match format {
        "json" => serde_json::from_str(text).map_err(|e| format!("Not valid JSON: {e}"))?,
        "yaml" => serde_yaml_ng::from_str(text).map_err(|e| format!("Not valid YAML: {e}"))?,
        _ => return csv_rows(text),
    };
    let items = match value {
        Value::Array(items) => items,
        object @ Value::Object(_) => vec![object],
        _ => return Err("Expected a list of objects.".into()),
    };
    if items.len() > ROWS_MAX {
        return Err(format!("At most {ROWS_MAX} rows are imported at once."));
    }
    items
        .into_iter()
        .enumerate()
        .map(|(index, item)| match item {
            Value::Object(map) => Ok(map),
            _ => Err(format!("Row {}: expected an object.", index + 1)),
        })
        .collect()
}

/// CSV with a header row; empty cells are left out.
fn csv_rows(text: &str) -> Result<Vec<Map<String, Value>>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("The header row cannot be read: {e}"))?
        .iter()
        .map(str::to_string)
        .collect();
    if let Some(repeated) = headers
        .iter()
        .enumerate()
        .find(|(index, name)| headers[..*index].contains(name))
    {
        return Err(format!("The column “{}” is given twice.", repeated.1));
    }
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("Row {}: {e}", index + 1))?;
        if rows.len() == ROWS_MAX {
            return Err(format!("At most {ROWS_MAX} rows are imported at once."));
        }
        let row: Map<String, Value> = headers
            .iter()
            .zip(record.iter())
            .filter(|(_, value)| !value.is_empty())
            .map(|(name, value)| (name.clone(), Value::String(value.to_string())))
            .collect();
        rows.push(row);
    }
    Ok(rows)
}

/// The ids of the objects of `target` named by `names` (ids, slugs or display names).
type Resolved = HashMap<String, Option<i64>>;

/// Imports `rows` into `model`: `Ok((created, updated))`, or one message per problem, each
/// naming its row.
async fn import(
    request: &HttpRequest,
    state: &AppState,
    model: &MountedModel,
    rows: Vec<Map<String, Value>>,
) -> Result<Result<(usize, usize), Vec<String>>, actix_web::Error> {
    let mut errors = Vec::new();
    let mut items: Vec<(Option<i64>, Map<String, Value>)> = Vec::with_capacity(rows.len());
    let mut resolved: HashMap<&'static str, Resolved> = HashMap::new();
    for (index, row) in rows.into_iter().enumerate() {
        let mut id = None;
        let mut input = Map::new();
        let mut custom = Map::new();
        for (key, value) in row {
            if key == "id" {
                match crate::engine::clean::integer(&value) {
                    Some(given) if given > 0 => id = Some(given),
                    _ => errors.push(format!("Row {}: id: “{value}” is not an id.", index + 1)),
                }
            } else if let Some(name) = key.strip_prefix("cf_") {
                custom.insert(name.to_string(), value);
            } else {
                input.insert(key, value);
            }
        }
        if !custom.is_empty() {
            input.insert(custom_fields::KEY.into(), Value::Object(custom));
        }
        for field in model.schema.fields {
            let (FieldKind::ForeignKey { model: target } | FieldKind::ManyToMany { model: target }) =
                field.kind
            else {
                continue;
            };
            let Some(Value::String(text)) = input.get(field.name).cloned() else {
                continue;
            };
            let Some(target) = state.models.get(target) else {
                continue;
            };
            let names: Vec<&str> = match field.kind {
                FieldKind::ManyToMany { .. } => text.split(',').map(str::trim).collect(),
                _ => vec![text.trim()],
            };
            let known = resolved.entry(field.name).or_default();
            let mut ids = Vec::new();
            for name in names.into_iter().filter(|name| !name.is_empty()) {
                if !known.contains_key(name) {
                    let found = lookup(request, state, target, name).await?;
                    known.insert(name.to_string(), found);
                }
                match known.get(name).copied().flatten() {
                    Some(found) => ids.push(Value::from(found)),
                    None => errors.push(format!(
                        "Row {}: {}: there is no {} “{name}”.",
                        index + 1,
                        field.name,
                        target.schema.verbose_name.to_lowercase()
                    )),
                }
            }
            let value = match field.kind {
                FieldKind::ManyToMany { .. } => Value::Array(ids),
                _ => ids.pop().unwrap_or(Value::Null),
            };
            input.insert(field.name.to_string(), value);
        }
        items.push((id, input));
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let created = items.iter().filter(|(id, _)| id.is_none()).count();
    let updated = items.len() - created;
    match store(request, state, model).save_many(&items).await {
        Ok(_) => Ok(Ok((created, updated))),
        Err(BulkError::Invalid(per_row)) => Ok(Err(row_messages(&per_row))),
        Err(BulkError::Item { index, error }) => match error {
            WriteError::Invalid(found) => Ok(Err(row_messages(&[found])
                .into_iter()
                .map(|m| m.replacen("Row 1", &format!("Row {}", index + 1), 1))
                .collect())),
            WriteError::Database(error) => Err(server_error(error)),
            other => Ok(Err(vec![format!("Row {}: {other}", index + 1)])),
        },
        Err(BulkError::All(error)) => Err(page_error(error)),
    }
}

/// One message per problem of each invalid row.
fn row_messages(per_row: &[FieldErrors]) -> Vec<String> {
    per_row
        .iter()
        .enumerate()
        .flat_map(|(index, errors)| {
            errors.iter().flat_map(move |(field, messages)| {
                messages
                    .iter()
                    .map(move |message| format!("Row {}: {field}: {message}", index + 1))
            })
        })
        .collect()
}

/// The id of the object of `target` that `name` names: its slug, else its display name, else
/// its id (objects the user may view only).
async fn lookup(
    request: &HttpRequest,
    state: &AppState,
    target: &MountedModel,
    name: &str,
) -> Result<Option<i64>, actix_web::Error> {
    // A slug or name first, so that a numeric slug (`100`) is not taken for an id.
    let mut by = Vec::new();
    if target.schema.field("slug").is_some() {
        by.push("slug");
    }
    by.push(target.schema.display_field);
    if name.parse::<i64>().is_ok() {
        by.push("id");
    }
    for key in by {
        let query = crate::engine::ListQuery {
            filters: vec![(key.to_string(), name.to_string())],
            limit: 2,
            ..Default::default()
        };
        match store(request, state, target).list(&query).await {
            Ok((_, found)) if found.len() == 1 => {
                return Ok(found[0].get("id").and_then(Value::as_i64));
            }
            Ok(_) | Err(WriteError::Invalid(_)) => {}
            Err(WriteError::Forbidden(_)) => return Ok(None),
            Err(error) => return Err(server_error(error)),
        }
    }
    Ok(None)
}
