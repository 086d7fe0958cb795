//! What every request handler shares: the plugin registry and everything derived from it once
//! at startup (navigation, static files, middleware chain, contribution summaries).

use super::extensions::Extensions;
use super::layout::NavigationHtml;
use super::navigation::Navigation;
use crate::config::Config;
use crate::db::Database;
use crate::models::ModelRegistry;
use crate::registry::PluginRegistry;
use netbox_framework::PluginDescriptor;
use netbox_framework::middleware::Middleware;
use netbox_framework::routes::{RouteTable, Routes};
use netbox_framework::signals::{Event, Signal};
use netbox_framework::static_files::StaticFile;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Names of the host's pages, so plugins can link to them with `reverse`.
pub const HOST_ROUTES: &[(&str, &str)] = &[
    ("core:home", "/"),
    ("core:plugins", "/plugins/"),
    ("core:plugin", "/core/plugins/{name}/"),
    ("core:api-status", "/api/status/"),
    ("core:api-plugins", "/api/plugins/"),
];

/// Shared application state.
pub struct AppState {
    /// Every linked plugin and its status.
    pub registry: PluginRegistry,
    /// The navigation menu (for anonymous users).
    pub navigation: Navigation,
    /// Its HTML, pre-rendered per highlighted item.
    pub navigation_html: NavigationHtml,
    /// Static files by `<plugin name>/<path>`.
    pub static_files: HashMap<String, StaticFile>,
    /// Enabled plugins' middleware, in configuration order.
    pub middleware: Arc<[Middleware]>,
    /// What each linked plugin contributes, by plugin name.
    pub contributions: HashMap<&'static str, Contributions>,
    /// The operator's `plugins_config` tables (for the plugin detail page).
    pub operator_settings: BTreeMap<String, toml::Table>,
    /// Full path pattern of every enabled plugin's named routes, for `reverse`.
    pub route_table: RouteTable,
    /// The database, once connected and migrated.
    pub database: Option<Database>,
    /// Every served model (core and enabled plugins').
    pub models: ModelRegistry,
    /// The enabled plugins' template extensions.
    pub extensions: Extensions,
}

impl AppState {
    /// Derives everything from a validated registry.
    pub fn new(registry: PluginRegistry, config: &Config) -> Result<Self, Vec<String>> {
        let models = ModelRegistry::build(crate::dcim::core_models(), &registry)?;
        let dispatch_models = models.clone();
        netbox_framework::signals::install_dispatcher(Box::new(move |signal, payload| {
            for active in dispatch_models.receivers(Signal::Custom(signal), signal) {
                let event = Event::new(Signal::Custom(signal), signal, &active.context)
                    .payload(Some(payload));
                (active.receiver.function)(&event)?;
            }
            Ok(())
        }));
        let navigation = Navigation::build(&registry);
        let navigation_html = NavigationHtml::render(&navigation).unwrap_or_else(|error| {
            tracing::error!(%error, "the menu failed to render; pages show no menu");
            NavigationHtml::default()
        });
        let mut static_files = HashMap::new();
        let mut middleware = Vec::new();
        for (descriptor, _) in registry.enabled() {
            for file in descriptor.plugin.static_files() {
                static_files.insert(format!("{}/{}", descriptor.metadata.name, file.path), file);
            }
            middleware.extend(descriptor.plugin.middleware());
        }
        let contributions: HashMap<&'static str, Contributions> = registry
            .all()
            .iter()
            .map(|plugin| (plugin.metadata().name, Contributions::of(plugin.descriptor)))
            .collect();
        let mut route_table = RouteTable::default();
        for (name, path) in HOST_ROUTES {
            route_table.insert(name.to_string(), path.to_string());
        }
        for (descriptor, _) in registry.enabled() {
            let Some(contributions) = contributions.get(descriptor.metadata.name) else {
                continue;
            };
            for route in contributions.routes.iter().chain(&contributions.api_routes) {
                route_table.insert(route.name.clone(), route.path.clone());
            }
        }
        Ok(AppState {
            extensions: Extensions::collect(&registry),
            models,
            registry,
            navigation,
            navigation_html,
            static_files,
            middleware: middleware.into(),
            contributions,
            operator_settings: config.plugins_config.clone(),
            route_table,
            database: None,
        })
    }
}

/// A route as listed on a plugin's detail page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedRoute {
    /// HTTP method.
    pub method: String,
    /// Full path.
    pub path: String,
    /// Full route name (for reversing).
    pub name: String,
}

/// Everything one plugin contributes, for its detail page.
#[derive(Debug, Clone, Default)]
pub struct Contributions {
    /// Pages.
    pub routes: Vec<ListedRoute>,
    /// REST endpoints.
    pub api_routes: Vec<ListedRoute>,
    /// Models it serves (keys).
    pub models: Vec<String>,
    /// Label of its own top-level menu.
    pub menu: Option<String>,
    /// Texts of its items in the shared Plugins menu.
    pub menu_items: Vec<String>,
    /// Models its template extensions apply to ("all pages" for global ones).
    pub template_extensions: Vec<String>,
    /// Views added to core objects (`model/path`).
    pub model_views: Vec<String>,
    /// Middleware names.
    pub middleware: Vec<String>,
    /// Migration names.
    pub migrations: Vec<String>,
    /// Static file paths.
    pub static_files: Vec<String>,
    /// Models indexed for search.
    pub search_indexes: Vec<String>,
    /// Background job names.
    pub jobs: Vec<String>,
    /// User preference keys.
    pub user_preferences: Vec<String>,
}

fn listed(routes: Routes, mount: &str, prefix: &str) -> Vec<ListedRoute> {
    routes
        .entries()
        .map(|entry| ListedRoute {
            method: entry.method.to_string(),
            path: format!("{mount}{}", entry.path),
            name: format!("{prefix}:{}", entry.name),
        })
        .collect()
}

impl Contributions {
    /// Asks the plugin for each kind of contribution.
    pub fn of(descriptor: &PluginDescriptor) -> Self {
        let plugin = descriptor.plugin;
        let metadata = &descriptor.metadata;
        let mut routes = Routes::new();
        plugin.routes(&mut routes);
        let mut api_routes = Routes::new();
        plugin.api_routes(&mut api_routes);
        Contributions {
            routes: listed(
                routes,
                &format!("/plugins/{}", metadata.base_url),
                metadata.name,
            ),
            api_routes: listed(
                api_routes,
                &format!("/api/plugins/{}", metadata.base_url),
                &format!("{}-api", metadata.name),
            ),
            models: plugin.models().iter().map(|model| model.key()).collect(),
            menu: plugin.menu().map(|menu| menu.label),
            menu_items: plugin
                .menu_items()
                .into_iter()
                .map(|item| item.text)
                .collect(),
            template_extensions: plugin
                .template_extensions()
                .iter()
                .map(|extension| match extension.models() {
                    [] => "all pages".to_string(),
                    models => models.join(", "),
                })
                .collect(),
            model_views: plugin
                .model_views()
                .into_iter()
                .map(|view| format!("{} → {}/", view.model, view.path))
                .collect(),
            middleware: plugin
                .middleware()
                .iter()
                .map(|m| m.name.to_string())
                .collect(),
            migrations: plugin
                .migrations()
                .iter()
                .map(|m| m.name.to_string())
                .collect(),
            static_files: plugin
                .static_files()
                .iter()
                .map(|file| format!("/static/{}/{}", metadata.name, file.path))
                .collect(),
            search_indexes: plugin
                .search_indexes()
                .into_iter()
                .map(|index| index.model)
                .collect(),
            jobs: plugin
                .jobs()
                .iter()
                .map(|job| job.name.to_string())
                .collect(),
            user_preferences: plugin
                .user_preferences()
                .iter()
                .map(|preference| preference.key.to_string())
                .collect(),
        }
    }
}
