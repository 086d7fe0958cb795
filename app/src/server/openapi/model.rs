//! The part of the OpenAPI document that describes models: their schemas (read, brief,
//! request, page) and the paths of their lists and objects.

use super::{answer, json_body, operation, reference};
use crate::engine::filters::{self, ValueKind};
use crate::engine::{ModelRegistry, MountedModel};
use crate::server::model_api::BULK_MAX;
use netbox_framework::models::{Field, FieldKind, ModelSchema};
use serde_json::{Map, Value, json};

/// A schema name from a model key: `dcim.site` → `DcimSite`, `access_lists.rule` →
/// `AccessListsRule`.
pub fn schema_name(schema: &ModelSchema) -> String {
    format!("{}.{}", schema.app, schema.name)
        .split(['.', '_', '-'])
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

/// The schema of a field's value as read.
fn read_schema(field: &Field, models: &ModelRegistry) -> Value {
    let mut schema = match field.kind {
        FieldKind::Choice(choices) => json!({
            "type": "object",
            "properties": {
                "value": { "type": "string", "enum": choices.iter().map(|(v, _)| *v).collect::<Vec<_>>() },
                "label": { "type": "string", "enum": choices.iter().map(|(_, l)| *l).collect::<Vec<_>>() },
            },
        }),
        FieldKind::ForeignKey { model } => match models.get(model) {
            Some(target) => {
                json!({ "allOf": [reference(&format!("Brief{}", schema_name(target.schema)))] })
            }
            None => json!({ "type": "object" }),
        },
        FieldKind::ManyToMany { model } => match models.get(model) {
            Some(target) => json!({
                "type": "array",
                "items": reference(&format!("Brief{}", schema_name(target.schema))),
            }),
            None => json!({ "type": "array", "items": { "type": "object" } }),
        },
        _ => write_schema(field),
    };
    if !field.required
        && matches!(
            field.kind,
            FieldKind::Choice(_) | FieldKind::ForeignKey { .. }
        )
    {
        schema["nullable"] = json!(true);
    }
    schema["description"] = json!(field.label);
    schema
}

/// The schema of a field's value as written.
fn write_schema(field: &Field) -> Value {
    let mut schema = match field.kind {
        FieldKind::Text { max_length } => json!({ "type": "string", "maxLength": max_length }),
        FieldKind::LongText => {
            json!({ "type": "string", "maxLength": crate::engine::clean::LONG_TEXT_MAX })
        }
        FieldKind::Slug => {
            json!({ "type": "string", "pattern": "^[-a-z0-9_]+$", "maxLength": crate::engine::clean::SLUG_MAX })
        }
        FieldKind::Choice(choices) => {
            json!({ "type": "string", "enum": choices.iter().map(|(v, _)| *v).collect::<Vec<_>>() })
        }
        FieldKind::Integer { min, max } => {
            json!({ "type": "integer", "format": "int64", "minimum": min, "maximum": max })
        }
        FieldKind::Boolean => json!({ "type": "boolean" }),
        FieldKind::IpAddress => json!({ "type": "string", "example": "192.0.2.1" }),
        FieldKind::IpNetwork => json!({ "type": "string", "example": "10.0.0.0/8" }),
        FieldKind::IpInterface => json!({ "type": "string", "example": "192.0.2.1/24" }),
        FieldKind::Json => json!({}),
        FieldKind::Decimal { .. } => json!({ "type": "number", "format": "decimal" }),
        FieldKind::Date => json!({ "type": "string", "format": "date" }),
        FieldKind::DateTime => json!({ "type": "string", "format": "date-time" }),
        FieldKind::IntegerList { min, max } => json!({
            "type": "array",
            "maxItems": crate::engine::clean::LIST_MAX,
            "items": { "type": "integer", "format": "int64", "minimum": min, "maximum": max },
        }),
        FieldKind::ForeignKey { .. } => {
            json!({ "type": "integer", "format": "int64", "minimum": 1 })
        }
        FieldKind::ManyToMany { .. } => json!({
            "type": "array",
            "maxItems": crate::engine::clean::LIST_MAX,
            "items": { "type": "integer", "format": "int64", "minimum": 1 },
        }),
    };
    if !field.required && !field.is_text() && field.is_column() {
        schema["nullable"] = json!(true);
    }
    if let Some(default) = field.default {
        // Defaults are text in the schema; numbers, booleans and lists are JSON in it.
        schema["default"] = if field.is_text() {
            json!(default)
        } else {
            serde_json::from_str(default).unwrap_or_else(|_| json!(default))
        };
    }
    if !field.help.is_empty() {
        schema["description"] = json!(field.help);
    }
    schema
}

/// The read, brief, request and page schemas of a model.
pub fn model_schemas(model: &MountedModel, models: &ModelRegistry, out: &mut Map<String, Value>) {
    let schema = model.schema;
    let name = schema_name(schema);
    let fixed = json!({
        "id": { "type": "integer", "format": "int64", "readOnly": true },
        "url": { "type": "string", "format": "uri", "readOnly": true },
        "display_url": { "type": "string", "format": "uri", "readOnly": true },
        "display": { "type": "string", "readOnly": true },
    });
    let mut full = fixed.as_object().cloned().unwrap_or_default();
    for field in schema.fields {
        full.insert(field.name.into(), read_schema(field, models));
    }
    full.insert(
        "created".into(),
        json!({ "type": "string", "format": "date-time", "readOnly": true }),
    );
    full.insert(
        "last_updated".into(),
        json!({ "type": "string", "format": "date-time", "readOnly": true }),
    );
    let featured = crate::engine::tags::has_features(schema);
    // Custom fields are defined at run time: their values are any JSON.
    let custom = json!({
        "type": "object",
        "additionalProperties": true,
        "description": "Custom-field values by name (the fields defined for this model)",
    });
    if featured {
        let tag = models.get("extras.tag").map(|tag| schema_name(tag.schema));
        full.insert(
            "tags".into(),
            json!({ "type": "array", "items": tag.map_or(json!({}), |t| reference(&format!("Brief{t}"))) }),
        );
        full.insert("custom_fields".into(), custom.clone());
    }
    out.insert(
        name.clone(),
        json!({ "type": "object", "description": schema.verbose_name, "properties": full }),
    );

    let mut brief = fixed.as_object().cloned().unwrap_or_default();
    for field in crate::server::api_shape::brief_fields(schema) {
        brief.insert(field.name.into(), read_schema(field, models));
    }
    out.insert(
        format!("Brief{name}"),
        json!({ "type": "object", "properties": brief }),
    );

    let mut writable: Map<String, Value> = schema
        .fields
        .iter()
        .map(|f| (f.name.to_string(), write_schema(f)))
        .collect();
    if featured {
        writable.insert(
            "tags".into(),
            json!({
                "type": "array",
                "maxItems": crate::engine::tags::MOST,
                "description": "Tags by id, name or slug, or as objects with one of those",
                "items": { "oneOf": [
                    { "type": "integer", "format": "int64" },
                    { "type": "string", "maxLength": 100 },
                    { "type": "object", "properties": {
                        "id": { "type": "integer", "format": "int64" },
                        "name": { "type": "string", "maxLength": 100 },
                        "slug": { "type": "string", "maxLength": 100 },
                    } },
                ] },
            }),
        );
        writable.insert("custom_fields".into(), custom);
    }
    let required: Vec<&str> = schema
        .fields
        .iter()
        .filter(|f| f.required && f.default.is_none())
        .map(|f| f.name)
        .collect();
    let mut request = json!({ "type": "object", "properties": writable });
    if !required.is_empty() {
        request["required"] = json!(required);
    }
    out.insert(format!("{name}Request"), request);
    out.insert(
        format!("Patched{name}Request"),
        json!({ "type": "object", "properties": writable }),
    );
    out.insert(
        format!("Paginated{name}List"),
        json!({
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": { "type": "integer", "nullable": true, "description": "null for a page by `start`" },
                "next": { "type": "string", "format": "uri", "nullable": true },
                "previous": { "type": "string", "format": "uri", "nullable": true },
                "results": { "type": "array", "items": reference(&name) },
            },
        }),
    );
}

/// "a site", "an access list".
fn with_article(noun: &str) -> String {
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {noun}")
}

/// A query parameter.
fn query(name: &str, schema: Value, description: &str) -> Value {
    json!({ "name": name, "in": "query", "required": false, "schema": schema, "description": description })
}

/// The parameters of a model's list: pages, search, ordering, shapes and every filter.
fn list_parameters(model: &MountedModel, models: &ModelRegistry) -> Vec<Value> {
    let integer = json!({ "type": "integer", "minimum": 0 });
    let mut parameters = vec![
        query(
            "limit",
            integer.clone(),
            "Objects per page (0: the largest page, max_page_size)",
        ),
        query("offset", integer.clone(), "Objects skipped"),
        query(
            "start",
            integer,
            "A page of objects from this id on, by id, not counted",
        ),
        query("q", json!({ "type": "string" }), "Search"),
        query(
            "ordering",
            json!({ "type": "string" }),
            "Fields to order by, comma-separated, `-` for descending",
        ),
        query("brief", json!({ "type": "boolean" }), "Brief objects"),
        query(
            "fields",
            json!({ "type": "string" }),
            "Only these fields, comma-separated",
        ),
        query(
            "omit",
            json!({ "type": "string" }),
            "All fields but these, comma-separated",
        ),
    ];
    for (name, kind) in filters::names(models, model.schema) {
        let item = match kind {
            ValueKind::Integer => json!({ "type": "integer", "format": "int64" }),
            ValueKind::Boolean => json!({ "type": "boolean" }),
            ValueKind::Time => json!({ "type": "string" }),
            ValueKind::Number => json!({ "type": "number" }),
            ValueKind::Text => json!({ "type": "string" }),
            ValueKind::Choice(choices) => {
                json!({ "type": "string", "enum": choices.iter().map(|(v, _)| *v).collect::<Vec<_>>() })
            }
        };
        let mut parameter = query(
            &name,
            json!({ "type": "array", "items": item }),
            "Repeat to match any of several values",
        );
        parameter["style"] = json!("form");
        parameter["explode"] = json!(true);
        parameters.push(parameter);
    }
    parameters
}

/// The paths of a model's list and objects.
pub fn model_paths(model: &MountedModel, models: &ModelRegistry, paths: &mut Map<String, Value>) {
    let schema = model.schema;
    let name = schema_name(schema);
    let tag = schema.app;
    let op = format!(
        "{}_{}",
        schema.app,
        schema.api_url_segment.replace('-', "_")
    );
    let plural = schema.verbose_name_plural.to_lowercase();
    let singular = schema.verbose_name.to_lowercase();
    let bulk = |schema: Value| json!({ "type": "array", "minItems": 1, "maxItems": BULK_MAX, "items": schema });
    let with_id = |request: String| json!({ "allOf": [reference(&request), { "type": "object", "required": ["id"], "properties": { "id": { "type": "integer", "format": "int64" } } }] });

    let mut list = operation(
        format!("{op}_list"),
        tag,
        format!("List {plural}"),
        vec![(
            "200",
            answer("A page", Some(reference(&format!("Paginated{name}List")))),
        )],
    );
    list["parameters"] = json!(list_parameters(model, models));
    let mut create = operation(
        format!("{op}_create"),
        tag,
        format!(
            "Create {} or several (all or none)",
            with_article(&singular)
        ),
        vec![(
            "201",
            answer(
                "Created",
                Some(json!({ "oneOf": [reference(&name), bulk(reference(&name))] })),
            ),
        )],
    );
    create["requestBody"] = json_body(
        json!({ "oneOf": [reference(&format!("{name}Request")), bulk(reference(&format!("{name}Request")))] }),
    );
    create["requestBody"]["required"] = json!(true);
    let mut bulk_update = operation(
        format!("{op}_bulk_update"),
        tag,
        format!("Replace several {plural} (all or none)"),
        vec![
            ("200", answer("Updated", Some(bulk(reference(&name))))),
            (
                "404",
                answer("An object does not exist", Some(reference("Error"))),
            ),
        ],
    );
    bulk_update["requestBody"] = json_body(bulk(with_id(format!("{name}Request"))));
    let mut bulk_patch = bulk_update.clone();
    bulk_patch["operationId"] = json!(format!("{op}_bulk_partial_update"));
    bulk_patch["summary"] = json!(format!("Change fields of several {plural} (all or none)"));
    bulk_patch["requestBody"] = json_body(bulk(with_id(format!("Patched{name}Request"))));
    let mut bulk_delete = operation(
        format!("{op}_bulk_destroy"),
        tag,
        format!("Delete several {plural} (all or none)"),
        vec![
            ("204", answer("Deleted", None)),
            (
                "404",
                answer("An object does not exist", Some(reference("Error"))),
            ),
            ("409", answer("Still referenced", Some(reference("Error")))),
        ],
    );
    bulk_delete["requestBody"] = json_body(bulk(
        json!({ "type": "object", "required": ["id"], "properties": { "id": { "type": "integer", "format": "int64" } } }),
    ));
    paths.insert(model.api_base.clone(), json!({ "get": list, "post": create, "put": bulk_update, "patch": bulk_patch, "delete": bulk_delete }));

    let id = json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer", "format": "int64", "minimum": 1 } });
    let if_match = json!({ "name": "If-Match", "in": "header", "required": false, "schema": { "type": "string" }, "description": "Only if the object still has this ETag (412 otherwise)" });
    let etag = json!({ "ETag": { "schema": { "type": "string" }, "description": "The object's version" } });
    let mut found = answer("The object", Some(reference(&name)));
    found["headers"] = etag;
    let missing = (
        "404",
        answer(
            "No such object (or not visible to you)",
            Some(reference("Error")),
        ),
    );
    let stale = (
        "412",
        answer(
            "The object changed since the ETag given in If-Match",
            Some(reference("Error")),
        ),
    );
    let get = operation(
        format!("{op}_retrieve"),
        tag,
        format!("One {singular}"),
        vec![("200", found.clone()), missing.clone()],
    );
    let mut put = operation(
        format!("{op}_update"),
        tag,
        format!("Replace {}", with_article(&singular)),
        vec![("200", found.clone()), missing.clone(), stale.clone()],
    );
    put["requestBody"] = json_body(reference(&format!("{name}Request")));
    put["parameters"] = json!([if_match]);
    let mut patch = operation(
        format!("{op}_partial_update"),
        tag,
        format!("Change fields of {}", with_article(&singular)),
        vec![("200", found), missing.clone(), stale.clone()],
    );
    patch["requestBody"] = json_body(reference(&format!("Patched{name}Request")));
    patch["parameters"] = json!([if_match]);
    let mut delete = operation(
        format!("{op}_destroy"),
        tag,
        format!("Delete {}", with_article(&singular)),
        vec![
            ("204", answer("Deleted", None)),
            missing,
            stale,
            ("409", answer("Still referenced", Some(reference("Error")))),
        ],
    );
    delete["parameters"] = json!([if_match]);
    paths.insert(
        format!("{}{{id}}/", model.api_base),
        json!({ "parameters": [id], "get": get, "put": put, "patch": patch, "delete": delete }),
    );
}
