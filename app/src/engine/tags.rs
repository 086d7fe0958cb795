//! Tags on objects of every model (but the extras' own): which tags an object carries lives in
//! `extras_taggeditem` (tag, object type, object id), read with the object as the list of its
//! tags' ids, written in the object's write transaction, removed with the object.
//!
//! The API takes tags by id, name or slug (`[1, "core", {"slug": "edge"}]`); filters
//! `tag=<slug>` (every one given, as NetBox), `tag__any=<slug>` (any of them), `tag__n=<slug>`
//! (none of them), and `tag_id` / `tag_id__n` by id.

use super::sql::statement;
use super::write::Connection;
use crate::db::schema::render::literal;
use netbox_framework::migrations::Backend;
use netbox_framework::models::ModelSchema;
use sea_query::{Cond, Expr, ExprTrait, OnConflict, Query, SimpleExpr};
use serde_json::Value;

/// The tags' table.
pub const TAGS: &str = "extras_tag";
/// Which object carries which tag.
pub const TAGGED: &str = "extras_taggeditem";
/// The key of objects' tags in objects and the API.
pub const KEY: &str = "tags";
/// The most tags one object may carry.
pub const MOST: usize = 100;

/// Whether objects of `schema` carry tags and custom fields: every model but the extras'
/// own (tags, custom fields, choice sets).
pub fn has_features(schema: &ModelSchema) -> bool {
    schema.app != "extras"
}

/// The ids of the tags of the row of `table` (an alias or quoted name), ascending, as a JSON
/// list: text when `as_text` (read by the driver), else JSON (inside a JSON document).
pub fn ids_sql(schema: &ModelSchema, table: &str, backend: Backend, as_text: bool) -> String {
    let list = match backend {
        Backend::Sqlite => "json_group_array(\"tag_id\" ORDER BY \"tag_id\")".to_string(),
        Backend::Postgres if as_text => {
            "CAST(COALESCE(json_agg(\"tag_id\" ORDER BY \"tag_id\"), '[]') AS TEXT)".to_string()
        }
        Backend::Postgres => {
            "COALESCE(json_agg(\"tag_id\" ORDER BY \"tag_id\"), CAST('[]' AS JSON))".to_string()
        }
    };
    let value = format!(
        "(SELECT {list} FROM {TAGGED} WHERE \"object_type\" = {} AND \"object_id\" = {table}.\"id\")",
        literal(&schema.key())
    );
    match (backend, as_text) {
        (Backend::Sqlite, false) => format!("json({value})"),
        _ => value,
    }
}

/// How an input item names a tag.
enum Named {
    Id(i64),
    Text(String),
}

/// The tags an input value names: a list whose items are ids, names or slugs, or objects with
/// `id`, `slug` or `name`.
fn named(value: &Value) -> Result<Vec<Named>, String> {
    let items = match value {
        Value::Null => return Ok(Vec::new()),
        Value::Array(items) => items,
        Value::String(text) => {
            // A form's or an import's comma-separated slugs.
            let slugs: Vec<Named> = text
                .split(',')
                .map(str::trim)
                .filter(|slug| !slug.is_empty())
                .map(|slug| Named::Text(slug.to_string()))
                .collect();
            if slugs.len() > MOST {
                return Err(format!("An object carries at most {MOST} tags."));
            }
            return Ok(slugs);
        }
        _ => return Err("Expected a list of tags (ids, names or slugs).".into()),
    };
    if items.len() > MOST {
        return Err(format!("An object carries at most {MOST} tags."));
    }
    items
        .iter()
        .map(|item| {
            let item = match item {
                Value::Object(map) => ["id", "slug", "name"]
                    .iter()
                    .find_map(|key| map.get(*key))
                    .unwrap_or(&Value::Null),
                other => other,
            };
            match item {
                Value::Number(number) => number
                    .as_i64()
                    .map(Named::Id)
                    .ok_or_else(|| format!("“{number}” is not a tag id.")),
                Value::String(text) if text.trim().parse::<i64>().is_ok() => {
                    Ok(Named::Id(text.trim().parse().unwrap_or_default()))
                }
                Value::String(text) if !text.trim().is_empty() && text.len() <= 100 => {
                    Ok(Named::Text(text.trim().to_string()))
                }
                other => Err(format!(
                    "{other} does not name a tag: give its id, name or slug."
                )),
            }
        })
        .collect()
}

/// The ids of the tags `value` names, in the write's transaction (each tag locked so that it
/// is not deleted before the write commits), or why one is not a tag.
pub(super) async fn resolve(
    connection: &mut Connection,
    backend: Backend,
    value: &Value,
) -> Result<Result<Vec<i64>, String>, sqlx::Error> {
    let named = match named(value) {
        Ok(named) => named,
        Err(message) => return Ok(Err(message)),
    };
    let mut ids = Vec::with_capacity(named.len());
    for item in named {
        let condition = match &item {
            Named::Id(id) => Expr::col("id").eq(*id),
            Named::Text(text) => Expr::col("slug")
                .eq(text.as_str())
                .or(Expr::col("name").eq(text.as_str())),
        };
        let mut select = Query::select()
            .column("id")
            .from(TAGS)
            .and_where(condition)
            .order_by("id", sea_query::Order::Asc)
            .limit(1)
            .take();
        if backend == Backend::Postgres {
            select.lock(sea_query::LockType::KeyShare);
        }
        let found = statement(backend, &select)
            .fetch_optional(&mut *connection)
            .await?;
        match found.map(|row| super::sql::read_integer(&row, 0)) {
            Some(id) => ids.push(id?.unwrap_or_default()),
            None => {
                let shown = match item {
                    Named::Id(id) => id.to_string(),
                    Named::Text(text) => text,
                };
                return Ok(Err(format!("There is no tag “{shown}”.")));
            }
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(Ok(ids))
}

/// Makes the tags of object `id` of `schema` exactly `ids`.
pub(super) async fn save(
    connection: &mut Connection,
    backend: Backend,
    schema: &ModelSchema,
    id: i64,
    ids: &[i64],
) -> Result<(), sqlx::Error> {
    let key = schema.key();
    let mut delete = Query::delete()
        .from_table(TAGGED)
        .and_where(Expr::col("object_type").eq(key.as_str()))
        .and_where(Expr::col("object_id").eq(id))
        .take();
    if !ids.is_empty() {
        delete.and_where(Expr::col("tag_id").is_not_in(ids.iter().copied()));
    }
    statement(backend, &delete)
        .execute(&mut *connection)
        .await?;
    if ids.is_empty() {
        return Ok(());
    }
    let mut insert = Query::insert()
        .into_table(TAGGED)
        .columns(["tag_id", "object_type", "object_id"])
        .on_conflict(
            OnConflict::columns(["object_type", "object_id", "tag_id"])
                .do_nothing()
                .to_owned(),
        )
        .take();
    for tag in ids {
        insert.values_panic([Expr::val(*tag), Expr::val(key.as_str()), Expr::val(id)]);
    }
    statement(backend, &insert)
        .execute(&mut *connection)
        .await?;
    Ok(())
}

/// The filters on tags: (name, what it matches).
pub const FILTERS: &[&str] = &["tag", "tag__n", "tag__any", "tag_id", "tag_id__n"];

/// The condition of tag filter `name` with `values` on objects of `schema`, if `name` is
/// one.
pub fn condition(
    schema: &ModelSchema,
    name: &str,
    values: &[&str],
) -> Option<Result<Cond, String>> {
    if !has_features(schema) || !FILTERS.contains(&name) {
        return None;
    }
    let by_id = name.starts_with("tag_id");
    let mut ids = Vec::with_capacity(values.len());
    if by_id {
        for value in values {
            match value.trim().parse::<i64>() {
                Ok(id) => ids.push(id),
                Err(_) => return Some(Err(format!("“{value}” is not a tag id."))),
            }
        }
    }
    let key = schema.key();
    // The objects carrying tag `value` (a slug, or an id for `tag_id`).
    let carrying = |index: usize| -> SimpleExpr {
        let mut select = Query::select()
            .column((
                sea_query::Alias::new(TAGGED),
                sea_query::Alias::new("object_id"),
            ))
            .from(TAGGED)
            .and_where(Expr::col("object_type").eq(key.as_str()))
            .take();
        if by_id {
            select.and_where(Expr::col("tag_id").eq(ids[index]));
        } else {
            select.and_where(
                Expr::col("tag_id").in_subquery(
                    Query::select()
                        .column("id")
                        .from(TAGS)
                        .and_where(Expr::col("slug").eq(values[index]))
                        .take(),
                ),
            );
        }
        Expr::col("id").in_subquery(select)
    };
    let each = (0..values.len()).map(carrying);
    Some(Ok(match name {
        "tag" | "tag_id" => each.fold(Cond::all(), Cond::add),
        "tag__any" => each.fold(Cond::any(), Cond::add),
        _ => each.fold(Cond::all(), |all, carried| all.add(carried.not())),
    }))
}
