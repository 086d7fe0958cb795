//! Every model the running application serves: the core ones and each enabled plugin's, with
//! their URLs and which other models refer to them.

use crate::registry::PluginRegistry;
use netbox_framework::models::{FieldKind, ModelSchema};
use std::collections::HashMap;

/// A model and where it is served.
#[derive(Debug, Clone)]
pub struct MountedModel {
    /// The schema.
    pub schema: &'static ModelSchema,
    /// `core` or the plugin's name.
    pub owner: &'static str,
    /// Path of its list page, e.g. `/dcim/sites/`.
    pub ui_base: String,
    /// Path of its API list, e.g. `/api/dcim/sites/`.
    pub api_base: String,
}

/// All served models.
#[derive(Debug, Clone, Default)]
pub struct ModelRegistry {
    models: Vec<MountedModel>,
    by_key: HashMap<String, usize>,
}

impl ModelRegistry {
    /// Mounts the core models and each enabled plugin's. Errors name the plugin: a model key
    /// used twice, a foreign key to an unknown model, a display or search field that does not
    /// exist.
    pub fn build(
        core: Vec<&'static ModelSchema>,
        plugins: &PluginRegistry,
    ) -> Result<ModelRegistry, Vec<String>> {
        let mut registry = ModelRegistry::default();
        let mut errors = Vec::new();
        let mut add = |schema: &'static ModelSchema,
                       owner: &'static str,
                       ui_base: String,
                       api_base: String| {
            let key = schema.key();
            if registry.by_key.contains_key(&key) {
                errors.push(format!("{owner}: model `{key}` is declared twice"));
                return;
            }
            registry.by_key.insert(key, registry.models.len());
            registry.models.push(MountedModel {
                schema,
                owner,
                ui_base,
                api_base,
            });
        };
        for schema in core {
            add(
                schema,
                "core",
                format!("/{}/{}/", schema.app, schema.url_segment),
                format!("/api/{}/{}/", schema.app, schema.url_segment),
            );
        }
        for (descriptor, _) in plugins.enabled() {
            let metadata = &descriptor.metadata;
            for schema in descriptor.plugin.models() {
                add(
                    schema,
                    metadata.name,
                    format!("/plugins/{}/{}/", metadata.base_url, schema.url_segment),
                    format!("/api/plugins/{}/{}/", metadata.base_url, schema.url_segment),
                );
            }
        }
        for model in &registry.models {
            let schema = model.schema;
            let owner = if model.owner == "core" {
                "core".to_string()
            } else {
                format!("plugin `{}`", model.owner)
            };
            if schema.field(schema.display_field).is_none() {
                errors.push(format!(
                    "{owner}: model `{}` names display_field `{}`, which it does not have",
                    schema.key(),
                    schema.display_field
                ));
            }
            for name in schema
                .search_fields
                .iter()
                .chain(schema.unique_together.iter().flat_map(|group| group.iter()))
            {
                if schema.field(name).is_none() {
                    errors.push(format!(
                        "{owner}: model `{}` names field `{name}`, which it does not have",
                        schema.key()
                    ));
                }
            }
            for field in schema.fields {
                if let FieldKind::ForeignKey { model: target } = field.kind
                    && !registry.by_key.contains_key(target)
                {
                    errors.push(format!(
                        "{owner}: field `{}` of model `{}` refers to model `{target}`, which is not served (known models: {})",
                        field.name,
                        schema.key(),
                        registry.models.iter().map(|m| m.schema.key()).collect::<Vec<_>>().join(", ")
                    ));
                }
            }
        }
        if errors.is_empty() {
            Ok(registry)
        } else {
            Err(errors)
        }
    }

    /// Every model, core first, then plugins' in configuration order.
    pub fn all(&self) -> &[MountedModel] {
        &self.models
    }

    /// A model by key (`"dcim.site"`).
    pub fn get(&self, key: &str) -> Option<&MountedModel> {
        self.by_key.get(key).map(|index| &self.models[*index])
    }

    /// The (model, field) pairs whose foreign keys point at `key`.
    pub fn references_to(&self, key: &str) -> Vec<(&MountedModel, &'static str)> {
        self.models
            .iter()
            .flat_map(|model| {
                model
                    .schema
                    .fields
                    .iter()
                    .filter_map(move |field| match field.kind {
                        FieldKind::ForeignKey { model: target } if target == key => {
                            Some((model, field.name))
                        }
                        _ => None,
                    })
            })
            .collect()
    }
}
