//! Static files: the host's stylesheet and the files plugins embed, served from memory.

use super::state::AppState;
use actix_web::http::header::{CACHE_CONTROL, ContentType};
use actix_web::{HttpResponse, web};

const HOST_CSS: &str = include_str!("../../static/netbox.css");
const API_BROWSER_JS: &str = include_str!("../../static/api-browser.js");
const AUTOCOMPLETE_JS: &str = include_str!("../../static/autocomplete.js");
const IMPORT_JS: &str = include_str!("../../static/import.js");
const CACHE: &str = "public, max-age=3600";

pub fn configure(config: &mut super::routing::HostRoutes) {
    config
        .route("/static/netbox/netbox.css", web::get().to(host_css))
        .route(
            "/static/netbox/api-browser.js",
            web::get().to(|| script(API_BROWSER_JS)),
        )
        .route(
            "/static/netbox/autocomplete.js",
            web::get().to(|| script(AUTOCOMPLETE_JS)),
        )
        .route(
            "/static/netbox/import.js",
            web::get().to(|| script(IMPORT_JS)),
        )
        .route("/static/{plugin}/{path:.*}", web::get().to(plugin_file));
}

async fn host_css() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((CACHE_CONTROL, CACHE))
        .body(HOST_CSS)
}

async fn script(text: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((CACHE_CONTROL, CACHE))
        .body(text)
}

async fn plugin_file(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let (plugin, file) = path.into_inner();
    match state.static_files.get(&format!("{plugin}/{file}")) {
        Some(file) => {
            let mime = mime_guess::from_path(file.path).first_or_octet_stream();
            let content_type =
                if mime.type_() == mime_guess::mime::TEXT || mime.subtype() == "javascript" {
                    format!("{mime}; charset=utf-8")
                } else {
                    mime.to_string()
                };
            HttpResponse::Ok()
                .content_type(content_type)
                .insert_header((CACHE_CONTROL, CACHE))
                .body(file.bytes)
        }
        None => HttpResponse::NotFound()
            .content_type(ContentType::plaintext())
            .body(format!("No static file /static/{plugin}/{file}")),
    }
}
