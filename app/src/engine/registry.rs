//! Every model the running application serves: the core ones and each enabled plugin's, with
//! their URLs and which other models refer to them.

use crate::plugins::contributions::Contributions;
use crate::plugins::{LinkedPlugin, PluginRegistry};
use crate::problems::Problem;
use netbox_framework::__host::all_receivers;
use netbox_framework::PluginContext;
use netbox_framework::models::{Field, FieldKind, ModelSchema, OnDelete};
use netbox_framework::signals::{Receiver, Signal};
use netbox_framework::tables::TableColumn;
use std::collections::HashMap;
use std::sync::Arc;

/// A model and where it is served.
#[derive(Debug, Clone)]
pub struct MountedModel {
    /// The schema.
    pub schema: &'static ModelSchema,
    /// Actions permissions may grant besides view, add, change and delete.
    pub custom_actions: Vec<&'static str>,
    /// The plugin that contributes it (`core` for the host's own).
    pub owner: &'static str,
    /// Path of its list page, e.g. `/dcim/sites/`.
    pub ui_base: String,
    /// Path of its API list, e.g. `/api/dcim/sites/`.
    pub api_base: String,
}

/// A tab a plugin adds to a model's object pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TabSpec {
    /// The plugin.
    pub plugin: &'static str,
    /// The model whose object pages show it.
    pub model: String,
    /// Path segment under the object URL.
    pub path: &'static str,
    /// Text.
    pub label: String,
    /// Order among tabs.
    pub weight: i32,
    /// Hidden when the badge counts zero.
    pub hide_if_empty: bool,
    /// The related model's key and its filters, each with the object's field giving the
    /// value (see `ViewKind::Related`): their count is the badge.
    pub badge: Option<(&'static str, Vec<(String, &'static str)>)>,
    /// The permission a user needs to see the tab (besides viewing the related model).
    pub permission: Option<String>,
}

/// A receiver of an enabled plugin, with that plugin's context.
#[derive(Debug, Clone)]
pub struct ActiveReceiver {
    /// The plugin's name.
    pub plugin: &'static str,
    /// Its context (settings).
    pub context: Arc<PluginContext>,
    /// The registration.
    pub receiver: &'static Receiver,
}

/// A problem of a plugin's contribution.
pub(super) fn problem(plugin: &str, message: String) -> Problem {
    Problem::InvalidContribution {
        plugin: Some(plugin.to_string()),
        message,
    }
}

impl crate::auth::permissions::ModelCatalog for ModelRegistry {
    fn schema(&self, key: &str) -> Option<&'static ModelSchema> {
        let change_log = &super::changelog::OBJECT_CHANGE;
        match self.get(key) {
            Some(model) => Some(model.schema),
            None if key == change_log.key() => Some(change_log),
            None => None,
        }
    }

    fn custom_actions(&self, key: &str) -> Vec<&'static str> {
        self.get(key)
            .map(|model| model.custom_actions.clone())
            .unwrap_or_default()
    }

    fn check_filter(
        &self,
        key: &str,
        attribute: &str,
        value: &serde_json::Value,
    ) -> Result<(), String> {
        let schema = crate::auth::permissions::ModelCatalog::schema(self, key)
            .ok_or_else(|| format!("`{key}` is not a model"))?;
        super::access::check_filter(schema, attribute, value)
    }
}

/// All served models.
#[derive(Debug, Clone, Default)]
pub struct ModelRegistry {
    models: Vec<MountedModel>,
    by_key: HashMap<String, usize>,
    pub(super) tabs: Vec<TabSpec>,
    /// Columns plugins add to models' tables: (plugin, column), by model key.
    pub(super) columns: HashMap<String, Vec<(&'static str, TableColumn)>>,
    receivers: Vec<ActiveReceiver>,
}

impl ModelRegistry {
    /// Mounts every active plugin's models (the core's at `/<app>/<segment>/`, the others
    /// under their base URLs) and checks them, the plugins' views and the linked receivers
    /// together. Each problem names the plugin: a model key used twice, a foreign key to an
    /// unknown model, a display or search field that does not exist, a view on a model that is
    /// not served, a receiver that cannot be placed.
    pub fn build(
        contributions: &Contributions,
        plugins: &PluginRegistry,
    ) -> Result<ModelRegistry, Vec<Problem>> {
        let mut registry = ModelRegistry::default();
        let mut errors = Vec::new();
        registry.mount(contributions, &mut errors);
        registry.add_custom_actions(contributions, &mut errors);
        registry.check_models(&mut errors);
        registry.add_views(contributions, &mut errors);
        registry.add_columns(contributions, &mut errors);
        let (receivers, receiver_errors) = resolve_receivers(&registry, plugins, all_receivers());
        registry.receivers = receivers;
        errors.extend(receiver_errors);
        if errors.is_empty() {
            Ok(registry)
        } else {
            Err(errors)
        }
    }

    /// Mounts every active plugin's models: the core's at `/<app>/<segment>/`, the others
    /// under their base URLs.
    fn mount(&mut self, contributions: &Contributions, errors: &mut Vec<Problem>) {
        for contribution in contributions.all() {
            let metadata = contribution.metadata();
            for &schema in &contribution.models {
                let (ui_base, api_base) = if contribution.internal {
                    (
                        format!("/{}/{}/", schema.app, schema.url_segment),
                        format!("/api/{}/{}/", schema.app, schema.api_url_segment),
                    )
                } else {
                    (
                        format!("/plugins/{}/{}/", metadata.base_url, schema.url_segment),
                        format!(
                            "/api/plugins/{}/{}/",
                            metadata.base_url, schema.api_url_segment
                        ),
                    )
                };
                let key = schema.key();
                if self.by_key.contains_key(&key) {
                    errors.push(problem(
                        metadata.name,
                        format!("model `{key}` is declared twice"),
                    ));
                    continue;
                }
                self.by_key.insert(key, self.models.len());
                self.models.push(MountedModel {
                    schema,
                    custom_actions: Vec::new(),
                    owner: metadata.name,
                    ui_base,
                    api_base,
                });
            }
        }
    }

    /// Adds the custom actions plugins declare on their own models.
    fn add_custom_actions(&mut self, contributions: &Contributions, errors: &mut Vec<Problem>) {
        for contribution in contributions.all() {
            let plugin = contribution.name();
            for &(key, action) in &contribution.custom_actions {
                let valid = !action.is_empty()
                    && action.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                    && !crate::auth::permissions::STANDARD_ACTIONS.contains(&action);
                let Some(&index) = self.by_key.get(key) else {
                    errors.push(problem(
                        plugin,
                        format!(
                            "custom action `{action}` is on `{key}`, which is not a served model"
                        ),
                    ));
                    continue;
                };
                let model = &mut self.models[index];
                if model.owner != plugin {
                    errors.push(problem(plugin, format!("custom action `{action}` is on `{key}`, a model of `{}`: a plugin declares actions on its own models", model.owner)));
                } else if !valid {
                    errors.push(problem(plugin, format!("custom action `{action}` on `{key}` must be a lowercase word (a-z, _) other than view, add, change and delete")));
                } else if model.custom_actions.contains(&action) {
                    errors.push(problem(
                        plugin,
                        format!("custom action `{action}` on `{key}` is declared twice"),
                    ));
                } else {
                    model.custom_actions.push(action);
                }
            }
        }
    }

    /// Checks names, display and search fields, `unique_together` and foreign keys.
    fn check_models(&self, errors: &mut Vec<Problem>) {
        for model in &self.models {
            let schema = model.schema;
            // Statements quote identifiers; PostgreSQL folds unquoted ones in migrations to
            // lower case, so anything else would name another table or column.
            let plain = |name: &str| {
                !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            };
            for name in std::iter::once(schema.table).chain(schema.fields.iter().map(|f| f.name)) {
                if !plain(name) {
                    errors.push(problem(
                        model.owner,
                        format!(
                            "model `{}` uses the name `{name}`: table and field names take lowercase letters, digits and _",
                            schema.key()
                        ),
                    ));
                }
            }
            // Every object's tags and custom fields, and their filters, take these names.
            for field in schema
                .fields
                .iter()
                .filter(|_| super::tags::has_features(schema))
            {
                let reserved = ["tags", "custom_fields", "tag", "tag_id"].contains(&field.name)
                    || field.name.starts_with("cf_");
                if reserved {
                    errors.push(problem(
                        model.owner,
                        format!(
                            "model `{}` has a field `{}`: `tags`, `custom_fields`, `tag`, `tag_id` and names starting with `cf_` are every object's tags and custom fields; rename the field",
                            schema.key(),
                            field.name
                        ),
                    ));
                }
            }
            if model.owner != crate::builtin::CORE && schema.app != model.owner {
                errors.push(problem(
                    model.owner,
                    format!(
                        "model `{}` belongs to app `{}`, but plugin `{}` contributes it: a plugin's models take its name as their app (#[model(app = \"{}\")])",
                        schema.key(),
                        schema.app,
                        model.owner,
                        model.owner
                    ),
                ));
            }
            for field in schema.fields {
                if field.on_delete == OnDelete::SetNull && field.required {
                    errors.push(problem(
                        model.owner,
                        format!(
                            "field `{}` of model `{}` is set to null when its object is deleted, so it cannot be required",
                            field.name,
                            schema.key()
                        ),
                    ));
                }
            }
            for name in std::iter::once(&schema.display_field)
                .chain(schema.unique_together.iter().flat_map(|group| group.iter()))
            {
                if schema.field(name).is_some_and(|field| !field.is_column()) {
                    errors.push(problem(
                        model.owner,
                        format!(
                            "model `{}` shows or compares `{name}`, a many-to-many field, which has no column",
                            schema.key()
                        ),
                    ));
                }
            }
            if let Some(field) = schema.field(schema.display_field)
                && matches!(
                    field.kind,
                    FieldKind::Decimal { .. } | FieldKind::Date | FieldKind::DateTime
                )
            {
                errors.push(problem(
                    model.owner,
                    format!(
                        "model `{}` names `{}` as its display field: a decimal, date or date-time cannot name objects; display a text or integer field",
                        schema.key(),
                        field.name
                    ),
                ));
            }
            // Defaults pass the field's own validation (a decimal's places, a date's form...).
            let (_, refused) = super::clean::clean_partial(
                schema,
                &serde_json::Map::new(),
                super::clean::Mode::Create,
                false,
            );
            for field in schema.fields {
                if let (Some(default), Some(messages)) = (field.default, refused.get(field.name)) {
                    errors.push(problem(
                        model.owner,
                        format!(
                            "field `{}` of model `{}` has the default `{default}`, which it refuses: {}",
                            field.name,
                            schema.key(),
                            messages.join(" ")
                        ),
                    ));
                }
            }
            for field in schema.fields.iter().filter(|field| !field.is_column()) {
                let join = schema.join_table(field);
                if let Some(other) = self.models.iter().find(|m| m.schema.table == join) {
                    errors.push(problem(
                        model.owner,
                        format!(
                            "many-to-many field `{}` of model `{}` needs the table `{join}`, which is model `{}`'s: rename the field or give one model another table",
                            field.name,
                            schema.key(),
                            other.schema.key()
                        ),
                    ));
                }
                if field.unique || field.indexed || field.required || field.default.is_some() {
                    errors.push(problem(
                        model.owner,
                        format!(
                            "many-to-many field `{}` of model `{}` is a join table, not a column: it cannot be unique, indexed, required or have a default",
                            field.name,
                            schema.key()
                        ),
                    ));
                }
            }
            if schema.field(schema.display_field).is_none() {
                errors.push(problem(
                    model.owner,
                    format!(
                        "model `{}` names display_field `{}`, which it does not have",
                        schema.key(),
                        schema.display_field
                    ),
                ));
            }
            for name in schema
                .search_fields
                .iter()
                .chain(schema.unique_together.iter().flat_map(|group| group.iter()))
            {
                if schema.field(name).is_none() {
                    errors.push(problem(
                        model.owner,
                        format!(
                            "model `{}` names field `{name}`, which it does not have",
                            schema.key()
                        ),
                    ));
                }
            }
            for name in schema.search_fields {
                if let Some(field) = schema.field(name)
                    && !field.is_searchable()
                {
                    errors.push(problem(
                        model.owner,
                        format!(
                            "model `{}` searches field `{name}`, which is not text: search_fields must be text, slug, choice or network fields",
                            schema.key()
                        ),
                    ));
                }
            }
            for field in schema.fields {
                if let FieldKind::ForeignKey { model: target }
                | FieldKind::ManyToMany { model: target } = field.kind
                    && !self.by_key.contains_key(target)
                {
                    errors.push(problem(model.owner, format!(
                        "field `{}` of model `{}` refers to model `{target}`, which is not served (known models: {})",
                        field.name,
                        schema.key(),
                        self.models.iter().map(|m| m.schema.key()).collect::<Vec<_>>().join(", ")
                    )));
                }
            }
        }
    }

    /// The receivers of `signal` for `model` (a model key, or a custom signal's name), in
    /// plugin configuration order.
    pub fn receivers(&self, signal: Signal, model: &str) -> impl Iterator<Item = &ActiveReceiver> {
        let model = model.to_string();
        self.receivers.iter().filter(move |active| {
            active.receiver.signal == signal
                && active.receiver.model.is_none_or(|wanted| wanted == model)
        })
    }

    /// The tabs plugins add to the object pages of `key`, by weight.
    pub fn columns_of(&self, key: &str) -> &[(&'static str, TableColumn)] {
        self.columns.get(key).map(Vec::as_slice).unwrap_or_default()
    }

    /// The tabs plugins add to objects of model `key`, by weight.
    pub fn tabs_of(&self, key: &str) -> impl Iterator<Item = &TabSpec> {
        self.tabs.iter().filter(move |tab| tab.model == key)
    }

    /// Every model, core first, then plugins' in configuration order.
    pub fn all(&self) -> &[MountedModel] {
        &self.models
    }

    /// A model by key (`"dcim.site"`).
    pub fn get(&self, key: &str) -> Option<&MountedModel> {
        self.by_key.get(key).map(|index| &self.models[*index])
    }

    /// The (model, field) pairs whose many-to-many fields link to objects of `key`.
    pub fn links_to(&self, key: &str) -> Vec<(&MountedModel, &'static Field)> {
        self.fields_to(key, true)
    }

    /// The (model, field) pairs whose foreign keys point at `key`.
    pub fn references_to(&self, key: &str) -> Vec<(&MountedModel, &'static str)> {
        self.fields_to(key, false)
            .into_iter()
            .map(|(model, field)| (model, field.name))
            .collect()
    }

    /// The fields referring to objects of `key`: many-to-many fields, or foreign keys.
    fn fields_to(&self, key: &str, many: bool) -> Vec<(&MountedModel, &'static Field)> {
        let refers = |kind: FieldKind| match kind {
            FieldKind::ManyToMany { model } => many && model == key,
            FieldKind::ForeignKey { model } => !many && model == key,
            _ => false,
        };
        self.models
            .iter()
            .flat_map(|model| {
                model
                    .schema
                    .fields
                    .iter()
                    .filter(move |field| refers(field.kind))
                    .map(move |field| (model, field))
            })
            .collect()
    }
}

/// Finds each linked receiver's plugin (by `plugin = ...` or its crate), keeps those of enabled
/// plugins in configuration order, and reports receivers that cannot be placed.
pub fn resolve_receivers(
    models: &ModelRegistry,
    plugins: &PluginRegistry,
    receivers: Vec<&'static Receiver>,
) -> (Vec<ActiveReceiver>, Vec<Problem>) {
    let mut errors = Vec::new();
    let mut active = Vec::new();
    let order: HashMap<&str, usize> = plugins
        .enabled()
        .enumerate()
        .map(|(index, (descriptor, _))| (descriptor.metadata.name, index))
        .collect();
    for receiver in receivers {
        let candidates: Vec<&LinkedPlugin> = plugins
            .all()
            .iter()
            .filter(|plugin| plugin.descriptor.package == receiver.package)
            .filter(|plugin| {
                receiver
                    .plugin
                    .is_none_or(|name| name == plugin.metadata().name)
            })
            .collect();
        let plugin = match candidates.as_slice() {
            [plugin] => *plugin,
            [] => {
                errors.push(Problem::InvalidContribution { plugin: None, message: match receiver.plugin {
                    Some(name) => format!(
                        "receiver `{}` names plugin `{name}`, which crate `{}` does not declare",
                        receiver.name, receiver.package
                    ),
                    None => format!(
                        "receiver `{}` is in crate `{}`, which declares no plugin",
                        receiver.name, receiver.package
                    ),
                }});
                continue;
            }
            several => {
                let names: Vec<&str> = several.iter().map(|p| p.metadata().name).collect();
                errors.push(Problem::InvalidContribution { plugin: None, message: format!(
                    "receiver `{}`: crate `{}` declares several plugins ({}); add plugin = \"...\" to its #[receiver]",
                    receiver.name,
                    receiver.package,
                    names.join(", ")
                )});
                continue;
            }
        };
        let Some(context) = plugin.context().cloned() else {
            continue;
        };
        if let Some(model) = receiver.model
            && models.get(model).is_none()
        {
            errors.push(Problem::InvalidContribution {
                plugin: Some(plugin.metadata().name.to_string()),
                message: format!(
                    "receiver `{}` listens to model `{model}`, which is not served",
                    receiver.name
                ),
            });
            continue;
        }
        active.push(ActiveReceiver {
            plugin: plugin.metadata().name,
            context,
            receiver,
        });
    }
    active.sort_by_key(|a| {
        (
            order.get(a.plugin).copied().unwrap_or(usize::MAX),
            a.receiver.name,
        )
    });
    (active, errors)
}
