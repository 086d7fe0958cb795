//! End-to-end tests of bulk import and export on list pages, over HTTP against the real binary,
//! on SQLite (or PostgreSQL with NETBOX_TEST_DATABASE_URL).

use serde_json::json;

mod common;

use common::{Client, client_with};

fn client() -> Client {
    client_with("plugins = ['animal_sounds', 'access_lists']\n")
}

fn count(c: &Client, path: &str) -> i64 {
    let (status, list) = c.json("GET", path, None);
    assert_eq!(status, 200, "{list}");
    list["count"].as_i64().expect("count")
}

/// The export of `path` (a list page's `export/` with its query).
fn export(c: &Client, path: &str) -> String {
    let (status, text) = c.page(path);
    assert_eq!(status, 200, "{text}");
    text
}

#[test]
fn a_bad_row_imports_nothing_and_is_named() {
    let c = client();
    let mut csv = String::from("name,slug,status,description\n");
    for i in 0..1000 {
        // Row 637 has a status that is not a choice.
        let status = if i == 636 { "sideways" } else { "active" };
        csv.push_str(&format!("Site {i},site-{i},{status},imported\n"));
    }
    let (status, _, body) = c.form("/dcim/sites/import/", &[("data", &csv), ("format", "csv")]);
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("Row 637: status:"), "{body}");
    assert!(body.contains("Nothing was imported"), "{body}");
    assert_eq!(count(&c, "/api/dcim/sites/"), 0);

    let fixed = csv.replace("sideways", "planned");
    let (status, _, body) = c.form(
        "/dcim/sites/import/",
        &[("data", &fixed), ("format", "auto")],
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("1000 created"), "{body}");
    assert_eq!(count(&c, "/api/dcim/sites/?description=imported"), 1000);
}

#[test]
fn export_then_import_round_trips_references_tags_and_custom_fields() {
    let c = client();
    let (status, _) = c.json(
        "POST",
        "/api/extras/tags/",
        Some(json!({"name": "Core", "slug": "core"})),
    );
    assert_eq!(status, 201);
    let (status, _) = c.json(
        "POST",
        "/api/extras/custom-fields/",
        Some(json!({"name": "rack_count", "type": "integer", "object_types": ["dcim.device"]})),
    );
    assert_eq!(status, 201);
    c.site("Amsterdam", "ams");
    // JSON and YAML import too; references by slug.
    let json_rows = json!([
        {"name": "ams-r1", "site": "ams", "role": "router", "tags": ["core"], "cf_rack_count": 2},
        {"name": "ams-s1", "site": "ams", "role": "switch", "status": "planned"}
    ])
    .to_string();
    let (status, _, body) = c.form("/dcim/devices/import/", &[("data", &json_rows)]);
    assert_eq!(status, 200, "{body}");
    let yaml = "- name: ams-fw1\n  site: ams\n  role: firewall\n  serial: SN9\n";
    let (status, _, body) = c.form("/dcim/devices/import/", &[("data", yaml)]);
    assert_eq!(status, 200, "{body}");
    assert_eq!(count(&c, "/api/dcim/devices/"), 3);

    // The export of a filtered list has what the filter selects, references as slugs.
    let routers = export(&c, "/dcim/devices/export/?role=router");
    let mut lines = routers.lines();
    assert_eq!(
        lines.next(),
        Some("id,name,site,role,status,serial,description,tags,cf_rack_count")
    );
    let row = lines.next().expect("one device");
    assert!(row.ends_with(",ams-r1,ams,router,active,,,core,2"), "{row}");
    assert_eq!(lines.next(), None);
    let chosen = export(&c, "/dcim/devices/export/?columns=name,site&ordering=name");
    assert!(chosen.starts_with("id,name,site\n"), "{chosen}");

    // Deleted, then imported from the export without ids: the same objects again.
    let everything = export(&c, "/dcim/devices/export/");
    let (_, list) = c.json("GET", "/api/dcim/devices/", None);
    for device in list["results"].as_array().expect("results") {
        let path = format!("/api/dcim/devices/{}/", device["id"]);
        assert_eq!(c.json("DELETE", &path, None).0, 204);
    }
    let without_ids: String = everything
        .lines()
        .map(|line| {
            line.split_once(',')
                .map_or("", |(_, rest)| rest)
                .to_string()
                + "\n"
        })
        .collect();
    let (status, _, body) = c.form("/dcim/devices/import/", &[("data", &without_ids)]);
    assert_eq!(status, 200, "{body}");
    let again: String = export(&c, "/dcim/devices/export/")
        .lines()
        .map(|line| {
            line.split_once(',')
                .map_or("", |(_, rest)| rest)
                .to_string()
                + "\n"
        })
        .collect();
    assert_eq!(again, without_ids);

    // A row with an id updates that object with the columns it gives.
    let (_, list) = c.json("GET", "/api/dcim/devices/?name=ams-s1", None);
    let id = list["results"][0]["id"].as_i64().expect("id");
    let update = format!("id,status,cf_rack_count\n{id},active,4\n");
    let (status, _, body) = c.form("/dcim/devices/import/", &[("data", &update)]);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("0 created, 1 updated"), "{body}");
    let (_, device) = c.json("GET", &format!("/api/dcim/devices/{id}/"), None);
    assert_eq!(
        (
            &device["status"]["value"],
            &device["role"],
            &device["custom_fields"]["rack_count"]
        ),
        (&json!("active"), &json!("switch"), &json!(4))
    );
}

#[test]
fn bulk_edit_and_delete_of_selected_rows() {
    let c = client();
    let (status, _) = c.json(
        "POST",
        "/api/extras/tags/",
        Some(json!({"name": "Edge", "slug": "edge"})),
    );
    assert_eq!(status, 201);
    let (_, tag) = c.json("GET", "/api/extras/tags/?slug=edge", None);
    let tag = tag["results"][0]["id"].to_string();
    let a = c.site("Alpha", "alpha").to_string();
    let b = c.site("Beta", "beta").to_string();
    let g = c.site("Gamma", "gamma").to_string();

    // The edit form for the selection, then its application: two sites change, one not.
    let (status, _, form) = c.form(
        "/dcim/sites/bulk/",
        &[("_action", "edit"), ("_pk", &a), ("_pk", &b)],
    );
    assert_eq!(status, 200, "{form}");
    assert!(form.contains("Apply to 2") && form.contains("Alpha") && !form.contains("Gamma"));
    let (status, location, body) = c.form(
        "/dcim/sites/bulk/",
        &[
            ("_action", "edit"),
            ("_apply", "1"),
            ("_pk", &a),
            ("_pk", &b),
            ("status", "planned"),
            ("region", ""),
            ("_add_tags", &tag),
        ],
    );
    assert_eq!((status, location.as_str()), (303, "/dcim/sites/"), "{body}");
    assert_eq!(count(&c, "/api/dcim/sites/?status=planned&tag=edge"), 2);
    assert_eq!(count(&c, "/api/dcim/sites/?status=active"), 1);
    // One change record per object.
    assert_eq!(
        count(
            &c,
            "/api/core/object-changes/?object_type=dcim.site&action=update"
        ),
        2
    );

    // An invalid value changes nothing and is named.
    let (status, _, body) = c.form(
        "/dcim/sites/bulk/",
        &[
            ("_action", "edit"),
            ("_apply", "1"),
            ("_pk", &a),
            ("_pk", &g),
            ("status", "sideways"),
        ],
    );
    assert_eq!(status, 400, "{body}");
    assert_eq!(count(&c, "/api/dcim/sites/?status=active"), 1);

    // A delete that one object refuses (a device is at Beta) deletes none.
    let (status, _) = c.json(
        "POST",
        "/api/dcim/devices/",
        Some(json!({"name": "beta-r1", "site": b.parse::<i64>().unwrap_or_default(), "role": "router"})),
    );
    assert_eq!(status, 201);
    let (status, _, body) = c.form(
        "/dcim/sites/bulk/",
        &[
            ("_action", "delete"),
            ("_apply", "1"),
            ("_pk", &a),
            ("_pk", &b),
        ],
    );
    assert_eq!(status, 409, "{body}");
    assert!(body.contains("Beta"), "{body}");
    assert_eq!(count(&c, "/api/dcim/sites/"), 3);
    let (status, _, _) = c.form(
        "/dcim/sites/bulk/",
        &[
            ("_action", "delete"),
            ("_apply", "1"),
            ("_pk", &a),
            ("_pk", &g),
        ],
    );
    assert_eq!(status, 303);
    assert_eq!(count(&c, "/api/dcim/sites/"), 1);
}

/// A model with a field named `action` (access-list rules) is bulk edited like any other:
/// the form's own keys start with `_`.
#[test]
fn bulk_edit_of_a_model_with_an_action_field() {
    let c = client();
    let (status, list) = c.json(
        "POST",
        "/api/plugins/access-lists/access-lists/",
        Some(json!({"name": "edge", "default_action": "deny"})),
    );
    assert_eq!(status, 201, "{list}");
    let mut ids = Vec::new();
    for index in [10, 20] {
        let (status, rule) = c.json(
            "POST",
            "/api/plugins/access-lists/access-list-rules/",
            Some(json!({"access_list": list["id"], "index": index, "action": "permit"})),
        );
        assert_eq!(status, 201, "{rule}");
        ids.push(rule["id"].to_string());
    }
    let (status, _, body) = c.form(
        "/plugins/access-lists/rules/bulk/",
        &[
            ("_action", "edit"),
            ("_apply", "1"),
            ("_pk", &ids[0]),
            ("_pk", &ids[1]),
            ("action", "deny"),
        ],
    );
    assert_eq!(status, 303, "{body}");
    assert_eq!(
        count(
            &c,
            "/api/plugins/access-lists/access-list-rules/?action=deny"
        ),
        2
    );
}
