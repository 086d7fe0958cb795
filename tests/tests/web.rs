//! End-to-end tests of the web application with fixture plugins: menu ordering across
//! plugins, middleware order, and isolation of failing plugin handlers.

use netbox_app::testing::NetboxServer;
use std::time::Duration;

fn get(url: &str) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let mut response = agent
        .get(url)
        .header(
            "Authorization",
            netbox_app::testing::authorization_for(url).unwrap_or_default(),
        )
        .call()
        .unwrap_or_else(|error| panic!("GET {url}: {error}"));
    let status = response.status().as_u16();
    (
        status,
        response.body_mut().read_to_string().expect("a text body"),
    )
}

fn server(plugins: &str) -> NetboxServer {
    NetboxServer::start(
        env!("CARGO_BIN_EXE_netbox-with-fixtures"),
        &format!("plugins = [{plugins}]\n[plugins_config.zoo_keeper]\nzoo = 'Artis'\n"),
    )
}

fn attribute_values<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
    html.split(&format!("{attribute}=\""))
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

#[test]
fn menus_follow_weights_then_configuration_order() {
    let server = server("'zoo_keeper', 'fragile', 'animal_sounds'");
    let (_, home) = get(&server.url("/"));
    // Core menus, then own menus by weight (Fragile 5 before Zoo 10, against configuration
    // order), then the shared Plugins menu, then Admin.
    assert_eq!(
        attribute_values(&home, "data-menu"),
        [
            "Organization",
            "Devices",
            "IPAM",
            "Customization",
            "Fragile",
            "Zoo",
            "Plugins",
            "Admin"
        ]
    );
    // Shared menu groups in configuration order; plugins without items have no group.
    let plugins_menu = home
        .split("data-menu=\"Plugins\"")
        .nth(1)
        .expect("Plugins menu");
    let plugins_menu = plugins_menu
        .split("data-menu=\"Admin\"")
        .next()
        .unwrap_or_default();
    assert_eq!(
        attribute_values(plugins_menu, "data-group"),
        ["Zoo Keeper", "Animal Sounds"]
    );
    // Items by weight: Animals (10) before Cages (20); then Animal Sounds' own items (its
    // model's list is "Animals" too).
    assert_eq!(
        attribute_values(plugins_menu, "data-item"),
        ["Animals", "Cages", "Random animal", "Animals"]
    );
}

#[test]
fn plugin_middleware_runs_in_configuration_order() {
    let first = server("'zoo_keeper', 'fragile'");
    assert_eq!(
        get(&first.url("/plugins/zoo-keeper/trace/")),
        (200, "zoo_keeper,fragile".to_string())
    );
    let reversed = server("'fragile', 'zoo_keeper'");
    assert_eq!(
        get(&reversed.url("/plugins/zoo-keeper/trace/")),
        (200, "fragile,zoo_keeper".to_string())
    );
}

#[test]
fn a_panicking_handler_fails_only_its_own_request() {
    let server = server("'fragile'");
    for _ in 0..5 {
        let (status, body) = get(&server.url("/plugins/fragile/boom/"));
        assert_eq!(status, 500);
        assert!(
            body.contains("<title>Server error · NetBox</title>"),
            "{body}"
        );
        assert!(
            body.contains("The server failed to handle this request."),
            "{body}"
        );
        assert_eq!(
            get(&server.url("/plugins/fragile/fine/")),
            (200, "fine".to_string())
        );
    }
    let (status, body) = get(&server.url("/api/plugins/fragile/boom/"));
    assert_eq!(status, 500);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).expect("JSON"),
        serde_json::json!({"detail": "The server failed to handle this request. The error was logged."})
    );
    assert!(
        server.log().contains("the fragile plugin broke"),
        "{}",
        server.log()
    );
}

#[test]
fn handler_errors_become_error_pages_without_leaking_internals() {
    let server = server("'fragile'");
    let (status, body) = get(&server.url("/plugins/fragile/error/"));
    assert_eq!(status, 500);
    assert!(body.contains("<header class=\"topbar\">"), "{body}");
    assert!(!body.contains("hunter2"), "{body}");
    let (status, body) = get(&server.url("/plugins/fragile/bad/"));
    assert_eq!(status, 400);
    assert!(body.contains("the animal is missing"), "{body}");
}
