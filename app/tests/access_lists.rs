//! End-to-end tests of the access-lists plugin: models served by the host under the plugin's
//! URLs, with the same API and pages as core objects.

mod common;

use common::{Client, client_with};
use serde_json::json;

fn client() -> Client {
    client_with("plugins = ['access_lists']\n")
}

fn device(c: &Client) -> i64 {
    let site = c.site("Amsterdam", "ams");
    let (status, device) = c.json(
        "POST",
        "/api/dcim/devices/",
        Some(json!({"name": "edge1", "site": site, "role": "router"})),
    );
    assert_eq!(status, 201, "{device}");
    device["id"].as_i64().expect("id")
}

#[test]
fn access_lists_and_rules_over_the_api() {
    let c = client();
    let device = device(&c);
    // As the tutorial's model: the default action is required.
    let (status, errors) = c.json(
        "POST",
        "/api/plugins/access-lists/access-lists/",
        Some(json!({"name": "edge-in"})),
    );
    assert_eq!(status, 400);
    assert_eq!(errors["default_action"], json!(["This field is required."]));
    let (status, acl) = c.json(
        "POST",
        "/api/plugins/access-lists/access-lists/",
        Some(json!({"name": "edge-in", "default_action": "deny", "device": device})),
    );
    assert_eq!(status, 201, "{acl}");
    assert_eq!(
        acl["default_action"],
        json!({"value": "deny", "label": "Deny"})
    );
    assert_eq!(acl["device"]["display"], "edge1");
    assert_eq!(
        acl["url"],
        c.server.url("/api/plugins/access-lists/access-lists/1/")
    );
    // A list of no device, as in the tutorial.
    let (status, other) = c.json(
        "POST",
        "/api/plugins/access-lists/access-lists/",
        Some(json!({"name": "lab", "default_action": "reject"})),
    );
    assert_eq!(status, 201, "{other}");
    assert_eq!(other["default_action"]["label"], "Reject (Reset)");
    assert_eq!(other["device"], serde_json::Value::Null);

    let rule = json!({"access_list": 1, "index": 10, "protocol": "tcp", "destination_ports": [443, 8443], "action": "permit"});
    let (status, created) = c.json(
        "POST",
        "/api/plugins/access-lists/access-list-rules/",
        Some(rule.clone()),
    );
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["access_list"]["display"], "edge-in");
    assert_eq!(created["destination_ports"], json!([443, 8443]));
    assert_eq!(created["source_ports"], serde_json::Value::Null);
    assert_eq!(created["protocol"], json!({"value": "tcp", "label": "TCP"}));

    let (status, errors) = c.json(
        "POST",
        "/api/plugins/access-lists/access-list-rules/",
        Some(rule),
    );
    assert_eq!(status, 400);
    assert_eq!(
        errors["__all__"],
        json!(["An access list rule with this access list and index already exists."])
    );
    let (status, errors) = c.json(
        "POST",
        "/api/plugins/access-lists/access-list-rules/",
        Some(
            json!({"access_list": 1, "index": -1, "source_ports": [80, 70000], "action": "allow"}),
        ),
    );
    assert_eq!(status, 400);
    assert_eq!(
        errors["index"],
        json!(["Ensure this value is between 0 and 2147483647."])
    );
    assert_eq!(
        errors["source_ports"],
        json!(["Ensure each value is between 0 and 65535."])
    );
    assert!(
        errors["action"][0]
            .as_str()
            .unwrap_or_default()
            .starts_with("`allow` is not a valid choice")
    );
    // A rule without protocol matches any.
    let (status, any) = c.json(
        "POST",
        "/api/plugins/access-lists/access-list-rules/",
        Some(json!({"access_list": 1, "index": 20, "action": "deny"})),
    );
    assert_eq!(status, 201, "{any}");
    assert_eq!(any["protocol"], serde_json::Value::Null);

    let (_, rules) = c.json(
        "GET",
        "/api/plugins/access-lists/access-list-rules/?access_list_id=1&destination_ports__empty=false",
        None,
    );
    assert_eq!(rules["count"], 1, "{rules}");

    let (status, body) = c.json("DELETE", &format!("/api/dcim/devices/{device}/"), None);
    assert_eq!(status, 409, "{body}");
    assert_eq!(
        body["detail"],
        "Device “edge1” still has 1 access list; delete them first (Access Lists plugin)."
    );
    assert_eq!(
        c.json("GET", &format!("/api/dcim/devices/{device}/"), None)
            .0,
        200,
        "nothing deleted"
    );

    let (_, root) = c.json("GET", "/api/plugins/access-lists/", None);
    assert_eq!(
        root["access-lists"],
        c.server.url("/api/plugins/access-lists/access-lists/")
    );
    assert_eq!(
        root["access-list-rules"],
        c.server.url("/api/plugins/access-lists/access-list-rules/")
    );
    let (_, plugins) = c.json("GET", "/api/plugins/", None);
    assert_eq!(
        plugins["access-lists"],
        c.server.url("/api/plugins/access-lists/")
    );

    // Deleting a list deletes its rules (the tutorial's CASCADE).
    let (status, _) = c.json("DELETE", "/api/plugins/access-lists/access-lists/1/", None);
    assert_eq!(status, 204);
    let (_, rules) = c.json("GET", "/api/plugins/access-lists/access-list-rules/", None);
    assert_eq!(rules["count"], 0, "{rules}");
}

#[test]
fn access_list_pages_and_menu() {
    let c = client();
    let device = device(&c);
    let (status, location, _) = c.form(
        "/plugins/access-lists/access-lists/add/",
        &[
            ("name", "edge-in"),
            ("device", &device.to_string()),
            ("default_action", "deny"),
        ],
    );
    assert_eq!(
        (status, location.as_str()),
        (303, "/plugins/access-lists/access-lists/1/")
    );
    let (status, page) = c.page("/plugins/access-lists/access-lists/");
    assert_eq!(status, 200);
    assert!(
        page.contains("<a href=\"/plugins/access-lists/access-lists/1/\">edge-in</a>"),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"/dcim/devices/1/\">edge1</a>"),
        "{page}"
    );
    // Choices carry the tutorial's colours.
    assert!(
        page.contains("<span class=\"badge badge-red\">Deny</span>"),
        "{page}"
    );
    assert!(
        page.contains("<a class=\"btn btn-green\" href=\"/plugins/access-lists/access-lists/add/\" title=\"Add\">Add</a>"),
        "menu add button: {page}"
    );
    let (status, page) = c.page("/plugins/access-lists/rules/add/");
    assert_eq!(status, 200);
    assert!(
        page.contains("<option value=\"1\">edge-in</option>"),
        "{page}"
    );
    let (_, page) = c.page("/core/plugins/access_lists/");
    assert!(
        page.contains("<code>access_lists.accesslist</code>"),
        "{page}"
    );
    assert!(page.contains("<code>0001_initial</code>"), "{page}");
}

#[test]
fn disabled_plugin_serves_no_models() {
    let c = client_with("plugins = []\n");
    assert_eq!(c.page("/plugins/access-lists/access-lists/").0, 404);
    assert_eq!(
        c.json("GET", "/api/plugins/access-lists/access-list-rules/", None)
            .0,
        404
    );
}

#[test]
fn device_list_links_to_access_lists() {
    let c = client();
    let (_, page) = c.page("/dcim/devices/");
    assert!(
        page.contains("<a class=\"btn btn-purple\" href=\"/plugins/access-lists/access-lists/\">Access lists</a>"),
        "{page}"
    );
    let (_, sites) = c.page("/dcim/sites/");
    assert!(
        !sites.contains("btn-purple"),
        "only on the device list: {sites}"
    );
}

#[test]
fn devices_get_an_access_lists_tab_with_a_count() {
    let c = client();
    let device = device(&c);
    c.json(
        "POST",
        "/api/plugins/access-lists/access-lists/",
        Some(json!({"name": "edge-in", "default_action": "deny", "device": device})),
    );
    c.json(
        "POST",
        "/api/plugins/access-lists/access-lists/",
        Some(json!({"name": "edge-out", "default_action": "permit", "device": device})),
    );
    let (_, page) = c.page(&format!("/dcim/devices/{device}/"));
    assert!(
        page.contains("Access Lists <span class=\"badge badge-off\">2</span>"),
        "{page}"
    );
    let (status, tab) = c.page(&format!("/dcim/devices/{device}/access-lists/"));
    assert_eq!(status, 200);
    assert!(
        tab.contains(">edge-in</a>") && tab.contains(">edge-out</a>"),
        "{tab}"
    );
    assert!(tab.contains("2 access lists"), "{tab}");
}
