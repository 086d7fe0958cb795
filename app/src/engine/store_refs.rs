//! What forms, pages and the API read of the objects others refer to: display names, brief
//! forms and the choices of a select.

use super::super::Object;
use super::super::access::Allowed;
use super::super::registry::MountedModel;
use super::super::sql::{
    Stored, col, id_and_display, read_expr, read_integer, read_text, read_value, statement,
};
use super::{CHOICES_MAX, IDS_PER_STATEMENT, Store};
use netbox_framework::models::Field;
use sea_query::{ExprTrait, Order, Query, SelectStatement};
use std::collections::HashMap;

/// The `(slug, display)` lists read recently (see [`super::super::recent`]).
static SLUGS: super::super::recent::Recent<Vec<(String, String)>> =
    super::super::recent::Recent::new();

/// Forgets the slug lists read so far: objects with slugs (tags) changed.
pub(crate) fn slugs_changed() {
    SLUGS.clear();
}

impl Store<'_> {
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
        let mut found = HashMap::with_capacity(ids.len());
        // In chunks: a statement binds a bounded number of values.
        for chunk in ids.chunks(IDS_PER_STATEMENT) {
            let select = Self::displays_of(model)
                .and_where(col("id").is_in(chunk.iter().copied()))
                .take();
            let rows = statement(self.database.backend(), &select)
                .fetch_all(self.database.pool())
                .await?;
            found.extend(id_and_display::<Vec<(i64, String)>>(&rows)?);
        }
        Ok(found)
    }

    /// The values of `fields` of objects of `model` by id (for the nested form of
    /// referenced objects).
    pub async fn briefs(
        &self,
        model: &MountedModel,
        fields: &[&'static Field],
        ids: &[i64],
    ) -> Result<HashMap<i64, Object>, sqlx::Error> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let mut select = Query::select().column("id").from(model.schema.table).take();
        for field in fields {
            select.expr(read_expr(
                &field.column(),
                Stored::of(field),
                self.database.backend(),
            ));
        }
        let mut found = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(IDS_PER_STATEMENT) {
            let mut select = select.clone();
            select.and_where(col("id").is_in(chunk.iter().copied()));
            let rows = statement(self.database.backend(), &select)
                .fetch_all(self.database.pool())
                .await?;
            for row in &rows {
                let id = read_integer(row, 0)?.unwrap_or_default();
                let mut values = Object::new();
                for (index, field) in fields.iter().enumerate() {
                    values.insert(field.name.to_string(), read_value(field, row, index + 1)?);
                }
                found.insert(id, values);
            }
        }
        Ok(found)
    }

    /// Up to [`CHOICES_MAX`] `(id, display)` of `model` that the actor may view, for a
    /// form's select input.
    pub async fn choices(&self, model: &MountedModel) -> Result<Vec<(i64, String)>, sqlx::Error> {
        let rows = self.labelled(model, "id").await?;
        id_and_display(&rows)
    }

    /// `(slug, display)` of the first objects of a model with slugs (tags, for a filter),
    /// as the actor may view them.
    pub async fn of_slugs(
        &self,
        model: &MountedModel,
    ) -> Result<Vec<(String, String)>, sqlx::Error> {
        if model.schema.field("slug").is_none() {
            return Ok(Vec::new());
        }
        // Everyone who may view every tag sees the same list: read it once in a while.
        let everything = matches!(
            Allowed::of(&self.actor, model.schema, "view"),
            Allowed::Everything
        );
        let key = format!("{} {}", self.database.display_url(), model.schema.key());
        if everything && let Some(kept) = SLUGS.get(&key) {
            return Ok(kept.as_ref().clone());
        }
        let generation = SLUGS.generation();
        let found: Vec<(String, String)> = self
            .labelled(model, "slug")
            .await?
            .iter()
            .map(|row| Ok((read_text(row, 0)?, read_text(row, 1)?)))
            .collect::<Result<_, sqlx::Error>>()?;
        if everything {
            SLUGS.put(generation, key, found.clone());
        }
        Ok(found)
    }

    /// Up to [`CHOICES_MAX`] rows of `key` and the display field of `model`'s objects the
    /// actor may view, by display.
    async fn labelled(
        &self,
        model: &MountedModel,
        key: &'static str,
    ) -> Result<Vec<sqlx::any::AnyRow>, sqlx::Error> {
        let mut select = Query::select()
            .column(key)
            .column(model.schema.display_field)
            .from(model.schema.table)
            .order_by(model.schema.display_field, Order::Asc)
            .order_by("id", Order::Asc)
            .limit(CHOICES_MAX as u64)
            .take();
        match Allowed::of(&self.actor, model.schema, "view").condition() {
            Err(_) => return Ok(Vec::new()),
            Ok(Some(allowed)) => {
                select.cond_where(allowed);
            }
            Ok(None) => {}
        }
        statement(self.database.backend(), &select)
            .fetch_all(self.database.pool())
            .await
    }

    /// How many objects of `related` the actor may view refer through foreign key `field`
    /// to each of `ids`, in one statement (`None`: the actor may view none of them).
    pub async fn counts_by(
        &self,
        related: &MountedModel,
        field: &'static Field,
        ids: &[i64],
    ) -> Result<Option<HashMap<i64, i64>>, sqlx::Error> {
        let column = || sea_query::DynIden::from(field.column());
        let mut select = Query::select()
            .column(column())
            .expr(sea_query::Expr::col(sea_query::Asterisk).count())
            .from(related.schema.table)
            .and_where(sea_query::Expr::col(column()).is_in(ids.iter().copied()))
            .group_by_col(column())
            .take();
        match Allowed::of(&self.actor, related.schema, "view").condition() {
            Err(_) => return Ok(None),
            Ok(Some(allowed)) => {
                select.cond_where(allowed);
            }
            Ok(None) => {}
        }
        let rows = statement(self.database.backend(), &select)
            .fetch_all(self.database.pool())
            .await?;
        let mut counts = HashMap::with_capacity(rows.len());
        for row in &rows {
            let id = read_integer(row, 0)?.unwrap_or_default();
            counts.insert(id, read_integer(row, 1)?.unwrap_or_default());
        }
        Ok(Some(counts))
    }
}
