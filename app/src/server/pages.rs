//! The host's own pages: home, health check, installed plugins and a plugin's details.

use super::errors::error_response;
use super::state::AppState;
use crate::plugins::contributions::ListedRoute;
use crate::plugins::{Contribution, LinkedPlugin, PluginStatus};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, Responder, web};
use askama::Template;
use netbox_framework::page::Page;

/// A route for superusers only (system pages).
pub fn superuser(route: actix_web::Route) -> actix_web::Route {
    netbox_framework::__host::guarded(route, netbox_framework::auth::Access::Superuser)
}

pub fn configure(config: &mut super::routing::HostRoutes) {
    config
        .route("/", web::get().to(home))
        .route("/healthz", web::get().to(healthz))
        .route("/plugins/", superuser(web::get().to(plugin_list)))
        .route("/core/plugins/", superuser(web::get().to(plugin_list)))
        .route(
            "/core/plugins/{name}/",
            superuser(web::get().to(plugin_detail)),
        );
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("ok")
}

struct HomeCard {
    name: &'static str,
    verbose_name: &'static str,
    version: String,
    description: &'static str,
    link: Option<String>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomeTemplate {
    plugins: Vec<HomeCard>,
    /// Whether links to the superuser-only plugin pages are shown.
    superuser: bool,
}

async fn home(request: HttpRequest, state: web::Data<AppState>) -> Result<Page, actix_web::Error> {
    let user = netbox_framework::auth::CurrentUser::of(&request);
    let plugins = state
        .contributions
        .plugins()
        .map(|contribution| {
            let metadata = contribution.metadata();
            // A link only where the user may follow it (the plugin's GET / route).
            let root = format!("/plugins/{}/", metadata.base_url);
            let has_pages = contribution.pages.iter().any(|route| {
                route.path == root && route.method == "GET" && user.may(&route.access).is_ok()
            });
            HomeCard {
                name: metadata.name,
                verbose_name: metadata.verbose_name,
                version: metadata.full_version(),
                description: metadata.description,
                link: has_pages.then(|| format!("/plugins/{}/", metadata.base_url)),
            }
        })
        .collect();
    let superuser = user.is_superuser();
    Page::from_template("Home", &HomeTemplate { plugins, superuser })
}

struct PluginRow {
    name: &'static str,
    verbose_name: &'static str,
    version: String,
    author: &'static str,
    author_email: &'static str,
    description: &'static str,
    status: String,
    badge: &'static str,
}

fn status_badge(status: &PluginStatus) -> (String, &'static str) {
    match status {
        PluginStatus::Enabled(_) => ("Enabled".to_string(), "ok"),
        PluginStatus::NotEnabled => ("Not enabled".to_string(), "off"),
        PluginStatus::Skipped(why) => (format!("Skipped: {why}"), "warn"),
        PluginStatus::Failed(why) => (format!("Error: {why}"), "error"),
    }
}

#[derive(Template)]
#[template(path = "plugin_list.html")]
struct PluginListTemplate {
    rows: Vec<PluginRow>,
}

async fn plugin_list(state: web::Data<AppState>) -> Result<Page, actix_web::Error> {
    let rows = state
        .registry
        .all()
        .iter()
        .map(|plugin| {
            let metadata = plugin.metadata();
            let (status, badge) = status_badge(&plugin.status);
            PluginRow {
                name: metadata.name,
                verbose_name: metadata.verbose_name,
                version: metadata.full_version(),
                author: metadata.author,
                author_email: metadata.author_email,
                description: metadata.description,
                status,
                badge,
            }
        })
        .collect();
    Ok(
        Page::from_template("Installed plugins", &PluginListTemplate { rows })?
            .breadcrumb("Plugins", None),
    )
}

struct SettingRow {
    key: String,
    required: bool,
    default: String,
    operator: String,
    effective: String,
}

#[derive(Template)]
#[template(path = "plugin_detail.html")]
struct PluginDetailTemplate {
    metadata: Vec<(&'static str, String)>,
    settings: Vec<SettingRow>,
    contributions: Vec<(&'static str, Vec<String>)>,
}

/// Whether a setting's value is hidden on the detail page: the plugin declared it secret, or
/// its name says it is one.
pub fn is_secret(key: &str, declared: &[&str]) -> bool {
    if declared.contains(&key) {
        return true;
    }
    let key = key.to_ascii_lowercase();
    [
        "password",
        "secret",
        "token",
        "api_key",
        "apikey",
        "private_key",
        "credential",
    ]
    .iter()
    .any(|word| key.contains(word))
}

const MASK: &str = "••••••••";

/// A value with every secret inside it masked (tables nest settings).
fn masked(value: &toml::Value, declared: &[&str]) -> toml::Value {
    match value {
        toml::Value::Table(table) => toml::Value::Table(
            table
                .iter()
                .map(|(key, value)| {
                    let value = if is_secret(key, declared) {
                        toml::Value::String(MASK.to_string())
                    } else {
                        masked(value, declared)
                    };
                    (key.clone(), value)
                })
                .collect(),
        ),
        toml::Value::Array(items) => {
            toml::Value::Array(items.iter().map(|item| masked(item, declared)).collect())
        }
        other => other.clone(),
    }
}

fn shown(key: &str, value: Option<&toml::Value>, declared: &[&str]) -> String {
    match value {
        None => "—".to_string(),
        Some(_) if is_secret(key, declared) => MASK.to_string(),
        Some(value) => masked(value, declared).to_string(),
    }
}

fn setting_rows(plugin: &LinkedPlugin, operator: Option<&toml::Table>) -> Vec<SettingRow> {
    let metadata = plugin.metadata();
    let secret = metadata.secret_settings;
    let mut keys: Vec<String> = metadata
        .required_settings
        .iter()
        .map(|k| k.to_string())
        .collect();
    keys.extend(metadata.default_settings.iter().map(|(k, _)| k.to_string()));
    if let Some(operator) = operator {
        keys.extend(
            operator
                .keys()
                .filter(|k| !keys.contains(k))
                .cloned()
                .collect::<Vec<_>>(),
        );
    }
    keys.into_iter()
        .map(|key| {
            let default = metadata
                .default_settings
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, value)| value.to_toml());
            let effective = plugin
                .context()
                .and_then(|context| context.setting(&key).cloned());
            SettingRow {
                required: metadata.required_settings.contains(&key.as_str()),
                default: shown(&key, default.as_ref(), secret),
                operator: shown(&key, operator.and_then(|table| table.get(&key)), secret),
                effective: shown(&key, effective.as_ref(), secret),
                key,
            }
        })
        .collect()
}

async fn plugin_detail(
    request: HttpRequest,
    state: web::Data<AppState>,
    name: web::Path<String>,
) -> Result<HttpResponse, actix_web::Error> {
    let Some(plugin) = state.registry.get(&name) else {
        return Ok(error_response(
            &request,
            StatusCode::NOT_FOUND,
            &format!("No plugin named `{name}` is linked into this binary."),
        ));
    };
    let metadata = plugin.metadata();
    let (status, _) = status_badge(&plugin.status);
    let range = match (metadata.min_version, metadata.max_version) {
        (None, None) => "any".to_string(),
        (min, max) => format!("{} to {}", min.unwrap_or("any"), max.unwrap_or("any")),
    };
    let metadata_rows = vec![
        ("Name", metadata.name.to_string()),
        ("Display name", metadata.verbose_name.to_string()),
        ("Crate", plugin.descriptor.package.to_string()),
        ("Version", metadata.full_version()),
        ("Description", metadata.description.to_string()),
        ("Author", metadata.author.to_string()),
        ("Author e-mail", metadata.author_email.to_string()),
        ("Pages", format!("/plugins/{}/", metadata.base_url)),
        ("API", format!("/api/plugins/{}/", metadata.base_url)),
        ("Supported host versions", range),
        ("Status", status),
    ];
    let template = PluginDetailTemplate {
        metadata: metadata_rows,
        settings: setting_rows(plugin, state.operator_settings.get(metadata.name)),
        contributions: state
            .contributions
            .get(metadata.name)
            .filter(|contribution| !contribution.internal)
            .map(summary)
            .unwrap_or_default(),
    };
    Ok(Page::from_template(metadata.verbose_name, &template)?
        .breadcrumb("Plugins", Some("/plugins/"))
        .breadcrumb(metadata.verbose_name, None)
        .respond_to(&request))
}

/// Each of `items` as shown on a plugin's detail page.
fn each<T>(items: &[T], show: impl Fn(&T) -> String) -> Vec<String> {
    items.iter().map(show).collect()
}

/// What an enabled plugin contributes, by kind, for its detail page.
fn summary(contribution: &Contribution) -> Vec<(&'static str, Vec<String>)> {
    let route =
        |r: &ListedRoute| format!("{} {}  ({}; for {})", r.method, r.path, r.name, r.access);
    let name = contribution.name();
    vec![
        ("Pages", each(&contribution.pages, route)),
        ("API endpoints", each(&contribution.api, route)),
        ("Models", each(&contribution.models, |m| m.key())),
        ("Own menu", each(&contribution.menus, |m| m.label.clone())),
        (
            "Menu items",
            each(&contribution.menu_items, |i| i.text.clone()),
        ),
        (
            "Template extensions",
            each(&contribution.template_extensions, |e| match e.models() {
                [] => "all pages".to_string(),
                models => models.join(", "),
            }),
        ),
        (
            "Views on core objects",
            each(&contribution.views, |v| {
                format!("{} → {}/", v.model, v.path)
            }),
        ),
        (
            "Middleware",
            each(&contribution.middleware, |m| m.name.to_string()),
        ),
        (
            "Migrations",
            each(&contribution.migrations, |m| m.name.to_string()),
        ),
        (
            "Static files",
            each(&contribution.static_files, |f| {
                format!("/static/{name}/{}", f.path)
            }),
        ),
        (
            "Search indexes",
            each(&contribution.search_indexes, |i| i.model.clone()),
        ),
        (
            "Background jobs",
            each(&contribution.jobs, |j| j.name.to_string()),
        ),
        (
            "User preferences",
            each(&contribution.user_preferences, |p| p.key.to_string()),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::{is_secret, shown};

    #[test]
    fn secret_looking_keys_are_masked() {
        assert!(is_secret("api_token", &[]));
        assert!(is_secret("DB_PASSWORD", &[]));
        assert!(!is_secret("loud", &[]));
        assert!(
            is_secret("community", &["community"]),
            "declared by the plugin"
        );
    }

    #[test]
    fn secrets_inside_tables_are_masked_too() {
        let value: toml::Value = toml::from_str::<toml::Table>(
            "x = { host = 'h', community = 'public', password = 'p' }",
        )
        .expect("valid")
        .remove("x")
        .expect("x");
        let text = shown("snmp", Some(&value), &["community"]);
        assert!(text.contains("host = \"h\""), "{text}");
        assert!(
            !text.contains("public") && !text.contains("\"p\""),
            "{text}"
        );
    }
}
