//! The host's REST endpoints: status, the plugins API root and the installed plugins.

use super::state::AppState;
use super::urls::absolute;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;
use std::collections::BTreeMap;

/// `GET /api/plugins/<base_url>/` of a plugin that serves models and has no API root of its
/// own: each model's endpoint.
pub async fn plugin_api_root(request: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let path = request.path().to_string();
    let root: BTreeMap<&str, String> = state
        .models
        .all()
        .iter()
        .filter(|model| model.api_base.starts_with(&path))
        .map(|model| {
            (
                model.schema.url_segment,
                absolute(&request, &model.api_base),
            )
        })
        .collect();
    HttpResponse::Ok().json(root)
}

pub fn configure(config: &mut web::ServiceConfig) {
    config
        .route("/api/status/", web::get().to(status))
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
        if has_api {
            root.insert(
                metadata.name.to_string(),
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
