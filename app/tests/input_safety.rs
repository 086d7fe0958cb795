//! End-to-end tests of input safety (SQLite, or PostgreSQL with `NETBOX_TEST_DATABASE_URL`):
//! LIKE wildcards in searches are literal, control characters are refused in text and query
//! values, and a request carries a bounded number of query parameters.

mod common;

use common::client_with;
use serde_json::json;

#[test]
fn search_wildcards_are_taken_literally() {
    let c = client_with("plugins = []\n");
    c.site("Alpha", "alpha");
    c.site("50%_off", "fifty");
    for (q, expected) in [
        ("%25", 1),
        ("_", 1),
        ("%25_", 1),
        ("50%25_off", 1),
        ("a", 1),
        ("%5C", 0),
    ] {
        let (status, body) = c.json("GET", &format!("/api/dcim/sites/?q={q}"), None);
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["count"], expected, "?q={q}: {body}");
    }
}

#[test]
fn control_characters_and_too_many_parameters_are_refused() {
    let c = client_with("plugins = []\n");
    for path in [
        "/api/dcim/sites/?q=a%00b",
        "/api/dcim/sites/?name=a%01",
        "/dcim/sites/?q=%1B",
    ] {
        let (status, _) = c.json("GET", path, None);
        assert_eq!(status, 400, "{path}");
    }
    let many: Vec<String> = (0..101).map(|i| format!("name=s{i}")).collect();
    let (status, body) = c.json("GET", &format!("/api/dcim/sites/?{}", many.join("&")), None);
    assert_eq!(status, 400, "{body}");
    let (status, body) = c.json(
        "POST",
        "/api/dcim/sites/",
        Some(json!({"name": "a\u{1}b", "slug": "ab"})),
    );
    assert_eq!(status, 400, "{body}");
    assert!(
        body["name"][0]
            .as_str()
            .unwrap_or_default()
            .contains("Control characters"),
        "{body}"
    );
    let (status, _) = c.json("GET", "/api/dcim/sites/?slug=ab", None);
    assert_eq!(status, 200);
    // Up to the limit, repeated values of one filter are fine (and OR-ed).
    let hundred: Vec<String> = (0..100).map(|i| format!("name=s{i}")).collect();
    let (status, body) = c.json(
        "GET",
        &format!("/api/dcim/sites/?{}", hundred.join("&")),
        None,
    );
    assert_eq!((status, &body["count"]), (200, &json!(0)), "{body}");
    for bad in [
        json!({"name": "x", "slug": "x", "description": "long\u{0}text"}),
        json!({"name": "x", "slug": "x", "na\u{0}me": "y"}),
        json!([{"name": "x", "slug": "x"}, {"name": "y\u{0}", "slug": "y"}]),
    ] {
        let (status, body) = c.json("POST", "/api/dcim/sites/", Some(bad.clone()));
        assert_eq!(status, 400, "{bad}: {body}");
    }
    let (_, all) = c.json("GET", "/api/dcim/sites/", None);
    assert_eq!(all["count"], 0, "nothing of a refused request was written");
}
