//! End-to-end tests of the change log: every create, update and delete of core and plugin
//! objects is recorded with before/after data and the request id; failed writes record nothing.

mod common;

use common::client_with;
use serde_json::{Value, json};

#[test]
fn changes_are_recorded_with_before_and_after() {
    let c = client_with("plugins = ['access_lists']\n");
    let site = c.site("Amsterdam", "ams");
    c.json(
        "PATCH",
        &format!("/api/dcim/sites/{site}/"),
        Some(json!({"region": "Europe"})),
    );
    // A failed write records nothing.
    assert_eq!(
        c.json(
            "PATCH",
            &format!("/api/dcim/sites/{site}/"),
            Some(json!({"slug": "Bad Slug"}))
        )
        .0,
        400
    );
    let (_, device) = c.json(
        "POST",
        "/api/dcim/devices/",
        Some(json!({"name": "r1", "site": site, "role": "router"})),
    );
    let (_, acl) = c.json(
        "POST",
        "/api/plugins/access-lists/access-lists/",
        Some(json!({"name": "in", "default_action": "deny", "device": device["id"]})),
    );
    assert_eq!(
        c.json(
            "DELETE",
            &format!("/api/plugins/access-lists/access-lists/{}/", acl["id"]),
            None
        )
        .0,
        204
    );

    let (status, changes) = c.json("GET", "/api/core/object-changes/", None);
    assert_eq!(status, 200);
    assert_eq!(changes["count"], 5, "{changes}");
    let results = changes["results"].as_array().cloned().unwrap_or_default();
    let summary: Vec<(String, String)> = results
        .iter()
        .map(|c| {
            (
                c["action"].as_str().unwrap_or_default().to_string(),
                c["object_type"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("delete".into(), "access_lists.accesslist".into()),
            ("create".into(), "access_lists.accesslist".into()),
            ("create".into(), "dcim.device".into()),
            ("update".into(), "dcim.site".into()),
            ("create".into(), "dcim.site".into()),
        ]
    );
    let update = &results[3];
    assert_eq!(update["prechange_data"]["region"], "");
    assert_eq!(update["postchange_data"]["region"], "Europe");
    assert_eq!(update["object_repr"], "Amsterdam");
    assert_eq!(
        update["user_name"],
        c.server.username.as_str(),
        "the real user"
    );
    assert_eq!(
        update["request_id"].as_str().map(str::len),
        Some(36),
        "a UUID: {update}"
    );
    assert_eq!(results[0]["postchange_data"], Value::Null);
    assert_eq!(results[4]["prechange_data"], Value::Null);

    let (_, site_changes) = c.json(
        "GET",
        &format!("/api/core/object-changes/?object_type=dcim.site&object_id={site}"),
        None,
    );
    assert_eq!(site_changes["count"], 2);
    let (status, body) = c.json("GET", "/api/core/object-changes/?object_id=x", None);
    assert_eq!(
        (status, body["detail"].as_str()),
        (400, Some("`object_id` must be a whole number, not `x`"))
    );
}

#[test]
fn changelog_pages_and_object_tab() {
    let c = client_with("plugins = []\n");
    let site = c.site("Amsterdam", "ams");
    c.form(
        &format!("/dcim/sites/{site}/edit/"),
        &[
            ("name", "Amsterdam"),
            ("slug", "ams"),
            ("status", "planned"),
        ],
    );
    let (status, page) = c.page("/core/changelog/");
    assert_eq!(status, 200);
    assert!(page.contains("2 change(s)"), "{page}");
    let (status, tab) = c.page(&format!("/dcim/sites/{site}/changelog/"));
    assert_eq!(status, 200);
    assert!(
        tab.contains("class=\"tab active\" href=\"/dcim/sites/1/changelog/\""),
        "{tab}"
    );
    assert!(tab.contains("<tr data-action=\"update\">"), "{tab}");
    assert!(
        tab.contains("&quot;status&quot;: &quot;planned&quot;")
            || tab.contains("&#34;status&#34;: &#34;planned&#34;"),
        "{tab}"
    );
    let (_, detail) = c.page(&format!("/dcim/sites/{site}/"));
    assert!(
        detail.contains("href=\"/dcim/sites/1/changelog/\">Changelog</a>"),
        "{detail}"
    );
}
