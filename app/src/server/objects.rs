//! What every page about objects needs: the model's store for a request, loading one object
//! (or its 404 page), and objects turned into table cells and rows with their references'
//! display names and links.

use super::actor::RequestActor;
use super::api_error::ApiError;
use super::errors::error_response;
use super::pagination::{PARAMETERS, PageSize, Pagination};
use super::state::AppState;
use crate::engine::{ListQuery, MountedModel, Object, Store, WriteError};
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use netbox_framework::models::{FieldKind, ModelSchema};
use serde_json::Value;
use std::collections::HashMap;
use std::future::{Ready, ready};

/// The longest value of a query parameter (`q`, a filter).
pub const VALUE_MAX: usize = 1000;
/// The most query parameters a list request may carry.
pub const PARAMETERS_MAX: usize = 100;

/// A bounded number of query parameters, each one line of bounded text.
fn check_parameters(pairs: &[(String, String)]) -> Result<(), ApiError> {
    if pairs.len() > PARAMETERS_MAX {
        return Err(ApiError::bad_request(format!(
            "At most {PARAMETERS_MAX} query parameters (filters, search, page) per request."
        )));
    }
    for (key, value) in pairs {
        if value.chars().count() > VALUE_MAX {
            return Err(ApiError::bad_request(format!(
                "`{key}`: at most {VALUE_MAX} characters."
            )));
        }
        if key.chars().chain(value.chars()).any(char::is_control) {
            return Err(ApiError::bad_request(format!(
                "`{key}`: control characters (such as NUL) are not allowed."
            )));
        }
    }
    Ok(())
}

/// What page handlers return.
pub type PageResult = Result<HttpResponse, actix_web::Error>;

/// A server error for a page: logged, shown as the 500 page.
pub fn server_error(error: impl std::fmt::Display) -> actix_web::Error {
    tracing::error!(%error, "model page failed");
    actix_web::error::ErrorInternalServerError(error.to_string())
}

/// The store of `model` as the user of `request` sees it.
pub fn store<'a>(request: &HttpRequest, state: &'a AppState, model: &'a MountedModel) -> Store<'a> {
    Store::new(
        &state.database,
        &state.models,
        model,
        RequestActor::of(request),
    )
}

/// One object, or `None` when no object the user may view has that id.
pub async fn load(
    request: &HttpRequest,
    state: &AppState,
    model: &MountedModel,
    id: i64,
) -> Result<Option<Object>, actix_web::Error> {
    store(request, state, model)
        .get(id)
        .await
        .map_err(page_error)
}

/// Whether the user of `request` may do `action` on (some) objects of `model`.
pub fn may(request: &HttpRequest, model: &MountedModel, action: &str) -> bool {
    super::security::context::grants(request).allows(&model.schema.key(), action)
}

/// `Ok` when the user of `request` may do `action` on `model`, else the 403 page's error.
pub fn require(
    request: &HttpRequest,
    model: &MountedModel,
    action: &str,
) -> Result<(), actix_web::Error> {
    if may(request, model, action) {
        Ok(())
    } else {
        Err(actix_web::error::ErrorForbidden(format!(
            "You do not have permission to {action} {}.",
            model.schema.verbose_name_plural.to_lowercase()
        )))
    }
}

/// A failed read or write of a page: 403 when refused, else a server error.
pub fn page_error(error: WriteError) -> actix_web::Error {
    match error {
        WriteError::Forbidden(message) => actix_web::error::ErrorForbidden(message),
        WriteError::Database(error) if crate::db::is_busy(&error) => {
            tracing::warn!(%error, "database busy");
            actix_web::error::ErrorServiceUnavailable(super::api_error::BUSY)
        }
        other => server_error(other),
    }
}

/// The 404 page of a missing object.
pub fn not_found(request: &HttpRequest, model: &MountedModel, id: i64) -> HttpResponse {
    error_response(
        request,
        StatusCode::NOT_FOUND,
        &format!(
            "There is no {} with ID {id}.",
            model.schema.verbose_name.to_lowercase()
        ),
    )
}

/// The object's name as shown: its display field.
pub fn display(schema: &ModelSchema, object: &Object) -> String {
    match object.get(schema.display_field) {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Number(number)) => number.to_string(),
        _ => String::new(),
    }
}

/// A table cell: text and an optional link.
pub struct Cell {
    /// Shown text.
    pub text: String,
    /// Where it links.
    pub link: Option<String>,
    /// The badge colour of a choice that has one.
    pub color: Option<&'static str>,
}

/// A table row: the object's id and one cell per field.
pub struct Row {
    /// The object's id.
    pub id: i64,
    /// Cells, in field order.
    pub cells: Vec<Cell>,
}

/// An option of a select input.
pub struct SelectOption {
    /// Submitted value.
    pub value: String,
    /// Shown text.
    pub label: String,
    /// Whether it is the current value.
    pub selected: bool,
}

/// Referenced objects' display names by id, per foreign-key or many-to-many field.
pub type References = HashMap<&'static str, HashMap<i64, String>>;

/// The display names of every object `objects` refer to, one query per foreign-key or
/// many-to-many field.
pub async fn references(
    request: &HttpRequest,
    state: &AppState,
    model: &MountedModel,
    objects: &[Object],
) -> Result<References, sqlx::Error> {
    let store = store(request, state, model);
    let mut found = References::new();
    for field in model.schema.fields {
        if let FieldKind::ForeignKey { model: target } | FieldKind::ManyToMany { model: target } =
            field.kind
            && let Some(target) = state.models.get(target)
        {
            let mut ids: Vec<i64> = Vec::new();
            for value in objects.iter().filter_map(|o| o.get(field.name)) {
                match value {
                    Value::Array(items) => ids.extend(items.iter().filter_map(Value::as_i64)),
                    value => ids.extend(value.as_i64()),
                }
            }
            ids.sort_unstable();
            ids.dedup();
            found.insert(field.name, store.displays(target, &ids).await?);
        }
    }
    Ok(found)
}

/// A stored time (`2024-05-31T14:30:00Z`) as pages show it: `2024-05-31 14:30:00 UTC`.
pub fn time_text(time: &str) -> String {
    match time.strip_suffix('Z') {
        Some(utc) => format!("{} UTC", utc.replacen('T', " ", 1)),
        None => time.to_string(),
    }
}

/// The cell of `field` of `object`: choices by label, references by name with a link.
pub fn cell(
    state: &AppState,
    schema: &ModelSchema,
    field: &str,
    object: &Object,
    references: &References,
) -> Cell {
    let value = object.get(field).cloned().unwrap_or(Value::Null);
    let Some(definition) = schema.field(field) else {
        return Cell {
            text: value.as_str().unwrap_or_default().to_string(),
            link: None,
            color: None,
        };
    };
    match definition.kind {
        FieldKind::Choice(choices) => {
            let index = choices.iter().position(|(v, _)| Some(*v) == value.as_str());
            Cell {
                text: index.map(|i| choices[i].1.to_string()).unwrap_or_default(),
                link: None,
                color: index.and_then(|i| definition.colors.get(i).copied()),
            }
        }
        // The linked objects' names, in id order.
        FieldKind::ManyToMany { .. } => {
            let names: Vec<String> = value
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .filter_map(Value::as_i64)
                .map(|id| {
                    references
                        .get(field)
                        .and_then(|d| d.get(&id))
                        .cloned()
                        .unwrap_or_else(|| format!("#{id}"))
                })
                .collect();
            Cell {
                text: if names.is_empty() {
                    "—".into()
                } else {
                    names.join(", ")
                },
                link: None,
                color: None,
            }
        }
        FieldKind::ForeignKey { model } => match value.as_i64() {
            Some(id) => Cell {
                text: references
                    .get(field)
                    .and_then(|d| d.get(&id))
                    .cloned()
                    .unwrap_or_else(|| format!("#{id}")),
                link: state
                    .models
                    .get(model)
                    .map(|m| format!("{}{id}/", m.ui_base)),
                color: None,
            },
            None => Cell {
                text: "—".into(),
                link: None,
                color: None,
            },
        },
        // A decimal with its places (`12.50`), a time as UTC without its `T`.
        FieldKind::Decimal { decimal_places, .. } if value.is_number() => Cell {
            text: format!(
                "{:.*}",
                decimal_places as usize,
                value.as_f64().unwrap_or_default()
            ),
            link: None,
            color: None,
        },
        FieldKind::DateTime if value.is_string() => Cell {
            text: value.as_str().map(time_text).unwrap_or_default(),
            link: None,
            color: None,
        },
        _ => Cell {
            text: match value {
                Value::String(text) if !text.is_empty() => text,
                Value::Number(number) => number.to_string(),
                Value::Bool(true) => "Yes".into(),
                Value::Bool(false) => "No".into(),
                Value::Object(_) => value.to_string(),
                Value::Array(items) if !items.is_empty() => items
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                _ => "—".into(),
            },
            link: None,
            color: None,
        },
    }
}

/// Table rows of `objects`, the display field linking to each object.
pub fn rows(
    state: &AppState,
    model: &MountedModel,
    objects: &[Object],
    references: &References,
) -> Vec<Row> {
    let schema = model.schema;
    objects
        .iter()
        .map(|object| {
            let id = object.get("id").and_then(Value::as_i64).unwrap_or_default();
            let mut cells: Vec<Cell> = schema
                .fields
                .iter()
                .map(|f| cell(state, schema, f.name, object, references))
                .collect();
            if let Some(position) = schema
                .fields
                .iter()
                .position(|f| f.name == schema.display_field)
            {
                cells[position].link = Some(format!("{}{id}/", model.ui_base));
            }
            Row { id, cells }
        })
        .collect()
}

/// The `(value, label)` options of a choice or foreign-key field (up to 1000 objects), or
/// `None` for other fields.
pub async fn options(
    request: &HttpRequest,
    state: &AppState,
    model: &MountedModel,
    kind: FieldKind,
) -> Result<Option<Vec<(String, String)>>, actix_web::Error> {
    Ok(match kind {
        FieldKind::Choice(choices) => Some(
            choices
                .iter()
                .map(|(v, l)| (v.to_string(), l.to_string()))
                .collect(),
        ),
        FieldKind::Boolean => Some(vec![
            ("true".to_string(), "Yes".to_string()),
            ("false".to_string(), "No".to_string()),
        ]),
        FieldKind::ForeignKey { model: target } | FieldKind::ManyToMany { model: target } => {
            match state.models.get(target) {
                Some(target) => Some(
                    store(request, state, model)
                        .choices(target)
                        .await
                        .map_err(server_error)?
                        .into_iter()
                        .map(|(id, label)| (id.to_string(), label))
                        .collect(),
                ),
                None => None,
            }
        }
        _ => None,
    })
}

/// `offered` with the chosen ids of `target`'s objects it lacks (beyond the first choices, or
/// not visible to the user), named by their display or `#<id>`: saving the form keeps them.
pub async fn keep_chosen(
    request: &HttpRequest,
    state: &AppState,
    model: &MountedModel,
    target: &MountedModel,
    chosen: &[&str],
    mut offered: Vec<(String, String)>,
) -> Result<Vec<(String, String)>, actix_web::Error> {
    let missing: Vec<i64> = chosen
        .iter()
        .filter(|id| !offered.iter().any(|(value, _)| value == *id))
        .filter_map(|id| id.parse().ok())
        .collect();
    if missing.is_empty() {
        return Ok(offered);
    }
    let names = store(request, state, model)
        .displays(target, &missing)
        .await
        .map_err(server_error)?;
    for id in missing {
        let name = names.get(&id).cloned().unwrap_or_else(|| format!("#{id}"));
        offered.push((id.to_string(), name));
    }
    Ok(offered)
}

/// `options` as select options with `current` selected.
pub fn select(options: Vec<(String, String)>, current: &str) -> Vec<SelectOption> {
    select_many(options, &[current])
}

/// `options` as select options with each of `current` selected.
pub fn select_many(options: Vec<(String, String)>, current: &[&str]) -> Vec<SelectOption> {
    options
        .into_iter()
        .map(|(value, label)| SelectOption {
            selected: current.contains(&value.as_str()),
            value,
            label,
        })
        .collect()
}

/// Parameters that shape the answer rather than choose the objects: lists skip them when
/// reading filters.
pub const SHAPING: &[&str] = &[
    "ordering", "brief", "fields", "omit", "format", "page", "columns",
];

/// The parameters of a list request, read once from its query string: the page and the
/// other parameters (`?q=`, `?ordering=` and filters).
pub struct ListParams {
    /// `?limit=`, `?offset=` and `?start=`.
    pub pagination: Pagination,
    /// Every parameter, in order.
    pub pairs: Vec<(String, String)>,
    /// The configured page sizes.
    pub size: PageSize,
}

impl ListParams {
    /// Reads the query string of `request`: bounded, one line per value, a valid page.
    pub fn of(request: &HttpRequest) -> Result<Self, ApiError> {
        let size = request
            .app_data::<actix_web::web::Data<AppState>>()
            .map(|state| state.page_size)
            .unwrap_or_default();
        let pairs = serde_urlencoded::from_str::<Vec<(String, String)>>(request.query_string())
            .map_err(|error| ApiError::bad_request(format!("Invalid query string: {error}.")))?;
        check_parameters(&pairs)?;
        let pagination = Pagination::from_pairs(&pairs).map_err(ApiError::fields)?;
        Ok(ListParams {
            pagination,
            pairs,
            size,
        })
    }

    /// Leaves out parameters with empty values (an HTML form submits every field).
    pub fn without_empty(mut self) -> Self {
        self.pairs.retain(|(_, value)| !value.is_empty());
        self
    }

    /// The parameters that choose objects: `?q=` and the filters.
    pub fn filters(&self) -> impl Iterator<Item = &(String, String)> {
        self.pairs.iter().filter(|(key, _)| {
            !PARAMETERS.contains(&key.as_str()) && !SHAPING.contains(&key.as_str())
        })
    }

    /// The values of parameter `name`, comma-separated lists split (`?fields=id,name`).
    pub fn list_of(&self, name: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(key, _)| key == name)
            .flat_map(|(_, value)| value.split(','))
            .map(str::trim)
            .filter(|term| !term.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// The page size asked for (see [`Pagination::limit`]).
    pub fn limit(&self) -> i64 {
        self.pagination.limit(self.size)
    }

    /// The list asked for: `?q=`, `?ordering=`, field filters and the page.
    pub fn query(&self) -> ListQuery {
        let mut query = ListQuery {
            limit: self.limit(),
            offset: self.pagination.offset,
            start: self.pagination.start,
            ordering: self.list_of("ordering"),
            ..Default::default()
        };
        for (key, value) in self.filters() {
            if key == "q" {
                query.q = Some(value.clone());
            } else {
                query.filters.push((key.clone(), value.clone()));
            }
        }
        query
    }

    /// Links to the previous and next page (see [`Pagination::links`]).
    pub fn links(
        &self,
        request: &HttpRequest,
        limit: i64,
        count: i64,
        absolute_urls: bool,
    ) -> (Option<String>, Option<String>) {
        self.pagination
            .links(request, &self.pairs, limit, count, absolute_urls)
    }
}

impl FromRequest for ListParams {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(ListParams::of(request))
    }
}
