//! The host's REST endpoints: the API root (`/api/`, listing each app's root), each core
//! app's root (`/api/dcim/`), status, the plugins root (`/api/plugins/`, keyed by each
//! plugin's `base_url` as NetBox does), every plugin's API root and the installed plugins.

use super::state::AppState;
use super::urls::absolute;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;
use std::collections::BTreeMap;

/// The version the API reports in `API-Version` (NetBox's major.minor the API follows).
pub const API_VERSION: &str = "4.6";

/// `GET` of an app's API root (`/api/dcim/`, `/api/plugins/<base_url>/`) that the app does
/// not serve itself: each model's endpoint and each of the plugin's routes without
/// parameters, by the last segment of their path.
pub async fn app_api_root(request: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let path = request.path().to_string();
    let mut root: BTreeMap<String, String> = state
        .models
        .all()
        .iter()
        .filter(|model| model.api_base.starts_with(&path))
        .map(|model| {
            (
                model.schema.api_url_segment.to_string(),
                absolute(&request, &model.api_base),
            )
        })
        .collect();
    for contribution in state.contributions.plugins() {
        for route in &contribution.api {
            let Some(rest) = route.path.strip_prefix(&path) else {
                continue;
            };
            let key = rest.trim_end_matches('/');
            if route.method == "GET" && !key.is_empty() && !route.path.contains('{') {
                root.entry(key.to_string())
                    .or_insert_with(|| absolute(&request, &route.path));
            }
        }
    }
    HttpResponse::Ok().json(root)
}

/// The apps whose API the host serves, by the first segment after `/api/`.
fn core_apps(state: &AppState) -> Vec<&'static str> {
    let mut apps: Vec<&'static str> = state
        .models
        .all()
        .iter()
        .filter(|model| !model.api_base.starts_with("/api/plugins/"))
        .map(|model| model.schema.app)
        .collect();
    apps.extend(["core", "users"]);
    apps.sort_unstable();
    apps.dedup();
    apps
}

/// `GET /api/`: the root of each app, `plugins`, `status` and `schema`.
async fn api_root(request: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let mut root: BTreeMap<&str, String> = core_apps(&state)
        .into_iter()
        .map(|app| (app, absolute(&request, &format!("/api/{app}/"))))
        .collect();
    for (name, path) in [
        ("plugins", "/api/plugins/"),
        ("status", "/api/status/"),
        ("schema", "/api/schema/"),
        ("docs", "/api-docs/"),
    ] {
        root.insert(name, absolute(&request, path));
    }
    HttpResponse::Ok().json(root)
}

/// `GET /api/core/` and `/api/users/`: their endpoints.
async fn fixed_root(request: HttpRequest) -> HttpResponse {
    let entries: &[(&str, &str)] = match request.path() {
        "/api/core/" => &[("object-changes", "/api/core/object-changes/")],
        _ => &[
            ("tokens", "/api/users/tokens/"),
            ("users", "/api/users/users/"),
            ("groups", "/api/users/groups/"),
            ("permissions", "/api/users/permissions/"),
        ],
    };
    let root: BTreeMap<&str, String> = entries
        .iter()
        .map(|(name, path)| (*name, absolute(&request, path)))
        .collect();
    HttpResponse::Ok().json(root)
}

/// Mounts `/api/`, the roots of the core apps, status and the plugins' roots.
pub fn configure(config: &mut super::routing::HostRoutes, state: &AppState) {
    config
        .route("/api/", web::get().to(api_root))
        .route("/api/core/", web::get().to(fixed_root))
        .route("/api/users/", web::get().to(fixed_root));
    for app in core_apps(state) {
        if app != "core" && app != "users" {
            config.route(&format!("/api/{app}/"), web::get().to(app_api_root));
        }
    }
    config
        .route("/api/status/", web::get().to(status))
        .route("/api/schema/", web::get().to(super::openapi::schema))
        .route("/api-docs/", web::get().to(super::openapi::docs))
        .route("/api/plugins/", web::get().to(plugins_root))
        .route(
            "/api/plugins/installed-plugins/",
            super::pages::superuser(web::get().to(installed_plugins)),
        );
}

#[derive(Serialize)]
struct Status {
    #[serde(rename = "netbox-version")]
    netbox_version: &'static str,
    plugins: BTreeMap<&'static str, String>,
}

async fn status(state: web::Data<AppState>) -> HttpResponse {
    let plugins = state
        .registry
        .enabled()
        .map(|(descriptor, _)| (descriptor.metadata.name, descriptor.metadata.full_version()))
        .collect();
    HttpResponse::Ok().json(Status {
        netbox_version: netbox_framework::HOST_VERSION,
        plugins,
    })
}

async fn plugins_root(request: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let mut root = BTreeMap::new();
    root.insert(
        "installed-plugins".to_string(),
        absolute(&request, "/api/plugins/installed-plugins/"),
    );
    for contribution in state.contributions.plugins() {
        let metadata = contribution.metadata();
        let has_api = !contribution.api.is_empty() || !contribution.models.is_empty();
        if has_api && !contribution.internal {
            root.insert(
                metadata.base_url.to_string(),
                absolute(&request, &format!("/api/plugins/{}/", metadata.base_url)),
            );
        }
    }
    HttpResponse::Ok().json(root)
}

#[derive(Serialize)]
struct InstalledPlugin {
    name: &'static str,
    package: &'static str,
    author: &'static str,
    author_email: &'static str,
    description: &'static str,
    version: String,
    release_track: Option<&'static str>,
}

async fn installed_plugins(state: web::Data<AppState>) -> HttpResponse {
    let plugins: Vec<InstalledPlugin> = state
        .registry
        .enabled()
        .map(|(descriptor, _)| {
            let metadata = &descriptor.metadata;
            InstalledPlugin {
                name: metadata.verbose_name,
                package: descriptor.package,
                author: metadata.author,
                author_email: metadata.author_email,
                description: metadata.description,
                version: metadata.full_version(),
                release_track: metadata.release_track,
            }
        })
        .collect();
    HttpResponse::Ok().json(plugins)
}
