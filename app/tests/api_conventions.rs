//! End-to-end tests of NetBox's REST conventions over HTTP against the real binary and a real
//! database (SQLite, or PostgreSQL with NETBOX_TEST_DATABASE_URL): page sizes and keyset
//! pages, filters and lookups, ordering, shapes, bulk writes, roots, methods, ids, ETags.

use serde_json::{Value, json};

mod common;

use common::{Client, client_with};

fn client() -> Client {
    client_with("plugins = ['animal_sounds', 'access_lists']\nmax_page_size = 20\n")
}

/// Creates sites `s0..s<n>` (status alternating active/planned) in one bulk request.
fn sites(c: &Client, n: usize) -> Vec<i64> {
    let list: Vec<Value> = (0..n)
        .map(|i| {
            let status = if i % 2 == 0 { "active" } else { "planned" };
            json!({"name": format!("Site {i:02}"), "slug": format!("s{i}"), "status": status})
        })
        .collect();
    let (status, created) = c.json("POST", "/api/dcim/sites/", Some(Value::Array(list)));
    assert_eq!(status, 201, "{created}");
    created
        .as_array()
        .expect("a list")
        .iter()
        .map(|site| site["id"].as_i64().expect("id"))
        .collect()
}

/// The exact text of a GET as the admin.
fn text_of(c: &Client, path: &str) -> String {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    agent
        .get(&c.server.url(path))
        .header("Authorization", c.server.authorization())
        .call()
        .expect("GET")
        .body_mut()
        .read_to_string()
        .expect("text")
}

fn names(list: &Value) -> Vec<String> {
    list["results"]
        .as_array()
        .map(|results| {
            results
                .iter()
                .map(|o| o["name"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn page_sizes_and_keyset_pages() {
    let c = client();
    let ids = sites(&c, 25);
    let (_, all) = c.json("GET", "/api/dcim/sites/?limit=0", None);
    assert_eq!((all["count"].as_i64(), names(&all).len()), (Some(25), 20));
    let (_, capped) = c.json("GET", "/api/dcim/sites/?limit=500", None);
    assert_eq!(names(&capped).len(), 20);

    // Keyset: ordered by id, not counted, `next` while pages are full.
    let start = ids[3];
    let (status, page) = c.json(
        "GET",
        &format!("/api/dcim/sites/?start={start}&limit=10"),
        None,
    );
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["count"], Value::Null);
    assert_eq!(page["previous"], Value::Null);
    let results = page["results"].as_array().expect("results");
    assert_eq!(results[0]["id"].as_i64(), Some(start));
    assert_eq!(results.len(), 10);
    let next = page["next"].as_str().expect("next");
    assert!(next.contains(&format!("start={}", ids[12] + 1)), "{next}");
    let (_, last) = c.json(
        "GET",
        &format!("/api/dcim/sites/?start={}&limit=10", ids[23]),
        None,
    );
    assert_eq!((names(&last).len(), &last["next"]), (2, &Value::Null));
    let (status, body) = c.json("GET", "/api/dcim/sites/?start=1&offset=5", None);
    assert_eq!(status, 400, "{body}");
    assert!(body["start"].is_array(), "{body}");

    // Offsets far past the end: an empty page, links that stay in range.
    let (status, far) = c.json("GET", "/api/dcim/sites/?offset=9223372036854775807", None);
    assert_eq!(status, 200, "{far}");
    assert_eq!(far["next"], Value::Null);
    let previous = far["previous"].as_str().unwrap_or_default();
    assert!(!previous.contains("offset=-"), "{previous}");
    let (status, _) = c.json("GET", "/api/dcim/sites/?offset=99999999999999999999", None);
    assert_eq!(status, 400);
}

#[test]
fn filters_or_repeated_values_and_take_netbox_lookups() {
    let c = client();
    let ids = sites(&c, 6);
    let count = |query: &str| {
        let (status, list) = c.json("GET", &format!("/api/dcim/sites/?{query}"), None);
        assert_eq!(status, 200, "{query}: {list}");
        list["count"].as_i64().unwrap_or(-1)
    };
    c.json(
        "PATCH",
        &format!("/api/dcim/sites/{}/", ids[0]),
        Some(json!({"status": "retired", "description": "Main DC"})),
    );
    assert_eq!(count("status=active&status=planned"), 5);
    assert_eq!(count("status=retired"), 1);
    assert_eq!(count("status__n=active&status__n=planned"), 1);
    assert_eq!(count("slug=s1&slug=s2&slug=nope"), 2);
    assert_eq!(count("name__ic=TE%2000"), 1);
    assert_eq!(count("name__isw=site"), 6);
    assert_eq!(count("name__iew=05"), 1);
    assert_eq!(count("name__ie=site%2003"), 1);
    assert_eq!(count("name__nic=site%200"), 0);
    assert_eq!(count("description__empty=false"), 1);
    assert_eq!(count("description__empty=true"), 5);
    assert_eq!(count(&format!("id={}&id={}", ids[1], ids[2])), 2);
    assert_eq!(count(&format!("id__gt={}", ids[3])), 2);
    assert_eq!(count(&format!("id__lte={}", ids[1])), 2);
    // LIKE wildcards are literal characters.
    assert_eq!(count("q=%25"), 0);
    assert_eq!(count("q=_"), 0);
    assert_eq!(count("name__ic=%25"), 0);

    for (site, name) in [(ids[1], "d1"), (ids[1], "d2"), (ids[2], "d3")] {
        let (status, body) = c.json(
            "POST",
            "/api/dcim/devices/",
            Some(json!({"name": name, "site": site, "role": "router"})),
        );
        assert_eq!(status, 201, "{body}");
    }
    let devices = |query: &str| {
        let (status, list) = c.json("GET", &format!("/api/dcim/devices/?{query}"), None);
        assert_eq!(status, 200, "{query}: {list}");
        list["count"].as_i64().unwrap_or(-1)
    };
    assert_eq!(
        devices(&format!("site_id={}&site_id={}", ids[1], ids[2])),
        3
    );
    assert_eq!(devices(&format!("site_id__n={}", ids[1])), 1);
    assert_eq!(devices("site=s1"), 2);
    assert_eq!(devices("site=s1&site=s2"), 3);
    assert_eq!(devices("site__n=s1"), 1);

    for (query, key) in [
        ("status=bogus", "status"),
        ("colour=red", "colour"),
        ("name__regex=x", "name__regex"),
        ("id__ic=1", "id__ic"),
        ("id=abc", "id"),
        ("created__gt=yesterday", "created__gt"),
        ("description__empty=maybe", "description__empty"),
    ] {
        let (status, body) = c.json("GET", &format!("/api/dcim/sites/?{query}"), None);
        assert_eq!(status, 400, "{query}: {body}");
        assert!(body[key].is_array(), "{query}: {body}");
    }
    let (_, body) = c.json("GET", "/api/dcim/sites/?status=bogus", None);
    assert!(
        body["status"][0]
            .as_str()
            .unwrap_or_default()
            .contains("bogus is not one of the available choices"),
        "{body}"
    );
}

#[test]
fn ordering_and_shapes() {
    let c = client();
    sites(&c, 3);
    let (_, list) = c.json("GET", "/api/dcim/sites/?ordering=-name", None);
    assert_eq!(names(&list), ["Site 02", "Site 01", "Site 00"]);
    let (_, list) = c.json("GET", "/api/dcim/sites/?ordering=status,-name", None);
    assert_eq!(names(&list), ["Site 02", "Site 00", "Site 01"]);
    let (status, body) = c.json("GET", "/api/dcim/sites/?ordering=colour", None);
    assert_eq!(status, 400, "{body}");
    assert!(body["ordering"].is_array(), "{body}");

    let (_, brief) = c.json("GET", "/api/dcim/sites/?brief=true&limit=1", None);
    let keys: Vec<&String> = brief["results"][0]
        .as_object()
        .expect("object")
        .keys()
        .collect();
    assert_eq!(
        keys,
        [
            "description",
            "display",
            "display_url",
            "id",
            "name",
            "slug",
            "url"
        ]
    );
    // In the text the keys come in NetBox's order (parsed maps sort them).
    let raw = text_of(&c, "/api/dcim/sites/?brief=1&limit=1");
    let positions: Vec<usize> = [
        "id",
        "url",
        "display_url",
        "display",
        "name",
        "slug",
        "description",
    ]
    .iter()
    .map(|key| raw.find(&format!("\"{key}\"")).unwrap_or(usize::MAX))
    .collect();
    assert!(positions.windows(2).all(|pair| pair[0] < pair[1]), "{raw}");
    let (_, fields) = c.json("GET", "/api/dcim/sites/?fields=id,status&limit=1", None);
    let first = &fields["results"][0];
    assert_eq!(first.as_object().map(|o| o.len()), Some(2), "{first}");
    assert_eq!(first["status"]["value"], "active");
    let (_, omitted) = c.json(
        "GET",
        "/api/dcim/sites/?omit=url,region,created&limit=1",
        None,
    );
    let first = omitted["results"][0].as_object().expect("object");
    assert!(
        !first.contains_key("url") && !first.contains_key("region") && first.contains_key("slug")
    );
    let (status, body) = c.json("GET", "/api/dcim/sites/?fields=id,colour", None);
    assert_eq!(status, 400, "{body}");
}

#[test]
fn bulk_writes_are_all_or_nothing() {
    let c = client_with("plugins = []\nmax_page_size = 1000\n");
    // 1,000 objects, one invalid: 400 naming the item and field, nothing written.
    let mut list: Vec<Value> = (0..1000)
        .map(|i| json!({"name": format!("Bulk {i}"), "slug": format!("bulk-{i}")}))
        .collect();
    list[617] = json!({"name": "Bad", "slug": "not a slug"});
    let (status, errors) = c.json("POST", "/api/dcim/sites/", Some(Value::Array(list.clone())));
    assert_eq!(status, 400);
    let errors = errors.as_array().expect("a list of errors per item");
    assert_eq!(errors.len(), 1000);
    assert!(errors[617]["slug"].is_array(), "{}", errors[617]);
    assert_eq!(errors[0], json!({}));
    let (_, all) = c.json("GET", "/api/dcim/sites/", None);
    assert_eq!(all["count"], 0);

    // Duplicates inside one request are caught like duplicates of stored objects.
    list[617] = json!({"name": "Bulk 0", "slug": "bulk-0"});
    let (status, errors) = c.json("POST", "/api/dcim/sites/", Some(Value::Array(list.clone())));
    assert_eq!(status, 400, "{errors}");
    assert!(errors[617]["slug"].is_array(), "{}", errors[617]);

    list[617] = json!({"name": "Bulk 617", "slug": "bulk-617"});
    let (status, created) = c.json("POST", "/api/dcim/sites/", Some(Value::Array(list)));
    assert_eq!(status, 201);
    let ids: Vec<i64> = created
        .as_array()
        .expect("list")
        .iter()
        .map(|s| s["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(ids.len(), 1000);
    let (_, changes) = c.json(
        "GET",
        "/api/core/object-changes/?action=create&limit=1",
        None,
    );
    assert_eq!(changes["count"], 1000);

    // Bulk update: each item names its object; one bad value changes nothing.
    let (status, body) = c.json(
        "PATCH",
        "/api/dcim/sites/",
        Some(json!([{"id": ids[0], "region": "North"}, {"id": ids[1], "status": "bogus"}])),
    );
    assert_eq!(status, 400, "{body}");
    assert_eq!(body[0], json!({}));
    assert!(body[1]["status"].is_array(), "{body}");
    let (status, body) = c.json(
        "PATCH",
        "/api/dcim/sites/",
        Some(json!([{"id": ids[0], "region": "North"}, {"id": ids[1], "region": "South"}])),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body[1]["region"], "South");
    let (status, body) = c.json(
        "PATCH",
        "/api/dcim/sites/",
        Some(json!([{"id": ids[2], "region": "East"}, {"region": "nowhere"}])),
    );
    assert_eq!(status, 400, "{body}");
    assert!(body[1]["id"].is_array(), "{body}");

    // Bulk delete: a missing id fails the whole request.
    let missing = ids[999] + 1000;
    let reply = c.send(
        "DELETE",
        "/api/dcim/sites/",
        &[],
        Some(&json!([{"id": ids[0]}, {"id": missing}])),
    );
    assert_eq!(reply.status, 404, "{}", reply.body);
    assert!(
        reply.body["detail"]
            .as_str()
            .unwrap_or_default()
            .starts_with("Item 1:")
    );
    let (_, all) = c.json("GET", "/api/dcim/sites/?limit=1", None);
    assert_eq!(all["count"], 1000);
    let reply = c.send(
        "DELETE",
        "/api/dcim/sites/",
        &[],
        Some(&json!([{"id": ids[0]}, ids[1]])),
    );
    assert_eq!(reply.status, 204, "{}", reply.body);
    let (_, all) = c.json("GET", "/api/dcim/sites/?limit=1", None);
    assert_eq!(all["count"], 998);
}

#[test]
fn roots_methods_ids_and_versions() {
    let c = client();
    let root = c.send("GET", "/api/", &[], None);
    assert_eq!(root.status, 200);
    assert_eq!(root.header("api-version"), Some("4.6"));
    for app in ["dcim", "core", "users", "plugins", "status", "schema"] {
        let link = root.body[app].as_str().unwrap_or_default();
        assert!(
            link.ends_with(&format!("/api/{app}/")),
            "{app}: {}",
            root.body
        );
    }
    let (status, dcim) = c.json("GET", "/api/dcim/", None);
    assert_eq!(status, 200);
    assert_eq!(dcim["sites"], c.server.url("/api/dcim/sites/"));
    let (_, plugins) = c.json("GET", "/api/plugins/", None);
    for base in ["animal-sounds", "access-lists"] {
        let link = plugins[base].as_str().unwrap_or_default().to_string();
        assert!(!link.is_empty(), "{plugins}");
        let reply = c.send("GET", link.trim_start_matches(&c.server.url("")), &[], None);
        assert_eq!(reply.status, 200, "{link}: {}", reply.body);
        assert!(
            reply.body.as_object().is_some_and(|o| !o.is_empty()),
            "{link}"
        );
    }

    let list = c.send("GET", "/api/dcim/sites/", &[], None);
    assert_eq!(
        list.header("api-version"),
        Some("4.6"),
        "every API answer has it"
    );
    let anonymous: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let refused = anonymous
        .get(&c.server.url("/api/dcim/sites/"))
        .call()
        .expect("GET");
    assert_eq!(refused.status().as_u16(), 403);
    assert_eq!(
        refused
            .headers()
            .get("api-version")
            .and_then(|v| v.to_str().ok()),
        Some("4.6"),
        "refusals of the security middleware too"
    );
    let plain = c.send(
        "POST",
        "/api/dcim/sites/",
        &[("Content-Type", "text/plain")],
        None,
    );
    assert_eq!(plain.status, 415, "{}", plain.body);
    let head = c.send("HEAD", "/api/dcim/sites/", &[], None);
    assert_eq!((head.status, &head.body), (200, &Value::Null));
    let options = c.send("OPTIONS", "/api/dcim/sites/", &[], None);
    assert_eq!(options.status, 200);
    assert!(options.header("allow").unwrap_or_default().contains("POST"));
    assert_eq!(options.body["actions"]["POST"]["status"]["type"], "choice");
    let wrong = c.send("POST", "/api/status/", &[], Some(&json!({})));
    assert_eq!(wrong.status, 405);
    assert_eq!(wrong.header("allow"), Some("GET, HEAD, OPTIONS"));
    assert!(wrong.body["detail"].is_string(), "{}", wrong.body);
    let wrong = c.send(
        "PUT",
        "/api/plugins/installed-plugins/",
        &[],
        Some(&json!({})),
    );
    assert_eq!(wrong.status, 405);

    let bad = c.send("GET", "/api/dcim/sites/abc/", &[], None);
    assert_eq!(bad.status, 400);
    let detail = bad.body["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("“abc” is not an object id") && !detail.contains("i64"),
        "{detail}"
    );

    // ETag and If-Match: a stale write is 412 and changes nothing.
    let id = sites(&c, 1)[0];
    let path = format!("/api/dcim/sites/{id}/");
    // PUT, as NetBox's: the required fields are needed, missing optional ones keep their value.
    c.json(
        "PATCH",
        &path,
        Some(json!({"status": "planned", "description": "kept"})),
    );
    let (status, body) = c.json("PUT", &path, Some(json!({"name": "Site 00"})));
    assert_eq!(status, 400, "{body}");
    assert!(body["slug"].is_array(), "{body}");
    let (status, site) = c.json("PUT", &path, Some(json!({"name": "Site 00", "slug": "s0"})));
    assert_eq!(status, 200, "{site}");
    assert_eq!(
        (
            site["status"]["value"].as_str(),
            site["description"].as_str()
        ),
        (Some("planned"), Some("kept"))
    );
    let read = c.send("GET", &path, &[], None);
    let tag = read.header("etag").expect("an ETag").to_string();
    let first = c.send(
        "PATCH",
        &path,
        &[("If-Match", &tag)],
        Some(&json!({"region": "A"})),
    );
    assert_eq!(first.status, 200, "{}", first.body);
    assert_ne!(first.header("etag"), Some(tag.as_str()));
    let stale = c.send(
        "PATCH",
        &path,
        &[("If-Match", &tag)],
        Some(&json!({"region": "B"})),
    );
    assert_eq!(stale.status, 412, "{}", stale.body);
    assert_eq!(stale.body["detail"], "Precondition failed.");
    let stale = c.send("DELETE", &path, &[("If-Match", &tag)], None);
    assert_eq!(stale.status, 412);
    let (_, site) = c.json("GET", &path, None);
    assert_eq!(site["region"], "A");
    let current = first.header("etag").unwrap_or_default().to_string();
    let deleted = c.send("DELETE", &path, &[("If-Match", &current)], None);
    assert_eq!(deleted.status, 204);
    let again = c.send("DELETE", &path, &[], None);
    assert_eq!(again.status, 404);
}

#[test]
fn search_follows_every_write_and_takes_text_literally() {
    let c = client();
    let ids = sites(&c, 3);
    let found = |q: &str| {
        let (status, list) = c.json("GET", &format!("/api/dcim/sites/?q={q}"), None);
        assert_eq!(status, 200, "{q}: {list}");
        names(&list)
    };
    assert_eq!(found("site%2001"), ["Site 01"]);
    assert_eq!(found("SITE"), ["Site 00", "Site 01", "Site 02"]);
    assert_eq!(found("01"), ["Site 01"]);
    let (status, body) = c.json(
        "PATCH",
        &format!("/api/dcim/sites/{}/", ids[1]),
        Some(json!({"name": "Renamed \"quoted\" 50%"})),
    );
    assert_eq!(status, 200, "{body}");
    assert!(found("site%2001").is_empty());
    assert_eq!(found("%22quoted%22%2050%25"), ["Renamed \"quoted\" 50%"]);
    assert_eq!(found("d%20%22q"), ["Renamed \"quoted\" 50%"]);
    c.json(
        "PATCH",
        &format!("/api/dcim/sites/{}/", ids[2]),
        Some(json!({"description": "Hall of mirrors"})),
    );
    assert_eq!(found("MIRROR"), ["Site 02"]);
    c.send("DELETE", &format!("/api/dcim/sites/{}/", ids[2]), &[], None);
    assert!(found("mirror").is_empty());
    assert!(found("%22%20OR%20%22").is_empty());
}

#[test]
fn a_refused_shape_writes_nothing_and_case_folding_matches_the_backend() {
    let c = client();
    let id = sites(&c, 1)[0];
    let (status, _) = c.json(
        "PATCH",
        &format!("/api/dcim/sites/{id}/?fields=bogus"),
        Some(json!({"description": "changed"})),
    );
    assert_eq!(status, 400);
    let (status, _) = c.json(
        "POST",
        "/api/dcim/sites/?limit=-1",
        Some(json!({"name": "Never", "slug": "never"})),
    );
    assert_eq!(status, 400);
    let (_, site) = c.json("GET", &format!("/api/dcim/sites/{id}/"), None);
    assert_eq!(site["description"], "");
    let (_, never) = c.json("GET", "/api/dcim/sites/?slug=never", None);
    assert_eq!(never["count"], 0);

    c.json(
        "PATCH",
        &format!("/api/dcim/sites/{id}/"),
        Some(json!({"name": "École Nord"})),
    );
    for query in [
        "name__ie=%C3%89cole%20nord",
        "name__ic=%C3%89COLE",
        "q=%C3%89cole",
    ] {
        let (status, list) = c.json("GET", &format!("/api/dcim/sites/?{query}"), None);
        assert_eq!(
            (status, &list["count"]),
            (200, &json!(1)),
            "{query}: {list}"
        );
    }
    // Empty values are no filter, as in NetBox.
    let (status, list) = c.json("GET", "/api/dcim/sites/?status=&name__ic=", None);
    assert_eq!((status, &list["count"]), (200, &json!(1)), "{list}");
}

#[test]
fn reference_inputs_search_as_the_user_types_beyond_a_thousand_objects() {
    let c = client_with("plugins = []\n");
    let (_, form) = c.page("/dcim/devices/add/");
    assert!(
        form.contains("<select id=\"field-site\""),
        "a few sites: a select"
    );
    let list: Vec<Value> = (0..1000)
        .map(|i| json!({"name": format!("Many {i}"), "slug": format!("many-{i}")}))
        .collect();
    let (status, _) = c.json("POST", "/api/dcim/sites/", Some(Value::Array(list)));
    assert_eq!(status, 201);
    let (_, form) = c.page("/dcim/devices/add/");
    assert!(
        !form.contains("<select id=\"field-site\""),
        "no truncated select"
    );
    assert!(
        form.contains("data-autocomplete=\"/api/dcim/sites/\" data-field=\"id\""),
        "{form}"
    );
    // The list page never loads the sites: its site filter asks the API as the user types.
    let (_, page) = c.page("/dcim/devices/");
    assert!(page.contains("data-autocomplete=\"/api/dcim/sites/\" data-field=\"slug\""));
    assert!(!page.contains("Many 999"));
    let (_, script) = c.page("/static/netbox/autocomplete.js");
    assert!(script.contains("data-autocomplete"));
}
