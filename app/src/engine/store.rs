//! The data of one model: list with search, filters and pagination; get; create, update and
//! delete, each in one transaction that changes nothing when any check fails, with the
//! plugins' signals around it and its change-log entry inside it. Reference and uniqueness
//! checks are in the engine's `checks` module.

use super::access::Allowed;
use super::changelog::{self, Action, Change};
use super::checks::Checks;
use super::clean::{self, FieldErrors, Mode, add_error};
use super::registry::{ModelRegistry, MountedModel};
use super::signals::send;
use super::sql::{
    col, column, column_name, filter, id_and_display, literal_like, now, read_integer, read_object,
    select_list, statement, value,
};
use super::{Actor, Object, WriteError};
use crate::db::Database;
use netbox_framework::models::{FieldKind, ModelSchema};
use netbox_framework::signals::Signal;
use sea_query::{Asterisk, Cond, DynIden, Expr, ExprTrait, Func, Order, Query, SelectStatement};
use serde_json::{Map, Value};
use sqlx::Row;
use std::collections::HashMap;

/// What a list shows.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Quick search in the model's search fields.
    pub q: Option<String>,
    /// `(field, value)` equality filters; foreign keys as `<field>_id`.
    pub filters: Vec<(String, String)>,
    /// Page size.
    pub limit: i64,
    /// Objects skipped.
    pub offset: i64,
}

/// A model's data in one database.
pub struct Store<'a> {
    database: &'a Database,
    models: &'a ModelRegistry,
    model: &'a MountedModel,
    actor: Actor,
}

impl<'a> Store<'a> {
    /// The store of `model` as `actor` sees it: reads return only objects the actor may view,
    /// writes need the actor's permission and are recorded as theirs.
    pub fn new(
        database: &'a Database,
        models: &'a ModelRegistry,
        model: &'a MountedModel,
        actor: Actor,
    ) -> Self {
        Store {
            database,
            models,
            model,
            actor,
        }
    }

    /// The condition restricting `action` to what the actor may do it on (`None`: nothing to
    /// add); [`WriteError::Forbidden`] when the actor may not do it at all.
    fn allowed(&self, action: &str) -> Result<Option<Cond>, WriteError> {
        Allowed::of(&self.actor, self.schema(), action)
            .condition()
            .map_err(|_| {
                WriteError::Forbidden(format!(
                    "You do not have permission to {action} {}.",
                    self.schema().verbose_name_plural.to_lowercase()
                ))
            })
    }

    /// Whether object `id` is among those `action` is allowed on, read in `connection`'s
    /// transaction (after a write: would the object leave the actor's constraints?).
    async fn within(
        &self,
        connection: &mut sqlx::AnyConnection,
        id: i64,
        action: &str,
    ) -> Result<bool, WriteError> {
        let Some(condition) = self.allowed(action)? else {
            return Ok(true);
        };
        let select = Query::select()
            .column("id")
            .from(self.schema().table)
            .and_where(col("id").eq(id))
            .cond_where(condition)
            .take();
        let found = statement(self.database.backend(), &select)
            .fetch_optional(&mut *connection)
            .await?;
        Ok(found.is_some())
    }

    /// The refusal of a write that would put an object outside the actor's constraints.
    fn outside(&self, action: &str) -> WriteError {
        WriteError::Forbidden(format!(
            "You may not {action} this {}: it would be outside the objects your permissions allow.",
            self.schema().verbose_name.to_lowercase()
        ))
    }

    fn schema(&self) -> &'static ModelSchema {
        self.model.schema
    }

    /// The checks of this model's writes.
    fn checks(&self) -> Checks<'_> {
        Checks {
            database: self.database,
            models: self.models,
            schema: self.schema(),
        }
    }

    /// `SELECT <every column> FROM <table>`.
    fn select(&self) -> SelectStatement {
        let schema = self.schema();
        Query::select()
            .columns(select_list(schema))
            .from(schema.table)
            .take()
    }

    /// Reads one object inside a transaction.
    async fn fetch(
        &self,
        connection: &mut sqlx::AnyConnection,
        id: i64,
    ) -> Result<Option<Object>, sqlx::Error> {
        let select = self.select().and_where(col("id").eq(id)).take();
        let row = statement(self.database.backend(), &select)
            .fetch_optional(&mut *connection)
            .await?;
        row.map(|row| read_object(self.schema(), &row)).transpose()
    }

    /// Runs this model's receivers of `signal` (see [`send`]).
    fn send(
        &self,
        signal: Signal,
        before: Option<&Object>,
        after: Option<&Object>,
        references: &[(String, i64)],
    ) -> Result<(), String> {
        let key = self.schema().key();
        send(self.models, signal, &key, before, after, references)
    }

    /// Writes the change-log entry of a change, in the change's transaction.
    async fn record(
        &self,
        connection: &mut sqlx::AnyConnection,
        action: Action,
        id: i64,
        before: Option<&Object>,
        after: Option<&Object>,
    ) -> Result<(), sqlx::Error> {
        let change = Change {
            schema: self.schema(),
            id,
            action,
            actor: &self.actor,
            before,
            after,
        };
        changelog::record(self.database, connection, change).await
    }

    /// The conditions of a list query; unknown filters are field errors.
    fn conditions(&self, query: &ListQuery) -> Result<Cond, FieldErrors> {
        let schema = self.schema();
        let mut conditions = Cond::all();
        let mut errors = FieldErrors::new();
        if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let lowered = q.to_lowercase();
            let mut any = Cond::any();
            for name in schema.search_fields {
                any = any.add(Func::lower(col(name)).like(literal_like("%", &lowered, "%")));
            }
            if !schema.search_fields.is_empty() {
                conditions = conditions.add(any);
            }
        }
        for (key, text) in &query.filters {
            let field = schema.fields.iter().find(|field| match field.kind {
                FieldKind::ForeignKey { .. } => key == &format!("{}_id", field.name),
                _ => key == field.name,
            });
            match field {
                Some(field) if field.is_integer() => match text.trim().parse::<i64>() {
                    Ok(number) => conditions = conditions.add(column(field).eq(number)),
                    Err(_) => {
                        add_error(&mut errors, key, format!("`{text}` is not a whole number."))
                    }
                },
                Some(field) => conditions = conditions.add(column(field).eq(text.as_str())),
                None => add_error(&mut errors, key, "Unknown filter."),
            }
        }
        if errors.is_empty() {
            Ok(conditions)
        } else {
            Err(errors)
        }
    }

    /// The total count and one page of objects.
    pub async fn list(&self, query: &ListQuery) -> Result<(i64, Vec<Object>), WriteError> {
        let schema = self.schema();
        let backend = self.database.backend();
        let mut conditions = self.conditions(query).map_err(WriteError::Invalid)?;
        if let Some(allowed) = self.allowed("view")? {
            conditions = conditions.add(allowed);
        }
        let mut count = Query::select()
            .expr(Expr::col(Asterisk).count())
            .from(schema.table)
            .take();
        filter(&mut count, conditions.clone());
        let count: i64 = statement(backend, &count)
            .fetch_one(self.database.pool())
            .await?
            .try_get(0)?;
        let mut page = self.select();
        filter(&mut page, conditions);
        for (expression, order) in ordering(schema.ordering) {
            page.order_by_expr(Expr::cust(expression), order);
        }
        page.order_by("id", Order::Asc)
            .limit(u64::try_from(query.limit).unwrap_or_default())
            .offset(u64::try_from(query.offset).unwrap_or_default());
        let rows = statement(backend, &page)
            .fetch_all(self.database.pool())
            .await?;
        let objects = rows
            .iter()
            .map(|row| read_object(schema, row))
            .collect::<Result<_, _>>()?;
        Ok((count, objects))
    }

    /// One object, `None` when no object with that id is visible to the actor.
    pub async fn get(&self, id: i64) -> Result<Option<Object>, WriteError> {
        let mut select = self.select().and_where(col("id").eq(id)).take();
        if let Some(allowed) = self.allowed("view")? {
            select.cond_where(allowed);
        }
        let row = statement(self.database.backend(), &select)
            .fetch_optional(self.database.pool())
            .await?;
        Ok(row
            .map(|row| read_object(self.schema(), &row))
            .transpose()?)
    }

    /// `SELECT id, <display field> FROM <model's table>`.
    fn displays_of(model: &MountedModel) -> SelectStatement {
        Query::select()
            .column("id")
            .column(model.schema.display_field)
            .from(model.schema.table)
            .take()
    }

    /// The display names of objects of `model` by id (for links to referenced objects).
    pub async fn displays(
        &self,
        model: &MountedModel,
        ids: &[i64],
    ) -> Result<HashMap<i64, String>, sqlx::Error> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let select = Self::displays_of(model)
            .and_where(col("id").is_in(ids.iter().copied()))
            .take();
        let rows = statement(self.database.backend(), &select)
            .fetch_all(self.database.pool())
            .await?;
        id_and_display(&rows)
    }

    /// Up to 1000 `(id, display)` of `model` that the actor may view, for a form's select
    /// input.
    pub async fn choices(&self, model: &MountedModel) -> Result<Vec<(i64, String)>, sqlx::Error> {
        let mut select = Self::displays_of(model)
            .order_by(model.schema.display_field, Order::Asc)
            .order_by("id", Order::Asc)
            .limit(1000)
            .take();
        match Allowed::of(&self.actor, model.schema, "view").condition() {
            Err(_) => return Ok(Vec::new()),
            Ok(Some(allowed)) => {
                select.cond_where(allowed);
            }
            Ok(None) => {}
        }
        let rows = statement(self.database.backend(), &select)
            .fetch_all(self.database.pool())
            .await?;
        id_and_display(&rows)
    }

    /// Creates an object from input (see [`clean::clean`]); returns it. In one write
    /// transaction: the checks, the `pre_save` receivers, `INSERT INTO <table> ... RETURNING id`
    /// and the change-log entry; `post_save` receivers run after the commit.
    pub async fn create(
        &self,
        input: &Map<String, Value>,
        reject_unknown: bool,
    ) -> Result<Object, WriteError> {
        let schema = self.schema();
        self.allowed("add")?;
        let (values, errors) = clean::clean_partial(schema, input, Mode::Create, reject_unknown);
        let mut transaction = self.database.begin_write().await?;
        self.checks()
            .check(&mut transaction, &values, None, errors)
            .await?;
        self.send(Signal::PreSave, None, Some(&values), &[])
            .map_err(refusal)?;
        let stamp = now();
        let mut columns: Vec<DynIden> = schema.fields.iter().map(column_name).collect();
        columns.extend([DynIden::from("created"), DynIden::from("last_updated")]);
        let mut row: Vec<Expr> = schema
            .fields
            .iter()
            .map(|field| Expr::val(value(field, values.get(field.name).unwrap_or(&Value::Null))))
            .collect();
        row.extend([Expr::val(stamp.clone()), Expr::val(stamp)]);
        let insert = Query::insert()
            .into_table(schema.table)
            .columns(columns)
            .values_panic(row)
            .returning_col("id")
            .take();
        let row = match statement(self.database.backend(), &insert)
            .fetch_one(&mut *transaction)
            .await
        {
            Ok(row) => row,
            Err(error) => {
                // Release the write lock first: the explanation reads in a transaction of its own.
                transaction.rollback().await?;
                return Err(self.checks().explain(error, &values, None).await);
            }
        };
        let id = read_integer(&row, 0)?.unwrap_or_default();
        if !self.within(&mut transaction, id, "add").await? {
            transaction.rollback().await?;
            return Err(self.outside("add"));
        }
        let created = self
            .fetch(&mut transaction, id)
            .await?
            .ok_or(WriteError::NotFound)?;
        self.record(&mut transaction, Action::Create, id, None, Some(&created))
            .await?;
        transaction.commit().await?;
        let _ = self.send(Signal::PostSave, None, Some(&created), &[]);
        Ok(created)
    }

    /// Updates an object (`Mode::Replace` or `Mode::Patch`); returns it. In one write
    /// transaction: the object read, the checks, `pre_save`, `UPDATE <table> SET ... WHERE id`
    /// and the change-log entry.
    pub async fn update(
        &self,
        id: i64,
        input: &Map<String, Value>,
        mode: Mode,
        reject_unknown: bool,
    ) -> Result<Object, WriteError> {
        let schema = self.schema();
        self.allowed("change")?;
        let (changes, errors) = clean::clean_partial(schema, input, mode, reject_unknown);
        let mut transaction = self.database.begin_write().await?;
        let existing = self
            .fetch(&mut transaction, id)
            .await?
            .ok_or(WriteError::NotFound)?;
        if !self.within(&mut transaction, id, "change").await? {
            return Err(WriteError::NotFound);
        }
        let mut values = existing.clone();
        values.extend(changes);
        self.checks()
            .check(&mut transaction, &values, Some(id), errors)
            .await?;
        self.send(Signal::PreSave, Some(&existing), Some(&values), &[])
            .map_err(refusal)?;
        let mut assignments: Vec<(DynIden, Expr)> = schema
            .fields
            .iter()
            .map(|field| {
                let new = value(field, values.get(field.name).unwrap_or(&Value::Null));
                (column_name(field), Expr::val(new))
            })
            .collect();
        assignments.push((DynIden::from("last_updated"), Expr::val(now())));
        let update = Query::update()
            .table(schema.table)
            .values(assignments)
            .and_where(col("id").eq(id))
            .take();
        if let Err(error) = statement(self.database.backend(), &update)
            .execute(&mut *transaction)
            .await
        {
            transaction.rollback().await?;
            return Err(self.checks().explain(error, &values, Some(id)).await);
        }
        if !self.within(&mut transaction, id, "change").await? {
            transaction.rollback().await?;
            return Err(self.outside("change"));
        }
        let updated = self
            .fetch(&mut transaction, id)
            .await?
            .ok_or(WriteError::NotFound)?;
        self.record(
            &mut transaction,
            Action::Update,
            id,
            Some(&existing),
            Some(&updated),
        )
        .await?;
        transaction.commit().await?;
        let _ = self.send(Signal::PostSave, Some(&existing), Some(&updated), &[]);
        Ok(updated)
    }

    /// Deletes an object unless others refer to it; returns what was deleted. In one write
    /// transaction: the object read, the references counted, `pre_delete`,
    /// `DELETE FROM <table> WHERE id` and the change-log entry.
    pub async fn delete(&self, id: i64) -> Result<Object, WriteError> {
        let schema = self.schema();
        self.allowed("delete")?;
        let mut transaction = self.database.begin_write().await?;
        let object = self
            .fetch(&mut transaction, id)
            .await?
            .ok_or(WriteError::NotFound)?;
        if !self.within(&mut transaction, id, "delete").await? {
            return Err(WriteError::NotFound);
        }
        let mut blockers = Vec::new();
        let mut references: Vec<(String, i64)> = Vec::new();
        for (model, field) in self.models.references_to(&schema.key()) {
            let Some(field) = model.schema.field(field) else {
                continue;
            };
            let count = Query::select()
                .expr(Expr::col(Asterisk).count())
                .from(model.schema.table)
                .and_where(column(field).eq(id))
                .take();
            let found: i64 = statement(self.database.backend(), &count)
                .fetch_one(&mut *transaction)
                .await?
                .try_get(0)?;
            if found > 0 {
                references.push((model.schema.key(), found));
                let noun = if found == 1 {
                    model.schema.verbose_name
                } else {
                    model.schema.verbose_name_plural
                };
                blockers.push(format!("{found} {}", noun.to_lowercase()));
            }
        }
        // Plugins may refuse first, with their own explanation.
        self.send(Signal::PreDelete, Some(&object), None, &references)
            .map_err(WriteError::Conflict)?;
        if !blockers.is_empty() {
            let display = object
                .get(schema.display_field)
                .and_then(Value::as_str)
                .unwrap_or_default();
            return Err(WriteError::Conflict(format!(
                "{} “{display}” cannot be deleted: it is still referenced by {}. Delete or reassign them first.",
                schema.verbose_name,
                blockers.join(" and ")
            )));
        }
        let delete = Query::delete()
            .from_table(schema.table)
            .and_where(col("id").eq(id))
            .take();
        statement(self.database.backend(), &delete)
            .execute(&mut *transaction)
            .await?;
        self.record(&mut transaction, Action::Delete, id, Some(&object), None)
            .await?;
        transaction.commit().await?;
        let _ = self.send(Signal::PostDelete, Some(&object), None, &[]);
        Ok(object)
    }
}

/// The terms of a model's `ordering` (`"name"`, `"\"site_id\", name DESC"`), each with its
/// direction (ascending unless it ends in `DESC`).
fn ordering(text: &str) -> Vec<(String, Order)> {
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

/// A `pre_save` refusal as the error the user sees next to the form (or in the 400 body).
fn refusal(message: String) -> WriteError {
    let mut errors = FieldErrors::new();
    add_error(&mut errors, "__all__", message);
    WriteError::Invalid(errors)
}

#[cfg(test)]
mod tests {
    use super::*;

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
