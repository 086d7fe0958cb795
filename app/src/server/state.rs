//! What every request handler shares, built once at startup from the application (plugins,
//! their contributions, the models) and the connected database.

use super::extensions::Extensions;
use super::navigation::{Navigation, NavigationHtml};
use crate::Application;
use crate::config::Config;
use crate::db::Database;
use crate::engine::ModelRegistry;
use crate::plugins::{Contributions, PluginRegistry};
use netbox_framework::__host::RouteTable;
use netbox_framework::middleware::Middleware;
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
    /// What the internal and enabled plugins contribute.
    pub contributions: Contributions,
    /// Every served model (core and enabled plugins').
    pub models: ModelRegistry,
    /// The database, connected and migrated.
    pub database: Database,
    /// The navigation menu (for anonymous users).
    pub navigation: Navigation,
    /// Its HTML, pre-rendered per highlighted item.
    pub navigation_html: NavigationHtml,
    /// Static files by `<plugin name>/<path>`.
    pub static_files: HashMap<String, StaticFile>,
    /// Enabled plugins' middleware, in configuration order.
    pub middleware: Arc<[Middleware]>,
    /// The operator's `plugins_config` tables (for the plugin detail page).
    pub operator_settings: BTreeMap<String, toml::Table>,
    /// Full path pattern of every named route (host's and enabled plugins'), for `reverse`.
    pub route_table: RouteTable,
    /// The enabled plugins' template extensions.
    pub extensions: Extensions,
    /// Enabled plugins, shown in the footer.
    pub plugin_count: usize,
}

impl AppState {
    /// Derives everything from the application and its database.
    pub fn new(application: Application, database: Database, config: &Config) -> Self {
        let Application {
            registry,
            contributions,
            models,
        } = application;
        crate::engine::signals::install_custom_dispatcher(models.clone());
        let navigation = Navigation::build(&contributions);
        let navigation_html = NavigationHtml::render(&navigation).unwrap_or_else(|error| {
            tracing::error!(%error, "the menu failed to render; pages show no menu");
            NavigationHtml::default()
        });
        let mut static_files = HashMap::new();
        let mut middleware = Vec::new();
        let mut route_table = RouteTable::default();
        for (name, path) in HOST_ROUTES {
            route_table.insert(name.to_string(), path.to_string());
        }
        for contribution in contributions.all() {
            for file in &contribution.static_files {
                static_files.insert(format!("{}/{}", contribution.name(), file.path), *file);
            }
            middleware.extend(contribution.middleware.iter().copied());
            for route in contribution.pages.iter().chain(&contribution.api) {
                route_table.insert(route.name.clone(), route.path.clone());
            }
        }
        AppState {
            extensions: Extensions::collect(&contributions),
            plugin_count: registry.enabled().count(),
            models,
            registry,
            contributions,
            database,
            navigation,
            navigation_html,
            static_files,
            middleware: middleware.into(),
            operator_settings: config.plugins_config.clone(),
            route_table,
        }
    }
}
