//! The web application: actix-web serving the host's pages, the REST API and every enabled
//! plugin's routes, inside one layout.
//!
//! A request passes, outermost first: request log → security headers → panic guard → error
//! pages → security (allowed hosts, identity, sign-in, CSRF) → plugins' middleware (in
//! configuration order) → methods (HEAD as GET, OPTIONS, 405 with Allow) → the router (host routes, views plugins add under
//! objects, model scopes, each plugin's automatic API root and scopes, then the 404 page).

mod accounts;
mod actor;
pub mod api;
pub mod api_error;
pub mod api_shape;
mod assets;
mod bulk_edit;
mod bulk_export;
pub(crate) mod bulk_import;
pub mod changelog;
mod custom_field_values;
pub mod errors;
pub mod extensions;
mod feature_forms;
mod feature_pages;
pub mod layout;
mod logging;
mod login;
mod menus;
mod methods;
pub mod model_api;
mod model_forms;
pub mod model_pages;
pub mod navigation;
pub mod object_tabs;
pub mod objects;
pub mod openapi;
mod pages;
pub mod pagination;
mod plugin_data;
mod plugin_middleware;
mod routing;
pub mod security;
pub mod state;
mod table_columns;
mod table_config;
pub mod urls;
mod users_admin_api;
mod users_api;

pub use actor::{RequestActor, RequestId};

/// The rows of a CSV bulk import, as the import page reads them (for benchmarks).
pub fn bulk_import_rows(
    text: &str,
) -> Result<Vec<serde_json::Map<String, serde_json::Value>>, String> {
    bulk_import::parse(text, "csv")
}

use crate::Application;
use crate::config::Config;
use crate::db::migrations;
use crate::plugins::contributions::{ViewKind, api_mount, api_prefix, page_mount};
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use netbox_framework::__host::{PageLayout, guarded};
use netbox_framework::auth::Access;
use object_tabs::RelatedView;
use state::AppState;
use std::sync::Arc;

/// The address `netbox serve` listens on unless `--bind` or the configuration's `bind` says
/// otherwise.
pub const DEFAULT_BIND: &str = "127.0.0.1:8000";

/// Builds the application for one worker. The state (plugins' contributions, menu, static
/// files) is built once and shared; plugin routes are asked from each plugin per worker
/// because actix routes are not shareable between threads.
pub fn build_app(
    state: Arc<AppState>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let layout: Arc<dyn PageLayout> = Arc::new(layout::HostLayout::new(state.clone()));
    let mut host = routing::HostRoutes::default();
    pages::configure(&mut host);
    login::configure(&mut host);
    users_api::configure(&mut host);
    users_admin_api::configure(&mut host);
    accounts::configure(&mut host);
    api::configure(&mut host, &state);
    changelog::configure(&mut host);
    assets::configure(&mut host);
    feature_pages::configure(&mut host);
    let mut app = App::new()
        .app_data(web::Data::new(state.route_table.clone()))
        .app_data(web::Data::from(state.clone()))
        .app_data(web::Data::from(layout))
        .app_data(netbox_framework::data::DataSourceHandle(Arc::new(
            plugin_data::HostDataSource(state.clone()),
        )));
    for resource in host.into_resources() {
        app = app.service(resource);
    }
    // This worker's routes of every active plugin (actix routes are not shareable between
    // threads; everything else was collected once at startup).
    let mut routes: Vec<_> = state
        .contributions
        .all()
        .iter()
        .map(|contribution| (contribution, contribution.routes()))
        .collect();
    // Views plugins add under objects' URLs come before the models' scopes, which would
    // otherwise take their paths. Every view's model was checked at startup.
    for (contribution, worker) in &mut routes {
        let context = web::Data::from(contribution.context.clone());
        for view in &contribution.views {
            let Some(target) = state.models.get(view.model) else {
                continue;
            };
            let path = format!("{}{{id}}/{}/", target.ui_base, view.path);
            let resource = web::resource(path.as_str()).app_data(context.clone());
            // A view needs its tab's permission, if any, and a signed-in user.
            let mut required: Vec<String> = view
                .tab
                .iter()
                .filter_map(|tab| tab.permission.clone())
                .collect();
            app = match &view.kind {
                ViewKind::Handler => {
                    let position = worker
                        .view_handlers
                        .iter()
                        .position(|(model, path, _)| *model == view.model && *path == view.path);
                    let Some(position) = position else {
                        continue;
                    };
                    let (_, _, route) = worker.view_handlers.remove(position);
                    app.service(resource.route(guarded(route, access(required))))
                }
                ViewKind::Related { model, filters, .. } => {
                    let Some(related) = state.models.get(model) else {
                        continue;
                    };
                    let spec = RelatedView {
                        target: target.clone(),
                        related: related.clone(),
                        filters: filters.clone(),
                        path: view.path,
                        label: view
                            .tab
                            .as_ref()
                            .map(|tab| tab.label.clone())
                            .unwrap_or_else(|| related.schema.verbose_name_plural.to_string()),
                    };
                    // Listing related objects also needs viewing them (the list checks it too).
                    required.push(format!(
                        "{}.view_{}",
                        related.schema.app, related.schema.name
                    ));
                    let route = guarded(web::get().to(object_tabs::related), access(required));
                    app.service(resource.app_data(web::Data::new(spec)).route(route))
                }
            };
        }
    }
    // Model scopes next: a plugin's model at /plugins/<base_url>/<segment>/ must win over the
    // plugin's own scope at /plugins/<base_url>/.
    for model in state.models.all() {
        app = app
            .service(model_api::scope(model))
            .service(model_pages::scope(model));
    }
    for (contribution, worker) in routes {
        let metadata = contribution.metadata();
        let context = web::Data::from(contribution.context.clone());
        // A plugin with an API and no root of its own gets one listing its endpoints.
        let root = format!("{}/", api_mount(metadata));
        let own_root = contribution.api.iter().any(|route| route.path == root);
        let has_api = !contribution.models.is_empty() || !contribution.api.is_empty();
        if !contribution.internal && has_api && !own_root {
            app = app.service(web::resource(&root).route(web::get().to(api::app_api_root)));
        }
        if !worker.pages.is_empty() {
            let mut scope = web::scope(&page_mount(metadata)).app_data(context.clone());
            for resource in worker.pages.into_resources(metadata.name) {
                scope = scope.service(resource);
            }
            app = app.service(scope);
        }
        if !worker.api.is_empty() {
            let mut scope = web::scope(&api_mount(metadata)).app_data(context);
            for resource in worker.api.into_resources(&api_prefix(metadata)) {
                scope = scope.service(resource);
            }
            app = app.service(scope);
        }
    }
    app.default_service(web::to(errors::not_found))
        .app_data(web::PathConfig::default().error_handler(|error, _| {
            api_error::ApiError::bad_request(format!("Invalid URL: {error}.")).into()
        }))
        .app_data(
            web::JsonConfig::default()
                .error_handler(|error, _| api_error::ApiError::from_json(&error).into()),
        )
        .wrap(from_fn(methods::methods))
        .wrap(from_fn(plugin_middleware::run))
        .wrap(from_fn(security::guard))
        .wrap(from_fn(errors::error_pages))
        .wrap(from_fn(errors::catch_panics))
        .wrap(security::security_headers())
        .wrap(from_fn(logging::log_request))
}

/// When the database has no active superuser, creates the superuser `admin` with a random
/// password and prints it once, so that the first run leads straight to a usable application
/// (also after `demo-data`, which creates only a view-only user).
async fn first_superuser(database: &crate::db::Database) -> std::io::Result<()> {
    use crate::auth::{passwords, users};
    let count = users::count_superusers(database)
        .await
        .map_err(std::io::Error::other)?;
    if count > 0 {
        return Ok(());
    }
    let password = passwords::random_password();
    let new = users::NewUser {
        username: "admin",
        email: "",
        password: &password,
        is_superuser: true,
    };
    match users::create(database, &new).await {
        Ok(_) => {
            tracing::warn!(
                "no user existed: created the superuser `admin` (password printed once on standard output)"
            );
            println!("netbox: created the superuser `admin` with the password {password}");
            println!(
                "netbox: sign in at /login/ and keep the password safe; it is not shown again"
            );
            Ok(())
        }
        // Another instance created it at the same moment, or a user `admin` exists.
        Err(crate::auth::AuthError::Invalid(message)) => {
            tracing::warn!(%message, "no superuser exists and `admin` could not be created: run `netbox createsuperuser`");
            Ok(())
        }
        Err(error) => Err(std::io::Error::other(error.to_string())),
    }
}

/// Signed-in users holding `codenames` (any signed-in user when there are none).
fn access(codenames: Vec<String>) -> Access {
    if codenames.is_empty() {
        Access::SignedIn
    } else {
        Access::Permissions(codenames)
    }
}

/// Serves the application on `bind` until SIGINT or SIGTERM (graceful: requests in flight
/// finish). The address is taken first, so that a taken port stops `serve` before it migrates
/// anything. Prints the bound address(es) to standard output once listening.
pub fn serve(application: Application, config: &Config, bind: &str) -> std::io::Result<()> {
    let listeners = crate::preflight::listen(bind).map_err(std::io::Error::other)?;
    actix_web::rt::System::new().block_on(async move {
        let database = migrations::prepare(&application.contributions, config)
            .await
            .map_err(std::io::Error::other)?;
        first_superuser(&database).await?;
        if let Err(error) = crate::auth::sessions::purge_expired(&database).await {
            tracing::warn!(%error, "expired sessions could not be removed");
        }
        let schemas: Vec<_> = application
            .contributions
            .all()
            .iter()
            .flat_map(|contribution| contribution.models.iter().copied())
            .collect();
        actix_web::rt::spawn(crate::db::derived::maintain(database.clone(), schemas));
        let state = Arc::new(AppState::new(application, database, config));
        plugin_data::run_started(&state)
            .await
            .map_err(std::io::Error::other)?;
        let factory_state = state.clone();
        let mut server =
            HttpServer::new(move || build_app(factory_state.clone())).shutdown_timeout(10);
        for listener in listeners {
            let address = listener.local_addr()?;
            server = server.listen(listener).map_err(|error| {
                std::io::Error::new(error.kind(), format!("cannot listen on {address}: {error}"))
            })?;
        }
        for address in server.addrs() {
            println!("netbox: listening on http://{address}/");
            tracing::info!(%address, plugins = state.plugin_count, "listening");
        }
        server.run().await?;
        tracing::info!("stopped");
        Ok(())
    })
}
