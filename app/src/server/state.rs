//! What every request handler shares, built once at startup from the application (plugins,
//! their contributions, the models) and the connected database.

use super::extensions::Extensions;
use super::menus::MenuCache;
use crate::Application;
use crate::auth::permissions::{GrantCache, Grants, Scope};
use crate::config::Config;
use crate::config::security::SecurityConfig;
use crate::db::Database;
use crate::engine::ModelRegistry;
use crate::plugins::{Contributions, PluginRegistry};
use actix_web::dev::ResourceDef;
use netbox_framework::__host::RouteTable;
use netbox_framework::auth::Access;
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
    /// The menu bar of each kind of user, rendered once per kind.
    pub menus: MenuCache,
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
    /// The `[security]` settings.
    pub security: SecurityConfig,
    /// Page sizes of lists and the API.
    pub page_size: super::pagination::PageSize,
    /// Each user's permissions, by permission version.
    pub grant_cache: GrantCache,
    /// What a superuser may do (everything).
    pub superuser_grants: Arc<Grants>,
    /// Plugin routes declared `public()`: open even when sign-in is required.
    pub public_routes: Vec<(String, ResourceDef)>,
    /// What an anonymous visitor may do: nothing, or viewing the models of
    /// `exempt_view_permissions` when `login_required` is off.
    pub anonymous_grants: Arc<Grants>,
}

/// The grants of anonymous visitors under `security`.
fn anonymous_grants(security: &SecurityConfig, models: &ModelRegistry) -> Grants {
    let mut grants = Grants::nothing();
    if security.login_required {
        return grants;
    }
    let all = security
        .exempt_view_permissions
        .iter()
        .any(|key| key == "*");
    for model in models.all() {
        let key = model.schema.key();
        if all || security.exempt_view_permissions.contains(&key) {
            grants.grant(model.schema, "view", Scope::All);
        }
    }
    grants
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
        let menus = MenuCache::new(&contributions, &models);
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
        let public_routes = contributions
            .all()
            .iter()
            .flat_map(|contribution| contribution.pages.iter().chain(&contribution.api))
            .filter(|route| route.access == Access::Public)
            .map(|route| (route.method.clone(), ResourceDef::new(route.path.as_str())))
            .collect();
        AppState {
            public_routes,
            anonymous_grants: Arc::new(anonymous_grants(&config.security, &models)),
            superuser_grants: Arc::new(Grants::everything()),
            grant_cache: GrantCache::default(),
            security: config.security.clone(),
            page_size: config.page_size(),
            extensions: Extensions::collect(&contributions),
            plugin_count: registry.enabled().count(),
            models,
            registry,
            contributions,
            database,
            menus,
            static_files,
            middleware: middleware.into(),
            operator_settings: config.plugins_config.clone(),
            route_table,
        }
    }
}
