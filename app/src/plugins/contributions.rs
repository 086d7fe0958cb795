//! The one place the host asks plugins for what they contribute.
//!
//! At startup each active plugin (the internal ones, then the enabled ones in configuration
//! order) is asked once for every kind of contribution, into one [`Contributions`] value that
//! validation, the database migrations, the model engine and the web layer all read. Disabled
//! plugins are never asked. The only thing asked again is what actix cannot share between
//! worker threads: the routes (pages, API and handler views on objects), built per worker by
//! [`Contribution::routes`].

use super::PluginRegistry;
use super::guard::{PluginFailure, call_plugin};
use crate::problems::Problem;
use netbox_framework::auth::Access;
use netbox_framework::extensions::TemplateExtension;
use netbox_framework::jobs::Job;
use netbox_framework::menu::{Menu, MenuItem};
use netbox_framework::middleware::Middleware;
use netbox_framework::migrations::Migration;
use netbox_framework::models::ModelSchema;
use netbox_framework::preferences::UserPreference;
use netbox_framework::routes::Routes;
use netbox_framework::search::SearchIndex;
use netbox_framework::static_files::StaticFile;
use netbox_framework::views::{Tab, ViewContent};
use netbox_framework::{PluginContext, PluginDescriptor, PluginMetadata};
use std::convert::Infallible;
use std::sync::Arc;

/// A route as listed on a plugin's detail page and in the route table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedRoute {
    /// HTTP method.
    pub method: String,
    /// Full path.
    pub path: String,
    /// Full route name (for reversing).
    pub name: String,
    /// Who may use it.
    pub access: Access,
}

/// What a view on another model's objects shows (the handler itself is built per worker).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViewKind {
    /// Objects of `model` selected by list filters whose values come from the object.
    Related {
        /// The related model's key.
        model: &'static str,
        /// `(filter, field of the object or "id")` pairs; a foreign key pointing at the
        /// object is `("<field>_id", "id")`.
        filters: Vec<(String, &'static str)>,
        /// The foreign-key field pointing at the object, for a view of that kind.
        field: Option<&'static str>,
    },
    /// A handler of the plugin's own.
    Handler,
}

/// A view a plugin adds under another model's object URLs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewSpec {
    /// The model whose objects get the view.
    pub model: &'static str,
    /// Path segment under the object URL.
    pub path: &'static str,
    /// What it shows.
    pub kind: ViewKind,
    /// Its tab, if shown as one.
    pub tab: Option<Tab>,
}

/// Everything one active plugin contributes.
pub struct Contribution {
    /// What its crate registered.
    pub descriptor: &'static PluginDescriptor,
    /// Its context (merged settings).
    pub context: Arc<PluginContext>,
    /// Whether it is one of the host's internal plugins (the core).
    pub internal: bool,
    /// Pages, with full paths and names.
    pub pages: Vec<ListedRoute>,
    /// REST endpoints, with full paths and names.
    pub api: Vec<ListedRoute>,
    /// Static files.
    pub static_files: Vec<StaticFile>,
    /// Its own top-level menus.
    pub menus: Vec<Menu>,
    /// Its items in the shared Plugins menu.
    pub menu_items: Vec<MenuItem>,
    /// Template extensions.
    pub template_extensions: Vec<Arc<dyn TemplateExtension>>,
    /// Views on other models' objects.
    pub views: Vec<ViewSpec>,
    /// Columns added to other models' tables.
    pub table_columns: Vec<netbox_framework::tables::TableColumn>,
    /// Middleware, in the plugin's order.
    pub middleware: Vec<Middleware>,
    /// Migrations, in order.
    pub migrations: Vec<Migration>,
    /// Models.
    pub models: Vec<&'static ModelSchema>,
    /// Actions beyond the standard four, as (model key, action).
    pub custom_actions: Vec<(&'static str, &'static str)>,
    /// Search indexes.
    pub search_indexes: Vec<SearchIndex>,
    /// Background jobs.
    pub jobs: Vec<Job>,
    /// User preferences.
    pub user_preferences: Vec<UserPreference>,
}

impl std::fmt::Debug for Contribution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Contribution")
            .field("plugin", &self.name())
            .field("internal", &self.internal)
            .finish_non_exhaustive()
    }
}

/// The routes of one plugin for one worker.
pub struct WorkerRoutes {
    /// Pages, for the scope at `/plugins/<base_url>`.
    pub pages: Routes,
    /// REST endpoints, for the scope at `/api/plugins/<base_url>`.
    pub api: Routes,
    /// Handlers of views on other models' objects, by (model, path).
    pub view_handlers: Vec<(&'static str, &'static str, actix_web::Route)>,
}

/// The plugin's pages and REST endpoints.
fn page_and_api_routes(descriptor: &PluginDescriptor) -> (Routes, Routes) {
    let mut pages = Routes::new();
    descriptor.plugin.routes(&mut pages);
    let mut api = Routes::new();
    descriptor.plugin.api_routes(&mut api);
    (pages, api)
}

fn listed(routes: &Routes, mount: &str, prefix: &str) -> Vec<ListedRoute> {
    routes
        .entries()
        .map(|entry| ListedRoute {
            method: entry.method.to_string(),
            path: format!("{mount}{}", entry.path),
            name: format!("{prefix}:{}", entry.name),
            access: entry.access.clone(),
        })
        .collect()
}

impl Contribution {
    /// Asks the plugin for each kind of contribution, once.
    pub fn collect(
        descriptor: &'static PluginDescriptor,
        context: Arc<PluginContext>,
        internal: bool,
    ) -> Self {
        let plugin = descriptor.plugin;
        let metadata = &descriptor.metadata;
        let (pages, api) = page_and_api_routes(descriptor);
        Contribution {
            pages: listed(&pages, &page_mount(metadata), metadata.name),
            api: listed(&api, &api_mount(metadata), &api_prefix(metadata)),
            static_files: plugin.static_files(),
            menus: plugin.menus(),
            menu_items: plugin.menu_items(),
            template_extensions: plugin
                .template_extensions()
                .into_iter()
                .map(Arc::from)
                .collect(),
            views: plugin
                .model_views()
                .into_iter()
                .map(|view| ViewSpec {
                    model: view.model,
                    path: view.path,
                    kind: match view.content {
                        ViewContent::Related { model, field } => ViewKind::Related {
                            model,
                            filters: vec![(format!("{field}_id"), "id")],
                            field: Some(field),
                        },
                        ViewContent::Matching { model, filters } => ViewKind::Related {
                            model,
                            filters: filters
                                .iter()
                                .map(|(filter, source)| (filter.to_string(), *source))
                                .collect(),
                            field: None,
                        },
                        ViewContent::Handler(_) => ViewKind::Handler,
                    },
                    tab: view.tab,
                })
                .collect(),
            table_columns: plugin.table_columns(),
            middleware: plugin.middleware(),
            migrations: plugin.migrations(),
            models: plugin.models(),
            custom_actions: plugin.custom_actions(),
            search_indexes: plugin.search_indexes(),
            jobs: plugin.jobs(),
            user_preferences: plugin.user_preferences(),
            descriptor,
            context,
            internal,
        }
    }

    /// This worker's routes of the plugin (actix routes cannot be shared between threads).
    pub fn routes(&self) -> WorkerRoutes {
        let (pages, api) = page_and_api_routes(self.descriptor);
        let view_handlers = self
            .descriptor
            .plugin
            .model_views()
            .into_iter()
            .filter_map(|view| match view.content {
                ViewContent::Handler(route) => Some((view.model, view.path, route)),
                ViewContent::Related { .. } | ViewContent::Matching { .. } => None,
            })
            .collect();
        WorkerRoutes {
            pages,
            api,
            view_handlers,
        }
    }

    /// The plugin's name.
    pub fn name(&self) -> &'static str {
        self.descriptor.metadata.name
    }

    /// The plugin's metadata.
    pub fn metadata(&self) -> &'static PluginMetadata {
        &self.descriptor.metadata
    }
}

/// Where a plugin's pages are mounted.
pub fn page_mount(metadata: &PluginMetadata) -> String {
    format!("/plugins/{}", metadata.base_url)
}

/// Where a plugin's REST endpoints are mounted.
pub fn api_mount(metadata: &PluginMetadata) -> String {
    format!("/api/plugins/{}", metadata.base_url)
}

/// The prefix of a plugin's API route names (`<name>-api`).
pub fn api_prefix(metadata: &PluginMetadata) -> String {
    format!("{}-api", metadata.name)
}

/// Every active plugin's contributions: internal plugins first, then the enabled plugins in
/// configuration order.
#[derive(Debug, Default)]
pub struct Contributions {
    plugins: Vec<Contribution>,
}

impl Contributions {
    /// Asks each active plugin of `registry` once: the internal ones, then the enabled ones.
    /// A plugin that panics while asked is a problem naming it (and contributes nothing).
    pub fn collect(registry: &PluginRegistry) -> (Self, Vec<Problem>) {
        let internal = registry.internal().map(|(d, c)| (d, c, true));
        let enabled = registry.enabled().map(|(d, c)| (d, c, false));
        let mut plugins = Vec::new();
        let mut problems = Vec::new();
        for (descriptor, context, internal) in internal.chain(enabled) {
            let name = descriptor.metadata.name;
            let asked = call_plugin(name, "contributions", || {
                Ok::<_, Infallible>(Contribution::collect(descriptor, context.clone(), internal))
            });
            match asked {
                Ok(contribution) => plugins.push(contribution),
                Err(PluginFailure::Error(never)) => match never {},
                Err(PluginFailure::Panic(message)) => problems.push(Problem::InvalidContribution {
                    plugin: Some(name.to_string()),
                    message: format!(
                        "panicked while the host asked for its contributions: {message}"
                    ),
                }),
            }
        }
        (Contributions { plugins }, problems)
    }

    /// Every active plugin's contribution, in order.
    pub fn all(&self) -> &[Contribution] {
        &self.plugins
    }

    /// The enabled (not internal) plugins' contributions, in configuration order.
    pub fn plugins(&self) -> impl Iterator<Item = &Contribution> {
        self.plugins.iter().filter(|plugin| !plugin.internal)
    }

    /// One plugin's contribution by name.
    pub fn get(&self, name: &str) -> Option<&Contribution> {
        self.plugins.iter().find(|plugin| plugin.name() == name)
    }
}
