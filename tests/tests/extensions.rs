//! End-to-end tests of template extensions: every slot on the right pages and not on others,
//! ordering (global first, then model-specific, by plugin order), escaping, and failing
//! extensions shown as alerts on a page that still renders.

use netbox_app::testing::NetboxServer;
use std::time::Duration;

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

fn get(url: &str) -> (u16, String) {
    let mut response = agent()
        .get(url)
        .header(
            "Authorization",
            netbox_app::testing::authorization_for(url).unwrap_or_default(),
        )
        .call()
        .unwrap_or_else(|error| panic!("GET {url}: {error}"));
    (
        response.status().as_u16(),
        response.body_mut().read_to_string().expect("text"),
    )
}

fn post(url: &str, body: serde_json::Value) {
    let response = agent()
        .post(url)
        .header(
            "Authorization",
            netbox_app::testing::authorization_for(url).unwrap_or_default(),
        )
        .send_json(body)
        .expect("POST");
    assert_eq!(response.status().as_u16(), 201);
}

fn server(plugins: &str) -> NetboxServer {
    let server = NetboxServer::start(
        env!("CARGO_BIN_EXE_netbox-with-fixtures"),
        &format!("plugins = [{plugins}]\n"),
    );
    post(
        &server.url("/api/dcim/sites/"),
        serde_json::json!({"name": "Amsterdam <1>", "slug": "ams"}),
    );
    post(
        &server.url("/api/dcim/devices/"),
        serde_json::json!({"name": "r1", "site": 1, "role": "router"}),
    );
    server
}

fn position(page: &str, needle: &str) -> usize {
    page.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} missing from:\n{page}"))
}

#[test]
fn every_slot_renders_on_the_right_pages() {
    let server = server("'decorator', 'painter'");
    let (status, site) = get(&server.url("/dcim/sites/1/"));
    assert_eq!(status, 200, "{site}");
    // head inside <head>, navbar in the top bar with the page's model.
    assert!(
        position(&site, "<meta name=\"decorator\" content=\"on\">") < position(&site, "</head>")
    );
    assert!(
        site.contains("<span class=\"decorator-nav\" data-model=\"dcim.site\">Decorated</span>"),
        "{site}"
    );
    // Object slots, with the object in the context (escaped by the extension).
    assert!(site.contains("<div class=\"alert\" id=\"decorator-alert\">Site Amsterdam &lt;1&gt; is decorated</div>"), "{site}");
    assert!(position(&site, "id=\"decorator-button\"") < position(&site, ">Edit</a>"));
    assert!(
        position(&site, "id=\"decorator-left\"") < position(&site, "class=\"column slot-right\"")
    );
    assert!(
        site.contains("<p id=\"decorator-site\">site 1</p>"),
        "{site}"
    );
    assert!(
        position(&site, "id=\"decorator-full\"") > position(&site, "class=\"column slot-right\"")
    );
    assert!(
        !site.contains("decorator-list-button"),
        "list_buttons only on list pages"
    );

    let (_, list) = get(&server.url("/dcim/sites/"));
    assert!(list.contains("id=\"decorator-list-button\""), "{list}");
    assert!(!list.contains("decorator-alert"), "{list}");

    // Site-only extensions stay off device pages; global ones are there.
    let (_, device) = get(&server.url("/dcim/devices/1/"));
    for absent in [
        "decorator-alert",
        "decorator-button",
        "decorator-site",
        "extension-error",
    ] {
        assert!(
            !device.contains(absent),
            "{absent} on a device page:\n{device}"
        );
    }
    assert!(
        device.contains("<p id=\"decorator-global\">global</p>"),
        "{device}"
    );
    // head and navbar on pages of no model, too.
    let (_, home) = get(&server.url("/"));
    assert!(home.contains("data-model=\"none\""), "{home}");
}

#[test]
fn global_first_then_model_specific_in_plugin_order() {
    let server = server("'decorator', 'painter'");
    let (_, site) = get(&server.url("/dcim/sites/1/"));
    let global = position(&site, "id=\"decorator-global\"");
    let painter = position(&site, "&lt;painter global&gt;");
    let specific = position(&site, "id=\"decorator-site\"");
    assert!(global < painter && painter < specific, "{site}");

    let server = server_reversed();
    let (_, site) = get(&server.url("/dcim/sites/1/"));
    assert!(
        position(&site, "&lt;painter global&gt;") < position(&site, "id=\"decorator-global\""),
        "{site}"
    );
}

fn server_reversed() -> NetboxServer {
    server("'painter', 'decorator'")
}

#[test]
fn failing_extensions_become_alerts_and_the_page_still_renders() {
    let server = server("'decorator'");
    let (status, site) = get(&server.url("/dcim/sites/1/"));
    assert_eq!(status, 200, "{site}");
    assert!(
        site.contains("<div class=\"alert alert-error extension-error\" data-plugin=\"decorator\">The plugin “Decorator” failed to render its right_page content.</div>"),
        "{site}"
    );
    assert!(
        site.contains("failed to render its left_page content."),
        "{site}"
    );
    assert!(
        site.contains("<p id=\"decorator-site\">site 1</p>"),
        "the other extensions still render: {site}"
    );
    assert!(
        server.log().contains("the decoration service is down"),
        "{}",
        server.log()
    );
    assert!(
        server.log().contains("decorator left_page exploded"),
        "{}",
        server.log()
    );
}

#[test]
fn disabled_plugins_extend_nothing() {
    let server = server("");
    let (_, site) = get(&server.url("/dcim/sites/1/"));
    assert!(!site.contains("decorator"), "{site}");
}

#[test]
fn tabs_follow_weights_show_badges_and_hide_when_empty() {
    let server = server("'painter'");
    post(
        &server.url("/api/dcim/sites/"),
        serde_json::json!({"name": "Empty", "slug": "empty"}),
    );
    let (_, site) = get(&server.url("/dcim/sites/1/"));
    let tabs = site
        .split("<nav class=\"tabs\"")
        .nth(1)
        .and_then(|rest| rest.split("</nav>").next())
        .unwrap_or_default();
    assert!(
        position(tabs, ">Site</a>") < position(tabs, ">Palette</a>"),
        "{tabs}"
    );
    assert!(
        position(tabs, ">Palette</a>") < position(tabs, "Devices here"),
        "{tabs}"
    );
    assert!(
        tabs.contains("Devices here <span class=\"badge badge-off\">1</span>"),
        "{tabs}"
    );

    let (_, empty) = get(&server.url("/dcim/sites/2/"));
    assert!(
        !empty.contains("Devices here"),
        "hidden when empty: {empty}"
    );
    assert!(empty.contains(">Palette</a>"), "{empty}");

    let (status, related) = get(&server.url("/dcim/sites/1/devices-here/"));
    assert_eq!(status, 200);
    assert!(
        related.contains("<a href=\"/dcim/devices/1/\">r1</a>"),
        "{related}"
    );
    assert!(
        related.contains("class=\"tab active\" href=\"/dcim/sites/1/devices-here/\""),
        "{related}"
    );
    assert_eq!(
        get(&server.url("/dcim/sites/1/palette/")),
        (200, "palette of site 1".to_string())
    );
    assert_eq!(get(&server.url("/dcim/sites/99/devices-here/")).0, 404);
}

#[test]
fn a_view_or_a_table_column_that_cannot_be_placed_refuses_to_start() {
    let run = netbox_app::testing::NetboxRun::new(env!("CARGO_BIN_EXE_netbox-with-fixtures"))
        .config("plugins = ['lost_view']")
        .run(&["check"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    for expected in [
        "error: plugin `lost_view`: view `things` is for model `dcim.rack`, which is not served",
        "error: plugin `lost_view`: table column `height` is for model `dcim.rack`, which is not served",
        "error: plugin `lost_view`: table column `name` of `dcim.device` needs a name of lowercase letters, digits and `_` that no field, custom field or other column of the table has",
        "error: plugin `lost_view`: table column `sites` counts `dcim.site` by field `name`, which is not a foreign key of a served model to `dcim.device`",
    ] {
        assert!(run.stderr.contains(expected), "{expected}\n{}", run.stderr);
    }
}
