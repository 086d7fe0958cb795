//! The data of one model as an actor sees it: list with search, filters, ordering and
//! pagination; get; display names and choices of referenced models. Writes are in the
//! engine's `write` module, reference and uniqueness checks in `checks`, filters in `filters`.

use super::access::Allowed;
use super::changelog::{self, Action, Change};
use super::checks::Checks;
use super::clean::{FieldErrors, add_error};
#[path = "store_refs.rs"]
mod refs;

pub(crate) use refs::slugs_changed;

use super::custom_field_filters;
use super::custom_fields::{self, Definition};
use super::page_json::json_array;
use super::registry::{ModelRegistry, MountedModel};
use super::signals::send;
use super::sql::{
    col, filter, literal_like, ordering, read_integer, read_object, select_list, sort_sql,
    sort_term, stamp_sql, statement, stored_columns,
};
use super::{Actor, Object, WriteError};
use super::{filters, tags};
use crate::db::{Database, derived};
use netbox_framework::migrations::Backend;
use netbox_framework::models::ModelSchema;
use netbox_framework::signals::Signal;
use sea_query::{
    Asterisk, CommonTableExpression, Cond, Expr, ExprTrait, Func, Order, Query, SelectStatement,
    WithClause,
};
use sqlx::Row;

/// The most choices a form's select input offers; a reference to a model with more objects
/// is typed, with suggestions as the user types.
pub const CHOICES_MAX: usize = 1000;

/// What a list shows.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Quick search in the model's search fields.
    pub q: Option<String>,
    /// Filters as in the query string (`name__ic=x`; see [`filters::conditions`]); values of
    /// one name are OR-ed.
    pub filters: Vec<(String, String)>,
    /// Further groups of filters, each applied like `filters`, all of them AND-ed (the typed
    /// data API's chained filters).
    pub filter_groups: Vec<Vec<(String, String)>>,
    /// Page size.
    pub limit: i64,
    /// Objects skipped.
    pub offset: i64,
    /// `ordering=` terms: field names, `-` first for descending.
    pub ordering: Vec<String>,
    /// A keyset page: objects with an id of at least this, by id (NetBox 4.6's `?start=`).
    pub start: Option<i64>,
    /// Objects without their tags and custom fields (for the typed data API, whose objects
    /// have no place for them): the page costs two subqueries a row less.
    pub bare: bool,
}

/// A model's data in one database.
pub struct Store<'a> {
    database: &'a Database,
    models: &'a ModelRegistry,
    model: &'a MountedModel,
    actor: Actor,
    expected: Option<String>,
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
            expected: None,
        }
    }

    /// The store whose updates and deletes first check that the object is still the version
    /// the client saw: `if_match` is an `If-Match` header value (entity tags from
    /// [`super::write::etag`], or `*`); a mismatch is [`WriteError::Stale`].
    pub fn expecting(mut self, if_match: Option<String>) -> Self {
        self.expected = if_match;
        self
    }

    /// The store of another model, as the same actor (for cascading deletes).
    pub(super) fn of_model(&self, model: &'a MountedModel) -> Store<'a> {
        Store::new(self.database, self.models, model, self.actor.clone())
    }

    /// The version updates and deletes expect (see [`Store::expecting`]).
    pub(super) fn expected(&self) -> Option<&str> {
        self.expected.as_deref()
    }

    /// The database.
    pub(super) fn database(&self) -> &'a Database {
        self.database
    }

    /// Every model.
    pub(super) fn models(&self) -> &'a ModelRegistry {
        self.models
    }

    /// The condition restricting `action` to what the actor may do it on (`None`: nothing to
    /// add); [`WriteError::Forbidden`] when the actor may not do it at all.
    pub(super) fn allowed(&self, action: &str) -> Result<Option<Cond>, WriteError> {
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
    pub(super) async fn within(
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
    pub(super) fn outside(&self, action: &str) -> WriteError {
        WriteError::Forbidden(format!(
            "You may not {action} this {}: it would be outside the objects your permissions allow.",
            self.schema().verbose_name.to_lowercase()
        ))
    }

    pub(super) fn schema(&self) -> &'static ModelSchema {
        self.model.schema
    }

    /// The plugin that contributes the model (`core` for the host's own).
    pub(super) fn owner(&self) -> &'static str {
        self.model.owner
    }

    /// The checks of this model's writes.
    pub(super) fn checks(&self) -> Checks<'_> {
        Checks {
            database: self.database,
            models: self.models,
            schema: self.schema(),
        }
    }

    /// `SELECT <every column> FROM <table>`.
    pub(super) fn select(&self) -> SelectStatement {
        let schema = self.schema();
        Query::select()
            .exprs(select_list(schema, self.database.backend()))
            .from(schema.table)
            .take()
    }

    /// Reads one object inside a write transaction, locking its row for the rest of the
    /// transaction (PostgreSQL; SQLite's writers are already serialized).
    pub(super) async fn fetch_locked(
        &self,
        connection: &mut sqlx::AnyConnection,
        id: i64,
        lock: sea_query::LockType,
    ) -> Result<Option<Object>, sqlx::Error> {
        let select = self.select().and_where(col("id").eq(id)).lock(lock).take();
        let row = statement(self.database().backend(), &select)
            .fetch_optional(&mut *connection)
            .await?;
        if row.is_some()
            && (self.schema().fields.iter().any(|f| !f.is_column())
                || tags::has_features(self.schema()))
        {
            // Locked now: read again, so that many-to-many links are current (on PostgreSQL a
            // locking read's subqueries may see the data of before its wait for the lock).
            return self.fetch(connection, id).await;
        }
        row.map(|row| super::sql::read_object(self.schema(), &row))
            .transpose()
    }

    /// Reads one object inside a transaction.
    pub(super) async fn fetch(
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
    pub(super) fn send(
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
    pub(super) async fn record(
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

    /// The conditions of a list query (see [`super::filters`]), and the search's common
    /// table expression when it has one; filters that do not apply are field errors.
    fn conditions(
        &self,
        query: &ListQuery,
        definitions: &[Definition],
    ) -> Result<(Cond, Option<CommonTableExpression>), FieldErrors> {
        let schema = self.schema();
        let backend = self.database.backend();
        let given =
            |filters| filters::conditions(self.models, schema, filters, definitions, backend);
        let mut conditions = given(&query.filters)?;
        for group in &query.filter_groups {
            conditions = conditions.add(given(group)?);
        }
        let mut matched = None;
        if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let (condition, table) = self.search(q, definitions);
            conditions = conditions.add(condition);
            matched = table;
        }
        if let Some(start) = query.start {
            conditions = conditions.add(col("id").gte(start));
        }
        Ok((conditions, matched))
    }

    /// The custom fields of the model when `query` filters by one or searches (none
    /// otherwise: the definitions are read only when needed).
    async fn definitions_for(&self, query: &ListQuery) -> Result<Vec<Definition>, sqlx::Error> {
        let filtered = query
            .filters
            .iter()
            .chain(query.filter_groups.iter().flatten())
            .any(|(key, _)| key.starts_with("cf_"))
            || query.q.as_deref().is_some_and(|q| !q.trim().is_empty());
        if !filtered || !tags::has_features(self.schema()) {
            return Ok(Vec::new());
        }
        custom_fields::cached(self.database, &self.schema().key()).await
    }

    /// The condition of a quick search for `q`: a substring of any search field, ignoring
    /// case, through the table `matched` (evaluated once per statement, for the count and the
    /// page). Answered by the model's search index (see [`crate::db::derived`]): on SQLite
    /// the trigram FTS table from three characters on (shorter text reads the table), on
    /// PostgreSQL a `LIKE` on the indexed text.
    fn search(&self, q: &str, definitions: &[Definition]) -> (Cond, Option<CommonTableExpression>) {
        let schema = self.schema();
        let backend = self.database.backend();
        let lowered = filters::fold_case(q, backend);
        let custom = custom_field_filters::search(schema, definitions, &lowered, backend);
        if schema.search_fields.is_empty() && custom.is_none() {
            return (Cond::all(), None);
        }
        let mut matches = match self.database.backend() {
            _ if schema.search_fields.is_empty() => Query::select()
                .column("id")
                .from(schema.table)
                .and_where(Expr::cust("FALSE"))
                .take(),
            Backend::Sqlite if q.chars().count() >= 3 => {
                let table = derived::search_table(schema);
                let phrase = format!("\"{}\"", q.replace('"', "\"\""));
                Query::select()
                    .expr_as(Expr::col("rowid"), "id")
                    .from(sea_query::Alias::new(table.as_str()))
                    .and_where(Expr::cust_with_values(
                        format!("\"{table}\" MATCH ?"),
                        [phrase],
                    ))
                    .take()
            }
            Backend::Sqlite => {
                let any = schema.search_fields.iter().fold(Cond::any(), |any, name| {
                    any.add(Func::lower(col(name)).like(literal_like("%", &lowered, "%")))
                });
                Query::select()
                    .column("id")
                    .from(schema.table)
                    .cond_where(any)
                    .take()
            }
            Backend::Postgres => Query::select()
                .column("id")
                .from(schema.table)
                .and_where(
                    Expr::cust(derived::search_text(schema)).like(literal_like("%", &lowered, "%")),
                )
                .take(),
        };
        if let Some(custom) = custom {
            matches.union(sea_query::UnionType::Distinct, custom);
        }
        let cte = CommonTableExpression::new()
            .query(matches)
            .column("id")
            .table_name("matched")
            .materialized(true)
            .to_owned();
        let ids = Query::select().column("id").from("matched").take();
        (Cond::all().add(col("id").in_subquery(ids)), Some(cte))
    }

    /// The `ORDER BY` terms of a list: the client's `ordering` (checked against the model's
    /// columns), else the model's, then `id` so that pages never overlap. A keyset page
    /// (`start`) is ordered by `id` only.
    fn order(&self, query: &ListQuery) -> Result<Vec<(String, Order)>, FieldErrors> {
        let schema = self.schema();
        let mut terms = Vec::new();
        if query.start.is_some() {
            if !query.ordering.is_empty() || query.offset > 0 {
                let mut errors = FieldErrors::new();
                add_error(
                    &mut errors,
                    "start",
                    "A page by `start` is ordered by id: it cannot be combined with `offset` or `ordering`.",
                );
                return Err(errors);
            }
        } else if query.ordering.is_empty() {
            let backend = self.database.backend();
            for (expression, order) in ordering(schema.ordering) {
                terms.push((sort_term(schema, expression, backend), order));
            }
        } else {
            let mut errors = FieldErrors::new();
            for term in &query.ordering {
                let (name, order) = match term.strip_prefix('-') {
                    Some(name) => (name, Order::Desc),
                    None => (term.as_str(), Order::Asc),
                };
                match name {
                    "id" => terms.push(("\"id\"".to_string(), order)),
                    // As times on PostgreSQL (a hand-written table may keep them as text).
                    "created" | "last_updated" => {
                        terms.push((stamp_sql(sorted(name), self.database.backend()), order))
                    }
                    _ => match schema.field(name).filter(|field| field.is_column()) {
                        Some(field) => {
                            terms.push((sort_sql(field, self.database.backend()), order))
                        }
                        None => add_error(
                            &mut errors,
                            "ordering",
                            format!(
                                "“{name}” is not a field of {}.",
                                schema.verbose_name_plural.to_lowercase()
                            ),
                        ),
                    },
                }
            }
            if !errors.is_empty() {
                return Err(errors);
            }
        }
        terms.push(("\"id\"".to_string(), Order::Asc));
        Ok(terms)
    }

    /// The total count (`None` for a keyset page, which does not count) and one page of
    /// objects.
    pub async fn list(&self, query: &ListQuery) -> Result<(Option<i64>, Vec<Object>), WriteError> {
        self.page(query, false, None).await
    }

    /// Like [`Store::list`], on `connection` (inside its transaction, seeing its writes).
    pub async fn list_in(
        &self,
        connection: &mut sqlx::AnyConnection,
        query: &ListQuery,
    ) -> Result<(Option<i64>, Vec<Object>), WriteError> {
        self.page(query, false, Some(connection)).await
    }

    /// Like [`Store::list`], each object as its values in [`super::sql::select_list`] order
    /// (`id`, the fields, `created`, `last_updated`): no map per object, for callers that
    /// read every field anyway (the API).
    pub async fn list_rows(
        &self,
        query: &ListQuery,
    ) -> Result<(Option<i64>, Vec<Vec<serde_json::Value>>), WriteError> {
        self.page(query, true, None).await
    }

    /// The count and one page, each object as JSON (`positional`: an array of its values).
    async fn page<T: serde::de::DeserializeOwned>(
        &self,
        query: &ListQuery,
        positional: bool,
        connection: Option<&mut sqlx::AnyConnection>,
    ) -> Result<(Option<i64>, Vec<T>), WriteError> {
        let schema = self.schema();
        let backend = self.database.backend();
        let definitions = self.definitions_for(query).await?;
        let (mut conditions, matched) = self
            .conditions(query, &definitions)
            .map_err(WriteError::Invalid)?;
        let order = self.order(query).map_err(WriteError::Invalid)?;
        if let Some(allowed) = self.allowed("view")? {
            conditions = conditions.add(allowed);
        }
        // One statement, one row: the count and the page as one JSON array, so that a page
        // costs one round trip and no per-row decoding, however long it is.
        let count = match query.start {
            Some(_) => Expr::cust("NULL"),
            None => {
                let mut count = Query::select()
                    .expr(Expr::col(Asterisk).count())
                    .from(schema.table)
                    .take();
                let whole = conditions.is_empty();
                filter(&mut count, conditions.clone());
                let counted = Expr::SubQuery(None, Box::new(count.into()));
                if whole {
                    // The kept count, where the derived migration keeps one.
                    let kept = Expr::cust(derived::kept_count(schema.table, backend));
                    Func::coalesce([kept, counted]).into()
                } else {
                    counted
                }
            }
        };
        let mut page = Query::select()
            .columns(stored_columns(schema, backend))
            .from(schema.table)
            .take();
        filter(&mut page, conditions);
        for (expression, direction) in &order {
            page.order_by_expr(Expr::cust(expression.clone()), direction.clone());
        }
        page.limit(u64::try_from(query.limit).unwrap_or_default())
            .offset(u64::try_from(query.offset).unwrap_or_default());
        let objects = Query::select()
            .expr(Expr::cust(json_array(
                schema,
                backend,
                &order,
                positional,
                !query.bare,
            )))
            .from_subquery(page, "page")
            .take();
        let combined = Query::select()
            .expr(count)
            .expr(Expr::SubQuery(None, Box::new(objects.into())))
            .take();
        let statement = match matched {
            Some(cte) => statement(
                backend,
                &WithClause::new().cte(cte).to_owned().query(combined),
            ),
            None => statement(backend, &combined),
        };
        let row = match connection {
            Some(connection) => statement.fetch_one(connection).await?,
            None => statement.fetch_one(self.database.pool()).await?,
        };
        let count = read_integer(&row, 0)?;
        let text: Option<String> = row.try_get(1)?;
        let objects = match text {
            Some(text) => {
                serde_json::from_str(&text).map_err(|error| sqlx::Error::Decode(Box::new(error)))?
            }
            None => Vec::new(),
        };
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
}

/// The most ids one statement binds (SQLite takes 32,766 values, PostgreSQL 65,535).
const IDS_PER_STATEMENT: usize = 10_000;

/// A column name from the fixed set of sortable columns that are not fields.
fn sorted(name: &str) -> &'static str {
    match name {
        "created" => "created",
        "last_updated" => "last_updated",
        _ => "id",
    }
}
