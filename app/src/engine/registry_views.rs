//! The views plugins add under other models' objects, checked and turned into tabs when the
//! registry is built (see [`super::registry::ModelRegistry::build`]).

use super::registry::{ModelRegistry, TabSpec, problem};
use crate::plugins::contributions::{Contributions, ViewKind};
use crate::problems::Problem;
use netbox_framework::models::FieldKind;
use netbox_framework::tables::ColumnContent;

impl ModelRegistry {
    /// Checks the plugins' views on objects and keeps their tabs, by weight.
    pub(super) fn add_views(&mut self, contributions: &Contributions, errors: &mut Vec<Problem>) {
        for contribution in contributions.all() {
            let plugin = contribution.name();
            for view in &contribution.views {
                let Some(target) = self.get(view.model) else {
                    errors.push(problem(
                        plugin,
                        format!(
                            "view `{}` is for model `{}`, which is not served",
                            view.path, view.model
                        ),
                    ));
                    continue;
                };
                let target_key = target.schema.key();
                let valid_path = !view.path.is_empty()
                    && view.path.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'
                    })
                    && !["edit", "delete", "changelog"].contains(&view.path);
                if !valid_path {
                    errors.push(problem(plugin, format!("view path `{}` on `{}` must be a slug other than edit, delete and changelog", view.path, view.model)));
                }
                let badge = match &view.kind {
                    ViewKind::Related {
                        model,
                        field: Some(field),
                        filters,
                    } => {
                        let points_here = self.get(model).and_then(|related| related.schema.field(field)).is_some_and(
                            |f| matches!(f.kind, FieldKind::ForeignKey { model: to } if to == view.model),
                        );
                        if !points_here {
                            errors.push(problem(plugin, format!(
                                "view `{}` lists `{model}` by field `{field}`, which is not a foreign key of a served model to `{}`",
                                view.path, view.model
                            )));
                        }
                        Some((*model, filters.clone()))
                    }
                    ViewKind::Related {
                        model,
                        field: None,
                        filters,
                    } => {
                        let Some(related) = self.get(model) else {
                            errors.push(problem(
                                plugin,
                                format!(
                                    "view `{}` on `{}` lists model `{model}`, which is not served",
                                    view.path, view.model
                                ),
                            ));
                            continue;
                        };
                        let known = super::filters::names(self, related.schema);
                        for (filter, source) in filters {
                            if !known.iter().any(|(name, _)| name == filter) {
                                errors.push(problem(plugin, format!(
                                    "view `{}` on `{}` filters `{model}` by `{filter}`, which is not one of its filters",
                                    view.path, view.model
                                )));
                            }
                            if *source != "id"
                                && target.schema.field(source).is_none_or(|f| !f.is_column())
                            {
                                errors.push(problem(plugin, format!(
                                    "view `{}` on `{}` takes a filter value from `{source}`, which is not a field of `{}`",
                                    view.path, view.model, view.model
                                )));
                            }
                        }
                        Some((*model, filters.clone()))
                    }
                    ViewKind::Handler => None,
                };
                if let Some(tab) = &view.tab {
                    self.tabs.push(TabSpec {
                        plugin,
                        model: target_key,
                        path: view.path,
                        label: tab.label.clone(),
                        weight: tab.weight,
                        hide_if_empty: tab.hide_if_empty,
                        badge,
                        permission: tab.permission.clone(),
                    });
                }
            }
        }
        self.tabs.sort_by_key(|tab| tab.weight);
    }

    /// Checks the columns plugins add to tables: a served model, a new name (a slug of
    /// lowercase letters, digits and `_`), and for a count a foreign key to that model.
    pub(super) fn add_columns(&mut self, contributions: &Contributions, errors: &mut Vec<Problem>) {
        for contribution in contributions.all() {
            let plugin = contribution.name();
            for column in &contribution.table_columns {
                let Some(target) = self.get(column.model) else {
                    errors.push(problem(
                        plugin,
                        format!(
                            "table column `{}` is for model `{}`, which is not served",
                            column.name, column.model
                        ),
                    ));
                    continue;
                };
                let valid = !column.name.is_empty()
                    && column
                        .name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                let taken = target.schema.field(column.name).is_some()
                    || ["id", "tags", "created", "last_updated"].contains(&column.name)
                    || column.name.starts_with("cf_")
                    || self
                        .columns_of(column.model)
                        .iter()
                        .any(|(_, c)| c.name == column.name);
                if !valid || taken {
                    errors.push(problem(plugin, format!(
                        "table column `{}` of `{}` needs a name of lowercase letters, digits and `_` that no field, custom field or other column of the table has",
                        column.name, column.model
                    )));
                    continue;
                }
                if let ColumnContent::Count { model, field } = column.content {
                    let points_here = self.get(model).and_then(|m| m.schema.field(field)).is_some_and(
                        |f| matches!(f.kind, FieldKind::ForeignKey { model: to } if to == column.model),
                    );
                    if !points_here {
                        errors.push(problem(plugin, format!(
                            "table column `{}` counts `{model}` by field `{field}`, which is not a foreign key of a served model to `{}`",
                            column.name, column.model
                        )));
                        continue;
                    }
                }
                self.columns
                    .entry(column.model.to_string())
                    .or_default()
                    .push((plugin, *column));
            }
        }
    }
}
