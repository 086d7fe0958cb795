//! End-to-end tests of signals: pre_save and pre_delete receivers refusing writes (nothing
//! written, the user sees why), receivers of disabled plugins not running, custom signals.

use netbox_app::testing::NetboxServer;
use serde_json::{Value, json};
use std::time::Duration;

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

fn send(method: &str, url: &str, body: Option<Value>) -> (u16, Value) {
    let agent = agent();
    let response = match (method, body) {
        ("GET", _) => agent
            .get(url)
            .header(
                "Authorization",
                netbox_app::testing::authorization_for(url).unwrap_or_default(),
            )
            .call(),
        ("DELETE", _) => agent
            .delete(url)
            .header(
                "Authorization",
                netbox_app::testing::authorization_for(url).unwrap_or_default(),
            )
            .call(),
        (_, Some(body)) => agent
            .post(url)
            .header(
                "Authorization",
                netbox_app::testing::authorization_for(url).unwrap_or_default(),
            )
            .send_json(body),
        (_, None) => agent
            .post(url)
            .header(
                "Authorization",
                netbox_app::testing::authorization_for(url).unwrap_or_default(),
            )
            .send_empty(),
    };
    let mut response = response.unwrap_or_else(|error| panic!("{method} {url}: {error}"));
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn server(plugins: &str) -> NetboxServer {
    NetboxServer::start(
        env!("CARGO_BIN_EXE_netbox-with-fixtures"),
        &format!("plugins = [{plugins}]\n"),
    )
}

#[test]
fn pre_save_receiver_refuses_and_nothing_is_written() {
    let server = server("'decorator'");
    let (status, body) = send(
        "POST",
        &server.url("/api/dcim/sites/"),
        Some(json!({"name": "forbidden", "slug": "f"})),
    );
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["__all__"],
        json!(["The decorator plugin does not allow a site called “forbidden”."])
    );
    assert_eq!(
        send("GET", &server.url("/api/dcim/sites/"), None).1["count"],
        0
    );
    assert_eq!(
        send("GET", &server.url("/api/core/object-changes/"), None).1["count"],
        0,
        "no change logged"
    );

    // The same refusal in a form, shown above the fields, values kept.
    let mut response = agent()
        .post(&server.url("/dcim/sites/add/"))
        .header("Authorization", server.authorization())
        .send_form([("name", "forbidden"), ("slug", "f"), ("status", "active")])
        .expect("form");
    let page = response.body_mut().read_to_string().unwrap_or_default();
    assert!(page.contains("<div class=\"alert alert-error\" role=\"alert\"><div>The decorator plugin does not allow"), "{page}");
    assert!(page.contains("value=\"forbidden\""), "{page}");
}

#[test]
fn pre_delete_receiver_refuses_with_its_message() {
    let server = server("'decorator'");
    send(
        "POST",
        &server.url("/api/dcim/sites/"),
        Some(json!({"name": "A", "slug": "a", "description": "keep"})),
    );
    let (status, body) = send("DELETE", &server.url("/api/dcim/sites/1/"), None);
    assert_eq!(
        (status, body["detail"].as_str()),
        (409, Some("This site is marked “keep”."))
    );
    assert_eq!(send("GET", &server.url("/api/dcim/sites/1/"), None).0, 200);
}

#[test]
fn receivers_of_disabled_plugins_never_run() {
    let server = server("'painter'");
    let (status, body) = send(
        "POST",
        &server.url("/api/dcim/sites/"),
        Some(json!({"name": "forbidden", "slug": "f"})),
    );
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        send("GET", &server.url("/plugins/painter/paint/"), None).1,
        "painted"
    );
}

#[test]
fn custom_signals_reach_enabled_receivers() {
    let server = server("'painter', 'decorator'");
    assert_eq!(
        send("GET", &server.url("/plugins/painter/paint/"), None).1,
        "refused: no red paint today"
    );
}
